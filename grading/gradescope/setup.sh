#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. Supported image: Ubuntu 22.04 or newer
# (choose it in the assignment's autograder settings). It installs bubblewrap (the grading sandbox),
# a Python of 3.11 or newer, and the course package with its `grade` extra into /autograder/venv.
set -euo pipefail
. /etc/os-release
major="${VERSION_ID%%.*}"
if [ "${ID:-}" != "ubuntu" ] || [ "${major:-0}" -lt 22 ]; then
    echo "This autograder needs an Ubuntu 22.04 or newer image; this is ${PRETTY_NAME:-an unknown system}." >&2
    echo "Choose Ubuntu 22.04 (or newer) in the Gradescope assignment's autograder settings." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq bubblewrap python3-venv >/dev/null
python=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get install -y -qq python3.11 python3.11-venv >/dev/null   # Ubuntu 22.04 ships 3.10 as python3
    python=python3.11
fi
"$python" -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet --upgrade pip
/autograder/venv/bin/pip install --quiet "/autograder/source[grade]"
/autograder/venv/bin/python -c "from nnfromscratch_tools.grading import Sandbox; print('grading sandbox:', Sandbox.available())"
