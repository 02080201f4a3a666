"""optimizers.py: para_update and its messages, each optimiser's update against values derived by hand and
against training behaviour, the parameters' dtype whatever the type of the rate, the schedules, the race."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnfromscratch as nn
from nnfromscratch import data, optimizers
from nnfromscratch.network import Network

OPTIMIZERS = [optimizers.SGD, optimizers.Momentum, optimizers.RMSProp, optimizers.Adam]


@given(st.floats(-1e6, 1e6), st.floats(0, 10), st.integers(0, 2**32 - 1))
def test_para_update_steps_against_the_gradient(p0, alpha, seed):
    g = np.random.default_rng(seed).normal(size=3)
    p = np.full(3, p0)
    np.testing.assert_allclose(nn.para_update(p, g, alpha), p - alpha * g, rtol=1e-15)



def raises(match, fn, *args, **kwargs):
    with pytest.raises(ValueError, match=match) as info:
        fn(*args, **kwargs)
    return str(info.value)


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


def test_para_update_accepts_a_finite_step_whose_sum_overflows():
    # the quick finiteness test sums the new values; a sum that overflows is looked into, not refused
    new = nn.para_update(np.array([1e308, 1e308]), np.zeros(2), 0.1)
    np.testing.assert_array_equal(new, [1e308, 1e308])




def test_momentum_by_hand():
    p, v = optimizers.momentum_update(np.array([1.0]), np.array([0.5]), np.array([0.2]), 0.1, 0.9)
    assert v[0] == pytest.approx(0.9 * 0.2 + 0.5) and p[0] == pytest.approx(1.0 - 0.1 * 0.68)


def test_rmsprop_by_hand():
    p, s = optimizers.rmsprop_update(np.array([1.0]), np.array([2.0]), np.array([0.0]), 0.01, 0.9, 0.0)
    assert s[0] == pytest.approx(0.1 * 4) and p[0] == pytest.approx(1.0 - 0.01 * 2 / np.sqrt(0.4))


def test_adam_by_hand_and_first_step_is_learning_rate_sized():
    g = np.array([0.3, -2e-4])
    p, m, v = optimizers.adam_update(np.zeros(2), g, np.zeros(2), np.zeros(2), 1, 0.01, 0.9, 0.999, 1e-8)
    np.testing.assert_allclose(m, 0.1 * g)
    np.testing.assert_allclose(v, 0.001 * g ** 2)
    # with the bias corrections, m_hat = g and v_hat = g**2: the first step is lr * sign(g), whatever |g|
    np.testing.assert_allclose(p, -0.01 * np.sign(g), rtol=1e-3)


def test_schedules():
    assert [optimizers.step_decay(e, 0.5, 10) for e in (1, 10, 11, 21)] == [1, 1, 0.5, 0.25]
    assert optimizers.exponential_decay(3, 0.9) == pytest.approx(0.81)
    assert optimizers.cosine_decay(1, 30) == 1 and optimizers.cosine_decay(31, 30) == pytest.approx(0)


@pytest.mark.parametrize("optimizer", [optimizers.SGD(0.2), optimizers.Momentum(0.05), optimizers.RMSProp(0.002),
                                       optimizers.Adam(0.002)], ids=lambda o: type(o).__name__)
def test_every_optimizer_trains_the_digits(optimizer):
    X, labels = data.load_digits()
    Xtr, ytr, _, _, Xte, yte = data.train_val_test_split(X, labels, seed=0)
    net = Network([64, 32, 10], seed=0, dtype=np.float32)
    history = net.fit(Xtr, ytr, epochs=10, batch_size=32, optimizer=optimizer,
                      learning_rate=optimizer.learning_rate, schedule=optimizers.exponential_decay)
    assert history.loss[-1] < history.loss[0] / 3
    assert net.accuracy(Xte, yte) > 0.9
    assert all(p.dtype == np.float32 for pair in net.params for p in pair)


def test_schedule_sets_the_rate_each_epoch():
    X, labels = data.make_moons(64)
    opt = optimizers.SGD(1.0)
    Network([2, 4, 2]).fit(X, labels, epochs=3, learning_rate=0.4, optimizer=opt,
                           schedule=lambda e: optimizers.step_decay(e, 0.5, 1))
    assert opt.learning_rate == pytest.approx(1.0 * 0.25)  # the optimiser's own rate, halved twice
    Network([2, 4, 2]).fit(X, labels, epochs=3, learning_rate=0.4,
                           schedule=lambda e: optimizers.step_decay(e, 0.5, 1))  # no optimiser: fit's rate


def test_race_paths_and_divergence():
    path = optimizers.race("ravine", "adam", 0.1, 150)
    assert path.shape == (151, 2) and np.abs(path[-1]).max() < 1e-2
    assert len(optimizers.race("rosenbrock", "sgd", 0.03, 150)) < 151  # diverges and stops early


def test_stateful_optimiser_refuses_another_networks_parameters_and_resets():
    X, labels = data.make_moons(64)
    opt = optimizers.Adam(0.01)
    Network([2, 4, 2]).fit(X, labels, epochs=1, optimizer=opt)
    with pytest.raises(ValueError, match=r"holds state for parameters of shapes .* call reset\(\)"):
        Network([2, 5, 2]).fit(X, labels, epochs=1, optimizer=opt)
    opt.reset()
    Network([2, 5, 2]).fit(X, labels, epochs=1, optimizer=opt)
    assert opt.t == 2  # 64 rows in batches of 32: two steps since the reset


def test_schedule_scales_the_optimisers_own_rate():
    X, labels = data.make_moons(64)
    opt = optimizers.Adam(0.001)
    Network([2, 4, 2]).fit(X, labels, epochs=2, optimizer=opt, schedule=lambda e: 0.5 ** e)
    assert opt.learning_rate == pytest.approx(0.001 * 0.25)


def steps_of(make, rate, dtype, n=3):
    """n steps of a fresh optimiser on float parameters of `dtype`; returns (params, optimiser)."""
    rng = np.random.default_rng(0)
    params = [[rng.standard_normal((40, 30)).astype(dtype), rng.standard_normal(40).astype(dtype)]]
    opt = make(rate)
    for _ in range(n):
        grads = [[rng.standard_normal(p.shape).astype(dtype) for p in pair] for pair in params]
        opt.step(params, grads)
    return params, opt


@pytest.mark.parametrize("make", OPTIMIZERS, ids=lambda m: m.__name__)
def test_float32_parameters_stay_float32_with_a_numpy_float64_rate(make):
    """A np.float64 rate (from cosine_decay or np.logspace) computes in float32, exactly as a Python float does:
    computed in float64 and cast back, the values would differ in their last bits and the state be float64."""
    rate = np.logspace(-3, -1, 3)[1]
    assert type(rate) is np.float64
    with_numpy, opt = steps_of(make, rate, np.float32)
    with_python, _ = steps_of(make, float(rate), np.float32)
    for got, want in zip(with_numpy[0], with_python[0]):
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)
    state = [a for pair in getattr(opt, "state", None) or [] for s in pair for a in (s if isinstance(s, list) else [s])]
    assert len(state) == {"SGD": 0, "Momentum": 2, "RMSProp": 2, "Adam": 4}[make.__name__]
    assert all(a.dtype == np.float32 for a in state)
    if hasattr(opt, "update"):  # the update itself, before it is stored into the float32 parameter
        p = with_numpy[0][1]
        new, _ = opt.update(p, np.ones_like(p), opt.state[0][1])
        assert new.dtype == np.float32


def test_a_schedule_returning_numpy_floats_keeps_float32_training_in_float32():
    X, labels = data.make_moons(64)
    X = X.astype(np.float32)
    opt = optimizers.Momentum(0.1)
    net = Network([2, 4, 2], dtype=np.float32)
    net.fit(X, labels, epochs=3, optimizer=opt, schedule=lambda e: optimizers.cosine_decay(e, 3))
    assert type(optimizers.cosine_decay(2, 3)) is np.float64
    assert all(p.dtype == np.float32 for pair in net.params for p in pair)
    assert all(v.dtype == np.float32 for pair in opt.state for v in pair)
