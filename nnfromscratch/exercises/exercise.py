"""What an exercise is: a reference, the inputs it is checked on, and the known mistakes with their hints.

Each exercise of the course is one `Exercise`, written as one unit in `part1.py`, `part2.py`, ...:
its input cases just above it, its mistakes inside it.
"""

import importlib
import re
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Mistake:
    """A known wrong variant of an exercise: what it is called, a one-line hint, and its code."""

    name: str
    hint: str
    fn: Callable


@dataclass
class Case:
    """One input for an exercise: a label for messages, and the positional arguments."""

    label: str
    args: tuple


@dataclass
class Exercise:
    """One exercise.

    name: the function the learner writes (and the nbgrader grade_id of its cell).
    signature: as the learner sees it, e.g. "hidden_unit_grad(W, delta)"; its parameter names label
    the arguments in messages ("it changed example.W1 in place").
    reference: the right answer, a function of the same arguments.
    cases: rng -> list of Case (the check cell uses seed 0; the grader draws fresh hidden ones).
    mistakes: the catalogue of known wrong variants, each with its hint.
    forbidden: package functions, as "module.function" inside nnfromscratch, that compute the same thing;
    the reference itself is added when it is a package function. The check refuses them and the
    grader removes them from the package its sandbox sees.
    returns: the names of the values of a tuple result, e.g. ("param", "velocity"), for messages.
    array_result: True when the result must be a numpy array (the learner computes with it, as in
    W - alpha * dW); False when a list of numbers is as good (train's list of losses).
    in_place_hint: said after the message that an argument was changed in place, when the exercise has
    its own way to avoid it (numerical_gradient: perturb a copy).
    """

    name: str
    signature: str
    reference: Callable
    cases: Callable
    mistakes: list = field(default_factory=list)
    forbidden: tuple = ()
    returns: tuple = ()
    array_result: bool = True
    probe: str = ""
    checked: tuple = ()
    defines: str = ""
    in_place_hint: str = ""

    def __post_init__(self):
        own = getattr(self.reference, "__module__", "") or ""
        qualname = getattr(self.reference, "__qualname__", "")
        names = list(self.forbidden)
        if own.startswith("nnfromscratch.") and "<" not in qualname:
            names.insert(0, f"{own[len('nnfromscratch.'):]}.{qualname}")
        self.forbidden = tuple(dict.fromkeys(names))

    @property
    def learner_name(self):
        """The name the learner's solution cell defines and the grader calls."""
        return self.defines or self.name

    def target(self, obj):
        """The function to run for the learner's (or the reference's, or a mistake's) `obj`: obj itself, or the
        probe applied to it."""
        if not self.probe:
            return obj
        from .runner import Formula

        return Formula(self.probe)(obj)

    @property
    def parameters(self):
        """The parameter names of the signature, e.g. ("W", "delta")."""
        inside = re.search(r"\((.*)\)", self.signature).group(1)
        return tuple(p.split("=")[0].strip() for p in inside.split(",") if p.strip())

    def answers_used_in(self, code, namespace=None):
        """The package's answers to this exercise that `code` (a source text, or its `cells.Facts` as the grader
        read them once) names as written, e.g. "nn.hidden_unit_grad", resolved to the very function objects
        (nn.tanh is not Value.tanh): through `namespace` (the learner's function's globals, as the check cell has
        them), else through the package's usual names (`nn`) and the code's own imports (the grader, which has
        only the text)."""
        from .cells import facts, name_chains, package_aliases

        code = facts(code)
        forbidden = [self.reference, *self.forbidden_functions()]
        aliases = package_aliases(code)
        used = []
        for chain in name_chains(code):
            root, attrs = chain[0], chain[1:]
            if namespace is not None and root in namespace:
                obj = _walk(namespace[root], attrs)
            elif root in aliases:
                obj = _resolve(".".join([aliases[root], *attrs]))
            else:
                continue
            if obj is not None and any(obj is f for f in forbidden):
                used.append(".".join(chain))
        return used

    def forbidden_functions(self):
        """The package's function objects named by `forbidden` (those that exist)."""
        found = []
        for qualified in self.forbidden:
            module, _, attr = qualified.rpartition(".")
            try:
                obj = importlib.import_module(f"nnfromscratch.{module}")
                for part in attr.split("."):
                    obj = getattr(obj, part)
            except (ImportError, AttributeError):
                continue
            found.append(obj)
        return found


def _walk(obj, attrs):
    """getattr along attrs, or None where an attribute is missing (never raises)."""
    try:
        for attr in attrs:
            obj = getattr(obj, attr)
    except Exception:  # noqa: BLE001 - a learner's object with a hostile __getattr__ is simply not the package's
        return None
    return obj


def _resolve(dotted):
    """The object a dotted name such as "nnfromscratch.layers.weight_grad" or "nnfromscratch.Value.tanh" names, or
    None."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attr in parts[split:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None
