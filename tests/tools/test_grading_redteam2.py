"""Red team, third round: fresh attacks on the hardened autograder, none a repeat of test_grading.py or
test_grading_redteam.py.

The hardening added a seccomp filter, per-exercise sandboxes with a stripped package each, a free uid per sandbox
held by a lock file (then in /tmp/nnfs-sandbox-users), control groups, tmpfs folders, bounded analysis and the folder's
expected lesson. Each test is one or more hostile submissions (or hostile neighbours) against grading/README.md's
five promises: a submission must not (1) gain a point it did not earn, (2) change another submission's grade, file
or run, (3) read the solutions, other submissions or the grader's secrets, (4) outlive its own grading, (5) stop
the grader from writing a valid result for it and for everyone else.

The first half held when the round began. The second half are the 12 breaches this round found (a tuple subclass
hiding its items, the uid lock folder, planted lock files, package functions outside the forbidden lists, a file
named after another lesson, the analysis time, memory outside the address space, non-root process limits, forged
type names, stray copies in the package folder, a creation-order topological sort): each was kept as a strict xfail
naming its fix until the fix landed; each now asserts the promise like the rest.
"""

import ctypes
import fcntl
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnfromscratch.exercises import EXERCISES, cases_for, runner
from nnfromscratch.exercises.judge import judge
from nnfromscratch_tools.grading import Limits, Sandbox, SandboxUnavailable, grade, grade_folder, safe_grade
from nnfromscratch_tools.grading import sandbox as sandbox_module
from nnfromscratch_tools.grading import strip
from nnfromscratch_tools.grading.grade import stripped_package
from nnfromscratch_tools.grading.results import csv_cell

from test_grading import BOOK, GOOD, LIMITS, SANDBOXED, SLOT, WHY, WRONG, notebook, only, write
from test_grading_redteam import graded_quickly, no_survivors, printed, sandbox_run, submit

pytestmark = pytest.mark.slow

needs_sandbox = pytest.mark.skipif(not SANDBOXED, reason=f"no sandbox here: {WHY}")
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="the per-sandbox user and its lock files exist only as root")
x86_64 = pytest.mark.skipif(platform.machine() != "x86_64", reason="raw x86_64 system call numbers")
GRADE_MODULE = sys.modules["nnfromscratch_tools.grading.grade"]  # the package exports the function `grade` too
SOLUTION = {"solution": True, "grade": False, "locked": False, "schema_version": 3, "task": False}


def solo(lesson, source):
    """The lesson's solved notebook whose first solution cell is `source` and whose other solution cells are empty:
    the submission defines exactly what `source` defines."""
    nb = nbformat.read(BOOK.lesson(lesson).path, as_version=4)
    first = True
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source, first = (source if first else "pass"), False
    return nb


def graded(tmp_path, lesson, source, name="submission.ipynb"):
    """submit() (a valid result, in time, nothing left) of `solo(lesson, source)`."""
    return submit(tmp_path, solo(lesson, source), lesson=lesson, name=name)


# ==============================================================================================================
# Attacks that hold
# ==============================================================================================================

SYSCALLS = r'''
import ctypes, errno, json, os, resource, stat
libc = ctypes.CDLL(None, use_errno=True)
def result(value):
    return "allowed" if value >= 0 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))
def sc(number, *args):
    return result(libc.syscall(number, *[ctypes.c_long(a) if isinstance(a, int) else a for a in args]))
buf = ctypes.create_string_buffer(256)
R = {}
# refused by the filter (EPERM), clone3 said not to exist (ENOSYS)
R["clone(CLONE_NEWUSER)"] = sc(56, 0x10000000 | 17, 0, 0, 0, 0)
R["clone(CLONE_NEWNS | CLONE_NEWPID)"] = sc(56, 0x00020000 | 0x20000000 | 17, 0, 0, 0, 0)
R["clone3"] = sc(435, buf, 88)
R["unshare(CLONE_NEWTIME)"] = sc(272, 0x80)
R["io_uring_setup"] = sc(425, 1, buf)
R["userfaultfd"] = sc(323, 0)
R["perf_event_open"] = sc(298, buf, 0, -1, -1, 0)
R["bpf"] = sc(321, 0, buf, 64)
R["personality(query)"] = sc(135, 0xFFFFFFFF)
R["open_by_handle_at"] = sc(304, -100, buf, 0)
R["open_tree"] = sc(428, -100, b"/", 0)
R["fsopen"] = sc(430, b"tmpfs", 0)
R["mount_setattr"] = sc(442, -100, b"/", 0, buf, 32)
R["process_vm_readv(pid 1)"] = sc(310, 1, buf, 1, buf, 1, 0)
R["init_module"] = sc(175, buf, 16, b"")
R["quotactl"] = sc(179, 0, b"/", 0, buf)
pidfd = libc.syscall(434, 1, 0)                                  # pidfd_open(1): allowed, harmless
R["setns(pidfd of pid 1)"] = sc(308, pidfd, 0) if pidfd >= 0 else "no pidfd"
# allowed by the filter, refused for want of a capability
R["pidfd_getfd (bwrap's descriptors)"] = sc(438, pidfd, 0, 0) if pidfd >= 0 else "no pidfd"
R["iopl(3)"] = sc(172, 3)
R["ioperm(0x80)"] = sc(173, 0x80, 1, 1)
R["settimeofday(NULL, NULL)"] = sc(164, 0, 0)                   # a no-op when allowed: the capability check
R["fanotify_init"] = sc(300, 0, 0)
R["sched_setscheduler(SCHED_FIFO)"] = result(libc.sched_setscheduler(0, 1, ctypes.byref(ctypes.c_int(1))))
R["vhangup"] = sc(153)
try:
    os.mknod("/sandbox/null2", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    R["mknod char device"] = "allowed"
except OSError as e:
    R["mknod char device"] = errno.errorcode[e.errno]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
try:
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard + 1))
    R["raise a hard limit"] = "allowed"
except (ValueError, OSError):
    R["raise a hard limit"] = "EPERM"
# what is not there at all: the control groups, the host's lock folder (the sandbox's /tmp is its own)
R["/sys"] = "present" if os.path.exists("/sys") else "EPERM"
R["the grader's lock folder"] = "present" if os.path.exists("/run/nnfromscratch-sandbox-users") else "EPERM"
print("SYSCALLS" + json.dumps(R), flush=True)
'''


@needs_sandbox
@x86_64
def test_the_filter_and_the_missing_capabilities_refuse_every_way_out():
    """One run, the system calls the seccomp filter lists (namespaces through clone's flags and unshare's time
    namespace, clone3, io_uring, userfaultfd, perf, bpf, personality, file handles, the new mount API,
    process_vm_readv, modules, quotas, setns through a pidfd) and those it leaves to the missing capabilities
    (another process's descriptors through pidfd_getfd, raw I/O ports, the clock, fanotify, real-time
    scheduling, vhangup, device nodes, raising a hard limit); and /sys (the cgroups) and the host's lock
    folder are not in the sandbox."""
    r = printed(sandbox_run(SYSCALLS), "SYSCALLS")
    if os.geteuid() != 0:  # a non-root grader's sandbox is a user namespace of the grader's user: other rules
        for name in ("pidfd_getfd (bwrap's descriptors)", "sched_setscheduler(SCHED_FIFO)", "raise a hard limit"):
            r.pop(name)
    assert r.pop("clone3") == "ENOSYS"
    for name in ("iopl(3)", "ioperm(0x80)"):  # kernels without CONFIG_X86_IOPL_IOPERM say ENOSYS
        r[name] = "EPERM" if r[name] == "ENOSYS" else r[name]
    assert all(v == "EPERM" for v in r.values()), {k: v for k, v in r.items() if v != "EPERM"}


OTHER_ABIS = {
    # getpid through the x32 ABI (the system call number with bit 30 set) from the x86_64 process
    "x32": "import ctypes\nctypes.CDLL(None).syscall(0x40000000 | 39)\n",
    # getpid through the i386 ABI: mov eax, 20; int 0x80; ret, in an executable page
    "int 0x80": ("import ctypes, mmap\n"
                 "page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
                 "page.write(bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3]))\n"
                 "ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))()\n"),
}


@needs_sandbox
@x86_64
@pytest.mark.parametrize("abi", sorted(OTHER_ABIS))
def test_a_system_call_through_another_abi_kills_the_worker(abi):
    """The filter compares the system call numbers of x86_64 only; an x32 or i386 call would slip past it. Both
    kill the process at once: nothing after the call runs, and the run reports it did not finish."""
    report = sandbox_run("print('BEFORE', flush=True)\n" + OTHER_ABIS[abi] + "print('ALIVE', flush=True)\n")
    assert "BEFORE" in report.output and "ALIVE" not in report.output, report.output
    assert not report.ready


LEFTOVERS = r'''
import ctypes, os, socket
import numpy as np
libc = ctypes.CDLL(None, use_errno=True)
found = [p for p in ("/tmp/nnfs-left", "/sandbox/nnfs-left", "/dev/shm/nnfs-left") if os.path.exists(p)]
if libc.shmget(0x4E465331, 0, 0) >= 0:                           # a System V segment without IPC_RMID
    found.append("System V shared memory")
mq_open = getattr(libc, "mq_open", None)                          # glibc >= 2.34 has it in libc
if mq_open is not None and mq_open(b"/nnfs-left", os.O_RDONLY) >= 0:  # a POSIX message queue
    found.append("POSIX message queue")
try:
    socket.socket(socket.AF_UNIX).connect("\0nnfs-left")       # an abstract socket someone listens on
    found.append("abstract socket")
except OSError:
    pass
if found:                                                        # a run that finds anything answers wrongly
    sigmoid_grad = weight_grad = lambda a, b: np.zeros(3)
# and leaves all of it for the next run
for p in ("/tmp/nnfs-left", "/sandbox/nnfs-left", "/dev/shm/nnfs-left"):
    try:
        open(p, "w").close()
    except OSError:
        pass
libc.shmget(0x4E465331, 1 << 20, 0o1600)
if mq_open is not None:
    mq_open(b"/nnfs-left", os.O_CREAT | os.O_RDWR, 0o600, None)
listener = socket.socket(socket.AF_UNIX)
listener.bind("\0nnfs-left")
listener.listen()
if found:
    raise RuntimeError(f"LEFTOVERS {found}")
'''


@needs_sandbox
def test_nothing_passes_from_one_exercise_sandbox_to_the_next(tmp_path):
    """Lesson 03 is graded in two sandboxes, one after the other, in one slot (as root, possibly the same uid): the
    first leaves a file in /tmp and /sandbox (and tries /dev/shm), a System V segment, a POSIX message queue and a
    listening abstract socket; the second, finding any of them, answers wrongly. Both exercises score."""
    r = submit(tmp_path, notebook(None, (LEFTOVERS,), lesson="03"), lesson="03")
    assert r.score == 2 and not any("LEFTOVERS" in n for n in r.notes), r.notes


@needs_sandbox
@as_root
def test_concurrent_sandboxes_of_one_slot_get_users_of_their_own():
    """Two graders on one machine, both using slot SLOT + 5 (two `grade-folder` runs with the same --jobs, two
    instructors): their sandboxes, running at the same time, each hold a uid of their own."""
    exercise = EXERCISES["hidden_unit_grad"]
    reports = [None, None]

    def run(i):
        sandbox = Sandbox(stripped_package(exercise), LIMITS, slot=SLOT + 5)
        try:
            reports[i] = sandbox.run(b"{}", [], [{"name": "wait", "source": "import time\ntime.sleep(1.5)"}], [])
        finally:
            sandbox.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    uids = [r.uid for r in reports]
    assert None not in uids and uids[0] != uids[1], uids


TRICKY = '''
import functools


def answer(x):
    return x * 2


def answer(x):                      # defined twice: the second definition wins at import
    return x * 2 + 0


if True:
    def conditional(x):
        return x * 2

alias = answer
REGISTRY = {"answer": answer}
PARTIAL = functools.partial(answer)


def uses_default(x, f=answer):
    return f(x)


@functools.lru_cache(maxsize=None)
def cached(x):
    return x * 2


class Box:
    method = answer

    def meth(self, x):
        return x * 2

    class Inner:
        def deep(self, x):
            return x * 2


async def coroutine(x):
    return x * 2
'''

TRICKY_ROUTES = {
    "answer": "t.answer(1)", "alias": "t.alias(1)", "registry": "t.REGISTRY['answer'](1)",
    "functools.partial": "t.PARTIAL(1)", "default argument": "t.uses_default(1)", "lru_cache": "t.cached(1)",
    "class attribute": "t.Box.method(1)", "method": "t.Box().meth(1)", "nested class": "t.Box.Inner().deep(1)",
    "conditional definition": "t.conditional(1)", "async def": "asyncio.run(t.coroutine(1))",
    "source of the stub": "inspect.getsource(t.answer).count('x * 2')",
}


def test_stub_rewriting_holds_for_every_way_a_package_can_define_or_reach_a_function(tmp_path, monkeypatch):
    """A package module with the tricky definitions the brief lists (a function defined twice, a conditional
    definition, an alias, a registry, functools.partial, a default argument, lru_cache, a class attribute, a method,
    a nested class, async def): after stripping, every route raises ReferenceUnavailable and the stub's source holds
    no trace of the body. A forbidden name assigned rather than defined (a lambda) stops the build instead of
    staying available."""
    fake = tmp_path / "source" / "nnfromscratch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "tricky.py").write_text(TRICKY)
    monkeypatch.setattr(strip, "nnfromscratch", types.SimpleNamespace(__file__=str(fake / "__init__.py")))
    forbidden = ("tricky.answer", "tricky.conditional", "tricky.cached", "tricky.Box.meth", "tricky.Box.Inner.deep",
                 "tricky.coroutine")
    strip.build_stripped_package(tmp_path / "out", [types.SimpleNamespace(forbidden=forbidden)])
    probe = ("import asyncio, inspect, json, sys\nsys.path.insert(0, sys.argv[1])\nimport nnfromscratch.tricky as t\n"
             f"routes = {TRICKY_ROUTES!r}\nout = {{}}\n"
             "for name, expr in routes.items():\n"
             "    try:\n        out[name] = repr(eval(expr))\n"
             "    except Exception as e:\n        out[name] = type(e).__name__\n"
             "print(json.dumps(out))\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=60)
    routes = json.loads(done.stdout)
    assert routes.pop("source of the stub") == "0"
    assert all(v == "ReferenceUnavailable" for v in routes.values()), json.dumps(routes)
    (fake / "tricky.py").write_text("answer = lambda x: x * 2\n")
    with pytest.raises(RuntimeError, match="could not find"):
        strip.build_stripped_package(tmp_path / "again", [types.SimpleNamespace(forbidden=("tricky.answer",))])


# The package's own ways back to an answer: its registries, wrapper classes, partials and defaults all reach the stub.
ROUTES = {
    "03": ("import numpy as np, nnfromscratch as nn\n"
           "sigmoid_grad = nn.ACTIVATIONS['sigmoid'].grad                       # the activation registry\n"
           "def weight_grad(x_in, delta):                                        # the dense layer's backward\n"
           "    x_in, delta = np.asarray(x_in, float), np.asarray(delta, float)\n"
           "    cache = (x_in[None, :], np.zeros((len(delta), len(x_in))), np.zeros((1, len(delta))), 'linear')\n"
           "    return nn.dense_backward(delta[None, :], cache, need_dX=False)[1]\n"),
    "12": ("import nnfromscratch as nn\n"
           "def momentum_update(param, grad, velocity, learning_rate, beta=0.9):   # the optimiser class\n"
           "    return nn.Momentum(learning_rate, beta).update(param, grad, velocity)\n"
           "def adam_update(param, grad, m, s, t, learning_rate=0.001, beta1=0.9, beta2=0.999, kappa=1e-8):\n"
           "    opt = nn.Adam(learning_rate, beta1, beta2, kappa)\n"
           "    opt.t = t\n"
           "    new, (m, s) = opt.update(param, grad, [m, s])\n"
           "    return new, m, s\n"),
    "14": ("import nnfromscratch as nn\n"
           "def he_init(n_in, n_out, rng):                                       # the initialiser registry\n"
           "    return nn.INITS['he'](n_in, n_out, rng)\n"),
    "16": ("import functools, nnfromscratch as nn\n"
           "l2_grad = functools.partial(nn.regularization.l2_grad)              # a partial of the reference\n"
           "def dropout_forward(H, keep, rng, training=True):                    # the Dropout layer pair\n"
           "    layer = nn.Dropout(keep)\n"
           "    layer.rng, layer.training = rng, training\n"
           "    import numpy as np\n"
           "    H = np.asarray(H, float)\n"
           "    out, (cache, mask) = layer.forward(np.eye(H.shape[1]), np.zeros(H.shape[1]), H, 'relu')\n"
           "    return out, mask\n"),
}


@needs_sandbox
def test_the_packages_registries_classes_and_partials_lead_back_to_the_stub(tmp_path):
    """Seven answers through the package's own indirections, each in the sandbox of its exercise: the activation
    registry (sigmoid_grad), the dense layer's backward (weight_grad), the Momentum and Adam classes' update, the
    initialiser registry (he_init), functools.partial of the reference (l2_grad), the Dropout layer (dropout_forward).
    Every one reaches the stub: 0 points."""
    folder = tmp_path / "class"
    folder.mkdir()
    for lesson, source in ROUTES.items():
        write(folder, f"{BOOK.lesson(lesson).stem}.ipynb", solo(lesson, source))
    results = grade_folder(folder, tmp_path / "scores.csv", limits=LIMITS, jobs=2, progress=None, first_slot=SLOT)
    scores = {r.lesson: (r.score, r.max_score) for r in results}
    assert len(scores) == 4 and all(s == 0 and m > 0 for s, m in scores.values()), scores
    assert all("not available while grading" in e.message for r in results for e in r.exercises), \
        [e.message for r in results for e in r.exercises]


@needs_sandbox
def test_a_worker_that_never_reads_its_calls_is_stopped_by_the_watchdog(tmp_path):
    """After the cells, the worker's stdin is swapped for a pipe nobody writes to: the calls the grader sends never
    arrive and the worker waits for ever, its alarms idle. The grader's per-call watchdog stops it within the call
    limit plus its slack, and the result is valid."""
    limits = Limits(total_timeout=30, cell_timeout=2, call_timeout=0.5, memory=512 * 1024 ** 2)
    start = time.monotonic()
    r = submit(tmp_path, notebook(GOOD, ("import os\nr, w = os.pipe()\nos.dup2(r, 0)",)), limits=limits)
    took = time.monotonic() - start
    assert r.score == 0 and took < limits.call_timeout + 3 + 5, took
    assert any("did not finish within its time limit" in n for n in r.notes), r.notes


def test_names_that_only_look_harmless_are_not_formulas():
    """File names that start with an invisible character before a formula (zero-width space, byte-order mark, bidi
    marks, a line or paragraph separator, a no-break space) reach the CSV with that character escaped, so the cell
    starts with a backslash, not with "=", "+", "-" or "@"."""
    for lead in ("\u200b", "\ufeff", "\u200e", "\u202e", "\u2028", "\u2029", "\u00a0", "\u0085"):
        for start in "=+-@":
            cell = csv_cell(f"{lead}{start}HYPERLINK(\"http://x\")")
            assert cell.startswith("\\") and "\n" not in cell and "\r" not in cell, repr(cell)


# ==============================================================================================================
# Breaches this round found, each fixed: minimal reproductions
# ==============================================================================================================

TUPLE = "class T(tuple):\n    def __getitem__(self, index):\n        return ()\n"
TUPLE_ANSWERS = {  # exercise -> a tuple subclass of the answer's length, nothing computed
    "train_epoch": lambda T: lambda params, gradients, X, labels, lr, B, rng: T((0,) * 2 * len(params)),
    "dense_forward": lambda T: lambda W, b, X, activation: T((0,) * 6),
    "dense_backward": lambda T: lambda dH, cache: T((0,) * 3),
    "network_backward": lambda T: lambda dout, caches, layer_backward: T((0,) * 2 * len(caches)),
    "momentum_update": lambda T: lambda param, grad, velocity, lr, beta=0.9: T((0, 0)),
    "adam_update": lambda T: lambda param, grad, m, s, t, lr=0.001, b1=0.9, b2=0.999, kappa=1e-8: T((0, 0, 0)),
    "l2_grad": lambda T: lambda W, b, dW, db, lam: T((0, 0)),
    "dropout_forward": lambda T: lambda H, keep, rng, training=True: T((0, 0)),
}


@needs_sandbox
def test_a_tuple_that_hides_its_items_earns_nothing(tmp_path):
    """`class T(tuple)` whose __getitem__ returns (): in process, through the one runner and judge, on each of the
    eight tuple exercises (visible and hidden inputs); then through the grader for lesson 16. (A breach until
    describe read the built-in type's own items and the grader refused a description whose items do not cover its
    length: every tuple exercise scored full marks with nothing computed.)"""
    namespace = {}
    exec(TUPLE, namespace)
    passed = []
    for name, make in TUPLE_ANSWERS.items():
        exercise = EXERCISES[name]
        cases = cases_for(name, 0) + cases_for(name, np.random.default_rng())
        outcomes = [runner.call(exercise.target(make(namespace["T"])), case.args) for case in cases]
        if judge(exercise, cases, outcomes).passed:
            passed.append(name)
    r = graded(tmp_path, "16", TUPLE + "def l2_grad(W, b, dW, db, lam):\n    return T((0, 0))\n"
                                     "def dropout_forward(H, keep, rng, training=True):\n    return T((0, 0))\n")
    assert not passed and r.score == 0, (passed, r.score, [e.message for e in r.exercises])


def _hold_every_sandbox_user(folder, planted):
    """Hold a lock on every uid's file in the grader's lock folder. planted: what any local user could do if that
    folder were in a world-writable place (the grader's lock folder was tempfile.gettempdir()/nnfs-sandbox-users,
    taken as it was with mkdir(exist_ok=True)): make the folder first, as that user. Otherwise the folder is the
    grader's own (root's, 0700) and every uid is simply taken (1000 sandboxes running)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < sandbox_module.SLOT_UIDS + 512:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, sandbox_module.SLOT_UIDS + 512), hard))
    folder.mkdir(mode=0o755 if planted else 0o700)
    held = []
    for i in range(sandbox_module.SLOT_UIDS):
        fh = open(folder / f"{sandbox_module.SLOT_UID_BASE + i}.lock", "w")
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if planted:
            os.fchown(fh.fileno(), 65534, 65534)
        held.append(fh)
    if planted:
        os.chown(folder, 65534, 65534)
    return held


FANOTIFY = r'''
import ctypes, json, os, select, struct, time
libc = ctypes.CDLL(None, use_errno=True)
status = {l.split(":")[0]: l.split()[1] for l in open("/proc/self/status") if l.startswith(("Uid", "CapEff"))}
fd = libc.fanotify_init(0x1 | 0x2, os.O_RDONLY)                  # FAN_CLOEXEC | FAN_NONBLOCK
mark = libc.fanotify_mark(fd, 0x1 | 0x100, ctypes.c_uint64(0x20), -100, b"/usr") if fd >= 0 else -1
found, end = [], time.monotonic() + 3                           # FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN
while fd >= 0 and mark == 0 and time.monotonic() < end and not found:
    select.select([fd], [], [], 0.2)
    try:
        data = os.read(fd, 4096)
    except BlockingIOError:
        continue
    while len(data) >= 24:                                        # struct fanotify_event_metadata
        length, _, _, _, mask, event_fd, pid = struct.unpack("IBBHQii", data[:24])
        if event_fd >= 0:
            path = os.readlink(f"/proc/self/fd/{event_fd}")      # a file the host opened, by its host path
            if "other_student" in path:
                found.append([path, os.read(event_fd, 200).decode()])
            os.close(event_fd)
        data = data[length:]
print("ESCAPE" + json.dumps({"uid": os.getuid(), "status": status, "found": found[:1]}), flush=True)
'''


@needs_sandbox
@as_root
@pytest.mark.parametrize("planted", [True, False], ids=["a folder made by another user", "every uid taken"])
def test_a_local_user_holding_every_lock_cannot_make_the_sandbox_root(tmp_path, monkeypatch, planted):
    """Round three found that a local user who made the uid lock folder first (then in world-writable /tmp) and held
    every lock left the grader without a uid, and it then ran the submission as host root with bubblewrap's
    capabilities: fanotify on /usr handed it every file the host opened (here another student's notebook). Now
    the lock folder is in /run (only root can create it) and is checked before use (a folder of the grader's
    user, mode 0700, not a link), bubblewrap drops every capability, and without a free uid the grader refuses
    (SandboxUnavailable) rather than run anything as root. The attack is planted in the folder the grader uses
    (LOCK_FOLDER, moved into a world-writable folder for the test): made by another user, or the grader's own
    with every uid taken."""
    private = tmp_path / "tmp"
    private.mkdir(mode=0o1777)
    folder = private / "nnfs-sandbox-users"
    monkeypatch.setattr(sandbox_module, "LOCK_FOLDER", str(folder))
    held = _hold_every_sandbox_user(folder, planted)
    secret = tmp_path / "other_student.ipynb"
    secret.write_text("another student's solution: W.T @ delta")
    stop = threading.Event()

    def grader_reads_other_submissions():
        while not stop.is_set():
            secret.read_bytes()
            time.sleep(0.05)

    threading.Thread(target=grader_reads_other_submissions, daemon=True).start()
    refused, report = "", None
    try:
        report = sandbox_run(FANOTIFY, Limits(total_timeout=15, cell_timeout=8))
    except SandboxUnavailable as err:
        refused = str(err)
    finally:
        stop.set()
        for fh in held:
            fh.close()
    line = next((line for line in report.output.splitlines() if line.startswith("ESCAPE")), None) if report else None
    r = json.loads(line[len("ESCAPE"):]) if line else {"uid": None, "found": []}
    assert r["uid"] != 0 and not r["found"], r
    assert ("is not a folder of this user's with mode 0700" if planted else "no sandbox user is free") in refused, \
        (refused, r)


@needs_sandbox
@as_root
@pytest.mark.parametrize("planted", ["link in a folder of another user", "link", "FIFO", "folder"])
def test_a_planted_lock_file_cannot_make_the_grader_overwrite_a_file(tmp_path, monkeypatch, planted):
    """Round three found that the grader opened <lock folder>/<uid>.lock with open(path, 'w') as root: a symbolic
    link planted there made it empty any file (here a results CSV; /etc/shadow alike), a FIFO hung it, a folder
    crashed every grading. Now a lock folder of another user is refused outright, and in the grader's own folder
    (where such a file could only come from root) a lock file is opened without following a link, truncating or
    blocking, and used only if it is a regular file: that uid is skipped and the next one used."""
    private = tmp_path / "tmp"
    private.mkdir(mode=0o1777)
    folder = private / "nnfs-sandbox-users"
    monkeypatch.setattr(sandbox_module, "LOCK_FOLDER", str(folder))
    victim = tmp_path / "scores.csv"
    victim.write_text("submission,score\nalice,1\n")
    folder.mkdir(mode=0o700)
    lock = folder / f"{sandbox_module.SLOT_UID_BASE + SLOT}.lock"
    if planted == "FIFO":
        os.mkfifo(lock)
    elif planted == "folder":
        lock.mkdir()
    else:
        lock.symlink_to(victim)
    if planted == "link in a folder of another user":
        os.lchown(lock, 65534, 65534)
        os.chown(folder, 65534, 65534)
    exercise = EXERCISES["hidden_unit_grad"]
    sandbox = Sandbox(stripped_package(exercise), LIMITS, slot=SLOT)
    report, refused = None, ""
    try:
        report = sandbox.run(b"{}", [], [{"name": "nothing", "source": "pass"}], [])
    except SandboxUnavailable as err:
        refused = str(err)
    finally:
        sandbox.close()
    assert victim.read_text() == "submission,score\nalice,1\n"
    if planted == "link in a folder of another user":
        assert "is not a folder of this user's" in refused, refused
    else:
        assert report is not None and report.ready and report.uid == sandbox_module.SLOT_UID_BASE + SLOT + 1, \
            (refused, report)


PACKAGE_ANSWERS = {
    "00": ("output_grad <- losses.binary_cross_entropy_grad (y_hat - y for one example)",
           "import nnfromscratch as nn\noutput_grad = nn.binary_cross_entropy_grad\n"),
    "06": ("para_update <- optimizers.descend (para_update's own body); train <- slowdown.train_with_loss",
           "import nnfromscratch as nn\nfrom nnfromscratch.optimizers import descend\n"
           "def para_update(param, grad, alpha):\n    return descend(param, grad, float(alpha))\n"
           "def train(example, alpha, steps):\n"
           "    return list(nn.slowdown.train_with_loss(example, 'squared error', alpha, steps).loss)\n"),
    "01": ("forward_prop <- autodiff.dense, the layer on Values (a one-call forward pass, not a tool's use)",
           "import numpy as np\nfrom nnfromscratch import autodiff as ad\n"
           "def forward_prop(W, b, x):\n"
           "    return np.array([v.data for v in ad.dense(ad.values(W), ad.values(b), ad.values(x))])\n"),
}


@needs_sandbox
@pytest.mark.parametrize("lesson", sorted(PACKAGE_ANSWERS))
def test_no_other_package_function_computes_the_answer(tmp_path, lesson):
    """Was a breach (promise 1, medium): package functions outside the exercises' `forbidden` lists computed the
    answer in the exercise's own sandbox. Fixed: they are forbidden now (exercises/part1.py), and the brute-force
    search is kept as tests/nnfromscratch/exercises/test_no_other_answer.py, over every exercise."""
    label, source = PACKAGE_ANSWERS[lesson]
    r = graded(tmp_path, lesson, source)
    passed = [e.name for e in r.exercises if e.passed]
    assert not passed, (label, passed)


# Breach found by the red team, now fixed (promise 1 in the README's nbgrader flow): the file name beat the assignment
# folder; now the outermost folder named after a lesson decides (folder.expected_lesson)
def test_a_file_named_after_another_lesson_in_an_assignment_folder_is_graded_as_the_assignment(tmp_path):
    folder = tmp_path / "submitted" / "alice" / BOOK.lesson("04").stem
    folder.mkdir(parents=True)
    write(folder, BOOK.lesson("04").stem + ".ipynb", nbformat.read(BOOK.root / BOOK.lesson("04").learner_file,
                                                                   as_version=4))
    write(folder, BOOK.lesson("00").stem + ".ipynb", nbformat.read(BOOK.lesson("00").path, as_version=4))
    results = grade_folder(tmp_path / "submitted", tmp_path / "scores.csv", limits=LIMITS, jobs=1, progress=None,
                           first_slot=SLOT)
    assert {r.lesson for r in results} == {BOOK.lesson("04").stem}, [(r.submission, r.lesson, r.score)
                                                                      for r in results]


# Breach found by the red team, now fixed (promise 5): the analysis outside the sandbox parsed every cell again per
# exercise (about 5 s here with a 1 s limit); now each cell is parsed once (cells.Facts), and reading the code counts
# against --total-timeout
def test_the_analysis_of_many_small_cells_stays_within_the_time_limit(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["nnfromscratch"] = {"lesson": BOOK.lesson("13").stem}
    for i in range(200):
        cell = nbformat.v4.new_code_cell(f"v{i} = a" + "[1:2:3]" * 140)
        cell.metadata["nbgrader"] = dict(SOLUTION, grade_id=f"cell_{i}")
        nb.cells.append(cell)
    limits = Limits(total_timeout=1, cell_timeout=1, call_timeout=1)  # 1 s: no sandbox even starts
    r, took = graded_quickly(write(tmp_path, "cells.ipynb", nb), lesson="13", limits=limits)
    assert took < limits.total_timeout + 1, f"{took:.1f} s with a {limits.total_timeout:g} s limit"


class _NoControlGroups:
    """The grader where it may not create control groups: a Docker container (read-only /sys/fs/cgroup, even as
    root), Gradescope, a non-root grader. Sandbox.run treats that as best effort."""

    def __init__(self, *args):
        self.dirs, self.kind = [], ""

    def join(self):
        pass

    def remove(self):
        pass


MEMORY_OUTSIDE_THE_ADDRESS_SPACE = {
    "memfd": ("import os\nheld = 0\nfiles = []\ntry:\n    for i in range(12):\n        fd = os.memfd_create(f'm{i}')\n"
              "        os.write(fd, b'1' * (15 * 1024 ** 2))\n        files.append(fd)\n        held += 15\n"
              "except OSError:\n    pass\nprint('HELD', held, flush=True)\n"),
    "System V shared memory": (
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.shmat.restype = ctypes.c_void_p\nheld = 0\n"
        "for i in range(12):\n    sid = libc.shmget(0, 15 * 1024 ** 2, 0o1600)\n    addr = libc.shmat(sid, None, 0)\n"
        "    if sid < 0 or addr in (None, 2 ** 64 - 1):\n        break\n    ctypes.memset(addr, 1, 15 * 1024 ** 2)\n"
        "    libc.shmdt(ctypes.c_void_p(addr))\n    held += 15\nprint('HELD', held, flush=True)\n"),
}


@needs_sandbox
@pytest.mark.parametrize("how", sorted(MEMORY_OUTSIDE_THE_ADDRESS_SPACE))
def test_memory_outside_the_address_space_is_bounded_without_control_groups(monkeypatch, how):
    """Round three found that pages written to a memfd or to System V segments (attached, filled, detached) stay in
    RAM outside RLIMIT_AS and the tmpfs limits, so where no control group can be made (Docker, Gradescope, a
    non-root grader) a sandbox held 180 MB with --memory-mb 64. The seccomp filter now refuses memfd_create,
    memfd_secret, shmget, shmat and msgget."""
    monkeypatch.setattr(sandbox_module, "_ControlGroups", _NoControlGroups)
    limits = Limits(total_timeout=20, cell_timeout=10, memory=64 * 1024 ** 2)
    report = sandbox_run(MEMORY_OUTSIDE_THE_ADDRESS_SPACE[how], limits)
    line = next((line for line in report.output.splitlines() if line.startswith("HELD")), None)
    held = int(line.split()[1]) if line else 0  # a filter that kills the process holds nothing
    assert held <= 64 + 2 * limits.tmpfs // 1024 ** 2, f"{held} MB held with --memory-mb 64"


FORKS = r'''
import json, os, resource, time
limit = resource.getrlimit(resource.RLIMIT_NPROC)[0]
pipes = []
for _ in range(10):
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
print("FORKS" + json.dumps([limit, len(pipes), sum(os.read(r, 1) == b"1" for r in pipes) * 50]), flush=True)
'''


@needs_sandbox
def test_a_non_root_grader_still_limits_processes_and_memory(monkeypatch):
    """Round three found that a non-root grader's sandboxes had no process limit (applied only with a uid of its
    own) and no control group, so 10 processes of 50 MB each ran with --memory-mb 64. Inside the sandbox's own user
    namespace (--unshare-all) RLIMIT_NPROC counts that namespace's processes (Linux >= 5.14), so the worker now
    gets limits.processes + 1 there (bubblewrap's pid 1 is one of them). Simulated as root: --unshare-all, no uid,
    no control groups, as Sandbox.run does for a non-root grader; the test asserts the worker's RLIMIT_NPROC (uid
    0 of this simulation is exempt from it, a real non-root grader's user is not)."""
    fake_os = types.ModuleType("os")
    fake_os.__dict__.update(os.__dict__)
    fake_os.geteuid = lambda: 1000
    monkeypatch.setattr(sandbox_module, "os", fake_os)
    monkeypatch.setattr(sandbox_module, "_ControlGroups", _NoControlGroups)
    report = sandbox_run(FORKS, Limits(total_timeout=20, cell_timeout=10, memory=64 * 1024 ** 2))
    line = next((line for line in report.output.splitlines() if line.startswith("FORKS")), None)
    limit, processes, held = json.loads(line[len("FORKS"):]) if line else (0, 0, 0)
    assert 0 <= limit <= 8, (f"RLIMIT_NPROC {limit}: {processes} more processes started, holding {held} MB with "
                             "--memory-mb 64")


OVERSIZED_TYPE = r'''
import json, os, sys
fd = int(sys.argv[1])
other = {"status": "ok", "value": {"kind": "other", "type": "T" * 2_000_000}}
os.write(fd, b'{"ready": true, "errors": []}\n')
os.write(fd, "".join(json.dumps({"id": i, "outcome": other}) + "\n" for i in range(6)).encode())
os.write(fd, b'{"done": true}\n')
'''


@needs_sandbox
def test_a_forged_type_name_cannot_inflate_the_results(tmp_path):
    """A forged record whose 'type' is 2 MB long once made each exercise's message, and results.json, that large;
    a description's type is now bounded (MAX_TYPE) and a longer one refused as malformed, and grade() bounds
    every exercise's message (MAX_MESSAGE) whatever the decoder lets through."""
    r, took = graded_quickly(write(tmp_path, "s.ipynb", notebook(WRONG, (OVERSIZED_TYPE,))))
    assert len(json.dumps(r.to_gradescope())) < 100_000, f"results.json of {len(json.dumps(r.to_gradescope()))} bytes"


@needs_sandbox
# Breach found by the red team, now fixed (promises 1 and 3): build_stripped_package copied every file of the package
# folder (a JupyterLab checkpoint of layers.py held the reference); now it copies an allowlist (strip.copied_files)
def test_stray_copies_in_the_grader_s_package_folder_do_not_reach_the_sandbox(tmp_path, monkeypatch):
    import nnfromscratch

    real = Path(nnfromscratch.__file__).resolve().parent
    checkout = tmp_path / "fork" / "nnfromscratch"
    shutil.copytree(real, checkout, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    (checkout / ".ipynb_checkpoints").mkdir()
    shutil.copyfile(real / "layers.py", checkout / ".ipynb_checkpoints" / "layers-checkpoint.py")
    monkeypatch.setattr(strip, "nnfromscratch", types.SimpleNamespace(__file__=str(checkout / "__init__.py")))
    monkeypatch.setattr(GRADE_MODULE, "_PACKAGES", {})
    try:
        r = submit(tmp_path, notebook(
            "import os\nns = {'__name__': 'nnfromscratch.layers', '__package__': 'nnfromscratch'}\n"
            "for path in [os.path.join(d, f) for d, _, fs in os.walk('/pkg') for f in fs if f.endswith('.py')]:\n"
            "    source = open(path).read()\n"
            "    if 'return delta @ W' in source:\n"
            "        exec(source, ns)\n"
            "        break\n"
            "hidden_unit_grad = ns['hidden_unit_grad']\n"))
    finally:
        for folder in GRADE_MODULE._PACKAGES.values():
            shutil.rmtree(folder, ignore_errors=True)
    assert r.score == 0, only(r).message


CREATION_ORDER = ("def topological_order(root):\n"
                  "    # no traversal: every Value made since the last call, in the order they were made\n"
                  "    if id(root) not in SEEN:\n"
                  "        SEEN[id(root)] = (root, list(CREATED))\n"
                  "        CREATED.clear()\n"
                  "    return list(SEEN[id(root)][1])\n")


@needs_sandbox
def test_returning_the_values_in_the_order_they_were_made_is_not_a_topological_order(tmp_path):
    """Was a breach (promise 1, low): topological_order's hidden inputs were the same three graphs on every run,
    built parents first with no node the root does not depend on, so the Values in the order they were made passed
    with no traversal. Fixed: random graphs drawn from the rng, made in a random order with nodes beside the root
    (exercises/part2.py, `_random_graph`); the probe counts the entries the root does not depend on."""
    nb = nbformat.read(BOOK.lesson("13").path, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id") if cell.cell_type == "code" else None
        if grade_id == "value_add":
            cell.source = "CREATED, SEEN = [], {}\n" + cell.source.replace(
                "        self.data = float(data)\n", "        self.data = float(data)\n        CREATED.append(self)\n")
        elif grade_id == "topological_order":
            cell.source = CREATION_ORDER
    r = submit(tmp_path, nb, lesson="13")
    scores = {e.name: e.score for e in r.exercises}
    assert scores["topological_order"] == 0 and scores["backward"] == 0, (scores, [e.message for e in r.exercises])
