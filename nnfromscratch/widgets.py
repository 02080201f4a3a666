"""The lessons' sliders. Each is a plain `show_*` function (compute, print, draw), which
tests and the cell after each slider call directly, and a `*_widget()` that only
wires ipywidgets controls to it.
"""

import matplotlib.pyplot as plt
import numpy as np

from . import plots
from .activations import sigmoid
from .layers import forward_prop
from .example import worked_example


def _interactive(show, **controls):
    """`ipywidgets.interactive(show, **controls)`, imported only when a slider is made."""
    import ipywidgets

    return ipywidgets.interactive(show, **controls)


def _slider(value, low, high, step, description):
    import ipywidgets

    return ipywidgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                                  readout_format=".4f", continuous_update=True)


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
