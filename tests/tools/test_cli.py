"""nnfromscratch_tools/cli.py, the one command line: paths are relative to the caller's folder, --course names the
course, and a problem of the tools (a missing file, folder, book.toml or dependency) exits non-zero with a
message that names it, never blaming a student's notebook."""

import csv
import importlib.util
import shutil
import subprocess
import sys

import nbformat
import pytest

from nnfromscratch_tools import cli
from nnfromscratch_tools.manifest import load_book

BOOK = load_book()
SOLVED = BOOK.lesson("04").path  # one exercise: hidden_unit_grad


def run(argv, capsys):
    status = cli.main(argv)
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A working folder outside the repository, with no course named by the environment."""
    monkeypatch.delenv("NNFROMSCRATCH_COURSE", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_missing_submission_is_the_callers_problem_named(elsewhere, capsys):
    status, out, err = run(["grade", "nowhere.ipynb"], capsys)
    assert status == 2 and not (elsewhere / "results.json").exists()
    assert f"grade: no submission at {elsewhere / 'nowhere.ipynb'} (paths are relative to the folder you run this " \
           "from)" in err


def test_a_missing_folder_is_named(elsewhere, capsys):
    status, out, err = run(["grade-folder", "submitted", "--csv", "scores.csv"], capsys)
    assert status == 2 and f"grade-folder: no folder at {elsewhere / 'submitted'}" in err
    assert not (elsewhere / "scores.csv").exists() and not (BOOK.root / "scores.csv").exists()


def test_a_sandbox_that_cannot_run_is_the_graders_problem_named(elsewhere, capsys, monkeypatch):
    """The grader refuses (say, its uid lock folder is not its own) rather than run a submission as root: the
    command says so and exits 2, with no traceback and no results file blaming the notebook."""
    import nnfromscratch_tools.grading as grading

    def refuse(*args, **kwargs):
        raise grading.SandboxUnavailable("the lock folder /run/nnfromscratch-sandbox-users is not the grader's")
    monkeypatch.setattr(grading, "safe_grade", refuse)
    shutil.copyfile(SOLVED, elsewhere / "s.ipynb")
    status, out, err = run(["--course", str(BOOK.root), "grade", "s.ipynb"], capsys)
    assert status == 2 and not (elsewhere / "results.json").exists() and "Traceback" not in err
    assert "grade: not graded, the grader's sandbox cannot run here: the lock folder" in err


@pytest.mark.parametrize("how", ["--course", "environment"])
def test_a_course_folder_without_book_toml_is_named(elsewhere, capsys, monkeypatch, how):
    (elsewhere / "empty").mkdir()
    if how == "--course":
        argv = ["--course", "empty", "readme"]
    else:
        monkeypatch.setenv("NNFROMSCRATCH_COURSE", str(elsewhere / "empty"))
        argv = ["readme"]
    status, out, err = run(argv, capsys)
    assert status == 2
    assert f"No book.toml in {elsewhere / 'empty'}: --course must name the course folder" in err


def test_a_missing_dependency_names_the_tools_installation(elsewhere, capsys, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nbformat" else real(name, *a))
    status, out, err = run(["--course", str(BOOK.root), "learner", "04"], capsys)
    assert status == 2 and not out
    assert "`learner` needs nbformat, which this Python environment" in err
    assert "pip install 'nnfromscratch[grade]'" in err and "not of any notebook" in err


def test_an_unknown_lesson_is_named(elsewhere, capsys):
    status, out, err = run(["--course", str(BOOK.root), "learner", "99"], capsys)
    assert status == 2 and "No lesson '99' in book.toml" in err


def test_course_names_another_course_folder_from_anywhere(elsewhere, capsys):
    """A copy of the course elsewhere: --course DIR (relative to the caller) is the course the command works on."""
    course = elsewhere / "copy"
    (course / "notebooks").mkdir(parents=True)
    shutil.copy(BOOK.root / "book.toml", course)
    lesson = BOOK.lessons[1]
    shutil.copy(lesson.path, course / "notebooks")
    (elsewhere / "work").mkdir()
    status, out, err = run(["--course", "copy", "learner", lesson.stem], capsys)
    assert status == 0, err
    written = course / "learner" / lesson.path.name
    assert nbformat.read(written, as_version=4) == nbformat.read(BOOK.root / lesson.learner_file, as_version=4)


def test_python_m_nnfromscratch_is_the_same_command_line(elsewhere):
    done = subprocess.run([sys.executable, "-m", "nnfromscratch", "grade", "missing.ipynb"], capture_output=True,
                          text=True, cwd=elsewhere, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("python -m nnfromscratch: grade: no submission at")
    done = subprocess.run([sys.executable, "-m", "nnfromscratch", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    for command in ("execute", "learner", "readme", "book", "grade", "grade-folder", "--course"):
        assert command in done.stdout


@pytest.mark.kernel
def test_grading_from_another_folder_writes_its_results_there(elsewhere, capsys):
    nb = nbformat.read(SOLVED, as_version=4)
    (elsewhere / "submitted").mkdir()
    nbformat.write(nb, elsewhere / "submitted" / "alice.ipynb")
    status, out, err = run(["grade-folder", "submitted", "--csv", "scores.csv", "--total-timeout", "60"], capsys)
    assert status == 0, err
    rows = list(csv.DictReader((elsewhere / "scores.csv").open()))
    assert [(r["submission"], r["score"], r["max_score"]) for r in rows] == [("alice.ipynb", "1.0", "1.0")]
    assert "1 submissions -> scores.csv" in out
    status, out, err = run(["grade", "submitted/alice.ipynb", "--total-timeout", "60"], capsys)
    assert status == 0 and (elsewhere / "results.json").is_file()
    assert "submitted/alice.ipynb: 1 / 1 -> results.json" in out
