"""layers.py, the one dense layer: every gradient against central finite differences over random shapes and
values, batches and layouts, the dense layer with a cache, and the messages for bad shapes.

Shapes are drawn with out != in, so a missing transpose cannot pass by accident.
The finite differences come from tests/oracles.py (written out there, not the package's
`numerical_gradient`), so the oracle is independent of the code under test.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnfromscratch as nn
from nnfromscratch.layers import dense_backward, dense_forward

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


@given(layer())
def test_hidden_unit_grad_is_the_transpose(data):
    W, _, _, rng = data
    delta = rng.normal(size=W.shape[0])
    by_hand = [sum(W[i, j] * delta[i] for i in range(W.shape[0])) for j in range(W.shape[1])]
    np.testing.assert_allclose(nn.hidden_unit_grad(W, delta), by_hand, rtol=1e-12, atol=1e-14)


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


def test_float32_stays_float32():
    W, b, x = (np.ones((3, 2), np.float32), np.zeros(3, np.float32), np.ones(2, np.float32))
    h = nn.forward_prop(W, b, x)
    assert h.dtype == np.float32
    assert nn.sigmoid_grad(h, h).dtype == np.float32
    assert nn.weight_grad(x, h).dtype == np.float32
    assert nn.hidden_unit_grad(W, h).dtype == np.float32
    assert nn.para_update(W, W, 0.1).dtype == np.float32


def test_dense_backward_matches_part_one_functions():
    rng = np.random.default_rng(3)
    W, b, X, dH = rng.normal(size=(3, 5)), rng.normal(size=3), rng.normal(size=(4, 5)), rng.normal(size=(4, 3))
    H, cache = dense_forward(W, b, X, "sigmoid")
    np.testing.assert_allclose(H, nn.forward_prop(W, b, X), rtol=1e-14)
    dX, dW, db = dense_backward(dH, cache)
    delta = nn.sigmoid_grad(H, dH)
    np.testing.assert_allclose(dW, nn.weight_grad(X, delta), rtol=1e-14)
    np.testing.assert_allclose(dX, nn.hidden_unit_grad(W, delta), rtol=1e-14)


def test_dense_backward_skips_dX_only_when_asked():
    rng = np.random.default_rng(4)
    W, b, X, dH = rng.normal(size=(2, 3)), rng.normal(size=2), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    _, cache = dense_forward(W, b, X, "tanh")
    dX, dW, db = dense_backward(dH, cache)
    none, dW2, db2 = dense_backward(dH, cache, need_dX=False)
    assert dX.shape == X.shape and none is None
    np.testing.assert_array_equal(dW, dW2)
    np.testing.assert_array_equal(db, db2)


# --- bad input gets a clear message ----------------------------------------------------------------------------

def raises(match, fn, *args, **kwargs):
    with pytest.raises(ValueError, match=match) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_forward_prop_names_shapes_and_suggests_the_transpose():
    W2 = np.random.default_rng(1).normal(size=(2, 3))
    msg = raises(r"W has shape \(2, 3\) \(out, in\) but x has 2 entries; expected 3", nn.forward_prop,
                 W2, np.zeros(2), np.zeros(2))
    assert "Did you mean W.T?" in msg


def test_forward_prop_batch_given_transposed():
    msg = raises(r"the batch X has shape \(2, 5\)", nn.forward_prop, np.ones((4, 2)), np.zeros(4), np.ones((2, 5)))
    assert "Did you mean X.T?" in msg


def test_forward_prop_bias_shape():
    raises(r"b must have shape \(3,\), one bias per output unit, but b has shape \(2,\)",
           nn.forward_prop, np.ones((3, 2)), np.zeros(2), np.zeros(2))


def test_forward_prop_weights_must_be_a_matrix_and_activation_known():
    raises(r"W must be a 2-D weight matrix of shape \(out, in\), but has shape \(4,\)",
           nn.forward_prop, np.ones(4), np.zeros(4), np.zeros(4))
    raises(r"Unknown activation 'swish'", nn.forward_prop, np.ones((2, 2)), np.zeros(2), np.zeros(2), "swish")


def test_hidden_unit_grad_names_shapes():
    msg = raises(r"W has shape \(3, 2\) \(out, in\) but delta has 2 entries per example \(shape \(2,\)\); "
                 r"expected 3", nn.hidden_unit_grad, np.ones((3, 2)), np.ones(2))
    assert "Did you pass W.T" in msg


def test_weight_grad_names_shapes():
    raises(r"x_in has 3 examples \(shape \(3, 2\)\) but delta has 4", nn.weight_grad, np.ones((3, 2)), np.ones((4, 5)))
    raises(r"pass both for one example", nn.weight_grad, np.ones(2), np.ones((4, 5)))
