"""The exercise catalogue (exercises/part1.py, part2.py, the registry EXERCISES): an independent correct answer
to every exercise passes, every catalogued mistake is named with its hint, every exercise has inputs other
than the worked example."""

import numpy as np
import pytest

import nnfromscratch as nn
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
    cases = EXERCISES[name].cases(np.random.default_rng(0))
    shapes = {tuple(np.shape(getattr(a, "W1", a)) for a in c.args if not callable(a)) for c in cases}
    assert len(cases) >= 3 and len(shapes) >= 2
