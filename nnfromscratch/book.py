"""The course manifest, `book.toml`: lesson order, titles, objectives, exercises, Binder settings.

One source of truth: the README's lesson table, the Binder links and the tests
that keep notebooks and manifest in step all read it through `load_book()`.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BOOK_FILE = ROOT / "book.toml"
README_START = "<!-- lessons:start (generated from book.toml by `python3 course.py readme`) -->"
README_END = "<!-- lessons:end -->"


@dataclass
class Lesson:
    file: str          # the notebook, relative to the repository root
    title: str         # equals the notebook's first heading
    part: str
    objectives: list
    exercises: list = field(default_factory=list)

    @property
    def path(self):
        return ROOT / self.file

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
        return ROOT / "lessons" / (self.stem + ".py")


@dataclass
class Book:
    title: str
    description: str
    repository: str    # "owner/name" on GitHub, for Binder
    branch: str
    binder: str        # the BinderHub, e.g. https://mybinder.org
    lessons: list

    def binder_url(self, path=None):
        """A Binder link opening JupyterLab, on `path` (relative to the repo root) if given."""
        url = f"{self.binder.rstrip('/')}/v2/gh/{self.repository}/{quote(self.branch, safe='')}"
        if path:
            url += "?urlpath=" + quote(f"lab/tree/{path}", safe="")
        return url

    def lesson(self, name):
        """The lesson whose file stem, file or title is `name` (or whose number prefix is `name`)."""
        for lesson in self.lessons:
            if name in (lesson.stem, lesson.file, lesson.title) or lesson.stem.split("_")[0] == name:
                return lesson
        raise KeyError(f"No lesson {name!r} in book.toml; lessons: {[l.stem for l in self.lessons]}")


def load_book(path=BOOK_FILE):
    """Read book.toml into a Book (raises ValueError naming a missing key)."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    try:
        course = data["course"]
        lessons = [Lesson(**entry) for entry in data.get("lessons", [])]
        return Book(
            title=course["title"], description=course["description"],
            repository=course["repository"], branch=course["branch"], binder=course["binder"],
            lessons=lessons,
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


def update_readme(readme=ROOT / "README.md"):
    """Rewrite the generated section of the README from book.toml; return True if it changed."""
    text = readme.read_text()
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    new = text[:start] + readme_lessons() + text[end:]
    if new != text:
        readme.write_text(new)
    return new != text
