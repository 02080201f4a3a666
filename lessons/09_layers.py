# %% [markdown]
# # Layers and a network of any depth
#
# **In this lesson you will**
#
# - meet tanh and ReLU beside the sigmoid, each with its derivative written through its output;
# - write a dense layer as a forward that returns a cache and a backward that uses it;
# - chain layers into a network of any depth, and write the backward pass that visits them last to first;
# - check every gradient of a deep network against finite differences;
# - see how depth, activation and initialisation set the size of each layer's gradient;
# - see why equal weights never break the symmetry between units, and how scaled random weights start a network.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import data
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)

# %% [markdown]
# ## Three activations
#
# $$\sigma(z) = \frac{1}{1+e^{-z}},\ \sigma' = h(1-h) \qquad \tanh(z),\ \tanh' = 1 - h^2 \qquad \mathrm{relu}(z) = \max(z, 0),\ \mathrm{relu}' = [h > 0]$$
#
# Each derivative is written through the output $h$, which the forward pass keeps anyway. The sigmoid's derivative
# is at most 0.25, so gradients shrink through many sigmoid layers; tanh's reaches 1; ReLU's is exactly 1 wherever
# the unit is on, which is why deep networks mostly use ReLU. (At $z = 0$ ReLU has a kink; we take its derivative
# there as 0.) The package keeps each activation beside its derivative in one registry, `nn.get_activation(name)`,
# with `.fn(z)` and `.grad(h, upstream)` $= f'(z) \odot$ `upstream`:

# %%
z = np.array([-2.0, 0.0, 2.0])
for name in ("sigmoid", "tanh", "relu", "linear"):
    activation = nn.get_activation(name)
    h = activation.fn(z)
    print(f"{name:>7}: h = {h}   f'(z) = {activation.grad(h, np.ones(3))}")

# %%
plots.plot_activations()
plt.show()

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
# ## A layer: forward with a cache, backward from it
#
# Backpropagation needs, for each layer, its input $X$, its weights $W$ and its output $H$. The forward pass keeps
# them in a **cache**, and the backward pass uses that cache instead of recomputing:
#
# $$\text{forward: } H = f(X W^\top + b) \qquad \text{backward: } \Delta = f'(Z) \odot \frac{\partial L}{\partial H},\ \ \frac{\partial L}{\partial W} = \Delta^\top X,\ \ \frac{\partial L}{\partial b} = \textstyle\sum_i \Delta_i,\ \ \frac{\partial L}{\partial X} = \Delta W$$
#
# These are Part I's `sigmoid_grad`, `weight_grad` and `hidden_unit_grad`, for a batch and any activation. There is
# no $\frac1n$ here: as lesson 08 showed, it enters once, in the loss's gradient, and $\partial L/\partial H$ already
# carries it, so these sums are the means of the examples' gradients.
#
# **The cache convention.** `dense_forward(W, b, X, activation)` returns `(H, cache)` with
# `cache = (X, W, H, activation)`: this tuple, in this order, with `activation` the name you were given (`"relu"`,
# `"tanh"`, `"sigmoid"` or `"linear"`). `dense_backward(dH, cache)` returns `(dX, dW, db)`. The package's
# `nn.dense_forward` and `nn.dense_backward` keep the same convention, the checks below pass caches in this form,
# and lesson 11 trains the digits with your pair.
#
# ## Exercise: the dense layer's forward
#
# Write `dense_forward(W, b, X, activation)` for `W` of shape `(out, in)`, `b` of shape `(out,)` and a batch `X` of
# shape `(n, in)`: compute $H = f(X W^\top + b)$ with `nn.get_activation(activation).fn`, and return `H` and the
# cache.

# %% nbgrader={"grade": false, "grade_id": "dense_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dense_forward(W, b, X, activation):
    ### BEGIN SOLUTION
    H = nn.get_activation(activation).fn(X @ W.T + b)
    return H, (X, W, H, activation)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_dense_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("dense_forward", dense_forward)

# %% [markdown]
# ## Exercise: the dense layer's backward
#
# Write `dense_backward(dH, cache)` for `dH` $= \partial L/\partial H$ of shape `(n, out)` and a cache
# `(X, W, H, activation)`: first $\Delta = f'(Z) \odot$ `dH`, which `nn.get_activation(activation).grad(H, dH)`
# computes through the output `H`, then return `(dX, dW, db)` with the shapes of `X`, `W` and `b`.

# %% nbgrader={"grade": false, "grade_id": "dense_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dense_backward(dH, cache):
    ### BEGIN SOLUTION
    X, W, H, activation = cache
    Delta = nn.get_activation(activation).grad(H, dH)
    return Delta @ W, Delta.T @ X, Delta.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_dense_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("dense_backward", dense_backward)

# %% [markdown]
# Dividing by $n$ in the layer, a habit from formulas that write the mean there, counts it twice. Here the package's
# layer with its `dW` and `db` divided by $n$, and what the check says of it:

# %%
def dense_backward_mean(dH, cache):
    dX, dW, db = nn.dense_backward(dH, cache)
    n = len(cache[0])
    return dX, dW / n, db / n


check("dense_backward", dense_backward_mean)

# %% [markdown]
# ## A network of any depth
#
# A network is a list of layers, `params = [[W1, b1], [W2, b2], ...]`, each `W` of shape `(out, in)`. The forward
# pass runs the layers first to last, keeping every cache (`nn.network_forward`); the last layer is usually linear.
# A network of sizes `[3, 5, 4, 2]` has three layers:

# %%
sizes, activations = [3, 5, 4, 2], ["tanh", "tanh", "linear"]
params = nn.init_params(sizes, rng, "lecun")
X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
Y_hat, caches = nn.network_forward(params, X, activations)
for i, ((W, b), (X_in, _, H, activation)) in enumerate(zip(params, caches), 1):
    print(f"layer {i}: W {W.shape}, b {b.shape}, input {X_in.shape} -> output {H.shape} ({activation})")

# %% [markdown]
# The backward pass runs them **last to first**: the loss's gradient `dout` $= \partial L/\partial \hat Y$ enters the last
# layer, and each layer's `dX` is the `dH` of the layer below it:
#
# $$dH_L = \text{dout}, \qquad (dH_{l-1}, dW_l, db_l) = \text{layer backward}(dH_l, \text{cache}_l), \quad l = L, \dots, 1.$$
#
# ## Exercise: the network's backward pass
#
# Write `network_backward(dout, caches, layer_backward)`: call `layer_backward` (for example your `dense_backward`)
# on each cache from the last to the first, feeding each layer's `dX` to the layer below, and return the gradients as
# a list of `[dW, db]` per layer, **first layer first**, shaped like `params`.

# %% nbgrader={"grade": false, "grade_id": "network_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def network_backward(dout, caches, layer_backward):
    ### BEGIN SOLUTION
    grads, dH = [None] * len(caches), dout
    for i in reversed(range(len(caches))):
        dH, dW, db = layer_backward(dH, caches[i])
        grads[i] = [dW, db]
    return grads
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_network_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("network_backward", network_backward)

# %% [markdown]
# ## Checking every gradient of the whole network
#
# As in Part I, perturb every entry of every parameter and compare with backpropagation. The loss is the batch's
# mean squared error (lesson 08), whose gradient `nn.output_grad(Y, Y_hat)` $= (\hat Y - Y)/n$ is `dout`. First with
# the package's layer and network backward:

# %%
def loss_of(flat):
    """The mean squared error of the network with the parameters in `flat` (a dict "W1", "b1", ... -> array)."""
    layers = [[flat[f"W{i}"], flat[f"b{i}"]] for i in range(1, len(params) + 1)]
    return nn.mse(Y, nn.network_forward(layers, X, activations)[0])


def flatten(pairs):
    return {f"{name}{i}": array for i, pair in enumerate(pairs, 1) for name, array in zip("Wb", pair)}


grads = nn.network_backward(nn.output_grad(Y, Y_hat), caches, nn.dense_backward)
print(nn.check_gradients(loss_of, flatten(params), flatten(grads)).summary())

# %% [markdown]
# And with yours, all three together: your `dense_forward` builds the caches, your `network_backward` runs your
# `dense_backward` through them. (In the learner's version this waits until they are written.)

# %%
try:
    your_output, your_caches = nn.network_forward(params, X, activations, layer_forward=dense_forward)
    your_grads = network_backward(nn.output_grad(Y, your_output), your_caches, dense_backward)
    print(nn.check_gradients(loss_of, flatten(params), flatten(your_grads)).summary())
except NotImplementedError:
    print("Write dense_forward, dense_backward and network_backward above first.")

# %% [markdown]
# ## Try it: depth and activation against the gradient's size in each layer
#
# A network of `depth` hidden layers of 64 units and a linear output layer, on a random batch of 100 inputs with
# random targets. Each point is the size of one layer's weight gradient $|dW|$ on a log scale of at least three
# decades, first layer on the left. Each sigmoid layer multiplies the gradient by its derivative, at most 0.25, on the way down.

# %% tags=["nbval-ignore-output"]
widgets.gradient_sizes_widget()

# %% [markdown]
# What the slider shows for six hidden layers of sigmoid, of tanh (both with LeCun's initialisation, below) and of
# ReLU (with He's):

# %%
widgets.show_gradient_sizes(6, "sigmoid", "lecun")
widgets.show_gradient_sizes(6, "tanh", "lecun")
widgets.show_gradient_sizes(6, "relu", "he")

# %% [markdown]
# Through six sigmoid layers the first layer's gradient is $6.2 \times 10^{-5}$ times the last layer's: the layers
# near the input would barely learn. Tanh with LeCun's initialisation keeps every layer's gradient about the same
# size (the first is 1.1 times the last), ReLU with He's within a factor of five (from 1.3e+01 to 6.1e+01; the first
# is 0.25 times the last). Part III comes back to this.
#
# ## Initialisation: why not all equal?
#
# If every weight starts at the same value, every hidden unit computes the same thing, receives the same gradient
# and takes the same step: they stay identical forever, and the layer is as good as one unit. (With all zeros it is
# even worse here: the output layer's zero weights send no gradient back at all.) Start every weight of a 2-6-2 tanh
# network at 0.3, take 200 steps of gradient descent on the moons' mean squared error, and look at the first layer's
# weights, one row per hidden unit:

# %%
X_moons, labels_moons = data.make_moons(200)
Y_moons = nn.one_hot(labels_moons, 2)
same = [[np.full((6, 2), 0.3), np.zeros(6)], [np.full((2, 6), 0.3), np.zeros(2)]]
for step in range(200):
    output, moon_caches = nn.network_forward(same, X_moons, ["tanh", "linear"])
    moon_grads = nn.network_backward(nn.output_grad(Y_moons, output), moon_caches)
    same = [[W - 0.5 * dW, b - 0.5 * db] for (W, b), (dW, db) in zip(same, moon_grads)]
print("first-layer weights after 200 steps:\n", np.round(same[0][0], 4))
accuracy = np.mean(nn.network_forward(same, X_moons, ["tanh", "linear"])[0].argmax(axis=1) == labels_moons)
print(f"accuracy on the moons: {accuracy:.3f}")

# %% [markdown]
# The six rows are still equal: the layer is six copies of one unit.
#
# Random weights break the symmetry. Their scale matters too. For one unit $z = \sum_{j=1}^{n_\text{in}} W_j x_j$ with
# independent zero-mean weights and inputs, $\mathrm{Var}(z) = n_\text{in} \mathrm{Var}(W) \mathrm{Var}(x)$, so:
#
# | name (`init=`) | variance of the weights | for |
# |---|---|---|
# | LeCun (`"lecun"`) | $1/n_\text{in}$: keeps the forward signal's variance | tanh, sigmoid |
# | Glorot, also called Xavier (`"xavier"`) | $2/(n_\text{in} + n_\text{out})$: between the forward and the backward pass's $1/n_\text{out}$ | tanh, sigmoid |
# | He (`"he"`) | $2/n_\text{in}$: a ReLU zeroes half its inputs, so twice as much | ReLU |
#
# (For a square layer, $n_\text{in} = n_\text{out}$, Glorot's and LeCun's are the same.) Too small, and signals fade
# to 0 layer after layer; too large, and tanh units saturate at $\pm 1$, where their derivative is 0 and nothing is
# learned. Five tanh layers of 100 units each, from the same inputs:

# %%
deep_X = rng.normal(size=(500, 100))
for name, make in [("tiny: N(0, 0.01^2)", lambda: rng.normal(scale=0.01, size=(100, 100))),
                   ("LeCun: N(0, 1/100)", lambda: nn.lecun_init(100, 100, rng)),
                   ("large: N(0, 1)", lambda: rng.normal(size=(100, 100)))]:
    H = deep_X
    for _ in range(5):
        H = np.tanh(H @ make().T)
    print(f"{name:>20}: 5th layer's outputs: std {H.std():.2f}, saturated (|h| > 0.99) {np.mean(np.abs(H) > 0.99):.0%}")

# %% [markdown]
# ## Recap
#
# - Each activation sits beside its derivative, written through its output: $h(1-h)$, $1-h^2$, $[h > 0]$.
# - A layer is a forward that returns $H$ and the cache $(X, W, H, \text{activation})$, and a backward that returns
#   $\partial L/\partial X = \Delta W$, $\partial L/\partial W = \Delta^\top X$, $\partial L/\partial b = \sum_i \Delta_i$, with no $\frac1n$.
# - A network runs its layers' forwards first to last and their backwards last to first, each `dX` feeding the layer
#   below; finite differences confirm every gradient.
# - Sigmoid layers shrink the gradient on its way to the input; equal weights keep every unit identical; random
#   weights scaled by LeCun's, Glorot's or He's rule break the symmetry and keep signals at a steady size.
#
# Next: **classification**, with softmax and cross-entropy.
#
# ## References
#
# - Fei-Fei Li, Andrej Karpathy, Justin Johnson et al., CS231n, assignment 1, the fully-connected network built from
#   `affine_forward`/`affine_backward` with caches: https://cs231n.github.io/assignments2025/assignment1/, and the
#   notes "Neural Networks Part 1" (activations): https://cs231n.github.io/neural-networks-1/ and "Part 2" (weight
#   initialisation): https://cs231n.github.io/neural-networks-2/
# - Andrew Ng, *Neural Networks and Deep Learning* (Deep Learning Specialization, course 1, DeepLearning.AI),
#   week 4, "Building your Deep Neural Network: Step by Step" (an L-layer network with caches):
#   https://www.coursera.org/learn/neural-networks-deep-learning
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 2, "How the backpropagation algorithm works":
#   http://neuralnetworksanddeeplearning.com/chap2.html
# - Aston Zhang, Zachary C. Lipton, Mu Li, Alexander J. Smola, *Dive into Deep Learning*, section 5.4, "Numerical
#   Stability and Initialization": https://d2l.ai/chapter_multilayer-perceptrons/numerical-stability-and-init.html
