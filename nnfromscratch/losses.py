r"""The squared-error loss, beside its gradient."""

import numpy as np

from .validate import as_float_array, require_same_shape

_TARGET_HINT = "y (the targets) and yhat (the network's outputs) need one entry per output unit."


def mse(y, yhat):
    r"""Squared error with a half: $L = \tfrac{1}{2} \sum_k (\hat y_k - y_k)^2$.

    y, yhat: the same shape, (out,) for one example or (n, out) for a batch; the sum
    runs over every entry (no mean), as in the original notebook. The 1/2 cancels the
    2 of the derivative, so that $\partial L/\partial \hat y = \hat y - y$.
    Returns a Python float.
    """
    y = as_float_array(y, "y", "mse")
    yhat = as_float_array(yhat, "yhat", "mse")
    require_same_shape(y, "y", yhat, "yhat", "mse", hint=_TARGET_HINT)
    diff = yhat - y
    return float(0.5 * np.sum(diff * diff))


def output_grad(y, yhat):
    r"""Gradient of the squared error w.r.t. the outputs: $\partial L/\partial \hat y = \hat y - y$.

    y, yhat: the same shape, (out,) or (n, out). Returns that shape.
    """
    y = as_float_array(y, "y", "output_grad")
    yhat = as_float_array(yhat, "yhat", "output_grad")
    require_same_shape(y, "y", yhat, "yhat", "output_grad", hint=_TARGET_HINT)
    return yhat - y
