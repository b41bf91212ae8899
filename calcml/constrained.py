"""Checking the optimality conditions of constrained problems: multipliers and KKT residuals.

Nothing here solves an optimisation problem (chapter 12 solves them with
:func:`scipy.optimize.minimize`). Given the gradients at a candidate point, these functions
answer the question the theory asks of it: is there a multiplier for each constraint that
makes the Lagrangian stationary, and do the other Karush-Kuhn-Tucker conditions hold?

Conventions (those of chapter 12): minimise ``f`` subject to equality constraints
``h_j(x) = 0`` and inequality constraints ``g_i(x) <= 0``; the Lagrangian is
``f + sum_j nu_j h_j + sum_i alpha_i g_i``, so stationarity reads
``grad f + sum_j nu_j grad h_j + sum_i alpha_i grad g_i = 0`` and the inequality
multipliers ``alpha_i`` must be ``>= 0``.

The multipliers are found by linear least squares: at a true KKT point the stationarity
equations have an exact solution, and the norm of what is left over (``stationarity``) says
how far the point is from being one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validate import finite_array

__all__ = ["KKTCheck", "Multipliers", "kkt_check", "multipliers"]


class Multipliers(NamedTuple):
    """Least-squares multipliers of the stationarity equations.

    Attributes
    ----------
    values : ndarray, shape (m,)
        One multiplier per constraint gradient, in the order given.
    residual : float
        ``|grad f + sum_i values_i grad_i|``: zero at a stationary point of the Lagrangian.
    """

    values: np.ndarray  # the multipliers, one per constraint gradient
    residual: float  # norm of the stationarity equations left over


class KKTCheck(NamedTuple):
    """How far a point is from satisfying the KKT conditions (each entry ``0`` when exact).

    Attributes
    ----------
    nu : ndarray, shape (p,)
        Multipliers of the equality constraints (any sign).
    alpha : ndarray, shape (q,)
        Multipliers of the inequality constraints; ``0`` for constraints that are not active.
    stationarity : float
        ``|grad f + sum nu_j grad h_j + sum alpha_i grad g_i|``.
    primal : float
        Largest constraint violation: ``max(|h_j|, g_i, 0)``.
    dual : float
        Largest negative inequality multiplier, as a positive number: ``max(-alpha_i, 0)``.
    complementary : float
        Largest ``|alpha_i g_i|``.
    """

    nu: np.ndarray  # equality multipliers
    alpha: np.ndarray  # inequality multipliers (0 where inactive)
    stationarity: float  # stationarity residual
    primal: float  # primal feasibility violation
    dual: float  # dual feasibility violation
    complementary: float  # complementary slackness violation


def _gradients(grads: Any, n: int, name: str) -> np.ndarray:
    """Return `grads` as a ``(m, n)`` array (one gradient per row; ``m`` may be 0)."""
    array = finite_array(grads, name)
    if array.ndim == 1 and array.size == n:
        array = array[None, :]
    if array.size == 0:
        return np.zeros((0, n))
    if array.ndim != 2 or array.shape[1] != n:
        raise ValueError(
            f"`{name}` must hold one gradient of length {n} per constraint (shape (m, {n})); "
            f"got shape {array.shape}."
        )
    return array


def multipliers(grad_f: Any, grads: Any) -> Multipliers:
    """Find ``nu`` with ``grad f + sum_i nu_i grads[i] = 0`` as nearly as possible.

    Parameters
    ----------
    grad_f : array_like, shape (n,)
        Gradient of the objective at the point.
    grads : array_like, shape (m, n) or (n,)
        Gradients of the constraints at the point, one per row (one constraint may be given
        as a single vector).

    Returns
    -------
    Multipliers
        ``values`` (shape ``(m,)``) and the ``residual`` norm; a residual well above round-off
        means the gradients are not parallel: the point is not a constrained stationary point.

    Raises
    ------
    ValueError
        If the shapes do not match or a value is not finite.
    TypeError
        If an input does not hold real numbers.

    Examples
    --------
    Minimise ``x + 2y`` on the circle ``x^2 + y^2 = 5``: at ``(-1, -2)`` the gradients are
    ``(1, 2)`` and ``(-2, -4)``, so ``nu = 1/2``.

    >>> m = multipliers([1.0, 2.0], [[-2.0, -4.0]])
    >>> float(m.values[0]), round(m.residual, 12)
    (0.5, 0.0)

    At a point where the gradients are not parallel the residual says so:

    >>> round(multipliers([1.0, 2.0], [-4.0, -2.0]).residual, 4)
    1.3416
    """
    g = finite_array(grad_f, "grad_f")
    if g.ndim != 1 or g.size == 0:
        raise ValueError(f"`grad_f` must be a non-empty vector (shape (n,)); got {g.shape}.")
    G = _gradients(grads, g.size, "grads")
    if len(G) == 0:
        return Multipliers(np.zeros(0), float(np.linalg.norm(g)))
    values = np.linalg.lstsq(G.T, -g, rcond=None)[0]
    return Multipliers(values, float(np.linalg.norm(g + G.T @ values)))


def kkt_check(
    grad_f: Any,
    *,
    eq_values: Any = (),
    eq_grads: Any = (),
    ineq_values: Any = (),
    ineq_grads: Any = (),
    active_tol: float = 1e-6,
) -> KKTCheck:
    """Measure how well a point satisfies the KKT conditions.

    The multipliers are the least-squares solution of the stationarity equations over the
    equality constraints and the *active* inequality constraints (``g_i >= -active_tol``);
    an inactive constraint gets ``alpha_i = 0``, as complementary slackness demands.

    Parameters
    ----------
    grad_f : array_like, shape (n,)
        Gradient of the objective ``f`` (to be minimised) at the point.
    eq_values, eq_grads : array_like, shapes (p,) and (p, n)
        Values ``h_j(x)`` and gradients of the equality constraints ``h_j(x) = 0``.
    ineq_values, ineq_grads : array_like, shapes (q,) and (q, n)
        Values ``g_i(x)`` and gradients of the inequality constraints ``g_i(x) <= 0``.
    active_tol : float, default: 1e-6
        An inequality with ``g_i(x) >= -active_tol`` counts as active.

    Returns
    -------
    KKTCheck
        The multipliers and the four residuals (stationarity, primal, dual,
        complementary), each ``0`` at an exact KKT point.

    Raises
    ------
    ValueError
        If shapes disagree, a value is not finite, or `active_tol` is negative.

    Examples
    --------
    Minimise ``(x - 2)^2 + (y - 2)^2`` subject to ``x + y <= 2``. At ``(1, 1)`` the
    gradient is ``(-2, -2)`` and the active constraint's gradient ``(1, 1)``: ``alpha = 2``.

    >>> c = kkt_check([-2.0, -2.0], ineq_values=[0.0], ineq_grads=[[1.0, 1.0]])
    >>> c.alpha.round(12).tolist(), round(c.stationarity, 12), c.dual
    ([2.0], 0.0, 0.0)

    The unconstrained minimum ``(2, 2)`` has zero gradient but breaks the constraint:

    >>> kkt_check([0.0, 0.0], ineq_values=[2.0], ineq_grads=[[1.0, 1.0]]).primal
    2.0
    """
    g = finite_array(grad_f, "grad_f")
    if g.ndim != 1 or g.size == 0:
        raise ValueError(f"`grad_f` must be a non-empty vector (shape (n,)); got {g.shape}.")
    tol = float(active_tol)
    if not tol >= 0:
        raise ValueError(f"`active_tol` must be a number >= 0; got {active_tol!r}.")
    h = finite_array(eq_values, "eq_values").reshape(-1)
    H = _gradients(eq_grads, g.size, "eq_grads")
    c = finite_array(ineq_values, "ineq_values").reshape(-1)
    C = _gradients(ineq_grads, g.size, "ineq_grads")
    for vals, grads, kind in ((h, H, "eq"), (c, C, "ineq")):
        if len(vals) != len(grads):
            raise ValueError(
                f"`{kind}_values` has {len(vals)} entries but `{kind}_grads` has {len(grads)} "
                "rows: give one value and one gradient per constraint."
            )
    active = c >= -tol
    m = multipliers(g, np.vstack([H, C[active]]))
    nu = m.values[: len(h)]
    alpha = np.zeros(len(c))
    alpha[active] = m.values[len(h) :]
    primal = max([0.0, *np.abs(h), *c])
    dual = max([0.0, *(-alpha)])
    complementary = max([0.0, *np.abs(alpha * c)])
    return KKTCheck(nu, alpha, m.residual, float(primal), float(dual), float(complementary))
