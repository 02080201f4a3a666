r"""The learning slowdown: a saturated sigmoid output unit learns slowly under squared error, not under cross-entropy.

For a sigmoid output $\hat y = \sigma(z)$ the two losses differ only in the output delta $\delta_2 = \partial L/\partial z_2$:

- squared error, $L = \tfrac12 \sum_k (\hat y_k - y_k)^2$: $\delta_2 = (\hat y - y)\, \hat y (1 - \hat y)$, which carries
  $\sigma'(z_2) = \hat y (1 - \hat y)$, nearly 0 when the output is near 0 or 1, however wrong it is;
- cross-entropy, $L = -\sum_k \big(y_k \ln \hat y_k + (1 - y_k) \ln (1 - \hat y_k)\big)$: $\delta_2 = \hat y - y$, the same
  error without $\sigma'$.

Everything after $\delta_2$ (the hidden layer's delta, the gradients, the update) is the worked example's.
"""

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid_grad
from .example import worked_example
from .layers import forward_prop, hidden_unit_grad, weight_grad
from .losses import binary_cross_entropy, binary_cross_entropy_grad, mse, output_grad
from .optimizers import para_update


def squared_error_delta(y, y_hat):
    r"""Squared error's output delta for sigmoid outputs: $\delta_2 = (\hat y - y) \odot \hat y (1 - \hat y)$."""
    return sigmoid_grad(y_hat, output_grad(y, y_hat))


# The two losses of a sigmoid output layer: name -> (loss(y, y_hat), output delta dL/dz2 (y, y_hat)).
OUTPUT_LOSSES = {
    "squared error": (mse, squared_error_delta),
    "cross-entropy": (binary_cross_entropy, binary_cross_entropy_grad),
}


def saturated_example(w=8.0):
    """The worked example with its first output weight W2[0, 0] set to w (0.40 in the original).

    With w = 8 the first output starts at 0.9965 while its target is 0.01: confidently wrong, and saturated.
    """
    ex = worked_example()
    ex.W2[0, 0] = w
    return ex


@dataclass
class SlowdownRun:
    """A training run of the 2-2-2 network: per step (steps + 1 rows, the first before any update)
    the outputs y_hat (2,), the output delta dL/dz2 (2,) and the loss."""

    loss_name: str
    y_hat: np.ndarray
    delta2: np.ndarray
    loss: np.ndarray

    def steps_until(self, unit=0, below=0.5):
        """The first step at which output `unit` is below `below`, or None if it never gets there."""
        hits = np.flatnonzero(self.y_hat[:, unit] < below)
        return int(hits[0]) if hits.size else None


def train_with_loss(example, loss="squared error", alpha=0.5, steps=300):
    r"""Gradient descent on all four parameters of a 2-2-2 sigmoid network, with either output loss.

    example: a WorkedExample (e.g. `saturated_example(w)`); loss: "squared error" or "cross-entropy"
    (`OUTPUT_LOSSES`). Each step is the worked example's: forward, $\delta_2$ of the chosen loss,
    $\partial L/\partial W_2 = \delta_2 h_1^\top$, $\delta_1 = h_1(1-h_1) \odot W_2^\top \delta_2$, ..., and
    $\theta \leftarrow \theta - \alpha\, \partial L/\partial \theta$. Returns a SlowdownRun.
    """
    if loss not in OUTPUT_LOSSES:
        raise ValueError(f"train_with_loss: loss must be one of {tuple(OUTPUT_LOSSES)}, not {loss!r}.")
    loss_fn, delta_fn = OUTPUT_LOSSES[loss]
    x, y, W1, b1, W2, b2 = example.x, example.y, example.W1, example.b1, example.W2, example.b2
    outputs, deltas, losses = [], [], []
    for step in range(steps + 1):
        h1 = forward_prop(W1, b1, x)
        y_hat = forward_prop(W2, b2, h1)
        delta2 = delta_fn(y, y_hat)
        outputs.append(y_hat)
        deltas.append(delta2)
        losses.append(loss_fn(y, y_hat))
        if step == steps:
            break
        delta1 = sigmoid_grad(h1, hidden_unit_grad(W2, delta2))
        W2, b2 = para_update(W2, weight_grad(h1, delta2), alpha), para_update(b2, delta2, alpha)
        W1, b1 = para_update(W1, weight_grad(x, delta1), alpha), para_update(b1, delta1, alpha)
    return SlowdownRun(loss, np.array(outputs), np.array(deltas), np.array(losses))
