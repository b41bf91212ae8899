"""Derivatives of sampled data: the seed chapter's values, non-separable functions, noise."""

import numpy as np
import pytest

from calcml import MultivariateDerivatives, SplineInterpolator
from calcml.sampled import LocalPolynomialInterpolator, per_axis_gradient

RNG_SEED = 5651219684984213


def grid(lo, hi, num, dim=2):
    """Rows of a meshgrid, as the seed builds them."""
    axes = np.meshgrid(*[np.linspace(lo, hi, num)] * dim)
    return np.column_stack([a.ravel() for a in axes])


def scattered(num, lo=-2.0, hi=2.0, dim=2, seed=RNG_SEED):
    return np.random.default_rng(seed).uniform(lo, hi, size=(num, dim))


# (f, gradient, Hessian) of non-separable test functions, on points (k, n).
FUNCTIONS = {
    "xy": (
        lambda p: p[:, 0] * p[:, 1],
        lambda p: np.column_stack([p[:, 1], p[:, 0]]),
        lambda p: np.broadcast_to([[0.0, 1.0], [1.0, 0.0]], (len(p), 2, 2)),
    ),
    "monkey": (
        lambda p: p[:, 0] ** 3 - 3 * p[:, 0] * p[:, 1] ** 2,
        lambda p: np.column_stack([3 * p[:, 0] ** 2 - 3 * p[:, 1] ** 2, -6 * p[:, 0] * p[:, 1]]),
        lambda p: np.stack(
            [
                np.column_stack([6 * p[:, 0], -6 * p[:, 1]]),
                np.column_stack([-6 * p[:, 1], -6 * p[:, 0]]),
            ],
            axis=1,
        ),
    ),
    "sin_xy": (
        lambda p: np.sin(p[:, 0] * p[:, 1]),
        lambda p: np.cos(p[:, 0] * p[:, 1])[:, None] * p[:, ::-1],
        lambda p: (
            -np.sin(p[:, 0] * p[:, 1])[:, None, None] * (p[:, ::-1, None] * p[:, None, ::-1])
            + np.cos(p[:, 0] * p[:, 1])[:, None, None] * np.array([[0.0, 1.0], [1.0, 0.0]])
        ),
    ),
}
INTERIOR = np.array([[1.0, 1.0], [0.3, -0.7], [-1.2, 0.4], [0.0, 0.0]])


def relative_error(estimate, truth):
    return np.sqrt(np.mean((estimate - truth) ** 2) / np.mean(truth**2))


class TestSeedExamples:
    """Every number the seed chapter says a reader should see."""

    def test_gradient_of_paraboloid(self):
        X = grid(-2, 2, 20)
        mv = MultivariateDerivatives(SplineInterpolator, smoothing=0.1)
        mv.fit(X, X[:, 0] ** 2 + X[:, 1] ** 2)
        gradients = mv.gradient()(np.array([[1.0, 1.0], [0.0, 0.0], [-1.0, 2.0]]))
        np.testing.assert_allclose(gradients, [[2, 2], [0, 0], [-2, 4]], atol=1e-8)

    def test_jacobian_keeps_batch_axis(self):
        X = grid(-2, 2, 20)
        Y = np.column_stack([X[:, 0] ** 2 + X[:, 1], X[:, 0] * X[:, 1]])
        J = MultivariateDerivatives(SplineInterpolator, smoothing=0.1).fit(X, Y).jacobian()
        result = J(np.array([[1.0, 2.0]]))
        assert result.shape == (1, 2, 2)
        np.testing.assert_allclose(result[0], [[2, 1], [2, 1]], atol=1e-8)

    def test_hessian_and_laplacian_of_paraboloid(self):
        X = grid(-2, 2, 20)
        mv = MultivariateDerivatives(SplineInterpolator, smoothing=0.1)
        mv.fit(X, X[:, 0] ** 2 + X[:, 1] ** 2)
        np.testing.assert_allclose(
            mv.hessian()(np.array([[0.0, 0.0]]))[0], 2 * np.eye(2), atol=1e-8
        )
        lap = mv.laplacian()(np.array([[0.0, 0.0], [1.0, 1.0]]))
        np.testing.assert_allclose(lap, [4, 4], atol=1e-8)

    def test_gradient_descent_on_learned_gradient(self):
        X = np.column_stack(
            [a.ravel() for a in np.meshgrid(np.linspace(-3, 5, 30), np.linspace(-2, 6, 30))]
        )
        mv = MultivariateDerivatives(SplineInterpolator, smoothing=0.1)
        gradient = mv.fit(X, (X[:, 0] - 1) ** 2 + (X[:, 1] - 2) ** 2).gradient()
        point = np.array([[4.0, 5.0]])
        for _ in range(20):
            point = point - 0.1 * gradient(point)
        # each coordinate ends 3 * 0.8**20 = 0.035 from the minimum (issue target: within 0.04)
        np.testing.assert_allclose(point[0], [1, 2], atol=0.04)

    def test_xyz_exercise(self):
        X = grid(0, 4, 12, dim=3)
        mv = MultivariateDerivatives().fit(X, X.prod(axis=1))
        np.testing.assert_allclose(
            mv.gradient()(np.array([[1.0, 2.0, 3.0]])), [[6, 3, 2]], atol=1e-8
        )

    def test_monkey_saddle_has_zero_hessian_at_origin(self):
        X = grid(-2, 2, 20)
        mv = MultivariateDerivatives().fit(X, FUNCTIONS["monkey"][0](X))
        np.testing.assert_allclose(mv.gradient()(np.array([[1.0, 1.0]])), [[0, -6]], atol=1e-8)
        np.testing.assert_allclose(mv.hessian()(np.zeros((1, 2))), np.zeros((1, 2, 2)), atol=1e-8)


def test_per_axis_gradient_is_wrong_for_xy():
    X = grid(-2, 2, 20)
    Y = X[:, 0] * X[:, 1]
    points = np.array([[1.0, 2.0]])
    np.testing.assert_allclose(per_axis_gradient(X, Y, points), [[0, 0]], atol=1e-10)
    np.testing.assert_allclose(MultivariateDerivatives().fit(X, Y).gradient()(points), [[2, 1]])


def test_per_axis_gradient_is_right_for_additive_functions():
    X = grid(-2, 2, 20)
    points = np.array([[1.0, -0.5]])
    result = per_axis_gradient(X, X[:, 0] ** 2 + X[:, 1] ** 3, points)
    np.testing.assert_allclose(result, [[2.0, 0.75]], atol=1e-8)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_clean_grid_is_accurate(name):
    f, grad, hess = FUNCTIONS[name]
    X = grid(-2, 2, 20)
    mv = MultivariateDerivatives().fit(X, f(X))
    assert relative_error(mv.gradient()(INTERIOR), grad(INTERIOR)) < 1e-4
    assert relative_error(mv.hessian()(INTERIOR), hess(INTERIOR)) < 1e-3


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("interpolator", [SplineInterpolator, LocalPolynomialInterpolator])
def test_clean_scattered_is_accurate(name, interpolator):
    f, grad, hess = FUNCTIONS[name]
    X = scattered(400)
    mv = MultivariateDerivatives(interpolator).fit(X, f(X))
    # Spline: measured <= 3e-4 / 3e-3. Local quadratics cannot follow cubic terms.
    tol_g, tol_h = (2e-3, 2e-2) if interpolator is SplineInterpolator else (5e-2, 0.3)
    assert relative_error(mv.gradient()(INTERIOR), grad(INTERIOR)) < tol_g
    assert relative_error(mv.hessian()(INTERIOR), hess(INTERIOR)) < tol_h


def test_grid_rows_in_any_order():
    X = grid(-2, 2, 9)
    Y = FUNCTIONS["sin_xy"][0](X)
    order = np.random.default_rng(RNG_SEED).permutation(len(X))
    shuffled = SplineInterpolator().fit(X[order], Y[order])
    assert shuffled.grid_
    np.testing.assert_allclose(
        shuffled.derivatives(INTERIOR, order=2),
        SplineInterpolator().fit(X, Y).derivatives(INTERIOR, order=2),
        atol=1e-10,
    )


def test_missing_grid_point_makes_scattered_data():
    X = grid(-2, 2, 9)[1:]
    spline = SplineInterpolator().fit(X, X[:, 0] * X[:, 1])
    assert not spline.grid_
    gradient = spline.derivatives(INTERIOR, order=1)[:, 0]
    np.testing.assert_allclose(gradient, INTERIOR[:, ::-1], atol=1e-10)


def test_noisy_grid_within_targets():
    # 1 % noise of the range: the benchmark measures about 1e-2 (gradient), 4e-2 (Hessian).
    f, grad, hess = FUNCTIONS["monkey"]
    X = grid(-2, 2, 20)
    Y = f(X)
    noisy = Y + 0.01 * np.ptp(Y) * np.random.default_rng(RNG_SEED).standard_normal(Y.shape)
    mv = MultivariateDerivatives().fit(X, noisy)
    assert 0.5 < mv.interpolator_.smoothing_[0] < 1  # the data chose real smoothing
    assert relative_error(mv.gradient()(INTERIOR), grad(INTERIOR)) < 4e-2
    assert relative_error(mv.hessian()(INTERIOR), hess(INTERIOR)) < 1e-1


def test_noisy_scattered_within_targets():
    f, grad, _ = FUNCTIONS["xy"]
    X = scattered(400)
    Y = f(X)
    noisy = Y + 0.01 * np.ptp(Y) * np.random.default_rng(RNG_SEED).standard_normal(Y.shape)
    mv = MultivariateDerivatives().fit(X, noisy)
    assert relative_error(mv.gradient()(INTERIOR), grad(INTERIOR)) < 4e-2


def test_explicit_smoothing_is_the_fraction_given_up():
    X = grid(-2, 2, 12)
    Y = FUNCTIONS["sin_xy"][0](X)
    for smoothing in (0.0, 0.3, 0.8):
        fitted = SplineInterpolator(smoothing).fit(X, Y)
        np.testing.assert_allclose(fitted.smoothing_, smoothing, atol=1e-6)
    exact = SplineInterpolator(0.0).fit(X, Y)
    np.testing.assert_allclose(exact.derivatives(X), Y[:, None], atol=1e-10)  # interpolates


def test_shapes():
    X = scattered(200, dim=3)
    Y = np.column_stack([X.sum(axis=1), X.prod(axis=1)])
    mv = MultivariateDerivatives().fit(X, Y)
    points = scattered(5, -1, 1, dim=3, seed=1)
    assert mv.predict(points).shape == (5, 2)
    assert mv.jacobian()(points).shape == (5, 2, 3)
    assert mv.hessian()(points).shape == (5, 2, 3, 3)
    assert mv.laplacian()(points).shape == (5, 2)
    assert mv.directional([1, 0, 0])(points).shape == (5, 2)
    scalar = MultivariateDerivatives().fit(X, Y[:, 1])
    assert scalar.gradient()(points).shape == (5, 3)
    assert scalar.hessian()(points).shape == (5, 3, 3)
    assert scalar.laplacian()(points).shape == (5,)


def test_one_variable_accepts_flat_arrays():
    x = np.linspace(0, np.pi, 30)
    mv = MultivariateDerivatives().fit(x, np.sin(x))
    np.testing.assert_allclose(
        mv.gradient()(np.array([1.0, 2.0])), np.cos([[1.0], [2.0]]), atol=1e-6
    )


def test_directional_derivative():
    X = grid(-2, 2, 10)
    mv = MultivariateDerivatives().fit(X, X[:, 0] ** 2 + X[:, 1] ** 2)
    point = np.array([[1.0, 1.0]])
    np.testing.assert_allclose(mv.directional([1, -1])(point), [0.0], atol=1e-8)  # across
    np.testing.assert_allclose(mv.directional([3, 3])(point), [np.sqrt(8)])  # along


def test_duplicates_are_averaged():
    X = grid(-1, 1, 5)
    Y = X[:, 0] * X[:, 1]
    doubled = MultivariateDerivatives().fit(np.vstack([X, X]), np.concatenate([Y, Y]))
    assert doubled.interpolator_.grid_
    with pytest.warns(RuntimeWarning, match="repeated rows whose outputs differ"):
        noisy = MultivariateDerivatives().fit(np.vstack([X, X]), np.concatenate([Y - 1, Y + 1]))
    np.testing.assert_allclose(noisy.predict(X), Y, atol=1e-10)


def test_outside_the_data_warns_and_extrapolates():
    X = grid(-1, 1, 10)
    mv = MultivariateDerivatives().fit(X, X[:, 0] ** 2 + X[:, 1] ** 2)
    with pytest.warns(RuntimeWarning, match="outside the samples' range"):
        result = mv.gradient()(np.array([[1.5, 0.0]]))
    np.testing.assert_allclose(result, [[3.0, 0.0]], atol=1e-8)  # the quadratic continues


def test_anisotropic_scattered_samples_keep_every_axis():
    # x in [0, 1] beside y in [0, 1e4]: one common scale would smooth x away
    rng = np.random.default_rng(11)
    X = np.column_stack([rng.uniform(0, 1, 900), rng.uniform(0, 1e4, 900)])
    Y = np.sin(3 * X[:, 0]) + (X[:, 1] / 1e4) ** 2
    model = MultivariateDerivatives().fit(X, Y)
    Q = np.column_stack([rng.uniform(0.1, 0.9, 100), rng.uniform(1e3, 9e3, 100)])
    exact = np.column_stack([3 * np.cos(3 * Q[:, 0]), 2 * Q[:, 1] / 1e8])
    error = np.abs(model.gradient()(Q) - exact).max(axis=0) / np.abs(exact).max(axis=0)
    assert np.all(error <= 1e-2), error


def test_grid_with_round_off_in_its_coordinates_is_still_a_grid():
    rng = np.random.default_rng(12)
    x = np.linspace(-2, 2, 40)
    points = np.column_stack([a.ravel() for a in np.meshgrid(x, x)])
    jittered = points + rng.uniform(-1e-12, 1e-12, points.shape)
    values = np.sin(jittered[:, 0]) * np.cos(jittered[:, 1])
    spline = SplineInterpolator().fit(jittered, values)
    assert spline.grid_
    q = np.array([[0.3, -0.4]])
    exact = [np.cos(0.3) * np.cos(-0.4), -np.sin(0.3) * np.sin(-0.4)]
    np.testing.assert_allclose(spline.derivatives(q, order=1)[:, 0], [exact], atol=1e-7)


def test_distinct_close_values_are_not_merged_into_one_grid_value():
    # a 3 x 3 grid whose x values are 1e-3 apart is still a 3 x 3 grid (not merged)
    x = np.array([0.0, 1e-3, 2e-3])
    points = np.column_stack([a.ravel() for a in np.meshgrid(x, [0.0, 1.0, 2.0])])
    from calcml.sampled._grid import grid_order

    axes, _ = grid_order(points)
    assert [a.size for a in axes] == [3, 3]


def test_scattered_fit_keeps_improving_past_max_centers():
    # beyond max_centers samples the fit switches to overlapping patches, each its own spline
    def f(p):
        return np.sin(2 * p[:, 0]) * np.cos(3 * p[:, 1])

    def grad(p):
        x, y = p[:, 0], p[:, 1]
        return np.column_stack(
            [2 * np.cos(2 * x) * np.cos(3 * y), -3 * np.sin(2 * x) * np.sin(3 * y)]
        )

    rng = np.random.default_rng(13)
    Q = rng.uniform(-0.9, 0.9, (300, 2))
    errors = []
    for n in (200, 1200):
        X = rng.uniform(-1, 1, (n, 2))
        spline = SplineInterpolator(max_centers=200).fit(X, f(X))
        errors.append(np.abs(spline.derivatives(Q, order=1)[:, 0] - grad(Q)).max())
    assert errors[1] < errors[0] / 5, errors
