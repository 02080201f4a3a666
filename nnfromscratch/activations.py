r"""Activation functions, each beside its gradient.

The gradient functions take the activation's *output* `h` (not its input `z`),
because that is what the forward pass already stored and what the original
notebook's `sigmoidGrad(houtput, outgrad)` takes.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .validate import as_float_array, require_same_shape


def sigmoid(z):
    r"""The logistic sigmoid $\sigma(z) = 1 / (1 + e^{-z})$, elementwise.

    z: any shape. Returns the same shape and float dtype, each entry in [0, 1].

    Numerically stable: it only ever evaluates $e^{-|z|} \le 1$, using
    $\sigma(z) = 1/(1 + e^{-z})$ for $z \ge 0$ and $\sigma(z) = e^{z}/(1 + e^{z})$ for
    $z < 0$, so $z = \pm 1000$ gives 1 and 0 without an overflow warning.
    """
    z = as_float_array(z, "z", "sigmoid")
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r).astype(z.dtype, copy=False)


def sigmoid_grad(h, upstream):
    r"""Backpropagate through a sigmoid: $\partial L/\partial z = h (1 - h) \odot \partial L/\partial h$.

    h: the sigmoid's output $h = \sigma(z)$, any shape, because
    $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ is written through the output.
    upstream: $\partial L/\partial h$, the same shape as h.
    Returns $\partial L/\partial z$ (called delta in the lessons), the same shape.
    """
    h = as_float_array(h, "h", "sigmoid_grad")
    upstream = as_float_array(upstream, "upstream", "sigmoid_grad")
    require_same_shape(
        h, "h", upstream, "upstream", "sigmoid_grad",
        hint="upstream is dL/dh, one entry per entry of the sigmoid's output h.",
    )
    return h * (1.0 - h) * upstream


def tanh(z):
    r"""The hyperbolic tangent $\tanh(z) = \frac{e^z - e^{-z}}{e^z + e^{-z}}$, elementwise, in (-1, 1).

    z: any shape. Returns the same shape and dtype (numpy's tanh is stable for large |z|).
    """
    return np.tanh(as_float_array(z, "z", "tanh"))


def tanh_grad(h, upstream):
    r"""Backpropagate through tanh: $\partial L/\partial z = (1 - h^2) \odot \partial L/\partial h$, with $h = \tanh(z)$.

    h, upstream: the same shape. Returns that shape.
    """
    h = as_float_array(h, "h", "tanh_grad")
    upstream = as_float_array(upstream, "upstream", "tanh_grad")
    require_same_shape(h, "h", upstream, "upstream", "tanh_grad")
    return (1.0 - h * h) * upstream


def relu(z):
    r"""The rectified linear unit $\mathrm{relu}(z) = \max(z, 0)$, elementwise.

    z: any shape. Returns the same shape and dtype.
    """
    z = as_float_array(z, "z", "relu")
    return np.maximum(z, 0, dtype=z.dtype)


def relu_grad(h, upstream):
    r"""Backpropagate through ReLU: $\partial L/\partial z = [h > 0] \odot \partial L/\partial h$, with $h = \mathrm{relu}(z)$.

    The derivative at z = 0 is taken as 0 (ReLU has a kink there; this is the usual
    choice, and it agrees with the output h = 0). h, upstream: the same shape.
    """
    h = as_float_array(h, "h", "relu_grad")
    upstream = as_float_array(upstream, "upstream", "relu_grad")
    require_same_shape(h, "h", upstream, "upstream", "relu_grad")
    return upstream * (h > 0)  # bool mask: keeps upstream's dtype


def identity(z):
    r"""The identity $f(z) = z$ (no activation): use it to read off the pre-activation $z$."""
    return as_float_array(z, "z", "identity")


def identity_grad(h, upstream):
    r"""Backpropagate through the identity: $\partial L/\partial z = \partial L/\partial h$."""
    return as_float_array(upstream, "upstream", "identity_grad")


@dataclass(frozen=True)
class Activation:
    r"""An activation function beside its gradient, the one place a layer, the network, the autodiff engine,
    the plots and the widgets look them up.

    fn(z) -> h, elementwise, any shape. grad(h, upstream) -> $\partial L/\partial z$, written through the
    output h (what the forward pass stored), the same shape.
    """

    name: str
    fn: Callable
    grad: Callable

    def __call__(self, z):
        return self.fn(z)


# The registry: adding an activation is adding one entry here (see ARCHITECTURE.md).
ACTIVATIONS = {a.name: a for a in (
    Activation("sigmoid", sigmoid, sigmoid_grad),
    Activation("tanh", tanh, tanh_grad),
    Activation("relu", relu, relu_grad),
    Activation("linear", identity, identity_grad),
)}


def get_activation(activation):
    """The Activation for a registry name ("sigmoid", "tanh", "relu", "linear"; None means "linear"),
    an Activation itself, or a plain function (its gradient then unknown: backpropagating through it raises)."""
    if isinstance(activation, Activation):
        return activation
    if activation is None:
        return ACTIVATIONS["linear"]
    if callable(activation):
        return Activation(getattr(activation, "__name__", "custom"), activation, _unknown_grad)
    try:
        return ACTIVATIONS[activation]
    except (KeyError, TypeError):
        names = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"Unknown activation {activation!r}; choose one of {names}, or pass a function.") from None


def _unknown_grad(h, upstream):
    raise ValueError("This layer's activation is a plain function, so its gradient is unknown: pass "
                     "Activation(name, fn, grad) instead, or add it to nnfromscratch.activations.ACTIVATIONS.")
