"""What every interpolator shares: checking samples and query points, and derivative layout.

An interpolator fits samples ``X`` of shape ``(N, n)`` and ``Y`` of shape ``(N, m)`` and
then returns, at query points ``(k, n)``, the fitted values ``(k, m)`` (``order=0``), the
Jacobians ``(k, m, n)`` (``order=1``) or the Hessians ``(k, m, n, n)`` (``order=2``).
Subclasses implement ``_fit`` and ``_derivatives``; the checks live here, once.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["Interpolator", "check_samples"]


def _as_float_array(value, name: str) -> np.ndarray:
    if value is None:
        raise TypeError(f"`{name}` must be an array of numbers; got None.")
    try:
        array = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(
            f"`{name}` is ragged (its rows have different lengths); give one row per sample, "
            "each with the same number of values."
        ) from exc
    if np.iscomplexobj(array):
        raise TypeError(
            f"`{name}` holds complex numbers; calcml fits real values. Fit the real and "
            "imaginary parts as two outputs (np.column_stack([Y.real, Y.imag]))."
        )
    try:
        array = array.astype(float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"`{name}` must be an array of numbers; got {type(value).__name__} "
            f"with dtype {array.dtype}."
        ) from exc
    if not np.all(np.isfinite(array)):
        raise ValueError(f"`{name}` contains NaN or infinite values; remove or fill those samples.")
    return array


def _average_duplicates(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge repeated input rows into one, with the mean of their outputs."""
    unique, inverse, counts = np.unique(X, axis=0, return_inverse=True, return_counts=True)
    if unique.shape[0] == X.shape[0]:
        return X, Y
    inverse = inverse.ravel()
    means = np.zeros((unique.shape[0], Y.shape[1]))
    np.add.at(means, inverse, Y)
    means /= counts[:, None]
    spread = np.abs(Y - means[inverse]).max()
    scale = np.abs(Y).max()
    n_repeated = X.shape[0] - unique.shape[0]
    if spread > 1e-9 * scale:
        warnings.warn(
            f"`X` has {n_repeated} repeated rows whose outputs differ (by up to {spread:.3g}); "
            "their outputs were averaged.",
            RuntimeWarning,
            stacklevel=4,
        )
    return unique, means


def check_samples(X, Y) -> tuple[np.ndarray, np.ndarray]:
    """Return samples as ``(N, n)`` and ``(N, m)`` float arrays, with repeated inputs averaged.

    Parameters
    ----------
    X : array_like, shape (N, n) or (N,)
        Input points, one per row; a 1-D array is ``N`` points of one variable.
    Y : array_like, shape (N,) or (N, m)
        Outputs, one row per input point.

    Returns
    -------
    X, Y : ndarray
        Arrays of shape ``(N', n)`` and ``(N', m)``, ``N' <= N`` after merging repeated rows.

    Raises
    ------
    TypeError
        If `X` or `Y` is not numeric.
    ValueError
        If they hold NaN/inf, have the wrong number of axes or different numbers of rows.

    Examples
    --------
    >>> X, Y = check_samples([0.0, 1.0, 1.0], [0.0, 2.0, 2.0])
    >>> X.ravel().tolist(), Y.ravel().tolist()
    ([0.0, 1.0], [0.0, 2.0])
    """
    X = _as_float_array(X, "X")
    Y = _as_float_array(Y, "Y")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"`X` must have shape (N, n), one point per row; got shape {X.shape}.")
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2:
        raise ValueError(f"`Y` must have shape (N,) or (N, m); got shape {Y.shape}.")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(
            f"`X` and `Y` must have one row per sample; got {X.shape[0]} and {Y.shape[0]} rows."
        )
    if X.shape[0] == 0 or X.shape[1] == 0 or Y.shape[1] == 0:
        raise ValueError(f"`X` and `Y` hold no data (shapes {X.shape} and {Y.shape}).")
    return _average_duplicates(X, Y)


class Interpolator:
    """Base class: a smooth function fitted to samples, with exact derivatives of the fit.

    Subclasses implement ``_fit(X, Y)`` (checked arrays ``(N, n)``, ``(N, m)``) and
    ``_derivatives(points, order)`` (checked points ``(k, n)``).
    """

    def fit(self, X, Y) -> Interpolator:
        """Fit the samples.

        Parameters
        ----------
        X : array_like, shape (N, n) or (N,)
            Input points, one per row.
        Y : array_like, shape (N,) or (N, m)
            Outputs at those points. Repeated input rows are averaged (with a warning
            if their outputs differ).

        Returns
        -------
        self
            The fitted interpolator.

        Examples
        --------
        >>> from calcml.sampled import SplineInterpolator
        >>> x = np.linspace(0.0, 1.0, 11)
        >>> spline = SplineInterpolator().fit(x, x**2)
        >>> spline.n_inputs_, spline.n_outputs_
        (1, 1)
        """
        X, Y = check_samples(X, Y)
        self._fit(X, Y)
        self.n_inputs_ = X.shape[1]
        self.n_outputs_ = Y.shape[1]
        self.lower_ = X.min(axis=0)
        self.upper_ = X.max(axis=0)
        return self

    def derivatives(self, points, order: int = 0) -> np.ndarray:
        """Evaluate the fit (``order=0``) or its first or second derivatives at points.

        Parameters
        ----------
        points : array_like, shape (k, n)
            Query points, one per row (a 1-D array is ``k`` points when ``n = 1``).
        order : {0, 1, 2}, default: 0
            Derivative order.

        Returns
        -------
        ndarray
            ``(k, m)`` values, ``(k, m, n)`` Jacobians or ``(k, m, n, n)`` Hessians.

        Warns
        -----
        RuntimeWarning
            If some points lie outside the box spanned by the samples: there the fit is
            extrapolated and its derivatives are unreliable.

        Examples
        --------
        >>> from calcml.sampled import SplineInterpolator
        >>> x = np.linspace(0.0, 1.0, 11)
        >>> spline = SplineInterpolator().fit(x, x**2)
        >>> spline.derivatives([[0.5]], order=1).round(6).tolist()
        [[[1.0]]]
        """
        if not hasattr(self, "n_inputs_"):
            raise ValueError(
                f"This {type(self).__name__} is not fitted yet; call `fit(X, Y)` first."
            )
        if order not in (0, 1, 2):
            raise ValueError(f"`order` must be 0, 1 or 2; got {order!r}.")
        points = self._check_points(points)
        if len(points) == 0:  # an empty batch gives an empty result of the right shape
            return np.empty((0, self.n_outputs_) + (self.n_inputs_,) * order)
        return self._derivatives(points, order)

    def _check_points(self, points) -> np.ndarray:
        points = _as_float_array(points, "points")
        n = self.n_inputs_
        if points.ndim == 1 and n == 1:
            points = points[:, None]
        if points.ndim != 2 or points.shape[1] != n:
            raise ValueError(
                f"`points` must have shape (k, {n}), one {n}-D point per row; got shape "
                f"{points.shape}. Wrap a single point as [[...]]."
            )
        outside = np.any((points < self.lower_) | (points > self.upper_), axis=1)
        if outside.any():
            warnings.warn(
                f"{outside.sum()} of {len(points)} points lie outside the samples' range "
                f"[{self.lower_}, {self.upper_}]; the fit is extrapolated there and its "
                "derivatives are unreliable.",
                RuntimeWarning,
                stacklevel=4,
            )
        return points

    def _fit(self, X: np.ndarray, Y: np.ndarray) -> None:
        raise NotImplementedError

    def _derivatives(self, points: np.ndarray, order: int) -> np.ndarray:
        raise NotImplementedError
