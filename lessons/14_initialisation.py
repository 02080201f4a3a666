# %% [markdown]
# # Initialisation: vanishing and exploding gradients
#
# **In this lesson you will**
#
# - see on the worked example that hidden units which start with equal weights stay equal forever;
# - measure the gradient that reaches each layer of a 10-layer network, for sigmoid, tanh and ReLU, and watch it
#   vanish or explode with the scale of the initial weights;
# - derive, in a few lines, why the weights' variance should be $1/n_\text{in}$ (LeCun), $2/(n_\text{in} +
#   n_\text{out})$ (Glorot, also called Xavier) or $2/n_\text{in}$ (He), and check each claim numerically;
# - write `he_init` yourself.
#
# The networks here are Part II's: `nn.Network` runs the same `dense_forward` and `dense_backward` you wrote in
# lessons 08 to 11, one layer after the other. Only their starting weights change.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import initializers
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## Equal weights stay equal
#
# Give both hidden units of the worked example the same incoming weights (row 0 of $W_1$ copied into row 1; the
# biases $b_1$ are already equal) and the same outgoing weights (column 0 of $W_2$ copied into column 1):

# %%
ex = nn.worked_example()
ex.W1[1] = ex.W1[0]
ex.W2[:, 1] = ex.W2[:, 0]
print("W1 =\n", ex.W1, "\nW2 =\n", ex.W2)
print("h1 =", nn.forward_prop(ex.W1, ex.b1, ex.x))

# %% [markdown]
# The two hidden units now compute the same number, $h_1[0] = h_1[1]$. Backpropagation treats them alike too:
# $\partial L/\partial h_1 = W_2^\top \delta_2$ has equal entries because the columns of $W_2$ are equal, so
# $\delta_1$ has equal entries, so the rows of $\partial L/\partial W_1 = \delta_1 x^\top$ are equal, and so are the
# columns of $\partial L/\partial W_2 = \delta_2 h_1^\top$. Every step keeps the symmetry. Train 1000 steps with
# $\alpha = 0.5$:

# %%
losses, final = nn.train(ex, alpha=0.5, steps=1000)
print("W1 after 1000 steps =\n", final.W1)
print("W2 after 1000 steps =\n", final.W2)
print("rows of W1 still identical:", np.array_equal(final.W1[0], final.W1[1]),
      "  columns of W2 still identical:", np.array_equal(final.W2[:, 0], final.W2[:, 1]))
print(f"loss after 1000 steps: {losses[-1]:.6f} (the original worked example: {nn.train(alpha=0.5, steps=1000)[0][-1]:.6f})")

# %% [markdown]
# The weights moved a lot, but the two rows of $W_1$ are still exactly equal: the layer has two units and the
# power of one. For this single example one unit is enough (the loss is as low as the original's); on real data it
# is not, as the moons of lesson 09 showed. Random initial weights break the symmetry. How large they should be is
# the rest of this lesson.
#
# ## The gradient that reaches each layer
#
# Backpropagation from layer $l+1$ down to layer $l$ multiplies by the weights $W_{l+1}$ between them and by the
# activation's derivative:
#
# $$\Delta_l = f'(Z_l) \odot \big(\Delta_{l+1} W_{l+1}\big), \qquad \frac{\partial L}{\partial b_l} = \sum_i \Delta_{l,i}.$$
#
# The bias gradient $\partial L/\partial b_l$ is the error signal that arrived at layer $l$ (Nielsen uses it as the
# "speed of learning" of a layer). Through ten layers, ten such factors multiply: if each shrinks the signal, the
# first layers hardly learn (**vanishing gradients**); if each grows it, they take wild steps (**exploding
# gradients**). The sigmoid's derivative is at most 0.25, so it shrinks the signal at every layer.
#
# Here is a digits network with 10 layers (nine hidden layers of 64 units and the output layer), its weights drawn
# from $\mathcal N(0, \text{gain}^2/n_\text{in})$ (gain 1 is LeCun's scale, gain $\sqrt 2 \approx 1.41$ is He's),
# measured on 256 training digits before any training. The table shows $\lVert\partial L/\partial b_1\rVert /
# \lVert\partial L/\partial b_{10}\rVert$, the gradient at the first layer divided by the one at the last:

# %%
gains = [0.5, 1.0, np.sqrt(2), 2.0]
print("first/last " + "".join(f"{'gain ' + format(g, '.3g'):>12}" for g in gains))
for activation in ("sigmoid", "tanh", "relu"):
    ratios = []
    for gain in gains:
        db, dW, stds, loss = widgets.gradient_norm_run(activation, depth=10, gain=gain)
        ratios.append(db[0] / db[-1])
    print(f"{activation:>10} " + "".join(f"{r:12.3e}" for r in ratios))

# %% [markdown]
# - **sigmoid**: the first layer receives about a millionth of the last layer's gradient at LeCun's scale
#   ($1.658 \times 10^{-6}$), and no gain rescues it: even at gain 2 it is $2.466 \times 10^{-4}$.
# - **tanh**: at gain 1 the first layer gets about half ($0.5146$); at gain 0.5 the gradient vanishes
#   ($1.780 \times 10^{-3}$).
# - **ReLU**: He's gain $\sqrt 2$ keeps the ratio of order 1 ($2.192$); gain 0.5 makes it vanish
#   ($4.753 \times 10^{-4}$) and gain 2 makes it explode ($37.41$).
#
# Layer by layer, for each activation at its usual scale (LeCun for sigmoid and tanh, He for ReLU):

# %%
curves = {f"{a}, gain {g:.3g}": widgets.gradient_norm_run(a, 10, g)[0]
          for a, g in (("sigmoid", 1.0), ("tanh", 1.0), ("relu", np.sqrt(2)))}
plots.plot_by_layer(curves, ylabel="|dL/db| (log scale)",
                    title="The gradient reaching each layer of a 10-layer network, before training")
plt.show()

# %% [markdown]
# The sigmoid network's line rises almost six decades from layer 1 to layer 10 (the factor $1/(1.658 \times 10^{-6})$
# of the table); the tanh and ReLU lines stay within a factor of a few.
#
# ### Try it: activation, depth and scale
#
# The left panel follows the signal forwards (the spread of each hidden layer's outputs), the right one the
# gradient backwards. Make the ReLU network deeper at gain 1 and watch both fade; raise the gain to 2 and watch them
# grow; try the sigmoid at any gain.

# %% tags=["nbval-ignore-output"]
widgets.init_widget()

# %% [markdown]
# What the widget shows for a sigmoid network at LeCun's scale and a ReLU network at He's:

# %%
widgets.show_gradient_norms("sigmoid", depth=10, gain=1.0)
widgets.show_gradient_norms("relu", depth=10, gain=np.sqrt(2))

# %% [markdown]
# ## The variance argument
#
# Take one unit of a layer, $z = \sum_{j=1}^{n_\text{in}} W_j x_j$ (the bias starts at 0), with the weights drawn
# independently of the inputs, with mean 0. Each term then has mean 0 and variance
# $\mathrm{Var}(W_j x_j) = \mathrm{Var}(W)\, E[x^2]$, and the $n_\text{in}$ terms are uncorrelated, so
#
# $$\mathrm{Var}(z) = n_\text{in}\, \mathrm{Var}(W)\, E[x^2].$$
#
# - **LeCun**: tanh is close to the identity near 0, so $E[h^2] \approx \mathrm{Var}(z)$; keeping the variance from
#   layer to layer asks for $n_\text{in} \mathrm{Var}(W) = 1$, that is $\mathrm{Var}(W) = 1/n_\text{in}$.
# - **Glorot (Xavier)**: backwards, $\partial L/\partial x_j = \sum_{i=1}^{n_\text{out}} W_{ij} \delta_i$ sums
#   $n_\text{out}$ terms, so $\mathrm{Var}(\partial L/\partial x) = n_\text{out} \mathrm{Var}(W) \mathrm{Var}(\delta)$,
#   which asks for $1/n_\text{out}$. A layer with $n_\text{in} \ne n_\text{out}$ cannot have both; Glorot and Bengio
#   take the compromise $\mathrm{Var}(W) = 2/(n_\text{in} + n_\text{out})$.
# - **He**: a ReLU sets the negative half of a symmetric $z$ to 0, so $E[h^2] = \tfrac12 \mathrm{Var}(z)$. The next
#   layer's $\mathrm{Var}(z) = n_\text{in} \mathrm{Var}(W) \cdot \tfrac12 \mathrm{Var}(z_\text{before})$ stays the same
#   when $\mathrm{Var}(W) = 2/n_\text{in}$.
#
# Check the first formula and the ReLU's half on 2,000 random inputs and a layer of 256 inputs and 64 units
# (`initializers` holds the three schemes):

# %%
rng = np.random.default_rng(0)
x = rng.standard_normal((2000, 256))
delta = rng.standard_normal((2000, 64))
print(f"{'init':>7} {'Var(W)':>9} {'Var(z)/E[x^2]':>14} {'n_in Var(W)':>12} {'Var(dL/dx)/Var(delta)':>22} {'n_out Var(W)':>13}")
for name in ("lecun", "xavier", "he"):
    W = initializers.INITS[name](256, 64, rng)
    z = x @ W.T
    dx = delta @ W  # the backward pass of the same layer
    print(f"{name:>7} {W.var():9.6f} {z.var() / np.mean(x ** 2):14.3f} {256 * W.var():12.3f} "
          f"{dx.var() / delta.var():22.3f} {64 * W.var():13.3f}")
z = x @ initializers.he_init(256, 64, rng).T
print(f"ReLU: E[relu(z)^2] = {np.mean(np.maximum(z, 0) ** 2):.3f}, half of Var(z) = {z.var() / 2:.3f}")

# %% [markdown]
# The measured factors match $n_\text{in}\mathrm{Var}(W)$ forwards and $n_\text{out}\mathrm{Var}(W)$ backwards to
# about 1%, and the ReLU keeps about half of the second moment. Now through 20 layers of 256 units: the variance of
# the pre-activations $z$ at each layer, for 500 random inputs.

# %%
layer_variances = {}
for activation, name in (("relu", "he"), ("relu", "lecun"), ("tanh", "lecun"), ("tanh", "he")):
    draw, H, variances = np.random.default_rng(1), x[:500], []
    for _ in range(20):
        Z = H @ initializers.INITS[name](256, 256, draw).T
        H = np.maximum(Z, 0) if activation == "relu" else np.tanh(Z)
        variances.append(Z.var())
    layer_variances[f"{activation}, {name}"] = variances
    print(f"{activation:>5}, {name:>5}: Var(z) at layers 1, 10, 20: "
          + ", ".join(f"{variances[i]:.3g}" for i in (0, 9, 19)))

# %%
plots.plot_by_layer(layer_variances, ylabel="Var(z) (log scale)",
                    title="Each layer's pre-activation variance, 20 layers of 256 units")
plt.show()

# %% [markdown]
# - ReLU with He's $2/n_\text{in}$ keeps $\mathrm{Var}(z)$ of the same order through all 20 layers (it wanders, because
#   each layer's 256 units are a finite sample); with LeCun's $1/n_\text{in}$ it halves at every layer, from 0.988
#   at layer 1 to $3.25 \times 10^{-6}$ at layer 20, about $2^{-18}$ times as much.
# - tanh with LeCun's $1/n_\text{in}$ starts at 1 and decays too, though far more slowly than ReLU's halving: tanh is
#   flatter than the identity away from 0, so each layer loses a little (0.0569 at layer 10 and 0.0235 at layer 20,
#   against ReLU's 0.00191 and $3.25 \times 10^{-6}$). With He's larger weights it settles higher, where more units
#   sit on the flat parts of tanh.
#
# The rule: pick the initialisation for the activation (He for ReLU; LeCun or Glorot for tanh and sigmoid), and
# measure, as above, when in doubt.
#
# ## Exercise: `he_init`
#
# Write `he_init(n_in, n_out, rng)`: a weight matrix of shape `(n_out, n_in)` (the course's `(out, in)` layout) drawn
# from $\mathcal N(0, 2/n_\text{in})$. Draw it with `rng.standard_normal((n_out, n_in))` and scale it, so that the
# check can compare your numbers with its own. Remember that `standard_normal` has standard deviation 1.

# %% nbgrader={"grade": false, "grade_id": "he_init", "locked": false, "schema_version": 3, "solution": true, "task": false}
def he_init(n_in, n_out, rng):
    ### BEGIN SOLUTION
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_he_init", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("he_init", he_init)

# %% [markdown]
# ## Recap
#
# - Units that start equal stay equal: backpropagation gives them equal gradients. Random weights break the tie.
# - Through many layers the gradient is a product of one factor per layer. The sigmoid's derivative (at most 0.25)
#   makes it vanish: in a 10-layer sigmoid network the first layer gets about $10^{-6}$ of the last layer's gradient.
# - $\mathrm{Var}(z) = n_\text{in}\mathrm{Var}(W)E[x^2]$ gives the scales: $1/n_\text{in}$ (LeCun),
#   $2/(n_\text{in}+n_\text{out})$ (Glorot, for the backward pass too) and $2/n_\text{in}$ (He, for ReLU).
#
# Next: a network can also stall at its output, where a saturated sigmoid meets the squared error.
# **The learning slowdown.**
#
# ## References
#
# - Xavier Glorot and Yoshua Bengio, "Understanding the difficulty of training deep feedforward neural networks",
#   AISTATS 2010. <https://proceedings.mlr.press/v9/glorot10a.html>
# - Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun, "Delving Deep into Rectifiers: Surpassing Human-Level
#   Performance on ImageNet Classification", ICCV 2015. <https://arxiv.org/abs/1502.01852>
# - Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola, *Dive into Deep Learning*, section "Numerical
#   Stability and Initialization". <https://d2l.ai/chapter_multilayer-perceptrons/numerical-stability-and-init.html>
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 5, "Why are deep neural networks hard to train?".
#   <http://neuralnetworksanddeeplearning.com/chap5.html>
