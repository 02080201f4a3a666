"""Red team, fourth round: fresh attacks on the grader after round three's hardening, none a repeat of
test_grading.py, test_grading_redteam.py or test_grading_redteam2.py.

Round three's fixes: `runner.describe` reads tuple and list subclasses through the built-in type's storage and
`_validate_description` requires items covering the length and bounded type names; `cells.Facts` parses each cell
once; forbidden lists grew from a kept brute-force search (tests/nnfromscratch/exercises/test_no_other_answer.py);
the uid lock folder moved to /run/nnfromscratch-sandbox-users; bubblewrap drops every capability; the assignment
folder decides the lesson; the package copy is an allowlist. Each test is a hostile submission (or a forged reply)
against grading/README.md's five promises: a submission must not (1) gain a point it did not earn, (2) change another
submission's grade, file or run, (3) read the solutions, other submissions or the grader's secrets, (4) outlive its
own grading, (5) stop the grader from writing a valid result for it and for everyone else.

The first half held. The second half were breaches (package calls with constants of their own; a student folder named
after a lesson), each kept as a strict xfail naming its fix until the fix landed; each now asserts the promise.
"""

import json
import math

import nbformat
import numpy as np
import pytest

from nnfromscratch.exercises import EXERCISES, cases_for, runner
from nnfromscratch.exercises.exercise import Case
from nnfromscratch.exercises.judge import judge
from nnfromscratch_tools.grading import grade_folder

from test_grading import BOOK, LIMITS, SANDBOXED, SLOT, WHY, write
from test_grading_redteam2 import graded

pytestmark = pytest.mark.slow

needs_sandbox = pytest.mark.skipif(not SANDBOXED, reason=f"no sandbox here: {WHY}")


# ==============================================================================================================
# Attacks that hold
# ==============================================================================================================

def _cases(name, seed=11):
    return cases_for(name, 0) + [Case("hidden input: " + c.label, c.args)
                                 for c in cases_for(name, np.random.default_rng(seed))]


def _right(name, cases):
    """The reference's descriptions of every case: what a correct submission sends back."""
    exercise = EXERCISES[name]
    return [runner.call(exercise.target(exercise.reference), c.args, limit=60).value for c in cases]


# Forged replies: the sandbox is the submission's, so it can write any JSON line on the results pipe. Each forgery
# below is a description `_validate_description` accepts; none may pass the judge nor crash it.
def _forgeries(right):
    """(label, description) for forgeries built around the right answer's description `right` (an ndarray)."""
    shape, data = right["shape"], right["data"]
    yield "zero-size array with huge dimensions", {"kind": "ndarray", "type": "float64",
                                                   "shape": [0] + [runner.MAX_ENTRIES] * 31, "data": []}
    yield "NaN everywhere", {**right, "data": [math.nan] * len(data)}
    yield "inf everywhere", {**right, "data": [math.inf] * len(data)}
    yield "-0.0 everywhere", {**right, "data": [-0.0] * len(data)}
    yield "largest floats", {**right, "data": [1.7976931348623157e308] * len(data)}
    yield "the right numbers as a list of huge length", {"kind": "list", "length": 10 ** 300, "items": [
        {"kind": "scalar", "type": "float", "shape": [], "data": [x]} for x in data[:runner.MAX_ITEMS]]}
    if len(data) > 1:
        yield "the right numbers, one entry short", {**right, "shape": [len(data) - 1], "data": data[:-1]}
    yield "the right numbers, wrong shape of the same size", {**right, "shape": [1, len(data)]} \
        if len(shape) != 2 or shape[0] != 1 else {**right, "shape": [len(data)]}
    yield "the right numbers described as a tuple of length 0", {"kind": "tuple", "length": 0, "items": []}
    yield "the right numbers as an 'other' with the dtype's name", {"kind": "other", "type": "float64"}


@pytest.mark.parametrize("name", ["hidden_unit_grad", "weight_grad", "softmax", "sigmoid"])
def test_forged_descriptions_of_odd_numbers_never_pass(name):
    """Round three bounded the type names and made items cover the length; here: shapes whose product is 0 but whose
    dimensions are huge, NaN, inf, -0.0, the largest floats, a list of length 10**300, the right numbers in a
    wrong shape. Each goes through Outcome.from_json (as the grader reads it) and the judge: never a pass, and
    at most one ValueError, which grade() scores 0 as unjudgeable."""
    exercise = EXERCISES[name]
    cases = _cases(name)
    right = _right(name, cases)
    unjudgeable = []
    for label, forged in _forgeries(right[0]):
        line = json.dumps({"status": "ok", "value": forged}, allow_nan=True)
        try:
            outcome = runner.Outcome.from_json(line)
        except ValueError:
            continue  # refused on arrival: the exercise gets "no result", a 0
        outcomes = [outcome] + [runner.Outcome("ok", value=d) for d in right[1:]]
        try:
            verdict = judge(exercise, cases, outcomes)
        except Exception as err:  # noqa: BLE001 - grade() turns an Exception of the judge into "unjudgeable", a 0
            unjudgeable.append((label, type(err).__name__))
            continue
        assert not verdict.passed, (label, verdict.message)
        assert verdict.message, label
    # The one forgery the judge cannot take: a zero-size shape with dimensions whose product overflows numpy's
    # limit ("array is too big" in reshape). It scores 0 through grade()'s `except Exception`; the validator could
    # refuse it on arrival instead (bound the product of the nonzero dimensions by MAX_ENTRIES).
    assert unjudgeable in ([], [("zero-size array with huge dimensions", "ValueError")]), unjudgeable


def test_a_description_whose_length_is_a_huge_integer_is_refused_or_judged(tmp_path):
    """A reply line holding an integer of 100 000 digits: Python refuses to convert it (int max str digits) inside
    json.loads; the grader must treat that as a malformed reply, not crash."""
    line = '{"status": "ok", "value": {"kind": "list", "length": ' + "9" * 100_000 + ', "items": []}}'
    with pytest.raises(ValueError):
        runner.Outcome.from_json(line)


@needs_sandbox
def test_returning_an_ndarray_subclass_that_lies_about_itself_earns_nothing(tmp_path):
    """An ndarray subclass whose __array__, __float__, tolist, astype, ravel, dtype and shape all say "the right
    answer" (computed from W @ delta, the missing transpose) while its storage holds W @ delta: the runner reads the
    storage; the wrong numbers score 0."""
    source = (
        "import numpy as np\n"
        "class Liar(np.ndarray):\n"
        "    def __array__(self, *a, **k):\n"
        "        return np.asarray(self.view(np.ndarray)) * 0 + 1\n"
        "    def tolist(self):\n"
        "        return [1.0] * self.size\n"
        "    def astype(self, *a, **k):\n"
        "        return np.ones(self.shape)\n"
        "    def ravel(self, *a, **k):\n"
        "        return np.ones(self.size)\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    def __hash__(self):\n"
        "        return 0\n"
        "def hidden_unit_grad(W, delta):\n"
        "    return np.asarray(W @ delta).view(Liar)\n")
    r = graded(tmp_path, "04", source)
    assert not r.exercises[0].passed, r.exercises[0].message


@needs_sandbox
def test_a_float_subclass_that_changes_its_value_after_being_described_earns_nothing(tmp_path):
    """A float subclass (mse returns one number) whose __float__ returns the right-looking value once and another
    afterwards, whose __eq__ and __hash__ lie: the runner converts once inside the sandbox and only numbers cross;
    the judge compares numbers. Without the right formula, it scores 0."""
    source = (
        "import numpy as np\n"
        "class Shifty(float):\n"
        "    calls = 0\n"
        "    def __float__(self):\n"
        "        Shifty.calls += 1\n"
        "        return 0.0 if Shifty.calls % 2 else 1.0\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    def __hash__(self):\n"
        "        return 0\n"
        "def mse(y, yhat):\n"
        "    return Shifty(np.sum((np.asarray(yhat) - y) ** 2))\n")   # the 'missing 1/2' mistake underneath
    r = graded(tmp_path, "02", source)
    assert not r.exercises[0].passed, r.exercises[0].message


@needs_sandbox
def test_a_reference_reached_only_through_computed_names_still_fails_in_the_sandbox(tmp_path):
    """The analysis (cells.Facts) sees no `nn.hidden_unit_grad` here: the module and function names are assembled at
    run time, imported through importlib from a non-solution cell's import it never selects. The sandbox's stub is
    the defence: the call raises ReferenceUnavailable and scores 0."""
    source = (
        "import importlib\n"
        "def hidden_unit_grad(W, delta):\n"
        "    m = importlib.import_module(''.join(['nnfrom', 'scratch.lay', 'ers']))\n"
        "    return getattr(m, 'hidden_unit' + '_grad')(W, delta)\n")
    r = graded(tmp_path, "04", source)
    assert not r.exercises[0].passed
    assert "not available while grading" in r.exercises[0].message, r.exercises[0].message


# ==============================================================================================================
# Breaches
# ==============================================================================================================

# Package routes to an answer that the brute-force search cannot find: it calls each function with the case's
# arguments only, never with a constant of its own (rho=1.0, kappa=0.0, activation="linear", layout="in_out", a zero
# bias) nor with one operation (a transpose, [:, None], a difference) applied first. Each is one package call and one
# operation; each passes the exercise in the exercise's own sandbox.
PACKAGE_ROUTES = {
    "mse <- regularization.l2_penalty (0.5 * lam * the sum of squares: mse itself on yhat - y)": (
        "02", "mse",
        "import numpy as np\nfrom nnfromscratch.regularization import l2_penalty\n"
        "def mse(y, yhat):\n    return l2_penalty([(np.asarray(yhat) - y, None)], 1.0)\n"),
    "para_update <- optimizers.rmsprop_update with rho=1, s=1, kappa=0 (param - alpha * grad / 1)": (
        "06", "para_update",
        "import numpy as np\nfrom nnfromscratch.optimizers import rmsprop_update\n"
        "def para_update(param, grad, alpha):\n"
        "    return rmsprop_update(param, grad, np.ones_like(grad), alpha, rho=1.0, kappa=0.0)[0]\n"),
    "para_update <- regularization.l2_grad with lam=-alpha (dW + lam * W is param - alpha * grad)": (
        "06", "para_update",
        "import numpy as np\nfrom nnfromscratch.regularization import l2_grad\n"
        "def para_update(param, grad, alpha):\n"
        "    return l2_grad(grad, np.zeros(1), param, np.zeros(1), -alpha)[0]\n"),
    "momentum_update <- optimizers.adam_update with beta1=beta, beta2=0 and a huge kappa (its m is the velocity)": (
        "12", "momentum_update",
        "import numpy as np\nfrom nnfromscratch.optimizers import adam_update\n"
        "def momentum_update(param, grad, velocity, learning_rate, beta=0.9):\n"
        "    K = 1e15\n"
        "    p, m, s = adam_update(param, grad, velocity * (1 - beta), np.zeros_like(grad), 1, learning_rate * K,\n"
        "                          beta1=beta, beta2=0.0, kappa=K)\n"
        "    return p, m / (1 - beta)\n"),
    "hidden_unit_grad <- layers.forward_prop(W, 0, delta, 'linear', layout='in_out') (the layout does the transpose)": (
        "04", "hidden_unit_grad",
        "import numpy as np\nfrom nnfromscratch.layers import forward_prop\n"
        "def hidden_unit_grad(W, delta):\n"
        "    return forward_prop(W, np.zeros(W.shape[1]), delta, 'linear', layout='in_out')\n"),
    "weight_grad <- layers.forward_prop(x_in[:, None], 0, delta[:, None], 'linear') (a linear layer is the outer "
    "product)": (
        "03", "weight_grad",
        "import numpy as np\nfrom nnfromscratch.layers import forward_prop\n"
        "def weight_grad(x_in, delta):\n"
        "    return forward_prop(x_in[:, None], np.zeros(len(x_in)), delta[:, None], 'linear')\n"),
    "weight_grad_batch <- layers.forward_prop(X.T, 0, Delta.T, 'linear') (a linear layer is Delta.T @ X)": (
        "08", "weight_grad_batch",
        "import numpy as np\nfrom nnfromscratch.layers import forward_prop\n"
        "def weight_grad_batch(X, Delta):\n"
        "    return forward_prop(X.T, np.zeros(X.shape[1]), Delta.T, 'linear')\n"),
}


@needs_sandbox
@pytest.mark.parametrize("label", [
    label
    for label in sorted(PACKAGE_ROUTES)], ids=lambda label: label.split(" (")[0].split("(")[0])
def test_no_package_call_with_constants_of_its_own_computes_the_answer(tmp_path, label):
    lesson, name, source = PACKAGE_ROUTES[label]
    r = graded(tmp_path, lesson, source)
    entry = next(e for e in r.exercises if e.name == name)
    assert not entry.passed, (label, entry.message)


def test_a_student_folder_named_after_a_lesson_cannot_change_the_assignment(tmp_path):
    lesson00, lesson04 = BOOK.lesson("00"), BOOK.lesson("04")
    folder = tmp_path / "submitted" / lesson00.stem / lesson04.stem    # student id == lesson 00's stem
    folder.mkdir(parents=True)
    nb = nbformat.read(lesson00.path, as_version=4)
    write(folder, lesson04.stem + ".ipynb", nb)                          # lesson 00's solved notebook, handed in for 04
    (result,) = grade_folder(tmp_path / "submitted", tmp_path / "scores.csv", limits=LIMITS, jobs=1, progress=None,
                             first_slot=SLOT)
    assert result.lesson == lesson04.stem and result.score == 0, (result.lesson, result.score)
    assert "names more than one lesson" in result.notes[0]


WRITE_EVERYWHERE = r'''
import json, os
results = {}
for folder in ["/", "/pkg", "/grader", "/usr", "/dev", "/proc/self", "/tmp", "/sandbox"] + HIDDEN:
    try:
        with open(os.path.join(folder, "filler"), "wb") as fh:
            fh.write(b"1" * 1024 * 1024)
        results[folder] = "written"
    except OSError as err:
        results[folder] = type(err).__name__
print("WRITES" + json.dumps(results), flush=True)
'''


@pytest.mark.skipif(not SANDBOXED, reason=f"no sandbox here: {WHY}")
@pytest.mark.parametrize("grader", ["root", "not root"])
def test_only_the_two_sized_file_systems_are_writable(monkeypatch, grader):
    """Round four's documentation review found it: for a grader that is not root, bubblewrap's own root (a tmpfs
    with no size limit, holding the folders made for the Python binds) and the empty folders hiding installed
    copies of the package belonged to the worker, which could fill them without any limit. Now the root is
    remounted read-only and the hiding folders are 4 KB and read-only: only /tmp and /sandbox (32 MB each) take
    writes. The non-root grader is simulated as in round two (uid 0 of the simulation owns the root tmpfs, as the
    worker does in a real user namespace)."""
    import types

    from nnfromscratch_tools.grading import sandbox as sandbox_module
    from test_grading_redteam import printed, sandbox_run
    from test_grading_redteam2 import _NoControlGroups

    hidden = [str(p) for p in sandbox_module.python_mounts()[1] if p.is_dir()]
    if grader == "not root":
        fake_os = types.ModuleType("os")
        fake_os.__dict__.update(sandbox_module.os.__dict__)
        fake_os.geteuid = lambda: 1000
        monkeypatch.setattr(sandbox_module, "os", fake_os)
        monkeypatch.setattr(sandbox_module, "_ControlGroups", _NoControlGroups)
    writes = printed(sandbox_run(f"HIDDEN = {hidden!r}\n" + WRITE_EVERYWHERE), "WRITES")
    assert {folder for folder, result in writes.items() if result == "written"} == {"/tmp", "/sandbox"}, writes
