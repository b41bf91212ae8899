"""Each bad input to the sampled-data API gets a clear error."""

import numpy as np
import pytest

from calcml import MultivariateDerivatives, SplineInterpolator
from calcml.sampled import LocalPolynomialInterpolator

X = np.column_stack([a.ravel() for a in np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 5))])
Y = X[:, 0] * X[:, 1]


def fitted():
    return MultivariateDerivatives().fit(X, Y)


@pytest.mark.parametrize(
    ("X_bad", "Y_bad", "message"),
    [
        (np.where(X == 0.5, np.nan, X), Y, "`X` contains NaN or infinite"),
        (X, np.where(Y == 0.25, np.inf, Y), "`Y` contains NaN or infinite"),
        (X, Y[:-1], "one row per sample; got 25 and 24"),
        (X[:, :, None], Y, r"`X` must have shape \(N, n\)"),
        (X, Y[:, None, None], r"`Y` must have shape \(N,\) or \(N, m\)"),
        (X[:0], Y[:0], "hold no data"),
    ],
)
def test_bad_samples(X_bad, Y_bad, message):
    with pytest.raises(ValueError, match=message):
        MultivariateDerivatives().fit(X_bad, Y_bad)


def test_non_numeric_samples():
    with pytest.raises(TypeError, match="`X` must be an array of numbers"):
        MultivariateDerivatives().fit([["a", "b"]], [1.0])


def test_too_few_samples():
    rows = np.random.default_rng(0).uniform(size=(5, 2))
    with pytest.raises(ValueError, match=r"needs more than 6 distinct samples .*; got 5"):
        MultivariateDerivatives().fit(rows, rows[:, 0])
    with pytest.raises(ValueError, match="need at least 12 distinct samples; got 5"):
        MultivariateDerivatives(LocalPolynomialInterpolator).fit(rows, rows[:, 0])


def test_samples_on_a_line():
    t = np.linspace(0, 1, 20)
    with pytest.raises(ValueError, match="do not determine a quadratic"):
        MultivariateDerivatives().fit(np.column_stack([t, 2 * t]), t)


def test_unfitted():
    with pytest.raises(ValueError, match="not fitted yet"):
        MultivariateDerivatives().gradient()
    with pytest.raises(ValueError, match="not fitted yet"):
        SplineInterpolator().derivatives([[0.0, 0.0]])


@pytest.mark.parametrize("points", [np.zeros((2, 3)), np.zeros(2), np.zeros((1, 1, 2))])
def test_wrong_point_dimension(points):
    with pytest.raises(ValueError, match=r"`points` must have shape \(k, 2\)"):
        fitted().gradient()(points)


def test_gradient_of_vector_data():
    with pytest.raises(ValueError, match=r"Use jacobian\(\)"):
        MultivariateDerivatives().fit(X, np.column_stack([Y, Y])).gradient()


@pytest.mark.parametrize(("v", "message"), [([1.0], "shape"), ([0.0, 0.0], "non-zero")])
def test_bad_direction(v, message):
    with pytest.raises(ValueError, match=message):
        fitted().directional(v)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"smoothing": 1.0}, ValueError, r"must lie in \[0, 1\)"),
        ({"smoothing": -0.1}, ValueError, r"must lie in \[0, 1\)"),
        ({"smoothing": "a lot"}, TypeError, "must be a number or None"),
        ({"max_centers": 0}, ValueError, "positive integer"),
    ],
)
def test_bad_spline_options(options, error, message):
    with pytest.raises(error, match=message):
        MultivariateDerivatives(SplineInterpolator, **options)


def test_bad_local_options():
    with pytest.raises(TypeError, match="`neighbors` must be an integer"):
        LocalPolynomialInterpolator(neighbors=2.5)
    with pytest.raises(ValueError, match="`neighbors` must lie between 12 and"):
        MultivariateDerivatives(LocalPolynomialInterpolator, neighbors=5).fit(X, Y)


def test_bad_interpolator():
    with pytest.raises(TypeError, match="must be an interpolator class"):
        MultivariateDerivatives("spline")


def test_bad_order():
    with pytest.raises(ValueError, match="`order` must be 0, 1 or 2"):
        SplineInterpolator().fit(X, Y).derivatives(X, order=3)


def test_none_samples_say_none_not_nan():
    with pytest.raises(TypeError, match="`X` must be an array of numbers; got None"):
        MultivariateDerivatives().fit(None, None)


def test_complex_outputs_are_refused_not_truncated():
    with pytest.raises(TypeError, match="`Y` holds complex numbers"):
        MultivariateDerivatives().fit(X, Y * (1 + 1j))


def test_ragged_points_are_named():
    with pytest.raises(ValueError, match="`X` is ragged"):
        MultivariateDerivatives().fit([[0.0, 1.0], [2.0]], [1.0, 2.0])


@pytest.mark.parametrize(
    ("method", "shape"),
    [("gradient", (0, 2)), ("jacobian", (0, 1, 2)), ("hessian", (0, 2, 2)), ("laplacian", (0,))],
)
def test_empty_batch_gives_an_empty_result(method, shape):
    assert getattr(fitted(), method)()(np.empty((0, 2))).shape == shape


def test_local_polynomial_refuses_collinear_samples():
    t = np.random.default_rng(3).uniform(size=200)
    line = np.column_stack([t, 2 * t + 1])
    with pytest.raises(ValueError, match="lower-dimensional set"):
        LocalPolynomialInterpolator().fit(line, line[:, 0] * line[:, 1])


def test_local_polynomial_warns_on_degenerate_neighbourhoods():
    rng = np.random.default_rng(4)
    on_line = np.column_stack([rng.uniform(size=300), np.zeros(300)])  # y = 0: collinear
    spread = rng.uniform(size=(300, 2)) + [0.0, 5.0]
    samples = np.vstack([on_line, spread])
    local = LocalPolynomialInterpolator(neighbors=20).fit(samples, samples[:, 0] ** 2)
    with pytest.warns(RuntimeWarning, match="At 1 of 2 points the nearest samples lie"):
        local.derivatives([[0.5, 0.0], [0.5, 5.5]], order=1)
