"""exercises/runner.py, THE runner of a learner's function: private copies, the time limit, in-place changes
found wherever they are, plain-data outcomes; and it imports only the standard library and numpy, because the
grader copies its source into the grading process."""

import ast
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch.checks import evaluate
from nnfromscratch.exercises import runner


def test_in_place_change_is_caught():
    def update(p, g, a):
        p -= a * g
        return p
    result = evaluate("para_update", update)
    assert result.mistake == "argument modified in place" and "changed its argument `param` in place" in result.message


def test_an_in_place_change_is_found_inside_an_object_and_the_original_kept():
    ex = nn.worked_example()

    def train(example, alpha, steps):
        example.W1 -= 0.1
        return [0.0]
    out = runner.call(train, (ex, 0.1, 1))
    assert out.status == "ok" and out.mutated == (0, ".W1")
    np.testing.assert_array_equal(ex.W1, nn.worked_example().W1)  # it changed a private copy


def test_outcomes_report_values_exceptions_and_timeouts_as_plain_data():
    ok = runner.call(lambda a: a * 2, (np.array([1.0, 2.0]),))
    assert ok.status == "ok" and ok.value == {"kind": "ndarray", "type": "float64", "shape": [2], "data": [2.0, 4.0]}
    raised = runner.call(lambda: {}["missing"], ())
    assert raised.status == "raised" and raised.error == ("KeyError", "'missing'")
    start = time.perf_counter()

    def forever():
        while True:
            try:
                pass
            except BaseException:  # a bare except cannot swallow the limit for good
                pass
    assert runner.call(forever, (), limit=0.2).status == "timeout"
    assert time.perf_counter() - start < 2
    for out in (ok, raised):
        assert runner.Outcome.from_json(out.to_json()) == out


def test_a_sequence_is_described_by_what_it_holds_not_by_what_its_class_says():
    class Hiding(tuple):
        def __getitem__(self, index):
            return ()

        def __len__(self):
            return 0

        def __iter__(self):
            return iter(())
    hidden = runner.describe(Hiding((np.zeros(2), 1.0)))
    assert hidden["length"] == 2 and [item["kind"] for item in hidden["items"]] == ["ndarray", "scalar"]
    from collections import namedtuple
    pair = runner.describe(namedtuple("Pair", "W b")(np.ones(1), 2.0))
    assert pair["kind"] == "tuple" and pair["items"][1]["data"] == [2.0]
    long = runner.describe(type("T" * 5000, (), {})())
    assert long["kind"] == "other" and len(long["type"]) <= runner.MAX_TYPE


@pytest.mark.parametrize("bad", ['{"status": "won"}', '{"status": "ok", "value": {"kind": "ndarray", "type": "f", '
                                 '"shape": [3], "data": [1.0]}}', "[]",
                                 '{"status": "ok", "value": {"kind": "tuple", "length": 2, "items": []}}',
                                 '{"status": "ok", "value": {"kind": "other", "type": "' + "T" * 5000 + '"}}',
                                 '{"status": "ok", "value": {"kind": "ndarray", "type": "float64", '
                                 '"shape": [0, 250000, 31], "data": []}}'])
def test_outcomes_from_untrusted_json_are_refused_unless_well_formed(bad):
    with pytest.raises(ValueError):
        runner.Outcome.from_json(bad)


def test_the_runner_imports_only_the_standard_library_and_numpy():
    tree = ast.parse(Path(runner.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.level == 0}
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree)), "a relative import"
    assert imported - {"numpy"} <= set(sys.stdlib_module_names), imported
    assert "numpy" in imported
