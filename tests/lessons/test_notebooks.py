"""The lessons as files agree with each other: book.toml lists every notebook, each notebook is its source
executed in order with its title and exercise cells, and no lesson imports a private name or the tooling."""

import ast

import nbformat
import pytest

from nnfromscratch_tools.build import notebook_from_source
from nnfromscratch_tools.manifest import load_book

ROOT = load_book().root
from nnfromscratch_tools.build import notebook_from_source, outputs_are_current

BOOK = load_book()
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def first_heading(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def test_every_notebook_is_in_the_manifest_and_every_entry_exists():
    listed = {l.file for l in BOOK.lessons}
    on_disk = {str(p.relative_to(ROOT)) for p in NOTEBOOKS}
    assert on_disk - listed == set(), "notebooks missing from book.toml"
    assert listed - on_disk == set(), "book.toml names notebooks that do not exist"
    assert len(listed) == len(BOOK.lessons), "a notebook is listed twice"


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_title_equals_first_heading_and_objectives_present(lesson):
    nb = nbformat.read(lesson.path, as_version=4)
    assert first_heading(nb) == lesson.title
    assert lesson.objectives and lesson.part in ("I", "II", "III")


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_notebook_matches_its_source_and_was_executed_in_order(lesson):
    built = notebook_from_source(lesson.source)
    stored = nbformat.read(lesson.path, as_version=4)
    assert [(c.cell_type, c.source, c.metadata.get("tags"), c.metadata.get("nbgrader")) for c in stored.cells] == \
           [(c.cell_type, c.source, c.metadata.get("tags"), c.metadata.get("nbgrader")) for c in built.cells], \
           f"{lesson.file} differs from {lesson.source.name}: run `python3 course.py execute {lesson.stem}`"
    code = [c for c in stored.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "re-execute the notebook top to bottom"
    assert outputs_are_current(stored), \
        f"{lesson.file}: its code changed after its outputs were stored: run `python3 course.py execute {lesson.stem}`"
    assert "widgets" not in stored.metadata
    assert not any("execution" in c.metadata for c in stored.cells)


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_exercises_in_manifest_have_solution_and_check_cells(lesson):
    nb = nbformat.read(lesson.path, as_version=4)
    ids = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    for name in lesson.exercises:
        assert name in ids and f"check_{name}" in ids, f"{lesson.file}: exercise {name} lacks its cells"


def imported_names(source):
    """(module, name) for every import of a lesson's code; name is None for `import module`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield from ((node.module or "", alias.name) for alias in node.names)


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_lessons_import_only_public_names_of_the_package(lesson):
    source = lesson.source.read_text()
    imports = list(imported_names(source))
    assert imports, "a lesson imports the package"
    for module, name in imports:
        parts = module.split(".") + ([name] if name else [])
        assert parts[0] != "nnfromscratch_tools", f"{lesson.source.name} imports the tooling: {module}"
        if parts[0] == "nnfromscratch":
            assert not any(p.startswith("_") for p in parts), f"{lesson.source.name} imports a private name: {parts}"
    # nor reaches one through an imported module (nn._something)
    aliases = {alias.asname or alias.name.split(".")[0] for node in ast.walk(ast.parse(source))
               if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    private = [f"{node.value.id}.{node.attr}" for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
               and node.attr.startswith("_") and not node.attr.startswith("__")]
    assert not private, f"{lesson.source.name} uses private names {private}"
