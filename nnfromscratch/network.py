r"""A network of any depth, built from the one dense layer of `layers.py` (`dense_forward` returns a cache,
`dense_backward` uses it), or from the learner's own layer functions with the same signatures.

Batch convention (Part I's, for n examples at once): X has shape (n, in), W (out, in),
$Z = X W^\top + b$, $H = f(Z)$. The loss of a batch is a mean, and its 1/n enters once, in the loss's
gradient: for classification the last layer is linear (its outputs are the logits) and the loss is the
mean softmax cross-entropy, whose gradient w.r.t. the logits is $(P - Y)/n$.

The pieces, each one idea, in the order the lessons build them: `network_forward` (every layer's
forward, keeping the caches), `network_backward` (every layer's backward, last layer first),
`train_epoch` (one shuffled pass of mini-batch gradient descent), and `Network`, which holds the
parameters and runs them with softmax cross-entropy (`fit` is `train_epoch`'s loop with an optimiser
and a record of the training).
"""

import time
from dataclasses import dataclass, field

import numpy as np

from .activations import get_activation
from .initializers import INITS
from .layers import dense_backward, dense_forward
from .losses import softmax, softmax_cross_entropy, xent_and_grad
from .validate import as_float_array, as_labels

def init_params(sizes, rng, scheme="he", dtype=np.float64):
    r"""Weights and biases for layer sizes [in, hidden..., out]: a list of [W (out, in), b (out,)].

    scheme: a name of `initializers.INITS`: "he" ($\mathcal N(0, 2/n_\text{in})$, for ReLU), "lecun"
    ($\mathcal N(0, 1/n_\text{in})$, for tanh and sigmoid), "xavier" (Glorot's $\mathcal N(0, 2/(n_\text{in} +
    n_\text{out}))$) or "zeros" (never breaks the symmetry between units). Biases start at 0.
    """
    if scheme not in INITS:
        raise ValueError(f"init must be one of {tuple(INITS)}, not {scheme!r}.")
    return [[INITS[scheme](n_in, n_out, rng, dtype), np.zeros(n_out, dtype=dtype)]
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


class TrainingDiverged(ValueError):
    """The loss became inf or nan: the learning rate is too large."""


def network_forward(params, X, activations, layer_forward=dense_forward):
    r"""Every layer's forward pass, first to last: $H_0 = X$, $H_l = f_l(H_{l-1} W_l^\top + b_l)$.

    params: a list of [W (out, in), b (out,)] per layer; X: (n, in); activations: one name per layer,
    e.g. ["relu", "relu", "linear"]; layer_forward: `layers.dense_forward` or a learner's own with its
    signature. Returns (H, caches): the last layer's output (n, out) and the list of every layer's cache.
    """
    if len(activations) != len(params):
        raise ValueError(f"network_forward: {len(params)} layers but {len(activations)} activations; give one "
                         "activation per layer (the last is usually 'linear').")
    H, caches = X, []
    for (W, b), activation in zip(params, activations):
        H, cache = layer_forward(W, b, H, activation)
        caches.append(cache)
    return H, caches


def network_backward(dout, caches, layer_backward=dense_backward):
    r"""Every layer's backward pass, last to first: each layer's $\partial L/\partial X$ is the upstream gradient
    $\partial L/\partial H$ of the layer below it.

    dout: $\partial L/\partial H$ of the last layer, (n, out), carrying the loss's 1/n (for softmax
    cross-entropy, $(P - Y)/n$); caches: from `network_forward`, first layer first; layer_backward:
    `layers.dense_backward` or a learner's own `(dH, cache) -> (dX, dW, db)`.
    Returns grads: a list of [dW, db] per layer, first layer first, shaped like params.
    """
    grads, dH = [None] * len(caches), dout
    for i in reversed(range(len(caches))):
        if layer_backward is dense_backward:  # the package's layer can skip the first layer's unused dX
            dH, dW, db = dense_backward(dH, caches[i], need_dX=i > 0)
        else:
            dH, dW, db = layer_backward(dH, caches[i])
        grads[i] = [dW, db]
    return grads


def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    r"""One epoch of mini-batch gradient descent: shuffle the rows once, then one step per mini-batch.

    params: a list of [W, b] per layer. gradients: a function (params, X_batch, labels_batch) -> (loss,
    grads), grads shaped like params, for the batch's mean loss. X: (n, in); labels: n labels or targets,
    one per row of X. learning_rate: alpha. batch_size: B, the rows per step; the last batch keeps the
    n - B*floor(n/B) rows left over (smaller, never dropped). rng: a numpy Generator or a seed (anything
    `np.random.default_rng` takes): the epoch's order is `np.random.default_rng(rng).permutation(n)`,
    the same for X and labels, so each example keeps its label.
    Each step is $W \leftarrow W - \alpha\, \partial L_B/\partial W$ (likewise b), taken at the parameters
    the previous step left. Returns the new params (a new list); the given arrays are not changed.
    `Network.fit(seed=s)` runs the same epochs from the Generator `np.random.default_rng(s)`.
    """
    if not callable(gradients):
        raise ValueError(f"train_epoch: gradients must be a function (params, X, labels) -> (loss, grads), not "
                         f"{type(gradients).__name__}.")
    X, labels = as_float_array(X, "X", "train_epoch"), np.asarray(labels)
    if len(X) != len(labels):
        raise ValueError(f"train_epoch: X has {len(X)} rows but there are {len(labels)} labels; they must pair "
                         "up, one label per example.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"train_epoch: batch_size must be a whole number >= 1, not {batch_size!r}.")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"train_epoch: learning_rate must be a finite number > 0, not {learning_rate}.")
    learning_rate = float(learning_rate)  # a Python float keeps float32 parameters float32
    order = np.random.default_rng(rng).permutation(len(X))  # one order for X and labels: pairs stay together
    for first in range(0, len(X), batch_size):  # the last batch may be smaller: it is kept
        rows = order[first:first + batch_size]
        _, grads = gradients(params, X[rows], labels[rows])
        if len(grads) != len(params):
            raise ValueError(f"train_epoch: gradients returned {len(grads)} [dW, db] pairs for {len(params)} "
                             "layers; it must return one per layer, first layer first.")
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params


@dataclass
class History:
    """Per-epoch training record: loss and accuracy on the training data (averaged over the epoch's batches,
    as they were seen), and on the validation data after the epoch, if given."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: float = 0.0


class Network:
    """A classifier of dense layers: hidden layers with one activation, a linear output layer, softmax cross-entropy.

    sizes: [in, hidden..., classes], e.g. [64, 64, 10]; activation: a name of
    `activations.ACTIVATIONS` ("relu", "tanh", "sigmoid", "linear"); init: a name of
    `initializers.INITS` ("he", "lecun", "xavier", "zeros"); seed: for the initial weights; dtype: float64 (default) or float32, kept
    throughout (float32 data is never upcast). layer_forward, layer_backward: the layer's
    functions, by default `layers.dense_forward` and `layers.dense_backward`; a learner's own
    `dense_forward(W, b, X, activation) -> (H, cache)` and `dense_backward(dH, cache) -> (dX, dW, db)`
    plug in here. `params` is a list of [W, b] per layer; `fit` updates it in place.
    """

    def __init__(self, sizes, activation="relu", init="he", seed=0, dtype=np.float64,
                 layer_forward=dense_forward, layer_backward=dense_backward):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least an input and an output size, all >= 1; got {sizes}.")
        if isinstance(activation, str) or activation is None:
            activation = get_activation(activation).name  # a clear error for an unknown name
        self.sizes, self.activation, self.dtype = sizes, activation, np.dtype(dtype)
        self.layer_forward, self.layer_backward = layer_forward, layer_backward
        self.params = init_params(sizes, np.random.default_rng(seed), init, self.dtype)

    def __repr__(self):
        return f"Network({self.sizes}, activation={self.activation!r}, dtype={self.dtype.name})"

    def _activations(self):
        return [self.activation] * (len(self.params) - 1) + ["linear"]

    def _check_X(self, X, func):
        X = as_float_array(X, "X", func)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            shown = X.shape[1] if X.ndim == 2 else X.shape
            raise ValueError(f"Network.{func}: X must have shape (n, {self.sizes[0]}), one example per row with "
                             f"{self.sizes[0]} features, but has shape {X.shape}"
                             + (f" ({shown} features per row)." if X.ndim == 2 else ".")
                             + (" Did you mean X.T?" if X.ndim == 2 and X.shape[0] == self.sizes[0] else ""))
        if X.dtype != self.dtype:
            raise ValueError(f"Network.{func}: X is {X.dtype} but the network's parameters are {self.dtype}; "
                             f"convert X with X.astype(np.{self.dtype.name}) or build the network with "
                             f"dtype=np.{X.dtype.name} (nothing is converted silently).")
        return X

    def forward(self, X):
        """Logits (n, classes) for a batch X (n, in), and the caches of every layer."""
        X = self._check_X(X, "forward")
        return self._forward(X)

    def _forward(self, X):
        return network_forward(self.params, X, self._activations(), self.layer_forward)

    def _backward(self, dlogits, caches):
        return network_backward(dlogits, caches, self.layer_backward)

    def predict_proba(self, X):
        """Class probabilities (n, classes): the softmax of the logits."""
        return softmax(self.forward(X)[0])

    def predict(self, X):
        """The most probable class of each row of X, shape (n,)."""
        return np.argmax(self.forward(X)[0], axis=1)

    def loss(self, X, labels):
        """Mean softmax cross-entropy of the network on (X, labels)."""
        return softmax_cross_entropy(labels, self.forward(X)[0])

    def accuracy(self, X, labels):
        """The fraction of rows of X classified as their label."""
        labels = as_labels(labels, len(X), self.sizes[-1], "Network.accuracy")
        return float(np.mean(self.predict(X) == labels))

    def gradients(self, X, labels):
        """(loss, grads): the mean loss and, per layer, [dW, db] shaped like params."""
        logits, caches = self.forward(X)
        labels = as_labels(labels, len(logits), self.sizes[-1], "Network.gradients")
        loss, dlogits = xent_and_grad(labels, logits)
        return loss, self._backward(dlogits, caches)

    def fit(self, X, labels, epochs=10, learning_rate=0.1, batch_size=32, seed=0, validation=None,
            progress=None, optimizer=None, schedule=None):
        """Mini-batch training; returns a History with one entry per epoch.

        Each epoch shuffles the rows (from `seed`), steps through batches of `batch_size`,
        and updates every W, b in place with `optimizer` (default: `SGD(learning_rate)`,
        plain gradient descent; or Momentum, RMSProp, Adam from `nnfromscratch.optimizers`).
        schedule: an optional function epoch -> factor, e.g. `optimizers.step_decay`; the
        optimizer's rate in epoch e is learning_rate * schedule(e). validation: an optional
        (X_val, labels_val). progress: a function called after each epoch with (epoch,
        history), e.g. `print_progress`. Raises TrainingDiverged, with the epoch, step and
        learning rate, as soon as the loss stops being finite. With an optimizer, its own
        learning_rate is the base rate (the learning_rate argument is ignored).
        """
        X = np.ascontiguousarray(self._check_X(X, "fit"))  # every batch is a row gather: contiguous rows are fast
        labels = as_labels(labels, len(X), self.sizes[-1], "Network.fit")
        if validation is not None:
            X_val = self._check_X(validation[0], "fit")
            y_val = as_labels(validation[1], len(X_val), self.sizes[-1], "Network.fit (validation)")
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"learning_rate must be a finite number > 0, not {learning_rate}.")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number >= 1, not {batch_size!r}.")
        if len(X) == 0:
            raise ValueError("Network.fit: X has no rows to train on.")
        from .optimizers import SGD

        if optimizer is None:
            optimizer = SGD(learning_rate)
        else:
            learning_rate = optimizer.learning_rate  # the schedule scales the optimiser's own rate
        rng, n, history, start = np.random.default_rng(seed), len(X), History(), time.perf_counter()
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below, with its cause
            self._epochs(X, labels, epochs, optimizer, learning_rate, schedule, batch_size, rng, n, history, start,
                         (X_val, y_val) if validation is not None else None, progress)
        return history

    def _epochs(self, X, labels, epochs, optimizer, learning_rate, schedule, batch_size, rng, n, history, start,
                validation, progress):
        for epoch in range(1, epochs + 1):
            if schedule is not None:
                optimizer.learning_rate = learning_rate * schedule(epoch)
            order = rng.permutation(n)
            total, correct = 0.0, 0
            for step, first in enumerate(range(0, n, batch_size)):
                idx = order[first:first + batch_size]
                logits, caches = self._forward(X[idx])
                batch_loss, dlogits = xent_and_grad(labels[idx], logits)
                if not np.isfinite(batch_loss):
                    raise TrainingDiverged(
                        f"The loss became {batch_loss} at epoch {epoch}, step {step + 1}: learning_rate="
                        f"{optimizer.learning_rate:g} is too large for this network. "
                        f"Try {optimizer.learning_rate / 10:g}.")
                total += batch_loss * len(idx)
                correct += int(np.count_nonzero(logits.argmax(axis=1) == labels[idx]))
                optimizer.step(self.params, self._backward(dlogits, caches))
            # The last update has not been seen by a loss yet: look at the last batch once more.
            after, _ = xent_and_grad(labels[idx], self._forward(X[idx])[0])
            if not np.isfinite(after):
                raise TrainingDiverged(
                    f"The loss became {after} after the last update of epoch {epoch}: learning_rate="
                    f"{optimizer.learning_rate:g} is too large for this network. Try {optimizer.learning_rate / 10:g}.")
            history.loss.append(total / n)
            history.accuracy.append(correct / n)  # measured on each batch as it was trained, like the loss
            if validation is not None:
                history.val_loss.append(self.loss(*validation))
                history.val_accuracy.append(self.accuracy(*validation))
            history.seconds = time.perf_counter() - start
            if progress is not None:
                progress(epoch, history)


def print_progress(epoch, history):
    """A progress line per epoch: the loss and accuracy so far (pass as `fit(progress=print_progress)`)."""
    line = f"epoch {epoch:3d}  loss {history.loss[-1]:.4f}  accuracy {history.accuracy[-1]:.3f}"
    if history.val_loss:
        line += f"  val loss {history.val_loss[-1]:.4f}  val accuracy {history.val_accuracy[-1]:.3f}"
    print(line + f"  ({history.seconds:.1f} s)", flush=True)


def confusion_matrix(labels, predictions, k):
    """Counts C[i, j] of examples whose true class is i and predicted class is j, shape (k, k).

    The diagonal holds the correct predictions; row i shows where class i went.
    """
    labels = as_labels(labels, len(labels), k, "confusion_matrix")
    predictions = as_labels(predictions, len(labels), k, "confusion_matrix")
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (labels, predictions), 1)
    return counts
