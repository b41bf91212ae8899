"""Finite-difference stencils, step sizes and Richardson extrapolation (private).

Every derivative in :mod:`calcml.transforms` is a derivative along a line,
``d^order/dt^order f(x + t s)`` at ``t = 0`` for a step vector ``s``, computed from
``f`` sampled at ``x + k s`` for the integer offsets ``k = -K, ..., K``.

The central difference with step ``k`` (``k = 1, ..., K``) has an error series in even
powers of ``k``; Richardson extrapolation of the ``K`` central differences to step zero
cancels the first ``K - 1`` terms of that series. The extrapolated value is a linear
combination of the samples, the central stencil of the highest order on the offsets
``-K..K``, so it is computed here once, exactly, in rational arithmetic.
The previous Richardson level (offsets ``-(K-1)..K-1``) gives the error estimate.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import comb, factorial
from typing import NamedTuple

import numpy as np

EPS = np.finfo(float).eps
TINY = np.finfo(float).smallest_subnormal

#: Richardson levels used for each derivative order (offsets ``-K..K``).
LEVELS = {1: 3, 2: 3}

#: Step factor ``c`` of ``h = c * max(1, |x|)`` for each derivative order, chosen by
#: measurement (``benchmarks/bench_functions.py``) to balance truncation and round-off
#: at the default number of levels.
STEP_FACTORS = {1: 2.0**-8, 2: 2.0**-5}

#: An off-grid offset where ``f`` is sampled too: a sample that the polynomial through
#: the grid samples fails to predict reveals aliasing (an oscillation that the grid
#: ``-K..K`` sees as a slow one). Irrational, so no frequency aliases on both.
PROBE = (5**0.5 - 1) / 2

#: A line whose truncation estimate exceeds this fraction of its value (and its
#: round-off) is tried at finer steps too, even if it passes the checks.
COARSE_TOLERANCE = 1e-5

#: Rounding a moved coordinate ``x + k h`` changes it by at most half a unit of
#: ``eps * |x|``: the round-off term counts this many (4x that, for safety).
ARGUMENT_ULPS = 2.0

#: Noise in ``f`` up to this many units of ``eps * |f|`` is taken as round-off by the
#: smoothness check (its size enters the error estimate as measured noise).
NOISE_ULPS = 1024.0

#: Safety factor on the round-off term of the error estimate: the error of evaluating
#: ``f`` is taken to be this many units of ``eps * |f|``.
ROUNDOFF_ULPS = 16.0


class Stencil(NamedTuple):
    """A central stencil: ``d^order f / dt^order ~ weights @ f(x + offsets * t)``."""

    offsets: np.ndarray
    weights: np.ndarray
    lower: np.ndarray
    slope: np.ndarray  # first derivative on the same offsets
    probe: np.ndarray  # interpolation weights at the off-grid offset PROBE


def levels(order: int) -> int:
    """Return the number of Richardson levels ``K`` used for a derivative order."""
    return LEVELS.get(order, order // 2 + 3)


def step_factor(order: int) -> float:
    """Return the step factor ``c`` (``h = c * max(1, |x|)``) for a derivative order."""
    return STEP_FACTORS.get(order, EPS ** (1.0 / (order + 2 * levels(order))))


def base_step(x: np.ndarray, order: int) -> np.ndarray:
    """Return the step ``h = c * max(1, |x|)`` for each coordinate of ``x``."""
    return step_factor(order) * np.maximum(1.0, np.abs(x))


def _solve_exact(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Solve a small nonsingular linear system exactly (Gauss-Jordan on fractions)."""
    size = len(rhs)
    rows = [list(row) + [value] for row, value in zip(matrix, rhs, strict=True)]
    for col in range(size):
        pivot = next(r for r in range(col, size) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(size):
            if r != col and rows[r][col] != 0:
                ratio = rows[r][col] / rows[col][col]
                rows[r] = [a - ratio * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[r][size] / rows[r][r] for r in range(size)]


def _weights(order: int, offsets: tuple[int, ...]) -> list[Fraction]:
    """Exact weights of the highest-order difference formula on ``offsets``."""
    matrix = [[Fraction(k) ** p for k in offsets] for p in range(len(offsets))]
    rhs = [Fraction(factorial(order) if p == order else 0) for p in range(len(offsets))]
    return _solve_exact(matrix, rhs)


def _offsets(order: int, half_width: int) -> tuple[int, ...]:
    """Return the offsets ``-K..K``, centre included (weight zero for odd orders).

    The centre sample is needed by the smoothness check of :func:`assess`.
    """
    return tuple(range(-half_width, half_width + 1))


@lru_cache
def stencil(order: int, half_width: int | None = None) -> Stencil:
    """Return the extrapolated central stencil and the one of the previous level.

    Parameters
    ----------
    order : int
        Derivative order, at least 1.
    half_width : int, optional
        Number of Richardson levels ``K``; default :func:`levels` ``(order)``.

    Returns
    -------
    Stencil
        ``offsets`` (integers ``-K..K``), ``weights`` (the value), ``lower`` (the
        previous level, zero at ``+-K``) and ``slope`` (the first derivative), all
        applied as ``weights @ samples``.
    """
    half_width = levels(order) if half_width is None else half_width
    offsets = _offsets(order, half_width)
    inner = _offsets(order, half_width - 1)
    lower = dict(zip(inner, _weights(order, inner), strict=True))
    return Stencil(
        offsets=np.array(offsets, dtype=float),
        weights=np.array([float(w) for w in _weights(order, offsets)]),
        lower=np.array([float(lower.get(k, 0)) for k in offsets]),
        slope=np.array([float(w) for w in _weights(1, offsets)]),
        probe=_lagrange(offsets, PROBE),
    )


def _lagrange(offsets: tuple[int, ...], t: float) -> np.ndarray:
    """Weights of the polynomial interpolating at ``offsets``, evaluated at ``t``."""
    nodes = np.array(offsets, dtype=float)
    weights = np.ones(nodes.size)
    for k, node in enumerate(nodes):
        others = np.delete(nodes, k)
        weights[k] = np.prod((t - others) / (node - others))
    return weights


#: A line passes the smoothness check when its highest differences are at most this
#: fraction of the lower ones (see :func:`assess`).
SMOOTH_RATIO = 0.25


class Assessment(NamedTuple):
    """A derivative along lines (per unit ``t``), its error estimate and its checks."""

    value: np.ndarray  # the extrapolated derivative
    error: np.ndarray  # truncation + round-off + measured noise, per unit t
    slope: np.ndarray  # first derivative along the line, from the same samples
    smooth: np.ndarray  # bool: the samples behave like a smooth function at this step
    coarse: np.ndarray  # bool: truncation above COARSE_TOLERANCE |value|: try finer steps


@lru_cache
def _assessment_matrix(order: int) -> tuple[np.ndarray, float, float, float, float]:
    """Return ``M``: ``samples @ M`` gives every quantity :func:`assess` needs.

    Per line, in one product: the value, the truncation (value minus the previous
    level), the slope, the probe miss, then for each ``k = 1..2K`` the two most
    central ``k``-th differences of the grid samples (the same one twice when a single
    one is central). Also returns ``sum |weights|``, ``|weights|_2``, the noise
    gain of the top difference and the noise gain of the probe miss (with a margin).
    """
    st = stencil(order)
    size = st.offsets.size
    columns = [st.weights, st.weights - st.lower, st.slope, -st.probe]
    grid = np.eye(size)
    for k in range(1, size):
        grid = np.diff(grid, axis=1)
        middle = (size - k - 1) / 2
        columns += [grid[:, int(np.floor(middle))], grid[:, int(np.ceil(middle))]]
    M = np.vstack([np.stack(columns, axis=1), np.zeros(len(columns))])
    M[-1, 3] = 1.0  # the probe sample
    gain = float(np.sqrt(comb_central(size - 1)))
    probe_gain = 4 * (float(np.sum(np.abs(st.probe))) + 1)
    amplification = float(np.sum(np.abs(st.weights)))
    return M, amplification, float(np.linalg.norm(st.weights)), gain, probe_gain


def assess(samples: np.ndarray, order: int, argument: np.ndarray, eps: float = EPS) -> Assessment:
    """Return the derivative along lines from samples at ``-K..K``, with checks.

    Parameters
    ----------
    samples : ndarray
        ``f(x + k s)`` for the offsets of :func:`stencil` ``(order)``, then
        ``f(x + PROBE s)``, along the FIRST axis (the lines follow).
    order : int
        Derivative order.
    argument : ndarray
        Broadcasts against ``samples[0]``: ``sum |x_i|`` over the coordinates
        the line moves, divided by ``|s|``; rounding these coordinates changes ``f``
        by about ``eps * argument * |slope|``.
    eps : float, default: float64's
        Machine epsilon of the values of ``f`` (float32's for a float32 ``f``).

    Returns
    -------
    Assessment
        The error estimate adds three terms (all per unit ``t``): the difference from
        the previous Richardson level (truncation), ``ROUNDOFF_ULPS`` units of
        ``eps * (|f| + argument * |slope|)`` amplified by the stencil (round-off of a
        function exact to ``eps``), and the noise measured in the samples (their
        highest difference over its noise gain, in the measure that it does not decay
        like a smooth function's), which covers functions less exact than their
        ``eps`` says (cancellation).

    Notes
    -----
    The smoothness check: for a smooth ``f`` and a step well below its scale, the
    central ``k``-th differences of the samples shrink like ``h^k f^(k)``; for samples that
    alias a fast oscillation, straddle a kink or are dominated by noise they do not
    (differences of noise grow like ``2^k``; those of a kink do not vanish). A line is
    smooth when each pair ``|diff^(2j+1)| + |diff^(2j+2)|`` is at most
    ``SMOOTH_RATIO`` times the pair below, up to the round-off floor, or when the top
    pair is at the round-off floor (a polynomial of degree below ``2K - 1``, such as
    ``x^4`` at 0, whose differences need not decay but which the stencil differentiates
    exactly), and when the polynomial through the grid samples
    predicts the sample at the off-grid offset ``PROBE`` within ``SMOOTH_RATIO`` times
    the highest pair (a grid can alias a fast oscillation to a smooth-looking one; the
    off-grid sample cannot follow).
    """
    M, amplification, rms_gain, gain, probe_gain = _assessment_matrix(order)
    # samples first: every quantity below is a row, and reductions over the few samples
    # run along the contiguous first axis (fast in numpy)
    R = np.tensordot(M.T, samples, axes=1)
    A = np.abs(R)
    value, slope, truncation, miss = R[0], R[2], A[1], A[3]
    a = np.maximum(A[4::2], A[5::2])  # a_k, k = 1..2K: the central k-th differences
    pairs = a[0::2] + a[1::2]
    top = a[-1]
    fmax = np.maximum.reduce(np.abs(samples[:-1]))
    ulp = (
        ROUNDOFF_ULPS * (eps * fmax + TINY)  # TINY: values near underflow are quantised
        + ARGUMENT_ULPS * EPS * argument * A[2]
    )
    # the part of the top difference that does not decay like a smooth f's is noise
    decay = np.divide(pairs[-1], pairs[-2], out=np.zeros_like(top), where=pairs[-2] > 0)
    noise = top / gain * np.minimum(1.0, decay / SMOOTH_RATIO)
    error = truncation + amplification * ulp + rms_gain * noise
    # differences at the noise level pass the checks, for noise up to NOISE_ULPS units
    # (sums of many terms round more than ROUNDOFF_ULPS units; kinks are far above)
    level = np.maximum(ulp, np.minimum(top / gain, NOISE_ULPS * eps * fmax))
    floors = 4.0 ** np.arange(2, pairs.shape[0] + 1).reshape((-1,) + (1,) * top.ndim) * level
    smooth = np.logical_and.reduce(pairs[1:] <= SMOOTH_RATIO * pairs[:-1] + floors)
    smooth |= pairs[-1] <= floors[-1]  # a polynomial the stencil differentiates exactly
    smooth &= miss <= SMOOTH_RATIO * pairs[-1] + probe_gain * level
    coarse = truncation > COARSE_TOLERANCE * np.abs(value) + 4 * amplification * level
    return Assessment(value, error, slope, smooth, coarse)


def comb_central(k: int) -> int:
    """``sum_i binom(k, i)^2 = binom(2k, k)``: the noise variance gain of a ``k``-th difference."""
    return comb(2 * k, k)
