# %% [markdown]
# # Real handwritten digits
#
# **In this lesson you will**
#
# - load 1,797 real handwritten digits (8x8 pixels) shipped with the package, no download needed;
# - split them into training, validation and test sets with a fixed seed;
# - train a network from nothing but numpy to at least 97% test accuracy in about a second, and read its curves;
# - train the same network with the functions you wrote in lessons 08 to 10, and see it agree with the package's;
# - read its confusion matrix and browse the digits it gets wrong, with the probabilities it gave them;
# - write the confusion matrix yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import Network, data
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets
from nnfromscratch.yours import load_yours

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## The data
#
# The UCI optical digits: 1,797 images written by 13 people, each 8x8 pixels with values 0 to 16 (scaled here to
# [0, 1]), labelled 0 to 9. Licence CC BY 4.0; the file and its source are described in
# `nnfromscratch/data/README.md`.

# %%
X, labels = data.load_digits(dtype=np.float64)
print("X:", X.shape, X.dtype, " labels:", labels.shape, " classes:", np.unique(labels))
print("examples per class:", np.bincount(labels))

# %%
plots.plot_digit_gallery(X[:16], [f"label {l}" for l in labels[:16]], title="The first 16 digits")
plt.show()

# %% [markdown]
# ## Train, validation, test
#
# 70% to train on, 10% to watch during training (validation), 20% kept aside until the very end (test). The test
# set is used once: choosing anything by looking at it would make its accuracy an optimistic estimate.

# %%
X_train, y_train, X_val, y_val, X_test, y_test = data.train_val_test_split(X, labels, (0.7, 0.1, 0.2), seed=0)
print("train", X_train.shape, " validation", X_val.shape, " test", X_test.shape)

# %% [markdown]
# ## Training
#
# A 64-64-10 ReLU network (He initialisation): 64 pixels in, 64 hidden units, 10 logits out. Thirty epochs of
# mini-batches of 16 (lesson 08) at learning rate 0.2, printing the training loss and the validation accuracy every
# 5 epochs. (The training loss of an epoch is the mean of its batches' losses, each measured before its step.)

# %%
def every_5_epochs(epoch, history):
    if epoch % 5 == 0:
        print(f"epoch {epoch:2d}: training loss {history.loss[-1]:.4f}, "
              f"validation accuracy {history.val_accuracy[-1]:.1%}")


net = Network([64, 64, 10], activation="relu", init="he", seed=0)
history = net.fit(X_train, y_train, epochs=30, learning_rate=0.2, batch_size=16, validation=(X_val, y_val),
                  progress=every_5_epochs)

# %% [markdown]
# The time it took varies from machine to machine, so this cell's output is not compared by the tests:

# %% tags=["nbval-ignore-output"]
print(f"training took {history.seconds:.2f} s")

# %% [markdown]
# And once, at the very end, the test set:

# %%
correct = int(np.sum(net.predict(X_test) == y_test))
print(f"test accuracy: {correct / len(y_test):.1%} ({correct} of {len(y_test)} test digits correct)")

# %% [markdown]
# ## Curves
#
# The training loss falls, fast at first. The validation accuracy climbs quickly and then moves up and down by a few
# digits (each of the 180 validation digits is 0.6%): past that point more epochs mostly fit the training set better.

# %%
print(f"training loss: {history.loss[0]:.3f} in the first epoch, {history.loss[-1]:.3f} in the last")
print(f"validation accuracy: {history.val_accuracy[0]:.1%} after the first epoch, between "
      f"{min(history.val_accuracy[4:]):.1%} and {max(history.val_accuracy[4:]):.1%} from the fifth on")
plots.plot_history(history, title="Digits")
plt.show()

# %% [markdown]
# ## Your network learns the digits
#
# Every step of that network's training is a function you wrote (only the activations and their derivatives come
# from the package's registry, `nn.get_activation`, as in lesson 09): the dense layer's forward and backward and the
# network's backward pass (lesson 09), the cross-entropy and its gradient (lesson 10), and the epoch of mini-batch
# gradient descent (lesson 08). Each lesson is its own notebook, so `load_yours` reads your saved notebooks from this
# folder: it runs their import lines and your exercise cells (what the grader runs), and checks each function with
# its check. (Save those lessons first; in the learner's version this lists what is still to write.)

# %%
yours = load_yours({"08_batches": ["train_epoch"],
                    "09_layers": ["dense_forward", "dense_backward", "network_backward"],
                    "10_classification": ["cross_entropy", "softmax_cross_entropy_grad"]})
print(yours)

# %% [markdown]
# The gradients of a batch, every step with your functions, then thirty of your epochs from the package network's
# initial weights (`nn.init_params` with the same seed) and with the same shuffles (a Generator with `fit`'s seed):

# %%
def your_gradients(params, X, labels):
    """The mean cross-entropy of a batch and its gradients [[dW1, db1], [dW2, db2]], with your functions."""
    H, caches = X, []
    for (W, b), activation in zip(params, ["relu", "linear"]):
        H, cache = yours.dense_forward(W, b, H, activation)
        caches.append(cache)
    dlogits = yours.softmax_cross_entropy_grad(labels, H)
    return yours.cross_entropy(labels, H), yours.network_backward(dlogits, caches, yours.dense_backward)


def your_predictions(params, X):
    H = X
    for (W, b), activation in zip(params, ["relu", "linear"]):
        H = yours.dense_forward(W, b, H, activation)[0]
    return H.argmax(axis=1)


if yours.ready:
    params = nn.init_params([64, 64, 10], np.random.default_rng(0), "he")  # Network(seed=0)'s initial weights
    epoch_rng = np.random.default_rng(0)                                    # fit(seed=0)'s shuffles
    for epoch in range(30):
        params = yours.train_epoch(params, your_gradients, X_train, y_train, 0.2, 16, epoch_rng)
    yours_correct = int(np.sum(your_predictions(params, X_test) == y_test))
    print(f"your network:      test accuracy {yours_correct / len(y_test):.1%} "
          f"({yours_correct} of {len(y_test)} correct)")
    print(f"the package's:     test accuracy {correct / len(y_test):.1%} ({correct} of {len(y_test)} correct)")
    difference = max(np.max(np.abs(mine - theirs)) for pair, net_pair in zip(params, net.params)
                     for mine, theirs in zip(pair, net_pair))
    print("largest difference between your weights and the package's after 30 epochs:",
          "below 1e-9 (round-off)" if difference < 1e-9 else f"{difference:.2e}")
else:
    print("Your functions are not all written yet (see the list above): this cell waits for them.")

# %% [markdown]
# The two networks are the same network: the same initial weights, the same batches in the same order, the same
# arithmetic up to the order of a few sums, so their weights agree to round-off and they make the same predictions.
#
# ## Where it goes wrong
#
# The confusion matrix counts, for each true digit (row), what the network predicted (column),
# $C_{ij} = \#\{m : y_m = i,\ \hat c_m = j\}$ with $\hat c_m$ the predicted class of example $m$. The diagonal is right;
# anything off it is a mistake, and tells which digits it confuses. The accuracy is the diagonal's share,
# $\sum_i C_{ii} / \sum_{ij} C_{ij}$.

# %%
predictions = net.predict(X_test)
counts = nn.confusion_matrix(y_test, predictions, 10)
print(f"diagonal: {np.trace(counts)} of {counts.sum()} test digits")
plots.plot_confusion(counts)
plt.show()

# %% [markdown]
# ## Exercise: the confusion matrix
#
# Write `confusion_matrix(labels, predictions, k)` returning a `(k, k)` array whose entry `[i, j]` counts the examples
# of true class `i` predicted as `j`. It is `(k, k)` even when some class never occurs. (Beware of
# `counts[labels, predictions] += 1`: numpy adds 1 only once for a pair that occurs several times.)

# %% nbgrader={"grade": false, "grade_id": "confusion_matrix", "locked": false, "schema_version": 3, "solution": true, "task": false}
def confusion_matrix(labels, predictions, k):
    ### BEGIN SOLUTION
    counts = np.zeros((k, k), dtype=int)
    for true, said in zip(labels, predictions):
        counts[true, said] += 1
    return counts
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_confusion_matrix", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("confusion_matrix", confusion_matrix)

# %% [markdown]
# The fancy-index shortcut, and what the check says of it:

# %%
def confusion_by_fancy_index(labels, predictions, k):
    shortcut = np.zeros((k, k), dtype=np.int64)
    shortcut[labels, predictions] += 1
    return shortcut


check("confusion_matrix", confusion_by_fancy_index)

# %% [markdown]
# ## Try it: browse the digits it gets wrong
#
# Each of the test digits the network misclassifies, beside the probabilities it gave the ten classes (the
# softmax of its logits): the true class in green, its answer in vermillion. Some are hard even for a person; some
# are confident and wrong.

# %% tags=["nbval-ignore-output"]
widgets.mistakes_widget(net, X_test, y_test)

# %% [markdown]
# What the slider shows for the first two mistakes:

# %%
widgets.show_mistake(net, X_test, y_test, 0)
widgets.show_mistake(net, X_test, y_test, 1)

# %% [markdown]
# ## The full MNIST set
#
# With a network connection, `data.load_mnist()` downloads MNIST's 70,000 28x28 digits once (about 11 MB), checks
# them against published checksums and caches them in `~/.cache/nnfromscratch`. A wider network,
# `Network([784, 128, 10])`, trains on it; an epoch takes under a second on one core. (Not run here, so that the
# lesson works offline.)
#
# ```python
# X_train, y_train, X_test, y_test = data.load_mnist()
# net = Network([784, 128, 10], dtype=np.float32)
# net.fit(X_train, y_train, epochs=5, learning_rate=0.1, batch_size=128, progress=nn.print_progress)
# ```
#
# ## Recap
#
# - The functions of Part I, batched and stacked into layers, learn real handwritten digits: at least 97% test
#   accuracy in about a second, with numpy alone, and your own functions do exactly the same.
# - Keep a validation set to watch training and a test set for the final number.
# - The confusion matrix and the misclassified examples, with their probabilities, show *what* the network gets
#   wrong.
#
# ## References
#
# - E. Alpaydin, C. Kaynak, *Optical Recognition of Handwritten Digits* (1998), UCI Machine Learning Repository, the
#   data of this lesson (CC BY 4.0): https://doi.org/10.24432/C50P49
# - Yann LeCun, Corinna Cortes, Christopher J. C. Burges, *The MNIST database of handwritten digits*:
#   http://yann.lecun.com/exdb/mnist/
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 1, "Implementing our network to classify digits":
#   http://neuralnetworksanddeeplearning.com/chap1.html
# - Andrej Karpathy, Justin Johnson, Fei-Fei Li et al., CS231n notes, "Neural Networks Part 3: Learning and
#   Evaluation" (loss curves, training and validation accuracy): https://cs231n.github.io/neural-networks-3/
