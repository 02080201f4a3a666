"""The exercise checker: passes correct code, fails wrong code, names catalogued mistakes."""

import time

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import checks
from nnfromscratch.checks import EXERCISES, evaluate


def learner_train(ex, alpha, steps):
    """A training loop as a learner writes it, from the package's functions."""
    W1, b1, W2, b2 = ex.W1, ex.b1, ex.W2, ex.b2
    losses = []
    for _ in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, ex.x)
        y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(ex.y, y_hat))
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(ex.y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1, b1 = nn.para_update(W1, nn.weight_grad(ex.x, d1), alpha), nn.para_update(b1, d1, alpha)
        W2, b2 = nn.para_update(W2, nn.weight_grad(h1, d2), alpha), nn.para_update(b2, d2, alpha)
    return losses


def learner_xent_grad(labels, logits):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)


def learner_confusion(labels, predictions, k):
    c = np.zeros((k, k))
    for t, p in zip(labels, predictions):
        c[t, p] += 1
    return c


def learner_adam(p, g, m, v, t, lr, b1, b2, eps):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    return p - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps), m, v


def learner_dropout(H, keep, rng, training):
    if not training:
        return H, np.ones(H.shape)
    mask = np.where(rng.random(H.shape) < keep, 1 / keep, 0.0)
    return H * mask, mask


def own_version(name):
    """A learner-style correct answer, written independently of the reference."""
    return {
        "sigmoid": lambda z: 1 / (1 + np.exp(-np.asarray(z, float))),
        "forward_prop": lambda W, b, x: 1 / (1 + np.exp(-(W @ x + b))),
        "mse": lambda y, yhat: 0.5 * np.sum((yhat - y) ** 2),
        "output_grad": lambda y, yhat: yhat - y,
        "sigmoid_grad": lambda h, up: h * (1 - h) * up,
        "weight_grad": lambda x, d: np.outer(d, x),
        "hidden_unit_grad": lambda W, d: W.T @ d,
        "para_update": lambda p, g, a: p - a * g,
        "train": learner_train,
        "weight_grad_batch": lambda X, D: D.T @ X / X.shape[0],
        "relu_grad": lambda h, up: np.where(h > 0, up, 0.0),
        "softmax": lambda z: np.exp(z - z.max(axis=-1, keepdims=True)) / np.exp(z - z.max(axis=-1, keepdims=True)).sum(
            axis=-1, keepdims=True),
        "softmax_cross_entropy_grad": learner_xent_grad,
        "confusion_matrix": learner_confusion,
        "momentum_update": lambda p, g, v, lr, beta: (p - lr * (beta * v + g), beta * v + g),
        "adam_update": learner_adam,
        "tanh_grad": lambda h, up: (1 - h * h) * up,
        "forward_in_out": lambda W, b, x: 1 / (1 + np.exp(-(x @ W + b))),
        "numerical_gradient": lambda f, x, eps=1e-6: np.array(
            [(f(x + eps * e.reshape(x.shape)) - f(x - eps * e.reshape(x.shape))) / (2 * eps)
             for e in np.eye(x.size)]).reshape(x.shape),
        "he_init": lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(2 / n_in), size=(n_out, n_in)),
        "binary_cross_entropy_grad": lambda y, y_hat: y_hat - y,
        "l2_grad": lambda W, b, dW, db, lam: (dW + lam * W, db),
        "dropout_forward": learner_dropout,
        "update_ratio": lambda W, dW, lr: np.sqrt(np.sum((lr * dW) ** 2)) / np.sqrt(np.sum(W ** 2)),
    }[name]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_a_correct_answer_passes(name):
    result = evaluate(name, own_version(name))
    assert result.passed, result.message


@pytest.mark.parametrize("name,mistake", [(e.name, m) for e in EXERCISES.values() for m in e.mistakes],
                         ids=lambda v: getattr(v, "name", v))
def test_each_catalogued_mistake_is_named_with_its_hint(name, mistake):
    result = evaluate(name, mistake.fn)
    assert not result.passed
    assert result.mistake == mistake.name, result.message
    assert mistake.hint in result.message


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_exercise_has_inputs_other_than_the_worked_example(name):
    exercise = EXERCISES[name]
    cases = exercise.cases(np.random.default_rng(0))
    shapes = {tuple(np.shape(getattr(a, "W1", a)) for a in c.args if not callable(a)) for c in cases}
    # Exercises whose arguments are sizes (he_init) show their shapes in the answer instead.
    answers = {np.shape(exercise.target(exercise.reference)(*c.args)) for c in cases} if len(shapes) < 2 else set()
    assert len(cases) >= 3 and (len(shapes) >= 2 or len(answers) >= 2)


def test_a_hard_coded_worked_example_answer_fails():
    t = nn.trace()
    result = evaluate("hidden_unit_grad", lambda W, d: t.dL_dh1)
    assert not result.passed and "W of shape (3, 5)" in result.message


def test_unknown_wrong_answer_shows_first_wrong_entry():
    result = evaluate("output_grad", lambda y, yhat: (yhat - y) * 1.5)
    assert not result.passed and result.mistake == ""
    assert "entry [0] is" in result.message and "but should be" in result.message


def test_wrong_shape_and_transpose_reported():
    result = evaluate("weight_grad", lambda x, d: np.zeros((len(x), len(d) + 1)))
    assert "shape" in result.message and not result.passed


def test_in_place_change_is_caught():
    def update(p, g, a):
        p -= a * g
        return p
    result = evaluate("para_update", update)
    assert result.mistake == "argument modified in place" and "changed its argument `param` in place" in result.message


def test_not_implemented_exceptions_and_timeouts_are_reported_not_raised(monkeypatch):
    def todo(*args):
        raise NotImplementedError()
    assert "not written yet" in evaluate("mse", todo).message
    assert "raised ZeroDivisionError" in evaluate("mse", lambda y, yhat: 1 / 0).message
    assert "expected a function" in evaluate("mse", 3.0).message
    assert "not numbers" in evaluate("mse", lambda y, yhat: "0.3").message
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.2)
    start = time.perf_counter()

    def forever(y, yhat):
        while True:
            pass
    assert "stopped after 0.2 s" in evaluate("mse", forever).message
    assert time.perf_counter() - start < 2


def test_the_reference_itself_is_refused():
    assert "package's own reference" in evaluate("forward_prop", nn.forward_prop).message


def test_check_prints_the_verdict(capsys):
    checks.check("output_grad", lambda y, yhat: yhat - y)
    assert capsys.readouterr().out.startswith("✅ output_grad(y, yhat): correct on all 3 inputs")
