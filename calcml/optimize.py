"""Gradient descent, Newton's method and Adam, each returning the whole path.

All three accept a Python function of one vector argument ``f(p)`` or a fitted data model such as
:class:`calcml.MultivariateDerivatives` (derivatives then come from the fit), plus optional
explicit ``grad=`` / ``hess=`` callables. They share one driver loop: only the update rule
differs. None of them raises when it fails to converge; the result's ``status`` says why it
stopped, using the named constants below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._objective import (
    Objective,
    as_objective,
    as_point,
    check_nonnegative,
    check_positive,
    check_positive_int,
)

__all__ = [
    "CONVERGED",
    "DIVERGED",
    "MAX_STEPS",
    "SINGULAR_HESSIAN",
    "OptimizeResult",
    "adam",
    "gradient_descent",
    "newton",
]

CONVERGED = 0
"""The gradient norm fell to ``tol`` or below (a stationary point: possibly a saddle)."""
MAX_STEPS = 1
"""``max_steps`` updates were taken without reaching ``tol``."""
DIVERGED = -1
"""The iterate, value or gradient became non-finite, or ``|x|`` exceeded ``max_norm``."""
SINGULAR_HESSIAN = -2
"""Newton only: the Hessian was singular (or nearly so), so the Newton step is undefined."""

_STEP = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class OptimizeResult:
    """The outcome of an optimisation run, with its whole path.

    Attributes
    ----------
    x : ndarray, shape (n,)
        The last point (the estimate of the minimiser when ``status == CONVERGED``).
    path : ndarray, shape (nit + 1, n)
        Every iterate, starting with ``x0``.
    values : ndarray, shape (nit + 1,)
        The objective at each point of `path`.
    grad_norms : ndarray, shape (nit + 1,)
        The Euclidean norm of the gradient at each point of `path`.
    status : int
        ``CONVERGED`` (0), ``MAX_STEPS`` (1), ``DIVERGED`` (-1) or ``SINGULAR_HESSIAN`` (-2).
    message : str
        Why the run stopped, in words, with advice when it failed.
    nit : int
        The number of updates taken.
    method : str
        ``"gradient_descent"``, ``"newton"`` or ``"adam"``.
    """

    x: np.ndarray
    path: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    status: int
    message: str
    nit: int
    method: str

    @property
    def success(self) -> bool:
        """True when the run converged (``status == CONVERGED``)."""
        return self.status == CONVERGED

    @property
    def fun(self) -> float:
        """The objective at the last point."""
        return float(self.values[-1])


class _SingularHessianError(ArithmeticError):
    """Raised by the Newton update; the driver turns it into ``SINGULAR_HESSIAN``."""


def _divergence(x: np.ndarray, value: float, gnorm: float, max_norm: float) -> str | None:
    """Return why the run diverged at `x`, or None if it did not."""
    if not np.all(np.isfinite(x)):
        return "the iterate became non-finite"
    if np.linalg.norm(x) > max_norm:
        return f"|x| = {np.linalg.norm(x):.3g} exceeded max_norm = {max_norm:g}"
    if not np.isfinite(value):
        return f"the objective became non-finite ({value})"
    if not np.isfinite(gnorm):
        return "the gradient became non-finite"
    return None


def _evaluate(objective: Objective, x: np.ndarray) -> tuple[float, np.ndarray]:
    """Return the value and gradient at `x`, NaN where they cannot be had.

    An iterate can leave the region where `f` is finite (that is divergence, which the driver
    reports); the finite-difference gradient then raises, and a NaN gradient stands for it.
    """
    nan = np.full_like(x, np.nan)
    if not np.all(np.isfinite(x)):
        return np.nan, nan
    with np.errstate(over="ignore", invalid="ignore"):
        value = objective.value(x)
        if not np.isfinite(value):
            return value, nan
        try:
            return value, objective.grad(x)
        except ValueError:
            return value, nan


def _stop_message(status: int, path, values, norms, tol: float, detail: str) -> str:
    nit = len(path) - 1
    steps = f"{nit} step" if nit == 1 else f"{nit} steps"
    if status == CONVERGED:
        return (
            f"Converged: gradient norm {norms[-1]:.2e} <= tol = {tol:g} after {steps}. This "
            "is a stationary point; classify_critical_point tells a minimum from a saddle."
        )
    if status == DIVERGED:
        return f"Diverged at step {nit}: {detail}. Reduce the learning rate or start closer."
    if status == SINGULAR_HESSIAN:
        return f"Stopped at step {nit}: {detail}"
    message = (
        f"Stopped after max_steps = {nit} steps without reaching tol = {tol:g} "
        f"(gradient norm {norms[-1]:.2e})."
    )
    if values[-1] > values[0]:
        message += (
            f" The objective grew from {values[0]:.3g} to {values[-1]:.3g}: the learning rate "
            "may be too large."
        )
    return message


def _run(
    objective: Objective,
    x0: np.ndarray,
    step: _STEP,
    *,
    max_steps: int,
    tol: float,
    max_norm: float,
    method: str,
) -> OptimizeResult:
    """Iterate ``x <- step(x, grad(x))`` and record the path; the one driver for all methods."""
    with np.errstate(over="ignore", invalid="ignore"):
        value, g = objective.value(x0), objective.grad(x0)  # errors at the start are the caller's
    if not np.isfinite(value):
        raise ValueError(f"`f` is not finite at `x0` = {x0} (got {value}); start elsewhere.")
    path, values, norms = [x0], [value], [float(np.linalg.norm(g))]
    status, detail = MAX_STEPS, ""
    for _ in range(max_steps):
        if norms[-1] <= tol:
            break
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                x = step(path[-1], g)
        except _SingularHessianError as exc:
            status, detail = SINGULAR_HESSIAN, str(exc)
            break
        value, g = _evaluate(objective, x)
        path.append(x)
        values.append(value)
        norms.append(float(np.linalg.norm(g)))
        detail = _divergence(x, value, norms[-1], max_norm)
        if detail:
            status = DIVERGED
            break
    if status == MAX_STEPS and norms[-1] <= tol:
        status = CONVERGED
    return OptimizeResult(
        x=path[-1],
        path=np.array(path),
        values=np.array(values),
        grad_norms=np.array(norms),
        status=status,
        message=_stop_message(status, path, values, norms, tol, detail),
        nit=len(path) - 1,
        method=method,
    )


def _check_common(x0, max_steps, tol, max_norm) -> tuple[np.ndarray, int, float, float]:
    x0 = as_point(x0, "x0")
    max_steps = check_positive_int(max_steps, "max_steps")
    tol = check_nonnegative(tol, "tol")
    max_norm = check_positive(max_norm, "max_norm")
    if np.linalg.norm(x0) >= max_norm:
        raise ValueError(f"`max_norm` ({max_norm:g}) must exceed |x0| = {np.linalg.norm(x0):g}.")
    return x0, max_steps, tol, max_norm


def _descent_step(learning_rate: float, momentum: float) -> _STEP:
    velocity = 0.0

    def step(x: np.ndarray, g: np.ndarray) -> np.ndarray:
        nonlocal velocity
        velocity = momentum * velocity - learning_rate * g
        return x + velocity

    return step


def gradient_descent(
    f,
    x0,
    *,
    learning_rate: float = 0.1,
    max_steps: int = 1000,
    tol: float = 1e-6,
    momentum: float = 0.0,
    grad: Callable | None = None,
    max_norm: float = 1e8,
) -> OptimizeResult:
    """Minimise `f` by gradient descent, optionally with (heavy-ball) momentum.

    Parameters
    ----------
    f : callable or fitted model
        ``f(p)`` of one point ``p`` of shape ``(n,)`` returning a scalar, or a fitted
        :class:`calcml.MultivariateDerivatives` (its ``.gradient()`` gives the gradient).
    x0 : array_like, shape (n,)
        The starting point; must be finite.
    learning_rate : float, default: 0.1
        The step size ``eta`` in ``x <- x - eta * grad f(x)``; must be positive.
    max_steps : int, default: 1000
        The largest number of updates.
    tol : float, default: 1e-6
        Stop when the gradient norm is at most `tol`; ``0`` runs all `max_steps` updates.
    momentum : float, default: 0.0
        The momentum coefficient ``beta`` in ``[0, 1)``: ``v <- beta v - eta grad f(x)``,
        ``x <- x + v``. ``0`` is plain gradient descent.
    grad : callable, optional
        ``grad(p) -> (n,)``; overrides the gradient taken from `f`.
    max_norm : float, default: 1e8
        A run whose iterate leaves the ball ``|x| <= max_norm`` is stopped as diverged.

    Returns
    -------
    OptimizeResult
        ``x, path, values, grad_norms, status, message, nit, method``. ``status`` is

        - ``CONVERGED`` (0): the gradient norm reached `tol`.
        - ``MAX_STEPS`` (1): `max_steps` updates without reaching `tol`.
        - ``DIVERGED`` (-1): a non-finite value, or ``|x| > max_norm``.

    See Also
    --------
    newton, adam, calcml.classify_critical_point

    Notes
    -----
    Converging means the gradient vanished, not that a minimum was found: started exactly on a
    ridge (for example ``sin(x) + cos(y)`` from ``(0, 0)``, where the ``y``-partial is zero
    along ``y = 0``), descent slides into a saddle point and stops there. On a quadratic with
    Hessian eigenvalues ``lambda_i``, plain descent converges only if
    ``learning_rate < 2 / max(lambda_i)``.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> f = lambda p: (p[0] - 1) ** 2 + (p[1] - 2) ** 2
    >>> res = calcml.gradient_descent(f, [4.0, 5.0], learning_rate=0.1, max_steps=20)
    >>> res.nit, res.status == calcml.MAX_STEPS
    (20, True)
    >>> np.round(res.x, 3)  # 0.8**20 of the way from (1, 2) to (4, 5)
    array([1.035, 2.035])
    >>> too_big = calcml.gradient_descent(f, [4.0, 5.0], learning_rate=1.5, max_steps=200)
    >>> too_big.status == calcml.DIVERGED
    True
    """
    x0, max_steps, tol, max_norm = _check_common(x0, max_steps, tol, max_norm)
    learning_rate = check_positive(learning_rate, "learning_rate")
    momentum = check_nonnegative(momentum, "momentum")
    if momentum >= 1:
        raise ValueError(f"`momentum` must be in [0, 1), got {momentum}.")
    objective = as_objective(f, grad=grad)
    step = _descent_step(learning_rate, momentum)
    return _run(
        objective,
        x0,
        step,
        max_steps=max_steps,
        tol=tol,
        max_norm=max_norm,
        method="gradient_descent",
    )


def _newton_step(objective: Objective, singular_tol: float) -> _STEP:
    def step(x: np.ndarray, g: np.ndarray) -> np.ndarray:
        h = objective.hess(x)
        eigenvalues = np.linalg.eigvalsh(h)
        scale = max(1.0, np.max(np.abs(eigenvalues)))
        if np.min(np.abs(eigenvalues)) <= singular_tol * scale:
            raise _SingularHessianError(
                f"the Hessian is singular at x = {np.round(x, 6)} (eigenvalues "
                f"{np.round(eigenvalues, 6)}), so the Newton step H d = -g has no unique "
                "solution. Start elsewhere, or use gradient_descent."
            )
        return x + np.linalg.solve(h, -g)

    return step


def newton(
    f,
    x0,
    *,
    max_steps: int = 50,
    tol: float = 1e-8,
    grad: Callable | None = None,
    hess: Callable | None = None,
    singular_tol: float = 1e-8,
    max_norm: float = 1e8,
) -> OptimizeResult:
    """Find a stationary point of `f` by Newton's method, ``x <- x - H(x)^-1 grad f(x)``.

    Parameters
    ----------
    f : callable or fitted model
        ``f(p)`` of one point ``p`` of shape ``(n,)`` returning a scalar, or a fitted
        :class:`calcml.MultivariateDerivatives`.
    x0 : array_like, shape (n,)
        The starting point; must be finite.
    max_steps : int, default: 50
        The largest number of updates.
    tol : float, default: 1e-8
        Stop when the gradient norm is at most `tol`.
    grad, hess : callable, optional
        ``grad(p) -> (n,)`` and ``hess(p) -> (n, n)``; override the derivatives of `f`.
    singular_tol : float, default: 1e-8
        The Hessian counts as singular when its smallest eigenvalue magnitude is at most
        ``singular_tol * max(1, largest eigenvalue magnitude)``.
    max_norm : float, default: 1e8
        A run whose iterate leaves the ball ``|x| <= max_norm`` is stopped as diverged.

    Returns
    -------
    OptimizeResult
        As for :func:`gradient_descent`, with one more status: ``SINGULAR_HESSIAN`` (-2), the
        Hessian at the last point is singular and the message gives its eigenvalues.

    See Also
    --------
    gradient_descent, adam

    Notes
    -----
    Newton's method solves ``grad f = 0``, so it is attracted to saddles and maxima as readily as
    to minima: classify the end point. On a quadratic it lands on the stationary point in one
    step; it needs the ``n x n`` Hessian, which is why large models use approximations.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> f = lambda p: (p[0] - 1) ** 2 + (p[1] - 2) ** 2
    >>> res = calcml.newton(f, [4.0, 5.0])
    >>> res.nit <= 2, np.allclose(res.x, [1, 2], atol=1e-6)
    (True, True)
    >>> flat = calcml.newton(lambda p: p[0] ** 2, [1.0, 1.0])  # no curvature along y
    >>> flat.status == calcml.SINGULAR_HESSIAN
    True
    """
    x0, max_steps, tol, max_norm = _check_common(x0, max_steps, tol, max_norm)
    singular_tol = check_nonnegative(singular_tol, "singular_tol")
    objective = as_objective(f, grad=grad, hess=hess)
    return _run(
        objective,
        x0,
        _newton_step(objective, singular_tol),
        max_steps=max_steps,
        tol=tol,
        max_norm=max_norm,
        method="newton",
    )


def _adam_step(learning_rate: float, beta1: float, beta2: float, eps: float) -> _STEP:
    state = {"m": 0.0, "v": 0.0, "t": 0}

    def step(x: np.ndarray, g: np.ndarray) -> np.ndarray:
        state["t"] += 1
        state["m"] = beta1 * state["m"] + (1 - beta1) * g
        state["v"] = beta2 * state["v"] + (1 - beta2) * g**2
        m_hat = state["m"] / (1 - beta1 ** state["t"])
        v_hat = state["v"] / (1 - beta2 ** state["t"])
        return x - learning_rate * m_hat / (np.sqrt(v_hat) + eps)

    return step


def adam(
    f,
    x0,
    *,
    learning_rate: float = 0.1,
    max_steps: int = 1000,
    tol: float = 1e-6,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    grad: Callable | None = None,
    max_norm: float = 1e8,
) -> OptimizeResult:
    """Minimise `f` with Adam: momentum plus a per-coordinate step scaled by past gradients.

    Parameters
    ----------
    f : callable or fitted model
        ``f(p)`` of one point ``p`` of shape ``(n,)`` returning a scalar, or a fitted
        :class:`calcml.MultivariateDerivatives`.
    x0 : array_like, shape (n,)
        The starting point; must be finite.
    learning_rate : float, default: 0.1
        The largest step per coordinate, roughly; must be positive.
    max_steps : int, default: 1000
        The largest number of updates.
    tol : float, default: 1e-6
        Stop when the gradient norm is at most `tol`.
    beta1, beta2 : float, default: 0.9, 0.999
        Decay rates of the running mean of the gradient and of its square, each in ``[0, 1)``.
    eps : float, default: 1e-8
        Added to the denominator to avoid division by zero; must be positive.
    grad : callable, optional
        ``grad(p) -> (n,)``; overrides the gradient taken from `f`.
    max_norm : float, default: 1e8
        A run whose iterate leaves the ball ``|x| <= max_norm`` is stopped as diverged.

    Returns
    -------
    OptimizeResult
        As for :func:`gradient_descent`.

    See Also
    --------
    gradient_descent, newton

    Notes
    -----
    The update is ``x <- x - eta * m_hat / (sqrt(v_hat) + eps)`` with bias-corrected running
    means ``m_hat`` of the gradient and ``v_hat`` of its element-wise square (Kingma and Ba,
    "Adam: a method for stochastic optimization", ICLR 2015). Dividing by ``sqrt(v_hat)`` is a
    cheap diagonal stand-in for the curvature that Newton's method takes from the Hessian.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> f = lambda p: (p[0] - 1) ** 2 + 10 * (p[1] - 2) ** 2
    >>> res = calcml.adam(f, [4.0, 5.0], learning_rate=0.1, max_steps=2000)
    >>> res.success, np.allclose(res.x, [1, 2], atol=1e-5)
    (True, True)
    """
    x0, max_steps, tol, max_norm = _check_common(x0, max_steps, tol, max_norm)
    learning_rate = check_positive(learning_rate, "learning_rate")
    eps = check_positive(eps, "eps")
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0 <= check_nonnegative(beta, name) < 1:
            raise ValueError(f"`{name}` must be in [0, 1), got {beta}.")
    objective = as_objective(f, grad=grad)
    return _run(
        objective,
        x0,
        _adam_step(learning_rate, beta1, beta2, eps),
        max_steps=max_steps,
        tol=tol,
        max_norm=max_norm,
        method="adam",
    )
