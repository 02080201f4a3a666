"""The repository's own files agree: the environments (pyproject.toml, environment.yml, binder/), CI and the
README's test commands, course.py."""

import re
import tomllib

import pytest
import yaml

from nnfromscratch_tools.manifest import load_book

BOOK = load_book()
ROOT = BOOK.root


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


def test_the_readme_says_how_to_run_everything_and_the_quick_tests():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## How the tests work"):]
    assert "python3 course.py test\n" in section or "python3 course.py test`" in section
    assert 'python3 course.py test -m "not slow and not kernel and not browser"' in section
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    assert sorted(m.split(":")[0] for m in markers) == ["browser", "kernel", "slow"]


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


def test_an_unmarked_test_cannot_start_a_kernel():
    """conftest.py refuses a kernel to a test without the `kernel` marker, so -m "not kernel" runs none."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    try:
        with pytest.raises(RuntimeError, match=r"test_an_unmarked_test_cannot_start_a_kernel starts a Jupyter kernel: "
                                               r"mark it @pytest.mark.kernel"):
            km.start_kernel()
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
