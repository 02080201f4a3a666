#!/usr/bin/env python3
"""Prepare the environment a command needs, then run it. Only three commands are this script's own:

    python3 course.py lab [--here]   open the course in JupyterLab on the first lesson's learner version (.venv;
                                     --here: the Python running this script, e.g. an activated conda environment)
    python3 course.py test [ARGS]    run every test and notebook check (environment .venv-test)
    python3 course.py book           build the website into _build/site/ (the `book` extra: .venv-test if it is
                                     up to date, else .venv-book)

Every other command belongs to the course's command line (nnfromscratch_tools/cli.py), which this
script runs inside .venv-test from the folder you call it from, e.g.

    python3 course.py execute [NAME]             rebuild lessons from lessons/*.py and store real outputs
    python3 course.py release DIR --repository OWNER/NAME    a learner-only copy of the course, no solutions
    python3 course.py grade SUB.ipynb --results results.json
    python3 course.py --help                     the full list

An environment is reinstalled only when pyproject.toml changes (a hash is kept
inside it). The test environment has no JupyterLab, which keeps the suite fast.
JupyterLab runs with the course's defaults from jupyter-config/ (see jupyter-config/README.md).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NBGRADER = "nbgrader==0.9.6"  # the tests run a real nbgrader round trip in an environment of its own
# Each environment: its folder and what pip installs into it.
ENVS = {"lab": (ROOT / ".venv", ["-e", f"{ROOT}[lab]"]), "test": (ROOT / ".venv-test", ["-e", f"{ROOT}[test]"]),
        "book": (ROOT / ".venv-book", ["-e", f"{ROOT}[book]"]),
        "nbgrader": (ROOT / ".venv-nbgrader", [NBGRADER, "-e", str(ROOT)])}
JUPYTER_CONFIG = ROOT / "jupyter-config"  # JupyterLab defaults for the course (commsOverSubshells disabled)


def python_in(env):
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _stamp(kind):
    env, requirements = ENVS[kind]
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + " ".join(requirements).encode()).hexdigest()
    return env / ".course-stamp", digest


def env_is_current(kind):
    """Whether the `kind` environment exists and was installed from the current pyproject.toml."""
    stamp, wanted = _stamp(kind)
    return python_in(ENVS[kind][0]).exists() and stamp.exists() and stamp.read_text() == wanted


def ensure_env(kind):
    """Create the environment if needed and install what it needs (the package with an extra); return its python."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}. Run course.py with python3.11+.")
    env, requirements = ENVS[kind]
    python = python_in(env)
    stamp, wanted = _stamp(kind)
    if env_is_current(kind):
        return python
    if not python.exists():
        print(f"Creating {env.name} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    print(f"Installing {' '.join(requirements)} into {env.name} (once; again only when pyproject.toml changes) ...",
          flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
                   check=True)
    stamp.write_text(wanted)
    return python


CHROMIUM = Path("/usr/bin/chromium")


def ensure_browser():
    """Debian's Chromium, for the tests that drive JupyterLab and the website in a real browser.

    On CI (CI set, root, apt-get present) it is installed from Debian's packages; elsewhere it
    is used if present, and the browser tests skip with the reason if not.
    """
    if CHROMIUM.exists():
        return True
    if os.environ.get("CI") and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's chromium for the browser tests ...", flush=True)
        subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
                       shell=True, check=False)
    return CHROMIUM.exists()


def ensure_bubblewrap():
    """Debian's bubblewrap, the grader's sandbox: installed with apt-get when this runs as root on a Debian or
    Ubuntu machine (a CI machine, a container); elsewhere used if present (the grading tests say whether the
    sandbox was active, and grading without it says so loudly)."""
    if shutil.which("bwrap"):
        return True
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's bubblewrap for the grading sandbox ...", flush=True)
        subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap",
                       shell=True, check=False)
    return bool(shutil.which("bwrap"))


def jupyter_environment(base=None):
    """`base` (default: this process's environment) with the course's JupyterLab defaults on JUPYTER_CONFIG_PATH."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_CONFIG), env.get("JUPYTER_CONFIG_PATH")) if p)
    return env


def first_lesson():
    """The learner version of the first lesson in book.toml (as the Binder links open)."""
    import tomllib
    with open(ROOT / "book.toml", "rb") as fh:
        return "learner/" + Path(tomllib.load(fh)["lessons"][0]["file"]).name


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command != "lab" and not (ROOT / "nnfromscratch_tools").is_dir():
        print(f"`{command}` is not part of this learner edition of the course (it has no tests or tools); "
              "`python3 course.py lab` opens the lessons.", file=sys.stderr)
        return 2
    if command == "lab":
        if "--here" in rest:  # e.g. an activated conda environment made from environment.yml
            rest = [a for a in rest if a != "--here"]
            python = Path(sys.executable)
            if subprocess.run([str(python), "-c", "import jupyterlab, nnfromscratch"], capture_output=True).returncode:
                sys.exit(f"course.py lab --here: {python} lacks JupyterLab or the nnfromscratch package; activate "
                         "the course's conda environment first (conda env create -f environment.yml, then "
                         "conda activate nnfromscratch), or run `python3 course.py lab` without --here.")
        else:
            python = ensure_env("lab")
        # Serve the whole repository, open on the first lesson (the same path as the Binder links).
        args = ["-m", "jupyterlab", f"--ServerApp.root_dir={ROOT}",
                f"--LabApp.default_url=/lab/tree/{first_lesson()}", *rest]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root; Jupyter refuses by default
            args.append("--ServerApp.allow_root=True")
    elif command == "book":  # the website needs only the `book` extra, which the test environment includes
        python = python_in(ENVS["test"][0]) if env_is_current("test") else ensure_env("book")
        return subprocess.run([str(python), "-m", "nnfromscratch_tools", *argv]).returncode
    elif command == "test":
        python = ensure_env("test")
        env = dict(os.environ)
        if ensure_browser():  # the browser tests run JupyterLab from the learner's environment
            env["NNFS_LAB_PYTHON"] = str(ensure_env("lab"))
        ensure_bubblewrap()
        env["NNFS_NBGRADER_PYTHON"] = str(ensure_env("nbgrader"))
        return subprocess.run([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env).returncode
    else:  # the course's command line; paths stay relative to the caller's folder
        python = ensure_env("test")
        return subprocess.run([str(python), "-m", "nnfromscratch_tools", *argv]).returncode
    return subprocess.run([str(python), *args], cwd=ROOT, env=jupyter_environment()).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
