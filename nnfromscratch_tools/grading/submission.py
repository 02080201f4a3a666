"""Reading a submission without trusting it: the file, the notebook, its lesson, the code the grader will run.

The file is opened without following symbolic links, must be a regular file of bounded size, and is
read once into memory; nothing is ever written to it. The notebook is parsed as JSON (no schema is
trusted: every field is checked as it is used). What runs in the sandbox is the notebook's import
statements and the cells that hold the exercises' solutions, nothing else: no figures, no widgets,
no training loops of the lesson.
"""

import json
import os
import stat
import time
from dataclasses import dataclass, field

from nnfromscratch.exercises import cells

MAX_BYTES = 20 * 1024 ** 2   # a lesson notebook with its figures is well under 2 MB
MAX_CODE = 1024 ** 2         # characters of code in all code cells (a lesson has about 20 000)
MAX_LINES = 20_000           # lines of code in all code cells
MAX_CELLS = 1_000            # code cells


class Unreadable(ValueError):
    """The submission cannot be graded; the message says why, for the student."""


@dataclass
class Submission:
    raw: bytes
    notebook: dict
    code_cells: list = field(default_factory=list)   # [cells.Cell]: each parsed once, when first asked

    @property
    def metadata(self):
        meta = self.notebook.get("metadata")
        return meta if isinstance(meta, dict) else {}


def read_bytes(path, max_bytes=MAX_BYTES):
    """The file's bytes: a regular file, not a link, at most max_bytes (Unreadable otherwise). Never blocks."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if os.path.islink(path):
            raise Unreadable("the submission is a symbolic link, not a notebook file") from None
        raise Unreadable(f"the file could not be opened ({err.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("the submission is not a regular file (a folder, a pipe or a device)")
        if info.st_size > max_bytes:
            raise Unreadable(f"the file is {info.st_size / 1024 ** 2:.1f} MB, over the limit of "
                             f"{max_bytes / 1024 ** 2:.0f} MB; clear the outputs and submit again")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise Unreadable(f"the file is over the limit of {max_bytes / 1024 ** 2:.0f} MB")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse(raw):
    """A Submission from the file's bytes (Unreadable if it is not a notebook)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("this is not a Jupyter notebook (.ipynb): the file is not UTF-8 text") from None
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError):
        raise Unreadable("this is not a Jupyter notebook (.ipynb): the file is not valid JSON; submit the "
                         "lesson's .ipynb file") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise Unreadable("this is not a Jupyter notebook (.ipynb): it has no list of cells")
    code = cells.code_cells(notebook)
    size, lines = sum(len(c.source) for c in code), sum(c.source.count("\n") + 1 for c in code)
    if len(code) > MAX_CELLS or size > MAX_CODE or lines > MAX_LINES:
        raise Unreadable(f"the notebook holds {len(code)} code cells, {lines} lines and {size} characters of code, "
                         f"over the grader's limits ({MAX_CELLS} cells, {MAX_LINES} lines, {MAX_CODE} characters); "
                         "submit the lesson's notebook")
    return Submission(raw, notebook, code)


def detect_lesson(submission, book):
    """The lesson a notebook belongs to: from its metadata, its first heading, or its exercise ids (or None)."""
    meta = submission.metadata.get("nnfromscratch")
    stem = meta.get("lesson") if isinstance(meta, dict) else None
    for lesson in book.lessons:
        if stem == lesson.stem:
            return lesson
    for cell in submission.notebook["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            heading = next((line[2:].strip() for line in cells._text(cell.get("source")).splitlines()
                            if line.startswith("# ")), None)
            if heading:
                match = [lesson for lesson in book.lessons if lesson.title == heading]
                if match:
                    return match[0]
                break
    ids = {str(c.nbgrader.get("grade_id")) for c in submission.code_cells}
    for lesson in book.lessons:
        if lesson.exercises and set(lesson.exercises) <= ids:
            return lesson
    return None


def read_code(submission, deadline):
    """Parse every code cell (once: what the grader asks later is answered from these Facts) unless the clock
    passes `deadline` (time.monotonic()) first; True when all were read. Bounded by MAX_CODE, this still takes
    seconds for a notebook of deeply nested expressions, so it counts against the submission's time limit."""
    for cell in submission.code_cells:
        if time.monotonic() > deadline:
            return False
        cell.facts  # parsed here, kept in the cell
    return True


def solution_cells(submission, names):
    """The cells to run (see `nnfromscratch.exercises.cells.solution_cells`)."""
    return cells.solution_cells(submission.code_cells, names)


def import_statements(submission, selected):
    """The import statements the selected cells need (see `nnfromscratch.exercises.cells.import_statements`)."""
    return cells.import_statements(submission.code_cells, selected)


def reference_uses(submission, selected, exercise):
    """The package's answers to `exercise` that the selected cells name (e.g. `nn.hidden_unit_grad`): a helpful
    early message only; the sandbox's package does not contain them anyway."""
    return [n for f in cells.selected_facts(submission.code_cells, selected) for n in exercise.answers_used_in(f)]
