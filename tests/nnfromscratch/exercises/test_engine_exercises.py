"""Lesson 13's engine exercises, checked through probes on the learner's own Value class: unusual but correct
engines pass, unnamed wrong answers get a message that names the wrong quantity. (Every catalogued engine bug is
named with its hint by tests/test_checks.py, against tests/own_engine.py.)"""

import math

import numpy as np
import pytest

import own_engine
from nnfromscratch import data
from nnfromscratch.checks import EXERCISES, evaluate

ENGINE = ("value_add", "value_mul", "value_tanh", "topological_order", "backward")


class Value:
    """The starter class of lesson 13, as the learner receives it (attributes data, grad, _parents, _backward)."""

    def __init__(self, data, parents=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._parents = tuple(parents)
        self._backward = lambda: None
        self.op, self.label = op, label


# --- unusual correct answers -----------------------------------------------------------------------------------

def add_with_list_parents(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, [self, other], "+")

    def grad_step():
        self.grad = self.grad + 1.0 * out.grad
        other.grad = other.grad + 1.0 * out.grad
    out._backward = grad_step
    return out


def mul_via_locals(self, other):
    if not isinstance(other, Value):
        other = Value(other)
    a, b = self, other
    out = Value(a.data * b.data, (a, b))
    local = {0: b.data, 1: a.data}

    def _backward():
        for i, node in enumerate((a, b)):
            node.grad += local[i] * out.grad
    out._backward = _backward
    return out


def tanh_from_exp(self):
    """tanh from an exponential that cannot overflow: exp(-2|z|) <= 1 (exp(2z) itself overflows for z > 355)."""
    e = math.exp(-2 * abs(self.data))
    out = Value(math.copysign((1 - e) / (1 + e), self.data), (self,), "tanh")

    def _backward():
        self.grad += out.grad * (1 - out.data) * (1 + out.data)
    out._backward = _backward
    return out


def kahn_order(root):
    """Kahn's algorithm from the root: a valid order that depth-first search does not give."""
    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        if not any(node is n for n in nodes):
            nodes.append(node)
            stack.extend(node._parents)
    consumers = {id(n): 0 for n in nodes}
    for n in nodes:
        for p in set(map(id, n._parents)):
            consumers[p] += 1
    ready, reverse = [root], []
    while ready:
        node = ready.pop(0)
        reverse.append(node)
        for p in {id(p): p for p in node._parents}.values():
            consumers[id(p)] -= 1
            if consumers[id(p)] == 0:
                ready.append(p)
    return reverse[::-1]


def backward_with_reset(root):
    order = kahn_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()


@pytest.mark.parametrize("name,fn", [("value_add", add_with_list_parents), ("value_mul", mul_via_locals),
                                     ("value_tanh", tanh_from_exp), ("topological_order", kahn_order),
                                     ("backward", backward_with_reset)], ids=lambda v: getattr(v, "__name__", v))
def test_unusual_correct_answers_pass(name, fn):
    result = evaluate(name, fn)
    assert result.passed, result.message


@pytest.mark.parametrize("name", ENGINE)
def test_the_learners_stub_says_not_written_yet(name):
    def stub(*args):
        raise NotImplementedError()
    assert "not written yet" in evaluate(name, stub).message


@pytest.mark.parametrize("name", ENGINE)
def test_the_package_engine_is_refused_as_the_answer(name):
    assert "package's own reference" in evaluate(name, EXERCISES[name].reference).message


def test_an_unnamed_wrong_answer_names_the_quantity_that_is_wrong():
    def mul_twice_the_other(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += 2 * other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out
    message = evaluate("value_mul", mul_twice_the_other).message
    assert "self.grad: entry [0] is" in message and "but should be" in message

    def order_without_root(root):
        return own_engine.topological_order(root)[:-1]
    message = evaluate("topological_order", order_without_root).message
    assert "number of entries" in message


def _depends(parents, root):
    reached = set()
    stack = [root]
    while stack:
        i = stack.pop()
        if i not in reached:
            reached.add(i)
            stack.extend(int(j) for j in parents[i] if j >= 0)
    return reached


def test_graph_cases_fixed_ones_and_fresh_random_ones_with_nodes_beside_the_root():
    """Three graphs the same on every seed, then random ones drawn from the seed (the grader's hidden graphs are
    new on every run): parents before children, `depends` exactly the nodes the root depends on, and in the random
    ones nodes the root does not depend on, an operation used twice among those it does, the root seldom last."""
    first, other = [EXERCISES["topological_order"].cases(np.random.default_rng(seed)) for seed in (0, 9)]
    for a, b in zip(first[:3], other[:3]):
        for x, y in zip(a.args, b.args):
            np.testing.assert_array_equal(x, y)
    assert not np.array_equal(first[3].args[0], other[3].args[0])
    roots_last = 0
    for seed in range(30):
        for case in EXERCISES["topological_order"].cases(np.random.default_rng(seed)):
            parents, root, depends = case.args
            assert all(j < i for i, row in enumerate(parents) for j in row)
            assert set(np.flatnonzero(depends)) == _depends(parents, root)
            if "random" in case.label:
                assert len(parents) - depends.sum() >= 2 and depends.sum() >= 5
                uses = [sum(list(parents[i]).count(p) for i in np.flatnonzero(depends)) for p in range(len(parents))]
                assert any(uses[p] >= 2 and parents[p][0] >= 0 for p in np.flatnonzero(depends))
                roots_last += root == len(parents) - 1
    assert roots_last < 30
    for a, b in zip(EXERCISES["topological_order"].cases(np.random.default_rng(4)),
                    EXERCISES["backward"].cases(np.random.default_rng(4))):
        np.testing.assert_array_equal(a.args[0], b.args[0])
        assert a.args[1] == b.args[1]
        start = b.args[3]
        assert np.all((start == 0) == (a.args[2] == 1))  # only the nodes beside the root hold a gradient already


CREATED = []


class RecordingValue(Value):
    """A Value that records every instance made, in the order they were made."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CREATED.append(self)


def test_the_values_in_the_order_they_were_made_are_not_a_topological_order():
    """Every Value made for the graph, in the order they were made, is an order of the whole graph, parents first:
    the nodes beside the root give it away (the red team's creation-order answer, in process)."""
    namespace = {"Value": RecordingValue, "CREATED": CREATED, "SEEN": {}}
    exec("def topological_order(root):\n"  # every Value made since the last new root, as the red team wrote it
         "    if id(root) not in SEEN:\n"
         "        SEEN[id(root)] = (root, list(CREATED))\n"
         "        CREATED.clear()\n"
         "    return list(SEEN[id(root)][1])\n"
         "def backward(root):\n"
         "    root.grad = 1.0\n"
         "    for node in reversed(topological_order(root)):\n"
         "        node._backward()\n", namespace)
    for name in ("topological_order", "backward"):
        CREATED.clear()
        namespace["SEEN"].clear()
        message = evaluate(name, namespace[name]).message
        assert message.startswith("❌") and "random graph" in message, message
    CREATED.clear()
    namespace["SEEN"].clear()
    assert "entries that the root does not depend on" in evaluate("topological_order",
                                                                  namespace["topological_order"]).message


# --- the lesson's network of Values, checked against numpy and backpropagation by hand --------------------------

def test_the_lessons_network_of_values_trains_like_numpy_backpropagation():
    """Lesson 13 trains a 2-6-1 tanh network on 40 moons with its engine: the same run in numpy, with gradients
    derived by hand, gives the losses and the accuracy the lesson prints."""
    X, labels = data.make_moons(40, noise=0.1, seed=0)
    t = 2.0 * labels - 1
    rng = np.random.default_rng(0)
    W1, b1 = rng.normal(0, 1 / np.sqrt(2), (6, 2)), np.zeros(6)
    W2, b2 = rng.normal(0, 1 / np.sqrt(6), 6), 0.0
    losses = []
    for _ in range(50):
        H = np.tanh(X @ W1.T + b1)                  # (40, 6)
        y = np.tanh(H @ W2 + b2)                    # (40,)
        losses.append(np.mean((y - t) ** 2))
        dz2 = 2 * (y - t) / len(X) * (1 - y ** 2)   # dL/d(output pre-activation)
        dZ1 = np.outer(dz2, W2) * (1 - H ** 2)
        W2, b2 = W2 - 0.7 * (H.T @ dz2), b2 - 0.7 * dz2.sum()
        W1, b1 = W1 - 0.7 * (dZ1.T @ X), b1 - 0.7 * dZ1.sum(axis=0)
    correct = int(np.sum((np.tanh(np.tanh(X @ W1.T + b1) @ W2 + b2) > 0) == (t > 0)))
    assert " ".join(f"{losses[i]:.4f}" for i in (0, 10, 20, 30, 40, 49)) == "0.9604 0.2739 0.2431 0.2034 0.1553 0.1162"
    assert correct == 39



def test_a_function_written_without_the_class_says_so():
    namespace = {}
    exec("def value_add(self, other):\n    return self", namespace)  # a namespace with no class Value
    message = evaluate("value_add", namespace["value_add"]).message
    assert "the class is not defined where this function was written" in message
