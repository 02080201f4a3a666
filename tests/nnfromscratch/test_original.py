"""original.py: the original notebook's two defects reproduce its published numbers, and finite differences
reject the second one."""

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import original

from oracles import central_diff


def test_the_forward_pass_is_the_packages_rounded_to_four_decimals():
    ex = nn.worked_example()
    exact = nn.forward_prop(ex.W1, ex.b1, ex.x)
    np.testing.assert_array_equal(original.forward_prop(ex.W1, ex.b1, ex.x), np.around(exact, 4))
    assert not np.array_equal(original.forward_prop(ex.W1, ex.b1, ex.x), exact)


def test_the_hidden_gradient_is_W_at_delta():
    rng = np.random.default_rng(0)
    W, delta = rng.normal(size=(3, 3)), rng.normal(size=3)
    np.testing.assert_allclose(original.hidden_unit_grad(W, delta), W @ delta, rtol=1e-14)
    with pytest.raises(ValueError):  # like the original, only a square W runs
        original.hidden_unit_grad(rng.normal(size=(2, 3)), rng.normal(size=2))


def test_original_defects_reproduce_the_original_numbers_exactly():
    t = nn.trace(forward=original.forward_prop, hidden_grad=original.hidden_unit_grad)
    assert t.loss == pytest.approx(0.30363845, abs=1e-12)
    np.testing.assert_allclose(t.delta2, [0.13743139, -0.03964425], atol=5e-9)
    np.testing.assert_allclose(t.dL_dh1, [0.03515043, 0.04003979], atol=5e-9)
    np.testing.assert_allclose(t.dW1, [[0.00042369, 0.00084737], [0.00048193, 0.00096386]], atol=5e-9)
    np.testing.assert_allclose(t.W1_new, [[0.14995763, 0.24991526], [0.19995181, 0.29990361]], atol=5e-9)
    np.testing.assert_allclose(t.b1_new, [0.34915263, 0.34903614], atol=5e-9)


def test_the_original_hidden_gradient_is_wrong_and_differs_from_ours():
    wrong = nn.trace(hidden_grad=original.hidden_unit_grad)
    np.testing.assert_allclose(wrong.dW1, [[0.00042369, 0.00084739], [0.00048194, 0.00096388]], atol=5e-8)
    assert not np.allclose(wrong.dW1, nn.trace().dW1, rtol=1e-2)




def test_original_W_at_delta_disagrees_with_finite_differences_ours_agrees():
    ex, t = nn.worked_example(), nn.trace()
    f = lambda h1: nn.mse(ex.y, nn.forward_prop(ex.W2, ex.b2, h1))
    numeric = central_diff(f, t.h1)
    np.testing.assert_allclose(nn.hidden_unit_grad(ex.W2, t.delta2), numeric, rtol=1e-7)
    wrong = original.hidden_unit_grad(ex.W2, t.delta2)
    assert np.max(np.abs(wrong - numeric) / np.abs(numeric)) > 0.05
    # the same through the package's own checker: exactly the six W1 and b1 entries are flagged
    report = nn.check_gradients(lambda p: nn.loss_of(p, ex.x, ex.y), ex.params(),
                                nn.trace(hidden_grad=original.hidden_unit_grad).grads())
    assert sorted({r.param for r in report.mismatches}) == ["W1", "b1"] and len(report.mismatches) == 6
