"""The autograder against good, broken and hostile submissions (the red-team suite of grading/README.md).

Every submission is hostile code. For each attack: the promised score, a valid result, the other
submissions' rows untouched, no process left behind. The suite says whether bubblewrap was active.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from nnfromscratch.exercises import EXERCISES, cases_for, runner
from nnfromscratch.exercises.judge import judge
from nnfromscratch_tools.grading import Limits, Sandbox, find_submissions, grade, grade_folder
from nnfromscratch_tools.grading.results import csv_cell
from nnfromscratch_tools.grading.sandbox import SLOT_UID_BASE as SANDBOX_UID
from nnfromscratch_tools.grading.sandbox import readable_by_the_sandbox
from nnfromscratch_tools.manifest import load_book

pytestmark = pytest.mark.slow

BOOK = load_book()
ROOT = BOOK.root
LIMITS = Limits(total_timeout=20, cell_timeout=2, call_timeout=1, memory=512 * 1024 ** 2, max_output=20_000)
SANDBOXED, WHY = Sandbox.available()
GOOD = "def hidden_unit_grad(W, delta):\n    return W.T @ delta\n"
WRONG = "def hidden_unit_grad(W, delta):\n    return W @ delta\n"
MARKER = "nnfs-red-team-survivor"
# Each pytest-xdist worker grades in sandbox slots of its own (as root, a slot is a user of its own), so one
# worker's survivor check never sees another worker's live sandbox.
SLOT = 10 + 10 * int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").lstrip("gw") or 0)


def test_the_sandbox_is_active_where_bubblewrap_is_installed():
    """CI installs bubblewrap: grading there must be sandboxed (the other tests say so in their results)."""
    print(f"sandbox: {SANDBOXED} ({WHY})")
    if os.environ.get("CI"):
        assert SANDBOXED, WHY


def notebook(solution=None, extra=(), lesson="04"):
    """The solved notebook of a lesson with its (first) solution cell replaced and extra solution cells appended
    (a hostile student can mark any cell as a solution cell)."""
    nb = nbformat.read(BOOK.lesson(lesson).path, as_version=4)
    replaced = False
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if cell.metadata.get("nbgrader", {}).get("solution") and solution is not None and not replaced:
                cell.source, replaced = solution, True
    for code in extra:
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": f"extra_{len(nb.cells)}",
                                     "locked": False, "schema_version": 3, "task": False}
        nb.cells.append(cell)
    return nb


def write(folder, name, content):
    path = Path(folder) / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        nbformat.write(content, path)
    return path


def submit(tmp_path, content, lesson="04", name="submission.ipynb", limits=LIMITS):
    path = write(tmp_path, name, content)
    before = path.read_bytes()
    start = time.monotonic()
    result = grade(path, lesson=lesson, limits=limits, slot=SLOT)
    took = time.monotonic() - start
    assert path.read_bytes() == before, "the submission file changed"
    assert took <= limits.total_timeout + 15, f"grading took {took:.0f} s"
    json.dumps(result.to_gradescope(), ensure_ascii=False).encode("utf-8")  # valid JSON, valid UTF-8
    for e in result.exercises:
        assert 0 <= e.score <= e.max_score and e.message
    assert no_survivors()
    return result


def no_survivors(wait=5.0, slots=None):
    """No process of this test's submissions is left: none runs as one of this worker's sandbox users (they are
    killed with SIGKILL; give the kernel a moment to reap them)."""
    users = {SANDBOX_UID + s for s in (slots if slots is not None else range(SLOT, SLOT + 10))}
    deadline = time.monotonic() + wait
    while True:
        ps = subprocess.run(["ps", "-eo", "uid="], capture_output=True, text=True).stdout
        alive = [int(u) for u in ps.split() if u.isdigit() and int(u) in users]
        if not alive or time.monotonic() > deadline:
            return not alive
        time.sleep(0.1)


def only(result):
    (e,) = result.exercises
    return e


# --- what grading must get right ------------------------------------------------------------------------------

def test_correct_solution_scores_full_on_fresh_hidden_inputs(tmp_path):
    r = submit(tmp_path, notebook(GOOD))
    assert r.score == 1 and "hidden input" in only(r).message
    assert r.sandbox == ("bubblewrap" if SANDBOXED else r.sandbox)


def test_a_catalogued_mistake_is_named(tmp_path):
    r = submit(tmp_path, notebook(WRONG))
    assert r.score == 0 and "missing transpose" in only(r).message


def test_learner_version_left_unanswered_scores_zero(tmp_path):
    learner = nbformat.read(ROOT / BOOK.lesson("04").learner_file, as_version=4)
    r = submit(tmp_path, learner)
    assert r.score == 0 and "not written yet" in only(r).message


def test_every_solved_lesson_scores_full_and_every_learner_version_zero(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for lesson in BOOK.lessons:
        write(folder, f"solved_{lesson.stem}.ipynb", nbformat.read(lesson.path, as_version=4))
        write(folder, f"learner_{lesson.stem}.ipynb", nbformat.read(ROOT / lesson.learner_file, as_version=4))
    results = grade_folder(folder, tmp_path / "scores.csv", limits=LIMITS, jobs=2, progress=None, first_slot=SLOT)
    for r in results:
        expected = r.max_score if r.submission.startswith("solved_") else 0
        assert r.max_score > 0 and r.score == expected, (r.submission, [e.message for e in r.exercises])


@pytest.mark.parametrize("solution,message", [
    ("def hidden_unit_grad(W, delta):\n    return W.T @@ delta\n", "SyntaxError"),
    ("def hidden_unit_grad(W, delta):\n    return W.T @ delt\n", "NameError"),
    ("def hidden_unit_grad(W, delta):\n    while True:\n        pass\n", "Is there a loop that never ends?"),
    ("def hidden_unit_grad(W, delta):\n    import signal\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
     "    while True:\n        pass\n", "time limit"),
    ("def hidden_unit_grad(W, delta):\n    while True:\n        try:\n            pass\n        except BaseException:\n"
     "            pass\n", "Is there a loop that never ends?"),
    ("def hidden_unit_grad(W, delta):\n    import os\n    os._exit(1)\n", "no result came back"),
    ("def hidden_unit_grad(W, delta):\n    import sys\n    sys.exit(3)\n", "SystemExit"),
    ("def hidden_unit_grad(W, delta):\n    raise ValueError('\\udcff lone surrogate ' + chr(0xDCFF))\n",
     "lone surrogate"),
    ("def hidden_unit_grad(W, delta):\n    import numpy as np\n    return np.zeros(8_000_000)\n", "too large"),
    ("def hidden_unit_grad(W, delta):\n    return [[1.0] * 10_000] * 10_000\n", "Python list"),
])
def test_broken_answers_score_zero_with_a_message(tmp_path, solution, message):
    r = submit(tmp_path, notebook(solution))
    text = only(r).message + " ".join(r.notes)
    assert r.score == 0 and message in text, text


@pytest.mark.parametrize("extra,message", [
    ("while True:\n    pass", "ran too long"),
    ("import os\nos._exit(1)", "did not finish"),
    ("for i in range(10**7):\n    print('spam' * 50)", ""),
    ("import numpy as np\nbig = np.ones((40_000, 40_000))", "MemoryError"),
    ("import os\nwhile True:\n    os.fork()", ""),
    ("with open('/sandbox/big', 'wb') as f:\n    f.write(b'0' * 200 * 1024 ** 2)", ""),
    ("import os\nos.makedirs('/'.join(['d'] * 300), exist_ok=True)", ""),
    ("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)", "OSError"),
])
def test_a_hostile_cell_cannot_stop_a_correct_answer_from_scoring(tmp_path, extra, message):
    """The attack runs in a cell of its own after the correct answer: the answer still scores (or the note says
    why the process stopped), and the grader always writes a result."""
    r = submit(tmp_path, notebook(GOOD, (extra,)))
    if "did not finish" in message:
        assert r.score == 0 and message in " ".join(r.notes)
    else:
        assert r.score == 1, (r.notes, only(r).message)
        assert message in " ".join(r.notes) + only(r).message


# --- a forged grade --------------------------------------------------------------------------------------------

FORGERIES = {
    "IPython hook": "get_ipython().events.register('post_run_cell', lambda r: None)",
    "profiler off": "import sys\nsys.setprofile(None)\nsys.settrace(None)",
    "reference through a thread": "import _thread, nnfromscratch as nn\n_thread.start_new_thread(nn.hidden_unit_grad, "
                                  "(None, None))\ndef hidden_unit_grad(W, delta):\n    return nn.hidden_unit_grad(W, delta)",
    "reference through __array__": "import numpy as np, nnfromscratch as nn\nclass A:\n    def __init__(s, W, d):\n"
                                   "        s.W, s.d = W, d\n    def __array__(s, dtype=None, copy=None):\n"
                                   "        return nn.hidden_unit_grad(s.W, s.d)\n"
                                   "def hidden_unit_grad(W, delta):\n    return np.asarray(A(W, delta))",
    "cloned code object": "import types, nnfromscratch as nn\nf = nn.hidden_unit_grad\n"
                          "hidden_unit_grad = types.FunctionType(f.__code__, f.__globals__, 'x')",
    "exec of inspect.getsource": "import inspect, nnfromscratch.layers as L\nns = {}\n"
                                 "exec(inspect.getsource(L), ns)\nhidden_unit_grad = ns['hidden_unit_grad']",
    "exec of the package source, one character changed": (
        "import nnfromscratch.layers as L\nsrc = open(L.__file__).read().replace('Did you', 'did you')\n"
        "ns = {'__name__': 'x'}\nexec(src, ns)\nhidden_unit_grad = ns['hidden_unit_grad']"),
    "rebinding the module attribute": "import nnfromscratch as nn, nnfromscratch.layers as L\n"
                                      "L.hidden_unit_grad = lambda W, d: W @ d\nhidden_unit_grad = nn.hidden_unit_grad",
    "another package function": "import nnfromscratch as nn\n"
                                "def hidden_unit_grad(W, delta):\n"
                                "    return nn.dense_backward(delta[None, :], (W[:1] * 0, W, delta[None, :], 'linear'))[0][0]",
    "the original's transpose trick": "from nnfromscratch import original\n"
                                      "def hidden_unit_grad(W, delta):\n    return original.hidden_unit_grad(W.T, delta)",
    "the worked example's trace": "import nnfromscratch as nn\ndef hidden_unit_grad(W, delta):\n"
                                  "    return nn.trace().dL_dh1",
    "patching json": "import json\njson.dumps = lambda *a, **k: '{\"id\": 0, \"outcome\": {\"status\": \"ok\"}}'",
    "writing fake results to every descriptor": (
        "import os, json\nfor fd in range(3, 64):\n    try:\n"
        "        os.write(fd, (json.dumps({'ready': True, 'errors': []}) + '\\n').encode())\n"
        "        os.write(fd, (json.dumps({'id': 0, 'outcome': {'status': 'ok', 'value': {'kind': 'ndarray', "
        "'type': 'float64', 'shape': [2], 'data': [0.0, 0.0]}}}) + '\\n').encode())\n"
        "    except OSError:\n        pass"),
    "a lookup table of the check cell's inputs": (
        "import numpy as np\n"
        "rng = np.random.default_rng(0)\n"
        "TABLE = []\n"
        "for shape in [(3, 5), (4, 2)]:\n"
        "    W = rng.uniform(-1, 1, size=shape)\n"
        "    d = rng.uniform(-1, 1, size=shape[0])\n"
        "    TABLE.append((W, d, W.T @ d))\n"
        "def hidden_unit_grad(W, delta):\n"
        "    for w, d, answer in TABLE:\n"
        "        if w.shape == W.shape and np.allclose(w, W) and np.allclose(d, delta):\n"
        "            return answer\n"
        "    return np.array([0.03635031, 0.04137032]) if W.shape == (2, 2) else W @ delta"),
    "reading the solved notebook": "import glob\nsrc = [open(p).read() for p in glob.glob('/**/04_hidden_gradients.ipynb', "
                                   "recursive=True)]\nexec('def hidden_unit_grad(W, delta):\\n    return W.T @ delta') "
                                   "if any('W.T @ delta' in s for s in src) else None",
}


@pytest.mark.parametrize("attack", sorted(FORGERIES))
def test_a_forged_grade_scores_zero(tmp_path, attack):
    """Each cell tries to earn the point without writing the exercise (the exercise cell stays wrong or calls the
    package): every one scores 0."""
    code = FORGERIES[attack]
    defines = "def hidden_unit_grad" in code or "hidden_unit_grad =" in code
    r = submit(tmp_path, notebook(None if defines else WRONG, (code,)) if not defines else notebook(code))
    assert r.score == 0, (attack, only(r).message, r.notes)


def test_the_reference_is_absent_inside_the_sandbox(tmp_path):
    r = submit(tmp_path, notebook("import nnfromscratch as nn\ndef hidden_unit_grad(W, delta):\n"
                                  "    return nn.hidden_unit_grad(W, delta)\n"))
    assert r.score == 0 and "not available while grading" in only(r).message
    assert only(r).mistake == "reference used"


@pytest.mark.skipif(not SANDBOXED, reason=f"no sandbox here: {WHY}")
def test_the_sandbox_sees_no_repository_no_solutions_and_no_network(tmp_path):
    probe = (
        "import os, socket, glob\n"
        "roots = [d for d in os.listdir('/') if d not in ('proc', 'sys', 'dev', 'usr', 'lib', 'lib64', 'bin', 'sbin')]\n"
        "found = [p for d in roots for pattern in ('*.ipynb', 'book.toml', 'part1.py')"
        " for p in glob.glob(f'/{d}/**/{pattern}', recursive=True)]\n"
        "package = os.listdir('/pkg/nnfromscratch')\n"
        "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n    net = 'open'\n"
        "except OSError:\n    net = 'closed'\n"
        "raise RuntimeError(f'PROBE files={found} exercises={\"exercises\" in package} net={net} uid={os.getuid()} "
        "sandbox={sorted(os.listdir(\"/sandbox\"))}')")
    r = submit(tmp_path, notebook(GOOD, (probe,)))
    text = " ".join(r.notes)
    assert r.score == 1 and "PROBE" in text, text
    assert "files=['/sandbox/submission.ipynb']" in text
    assert "exercises=False" in text and "net=closed" in text and "sandbox=['submission.ipynb']" in text
    if os.geteuid() == 0:
        assert f"uid={SANDBOX_UID + SLOT}" in text


# --- one submission against the others ----------------------------------------------------------------------------

def test_a_daemon_cannot_touch_results_written_after_it(tmp_path):
    daemon = (f"import os, time\nif os.fork() == 0:\n    os.setsid()\n    # {MARKER}\n    time.sleep(3)\n"
              f"    for p in ['{tmp_path}/scores.csv', '{tmp_path}/results.json']:\n"
              "        try:\n            open(p, 'w').write('forged')\n        except OSError:\n            pass\n"
              "    os._exit(0)")
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder, "a_evil.ipynb", notebook(WRONG, (daemon,)))
    write(folder, "b_good.ipynb", notebook(GOOD))
    results = grade_folder(folder, tmp_path / "scores.csv", lesson="04", limits=LIMITS, jobs=1, progress=None,
                           first_slot=SLOT)
    time.sleep(4)
    csv = (tmp_path / "scores.csv").read_text()
    assert "forged" not in csv and [r.score for r in results] == [0, 1]
    assert no_survivors()


def test_a_submission_cannot_change_the_package_other_submissions_use(tmp_path):
    import nnfromscratch

    package = Path(nnfromscratch.__file__).parent
    attack = (f"for p in ['{package}/checks.py', '{package}/layers.py']:\n    try:\n"
              "        open(p, 'a').write('\\nraise SystemExit')\n    except OSError:\n        pass\n"
              "import site, os\nfor d in site.getsitepackages():\n    try:\n"
              "        open(os.path.join(d, 'evil.pth'), 'w').write('import os; os._exit(0)')\n"
              "    except OSError:\n        pass")
    before = {p: p.read_bytes() for p in package.rglob("*.py")}
    submit(tmp_path, notebook(WRONG, (attack,)))
    assert {p: p.read_bytes() for p in package.rglob("*.py")} == before
    assert not any(Path(d, "evil.pth").exists() for d in __import__("site").getsitepackages())
    assert submit(tmp_path, notebook(GOOD), name="next.ipynb").score == 1


def test_a_submission_cannot_overwrite_or_read_other_submissions(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    attack = (f"import glob\nfor p in glob.glob('{folder}/*'):\n    try:\n        open(p, 'w').write('x')\n"
              "    except OSError:\n        pass")
    write(folder, "a_evil.ipynb", notebook(WRONG, (attack,)))
    good = write(folder, "b_good.ipynb", notebook(GOOD))
    before = good.read_bytes()
    results = grade_folder(folder, tmp_path / "scores.csv", lesson="04", limits=LIMITS, jobs=2, progress=None,
                           first_slot=SLOT)
    assert good.read_bytes() == before and [r.score for r in results] == [0, 1]


def test_results_and_csv_are_always_valid_and_odd_files_get_a_row(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder, "good.ipynb", notebook(GOOD))
    write(folder, "UPPER.IPYNB", notebook(GOOD))
    write(folder, "=cmd()+1.ipynb", notebook(GOOD))
    write(folder, "-dash and space é.ipynb", notebook(WRONG))
    write(folder, "new\nline.ipynb", notebook(GOOD))
    write(folder, "broken.ipynb", b"{broken")
    write(folder, "binary.ipynb", b"\x00\xff\xfe" * 100)
    os.mkfifo(folder / "fifo.ipynb")
    os.symlink("/dev/zero", folder / "zero.ipynb")
    os.symlink(BOOK.lesson("04").path, folder / "solved_link.ipynb")
    (folder / "folder.ipynb").mkdir()
    raw = os.fsencode(str(folder)) + b"/caf\xe9.ipynb"
    with open(raw, "wb") as fh:
        fh.write(nbformat.writes(notebook(GOOD)).encode())
    csv_path = tmp_path / "scores.csv"
    results = grade_folder(folder, csv_path, lesson="04", limits=LIMITS, jobs=2, results_dir=tmp_path / "results",
                           report=tmp_path / "report.html", progress=None, first_slot=SLOT)
    by_name = {r.submission: r for r in results}
    assert len(results) == 12
    assert by_name["good.ipynb"].score == 1 and by_name["UPPER.IPYNB"].score == 1
    assert by_name["=cmd()+1.ipynb"].score == 1 and by_name["-dash and space é.ipynb"].score == 0
    for odd in ("fifo.ipynb", "zero.ipynb", "solved_link.ipynb", "folder.ipynb", "broken.ipynb", "binary.ipynb"):
        assert by_name[odd].score == 0 and by_name[odd].notes, odd
    text = csv_path.read_text(encoding="utf-8")
    assert "\n'=cmd()+1.ipynb," in text and "\n'-dash and space é.ipynb," in text and "new\\nline.ipynb" in text
    assert len(list((tmp_path / "results").glob("*.json"))) == 12
    for path in (tmp_path / "results").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    assert "missing transpose" in (tmp_path / "report.html").read_text()


def test_csv_cells_are_never_formulas():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert str(csv_cell(dangerous)).startswith("'")
    assert csv_cell("fine.ipynb") == "fine.ipynb" and csv_cell(1.0) == 1.0


def test_killing_the_grader_leaves_every_row_graded_so_far(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(6):
        write(folder, f"s{i}.ipynb", notebook(GOOD if i % 2 else WRONG,
                                              ("import time\ntime.sleep(1.5)",) if i >= 2 else ()))
    csv_path = tmp_path / "scores.csv"
    process = subprocess.Popen([sys.executable, "-m", "nnfromscratch", "grade-folder", str(folder), "--csv",
                                str(csv_path), "--jobs", "1", "--lesson", "04"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if csv_path.exists() and len(csv_path.read_text().splitlines()) >= 3:
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    rows = csv_path.read_text().splitlines()
    assert rows[0].startswith("submission,lesson,score") and 3 <= len(rows) < 7
    assert rows[1].startswith("s0.ipynb,04_hidden_gradients,0.0") and rows[2].startswith("s1.ipynb,04_hidden_gradients,1.0")
    assert no_survivors(slots=[0])  # the command line grades in slot 0


def test_the_hidden_inputs_are_fresh_on_every_run():
    a = cases_for("hidden_unit_grad", __import__("nnfromscratch_tools.grading.grade", fromlist=["x"]).hidden_rng())
    b = cases_for("hidden_unit_grad", __import__("nnfromscratch_tools.grading.grade", fromlist=["x"]).hidden_rng())
    assert not (a[1].args[0] == b[1].args[0]).all()


# --- the same verdict from check() and from the grader ---------------------------------------------------------------

def _agreement_cases():
    for name, exercise in EXERCISES.items():
        yield name


@pytest.fixture(scope="module")
def whole_package():
    """A copy of the whole package (its answers and catalogue included) that the sandbox's own user can read, as the
    grader's copies are: the checkout itself may sit in a folder only root can enter (a CI clone in mktemp -d)."""
    folder = Path(tempfile.mkdtemp(prefix="nnfs-whole-package-"))
    shutil.copytree(ROOT / "nnfromscratch", folder / "nnfromscratch", ignore=shutil.ignore_patterns("__pycache__"))
    readable_by_the_sandbox(folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("name", list(_agreement_cases()))
def test_check_and_grader_paths_give_identical_verdicts(tmp_path, name, whole_package):
    """Every catalogued mistake (and a correct answer, and train updating its example in place) runs through the
    check cell's path (in process) and the grader's path (the sandboxed worker, inputs and outcomes sent as JSON),
    on the same inputs: the same verdict and the same message, word for word."""
    from nnfromscratch.checks import evaluate

    exercise = EXERCISES[name]
    candidates = [("reference", f"EXERCISES[{name!r}].reference")]
    candidates += [(f"mistake {i}", f"EXERCISES[{name!r}].mistakes[{i}].fn") for i in range(len(exercise.mistakes))]
    if name == "train":
        candidates.append(("in place", "_train_in_place"))
    source = ("from nnfromscratch.exercises import EXERCISES\n"
              "def _train_in_place(ex, alpha, steps):\n"
              "    import nnfromscratch as nn\n"
              "    losses = []\n"
              "    for _ in range(steps):\n"
              "        t = nn.trace(ex, alpha=alpha)\n"
              "        losses.append(t.loss)\n"
              "        ex.W1 -= alpha * t.dW1\n"
              "        ex.b1 -= alpha * t.db1\n"
              "        ex.W2 -= alpha * t.dW2\n"
              "        ex.b2 -= alpha * t.db2\n"
              "    return losses + [nn.trace(ex).loss]\n")
    source += "".join(f"f{i} = {expr}\n" for i, (_, expr) in enumerate(candidates))
    cases = cases_for(name, 0)
    calls = [{"id": i * len(cases) + k, "function": f"f{i}", "probe": exercise.probe,
              "args": [runner.encode(a) for a in case.args], "limit": 5.0}
             for i in range(len(candidates)) for k, case in enumerate(cases)]
    # the full package on the path: this test is about the runner, the transport and the judge, not stripping
    sandbox = Sandbox(whole_package, Limits(total_timeout=120, call_timeout=5))
    try:
        report = sandbox.run(b"{}", [], [{"name": "candidates", "source": source}], calls)
    finally:
        sandbox.close()
    assert report.ready and not report.cell_errors, report
    namespace = {}
    exec(source, namespace)
    for i, (label, _) in enumerate(candidates):
        outcomes = [report.outcomes[i * len(cases) + k] for k in range(len(cases))]
        graded = judge(exercise, cases, outcomes, limit=runner.TIME_LIMIT)
        checked = evaluate(name, namespace[f"f{i}"]) if label != "reference" else None
        if checked is None:  # the check cell refuses the reference itself by identity; the judge must pass it
            assert graded.passed, graded.message
            continue
        assert (graded.passed, graded.mistake, graded.message) == (checked.passed, checked.mistake, checked.message), label
        if label.startswith("mistake"):
            assert not graded.passed and graded.mistake == exercise.mistakes[int(label.split()[1])].name
        if label == "in place":
            assert "changed `example.W1` in place" in graded.message


def test_find_submissions_never_follows_links_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside, "secret.ipynb", notebook(GOOD))
    folder = tmp_path / "class"
    folder.mkdir()
    os.symlink(outside, folder / "linked_dir")
    os.symlink(outside / "secret.ipynb", folder / "link.ipynb")
    found = find_submissions(folder)
    assert found == [folder / "link.ipynb"]
    r = grade(folder / "link.ipynb", lesson="04", limits=LIMITS, slot=SLOT)
    assert r.score == 0 and "symbolic link" in " ".join(r.notes)


def test_the_grader_s_package_copy_holds_only_the_importable_modules_and_the_declared_data(tmp_path):
    """A checkout's stray copies of a module (JupyterLab's checkpoints, a merge's .orig, an editor's backup, compiled
    files, hidden or non-importable folders) are never copied; PACKAGE_DATA is pyproject.toml's package-data."""
    import tomllib

    from nnfromscratch_tools.grading import strip

    package = tmp_path / "nnfromscratch"
    for name in ("__init__.py", "layers.py", "visuals/plots.py", "data/__init__.py", "data/digits.csv.gz",
                 "data/README.md", "exercises/part1.py",                                   # what is copied (or not)
                 ".ipynb_checkpoints/layers-checkpoint.py", "layers-checkpoint.py", "layers.py~", "layers.py.orig",
                 "layers.orig.py", "__pycache__/layers.cpython-311.pyc", "layers.pyc", ".hidden/layers.py",
                 "old copy/layers.py", "data/notes.txt", "visuals/README.md"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("")
    assert [p.as_posix() for p in strip.copied_files(package)] == [
        "__init__.py", "data/README.md", "data/__init__.py", "data/digits.csv.gz", "layers.py", "visuals/plots.py"]
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert {f"nnfromscratch.{folder}": list(patterns) for folder, patterns in strip.PACKAGE_DATA.items()} == declared


def test_a_path_naming_two_lessons_is_graded_as_neither(tmp_path):
    """The file name does not beat its assignment folder, nor a student folder named after a lesson the assignment:
    a path naming two lessons is not graded (its row says so, filed under the innermost folder)."""
    from nnfromscratch_tools.grading.folder import CONFLICT, expected_lesson

    s04, s00 = BOOK.lesson("04").stem, BOOK.lesson("00").stem
    cases = {f"alice/{s04}/{s00}.ipynb": CONFLICT, f"{s04}/alice/{s00}/x.ipynb": CONFLICT,
             f"{s00}/{s04}/{s04}.ipynb": CONFLICT, f"alice/{s04}/{s04}.ipynb": s04, f"alice/{s00}.IPYNB": s00,
             f"{s04}.ipynb": s04, "alice/notes.ipynb": None, f"alice/{s04}x/{s04}x.ipynb": None}
    assert {path: expected_lesson(tmp_path / path, tmp_path, BOOK) for path in cases} == cases


def test_without_a_sandbox_the_results_say_so_first(tmp_path, monkeypatch):
    """Where bubblewrap cannot run, results.json's output starts with the warning and extra_data names the reason;
    the verdict is still the judge's (the references are still absent from the package the worker imports)."""
    monkeypatch.setattr(Sandbox, "_probe", (False, "bubblewrap (bwrap) is not installed"))
    r = submit(tmp_path, notebook())
    data = r.to_gradescope()
    assert data["output"].startswith("WARNING: NO SANDBOX. bubblewrap (bwrap) is not installed"), data["output"]
    assert data["extra_data"]["sandbox"] == "none (bubblewrap (bwrap) is not installed)" and r.score == r.max_score
