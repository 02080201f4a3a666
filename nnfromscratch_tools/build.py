"""Build the lesson notebooks from their sources and store real outputs.

Each lesson is written in `lessons/NN_name.py` (jupytext's percent format: easy
to read and to diff). `python3 course.py execute [NAME ...]` converts each source
to `notebooks/NN_name.ipynb`, executes it top to bottom in a fresh kernel
(nbclient), and strips what only adds noise to diffs: widget state, per-cell
timing metadata, random cell ids. It records a fingerprint of the code it ran, so
a notebook whose code changed after its outputs were stored is caught. The test
suite checks that every notebook still matches its source and has current outputs,
and nbval checks every stored output.

jupytext.toml pairs each lesson source with its notebook, so jupytext (in JupyterLab
or `jupytext --sync`) keeps the two in step when either is edited; the cell metadata
kept here (tags, nbgrader's, and jupytext's own `lines_to_next_cell`) is exactly what
makes the source written back from the notebook equal the source.
"""

import hashlib
import json
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


def code_fingerprint(nb):
    """A hash of the notebook's code cells, in order: what its stored outputs were computed from."""
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    return hashlib.sha256(json.dumps(code).encode()).hexdigest()


def outputs_are_current(nb):
    """Whether the stored outputs were computed from the code cells the notebook has now.

    `execute` records the code's fingerprint when it stores the outputs; editing a code cell afterwards (in the
    lesson source, or in JupyterLab with jupytext keeping the pair in step) changes the code but not the record.
    """
    return nb.metadata.get("nnfromscratch", {}).get("executed_code") == code_fingerprint(nb)


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
        nb.metadata["nnfromscratch"]["executed_code"] = code_fingerprint(nb)
        nbformat.validate(nb)
        lesson.path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, lesson.path)
        print(f"{lesson.file}: executed in {time.perf_counter() - start:.1f} s")
    from .learner import write_learner_versions

    write_learner_versions([lesson.stem for lesson in lessons], book)
