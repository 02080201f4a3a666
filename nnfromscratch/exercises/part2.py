"""Part II's exercises, in lesson order: each one unit, its input cases just above it, its mistakes inside it."""

import math

import numpy as np

from .. import activations, layers, losses, network, optimizers
from ..autodiff import Value
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
    (out.data, a.grad, getattr(b_node, "grad", float("nan")), float(parents_ok))
    for V in """ + _CLASS + """
    for xi, yi, ui in zip(x, y, upstream)
    for a in [V(float(xi))]
    for b in [V(float(yi)) if other_kind == 0 else a if other_kind == 1 else float(yi)]
    for out in [op(a, b)]
    for _ in [(out.__setattr__("grad", float(ui)), out._backward())]
    for parents in [list(out._parents)]
    for others in [[p for p in parents if p is not a]]
    for b_node in [b if other_kind < 2 else others[0] if len(others) == 1 else None]
    for parents_ok in [b_node is not None and any(p is a for p in parents) and any(p is b_node for p in parents)
                       and all(p is a or p is b_node for p in parents)
                       and (other_kind < 2 or getattr(b_node, "data", None) == float(yi))]
]))"""

_UNARY_PROBE = """lambda op: lambda x, upstream, earlier: tuple(np.array(column, dtype=float) for column in zip(*[
    (out.data, a.grad, float(len(parents) > 0 and all(p is a for p in parents)))
    for V in """ + _CLASS + """
    for xi, ui, ei in zip(x, upstream, earlier)
    for a in [V(float(xi))]
    for _ in [a.__setattr__("grad", float(ei))]
    for out in [op(a)]
    for _ in [(out.__setattr__("grad", float(ui)), out._backward())]
    for parents in [list(out._parents)]
]))"""

# A graph as plain numbers: row i of `parents` lists the parents of node i by index (-1: none), every parent
# before its child; the last node is the root. The probe builds it with Value(i, parents).
_GRAPH = """for V in """ + _CLASS + """
    for nodes in [[]]
    for _ in [[nodes.append(V(float(i), tuple(nodes[int(j)] for j in row if j >= 0)))
               for i, row in enumerate(parents)]]"""

_TOPOLOGICAL_PROBE = """lambda op: lambda parents: [
    (float(len(order)),
     float(sum(1 for i, n in enumerate(order) if not any(n is m for m in order[:i]))),
     float(all(all(any(p is m for m in order[:i]) for p in n._parents) for i, n in enumerate(order))))
    """ + _GRAPH + """
    for order in [list(op(nodes[-1]))]
][0]"""

# Each node's _backward adds local[i, k] * node.grad to the grad of its k-th parent, as a real operation's does
# (the parents as the probe made them, whatever container the class keeps them in).
_BACKWARD_PROBE = """lambda op: lambda parents, local: [
    np.array([n.grad for n in nodes], dtype=float)
    """ + _GRAPH + """
    for _ in [[n.__setattr__("_backward", (lambda n, edges: lambda: [p.__setattr__("grad", p.grad + wk * n.grad)
                                                                     for p, wk in edges])(
                   n, [(nodes[int(j)], float(wk)) for j, wk in zip(row, wrow) if j >= 0]))
               for n, row, wrow in zip(nodes, parents, local)]]
    for _ in [op(nodes[-1])]
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
    ], returns=("out.data", "self.grad", "other.grad", "out._parents are (self, other) (1 = yes)"), probe=_BINARY_PROBE)

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
    ], returns=("out.data", "self.grad", "other.grad", "out._parents are (self, other) (1 = yes)"), probe=_BINARY_PROBE)


def _tanh_cases(rng):
    return [
        Case("tanh of 3 Values, out.grad set to an upstream gradient",
             (rand(rng, 3, low=-2, high=2), rand(rng, 3, low=0.5, high=2), np.zeros(3))),
        Case("tanh of 4 Values that already hold a gradient from another use",
             (rand(rng, 4, low=-2, high=2), rand(rng, 4, low=0.5, high=2), rand(rng, 4, low=0.5, high=2))),
        Case("tanh(0) and tanh(0.5), upstream 1", (np.array([0.0, 0.5]), np.ones(2), np.zeros(2))),
    ]


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
    ], forbidden=("activations.tanh_grad",), returns=("out.data", "self.grad", "out._parents are (self,) (1 = yes)"),
    probe=_UNARY_PROBE)


def _graph_cases(rng):
    """Graphs (parents by index, -1 for none), each named; the same structures on every seed, so that a wrong
    answer gives the same numbers as its catalogued mistake on the hidden inputs too."""
    graphs = [
        ("the chain n0 -> n1 -> n2 -> n3", [[-1, -1], [0, -1], [1, -1], [2, -1]]),
        ("n2 = f(n0, n1), n3 = f(n2, n2), n4 = f(n3, n1) (n2 used twice)",
         [[-1, -1], [-1, -1], [0, 1], [2, 2], [3, 1]]),
        ("n2 = f(n0, n1), n3 = f(n2, n0), n4 = f(n3, n3), n5 = f(n4, n2), n6 = f(n5, n4) (n2, n4 used twice)",
         [[-1, -1], [-1, -1], [0, 1], [2, 0], [3, 3], [4, 2], [5, 4]]),
    ]
    return [(label, np.array(parents)) for label, parents in graphs]


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


def _topological_cases(rng):
    return [Case(label, (parents,)) for label, parents in _graph_cases(rng)]


TOPOLOGICAL_ORDER = Exercise(
    "topological_order", "topological_order(root)", Value.topological_order, _topological_cases, [
        Mistake("a node visited twice", "remember the nodes already visited (a set) and skip them: a Value used "
                "twice is reached twice, but must appear once, or backward() will run its _backward twice.",
                lambda root: _order(root, seen=False)),
        Mistake("wrong topological order", "append a node after all of its parents (visit the parents first, "
                "then append the node), so that the list starts with the inputs and ends with the root.",
                lambda root: _order(root, parents_first=False)),
    ], returns=("number of entries", "number of different nodes", "every node after all its parents (1 = yes)"),
    probe=_TOPOLOGICAL_PROBE)


def _backward_cases(rng):
    return [Case(label, (parents, np.where(parents >= 0, rand(rng, *parents.shape, low=-2, high=2), 0.0)))
            for label, parents in _graph_cases(rng)]


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


EXERCISES = [WEIGHT_GRAD_BATCH, RELU_GRAD, SOFTMAX, SOFTMAX_CROSS_ENTROPY_GRAD, CONFUSION_MATRIX, MOMENTUM_UPDATE,
             ADAM_UPDATE, VALUE_ADD, VALUE_MUL, VALUE_TANH, TOPOLOGICAL_ORDER, BACKWARD]
