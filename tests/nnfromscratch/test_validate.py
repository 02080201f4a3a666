"""validate.py, the checks every public function starts with: arrays in without silent conversions, clear
messages for what cannot be read or does not fit, labels; and the promise they serve: no function changes
its arguments."""

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch.validate import as_float_array, as_labels, require_finite, require_ndim, require_same_shape

rng = np.random.default_rng(1)


def raises(match, fn, *args, **kwargs):
    with pytest.raises(ValueError, match=match) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_non_numbers_are_refused_clearly():
    raises(r"forward_prop: x must hold real numbers", nn.forward_prop, np.ones((2, 2)), np.zeros(2), ["a", "b"])
    raises(r"could not be read as an array", nn.mse, [[1, 2], [3]], [1, 2])


def arrays_of(call):
    return [a for a in call[1] if isinstance(a, np.ndarray)]


CALLS = [
    (nn.sigmoid, (rng.normal(size=(3, 2)),)),
    (nn.forward_prop, (rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(4, 2)))),
    (nn.mse, (rng.normal(size=3), rng.normal(size=3))),
    (nn.output_grad, (rng.normal(size=3), rng.normal(size=3))),
    (nn.sigmoid_grad, (rng.uniform(size=3), rng.normal(size=3))),
    (nn.weight_grad, (rng.normal(size=2), rng.normal(size=3))),
    (nn.hidden_unit_grad, (rng.normal(size=(3, 2)), rng.normal(size=3))),
    (nn.para_update, (rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), 0.5)),
    (nn.numerical_gradient, (lambda v: float(np.sum(v ** 2)), rng.normal(size=4))),
    (nn.relative_error, (rng.normal(size=3), rng.normal(size=3))),
    (nn.tanh_grad, (rng.uniform(size=3), rng.normal(size=3))),
    (nn.relu_grad, (rng.uniform(size=3), rng.normal(size=3))),
    (nn.softmax, (rng.normal(size=(2, 3)),)),
    (nn.softmax_cross_entropy_grad, (np.array([0, 2]), rng.normal(size=(2, 3)))),
    (nn.dense_forward, (rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(4, 2)), "tanh")),
]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c[0].__name__ if callable(c) else "")
def test_nothing_is_mutated(call):
    fn, args = call
    before = [a.copy() for a in arrays_of(call)]
    fn(*args)
    for a, b in zip(arrays_of(call), before):
        np.testing.assert_array_equal(a, b)


def test_as_float_array_keeps_floats_and_converts_only_whole_numbers():
    a32 = np.ones(3, np.float32)
    assert as_float_array(a32, "x", "f") is a32  # no copy, no upcast
    assert as_float_array([1, 2], "x", "f").dtype == np.float64
    assert as_float_array(np.array([True]), "x", "f").dtype == np.float64
    assert as_float_array(2.5, "x", "f").shape == ()
    with pytest.raises(ValueError, match=r"f: x must hold real numbers, but has dtype complex128 \(received ndarray\)"):
        as_float_array(np.ones(2, complex), "x", "f")


def test_shape_checks_name_what_arrived_and_the_likely_cause():
    with pytest.raises(ValueError, match=r"f: W must be a matrix, but has shape \(3,\)"):
        require_ndim(np.ones(3), "W", "f", (2,), "a matrix")
    with pytest.raises(ValueError, match=r"f: a has shape \(2, 3\) but b has shape \(3, 2\); they must match. "
                                         r"One of them is transposed: did you mean b.T\?"):
        require_same_shape(np.ones((2, 3)), "a", np.ones((3, 2)), "b", "f")
    with pytest.raises(ValueError, match=r"they must match. Same length, please"):
        require_same_shape(np.ones(2), "a", np.ones(3), "b", "f", hint="Same length, please")
    with pytest.raises(ValueError, match=r"f: g has 2 non-finite entries \(inf or nan\). Too fast"):
        require_finite(np.array([np.inf, 1.0, np.nan]), "g", "f", "Too fast")


def test_labels():
    np.testing.assert_array_equal(as_labels([0.0, 2.0], 2, 3, "f"), [0, 2])
    assert as_labels([0.0, 2.0], 2, 3, "f").dtype == np.int64
    with pytest.raises(ValueError, match=r"f: expected 3 labels \(one per row of the logits\), got shape \(2,\)"):
        as_labels([0, 1], 3, 3, "f")
    with pytest.raises(ValueError, match=r"f: label -1 is out of range"):
        as_labels([0, -1], 2, 3, "f")
