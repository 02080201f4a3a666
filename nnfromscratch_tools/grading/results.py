"""A grade as one object, and its views: Gradescope's results.json, a CSV row, the class report's counts.

Every file is written atomically (a temporary file in the same folder, then a rename), so a reader
never sees half a file and a killed grader leaves the previous complete version.
"""

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExerciseResult:
    name: str
    max_score: float = 1.0
    score: float = 0.0
    message: str = ""
    mistake: str = ""        # the catalogued mistake (or failure kind) the verdict named, if any

    @property
    def passed(self):
        return self.score >= self.max_score > 0


@dataclass
class SubmissionResult:
    submission: str                      # how the submission is named in reports (a file name)
    lesson: str = ""                     # the lesson graded, e.g. 04_hidden_gradients
    exercises: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    sandbox: str = ""                    # "bubblewrap", or why the weaker isolation was used
    execution_time: float = 0.0
    sandbox_users: list = field(default_factory=list)   # the uids its sandboxes ran as (as root), for forensics

    @property
    def score(self):
        return round(sum(e.score for e in self.exercises), 6)

    @property
    def max_score(self):
        return round(sum(e.max_score for e in self.exercises), 6)

    def to_gradescope(self):
        """Gradescope's results.json: the score, one test per exercise with its message, and the notes."""
        return {
            "score": self.score,
            "execution_time": round(self.execution_time, 2),
            "output": "\n".join(self.notes),
            "stdout_visibility": "visible",
            "tests": [{"name": e.name, "score": e.score, "max_score": e.max_score,
                       "status": "passed" if e.passed else "failed", "output": e.message} for e in self.exercises],
            "extra_data": {"lesson": self.lesson, "sandbox": self.sandbox,
                           "mistakes": {e.name: e.mistake for e in self.exercises if e.mistake}},
        }

    def csv_row(self):
        row = {"submission": self.submission, "lesson": self.lesson, "score": self.score,
               "max_score": self.max_score}
        row.update({e.name: e.score for e in self.exercises})
        row["notes"] = " | ".join(self.notes)[:500]
        return row


def safe_text(value, limit=None):
    """Text that is valid UTF-8 and shows no control characters, whatever it came from: lone surrogates (odd file
    names) and control characters (escape sequences that would rewrite an instructor's terminal, newlines in a
    name) are escaped, e.g. \\x1b and \\n. limit: characters kept."""
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    text = "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)
    return text if limit is None else text[:limit]


def csv_cell(value):
    """A CSV cell a spreadsheet will not run as a formula, on one line."""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    quote = "'" if text.startswith(FORMULA_START) else ""
    return quote + safe_text(text)


def csv_text(rows):
    """The CSV of all rows: submission, lesson, score, max_score, one column per exercise, notes."""
    fixed = ["submission", "lesson", "score", "max_score"]
    exercises = []
    for row in rows:
        exercises += [k for k in row if k not in fixed + ["notes"] and k not in exercises]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fixed + exercises + ["notes"], restval="", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def write_atomically(path, text):
    """Replace the file at `path` with `text` in one step (temporary file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text.encode("utf-8", "backslashreplace").decode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_results_json(path, result):
    write_atomically(path, json.dumps(result.to_gradescope(), indent=2, ensure_ascii=False))
