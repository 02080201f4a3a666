"""Part II's batch convention and the network the learner builds: the loss of a batch is a mean whose 1/n enters
once, in the loss's gradient; network_forward/network_backward against finite differences; train_epoch against
Network.fit and a hand-computed step; load_yours on notebooks written like a learner's."""

import json

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import data
from nnfromscratch.yours import load_yours

from oracles import central_diff


# --- the batch convention ------------------------------------------------------------------------------------------

def test_the_loss_of_a_batch_is_the_mean_of_the_examples_losses():
    assert nn.mse(np.zeros((3, 2)), np.ones((3, 2))) == 1.0  # each example 0.5 * (1 + 1); a sum would say 3.0
    rng = np.random.default_rng(1)
    Y, Y_hat = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    by_hand = np.mean([0.5 * np.sum((Y_hat[i] - Y[i]) ** 2) for i in range(5)])
    assert nn.mse(Y, Y_hat) == pytest.approx(by_hand, rel=1e-14)


def test_one_example_is_unchanged():
    assert nn.mse(np.zeros(3), np.ones(3)) == 1.5  # Part I: the sum over the outputs, with the 1/2
    y, y_hat = np.array([0.01, 0.99]), np.array([0.75136507, 0.77292847])
    np.testing.assert_array_equal(nn.output_grad(y, y_hat), y_hat - y)


def test_the_batch_gradient_carries_the_one_over_n_once():
    rng = np.random.default_rng(2)
    Y, Y_hat = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(nn.output_grad(Y, Y_hat), (Y_hat - Y) / 4, rtol=1e-15)
    np.testing.assert_allclose(nn.output_grad(Y, Y_hat), central_diff(lambda v: nn.mse(Y, v), Y_hat),
                               rtol=1e-6, atol=1e-10)


def test_batch_gradients_are_the_means_of_the_examples_gradients():
    """Lesson 08's claim, with Part I's trace as the single-example oracle."""
    import dataclasses

    ex = nn.worked_example()
    X, Y = np.array([ex.x, [0.5, -0.2], [1.0, 1.0]]), np.array([ex.y, [0.2, 0.8], [0.9, 0.1]])
    H1 = nn.forward_prop(ex.W1, ex.b1, X)
    Y_hat = nn.forward_prop(ex.W2, ex.b2, H1)
    Delta2 = nn.sigmoid_grad(Y_hat, nn.output_grad(Y, Y_hat))
    Delta1 = nn.sigmoid_grad(H1, nn.hidden_unit_grad(ex.W2, Delta2))
    singles = [nn.trace(dataclasses.replace(ex, x=x, y=y)) for x, y in zip(X, Y)]
    np.testing.assert_allclose(nn.weight_grad(X, Delta1), np.mean([t.dW1 for t in singles], axis=0), rtol=1e-12)
    np.testing.assert_allclose(Delta2.sum(axis=0), np.mean([t.db2 for t in singles], axis=0), rtol=1e-12)
    assert nn.mse(Y, Y_hat) == pytest.approx(np.mean([t.loss for t in singles]), rel=1e-14)


def test_bad_batches_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="the batch is empty"):
        nn.mse(np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"one example of shape \(out,\) or a batch of shape \(n, out\)"):
        nn.output_grad(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))


# --- the dense layer's cache and the network ------------------------------------------------------------------------

def test_the_cache_is_x_w_h_and_the_activation_as_given():
    rng = np.random.default_rng(3)
    W, b, X = rng.normal(size=(3, 5)), rng.normal(size=3), rng.normal(size=(4, 5))
    H, cache = nn.dense_forward(W, b, X, "tanh")
    assert cache[0] is X and cache[1] is W and cache[2] is H and cache[3] == "tanh"
    dH = rng.normal(size=(4, 3))
    by_name = nn.dense_backward(dH, (X, W, H, "tanh"))
    by_object = nn.dense_backward(dH, (X, W, H, nn.ACTIVATIONS["tanh"]))
    for a, b_ in zip(by_name, by_object):
        np.testing.assert_array_equal(a, b_)
    Delta = (1 - H ** 2) * dH  # by hand
    np.testing.assert_allclose(by_name[1], Delta.T @ X, rtol=1e-14)
    np.testing.assert_allclose(by_name[2], Delta.sum(axis=0), rtol=1e-14)
    np.testing.assert_allclose(by_name[0], Delta @ W, rtol=1e-14)


@pytest.mark.parametrize("sizes,activations", [
    ([3, 5, 4, 2], ["tanh", "tanh", "linear"]),
    ([4, 3, 6], ["sigmoid", "sigmoid"]),
    ([2, 7, 7, 7, 3], ["relu", "tanh", "sigmoid", "linear"]),
    ([5, 2], ["linear"]),
])
def test_network_backward_matches_finite_differences(sizes, activations):
    rng = np.random.default_rng(len(sizes))
    params = [[rng.normal(size=(o, i)) * 0.7, rng.normal(size=o) * 0.3] for i, o in zip(sizes[:-1], sizes[1:])]
    X, Y = rng.normal(size=(6, sizes[0])), rng.normal(size=(6, sizes[-1]))
    Y_hat, caches = nn.network_forward(params, X, activations)
    grads = nn.network_backward(nn.output_grad(Y, Y_hat), caches)
    for layer, (W, b) in enumerate(params):
        for which, param in ((0, W), (1, b)):
            def loss(v, layer=layer, which=which):
                changed = [list(pair) for pair in params]
                changed[layer][which] = v
                return nn.mse(Y, nn.network_forward(changed, X, activations)[0])
            np.testing.assert_allclose(grads[layer][which], central_diff(loss, param), rtol=1e-5, atol=1e-8)


def test_network_backward_calls_the_given_layer_backward_last_layer_first():
    rng = np.random.default_rng(4)
    params = nn.init_params([3, 4, 5, 2], rng, "lecun")
    _, caches = nn.network_forward(params, rng.normal(size=(2, 3)), ["relu", "relu", "linear"])
    seen = []

    def recording(dH, cache):
        seen.append(cache[1].shape)
        return nn.dense_backward(dH, cache)
    nn.network_backward(rng.normal(size=(2, 2)), caches, recording)
    assert seen == [(2, 5), (5, 4), (4, 3)]


def test_network_forward_needs_one_activation_per_layer():
    with pytest.raises(ValueError, match="2 layers but 1 activations"):
        nn.network_forward(nn.init_params([2, 3, 2], np.random.default_rng(0)), np.zeros((1, 2)), ["relu"])


# --- one epoch ------------------------------------------------------------------------------------------------------

def _classifier_gradients(activations):
    def gradients(params, X, labels):
        logits, caches = nn.network_forward(params, X, activations)
        loss, dlogits = nn.xent_and_grad(labels, logits)
        return loss, nn.network_backward(dlogits, caches)
    return gradients


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_train_epoch_is_fit_s_epoch(dtype):
    """The same Generator and the same start: the same parameters, bit for bit (SGD updates alike)."""
    X, labels = data.make_moons(90)
    X = X.astype(dtype)
    net = nn.Network([2, 6, 2], activation="tanh", init="lecun", seed=1, dtype=dtype)
    params = [[W.copy(), b.copy()] for W, b in net.params]
    rng = np.random.default_rng(7)
    for _ in range(3):
        params = nn.train_epoch(params, _classifier_gradients(["tanh", "linear"]), X, labels, 0.3, 16, rng)
    net.fit(X, labels, epochs=3, learning_rate=0.3, batch_size=16, seed=7)
    for pair, net_pair in zip(params, net.params):
        for mine, theirs in zip(pair, net_pair):
            assert mine.dtype == dtype
            np.testing.assert_array_equal(mine, theirs)


def test_train_epoch_by_hand_keeps_the_last_batch_and_the_pairs():
    """Linear regression: each step by hand; 7 rows in batches of 3 are 3 steps (3, 3, 1)."""
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(7, 2)), rng.normal(size=(7, 1))
    W0, b0 = rng.normal(size=(1, 2)), rng.normal(size=1)
    calls = []

    def gradients(params, Xb, Yb):
        (W, b), = params
        calls.append(len(Xb))
        D = (Xb @ W.T + b - Yb) / len(Xb)
        return 0.5 * np.sum(D * D) * len(Xb), [[D.T @ Xb, D.sum(axis=0)]]
    params = [[W0, b0]]
    new = nn.train_epoch(params, gradients, X, Y, 0.1, 3, 11)
    order = np.random.default_rng(11).permutation(7)
    W, b = W0.copy(), b0.copy()
    for rows in (order[0:3], order[3:6], order[6:7]):
        D = (X[rows] @ W.T + b - Y[rows]) / len(rows)
        W, b = W - 0.1 * (D.T @ X[rows]), b - 0.1 * D.sum(axis=0)
    assert calls == [3, 3, 1]
    np.testing.assert_allclose(new[0][0], W, rtol=1e-14)
    np.testing.assert_allclose(new[0][1], b, rtol=1e-14)
    assert params[0][0] is W0 and np.array_equal(W0, params[0][0])  # nothing changed in place


def test_train_epoch_keeps_each_example_with_its_label():
    X = np.arange(20.0).reshape(10, 2)
    labels = np.arange(10)

    def gradients(params, Xb, yb):
        np.testing.assert_array_equal(Xb[:, 0], 2.0 * yb)  # row i of X is [2i, 2i + 1], its label i
        return 0.0, [[np.zeros((1, 2)), np.zeros(1)]]
    nn.train_epoch([[np.zeros((1, 2)), np.zeros(1)]], gradients, X, labels, 0.1, 4, 0)


def test_train_epoch_explains_bad_input():
    params = [[np.zeros((1, 2)), np.zeros(1)]]

    def ok(p, X, y):
        return 0.0, [[np.zeros((1, 2)), np.zeros(1)]]
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1"):
        nn.train_epoch(params, ok, np.zeros((3, 2)), np.zeros(3), 0.1, 0, 0)
    with pytest.raises(ValueError, match="X has 3 rows but there are 2 labels"):
        nn.train_epoch(params, ok, np.zeros((3, 2)), np.zeros(2), 0.1, 2, 0)
    with pytest.raises(ValueError, match="gradients returned 2 \\[dW, db\\] pairs for 1 layers"):
        nn.train_epoch(params, lambda p, X, y: (0.0, [[0, 0], [0, 0]]), np.zeros((3, 2)), np.zeros(3), 0.1, 2, 0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        nn.train_epoch(params, ok, np.zeros((3, 2)), np.zeros(3), float("nan"), 2, 0)


# --- your functions, read from your notebooks ----------------------------------------------------------------------

def _notebook(path, cells):
    """A minimal notebook: (source, solution grade_id or None) per code cell."""
    def cell(source, grade_id):
        metadata = {"nbgrader": {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3,
                                 "solution": True, "task": False}} if grade_id else {}
        return {"cell_type": "code", "execution_count": None, "metadata": metadata, "outputs": [],
                "source": source}
    path.write_text(json.dumps({"cells": [cell(s, g) for s, g in cells], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))


SETUP = "%matplotlib inline\nimport numpy as np\nimport nnfromscratch as nn\nfrom nnfromscratch import softmax_cross_entropy\n"
XENT = ("def softmax_cross_entropy(labels, logits):\n    raise AssertionError('not this one')\n\n"
        "def cross_entropy(labels, logits):\n    z = logits - logits.max(axis=1, keepdims=True)\n"
        "    return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(labels)), labels]))\n")


def test_load_yours_reads_and_checks_the_learner_s_cells(tmp_path):
    _notebook(tmp_path / "10_classification.ipynb", [(SETUP, None), ("x = undefined_name\n", None), (XENT, "cross_entropy")])
    yours = load_yours({"10_classification": ["cross_entropy"]}, folder=tmp_path)
    assert yours.ready, str(yours)
    assert yours.cross_entropy(np.array([0]), np.array([[-800.0, 0.0]])) == pytest.approx(800.0)
    assert str(yours).startswith("✅ cross_entropy (lesson 10_classification): passes its check")


def test_load_yours_says_what_is_missing_and_never_raises(tmp_path):
    stub = "def cross_entropy(labels, logits):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    _notebook(tmp_path / "10_classification.ipynb", [(SETUP, None), (stub, "cross_entropy"),
                                                      ("def dense_forward(:\n", "dense_forward")])
    yours = load_yours({"10_classification": ["cross_entropy", "dense_forward", "softmax"], "09_layers": ["relu_grad"]},
                       folder=tmp_path)
    text = str(yours)
    assert not yours.ready
    assert "❌ cross_entropy (lesson 10_classification): not written yet" in text
    assert "❌ dense_forward (lesson 10_classification): your cell could not be run: SyntaxError" in text
    assert "❌ softmax (lesson 10_classification): 10_classification.ipynb has no exercise cell defining softmax" in text
    assert "❌ relu_grad (lesson 09_layers): could not find 09_layers.ipynb" in text
    assert text.endswith("then run this cell again.")


def test_load_yours_does_not_take_an_imported_package_function_for_the_learner_s(tmp_path):
    broken = "def softmax_cross_entropy_grad(labels, logits)\n    pass\n"
    setup = SETUP + "from nnfromscratch import softmax_cross_entropy_grad\n"
    _notebook(tmp_path / "10_classification.ipynb", [(setup, None), (broken, "softmax_cross_entropy_grad")])
    yours = load_yours({"10_classification": ["softmax_cross_entropy_grad"]}, folder=tmp_path)
    assert yours.softmax_cross_entropy_grad is None and not yours.ready
    assert "could not be run: SyntaxError" in str(yours)
