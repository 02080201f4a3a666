"""exercises/judge.py: the verdict from what the learner's function did: a hard-coded answer, the first wrong
entry, a wrong shape; the same verdict from outcomes that crossed a process boundary as JSON."""

import numpy as np

import nnfromscratch as nn
from nnfromscratch.checks import EXERCISES, cases_for, evaluate
from nnfromscratch.exercises.judge import judge
from nnfromscratch.exercises.runner import Outcome, call


def test_a_hard_coded_worked_example_answer_fails():
    t = nn.trace()
    result = evaluate("hidden_unit_grad", lambda W, d: t.dL_dh1)
    assert not result.passed and "W of shape (3, 5)" in result.message


def test_unknown_wrong_answer_shows_first_wrong_entry():
    result = evaluate("output_grad", lambda y, yhat: (yhat - y) * 1.5)
    assert not result.passed and result.mistake == ""
    assert "entry [0] is" in result.message and "but should be" in result.message


def test_wrong_shape_and_transpose_reported():
    result = evaluate("weight_grad", lambda x, d: np.zeros((len(x), len(d) + 1)))
    assert "shape" in result.message and not result.passed


def test_a_python_list_for_an_array_result_is_named():
    result = evaluate("output_grad", lambda y, yhat: list(yhat - y))
    assert not result.passed and "list" in result.message


def test_the_verdict_is_the_same_from_outcomes_sent_as_json():
    """The grader sends outcomes from its sandbox as JSON; judged there or here, the message is the same."""
    exercise = EXERCISES["hidden_unit_grad"]
    cases = cases_for("hidden_unit_grad", 0)
    for fn in (lambda W, d: W.T @ d, lambda W, d: W @ d.T if W.shape[0] == W.shape[1] else W.T @ d * 2,
               lambda W, d: 1 / 0):
        outcomes = [call(fn, case.args) for case in cases]
        sent = [Outcome.from_json(o.to_json()) for o in outcomes]
        assert judge(exercise, cases, sent).message == judge(exercise, cases, outcomes).message
