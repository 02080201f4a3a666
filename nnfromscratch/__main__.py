"""`python -m nnfromscratch COMMAND`: the course's command line, which lives with the tooling (nnfromscratch_tools.cli)."""

import sys

from nnfromscratch_tools.cli import main

sys.exit(main(prog="python -m nnfromscratch"))
