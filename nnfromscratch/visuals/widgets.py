"""The lessons' sliders. Each is a plain `show_*` function (compute, print, draw), which
tests and the cell after each slider call directly, and a `*_widget()` that only
wires ipywidgets controls to it.
"""

import functools

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
    units = f"{hidden} hidden unit" + ("s" if int(hidden) != 1 else "")
    return net, X, labels, history, (f"{problem}: {units}, learning rate {learning_rate:g}, "
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


# --- batch size against gradient noise (lesson 08) -----------------------------------------------------------------

BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200)


def _sigmoid_network_on_moons(seed=0):
    """Lesson 08's problem: the 200 moons with one-hot targets and a 2-8-2 sigmoid network at its initial weights."""
    from .. import data
    from ..losses import one_hot
    from ..network import init_params

    X, labels = data.make_moons(200, seed=seed)
    return X, one_hot(labels, 2), init_params([2, 8, 2], np.random.default_rng(seed), "lecun")


def _flat_gradient(params, X, Y):
    """The gradient of the mean squared error of a batch, every dW and db in one flat vector."""
    from ..losses import output_grad
    from ..network import network_backward, network_forward

    Y_hat, caches = network_forward(params, X, ["sigmoid", "sigmoid"])
    return np.concatenate([g.ravel() for pair in network_backward(output_grad(Y, Y_hat), caches) for g in pair])


def batch_noise(batch_size, draws=300, seed=0):
    r"""How far mini-batch gradients fall from the full-batch gradient, measured and predicted.

    For lesson 08's network and data (`_sigmoid_network_on_moons`): the full-batch gradient g (p,), the
    gradients of `draws` mini-batches of `batch_size` rows drawn without replacement (draws, p), the measured
    spread $\sqrt{\mathrm{mean}\,|g_B - g|^2}$, and the predicted one, $\sqrt{\sigma^2 (n - B) / (B (n - 1))}$
    with $\sigma^2 = \frac1n \sum_i |g_i - g|^2$ over the n single-example gradients (sampling without
    replacement: 0 at B = n). Returns (g, batches, measured, predicted), fresh arrays.
    """
    full, batches, measured, predicted = _batch_noise(int(batch_size), int(draws), int(seed))
    return full.copy(), batches.copy(), measured, predicted


@functools.lru_cache(maxsize=32)
def _single_gradients(seed):
    """(X, Y, params, g, singles): the problem, its full-batch gradient and the n single-example gradients."""
    X, Y, params = _sigmoid_network_on_moons(seed)
    singles = np.array([_flat_gradient(params, X[i:i + 1], Y[i:i + 1]) for i in range(len(X))])
    return X, Y, params, _flat_gradient(params, X, Y), singles


@functools.lru_cache(maxsize=64)
def _batch_noise(batch_size, draws, seed):
    X, Y, params, full, singles = _single_gradients(seed)
    n, B = len(X), batch_size
    if not 1 <= B <= n:
        raise ValueError(f"batch_noise: batch_size must be between 1 and {n}, not {batch_size}.")
    sigma2 = np.mean(np.sum((singles - full) ** 2, axis=1))
    rng = np.random.default_rng(seed + 1)
    batches = np.array([_flat_gradient(params, X[rows], Y[rows])
                        for rows in (rng.permutation(n)[:B] for _ in range(draws))])
    measured = float(np.sqrt(np.mean(np.sum((batches - full) ** 2, axis=1))))
    predicted = float(np.sqrt(sigma2 * (n - B) / (B * (n - 1))))
    return full, batches, measured, predicted


def show_batch_noise(batch_size=10):
    """Print the spread of mini-batch gradients for one batch size; draw them around the full gradient, and the
    spread against the batch size."""
    spreads = {B: batch_noise(B)[2:] for B in sorted({*BATCH_SIZES, int(batch_size)})}
    full, batches, measured, predicted = batch_noise(batch_size)
    singles = _single_gradients(0)[4]
    steps = -(-len(singles) // batch_size)  # ceil(n / B)
    print(f"batch size {batch_size}: {steps} step{'s' if steps > 1 else ''} per epoch. Over {len(batches)} random "
          f"mini-batches the gradient is off the full-batch gradient by {measured:.4f} (rms; predicted "
          f"{predicted:.4f}); the full-batch gradient's own length is {np.linalg.norm(full):.4f}.")
    entries = tuple(int(e) for e in np.argsort(np.var(singles, axis=0))[-2:][::-1])  # the two noisiest entries
    params = _single_gradients(0)[2]
    names = [f"{'Wb'[k % 2]}{k // 2 + 1}[{','.join(map(str, i))}]" for k, p in enumerate(q for pair in params
             for q in pair) for i in np.ndindex(p.shape)]  # the flat gradient's order: W1, b1, W2, b2
    plots.plot_batch_noise(full, batches, spreads, batch_size, entries, names=[names[e] for e in entries])
    plt.show()


def batch_noise_widget(batch_size=10):
    """A slider over the batch sizes 1 to 200, redrawing `show_batch_noise`."""
    import ipywidgets

    return _interactive(show_batch_noise, batch_size=ipywidgets.SelectionSlider(
        options=list(BATCH_SIZES), value=batch_size, description="batch size", continuous_update=False))


# --- the gradient's size layer by layer (lesson 09) ----------------------------------------------------------------

def gradient_sizes(depth=6, activation="sigmoid", init="lecun", width=64, n=100, seed=0):
    """|dW| of every layer of a network with `depth` hidden layers of `width` units (one activation, initial
    weights from `init`) and a linear output layer of 10, on a random batch of n inputs with random targets
    (mean squared error). Returns a list of Frobenius norms, first layer first (depth + 1 of them)."""
    from ..losses import output_grad
    from ..network import init_params, network_backward, network_forward

    rng = np.random.default_rng(seed)
    params = init_params([width] * (depth + 1) + [10], rng, init)
    X, Y = rng.normal(size=(n, width)), rng.normal(size=(n, 10))
    H, caches = network_forward(params, X, [activation] * depth + ["linear"])
    return [float(np.linalg.norm(dW)) for dW, _ in network_backward(output_grad(Y, H), caches)]


def show_gradient_sizes(depth=6, activation="sigmoid", init="lecun"):
    """Print |dW| layer by layer and the first layer's share of the last's; draw them as bars."""
    sizes = gradient_sizes(depth, activation, init)
    print(f"{activation}, {depth} hidden layers, {init} initialisation: |dW| from the first layer to the last: "
          + " ".join(f"{s:.1e}" for s in sizes))
    print(f"the first layer's gradient is {sizes[0] / sizes[-1]:.2g} times the last layer's")
    plots.plot_gradient_sizes(sizes, title=f"|dW| per layer: {activation}, {depth} hidden layers, {init}")
    plt.show()


def gradient_sizes_widget(depth=6, activation="sigmoid", init="lecun"):
    """Depth, activation and initialisation, redrawing `show_gradient_sizes`."""
    import ipywidgets

    from ..initializers import INITS

    return _interactive(
        show_gradient_sizes,
        depth=ipywidgets.IntSlider(value=depth, min=1, max=20, description="hidden layers", continuous_update=False),
        activation=ipywidgets.Dropdown(options=["sigmoid", "tanh", "relu"], value=activation,
                                       description="activation"),
        init=ipywidgets.Dropdown(options=[k for k in INITS if k != "zeros"], value=init, description="init"))


# --- the digits the network gets wrong (lesson 11) ----------------------------------------------------------------

def misclassified(net, X, labels):
    """(rows, P): the rows of X that `net` classifies wrongly, in order, and its probabilities for them (m, k)."""
    P = net.predict_proba(X)
    rows = np.flatnonzero(P.argmax(axis=1) != np.asarray(labels))
    return rows, P[rows]


def show_mistake(net, X, labels, which=0):
    """Print and draw the `which`-th misclassified row of X: the digit beside the network's ten probabilities."""
    rows, P = misclassified(net, X, labels)
    if len(rows) == 0:
        print("The network classifies every one of these digits correctly: there is no mistake to show.")
        return
    which = min(max(int(which), 0), len(rows) - 1)
    row, p = rows[which], P[which]
    label, prediction = int(labels[row]), int(p.argmax())
    print(f"mistake {which + 1} of {len(rows)}: digit {row}, true class {label}, predicted {prediction} with "
          f"probability {p[prediction]:.3f}; the true class got {p[label]:.3f}")
    plots.plot_mistake(X[row], p, label, prediction, title=f"test digit {row}: true {label}, predicted {prediction}")
    plt.show()


def mistakes_widget(net, X, labels):
    """A slider over the misclassified rows of X, redrawing `show_mistake`."""
    import ipywidgets

    count = len(misclassified(net, X, labels)[0])
    return _interactive(lambda which: show_mistake(net, X, labels, which),
                        which=ipywidgets.IntSlider(value=0, min=0, max=max(count - 1, 0), description="mistake",
                                                   continuous_update=False))


# --- stepping through a backward pass, node by node (lesson 13) ---------------------------------------------------

def _used_twice():
    """L = tanh(a * b + a): the input a feeds two nodes, so its gradient arrives in two parts."""
    from ..autodiff import Value

    a, b = Value(0.8, label="a"), Value(-0.5, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    L = d.tanh()
    L.label = "L"
    return L


def _hidden_unit():
    """h1[0] = sigmoid(W1[0,0] x[0] + W1[0,1] x[1] + b1[0]), the worked example's first hidden unit."""
    from ..autodiff import Value

    ex = worked_example()
    x0, x1 = Value(ex.x[0], label="x[0]"), Value(ex.x[1], label="x[1]")
    w00, w01 = Value(ex.W1[0, 0], label="W1[0,0]"), Value(ex.W1[0, 1], label="W1[0,1]")
    b0 = Value(ex.b1[0], label="b1[0]")
    z = w00 * x0 + w01 * x1 + b0
    z.label = "z1[0]"
    h = z.sigmoid()
    h.label = "h1[0]"
    return h


BACKWARD_GRAPHS = {"a value used twice": _used_twice, "one hidden unit": _hidden_unit}


def _name(node):
    return f"{node.label} ({node.op})" if node.label and node.op else node.label or node.op or "a constant"


def backward_step(graph="a value used twice", step=0):
    """The backward pass of one of `BACKWARD_GRAPHS`, stopped after `step` nodes.

    Step 0 only seeds the output, root.grad = 1; step k then runs the `_backward` of the first k nodes in
    reverse topological order (the output first), exactly as `Value.backward` does, and stops. Returns
    (root, order, done, changes): order is the reverse topological order, done the nodes that have run, and
    changes [(parent, grad before, grad after)] what the last node's `_backward` added to its parents.
    step is clipped to 0..len(order).
    """
    root = BACKWARD_GRAPHS[graph]()
    order = list(reversed(root.topological_order()))
    for node in order:
        node.grad = 0.0
    root.grad = 1.0  # dL/dL
    step = max(0, min(int(step), len(order)))
    changes = []
    for node in order[:step]:
        before = [p.grad for p in node._parents]
        node._backward()
        changes = [(p, b, p.grad) for p, b in zip(node._parents, before)]
    return root, order, order[:step], changes


def show_backward_step(graph="a value used twice", step=0):
    """Print what step `step` of the backward pass did and draw the graph with the gradients known so far."""
    root, order, done, changes = backward_step(graph, step)
    n = len(order)
    if not done:
        print(f"step 0 of {n}: only the seed, {_name(root)}.grad = 1 (dL/dL); no node has passed its gradient "
              "on yet.")
    else:
        node = done[-1]
        print(f"step {len(done)} of {n}: {_name(node)} ran its _backward", end="")
        if not node._parents:
            print(": an input, with no parents, so nothing to pass on; its grad is final.")
        else:
            print(", adding (its local derivative) x (its grad) to each parent:")
            for parent, before, after in changes:
                print(f"    {_name(parent)}.grad  {before:.8f} -> {after:.8f}")
    if len(done) == n:
        print("The backward pass is complete: every grad is dL/dv.")
    title = f"Backward pass, step {len(done)} of {n}: filled nodes have passed on their (final) gradient"
    plots.draw_graph(root, title=title, done=done, current=done[-1] if done else None)
    plt.show()


def backward_step_widget(graph="a value used twice"):
    """A dropdown of graphs and a slider over the step (0 to the number of nodes), redrawing `show_backward_step`."""
    import ipywidgets

    counts = {name: len(build().topological_order()) for name, build in BACKWARD_GRAPHS.items()}
    choice = ipywidgets.Dropdown(options=list(BACKWARD_GRAPHS), value=graph, description="graph")
    step = ipywidgets.IntSlider(value=0, min=0, max=counts[graph], step=1, description="step",
                                continuous_update=True)

    def follow(change):  # each graph has its own number of steps
        step.max = counts[change["new"]]
    choice.observe(follow, names="value")
    return _interactive(show_backward_step, graph=choice, step=step)


# --- Part III: training well ----------------------------------------------------------------------------------------

def _digits_split():
    """Lesson 11's split of the digits, in float64: X_train, y_train, X_val, y_val, X_test, y_test."""
    from .. import data

    X, labels = data.load_digits(np.float64)
    return data.train_val_test_split(X, labels, (0.7, 0.1, 0.2), seed=0)


def deep_sizes(depth, width=64):
    """Layer sizes of a digits network with `depth` dense layers: [64, width, ..., width, 10]."""
    return [64] + [width] * (int(depth) - 1) + [10]


def gradient_norm_run(activation="sigmoid", depth=10, gain=1.0, n=256):
    """A digits network of `depth` layers, weights N(0, gain**2 / n_in), measured at the start of training on
    the first n training digits. Returns (db_norms, dW_norms, output_stds, loss): the norms of each layer's
    bias and weight gradients, the standard deviation of each hidden layer's outputs, and the loss."""
    from ..diagnostics import gradient_norms, layer_outputs, scaled_network

    X, labels = _digits_split()[:2]
    X, labels = X[:n], labels[:n]
    net = scaled_network(deep_sizes(depth), activation, gain)
    with np.errstate(over="ignore", invalid="ignore"):
        loss, grads = net.gradients(X, labels)
        stds = np.array([H.std() for H in layer_outputs(net, X)[:-1]])
    dW, db = gradient_norms(grads)
    return db, dW, stds, loss


def show_gradient_norms(activation="sigmoid", depth=10, gain=1.0):
    """Print the gradient norms of the first and last layer and their ratio; draw the outputs' spread going forward
    and the bias-gradient norms coming back, layer by layer."""
    db, dW, stds, loss = gradient_norm_run(activation, depth, gain)
    print(f"{activation}, {depth} layers, gain {gain:.3g}: loss {loss:.4f}; |dL/db| layer 1: {db[0]:.3e}, "
          f"layer {depth}: {db[-1]:.3e}, ratio first/last: {db[0] / db[-1]:.3e}")
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    plots.plot_by_layer({activation: stds}, ax=left, ylabel="std of the layer's outputs (log scale)",
                        title="Forward: the signal, hidden layer by layer")
    plots.plot_by_layer({activation: db}, ax=right, ylabel="|dL/db| (log scale)",
                        title="Backward: the gradient reaching each layer")
    fig.tight_layout()
    plt.show()


def init_widget():
    """Activation, depth and initial gain (log scale), redrawing `show_gradient_norms`."""
    import ipywidgets

    return _interactive(
        show_gradient_norms,
        activation=ipywidgets.Dropdown(options=["sigmoid", "tanh", "relu"], value="sigmoid", description="activation"),
        depth=ipywidgets.IntSlider(value=10, min=2, max=20, description="layers", continuous_update=False),
        gain=ipywidgets.FloatLogSlider(value=1.0, base=2, min=-2, max=2, step=0.125, description="gain",
                                       readout_format=".3g", continuous_update=False))


# --- the learning slowdown ----------------------------------------------------------------------------------------

def slowdown_runs(w=8.0, steps=300, alpha=0.5):
    """Train the worked example with W2[0, 0] = w under squared error and under cross-entropy: two SlowdownRuns."""
    from ..slowdown import saturated_example, train_with_loss

    return [train_with_loss(saturated_example(w), loss, alpha, steps) for loss in ("squared error", "cross-entropy")]


def show_slowdown(w=8.0, steps=300):
    """Print the first output, both output deltas and their ratio at the start, and how many steps each loss takes to
    bring y_hat[0] below 0.5; draw both runs."""
    mse_run, xent_run = slowdown_runs(w, steps)
    y0 = mse_run.y_hat[0, 0]
    print(f"W2[0,0] = {w:.2f}: y_hat[0] = {y0:.6f}, sigma'(z2[0]) = y_hat(1 - y_hat) = {y0 * (1 - y0):.6f}")
    print(f"  first dL/dz2[0]: squared error {mse_run.delta2[0, 0]:.6f}, cross-entropy {xent_run.delta2[0, 0]:.6f} "
          f"(ratio {xent_run.delta2[0, 0] / mse_run.delta2[0, 0]:.1f})")
    for run in (mse_run, xent_run):
        reached = run.steps_until(0, 0.5)
        when = f"after {reached} steps" if reached is not None else f"not within {steps} steps"
        print(f"  {run.loss_name:>13}: y_hat[0] < 0.5 {when}; after {steps} steps y_hat[0] = {run.y_hat[-1, 0]:.4f}")
    plots.plot_slowdown([mse_run, xent_run], target=float(worked_example().y[0]))
    plt.show()


def slowdown_widget():
    """A slider on the starting weight W2[0, 0] (the first output's saturation), redrawing `show_slowdown`."""
    return _interactive(show_slowdown, w=_slider(8.0, -2.0, 10.0, 0.1, "W2[0,0]", fmt=".1f"))


# --- generalisation -----------------------------------------------------------------------------------------------

def generalisation_run(n_train=200, lam=0.0, noise=0.3, epochs=60, seed=0):
    """Train a 64-100-10 ReLU network on the first n_train training digits, a fraction `noise` of their labels
    changed at random, with L2 strength `lam` (SGD, learning rate 0.1, batches of 10); measure it on the clean
    validation set of lesson 11 after every epoch. Returns (history, net, noisy labels)."""
    from .. import data
    from ..network import Network
    from ..optimizers import SGD
    from ..regularization import L2, fit_with_validation

    X_train, y_train, X_val, y_val, _, _ = _digits_split()
    X, labels = X_train[:int(n_train)], y_train[:int(n_train)]
    noisy, _ = data.with_label_noise(labels, noise, seed=seed + 1)
    net = Network([64, 100, 10], activation="relu", init="he", seed=seed)
    history, _ = fit_with_validation(net, X, noisy, (X_val, y_val), epochs=int(epochs), seed=seed,
                                     optimizer=L2(SGD(0.1), lam), batch_size=10)
    return history, net, noisy


def show_generalisation(n_train=200, lam=0.0, noise=0.3, epochs=60):
    """Print the final training and validation accuracy and their gap; draw the train/validation curves."""
    history, net, _ = generalisation_run(n_train, lam, noise, epochs)
    train, val, n_val = history.accuracy[-1], history.val_accuracy[-1], len(_digits_split()[3])
    print(f"{n_train} training digits ({noise:.0%} mislabelled), lambda = {lam:g}: training accuracy {train:.1%} "
          f"({round(train * n_train)} of {n_train}, on its labels), validation {val:.1%} ({round(val * n_val)} of "
          f"{n_val}), gap {100 * (train - val):.1f} points")
    plots.plot_history(history, title=f"{n_train} digits, lambda = {lam:g}")
    plt.show()


def generalisation_widget():
    """Training-set size, L2 strength (log scale, 0 at the left end) and label noise, redrawing `show_generalisation`."""
    import ipywidgets

    lams = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1]
    return _interactive(
        show_generalisation,
        n_train=ipywidgets.IntSlider(value=200, min=50, max=1000, step=50, description="digits",
                                     continuous_update=False),
        lam=ipywidgets.SelectionSlider(options=lams, value=0.0, description="lambda", continuous_update=False),
        noise=ipywidgets.FloatSlider(value=0.3, min=0.0, max=0.5, step=0.1, description="noise",
                                     readout_format=".0%", continuous_update=False),
        epochs=ipywidgets.fixed(60))


# --- debugging: the update-to-weight ratio ----------------------------------------------------------------------

def update_ratio_run(learning_rate=0.1, epochs=10, seed=0):
    """A 64-64-64-10 ReLU network on lesson 11's training digits: the update-to-weight ratio of each layer for the
    first batch of 32, and the training history at this learning rate (None if it diverged, with the message)."""
    from ..diagnostics import update_ratios
    from ..network import Network, TrainingDiverged

    X, labels = _digits_split()[:2]
    net = Network([64, 64, 64, 10], activation="relu", init="he", seed=seed)
    _, grads = net.gradients(X[:32], labels[:32])
    ratios = update_ratios(net.params, grads, learning_rate)
    try:
        return ratios, net.fit(X, labels, epochs=epochs, learning_rate=learning_rate, batch_size=32, seed=seed), ""
    except TrainingDiverged as err:
        return ratios, None, str(err)


def show_update_ratios(learning_rate=0.1):
    """Print each layer's update-to-weight ratio and where training got; draw the ratios beside the loss curve."""
    ratios, history, message = update_ratio_run(learning_rate)
    print(f"learning rate {learning_rate:g}: update/weight ratio per layer "
          + ", ".join(f"{r:.1e}" for r in ratios))
    print(f"  after 10 epochs: training loss {history.loss[-1]:.4f}" if history is not None else f"  {message}")
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    plots.plot_by_layer({f"lr {learning_rate:g}": ratios}, ax=left, ylabel="|lr * dW| / |W| (log scale)",
                        title="Update-to-weight ratio at the start", reference=(1e-3, "1e-3"))
    left.set_ylim(min(1e-5, ratios.min() / 3), max(1.0, ratios.max() * 3))  # decades around 1e-3, to read it off
    if history is not None:
        right.plot(np.arange(1, len(history.loss) + 1), history.loss, color=plots.COLORS["blue"])
        right.set_ylim(0, max(2.5, max(history.loss) * 1.05))
    else:
        right.text(0.5, 0.5, "Diverged: lower the learning rate", ha="center", va="center",
                   color=plots.COLORS["vermillion"], transform=right.transAxes)
    right.set(xlabel="epoch", ylabel="training loss (mean cross-entropy)", title="Training loss, 10 epochs")
    fig.tight_layout()
    plt.show()


def update_ratio_widget():
    """A learning-rate slider (log scale, 1e-4 to 10), redrawing `show_update_ratios`."""
    return _interactive(show_update_ratios, learning_rate=_log_slider(0.1, -4, 1, "learning rate"))
