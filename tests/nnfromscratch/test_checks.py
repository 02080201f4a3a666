"""checks.py, what a check cell calls: `check` prints the verdict of `evaluate`, which never raises because of
the learner's code and refuses the package's own reference."""

import time

import nnfromscratch as nn
from nnfromscratch import checks
from nnfromscratch.checks import evaluate


def test_not_implemented_exceptions_and_timeouts_are_reported_not_raised(monkeypatch):
    def todo(*args):
        raise NotImplementedError()
    assert "not written yet" in evaluate("mse", todo).message
    assert "raised ZeroDivisionError" in evaluate("mse", lambda y, yhat: 1 / 0).message
    assert "expected a function" in evaluate("mse", 3.0).message
    assert "not numbers" in evaluate("mse", lambda y, yhat: "0.3").message
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.2)
    start = time.perf_counter()

    def forever(y, yhat):
        while True:
            pass
    assert "stopped after 0.2 s" in evaluate("mse", forever).message
    assert time.perf_counter() - start < 2


def test_the_reference_itself_is_refused():
    assert "package's own reference" in evaluate("forward_prop", nn.forward_prop).message


def test_check_prints_the_verdict(capsys):
    checks.check("output_grad", lambda y, yhat: yhat - y)
    assert capsys.readouterr().out.startswith("✅ output_grad(y, yhat): correct on all 3 inputs")


def test_an_unknown_exercise_is_named():
    result = evaluate("backprop", lambda: None)
    assert not result.passed and "There is no exercise called 'backprop'" in result.message


def test_only_the_package_s_own_code_is_spared_the_screen_for_its_answers():
    """The catalogue's mistakes (package code) are not screened; code in a folder whose name merely starts like
    the package's (nnfromscratch_tools) and the learner's own code are."""
    from nnfromscratch import checks
    from nnfromscratch.exercises import part1
    from nnfromscratch_tools import manifest

    assert checks._source(part1._train_with_updated_W2) == ""
    assert "def load_book" in checks._source(manifest.load_book)
    assert "def test_only" in checks._source(test_only_the_package_s_own_code_is_spared_the_screen_for_its_answers)
