"""Property tests: any quadratic is recovered, on grids exactly, from scattered points closely."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calcml import MultivariateDerivatives
from calcml.sampled import LocalPolynomialInterpolator

coefficient = st.floats(-5, 5, allow_nan=False)


@st.composite
def quadratics(draw, dim):
    """A random quadratic c + b.x + x.A.x / 2 with its gradient and Hessian."""
    A = draw(arrays(float, (dim, dim), elements=coefficient))
    A = A + A.T
    b = draw(arrays(float, dim, elements=coefficient))
    c = draw(coefficient)

    def f(p):
        return c + p @ b + 0.5 * np.einsum("ki,ij,kj->k", p, A, p)

    return f, (lambda p: b + p @ A), A


def grid(dim, num):
    axes = np.meshgrid(*[np.linspace(-1, 2, num)] * dim)
    return np.column_stack([a.ravel() for a in axes])


POINTS = {2: np.array([[0.1, 0.2], [1.5, -0.5]]), 3: np.array([[0.1, 0.2, 0.3], [1.5, -0.5, 1]])}


def scale(f, points):
    return 1.0 + np.abs(f(points)).max()


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([2, 3]).flatmap(lambda d: st.tuples(st.just(d), quadratics(d))))
def test_quadratic_exact_on_grid(case):
    dim, (f, grad, hess) = case
    X = grid(dim, 6)
    mv = MultivariateDerivatives().fit(X, f(X))
    p = POINTS[dim]
    np.testing.assert_allclose(mv.gradient()(p), grad(p), atol=1e-8 * scale(f, X))
    np.testing.assert_allclose(
        mv.hessian()(p), np.broadcast_to(hess, (2, dim, dim)), atol=1e-7 * scale(f, X)
    )


@settings(max_examples=10, deadline=None)
@given(quadratics(2), st.integers(0, 2**32 - 1))
def test_quadratic_recovered_from_scattered(quad, seed):
    f, grad, hess = quad
    X = np.random.default_rng(seed).uniform(-1, 2, size=(60, 2))
    p = POINTS[2]
    for interpolator in (None, LocalPolynomialInterpolator):
        mv = (
            MultivariateDerivatives()
            if interpolator is None
            else MultivariateDerivatives(interpolator)
        )
        mv.fit(X, f(X))
        np.testing.assert_allclose(mv.gradient()(p), grad(p), atol=1e-6 * scale(f, X))
        np.testing.assert_allclose(
            mv.hessian()(p), np.broadcast_to(hess, (2, 2, 2)), atol=1e-6 * scale(f, X)
        )
