# %% [markdown]
# # Batches and mini-batches
#
# **In this lesson you will**
#
# - go from one example `x` of shape `(in,)` to a batch `X` of shape `(n, in)`: $Z = X W^\top + b$;
# - take the loss of a batch as the mean of its examples' losses, and see its $\frac1n$ enter once, in the loss's
#   gradient, and reach every other gradient from there;
# - write the shapes of every quantity in one table, and time a loop over examples against one matrix product;
# - meet mini-batches, epochs and shuffling, and see with a slider how the batch size sets the gradient's noise;
# - write the batch weight gradient and one epoch of mini-batch gradient descent yourself, and train with it.

# %%
# %matplotlib inline
import dataclasses
import timeit

import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import data
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)

# %% [markdown]
# ## One example per row
#
# In Part I, `x` was one example. A **batch** stacks $n$ examples as the rows of `X`, shape `(n, in)`. Each row
# goes through the same layer, so row $i$ of $Z$ is $W x_i + b$. Written for all rows at once:
#
# $$Z = X W^\top + b \qquad (n, \text{out}) = (n, \text{in})\,(\text{in}, \text{out}) + (\text{out},)$$
#
# The bias is added to every row (numpy's broadcasting). The shapes, drawn to scale for 4 examples, 3 inputs and
# 2 outputs:

# %%
plots.draw_batch_shapes(n=4, n_in=3, n_out=2)
plt.show()

# %% [markdown]
# Here is the worked example's input with two more made-up examples, and a target for each:

# %%
ex = nn.worked_example()
X = np.array([ex.x, [0.5, -0.2], [1.0, 1.0]])
Y = np.array([ex.y, [0.2, 0.8], [0.9, 0.1]])
H1 = nn.forward_prop(ex.W1, ex.b1, X)
Y_hat = nn.forward_prop(ex.W2, ex.b2, H1)
print("X has shape", X.shape, "-> H1 has shape", H1.shape, "-> Y_hat has shape", Y_hat.shape)
print("H1 =\n", H1)
print("row 0 of H1 is the worked example's h1:", H1[0], "=", nn.trace().h1)

# %% [markdown]
# ## The loss of a batch is a mean
#
# The loss of a batch is the mean of its examples' losses,
#
# $$L = \frac1n \sum_{i=1}^n L_i, \qquad L_i = \tfrac12 \sum_k (\hat y_{ik} - y_{ik})^2,$$
#
# so that its size, and its gradient's, does not grow with the batch. `nn.mse` computes it for a batch (one example
# per row). Row 0 is the worked example, whose loss is Part I's 0.3036583136:

# %%
losses = [nn.mse(y, y_hat) for y, y_hat in zip(Y, Y_hat)]
print("each example's loss:", ", ".join(f"{loss:.10f}" for loss in losses))
print(f"their mean:          {np.mean(losses):.10f}")
print(f"nn.mse(Y, Y_hat):    {nn.mse(Y, Y_hat):.10f}")

# %% [markdown]
# A mean, not a sum: three examples whose two outputs are each off by 1 have a loss of $\tfrac12 (1 + 1) = 1$ each,
# and the batch has a loss of 1.0, not 3.0.

# %%
print("nn.mse(zeros, ones) for a batch of 3 examples with 2 outputs:", nn.mse(np.zeros((3, 2)), np.ones((3, 2))))

# %% [markdown]
# ## The 1/n enters once, in the loss's gradient
#
# The gradient of the mean w.r.t. the outputs is each example's $\hat y_i - y_i$, divided by $n$:
#
# $$\frac{\partial L}{\partial \hat Y} = \frac1n (\hat Y - Y),$$
#
# which `nn.output_grad(Y, Y_hat)` computes for a batch. This is the only place the $\frac1n$ is written.
# Everything backpropagated from here carries it: the rows of $\Delta_2 = \sigma'(Z_2) \odot \partial L/\partial \hat Y$
# are Part I's $\delta_2$ of each example, divided by $n$, and the parameters' gradients are plain **sums** over the
# batch, which are therefore the means of the examples' gradients:
#
# $$\frac{\partial L}{\partial W_2} = \sum_i \delta_{2,i}\, h_{1,i}^\top = \Delta_2^\top H_1, \qquad
#   \frac{\partial L}{\partial b_2} = \sum_i \delta_{2,i}, \qquad \frac{\partial L}{\partial H_1} = \Delta_2 W_2.$$
#
# Part I's functions take a batch unchanged: `nn.weight_grad(H1, Delta2)` is $\Delta_2^\top H_1$ and
# `nn.hidden_unit_grad(W2, Delta2)` is $\Delta_2 W_2$.

# %%
dY_hat = nn.output_grad(Y, Y_hat)                          # (Y_hat - Y) / n: the 1/n enters here
Delta2 = nn.sigmoid_grad(Y_hat, dY_hat)
Delta1 = nn.sigmoid_grad(H1, nn.hidden_unit_grad(ex.W2, Delta2))
dW1, db1 = nn.weight_grad(X, Delta1), Delta1.sum(axis=0)  # plain sums over the batch
dW2, db2 = nn.weight_grad(H1, Delta2), Delta2.sum(axis=0)
print("dL/dY_hat = (Y_hat - Y) / 3 =\n", dY_hat)
print("dW1 of the batch =\n", dW1)

# %% [markdown]
# Part I's `nn.trace` computes every gradient of one example. The mean of the three examples' `dW1` is the batch's:

# %%
singles = [nn.trace(dataclasses.replace(ex, x=x, y=y)) for x, y in zip(X, Y)]
print("mean of the three examples' dW1 =\n", np.mean([t.dW1 for t in singles], axis=0))
print("mean of the three examples' db2 =", np.mean([t.db2 for t in singles], axis=0), "  batch db2 =", db2)

# %% [markdown]
# ## Shapes
#
# | quantity | one example | a batch of $n$ |
# |---|---|---|
# | input | `x` (in,) | `X` (n, in) |
# | weights, biases | `W` (out, in), `b` (out,) | the same |
# | pre-activation | `z = W @ x + b` (out,) | `Z = X @ W.T + b` (n, out) |
# | loss | $\tfrac12 \sum_k (\hat y_k - y_k)^2$ | the mean of the rows' losses |
# | gradient w.r.t. the outputs | `y_hat - y` (out,) | `(Y_hat - Y) / n` (n, out): the 1/n enters here |
# | error | `delta` (out,) | `Delta` (n, out), carrying the 1/n |
# | weight gradient | `np.outer(delta, x)` (out, in) | `Delta.T @ X` (out, in) |
# | bias gradient | `delta` (out,) | `Delta.sum(axis=0)` (out,) |
# | gradient for the layer below | `W.T @ delta` (in,) | `Delta @ W` (n, in) |
#
# The gradients of the parameters keep the parameters' shapes, whatever the batch size.
#
# ## Loop or matrix product?
#
# The same weight gradient computed example by example in Python, and with one matrix product. Each is timed a few
# times and the fastest run kept, so that a moment when the computer is busy with something else does not count.
# The timings still vary from machine to machine, so their output is not compared by the tests; the cell after
# prints the results.

# %% tags=["nbval-ignore-output"]
X_big = rng.normal(size=(2000, 64))
Delta_big = rng.normal(size=(2000, 32)) / 2000  # a Delta carries the 1/n
loop = sum(np.outer(d, x) for x, d in zip(X_big, Delta_big))
vectorised = Delta_big.T @ X_big
t_loop = min(timeit.repeat(lambda: sum(np.outer(d, x) for x, d in zip(X_big, Delta_big)), number=1, repeat=3))
t_vec = min(timeit.repeat(lambda: Delta_big.T @ X_big, number=1, repeat=10))  # the fastest of 10 runs
print(f"loop: {t_loop * 1e3:.1f} ms   vectorised: {t_vec * 1e3:.2f} ms   speed-up: {t_loop / t_vec:.0f}x")

# %%
np.testing.assert_allclose(vectorised, loop, rtol=1e-10, atol=1e-15)  # the same (32, 64) gradient both ways
print("loop:      ", loop[0, :4])
print("vectorised:", vectorised[0, :4])

# %% [markdown]
# ## Exercise: the batch weight gradient
#
# Write `weight_grad_batch(X, Delta)` returning $\partial L/\partial W = \Delta^\top X$ for `X` of shape `(n, in)` and
# `Delta` $= \partial L/\partial Z$ of shape `(n, out)`, the gradient of the batch's mean loss (it already carries the
# $\frac1n$). Use one matrix product, no loop.

# %% nbgrader={"grade": false, "grade_id": "weight_grad_batch", "locked": false, "schema_version": 3, "solution": true, "task": false}
def weight_grad_batch(X, Delta):
    ### BEGIN SOLUTION
    return Delta.T @ X
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_weight_grad_batch", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("weight_grad_batch", weight_grad_batch)

# %% [markdown]
# Dividing by $n$ again is the classic slip when the $\frac1n$ is written in more than one place; the check names it:

# %%
check("weight_grad_batch", lambda X, Delta: Delta.T @ X / len(X))

# %% [markdown]
# ## Mini-batches, epochs and shuffling
#
# Gradient descent (lesson 06) steps with the gradient of the loss of **all** $n$ training examples: one step per
# pass over the data. With many examples that is slow, and one step's worth of information costs the whole set.
#
# - A **mini-batch** is a random subset of $B$ examples. The gradient of its mean loss estimates the full gradient:
#   right on average, off by some noise, at $B/n$ of the cost. Stepping with mini-batch gradients is
#   **stochastic gradient descent (SGD)** (strictly $B = 1$; the name is used for any $B$, as here).
# - An **epoch** is one pass over the training set: put the $n$ examples in a random order, cut that order into
#   mini-batches of $B$, and take one step per mini-batch, $\lceil n/B \rceil$ steps. When $B$ does not divide $n$
#   the last mini-batch is smaller; keep it, or its examples are never trained on in that epoch.
# - **Shuffling** draws a new order every epoch, one order for the inputs and the labels together, so that each
#   example keeps its label. Without it, every epoch would repeat the same batches in the same order, and a data
#   file sorted by class (many are) would give batches of a single class.
#
# `Network.fit(epochs=..., batch_size=...)`, from lesson 10 on, runs these epochs and records the loss of each.
#
# ## Try it: the batch size against the gradient's noise
#
# The network of the worked example's kind (sigmoid layers, squared error), with 8 hidden units, on 200 points of
# two interleaving moons (lesson 10 shows them), at its initial weights. The slider draws 300 random mini-batches of
# the chosen size and shows how far their gradients fall from the full-batch gradient (the root-mean-square of the
# distance, "rms"). Drawing without replacement, the spread of mini-batches of $B$ is predicted to be the spread of
# single examples' gradients times $\sqrt{(n - B)/(B (n - 1))}$: it shrinks like $1/\sqrt{B}$ and is 0 at $B = n$.

# %% tags=["nbval-ignore-output"]
widgets.batch_noise_widget()

# %% [markdown]
# What the slider shows for batches of 1, 10 and 200 (all 200 points):

# %%
for batch_size in (1, 10, 200):
    widgets.show_batch_noise(batch_size)

# %% [markdown]
# With one example per step the gradient is off by more than its own length; with 10 the error is about a third of
# the single-example one ($1/\sqrt{10}$, corrected for drawing without replacement); with all 200 it is the full
# gradient. Small batches take many cheap, noisy steps per epoch; large ones take few, accurate, expensive ones.
#
# ## Exercise: one epoch of mini-batch gradient descent
#
# Write `train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng)`:
#
# - `params` is a list of `[W, b]` per layer; `gradients(params, X_batch, labels_batch)` returns `(loss, grads)`,
#   with `grads` shaped like `params` (a list of `[dW, db]`), for the batch's mean loss;
# - shuffle once: `order = rng.permutation(len(X))` (the first line, given, turns a seed into a Generator, so that
#   `rng` may be either);
# - mini-batch $k$ is the rows `order[k*B:(k+1)*B]` of `X` and of `labels`, the last one smaller if need be;
# - for each mini-batch, take its gradients at the current parameters and step every array,
#   `W - learning_rate * dW` (and `b`), building new arrays, not changing the given ones;
# - return the new list of `[W, b]`.

# %% nbgrader={"grade": false, "grade_id": "train_epoch", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_epoch(params, gradients, X, labels, learning_rate, batch_size, rng):
    rng = np.random.default_rng(rng)  # a Generator, whether you were given one or a seed
    ### BEGIN SOLUTION
    order = rng.permutation(len(X))
    for first in range(0, len(X), batch_size):
        rows = order[first:first + batch_size]
        loss, grads = gradients(params, X[rows], labels[rows])
        params = [[W - learning_rate * dW, b - learning_rate * db] for (W, b), (dW, db) in zip(params, grads)]
    return params
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_train_epoch", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("train_epoch", train_epoch)

# %% [markdown]
# ## Training with your epoch
#
# The gradients of the 2-8-2 sigmoid network with the batch's mean squared error, written with Part I's functions,
# which take a batch unchanged (the moons' labels 0 and 1 become the one-hot targets $[1, 0]$ and $[0, 1]$):

# %%
X_moons, labels_moons = data.make_moons(200)
Y_moons = nn.one_hot(labels_moons, 2)


def sigmoid_network_gradients(params, X, Y):
    """The mean squared error of a batch and its gradients [[dW1, db1], [dW2, db2]], Part I's way."""
    (W1, b1), (W2, b2) = params
    H1 = nn.forward_prop(W1, b1, X)
    Y_hat = nn.forward_prop(W2, b2, H1)
    Delta2 = nn.sigmoid_grad(Y_hat, nn.output_grad(Y, Y_hat))  # carries the 1/n
    Delta1 = nn.sigmoid_grad(H1, nn.hidden_unit_grad(W2, Delta2))
    grads = [[nn.weight_grad(X, Delta1), Delta1.sum(axis=0)], [nn.weight_grad(H1, Delta2), Delta2.sum(axis=0)]]
    return nn.mse(Y, Y_hat), grads


def moons_accuracy(params):
    """The share of the moons whose larger output is their class."""
    (W1, b1), (W2, b2) = params
    return np.mean(nn.forward_prop(W2, b2, nn.forward_prop(W1, b1, X_moons)).argmax(axis=1) == labels_moons)


# %% [markdown]
# Fifty epochs with your `train_epoch`, learning rate 2, from the same initial weights for three batch sizes: small
# random weights drawn by `nn.init_params` (lesson 09 explains its scale, `"lecun"`), biases 0. (In the learner's
# version this cell waits until `train_epoch` is written.)

# %%
curves = {}
try:
    for batch_size in (1, 10, 200):
        params, epoch_rng = nn.init_params([2, 8, 2], np.random.default_rng(0), "lecun"), np.random.default_rng(0)
        curve = [sigmoid_network_gradients(params, X_moons, Y_moons)[0]]
        for epoch in range(50):
            params = train_epoch(params, sigmoid_network_gradients, X_moons, Y_moons, 2.0, batch_size, epoch_rng)
            curve.append(sigmoid_network_gradients(params, X_moons, Y_moons)[0])
        steps = -(-200 // batch_size)  # ceil(200 / B)
        curves[f"batch size {batch_size} ({steps} step{'s' if steps > 1 else ''} per epoch)"] = curve
        print(f"batch size {batch_size:3d}: loss {curve[0]:.4f} -> {curve[-1]:.4f} after 50 epochs, "
              f"accuracy {moons_accuracy(params):.3f}")
except NotImplementedError:
    print("Write train_epoch above first (its check says 'not written yet').")

# %%
if curves:
    fig = plots.plot_loss_curves(curves, title="Mean squared error on the 200 moons, per epoch")
    fig.axes[0].set_xlabel("epoch")
    plt.show()

# %% [markdown]
# Per epoch, one example per step wins by far: 200 steps against 1. Per step, the full batch is the most accurate.
# Between the two, batches of 10 to a few hundred are the usual choice: matrix products make them cheap, and their
# noise is small. The package's `nn.train_epoch` is the same function; from the same start and the same Generator
# it gives the same parameters:

# %%
if curves:
    mine = theirs = nn.init_params([2, 8, 2], np.random.default_rng(0), "lecun")
    rng_mine, rng_theirs = np.random.default_rng(0), np.random.default_rng(0)
    for epoch in range(5):
        mine = train_epoch(mine, sigmoid_network_gradients, X_moons, Y_moons, 2.0, 10, rng_mine)
        theirs = nn.train_epoch(theirs, sigmoid_network_gradients, X_moons, Y_moons, 2.0, 10, rng_theirs)
    print("yours after 5 epochs, W2 =\n", mine[1][0])
    print("nn.train_epoch's,     W2 =\n", theirs[1][0])
else:
    print("Write train_epoch above first.")

# %% [markdown]
# ## Recap
#
# - A batch is one example per row: $Z = X W^\top + b$, shape `(n, out)`.
# - The loss of a batch is the mean of its examples' losses; its $\frac1n$ enters once, in the loss's gradient
#   $(\hat Y - Y)/n$, and every other gradient is a plain sum over the batch: $\Delta^\top X$, $\sum_i \Delta_i$.
# - One matrix product replaces a Python loop over examples, and is far faster.
# - An epoch shuffles the examples (inputs and labels together) and steps once per mini-batch, the last one kept
#   even when smaller; the batch size trades the gradient's noise against the cost of a step.
#
# Next: **layers and a network of any depth.**
#
# ## References
#
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 1, "Learning with gradient descent" (mini-batches,
#   epochs and stochastic gradient descent) and chapter 2, "The backpropagation algorithm" (the matrix form for a
#   mini-batch): http://neuralnetworksanddeeplearning.com/chap1.html, http://neuralnetworksanddeeplearning.com/chap2.html
# - Aston Zhang, Zachary C. Lipton, Mu Li, Alexander J. Smola, *Dive into Deep Learning*, section 12.5,
#   "Minibatch Stochastic Gradient Descent" (vectorisation, and the noise and cost of a mini-batch):
#   https://d2l.ai/chapter_optimization/minibatch-sgd.html
# - Andrej Karpathy, Justin Johnson, Fei-Fei Li et al., CS231n notes, "Optimization: Stochastic Gradient Descent"
#   (mini-batch gradient descent): https://cs231n.github.io/optimization-1/
