# %% [markdown]
# # Gradient checking
#
# **In this lesson you will**
#
# - approximate a derivative with forward and with central differences, and see why central ones are far better;
# - measure agreement with the relative error;
# - see on a log-log plot where truncation error gives way to round-off as the step shrinks;
# - check all 12 gradients of the worked example at once, and watch the checker point at exactly the entries the
#   original's transpose bug gets wrong;
# - write `numerical_gradient` yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import original
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
ex, t = nn.worked_example(), nn.trace()


def loss(params):
    """The worked example's loss as a function of its four parameters."""
    return nn.loss_of(params, ex.x, ex.y)


# %% [markdown]
# ## Two ways to approximate a derivative
#
# For one entry $\theta$ of one parameter, with a small step $\epsilon$:
#
# $$\text{forward: } \frac{L(\theta + \epsilon) - L(\theta)}{\epsilon} \qquad\qquad \text{central: } \frac{L(\theta + \epsilon) - L(\theta - \epsilon)}{2\epsilon}$$
#
# The forward difference is off by about $\frac{\epsilon}{2} L''$; the central one by about $\frac{\epsilon^2}{6} L'''$,
# far smaller. Take $W_1[0,0]$, whose analytic gradient is:

# %%
print(f"analytic dW1[0,0] = {t.dW1[0, 0]:.12f}")


def loss_of_w(w):
    W1 = ex.W1.copy()
    W1[0, 0] = w
    return loss({**ex.params(), "W1": W1})


w0 = ex.W1[0, 0]
for eps in (1e-1, 1e-2):
    fwd = (loss_of_w(w0 + eps) - loss_of_w(w0)) / eps
    ctr = (loss_of_w(w0 + eps) - loss_of_w(w0 - eps)) / (2 * eps)
    print(f"eps = {eps:.0e}: forward error {abs(fwd - t.dW1[0, 0]):.1e}   central error {abs(ctr - t.dW1[0, 0]):.1e}")

# %% [markdown]
# A 10 times smaller step makes the forward error 10 times smaller, but the central error 100 times smaller.
#
# ## Relative error
#
# Gradients come in all sizes (about $0.14$ for $b_2[0]$, $0.0004$ for $W_1[0,0]$), so we compare them relative to their size:
#
# $$\text{relative error}(a, b) = \frac{|a - b|}{|a| + |b|}$$
#
# About $10^{-7}$ or less with central differences means the gradient is right; $10^{-2}$ means a bug.

# %%
print(f"db2[0] = {t.db2[0]:.8f}   dW1[0,0] = {t.dW1[0, 0]:.8f}")
print(f"relative error of the central difference at eps=1e-2: "
      f"{nn.relative_error(t.dW1[0, 0], (loss_of_w(w0 + 1e-2) - loss_of_w(w0 - 1e-2)) / 2e-2):.0e}")
print(f"relative error of the original's dW1[0,0]:            {nn.relative_error(t.dW1[0, 0], 0.00042369):.0e}")

# %% [markdown]
# ## How small should the step be?
#
# Smaller is not always better: the computer stores about 16 significant digits, so $L(\theta+\epsilon) - L(\theta-\epsilon)$
# loses digits as $\epsilon$ shrinks, and that **round-off** error grows like $10^{-16}/\epsilon$. The plot shows
# both errors for $\epsilon$ from $10^{-1}$ to $10^{-12}$ (read it from left to right: the step shrinks). The
# straight parts are truncation (slope 1 for forward, 2 for central); the ragged rise on the right is round-off.
# Here the central difference is best near $\epsilon = 10^{-3}$ to $10^{-4}$; $\epsilon = 10^{-6}$, the package's default,
# is a safe choice for any well-scaled loss in float64.

# %% [markdown]
# ### Try it: the step size
#
# Slide $\epsilon$ from $10^{-1}$ down to $10^{-12}$; the dashed line marks it on the curves. (Below about $10^{-6}$
# the printed errors are round-off and differ from computer to computer.)

# %% tags=["nbval-ignore-output"]
widgets.difference_widget()

# %% [markdown]
# What the slider shows at $\epsilon = 10^{-2}$, where truncation dominates and the numbers are the same everywhere:

# %%
widgets.show_difference_errors(1e-2)

# %% [markdown]
# ## All 12 parameters at once
#
# `nn.check_gradients` perturbs every entry of every parameter, compares with the analytic gradients and marks
# each entry. An entry passes when its relative error is at most $10^{-5}$ (the checker's `rtol`, with room for
# round-off); correct gradients here are far below that, so their errors are shown only as "< 1e-06" (their last
# digits are round-off and vary between computers, as do the last digits of the numerical column, which is why it
# shows 6 decimals).

# %%
report = nn.check_gradients(loss, ex.params(), t.grads())
print(report)

# %% [markdown]
# Now the same check on the gradients the original notebook's method produces (its `W @ delta` in the hidden
# layer, at full precision so that only the transpose bug is tested):

# %%
buggy = nn.trace(hidden_grad=original.hidden_unit_grad)
report = nn.check_gradients(loss, ex.params(), buggy.grads())
print(report)

# %% [markdown]
# The checker points at exactly the six entries of $W_1$ and $b_1$: the layer below the bug. $W_2$ and $b_2$ are
# computed before the hidden-layer gradient, so they are right. That is how gradient checking finds a bug: not
# "something is wrong", but *where*.
#
# ## Exercise: write `numerical_gradient`
#
# Write `numerical_gradient(f, x, eps=1e-6)`: for every entry of `x` (any shape; `np.ndindex(x.shape)` walks
# them), the central difference $\frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2 \epsilon}$. Return an array
# shaped like `x`, and do not change `x` itself: perturb a copy. Use the `eps` you are given: the check also calls
# it with `eps=1e-2` on a cubic, where the central difference depends on the step.

# %% nbgrader={"grade": false, "grade_id": "numerical_gradient", "locked": false, "schema_version": 3, "solution": true, "task": false}
def numerical_gradient(f, x, eps=1e-6):
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_numerical_gradient", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("numerical_gradient", numerical_gradient)

# %% [markdown]
# ## Recap
#
# - Central differences have error $O(\epsilon^2)$; forward ones $O(\epsilon)$. Too small a step drowns in round-off.
# - Relative error $\frac{|a-b|}{|a|+|b|}$: about $10^{-7}$ or less is right; $10^{-2}$ is a bug.
# - Checking every entry finds not only *that* a gradient is wrong but *which* entries: here, everything below the
#   original's missing transpose.
#
# Next: use the gradients. **Gradient descent.**
#
# ## Further reading
#
# - Andrej Karpathy and the Stanford CS231n team, "Neural Networks Part 3: Learning and Evaluation", section
#   "Gradient checks": the centred formula, the relative error and what its size means:
#   <https://cs231n.github.io/neural-networks-3/#gradcheck>
# - The same notes, "Optimization: Stochastic Gradient Descent", section "Computing the gradient numerically with
#   finite differences": <https://cs231n.github.io/optimization-1/>
# - Ian Goodfellow, Yoshua Bengio and Aaron Courville, *Deep Learning*, chapter 11 "Practical Methodology", section
#   "Debugging Strategies" (comparing back-propagated derivatives to numerical ones):
#   <https://www.deeplearningbook.org/contents/guidelines.html>
# - David Goldberg, "What Every Computer Scientist Should Know About Floating-Point Arithmetic" (1991), where
#   round-off comes from: <https://docs.oracle.com/cd/E19957-01/806-3568/ncg_goldberg.html>
