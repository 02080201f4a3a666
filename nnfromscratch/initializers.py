r"""Initial weights, each scheme one function of (n_in, n_out, rng): the variance argument behind them.

For one unit $z = \sum_{j=1}^{n_\text{in}} W_j x_j$ with independent, zero-mean weights (independent of the
inputs too), $\mathrm{Var}(z) = n_\text{in}\, \mathrm{Var}(W)\, E[x^2]$; the inputs need not be zero-mean, and
for zero-mean inputs $E[x^2] = \mathrm{Var}(x)$. Keeping the signal's size from layer to layer therefore asks for
$\mathrm{Var}(W) = 1/n_\text{in}$ (LeCun); averaging that with the backward pass's $1/n_\text{out}$ gives
$2/(n_\text{in} + n_\text{out})$ (Glorot and Bengio, "Xavier"); and since a ReLU's output has
$E[\mathrm{relu}(z)^2] = \mathrm{Var}(z)/2$ for a symmetric z, it needs twice as much, $2/n_\text{in}$ (He).
Weights are drawn from a normal distribution with that variance, in the (out, in) convention.
"""

import numpy as np


def lecun_init(n_in, n_out, rng, dtype=np.float64):
    r"""$W \sim \mathcal N(0, 1/n_\text{in})$, shape (n_out, n_in): keeps the forward variance (tanh, sigmoid)."""
    return (rng.standard_normal((n_out, n_in)) * np.sqrt(1.0 / n_in)).astype(dtype)


def xavier_init(n_in, n_out, rng, dtype=np.float64):
    r"""Glorot's $W \sim \mathcal N(0, 2/(n_\text{in} + n_\text{out}))$, shape (n_out, n_in): a compromise between
    the forward ($1/n_\text{in}$) and backward ($1/n_\text{out}$) variances."""
    return (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / (n_in + n_out))).astype(dtype)


def he_init(n_in, n_out, rng, dtype=np.float64):
    r"""$W \sim \mathcal N(0, 2/n_\text{in})$, shape (n_out, n_in): ReLU halves the variance, this doubles it back."""
    return (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(dtype)


def zeros_init(n_in, n_out, rng, dtype=np.float64):
    """All weights 0, shape (n_out, n_in): every unit of a layer then stays identical (the symmetry problem)."""
    return np.zeros((n_out, n_in), dtype=dtype)


# Names accepted by `init_params(..., scheme=NAME)` and `Network(init=NAME)`.
INITS = {"lecun": lecun_init, "xavier": xavier_init, "he": he_init, "zeros": zeros_init}
