"""The computation behind the sliders of lessons 08, 09 and 11, called as the sliders would call them."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import data
from nnfromscratch.visuals import widgets

from oracles import central_diff


# --- lesson 08: the batch size against the gradient's noise ----------------------------------------------------------

def test_the_full_gradient_is_the_mean_squared_error_s():
    """The full-batch gradient behind the slider, against finite differences of the loss it claims to be."""
    X, labels = data.make_moons(200)
    Y = nn.one_hot(labels, 2)
    params = nn.init_params([2, 8, 2], np.random.default_rng(0), "lecun")
    flat = np.concatenate([a.ravel() for pair in params for a in pair])

    def loss(v):
        (W1, b1), (W2, b2) = [[v[0:16].reshape(8, 2), v[16:24]], [v[24:40].reshape(2, 8), v[40:42]]]
        out = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(X @ W1.T + b1))) @ W2.T + b2)))
        return 0.5 * np.sum((out - Y) ** 2) / len(X)
    full = widgets.batch_noise(10, draws=5)[0]
    np.testing.assert_allclose(full, central_diff(loss, flat), rtol=1e-5, atol=1e-10)


@pytest.mark.parametrize("batch_size", [1, 10, 50])
def test_the_spread_follows_the_prediction(batch_size):
    full, batches, measured, predicted = widgets.batch_noise(batch_size, draws=2000)
    assert measured == pytest.approx(predicted, rel=0.1)
    # unbiased: the mean of the mini-batch gradients is the full gradient, within the sampling error
    assert np.linalg.norm(batches.mean(axis=0) - full) < 4 * predicted / np.sqrt(2000)


def test_the_spread_shrinks_like_one_over_root_b_and_vanishes_at_n():
    spread = {B: widgets.batch_noise(B, draws=10)[3] for B in (1, 4, 200)}
    n = 200
    assert spread[4] / spread[1] == pytest.approx(np.sqrt((n - 4) / (4 * (n - 1))) / np.sqrt((n - 1) / (n - 1)))
    assert spread[200] == 0.0
    assert widgets.batch_noise(200, draws=3)[2] < 1e-12  # every batch of 200 is the whole set
    with pytest.raises(ValueError, match="between 1 and 200"):
        widgets.batch_noise(201)


def test_show_batch_noise_prints_and_draws(capsys):
    widgets.show_batch_noise(10)
    out = capsys.readouterr().out
    assert out.startswith("batch size 10: 20 steps per epoch. Over 300 random mini-batches")
    assert "predicted 0.0896" in out and "own length is 0.0836" in out
    widgets.show_batch_noise(200)
    assert "1 step per epoch" in capsys.readouterr().out
    assert len(plt.get_fignums()) == 2


# --- lesson 09: the gradient's size layer by layer -----------------------------------------------------------------

def test_gradient_sizes_are_the_norms_of_the_network_s_gradients():
    sizes = widgets.gradient_sizes(depth=2, activation="tanh", init="lecun", width=3, n=4, seed=1)
    rng = np.random.default_rng(1)
    params = nn.init_params([3, 3, 3, 10], rng, "lecun")
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 10))

    def loss(W, layer):
        changed = [list(p) for p in params]
        changed[layer][0] = W
        H = X
        for (Wl, bl), f in zip(changed, (np.tanh, np.tanh, lambda z: z)):
            H = f(H @ Wl.T + bl)
        return 0.5 * np.sum((H - Y) ** 2) / 4
    expected = [np.linalg.norm(central_diff(lambda W, layer=layer: loss(W, layer), params[layer][0]))
                for layer in range(3)]
    np.testing.assert_allclose(sizes, expected, rtol=1e-5)


def test_sigmoid_layers_shrink_the_gradient_and_tanh_and_relu_keep_it():
    sigmoid = widgets.gradient_sizes(6, "sigmoid", "lecun")
    assert len(sigmoid) == 7 and sigmoid[0] / sigmoid[-1] < 1e-3
    assert all(a < b for a, b in zip(sigmoid, sigmoid[1:]))  # smaller at every layer down
    tanh = widgets.gradient_sizes(6, "tanh", "lecun")
    relu = widgets.gradient_sizes(6, "relu", "he")
    assert 0.3 < tanh[0] / tanh[-1] < 3 and 0.1 < relu[0] / relu[-1] < 10


def test_show_gradient_sizes_prints_and_draws(capsys):
    widgets.show_gradient_sizes(6, "sigmoid", "lecun")
    out = capsys.readouterr().out
    assert "sigmoid, 6 hidden layers, lecun initialisation" in out
    assert "the first layer's gradient is 6.2e-05 times the last layer's" in out
    assert plt.gcf().axes[0].get_yscale() == "log"


# --- lesson 11: the digits it gets wrong ----------------------------------------------------------------------------

class FixedNet:
    """Stands in for a network: fixed probabilities."""

    def __init__(self, P):
        self.P = P

    def predict_proba(self, X):
        return self.P


def test_misclassified_rows_and_their_probabilities(capsys):
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3], [0.05, 0.05, 0.9]])
    labels = np.array([0, 1, 1, 0])
    X = np.zeros((4, 64))
    rows, probabilities = widgets.misclassified(FixedNet(P), X, labels)
    np.testing.assert_array_equal(rows, [1, 3])
    np.testing.assert_array_equal(probabilities, P[[1, 3]])
    widgets.show_mistake(FixedNet(P), X, labels, 1)
    assert capsys.readouterr().out.strip() == ("mistake 2 of 2: digit 3, true class 0, predicted 2 with probability "
                                               "0.900; the true class got 0.050")
    widgets.show_mistake(FixedNet(P), X, labels, 99)  # clipped to the last mistake
    assert capsys.readouterr().out.startswith("mistake 2 of 2")
    widgets.show_mistake(FixedNet(P), X, np.array([0, 2, 1, 2]), 0)
    assert "no mistake to show" in capsys.readouterr().out


def test_the_new_widgets_wire_their_show_functions():
    P = np.array([[0.7, 0.3], [0.4, 0.6]])
    for w, names in [(widgets.batch_noise_widget(), {"batch size"}),
                     (widgets.gradient_sizes_widget(), {"hidden layers", "activation", "init"}),
                     (widgets.mistakes_widget(FixedNet(P), np.zeros((2, 64)), np.array([1, 0])), {"mistake"})]:
        assert names <= {c.description for c in w.children if hasattr(c, "description")}
