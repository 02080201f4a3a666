"""The autograder against good, broken and hostile submissions.

Every submission must yield a valid Gradescope results.json with a sensible score and
message, within the grader's overall limit, and leave the submission file unchanged.
"""

import json
import subprocess
import sys
import time

import nbformat
import pytest

from nnfromscratch_tools.manifest import load_book

ROOT = load_book().root
from nnfromscratch_tools.grading import Limits, grade

pytestmark = pytest.mark.kernel  # the grader runs each submission in a Jupyter kernel

LIMITS = Limits(cell_timeout=4, call_timeout=1, total_timeout=30, max_output=20_000, memory=512 * 1024 ** 2)
BOOK = load_book()
SOLVED = BOOK.lesson("04").path        # one exercise: hidden_unit_grad
LEARNER = ROOT / "learner" / SOLVED.name


def notebook(solution=None, extra=(), base=SOLVED):
    """The lesson-04 notebook with its solution cell replaced and/or extra code cells appended."""
    nb = nbformat.read(base, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "hidden_unit_grad" and solution is not None:
            cell.source = solution
        cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs", None) or []
        if cell.cell_type != "code":
            cell.pop("outputs", None)
    nb.cells += [nbformat.v4.new_code_cell(code) for code in extra]
    return nb


def submit(tmp_path, content, lesson="04"):
    path = tmp_path / "submission.ipynb"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        nbformat.write(content, path)
    before = path.read_bytes()
    start = time.monotonic()
    results = grade(path, lesson=lesson, limits=LIMITS)
    took = time.monotonic() - start
    assert path.read_bytes() == before, "the submission file changed"
    assert took <= LIMITS.total_timeout, f"grading took {took:.0f} s, over the overall limit"
    json.dumps(results)  # valid JSON
    assert set(results) >= {"score", "tests", "output", "execution_time"}
    for t in results["tests"]:
        assert set(t) >= {"name", "score", "max_score", "status", "output"}
        assert t["status"] in ("passed", "failed") and 0 <= t["score"] <= t["max_score"]
    return results


def only_test(results):
    (test,) = results["tests"]
    return test


GOOD = "def hidden_unit_grad(W, delta):\n    return W.T @ delta\n"


def test_correct_solution_scores_full(tmp_path):
    r = submit(tmp_path, notebook(GOOD))
    assert r["score"] == 1 and only_test(r)["status"] == "passed"
    assert "hidden input" in only_test(r)["output"]


def test_a_catalogued_mistake_is_named(tmp_path):
    r = submit(tmp_path, notebook("def hidden_unit_grad(W, delta):\n    return W @ delta\n"))
    assert r["score"] == 0 and "missing transpose" in only_test(r)["output"]


def test_learner_version_left_unanswered_scores_zero(tmp_path):
    r = submit(tmp_path, nbformat.read(LEARNER, as_version=4))
    assert r["score"] == 0 and "not written yet" in only_test(r)["output"]


@pytest.mark.parametrize("name,solution,extra,message", [
    ("syntax error", "def hidden_unit_grad(W, delta):\n    return W.T @@ delta\n", (), "SyntaxError"),
    ("name error", "def hidden_unit_grad(W, delta):\n    return W.T @ delt\n", (), "NameError"),
    ("loop inside the exercise", "def hidden_unit_grad(W, delta):\n    while True:\n        pass\n", (),
     "Is there a loop that never ends?"),
    ("loop at top level", GOOD, ("while True:\n    pass",), "was interrupted"),
    ("sys.exit", GOOD, ("import sys\nsys.exit(3)",), ""),
    ("kernel dies", GOOD, ("import os\nos._exit(1)",), "stopped the kernel"),
    ("output flood", GOOD, ("for i in range(10**7):\n    print('spam' * 50)",), ""),
    ("huge allocation", GOOD, ("import numpy as np\nbig = np.ones((40_000, 40_000))",), "MemoryError"),
])
def test_broken_submissions_are_graded(tmp_path, name, solution, extra, message):
    r = submit(tmp_path, notebook(solution, extra))
    assert message in r["output"] + only_test(r)["output"]
    solved = solution == GOOD
    assert r["score"] == (1 if solved else 0), r


def test_patching_numpy_and_the_checker_cannot_raise_the_score(tmp_path):
    wrong = "def hidden_unit_grad(W, delta):\n    return W @ delta\n"
    patches = ("import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True",
               "import nnfromscratch.checks as c\nc.judge = lambda *a, **k: None\nc.evaluate = lambda *a, **k: None",
               "import builtins\nbuiltins.isinstance = lambda *a: True")
    r = submit(tmp_path, notebook(wrong, patches))
    assert r["score"] == 0


def test_writing_its_own_results_json_changes_nothing(tmp_path):
    fake = json.dumps({"score": 100, "tests": []})
    target = tmp_path / "results.json"
    code = (f"open('results.json', 'w').write({fake!r})\n"
            f"open({str(target)!r}, 'w').write({fake!r})")
    r = submit(tmp_path, notebook("def hidden_unit_grad(W, delta):\n    return W @ delta\n", (code,)))
    assert r["score"] == 0
    # the command line writes its own results last
    sub = tmp_path / "submission.ipynb"
    subprocess.run([sys.executable, "-m", "nnfromscratch", "grade", str(sub), "--results", str(target),
                    "--total-timeout", "30"], check=True, capture_output=True)
    assert json.loads(target.read_text())["score"] == 0


def test_deleting_files_is_contained(tmp_path):
    sub = tmp_path / "submission.ipynb"
    code = (f"import glob, os\nfor p in glob.glob('*') + [{str(sub)!r}]:\n"
            "    try:\n        os.remove(p)\n    except OSError:\n        pass")
    r = submit(tmp_path, notebook(GOOD, (code,)))
    assert r["score"] == 1 and "restored" in r["output"]


@pytest.mark.parametrize("solution,extra", [
    ("def hidden_unit_grad(W, delta):\n    return nn.hidden_unit_grad(W, delta)\n", ()),
    ("from nnfromscratch.layers import hidden_unit_grad as h\ndef hidden_unit_grad(W, delta):\n    return h(W, delta)\n",
     ()),
    (GOOD, ("hidden_unit_grad = nn.hidden_unit_grad",)),
    ("import nnfromscratch\nf = getattr(nnfromscratch, 'hidden_' + 'unit_grad')\n"
     "def hidden_unit_grad(W, delta):\n    return f(W, delta)\n", ()),
])
def test_calling_the_reference_scores_zero(tmp_path, solution, extra):
    r = submit(tmp_path, notebook(solution, extra))
    assert r["score"] == 0 and "package's own reference" in only_test(r)["output"]


def test_empty_notebook(tmp_path):
    r = submit(tmp_path, nbformat.v4.new_notebook())
    assert r["score"] == 0 and "not defined" in only_test(r)["output"]


def test_not_json(tmp_path):
    r = submit(tmp_path, b"this is not a notebook \x00\xff")
    assert r["score"] == 0 and r["tests"] == [] and "not a Jupyter notebook" in r["output"]


def test_notebook_of_another_lesson(tmp_path):
    r = submit(tmp_path, nbformat.read(BOOK.lesson("02").path, as_version=4))
    assert r["score"] == 0 and "lesson 02_loss" in only_test(r)["output"]


def test_lesson_is_recognised_and_folder_grading_writes_a_csv(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    nbformat.write(notebook(GOOD), folder / "alice.ipynb")
    nbformat.write(nbformat.read(LEARNER, as_version=4), folder / "bob.ipynb")
    (folder / "carol.ipynb").write_text("{broken")
    out = tmp_path / "scores.csv"
    subprocess.run([sys.executable, "-m", "nnfromscratch", "grade-folder", str(folder), "--csv", str(out)],
                   check=True, capture_output=True, timeout=120)
    rows = out.read_text().splitlines()
    assert rows[0].startswith("submission,score,max_score")
    assert any(r.startswith("alice.ipynb,1.0,1.0") for r in rows)
    assert any(r.startswith("bob.ipynb,0.0,1.0") for r in rows)
    assert any(r.startswith("carol.ipynb,0,0") for r in rows)


def test_gradescope_run_autograder_writes_results(tmp_path):
    (tmp_path / "submission").mkdir()
    nbformat.write(notebook(GOOD), tmp_path / "submission" / "mine.ipynb")
    env = {"AUTOGRADER": str(tmp_path), "PYTHON": sys.executable, "PATH": "/usr/bin:/bin"}
    subprocess.run(["bash", str(ROOT / "grading" / "gradescope" / "run_autograder")], env=env, check=True,
                   capture_output=True, timeout=120)
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 1 and results["tests"][0]["status"] == "passed"


@pytest.mark.parametrize("code", [
    "import sys\nsys.setprofile(None)",
    "import importlib\nL = importlib.import_module('nnfromscratch.layers')",
    "get_ipython().input_transformers_post.append(lambda lines: lines)",
    "import os\nos.kill(os.getppid(), 9)",
    "import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'pass'], start_new_session=True)",
    "import sys\nfor m in list(sys.modules): pass",
    "from concurrent.futures import ThreadPoolExecutor",
], ids=["setprofile", "importlib", "input transformer", "kill the grader", "daemon", "sys.modules", "threads"])
def test_tampering_with_the_grader_is_not_run_and_scores_zero(tmp_path, code):
    r = submit(tmp_path, notebook(GOOD, (code,)))
    assert r["score"] == 0 and "not graded" in only_test(r)["output"] and "was not run" in r["output"]


def test_learner_versions_use_nothing_the_grader_refuses():
    from nnfromscratch_tools.grading import tampering

    for lesson in BOOK.lessons:
        for path in (lesson.path, ROOT / lesson.learner_file):
            nb = nbformat.read(path, as_version=4)
            assert tampering([c.source for c in nb.cells if c.cell_type == "code"]) is None, path


def test_a_deep_folder_left_behind_does_not_break_the_grader(tmp_path):
    code = "import os\nos.makedirs('/'.join(['d'] * 300), exist_ok=True)"
    r = submit(tmp_path, notebook(GOOD, (code,)))
    assert r["score"] == 1
