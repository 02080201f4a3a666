"""nbgrader scores the lessons right: a real nbgrader (its own environment, .venv-nbgrader, made by
`course.py test`) generates the assignments, autogrades a solved, a wrong and an untouched submission of two
lessons, and its gradebook says 1 / 0 / 0 for every exercise; `nbgrader validate` fails wrong work."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from nnfromscratch_tools.manifest import load_book

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

BOOK = load_book()
PYTHON = os.environ.get("NNFS_NBGRADER_PYTHON")
# Two lessons; for each exercise a catalogued wrong answer.
LESSONS = {
    "04": {"hidden_unit_grad": "def hidden_unit_grad(W, delta):\n    return W @ delta\n"},
    "03": {"sigmoid_grad": "def sigmoid_grad(h, upstream):\n    return upstream\n",
           "weight_grad": "import numpy as np\ndef weight_grad(x_in, delta):\n    return np.outer(x_in, delta)\n"},
}
GRADES = """
import json, sys
from nbgrader.api import Gradebook
out = {}
with Gradebook(sys.argv[1]) as gb:
    for assignment in gb.assignments:
        for submission in gb.assignment_submissions(assignment.name):
            for nb in submission.notebooks:
                for grade in nb.grades:
                    out.setdefault(submission.student_id, {})[grade.name] = grade.score
print(json.dumps(out))
"""


def nbgrader(course, *args):
    bin_dir = str(Path(PYTHON).parent)  # nbgrader runs `alembic` from its own environment's PATH
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    env.pop("NBGRADER_EXECUTION", None)
    done = subprocess.run([str(Path(bin_dir) / "nbgrader"), *args], cwd=course, capture_output=True, text=True,
                          timeout=300, env=env)
    return done.stdout + done.stderr


@pytest.mark.skipif(not PYTHON, reason="no nbgrader environment: run the suite with `python3 course.py test`")
def test_nbgrader_autograde_scores_solved_wrong_and_untouched_1_0_0(tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'nnfs'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course}/gradebook.db'\nc.Execute.timeout = 120\n")
    for number, wrong in LESSONS.items():
        lesson = BOOK.lesson(number)
        folder = course / "source" / f"ps{number}"
        folder.mkdir()
        shutil.copy(lesson.path, folder / lesson.path.name)
        log = nbgrader(course, "generate_assignment", f"ps{number}", "--force")
        released = course / "release" / f"ps{number}" / lesson.path.name
        assert released.exists(), log
        solved = nbformat.read(lesson.path, as_version=4)
        broken = nbformat.read(lesson.path, as_version=4)
        for cell in broken.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in wrong:
                cell.source = wrong[gid]
        for student, nb in (("solved", solved), ("wrong", broken), ("untouched", nbformat.read(released, as_version=4))):
            target = course / "submitted" / student / f"ps{number}"
            target.mkdir(parents=True)
            nbformat.write(nb, target / lesson.path.name)
        log = nbgrader(course, "autograde", f"ps{number}", "--force")
        assert "Error" not in log.replace("ErrorS", ""), log[-2000:]
    grades = json.loads(subprocess.run([PYTHON, "-c", GRADES, f"sqlite:///{course}/gradebook.db"],
                                       capture_output=True, text=True, check=True).stdout)
    for number, wrong in LESSONS.items():
        for exercise in BOOK.lesson(number).exercises:
            check = f"check_{exercise}"
            assert (grades["solved"][check], grades["wrong"][check], grades["untouched"][check]) == (1, 0, 0), \
                (exercise, grades)
    log = nbgrader(course, "export", "--to", str(tmp_path / "grades.csv"))
    rows = (tmp_path / "grades.csv").read_text().splitlines()
    assert any(r.startswith("ps04,,,solved,") and r.endswith(",1.0,1.0") for r in rows), rows
    assert any(r.startswith("ps03,,,wrong,") and ",0.0,2.0" in r for r in rows), rows
    # nbgrader validate: the learner's own check before submitting
    wrong = course / "submitted" / "wrong" / "ps04" / BOOK.lesson("04").path.name
    solved = course / "submitted" / "solved" / "ps04" / BOOK.lesson("04").path.name
    assert "VALIDATION FAILED" in nbgrader(course, "validate", str(wrong))
    assert "Success! Your notebook passes all the tests." in nbgrader(course, "validate", str(solved))
