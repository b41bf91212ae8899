"""The flawed per-axis approach, kept for teaching what a multivariate fit gets right."""

from __future__ import annotations

import numpy as np
import scipy  # its submodules load on first use: `import calcml` stays light

from ._base import check_samples

__all__ = ["per_axis_gradient"]


def per_axis_gradient(X, Y, points) -> np.ndarray:
    """Gradient from one 1-D spline per input axis: wrong for all but additive functions.

    For axis ``j`` the samples are reduced to a curve of ``Y`` against ``X[:, j]`` alone
    (outputs of samples sharing an ``x_j`` are averaged, all other coordinates are
    forgotten), a cubic spline is fitted to that curve, and its slope at ``points[:, j]``
    is taken as the partial derivative. This is what a per-axis library does (PyDelt's
    ``MultivariateDerivatives`` 0.8.0, the seed chapter's). It is exact only when
    ``f(x) = f_1(x_1) + ... + f_n(x_n)``: for ``f = xy`` on a grid symmetric about 0
    the averages vanish, so it returns a zero gradient everywhere, and it can never see
    a mixed partial. Use :class:`MultivariateDerivatives` for real work.

    Parameters
    ----------
    X : array_like, shape (N, n)
        Input points, one per row.
    Y : array_like, shape (N,)
        Scalar outputs.
    points : array_like, shape (k, n)
        Where to evaluate the gradient.

    Returns
    -------
    ndarray, shape (k, n)
        The per-axis "gradient".

    See Also
    --------
    MultivariateDerivatives : a correct, truly multivariate fit.

    Examples
    --------
    >>> x, y = np.meshgrid(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20))
    >>> X = np.column_stack([x.ravel(), y.ravel()])
    >>> wrong = per_axis_gradient(X, X[:, 0] * X[:, 1], [[1.0, 2.0]])  # truth: (2, 1)
    >>> bool(np.allclose(wrong, 0.0))
    True
    """
    if np.ndim(Y) != 1:
        raise ValueError(
            f"`Y` must hold one scalar output per sample, shape (N,); got {np.shape(Y)}."
        )
    X, Y = check_samples(X, Y)
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != X.shape[1]:
        raise ValueError(f"`points` must have shape (k, {X.shape[1]}); got {points.shape}.")
    gradient = np.empty_like(points)
    for j, column in enumerate(X.T):
        values, inverse = np.unique(column, return_inverse=True)
        means = np.bincount(inverse, weights=Y[:, 0]) / np.bincount(inverse)
        curve = scipy.interpolate.make_interp_spline(values, means, k=min(3, values.size - 1))
        gradient[:, j] = curve.derivative()(points[:, j])
    return gradient
