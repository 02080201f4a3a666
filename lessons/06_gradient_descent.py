# %% [markdown]
# # Gradient descent
#
# **In this lesson you will**
#
# - update every parameter against its gradient, $\theta \leftarrow \theta - \alpha\, \partial L / \partial \theta$;
# - compare the new parameters with the ones the original notebook printed, and explain why $W_2$, $b_2$ agree while $W_1$, $b_1$ differ;
# - repeat the step in a training loop and watch the loss curve and the outputs approach $[0.01, 0.99]$;
# - move a learning-rate slider from rates that crawl to rates that break learning, and compare several rates on one plot;
# - write `para_update` and a training loop yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import original
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
t = nn.trace()

# %% [markdown]
# ## One step
#
# The gradient points uphill, so we step the other way, scaled by the learning rate $\alpha = 0.1$:
#
# $$W \leftarrow W - \alpha \frac{\partial L}{\partial W}, \qquad b \leftarrow b - \alpha \frac{\partial L}{\partial b}.$$

# %%
W2_new = nn.para_update(t.W2, t.dW2, t.alpha)
b2_new = nn.para_update(t.b2, t.db2, t.alpha)
W1_new = nn.para_update(t.W1, t.dW1, t.alpha)
b1_new = nn.para_update(t.b1, t.db1, t.alpha)
print("W1 :\n", W1_new)
print("b1 :", b1_new)
print("W2 :\n", W2_new)
print("b2 :", b2_new)

# %% [markdown]
# ## Beside the original's new parameters

# %%
t_orig = nn.trace(forward=original.forward_prop, hidden_grad=original.hidden_unit_grad)
for name in ("W1", "b1", "W2", "b2"):
    ours, theirs = getattr(t, name + "_new"), getattr(t_orig, name + "_new")
    print(f"{name}: largest difference {np.max(np.abs(ours - theirs)):.1e}")
print("original's new b1:", t_orig.b1_new, "  correct new b1:", t.b1_new)

# %% [markdown]
# $W_2$ and $b_2$ agree to within $10^{-6}$: their gradients were right, and only the rounding of $h_1$ and
# $\hat y$ (defect 1) separates them. $W_1$ and $b_1$ differ 25 to 250 times more, because their gradients passed
# through the missing transpose (defect 2): the original printed `b1 = [0.34915263 0.34903614]`, the correct
# values are `[0.34910483 0.34887071]`.
#
# ## Did the step help?

# %%
print(f"loss before: {t.loss:.10f}")
print(f"loss after:  {t.loss_new:.10f}")

# %% [markdown]
# ## A training loop
#
# Repeat the step. `nn.train` runs it and returns the loss before training and after each step. With
# $\alpha = 0.1$ the loss falls slowly (the slider below shows it); here we use $\alpha = 0.5$, the walk-through's rate:

# %%
losses, final = nn.train(alpha=0.5, steps=1000)
y_hat = nn.forward_prop(final.W2, final.b2, nn.forward_prop(final.W1, final.b1, final.x))
for step in (0, 1, 10, 100, 1000):
    print(f"step {step:4d}: loss {losses[step]:.8f}")
print("outputs after 1000 steps:", y_hat, "  target:", final.y)

# %% [markdown]
# The loss falls quickly at first and then more slowly as the outputs approach the targets (the log scale shows
# the steady decline):

# %%
plots.plot_loss_curves({"alpha = 0.5": losses}, title="Training the worked example: the loss falls")
plt.show()

# %% [markdown]
# ### Try it: the learning rate
#
# The slider is on a log scale, from $10^{-3}$ to $10^4$. Tiny rates crawl. Larger ones converge faster, up to a
# point: with rates around 1000 the very first step throws the outputs to about 0 and 1, where the sigmoid is
# flat. Every later gradient vanishes and the network is stuck for good: its loss stays at
# $\frac12(0.01^2 + 0.01^2) = 10^{-4}$, while a rate of 10 keeps improving far below that. (With sigmoid outputs the
# loss cannot blow up to infinity; with other networks, too large a rate makes it grow step after step, and
# `para_update` stops with a message as soon as a value overflows.)

# %% tags=["nbval-ignore-output"]
widgets.training_widget()

# %% [markdown]
# What the slider shows for a crawling, a good and a breaking rate:

# %%
for alpha in (0.001, 1.0):
    print(f"alpha = {alpha:g}:", widgets.training_run(alpha, steps=200)[1])
widgets.show_training(alpha=1000.0, steps=200)

# %% [markdown]
# Several rates on one plot. Look at the flat line of $\alpha = 1000$: after one lucky jump it never moves again,
# and $\alpha = 10$ passes below it:

# %%
curves = {f"alpha = {a:g}": widgets.training_run(a, steps=300)[0] for a in (0.01, 0.1, 1.0, 10.0, 1000.0)}
plots.plot_loss_curves(curves, title="Larger rates learn faster, until the sigmoids saturate and learning stops")
plt.show()

# %% [markdown]
# ## Exercise: write `para_update`
#
# Return `param - alpha * grad` as a **new** array (do not change `param` in place with `-=`).

# %% nbgrader={"grade": false, "grade_id": "para_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
def para_update(param, grad, alpha):
    ### BEGIN SOLUTION
    return param - alpha * grad
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_para_update", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("para_update", para_update)

# %% [markdown]
# ## Exercise: write a training loop
#
# Write `train(example, alpha, steps)`: start from `example.W1, example.b1, example.W2, example.b2`, do `steps`
# steps of gradient descent on `example.x`, `example.y`, and return the list of `steps + 1` losses (before any step,
# then after each). Use the package's functions (`nn.forward_prop`, `nn.mse`, `nn.output_grad`, `nn.sigmoid_grad`,
# `nn.weight_grad`, `nn.hidden_unit_grad`) or your own, and your own `para_update` from above: the package's
# `nn.para_update` is this lesson's other answer, so the grader removes it. The check also trains a 3-4-2 network.

# %% nbgrader={"grade": false, "grade_id": "train", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train(example, alpha, steps):
    ### BEGIN SOLUTION
    W1, b1, W2, b2, x, y = example.W1, example.b1, example.W2, example.b2, example.x, example.y
    losses = []
    for step in range(steps + 1):
        h1 = nn.forward_prop(W1, b1, x)
        y_hat = nn.forward_prop(W2, b2, h1)
        losses.append(nn.mse(y, y_hat))
        if step == steps:
            break
        delta2 = nn.sigmoid_grad(y_hat, nn.output_grad(y, y_hat))
        delta1 = nn.sigmoid_grad(h1, nn.hidden_unit_grad(W2, delta2))
        W2, b2 = para_update(W2, nn.weight_grad(h1, delta2), alpha), para_update(b2, delta2, alpha)
        W1, b1 = para_update(W1, nn.weight_grad(x, delta1), alpha), para_update(b1, delta1, alpha)
    return losses
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_train", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("train", train)

# %% [markdown]
# ## Recap
#
# - One step: $\theta \leftarrow \theta - \alpha\, \partial L/\partial \theta$ for all four parameters; the loss falls from
#   0.3036583136 to 0.3001328430.
# - The original's $W_2$, $b_2$ were right (up to rounding); its $W_1$, $b_1$ inherited the transpose bug.
# - Too small a rate crawls; too large a rate saturates the sigmoids and learning stops.
#
# Next: the same numbers as the most widely read walk-through on the web, which stores its weights the other way
# round. **The same example in the other layout.**
