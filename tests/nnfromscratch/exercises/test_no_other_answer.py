"""No function of the package that stays callable while an exercise is graded computes that exercise's answer.

The grader's sandbox gives the learner a copy of the package in which the exercise's reference and its `forbidden`
functions raise (nnfromscratch_tools/grading/strip.py rewrites their bodies, so everything built on them fails
too). This search rebuilds that package in process, the same way: the code of each forbidden function object is
swapped for one that raises, wherever the function is reached from (module attribute, import, registry, class).
Then every other function, class and method of the package (private ones too: the learner can reach them) is
called on the exercise's inputs:

- with the case's arguments in every order, every subset whose size fits the function's signature (only the given
  order where that makes more than 720 orders: 6 or 7 of train_epoch's 7 arguments);
- by name, where its parameters share names with the exercise's (`train_with_loss(example=..., alpha=...,
  steps=...)`, its other parameters left at their defaults);
- each of those with the arrays as nested lists of the engine's Values (`autodiff.values`) and Values in the
  result read back as numbers, where the arguments hold at most 200 numbers;
- for an exercise checked through a probe (a class or a method), once, through the probe;

and its result, or one item or field of it (`.loss` of a training run, `[0]` of a pair), judged by the one judge on
the visible inputs and on fresh hidden ones. None may pass. A candidate is judged in full only when it is right on
the first input (`judge._problem`, the judge's own test of one input), which keeps the search to a few seconds.

Found by this search, and now forbidden: losses.binary_cross_entropy_grad (output_grad for one example),
optimizers.descend (para_update's body), slowdown.train_with_loss(...).loss (train) and autodiff.dense on Values
(forward_prop). Forbidden by hand, beyond what a direct call finds: autodiff.dense with W.T (forward_in_out) and
example._step (train's step, twelve arguments). Found and allowed: `ALLOWED` below.
"""

import contextlib
import copy
import importlib
import inspect
import io
import itertools
import math
import pkgutil
import types
import warnings

import numpy as np
import pytest

import nnfromscratch
from nnfromscratch import autodiff
from nnfromscratch.exercises import EXERCISES, cases_for, judge, runner
from nnfromscratch.exercises.exercise import Case

pytestmark = pytest.mark.slow

# Not searched: the grader stubs `checks` and does not copy `exercises`; `yours` reads the learner's notebooks from
# disk, `data.load_mnist` downloads, `data.read_idx` and `data._md5` open a path (and, given a number, a file
# descriptor: open(1) closes stdout when it is collected); none computes from arrays. `__main__` forwards the
# command line; the figures and sliders of `visuals` return figures and widgets.
SKIPPED_MODULES = ("nnfromscratch.__main__", "nnfromscratch.checks", "nnfromscratch.exercises", "nnfromscratch.yours",
                   "nnfromscratch.visuals")
SKIPPED = ("nnfromscratch.data.load_mnist", "nnfromscratch.data.read_idx", "nnfromscratch.data._md5")
LIMIT = 1.0  # seconds per call: the answers are instant, a long training run is not one
# Found, and allowed: the function is the answer's one operator, not a computation of it.
ALLOWED = {
    "nnfromscratch.autodiff.Value.__sub__": "Value.__sub__(yhat, y) on arrays runs self + (-other), numpy's yhat - y: "
                                            "the formula itself (output_grad, binary_cross_entropy_grad)",
}
MAX_ORDERS = 720  # orders tried of k of the n arguments; beyond (k of 7), only the given order (and by name)
MAX_VALUES = 200  # numbers in the arguments up to which they are also tried as Values (a Value per number is slow)


def _ours(obj):
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("nnfromscratch") and not module.startswith(SKIPPED_MODULES)


def package_callables():
    """{id: (qualified name, object)}: every function, class and method defined in the package's searched modules,
    with the functions held in module-level registries (dicts, lists, tuples and the objects in them)."""
    found = {}

    def add(name, obj):
        if callable(obj) and _ours(obj) and id(obj) not in found and f"{obj.__module__}.{name}" not in SKIPPED:
            found[id(obj)] = (f"{obj.__module__}.{name}", obj)
            return True
        return False

    for info in pkgutil.walk_packages(nnfromscratch.__path__, "nnfromscratch."):
        if info.name.startswith(SKIPPED_MODULES):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if isinstance(obj, type):
                if add(name, obj):
                    for attr, member in vars(obj).items():
                        if isinstance(member, (staticmethod, classmethod)):
                            member = getattr(obj, attr)
                        if isinstance(member, (types.FunctionType, types.MethodType)):
                            add(f"{name}.{attr}", member)
            elif isinstance(obj, (dict, list, tuple)):
                items = obj.values() if isinstance(obj, dict) else obj
                for i, item in enumerate(items):
                    for j, inner in enumerate([item, *vars(item).values()] if hasattr(item, "__dict__") else [item]):
                        if isinstance(inner, types.FunctionType):
                            add(f"{name}[{i}].{j}", inner)
            elif not name.startswith("__"):
                add(name, obj)
    return found


def _unavailable(*args, **kwargs):
    raise RuntimeError("the reference is not available while grading")


@contextlib.contextmanager
def stripped(exercise):
    """The package as the exercise's sandbox has it: the reference and the forbidden functions raise."""
    functions = [f for f in [exercise.reference, *exercise.forbidden_functions()] if isinstance(f, types.FunctionType)
                 and _ours(f)]
    saved = [(f, f.__code__) for f in dict.fromkeys(functions)]
    assert all(f.__closure__ is None for f, _ in saved), "a forbidden function with a closure: stub it another way"
    try:
        for f, _ in saved:
            f.__code__ = _unavailable.__code__
        yield {id(f) for f, _ in saved}
    finally:
        for f, code in saved:
            f.__code__ = code


# --- calling a candidate -----------------------------------------------------------------------------------------

def _as_values(value):
    return autodiff.values(value) if isinstance(value, np.ndarray) and value.dtype.kind == "f" else value


def _from_values(value):
    if isinstance(value, autodiff.Value):
        return value.data
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (autodiff.Value, list, tuple)) for v in value):
        return np.array([_from_values(v) for v in value], dtype=float)
    return value


def _positions(fn, n):
    """The argument counts fn accepts positionally (every count up to n when its signature is unknown)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return range(1, n + 1)
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(1 for p in positional if p.default is p.empty)
    most = n if any(p.kind == p.VAR_POSITIONAL for p in parameters) else len(positional)
    return range(max(required, 1), min(most, n) + 1)


def _keywords(fn, names):
    """The exercise's parameter names that fn has (when it has every required one among them), else ()."""
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return ()
    shared = tuple(name for name in names if name in parameters)
    required = {n for n, p in parameters.items() if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL,
                                                                                            p.VAR_KEYWORD)}
    return shared if shared and required <= set(shared) else ()


def variants(exercise, fn, n, small):
    """(label, function of the case's arguments) for every way of calling fn on an exercise's n arguments (as
    Values too when they are `small`)."""
    if exercise.probe:
        yield "through the probe", exercise.target(fn)
        return
    orders = [order for k in _positions(fn, n)
              for order in (itertools.permutations(range(n), k) if math.perm(n, k) <= MAX_ORDERS else [range(k)])]
    calls = [(f"args {list(order)}", lambda args, order=order: fn(*[args[i] for i in order])) for order in orders]
    names = _keywords(fn, exercise.parameters[:n])
    if names:
        index = {name: exercise.parameters.index(name) for name in names}
        calls.append((f"by name {list(names)}", lambda args: fn(**{name: args[i] for name, i in index.items()})))
    for label, call in calls:
        yield label, lambda *args, call=call: call(args)
        if small:
            yield label + " as Values", lambda *args, call=call: _from_values(call([_as_values(a) for a in args]))


def projections(value):
    """(label, function) for the result and each item or field of it."""
    yield "", lambda v: v
    if isinstance(value, (tuple, list)) and 0 < len(value) <= runner.MAX_ITEMS:
        for i in range(len(value)):
            yield f"[{i}]", lambda v, i=i: v[i]
    elif hasattr(value, "__dict__") and not callable(value):
        for attr in list(vars(value))[:40]:
            yield f".{attr}", lambda v, attr=attr: getattr(v, attr)


def _raw(fn, args):
    """fn(*copies of args) within the time limit, or None when it raised."""
    try:
        with runner.time_limit(LIMIT), np.errstate(all="ignore"), warnings.catch_warnings(), \
                contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return True, fn(*copy.deepcopy(tuple(args)))
    except runner.CallTimeout:
        return False, None
    except Exception:  # noqa: BLE001 - a candidate that cannot take these arguments
        return False, None


def search(exercise, hidden_seed=2024):
    """The candidates that the judge passes on the visible and hidden inputs: [(name, how it was called)]."""
    cases = cases_for(exercise.name, 0) + [Case("hidden input: " + c.label, c.args)
                                           for c in cases_for(exercise.name, np.random.default_rng(hidden_seed))]
    first = cases[0]
    expected = runner.call(exercise.target(exercise.reference), first.args, limit=60)
    assert expected.status == "ok", expected
    candidates = package_callables()
    small = sum(a.size for _, a in runner._leaves(first.args)) <= MAX_VALUES
    right_on_first = []
    with stripped(exercise) as stubbed:
        for name, obj in candidates.values():
            if id(obj) in stubbed:
                continue
            for label, fn in variants(exercise, obj, len(first.args), small):
                ok, value = _raw(fn, first.args)
                if not ok:
                    continue
                for part, project in projections(value):
                    try:
                        described = runner.describe(project(value))
                    except Exception:  # noqa: BLE001 - a property that raises
                        continue
                    if judge._problem(exercise, first, runner.Outcome("ok", value=described), expected) is None:
                        right_on_first.append((f"{name}{part}", label,
                                               lambda *a, fn=fn, project=project: project(fn(*a))))
        with contextlib.redirect_stdout(io.StringIO()):
            outcomes = {(name, label): [runner.call(fn, case.args, limit=LIMIT) for case in cases]
                        for name, label, fn in right_on_first}
    return [key for key, outs in outcomes.items() if judge.judge(exercise, cases, outs).passed]


# Each exercise's forbidden list before this search, and a call it then found.
BEFORE = {
    "output_grad": (("losses.output_grad",), ("nnfromscratch.losses.binary_cross_entropy_grad", "args [0, 1]")),
    "forward_prop": (("layers.forward_prop",), ("nnfromscratch.autodiff.dense", "args [0, 1, 2] as Values")),
    "para_update": (("optimizers.para_update", "optimizers.SGD.step", "optimizers.momentum_update"),
                    ("nnfromscratch.optimizers.descend", "args [0, 1, 2]")),
    "train": (("example.train", "example.trace"),
              ("nnfromscratch.slowdown.train_with_loss.loss", "by name ['example', 'alpha', 'steps']")),
}


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_the_search_finds_the_answers_it_found_before_they_were_forbidden(name):
    """The search works: with the exercise's forbidden list as it was, it finds the package's other answer."""
    exercise = copy.copy(EXERCISES[name])
    exercise.forbidden, found = BEFORE[name]
    assert found in search(exercise)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_no_other_package_function_computes_the_answer(name):
    assert [(found, how) for found, how in search(EXERCISES[name]) if found not in ALLOWED] == []
