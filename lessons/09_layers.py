# %% [markdown]
# # Layers and a network of any depth
#
# **In this lesson you will**
#
# - package a dense layer as a forward that returns a cache and a backward that uses it;
# - meet tanh and ReLU beside the sigmoid, with their derivatives;
# - build a network from a list of sizes and check all its gradients against finite differences;
# - see why all-zero weights never break the symmetry between units, and how scaled random initialisation does;
# - write the ReLU's backward yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import Network, data, dense_backward, dense_forward
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)

# %% [markdown]
# ## A layer: forward with a cache, backward from it
#
# Backpropagation needs, for each layer, its input $X$, its weights $W$ and its output $H$. The forward pass keeps
# them in a **cache**, and the backward pass uses that cache instead of recomputing:
#
# $$\text{forward: } H = f(X W^\top + b) \qquad \text{backward: } \Delta = f'(Z) \odot \frac{\partial L}{\partial H},\ \ \frac{\partial L}{\partial W} = \Delta^\top X,\ \ \frac{\partial L}{\partial b} = \textstyle\sum_i \Delta_i,\ \ \frac{\partial L}{\partial X} = \Delta W$$
#
# These are Part I's `sigmoid_grad`, `weight_grad` and `hidden_unit_grad`, for a batch. There is no $\frac1n$ here:
# it is already inside $\partial L/\partial H$, which starts as $(P - Y)/n$ at the output (next lesson), so these sums
# are the previous lesson's means.

# %%
W, b, X = rng.normal(size=(3, 5)), rng.normal(size=3), rng.normal(size=(4, 5))
H, cache = dense_forward(W, b, X, "sigmoid")
dH = rng.normal(size=H.shape)
dX, dW, db = dense_backward(dH, cache)
delta = nn.sigmoid_grad(H, dH)
print("H:", H.shape, " dX:", dX.shape, " dW:", dW.shape, " db:", db.shape)
print("dW equals weight_grad(X, delta):", np.allclose(dW, nn.weight_grad(X, delta), rtol=1e-14, atol=0))
print("dX equals hidden_unit_grad(W, delta):", np.allclose(dX, nn.hidden_unit_grad(W, delta), rtol=1e-14, atol=0))

# %% [markdown]
# ## Three activations
#
# $$\sigma(z) = \frac{1}{1+e^{-z}},\ \sigma' = h(1-h) \qquad \tanh(z),\ \tanh' = 1 - h^2 \qquad \mathrm{relu}(z) = \max(z, 0),\ \mathrm{relu}' = [h > 0]$$
#
# Each derivative is written through the output $h$. The sigmoid's derivative is at most 0.25, so gradients shrink
# through many sigmoid layers; tanh's reaches 1; ReLU's is exactly 1 wherever the unit is on, which is why deep
# networks mostly use ReLU. (At $z = 0$ ReLU has a kink; we take its derivative there as 0.)

# %%
plots.plot_activations()
plt.show()

# %% [markdown]
# ## A network from a list of sizes
#
# `Network([2, 8, 8, 2])` has two hidden layers of 8 units and 2 outputs: three dense layers. Its hidden layers
# share one activation; the last layer is linear, its outputs are the **logits** of the next lesson's softmax.

# %%
net = Network([2, 8, 8, 2], activation="tanh", init="lecun", seed=0)
print(net)
for i, (W, b) in enumerate(net.params, 1):
    print(f"layer {i}: W {W.shape}, b {b.shape}")

# %% [markdown]
# ## Checking every gradient of the whole network
#
# As in Part I, perturb every entry of every parameter and compare with backpropagation, here on random data.

# %%
X, labels = rng.normal(size=(6, 2)), rng.integers(0, 2, size=6)
loss, grads = net.gradients(X, labels)


def loss_with(params):
    """The network's loss with the parameters in `params` (a dict name -> array)."""
    saved = [[W.copy(), b.copy()] for W, b in net.params]
    for i, pair in enumerate(net.params):
        pair[0][...], pair[1][...] = params[f"W{i + 1}"], params[f"b{i + 1}"]
    value = net.loss(X, labels)
    for pair, (W, b) in zip(net.params, saved):
        pair[0][...], pair[1][...] = W, b
    return value


params = {f"{k}{i + 1}": v.copy() for i, pair in enumerate(net.params) for k, v in zip("Wb", pair)}
analytic = {f"{k}{i + 1}": g for i, pair in enumerate(grads) for k, g in zip("Wb", pair)}
report = nn.check_gradients(loss_with, params, analytic)
print(report.summary())

# %% [markdown]
# ## Initialisation: why not all zeros?
#
# If every weight starts at the same value, every hidden unit computes the same thing, receives the same gradient
# and takes the same step: they stay identical forever, and the layer is as good as one unit. With all zeros it is
# even worse here: the output layer's zero weights send no gradient back at all. Start every weight at 0.3
# instead, train, and look at the hidden units' weights:

# %%
X_moons, y_moons = data.make_moons(200)
same = Network([2, 6, 2], activation="tanh", init="zeros")
for W, b in same.params:
    W += 0.3  # every weight the same value
same.fit(X_moons, y_moons, epochs=50, learning_rate=0.5)
print("first-layer weights after training (one row per hidden unit):\n", np.round(same.params[0][0], 4))
print("all six hidden units are still identical:", np.allclose(same.params[0][0], same.params[0][0][0]))
print(f"accuracy: {same.accuracy(X_moons, y_moons):.3f}")

# %% [markdown]
# Random weights break the symmetry. Their scale matters too: with $n_\text{in}$ inputs, drawing
# $W \sim \mathcal N(0, 2/n_\text{in})$ ("He" initialisation, for ReLU) or $\mathcal N(0, 1/n_\text{in})$ ("Xavier" in its
# simplest, square-layer form, also called LeCun's, for tanh and sigmoid) keeps the activations in a useful range
# through the layers. Too small, and signals fade to 0; too large, and tanh units saturate at $\pm 1$, where their
# derivative is 0 and nothing is learned. Five tanh layers of 100 units each:

# %%
deep_X = rng.normal(size=(500, 100))
for scale, name in [(0.01, "tiny N(0, 0.01^2)"), (np.sqrt(1 / 100), "Xavier N(0, 1/100)"), (1.0, "large N(0, 1)")]:
    H = deep_X
    for _ in range(5):
        H = np.tanh(H @ (rng.normal(size=(100, 100)) * scale).T)
    print(f"{name:>20}: 5th layer's outputs: std {H.std():.2f}, saturated (|h| > 0.99) {np.mean(np.abs(H) > 0.99):.0%}")

# %% [markdown]
# ## Exercise: the ReLU's backward
#
# Write `relu_grad(h, upstream)`: the upstream gradient where the unit was on ($h > 0$) and 0 where it was off. `h`
# and `upstream` have the same shape (a batch).

# %% nbgrader={"grade": false, "grade_id": "relu_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def relu_grad(h, upstream):
    ### BEGIN SOLUTION
    return np.where(h > 0, upstream, 0.0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_relu_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("relu_grad", relu_grad)

# %% [markdown]
# The check includes exact zeros, where `h >= 0` and `h > 0` differ:

# %%
check("relu_grad", lambda h, upstream: (h >= 0) * upstream)

# %% [markdown]
# ## Recap
#
# - A layer is a forward that caches $X, W, H$ and a backward that returns $\partial L/\partial X$, $\partial L/\partial W$, $\partial L/\partial b$.
# - A network is a list of layers; backpropagation runs the backwards in reverse order.
# - All-zero weights keep every unit identical; scaled random weights (He, Xavier) break the symmetry and keep
#   signals at a steady size.
#
# Next: **classification**, with softmax and cross-entropy.
