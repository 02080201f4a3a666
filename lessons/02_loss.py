# %% [markdown]
# # The loss
#
# **In this lesson you will**
#
# - measure how wrong the network is with the squared error $L = \frac12 \sum_k (\hat y_k - y_k)^2$, and see why it has a $\frac12$;
# - split the loss into each output's share;
# - move one output with a slider and watch the loss trace a parabola;
# - see why the original notebook's loss differs from the full-precision one;
# - write `mse` yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import original
from nnfromscratch.checks import check
from nnfromscratch.visuals import widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)

# %% [markdown]
# ## How far off is the output?
#
# The forward pass (previous lesson) gave $\hat y$; the target is $y$:

# %%
t = nn.trace()
print("y_hat =", t.y_hat, "  y =", t.y)
print("y_hat - y =", t.y_hat - t.y)

# %% [markdown]
# The squared error adds the squares of these differences, with a half:
#
# $$L = \tfrac12 \sum_k (\hat y_k - y_k)^2 .$$
#
# Squaring makes every error count positively and punishes big errors more. The $\frac12$ is there for the
# derivative: $\frac{\partial}{\partial \hat y_k}\, \frac12 (\hat y_k - y_k)^2 = \hat y_k - y_k$, with no stray 2.
# Each output contributes its own share:

# %%
shares = 0.5 * (t.y_hat - t.y) ** 2
print("shares =", shares)
print(f"L = {shares.sum():.10f}   nn.mse(y, y_hat) = {nn.mse(t.y, t.y_hat):.10f}")

# %% [markdown]
# Output 0 should be 0.01 but is 0.757, so it carries most of the loss; output 1 (0.768 for 0.99) is closer.
#
# ### Try it: the loss as one output moves
#
# Hold output 1 fixed and move output 0. The loss is a parabola in $\hat y_0$ with its minimum at the target
# $y_0 = 0.01$; its slope at the current point is $\hat y_0 - y_0$, the gradient of the next lesson.

# %% tags=["nbval-ignore-output"]
widgets.loss_widget()

# %% [markdown]
# What the slider shows at $\hat y_0 = 0.2$:

# %%
widgets.show_loss(y_hat0=0.2, k=0)

# %% [markdown]
# ## The original notebook's loss
#
# The original printed `0.30363845`. It rounded the activations to 4 decimals before computing the loss:

# %%
h1_rounded = original.forward_prop(t.W1, t.b1, t.x)
y_hat_rounded = original.forward_prop(t.W2, t.b2, h1_rounded)
print("rounded y_hat =", y_hat_rounded, "   full precision y_hat =", t.y_hat)
print(f"loss from rounded y_hat: {nn.mse(t.y, y_hat_rounded):.10f}")
print(f"loss at full precision:  {t.loss:.10f}")
change = nn.mse(t.y, y_hat_rounded) - t.loss
print(f"change of the loss (rounded - full): {change:.10f}")
shift = y_hat_rounded - t.y_hat
print("shift of y_hat (rounded - full):", shift)

# %% [markdown]
# Rounding shifted $\hat y_0$ by about $-3.2 \cdot 10^{-5}$ and $\hat y_1$ by about $-1.8 \cdot 10^{-5}$, and the loss
# fell by about $2.0 \cdot 10^{-5}$. For a small shift, each output changes the loss by its slope times its shift, where
# the slope is $\partial L / \partial \hat y_k = \hat y_k - y_k$ (about $0.747$ and $-0.222$):
#
# $$L_{\text{rounded}} - L \approx \sum_k (\hat y_k - y_k)\, \text{shift}_k = 0.747 \times (-3.2 \cdot 10^{-5}) + (-0.222) \times (-1.8 \cdot 10^{-5}) \approx -2.0 \cdot 10^{-5}.$$

# %%
slope = t.y_hat - t.y
print("slope y_hat - y:", slope)
print("slope * shift:  ", slope * shift)
print(f"sum: {np.sum(slope * shift):.10f}   the change of the loss above: {change:.10f}")

# %% [markdown]
# The prediction agrees with the real change to about $10^{-9}$. The course computes at full precision and prints
# 8 decimals: some gradients in later lessons are about 0.0004, and printed with 4 decimals they would all read 0.0004.
#
# ## Exercise: write `mse`
#
# Write `mse(y, yhat)` returning $\frac12 \sum_k (\hat y_k - y_k)^2$ as a number. Sum, do not average. The check also
# tries 3 and 5 outputs.

# %% nbgrader={"grade": false, "grade_id": "mse", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mse(y, yhat):
    ### BEGIN SOLUTION
    diff = yhat - y
    return 0.5 * np.sum(diff ** 2)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_mse", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("mse", mse)

# %% [markdown]
# A common slip is to average instead of summing; the check recognises it:

# %%
check("mse", lambda y, yhat: 0.5 * np.mean((yhat - y) ** 2))

# %% [markdown]
# ## Recap
#
# - $L = \frac12 \sum_k (\hat y_k - y_k)^2 = 0.3036583136$ for the worked example, at full precision.
# - The $\frac12$ makes the gradient $\hat y - y$.
# - The original's `0.30363845` comes from rounding $\hat y$ to 4 decimals first.
#
# Next: which way should each weight move? **Output-layer gradients.**
#
# ## Further reading
#
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 1, section "Learning with gradient descent": the
#   quadratic cost, with the same $\frac12$: <http://neuralnetworksanddeeplearning.com/chap1.html>
# - Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola, *Dive into Deep Learning*, section "Linear
#   Regression": the squared-error loss and why it carries a $\frac12$:
#   <https://d2l.ai/chapter_linear-regression/linear-regression.html>
