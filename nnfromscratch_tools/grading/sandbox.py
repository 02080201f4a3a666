"""Where a submission's code runs: a bubblewrap sandbox around a plain Python process (worker.py).

The sandbox (Debian's `bubblewrap`, the one Flatpak uses) gets its own PID, network, IPC and UTS
namespaces: no network, no view of other processes. Its file system is built from nothing: read-only
/usr, /lib, /bin and the Python installation (with any installed copy of nnfromscratch and its tools
hidden), the grader's copy of the package with the lesson's references removed (/pkg), the worker and
the runner (/grader), and a private writable folder holding only the submission's own copy (/sandbox).
The repository, the solved notebooks, the grader's files and other submissions are simply not there.
When the grader runs as root, the process drops to a user of its own (one per parallel slot) with no
capabilities and no new privileges, so the process limit applies to it alone. Every process it starts
dies with it (`--die-with-parent`, and the PID namespace ends with its first process).

Limits: wall-clock time (the whole sandbox is killed), CPU seconds, address space, file size, open
files, processes (as root), the size of its /tmp and /sandbox (tmpfs), and the output read back.
Where bubblewrap cannot run (not installed, no user namespaces in a container), `Sandbox.available()`
says why; the grader then runs the same worker as a plain process (the older, weaker isolation) and
says so loudly, or refuses with --require-sandbox.
"""

import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from nnfromscratch.exercises import runner

WORKER = Path(__file__).with_name("worker.py")  # run as a script inside the sandbox, never imported here

BWRAP = "bwrap"
SLOT_UID_BASE = 61000          # the sandbox's user when the grader is root: 61000 + slot
MAX_RESULT_BYTES = 16 * 1024 ** 2


@dataclass
class Limits:
    total_timeout: float = 60.0          # seconds for the whole submission (the sandbox is killed after)
    cell_timeout: float = 20.0           # seconds per solution cell
    call_timeout: float = 5.0            # seconds per call of a learner's function
    memory: int = 1024 ** 3              # bytes of address space the worker may add after start-up
    cpu: int = 120                       # CPU seconds of the worker
    file_size: int = 16 * 1024 ** 2      # bytes per file written
    tmpfs: int = 64 * 1024 ** 2          # bytes of its writable folders
    processes: int = 8                   # processes and threads (as root: its own user)
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
    problems: list = field(default_factory=list)   # what went wrong on the grader's side of the pipe


class SandboxUnavailable(RuntimeError):
    pass


def _python_paths():
    """The folders the sandboxed Python needs: its installation and its environment's packages."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.executable).resolve().parent}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            paths.add(Path(sysconfig.get_paths()[key]).resolve())
        except KeyError:
            pass
    system = [Path(p) for p in ("/usr", "/lib", "/lib64", "/bin", "/sbin")]
    keep = []
    for p in sorted(paths, key=lambda q: len(q.parts)):
        if any(p == s or s in p.parents for s in system + keep):
            continue
        keep.append(p)
    return keep


def _installed_copies():
    """Installed copies of the course's packages to hide inside the sandbox (a wheel install puts them in
    site-packages; an editable install points into the repository, which is not mounted at all)."""
    hidden = []
    for key in ("purelib", "platlib"):
        for name in ("nnfromscratch", "nnfromscratch_tools"):
            p = Path(sysconfig.get_paths()[key]) / name
            if p.exists():
                hidden.append(p.resolve())
    return sorted(set(hidden))


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

    def _command(self, work, results_fd):
        python = str(Path(sys.executable))
        worker_args = ["-s", "-B", "/grader/worker.py", str(results_fd)]
        if not self.isolated:
            return [python, *worker_args[:2], str(self.grader_dir / "worker.py"), str(results_fd)]
        cmd = [shutil.which(BWRAP), *self._namespaces(), "--die-with-parent", "--new-session"]
        for system in ("/usr", "/lib", "/lib64", "/bin", "/sbin"):
            if os.path.exists(system):
                cmd += ["--ro-bind", system, system]
        made = set()
        for path in _python_paths():
            for parent in reversed(path.parents):
                if str(parent) != "/" and parent not in made and not os.path.islink(parent):
                    cmd += ["--perms", "0755", "--dir", str(parent)]
                    made.add(parent)
            cmd += ["--ro-bind", str(path), str(path)]
        for hidden in _installed_copies():
            cmd += ["--tmpfs", str(hidden)]
        cmd += ["--proc", "/proc", "--dev", "/dev",
                "--size", str(self.limits.tmpfs), "--tmpfs", "/tmp",
                "--ro-bind", str(self.package_dir), "/pkg",
                "--ro-bind", str(self.grader_dir), "/grader",
                "--bind", str(work), "/sandbox", "--chdir", "/sandbox"]
        if os.geteuid() == 0:
            uid = str(SLOT_UID_BASE + self.slot)
            cmd += ["--", "/usr/bin/setpriv", "--reuid", uid, "--regid", uid, "--clear-groups", "--no-new-privs",
                    "--inh-caps=-all", "--bounding-set=-all"]
        return cmd + ["--", python, *worker_args]

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
        work = Path(tempfile.mkdtemp(prefix="nnfs-sandbox-"))
        os.chmod(work, 0o777 if os.geteuid() == 0 else 0o700)
        (work / "submission.ipynb").write_bytes(submission_bytes)
        read_fd, write_fd = os.pipe()
        command = self._command(work, write_fd)
        own_user = self.isolated and os.geteuid() == 0
        job = {"imports": imports, "cells": cells,
               "limits": {"memory": limits.memory, "cpu": limits.cpu, "file_size": limits.file_size,
                          "cell": limits.cell_timeout, "processes": limits.processes if own_user else 0}}
        start = time.monotonic()
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, pass_fds=(write_fd,),
                                       env=self._environment(work), cwd=str(work), start_new_session=True)
        except OSError as err:
            os.close(read_fd)
            os.close(write_fd)
            shutil.rmtree(work, ignore_errors=True)
            report.problems.append(f"the sandbox could not start: {err}")
            return report
        os.close(write_fd)
        output = []
        drain = threading.Thread(target=_drain, args=(process.stdout, output, limits.max_output), daemon=True)
        drain.start()
        lines = _Lines(read_fd)
        try:
            _send(process, job)
            deadline = start + limits.total_timeout
            # Watchdogs from outside, in case the submission disabled the worker's own alarms: the cells must be done
            # within their limits, and each call must report within its limit (plus start-up slack).
            ready = lines.next(min(deadline, start + 10 + limits.cell_timeout * max(1, len(cells))))
            if ready is not None and isinstance(ready, dict) and ready.get("ready"):
                report.ready = True
                report.cell_errors = [e for e in ready.get("errors", []) if isinstance(e, dict)][:50]
                for call in calls:
                    if not _send(process, call):
                        break
                _send(process, {"done": True})
                while True:
                    slowest = max((c["limit"] for c in calls), default=limits.call_timeout)
                    record = lines.next(min(deadline, time.monotonic() + slowest + 3))
                    if record is None:
                        report.stalled = not lines.closed
                        break
                    if isinstance(record, dict) and record.get("done"):
                        break
                    if isinstance(record, dict) and type(record.get("id")) is int:
                        try:
                            report.outcomes[record["id"]] = runner.Outcome.from_json(record.get("outcome"))
                        except (ValueError, TypeError, KeyError) as err:
                            report.problems.append(f"an unreadable result came back ({type(err).__name__})")
            report.timed_out = time.monotonic() >= deadline or report.stalled
            report.problems += lines.problems
        finally:
            _kill(process)
            drain.join(timeout=5)
            lines.close()
            report.exit_code = process.returncode
            report.output = "".join(output)[: limits.max_output]
            _remove(work)
        return report


def _send(process, record):
    try:
        process.stdin.write((json.dumps(record) + "\n").encode())
        process.stdin.flush()
        return True
    except (BrokenPipeError, OSError, ValueError):
        return False


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
                except (ValueError, UnicodeDecodeError):
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
    """Delete the sandbox's folder whatever it left in it (deep trees, odd permissions)."""
    try:
        subprocess.run(["rm", "-rf", "--one-file-system", str(folder)], check=False, timeout=60,
                       capture_output=True)
    except (OSError, subprocess.TimeoutExpired):
        shutil.rmtree(folder, ignore_errors=True)
