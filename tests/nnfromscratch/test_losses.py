"""losses.py: the squared error and its gradient, softmax and the cross-entropy, against finite differences
and values by hand, and their messages."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnfromscratch as nn
from nnfromscratch.losses import one_hot, softmax, softmax_cross_entropy, softmax_cross_entropy_grad, xent_and_grad

from oracles import central_diff


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


def test_mse_by_hand():
    assert nn.mse([0.01, 0.99], [0.75, 0.77]) == pytest.approx(0.5 * (0.74 ** 2 + 0.22 ** 2), rel=1e-15)
    assert isinstance(nn.mse(np.zeros(2), np.ones(2)), float)


@pytest.mark.parametrize("fn", [nn.mse, nn.output_grad])
def test_loss_shapes_must_match(fn):
    with pytest.raises(ValueError, match=r"y has shape \(2,\) but yhat has shape \(3,\); they must match"):
        fn(np.zeros(2), np.zeros(3))


def test_softmax_is_stable_and_sums_to_one():
    z = np.array([[1000.0, 999.0, -1000.0], [1.0, 2.0, 3.0]])
    p = softmax(z)
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1)
    np.testing.assert_allclose(p[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-12)
    np.testing.assert_allclose(p[0, :2], [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1))], rtol=1e-12)
    assert np.isfinite(softmax_cross_entropy([2, 0], z))  # log(p ~ e^-2000) never taken directly


@given(st.integers(1, 6), st.integers(2, 5), st.integers(0, 2**32 - 1))
def test_softmax_cross_entropy_grad_is_p_minus_y_over_n(n, k, seed):
    rng = np.random.default_rng(seed)
    Z, labels = rng.normal(size=(n, k)) * 3, rng.integers(0, k, size=n)
    analytic = softmax_cross_entropy_grad(labels, Z)
    np.testing.assert_allclose(analytic, (softmax(Z) - one_hot(labels, k)) / n, rtol=1e-12)
    np.testing.assert_allclose(analytic, central_diff(lambda v: softmax_cross_entropy(labels, v), Z),
                               rtol=1e-5, atol=1e-9)


def test_xent_and_grad_is_the_loss_and_its_gradient_in_one_pass():
    rng = np.random.default_rng(5)
    Z, labels = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    loss, grad = xent_and_grad(labels, Z.copy())
    assert loss == pytest.approx(softmax_cross_entropy(labels, Z), rel=1e-14)
    np.testing.assert_allclose(grad, softmax_cross_entropy_grad(labels, Z), rtol=1e-14)
    by_hand = -np.mean(np.log(np.exp(Z[np.arange(6), labels]) / np.exp(Z).sum(axis=1)))
    assert loss == pytest.approx(by_hand, rel=1e-12)


def test_labels_are_checked():
    with pytest.raises(ValueError, match=r"label 7 is out of range: the network has 3 outputs, so labels must be 0..2"):
        softmax_cross_entropy([0, 7], np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"labels must be integer class numbers 0..2, got dtype float64"):
        softmax_cross_entropy([0.5, 1.0], np.zeros((2, 3)))
    np.testing.assert_array_equal(one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
