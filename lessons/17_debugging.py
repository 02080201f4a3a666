# %% [markdown]
# # Debugging a network that will not learn
#
# **In this lesson you will**
#
# - run four sanity checks on the digits network before trusting it: the initial loss against $\ln 10$,
#   overfitting 20 examples, the update-to-weight ratio of each layer, and histograms of each layer's activations;
# - write the update-to-weight ratio yourself;
# - diagnose three networks, each with one planted bug, with these checks and the gradient checker of lesson 05,
#   and name where each bug is.
#
# The networks are Part II's `nn.Network`, running the layer functions you wrote in lessons 08 to 11 (or, for the
# three suspects, faulty versions of them plugged into the same slots).

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import data, debugging, diagnostics
from nnfromscratch.checks import check
from nnfromscratch.debugging import check_diagnosis
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

X, labels = data.load_digits(np.float64)
X_train, y_train, X_val, y_val, X_test, y_test = data.train_val_test_split(X, labels, (0.7, 0.1, 0.2), seed=0)

# %% [markdown]
# ## Check 1: the initial loss
#
# Before any training, a network with small random weights has logits near 0, so its softmax gives every class
# about $\frac1{10}$ and its cross-entropy is about $-\ln \frac1{10} = \ln 10$. A 64-64-64-10 ReLU network with He's
# initialisation, on lesson 11's training digits:

# %%
net = nn.Network([64, 64, 64, 10], activation="relu", init="he", seed=0)
print(f"initial loss {net.loss(X_train, y_train):.4f}   ln 10 = {np.log(10):.4f}")
for gain in (1.0, 2.0, 4.0):
    scaled = diagnostics.scaled_network([64, 64, 64, 10], "relu", gain)
    print(f"weights N(0, {gain:g}^2 / n_in): initial loss {scaled.loss(X_train, y_train):.4f}")

# %% [markdown]
# 2.4552 is close to 2.3026: the logits start small. With weights four times LeCun's scale the loss starts at
# 20.67: the network is confidently wrong before it has learned anything, and its first steps will go to undoing
# that. A loss far from $\ln 10$ at the start points at the initialisation, the input scaling or the loss itself.
#
# ## Check 2: overfit 20 examples
#
# A network that can learn at all can memorise 20 examples. Train on them alone, full batch, for 200 epochs:

# %%
history = net.fit(X_train[:20], y_train[:20], epochs=200, learning_rate=0.1, batch_size=20)
print(f"loss on the 20 examples: {history.loss[0]:.4f} in the first epoch, {net.loss(X_train[:20], y_train[:20]):.4f} "
      f"after 200; accuracy {net.accuracy(X_train[:20], y_train[:20]):.0%}")

# %% [markdown]
# Loss near 0, all 20 right. If this fails, do not train on everything yet: something is broken (or the network
# is far too small, or the learning rate far off), and 20 examples show it in a fraction of a second.
#
# ## Check 3: the update-to-weight ratio
#
# How much does one step change a layer, compared with the layer itself?
#
# $$\text{ratio}_l = \frac{\lVert \alpha\, \partial L/\partial W_l \rVert}{\lVert W_l \rVert}$$
#
# with $\lVert\cdot\rVert$ the Frobenius norm, the square root of the sum of squares of all entries. The CS231n
# notes suggest about $10^{-3}$. Much smaller and the layer barely moves; much larger and each step rewrites it.
#
# ### Exercise: the update-to-weight ratio
#
# Write `update_ratio(W, dW, learning_rate)`, returning the ratio above as a number (`np.linalg.norm` computes the
# Frobenius norm of a matrix).

# %% nbgrader={"grade": false, "grade_id": "update_ratio", "locked": false, "schema_version": 3, "solution": true, "task": false}
def update_ratio(W, dW, learning_rate):
    ### BEGIN SOLUTION
    return np.linalg.norm(learning_rate * dW) / np.linalg.norm(W)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_update_ratio", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("update_ratio", update_ratio)

# %% [markdown]
# `nn.update_ratios(params, grads, learning_rate)` gives one per layer. For a fresh 64-64-64-10 network, on a batch
# of 32, at four learning rates, beside the training loss after 10 epochs at that rate:

# %%
for learning_rate in (0.001, 0.01, 0.1, 1.0):
    ratios, history, message = widgets.update_ratio_run(learning_rate)
    outcome = f"loss after 10 epochs {history.loss[-1]:.4f}" if history is not None else message
    print(f"learning rate {learning_rate:<6g} ratios " + ", ".join(f"{r:.1e}" for r in ratios) + f"   {outcome}")

# %% [markdown]
# At 0.001 the ratios are about $10^{-4}$ and the loss has hardly fallen (2.0909 after 10 epochs); at 0.01 they are
# about $10^{-3}$, and at 0.1 about $10^{-2}$, the fastest here (0.1079). At 1.0 they reach $10^{-1}$ and training
# fails: the loss is stuck at 2.3127, no better than a guess. $10^{-3}$ is a rule of thumb, not a law; what the ratio
# gives is the order of magnitude, and a layer whose ratio is a hundred times its neighbours' stands out at once.
#
# ### Try it: the learning rate

# %% tags=["nbval-ignore-output"]
widgets.update_ratio_widget()

# %% [markdown]
# What the slider shows at learning rate 0.01:

# %%
widgets.show_update_ratios(0.01)

# %% [markdown]
# ## Check 4: activation and gradient histograms
#
# Draw each hidden layer's outputs for a batch. Healthy tanh layers spread over $(-1, 1)$; saturated ones pile up at
# $\pm 1$, where the derivative is 0 and the gradient stops (lesson 14). A 6-layer tanh network at LeCun's scale and
# at three times that scale, on 256 digits:

# %%
for gain in (1.0, 3.0):
    deep = diagnostics.scaled_network([64] + [64] * 5 + [10], "tanh", gain)
    outputs = diagnostics.layer_outputs(deep, X_train[:256])[:-1]
    saturated = [np.mean(np.abs(H) > 0.99) for H in outputs]
    print(f"gain {gain:g}: share of outputs with |h| > 0.99, layers 1-5: " + ", ".join(f"{s:.0%}" for s in saturated))
    plots.plot_layer_histograms({f"layer {i}": H for i, H in enumerate(outputs, 1)}, xlabel="h",
                                title=f"tanh outputs of each hidden layer, weights N(0, {gain:g}^2 / n_in)")
    plt.show()

# %% [markdown]
# At gain 1 no output is within 0.01 of $\pm1$; at gain 3 up to 28% are, and the histograms pile up at the ends.
# Do the gradients vanish then? The spread of each layer's weight gradient at both scales, and the histograms at
# gain 3:

# %%
for gain in (1.0, 3.0):
    deep = diagnostics.scaled_network([64] + [64] * 5 + [10], "tanh", gain)
    _, grads = deep.gradients(X_train[:256], y_train[:256])
    print(f"gain {gain:g}: std of dW, layers 1-6: " + ", ".join(f"{g[0].std():.2e}" for g in grads))
plots.plot_layer_histograms({f"dW{i}": g[0] for i, g in enumerate(grads, 1)}, xlabel="dL/dW", color="orange",
                            title="Weight gradients of each layer, gain 3")
plt.show()

# %% [markdown]
# They do not: at gain 3 every layer's weight gradient is five to eleven times wider than at gain 1, and it grows
# towards the input (4.90e-02 at layer 1 against 2.69e-02 at layer 5). A saturated unit passes almost no gradient
# back, but the weights, three times larger, multiply what the other units pass, and here that wins. The gradients
# alone would not have shown the saturation; the activation histograms do: a unit stuck at $\pm1$ hardly learns from
# the examples that put it there, whatever the size of the gradients around it. (The spike at 0 in `dW1` comes mostly
# from the digits' border pixels, which are almost always blank: an input that is 0 gives its weights no gradient.)
#
# ## Find the bug
#
# Three networks, A, B and C, each have one planted bug in their backward pass; their forward passes are right.
# Each is a `Network` built with faulty layer functions in the slots your `dense_forward` and `dense_backward` plug
# into. Where can a bug be? One of these places:

# %%
for location, meaning in debugging.LOCATIONS.items():
    print(f"{location:>20}: {meaning}")

# %% [markdown]
# `debugging.investigate(name)` runs the four checks on a suspect: the initial loss, the gradient check of lesson 05
# on 5 examples, summarised per parameter (the share of entries that agree with finite differences, and the ratio of
# the analytic to the numerical gradient: its median, and from its smallest to its largest over the entries), the
# update-to-weight ratios, and overfitting 20 examples.

# %%
debugging.investigate("A")

# %%
debugging.investigate("B")

# %%
debugging.investigate("C")

# %% [markdown]
# How to read them:
#
# - The gradient checker differentiates the network's own forward pass. If a parameter's gradient disagrees with it,
#   the bug is in the backward pass, somewhere on the way from the loss to that parameter.
# - **Which** parameters disagree says where: the gradient of layer $l$ passes through every layer above it. A
#   wrong loss gradient spoils everything; a wrong $dX$ spoils only the layers below.
# - **How** they disagree says what: one constant ratio everywhere in a parameter is a missing or extra factor;
#   ratios that change from entry to entry (a wide range from smallest to largest, whatever the median) are a
#   gradient computed from the wrong quantity.
# - Change one thing and run the checks again: `debugging.investigate("B", activation="relu")` swaps the activation,
#   `debugging.investigate("C", sizes=[2, 3, 2])` gives layers of different widths. A symptom that goes away, or a
#   new one that appears, narrows the search.
#
# Try your experiments here:

# %%
# debugging.investigate("B", activation="relu")

# %% [markdown]
# ### Exercise: name the bugs
#
# Write `find_the_bug(name)` returning, for `"A"`, `"B"` and `"C"`, the location of its bug: one of the names of
# `debugging.LOCATIONS`, such as `"update"`. The check says, for each, whether you are right and why.

# %% nbgrader={"grade": false, "grade_id": "find_the_bug", "locked": false, "schema_version": 3, "solution": true, "task": false}
def find_the_bug(name):
    ### BEGIN SOLUTION
    return {"A": "weight gradient", "B": "activation gradient", "C": "input gradient"}[name]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_find_the_bug", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check_diagnosis(find_the_bug)

# %% [markdown]
# Suspect C is the original notebook's bug from lesson 04 in batch form. Would its training curve have given it
# away? Train it and a correct network of the same sizes on all 200 moons:

# %%
X_moons, y_moons = debugging.suspect_data("C")
for title, candidate in (("suspect C", debugging.suspect("C")),
                         ("correct", nn.Network([2, 2, 2, 2], activation="tanh", init="lecun", seed=0))):
    history = candidate.fit(X_moons, y_moons, epochs=100, learning_rate=0.1, batch_size=20)
    print(f"{title:>9}: loss {history.loss[0]:.4f} in the first epoch, {history.loss[-1]:.4f} in the last; "
          f"accuracy {candidate.accuracy(X_moons, y_moons):.1%}")

# %% [markdown]
# Both loss curves fall, to nearly the same place: nothing in the training curve says that C's gradients are wrong.
# Only the gradient checker does.
#
# ## Recap
#
# - Before training for real: the initial loss should be near $\ln(\text{classes})$ (2.4552 against 2.3026 here), and
#   the network should overfit 20 examples (loss 0.0116 and 100% after 200 epochs).
# - The update-to-weight ratio $\lVert\alpha\,dW\rVert/\lVert W\rVert$ gives the order of magnitude of each step: about
#   $10^{-3}$ to $10^{-2}$ trained this network well, $10^{-1}$ broke it.
# - Histograms of each layer's outputs show saturation at a glance.
# - The gradient checker says whether a gradient is right; which parameters disagree, and by what ratio, says where
#   and what the bug is; changing one thing at a time confirms it.
#
# This is the end of Part III: the network you built now starts well, learns without stalling, generalises, and
# you can find out why when it does not.
#
# ## References
#
# - Andrej Karpathy and Justin Johnson, CS231n notes, "Neural Networks Part 3: Learning and Evaluation" (gradient
#   checks, sanity checks, babysitting the learning process). <https://cs231n.github.io/neural-networks-3/>
# - Andrej Karpathy, "A Recipe for Training Neural Networks", 2019. <https://karpathy.github.io/2019/04/25/recipe/>
# - Ian Goodfellow, Yoshua Bengio and Aaron Courville, *Deep Learning*, chapter 11, "Practical Methodology" (debugging
#   strategies). <https://www.deeplearningbook.org/contents/guidelines.html>
