"""Part I's exercises, in lesson order: each one unit, its input cases just above it, its mistakes inside it."""

import numpy as np

from .. import activations, example, gradcheck, layers, losses, optimizers, original
from .exercise import Case, Exercise, Mistake
from .inputs import cubic, rand, random_network, worked, worked_loss_of_W1


# --- 00 and 02: the loss and its gradient ------------------------------------------------------------------------

def _loss_cases(rng):
    t = worked()
    return [
        Case("the worked example (y, y_hat)", (t.y, t.y_hat)),
        Case("3 random outputs", (rand(rng, 3, low=0, high=1), rand(rng, 3, low=0, high=1))),
        Case("5 random outputs", (rand(rng, 5, low=0, high=1), rand(rng, 5, low=0, high=1))),
    ]


OUTPUT_GRAD = Exercise(
    "output_grad", "output_grad(y, yhat)", losses.output_grad, _loss_cases, [
        Mistake("sign error", "the derivative of 0.5 * (yhat - y)**2 w.r.t. yhat is yhat - y, not y - yhat.",
                lambda y, yhat: np.asarray(y) - yhat),
        Mistake("factor of 2", "the 1/2 in the loss cancels the 2: the gradient is yhat - y, not 2 * (yhat - y).",
                lambda y, yhat: 2 * (np.asarray(yhat) - y)),
    ], forbidden=("losses.binary_cross_entropy_grad",))  # yhat - y too, for one example (lesson 15's gradient)

MSE = Exercise(
    "mse", "mse(y, yhat)", losses.mse, _loss_cases, [
        Mistake("mean instead of sum", "L = 0.5 * sum((yhat - y)**2): sum over the outputs, do not average.",
                lambda y, yhat: 0.5 * np.mean((np.asarray(yhat) - y) ** 2)),
        Mistake("missing 1/2", "keep the 1/2: it cancels the 2 of the derivative, so dL/dyhat = yhat - y.",
                lambda y, yhat: np.sum((np.asarray(yhat) - y) ** 2)),
        Mistake("mean without the 1/2", "L = 0.5 * sum((yhat - y)**2): a sum with a half, not a mean.",
                lambda y, yhat: np.mean((np.asarray(yhat) - y) ** 2)),
        Mistake("difference not squared", "square each difference before summing.",
                lambda y, yhat: 0.5 * np.sum(np.asarray(yhat) - y)),
    ], forbidden=("example.loss_of", "regularization.l2_penalty"))  # l2_penalty([(yhat - y, None)], 1.0) is L


# --- 01: the forward pass -------------------------------------------------------------------------------------------

def _sigmoid_cases(rng):
    return [
        Case("z = [0.3825, 0.39] (the worked example's z1)", (worked().z1,)),
        Case("z = 0", (np.array(0.0),)),
        Case("random z of shape (3, 4)", (rand(rng, 3, 4, low=-5, high=5),)),
        # exp(1000) overflows: 1 / (1 + exp(-z)) still gives 0 and 1 out here, exp(z) / (1 + exp(z)) gives nan
        Case("z = [-1000, -30, 30, 1000] (far out on both sides)", (np.array([-1000.0, -30.0, 30.0, 1000.0]),)),
    ]


def _sigmoid_from_exp_z(z):
    """exp(z) / (1 + exp(z)): the same function on paper, but inf / inf = nan once exp(z) overflows (z > 709)."""
    e = np.exp(np.asarray(z, float))
    return e / (1 + e)


SIGMOID = Exercise(
    "sigmoid", "sigmoid(z)", activations.sigmoid, _sigmoid_cases, [
        Mistake("sign error in the exponent", "sigma(z) = 1 / (1 + exp(-z)): the exponent is -z, not z.",
                lambda z: 1 / (1 + np.exp(np.asarray(z, float)))),
        Mistake("missing 1 +", "the denominator is 1 + exp(-z), not exp(-z) alone.",
                lambda z: 1 / np.exp(-np.asarray(z, float))),
        Mistake("rounded output", "do not round: the course computes at full precision (the original's "
                "rounding to 4 decimals is defect 1).", lambda z: np.around(activations.sigmoid(z), 4)),
        Mistake("exp(z) / (1 + exp(z)) overflowing", "for large z, exp(z) overflows to inf and inf / inf is nan: "
                "write 1 / (1 + exp(-z)), which gives 1 there (and 1 / inf = 0 for z = -1000, with only a warning), "
                "or avoid both overflows as nn.sigmoid does.", _sigmoid_from_exp_z),
    ])


def _forward_cases(rng):
    t = worked()
    return [
        Case("the worked example's hidden layer (W1, b1, x)", (t.W1, t.b1, t.x)),
        Case("the worked example's output layer (W2, b2, h1)", (t.W2, t.b2, t.h1)),
        Case("a random layer with 5 inputs and 3 outputs", (rand(rng, 3, 5), rand(rng, 3), rand(rng, 5))),
        Case("a random layer with 2 inputs and 4 outputs", (rand(rng, 4, 2), rand(rng, 4), rand(rng, 2))),
    ]


FORWARD_PROP = Exercise(
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
    ], forbidden=("autodiff.dense",))  # the same layer on Values: [h.data for h in dense(values(W), ...)]


# --- 03: output-layer gradients ---------------------------------------------------------------------------------------

def _sigmoid_prime_at(value):
    s = activations.sigmoid(value)
    return s * (1 - s)


def _sigmoid_grad_cases(rng):
    t = worked()
    return [
        Case("the worked example's output layer (y_hat, dL/dy_hat)", (t.y_hat, t.dL_dy_hat)),
        Case("the worked example's hidden layer (h1, dL/dh1)", (t.h1, t.dL_dh1)),
        Case("3 random units", (rand(rng, 3, low=0.05, high=0.95), rand(rng, 3))),
    ]


SIGMOID_GRAD = Exercise(
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
    ])


def _weight_grad_cases(rng):
    t = worked()
    return [
        Case("the worked example's output layer (h1, delta2)", (t.h1, t.delta2)),
        Case("a layer with 5 inputs and 3 outputs", (rand(rng, 5), rand(rng, 3))),
        Case("a layer with 2 inputs and 4 outputs", (rand(rng, 2), rand(rng, 4))),
    ]


WEIGHT_GRAD = Exercise(
    "weight_grad", "weight_grad(x_in, delta)", layers.weight_grad, _weight_grad_cases, [
        Mistake("swapped outer product", "dW has the shape of W, (out, in): np.outer(delta, x_in), not "
                "np.outer(x_in, delta).", lambda x, d: np.outer(x, d)),
        Mistake("elementwise product", "every weight W[i, j] gets delta[i] * x_in[j]: an outer product, "
                "not delta * x_in.", lambda x, d: np.asarray(d) * x),
    ], forbidden=("layers.hidden_unit_grad", "layers.forward_prop"))  # each computes the outer product when given
    # reshaped arguments: hidden_unit_grad(x_in[None, :], delta[:, None]); forward_prop(x_in[:, None], 0, delta[:, None], 'linear')


# --- 04: hidden-layer gradients -----------------------------------------------------------------------------------

def _hidden_cases(rng):
    t = worked()
    return [
        Case("the worked example (W2, delta2)", (t.W2, t.delta2)),
        Case("W of shape (3, 5) (3 outputs, 5 inputs)", (rand(rng, 3, 5), rand(rng, 3))),
        Case("W of shape (4, 2) (4 outputs, 2 inputs)", (rand(rng, 4, 2), rand(rng, 4))),
    ]


HIDDEN_UNIT_GRAD = Exercise(
    "hidden_unit_grad", "hidden_unit_grad(W, delta)", layers.hidden_unit_grad, _hidden_cases, [
        Mistake("missing transpose (W @ delta)", "hidden unit j reaches output i through W[i, j], so it "
                "collects a column of W: W.T @ delta.", lambda W, d: np.asarray(W) @ d),
        Mistake("elementwise product", "each hidden unit sums over all output units: W.T @ delta, "
                "a matrix-vector product.", lambda W, d: np.asarray(W) * d),
    ], forbidden=("layers.weight_grad", "layers.forward_prop"))  # weight_grad(W, delta[:, None])[0] is W.T @ delta;
    # forward_prop(W, 0, delta, 'linear', layout='in_out') is too: the layout does the transpose the exercise teaches


# --- 05: gradient checking ----------------------------------------------------------------------------------------

def _numgrad_cases(rng):
    return [
        Case("the worked example's loss as a function of W1", (worked_loss_of_W1(), example.worked_example().W1)),
        Case("f(v) = sum(A * v**3) at a random v of shape (3, 2)", (cubic(rand(rng, 3, 2)), rand(rng, 3, 2))),
        Case("f(v) = sum(A * v**3) at a random v of shape (4,)", (cubic(rand(rng, 4)), rand(rng, 4))),
        # eps = 1e-2 on a cubic: the central difference is 3 A v**2 + A eps**2, so the answer depends on eps
        Case("f(v) = sum(A * v**3) at a random v of shape (2, 3), eps = 1e-2", (cubic(rand(rng, 2, 3)),
                                                                                 rand(rng, 2, 3), 1e-2)),
    ]


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


NUMERICAL_GRADIENT = Exercise(
    "numerical_gradient", "numerical_gradient(f, x, eps=1e-6)", gradcheck.numerical_gradient, _numgrad_cases, [
        Mistake("forward instead of central differences", "use (f(x + eps) - f(x - eps)) / (2 * eps): "
                "central differences are far more accurate.", _forward_differences),
        Mistake("missing 2 in the denominator", "a central difference spans 2 * eps: divide by 2 * eps.",
                _central_without_half),
        Mistake("eps ignored", "use the step eps it is given (the check also passes eps=1e-2), not a fixed 1e-6.",
                lambda f, x, eps=1e-6: gradcheck.numerical_gradient(f, x)),
    ], forbidden=("gradcheck.check_gradients",),
    in_place_hint="Perturb a copy, xp = x.copy(); xp[i] += eps. (Adding eps and subtracting it again does not always "
                  "give back the same float, so x changes even when you restore it that way.)")


# --- 06: gradient descent -----------------------------------------------------------------------------------------

def _update_cases(rng):
    t = worked()
    return [
        Case("the worked example's W2 with dW2, alpha = 0.1", (t.W2, t.dW2, 0.1)),
        Case("a (3, 5) parameter, alpha = 0.5", (rand(rng, 3, 5), rand(rng, 3, 5), 0.5)),
        Case("a bias of 4 entries, alpha = 0.01", (rand(rng, 4), rand(rng, 4), 0.01)),
    ]


PARA_UPDATE = Exercise(
    "para_update", "para_update(param, grad, alpha)", optimizers.para_update, _update_cases, [
        Mistake("sign error in the update", "gradient descent steps against the gradient: "
                "param - alpha * grad.", lambda p, g, a: np.asarray(p) + a * np.asarray(g)),
        Mistake("learning rate not applied", "scale the gradient by alpha: param - alpha * grad.",
                lambda p, g, a: np.asarray(p) - np.asarray(g)),
        Mistake("learning rate applied twice", "use alpha once: param - alpha * grad.",
                lambda p, g, a: np.asarray(p) - a * a * np.asarray(g)),
    ], forbidden=("optimizers.SGD.step", "optimizers.momentum_update", "optimizers.descend", "optimizers.rmsprop_update",
                  "optimizers.adam_update", "regularization.l2_grad"))  # descend: its body; rmsprop_update with rho 1
    # and kappa 0 from s = 1, adam_update likewise, l2_grad(g, 0, p, 0, -alpha) (dW + lam * W) each give p - alpha * g


def _train(ex, alpha, steps, **options):
    return example.train(ex, alpha=alpha, steps=steps, **options)[0]


def _train_with_updated_W2(ex, alpha, steps):
    """Mazur's warning ignored: W2 is updated first, and the hidden-layer gradient then uses the new W2."""
    W1, b1, W2, b2 = ex.W1, ex.b1, ex.W2, ex.b2
    history = []
    for step in range(steps + 1):
        h1 = layers.forward_prop(W1, b1, ex.x)
        y_hat = layers.forward_prop(W2, b2, h1)
        history.append(losses.mse(ex.y, y_hat))
        if step == steps:
            break
        delta2 = activations.sigmoid_grad(y_hat, losses.output_grad(ex.y, y_hat))
        W2 = optimizers.para_update(W2, layers.weight_grad(h1, delta2), alpha)
        b2 = optimizers.para_update(b2, delta2, alpha)
        delta1 = activations.sigmoid_grad(h1, layers.hidden_unit_grad(W2, delta2))  # the updated W2: the mistake
        W1 = optimizers.para_update(W1, layers.weight_grad(ex.x, delta1), alpha)
        b1 = optimizers.para_update(b1, delta1, alpha)
    return history


def _train_cases(rng):
    return [
        Case("the worked example, alpha = 0.1, 5 steps", (example.worked_example(), 0.1, 5)),
        Case("the worked example, alpha = 2.0, 3 steps", (example.worked_example(), 2.0, 3)),
        Case("a 3-4-2 network, alpha = 0.5, 4 steps", (random_network(rng, 3, 4, 2, 0.5), 0.5, 4)),
    ]


TRAIN = Exercise(
    "train", "train(example, alpha, steps)", lambda ex, a, n: _train(ex, a, n), _train_cases, [
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
        Mistake("backpropagating with weights already updated",
                "compute every gradient of a step before changing any parameter: dL/dh1 = W2.T @ delta2 needs "
                "the W2 of this step's forward pass, not the W2 you just updated (update W2 after computing "
                "delta1, or keep the old W2 in a variable).", _train_with_updated_W2),
        Mistake("example.alpha used instead of alpha", "use the learning rate passed as the argument alpha; "
                "example.alpha is only the worked example's default (the check trains the worked example with "
                "alpha = 2.0).", lambda ex, a, n: _train(ex, ex.alpha, n)),
    ], forbidden=("example.train", "example.trace", "example._step", "slowdown.train_with_loss"),
    array_result=False)  # _step is train's step; train_with_loss(example, "squared error", alpha, steps).loss is train


# --- 07: the other layout -----------------------------------------------------------------------------------------

def _in_out_cases(rng):
    ex = example.worked_example(layout="in_out")
    return [
        Case("the walk-through's hidden layer (W1 read as (in, out), b1, x)", (ex.W1, ex.b1, ex.x)),
        Case("W of shape (5, 3) (5 inputs, 3 outputs)", (rand(rng, 5, 3), rand(rng, 3), rand(rng, 5))),
        Case("W of shape (2, 4) (2 inputs, 4 outputs)", (rand(rng, 2, 4), rand(rng, 4), rand(rng, 2))),
    ]


FORWARD_IN_OUT = Exercise(
    "forward_in_out", "forward_in_out(W, b, x)", lambda W, b, x: layers.forward_prop(W, b, x, layout="in_out"),
    _in_out_cases, [
        Mistake("the (out, in) formula", "here W has shape (in, out): compute sigmoid(W.T @ x + b) "
                "(or x @ W + b), not W @ x.", lambda W, b, x: activations.sigmoid(np.asarray(W) @ x + b)),
        Mistake("missing activation", "apply the sigmoid to x @ W + b.",
                lambda W, b, x: np.asarray(x) @ W + b),
    ], forbidden=("layers.forward_prop", "autodiff.dense"))  # dense(values(W.T), ...) is the layer on Values


EXERCISES = [OUTPUT_GRAD, SIGMOID, FORWARD_PROP, MSE, SIGMOID_GRAD, WEIGHT_GRAD, HIDDEN_UNIT_GRAD, NUMERICAL_GRADIENT,
             PARA_UPDATE, TRAIN, FORWARD_IN_OUT]
