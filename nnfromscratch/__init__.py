"""nnfromscratch: the reference math and machinery of 'Building a Neural Network from Scratch'.

The eight functions of the original notebook, corrected and at full precision:

    sigmoid, forward_prop, mse, output_grad, sigmoid_grad, weight_grad,
    hidden_unit_grad (W.T @ delta), para_update

the worked example (`worked_example()`, `trace()`), and gradient checking
(`numerical_gradient`, `relative_error`, `check_gradients`).
"""

from .activations import sigmoid, sigmoid_grad
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .layers import forward_prop, hidden_unit_grad, weight_grad
from .losses import mse, output_grad
from .optimizers import para_update
from .example import PARAMETERS, Trace, WorkedExample, loss_of, trace, train, worked_example

__version__ = "0.1.0"

__all__ = [
    "sigmoid", "sigmoid_grad", "forward_prop", "weight_grad", "hidden_unit_grad",
    "mse", "output_grad", "para_update",
    "numerical_gradient", "relative_error", "check_gradients",
    "worked_example", "WorkedExample", "trace", "Trace", "loss_of", "train", "PARAMETERS",
]
