"""Fresh implementations of every exercise, as a class of learners would write them: wrong ones (off-by-one,
transposes, wrong axis, a forgotten factor, arguments changed in place (objects and lists holding arrays too),
Python lists and integers, an argument ignored, state kept between calls, float32 results, ...) and unusual right
ones (einsum, loops, other equivalent formulas, another valid order). Each must get the verdict written beside it:
no wrong one passes, no right one fails, and a wrong one that matches a catalogued mistake is named.

They were written from the lessons alone, before reading the catalogue (issue 11, item 9); "either" marks the few
that the lessons leave open (a list where a tuple is asked for, db returned as it came), with today's verdict.
"""

import warnings

import numpy as np
import pytest

from nnfromscratch.checks import EXERCISES, evaluate
from nnfromscratch.exercises import judge, runner
from nnfromscratch.exercises.exercise import Case

PRELUDE = "import copy\nimport math\nimport numpy as np\nimport nnfromscratch as nn\n"

# Lesson 13: the learner's Value class (as the lesson gives it) and right versions of the five functions; each
# case replaces the one it is about.
VALUE_CLASS = '''
class Value:
    def __init__(self, data, parents=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._parents = tuple(parents)
        self._backward = lambda: None
        self.op, self.label = op, label
    def __repr__(self):
        return f"Value(data={self.data:.8f}, grad={self.grad:.8f})"
    def __add__(self, other):
        return value_add(self, other)
    def __mul__(self, other):
        return value_mul(self, other)
    def tanh(self):
        return value_tanh(self)
    def topological_order(self):
        return topological_order(self)
    def backward(self):
        return backward(self)
    def __radd__(self, other):
        return self + other
    def __rmul__(self, other):
        return self * other
    def __neg__(self):
        return self * -1.0
    def __sub__(self, other):
        return self + (-other)
    def __rsub__(self, other):
        return (-self) + other
'''

ENGINE = {
    "value_add": '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")
    def _backward():
        self.grad += out.grad
        other.grad += out.grad
    out._backward = _backward
    return out
''',
    "value_mul": '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")
    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad
    out._backward = _backward
    return out
''',
    "value_tanh": '''
def value_tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")
    def _backward():
        self.grad += (1 - out.data ** 2) * out.grad
    out._backward = _backward
    return out
''',
    "topological_order": '''
def topological_order(root):
    order, seen = [], set()
    def visit(v):
        if v not in seen:
            seen.add(v)
            for p in v._parents:
                visit(p)
            order.append(v)
    visit(root)
    return order
''',
    "backward": '''
def backward(root):
    root.grad = 1.0
    for v in reversed(topological_order(root)):
        v._backward()
''',
}


def source(exercise, code):
    """The learner's cells: for the engine's exercises, the class and the other four functions first."""
    if exercise in ENGINE:
        return VALUE_CLASS + "".join(c for name, c in ENGINE.items() if name != exercise) + code
    return code


# (exercise, what it is, right/wrong/either, passes, the catalogued mistake it is named as ("" for none), code)
CASES = [
    ('output_grad', 'subtract via np.subtract', 'right', True, '',
     '''
def output_grad(y, yhat):
    return np.subtract(yhat, y)
'''),
    ('output_grad', 'negated y - yhat', 'right', True, '',
     '''
def output_grad(y, yhat):
    return -(y - yhat)
'''),
    ('output_grad', 'explicit loop into empty_like', 'right', True, '',
     '''
def output_grad(y, yhat):
    out = np.empty_like(yhat, dtype=float)
    for i in np.ndindex(yhat.shape):
        out[i] = yhat[i] - y[i]
    return out
'''),
    ('output_grad', 'sign error y - yhat', 'wrong', False, 'sign error',
     '''
def output_grad(y, yhat):
    return y - yhat
'''),
    ('output_grad', 'returns a Python list', 'wrong', False, '',
     '''
def output_grad(y, yhat):
    return [a - b for a, b in zip(yhat, y)]
'''),
    ('output_grad', 'in-place: yhat -= y', 'wrong', False, 'argument modified in place',
     '''
def output_grad(y, yhat):
    yhat -= y
    return yhat
'''),
    ('output_grad', 'factor 2 (derivative of squared error without the 1/2)', 'wrong', False, 'factor of 2',
     '''
def output_grad(y, yhat):
    return 2 * (yhat - y)
'''),
    ('output_grad', 'column vector (n,1)', 'wrong', False, '',
     '''
def output_grad(y, yhat):
    return (yhat - y).reshape(-1, 1)
'''),
    ('output_grad', 'divides by the number of outputs', 'wrong', False, '',
     '''
def output_grad(y, yhat):
    return (yhat - y) / len(y)
'''),
    ('output_grad', "ignores y: uses the worked example's target", 'wrong', False, '',
     '''
def output_grad(y, yhat):
    return yhat - np.array([0.01, 0.99])
'''),
    ('sigmoid', 'naive formula (warns at -1000, bonus only)', 'right', True, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))
'''),
    ('sigmoid', 'via tanh: (1 + tanh(z/2))/2', 'right', True, '',
     '''
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
'''),
    ('sigmoid', 'stable np.where both branches', 'right', True, '',
     '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
'''),
    ('sigmoid', 'np.exp(z)/(1+np.exp(z)) with errstate (nan at +1000)', 'wrong', False,
     'exp(z) / (1 + exp(z)) overflowing',
     '''
def sigmoid(z):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(z) / (1.0 + np.exp(z))
'''),
    ('sigmoid', 'sign error: 1/(1+exp(z))', 'wrong', False, 'sign error in the exponent',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(z))
'''),
    ('sigmoid', 'rounds to 4 decimals like the original', 'wrong', False, 'rounded output',
     '''
def sigmoid(z):
    return np.round(1.0 / (1.0 + np.exp(-z)), 4)
'''),
    ('sigmoid', 'math.exp: fails on arrays', 'wrong', False, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))
'''),
    ('sigmoid', 'list comprehension over first axis, returns list', 'wrong', False, '',
     '''
def sigmoid(z):
    return [1.0 / (1.0 + np.exp(-v)) for v in z]
'''),
    ('sigmoid', 'in-place: z *= -1 then exp', 'wrong', False, 'argument modified in place',
     '''
def sigmoid(z):
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    return 1.0 / z
'''),
    ('sigmoid', 'float32 result', 'wrong', False, '',
     '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)
    return 1.0 / (1.0 + np.exp(-z))
'''),
    ('forward_prop', 'own sigmoid, W @ x + b', 'right', True, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return sigmoid(W @ x + b)
'''),
    ('forward_prop', 'einsum', 'right', True, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return sigmoid(np.einsum("ij,j->i", W, x) + b)
'''),
    ('forward_prop', 'explicit loops', 'right', True, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    out = np.zeros(W.shape[0])
    for i in range(W.shape[0]):
        s = b[i]
        for j in range(W.shape[1]):
            s += W[i, j] * x[j]
        out[i] = 1.0 / (1.0 + math.exp(-s))
    return out
'''),
    ('forward_prop', 'x @ W.T + b (equivalent for 1-D)', 'right', True, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return sigmoid(np.dot(x, W.T) + b)
'''),
    ('forward_prop', 'transposed W.T @ x (in,out) layout', 'wrong', False, 'transposed weights',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return sigmoid(W.T @ x + b)
'''),
    ('forward_prop', 'forgets the bias', 'wrong', False, 'missing bias',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return sigmoid(W @ x)
'''),
    ('forward_prop', 'forgets the sigmoid', 'wrong', False, 'missing activation',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return W @ x + b
'''),
    ('forward_prop', 'rounds like the original', 'wrong', False, 'rounded output',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return np.around(sigmoid(W @ x + b), 4)
'''),
    ('forward_prop', 'bias added after the sigmoid', 'wrong', False, 'bias added after the sigmoid',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return sigmoid(W @ x) + b
'''),
    ('forward_prop', 'hard-coded 2x2', 'wrong', False, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    return sigmoid(np.array([W[0, 0] * x[0] + W[0, 1] * x[1] + b[0], W[1, 0] * x[0] + W[1, 1] * x[1] + b[1]]))
'''),
    ('forward_prop', 'in-place: b += W @ x', 'wrong', False, 'argument modified in place',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_prop(W, b, x):
    b += W @ x
    return sigmoid(b)
'''),
    ('mse', '0.5 * dot(d, d)', 'right', True, '',
     '''
def mse(y, yhat):
    d = yhat - y
    return 0.5 * np.dot(d, d)
'''),
    ('mse', '0.5 * norm**2', 'right', True, '',
     '''
def mse(y, yhat):
    return 0.5 * np.linalg.norm(yhat - y) ** 2
'''),
    ('mse', 'python loop, float', 'right', True, '',
     '''
def mse(y, yhat):
    total = 0.0
    for a, b in zip(y, yhat):
        total += (b - a) ** 2
    return total / 2
'''),
    ('mse', 'mean instead of sum', 'wrong', False, 'mean instead of sum',
     '''
def mse(y, yhat):
    return 0.5 * np.mean((yhat - y) ** 2)
'''),
    ('mse', 'no 1/2', 'wrong', False, 'missing 1/2',
     '''
def mse(y, yhat):
    return np.sum((yhat - y) ** 2)
'''),
    ('mse', 'norm not squared', 'wrong', False, '',
     '''
def mse(y, yhat):
    return 0.5 * np.linalg.norm(yhat - y)
'''),
    ('mse', 'returns the shares array, not summed', 'wrong', False, '',
     '''
def mse(y, yhat):
    return 0.5 * (yhat - y) ** 2
'''),
    ('mse', 'returns shape (1,) array', 'wrong', False, '',
     '''
def mse(y, yhat):
    return np.array([0.5 * np.sum((yhat - y) ** 2)])
'''),
    ('mse', 'int() truncation', 'wrong', False, '',
     '''
def mse(y, yhat):
    return int(0.5 * np.sum((yhat - y) ** 2))
'''),
    ('mse', 'abs instead of square', 'wrong', False, '',
     '''
def mse(y, yhat):
    return 0.5 * np.sum(np.abs(yhat - y))
'''),
    ('sigmoid_grad', '(h - h**2) * upstream', 'right', True, '',
     '''
def sigmoid_grad(h, upstream):
    return (h - h ** 2) * upstream
'''),
    ('sigmoid_grad', 'np.multiply chain', 'right', True, '',
     '''
def sigmoid_grad(h, upstream):
    return np.multiply(np.multiply(h, 1.0 - h), upstream)
'''),
    ('sigmoid_grad', 'einsum elementwise any shape', 'right', True, '',
     '''
def sigmoid_grad(h, upstream):
    return np.einsum("...,...->...", h * (1 - h), upstream)
'''),
    ('sigmoid_grad', 'ignores upstream', 'wrong', False, 'missing upstream gradient',
     '''
def sigmoid_grad(h, upstream):
    return h * (1 - h)
'''),
    ('sigmoid_grad', 'derivative at the input: sigmoid(h)', 'wrong', False, 'derivative taken at the pre-activation',
     '''
def sigmoid_grad(h, upstream):
    s = 1 / (1 + np.exp(-h))
    return s * (1 - s) * upstream
'''),
    ('sigmoid_grad', 'adds instead of multiplies', 'wrong', False, '',
     '''
def sigmoid_grad(h, upstream):
    return h * (1 - h) + upstream
'''),
    ('sigmoid_grad', 'tanh derivative 1-h^2', 'wrong', False, '',
     '''
def sigmoid_grad(h, upstream):
    return (1 - h ** 2) * upstream
'''),
    ('sigmoid_grad', 'dot product (scalar)', 'wrong', False, '',
     '''
def sigmoid_grad(h, upstream):
    return np.dot(h * (1 - h), upstream)
'''),
    ('sigmoid_grad', 'in-place on upstream', 'wrong', False, 'argument modified in place',
     '''
def sigmoid_grad(h, upstream):
    upstream *= h * (1 - h)
    return upstream
'''),
    ('weight_grad', 'np.outer(delta, x_in)', 'right', True, '',
     '''
def weight_grad(x_in, delta):
    return np.outer(delta, x_in)
'''),
    ('weight_grad', 'einsum i,j->ij', 'right', True, '',
     '''
def weight_grad(x_in, delta):
    return np.einsum("i,j->ij", delta, x_in)
'''),
    ('weight_grad', 'column times row via broadcasting', 'right', True, '',
     '''
def weight_grad(x_in, delta):
    return delta[:, None] * x_in[None, :]
'''),
    ('weight_grad', 'nested loops', 'right', True, '',
     '''
def weight_grad(x_in, delta):
    g = np.zeros((len(delta), len(x_in)))
    for i in range(len(delta)):
        for j in range(len(x_in)):
            g[i, j] = delta[i] * x_in[j]
    return g
'''),
    ('weight_grad', 'swapped outer', 'wrong', False, 'swapped outer product',
     '''
def weight_grad(x_in, delta):
    return np.outer(x_in, delta)
'''),
    ('weight_grad', 'elementwise product', 'wrong', False, 'elementwise product',
     '''
def weight_grad(x_in, delta):
    return delta * x_in
'''),
    ('weight_grad', 'returns nested Python list', 'wrong', False, '',
     '''
def weight_grad(x_in, delta):
    return [[d * x for x in x_in] for d in delta]
'''),
    ('weight_grad', 'np.outer(...).tolist()', 'wrong', False, '',
     '''
def weight_grad(x_in, delta):
    return np.outer(delta, x_in).tolist()
'''),
    ('weight_grad', 'caches first result', 'wrong', False, '',
     '''
_cache = {}
def weight_grad(x_in, delta):
    if "g" not in _cache:
        _cache["g"] = np.outer(delta, x_in)
    return _cache["g"]
'''),
    ('weight_grad', 'divides by len(x_in)', 'wrong', False, '',
     '''
def weight_grad(x_in, delta):
    return np.outer(delta, x_in) / len(x_in)
'''),
    ('hidden_unit_grad', 'delta @ W', 'right', True, '',
     '''
def hidden_unit_grad(W, delta):
    return delta @ W
'''),
    ('hidden_unit_grad', 'einsum ij,i->j', 'right', True, '',
     '''
def hidden_unit_grad(W, delta):
    return np.einsum("ij,i->j", W, delta)
'''),
    ('hidden_unit_grad', 'sum(W * delta[:, None], axis=0)', 'right', True, '',
     '''
def hidden_unit_grad(W, delta):
    return np.sum(W * delta[:, None], axis=0)
'''),
    ('hidden_unit_grad', 'np.dot(W.T, delta)', 'right', True, '',
     '''
def hidden_unit_grad(W, delta):
    return np.dot(W.T, delta)
'''),
    ('hidden_unit_grad', 'original W @ delta', 'wrong', False, 'missing transpose (W @ delta)',
     '''
def hidden_unit_grad(W, delta):
    return W @ delta
'''),
    ('hidden_unit_grad', 'delta @ W.T (== W @ delta)', 'wrong', False, 'missing transpose (W @ delta)',
     '''
def hidden_unit_grad(W, delta):
    return delta @ W.T
'''),
    ('hidden_unit_grad', 'sum(W * delta, axis=0) wrong broadcast', 'wrong', False, '',
     '''
def hidden_unit_grad(W, delta):
    return np.sum(W * delta, axis=0)
'''),
    ('hidden_unit_grad', 'sum(W * delta[:,None], axis=1)', 'wrong', False, '',
     '''
def hidden_unit_grad(W, delta):
    return np.sum(W * delta[:, None], axis=1)
'''),
    ('hidden_unit_grad', 'W.T * delta (matrix result)', 'wrong', False, '',
     '''
def hidden_unit_grad(W, delta):
    return W.T * delta
'''),
    ('hidden_unit_grad', 'column vector result', 'wrong', False, '',
     '''
def hidden_unit_grad(W, delta):
    return (W.T @ delta).reshape(-1, 1)
'''),
    ('numerical_gradient', 'copy per entry, ndindex', 'right', True, '',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(xp) - f(xm)) / (2 * eps)
    return g
'''),
    ('numerical_gradient', 'perturb in place and restore exactly (CS231n style)', 'right', True, '',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        x[i] = old
        g[i] = (fp - fm) / (2 * eps)
        it.iternext()
    return g
'''),
    ('numerical_gradient', 'flat views of copies', 'right', True, '',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.empty(x.size)
    base = np.array(x, dtype=float)
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = eps
        e = e.reshape(x.shape)
        g[k] = (f(base + e) - f(base - e)) / (2 * eps)
    return g.reshape(x.shape)
'''),
    ('numerical_gradient', 'forward difference', 'wrong', False, 'forward instead of central differences',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp = x.copy()
        xp[i] += eps
        g[i] = (f(xp) - f(x)) / eps
    return g
'''),
    ('numerical_gradient', 'ignores eps (hard-coded 1e-6)', 'wrong', False, 'eps ignored',
     '''
def numerical_gradient(f, x, eps=1e-6):
    h = 1e-6
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g
'''),
    ('numerical_gradient', 'ignores eps (hard-coded 1e-5)', 'wrong', False, 'eps ignored',
     '''
def numerical_gradient(f, x, eps=1e-6):
    eps = 1e-5
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(xp) - f(xm)) / (2 * eps)
    return g
'''),
    ('numerical_gradient', 'in place, restore by += / -= (round-off changes x)', 'wrong', False,
     'argument modified in place',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += eps
        fp = f(x)
        x[i] -= 2 * eps
        fm = f(x)
        x[i] += eps
        g[i] = (fp - fm) / (2 * eps)
    return g
'''),
    ('numerical_gradient', 'in place, never restored', 'wrong', False, 'argument modified in place',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += eps
        fp = f(x)
        x[i] -= 2 * eps
        fm = f(x)
        g[i] = (fp - fm) / (2 * eps)
    return g
'''),
    ('numerical_gradient', 'divides by eps not 2 eps', 'wrong', False, 'missing 2 in the denominator',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(xp) - f(xm)) / eps
    return g
'''),
    ('numerical_gradient', 'range(len(x)): perturbs whole rows of a matrix', 'wrong', False, '',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in range(len(x)):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(xp) - f(xm)) / (2 * eps)
    return g
'''),
    ('numerical_gradient', 'returns flat array for matrices', 'wrong', False, '',
     '''
def numerical_gradient(f, x, eps=1e-6):
    g = []
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g.append((f(xp) - f(xm)) / (2 * eps))
    return np.array(g)
'''),
    ('para_update', 'np.add with negative', 'right', True, '',
     '''
def para_update(param, grad, alpha):
    return np.add(param, -alpha * grad)
'''),
    ('para_update', 'copy then -= on the copy', 'right', True, '',
     '''
def para_update(param, grad, alpha):
    new = np.array(param, dtype=float, copy=True)
    new -= alpha * grad
    return new
'''),
    ('para_update', '(grad * alpha) subtracted, reversed product order', 'right', True, '',
     '''
def para_update(param, grad, alpha):
    return param - grad * alpha
'''),
    ('para_update', 'in place -=', 'wrong', False, 'argument modified in place',
     '''
def para_update(param, grad, alpha):
    param -= alpha * grad
    return param
'''),
    ('para_update', 'np.subtract out=param', 'wrong', False, 'argument modified in place',
     '''
def para_update(param, grad, alpha):
    return np.subtract(param, alpha * grad, out=param)
'''),
    ('para_update', 'sign error', 'wrong', False, 'sign error in the update',
     '''
def para_update(param, grad, alpha):
    return param + alpha * grad
'''),
    ('para_update', 'ignores alpha', 'wrong', False, '',
     '''
def para_update(param, grad, alpha):
    return param - 0.1 * grad
'''),
    ('para_update', 'swapped roles: alpha*param - grad', 'wrong', False, '',
     '''
def para_update(param, grad, alpha):
    return alpha * param - grad
'''),
    ('para_update', 'returns list', 'wrong', False, '',
     '''
def para_update(param, grad, alpha):
    return (param - alpha * grad).tolist()
'''),
    ('para_update', 'grad - alpha*param (argument roles swapped)', 'wrong', False, '',
     '''
def para_update(param, grad, alpha):
    return grad - alpha * param
'''),
    ('train', 'package functions, all grads before updates', 'right', True, '',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x)
        y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        delta2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        delta1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, delta2))
        dW2, dW1 = nn.weight_grad(h1, delta2), nn.weight_grad(x, delta1)
        W1, b1 = para_update(W1, dW1, alpha), para_update(b1, delta1, alpha)
        W2, b2 = para_update(W2, dW2, alpha), para_update(b2, delta2, alpha)
    return losses
'''),
    ('train', 'own numpy, copies then in-place on copies, returns np.array', 'right', True, '',
     '''
def train(example, alpha, steps):
    W1, b1, W2, b2 = (np.array(a, dtype=float) for a in (example.W1, example.b1, example.W2, example.b2))
    x, y = example.x, example.y
    def loss():
        h = 1 / (1 + np.exp(-(W1 @ x + b1)))
        o = 1 / (1 + np.exp(-(W2 @ h + b2)))
        return h, o, 0.5 * np.sum((o - y) ** 2)
    h, o, L = loss()
    losses = [L]
    for _ in range(steps):
        d2 = (o - y) * o * (1 - o)
        d1 = (W2.T @ d2) * h * (1 - h)
        W2 -= alpha * np.outer(d2, h); b2 -= alpha * d2
        W1 -= alpha * np.outer(d1, x); b1 -= alpha * d1
        h, o, L = loss()
        losses.append(L)
    return np.array(losses)
'''),
    ('train', 'params in a dict, comprehension update', 'right', True, '',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    p = {k: getattr(example, k) for k in ("W1", "b1", "W2", "b2")}
    x, y = example.x, example.y
    def forward(p):
        h1 = nn.forward_prop(p["W1"], p["b1"], x)
        return h1, nn.forward_prop(p["W2"], p["b2"], h1)
    h1, yh = forward(p)
    losses = [float(nn.mse(y, yh))]
    for _ in range(steps):
        d2 = nn.sigmoid_grad(yh, nn.output_grad(y, yh))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(p["W2"], d2))
        g = {"W1": nn.weight_grad(x, d1), "b1": d1, "W2": nn.weight_grad(h1, d2), "b2": d2}
        p = {k: para_update(p[k], g[k], alpha) for k in p}
        h1, yh = forward(p)
        losses.append(float(nn.mse(y, yh)))
    return losses
'''),
    ('train', "in-place -= on example's arrays", 'wrong', False, 'argument modified in place',
     '''
def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W2 -= alpha * nn.weight_grad(h1, d2); b2 -= alpha * d2
        W1 -= alpha * nn.weight_grad(x, d1); b1 -= alpha * d1
    return losses
'''),
    ('train', 'rebinds example.W1 etc. (changes the object)', 'wrong', False, 'argument modified in place',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(example.W1, example.b1, x); y_hat = nn.forward_prop(example.W2, example.b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(example.W2, d2))
        dW2, dW1 = nn.weight_grad(h1, d2), nn.weight_grad(x, d1)
        example.W2 = para_update(example.W2, dW2, alpha); example.b2 = para_update(example.b2, d2, alpha)
        example.W1 = para_update(example.W1, dW1, alpha); example.b1 = para_update(example.b1, d1, alpha)
    return losses
'''),
    ('train', 'shallow copy.copy(example) then in-place', 'wrong', False, 'argument modified in place',
     '''
def train(example, alpha, steps):
    ex = copy.copy(example)
    x, y = ex.x, ex.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(ex.W1, ex.b1, x); y_hat = nn.forward_prop(ex.W2, ex.b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(ex.W2, d2))
        ex.W2 -= alpha * nn.weight_grad(h1, d2); ex.b2 -= alpha * d2
        ex.W1 -= alpha * nn.weight_grad(x, d1); ex.b1 -= alpha * d1
    return losses
'''),
    ('train', 'Mazur: hidden grad with updated W2', 'wrong', False, 'backpropagating with weights already updated',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        W2 = para_update(W2, nn.weight_grad(h1, d2), alpha); b2 = para_update(b2, d2, alpha)
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1 = para_update(W1, nn.weight_grad(x, d1), alpha); b1 = para_update(b1, d1, alpha)
    return losses
'''),
    ('train', 'returns steps losses (only after each step)', 'wrong', False, 'first loss missing',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1, b1 = para_update(W1, nn.weight_grad(x, d1), alpha), para_update(b1, d1, alpha)
        W2, b2 = para_update(W2, nn.weight_grad(h1, d2), alpha), para_update(b2, d2, alpha)
        losses.append(nn.mse(y, nn.forward_prop(W2, b2, nn.forward_prop(W1, b1, x))))
    return losses
'''),
    ('train', 'steps losses (before each step, misses the last)', 'wrong', False, 'last loss missing',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1, b1 = para_update(W1, nn.weight_grad(x, d1), alpha), para_update(b1, d1, alpha)
        W2, b2 = para_update(W2, nn.weight_grad(h1, d2), alpha), para_update(b2, d2, alpha)
    return losses
'''),
    ('train', 'uses example.alpha instead of alpha', 'wrong', False, 'example.alpha used instead of alpha',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    alpha = example.alpha
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1, b1 = para_update(W1, nn.weight_grad(x, d1), alpha), para_update(b1, d1, alpha)
        W2, b2 = para_update(W2, nn.weight_grad(h1, d2), alpha), para_update(b2, d2, alpha)
    return losses
'''),
    ('train', 'biases never updated', 'wrong', False, 'biases not updated',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1 = para_update(W1, nn.weight_grad(x, d1), alpha)
        W2 = para_update(W2, nn.weight_grad(h1, d2), alpha)
    return losses
'''),
    ('train', 'hidden layer without sigmoid derivative', 'wrong', False, '',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = W2.T @ d2
        W1, b1 = para_update(W1, nn.weight_grad(x, d1), alpha), para_update(b1, d1, alpha)
        W2, b2 = para_update(W2, nn.weight_grad(h1, d2), alpha), para_update(b2, d2, alpha)
    return losses
'''),
    ('train', 'ignores steps: always 10', 'wrong', False, '',
     '''
def para_update(param, grad, alpha):
    return param - alpha * grad

def train(example, alpha, steps):
    steps = 10
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1, b1 = para_update(W1, nn.weight_grad(x, d1), alpha), para_update(b1, d1, alpha)
        W2, b2 = para_update(W2, nn.weight_grad(h1, d2), alpha), para_update(b2, d2, alpha)
    return losses
'''),
    ('forward_in_out', 'sigmoid(x @ W + b)', 'right', True, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_in_out(W, b, x):
    return sigmoid(x @ W + b)
'''),
    ('forward_in_out', 'einsum io,i->o', 'right', True, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_in_out(W, b, x):
    return sigmoid(np.einsum("io,i->o", W, x) + b)
'''),
    ('forward_in_out', 'np.dot(W.T, x) via tanh sigmoid', 'right', True, '',
     '''
def forward_in_out(W, b, x):
    return 0.5 * (1 + np.tanh(0.5 * (np.dot(W.T, x) + b)))
'''),
    ('forward_in_out', 'uses (out,in) formula W @ x', 'wrong', False, 'the (out, in) formula',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_in_out(W, b, x):
    return sigmoid(W @ x + b)
'''),
    ('forward_in_out', 'no bias', 'wrong', False, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_in_out(W, b, x):
    return sigmoid(x @ W)
'''),
    ('forward_in_out', 'no sigmoid', 'wrong', False, 'missing activation',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_in_out(W, b, x):
    return x @ W + b
'''),
    ('forward_in_out', 'x @ W.T (broadcast gone wrong)', 'wrong', False, 'the (out, in) formula',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_in_out(W, b, x):
    return sigmoid(x @ W.T + b)
'''),
    ('forward_in_out', 'returns list', 'wrong', False, '',
     '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_in_out(W, b, x):
    return list(sigmoid(x @ W + b))
'''),
    ('weight_grad_batch', 'Delta.T @ X', 'right', True, '',
     '''
def weight_grad_batch(X, Delta):
    return Delta.T @ X
'''),
    ('weight_grad_batch', 'einsum ni,no->oi', 'right', True, '',
     '''
def weight_grad_batch(X, Delta):
    return np.einsum("ni,no->oi", X, Delta)
'''),
    ('weight_grad_batch', '(X.T @ Delta).T', 'right', True, '',
     '''
def weight_grad_batch(X, Delta):
    return (X.T @ Delta).T
'''),
    ('weight_grad_batch', 'tensordot over axis 0', 'right', True, '',
     '''
def weight_grad_batch(X, Delta):
    return np.tensordot(Delta, X, axes=(0, 0))
'''),
    ('weight_grad_batch', 'sum of outer products loop', 'right', True, '',
     '''
def weight_grad_batch(X, Delta):
    return sum(np.outer(d, x) for x, d in zip(X, Delta))
'''),
    ('weight_grad_batch', 'divides by n again', 'wrong', False, '1/n twice',
     '''
def weight_grad_batch(X, Delta):
    return Delta.T @ X / X.shape[0]
'''),
    ('weight_grad_batch', 'X.T @ Delta (in, out)', 'wrong', False, 'swapped product',
     '''
def weight_grad_batch(X, Delta):
    return X.T @ Delta
'''),
    ('weight_grad_batch', 'first example only', 'wrong', False, '',
     '''
def weight_grad_batch(X, Delta):
    return np.outer(Delta[0], X[0])
'''),
    ('weight_grad_batch', 'mean of outer products', 'wrong', False, '1/n twice',
     '''
def weight_grad_batch(X, Delta):
    return np.mean([np.outer(d, x) for x, d in zip(X, Delta)], axis=0)
'''),
    ('weight_grad_batch', 'float32 matmul', 'wrong', False, '',
     '''
def weight_grad_batch(X, Delta):
    return Delta.T.astype(np.float32) @ X.astype(np.float32)
'''),
    ('train_epoch', 'range(0, n, B) slicing, comprehension update', 'right', True, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'deep copy first then in-place on copies; while loop', 'right', True, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    new = [[W.copy(), b.copy()] for W, b in params]
    k = 0
    while k * batch_size < len(X):
        idx = order[k * batch_size:(k + 1) * batch_size]
        _, grads = gradients(new, X[idx], labels[idx])
        for layer, (dW, db) in zip(new, grads):
            layer[0] -= learning_rate * dW
            layer[1] -= learning_rate * db
        k += 1
    return new
'''),
    ('train_epoch', 'shuffle X and labels once by order, ceil batches', 'right', True, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    Xs, Ls = X[order], labels[order]
    n_batches = -(-len(X) // batch_size)
    for k in range(n_batches):
        _, grads = gradients(params, Xs[k * batch_size:(k + 1) * batch_size], Ls[k * batch_size:(k + 1) * batch_size])
        params = [[p - learning_rate * g for p, g in zip(layer, grad)] for layer, grad in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'no shuffle', 'wrong', False, 'not shuffled',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'two permutations: X and labels shuffled differently', 'wrong', False,
     'labels shuffled separately from the inputs',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    Xs, Ls = X[rng.permutation(len(X))], labels[rng.permutation(len(X))]
    for start in range(0, len(X), batch_size):
        _, grads = gradients(params, Xs[start:start + batch_size], Ls[start:start + batch_size])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'drops the last partial batch', 'wrong', False, 'last partial batch dropped',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    for k in range(len(X) // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'in place on the given arrays', 'wrong', False, 'argument modified in place',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        for (W, b), (dW, db) in zip(params, grads):
            W -= learning_rate * dW
            b -= learning_rate * db
    return params
'''),
    ('train_epoch', 'new arrays but written into the given list', 'wrong', False, 'argument modified in place',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        for layer, (dW, db) in zip(params, grads):
            layer[0] = layer[0] - learning_rate * dW
            layer[1] = layer[1] - learning_rate * db
    return params
'''),
    ('train_epoch', 'ignores batch_size (full batch)', 'wrong', False, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    _, grads = gradients(params, X[order], labels[order])
    return [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
'''),
    ('train_epoch', 'global np.random.permutation (ignores rng)', 'wrong', False, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = np.random.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'shuffles X in place (X[:] = X[order])', 'wrong', False, 'argument modified in place',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    X2 = X
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    X2[:] = X2[order]
    return params
'''),
    ('train_epoch', 'np.array_split into ceil(n/B) pieces (different sizes)', 'wrong', False, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    for idx in np.array_split(order, -(-len(X) // batch_size)):
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'all gradients at the starting params', 'wrong', False,
     'every gradient taken at the starting parameters',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    start_params = params
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(start_params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'sampling with replacement', 'wrong', False, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    for start in range(0, len(X), batch_size):
        idx = rng.integers(0, len(X), size=min(batch_size, len(X) - start))
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'sign error: + learning_rate * grad', 'wrong', False, 'sign error in the update',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W + learning_rate * dW, b + learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('train_epoch', 'bias never updated', 'wrong', False, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed

    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        _, grads = gradients(params, X[idx], labels[idx])
        params = [[W - learning_rate * dW, b] for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
    ('relu_grad', 'upstream * (h > 0)', 'right', True, '',
     '''
def relu_grad(h, upstream):
    return upstream * (h > 0)
'''),
    ('relu_grad', 'np.where(h > 0, upstream, 0.0)', 'right', True, '',
     '''
def relu_grad(h, upstream):
    return np.where(h > 0, upstream, 0.0)
'''),
    ('relu_grad', 'heaviside(h, 0)', 'right', True, '',
     '''
def relu_grad(h, upstream):
    return upstream * np.heaviside(h, 0.0)
'''),
    ('relu_grad', 'copy then mask assign', 'right', True, '',
     '''
def relu_grad(h, upstream):
    out = upstream.copy()
    out[h <= 0] = 0
    return out
'''),
    ('relu_grad', 'h >= 0', 'wrong', False, 'ReLU derivative at zero',
     '''
def relu_grad(h, upstream):
    return (h >= 0) * upstream
'''),
    ('relu_grad', 'mask only, ignores upstream', 'wrong', False, 'missing upstream gradient',
     '''
def relu_grad(h, upstream):
    return (h > 0).astype(float)
'''),
    ('relu_grad', 'relu of upstream', 'wrong', False, '',
     '''
def relu_grad(h, upstream):
    return np.maximum(upstream, 0)
'''),
    ('relu_grad', 'in-place mask on upstream', 'wrong', False, 'argument modified in place',
     '''
def relu_grad(h, upstream):
    upstream[h <= 0] = 0
    return upstream
'''),
    ('relu_grad', 'h * upstream', 'wrong', False, 'multiplied by h instead of its derivative',
     '''
def relu_grad(h, upstream):
    return h * upstream
'''),
    ('relu_grad', 'boolean result (h > 0) & (upstream != 0)', 'wrong', False, 'missing upstream gradient',
     '''
def relu_grad(h, upstream):
    return (h > 0) & (upstream != 0)
'''),
    ('dense_forward', 'X @ W.T + b, registry', 'right', True, '',
     '''
def dense_forward(W, b, X, activation):

    H = nn.get_activation(activation).fn(X @ W.T + b)
    return H, (X, W, H, activation)
'''),
    ('dense_forward', 'einsum and own activation dict', 'right', True, '',
     '''
ACTS = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "linear": lambda z: z}
def dense_forward(W, b, X, activation):
    Z = np.einsum("ni,oi->no", X, W) + b
    H = ACTS[activation](Z)
    return H, (X, W, H, activation)
'''),
    ('dense_forward', '(W @ X.T).T + b[None, :]', 'right', True, '',
     '''
def dense_forward(W, b, X, activation):

    H = nn.get_activation(activation).fn((W @ X.T).T + b[None, :])
    return H, (X, W, H, activation)
'''),
    ('dense_forward', 'X @ W + b (other layout)', 'wrong', False, 'X @ W instead of X @ W.T',
     '''
def dense_forward(W, b, X, activation):

    H = nn.get_activation(activation).fn(X @ W + b)
    return H, (X, W, H, activation)
'''),
    ('dense_forward', 'caches Z instead of H', 'wrong', False, 'Z cached instead of H',
     '''
def dense_forward(W, b, X, activation):

    Z = X @ W.T + b
    H = nn.get_activation(activation).fn(Z)
    return H, (X, W, Z, activation)
'''),
    ('dense_forward', 'cache order (X, W, activation, H)', 'wrong', False, 'cache items in another order',
     '''
def dense_forward(W, b, X, activation):

    H = nn.get_activation(activation).fn(X @ W.T + b)
    return H, (X, W, activation, H)
'''),
    ('dense_forward', 'caches the Activation object, not the name', 'wrong', False,
     'the activation cached as an object, not its name',
     '''
def dense_forward(W, b, X, activation):

    act = nn.get_activation(activation)
    H = act.fn(X @ W.T + b)
    return H, (X, W, H, act)
'''),
    ('dense_forward', 'ignores activation (always tanh)', 'wrong', False, '',
     '''
def dense_forward(W, b, X, activation):

    H = np.tanh(X @ W.T + b)
    return H, (X, W, H, activation)
'''),
    ('dense_forward', 'forgets the bias', 'wrong', False, 'bias missing',
     '''
def dense_forward(W, b, X, activation):

    H = nn.get_activation(activation).fn(X @ W.T)
    return H, (X, W, H, activation)
'''),
    ('dense_forward', 'returns only H', 'wrong', False, 'no cache returned',
     '''
def dense_forward(W, b, X, activation):

    return nn.get_activation(activation).fn(X @ W.T + b)
'''),
    ('dense_forward', 'cache includes b: (X, W, b, H, activation)', 'wrong', False, 'a cache of five items',
     '''
def dense_forward(W, b, X, activation):

    H = nn.get_activation(activation).fn(X @ W.T + b)
    return H, (X, W, b, H, activation)
'''),
    ('dense_forward', 'cache is a list', 'either', True, '',
     '''
def dense_forward(W, b, X, activation):

    H = nn.get_activation(activation).fn(X @ W.T + b)
    return H, [X, W, H, activation]
'''),
    ('dense_backward', 'registry grad, matrix products', 'right', True, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0)
'''),
    ('dense_backward', 'own derivatives by name, einsum', 'right', True, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    if activation == "relu":
        Delta = dH * (H > 0)
    elif activation == "tanh":
        Delta = dH * (1 - H ** 2)
    elif activation == "sigmoid":
        Delta = dH * H * (1 - H)
    else:
        Delta = dH
    return np.einsum("no,oi->ni", Delta, W), np.einsum("no,ni->oi", Delta, X), np.einsum("no->o", Delta)
'''),
    ('dense_backward', 'loop over examples, accumulates', 'right', True, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    dW = np.zeros_like(W, dtype=float); db = np.zeros(W.shape[0]); dX = np.zeros_like(X, dtype=float)
    for i in range(len(X)):
        dW += np.outer(Delta[i], X[i]); db += Delta[i]; dX[i] = W.T @ Delta[i]
    return dX, dW, db
'''),
    ('dense_backward', 'divides dW and db by n', 'wrong', False, '1/n twice',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    n = len(X)
    return Delta @ W, Delta.T @ X / n, Delta.sum(axis=0) / n
'''),
    ('dense_backward', 'dW = X.T @ Delta (transposed)', 'wrong', False, 'dW transposed',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, X.T @ Delta, Delta.sum(axis=0)
'''),
    ('dense_backward', 'db summed over wrong axis', 'wrong', False, 'db summed over the wrong axis',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, Delta.T @ X, Delta.sum(axis=1)
'''),
    ('dense_backward', 'db = mean over batch', 'wrong', False, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, Delta.T @ X, Delta.mean(axis=0)
'''),
    ('dense_backward', 'dX from dH (skips the activation derivative)', 'wrong', False, 'dX from dH instead of Delta',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    return dH @ W, Delta.T @ X, Delta.sum(axis=0)
'''),
    ('dense_backward', 'no activation derivative at all', 'wrong', False, "the activation's gradient forgotten",
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = dH
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0)
'''),
    ('dense_backward', 'derivative at Z recomputed without bias', 'wrong', False, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Z = X @ W.T
    act = nn.get_activation(activation)
    Delta = act.grad(act.fn(Z), dH)
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0)
'''),
    ('dense_backward', 'returns (dW, db, dX)', 'wrong', False, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta.T @ X, Delta.sum(axis=0), Delta @ W
'''),
    ('dense_backward', 'in-place: dH *= derivative (tanh)', 'wrong', False, 'argument modified in place',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    if activation == "tanh":
        dH *= 1 - H ** 2
    elif activation == "relu":
        dH *= H > 0
    elif activation == "sigmoid":
        dH *= H * (1 - H)
    Delta = dH
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0)
'''),
    ('dense_backward', 'db keepdims (1, out)', 'wrong', False, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0, keepdims=True)
'''),
    ('dense_backward', 'relu derivative h >= 0', 'wrong', False, '',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache

    if activation == "relu":
        Delta = dH * (H >= 0)
    else:
        Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0)
'''),
    ('network_backward', 'reversed loop, insert(0)', 'right', True, '',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in reversed(caches):
        dH, dW, db = layer_backward(dH, cache)
        grads.insert(0, [dW, db])
    return grads
'''),
    ('network_backward', 'index loop down, append then reverse', 'right', True, '',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for l in range(len(caches) - 1, -1, -1):
        dH, dW, db = layer_backward(dH, caches[l])
        grads.append([dW, db])
    grads.reverse()
    return grads
'''),
    ('network_backward', 'recursion', 'right', True, '',
     '''
def network_backward(dout, caches, layer_backward):

    if not caches:
        return []
    dX, dW, db = layer_backward(dout, caches[-1])
    return network_backward(dX, caches[:-1], layer_backward) + [[dW, db]]
'''),
    ('network_backward', 'preallocated list, slice reversal', 'right', True, '',
     '''
def network_backward(dout, caches, layer_backward):

    grads = [None] * len(caches)
    dH = dout
    for i, cache in list(enumerate(caches))[::-1]:
        dH, dW, db = layer_backward(dH, cache)
        grads[i] = [dW, db]
    return grads
'''),
    ('network_backward', 'grads last layer first', 'wrong', False, 'gradients listed last layer first',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in reversed(caches):
        dH, dW, db = layer_backward(dH, cache)
        grads.append([dW, db])
    return grads
'''),
    ('network_backward', 'does not feed dX down (dout to every layer)', 'wrong', False, 'dout given to every layer',
     '''
def network_backward(dout, caches, layer_backward):

    grads = []
    for cache in reversed(caches):
        _, dW, db = layer_backward(dout, cache)
        grads.insert(0, [dW, db])
    return grads
'''),
    ('network_backward', 'caches.reverse() in place', 'wrong', False, 'argument modified in place',
     '''
def network_backward(dout, caches, layer_backward):

    caches.reverse()
    grads, dH = [], dout
    for cache in caches:
        dH, dW, db = layer_backward(dH, cache)
        grads.insert(0, [dW, db])
    return grads
'''),
    ('network_backward', 'ignores layer_backward, uses nn.dense_backward', 'wrong', False,
     'the layer_backward argument ignored',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in reversed(caches):
        dH, dW, db = nn.dense_backward(dH, cache)
        grads.insert(0, [dW, db])
    return grads
'''),
    ('network_backward', 'ignores layer_backward, uses own dense_backward', 'wrong', False,
     'the layer_backward argument ignored',
     '''
def dense_backward(dH, cache):
    X, W, H, activation = cache
    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0)

def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in reversed(caches):
        dH, dW, db = dense_backward(dH, cache)
        grads.insert(0, [dW, db])
    return grads
'''),
    ('network_backward', 'first to last (forward order)', 'wrong', False, 'layers visited first to last',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in caches:
        dH, dW, db = layer_backward(dH, cache)
        grads.append([dW, db])
    return grads
'''),
    ('network_backward', 'skips the first layer', 'wrong', False, 'first layer left out',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in reversed(caches[1:]):
        dH, dW, db = layer_backward(dH, cache)
        grads.insert(0, [dW, db])
    return grads
'''),
    ('network_backward', 'returns tuples (dW, db)', 'either', True, '',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in reversed(caches):
        dH, dW, db = layer_backward(dH, cache)
        grads.insert(0, (dW, db))
    return grads
'''),
    ('network_backward', 'includes dX: [dX, dW, db]', 'wrong', False, '',
     '''
def network_backward(dout, caches, layer_backward):

    grads, dH = [], dout
    for cache in reversed(caches):
        dX, dW, db = layer_backward(dH, cache)
        grads.insert(0, [dX, dW, db])
        dH = dX
    return grads
'''),
    ('softmax', 'row max, keepdims', 'right', True, '',
     '''
def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
'''),
    ('softmax', 'exp(z - logsumexp) with logaddexp.reduce', 'right', True, '',
     '''
def softmax(z):
    lse = np.logaddexp.reduce(z, axis=1)[:, None]
    return np.exp(z - lse)
'''),
    ('softmax', 'row loop', 'right', True, '',
     '''
def softmax(z):
    out = np.empty(z.shape)
    for i, row in enumerate(z):
        e = np.exp(row - np.max(row))
        out[i] = e / np.sum(e)
    return out
'''),
    ('softmax', 'axis=-1 with [:, None] broadcasting', 'right', True, '',
     '''
def softmax(z):
    shifted = z - np.max(z, axis=-1)[:, None]
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1)[:, None]
'''),
    ('softmax', 'global max', 'wrong', False, 'shifted by the global maximum',
     '''
def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)
'''),
    ('softmax', 'no max subtraction', 'wrong', False, 'softmax without the max shift overflowing',
     '''
def softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
'''),
    ('softmax', 'normalises columns (axis 0)', 'wrong', False, '',
     '''
def softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
'''),
    ('softmax', 'normalises over the whole batch', 'wrong', False, '',
     '''
def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum()
'''),
    ('softmax', 'sum without keepdims (broadcasts along rows)', 'wrong', False, '',
     '''
def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)
'''),
    ('softmax', 'in-place z -= max', 'wrong', False, 'argument modified in place',
     '''
def softmax(z):
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
'''),
    ('softmax', 'subtracts the row min', 'wrong', False, '',
     '''
def softmax(z):
    e = np.exp(z - z.min(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
'''),
    ('softmax', 'max without keepdims (column broadcast)', 'wrong', False, '',
     '''
def softmax(z):
    e = np.exp(z - z.max(axis=1))
    return e / e.sum(axis=1, keepdims=True)
'''),
    ('cross_entropy', 'log-sum-exp, fancy index', 'right', True, '',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(labels)), labels])
'''),
    ('cross_entropy', 'logaddexp.reduce and take_along_axis', 'right', True, '',
     '''
def cross_entropy(labels, logits):
    lse = np.logaddexp.reduce(logits, axis=1)
    picked = np.take_along_axis(logits, labels[:, None], axis=1)[:, 0]
    return float(np.mean(lse - picked))
'''),
    ('cross_entropy', 'one-hot with np.eye and a loop', 'right', True, '',
     '''
def cross_entropy(labels, logits):
    n, k = logits.shape
    Y = np.eye(k)[labels]
    total = 0.0
    for i in range(n):
        m = logits[i].max()
        total -= np.sum(Y[i] * ((logits[i] - m) - np.log(np.sum(np.exp(logits[i] - m)))))
    return total / n
'''),
    ('cross_entropy', 'sum not mean', 'wrong', False, 'sum instead of mean',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return -np.sum(logp[np.arange(len(labels)), labels])
'''),
    ('cross_entropy', 'naive -log(softmax)', 'wrong', False, 'log of the softmax (no log-sum-exp)',
     '''
def cross_entropy(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))
'''),
    ('cross_entropy', 'logits[:, labels] (n x n)', 'wrong', False, '',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return -np.mean(logp[:, labels])
'''),
    ('cross_entropy', "forgets m on the label's logit", 'wrong', False, '',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1)
    picked = logits[np.arange(len(labels)), labels]
    return -np.mean(picked - np.log(np.exp(logits - m[:, None]).sum(axis=1)))
'''),
    ('cross_entropy', 'missing minus sign', 'wrong', False, 'sign error',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return np.mean(logp[np.arange(len(labels)), labels])
'''),
    ('cross_entropy', 'mean over all n*k entries of Y*logp', 'wrong', False, 'averaged over the classes too',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return -np.mean(np.eye(logits.shape[1])[labels] * logp)
'''),
    ('cross_entropy', 'per-example losses (no mean)', 'wrong', False, '',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(labels)), labels]
'''),
    ('cross_entropy', 'log10', 'wrong', False, '',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log10(np.exp(logits - m).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(labels)), labels])
'''),
    ('cross_entropy', 'swapped argument order usage (labels used as logits)', 'wrong', False, '',
     '''
def cross_entropy(labels, logits):
    logits, labels = labels, logits
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(labels)), labels])
'''),
    ('softmax_cross_entropy_grad', '(P - eye[labels]) / n', 'right', True, '',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return (P - np.eye(logits.shape[1])[labels]) / len(labels)
'''),
    ('softmax_cross_entropy_grad', 'P copy, fancy -= 1 per row', 'right', True, '',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    G = e / e.sum(axis=1, keepdims=True)
    G[np.arange(len(labels)), labels] -= 1
    return G / logits.shape[0]
'''),
    ('softmax_cross_entropy_grad', 'nn.one_hot with k columns', 'right', True, '',
     '''
def softmax_cross_entropy_grad(labels, logits):
    P = np.exp(logits - np.logaddexp.reduce(logits, axis=1, keepdims=True))
    return (P - nn.one_hot(labels, logits.shape[1])) / len(logits)
'''),
    ('softmax_cross_entropy_grad', 'forgets softmax', 'wrong', False, 'cross-entropy gradient missing the softmax',
     '''
def softmax_cross_entropy_grad(labels, logits):
    return (logits - np.eye(logits.shape[1])[labels]) / len(labels)
'''),
    ('softmax_cross_entropy_grad', 'no 1/n', 'wrong', False, 'gradient not divided by the batch size',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return P - np.eye(logits.shape[1])[labels]
'''),
    ('softmax_cross_entropy_grad', 'sign error Y - P', 'wrong', False, 'sign error',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return (np.eye(logits.shape[1])[labels] - P) / len(labels)
'''),
    ('softmax_cross_entropy_grad', 'one-hot of width labels.max()+1 padded with zero columns', 'right', True, '',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    Y = np.zeros_like(P)
    Y[:, :labels.max() + 1] = np.eye(labels.max() + 1)[labels]
    return (P - Y) / len(labels)
'''),
    ('softmax_cross_entropy_grad', 'one-hot np.eye(labels.max() + 1) (too narrow: a shape error)', 'wrong', False,
     'one-hot with labels.max() + 1 columns',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return (P - np.eye(labels.max() + 1)[labels]) / len(labels)
'''),
    ('softmax_cross_entropy_grad', 'divides by k (columns)', 'wrong', False, '',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return (P - np.eye(logits.shape[1])[labels]) / logits.shape[1]
'''),
    ('softmax_cross_entropy_grad', 'in-place: logits modified', 'wrong', False, 'argument modified in place',
     '''
def softmax_cross_entropy_grad(labels, logits):
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    logits[np.arange(len(labels)), labels] -= 1
    return logits / len(labels)
'''),
    ('softmax_cross_entropy_grad', 'unstable softmax (no max)', 'wrong', False,
     'softmax without the max shift overflowing',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits)
    P = e / e.sum(axis=1, keepdims=True)
    return (P - np.eye(logits.shape[1])[labels]) / len(labels)
'''),
    ('softmax_cross_entropy_grad', 'global-max softmax', 'wrong', False, 'softmax shifted by the global maximum',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max())
    P = e / e.sum(axis=1, keepdims=True)
    return (P - np.eye(logits.shape[1])[labels]) / len(labels)
'''),
    ('confusion_matrix', 'np.add.at int', 'right', True, '',
     '''
def confusion_matrix(labels, predictions, k):
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (labels, predictions), 1)
    return C
'''),
    ('confusion_matrix', 'bincount with minlength', 'right', True, '',
     '''
def confusion_matrix(labels, predictions, k):
    return np.bincount(labels * k + predictions, minlength=k * k).reshape(k, k)
'''),
    ('confusion_matrix', 'python loop, default float zeros', 'right', True, '',
     '''
def confusion_matrix(labels, predictions, k):
    C = np.zeros((k, k))
    for t, p in zip(labels, predictions):
        C[t, p] += 1
    return C
'''),
    ('confusion_matrix', 'comparison broadcasting sum', 'right', True, '',
     '''
def confusion_matrix(labels, predictions, k):
    classes = np.arange(k)
    return ((labels[:, None] == classes)[:, :, None] & (predictions[:, None] == classes)[:, None, :]).sum(axis=0)
'''),
    ('confusion_matrix', 'fancy index += 1', 'wrong', False, 'fancy-index += drops repeated pairs',
     '''
def confusion_matrix(labels, predictions, k):
    C = np.zeros((k, k), dtype=int)
    C[labels, predictions] += 1
    return C
'''),
    ('confusion_matrix', 'ignores k (max+1)', 'wrong', False, 'k ignored (the size taken from the labels)',
     '''
def confusion_matrix(labels, predictions, k):
    k = max(labels.max(), predictions.max()) + 1
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (labels, predictions), 1)
    return C
'''),
    ('confusion_matrix', 'transposed (rows = predictions)', 'wrong', False, 'rows and columns swapped',
     '''
def confusion_matrix(labels, predictions, k):
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (predictions, labels), 1)
    return C
'''),
    ('confusion_matrix', 'bincount without minlength, padded to k*k', 'right', True, '',
     '''
def confusion_matrix(labels, predictions, k):
    counts = np.bincount(labels * k + predictions)
    counts = np.pad(counts, (0, max(0, k * k - len(counts))))
    return counts[:k * k].reshape(k, k) if len(counts) >= k * k else counts.reshape(k, k)
'''),
    ('confusion_matrix', 'bincount without minlength, reshape', 'wrong', False, '',
     '''
def confusion_matrix(labels, predictions, k):
    return np.bincount(labels * k + predictions).reshape(k, k)
'''),
    ('confusion_matrix', 'k - 1 as the row stride (pairs collide)', 'wrong', False, '',
     '''
def confusion_matrix(labels, predictions, k):
    return np.bincount(labels * (k - 1) + predictions, minlength=k * k)[:k * k].reshape(k, k)
'''),
    ('confusion_matrix', 'k from unique labels', 'wrong', False, 'k ignored (the size taken from the labels)',
     '''
def confusion_matrix(labels, predictions, k):
    k = len(np.unique(labels))
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(labels, predictions):
        C[t, p] += 1
    return C
'''),
    ('confusion_matrix', 'list of lists', 'wrong', False, '',
     '''
def confusion_matrix(labels, predictions, k):
    C = [[0] * k for _ in range(k)]
    for t, p in zip(labels, predictions):
        C[t][p] += 1
    return C
'''),
    ('confusion_matrix', 'ones on diagonal only (counts correct predictions)', 'wrong', False, '',
     '''
def confusion_matrix(labels, predictions, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(labels, predictions):
        if t == p:
            C[t, t] += 1
    return C
'''),
    ('momentum_update', 'plain', 'right', True, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity + grad
    return param - learning_rate * v, v
'''),
    ('momentum_update', 'np.add / np.multiply, list return', 'either', True, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = np.add(np.multiply(beta, velocity), grad)
    return [np.subtract(param, np.multiply(learning_rate, v)), v]
'''),
    ('momentum_update', 'copies then in-place on copies', 'right', True, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = velocity.copy()
    v *= beta
    v += grad
    p = param.copy()
    p -= learning_rate * v
    return p, v
'''),
    ('momentum_update', 'EMA convention', 'wrong', False, 'the EMA convention (v = beta * v + (1 - beta) * grad)',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity + (1 - beta) * grad
    return param - learning_rate * v, v
'''),
    ('momentum_update', 'CS231n convention', 'wrong', False,
     "CS231n's convention (v = beta * v - learning_rate * grad; param + v)",
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity - learning_rate * grad
    return param + v, v
'''),
    ('momentum_update', 'steps with the old velocity', 'wrong', False, 'old velocity used for the step',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity + grad
    return param - learning_rate * velocity, v
'''),
    ('momentum_update', 'lr inside the velocity, subtracts', 'wrong', False, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity + learning_rate * grad
    return param - v, v
'''),
    ('momentum_update', 'in-place velocity update', 'wrong', False, 'argument modified in place',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    velocity *= beta
    velocity += grad
    return param - learning_rate * velocity, velocity
'''),
    ('momentum_update', 'returns (v, param) swapped', 'wrong', False, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity + grad
    return v, param - learning_rate * v
'''),
    ('momentum_update', 'ignores beta (0.9)', 'wrong', False, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = 0.9 * velocity + grad
    return param - learning_rate * v, v
'''),
    ('momentum_update', 'Nesterov look-ahead step', 'wrong', False, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity + grad
    return param - learning_rate * (beta * v + grad), v
'''),
    ('momentum_update', 'returns only the parameter', 'wrong', False, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = beta * velocity + grad
    return param - learning_rate * v
'''),
    ('momentum_update', 'beta on the gradient', 'wrong', False, '',
     '''
def momentum_update(param, grad, velocity, learning_rate, beta):

    v = velocity + beta * grad
    return param - learning_rate * v, v
'''),
    ('adam_update', 'plain', 'right', True, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    return param - learning_rate * m_hat / (np.sqrt(s_hat) + kappa), m, s
'''),
    ('adam_update', 'step-size form with kappa scaled exactly', 'right', True, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad * grad
    c2 = math.sqrt(1 - beta2 ** t)
    alpha_t = learning_rate * c2 / (1 - beta1 ** t)
    return param - alpha_t * m / (s ** 0.5 + kappa * c2), m, s
'''),
    ('adam_update', 'np.square / np.power and new names', 'right', True, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m_new = np.add(beta1 * m, (1.0 - beta1) * grad)
    s_new = np.add(beta2 * s, (1.0 - beta2) * np.square(grad))
    step = (m_new / (1.0 - np.power(beta1, t))) / (np.sqrt(s_new / (1.0 - np.power(beta2, t))) + kappa)
    return param - learning_rate * step, m_new, s_new
'''),
    ('adam_update', 'no bias correction', 'wrong', False, 'bias correction missing',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    return param - learning_rate * m / (np.sqrt(s) + kappa), m, s
'''),
    ('adam_update', 'bias correction with t + 1', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    return param - learning_rate * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(s / (1 - beta2 ** (t + 1))) + kappa), m, s
'''),
    ('adam_update', 'kappa inside the sqrt', 'wrong', False, 'kappa inside the root',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    return param - learning_rate * (m / (1 - beta1 ** t)) / np.sqrt(s / (1 - beta2 ** t) + kappa), m, s
'''),
    ('adam_update', 'returns the corrected m_hat, s_hat as state', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    return param - learning_rate * m_hat / (np.sqrt(s_hat) + kappa), m_hat, s_hat
'''),
    ('adam_update', 's from grad, not grad**2', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * np.abs(grad)
    return param - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + kappa), m, s
'''),
    ('adam_update', 'ignores beta1/beta2 (0.9, 0.999)', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = 0.9 * m + 0.1 * grad
    s = 0.999 * s + 0.001 * grad ** 2
    return param - learning_rate * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + kappa), m, s
'''),
    ('adam_update', 'ignores kappa (1e-8)', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    return param - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + 1e-8), m, s
'''),
    ('adam_update', "paper's epsilon-hat = kappa (not scaled)", 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    alpha_t = learning_rate * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return param - alpha_t * m / (np.sqrt(s) + kappa), m, s
'''),
    ('adam_update', 'in place on m and s', 'wrong', False, 'argument modified in place',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m *= beta1; m += (1 - beta1) * grad
    s *= beta2; s += (1 - beta2) * grad ** 2
    return param - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + kappa), m, s
'''),
    ('adam_update', 'returns (param, s, m)', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    return param - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + kappa), s, m
'''),
    ('adam_update', 'kappa added before dividing by the correction', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    return param - learning_rate * (m / (1 - beta1 ** t)) / ((np.sqrt(s) + kappa) / math.sqrt(1 - beta2 ** t)), m, s
'''),
    ('adam_update', 'sign error', 'wrong', False, '',
     '''
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):

    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    return param + learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + kappa), m, s
'''),
    ('value_add', 'reference-like with closure', 'right', True, '',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")
    def _backward():
        self.grad += out.grad
        other.grad += out.grad
    out._backward = _backward
    return out
'''),
    ('value_add', "parents as list, op 'add', other wrapped via try", 'right', True, '',
     '''
def value_add(self, other):
    if not isinstance(other, Value):
        other = Value(float(other))
    out = Value(self.data + other.data, [self, other], "add")
    def back():
        self.grad = self.grad + 1.0 * out.grad
        other.grad = other.grad + 1.0 * out.grad
    out._backward = back
    return out
'''),
    ('value_add', 'grad assignment = instead of +=', 'wrong', False, 'gradient overwritten instead of accumulated',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")
    def _backward():
        self.grad = out.grad
        other.grad = out.grad
    out._backward = _backward
    return out
'''),
    ('value_add', 'forgets out.grad (adds 1)', 'wrong', False, 'upstream gradient missing',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")
    def _backward():
        self.grad += 1.0
        other.grad += 1.0
    out._backward = _backward
    return out
'''),
    ('value_add', 'does not wrap plain numbers', 'wrong', False, 'plain number not wrapped in a Value',
     '''
def value_add(self, other):
    out = Value(self.data + other.data, (self, other), "+")
    def _backward():
        self.grad += out.grad
        other.grad += out.grad
    out._backward = _backward
    return out
'''),
    ('value_add', 'no parents recorded', 'wrong', False, 'parents not recorded',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data)
    def _backward():
        self.grad += out.grad
        other.grad += out.grad
    out._backward = _backward
    return out
'''),
    ('value_add', 'forgets to attach _backward', 'wrong', False, '',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")
    def _backward():
        self.grad += out.grad
        other.grad += out.grad
    return out
'''),
    ('value_add', 'only self gets the gradient', 'wrong', False, '',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")
    def _backward():
        self.grad += out.grad
    out._backward = _backward
    return out
'''),
    ('value_add', 'in place: self.data += other.data; returns self', 'wrong', False, 'the sum written into self',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    self.data += other.data
    return self
'''),
    ('value_mul', 'reference-like', 'right', True, '',
     '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")
    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad
    out._backward = _backward
    return out
'''),
    ('value_mul', 'saves data values up front in the closure', 'right', True, '',
     '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    a, b = self.data, other.data
    out = Value(a * b, (self, other), "*")
    def _backward():
        self.grad += b * out.grad
        other.grad += a * out.grad
    out._backward = _backward
    return out
'''),
    ('value_mul', "own data instead of other's", 'wrong', False, 'each input multiplied by its own value',
     '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")
    def _backward():
        self.grad += self.data * out.grad
        other.grad += other.data * out.grad
    out._backward = _backward
    return out
'''),
    ('value_mul', 'forgets out.grad', 'wrong', False, 'upstream gradient missing',
     '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")
    def _backward():
        self.grad += other.data
        other.grad += self.data
    out._backward = _backward
    return out
'''),
    ('value_mul', '= instead of +=', 'wrong', False, 'gradient overwritten instead of accumulated',
     '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")
    def _backward():
        self.grad = other.data * out.grad
        other.grad = self.data * out.grad
    out._backward = _backward
    return out
'''),
    ('value_mul', "uses the other's grad instead of data", 'wrong', False, '',
     '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")
    def _backward():
        self.grad += other.grad * out.grad
        other.grad += self.grad * out.grad
    out._backward = _backward
    return out
'''),
    ('value_mul', 'computes data as sum (copy-paste from add)', 'wrong', False, '',
     '''
def value_mul(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "*")
    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad
    out._backward = _backward
    return out
'''),
    ('value_mul', 'no wrapping: fails on a * 2.0', 'wrong', False, 'plain number not wrapped in a Value',
     '''
def value_mul(self, other):
    out = Value(self.data * other.data, (self, other), "*")
    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', 'reference-like', 'right', True, '',
     '''
def value_tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")
    def _backward():
        self.grad += (1 - out.data ** 2) * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', 'derivative from the input 1 - tanh(x)^2 (same value)', 'right', True, '',
     '''
def value_tanh(self):
    x = self.data
    out = Value(math.tanh(x), (self,), "tanh")
    def _backward():
        self.grad += (1 - math.tanh(x) ** 2) * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', 'tanh via exp, stable through exp(-2|x|)', 'right', True, '',
     '''
def value_tanh(self):
    x = self.data
    e = math.exp(-2 * abs(x))
    t = math.copysign((1 - e) / (1 + e), x)
    out = Value(t, (self,), "tanh")
    def _backward():
        self.grad += (1 - t * t) * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', '1 - self.data**2 (derivative at the input)', 'wrong', False, 'derivative taken at the input',
     '''
def value_tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")
    def _backward():
        self.grad += (1 - self.data ** 2) * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', '(1 - h)**2', 'wrong', False, '',
     '''
def value_tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")
    def _backward():
        self.grad += (1 - out.data) ** 2 * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', 'forgets out.grad', 'wrong', False, 'upstream gradient missing',
     '''
def value_tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")
    def _backward():
        self.grad += 1 - out.data ** 2
    out._backward = _backward
    return out
'''),
    ('value_tanh', 'naive exp formula overflows for large x', 'wrong', False, 'tanh from exponentials overflowing',
     '''
def value_tanh(self):
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = Value(t, (self,), "tanh")
    def _backward():
        self.grad += (1 - t ** 2) * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', 'sigmoid derivative h(1-h)', 'wrong', False, '',
     '''
def value_tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")
    def _backward():
        self.grad += out.data * (1 - out.data) * out.grad
    out._backward = _backward
    return out
'''),
    ('value_tanh', '= instead of +=', 'wrong', False, 'gradient overwritten instead of accumulated',
     '''
def value_tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")
    def _backward():
        self.grad = (1 - out.data ** 2) * out.grad
    out._backward = _backward
    return out
'''),
    ('topological_order', 'reference-like DFS', 'right', True, '',
     '''
def topological_order(root):
    order, seen = [], set()
    def visit(v):
        if v not in seen:
            seen.add(v)
            for p in v._parents:
                visit(p)
            order.append(v)
    visit(root)
    return order
'''),
    ('topological_order', 'iterative DFS with explicit stack and ids', 'right', True, '',
     '''
def topological_order(root):
    order, done, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            if id(node) not in done:
                done.add(id(node)); order.append(node)
            continue
        if id(node) in done:
            continue
        stack.append((node, True))
        for p in reversed(node._parents):
            if id(p) not in done:
                stack.append((p, False))
    return order
'''),
    ('topological_order', "Kahn's algorithm on the reversed graph", 'right', True, '',
     '''
def topological_order(root):
    nodes, stack = {}, [root]
    while stack:
        v = stack.pop()
        if id(v) in nodes:
            continue
        nodes[id(v)] = v
        stack.extend(v._parents)
    children = {i: 0 for i in nodes}
    for v in nodes.values():
        for p in set(map(id, v._parents)):
            children[p] += 1
    ready = [root]
    rev = []
    while ready:
        v = ready.pop()
        rev.append(v)
        for p in {id(p): p for p in v._parents}.values():
            children[id(p)] -= 1
            if children[id(p)] == 0:
                ready.append(p)
    return rev[::-1]
'''),
    ('topological_order', 'no visited set (duplicates)', 'wrong', False, 'a node visited twice',
     '''
def topological_order(root):
    order = []
    def visit(v):
        for p in v._parents:
            visit(p)
        order.append(v)
    visit(root)
    return order
'''),
    ('topological_order', 'pre-order (node before parents)', 'wrong', False, 'wrong topological order',
     '''
def topological_order(root):
    order, seen = [], set()
    def visit(v):
        if v not in seen:
            seen.add(v)
            order.append(v)
            for p in v._parents:
                visit(p)
    visit(root)
    return order
'''),
    ('topological_order', 'reversed (root first)', 'wrong', False, 'wrong topological order',
     '''
def topological_order(root):
    order, seen = [], set()
    def visit(v):
        if v not in seen:
            seen.add(v)
            for p in v._parents:
                visit(p)
            order.append(v)
    visit(root)
    return order[::-1]
'''),
    ('topological_order', 'visited keyed by data value', 'wrong', False, 'nodes told apart by their data',
     '''
def topological_order(root):
    order, seen = [], set()
    def visit(v):
        if v.data not in seen:
            seen.add(v.data)
            for p in v._parents:
                visit(p)
            order.append(v)
    visit(root)
    return order
'''),
    ('topological_order', 'BFS by levels (parents after children)', 'wrong', False, '',
     '''
def topological_order(root):
    order, seen, queue = [], {id(root)}, [root]
    while queue:
        v = queue.pop(0)
        order.append(v)
        for p in v._parents:
            if id(p) not in seen:
                seen.add(id(p)); queue.append(p)
    return order[::-1]
'''),
    ('topological_order', 'global visited set kept across calls', 'wrong', False, 'state kept between calls',
     '''
_seen = set()
def topological_order(root):
    order = []
    def visit(v):
        if v not in _seen:
            _seen.add(v)
            for p in v._parents:
                visit(p)
            order.append(v)
    visit(root)
    return order
'''),
    ('topological_order', 'leaves excluded', 'wrong', False, '',
     '''
def topological_order(root):
    order, seen = [], set()
    def visit(v):
        if v not in seen:
            seen.add(v)
            for p in v._parents:
                visit(p)
            if v._parents:
                order.append(v)
    visit(root)
    return order
'''),
    ('backward', 'reference-like', 'right', True, '',
     '''
def backward(root):
    root.grad = 1.0
    for v in reversed(topological_order(root)):
        v._backward()
'''),
    ('backward', 'index loop from the end', 'right', True, '',
     '''
def backward(root):
    order = topological_order(root)
    root.grad = 1.0
    for i in range(len(order) - 1, -1, -1):
        order[i]._backward()
'''),
    ('backward', 'slicing [::-1], returns root', 'right', True, '',
     '''
def backward(root):
    nodes = topological_order(root)
    nodes[-1].grad = 1.0
    for node in nodes[::-1]:
        node._backward()
    return root
'''),
    ('backward', 'forward order', 'wrong', False, 'wrong topological order',
     '''
def backward(root):
    root.grad = 1.0
    for v in topological_order(root):
        v._backward()
'''),
    ('backward', 'no seed', 'wrong', False, "output's gradient not seeded with 1",
     '''
def backward(root):
    for v in reversed(topological_order(root)):
        v._backward()
'''),
    ('backward', 'seed after the loop', 'wrong', False, '',
     '''
def backward(root):
    for v in reversed(topological_order(root)):
        v._backward()
    root.grad = 1.0
'''),
    ('backward', "only the root's _backward", 'wrong', False, 'wrong topological order',
     '''
def backward(root):
    root.grad = 1.0
    root._backward()
'''),
    ('backward', 'recursive through parents (no topological order)', 'wrong', False, '',
     '''
def backward(root):
    root.grad = 1.0
    def go(v):
        v._backward()
        for p in v._parents:
            go(p)
    go(root)
'''),
    ('backward', 'resets every grad to 0 first', 'right', True, '',
     '''
def backward(root):
    order = topological_order(root)
    for v in order:
        v.grad = 0.0
    root.grad = 1.0
    for v in reversed(order):
        v._backward()
'''),
    ('backward', 'seeds with += 1 (accumulates on the root)', 'either', True, '',
     '''
def backward(root):
    root.grad += 1.0
    for v in reversed(topological_order(root)):
        v._backward()
'''),
    ('he_init', 'plain', 'right', True, '',
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_in)
'''),
    ('he_init', 'rng.normal with scale (same draws)', 'right', True, '',
     '''
def he_init(n_in, n_out, rng):

    return rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_out, n_in))
'''),
    ('he_init', '(2/n_in)**0.5 * standard_normal(size=...)', 'right', True, '',
     '''
def he_init(n_in, n_out, rng):

    return (2 / n_in) ** 0.5 * rng.standard_normal(size=(n_out, n_in))
'''),
    ('he_init', 'transposed shape (n_in, n_out)', 'wrong', False, '',
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
'''),
    ('he_init', 'std 2/n_in (no sqrt)', 'wrong', False, 'variance for standard deviation',
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_out, n_in)) * 2 / n_in
'''),
    ('he_init', 'sqrt(2/n_out)', 'wrong', False, 'fan_out for fan_in',
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_out)
'''),
    ('he_init', 'LeCun sqrt(1/n_in)', 'wrong', False, "LeCun's variance 1/n_in",
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_out, n_in)) * np.sqrt(1 / n_in)
'''),
    ('he_init', 'global np.random (ignores rng)', 'wrong', False, '',
     '''
def he_init(n_in, n_out, rng):

    return np.random.randn(n_out, n_in) * np.sqrt(2 / n_in)
'''),
    ('he_init', 'draws (n_in, n_out) then transposes', 'wrong', False, 'drawn as (n_in, n_out) and transposed',
     '''
def he_init(n_in, n_out, rng):

    return (rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)).T
'''),
    ('he_init', 'integer division 2 // n_in', 'wrong', False, '',
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_out, n_in)) * np.sqrt(2 // n_in)
'''),
    ('he_init', 'float32 draws', 'wrong', False, '',
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_out, n_in), dtype=np.float32) * np.float32(np.sqrt(2 / n_in))
'''),
    ('he_init', 'fresh default_rng(0) (ignores rng)', 'wrong', False, '',
     '''
def he_init(n_in, n_out, rng):

    return np.random.default_rng(0).standard_normal((n_out, n_in)) * np.sqrt(2 / n_in)
'''),
    ('he_init', 'Glorot sqrt(2/(n_in+n_out))', 'wrong', False, '',
     '''
def he_init(n_in, n_out, rng):

    return rng.standard_normal((n_out, n_in)) * np.sqrt(2 / (n_in + n_out))
'''),
    ('he_init', 'uniform draws', 'wrong', False, '',
     '''
def he_init(n_in, n_out, rng):

    limit = np.sqrt(6 / n_in)
    return rng.uniform(-limit, limit, size=(n_out, n_in))
'''),
    ('binary_cross_entropy_grad', 'y_hat - y', 'right', True, '',
     '''
def binary_cross_entropy_grad(y, y_hat):

    return y_hat - y
'''),
    ('binary_cross_entropy_grad', 'chain rule written out', 'right', True, '',
     '''
def binary_cross_entropy_grad(y, y_hat):

    dL_dyhat = -y / y_hat + (1 - y) / (1 - y_hat)
    return dL_dyhat * y_hat * (1 - y_hat)
'''),
    ('binary_cross_entropy_grad', '-(y - y_hat) via np.negative', 'right', True, '',
     '''
def binary_cross_entropy_grad(y, y_hat):

    return np.negative(np.subtract(y, y_hat))
'''),
    ('binary_cross_entropy_grad', "squared error's delta", 'wrong', False, 'keeping σ′',
     '''
def binary_cross_entropy_grad(y, y_hat):

    return (y_hat - y) * y_hat * (1 - y_hat)
'''),
    ('binary_cross_entropy_grad', 'gradient w.r.t. y_hat, not z', 'wrong', False,
     'gradient with respect to y_hat instead of z',
     '''
def binary_cross_entropy_grad(y, y_hat):

    return (y_hat - y) / (y_hat * (1 - y_hat))
'''),
    ('binary_cross_entropy_grad', 'sign error', 'wrong', False, 'sign error',
     '''
def binary_cross_entropy_grad(y, y_hat):

    return y - y_hat
'''),
    ('binary_cross_entropy_grad', 'divides by n for a batch (the course convention; the exercise is one example)',
     'right', True, '',
     '''
def binary_cross_entropy_grad(y, y_hat):

    return (y_hat - y) / (len(y) if np.ndim(y) > 1 else 1)
'''),
    ('binary_cross_entropy_grad', 'divides by the number of outputs', 'wrong', False, 'divided by the number of outputs',
     '''
def binary_cross_entropy_grad(y, y_hat):
    return (y_hat - y) / len(y)
'''),
    ('binary_cross_entropy_grad', 'in place on y_hat', 'wrong', False, 'argument modified in place',
     '''
def binary_cross_entropy_grad(y, y_hat):

    y_hat -= y
    return y_hat
'''),
    ('binary_cross_entropy_grad', 'signature swapped (y_hat, y), body y_hat - y', 'wrong', False, 'sign error',
     '''
def binary_cross_entropy_grad(y_hat, y):
    return y_hat - y
'''),
    ('binary_cross_entropy_grad', 'divides by the number of outputs', 'wrong', False, '',
     '''
def binary_cross_entropy_grad(y, y_hat):

    return (y_hat - y) / np.size(y)
'''),
    ('l2_grad', 'dW + lam*W, db.copy()', 'right', True, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + lam * W, db.copy()
'''),
    ('l2_grad', 'np.add and db + 0', 'right', True, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return np.add(dW, np.multiply(lam, W)), db + 0.0
'''),
    ('l2_grad', 'copies then in-place on the copies', 'right', True, '',
     '''
def l2_grad(W, b, dW, db, lam):

    dW_total = dW.copy()
    dW_total += lam * W
    return dW_total, np.array(db, dtype=float)
'''),
    ('l2_grad', 'returns db itself (not a new array)', 'either', True, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + lam * W, db
'''),
    ('l2_grad', 'regularises the bias too', 'wrong', False, 'decaying the biases',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + lam * W, db + lam * b
'''),
    ('l2_grad', '2 * lam * W', 'wrong', False, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + 2 * lam * W, db.copy()
'''),
    ('l2_grad', 'lam/2 * W', 'wrong', False, 'forgetting the factor 2 of the square',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + lam / 2 * W, db.copy()
'''),
    ('l2_grad', 'in place dW += lam * W', 'wrong', False, 'argument modified in place',
     '''
def l2_grad(W, b, dW, db, lam):

    dW += lam * W
    return dW, db.copy()
'''),
    ('l2_grad', 'penalty value instead of gradient', 'wrong', False, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + lam / 2 * np.sum(W ** 2), db.copy()
'''),
    ('l2_grad', 'sign error', 'wrong', False, 'sign error',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW - lam * W, db.copy()
'''),
    ('l2_grad', 'ignores lam (0.01)', 'wrong', False, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + 0.01 * W, db.copy()
'''),
    ('l2_grad', 'penalty only (forgets dW)', 'wrong', False, "the penalty's gradient alone",
     '''
def l2_grad(W, b, dW, db, lam):

    return lam * W, db.copy()
'''),
    ('l2_grad', 'returns only dW_total', 'wrong', False, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return dW + lam * W
'''),
    ('l2_grad', 'weight decay in the gradient: (1 - lam) * dW', 'wrong', False, '',
     '''
def l2_grad(W, b, dW, db, lam):

    return (1 - lam) * dW, db.copy()
'''),
    ('dropout_forward', 'plain', 'right', True, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape) < keep) / keep
    return H * mask, mask
'''),
    ('dropout_forward', 'np.where mask, H.copy() at test', 'right', True, '',
     '''
def dropout_forward(H, keep, rng, training):

    if training:
        mask = np.where(rng.random(H.shape) < keep, 1.0 / keep, 0.0)
        return H * mask, mask
    return H.copy(), np.ones(H.shape)
'''),
    ('dropout_forward', 'rng.uniform(size=...) (draws the same numbers as rng.random)', 'right', True, '',
     '''
def dropout_forward(H, keep, rng, training):

    if training:
        kept = rng.uniform(size=H.shape) < keep
        mask = kept.astype(float) / keep
        return H * mask, mask
    return H, np.ones_like(H, dtype=float)
'''),
    ('dropout_forward', 'no 1/p (non-inverted)', 'wrong', False, 'no rescaling',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape) < keep).astype(float)
    return H * mask, mask
'''),
    ('dropout_forward', 'keeps with probability 1 - keep (>)', 'wrong', False, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape) > keep) / keep
    return H * mask, mask
'''),
    ('dropout_forward', 'returns the boolean mask without 1/p', 'wrong', False, 'mask returned without its 1/keep',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    kept = rng.random(H.shape) < keep
    return H * kept / keep, kept
'''),
    ('dropout_forward', 'test time scales by keep', 'wrong', False, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H * keep, np.full(H.shape, keep)
    mask = (rng.random(H.shape) < keep) / keep
    return H * mask, mask
'''),
    ('dropout_forward', 'ignores training', 'wrong', False, 'dropout left on at test time',
     '''
def dropout_forward(H, keep, rng, training):

    mask = (rng.random(H.shape) < keep) / keep
    return H * mask, mask
'''),
    ('dropout_forward', 'global np.random', 'wrong', False, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = (np.random.random(H.shape) < keep) / keep
    return H * mask, mask
'''),
    ('dropout_forward', 'binomial draws', 'wrong', False, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = rng.binomial(1, keep, size=H.shape) / keep
    return H * mask, mask
'''),
    ('dropout_forward', 'in place H *= mask', 'wrong', False, 'argument modified in place',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape) < keep) / keep
    H *= mask
    return H, mask
'''),
    ('dropout_forward', 'scalar 1.0 mask at test time', 'wrong', False, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, 1.0
    mask = (rng.random(H.shape) < keep) / keep
    return H * mask, mask
'''),
    ('dropout_forward', 'draws one mask per unit, shared over the batch', 'wrong', False, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape[-1]) < keep) / keep
    return H * mask, np.broadcast_to(mask, H.shape).copy()
'''),
    ('dropout_forward', 'multiplies by keep instead of dividing', 'wrong', False, '',
     '''
def dropout_forward(H, keep, rng, training):

    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape) < keep) * keep
    return H * mask, mask
'''),
    ('update_ratio', 'norms', 'right', True, '',
     '''
def update_ratio(W, dW, learning_rate):

    return np.linalg.norm(learning_rate * dW) / np.linalg.norm(W)
'''),
    ('update_ratio', 'sqrt of sums of squares, float()', 'right', True, '',
     '''
def update_ratio(W, dW, learning_rate):

    return float(math.sqrt(np.sum((learning_rate * dW) ** 2)) / math.sqrt(np.sum(W ** 2)))
'''),
    ('update_ratio', 'abs(lr) * norm(dW.ravel()) / norm(W.ravel())', 'right', True, '',
     '''
def update_ratio(W, dW, learning_rate):

    return abs(learning_rate) * np.linalg.norm(dW.ravel()) / np.linalg.norm(W.ravel())
'''),
    ('update_ratio', 'forgets the learning rate', 'wrong', False, 'learning rate forgotten',
     '''
def update_ratio(W, dW, learning_rate):

    return np.linalg.norm(dW) / np.linalg.norm(W)
'''),
    ('update_ratio', 'inverted', 'wrong', False, 'ratio upside down',
     '''
def update_ratio(W, dW, learning_rate):

    return np.linalg.norm(W) / np.linalg.norm(learning_rate * dW)
'''),
    ('update_ratio', 'elementwise ratio then norm', 'wrong', False, '',
     '''
def update_ratio(W, dW, learning_rate):

    return np.linalg.norm(learning_rate * dW / W)
'''),
    ('update_ratio', 'spectral norm (ord=2)', 'wrong', False, '',
     '''
def update_ratio(W, dW, learning_rate):

    return np.linalg.norm(learning_rate * dW, 2) / np.linalg.norm(W, 2)
'''),
    ('update_ratio', 'mean absolute values', 'wrong', False, '',
     '''
def update_ratio(W, dW, learning_rate):

    return np.mean(np.abs(learning_rate * dW)) / np.mean(np.abs(W))
'''),
    ('update_ratio', 'norm of the updated weights', 'wrong', False, '',
     '''
def update_ratio(W, dW, learning_rate):

    return np.linalg.norm(W - learning_rate * dW) / np.linalg.norm(W)
'''),
    ('update_ratio', 'squared norms', 'wrong', False, 'squared norms',
     '''
def update_ratio(W, dW, learning_rate):

    return np.sum((learning_rate * dW) ** 2) / np.sum(W ** 2)
'''),
    ('update_ratio', 'returns a 1-element array', 'wrong', False, '',
     '''
def update_ratio(W, dW, learning_rate):

    return np.array([np.linalg.norm(learning_rate * dW) / np.linalg.norm(W)])
'''),
    ('update_ratio', 'per-row ratios (axis=1)', 'wrong', False, '',
     '''
def update_ratio(W, dW, learning_rate):

    return np.linalg.norm(learning_rate * dW, axis=1) / np.linalg.norm(W, axis=1)
'''),
    ('output_grad', 'float32 result', 'wrong', False, '',
     '''
def output_grad(y, yhat):
    return (yhat - y).astype(np.float32)
'''),
    ('output_grad', 'signature swapped (yhat, y), body yhat - y', 'wrong', False, 'sign error',
     '''
def output_grad(yhat, y):
    return yhat - y
'''),
    ('mse', 'signature swapped (yhat, y): symmetric, still right', 'right', True, '',
     '''
def mse(yhat, y):
    return 0.5 * np.sum((yhat - y) ** 2)
'''),
    ('mse', 'np.float32 result', 'wrong', False, '',
     '''
def mse(y, yhat):
    return np.float32(0.5 * np.sum((yhat - y) ** 2))
'''),
    ('mse', 'returns a Python float via .item()', 'right', True, '',
     '''
def mse(y, yhat):
    return (0.5 * ((yhat - y) ** 2).sum()).item()
'''),
    ('para_update', 'signature (param, alpha, grad) with body using names', 'right', True, '',
     '''
def para_update(param, alpha, grad):
    return param - alpha * grad
'''),
    ('hidden_unit_grad', 'signature (delta, W), body W.T @ delta', 'right', True, '',
     '''
def hidden_unit_grad(delta, W):
    return W.T @ delta
'''),
    ('train', 'global losses list kept across calls', 'wrong', False, '',
     '''
losses = []

def train(example, alpha, steps):
    W1, b1, W2, b2 = example.W1, example.b1, example.W2, example.b2
    x, y = example.x, example.y
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        d1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, d2))
        W1, b1 = W1 - alpha * nn.weight_grad(x, d1), b1 - alpha * d1
        W2, b2 = W2 - alpha * nn.weight_grad(h1, d2), b2 - alpha * d2
    return losses
'''),
    ('train', "Mazur's forward with W2 updated before the hidden layer's delta, via in-place copy", 'wrong', False,
     'backpropagating with weights already updated',
     '''
def train(example, alpha, steps):
    W1, b1, W2, b2 = (a.copy() for a in (example.W1, example.b1, example.W2, example.b2))
    x, y = example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x); y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        d2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        W2 -= alpha * nn.weight_grad(h1, d2); b2 -= alpha * d2
        d1 = nn.sigmoid_grad(h1, W2.T @ d2)
        W1 -= alpha * nn.weight_grad(x, d1); b1 -= alpha * d1
    return losses
'''),
    ('relu_grad', 'integer result (upstream cast to int)', 'wrong', False, '',
     '''
def relu_grad(h, upstream):
    return (h > 0) * upstream.astype(int)
'''),
    ('relu_grad', 'upstream * sign(h) (h >= 0 for a ReLU output)', 'right', True, '',
     '''
def relu_grad(h, upstream):
    return upstream * np.sign(h)
'''),
    ('softmax', 'float32 result', 'wrong', False, '',
     '''
def softmax(z):
    z = z.astype(np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
'''),
    ('cross_entropy', 'np.float32 result', 'wrong', False, '',
     '''
def cross_entropy(labels, logits):
    m = logits.max(axis=1, keepdims=True)
    logp = (logits - m) - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return np.float32(-np.mean(logp[np.arange(len(labels)), labels]))
'''),
    ('weight_grad_batch', 'signature swapped (Delta, X), body Delta.T @ X', 'wrong', False, 'swapped product',
     '''
def weight_grad_batch(Delta, X):
    return Delta.T @ X
'''),
    ('update_ratio', 'integer learning rate handled, returns np.float64', 'right', True, '',
     '''
def update_ratio(W, dW, learning_rate):
    return np.float64(np.linalg.norm(np.multiply(learning_rate, dW)) / np.linalg.norm(W))
'''),
    ('topological_order', 'DFS visiting parents right to left (another valid order)', 'right', True, '',
     '''
def topological_order(root):
    order, seen = [], set()
    def visit(v):
        if id(v) in seen:
            return
        seen.add(id(v))
        for p in reversed(v._parents):
            visit(p)
        order.append(v)
    visit(root)
    return order
'''),
    ('value_add', 'in place on self.data, returns a new Value anyway', 'wrong', False, '',
     '''
def value_add(self, other):
    other = other if isinstance(other, Value) else Value(other)
    self.data = self.data + other.data
    out = Value(self.data, (self, other), "+")
    def _backward():
        self.grad += out.grad
        other.grad += out.grad
    out._backward = _backward
    return out
'''),
    ('backward', 'seeds the root and zeroes nothing, uses root.topological_order()', 'right', True, '',
     '''
def backward(root):
    root.grad = 1.0
    for node in reversed(root.topological_order()):
        node._backward()
'''),
    ('confusion_matrix', 'histogram2d (float counts)', 'right', True, '',
     '''
def confusion_matrix(labels, predictions, k):
    counts, _, _ = np.histogram2d(labels, predictions, bins=[np.arange(k + 1), np.arange(k + 1)])
    return counts
'''),
    ('dropout_forward', 'bool mask times 1/keep via np.divide, test mask float ones', 'right', True, '',
     '''
def dropout_forward(H, keep, rng, training):
    if training:
        mask = np.divide(rng.random(H.shape) < keep, keep)
        return np.multiply(H, mask), mask
    return H, np.ones(H.shape, dtype=H.dtype)
'''),
    ('he_init', 'integer n_in handled by true division (Python 3)', 'right', True, '',
     '''
def he_init(n_in, n_out, rng):
    std = (2.0 / float(n_in)) ** 0.5
    W = rng.standard_normal((n_out, n_in))
    W *= std
    return W
'''),
    ('sigmoid_grad', 'float32 result', 'wrong', False, '',
     '''
def sigmoid_grad(h, upstream):
    return (h * (1 - h) * upstream).astype(np.float32)
'''),
    ('dense_backward', 'cache unpacked by index, dW via np.dot', 'right', True, '',
     '''
def dense_backward(dH, cache):
    Delta = nn.get_activation(cache[3]).grad(cache[2], dH)
    return np.dot(Delta, cache[1]), np.dot(Delta.T, cache[0]), np.sum(Delta, axis=0)
'''),
    ('softmax_cross_entropy_grad', 'float32 result', 'wrong', False, '',
     '''
def softmax_cross_entropy_grad(labels, logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return ((P - np.eye(logits.shape[1])[labels]) / len(labels)).astype(np.float32)
'''),
    ('train_epoch', 'order by rng.shuffle(np.arange(n)) (the same draw as permutation)', 'right', True, '',
     '''
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed
    order = np.arange(len(X))
    rng.shuffle(order)
    new = [list(layer) for layer in params]
    for start in range(0, len(X), batch_size):
        rows = order[start:start + batch_size]
        _, grads = gradients(new, X[rows], labels[rows])
        new = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(new, grads)]
    return new
'''),
    ('he_init', 'divided by sqrt(n_in / 2)', 'right', True, '',
     '''
def he_init(n_in, n_out, rng):
    return rng.standard_normal(size=(n_out, n_in)) / np.sqrt(n_in / 2)
'''),
    ('topological_order', 'mutable default arguments (order=[], seen=set())', 'wrong', False, '',
     '''
def topological_order(root, order=[], seen=set()):
    if root in seen:
        return order
    seen.add(root)
    for parent in root._parents:
        topological_order(parent, order, seen)
    order.append(root)
    return order
'''),
    ('update_ratio', 'np.float32 result', 'wrong', False, '',
     '''
def update_ratio(W, dW, learning_rate):
    return np.float32(np.linalg.norm(learning_rate * dW) / np.linalg.norm(W))
'''),
    ('cross_entropy', 'log-sum-exp via np.log(np.sum(np.exp(...))) with keepdims=False and [:, None]', 'right', True,
     '',
     '''
def cross_entropy(labels, logits):
    m = np.max(logits, axis=1)
    lse = m + np.log(np.sum(np.exp(logits - m[:, None]), axis=1))
    return np.mean(lse - logits[range(len(labels)), labels])
'''),
]


@pytest.mark.parametrize("exercise,what,kind,passes,mistake,code", CASES,
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_fresh_implementation_gets_its_verdict(exercise, what, kind, passes, mistake, code):
    assert kind == "either" or passes == (kind == "right")
    namespace = {}
    exec(PRELUDE + source(exercise, code), namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a learner's overflow warnings are not this test's business
        result = evaluate(exercise, namespace[EXERCISES[exercise].learner_name])
    assert result.passed == passes, result.message
    if mistake:
        assert result.mistake == mistake, result.message


def test_every_exercise_has_fresh_implementations_right_and_wrong():
    for name in EXERCISES:
        kinds = [c[2] for c in CASES if c[0] == name]
        assert kinds.count("right") >= 2 and kinds.count("wrong") >= 3, name


def test_a_float32_answer_to_float32_inputs_passes_but_not_to_float64_ones():
    """The float64 rule is about precision thrown away: float32 inputs may give a float32 answer."""
    exercise = EXERCISES["sigmoid"]

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))  # keeps the dtype of z

    cases = [Case(case.label, tuple(np.asarray(a, dtype=np.float32) for a in case.args))
             for case in exercise.cases(np.random.default_rng(0))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert judge.judge(exercise, cases, [runner.call(sigmoid, case.args) for case in cases]).passed
        result = evaluate("sigmoid", lambda z: sigmoid(z).astype(np.float32))
    assert not result.passed and "dtype float32" in result.message
