"""The teaching formulas: forward/central differences and the 5-point Laplacian."""

import math

import numpy as np
import pytest

import calcml


def test_forward_and_central_seed_values():
    f = lambda x: x**2 + 2 * x + 4  # noqa: E731  f(x, y=2) of the seed, d/dx = 2x + 2 = 4 at 1
    assert calcml.central_difference(f, 1.0, 1e-3) == pytest.approx(4.0, abs=1e-10)
    assert calcml.forward_difference(f, 1.0, 1e-3) == pytest.approx(4.0 + 1e-3, abs=1e-9)


def test_orders_of_accuracy():
    h = np.logspace(-4, -1, 7)
    fwd = np.abs(calcml.forward_difference(np.exp, 0.5, h) - np.exp(0.5))
    cen = np.abs(calcml.central_difference(np.exp, 0.5, h) - np.exp(0.5))
    assert abs(np.polyfit(np.log(h), np.log(fwd), 1)[0] - 1) < 0.1
    assert abs(np.polyfit(np.log(h), np.log(cen), 1)[0] - 2) < 0.1


def test_round_off_grows_for_tiny_steps():
    h = np.array([1e-6, 1e-12])
    err = np.abs(calcml.central_difference(np.sin, 1.0, h) - math.cos(1.0))
    assert err[1] > 100 * err[0]


def test_vectorised_over_x_and_h_and_point_only_f():
    x = np.linspace(0, 1, 4)[:, None]
    h = np.array([1e-2, 1e-3])
    out = calcml.central_difference(math.sin, x, h)  # math.sin takes one float only
    assert out.shape == (4, 2)
    np.testing.assert_allclose(out, np.cos(x) * np.sin(h) / h, rtol=1e-9)


def test_difference_validation():
    with pytest.raises(ValueError, match="`h` must be nonzero"):
        calcml.forward_difference(np.sin, 1.0, [0.1, 0.0])
    with pytest.raises(TypeError, match="`f` must be a callable"):
        calcml.central_difference(None, 1.0, 0.1)
    with pytest.raises(ValueError, match="must broadcast together"):
        calcml.central_difference(np.sin, np.ones(3), np.ones(2))


def test_five_point_laplacian_exact_on_cubics():
    x = np.linspace(-1, 2, 13)
    y = np.linspace(0, 1, 5)
    X, Y = np.meshgrid(x, y)
    Z = X**3 + X * Y**2 - 2 * Y**3
    L = calcml.five_point_laplacian(Z, (y[1] - y[0], x[1] - x[0]))  # rows are y, columns x
    np.testing.assert_allclose(L[1:-1, 1:-1], (6 * X + 2 * X - 12 * Y)[1:-1, 1:-1], atol=1e-9)
    assert np.isnan(L[0]).all() and np.isnan(L[-1]).all()
    assert np.isnan(L[:, 0]).all() and np.isnan(L[:, -1]).all()


def test_five_point_laplacian_second_order():
    errors = []
    for n in (17, 33):
        x = np.linspace(0, np.pi, n)
        X, Y = np.meshgrid(x, x)
        L = calcml.five_point_laplacian(np.sin(X) * np.sin(Y), x[1] - x[0])
        errors.append(np.nanmax(np.abs(L + 2 * np.sin(X) * np.sin(Y))))
    assert 3.5 < errors[0] / errors[1] < 4.5


def test_five_point_laplacian_validation():
    with pytest.raises(ValueError, match="at least 3 x 3"):
        calcml.five_point_laplacian(np.ones((2, 5)))
    with pytest.raises(ValueError, match="`h` must be positive"):
        calcml.five_point_laplacian(np.ones((3, 3)), -1.0)
    with pytest.raises(ValueError, match="`Z` must be finite"):
        calcml.five_point_laplacian(np.full((3, 3), np.nan))
