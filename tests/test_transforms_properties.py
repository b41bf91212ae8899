"""Property tests (hypothesis) of the function transforms against exact identities."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import calcml

SETTINGS = settings(max_examples=25, deadline=None)
values = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@st.composite
def quadratic(draw):
    """A random quadratic x^T A x + b^T x and a point x (n <= 5)."""
    n = draw(st.integers(1, 5))
    A = draw(arrays(float, (n, n), elements=values))
    b = draw(arrays(float, n, elements=values))
    x = draw(arrays(float, n, elements=values))
    return A, b, x


def smooth(p):
    """A smooth non-polynomial scalar function of a point (vectorised)."""
    k = np.arange(1, p.shape[-1] + 1)
    return np.sin(p @ k / p.shape[-1]) + np.exp(0.3 * np.sum(p * p[..., ::-1], axis=-1))


points = st.integers(1, 5).flatmap(lambda n: arrays(float, n, elements=values))


@SETTINGS
@given(quadratic())
def test_gradient_of_quadratic(case):
    A, b, x = case
    f = lambda p: p @ A @ p + b @ p  # noqa: E731  (point-only: the probe falls back)
    g = calcml.grad(f)(x)
    expected = (A + A.T) @ x + b
    np.testing.assert_allclose(g, expected, atol=1e-10 * max(1, np.abs(expected).max()) * x.size)


@SETTINGS
@given(points)
def test_hessian_symmetric_and_laplacian_is_trace(x):
    res = calcml.hessian(smooth, error=True)(x)
    np.testing.assert_array_equal(res.value, res.value.T)
    lap = calcml.laplacian(smooth)(x)
    assert abs(lap - np.trace(res.value)) <= 1e-7 * max(1.0, abs(lap))


@SETTINGS
@given(points, st.data())
def test_directional_is_gradient_dot_unit_vector(x, data):
    v = data.draw(arrays(float, x.size, elements=values).filter(lambda v: np.linalg.norm(v) > 1e-3))
    d = calcml.directional(smooth, v)(x)
    expected = calcml.grad(smooth)(x) @ v / np.linalg.norm(v)
    assert abs(d - expected) <= 1e-9 * max(1.0, abs(expected))


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_jacobian_of_linear_map(m, n, data):
    M = data.draw(arrays(float, (m, n), elements=values))
    x = data.draw(arrays(float, (3, n), elements=values))
    J = calcml.jacobian(lambda p: p @ M.T)(x)
    np.testing.assert_allclose(J, np.broadcast_to(M, (3, m, n)), atol=1e-11)


@SETTINGS
@given(arrays(float, 3, elements=values))
def test_chain_rule(x):
    def g(p):  # R^3 -> R^2
        return np.stack([np.sin(p[..., 0]) * p[..., 1], p[..., 2] ** 2 + p[..., 0]], axis=-1)

    def f(q):  # R^2 -> R^3
        return np.stack(
            [q[..., 0] * q[..., 1], np.exp(0.5 * q[..., 0]), np.cos(q[..., 1])], axis=-1
        )

    composed = calcml.jacobian(lambda p: f(g(p)), error=True)(x)
    Jf, Jg = calcml.jacobian(f, error=True)(g(x)), calcml.jacobian(g, error=True)(x)
    product = Jf.value @ Jg.value
    # the identity holds within the error estimates of the three Jacobians
    tolerance = composed.error + np.abs(Jf.value) @ Jg.error + Jf.error @ np.abs(Jg.value)
    assert np.all(np.abs(composed.value - product) <= tolerance + 1e-12)
    assert np.all(np.abs(composed.value - product) <= 1e-7 * np.maximum(1, np.abs(product)))
