"""`python -m nnfromscratch_tools COMMAND`: the course's command line (see cli.py)."""

import sys

from .cli import main

sys.exit(main())
