# %% [markdown]
# # The same example in the other layout
#
# **In this lesson you will**
#
# - meet Matt Mazur's "A Step by Step Backpropagation Example", one of the most widely read backpropagation
#   walk-throughs on the web, which uses the same numbers in the other weight layout, learning rate 0.5 and frozen
#   biases;
# - reproduce its forward values, its gradients and its updated weights with the same functions, through options;
# - see why conventions matter, and which one PyTorch uses;
# - write a forward pass for the other layout yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots

np.set_printoptions(precision=9, suppress=True)  # the walk-through prints 9 decimals

# %% [markdown]
# ## Same numbers, other network
#
# The walk-through ([Matt Mazur, 2015](https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/)) has
# inputs 0.05 and 0.10, targets 0.01 and 0.99, weights .15 .20 .25 .30 and .40 .45 .50 .55, biases .35 and .60.
# But it writes
#
# $$net_{h1} = w_1 i_1 + w_2 i_2 + b_1 = 0.15 \cdot 0.05 + 0.20 \cdot 0.10 + 0.35 = 0.3775,$$
#
# where our $z_{1,0} = 0.15 \cdot 0.05 + 0.25 \cdot 0.10 + 0.35 = 0.3825$. It stores the matrix we print as `W1` with
# *inputs* along the rows, shape `(in, out)`: its network is ours with $W_1$ and $W_2$ transposed.
# `worked_example(layout="in_out")` gives the same arrays marked as that layout, and every function of the package
# takes the same `layout` option:

# %%
theirs = nn.worked_example(layout="in_out")
print("W1 =\n", theirs.W1)
print("read as (in, out), column 0 holds the weights into h1:", theirs.W1[:, 0])
print("z1 =", nn.forward_prop(theirs.W1, theirs.b1, theirs.x, activation="linear", layout="in_out"))

# %% [markdown]
# Drawn in its own layout, each edge carries its entry of the walk-through's matrices: `W1[j, i]` joins input `j` to
# hidden unit `i` (a row per input, a column per unit), and each layer computes $\sigma(W_1^\top x + b_1)$. The edge from
# `x[1]` to `h1[0]`, the walk-through's $w_2$, is `W1[1,0]`:

# %%
print("theirs.W1[1, 0] =", theirs.W1[1, 0], "  theirs.W1[0, 1] =", theirs.W1[0, 1])
plots.draw_network(theirs, title="The walk-through's network: the same numbers, read as (in, out)")
plt.show()

# %% [markdown]
# ## Its forward pass, gradients and update
#
# It trains with learning rate 0.5 and never updates the biases. `nn.trace` takes both as options; nothing else
# changes:

# %%
t = nn.trace(theirs, alpha=0.5, update_biases=False)
print("out_h1, out_h2 =", t.h1)
print("out_o1, out_o2 =", t.y_hat)
print(f"E_total = {t.loss:.9f}")

# %% [markdown]
# The walk-through prints `out_h1 = 0.593269992`, `out_o1 = 0.75136507`, `out_o2 = 0.772928465` and
# `E_total = 0.298371109`. Its weight $w_5$ joins $h_1$ to $o_1$: in the `(in, out)` layout that is `W2[0, 0]`.

# %%
print(f"dE/dw5 = {t.dW2[0, 0]:.9f}")
print("new W2 ([w5, w7], [w6, w8]) =\n", t.W2_new)
print("new W1 ([w1, w3], [w2, w4]) =\n", t.W1_new)
print("biases unchanged:", np.array_equal(t.b1_new, t.b1) and np.array_equal(t.b2_new, t.b2))

# %% [markdown]
# The walk-through's results: $\partial E/\partial w_5 = 0.082167041$, $w_5^+ = 0.35891648$, $w_6^+ = 0.408666186$,
# $w_7^+ = 0.511301270$, $w_8^+ = 0.561370121$, and $w_1^+ = 0.149780716$, $w_2^+ = 0.19956143$,
# $w_3^+ = 0.24975114$, $w_4^+ = 0.29950229$. All reproduced. It uses the transpose correctly, so its hidden-layer
# gradients are right; the tests of this course check these numbers on every change.
#
# ## One network, two layouts
#
# If we transpose the walk-through's matrices we get *our* network back, and the same numbers as in the other
# lessons, transposed:

# %%
ours_as_in_out = nn.worked_example(layout="in_out")
ours_as_in_out.W1, ours_as_in_out.W2 = ours_as_in_out.W1.T.copy(), ours_as_in_out.W2.T.copy()
same = nn.trace(ours_as_in_out)
print("y_hat =", same.y_hat, "  (as in the forward-pass lesson)")
print("dW1 in (in, out) layout =\n", same.dW1)
print("equals our dW1 transposed:", np.allclose(same.dW1, nn.trace().dW1.T, rtol=1e-14, atol=0))

# %% [markdown]
# ## Why conventions matter
#
# Both layouts are correct; mixing them is the bug. A matrix printed without its convention is ambiguous, which is
# how two tutorials with the same numbers compute different networks. This course uses `(out, in)`: row `i` holds
# the weights into unit `i`, $z = W x + b$, and for a batch $Z = X W^\top + b$. PyTorch's `nn.Linear` stores its
# `weight` the same way, shape `(out_features, in_features)`, and computes `x @ weight.T + bias`. Keras's `Dense`
# stores `(in, out)` and computes `x @ kernel + bias`, like the walk-through.
#
# ## Exercise: a forward pass in the other layout
#
# Write `forward_in_out(W, b, x)` for `W` of shape `(in, out)`: $\sigma(W^\top x + b)$, which is the same as
# `sigmoid(x @ W + b)`. The check uses layers with different numbers of inputs and outputs.

# %% nbgrader={"grade": false, "grade_id": "forward_in_out", "locked": false, "schema_version": 3, "solution": true, "task": false}
def forward_in_out(W, b, x):
    ### BEGIN SOLUTION
    return nn.sigmoid(x @ W + b)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_forward_in_out", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("forward_in_out", forward_in_out)

# %% [markdown]
# ## Recap
#
# - The walk-through's network is ours with the weight matrices transposed; `layout="in_out"` reproduces it with the
#   same functions: $net_{h1} = 0.3775$, $E_{total} = 0.298371109$, $w_5^+ = 0.35891648$.
# - Learning rate 0.5 and frozen biases are options of the same training step.
# - Always state the layout: `(out, in)` here and in PyTorch.
#
# This ends Part I: you have computed, derived, checked and trained the worked example one gradient at a time.
#
# ## Further reading
#
# - Matt Mazur, "A Step by Step Backpropagation Example" (2015), the walk-through this lesson reproduces:
#   <https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/>
# - PyTorch documentation, `torch.nn.Linear`: `weight` of shape `(out_features, in_features)`, $y = x A^\top + b$:
#   <https://pytorch.org/docs/stable/generated/torch.nn.Linear.html>
# - Keras documentation, the `Dense` layer: `output = activation(dot(input, kernel) + bias)`, with `kernel` of shape
#   `(in, out)`: <https://keras.io/api/layers/core_layers/dense/>
