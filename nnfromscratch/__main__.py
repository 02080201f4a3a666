"""`python -m nnfromscratch COMMAND`: the course's command line, which lives with the tooling (nnfromscratch_tools.cli)."""

import sys

try:
    from nnfromscratch_tools.cli import main
except ImportError:  # a learner edition of the course (`course.py release`) ships the package without its tools
    sys.exit("python -m nnfromscratch: the course's command line (nnfromscratch_tools) is not installed here; it comes "
             "with the open course (pip install the course's repository, not its learner edition).")

sys.exit(main(prog="python -m nnfromscratch"))
