# %% [markdown]
# # Batches and vectorisation
#
# **In this lesson you will**
#
# - go from one example `x` of shape `(in,)` to a batch `X` of shape `(n, in)`: $Z = X W^\top + b$;
# - average the loss over the batch and see how that puts a $\frac1n$ into every gradient;
# - write the shapes of every quantity in one table;
# - time a loop over examples against the vectorised version;
# - write the batch weight gradient yourself.

# %%
# %matplotlib inline
import time

import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots

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
# Here is the worked example's input with two more made-up examples:

# %%
ex = nn.worked_example()
X = np.array([ex.x, [0.5, -0.2], [1.0, 1.0]])
H1 = nn.forward_prop(ex.W1, ex.b1, X)
print("X has shape", X.shape, "-> H1 has shape", H1.shape)
print("H1 =\n", H1)
print("row 0 equals the single-example h1:", np.allclose(H1[0], nn.trace().h1, rtol=1e-14, atol=0))

# %% [markdown]
# ## The loss of a batch is a mean
#
# For a batch we average the per-example losses, $L = \frac1n \sum_i L_i$, so that the size of the loss (and of
# the gradient) does not grow with the batch. By the rules of derivatives, the gradient of a mean is the mean of
# the gradients:
#
# $$\frac{\partial L}{\partial W} = \frac1n \sum_i \delta_i\, x_i^\top = \frac1n \Delta^\top X, \qquad \Delta = \begin{bmatrix} \delta_1^\top \\ \vdots \\ \delta_n^\top \end{bmatrix}\ (n, \text{out})$$
#
# `nn.weight_grad(X, Delta)` computes the sum $\Delta^\top X$; the $\frac1n$ comes from the mean. Check the formula
# against the mean of single-example gradients:

# %%
Delta = rng.normal(size=(3, 2))
mean_of_single = sum(nn.weight_grad(x, d) for x, d in zip(X, Delta)) / len(X)
batched = nn.weight_grad(X, Delta) / len(X)
print("Delta.T @ X / n =\n", batched)
print("equals the mean of the single-example gradients:", np.allclose(batched, mean_of_single, rtol=1e-12, atol=0))

# %% [markdown]
# ## Shapes
#
# | quantity | one example | a batch of $n$ |
# |---|---|---|
# | input | `x` (in,) | `X` (n, in) |
# | weights, biases | `W` (out, in), `b` (out,) | the same |
# | pre-activation | `z = W @ x + b` (out,) | `Z = X @ W.T + b` (n, out) |
# | error | `delta` (out,) | `Delta` (n, out) |
# | weight gradient | `np.outer(delta, x)` (out, in) | `Delta.T @ X / n` (out, in) |
# | bias gradient | `delta` (out,) | `Delta.mean(axis=0)` (out,) |
# | gradient for the layer below | `W.T @ delta` (in,) | `Delta @ W` (n, in) |
#
# The gradients of the parameters keep the parameters' shapes, whatever the batch size.
#
# ## Loop or matrix product?
#
# The same gradient computed example by example in Python, and with one matrix product. The timings vary from run
# to run and machine to machine, so their output is not compared by the tests; the cell after checks the results.

# %% tags=["nbval-ignore-output"]
X_big, Delta_big = rng.normal(size=(2000, 64)), rng.normal(size=(2000, 32))
start = time.perf_counter()
loop = sum(np.outer(d, x) for x, d in zip(X_big, Delta_big)) / len(X_big)
t_loop = time.perf_counter() - start
start = time.perf_counter()
vectorised = Delta_big.T @ X_big / len(X_big)
t_vec = time.perf_counter() - start
print(f"loop: {t_loop * 1e3:.1f} ms   vectorised: {t_vec * 1e3:.2f} ms   speed-up: {t_loop / t_vec:.0f}x")

# %%
print("same result:", np.allclose(loop, vectorised, rtol=1e-10, atol=1e-12))

# %% [markdown]
# ## Exercise: the batch weight gradient
#
# Write `weight_grad_batch(X, Delta)` returning $\frac1n \Delta^\top X$ for `X` of shape `(n, in)` and `Delta` of shape
# `(n, out)`. Use one matrix product, no loop.

# %% nbgrader={"grade": false, "grade_id": "weight_grad_batch", "locked": false, "schema_version": 3, "solution": true, "task": false}
def weight_grad_batch(X, Delta):
    ### BEGIN SOLUTION
    return Delta.T @ X / X.shape[0]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_weight_grad_batch", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("weight_grad_batch", weight_grad_batch)

# %% [markdown]
# Forgetting the $\frac1n$ is the classic slip; the check names it:

# %%
check("weight_grad_batch", lambda X, Delta: Delta.T @ X)

# %% [markdown]
# ## Recap
#
# - A batch is one example per row: $Z = X W^\top + b$, shape `(n, out)`.
# - The batch loss is a mean, so every parameter gradient carries a $\frac1n$: $\frac1n \Delta^\top X$.
# - One matrix product replaces a Python loop over examples, and is far faster.
#
# Next: **layers and a network of any depth.**
