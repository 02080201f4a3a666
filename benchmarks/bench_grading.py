"""Benchmark the grader: throughput of `grade-folder` for a class of submissions (not run by the tests).

Run with the test environment:  .venv-test/bin/python benchmarks/bench_grading.py [N]
A class of N submissions (default 60) of lessons 04 and 11, a third solved, a third with a catalogued mistake,
a third untouched, graded serially (--jobs 1) and in parallel (--jobs = the CPU count), side by side in one run.
Target (issue 11): at least 3 submissions per second for lesson 04 on a 2-core machine, i.e. a class of
500 students x 14 lessons within an hour; the parallel CSV must equal the serial one.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from nnfromscratch_tools.grading import Sandbox, grade_folder
from nnfromscratch_tools.manifest import load_book

WRONG = {"04": ("hidden_unit_grad", "def hidden_unit_grad(W, delta):\n    return W @ delta\n"),
         "11": ("confusion_matrix", "import numpy as np\ndef confusion_matrix(labels, predictions, k):\n"
                                    "    return np.zeros((k, k))\n")}


def make_class(folder, lesson, n, book):
    solved = nbformat.read(lesson.path, as_version=4)
    untouched = nbformat.read(book.root / lesson.learner_file, as_version=4)
    wrong = nbformat.read(lesson.path, as_version=4)
    gid, source = WRONG[lesson.stem[:2]]
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == gid:
            cell.source = source
    for i in range(n):
        nbformat.write((solved, wrong, untouched)[i % 3], Path(folder) / f"student{i:04d}.ipynb")


def main(n=60):
    book = load_book()
    print(f"sandbox: {Sandbox.available()}   CPUs: {os.cpu_count()}   class size: {n}")
    print(f"{'lesson':<24}{'jobs':>5}{'seconds':>9}{'subs/s':>8}{'target':>8}{'ratio':>7}  same CSV as serial")
    for number in ("04", "11"):
        lesson = book.lesson(number)
        with tempfile.TemporaryDirectory() as tmp:
            make_class(tmp, lesson, n, book)
            csvs = {}
            for jobs in (1, os.cpu_count() or 1):
                out = Path(tmp + f"-scores-{jobs}.csv")
                start = time.perf_counter()
                grade_folder(tmp, out, lesson=number, book=book, jobs=jobs, progress=None)
                took = time.perf_counter() - start
                text = out.read_text()
                out.unlink()
                # execution times differ between runs; compare scores and notes only
                csvs[jobs] = text
                rate = n / took
                same = "" if jobs == 1 else ("yes" if csvs[jobs] == csvs[1] else "NO")
                target = 3.0 if number == "04" else float("nan")
                ratio = f"{rate / target:7.2f}" if number == "04" else f"{'-':>7}"
                print(f"{lesson.stem:<24}{jobs:>5}{took:>9.1f}{rate:>8.2f}{target:>8.1f}{ratio}  {same}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
