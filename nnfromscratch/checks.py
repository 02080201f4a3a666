"""Exercise checks that say what is wrong, not just that something is.

A check cell calls `check("hidden_unit_grad", hidden_unit_grad)`. The learner's
function runs on several inputs (the worked example, random values, shapes other
than 2x2 with out != in), each on private copies, with a time limit. The verdict:

- correct on every input; or
- it matches a known mistake (a catalogue of wrong variants per exercise, each
  with a one-line hint), e.g. "missing transpose: you computed W @ delta"; or
- it raised, timed out, changed its arguments in place, returned the wrong shape,
  or simply the first wrong entry beside its expected value.

`evaluate(name, fn)` returns the same verdict as a `CheckResult` for programs
(the grader); `check` prints it. Neither ever raises because of the learner's code.
"""

import contextlib
import copy
import signal
import threading
from dataclasses import dataclass, field

import numpy as np

import warnings

from . import activations, example, gradcheck, layers, losses, network, optimizers, original
from .validate import as_float_array

TIME_LIMIT = 5.0  # seconds per call of the learner's function
RTOL, ATOL = 1e-6, 1e-9


@dataclass
class Mistake:
    """A known wrong variant of an exercise: what it is called, a one-line hint, and its code."""

    name: str
    hint: str
    fn: object


@dataclass
class Case:
    """One input for an exercise: a label for messages, and the positional arguments."""

    label: str
    args: tuple


@dataclass
class Exercise:
    name: str
    signature: str
    reference: object
    cases: object          # a function rng -> list[Case]
    mistakes: list = field(default_factory=list)
    forbidden: tuple = ()  # the package's functions that would solve it; the name itself is always included

    def __post_init__(self):
        self.forbidden = tuple(dict.fromkeys((self.name, *self.forbidden)))


@dataclass
class CheckResult:
    exercise: str
    passed: bool
    message: str
    mistake: str = ""      # the catalogued mistake it matched, if any
    n_cases: int = 0

    def __str__(self):
        return self.message


class CheckTimeout(Exception):
    pass


# --- the catalogue ------------------------------------------------------------------------------------------

def _rand(rng, *shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=shape)


def _example():
    return example.trace()


def _sigmoid_cases(rng):
    return [
        Case("z = [0.3825, 0.39] (the worked example's z1)", (_example().z1,)),
        Case("z = 0", (np.array(0.0),)),
        Case("random z of shape (3, 4)", (_rand(rng, 3, 4, low=-5, high=5),)),
    ]


def _forward_cases(rng):
    t = _example()
    return [
        Case("the worked example's hidden layer (W1, b1, x)", (t.W1, t.b1, t.x)),
        Case("the worked example's output layer (W2, b2, h1)", (t.W2, t.b2, t.h1)),
        Case("a random layer with 5 inputs and 3 outputs", (_rand(rng, 3, 5), _rand(rng, 3), _rand(rng, 5))),
        Case("a random layer with 2 inputs and 4 outputs", (_rand(rng, 4, 2), _rand(rng, 4), _rand(rng, 2))),
    ]


def _mse_cases(rng):
    t = _example()
    return [
        Case("the worked example (y, y_hat)", (t.y, t.y_hat)),
        Case("3 random outputs", (_rand(rng, 3, low=0, high=1), _rand(rng, 3, low=0, high=1))),
        Case("5 random outputs", (_rand(rng, 5, low=0, high=1), _rand(rng, 5, low=0, high=1))),
    ]


def _sigmoid_grad_cases(rng):
    t = _example()
    return [
        Case("the worked example's output layer (y_hat, dL/dy_hat)", (t.y_hat, t.dL_dy_hat)),
        Case("the worked example's hidden layer (h1, dL/dh1)", (t.h1, t.dL_dh1)),
        Case("3 random units", (_rand(rng, 3, low=0.05, high=0.95), _rand(rng, 3))),
    ]


def _weight_grad_cases(rng):
    t = _example()
    return [
        Case("the worked example's output layer (h1, delta2)", (t.h1, t.delta2)),
        Case("a layer with 5 inputs and 3 outputs", (_rand(rng, 5), _rand(rng, 3))),
        Case("a layer with 2 inputs and 4 outputs", (_rand(rng, 2), _rand(rng, 4))),
    ]


def _hidden_cases(rng):
    t = _example()
    return [
        Case("the worked example (W2, delta2)", (t.W2, t.delta2)),
        Case("W of shape (3, 5) (3 outputs, 5 inputs)", (_rand(rng, 3, 5), _rand(rng, 3))),
        Case("W of shape (4, 2) (4 outputs, 2 inputs)", (_rand(rng, 4, 2), _rand(rng, 4))),
    ]


def _update_cases(rng):
    t = _example()
    return [
        Case("the worked example's W2 with dW2, alpha = 0.1", (t.W2, t.dW2, 0.1)),
        Case("a (3, 5) parameter, alpha = 0.5", (_rand(rng, 3, 5), _rand(rng, 3, 5), 0.5)),
        Case("a bias of 4 entries, alpha = 0.01", (_rand(rng, 4), _rand(rng, 4), 0.01)),
    ]


class Formula:
    """A function given as the source of a numpy lambda plus named arrays, e.g. Formula("lambda v: np.sum(A * v)", A=A).

    It is callable here, and its source and arrays can be sent to another process (the
    grader's kernel) and rebuilt there, so exercises that take a function can be graded too.
    """

    def __init__(self, source, **env):
        self.source, self.env = source, env
        self._fn = eval(source, {"np": np, **env})  # the package's own source text, never the learner's

    def __call__(self, *args):
        return self._fn(*args)

    def __deepcopy__(self, memo):
        return self


def _cubic(A):
    """f(v) = sum(A * v**3): a cubic, so forward differences are visibly wrong."""
    return Formula("lambda v: float(np.sum(A * v ** 3))", A=A)


def _worked_loss_of_W1():
    """The worked example's loss as a function of W1, written out in numpy."""
    ex = example.worked_example()
    return Formula("lambda W1: float(0.5 * np.sum((1 / (1 + np.exp(-(W2 @ (1 / (1 + np.exp(-(W1 @ x + b1)))) + b2)))"
                   " - y) ** 2))", W2=ex.W2, b1=ex.b1, b2=ex.b2, x=ex.x, y=ex.y)


def _numgrad_cases(rng):
    ex = example.worked_example()
    return [
        Case("the worked example's loss as a function of W1", (_worked_loss_of_W1(), ex.W1)),
        Case("f(v) = sum(A * v**3) at a random v of shape (3, 2)", (_cubic(_rand(rng, 3, 2)), _rand(rng, 3, 2))),
        Case("f(v) = sum(A * v**3) at a random v of shape (4,)", (_cubic(_rand(rng, 4)), _rand(rng, 4))),
    ]


def _random_network(rng, n_in, n_hidden, n_out, alpha):
    """A two-layer sigmoid network of other sizes, packed like the worked example."""
    return example.WorkedExample(x=_rand(rng, n_in), y=_rand(rng, n_out, low=0.05, high=0.95),
                                 W1=_rand(rng, n_hidden, n_in), b1=_rand(rng, n_hidden),
                                 W2=_rand(rng, n_out, n_hidden), b2=_rand(rng, n_out), alpha=alpha)


def _train_cases(rng):
    return [
        Case("the worked example, alpha = 0.1, 5 steps", (example.worked_example(), 0.1, 5)),
        Case("the worked example, alpha = 2.0, 3 steps", (example.worked_example(), 2.0, 3)),
        Case("a 3-4-2 network, alpha = 0.5, 4 steps", (_random_network(rng, 3, 4, 2, 0.5), 0.5, 4)),
    ]


def _train(ex, alpha, steps, **options):
    return example.train(ex, alpha=alpha, steps=steps, **options)[0]


def _in_out_cases(rng):
    ex = example.worked_example(layout="in_out")
    return [
        Case("the walk-through's hidden layer (W1 read as (in, out), b1, x)", (ex.W1, ex.b1, ex.x)),
        Case("W of shape (5, 3) (5 inputs, 3 outputs)", (_rand(rng, 5, 3), _rand(rng, 3), _rand(rng, 5))),
        Case("W of shape (2, 4) (2 inputs, 4 outputs)", (_rand(rng, 2, 4), _rand(rng, 4), _rand(rng, 2))),
    ]


def _batch_cases(rng):
    return [
        Case("a batch of 4 examples, 3 inputs, 2 outputs", (_rand(rng, 4, 3), _rand(rng, 4, 2))),
        Case("a batch of 7 examples, 5 inputs, 3 outputs", (_rand(rng, 7, 5), _rand(rng, 7, 3))),
        Case("a batch of 1 example, 2 inputs, 6 outputs", (_rand(rng, 1, 2), _rand(rng, 1, 6))),
    ]


def _relu_cases(rng):
    h = np.maximum(_rand(rng, 4, 5), 0)
    h[0, :2] = 0.0  # exact zeros: where the derivative's convention matters
    return [
        Case("a (4, 5) batch with some zeros", (h, _rand(rng, 4, 5))),
        Case("h = [0, 0.5, 2] (a zero among them)", (np.array([0.0, 0.5, 2.0]), _rand(rng, 3))),
        Case("a (2, 3) batch", (np.maximum(_rand(rng, 2, 3), 0), _rand(rng, 2, 3))),
    ]


def _softmax_cases(rng):
    return [
        Case("logits [[1, 2, 3], [0, 0, 0]]", (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),)),
        Case("large logits [[1000, 999, 0]]", (np.array([[1000.0, 999.0, 0.0]]),)),
        Case("rows on different scales [[1000, 0], [-1000, -1001]]", (np.array([[1000.0, 0.0], [-1000.0, -1001.0]]),)),
        Case("random (5, 4) logits", (_rand(rng, 5, 4, low=-5, high=5),)),
    ]


def _xent_cases(rng):
    return [
        Case("3 examples, 4 classes", (np.array([0, 3, 1]), _rand(rng, 3, 4, low=-3, high=3))),
        Case("5 examples, 2 classes", (rng.integers(0, 2, size=5), _rand(rng, 5, 2, low=-3, high=3))),
        Case("1 example, 10 classes", (np.array([7]), _rand(rng, 1, 10, low=-3, high=3))),
    ]


def _confusion_cases(rng):
    return [
        Case("6 examples, 3 classes", (np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)),
        Case("random 20 examples, 4 classes", (rng.integers(0, 4, size=20), rng.integers(0, 4, size=20), 4)),
        Case("5 examples, 2 classes, all wrong", (np.array([0, 0, 1, 1, 1]), np.array([1, 1, 0, 0, 0]), 2)),
    ]


def _momentum_cases(rng):
    return [
        Case("a (3, 2) parameter, zero velocity, lr 0.1, beta 0.9",
             (_rand(rng, 3, 2), _rand(rng, 3, 2), np.zeros((3, 2)), 0.1, 0.9)),
        Case("4 entries with velocity, lr 0.05, beta 0.8", (_rand(rng, 4), _rand(rng, 4), _rand(rng, 4), 0.05, 0.8)),
        Case("a (2, 5) parameter with velocity, lr 0.5, beta 0.99",
             (_rand(rng, 2, 5), _rand(rng, 2, 5), _rand(rng, 2, 5), 0.5, 0.99)),
    ]


def _adam_cases(rng):
    def state(*shape):
        return _rand(rng, *shape), _rand(rng, *shape) * 0.1, rng.uniform(1e-4, 1e-2, size=shape)
    p, g, m = state(3, 2)
    q, h, n = state(4)
    r, k, o = state(2, 3)
    return [
        Case("step t = 1 from zero moments, lr 0.01", (p, g, np.zeros((3, 2)), np.zeros((3, 2)), 1, 0.01, 0.9, 0.999,
                                                         1e-8)),
        Case("step t = 3 with moments, lr 0.1, eps 0.01", (q, h, n, rng.uniform(1e-6, 1e-4, size=4), 3, 0.1, 0.9, 0.999,
                                                            1e-2)),
        Case("step t = 10, lr 0.001, beta1 0.8, beta2 0.99", (r, k, o, o * o, 10, 0.001, 0.8, 0.99, 1e-8)),
    ]


def _adam_variant(bias_correction=True, root=True, eps_inside=False):
    def update(p, g, m, v, t, lr, b1, b2, eps):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = (m / (1 - b1 ** t), v / (1 - b2 ** t)) if bias_correction else (m, v)
        denominator = np.sqrt(v_hat + eps) if eps_inside else (np.sqrt(v_hat) if root else v_hat) + eps
        return p - lr * m_hat / denominator, m, v
    return update


def _tanh_cases(rng):
    return [
        Case("h = tanh([0.5, -1, 2])", (np.tanh(np.array([0.5, -1.0, 2.0])), _rand(rng, 3))),
        Case("a (3, 4) batch", (np.tanh(_rand(rng, 3, 4, low=-3, high=3)), _rand(rng, 3, 4))),
        Case("h = 0", (np.array([0.0]), np.array([0.7]))),
    ]


def _naive_softmax(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)


def _forward_differences(f, x, eps=1e-6):
    x = np.array(x, dtype=float)
    g, f0 = np.empty_like(x), f(x.copy())
    for i in np.ndindex(x.shape):
        s = x.copy()
        s[i] += eps
        g[i] = (f(s) - f0) / eps
    return g


def _central_without_half(f, x, eps=1e-6):
    return 2 * gradcheck.numerical_gradient(f, x, eps)


def _sigmoid_prime_at(value):
    s = activations.sigmoid(value)
    return s * (1 - s)


EXERCISES = {
    e.name: e for e in [
        Exercise(
            "sigmoid", "sigmoid(z)", activations.sigmoid, _sigmoid_cases, [
                Mistake("sign error in the exponent", "sigma(z) = 1 / (1 + exp(-z)): the exponent is -z, not z.",
                        lambda z: 1 / (1 + np.exp(np.asarray(z, float)))),
                Mistake("missing 1 +", "the denominator is 1 + exp(-z), not exp(-z) alone.",
                        lambda z: 1 / np.exp(-np.asarray(z, float))),
                Mistake("rounded output", "do not round: the course computes at full precision (the original's "
                        "rounding to 4 decimals is defect 1).", lambda z: np.around(activations.sigmoid(z), 4)),
            ]),
        Exercise(
            "forward_prop", "forward_prop(W, b, x)", layers.forward_prop, _forward_cases, [
                Mistake("missing activation", "you returned z = W @ x + b; apply the sigmoid to it.",
                        lambda W, b, x: np.asarray(W) @ x + b),
                Mistake("bias added after the sigmoid", "the bias belongs inside: sigmoid(W @ x + b).",
                        lambda W, b, x: activations.sigmoid(np.asarray(W) @ x) + b),
                Mistake("missing bias", "add the bias b before the sigmoid: sigmoid(W @ x + b).",
                        lambda W, b, x: activations.sigmoid(np.asarray(W) @ x)),
                Mistake("transposed weights", "W has shape (out, in): compute W @ x, not W.T @ x (or x @ W).",
                        lambda W, b, x: activations.sigmoid(np.asarray(W).T @ x + b)),
                Mistake("rounded output", "do not round: the course computes at full precision (the original's "
                        "rounding to 4 decimals is defect 1).",
                        lambda W, b, x: np.around(layers.forward_prop(W, b, x), 4)),
            ]),
        Exercise(
            "mse", "mse(y, yhat)", losses.mse, _mse_cases, [
                Mistake("mean instead of sum", "L = 0.5 * sum((yhat - y)**2): sum over the outputs, do not average.",
                        lambda y, yhat: 0.5 * np.mean((np.asarray(yhat) - y) ** 2)),
                Mistake("missing 1/2", "keep the 1/2: it cancels the 2 of the derivative, so dL/dyhat = yhat - y.",
                        lambda y, yhat: np.sum((np.asarray(yhat) - y) ** 2)),
                Mistake("mean without the 1/2", "L = 0.5 * sum((yhat - y)**2): a sum with a half, not a mean.",
                        lambda y, yhat: np.mean((np.asarray(yhat) - y) ** 2)),
                Mistake("difference not squared", "square each difference before summing.",
                        lambda y, yhat: 0.5 * np.sum(np.asarray(yhat) - y)),
            ]),
        Exercise(
            "output_grad", "output_grad(y, yhat)", losses.output_grad, _mse_cases, [
                Mistake("sign error", "the derivative of 0.5 * (yhat - y)**2 w.r.t. yhat is yhat - y, not y - yhat.",
                        lambda y, yhat: np.asarray(y) - yhat),
                Mistake("factor of 2", "the 1/2 in the loss cancels the 2: the gradient is yhat - y, not 2 * (yhat - y).",
                        lambda y, yhat: 2 * (np.asarray(yhat) - y)),
            ]),
        Exercise(
            "sigmoid_grad", "sigmoid_grad(h, upstream)", activations.sigmoid_grad, _sigmoid_grad_cases, [
                Mistake("derivative taken at the pre-activation",
                        "h is already sigmoid(z): use h * (1 - h), not sigmoid(h) * (1 - sigmoid(h)).",
                        lambda h, up: _sigmoid_prime_at(h) * up),
                Mistake("missing sigmoid derivative", "multiply the upstream gradient by the sigmoid's derivative h * (1 - h).",
                        lambda h, up: np.array(up, dtype=float)),
                Mistake("missing upstream gradient", "the chain rule multiplies h * (1 - h) by the upstream gradient.",
                        lambda h, up: np.asarray(h) * (1 - np.asarray(h))),
                Mistake("wrong derivative h * (1 + h)", "sigma'(z) = sigma(z) * (1 - sigma(z)): a minus, not a plus.",
                        lambda h, up: np.asarray(h) * (1 + np.asarray(h)) * up),
            ]),
        Exercise(
            "weight_grad", "weight_grad(x_in, delta)", layers.weight_grad, _weight_grad_cases, [
                Mistake("swapped outer product", "dW has the shape of W, (out, in): np.outer(delta, x_in), not "
                        "np.outer(x_in, delta).", lambda x, d: np.outer(x, d)),
                Mistake("elementwise product", "every weight W[i, j] gets delta[i] * x_in[j]: an outer product, "
                        "not delta * x_in.", lambda x, d: np.asarray(d) * x),
            ]),
        Exercise(
            "hidden_unit_grad", "hidden_unit_grad(W, delta)", layers.hidden_unit_grad, _hidden_cases, [
                Mistake("missing transpose (W @ delta)", "hidden unit j reaches output i through W[i, j], so it "
                        "collects a column of W: W.T @ delta.", lambda W, d: np.asarray(W) @ d),
                Mistake("elementwise product", "each hidden unit sums over all output units: W.T @ delta, "
                        "a matrix-vector product.", lambda W, d: np.asarray(W) * d),
            ]),
        Exercise(
            "para_update", "para_update(param, grad, alpha)", optimizers.para_update, _update_cases, [
                Mistake("sign error in the update", "gradient descent steps against the gradient: "
                        "param - alpha * grad.", lambda p, g, a: np.asarray(p) + a * np.asarray(g)),
                Mistake("learning rate not applied", "scale the gradient by alpha: param - alpha * grad.",
                        lambda p, g, a: np.asarray(p) - np.asarray(g)),
                Mistake("learning rate applied twice", "use alpha once: param - alpha * grad.",
                        lambda p, g, a: np.asarray(p) - a * a * np.asarray(g)),
            ]),
        Exercise(
            "numerical_gradient", "numerical_gradient(f, x, eps=1e-6)", gradcheck.numerical_gradient,
            _numgrad_cases, forbidden=("check_gradients",), mistakes=[
                Mistake("forward instead of central differences", "use (f(x + eps) - f(x - eps)) / (2 * eps): "
                        "central differences are far more accurate.", _forward_differences),
                Mistake("missing 2 in the denominator", "a central difference spans 2 * eps: divide by 2 * eps.",
                        _central_without_half),
            ]),
        Exercise(
            "train", "train(example, alpha, steps)", lambda ex, a, n: _train(ex, a, n), _train_cases, forbidden=("trace",),
            mistakes=[
                Mistake("biases not updated", "update b1 and b2 too: para_update(b, db, alpha), with db = delta.",
                        lambda ex, a, n: _train(ex, a, n, update_biases=False)),
                Mistake("missing transpose in the hidden-layer gradient", "dL/dh1 = W2.T @ delta2, not W2 @ delta2.",
                        lambda ex, a, n: _train(ex, a, n, hidden_grad=original.hidden_unit_grad)),
                Mistake("learning rate applied twice", "each step is param - alpha * grad, with alpha once.",
                        lambda ex, a, n: _train(ex, a * a, n)),
                Mistake("first loss missing", "return steps + 1 losses: the loss before any step, then one after "
                        "each step.", lambda ex, a, n: _train(ex, a, n)[1:]),
                Mistake("last loss missing", "return steps + 1 losses: after the loop, append the loss of the "
                        "final parameters.", lambda ex, a, n: _train(ex, a, n)[:-1]),
            ]),
        Exercise(
            "forward_in_out", "forward_in_out(W, b, x)", lambda W, b, x: layers.forward_prop(W, b, x, layout="in_out"),
            _in_out_cases, forbidden=("forward_prop",), mistakes=[
                Mistake("the (out, in) formula", "here W has shape (in, out): compute sigmoid(W.T @ x + b) "
                        "(or x @ W + b), not W @ x.", lambda W, b, x: activations.sigmoid(np.asarray(W) @ x + b)),
                Mistake("missing activation", "apply the sigmoid to x @ W + b.",
                        lambda W, b, x: np.asarray(x) @ W + b),
            ]),
        Exercise(
            "weight_grad_batch", "weight_grad_batch(X, Delta)", lambda X, D: layers.weight_grad(X, D) / len(X),
            _batch_cases, forbidden=("weight_grad",), mistakes=[
                Mistake("gradient not divided by the batch size", "the loss is a mean over the batch, so its "
                        "gradient is Delta.T @ X / n.", lambda X, D: np.asarray(D).T @ X),
                Mistake("averaging over the wrong axis", "divide by the number of examples n = X.shape[0], not by "
                        "a number of units.", lambda X, D: np.asarray(D).T @ X / np.shape(D)[1]),
                Mistake("swapped product", "dW has the shape of W, (out, in): Delta.T @ X, not X.T @ Delta.",
                        lambda X, D: np.asarray(X).T @ D / len(X)),
            ]),
        Exercise(
            "relu_grad", "relu_grad(h, upstream)", activations.relu_grad, _relu_cases, mistakes=[
                Mistake("ReLU derivative at zero", "where h == 0 the unit was off (z <= 0): its derivative is 0 "
                        "there, so use h > 0, not h >= 0.", lambda h, up: (np.asarray(h) >= 0) * up),
                Mistake("multiplied by h instead of its derivative", "relu's derivative is 1 where h > 0 and 0 "
                        "elsewhere, not h itself.", lambda h, up: np.asarray(h) * up),
                Mistake("missing upstream gradient", "multiply the 0/1 derivative by the upstream gradient.",
                        lambda h, up: (np.asarray(h) > 0).astype(float)),
            ]),
        Exercise(
            "softmax", "softmax(z)", losses.softmax, _softmax_cases, mistakes=[
                Mistake("softmax without the max shift overflowing", "exp(1000) overflows to inf: subtract each "
                        "row's maximum first, z - z.max(axis=-1, keepdims=True); the result is unchanged.",
                        _naive_softmax),
                Mistake("normalised over the wrong axis", "each row (one example) must sum to 1: sum over "
                        "axis=-1 with keepdims=True.",
                        lambda z: np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum(axis=0, keepdims=True)),
            ]),
        Exercise(
            "softmax_cross_entropy_grad", "softmax_cross_entropy_grad(labels, logits)",
            losses.softmax_cross_entropy_grad, _xent_cases, forbidden=("xent_and_grad",), mistakes=[
                Mistake("cross-entropy gradient missing the softmax", "the gradient is softmax(Z) - Y, not Z - Y: "
                        "apply the softmax to the logits first.",
                        lambda y, Z: (np.asarray(Z) - losses.one_hot(y, np.shape(Z)[1])) / len(y)),
                Mistake("gradient not divided by the batch size", "the loss is a mean over the n examples: "
                        "divide P - Y by n.",
                        lambda y, Z: losses.softmax(Z) - losses.one_hot(y, np.shape(Z)[1])),
                Mistake("sign error", "the gradient is P - Y (too much probability on a class pushes it down), "
                        "not Y - P.",
                        lambda y, Z: (losses.one_hot(y, np.shape(Z)[1]) - losses.softmax(Z)) / len(y)),
            ]),
        Exercise(
            "momentum_update", "momentum_update(param, grad, velocity, learning_rate, beta)",
            optimizers.momentum_update, _momentum_cases, mistakes=[
                Mistake("velocity not decayed", "multiply the old velocity by beta before adding the gradient: "
                        "v = beta * v + grad.", lambda p, g, v, a, b: (p - a * (v + g), v + g)),
                Mistake("sign error in the update", "step against the velocity: param - learning_rate * v.",
                        lambda p, g, v, a, b: (p + a * (b * v + g), b * v + g)),
                Mistake("old velocity used for the step", "update the velocity first, then step with the new one.",
                        lambda p, g, v, a, b: (p - a * v, b * v + g)),
            ]),
        Exercise(
            "adam_update", "adam_update(param, grad, m, v, t, learning_rate, beta1, beta2, eps)",
            optimizers.adam_update, _adam_cases, mistakes=[
                Mistake("bias correction missing", "divide m by (1 - beta1**t) and v by (1 - beta2**t): both start "
                        "at 0, so they are biased towards 0 in the first steps.", _adam_variant(bias_correction=False)),
                Mistake("square root forgotten", "divide by np.sqrt(v_hat) + eps: v is a mean of squared "
                        "gradients, so its root has the gradient's scale.", _adam_variant(root=False)),
                Mistake("epsilon inside the root", "add eps after the square root: np.sqrt(v_hat) + eps, not "
                        "np.sqrt(v_hat + eps).", _adam_variant(eps_inside=True)),
            ]),
        Exercise(
            "tanh_grad", "tanh_grad(h, upstream)", activations.tanh_grad, _tanh_cases, mistakes=[
                Mistake("derivative taken at the input", "h is already tanh(z): use 1 - h**2, not "
                        "1 - tanh(h)**2.", lambda h, up: (1 - np.tanh(h) ** 2) * up),
                Mistake("sign error (1 + h**2)", "tanh'(z) = 1 - tanh(z)**2: a minus.",
                        lambda h, up: (1 + np.asarray(h) ** 2) * up),
                Mistake("missing upstream gradient", "multiply by the upstream gradient (the chain rule).",
                        lambda h, up: 1 - np.asarray(h) ** 2),
            ]),
        Exercise(
            "confusion_matrix", "confusion_matrix(labels, predictions, k)", network.confusion_matrix,
            _confusion_cases, mistakes=[
                Mistake("rows and columns swapped", "row i is the true class i, column j the predicted class j: "
                        "count C[label, prediction].",
                        lambda y, p, k: network.confusion_matrix(y, p, k).T),
            ]),
    ]
}


# --- running the learner's function --------------------------------------------------------------------------

@contextlib.contextmanager
def time_limit(seconds):
    """Raise CheckTimeout in the main thread after `seconds` (Unix); elsewhere, no limit."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def handler(signum, frame):
        raise CheckTimeout()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What one call of the learner's function did, as plain data (it may come back from another process).

    status: "ok", "raised" or "timeout"; value: the result as a float array (None if it was
    not numbers); error: (exception type name, message); mutated: index of an argument it
    changed in place, or None.
    """

    status: str
    value: object = None
    error: tuple = ("", "")
    mutated: object = None


def _copy(value):
    """A private copy of an argument, so the learner's function cannot change the check's inputs."""
    return copy.deepcopy(value)


def _as_result(value):
    """A return value as a float array, or None if it is not numbers."""
    try:
        return as_float_array(value, "result", "check")
    except ValueError:
        return None


def call(fn, args, limit=None):
    """Call fn on private copies of args, with a time limit; return an Outcome (never raises)."""
    copies = tuple(_copy(a) for a in args)
    try:
        # A wrong answer may overflow: that shows in its values, not as warnings in the learner's notebook.
        with time_limit(TIME_LIMIT if limit is None else limit), np.errstate(all="ignore"), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = fn(*copies)
    except CheckTimeout:
        return Outcome("timeout")
    except Exception as err:  # the learner's exception is data for the verdict
        return Outcome("raised", error=(type(err).__name__, str(err)[:300]))
    mutated = next((i for i, (a, c) in enumerate(zip(args, copies))
                    if isinstance(a, np.ndarray) and not np.array_equal(a, c, equal_nan=True)), None)
    return Outcome("ok", value=_as_result(value), mutated=mutated)


def _close(a, b):
    return (a is not None and b is not None and a.shape == b.shape
            and np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))


def _format(value):
    return np.array2string(np.asarray(value), precision=8, suppress_small=True, separator=", ")


def cases_for(name, seed=0):
    """The inputs of exercise `name`, drawn with `seed` (0 is what the notebooks' check cells use)."""
    return EXERCISES[name].cases(np.random.default_rng(seed))


def is_reference(name, fn):
    """True when fn is one of the package's own functions that solve exercise `name`."""
    import nnfromscratch

    exercise = EXERCISES[name]
    refs = [exercise.reference] + [getattr(nnfromscratch, n, None) for n in exercise.forbidden]
    return any(fn is r for r in refs if r is not None)


def evaluate(name, fn, seed=0):
    """Check the learner's `fn` for exercise `name`; return a CheckResult (never raises for fn's sake)."""
    exercise = EXERCISES.get(name)
    if exercise is None:
        return CheckResult(name, False, f"There is no exercise called {name!r}; choose one of {sorted(EXERCISES)}.")
    head = f"{exercise.signature}:"
    if not callable(fn):
        return CheckResult(name, False, f"❌ {head} expected a function, but got {type(fn).__name__}. "
                                        f"Pass the function itself: check({name!r}, {name}).")
    if is_reference(name, fn):
        return CheckResult(name, False, REFERENCE_MESSAGE.format(head=head), mistake="reference function used")
    cases = cases_for(name, seed)
    outcomes = []
    for case in cases:
        outcomes.append(call(fn, case.args))
        if outcomes[-1].status == "timeout":
            break  # one endless loop is enough to report
    return judge(name, cases, outcomes)


REFERENCE_MESSAGE = ("❌ {head} this calls the package's own reference function instead of your code. "
                     "Write the function yourself in the exercise cell.")


def judge(name, cases, outcomes, limit=None):
    """The verdict for exercise `name` from the learner's outcomes on `cases` (computed wherever they ran).

    limit: the time limit per call that was used (for the message; default TIME_LIMIT).
    """
    exercise = EXERCISES[name]
    head = f"{exercise.signature}:"
    n = len(cases)
    for case, out in zip(cases, outcomes):
        if out.status == "timeout":
            return CheckResult(name, False, f"❌ {head} stopped after {limit or TIME_LIMIT:g} s on {case.label}. "
                                            "Is there a loop that never ends?", mistake="time limit", n_cases=n)
        if out.status == "raised" and out.error[0] == "NotImplementedError":
            return CheckResult(name, False, f"❌ {head} not written yet (it raises NotImplementedError). "
                                            "Replace `raise NotImplementedError()` with your code.",
                               mistake="not implemented", n_cases=n)
        if out.mutated is not None:
            return CheckResult(name, False, f"❌ {head} it changed its argument number {out.mutated + 1} in place "
                                            f"(on {case.label}). Return a new array and leave the inputs alone: "
                                            "write `p = p - alpha * g`, not `p -= alpha * g` or `p[...] = ...`.",
                               mistake="argument modified in place", n_cases=n)
    if len(outcomes) < n:
        return CheckResult(name, False, f"❌ {head} could not be run on every input.", n_cases=n)
    expected = [_as_result(exercise.reference(*_copy(case.args))) for case in cases]
    if all(o.status == "ok" and _close(o.value, e) for o, e in zip(outcomes, expected)):
        return CheckResult(name, True, f"✅ {head} correct on all {n} inputs "
                                       f"({'; '.join(c.label for c in cases)}).", n_cases=n)
    for mistake in exercise.mistakes:
        if _matches(mistake, cases, outcomes):
            return CheckResult(name, False, f"❌ {head} this looks like a known mistake: {mistake.name}. "
                                            f"Hint: {mistake.hint}", mistake=mistake.name, n_cases=n)
    return CheckResult(name, False, f"❌ {head} " + _first_difference(cases, outcomes, expected), n_cases=n)


def _matches(mistake, cases, outcomes):
    """True when the learner's results equal the mistake's on every input (raising where it raises)."""
    valued = 0
    for case, out in zip(cases, outcomes):
        wrong = call(mistake.fn, case.args)
        if wrong.status != "ok":
            if out.status != "raised":
                return False
            continue
        if out.status != "ok" or not _close(out.value, wrong.value):
            return False
        valued += 1
    return valued > 0


def _first_difference(cases, outcomes, expected):
    for case, out, exp in zip(cases, outcomes, expected):
        if out.status == "raised":
            shapes = [np.shape(getattr(a, "W1", a)) for a in case.args if not callable(a)]
            return f"on {case.label} it raised {out.error[0]}: {out.error[1]}. The arguments had shapes {shapes}."
        if out.value is None:
            return f"on {case.label} it returned something that is not numbers; expected {_format(exp)}."
        value = out.value
        if value.shape != exp.shape:
            extra = " (the transpose of the right shape)" if value.shape == exp.shape[::-1] and value.ndim == 2 else ""
            return f"on {case.label} it returned shape {value.shape}{extra}, but the answer has shape {exp.shape}."
        if not np.allclose(value, exp, rtol=RTOL, atol=ATOL):
            bad = tuple(np.argwhere(~np.isclose(value, exp, rtol=RTOL, atol=ATOL))[0])
            where = f"entry [{', '.join(str(int(i)) for i in bad)}]" if value.ndim else "the value"
            return f"on {case.label}, {where} is {float(value[bad]):.8f} but should be {float(exp[bad]):.8f}."
    return "wrong, but no single entry could be singled out."


def check(name, fn):
    """Check the learner's function for exercise `name` and print the verdict (see `evaluate`)."""
    print(evaluate(name, fn).message)
