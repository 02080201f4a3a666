"""The Gradescope autograder of one lesson: `python3 course.py gradescope 04` writes autograder_04.zip.

The zip holds Gradescope's two scripts at its top (setup.sh, run_autograder with the lesson fixed inside),
the package's source (nnfromscratch, nnfromscratch_tools, pyproject.toml) and book.toml: the grader needs
nothing else. No lesson, solved notebook or learner version goes in.
"""

import zipfile
from pathlib import Path

SHIPPED = ("pyproject.toml", "README.md", "book.toml", "LICENSE", "LICENSE-CONTENT")
PACKAGES = ("nnfromscratch", "nnfromscratch_tools")


def build_autograder(lesson, book, out="."):
    """Write autograder_NN.zip for `lesson` into folder `out`; return its path."""
    root = book.root
    scripts = root / "grading" / "gradescope"
    number = lesson.stem.split("_")[0]
    path = Path(out) / f"autograder_{number}.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        setup = zipfile.ZipInfo("setup.sh")
        setup.external_attr = 0o755 << 16
        zf.writestr(setup, (scripts / "setup.sh").read_text())
        run = zipfile.ZipInfo("run_autograder")
        run.external_attr = 0o755 << 16
        zf.writestr(run, (scripts / "run_autograder").read_text().replace("__LESSON__", lesson.stem))
        for name in SHIPPED:
            if (root / name).is_file():
                zf.write(root / name, name)
        for package in PACKAGES:
            for file in sorted((root / package).rglob("*")):
                if file.is_file() and "__pycache__" not in file.parts:
                    zf.write(file, str(file.relative_to(root)))
    return path
