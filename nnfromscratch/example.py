r"""The worked example every lesson starts from, and its full trace.

A 2-2-2 sigmoid network, one training example, squared error, one step of
gradient descent (the original notebook's numbers):

    x  = [0.05, 0.10]          y  = [0.01, 0.99]
    W1 = [[0.15, 0.25],        b1 = [0.35, 0.35]
          [0.20, 0.30]]
    W2 = [[0.40, 0.50],        b2 = [0.60, 0.60]
          [0.45, 0.55]]        alpha = 0.1

`trace()` runs the forward pass, the loss, backpropagation and the update with
the package's own functions and returns every intermediate value.
"""

from dataclasses import dataclass, fields

import numpy as np

from .activations import Activation, sigmoid, sigmoid_grad
from .layers import LAYOUTS, forward_prop, hidden_unit_grad, weight_grad
from .losses import mse, output_grad
from .optimizers import descend, learning_rate_checked

PARAMETERS = ("W1", "b1", "W2", "b2")


@dataclass
class WorkedExample:
    """The worked example's input, target, parameters and learning rate (fresh arrays)."""

    x: np.ndarray
    y: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    alpha: float
    layout: str = "out_in"

    def params(self):
        """The four parameters as a dict {"W1": ..., "b1": ..., "W2": ..., "b2": ...} (copies)."""
        return {name: getattr(self, name).copy() for name in PARAMETERS}


def worked_example(layout="out_in"):
    """Return a fresh copy of the worked example: x, y, W1, b1, W2, b2, alpha as attributes.

    Every call builds new arrays, so a lesson that changes them cannot corrupt the
    next. layout="in_out" reads the same arrays as (in, out) matrices, as the widely
    read walk-through does (net_h1 = w1*i1 + w2*i2 + b1 = 0.15*0.05 + 0.20*0.10 + 0.35):
    that is its network, whose W1 is our W1 transposed. Train it with
    `trace(worked_example(layout="in_out"), alpha=0.5, update_biases=False)`.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"worked_example: layout must be one of {LAYOUTS}, not {layout!r}.")
    W1 = np.array([[0.15, 0.25], [0.20, 0.30]])
    W2 = np.array([[0.40, 0.50], [0.45, 0.55]])
    return WorkedExample(
        x=np.array([0.05, 0.10]),
        y=np.array([0.01, 0.99]),
        W1=W1,
        b1=np.array([0.35, 0.35]),
        W2=W2,
        b2=np.array([0.60, 0.60]),
        alpha=0.1,
        layout=layout,
    )


@dataclass
class Trace:
    """Every value of one training step of the worked example, in the lessons' names.

    Forward: z1 (2,), h1 (2,), z2 (2,), y_hat (2,), loss.
    Backward: dL_dy_hat = y_hat - y, delta2 = dL/dz2, dW2, db2, dL_dh1 = W2.T @ delta2,
    delta1 = dL/dz1, dW1, db1.
    Update: W1_new, b1_new, W2_new, b2_new, and loss_new, the loss after the step.
    """

    x: np.ndarray
    y: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    alpha: float
    z1: np.ndarray
    h1: np.ndarray
    z2: np.ndarray
    y_hat: np.ndarray
    loss: float
    dL_dy_hat: np.ndarray
    delta2: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray
    dL_dh1: np.ndarray
    delta1: np.ndarray
    dW1: np.ndarray
    db1: np.ndarray
    W1_new: np.ndarray
    b1_new: np.ndarray
    W2_new: np.ndarray
    b2_new: np.ndarray
    loss_new: float

    def grads(self):
        """The gradients as a dict keyed like the parameters: {"W1": dW1, "b1": db1, ...}."""
        return {"W1": self.dW1, "b1": self.db1, "W2": self.dW2, "b2": self.db2}

    def names(self):
        """The field names, in the order of the computation."""
        return [f.name for f in fields(self)]


def loss_of(params, x, y, *, forward=forward_prop, layout="out_in"):
    r"""The 2-2-2 network's loss $L = \tfrac12 \lVert \sigma(W_2 \sigma(W_1 x + b_1) + b_2) - y \rVert^2$.

    params: dict with W1, b1, W2, b2 (see `WorkedExample.params`); x: (2,) or (n, 2);
    y: the matching targets. Returns a float. This is the `f` to hand to
    `numerical_gradient` when checking a gradient of the worked example.
    """
    h1 = forward(params["W1"], params["b1"], x, layout=layout)
    y_hat = forward(params["W2"], params["b2"], h1, layout=layout)
    return mse(y, y_hat)


def _sigmoid_keeping_z():
    """The sigmoid as an `Activation` that also keeps each z it is applied to (in `.kept`): handed to `forward`,
    it gives a layer's z and h from one computation of the layer."""
    kept = []

    def sigmoid_keeping_z(z):
        kept.append(z)
        return sigmoid(z)
    activation = Activation("sigmoid", sigmoid_keeping_z, sigmoid_grad)
    return activation, kept


def _step(W1, b1, W2, b2, x, y, alpha, bias_alpha, layout, forward, hidden_grad, keep_z):
    """One training step with the package's public functions, every value in `Trace`'s order from z1 to b2_new.

    Each layer is computed once: with keep_z, z1 and z2 are the pre-activations `forward` computed on the way
    to h1 and y_hat (handed the sigmoid as a function that keeps its input); without, they are None. alpha and bias_alpha come from `learning_rate_checked`; the
    updates are `descend`, `para_update`'s step with its checks, under one np.errstate for the four parameters.
    """
    # forward pass
    if keep_z:
        activation, kept = _sigmoid_keeping_z()
        h1 = forward(W1, b1, x, activation=activation, layout=layout)
        z1 = kept.pop() if kept else None  # None: a `forward` that did not apply the activation it was given
        y_hat = forward(W2, b2, h1, activation=activation, layout=layout)
        z2 = kept.pop() if kept else None
    else:
        z1 = z2 = None
        h1 = forward(W1, b1, x, layout=layout)
        y_hat = forward(W2, b2, h1, layout=layout)
    loss = mse(y, y_hat)
    # backward pass: output layer
    dL_dy_hat = output_grad(y, y_hat)
    delta2 = sigmoid_grad(y_hat, dL_dy_hat)
    dW2 = weight_grad(h1, delta2, layout=layout)
    db2 = delta2
    # backward pass: hidden layer
    dL_dh1 = hidden_grad(W2, delta2, layout=layout)
    delta1 = sigmoid_grad(h1, dL_dh1)
    dW1 = weight_grad(x, delta1, layout=layout)
    db1 = delta1
    # one step of gradient descent (para_update's step; its messages if a value stops being finite)
    with np.errstate(over="ignore", invalid="ignore"):
        W1_new, b1_new = descend(W1, dW1, alpha), descend(b1, db1, bias_alpha)
        W2_new, b2_new = descend(W2, dW2, alpha), descend(b2, db2, bias_alpha)
    return (z1, h1, z2, y_hat, loss, dL_dy_hat, delta2, dW2, db2, dL_dh1, delta1, dW1, db1,
            W1_new, b1_new, W2_new, b2_new)


def _rates(alpha, update_biases):
    """The learning rates of the weights and of the biases, checked once as `para_update` checks its alpha."""
    alpha = learning_rate_checked(alpha)
    return alpha, alpha if update_biases else 0.0


def trace(example=None, *, alpha=None, update_biases=True, forward=forward_prop, hidden_grad=hidden_unit_grad,
          new_loss=True):
    """One training step of the 2-2-2 network, every intermediate value kept.

    example: a WorkedExample (default: `worked_example()`), in either layout.
    alpha: learning rate (default: the example's). update_biases=False keeps b1, b2
    frozen, as the widely read walk-through does. forward and hidden_grad default
    to the package's functions; `nnfromscratch.original` has the original notebook's
    rounded forward pass and untransposed hidden gradient, to reproduce its numbers.
    Each layer is computed once: z is the pre-activation `forward` computed on the way to h.
    new_loss=False skips the extra forward pass for `loss_new` (left as nan).
    Returns a Trace.
    """
    ex = worked_example() if example is None else example
    alpha = ex.alpha if alpha is None else alpha
    rate, bias_rate = _rates(alpha, update_biases)
    values = _step(ex.W1, ex.b1, ex.W2, ex.b2, ex.x, ex.y, rate, bias_rate, ex.layout, forward, hidden_grad,
                   keep_z=True)
    if new_loss:
        loss_new = loss_of(dict(zip(PARAMETERS, values[-4:])), ex.x, ex.y, forward=forward, layout=ex.layout)
    else:
        loss_new = float("nan")
    return Trace(ex.x, ex.y, ex.W1, ex.b1, ex.W2, ex.b2, alpha, *values, loss_new)


def train(example=None, *, alpha=None, steps=100, update_biases=True, forward=forward_prop,
          hidden_grad=hidden_unit_grad):
    """Gradient descent on the worked example's network for `steps` steps, each the step of `trace`.

    example: a WorkedExample (default `worked_example()`), in either layout, or any
    two-layer sigmoid network with its x and y (W1 (hidden, in), W2 (out, hidden)).
    Returns (losses, final): losses has steps + 1 entries, the loss before training and
    after each step; final is a WorkedExample holding the trained parameters.
    Raises ValueError (para_update's message) if a step produces non-finite values.
    forward and hidden_grad are as in `trace`, e.g. to train with the original notebook's defects.
    The learning rate is checked once, not at every step.
    """
    ex = worked_example() if example is None else example
    alpha = ex.alpha if alpha is None else alpha
    rate, bias_rate = _rates(alpha, update_biases)
    W1, b1, W2, b2 = ex.W1, ex.b1, ex.W2, ex.b2
    losses = []
    for _ in range(steps):
        values = _step(W1, b1, W2, b2, ex.x, ex.y, rate, bias_rate, ex.layout, forward, hidden_grad, keep_z=False)
        losses.append(values[4])
        W1, b1, W2, b2 = values[-4:]
    current = WorkedExample(x=ex.x, y=ex.y, W1=W1, b1=b1, W2=W2, b2=b2, alpha=alpha, layout=ex.layout)
    losses.append(loss_of(current.params(), ex.x, ex.y, layout=ex.layout, forward=forward))
    return np.array(losses), current
