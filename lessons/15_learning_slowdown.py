# %% [markdown]
# # The learning slowdown: why cross-entropy
#
# **In this lesson you will**
#
# - make one output of the worked example confidently wrong and watch squared error barely move it;
# - trace the slowdown to the sigmoid's derivative $\sigma'(z)$ inside squared error's output delta;
# - derive the binary cross-entropy, whose output delta is $\hat y - y$: the $\sigma'$ cancels;
# - compare both losses from any starting weight with a slider;
# - write the binary cross-entropy's gradient yourself.
#
# Everything after the output delta is Part I's backpropagation, unchanged: `sigmoid_grad`, `weight_grad`,
# `hidden_unit_grad` and `para_update`, the functions you wrote in lessons 01 to 06.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import slowdown
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## A confidently wrong output
#
# Start from the worked example but set its first output weight $W_2[0,0]$ to 8 instead of 0.40. The first output
# unit's pre-activation $z_2[0] = 8 \cdot h_1[0] + 0.5 \cdot h_1[1] + 0.6$ becomes large, and its output is almost 1,
# while its target is $y[0] = 0.01$:

# %%
ex = slowdown.saturated_example(8.0)
h1 = nn.forward_prop(ex.W1, ex.b1, ex.x)
z2 = nn.forward_prop(ex.W2, ex.b2, h1, activation="linear")
y_hat = nn.sigmoid(z2)
print("z2 =", z2, "  y_hat =", y_hat, "  y =", ex.y)
print("sigma'(z2) = y_hat (1 - y_hat) =", y_hat * (1 - y_hat))
h0 = nn.sigmoid(0.0)
print("the sigmoid's steepest slope, at z = 0:", h0 * (1 - h0))

# %% [markdown]
# The sigmoid is flat out there: its slope $\sigma'(z_2[0])$ is 0.0035, against 0.25 at $z = 0$.
#
# ## Squared error's gradient carries σ′
#
# With $L = \tfrac12 \sum_k (\hat y_k - y_k)^2$, Part I's output delta is
#
# $$\delta_2 = \frac{\partial L}{\partial z_2} = (\hat y - y) \odot \sigma'(z_2) = (\hat y - y) \odot \hat y (1 - \hat y),$$
#
# `sigmoid_grad(y_hat, output_grad(y, y_hat))`. Compare the original worked example with the saturated one:

# %%
original = nn.trace()
delta2 = nn.sigmoid_grad(y_hat, nn.output_grad(ex.y, y_hat))
print(f"original  (W2[0,0] = 0.4): error y_hat[0] - y[0] = {original.y_hat[0] - original.y[0]:.6f}, "
      f"delta2[0] = {original.delta2[0]:.6f}")
print(f"saturated (W2[0,0] = 8.0): error y_hat[0] - y[0] = {y_hat[0] - ex.y[0]:.6f}, delta2[0] = {delta2[0]:.6f}")

# %% [markdown]
# The saturated output is *more* wrong (0.9865 against 0.7469), yet its delta is 40 times *smaller* (0.0034
# against 0.1374): the factor $\hat y(1-\hat y)$ all but cancels the error. Every gradient that depends on
# $\delta_2[0]$, the weights $W_2[0,:]$, the bias $b_2[0]$, and the hidden layer through $W_2^\top\delta_2$, is
# scaled down with it. Lesson 06 met the same flat sigmoid when a huge learning rate threw the outputs to 0 and 1.
#
# ## Training: it nearly stops
#
# Train the saturated network with squared error and gradient descent, $\alpha = 0.5$, for 300 steps:

# %%
mse_run = slowdown.train_with_loss(ex, "squared error", alpha=0.5, steps=300)
for step in (0, 50, 100, 138, 139, 200, 300):
    print(f"step {step:3d}: y_hat[0] = {mse_run.y_hat[step, 0]:.6f}   delta2[0] = {mse_run.delta2[step, 0]:.6f}")
print("first step with y_hat[0] < 0.5:", mse_run.steps_until(0, 0.5))

# %% [markdown]
# For about a hundred steps the output hardly moves: the delta is small because the output is saturated, and the
# output stays saturated because the delta is small. Only once $\hat y[0]$ has crept off the flat part does the
# gradient grow and the output fall: it crosses 0.5 at step 139.
#
# ## Cross-entropy
#
# Read the sigmoid output as a probability, $\hat y = P(\text{target} = 1)$. For a target $y \in \{0, 1\}$ the
# negative log-likelihood of the target is the **binary cross-entropy**
#
# $$L = -\sum_k \big( y_k \ln \hat y_k + (1 - y_k) \ln (1 - \hat y_k) \big),$$
#
# and the same formula serves targets between 0 and 1, such as the worked example's 0.01 and 0.99.
#
# Its derivative with respect to the output is $\frac{\partial L}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1-y}{1-\hat y}
# = \frac{\hat y - y}{\hat y(1-\hat y)}$, and the chain rule through the sigmoid multiplies by
# $\sigma'(z) = \hat y (1 - \hat y)$:
#
# $$\delta_2 = \frac{\partial L}{\partial z_2} = \frac{\hat y - y}{\hat y (1-\hat y)} \cdot \hat y (1 - \hat y) = \hat y - y.$$
#
# The $\sigma'$ cancels: the gradient is the error itself, large when the output is far from its target, however
# flat the sigmoid. Check it against finite differences on $z_2$ (`nn.binary_cross_entropy` is the loss):

# %%
analytic = nn.binary_cross_entropy_grad(ex.y, y_hat)
numerical = nn.numerical_gradient(lambda z: nn.binary_cross_entropy(ex.y, nn.sigmoid(z)), z2)
print("y_hat - y =", analytic, "  finite differences =", np.round(numerical, 6))
print(f"ratio of the first output deltas, cross-entropy / squared error: {analytic[0] / delta2[0]:.1f} "
      f"= 1 / (y_hat (1 - y_hat)) = {1 / (y_hat[0] * (1 - y_hat[0])):.1f}")

# %% [markdown]
# At the start the cross-entropy's delta is 287.4 times larger. Train with it, everything else the same:

# %%
xent_run = slowdown.train_with_loss(ex, "cross-entropy", alpha=0.5, steps=300)
for run in (mse_run, xent_run):
    print(f"{run.loss_name:>13}: y_hat[0] < 0.5 after {run.steps_until(0, 0.5):3d} steps; "
          f"after 300 steps y_hat[0] = {run.y_hat[-1, 0]:.4f}")
print(f"slowdown factor (steps to cross 0.5): {mse_run.steps_until(0, 0.5) / xent_run.steps_until(0, 0.5):.2f}")

# %%
plots.plot_slowdown([mse_run, xent_run], target=ex.y[0])
plt.show()

# %% [markdown]
# Cross-entropy brings the first output below 0.5 in 4 steps, squared error in 139: a slowdown factor of about 35
# in steps, from a gradient 287 times smaller at the start. On the right, squared error's delta starts near
# $3 \times 10^{-3}$ and has to grow before anything happens; cross-entropy's starts near 1 and shrinks as the
# output approaches its target. (The two losses are different functions, so one learning rate for both is not an
# exact like-for-like comparison. What does not depend on the rate is the size of the first gradient: 287.4 times
# smaller under squared error, because of $\sigma'$.)
#
# ### Try it: the starting weight
#
# Move $W_2[0,0]$ from $-2$ to $10$: the further the first output starts in the flat part of the sigmoid, the longer
# squared error waits, while cross-entropy starts at once.

# %% tags=["nbval-ignore-output"]
widgets.slowdown_widget()

# %% [markdown]
# What the slider shows at the original weight and at $W_2[0,0] = 10$:

# %%
widgets.show_slowdown(w=0.4)
widgets.show_slowdown(w=10.0)

# %% [markdown]
# At the original weight the two deltas differ by a factor of only 5.4 and both losses bring the output below 0.5
# quickly (in 10 and 2 steps). At $W_2[0,0] = 10$ the factor is 939.2, and squared error does not get the output
# below 0.5 within 300 steps at all.

# %% [markdown]
# ## The same cure in Part II
#
# The classifier of lesson 10 uses a softmax output with cross-entropy, and its gradient with respect to the logits
# is $(P - Y)/n$: the same form as $\hat y - y$, with no derivative of the softmax left in it. That is why its
# confidently wrong predictions get the largest gradients, not the smallest.
#
# ## Exercise: the binary cross-entropy's gradient
#
# Write `binary_cross_entropy_grad(y, y_hat)`: for one example, the gradient of
# $L = -\sum_k (y_k \ln \hat y_k + (1 - y_k)\ln(1 - \hat y_k))$ with respect to the pre-activation $z$ of sigmoid
# outputs $\hat y = \sigma(z)$, for `y` and `y_hat` of the same shape `(out,)`. (For a batch, whose loss is the
# mean of the examples' losses, `nn.binary_cross_entropy_grad` divides by the number of examples, as `output_grad`
# does: the course's one convention.)

# %% nbgrader={"grade": false, "grade_id": "binary_cross_entropy_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def binary_cross_entropy_grad(y, y_hat):
    ### BEGIN SOLUTION
    return y_hat - y
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_binary_cross_entropy_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("binary_cross_entropy_grad", binary_cross_entropy_grad)

# %% [markdown]
# ## Recap
#
# - Squared error's output delta is $(\hat y - y)\,\hat y (1 - \hat y)$: a saturated output (near 0 or 1) gets a
#   tiny gradient however wrong it is, and learns slowly.
# - The binary cross-entropy $-\sum(y\ln\hat y + (1-y)\ln(1-\hat y))$ has output delta $\hat y - y$: $\sigma'$ cancels.
# - On the saturated worked example: a delta 287.4 times larger at the start, and 4 steps instead of 139 to bring
#   the output below 0.5. Softmax with cross-entropy (Part II) has the same property.
#
# Next: a network that learns its training set too well. **Generalisation.**
#
# ## References
#
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 3, "Improving the way neural networks learn"
#   (the cross-entropy cost function). <http://neuralnetworksanddeeplearning.com/chap3.html>
# - Ian Goodfellow, Yoshua Bengio and Aaron Courville, *Deep Learning*, section 6.2.2, "Output Units" (sigmoid units
#   and why squared error saturates). <https://www.deeplearningbook.org/contents/mlp.html>
# - Pavel Golik, Patrick Doetsch and Hermann Ney, "Cross-Entropy vs. Squared Error Training: a Theoretical and
#   Experimental Comparison", Interspeech 2013. <https://doi.org/10.21437/Interspeech.2013-436>
