"""visuals/plots.py: the figures draw what their captions say, and the activation panels follow the registry."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch.activations import ACTIVATIONS
from nnfromscratch.visuals import plots


def test_one_activation_panel_per_registry_entry_each_with_its_derivative():
    fig = plots.plot_activations()
    shown = [n for n in ACTIVATIONS if n != "linear"]
    assert [ax.get_title() for ax in fig.axes] == shown
    z = np.linspace(-4, 4, 401)
    for ax, name in zip(fig.axes, shown):
        curve, derivative = ax.get_lines()[:2]
        h = ACTIVATIONS[name].fn(z)
        np.testing.assert_allclose(curve.get_ydata(), h)
        np.testing.assert_allclose(derivative.get_ydata(), ACTIVATIONS[name].grad(h, np.ones_like(z)))


def test_named_activations_linear_included_and_a_wrong_number_of_axes_refused():
    fig = plots.plot_activations(["linear", "tanh"])
    assert [ax.get_title() for ax in fig.axes] == ["linear", "tanh"]
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="2 activations need 2 axes, got 1"):
        plots.plot_activations(["relu", "tanh"], ax=ax)


def test_the_sigmoid_figure_marks_the_point():
    fig = plots.plot_sigmoid(0.3825)
    point = fig.axes[0].get_lines()[1]
    assert point.get_xdata()[0] == 0.3825 and point.get_ydata()[0] == pytest.approx(float(nn.sigmoid(0.3825)))


def test_the_network_drawing_labels_every_parameter_with_its_value():
    fig = plots.draw_network(nn.worked_example())
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for value in ("0.15", "0.25", "0.2", "0.3", "0.4", "0.5", "0.45", "0.55", "0.35", "0.6"):
        assert value in texts, value


def test_loss_curves_draw_one_line_per_curve_and_the_note():
    fig = plots.plot_loss_curves({"a": np.array([3.0, 2.0, 1.0]), "b": np.array([3.0, 2.5])}, note="Saturated")
    ax = fig.axes[0]
    assert [len(line.get_ydata()) for line in ax.get_lines()] == [3, 2]
    assert any("Saturated" in t.get_text() for t in ax.texts)


def test_the_decision_regions_cover_the_data():
    X, labels = nn.data.make_moons(60)
    net = nn.Network([2, 4, 2], seed=0)
    fig = plots.plot_decision_boundary(net, X, labels, resolution=20)
    x0, x1 = fig.axes[0].get_xlim()
    assert x0 < X[:, 0].min() and X[:, 0].max() < x1
