r"""Updating parameters from their gradients."""

import math

import numpy as np

from .validate import as_float_array, require_finite, require_same_shape

_DIVERGED = (
    "Training has diverged: the learning rate alpha={alpha} is probably too large, so each step "
    "overshoots and the values grow until they overflow. Try a smaller learning rate (for example alpha/10)."
)


def para_update(param, grad, alpha):
    r"""One gradient-descent step: $\theta \leftarrow \theta - \alpha\, \partial L/\partial \theta$.

    param: any shape; grad: the same shape; alpha: the learning rate, a finite
    number >= 0. Returns a new array; `param` is never changed in place.
    Refuses non-finite parameters or gradients (and a step that overflows), with a
    message that points at the learning rate, the usual cause.
    """
    alpha = learning_rate_checked(alpha)
    with np.errstate(over="ignore", invalid="ignore"):  # reported by `descend`, with its cause
        return descend(param, grad, alpha)


def learning_rate_checked(alpha):
    """`para_update`'s check of the learning rate: alpha as a Python float, or a ValueError saying why not."""
    try:
        alpha = float(alpha)
    except (TypeError, ValueError):
        raise ValueError(f"para_update: alpha must be a number, not {alpha!r}.") from None
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(f"para_update: the learning rate alpha must be a finite number >= 0, not {alpha}.")
    return alpha


def descend(param, grad, alpha):
    r"""The step of `para_update`, $\theta - \alpha g$, with all its checks but the learning rate's: alpha comes
    from `learning_rate_checked`, and the caller holds `np.errstate(over="ignore", invalid="ignore")`.

    `example.trace` and `example.train` check the rate once and enter errstate once per step for their
    four parameters, instead of once per parameter: the same step, the same messages, a quarter of the
    overhead in the training slider's loop.
    """
    param = as_float_array(param, "param", "para_update")
    grad = as_float_array(grad, "grad", "para_update")
    require_same_shape(param, "param", grad, "grad", "para_update",
                       hint="A gradient always has the shape of the parameter it belongs to.")
    new = param - alpha * grad
    if not math.isfinite(new.sum()):  # one cheap test on the hot path (an overflowing sum is looked into too)
        cause = _DIVERGED.format(alpha=alpha)
        require_finite(param, "param", "para_update", cause)
        require_finite(grad, "grad", "para_update", cause)
        require_finite(new, "the updated parameter", "para_update", cause)
    return new


# --- optimisers: each update written as its equation ------------------------------------------------------------

def momentum_update(param, grad, velocity, learning_rate, beta=0.9):
    r"""SGD with momentum: $v \leftarrow \beta v + g$, $\theta \leftarrow \theta - \alpha v$.

    param, grad, velocity: the same shape (velocity starts at zeros). Returns (new param,
    new velocity). The velocity is a running sum of past gradients that decays by beta per
    step: for a gradient that stays the same, v grows to g / (1 - beta), so the step becomes
    alpha g / (1 - beta). The *effective rate* alpha / (1 - beta) is the plain-SGD rate that
    momentum matches where the gradient changes slowly (10 alpha for beta = 0.9).

    Other conventions in use: the EMA form $v \leftarrow \beta v + (1 - \beta) g$ (its
    effective rate is alpha itself), and CS231n's $v \leftarrow \beta v - \alpha g$,
    $\theta \leftarrow \theta + v$ (with mu for beta: the same path as this one while alpha stays
    fixed, its v being -alpha times this v). PyTorch's `torch.optim.SGD(momentum=beta)` uses this one.
    """
    velocity = beta * velocity + grad
    return param - learning_rate * velocity, velocity


def _kappa(kappa, eps):
    """The small constant of the denominator: `kappa`, or `eps` when given under that former name."""
    return kappa if eps is None else eps


def rmsprop_update(param, grad, s, learning_rate=0.001, rho=0.9, kappa=1e-8, *, eps=None):
    r"""RMSProp: $s \leftarrow \rho s + (1 - \rho) g^2$, $\theta \leftarrow \theta - \alpha\, g / (\sqrt{s} + \kappa)$.

    s: the running mean of squared gradients, the shape of param (starts at zeros). Each
    entry's step is divided by the root of its own s, so steep and flat directions move at
    similar speeds. kappa (default 1e-8) keeps the division finite where s is 0; other texts
    call it epsilon, a letter this course keeps for the finite-difference step (`eps=` is
    still accepted). Returns (new param, new s).
    """
    kappa = _kappa(kappa, eps)
    s = rho * s + (1 - rho) * grad * grad
    return param - learning_rate * grad / (np.sqrt(s) + kappa), s


def adam_update(param, grad, m, s, t, learning_rate=0.001, beta1=0.9, beta2=0.999, kappa=1e-8, *, eps=None):
    r"""Adam: $m \leftarrow \beta_1 m + (1-\beta_1) g$, $s \leftarrow \beta_2 s + (1-\beta_2) g^2$,
    $\hat m = m / (1 - \beta_1^t)$, $\hat s = s / (1 - \beta_2^t)$, $\theta \leftarrow \theta - \alpha\, \hat m / (\sqrt{\hat s} + \kappa)$.

    m: the running mean of gradients (first moment); s: of squared gradients (second moment,
    RMSProp's s; the Adam paper calls it v, a letter this course keeps for momentum's
    velocity). t: the step number, starting at 1. m and s start at zeros, so in the first
    steps they are biased towards 0 (s, with beta2 close to 1, far more than m): uncorrected,
    the steps would be too large for a steady gradient (sqrt(1 - beta2) = 0.03 in the
    denominator at t = 1). The corrections divide that bias out. kappa (default 1e-8) keeps
    the division finite (the paper's epsilon; `eps=` is still accepted). Returns
    (new param, new m, new s).
    """
    kappa = _kappa(kappa, eps)
    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    return param - learning_rate * m_hat / (np.sqrt(s_hat) + kappa), m, s


class SGD:
    r"""Plain gradient descent, $\theta \leftarrow \theta - \alpha g$, applied in place to a network's parameters."""

    def __init__(self, learning_rate=0.1):
        self.learning_rate = learning_rate

    def step(self, params, grads):
        """Update every array of `params` in place from the matching array of `grads` (which it may reuse)."""
        for pair, gpair in zip(params, grads):
            for p, g in zip(pair, gpair):
                g *= float(self.learning_rate)  # the gradients are fresh: scale them in place (see `_rates`)
                p -= g


def _rates(*hyperparameters):
    """Hyperparameters as Python floats: numpy treats those as "weak", so a float32 parameter stays float32
    (a np.float64 rate, e.g. from `cosine_decay` or `np.logspace`, would compute the update in float64)."""
    return tuple(float(h) for h in hyperparameters)


class _Stateful:
    """An optimiser that keeps per-parameter state; `step` calls its update function for each array.

    The state belongs to the parameters it was first used with: to train another network, make a
    new optimiser or call `reset()`.
    """

    def __init__(self, learning_rate):
        self.learning_rate, self.state, self.t, self._shapes = learning_rate, None, 0, None

    def reset(self):
        """Forget the state (velocities, moments) and the step count."""
        self.state, self.t, self._shapes = None, 0, None

    def step(self, params, grads):
        shapes = [tuple(p.shape for p in pair) for pair in params]
        if self.state is None:
            self.state, self._shapes = [[self.init_state(p) for p in pair] for pair in params], shapes
        elif shapes != self._shapes:
            raise ValueError(f"{type(self).__name__} holds state for parameters of shapes {self._shapes}, but was "
                             f"given {shapes}. Use a new optimiser for another network, or call reset().")
        self.t += 1
        for pair, gpair, spair in zip(params, grads, self.state):
            for i, (p, g) in enumerate(zip(pair, gpair)):
                new, spair[i] = self.update(p, g, spair[i])
                p[...] = new


class Momentum(_Stateful):
    """SGD with momentum (see `momentum_update`)."""

    def __init__(self, learning_rate=0.1, beta=0.9):
        super().__init__(learning_rate)
        self.beta = beta

    def init_state(self, p):
        return np.zeros_like(p)

    def update(self, p, g, velocity):
        new, velocity = momentum_update(p, g, velocity, *_rates(self.learning_rate, self.beta))
        return new, velocity


class RMSProp(_Stateful):
    """RMSProp (see `rmsprop_update`)."""

    def __init__(self, learning_rate=0.001, rho=0.9, kappa=1e-8, *, eps=None):
        super().__init__(learning_rate)
        self.rho, self.kappa = rho, _kappa(kappa, eps)

    def init_state(self, p):
        return np.zeros_like(p)

    def update(self, p, g, s):
        new, s = rmsprop_update(p, g, s, *_rates(self.learning_rate, self.rho, self.kappa))
        return new, s


class Adam(_Stateful):
    """Adam (see `adam_update`)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, kappa=1e-8, *, eps=None):
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.kappa = beta1, beta2, _kappa(kappa, eps)

    def init_state(self, p):
        return [np.zeros_like(p), np.zeros_like(p)]

    def update(self, p, g, ms):
        new, m, s = adam_update(p, g, ms[0], ms[1], self.t,
                                *_rates(self.learning_rate, self.beta1, self.beta2, self.kappa))
        return new, [m, s]


# --- learning-rate schedules: the factor to multiply the initial rate by, at each epoch (1, 2, ...) ----------

def step_decay(epoch, drop=0.5, every=10):
    r"""$\alpha_e = \alpha_0 \cdot \text{drop}^{\lfloor (e-1) / \text{every} \rfloor}$: halve the rate every 10 epochs."""
    return drop ** ((epoch - 1) // every)


def exponential_decay(epoch, gamma=0.95):
    r"""$\alpha_e = \alpha_0 \gamma^{e-1}$."""
    return gamma ** (epoch - 1)


def cosine_decay(epoch, epochs=30):
    r"""$\alpha_e = \alpha_0 \cdot \tfrac12 (1 + \cos(\pi (e-1) / \text{epochs}))$: from the full rate down to near 0."""
    return 0.5 * (1 + np.cos(np.pi * (epoch - 1) / epochs))


# --- racing optimisers on a 2-D loss surface (for the lesson's widget) ------------------------------------------

SURFACES = {
    # name: (f, gradient, start, (xmin, xmax, ymin, ymax)); each has its minimum at (0, 0) or (1, 1)
    "ravine": (lambda p: 0.5 * (p[0] ** 2 + 50 * p[1] ** 2),
               lambda p: np.array([p[0], 50 * p[1]]), (-4.0, 1.0), (-4.5, 4.5, -1.5, 1.5)),
    "rosenbrock": (lambda p: (1 - p[0]) ** 2 + 10 * (p[1] - p[0] ** 2) ** 2,
                   lambda p: np.array([-2 * (1 - p[0]) - 40 * p[0] * (p[1] - p[0] ** 2), 20 * (p[1] - p[0] ** 2)]),
                   (-1.5, 2.0), (-2.0, 2.0, -1.0, 3.0)),
}


def race(surface, optimizer, learning_rate, steps=100):
    """The path of one optimiser on a 2-D surface: an array (steps + 1, 2) of points, from the surface's start.

    optimizer: "sgd", "momentum" (beta 0.9), "rmsprop" (rho 0.9) or "adam" (beta1 0.9, beta2 0.999).
    Stops early (path shorter) if the point leaves the finite numbers or goes beyond 1e6, which is what
    a too-large learning rate does.
    """
    f, grad, start, _ = SURFACES[surface]
    p = np.array(start, dtype=float)
    state = {"sgd": None, "momentum": np.zeros(2), "rmsprop": np.zeros(2), "adam": (np.zeros(2), np.zeros(2))}[
        optimizer]
    path = [p]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            g = grad(p)
            if optimizer == "sgd":
                p = p - learning_rate * g
            elif optimizer == "momentum":
                p, state = momentum_update(p, g, state, learning_rate)
            elif optimizer == "rmsprop":
                p, state = rmsprop_update(p, g, state, learning_rate)
            else:
                p, m, s = adam_update(p, g, state[0], state[1], t, learning_rate)
                state = (m, s)
            if not np.all(np.isfinite(p)) or np.abs(p).max() > 1e6:
                break
            path.append(p)
    return np.array(path)


def final_loss(surface, optimizer, learning_rate, steps=100):
    """The surface's loss where `race` ends after `steps` steps; inf when the path diverged (stopped early)."""
    path = race(surface, optimizer, learning_rate, steps)
    return float(SURFACES[surface][0](path[-1])) if len(path) == steps + 1 else math.inf
