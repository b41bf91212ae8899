"""SplineInterpolator: smoothing splines for gridded and for scattered samples."""

from __future__ import annotations

import numbers

import numpy as np

from ._base import Interpolator
from ._grid import GridSpline, grid_order
from ._patches import PatchedSpline
from ._scattered import PolyharmonicSpline

__all__ = ["SplineInterpolator"]

_CLEAN_SMOOTHING = 0.02  # a pilot fit giving up less than this fraction of freedom: clean data
_PILOT_SIZE = 400  # samples of the pilot fit


class SplineInterpolator(Interpolator):
    """Smoothing spline through samples, on a grid or scattered, with exact derivatives.

    Samples that fill a grid (every combination of the values taken along each axis,
    rows in any order) get a tensor-product quintic spline; other samples get a
    polyharmonic smoothing spline (kernel ``-r**5`` plus a quadratic, a smoother cousin
    of the thin-plate spline). Both penalise only what a quadratic cannot describe, so a
    quadratic is recovered exactly whatever the smoothing.

    Parameters
    ----------
    smoothing : float in [0, 1), optional
        How much the fit smooths the samples, as the fraction of their degrees of
        freedom it gives up: ``0`` interpolates (the fit passes through every sample),
        ``0.1`` keeps 90 % of the freedom (light smoothing, for clean or nearly clean
        data), ``0.9`` keeps 10 % (heavy smoothing). The default (None) chooses the
        value for each output from the data, by restricted maximum likelihood (REML),
        so no noise level is needed; the choice is stored in ``smoothing_``. (REML
        rather than generalized cross-validation: GCV smooths exact data too much.)
    max_centers : int, default: 1000
        Scattered data only: one spline has a kernel per sample up to this many samples,
        and up to ``max_centers * 2**(n - 1)`` samples in ``n`` dimensions it carries
        `max_centers` kernels on a seeded subset, fitted by least squares to all samples.
        Beyond, a pilot fit to a seeded subset of 400 samples tells clean from
        noisy data (clean: REML gives up less than 2 % of the freedom, or
        ``smoothing=0``). Clean samples: the box is cut into cells of at most
        ``max_centers // 4`` samples, each with its own spline fitted to the samples of
        the cell grown by a margin, and a point is answered by its cell's spline, so the
        fit keeps improving as samples are added. Noisy samples: one spline whose
        `max_centers` kernels sit on a seeded subset, fitted by least squares to all
        samples (there the noise, not the number of kernels, limits the accuracy, and
        averaging over all samples is what helps). Both cost ``O(N * max_centers**2)``.

    Attributes
    ----------
    grid_ : bool
        Whether the samples were detected as a grid.
    smoothing_ : ndarray, shape (m,)
        The smoothing used for each output, on the scale of `smoothing`.

    See Also
    --------
    LocalPolynomialInterpolator : quadratic fits over nearest neighbours; fit cost is
        negligible, so prefer it for many (tens of thousands of) scattered samples, or
        when the function changes character across the domain.

    Notes
    -----
    When to use which: on a grid, SplineInterpolator is the most accurate choice (clean
    grids of smooth functions give derivatives to about 1e-5). For scattered samples it
    is the more accurate one, and it keeps improving with more samples, clean or noisy (up to
    100,000 in ``benchmarks/bench_sampled.py``); its fit costs ``O(N * max_centers**2)``.
    Beyond `max_centers` samples the patched fit may jump across cell boundaries by about
    its own error. Outside the box spanned by the samples the spline is
    extrapolated (a warning says so): derivatives there are unreliable.

    Examples
    --------
    >>> x, y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
    >>> X = np.column_stack([x.ravel(), y.ravel()])
    >>> spline = SplineInterpolator().fit(X, X[:, 0] * X[:, 1])
    >>> spline.grid_
    True
    >>> spline.derivatives([[1.0, 2.0]], order=1).round(6)  # gradient of xy: (y, x)
    array([[[2., 1.]]])
    """

    def __init__(self, smoothing: float | None = None, *, max_centers: int = 1000):
        if smoothing is not None:
            if not isinstance(smoothing, numbers.Real):
                raise TypeError(f"`smoothing` must be a number or None; got {smoothing!r}.")
            if not 0.0 <= smoothing < 1.0:
                raise ValueError(
                    f"`smoothing` must lie in [0, 1) (the fraction of the samples' degrees "
                    f"of freedom given up); got {smoothing!r}."
                )
        if not isinstance(max_centers, numbers.Integral) or max_centers < 1:
            raise ValueError(f"`max_centers` must be a positive integer; got {max_centers!r}.")
        self.smoothing = smoothing
        self.max_centers = int(max_centers)

    def _fit(self, X: np.ndarray, Y: np.ndarray) -> None:
        grid = grid_order(X)
        self.grid_ = grid is not None
        if grid is not None:
            axes, order = grid
            values = Y[order].reshape(*(axis.size for axis in axes), Y.shape[1])
            self._spline = GridSpline(axes, values, self.smoothing)
        elif len(X) <= self._single_spline_limit(X.shape[1]) or self._noisy(X, Y):
            self._spline = PolyharmonicSpline(X, Y, self.smoothing, self.max_centers)
        else:
            self._spline = PatchedSpline(X, Y, self.smoothing, max(self.max_centers // 4, 1))
        self.smoothing_ = self._spline.smoothing

    def _single_spline_limit(self, n: int) -> int:
        """Most samples one spline takes in `n` dimensions (measured: patches pay off beyond)."""
        return self.max_centers * 2 ** (n - 1)

    def _noisy(self, X: np.ndarray, Y: np.ndarray) -> bool:
        """Whether samples smooth away more than 2 % of their freedom (pilot fit on a subset)."""
        if self.smoothing is not None:
            return self.smoothing > 0
        size = min(self.max_centers, _PILOT_SIZE)
        rows = np.random.default_rng(0).choice(len(X), size=size, replace=False)
        pilot = PolyharmonicSpline(X[rows], Y[rows], None, size)
        return bool(pilot.smoothing.max() > _CLEAN_SMOOTHING)

    def _derivatives(self, points: np.ndarray, order: int) -> np.ndarray:
        return self._spline.derivatives(points, order)
