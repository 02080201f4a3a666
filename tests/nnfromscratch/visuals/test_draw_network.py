"""The network drawing labels every edge in the layout it draws (lesson 00: (out, in); lesson 07: (in, out))."""

import re

import pytest

import nnfromscratch as nn
from nnfromscratch.visuals import plots

LAYERS = {0.0: "x", 2.4: "h1", 4.8: "y_hat"}  # the drawing's columns


def _unit(point, radius=0.28):
    """(layer, index) of the unit an arrow end touches, from the drawing's geometry."""
    x, y = point
    column = min(LAYERS, key=lambda c: min(abs(x - c - radius), abs(x - c + radius)))
    return LAYERS[column], round((1.0 - y) / 1.2)


def _edges(fig):
    """[(source unit, destination unit, label)] for every weight edge: each label follows its arrow."""
    texts = fig.axes[0].texts
    found = []
    for arrow, label in zip(texts, texts[1:]):
        match = re.fullmatch(r"(W[12])\[(\d),(\d)\] = (\d\.\d\d)", label.get_text())
        if match and hasattr(arrow, "xyann"):
            found.append((_unit(arrow.xyann), _unit(arrow.xy), match))
    return found


@pytest.mark.parametrize("layout", ["out_in", "in_out"])
def test_every_edge_is_labelled_with_its_index_and_value_in_the_examples_layout(layout):
    ex = nn.worked_example(layout=layout)
    edges = _edges(plots.draw_network(ex))
    assert len(edges) == 8
    for (src, j), (dst, i), match in edges:
        name, a, b, value = match.group(1), int(match.group(2)), int(match.group(3)), float(match.group(4))
        assert (src, dst) == (("x", "h1") if name == "W1" else ("h1", "y_hat"))
        # out_in: W[i, j] joins input j to unit i; in_out: W[j, i] does
        assert (a, b) == ((i, j) if layout == "out_in" else (j, i)), match.group(0)
        assert value == pytest.approx(getattr(ex, name)[a, b], abs=5e-3)


@pytest.mark.parametrize("layout,hidden,output", [("out_in", "σ(W1 x + b1)", "σ(W2 h1 + b2)"),
                                                   ("in_out", "σ(W1ᵀ x + b1)", "σ(W2ᵀ h1 + b2)")])
def test_the_formulas_match_the_layout(layout, hidden, output):
    labels = [t.get_text() for t in plots.draw_network(nn.worked_example(layout=layout)).axes[0].texts]
    assert f"hidden h1 = {hidden}" in labels and f"output ŷ = {output}" in labels


def test_the_walk_throughs_w1_1_0_is_0_20_in_its_drawing():
    ex = nn.worked_example(layout="in_out")
    labels = [t.get_text() for t in plots.draw_network(ex).axes[0].texts]
    assert ex.W1[1, 0] == 0.20 and "W1[1,0] = 0.20" in labels and "W1[1,0] = 0.25" not in labels
