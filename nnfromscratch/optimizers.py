r"""Updating parameters from their gradients."""

import math

import numpy as np

from .validate import as_float_array, require_finite, require_same_shape

_DIVERGED = (
    "Training has diverged: the learning rate alpha={alpha} is probably too large, so each step "
    "overshoots and the values grow until they overflow. Try a smaller learning rate (for example alpha/10)."
)


def para_update(param, grad, alpha):
    r"""One gradient-descent step: $\theta \leftarrow \theta - \alpha\, \partial L/\partial \theta$.

    param: any shape; grad: the same shape; alpha: the learning rate, a finite
    number >= 0. Returns a new array; `param` is never changed in place.
    Refuses non-finite parameters or gradients (and a step that overflows), with a
    message that points at the learning rate, the usual cause.
    """
    try:
        alpha = float(alpha)
    except (TypeError, ValueError):
        raise ValueError(f"para_update: alpha must be a number, not {alpha!r}.") from None
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(f"para_update: the learning rate alpha must be a finite number >= 0, not {alpha}.")
    param = as_float_array(param, "param", "para_update")
    grad = as_float_array(grad, "grad", "para_update")
    require_same_shape(param, "param", grad, "grad", "para_update",
                       hint="A gradient always has the shape of the parameter it belongs to.")
    with np.errstate(over="ignore", invalid="ignore"):  # reported just below, with its cause
        new = param - alpha * grad
    if not np.isfinite(new).all():  # one check on the hot path; find the culprit only when it fails
        cause = _DIVERGED.format(alpha=alpha)
        require_finite(param, "param", "para_update", cause)
        require_finite(grad, "grad", "para_update", cause)
        require_finite(new, "the updated parameter", "para_update", cause)
    return new
