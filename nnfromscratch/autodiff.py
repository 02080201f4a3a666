r"""A small reverse-mode automatic differentiation engine on scalars.

Each `Value` remembers the values it was computed from and the local derivative
rule of the operation that made it. `loss.backward()` visits the graph from the
loss back to the inputs (reverse topological order) and applies the chain rule,
$\bar{a} \mathrel{+}= \bar{c}\, \partial c / \partial a$ for every edge $a \to c$, where
$\bar{v} = \partial L / \partial v$ is stored in `v.grad`.

Gradients *accumulate* (+=): a value used twice receives both contributions, and
calling `backward()` twice without `zero_grad()` doubles the gradients of the leaves
(the parameters and inputs), as in PyTorch.
"""

import math

from .activations import get_activation


class Value:
    """A scalar in a computation graph: `data`, `grad` (dL/d this, after backward), and how it was made."""

    __slots__ = ("data", "grad", "_parents", "_backward", "op", "label")

    def __init__(self, data, parents=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._parents = tuple(parents)
        self._backward = lambda: None
        self.op, self.label = op, label

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.8f}, grad={self.grad:.8f})"

    # --- operations: each sets the local chain-rule step of its output ----------------------------------------
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def backward():  # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def backward():  # d(a b)/da = b, d(a b)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = backward
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError("Value ** Value is not supported; use a number as the exponent.")
        if self.data == 0 and exponent < 0:
            raise ZeroDivisionError(f"0 ** {exponent:g}: division by zero (a Value divided by 0?).")
        if self.data < 0 and exponent != int(exponent):
            raise ValueError(f"{self.data:g} ** {exponent:g} is not a real number.")
        out = Value(self.data ** exponent, (self,), f"**{exponent:g}")

        def backward():  # d(a^k)/da = k a^(k-1); for k = 0 the derivative is 0
            if exponent != 0:
                self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def backward():  # d e^a / da = e^a
            self.grad += out.data * out.grad
        out._backward = backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def backward():  # d log a / da = 1/a
            self.grad += out.grad / self.data
        out._backward = backward
        return out

    def activate(self, activation):
        """An activation of the registry (`activations.ACTIVATIONS`), its forward and its gradient the package's."""
        act = get_activation(activation)
        out = Value(float(act.fn(self.data)), (self,), act.name)

        def backward():  # the registry's gradient, written through the output h: e.g. h (1 - h) upstream
            self.grad += float(act.grad(out.data, out.grad))
        out._backward = backward
        return out

    def sigmoid(self):
        return self.activate("sigmoid")

    def tanh(self):
        return self.activate("tanh")

    def relu(self):
        return self.activate("relu")

    # --- the rest, built from the above --------------------------------------------------------------------------
    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self * other ** -1

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other):
        return Value(other) - self

    def __rtruediv__(self, other):
        return Value(other) / self

    # --- the backward pass ---------------------------------------------------------------------------------------
    def topological_order(self):
        """Every value this one depends on, each after all of its parents (inputs first, self last)."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # iterative depth-first search: no recursion limit on long graphs
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node._parents if id(p) not in seen)
        return order

    def backward(self):
        """Set dL/dv for every v in the graph (L = self).

        As in PyTorch, the leaves (inputs and parameters: values made by no operation)
        *accumulate*: their grad is added to, so a second backward without `zero_grad()`
        doubles them. The intermediate values' grads are recomputed from 0 on every pass.
        """
        order = self.topological_order()
        for node in order:
            if node._parents:
                node.grad = 0.0
        self.grad = 1.0  # dL/dL
        for node in reversed(order):
            node._backward()

    def zero_grad(self):
        """Reset the gradient of every value in this graph to 0 (do it before a second backward)."""
        for node in self.topological_order():
            node.grad = 0.0


def values(array, label=""):
    """Values with the shape of a 1-D or 2-D array, as (nested) lists, labelled like W1[0,1]."""
    import numpy as np

    array = np.asarray(array, dtype=float)
    if array.ndim == 1:
        return [Value(a, label=f"{label}[{i}]") for i, a in enumerate(array)]
    if array.ndim == 2:
        return [[Value(a, label=f"{label}[{i},{j}]") for j, a in enumerate(row)] for i, row in enumerate(array)]
    raise ValueError(f"values: expected a 1-D or 2-D array, got shape {array.shape}.")


def grads(nested):
    """The gradients of a nested list of Values, as a numpy array of the same shape."""
    import numpy as np

    if isinstance(nested, Value):
        return np.array(nested.grad)
    return np.array([[v.grad for v in row] if isinstance(row, list) else row.grad for row in nested])


def dense(W, b, x, activation="sigmoid"):
    """One layer on Values: h_i = f(sum_j W[i][j] x_j + b_i), W a nested list (out, in), b and x lists."""
    outs = []
    for row, bias in zip(W, b):
        z = bias
        for w, xj in zip(row, x):
            z = z + w * xj
        outs.append(z.activate(activation))
    return outs


def worked_example_graph(example=None):
    """The 2-2-2 worked example as a graph of Values: returns (loss, params) with params[name] nested Values."""
    from .example import worked_example

    ex = worked_example() if example is None else example
    params = {name: values(getattr(ex, name), name) for name in ("W1", "b1", "W2", "b2")}
    x = [Value(v, label=f"x[{i}]") for i, v in enumerate(ex.x)]
    h1 = dense(params["W1"], params["b1"], x)
    y_hat = dense(params["W2"], params["b2"], h1)
    loss = sum(((yh - t) ** 2 for yh, t in zip(y_hat, ex.y)), Value(0.0)) * 0.5
    loss.label = "L"
    return loss, params
