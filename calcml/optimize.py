"""Gradient descent, Newton's method and Adam, each returning the whole path.

All three accept a Python function of one vector argument ``f(p)`` or a fitted data model such as
:class:`calcml.MultivariateDerivatives` (derivatives then come from the fit), plus optional
explicit ``grad=`` / ``hess=`` callables. They share one driver loop: only the update rule
differs. None of them raises when it fails to converge; the result's ``status`` says why it
stopped, using the named constants below.

:func:`sgd` is the stochastic member of the family: it minimises an average of per-example
losses from minibatch gradients ``grad(x, indices)``, with learning-rate schedules
(:func:`learning_rate_schedule`), momentum, Nesterov, RMSProp or Adam updates and seeded
shuffling, and returns the same :class:`OptimizeResult`. :func:`gradient_noise` measures how
far minibatch gradients scatter around the full gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

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
    "GradientNoise",
    "OptimizeResult",
    "adam",
    "gradient_descent",
    "gradient_noise",
    "learning_rate_schedule",
    "newton",
    "sgd",
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


# --- Minibatch stochastic gradient descent ------------------------------------------------------

SCHEDULES = ("constant", "1/t", "step", "cosine")
"""The names :func:`learning_rate_schedule` and :func:`sgd` accept for a schedule."""
SGD_METHODS = ("sgd", "nesterov", "rmsprop", "adam")
"""The update rules :func:`sgd` accepts as ``method``."""


def learning_rate_schedule(
    kind: str,
    learning_rate: float,
    total_steps: int,
    *,
    warmup: int = 0,
    tau: float | None = None,
    drop_every: int | None = None,
    drop_factor: float = 0.1,
) -> np.ndarray:
    """Return the learning rate of every step ``t = 0, ..., total_steps - 1`` of a schedule.

    Parameters
    ----------
    kind : {"constant", "1/t", "step", "cosine"}
        The shape of the schedule after the warm-up (``s`` counts steps after the warm-up and
        ``S = total_steps - warmup``):

        - ``"constant"``: ``eta``;
        - ``"1/t"``: ``eta / (1 + s / tau)``, halved after ``tau`` steps;
        - ``"step"``: ``eta * drop_factor ** (s // drop_every)``;
        - ``"cosine"``: ``eta * (1 + cos(pi * s / S)) / 2``, from ``eta`` down towards 0.
    learning_rate : float
        The base rate ``eta``; must be positive.
    total_steps : int
        The number of steps; at least 1.
    warmup : int, default: 0
        Steps of linear warm-up: step ``t < warmup`` uses ``eta * (t + 1) / warmup``.
        Must be smaller than `total_steps`.
    tau : float, optional
        Time scale of ``"1/t"``; default ``S / 10``.
    drop_every : int, optional
        Steps between drops of ``"step"``; default ``ceil(S / 3)`` (three plateaus).
    drop_factor : float, default: 0.1
        Factor of each drop of ``"step"``, in ``(0, 1]``.

    Returns
    -------
    ndarray, shape (total_steps,)
        The rate of each step.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import learning_rate_schedule
    >>> np.round(learning_rate_schedule("step", 0.1, 6, drop_every=2), 6)
    array([0.1  , 0.1  , 0.01 , 0.01 , 0.001, 0.001])
    >>> learning_rate_schedule("cosine", 1.0, 5, warmup=1).round(3)
    array([1.   , 1.   , 0.854, 0.5  , 0.146])
    """
    if not isinstance(kind, str) or kind not in SCHEDULES:
        raise ValueError(f"`kind` must be one of {SCHEDULES}, got {kind!r}.")
    eta = check_positive(learning_rate, "learning_rate")
    total = check_positive_int(total_steps, "total_steps")
    if isinstance(warmup, bool) or not isinstance(warmup, int | np.integer) or warmup < 0:
        raise ValueError(f"`warmup` must be a non-negative integer, got {warmup!r}.")
    if warmup >= total:
        raise ValueError(
            f"`warmup` ({warmup}) must be smaller than `total_steps` ({total}): "
            "the schedule needs at least one step after the warm-up."
        )
    span = total - warmup
    s = np.arange(span, dtype=float)
    if kind == "constant":
        after = np.full(span, eta)
    elif kind == "1/t":
        tau = span / 10 if tau is None else check_positive(tau, "tau")
        after = eta / (1 + s / tau)
    elif kind == "step":
        every = (
            -(-span // 3) if drop_every is None else check_positive_int(drop_every, "drop_every")
        )
        factor = check_positive(drop_factor, "drop_factor")
        if factor > 1:
            raise ValueError(f"`drop_factor` must be in (0, 1], got {factor}.")
        after = eta * factor ** (s // every)
    else:
        after = eta * (1 + np.cos(np.pi * s / span)) / 2
    ramp = eta * np.arange(1, warmup + 1) / max(warmup, 1)
    return np.concatenate([ramp, after])


class GradientNoise(NamedTuple):
    """How far minibatch gradients scatter around the full gradient (see :func:`gradient_noise`).

    Attributes
    ----------
    batch_sizes : ndarray of int, shape (k,)
        The batch sizes ``B`` measured.
    bias : ndarray, shape (k,)
        ``|mean of the sampled minibatch gradients - full gradient|``: zero up to sampling
        error, because a minibatch gradient is unbiased.
    variance : ndarray, shape (k,)
        Mean of ``|minibatch gradient - full gradient|^2`` over the trials.
    sigma2 : float
        The per-example variance ``(1/N) sum_i |grad f_i - grad f|^2``; with replacement the
        exact variance of a batch of ``B`` is ``sigma2 / B``.
    """

    batch_sizes: np.ndarray
    bias: np.ndarray
    variance: np.ndarray
    sigma2: float


def _check_batch_grad(grad, x: np.ndarray, n_samples: int) -> np.ndarray:
    """Call ``grad(x, all indices)`` once and check what comes back."""
    if not callable(grad):
        raise TypeError(f"`grad` must be callable as grad(x, indices), got {type(grad).__name__}.")
    full = np.asarray(grad(x, np.arange(n_samples)), dtype=float)
    if full.shape != x.shape:
        raise ValueError(
            f"`grad(x, indices)` must return the mean gradient over those examples, shape "
            f"{x.shape} like x; got shape {full.shape}."
        )
    return full


def gradient_noise(
    grad: Callable,
    x,
    n_samples: int,
    batch_sizes,
    *,
    trials: int = 500,
    replace: bool = True,
    seed: int = 0,
) -> GradientNoise:
    """Measure the bias and variance of minibatch gradients at one point.

    Parameters
    ----------
    grad : callable
        ``grad(x, indices)`` returns the mean gradient of the examples ``indices`` (a 1-D
        integer array) at ``x``, shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    n_samples : int
        The number ``N`` of examples.
    batch_sizes : sequence of int
        Batch sizes ``B``, each between 1 and ``N`` (at most ``N`` without replacement).
    trials : int, default: 500
        Minibatches drawn per batch size.
    replace : bool, default: True
        Draw each batch with replacement (independent examples: variance exactly
        ``sigma2 / B``) or without (as an epoch of :func:`sgd` does: variance
        ``sigma2 / B * (N - B) / (N - 1)``).
    seed : int, default: 0
        Seed of the sampling.

    Returns
    -------
    GradientNoise
        ``batch_sizes, bias, variance, sigma2``.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import gradient_noise
    >>> a = np.array([1.0, 2.0, 3.0, 6.0])  # f_i(w) = (w - a_i)^2 / 2, gradient w - a_i
    >>> noise = gradient_noise(lambda w, i: w - a[i].mean(keepdims=True), [0.0], 4, [1, 2],
    ...                        trials=20000)
    >>> float(noise.sigma2), np.round(noise.variance / noise.sigma2, 1)  # about 1/B
    (3.5, array([1. , 0.5]))
    """
    x = as_point(x, "x")
    n_samples = check_positive_int(n_samples, "n_samples")
    trials = check_positive_int(trials, "trials")
    sizes = np.asarray(batch_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or not np.issubdtype(sizes.dtype, np.integer):
        raise TypeError(f"`batch_sizes` must be a 1-D sequence of integers, got {batch_sizes!r}.")
    top = n_samples if not replace else np.inf
    if sizes.min() < 1 or sizes.max() > top:
        limit = "at least 1" if replace else f"between 1 and n_samples = {n_samples}"
        raise ValueError(
            f"each batch size must be {limit}, got {sizes.tolist()}"
            + ("." if replace else " (without replacement a batch holds distinct examples).")
        )
    full = _check_batch_grad(grad, x, n_samples)
    per_example = np.array([grad(x, np.array([i])) for i in range(n_samples)], dtype=float)
    sigma2 = float(np.mean(np.sum((per_example - full) ** 2, axis=1)))
    rng = np.random.default_rng(seed)
    bias, variance = [], []
    for b in sizes:
        draws = np.array(
            [grad(x, rng.choice(n_samples, size=b, replace=replace)) for _ in range(trials)]
        )
        bias.append(np.linalg.norm(draws.mean(axis=0) - full))
        variance.append(np.mean(np.sum((draws - full) ** 2, axis=1)))
    return GradientNoise(sizes.astype(int), np.array(bias), np.array(variance), sigma2)


def _sgd_update(method: str, beta1: float, beta2: float, eps: float) -> Callable:
    """Return ``update(x, grad_at, eta) -> x_new`` keeping the method's state.

    ``grad_at(p)`` is this step's minibatch gradient at a point ``p`` (Nesterov evaluates it
    at the look-ahead point ``x + beta v``, the others at ``x``).
    """
    state = {"v": 0.0, "m": 0.0, "s": 0.0, "t": 0}

    def update(x, grad_at, eta):
        state["t"] += 1
        if method == "nesterov":
            state["v"] = beta1 * state["v"] - eta * grad_at(x + beta1 * state["v"])
            return x + state["v"]
        g = grad_at(x)
        if method == "sgd":
            state["v"] = beta1 * state["v"] - eta * g
            return x + state["v"]
        state["s"] = beta2 * state["s"] + (1 - beta2) * g**2
        if method == "rmsprop":
            return x - eta * g / (np.sqrt(state["s"]) + eps)
        state["m"] = beta1 * state["m"] + (1 - beta1) * g
        m_hat = state["m"] / (1 - beta1 ** state["t"])
        s_hat = state["s"] / (1 - beta2 ** state["t"])
        return x - eta * m_hat / (np.sqrt(s_hat) + eps)

    return update


def _sgd_rates(schedule, learning_rate, total_steps: int, warmup: int) -> np.ndarray:
    if isinstance(schedule, str):
        return learning_rate_schedule(schedule, learning_rate, total_steps, warmup=warmup)
    rates = np.asarray(schedule, dtype=float)
    if rates.shape != (total_steps,):
        raise ValueError(
            f"`schedule` as an array must hold one rate per step, shape ({total_steps},) for "
            f"epochs * ceil(n_samples / batch_size) steps; got shape {rates.shape}."
        )
    if not np.all(np.isfinite(rates) & (rates > 0)):
        raise ValueError("`schedule` rates must be finite and positive.")
    return rates


def _sgd_betas(method: str, momentum: float | None, beta2: float) -> tuple[float, float]:
    if not isinstance(method, str) or method not in SGD_METHODS:
        raise ValueError(f"`method` must be one of {SGD_METHODS}, got {method!r}.")
    default = {"sgd": 0.0, "nesterov": 0.9, "rmsprop": 0.0, "adam": 0.9}[method]
    beta1 = default if momentum is None else check_nonnegative(momentum, "momentum")
    if method == "rmsprop" and beta1 != 0:
        raise ValueError("`momentum` is not used by method='rmsprop'; leave it as None.")
    for name, beta in (("momentum", beta1), ("beta2", check_nonnegative(beta2, "beta2"))):
        if beta >= 1:
            raise ValueError(f"`{name}` must be in [0, 1), got {beta}.")
    return beta1, float(beta2)


def sgd(
    f: Callable,
    x0,
    *,
    grad: Callable,
    n_samples: int,
    batch_size: int = 32,
    epochs: int = 10,
    learning_rate: float = 0.1,
    schedule="constant",
    warmup: int = 0,
    method: str = "sgd",
    momentum: float | None = None,
    beta2: float = 0.999,
    eps: float = 1e-8,
    seed: int = 0,
    replace: bool = False,
    record: str = "epoch",
    max_norm: float = 1e8,
) -> OptimizeResult:
    """Minimise an average of per-example losses with minibatch stochastic gradients.

    Each epoch shuffles the ``N`` examples (seeded) and walks through them in minibatches of
    `batch_size` (the last one may be smaller), so every epoch touches every example once and
    costs ``N`` per-example gradient evaluations whatever the batch size. ``batch_size =
    n_samples`` is full-batch gradient descent.

    Parameters
    ----------
    f : callable
        ``f(x)`` the full objective (the mean loss over all examples); used only to record
        `values`, never for the updates.
    x0 : array_like, shape (n,)
        The starting point; must be finite.
    grad : callable
        ``grad(x, indices)``: the mean gradient of the examples ``indices`` (1-D integer
        array) at ``x``, shape ``(n,)``.
    n_samples : int
        The number ``N`` of examples.
    batch_size : int, default: 32
        ``B``, between 1 and `n_samples`.
    epochs : int, default: 10
        Passes over the data; ``epochs * ceil(N / B)`` updates in all.
    learning_rate : float, default: 0.1
        The base rate of a named `schedule`; must be positive.
    schedule : {"constant", "1/t", "step", "cosine"} or array_like, default: "constant"
        A name (see :func:`learning_rate_schedule`, with its default options), or the rate
        of every step as an array of length ``epochs * ceil(N / B)`` (then `learning_rate`
        and `warmup` are not used).
    warmup : int, default: 0
        Steps of linear warm-up of a named schedule.
    method : {"sgd", "nesterov", "rmsprop", "adam"}, default: "sgd"
        The update rule, with ``g`` the minibatch gradient and ``eta`` this step's rate:

        - ``"sgd"``: heavy ball, ``v <- beta v - eta g``, ``x <- x + v`` (plain SGD if
          ``beta = 0``);
        - ``"nesterov"``: as ``"sgd"`` with ``g`` taken at ``x + beta v`` (same minibatch);
        - ``"rmsprop"``: ``s <- beta2 s + (1 - beta2) g^2``, ``x <- x - eta g / (sqrt(s) + eps)``;
        - ``"adam"``: running means ``m`` of ``g`` (rate `momentum`) and ``s`` of ``g^2``
          (rate `beta2`), both divided by ``1 - beta^t`` (bias correction), then
          ``x <- x - eta m_hat / (sqrt(s_hat) + eps)``.
    momentum : float, optional
        ``beta`` in ``[0, 1)``: the heavy-ball / Nesterov coefficient, or Adam's ``beta1``.
        Default 0 for ``"sgd"``, 0.9 for ``"nesterov"`` and ``"adam"``; not used by RMSProp.
    beta2 : float, default: 0.999
        Decay of the running mean of ``g^2`` (RMSProp and Adam), in ``[0, 1)``.
    eps : float, default: 1e-8
        Added to the denominator of RMSProp and Adam; must be positive.
    seed : int, default: 0
        Seed of the shuffling: the same seed gives the same run.
    replace : bool, default: False
        ``False``: each epoch is a reshuffled pass over the data (common practice).
        ``True``: every minibatch is drawn independently, with replacement, and an "epoch" is
        just ``ceil(N / B)`` updates; the noise is then independent from step to step, as the
        textbook analysis of SGD assumes.
    record : {"epoch", "step"}, default: "epoch"
        Record the point after every epoch (``epochs + 1`` entries) or after every update.
        Each record evaluates `f` and the full gradient (``N`` examples), so ``"step"`` is for
        small problems.
    max_norm : float, default: 1e8
        A run whose iterate leaves the ball ``|x| <= max_norm`` is stopped as diverged.

    Returns
    -------
    OptimizeResult
        ``path``, ``values`` (the full objective `f`) and ``grad_norms`` (the norm of the full
        gradient) at the recorded points, starting with ``x0``; ``nit`` is the number of
        updates (``nit * batch_size`` is about the number of examples touched); ``method``
        is ``"sgd"``, ``"nesterov"``, ``"rmsprop"`` or ``"adam"``. ``status`` is

        - ``MAX_STEPS`` (1): all epochs ran (stochastic gradients never vanish, so there is
          no tolerance test and no ``CONVERGED``);
        - ``DIVERGED`` (-1): a non-finite value, or ``|x| > max_norm``.

    See Also
    --------
    learning_rate_schedule, gradient_noise, gradient_descent, adam

    Notes
    -----
    A minibatch gradient is an unbiased estimate of the full gradient whose variance falls
    like ``1/B``. With a constant rate the iterates do not converge: they settle in a noise
    ball around the minimiser whose size grows with the rate; a decaying schedule shrinks it.

    Examples
    --------
    Least squares ``f(w) = mean_i (a_i w - y_i)^2 / 2`` with ``N = 100`` examples:

    >>> import numpy as np
    >>> import calcml
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=100)
    >>> y = 3 * a + 0.1 * rng.normal(size=100)
    >>> f = lambda w: np.mean((a * w[0] - y) ** 2) / 2
    >>> g = lambda w, i: np.array([np.mean(a[i] * (a[i] * w[0] - y[i]))])
    >>> res = calcml.sgd(f, [0.0], grad=g, n_samples=100, batch_size=10, epochs=20,
    ...                  learning_rate=0.5, schedule="cosine")
    >>> res.nit, res.path.shape
    (200, (21, 1))
    >>> best = np.sum(a * y) / np.sum(a * a)  # the least-squares minimiser
    >>> bool(abs(res.x[0] - best) < 1e-3)
    True
    """
    x0 = as_point(x0, "x0")
    if not callable(f):
        raise TypeError(f"`f` must be callable as f(x), got {type(f).__name__}.")
    n_samples = check_positive_int(n_samples, "n_samples")
    batch_size = check_positive_int(batch_size, "batch_size")
    if batch_size > n_samples:
        raise ValueError(
            f"`batch_size` ({batch_size}) must be at most `n_samples` ({n_samples}); "
            "batch_size = n_samples is full-batch gradient descent."
        )
    epochs = check_positive_int(epochs, "epochs")
    if record not in ("epoch", "step"):
        raise ValueError(f"`record` must be 'epoch' or 'step', got {record!r}.")
    beta1, beta2 = _sgd_betas(method, momentum, beta2)
    eps = check_positive(eps, "eps")
    max_norm = check_positive(max_norm, "max_norm")
    if np.linalg.norm(x0) >= max_norm:
        raise ValueError(f"`max_norm` ({max_norm:g}) must exceed |x0| = {np.linalg.norm(x0):g}.")
    per_epoch = -(-n_samples // batch_size)
    rates = _sgd_rates(schedule, learning_rate, epochs * per_epoch, warmup)
    g0 = _check_batch_grad(grad, x0, n_samples)

    everything = np.arange(n_samples)
    rng = np.random.default_rng(seed)
    update = _sgd_update(method, beta1, beta2, eps)
    path, values, norms = [x0], [float(f(x0))], [float(np.linalg.norm(g0))]
    x, nit, detail = x0, 0, None

    def keep(x):
        value, g = _evaluate_full(f, grad, x, everything)
        path.append(x)
        values.append(value)
        norms.append(float(np.linalg.norm(g)))
        return _divergence(x, value, norms[-1], max_norm)

    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            # independent draws (replace) or a reshuffled pass; batches are slices of it
            order = rng.integers(0, n_samples, n_samples) if replace else rng.permutation(n_samples)
            for start in range(0, n_samples, batch_size):
                idx = order[start : start + batch_size]
                x = update(x, lambda p, idx=idx: np.asarray(grad(p, idx), float), rates[nit])
                nit += 1
                if not np.linalg.norm(x) <= max_norm:  # also catches NaN
                    detail = keep(x)
                    break
                if record == "step" and (detail := keep(x)):
                    break
            if detail or (record == "epoch" and (detail := keep(x))):
                break
    status = DIVERGED if detail else MAX_STEPS
    if detail:
        message = f"Diverged at step {nit}: {detail}. Reduce the learning rate."
    else:
        message = (
            f"Ran {epochs} epoch(s): {nit} updates with batch size {batch_size}; full "
            f"objective {values[0]:.4g} -> {values[-1]:.4g}, full gradient norm {norms[-1]:.2e}."
        )
    return OptimizeResult(
        x=path[-1],
        path=np.array(path),
        values=np.array(values),
        grad_norms=np.array(norms),
        status=status,
        message=message,
        nit=nit,
        method=method,
    )


def _evaluate_full(f, grad, x: np.ndarray, everything: np.ndarray) -> tuple[float, np.ndarray]:
    """Return the full objective and full gradient at `x`, NaN where they cannot be had."""
    if not np.all(np.isfinite(x)):
        return np.nan, np.full_like(x, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(f(x)), np.asarray(grad(x, everything), dtype=float)
