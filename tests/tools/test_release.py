"""A learner-only release (`course.py release DIR --repository OWNER/NAME`): no solution text in any file of it,
every link resolves inside it, its Binder links point at its own repository, and the tools refuse what they must."""

import json
import re
import subprocess
import sys
import tomllib
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from nnfromscratch_tools.cli import main
from nnfromscratch_tools.learner import solution_lines
from nnfromscratch_tools.manifest import PLACEHOLDER_REPOSITORY, load_book
from nnfromscratch_tools.release import ReleaseError, write_release

BOOK = load_book()
ROOT = BOOK.root
REPOSITORY = "a-teacher/nn-course-2027"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "course"
    write_release(out, REPOSITORY, "spring", BOOK)
    return out


def every_solution_line():
    """Every line written between the solution markers of every solved lesson, with its lesson, except lines the
    lessons also give outside any solution (a hint in the prose, `return out` in given code): those are public."""
    found, public = {}, set()
    for lesson in BOOK.lessons:
        for cell in nbformat.read(lesson.path, as_version=4).cells:
            inside = set(solution_lines(cell.source)) if cell.cell_type == "code" else set()
            for line in inside:
                found.setdefault(line, lesson.stem)
            outside = [line.strip() for line in cell.source.splitlines() if line.strip() not in inside]
            public |= {line.lstrip("#").strip().strip("`") for line in outside} | set(outside)
            if cell.cell_type == "markdown":  # code the prose quotes as a hint, `like this`
                public |= {span.strip() for span in re.findall(r"`([^`]+)`", cell.source)}
    return {line: stem for line, stem in found.items() if line not in public}


def lines_of(path):
    """A file's lines as a reader sees them: a notebook's cell sources and text outputs line by line (its JSON
    would hide them behind quotes and escapes), any other text file as it is; binary files have none."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text())
        texts = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["cells"]]
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                texts.append("".join(out.get("text", "")) + "".join(
                    "".join(v) if isinstance(v, list) else str(v) for v in out.get("data", {}).values()))
        return [line for text in texts for line in text.splitlines()]
    try:
        return path.read_text().splitlines()
    except UnicodeDecodeError:  # the digits data (gzip)
        return []


def release_files(release):
    return sorted(p for p in release.rglob("*") if p.is_file())


def test_the_release_holds_learner_versions_the_package_and_binder_and_nothing_of_the_instructor(release):
    names = {str(p.relative_to(release)) for p in release_files(release)}
    for lesson in BOOK.lessons:
        assert lesson.learner_file in names
    for needed in ("README.md", "LICENSE", "LICENSE-CONTENT", "book.toml", "pyproject.toml", "course.py",
                   "environment.yml", "binder/environment.yml", "binder/postBuild", "nnfromscratch/__init__.py",
                   "nnfromscratch/data/digits.csv.gz",
                   "jupyter-config/labconfig/default_setting_overrides.d/nnfromscratch.json"):
        assert needed in names, needed
    tops = {n.split("/")[0] for n in names}
    for absent in ("notebooks", "lessons", "tests", "grading", "nnfromscratch_tools", "benchmarks", "conftest.py",
                   "jupytext.toml"):
        assert absent not in tops, f"{absent} must not be in a release"
    assert not any("__pycache__" in n for n in names)


def test_no_file_of_the_release_holds_any_solution_line(release):
    # Every file, line by line, for every line of every solution; and, for the longer lines, anywhere in the raw
    # bytes too (inside JSON strings or other formats). The package is the reference math the check cells judge
    # against, so it shares some equations with the solutions (`return yhat - y`): it is checked apart, below.
    solutions = every_solution_line()
    assert len(solutions) > 20
    long_ones = [s for s in solutions if len(s) >= 24]
    leaks = []
    for path in release_files(release):
        relative = path.relative_to(release)
        if relative.parts[0] == "nnfromscratch":
            continue
        stripped = {line.strip() for line in lines_of(path)}
        leaks += [(str(relative), s) for s in solutions if s in stripped]
        raw = path.read_bytes().decode("utf-8", errors="ignore")
        leaks += [(str(relative), s) for s in long_ones if s in raw and (str(relative), s) not in leaks]
    assert not leaks, f"solution lines in the release: {leaks}"


def test_the_package_in_the_release_is_the_open_course_package_unchanged(release):
    # The release adds nothing to the package: byte for byte the course's own files, none with solution markers.
    course = {p.relative_to(ROOT): p.read_bytes() for p in (ROOT / "nnfromscratch").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    shipped = {p.relative_to(release): p.read_bytes() for p in (release / "nnfromscratch").rglob("*") if p.is_file()}
    assert shipped == course
    assert not any(b"### BEGIN SOLUTION" in data for data in shipped.values())


def test_learner_versions_in_the_release_do_not_point_at_solutions(release):
    for lesson in BOOK.lessons:
        nb = nbformat.read(release / lesson.learner_file, as_version=4)
        banner = next(c for c in nb.cells if c.get("id") == "learner-banner")
        assert "# YOUR CODE HERE" in banner.source and "notebooks/" not in banner.source
        assert nb.metadata["nnfromscratch"]["version"] == "learner"
        assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")


def test_every_relative_link_of_the_release_resolves_inside_it(release):
    link = re.compile(r"\]\(([^)\s]+)\)")
    for path in [release / "README.md", *sorted((release / "learner").glob("*.ipynb"))]:
        text = "\n".join(lines_of(path))
        for target in link.findall(text):
            url = urlparse(target)
            if url.scheme or target.startswith("#"):
                continue
            assert (path.parent / unquote(url.path)).resolve().exists(), f"{path.name}: broken link {target}"


def test_binder_links_point_at_the_release_repository(release):
    readme = (release / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert links and all(l.startswith(f"https://mybinder.org/v2/gh/{REPOSITORY}/spring?labpath=learner/")
                         for l in links)
    assert len(links) == len(BOOK.lessons) + 1  # the badge and one per lesson
    assert PLACEHOLDER_REPOSITORY not in readme
    for lesson in BOOK.lessons:
        assert f"labpath={lesson.learner_file})" in readme
    assert "## Credits and licences" in readme


def test_the_release_manifest_and_pyproject_describe_the_learner_edition(release):
    book = load_book(release)
    assert book.release and book.repository == REPOSITORY and book.branch == "spring"
    assert [l.file for l in book.lessons] == [l.learner_file for l in BOOK.lessons]
    assert [l.title for l in book.lessons] == [l.title for l in BOOK.lessons]
    project = tomllib.loads((release / "pyproject.toml").read_text())["project"]
    course = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    import nnfromscratch

    assert project["version"] == nnfromscratch.__version__
    assert project["dependencies"] == course["dependencies"]
    assert project["optional-dependencies"] == {"lab": course["optional-dependencies"]["lab"]}
    assert project["license"] == course["license"] and "scripts" not in project


def test_the_tools_refuse_to_grade_or_release_from_a_release(release, capsys):
    submission = release / "learner" / BOOK.lessons[1].learner_file.split("/")[1]
    assert main(["--course", str(release), "grade", str(submission)]) == 2
    assert "learner-only release" in capsys.readouterr().err
    assert main(["--course", str(release), "release", str(release.parent / "x"), "--repository", "a/b"]) == 2
    result = subprocess.run([sys.executable, str(release / "course.py"), "test"], capture_output=True, text=True)
    assert result.returncode == 2 and "not part of this learner edition" in result.stderr


@pytest.mark.parametrize("repository", [PLACEHOLDER_REPOSITORY, "no-slash", "a/b/c", "/b"])
def test_a_release_needs_a_real_repository(tmp_path, repository):
    with pytest.raises(ReleaseError, match="repository"):
        write_release(tmp_path / "r", repository, book=BOOK)


def test_a_release_replaces_an_earlier_one_keeps_git_and_refuses_other_folders(tmp_path):
    out = tmp_path / "clone"
    write_release(out, REPOSITORY, book=BOOK)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "learner" / "stale.ipynb").write_text("{}")
    write_release(out, REPOSITORY, book=BOOK)
    assert (out / ".git" / "HEAD").exists() and not (out / "learner" / "stale.ipynb").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.tex").write_text("precious")
    with pytest.raises(ReleaseError, match="not empty"):
        write_release(other, REPOSITORY, book=BOOK)
    assert (other / "thesis.tex").read_text() == "precious"
    with pytest.raises(ReleaseError, match="inside the course"):
        write_release(ROOT / "_build" / "release", REPOSITORY, book=BOOK)
