# %% [markdown]
# # Gradient descent
#
# **In this lesson you will**
#
# - update every parameter against its gradient, $\theta \leftarrow \theta - \alpha\, \partial L / \partial \theta$;
# - compare the new parameters with the ones the original notebook printed, and explain why $W_2$, $b_2$ agree while $W_1$, $b_1$ differ;
# - repeat the step in a training loop and watch the loss curve and the outputs approach $[0.01, 0.99]$;
# - see that the original's wrong hidden-layer gradient trains too, which is why such bugs survive;
# - move a learning-rate slider from rates that crawl to rates that saturate the sigmoids, and tell saturation apart
#   from real divergence, where the loss grows without bound;
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
# ### The original's wrong gradient trains too
#
# Train the same way with the original notebook's hidden-layer gradient, `W2 @ delta2` (lesson 04), and, for
# comparison, with a hidden layer that does not learn at all (its gradient replaced by zeros, so `W1` and `b1` never
# change):

# %%
buggy, _ = nn.train(alpha=0.5, steps=1000, hidden_grad=original.hidden_unit_grad)
frozen, _ = nn.train(alpha=0.5, steps=1000, hidden_grad=lambda W, delta, layout: np.zeros(W.shape[1]))
print(f"loss after 1000 steps: correct W2.T @ delta2 {losses[-1]:.2e}   original W2 @ delta2 {buggy[-1]:.2e}   "
      f"hidden layer frozen {frozen[-1]:.2e}")
plots.plot_loss_curves({"correct: W2.T @ delta2": losses, "original: W2 @ delta2": buggy,
                        "hidden layer frozen": frozen},
                       title="A wrong hidden-layer gradient: the loss still falls")
plt.show()

# %% [markdown]
# All three curves fall, and they look alike (the original's lies almost exactly under the frozen one): after 1000
# steps the wrong gradient reaches $3.7 \cdot 10^{-4}$ where the correct one reaches $2.7 \cdot 10^{-4}$. The output
# layer's gradients are right and do most of the learning here; the wrong hidden-layer updates do not even beat no
# hidden-layer updates at all ($3.72 \cdot 10^{-4}$ against $3.67 \cdot 10^{-4}$), yet nothing in a falling loss curve
# says so. That is why such bugs survive: a network that learns looks like a network that is right. The gradient
# check of lesson 05 finds the bug in one call, entry by entry.

# %% [markdown]
# ### Try it: the learning rate
#
# The slider is on a log scale, from $10^{-3}$ to $10^4$. Tiny rates crawl. Larger ones converge faster, up to a
# point: with rates around 1000 the very first step throws the outputs to about 0 and 1, where the sigmoid is
# flat ($h(1-h) \approx 0$). Every later gradient vanishes and the network is stuck for good: its loss stays at
# $\frac12(0.01^2 + 0.01^2) = 10^{-4}$, while a rate of 10 keeps improving far below that. The slider calls this
# **saturated**; it is not divergence, as the next section shows.

# %% tags=["nbval-ignore-output"]
widgets.training_widget()

# %% [markdown]
# What the slider shows for a crawling, a converging and a saturating rate:

# %%
for alpha in (0.001, 1.0):
    print(f"alpha = {alpha:g}:", widgets.training_run(alpha, steps=200)[1])
widgets.show_training(alpha=1000.0, steps=200)

# %% [markdown]
# Several rates on one plot, with the loss each reaches after 300 steps:

# %%
curves = {f"alpha = {a:g}": widgets.training_run(a, steps=300)[0] for a in (0.01, 0.1, 1.0, 10.0, 1000.0)}
for label, curve in curves.items():
    print(f"{label:>14}: loss after 1 step {curve[1]:.2e}, after 300 steps {curve[-1]:.2e}")
plots.plot_loss_curves(curves, title="Larger rates learn faster, until the sigmoids saturate and learning stops")
plt.show()

# %% [markdown]
# Look at $\alpha = 1000$: after one step its loss is already $1.0 \cdot 10^{-4}$, and it never moves again. After 300
# steps that is *lower* than $\alpha = 1$ ($5.7 \cdot 10^{-4}$) and $\alpha = 0.1$ ($1.2 \cdot 10^{-2}$): with a single
# training example, outputs of exactly 0 and 1 are close to the targets 0.01 and 0.99, so one huge step memorises the
# example in one jump. Of these rates only $\alpha = 10$, which keeps learning, passes below it ($1.0 \cdot 10^{-5}$). Too large a rate
# did not make this loss explode, and it cannot: every output of a sigmoid lies in (0, 1), so each error
# $|\hat y_k - y_k|$ is below 0.99 and the loss is below

# %%
print(f"0.5 * (0.99**2 + 0.99**2) = {0.5 * (0.99 ** 2 + 0.99 ** 2):.4f}")

# %% [markdown]
# ## Real divergence: a bowl
#
# Without a sigmoid to bound it, too large a rate makes the loss grow without limit. The simplest loss shows it:
# one parameter $\theta$ in a bowl,
#
# $$L(\theta) = \tfrac12 \theta^2, \qquad \frac{\partial L}{\partial \theta} = \theta, \qquad
# \theta \leftarrow \theta - \alpha \theta = (1 - \alpha)\, \theta .$$
#
# Every step multiplies $\theta$ by $(1 - \alpha)$ and the loss by $(1 - \alpha)^2$. For $\alpha < 1$ each step moves
# towards the minimum at 0 without reaching it; $\alpha = 1$ lands on it in one step; for $1 < \alpha < 2$ the steps
# overshoot it but land closer each time; for $\alpha > 2$ they overshoot and land *farther* up the other side every
# time: $|1 - \alpha| > 1$, and the loss grows without bound. (For a bowl $\frac12 c\, \theta^2$ the same argument
# gives the limit $\alpha < 2/c$: the more sharply curved the bowl, the smaller the largest rate that works.) Here is
# gradient descent on it, with `nn.para_update`:

# %%
def bowl_losses(alpha, steps, theta=1.0):
    """Gradient descent on L(theta) = theta**2 / 2 (gradient theta): the loss before and after each step."""
    thetas = [np.array(theta)]
    for _ in range(steps):
        thetas.append(nn.para_update(thetas[-1], thetas[-1], alpha))
    return 0.5 * np.array(thetas) ** 2


bowl = {f"alpha = {a:g}": bowl_losses(a, 30) for a in (0.2, 1.5, 2.5)}
for label, curve in bowl.items():
    print(f"{label}: loss {curve[0]:.4f} at the start, {curve[1]:.4f} after 1 step, {curve[-1]:.3e} after 30 steps")

# %% [markdown]
# With $\alpha = 2.5$ the loss is multiplied by $(1 - 2.5)^2 = 2.25$ at every step. Left alone, $\theta$ grows until it
# no longer fits in a float64, and `para_update` stops with its message:

# %%
theta, taken = np.array(1.0), 0
try:
    while True:
        theta = nn.para_update(theta, theta, 2.5)
        taken += 1
except ValueError as err:
    print(f"{taken} steps went through, |theta| = {abs(float(theta)):.3e}; then:")
    print(err)

# %% [markdown]
# Side by side: on the left the worked example, where too large a rate **saturates** (memorised in one jump, then
# stuck); on the right the bowl, where too large a rate **diverges** (the loss grows step after step, without bound).

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plots.plot_loss_curves({k: curves[k] for k in ("alpha = 1", "alpha = 10", "alpha = 1000")}, ax=left,
                       title="Worked example: alpha = 1000 saturates")
plots.plot_loss_curves(bowl, ax=right, title="Bowl L = θ²/2: alpha = 2.5 diverges")
fig.tight_layout()
plt.show()

# %% [markdown]
# Which is which:
#
# - **Saturated** (left): the first step throws the output sigmoids to 0 and 1, their derivative $h(1-h)$ is about 0,
#   and learning stops. The loss is low only because this one example happens to be memorised by outputs of 0 and 1; it stays
#   bounded (below 0.98) and stays put. The slider calls this "Saturated".
# - **Diverged** (right): each step overshoots the minimum by more than the last; the loss grows by a constant factor
#   per step, without bound, until the numbers overflow and `para_update` refuses. A smaller rate ($\alpha < 2$ here)
#   cures it.

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
# `nn.weight_grad`, `nn.hidden_unit_grad`) or your own, and your own `para_update` from above. The check also trains
# a 3-4-2 network.
#
# Compute every gradient of a step before you change any parameter: the hidden layer's gradient $W_2^\top \delta_2$
# needs the $W_2$ of this step's forward pass, not the one you have just updated. Mazur's walk-through (lesson 07)
# warns about exactly this: "we use the original weights, not the updated weights". The check names that mistake.

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
# - The original's $W_2$, $b_2$ were right (up to rounding); its $W_1$, $b_1$ inherited the transpose bug, and yet
#   it trains: a falling loss does not prove a gradient right.
# - Too small a rate crawls. On the worked example too large a rate saturates the sigmoids: the one example is
#   memorised in one jump and learning stops. On a loss without such a bound, like the bowl, too large a rate
#   diverges: the loss grows without limit.
#
# Next: the same numbers as one of the most widely read walk-throughs on the web, Matt Mazur's, which stores its
# weights the other way round. **The same example in the other layout.**
#
# ## Further reading
#
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 1, section "Learning with gradient descent":
#   <http://neuralnetworksanddeeplearning.com/chap1.html>
# - Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola, *Dive into Deep Learning*, section "Gradient
#   Descent": a learning rate too large for a bowl makes it diverge: <https://d2l.ai/chapter_optimization/gd.html>
# - The same book, section "Numerical Stability and Initialization": a saturated sigmoid's vanishing gradient:
#   <https://d2l.ai/chapter_multilayer-perceptrons/numerical-stability-and-init.html>
# - Matt Mazur, "A Step by Step Backpropagation Example" (2015): one training step worked by hand, with the warning
#   to backpropagate with the original weights, not the updated ones:
#   <https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/>
