"""Gradient checking: numerical_gradient, relative_error and the per-entry checker."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnfromscratch as nn


@given(st.integers(0, 2**32 - 1), st.sampled_from([(3,), (2, 4), (3, 1, 2)]))
def test_numerical_gradient_of_known_functions(seed, shape):
    rng = np.random.default_rng(seed)
    A, x = rng.normal(size=shape), rng.normal(size=shape)
    # f(x) = sum(A * x**3) has gradient 3 A x**2, derived by hand
    np.testing.assert_allclose(nn.numerical_gradient(lambda v: np.sum(A * v ** 3), x), 3 * A * x ** 2,
                               rtol=1e-6, atol=1e-8)


def test_central_differences_are_second_order():
    f, x = np.sin, np.array([0.3])  # derivative cos(0.3); error of central differences ~ eps**2 / 6
    err = [abs(nn.numerical_gradient(lambda v: float(f(v[0])), x, eps)[0] - np.cos(0.3)) for eps in (1e-2, 1e-3)]
    assert 50 < err[0] / err[1] < 200  # ~100x smaller for a 10x smaller step


def test_numerical_gradient_never_mutates_and_rejects_non_scalars():
    x = np.array([1.0, 2.0])
    seen = []
    nn.numerical_gradient(lambda v: seen.append(v) or float(v.sum()), x)
    assert x.tolist() == [1.0, 2.0] and all(v is not x for v in seen)
    with pytest.raises(ValueError, match=r"f must return one number \(the loss\), but returned shape \(2,\)"):
        nn.numerical_gradient(lambda v: v * 2, x)
    with pytest.raises(ValueError, match="eps must be > 0"):
        nn.numerical_gradient(np.sum, x, eps=0)


def test_relative_error_values():
    assert nn.relative_error(1.0, 1.0) == 0.0
    assert nn.relative_error(0.0, 0.0) == 0.0
    assert nn.relative_error(1.0, -1.0) == 1.0
    np.testing.assert_allclose(nn.relative_error(np.array([1.0, 3.0]), np.array([1.1, 3.0])), [0.1 / 2.1, 0.0])
    with pytest.raises(ValueError, match="must match"):
        nn.relative_error(np.ones(2), np.ones(3))


def test_checker_accepts_correct_and_pinpoints_wrong_entries():
    ex, t = nn.worked_example(), nn.trace()
    loss = lambda p: nn.loss_of(p, ex.x, ex.y)
    good = nn.check_gradients(loss, ex.params(), t.grads())
    assert good.ok and len(good.rows) == 12 and "All 12 gradient entries agree" in good.summary()
    grads = t.grads()
    grads["W2"] = grads["W2"].copy()
    grads["W2"][1, 0] *= 1.01
    bad = nn.check_gradients(loss, ex.params(), grads)
    assert [r.label for r in bad.mismatches] == ["W2[1,0]"]
    assert "1 of 12 gradient entries disagree with finite differences: W2[1,0]." in str(bad)
    assert "MISMATCH" in bad.table()


def test_checker_refuses_a_transposed_gradient_with_a_hint():
    ex = nn.worked_example()
    grads = {k: np.zeros_like(v) for k, v in ex.params().items()}
    grads["W1"] = np.zeros((3, 2))
    params = {**ex.params(), "W1": np.zeros((2, 3))}
    with pytest.raises(ValueError, match=r"gradient of W1 has shape \(3, 2\) but W1 has shape \(2, 3\).*transpose"):
        nn.check_gradients(lambda p: 0.0, params, grads)
