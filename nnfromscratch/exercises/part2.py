"""Part II's exercises, in lesson order: each one unit, its input cases just above it, its mistakes inside it."""

import numpy as np

from .. import activations, layers, losses, network, optimizers
from .exercise import Case, Exercise, Mistake
from .inputs import rand


# --- 08: batches --------------------------------------------------------------------------------------------------

def _batch_cases(rng):
    return [
        Case("a batch of 4 examples, 3 inputs, 2 outputs", (rand(rng, 4, 3), rand(rng, 4, 2))),
        Case("a batch of 7 examples, 5 inputs, 3 outputs", (rand(rng, 7, 5), rand(rng, 7, 3))),
        Case("a batch of 1 example, 2 inputs, 6 outputs", (rand(rng, 1, 2), rand(rng, 1, 6))),
    ]


WEIGHT_GRAD_BATCH = Exercise(
    "weight_grad_batch", "weight_grad_batch(X, Delta)", lambda X, D: layers.weight_grad(X, D) / len(X),
    _batch_cases, [
        Mistake("gradient not divided by the batch size", "the loss is a mean over the batch, so its "
                "gradient is Delta.T @ X / n.", lambda X, D: np.asarray(D).T @ X),
        Mistake("averaging over the wrong axis", "divide by the number of examples n = X.shape[0], not by "
                "a number of units.", lambda X, D: np.asarray(D).T @ X / np.shape(D)[1]),
        Mistake("swapped product", "dW has the shape of W, (out, in): Delta.T @ X, not X.T @ Delta.",
                lambda X, D: np.asarray(X).T @ D / len(X)),
    ], forbidden=("layers.weight_grad",))


# --- 09: layers ---------------------------------------------------------------------------------------------------

def _relu_cases(rng):
    h = np.maximum(rand(rng, 4, 5), 0)
    h[0, :2] = 0.0  # exact zeros: where the derivative's convention matters
    return [
        Case("a (4, 5) batch with some zeros", (h, rand(rng, 4, 5))),
        Case("h = [0, 0.5, 2] (a zero among them)", (np.array([0.0, 0.5, 2.0]), rand(rng, 3))),
        Case("a (2, 3) batch", (np.maximum(rand(rng, 2, 3), 0), rand(rng, 2, 3))),
    ]


RELU_GRAD = Exercise(
    "relu_grad", "relu_grad(h, upstream)", activations.relu_grad, _relu_cases, [
        Mistake("ReLU derivative at zero", "where h == 0 the unit was off (z <= 0): its derivative is 0 "
                "there, so use h > 0, not h >= 0.", lambda h, up: (np.asarray(h) >= 0) * up),
        Mistake("multiplied by h instead of its derivative", "relu's derivative is 1 where h > 0 and 0 "
                "elsewhere, not h itself.", lambda h, up: np.asarray(h) * up),
        Mistake("missing upstream gradient", "multiply the 0/1 derivative by the upstream gradient.",
                lambda h, up: (np.asarray(h) > 0).astype(float)),
    ])


# --- 10: classification ---------------------------------------------------------------------------------------------

def _softmax_cases(rng):
    return [
        Case("logits [[1, 2, 3], [0, 0, 0]]", (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),)),
        Case("large logits [[1000, 999, 0]]", (np.array([[1000.0, 999.0, 0.0]]),)),
        Case("rows on different scales [[1000, 0], [-1000, -1001]]", (np.array([[1000.0, 0.0], [-1000.0, -1001.0]]),)),
        Case("random (5, 4) logits", (rand(rng, 5, 4, low=-5, high=5),)),
    ]


def _naive_softmax(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)


SOFTMAX = Exercise(
    "softmax", "softmax(z)", losses.softmax, _softmax_cases, [
        Mistake("softmax without the max shift overflowing", "exp(1000) overflows to inf: subtract each "
                "row's maximum first, z - z.max(axis=-1, keepdims=True); the result is unchanged.",
                _naive_softmax),
        Mistake("normalised over the wrong axis", "each row (one example) must sum to 1: sum over "
                "axis=-1 with keepdims=True.",
                lambda z: np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum(axis=0, keepdims=True)),
    ], forbidden=("losses.xent_and_grad", "losses.softmax_cross_entropy_grad"))


def _xent_cases(rng):
    return [
        Case("3 examples, 4 classes", (np.array([0, 3, 1]), rand(rng, 3, 4, low=-3, high=3))),
        Case("5 examples, 2 classes", (rng.integers(0, 2, size=5), rand(rng, 5, 2, low=-3, high=3))),
        Case("1 example, 10 classes", (np.array([7]), rand(rng, 1, 10, low=-3, high=3))),
    ]


SOFTMAX_CROSS_ENTROPY_GRAD = Exercise(
    "softmax_cross_entropy_grad", "softmax_cross_entropy_grad(labels, logits)",
    losses.softmax_cross_entropy_grad, _xent_cases, [
        Mistake("cross-entropy gradient missing the softmax", "the gradient is softmax(Z) - Y, not Z - Y: "
                "apply the softmax to the logits first.",
                lambda y, Z: (np.asarray(Z) - losses.one_hot(y, np.shape(Z)[1])) / len(y)),
        Mistake("gradient not divided by the batch size", "the loss is a mean over the n examples: "
                "divide P - Y by n.",
                lambda y, Z: losses.softmax(Z) - losses.one_hot(y, np.shape(Z)[1])),
        Mistake("sign error", "the gradient is P - Y (too much probability on a class pushes it down), "
                "not Y - P.",
                lambda y, Z: (losses.one_hot(y, np.shape(Z)[1]) - losses.softmax(Z)) / len(y)),
    ], forbidden=("losses.xent_and_grad",))


# --- 11: the digits ---------------------------------------------------------------------------------------------

def _confusion_cases(rng):
    return [
        Case("6 examples, 3 classes", (np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)),
        Case("random 20 examples, 4 classes", (rng.integers(0, 4, size=20), rng.integers(0, 4, size=20), 4)),
        Case("5 examples, 2 classes, all wrong", (np.array([0, 0, 1, 1, 1]), np.array([1, 1, 0, 0, 0]), 2)),
    ]


CONFUSION_MATRIX = Exercise(
    "confusion_matrix", "confusion_matrix(labels, predictions, k)", network.confusion_matrix, _confusion_cases, [
        Mistake("rows and columns swapped", "row i is the true class i, column j the predicted class j: "
                "count C[label, prediction].",
                lambda y, p, k: network.confusion_matrix(y, p, k).T),
    ])


# --- 12: optimisers -------------------------------------------------------------------------------------------------

def _momentum_cases(rng):
    return [
        Case("a (3, 2) parameter, zero velocity, lr 0.1, beta 0.9",
             (rand(rng, 3, 2), rand(rng, 3, 2), np.zeros((3, 2)), 0.1, 0.9)),
        Case("4 entries with velocity, lr 0.05, beta 0.8", (rand(rng, 4), rand(rng, 4), rand(rng, 4), 0.05, 0.8)),
        Case("a (2, 5) parameter with velocity, lr 0.5, beta 0.99",
             (rand(rng, 2, 5), rand(rng, 2, 5), rand(rng, 2, 5), 0.5, 0.99)),
    ]


MOMENTUM_UPDATE = Exercise(
    "momentum_update", "momentum_update(param, grad, velocity, learning_rate, beta)",
    optimizers.momentum_update, _momentum_cases, [
        Mistake("velocity not decayed", "multiply the old velocity by beta before adding the gradient: "
                "v = beta * v + grad.", lambda p, g, v, a, b: (p - a * (v + g), v + g)),
        Mistake("sign error in the update", "step against the velocity: param - learning_rate * v.",
                lambda p, g, v, a, b: (p + a * (b * v + g), b * v + g)),
        Mistake("old velocity used for the step", "update the velocity first, then step with the new one.",
                lambda p, g, v, a, b: (p - a * v, b * v + g)),
    ], returns=("param", "velocity"))


def _adam_cases(rng):
    def state(*shape):
        return rand(rng, *shape), rand(rng, *shape) * 0.1, rng.uniform(1e-4, 1e-2, size=shape)
    p, g, m = state(3, 2)
    q, h, n = state(4)
    r, k, o = state(2, 3)
    return [
        Case("step t = 1 from zero moments, lr 0.01",
             (p, g, np.zeros((3, 2)), np.zeros((3, 2)), 1, 0.01, 0.9, 0.999, 1e-8)),
        Case("step t = 3 with moments, lr 0.1, eps 0.01",
             (q, h, n, rng.uniform(1e-6, 1e-4, size=4), 3, 0.1, 0.9, 0.999, 1e-2)),
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


ADAM_UPDATE = Exercise(
    "adam_update", "adam_update(param, grad, m, v, t, learning_rate, beta1, beta2, eps)",
    optimizers.adam_update, _adam_cases, [
        Mistake("bias correction missing", "divide m by (1 - beta1**t) and v by (1 - beta2**t): both start "
                "at 0, so they are biased towards 0 in the first steps.", _adam_variant(bias_correction=False)),
        Mistake("square root forgotten", "divide by np.sqrt(v_hat) + eps: v is a mean of squared "
                "gradients, so its root has the gradient's scale.", _adam_variant(root=False)),
        Mistake("epsilon inside the root", "add eps after the square root: np.sqrt(v_hat) + eps, not "
                "np.sqrt(v_hat + eps).", _adam_variant(eps_inside=True)),
    ], returns=("param", "m", "v"))


# --- 13: automatic differentiation --------------------------------------------------------------------------------

def _tanh_cases(rng):
    return [
        Case("h = tanh([0.5, -1, 2])", (np.tanh(np.array([0.5, -1.0, 2.0])), rand(rng, 3))),
        Case("a (3, 4) batch", (np.tanh(rand(rng, 3, 4, low=-3, high=3)), rand(rng, 3, 4))),
        Case("h = 0", (np.array([0.0]), np.array([0.7]))),
    ]


TANH_GRAD = Exercise(
    "tanh_grad", "tanh_grad(h, upstream)", activations.tanh_grad, _tanh_cases, [
        Mistake("derivative taken at the input", "h is already tanh(z): use 1 - h**2, not "
                "1 - tanh(h)**2.", lambda h, up: (1 - np.tanh(h) ** 2) * up),
        Mistake("sign error (1 + h**2)", "tanh'(z) = 1 - tanh(z)**2: a minus.",
                lambda h, up: (1 + np.asarray(h) ** 2) * up),
        Mistake("missing upstream gradient", "multiply by the upstream gradient (the chain rule).",
                lambda h, up: 1 - np.asarray(h) ** 2),
    ])


EXERCISES = [WEIGHT_GRAD_BATCH, RELU_GRAD, SOFTMAX, SOFTMAX_CROSS_ENTROPY_GRAD, CONFUSION_MATRIX, MOMENTUM_UPDATE,
             ADAM_UPDATE, TANH_GRAD]
