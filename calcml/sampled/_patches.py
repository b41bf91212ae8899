"""Many scattered samples: overlapping patches, each with its own polyharmonic spline.

One spline through all samples costs ``O(N**3)``; with a fixed subset of centres it stops
improving once the samples outnumber the centres. Instead, the samples' box is cut into
cells (a k-d split at medians, along the widest axis, until a cell holds at most
``patch_size`` samples), and each cell gets a :class:`PolyharmonicSpline` fitted to the samples
of the cell *grown by a margin* on every side (to about 2.5 times its volume), with its own
smoothing chosen by REML. A query
point is answered by the spline of the cell that contains it, so it always lies well inside
the samples that spline saw (no edge effects). The cost is ``O(N * patch_size**2)``, and the
accuracy keeps improving with N because the cells shrink as the samples get denser.

The price: the fitted function is not one smooth function. Across a cell boundary the value
can jump by about the fit's own error (derivatives likewise); each derivative is still that of
a smooth spline fitted around the point.
"""

from __future__ import annotations

import numpy as np

from ._scattered import PolyharmonicSpline

__all__ = ["PatchedSpline"]

_GROWTH = 2.5  # a patch is its cell grown on every side to about this many times its volume


class PatchedSpline:
    """Polyharmonic smoothing splines on overlapping patches (see the module docstring)."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, smoothing: float | None, patch_size: int):
        self.lower, self.upper = X.min(axis=0), X.max(axis=0)
        self.cells: list[tuple[np.ndarray, np.ndarray]] = []
        self._split(X, np.arange(len(X)), self.lower.copy(), self.upper.copy(), patch_size)
        self.splines = []
        margin = (_GROWTH ** (1 / X.shape[1]) - 1) / 2  # 0.29 of the width in 2-D, 0.13 in 4-D
        for low, high in self.cells:
            reach = margin * (high - low)
            near = np.all((X >= low - reach) & (X <= high + reach), axis=1)
            self.splines.append(PolyharmonicSpline(X[near], Y[near], smoothing, 4 * patch_size))
        self.smoothing = np.median([s.smoothing for s in self.splines], axis=0)

    def _split(self, X, rows, low, high, patch_size) -> None:
        """Cut the box [low, high] at the median of its widest axis until cells are small."""
        if len(rows) <= patch_size:
            self.cells.append((low, high))
            return
        axis = int(np.argmax((high - low) / (self.upper - self.lower)))
        cut = float(np.median(X[rows, axis]))
        left = X[rows, axis] <= cut
        if left.all() or not left.any():  # all on one value: cannot cut there
            self.cells.append((low, high))
            return
        left_high, right_low = high.copy(), low.copy()
        left_high[axis] = right_low[axis] = cut
        self._split(X, rows[left], low, left_high, patch_size)
        self._split(X, rows[~left], right_low, high, patch_size)

    def derivatives(self, points: np.ndarray, order: int) -> np.ndarray:
        """Values ``(k, m)``, Jacobians ``(k, m, n)`` or Hessians ``(k, m, n, n)``."""
        inside = np.clip(points, self.lower, self.upper)  # extrapolate from the nearest cell
        cell = np.full(len(points), -1)
        for index, (low, high) in enumerate(self.cells):
            unassigned = cell < 0
            hit = unassigned & np.all((inside >= low) & (inside <= high), axis=1)
            cell[hit] = index
        parts = {c: self.splines[c].derivatives(points[cell == c], order) for c in np.unique(cell)}
        first = next(iter(parts.values()))
        result = np.empty((len(points),) + first.shape[1:])
        for c, values in parts.items():
            result[cell == c] = values
        return result
