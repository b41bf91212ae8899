"""Derivatives of Python functions: function transforms in the style of JAX.

``grad(f)``, ``jacobian(f)``, ``hessian(f)``, ``laplacian(f)``, ``directional(f, v)``,
``jvp(f, v)``, ``hvp(f, v)`` and ``partial(f, i, order)`` return a new function taking
the same arguments as ``f``; ``derivative(f, x)`` differentiates a function of one
variable elementwise.

How the arguments are read (the call-form and shape rule of ``ARCHITECTURE.md``):

* several arguments ``df(x, y, ...)``: one coordinate each, broadcast to a batch
  shape ``S`` (scalars, or e.g. meshgrids for a whole gradient field in one call);
* one array ``df(p)``: the last axis holds the ``n`` coordinates, the leading axes
  are the batch shape ``S`` (``p`` of shape ``(n,)`` is one point, ``S = ()``).

Outputs put the batch axes first, then the derivative axes: ``grad`` gives
``S + (n,)``, ``jacobian`` ``S + (m, n)``, ``hessian`` ``S + (n, n)``, ``laplacian``
``S``, ``directional``, ``jvp`` and ``partial`` ``S`` (``S + (m,)`` for ``m``
outputs), ``hvp`` ``S + (n,)``.

Method: every derivative is a derivative along a line ``t -> f(x + t s)``, sampled at
``t = -K..K`` (and at one off-grid ``t``) and Richardson-extrapolated
(:mod:`calcml._stencils`); all the samples of a batch go to ``f`` in one call (in
chunks) when ``f`` is vectorised. Each line is checked (finite samples that behave like
a smooth function's); a line that fails is tried again at coarser and finer steps and
the step of least error estimate is kept, so the cost stays linear in the batch and
only hard points pay for more evaluations. Where no step passes, calcml warns with
:class:`UnreliableDerivativeWarning`.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ._points import (
    ARGS,
    CHUNK_FLOATS,
    Evaluator,
    Points,
    empty_output_shape,
    evaluate,
    make_evaluator,
    parse_points,
    to_batch,
)
from ._stencils import EPS, PROBE, assess, stencil, step_factor
from ._validate import (
    check_bool,
    check_callable,
    check_direction,
    check_int,
    check_scale,
    check_step,
    check_vector,
    check_vectorized,
    finite_array,
)

__all__ = [
    "Derivative",
    "UnreliableDerivativeWarning",
    "derivative",
    "directional",
    "grad",
    "hessian",
    "hvp",
    "jacobian",
    "jvp",
    "laplacian",
    "partial",
]


class Derivative(NamedTuple):
    """A derivative and an estimate of its absolute error (arrays of the same shape).

    ``error`` is the difference between the last two Richardson levels, plus round-off
    and the noise measured in the samples, at the step that passed the checks (see
    :func:`calcml._stencils.assess`), at least the difference from a neighbouring step.
    An estimate, not a bound, usually pessimistic; where no step passes the checks,
    calcml warns with :class:`UnreliableDerivativeWarning`.
    """

    value: Any
    error: Any


#: ``steps(b, p) -> (cols, amounts)``: the step vector of line ``p`` at point ``b``,
#: sparse: ``amounts[:, r]`` is added to coordinate ``cols[:, r]`` (both ``(lines, r)``).
Steps = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


# --------------------------------------------------------------------------- core


class UnreliableDerivativeWarning(RuntimeWarning):
    """calcml could not verify a derivative: its error estimate may be too small.

    Raised when, at every step tried, the samples of ``f`` along a line do not behave
    like those of a smooth function (a kink or jump inside the stencil, a function
    noisier than its float64 round-off, an oscillation faster than the smallest step
    that round-off allows). The value returned is the best one found.
    """


class StepRule(NamedTuple):
    """The first step: ``h_i = c * max(1, |x_i|)``, or ``c * scale_i`` when a scale is given."""

    c: float | None
    scale: np.ndarray | None

    def factor(self, order: int) -> float:
        return step_factor(order) if self.c is None else self.c

    def size(self, X: np.ndarray, order: int) -> np.ndarray:
        """Per-coordinate first steps, shape ``X.shape``."""
        if self.scale is None:
            return self.factor(order) * np.maximum(1.0, np.abs(X))
        if self.scale.size not in (1, X.shape[1]):
            raise ValueError(
                f"`scale` has {self.scale.size} entries but the point has n = {X.shape[1]} "
                "coordinates; pass one positive number, or one per coordinate."
            )
        return self.factor(order) * np.broadcast_to(self.scale, X.shape)


#: Finer steps tried for a line that fails its checks: the first step times 4^-j.
REFINE_RATIO = 4.0
#: Coarser steps tried too (for functions noisier than float64 round-off).
COARSER = (16.0, 4.0)
#: A refinement stops once round-off has made this many successive steps worse.
PATIENCE = 2
#: ... or when the step is below this many units of eps * |x|.
SMALLEST_STEP_ULPS = 64.0
#: ... and after this many finer steps in any case (4^-40: from 1e8 to below 1e-15).
MAX_REFINEMENTS = 40


def _steps(X: np.ndarray, order: int, rule: StepRule) -> np.ndarray:
    """Per-coordinate first steps of shape ``(N, n)`` (see :class:`StepRule`)."""
    return rule.size(X, order)


def _pair_steps(h: np.ndarray, first: np.ndarray, second: np.ndarray) -> Steps:
    """Step vectors ``h_i e_i + h_j e_j`` (``h_i e_i`` alone when ``i == j``) per line."""

    def steps(b: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i, j = first[p], second[p]
        cols = np.stack([i, j], axis=1)
        amounts = np.stack([h[b, i], np.where(i == j, 0.0, h[b, j])], axis=1)
        return cols, amounts

    return steps


def _dense_steps(h: np.ndarray, u: np.ndarray) -> Steps:
    """Step vectors ``h_b u`` along one direction ``u``."""

    def steps(b: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.broadcast_to(np.arange(u.size), (b.size, u.size)), h[b, None] * u

    return steps


def _dense(steps: tuple[np.ndarray, np.ndarray], n: int) -> np.ndarray:
    """Return the step vectors ``(lines, n)`` of sparse ``(cols, amounts)``."""
    cols, amounts = steps
    if cols.shape[1] == n and amounts.shape[1] == n and (cols[0] == np.arange(n)).all():
        return np.array(amounts, dtype=float)
    S = np.zeros((cols.shape[0], n))
    lines = np.arange(cols.shape[0])
    for r in range(cols.shape[1]):
        S[lines, cols[:, r]] += amounts[:, r]
    return S


class _Try(NamedTuple):
    """One step per line: the assessment (per unit ``t`` of the first step) and checks."""

    value: np.ndarray  # (L,) + out
    error: np.ndarray  # (L,) + out
    slope: np.ndarray  # (L,) + out
    ok: np.ndarray  # (L,) bool: finite and smooth
    coarse: np.ndarray  # (L,) bool: a finer step may do better (large truncation)
    finite: np.ndarray  # (L,) bool
    score: np.ndarray  # (L,) largest error over the outputs
    small: np.ndarray  # (L,) bool: the step is at the round-off limit of the arguments


@functools.lru_cache
def _sample_offsets(order: int) -> tuple[np.ndarray, int]:
    """Return the offsets a line samples (grid ``-K..K``, then ``PROBE``) and the centre."""
    offsets = np.append(stencil(order).offsets, PROBE)
    return offsets, int(np.flatnonzero(offsets == 0)[0])


def _try_step(F, X, steps, b, p, factor, f0, order, guard) -> _Try:
    """Sample lines ``(b, p)`` at ``factor`` times their first step and assess them.

    With ``guard``, a failure of ``f`` (an exception, nan) marks the line as not
    finite instead of raising (the exception is kept to be raised if no step works).
    """
    offsets, centre = _sample_offsets(order)
    moving = np.delete(np.arange(offsets.size), centre)
    n, out = X.shape[1], F.out_shape
    samples = np.empty((offsets.size, b.size) + out)  # samples first (see assess)
    samples[centre] = f0[b]
    argument, length = np.empty(b.size), np.empty(b.size)
    per_chunk = max(1, CHUNK_FLOATS // (moving.size * n))
    for start in range(0, b.size, per_chunk):
        part = slice(start, start + per_chunk)
        S = _dense(steps(b[part], p[part]), n) * factor[part, None]
        x = X[b[part]]
        length[part] = np.sqrt(np.einsum("ij,ij->i", S, S))
        argument[part] = ((S != 0) * np.abs(x)) @ np.ones(n)
        points = np.empty((x.shape[0], moving.size, n))
        np.multiply(offsets[moving][None, :, None], S[:, None, :], out=points)
        points += x[:, None, :]
        values = evaluate(F, points.reshape(-1, n), guard=guard, near=x)
        samples[moving, part] = np.moveaxis(values.reshape((-1, moving.size) + out), 1, 0)
    # steps below SMALLEST_STEP_ULPS units of the moved coordinates are lost to rounding
    small = length < SMALLEST_STEP_ULPS * EPS * np.maximum(1.0, argument)
    argument /= length
    finite = np.logical_and.reduce(np.isfinite(samples))
    if out:
        finite = finite.reshape(b.size, -1).all(axis=1)
    if not finite.all():
        samples[:, ~finite] = 0.0
    with np.errstate(all="ignore"):
        res = assess(samples, order, argument.reshape((-1,) + (1,) * len(out)), F.eps)
    power = factor.reshape((-1,) + (1,) * len(out)) ** order
    error = res.error / power
    smooth = res.smooth if not out else res.smooth.reshape(b.size, -1).all(axis=1)
    score = error if not out else error.reshape(b.size, -1).max(axis=1)
    return _Try(
        value=res.value / power,
        error=error,
        slope=res.slope / (power ** (1 / order)),
        ok=finite & smooth,
        coarse=res.coarse if not out else res.coarse.reshape(b.size, -1).any(axis=1),
        finite=finite,
        score=np.where(finite, score, np.inf),
        small=small,
    )


def _refine(F, X, steps, b, p, f0, order, first: _Try) -> tuple[_Try, np.ndarray]:
    """Try coarser and finer steps on lines that failed; keep each line's best.

    The best step is the one of smallest error estimate among the steps where the line
    passes its checks. Its estimate is raised to its difference from a neighbouring
    step that passes too, when that is larger. Returns the best tries and a mask of
    the lines that passed at no step (unreliable).
    """
    tries = [first]
    for coarse in sorted(COARSER):  # tries stay ordered by step, coarsest first
        tries.insert(0, _try_step(F, X, steps, b, p, np.full(b.size, coarse), f0, order, True))
    best_score = np.min([np.where(t.ok, t.score, np.inf) for t in tries], axis=0)
    active = np.ones(b.size, dtype=bool)
    worse = np.zeros(b.size, dtype=int)
    for j in range(1, MAX_REFINEMENTS + 1):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        factor = np.full(idx.size, REFINE_RATIO**-j)
        t = _try_step(F, X, steps, b[idx], p[idx], factor, f0, order, True)
        full = _expand(t, idx, b.size)
        tries.append(full)
        better = full.ok & (full.score < best_score)
        worse = np.where(better, 0, worse + (np.isfinite(best_score) & ~better))
        best_score = np.where(better, full.score, best_score)
        active &= (worse < PATIENCE) & ~full.small
    return _choose(tries)


def _expand(t: _Try, idx: np.ndarray, size: int) -> _Try:
    """Return a try on lines ``idx`` as one on all ``size`` lines (others not finite)."""

    def grow(a, fill):
        full = np.full((size,) + a.shape[1:], fill, dtype=a.dtype)
        full[idx] = a
        return full

    return _Try(
        value=grow(t.value, np.nan),
        error=grow(t.error, np.inf),
        slope=grow(t.slope, np.nan),
        ok=grow(t.ok, False),
        coarse=grow(t.coarse, False),
        finite=grow(t.finite, False),
        score=grow(t.score, np.inf),
        small=grow(t.small, True),
    )


def _choose(tries: list[_Try]) -> tuple[_Try, np.ndarray]:
    """Per line, the try of least error among those that pass (else among the finite)."""
    ok = np.stack([t.ok for t in tries])
    score = np.stack([t.score for t in tries])
    passed = ok.any(axis=0)
    pick = np.argmin(np.where(ok | ~passed, score, np.inf), axis=0)
    lines = np.arange(pick.size)
    value = np.stack([t.value for t in tries])
    error = np.stack([t.error for t in tries])
    chosen = value[pick, lines]
    # the estimate is at least the difference from a neighbouring step that passes
    gap = np.full(chosen.shape, np.inf)
    for shift in (-1, 1):
        nb = np.clip(pick + shift, 0, len(tries) - 1)
        usable = (ok[nb, lines] & (nb != pick)).reshape((-1,) + (1,) * (chosen.ndim - 1))
        gap = np.where(usable, np.minimum(gap, np.abs(chosen - value[nb, lines])), gap)
    best_error = error[pick, lines]
    best_error = np.where(np.isfinite(gap), np.maximum(best_error, gap), best_error)
    slope = np.stack([t.slope for t in tries])[pick, lines]
    finite = np.stack([t.finite for t in tries])[pick, lines]
    best = _Try(
        chosen,
        best_error,
        slope,
        ok[pick, lines],
        ~ok[pick, lines],
        finite,
        score[pick, lines],
        passed,
    )
    return best, ~passed


class Lines(NamedTuple):
    """Derivatives along lines, per unit ``t`` of the first steps, ``(N, n_dirs) + out``."""

    value: np.ndarray
    error: np.ndarray
    slope: np.ndarray


def _along_lines(
    F: Evaluator, X: np.ndarray, steps: Steps, n_dirs: int, order: int, rule: StepRule
) -> Lines:
    """``d^order/dt^order f(x_b + t s_bp)`` at ``t = 0`` for every point and direction.

    The first step ``s_bp`` is tried for every line (all samples of a batch go to
    ``f`` together, at most ``CHUNK_FLOATS`` coordinates per call). Lines whose samples
    fail the checks of :func:`~calcml._stencils.assess` (not finite, not smooth) are
    tried again at coarser and finer steps (:func:`_refine`), and so are lines whose
    truncation estimate is large (``COARSE_TOLERANCE``) unless ``rule`` is the user's.
    Lines that pass at no step are reported in ``F.unreliable`` (the caller warns).
    """
    N = X.shape[0]
    shape = (N, n_dirs) + F.out_shape
    if N == 0:
        return Lines(np.empty(shape), np.empty(shape), np.empty(shape))
    b, p = np.divmod(np.arange(N * n_dirs), n_dirs)
    f0 = evaluate(F, X)
    first = _try_step(F, X, steps, b, p, np.ones(b.size), f0, order, True)
    retry = ~first.ok
    if rule.c is None and rule.scale is None:  # a step the user chose is kept if it passes
        retry |= first.coarse
    if retry.any():
        idx = np.flatnonzero(retry)
        sub = _Try(*(a[idx] for a in first))
        best, unreliable = _refine(F, X, steps, b[idx], p[idx], f0, order, sub)
        first = _Try(*(a.copy() for a in first))
        for name in ("value", "error", "slope"):
            getattr(first, name)[idx] = getattr(best, name)
        if not best.finite.all():
            x = X[b[idx[np.argmin(best.finite)]]]
            if F.failures:
                err, near = F.failures[0]
                err.add_note(
                    f"calcml: raised by `f` at a stencil point x + k h near the point "
                    f"{near.tolist()} that was passed (a derivative evaluates `f` around each "
                    "point); no step avoided it. Check `f` is defined around that point."
                )
                raise err
            raise ValueError(
                f"`f` returned nan or inf at points sampled near the point {x.tolist()} at "
                "every step tried; the derivative is not defined there. Check the point is "
                "inside the domain of `f` (not on its edge)."
            )
        if unreliable.any():
            F.unreliable.extend(np.unique(b[idx[unreliable]]).tolist())
    return Lines(*(a.reshape(shape) for a in (first.value, first.error, first.slope)))


def _trailing(a: np.ndarray, F: Evaluator) -> np.ndarray:
    """Return ``a`` with one axis added per output axis of ``F`` (for broadcasting)."""
    return a.reshape(a.shape + (1,) * len(F.out_shape))


def _first_partials(F, X, rule):
    """All first partials, shape ``(N, n) + out`` (value, error)."""
    h = _trailing(_steps(X, 1, rule), F)
    axes = np.arange(X.shape[1])
    lines = _along_lines(F, X, _pair_steps(h.reshape(X.shape), axes, axes), X.shape[1], 1, rule)
    return lines.value / h, lines.error / h


def _second_partials(F, X, rule, mixed=True):
    """Hessians ``(N, n, n)`` (or only their diagonals ``(N, n)``), value and error.

    A mixed partial comes from the second derivative along ``h_i e_i + h_j e_j``:
    ``q_ij = h_i^2 H_ii + 2 h_i h_j H_ij + h_j^2 H_jj``.
    """
    n = X.shape[1]
    h = _steps(X, 2, rule)
    first, second = np.triu_indices(n) if mixed else (np.arange(n), np.arange(n))
    lines = _along_lines(F, X, _pair_steps(h, first, second), first.size, 2, rule)
    diag = first == second
    q, q_err = lines.value, lines.error
    if not mixed:
        return q / h**2, q_err / h**2
    i, j = first[~diag], second[~diag]
    hi, hj = h[:, i], h[:, j]
    H, E = np.empty((X.shape[0], n, n)), np.empty((X.shape[0], n, n))
    H[:, first[diag], first[diag]] = q[:, diag] / h**2
    E[:, first[diag], first[diag]] = q_err[:, diag] / h**2
    qd, ed = q[:, diag], q_err[:, diag]
    H[:, i, j] = H[:, j, i] = (q[:, ~diag] - qd[:, i] - qd[:, j]) / (2 * hi * hj)
    E[:, i, j] = E[:, j, i] = (q_err[:, ~diag] + ed[:, i] + ed[:, j]) / (2 * hi * hj)
    return H, E


def _single_line(F, X, steps, h, order, rule):
    """Return the derivative along one line per point: value, error, ``(N,) + out``."""
    lines = _along_lines(F, X, steps, 1, order, rule)
    scale = _trailing(h, F) ** order
    return lines.value[:, 0] / scale, lines.error[:, 0] / scale


# --------------------------------------------------------------------------- transforms


def _require_scalar(F: Evaluator, name: str, instead: str) -> None:
    if F.out_shape != ():
        raise ValueError(
            f"{name} needs a scalar-valued `f`; it returned shape {F.out_shape} at a point. "
            f"{instead}"
        )


def _apply(f, points, compute, vectorized, rule, known, name):
    """Evaluate ``compute(F, X, rule) -> (value, error)`` at parsed points."""
    key = (points.form, points.X.shape[1])
    if points.X.shape[0] == 0:  # an empty batch: shapes from a call of f at no point
        F = Evaluator(None, empty_output_shape(f, points), bool(vectorized), [], 0.0, [])
        value, err = compute(F, points.X, rule)
        return Derivative(to_batch(value, points.batch_shape), to_batch(err, points.batch_shape))
    probe_step = np.minimum(_steps(points.X[:1], 1, rule)[0], step_factor(1) * 4)
    F = make_evaluator(f, points, probe_step, known.get(key, vectorized))
    known[key] = F.vectorized
    value, err = compute(F, points.X, rule)
    if F.unreliable:
        _warn_unreliable(name, points.X, F.unreliable)
    return Derivative(to_batch(value, points.batch_shape), to_batch(err, points.batch_shape))


def _warn_unreliable(name: str, X: np.ndarray, rows: list[int]) -> None:
    rows = sorted(set(rows))
    warnings.warn(
        f"calcml.{name}: at {len(rows)} of {X.shape[0]} points (first: {X[rows[0]].tolist()}) "
        "f does not behave like a smooth function at any step tried (a kink or jump "
        "nearby, noise above float64 round-off, or an oscillation too fast to resolve); "
        "the value is the best found and its error estimate may be too small.",
        UnreliableDerivativeWarning,
        stacklevel=4,
    )


def _transform(f, compute, name, error, vectorized, step, scale):
    """Wrap ``compute(F, X, rule) -> (value, error)`` as a function of ``f``'s arguments."""
    f = check_callable(f)
    error = check_bool(error, "error")
    vectorized = check_vectorized(vectorized)
    rule = StepRule(check_step(step), check_scale(scale))
    known = {}  # vectorisation found by the probe, per call form and n

    @functools.wraps(f)
    def df(*args):
        result = _apply(f, parse_points(args), compute, vectorized, rule, known, name)
        return result if error else result.value

    df.__doc__ = f"The {name} of {getattr(f, '__name__', 'f')} (made by calcml.{name})."
    return df


def grad(
    f: Callable,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the gradient of a scalar function, as a function of the same arguments.

    Parameters
    ----------
    f : callable
        Scalar-valued, written either ``f(x, y, ...)`` (one argument per coordinate)
        or ``f(p)`` (one array whose last axis holds the coordinates).
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (steps are ``c * max(1, |x_i|)``); ``None`` picks ``c``
        from machine epsilon.
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df(x, y, ...)`` or ``df(p)`` giving an array of shape ``S + (n,)``.

    Notes
    -----
    Each partial is a central difference Richardson-extrapolated over the steps
    ``h, 2h, 3h`` (a 6th-order stencil). ``error`` is the difference from the
    4th-order level plus round-off and measured noise: an estimate, usually
    pessimistic. A partial whose samples fail the checks (not finite, not smooth at
    this step) is recomputed at coarser and finer steps; if none passes, calcml warns
    with :class:`UnreliableDerivativeWarning`.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> df = calcml.grad(lambda x, y, z: x * y * z)
    >>> np.round(df(1.0, 2.0, 3.0), 12)
    array([6., 3., 2.])
    >>> g = calcml.grad(lambda p: np.sum(p**2, axis=-1))  # one array argument
    >>> np.round(g(np.array([[1.0, 2.0], [3.0, 4.0]])), 12)  # a batch of 2 points
    array([[2., 4.],
           [6., 8.]])
    >>> res = calcml.grad(lambda x, y: np.sin(x) * y, error=True)(0.5, 2.0)
    >>> res.value - [2 * np.cos(0.5), np.sin(0.5)]  # true error  # doctest: +SKIP
    >>> bool(np.all(np.abs(res.value - [2 * np.cos(0.5), np.sin(0.5)]) <= res.error))
    True
    """

    def compute(F, X, rule):
        _require_scalar(F, "grad", "Use calcml.jacobian for vector-valued functions.")
        return _first_partials(F, X, rule)

    return _transform(f, compute, "grad", error, vectorized, step, scale)


def jacobian(
    f: Callable,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the Jacobian of a function, as a function of the same arguments.

    Parameters
    ----------
    f : callable
        Returns ``m`` components (for ``f(x, y, ...)``: a list or an array whose
        first axis is ``m``; for ``f(p)``: shape ``(m,)`` at a point) or a scalar.
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (steps are ``c * max(1, |x_i|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df`` giving shape ``S + (m, n)``: row ``i`` is the gradient of component
        ``i``. For a scalar ``f`` the ``m`` axis is absent (``S + (n,)``, as ``grad``).

    Examples
    --------
    >>> import calcml
    >>> J = calcml.jacobian(lambda x, y: [x**2 + y, x * y])
    >>> np.round(J(1.0, 2.0), 12)
    array([[2., 1.],
           [2., 1.]])
    """

    def compute(F, X, rule):
        value, err = _first_partials(F, X, rule)
        return np.moveaxis(value, 1, -1), np.moveaxis(err, 1, -1)

    return _transform(f, compute, "jacobian", error, vectorized, step, scale)


def hessian(
    f: Callable,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the Hessian of a scalar function, as a function of the same arguments.

    Parameters
    ----------
    f : callable
        Scalar-valued, ``f(x, y, ...)`` or ``f(p)``.
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (steps are ``c * max(1, |x_i|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df`` giving symmetric matrices of shape ``S + (n, n)``.

    Notes
    -----
    Diagonal entries are second differences along ``e_i``; a mixed partial comes from
    the second difference along ``h_i e_i + h_j e_j`` minus the two diagonal terms, so
    it costs 7 evaluations per pair (a 4-point cross stencil costs 12 at the same
    order). Each second difference is Richardson-extrapolated over the steps ``h, 2h,
    3h`` (6th order); ``error`` adds the difference from the 4th-order level.

    Examples
    --------
    >>> import calcml
    >>> H = calcml.hessian(lambda x, y: x**2 - y**2)
    >>> np.round(H(0.0, 0.0), 9)
    array([[ 2.,  0.],
           [ 0., -2.]])
    """

    def compute(F, X, rule):
        _require_scalar(F, "hessian", "Differentiate each component separately.")
        return _second_partials(F, X, rule)

    return _transform(f, compute, "hessian", error, vectorized, step, scale)


def laplacian(
    f: Callable,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the Laplacian (trace of the Hessian), as a function of the same arguments.

    Parameters
    ----------
    f : callable
        Scalar-valued, ``f(x, y, ...)`` or ``f(p)``.
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (steps are ``c * max(1, |x_i|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df`` giving shape ``S``. Only the ``n`` diagonal second differences are
        computed (``2 K n + 1`` evaluations per point, not the whole Hessian).

    Examples
    --------
    >>> import calcml
    >>> lap = calcml.laplacian(lambda x, y: x**2 + y**2)
    >>> np.round(lap([0.0, 1.0], [0.0, 1.0]), 9)
    array([4., 4.])
    """

    def compute(F, X, rule):
        _require_scalar(F, "laplacian", "Differentiate each component separately.")
        diag, err = _second_partials(F, X, rule, mixed=False)
        return diag.sum(axis=1), err.sum(axis=1)

    return _transform(f, compute, "laplacian", error, vectorized, step, scale)


def directional(
    f: Callable,
    v: Any,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the derivative along the unit vector ``v / |v|``.

    Parameters
    ----------
    f : callable
        ``f(x, y, ...)`` or ``f(p)``; scalar or ``m`` components.
    v : array_like, shape (n,)
        Direction, nonzero; it is normalised to unit length.
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (the step along ``v`` is ``c * max(1, max_i |x_i|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df`` giving ``grad f . v / |v|``, shape ``S`` (``S + (m,)`` for ``m``
        outputs), from ``2 K`` evaluations per point along the line.

    Examples
    --------
    >>> import calcml
    >>> d = calcml.directional(lambda x, y: x**2 + y**2, [1.0, 1.0])
    >>> round(float(d(1.0, 2.0)), 10)  # (2, 4) . (1, 1) / sqrt(2)
    4.2426406871
    """
    u = check_direction(v)

    def compute(F, X, rule):
        _check_length(u, X)
        h = _line_step(X, u, 1, rule)
        return _single_line(F, X, _dense_steps(h, u), h, 1, rule)

    return _transform(f, compute, "directional", error, vectorized, step, scale)


def _line_step(X: np.ndarray, u: np.ndarray, order: int, rule: StepRule) -> np.ndarray:
    """Return the first step along ``u``.

    It is the largest (with a scale: the smallest) step of the coordinates ``u`` moves.
    """
    h = _steps(X, order, rule)
    if rule.scale is None:
        return np.max(h * (u != 0), axis=1)
    return np.min(np.where(u != 0, h, np.inf), axis=1)


def _check_length(u: np.ndarray, X: np.ndarray) -> None:
    if X.shape[1] != u.size:
        raise ValueError(
            f"wrong number of coordinates: `v` has {u.size} components but the point "
            f"has n = {X.shape[1]} coordinates."
        )


def jvp(
    f: Callable,
    v: Any,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the Jacobian-vector product ``x -> J_f(x) v`` (``grad f(x) . v`` for scalar f).

    Unlike :func:`directional`, ``v`` is not normalised: the result is linear in ``v``
    (``jvp(f, 2 v) = 2 jvp(f, v)``, and ``v = 0`` gives 0).

    Parameters
    ----------
    f : callable
        ``f(x, y, ...)`` or ``f(p)``; scalar or ``m`` components.
    v : array_like, shape (n,)
        The vector (any length, zero allowed).
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (the step along ``v / |v|`` is ``c * max(1, max_i |x_i|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df`` giving shape ``S`` (``S + (m,)`` for ``m`` outputs): ``|v|`` times the
        derivative along the unit vector ``v / |v|``, from ``2 K`` evaluations per point.

    Examples
    --------
    >>> import calcml
    >>> f = lambda x, y: x**2 * y
    >>> round(float(calcml.jvp(f, [3.0, 4.0])(1.0, 2.0)), 10)  # (4, 1) . (3, 4)
    16.0
    >>> J = calcml.jvp(lambda x, y: [x * y, x + y], [1.0, 2.0])
    >>> np.round(J(1.0, 2.0), 10)  # [[2, 1], [1, 1]] @ [1, 2]
    array([4., 3.])
    """
    u, norm = check_vector(v)

    def compute(F, X, rule):
        _check_length(u, X)
        if norm == 0:
            zero = np.zeros((X.shape[0],) + F.out_shape)
            return zero, zero.copy()
        h = _line_step(X, u, 1, rule)
        value, err = _single_line(F, X, _dense_steps(h, u), h, 1, rule)
        return value * norm, err * norm

    return _transform(f, compute, "jvp", error, vectorized, step, scale)


def _hvp_lines(F, X, u, rule):
    """``H u`` for a unit ``u`` from second differences along ``e_i``, ``u`` and ``e_i + u``.

    With steps ``h_i`` along ``e_i`` and ``g`` along ``u``, the second difference along
    ``h_i e_i + g u`` is ``q_i = h_i^2 H_ii + 2 h_i g (H u)_i + g^2 u.H u``, so
    ``(H u)_i = (q_i - h_i^2 H_ii - g^2 u.H u) / (2 h_i g)``: ``2 n + 1`` lines.
    """
    N, n = X.shape
    h = _steps(X, 2, rule)
    g = _line_step(X, u, 2, rule)
    amounts = np.zeros((N, 2 * n + 1, n))
    axes = np.arange(n)
    amounts[:, axes, axes] = h
    amounts[:, n + axes, :] = g[:, None, None] * u
    amounts[:, n + axes, axes] += h
    amounts[:, 2 * n, :] = g[:, None] * u

    def steps(b, p):
        return np.broadcast_to(axes, (b.size, n)), amounts[b, p]

    lines = _along_lines(F, X, steps, 2 * n + 1, 2, rule)
    q, q_err = lines.value, lines.error
    diag, mixed, along = q[:, :n], q[:, n:-1], q[:, -1:]
    e_diag, e_mixed, e_along = q_err[:, :n], q_err[:, n:-1], q_err[:, -1:]
    denominator = 2 * h * g[:, None]
    return (mixed - diag - along) / denominator, (e_mixed + e_diag + e_along) / denominator


def hvp(
    f: Callable,
    v: Any,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the Hessian-vector product ``x -> H_f(x) v`` of a scalar function.

    The Hessian is never formed: ``H v`` comes from ``2 n + 1`` second differences
    (along each ``e_i``, along ``v`` and along each ``e_i + v``, scaled by their steps),
    ``O(n)`` evaluations per point instead of the Hessian's ``O(n^2)``. The result is
    linear in ``v`` (``v = 0`` gives 0).

    Parameters
    ----------
    f : callable
        Scalar-valued, ``f(x, y, ...)`` or ``f(p)``.
    v : array_like, shape (n,)
        The vector (any length, zero allowed).
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (steps are ``c * max(1, |x_i|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df`` giving shape ``S + (n,)``.

    Notes
    -----
    With steps ``h_i`` along ``e_i`` and ``g`` along the unit vector ``u = v / |v|``,
    the second difference along ``h_i e_i + g u`` is
    ``h_i^2 H_ii + 2 h_i g (H u)_i + g^2 u.H u``; subtracting the two pure terms
    leaves ``(H u)_i``. Each second difference is Richardson-extrapolated like
    :func:`hessian`'s, and ``error`` sums the estimates of the three terms.

    Examples
    --------
    >>> import calcml
    >>> f = lambda x, y: x**2 * y + y**3  # H = [[2y, 2x], [2x, 6y]]
    >>> np.round(calcml.hvp(f, [1.0, 2.0])(1.0, 1.0), 8)  # [[2, 2], [2, 6]] @ [1, 2]
    array([ 6., 14.])
    """
    u, norm = check_vector(v)

    def compute(F, X, rule):
        _require_scalar(F, "hvp", "Differentiate each component separately.")
        _check_length(u, X)
        if norm == 0:
            zero = np.zeros(X.shape)
            return zero, zero.copy()
        value, err = _hvp_lines(F, X, u, rule)
        return value * norm, err * norm

    return _transform(f, compute, "hvp", error, vectorized, step, scale)


def partial(
    f: Callable,
    i: int,
    order: int = 1,
    *,
    error: bool = False,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Callable:
    """Return the partial derivative of order ``order`` with respect to coordinate ``i``.

    Parameters
    ----------
    f : callable
        ``f(x, y, ...)`` or ``f(p)``; scalar or ``m`` components.
    i : int
        Index of the coordinate (0-based), ``0 <= i < n``.
    order : int, default: 1
        Order of the derivative, at least 1.
    error : bool, default: False
        If True, the returned function gives a :class:`Derivative` ``(value, error)``.
    vectorized : bool or None, default: None
        Whether ``f`` accepts a batch of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (steps are ``c * max(1, |x_i|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    callable
        ``df`` giving shape ``S`` (``S + (m,)`` for ``m`` outputs).

    Examples
    --------
    >>> import calcml
    >>> f = lambda x, y: x**2 + x * y + y**2
    >>> fx, fy = calcml.partial(f, 0), calcml.partial(f, 1)
    >>> round(float(fx(1.0, 2.0)), 10), round(float(fy(1.0, 2.0)), 10)
    (4.0, 5.0)
    >>> round(float(calcml.partial(f, 1, order=2)(1.0, 2.0)), 8)
    2.0
    """
    i = check_int(i, "i", 0)
    order = check_int(order, "order", 1)
    return _transform(f, _partial_compute(i, order), "partial", error, vectorized, step, scale)


def _partial_compute(i: int, order: int):
    """Return the ``compute`` of :func:`partial`: the ``order``-th derivative along ``e_i``."""

    def compute(F, X, rule):
        if i >= X.shape[1]:
            raise ValueError(
                f"`i` = {i} is out of range: the point has n = {X.shape[1]} coordinates "
                f"(valid: 0..{X.shape[1] - 1})."
            )
        h = _steps(X, order, rule)[:, i]
        steps = np.zeros_like(X)
        steps[:, i] = h
        line = _pair_steps(steps, np.array([i]), np.array([i]))
        return _single_line(F, X, line, h, order, rule)

    return compute


def derivative(
    f: Callable,
    x: Any,
    *,
    order: int = 1,
    vectorized: bool | None = None,
    step: float | None = None,
    scale: Any = None,
) -> Derivative:
    """Differentiate a function of one variable, elementwise, with an error estimate.

    Parameters
    ----------
    f : callable
        ``f(x)`` of one real variable; scalar or ``m`` components (first axis).
    x : array_like
        Points, any shape; the derivative is taken at each element.
    order : int, default: 1
        Order of the derivative, at least 1.
    vectorized : bool or None, default: None
        Whether ``f`` accepts an array of points; ``None`` detects it with a probe.
    step : float or None, default: None
        Relative first step ``c`` (steps are ``c * max(1, |x|)``).
    scale : float or array_like of shape (n,), optional
        The distance over which ``f`` changes, if known (one number, or one per
        coordinate): the first step becomes ``c * scale`` instead of ``c * max(1, |x|)``.
        Without it, steps that fail the checks are refined automatically.

    Returns
    -------
    Derivative
        ``value`` and ``error`` of shape ``x.shape`` (``x.shape + (m,)``); ``error``
        is an estimate of the absolute error, not a bound.

    See Also
    --------
    scipy.differentiate.derivative : adaptive, with tolerances and status codes.

    Notes
    -----
    A central difference Richardson-extrapolated over the steps ``h..Kh``, plus one
    off-grid sample that checks the grid did not alias an oscillation: ``2K + 1``
    evaluations per point, all in one call of ``f`` when it is vectorised. Points whose
    samples fail the checks (kinks, noise, aliasing, the edge of the domain) are
    recomputed at coarser and finer steps (the step of least error estimate is kept);
    only they cost more. If no step passes, calcml warns with
    :class:`UnreliableDerivativeWarning`.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> res = calcml.derivative(np.exp, 1.0)
    >>> round(float(res.value), 12)
    2.718281828459
    >>> bool(abs(res.value - np.e) <= res.error)  # the estimate covers the true error
    True
    >>> second = calcml.derivative(np.sin, [0.5, 1.0], order=2)  # -sin x
    >>> bool(np.all(np.abs(second.value + np.sin([0.5, 1.0])) < 1e-9))
    True
    """
    f = check_callable(f)
    x = finite_array(x, "x")
    compute = _partial_compute(0, check_int(order, "order", 1))
    points = Points(x.reshape(-1, 1), x.shape, ARGS)
    rule = StepRule(check_step(step), check_scale(scale))
    return _apply(f, points, compute, check_vectorized(vectorized), rule, {}, "derivative")
