# %% [markdown]
# # Classification: softmax and cross-entropy
#
# **In this lesson you will**
#
# - turn a network's outputs (logits) into class probabilities with the softmax, written so it cannot overflow;
# - measure a classifier with cross-entropy, and see why the gradient of the two together is simply $P - Y$;
# - train small networks on 2-D problems made with numpy (XOR, two moons, two spirals) and watch the decision
#   boundary form;
# - explore hidden width, learning rate and epochs with a widget;
# - write the softmax and the cross-entropy gradient yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import Network, data, one_hot, softmax, softmax_cross_entropy, softmax_cross_entropy_grad
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)

# %% [markdown]
# ## Softmax: scores to probabilities
#
# For $k$ classes the last layer outputs $k$ numbers $z$, the **logits**. The softmax makes them positive and sums
# them to 1:
#
# $$p_j = \frac{e^{z_j}}{\sum_l e^{z_l}}$$

# %%
z = np.array([[2.0, 1.0, 0.1]])
print("softmax([2, 1, 0.1]) =", softmax(z), " sum:", softmax(z).sum())

# %% [markdown]
# Written naively, $e^{1000}$ overflows to `inf` and the result is `nan`. Subtracting the row's maximum first
# changes nothing mathematically ($e^{z_j - m} / \sum_l e^{z_l - m}$, the $e^{-m}$ cancels) but keeps every
# exponent $\le 0$:

# %%
big = np.array([[1000.0, 999.0, 0.0]])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(big) / np.exp(big).sum()
print("naive:  ", naive)
print("stable: ", softmax(big))

# %% [markdown]
# ## Cross-entropy, and its gradient $P - Y$
#
# If the true class of example $i$ is $y_i$, the loss is the negative log of the probability the network gave it,
# averaged over the batch: $L = -\frac1n \sum_i \log p_{i, y_i}$. A confident right answer costs almost nothing; a
# confident wrong one costs a lot. With $Y$ the one-hot matrix of the labels, the gradient w.r.t. the logits is
#
# $$\frac{\partial L}{\partial Z} = \frac{1}{n}(P - Y),$$
#
# because the softmax's Jacobian, $\partial p_j / \partial z_m = p_j([j = m] - p_m)$, multiplied by the log's derivative
# $-1/p_{y}$, leaves $p_m - [m = y]$. It has the same form as $\hat y - y$ for squared error. Check it against finite
# differences:

# %%
logits, labels = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
analytic = softmax_cross_entropy_grad(labels, logits)
numeric = nn.numerical_gradient(lambda Z: softmax_cross_entropy(labels, Z), logits)
print("(P - Y) / n =\n", analytic)
print("agrees with finite differences:", np.allclose(analytic, numeric, rtol=1e-6, atol=1e-10))
print("equals (softmax - one_hot) / n:", np.allclose(analytic, (softmax(logits) - one_hot(labels, 3)) / 4,
                                                     rtol=1e-12, atol=0))

# %% [markdown]
# ## Three problems a straight line cannot solve
#
# XOR (opposite corners share a class), two interleaving moons, two spirals. Made with numpy from a seed:

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
for ax, (name, (X, y)) in zip(axes, [("XOR", data.make_xor()), ("moons", data.make_moons()),
                                     ("spirals", data.make_spirals())]):
    for c, color, marker in ((0, plots.COLORS["blue"], "o"), (1, plots.COLORS["orange"], "s")):
        ax.scatter(*X[y == c].T, s=12, color=color, marker=marker, label=f"class {c}")
    ax.set(title=name, xlabel="x[0]", ylabel="x[1]")
    ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The decision boundary forms as the network trains
#
# A 2-16-2 tanh network on the moons, drawn after 1, 10 and 100 epochs: the shaded regions are the class it would
# predict at each point of the plane.

# %%
X, y = data.make_moons(200)
net = Network([2, 16, 2], activation="tanh", init="lecun", seed=0)
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
done = 0
for ax, epochs in zip(axes, (1, 10, 100)):
    history = net.fit(X, y, epochs=epochs - done, learning_rate=0.5, batch_size=20, seed=epochs)
    done = epochs
    plots.plot_decision_boundary(net, X, y, ax=ax, title=f"after {epochs} epoch{'s' if epochs > 1 else ''}: "
                                                         f"accuracy {net.accuracy(X, y):.2f}")
fig.tight_layout()
plt.show()

# %%
print(f"after 100 epochs: loss {net.loss(X, y):.4f}, accuracy {net.accuracy(X, y):.3f}")

# %% [markdown]
# ### Try it: width, learning rate, epochs
#
# With one hidden unit the boundary is a straight line (a threshold on one weighted sum); spirals need more. Too large a learning rate makes training jump
# around or diverge (the widget says so instead of failing).

# %% tags=["nbval-ignore-output"]
widgets.classification_widget()

# %% [markdown]
# What the widget shows for the spirals with 1 and with 32 hidden units:

# %%
widgets.show_classification("spirals", hidden=1, learning_rate=0.5, epochs=200)
widgets.show_classification("spirals", hidden=32, learning_rate=0.5, epochs=200)

# %% [markdown]
# ## Exercise: the softmax
#
# Write `softmax(z)` for logits `z` of shape `(n, k)`: each row's probabilities. Make it stable.

# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax(z):
    ### BEGIN SOLUTION
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_softmax", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("softmax", softmax)

# %% [markdown]
# ## Exercise: the cross-entropy gradient
#
# Write `softmax_cross_entropy_grad(labels, logits)`: $(P - Y)/n$ for integer `labels` of shape `(n,)` and `logits`
# of shape `(n, k)`. You may use your `softmax` from above.

# %% nbgrader={"grade": false, "grade_id": "softmax_cross_entropy_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax_cross_entropy_grad(labels, logits):
    ### BEGIN SOLUTION
    P = softmax(logits)
    P[np.arange(len(labels)), labels] -= 1
    return P / len(labels)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_softmax_cross_entropy_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("softmax_cross_entropy_grad", softmax_cross_entropy_grad)

# %% [markdown]
# Forgetting the softmax (using the logits as if they were probabilities) is a common mistake:

# %%
check("softmax_cross_entropy_grad", lambda labels, logits: (logits - one_hot(labels, logits.shape[1])) / len(labels))

# %% [markdown]
# ## Recap
#
# - Softmax turns logits into probabilities; subtract the row maximum so it cannot overflow.
# - Cross-entropy with softmax has the gradient $(P - Y)/n$ w.r.t. the logits.
# - Hidden layers let the network bend its decision boundary around XOR, moons and spirals.
#
# Next: **real handwritten digits.**
