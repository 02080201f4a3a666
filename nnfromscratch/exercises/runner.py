"""Run a learner's function once, on private copies of its inputs, with a time limit, and report what it did.

This is the one implementation of "run the learner's function". `check()` uses it in the learner's
own kernel; the grader copies this file, unchanged, into its sandboxed grading process and calls it
there. So it imports only the standard library and numpy (never the rest of the package), and all it
reports is plain data that can cross a process boundary (`Outcome.to_json`, `Outcome.from_json`) and
be judged by the same judge wherever it ran.

It also holds the wire format of the inputs the grader sends in (`encode`, `decode`), including
`Formula`, a function given as package-written source text plus named arrays.
"""

import contextlib
import copy
import dataclasses
import json
import math
import signal
import threading
import types
import warnings

import numpy as np

TIME_LIMIT = 5.0           # seconds per call of the learner's function
MAX_ENTRIES = 250_000      # numbers kept from one return value; a larger result is reported as too large
MAX_ITEMS = 16             # entries of a returned tuple or list described one by one
MAX_DEPTH = 3              # nesting followed in results and arguments
MAX_TEXT = 300             # characters kept of an exception message
MAX_TYPE = 200             # characters of a type's name in a description (a forged longer one is refused)
STATUSES = ("ok", "raised", "timeout")


class CallTimeout(BaseException):
    """The time limit ran out. A BaseException, so that a learner's `except Exception:` does not swallow it."""


@contextlib.contextmanager
def time_limit(seconds):
    """Raise CallTimeout in the main thread after `seconds`, and every 0.1 s after that until the block ends
    (so a bare `except:` in the learner's loop cannot swallow it for good). Unix only; elsewhere no limit."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def handler(signum, frame):
        raise CallTimeout()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def text(value, limit=MAX_TEXT):
    """str(value), at most `limit` characters, always encodable as UTF-8 (lone surrogates escaped); never raises."""
    try:
        s = str(value)
    except BaseException:  # a hostile __str__
        s = f"<{type(value).__name__} that cannot be printed>"
    if not isinstance(s, str):
        s = "<not text>"
    return s[:limit].encode("utf-8", "backslashreplace").decode("utf-8")


# --- what came back ------------------------------------------------------------------------------------------

def describe(value, depth=0, budget=None):
    """A return value as plain data, keeping what the judge needs: what kind of thing it is, its dtype,
    shape and numbers. Never raises; a result of more than MAX_ENTRIES numbers is described as too large.

    {"kind": "ndarray" | "scalar", "type": dtype or Python type, "shape": [...], "data": [floats]}
    {"kind": "tuple" | "list", "length": n, "items": [descriptions of the first MAX_ITEMS]}
    {"kind": "none"} | {"kind": "other", "type": name} | {"kind": "too large", "type": name}
    """
    budget = [MAX_ENTRIES] if budget is None else budget
    try:
        if value is None:
            return {"kind": "none"}
        if isinstance(value, (np.ndarray, np.generic)):
            arr = np.asarray(value)
            kind = "ndarray" if isinstance(value, np.ndarray) else "scalar"
            if arr.dtype.kind not in "biuf":
                return {"kind": "other", "type": text(f"{type(value).__name__} of dtype {arr.dtype}", 160)}
            if arr.size > budget[0] or math.prod(n for n in arr.shape if n) > MAX_ENTRIES:
                return {"kind": "too large", "type": text(type(value).__name__, 80), "shape": list(arr.shape)}
            budget[0] -= arr.size
            return {"kind": kind, "type": arr.dtype.name, "shape": list(arr.shape),
                    "data": np.asarray(arr, dtype=float).ravel().tolist()}
        if isinstance(value, (bool, int, float)):
            name = "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else "float"
            return {"kind": "scalar", "type": name, "shape": [], "data": [float(value)]}
        if isinstance(value, (tuple, list)):
            # read the items the built-in type holds: a subclass's own __len__ or __getitem__ may say otherwise
            base = tuple if isinstance(value, tuple) else list
            length = base.__len__(value)
            if depth >= MAX_DEPTH:
                return {"kind": base.__name__, "length": length, "items": []}
            items = base.__getitem__(value, slice(0, MAX_ITEMS))
            return {"kind": base.__name__, "length": length,
                    "items": [describe(items[i], depth + 1, budget) for i in range(min(length, MAX_ITEMS))]}
        return {"kind": "other", "type": text(type(value).__name__, 80)}
    except CallTimeout:
        raise
    except BaseException:  # an object whose conversion raises, or a number too large for a float
        return {"kind": "other", "type": text(type(value).__name__, 80)}


# --- changes to the arguments --------------------------------------------------------------------------------

def _leaves(value, path="", depth=0):
    """(path, array) for every numpy array inside value: the value itself, items of lists, tuples and dicts,
    attributes of objects (a worked example's W1 is ".W1"). Functions are not looked into."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif depth >= MAX_DEPTH or callable(value):
        return
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{path}[{i}]", depth + 1)
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _leaves(value[key], f"{path}[{key!r}]", depth + 1)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        for key in sorted(vars(value)):
            yield from _leaves(vars(value)[key], f"{path}.{key}", depth + 1)


def changed(original, after):
    """The path of the first array in `after` that differs from `original` (values, shape, dtype, or an array
    replaced by another object or added), "" when the value itself is an array that changed, None when equal."""
    before = dict(_leaves(original))
    now = dict(_leaves(after))
    for path in list(before) + [p for p in now if p not in before]:
        a, b = before.get(path), now.get(path)
        if a is None or b is None or a.shape != b.shape or a.dtype != b.dtype or not np.array_equal(
                a, b, equal_nan=a.dtype.kind in "fc"):
            return path
    return None


# --- one call --------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Outcome:
    """What one call of the learner's function did, as plain data.

    status: "ok", "raised" or "timeout"; value: `describe` of what it returned (when ok);
    error: (exception type name, message) when it raised; mutated: where it changed one of its
    arguments in place, as (argument index, path inside it), e.g. (0, ".W1"), or None.
    """

    status: str
    value: object = None
    error: tuple = ("", "")
    mutated: object = None

    def to_json(self):
        return json.dumps(dataclasses.asdict(self), allow_nan=True)

    @classmethod
    def from_json(cls, data):
        """An Outcome from untrusted JSON (text, or already parsed): ValueError unless it is well formed."""
        obj = json.loads(data) if isinstance(data, (str, bytes)) else data
        if not isinstance(obj, dict) or obj.get("status") not in STATUSES:
            raise ValueError("not an outcome")
        error = obj.get("error") or ("", "")
        if not (isinstance(error, (list, tuple)) and len(error) == 2 and all(isinstance(e, str) for e in error)):
            raise ValueError("malformed error")
        mutated = obj.get("mutated")
        if mutated is not None:
            if not (isinstance(mutated, (list, tuple)) and len(mutated) == 2 and type(mutated[0]) is int
                    and 0 <= mutated[0] < 64 and isinstance(mutated[1], str)):
                raise ValueError("malformed mutated")
            mutated = (mutated[0], text(mutated[1], 200))
        value = obj.get("value")
        if obj["status"] == "ok":
            _validate_description(value, 0, [MAX_ENTRIES])
        return cls(obj["status"], value if obj["status"] == "ok" else None,
                   (text(error[0], 80), text(error[1])), mutated)


def _validate_description(d, depth, budget):
    """Raise ValueError unless d has the shape `describe` gives (so the judge can trust its structure)."""
    if not isinstance(d, dict) or depth > MAX_DEPTH:
        raise ValueError("malformed value")
    kind = d.get("kind")
    if kind in ("ndarray", "scalar"):
        shape, data = d.get("shape"), d.get("data")
        if not (isinstance(d.get("type"), str) and len(d["type"]) <= MAX_TYPE
                and isinstance(shape, list) and isinstance(data, list)
                and all(type(n) is int and 0 <= n <= MAX_ENTRIES for n in shape) and len(shape) <= 32):
            raise ValueError("malformed array")
        if math.prod(shape) != len(data) or len(data) > budget[0] or math.prod(n for n in shape if n) > MAX_ENTRIES:
            raise ValueError("array of the wrong size")  # (an empty array's other axes are bounded too)
        budget[0] -= len(data)
        if not all(type(x) is float for x in data):
            raise ValueError("array holds non-numbers")
    elif kind in ("tuple", "list"):
        items = d.get("items")
        length = d.get("length")
        if not (isinstance(items, list) and type(length) is int and length >= 0
                and len(items) == (0 if depth >= MAX_DEPTH else min(length, MAX_ITEMS))):
            raise ValueError("malformed sequence")  # the items must cover the sequence, as describe gives them
        for item in items:
            _validate_description(item, depth + 1, budget)
    elif kind in ("none", "other", "too large"):
        if not (isinstance(d.get("type", ""), str) and len(d.get("type", "")) <= MAX_TYPE):
            raise ValueError("malformed type")
    else:
        raise ValueError("unknown kind")


def call(fn, args, limit=TIME_LIMIT):
    """Call fn(*args) on private deep copies of args, with a time limit; return an Outcome (never raises
    because of fn, except KeyboardInterrupt, so that the learner can still stop a check).

    Warnings and floating-point errors inside fn are silenced: a wrong answer that overflows shows in
    its values, not as warnings in the learner's notebook.
    """
    copies = copy.deepcopy(tuple(args))
    try:
        with time_limit(limit), np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = describe(fn(*copies))
    except CallTimeout:
        return Outcome("timeout")
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # the learner's exception (SystemExit included) is data for the verdict
        return Outcome("raised", error=(text(type(err).__name__, 80), text(err)))
    for i, (original, after) in enumerate(zip(args, copies)):
        path = changed(original, after)
        if path is not None:
            return Outcome("ok", value=value, mutated=(i, path))
    return Outcome("ok", value=value)


# --- a learner's cells ----------------------------------------------------------------------------------------

def without_magics(source):
    """IPython magics and shell escapes (%..., !...) are not Python: those lines become comments."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append(line[: len(line) - len(stripped)] + "# " + stripped if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def run_cells(imports, cells, namespace, limit=TIME_LIMIT):
    """Run import statements, then cells ({"name", "source"}), in `namespace`, each with a time limit. Returns the
    errors as [{"cell": name, "error": [type name, message]}]: one cell's error never stops the next one.
    IPython magics (%..., !...) are skipped. Used by the grader's worker and by `nnfromscratch.yours`."""
    errors = []
    for name, source in [("imports", code) for code in imports] + [(c["name"], c["source"]) for c in cells]:
        code = without_magics(source)
        try:
            with time_limit(limit):
                exec(compile(code, f"<cell {name}>", "exec"), namespace)
        except CallTimeout:
            errors.append({"cell": name, "error": ["TimeoutError", "the cell ran too long"]})
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # noqa: BLE001 - the learner's error, reported with the cell
            errors.append({"cell": name, "error": [text(type(err).__name__, 80), text(err)]})
    return errors


# --- the inputs, sent into another process ----------------------------------------------------------------------

# What a Formula's source may use besides numpy (`np`) and its named arrays.
SAFE_BUILTINS = {f.__name__: f for f in (abs, all, any, enumerate, float, getattr, hasattr, int, isinstance, len, list,
                                          max, min, range, reversed, sorted, sum, tuple, zip)}


class Formula:
    """A function given as the source of a numpy lambda plus named arrays, e.g.
    Formula("lambda v: float(np.sum(A * v ** 3))", A=A).

    Callable here, and `encode`/`decode` carry its source and arrays into the grading process, where it
    is rebuilt: so exercises that take a function (numerical_gradient) can be graded too. An exercise's
    `probe` is one too. The source is always the package's own text, never the learner's.
    """

    def __init__(self, source, **env):
        self.source, self.env = source, env
        self._fn = eval(source, {"np": np, "__builtins__": SAFE_BUILTINS, **env})

    def __call__(self, *args):
        return self._fn(*args)

    def __deepcopy__(self, memo):
        return self

    def __repr__(self):
        return f"Formula({self.source!r})"


def encode(value):
    """An input (arrays, numbers, Formulas, tuples, objects holding arrays such as the worked example) as JSON data."""
    if isinstance(value, np.ndarray):
        return {"array": value.ravel().tolist(), "dtype": value.dtype.name, "shape": list(value.shape)}
    if isinstance(value, Formula):
        return {"formula": value.source, "env": {k: encode(v) for k, v in value.env.items()}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    if isinstance(value, (list, tuple)):
        return {"tuple" if isinstance(value, tuple) else "list": [encode(v) for v in value]}
    if hasattr(value, "__dict__"):
        return {"object": type(value).__name__, "fields": {k: encode(v) for k, v in vars(value).items()}}
    raise TypeError(f"cannot send a {type(value).__name__} to the grading process")


def decode(data, classes=None):
    """The value `encode` described. classes: {name: class} to rebuild objects with (e.g. WorkedExample);
    other objects become a types.SimpleNamespace with the same attributes."""
    classes = classes or {}
    if "array" in data:
        if np.dtype(data["dtype"]).kind not in "biuf":
            raise ValueError(f"refusing dtype {data['dtype']}")
        return np.array(data["array"], dtype=data["dtype"]).reshape(data["shape"])
    if "formula" in data:
        return Formula(data["formula"], **{k: decode(v, classes) for k, v in data["env"].items()})
    if "value" in data:
        return data["value"]
    if "tuple" in data:
        return tuple(decode(v, classes) for v in data["tuple"])
    if "list" in data:
        return [decode(v, classes) for v in data["list"]]
    if "object" in data:
        fields = {k: decode(v, classes) for k, v in data["fields"].items()}
        cls = classes.get(data["object"])
        return cls(**fields) if cls is not None else types.SimpleNamespace(**fields)
    raise ValueError("unknown input")
