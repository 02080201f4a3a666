"""The course's tooling, for maintainers and instructors: never imported by a lesson or by the learner's package.

    manifest.py   book.toml: lesson order, titles, exercises, Binder settings; every derived path
    build.py      lessons/*.py -> notebooks/*.ipynb, executed for real (nbclient)
    learner.py    learner versions: solutions replaced by stubs, outputs cleared
    site.py       the static website
    release.py    a learner-only edition of the course (no solutions), for a graded class
    grading.py    the autograder (one submission, or a folder of them)
    cli.py        the one command line: `nnfromscratch COMMAND` (or `python -m nnfromscratch COMMAND`)
"""
