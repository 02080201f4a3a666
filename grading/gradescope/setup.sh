#!/usr/bin/env bash
# Gradescope autograder setup: runs once when the autograder image is built.
# The autograder zip holds this repository (see grading/README.md); Gradescope unpacks it to /autograder/source.
set -euo pipefail
cd /autograder/source
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get update && apt-get install -y python3.11 python3.11-venv
    ln -sf "$(command -v python3.11)" /usr/local/bin/python3
fi
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet -e ".[grade]"
