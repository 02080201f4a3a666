"""Grading a whole class: every notebook in a folder, in parallel, one CSV row and one results.json each.

The CSV and the per-submission results are written by this (the grader's) process, after every
submission, atomically: a submission that crashes, hangs or is killed still gets its row, a grader
that is killed leaves every row graded so far, and the rows are the same, in the same order, whatever
the number of parallel jobs.
"""

import concurrent.futures
import multiprocessing
import os
from pathlib import Path

from ..manifest import load_book
from .grade import safe_grade
from .results import ExerciseResult, SubmissionResult, csv_text, safe_text, write_atomically, write_results_json
from .sandbox import Limits, SandboxUnavailable


def find_submissions(folder, skip=()):
    """Every entry named *.ipynb (any case) under `folder`, symbolic links and odd files included (they get a row
    saying why they were not graded), never following a link, sorted by path. skip: paths to leave out (the
    grader's own outputs)."""
    folder = Path(folder)
    skip = {Path(s).absolute() for s in skip}
    found = []
    for directory, subdirs, files in os.walk(folder, followlinks=False):
        here = Path(directory)
        # a folder (or a link to one) named *.ipynb is an entry too: it gets a row saying it is not a notebook
        found += [here / e for e in subdirs + files if e.lower().endswith(".ipynb") and (here / e).absolute() not in skip]
        subdirs[:] = [d for d in subdirs if d != ".ipynb_checkpoints" and not d.lower().endswith(".ipynb")
                      and (here / d).absolute() not in skip and not (here / d).is_symlink()]
    return sorted(set(found), key=lambda p: str(p).encode("utf-8", "surrogateescape"))


_WORKER = {}


def _init_worker(slots, course, limits, require_sandbox):
    from multiprocessing.util import Finalize

    from .grade import _PACKAGES, _cleanup

    _WORKER.update(slot=slots.get(), book=load_book(course), limits=limits, require=require_sandbox)
    _PACKAGES.clear()  # the parent's copies (inherited by the fork) stay the parent's to remove
    Finalize(None, _cleanup, exitpriority=10)  # a pool process never runs atexit: remove its own copies


CONFLICT = object()  # expected_lesson: the path names more than one lesson


def _conflict(path, name, folder, book):
    """The row of a submission whose path names more than one lesson: not graded, and why."""
    named = named_lessons(path, folder, book)
    folders = named_lessons(path, folder, book, folders_only=True)
    row = folders[-1] if folders else named[0]  # the row is filed under the innermost folder: nbgrader's assignment
    note = (f"Not graded: its path names more than one lesson ({', '.join(named)}), so which one it was handed in "
            "for cannot be told. Grade its folder with --lesson.")
    return SubmissionResult(name, row, [ExerciseResult(n, message=f"❌ not graded: {note}", mistake="wrong lesson")
                                        for n in book.lesson(row).exercises], [note])


def _grade_one(path, name, lesson):
    w = _WORKER
    return safe_grade(path, lesson, w["limits"], w["book"], w["slot"], w["require"], name)


def grade_folder(folder, csv_path, lesson=None, limits=None, book=None, jobs=None, results_dir=None,
                 require_sandbox=False, report=None, progress=print, first_slot=0):
    """Grade every notebook under `folder`; write the CSV (and results_dir/NAME.json, and the class report) as
    results arrive; return the SubmissionResults in path order. The parallel jobs use sandbox slots
    first_slot .. first_slot + jobs - 1 (as root, each slot is a user of its own)."""
    folder, book, limits = Path(folder), book or load_book(), limits or Limits()
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    outputs = [Path(csv_path)] + ([Path(results_dir)] if results_dir else []) + ([Path(report)] if report else [])
    paths = find_submissions(folder, skip=outputs)
    names = {p: safe_text(p.relative_to(folder)) for p in paths}
    files = {p: f"{i + 1:04d}_{_file_name(names[p])}.json" for i, p in enumerate(paths)}
    # With --lesson every submission is graded as that lesson; without it, as the lesson its path names (its
    # assignment folder or its file name; a path naming two lessons is not graded), and only where nothing names
    # one, as the lesson the notebook says.
    lessons = {p: lesson or expected_lesson(p, folder, book) for p in paths}
    done = {}
    conflicts = [p for p in paths if lessons[p] is CONFLICT]

    def record(path, result):
        done[path] = result
        if results_dir:
            try:
                write_results_json(Path(results_dir) / files[path], result)
            except OSError as err:  # one file that cannot be written never stops the class
                result.notes.append(f"Grader: its results file could not be written ({err.strerror}).")
        ordered = [done[p] for p in paths if p in done]
        write_atomically(csv_path, csv_text([r.csv_row() for r in ordered]))
        if progress:
            progress(f"{result.submission}: {result.score:g} / {result.max_score:g}")

    write_atomically(csv_path, csv_text([]))
    for path in conflicts:
        record(path, _conflict(path, names[path], folder, book))
    paths_to_grade = [p for p in paths if lessons[p] is not CONFLICT]
    if jobs == 1:
        for path in paths_to_grade:
            record(path, safe_grade(path, lessons[path], limits, book, first_slot, require_sandbox, names[path]))
    else:
        context = multiprocessing.get_context("fork")
        slots = context.Queue()
        for slot in range(first_slot, first_slot + jobs):
            slots.put(slot)
        with concurrent.futures.ProcessPoolExecutor(
                jobs, mp_context=context, initializer=_init_worker,
                initargs=(slots, str(book.root), limits, require_sandbox)) as pool:
            futures = {pool.submit(_grade_one, path, names[path], lessons[path]): path for path in paths_to_grade}
            for future in concurrent.futures.as_completed(futures):
                path = futures[future]
                try:
                    result = future.result()
                except SandboxUnavailable:
                    raise
                except BaseException as err:  # noqa: BLE001 - a worker that died still leaves a row
                    result = SubmissionResult(names[path], notes=[f"The grader's worker failed on this submission "
                                                                  f"({type(err).__name__}); it was not graded."])
                record(path, result)
    results = [done[p] for p in paths]
    if report:
        from .report import class_report
        write_atomically(report, class_report(results, book))
    if progress:
        progress(f"{len(results)} submissions -> {csv_path}")
    return results


def _file_name(name):
    """A safe, short file name for a submission's results (its relative path, flattened, at most 100 characters;
    the index in front keeps names unique)."""
    keep = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return keep.strip(".")[:100] or "submission"


def named_lessons(path, folder, book, folders_only=False):
    """The lessons the parts of a submission's path name (folders, outermost first, then the file's own stem
    unless folders_only)."""
    stems = {lesson.stem for lesson in book.lessons}
    *folders, name = Path(path).relative_to(folder).parts
    stem = name[:-len(".ipynb")] if name.lower().endswith(".ipynb") else name
    named = []
    for part in folders if folders_only else [*folders, stem]:
        if part in stems and part not in named:
            named.append(part)
    return named


def expected_lesson(path, folder, book):
    """The lesson a submission was handed in for, from its place in the folder; None when nothing names one, and
    CONFLICT when its path names two lessons (a notebook named after another lesson inside an assignment folder, a
    lesson's folder inside another's, or a student whose id is a lesson's name: which one is the assignment cannot
    be told, so it is not graded as either; the note says to grade that folder with --lesson). The notebook's own
    metadata is the student's to edit, so it never decides."""
    named = named_lessons(path, folder, book)
    if len(named) > 1:
        return CONFLICT
    return named[0] if named else None
