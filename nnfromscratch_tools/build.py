"""Build the lesson notebooks from their sources and store real outputs.

Each lesson is written in `lessons/NN_name.py` (jupytext's percent format: easy
to read and to diff). `python3 course.py execute [NAME ...]` converts each source
to `notebooks/NN_name.ipynb`, executes it top to bottom in a fresh kernel
(nbclient), and strips what only adds noise to diffs: widget state, per-cell
timing metadata, random cell ids. The test suite checks that every notebook still
matches its source, and nbval checks every stored output.
"""

import time

from .manifest import load_book

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
_KEEP_CELL_METADATA = ("tags", "nbgrader", "deletable", "editable", "lines_to_next_cell")


def notebook_from_source(source_path):
    """Read a lesson source (percent format) into a notebook with stable metadata and ids.

    The notebook's metadata names its lesson (`nnfromscratch.lesson`), which is how the
    grader recognises a submission.
    """
    import jupytext

    nb = jupytext.read(source_path, fmt="py:percent")
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"},
                   "nnfromscratch": {"lesson": source_path.stem, "version": "solved"}}
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number:03d}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in _KEEP_CELL_METADATA}
    return nb


def clean(nb):
    """Drop widget state and per-cell execution timing; keep outputs and execution counts."""
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
    return nb


def execute(nb, cwd, timeout=120):
    """Run every cell in a fresh kernel of the current environment, in folder `cwd`."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def build(names=(), book=None):
    """Build and execute the named lessons (all in book.toml if none); print one line per notebook."""
    import nbformat

    book = book or load_book()
    lessons = [book.lesson(n) for n in names] if names else book.lessons
    for lesson in lessons:
        start = time.perf_counter()
        nb = clean(execute(notebook_from_source(lesson.source), lesson.path.parent))
        nbformat.validate(nb)
        lesson.path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, lesson.path)
        print(f"{lesson.file}: executed in {time.perf_counter() - start:.1f} s")
    from .learner import write_learner_versions

    write_learner_versions([lesson.stem for lesson in lessons], book)
