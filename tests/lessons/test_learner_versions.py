"""The learner versions (learner/*.ipynb): no solution survives, they are up to date, and they run with every
check saying 'not written yet'."""

import nbformat
import pytest

from nnfromscratch_tools.learner import STUB, learner_notebook, solution_lines
from nnfromscratch_tools.manifest import load_book

ROOT = load_book().root

BOOK = load_book()


def code_lines(nb):
    return {line.strip() for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines() if line.strip()}


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_no_line_of_any_solution_survives(lesson):
    solved = nbformat.read(lesson.path, as_version=4)
    learner = nbformat.read(ROOT / lesson.learner_file, as_version=4)
    solutions = [line for c in solved.cells if c.metadata.get("nbgrader", {}).get("solution")
                 for line in solution_lines(c.source)]
    assert solutions, "the lesson has solution cells"
    left = code_lines(learner) & set(solutions)
    assert not left, f"solution lines left in {lesson.learner_file}: {left}"
    assert not any("### BEGIN" in c.source or "### END" in c.source for c in learner.cells if c.cell_type == "code")


@pytest.mark.parametrize("lesson", BOOK.lessons, ids=lambda l: l.stem)
def test_learner_version_is_up_to_date_and_keeps_the_checks(lesson):
    solved = nbformat.read(lesson.path, as_version=4)
    stored = nbformat.read(ROOT / lesson.learner_file, as_version=4)
    assert stored == learner_notebook(solved, lesson.stem, lesson.file), "run `python3 course.py learner`"
    assert all(c.outputs == [] and c.execution_count is None for c in stored.cells if c.cell_type == "code")
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in stored.cells]
    for name in lesson.exercises:
        assert name in ids and f"check_{name}" in ids
        cell = next(c for c in stored.cells if c.metadata.get("nbgrader", {}).get("grade_id") == name)
        assert all(line in cell.source for line in STUB)


# Learner versions executed at once: kernel start is most of each one's time, and it waits as often as it computes.
AT_ONCE = 4


@pytest.mark.kernel
def test_learner_versions_run_and_every_check_says_not_written_yet():
    """Every learner version runs top to bottom in a fresh kernel (AT_ONCE notebooks at a time, in one event loop).

    The kernels listen on Unix sockets in a private folder: kernels started at the same moment on TCP can race
    for a port ("Address already in use")."""
    import asyncio
    import os
    import tempfile

    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    async def run(lesson, gate, sockets):
        nb = nbformat.read(ROOT / lesson.learner_file, as_version=4)
        async with gate:
            ipc = {"transport": "ipc", "ip": os.path.join(sockets, lesson.stem)} if os.name == "posix" else {}
            km = AsyncKernelManager(kernel_name="python3", **ipc)
            await NotebookClient(nb, km=km, timeout=60, resources={"metadata": {"path": str(ROOT / "learner")}}
                                 ).async_execute(cleanup_kc=True)  # shut the kernel down, as if the client owned it
        return nb

    async def run_all(sockets):
        gate = asyncio.Semaphore(AT_ONCE)
        return await asyncio.gather(*(run(lesson, gate, sockets) for lesson in BOOK.lessons), return_exceptions=True)

    with tempfile.TemporaryDirectory(prefix="nnfs-") as sockets:
        results = asyncio.run(run_all(sockets))
    failed = []
    for lesson, nb in zip(BOOK.lessons, results):
        if isinstance(nb, BaseException):
            failed.append(f"{lesson.learner_file} does not run: {type(nb).__name__}: {str(nb)[-1500:]}")
            continue
        checks = [c for c in nb.cells if str(c.metadata.get("nbgrader", {}).get("grade_id", "")).startswith("check_")]
        for cell in checks:
            text = "".join(o.get("text", "") for o in cell.outputs)
            if "not written yet" not in text:
                failed.append(f"{lesson.stem}: {text}")
    assert not failed, "\n".join(failed)
