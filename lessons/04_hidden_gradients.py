# %% [markdown]
# # Hidden-layer gradients
#
# **In this lesson you will**
#
# - see why the gradient w.r.t. the hidden layer is $\partial L/\partial h_1 = W_2^\top \delta_2$: each hidden unit feeds both outputs;
# - compute $\delta_1$, $\partial L / \partial W_1$ and $\partial L / \partial b_1$;
# - read the original notebook's `W@outgrad.T`, see why its `.T` does nothing, and let finite differences decide
#   between `W @ delta` and the correct one;
# - write `hidden_unit_grad` yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import original
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)
t = nn.trace()
print("delta2 =", t.delta2)

# %% [markdown]
# ## One hidden unit feeds both outputs
#
# Hidden unit 0 reaches output 0 through $W_2[0,0]$ and output 1 through $W_2[1,0]$ (look at the network drawing:
# row $i$ of $W_2$ holds the weights *into* output $i$). Both paths carry its influence to the loss, so its
# gradient is a sum over the outputs (the chain rule with several paths adds them). Since
# $z_{2,i} = W_2[i,0]\, h_{1,0} + W_2[i,1]\, h_{1,1} + b_{2,i}$, the local derivative is $\partial z_{2,i} / \partial h_{1,0} = W_2[i,0]$, and
#
# $$\frac{\partial L}{\partial h_{1,0}} = \sum_i \frac{\partial L}{\partial z_{2,i}} \frac{\partial z_{2,i}}{\partial h_{1,0}} = \sum_i \delta_{2,i}\, W_2[i,0] = W_2[0,0]\,\delta_{2,0} + W_2[1,0]\,\delta_{2,1}$$
#
# With the numbers:

# %%
by_hand = t.W2[0, 0] * t.delta2[0] + t.W2[1, 0] * t.delta2[1]
print(f"dL/dh1[0] = {t.W2[0, 0]:.2f} * {t.delta2[0]:.8f} + {t.W2[1, 0]:.2f} * {t.delta2[1]:.8f} = {by_hand:.8f}")

# %% [markdown]
# It uses **column** 0 of $W_2$: $[0.40, 0.45]$. A column of $W_2$ is a row of $W_2^\top$, so for both units at once
#
# $$\frac{\partial L}{\partial h_1} = W_2^\top \delta_2 .$$

# %%
dL_dh1 = nn.hidden_unit_grad(t.W2, t.delta2)
print("W2.T @ delta2 =", dL_dh1)

# %% [markdown]
# ## The original notebook's `W@outgrad.T`
#
# The original notebook wrote this function:
#
# ```python
# def hiddenUnitGrad(W, outgrad):
#     grad = W@outgrad.T
#     return grad
# ```
#
# It has a `.T`, but on `outgrad` (our $\delta_2$), and that `.T` does nothing. `delta2` is a 1-D numpy array, shape
# `(2,)`: neither a row nor a column (a "rank-1 array"), and transposing a 1-D array returns it unchanged, without
# a word:

# %%
print("delta2.shape =", t.delta2.shape, "  delta2.T.shape =", t.delta2.T.shape)
print("delta2.T equals delta2:", np.array_equal(t.delta2.T, t.delta2))

# %% [markdown]
# So `W@outgrad.T` computes `W2 @ delta2`, which uses **row** 0 of $W_2$, $[0.40, 0.50]$, the weights into *output* 0.
# The transpose belongs on the matrix: `W.T @ outgrad`.

# %%
wrong = original.hidden_unit_grad(t.W2, t.delta2)
print("W2 @ delta2   =", wrong, "  (the original's formula, at full precision)")
print("W2.T @ delta2 =", dL_dh1)

# %% [markdown]
# The original printed `h1Grad = [0.03515043 0.04003979]`, not the `[0.03515054 0.04003984]` above: same formula, but
# its `delta2` came from its forward pass rounded to 4 decimals (defect 1, $\hat y = [0.7569, 0.7677]$). With that
# rounded forward pass the course reproduces its printout digit for digit:

# %%
t_orig = nn.trace(forward=original.forward_prop, hidden_grad=original.hidden_unit_grad)
print("original delta2 (a2Grad):", t_orig.delta2)
print("original h1Grad:         ", t_orig.dL_dh1)

# %% [markdown]
# Which one is right? Ask the loss itself. Nudge $h_1$ by $\pm\epsilon$ and measure the change of the loss
# (central finite differences, the subject of the next lesson):

# %%
def loss_from_h1(h1):
    return nn.mse(t.y, nn.forward_prop(t.W2, t.b2, h1))


numeric = nn.numerical_gradient(loss_from_h1, t.h1)
print("finite differences =", numeric)
print("W2.T @ delta2 agrees:", np.allclose(dL_dh1, numeric, rtol=1e-7))
print("W2 @ delta2 agrees:  ", np.allclose(wrong, numeric, rtol=1e-7))

# %% [markdown]
# As a picture: the original's values (left bars) fall short for both hidden units; the transpose (middle) and
# the loss itself (right) agree.

# %%
plots.plot_grouped_bars({"original W2 @ delta2": wrong, "W2.T @ delta2": dL_dh1, "finite differences": numeric},
                        ["dL/dh1[0]", "dL/dh1[1]"], title="Gradient w.r.t. the hidden layer: which formula is right?",
                        ylabel="dL/dh1")
plt.show()

# %% [markdown]
# The transpose is right. For a 2x2 matrix the wrong version still runs (and, lesson 06 shows, still trains), which
# is why the bug survived; for any layer with a different number of inputs and outputs, `W @ delta` would not even
# run.
#
# ## Into the hidden layer
#
# From here the steps repeat the output layer's, one layer down:
#
# $$\delta_1 = h_1 (1 - h_1) \odot \frac{\partial L}{\partial h_1}, \qquad \frac{\partial L}{\partial W_1} = \delta_1 x^\top, \qquad \frac{\partial L}{\partial b_1} = \delta_1 .$$

# %%
delta1 = nn.sigmoid_grad(t.h1, dL_dh1)
dW1 = nn.weight_grad(t.x, delta1)
print("delta1 =", delta1)
print("dW1 =\n", dW1)
print("db1 =", delta1)

# %% [markdown]
# The original's `W1grad` was built on its wrong `h1Grad`:

# %%
print("original dW1 =\n", t_orig.dW1)
print("correct / original =\n", dW1 / t_orig.dW1)

# %% [markdown]
# The original printed `W1grad = [[0.00042369, 0.00084737], [0.00048193, 0.00096386]]`; the correct values are
# about 6% to 17% larger.

# %% [markdown]
# The entries of `dW1` lie between about $4 \cdot 10^{-4}$ and $1.1 \cdot 10^{-3}$. Rounded to 4 decimals they keep only
# one or two significant digits, which is why the course prints 8:

# %%
print("dW1 rounded to 4 decimals:\n", np.round(dW1, 4))
#
# ## Exercise: write `hidden_unit_grad`
#
# Write `hidden_unit_grad(W, delta)` returning $\partial L / \partial h = W^\top \delta$, for `W` of shape `(out, in)`
# and `delta` of shape `(out,)`. The check uses shapes such as (3, 5), where only the right answer runs.

# %% nbgrader={"grade": false, "grade_id": "hidden_unit_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hidden_unit_grad(W, delta):
    ### BEGIN SOLUTION
    return W.T @ delta
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_hidden_unit_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("hidden_unit_grad", hidden_unit_grad)

# %% [markdown]
# And what the check says about the original's version:

# %%
check("hidden_unit_grad", lambda W, delta: W @ delta)

# %% [markdown]
# ## Recap
#
# - Each hidden unit feeds every output, so its gradient sums over them: a column of $W_2$, i.e. $W_2^\top \delta_2$.
# - $\delta_1 = h_1(1-h_1) \odot W_2^\top \delta_2$; $\partial L/\partial W_1 = \delta_1 x^\top$; $\partial L/\partial b_1 = \delta_1$.
# - The original's `W @ delta` is wrong, and finite differences show it.
#
# Next: make that last check systematic. **Gradient checking.**
#
# ## Further reading
#
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 2, "How the backpropagation algorithm works": its
#   equation (BP2), $\delta^l = ((w^{l+1})^\top \delta^{l+1}) \odot \sigma'(z^l)$, is this lesson's
#   $\delta_1 = h_1(1-h_1) \odot W_2^\top \delta_2$, transpose included: <http://neuralnetworksanddeeplearning.com/chap2.html>
# - Andrej Karpathy and the Stanford CS231n team, "Backpropagation, Intuitions", section "Gradients for vectorized
#   operations": let the shapes tell you where the transpose goes: <https://cs231n.github.io/optimization-2/>
# - NumPy documentation, `numpy.ndarray.T`: its example transposes a 1-D array and gets the same array back:
#   <https://numpy.org/doc/stable/reference/generated/numpy.ndarray.T.html>
