"""Every gradient function against central finite differences, over random shapes and values.

Shapes are drawn with out != in, so a missing transpose cannot pass by accident.
The finite differences come from tests/oracles.py (written out there, not the package's
`numerical_gradient`), so the oracle is independent of the code under test.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnfromscratch as nn
from nnfromscratch import original

from oracles import central_diff


@st.composite
def layer(draw, batch=False):
    """A random dense layer with out != in, and a random input (one example, or a batch; batch=None draws which)."""
    if batch is None:
        batch = draw(st.booleans())
    n_in = draw(st.integers(1, 6))
    n_out = draw(st.integers(1, 6).filter(lambda k: k != n_in))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x_shape = (draw(st.integers(1, 5)), n_in) if batch else (n_in,)
    return rng.normal(size=(n_out, n_in)), rng.normal(size=n_out), rng.normal(size=x_shape), rng


@given(layer(batch=None))
def test_weight_and_hidden_grads_match_finite_differences(data):
    """For L = sum(c * sigmoid(W x + b)) with random c: dL/dW, dL/db and dL/dx by backprop vs differences."""
    W, b, x, rng = data
    out = nn.forward_prop(W, b, x)
    c = rng.normal(size=out.shape)  # L = sum(c * h) makes dL/dh = c
    loss = lambda W_, b_, x_: float(np.sum(c * nn.forward_prop(W_, b_, x_)))
    delta = nn.sigmoid_grad(out, c)
    np.testing.assert_allclose(nn.weight_grad(x, delta), central_diff(lambda v: loss(v, b, x), W), rtol=1e-5, atol=1e-8)
    db = delta.sum(axis=0) if delta.ndim == 2 else delta
    np.testing.assert_allclose(db, central_diff(lambda v: loss(W, v, x), b), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(nn.hidden_unit_grad(W, delta), central_diff(lambda v: loss(W, b, v), x),
                               rtol=1e-5, atol=1e-8)


@given(st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_output_and_sigmoid_grads_match_finite_differences(k, seed):
    rng = np.random.default_rng(seed)
    y, z = rng.uniform(0, 1, size=k), rng.normal(size=k)
    # L(z) = mse(y, sigmoid(z)): output_grad then sigmoid_grad give dL/dz
    dz = nn.sigmoid_grad(nn.sigmoid(z), nn.output_grad(y, nn.sigmoid(z)))
    np.testing.assert_allclose(dz, central_diff(lambda v: nn.mse(y, nn.sigmoid(v)), z), rtol=1e-5, atol=1e-9)
    yhat = rng.uniform(0, 1, size=k)
    np.testing.assert_allclose(nn.output_grad(y, yhat), central_diff(lambda v: nn.mse(y, v), yhat),
                               rtol=1e-6, atol=1e-9)


def test_sigmoid_derivative_by_hand():
    # sigma'(0) = 1/4; sigma'(z) = sigma(z)(1 - sigma(z))
    assert nn.sigmoid_grad(nn.sigmoid(0.0), 1.0) == pytest.approx(0.25)
    for z in (-3.0, 0.7, 2.5):
        expected = np.exp(-z) / (1 + np.exp(-z)) ** 2
        assert nn.sigmoid_grad(nn.sigmoid(z), 1.0) == pytest.approx(expected, rel=1e-12)


@given(layer())
def test_hidden_unit_grad_is_the_transpose(data):
    W, _, _, rng = data
    delta = rng.normal(size=W.shape[0])
    by_hand = [sum(W[i, j] * delta[i] for i in range(W.shape[0])) for j in range(W.shape[1])]
    np.testing.assert_allclose(nn.hidden_unit_grad(W, delta), by_hand, rtol=1e-12, atol=1e-14)


def test_original_W_at_delta_disagrees_with_finite_differences_ours_agrees():
    ex, t = nn.worked_example(), nn.trace()
    f = lambda h1: nn.mse(ex.y, nn.forward_prop(ex.W2, ex.b2, h1))
    numeric = central_diff(f, t.h1)
    np.testing.assert_allclose(nn.hidden_unit_grad(ex.W2, t.delta2), numeric, rtol=1e-7)
    wrong = original.hidden_unit_grad(ex.W2, t.delta2)
    assert np.max(np.abs(wrong - numeric) / np.abs(numeric)) > 0.05
    # the same through the package's own checker: exactly the six W1 and b1 entries are flagged
    report = nn.check_gradients(lambda p: nn.loss_of(p, ex.x, ex.y), ex.params(),
                                nn.trace(hidden_grad=original.hidden_unit_grad).grads())
    assert sorted({r.param for r in report.mismatches}) == ["W1", "b1"] and len(report.mismatches) == 6


@given(layer(batch=True))
def test_batch_equals_the_sum_of_single_examples(data):
    W, b, X, rng = data
    delta = rng.normal(size=(X.shape[0], W.shape[0]))
    np.testing.assert_allclose(nn.forward_prop(W, b, X), [nn.forward_prop(W, b, x) for x in X], rtol=1e-12)
    np.testing.assert_allclose(nn.weight_grad(X, delta), sum(nn.weight_grad(x, d) for x, d in zip(X, delta)),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(nn.hidden_unit_grad(W, delta), [nn.hidden_unit_grad(W, d) for d in delta],
                               rtol=1e-12, atol=1e-14)


@given(layer(batch=None))
def test_in_out_layout_is_the_same_layer_transposed(data):
    W, b, x, rng = data
    np.testing.assert_allclose(nn.forward_prop(W.T, b, x, layout="in_out"), nn.forward_prop(W, b, x), rtol=1e-14)
    delta = rng.normal(size=nn.forward_prop(W, b, x).shape)
    np.testing.assert_allclose(nn.weight_grad(x, delta, layout="in_out"), nn.weight_grad(x, delta).T, rtol=1e-14)
    np.testing.assert_allclose(nn.hidden_unit_grad(W.T, delta, layout="in_out"), nn.hidden_unit_grad(W, delta),
                               rtol=1e-14)


@given(st.floats(-1e6, 1e6), st.floats(0, 10), st.integers(0, 2**32 - 1))
def test_para_update_steps_against_the_gradient(p0, alpha, seed):
    g = np.random.default_rng(seed).normal(size=3)
    p = np.full(3, p0)
    np.testing.assert_allclose(nn.para_update(p, g, alpha), p - alpha * g, rtol=1e-15)


def test_float32_stays_float32():
    W, b, x = (np.ones((3, 2), np.float32), np.zeros(3, np.float32), np.ones(2, np.float32))
    h = nn.forward_prop(W, b, x)
    assert h.dtype == np.float32
    assert nn.sigmoid_grad(h, h).dtype == np.float32
    assert nn.weight_grad(x, h).dtype == np.float32
    assert nn.hidden_unit_grad(W, h).dtype == np.float32
    assert nn.para_update(W, W, 0.1).dtype == np.float32
