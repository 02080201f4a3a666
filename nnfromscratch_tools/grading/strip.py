"""The package a graded submission can import: a copy of nnfromscratch without the lesson's references.

For the exercises being graded, every package function that computes the answer (the exercise's
reference and its `forbidden` list: the layer functions, `trace`, the optimiser classes' steps, ...)
has its body replaced by `raise ReferenceUnavailable(...)`. Everything built on them (the network's
backward pass, `original`'s correct half, the autodiff engine's activations, the registry entries)
calls the stub and fails the same way, so reference use scores 0 by construction, not by pattern.
The exercise catalogue (references, mistakes, cases) and the checks are not copied at all.

The copy is made from the package's source files, rewritten with `ast`; nothing of the originals is
reachable from inside the sandbox. Only an allowlist is copied: the importable modules (.py files whose every
path part is an identifier) and the data files the package declares (PACKAGE_DATA). Whatever else lies in the
grader's checkout (JupyterLab's .ipynb_checkpoints/layers-checkpoint.py, layers.py.orig from a merge, an
editor's layers.py~, compiled .pyc files) would hold the references unstubbed, and is left out.
"""

import ast
import fnmatch
import os
import shutil
from pathlib import Path

import nnfromscratch

GRADING_MODULE = '''"""Present only in the grader's copy of the package."""


class ReferenceUnavailable(RuntimeError):
    """Raised by the package's functions that would solve an exercise being graded."""
'''

CHECKS_STUB = '''"""The checks run outside the sandbox while grading: check() here does nothing."""


def check(name, fn):
    """While grading, the grader checks every exercise itself, outside the sandbox."""


def evaluate(name, fn, seed=0):
    raise RuntimeError("the checks are not available while grading")
'''

MESSAGE = ("the reference is not available while grading: nnfromscratch.{name} computes an exercise's answer; "
           "write it yourself")


class _Stubber(ast.NodeTransformer):
    """Replace the body of every function whose qualified name (module.Class.function) is in `names`."""

    def __init__(self, module, names):
        self.module, self.names, self.stack, self.found = module, names, [], set()

    def _visit_function(self, node):
        qualified = ".".join([self.module, *self.stack, node.name])
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()
        if qualified in self.names:
            self.found.add(qualified)
            message = ast.Constant(MESSAGE.format(name=qualified))
            error = ast.Call(ast.Attribute(ast.Call(ast.Name("__import__", ast.Load()),
                                                    [ast.Constant("nnfromscratch._grading")],
                                                    [ast.keyword("fromlist", ast.List([ast.Constant("x")],
                                                                                      ast.Load()))]),
                                           "ReferenceUnavailable", ast.Load()), [message], [])
            node.body = [ast.Raise(error, None)]
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def visit_ClassDef(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()
        return node


# The package's data files, {folder inside the package: file name patterns}: as pyproject.toml's
# [tool.setuptools.package-data] declares them (a test keeps the two the same).
PACKAGE_DATA = {"data": ("*.csv.gz", "README.md")}


def copied_files(source):
    """The package's files the grader's copy holds, as paths relative to the package folder `source`, sorted: every
    importable module (each part of its path an identifier, ending in .py) and the declared data files, outside
    the exercise catalogue (never copied)."""
    source, found = Path(source), []
    for directory, subdirs, files in os.walk(source):
        here = Path(directory).relative_to(source)
        subdirs[:] = [d for d in subdirs if d.isidentifier() and d != "__pycache__"
                      and not (here == Path(".") and d == "exercises")]
        patterns = PACKAGE_DATA.get(here.as_posix(), ())
        for name in files:
            stem, dot, suffix = name.rpartition(".")
            if (dot and suffix == "py" and stem.isidentifier()) or any(fnmatch.fnmatchcase(name, p) for p in patterns):
                found.append(here / name)
    return sorted(found)


def forbidden_for(exercises):
    """The qualified names ("layers.hidden_unit_grad") to remove when grading these exercises."""
    return {name for exercise in exercises for name in exercise.forbidden}


def build_stripped_package(destination, exercises):
    """Write the grader's copy of nnfromscratch into `destination`/nnfromscratch; return the names removed.

    Raises RuntimeError if a forbidden name is not found in the source (so a renamed function can never
    silently stay available)."""
    source = Path(nnfromscratch.__file__).resolve().parent
    target = Path(destination) / "nnfromscratch"
    names = forbidden_for(exercises)
    found = set()
    for relative in copied_files(source):
        path, out = source / relative, target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".py":
            shutil.copyfile(path, out)
            continue
        module = ".".join(relative.with_suffix("").parts)
        module = module[: -len(".__init__")] if module.endswith(".__init__") else module
        if module == "checks":
            out.write_text(CHECKS_STUB)
            continue
        stubber = _Stubber(module, names)
        tree = stubber.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found |= stubber.found
        out.write_text(ast.unparse(ast.fix_missing_locations(tree)) + "\n", encoding="utf-8")
    (target / "_grading.py").write_text(GRADING_MODULE)
    missing = names - found
    if missing:
        raise RuntimeError(f"the grader could not find {sorted(missing)} in nnfromscratch to remove them")
    return sorted(names)
