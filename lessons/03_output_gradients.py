# %% [markdown]
# # Output-layer gradients
#
# **In this lesson you will**
#
# - follow the chain rule from the loss back to the output layer's weights;
# - compute $\partial L/\partial \hat y = \hat y - y$, the sigmoid's derivative written through its output,
#   $\delta_2 = \partial L / \partial z_2$, $\partial L/\partial W_2$ as an outer product, and $\partial L / \partial b_2$;
# - nudge any parameter with a widget and see the loss change by gradient times step;
# - write `sigmoid_grad` and `weight_grad` yourself (you wrote `output_grad` in the welcome lesson).

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import original
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)
t = nn.trace()

# %% [markdown]
# ## The chain rule as a picture
#
# A weight of the output layer, say $W_2[0,0]$, changes the loss only through $z_{2,0}$ and then $\hat y_0$. The
# chain rule multiplies the local derivatives along that path:
#
# $$\frac{\partial L}{\partial W_2[0,0]} = \frac{\partial L}{\partial \hat y_0} \cdot \frac{\partial \hat y_0}{\partial z_{2,0}} \cdot \frac{\partial z_{2,0}}{\partial W_2[0,0]}
# = (\hat y_0 - y_0) \cdot \hat y_0 (1 - \hat y_0) \cdot h_{1,0}$$

# %%
plots.draw_chain(["W2[0,0]", "z2[0]", "y_hat[0]", "L"],
                 ["∂z2[0]/∂W2[0,0] = h1[0]", "∂ŷ0/∂z2[0] = ŷ0(1 - ŷ0)", "∂L/∂ŷ0 = ŷ0 - y0"])
plt.show()

# %% [markdown]
# ## Step 1: the loss w.r.t. the outputs
#
# $$\frac{\partial L}{\partial \hat y} = \hat y - y$$

# %%
dL_dy_hat = nn.output_grad(t.y, t.y_hat)
print("dL/dy_hat =", dL_dy_hat)

# %% [markdown]
# Positive for output 0 (too high: lowering it lowers the loss), negative for output 1 (too low).
#
# ## Step 2: through the sigmoid
#
# The sigmoid's derivative can be written through its own output:
# $\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} = \sigma(z)\,(1 - \sigma(z)) = \hat y (1 - \hat y)$.
# So we never need $z_2$ again, only $\hat y$, which the forward pass kept:
#
# $$\delta_2 = \frac{\partial L}{\partial z_2} = \hat y (1 - \hat y) \odot \frac{\partial L}{\partial \hat y}$$

# %%
print("sigmoid'(z2) = y_hat * (1 - y_hat) =", t.y_hat * (1 - t.y_hat))
delta2 = nn.sigmoid_grad(t.y_hat, dL_dy_hat)
print("delta2 =", delta2)

# %% [markdown]
# ## Step 3: the weights, an outer product
#
# $z_{2,i} = \sum_j W_2[i,j]\, h_{1,j} + b_{2,i}$, so $\partial z_{2,i} / \partial W_2[i,j] = h_{1,j}$ and
#
# $$\frac{\partial L}{\partial W_2[i,j]} = \delta_{2,i}\, h_{1,j}, \qquad \frac{\partial L}{\partial W_2} = \delta_2\, h_1^\top \quad\text{(shape (out, in), like } W_2\text{)}.$$
#
# Entry by entry first, then as `np.outer`:

# %%
print(f"dW2[0,0] = delta2[0] * h1[0] = {delta2[0]:.8f} * {t.h1[0]:.8f} = {delta2[0] * t.h1[0]:.8f}")
dW2 = nn.weight_grad(t.h1, delta2)
print("dW2 =\n", dW2)

# %% [markdown]
# ## Step 4: the biases
#
# $\partial z_{2,i} / \partial b_{2,i} = 1$, so the bias gradient is $\delta_2$ itself:

# %%
db2 = delta2
print("db2 =", db2)

# %% [markdown]
# The original notebook's `W2grad`, reproduced with its rounded forward pass:

# %%
print("original W2grad =\n", nn.trace(forward=original.forward_prop).dW2)

# %% [markdown]
# It agrees with ours to about $10^{-5}$. The small difference is its rounding of $h_1$ and $\hat y$ (defect 1);
# the formula is right.
#
# ## Does the gradient predict the loss?
#
# A gradient says: nudge a parameter by a small step, and the loss changes by about gradient $\times$ step.

# %%
actual, predicted = widgets.nudge("W2[0,0]", 1e-3)
print(f"nudge W2[0,0] by 0.001: the loss changes by {actual:.8f}; dW2[0,0] * 0.001 = {predicted:.8f}")

# %% [markdown]
# ### Try it: nudge any parameter
#
# Pick any of the 12 parameters and a step. For small steps the two numbers agree to many digits; for large steps
# they drift apart, because the loss is not a straight line.

# %% tags=["nbval-ignore-output"]
widgets.nudge_widget()

# %% [markdown]
# What the widget shows for $b_2[1]$ with steps 0.1 and 0.0001:

# %%
widgets.show_nudge("b2[1]", 0.1)
widgets.show_nudge("b2[1]", 1e-4)

# %% [markdown]
# ## Exercises
#
# Write the two new functions of this lesson. Each check runs on the worked example and on other shapes.
#
# **`sigmoid_grad(h, upstream)`**: $h (1 - h) \odot$ `upstream`, where `h` is the sigmoid's *output*.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid_grad(h, upstream):
    ### BEGIN SOLUTION
    return h * (1 - h) * upstream
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_sigmoid_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sigmoid_grad", sigmoid_grad)

# %% [markdown]
# **`weight_grad(x_in, delta)`**: the outer product, shape `(out, in)`: entry `[i, j]` is `delta[i] * x_in[j]`.

# %% nbgrader={"grade": false, "grade_id": "weight_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def weight_grad(x_in, delta):
    ### BEGIN SOLUTION
    return np.outer(delta, x_in)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_weight_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("weight_grad", weight_grad)

# %% [markdown]
# A frequent slip is the outer product the other way round, which gives the transpose's shape:

# %%
check("weight_grad", lambda x_in, delta: np.outer(x_in, delta))

# %% [markdown]
# ## Recap
#
# - $\partial L/\partial \hat y = \hat y - y$; $\delta_2 = \hat y(1-\hat y) \odot (\hat y - y)$.
# - $\partial L/\partial W_2 = \delta_2 h_1^\top$ (an outer product, the shape of $W_2$); $\partial L/\partial b_2 = \delta_2$.
# - A gradient predicts the change of the loss for a small nudge.
#
# Next: the hidden layer, where the original notebook went wrong. **Hidden-layer gradients.**
#
# ## Further reading
#
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 2, "How the backpropagation algorithm works": its
#   equations (BP1) and (BP4) are this lesson's $\delta_2$ and $\partial L/\partial W_2 = \delta_2 h_1^\top$, in the same
#   `(out, in)` layout: <http://neuralnetworksanddeeplearning.com/chap2.html>
# - Grant Sanderson (3Blue1Brown), "Backpropagation calculus": the chain rule through one neuron per layer, animated:
#   <https://www.3blue1brown.com/lessons/backpropagation-calculus>
# - Andrej Karpathy, "The spelled-out intro to neural networks and backpropagation: building micrograd" (video,
#   2022): local derivatives multiplied along a path, by hand and then in code:
#   <https://www.youtube.com/watch?v=VMj-3S1tku0> (code: <https://github.com/karpathy/micrograd>)
