"""Lesson 13's slider: stepping through a backward pass node by node (the computation behind it, no browser)."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnfromscratch.visuals import widgets
from oracles import central_diff


def leaves(root):
    return {node.label: node for node in root.topological_order() if not node._parents}


@pytest.mark.parametrize("graph", sorted(widgets.BACKWARD_GRAPHS))
def test_the_last_step_gives_every_gradient_of_a_full_backward(graph):
    root, order, done, _ = widgets.backward_step(graph, 10 ** 6)  # clipped to the number of nodes
    assert done == order and len(order) == len(root.topological_order())
    fresh = widgets.BACKWARD_GRAPHS[graph]()
    fresh.backward()
    assert [n.grad for n in root.topological_order()] == pytest.approx([n.grad for n in fresh.topological_order()],
                                                                        rel=1e-15)


@pytest.mark.parametrize("graph", sorted(widgets.BACKWARD_GRAPHS))
def test_each_leaf_gradient_matches_finite_differences(graph):
    root, *_ = widgets.backward_step(graph, 10 ** 6)
    names = sorted(leaves(root))
    values = np.array([leaves(root)[name].data for name in names])

    def f(v):  # rebuild the graph with one leaf moved: only the leaves' data change
        fresh = widgets.BACKWARD_GRAPHS[graph]()
        found = leaves(fresh)
        for name, value in zip(names, v):
            found[name].data = float(value)
        return _recompute(fresh)

    np.testing.assert_allclose([leaves(root)[name].grad for name in names], central_diff(f, values), rtol=1e-6,
                               atol=1e-10)


def _recompute(root):
    """The root's value from its leaves, re-evaluating each node's operation on floats."""
    value = {}
    for node in root.topological_order():
        args = [value[id(p)] for p in node._parents]
        value[id(node)] = {"": lambda: node.data, "+": lambda: args[0] + args[1], "*": lambda: args[0] * args[1],
                           "tanh": lambda: math.tanh(args[0]),
                           "sigmoid": lambda: 1 / (1 + math.exp(-args[0]))}[node.op]()
    return value[id(root)]


def test_step_zero_only_seeds_the_output():
    root, order, done, changes = widgets.backward_step("a value used twice", 0)
    assert done == [] and changes == [] and order[0] is root
    assert root.grad == 1.0 and all(n.grad == 0.0 for n in order[1:])


def test_a_value_used_twice_gets_its_gradient_in_two_parts():
    """L = tanh(a b + a), a = 0.8, b = -0.5: dL/dd = 1 - tanh(0.4)**2 arrives at a first through d = c + a,
    then dL/dc * b through c = a b."""
    dL_dd = 1 - math.tanh(0.8 * -0.5 + 0.8) ** 2
    root, order, done, changes = widgets.backward_step("a value used twice", 2)
    a = leaves(root)["a"]
    assert [n.label for n in done] == ["L", "d"] and a.grad == pytest.approx(dL_dd, rel=1e-15)
    root, order, done, changes = widgets.backward_step("a value used twice", 3)
    a = leaves(root)["a"]
    assert done[-1].label == "c"
    assert [(p.label, before, after) for p, before, after in changes] == [
        ("a", pytest.approx(dL_dd), pytest.approx(dL_dd * (1 - 0.5))), ("b", 0.0, pytest.approx(dL_dd * 0.8))]
    assert a.grad == pytest.approx(0.42781939, abs=5e-9)  # the value the lesson quotes


def test_every_step_runs_the_nodes_in_reverse_topological_order():
    root, order, *_ = widgets.backward_step("one hidden unit", 0)
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:  # a node comes before its parents: its gradient is complete when it passes it on
        assert all(position[id(p)] > position[id(node)] for p in node._parents)


def test_show_prints_the_changes_and_draws_the_state(capsys):
    widgets.show_backward_step("a value used twice", 3)
    out = capsys.readouterr().out
    assert out.startswith("step 3 of 5: c (*) ran its _backward")
    assert "a.grad  0.85563879 -> 0.42781939" in out and "b.grad  0.00000000 -> 0.68451103" in out
    ax = plt.gcf().axes[0]
    assert "step 3 of 5" in ax.get_title()
    boxes = {t.get_text().split("\n")[0]: t.get_bbox_patch() for t in ax.texts}
    assert boxes["c (*)"].get_linewidth() > boxes["d (+)"].get_linewidth()  # the current node stands out
    assert boxes["a"].get_alpha() < boxes["d (+)"].get_alpha()  # a has not run yet: drawn pale
    widgets.show_backward_step("one hidden unit", 10)
    assert "The backward pass is complete" in capsys.readouterr().out
    widgets.show_backward_step("one hidden unit", 0)
    assert capsys.readouterr().out.startswith("step 0 of 10: only the seed")


def test_the_widget_wires_the_graph_and_the_step_and_follows_the_graph_size():
    w = widgets.backward_step_widget()
    controls = {c.description: c for c in w.children if hasattr(c, "description")}
    assert {"graph", "step"} <= set(controls)
    assert controls["step"].max == 5
    controls["graph"].value = "one hidden unit"
    assert controls["step"].max == 10
