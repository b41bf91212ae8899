"""Unit tests of the function transforms: values, shapes of both call forms, error estimates."""

import math

import numpy as np
import pytest

import calcml

RNG = np.random.default_rng(5651219684984213)


def seed_f(x, y):
    return x**2 + x * y + y**2


def xyz(x, y, z):
    return x * y * z


# ----------------------------------------------------------------- the seed's numbers


def test_seed_partials():
    assert calcml.partial(seed_f, 0)(1, 2) == pytest.approx(4.0, abs=1e-12)
    assert calcml.partial(seed_f, 1)(1, 2) == pytest.approx(5.0, abs=1e-12)
    np.testing.assert_allclose(calcml.grad(seed_f)(1.0, 2.0), [4.0, 5.0], atol=1e-12)


def test_xyz_gradient():
    np.testing.assert_allclose(calcml.grad(xyz)(1.0, 2.0, 3.0), [6.0, 3.0, 2.0], atol=1e-12)
    np.testing.assert_allclose(
        calcml.grad(lambda p: np.prod(p, axis=-1))([1.0, 2.0, 3.0]), [6, 3, 2], atol=1e-12
    )


def test_seed_jacobian_hessian_laplacian():
    J = calcml.jacobian(lambda x, y: [x**2 + y, x * y])(1.0, 2.0)
    np.testing.assert_allclose(J, [[2, 1], [2, 1]], atol=1e-12)
    np.testing.assert_allclose(
        calcml.hessian(lambda x, y: x**2 + y**2)(0.0, 0.0), [[2, 0], [0, 2]], atol=1e-9
    )
    np.testing.assert_allclose(
        calcml.hessian(lambda x, y: x**2 - y**2)(0.0, 0.0), [[2, 0], [0, -2]], atol=1e-9
    )
    X, Y = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 3, 5))
    np.testing.assert_allclose(calcml.laplacian(lambda x, y: x**2 + y**2)(X, Y), 4.0, atol=1e-8)
    np.testing.assert_allclose(
        calcml.grad(lambda x, y: x**3 - 3 * x * y**2)(1.0, 1.0), [0, -6], atol=1e-11
    )
    np.testing.assert_allclose(
        calcml.hessian(lambda x, y: x * y)(0.3, -0.7), [[0, 1], [1, 0]], atol=1e-9
    )


def test_directional_and_partial_order():
    d = calcml.directional(seed_f, [3.0, 4.0])(1.0, 2.0)
    assert d == pytest.approx((4 * 3 + 5 * 4) / 5, abs=1e-12)
    assert calcml.partial(np.sin, 0, order=3)(0.4) == pytest.approx(-np.cos(0.4), abs=1e-7)
    assert calcml.partial(seed_f, 1, order=2)(1.0, 2.0) == pytest.approx(2.0, abs=1e-9)


# ----------------------------------------------------------------- shapes


@pytest.mark.parametrize("S", [(), (4,), (3, 5)])
def test_shapes_several_arguments(S):
    x, y = RNG.uniform(-1, 1, (2,) + S)
    vec = lambda x, y: [x * y, np.sin(x), x + y]  # noqa: E731
    assert np.shape(calcml.grad(seed_f)(x, y)) == S + (2,)
    assert np.shape(calcml.jacobian(vec)(x, y)) == S + (3, 2)
    assert np.shape(calcml.hessian(seed_f)(x, y)) == S + (2, 2)
    assert np.shape(calcml.laplacian(seed_f)(x, y)) == S
    assert np.shape(calcml.directional(seed_f, [1, 2])(x, y)) == S
    assert np.shape(calcml.directional(vec, [1, 2])(x, y)) == S + (3,)
    assert np.shape(calcml.partial(vec, 1)(x, y)) == S + (3,)


@pytest.mark.parametrize("S", [(), (1,), (6,), (2, 3)])
@pytest.mark.parametrize("vectorized", [True, False])
def test_shapes_one_array(S, vectorized):
    n, m = 4, 3
    W = RNG.normal(size=(m, n))
    if vectorized:
        f, vec = (lambda p: np.sum(p**3, axis=-1)), (lambda p: np.tanh(p @ W.T))
    else:
        f = lambda p: sum(math.sin(c) for c in p)  # noqa: E731
        vec = lambda p: [math.tanh(w @ p) for w in W]  # noqa: E731
    p = RNG.uniform(-1, 1, S + (n,))
    assert calcml.grad(f)(p).shape == S + (n,)
    assert calcml.jacobian(vec)(p).shape == S + (m, n)
    assert calcml.hessian(f)(p).shape == S + (n, n)
    assert np.shape(calcml.laplacian(f)(p)) == S
    assert np.shape(calcml.directional(vec, np.ones(n))(p)) == S + (m,)
    J = calcml.jacobian(vec)(p)
    np.testing.assert_allclose(J, (1 - np.tanh(p @ W.T) ** 2)[..., None] * W, atol=1e-10)


def test_scalar_f_jacobian_is_gradient():
    p = RNG.uniform(-1, 1, (5, 3))
    f = lambda p: np.sum(np.exp(p), axis=-1)  # noqa: E731
    np.testing.assert_allclose(calcml.jacobian(f)(p), calcml.grad(f)(p))


def test_meshgrid_gradient_field():
    X, Y = np.meshgrid(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20))
    G = calcml.grad(lambda x, y: x**2 + y**2)(X, Y)
    assert G.shape == (20, 20, 2)
    np.testing.assert_allclose(G, np.stack([2 * X, 2 * Y], axis=-1), atol=1e-11)


def test_vectorisation_detected_and_overridable():
    calls = []

    def point_only(p):  # unpacks the first axis: wrong on a batch (k, 2)
        calls.append(np.shape(p))
        x, y = p
        return x * np.exp(y)

    P = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])
    G = calcml.grad(point_only)(P)
    np.testing.assert_allclose(
        G, np.stack([np.exp(P[:, 1]), P[:, 0] * np.exp(P[:, 1])], 1), atol=1e-11
    )
    assert all(shape == (2,) for shape in calls[-10:])  # fell back to one point per call
    calls.clear()
    calcml.grad(lambda p: np.sum(p**2, axis=-1), vectorized=True)(P)
    G2 = calcml.grad(lambda p: calls.append(p.shape) or np.sum(p**2, axis=-1))(P)
    np.testing.assert_allclose(G2, 2 * P, atol=1e-11)
    assert max(len(s) for s in calls) == 2 and len(calls) < 10  # batches, few calls


def test_not_vectorised_scalar_arguments():
    f = lambda x, y: math.sin(x) * y  # noqa: E731
    G = calcml.grad(f)(np.array([0.0, 1.0]), 2.0)
    np.testing.assert_allclose(G, [[2.0, 0.0], [2 * math.cos(1.0), math.sin(1.0)]], atol=1e-11)


def test_constant_component():
    J = calcml.jacobian(lambda x, y: [x * y, 1.0])(np.array([1.0, 2.0]), 3.0)
    np.testing.assert_allclose(J, [[[3, 1], [0, 0]], [[3, 2], [0, 0]]], atol=1e-12)


# ----------------------------------------------------------------- accuracy and error estimates

SMOOTH = [
    (
        lambda p: np.exp(p[..., 0]) * np.sin(p[..., 1]),
        lambda P: np.stack(
            [np.exp(P[:, 0]) * np.sin(P[:, 1]), np.exp(P[:, 0]) * np.cos(P[:, 1])], 1
        ),
    ),
    (
        lambda p: np.log1p(np.sum(p**2, axis=-1)),
        lambda P: 2 * P / (1 + np.sum(P**2, axis=1, keepdims=True)),
    ),
    (
        lambda p: np.tanh(p[..., 0] - 2 * p[..., 1]),
        lambda P: (1 - np.tanh(P[:, 0] - 2 * P[:, 1]) ** 2)[:, None] * [1, -2],
    ),
]


@pytest.mark.parametrize(("f", "df"), SMOOTH)
def test_gradient_accuracy_and_estimate(f, df):
    P = RNG.uniform(-2, 2, (50, 2))
    res = calcml.grad(f, error=True)(P)
    true_error = np.abs(res.value - df(P))
    assert np.all(true_error <= 1e-10 * np.maximum(1, np.abs(df(P))))
    assert np.all(true_error <= res.error)  # an estimate, not a bound: holds on smooth f
    assert np.all(res.error < 1e-6)


def test_hessian_estimate_bounds_true_error():
    f = lambda p: np.exp(p[..., 0]) * np.sin(p[..., 1])  # noqa: E731
    P = RNG.uniform(-2, 2, (50, 2))
    e, s, c = np.exp(P[:, 0]), np.sin(P[:, 1]), np.cos(P[:, 1])
    H = np.stack([np.stack([e * s, e * c], 1), np.stack([e * c, -e * s], 1)], 1)
    res = calcml.hessian(f, error=True)(P)
    assert np.all(np.abs(res.value - H) <= res.error)
    assert np.all(np.abs(res.value - H) <= 1e-8 * np.maximum(1, np.abs(H)))
    lap = calcml.laplacian(f, error=True)(P)
    assert np.all(np.abs(lap.value) <= lap.error)  # e^x sin y is harmonic


def test_derivative_result_and_estimate():
    x = np.linspace(-3, 3, 41).reshape(41, 1)
    res = calcml.derivative(np.sin, x)
    assert isinstance(res, calcml.Derivative) and res.value.shape == (41, 1)
    assert np.all(np.abs(res.value - np.cos(x)) <= res.error)
    second = calcml.derivative(lambda t: math.exp(t), 0.5, order=2)
    assert abs(second.value - math.exp(0.5)) <= second.error < 1e-7


def test_larger_step_larger_error():
    """Convergence: the error estimate and the true error shrink with the step."""
    f = lambda x, y: np.exp(x) * np.cos(y)  # noqa: E731
    truth = [np.exp(0.3) * np.cos(0.2), -np.exp(0.3) * np.sin(0.2)]
    steps = [0.2, 0.1, 0.05]
    errors = [np.max(np.abs(calcml.grad(f, step=h)(0.3, 0.2) - truth)) for h in steps]
    assert errors[0] > errors[1] > errors[2]
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert abs(slope - 6) < 0.5  # sixth order, from three Richardson levels


def test_large_coordinates_scale_the_step():
    f = lambda p: np.log(p[..., 0]) * p[..., 1]  # noqa: E731
    g = calcml.grad(f)(np.array([1e6, 3.0]))
    np.testing.assert_allclose(g, [3e-6, np.log(1e6)], rtol=1e-9)


# ----------------------------------------------------------------- batch independence


def test_estimate_at_a_point_does_not_depend_on_the_batch():
    """Issue 14: partial(x*y) at x = [1e8, 1] vs [1, 1e8] gave point 1 different errors."""
    d = calcml.partial(lambda x, y: x * y, 0, error=True)
    a = d(np.array([1e8, 1.0]), 3.0)
    b = d(np.array([1.0, 1e8]), 3.0)
    assert a.value[1] == b.value[0] and a.error[1] == b.error[0]
    assert a.error[1] < 1e-10  # point 1 is not charged point 1e8's round-off


@pytest.mark.parametrize(
    "make",
    [
        lambda: calcml.grad(lambda p: np.sin(p[..., 0]) * p[..., 1] ** 2, error=True),
        lambda: calcml.hessian(lambda p: np.exp(p[..., 0]) * np.cos(p[..., 1]), error=True),
        lambda: calcml.directional(lambda p: np.sin(p[..., 0] * p[..., 1]), [1, 2], error=True),
        lambda: calcml.hvp(lambda p: np.sin(p[..., 0] * p[..., 1]), [1, 2], error=True),
        lambda: calcml.partial(lambda p: np.log(p[..., 0]), 0, 3, error=True),
    ],
)
def test_each_point_alone_equals_the_point_in_a_batch(make):
    """Every transform treats the points of a batch independently (cost linear in N)."""
    P = np.concatenate([RNG.uniform(0.1, 3, (20, 2)), [[40.0, 2.0], [5e-4, 1e-3]]])
    df = make()
    together = df(P)
    for k in (0, 7, 20, 21):
        alone = df(P[k])
        # equal up to numpy's own last-bit differences between array lengths (SIMD),
        # far inside the error estimate
        assert np.all(np.abs(alone.value - together.value[k]) <= 0.1 * together.error[k])
        np.testing.assert_allclose(alone.error, together.error[k], rtol=1e-3)


def test_derivative_estimate_covers_true_error_on_a_grid():
    x = np.linspace(-20, 20, 401)
    for order, truth in [(1, np.cos(x)), (2, -np.sin(x)), (3, -np.cos(x))]:
        res = calcml.derivative(np.sin, x, order=order)
        assert np.all(np.abs(res.value - truth) <= res.error)
