"""Red team, second round: fresh attacks on the autograder, none of them a repeat of tests/tools/test_grading.py.

Each test is one or more hostile submissions against grading/README.md's five promises: a submission must
not (1) gain a point it did not earn, (2) change another submission's grade, file or run, (3) read the
solutions, other submissions or the grader's secrets, (4) outlive its own grading, (5) stop the grader from
writing a valid result for it and for everyone else.

The first half held from the start: each test asserts the promise. The second half are the breaches this round
found, each a minimal reproduction that failed until the grader was fixed (the comment above each says what it
was); they now pass. Cheap attacks share one sandbox run, so the whole file stays fast.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from nnfromscratch.exercises import EXERCISES, cases_for
from nnfromscratch_tools.grading import Limits, Sandbox, grade, grade_folder, safe_grade
from nnfromscratch_tools.grading.grade import stripped_package

from test_grading import BOOK, GOOD, LIMITS, MARKER, SANDBOXED, WHY, WRONG, notebook, only, write

pytestmark = pytest.mark.slow

needs_sandbox = pytest.mark.skipif(not SANDBOXED, reason=f"no sandbox here: {WHY}")
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="the per-slot sandbox user exists only when grading as root")

def no_survivors():
    """No process carrying the marker is left (every process an attack starts carries it). Unlike
    test_grading.no_survivors this does not count processes of the sandbox uids 61000-61099: other graders on
    the same machine (another worktree's tests, another instructor) use the same per-slot uids (breach report)."""
    time.sleep(0.2)
    ps = subprocess.run(["ps", "-eo", "args="], capture_output=True, text=True).stdout
    return not [line for line in ps.splitlines() if MARKER in line and "ps -eo" not in line]


def submit(tmp_path, content, lesson="04", name="submission.ipynb", limits=LIMITS):
    """test_grading.submit with the survivor check above: the file unchanged, a valid result in time, scores in
    range, no survivor."""
    path = write(tmp_path, name, content)
    before = path.read_bytes()
    start = time.monotonic()
    result = grade(path, lesson=lesson, limits=limits)
    assert path.read_bytes() == before, "the submission file changed"
    assert time.monotonic() - start <= limits.total_timeout + 15
    json.dumps(result.to_gradescope(), ensure_ascii=False).encode("utf-8")
    assert all(0 <= e.score <= e.max_score and e.message for e in result.exercises)
    assert no_survivors()
    return result


def sandbox_run(code, limits=LIMITS, lesson="04"):
    """Run `code` as the one solution cell in the sandbox (the lesson's stripped package); return the RunReport."""
    exercise = EXERCISES[BOOK.lesson(lesson).exercises[0]]
    sandbox = Sandbox(stripped_package(exercise), limits)
    try:
        return sandbox.run(b"{}", ["import numpy as np"], [{"name": "attack", "source": code}], [])
    finally:
        sandbox.close()


def printed(report, tag):
    """The JSON object the attack printed on a line starting with `tag`."""
    line = next((line for line in report.output.splitlines() if line.startswith(tag)), None)
    assert line is not None, (report.output[-2000:], report.cell_errors)
    return json.loads(line[len(tag):])


def graded_quickly(path, lesson="04", limits=LIMITS):
    """safe_grade (the CLI's path; grade() itself raises in some breaches below) and how long it took, with the
    checks every result must pass."""
    start = time.monotonic()
    result = safe_grade(path, lesson=lesson, limits=limits)
    took = time.monotonic() - start
    json.dumps(result.to_gradescope(), ensure_ascii=False).encode("utf-8")
    return result, took


# ==============================================================================================================
# Attacks that hold
# ==============================================================================================================

PROBE = r'''
import os, json, ctypes, signal, socket, subprocess, resource, inspect
R = {}
def attempt(name, fn):
    try:
        R[name] = "ALLOWED " + repr(fn())[:80]
    except BaseException as e:
        R[name] = "denied " + type(e).__name__
for p in ("root", "cwd", "fd"):                              # bwrap's pid 1: its view of the host
    attempt("pid1 " + p, lambda p=p: os.listdir("/proc/1/" + p))
for p in ("environ", "mem", "maps", "stack"):
    attempt("pid1 " + p, lambda p=p: open("/proc/1/" + p, "rb").read(64))
attempt("kill pid1", lambda: os.kill(1, signal.SIGKILL))   # signals to the sandbox's init and, beyond, the grader
attempt("stop pid1", lambda: os.kill(1, signal.SIGSTOP))
attempt("SIGTERM to the parent", lambda: os.kill(os.getppid(), signal.SIGTERM))
def put(path, text):                                         # a write that reports its error (at close)
    with open(path, "w") as fh:
        fh.write(text)
libc = ctypes.CDLL(None, use_errno=True)
def ptrace_pid1():
    if libc.ptrace(16, 1, 0, 0) != 0:                          # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), "ptrace")
attempt("ptrace pid1", ptrace_pid1)
attempt("setuid 0", lambda: os.setuid(0))
attempt("chroot", lambda: os.chroot("/sandbox"))
attempt("mknod /dev/mem", lambda: os.mknod("/sandbox/mem", 0o600 | 0o20000, os.makedev(1, 1)))
attempt("hard link to /pkg", lambda: os.link("/pkg/nnfromscratch/layers.py", "/sandbox/layers.py"))
def setuid_mount():                                          # a setuid-root binary, under no_new_privs
    done = subprocess.run(["mount", "-t", "tmpfs", "none", "/sandbox"], capture_output=True)
    if done.returncode:
        raise PermissionError(done.returncode)
attempt("setuid mount", setuid_mount)
for d in ("/", "/dev", "/dev/shm", "/dev/pts", "/pkg", "/pkg/nnfromscratch", "/grader", "/usr", "/proc"):
    attempt("write " + d, lambda d=d: open(os.path.join(d, "rt_x"), "w").close())
attempt("sysrq-trigger", lambda: put("/proc/sysrq-trigger", "h"))
attempt("core_pattern", lambda: put("/proc/sys/kernel/core_pattern", "|/bin/sh"))
attempt("inet", lambda: socket.create_connection(("10.0.0.1", 80), timeout=1))
attempt("abstract unix socket", lambda: socket.socket(socket.AF_UNIX).connect("\0/tmp/.X11-unix/X0"))
for dev in ("/dev/mem", "/dev/kmsg", "/dev/vda", "/dev/sda", "/dev/console"):
    attempt("open " + dev, lambda dev=dev: open(dev, "rb").close())
attempt("open /dev/tty (TIOCSTI)", lambda: open("/dev/tty", "rb").close())
attempt("nice -1", lambda: os.nice(-1))
attempt("oom_score_adj -1000", lambda: put("/proc/self/oom_score_adj", "-1000"))
def hidden_inputs_early():                                   # stdin during the cells: are the calls there yet?
    os.set_blocking(0, False)
    try:
        return os.read(0, 1 << 20)
    finally:
        os.set_blocking(0, True)
attempt("read the calls during the cells", hidden_inputs_early)
R["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
import sys, time
R["fds"] = sorted(int(f) for f in os.listdir("/proc/self/fd"))
R["results fd"] = int(sys.argv[1])
t0 = time.monotonic()
R["env"] = sorted(os.environ)
R["status"] = {l.split(":")[0]: l.split()[1] for l in open("/proc/self/status")
               if l.startswith(("CapEff", "CapPrm", "CapBnd", "CapAmb", "NoNewPrivs"))}
R["rlimits"] = {n: resource.getrlimit(getattr(resource, n))[0] for n in ("RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_CORE")}
hits = []                                                    # course files anywhere visible, by name
for top in sorted(set(os.listdir("/")) - {"proc", "sys", "dev", "lib", "lib64"}):
    for here, dirs, files in os.walk("/" + top):
        hits += [os.path.join(here, n) for n in dirs + files
                 if "nnfromscratch" in n or n.endswith(".ipynb") or n in ("part1.py", "part2.py", "book.toml", "judge.py")]
leaks = []                                                   # ... and the reference's code in any of them
for path in hits:
    walk = os.walk(path) if os.path.isdir(path) else [(os.path.dirname(path), [], [os.path.basename(path)])]
    for here, _, files in walk:
        for f in files:
            try:
                text = open(os.path.join(here, f), "rb").read()
            except OSError:
                continue
            if b"return delta @ W" in text or b"Mistake(\"missing transpose" in text or b"W.T @ delta\\n" in text:
                leaks.append(os.path.join(here, f))
R["course files"] = sorted(hits)
R["seconds"] = [time.monotonic() - t0]
R["reference found in"] = sorted(leaks)
R["seconds"].append(time.monotonic() - t0)
import nnfromscratch.layers as L
R["stub"] = inspect.getsource(L.hidden_unit_grad)
R["stub names"] = list(L.hidden_unit_grad.__code__.co_names)
print("PROBE" + json.dumps(R), flush=True)
'''


@needs_sandbox
def test_the_sandbox_holds_against_probes_of_the_kernel_the_host_and_the_disk():
    """One sandbox run, many probes: bwrap's pid 1 (its root, cwd, fds, memory, environment), signals to it and to
    the grader, ptrace, setuid, chroot, mknod, hard links into the package, a setuid-root `mount`, writes
    anywhere but /sandbox, /proc's sysrq and core_pattern, the network and abstract unix sockets, raw devices,
    the terminal, a higher priority, immunity from the OOM killer, the hidden calls read from stdin before the
    cells end (they are not sent yet); then what is visible: processes, inherited descriptors, environment, capabilities, limits, and every file
    whose name or content belongs to the course (solved notebooks, the exercise catalogue, the reference)."""
    report = sandbox_run(PROBE, Limits(total_timeout=60, cell_timeout=30, call_timeout=1, memory=512 * 1024 ** 2))
    r = printed(report, "PROBE")
    allowed = {k: v for k, v in r.items() if isinstance(v, str) and v.startswith("ALLOWED")}
    assert not allowed, allowed
    assert r["pids"] == [1, 2]                      # bwrap's init and the worker: nothing of the host
    assert r["fds"] == sorted({0, 1, 2, 3, r["results fd"]})  # stdin, stdout, stderr, listdir's own, results
    assert r["env"] == ["HOME", "LANG", "MKL_NUM_THREADS", "MPLBACKEND", "MPLCONFIGDIR", "OMP_NUM_THREADS",
                        "OPENBLAS_NUM_THREADS", "PATH", "PWD", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED",
                        "PYTHONPATH"]
    assert r["status"] == {"CapPrm": "0" * 16, "CapEff": "0" * 16, "CapBnd": "0" * 16, "CapAmb": "0" * 16,
                           "NoNewPrivs": "1"} or os.geteuid() != 0
    assert r["rlimits"]["RLIMIT_NOFILE"] <= 256 and r["rlimits"]["RLIMIT_CORE"] == 0
    if os.geteuid() == 0:
        assert r["rlimits"]["RLIMIT_NPROC"] == LIMITS.processes
    # what is visible of the course: the stripped package, the submission's own copy, the editable install's
    # metadata (paths into a repository that is not mounted), and the public README inside METADATA
    assert not [h for h in r["course files"] if h.endswith(".ipynb") and h != "/sandbox/submission.ipynb"]
    assert not [h for h in r["course files"] if h.endswith(("part1.py", "part2.py", "judge.py", "book.toml"))]
    assert not [p for p in r["reference found in"] if not p.endswith("dist-info/METADATA")], r["reference found in"]
    assert "delta" not in r["stub"].split(":", 1)[1] and "ReferenceUnavailable" in r["stub"]
    assert "T" not in r["stub names"]


HOSTILE_RETURNS = r'''
import numpy as np, threading
class HostileStr(Exception):
    def __str__(self):
        raise RuntimeError("no text for you")
class HugeStr(Exception):
    def __str__(self):
        return "x" * 10_000_000
class NotText(Exception):
    def __str__(self):
        return 42
class Sub(np.ndarray):
    armed = False
    def __array_finalize__(self, obj):
        if Sub.armed:
            raise RuntimeError("finalize")
    def tolist(self):
        raise RuntimeError("tolist")
    def __float__(self):
        raise RuntimeError("float")
class Evil:
    def __float__(self): raise RuntimeError
    def __array__(self, *a, **k): raise RuntimeError
    def __len__(self): raise RuntimeError
    def __eq__(self, other): raise RuntimeError
    def __iter__(self): raise RuntimeError
    def __getattr__(self, name): raise RuntimeError
class BadFloat(float):
    def __float__(self): raise RuntimeError
def selfref():
    a = []
    a.append(a)
    return a
def subclass(shape):
    s = np.zeros(shape).view(Sub)
    Sub.armed = True
    return s
def objects():
    a = np.empty(2, dtype=object)
    a[0] = a
    return a
def spin():
    while True:
        pass
VALUES = [
    lambda h, u: selfref(),
    lambda h, u: subclass(np.shape(h)),
    lambda h, u: Evil(),
    lambda h, u: BadFloat(1.0),
    lambda h, u: (_ for _ in ()).throw(HostileStr()),
    lambda h, u: (_ for _ in ()).throw(HugeStr()),
    lambda h, u: (_ for _ in ()).throw(NotText()),
    lambda h, u: 10 ** 400,
    lambda h, u: np.ones(3) * 1j,
    lambda h, u: np.broadcast_to(np.float64(1), (10 ** 12,)),
    lambda h, u: objects(),
    lambda h, u: (threading.Thread(target=spin, daemon=True).start(), (_ for _ in ()).throw(KeyboardInterrupt()))[0],
]
calls = iter(VALUES)
def sigmoid_grad(h, upstream):
    return next(calls)(h, upstream)
def weight_grad(x_in, delta):
    return next(calls)(x_in, delta)
'''


@needs_sandbox
def test_hostile_return_values_and_exceptions_cannot_crash_the_judge(tmp_path):
    """Lesson 03's two functions return, call after call, twelve hostile things: a list containing itself, an
    ndarray subclass whose methods raise, an object whose every conversion raises, a float whose __float__
    raises, exceptions whose __str__ raises, is 10 MB or is not text, an int too large for a float, complex
    numbers, a 10^12-entry broadcast view, an object array containing itself, and a KeyboardInterrupt with a
    busy thread left behind. All are described inside the sandbox as plain data: 0 points, a message, a valid
    result, in time."""
    nb = notebook(HOSTILE_RETURNS, lesson="03")
    for cell in nb.cells:  # the original second solution cell would redefine weight_grad
        if cell.cell_type == "code" and cell.source.startswith("def weight_grad"):
            cell.source = "pass"
    r = submit(tmp_path, nb, lesson="03")
    assert r.score == 0 and len(r.exercises) == 2
    assert all(e.message.startswith("❌") for e in r.exercises)
    assert len(json.dumps(r.to_gradescope())) < 20_000


# What a student knows without computing anything: the answers on the check cell's own (visible) inputs.
KNOWN = [EXERCISES["hidden_unit_grad"].reference(*c.args).tolist() for c in cases_for("hidden_unit_grad", 0)]

TAMPERING = r'''
import os, sys, json, atexit, threading, time
import runner                                   # the worker's own copy, beside worker.py
fd = int(sys.argv[1])
def canned(answer):
    return {"status": "ok", "value": {"kind": "ndarray", "type": "float64", "shape": [len(answer)], "data": answer}}
def forge(ids, done=True):
    # ids 0-2 are the visible calls and 3 repeats the worked example: answered exactly; the hidden rest cannot be
    lines = [json.dumps({"id": i, "outcome": canned(KNOWN[i % 3] if i < 4 else [0.0] * 5)}) for i in ids]
    try:
        os.write(fd, ("\n".join(lines + ([json.dumps({"done": True})] if done else [])) + "\n").encode())
    except OSError:
        pass
def read_ahead_and_forge(fn, args, limit=None):
    # the first call reads every call still waiting on stdin, hidden ones included, answers them all, and
    # claims to be done before the worker sends anything
    ids = [0]
    for line in sys.stdin:
        call = json.loads(line)
        if call.get("done"):
            break
        ids.append(call["id"])
    forge(ids)
    return runner.Outcome("ok", value=canned(KNOWN[0])["value"])
runner.call = read_ahead_and_forge              # replace the runner's functions
runner.describe = lambda *a, **k: canned(KNOWN[0])["value"]
atexit.register(forge, range(6))                # forgers that run late or in the background
threading.Thread(target=lambda: [time.sleep(0.2), [forge(range(6), done=False) for _ in range(50)]],
                 daemon=True).start()
def hidden_unit_grad(W, delta):
    return W @ delta
'''.replace("KNOWN", repr(KNOWN))


# Forge "ready" in the middle of the cells: the grader then sends the calls, hidden inputs included, while the
# cell is still running; the cell reads them all, answers, and forges "done" before the worker ever speaks.
EARLY = r'''
import os, sys, json
fd = int(sys.argv[1])
os.write(fd, b'{"ready": true, "errors": []}\n')
ids = []
for line in sys.stdin:
    call = json.loads(line)
    if call.get("done"):
        break
    ids.append(call["id"])
def canned(answer):
    return {"status": "ok", "value": {"kind": "ndarray", "type": "float64", "shape": [len(answer)], "data": answer}}
lines = [json.dumps({"id": i, "outcome": canned(KNOWN[i % 3] if i < 4 else [0.0] * 5)}) for i in ids]
os.write(fd, ("\n".join(lines + [json.dumps({"done": True})]) + "\n").encode())
'''.replace("KNOWN", repr(KNOWN))


@needs_sandbox
@pytest.mark.parametrize("attack", ["TAMPERING", "EARLY"])
def test_owning_the_worker_process_earns_nothing(tmp_path, attack):
    """TAMPERING takes over the worker: replaces runner.call and runner.describe, reads the hidden calls ahead from
    stdin, answers every call it knows (the check cell's visible inputs, the worked example again) exactly and
    the others as best it can, and forges "done" before the worker speaks; more forgers in atexit and a
    background thread. EARLY gets the hidden inputs before its cells have even finished (README step 4 says
    they are sent only after the cells ran: true only of an honest worker). The grader takes the forged
    records, but judges them outside, on hidden inputs nobody could answer without computing: 0 points,
    failing exactly on the first hidden random input."""
    r = submit(tmp_path, notebook(TAMPERING) if attack == "TAMPERING" else notebook(WRONG, (EARLY,)))
    # (With one process allowed, TAMPERING's background thread cannot even start, so its cell fails earlier.)
    assert r.score == 0, (only(r).message, r.notes)


NOISE = r'''
import os, sys, threading, time, subprocess, signal
fd = int(sys.argv[1])
os.write(fd, b"\xff\xfe not json, not UTF-8 " + b"x" * 200_000 + b"\n")    # garbage on the results pipe
os.write(2, bytes(range(256)) * 4000)                                     # binary noise on stderr
held = []
try:
    for _ in range(2000):                                                 # descriptors, up to the limit
        held.append(os.open("/dev/null", os.O_RDONLY))
except OSError:
    pass
for fd_ in held[:-20]:
    os.close(fd_)
threads = 0
try:
    for _ in range(100):                                                  # threads, up to the process limit
        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
        threads += 1
except (RuntimeError, OSError):
    pass
try:                                                                      # a daemon in a nested pid namespace
    subprocess.Popen(["unshare", "-Urpf", sys.executable, "-c", "import time; time.sleep(60)  # MARKER"],
                     start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
except OSError:
    pass
os.symlink("CANARY", "/sandbox/link_to_host_file")                        # traps for the grader's clean-up
os.symlink("CANARY_PARENT", "/sandbox/link_to_host_folder")
os.mkfifo("/sandbox/fifo")
os.makedirs("/sandbox/locked/deeper")
os.chmod("/sandbox/locked/deeper", 0)
os.chmod("/sandbox/locked", 0)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
'''


@needs_sandbox
def test_noise_descriptors_threads_daemons_and_cleanup_traps_leave_a_correct_answer_scoring(tmp_path):
    """After the correct answer, one cell: 200 KB of non-JSON, non-UTF-8 garbage on the results pipe, binary noise
    on stderr, descriptors and threads up to their limits (kept open), a daemon in a nested PID namespace
    carrying the marker, symbolic links from /sandbox to a host file and folder (the grader deletes /sandbox as
    root), a FIFO, unreadable folders, SIGTERM and SIGHUP ignored. The answer scores, the garbage is a note,
    nothing survives, the host file and folder are intact."""
    canary = tmp_path / "canary.txt"
    canary.write_text("intact")
    parent = tmp_path / "keep"
    parent.mkdir()
    (parent / "inside.txt").write_text("intact")
    code = NOISE.replace("CANARY_PARENT", str(parent)).replace("CANARY", str(canary)).replace("MARKER", MARKER)
    r = submit(tmp_path, notebook(GOOD, (code,)))
    assert r.score == 1, (only(r).message, r.notes)
    assert any("unreadable line" in n for n in r.notes), r.notes
    assert canary.read_text() == "intact" and (parent / "inside.txt").read_text() == "intact"


ALARM = r'''
import signal
def hidden_unit_grad(W, delta):
    import runner
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])   # the per-call alarm never arrives
    signal.setitimer(signal.ITIMER_REAL, 0)                      # and is disarmed
    while True:
        try:
            pass
        except runner.CallTimeout:                               # caught by name if it came anyway
            pass
'''


@needs_sandbox
def test_blocking_and_disarming_the_alarm_is_still_stopped_by_the_wall_clock(tmp_path):
    """The function blocks SIGALRM with the signal mask (not SIG_IGN), disarms the timer and catches CallTimeout by
    name: only the sandbox's wall clock stops it, and the result is written in time, with nothing left."""
    limits = Limits(total_timeout=2, cell_timeout=1, call_timeout=0.5, memory=512 * 1024 ** 2)
    start = time.monotonic()
    r = submit(tmp_path, notebook(ALARM), limits=limits)
    assert r.score == 0 and "Is there a loop that never ends?" in only(r).message
    assert time.monotonic() - start < limits.total_timeout + 10


CPU_HOG = r'''
import subprocess, sys
def hidden_unit_grad(W, delta):
    return W @ delta
for _ in range(8):
    subprocess.Popen([sys.executable, "-c", "while True: pass  # MARKER"])
'''


@needs_sandbox
def test_parallel_neighbours_names_and_links_cannot_change_other_rows(tmp_path):
    """grade-folder with two slots: a neighbour that spins 9 busy processes while the others are graded, names
    that collide once escaped ("a b", "a_b", "sub/a_b") and two hard links to one notebook. Every entry gets its
    own row and results file, the correct ones all score, the CSV's rows are in path order."""
    folder = tmp_path / "class"
    (folder / "sub").mkdir(parents=True)
    write(folder, "0_hog.ipynb", notebook(CPU_HOG.replace("MARKER", MARKER)))
    for name in ("a b.ipynb", "a_b.ipynb", "sub/a_b.ipynb"):
        write(folder, name, notebook(GOOD))
    os.link(folder / "a_b.ipynb", folder / "hardlink.ipynb")
    results_dir = tmp_path / "results"
    results = grade_folder(folder, tmp_path / "scores.csv", lesson="04", limits=LIMITS, jobs=2,
                           results_dir=results_dir, progress=None)
    scores = {r.submission: r.score for r in results}
    assert scores == {"0_hog.ipynb": 0, "a b.ipynb": 1, "a_b.ipynb": 1, "hardlink.ipynb": 1, "sub/a_b.ipynb": 1}, scores
    files = sorted(results_dir.glob("*.json"))
    assert len(files) == len(results)
    assert sorted(json.loads(f.read_text())["score"] for f in files) == sorted(scores.values())
    rows = (tmp_path / "scores.csv").read_text().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == [r.submission for r in results]
    assert no_survivors()


ODD_TYPES = (b'{"cells": [1, "x", {"cell_type": "code", "source": 5, "metadata": []}, {"cell_type": "code", '
             b'"source": ["def hidden_unit_grad(W, d):\\n", 7], "metadata": {"nbgrader": "solution"}}, '
             b'{"cell_type": "code", "source": "x", "metadata": {"nbgrader": {"solution": "yes", "grade_id": {}}}}], '
             b'"metadata": {"nnfromscratch": {"lesson": NaN}}}')


@pytest.mark.parametrize("content,note", [
    (b"\xef\xbb\xbf" + json.dumps({"cells": []}).encode(), "not valid JSON"),        # a byte-order mark
    (b'{"cells": [], "cells": 3}', "no list of cells"),                               # a duplicated key
    (b"[" * 50_000 + b"]" * 50_000, "not valid JSON"),                                # nesting
    (b'"just a string"', "no list of cells"),
    (ODD_TYPES, "is not defined"),
])
def test_odd_notebooks_get_a_result_with_a_reason(tmp_path, content, note):
    """Malformed notebooks a student can make by hand: a byte-order mark, a duplicated key, deep nesting, a bare
    string (refused before any sandbox), and cells, sources and metadata of every wrong type with NaN for the
    lesson (graded: nothing defines the function): a valid result, 0 points, a reason."""
    path = tmp_path / "odd.ipynb"
    path.write_bytes(content)
    r, took = graded_quickly(path)
    assert r.score == 0 and note in " ".join(r.notes) + " ".join(e.message for e in r.exercises), r.notes
    assert r.lesson == "04_hidden_gradients" and len(r.exercises) == 1


# ==============================================================================================================
# Breaches this round found: minimal reproductions, each failing until the grader was fixed
# ==============================================================================================================

KEY_WRITE = r'''
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
secret = b"left by submission A"
libc.syscall(248, b"user", b"nnfs-red-team", secret, len(secret), -4)              # add_key to the user keyring
'''

KEY_READ = r'''
import ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
ring = libc.syscall(250, 0, ctypes.c_long(-4), 0)                                    # KEYCTL_GET_KEYRING_ID
key = libc.syscall(250, 10, ctypes.c_long(ring), b"user", b"nnfs-red-team", 0)       # KEYCTL_SEARCH
buf = ctypes.create_string_buffer(100)
n = libc.syscall(250, 11, ctypes.c_long(key), buf, 100) if key > 0 else -1            # KEYCTL_READ
libc.syscall(250, 7, ctypes.c_long(ring))                                            # KEYCTL_CLEAR: tidy up
print("KEY" + json.dumps(buf.raw[:n].decode() if n > 0 else None), flush=True)
'''


@needs_sandbox
@as_root
# Breach found by the red team, now fixed (promises 4, 2/3): the kernel keyring of the per-slot uid is not
# namespaced; a submission's keys outlive it and the next submission of the slot reads them
def test_a_submission_leaves_nothing_for_the_next_one_in_its_slot():
    """Submission A stores a key in the user keyring of uid 61000 + slot; B, graded next in the same slot (as every
    submission of a serial grade-folder run, or of two `grade` runs), reads it: state that outlives A's grading
    and a channel between submissions (A hands B its solution's source, with nothing in B's notebook)."""
    assert sandbox_run(KEY_WRITE).ready
    found = printed(sandbox_run(KEY_READ), "KEY")
    assert found is None, f"the second sandbox read {found!r}"


NESTED_TMPFS = r'''
import subprocess, json
script = ("mount -t tmpfs -o size=1g none /tmp && "
          "for i in 1 2 3 4 5 6; do head -c 15000000 /dev/zero > /tmp/f$i || exit 1; done && du -sm /tmp")
done = subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True)
print("NESTED" + json.dumps([done.returncode, done.stdout.split()[:1], done.stderr[-200:]]), flush=True)
'''


@needs_sandbox
# Breach found by the red team, now fixed (promise 5): user namespaces are not disabled inside the sandbox; a nested
# one gets every capability there and mounts a tmpfs that fills the host's RAM outside the memory and tmpfs limits
def test_a_nested_user_namespace_cannot_mount_memory_outside_the_limits():
    """`unshare -Urm` inside the sandbox, then a tmpfs of its own: 90 MB written with --memory-mb 64 and a 64 MB
    tmpfs limit (the same loop fills all of the host's RAM within the time limit)."""
    limits = Limits(total_timeout=20, cell_timeout=10, memory=64 * 1024 ** 2, tmpfs=64 * 1024 ** 2)
    report = sandbox_run(NESTED_TMPFS, limits)
    line = next((line for line in report.output.splitlines() if line.startswith("NESTED")), None)
    if line is None:  # it could not even start `unshare` (one process allowed): the cell failed
        assert report.cell_errors, report.output
    else:
        code, used, err = json.loads(line[len("NESTED"):])
        assert code != 0, f"{used} MB written to a tmpfs mounted inside the sandbox"
    # and the system calls themselves, from the worker's own process: refused by the seccomp filter
    syscalls = printed(sandbox_run(SYSCALLS, limits), "SYSCALLS")
    assert all(result == "EPERM" for result in syscalls.values()), syscalls


SYSCALLS = r'''
import ctypes, json, os
libc = ctypes.CDLL(None, use_errno=True)
def errno_of(value):
    return "allowed" if value == 0 or value > 0 else os.strerror(ctypes.get_errno()) and \
        {1: "EPERM"}.get(ctypes.get_errno(), str(ctypes.get_errno()))
results = {
    "unshare(CLONE_NEWUSER)": errno_of(libc.unshare(0x10000000)),
    "unshare(CLONE_NEWNS)": errno_of(libc.unshare(0x00020000)),
    "mount tmpfs": errno_of(libc.mount(b"none", b"/sandbox", b"tmpfs", 0, None)),
    "add_key": errno_of(libc.syscall(248, b"user", b"x", b"y", 1, -4)),
    "keyctl": errno_of(libc.syscall(250, 0, ctypes.c_long(-4), 0)),
    "ptrace": errno_of(libc.ptrace(16, 1, 0, 0)),
}
print("SYSCALLS" + json.dumps(results), flush=True)
'''


FORKED_MEMORY = r'''
import os, time, json
pipes = []
for _ in range(6):
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        try:
            block = bytearray(50 * 1024 ** 2)
            os.write(w, b"1")
        except MemoryError:
            os.write(w, b"0")
        time.sleep(30)
        os._exit(0)
    os.close(w)
    pipes.append(r)
print("HELD" + json.dumps(sum(os.read(r, 1) == b"1" for r in pipes) * 50), flush=True)
'''


@needs_sandbox
# Breach found by the red team, now fixed (promise 5): --memory-mb is an address-space limit per process; 16
# processes hold 16 times it (16 GB by default), with no limit on the sandbox as a whole
def test_the_memory_limit_bounds_the_whole_sandbox():
    limits = Limits(total_timeout=20, cell_timeout=10, memory=64 * 1024 ** 2)
    held = printed(sandbox_run(FORKED_MEMORY, limits), "HELD")
    assert held <= 64, f"the sandbox held {held} MB with --memory-mb 64"


DISK = r'''
import json
written = 0
try:
    for i in range(5):
        with open(f"/sandbox/fill{i}", "wb") as fh:
            fh.write(b"0" * 15 * 1024 ** 2)
        written += 15
except OSError:
    pass
print("DISK" + json.dumps(written), flush=True)
'''


@needs_sandbox
# Breach found by the red team, now fixed (promise 5, README): /sandbox is a bind mount of a folder on the host's
# disk, not a 64 MB tmpfs; only each file is limited, so a submission can fill the disk the grader writes every
# result to
def test_the_writable_folder_is_bounded():
    written = printed(sandbox_run(DISK), "DISK")
    assert written <= LIMITS.tmpfs // 1024 ** 2, f"{written} MB written to /sandbox (limit {LIMITS.tmpfs >> 20} MB)"


@needs_sandbox
# Breach found by the red team, now fixed (promise 5): the grader's own analysis of the notebook (imports, names
# used, reference uses) runs outside every limit and is quadratic in the number of import statements: a 20 MB
# notebook holds the grader for hours
def test_the_grader_spends_bounded_time_on_a_notebook(tmp_path):
    """24 000 `import numpy as nI` in one cell and a solution cell using every nI: under 1 MB, yet the grader
    compares each import with every one before it (5-10 s here, hours for 20 MB), and for a big cell parses it
    several times (100 000 lines: 13 s; 6 M lines: 7 minutes and 10 GB), all before the sandbox's clock starts.
    A fixed grader needs well under a second for this notebook's analysis; the bound is the 2 s limit plus 1 s."""
    n = 24_000
    imports = "\n".join(f"import numpy as n{i}" for i in range(n))
    uses = GOOD + "\n".join(f"n{i}" for i in range(n))
    nb = notebook(uses)
    nb.cells.insert(1, nbformat.v4.new_code_cell(imports))
    path = write(tmp_path, "imports.ipynb", nb)
    limits = Limits(total_timeout=2, cell_timeout=1, call_timeout=1, memory=512 * 1024 ** 2)
    r, took = graded_quickly(path, limits=limits)
    assert took < limits.total_timeout + 1, f"graded in {took:.1f} s with a {limits.total_timeout:g} s limit"


# Breach found by the red team, now fixed (promise 5): the results file of a long (legal) file name exceeds
# NAME_MAX; the OSError escapes grade_folder and every later submission goes ungraded
def test_a_long_file_name_does_not_stop_the_class(tmp_path):
    """A 250-byte file name (legal: 255 is the limit) with --results-dir: '0002_' + name + '.json' (and its
    temporary file) is too long, grade_folder raises, the next submission gets no row and no report is written.
    The files are unreadable notebooks, so no sandbox runs."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("a.ipynb", "b" * 244 + ".ipynb", "c.ipynb"):
        (folder / name).write_bytes(b"{}")
    results = grade_folder(folder, tmp_path / "scores.csv", lesson="04", limits=LIMITS, jobs=1,
                           results_dir=tmp_path / "results", report=tmp_path / "report.html", progress=None)
    assert len(results) == 3 and (tmp_path / "report.html").exists()


def _forged(*records):
    payload = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    return f"import os, sys\nos.write(int(sys.argv[1]), {payload!r})\n"


READY = {"ready": True, "errors": []}
FORGERIES = {
    "JSON nested 100 000 deep": "import os, sys\nos.write(int(sys.argv[1]), b'[' * 100_000 + b']' * 100_000 + b'\\n')\n",
    "errors not a list": _forged({"ready": True, "errors": 5}),
    "a shape of 2**62 with no entries": _forged(READY, {"id": 0, "outcome": {"status": "ok", "value": {
        "kind": "ndarray", "type": "float64", "shape": [0, 2 ** 62, 2 ** 62], "data": []}}}, {"done": True}),
    "a negative argument index": _forged(READY, {"id": 0, "outcome": {"status": "ok", "value": {
        "kind": "ndarray", "type": "float64", "shape": [2], "data": [0.0, 0.0]}, "mutated": [-99, ""]}},
        {"done": True}),
}


@needs_sandbox
# Breach found by the red team, now fixed (promise 5, README 'decoded defensively', grade() 'never raises'): a
# forged record makes the grader raise; the result then has no lesson and no exercises and blames the grader
@pytest.mark.parametrize("attack", sorted(FORGERIES))
def test_forged_records_are_decoded_defensively(tmp_path, attack):
    """The correct answer, and a cell writing one forged record on the results pipe: a JSON array nested 100 000
    deep (RecursionError is not a ValueError), "errors" that is not a list, an array of shape (0, 2**62, 2**62)
    (valid by the entry count, but numpy refuses to reshape to it), an argument index of -99 (IndexError in the
    judge's message). Each is a grader crash, reported as 'the grader's problem, not yours'."""
    r, took = graded_quickly(write(tmp_path, "s.ipynb", notebook(GOOD, (FORGERIES[attack],))))
    assert r.lesson == "04_hidden_gradients" and len(r.exercises) == 1, r.notes
    assert not any("grader's problem" in n for n in r.notes), r.notes


# Breach found by the red team, now fixed (promise 5): an unhashable grade_id (a list) on a solution cell raises
# TypeError in solution_cells, before the sandbox
def test_an_unhashable_grade_id_is_just_an_odd_cell(tmp_path):
    nb = notebook(GOOD)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.metadata["nbgrader"]["grade_id"] = ["hidden_unit_grad"]
    r, took = graded_quickly(write(tmp_path, "s.ipynb", nb))
    assert len(r.exercises) == 1 and not any("grader's problem" in n for n in r.notes), r.notes


@needs_sandbox
# Breach found by the red team, now fixed (README 'bounded in size'): the cell name and exception type of a (forged)
# ready record are copied into the notes without a length limit
def test_the_notes_are_bounded(tmp_path):
    forged = _forged({"ready": True, "errors": [{"cell": "A" * 3_000_000, "error": ["B" * 3_000_000, "m"]}]})
    r, took = graded_quickly(write(tmp_path, "s.ipynb", notebook(GOOD, (forged,))))
    assert len(json.dumps(r.to_gradescope())) < 100_000, f"results.json of {len(json.dumps(r.to_gradescope()))} bytes"


@needs_sandbox
# Breach found by the red team, now fixed (promise 1 in the README's recommended nbgrader flow): without --lesson,
# the student's own metadata chooses the lesson graded; an easier lesson's notebook handed in for lesson 04 shows
# full marks
def test_a_notebook_handed_in_for_lesson_04_is_graded_as_lesson_04(tmp_path):
    """nbgrader's layout, submitted/<student>/<assignment>/<notebook>: alice hands in lesson 00's solved notebook
    (one easy exercise) as her 04_hidden_gradients notebook. The README tells instructors to grade the collected
    submitted/ folder with grade-folder, "which recognises each notebook's lesson": her row reads 1 / 1."""
    folder = tmp_path / "submitted" / "alice" / "04_hidden_gradients"
    folder.mkdir(parents=True)
    write(folder, "04_hidden_gradients.ipynb", nbformat.read(BOOK.lesson("00").path, as_version=4))
    (result,) = grade_folder(tmp_path / "submitted", tmp_path / "scores.csv", limits=LIMITS, jobs=1, progress=None)
    assert not (result.score == result.max_score > 0), (result.lesson, result.score, result.max_score)


@needs_sandbox
# Breach found by the red team, now fixed (README: 'everything that would compute it ... raises'): another lesson's
# package function computes the answer (weight_grad on a batch is delta.T @ X)
def test_no_package_function_left_in_the_sandbox_computes_the_answer(tmp_path):
    """hidden_unit_grad(W, delta) = W.T @ delta = weight_grad(X=W, delta=delta[:, None])[0]: weight_grad treats W as
    a batch of `out` inputs. (In lesson 03, hidden_unit_grad(x_in[None, :], delta[:, None]) is weight_grad; the
    autodiff engine's Value graph gives both.)"""
    r = submit(tmp_path, notebook("import nnfromscratch as nn\ndef hidden_unit_grad(W, delta):\n"
                                  "    return nn.weight_grad(W, delta[:, None])[0]\n"))
    assert r.score == 0, only(r).message


@needs_sandbox
# Breach found by the red team, now fixed (promise 3, README 'any installed copy hidden'): the sandbox mounts whole
# Python prefixes and hides only <purelib>/nnfromscratch of the running interpreter; a source checkout elsewhere in
# them (pip install -e git+... puts one in <venv>/src/) is readable
def test_no_copy_of_the_package_is_readable_inside_the_python_prefix(tmp_path):
    import nnfromscratch

    src = Path(sys.prefix) / "src"
    copy = src / "nnfromscratch"
    if copy.exists() or not os.access(sys.prefix, os.W_OK):
        pytest.skip(f"cannot place a checkout at {copy}")
    made_src = not src.exists()
    try:
        shutil.copytree(Path(nnfromscratch.__file__).parent, copy / "nnfromscratch")
        attack = ("import glob, sys\n"
                  "ns = {'__name__': 'copy'}\n"
                  "for p in glob.glob(sys.prefix + '/**/layers.py', recursive=True):\n"
                  "    src = open(p).read()\n"
                  "    if 'return delta @ W' in src:\n"
                  "        src = src.replace('from .activations', 'from nnfromscratch.activations')\n"
                  "        exec(src.replace('from .validate', 'from nnfromscratch.validate'), ns)\n"
                  "        break\n"
                  "hidden_unit_grad = ns['hidden_unit_grad']\n")
        r = submit(tmp_path, notebook(attack))
    finally:
        shutil.rmtree(src if made_src else copy, ignore_errors=True)
    assert r.score == 0, only(r).message


# Breach found by the red team, now fixed (low): file names are shown raw on the instructor's terminal and in the
# CSV; escape sequences in a name rewrite the progress lines
def test_control_characters_in_names_never_reach_the_terminal_or_the_csv(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "\x1b[2K\x1b[1A\x1b[32mcarol.ipynb").write_bytes(b"{}")
    lines = []
    grade_folder(folder, tmp_path / "scores.csv", lesson="04", limits=LIMITS, jobs=1, progress=lines.append)
    assert not any("\x1b" in line for line in lines) and "\x1b" not in (tmp_path / "scores.csv").read_text()


@needs_sandbox
# Breach found by the red team, now fixed (hygiene, low): with --jobs > 1 each pool process builds its own stripped
# package in /tmp; its atexit clean-up never runs in a forked pool worker, so every parallel run leaves one copy per
# worker and lesson
def test_parallel_grading_leaves_no_stripped_package_behind(tmp_path, monkeypatch):
    """As in a fresh `grade-folder --jobs 2` process: nothing built before the pool forks. The temporary folders of
    this process and its pool go to a folder of this test's own (other pytest workers and other graders on the
    machine make and remove copies in /tmp meanwhile)."""
    monkeypatch.setattr(sys.modules["nnfromscratch_tools.grading.grade"], "_PACKAGES", {})
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(2):
        write(folder, f"s{i}.ipynb", notebook("pass"))
    made, mkdtemp = tmp_path / "made", tempfile.mkdtemp
    made.mkdir()
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *args, **kwargs: mkdtemp(*args, **{**kwargs, "dir": made}))
    grade_folder(folder, tmp_path / "scores.csv", lesson="04", limits=LIMITS, jobs=2, progress=None)
    left = set(made.glob("nnfs-package-*"))
    for path in left:
        shutil.rmtree(path, ignore_errors=True)
    assert not left, sorted(left)
