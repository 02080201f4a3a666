r"""The losses, each beside its gradient: squared error (Part I), softmax cross-entropy (classification).

The batch convention, the same in every lesson and function: the loss of a batch of n examples is the
mean of the examples' losses, $L = \frac1n \sum_i L_i$, and its 1/n enters once, in the loss's gradient
(`output_grad`, `softmax_cross_entropy_grad`); everything backpropagated from there already carries it, so
the layers' gradients are plain sums over the batch ($\Delta^\top X$, $\sum_i \Delta_i$).
"""

import numpy as np

from .validate import as_float_array, as_labels, require_ndim, require_same_shape

_TARGET_HINT = "y (the targets) and yhat (the network's outputs) need one entry per output unit."


def _targets_and_outputs(y, yhat, func):
    """y and yhat as float arrays of one shape: one example (out,) or a non-empty batch (n, out)."""
    y = as_float_array(y, "y", func)
    yhat = as_float_array(yhat, "yhat", func)
    require_same_shape(y, "y", yhat, "yhat", func, hint=_TARGET_HINT)
    require_ndim(yhat, "yhat", func, (0, 1, 2), "one example of shape (out,) or a batch of shape (n, out)")
    if yhat.ndim == 2 and yhat.shape[0] == 0:
        raise ValueError(f"{func}: the batch is empty (shape {yhat.shape}); the loss of a batch is a mean over "
                         "its examples, so it needs at least one.")
    return y, yhat


def mse(y, yhat):
    r"""Squared error with a half: $L = \tfrac{1}{2} \sum_k (\hat y_k - y_k)^2$ for one example.

    y, yhat: the same shape. (out,): one example, the sum over its outputs, as in the original
    notebook. (n, out): a batch, one example per row, and the loss of a batch is the mean of the
    examples' losses, $L = \frac1n \sum_i \tfrac12 \sum_k (\hat y_{ik} - y_{ik})^2$. The 1/2 cancels
    the 2 of the derivative, so that $\partial L/\partial \hat y = \hat y - y$ (see `output_grad`).
    Returns a Python float.
    """
    y, yhat = _targets_and_outputs(y, yhat, "mse")
    diff = yhat - y
    total = float(0.5 * (diff * diff).sum())
    return total / diff.shape[0] if diff.ndim == 2 else total


def output_grad(y, yhat):
    r"""Gradient of the squared error w.r.t. the outputs: $\partial L/\partial \hat y = \hat y - y$.

    y, yhat: the same shape. (out,): one example, $\hat y - y$. (n, out): a batch, whose loss is a
    mean (see `mse`), so $\partial L/\partial \hat Y = (\hat Y - Y)/n$: row i is example i's
    $\hat y_i - y_i$ divided by n. This is where the batch's 1/n enters, once; everything
    backpropagated from here carries it. Returns the shape of y.
    """
    y, yhat = _targets_and_outputs(y, yhat, "output_grad")
    diff = yhat - y
    return diff / diff.shape[0] if diff.ndim == 2 else diff


def binary_cross_entropy(y, yhat):
    r"""Cross-entropy of sigmoid outputs: $L = -\sum_k \big(y_k \ln \hat y_k + (1 - y_k) \ln(1 - \hat y_k)\big)$
    for one example.

    y: targets in [0, 1]; yhat: sigmoid outputs in (0, 1); the same shape. (out,): one example, the sum over its
    outputs. (n, out): a batch, whose loss is the mean of the examples' losses (the course's convention, as for
    `mse`). Stable: computed in float64 with yhat clipped to [1e-15, 1 - 1e-15] inside the logs, so an output
    that rounded to exactly 0 or 1 gives a large finite loss instead of inf. Returns a Python float.
    """
    y, yhat = _targets_and_outputs(y, yhat, "binary_cross_entropy")
    p = np.clip(yhat.astype(np.float64), 1e-15, 1 - 1e-15)  # float64: 1 - 1e-15 would round to 1 in float32
    total = float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return total / p.shape[0] if p.ndim == 2 else total


def binary_cross_entropy_grad(y, yhat):
    r"""Gradient of the binary cross-entropy w.r.t. the pre-activation z of sigmoid outputs $\hat y = \sigma(z)$:
    $\partial L/\partial z = \hat y - y$.

    By the chain rule it is $\frac{\partial L}{\partial \hat y}\,\sigma'(z) = \frac{\hat y - y}{\hat y (1 - \hat y)}
    \cdot \hat y (1 - \hat y)$: the sigmoid's derivative cancels, so a saturated output still learns (squared
    error's $\partial L/\partial z = (\hat y - y)\,\hat y (1 - \hat y)$ keeps it). y, yhat: the same shape,
    (out,) for one example; for a batch (n, out), whose loss is a mean, $(\hat Y - Y)/n$, the 1/n entering
    here once, as in `output_grad`.
    """
    y, yhat = _targets_and_outputs(y, yhat, "binary_cross_entropy_grad")
    diff = yhat - y
    return diff / diff.shape[0] if diff.ndim == 2 else diff


def softmax(z):
    r"""Softmax over the last axis: $p_k = e^{z_k} / \sum_j e^{z_j}$.

    z: (k,) logits or (n, k) for a batch. Returns the same shape; each row sums to 1.
    Stable: subtracting the row's maximum first leaves p unchanged and keeps every
    exponent <= 0, so large logits cannot overflow.
    """
    z = as_float_array(z, "z", "softmax")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _logits_and_labels(labels, logits, func):
    logits = as_float_array(logits, "logits", func)
    if logits.ndim != 2:
        raise ValueError(f"{func}: logits must be (n, k), one row per example, not shape {logits.shape}.")
    return as_labels(labels, logits.shape[0], logits.shape[1], func), logits


def xent_and_grad(labels, logits):
    r"""The mean softmax cross-entropy and its gradient in one pass, for checked inputs (the training loop's).

    labels: (n,) integers 0..k-1; logits: (n, k). Returns (L, dL/dZ):
    $L = \frac1n \sum_i \big(\log \sum_j e^{z_{ij} - m_i} - (z_{i,y_i} - m_i)\big)$ with $m_i = \max_j z_{ij}$
    (stable: every exponent <= 0, no log of 0), and $\partial L/\partial Z = (P - Y)/n$, where the
    softmax's Jacobian and the log's derivative cancel to the same form as $\hat y - y$.
    """
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = (float(np.log(total).sum()) - float(shifted[rows, labels].sum())) / n
    e /= total  # now P, the softmax
    e[rows, labels] -= 1
    e *= e.dtype.type(1.0 / n)
    return loss, e


def softmax_cross_entropy(labels, logits):
    r"""Mean cross-entropy of softmax probabilities: $L = \frac1n \sum_i -\log p_{i, y_i}$, $p = \mathrm{softmax}(z)$.

    labels: (n,) integers 0..k-1; logits: (n, k). Returns a Python float, computed stably
    (see `xent_and_grad`).
    """
    return xent_and_grad(*_logits_and_labels(labels, logits, "softmax_cross_entropy"))[0]


def softmax_cross_entropy_grad(labels, logits):
    r"""Gradient of the mean softmax cross-entropy w.r.t. the logits: $\partial L/\partial Z = (P - Y) / n$.

    labels: (n,) integers; logits: (n, k). Returns (n, k), with Y the one-hot labels.
    """
    return xent_and_grad(*_logits_and_labels(labels, logits, "softmax_cross_entropy_grad"))[1]


def one_hot(labels, k):
    """The (n, k) one-hot matrix of integer labels 0..k-1."""
    labels = as_labels(labels, len(labels), k, "one_hot")
    out = np.zeros((len(labels), k))
    out[np.arange(len(labels)), labels] = 1
    return out
