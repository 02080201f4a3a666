"""The course's one command line: `nnfromscratch COMMAND` (also `python -m nnfromscratch COMMAND`).

    execute [NAME ...]        rebuild lessons from lessons/*.py, store real outputs, write learner versions
    learner [NAME ...]        write the learner versions only (learner/*.ipynb)
    readme                    regenerate the README's lesson table from book.toml
    book [--out DIR]          build the static website (default _build/site/)
    release DIR --repository OWNER/NAME
                              write a learner-only course repository (no solutions) into DIR
    grade NOTEBOOK            grade a submission, write Gradescope's results.json
    grade-folder FOLDER       grade every notebook in a folder: a CSV, results, a class report
    gradescope LESSON         write the Gradescope autograder zip of one lesson

Paths are relative to the folder you run it from. The course (the folder holding book.toml) is
--course DIR, else $NNFROMSCRATCH_COURSE, else the current folder or a parent, else the checkout
the tools were installed from. `course.py` only prepares an environment and forwards here.
"""

import argparse
import importlib.util
import sys
from pathlib import Path

from .manifest import CourseNotFound, load_book

# What each command needs beyond the learner's install, and the extra that provides it.
NEEDS = {
    "execute": (("nbclient", "jupytext", "nbformat", "ipykernel"), "test"),
    "learner": (("nbformat",), "grade"),
    "book": (("nbconvert", "latex2mathml", "nbformat"), "book"),
    "release": (("nbformat",), "grade"),
    "grade": ((), "grade"),
    "grade-folder": ((), "grade"),
    "gradescope": ((), "grade"),
}


class ToolError(Exception):
    """A problem of the tools' own setup (not of a submission): printed as one line, exit status 2."""


def _require(command):
    needed, extra = NEEDS.get(command, ((), ""))
    missing = [m for m in needed if importlib.util.find_spec(m) is None]
    if missing:
        raise ToolError(f"`{command}` needs {', '.join(missing)}, which this Python environment ({sys.prefix}) "
                        f"lacks: install the tools with pip install 'nnfromscratch[{extra}]'. This is a problem "
                        "of the tools' installation, not of any notebook.")


def _parser(prog):
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", metavar="DIR", help="the course folder (holding book.toml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    execute = commands.add_parser("execute", help="rebuild and execute lesson notebooks, write learner versions")
    execute.add_argument("names", nargs="*", help="lesson file stems or numbers (default: all)")
    learner = commands.add_parser("learner", help="write learner versions (solutions removed)")
    learner.add_argument("names", nargs="*", help="lesson file stems or numbers (default: all)")
    readme = commands.add_parser("readme", help="regenerate the README's lesson table from book.toml")
    readme.add_argument("--allow-placeholder", action="store_true",
                        help="write the Binder links even though book.toml's repository is the placeholder")
    book = commands.add_parser("book", help="build the static website from book.toml")
    book.add_argument("--out", metavar="DIR", help="where to write it (default: the course's _build/site/)")
    release = commands.add_parser("release", help="write a learner-only course repository (no solutions)")
    release.add_argument("out", metavar="DIR", help="the folder to write (new, empty, or an earlier release)")
    release.add_argument("--repository", required=True, metavar="OWNER/NAME",
                         help="the GitHub repository the release will live in (its Binder links point there)")
    release.add_argument("--branch", default="main", help="that repository's branch (default: main)")

    from .grading import Limits

    def limits(p):
        d = Limits()
        p.add_argument("--lesson", help="the lesson (file stem or number); default: recognised from the notebook")
        p.add_argument("--require-sandbox", action="store_true",
                       help="refuse to grade when bubblewrap cannot run (instead of the weaker isolation)")
        p.add_argument("--total-timeout", type=float, default=d.total_timeout, help="seconds per submission")
        p.add_argument("--cell-timeout", type=float, default=d.cell_timeout, help="seconds per solution cell")
        p.add_argument("--call-timeout", type=float, default=d.call_timeout, help="seconds per exercise call")
        p.add_argument("--memory-mb", type=int, default=d.memory // 1024 ** 2, help="memory the submission may use")
        p.add_argument("--max-output", type=int, default=d.max_output, help="characters of its output kept")

    grade = commands.add_parser("grade", help="grade one submitted notebook, write Gradescope's results.json")
    grade.add_argument("submission", help="a notebook, or a folder of uploads (then --lesson picks its notebook)")
    grade.add_argument("--results", default="results.json", help="where to write results.json")
    limits(grade)
    folder = commands.add_parser("grade-folder", help="grade every notebook in a folder: a CSV, results, a report")
    folder.add_argument("folder")
    folder.add_argument("--csv", default="scores.csv", help="where to write the scores (default scores.csv)")
    folder.add_argument("--results-dir", metavar="DIR", help="also write one results.json per submission here")
    folder.add_argument("--report", metavar="FILE.html", help="write the class report: pass rates, mistakes to reteach")
    folder.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: the CPU count)")
    limits(folder)
    gradescope = commands.add_parser("gradescope", help="write the Gradescope autograder zip of one lesson")
    gradescope.add_argument("lesson", help="the lesson (file stem or number)")
    gradescope.add_argument("--out", metavar="DIR", default=".", help="where to write autograder_NN.zip")
    return parser


def _limits(args):
    from .grading import Limits

    return Limits(cell_timeout=args.cell_timeout, call_timeout=args.call_timeout, total_timeout=args.total_timeout,
                  max_output=args.max_output, memory=args.memory_mb * 1024 ** 2)


def _sandbox_check(args):
    from .grading import Sandbox

    ok, why = Sandbox.available()
    if not ok and args.require_sandbox:
        raise ToolError(f"--require-sandbox: {why}. Install bubblewrap (apt-get install bubblewrap) or grade where "
                        "user namespaces are allowed.")
    if not ok:
        print(f"WARNING: NO SANDBOX: {why}. Submissions run as plain processes with this user's rights.",
              file=sys.stderr)


def run(args):
    """Carry out one parsed command; return the exit status."""
    _require(args.command)
    try:
        book = load_book(args.course)
        for name in getattr(args, "names", ()):
            book.lesson(name)
    except (ValueError, KeyError) as err:
        raise ToolError(err.args[0] if err.args else str(err)) from None
    if book.release:
        raise ToolError(f"{book.root} is a learner-only release (book.toml has release = true): it has no solved "
                        f"lessons, so `{args.command}` cannot run on it. Run it in the open course (--course DIR).")
    if args.command == "execute":
        from .build import build
        build(args.names, book)
    elif args.command == "learner":
        from .learner import write_learner_versions
        write_learner_versions(args.names, book)
    elif args.command == "readme":
        from .manifest import PlaceholderRepository, update_readme
        try:
            changed = update_readme(book, allow_placeholder=args.allow_placeholder)
        except PlaceholderRepository as err:
            raise ToolError(str(err)) from None
        print("README.md updated" if changed else "README.md already up to date")
    elif args.command == "book":
        from .site import build_site
        build_site(args.out, book)
    elif args.command == "release":
        from .release import ReleaseError, write_release
        try:
            write_release(args.out, args.repository, args.branch, book)
        except ReleaseError as err:
            raise ToolError(str(err)) from None
    elif args.command == "grade":
        from .grading import SubmissionResult, safe_grade, write_results_json
        from .grading.grade import choose_notebook
        submission = Path(args.submission)
        if not (submission.exists() or submission.is_symlink()):
            raise ToolError(f"grade: no submission at {submission.absolute()} (paths are relative to the folder you "
                            "run this from).")
        _sandbox_check(args)
        notes = []
        if submission.is_dir() and not submission.is_symlink():  # an upload folder: find the lesson's notebook
            if not args.lesson:
                raise ToolError("grade: a folder of uploads needs --lesson, the lesson to grade.")
            submission, notes = choose_notebook(submission, args.lesson, book)
        if submission is None:
            lesson = book.lesson(args.lesson)
            from .grading import ExerciseResult
            result = SubmissionResult(args.submission, lesson.stem, [ExerciseResult(
                n, message=f"❌ not graded: {notes[0]}", mistake="wrong lesson") for n in lesson.exercises], notes)
        else:
            from .grading import SandboxUnavailable
            try:
                result = safe_grade(submission, args.lesson, _limits(args), book, require_sandbox=args.require_sandbox)
            except SandboxUnavailable as err:
                raise ToolError(f"grade: not graded, the grader's sandbox cannot run here: {err}") from None
            result.notes[:0] = notes
        write_results_json(args.results, result)
        print(f"{submission or args.submission}: {result.score:g} / {result.max_score:g} -> {args.results}")
    elif args.command == "grade-folder":
        from .grading import grade_folder
        folder = Path(args.folder)
        if not folder.is_dir():
            raise ToolError(f"grade-folder: no folder at {folder.absolute()} (paths are relative to the folder you "
                            "run this from).")
        _sandbox_check(args)
        from .grading import SandboxUnavailable
        try:
            grade_folder(folder, args.csv, args.lesson, _limits(args), book, jobs=args.jobs,
                         results_dir=args.results_dir, require_sandbox=args.require_sandbox, report=args.report)
        except SandboxUnavailable as err:
            raise ToolError(f"grade-folder: stopped, the grader's sandbox cannot run here: {err} (the rows written "
                            "so far stay in the CSV)") from None
    elif args.command == "gradescope":
        from .grading.gradescope import build_autograder
        try:
            lesson = book.lesson(args.lesson)
        except KeyError as err:
            raise ToolError(err.args[0]) from None
        path = build_autograder(lesson, book, args.out)
        print(f"{path}: upload it as the autograder of a Gradescope programming assignment for {lesson.title}")
    return 0


def main(argv=None, prog="nnfromscratch"):
    args = _parser(prog).parse_args(argv)
    try:
        return run(args)
    except (ToolError, CourseNotFound) as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return 2
