"""Input makers shared by the exercises: random arrays, the worked example's values, small random networks,
and functions to differentiate (as `Formula`s, so they can be sent to the grader's process)."""

import numpy as np

from .. import example
from .runner import Formula


def rand(rng, *shape, low=-1.0, high=1.0):
    """Uniform random numbers of the given shape."""
    return rng.uniform(low, high, size=shape)


def worked():
    """Every value of the worked example's training step (a `Trace`)."""
    return example.trace()


def random_network(rng, n_in, n_hidden, n_out, alpha):
    """A two-layer sigmoid network of other sizes, packed like the worked example."""
    return example.WorkedExample(x=rand(rng, n_in), y=rand(rng, n_out, low=0.05, high=0.95),
                                 W1=rand(rng, n_hidden, n_in), b1=rand(rng, n_hidden),
                                 W2=rand(rng, n_out, n_hidden), b2=rand(rng, n_out), alpha=alpha)


def cubic(A):
    """f(v) = sum(A * v**3): a cubic, so forward differences are visibly wrong."""
    return Formula("lambda v: float(np.sum(A * v ** 3))", A=A)


def worked_loss_of_W1():
    """The worked example's loss as a function of W1, written out in numpy."""
    ex = example.worked_example()
    return Formula("lambda W1: float(0.5 * np.sum((1 / (1 + np.exp(-(W2 @ (1 / (1 + np.exp(-(W1 @ x + b1)))) + b2)))"
                   " - y) ** 2))", W2=ex.W2, b1=ex.b1, b2=ex.b2, x=ex.x, y=ex.y)
