"""LocalPolynomialInterpolator: a weighted quadratic fit over each query's nearest samples."""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np
import scipy  # its submodules load on first use: `import calcml` stays light

from ._base import Interpolator
from ._scattered import monomials, quadratic_powers

__all__ = ["LocalPolynomialInterpolator"]

_CHUNK = 2048  # queries fitted at once
_CV_POINTS = 400  # samples used to choose the neighbourhood size


class LocalPolynomialInterpolator(Interpolator):
    """Local quadratic regression: derivatives from a quadratic fitted around each point.

    At each query point the nearest `neighbors` samples are weighted by the tricube
    kernel of their distance and fitted by least squares with a quadratic centred at the
    query; the quadratic's value, gradient and Hessian there are the answer.

    Parameters
    ----------
    neighbors : int, optional
        Samples per local fit: the smoothing knob. At least ``2 p`` where
        ``p = (n + 1)(n + 2) / 2`` is the number of quadratic terms (12 in 2-D, 30 in
        4-D); more neighbours average more noise but bend less with the function. The
        default (None) chooses among ``2p, 3p, 5p, 8p`` by leave-one-out
        cross-validation on up to 400 samples; the choice is stored in ``neighbors_``.

    Attributes
    ----------
    neighbors_ : int
        The number of neighbours used.

    See Also
    --------
    SplineInterpolator : one global smoothing spline; more accurate, costlier to fit.

    Notes
    -----
    When to use which: this interpolator has almost no fit cost (a k-d tree) and a cost
    per query independent of the number of samples, so it suits tens of thousands of
    scattered samples, or functions whose behaviour changes across the domain. It is
    less accurate than :class:`SplineInterpolator` for the same samples (a local
    quadratic cannot follow third-order terms), and its derivatives are only piecewise
    smooth (the neighbourhood changes between queries). Any quadratic is recovered
    exactly. Outside the samples' box the local quadratic is extrapolated (a warning
    says so).

    Examples
    --------
    >>> X = np.random.default_rng(0).uniform(-1, 1, size=(300, 2))
    >>> local = LocalPolynomialInterpolator().fit(X, X[:, 0] ** 2 + X[:, 0] * X[:, 1])
    >>> local.derivatives([[0.5, 0.5]], order=1).round(6)  # (2x + y, x)
    array([[[1.5, 0.5]]])
    """

    def __init__(self, neighbors: int | None = None):
        if neighbors is not None and (
            not isinstance(neighbors, numbers.Integral) or isinstance(neighbors, bool)
        ):
            raise TypeError(f"`neighbors` must be an integer or None; got {neighbors!r}.")
        self.neighbors = neighbors

    def _fit(self, X: np.ndarray, Y: np.ndarray) -> None:
        n_samples, n = X.shape
        self._powers = quadratic_powers(n)
        smallest = 2 * len(self._powers)
        if n_samples < smallest:
            raise ValueError(
                f"Local quadratic fits in {n} dimensions need at least {smallest} distinct "
                f"samples; got {n_samples}."
            )
        if self.neighbors is not None and not smallest <= self.neighbors <= n_samples:
            raise ValueError(
                f"`neighbors` must lie between {smallest} and the number of samples "
                f"({n_samples}); got {self.neighbors}."
            )
        singular = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        if singular.min() <= 1e-10 * singular.max():
            raise ValueError(
                f"The samples lie on a lower-dimensional set (a line or plane in {n} "
                "dimensions): derivatives across it are not determined. Add samples that "
                "spread out in every direction."
            )
        self._tree = scipy.spatial.KDTree(X)
        self._values = Y
        self.neighbors_ = self.neighbors or self._cross_validate(smallest)

    def _cross_validate(self, smallest: int) -> int:
        """Neighbourhood size with the smallest leave-one-out error on a sample subset."""
        data = self._tree.data
        candidates = sorted({min(f * smallest // 2, len(data) - 1) for f in (4, 6, 10, 16)})
        rows = np.random.default_rng(0).permutation(len(data))[:_CV_POINTS]
        errors = []
        for k in candidates:
            _, index = self._tree.query(data[rows], k=k + 1)
            fit = self._local_fits(data[rows], index[:, 1:])  # each sample left out
            errors.append(np.mean((fit[:, 0] - self._values[rows]) ** 2))
        return candidates[int(np.argmin(errors))]

    def _local_fits(self, points: np.ndarray, index: np.ndarray, warn: bool = False) -> np.ndarray:
        """Weighted least-squares quadratics ``(q, p, m)`` in coordinates scaled by the radius."""
        offsets = self._tree.data[index] - points[:, None, :]
        distance = np.linalg.norm(offsets, axis=2)
        radius = 1.1 * distance.max(axis=1) + 1e-300
        weights = np.sqrt((1 - (distance / radius[:, None]) ** 3) ** 3)
        scaled = offsets / radius[:, None, None]
        design = monomials(scaled.reshape(-1, scaled.shape[2]), self._powers)
        design = design.reshape(*index.shape, -1) * weights[..., None]
        targets = self._values[index] * weights[..., None]
        normal = np.swapaxes(design, 1, 2) @ design
        normal += (
            1e-12 * np.trace(normal, axis1=1, axis2=2)[:, None, None] * np.eye(design.shape[2])
        )
        coefficients = np.linalg.solve(normal, np.swapaxes(design, 1, 2) @ targets)
        if warn:
            eigenvalues = np.linalg.eigvalsh(normal)
            degenerate = eigenvalues[:, 0] <= 1e-9 * eigenvalues[:, -1]
            if degenerate.any():
                warnings.warn(
                    f"At {degenerate.sum()} of {len(points)} points the nearest samples lie "
                    "(nearly) on a line or a quadric, so the local quadratic is not determined "
                    "there and its derivatives are unreliable. Use more `neighbors` or samples "
                    "that spread out around those points.",
                    RuntimeWarning,
                    stacklevel=5,
                )
        return coefficients / radius[:, None, None] ** self._powers.sum(axis=1)[:, None]

    def _derivatives(self, points: np.ndarray, order: int) -> np.ndarray:
        parts = [self._chunk(points[i : i + _CHUNK], order) for i in range(0, len(points), _CHUNK)]
        return np.concatenate(parts)

    def _chunk(self, points: np.ndarray, order: int) -> np.ndarray:
        _, index = self._tree.query(points, k=self.neighbors_)
        coefficients = self._local_fits(points, index, warn=True)
        n = points.shape[1]
        term = {tuple(p): i for i, p in enumerate(self._powers)}
        unit = np.eye(n, dtype=int)
        if order == 0:
            return coefficients[:, term[(0,) * n]]
        if order == 1:
            return np.stack([coefficients[:, term[tuple(unit[i])]] for i in range(n)], axis=-1)
        hessian = np.empty((len(points), coefficients.shape[2], n, n))
        for i in range(n):
            for j in range(n):
                nu = unit[i] + unit[j]
                factor = math.prod(math.factorial(k) for k in nu)
                hessian[..., i, j] = factor * coefficients[:, term[tuple(nu)]]
        return hessian
