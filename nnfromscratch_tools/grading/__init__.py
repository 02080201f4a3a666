"""The autograder. A submission is hostile code (grading/README.md has the threat model); this package:

    submission.py   reads it without trusting it: the file, the notebook, its lesson, the code to run
    strip.py        the package the sandbox sees: the graded lesson's references removed
    sandbox.py      bubblewrap around a plain Python process, with limits
    worker.py       the process inside: runs the solution cells, then calls the functions (runner.py)
    grade.py        one submission: fresh hidden inputs in, outcomes back, the same judge as check()
    folder.py       a class: in parallel, CSV and results written atomically as they arrive
    results.py      the result object and its views (results.json, CSV rows)
    report.py       the class report: pass rates and the mistakes to reteach
    gradescope.py   the per-lesson Gradescope autograder zip
"""

from .folder import find_submissions, grade_folder
from .grade import grade, safe_grade
from .results import ExerciseResult, SubmissionResult, write_results_json
from .sandbox import Limits, Sandbox, SandboxUnavailable

__all__ = ["grade", "safe_grade", "grade_folder", "find_submissions", "Limits", "Sandbox", "SandboxUnavailable",
           "SubmissionResult", "ExerciseResult", "write_results_json"]
