"""Oracles shared by the tests, written independently of the package."""

import numpy as np

EPS = 1e-6


def central_diff(f, x):
    """Central finite differences of a scalar function f at x, written out here (not the package's
    `numerical_gradient`), so that gradient tests do not check the package against itself."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += EPS
        down[i] -= EPS
        g[i] = (f(up) - f(down)) / (2 * EPS)
    return g
