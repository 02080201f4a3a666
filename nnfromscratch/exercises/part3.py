"""Part III's exercises, in lesson order: each one unit, its input cases just above it, its mistakes inside it.

Two exercises draw random numbers (`he_init`, `dropout_forward`). Their cases carry a seed, and the exercise's
`probe` hands the learner's function a fresh `np.random.default_rng(seed)`, so the learner, the reference and each
mistake draw the same numbers and can be compared entry by entry (and a seed, unlike a Generator, can be sent
to the grader).
"""

import numpy as np

from .. import diagnostics, initializers, losses, regularization
from .exercise import Case, Exercise, Mistake
from .inputs import rand, worked

# The learner's function receives a Generator made from the case's seed (see the module's docstring).
_WITH_RNG = {
    "he_init": "lambda f: (lambda n_in, n_out, seed: f(n_in, n_out, np.random.default_rng(seed)))",
    "dropout_forward": "lambda f: (lambda H, keep, seed, training: f(H, keep, np.random.default_rng(seed), training))",
}


# --- 14: initialisation -------------------------------------------------------------------------------------------

def _he_cases(rng):
    seeds = rng.integers(0, 2**31, size=3)
    return [
        Case("n_in = 5, n_out = 3", (5, 3, int(seeds[0]))),
        Case("n_in = 2, n_out = 6", (2, 6, int(seeds[1]))),
        Case("n_in = 100, n_out = 10 (a layer of the digits network)", (100, 10, int(seeds[2]))),
    ]


HE_INIT = Exercise(
    "he_init", "he_init(n_in, n_out, rng)", initializers.he_init, _he_cases, [
        Mistake("fan_out for fan_in", "the variance 2/n_in counts the inputs each unit sums over (n_in), "
                "not the units of the layer (n_out).",
                lambda n_in, n_out, rng: rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_out)),
        Mistake("variance for standard deviation", "2/n_in is the variance; standard_normal has standard "
                "deviation 1, so multiply by the standard deviation np.sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.standard_normal((n_out, n_in)) * (2.0 / n_in)),
        Mistake("LeCun's variance 1/n_in", "that is LeCun's initialisation; a ReLU zeroes half of its inputs, so He "
                "doubles the variance: np.sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.standard_normal((n_out, n_in)) * np.sqrt(1.0 / n_in)),
        Mistake("drawn as (n_in, n_out) and transposed", "the distribution is right, but the check compares the "
                "numbers drawn: draw rng.standard_normal((n_out, n_in)) directly, in the (out, in) layout.",
                lambda n_in, n_out, rng: (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).T),
    ], forbidden=("initializers.lecun_init", "initializers.xavier_init", "network.init_params"),
    probe=_WITH_RNG["he_init"])


# --- 15: the learning slowdown --------------------------------------------------------------------------------------

def _bce_cases(rng):
    y_hat = 1 / (1 + np.exp(-rand(rng, 4, low=-6, high=6)))
    return [
        Case("the saturated worked example: y = [0.01, 0.99], y_hat = [0.99650858, 0.76771788]",
             (worked().y, np.array([0.99650858, 0.76771788]))),
        Case("4 outputs with targets 0 or 1, some saturated", (rng.integers(0, 2, size=4).astype(float), y_hat)),
        Case("5 outputs with targets between 0 and 1", (rand(rng, 5, low=0, high=1), rand(rng, 5, low=0.05,
                                                                                          high=0.95))),
    ]


BINARY_CROSS_ENTROPY_GRAD = Exercise(
    "binary_cross_entropy_grad", "binary_cross_entropy_grad(y, y_hat)", losses.binary_cross_entropy_grad,
    _bce_cases, [
        Mistake("keeping σ′", "that is squared error's delta, (y_hat - y) * y_hat * (1 - y_hat). For cross-entropy, "
                "dL/dy_hat = (y_hat - y) / (y_hat (1 - y_hat)), and multiplying by σ′ = y_hat (1 - y_hat) cancels "
                "it: dL/dz = y_hat - y.",
                lambda y, y_hat: (y_hat - y) * y_hat * (1 - y_hat)),
        Mistake("gradient with respect to y_hat instead of z", "you stopped at dL/dy_hat; the chain rule continues "
                "through the sigmoid, dL/dz = dL/dy_hat * y_hat (1 - y_hat), which simplifies to y_hat - y.",
                lambda y, y_hat: (y_hat - y) / (y_hat * (1 - y_hat))),
        Mistake("sign error", "the gradient points uphill: an output above its target must be pushed down, so "
                "dL/dz = y_hat - y, not y - y_hat.",
                lambda y, y_hat: y - y_hat),
        Mistake("divided by the number of outputs", "for one example the loss sums over its outputs, "
                "L = -sum(y ln y_hat + (1 - y) ln(1 - y_hat)), so dL/dz = y_hat - y with no 1/n (the 1/n of a "
                "batch's mean loss divides by the number of examples, not of outputs).",
                lambda y, y_hat: (np.asarray(y_hat) - y) / len(y)),
    ], forbidden=("losses.output_grad",))


# --- 16: generalisation ---------------------------------------------------------------------------------------------

def _l2_cases(rng):
    t = worked()
    return [
        Case("the worked example's W2, b2, dW2, db2, lam = 0.5", (t.W2, t.b2, t.dW2, t.db2, 0.5)),
        Case("a (3, 2) layer, lam = 0.1", (rand(rng, 3, 2), rand(rng, 3), rand(rng, 3, 2), rand(rng, 3), 0.1)),
        Case("a (4, 5) layer, lam = 0.01", (rand(rng, 4, 5), rand(rng, 4), rand(rng, 4, 5), rand(rng, 4), 0.01)),
    ]


L2_GRAD = Exercise(
    "l2_grad", "l2_grad(W, b, dW, db, lam)", regularization.l2_grad, _l2_cases, [
        Mistake("decaying the biases", "the penalty (lam/2) * sum(W**2) has no biases in it, so db stays as it is; "
                "only dW gets + lam * W.",
                lambda W, b, dW, db, lam: (dW + lam * W, db + lam * b)),
        Mistake("forgetting the factor 2 of the square", "the derivative of (lam/2) * W**2 is lam * W: the 2 of the "
                "square cancels the 1/2.",
                lambda W, b, dW, db, lam: (dW + lam / 2 * W, db)),
        Mistake("forgetting the factor lam", "the penalty's gradient is lam * W: lam sets how strongly the weights "
                "are pulled towards 0.",
                lambda W, b, dW, db, lam: (dW + W, db)),
        Mistake("the penalty's gradient alone", "add lam * W to the data gradient dW; the loss still has its data "
                "term.", lambda W, b, dW, db, lam: (lam * W, db)),
        Mistake("sign error", "the penalty grows with |W|, so its gradient lam * W is added: dW + lam * W.",
                lambda W, b, dW, db, lam: (dW - lam * W, db)),
    ], returns=("dW", "db"))


def _dropout_cases(rng):
    seeds = [int(s) for s in rng.integers(0, 2**31, size=4)]
    return [
        Case("training, keep = 0.5, a (4, 6) batch", (rand(rng, 4, 6), 0.5, seeds[0], True)),
        Case("training, keep = 0.8, a (3, 5) batch", (rand(rng, 3, 5), 0.8, seeds[1], True)),
        Case("test time (training = False), keep = 0.5, a (2, 3) batch", (rand(rng, 2, 3), 0.5, seeds[2], False)),
        Case("training, keep = 0.25, a (5, 2) batch", (rand(rng, 5, 2), 0.25, seeds[3], True)),
    ]


_DRAWS = {"random < keep": lambda rng, shape, keep: rng.random(shape) < keep,
          "random > 1 - keep": lambda rng, shape, keep: rng.random(shape) > 1 - keep,
          "binomial": lambda rng, shape, keep: rng.binomial(1, keep, size=shape) == 1}


def _dropout_variant(rescale=True, at_test="off", mask_scaled=True, draw="random < keep"):
    def forward(H, keep, rng, training):
        H = np.asarray(H, dtype=float)
        if not training and at_test == "off":
            return H, np.ones_like(H)
        if not training and at_test == "scaled":
            return H * keep, np.full_like(H, keep)
        kept = _DRAWS[draw](rng, H.shape, keep).astype(float)
        out = H * kept / keep if rescale else H * kept
        return out, (kept / keep if rescale and mask_scaled else kept)
    return forward


DROPOUT_FORWARD = Exercise(
    "dropout_forward", "dropout_forward(H, keep, rng, training)", regularization.dropout_forward, _dropout_cases, [
        Mistake("no rescaling", "inverted dropout divides the kept outputs by keep, so that each unit's expected "
                "output is unchanged and nothing needs rescaling at test time: mask = (rng.random(H.shape) < keep) "
                "/ keep.", _dropout_variant(rescale=False)),
        Mistake("dropout left on at test time", "with training=False return H itself and a mask of ones: at test "
                "time every unit takes part, or each prediction is made by a random part of the network.",
                _dropout_variant(at_test="on")),
        Mistake("rescaled at test time instead", "that is the original dropout, which multiplies by keep at test "
                "time; inverted dropout divides by keep during training, so at test time H passes unchanged.",
                _dropout_variant(rescale=False, at_test="scaled")),
        Mistake("mask returned without its 1/keep", "H_out is right, but the backward pass multiplies by the mask, "
                "so the mask must include the same 1/keep: return (rng.random(H.shape) < keep) / keep.",
                _dropout_variant(mask_scaled=False)),
        Mistake("another random draw (rng.random(...) > 1 - keep)", "right in distribution, but the check compares "
                "the very numbers drawn: draw exactly rng.random(H.shape) < keep, as the instructions say.",
                _dropout_variant(draw="random > 1 - keep")),
        Mistake("another random draw (rng.binomial)", "right in distribution, but the check compares the very "
                "numbers drawn: draw exactly rng.random(H.shape) < keep, as the instructions say.",
                _dropout_variant(draw="binomial")),
    ], returns=("H_out", "mask"), probe=_WITH_RNG["dropout_forward"])


# --- 17: debugging ------------------------------------------------------------------------------------------------

def _ratio_cases(rng):
    t = worked()
    return [
        Case("the worked example's W1, dW1, learning rate 0.1", (t.W1, t.dW1, 0.1)),
        Case("a (3, 4) layer, learning rate 0.5", (rand(rng, 3, 4), rand(rng, 3, 4) * 0.01, 0.5)),
        Case("a (10, 5) layer, learning rate 0.01", (rand(rng, 10, 5), rand(rng, 10, 5), 0.01)),
    ]


UPDATE_RATIO = Exercise(
    "update_ratio", "update_ratio(W, dW, learning_rate)", diagnostics.update_ratio, _ratio_cases, [
        Mistake("learning rate forgotten", "the update is learning_rate * dW, so the ratio is "
                "norm(learning_rate * dW) / norm(W).",
                lambda W, dW, lr: float(np.linalg.norm(dW) / np.linalg.norm(W))),
        Mistake("ratio upside down", "divide the update's norm by the weights' norm: norm(learning_rate * dW) / "
                "norm(W), a small number (about 1e-3) in a healthy run.",
                lambda W, dW, lr: float(np.linalg.norm(W) / np.linalg.norm(lr * dW))),
        Mistake("squared norms", "use the norms themselves, np.linalg.norm(...), not their squares (sums of squares).",
                lambda W, dW, lr: float(np.sum((lr * dW) ** 2) / np.sum(W ** 2))),
        Mistake("mean of entrywise ratios", "compare the sizes of the whole update and the whole weight matrix, "
                "norm(learning_rate * dW) / norm(W), not entry by entry (one tiny weight would dominate).",
                lambda W, dW, lr: float(np.mean(np.abs(lr * dW / W)))),
    ], forbidden=("diagnostics.update_ratios",))


EXERCISES = [HE_INIT, BINARY_CROSS_ENTROPY_GRAD, L2_GRAD, DROPOUT_FORWARD, UPDATE_RATIO]
