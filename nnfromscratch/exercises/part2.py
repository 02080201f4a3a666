"""Part II's exercises, in lesson order: each one unit, its input cases just above it, its mistakes inside it."""

import math

import numpy as np

from .. import activations, layers, losses, network, optimizers
from ..autodiff import Value
from .exercise import Case, Exercise, Mistake
from .inputs import rand
from .runner import Formula


# --- 08: batches --------------------------------------------------------------------------------------------------

def _batch_cases(rng):
    return [
        Case("a batch of 4 examples, 3 inputs, 2 outputs", (rand(rng, 4, 3), rand(rng, 4, 2) / 4)),
        Case("a batch of 7 examples, 5 inputs, 3 outputs", (rand(rng, 7, 5), rand(rng, 7, 3) / 7)),
        Case("a batch of 1 example, 2 inputs, 6 outputs", (rand(rng, 1, 2), rand(rng, 1, 6))),
    ]


WEIGHT_GRAD_BATCH = Exercise(
    "weight_grad_batch", "weight_grad_batch(X, Delta)", layers.weight_grad, _batch_cases, [
        Mistake("1/n twice", "Delta is dL/dZ of the batch's mean loss: it already carries the 1/n, which entered "
                "once, in the loss's gradient. dW = Delta.T @ X, a plain sum over the batch.",
                lambda X, D: np.asarray(D).T @ X / len(X)),
        Mistake("swapped product", "dW has the shape of W, (out, in): Delta.T @ X, not X.T @ Delta.",
                lambda X, D: np.asarray(X).T @ D),
        Mistake("np.outer on a batch", "np.outer flattens its arguments, so it mixes the examples: for a batch, "
                "Delta.T @ X adds up the n outer products delta_i x_i^T.", lambda X, D: np.outer(D, X)),
    ], forbidden=("layers.hidden_unit_grad", "layers.forward_prop"))  # hidden_unit_grad(X, Delta.T) is Delta.T @ X;
    # so is forward_prop(X.T, 0, Delta.T, 'linear')


# One epoch of mini-batch gradient descent, given a function for the gradients of a batch. The cases' gradient
# functions are Formulas (numpy source), so that the grader can send them into its sandbox. (They call np.sum(a),
# never a.sum(): an array method that imports lazily fails under a Formula's restricted builtins.)

def _softmax_regression():
    """gradients(params, X, labels) of a linear softmax classifier [[W, b]]: mean cross-entropy, (P - Y)/n."""
    return Formula(
        "lambda params, X, labels: (lambda Z: (lambda E: (lambda P, Y: (float(-np.mean(np.log(P[np.arange(len(X)), "
        "labels]))), [[((P - Y) / len(X)).T @ X, np.sum((P - Y) / len(X), axis=0)]]))("
        "E / np.sum(E, axis=1, keepdims=True), np.eye(Z.shape[1])[labels]))(np.exp(Z - np.max(Z, axis=1, "
        "keepdims=True))))(X @ params[0][0].T + params[0][1])")


def _tanh_regression():
    """gradients(params, X, Y) of a two-layer tanh network [[W1, b1], [W2, b2]] with the mean squared error."""
    return Formula(
        "lambda params, X, Y: (lambda H: (lambda D: (float(0.5 * np.sum(D * D) / len(X)), (lambda d2: (lambda d1: "
        "[[d1.T @ X, np.sum(d1, axis=0)], [d2.T @ H, np.sum(d2, axis=0)]])((d2 @ params[1][0]) * (1 - H * H)))("
        "D / len(X))))"
        "(H @ params[1][0].T + params[1][1] - Y))(np.tanh(X @ params[0][0].T + params[0][1]))")


def _linear_regression():
    """gradients(params, X, Y) of a linear layer [[W, b]] with the mean squared error."""
    return Formula(
        "lambda params, X, Y: (lambda D: (float(0.5 * np.sum(D * D) / len(X)), [[(D / len(X)).T @ X, "
        "np.sum(D / len(X), axis=0)]]))(X @ params[0][0].T + params[0][1] - Y)")


def _epoch_cases(rng):
    def params(*sizes):
        return [[rand(rng, n_out, n_in), rand(rng, n_out)] for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return [
        Case("a 3-4-2 tanh network with squared error: 7 examples, batches of 3 (the last has 1), "
             "learning rate 0.1, rng 1", (params(3, 4, 2), _tanh_regression(), rand(rng, 7, 3), rand(rng, 7, 2),
                                          0.1, 3, 1)),
        Case("softmax regression: 10 examples, 3 features, 4 classes, batches of 4 (the last has 2), "
             "learning rate 0.5, rng 0", (params(3, 4), _softmax_regression(), rand(rng, 10, 3),
                                          rng.integers(0, 4, size=10), 0.5, 4, 0)),
        Case("softmax regression: 9 examples, batches of 1 (one example per step), learning rate 0.05, rng 7",
             (params(2, 3), _softmax_regression(), rand(rng, 9, 2), rng.integers(0, 3, size=9), 0.05, 1, 7)),
        Case("linear regression: 6 examples in one batch of 6 (full-batch gradient descent), learning rate 0.2, "
             "rng 5", (params(2, 2), _linear_regression(), rand(rng, 6, 2), rand(rng, 6, 2), 0.2, 6, 5)),
    ]


def _epoch_variant(order="together", drop_last=False, stale=False, sign=-1.0):
    """One epoch with a classic slip: the order of the rows, the last batch, where the gradients are taken, the sign."""
    def epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
        rng, n = np.random.default_rng(rng), len(X)
        if order == "none":
            rows_X = rows_y = np.arange(n)
        elif order == "separately":
            rows_X, rows_y = rng.permutation(n), rng.permutation(n)
        elif order == "inputs only":
            rows_X, rows_y = rng.permutation(n), np.arange(n)
        elif order == "choice":
            rows_X = rows_y = rng.choice(n, size=n, replace=False)
        else:
            rows_X = rows_y = rng.permutation(n)
        start = params
        stop = n - batch_size + 1 if drop_last else n
        for first in range(0, stop, batch_size):
            _, grads = gradients(start if stale else params, X[rows_X[first:first + batch_size]],
                                 labels[rows_y[first:first + batch_size]])
            params = [[W + sign * learning_rate * dW, b + sign * learning_rate * db]
                      for (W, b), (dW, db) in zip(params, grads)]
        return params
    return epoch


# The learner returns params as a list of [W, b] pairs; compared as the flat tuple (W1, b1, W2, b2), so that a
# wrong entry is named ("b2: entry [1] is ...").
_FLAT_PAIRS = ("lambda f: lambda *args: (lambda out: tuple(a for pair in out for a in pair) "
               "if isinstance(out, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in out) "
               "else out)(f(*args))")

TRAIN_EPOCH = Exercise(
    "train_epoch", "train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng)", network.train_epoch,
    _epoch_cases, [
        Mistake("not shuffled", "an epoch visits the examples in a new random order: order = rng.permutation(len(X)), "
                "then batch k is X[order[k*B:(k+1)*B]].", _epoch_variant(order="none")),
        Mistake("labels shuffled separately from the inputs", "draw one order and use it for both, X[rows] and "
                "labels[rows]: two shuffles pair each example with another example's label.",
                _epoch_variant(order="separately")),
        Mistake("inputs shuffled but not the labels", "take the labels with the same rows as the inputs: "
                "labels[rows], or each example gets another one's label.", _epoch_variant(order="inputs only")),
        Mistake("a different shuffle than rng.permutation", "draw the order with rng.permutation(len(X)) (not "
                "rng.choice), so that your epochs use the same order as the package's.",
                _epoch_variant(order="choice")),
        Mistake("last partial batch dropped", "when B does not divide n, the last batch has the n % B rows left "
                "over: keep it, range(0, n, B), or those examples are never trained on in this epoch.",
                _epoch_variant(drop_last=True)),
        Mistake("every gradient taken at the starting parameters", "take each batch's gradient at the parameters "
                "the previous step left: params = [[W - lr * dW, b - lr * db] ...] inside the loop, then "
                "gradients(params, ...) with the new params.", _epoch_variant(stale=True)),
        Mistake("sign error in the update", "step against the gradient: W - learning_rate * dW.",
                _epoch_variant(sign=1.0)),
    ], returns=("W1", "b1", "W2", "b2"), probe=_FLAT_PAIRS)


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


# The dense layer as the lessons write it: dense_forward(W, b, X, activation) -> (H, cache) with the cache
# (X, W, H, activation), the activation a registry name; dense_backward(dH, cache) -> (dX, dW, db).

def _layer(rng, n, n_in, n_out, activation):
    """A layer's W, b, a batch X and the documented cache (X, W, H, activation), with H computed by the package."""
    W, b, X = rand(rng, n_out, n_in), rand(rng, n_out), rand(rng, n, n_in, low=-2, high=2)
    return W, b, X, (X, W, layers.forward_prop(W, b, X, activation), activation)


def _dense_forward_cases(rng):
    cases = []
    for label, (n, n_in, n_out, activation) in [
            ("a relu layer: W (3, 5), a batch of 4", (4, 5, 3, "relu")),
            ("a sigmoid layer: W (2, 4), a batch of 6", (6, 4, 2, "sigmoid")),
            ("a tanh layer: W (4, 2), a batch of 1", (1, 2, 4, "tanh")),
            ("a linear layer: W (3, 3), a batch of 5", (5, 3, 3, "linear"))]:
        W, b, X, _ = _layer(rng, n, n_in, n_out, activation)
        cases.append(Case(label, (W, b, X, activation)))
    return cases


def _dense_forward_variant(transpose=False, columns=False, activate=True, fixed=None, bias=True):
    def forward(W, b, X, activation):
        W, X = np.asarray(W), np.asarray(X)
        Z = (W @ X.T).T if not (transpose or columns) else (X @ W if transpose else W @ X.T)
        if bias:
            Z = Z + (b if not columns else np.asarray(b)[:, None])
        H = activations.get_activation(fixed or activation).fn(Z) if activate else Z
        return H, (X, W, H, activation)
    return forward


# The cache is checked as numbers, so that the grader can send it back: (H, the number of items in the cache, and
# whether its items are X, W, the returned H and the activation's name). A result that is not a pair stays as it is.
_DENSE_FORWARD_PROBE = """lambda f: lambda W, b, X, activation: (lambda out: (lambda c: (
    out[0],
    float(len(c)),
    float(len(c) == 4 and hasattr(c[0], "shape") and np.shape(c[0]) == np.shape(X) and np.array_equal(c[0], X)),
    float(len(c) == 4 and hasattr(c[1], "shape") and np.shape(c[1]) == np.shape(W) and np.array_equal(c[1], W)),
    float(len(c) == 4 and hasattr(c[2], "shape") and np.shape(c[2]) == np.shape(out[0])
          and np.array_equal(c[2], out[0])),
    float(len(c) == 4 and not hasattr(c[3], "shape") and c[3] == activation),
))(tuple(out[1]) if isinstance(out[1], (tuple, list)) else ()) if isinstance(out, (tuple, list)) and len(out) == 2
    else out)(f(W, b, X, activation))"""


def _dense_forward_cache(make):
    """The package's layer with its cache rebuilt by `make(X, W, Z, H, activation)`: a cache as a learner might
    get it wrong."""
    def forward(W, b, X, activation):
        Z = np.asarray(X) @ np.asarray(W).T + b
        H = activations.get_activation(activation).fn(Z)
        return H, make(X, W, Z, H, activation)
    return forward


DENSE_FORWARD = Exercise(
    "dense_forward", "dense_forward(W, b, X, activation)", layers.dense_forward, _dense_forward_cases, [
        Mistake("X @ W instead of X @ W.T", "W is (out, in) and X has one example per row, (n, in): "
                "Z = X @ W.T + b, of shape (n, out).", _dense_forward_variant(transpose=True)),
        Mistake("one example per column (W @ X.T)", "W @ X.T has shape (out, n), one example per column; the "
                "batch convention is one example per row: Z = X @ W.T + b, (n, out).",
                _dense_forward_variant(columns=True)),
        Mistake("activation missing", "apply the activation to Z: H = f(Z), e.g. "
                "nn.get_activation(activation).fn(Z).", _dense_forward_variant(activate=False)),
        Mistake("activation argument ignored (sigmoid every time)", "use the activation you are given: "
                "nn.forward_prop(W, b, X) without it means the sigmoid; pass it on, or apply "
                "nn.get_activation(activation).fn(Z).", _dense_forward_variant(fixed="sigmoid")),
        Mistake("bias missing", "add the bias to every row: Z = X @ W.T + b.", _dense_forward_variant(bias=False)),
        Mistake("no cache returned", "return two things, the output and what the backward pass needs: "
                "return H, (X, W, H, activation).", lambda W, b, X, activation: layers.dense_forward(W, b, X,
                                                                                                  activation)[0]),
        Mistake("Z cached instead of H", "the cache's third item is the layer's output H = f(Z): the backward pass "
                "writes the activation's derivative through H (h > 0, 1 - h**2, h (1 - h)), so with Z there it "
                "computes the derivative at the wrong point. Return H, (X, W, H, activation).",
                _dense_forward_cache(lambda X, W, Z, H, a: (X, W, Z, a))),
        Mistake("cache items in another order", "the cache is exactly (X, W, H, activation), in this order: "
                "dense_backward unpacks it as X, W, H, activation = cache.",
                _dense_forward_cache(lambda X, W, Z, H, a: (X, W, a, H))),
        Mistake("a cache of five items", "the cache holds exactly four things, (X, W, H, activation), the ones "
                "dense_backward unpacks: b is not needed (db is a sum of Delta), nor Z (the derivative is written "
                "through H).", _dense_forward_cache(lambda X, W, Z, H, a: (X, W, Z, H, a))),
        Mistake("the activation cached as an object, not its name", "the cache's last item is the name you were "
                "given, the string (\"relu\", \"tanh\", ...), not the Activation or its function: the backward "
                "pass (yours too) looks the activation up by its name.",
                _dense_forward_cache(lambda X, W, Z, H, a: (X, W, H, activations.get_activation(a)))),
    ], returns=("H", "the number of items in the cache", "the cache's first item is X (1 = yes)",
                "the cache's second item is W (1 = yes)", "the cache's third item is the output H (1 = yes)",
                "the cache's fourth item is the activation's name (1 = yes)"), probe=_DENSE_FORWARD_PROBE)


def _dense_backward_cases(rng):
    cases = []
    for label, (n, n_in, n_out, activation) in [
            ("a relu layer: W (3, 5), a batch of 4", (4, 5, 3, "relu")),
            ("a sigmoid layer: W (2, 4), a batch of 6", (6, 4, 2, "sigmoid")),
            ("a tanh layer: W (4, 3), a batch of 1", (1, 3, 4, "tanh")),
            ("a linear layer: W (3, 2), a batch of 5", (5, 2, 3, "linear"))]:
        *_, cache = _layer(rng, n, n_in, n_out, activation)
        cases.append(Case(label, (rand(rng, n, n_out) / n, cache)))
    return cases


def _dense_backward_variant(delta_from="H", dW_T=False, db="sum", mean=False, dX_from_dH=False):
    def backward(dH, cache):
        X, W, H, activation = cache
        act = activations.get_activation(activation)
        delta = {"H": act.grad(H, dH), "Z": act.grad(act.fn(H), dH), "none": np.asarray(dH)}[delta_from]
        n = len(X) if mean else 1
        dW = (np.asarray(X).T @ delta if dW_T else delta.T @ X) / n
        db_ = {"sum": delta.sum(axis=0), "none": delta, "axis 1": delta.sum(axis=1)}[db] / n
        dX = (np.asarray(dH) if dX_from_dH else delta) @ W
        return dX, dW, db_
    return backward


DENSE_BACKWARD = Exercise(
    "dense_backward", "dense_backward(dH, cache)", layers.dense_backward, _dense_backward_cases, [
        Mistake("the activation's gradient forgotten", "first backpropagate through the activation: "
                "Delta = f'(Z) * dH, written through the output, nn.get_activation(activation).grad(H, dH); then "
                "dW = Delta.T @ X, db = Delta.sum(axis=0), dX = Delta @ W.", _dense_backward_variant(delta_from="none")),
        Mistake("activation's derivative taken as if H were Z", "the cache holds the output H = f(Z), and the "
                "derivative is written through it: sigmoid h(1 - h), tanh 1 - h**2. Do not apply f to H again.",
                _dense_backward_variant(delta_from="Z")),
        Mistake("dW transposed", "dW has the shape of W, (out, in): Delta.T @ X, not X.T @ Delta.",
                _dense_backward_variant(dW_T=True)),
        Mistake("db not summed over the batch", "every example adds to the bias's gradient: "
                "db = Delta.sum(axis=0), shape (out,).", _dense_backward_variant(db="none")),
        Mistake("db summed over the wrong axis", "sum over the examples (axis=0, the rows), not over the units: "
                "db = Delta.sum(axis=0), shape (out,).", _dense_backward_variant(db="axis 1")),
        Mistake("1/n twice", "dH already carries the 1/n of the batch's mean loss (it entered once, in the loss's "
                "gradient): dW = Delta.T @ X and db = Delta.sum(axis=0) are plain sums.",
                _dense_backward_variant(mean=True)),
        Mistake("dX from dH instead of Delta", "the gradient for the layer below goes through the activation "
                "too: dX = Delta @ W, with Delta = f'(Z) * dH.", _dense_backward_variant(dX_from_dH=True)),
    ], returns=("dX", "dW", "db"))


# network_backward is checked with a layer_backward the grader can send: the dense layer's backward as numpy source.
_DENSE_BACKWARD_SOURCE = (
    "lambda dH, cache: (lambda X, W, H, a: (lambda D: (D @ W, D.T @ X, np.sum(D, axis=0)))(dH * {"
    "'relu': (H > 0) * 1.0, 'sigmoid': H * (1 - H), 'tanh': 1 - H * H, 'linear': np.ones_like(H)}[a]))(*cache)")


def _network_cases(rng):
    def caches(n, sizes, acts):
        H, out = rand(rng, n, sizes[0], low=-2, high=2), []
        for n_in, n_out, activation in zip(sizes[:-1], sizes[1:], acts):
            W, b = rand(rng, n_out, n_in), rand(rng, n_out)
            out.append((H, W, layers.forward_prop(W, b, H, activation), activation))
            H = out[-1][2]
        return out
    dense = Formula(_DENSE_BACKWARD_SOURCE)
    halved = Formula("lambda dH, cache: tuple(0.5 * g for g in DENSE(dH, cache))", DENSE=dense)
    return [
        Case("3 layers, 5 -> 4 -> 6 -> 3 (relu, tanh, linear), a batch of 6",
             (rand(rng, 6, 3) / 6, caches(6, [5, 4, 6, 3], ["relu", "tanh", "linear"]), dense)),
        Case("3 layers of width 4 (sigmoid, sigmoid, linear), a batch of 2",
             (rand(rng, 2, 4) / 2, caches(2, [4, 4, 4, 4], ["sigmoid", "sigmoid", "linear"]), dense)),
        Case("2 layers, 3 -> 5 -> 2, whose layer_backward is another function (it halves every gradient): use the "
             "one you are given", (rand(rng, 4, 2) / 4, caches(4, [3, 5, 2], ["tanh", "linear"]), halved)),
        Case("1 layer, 3 -> 2 (linear), a batch of 3", (rand(rng, 3, 2) / 3, caches(3, [3, 2], ["linear"]), dense)),
    ]


def _network_variant(forwards=False, unreversed=False, unchained=False, package=False, skip_first=False):
    def backward(dout, caches, layer_backward):
        step = layers.dense_backward if package else layer_backward
        order = list(range(len(caches))) if forwards else list(reversed(range(len(caches))))
        if skip_first:
            order = order[:-1]
        grads, dH = [], dout
        for i in order:
            dX, dW, db = step(dout if unchained else dH, caches[i])
            dH = dX
            grads.append([dW, db])
        return grads if forwards or unreversed else grads[::-1]
    return backward


NETWORK_BACKWARD = Exercise(
    "network_backward", "network_backward(dout, caches, layer_backward)", network.network_backward, _network_cases, [
        Mistake("layers visited first to last", "backpropagation starts at the loss: visit the layers last to "
                "first, for i in reversed(range(len(caches))).", _network_variant(forwards=True)),
        Mistake("gradients listed last layer first", "return the gradients in the layers' order, first layer "
                "first, like params: fill grads[i], or reverse the list at the end.",
                _network_variant(unreversed=True)),
        Mistake("dout given to every layer", "each layer's upstream gradient is the dX of the layer above it: "
                "dH, dW, db = layer_backward(dH, caches[i]), starting from dH = dout.",
                _network_variant(unchained=True)),
        Mistake("the layer_backward argument ignored", "call the layer_backward you are given (a layer may have "
                "another backward than the package's dense_backward).", _network_variant(package=True)),
        Mistake("first layer left out", "visit every layer down to layer 0: reversed(range(len(caches))) "
                "(range(len(caches) - 1, 0, -1) stops at layer 1).", _network_variant(skip_first=True)),
    ], returns=("dW1", "db1", "dW2", "db2", "dW3", "db3"), probe=_FLAT_PAIRS)


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
        Mistake("shifted by the global maximum", "subtract each row's own maximum, z.max(axis=-1, keepdims=True): "
                "with the largest entry of the whole batch, a row far below it underflows to 0 / 0 = nan.",
                lambda z: np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum(axis=-1, keepdims=True)),
    ], forbidden=("losses.xent_and_grad", "losses.softmax_cross_entropy_grad"))


def _cross_entropy_cases(rng):
    return [
        Case("3 examples, 4 classes", (np.array([0, 3, 1]), rand(rng, 3, 4, low=-3, high=3))),
        Case("large logits [[1000, 999, 0], [0, 1000, 999]], labels [0, 2]",
             (np.array([0, 2]), np.array([[1000.0, 999.0, 0.0], [0.0, 1000.0, 999.0]]))),
        Case("a confident wrong answer: logits [[-800, 0], [0, 0]], labels [0, 1]",
             (np.array([0, 1]), np.array([[-800.0, 0.0], [0.0, 0.0]]))),
        Case("4 examples, 5 classes, none of class 4", (np.array([0, 3, 1, 3]), rand(rng, 4, 5, low=-3, high=3))),
        Case("1 example, 10 classes", (np.array([7]), rand(rng, 1, 10, low=-3, high=3))),
    ]


def _wrong_width_one_hot(labels):
    """The one-hot matrix with labels.max() + 1 columns: too narrow when the batch has no example of the last class."""
    labels = np.asarray(labels)
    return np.eye(labels.max() + 1)[labels]


def _log_softmax_variant(shift=True, lse=True):
    def log_p(logits):
        z = np.asarray(logits, dtype=float)
        if shift:
            z = z - z.max(axis=1, keepdims=True)
        if lse:
            return z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return np.log(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))
    return log_p


def _stable_log_p(logits):
    return _log_softmax_variant()(logits)


CROSS_ENTROPY = Exercise(
    "cross_entropy", "cross_entropy(labels, logits)", losses.softmax_cross_entropy, _cross_entropy_cases, [
        Mistake("no max shift", "exp(1000) overflows to inf and inf / inf is nan: subtract each row's maximum "
                "m first; log p_y = (z_y - m) - log(sum_j exp(z_j - m)).",
                lambda y, Z: float(-np.mean(_log_softmax_variant(shift=False, lse=False)(Z)[np.arange(len(y)), y]))),
        Mistake("log of the softmax (no log-sum-exp)", "a confident wrong answer has p_y = exp(-800), which is 0 "
                "in floating point, and log(0) = -inf: compute log p_y = (z_y - m) - log(sum_j exp(z_j - m)) "
                "without forming p_y.",
                lambda y, Z: float(-np.mean(_log_softmax_variant(lse=False)(Z)[np.arange(len(y)), y]))),
        Mistake("sum instead of mean", "the loss of a batch is the mean over its n examples: divide the sum by n.",
                lambda y, Z: float(-np.sum(_stable_log_p(Z)[np.arange(len(y)), y]))),
        Mistake("averaged over the classes too", "average over the n examples only: -sum(Y * log P) / n, not "
                "np.mean(Y * log P), which also divides by the k classes.",
                lambda y, Z: float(-np.mean(losses.one_hot(y, np.shape(Z)[1]) * _stable_log_p(Z)))),
        Mistake("sign error", "the loss is the negative log-probability of the true class: -log p_y >= 0.",
                lambda y, Z: float(np.mean(_stable_log_p(Z)[np.arange(len(y)), y]))),
        Mistake("one-hot with labels.max() + 1 columns", "the one-hot matrix needs k = logits.shape[1] columns, "
                "one per class, even when the batch has no example of the last class.",
                lambda y, Z: float(-np.sum(_wrong_width_one_hot(y) * _stable_log_p(Z)) / len(y))),
    ], forbidden=("losses.xent_and_grad", "network.Network.loss"))


def _xent_cases(rng):
    return [
        Case("3 examples, 4 classes", (np.array([0, 3, 1]), rand(rng, 3, 4, low=-3, high=3))),
        Case("5 examples, 2 classes", (rng.integers(0, 2, size=5), rand(rng, 5, 2, low=-3, high=3))),
        Case("1 example, 10 classes", (np.array([7]), rand(rng, 1, 10, low=-3, high=3))),
        Case("4 examples, 5 classes, none of class 4", (np.array([0, 3, 1, 3]), rand(rng, 4, 5, low=-3, high=3))),
        # the softmax inside must be the stable one: exp(1000) overflows, and a global maximum underflows a low row
        Case("large logits [[1000, 999, 0], [0, 1000, 999]], labels [0, 2]",
             (np.array([0, 2]), np.array([[1000.0, 999.0, 0.0], [0.0, 1000.0, 999.0]]))),
        Case("rows on different scales [[1000, 0], [-1000, -1001]], labels [1, 0]",
             (np.array([1, 0]), np.array([[1000.0, 0.0], [-1000.0, -1001.0]]))),
    ]


def _global_max_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=-1, keepdims=True)


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
        Mistake("one-hot with labels.max() + 1 columns", "Y needs k = logits.shape[1] columns, one per class, even "
                "when the batch has no example of the last class.",
                lambda y, Z: (losses.softmax(Z) - _wrong_width_one_hot(y)) / len(y)),
        Mistake("softmax without the max shift overflowing", "exp(1000) overflows to inf and inf / inf is nan: "
                "compute P with the stable softmax, each row's maximum subtracted first (your softmax of this "
                "lesson).", lambda y, Z: (_naive_softmax(Z) - losses.one_hot(y, np.shape(Z)[1])) / len(y)),
        Mistake("softmax shifted by the global maximum", "subtract each row's own maximum, z.max(axis=-1, "
                "keepdims=True): with the largest logit of the whole batch, a row far below it underflows to "
                "0 / 0 = nan.",
                lambda y, Z: (_global_max_softmax(Z) - losses.one_hot(y, np.shape(Z)[1])) / len(y)),
    ], forbidden=("losses.xent_and_grad",))


# --- 11: the digits ---------------------------------------------------------------------------------------------

def _confusion_cases(rng):
    return [
        Case("6 examples, 3 classes", (np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)),
        Case("random 20 examples, 4 classes", (rng.integers(0, 4, size=20), rng.integers(0, 4, size=20), 4)),
        Case("5 examples, 2 classes, all wrong", (np.array([0, 0, 1, 1, 1]), np.array([1, 1, 0, 0, 0]), 2)),
        Case("k = 5 classes, but only 0, 1 and 2 occur", (np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 1, 1]), 5)),
    ]


def _fancy_index_counts(y, p, k):
    counts = np.zeros((k, k), dtype=np.int64)
    counts[np.asarray(y), np.asarray(p)] += 1  # a repeated (label, prediction) pair is written once, not added
    return counts


CONFUSION_MATRIX = Exercise(
    "confusion_matrix", "confusion_matrix(labels, predictions, k)", network.confusion_matrix, _confusion_cases, [
        Mistake("rows and columns swapped", "row i is the true class i, column j the predicted class j: "
                "count C[label, prediction].",
                lambda y, p, k: network.confusion_matrix(y, p, k).T),
        Mistake("fancy-index += drops repeated pairs", "counts[labels, predictions] += 1 adds 1 once per distinct "
                "(label, prediction) pair, however often it occurs: loop over the pairs, or use "
                "np.add.at(counts, (labels, predictions), 1).", _fancy_index_counts),
        Mistake("k ignored (the size taken from the labels)", "the matrix is (k, k), one row and column per class, "
                "even for classes that never occur in these labels or predictions.",
                lambda y, p, k: network.confusion_matrix(y, p, int(max(np.max(y), np.max(p))) + 1)),
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
        Mistake("the EMA convention (v = beta * v + (1 - beta) * grad)",
                "that is another convention (an exponential moving average, like Adam's m). This course uses "
                "v = beta * velocity + grad, then param - learning_rate * v (PyTorch's form): the velocity sums "
                "the gradients, so a steady gradient g gives steps of learning_rate * g / (1 - beta), the "
                "effective rate. With the EMA form every step is (1 - beta) times smaller.",
                lambda p, g, v, a, b: (p - a * (b * v + (1 - b) * g), b * v + (1 - b) * g)),
        Mistake("CS231n's convention (v = beta * v - learning_rate * grad; param + v)",
                "that is CS231n's convention, where the velocity already holds the step. This course keeps the "
                "learning rate out of the velocity: v = beta * velocity + grad, then param - learning_rate * v "
                "(PyTorch's form). Both walk the same path while the rate is fixed, but the velocity returned "
                "here must be the course's v.",
                lambda p, g, v, a, b: (p + (b * v - a * g), b * v - a * g)),
    ], returns=("param", "velocity"),
    forbidden=("optimizers.adam_update", "optimizers.rmsprop_update"))  # adam_update with beta2 0 and a huge kappa
    # (its m rescaled by 1 - beta) steps as momentum does, to 1e-15


def _adam_cases(rng):
    def state(*shape):
        return rand(rng, *shape), rand(rng, *shape) * 0.1, rng.uniform(1e-4, 1e-2, size=shape)
    p, g, m = state(3, 2)
    q, h, n = state(4)
    r, k, o = state(2, 3)
    return [
        Case("step t = 1 from zero moments, lr 0.01",
             (p, g, np.zeros((3, 2)), np.zeros((3, 2)), 1, 0.01, 0.9, 0.999, 1e-8)),
        Case("step t = 3 with moments, lr 0.1, kappa 0.01",
             (q, h, n, rng.uniform(1e-6, 1e-4, size=4), 3, 0.1, 0.9, 0.999, 1e-2)),
        Case("step t = 10, lr 0.001, beta1 0.8, beta2 0.99", (r, k, o, o * o, 10, 0.001, 0.8, 0.99, 1e-8)),
    ]


def _adam_variant(bias_correction=True, root=True, kappa_inside=False):
    def update(p, g, m, s, t, lr, b1, b2, kappa):
        m = b1 * m + (1 - b1) * g
        s = b2 * s + (1 - b2) * g * g
        m_hat, s_hat = (m / (1 - b1 ** t), s / (1 - b2 ** t)) if bias_correction else (m, s)
        denominator = np.sqrt(s_hat + kappa) if kappa_inside else (np.sqrt(s_hat) if root else s_hat) + kappa
        return p - lr * m_hat / denominator, m, s
    return update


ADAM_UPDATE = Exercise(
    "adam_update", "adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa)",
    optimizers.adam_update, _adam_cases, [
        Mistake("bias correction missing", "divide m by (1 - beta1**t) and s by (1 - beta2**t): both start "
                "at 0, so they are biased towards 0 in the first steps.", _adam_variant(bias_correction=False)),
        Mistake("square root forgotten", "divide by np.sqrt(s_hat) + kappa: s is a mean of squared "
                "gradients, so its root has the gradient's scale.", _adam_variant(root=False)),
        Mistake("kappa inside the root", "add kappa after the square root: np.sqrt(s_hat) + kappa, not "
                "np.sqrt(s_hat + kappa).", _adam_variant(kappa_inside=True)),
    ], returns=("param", "m", "s"))


# --- 13: automatic differentiation --------------------------------------------------------------------------------
#
# The learner builds a `Value` class from functions: `value_add(self, other)`, `value_mul(self, other)`,
# `value_tanh(self)`, `topological_order(root)` and `backward(root)`. Each check runs one of them through a probe
# (source text, so that the grader can send it into its sandbox): the probe makes Values with the class that the
# function itself sees (`fn.__globals__["Value"]`: the learner's class, or the package's for the reference and
# the mistakes below), calls the function on them, runs what it built by hand, and returns plain numbers. The
# probe uses only the class's constructor, `Value(data, parents)`, and the attributes data, grad, _parents and
# _backward: so each exercise is checked on its own, whatever the state of the others.

# The class the function sees; a KeyError that says what is missing when there is none.
_CLASS = """[op.__globals__.get("Value") or {}["Value (the class is not defined where this function was written: run "
                                    "the cell that defines class Value)"]]"""

_BINARY_PROBE = """lambda op: lambda x, y, upstream, other_kind: tuple(
    np.array(column, dtype=float) for column in zip(*[
    (out.data, float(data_kept), a.grad, getattr(b_node, "grad", float("nan")), float(parents_ok))
    for V in """ + _CLASS + """
    for xi, yi, ui in zip(x, y, upstream)
    for a in [V(float(xi))]
    for b in [V(float(yi)) if other_kind == 0 else a if other_kind == 1 else float(yi)]
    for out in [op(a, b)]
    for data_kept in [a.data == float(xi) and (other_kind != 0 or b.data == float(yi))]
    for _ in [(out.__setattr__("grad", float(ui)), out._backward())]
    for parents in [list(out._parents)]
    for others in [[p for p in parents if p is not a]]
    for b_node in [b if other_kind < 2 else others[0] if len(others) == 1 else None]
    for parents_ok in [b_node is not None and any(p is a for p in parents) and any(p is b_node for p in parents)
                       and all(p is a or p is b_node for p in parents)
                       and (other_kind < 2 or getattr(b_node, "data", None) == float(yi))]
]))"""

_UNARY_PROBE = """lambda op: lambda x, upstream, earlier: tuple(np.array(column, dtype=float) for column in zip(*[
    (out.data, float(data_kept), a.grad, float(len(parents) > 0 and all(p is a for p in parents)))
    for V in """ + _CLASS + """
    for xi, ui, ei in zip(x, upstream, earlier)
    for a in [V(float(xi))]
    for _ in [a.__setattr__("grad", float(ei))]
    for out in [op(a)]
    for data_kept in [a.data == float(xi)]
    for _ in [(out.__setattr__("grad", float(ui)), out._backward())]
    for parents in [list(out._parents)]
]))"""

# A graph as plain numbers: row i of `parents` lists the parents of node i by index (-1: none), every parent
# before its child, so that the probe can make the nodes in that order; `root` is the index of the node whose order
# (or backward pass) is asked for, and `depends` is 1 for the nodes it depends on (itself included) and 0 for the
# others, made beside it (before or after it, some from its nodes or from it). The probe builds the graph with
# Value(1.0, parents): every node holds the same number, so that only their identity tells two nodes apart (a
# visited set of data values would not).
_GRAPH = """for V in """ + _CLASS + """
    for nodes in [[]]
    for _ in [[nodes.append(V(1.0, tuple(nodes[int(j)] for j in row if j >= 0)))
               for i, row in enumerate(parents)]]"""

# Called twice on the same graph: the second call must give the whole order again, and no entry may come from
# another graph (no state kept between calls) or be a node the root does not depend on. Every valid order passes:
# only counts and the parents-first test are compared.
_TOPOLOGICAL_PROBE = """lambda op: lambda parents, root, depends: [
    (float(sum(1 for n in order if not any(n is m for m in nodes))),
     float(sum(1 for n in order if any(n is m and d == 0 for m, d in zip(nodes, depends)))),
     float(len(order)),
     float(sum(1 for i, n in enumerate(order) if not any(n is m for m in order[:i]))),
     float(all(all(any(p is m for m in order[:i]) for p in n._parents) for i, n in enumerate(order))),
     float(len(again)))
    """ + _GRAPH + """
    for order in [list(op(nodes[int(root)]))]
    for again in [list(op(nodes[int(root)]))]
][0]"""

# Each node's _backward adds local[i, k] * node.grad to the grad of its k-th parent, as a real operation's does
# (the parents as the probe made them, whatever container the class keeps them in). Each node starts with the grad
# `start` gives it: 0 for the root's graph, another number for the nodes beside it (as if from another pass), which
# backward(root) must leave alone and must not pass on.
_BACKWARD_PROBE = """lambda op: lambda parents, root, local, start: [
    np.array([n.grad for n in nodes], dtype=float)
    """ + _GRAPH + """
    for _ in [[n.__setattr__("grad", float(s)) for n, s in zip(nodes, start)]]
    for _ in [[n.__setattr__("_backward", (lambda n, edges: lambda: [p.__setattr__("grad", p.grad + wk * n.grad)
                                                                     for p, wk in edges])(
                   n, [(nodes[int(j)], float(wk)) for j, wk in zip(row, wrow) if j >= 0]))
               for n, row, wrow in zip(nodes, parents, local)]]
    for _ in [op(nodes[int(root)])]
][0]"""


def _binary_cases(rng, symbol):
    return [
        Case(f"a {symbol} b for 3 pairs of Values, out.grad set to an upstream gradient",
             (rand(rng, 3, low=-2, high=2), rand(rng, 3, low=-2, high=2), rand(rng, 3, low=0.5, high=2), 0)),
        Case(f"a {symbol} a (one Value used twice), 2 of them",
             (rand(rng, 2, low=-2, high=2), rand(rng, 2, low=-2, high=2), rand(rng, 2, low=0.5, high=2), 1)),
        Case(f"a {symbol} y with y a plain number (not a Value), 4 of them",
             (rand(rng, 4, low=-2, high=2), rand(rng, 4, low=-2, high=2), rand(rng, 4, low=0.5, high=2), 2)),
    ]


def _binary_variant(forward, local, accumulate=True, upstream=True, wrap=True, parents=True):
    """A Value operation written as a learner might: out.data = forward(a, b) and local(a, b) the two local
    derivatives (d out/d self, d out/d other), a and b the two data."""
    def operation(self, other):
        if wrap:
            other = other if isinstance(other, Value) else Value(other)
        out = Value(forward(self.data, other.data), (self, other) if parents else ())

        def _backward():
            da, db = local(self.data, other.data)
            up = out.grad if upstream else 1.0
            if accumulate:
                self.grad += da * up
                other.grad += db * up
            else:
                self.grad = da * up
                other.grad = db * up
        out._backward = _backward
        return out
    return operation


def _sum(a, b):
    return a + b


def _sum_rule(a, b):
    return 1.0, 1.0


def _product(a, b):
    return a * b


def _product_rule(a, b):
    return b, a


def _into_self(forward):
    """The result written into self's data and self returned: no new Value, no parents, and a changed."""
    def operation(self, other):
        other = other if isinstance(other, Value) else Value(other)
        self.data = forward(self.data, other.data)
        return self
    return operation


_BINARY_RETURNS = ("out.data", "self and other keep their data (1 = yes)", "self.grad", "other.grad",
                   "out._parents are (self, other) (1 = yes)")
_INTO_SELF_HINT = ("make a new Value for the result, out = Value(self.data {0} other.data, (self, other)), and "
                   "leave self and other as they are: writing the result into self.data changes a (after "
                   "c = a {0} b, a would hold c's value) and gives the result no parents to pass its gradient to.")
_OVERWRITE_HINT = ("use += in _backward: a Value used twice (a {0} a, or one input feeding two nodes) must "
                   "receive both contributions, and `self.grad = ...` keeps only the last one.")
_WRAP_HINT = ("wrap a plain number first, `other = other if isinstance(other, Value) else Value(other)`, so that "
              "{0} works ({1} rely on it).")
_PARENTS_HINT = ("make the result with its parents, Value(self.data {0} other.data, (self, other)): backward() "
                 "finds self and other only through out._parents.")

VALUE_ADD = Exercise(
    "value_add", "value_add(self, other)", Value.__add__, lambda rng: _binary_cases(rng, "+"), [
        Mistake("gradient overwritten instead of accumulated", _OVERWRITE_HINT.format("+"),
                _binary_variant(_sum, _sum_rule, accumulate=False)),
        Mistake("plain number not wrapped in a Value", _WRAP_HINT.format("a + 2.0", "2.0 + a and a - 2.0"),
                _binary_variant(_sum, _sum_rule, wrap=False)),
        Mistake("parents not recorded", _PARENTS_HINT.format("+"), _binary_variant(_sum, _sum_rule, parents=False)),
        Mistake("upstream gradient missing", "the chain rule: each input's grad grows by the local derivative "
                "(1 for a sum) times out.grad, the gradient that arrived at out.",
                _binary_variant(_sum, _sum_rule, upstream=False)),
        Mistake("the sum written into self", _INTO_SELF_HINT.format("+"), _into_self(_sum)),
    ], returns=_BINARY_RETURNS, probe=_BINARY_PROBE)

VALUE_MUL = Exercise(
    "value_mul", "value_mul(self, other)", Value.__mul__, lambda rng: _binary_cases(rng, "*"), [
        Mistake("gradient overwritten instead of accumulated", _OVERWRITE_HINT.format("*"),
                _binary_variant(_product, _product_rule, accumulate=False)),
        Mistake("each input multiplied by its own value", "d(a b)/da = b: self.grad grows by other.data * "
                "out.grad, and other.grad by self.data * out.grad.",
                _binary_variant(_product, lambda a, b: (a, b))),
        Mistake("plain number not wrapped in a Value", _WRAP_HINT.format("a * 2.0", "2.0 * a and -a"),
                _binary_variant(_product, _product_rule, wrap=False)),
        Mistake("parents not recorded", _PARENTS_HINT.format("*"),
                _binary_variant(_product, _product_rule, parents=False)),
        Mistake("upstream gradient missing", "the chain rule: multiply the local derivative (other.data for self) "
                "by out.grad, the gradient that arrived at out.",
                _binary_variant(_product, _product_rule, upstream=False)),
        Mistake("the product written into self", _INTO_SELF_HINT.format("*"), _into_self(_product)),
    ], returns=_BINARY_RETURNS, probe=_BINARY_PROBE)


def _tanh_cases(rng):
    return [
        Case("tanh of 3 Values, out.grad set to an upstream gradient",
             (rand(rng, 3, low=-2, high=2), rand(rng, 3, low=0.5, high=2), np.zeros(3))),
        Case("tanh of 4 Values that already hold a gradient from another use",
             (rand(rng, 4, low=-2, high=2), rand(rng, 4, low=0.5, high=2), rand(rng, 4, low=0.5, high=2))),
        Case("tanh(0) and tanh(0.5), upstream 1", (np.array([0.0, 0.5]), np.ones(2), np.zeros(2))),
        Case("tanh(400) and tanh(-400), far out (math.exp(800) would overflow)",
             (np.array([400.0, -400.0]), np.ones(2), np.zeros(2))),
    ]


def _tanh_from_exp(self):
    """tanh from exponentials, (exp(2z) - 1) / (exp(2z) + 1): right on paper, but math.exp(800) raises OverflowError."""
    e = math.exp(2 * self.data)
    out = Value((e - 1) / (e + 1), (self,))

    def _backward():
        self.grad += (1 - out.data ** 2) * out.grad
    out._backward = _backward
    return out


def _tanh_variant(at_input=False, accumulate=True, upstream=True, sign=-1.0):
    def value_tanh(self):
        out = Value(math.tanh(self.data), (self,))

        def _backward():
            h = self.data if at_input else out.data
            step = (1 + sign * h * h) * (out.grad if upstream else 1.0)
            self.grad = self.grad + step if accumulate else step
        out._backward = _backward
        return out
    return value_tanh


VALUE_TANH = Exercise(
    "value_tanh", "value_tanh(self)", Value.tanh, _tanh_cases, [
        Mistake("derivative taken at the input", "tanh'(z) = 1 - tanh(z)**2 = 1 - h**2 with h = out.data, the "
                "output; 1 - self.data**2 uses the input z.", _tanh_variant(at_input=True)),
        Mistake("gradient overwritten instead of accumulated", "use self.grad += ...: the input may feed other "
                "nodes too, and their contributions must add up.", _tanh_variant(accumulate=False)),
        Mistake("upstream gradient missing", "multiply the local derivative 1 - h**2 by out.grad (the chain "
                "rule).", _tanh_variant(upstream=False)),
        Mistake("sign error (1 + h**2)", "tanh'(z) = 1 - tanh(z)**2: a minus.", _tanh_variant(sign=1.0)),
        Mistake("tanh from exponentials overflowing", "math.exp(2 * 400) is too large for a float (OverflowError): "
                "use math.tanh(self.data), which is right for every input.", _tanh_from_exp),
    ], forbidden=("activations.tanh_grad",),
    returns=("out.data", "self keeps its data (1 = yes)", "self.grad", "out._parents are (self,) (1 = yes)"),
    probe=_UNARY_PROBE)


def _ancestors(rows, node):
    """The nodes `node` depends on, itself included (rows: the parents of each node, by index)."""
    found, stack = set(), [node]
    while stack:
        i = stack.pop()
        if i not in found:
            found.add(i)
            stack.extend(rows[i])
    return found


def _random_graph(rng):
    """A random graph of 8 to 11 nodes, (parents, root, depends) as the probes take it: 3 inputs, then nodes of one
    or two earlier nodes (the same one twice too, as in a * a); the root a random node of the second half, which
    depends on at least 5 nodes, one of them an operation used twice, and has an operation among its parents; at
    least 2 nodes it does not depend on. The nodes are then renumbered in a random order in which every node comes
    after its parents, so the root is seldom last and the others are made before and after it."""
    while True:
        n = int(rng.integers(8, 12))
        rows = [[] for _ in range(3)]
        for k in range(3, n):
            rows.append([int(rng.integers(k)) for _ in range(1 if rng.random() < 0.2 else 2)])
        root = int(rng.integers(n // 2, n))
        depends = _ancestors(rows, root)
        uses = [sum(row.count(p) for i, row in enumerate(rows) if i in depends) for p in range(n)]
        if (len(depends) >= 5 and n - len(depends) >= 2 and any(rows[p] for p in rows[root])
                and any(uses[p] >= 2 and rows[p] for p in depends)):
            break
    order, placed = [], set()
    while len(order) < n:
        ready = [i for i in range(n) if i not in placed and all(p in placed for p in rows[i])]
        order.append(ready[int(rng.integers(len(ready)))])
        placed.add(order[-1])
    new = {old: k for k, old in enumerate(order)}
    parents = np.full((n, 2), -1)
    for old in order:
        parents[new[old], :len(rows[old])] = [new[p] for p in rows[old]]
    return parents, new[root], np.array([1.0 if old in depends else 0.0 for old in order])


def _graph_cases(rng):
    """Graphs as (label, parents, root, depends): three small ones, the same on every seed (root last, every node
    used), then two random ones drawn from rng (`_random_graph`), so the grader's hidden graphs are new on every run."""
    fixed = [
        ("the chain n0 -> n1 -> n2 -> n3", [[-1, -1], [0, -1], [1, -1], [2, -1]]),
        ("n2 = f(n0, n1), n3 = f(n2, n2), n4 = f(n3, n1) (n2 used twice)",
         [[-1, -1], [-1, -1], [0, 1], [2, 2], [3, 1]]),
        ("n2 = f(n0, n1), n3 = f(n2, n0), n4 = f(n3, n3), n5 = f(n4, n2), n6 = f(n5, n4) (n2, n4 used twice)",
         [[-1, -1], [-1, -1], [0, 1], [2, 0], [3, 3], [4, 2], [5, 4]]),
    ]
    graphs = [(label, np.array(parents), len(parents) - 1, np.ones(len(parents))) for label, parents in fixed]
    for _ in range(2):
        parents, root, depends = _random_graph(rng)
        graphs.append((f"a random graph of {len(parents)} nodes made in a random order, root n{root}, "
                       f"{int(len(depends) - depends.sum())} of them not used by the root", parents, root, depends))
    return graphs


def _order(root, seen=True, parents_first=True):
    """Depth-first order of the graph above root, written as a learner might (wrong ones included)."""
    order, visited = [], set()

    def visit(node):
        if seen and id(node) in visited:
            return
        visited.add(id(node))
        if not parents_first:
            order.append(node)
        for parent in node._parents:
            visit(parent)
        if parents_first:
            order.append(node)
    visit(root)
    return order


_LAST_ROOT = [None, set()]  # _order_once's state: the last root it was called on, and the ids it visited


def _order_once(root):
    """A depth-first order whose visited set outlives the call (a global set, or a default argument `seen=set()`):
    called again on the same graph, it finds every node visited and returns []. (Emulated for the last root only,
    so that it holds no more than one graph.)"""
    if _LAST_ROOT[0] is not root:
        _LAST_ROOT[:] = [root, set()]
    visited, order = _LAST_ROOT[1], []

    def visit(node):
        if id(node) in visited:
            return
        visited.add(id(node))
        for parent in node._parents:
            visit(parent)
        order.append(node)
    visit(root)
    return order


def _order_by_data(root):
    """A depth-first order whose visited set holds the nodes' data: two nodes with the same number count as one."""
    order, visited = [], set()

    def visit(node):
        if node.data in visited:
            return
        visited.add(node.data)
        for parent in node._parents:
            visit(parent)
        order.append(node)
    visit(root)
    return order


def _topological_cases(rng):
    return [Case(label, (parents, root, depends)) for label, parents, root, depends in _graph_cases(rng)]


TOPOLOGICAL_ORDER = Exercise(
    "topological_order", "topological_order(root)", Value.topological_order, _topological_cases, [
        Mistake("a node visited twice", "remember the nodes already visited (a set) and skip them: a Value used "
                "twice is reached twice, but must appear once, or backward() will run its _backward twice.",
                lambda root: _order(root, seen=False)),
        Mistake("wrong topological order", "append a node after all of its parents (visit the parents first, "
                "then append the node), so that the list starts with the inputs and ends with the root.",
                lambda root: _order(root, parents_first=False)),
        Mistake("state kept between calls", "create the visited set and the list inside the function, at every "
                "call: a set kept outside it (a global, or a default argument such as seen=set()) remembers the "
                "nodes of the previous call, so calling it again on the same graph returns nothing "
                "(loss.topological_order() after loss.backward(), for example).", _order_once),
        Mistake("nodes told apart by their data", "remember the visited nodes themselves (a set of Values, or of "
                "id(node)), not their data: two different nodes can hold the same number, and the second would "
                "be skipped.", _order_by_data),
    ], returns=("entries that are not nodes of this graph (left over from an earlier call?)",
                "entries that the root does not depend on (made beside it, not used to compute it)", "number of entries",
                "number of different nodes", "every node after all its parents (1 = yes)",
                "number of entries when called again on the same graph"),
    probe=_TOPOLOGICAL_PROBE)


def _backward_cases(rng):
    return [Case(label, (parents, root, np.where(parents >= 0, rand(rng, *parents.shape, low=-2, high=2), 0.0),
                         np.where(depends == 1, 0.0, rand(rng, len(depends), low=0.5, high=2))))
            for label, parents, root, depends in _graph_cases(rng)]


def _backward_variant(seed=True, reverse=True, seen=True):
    def backward(root):
        order = _order(root, seen=seen)
        if seed:
            root.grad = 1.0
        for node in (reversed(order) if reverse else order):
            node._backward()
    return backward


BACKWARD = Exercise(
    "backward", "backward(root)", Value.backward, _backward_cases, [
        Mistake("output's gradient not seeded with 1", "set root.grad = 1.0 first (dL/dL = 1): every other "
                "gradient is a product with it, so without it they all stay 0.", _backward_variant(seed=False)),
        Mistake("wrong topological order", "go from the root back to the inputs: for node in "
                "reversed(topological_order(root)). A node may pass its gradient on only once all the nodes that "
                "use it have added theirs.", _backward_variant(reverse=False)),
        Mistake("a node visited twice", "the order lists a Value used twice two times, so its _backward runs "
                "twice and its parents receive its gradient twice: keep a set of visited nodes in "
                "topological_order.", _backward_variant(seen=False)),
    ], probe=_BACKWARD_PROBE)


EXERCISES = [WEIGHT_GRAD_BATCH, TRAIN_EPOCH, RELU_GRAD, DENSE_FORWARD, DENSE_BACKWARD, NETWORK_BACKWARD, SOFTMAX,
             CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD, CONFUSION_MATRIX, MOMENTUM_UPDATE, ADAM_UPDATE, VALUE_ADD,
             VALUE_MUL, VALUE_TANH, TOPOLOGICAL_ORDER, BACKWARD]
