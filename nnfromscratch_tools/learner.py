"""Learner versions of the lessons, written with nbgrader's conventions.

`python3 course.py learner [NAME ...]` writes `learner/NN_name.ipynb` for every lesson
(or the named ones): in each solution cell the lines between `### BEGIN SOLUTION` and
`### END SOLUTION` become `# YOUR CODE HERE` / `raise NotImplementedError()`;
blocks between `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS` are removed; every
output is cleared; check cells and all nbgrader metadata stay, so an instructor can
import the solved lessons into an nbgrader course unchanged (nbgrader's
`generate_assignment` applies the same rules) or hand these files out directly.
"""

import copy
import re

from .manifest import load_book

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")


def _replace_blocks(source, begin, end, replacement):
    """Replace each block from a `begin` line to an `end` line (inclusive) with `replacement` lines, indented alike."""
    out, inside, indent = [], False, ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == begin:
            inside, indent = True, line[: len(line) - len(line.lstrip())]
            out.extend(indent + r for r in replacement)
        elif stripped == end and inside:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{begin!r} without a matching {end!r}")
    return "\n".join(out)


def solution_lines(source):
    """The lines between the solution markers of a cell (stripped, non-empty)."""
    found, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN_SOLUTION:
            inside = True
        elif stripped == END_SOLUTION:
            inside = False
        elif inside and stripped:
            found.append(stripped)
    return found


def lock(cell):
    """Lock cells as nbgrader's release does: graded and solution cells cannot be deleted, locked ones not edited."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution") or meta.get("grade") or meta.get("locked"):
        cell.metadata["deletable"] = False
    if meta.get("locked"):
        cell.metadata["editable"] = False


def learner_notebook(nb, lesson_stem, solved_path):
    """A learner copy of a solved notebook: solutions stubbed, hidden tests removed, outputs cleared.

    The banner links to the solved lesson at `solved_path`; with solved_path=None (a learner-only release,
    which has no solutions) it does not mention one.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = _replace_blocks(cell.source, BEGIN_SOLUTION, END_SOLUTION, STUB)
            cell.source = _replace_blocks(cell.source, BEGIN_HIDDEN, END_HIDDEN, ())
            cell.outputs, cell.execution_count = [], None
        lock(cell)
    banner = nbformat.v4.new_markdown_cell(
        f"*Learner version: write your code where it says `# YOUR CODE HERE`, then run the check below it. "
        f"The solved lesson is [`{solved_path}`](../{solved_path}).*", id="learner-banner")
    if solved_path is None:  # keep the banner's first sentence only: there are no solutions to link to
        banner.source = banner.source.split(" The solved lesson is ")[0] + "*"
    nb.cells.insert(1, banner)
    nb.metadata.setdefault("nnfromscratch", {})["version"] = "learner"
    return nb


def write_learner_versions(names=(), book=None):
    """Write learner/NN_name.ipynb for the named lessons (all if none); return the paths."""
    import nbformat

    book = book or load_book()
    lessons = [book.lesson(n) for n in names] if names else book.lessons
    book.learner_dir.mkdir(exist_ok=True)
    paths = []
    for lesson in lessons:
        nb = learner_notebook(nbformat.read(lesson.path, as_version=4), lesson.stem, lesson.file)
        path = book.learner_dir / lesson.path.name
        nbformat.write(nb, path)
        paths.append(path)
        print(f"{path.relative_to(book.root)}: written")
    return paths
