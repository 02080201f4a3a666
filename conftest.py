"""Root pytest configuration, found from any folder inside the repository.

- tests/ mirrors the layout: tests/nnfromscratch/ (the learner's package, with exercises/ and visuals/),
  tests/tools/ (nnfromscratch_tools), tests/lessons/ (the lessons as files: manifest, notebooks, learner
  versions, browser), and tests/test_repository.py (the root files). tests/oracles.py, the one shared
  oracle module, is importable from every test folder (`from oracles import central_diff`).
- Markers (declared in pyproject.toml): `slow`, `kernel` (every nbval notebook item is marked here, the
  other tests in their modules; a test that starts a kernel without the marker fails, see
  `refuse_unmarked_kernels`) and `browser`. The quick run:
  `python3 course.py test -m "not slow and not kernel and not browser"`.
- The suite runs on two pytest-xdist workers (pyproject.toml: -n 2 --dist loadscope, scheduled by
  `pytest_xdist_make_scheduler` below); `-n 0` runs it in one process.
- nbval opens its sanitize file relative to the current directory, so it is set here, by absolute
  path, unless given on the command line.
"""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

TESTS = Path(__file__).resolve().parent / "tests"
SANITIZE = TESTS / "nbval_sanitize.cfg"
if str(TESTS) not in sys.path:
    sys.path.append(str(TESTS))  # appended: it must never shadow the package (tests/nnfromscratch is no package)

# Property tests: reproducible examples (the same on every run and machine), no per-example deadline.
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")


def pytest_configure(config):
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE)


def pytest_collection_modifyitems(config, items):
    """Every cell of a notebook checked by nbval runs in the notebook's kernel: mark it `kernel`."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.kernel)


# Modules whose tests are independent of each other and long enough to be worth spreading over the workers.
SPREAD = ("tests/tools/test_grading.py",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's `--dist loadscope` (pyproject.toml), with one exception. A scope goes to one worker whole:
    a notebook (nbval runs its cells in order in one kernel), a test module (its module-scoped fixtures, such as
    the website built once or JupyterLab started once, are made once). The tests of a module in SPREAD go to
    whichever worker is free, one by one. (`_split_scope` is how xdist's own LoadFileScheduling customises it.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return nodeid if nodeid.startswith(SPREAD) else super()._split_scope(nodeid)
    return Scheduling(config, log)


@pytest.fixture(autouse=True)
def refuse_unmarked_kernels(request, monkeypatch):
    """A test without the `kernel` marker that starts a Jupyter kernel in this process fails, naming the marker:
    so `-m "not kernel"` really runs no kernel. (Kernels started by a subprocess of the test are not seen here:
    the tests that run the command line are marked by hand.)"""
    try:
        from jupyter_client.provisioning.local_provisioner import LocalProvisioner
    except ImportError:  # no Jupyter in this environment: nothing can start a kernel
        LocalProvisioner = None
    if LocalProvisioner is None or request.node.get_closest_marker("kernel") is not None:
        yield
        return

    async def refuse(self, cmd, **kwargs):
        raise RuntimeError(f"{request.node.nodeid} starts a Jupyter kernel: mark it @pytest.mark.kernel")
    monkeypatch.setattr(LocalProvisioner, "launch_kernel", refuse)
    yield


def pytest_sessionfinish(session, exitstatus):
    """Remove the grader's stripped copies of the package made in this process: an xdist worker ends without
    running atexit, so grade.py's own clean-up would leave one folder per exercise in /tmp per run."""
    grade = sys.modules.get("nnfromscratch_tools.grading.grade")
    if grade is not None:
        grade._cleanup()
