"""The lessons' sliders. Each is a plain `show_*` function (compute, print, draw), which
tests and the cell after each slider call directly, and a `*_widget()` that only
wires ipywidgets controls to it.
"""

import matplotlib.pyplot as plt
import numpy as np

from . import plots
from ..activations import sigmoid
from ..layers import forward_prop
from ..example import PARAMETERS, loss_of, trace, train, worked_example


# What a page that cannot run the lesson (GitHub, nbviewer, a notebook opened without its kernel) shows for a slider.
STATIC_TEXT = ("[Interactive: {controls}. Live when the lesson runs in JupyterLab or Binder; "
               "the cell below draws it at fixed values.]")
_INTERACTIVE_CLASS = []


def _interactive_class():
    """ipywidgets.interactive whose text fallback (text/plain) says where the slider is live, made once."""
    if not _INTERACTIVE_CLASS:
        import ipywidgets

        class Interactive(ipywidgets.interactive):
            def _repr_mimebundle_(self, **kwargs):
                bundle = super()._repr_mimebundle_(**kwargs)
                if isinstance(bundle, dict) and "text/plain" in bundle:
                    controls = ", ".join(c.description for c in self.children if getattr(c, "description", ""))
                    bundle["text/plain"] = STATIC_TEXT.format(controls=controls or "controls")
                return bundle

        _INTERACTIVE_CLASS.append(Interactive)
    return _INTERACTIVE_CLASS[0]


def _interactive(show, **controls):
    """`ipywidgets.interactive(show, **controls)` (imported only when a slider is made), with every control's label
    as wide as the longest one, so no label is cut off and the tracks line up."""
    longest = max((len(c.description) for c in controls.values() if hasattr(c, "description")), default=0)
    for control in controls.values():
        if hasattr(control, "style") and hasattr(control.style, "description_width"):
            control.style.description_width = f"{0.6 * longest + 1:.1f}em"
    return _interactive_class()(show, **controls)


def _slider(value, low, high, step, description, fmt=".4f"):
    import ipywidgets

    return ipywidgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                                  readout_format=fmt, continuous_update=True)


def _log_slider(value, low_exp, high_exp, description):
    import ipywidgets

    return ipywidgets.FloatLogSlider(value=value, base=10, min=low_exp, max=high_exp, step=0.25,
                                     description=description, readout_format=".3g", continuous_update=False)


# --- the sigmoid ---------------------------------------------------------------------------------------------

def show_sigmoid(z=0.3825):
    """Print sigma(z) and draw the curve with the point (z, sigma(z))."""
    print(f"z = {z:.4f}   sigmoid(z) = {float(sigmoid(z)):.8f}")
    plots.plot_sigmoid(z)
    plt.show()


def sigmoid_widget(z=0.3825):
    """A slider on z from -8 to 8 redrawing `show_sigmoid`."""
    return _interactive(show_sigmoid, z=_slider(z, -8.0, 8.0, 0.0025, "z"))


# --- the forward pass ----------------------------------------------------------------------------------------

def forward_values(x1, x2, example=None):
    """The worked example's network on the input [x1, x2]: returns (h1, y_hat), each (2,)."""
    ex = worked_example() if example is None else example
    x = np.array([x1, x2], dtype=float)
    h1 = forward_prop(ex.W1, ex.b1, x)
    return h1, forward_prop(ex.W2, ex.b2, h1)


def show_forward(x1=0.05, x2=0.10):
    """Print h1 and y_hat for the input [x1, x2] and draw them as bars."""
    h1, y_hat = forward_values(x1, x2)
    print(f"x = [{x1:.4f}, {x2:.4f}]   h1 = {np.array2string(h1, precision=8)}   "
          f"y_hat = {np.array2string(y_hat, precision=8)}")
    values = {"h1[0]": h1[0], "h1[1]": h1[1], "y_hat[0]": y_hat[0], "y_hat[1]": y_hat[1]}
    plots.plot_layer_values(values, title=f"Forward pass for x = [{x1:.2f}, {x2:.2f}]")
    plt.show()


def forward_widget(x1=0.05, x2=0.10):
    """Sliders on the two inputs redrawing `show_forward`."""
    return _interactive(show_forward, x1=_slider(x1, -2.0, 2.0, 0.01, "x[0]"),
                        x2=_slider(x2, -2.0, 2.0, 0.01, "x[1]"))


# --- the loss --------------------------------------------------------------------------------------------------

def show_loss(y_hat0=0.75693192, k=0):
    """Print the loss with output k set to y_hat0 (the other output as in the worked example), and draw the parabola."""
    t = trace()
    y_hat = t.y_hat.copy()
    y_hat[k] = y_hat0
    from ..losses import mse
    shares = 0.5 * (y_hat - t.y) ** 2
    print(f"y_hat = {np.array2string(y_hat, precision=8)}   shares 0.5*(y_hat - y)**2 = "
          f"{np.array2string(shares, precision=8)}   L = {mse(t.y, y_hat):.8f}")
    plots.plot_loss_parabola(t.y, y_hat, k)
    plt.show()


def loss_widget(step=0.001):
    """A slider on the first output, redrawing `show_loss`; it starts at the worked example's y_hat[0], so it shows
    the lesson's loss.

    A browser slider snaps its value to min + k * step, so the range [min, min + 1 - step] is offset to make
    y_hat[0] one of its steps: otherwise the first display would move it (to 0.757) and change the loss shown.
    """
    start = float(trace().y_hat[0])
    low = start - np.floor(start / step) * step
    return _interactive(show_loss, y_hat0=_slider(start, low, low + 1.0 - step, step, "y_hat[0]"), k=[0, 1])


# --- nudging one parameter ---------------------------------------------------------------------------------------

ENTRIES = [f"{name}[{','.join(map(str, i))}]" for name in PARAMETERS for i in np.ndindex((2, 2) if name[0] == "W" else (2,))]


def nudge(entry="W2[0,0]", step=1e-3, example=None):
    """Change one parameter entry by `step`: return (actual change of the loss, gradient * step).

    entry: like "W2[0,1]" or "b1[0]". The two agree to first order in the step; their
    difference shrinks like step**2.
    """
    ex = worked_example() if example is None else example
    name, index = entry.split("[")
    index = tuple(int(i) for i in index.rstrip("]").split(","))
    params = ex.params()
    before = loss_of(params, ex.x, ex.y, layout=ex.layout)
    params[name] = params[name].copy()
    params[name][index] += step
    actual = loss_of(params, ex.x, ex.y, layout=ex.layout) - before
    gradient = trace(ex).grads()[name][index]
    return actual, gradient * step


def show_nudge(entry="W2[0,0]", step=1e-3):
    """Print the actual change of the loss beside the gradient's prediction for one nudge, and draw both as the
    nudge grows from -1.5 step to 1.5 step."""
    actual, predicted = nudge(entry, step)
    print(f"nudge {entry} by {step:+.1e}:  actual change of L = {actual:+.6e}   gradient x step = {predicted:+.6e}")
    steps = np.linspace(-1.5 * step, 1.5 * step, 61)
    changes = [nudge(entry, s)[0] for s in steps]
    plots.plot_nudge(entry, steps, changes, predicted / step, step)
    plt.show()


def nudge_widget():
    """A parameter picker and a step slider (log scale), wired to `show_nudge`."""
    import ipywidgets

    return _interactive(show_nudge, entry=ipywidgets.Dropdown(options=ENTRIES, value="W2[0,0]", description="entry"),
                        step=_log_slider(1e-3, -6, 0, "step"))


# --- gradient descent --------------------------------------------------------------------------------------------

def training_run(alpha, steps=200):
    """Train the worked example with learning rate alpha; return (losses, verdict), never raising.

    verdict says how training went: converging, crawling, saturated (the sigmoids jump to
    exactly 0 or 1, their gradient vanishes and learning stops), or diverged/stopped.
    """
    try:
        losses, final = train(alpha=alpha, steps=steps)
    except ValueError as err:
        return np.array([trace().loss]), f"Training stopped: {err}"
    y_hat = forward_prop(final.W2, final.b2, forward_prop(final.W1, final.b1, final.x))
    if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        verdict = f"Diverged: the loss rose from {losses[0]:.4f} to {losses[-1]:.4f}. alpha = {alpha:g} is too large."
    elif np.any(y_hat * (1 - y_hat) < 1e-12):
        verdict = (f"Saturated: alpha = {alpha:g} is too large. The first steps threw the outputs to "
                   f"{np.array2string(y_hat, precision=4, suppress_small=True)}, where the sigmoid is flat (h(1 - h) is about 0), so the gradients vanish "
                   f"and the loss is stuck at {losses[-1]:.6f}.")
    elif losses[-1] > 0.9 * losses[0]:
        verdict = f"Crawling: after {steps} steps the loss only fell from {losses[0]:.4f} to {losses[-1]:.4f}."
    else:
        verdict = f"Converging: the loss fell from {losses[0]:.4f} to {losses[-1]:.6f} in {steps} steps."
    return losses, verdict


def show_training(alpha=0.1, steps=200):
    """Print the verdict and final outputs for learning rate alpha and draw the loss curve (verdict on the plot)."""
    losses, verdict = training_run(alpha, steps)
    print(verdict)
    healthy = verdict.startswith(("Converging", "Crawling"))
    plots.plot_loss_curves({f"alpha = {alpha:g}": losses}, title=f"Loss for learning rate {alpha:g}",
                           note=None if healthy else verdict.split(":")[0] + ": see the message above")
    plt.show()


def training_widget():
    """A learning-rate slider on a log scale (1e-3 to 1e4) and a steps slider, redrawing `show_training`."""
    import ipywidgets

    return _interactive(show_training, alpha=_log_slider(0.1, -3, 4, "alpha"),
                        steps=ipywidgets.IntSlider(value=200, min=10, max=2000, step=10, description="steps",
                                                   continuous_update=False))


# --- classification (Part II) ----------------------------------------------------------------------------------

def classification_run(problem="moons", hidden=8, learning_rate=0.5, epochs=100, seed=0):
    """Train a 2-hidden-2 network on a toy problem; return (network, X, labels, history, message).

    Never raises: a learning rate that diverges is reported in the message.
    """
    from .. import data
    from ..network import Network, TrainingDiverged

    makers = {"xor": data.make_xor, "moons": data.make_moons, "spirals": data.make_spirals}
    X, labels = makers[problem](200, seed=seed)
    net = Network([2, int(hidden), 2], activation="tanh", init="lecun", seed=seed)
    try:
        history = net.fit(X, labels, epochs=int(epochs), learning_rate=learning_rate, batch_size=20, seed=seed)
    except TrainingDiverged as err:
        return net, X, labels, None, f"Diverged: {err}"
    return net, X, labels, history, (f"{problem}: {hidden} hidden units, learning rate {learning_rate:g}, "
                                     f"{epochs} epochs -> loss {net.loss(X, labels):.4f}, "
                                     f"accuracy {net.accuracy(X, labels):.3f}")


def show_classification(problem="moons", hidden=8, learning_rate=0.5, epochs=100):
    """Print the outcome, and draw the loss curve beside the decision regions."""
    net, X, labels, history, message = classification_run(problem, hidden, learning_rate, epochs)
    print(message)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    if history is not None:
        left.plot(np.arange(1, len(history.loss) + 1), history.loss, color=plots.COLORS["blue"])
        left.set(xlabel="epoch", ylabel="mean cross-entropy", title="Loss")
    else:
        left.text(0.5, 0.5, "Diverged: lower the learning rate", ha="center", va="center",
                  color=plots.COLORS["vermillion"], transform=left.transAxes)
        left.set(title="Loss")
    plots.plot_decision_boundary(net, X, labels, ax=right, title="Decision regions", resolution=80)
    fig.tight_layout()
    plt.show()


def classification_widget():
    """Problem, hidden width, learning rate (log scale) and epochs, redrawing `show_classification`."""
    import ipywidgets

    return _interactive(
        show_classification,
        problem=ipywidgets.Dropdown(options=["xor", "moons", "spirals"], value="moons", description="problem"),
        hidden=ipywidgets.IntSlider(value=8, min=1, max=64, description="hidden", continuous_update=False),
        learning_rate=_log_slider(0.5, -3, 1, "learning rate"),
        epochs=ipywidgets.IntSlider(value=100, min=10, max=400, step=10, description="epochs",
                                    continuous_update=False))


# --- optimisers racing (issue: going further) -----------------------------------------------------------------

def race_summary(surface="ravine", first=("sgd", 0.035), second=("momentum", 0.01), steps=100):
    """Race two (optimiser, learning rate) pairs; return ({label: path}, one line per optimiser: final loss)."""
    from ..optimizers import SURFACES, race

    f = SURFACES[surface][0]
    paths, lines = {}, []
    for name, lr in (first, second):
        label = f"{name}, lr {lr:g}"
        path = race(surface, name, lr, steps)
        paths[label] = path
        if len(path) <= steps:
            lines.append(f"{label}: diverged after {len(path) - 1} steps (learning rate too large)")
        else:
            lines.append(f"{label}: loss {f(path[-1]):.6f} at ({path[-1][0]:.4f}, {path[-1][1]:.4f}) "
                         f"after {steps} steps")
    return paths, lines


def show_race(surface="ravine", first="sgd", first_lr=0.035, second="momentum", second_lr=0.01, steps=100):
    """Print where each optimiser ended and draw both paths on the surface."""
    paths, lines = race_summary(surface, (first, first_lr), (second, second_lr), steps)
    print("\n".join(lines))
    plots.plot_race(surface, paths)
    plt.show()


def race_widget():
    """Two optimisers with their learning rates (log scale), the surface and the steps, redrawing `show_race`."""
    import ipywidgets

    names = ["sgd", "momentum", "rmsprop", "adam"]
    return _interactive(
        show_race,
        surface=ipywidgets.Dropdown(options=["ravine", "rosenbrock"], value="ravine", description="surface"),
        first=ipywidgets.Dropdown(options=names, value="sgd", description="first"),
        first_lr=_log_slider(0.035, -3, 0, "first lr"),
        second=ipywidgets.Dropdown(options=names, value="momentum", description="second"),
        second_lr=_log_slider(0.01, -3, 0, "second lr"),
        steps=ipywidgets.IntSlider(value=100, min=10, max=500, step=10, description="steps", continuous_update=False))


# --- the step size of finite differences ----------------------------------------------------------------------------

def difference_errors(eps, entry=("W1", (0, 0))):
    """Forward and central difference estimates of one gradient entry of the worked example at step eps.

    Returns (analytic, forward, central). The errors are |estimate - analytic|.
    """
    ex = worked_example()
    name, index = entry
    params = ex.params()

    def loss_at(value):
        shifted = params[name].copy()
        shifted[index] = value
        return loss_of({**params, name: shifted}, ex.x, ex.y)

    w = params[name][index]
    analytic = trace(ex).grads()[name][index]
    forward = (loss_at(w + eps) - loss_at(w)) / eps
    central = (loss_at(w + eps) - loss_at(w - eps)) / (2 * eps)
    return analytic, forward, central


def show_difference_errors(eps=1e-2):
    """Print both estimates of dL/dW1[0,0] at step eps and mark eps on the error curves."""
    analytic, forward, central = difference_errors(eps)
    print(f"eps = {eps:.1e}: forward error {abs(forward - analytic):.1e}, central error {abs(central - analytic):.1e}")
    steps = np.logspace(-1, -12, 23)
    errors = np.array([[abs(f - a), abs(c - a)] for a, f, c in (difference_errors(e) for e in steps)])
    fig = plots.plot_difference_errors(steps, np.maximum(errors[:, 0], 1e-18), np.maximum(errors[:, 1], 1e-18))
    fig.axes[0].axvline(eps, color=plots.COLORS["green"], ls="--", label=f"eps = {eps:.0e}")
    fig.axes[0].legend()
    plt.show()


def difference_widget():
    """A log slider on the step eps (1e-12 to 1e-1), redrawing `show_difference_errors`."""
    return _interactive(show_difference_errors, eps=_log_slider(1e-2, -12, -1, "eps"))
