"""Minibatch SGD, learning-rate schedules and minibatch gradient noise (calcml.optimize)."""

from itertools import combinations

import numpy as np
import pytest

import calcml
from calcml import DIVERGED, MAX_STEPS


def least_squares(n_samples=400, seed=5651219684984213):
    """A least-squares problem f(w) = |X w - y|^2 / (2N) with its exact minimiser."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 2)) * [1.0, 0.5]
    y = X @ [2.0, -1.0] + 0.5 * rng.normal(size=n_samples)

    def f(w):
        return float(np.mean((X @ w - y) ** 2) / 2)

    def grad(w, idx):
        return X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)

    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    return f, grad, w_star, X


@pytest.fixture(scope="module")
def problem():
    return least_squares()


def test_minibatch_gradient_is_exactly_unbiased_over_all_batches():
    f, grad, _, _ = least_squares(n_samples=7)
    w = np.array([0.3, -0.2])
    full = grad(w, np.arange(7))
    for b in (1, 2, 3, 5):
        batches = [grad(w, np.array(c)) for c in combinations(range(7), b)]
        np.testing.assert_allclose(np.mean(batches, axis=0), full, atol=1e-12)


def test_variance_falls_like_one_over_batch_size(problem):
    f, grad, _, _ = problem
    sizes = [1, 4, 16, 64]
    noise = calcml.gradient_noise(grad, [0.0, 0.0], 400, sizes, trials=2000, seed=1)
    ratio = noise.variance * np.array(sizes) / noise.sigma2
    assert np.all(np.abs(ratio - 1) < 0.12), ratio
    slope = np.polyfit(np.log(sizes), np.log(noise.variance), 1)[0]
    assert abs(slope + 1) < 0.05, slope
    # unbiased: the mean of the draws is within sampling error of the full gradient
    assert np.all(noise.bias < 4 * np.sqrt(noise.variance / 2000))


def test_variance_without_replacement_has_the_finite_population_factor(problem):
    f, grad, _, _ = problem
    sizes = np.array([50, 200, 350])
    noise = calcml.gradient_noise(grad, [0.0, 0.0], 400, sizes, trials=1500, replace=False)
    predicted = noise.sigma2 / sizes * (400 - sizes) / (400 - 1)
    np.testing.assert_allclose(noise.variance, predicted, rtol=0.12)
    full_batch = calcml.gradient_noise(grad, [0.0, 0.0], 400, [400], trials=3, replace=False)
    assert full_batch.variance[0] < 1e-25  # the whole data set: no noise at all


def test_sigma2_matches_the_per_example_formula(problem):
    f, grad, _, X = problem
    w = np.array([1.0, 1.0])
    noise = calcml.gradient_noise(grad, w, 400, [1], trials=2)
    per = np.array([grad(w, [i]) for i in range(400)])
    expected = np.mean(np.sum((per - per.mean(axis=0)) ** 2, axis=1))
    assert noise.sigma2 == pytest.approx(expected)


def tail_gap(res, f_star, epochs=20):
    """Mean of f - f* over the last `epochs` recorded points."""
    return float(np.mean(res.values[-epochs:] - f_star))


def test_constant_rate_settles_in_a_noise_ball_that_grows_with_the_rate(problem):
    f, grad, w_star, _ = problem
    f_star = f(w_star)
    gaps = []
    for eta in (0.02, 0.1):
        res = calcml.sgd(f, [0.0, 0.0], grad=grad, n_samples=400, batch_size=1, epochs=40,
                         learning_rate=eta, seed=3)  # fmt: skip
        gaps.append(tail_gap(res, f_star))
    # the ball is reached (far below the start's gap) but never left: f - f* stays positive
    assert gaps[0] > 1e-4 and gaps[1] < 0.1 * (f([0.0, 0.0]) - f_star)
    # theory: the gap is about proportional to eta, here 5x
    assert 2.5 < gaps[1] / gaps[0] < 10, gaps


def test_decaying_schedules_converge_where_a_constant_rate_stalls(problem):
    f, grad, w_star, _ = problem
    f_star = f(w_star)
    common = dict(grad=grad, n_samples=400, batch_size=1, epochs=30, learning_rate=0.1, seed=3)
    constant = calcml.sgd(f, [0.0, 0.0], **common)
    assert np.linalg.norm(constant.x - w_star) > 0.1
    for kind in ("1/t", "step", "cosine"):
        decayed = calcml.sgd(f, [0.0, 0.0], schedule=kind, **common)
        # 1/t ends at rate 0.1 / 11 (default tau): its gap is about 1/11 of the constant's
        assert decayed.fun - f_star < 0.1 * tail_gap(constant, f_star, 10), kind
        assert np.linalg.norm(decayed.x - w_star) < 0.05, kind


def test_full_batch_sgd_is_gradient_descent_with_momentum(problem):
    f, grad, w_star, _ = problem
    kw = dict(grad=grad, n_samples=400, batch_size=400, epochs=30, learning_rate=0.5)
    res = calcml.sgd(f, [3.0, 3.0], momentum=0.5, **kw)
    gd = calcml.gradient_descent(
        f, [3.0, 3.0], learning_rate=0.5, momentum=0.5, max_steps=30, tol=0,
        grad=lambda w: grad(w, np.arange(400)),
    )  # fmt: skip
    np.testing.assert_allclose(res.path, gd.path, atol=1e-12)
    np.testing.assert_allclose(res.values, gd.values, atol=1e-12)
    assert res.nit == 30 and res.status == MAX_STEPS and res.method == "sgd"


def test_full_batch_adam_matches_calcml_adam(problem):
    f, grad, _, _ = problem
    res = calcml.sgd(f, [3.0, 3.0], grad=grad, n_samples=400, batch_size=400, epochs=25,
                     learning_rate=0.05, method="adam")  # fmt: skip
    ref = calcml.adam(f, [3.0, 3.0], learning_rate=0.05, max_steps=25, tol=0,
                      grad=lambda w: grad(w, np.arange(400)))  # fmt: skip
    np.testing.assert_allclose(res.path, ref.path, atol=1e-12)


def test_nesterov_and_rmsprop_follow_their_formulas():
    # f(x) = 2 x^2 with one "example": gradient 4 x
    def f(x):
        return float(2 * x[0] ** 2)

    def grad(x, idx):
        return 4 * x

    res = calcml.sgd(f, [1.0], grad=grad, n_samples=1, batch_size=1, epochs=3,
                     learning_rate=0.1, method="nesterov", momentum=0.5)  # fmt: skip
    x, v = 1.0, 0.0
    for _ in range(3):
        v = 0.5 * v - 0.1 * 4 * (x + 0.5 * v)
        x += v
    assert res.x[0] == pytest.approx(x)
    rms = calcml.sgd(f, [1.0], grad=grad, n_samples=1, batch_size=1, epochs=1,
                     learning_rate=0.01, method="rmsprop", beta2=0.9)  # fmt: skip
    # first step: s = 0.1 g^2, so the step is eta * g / sqrt(0.1 g^2) = eta / sqrt(0.1)
    assert rms.x[0] == pytest.approx(1 - 0.01 / np.sqrt(0.1), rel=1e-7)


def test_same_seed_same_run_other_seed_other_run(problem):
    f, grad, _, _ = problem
    kw = dict(grad=grad, n_samples=400, batch_size=8, epochs=3, learning_rate=0.05)
    a = calcml.sgd(f, [0.0, 0.0], seed=7, **kw)
    b = calcml.sgd(f, [0.0, 0.0], seed=7, **kw)
    c = calcml.sgd(f, [0.0, 0.0], seed=8, **kw)
    np.testing.assert_array_equal(a.path, b.path)
    assert np.abs(a.path[-1] - c.path[-1]).max() > 1e-6


def test_recording_and_step_count(problem):
    f, grad, _, _ = problem
    kw = dict(grad=grad, n_samples=400, batch_size=64, epochs=2, learning_rate=0.05)
    by_epoch = calcml.sgd(f, [0.0, 0.0], **kw)
    by_step = calcml.sgd(f, [0.0, 0.0], record="step", **kw)
    assert by_epoch.nit == by_step.nit == 2 * 7  # ceil(400 / 64) = 7 batches per epoch
    assert by_epoch.path.shape == (3, 2) and by_step.path.shape == (15, 2)
    np.testing.assert_array_equal(by_epoch.path[1], by_step.path[7])
    np.testing.assert_allclose(by_step.values, [f(w) for w in by_step.path])
    norms = [np.linalg.norm(grad(w, np.arange(400))) for w in by_step.path]
    np.testing.assert_allclose(by_step.grad_norms, norms)


def test_too_large_a_rate_is_reported_as_divergence(problem):
    f, grad, _, _ = problem
    res = calcml.sgd(f, [1.0, 1.0], grad=grad, n_samples=400, batch_size=400, epochs=500,
                     learning_rate=5.0, max_norm=1e6)  # fmt: skip
    assert res.status == DIVERGED and "Diverged" in res.message and res.nit < 500


def test_schedule_values():
    sched = calcml.learning_rate_schedule
    np.testing.assert_allclose(sched("constant", 0.3, 4), [0.3] * 4)
    np.testing.assert_allclose(sched("1/t", 1.0, 4, tau=2), 1 / (1 + np.arange(4) / 2))
    assert sched("1/t", 1.0, 100)[10] == pytest.approx(0.5)  # default tau = S / 10
    np.testing.assert_allclose(sched("step", 1.0, 9), [1] * 3 + [0.1] * 3 + [0.01] * 3)
    np.testing.assert_allclose(sched("step", 1.0, 4, drop_every=3, drop_factor=0.5),
                               [1, 1, 1, 0.5])  # fmt: skip
    cos = sched("cosine", 2.0, 100)
    assert cos[0] == 2.0 and cos[50] == pytest.approx(1.0) and 0 < cos[-1] < 2e-3
    assert np.all(np.diff(cos) < 0)
    warm = sched("constant", 1.0, 10, warmup=4)
    np.testing.assert_allclose(warm, [0.25, 0.5, 0.75, 1, 1, 1, 1, 1, 1, 1])
    np.testing.assert_allclose(sched("cosine", 1.0, 10, warmup=4)[4:], sched("cosine", 1.0, 6))


def test_array_schedule_is_used_step_by_step():
    def f(x):
        return float(x[0] ** 2 / 2)

    def grad(x, idx):
        return x.copy()

    rates = np.array([0.5, 0.25, 0.1])
    res = calcml.sgd(f, [1.0], grad=grad, n_samples=1, batch_size=1, epochs=3,
                     schedule=rates, record="step")  # fmt: skip
    np.testing.assert_allclose(res.path[:, 0], np.cumprod([1, 0.5, 0.75, 0.9]))


def test_input_validation(problem):
    f, grad, _, _ = problem
    ok = dict(grad=grad, n_samples=400)
    with pytest.raises(ValueError, match="`batch_size` \\(500\\) must be at most"):
        calcml.sgd(f, [0.0, 0.0], batch_size=500, **ok)
    with pytest.raises(ValueError, match="`method` must be one of"):
        calcml.sgd(f, [0.0, 0.0], method="adagrad", **ok)
    with pytest.raises(ValueError, match="`momentum` must be in \\[0, 1\\)"):
        calcml.sgd(f, [0.0, 0.0], momentum=1.0, **ok)
    with pytest.raises(ValueError, match="not used by method='rmsprop'"):
        calcml.sgd(f, [0.0, 0.0], method="rmsprop", momentum=0.9, **ok)
    with pytest.raises(ValueError, match="`record` must be"):
        calcml.sgd(f, [0.0, 0.0], record="batch", **ok)
    with pytest.raises(ValueError, match="one rate per step, shape \\(130,\\)"):
        calcml.sgd(f, [0.0, 0.0], schedule=[0.1, 0.2], **ok)
    with pytest.raises(ValueError, match="must return the mean gradient"):
        calcml.sgd(f, [0.0, 0.0], grad=lambda w, i: np.zeros(3), n_samples=400)
    with pytest.raises(TypeError, match="`grad` must be callable"):
        calcml.sgd(f, [0.0, 0.0], grad=None, n_samples=400)
    with pytest.raises(TypeError, match="`n_samples` must be an integer"):
        calcml.sgd(f, [0.0, 0.0], grad=grad, n_samples=400.0)
    with pytest.raises(ValueError, match="`learning_rate` must be positive"):
        calcml.sgd(f, [0.0, 0.0], learning_rate=0, **ok)
    with pytest.raises(ValueError, match="`kind` must be one of"):
        calcml.learning_rate_schedule("linear", 0.1, 10)
    with pytest.raises(ValueError, match="`warmup` \\(10\\) must be smaller"):
        calcml.learning_rate_schedule("constant", 0.1, 10, warmup=10)
    with pytest.raises(ValueError, match="`drop_factor` must be in \\(0, 1\\]"):
        calcml.learning_rate_schedule("step", 0.1, 10, drop_factor=2.0)
    with pytest.raises(ValueError, match="must be at least 1, got \\[0, 4\\]"):
        calcml.gradient_noise(grad, [0.0, 0.0], 400, [0, 4])
    with pytest.raises(ValueError, match="between 1 and n_samples = 400"):
        calcml.gradient_noise(grad, [0.0, 0.0], 400, [401], replace=False)
    with pytest.raises(TypeError, match="1-D sequence of integers"):
        calcml.gradient_noise(grad, [0.0, 0.0], 400, [1.5])


def test_independent_sampling_noise_ball_matches_the_quadratic_prediction(problem):
    # near w*, SGD on a quadratic settles at E f - f* = eta tr(Sigma) / (4 B) to first order in
    # eta, with Sigma the covariance of the per-example gradients at w*
    f, grad, w_star, _ = problem
    per_example = np.array([grad(w_star, [i]) for i in range(400)])
    sigma2 = np.mean(np.sum(per_example**2, axis=1))
    for eta, batch in ((0.02, 1), (0.04, 4)):
        res = calcml.sgd(f, w_star, grad=grad, n_samples=400, batch_size=batch, epochs=60,
                         learning_rate=eta, replace=True, seed=2)  # fmt: skip
        predicted = eta * sigma2 / (4 * batch)
        assert tail_gap(res, f(w_star), 50) == pytest.approx(predicted, rel=0.25)


def test_independent_sampling_is_seeded_and_counts_steps_like_epochs(problem):
    f, grad, _, _ = problem
    kw = dict(grad=grad, n_samples=400, batch_size=64, epochs=2, learning_rate=0.05, replace=True)
    a, b = calcml.sgd(f, [0.0, 0.0], **kw), calcml.sgd(f, [0.0, 0.0], **kw)
    np.testing.assert_array_equal(a.path, b.path)
    assert a.nit == 14


def test_warmup_is_applied_by_sgd_step_by_step():
    def f(x):
        return float(x[0] ** 2 / 2)

    def grad(x, idx):
        return x.copy()

    res = calcml.sgd(f, [1.0], grad=grad, n_samples=1, batch_size=1, epochs=4,
                     learning_rate=0.4, warmup=2, record="step")  # fmt: skip
    # rates 0.2, 0.4 (warm-up), then 0.4, 0.4: x <- (1 - rate) x
    np.testing.assert_allclose(res.path[:, 0], np.cumprod([1, 0.8, 0.6, 0.6, 0.6]))


def test_replace_draws_batches_with_repeats_and_without_replace_a_permutation():
    seen = []

    def grad(x, idx):
        seen.append(np.sort(idx))
        return x.copy()

    def f(x):
        return 0.0

    kw = dict(grad=grad, n_samples=4, batch_size=4, epochs=30, learning_rate=0.1, seed=0)
    calcml.sgd(f, [1.0], replace=False, **kw)
    # every call (30 batches, plus the full-gradient evaluations) sees 4 distinct examples
    assert len(seen) > 30 and all(np.array_equal(b, np.arange(4)) for b in seen)
    seen.clear()
    calcml.sgd(f, [1.0], replace=True, **kw)
    repeats = sum(len(np.unique(b)) < 4 for b in seen)
    # 30 batches of 4 independent draws: each repeats an index with P = 1 - 4!/4^4 = 0.906
    assert 20 <= repeats <= 30, repeats
