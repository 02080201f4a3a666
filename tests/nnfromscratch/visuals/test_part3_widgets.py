"""Part III's sliders: the computation behind each, called as the slider would call it (no browser needed)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import data
from nnfromscratch.visuals import widgets


def controls(widget):
    return {c.description for c in widget.children if hasattr(c, "description")}


# --- 14: initialisation ---------------------------------------------------------------------------------------

def test_gradient_norm_run_measures_the_network_it_describes():
    db, dW, stds, loss = widgets.gradient_norm_run("tanh", depth=4, gain=1.0, n=32)
    assert db.shape == dW.shape == (4,) and stds.shape == (3,)
    X, labels = widgets._digits_split()[:2]
    net = nn.diagnostics.scaled_network([64, 64, 64, 64, 10], "tanh", 1.0)
    expected_loss, grads = net.gradients(X[:32], labels[:32])
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(db, [np.linalg.norm(g[1]) for g in grads], rtol=1e-12)
    np.testing.assert_allclose(stds[0], np.tanh(X[:32] @ net.params[0][0].T).std(), rtol=1e-12)


def test_sigmoid_vanishes_and_a_large_relu_gain_explodes():
    sigmoid, *_ = widgets.gradient_norm_run("sigmoid", 10, 1.0)
    relu_he, *_ = widgets.gradient_norm_run("relu", 10, np.sqrt(2))
    relu_big, *_ = widgets.gradient_norm_run("relu", 10, 2.0)
    assert sigmoid[0] / sigmoid[-1] < 1e-4
    assert 0.1 < relu_he[0] / relu_he[-1] < 10
    assert relu_big[0] / relu_big[-1] > 10


def test_show_gradient_norms_prints_the_ratio_and_draws_two_panels(capsys):
    widgets.show_gradient_norms("sigmoid", 10, 1.0)
    out = capsys.readouterr().out
    db, *_ = widgets.gradient_norm_run("sigmoid", 10, 1.0)
    assert f"ratio first/last: {db[0] / db[-1]:.3e}" in out and "sigmoid, 10 layers, gain 1" in out
    assert len(plt.gcf().axes) == 2
    assert controls(widgets.init_widget()) >= {"activation", "layers", "gain"}


# --- 15: the learning slowdown ---------------------------------------------------------------------------------

def test_slowdown_runs_start_from_the_chosen_weight(capsys):
    mse_run, xent_run = widgets.slowdown_runs(w=8.0, steps=50)
    assert mse_run.loss_name == "squared error" and xent_run.loss_name == "cross-entropy"
    assert len(mse_run.y_hat) == 51
    ex = nn.slowdown.saturated_example(8.0)
    y_hat = nn.forward_prop(ex.W2, ex.b2, nn.forward_prop(ex.W1, ex.b1, ex.x))
    np.testing.assert_allclose(mse_run.y_hat[0], y_hat, rtol=1e-15)
    np.testing.assert_allclose(xent_run.delta2[0], y_hat - ex.y, rtol=1e-15)
    widgets.show_slowdown(w=8.0, steps=300)
    out = capsys.readouterr().out
    assert "y_hat[0] = 0.996509" in out and "(ratio 287.4)" in out
    assert "squared error: y_hat[0] < 0.5 after 139 steps" in out and "cross-entropy: y_hat[0] < 0.5 after 4 steps" in out
    widgets.show_slowdown(w=10.0, steps=300)
    assert "not within 300 steps" in capsys.readouterr().out
    assert controls(widgets.slowdown_widget()) >= {"W2[0,0]"}


# --- 16: generalisation ----------------------------------------------------------------------------------------

def test_generalisation_run_trains_on_noisy_labels_and_measures_on_clean_ones():
    history, net, noisy = widgets.generalisation_run(n_train=60, lam=0.0, noise=0.5, epochs=3)
    X_train, y_train, X_val, y_val, _, _ = widgets._digits_split()
    expected, _ = data.with_label_noise(y_train[:60], 0.5, seed=1)
    np.testing.assert_array_equal(noisy, expected)
    assert len(history.loss) == 3
    assert history.accuracy[-1] == pytest.approx(net.accuracy(X_train[:60], noisy))
    assert history.val_accuracy[-1] == pytest.approx(net.accuracy(X_val, y_val))


def test_l2_shrinks_the_weights_in_the_generalisation_run():
    sizes = [sum(float(np.sum(W ** 2)) for W, _ in widgets.generalisation_run(100, lam, 0.3, epochs=20)[1].params)
             for lam in (0.0, 0.03)]
    assert sizes[1] < sizes[0] / 2


def test_show_generalisation_prints_counts_and_draws_the_curves(capsys):
    widgets.show_generalisation(n_train=100, lam=0.01, noise=0.2, epochs=5)
    out = capsys.readouterr().out
    assert out.startswith("100 training digits (20% mislabelled), lambda = 0.01: training accuracy")
    assert "of 100, on its labels" in out and "of 180)" in out and "gap" in out
    assert len(plt.gcf().axes) == 2
    assert controls(widgets.generalisation_widget()) >= {"digits", "lambda", "noise"}


# --- 17: debugging -------------------------------------------------------------------------------------------------

def test_update_ratio_run_scales_with_the_learning_rate_and_reports_failure(capsys, monkeypatch):
    small, history, message = widgets.update_ratio_run(0.01, epochs=1)
    large, *_ = widgets.update_ratio_run(0.1, epochs=1)
    np.testing.assert_allclose(large, 10 * small, rtol=1e-12)
    assert history is not None and message == ""

    def diverge(self, *args, **kwargs):
        raise nn.TrainingDiverged("The loss became nan at epoch 1, step 1: learning_rate=10 is too large.")
    monkeypatch.setattr(nn.Network, "fit", diverge)
    ratios, history, message = widgets.update_ratio_run(10.0)
    assert history is None and message.startswith("The loss became nan")
    widgets.show_update_ratios(10.0)
    out = capsys.readouterr().out
    assert "learning rate 10: update/weight ratio per layer" in out and "The loss became nan" in out
    assert plt.gcf().axes[1].texts, "the failure is written on the plot"
    assert controls(widgets.update_ratio_widget()) >= {"learning rate"}
