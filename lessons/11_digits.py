# %% [markdown]
# # Real handwritten digits
#
# **In this lesson you will**
#
# - load 1,797 real handwritten digits (8x8 pixels) shipped with the package, no download needed;
# - split them into training, validation and test sets with a fixed seed;
# - train the network you built, from nothing but numpy, to at least 97% test accuracy in about a second;
# - read its loss and accuracy curves, its confusion matrix and the digits it gets wrong;
# - write the confusion matrix yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnfromscratch import Network, confusion_matrix, data, print_progress
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## The data
#
# The UCI optical digits: 1,797 images written by 13 people, each 8x8 pixels with values 0 to 16 (scaled here to
# [0, 1]), labelled 0 to 9. Licence CC BY 4.0; the file and its source are described in
# `nnfromscratch/data/README.md`.

# %%
X, labels = data.load_digits()
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
# A 64-64-10 ReLU network (He initialisation), mini-batches of 16, learning rate 0.2, 30 epochs, in float32.
# One line per epoch shows progress. The timings, and the last digits of the losses, vary between machines
# (float32 sums in a different order give slightly different numbers), so this cell's output is not compared by
# the tests; the cell after it checks the results.

# %% tags=["nbval-ignore-output"]
net = Network([64, 64, 10], activation="relu", init="he", seed=0, dtype=np.float32)
history = net.fit(X_train, y_train, epochs=30, learning_rate=0.2, batch_size=16,
                  validation=(X_val, y_val), progress=print_progress)
print(f"training took {history.seconds:.2f} s")

# %%
test_accuracy = net.accuracy(X_test, y_test)
print("trained for", len(history.loss), "epochs; parameters stayed", net.params[0][0].dtype)
print("test accuracy is at least 97%:", test_accuracy >= 0.97)

# %% [markdown]
# ## Curves
#
# The training loss falls steadily. The validation accuracy climbs quickly and then levels off: past that point
# more epochs mostly fit the training set better.

# %%
plots.plot_history(history, title="Digits")
plt.show()

# %% [markdown]
# ## Where it goes wrong
#
# The confusion matrix counts, for each true digit (row), what the network predicted (column),
# $C_{ij} = \#\{m : y_m = i,\ \hat c_m = j\}$ with $\hat c_m$ the predicted class of example $m$. The diagonal is right;
# anything off it is a mistake, and tells which digits it confuses. The accuracy is the diagonal's share,
# $\sum_i C_{ii} / \sum_{ij} C_{ij}$.

# %%
predictions = net.predict(X_test)
counts = confusion_matrix(y_test, predictions, 10)
plots.plot_confusion(counts)
plt.show()

# %% [markdown]
# And the misclassified test digits themselves, with what the network said. Some are hard even for a person.

# %%
wrong = np.flatnonzero(predictions != y_test)
plots.plot_digit_gallery(X_test[wrong][:16], [f"true {t}, said {p}" for t, p in
                                              zip(y_test[wrong][:16], predictions[wrong][:16])],
                         title="Misclassified test digits (up to 16)", nrows=2)
plt.show()

# %% [markdown]
# ## The full MNIST set
#
# With a network connection, `data.load_mnist()` downloads MNIST's 70,000 28x28 digits once (about 11 MB), checks
# them against published checksums and caches them in `~/.cache/nnfromscratch`. A wider network,
# `Network([784, 128, 10])`, trains on it; an epoch takes under a second on one core. (Not run here, so that the lesson works offline.)
#
# ```python
# X_train, y_train, X_test, y_test = data.load_mnist()
# net = Network([784, 128, 10], dtype=np.float32)
# net.fit(X_train, y_train, epochs=5, learning_rate=0.1, batch_size=128, progress=print_progress)
# ```
#
# ## Exercise: the confusion matrix
#
# Write `confusion_matrix(labels, predictions, k)` returning a `(k, k)` array whose entry `[i, j]` counts the examples
# of true class `i` predicted as `j`.

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
# ## Recap
#
# - The functions of Part I, batched and stacked into layers, learn real handwritten digits: at least 97% test
#   accuracy in about a second, with numpy alone.
# - Keep a validation set to watch training and a test set for the final number.
# - The confusion matrix and the misclassified examples show *what* the network gets wrong.
