"""The course manifest, `book.toml`: lesson order, titles, objectives, exercises, Binder settings.

One source of truth: the README's lesson table, the Binder links, the website, the learner
versions, the grader and the tests that keep notebooks and manifest in step all read it through
`load_book()`. Every path of the course (source, notebook, learner version, page) is derived here,
relative to the folder that holds book.toml (`Book.root`), wherever that folder is.
"""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

BOOK_NAME = "book.toml"
ENV_VAR = "NNFROMSCRATCH_COURSE"
# book.toml's `repository` until a maintainer names the course's real GitHub repository (see "Forking the course"
# in the README): the Binder links it makes lead nowhere, so `readme` and `release` refuse it unless told otherwise.
PLACEHOLDER_REPOSITORY = "nnfromscratch/nnfromscratch"


class CourseNotFound(FileNotFoundError):
    """No book.toml where the tools looked: the message says where that was and how to point at one."""


def find_course(course=None):
    """The folder holding book.toml: `course` if given, else $NNFROMSCRATCH_COURSE, else the current folder or
    one of its parents, else the checkout these tools were installed from (an editable install)."""
    if course is None:
        course = os.environ.get(ENV_VAR) or None
    if course is not None:
        folder = Path(course).expanduser().resolve()
        if not (folder / BOOK_NAME).is_file():
            raise CourseNotFound(f"No {BOOK_NAME} in {folder}: --course must name the course folder (the one "
                                 f"holding {BOOK_NAME}, lessons/ and notebooks/).")
        return folder
    here = Path.cwd().resolve()
    installed_from = Path(__file__).resolve().parent.parent
    for folder in (here, *here.parents, installed_from):
        if (folder / BOOK_NAME).is_file():
            return folder
    raise CourseNotFound(f"No {BOOK_NAME} found in {here}, its parents, or {installed_from}. Run this from the "
                         f"course folder, or pass --course DIR (or set {ENV_VAR}).")
README_START = "<!-- lessons:start (generated from book.toml by `python3 course.py readme`) -->"
README_END = "<!-- lessons:end -->"


@dataclass
class Lesson:
    file: str          # the notebook, relative to the course folder
    title: str         # equals the notebook's first heading
    part: str
    objectives: list
    exercises: list = field(default_factory=list)
    root: Path = None  # the course folder (set by load_book)

    @property
    def path(self):
        return self.root / self.file

    @property
    def stem(self):
        return Path(self.file).stem

    @property
    def learner_file(self):
        """The learner version (solutions removed), relative to the repository root."""
        return f"learner/{Path(self.file).name}"

    @property
    def source(self):
        """The lesson's jupytext source, from which the notebook is built."""
        return self.root / "lessons" / (self.stem + ".py")


@dataclass
class Book:
    title: str
    description: str
    repository: str    # "owner/name" on GitHub, for Binder
    branch: str
    binder: str        # the BinderHub, e.g. https://mybinder.org
    lessons: list
    root: Path = None  # the folder holding book.toml
    release: bool = False  # a learner-only release (`course.py release`): learner versions, no solutions

    @property
    def has_placeholder_repository(self):
        return self.repository == PLACEHOLDER_REPOSITORY

    @property
    def learner_dir(self):
        return self.root / "learner"

    @property
    def site_dir(self):
        return self.root / "_build" / "site"

    @property
    def readme(self):
        return self.root / "README.md"

    def binder_url(self, path=None):
        """A Binder link opening JupyterLab, on `path` (relative to the repo root) if given (Binder's `labpath=`)."""
        url = f"{self.binder.rstrip('/')}/v2/gh/{self.repository}/{quote(self.branch, safe='')}"
        if path:
            url += "?labpath=" + quote(path, safe="/")
        return url

    def lesson(self, name):
        """The lesson whose file stem, file or title is `name` (or whose number prefix is `name`)."""
        for lesson in self.lessons:
            if name in (lesson.stem, lesson.file, lesson.title) or lesson.stem.split("_")[0] == name:
                return lesson
        raise KeyError(f"No lesson {name!r} in book.toml; lessons: {[l.stem for l in self.lessons]}")


def load_book(course=None):
    """Read the course's book.toml into a Book (see `find_course` for where it is looked for; a path to the
    file itself also works). Raises CourseNotFound, or ValueError naming what is malformed."""
    path = Path(course) if course is not None and Path(course).is_file() else find_course(course) / BOOK_NAME
    root = path.resolve().parent
    with open(path, "rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path}: not valid TOML ({err}).") from None
    try:
        course = data["course"]
        lessons = [Lesson(**entry, root=root) for entry in data.get("lessons", [])]
        return Book(
            title=course["title"], description=course["description"],
            repository=course["repository"], branch=course["branch"], binder=course["binder"],
            lessons=lessons, root=root, release=bool(course.get("release", False)),
        )
    except (KeyError, TypeError) as err:
        raise ValueError(f"{path}: malformed manifest ({err!r}).") from None


def readme_lessons(book=None):
    """The README's generated section: a Binder badge and one row per lesson.

    The Binder links open the learner versions (solutions removed); the solved lesson is
    one click away in the last column.
    """
    book = book or load_book()
    first = book.lessons[0].learner_file if book.lessons else None
    lines = [
        README_START,
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({book.binder_url(first)}) "
        "(opens the first lesson's learner version)",
        "",
        "| # | Lesson | Part | Exercises | Learner version | Solutions |",
        "|---|---|---|---|---|---|",
    ]
    for lesson in book.lessons:
        exercises = ", ".join(f"`{e}`" for e in lesson.exercises)
        lines.append(
            f"| {lesson.stem.split('_')[0]} | {lesson.title} | {lesson.part} | {exercises} | "
            f"[open in Binder]({book.binder_url(lesson.learner_file)}) | "
            f"[solved notebook]({lesson.file}) · [in Binder]({book.binder_url(lesson.file)}) |"
        )
    lines.append(README_END)
    return "\n".join(lines)


class PlaceholderRepository(ValueError):
    """book.toml still names the placeholder repository, so every Binder link would lead nowhere."""


def require_real_repository(book, what):
    """Raise PlaceholderRepository (a message saying how to fix it) if book.toml's repository is the placeholder."""
    if book.has_placeholder_repository:
        raise PlaceholderRepository(
            f"{what}: book.toml's repository is still the placeholder {PLACEHOLDER_REPOSITORY!r}, so every Binder "
            f"link would lead nowhere. Set [course] repository = \"OWNER/NAME\" (your GitHub repository) in "
            f"{book.root / BOOK_NAME}, or pass --allow-placeholder to write the links anyway.")


def update_readme(book=None, allow_placeholder=False):
    """Rewrite the generated section of the course's README from book.toml; return True if it changed.

    Refuses (PlaceholderRepository) while book.toml names the placeholder repository, unless allow_placeholder.
    """
    book = book or load_book()
    if not allow_placeholder:
        require_real_repository(book, "readme")
    readme = book.readme
    text = readme.read_text()
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    new = text[:start] + readme_lessons(book) + text[end:]
    if new != text:
        readme.write_text(new)
    return new != text
