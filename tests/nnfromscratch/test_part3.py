"""Part III's math: initialisation, the learning slowdown, regularisation, diagnostics and the planted bugs.

Every new gradient is checked against the shared finite-difference oracle (tests/oracles.py); the rest against
hand-derived values and properties.
"""

import numpy as np
import pytest

import nnfromscratch as nn
from nnfromscratch import data, debugging, diagnostics, initializers, regularization, slowdown
from nnfromscratch.checks import EXERCISES, evaluate
from nnfromscratch.exercises import part3
from oracles import central_diff

RNG = np.random.default_rng(1234)


def sig(z):
    return 1 / (1 + np.exp(-z))


# --- initialisation: the variance argument --------------------------------------------------------------------

@pytest.mark.parametrize("init,variance", [
    (initializers.lecun_init, lambda n_in, n_out: 1 / n_in),
    (initializers.xavier_init, lambda n_in, n_out: 2 / (n_in + n_out)),
    (initializers.he_init, lambda n_in, n_out: 2 / n_in),
])
def test_initial_weights_have_the_variance_their_argument_asks_for(init, variance):
    n_in, n_out = 300, 200  # 60,000 draws: the sample variance is within 2% with overwhelming probability
    W = init(n_in, n_out, np.random.default_rng(0))
    assert W.shape == (n_out, n_in)
    assert abs(W.mean()) < 0.01 * np.sqrt(variance(n_in, n_out)) * 5
    assert W.var() == pytest.approx(variance(n_in, n_out), rel=0.02)


def test_one_layer_multiplies_the_variance_by_n_in_var_w_and_relu_halves_the_second_moment():
    rng = np.random.default_rng(0)
    n_in = 256
    x = rng.standard_normal((4000, n_in))
    W = initializers.he_init(n_in, 300, rng)
    z = x @ W.T
    assert z.var() == pytest.approx(n_in * W.var() * np.mean(x ** 2), rel=0.03)
    h = np.maximum(z, 0)
    assert np.mean(h ** 2) == pytest.approx(z.var() / 2, rel=0.03)


def test_he_keeps_a_deep_relu_signal_and_lecun_halves_it_layer_after_layer():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1000, 256))
    second = {}
    for name in ("he", "lecun"):
        H = x
        for _ in range(20):
            H = np.maximum(H @ initializers.INITS[name](256, 256, rng).T, 0)
        second[name] = np.mean(H ** 2)
    assert 0.2 < second["he"] < 5  # E[h^2] starts at 0.5 and stays of that order
    assert second["lecun"] < 0.5 * 2.0 ** -15  # halved 20 times: about 0.5 * 2**-20


# --- the learning slowdown ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(2,), (3, 4)])
def test_binary_cross_entropy_grad_is_dL_dz_by_finite_differences(shape):
    z = RNG.uniform(-4, 4, size=shape)
    y = RNG.uniform(0, 1, size=shape)
    numerical = central_diff(lambda v: nn.binary_cross_entropy(y, sig(v)), z)
    np.testing.assert_allclose(nn.binary_cross_entropy_grad(y, sig(z)), numerical, rtol=1e-6, atol=1e-9)


def test_squared_error_delta_is_dL_dz_by_finite_differences_and_carries_sigma_prime():
    z = RNG.uniform(-4, 4, size=5)
    y = RNG.uniform(0, 1, size=5)
    numerical = central_diff(lambda v: nn.mse(y, sig(v)), z)
    delta = slowdown.squared_error_delta(y, sig(z))
    np.testing.assert_allclose(delta, numerical, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(delta / nn.binary_cross_entropy_grad(y, sig(z)), sig(z) * (1 - sig(z)), rtol=1e-12)


def test_binary_cross_entropy_by_hand_and_stays_finite_at_exact_zero_and_one():
    # -(0.01 ln 0.9 + 0.99 ln 0.1) - (0.99 ln 0.5 + 0.01 ln 0.5) = 2.3037... + 0.69315...
    expected = -(0.01 * np.log(0.9) + 0.99 * np.log(0.1)) - np.log(0.5)
    assert nn.binary_cross_entropy([0.01, 0.99], [0.9, 0.5]) == pytest.approx(expected, rel=1e-14)
    assert np.isfinite(nn.binary_cross_entropy([0.0, 1.0], [1.0, 0.0]))
    assert np.isfinite(nn.binary_cross_entropy(np.float32([0.0, 1.0]), np.float32([1.0, 0.0])))
    with pytest.raises(ValueError, match="shape"):
        nn.binary_cross_entropy_grad([0.0, 1.0], [[0.5, 0.5]])


def test_squared_error_training_with_loss_is_the_worked_example_training():
    run = slowdown.train_with_loss(nn.worked_example(), "squared error", alpha=0.5, steps=20)
    losses, _ = nn.train(alpha=0.5, steps=20)
    np.testing.assert_allclose(run.loss, losses, rtol=1e-13)


def test_the_saturated_output_starts_at_0_9965_and_cross_entropy_escapes_first():
    runs = {r.loss_name: r for r in (slowdown.train_with_loss(slowdown.saturated_example(8.0), loss, 0.5, 300)
                                     for loss in ("squared error", "cross-entropy"))}
    y0 = runs["cross-entropy"].y_hat[0, 0]
    z2 = 8.0 * nn.trace().h1[0] + 0.5 * nn.trace().h1[1] + 0.6
    assert y0 == pytest.approx(sig(z2), rel=1e-14) and y0 == pytest.approx(0.99650858, abs=5e-9)
    ratio = runs["cross-entropy"].delta2[0, 0] / runs["squared error"].delta2[0, 0]
    assert ratio == pytest.approx(1 / (y0 * (1 - y0)), rel=1e-12)
    assert runs["cross-entropy"].steps_until() < runs["squared error"].steps_until() / 10
    with pytest.raises(ValueError, match="loss must be one of"):
        slowdown.train_with_loss(nn.worked_example(), "hinge")


# --- L2 weight decay ---------------------------------------------------------------------------------------------

def test_l2_grad_adds_the_penalty_gradient_by_finite_differences():
    W, b = RNG.normal(size=(3, 4)), RNG.normal(size=3)
    dW, db, lam = RNG.normal(size=(3, 4)), RNG.normal(size=3), 0.3
    new_dW, new_db = regularization.l2_grad(W, b, dW, db, lam)
    penalty_W = central_diff(lambda v: regularization.l2_penalty([[v, b]], lam), W)
    penalty_b = central_diff(lambda v: regularization.l2_penalty([[W, v]], lam), b)
    np.testing.assert_allclose(new_dW - dW, penalty_W, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(new_db - db, penalty_b, atol=1e-9)  # the biases are not penalised
    assert regularization.l2_penalty([[np.array([[3.0, 4.0]]), np.array([10.0])]], 0.5) == pytest.approx(6.25)


def test_the_l2_optimiser_shrinks_the_weights_and_not_the_biases():
    net = nn.Network([3, 4, 2], activation="tanh", init="lecun", seed=0)
    X, labels = RNG.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
    before = [[W.copy(), b.copy()] for W, b in net.params]
    _, grads = net.gradients(X, labels)
    regularization.L2(nn.SGD(0.1), lam=0.5).step(net.params, grads)
    for (W, b), (W0, b0), (dW, db) in zip(net.params, before, grads):
        np.testing.assert_allclose(W, W0 - 0.1 * (dW + 0.5 * W0), rtol=1e-13)
        np.testing.assert_allclose(b, b0 - 0.1 * db, rtol=1e-13)
    optimizer = regularization.L2(nn.SGD(0.1), 0.01)
    optimizer.learning_rate = 0.05
    assert optimizer.optimizer.learning_rate == 0.05
    with pytest.raises(ValueError, match="lam must be"):
        regularization.L2(nn.SGD(0.1), -1.0)


# --- dropout -------------------------------------------------------------------------------------------------------

def test_dropout_backward_is_the_gradient_of_dropout_forward_by_finite_differences():
    H, G = RNG.normal(size=(4, 5)), RNG.normal(size=(4, 5))

    def f(v):  # the same mask on every call: a fresh Generator from the same seed
        return float(np.sum(G * regularization.dropout_forward(v, 0.6, np.random.default_rng(7))[0]))
    _, mask = regularization.dropout_forward(H, 0.6, np.random.default_rng(7))
    np.testing.assert_allclose(regularization.dropout_backward(G, mask), central_diff(f, H), rtol=1e-7, atol=1e-9)


def test_inverted_dropout_keeps_the_expected_output_and_is_off_at_test_time():
    H = np.full((400, 500), 2.0)
    out, mask = regularization.dropout_forward(H, 0.25, np.random.default_rng(0))
    assert set(np.unique(mask)) == {0.0, 4.0}
    assert np.mean(mask > 0) == pytest.approx(0.25, abs=0.005)
    assert out.mean() == pytest.approx(2.0, rel=0.02)
    same, ones = regularization.dropout_forward(H, 0.25, np.random.default_rng(0), training=False)
    assert same is not None and np.array_equal(same, H) and np.array_equal(ones, np.ones_like(H))
    with pytest.raises(ValueError, match="probability of keeping"):
        regularization.dropout_forward(H, 0.0, np.random.default_rng(0))
    out32, _ = regularization.dropout_forward(H.astype(np.float32), 0.5, np.random.default_rng(0))
    assert out32.dtype == np.float32


def test_a_dropout_network_backpropagates_through_its_masks():
    drop = regularization.Dropout(keep=0.7)
    net = nn.Network([3, 5, 4, 2], activation="tanh", init="lecun", seed=0,
                     layer_forward=drop.forward, layer_backward=drop.backward)
    X, labels = RNG.normal(size=(6, 3)), RNG.integers(0, 2, size=6)

    def loss(params):
        drop.rng = np.random.default_rng(3)  # the same masks for every evaluation
        return diagnostics.network_loss(net, X, labels)(params)
    drop.rng = np.random.default_rng(3)
    _, grads = net.gradients(X, labels)
    params = {f"{k}{i}": v.copy() for i, pair in enumerate(net.params, 1) for k, v in zip("Wb", pair)}
    analytic = {f"{k}{i}": g for i, pair in enumerate(grads, 1) for k, g in zip("Wb", pair)}
    assert nn.check_gradients(loss, params, analytic).ok
    # Off, the network is the plain one; the output layer is never dropped.
    drop.training = False
    plain = nn.Network([3, 5, 4, 2], activation="tanh", init="lecun", seed=0)
    np.testing.assert_allclose(net.forward(X)[0], plain.forward(X)[0], rtol=1e-14)
    drop.training = True
    _, caches = net.forward(X)
    assert caches[-1][1] is None and caches[0][1] is not None


# --- early stopping -----------------------------------------------------------------------------------------------

def test_fit_with_validation_measures_every_epoch_and_early_stopping_keeps_the_best_weights():
    X, labels = data.make_moons(120, seed=0)
    X_val, y_val = data.make_moons(60, seed=1)
    net = nn.Network([2, 16, 2], activation="tanh", init="lecun", seed=0)
    history, best = regularization.fit_with_validation(net, X, labels, (X_val, y_val), epochs=60, patience=3,
                                                       learning_rate=2.0, batch_size=4)
    assert len(history.loss) == len(history.val_accuracy) <= 60
    assert len(history.loss) == 60 or len(history.loss) - best == 3
    assert history.val_loss[best - 1] == min(history.val_loss)
    assert net.loss(X_val, y_val) == pytest.approx(history.val_loss[best - 1], rel=1e-12)
    assert net.accuracy(X, labels) == pytest.approx(history.accuracy[best - 1])
    with pytest.raises(ValueError, match="validation must be a pair"):
        regularization.fit_with_validation(net, X, labels, X_val)
    with pytest.raises(ValueError, match="patience must be"):
        regularization.fit_with_validation(net, X, labels, (X_val, y_val), patience=0)


def test_fit_with_validation_switches_dropout_off_to_measure():
    X, labels = data.make_moons(60, seed=0)
    drop = regularization.Dropout(keep=0.5, seed=0)
    net = nn.Network([2, 8, 2], activation="relu", init="he", seed=0, layer_forward=drop.forward,
                     layer_backward=drop.backward)
    history, _ = regularization.fit_with_validation(net, X, labels, (X, labels), epochs=2, dropout=drop)
    assert drop.training is False
    assert history.loss[-1] == pytest.approx(net.loss(X, labels), rel=1e-12)  # deterministic: dropout is off


def test_label_noise_changes_about_the_fraction_asked_for_and_only_those():
    labels = np.arange(2000) % 10
    noisy, changed = data.with_label_noise(labels, 0.3, seed=0)
    assert np.mean(changed) == pytest.approx(0.3, abs=0.04)
    assert np.all(noisy[changed] != labels[changed]) and np.array_equal(noisy[~changed], labels[~changed])
    assert noisy.min() >= 0 and noisy.max() <= 9
    with pytest.raises(ValueError, match="between 0 and 1"):
        data.with_label_noise(labels, 1.5)


# --- diagnostics ---------------------------------------------------------------------------------------------------

def test_gradient_norms_and_update_ratio_by_hand():
    grads = [[np.array([[3.0, 4.0]]), np.array([12.0])], [np.zeros((1, 1)), np.array([-5.0])]]
    dW, db = diagnostics.gradient_norms(grads)
    np.testing.assert_allclose(dW, [5.0, 0.0])
    np.testing.assert_allclose(db, [12.0, 5.0])
    # |0.1 * [3, 4]| / |[6, 8]| = 0.5 / 10
    assert diagnostics.update_ratio(np.array([[6.0, 8.0]]), np.array([[3.0, 4.0]]), 0.1) == pytest.approx(0.05)
    with pytest.raises(ValueError, match="dW is the gradient of W"):
        diagnostics.update_ratio(np.ones((2, 3)), np.ones((2, 2)), 0.1)


def test_scaled_network_draws_gain_squared_over_n_in_and_layer_outputs_are_the_caches():
    net = diagnostics.scaled_network([400, 300, 10], "tanh", gain=2.0, seed=0)
    assert net.params[0][0].var() == pytest.approx(4.0 / 400, rel=0.02)
    X = RNG.normal(size=(7, 400))
    outputs = diagnostics.layer_outputs(net, X)
    np.testing.assert_allclose(outputs[0], np.tanh(X @ net.params[0][0].T), rtol=1e-12)
    np.testing.assert_allclose(outputs[-1], net.forward(X)[0], rtol=1e-14)


def test_sigmoid_gradients_vanish_in_a_deep_network_and_he_relu_keeps_them():
    X, labels = data.load_digits(np.float64)
    X, labels = X[:64], labels[:64]
    ratios = {}
    for activation, gain in [("sigmoid", 1.0), ("relu", np.sqrt(2))]:
        net = diagnostics.scaled_network([64] + [64] * 9 + [10], activation, gain)
        _, grads = net.gradients(X, labels)
        _, db = diagnostics.gradient_norms(grads)
        ratios[activation] = db[0] / db[-1]
    assert ratios["sigmoid"] < 1e-4 and 0.1 < ratios["relu"] < 10


def test_check_network_passes_a_correct_network_and_reports_per_layer():
    net = nn.Network([3, 4, 2], activation="tanh", init="lecun", seed=0)
    X, labels = RNG.normal(size=(5, 3)), RNG.integers(0, 2, size=5)
    report = diagnostics.check_network(net, X, labels)
    assert report.ok and len(report.rows) == 3 * 4 + 4 + 4 * 2 + 2
    assert all(share == 1.0 and all(r == pytest.approx(1.0, rel=1e-6) for r in ratios)
               for share, *ratios in diagnostics.layer_agreement(report).values())


# --- the planted bugs ------------------------------------------------------------------------------------------------

def test_suspect_a_has_every_dW_off_by_1_over_n_and_every_db_right():
    X, labels = debugging.suspect_data("A")
    summary = diagnostics.layer_agreement(diagnostics.check_network(debugging.suspect("A"), X[:5], labels[:5]))
    assert summary["W1"][1] == pytest.approx(1 / 5, rel=1e-6) and summary["W2"][1] == pytest.approx(1 / 5, rel=1e-6)
    assert summary["b1"][:2] == (1.0, pytest.approx(1.0, rel=1e-6)) and summary["b2"][0] == 1.0
    assert summary["W1"][2] == pytest.approx(1 / 5, rel=1e-6) and summary["W1"][3] == pytest.approx(1 / 5, rel=1e-6)


def test_suspect_b_is_cured_by_relu_and_suspect_c_is_not():
    for name, cured in (("B", True), ("C", False)):
        X, labels = debugging.suspect_data(name)
        default = diagnostics.check_network(debugging.suspect(name), X[:5], labels[:5])
        relu = diagnostics.check_network(debugging.suspect(name, activation="relu"), X[:5], labels[:5])
        last = len(debugging.suspect(name).params)
        assert not default.ok and all(r.ok for r in default.rows if r.param in (f"W{last}", f"b{last}"))
        assert relu.ok is cured


def test_suspect_c_fails_with_a_shape_error_once_its_layers_are_not_square():
    X, labels = debugging.suspect_data("C")
    with pytest.raises(ValueError, match="mismatch"):
        debugging.suspect("C", sizes=[2, 3, 2]).gradients(X[:5], labels[:5])


def test_the_suspects_forward_passes_are_right():
    for name in "ABC":
        X, labels = debugging.suspect_data(name)
        net = debugging.suspect(name)
        plain = nn.Network(net.sizes, activation=net.activation, init="he" if net.activation == "relu" else "lecun",
                           seed=0)
        np.testing.assert_allclose(net.forward(X[:10])[0], plain.forward(X[:10])[0], rtol=1e-13)


def test_check_diagnosis_says_right_or_wrong_and_why(capsys):
    debugging.check_diagnosis(lambda name: {"A": "weight gradient", "B": "activation gradient",
                                            "C": "input gradient"}[name])
    out = capsys.readouterr().out
    assert out.count("✅") == 3 and "Why:" in out
    debugging.check_diagnosis(lambda name: "update")
    out = capsys.readouterr().out
    assert out.count("❌") == 3 and "before any update" in out
    debugging.check_diagnosis(lambda name: "the loss")
    assert "is not one of the locations" in capsys.readouterr().out
    debugging.check_diagnosis(lambda name: 3)
    assert "not int" in capsys.readouterr().out

    def todo(name):
        raise NotImplementedError()
    debugging.check_diagnosis(todo)
    assert "not written yet" in capsys.readouterr().out


def test_check_diagnosis_fails_the_cell_under_nbgrader_only_when_wrong(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="suspect A: not the update"):
        debugging.check_diagnosis(lambda name: "update")
    debugging.check_diagnosis(lambda name: {"A": "weight gradient", "B": "activation gradient",
                                            "C": "input gradient"}[name])
    assert capsys.readouterr().out.count("✅") == 3


def test_every_location_has_a_reason_for_every_suspect():
    for name in debugging.SUSPECTS:
        answers = [debugging.diagnose(name, location) for location in debugging.LOCATIONS]
        assert sum(right for right, _ in answers) == 1 and all(why for _, why in answers)
    with pytest.raises(ValueError, match="choose a suspect"):
        debugging.diagnose("D", "update")


# --- printed results are the same under another BLAS kernel ---------------------------------------------------------

STABILITY_SCRIPT = r"""
import hashlib
import numpy as np
from nnfromscratch import debugging
from nnfromscratch.visuals import widgets
r = np.random.default_rng(0)
print("kernel", hashlib.md5((r.standard_normal((200, 300)) @ r.standard_normal((300, 100))).tobytes()).hexdigest())
for activation, gain in (("sigmoid", 1.0), ("tanh", 0.5), ("relu", 2.0)):
    db = widgets.gradient_norm_run(activation, 10, gain)[0]
    print(f"{db[0] / db[-1]:.3e}")
for lam in (0.0, 0.03):
    history, net, _ = widgets.generalisation_run(200, lam, 0.3)
    print(f"{history.accuracy[-1]:.1%} {history.val_accuracy[-1]:.1%} {history.val_loss[-1]:.4f}")
ratios, history, _ = widgets.update_ratio_run(0.1)
print(", ".join(f"{x:.1e}" for x in ratios), f"{history.loss[-1]:.4f}")
debugging.investigate("B")
"""


def test_printed_results_are_the_same_under_another_openblas_kernel():
    """Lessons 14, 16 and 17 print results of training in float64: the digits they print must not depend on which
    of OpenBLAS's kernels (summation orders) the machine picks. Run them under two kernels and compare."""
    import os
    import subprocess
    import sys

    runs = []
    for coretype in ("", "Prescott"):
        env = dict(os.environ, OPENBLAS_CORETYPE=coretype, OPENBLAS_NUM_THREADS="1")
        done = subprocess.run([sys.executable, "-c", STABILITY_SCRIPT], env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        runs.append(done.stdout.splitlines())
    if runs[0][0] == runs[1][0]:
        pytest.skip("this BLAS ignores OPENBLAS_CORETYPE: both runs used the same kernel")
    assert runs[0][1:] == runs[1][1:]


# --- every argument of a Part III exercise matters to its check -------------------------------------------------------

def _learner_args(exercise, case):
    """The arguments the learner's function receives for `case` (after the exercise's probe, if any)."""
    captured = []
    exercise.target(lambda *args: captured.append(args))(*case.args)
    return captured[0]


@pytest.mark.parametrize("name,index", [(e.name, i) for e in part3.EXERCISES for i in range(len(e.parameters))],
                         ids=lambda v: str(v))
def test_ignoring_any_argument_of_a_part_three_exercise_fails_its_check(name, index):
    """A learner who ignores one argument (always using its value from the first case) must not pass."""
    import copy

    exercise = EXERCISES[name]
    fixed = _learner_args(exercise, exercise.cases(np.random.default_rng(0))[0])[index]

    def ignoring(*args):
        args = list(args)
        args[index] = copy.deepcopy(fixed)
        return exercise.reference(*args)
    result = evaluate(name, ignoring)
    assert not result.passed, f"{exercise.signature} passes while ignoring {exercise.parameters[index]}"
