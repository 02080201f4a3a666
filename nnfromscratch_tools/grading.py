"""The autograder: run a submitted notebook in a fresh kernel, check its exercises, write Gradescope's results.json.

    python -m nnfromscratch grade SUBMISSION.ipynb --results results.json [--lesson 04]
    python -m nnfromscratch grade-folder SUBMISSIONS/ --csv scores.csv

How a submission is graded:

1. It is read once into memory (the file is never written to, and is restored if the
   submission's code changes or deletes it). A file that is not a notebook scores 0.
2. Its lesson is recognised from its metadata, its title or its exercise ids (or named
   with --lesson); a notebook of another lesson scores 0 with a message saying so.
3. Its code cells run in a fresh kernel in an empty temporary folder, with a time limit
   per cell and overall, a cap on the output kept, and a cap on the kernel's memory.
   Errors, endless loops, `sys.exit()` and a kernel that dies are recorded, not fatal:
   a dead kernel is restarted and the cells before it replayed.
4. For each exercise of the lesson, the grader sends the inputs of the notebook's check
   and hidden inputs drawn with another seed into the kernel, calls the learner's
   function there and brings its results back as plain numbers (JSON). The verdict is
   computed here, with the same `checks.judge` as the notebook's check cells, so nothing
   the submission patches in its kernel (numpy, the checker, builtins) can raise its score.
5. An exercise answered with the package's own reference function scores 0: its solution
   cell is read for uses of the reference, and calls into the reference's code are caught
   while the learner's function runs (however the reference was reached).

6. A notebook that uses constructs no exercise needs and that reach into the grader (its process,
   its profiler hook, its messages, threads, subprocesses: see TAMPERING) is not run at all.

Limits of this design: untrusted code runs as the grader's own user, so a determined submission
(obfuscated names, its own reimplementation of the package's code) can still reach what that user
can. Grade untrusted work in a container or a throw-away account, as Gradescope does.
"""

import argparse
import ast
import inspect
import csv
import json
import os
import queue
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from nnfromscratch.exercises import EXERCISES, cases_for
from nnfromscratch.exercises.exercise import Case
from nnfromscratch.exercises import runner
from nnfromscratch.exercises.judge import REFERENCE_MESSAGE, judge

from .manifest import load_book

HIDDEN_SEED = 7919  # the grader's extra inputs; the notebooks' check cells use seed 0


@dataclass
class Limits:
    cell_timeout: float = 30.0          # seconds per code cell
    call_timeout: float = 10.0          # seconds per call of a learner's function
    total_timeout: float = 300.0        # seconds for the whole submission
    max_output: int = 1_000_000         # characters of cell output read; the rest is discarded
    memory: int = 3 * 1024 ** 3         # bytes of address space the kernel may add after it starts


# --- the kernel ---------------------------------------------------------------------------------------------

# Sent into the kernel after the submission's cells ran: the package's one runner (its source, run in a private
# namespace) and a small function that decodes the inputs, calls the learner's function through it and encodes
# what came back. It computes no verdict.
KERNEL_HELPER = (
    "__nnfs_runner = {}\n"
    f"exec(compile({inspect.getsource(runner)!r}, 'nnfromscratch-runner', 'exec'), __nnfs_runner)\n"
    + r'''
def __nnfs_grader_call(name, payload, limit, forbidden):
    import json as _json, sys as _sys
    R = __nnfs_runner
    fn = get_ipython().user_ns.get(name)
    if fn is None or not callable(fn):
        return _json.dumps({"missing": True})
    from nnfromscratch.example import WorkedExample
    args = [R["decode"](a, {"WorkedExample": WorkedExample}) for a in _json.loads(payload)]
    # The package's functions that would solve this exercise, by code object: a call to one of them is
    # seen however it is reached (an alias, getattr, a closure), through the profiler hook below.
    codes = set()
    for modname, mod in list(_sys.modules.items()):
        if modname == "nnfromscratch" or modname.startswith("nnfromscratch."):
            for attr in forbidden:
                code = getattr(getattr(mod, attr, None), "__code__", None)
                if code is not None:
                    codes.add(code)
    hits = []

    def _profile(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            hits.append(frame.f_code.co_name)

    _sys.setprofile(_profile)
    try:
        outcome = R["call"](fn, args, limit)
    finally:
        _sys.setprofile(None)
    return _json.dumps({"outcome": outcome.to_json(), "reference": sorted(set(hits))})
''')


class KernelDied(Exception):
    pass


# Constructs that no exercise needs and that reach into the grader or around it (its process, its profiler hook,
# its messages, other threads or processes). A notebook using any of them is not run; its exercises score 0.
TAMPERING = ("input_transformers", "setprofile", "settrace", "getppid", "os.kill", "killpg", "start_new_session",
             "importlib", "__import__", "__nnfs", "sys.modules", "threading", "ThreadPoolExecutor",
             "multiprocessing", "subprocess", "ctypes", "signal.", "/proc/")


def tampering(sources):
    """The first construct of TAMPERING that appears in the notebook's code, or None."""
    code = "\n".join(sources)
    return next((marker for marker in TAMPERING if marker in code), None)


@dataclass
class RunResult:
    ok: bool
    timed_out: bool = False
    died: bool = False
    error: str = ""
    output_chars: int = 0
    expressions: dict = field(default_factory=dict)


class Sandbox:
    """A kernel in a temporary folder, with limits, that runs code and reports what happened as data."""

    def __init__(self, workdir, limits):
        self.workdir, self.limits = Path(workdir), limits
        self.km = self.kc = None

    def start(self):
        from jupyter_client import KernelManager

        env = {k: v for k, v in os.environ.items() if not k.startswith("JPY_")}
        env.update(HOME=str(self.workdir), MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", IPYTHONDIR=str(self.workdir / ".ipython"))
        # ipc sockets in the private folder where the platform has them (no open TCP ports)
        if os.name == "posix":
            self.km = KernelManager(kernel_name="python3", transport="ipc", ip=str(self.workdir / "kernel-ipc"))
        else:
            self.km = KernelManager(kernel_name="python3")
        self._fresh_ipython_dir()
        self.km.start_kernel(cwd=str(self.workdir), env=env)
        self._connect()
        self._cap_memory()

    def _fresh_ipython_dir(self):
        """An empty IPython folder for every (re)start, so no startup file a submission wrote is ever run."""
        ipython = self.workdir / ".ipython"
        shutil.rmtree(ipython, ignore_errors=True)
        ipython.mkdir()

    def _cap_memory(self):
        """Cap memory from inside the new kernel (before any submitted code), on top of what it already uses."""
        self.run("import resource as __r\nwith open('/proc/self/status') as __f:\n"
                 "    __vm = next((int(l.split()[1]) * 1024 for l in __f if l.startswith('VmSize:')), 0)\n"
                 f"__r.setrlimit(__r.RLIMIT_AS, (__vm + {int(self.limits.memory)}, __vm + {int(self.limits.memory)}))\n"
                 "del __r, __f, __vm", timeout=30)

    def _connect(self):
        if self.kc is not None:
            self.kc.stop_channels()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def restart(self):
        self._fresh_ipython_dir()
        self.km.restart_kernel(now=True)
        self._connect()
        self._cap_memory()

    def stop(self):
        """Shut the kernel down and kill its whole process group (anything the submission started)."""
        if self.km is None:
            return
        pgid = None
        try:
            pgid = os.getpgid(self.km.provisioner.process.pid)
        except Exception:
            pass
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:
            pass
        finally:
            if pgid is not None and pgid != os.getpgid(0):
                try:
                    os.killpg(pgid, 9)
                except OSError:
                    pass
            self.km = self.kc = None

    def run(self, code, timeout, user_expressions=None):
        """Execute code; return a RunResult (never raises for the code's sake; KernelDied if the kernel dies)."""
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False,
                                 user_expressions=user_expressions or {})
        deadline = time.monotonic() + timeout
        result = RunResult(ok=True)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._interrupt(result)
            try:
                msg = self.kc.get_iopub_msg(timeout=min(remaining, 0.5))
            except queue.Empty:
                if not self.km.is_alive():
                    raise KernelDied() from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                result.output_chars += len(content.get("text", ""))
            elif kind in ("display_data", "execute_result"):
                result.output_chars += len(str(content.get("data", {}).get("text/plain", "")))
            elif kind == "error":
                result.ok, result.error = False, f"{content.get('ename')}: {content.get('evalue')}"[:300]
            elif kind == "status" and content.get("execution_state") == "idle":
                break
        reply = self._reply(msg_id, deadline=time.monotonic() + 10)
        if reply is not None:
            result.expressions = reply["content"].get("user_expressions", {})
            if reply["content"].get("status") == "error" and result.ok:
                result.ok, result.error = False, f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}"
        return result

    def _reply(self, msg_id, deadline):
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                if not self.km.is_alive():
                    raise KernelDied() from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None

    def _interrupt(self, result):
        """A cell ran past its limit: interrupt it; if the kernel does not come back, restart it."""
        result.ok, result.timed_out = False, True
        self.km.interrupt_kernel()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                if not self.km.is_alive():
                    raise KernelDied() from None
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                return result
        raise KernelDied()  # it ignored the interrupt: treat it as dead, the caller restarts it


# --- reading a submission ---------------------------------------------------------------------------------

def _decode_outcome(text):
    data = json.loads(text)
    if data.get("missing"):
        return runner.Outcome("raised", error=("NameError", "the function is not defined in the notebook")), []
    return runner.Outcome.from_json(data["outcome"]), list(data.get("reference", []))


def detect_lesson(nb, book):
    """The lesson a notebook belongs to: from its metadata, its first heading, or its exercise ids."""
    stem = nb.get("metadata", {}).get("nnfromscratch", {}).get("lesson")
    for lesson in book.lessons:
        if stem == lesson.stem:
            return lesson
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            heading = next((l[2:].strip() for l in str(cell.get("source", "")).splitlines() if l.startswith("# ")), None)
            if heading:
                match = [l for l in book.lessons if l.title == heading]
                if match:
                    return match[0]
                break
    ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.get("cells", [])}
    for lesson in book.lessons:
        if lesson.exercises and set(lesson.exercises) <= ids:
            return lesson
    return None


def _module_aliases(code_cells):
    """Names bound to nnfromscratch or its modules anywhere in the notebook (`import nnfromscratch as nn`, ...)."""
    aliases = {"nnfromscratch"}
    for source in code_cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                aliases |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("nnfromscratch")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nnfromscratch"):
                aliases |= {a.asname or a.name for a in node.names}
    return aliases


def uses_reference(source, forbidden, aliases):
    """The forbidden package function a solution cell uses by name (nn.forward_prop, an import of it), or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in forbidden:
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases:
                return node.attr
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nnfromscratch"):
            for a in node.names:
                if a.name in forbidden:
                    return a.name
    return None


def _is_check_cell(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and str(cell.get("source", "")).lstrip().startswith(
        "check(")


def _points(lesson):
    """Points per exercise: one each, from the manifest (never from a notebook, which a submission could edit)."""
    return {name: 1.0 for name in lesson.exercises}


# --- grading ----------------------------------------------------------------------------------------------

def grade(path, lesson=None, limits=None, book=None):
    """Grade one submission; return Gradescope's results dict. Never raises for the submission's sake."""
    limits = limits or Limits()
    start = time.monotonic()
    path = Path(path)
    notes = []

    def finish(tests, message=""):
        if message:
            notes.insert(0, message)
        return {
            "score": round(sum(t["score"] for t in tests), 6),
            "execution_time": round(time.monotonic() - start, 2),
            "output": "\n".join(notes),
            "stdout_visibility": "visible",
            "tests": tests,
        }

    try:
        raw = path.read_bytes()
    except OSError as err:
        return finish([], f"Could not read the submission: {err}.")
    try:
        import nbformat

        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as err:
        return finish([], f"This is not a Jupyter notebook (.ipynb) that can be read: {type(err).__name__}: "
                          f"{str(err)[:200]}. Submit the lesson's .ipynb file.")
    book = book or load_book()
    detected = detect_lesson(nb, book)
    try:
        target = book.lesson(lesson) if lesson else detected
    except KeyError as err:
        return finish([], str(err))
    if target is None:
        return finish([], "Could not tell which lesson this notebook belongs to (no lesson metadata, title or "
                          "exercise ids). Grade it with --lesson NAME.")
    points = _points(target)
    tests = {name: {"name": name, "score": 0.0, "max_score": pts, "status": "failed", "output": ""}
             for name, pts in points.items()}
    notes.append(f"Lesson: {target.title} ({target.stem}).")
    if detected is not None and detected.stem != target.stem:
        for t in tests.values():
            t["output"] = f"This is the notebook of lesson {detected.stem} ({detected.title}), not {target.stem}."
        return finish(list(tests.values()), f"Wrong notebook: this is lesson {detected.stem}, not {target.stem}.")
    if not tests:
        return finish([], f"Lesson {target.stem} has no exercises to grade.")

    # The lesson's own check cells only print verdicts, which the grader computes itself: skip them (they would
    # run the learner's functions a second time, inside the kernel's time).
    code_cells = [c for c in nb.cells if c.get("cell_type") == "code" and str(c.get("source", "")).strip()
                  and not _is_check_cell(c)]
    sources = [str(c.source) for c in code_cells]
    aliases = _module_aliases(sources)
    solution = {}
    for cell in code_cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in tests:
            solution[gid] = str(cell.source)
    for name in tests:
        solution.setdefault(name, next((s for s in sources if f"def {name}(" in s), ""))

    found = tampering(sources)
    if found:
        for name, test in tests.items():
            test["output"] = (f"❌ {EXERCISES[name].signature}: not graded: the notebook uses `{found}`, which "
                              "no exercise needs and which can interfere with the grader. Remove it and resubmit.")
        return finish(list(tests.values()), f"The notebook was not run: it uses `{found}`.")

    tmp = Path(tempfile.mkdtemp(prefix="nnfs-grade-"))
    sandbox = Sandbox(tmp, limits)
    try:
        sandbox.start()
        _run_cells(sandbox, sources, limits, start, notes)
        _check_exercises(sandbox, sources, tests, solution, aliases, limits, start, notes)
    except Exception as err:  # the grader's own failure: still a result, with the reason
        notes.append(f"Grading stopped early: {type(err).__name__}: {str(err)[:200]}")
    finally:
        sandbox.stop()
        _remove(tmp)
    try:
        if path.read_bytes() != raw:
            raise OSError("changed")
    except OSError:
        path.write_bytes(raw)
        notes.append("The submission's code changed or deleted its own file; it was restored.")
    return finish(list(tests.values()))


def _remove(folder):
    """Delete the kernel's folder whatever the submission left in it (deep trees included)."""
    try:
        subprocess.run(["rm", "-rf", str(folder)], check=False, timeout=60) if os.name == "posix" \
            else shutil.rmtree(folder, ignore_errors=True)
    except Exception:
        pass


def _time_left(limits, start):
    return limits.total_timeout - (time.monotonic() - start)


def _run_cells(sandbox, sources, limits, start, notes):
    """Run every code cell in order; record errors, time-outs and deaths (restart and replay once each)."""
    done, output, deaths = [], 0, 0
    for number, source in enumerate(sources, 1):
        left = _time_left(limits, start)
        if left <= 1:
            notes.append(f"Stopped before code cell {number}: the overall time limit ({limits.total_timeout:g} s) "
                         "was reached.")
            return
        try:
            result = sandbox.run(source, timeout=min(limits.cell_timeout, left))
        except KernelDied:
            deaths += 1
            notes.append(f"Code cell {number} stopped the kernel (e.g. os._exit or a crash); it was restarted and "
                         "the cells before it run again.")
            if deaths > 2 or not _replay(sandbox, done, limits, start):
                notes.append("The kernel died too often; the remaining cells were not run.")
                return
            continue
        output += result.output_chars
        if result.timed_out:
            notes.append(f"Code cell {number} ran longer than {min(limits.cell_timeout, left):.0f} s and was "
                         "interrupted. Is there a loop that never ends?")
        elif not result.ok:
            notes.append(f"Code cell {number} raised {result.error}")
        else:
            done.append(source)
        if output > limits.max_output:
            notes.append(f"The notebook printed more than {limits.max_output} characters; the rest was discarded.")
            output = -10 ** 12  # say it once


def _replay(sandbox, done, limits, start):
    sandbox.restart()
    for source in done:
        if _time_left(limits, start) <= 1:
            return False
        try:
            sandbox.run(source, timeout=min(limits.cell_timeout, _time_left(limits, start)))
        except KernelDied:
            return False
    return True


def _check_exercises(sandbox, sources, tests, solution, aliases, limits, start, notes):
    helper_ready = False
    for name, test in tests.items():
        exercise = EXERCISES[name]
        head = f"{exercise.signature}:"
        forbidden = tuple(dict.fromkeys([name, *(q.rpartition(".")[2] for q in exercise.forbidden)]))
        used = uses_reference(solution.get(name, ""), forbidden, aliases)
        if used:
            test["output"] = REFERENCE_MESSAGE.format(head=head) + f" (it uses the package's `{used}`)"
            continue
        if _time_left(limits, start) <= 1:
            test["output"] = f"❌ {head} not checked: the overall time limit was reached."
            continue
        cases = cases_for(name, 0) + [Case("hidden input: " + c.label, c.args) for c in cases_for(name, HIDDEN_SEED)]
        outcomes, reference = [], set()
        for case in cases:
            try:
                if not helper_ready:
                    helper_ready = sandbox.run(KERNEL_HELPER, timeout=30).ok
                payload = json.dumps([runner.encode(a) for a in case.args])
                code = (f"__nnfs_result = __nnfs_grader_call({name!r}, {payload!r}, {limits.call_timeout!r}, "
                        f"{list(forbidden)!r})")
                result = sandbox.run(code, timeout=min(limits.call_timeout + 5, max(_time_left(limits, start), 1)),
                                     user_expressions={"r": "__nnfs_result"})
            except KernelDied:
                outcomes.append(runner.Outcome("raised", error=("KernelDied", "the kernel died while it ran")))
                helper_ready = False
                if not _replay(sandbox, [s for s in sources], limits, start):
                    break
                continue
            if result.timed_out:
                outcomes.append(runner.Outcome("timeout"))
                break
            expr = result.expressions.get("r", {})
            if expr.get("status") != "ok":
                outcomes.append(runner.Outcome("raised", error=("GraderError", result.error or "no result came back")))
                continue
            try:
                outcome, hits = _decode_outcome(ast.literal_eval(expr["data"]["text/plain"]))
            except Exception:
                outcome, hits = runner.Outcome("raised", error=("GraderError", "the result could not be read")), []
            outcomes.append(outcome)
            reference |= set(hits)
            if outcome.status == "timeout":
                break  # one endless loop is enough to report
        if reference:
            test["output"] = REFERENCE_MESSAGE.format(head=head) + f" (it called `{sorted(reference)[0]}`)"
            continue
        verdict = judge(exercise, cases, outcomes, limit=limits.call_timeout)
        test["output"] = verdict.message
        if verdict.passed:
            test["score"], test["status"] = test["max_score"], "passed"


# --- a result whatever happens, one submission or a folder -----------------------------------------------------

def safe_grade(path, lesson=None, limits=None, book=None):
    """`grade`, but a result in every case: even a failure of the grader itself becomes a score of 0 with a message."""
    try:
        return grade(path, lesson=lesson, limits=limits, book=book)
    except BaseException as err:  # noqa: BLE001 - KeyboardInterrupt included: a result must be written
        return {"score": 0.0, "execution_time": 0.0, "stdout_visibility": "visible", "tests": [],
                "output": f"The grader could not finish this submission ({type(err).__name__}: {str(err)[:200]})."}


def grade_folder(folder, csv_path, lesson=None, limits=None, book=None):
    """Grade every notebook under `folder`; write one CSV row per submission to `csv_path`; return the rows."""
    folder = Path(folder)
    rows = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        results = safe_grade(path, lesson, limits, book)
        row = {"submission": str(path.relative_to(folder)), "score": results["score"],
               "max_score": sum(t["max_score"] for t in results["tests"])}
        row.update({t["name"]: t["score"] for t in results["tests"]})
        rows.append(row)
        print(f"{row['submission']}: {row['score']:g} / {row['max_score']:g}")
    columns = ["submission", "score", "max_score"] + sorted({k for r in rows for k in r} - {"submission", "score",
                                                                                           "max_score"})
    with open(csv_path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} submissions -> {csv_path}")
    return rows
