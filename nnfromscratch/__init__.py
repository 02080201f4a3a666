"""nnfromscratch: the reference math of 'Building a Neural Network from Scratch', and what its lessons import.

    import nnfromscratch as nn

Part I, the original notebook's eight functions, corrected and at full precision:
    nn.sigmoid, nn.forward_prop, nn.mse, nn.output_grad, nn.sigmoid_grad, nn.weight_grad,
    nn.hidden_unit_grad (W.T @ delta), nn.para_update
the worked example (nn.worked_example, nn.trace, nn.train) and gradient checking
(nn.numerical_gradient, nn.relative_error, nn.check_gradients).

Part II, the same functions grown into a network: more activations (nn.tanh, nn.relu, the registry
nn.ACTIVATIONS), the dense layer with a cache (nn.dense_forward, nn.dense_backward), a network of them
(nn.network_forward, nn.network_backward), one epoch of mini-batch training (nn.train_epoch), softmax and
cross-entropy, nn.Network, optimisers (nn.SGD, nn.Momentum, nn.RMSProp, nn.Adam and their update
equations), and a scalar autodiff engine (nn.Value). Modules: nn.data (data sets), nn.autodiff,
nn.original (the original notebook's two defects); the figures and sliders are in
nnfromscratch.visuals, the exercise checks in nnfromscratch.checks.

Part III, making a network train well: initial weights (nn.he_init, ...), layer-by-layer diagnostics
(nn.diagnostics: gradient norms, update-to-weight ratios, nn.check_network), the binary cross-entropy and the
learning slowdown (nn.slowdown), regularisation (nn.regularization: L2, dropout, early stopping) and three
networks with planted bugs to diagnose (nn.debugging).
"""

from . import autodiff, data, original
from .activations import (ACTIVATIONS, Activation, get_activation, identity, identity_grad, relu, relu_grad, sigmoid,
                          sigmoid_grad, tanh, tanh_grad)
from .autodiff import Value
from .example import PARAMETERS, Trace, WorkedExample, loss_of, trace, train, worked_example
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .initializers import INITS, he_init, lecun_init, xavier_init, zeros_init
from .layers import dense_backward, dense_forward, forward_prop, hidden_unit_grad, weight_grad
from .losses import mse, one_hot, output_grad, softmax, softmax_cross_entropy, softmax_cross_entropy_grad, xent_and_grad
from .network import (History, Network, TrainingDiverged, confusion_matrix, init_params, network_backward, network_forward,
                      print_progress, train_epoch)
from .optimizers import (SGD, Adam, Momentum, RMSProp, adam_update, cosine_decay, exponential_decay, momentum_update,
                         para_update, rmsprop_update, step_decay)
# Part III
from . import debugging, diagnostics, regularization, slowdown
from .diagnostics import check_network, gradient_norms, update_ratio, update_ratios
from .losses import binary_cross_entropy, binary_cross_entropy_grad
from .regularization import L2, Dropout, dropout_backward, dropout_forward, fit_with_validation, l2_grad, l2_penalty

__version__ = "0.1.0"

__all__ = [
    # Part I
    "sigmoid", "sigmoid_grad", "forward_prop", "weight_grad", "hidden_unit_grad",
    "mse", "output_grad", "para_update",
    "numerical_gradient", "relative_error", "check_gradients",
    "worked_example", "WorkedExample", "trace", "Trace", "loss_of", "train", "PARAMETERS",
    # Part II
    "tanh", "tanh_grad", "relu", "relu_grad", "identity", "identity_grad", "Activation", "ACTIVATIONS",
    "get_activation", "dense_forward", "dense_backward",
    "softmax", "softmax_cross_entropy", "softmax_cross_entropy_grad", "xent_and_grad", "one_hot",
    "network_forward", "network_backward", "train_epoch",
    "Network", "TrainingDiverged", "History", "init_params", "confusion_matrix", "print_progress",
    "SGD", "Momentum", "RMSProp", "Adam", "momentum_update", "rmsprop_update", "adam_update",
    "step_decay", "exponential_decay", "cosine_decay", "Value",
    "INITS", "he_init", "lecun_init", "xavier_init", "zeros_init",
    # Part III
    "binary_cross_entropy", "binary_cross_entropy_grad", "gradient_norms", "update_ratio", "update_ratios",
    "check_network", "l2_penalty", "l2_grad", "L2", "dropout_forward", "dropout_backward", "Dropout",
    "fit_with_validation",
    # modules
    "autodiff", "data", "original", "debugging", "diagnostics", "regularization", "slowdown",
]
