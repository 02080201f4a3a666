r"""Regularisation: what keeps a network from memorising its training set. Each formula beside its gradient.

- **L2 weight decay** adds $\frac{\lambda}{2} \sum_l \lVert W_l \rVert^2$ to the loss (the weights only, not the
  biases), whose gradient adds $\lambda W_l$ to each $\partial L / \partial W_l$: with plain gradient descent every
  step also shrinks the weights by the factor $(1 - \alpha\lambda)$, hence the name "weight decay".
- **Inverted dropout** multiplies each hidden unit's output, during training only, by $\xi / q$ with
  $\xi \sim \text{Bernoulli}(q)$ ($q$ = `keep`, the probability of keeping a unit): the expected output is unchanged,
  so nothing needs rescaling at test time. Its backward pass multiplies by the same mask.
- **Early stopping** watches the validation loss after every epoch and keeps the weights of the best epoch.

All three plug into the package's `Network` without changing it: `L2` wraps an optimiser, `Dropout` is a pair of
layer functions (`Network(layer_forward=..., layer_backward=...)`), and `fit_with_validation` calls
`Network.fit` one epoch at a time.
"""

import numpy as np

from .activations import get_activation
from .layers import dense_backward, dense_forward
from .losses import softmax_cross_entropy
from .network import History
from .validate import as_float_array, require_same_shape


# --- L2 weight decay ----------------------------------------------------------------------------------------

def l2_penalty(params, lam):
    r"""The L2 penalty $\frac{\lambda}{2} \sum_l \lVert W_l \rVert^2$ (sum of squared weights; biases not included).

    params: a network's list of [W, b] per layer; lam: $\lambda \ge 0$. Returns a Python float, to add to the
    data loss.
    """
    return 0.5 * float(lam) * sum(float(np.sum(np.square(W, dtype=np.float64))) for W, _ in params)


def l2_grad(W, b, dW, db, lam):
    r"""One layer's gradients with the L2 penalty added: $(\partial L/\partial W + \lambda W,\ \partial L/\partial b)$.

    The penalty $\frac{\lambda}{2}\lVert W \rVert^2$ has gradient $\lambda W$ (the 2 of the square cancels the
    $\frac12$), and does not involve b, so db is returned unchanged. W, dW: (out, in); b, db: (out,).
    Returns new arrays (dW_total, db); nothing is changed in place.
    """
    W, dW = as_float_array(W, "W", "l2_grad"), as_float_array(dW, "dW", "l2_grad")
    b, db = as_float_array(b, "b", "l2_grad"), as_float_array(db, "db", "l2_grad")
    require_same_shape(W, "W", dW, "dW", "l2_grad", hint="a gradient has the shape of its parameter.")
    require_same_shape(b, "b", db, "db", "l2_grad", hint="a gradient has the shape of its parameter.")
    return dW + float(lam) * W, db.copy()


class L2:
    r"""An optimiser with L2 weight decay: each step adds $\lambda W$ to every weight gradient (`l2_grad`) and then
    takes the wrapped optimiser's own step. With plain SGD that is $W \leftarrow (1 - \alpha\lambda) W - \alpha
    \partial L/\partial W$.

        net.fit(X, labels, optimizer=L2(SGD(0.1), lam=1e-2))

    The loss `fit` reports is the data loss, without the penalty (add `l2_penalty(net.params, lam)` for the total).
    `learning_rate` reads and sets the wrapped optimiser's rate, so `fit`'s schedules work.
    """

    def __init__(self, optimizer, lam):
        if not (np.isfinite(lam) and lam >= 0):
            raise ValueError(f"L2: lam must be a finite number >= 0, not {lam}.")
        self.optimizer, self.lam = optimizer, float(lam)

    @property
    def learning_rate(self):
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.optimizer.learning_rate = value

    def step(self, params, grads):
        """Add lam * W to each weight gradient, then let the wrapped optimiser update `params` in place."""
        self.optimizer.step(params, [list(l2_grad(W, b, dW, db, self.lam)) for (W, b), (dW, db) in zip(params, grads)])


# --- inverted dropout ---------------------------------------------------------------------------------------

def dropout_forward(H, keep, rng, training=True):
    r"""Inverted dropout: in training $\tilde H = H \odot M$ with $M = \xi / q$, $\xi_{ij} \sim \text{Bernoulli}(q)$,
    drawn as `rng.random(H.shape) < keep`; at test time $\tilde H = H$ and $M = 1$.

    H: a layer's outputs, any shape (n, units); keep: $q$, the probability of keeping a unit, in (0, 1];
    rng: a numpy Generator; training: False at test time. Dividing by $q$ keeps every unit's expected output
    equal to its output without dropout, $E[\tilde H] = H$, so the test-time network needs no rescaling.
    Returns (H_out, M), M the same shape as H (what `dropout_backward` multiplies by).
    """
    H = as_float_array(H, "H", "dropout_forward")
    keep = float(keep)
    if not 0 < keep <= 1:
        raise ValueError(f"dropout_forward: keep is the probability of keeping a unit, in (0, 1], not {keep}.")
    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape) < keep).astype(H.dtype) / H.dtype.type(keep)
    return H * mask, mask


def dropout_backward(dH_out, mask):
    r"""Backpropagate through dropout: $\partial L/\partial H = M \odot \partial L/\partial \tilde H$ (the same mask,
    including its $1/q$). dH_out, mask: the same shape. Returns that shape."""
    dH_out = as_float_array(dH_out, "dH_out", "dropout_backward")
    mask = as_float_array(mask, "mask", "dropout_backward")
    require_same_shape(dH_out, "dH_out", mask, "mask", "dropout_backward")
    return dH_out * mask


class Dropout:
    r"""Dense layers followed by inverted dropout on their outputs, as a pair of layer functions for `Network`:

        drop = Dropout(keep=0.5, seed=0)
        net = Network(sizes, layer_forward=drop.forward, layer_backward=drop.backward)

    Every hidden layer's output is dropped; the output layer (the linear one, whose outputs are the logits) never
    is. `training` switches dropout on (True) and off (False): `fit_with_validation` turns it off to measure, and
    leaving it on at test time is a mistake (every prediction would be made by a random part of the network).
    """

    def __init__(self, keep=0.5, seed=0, training=True):
        self.keep, self.training, self.rng = float(keep), training, np.random.default_rng(seed)

    def forward(self, W, b, X, activation="relu"):
        """dense_forward, then dropout on the output unless the layer is linear. Returns (H, cache)."""
        H, cache = dense_forward(W, b, X, activation)
        if get_activation(activation).name == "linear":
            return H, (cache, None)
        H, mask = dropout_forward(H, self.keep, self.rng, self.training)
        return H, (cache, mask)

    def backward(self, dH, cache):
        """dropout_backward with the stored mask, then dense_backward. Returns (dX, dW, db)."""
        dense_cache, mask = cache
        if mask is not None:
            dH = dropout_backward(dH, mask)
        return dense_backward(dH, dense_cache)


# --- early stopping -----------------------------------------------------------------------------------------

def fit_with_validation(net, X, labels, validation, epochs=100, patience=None, dropout=None, seed=0, **fit_options):
    """Train `net` one epoch at a time, measuring it on the training and the validation data after every epoch;
    with `patience`, stop early and keep the best weights.

    validation: (X_val, labels_val). patience: stop when the validation loss has not improved for this many
    epochs, and put back the weights of the epoch with the lowest validation loss (None: train all `epochs`, keep
    the last weights). dropout: the network's `Dropout`, switched on for training and off for measuring.
    fit_options: passed on to `Network.fit` (learning_rate, batch_size, optimizer, ...); epoch e shuffles with
    seed + e. Returns (history, best_epoch): history holds, per epoch, the loss and accuracy on the whole
    training set and on the validation set, all measured with dropout off; best_epoch counts from 1.
    """
    if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
        raise ValueError("fit_with_validation: validation must be a pair (X_val, labels_val), the data the network "
                         "is measured on after every epoch and never trained on.")
    if patience is not None and (isinstance(patience, bool) or not isinstance(patience, (int, np.integer))
                                 or patience < 1):
        raise ValueError(f"fit_with_validation: patience must be a whole number of epochs >= 1 (or None), "
                         f"not {patience!r}.")
    X_val, labels_val = validation
    history, best_epoch, best_loss, best_params = History(), 0, np.inf, None
    for epoch in range(1, epochs + 1):
        if dropout is not None:
            dropout.training = True
        net.fit(X, labels, epochs=1, seed=seed + epoch, **fit_options)
        if dropout is not None:
            dropout.training = False
        logits = net.forward(np.concatenate([X, X_val]))[0]  # one forward pass for both sets and both numbers
        for losses, accuracies, part, labels_m in ((history.loss, history.accuracy, logits[:len(X)], labels),
                                                   (history.val_loss, history.val_accuracy, logits[len(X):],
                                                    labels_val)):
            losses.append(softmax_cross_entropy(labels_m, part))
            accuracies.append(float(np.mean(part.argmax(axis=1) == np.asarray(labels_m))))
        if history.val_loss[-1] < best_loss:
            best_epoch, best_loss = epoch, history.val_loss[-1]
            best_params = [[W.copy(), b.copy()] for W, b in net.params]
        elif patience is not None and epoch - best_epoch >= patience:
            break
    if patience is not None and best_params is not None:
        for pair, (W, b) in zip(net.params, best_params):
            pair[0][...], pair[1][...] = W, b
    return history, best_epoch
