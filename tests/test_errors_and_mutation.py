"""Bad input gets a clear message; no function changes its arguments; numerics stay finite."""

import re
import warnings

import numpy as np
import pytest

import nnfromscratch as nn

rng = np.random.default_rng(1)


def raises(match, fn, *args, **kwargs):
    with pytest.raises(ValueError, match=match) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_forward_prop_names_shapes_and_suggests_the_transpose():
    W2 = rng.normal(size=(2, 3))
    msg = raises(r"W has shape \(2, 3\) \(out, in\) but x has 2 entries; expected 3", nn.forward_prop,
                 W2, np.zeros(2), np.zeros(2))
    assert "Did you mean W.T?" in msg


def test_forward_prop_batch_given_transposed():
    msg = raises(r"the batch X has shape \(2, 5\)", nn.forward_prop, np.ones((4, 2)), np.zeros(4), np.ones((2, 5)))
    assert "Did you mean X.T?" in msg


def test_forward_prop_bias_shape():
    raises(r"b must have shape \(3,\), one bias per output unit, but b has shape \(2,\)",
           nn.forward_prop, np.ones((3, 2)), np.zeros(2), np.zeros(2))


def test_forward_prop_weights_must_be_a_matrix_and_activation_known():
    raises(r"W must be a 2-D weight matrix of shape \(out, in\), but has shape \(4,\)",
           nn.forward_prop, np.ones(4), np.zeros(4), np.zeros(4))
    raises(r"Unknown activation 'swish'", nn.forward_prop, np.ones((2, 2)), np.zeros(2), np.zeros(2), "swish")


def test_hidden_unit_grad_names_shapes():
    msg = raises(r"W has shape \(3, 2\) \(out, in\) but delta has 2 entries per example \(shape \(2,\)\); "
                 r"expected 3", nn.hidden_unit_grad, np.ones((3, 2)), np.ones(2))
    assert "Did you pass W.T" in msg


def test_weight_grad_names_shapes():
    raises(r"x_in has 3 examples \(shape \(3, 2\)\) but delta has 4", nn.weight_grad, np.ones((3, 2)), np.ones((4, 5)))
    raises(r"pass both for one example", nn.weight_grad, np.ones(2), np.ones((4, 5)))


@pytest.mark.parametrize("fn", [nn.mse, nn.output_grad])
def test_loss_shapes_must_match(fn):
    raises(r"y has shape \(2,\) but yhat has shape \(3,\); they must match", fn, np.zeros(2), np.zeros(3))


def test_sigmoid_grad_shapes_and_transposes():
    raises(r"h has shape \(2, 3\) but upstream has shape \(3, 2\).*did you mean upstream.T\?",
           nn.sigmoid_grad, np.ones((2, 3)), np.ones((3, 2)))


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_para_update_refuses_non_finite_and_points_at_the_learning_rate(bad):
    msg = raises(r"grad has 1 non-finite entries", nn.para_update, np.ones(2), np.array([1.0, bad]), 10.0)
    assert "learning rate alpha=10.0 is probably too large" in msg
    raises(r"param has 1 non-finite", nn.para_update, np.array([bad, 1.0]), np.ones(2), 0.1)


def test_para_update_refuses_an_overflowing_step_and_bad_alpha():
    raises(r"the updated parameter has 1 non-finite.*too large", nn.para_update, np.array([1e308]),
           np.array([-1e308]), 10.0)
    raises(r"alpha must be a finite number >= 0", nn.para_update, np.ones(2), np.ones(2), -0.1)
    raises(r"alpha must be a number", nn.para_update, np.ones(2), np.ones(2), "fast")
    raises(r"param has shape \(2, 3\) but grad has shape \(3, 2\).*grad.T", nn.para_update,
           np.ones((2, 3)), np.ones((3, 2)), 0.1)


def test_non_numbers_are_refused_clearly():
    raises(r"forward_prop: x must hold real numbers", nn.forward_prop, np.ones((2, 2)), np.zeros(2), ["a", "b"])
    raises(r"could not be read as an array", nn.mse, [[1, 2], [3]], [1, 2])


def test_sigmoid_is_finite_and_silent_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = nn.sigmoid(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
        out32 = nn.sigmoid(np.array([-1000.0, 1000.0], dtype=np.float32))
    assert np.all(np.isfinite(out)) and out[0] == 0.0 and out[-1] == 1.0 and out[2] == 0.5
    assert out32.dtype == np.float32 and out32.tolist() == [0.0, 1.0]
    np.testing.assert_allclose(nn.sigmoid(-50.0), np.exp(-50.0), rtol=1e-12)  # tiny, not rounded to 0


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
]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c[0].__name__ if callable(c) else "")
def test_nothing_is_mutated(call):
    fn, args = call
    before = [a.copy() for a in arrays_of(call)]
    fn(*args)
    for a, b in zip(arrays_of(call), before):
        np.testing.assert_array_equal(a, b)


def test_trace_does_not_mutate_its_example():
    ex = nn.worked_example()
    before = {k: v.copy() for k, v in ex.params().items()}
    t = nn.trace(ex)
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(ex, k), v)
    assert t.W1_new is not ex.W1
