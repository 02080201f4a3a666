"""The original notebook's two defective functions, kept to reproduce its numbers and teach from them.

The course's own functions fix both; these exist so that a lesson can print the
original's values beside the correct ones, and so that the tests can show that
finite differences reject the second defect.

1. Rounding: the original's `forward_prop` rounds every activation to 4 decimals,
   so its loss reads 0.30363845 instead of 0.3036583136...
2. A missing transpose: its `hiddenUnitGrad` computes `W @ delta` instead of
   `W.T @ delta`, so every hidden-layer gradient (and W1, b1 after the update) is wrong.
"""

import numpy as np

from . import layers


def forward_prop(W, b, x, activation="sigmoid", *, layout="out_in"):
    """The original's `forward_prop`: the package's forward pass, rounded to 4 decimals (defect 1)."""
    return np.around(layers.forward_prop(W, b, x, activation, layout=layout), 4)


def hidden_unit_grad(W, delta, *, layout="out_in"):
    """The original's `hiddenUnitGrad`: `W @ delta`, the missing transpose (defect 2).

    It equals the correct `W.T @ delta` applied to `W.T`, which is how it is computed
    here; like the original, it only runs when W is square.
    """
    W = np.asarray(W)
    return layers.hidden_unit_grad(W.T, delta, layout=layout)
