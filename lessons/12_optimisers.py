# %% [markdown]
# # Optimisers: momentum, RMSProp and Adam
#
# **In this lesson you will**
#
# - write three improvements on plain gradient descent as their update equations: momentum, RMSProp and Adam;
# - race two optimisers on a 2-D loss surface and see why they behave differently;
# - compare all four on the digits network from the previous lesson, with a fixed seed;
# - change the learning rate during training with a schedule;
# - write the momentum and Adam updates yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnfromscratch import Network, data, optimizers
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## Three update rules
#
# Plain gradient descent steps by $-\alpha g$. On a long narrow valley the gradient points mostly across the valley,
# so it zig-zags and crawls along it. Three fixes, each keeping one or two arrays of state per parameter:
#
# **Momentum** keeps a velocity, a decaying sum of past gradients; across the valley they cancel, along it they add up:
# $$v \leftarrow \beta v + g, \qquad \theta \leftarrow \theta - \alpha v$$
#
# **RMSProp** divides each entry's step by the root-mean-square of its recent gradients, so steep and flat directions
# move at a similar pace:
# $$s \leftarrow \rho s + (1-\rho) g^2, \qquad \theta \leftarrow \theta - \alpha \frac{g}{\sqrt{s} + \epsilon}$$
#
# **Adam** does both. Because $m$ and $v$ start at 0, in the first steps they are biased towards 0 ($v$, with
# $\beta_2 = 0.999$, far more than $m$), and uncorrected steps would be too large; dividing by $1 - \beta^t$ removes the
# bias:
# $$m \leftarrow \beta_1 m + (1-\beta_1) g, \quad v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad \hat m = \frac{m}{1-\beta_1^t}, \quad \hat v = \frac{v}{1-\beta_2^t}, \quad \theta \leftarrow \theta - \alpha \frac{\hat m}{\sqrt{\hat v} + \epsilon}$$
#
# One step of each on the same gradient, from zero state:

# %%
theta, g = np.array([1.0, 1.0]), np.array([0.5, -0.001])
print("SGD      :", theta - 0.01 * g)
print("momentum :", optimizers.momentum_update(theta, g, np.zeros(2), 0.01)[0])
print("RMSProp  :", optimizers.rmsprop_update(theta, g, np.zeros(2), 0.01)[0])
print("Adam     :", optimizers.adam_update(theta, g, np.zeros(2), np.zeros(2), 1, 0.01)[0])

# %% [markdown]
# SGD and momentum move the second entry 500 times less than the first, because its gradient is 500 times smaller.
# RMSProp and Adam move both by about the same amount. Adam's first step is $\alpha$ per entry whatever the
# gradient's size (up to the tiny $\epsilon$: hence 1.0099999). RMSProp has no bias correction, so its first step is
# $\alpha g / \sqrt{(1-\rho) g^2} = \alpha / \sqrt{0.1} \approx 3.16\,\alpha$: the 0.0316 above.
#
# ### Try it: race two optimisers
#
# The "ravine" is $\frac12(x^2 + 50 y^2)$, 50 times steeper across than along; "rosenbrock" is a curved banana-shaped
# valley. Pick two optimisers and their learning rates; a rate that is too large makes a path fly off.

# %% tags=["nbval-ignore-output"]
widgets.race_widget()

# %% [markdown]
# What the widget shows for SGD against momentum on the ravine: SGD bounces from wall to wall (every step crosses
# the valley floor) and crawls along it, while momentum's velocity cancels across the valley and builds up along it.
# Then SGD against Adam on the banana, where SGD's largest stable rate is too small to follow the curved floor:

# %%
widgets.show_race("ravine", "sgd", 0.035, "momentum", 0.01, steps=100)
widgets.show_race("rosenbrock", "sgd", 0.01, "adam", 0.1, steps=150)

# %% [markdown]
# ## On the digits
#
# The digits network of the previous lesson, the same seed and batches, trained with each optimiser at a learning
# rate suited to it (plain SGD and momentum take larger rates than RMSProp and Adam, whose steps are already
# normalised).

# %%
X, labels = data.load_digits()
X_train, y_train, X_val, y_val, X_test, y_test = data.train_val_test_split(X, labels, seed=0)
runs = {"SGD, lr 0.1": optimizers.SGD(0.1), "momentum, lr 0.02": optimizers.Momentum(0.02),
        "RMSProp, lr 0.003": optimizers.RMSProp(0.003), "Adam, lr 0.003": optimizers.Adam(0.003)}
histories = {}
for name, optimizer in runs.items():
    net = Network([64, 64, 10], seed=0, dtype=np.float32)
    histories[name] = net.fit(X_train, y_train, epochs=20, batch_size=32, optimizer=optimizer,
                              learning_rate=optimizer.learning_rate, validation=(X_val, y_val))
print("every optimiser reached 93% validation accuracy:",
      all(h.val_accuracy[-1] >= 0.93 for h in histories.values()))

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (name, h), color in zip(histories.items(), plots.COLORS.values()):
    ax.plot(range(1, 21), h.loss, label=name, color=color)
ax.set(yscale="log", xlabel="epoch", ylabel="training loss (log scale)",
       title="Digits: momentum and the adaptive methods get down faster than plain SGD")
ax.legend()
plt.show()

# %% [markdown]
# ## Learning-rate schedules
#
# A large rate early makes fast progress; a smaller one late settles into a minimum. A **schedule** multiplies the
# initial rate by a factor that depends on the epoch; `Network.fit(..., schedule=...)` applies it.

# %%
epochs = np.arange(1, 31)
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, f, color in [("step decay (halve every 10)", optimizers.step_decay, plots.COLORS["blue"]),
                       ("exponential (0.95 per epoch)", optimizers.exponential_decay, plots.COLORS["orange"]),
                       ("cosine (to 0 over 30)", optimizers.cosine_decay, plots.COLORS["green"])]:
    ax.plot(epochs, [f(e) for e in epochs], label=name, color=color)
ax.set(xlabel="epoch", ylabel="factor on the initial rate", title="Three learning-rate schedules")
ax.legend()
plt.show()

# %%
net = Network([64, 64, 10], seed=0, dtype=np.float32)
history = net.fit(X_train, y_train, epochs=30, learning_rate=0.2, batch_size=16, validation=(X_val, y_val),
                  schedule=optimizers.cosine_decay)
print("with a cosine schedule, test accuracy is at least 97%:", net.accuracy(X_test, y_test) >= 0.97)

# %% [markdown]
# Here the digits reach 97% with or without a schedule (the previous lesson used none); schedules matter more on
# longer runs and harder data, where a constant large rate keeps the parameters bouncing around a minimum.

# %% [markdown]
# ## Exercise: the momentum update
#
# Write `momentum_update(param, grad, velocity, learning_rate, beta)` returning the new parameter and the new
# velocity, `(param - learning_rate * v, v)` with `v = beta * velocity + grad`.

# %% nbgrader={"grade": false, "grade_id": "momentum_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
def momentum_update(param, grad, velocity, learning_rate, beta):
    ### BEGIN SOLUTION
    velocity = beta * velocity + grad
    return param - learning_rate * velocity, velocity
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_momentum_update", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("momentum_update", momentum_update)

# %% [markdown]
# ## Exercise: the Adam update
#
# Write `adam_update(param, grad, m, v, t, learning_rate, beta1, beta2, eps)` returning `(new param, m, v)` as in the
# equations above (`t` counts steps from 1).

# %% nbgrader={"grade": false, "grade_id": "adam_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
def adam_update(param, grad, m, v, t, learning_rate, beta1, beta2, eps):
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_adam_update", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("adam_update", adam_update)

# %% [markdown]
# Forgetting to decay the velocity (so it sums every gradient ever seen) is a classic slip; the check names it:

# %%
check("momentum_update", lambda param, grad, velocity, lr, beta: (param - lr * (velocity + grad), velocity + grad))

# %% [markdown]
# ## Recap
#
# - Momentum: $v \leftarrow \beta v + g$, step $-\alpha v$: speeds up along consistent directions, damps zig-zags.
# - RMSProp and Adam divide by a running RMS of the gradient: each parameter gets its own step size; Adam adds
#   momentum and bias correction.
# - Schedules lower the rate as training proceeds.
#
# Next: the capstone, **automatic differentiation**.
