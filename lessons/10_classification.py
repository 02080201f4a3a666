# %% [markdown]
# # Classification: softmax and cross-entropy
#
# **In this lesson you will**
#
# - turn a network's outputs (logits) into class probabilities with the softmax, written so it cannot overflow;
# - measure a classifier with cross-entropy, computed so that it cannot overflow or take the log of 0, and see why
#   its gradient is simply $(P - Y)/n$;
# - build a classifier from lesson 09's layers, `nn.Network`, and train it with lesson 08's mini-batches;
# - train small networks on 2-D problems made with numpy (XOR, two moons, two spirals) and watch the decision
#   boundary form;
# - explore hidden width, learning rate and epochs with a widget;
# - write the softmax, the cross-entropy and its gradient yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import Network, data
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
print("softmax([2, 1, 0.1]) =", nn.softmax(z), " sum:", nn.softmax(z).sum())

# %% [markdown]
# Written naively, $e^{1000}$ overflows to `inf` and the result is `nan`. Subtracting the row's maximum first
# changes nothing mathematically ($e^{z_j - m} / \sum_l e^{z_l - m}$, the $e^{-m}$ cancels) but keeps every
# exponent $\le 0$:

# %%
big = np.array([[1000.0, 999.0, 0.0]])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(big) / np.exp(big).sum()
print("naive:  ", naive)
print("stable: ", nn.softmax(big))

# %% [markdown]
# The maximum must be each row's own: one example's logits can sit far below another's. Subtracting the largest
# logit of the whole batch instead leaves a low row with only exponents of about $-2000$, which are 0 in floating
# point, and $0/0$:

# %%
rows = np.array([[1000.0, 0.0], [-1000.0, -1001.0]])
with np.errstate(invalid="ignore"):
    e = np.exp(rows - rows.max())
    print("global maximum:", e / e.sum(axis=1, keepdims=True))
print("row maxima:    ", nn.softmax(rows))

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
# ## Cross-entropy: the loss of a classifier
#
# If the true class of example $i$ is $y_i$, its loss is the negative log of the probability the network gave that
# class, and the loss of a batch is the mean (lesson 08):
#
# $$L = -\frac1n \sum_i \log p_{i, y_i}.$$
#
# A confident right answer costs almost nothing; a confident wrong one costs a lot. Computed as written, a very
# confident wrong answer breaks it: with logits $[-800, 0]$ and true class 0, $p_0 = e^{-800}$ is 0 in floating
# point, and $-\log 0 = \infty$. Taking the log by hand avoids forming $p$ at all (the **log-sum-exp**, with the
# row's maximum $m_i$ subtracted as in the softmax):
#
# $$\log p_{i, y_i} = (z_{i, y_i} - m_i) - \log \sum_j e^{z_{ij} - m_i}.$$

# %%
logits, labels = np.array([[-800.0, 0.0]]), np.array([0])
with np.errstate(divide="ignore"):
    print("-log(softmax):", -np.log(nn.softmax(logits)[0, 0]))
m = logits.max(axis=1, keepdims=True)
print("log-sum-exp:  ", -((logits - m)[0, 0] - np.log(np.exp(logits - m).sum())))
print("nn.softmax_cross_entropy:", nn.softmax_cross_entropy(labels, logits))

# %% [markdown]
# ## Exercise: the cross-entropy
#
# Write `cross_entropy(labels, logits)`: the mean cross-entropy $L$ for integer `labels` of shape `(n,)` and
# `logits` of shape `(n, k)`, computed with the log-sum-exp above so that it stays finite. (The package calls it
# `nn.softmax_cross_entropy`.)

# %% nbgrader={"grade": false, "grade_id": "cross_entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
def cross_entropy(labels, logits):
    ### BEGIN SOLUTION
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(labels)), labels].mean()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_cross_entropy", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("cross_entropy", cross_entropy)

# %% [markdown]
# ## The gradient: $(P - Y)/n$
#
# With $Y$ the one-hot matrix of the labels ($k$ columns, one per class, whether or not the batch has an example of
# every class), the gradient w.r.t. the logits is
#
# $$\frac{\partial L}{\partial Z} = \frac{1}{n}(P - Y),$$
#
# because the softmax's Jacobian, $\partial p_j / \partial z_m = p_j([j = m] - p_m)$, multiplied by the log's derivative
# $-1/p_{y}$, leaves $p_m - [m = y]$. It has the same form as $\hat y - y$ for squared error, and the batch's
# $\frac1n$ enters here, once. Check it against finite differences:

# %%
logits, labels = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
analytic = nn.softmax_cross_entropy_grad(labels, logits)
numeric = nn.numerical_gradient(lambda Z: nn.softmax_cross_entropy(labels, Z), logits)
print("(P - Y) / n =\n", analytic)
print("finite differences =\n", numeric)

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
check("softmax_cross_entropy_grad", lambda labels, logits: (logits - nn.one_hot(labels, logits.shape[1])) / len(labels))

# %% [markdown]
# ## A classifier: `nn.Network`
#
# A classifier is lesson 09's network with a linear last layer, whose outputs are the logits, and the cross-entropy
# as its loss. `nn.Network([2, 8, 8, 2])` holds its `params` (three dense layers: two hidden layers of 8 units, 2
# outputs); `net.gradients(X, labels)` runs `nn.network_forward`, the loss's gradient $(P - Y)/n$ and
# `nn.network_backward`; `net.fit(X, labels, epochs=..., learning_rate=..., batch_size=...)` runs lesson 08's epochs
# of mini-batch gradient descent (a new shuffle each epoch, one step per mini-batch) and records the loss.

# %%
net = Network([2, 8, 8, 2], activation="tanh", init="lecun", seed=0)
print(net)
for i, (W, b) in enumerate(net.params, 1):
    print(f"layer {i}: W {W.shape}, b {b.shape}")

# %% [markdown]
# Its gradients, against finite differences, on a random batch:

# %%
X, labels = rng.normal(size=(6, 2)), rng.integers(0, 2, size=6)
loss, grads = net.gradients(X, labels)


def loss_of(flat):
    """The network's mean cross-entropy on (X, labels) with the parameters in `flat` ("W1", "b1", ... -> array)."""
    pairs = [[flat[f"W{i}"], flat[f"b{i}"]] for i in range(1, len(net.params) + 1)]
    return nn.softmax_cross_entropy(labels, nn.network_forward(pairs, X, ["tanh", "tanh", "linear"])[0])


def flatten(pairs):
    return {f"{name}{i}": array for i, pair in enumerate(pairs, 1) for name, array in zip("Wb", pair)}


print(f"loss {loss:.6f}")
print(nn.check_gradients(loss_of, flatten(net.params), flatten(grads)).summary())

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
# A 2-16-2 tanh network on the moons, trained with mini-batches of 20 and learning rate 0.5, drawn after 1, 10 and
# 100 epochs: the shaded regions are the class it would predict at each point of the plane.

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
# With one hidden unit the boundary is a straight line (a threshold on one weighted sum); spirals need more. Too
# large a learning rate makes training jump around or diverge (the widget says so instead of failing).

# %% tags=["nbval-ignore-output"]
widgets.classification_widget()

# %% [markdown]
# What the widget shows for the spirals with 1 and with 32 hidden units:

# %%
widgets.show_classification("spirals", hidden=1, learning_rate=0.5, epochs=200)
widgets.show_classification("spirals", hidden=32, learning_rate=0.5, epochs=200)

# %% [markdown]
# ## Recap
#
# - Softmax turns logits into probabilities; subtract each row's own maximum so it cannot overflow.
# - Cross-entropy is the mean of $-\log p_{i, y_i}$; the log-sum-exp keeps it finite even for a confident wrong
#   answer, and its gradient w.r.t. the logits is $(P - Y)/n$, where the batch's $\frac1n$ enters.
# - A classifier is the network of lesson 09 with a linear last layer and this loss, trained with lesson 08's
#   mini-batches; hidden layers let it bend its decision boundary around XOR, moons and spirals.
#
# Next: **real handwritten digits.**
#
# ## References
#
# - Fei-Fei Li, Andrej Karpathy, Justin Johnson et al., CS231n notes, "Linear classification", section "Softmax
#   classifier" (with "Practical issues: Numeric stability"): https://cs231n.github.io/linear-classify/, and "Putting
#   it together: minimal neural network case study" (a softmax network on spirals):
#   https://cs231n.github.io/neural-networks-case-study/
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 3, "The cross-entropy cost function" and
#   "Softmax": http://neuralnetworksanddeeplearning.com/chap3.html
# - Aston Zhang, Zachary C. Lipton, Mu Li, Alexander J. Smola, *Dive into Deep Learning*, section 4.1, "Softmax
#   Regression": https://d2l.ai/chapter_linear-classification/softmax-regression.html
