# %% [markdown]
# # Welcome: how this course works
#
# **In this lesson you will**
#
# - learn how a lesson works: running cells, moving sliders, solving exercises and reading their checks;
# - meet the one network the whole of Part I is about, drawn with every weight and bias;
# - learn the notation: each symbol, its name in the code, and its shape.
#
# ## How to use a lesson
#
# - **Run every cell, top to bottom** (Shift+Enter, or *Run → Run All Cells*). Each code cell is a few lines and
#   prints what it computes: every number the text quotes is printed by a cell above it.
# - **Sliders** (under *Try it*) redraw their output as you move them. The cell after a slider shows what the
#   slider displays at fixed values, so you can compare.
# - **Exercises** ask you to write a function between `### BEGIN SOLUTION` and `### END SOLUTION`. The cell after
#   it checks your function on several inputs (the worked example and networks of other shapes) and says what is
#   wrong: a known mistake with a hint, or the first wrong number beside the expected one.
# - The notebooks in `notebooks/` contain worked solutions. The **learner version** of each lesson has the
#   solutions removed, for you to fill in; instructors hand it out, and self-learners can keep the solved
#   notebook one click away.
#
# Everything lesson code uses comes from the small package `nnfromscratch` beside the notebooks: read its source
# whenever you want; each function is one equation.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

import nnfromscratch as nn
from nnfromscratch.checks import check
from nnfromscratch.visuals import plots

np.set_printoptions(precision=8, suppress=True)  # 8 decimals, the same on every machine

# %% [markdown]
# ## The worked example
#
# One input `x`, one target `y`, a network with two inputs, two hidden sigmoid units and two sigmoid outputs,
# and a learning rate `alpha`. These numbers come from the notebook this course grew from:

# %%
ex = nn.worked_example()
print(ex)

# %% [markdown]
# Drawn as a network: each arrow is one weight, each unit has one bias. `W1[i, j]` is the weight from input `j` to
# hidden unit `i`, so **row `i` of a weight matrix holds the weights into unit `i`**.

# %%
plots.draw_network(ex)
plt.show()

# %% [markdown]
# ## Notation
#
# | symbol | code | shape | meaning |
# |---|---|---|---|
# | $x$ | `x` | (2,) | the input |
# | $y$ | `y` | (2,) | the target output |
# | $W_1$, $b_1$ | `W1`, `b1` | (2, 2), (2,) | hidden layer weights `(out, in)` and biases |
# | $z_1 = W_1 x + b_1$ | `z1` | (2,) | hidden pre-activations |
# | $h_1 = \sigma(z_1)$ | `h1` | (2,) | hidden activations |
# | $W_2$, $b_2$ | `W2`, `b2` | (2, 2), (2,) | output layer weights and biases |
# | $z_2 = W_2 h_1 + b_2$ | `z2` | (2,) | output pre-activations |
# | $\hat y = \sigma(z_2)$ | `y_hat` | (2,) | the network's output |
# | $L = \frac12 \sum_k (\hat y_k - y_k)^2$ | `loss` | scalar | the squared-error loss |
# | $\delta_2 = \partial L / \partial z_2$, $\delta_1 = \partial L / \partial z_1$ | `delta2`, `delta1` | (2,) | the errors of each layer |
# | $\partial L / \partial W_2$ | `dW2` | (2, 2) | a gradient has its parameter's shape |
# | $\alpha$ | `alpha` | scalar | the learning rate |
#
# The package's `trace()` computes all of them, for one training step, with the functions you will write:

# %%
t = nn.trace()
print("the values of one training step:", ", ".join(t.names()))
print(f"loss before the step: {t.loss:.10f}   after: {t.loss_new:.10f}")

# %% [markdown]
# By the end of Part I you will have derived every one of these by hand, checked them against finite
# differences, and written every function yourself.
#
# ## A first check
#
# Exercises look like this. The cell below is the exercise cell of `output_grad(y, yhat)`, the gradient of the loss
# with respect to the output, $\hat y - y$ (lesson 02 shows where it comes from). Between its markers
# `### BEGIN SOLUTION` and `### END SOLUTION`:
#
# - in the **solved** notebook, the answer is written for you: `return yhat - y`;
# - in the **learner version**, the line there is `raise NotImplementedError()`, and the check below it says
#   "not written yet" until you replace that line with your own code (here: `return yhat - y`).
#
# The check cell after it runs the function on several inputs and prints its verdict. Once the function is written,
# try breaking it, e.g. write `return y - yhat`, and run the check again.

# %% nbgrader={"grade": false, "grade_id": "output_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def output_grad(y, yhat):
    ### BEGIN SOLUTION
    return yhat - y
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "check_output_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("output_grad", output_grad)

# %% [markdown]
# And this is what a check says about a known mistake:

# %%
check("output_grad", lambda y, yhat: y - yhat)

# %% [markdown]
# ## Recap
#
# - Run cells top to bottom; sliders redraw; exercise checks name your mistake.
# - The worked example: a 2-2-2 sigmoid network, one input, squared error, learning rate 0.1.
# - Weights have shape `(out, in)`: $z = W x + b$.
#
# Next: **the forward pass**.
#
# ## Credits and further reading
#
# - The worked example, its function names (`forward_prop`, `MSE`, `hiddenUnitGrad`, `para_update`, ...) and the
#   two defects that `nnfromscratch.original` reproduces come from the notebook this course grew from,
#   *Building Neural Network from scratch* (a Jupyter notebook that names no author).
# - Matt Mazur, "A Step by Step Backpropagation Example" (2015), the walk-through with the same numbers in the other
#   weight layout, reproduced in lesson 07:
#   <https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/>
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 1, "Using neural nets to recognize handwritten
#   digits": <http://neuralnetworksanddeeplearning.com/chap1.html>
# - Grant Sanderson (3Blue1Brown), *Neural networks*, a series of short animated videos on what a network computes
#   and how it learns: <https://www.youtube.com/playlist?list=PLZHQObOWTQDNU6R1_67000Dx_ZCJB-3pi>
