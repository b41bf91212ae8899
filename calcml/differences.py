"""Textbook difference formulas, for teaching (chapters 1 and 5).

These are the plain formulas, with the step chosen by the caller, so that a reader
can watch truncation error and round-off error trade places as ``h`` shrinks. For
accurate derivatives use :func:`calcml.derivative` or the transforms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._validate import check_callable, finite_array

__all__ = ["central_difference", "five_point_laplacian", "forward_difference"]


def _checked_steps(x: Any, h: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``x`` and nonzero ``h`` and broadcast them together."""
    x, h = finite_array(x, "x"), finite_array(h, "h")
    if np.any(h == 0):
        raise ValueError("`h` must be nonzero: a difference quotient divides by the step.")
    try:
        return np.broadcast_arrays(x, h)
    except ValueError:
        raise ValueError(
            f"`x` and `h` must broadcast together; got shapes {x.shape} and {h.shape}."
        ) from None


def _call(f: Callable, x: np.ndarray) -> np.ndarray:
    """Evaluate a scalar function of one variable elementwise (vectorised or not)."""
    try:
        y = np.asarray(f(x), dtype=float)
        if y.shape == x.shape:
            return y
    except (TypeError, ValueError):
        pass
    return np.vectorize(f, otypes=[float])(x)


def forward_difference(f: Callable, x: Any, h: Any) -> np.ndarray:
    """Forward difference ``(f(x + h) - f(x)) / h``, elementwise over ``x`` and ``h``.

    Parameters
    ----------
    f : callable
        Scalar function of one variable (vectorised or not).
    x, h : array_like
        Points and steps; they broadcast together. ``h`` must be nonzero.

    Returns
    -------
    ndarray
        The difference quotients, shape ``broadcast(x, h)``.

    Notes
    -----
    Truncation error ``h f''(x) / 2`` (first order in ``h``); round-off error about
    ``eps |f(x)| / h``. The total is smallest near ``h ~ sqrt(eps) ~ 1e-8``.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import forward_difference
    >>> h = np.array([1e-1, 1e-4, 1e-8, 1e-13])
    >>> err = np.abs(forward_difference(np.exp, 0.0, h) - 1.0)
    >>> [f"{e:.0e}" for e in err]  # truncation falls, then round-off grows
    ['5e-02', '5e-05', '6e-09', '8e-04']
    """
    f = check_callable(f)
    x, h = _checked_steps(x, h)
    return (_call(f, x + h) - _call(f, x)) / h


def central_difference(f: Callable, x: Any, h: Any) -> np.ndarray:
    """Central difference ``(f(x + h) - f(x - h)) / (2 h)``, elementwise over ``x`` and ``h``.

    Parameters
    ----------
    f : callable
        Scalar function of one variable (vectorised or not).
    x, h : array_like
        Points and steps; they broadcast together. ``h`` must be nonzero.

    Returns
    -------
    ndarray
        The difference quotients, shape ``broadcast(x, h)``.

    Notes
    -----
    Truncation error ``h^2 f'''(x) / 6`` (second order in ``h``): the ``h f''/2``
    terms of the two one-sided differences cancel. Round-off error about
    ``eps |f(x)| / h``; the total is smallest near ``h ~ eps^(1/3) ~ 6e-6``.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import central_difference
    >>> f = lambda x, y=2.0: x**2 + x * y + y**2  # df/dx = 2x + y = 4 at (1, 2)
    >>> float(np.round(central_difference(f, 1.0, 1e-5), 8))
    4.0
    >>> err = np.abs(central_difference(np.exp, 0.0, np.array([1e-1, 1e-5])) - 1.0)
    >>> [f"{e:.0e}" for e in err]
    ['2e-03', '1e-11']
    """
    f = check_callable(f)
    x, h = _checked_steps(x, h)
    return (_call(f, x + h) - _call(f, x - h)) / (2 * h)


def five_point_laplacian(Z: Any, h: Any = 1.0) -> np.ndarray:
    """Return the 5-point stencil Laplacian of a 2-D array sampled on a uniform grid.

    ``(Z[i+1, j] + Z[i-1, j] - 2 Z[i, j]) / h0^2 + (Z[i, j+1] + Z[i, j-1] - 2 Z[i, j]) / h1^2``.

    Parameters
    ----------
    Z : array_like, shape (rows, cols)
        Samples, ``rows, cols >= 3``; axis 0 with spacing ``h0``, axis 1 with ``h1``.
    h : float or (float, float), default: 1.0
        Grid spacing, the same for both axes, or ``(h0, h1)`` for axis 0 and axis 1;
        positive. For ``Z = f(X, Y)`` on ``X, Y = np.meshgrid(x, y)``, axis 0 runs along ``y``
        and axis 1 along ``x``, so pass ``h=(hy, hx)``.

    Returns
    -------
    ndarray, shape (rows, cols)
        The Laplacian at the interior points. Boundary handling: the stencil needs all
        four neighbours, so the first and last row and column are ``nan`` (the output
        stays aligned with ``Z`` and with the meshgrid it was sampled on).

    Notes
    -----
    Second-order accurate: the error is ``(h0^2 Z_xxxx + h1^2 Z_yyyy) / 12 + ...``, so
    it is exact for polynomials of degree 3. With ``h = 1`` it is the discrete
    Laplacian used for edge detection in images.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import five_point_laplacian
    >>> x = np.linspace(-1, 1, 5)
    >>> X, Y = np.meshgrid(x, x)
    >>> five_point_laplacian(X**2 + Y**2, h=0.5)[1:-1, 1:-1]
    array([[4., 4., 4.],
           [4., 4., 4.],
           [4., 4., 4.]])
    """
    Z = finite_array(Z, "Z")
    if Z.ndim != 2 or min(Z.shape) < 3:
        raise ValueError(f"`Z` must be a 2-D array with at least 3 x 3 samples; got {Z.shape}.")
    h0, h1 = np.broadcast_to(finite_array(h, "h"), (2,))
    if h0 <= 0 or h1 <= 0:
        raise ValueError(f"`h` must be positive; got {h}.")
    L = np.full_like(Z, np.nan)
    centre = Z[1:-1, 1:-1]
    L[1:-1, 1:-1] = (Z[2:, 1:-1] + Z[:-2, 1:-1] - 2 * centre) / h0**2 + (
        Z[1:-1, 2:] + Z[1:-1, :-2] - 2 * centre
    ) / h1**2
    return L
