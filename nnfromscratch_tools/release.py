"""A learner-only release of the course, for a graded class: `python3 course.py release DIR --repository OWNER/NAME`.

It writes DIR as a self-contained course repository that learners can clone or open in Binder, with nothing
of the solutions in it:

    README.md            the lessons with Binder links to DIR's own repository, how to start, credits, licences
    book.toml            the manifest, each lesson's `file` its learner version, `release = true`
    learner/*.ipynb      the learner versions (solutions stubbed, outputs cleared, no link to a solved lesson)
    nnfromscratch/       the learner's package (the reference math the check cells judge against)
    pyproject.toml       that package alone, with the `lab` extra
    binder/, environment.yml, jupyter-config/, course.py (`python3 course.py lab`), LICENSE, LICENSE-CONTENT

Never copied: the lesson sources (lessons/), the solved notebooks (notebooks/), the tooling (nnfromscratch_tools:
it grades from the solved notebooks), the tests, grading/. The instructor grades from the open course (see
grading/README.md). `tests/test_release.py` scans every file of a release for every solution line.
"""

import shutil
import tomllib
from pathlib import Path

from .manifest import BOOK_NAME, PLACEHOLDER_REPOSITORY, load_book

# Copied unchanged from the course (paths relative to its root).
COPIED = ("LICENSE", "LICENSE-CONTENT", "course.py", "environment.yml", "binder", "jupyter-config")
PACKAGE = "nnfromscratch"
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints")
# The sections of the course's README that a release repeats word for word (from the heading to the next one).
README_SECTIONS = ("## Credits and licences",)


class ReleaseError(ValueError):
    """The release cannot be written as asked: the message says why and what to do."""


def _check_target(out):
    """DIR may be absent, empty, a previous release (replaced) or a git clone holding only those (.git is kept)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ReleaseError(f"release: {out} is a file, not a folder.")
    entries = [p for p in out.iterdir() if p.name != ".git"]
    if not entries:
        return
    book = out / BOOK_NAME
    if not (book.is_file() and tomllib.loads(book.read_text()).get("course", {}).get("release")):
        raise ReleaseError(f"release: {out} is not empty and holds no earlier release (a book.toml with "
                           "release = true); choose an empty or new folder, or a clone of your release repository.")
    for entry in entries:
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def _readme_section(readme, heading):
    """The course README's section under `heading` (up to the next heading of the same level), or ''."""
    lines, out, inside = readme.splitlines(), [], False
    level = heading.split(" ")[0]
    for line in lines:
        if line.startswith(level + " ") and not line.startswith(level + "#"):
            inside = line.strip() == heading
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def release_readme(book, repository, branch, course_readme):
    """The release's README: what it is, how to start (Binder, course.py lab, conda), the lessons, credits."""
    from .manifest import Book

    target = Book(title=book.title, description=book.description, repository=repository, branch=branch,
                  binder=book.binder, lessons=book.lessons, root=book.root)
    first = book.lessons[0].learner_file
    rows = [f"| {l.stem.split('_')[0]} | {l.title} | {l.part} | {', '.join(f'`{e}`' for e in l.exercises)} | "
            f"[open in Binder]({target.binder_url(l.learner_file)}) | [{l.learner_file}]({l.learner_file}) |"
            for l in book.lessons]
    sections = "\n\n".join(s for s in (_readme_section(course_readme, h) for h in README_SECTIONS) if s)
    return f"""# {book.title}

{book.description}

This is the course's learner edition: every lesson as a learner version (write your code where it says
`# YOUR CODE HERE`, then run the check cell below it, which says what is wrong, not just that something is). It
holds no solutions.

## Start

[![Binder](https://mybinder.org/badge_logo.svg)]({target.binder_url(first)}) opens the first lesson in JupyterLab
in your browser, with nothing to install (Binder builds from `binder/`). Binder does not keep your work: download
your notebook (File > Download) before you close the tab.

On your own computer, with Python 3.11 or newer: `python3 course.py lab` (it creates a virtual environment
`.venv` with the course's package and JupyterLab, once, and opens the first lesson). With conda:
`conda env create -f environment.yml`, `conda activate nnfromscratch`, then `python course.py lab --here`.

## Lessons

| # | Lesson | Part | Exercises | In Binder | Notebook |
|---|---|---|---|---|---|
{chr(10).join(rows)}

## Handing in

Submit the lesson's notebook (the `.ipynb` file) as your instructor asks. The grade comes from the functions you
wrote between the exercise markers, run on inputs the check cells do not show; the check cells are there to help
you get them right first.

{sections}
"""


def release_pyproject(course_pyproject, root):
    """The release's pyproject.toml: the learner's package alone (no tooling, no command line), with `lab`."""
    project = tomllib.loads(course_pyproject)["project"]
    version = _package_version(root)
    quoted = lambda items: ", ".join(f'"{i}"' for i in items)  # noqa: E731
    authors = ", ".join("{ name = \"%s\" }" % a["name"] for a in project.get("authors", []))
    return f"""# The learner edition of the course's package (written by `course.py release`; edit the course, not this).
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "{project['name']}"
version = "{version}"
description = "{project['description']}"
readme = "README.md"
requires-python = "{project['requires-python']}"
license = "{project['license']}"
license-files = [{quoted(project['license-files'])}]
authors = [{authors}]
dependencies = [{quoted(project['dependencies'])}]

[project.optional-dependencies]
lab = [{quoted(project['optional-dependencies']['lab'])}]

[tool.setuptools.packages.find]
include = ["{PACKAGE}", "{PACKAGE}.*"]

[tool.setuptools.package-data]
"{PACKAGE}.data" = ["*.csv.gz", "README.md"]
"""


def _package_version(root):
    """nnfromscratch.__version__, read from the course's source as setuptools does (no import)."""
    import ast

    tree = ast.parse((root / PACKAGE / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise ReleaseError("release: nnfromscratch/__init__.py has no __version__.")


def release_book(book, repository, branch):
    """The release's book.toml: the same lessons, each `file` its learner version; `release = true`."""
    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = ["# The course manifest of this learner edition (written by `course.py release`).", "", "[course]",
           f"title = {q(book.title)}", f"description = {q(book.description)}", f"repository = {q(repository)}",
           f"branch = {q(branch)}", f"binder = {q(book.binder)}", "release = true"]
    for lesson in book.lessons:
        out += ["", "[[lessons]]", f"file = {q(lesson.learner_file)}", f"title = {q(lesson.title)}",
                f"part = {q(lesson.part)}", "objectives = [" + ", ".join(q(o) for o in lesson.objectives) + "]",
                "exercises = [" + ", ".join(q(e) for e in lesson.exercises) + "]"]
    return "\n".join(out) + "\n"


def write_release(out, repository, branch="main", book=None):
    """Write the learner-only release into folder `out` for the GitHub repository `repository` ("owner/name").

    Returns the list of files written (relative to `out`).
    """
    import nbformat

    from .learner import learner_notebook

    book = book or load_book()
    if book.release:
        raise ReleaseError("release: this course is itself a release; run it from the open course.")
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise ReleaseError(f"release: --repository must be GitHub's OWNER/NAME, got {repository!r}.")
    if repository == PLACEHOLDER_REPOSITORY:
        raise ReleaseError(f"release: {repository!r} is the course's placeholder repository; name the repository "
                           "the release will live in (--repository OWNER/NAME).")
    out = Path(out).resolve()
    if out == book.root or book.root in out.parents:
        raise ReleaseError(f"release: {out} is inside the course; write the release outside it.")
    _check_target(out)
    out.mkdir(parents=True, exist_ok=True)
    root = book.root
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=_IGNORED)
        else:
            shutil.copy2(source, out / name)
    shutil.copytree(root / PACKAGE, out / PACKAGE, ignore=_IGNORED)
    (out / "learner").mkdir()
    for lesson in book.lessons:
        solved = nbformat.read(lesson.path, as_version=4)
        nbformat.write(learner_notebook(solved, lesson.stem, None), out / lesson.learner_file)
    (out / BOOK_NAME).write_text(release_book(book, repository, branch))
    (out / "pyproject.toml").write_text(release_pyproject((root / "pyproject.toml").read_text(), root))
    (out / "README.md").write_text(release_readme(book, repository, branch, book.readme.read_text()))
    (out / ".gitignore").write_text(".venv/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\n")
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and ".git" not in p.parts)
    print(f"{out}: a learner-only release for github.com/{repository} ({len(written)} files, "
          f"{len(book.lessons)} learner versions, no solutions)")
    return written
