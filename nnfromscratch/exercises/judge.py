"""The verdict on a learner's function, from what it did on each input (`runner.Outcome`s).

The same judge serves the check cell (outcomes computed in the learner's kernel) and the grader
(outcomes computed in its sandbox and sent back as plain data), so both say the same thing. The
verdict, in order:

- it timed out, is not written yet, or changed an argument in place (named: "example.W1");
- correct on every input: numbers within rtol 1e-6, the expected shape, a numpy array where the
  learner will compute with the result, a float dtype where the answer has fractions (float64 when
  every input is float64: a float32 result keeps only about 7 digits);
- it matches a catalogued mistake: its name and hint;
- otherwise the first problem: an exception, a wrong shape, a Python list, an integer dtype where
  the answer has fractions, or the first wrong entry beside its expected value (whole numbers printed
  as such, "(1 = yes)" answers as yes or no), each value of a tuple result named ("velocity").
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
    extra = f" {exercise.in_place_hint}" if getattr(exercise, "in_place_hint", "") else ""
    if not path:  # the argument itself is an array whose entries changed
        return (f"it changed its argument `{argument}` in place (on {case.label}). Return new arrays and leave the "
                f"inputs alone: write `p = p - alpha * g`, not `p -= alpha * g` or `p[...] = ...`.{extra}")
    # An array inside a list, tuple or object: changed in place, or the item or attribute replaced, or the
    # container reordered (the runner sees only that the array found there is no longer the one given).
    return (f"it changed `{argument}{path}` in place or replaced it (on {case.label}). Leave `{argument}` as it was "
            f"given: keep new values in variables and lists of your own (`W1 = W1 - alpha * dW1`), and do not "
            f"write `-=` on its arrays, assign to its items or attributes (`{argument}{path} = ...`), or reorder "
            f"it (`.reverse()`, `.sort()`).{extra}")


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
    return _value_problem(got, want, exercise.returns, "", exercise.array_result, case.label,
                          float64_inputs=not _low_precision(case.args))


def _low_precision(args):
    """True when an input holds float32 (or float16) numbers: then a float32 answer is as precise as it can be."""
    return any(a.dtype.kind == "f" and a.dtype.itemsize < 8 for _, a in runner._leaves(args))


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


def _is_integer_type(d):
    return d.get("type", "").startswith(("int", "uint", "bool"))


def _is_float_type(d):
    return d.get("type", "").startswith("float")


def _is_float64(d):
    return d.get("type") in ("float64", "float")


def _is_low_precision(d):
    return d.get("type") in ("float32", "float16")


def _number(x, flag=False, whole=False):
    """One entry for a message: yes/no for a "(1 = yes)" answer, a whole number as such, else 8 decimals."""
    if flag:
        return "yes" if x == 1 else "no"
    return f"{int(x)}" if whole else f"{float(x):.8f}"


def _value_problem(got, want, names, label, array_result, case, float64_inputs=True):
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
            problem = _value_problem(g, w, (), names[i] if i < len(names) else f"value {i + 1}", array_result, case,
                                     float64_inputs)
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
    thing = label or "the result"
    if not np.allclose(value, expected, rtol=RTOL, atol=ATOL, equal_nan=True):
        bad = tuple(np.argwhere(~np.isclose(value, expected, rtol=RTOL, atol=ATOL, equal_nan=True))[0])
        where = f"entry [{', '.join(str(int(i)) for i in bad)}]" if value.ndim else "the value"
        if _is_float_type(want) and _is_integer_type(got) and not float(expected[bad]).is_integer():
            # the fractions were cut off (int(), astype(int), an integer array filled in): say so by name
            return (f"on {case} {thing} has integer dtype ({got['type']}), so its fractions are lost: {where} is "
                    f"{float(value[bad]):g} but should be {float(expected[bad]):.8f}. Compute in floats (no int(), "
                    "astype(int) or np.zeros(shape, dtype=int)).")
        flag = label.endswith(" (1 = yes)") and set(np.unique(np.r_[value.ravel(), expected.ravel()])) <= {0.0, 1.0}
        prefix = f"{label[:-len(' (1 = yes)')] if flag else label}: " if label else ""
        whole = all(np.isfinite(v) and float(v).is_integer() and abs(v) < 1e15 for v in (value[bad], expected[bad]))
        low = (f" (Its dtype is also {got['type']}, where float64 is expected.)"
               if float64_inputs and _is_float64(want) and _is_low_precision(got) else
               f" (Its dtype is also {got['type']}, where the answer is a float.)"
               if _is_float_type(want) and _is_integer_type(got) else "")
        if flag and not value.ndim:  # a yes/no answer: "every node after all its parents: no, but should be yes"
            return f"on {case}, {prefix}{_number(value[bad], flag)}, but should be {_number(expected[bad], flag)}."
        return (f"on {case}, {prefix}{where} is {_number(value[bad], flag, whole)} but should be "
                f"{_number(expected[bad], flag, whole)}.{low}")
    # The numbers are right: is it the right kind of thing?
    if got["kind"] in ("list", "tuple") and array_result and want["kind"] == "ndarray":
        return (f"on {case} {thing} has the right numbers but is {_what(got)}, not a numpy array: return "
                "np.array(...) or compute with numpy, so that arithmetic such as W - alpha * dW works.")
    if want["kind"] == "ndarray" and want["type"].startswith("float") and got.get("type", "").startswith(
            ("int", "uint", "bool")):
        return (f"on {case} {thing} has the right values but integer dtype ({got['type']}); the answer has "
                "fractions in general: compute in floats (for example np.zeros(shape) rather than np.zeros(shape, "
                "dtype=int)).")
    if float64_inputs and _is_float64(want) and _is_low_precision(got):
        return (f"on {case} {thing} has the right numbers to about {7 if got['type'] == 'float32' else 3} digits, "
                f"but dtype {got['type']}: the inputs are float64 (about 16 digits), and a {got['type']} result "
                "throws the other digits away, which 8-decimal printouts and gradient checks need. Compute in "
                f"float64: drop the astype(np.{got['type']}) or np.{got['type']}(...).")
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
