# %% [markdown]
# # Optimisers: momentum, RMSProp and Adam
#
# **In this lesson you will**
#
# - write three improvements on plain gradient descent as their update equations: momentum, RMSProp and Adam;
# - see that momentum with rate $\alpha$ moves like plain gradient descent with the *effective rate*
#   $\alpha/(1-\beta)$ where the gradient changes slowly, and so compare optimisers at matched or swept rates;
# - race optimisers on two 2-D loss surfaces and read what their paths show;
# - compare all four on the digits network, each over a range of learning rates;
# - change the learning rate during training with a schedule;
# - write the momentum and Adam updates yourself.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnfromscratch import Network, data, optimizers
from nnfromscratch.checks import check
from nnfromscratch.network import TrainingDiverged
from nnfromscratch.visuals import plots, widgets

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## Three update rules
#
# Plain gradient descent (SGD when the gradient comes from a mini-batch) steps by $-\alpha g$. On a long narrow
# valley the gradient points mostly across the valley, so it zig-zags and crawls along it. Three fixes, each keeping
# one or two arrays of state per parameter:
#
# **Momentum** keeps a velocity $v$, a decaying sum of past gradients:
# $$v \leftarrow \beta v + g, \qquad \theta \leftarrow \theta - \alpha v$$
#
# **RMSProp** divides each entry's step by the root-mean-square of its recent gradients, kept in $s$, so steep and
# flat directions move at a similar pace:
# $$s \leftarrow \rho s + (1-\rho) g^2, \qquad \theta \leftarrow \theta - \alpha \frac{g}{\sqrt{s} + \kappa}$$
#
# **Adam** does both, with a running mean $m$ of the gradients and RMSProp's $s$. Because $m$ and $s$ start at 0, in
# the first steps they are biased towards 0 ($s$, with $\beta_2 = 0.999$, far more than $m$), and uncorrected steps
# would be too large; dividing by $1 - \beta^t$ removes the bias:
# $$m \leftarrow \beta_1 m + (1-\beta_1) g, \quad s \leftarrow \beta_2 s + (1-\beta_2) g^2, \quad \hat m = \frac{m}{1-\beta_1^t}, \quad \hat s = \frac{s}{1-\beta_2^t}, \quad \theta \leftarrow \theta - \alpha \frac{\hat m}{\sqrt{\hat s} + \kappa}$$
#
# $\kappa = 10^{-8}$ only keeps the division finite where $s = 0$. (Papers and libraries call it $\epsilon$, and the
# Adam paper calls $s$ "$v$"; in this course $\epsilon$ is the finite-difference step of lesson 05 and $v$ is
# momentum's velocity, one symbol per idea.)
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
# gradient's size (up to the tiny $\kappa$: hence 1.0099999). RMSProp has no bias correction, so with the usual
# $\rho = 0.9$ (the package's default, as Adam's $\beta_1 = 0.9$ and $\beta_2 = 0.999$ are) its first step is
# $\alpha g / \sqrt{(1-\rho) g^2} = \alpha / \sqrt{0.1} \approx 3.16\,\alpha$: the 0.0316 above.
#
# ## Momentum's effective rate
#
# When the gradient stays the same, $g$, the velocity grows $g,\ (1 + \beta) g,\ (1 + \beta + \beta^2) g, \dots$
# towards $g / (1 - \beta)$:

# %%
velocity = np.zeros(1)
for step in range(1, 51):
    _, velocity = optimizers.momentum_update(np.zeros(1), np.ones(1), velocity, 0.1, 0.9)
    if step in (1, 2, 5, 10, 20, 50):
        print(f"after {step:2d} steps of g = 1: v = {velocity[0]:.4f}")
print(f"limit 1 / (1 - beta) = {1 / (1 - 0.9):.4f}")

# %% [markdown]
# So on a steady slope momentum with rate $\alpha$ steps $\alpha g / (1-\beta)$: like plain gradient descent with the
# **effective rate** $\alpha / (1-\beta)$, ten times $\alpha$ for $\beta = 0.9$. Comparing momentum and SGD at the
# same $\alpha$ compares steps ten times apart; a fair comparison matches the effective rates, or sweeps the rate of
# each.
#
# Where the gradient changes quickly (a steep direction, where the loss curves sharply) the two differ, and this is
# where momentum gains. On a quadratic the curvature (the second derivative) is the same everywhere, and plain
# gradient descent converges only when $\alpha \cdot \text{curvature} < 2$, momentum when
# $\alpha \cdot \text{curvature} < 2(1 + \beta)$: momentum's effective rate may reach $2(1+\beta)/(1-\beta) = 38$
# divided by the curvature, SGD's rate only 2 divided by it. A valley that is steep across and gentle along
# therefore lets momentum take much longer steps along its floor.
#
# Two surfaces to race on: the "ravine" is $\frac12(x^2 + 50 y^2)$, 50 times more curved across ($y$) than along
# ($x$), starting at $(-4, 1)$; "rosenbrock" is the curved banana-shaped valley $(1-x)^2 + 10(y - x^2)^2$, minimum at
# $(1, 1)$, starting at $(-1.5, 2)$. First, the ravine's limits. Across the valley the curvature is 50, so SGD needs
# $\alpha < 2/50 = 0.04$ and momentum $\alpha < 2 \cdot 1.9/50 = 0.076$ (a path that leaves the box
# $|x|, |y| < 10^6$ counts as diverged):

# %%
for name, rates in [("sgd", (0.039, 0.041)), ("momentum", (0.075, 0.077))]:  # each side of each limit
    for lr in rates:
        loss = optimizers.final_loss("ravine", name, lr, steps=100)
        print(f"{name:>8}, lr {lr}: " + ("diverged" if np.isinf(loss) else f"loss {loss:.2e} after 100 steps"))

# %% [markdown]
# Just above its limit, SGD's loss grows step after step (it has reached $4.3 \times 10^5$ after 100 steps at
# 0.041); momentum diverges at 0.077.
#
# ### Try it: race two optimisers
#
# Pick the surface, two optimisers and their learning rates; a rate that is too large makes a path fly off
# (momentum uses $\beta = 0.9$).

# %% tags=["nbval-ignore-output"]
widgets.race_widget()

# %% [markdown]
# The widget starts with SGD at 0.035, just under its limit, against momentum at 0.01, an effective rate of 0.1 that
# SGD cannot use here; this cell draws that race:

# %%
widgets.show_race("ravine", "sgd", 0.035, "momentum", 0.01, steps=100)
for name, lr in [("sgd", 0.035), ("momentum", 0.01)]:
    path = optimizers.race("ravine", name, lr, steps=100)
    wide = np.flatnonzero(np.abs(path[:, 1]) > 0.01)
    print(f"{name:>8}: |y| > 0.01 (still swinging across) until step {wide[-1]}; largest x {path[:, 0].max():.4f} "
          f"(at step {path[:, 0].argmax()}); x after 100 steps {path[-1, 0]:.4f}")

# %% [markdown]
# What the race shows. SGD's swing across the valley shrinks by $|1 - 0.035 \cdot 50| = 0.75$ per step and has
# died out after step 16, but along the floor each step removes only 3.5% of the distance, so after 100 steps it is
# still at $x = -0.11$. Momentum does *not* damp the swing faster: with $\beta = 0.9$ both its directions oscillate,
# shrinking only by about $\sqrt{\beta} \approx 0.95$ per step, so it keeps crossing the valley until step 85, and
# along the floor it overshoots the minimum to $x = 0.61$ at step 35 before it comes back. It ends far closer,
# $x = 0.0105$: its gain is the long step along the floor that SGD cannot take without diverging across it.
#
# On the banana, SGD at 0.02, just under the rate where it diverges (0.021, below), against Adam at 0.1:

# %%
widgets.show_race("rosenbrock", "sgd", 0.02, "adam", 0.1, steps=150)
banana, path = optimizers.SURFACES["rosenbrock"][0], optimizers.race("rosenbrock", "sgd", 0.02, steps=150)
print("sgd, lr 0.02: loss at steps 0 to 5:", " ".join(f"{banana(p):.3g}" for p in path[:6]),
      f"; at step 4 it is at ({path[4, 0]:.2f}, {path[4, 1]:.2f})")
for lr in (0.01, 0.015, 0.02, 0.021):
    loss = optimizers.final_loss("rosenbrock", "sgd", lr, steps=150)
    print(f"sgd, lr {lr}: " + ("diverged" if np.isinf(loss) else f"loss {loss:.2e} after 150 steps"))

# %% [markdown]
# SGD at 0.02 does not follow the curved floor at all. On the steep wall where it starts, its first steps overshoot
# across the valley, and the loss rises from 6.88 to 45.6 in three steps; the fourth happens to land it in the far
# arm of the banana, at (1.27, 1.49), from where it zig-zags down to the minimum and ends at loss
# $1.8 \times 10^{-4}$ (Adam: $6.9 \times 10^{-5}$). That lucky jump is fragile: at 0.021 SGD diverges, at 0.015 it
# is still at loss 0.089, and at 0.01, slowly following the floor, at 0.57. The rate that works is squeezed between
# "too slow along the floor" and "unstable across it". Adam follows the floor around the bend: its step is about
# $\alpha$ per entry whatever the gradient's size, so the steep walls cannot throw it across.
#
# A sweep makes this comparison fair: the loss after a fixed number of steps for a range of rates, each optimiser
# over the same rates, momentum plotted at its effective rate $\alpha/(1-\beta)$ (crosses at the top: diverged).

# %%
rates = np.logspace(-3, 0, 13)
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, (surface, steps) in zip(axes, [("ravine", 100), ("rosenbrock", 150)]):
    print(f"{surface}, {steps} steps:")
    for (name, label), color in zip([("sgd", "SGD"), ("momentum", "momentum (at lr / (1 - beta))"),
                                     ("rmsprop", "RMSProp"), ("adam", "Adam")], plots.COLORS.values()):
        losses = np.array([optimizers.final_loss(surface, name, lr, steps) for lr in rates])
        x = rates / (1 - 0.9) if name == "momentum" else rates
        ok = np.isfinite(losses)
        ax.plot(x[ok], losses[ok], "o-", color=color, label=label)
        ax.plot(x[~ok], np.full((~ok).sum(), 1e3), "x", color=color, ms=8)
        best = np.argmin(np.where(ok, losses, np.inf))
        limit = f"diverged from lr {rates[~ok].min():.4f} on" if (~ok).any() else "never diverged"
        print(f"  {name:>8}: lowest loss {losses[best]:.1e} at lr {rates[best]:.4f}; {limit}")
    ax.set(xscale="log", yscale="log", xlabel="learning rate (momentum: effective rate)", ylabel="final loss",
           title=f"{surface}: loss after {steps} steps")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# At small effective rates momentum's curve runs close to SGD's. On both surfaces it then reaches the lowest loss
# of all, at an effective rate where SGD already diverges (0.056 on the ravine, 0.18 on the banana): the gain is the
# longer stable step. Adam never diverges on these surfaces and does best at large rates; RMSProp, with no momentum,
# never diverges either, but its steps stay about $\alpha$ long however close it gets, so past its best rate it
# keeps bouncing between the walls and its final loss mostly grows with the rate. SGD's best rate on the banana of
# those tried above, 0.02, falls between two points of the grid (0.0178 gives $4.0 \times 10^{-2}$, 0.0316 diverges):
# its window is narrower than the factor 1.78 between neighbouring rates of the sweep, so a coarse sweep can miss it
# altogether.
#
# ## On the digits
#
# A network like the previous lesson's (64-64-10, ReLU, He initialisation, seed 0, mini-batches of 16), here in
# float32 and for 20 epochs instead of 30, so that the comparisons run in seconds. First momentum against SGD at the
# same rate and at the matched effective rate:

# %%
X, labels = data.load_digits()
X_train, y_train, X_val, y_val, X_test, y_test = data.train_val_test_split(X, labels, seed=0)


def train_digits(optimizer, epochs=20):
    """The final training loss (the mean over the last epoch's mini-batches) and the loss per epoch."""
    net = Network([64, 64, 10], activation="relu", init="he", seed=0, dtype=np.float32)
    try:
        history = net.fit(X_train, y_train, epochs=epochs, batch_size=16, optimizer=optimizer)
    except TrainingDiverged:
        return np.inf, []
    return history.loss[-1], history.loss


runs = {"SGD, lr 0.02": optimizers.SGD(0.02), "momentum, lr 0.02 (effective 0.2)": optimizers.Momentum(0.02),
        "SGD, lr 0.2": optimizers.SGD(0.2)}
curves = {name: train_digits(optimizer)[1] for name, optimizer in runs.items()}
for name, curve in curves.items():
    print(f"{name:>34}: training loss after 20 epochs {curve[-1]:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (name, curve), color, style in zip(curves.items(), plots.COLORS.values(), ["-", "-", "--"]):
    ax.plot(range(1, 21), curve, style, label=name, color=color)
ax.set(yscale="log", xlabel="epoch", ylabel="training loss (log scale)",
       title="Digits: momentum at lr 0.02 follows SGD at its effective rate 0.2")
ax.legend()
plt.show()

# %% [markdown]
# Against SGD at the same $\alpha = 0.02$ momentum looks far better; against SGD at its effective rate 0.2 the two
# curves lie on top of each other. On this network the gradient changes slowly enough from step to step that
# momentum behaves like SGD with a ten times larger rate.
#
# Now a sweep, each optimiser over rates a factor 2 apart (momentum again on its effective rate). Each sweep stops
# where training becomes erratic: at twice the largest rate below (momentum 0.16, RMSProp 0.01, Adam 0.02) the
# final loss depends on the tiniest rounding differences, and we measured it change by large factors from one
# linear-algebra library to another, so those runs cannot be printed here. SGD's last rate, 1.6, is different: it
# reliably stops learning.

# %%
sweeps = {"SGD": (optimizers.SGD, [0.05, 0.1, 0.2, 0.4, 0.8, 1.6]),
          "momentum": (optimizers.Momentum, [0.005, 0.01, 0.02, 0.04, 0.08]),
          "RMSProp": (optimizers.RMSProp, [0.000625, 0.00125, 0.0025, 0.005]),
          "Adam": (optimizers.Adam, [0.000625, 0.00125, 0.0025, 0.005, 0.01])}
final = {name: np.array([train_digits(make(lr))[0] for lr in lrs]) for name, (make, lrs) in sweeps.items()}
for name, (make, lrs) in sweeps.items():
    best = int(np.argmin(final[name]))
    print(f"{name:>8}: lowest final training loss {final[name][best]:.2g}, at lr {lrs[best]:g}")
print(f"SGD at lr 1.6: final training loss {final['SGD'][-1]:.2f} (guessing, 1/10 for every class, gives "
      f"ln 10 = {np.log(10):.2f})")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (name, (make, lrs)), color in zip(sweeps.items(), plots.COLORS.values()):
    x = np.array(lrs) / (1 - 0.9) if name == "momentum" else np.array(lrs)
    ax.plot(x, final[name], "o-", color=color, label=name + (" (at lr / (1 - beta))" if name == "momentum" else ""))
ax.set(xscale="log", yscale="log", xlabel="learning rate (momentum: effective rate)",
       ylabel="training loss after 20 epochs", title="Digits: final training loss against the learning rate")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# With every rate swept, none of them beats plain SGD by much on this small problem. SGD and momentum reach their
# lowest losses, 0.0027 and 0.0022, at the same effective rate, 0.8, the largest at which they train reliably
# (SGD at 1.6 stops learning: its loss stays near chance level, 2.33). Adam's best, 0.0026, comes at a rate 80
# times smaller (its steps do not grow with the gradient), and RMSProp's, 0.016, is several times higher. The
# adaptive methods earn their keep where the gradients of different parameters differ greatly in scale
# (the first cell of this lesson), and momentum on ill-conditioned surfaces, curved far more in some directions
# than in others, like the ravine; on this small, well-scaled problem, plain SGD at a well-chosen rate is as good.
#
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

# %% [markdown]
# The previous lesson's settings (rate 0.2, 30 epochs; here in float32), with and without a cosine schedule:

# %%
for schedule in (None, optimizers.cosine_decay):
    net = Network([64, 64, 10], activation="relu", init="he", seed=0, dtype=np.float32)
    history = net.fit(X_train, y_train, epochs=30, learning_rate=0.2, batch_size=16, schedule=schedule)
    correct = int(np.sum(net.predict(X_test) == y_test))
    print(f"{'cosine schedule' if schedule else 'constant rate':>15}: final training loss {history.loss[-1]:.4f}, "
          f"test accuracy {correct} of {len(y_test)} ({100 * correct / len(y_test):.1f}%)")

# %% [markdown]
# Here the schedule does not help: its small late steps make less progress, so it ends with a higher training loss
# (0.0339 against 0.0196), and on the test digits the two differ by one digit (354 against 353 of 359).
# Schedules pay off on longer runs and harder data, where a constant large rate keeps the parameters bouncing around
# a minimum that smaller steps would settle into.
#
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
# Other texts write momentum differently: as a moving average, $v \leftarrow \beta v + (1-\beta) g$ (whose steps
# are $1-\beta$ times smaller), or as CS231n does (with $\mu$ for $\beta$), $v \leftarrow \beta v - \alpha g$,
# $\theta \leftarrow \theta + v$ (the same path while $\alpha$ stays fixed, with the rate inside the velocity). The
# check knows both and explains the course's convention:

# %%
check("momentum_update", lambda param, grad, velocity, learning_rate, beta: (
    param - learning_rate * (beta * velocity + (1 - beta) * grad), beta * velocity + (1 - beta) * grad))

# %% [markdown]
# ## Exercise: the Adam update
#
# Write `adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa)` returning `(new param, m, s)` as in
# the equations above (`t` counts steps from 1).

# %% nbgrader={"grade": false, "grade_id": "adam_update", "locked": false, "schema_version": 3, "solution": true, "task": false}
def adam_update(param, grad, m, s, t, learning_rate, beta1, beta2, kappa):
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    return param - learning_rate * m_hat / (np.sqrt(s_hat) + kappa), m, s
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_adam_update", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("adam_update", adam_update)

# %% [markdown]
# ## Recap
#
# - Momentum: $v \leftarrow \beta v + g$, step $-\alpha v$. On a steady slope it moves like plain gradient descent
#   with the effective rate $\alpha/(1-\beta)$; its gain is that it stays stable at effective rates where plain
#   gradient descent diverges across steep directions.
# - Compare optimisers at matched effective rates or over a sweep of rates, never one rate each chosen by eye.
# - RMSProp and Adam divide by a running RMS of the gradient: each parameter gets its own step size, about $\alpha$
#   whatever the gradient's scale; Adam adds momentum and bias correction.
# - Schedules lower the rate as training proceeds.
#
# Next: the capstone, **automatic differentiation**.
#
# ## References
#
# - Gabriel Goh, *Why Momentum Really Works*, Distill (2017), https://distill.pub/2017/momentum/: momentum on
#   quadratics, its stability limit and its oscillations, with interactive figures.
# - Diederik P. Kingma, Jimmy Ba, *Adam: A Method for Stochastic Optimization*, ICLR 2015,
#   https://arxiv.org/abs/1412.6980.
# - Andrej Karpathy, Justin Johnson et al., CS231n, *Neural Networks Part 3: Learning and Evaluation* (parameter
#   updates, with CS231n's momentum convention), https://cs231n.github.io/neural-networks-3/.
# - Aston Zhang, Zachary C. Lipton, Mu Li, Alexander J. Smola, *Dive into Deep Learning*, chapter "Optimization
#   Algorithms", https://d2l.ai/chapter_optimization/index.html.
