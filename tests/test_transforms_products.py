"""jvp and hvp: unnormalised Jacobian- and Hessian-vector products, linear in v."""

import numpy as np
import pytest

import calcml

RNG = np.random.default_rng(20261127)


def f_scalar(x, y, z):
    return np.sin(x) * np.exp(y) + x**3 * z - y * z**2


def grad_exact(x, y, z):
    return np.array(
        [np.cos(x) * np.exp(y) + 3 * x**2 * z, np.sin(x) * np.exp(y) - z**2, x**3 - 2 * y * z]
    )


def hess_exact(x, y, z):
    s, c, e = np.sin(x), np.cos(x), np.exp(y)
    return np.array(
        [[-s * e + 6 * x * z, c * e, 3 * x**2], [c * e, s * e, -2 * z], [3 * x**2, -2 * z, -2 * y]]
    )


def f_vector(x, y):
    return [x**2 * y, np.sin(x * y), x - 3 * y]


def jac_vector(x, y):
    return np.array([[2 * x * y, x**2], [y * np.cos(x * y), x * np.cos(x * y)], [1.0, -3.0]])


@pytest.mark.parametrize("trial", range(5))
def test_jvp_matches_exact_for_random_non_unit_v(trial):
    x = RNG.uniform(-1.5, 1.5, 3)
    v = RNG.normal(size=3) * RNG.uniform(0.1, 10)
    res = calcml.jvp(f_scalar, v, error=True)(*x)
    exact = grad_exact(*x) @ v
    assert res.value == pytest.approx(exact, abs=1e-10 * max(1, np.linalg.norm(v)))
    assert abs(res.value - exact) <= res.error
    x2 = RNG.uniform(-1.5, 1.5, 2)
    v2 = RNG.normal(size=2) * 4
    np.testing.assert_allclose(calcml.jvp(f_vector, v2)(*x2), jac_vector(*x2) @ v2, atol=1e-9)


@pytest.mark.parametrize("trial", range(5))
def test_hvp_matches_exact_and_hessian(trial):
    x = RNG.uniform(-1.5, 1.5, 3)
    v = RNG.normal(size=3) * RNG.uniform(0.1, 10)
    res = calcml.hvp(f_scalar, v, error=True)(*x)
    exact = hess_exact(*x) @ v
    np.testing.assert_allclose(res.value, exact, atol=1e-7 * np.linalg.norm(v))
    assert np.all(np.abs(res.value - exact) <= res.error)
    np.testing.assert_allclose(
        res.value, calcml.hessian(f_scalar)(*x) @ v, atol=1e-7 * np.linalg.norm(v)
    )


def test_linear_in_v_and_zero_v():
    x = np.array([0.3, -0.4, 0.8])
    v = np.array([0.5, -1.0, 2.0])
    for transform in (calcml.jvp, calcml.hvp):
        one = transform(f_scalar, v)(*x)
        np.testing.assert_allclose(transform(f_scalar, 2 * v)(*x), 2 * one, rtol=1e-12)
        # -v moves the stencil the other way: equal up to rounding only
        np.testing.assert_allclose(transform(f_scalar, -3 * v)(*x), -3 * one, rtol=1e-9)
        w = np.array([1.0, 2.0, 0.0])
        np.testing.assert_allclose(
            transform(f_scalar, v + w)(*x),
            one + transform(f_scalar, w)(*x),
            atol=1e-7,
        )
    assert calcml.jvp(f_scalar, [0, 0, 0])(*x) == 0.0
    np.testing.assert_array_equal(calcml.hvp(f_scalar, [0, 0, 0])(*x), np.zeros(3))
    res = calcml.jvp(f_vector, [0.0, 0.0], error=True)(np.zeros(4), np.ones(4))
    assert res.value.shape == (4, 3) and not res.value.any() and not res.error.any()


def test_directional_is_jvp_of_unit_vector():
    x = (0.2, 0.9, -0.5)
    v = np.array([3.0, 0.0, 4.0])
    assert calcml.jvp(f_scalar, v)(*x) == pytest.approx(
        5 * calcml.directional(f_scalar, v)(*x), rel=1e-13
    )


def test_shapes_and_call_forms():
    X, Y, Z = RNG.uniform(-1, 1, (3, 4, 5))
    v = [1.0, 2.0, -1.0]
    assert calcml.jvp(f_scalar, v)(X, Y, Z).shape == (4, 5)
    assert calcml.hvp(f_scalar, v)(X, Y, Z).shape == (4, 5, 3)
    assert calcml.jvp(f_vector, [1.0, 2.0])(X, Y).shape == (4, 5, 3)
    P = np.stack([X, Y, Z], axis=-1)
    fp = lambda p: f_scalar(p[..., 0], p[..., 1], p[..., 2])  # noqa: E731
    np.testing.assert_allclose(calcml.hvp(fp, v)(P), calcml.hvp(f_scalar, v)(X, Y, Z), atol=1e-12)
    exact = np.einsum("ij...,j->...i", hess_exact(X, Y, Z), v)
    np.testing.assert_allclose(calcml.hvp(fp, v)(P), exact, atol=1e-7)


def test_huge_vector_does_not_overflow():
    big = calcml.jvp(lambda x, y: x + 2 * y, [1e300, 1e300])(0.5, 0.5)
    assert big == pytest.approx(3e300, rel=1e-10)


def test_bad_vectors():
    with pytest.raises(ValueError, match="`v` has 2 components"):
        calcml.jvp(f_scalar, [1.0, 2.0])(0.1, 0.2, 0.3)
    with pytest.raises(ValueError, match="`v` must be a 1-D vector"):
        calcml.hvp(f_scalar, [[1.0, 2.0]])
    with pytest.raises(ValueError, match="`v` must be finite"):
        calcml.hvp(f_scalar, [1.0, np.nan, 0.0])
    with pytest.raises(ValueError, match="hvp needs a scalar-valued"):
        calcml.hvp(f_vector, [1.0, 0.0])(0.1, 0.2)


def test_products_follow_the_function_scale():
    """Issue 14's hard cases reach jvp and hvp too: steps refine where checks fail."""
    fast = calcml.jvp(lambda x, y: np.sin(x) * y, [2.0, 0.0], error=True)(1e4, 3.0)
    assert fast.value == pytest.approx(6 * np.cos(1e4), abs=1e-7)
    assert abs(fast.value - 6 * np.cos(1e4)) <= fast.error
    # a Hessian of size 1e6 on a length scale of 1e-3: k/2 |p|^2 + tanh-shaped bump
    k = 1e6

    def bump(p):
        return 0.5 * k * np.sum(p**2, axis=-1) + np.tanh(p[..., 0] / 1e-3)

    x = np.array([2e-4, 1e-4])
    v = np.array([1.0, -1.0])
    t = np.tanh(x[0] / 1e-3)
    H = np.diag([k + -2 * t * (1 - t**2) / 1e-6, k])
    res = calcml.hvp(bump, v, error=True)(x)
    np.testing.assert_allclose(res.value, H @ v, rtol=1e-7)
    assert np.all(np.abs(res.value - H @ v) <= res.error)
