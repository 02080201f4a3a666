r"""The dense layer: its forward pass beside the gradients that go through it. The only one in the package:
the worked example, the network of any depth and the lessons all use these functions.

Convention (the original notebook's, PyTorch's `nn.Linear`, Nielsen's): `W` has
shape (out, in); one example is $z = W x + b$, a batch `X` of shape (n, in) is
$Z = X W^\top + b$.

The other common layout, `layout="in_out"`, stores the same weights transposed,
`W` of shape (in, out) with $z = W^\top x + b$ (the widely read walk-through's
$net_{h1} = w_1 i_1 + w_2 i_2 + b_1$). Every function here accepts it by
transposing once on the way in (and out), so there is one implementation.

`dense_forward` and `dense_backward` are the same layer in the form a network needs
(CS231n's `forward -> (out, cache)`, `backward(dout, cache) -> grads`): they call
`forward_prop`, `weight_grad` and `hidden_unit_grad`, never a copy of them.
"""

import numpy as np

from .activations import get_activation
from .validate import as_float_array, require_ndim

LAYOUTS = ("out_in", "in_out")


def _weights(W, layout, func):
    """W as a 2-D float array in the (out, in) layout."""
    if layout not in LAYOUTS:
        raise ValueError(f"{func}: layout must be one of {LAYOUTS}, not {layout!r}.")
    W = as_float_array(W, "W", func)
    require_ndim(W, "W", func, (2,), "a 2-D weight matrix of shape (out, in)")
    return W.T if layout == "in_out" else W


def _shape_name(layout):
    return "(out, in)" if layout == "out_in" else "(in, out)"


def forward_prop(W, b, x, activation="sigmoid", *, layout="out_in"):
    r"""One layer's forward pass: $h = f(W x + b)$; for a batch, $H = f(X W^\top + b)$.

    W: (out, in) weights (or (in, out) with layout="in_out"); b: (out,) biases;
    x: (in,) for one example or X: (n, in) for a batch, one example per row.
    activation: "sigmoid" (default), "linear" or None for $z$ itself, or a function.
    Returns (out,) or (n, out). Full precision: nothing is rounded.
    """
    W = _weights(W, layout, "forward_prop")
    out_units, in_units = W.shape
    b = as_float_array(b, "b", "forward_prop")
    x = as_float_array(x, "x", "forward_prop")
    if b.shape != (out_units,):
        raise ValueError(
            f"forward_prop: W has shape {W.shape if layout == 'out_in' else W.T.shape} {_shape_name(layout)}, "
            f"so b must have shape ({out_units},), one bias per output unit, but b has shape {b.shape}."
        )
    if x.ndim not in (1, 2):  # (the message is formatted only when needed: this is the training loop's path)
        require_ndim(x, "x", "forward_prop", (1, 2), f"one example of shape ({in_units},) or a batch of shape (n, {in_units})")
    if x.shape[-1] != in_units:
        shown = W.shape if layout == "out_in" else W.T.shape
        what = f"x has {x.shape[-1]} entries" if x.ndim == 1 else f"the batch X has shape {x.shape} ({x.shape[-1]} features per row)"
        message = (
            f"forward_prop: W has shape {shown} {_shape_name(layout)} but {what}; "
            f"expected {in_units} input values per example."
        )
        if out_units == x.shape[-1]:
            message += " Did you mean W.T?"
        elif x.ndim == 2 and x.shape[0] == in_units:
            message += f" Did you mean X.T? A batch has one example per row, shape (n, {in_units})."
        raise ValueError(message)
    z = x @ W.T + b  # (in,) @ (in, out) -> (out,); (n, in) @ (in, out) -> (n, out)
    return get_activation(activation).fn(z)


def weight_grad(x_in, delta, *, layout="out_in"):
    r"""Gradient of the loss w.r.t. a layer's weights: $\partial L/\partial W = \delta\, x^\top$ (an outer product).

    x_in: the layer's input, (in,) or a batch (n, in); delta: $\partial L/\partial z$,
    (out,) or (n, out). Returns (out, in), the shape of W, with entry [i, j] =
    delta[i] * x_in[j]; for a batch, summed over the n examples, $\Delta^\top X$.
    With layout="in_out" the result is transposed to (in, out), the shape of that W.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"weight_grad: layout must be one of {LAYOUTS}, not {layout!r}.")
    x_in = as_float_array(x_in, "x_in", "weight_grad")
    delta = as_float_array(delta, "delta", "weight_grad")
    require_ndim(x_in, "x_in", "weight_grad", (1, 2), "one input of shape (in,) or a batch of shape (n, in)")
    require_ndim(delta, "delta", "weight_grad", (1, 2), "one delta of shape (out,) or a batch of shape (n, out)")
    if x_in.ndim != delta.ndim:
        raise ValueError(
            f"weight_grad: x_in has shape {x_in.shape} but delta has shape {delta.shape}; pass both for one "
            "example (1-D) or both for a batch (2-D, one example per row)."
        )
    if x_in.ndim == 1:
        grad = delta[:, None] * x_in  # the outer product (np.outer's own formula, without its overhead)
    else:
        if x_in.shape[0] != delta.shape[0]:
            raise ValueError(
                f"weight_grad: x_in has {x_in.shape[0]} examples (shape {x_in.shape}) but delta has "
                f"{delta.shape[0]} (shape {delta.shape}); both need one row per example. "
                "Is one of them transposed?"
            )
        grad = delta.T @ x_in  # (out, n) @ (n, in): sums delta_i * x_j over the batch
    return grad.T if layout == "in_out" else grad


def hidden_unit_grad(W, delta, *, layout="out_in"):
    r"""Gradient of the loss w.r.t. a layer's input: $\partial L/\partial h = W^\top \delta$.

    W: (out, in) weights of the layer above (or (in, out) with layout="in_out");
    delta: $\partial L/\partial z$ of that layer, (out,) or a batch (n, out).
    Returns (in,) or (n, in) (for a batch, $\Delta W$).

    Each input unit j feeds every output unit i through W[i, j], so its gradient
    sums over i: $\partial L/\partial h_j = \sum_i W_{ij} \delta_i$, a column of W,
    hence the transpose. The original notebook's `W @ delta` is the bug this fixes.
    """
    W = _weights(W, layout, "hidden_unit_grad")
    out_units, in_units = W.shape
    delta = as_float_array(delta, "delta", "hidden_unit_grad")
    if delta.ndim not in (1, 2):
        require_ndim(delta, "delta", "hidden_unit_grad", (1, 2), f"of shape ({out_units},) or a batch (n, {out_units})")
    if delta.shape[-1] != out_units:
        shown = W.shape if layout == "out_in" else W.T.shape
        message = (
            f"hidden_unit_grad: W has shape {shown} {_shape_name(layout)} but delta has {delta.shape[-1]} "
            f"entries per example (shape {delta.shape}); expected {out_units}, one per output unit of W."
        )
        if in_units == delta.shape[-1]:
            message += " Did you pass W.T, or the delta of the wrong layer?"
        raise ValueError(message)
    return delta @ W  # (out,) @ (out, in) = W.T @ delta; (n, out) @ (out, in) -> (n, in)


def dense_forward(W, b, X, activation="relu"):
    r"""A dense layer that remembers what its backward pass needs: $H = f(X W^\top + b)$. Returns (H, cache).

    W: (out, in); b: (out,); X: (n, in) (or (in,) for one example). H: (n, out) (or (out,)).
    activation: a name of `activations.ACTIVATIONS` ("sigmoid", "tanh", "relu", "linear"), or an
    `Activation`. The cache is the tuple (X, W, H, activation), with activation exactly as given (a
    name, as the lessons pass it): the gradients are written through the output H, so nothing is
    recomputed. A learner's own pair plugs into `Network` when it keeps this convention.
    """
    H = forward_prop(W, b, X, get_activation(activation))
    return H, (X, W, H, activation)


def dense_backward(dH, cache, need_dX=True):
    r"""Backpropagate through a dense layer: $\Delta = f'(Z) \odot \partial L/\partial H$,
    $\partial L/\partial W = \Delta^\top X$, $\partial L/\partial b = \sum_i \Delta_i$, $\partial L/\partial X = \Delta W$.

    dH: $\partial L/\partial H$, (n, out), already carrying the loss's 1/n (the loss of a batch is a
    mean, and its 1/n enters once, in the loss's gradient), so dW and db are plain sums over the batch;
    cache: (X, W, H, activation) from `dense_forward`, the activation a registry name or an `Activation`.
    $f'(Z)$ is computed through the output H (`Activation.grad(H, dH)`).
    Returns (dX (n, in), or None when need_dX is False, dW (out, in), db (out,)). The first layer
    of a network skips dX: nothing upstream needs it.
    """
    X, W, H, activation = cache
    delta = get_activation(activation).grad(H, dH)
    dW = weight_grad(X, delta)
    db = delta.sum(axis=0) if delta.ndim == 2 else delta
    dX = hidden_unit_grad(W, delta) if need_dX else None
    return dX, dW, db
