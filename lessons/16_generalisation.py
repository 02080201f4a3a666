# %% [markdown]
# # Generalisation: overfitting, L2, early stopping and dropout
#
# **In this lesson you will**
#
# - let a network memorise 50 training digits (100% right) and see how much worse it does on digits it has not seen;
# - see that it memorises anything, even random labels, and that more data narrows the gap most;
# - give 200 digits 30% wrong labels, watch the network learn the wrong ones, and stop it with three regularisers:
#   **L2 weight decay**, **early stopping** on lesson 11's validation set, and **dropout**;
# - write the L2 gradient and inverted dropout yourself;
# - explore training-set size, L2 strength and label noise with a slider.
#
# The network is Part II's `nn.Network`, trained by the same layer functions and epochs you wrote in lessons 08 to
# 11. The regularisers plug into it without changing it: `nn.L2` wraps the optimiser, `nn.Dropout` is a pair of
# layer functions, and `nn.fit_with_validation` calls `fit` one epoch at a time and measures after each.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch import data
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine


def share(accuracy, n):
    """An accuracy as a percentage with one decimal and the count it comes from: stable on every machine."""
    return f"{accuracy:.1%} ({round(accuracy * n)} of {n})"


# %% [markdown]
# ## Memorising 50 digits
#
# Lesson 11's split, in float64: 70% of the digits to train on, 10% to validate, 20% to test (the test set is left
# alone here). Train a 64-100-10 ReLU network on the first **50** training digits only, 100 epochs of SGD with
# learning rate 0.1 and batches of 10, and measure it after every epoch on those 50 and on the validation digits:

# %%
X, labels = data.load_digits(np.float64)
X_train, y_train, X_val, y_val, X_test, y_test = data.train_val_test_split(X, labels, (0.7, 0.1, 0.2), seed=0)
print("train", X_train.shape, " validation", X_val.shape, " test", X_test.shape)

net = nn.Network([64, 100, 10], activation="relu", init="he", seed=0)
print("parameters:", sum(W.size + b.size for W, b in net.params))
history, _ = nn.fit_with_validation(net, X_train[:50], y_train[:50], (X_val, y_val), epochs=100,
                                    learning_rate=0.1, batch_size=10)
print("training accuracy:  ", share(history.accuracy[-1], 50))
print("validation accuracy:", share(history.val_accuracy[-1], 180))
clean_50 = history

# %%
plots.plot_history(history, title="50 training digits")
plt.show()

# %% [markdown]
# Every training digit right, and 83.3% of new ones: a **generalisation gap** of 16.7 points, for a network of 7,510
# parameters fitted to 50 examples. The training loss
# keeps falling towards 0 while the validation loss levels off: past that point the network learns these 50
# images, not digits.
#
# How much can it memorise? Shuffle the 50 labels, so that they no longer have anything to do with the images:

# %%
shuffled = np.random.default_rng(0).permutation(y_train[:50])
print("labels still right by chance:", share(np.mean(shuffled == y_train[:50]), 50))
net = nn.Network([64, 100, 10], activation="relu", init="he", seed=0)
net.fit(X_train[:50], shuffled, epochs=100, learning_rate=0.1, batch_size=10)
print("training accuracy on the shuffled labels:", share(net.accuracy(X_train[:50], shuffled), 50))
print("validation accuracy:                     ", share(net.accuracy(X_val, y_val), 180))

# %% [markdown]
# It learns the meaningless labels perfectly too, and is then no better than guessing on new digits (7.8%; a guess
# is right 10% of the time). Nothing in training alone tells memorising from learning: only data held out does.
#
# ## More data
#
# The surest cure. The same network trained on more of the training digits, each for about the same number of SGD
# steps (15,000 examples' worth, in whole epochs):

# %%
print(f"{'digits':>7} {'epochs':>7} {'batches':>8} {'training':>22} {'validation':>22} {'gap':>6}")
for n in (50, 100, 200, 500, len(X_train)):
    epochs = max(1, 15000 // n)
    net = nn.Network([64, 100, 10], activation="relu", init="he", seed=0)
    net.fit(X_train[:n], y_train[:n], epochs=epochs, learning_rate=0.1, batch_size=10)
    train_acc, val_acc = net.accuracy(X_train[:n], y_train[:n]), net.accuracy(X_val, y_val)
    batches = epochs * int(np.ceil(n / 10))  # the last batch of an epoch may be smaller: it still counts
    print(f"{n:7d} {epochs:7d} {batches:8d} {share(train_acc, n):>22} {share(val_acc, 180):>22} "
          f"{100 * (train_acc - val_acc):6.1f}")

# %% [markdown]
# Up to 500 digits that is 1,500 batches of 10; all 1,258 digits get 11 epochs, 1,386 batches. The 50-digit row
# trains three times longer than the first section (1,500 batches against 500), hence 84.4% rather than 83.3%.
# From 50 to 1,258 digits the gap falls from 15.6 points to 1.4.
#
# ## Wrong labels get memorised too
#
# Real data sets contain mislabelled examples. Take 200 training digits and change 30% of their labels to another
# class at random (`data.with_label_noise`), then train as before for 60 epochs. The validation digits keep their
# true labels.

# %%
noisy, changed = data.with_label_noise(y_train[:200], 0.3, seed=1)
print(f"{changed.sum()} of 200 labels changed; still right:", share(np.mean(noisy == y_train[:200]), 200))
history, net, _ = widgets.generalisation_run(n_train=200, lam=0.0, noise=0.3)
memorised = np.sum(net.predict(X_train[:200])[changed] == noisy[changed])
no_l2 = history, memorised, sum(float(np.sum(W ** 2)) for W, _ in net.params)
print("training accuracy on its labels:", share(history.accuracy[-1], 200))
print(f"wrong labels it learned: {memorised} of {changed.sum()}")
print("validation accuracy:", share(history.val_accuracy[-1], 180))

# %%
plots.plot_history(history, title="200 digits, 30% mislabelled")
plt.show()

# %% [markdown]
# The network learned 47 of the 57 wrong labels, and it paid for them: the validation accuracy rose at first and
# then fell to 72.2% as the wrong labels were learned, while the validation loss turned upwards. Three ways to stop
# it follow.
#
# ## L2 weight decay
#
# Add a penalty on large weights to the loss (the weights only, not the biases):
#
# $$L_\text{total} = L + \frac{\lambda}{2} \sum_l \lVert W_l \rVert^2, \qquad
# \frac{\partial L_\text{total}}{\partial W_l} = \frac{\partial L}{\partial W_l} + \lambda W_l, \qquad
# \frac{\partial L_\text{total}}{\partial b_l} = \frac{\partial L}{\partial b_l}.$$
#
# The $\tfrac12$ cancels the 2 of the square. With gradient descent, $W \leftarrow W - \alpha(\partial L/\partial W +
# \lambda W) = (1 - \alpha\lambda) W - \alpha\, \partial L/\partial W$: every step first shrinks the weights a little,
# hence "weight decay". To fit a wrong label, a network needs large weights for one odd example; the penalty makes
# that expensive.
#
# ### Exercise: the L2 gradient
#
# Write `l2_grad(W, b, dW, db, lam)` returning the pair `(dW_total, db_total)` for one layer: the data gradients
# `dW`, `db` with the penalty's gradient added. Return new arrays.

# %% nbgrader={"grade": false, "grade_id": "l2_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def l2_grad(W, b, dW, db, lam):
    ### BEGIN SOLUTION
    return dW + lam * W, db.copy()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_l2_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("l2_grad", l2_grad)

# %% [markdown]
# `nn.L2(optimizer, lam)` adds exactly this to every layer before the optimiser's step:
# `net.fit(..., optimizer=nn.L2(nn.SGD(0.1), lam))`. The same 200 noisy digits for several strengths $\lambda$
# (the sum of squared weights shows the decay):

# %%
print(f"{'lambda':>7} {'training':>16} {'wrong labels learned':>21} {'validation':>16} {'sum of W**2':>12}")
for lam in (0.0, 0.01, 0.03):
    if lam == 0.0:
        history, memorised, weights = no_l2  # the run above
    else:
        history, net, _ = widgets.generalisation_run(n_train=200, lam=lam, noise=0.3)
        memorised = np.sum(net.predict(X_train[:200])[changed] == noisy[changed])
        weights = sum(float(np.sum(W ** 2)) for W, _ in net.params)
    print(f"{lam:7.3f} {share(history.accuracy[-1], 200):>16} {f'{memorised} of {changed.sum()}':>21} "
          f"{share(history.val_accuracy[-1], 180):>16} {weights:12.1f}")

# %% [markdown]
# With $\lambda = 0.03$ the network learns 2 of the 57 wrong labels instead of 47, its accuracy on its own (partly
# wrong) training labels falls to 69.0%, close to the 71.5% that are right, and the validation accuracy rises from
# 72.2% to 84.4%. The gap between training and validation accuracy even turns negative: the training labels are the
# noisy ones.
#
# L2 cannot create information, though. On the 50 clean digits of the first section it changes little:

# %%
net = nn.Network([64, 100, 10], activation="relu", init="he", seed=0)
history, _ = nn.fit_with_validation(net, X_train[:50], y_train[:50], (X_val, y_val), epochs=100,
                                    optimizer=nn.L2(nn.SGD(0.1), 0.03), batch_size=10)
for lam, run in ((0.0, clean_50), (0.03, history)):
    print(f"50 clean digits, lambda = {lam:g}: training {share(run.accuracy[-1], 50)}, "
          f"validation {share(run.val_accuracy[-1], 180)}")

# %% [markdown]
# ### Try it: data, L2 and noise
#
# The slider trains the 64-100-10 network for 60 epochs and draws its training and validation curves. Move the L2 strength with 30% noise, then set the noise to 0; give it more digits.

# %% tags=["nbval-ignore-output"]
widgets.generalisation_widget()

# %% [markdown]
# What the slider shows for the same 200 digits with their true labels and no regularisation:

# %%
widgets.show_generalisation(n_train=200, lam=0.0, noise=0.0)

# %% [markdown]
# ## Early stopping
#
# The validation curves of the unregularised run peaked early. **Early stopping** measures the validation loss
# after every epoch, stops once it has not improved for `patience` epochs, and puts back the weights of the best
# epoch. It uses the validation set of lesson 11, never the test set: the test set stays for the one final number.

# %%
net = nn.Network([64, 100, 10], activation="relu", init="he", seed=0)
history, best = nn.fit_with_validation(net, X_train[:200], noisy, (X_val, y_val), epochs=60, patience=10,
                                       learning_rate=0.1, batch_size=10)
print(f"stopped after epoch {len(history.loss)}; the lowest validation loss was at epoch {best} "
      f"({history.val_loss[best - 1]:.4f}), whose weights are kept")
print("validation accuracy with those weights:", share(net.accuracy(X_val, y_val), 180))
print(f"wrong labels learned by then: {np.sum(net.predict(X_train[:200])[changed] == noisy[changed])} of "
      f"{changed.sum()}")
peak = int(np.argmax(history.val_accuracy)) + 1
print(f"the highest validation accuracy of the run: {share(history.val_accuracy[peak - 1], 180)} at epoch {peak}")

# %% [markdown]
# At its best epoch the network had learned only 14 of the 57 wrong labels: they are learned late, after the
# patterns the right labels share. Stopping there gives 77.8% instead of 72.2%.
#
# The validation accuracy peaked earlier, at 85.6% in epoch 11; the validation loss, which also counts how confident
# each answer is, reached its lowest only at epoch 22. Watching the accuracy instead would have kept epoch 11: which
# quantity to watch is one more choice made on the validation set.

# %% [markdown]
# ## Dropout
#
# **Dropout** switches off each hidden unit at random during training, so that no unit can rely on a particular
# other one being there. Each unit is kept with probability $q$ (`keep`); the kept ones are divided by $q$:
#
# $$\tilde H = H \odot M, \qquad M_{ij} = \frac{\xi_{ij}}{q},\ \xi_{ij} \sim \text{Bernoulli}(q), \qquad
# \frac{\partial L}{\partial H} = M \odot \frac{\partial L}{\partial \tilde H}.$$
#
# Dividing by $q$ ("inverted" dropout) keeps each unit's expected output unchanged, $E[\tilde H] = H$, so at test time
# the network is used as it is, every unit on, with no rescaling. The backward pass multiplies by the same mask.
#
# ### Exercise: inverted dropout
#
# Write `dropout_forward(H, keep, rng, training)` returning `(H_out, mask)`. In training, draw
# `rng.random(H.shape) < keep` (True for the units kept), make the mask from it with the $1/q$ included, and return
# `H * mask` and the mask. At test time (`training=False`) return `H` itself and a mask of ones.

# %% nbgrader={"grade": false, "grade_id": "dropout_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dropout_forward(H, keep, rng, training):
    ### BEGIN SOLUTION
    if not training:
        return H, np.ones_like(H)
    mask = (rng.random(H.shape) < keep) / keep
    return H * mask, mask
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_dropout_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("dropout_forward", dropout_forward)

# %% [markdown]
# `nn.Dropout(keep, seed)` puts this after every hidden layer (never on the output layer's logits) as a pair of layer
# functions; `fit_with_validation` switches it on for training and off for measuring. The same 200 noisy digits,
# keeping half of the units:

# %%
drop = nn.Dropout(keep=0.5, seed=0)
net = nn.Network([64, 100, 10], activation="relu", init="he", seed=0,
                 layer_forward=drop.forward, layer_backward=drop.backward)
history, _ = nn.fit_with_validation(net, X_train[:200], noisy, (X_val, y_val), epochs=60, dropout=drop,
                                    learning_rate=0.1, batch_size=10)
print("dropout 0.5: validation accuracy", share(history.val_accuracy[-1], 180), f"; wrong labels learned: "
      f"{np.sum(net.predict(X_train[:200])[changed] == noisy[changed])} of {changed.sum()}")
drop.training = True  # the mistake: dropout left on at test time
print("left on at test time, three evaluations:", ", ".join(share(net.accuracy(X_val, y_val), 180)
                                                           for _ in range(3)))
drop.training = False

# %% [markdown]
# With dropout the network learns 25 of the 57 wrong labels and reaches 77.2% on the validation digits. Left on
# at test time, the same network answers differently at each evaluation, and worse (73.9%, 66.7%, 67.8%): each
# prediction comes from a random half of it.
#
# On this problem the three regularisers rank: L2 ($\lambda = 0.03$) 84.4%, early stopping 77.8%, dropout 77.2%,
# none 72.2%. Another problem may rank them differently: choose with the validation set, and report the test set
# once, at the end.
#
# ## Recap
#
# - A network can memorise its training set, even random labels: 100% on 50 training digits says nothing about new
#   ones (83.3%). Held-out data measures generalisation.
# - More data narrows the gap most: with about 1,500 steps of training, 84.4% of the validation digits are right after
#   50 training digits, 97.8% after 1,258.
# - L2 adds $\lambda W$ to each weight gradient and not to the biases; early stopping keeps the epoch with the
#   lowest validation loss; inverted dropout divides by $p$ in training and is off at test time. With 30% wrong
#   labels they lift the validation accuracy from 72.2% to 84.4%, 77.8% and 77.2%.
#
# Next: a network that will not learn at all, and how to find out why. **Debugging.**
#
# ## References
#
# - Nitish Srivastava, Geoffrey Hinton, Alex Krizhevsky, Ilya Sutskever and Ruslan Salakhutdinov, "Dropout: A Simple
#   Way to Prevent Neural Networks from Overfitting", JMLR 15, 2014. <https://jmlr.org/papers/v15/srivastava14a.html>
# - Ian Goodfellow, Yoshua Bengio and Aaron Courville, *Deep Learning*, chapter 7, "Regularization for Deep
#   Learning". <https://www.deeplearningbook.org/contents/regularization.html>
# - Chiyuan Zhang, Samy Bengio, Moritz Hardt, Benjamin Recht and Oriol Vinyals, "Understanding deep learning requires
#   rethinking generalization", ICLR 2017. <https://arxiv.org/abs/1611.03530>
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 3, sections on overfitting and regularization.
#   <http://neuralnetworksanddeeplearning.com/chap3.html>
