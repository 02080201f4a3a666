"""activations.py: each activation and its gradient by hand and against finite differences, the registry
used everywhere an activation is named (layers, network, autodiff), the sigmoid's numerics and messages."""

import warnings

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import autodiff as ad
from nnfromscratch.activations import ACTIVATIONS, Activation, get_activation, relu, relu_grad
from nnfromscratch.layers import dense_backward, dense_forward
from nnfromscratch.network import Network

from oracles import central_diff

REGISTRY = sorted(ACTIVATIONS)
# points away from relu's kink at 0, where it has no derivative for finite differences to find
Z = np.array([[-2.0, -0.3, 0.4], [1.7, 3.0, -1.1]])


@pytest.mark.parametrize("name,f,fprime", [
    ("sigmoid", nn.sigmoid, lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    ("tanh", np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    ("relu", lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    ("linear", lambda z: z, lambda z: np.ones_like(z)),
])
def test_activation_grads_by_hand(name, f, fprime):
    z = np.array([-2.0, -0.3, 0.4, 1.7, 3.0])
    activation = ACTIVATIONS[name]
    np.testing.assert_allclose(activation.fn(z), f(z), rtol=1e-12)
    np.testing.assert_allclose(activation.grad(activation.fn(z), np.ones(5)), fprime(z), rtol=1e-10)


@pytest.mark.parametrize("name", REGISTRY)
def test_every_gradient_through_the_output_matches_finite_differences(name):
    """grad(h, upstream) = dL/dz for L = sum(c * f(z)), written through the output h = f(z)."""
    activation = ACTIVATIONS[name]
    c = np.random.default_rng(0).normal(size=Z.shape)
    numeric = central_diff(lambda v: float(np.sum(c * activation.fn(v))), Z)
    np.testing.assert_allclose(activation.grad(activation.fn(Z), c), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", REGISTRY)
def test_every_entry_works_in_forward_prop_and_the_dense_layer(name):
    activation = ACTIVATIONS[name]
    rng = np.random.default_rng(1)
    W, b, X, dH = rng.normal(size=(3, 4)), rng.normal(size=3), rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    np.testing.assert_allclose(nn.forward_prop(W, b, X, name), activation.fn(X @ W.T + b), rtol=1e-14)
    H, cache = dense_forward(W, b, X, name)
    np.testing.assert_array_equal(H, nn.forward_prop(W, b, X, name))
    dX, dW, db = dense_backward(dH, cache)

    def loss(W_, b_, X_):
        return float(np.sum(dH * nn.forward_prop(W_, b_, X_, name)))  # dL/dH = dH
    np.testing.assert_allclose(dW, central_diff(lambda v: loss(v, b, X), W), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(db, central_diff(lambda v: loss(W, v, X), b), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dX, central_diff(lambda v: loss(W, b, v), X), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", REGISTRY)
def test_every_entry_builds_a_network_that_trains(name):
    rng = np.random.default_rng(2)
    X, labels = rng.normal(size=(40, 3)), rng.integers(0, 2, size=40)
    net = Network([3, 6, 2], activation=name, init="lecun", seed=0)
    assert net.activation == name
    history = net.fit(X, labels, epochs=20, learning_rate=0.2, batch_size=40)
    assert history.loss[-1] < history.loss[0]


@pytest.mark.parametrize("name", REGISTRY)
def test_every_entry_is_a_value_activation_with_the_registrys_gradient(name):
    activation = ACTIVATIONS[name]
    for z in (-1.3, 0.4, 2.2):
        v = ad.Value(z)
        out = v.activate(name)
        out.backward()
        h = activation.fn(np.array(z))
        assert out.data == pytest.approx(float(h), rel=1e-15)
        assert v.grad == pytest.approx(float(activation.grad(h, np.array(1.0))), rel=1e-15)
        assert v.grad == pytest.approx(float(central_diff(lambda u: float(activation.fn(u)), np.array(z))),
                                       rel=1e-6, abs=1e-9)


def test_get_activation_accepts_names_none_objects_and_functions():
    assert get_activation("tanh") is ACTIVATIONS["tanh"]
    assert get_activation(None) is ACTIVATIONS["linear"]
    assert get_activation(ACTIVATIONS["relu"]) is ACTIVATIONS["relu"]
    custom = get_activation(np.square)
    assert isinstance(custom, Activation) and custom.name == "square"
    np.testing.assert_array_equal(custom(np.array([2.0])), [4.0])
    with pytest.raises(ValueError, match=r"its gradient is unknown: pass Activation\(name, fn, grad\)"):
        custom.grad(np.ones(1), np.ones(1))
    with pytest.raises(ValueError, match=r"Unknown activation 'swish'; choose one of 'sigmoid', .*'linear'.*, or "
                                         r"pass a function"):
        get_activation("swish")


def test_relu_derivative_at_zero_is_zero():
    assert relu_grad(relu(np.array([0.0])), np.array([5.0]))[0] == 0.0


def test_sigmoid_derivative_by_hand():
    # sigma'(0) = 1/4; sigma'(z) = sigma(z)(1 - sigma(z))
    assert nn.sigmoid_grad(nn.sigmoid(0.0), 1.0) == pytest.approx(0.25)
    for z in (-3.0, 0.7, 2.5):
        expected = np.exp(-z) / (1 + np.exp(-z)) ** 2
        assert nn.sigmoid_grad(nn.sigmoid(z), 1.0) == pytest.approx(expected, rel=1e-12)


def test_sigmoid_grad_shapes_and_transposes():
    with pytest.raises(ValueError, match=r"h has shape \(2, 3\) but upstream has shape \(3, 2\).*did you mean "
                                         r"upstream.T\?"):
        nn.sigmoid_grad(np.ones((2, 3)), np.ones((3, 2)))


def test_sigmoid_is_finite_and_silent_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = nn.sigmoid(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
        out32 = nn.sigmoid(np.array([-1000.0, 1000.0], dtype=np.float32))
    assert np.all(np.isfinite(out)) and out[0] == 0.0 and out[-1] == 1.0 and out[2] == 0.5
    assert out32.dtype == np.float32 and out32.tolist() == [0.0, 1.0]
    np.testing.assert_allclose(nn.sigmoid(-50.0), np.exp(-50.0), rtol=1e-12)  # tiny, not rounded to 0


@pytest.mark.parametrize("name", REGISTRY)
def test_float32_stays_float32(name):
    z = np.linspace(-2, 2, 5, dtype=np.float32)
    h = ACTIVATIONS[name].fn(z)
    assert h.dtype == np.float32 and ACTIVATIONS[name].grad(h, z).dtype == np.float32
