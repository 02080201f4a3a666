"""Optimisers: each update against values derived by hand, and against training behaviour."""

import numpy as np
import pytest

from nnfromscratch import data, optimizers
from nnfromscratch.network import Network


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
