"""The course's files agree with each other: manifest, notebooks, lesson sources, README, environments."""

import re
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from nnfromscratch_tools.manifest import load_book, readme_lessons

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


def test_readme_lesson_table_is_generated_from_the_manifest():
    readme = (ROOT / "README.md").read_text()
    assert readme_lessons(BOOK) in readme, "run `python3 course.py readme`"
    for lesson in BOOK.lessons:
        assert (ROOT / lesson.file).exists()
        assert BOOK.binder_url(lesson.file) in readme


def requirement_names(specs):
    return {re.split(r"[<>=!~ \[]", s, maxsplit=1)[0].strip().lower().replace("_", "-") for s in specs}


def test_environment_yml_holds_what_learners_need_in_jupyterlab_and_nothing_else():
    # Exactly pyproject's dependencies and its `lab` extra: no test tools (they come from pip in the test route;
    # conda-forge's `playwright` is even another program, the Node.js tool), with the same version bounds.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    learner = [*project["dependencies"], *project["optional-dependencies"]["lab"]]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and d.split("=")[0] not in ("python", "pip")]
    assert requirement_names(conda) == requirement_names(learner)
    normalise = lambda spec: spec.replace(" ", "").lower().replace("_", "-")  # noqa: E731
    assert {normalise(c) for c in conda} == {normalise(s) for s in learner}, "version bounds differ from pyproject"
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
    assert "conda-forge" in env["channels"]


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 course.py test" in readme
    assert ci.strip().splitlines()[-1] == "exec python3 course.py test"


def test_binder_links_open_jupyterlab_on_an_existing_notebook():
    from urllib.parse import unquote

    readme = (ROOT / "README.md").read_text()
    for lesson in BOOK.lessons:
        for path in (lesson.learner_file, lesson.file):
            url = BOOK.binder_url(path)
            assert url.startswith(f"https://mybinder.org/v2/gh/{BOOK.repository}/{BOOK.branch}?labpath=")
            target = unquote(url.split("labpath=")[1])
            assert target == path and (ROOT / path).exists()
        assert f"[open in Binder]({BOOK.binder_url(lesson.learner_file)})" in readme


def test_course_script_opens_the_first_learner_lesson_in_the_repository_root():
    import importlib.util

    spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    assert course.first_lesson() == BOOK.lessons[0].learner_file and (ROOT / course.first_lesson()).exists()
    text = (ROOT / "course.py").read_text()
    assert "--ServerApp.root_dir=" in text and "--LabApp.default_url=/lab/tree/" in text


def test_binder_environment_is_the_conda_one_without_the_local_install():
    root = yaml.safe_load((ROOT / "environment.yml").read_text())
    binder = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    assert binder["channels"] == root["channels"]
    assert binder["dependencies"] == [d for d in root["dependencies"] if not isinstance(d, dict)]
    assert "python=3.11" in binder["dependencies"]
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
