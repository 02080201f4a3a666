"""The exercise checker: passes correct code, fails wrong code, names catalogued mistakes."""

import copy
import inspect
import time

import numpy as np
import pytest

import nnfromscratch as nn
import own_engine
from nnfromscratch import checks
from nnfromscratch.checks import EXERCISES, evaluate
from nnfromscratch.exercises import judge, part1


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


def learner_adam(p, g, m, s, t, lr, b1, b2, kappa):
    m = b1 * m + (1 - b1) * g
    s = b2 * s + (1 - b2) * g ** 2
    return p - lr * (m / (1 - b1 ** t)) / (np.sqrt(s / (1 - b2 ** t)) + kappa), m, s


def learner_train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start:start + batch_size]
        loss, grads = gradients(params, X[batch], labels[batch])
        params = [(W - learning_rate * dW, b - learning_rate * db) for (W, b), (dW, db) in zip(params, grads)]
    return params


def learner_dense_forward(W, b, X, activation):
    Z = X @ W.T + b
    H = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
         "linear": lambda z: z}[activation](Z)
    return H, (X, W, H, activation)


def learner_dense_backward(dH, cache):
    X, W, H, activation = cache
    slope = {"relu": (H > 0).astype(float), "sigmoid": H * (1 - H), "tanh": 1 - H ** 2, "linear": 1.0}[activation]
    delta = slope * dH
    return delta @ W, delta.T @ X, delta.sum(axis=0)


def learner_network_backward(dout, caches, layer_backward):
    grads = []
    for cache in caches[::-1]:
        dout, dW, db = layer_backward(dout, cache)
        grads.insert(0, (dW, db))
    return grads


def learner_cross_entropy(labels, logits):
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(labels)), labels].mean()


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
        "weight_grad_batch": lambda X, D: D.T @ X,
        "train_epoch": learner_train_epoch,
        "dense_forward": learner_dense_forward,
        "dense_backward": learner_dense_backward,
        "network_backward": learner_network_backward,
        "cross_entropy": learner_cross_entropy,
        "relu_grad": lambda h, up: np.where(h > 0, up, 0.0),
        "softmax": lambda z: np.exp(z - z.max(axis=-1, keepdims=True)) / np.exp(z - z.max(axis=-1, keepdims=True)).sum(
            axis=-1, keepdims=True),
        "softmax_cross_entropy_grad": learner_xent_grad,
        "confusion_matrix": learner_confusion,
        "momentum_update": lambda p, g, v, lr, beta: (p - lr * (beta * v + g), beta * v + g),
        "adam_update": learner_adam,
        "value_add": own_engine.value_add,
        "value_mul": own_engine.value_mul,
        "value_tanh": own_engine.value_tanh,
        "topological_order": own_engine.topological_order,
        "backward": own_engine.backward,
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


def _ignoring(exercise, index, cases):
    """The reference with argument `index` ignored: it always gets the value that argument has in the first case,
    or its default when the first case leaves it out (as a learner who hard-codes eps=1e-6 would)."""
    if index < len(cases[0].args):
        fixed = cases[0].args[index]
    else:
        fixed = list(inspect.signature(exercise.reference).parameters.values())[index].default

    def variant(*args):
        args = list(args)
        if index < len(args):
            args[index] = copy.deepcopy(fixed)
        return exercise.reference(*args)
    return variant


@pytest.mark.parametrize("name,index", [(e.name, i) for e in part1.EXERCISES for i in range(len(e.parameters))],
                         ids=lambda v: str(v))
def test_ignoring_any_argument_of_a_part_one_exercise_fails_its_check(name, index):
    exercise = EXERCISES[name]
    result = evaluate(name, _ignoring(exercise, index, exercise.cases(np.random.default_rng(0))))
    assert not result.passed, f"{exercise.signature} passes while ignoring {exercise.parameters[index]}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_exercise_has_inputs_other_than_the_worked_example(name):
    exercise = EXERCISES[name]
    cases = exercise.cases(np.random.default_rng(0))
    shapes = {tuple(str(judge._shape(getattr(a, "W1", a))) for a in c.args if not callable(a)) for c in cases}
    # Exercises whose arguments are sizes (he_init) show their shapes in the answer instead.
    answers = {np.shape(exercise.target(exercise.reference)(*c.args)) for c in cases} if len(shapes) < 2 else set()
    assert len(cases) >= 3 and (len(shapes) >= 2 or len(answers) >= 2)
