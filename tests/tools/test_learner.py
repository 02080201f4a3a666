"""nnfromscratch_tools/learner.py: nbgrader's conventions for learner versions, solutions stubbed at their
indentation, hidden tests removed, outputs cleared, a banner linking the solved lesson."""

import nbformat
import pytest

from nnfromscratch_tools.learner import learner_notebook, solution_lines, write_learner_versions
from nnfromscratch_tools.manifest import load_book


def test_hidden_tests_and_indentation_are_handled():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"),
        nbformat.v4.new_code_cell("check('f', f)\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS"),
    ])
    out = learner_notebook(nb, "x", "notebooks/x.ipynb")
    assert out.cells[0].source == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert out.cells[2].source == "check('f', f)"


def test_outputs_are_cleared_and_the_banner_links_the_solved_lesson():
    cell = nbformat.v4.new_code_cell("print(1)", execution_count=3, outputs=[nbformat.v4.new_output("stream", text="1")])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), cell])
    out = learner_notebook(nb, "x", "notebooks/x.ipynb")
    assert out.cells[2].outputs == [] and out.cells[2].execution_count is None
    assert "[`notebooks/x.ipynb`](../notebooks/x.ipynb)" in out.cells[1].source
    assert out.metadata["nnfromscratch"]["version"] == "learner"
    assert nb.cells[1].outputs, "the solved notebook is left alone"


def test_unclosed_markers_are_refused_and_solution_lines_found():
    with pytest.raises(ValueError, match="'### BEGIN SOLUTION' without a matching '### END SOLUTION'"):
        learner_notebook(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1")]),
                         "x", "notebooks/x.ipynb")
    assert solution_lines("a = 0\n### BEGIN SOLUTION\n  b = 1\n\n### END SOLUTION\nc = 2") == ["b = 1"]


def test_writing_learner_versions_into_another_course_folder(tmp_path, capsys):
    book = load_book()
    lesson = book.lessons[0]
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / lesson.path.name).write_bytes(lesson.path.read_bytes())
    (tmp_path / "book.toml").write_text((book.root / "book.toml").read_text())
    other = load_book(tmp_path)
    paths = write_learner_versions([lesson.stem], other)
    assert paths == [tmp_path / "learner" / lesson.path.name]
    assert nbformat.read(paths[0], as_version=4) == nbformat.read(book.root / lesson.learner_file, as_version=4)
    assert f"learner/{lesson.path.name}: written" in capsys.readouterr().out
