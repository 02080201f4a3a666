"""exercises/cells.py, the one reading of a notebook's code cells (the grader's and load_yours'): which cells run,
which imports they need, which package names they reach; and each cell's code parsed once, however many
exercises ask about it."""

import ast

import nnfromscratch as nn
from nnfromscratch.exercises import EXERCISES, cells

SOLUTION = {"solution": True, "grade_id": "hidden_unit_grad"}
NOTEBOOK = {"cells": [
    {"cell_type": "markdown", "source": "# Title"},
    {"cell_type": "code", "source": ["%matplotlib inline\n", "import numpy as np\n", "import matplotlib.pyplot as plt\n",
                                     "from nnfromscratch import layers as L\n", "from os.path import *\n"]},
    {"cell_type": "code", "source": "def hidden_unit_grad(W, delta):\n    return np.dot(W.T, delta)\n",
     "metadata": {"nbgrader": SOLUTION}},
    {"cell_type": "code", "source": "def helper(x):\n    return L.weight_grad(x, x)\n"},
    {"cell_type": "code", "source": "def broken(:\n", "metadata": {"nbgrader": {"solution": True}}},
    {"cell_type": "code", "source": 42},
]}


def test_the_cells_to_run_and_the_imports_they_need():
    code = cells.code_cells(NOTEBOOK)
    assert [c.source for c in code][3:] == ["def broken(:\n", ""]   # a source of the wrong type is empty
    selected = cells.solution_cells(code, ["hidden_unit_grad", "helper", "absent"])
    assert [c["name"] for c in selected] == ["hidden_unit_grad", "code cell 3", "code cell 4"]
    # np and L are used; plt is not; a star import may bind anything
    assert cells.import_statements(code, selected) == ["import numpy as np", "from nnfromscratch import layers as L",
                                                       "from os.path import *"]
    assert cells.defines(code[1], "hidden_unit_grad") and not cells.defines(code[2], "hidden_unit_grad")
    assert cells.defines(code[3], "broken")   # code that is not Python: by its text


def test_name_chains_and_package_aliases():
    source = ("import nnfromscratch.layers as lay\nfrom nnfromscratch.layers import weight_grad as wg\n"
              "def f(W, d):\n    return nn.layers.hidden_unit_grad(W, d) + lay.x.y + wg(W, d) + obj.attr[0].z\n")
    assert cells.name_chains(source) == [("lay", "x", "y"), ("wg",), ("W",), ("d",), ("obj", "attr"),
                                         ("nn", "layers", "hidden_unit_grad")]   # breadth first, each once
    assert cells.package_aliases(source) == {"nn": "nnfromscratch", "nnfromscratch": "nnfromscratch",
                                             "lay": "nnfromscratch.layers", "wg": "nnfromscratch.layers.weight_grad"}
    assert cells.name_chains("def broken(:") == [] and cells.facts("def broken(:").parsed is False
    assert cells.facts(cells.facts(source)) == cells.facts(source)   # Facts are taken as they are


def test_the_package_s_answers_are_found_in_the_code_or_in_its_facts():
    exercise = EXERCISES["hidden_unit_grad"]
    source = "import nnfromscratch as q\ndef hidden_unit_grad(W, delta):\n    return q.hidden_unit_grad(W, delta)\n"
    assert exercise.answers_used_in(source) == exercise.answers_used_in(cells.facts(source)) == ["q.hidden_unit_grad"]
    assert exercise.answers_used_in("def hidden_unit_grad(W, delta):\n    return W.T @ delta\n") == []
    assert exercise.answers_used_in("x = h.hidden_unit_grad", namespace={"h": nn}) == ["h.hidden_unit_grad"]


def test_each_cell_is_parsed_once_however_many_questions_are_asked(monkeypatch):
    parsed = []
    real = ast.parse
    monkeypatch.setattr(ast, "parse", lambda source, *a, **k: parsed.append(source) or real(source, *a, **k))
    notebook = {"cells": [{"cell_type": "code", "source": f"v{i} = a[1:2:3]\n", "metadata": {"nbgrader": {
        "solution": True, "grade_id": f"cell_{i}"}}} for i in range(300)]}   # more than any cache would hold
    code = cells.code_cells(notebook)
    assert parsed == []   # nothing is parsed before it is asked for
    names = [f"name_{i}" for i in range(5)]
    selected = cells.solution_cells(code, names)
    cells.import_statements(code, selected)
    for name in ("value_add", "value_mul", "topological_order"):
        [EXERCISES[name].answers_used_in(f) for f in cells.selected_facts(code, selected)]
    assert len(parsed) == len(code) == 300
