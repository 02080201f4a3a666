# %% [markdown]
# # The forward pass
#
# **In this lesson you will**
#
# - compute one hidden unit of the worked example by hand: a weighted sum, then a sigmoid;
# - see the sigmoid squash any number into (0, 1) by moving a slider;
# - compute a whole layer at once as a matrix product, $h = \sigma(W x + b)$, and the network's output $\hat y$;
# - write `forward_prop` yourself and have it checked on the worked example and on layers of other shapes.
#
# The network has 2 inputs, 2 hidden units and 2 outputs. Its weight matrices have shape
# `(out, in)`: row `i` of `W1` holds the weights *into* hidden unit `i`.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import original
from nnfromscratch.checks import check
from nnfromscratch.visuals import widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine
rng = np.random.default_rng(0)

# %% [markdown]
# ## The worked example
#
# `nn.worked_example()` hands out a fresh copy of the numbers every time, so nothing you change here can leak
# into another lesson.

# %%
ex = nn.worked_example()
print("x  =", ex.x)
print("W1 =", ex.W1.tolist(), "  b1 =", ex.b1)
print("W2 =", ex.W2.tolist(), "  b2 =", ex.b2)

# %% [markdown]
# ## One hidden unit, by hand
#
# Hidden unit 0 receives both inputs through the first row of `W1`, and adds its bias:
#
# $$z_{1,0} = W_{1}[0,0]\,x_0 + W_{1}[0,1]\,x_1 + b_{1,0} = 0.15 \cdot 0.05 + 0.25 \cdot 0.10 + 0.35$$

# %%
z_first = 0.15 * 0.05 + 0.25 * 0.10 + 0.35
print(f"z1[0] = {z_first:.4f}")

# %% [markdown]
# That weighted sum is the unit's **pre-activation** $z$. The unit then applies the **sigmoid**
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}},$$
#
# which maps any real number into (0, 1):

# %%
print(f"sigmoid({z_first:.4f}) = {float(nn.sigmoid(z_first)):.8f}")

# %% [markdown]
# ### Try it: the sigmoid
#
# Move the slider. Large positive $z$ gives an activation near 1, large negative $z$ near 0, and $z = 0$ gives
# exactly 0.5. The curve is steepest at 0: that is where the unit is most sensitive, which will matter for
# the gradients. (`nn.sigmoid` is written so that even $z = \pm 1000$ gives 1 and 0 without an overflow warning.)

# %% tags=["nbval-ignore-output"]
widgets.sigmoid_widget()

# %% [markdown]
# The cell above is live, so its output is not stored for comparison; this cell draws what the slider shows at
# $z = -2$ and is checked on every change:

# %%
widgets.show_sigmoid(z=-2.0)

# %% [markdown]
# ## The hidden layer as a matrix product
#
# Both hidden units at once: row $i$ of $W_1$ dotted with $x$, plus $b_{1,i}$. That is a matrix-vector product,
#
# $$z_1 = W_1 x + b_1, \qquad h_1 = \sigma(z_1), \qquad W_1 \in \mathbb{R}^{2 \times 2},\ x, b_1, z_1, h_1 \in \mathbb{R}^2.$$

# %%
z1 = ex.W1 @ ex.x + ex.b1
h1 = nn.sigmoid(z1)
print("z1 =", z1)
print("h1 =", h1)

# %% [markdown]
# The first entry of `z1` is the 0.3825 we computed by hand. The package's `forward_prop(W, b, x)` does exactly
# these two lines:

# %%
print("forward_prop(W1, b1, x) =", nn.forward_prop(ex.W1, ex.b1, ex.x))

# %% [markdown]
# ## The output layer
#
# The output layer does the same with $h_1$ as its input: $\hat y = \sigma(W_2 h_1 + b_2)$.

# %%
y_hat = nn.forward_prop(ex.W2, ex.b2, h1)
print("y_hat =", y_hat, "  target y =", ex.y)

# %% [markdown]
# The network says `[0.757, 0.768]` where the target is `[0.01, 0.99]`: far off. The next lessons measure how far
# (the loss) and which way to move every weight (the gradients).
#
# ### The original notebook rounded
#
# The notebook this course grew from rounded every activation to 4 decimals (`np.around(h, 4)`). It printed:

# %%
print("original h1    =", original.forward_prop(ex.W1, ex.b1, ex.x))
print("original y_hat =", original.forward_prop(ex.W2, ex.b2, original.forward_prop(ex.W1, ex.b1, ex.x)))

# %% [markdown]
# `0.5945 0.5963` and `0.7569 0.7677` agree with ours to 4 decimals. Rounding is not harmless, though: it shifts
# the loss in its 5th decimal (next lesson), and the numbers it produces no longer come out of the formulas
# exactly, so they cannot be checked to many digits. The course computes at full precision and *prints* 8 decimals,
# enough to show the small gradients of later lessons.
#
# ### Try it: change the input
#
# Move the inputs and watch both layers respond. Because every unit is a sigmoid, the outputs never leave (0, 1).

# %% tags=["nbval-ignore-output"]
widgets.forward_widget()

# %% [markdown]
# What the sliders show for the input `x = [1.0, -0.5]`:

# %%
widgets.show_forward(x1=1.0, x2=-0.5)

# %% [markdown]
# ## Shapes, and a helpful error
#
# `W` has shape `(out, in)`, so `W @ x` needs `x` to have `in` entries. The package checks and says what went
# wrong, instead of a bare numpy traceback:

# %%
W_wide = rng.uniform(-1, 1, size=(2, 3))  # a layer with 3 inputs and 2 outputs
try:
    nn.forward_prop(W_wide, ex.b1, ex.x)
except ValueError as err:
    print(err)

# %% [markdown]
# ## Exercise: write `sigmoid`
#
# Write `sigmoid(z)` returning $1 / (1 + e^{-z})$ for an array `z` of any shape, with numpy. (For a bonus,
# make it silent for $z = -1000$: look at how `nn.sigmoid` avoids computing $e^{1000}$.)

# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid(z):
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-z))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_sigmoid", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sigmoid", sigmoid)

# %% [markdown]
# ## Exercise: write `forward_prop`
#
# Write `forward_prop(W, b, x)` returning $\sigma(W x + b)$ for one example `x` of shape `(in,)`, with `W` of
# shape `(out, in)` and `b` of shape `(out,)`. Use your `sigmoid` from above. Do not round.
# The check runs it on the worked example and on layers of other shapes (3x5, 4x2), so an answer that only
# works for 2x2 will not pass.

# %% nbgrader={"grade": false, "grade_id": "forward_prop", "locked": false, "schema_version": 3, "solution": true, "task": false}
def forward_prop(W, b, x):
    ### BEGIN SOLUTION
    z = W @ x + b
    return sigmoid(z)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_forward_prop", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("forward_prop", forward_prop)

# %% [markdown]
# ## Recap
#
# - A unit computes a weighted sum of its inputs plus a bias, $z$, then an activation, $h = \sigma(z)$.
# - A layer does all its units at once: $h = \sigma(W x + b)$ with `W` of shape `(out, in)`.
# - The worked example's forward pass gives $h_1 \approx [0.5945, 0.5963]$ and $\hat y \approx [0.7569, 0.7677]$,
#   at full precision; the original notebook rounded them to 4 decimals.
#
# Next: how wrong is $\hat y$? **The loss.**
#
# ## Further reading
#
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 1, sections "Sigmoid neurons" and "The
#   architecture of neural networks": <http://neuralnetworksanddeeplearning.com/chap1.html>
# - Andrej Karpathy and the Stanford CS231n team, "Neural Networks Part 1: Setting up the Architecture": a neuron,
#   activation functions, and a layer's forward pass `f(np.dot(W1, x) + b1)`, in this course's `(out, in)` layout:
#   <https://cs231n.github.io/neural-networks-1/>
# - Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola, *Dive into Deep Learning*, section
#   "Multilayer Perceptrons", written for a batch as $\sigma(X W + b)$ with `W` of shape `(in, out)`, the other
#   layout of lesson 07: <https://d2l.ai/chapter_multilayer-perceptrons/mlp.html>
