r"""Measuring a network layer by layer: is the signal alive going forward, and the gradient going back?

The numbers a practitioner looks at before trusting a training run (CS231n's "babysitting the learning process"):

- the **gradient norm of each layer**, $\lVert \partial L/\partial W_l \rVert$ and $\lVert \partial L/\partial b_l \rVert$
  (the bias gradient $\sum_i \delta_{l,i}$ is the error signal that reached layer $l$; if it shrinks layer after
  layer on the way back, the gradients vanish; if it grows, they explode);
- the **activations of each layer**, their spread and how many sit where the activation is flat;
- the **update-to-weight ratio** $\lVert \alpha\, \partial L/\partial W_l \rVert / \lVert W_l \rVert$, about $10^{-3}$
  in a healthy run;
- every gradient of a network checked against **finite differences** (`check_network`).

Each works on a package `Network`, whatever layer functions it was built with (its caches are
`(X, W, H, activation)`, or hold such a cache first).
"""

import numpy as np

from .gradcheck import check_gradients
from .network import Network
from .validate import as_float_array, require_same_shape


def gradient_norms(grads):
    r"""Per-layer gradient norms: returns (dW_norms, db_norms), two arrays of one Frobenius norm per layer,
    $\lVert \partial L/\partial W_l \rVert_F$ and $\lVert \partial L/\partial b_l \rVert$.

    grads: a list of [dW, db] per layer, as `Network.gradients` returns.
    """
    dW = np.array([np.linalg.norm(np.asarray(g[0], dtype=np.float64)) for g in grads])
    db = np.array([np.linalg.norm(np.asarray(g[1], dtype=np.float64)) for g in grads])
    return dW, db


def layer_outputs(net, X):
    """The output H of every layer of `net` for the batch X: a list of (n, units) arrays, the last one the logits."""
    _, caches = net.forward(X)
    return [_dense_cache(cache)[2] for cache in caches]


def _dense_cache(cache):
    """The (X, W, H, activation) cache of a layer, also when a layer wraps it, as `Dropout` does."""
    while isinstance(cache, tuple) and len(cache) and isinstance(cache[0], tuple):
        cache = cache[0]
    return cache


def update_ratio(W, dW, learning_rate):
    r"""The update-to-weight ratio of one layer: $\lVert \alpha\, \partial L/\partial W \rVert_F / \lVert W \rVert_F$.

    W, dW: the same shape; learning_rate: $\alpha$. Returns a Python float. About $10^{-3}$ is healthy: much
    smaller and the layer barely learns, much larger and each step rewrites it.
    """
    W = as_float_array(W, "W", "update_ratio")
    dW = as_float_array(dW, "dW", "update_ratio")
    require_same_shape(W, "W", dW, "dW", "update_ratio", hint="dW is the gradient of W: it has W's shape.")
    return float(np.linalg.norm(float(learning_rate) * np.asarray(dW, dtype=np.float64))
                 / np.linalg.norm(np.asarray(W, dtype=np.float64)))


def update_ratios(params, grads, learning_rate):
    """`update_ratio` of every layer: an array with one ratio per layer."""
    return np.array([update_ratio(W, dW, learning_rate) for (W, _), (dW, _) in zip(params, grads)])


def scaled_network(sizes, activation, gain, seed=0, **options):
    r"""A `Network` whose weights are drawn from $\mathcal N(0, \text{gain}^2 / n_\text{in})$, biases 0.

    gain = 1 is LeCun's initialisation, gain = $\sqrt 2$ He's; other gains scale every layer's weights up or
    down, to see what happens to the signal and the gradients. options: passed on to `Network`.
    """
    net = Network(sizes, activation=activation, init="lecun", seed=seed, **options)
    for W, _ in net.params:
        W *= gain
    return net


def network_loss(net, X, labels):
    """The loss of `net` as a function of a dict of its parameters {"W1": ..., "b1": ..., ...}, for gradient checks.

    The network's own parameters are put back after each call.
    """
    def loss(params):
        saved = [[W.copy(), b.copy()] for W, b in net.params]
        try:
            for i, pair in enumerate(net.params, 1):
                pair[0][...], pair[1][...] = params[f"W{i}"], params[f"b{i}"]
            return net.loss(X, labels)
        finally:
            for pair, (W, b) in zip(net.params, saved):
                pair[0][...], pair[1][...] = W, b
    return loss


def check_network(net, X, labels, eps=1e-6, rtol=1e-5, atol=1e-9):
    """Check every gradient of `net` (its `gradients(X, labels)`) against central finite differences.

    Returns a `GradCheckReport` whose rows are named W1[i,j], b1[i], W2[...], ... (layer 1 is the first).
    Costs two forward passes per parameter: use a small network or a few examples.
    """
    _, grads = net.gradients(X, labels)
    params = {f"{k}{i}": v.copy() for i, pair in enumerate(net.params, 1) for k, v in zip("Wb", pair)}
    analytic = {f"{k}{i}": g for i, pair in enumerate(grads, 1) for k, g in zip("Wb", pair)}
    return check_gradients(network_loss(net, X, labels), params, analytic, eps=eps, rtol=rtol, atol=atol)


def layer_agreement(report):
    """Summarise a `check_network` report per parameter: {name: (share of entries that agree, median ratio
    analytic / numerical, smallest ratio, largest ratio)}, the ratios over the entries where the numerical
    gradient is not tiny.

    A ratio of exactly 1 everywhere is a correct gradient; one constant ratio (say 0.05) is a gradient scaled by
    a missing or extra factor; scattered ratios are a gradient computed from the wrong quantity.
    """
    out = {}
    for name in dict.fromkeys(row.param for row in report.rows):
        rows = [r for r in report.rows if r.param == name]
        ok = sum(r.ok for r in rows) / len(rows)
        biggest = max(abs(r.numerical) for r in rows)
        ratios = [r.analytic / r.numerical for r in rows if abs(r.numerical) > 1e-3 * biggest and r.numerical != 0]
        nan = float("nan")
        out[name] = (ok, *(float(f(ratios)) if ratios else nan for f in (np.median, np.min, np.max)))
    return out
