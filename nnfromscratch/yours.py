"""Your own functions from earlier lessons, read from your saved notebooks, so that a later lesson can use them.

Each lesson is its own notebook with its own kernel, so a function you wrote in lesson 09 does not exist in
lesson 11. `load_yours` reads your notebooks from the folder you work in, runs what the grader runs of them
(their import lines, then your exercise cells, the ones between the solution markers
in the solved lessons), and checks each function you ask for with the same check as its check cell:

    yours = load_yours({"09_layers": ["dense_forward", "dense_backward"]})
    print(yours)              # one line per function: its check's verdict
    if yours.ready:           # every one of them passes its check
        H, cache = yours.dense_forward(W, b, X, "relu")

Nothing of the package replaces a function you have not written: a lesson using them says so and waits.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .checks import evaluate
from .exercises import cells, runner


@dataclass
class Yours:
    """The functions read from your notebooks (attributes by name) and the verdict of each one's check."""

    functions: dict = field(default_factory=dict)   # name -> your function (None when it could not be read)
    verdicts: dict = field(default_factory=dict)    # name -> (lesson, one-line verdict, passed)

    def __getattr__(self, name):
        functions = self.__dict__.get("functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError(f"no function {name!r} was loaded; load_yours was asked for {sorted(functions)}")

    @property
    def ready(self):
        """True when every function asked for was found and passes its check."""
        return bool(self.verdicts) and all(passed for _, _, passed in self.verdicts.values())

    def __str__(self):
        lines = [f"{'✅' if passed else '❌'} {name} (lesson {lesson}): {verdict}"
                 for name, (lesson, verdict, passed) in self.verdicts.items()]
        if not self.ready:
            lines.append("Write (or fix) these exercises in their lessons first, save those notebooks, "
                         "then run this cell again.")
        return "\n".join(lines)


def find_notebook(lesson, folder=None):
    """The path of your notebook for `lesson` (e.g. "09_layers"): in `folder` (default: the current folder, where
    Jupyter runs a notebook), or in a sibling folder named after the lesson (nbgrader's layout). None if absent."""
    folder = Path.cwd() if folder is None else Path(folder)
    for path in (folder / f"{lesson}.ipynb", folder.parent / lesson / f"{lesson}.ipynb"):
        if path.is_file():
            return path
    return None


def _read(path):
    """(namespace, problems): the notebook's import lines and solution cells run in a fresh namespace, as the grader
    runs them (`exercises.cells` chooses them, `exercises.runner.run_cells` runs them); problems maps a cell's
    name to why it could not be run."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = cells.code_cells(notebook)
    names = [str(c.nbgrader.get("grade_id")) for c in code if c.nbgrader.get("solution") is True]
    selected = cells.solution_cells(code, names)
    namespace = {"__name__": f"yours_{path.stem}"}
    errors = runner.run_cells(cells.import_statements(code, selected), [], namespace)
    for name in names:
        namespace.pop(name, None)  # an imported package function of that name is not yours
    errors += runner.run_cells([], selected, namespace)
    problems = {e["cell"]: f"your cell could not be run: {e['error'][0]}: {e['error'][1]}" for e in errors}
    return namespace, problems


def load_yours(wanted, folder=None):
    """Read and check the functions named in `wanted`, {lesson: [function names]}, from your notebooks.

    folder: where your notebooks are (default: the current folder). Returns a `Yours`: each function as an
    attribute, `ready` (all found and checked correct), and `str()` for one verdict line per function.
    Never raises for a missing notebook or for your code: that is in the verdicts.
    """
    yours = Yours()
    for lesson, names in wanted.items():
        path = find_notebook(lesson, folder)
        if path is None:
            for name in names:
                yours.functions[name] = None
                yours.verdicts[name] = (lesson, f"could not find {lesson}.ipynb in this folder; open this lesson "
                                                "from the folder that holds your other lessons.", False)
            continue
        namespace, problems = _read(path)
        for name in names:
            fn = namespace.get(name)
            yours.functions[name] = fn
            if name in problems:
                yours.verdicts[name] = (lesson, problems[name], False)
            elif fn is None:
                yours.verdicts[name] = (lesson, f"{path.name} has no exercise cell defining {name}.", False)
            else:
                result = evaluate(name, fn)
                verdict = (f"passes its check ({result.n_cases} inputs)" if result.passed
                           else result.message.split(": ", 1)[-1])
                yours.verdicts[name] = (lesson, verdict, result.passed)
    return yours
