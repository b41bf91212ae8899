"""MultivariateDerivatives: gradients, Jacobians, Hessians of a function known by samples."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._base import Interpolator
from ._spline import SplineInterpolator

__all__ = ["MultivariateDerivatives"]

DerivativeFunction = Callable[[np.ndarray], np.ndarray]


class MultivariateDerivatives:
    """Derivatives of a function of several variables known only by samples.

    One multivariate fit of all the samples (not one curve per axis), whose exact
    derivatives are then evaluated where you ask.

    Parameters
    ----------
    interpolator : type, default: SplineInterpolator
        The fitting method: :class:`SplineInterpolator` (grids, and scattered samples up
        to a few thousand) or :class:`LocalPolynomialInterpolator` (many scattered
        samples); see their Notes for when to use which.
    **options
        Passed to `interpolator`, e.g. ``smoothing=0.1`` for SplineInterpolator or
        ``neighbors=40`` for LocalPolynomialInterpolator.

    Attributes
    ----------
    interpolator_ : Interpolator
        The fitted interpolator (after `fit`).

    See Also
    --------
    calcml.sampled.per_axis_gradient : the flawed per-axis approach, for teaching.

    Notes
    -----
    Points are rows. The functions returned by `gradient`, `jacobian`, `hessian`,
    `laplacian` and `directional` take points of shape ``(k, n)`` (a 1-D array is ``k``
    points when ``n = 1``) and keep the batch axis ``k`` first, also for ``k = 1``.
    For data with ``m > 1`` outputs the Hessian, Laplacian and directional derivative
    get an output axis after the batch axis: ``(k, m, n, n)``, ``(k, m)``, ``(k, m)``.
    Points outside the box spanned by the samples give a RuntimeWarning: there the fit
    is extrapolated.

    Examples
    --------
    >>> x, y = np.meshgrid(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20))
    >>> X = np.column_stack([x.ravel(), y.ravel()])
    >>> mv = MultivariateDerivatives(SplineInterpolator).fit(X, X[:, 0] ** 2 + X[:, 1] ** 2)
    >>> mv.gradient()(np.array([[1.0, 1.0], [-1.0, 2.0]])).round(6)
    array([[ 2.,  2.],
           [-2.,  4.]])
    """

    def __init__(self, interpolator: type[Interpolator] = SplineInterpolator, **options):
        if not (isinstance(interpolator, type) and issubclass(interpolator, Interpolator)):
            raise TypeError(
                "`interpolator` must be an interpolator class such as SplineInterpolator "
                f"or LocalPolynomialInterpolator; got {interpolator!r}."
            )
        self.interpolator = interpolator
        self.options = options
        self._model = interpolator(**options)

    def fit(self, X, Y) -> MultivariateDerivatives:
        """Fit samples ``Y = f(X)``.

        Parameters
        ----------
        X : array_like, shape (N, n) or (N,)
            Input points, one per row (1-D for one variable).
        Y : array_like, shape (N,) or (N, m)
            Function values: one per point, or `m` components per point.

        Returns
        -------
        self
            The fitted model.

        Raises
        ------
        ValueError
            If the data contain NaN/inf, `X` and `Y` differ in length, or there are too
            few samples for the interpolator.

        Examples
        --------
        >>> mv = MultivariateDerivatives().fit(np.linspace(0, 1, 8), np.linspace(0, 1, 8) ** 3)
        >>> mv.gradient()(np.array([[0.5]])).round(6)
        array([[0.75]])
        """
        self._scalar = np.ndim(Y) == 1
        self.interpolator_ = self._model.fit(X, Y)
        return self

    def _fitted(self) -> Interpolator:
        if not hasattr(self, "interpolator_"):
            raise ValueError("This MultivariateDerivatives is not fitted yet; call `fit(X, Y)`.")
        return self.interpolator_

    def _outputs(self, array: np.ndarray) -> np.ndarray:
        """Drop the output axis (axis 1) of scalar data."""
        return array[:, 0] if self._scalar else array

    def predict(self, points) -> np.ndarray:
        """Fitted values at points.

        Parameters
        ----------
        points : array_like, shape (k, n)
            Query points, one per row.

        Returns
        -------
        ndarray, shape (k,) or (k, m)
            The fitted function there.

        Examples
        --------
        >>> mv = MultivariateDerivatives().fit(np.linspace(0, 1, 8), np.linspace(0, 1, 8) ** 2)
        >>> mv.predict(np.array([[0.5]])).round(6)
        array([0.25])
        """
        return self._outputs(self._fitted().derivatives(points, order=0))

    def gradient(self) -> DerivativeFunction:
        """Return the gradient as a function of points.

        Returns
        -------
        callable
            Maps points ``(k, n)`` to gradients ``(k, n)``.

        Raises
        ------
        ValueError
            If the model has more than one output (use `jacobian`).

        Examples
        --------
        >>> x, y = np.meshgrid(np.linspace(0, 3, 7), np.linspace(0, 3, 7))
        >>> X = np.column_stack([x.ravel(), y.ravel()])
        >>> grad = MultivariateDerivatives().fit(X, X[:, 0] * X[:, 1]).gradient()
        >>> grad(np.array([[1.0, 2.0]])).round(6)
        array([[2., 1.]])
        """
        model = self._fitted()
        if not self._scalar:
            raise ValueError(
                f"gradient() needs a scalar function; this one has {model.n_outputs_} outputs. "
                "Use jacobian(), or fit one output column."
            )
        return lambda points: model.derivatives(points, order=1)[:, 0]

    def jacobian(self) -> DerivativeFunction:
        """Return the Jacobian as a function of points.

        Returns
        -------
        callable
            Maps points ``(k, n)`` to Jacobians ``(k, m, n)``: row ``i`` holds the
            gradient of output ``i`` (``m = 1`` for scalar data).

        Examples
        --------
        >>> x, y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
        >>> X = np.column_stack([x.ravel(), y.ravel()])
        >>> Y = np.column_stack([X[:, 0] ** 2 + X[:, 1], X[:, 0] * X[:, 1]])
        >>> MultivariateDerivatives().fit(X, Y).jacobian()(np.array([[1.0, 2.0]])).round(6)
        array([[[2., 1.],
                [2., 1.]]])
        """
        model = self._fitted()
        return lambda points: model.derivatives(points, order=1)

    def hessian(self) -> DerivativeFunction:
        """Return the Hessian as a function of points.

        Returns
        -------
        callable
            Maps points ``(k, n)`` to symmetric Hessians ``(k, n, n)``, mixed partials
            included (``(k, m, n, n)`` for ``m > 1`` outputs).

        Examples
        --------
        >>> x, y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
        >>> X = np.column_stack([x.ravel(), y.ravel()])
        >>> f = X[:, 0] ** 2 + 3 * X[:, 0] * X[:, 1] + X[:, 1] ** 2
        >>> hess = MultivariateDerivatives().fit(X, f).hessian()
        >>> hess(np.array([[0.5, 0.5]])).round(6)
        array([[[2., 3.],
                [3., 2.]]])
        """
        model = self._fitted()
        return lambda points: self._outputs(model.derivatives(points, order=2))

    def laplacian(self) -> DerivativeFunction:
        """Return the Laplacian (trace of the Hessian) as a function of points.

        Returns
        -------
        callable
            Maps points ``(k, n)`` to Laplacians ``(k,)`` (``(k, m)`` for ``m > 1``).

        Examples
        --------
        >>> x, y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
        >>> X = np.column_stack([x.ravel(), y.ravel()])
        >>> lap = MultivariateDerivatives().fit(X, X[:, 0] ** 2 + X[:, 1] ** 2).laplacian()
        >>> lap(np.array([[0.0, 0.0], [1.0, 1.0]])).round(6)
        array([4., 4.])
        """
        model = self._fitted()
        return lambda points: self._outputs(
            np.trace(model.derivatives(points, order=2), axis1=-2, axis2=-1)
        )

    def directional(self, v) -> DerivativeFunction:
        """Return the derivative along the direction `v` as a function of points.

        Parameters
        ----------
        v : array_like, shape (n,)
            Direction; it is normalised to unit length.

        Returns
        -------
        callable
            Maps points ``(k, n)`` to ``grad f . v / |v|``: ``(k,)`` (``(k, m)`` for ``m > 1``).

        Examples
        --------
        >>> x, y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
        >>> X = np.column_stack([x.ravel(), y.ravel()])
        >>> mv = MultivariateDerivatives().fit(X, X[:, 0] ** 2 + X[:, 1] ** 2)
        >>> mv.directional([1.0, 1.0])(np.array([[1.0, 1.0]])).round(6)  # |grad| = 2 sqrt(2)
        array([2.828427])
        """
        model = self._fitted()
        direction = np.asarray(v, dtype=float)
        if direction.shape != (model.n_inputs_,):
            raise ValueError(
                f"`v` must be one direction of shape ({model.n_inputs_},); got shape "
                f"{direction.shape}."
            )
        length = np.linalg.norm(direction)
        if not np.isfinite(length) or length == 0:
            raise ValueError("`v` must be a finite, non-zero vector.")
        unit = direction / length
        return lambda points: self._outputs(model.derivatives(points, order=1) @ unit)
