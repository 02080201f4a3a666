"""Exercise checks that say what is wrong, not just that something is.

A check cell calls `check("hidden_unit_grad", hidden_unit_grad)`. The learner's function runs
(through `exercises.runner`) on several inputs: the worked example, random values, shapes other
than 2x2 with out != in, each on private copies, with a time limit. The verdict
(`exercises.judge`): correct on every input; or a known mistake with its hint ("missing
transpose: you computed W @ delta"); or what went wrong: an exception, a time-out, an argument
changed in place, a wrong shape or type, the first wrong entry beside its expected value.

`evaluate(name, fn)` returns that verdict as a `CheckResult`; `check` prints it. Neither raises
because of the learner's code, except in one place on purpose: under nbgrader (`nbgrader autograde`
or `validate`, which set NBGRADER_EXECUTION), a failed check raises `CheckFailed`, an AssertionError
whose message is the verdict, so that nbgrader scores the check cell 0.
"""

import inspect
import os
import sys
from pathlib import Path

from .exercises import EXERCISES, cases_for
from .exercises.judge import REFERENCE_MESSAGE, CheckResult, judge
from .exercises.runner import TIME_LIMIT, call

__all__ = ["check", "evaluate", "EXERCISES", "CheckResult", "CheckFailed"]


def is_reference(name, fn):
    """True when fn is one of the package's own functions that solve exercise `name`."""
    exercise = EXERCISES[name]
    return any(fn is r for r in [exercise.reference, *exercise.forbidden_functions()])


_PACKAGE = Path(__file__).resolve().parent


def _source(fn):
    """The source of the learner's function (for a class or a method, of the object given), or "" if it has none
    or is the package's own code (the catalogue's mistakes are written with the package's functions)."""
    try:
        path = inspect.getsourcefile(fn)
        if path and Path(path).resolve().is_relative_to(_PACKAGE):
            return ""
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return ""


def _namespace(fn):
    """The names the learner's function sees: its globals (a class's: its module's)."""
    globals_ = getattr(fn, "__globals__", None)
    if isinstance(globals_, dict):
        return globals_
    module = sys.modules.get(getattr(fn, "__module__", "") or "")
    return vars(module) if module is not None else None


def evaluate(name, fn, seed=0):
    """Check the learner's `fn` for exercise `name`; return a CheckResult (never raises for fn's sake)."""
    exercise = EXERCISES.get(name)
    if exercise is None:
        return CheckResult(name, False, f"There is no exercise called {name!r}; choose one of {sorted(EXERCISES)}.")
    head = f"{exercise.signature}:"
    if not callable(fn):
        return CheckResult(name, False, f"❌ {head} expected a function, but got {type(fn).__name__}. "
                                        f"Pass the function itself: check({name!r}, {name}).")
    if is_reference(name, fn):
        return CheckResult(name, False, REFERENCE_MESSAGE.format(head=head), mistake="reference function used")
    used = exercise.answers_used_in(_source(fn), _namespace(fn))
    if used:  # as the grader sees it: there, the package has no such function
        return CheckResult(name, False, REFERENCE_MESSAGE.format(head=head) + f" (it calls `{used[0]}`, which the "
                                        "grader removes from the package while grading)",
                           mistake="reference function used")
    cases = cases_for(name, seed)
    target = exercise.target(fn)
    outcomes = []
    for case in cases:
        outcomes.append(call(target, case.args, TIME_LIMIT))
        if outcomes[-1].status == "timeout":
            break  # one endless loop is enough to report
    return judge(exercise, cases, outcomes, limit=TIME_LIMIT)


class CheckFailed(AssertionError):
    """A failed check under nbgrader: the cell fails, and shows the verdict without a long traceback."""

    def _render_traceback_(self):  # IPython shows this instead of the traceback
        return [str(self)]


def check(name, fn):
    """Check the learner's function for exercise `name` and print the verdict (see `evaluate`).

    Under nbgrader (NBGRADER_EXECUTION set to autograde or validate) a failed check raises CheckFailed
    instead of printing, so the check cell scores 0.
    """
    result = evaluate(name, fn)
    if not result.passed and os.environ.get("NBGRADER_EXECUTION", "").lower() in ("autograde", "validate"):
        raise CheckFailed(result.message)
    print(result.message)
