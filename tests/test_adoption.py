"""What an instructor adopting the course relies on: licences and package metadata, JupyterLab's course defaults in
every route, the placeholder repository refused, lessons and notebooks paired by jupytext in both directions, slider
cells readable on static viewers, and website pages that load nothing from other sites."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

from nnfromscratch_tools.manifest import PLACEHOLDER_REPOSITORY, load_book

BOOK = load_book()
ROOT = BOOK.root
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
OVERRIDES = ROOT / "jupyter-config" / "labconfig" / "default_setting_overrides.d" / "nnfromscratch.json"


def course_script():
    spec = importlib.util.spec_from_file_location("course_script", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- licences and metadata ----------------------------------------------------------------------------------------

def test_licences_are_shipped_and_declared():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"  # an SPDX expression, not the deprecated table
    assert project["license-files"] == ["LICENSE", "LICENSE-CONTENT"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    content = (ROOT / "LICENSE-CONTENT").read_text()
    assert "Creative Commons Attribution 4.0 International Public License" in content
    assert "Section 8 – Interpretation." in content and "<<" not in content  # the whole legal code, no SPDX markup
    readme = (ROOT / "README.md").read_text()
    for needed in ("[`LICENSE`](LICENSE)", "[`LICENSE-CONTENT`](LICENSE-CONTENT)", "Matt Mazur",
                   "Building Neural Network from scratch", "Alpaydin"):
        assert needed in readme, needed


def test_the_version_is_written_once():
    import nnfromscratch

    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nnfromscratch.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", nnfromscratch.__version__)


def test_metadata_names_authors_urls_classifiers_keywords_and_the_command():
    project = PYPROJECT["project"]
    assert project["authors"] and project["keywords"]
    assert "Intended Audience :: Education" in project["classifiers"]
    assert {"Repository", "Documentation"} <= set(project["urls"])
    assert project["scripts"] == {"nnfromscratch": "nnfromscratch_tools.cli:main"}
    requires = PYPROJECT["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r.split(">=")[1]) >= 77 for r in requires)


# --- JupyterLab's course defaults, in every route ------------------------------------------------------------------

def test_the_course_default_disables_comms_over_subshells_in_a_valid_setting():
    overrides = json.loads(OVERRIDES.read_text())
    assert overrides == {"@jupyterlab/apputils-extension:kernels-settings": {"commsOverSubshells": "disabled"}}


def test_course_py_lab_puts_the_course_defaults_on_jupyters_config_path(monkeypatch):
    course = course_script()
    env = course.jupyter_environment({"JUPYTER_CONFIG_PATH": "/elsewhere"})
    assert env["JUPYTER_CONFIG_PATH"].split(":") == [str(ROOT / "jupyter-config"), "/elsewhere"]
    assert (Path(env["JUPYTER_CONFIG_PATH"].split(":")[0]) / OVERRIDES.relative_to(ROOT / "jupyter-config")).exists()
    assert "env=jupyter_environment()" in (ROOT / "course.py").read_text()


def test_binder_postbuild_installs_the_course_defaults_into_its_environment(tmp_path):
    # Run postBuild's lines after the pip install, with a stand-in for the environment's python.
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "python -m pip install --no-deps -e ." in post
    copy = post.split("python -m pip install --no-deps -e .", 1)[1]
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text(f"#!/bin/sh\necho {tmp_path / 'prefix'}\n")
    (fake / "python").chmod(0o755)
    subprocess.run(["bash", "-euo", "pipefail", "-c", copy], cwd=ROOT, check=True,
                   env={"PATH": f"{fake}:/usr/bin:/bin"})
    installed = tmp_path / "prefix" / "etc" / "jupyter" / OVERRIDES.relative_to(ROOT / "jupyter-config")
    assert installed.read_text() == OVERRIDES.read_text()


def test_the_conda_route_is_documented_through_course_py_lab_here():
    assert "python course.py lab --here" in (ROOT / "README.md").read_text()
    assert "course.py lab --here" in (ROOT / "environment.yml").read_text()
    assert '"--here" in rest' in (ROOT / "course.py").read_text()


def test_course_py_book_needs_only_the_book_extra():
    course = course_script()
    assert course.ENVS["book"][1] == ["-e", f"{ROOT}[book]"]
    book = set(PYPROJECT["project"]["optional-dependencies"]["book"])
    assert book <= set(PYPROJECT["project"]["optional-dependencies"]["test"])  # so an up-to-date .venv-test serves


# --- the placeholder repository -----------------------------------------------------------------------------------

def test_readme_refuses_the_placeholder_repository_unless_allowed(tmp_path, capsys):
    from nnfromscratch_tools.cli import main

    course = tmp_path / "course"
    course.mkdir()
    text = (ROOT / "book.toml").read_text()
    repository = re.search(r'^repository = "([^"]+)"', text, re.M).group(1)
    (course / "book.toml").write_text(text.replace(f'"{repository}"', f'"{PLACEHOLDER_REPOSITORY}"', 1))
    (course / "README.md").write_text("x\n<!-- lessons:start (generated from book.toml by `python3 course.py readme`)"
                                      " -->\n<!-- lessons:end -->\n")
    assert main(["--course", str(course), "readme"]) == 2
    err = capsys.readouterr().err
    assert "placeholder" in err and "repository" in err and "--allow-placeholder" in err
    assert "mybinder" not in (course / "README.md").read_text()
    assert main(["--course", str(course), "readme", "--allow-placeholder"]) == 0
    assert f"v2/gh/{PLACEHOLDER_REPOSITORY}/" in (course / "README.md").read_text()
    (course / "book.toml").write_text(text.replace(f'"{repository}"', '"a-school/nn-course"', 1))
    assert main(["--course", str(course), "readme"]) == 0
    assert "v2/gh/a-school/nn-course/main?labpath=learner/" in (course / "README.md").read_text()


# --- jupytext pairing: either side can be edited --------------------------------------------------------------------

def jupytext_config():
    from jupytext.config import load_jupytext_configuration_file

    return load_jupytext_configuration_file(str(ROOT / "jupytext.toml"))


def test_jupytext_pairs_each_lesson_with_its_notebook_and_leaves_learner_versions_alone():
    from jupytext.paired_paths import paired_paths

    config = jupytext_config()
    lesson = BOOK.lessons[0]
    formats = config.default_formats(str(lesson.path))
    paths = {Path(p).resolve() for p, _ in paired_paths(str(lesson.path), "ipynb", formats)}
    assert paths == {lesson.path.resolve(), lesson.source.resolve()}
    assert config.default_formats(str(ROOT / lesson.learner_file)) is None


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_the_source_written_back_from_each_notebook_is_the_source(lesson):
    # What jupytext writes when the notebook is saved in JupyterLab equals the lesson source: no churn.
    import jupytext

    nb = nbformat.read(lesson.path, as_version=4)
    assert jupytext.writes(nb, fmt="py:percent", config=jupytext_config()) == lesson.source.read_text()


@pytest.fixture
def paired_copy(tmp_path):
    """A copy of one lesson, its notebook and jupytext.toml, laid out as in the repository."""
    lesson = BOOK.lesson("04")
    for folder in ("lessons", "notebooks"):
        (tmp_path / folder).mkdir()
    shutil.copy(ROOT / "jupytext.toml", tmp_path)
    shutil.copy(lesson.source, tmp_path / "lessons")
    shutil.copy(lesson.path, tmp_path / "notebooks")
    return tmp_path / "lessons" / lesson.source.name, tmp_path / "notebooks" / lesson.path.name


def sync(path):
    result = subprocess.run([sys.executable, "-m", "jupytext", "--sync", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def nbgrader_cells(nb):
    return [(c.source, c.metadata["nbgrader"]) for c in nb.cells if "nbgrader" in c.metadata]


def test_editing_the_notebook_updates_the_source_and_keeps_nbgrader_metadata(paired_copy):
    from nnfromscratch_tools.build import notebook_from_source, outputs_are_current

    source, notebook = paired_copy
    nb = nbformat.read(notebook, as_version=4)
    solution = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    solution.source = solution.source.replace("### END SOLUTION", "    # edited in JupyterLab\n    ### END SOLUTION")
    nbformat.write(nb, notebook)
    sync(notebook)
    assert "    # edited in JupyterLab" in source.read_text()
    rebuilt = notebook_from_source(source)
    assert nbgrader_cells(rebuilt) == nbgrader_cells(nbformat.read(notebook, as_version=4))
    assert not outputs_are_current(nbformat.read(notebook, as_version=4)), "stale outputs must be caught"


def test_editing_the_source_updates_the_notebook_keeps_its_metadata_and_flags_its_outputs(paired_copy):
    import os

    from nnfromscratch_tools.build import outputs_are_current

    source, notebook = paired_copy
    before = nbformat.read(notebook, as_version=4)
    assert outputs_are_current(before)
    source.write_text(source.read_text().replace("print(\"db1 =\", delta1)", "print(\"db1 is\", delta1)"))
    os.utime(source, (notebook.stat().st_mtime + 10,) * 2)
    sync(source)
    after = nbformat.read(notebook, as_version=4)
    assert any('print("db1 is", delta1)' in c.source for c in after.cells)
    assert nbgrader_cells(after) == nbgrader_cells(before)
    assert after.metadata["nnfromscratch"]["lesson"] == before.metadata["nnfromscratch"]["lesson"]
    assert not outputs_are_current(after), "stale outputs must be caught"


# --- static viewers: slider cells -----------------------------------------------------------------------------------

def slider_cells(nb):
    """(slider cell, next code cell) for every cell that shows a slider (a `*_widget()` call)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [(c, code[i + 1]) for i, c in enumerate(code) if re.search(r"\w+_widget\(", c.source)]


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_after_each_slider_a_cell_draws_its_figure_and_the_slider_says_where_it_is_live(lesson):
    nb = nbformat.read(lesson.path, as_version=4)
    for slider, after in slider_cells(nb):
        assert "nbval-ignore-output" in slider.metadata.get("tags", [])
        name = re.search(r"(\w+)_widget\(", slider.source).group(1)
        assert re.search(r"show_\w+\(", after.source), f"{lesson.stem}: no show_* call after {name}_widget()"
        assert any("image/png" in o.get("data", {}) for o in after.outputs), \
            f"{lesson.stem}: the cell after {name}_widget() shows no figure"
        text = "".join(o.get("data", {}).get("text/plain", "") for o in slider.outputs)
        assert "Live when the lesson runs in JupyterLab or Binder" in text and "interactive(children" not in text


def test_the_slider_text_fallback_and_labels():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nnfromscratch.visuals import widgets

    w = widgets.classification_widget()
    bundle = w._repr_mimebundle_()
    assert bundle["text/plain"].startswith("[Interactive: problem, hidden, learning rate, epochs. Live when")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    widths = {c.style.description_width for c in w.children if hasattr(c, "description") and c.description}
    assert len(widths) == 1 and float(widths.pop().rstrip("em")) >= 0.6 * len("learning rate")
    plt.close("all")


def test_lesson_02s_slider_starts_on_a_step_at_the_lessons_loss():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    import nnfromscratch as nn
    from nnfromscratch.visuals import widgets

    slider = widgets.loss_widget().children[0]
    y0 = nn.trace().y_hat[0]
    assert slider.value == y0
    k = round((slider.value - slider.min) / slider.step)
    assert abs(slider.min + k * slider.step - y0) < 1e-12  # the browser's snapping leaves it where it is
    assert slider.min >= 0 and slider.max <= 1
    assert nn.mse(nn.trace().y, np.array([slider.min + k * slider.step, nn.trace().y_hat[1]])) == \
        pytest.approx(nn.trace().loss, abs=1e-11)
    plt.close("all")


def test_the_gallery_leaves_no_empty_row():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from nnfromscratch.visuals import plots

    images = np.zeros((6, 64))
    fig = plots.plot_digit_gallery(images, [str(i) for i in range(6)], nrows=2)
    assert len(fig.axes) == 6 and all(a.images for a in fig.axes)
    fig = plots.plot_digit_gallery(np.zeros((20, 64)), [""] * 20, nrows=2)
    assert len(fig.axes) == 16 and all(a.images for a in fig.axes)
    plt.close("all")


def test_wide_decision_region_figures_keep_legible_tick_labels():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import nnfromscratch as nn
    from nnfromscratch import data
    from nnfromscratch.visuals import plots

    X, y = data.make_moons(40)
    net = nn.Network([2, 4, 2], activation="tanh", init="lecun", seed=0)
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    plots.plot_decision_boundary(net, X, y, ax=axes[0], resolution=10)
    fig.canvas.draw()
    size = axes[0].get_xticklabels()[0].get_fontsize()
    # 14 inches at 100 dpi shown in a column about 800 px wide: the labels must still be about 10 px there
    assert size * 100 / 72 * 800 / 1400 >= 9.5
    plt.close("all")


# --- the website makes no third-party request ----------------------------------------------------------------------

def test_the_website_loads_nothing_from_other_sites(tmp_path):
    from nnfromscratch_tools.site import build_site

    build_site(tmp_path)
    loads = re.compile(r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//"
                       r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//|@import\s+(?:url\()?[\"']?(?:https?:)?//"
                       r"|url\(\s*[\"']?(?:https?:)?//|import\(\s*[\"'](?:https?:)?//", re.I)
    for page in sorted(tmp_path.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert not loads.findall(text), f"{page.name} loads {loads.findall(text)[:3]}"
        assert "require.min.js" not in text and "cdnjs" not in text
