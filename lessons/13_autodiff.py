# %% [markdown]
# # Automatic differentiation: every gradient a third way
#
# **In this lesson you will**
#
# - use a tiny reverse-mode automatic differentiation engine (its source, `nnfromscratch/autodiff.py`, is short
#   enough to read in one sitting): numbers that remember how they were computed;
# - draw a computation graph, each node with its value and its gradient;
# - rebuild the worked example on it and print one table of all 12 gradients computed three ways (backpropagation
#   by hand, finite differences, automatic differentiation) agreeing to stated tolerances;
# - see that gradients accumulate when `backward()` runs twice, and why they must be reset;
# - write the tanh node's backward rule.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import autodiff as ad
from nnfromscratch import Value
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## Numbers that remember
#
# A `Value` holds a number, `data`, and a gradient, `grad`. Every operation on Values makes a new Value that
# remembers its inputs and its **local derivative rule**: for $c = a \cdot b$, $\partial c/\partial a = b$ and
# $\partial c/\partial b = a$. `backward()` then walks the graph from the output back to the inputs (reverse
# topological order) and applies the chain rule at every edge:
#
# $$\bar a \mathrel{+}= \bar c \, \frac{\partial c}{\partial a}, \qquad \bar v = \frac{\partial L}{\partial v}.$$
#
# That is backpropagation, done by the computer for any expression. One hidden unit of the worked example:

# %%
x0, x1 = Value(0.05, label="x[0]"), Value(0.10, label="x[1]")
w00, w01, b0 = Value(0.15, label="W1[0,0]"), Value(0.25, label="W1[0,1]"), Value(0.35, label="b1[0]")
z = w00 * x0 + w01 * x1 + b0
z.label = "z1[0]"
h = z.sigmoid()
h.label = "h1[0]"
h.backward()
print(f"h1[0] = {h.data:.8f}   dh/dW1[0,0] = {w00.grad:.8f}   dh/db1[0] = {b0.grad:.8f}")
print(f"by hand: h (1 - h) x[0] = {h.data * (1 - h.data) * 0.05:.8f}")

# %% [markdown]
# The graph of that computation, inputs and parameters (yellow) on the left, every intermediate value (blue)
# labelled with the operation that made it:

# %%
plots.draw_graph(h)
plt.show()

# %% [markdown]
# ## The worked example, a third way
#
# `ad.worked_example_graph()` builds the whole 2-2-2 network and its loss from Values, with the same numbers:

# %%
loss, params = ad.worked_example_graph()
print(f"the graph has {len(loss.topological_order())} nodes; loss = {loss.data:.10f}")
loss.backward()

# %% [markdown]
# Now all 12 gradients three ways: backpropagation as derived in Part I (`nn.trace()`), central finite differences
# (`nn.numerical_gradient`), and the engine. Tolerances: the engine applies the same chain rule in a different order,
# so it must agree with backpropagation to within rounding (relative $10^{-12}$); finite differences carry their own
# truncation and round-off error, so they must agree to relative $10^{-6}$.

# %%
t, ex = nn.trace(), nn.worked_example()
rows = []
for name in ("W1", "b1", "W2", "b2"):
    numeric = nn.numerical_gradient(lambda v: nn.loss_of({**ex.params(), name: v}, ex.x, ex.y), getattr(ex, name))
    auto = ad.grads(params[name])
    for index in np.ndindex(auto.shape):
        rows.append((f"{name}[{','.join(map(str, index))}]", t.grads()[name][index], numeric[index], auto[index]))
print(f"{'entry':<9}{'backprop':>13}{'finite diff':>13}{'autodiff':>13}   agree")
for label, manual, numeric, auto in rows:
    agree = np.isclose(auto, manual, rtol=1e-12, atol=0) and np.isclose(numeric, manual, rtol=1e-6, atol=1e-12)
    print(f"{label:<9}{manual:>13.8f}{numeric:>13.6f}{auto:>13.8f}   {'yes' if agree else 'NO'}")
print("all 12 agree:", all(np.isclose(a, m, rtol=1e-12, atol=0) and np.isclose(n, m, rtol=1e-6, atol=1e-12)
                           for _, m, n, a in rows))
print("largest |finite diff - backprop| is below 1e-9:", max(abs(n - m) for _, m, n, _ in rows) < 1e-9)

# %% [markdown]
# Three independent methods, one answer, including the hidden-layer gradients the original notebook got wrong.
# (The finite-difference column is rounded to 6 decimals so that it prints the same on every computer; as the last
# line shows, it agrees with backpropagation far more closely than that.)
#
# ## Gradients accumulate
#
# Each node *adds* to its inputs' `grad` (`+=`): a value used in two places must receive both contributions. The
# intermediate values start from 0 on every `backward()`, but the leaves (the parameters and inputs) keep what they
# had: run `backward()` again and the parameters' gradients are added to what is already there.

# %%
before = ad.grads(params["b2"])
loss.backward()
print("db2 after one backward:  ", before)
print("db2 after a second one:  ", ad.grads(params["b2"]))
loss.zero_grad()
loss.backward()
print("after zero_grad, again:  ", ad.grads(params["b2"]))

# %% [markdown]
# Training loops built on automatic differentiation (PyTorch's included) must therefore reset the gradients
# before every backward pass, `optimizer.zero_grad()` in PyTorch, or each step would use the sum of all previous
# gradients. (PyTorch builds a new graph every step, and refuses a second `backward()` through the same graph
# unless asked to keep it; the parameters' gradients accumulate across those steps just as here.)
#
# ## Exercise: the tanh node's backward
#
# A `tanh` node's backward needs one rule: given its own output `h` and the upstream gradient $\partial L/\partial h$,
# return $\partial L/\partial z = (1 - h^2) \odot$ `upstream` (the engine uses the package's `tanh_grad` for this).
# Write `tanh_grad(h, upstream)` for arrays of any shape.

# %% nbgrader={"grade": false, "grade_id": "tanh_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def tanh_grad(h, upstream):
    ### BEGIN SOLUTION
    return (1 - h ** 2) * upstream
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_tanh_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("tanh_grad", tanh_grad)

# %% [markdown]
# Your rule gives the same gradient as the engine's tanh node:

# %%
z = Value(0.5)
out = z.tanh()
out.backward()
try:
    yours = float(tanh_grad(np.array(out.data), np.array(1.0)))
    print(f"engine: dtanh/dz = {z.grad:.8f}   your tanh_grad: {yours:.8f}")
except NotImplementedError:
    print(f"engine: dtanh/dz = {z.grad:.8f}   (write tanh_grad above to compare)")

# %% [markdown]
# ## Recap
#
# - Reverse-mode automatic differentiation records each operation's local derivative and applies the chain rule
#   backwards through the graph: backpropagation for any expression.
# - For the worked example, backpropagation by hand, finite differences and automatic differentiation agree on all
#   12 gradients.
# - Gradients accumulate; reset them before each backward pass.
#
# This ends the course: from one worked example, by hand, to a network that learns handwritten digits, with every
# gradient checked three ways.
