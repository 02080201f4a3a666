"""Figures of the lessons, drawn with matplotlib.

Each function draws on a given Axes (or a new figure) and returns the Figure, so
a lesson ends the cell with `plt.show()`, and a widget redraws the same figure
from the same function. Colours: the Okabe-Ito palette, safe for colour-blind readers.
"""

import matplotlib.pyplot as plt
import numpy as np

from .activations import sigmoid

# Okabe-Ito: distinguishable with every common form of colour blindness.
COLORS = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
          "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000"}


def _axes(ax, figsize=(6, 4)):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def plot_sigmoid(z, ax=None):
    """The sigmoid curve on [-8, 8] with the point (z, sigmoid(z)) marked."""
    fig, ax = _axes(ax)
    grid = np.linspace(-8, 8, 401)
    ax.plot(grid, sigmoid(grid), color=COLORS["blue"], label=r"$\sigma(z) = 1/(1+e^{-z})$")
    h = float(sigmoid(z))
    ax.plot([z], [h], "o", color=COLORS["vermillion"], markersize=9, label=f"z = {z:.4f}, σ(z) = {h:.8f}")
    ax.axhline(0.5, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    ax.set(xlabel="pre-activation z", ylabel=r"activation $h = \sigma(z)$", ylim=(-0.05, 1.05),
           title="The sigmoid squashes any z into (0, 1)")
    ax.legend(loc="upper left")
    return fig


def plot_layer_values(values, ax=None, title="Activations"):
    """A bar chart of named values in (0, 1), e.g. {"h1[0]": 0.59, ..., "y_hat[1]": 0.77}."""
    fig, ax = _axes(ax, figsize=(6, 3))
    names = list(values)
    palette = [COLORS["sky"] if n.startswith("h") else COLORS["orange"] for n in names]
    bars = ax.bar(names, [values[n] for n in names], color=palette)
    ax.bar_label(bars, labels=[f"{values[n]:.4f}" for n in names])
    ax.set(ylim=(0, 1.1), ylabel="activation", title=title)
    return fig
