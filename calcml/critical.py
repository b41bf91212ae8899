"""Critical points: find them, classify them by the Hessian, and count definite Hessians.

:func:`classify_critical_point` and :func:`find_critical_points` accept a Python function of one
vector argument or a fitted data model, plus optional explicit ``grad=`` / ``hess=`` callables
(as in :mod:`calcml.optimize`). :func:`definite_fraction` is the simulation behind the saddle
chapter's claim that, in many dimensions, almost every critical point is a saddle.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy  # its submodules load on first use: `import calcml` stays light

from ._objective import (
    Objective,
    as_objective,
    as_point,
    check_nonnegative,
    check_positive,
    check_positive_int,
)

__all__ = [
    "INCONCLUSIVE",
    "MAXIMUM",
    "MINIMUM",
    "SADDLE",
    "CriticalPoint",
    "DefiniteFraction",
    "classify_critical_point",
    "definite_fraction",
    "find_critical_points",
]

MINIMUM = "minimum"
"""Every Hessian eigenvalue is positive."""
MAXIMUM = "maximum"
"""Every Hessian eigenvalue is negative."""
SADDLE = "saddle"
"""The Hessian has a positive and a negative eigenvalue."""
INCONCLUSIVE = "inconclusive"
"""Degenerate: some eigenvalue is zero (within tolerance) and the rest share one sign."""


@dataclass(frozen=True)
class CriticalPoint:
    """A critical point and what the second-derivative test says about it.

    Attributes
    ----------
    x : ndarray, shape (n,)
        The point.
    kind : str
        ``MINIMUM``, ``MAXIMUM``, ``SADDLE`` or ``INCONCLUSIVE`` (the strings ``"minimum"``,
        ``"maximum"``, ``"saddle"``, ``"inconclusive"``).
    eigenvalues : ndarray, shape (n,)
        The Hessian's eigenvalues, ascending.
    eigenvectors : ndarray, shape (n, n)
        The matching unit eigenvectors, as columns: ``eigenvectors[:, i]``.
    hessian : ndarray, shape (n, n)
        The (symmetrised) Hessian at `x`.
    value : float
        ``f(x)``.
    grad_norm : float
        The gradient norm at `x` (near zero at a true critical point).
    """

    x: np.ndarray
    kind: str
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    hessian: np.ndarray
    value: float
    grad_norm: float


def _kind(eigenvalues: np.ndarray, tol: float) -> str:
    """Classify by the signs of the eigenvalues; ``|lambda| <= tol * max(1, max|lambda|)`` is 0."""
    zero = tol * max(1.0, float(np.max(np.abs(eigenvalues))))
    positive = eigenvalues > zero
    negative = eigenvalues < -zero
    if positive.any() and negative.any():
        return SADDLE
    if positive.all():
        return MINIMUM
    if negative.all():
        return MAXIMUM
    return INCONCLUSIVE


def _classify(objective: Objective, x: np.ndarray, tol: float) -> CriticalPoint:
    hessian = objective.hess(x)
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    return CriticalPoint(
        x=x,
        kind=_kind(eigenvalues, tol),
        eigenvalues=eigenvalues,
        eigenvectors=eigenvectors,
        hessian=hessian,
        value=objective.value(x),
        grad_norm=float(np.linalg.norm(objective.grad(x))),
    )


def classify_critical_point(
    f,
    x,
    *,
    tol: float = 1e-6,
    grad: Callable | None = None,
    hess: Callable | None = None,
) -> CriticalPoint:
    """Classify the critical point `x` of `f` by the eigenvalues of its Hessian.

    Parameters
    ----------
    f : callable or fitted model
        ``f(p)`` of one point ``p`` of shape ``(n,)`` returning a scalar, or a fitted
        :class:`calcml.MultivariateDerivatives`.
    x : array_like, shape (n,)
        The critical point (where the gradient vanishes); must be finite.
    tol : float, default: 1e-6
        An eigenvalue with ``|lambda| <= tol * max(1, max |lambda|)`` counts as zero.
    grad, hess : callable, optional
        ``grad(p) -> (n,)`` and ``hess(p) -> (n, n)``; override the derivatives of `f`.

    Returns
    -------
    CriticalPoint
        ``x, kind, eigenvalues, eigenvectors, hessian, value, grad_norm``; `kind` is
        ``"minimum"`` (all eigenvalues positive), ``"maximum"`` (all negative), ``"saddle"``
        (both signs, even if some are zero) or ``"inconclusive"`` (a zero eigenvalue and no
        sign change: the second-derivative test says nothing).

    See Also
    --------
    find_critical_points

    Notes
    -----
    The test is local and second-order. It does not check that `x` is critical: look at
    ``grad_norm``. Where it is inconclusive, higher derivatives decide: ``x**4 + y**4`` (a
    minimum) and ``x**3 - 3*x*y**2`` (the "monkey saddle") both have a zero Hessian at the origin.

    Examples
    --------
    >>> import calcml
    >>> cp = calcml.classify_critical_point(lambda p: p[0] ** 2 - p[1] ** 2, [0.0, 0.0])
    >>> cp.kind, cp.eigenvalues.round(6)
    ('saddle', array([-2.,  2.]))
    >>> calcml.classify_critical_point(lambda p: p[0] ** 3 - 3 * p[0] * p[1] ** 2, [0, 0]).kind
    'inconclusive'
    """
    x = as_point(x, "x")
    tol = check_nonnegative(tol, "tol")
    return _classify(as_objective(f, grad=grad, hess=hess), x, tol)


def _as_bounds(bounds) -> np.ndarray:
    try:
        b = np.asarray(bounds, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`bounds` must be an array of (low, high) pairs, got {bounds!r}.") from exc
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] == 0:
        raise ValueError(
            "`bounds` must have shape (n, 2), one (low, high) pair per coordinate, e.g. "
            f"[(-2, 2), (-2, 2)]; got shape {b.shape}."
        )
    if not np.all(np.isfinite(b)):
        raise ValueError(f"`bounds` must be finite, got {b.tolist()}.")
    if np.any(b[:, 0] >= b[:, 1]):
        raise ValueError(f"`bounds` needs low < high in every row, got {b.tolist()}.")
    return b


def _solve_gradient(objective: Objective, start: np.ndarray) -> np.ndarray:
    """Solve ``grad f = 0`` from `start` (MINPACK's hybrid method, with the Hessian as Jacobian).

    The result is not checked here: a degenerate root stops the solver early without "success",
    so the caller judges each candidate by its gradient norm instead.
    """
    solution = scipy.optimize.root(objective.grad, start, jac=objective.hess, method="hybr")
    return solution.x


def _merge(candidates: list[np.ndarray], norms: list[float], radius: float) -> list[np.ndarray]:
    """Keep one point per cluster of candidates closer than `radius`: the smallest gradient."""
    kept: list[np.ndarray] = []
    for i in np.argsort(norms, kind="stable"):
        if all(np.linalg.norm(candidates[i] - k) > radius for k in kept):
            kept.append(candidates[i])
    return sorted(kept, key=lambda x: tuple(np.round(x, 6)))


def find_critical_points(
    f,
    bounds,
    *,
    n_starts: int = 50,
    seed: int = 0,
    tol: float = 1e-6,
    gtol: float = 1e-6,
    merge_radius: float | None = None,
    grad: Callable | None = None,
    hess: Callable | None = None,
) -> list[CriticalPoint]:
    """Find and classify the critical points of `f` in a box, by solving ``grad f = 0``.

    Parameters
    ----------
    f : callable or fitted model
        ``f(p)`` of one point ``p`` of shape ``(n,)`` returning a scalar, or a fitted
        :class:`calcml.MultivariateDerivatives`.
    bounds : array_like, shape (n, 2)
        One ``(low, high)`` pair per coordinate; the box to search.
    n_starts : int, default: 50
        The number of starting points, uniform in the box.
    seed : int, default: 0
        Seed of the random starting points.
    tol : float, default: 1e-6
        The eigenvalue tolerance of :func:`classify_critical_point`.
    gtol : float, default: 1e-6
        A solution counts as critical when its gradient norm is at most `gtol`.
    merge_radius : float, optional
        Solutions closer than this are one point; default ``1e-4`` times the box diagonal.
    grad, hess : callable, optional
        ``grad(p) -> (n,)`` and ``hess(p) -> (n, n)``; override the derivatives of `f`.

    Returns
    -------
    list of CriticalPoint
        Sorted by coordinates; each classified as in :func:`classify_critical_point`.

    See Also
    --------
    classify_critical_point

    Notes
    -----
    Each start runs ``scipy.optimize.root`` (Powell's hybrid method) on the gradient with the
    Hessian as its Jacobian. Points outside the box are dropped. A search from finitely many
    starts can miss critical points with small basins; more starts make that less likely.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> f = lambda p: np.sin(p[0]) + np.cos(p[1])
    >>> points = calcml.find_critical_points(f, [(-3, 0), (-1, 4)], n_starts=20)
    >>> [(cp.kind, (cp.x.round(4) + 0.0).tolist()) for cp in points]
    [('saddle', [-1.5708, 0.0]), ('minimum', [-1.5708, 3.1416])]
    """
    box = _as_bounds(bounds)
    n_starts = check_positive_int(n_starts, "n_starts")
    tol = check_nonnegative(tol, "tol")
    gtol = check_positive(gtol, "gtol")
    diagonal = float(np.linalg.norm(box[:, 1] - box[:, 0]))
    radius = (
        1e-4 * diagonal if merge_radius is None else check_positive(merge_radius, "merge_radius")
    )
    objective = as_objective(f, grad=grad, hess=hess)
    starts = np.random.default_rng(seed).uniform(box[:, 0], box[:, 1], size=(n_starts, len(box)))
    candidates, norms = _critical_candidates(objective, starts, box, gtol)
    return [_classify(objective, x, tol) for x in _merge(candidates, norms, radius)]


def _critical_candidates(objective, starts, box, gtol) -> tuple[list[np.ndarray], list[float]]:
    """Solve from every start; keep the finite solutions inside the box with a small gradient."""
    slack = 1e-9 * (box[:, 1] - box[:, 0])
    candidates, norms = [], []
    for start in starts:
        # A solver step may leave the box; a fitted model then warns that it extrapolates.
        # Such trial points are dropped below, so the warning would only be noise.
        # A trial step may also leave the domain of `f` (the gradient then raises): that start
        # found nothing.
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                x = _solve_gradient(objective, start)
            except ValueError:
                continue
        inside = np.all(x >= box[:, 0] - slack) and np.all(x <= box[:, 1] + slack)
        if not (np.all(np.isfinite(x)) and inside):
            continue
        norm = float(np.linalg.norm(objective.grad(x)))
        if norm <= gtol:
            candidates.append(x)
            norms.append(norm)
    return candidates, norms


@dataclass(frozen=True)
class DefiniteFraction:
    """Simulated fraction of random symmetric matrices that are positive definite.

    Attributes
    ----------
    dims : ndarray of int
        The matrix sizes ``n``.
    count : ndarray of int
        How many of the `trials` matrices of each size were positive definite.
    trials : int
        Matrices drawn per size.
    fraction : ndarray
        ``count / trials``.
    low, high : ndarray
        A 95% Clopper-Pearson confidence interval for the true fraction.
    heuristic : ndarray
        The independent-signs guess ``(1/2) ** n``.
    distribution : str
        The matrix distribution, in words.
    """

    dims: np.ndarray
    count: np.ndarray
    trials: int
    fraction: np.ndarray
    low: np.ndarray
    high: np.ndarray
    heuristic: np.ndarray
    distribution: str


_GOE = "GOE: M = (A + A.T) / 2 with A[i, j] ~ N(0, 1) i.i.d., so diag ~ N(0, 1), off ~ N(0, 1/2)"


def _count_positive_definite(matrices: np.ndarray) -> int:
    """Count the positive definite matrices in a batch ``(k, n, n)`` of symmetric matrices.

    Gaussian elimination without pivoting: a symmetric matrix is positive definite exactly when
    every pivot is positive (the pivots are ratios of leading principal minors: Sylvester's
    criterion). A matrix leaves the batch at its first non-positive pivot, so the work shrinks
    as fast as the fraction does; much faster than an eigendecomposition per matrix.
    """
    a = matrices
    for k in range(a.shape[1]):
        a = a[a[:, k, k] > 0]  # boolean indexing copies: the caller's array is not modified
        a[:, k + 1 :, k + 1 :] -= (
            a[:, k + 1 :, k : k + 1] * a[:, k : k + 1, k + 1 :] / a[:, k : k + 1, k : k + 1]
        )
    return len(a)


def _simulate_goe(n: int, trials: int, rng: np.random.Generator) -> int:
    """Draw `trials` GOE matrices of size `n` in chunks; count the positive definite ones."""
    count, chunk = 0, max(1, 2_000_000 // (n * n))
    for start in range(0, trials, chunk):
        a = rng.standard_normal((min(chunk, trials - start), n, n))
        count += _count_positive_definite((a + a.swapaxes(1, 2)) / 2)
    return count


def _clopper_pearson(count: np.ndarray, trials: int) -> tuple[np.ndarray, np.ndarray]:
    beta = scipy.stats.beta  # scipy.stats loads here, on first use, like scipy.optimize
    low = np.where(count > 0, beta.ppf(0.025, count, trials - count + 1), 0.0)
    high = np.where(count < trials, beta.ppf(0.975, count + 1, trials - count), 1.0)
    return low, high


def definite_fraction(
    dims: Iterable[int] = range(1, 11), *, trials: int = 100_000, seed: int = 0
) -> DefiniteFraction:
    """Estimate the fraction of random symmetric ``n x n`` matrices that are positive definite.

    Parameters
    ----------
    dims : iterable of int, default: range(1, 11)
        The sizes ``n`` to simulate; each must be >= 1.
    trials : int, default: 100_000
        Matrices drawn per size.
    seed : int, default: 0
        Seed of the random generator.

    Returns
    -------
    DefiniteFraction
        ``dims, count, trials, fraction, low, high, heuristic, distribution``.

    Notes
    -----
    The matrices come from the Gaussian orthogonal ensemble (GOE): ``M = (A + A.T) / 2`` with
    i.i.d. standard normal ``A``, so diagonal entries are ``N(0, 1)`` and off-diagonal entries
    ``N(0, 1/2)``. If the ``n`` eigenvalue signs were independent coin flips, the fraction would
    be ``(1/2) ** n``. They are not: eigenvalues repel each other, and the probability that all
    are positive falls like ``exp(-theta n**2)`` with ``theta = ln(3) / 4`` (Dean and Majumdar,
    "Large deviations of extreme eigenvalues of random matrices", Phys. Rev. Lett. 97, 160201,
    2006), much faster than ``(1/2) ** n``. Once the fraction is below about ``1 / trials`` the
    simulation sees no definite matrix at all; `high` then bounds it.

    Examples
    --------
    >>> import calcml
    >>> res = calcml.definite_fraction([1, 2, 3], trials=20_000, seed=1)
    >>> res.heuristic.tolist()
    [0.5, 0.25, 0.125]
    >>> bool(abs(res.fraction[0] - 0.5) < 0.02), bool(res.fraction[2] < res.heuristic[2] / 2)
    (True, True)
    """
    trials = check_positive_int(trials, "trials")
    if isinstance(dims, numbers.Integral):
        raise TypeError(
            f"`dims` must be a collection of matrix sizes such as range(1, 11); got the single "
            f"integer {dims} (use [{dims}] for one size)."
        )
    sizes = np.array([check_positive_int(n, "dims") for n in dims], dtype=int)
    if sizes.size == 0:
        raise ValueError("`dims` must contain at least one matrix size.")
    rng = np.random.default_rng(seed)
    count = np.array([_simulate_goe(n, trials, rng) for n in sizes])
    low, high = _clopper_pearson(count, trials)
    return DefiniteFraction(
        dims=sizes,
        count=count,
        trials=trials,
        fraction=count / trials,
        low=low,
        high=high,
        heuristic=0.5**sizes,
        distribution=_GOE,
    )
