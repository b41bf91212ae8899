"""Scattered samples: a polyharmonic smoothing spline with analytic derivatives.

The fit is ``f(x) = sum_c a_c phi(|x - c|) + q(x)`` with the quintic polyharmonic
kernel ``phi(r) = -r**5``, ``q`` a quadratic polynomial, and kernel weights ``a``
orthogonal to quadratics at the centers ``c``. It minimises
``sum (y_i - f(x_i))**2 + lam * a @ K @ a``, with ``K`` the kernel matrix of the
centers: ``-r**5`` is conditionally positive definite of order 3, so this roughness is
positive and vanishes exactly on quadratics. Like the thin-plate spline (``r**2 log r``),
it is the smoothest interpolant in a native space; unlike it, its kernel is four times
differentiable, so Hessians exist everywhere (also at the samples) and are accurate.
This is the model of ``scipy.interpolate.RBFInterpolator(kernel="quintic")``, fitted
here with a penalty chosen from the data and differentiated analytically.

Computation: the penalty is whitened by an eigendecomposition, the quadratic part is
projected out, and the rest is a ridge regression solved by one SVD. In that basis the
smoother is diagonal, so the REML score (see ``_reml``) over ``lam`` costs nothing.
"""

from __future__ import annotations

from itertools import combinations_with_replacement, product

import numpy as np
import scipy  # its submodules load on first use: `import calcml` stays light

from ._reml import reml_score

__all__ = ["PolyharmonicSpline", "quadratic_powers", "monomials"]

_CHUNK = 2**21  # kernel entries evaluated at once (k * centers)


def quadratic_powers(n: int) -> np.ndarray:
    """Exponents ``(p, n)`` of the monomials of degree at most 2 in `n` variables."""
    return np.array([a for a in product(range(3), repeat=n) if sum(a) <= 2])


def monomials(x: np.ndarray, powers: np.ndarray, nu: np.ndarray | None = None) -> np.ndarray:
    """Differentiate each monomial ``x**powers`` by the multi-index `nu`; values ``(k, p)``."""
    nu = np.zeros(powers.shape[1], dtype=int) if nu is None else np.asarray(nu)
    factor = np.ones(len(powers))
    for j, k in enumerate(nu):
        for i in range(k):
            factor = factor * (powers[:, j] - i)  # falling factorial; 0 once the power is used up
    exponents = np.maximum(powers - nu, 0)
    table = np.stack([x**e for e in range(exponents.max() + 1)])  # (e, k, n)
    result = np.broadcast_to(factor, (len(x), len(powers))).copy()
    for j in range(x.shape[1]):
        result *= table[exponents[:, j], :, j].T
    return result


_POWER, _SIGN = 5, -1  # kernel _SIGN * r**_POWER


def _kernel(r: np.ndarray) -> np.ndarray:
    return _SIGN * r**_POWER


def _kernel_radial(r: np.ndarray, order: int) -> np.ndarray:
    """``g`` with ``grad phi = g(r) (x - c)`` (order 1) or ``h`` with ``hess phi = g I + h D D``."""
    k = _POWER
    if order == 1:
        return _SIGN * k * r ** (k - 2)
    safe = np.where(r > 0, r, 1.0)
    return np.where(r > 0, _SIGN * k * (k - 2) * safe ** (k - 4.0), 0.0)


class PolyharmonicSpline:
    """Smoothing spline of scattered samples (see the module docstring)."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, smoothing: float | None, max_centers: int):
        n_samples, n = X.shape
        self.powers = quadratic_powers(n)
        n_poly = len(self.powers)
        if n_samples <= n_poly:
            raise ValueError(
                f"A spline through scattered samples in {n} dimensions needs more than "
                f"{n_poly} distinct samples (its quadratic part has {n_poly} terms); "
                f"got {n_samples}."
            )
        # Each axis is mapped onto [-1, 1] on its own: one common scale would let an axis
        # with a large range (y in [0, 1e4] beside x in [0, 1]) squeeze the others to nothing.
        self.shift = (X.max(axis=0) + X.min(axis=0)) / 2
        half_range = np.ptp(X, axis=0) / 2
        self.scale = np.where(half_range > 0, half_range, 1.0)
        x = (X - self.shift) / self.scale
        self.centers = x if n_samples <= max_centers else _subset(x, max_centers)
        basis, whiten, poly_q, poly_r = self._bases(x)
        free = basis - poly_q @ (poly_q.T @ basis)  # the part quadratics cannot fit
        sigma2, vectors = np.linalg.eigh(free.T @ free)  # the SVD of `free`, cheaply
        keep = sigma2 > 1e-12 * sigma2.max()
        sigma, vectors = np.sqrt(sigma2[keep]), vectors[:, keep]
        residual = Y - poly_q @ (poly_q.T @ Y)
        z = vectors.T @ (free.T @ residual) / sigma[:, None]
        rss0 = np.maximum(np.sum(residual**2, axis=0) - np.sum(z**2, axis=0), 0.0)
        lams = [
            _penalty(sigma, z[:, j], rss0[j], n_poly, n_samples, smoothing)
            for j in range(Y.shape[1])
        ]
        gamma = np.column_stack(
            [vectors @ (z[:, j] * sigma / (sigma**2 + lam)) for j, lam in enumerate(lams)]
        )
        self.kernel_weights = whiten @ gamma
        self.poly_weights = np.linalg.solve(poly_r, poly_q.T @ (Y - basis @ gamma))
        kept = [n_poly + np.sum(sigma**2 / (sigma**2 + lam)) for lam in lams]
        self.smoothing = 1.0 - np.array(kept) / n_samples

    def _bases(self, x: np.ndarray):
        """Whitened kernel basis ``(N, r)``, its map to kernel weights, and QR of the quadratic."""
        poly_c = monomials(self.centers, self.powers)
        q, r = np.linalg.qr(poly_c, mode="complete")
        if np.abs(np.diag(r)).min() < 1e-10 * np.abs(np.diag(r)).max():
            raise ValueError(
                "The scattered samples do not determine a quadratic (they lie on a "
                "quadric surface, e.g. a line or plane); add samples that spread out."
            )
        null = q[:, len(self.powers) :]
        energy, vectors = np.linalg.eigh(
            null.T @ _kernel(scipy.spatial.distance.cdist(self.centers, self.centers)) @ null
        )
        keep = energy > 1e-12 * energy.max()
        whiten = null @ (vectors[:, keep] / np.sqrt(energy[keep]))
        basis = _kernel(scipy.spatial.distance.cdist(x, self.centers)) @ whiten
        poly_q, poly_r = np.linalg.qr(monomials(x, self.powers))
        return basis, whiten, poly_q, poly_r

    def derivatives(self, points: np.ndarray, order: int) -> np.ndarray:
        """Values ``(k, m)``, Jacobians ``(k, m, n)`` or Hessians ``(k, m, n, n)``."""
        x = (points - self.shift) / self.scale
        step = max(1, _CHUNK // len(self.centers))
        parts = [self._chunk(x[i : i + step], order) for i in range(0, len(x), step)]
        result = np.concatenate(parts)
        if order == 1:  # chain rule through x = (X - shift) / scale, axis by axis
            return result / self.scale
        if order == 2:
            return result / np.multiply.outer(self.scale, self.scale)
        return result

    def _chunk(self, x: np.ndarray, order: int) -> np.ndarray:
        """Evaluate derivatives at scaled points `x`, with kernel sums as matrix products.

        With ``D = x - c``: ``grad phi = g(r) D`` and ``hess phi = g(r) I + h(r) D D^T``,
        so sums over centers need only ``g @ a``, ``g @ (a c)``, ``h @ (a c c)`` and so on.
        """
        a, b, c = self.kernel_weights, self.poly_weights, self.centers
        n, m = x.shape[1], a.shape[1]
        r = scipy.spatial.distance.cdist(x, c)
        unit = np.eye(n, dtype=int)
        if order == 0:
            return _kernel(r) @ a + monomials(x, self.powers) @ b
        ac = (a[:, :, None] * c[:, None, :]).reshape(len(c), m * n)
        g = _kernel_radial(r, 1)
        ga, gac = g @ a, (g @ ac).reshape(-1, m, n)
        if order == 1:
            poly = np.stack([monomials(x, self.powers, unit[i]) @ b for i in range(n)], axis=-1)
            return x[:, None, :] * ga[:, :, None] - gac + poly
        acc = (a[:, :, None, None] * c[:, None, :, None] * c[:, None, None, :]).reshape(len(c), -1)
        h = _kernel_radial(r, 2)
        ha, hac, hacc = h @ a, (h @ ac).reshape(-1, m, n), (h @ acc).reshape(-1, m, n, n)
        xi, xj = x[:, None, :, None], x[:, None, None, :]
        hessian = xi * xj * ha[:, :, None, None] - xi * hac[:, :, None, :] - xj * hac[:, :, :, None]
        hessian += hacc + np.eye(n) * ga[:, :, None, None]
        for i, j in combinations_with_replacement(range(n), 2):
            poly = monomials(x, self.powers, unit[i] + unit[j]) @ b
            hessian[..., i, j] += poly
            if i != j:
                hessian[..., j, i] += poly
        return hessian


def _subset(x: np.ndarray, size: int) -> np.ndarray:
    """Pick a reproducible random subset of `size` rows of `x`."""
    rows = np.random.default_rng(0).choice(len(x), size=size, replace=False)
    return x[np.sort(rows)]


def _penalty(sigma, z, rss0, n_poly, n_samples, smoothing) -> float:
    """Ridge penalty: REML-optimal (``smoothing=None``) or keeping ``1 - smoothing`` of the dof."""
    scale = sigma.max() ** 2

    def kept(t: float) -> float:
        return np.sum(sigma**2 / (sigma**2 + 10.0**t * scale))

    if smoothing is not None:
        target = (1.0 - smoothing) * n_samples - n_poly
        if target >= sigma.size:
            return 0.0
        target = max(target, 1e-6)
        return 10.0 ** scipy.optimize.brentq(lambda t: kept(t) - target, -20.0, 10.0) * scale

    def score(t: float) -> float:
        lam = 10.0**t * scale
        removed = lam / (sigma**2 + lam)
        return reml_score(z**2, removed, rss0, n_samples - n_poly - sigma.size)

    grid = np.arange(-16.0, 4.0, 0.5)
    best = grid[int(np.argmin([score(t) for t in grid]))]
    result = scipy.optimize.minimize_scalar(
        score, bounds=(best - 0.5, best + 0.5), method="bounded"
    )
    return 10.0**result.x * scale
