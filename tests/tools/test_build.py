"""nnfromscratch_tools/build.py: a lesson source becomes a notebook with stable ids and metadata, executed for real,
widget state and timings dropped."""

import nbformat
import pytest

from nnfromscratch_tools.build import clean, execute, notebook_from_source

SOURCE = '''# %% [markdown]
# # A lesson

# %% tags=["nbval-ignore-output"]
import os
print(os.getcwd())

# %% nbgrader={"grade": false, "grade_id": "f", "locked": false, "schema_version": 3, "solution": true, "task": false}
def f(x):
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION

# %%
print(f(21))
'''


@pytest.fixture
def lesson(tmp_path):
    path = tmp_path / "99_tiny.py"
    path.write_text(SOURCE)
    return path


def test_a_source_becomes_a_notebook_with_stable_ids_and_its_lesson_named(lesson):
    nb = notebook_from_source(lesson)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "code"]
    assert [c.id for c in nb.cells] == ["cell-000", "cell-001", "cell-002", "cell-003"]
    assert nb.metadata["nnfromscratch"] == {"lesson": "99_tiny", "version": "solved"}
    assert nb.cells[1].metadata["tags"] == ["nbval-ignore-output"]
    assert set(nb.cells[1].metadata) <= {"tags", "lines_to_next_cell"}  # jupytext's spacing, kept for round trips
    assert nb.cells[2].metadata["nbgrader"]["grade_id"] == "f"
    assert notebook_from_source(lesson) == nb  # the same every time


def test_clean_drops_widget_state_and_timings_only():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1", execution_count=1)])
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb.cells[0].metadata["tags"] = ["keep"]
    clean(nb)
    assert "widgets" not in nb.metadata and nb.cells[0].metadata == {"tags": ["keep"]}
    assert nb.cells[0].execution_count == 1


@pytest.mark.kernel
def test_execute_runs_every_cell_in_the_given_folder(lesson, tmp_path):
    nb = clean(execute(notebook_from_source(lesson), tmp_path))
    assert nb.cells[1].outputs[0]["text"].strip() == str(tmp_path)
    assert nb.cells[3].outputs[0]["text"] == "42\n"
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2, 3]
    nbformat.validate(nb)
