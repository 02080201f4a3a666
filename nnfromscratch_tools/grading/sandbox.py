"""Where a submission's code runs: a bubblewrap sandbox around a plain Python process (worker.py).

The sandbox (Debian's `bubblewrap`, the one Flatpak uses) gets its own PID, network, IPC and UTS
namespaces: no network, no view of other processes. Its file system is built from nothing: read-only
/usr, /lib, /bin; of the Python installation only the interpreter, its shared library, the standard
library and the environment's site-packages, with every installed copy of nnfromscratch and its tools
hidden; the grader's copy of the package with the graded exercise's answer removed (/pkg); the worker and
the runner (/grader); and two small memory file systems, /tmp and /sandbox, the latter holding only a
read-only copy of the submission; /dev is read-only. The repository, the solved notebooks, the grader's files
and other submissions are simply not there. A seccomp filter (seccomp.py) refuses new namespaces, mounts, the
kernel keyring, tracing, and memory the address-space limit does not count (memfd, System V shared memory and
message queues). bubblewrap drops every capability (as root, all but the three setpriv needs to change
user). When the grader runs as root, the process drops to a user of its own (one free uid per running sandbox,
taken with a lock file in /run, so concurrent graders never share one), with no capabilities and no new
privileges; without a free uid nothing runs (SandboxUnavailable), never a submission as root. Every process it
starts dies with it (`--die-with-parent`, and the PID namespace ends with its first process).

Limits: wall-clock time (the whole sandbox is killed), per cell and per call time, CPU seconds, address
space per process, file size, open files, processes (RLIMIT_NPROC, counted for the sandbox's own uid as root,
for its own user namespace otherwise), the size of its two file systems, the output read back, and, where the
grader may create control groups (cgroup v1 or v2, usually as root), the memory and the number of processes of
the sandbox as a whole. Where bubblewrap cannot run (not installed, no user namespaces in a container),
`Sandbox.available()` says why; the grader then runs the same worker as a plain process (the older, weaker
isolation) and says so loudly, or refuses with --require-sandbox.
"""

import fcntl
import inspect
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from nnfromscratch.exercises import runner

from . import seccomp

BWRAP = "bwrap"
SLOT_UID_BASE = 61000          # the sandbox's user when the grader is root: a free uid from 61000 on
SLOT_UIDS = 1000
LOCK_FOLDER = "/run/nnfromscratch-sandbox-users"  # the uids' lock files (as root; /run: only root may create there)
MAX_RESULT_BYTES = 16 * 1024 ** 2
WORKER = Path(__file__).with_name("worker.py")  # run as a script inside the sandbox, never imported here
SYSTEM = ("/usr", "/lib", "/lib64", "/bin", "/sbin")
HIDDEN_NAMES = ("nnfromscratch", "__editable__.nnfromscratch", "__editable___nnfromscratch", "book.toml")


@dataclass
class Limits:
    total_timeout: float = 60.0          # seconds for the whole submission (the sandbox is killed after)
    cell_timeout: float = 20.0           # seconds per solution cell
    call_timeout: float = 5.0            # seconds per call of a learner's function
    memory: int = 1024 ** 3              # bytes of address space each process may add after start-up
    cpu: int = 120                       # CPU seconds of the worker
    file_size: int = 16 * 1024 ** 2      # bytes per file written
    tmpfs: int = 32 * 1024 ** 2          # bytes of each of its writable file systems (/sandbox, /tmp)
    processes: int = 1                   # processes and threads: the worker alone (RLIMIT_NPROC; the cgroup)
    max_output: int = 100_000            # characters of the submission's printed output kept


@dataclass
class RunReport:
    """What came back from one sandboxed run: the cells' errors, the outcomes by call id, how it ended."""

    ready: bool = False
    cell_errors: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)
    timed_out: bool = False
    stalled: bool = False      # a call did not report within its limit (its alarm was disabled): the sandbox was stopped
    exit_code: int = None
    output: str = ""
    uid: int = None            # the user the sandbox ran as (as root), so that one can check nothing of it is left
    problems: list = field(default_factory=list)   # what went wrong on the grader's side of the pipe


class SandboxUnavailable(RuntimeError):
    pass


# --- what the sandbox sees of the Python installation --------------------------------------------------------------

def _outside_system(path):
    return not any(str(path) == s or str(path).startswith(s + "/") for s in SYSTEM)


def _site_dirs():
    """Every site-packages folder a Python of this installation can see (those of the environment and the base)."""
    dirs = {Path(p) for p in sys.path if p and Path(p).is_dir() and ("site-packages" in p or "dist-packages" in p)}
    for base in (sys.prefix, sys.base_prefix):
        paths = sysconfig.get_paths(vars={"base": base, "platbase": base})
        dirs |= {Path(paths[k]) for k in ("purelib", "platlib")}
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    dirs |= {Path("/usr/lib/python3/dist-packages"), Path(f"/usr/local/lib/{version}/dist-packages"),
             Path(f"/usr/lib/{version}/site-packages"), Path(f"/usr/local/lib/{version}/site-packages")}
    return sorted(d.resolve() for d in dirs if d.is_dir())


def python_mounts():
    """(binds, hidden): the files and folders of this Python to bind read-only into the sandbox (those outside the
    system folders), and the paths inside them to hide (installed copies of the course's packages, site-packages
    the environment does not use)."""
    binds = set()
    executable = Path(sys.executable)
    binds.add(executable.resolve())
    if executable != executable.resolve():
        binds.add(executable.absolute())
    libdir = sysconfig.get_config_var("LIBDIR")
    for name in {sysconfig.get_config_var("INSTSONAME"), sysconfig.get_config_var("LDLIBRARY")} - {None}:
        if libdir and (Path(libdir) / name).exists():
            binds.add((Path(libdir) / name).resolve())
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    binds.add(stdlib)
    binds.add(Path(sysconfig.get_paths()["platstdlib"]).resolve())
    config = Path(sys.prefix) / "pyvenv.cfg"
    if config.exists():
        binds.add(config.resolve())
    used = {Path(p).resolve() for p in sys.path if p and Path(p).is_dir()}
    binds |= {p for p in used if "site-packages" in str(p) or "dist-packages" in str(p)}
    binds = {p for p in binds if _outside_system(p)}
    hidden = []
    for site in _site_dirs():
        visible = any(site == b or b in site.parents for b in binds) or not _outside_system(site)
        if not visible:
            continue
        if site not in used:  # a site-packages this environment does not use (the base Python's): hide all of it
            hidden.append(site)
            continue
        hidden += [site / entry for entry in sorted(os.listdir(site)) if entry.startswith(HIDDEN_NAMES)
                   or entry.lower().startswith("nnfromscratch")]
    return sorted(binds, key=lambda p: (len(p.parts), str(p))), hidden


# --- a user of its own, and control groups -------------------------------------------------------------------

class _User:
    """A free sandbox uid (as root), held with a lock file until released, so concurrent graders never share one.

    The lock files live in LOCK_FOLDER, in /run, where only root can create anything. Before a lock file is opened
    the folder is checked through its open descriptor (a directory, not a link, owned by this user, mode 0700:
    nobody else can have planted a file in it); each lock file is opened without following a link, without
    truncating, without blocking on a FIFO, and used only if it is a regular file. Without a free uid there is no
    sandbox: SandboxUnavailable, never a submission run as root."""

    def __init__(self, hint=0):
        self.uid, self.fd = None, None
        folder = Path(LOCK_FOLDER)
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as err:
            raise SandboxUnavailable(f"the sandbox users' lock folder {folder} cannot be made or opened "
                                     f"({err.strerror or err}); no submission runs as root without a user of its "
                                     "own") from None
        try:
            info = os.fstat(dir_fd)
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) != 0o700:
                raise SandboxUnavailable(
                    f"the sandbox users' lock folder {folder} is not a folder of this user's with mode 0700 (owner "
                    f"uid {info.st_uid}, mode {stat.S_IMODE(info.st_mode):o}): someone else may have made it. "
                    "Remove it; no submission runs as root without a user of its own")
            for i in range(SLOT_UIDS):
                uid = SLOT_UID_BASE + (hint + i) % SLOT_UIDS
                try:
                    fd = os.open(f"{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                                 0o600, dir_fd=dir_fd)
                except OSError:  # a link, a folder, ...: not a lock file of ours, so not a uid to use
                    continue
                try:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        raise OSError("not a regular file")
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    continue
                self.uid, self.fd = uid, fd
                return
        finally:
            os.close(dir_fd)
        raise SandboxUnavailable(f"no sandbox user is free (all {SLOT_UIDS} lock files in {folder} are held); no "
                                 "submission runs as root without a user of its own")

    def release(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class _ControlGroups:
    """Per-sandbox memory and process limits in control groups, where the grader may create them (best effort)."""

    def __init__(self, memory, processes):
        self.dirs, self.kind = [], ""
        name = f"nnfs-{uuid.uuid4().hex[:12]}"
        own = {}
        try:
            for line in Path("/proc/self/cgroup").read_text().splitlines():
                number, controllers, path = line.split(":", 2)
                for controller in (controllers.split(",") if controllers else [""]):
                    own[controller] = path
        except OSError:
            return
        v1 = Path("/sys/fs/cgroup/memory").is_dir() and Path("/sys/fs/cgroup/pids").is_dir()
        try:
            if v1:
                for controller, settings in (("memory", {"memory.limit_in_bytes": memory}),
                                             ("pids", {"pids.max": processes})):
                    folder = Path("/sys/fs/cgroup") / controller / own.get(controller, "/").lstrip("/") / name
                    folder.mkdir()
                    self.dirs.append(folder)
                    for key, value in settings.items():
                        (folder / key).write_text(str(value))
                self.kind = "cgroup v1 memory and pids"
            elif Path("/sys/fs/cgroup/cgroup.controllers").exists():
                folder = Path("/sys/fs/cgroup") / own.get("", "/").lstrip("/") / name
                folder.mkdir()
                self.dirs.append(folder)
                (folder / "memory.max").write_text(str(memory))
                (folder / "pids.max").write_text(str(processes))
                self.kind = "cgroup v2 memory and pids"
        except OSError:
            self.remove()
            self.kind = ""

    def join(self):
        """Called in the child before it runs bubblewrap: it and everything it starts are in the groups."""
        for folder in self.dirs:
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self):
        for folder in self.dirs:
            for _ in range(50):
                try:
                    for pid in (folder / "cgroup.procs").read_text().split():
                        os.kill(int(pid), signal.SIGKILL)
                    folder.rmdir()
                    break
                except (OSError, ValueError):
                    time.sleep(0.02)
        self.dirs = []


# --- the sandbox -----------------------------------------------------------------------------------------------

def readable_by_the_sandbox(folder):
    """Open `folder` (a package copy to bind into the sandbox) to the sandbox's own user, who holds no capabilities
    and so cannot read what only the grader's user may: folders 0755, files 0644."""
    for path in [folder, *Path(folder).rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


class Sandbox:
    """Runs jobs in bubblewrap (or, when that is impossible and allowed, as a plain process)."""

    _probe = None

    def __init__(self, package_dir, limits=None, slot=0, require=False):
        self.package_dir, self.limits, self.slot = Path(package_dir), limits or Limits(), slot
        ok, why = self.available()
        if not ok and require:
            raise SandboxUnavailable(why)
        self.isolated, self.why = ok, why
        self.grader_dir = Path(tempfile.mkdtemp(prefix="nnfs-grader-"))
        (self.grader_dir / "runner.py").write_text(inspect.getsource(runner))
        (self.grader_dir / "worker.py").write_text(WORKER.read_text())
        os.chmod(self.grader_dir, 0o755)

    def close(self):
        shutil.rmtree(self.grader_dir, ignore_errors=True)

    @classmethod
    def available(cls):
        """(True, "bubblewrap") when bubblewrap can make a sandbox here, else (False, the reason)."""
        if cls._probe is None:
            path = shutil.which(BWRAP)
            if path is None:
                cls._probe = (False, "bubblewrap (bwrap) is not installed")
            else:
                try:
                    done = subprocess.run([path, *cls._namespaces(), "--ro-bind", "/", "/", "--", "true"],
                                          capture_output=True, timeout=30)
                    cls._probe = (True, "bubblewrap") if done.returncode == 0 else (
                        False, "bubblewrap cannot create namespaces here: "
                               + done.stderr.decode(errors="replace").strip()[:200])
                except (OSError, subprocess.TimeoutExpired) as err:
                    cls._probe = (False, f"bubblewrap failed to start: {err}")
        return cls._probe

    @staticmethod
    def _namespaces():
        if os.geteuid() == 0:  # root: no user namespace needed, and the process can then drop to its own user
            return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        return ["--unshare-all"]

    def _command(self, results_fd, submission_fd, filter_fd, uid):
        python = str(Path(sys.executable).absolute())
        if not self.isolated:
            return [python, "-s", "-B", str(self.grader_dir / "worker.py"), str(results_fd)]
        limits = self.limits
        if os.geteuid() == 0 and uid is None:
            raise SandboxUnavailable("no user of its own for the sandbox: a submission never runs as root")
        # No capabilities: as root, only the three setpriv needs to become the sandbox's user (it drops them with the
        # uid, before the worker starts); in a user namespace (not root), none at all.
        caps = ["--cap-drop", "ALL"]
        if uid is not None:
            caps += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]
        cmd = [shutil.which(BWRAP), *self._namespaces(), "--die-with-parent", "--new-session", *caps]
        for system in SYSTEM:
            if os.path.exists(system):
                cmd += ["--ro-bind", system, system]
        # The memory file systems first: the Python binds below may lie under /tmp (a virtual environment made
        # there), and a later tmpfs on /tmp would hide them.
        # /dev read-only: its tmpfs has no size limit, and in a user namespace (a non-root grader) the worker owns it.
        cmd += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",
                "--perms", "1777", "--size", str(limits.tmpfs), "--tmpfs", "/tmp",
                "--perms", "0777", "--size", str(limits.tmpfs), "--tmpfs", "/sandbox",
                "--perms", "0444", "--file", str(submission_fd), "/sandbox/submission.ipynb"]
        binds, hidden = python_mounts()
        made = set()
        for path in binds:
            for parent in reversed(path.parents):
                if str(parent) not in ("/", "/tmp") and parent not in made and _outside_system(parent) \
                        and not any(parent == b or b in parent.parents for b in binds):
                    cmd += ["--perms", "0755", "--dir", str(parent)]
                    made.add(parent)
            cmd += ["--ro-bind", str(path), str(path)]
        for path in hidden:  # an installed copy of the package: an empty read-only folder (or file) in its place
            cmd += ["--size", "4096", "--tmpfs", str(path), "--remount-ro", str(path)] if path.is_dir() \
                else ["--ro-bind", "/dev/null", str(path)]
        cmd += ["--ro-bind", str(self.package_dir), "/pkg",
                "--ro-bind", str(self.grader_dir), "/grader",
                # bubblewrap's own root (a tmpfs without a size, holding the folders made above) read-only last: in a
                # user namespace (a non-root grader) the worker owns it; only /tmp and /sandbox stay writable
                "--remount-ro", "/", "--chdir", "/sandbox"]
        if filter_fd is not None:
            cmd += ["--seccomp", str(filter_fd)]
        if uid is not None:
            cmd += ["--", "/usr/bin/setpriv", "--reuid", str(uid), "--regid", str(uid), "--clear-groups",
                    "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all"]
        return cmd + ["--", python, "-s", "-B", "/grader/worker.py", str(results_fd)]

    def _process_limit(self, user):
        """The worker's RLIMIT_NPROC, or 0 for none. It counts the processes of the worker's real uid: as root, the
        sandbox's own uid (the worker alone); for a non-root grader (--unshare-all), the uid inside the sandbox's
        own user namespace, which Linux >= 5.14 counts per namespace: bubblewrap's pid 1 and the worker (before
        5.14 every process of the grader's user counts, so the worker can start none). A plain process shares the
        grader's uid: no limit there."""
        if user is not None:
            return self.limits.processes
        if self.isolated and os.geteuid() != 0:
            return self.limits.processes + 1
        return 0

    def _environment(self, work):
        home = "/sandbox" if self.isolated else str(work)
        pythonpath = "/pkg" if self.isolated else str(self.package_dir)
        return {"PATH": "/usr/bin:/bin", "HOME": home, "PYTHONPATH": pythonpath, "MPLBACKEND": "Agg",
                "MPLCONFIGDIR": "/tmp" if self.isolated else str(work), "OPENBLAS_NUM_THREADS": "1",
                "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONHASHSEED": "0", "LANG": "C.UTF-8"}

    def run(self, submission_bytes, imports, cells, calls):
        """Run the cells, then the calls, in a fresh sandbox; return a RunReport (never raises for the
        submission's sake). calls: list of dicts {id, function, probe, args, limit}."""
        limits = self.limits
        report = RunReport()
        # As root, a uid of its own or no run at all (_User raises SandboxUnavailable): never a submission as root.
        user = _User(self.slot) if self.isolated and os.geteuid() == 0 else None
        report.uid = user.uid if user else None
        work = Path(tempfile.mkdtemp(prefix="nnfs-sandbox-"))  # the plain process's folder; only files of ours
        groups = _ControlGroups(limits.memory + 2 * limits.tmpfs + 256 * 1024 ** 2, limits.processes + 2) \
            if self.isolated else None
        job = {"imports": imports, "cells": cells,
               "limits": {"memory": limits.memory, "cpu": limits.cpu, "file_size": limits.file_size,
                          "cell": limits.cell_timeout, "processes": self._process_limit(user)}}
        submission = work / "submission.ipynb"
        submission.write_bytes(submission_bytes)
        submission_fd = os.open(submission, os.O_RDONLY)
        program = seccomp.program() if self.isolated else None
        filter_fd = None
        if program is not None:  # bubblewrap reads the filter from a file descriptor
            filter_file = tempfile.TemporaryFile(dir=work)
            filter_file.write(program)
            filter_file.flush()
            filter_file.seek(0)
            filter_fd = os.dup(filter_file.fileno())
            filter_file.close()
        read_fd, write_fd = os.pipe()
        command = self._command(write_fd, submission_fd, filter_fd, report.uid)
        passed = tuple(fd for fd in (write_fd, submission_fd, filter_fd) if fd is not None)
        start = time.monotonic()
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, pass_fds=passed, env=self._environment(work),
                                       cwd=str(work), start_new_session=True,
                                       preexec_fn=groups.join if groups and groups.dirs else None)
        except (OSError, subprocess.SubprocessError) as err:
            for fd in (read_fd, *passed):
                os.close(fd)
            _remove(work)
            if groups:
                groups.remove()
            if user:
                user.release()
            report.problems.append(f"the sandbox could not start: {err}")
            return report
        for fd in passed:
            os.close(fd)
        output = []
        drain = threading.Thread(target=_drain, args=(process.stdout, output, limits.max_output), daemon=True)
        drain.start()
        writer = _Writer(process)
        lines = _Lines(read_fd)
        try:
            writer.send(job)
            deadline = start + limits.total_timeout
            # Watchdogs from outside, in case the submission disabled the worker's own alarms: the cells must be done
            # within their limits, and each call must report within its limit (plus start-up slack).
            ready = lines.next(min(deadline, start + 10 + limits.cell_timeout * max(1, len(cells))))
            if isinstance(ready, dict) and ready.get("ready") is True:
                report.ready = True
                errors = ready.get("errors")
                report.cell_errors = [e for e in errors if isinstance(e, dict)][:50] if isinstance(errors, list) else []
                writer.send_all(calls + [{"done": True}])
                slowest = max((c["limit"] for c in calls), default=limits.call_timeout)
                while True:
                    record = lines.next(min(deadline, time.monotonic() + slowest + 3))
                    if record is None:
                        report.stalled = not lines.closed
                        break
                    if isinstance(record, dict) and record.get("done") is True:
                        break
                    if isinstance(record, dict) and type(record.get("id")) is int:
                        try:
                            report.outcomes[record["id"]] = runner.Outcome.from_json(record.get("outcome"))
                        except (ValueError, TypeError, KeyError, RecursionError) as err:
                            report.problems.append(f"an unreadable result came back ({type(err).__name__})")
            report.timed_out = time.monotonic() >= deadline or report.stalled
            report.problems += lines.problems
        finally:
            _kill(process)
            writer.close()
            drain.join(timeout=5)
            lines.close()
            report.exit_code = process.returncode
            report.output = "".join(output)[: limits.max_output]
            if groups:
                groups.remove()
            if user:
                user.release()
            _remove(work)
        return report


class _Writer:
    """Feeds the worker's stdin from one thread of its own, in order, so a worker that stops reading can never block
    the grader (the sandbox is killed on time, which ends the write)."""

    def __init__(self, process):
        import queue

        self.process, self.queue = process, queue.Queue()
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def _write(self):
        while True:
            data = self.queue.get()
            if data is None:
                return
            try:
                self.process.stdin.write(data)
                self.process.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                return

    def send(self, record):
        self.send_all([record])

    def send_all(self, records):
        self.queue.put("".join(json.dumps(r) + "\n" for r in records).encode())

    def close(self):
        self.queue.put(None)
        self.thread.join(timeout=5)


def _drain(stream, kept, limit):
    """Read everything the submission prints (so it never blocks on a full pipe), keeping the first `limit` chars."""
    size = 0
    try:
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                break
            if size < limit:
                text = chunk.decode("utf-8", "replace")
                kept.append(text[: limit - size])
                size += len(text)
    except (OSError, ValueError):
        pass


class _Lines:
    """JSON lines from the results pipe, with a deadline and a cap on the bytes read."""

    def __init__(self, fd):
        self.fd, self.buffer, self.total, self.problems, self.closed = fd, b"", 0, [], False

    def next(self, deadline):
        import select

        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                try:
                    return json.loads(line.decode("utf-8"))
                except (ValueError, UnicodeDecodeError, RecursionError):
                    if len(self.problems) < 5:
                        self.problems.append("an unreadable line came back from the sandbox")
                    continue
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return None
            readable, _, _ = select.select([self.fd], [], [], left)
            if not readable:
                return None
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                self.closed = True
                continue
            self.total += len(chunk)
            if self.total > MAX_RESULT_BYTES:
                self.problems.append(f"the sandbox sent more than {MAX_RESULT_BYTES} bytes of results; the rest was "
                                     "ignored")
                self.closed = True
                return None
            self.buffer += chunk

    def close(self):
        try:
            os.close(self.fd)
        except OSError:
            pass


def _kill(process):
    """Kill the sandbox and everything in it (its session; the PID namespace dies with its first process)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        process.kill()
    except OSError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for stream in (process.stdin, process.stdout):
        try:
            stream.close()
        except (OSError, ValueError, BrokenPipeError):
            pass


def _remove(folder):
    """Delete a folder of ours whatever is in it."""
    try:
        subprocess.run(["rm", "-rf", "--one-file-system", str(folder)], check=False, timeout=60,
                       capture_output=True)
    except (OSError, subprocess.TimeoutExpired):
        shutil.rmtree(folder, ignore_errors=True)
