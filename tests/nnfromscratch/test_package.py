"""The package as a whole: its public surface (`import nnfromscratch as nn` gives Part I and Part II) and its
import graph (the learner's package never imports the tooling, except `python -m nnfromscratch`)."""

import ast
from pathlib import Path

import pytest

import nnfromscratch as nn

PACKAGE = Path(nn.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """Every module a file imports, anywhere in it (inside functions too), relative imports resolved;
    for `from M import n`, both M and M.n (n may be a submodule)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_the_package_under_test_is_this_checkouts():
    # tests/nnfromscratch (no __init__.py) must never shadow the package
    assert nn.__file__ and PACKAGE == Path(__file__).resolve().parents[2] / "nnfromscratch"


def test_part_one_and_part_two_names_are_public():
    part_one = ["sigmoid", "forward_prop", "mse", "output_grad", "sigmoid_grad", "weight_grad", "hidden_unit_grad",
                "para_update", "worked_example", "trace", "train", "numerical_gradient", "relative_error",
                "check_gradients"]
    part_two = ["tanh", "relu", "ACTIVATIONS", "dense_forward", "dense_backward", "softmax", "softmax_cross_entropy",
                "Network", "SGD", "Momentum", "RMSProp", "Adam", "Value", "INITS", "data", "autodiff", "original"]
    for name in part_one + part_two:
        assert name in nn.__all__ and hasattr(nn, name), name
    assert all(hasattr(nn, name) for name in nn.__all__)
    assert not [name for name in nn.__all__ if name.startswith("_")]


def test_the_check_cells_names_stay_importable():
    from nnfromscratch.checks import check, evaluate  # notebooks already in learners' hands import these

    assert callable(check) and callable(evaluate)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_of_the_package_imports_the_tooling(path):
    tooling = sorted(m for m in imports_of(path) if m.split(".")[0] == "nnfromscratch_tools")
    if path.relative_to(PACKAGE).as_posix() == "__main__.py":  # `python -m nnfromscratch` forwards to the CLI
        assert tooling
    else:
        assert not tooling, f"{module_name(path)} imports {tooling}"


def test_the_math_never_imports_the_visuals_or_the_exercises():
    for path in MODULES:
        # checks and yours are the learner's bridges to the exercises (a check cell; load_yours), not math
        if path.parent == PACKAGE and path.stem not in ("__init__", "__main__", "checks", "yours"):
            props = sorted(m for m in imports_of(path)
                           if m.startswith(("nnfromscratch.visuals", "nnfromscratch.exercises")))
            assert not props, f"{module_name(path)} imports {props}"


def test_the_import_helper_resolves_relative_imports():
    found = imports_of(PACKAGE / "example.py")
    assert {"nnfromscratch.layers", "nnfromscratch.layers.forward_prop", "numpy"} <= found
    assert "nnfromscratch_tools.cli" in imports_of(PACKAGE / "__main__.py")
