"""Grading one submission: read it, run its solution cells in the sandbox, call its functions on fresh hidden
inputs, judge what came back outside, with the same judge as the check cells.

    result = grade("submission.ipynb", lesson="04")        # a SubmissionResult; never raises for the submission

What the submission can influence is only what its functions return for inputs it has never seen: the
inputs are drawn here, from the operating system's randomness, on every run (plus the check cell's
visible worked-example inputs); the verdict is computed here; the package inside the sandbox lacks
the references of the lesson being graded; the points come from the manifest, not the notebook.
"""

import atexit
import secrets
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from nnfromscratch.exercises import EXERCISES, cases_for, runner
from nnfromscratch.exercises.exercise import Case
from nnfromscratch.exercises.judge import judge

from ..manifest import load_book
from . import submission as sub
from .results import ExerciseResult, SubmissionResult, safe_text
from .sandbox import Limits, Sandbox, SandboxUnavailable, readable_by_the_sandbox
from .strip import build_stripped_package

MAX_NOTES, MAX_NOTE = 40, 600  # notes kept per submission, characters per note
MAX_MESSAGE = 2000  # characters of an exercise's message (the catalogue's longest hint message is about 500)
_PACKAGES = {}   # exercise name -> folder holding the grader's copy of the package without its answer


def stripped_package(exercise):
    """The grader's copy of nnfromscratch without `exercise`'s answer (built once per grading process)."""
    if exercise.name not in _PACKAGES:
        folder = Path(tempfile.mkdtemp(prefix="nnfs-package-"))
        build_stripped_package(folder, [exercise])
        readable_by_the_sandbox(folder)
        _PACKAGES[exercise.name] = folder
    return _PACKAGES[exercise.name]


@atexit.register
def _cleanup():
    for folder in _PACKAGES.values():
        shutil.rmtree(folder, ignore_errors=True)


def hidden_rng():
    """A generator seeded from the operating system: the hidden inputs cannot be known in advance."""
    return np.random.default_rng(secrets.randbits(128))


def grade(path, lesson=None, limits=None, book=None, slot=0, require_sandbox=False, name=None):
    """Grade the notebook at `path`; return a SubmissionResult. Never raises because of the submission.

    lesson: the lesson it must be (a stem or number); default: recognised from the notebook.
    slot: which parallel grading slot this is (the sandbox's own user when the grader is root).
    require_sandbox: raise SandboxUnavailable rather than grade with the weaker isolation.
    """
    start = time.monotonic()
    limits = limits or Limits()
    book = book or load_book()
    result = SubmissionResult(submission=safe_text(name if name is not None else Path(path).name))

    def finish(note=None):
        if note:
            result.notes.insert(0, note)
        result.notes = [safe_text(n, MAX_NOTE) for n in result.notes][:MAX_NOTES]
        for e in result.exercises:  # what the submission returned is quoted in these: bounded like the notes
            e.message = safe_text(e.message, MAX_MESSAGE)
        result.execution_time = time.monotonic() - start
        return result

    target = None
    if lesson:
        try:
            target = book.lesson(str(lesson))
        except KeyError as err:
            return finish(str(err.args[0]))
        result.lesson = target.stem
        result.exercises = [ExerciseResult(n) for n in target.exercises]
    try:
        raw = sub.read_bytes(path)
        notebook = sub.parse(raw)
    except sub.Unreadable as err:
        for e in result.exercises:
            e.message, e.mistake = f"❌ not graded: {err}.", "unreadable"
        return finish(f"Not graded: {err}.")
    detected = sub.detect_lesson(notebook, book)
    if target is None:
        if detected is None:
            return finish("Could not tell which lesson this notebook belongs to (no lesson metadata, title or "
                          "exercise ids). Grade it with --lesson NAME.")
        target = detected
        result.lesson = target.stem
        result.exercises = [ExerciseResult(n) for n in target.exercises]
    if detected is not None and detected.stem != target.stem:
        for e in result.exercises:
            e.message = f"❌ This is the notebook of lesson {detected.stem} ({detected.title}), not {target.stem}."
            e.mistake = "wrong lesson"
        return finish(f"Wrong notebook: this is lesson {detected.stem}, not {target.stem}.")
    if not result.exercises:
        return finish(f"Lesson {target.stem} has no exercises to grade.")
    result.notes.append(f"Lesson: {target.title} ({target.stem}).")
    exercises = [EXERCISES[n] for n in target.exercises]
    _run_and_judge(notebook, target, exercises, result, limits, slot, require_sandbox, start + limits.total_timeout)
    return finish()


def _run_and_judge(notebook, lesson, exercises, result, limits, slot, require_sandbox, deadline):
    """Each exercise in a sandbox of its own, whose package lacks that exercise's answer (so the lesson's other
    exercises may use the package's versions of each other: a learner's dense_backward may call nn.relu_grad).
    deadline: when the submission's time (--total-timeout, counted from the start of its grading) is up."""
    notes = []
    if sub.read_code(notebook, deadline):
        cells = sub.solution_cells(notebook, [e.learner_name for e in exercises])
        imports = sub.import_statements(notebook, cells)
    else:
        cells, imports = [], []
        notes.append(f"The overall time limit ({limits.total_timeout:g} s) was reached while the grader read the "
                     "notebook's code; nothing of it was run.")
    for exercise in exercises:
        cases = cases_for(exercise.name, 0) + [Case("hidden input: " + c.label, c.args)
                                               for c in cases_for(exercise.name, hidden_rng())]
        calls = [{"id": i, "function": exercise.learner_name, "probe": exercise.probe,
                  "args": [runner.encode(a) for a in case.args], "limit": limits.call_timeout}
                 for i, case in enumerate(cases)]
        left = deadline - time.monotonic()
        if left <= 1:
            outcomes = [runner.Outcome("timeout")]
            notes.append(f"The overall time limit ({limits.total_timeout:g} s) was reached before {exercise.name} "
                         "was graded.")
        else:
            report = _run(notebook, exercise, imports, cells, calls, replace(limits, total_timeout=left), slot,
                          require_sandbox, result)
            notes += _notes(report, limits)
            if report.uid is not None:
                result.sandbox_users.append(report.uid)
            outcomes = []
            for i in range(len(cases)):
                outcome = report.outcomes.get(i)
                if outcome is None:
                    outcome = runner.Outcome("timeout") if report.timed_out else runner.Outcome(
                        "raised", error=("NoResult", "no result came back: the grading process stopped early"))
                outcomes.append(outcome)
                if outcome.status == "timeout":
                    break
        entry = next(e for e in result.exercises if e.name == exercise.name)
        try:
            verdict = judge(exercise, cases, outcomes, limit=limits.call_timeout)
        except Exception as err:  # noqa: BLE001 - a verdict the judge could not reach is this exercise's 0, not a crash
            entry.message = (f"❌ {exercise.signature}: what came back could not be judged ({type(err).__name__}); "
                             "this exercise scores 0.")
            entry.mistake = "unjudgeable"
            continue
        entry.message, entry.mistake = verdict.message, verdict.mistake or ("" if verdict.passed else "wrong")
        used = [] if verdict.passed else sub.reference_uses(notebook, cells, exercise)
        if used:
            entry.message += (f" (Your code calls the package's `{used[0]}`, which is this exercise's answer and "
                              "is not available while grading: write the function yourself.)")
            entry.mistake = "reference used"
        if verdict.passed:
            entry.score = entry.max_score
    result.notes += list(dict.fromkeys(notes))  # the same cell error seen in every exercise's run, said once


def _run(notebook, exercise, imports, cells, calls, limits, slot, require_sandbox, result):
    sandbox = Sandbox(stripped_package(exercise), limits, slot=slot, require=require_sandbox)
    try:
        if not sandbox.isolated and not result.sandbox:
            result.notes.insert(0, f"WARNING: NO SANDBOX. {sandbox.why}; this submission ran as a plain process with "
                                "the grader's own rights (use --require-sandbox to refuse this).")
        result.sandbox = "bubblewrap" if sandbox.isolated else f"none ({sandbox.why})"
        return sandbox.run(notebook.raw, imports, cells, calls)
    finally:
        sandbox.close()


def _notes(report, limits):
    notes = []
    for error in report.cell_errors:
        detail = error.get("error")
        kind, message = (list(detail) + ["", ""])[:2] if isinstance(detail, list) else ("", "")
        notes.append(f"The cell {safe_text(error.get('cell', ''), 80)} raised {safe_text(kind, 80)}: "
                     f"{safe_text(message, 300)}")
    if not report.ready:
        notes.append("The submission's code did not finish running (it ran out of time or memory, or stopped the "
                     "process); exercises without results score 0.")
    if report.stalled:
        notes.append(f"A call of your function did not finish within its time limit ({limits.call_timeout:g} s) and "
                     "the grading process was stopped; the calls left count as timed out.")
    elif report.timed_out:
        notes.append(f"The overall time limit ({limits.total_timeout:g} s) was reached; the sandbox was stopped.")
    return notes + [f"Grader: {p}" for p in report.problems]


def choose_notebook(folder, lesson, book=None):
    """The notebook of `lesson` among the files uploaded to `folder` (Gradescope's /autograder/submission).

    Returns (path or None, notes): the notes say which file is graded and which are ignored and why. With
    several notebooks of the lesson, the first by name is graded.
    """
    from .folder import find_submissions

    book = book or load_book()
    target = book.lesson(str(lesson))
    candidates, others = [], []
    for path in find_submissions(folder):
        try:
            detected = sub.detect_lesson(sub.parse(sub.read_bytes(path)), book)
        except sub.Unreadable as err:
            others.append(f"{safe_text(path.name)} ({err})")
            continue
        if detected is not None and detected.stem == target.stem:
            candidates.append(path)
        else:
            what = f"lesson {detected.stem}" if detected else "no lesson recognised"
            others.append(f"{safe_text(path.name)} ({what})")
    notes = []
    if candidates:
        notes.append(f"Graded {safe_text(candidates[0].name)}, the notebook of lesson {target.stem}.")
        others = [f"{safe_text(p.name)} (another notebook of this lesson)" for p in candidates[1:]] + others
    if others:
        notes.append("Ignored: " + "; ".join(others) + ".")
    if not candidates:
        notes.insert(0, f"No notebook of lesson {target.stem} ({target.title}) was uploaded. Upload that lesson's "
                        ".ipynb file.")
    return (candidates[0] if candidates else None), notes


def safe_grade(path, lesson=None, limits=None, book=None, slot=0, require_sandbox=False, name=None):
    """`grade`, but a result in every case: a failure of the grader itself becomes a score of 0 with a message
    (only SandboxUnavailable propagates: a sandbox that cannot run as required, or a grader that cannot give it a
    user of its own, is the grader's problem, which the command line names)."""
    try:
        return grade(path, lesson, limits, book, slot, require_sandbox, name)
    except SandboxUnavailable:
        raise
    except BaseException as err:  # noqa: BLE001 - KeyboardInterrupt included: a result must be written
        return SubmissionResult(submission=safe_text(name if name is not None else Path(path).name),
                                notes=[f"The grader could not finish this submission ({type(err).__name__}: "
                                       f"{safe_text(err)[:200]}). This is the grader's problem, not yours."])
