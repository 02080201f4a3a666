"""network.py: networks of any depth against finite differences, training, float32, fit's checks and
messages, the learner's own layer functions plugged in."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnfromscratch import data
from nnfromscratch import Network, TrainingDiverged, confusion_matrix, dense_backward, dense_forward

from oracles import central_diff


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


def test_spirals_need_a_hidden_layer():
    X, labels = data.make_spirals(200)
    linear = Network([2, 2], seed=0)
    linear.fit(X, labels, epochs=200, learning_rate=0.5, batch_size=20)
    deep = Network([2, 32, 2], activation="tanh", init="lecun", seed=0)
    deep.fit(X, labels, epochs=200, learning_rate=0.5, batch_size=20)
    assert linear.accuracy(X, labels) < 0.7 < 0.95 < deep.accuracy(X, labels)


def test_fit_on_column_ordered_input_is_the_same_training():
    """fit makes X C-contiguous once (every batch is a row gather): a DataFrame's column-ordered `.values`
    trains exactly as the row-ordered array does."""
    X, labels = data.make_moons(96)
    histories = []
    for order in (np.ascontiguousarray, np.asfortranarray):
        net = Network([2, 5, 2], activation="tanh", seed=3)
        histories.append((net.fit(order(X), labels, epochs=3, batch_size=16).loss, net.params))
    (loss_c, params_c), (loss_f, params_f) = histories
    assert loss_c == loss_f
    for (Wc, bc), (Wf, bf) in zip(params_c, params_f):
        np.testing.assert_array_equal(Wc, Wf)
        np.testing.assert_array_equal(bc, bf)


def test_the_learners_own_layer_functions_plug_in():
    calls = []

    def my_forward(W, b, X, activation):
        calls.append("forward")
        return dense_forward(W, b, X, activation)

    def my_backward(dH, cache):
        calls.append("backward")
        return dense_backward(dH, cache)
    X, labels = data.make_xor(32)
    theirs = Network([2, 4, 2], seed=1, layer_forward=my_forward, layer_backward=my_backward)
    ours = Network([2, 4, 2], seed=1)
    assert theirs.fit(X, labels, epochs=2).loss == ours.fit(X, labels, epochs=2).loss
    assert "forward" in calls and "backward" in calls


def test_confusion_matrix_counts():
    counts = confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], 3)
    np.testing.assert_array_equal(counts, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    assert counts.dtype == np.int64
