"""nnfromscratch_tools/manifest.py: book.toml read into lessons and paths, found from the caller's folder or
--course, the README's lesson table and the Binder links generated from it."""

import pytest

from nnfromscratch_tools.manifest import CourseNotFound, find_course, load_book, readme_lessons

BOOK = load_book()
ROOT = BOOK.root


def test_readme_lesson_table_is_generated_from_the_manifest():
    readme = (ROOT / "README.md").read_text()
    assert readme_lessons(BOOK) in readme, "run `python3 course.py readme`"
    for lesson in BOOK.lessons:
        assert (ROOT / lesson.file).exists()
        assert BOOK.binder_url(lesson.file) in readme


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


def test_lessons_are_found_by_stem_number_file_and_title():
    first = BOOK.lessons[0]
    for name in (first.stem, first.stem.split("_")[0], first.file, first.title):
        assert BOOK.lesson(name) is first
    with pytest.raises(KeyError, match=r"No lesson 'ninety' in book.toml; lessons: \["):
        BOOK.lesson("ninety")


def test_every_path_is_derived_from_the_course_folder():
    lesson = BOOK.lessons[0]
    assert lesson.path == ROOT / lesson.file and lesson.source == ROOT / "lessons" / f"{lesson.stem}.py"
    assert lesson.learner_file == f"learner/{lesson.path.name}" and BOOK.learner_dir == ROOT / "learner"


def test_the_course_is_found_from_any_folder_inside_it_or_named(tmp_path, monkeypatch):
    monkeypatch.delenv("NNFROMSCRATCH_COURSE", raising=False)
    monkeypatch.chdir(ROOT / "lessons")
    assert find_course() == ROOT
    assert find_course(ROOT) == ROOT and load_book(ROOT / "book.toml").root == ROOT
    monkeypatch.setenv("NNFROMSCRATCH_COURSE", str(ROOT))
    monkeypatch.chdir(tmp_path)
    assert find_course() == ROOT
    with pytest.raises(CourseNotFound, match=r"No book.toml in .*: --course must name the course folder"):
        find_course(tmp_path)


def test_a_malformed_manifest_is_named(tmp_path):
    (tmp_path / "book.toml").write_text("[course\n")
    with pytest.raises(ValueError, match=r"book.toml: not valid TOML"):
        load_book(tmp_path)
    (tmp_path / "book.toml").write_text('[course]\ntitle = "t"\n')
    with pytest.raises(ValueError, match=r"book.toml: malformed manifest"):
        load_book(tmp_path)
