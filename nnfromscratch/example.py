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

from .activations import sigmoid_grad
from .layers import LAYOUTS, forward_prop, hidden_unit_grad, weight_grad
from .losses import mse, output_grad
from .optimizers import para_update

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


def trace(example=None, *, alpha=None, update_biases=True, forward=forward_prop, hidden_grad=hidden_unit_grad,
          new_loss=True):
    """One training step of the 2-2-2 network, every intermediate value kept.

    example: a WorkedExample (default: `worked_example()`), in either layout.
    alpha: learning rate (default: the example's). update_biases=False keeps b1, b2
    frozen, as the widely read walk-through does. forward and hidden_grad default
    to the package's functions; `nnfromscratch.original` has the original notebook's
    rounded forward pass and untransposed hidden gradient, to reproduce its numbers.
    new_loss=False skips the extra forward pass for `loss_new` (left as nan); `train`
    uses it, since the next step computes that loss anyway.
    Returns a Trace.
    """
    ex = worked_example() if example is None else example
    layout = ex.layout
    alpha = ex.alpha if alpha is None else alpha
    x, y = ex.x, ex.y
    # forward pass
    z1 = forward(ex.W1, ex.b1, x, activation="linear", layout=layout)
    h1 = forward(ex.W1, ex.b1, x, layout=layout)
    z2 = forward(ex.W2, ex.b2, h1, activation="linear", layout=layout)
    y_hat = forward(ex.W2, ex.b2, h1, layout=layout)
    loss = mse(y, y_hat)
    # backward pass: output layer
    dL_dy_hat = output_grad(y, y_hat)
    delta2 = sigmoid_grad(y_hat, dL_dy_hat)
    dW2 = weight_grad(h1, delta2, layout=layout)
    db2 = delta2
    # backward pass: hidden layer
    dL_dh1 = hidden_grad(ex.W2, delta2, layout=layout)
    delta1 = sigmoid_grad(h1, dL_dh1)
    dW1 = weight_grad(x, delta1, layout=layout)
    db1 = delta1
    # one step of gradient descent
    bias_alpha = alpha if update_biases else 0.0
    new = {
        "W1": para_update(ex.W1, dW1, alpha),
        "b1": para_update(ex.b1, db1, bias_alpha),
        "W2": para_update(ex.W2, dW2, alpha),
        "b2": para_update(ex.b2, db2, bias_alpha),
    }
    loss_new = loss_of(new, x, y, forward=forward, layout=layout) if new_loss else float("nan")
    return Trace(
        x=x, y=y, W1=ex.W1, b1=ex.b1, W2=ex.W2, b2=ex.b2, alpha=alpha,
        z1=z1, h1=h1, z2=z2, y_hat=y_hat, loss=loss,
        dL_dy_hat=dL_dy_hat, delta2=delta2, dW2=dW2, db2=db2,
        dL_dh1=dL_dh1, delta1=delta1, dW1=dW1, db1=db1,
        W1_new=new["W1"], b1_new=new["b1"], W2_new=new["W2"], b2_new=new["b2"], loss_new=loss_new,
    )


def train(example=None, *, alpha=None, steps=100, update_biases=True, **step_options):
    """Gradient descent on the worked example's network for `steps` steps, with `trace` as the step.

    example: a WorkedExample (default `worked_example()`), in either layout, or any
    two-layer sigmoid network with its x and y (W1 (hidden, in), W2 (out, hidden)).
    Returns (losses, final): losses has steps + 1 entries, the loss before training and
    after each step; final is a WorkedExample holding the trained parameters.
    Raises ValueError (from `para_update`) if a step produces non-finite values.
    step_options (forward, hidden_grad) are handed to `trace`, e.g. to train with the
    original notebook's defects.
    """
    ex = worked_example() if example is None else example
    alpha = ex.alpha if alpha is None else alpha
    current = WorkedExample(**{f.name: getattr(ex, f.name) for f in fields(WorkedExample)})
    losses = []
    for _ in range(steps):
        t = trace(current, alpha=alpha, update_biases=update_biases, new_loss=False, **step_options)
        losses.append(t.loss)
        current = WorkedExample(x=ex.x, y=ex.y, W1=t.W1_new, b1=t.b1_new, W2=t.W2_new, b2=t.b2_new,
                                alpha=alpha, layout=ex.layout)
    losses.append(loss_of(current.params(), ex.x, ex.y, layout=ex.layout, forward=step_options.get("forward", forward_prop)))
    return np.array(losses), current
