"""The grading process: runs inside the sandbox, as a plain Python script, next to a copy of the exercise runner.

It is given (on stdin, one JSON line at a time, by the grader outside):
1. the submission's import statements and its solution cells, which it runs in one namespace,
   then it reports "ready" (with each cell's error, if any);
2. only then, the calls to make: for each, the learner's function name, the exercise's probe, the
   inputs (fresh hidden ones among them) and a time limit; it runs each through `runner.call` and
   reports each outcome as one JSON line on the results pipe.

It computes no verdict and holds no reference: the package it can import is the grader's copy with the
graded lesson's references removed. Whatever the submission does to this process, all the grader ever
reads back are outcomes, each checked and judged outside.

Usage (by the grader): python -s -B worker.py RESULTS_FD
"""

import json
import os
import resource
import sys

import runner  # the copy beside this file: nnfromscratch/exercises/runner.py


def _limit(name, soft, hard=None):
    """Lower one resource limit (never raise it; a failure only means the limit stays as it was)."""
    try:
        current_soft, current_hard = resource.getrlimit(name)
        hard = soft if hard is None else hard
        if current_hard != resource.RLIM_INFINITY:
            hard = min(hard, current_hard)
        resource.setrlimit(name, (min(soft, hard), hard))
    except (ValueError, OSError):
        pass


def _virtual_memory():
    try:
        with open("/proc/self/status") as fh:
            return next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:")), 0)
    except OSError:
        return 0


def apply_limits(limits):
    """Memory (address space on top of what the interpreter already uses), CPU seconds, file size, open files,
    no core dumps, and the number of processes when the grader gives one (for a uid or a user namespace of the
    sandbox's own; 0 for a plain process, which shares the grader's uid)."""
    _limit(resource.RLIMIT_AS, _virtual_memory() + int(limits["memory"]))
    _limit(resource.RLIMIT_CPU, int(limits["cpu"]), int(limits["cpu"]) + 5)
    _limit(resource.RLIMIT_FSIZE, int(limits["file_size"]))
    _limit(resource.RLIMIT_NOFILE, 256)
    _limit(resource.RLIMIT_CORE, 0)
    if limits.get("processes"):
        _limit(resource.RLIMIT_NPROC, int(limits["processes"]))


def main():
    results = os.fdopen(int(sys.argv[1]), "w", buffering=1)

    def send(record):
        results.write(json.dumps(record, allow_nan=True) + "\n")
        results.flush()

    job = json.loads(sys.stdin.readline())
    apply_limits(job["limits"])
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    errors = runner.run_cells(job["imports"], job["cells"], namespace, job["limits"]["cell"])
    send({"ready": True, "errors": errors})

    classes = {}
    try:
        from nnfromscratch.example import WorkedExample
        classes["WorkedExample"] = WorkedExample
    except BaseException:  # noqa: BLE001 - objects then arrive as SimpleNamespace
        pass
    timed_out = set()  # functions that ran out of time once: the verdict is made, the rest of their calls is skipped
    for line in sys.stdin:
        call = json.loads(line)
        if call.get("done"):
            break
        fn = namespace.get(call["function"])
        if call["function"] in timed_out:
            outcome = runner.Outcome("timeout")
        elif fn is None:
            outcome = runner.Outcome("raised", error=("NameError", f"name '{call['function']}' is not defined: "
                                                                    "write it in the exercise cell"))
        else:
            try:
                target = runner.Formula(call["probe"])(fn) if call.get("probe") else fn
                args = [runner.decode(a, classes) for a in call["args"]]
                outcome = runner.call(target, args, call["limit"])
            except KeyboardInterrupt:
                outcome = runner.Outcome("raised", error=("KeyboardInterrupt", ""))
            except BaseException as err:  # noqa: BLE001
                outcome = runner.Outcome("raised", error=(runner.text(type(err).__name__, 80), runner.text(err)))
        if outcome.status == "timeout":
            timed_out.add(call["function"])
        send({"id": call["id"], "outcome": json.loads(outcome.to_json())})
    send({"done": True})


if __name__ == "__main__":
    main()
