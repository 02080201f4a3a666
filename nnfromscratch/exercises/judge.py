"""The verdict on a learner's function, from what it did on each input (`runner.Outcome`s).

The same judge serves the check cell (outcomes computed in the learner's kernel) and the grader
(outcomes computed in its sandbox and sent back as plain data), so both say the same thing. The
verdict, in order:

- it timed out, is not written yet, or changed an argument in place (named: "example.W1");
- correct on every input: numbers within rtol 1e-6, the expected shape, a numpy array where the
  learner will compute with the result, a float dtype where the answer has fractions;
- it matches a catalogued mistake: its name and hint;
- otherwise the first problem: an exception, a wrong shape, a Python list, or the first wrong
  entry beside its expected value, each value of a tuple result named ("velocity").
"""

from dataclasses import dataclass

import numpy as np

from . import runner

RTOL, ATOL = 1e-6, 1e-9


@dataclass
class CheckResult:
    exercise: str
    passed: bool
    message: str
    mistake: str = ""      # the catalogued mistake it matched, if any
    n_cases: int = 0

    def __str__(self):
        return self.message


REFERENCE_MESSAGE = ("❌ {head} this calls the package's own reference function instead of your code. "
                     "Write the function yourself in the exercise cell.")


def judge(exercise, cases, outcomes, limit=None):
    """The verdict (a CheckResult) for `exercise` from the learner's outcomes on `cases`.

    limit: the time limit per call that was used, for the message (default runner.TIME_LIMIT).
    """
    name, head, n = exercise.name, f"{exercise.signature}:", len(cases)

    def fail(message, mistake=""):
        return CheckResult(name, False, f"❌ {head} {message}", mistake=mistake, n_cases=n)

    for case, out in zip(cases, outcomes):
        if out.status == "timeout":
            return fail(f"stopped after {limit or runner.TIME_LIMIT:g} s on {case.label}. "
                        "Is there a loop that never ends?", "time limit")
        if out.status == "raised" and out.error[0] == "NotImplementedError":
            return fail("not written yet (it raises NotImplementedError). Replace `raise NotImplementedError()` "
                        "with your code.", "not implemented")
        if out.mutated is not None:
            return fail(_mutation_message(exercise, case, out.mutated), "argument modified in place")
    if len(outcomes) < n:
        return fail("could not be run on every input.")
    reference = exercise.target(exercise.reference)
    expected = [runner.call(reference, case.args, limit=60) for case in cases]
    problems = [_problem(exercise, case, out, exp) for case, out, exp in zip(cases, outcomes, expected)]
    if not any(problems):
        return CheckResult(name, True, f"✅ {head} correct on all {n} inputs "
                                       f"({'; '.join(c.label for c in cases)}).", n_cases=n)
    for mistake in exercise.mistakes:
        if _matches(exercise.target(mistake.fn), exercise.checked, cases, outcomes):
            return fail(f"this looks like a known mistake: {mistake.name}. Hint: {mistake.hint}", mistake.name)
    return fail(next(p for p in problems if p))


def _mutation_message(exercise, case, mutated):
    index, path = mutated
    names = exercise.parameters
    argument = names[index] if index < len(names) else f"number {index + 1}"
    where = f"`{argument}{path}`" if path else f"its argument `{argument}`"
    return (f"it changed {where} in place (on {case.label}). Return new arrays and leave the inputs alone: "
            "write `p = p - alpha * g`, not `p -= alpha * g` or `p[...] = ...`.")


# --- comparing described values ---------------------------------------------------------------------------------

def _array(d):
    """A described array or scalar as a float array; a list or tuple of equally shaped numbers stacked; else None."""
    if d is None:
        return None
    if d["kind"] in ("ndarray", "scalar"):
        return np.array(d["data"], dtype=float).reshape(d["shape"])
    if d["kind"] in ("list", "tuple") and d["length"] == len(d["items"]):
        parts = [_array(item) for item in d["items"]]
        if all(p is not None for p in parts) and len({p.shape for p in parts}) <= 1:
            return np.array(parts, dtype=float).reshape((len(parts),) + (parts[0].shape if parts else ()))
    return None


def _close(a, b):
    return a is not None and b is not None and a.shape == b.shape and np.allclose(a, b, rtol=RTOL, atol=ATOL,
                                                                                   equal_nan=True)


def _same_numbers(got, want):
    """True when two described values hold the same numbers (however packaged), value by value for tuples."""
    if want["kind"] in ("tuple", "list") and got["kind"] in ("tuple", "list"):
        return got["length"] == want["length"] and all(_same_numbers(g, w)
                                                      for g, w in zip(got["items"], want["items"]))
    return _close(_array(got), _array(want))


def _format(value):
    return np.array2string(np.asarray(value), precision=8, suppress_small=True, separator=", ")


def _what(d):
    kinds = {"none": "None", "other": f"a {d.get('type')}", "too large": f"a {d.get('type')} too large to check",
             "list": "a Python list", "tuple": "a tuple", "scalar": "a single number", "ndarray": "a numpy array"}
    return kinds[d["kind"]]


def _problem(exercise, case, out, exp):
    """What is wrong with one outcome, as a message, or None when it is right."""
    if exp.status != "ok":  # the reference itself failed: a bug of the course, said as such
        return f"the course's reference failed on {case.label} ({exp.error[0]}: {exp.error[1]}); please report it."
    if out.status == "raised":
        shapes = [_shape(getattr(a, "W1", a)) for a in case.args if not callable(a)]
        return f"on {case.label} it raised {out.error[0]}: {out.error[1]}. The arguments had shapes {shapes}."
    got, want = _select(out.value, exercise.checked), _select(exp.value, exercise.checked)
    return _value_problem(got, want, exercise.returns, "", exercise.array_result, case.label)


def _shape(a):
    """An argument's shape for messages; a tuple of arrays of different shapes (a layer's cache (X, W, H, "relu"),
    a list of caches) item by item."""
    try:
        return np.shape(a)
    except ValueError:
        return tuple(v if isinstance(v, str) else _shape(v) for v in a)


def _select(d, checked):
    """Keep only the items `checked` of a described tuple result (all when checked is empty)."""
    if not checked or d["kind"] not in ("tuple", "list"):
        return d
    items = [d["items"][i] if i < len(d["items"]) else {"kind": "none"} for i in checked]
    return {"kind": d["kind"], "length": len(checked), "items": items} if d["length"] >= len(checked) else d


def _value_problem(got, want, names, label, array_result, case):
    """The first difference between the learner's described value and the expected one, or None."""
    subject = f"{label} " if label else "it returned "
    if want["kind"] in ("tuple", "list"):  # several values, e.g. (param, velocity): each one on its own
        count = want["length"]
        listing = ", ".join(names) if names else f"{count} values"
        if got["kind"] not in ("tuple", "list"):
            return f"on {case} it returned {_what(got)}, but should return {count} values ({listing})."
        if got["length"] != count:
            return f"on {case} it returned {got['length']} values, but should return {count} ({listing})."
        for i, (g, w) in enumerate(zip(got["items"], want["items"])):
            problem = _value_problem(g, w, (), names[i] if i < len(names) else f"value {i + 1}", array_result, case)
            if problem:
                return problem
        return None
    expected = _array(want)
    value = _array(got)
    if value is None:
        return f"on {case} {subject}{_what(got)}, not numbers; expected {_format(expected)}."
    if value.shape != expected.shape:
        extra = " (the transpose of the right shape)" if value.shape == expected.shape[::-1] and value.ndim == 2 else ""
        if label:
            return f"on {case} {label} has shape {value.shape}{extra}, but should have shape {expected.shape}."
        return f"on {case} it returned shape {value.shape}{extra}, but the answer has shape {expected.shape}."
    if not np.allclose(value, expected, rtol=RTOL, atol=ATOL, equal_nan=True):
        bad = tuple(np.argwhere(~np.isclose(value, expected, rtol=RTOL, atol=ATOL, equal_nan=True))[0])
        where = f"entry [{', '.join(str(int(i)) for i in bad)}]" if value.ndim else "the value"
        prefix = f"{label}: " if label else ""
        return (f"on {case}, {prefix}{where} is {float(value[bad]):.8f} but should be "
                f"{float(expected[bad]):.8f}.")
    # The numbers are right: is it the right kind of thing?
    thing = label or "the result"
    if got["kind"] in ("list", "tuple") and array_result and want["kind"] == "ndarray":
        return (f"on {case} {thing} has the right numbers but is {_what(got)}, not a numpy array: return "
                "np.array(...) or compute with numpy, so that arithmetic such as W - alpha * dW works.")
    if want["kind"] == "ndarray" and want["type"].startswith("float") and got.get("type", "").startswith(
            ("int", "uint", "bool")):
        return (f"on {case} {thing} has the right values but integer dtype ({got['type']}); the answer has "
                "fractions in general: compute in floats (for example np.zeros(shape) rather than np.zeros(shape, "
                "dtype=int)).")
    return None


def _matches(mistake, checked, cases, outcomes):
    """True when the learner's results equal the mistake's on every input (raising where it raises)."""
    valued = 0
    for case, out in zip(cases, outcomes):
        wrong = runner.call(mistake, case.args)
        if wrong.status != "ok":
            if out.status != "raised":
                return False
            continue
        if out.status != "ok" or not _same_numbers(_select(out.value, checked), _select(wrong.value, checked)):
            return False
        valued += 1
    return valued > 0
