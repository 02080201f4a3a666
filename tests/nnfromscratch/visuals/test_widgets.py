"""The computation behind every slider, called as the slider would call it (no browser needed)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch.visuals import widgets


def test_forward_values_follow_the_inputs():
    h1, y_hat = widgets.forward_values(0.05, 0.10)
    np.testing.assert_allclose(h1, nn.trace().h1, rtol=1e-15)
    h1b, _ = widgets.forward_values(1.0, -0.5)
    manual = 1 / (1 + np.exp(-(np.array([[0.15, 0.25], [0.20, 0.30]]) @ [1.0, -0.5] + 0.35)))
    np.testing.assert_allclose(h1b, manual, rtol=1e-12)


def test_show_functions_print_and_draw(capsys):
    widgets.show_sigmoid(-2.0)
    widgets.show_forward(1.0, -0.5)
    widgets.show_loss(0.2, 0)
    out = capsys.readouterr().out
    assert "sigmoid(z) = 0.11920292" in out
    assert "y_hat = [0.75701999 0.76780855]" in out
    assert "L = 0.04275467" in out  # 0.5*(0.2-0.01)**2 + 0.5*(0.76771788-0.99)**2
    assert len(plt.get_fignums()) == 3


@pytest.mark.parametrize("entry", widgets.ENTRIES)
def test_nudge_agrees_with_the_gradient_to_second_order(entry):
    errors = [abs(np.subtract(*widgets.nudge(entry, step))) for step in (1e-2, 1e-3)]
    assert errors[1] < errors[0] / 50 or errors[1] < 1e-13  # the gap shrinks like step**2


@pytest.mark.parametrize("alpha,verdict", [(0.001, "Crawling"), (0.1, "Converging"), (10.0, "Converging"),
                                           (1000.0, "Saturated"), (1e4, "Saturated")])
def test_training_run_verdicts(alpha, verdict):
    losses, message = widgets.training_run(alpha, steps=200)
    assert message.startswith(verdict) and len(losses) == 201


def test_training_never_raises_and_explains(capsys):
    losses, message = widgets.training_run(float("inf"))
    assert message.startswith("Training stopped") and "learning rate" in message
    widgets.show_training(1e4, 50)
    assert "Saturated" in capsys.readouterr().out
    assert plt.gcf().axes[0].texts, "the verdict is written on the plot"


def test_widgets_wire_the_show_functions():
    for make, names in [(widgets.sigmoid_widget, {"z"}), (widgets.forward_widget, {"x[0]", "x[1]"}),
                        (widgets.loss_widget, {"y_hat[0]"}), (widgets.nudge_widget, {"entry", "step"}),
                        (widgets.training_widget, {"alpha", "steps"})]:
        w = make()
        assert names <= {c.description for c in w.children if hasattr(c, "description")}


def test_difference_errors_follow_truncation_orders():
    analytic, f1, c1 = widgets.difference_errors(1e-2)
    _, f2, c2 = widgets.difference_errors(1e-3)
    assert analytic == pytest.approx(nn.trace().dW1[0, 0], rel=1e-15)
    assert 5 < abs(f1 - analytic) / abs(f2 - analytic) < 20  # first order
    assert 50 < abs(c1 - analytic) / abs(c2 - analytic) < 200  # second order
    w = widgets.difference_widget()
    assert {"eps"} <= {c.description for c in w.children if hasattr(c, "description")}


def test_race_and_classification_widgets_compute_without_raising(capsys, monkeypatch):
    from nnfromscratch.network import Network, TrainingDiverged

    paths, lines = widgets.race_summary("rosenbrock", ("sgd", 0.03), ("adam", 0.1), 150)
    assert "diverged" in lines[0] and "loss" in lines[1]

    def diverge(self, *args, **kwargs):
        raise TrainingDiverged("The loss became nan at epoch 1, step 1: learning_rate=10 is too large.")
    with monkeypatch.context() as m:
        m.setattr(Network, "fit", diverge)
        net, X, labels, history, message = widgets.classification_run("moons", 8, 10.0, 20)
        assert history is None and message.startswith("Diverged: The loss became nan")
        widgets.show_classification("moons", 8, 10.0, 20)
    widgets.show_classification("xor", 4, 0.5, 20)
    widgets.show_race("ravine", "momentum", 0.03, "rmsprop", 0.05, 50)
    assert "xor: 4 hidden units" in capsys.readouterr().out
