"""Part II: activations, softmax cross-entropy and networks of any depth against finite differences."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnfromscratch as nn
from nnfromscratch import data
from nnfromscratch.losses import one_hot, softmax, softmax_cross_entropy, softmax_cross_entropy_grad
from nnfromscratch import Network, TrainingDiverged, dense_backward, dense_forward

from oracles import central_diff


@pytest.mark.parametrize("name,f,fprime", [
    ("sigmoid", nn.sigmoid, lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    ("tanh", np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    ("relu", lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    ("linear", lambda z: z, lambda z: np.ones_like(z)),
])
def test_activation_grads_by_hand(name, f, fprime):
    from nnfromscratch.activations import ACTIVATIONS

    z = np.array([-2.0, -0.3, 0.4, 1.7, 3.0])
    activation = ACTIVATIONS[name]
    np.testing.assert_allclose(activation.fn(z), f(z), rtol=1e-12)
    np.testing.assert_allclose(activation.grad(activation.fn(z), np.ones(5)), fprime(z), rtol=1e-10)


def test_relu_derivative_at_zero_is_zero():
    from nnfromscratch.activations import relu, relu_grad

    assert relu_grad(relu(np.array([0.0])), np.array([5.0]))[0] == 0.0


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


@st.composite
def architectures(draw):
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 5)) for _ in range(depth + 1)] + [draw(st.integers(2, 4))]
    return sizes, draw(st.sampled_from(["sigmoid", "tanh", "relu"])), draw(st.integers(0, 2**32 - 1))


@given(architectures())
def test_network_gradients_match_finite_differences(arch):
    sizes, activation, seed = arch
    rng = np.random.default_rng(seed)
    net = Network(sizes, activation=activation, init="lecun", seed=seed)
    for W, b in net.params:  # non-zero biases, so they matter
        b += rng.normal(size=b.shape) * 0.1
    X, labels = rng.normal(size=(4, sizes[0])), rng.integers(0, sizes[-1], size=4)
    _, grads = net.gradients(X, labels)
    for layer, (W, b) in enumerate(net.params):
        for which, param in ((0, W), (1, b)):
            original = param.copy()

            def f(v):
                param[...] = v
                loss = net.loss(X, labels)
                param[...] = original
                return loss
            np.testing.assert_allclose(grads[layer][which], central_diff(f, original), rtol=1e-4, atol=1e-7,
                                       err_msg=f"layer {layer} {'Wb'[which]} of {sizes} {activation}")


def test_dense_backward_matches_part_one_functions():
    rng = np.random.default_rng(3)
    W, b, X, dH = rng.normal(size=(3, 5)), rng.normal(size=3), rng.normal(size=(4, 5)), rng.normal(size=(4, 3))
    H, cache = dense_forward(W, b, X, "sigmoid")
    np.testing.assert_allclose(H, nn.forward_prop(W, b, X), rtol=1e-14)
    dX, dW, db = dense_backward(dH, cache)
    delta = nn.sigmoid_grad(H, dH)
    np.testing.assert_allclose(dW, nn.weight_grad(X, delta), rtol=1e-14)
    np.testing.assert_allclose(dX, nn.hidden_unit_grad(W, delta), rtol=1e-14)


def test_float32_trains_in_float32():
    X, labels = data.make_xor(64)
    X = X.astype(np.float32)
    net = Network([2, 8, 2], dtype=np.float32)
    logits, _ = net.forward(X)
    loss, grads = net.gradients(X, labels)
    assert logits.dtype == np.float32 and all(g.dtype == np.float32 for pair in grads for g in pair)
    net.fit(X, labels, epochs=2)
    assert all(p.dtype == np.float32 for pair in net.params for p in pair)
    with pytest.raises(ValueError, match=r"X is float64 but the network's parameters are float32.*nothing is "
                                         r"converted silently"):
        net.forward(X.astype(np.float64))


def test_bad_input_messages():
    net = Network([4, 3, 2])
    with pytest.raises(ValueError, match=r"X must have shape \(n, 4\).*has shape \(5, 3\) \(3 features per row\)"):
        net.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"Did you mean X.T\?"):
        net.forward(np.zeros((4, 7)))
    with pytest.raises(ValueError, match=r"label 7 is out of range: the network has 2 outputs, so labels must be 0..1"):
        net.fit(np.zeros((3, 4)), [0, 1, 7])
    with pytest.raises(TrainingDiverged, match=r"learning_rate=1e\+30 is too large"):
        X, labels = data.make_spirals(100, classes=2)
        Network([4, 16, 2], seed=1).fit(np.column_stack([X, X]) * 100, labels, epochs=3, learning_rate=1e30)


def test_zero_init_never_breaks_symmetry():
    X, labels = data.make_moons(100)
    net = Network([2, 6, 2], activation="tanh", init="zeros")
    net.fit(X, labels, epochs=20, learning_rate=0.5)
    W1 = net.params[0][0]
    assert np.allclose(W1, W1[0])  # every hidden unit learned the same weights


def test_digits_reach_97_percent():
    X, labels = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32 and set(labels) == set(range(10))
    Xtr, ytr, Xva, yva, Xte, yte = data.train_val_test_split(X, labels, seed=0)
    net = Network([64, 64, 10], seed=0, dtype=np.float32)
    net.fit(Xtr, ytr, epochs=30, learning_rate=0.2, batch_size=16, validation=(Xva, yva))
    assert net.accuracy(Xte, yte) >= 0.97


def test_mnist_loader_offline_on_tiny_files(tmp_path):
    import gzip
    import hashlib
    import struct

    rng = np.random.default_rng(0)
    images, labels = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8), np.arange(5, dtype=np.uint8)
    src = tmp_path / "server"
    src.mkdir()
    files = {}
    for key, name, array, magic in [("train_images", "ti.gz", images, 0x0803), ("train_labels", "tl.gz", labels, 0x0801),
                                    ("test_images", "si.gz", images[:2], 0x0803), ("test_labels", "sl.gz", labels[:2], 0x0801)]:
        header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
        (src / name).write_bytes(gzip.compress(header + array.tobytes()))
        files[key] = (name, hashlib.md5((src / name).read_bytes()).hexdigest())
    cache = tmp_path / "cache"
    Xtr, ytr, Xte, yte = data.load_mnist(cache, base_url=src.as_uri() + "/", files=files)
    assert Xtr.shape == (5, 784) and Xte.shape == (2, 784) and Xtr.dtype == np.float32
    np.testing.assert_allclose(Xtr[1], images[1].ravel() / 255.0, rtol=1e-6)
    assert ytr.tolist() == [0, 1, 2, 3, 4]
    (src / "ti.gz").unlink()  # cached: no second download
    data.load_mnist(cache, base_url=src.as_uri() + "/", files=files)
    bad = dict(files, train_labels=("tl.gz", "0" * 32))
    (cache / "tl.gz").unlink()
    with pytest.raises(ValueError, match="checksum does not match"):
        data.load_mnist(cache, base_url=src.as_uri() + "/", files=bad)


def test_splits_are_disjoint_and_seeded():
    X, labels = np.arange(100).reshape(50, 2), np.arange(50)
    a = data.train_val_test_split(X, labels, seed=1)
    b = data.train_val_test_split(X, labels, seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert sorted(np.concatenate([a[1], a[3], a[5]]).tolist()) == list(range(50))
    assert (len(a[1]), len(a[3]), len(a[5])) == (35, 5, 10)


def test_fit_refuses_bad_batch_sizes_and_empty_data():
    X, labels = data.make_moons(20)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="batch_size must be a whole number >= 1"):
            Network([2, 3, 2]).fit(X, labels, batch_size=bad)
    with pytest.raises(ValueError, match="no rows"):
        Network([2, 3, 2]).fit(np.zeros((0, 2)), np.zeros(0, dtype=int))


def test_divergence_in_the_last_update_is_caught():
    X, labels = data.make_moons(200)
    with pytest.raises(TrainingDiverged, match="after the last update of epoch 1"):
        Network([2, 8, 2]).fit(X, labels, epochs=1, learning_rate=1e308, batch_size=200)


def test_split_sizes_follow_the_fractions_exactly():
    X, labels = np.zeros((5, 1)), np.arange(5)
    parts = data.train_val_test_split(X, labels, (0.1, 0.9, 0.0))
    assert [len(p) for p in parts[1::2]] == [0, 5, 0] or [len(p) for p in parts[1::2]] == [1, 4, 0]
    assert len(parts[5]) == 0
    with pytest.raises(ValueError, match="three numbers"):
        data.train_val_test_split(X, labels, (0.5, 0.5))


def test_spirals_need_a_hidden_layer():
    X, labels = data.make_spirals(200)
    linear = Network([2, 2], seed=0)
    linear.fit(X, labels, epochs=200, learning_rate=0.5, batch_size=20)
    deep = Network([2, 32, 2], activation="tanh", init="lecun", seed=0)
    deep.fit(X, labels, epochs=200, learning_rate=0.5, batch_size=20)
    assert linear.accuracy(X, labels) < 0.7 < 0.95 < deep.accuracy(X, labels)
