"""Samples on a grid: detection, and tensor-product smoothing splines.

Along each axis the fit is a quintic B-spline with a coefficient per sample (the
interpolating spline of :func:`scipy.interpolate.make_interp_spline`), penalised by the
integral of its squared third derivative. Quadratics have no third derivative, so any
amount of smoothing leaves them exact. Per axis the smoother is diagonal in an
orthonormal basis of the samples (eigenvectors ``U``, penalty eigenvalues ``d``); on the
grid the smoother is the tensor product of the axis smoothers, which makes the REML
score (see ``_reml``) a cheap sum over the grid for any set of per-axis penalties.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement

import numpy as np
import scipy  # its submodules load on first use: `import calcml` stays light
from numpy.polynomial.legendre import leggauss

from ._reml import reml_score

__all__ = ["GridSpline", "grid_order"]

_PENALTY_ORDER = 3  # penalise f''' so that quadratics are never smoothed away
_LOG_RANGE = (-8.0, 14.0)  # search range of log10(penalty * largest eigenvalue)


_GRID_RTOL = 1e-9  # coordinates closer than this (relative to the axis' range) are one value


def _axis_values(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of one coordinate, merging those within round-off; and each row's index.

    Values are merged when consecutive sorted values differ by at most ``_GRID_RTOL`` times the
    column's range, so a grid written out with round-off (``0.1 * 3`` beside ``0.3``, or a
    jitter of 1e-12) is still recognised. A merged value is the mean of its members.
    """
    order = np.argsort(column, kind="stable")
    ordered = column[order]
    span = ordered[-1] - ordered[0]
    starts = np.concatenate([[True], np.diff(ordered) > _GRID_RTOL * span])
    labels_sorted = np.cumsum(starts) - 1
    values = np.bincount(labels_sorted, weights=ordered) / np.bincount(labels_sorted)
    labels = np.empty_like(labels_sorted)
    labels[order] = labels_sorted
    return values, labels


def grid_order(X: np.ndarray) -> tuple[list[np.ndarray], np.ndarray] | None:
    """Return the axis values and the row order that lay distinct rows `X` on a full grid.

    Coordinates equal up to round-off (see ``_GRID_RTOL``) count as one grid value. Returns
    None if the rows do not fill a grid (every combination of the axis values, each once) with
    at least two values per axis.
    """
    per_axis = [_axis_values(column) for column in X.T]
    shape = tuple(values.size for values, _ in per_axis)
    if min(shape) < 2 or np.prod(shape, dtype=float) != X.shape[0]:
        return None
    flat = np.ravel_multi_index([labels for _, labels in per_axis], shape)
    if np.unique(flat).size != X.shape[0]:  # some combination twice, another missing
        return None
    return [values for values, _ in per_axis], np.argsort(flat)


@dataclass(frozen=True)
class _AxisSmoother:
    """The penalised spline along one axis, diagonalised: ``S(lam) = U diag(1/(1+lam d)) U.T``."""

    knots: np.ndarray
    degree: int
    eigenvalues: np.ndarray  # d, ascending; zeros for the unpenalised polynomials
    eigenvectors: np.ndarray  # U, orthonormal, (n, n)
    coefficients: np.ndarray  # B^-1 U: maps shrunk basis weights to B-spline coefficients

    def kept(self, lam: float) -> np.ndarray:
        """Shrink factors ``1 / (1 + lam d)`` of the basis vectors."""
        return 1.0 / (1.0 + lam * self.eigenvalues)


def _roughness(knots: np.ndarray, degree: int, size: int) -> np.ndarray:
    """Matrix ``P`` with ``c @ P @ c`` the integral of the squared third derivative."""
    if degree < _PENALTY_ORDER:
        return np.zeros((size, size))
    breaks = np.unique(knots)
    nodes, weights = leggauss(degree - _PENALTY_ORDER + 1)  # exact for the squared piece
    half = np.diff(breaks)[:, None] / 2
    points = (breaks[:-1, None] + half * (nodes + 1)).ravel()
    weights = (half * weights).ravel()
    basis = scipy.interpolate.BSpline(knots, np.eye(size), degree).derivative(_PENALTY_ORDER)(
        points
    )
    return basis.T @ (weights[:, None] * basis)


def _axis_smoother(x: np.ndarray) -> _AxisSmoother:
    degree = min(5, x.size - 1)
    knots = scipy.interpolate.make_interp_spline(x, np.zeros_like(x), k=degree).t
    collocation = scipy.interpolate.BSpline.design_matrix(x, knots, degree).toarray()
    inverse = np.linalg.inv(collocation)
    penalty = inverse.T @ _roughness(knots, degree, x.size) @ inverse
    eigenvalues, eigenvectors = np.linalg.eigh((penalty + penalty.T) / 2)
    eigenvalues[eigenvalues < 1e-10 * max(eigenvalues.max(), 1e-300)] = 0.0
    return _AxisSmoother(knots, degree, eigenvalues, eigenvectors, inverse @ eigenvectors)


def _mode_product(tensor: np.ndarray, matrix: np.ndarray, axis: int) -> np.ndarray:
    """Multiply `tensor` along `axis` by `matrix` (``matrix @ tensor`` on that axis)."""
    return np.moveaxis(np.tensordot(matrix, tensor, axes=(1, axis)), 0, axis)


def _outer(vectors: list[np.ndarray]) -> np.ndarray:
    result = np.ones(())
    for vector in vectors:
        result = np.multiply.outer(result, vector)
    return result


class _Shrinkage:
    """REML score of one output's grid values, as functions of the penalties."""

    def __init__(self, smoothers: list[_AxisSmoother], weights: np.ndarray):
        self.smoothers = smoothers
        self.energy = weights**2  # squared weights of the data in the orthonormal basis
        self.size = weights.size

    def penalties(self, logs: np.ndarray) -> list[float]:
        return [
            10.0**t / max(s.eigenvalues.max(), 1e-300)
            for t, s in zip(logs, self.smoothers, strict=True)
        ]

    def score(self, logs: np.ndarray) -> float:
        logs = np.clip(logs, *_LOG_RANGE)
        kept = [s.kept(lam) for s, lam in zip(self.smoothers, self.penalties(logs), strict=True)]
        removed = 1.0 - _outer(kept)
        penalised = removed > 1e-12
        return reml_score(self.energy[penalised], removed[penalised])

    def best_logs(self) -> np.ndarray:
        """Per-axis log-penalties minimising the REML score: a common coarse search, refined."""
        grid = np.arange(*_LOG_RANGE, 0.5)
        n = len(self.smoothers)
        scores = [self.score(np.full(n, t)) for t in grid]
        start = np.full(n, grid[int(np.argmin(scores))])
        if n == 1:
            return start
        result = scipy.optimize.minimize(
            self.score, start, method="Nelder-Mead", options={"xatol": 0.05}
        )
        return np.clip(result.x, *_LOG_RANGE)


def _penalty_for_fraction(smoother: _AxisSmoother, fraction: float) -> float:
    """Penalty at which the axis smoother keeps `fraction` of its degrees of freedom."""
    n_free = np.count_nonzero(smoother.eigenvalues == 0)
    target = max(fraction * smoother.eigenvalues.size, n_free + 1e-6)
    if fraction >= 1.0 or target >= smoother.eigenvalues.size:
        return 0.0
    scale = smoother.eigenvalues.max()

    def excess(t: float) -> float:
        return smoother.kept(10.0**t / scale).sum() - target

    return 10.0 ** scipy.optimize.brentq(excess, -12.0, 20.0) / scale


class GridSpline:
    """Tensor-product smoothing spline of gridded samples (see the module docstring)."""

    def __init__(self, axes: list[np.ndarray], values: np.ndarray, smoothing: float | None):
        """Fit `values` of shape ``(n_1, ..., n_d, m)`` given on the grid `axes`."""
        smoothers = [_axis_smoother(axis) for axis in axes]
        weights = values
        for axis, smoother in enumerate(smoothers):
            weights = _mode_product(weights, smoother.eigenvectors.T, axis)
        coefficients = np.empty_like(values)
        self.smoothing = np.empty(values.shape[-1])
        for j in range(values.shape[-1]):
            penalties = self._penalties(smoothers, weights[..., j], smoothing)
            kept = [s.kept(lam) for s, lam in zip(smoothers, penalties, strict=True)]
            shrunk = weights[..., j] * _outer(kept)
            for axis, smoother in enumerate(smoothers):
                shrunk = _mode_product(shrunk, smoother.coefficients, axis)
            coefficients[..., j] = shrunk
            self.smoothing[j] = 1.0 - np.prod([k.sum() for k in kept]) / weights[..., j].size
        knots = tuple(s.knots for s in smoothers)
        self.spline = scipy.interpolate.NdBSpline(
            knots, coefficients, tuple(s.degree for s in smoothers)
        )

    @staticmethod
    def _penalties(smoothers, weights, smoothing) -> list[float]:
        if smoothing is None:
            shrinkage = _Shrinkage(smoothers, weights)
            return shrinkage.penalties(shrinkage.best_logs())
        fraction = (1.0 - smoothing) ** (1.0 / len(smoothers))
        return [_penalty_for_fraction(s, fraction) for s in smoothers]

    def derivatives(self, points: np.ndarray, order: int) -> np.ndarray:
        """Values ``(k, m)``, Jacobians ``(k, m, n)`` or Hessians ``(k, m, n, n)``."""
        n = points.shape[1]
        if order == 0:
            return self.spline(points)
        if order == 1:
            return np.stack([self.spline(points, nu=np.eye(n, dtype=int)[i]) for i in range(n)], -1)
        hessian = np.empty((points.shape[0], self.spline.c.shape[-1], n, n))
        for i, j in combinations_with_replacement(range(n), 2):
            nu = np.zeros(n, dtype=int)
            nu[i] += 1
            nu[j] += 1
            hessian[..., i, j] = hessian[..., j, i] = self.spline(points, nu=nu)
        return hessian
