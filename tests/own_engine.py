"""An autodiff engine written the way a learner of lesson 13 might, independently of the package's: the
correct answers that the exercise checks must pass (tests/test_checks.py's own versions).

It differs from `nnfromscratch.autodiff` on purpose: the parents are kept in a set (as micrograd does), the
topological order comes from an iterative search with an explicit stack, tanh is computed with numpy.
"""

import numpy as np


class Value:
    def __init__(self, data, parents=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._parents = set(parents)
        self._backward = lambda: None
        self.op, self.label = op, label

    def __add__(self, other):
        return value_add(self, other)

    def __mul__(self, other):
        return value_mul(self, other)


def value_add(self, other):
    if not isinstance(other, Value):
        other = Value(other)
    result = Value(self.data + other.data, [self, other], "+")

    def _backward():
        for node in (self, other):  # a + a: both turns add to the same node
            node.grad += result.grad
    result._backward = _backward
    return result


def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    result = Value(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad = self.grad + other.data * result.grad
        other.grad = other.grad + self.data * result.grad
    result._backward = _backward
    return result


def value_tanh(self):
    t = np.tanh(self.data)
    result = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t * t) * result.grad
    result._backward = _backward
    return result


def topological_order(root):
    order, done, stack = [], set(), [(root, iter(root._parents))]
    done.add(root)
    while stack:
        node, parents = stack[-1]
        parent = next(parents, None)
        if parent is None:
            stack.pop()
            order.append(node)
        elif parent not in done:
            done.add(parent)
            stack.append((parent, iter(parent._parents)))
    return order


def backward(root):
    order = topological_order(root)
    root.grad = 1
    for node in order[::-1]:
        node._backward()
