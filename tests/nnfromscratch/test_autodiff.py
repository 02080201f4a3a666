"""The autodiff engine against finite differences, manual backpropagation and the Part II network."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnfromscratch as nn
from nnfromscratch import autodiff as ad
from nnfromscratch.network import Network

UNARY = {"exp": (math.exp, "exp"), "tanh": (math.tanh, "tanh"), "sigmoid": (lambda a: 1 / (1 + math.exp(-a)), "sigmoid"),
         "square": (lambda a: a * a, None), "log1p2": (lambda a: math.log(1 + a * a), None)}
BINARY = ("+", "-", "*", "/")


@st.composite
def expressions(draw, depth=0):
    """A random expression tree over the variables x0, x1, x2, as nested tuples."""
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        return ("var", draw(st.integers(0, 2)))
    if draw(st.booleans()):
        return (draw(st.sampled_from(sorted(UNARY))), draw(expressions(depth + 1)))
    return (draw(st.sampled_from(BINARY)), draw(expressions(depth + 1)), draw(expressions(depth + 1)))


def evaluate(tree, xs):
    """Evaluate on floats (for finite differences) or on Values (for autodiff)."""
    op = tree[0]
    if op == "var":
        return xs[tree[1]]
    if op in UNARY:
        a = evaluate(tree[1], xs)
        if isinstance(a, ad.Value):
            method = UNARY[op][1]
            return getattr(a, method)() if method else (a * a if op == "square" else (1 + a * a).log())
        return UNARY[op][0](a)
    a, b = evaluate(tree[1], xs), evaluate(tree[2], xs)
    if op == "/":
        b = b * b + 1.0 if not isinstance(b, ad.Value) else b * b + 1.0  # keep denominators away from 0
        return a / b
    return {"+": a + b, "-": a - b, "*": a * b}[op]


@given(expressions(), st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_random_expressions_match_finite_differences(tree, point):
    xs = [ad.Value(v) for v in point]
    out = evaluate(tree, xs)
    if not isinstance(out, ad.Value):
        return
    out.backward()
    eps = 1e-6
    for i in range(3):
        up, down = list(point), list(point)
        up[i] += eps
        down[i] -= eps
        numeric = (evaluate(tree, up) - evaluate(tree, down)) / (2 * eps)
        assert xs[i].grad == pytest.approx(numeric, rel=1e-5, abs=1e-7), tree


def test_worked_example_three_ways():
    loss, params = ad.worked_example_graph()
    loss.backward()
    t, ex = nn.trace(), nn.worked_example()
    assert loss.data == pytest.approx(t.loss, rel=1e-15)
    for name in ("W1", "b1", "W2", "b2"):
        numeric = nn.numerical_gradient(lambda v: nn.loss_of({**ex.params(), name: v}, ex.x, ex.y), getattr(ex, name))
        np.testing.assert_allclose(ad.grads(params[name]), t.grads()[name], rtol=1e-12, atol=1e-17)
        np.testing.assert_allclose(ad.grads(params[name]), numeric, rtol=1e-6, atol=1e-12)


def test_backward_twice_accumulates_until_zero_grad():
    loss, params = ad.worked_example_graph()
    loss.backward()
    once = ad.grads(params["W1"])
    loss.backward()
    np.testing.assert_allclose(ad.grads(params["W1"]), 2 * once, rtol=1e-14)
    loss.zero_grad()
    loss.backward()
    np.testing.assert_allclose(ad.grads(params["W1"]), once, rtol=1e-14)


@pytest.mark.parametrize("sizes,activation", [([3, 4, 2], "tanh"), ([2, 3, 3, 3], "relu"), ([4, 2, 2], "sigmoid")])
def test_part_two_network_rebuilt_on_the_engine_gives_the_same_gradients(sizes, activation):
    rng = np.random.default_rng(1)
    net = Network(sizes, activation=activation, init="lecun", seed=2)
    X, labels = rng.normal(size=(3, sizes[0])), rng.integers(0, sizes[-1], size=3)
    loss_manual, grads = net.gradients(X, labels)
    layers = [(ad.values(W, f"W{i}"), ad.values(b, f"b{i}")) for i, (W, b) in enumerate(net.params, 1)]
    total = ad.Value(0.0)
    for x, label in zip(X, labels):
        h = [ad.Value(v) for v in x]
        for i, (W, b) in enumerate(layers):
            h = ad.dense(W, b, h, activation if i < len(layers) - 1 else "linear")
        m = max(v.data for v in h)  # stable log-sum-exp, as in the package
        log_sum = sum(((v - m).exp() for v in h), ad.Value(0.0)).log()
        total = total + (log_sum - (h[label] - m))
    loss = total / len(X)
    loss.backward()
    assert loss.data == pytest.approx(loss_manual, rel=1e-12)
    for (W, b), (dW, db) in zip(layers, grads):
        np.testing.assert_allclose(ad.grads(W), dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(ad.grads(b), db, rtol=1e-10, atol=1e-14)


def test_values_and_graph_size():
    loss, _ = ad.worked_example_graph()
    assert len(loss.topological_order()) > 30
    with pytest.raises(ValueError, match="1-D or 2-D"):
        ad.values(np.zeros((2, 2, 2)))
    with pytest.raises(TypeError, match="exponent"):
        ad.Value(2.0) ** ad.Value(3.0)


def test_power_edge_cases():
    x = ad.Value(0.0)
    y = x ** 0
    y.backward()
    assert y.data == 1.0 and x.grad == 0.0
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        ad.Value(1.0) / ad.Value(0.0)
    with pytest.raises(ValueError, match="not a real number"):
        ad.Value(-1.0) ** 0.5
