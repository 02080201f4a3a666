"""The package installs like any other: the sdist holds what its tests need, and the wheel, installed in a fresh
virtual environment outside the repository, runs a solved and a learner lesson and grades with its own command.

Slow (a minute or two: it builds, creates an environment and installs the dependencies from the package index).
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

from nnfromscratch_tools.manifest import load_book

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

BOOK = load_book()
ROOT = BOOK.root
LESSON = BOOK.lesson("01")


def clean_env(**extra):
    """This process's environment without what would let a child find the repository's package instead of the
    installed one."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "NNFROMSCRATCH_COURSE", "JUPYTER_PATH", "PYTHONHOME")}
    return {**env, **extra}


def run(cmd, **kwargs):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and the wheel, built as a release would be (the wheel is built from the sdist)."""
    pytest.importorskip("build", reason="the `build` frontend comes with the test extra")
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", out, ROOT], env=clean_env())
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return sdist, wheel


def test_the_sdist_holds_every_file_of_the_repository_its_tests_use(dist):
    sdist, _ = dist
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the list of the repository's files comes from git")
    tracked = run(["git", "ls-files"], cwd=ROOT).stdout.split()
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = [f for f in tracked if f not in names and not f.startswith((".github/",))]
    assert not missing, f"the sdist lacks {missing}"
    assert "PKG-INFO" in names


def test_the_wheel_installs_outside_the_repository_runs_lessons_and_grades(dist, tmp_path):
    _, wheel = dist
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{wheel}[grade]",
         "nbclient>=0.10", "ipykernel>=6.29"], env=clean_env(), cwd=tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    probe = run([python, "-c", "import nnfromscratch, nnfromscratch_tools; from nnfromscratch import data; "
                 "print(nnfromscratch.__file__); print(nnfromscratch.__version__); print(data.load_digits()[0].shape)"],
                env=clean_env(), cwd=work).stdout.split()
    assert str(env_dir) in probe[0] and str(ROOT) not in probe[0], "the repository's package was imported"
    import nnfromscratch

    assert probe[1] == nnfromscratch.__version__ and probe[2] == "(1797,"
    # A solved and a learner lesson, executed by the installed environment's own kernel, outside the repository.
    solved, learner = work / "solved.ipynb", work / "learner.ipynb"
    shutil.copy(LESSON.path, solved)
    shutil.copy(ROOT / LESSON.learner_file, learner)
    script = """
import json, sys, nbformat
from nbclient import NotebookClient
report = {}
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
    report[path] = "\\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
print(json.dumps(report))
"""
    report = json.loads(run([python, "-c", script, solved, learner], env=clean_env(), cwd=work).stdout)
    assert "✅ forward_prop" in report[str(solved)] and "not written yet" not in report[str(solved)]
    assert report[str(learner)].count("not written yet") == len(LESSON.exercises)
    # The console command grades both against a course folder made of book.toml and the solved notebooks.
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "book.toml", course)
    for lesson in BOOK.lessons:
        shutil.copy(lesson.path, course / "notebooks")
    command = env_dir / "bin" / "nnfromscratch"
    for notebook, expected in ((solved, len(LESSON.exercises)), (learner, 0)):
        results = work / f"{notebook.stem}.json"
        run([command, "--course", course, "grade", notebook, "--results", results], env=clean_env(), cwd=work)
        scored = json.loads(results.read_text())
        assert scored["score"] == expected, (notebook.name, scored)
    help_text = run([command, "--help"], env=clean_env(), cwd=work).stdout
    assert "release DIR" in help_text and "grade-folder" in help_text
