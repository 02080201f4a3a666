"""example.py: the worked example's trace and training against oracles independent of the package.

Oracle 1, by hand: every value written out unit by unit with Python's `math`,
scalar by scalar, as one would on paper (no numpy, no package function).
Oracle 2, published: the numbers printed by the original notebook (4 decimals
of the forward pass, its output-layer gradients) and the design's corrected ones.
"""

import math

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import original


def s(z):
    return 1.0 / (1.0 + math.exp(-z))


# --- oracle 1: the worked example by hand -------------------------------------------------------------------
x = [0.05, 0.10]
y = [0.01, 0.99]
W1 = [[0.15, 0.25], [0.20, 0.30]]
W2 = [[0.40, 0.50], [0.45, 0.55]]
b1, b2, alpha = [0.35, 0.35], [0.60, 0.60], 0.1

z1 = [W1[i][0] * x[0] + W1[i][1] * x[1] + b1[i] for i in range(2)]
h1 = [s(z) for z in z1]
z2 = [W2[i][0] * h1[0] + W2[i][1] * h1[1] + b2[i] for i in range(2)]
o = [s(z) for z in z2]
loss = 0.5 * ((o[0] - y[0]) ** 2 + (o[1] - y[1]) ** 2)
# output layer: dL/do_i = o_i - y_i; do/dz = o(1 - o)
d2 = [(o[i] - y[i]) * o[i] * (1 - o[i]) for i in range(2)]
dW2 = [[d2[i] * h1[j] for j in range(2)] for i in range(2)]
# hidden unit j feeds output i through W2[i][j]: dL/dh1_j = sum_i W2[i][j] * d2_i
dh1 = [W2[0][j] * d2[0] + W2[1][j] * d2[1] for j in range(2)]
d1 = [dh1[j] * h1[j] * (1 - h1[j]) for j in range(2)]
dW1 = [[d1[i] * x[j] for j in range(2)] for i in range(2)]

HAND = {
    "z1": z1, "h1": h1, "z2": z2, "y_hat": o, "loss": loss,
    "dL_dy_hat": [o[i] - y[i] for i in range(2)], "delta2": d2, "dW2": dW2, "db2": d2,
    "dL_dh1": dh1, "delta1": d1, "dW1": dW1, "db1": d1,
    "W1_new": [[W1[i][j] - alpha * dW1[i][j] for j in range(2)] for i in range(2)],
    "b1_new": [b1[i] - alpha * d1[i] for i in range(2)],
    "W2_new": [[W2[i][j] - alpha * dW2[i][j] for j in range(2)] for i in range(2)],
    "b2_new": [b2[i] - alpha * d2[i] for i in range(2)],
}


@pytest.mark.parametrize("name", sorted(HAND))
def test_trace_matches_hand_derivation(name):
    np.testing.assert_allclose(getattr(nn.trace(), name), HAND[name], rtol=1e-12, atol=1e-15)


# --- oracle 2: published numbers ---------------------------------------------------------------------------

def test_forward_pass_to_four_decimals():
    t = nn.trace()
    np.testing.assert_array_equal(np.round(t.h1, 4), [0.5945, 0.5963])
    np.testing.assert_array_equal(np.round(t.y_hat, 4), [0.7569, 0.7677])
    assert t.z1[0] == pytest.approx(0.3825, abs=1e-15)


def test_full_precision_loss_is_not_the_rounded_one():
    t = nn.trace()
    assert t.loss == pytest.approx(0.3036583136, abs=1e-10)
    assert abs(t.loss - 0.30363845) > 1e-5  # the original's rounded value is visibly different


def test_output_layer_gradients_match_the_original_up_to_its_rounding():
    t = nn.trace()
    # the original printed these from rounded activations: agreement to about 1e-5
    np.testing.assert_allclose(t.dW2, [[0.08170296, 0.08195033], [-0.02356851, -0.02363987]], atol=1e-5)
    np.testing.assert_allclose(t.db2, [0.13743139, -0.03964425], atol=1e-5)
    np.testing.assert_allclose(t.W2_new, [[0.3918297, 0.49180497], [0.45235685, 0.55236399]], atol=1e-6)
    np.testing.assert_allclose(t.b2_new, [0.58625686, 0.60396443], atol=1e-6)


def test_corrected_hidden_gradients_from_the_design():
    np.testing.assert_allclose(nn.trace().dW1, [[0.00044758, 0.00089517], [0.00056464, 0.00112929]], atol=5e-9)


def test_one_step_lowers_the_loss():
    t = nn.trace()
    assert t.loss_new < t.loss
    assert t.loss_new == pytest.approx(nn.loss_of(
        {"W1": HAND["W1_new"], "b1": HAND["b1_new"], "W2": HAND["W2_new"], "b2": HAND["b2_new"]},
        np.array(x), np.array(y)), rel=1e-12)


def test_worked_example_is_a_fresh_copy_every_call():
    a = nn.worked_example()
    a.W1[0, 0] = 99.0
    a.x[:] = 0
    a.alpha = 5
    b = nn.worked_example()
    assert b.W1[0, 0] == 0.15 and b.x.tolist() == [0.05, 0.10] and b.alpha == 0.1
    assert nn.trace().loss == pytest.approx(0.3036583136, abs=1e-10)


def test_the_walk_through_is_reproduced_by_the_layout_option():
    # Published values of the widely read walk-through (same numbers read as (in, out), alpha 0.5, frozen biases).
    t = nn.trace(nn.worked_example(layout="in_out"), alpha=0.5, update_biases=False)
    assert t.z1[0] == pytest.approx(0.3775, abs=1e-15)
    assert t.h1[0] == pytest.approx(0.593269992, abs=1e-9)
    np.testing.assert_allclose(t.y_hat, [0.75136507, 0.772928465], atol=1e-8)
    assert t.loss == pytest.approx(0.298371109, abs=1e-9)
    # w5 (h1 -> o1) = W2[0, 0] in (in, out); its gradient 0.082167041; w1 (i1 -> h1) = W1[0, 0]
    assert t.dW2[0, 0] == pytest.approx(0.082167041, abs=1e-9)
    np.testing.assert_allclose(t.W2_new, [[0.35891648, 0.51130127], [0.408666186, 0.561370121]], atol=1e-8)
    np.testing.assert_allclose(t.W1_new, [[0.149780716, 0.24975114], [0.19956143, 0.29950229]], atol=1e-8)


def test_our_network_in_the_other_layout_gives_the_same_numbers_transposed():
    ex = nn.worked_example(layout="in_out")
    ex.W1, ex.W2 = ex.W1.T.copy(), ex.W2.T.copy()
    ours, theirs = nn.trace(), nn.trace(ex)
    np.testing.assert_allclose(theirs.y_hat, ours.y_hat, rtol=1e-15)
    np.testing.assert_allclose(theirs.dW1, ours.dW1.T, rtol=1e-15)
    np.testing.assert_allclose(theirs.W2_new, ours.W2_new.T, rtol=1e-15)


def test_train_repeats_the_step_and_lowers_the_loss():
    losses, final = nn.train(steps=3)
    t = nn.trace()
    assert losses.shape == (4,) and losses[0] == t.loss and losses[1] == pytest.approx(t.loss_new, rel=1e-15)
    assert np.all(np.diff(losses) < 0)
    np.testing.assert_allclose(nn.train(steps=1)[1].W1, t.W1_new, rtol=1e-15)
    long, final = nn.train(alpha=0.5, steps=2000)
    np.testing.assert_allclose(nn.forward_prop(final.W2, final.b2, nn.forward_prop(final.W1, final.b1, final.x)),
                               [0.01, 0.99], atol=0.03)


def test_frozen_biases_stay_put():
    t = nn.trace(update_biases=False)
    np.testing.assert_array_equal(t.b1_new, t.b1)
    np.testing.assert_array_equal(t.b2_new, t.b2)
    np.testing.assert_allclose(t.W1_new, HAND["W1_new"], rtol=1e-12)


def test_trace_does_not_mutate_its_example():
    ex = nn.worked_example()
    before = {k: v.copy() for k, v in ex.params().items()}
    t = nn.trace(ex)
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(ex, k), v)
    assert t.W1_new is not ex.W1


def counting(calls):
    def forward(W, b, x, activation="sigmoid", *, layout="out_in"):
        calls.append(activation)
        return nn.forward_prop(W, b, x, activation, layout=layout)
    return forward


def test_each_layer_is_computed_once():
    calls = []
    t = nn.trace(forward=counting(calls), new_loss=False)
    assert len(calls) == 2  # z and h of a layer come from one call
    np.testing.assert_array_equal(t.z1, nn.forward_prop(t.W1, t.b1, t.x, "linear"))
    np.testing.assert_array_equal(t.h1, nn.sigmoid(t.z1))
    np.testing.assert_array_equal(t.z2, nn.forward_prop(t.W2, t.b2, t.h1, "linear"))
    calls.clear()
    nn.trace(forward=counting(calls))
    assert len(calls) == 4  # and two more for the loss after the step
    calls.clear()
    nn.train(steps=5, forward=counting(calls))
    assert len(calls) == 2 * 5 + 2


def test_train_is_trace_repeated():
    losses, final = nn.train(alpha=0.7, steps=4, update_biases=False)
    ex = nn.worked_example()
    for step in range(4):
        t = nn.trace(ex, alpha=0.7, update_biases=False)
        assert losses[step] == t.loss
        ex = nn.WorkedExample(ex.x, ex.y, t.W1_new, t.b1_new, t.W2_new, t.b2_new, ex.alpha)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(getattr(final, name), getattr(ex, name))
    assert losses[-1] == nn.loss_of(ex.params(), ex.x, ex.y)


@pytest.mark.parametrize("fn", [nn.trace, nn.train])
def test_trace_and_train_keep_para_updates_messages(fn):
    with pytest.raises(ValueError, match=r"para_update: the learning rate alpha must be a finite number >= 0, not -1"):
        fn(alpha=-1)
    with pytest.raises(ValueError, match=r"para_update: alpha must be a number, not 'fast'"):
        fn(alpha="fast")
    ex = nn.worked_example()
    ex.W1 = np.array([[np.inf, 0.25], [0.20, 0.30]])
    with pytest.raises(ValueError, match=r"para_update: param has 1 non-finite entries.*learning rate alpha=0.1"):
        fn(ex)
    ex = nn.worked_example()
    ex.W2 = np.ones((3, 2))
    with pytest.raises(ValueError, match=r"forward_prop: W has shape \(3, 2\) \(out, in\), so b must have shape "
                                         r"\(3,\)"):
        fn(ex)

