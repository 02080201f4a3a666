"""Figures of the lessons, drawn with matplotlib.

Each function draws on a given Axes (or a new figure) and returns the Figure, so
a lesson ends the cell with `plt.show()`, and a widget redraws the same figure
from the same function. Colours: the Okabe-Ito palette, safe for colour-blind readers.
"""

import matplotlib.pyplot as plt
import numpy as np

from ..activations import ACTIVATIONS, sigmoid

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


def draw_network(example, ax=None, title="The worked example: a 2-2-2 sigmoid network"):
    """Draw the 2-2-2 network: inputs, hidden and output units, every weight and bias labelled with its value.

    Edges are labelled in the example's own layout. "out_in" (the course's): W1[i, j] joins input j to
    hidden unit i, and the headers read h1 = σ(W1 x + b1). "in_out" (the walk-through's): W1[j, i] joins
    input j to hidden unit i, and the headers read h1 = σ(W1ᵀ x + b1). Likewise for W2.
    """
    fig, ax = _axes(ax, figsize=(10, 5.2))
    in_out = example.layout == "in_out"
    W1 = example.W1.T if in_out else example.W1  # drawn from (out, in) matrices: W[i, j] joins input j to unit i
    W2 = example.W2.T if in_out else example.W2
    cols = {"x": 0.0, "h1": 2.4, "y_hat": 4.8}
    pos = {(layer, i): (cols[layer], 1.0 - 1.2 * i) for layer in cols for i in range(2)}
    radius = 0.28
    for src, dst, W, name in (("x", "h1", W1, "W1"), ("h1", "y_hat", W2, "W2")):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                (x0, y0), (x1, y1) = pos[(src, j)], pos[(dst, i)]
                ax.annotate("", xy=(x1 - radius, y1), xytext=(x0 + radius, y0),
                            arrowprops=dict(arrowstyle="->", color="0.5", lw=1.2))
                # straight edges: label in the middle, above; crossing edges: near the source, apart
                t, dy = (0.5, 0.1) if i == j else (0.2, 0.1 if y1 > y0 else -0.22)
                index = f"{j},{i}" if in_out else f"{i},{j}"  # the entry's index in the example's own matrix
                ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0) + dy, f"{name}[{index}] = {W[i, j]:.2f}",
                        fontsize=8.5, ha="center", color=COLORS["blue"], bbox=dict(fc="white", ec="none", pad=0.3))
    colors = {"x": COLORS["green"], "h1": COLORS["sky"], "y_hat": COLORS["orange"]}
    for (layer, i), (px, py) in pos.items():
        ax.add_patch(plt.Circle((px, py), radius, color=colors[layer], zorder=3))
        ax.text(px, py, f"{layer}[{i}]", ha="center", va="center", fontsize=9, zorder=4)
        if layer == "x":
            ax.text(px - radius - 0.1, py, f"{example.x[i]:.2f}", ha="right", va="center", fontsize=10)
        elif layer == "y_hat":
            ax.text(px + radius + 0.15, py, f"target y[{i}] = {example.y[i]:.2f}", ha="left", va="center",
                    fontsize=10)
        bias = {"h1": example.b1, "y_hat": example.b2}.get(layer)
        if bias is not None:
            by = py + radius + 0.07 if i == 0 else py - radius - 0.17  # outside the fan of edges
            ax.text(px, by, f"b{1 if layer == 'h1' else 2}[{i}] = {bias[i]:.2f}", ha="center",
                    fontsize=8.5, color=COLORS["vermillion"])
    T = "ᵀ" if in_out else ""
    for layer, label in (("x", "input x"), ("h1", f"hidden h1 = σ(W1{T} x + b1)"),
                         ("y_hat", f"output ŷ = σ(W2{T} h1 + b2)")):
        ax.text(cols[layer], 1.65, label, ha="center", fontsize=10, weight="bold")
    ax.set(xlim=(-0.8, 6.6), ylim=(-0.85, 1.95), title=title)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def plot_loss_parabola(y, y_hat, k=0, ax=None):
    """The loss as a function of output k alone (the other output held fixed): a parabola, minimum at y[k]."""
    fig, ax = _axes(ax)
    from ..losses import mse

    grid = np.linspace(0, 1, 201)
    curve = [mse(y, np.where(np.arange(len(y_hat)) == k, g, y_hat)) for g in grid]
    ax.plot(grid, curve, color=COLORS["blue"], label=f"L as y_hat[{k}] varies")
    ax.plot([y_hat[k]], [mse(y, y_hat)], "o", color=COLORS["vermillion"], markersize=9,
            label=f"y_hat[{k}] = {y_hat[k]:.4f}, L = {mse(y, y_hat):.8f}")
    ax.axvline(y[k], color=COLORS["green"], ls="--", label=f"target y[{k}] = {y[k]:.2f}")
    ax.set(xlabel=f"output y_hat[{k}]", ylabel="loss L", title="Squared error: a parabola with its minimum at the target")
    ax.legend(loc="upper center", fontsize=8)
    return fig


def plot_loss_curves(curves, ax=None, title="Loss during training", note=None):
    """Loss against step on a log scale, one line per label in `curves` {label: losses}; `note` is written on the plot."""
    fig, ax = _axes(ax)
    palette = [COLORS[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
    for color, (label, losses) in zip(palette * 3, curves.items()):
        losses = np.asarray(losses, dtype=float)
        ax.plot(np.arange(len(losses)), losses, color=color, label=label)
    ax.set_yscale("log")
    ax.set(xlabel="step", ylabel="loss L (log scale)", title=title)
    if len(curves) > 1:
        ax.legend(fontsize=8)
    if note:
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", wrap=True,
                fontsize=10, color=COLORS["vermillion"], bbox=dict(fc="white", ec=COLORS["vermillion"]))
    return fig


def plot_nudge(entry, steps, actual, gradient, step, ax=None):
    """The change of the loss when one parameter entry moves by s, beside the gradient's prediction gradient * s.

    steps: (m,) nudges s; actual: (m,) the loss's actual change at each; gradient: dL/d(entry); step: the nudge
    marked on both curves. Near s = 0 the two agree; their gap grows like s**2.
    """
    fig, ax = _axes(ax)
    steps, actual = np.asarray(steps, dtype=float), np.asarray(actual, dtype=float)
    ax.plot(steps, actual, color=COLORS["blue"], lw=2, label="actual change of L")
    ax.plot(steps, gradient * steps, "--", color=COLORS["orange"], lw=2, label="gradient x step (a straight line)")
    actual_at = np.interp(step, steps, actual)
    ax.plot([step], [actual_at], "o", color=COLORS["blue"], markersize=8)
    ax.plot([step], [gradient * step], "s", color=COLORS["orange"], markersize=7)
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    ax.set(xlabel=f"nudge s of {entry}", ylabel="change of the loss L",
           title=f"Nudging {entry} by {step:+.1e}\nactual change {actual_at:+.3e}, gradient x step {gradient * step:+.3e}")
    ax.ticklabel_format(style="sci", scilimits=(-3, 3))
    ax.legend(loc="best", fontsize=9)
    return fig


def plot_difference_errors(steps, forward_err, central_err, ax=None):
    """Log-log plot of the error of forward and central differences against the step size eps."""
    fig, ax = _axes(ax)
    ax.loglog(steps, forward_err, "o-", color=COLORS["orange"], label="forward difference")
    ax.loglog(steps, central_err, "s-", color=COLORS["blue"], label="central difference")
    ax.set(xlabel="step size eps", ylabel="|numerical - analytic|",
           title="Truncation error falls with eps until round-off takes over")
    ax.invert_xaxis()
    ax.legend()
    return fig


def draw_chain(labels, derivatives, ax=None, title="The chain rule: multiply the local derivatives along the path"):
    """Boxes for the quantities of a computation, left to right, with each local derivative on the arrow between.

    labels: n box texts; derivatives: n - 1 arrow texts (the derivative of the right box w.r.t. the left one).
    """
    fig, ax = _axes(ax, figsize=(9, 2.2))
    xs = np.linspace(0, 1, len(labels))
    for x, label in zip(xs, labels):
        ax.text(x, 0.5, label, ha="center", va="center", fontsize=11,
                bbox=dict(boxstyle="round,pad=0.4", fc=COLORS["sky"], ec="none", alpha=0.6))
    for x0, x1, d in zip(xs[:-1], xs[1:], derivatives):
        ax.annotate("", xy=(x1 - 0.07, 0.5), xytext=(x0 + 0.07, 0.5), arrowprops=dict(arrowstyle="->", lw=1.5))
        ax.text((x0 + x1) / 2, 0.78, d, ha="center", fontsize=10, color=COLORS["vermillion"])
    ax.set(xlim=(-0.12, 1.12), ylim=(0, 1.1), title=title)
    ax.axis("off")
    return fig


# --- Part II ----------------------------------------------------------------------------------------------------

def plot_activations(names=None, ax=None):
    """Each activation and its derivative (dashed) on [-4, 4]; the derivative is computed through the output h.

    names: registry names (default: every activation of `ACTIVATIONS` but "linear"), one panel each.
    """
    names = [n for n in ACTIVATIONS if n != "linear"] if names is None else list(names)
    fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.2)) if ax is None else (ax.figure, ax)
    if len(np.atleast_1d(axes)) != len(names):
        raise ValueError(f"plot_activations: {len(names)} activations need {len(names)} axes, got "
                         f"{len(np.atleast_1d(axes))}.")
    z = np.linspace(-4, 4, 401)
    palette = list(COLORS.values())
    for i, (axis, name) in enumerate(zip(np.atleast_1d(axes), names)):
        activation, color = ACTIVATIONS[name], palette[i % len(palette)]
        h = activation.fn(z)
        axis.plot(z, h, color=color, label=f"{name}(z)")
        axis.plot(z, activation.grad(h, np.ones_like(z)), "--", color=color, label="derivative")
        axis.axhline(0, color="0.85", lw=0.8, zorder=0)
        axis.set(title=name, xlabel="z")
        axis.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def plot_decision_boundary(net, X, labels, ax=None, title="Decision regions", resolution=150):
    """The network's predicted class over the plane (shaded) with the data points on top."""
    fig, ax = _axes(ax, figsize=(5, 4.5))
    pad = 0.3
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(net.dtype)
    classes = net.predict(grid).reshape(gx.shape)
    palette = [COLORS[c] for c in ("blue", "orange", "green", "purple")]
    from matplotlib.colors import ListedColormap

    k = net.sizes[-1]
    ax.contourf(gx, gy, classes, levels=np.arange(k + 1) - 0.5, cmap=ListedColormap(palette[:k]), alpha=0.25)
    markers = "os^D"
    for c in range(k):
        pts = X[labels == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=14, color=palette[c], marker=markers[c], label=f"class {c}",
                   edgecolor="white", linewidth=0.3)
    ax.set(xlabel="x[0]", ylabel="x[1]", title=title)
    ax.legend(fontsize=8, loc="upper right")
    _legible_when_shrunk(ax)
    return fig


# A figure wider than this (inches, at 100 dpi about a notebook column or web page) is shown shrunk to fit, and its
# text with it (lesson 10 draws three decision regions side by side in a 14-inch figure).
PAGE_WIDTH = 10.5


def _legible_when_shrunk(ax):
    """Enlarge an Axes' tick labels, axis labels, title and legend by figure width / PAGE_WIDTH when the figure is
    wider than a page, so that they keep about their usual size on screen once the figure is shrunk to fit."""
    scale = ax.figure.get_figwidth() / PAGE_WIDTH
    if scale <= 1:
        return
    from matplotlib.font_manager import FontProperties

    ax.tick_params(labelsize=FontProperties(size=plt.rcParams["xtick.labelsize"]).get_size_in_points() * scale)
    for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
        text.set_fontsize(text.get_fontsize() * scale)
    legend = ax.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_fontsize(text.get_fontsize() * scale)


def plot_history(history, ax=None, title="Training"):
    """Loss and accuracy per epoch, for training and (if recorded) validation data."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5)) if ax is None else (ax.figure, ax)
    epochs = np.arange(1, len(history.loss) + 1)
    axes[0].plot(epochs, history.loss, color=COLORS["blue"], label="training")
    axes[1].plot(epochs, history.accuracy, color=COLORS["blue"], label="training")
    if history.val_loss:
        axes[0].plot(epochs, history.val_loss, "--", color=COLORS["orange"], label="validation")
        axes[1].plot(epochs, history.val_accuracy, "--", color=COLORS["orange"], label="validation")
    axes[0].set(xlabel="epoch", ylabel="mean cross-entropy", title=f"{title}: loss")
    axes[1].set(xlabel="epoch", ylabel="accuracy", title=f"{title}: accuracy")
    for a in axes:
        a.legend()
    fig.tight_layout()
    return fig


def plot_confusion(counts, ax=None, title="Confusion matrix: rows are true digits, columns predictions"):
    """A confusion matrix as a heat map with the counts written in the cells."""
    fig, ax = _axes(ax, figsize=(5.5, 5))
    ax.imshow(counts, cmap="Blues")
    k = counts.shape[0]
    for i in range(k):
        for j in range(k):
            if counts[i, j]:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if counts[i, j] > counts.max() / 2 else "black")
    ax.set(xticks=range(k), yticks=range(k), xlabel="predicted", ylabel="true", title=title)
    return fig


def plot_digit_gallery(images, titles, ncols=8, title="Digits", nrows=None):
    """A grid of 8x8 images (rows of 64 pixels) with a title above each.

    As many rows of `ncols` as the images fill (at most `nrows` if given: the images beyond are not shown), so no
    row is left empty; fewer images than `ncols` make one row of just those.
    """
    n = len(images)
    rows = max(1, int(np.ceil(n / ncols)))
    nrows = min(nrows, rows) if nrows else rows
    ncols = max(1, min(ncols, n))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * max(ncols, 3), 1.55 * nrows), squeeze=False)
    for axis in np.atleast_1d(axes).ravel():
        axis.axis("off")
    for axis, image, text in zip(np.atleast_1d(axes).ravel(), images, titles):
        axis.imshow(np.asarray(image).reshape(8, 8), cmap="gray_r")
        axis.set_title(text, fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def draw_graph(root, ax=None, title="Computation graph: each node's value and gradient d(output)/dv", done=None,
               current=None):
    """Draw the computation graph of an autodiff `Value`, inputs on the left, the result on the right.

    Each box shows the node's label or the operation that made it, its value and its grad. To show a backward
    pass under way (the lesson's stepping slider): `done` holds the nodes whose `_backward` has run (their grad
    is final), drawn filled; the others are drawn pale with a dashed border, their grad what has arrived so far;
    `current`, the node that ran last, gets a thick border and its arrows to its parents are highlighted.
    """
    order = root.topological_order()
    done_ids = None if done is None else {id(node) for node in done}
    depth = {}
    for node in order:  # parents come first in topological order
        depth[id(node)] = 1 + max((depth[id(p)] for p in node._parents), default=-1)
    columns = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    height = max(len(c) for c in columns.values())
    fig, ax = _axes(ax, figsize=(2.3 * (len(columns) + 1), 1.0 * height + 1.5))
    pos = {}
    for d, nodes in columns.items():
        for i, node in enumerate(nodes):
            pos[id(node)] = (d, (len(nodes) - 1) / 2 - i)
    for node in order:
        x1, y1 = pos[id(node)]
        for parent in node._parents:
            x0, y0 = pos[id(parent)]
            if node is current:  # its gradient flows back to its parents: arrows against the forward direction
                ax.annotate("", xy=(x0 + 0.38, y0), xytext=(x1 - 0.38, y1),
                            arrowprops=dict(arrowstyle="->", color=COLORS["vermillion"], lw=2.2))
            else:
                ax.annotate("", xy=(x1 - 0.38, y1), xytext=(x0 + 0.38, y0),
                            arrowprops=dict(arrowstyle="->", color="0.55", lw=1))
    for node in order:
        x, y = pos[id(node)]
        name = f"{node.label} ({node.op})" if node.label and node.op else node.label or node.op or "const"
        leaf = not node._parents
        pending = done_ids is not None and id(node) not in done_ids
        box = dict(boxstyle="round,pad=0.3", fc=COLORS["yellow"] if leaf else COLORS["sky"], ec="0.4", alpha=0.8)
        if pending:
            box.update(alpha=0.25, ls="--")
        if node is current:
            box.update(ec=COLORS["vermillion"], lw=2.5)
        ax.text(x, y, f"{name}\nvalue {node.data:.4f}\ngrad {node.grad:.4f}", ha="center", va="center", fontsize=8,
                bbox=box)
    ax.set(xlim=(-0.6, len(columns) - 0.4), ylim=(-height / 2 - 0.3, height / 2 + 0.3), title=title)
    ax.axis("off")
    return fig


def plot_race(surface, paths, ax=None):
    """Contours of a 2-D loss surface with optimiser paths drawn on it; paths: {label: (steps+1, 2) array}."""
    from ..optimizers import SURFACES

    f, _, start, (x0, x1, y0, y1) = SURFACES[surface]
    fig, ax = _axes(ax, figsize=(7, 4.5))
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    ax.contour(gx, gy, np.log1p(f((gx, gy))), levels=25, cmap="Greys", linewidths=0.7)
    palette = [COLORS[c] for c in ("vermillion", "blue", "green", "purple")]
    for color, (label, path) in zip(palette, paths.items()):
        ax.plot(path[:, 0], path[:, 1], "-o", ms=2, lw=1.3, color=color, label=f"{label} ({len(path) - 1} steps)")
    ax.plot(*start, "k*", ms=12, label="start")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="parameter 1", ylabel="parameter 2",
           title=f"Optimisers racing on the {surface} surface (contours of log(1 + loss))")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def plot_grouped_bars(groups, labels, ax=None, title="", ylabel=""):
    """Bars side by side: for each entry label, one bar per group ({group name: values})."""
    fig, ax = _axes(ax, figsize=(6.5, 3.5))
    width = 0.8 / len(groups)
    x = np.arange(len(labels))
    for k, ((name, values), color) in enumerate(zip(groups.items(), (COLORS["vermillion"], COLORS["blue"],
                                                                   COLORS["green"], COLORS["purple"]))):
        bars = ax.bar(x + (k - (len(groups) - 1) / 2) * width, values, width, label=name, color=color)
        ax.bar_label(bars, labels=[f"{v:.5f}" for v in values], fontsize=7)
    ax.set(xticks=x, xticklabels=labels, ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    return fig


def draw_batch_shapes(n=4, n_in=3, n_out=2, ax=None):
    """Z = X W^T + b as blocks drawn to scale: (n, in) times (in, out) plus (out,) broadcast over rows gives (n, out)."""
    fig, ax = _axes(ax, figsize=(8, 3))
    x = 0.0
    items = [("X", n, n_in, COLORS["green"]), ("@", 0, 0, None), ("W.T", n_in, n_out, COLORS["blue"]),
             ("+", 0, 0, None), ("b", 1, n_out, COLORS["vermillion"]), ("=", 0, 0, None),
             ("Z", n, n_out, COLORS["orange"])]
    for name, rows, cols, color in items:
        if color is None:
            ax.text(x + 0.4, n / 2, name, fontsize=18, ha="center", va="center")
            x += 0.8
            continue
        top = (n + rows) / 2
        for i in range(rows):
            for j in range(cols):
                ax.add_patch(plt.Rectangle((x + j, top - i - 1), 1, 1, fc=color, ec="white", alpha=0.7))
        ax.text(x + cols / 2, top + 0.3, f"{name}  ({rows}, {cols})" if name != "b" else f"b  ({cols},)",
                ha="center", fontsize=10)
        x += cols + 0.3
    ax.set(xlim=(-0.3, x), ylim=(-0.5, n + 1.2), title=f"A batch of {n} examples through a layer with {n_in} inputs "
                                                         f"and {n_out} outputs")
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def plot_batch_noise(full, batches, spreads, batch_size, entries=(0, 1), axes=None, names=None):
    """Left: mini-batch gradients (two entries, named by `names`) around the full-batch gradient. Right: their spread
    against the batch size ({B: (measured, predicted)}), with batch_size marked."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    left, right = axes
    i, j = entries
    left.scatter(batches[:, i], batches[:, j], s=10, alpha=0.5, color=COLORS["blue"],
                 label=f"{len(batches)} mini-batches of {batch_size}")
    left.plot([full[i]], [full[j]], "*", markersize=16, color=COLORS["vermillion"], label="full-batch gradient")
    x_name, y_name = names if names else (f"gradient entry {i}", f"gradient entry {j}")
    left.set(xlabel=f"dL/d{x_name}", ylabel=f"dL/d{y_name}", title=f"Mini-batch gradients, batch size {batch_size}")
    left.ticklabel_format(useOffset=False)  # at B = n every batch is the full gradient: no 1e-14 offset axis
    if np.ptp(batches[:, i]) < 1e-9 * max(abs(full[i]), 1e-12):
        left.set_xlim(full[i] - 0.05 * abs(full[i]) - 1e-3, full[i] + 0.05 * abs(full[i]) + 1e-3)
        left.set_ylim(full[j] - 0.05 * abs(full[j]) - 1e-3, full[j] + 0.05 * abs(full[j]) + 1e-3)
    left.legend(fontsize=8)
    sizes = [b for b in sorted(spreads) if spreads[b][1] > 0]  # B = n has spread 0: off a log scale
    right.plot(sizes, [spreads[b][1] for b in sizes], color=COLORS["green"], label="predicted")
    right.plot(sizes, [spreads[b][0] for b in sizes], "o", color=COLORS["blue"], label="measured")
    if spreads[batch_size][1] > 0:
        right.plot([batch_size], [spreads[batch_size][0]], "o", markersize=12, mfc="none", color=COLORS["vermillion"],
                   label=f"batch size {batch_size}")
    else:
        right.text(0.05, 0.08, f"B = {batch_size} = n: every batch is the whole set, spread 0",
                   transform=right.transAxes, color=COLORS["vermillion"])
    right.set(xscale="log", yscale="log", xlabel="batch size B", ylabel="spread: rms of |g_B - g|",
              title="The spread shrinks like 1/sqrt(B), to 0 at B = n")
    right.legend(fontsize=8)
    return axes[0].figure


def plot_gradient_sizes(sizes, ax=None, title="The gradient's size in each layer"):
    """|dW| per layer on a log scale spanning at least three decades, first layer on the left."""
    fig, ax = _axes(ax, figsize=(7, 3.5))
    layers = np.arange(1, len(sizes) + 1)
    ax.plot(layers, sizes, "o-", color=COLORS["blue"], markersize=8)
    low, high = float(np.min(sizes)), float(np.max(sizes))
    # at least three decades, so that sizes within a factor of two look alike and only real decay looks steep
    ax.set(yscale="log", xticks=layers, xlabel="layer (1 = nearest the input)", ylabel="|dW| (Frobenius norm)",
           title=title, ylim=(min(low, high / 1e3) / 2, high * 2))
    return fig


def plot_mistake(image, probabilities, label, prediction, axes=None, title=""):
    """One digit beside the network's probabilities for the ten classes: the true class green, the prediction
    vermillion."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), gridspec_kw={"width_ratios": [1, 2.2]})
    left, right = axes
    left.imshow(np.asarray(image).reshape(8, 8), cmap="gray_r")
    left.set(title=title or f"true {label}, predicted {prediction}", xticks=[], yticks=[])
    colors = [COLORS["green"] if k == label else COLORS["vermillion"] if k == prediction else COLORS["sky"]
              for k in range(len(probabilities))]
    right.bar(np.arange(len(probabilities)), probabilities, color=colors)
    right.set(xticks=np.arange(len(probabilities)), ylim=(0, 1), xlabel="class",
              ylabel="probability", title="The network's probabilities (green: true class, vermillion: predicted)")
    return axes[0].figure


# --- Part III: training well ----------------------------------------------------------------------------------------

def plot_by_layer(curves, ax=None, title="", ylabel="", log=True, reference=None):
    """One line per label of `curves` {label: one value per layer}, against the layer number (1 = the first layer).

    log: a logarithmic y-axis (for gradient norms and ratios spanning decades); reference: an optional
    (value, label) drawn as a dashed horizontal line.
    """
    fig, ax = _axes(ax, figsize=(6, 3.8))
    palette = [COLORS[c] for c in ("vermillion", "blue", "green", "orange", "purple", "sky")]
    markers = "os^Dv<"
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, len(values) + 1), values, marker=markers[i % 6], color=palette[i % 6], label=label)
    if reference is not None:
        ax.axhline(reference[0], color="0.4", ls="--", lw=1, label=reference[1])
    if log:
        ax.set_yscale("log")
    longest = max(len(v) for v in curves.values())
    ax.set(xlabel="layer (1 = the first, next to the input)", ylabel=ylabel, title=title,
           xticks=range(1, longest + 1) if longest <= 20 else None)
    ax.legend(fontsize=8)
    return fig


def plot_slowdown(runs, unit=0, target=None, axes=None):
    """Training runs of the 2-2-2 network (`slowdown.SlowdownRun`s), side by side: output y_hat[unit] against the
    step (left, with the target dashed), and the size of its output delta |dL/dz2| (right, log scale)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6)) if axes is None else (axes[0].figure, axes)
    palette = {"squared error": COLORS["vermillion"], "cross-entropy": COLORS["blue"]}
    for run in runs:
        steps = np.arange(len(run.y_hat))
        color = palette.get(run.loss_name, COLORS["green"])
        axes[0].plot(steps, run.y_hat[:, unit], color=color, label=run.loss_name)
        axes[1].plot(steps, np.maximum(np.abs(run.delta2[:, unit]), 1e-12), color=color, label=run.loss_name)
    if target is not None:
        axes[0].axhline(target, color="0.4", ls="--", lw=1, label=f"target y[{unit}] = {target:g}")
    axes[0].set(xlabel="step", ylabel=f"output y_hat[{unit}]", ylim=(-0.03, 1.03),
                title=f"Output {unit} on its way to the target")
    axes[1].set_yscale("log")
    axes[1].set(xlabel="step", ylabel=f"|dL/dz2[{unit}]| (log scale)", title="The gradient that moves it")
    for a in axes:
        a.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_layer_histograms(layers, title="", xlabel="", bins=40, color="blue", axes=None):
    """One histogram per layer, side by side: `layers` is {panel title: values} (any shape, flattened)."""
    n = len(layers)
    fig, axes = plt.subplots(1, n, figsize=(2.2 * n, 2.4), sharey=False) if axes is None else (axes[0].figure, axes)
    for axis, (label, values) in zip(np.atleast_1d(axes), layers.items()):
        axis.hist(np.ravel(values), bins=bins, color=COLORS[color])
        axis.set_title(label, fontsize=9)
        axis.set_xlabel(xlabel, fontsize=8)
        axis.tick_params(labelsize=7)
        axis.set_yticks([])
    fig.suptitle(title)
    fig.tight_layout()
    return fig
