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
from math import factorial
from typing import NamedTuple

import numpy as np

EPS = np.finfo(float).eps

#: Richardson levels used for each derivative order (offsets ``-K..K``).
LEVELS = {1: 3, 2: 3}

#: Step factor ``c`` of ``h = c * max(1, |x|)`` for each derivative order, chosen by
#: measurement (``benchmarks/bench_functions.py``) to balance truncation and round-off
#: at the default number of levels.
STEP_FACTORS = {1: 2.0**-8, 2: 2.0**-5}

#: Safety factor on the round-off term of the error estimate: the error of evaluating
#: ``f`` is taken to be this many units of ``eps * |f|``.
ROUNDOFF_ULPS = 16.0


class Stencil(NamedTuple):
    """A central stencil: ``d^order f / dt^order ~ weights @ f(x + offsets * t)``."""

    offsets: np.ndarray
    weights: np.ndarray
    lower: np.ndarray


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
    """Offsets ``-K..K``; the centre is left out for odd orders (its weight is zero)."""
    return tuple(k for k in range(-half_width, half_width + 1) if k != 0 or order % 2 == 0)


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
        ``offsets`` (integers ``-K..K``), ``weights`` (the value) and ``lower`` (the
        previous level, zero at ``+-K``), both applied as ``weights @ samples``.
    """
    half_width = levels(order) if half_width is None else half_width
    offsets = _offsets(order, half_width)
    inner = _offsets(order, half_width - 1)
    lower = dict(zip(inner, _weights(order, inner), strict=True))
    return Stencil(
        offsets=np.array(offsets, dtype=float),
        weights=np.array([float(w) for w in _weights(order, offsets)]),
        lower=np.array([float(lower.get(k, 0)) for k in offsets]),
    )


class Lines(NamedTuple):
    """Derivatives along lines (per unit ``t``) with what their error estimate needs."""

    value: np.ndarray  # the extrapolated derivative
    truncation: np.ndarray  # |value - previous Richardson level|
    scale: np.ndarray  # max |f| over the samples of the line
    slope: np.ndarray  # first derivative along the line, from the same samples
    amplification: float  # sum |weights|: how much the stencil amplifies noise in f


def extrapolate(samples: np.ndarray, order: int) -> Lines:
    """Combine samples along the last axis into a derivative and error-estimate parts.

    Parameters
    ----------
    samples : ndarray
        ``f(x + k s)`` for the offsets ``k`` of :func:`stencil` ``(order)``, last axis.
    order : int
        Derivative order.

    Returns
    -------
    Lines
        The derivative along the line per unit ``t`` (not yet divided by
        ``|s|^order``), the truncation estimate (difference from the previous
        Richardson level), and the parts of the round-off estimate.
    """
    st = stencil(order)
    value = samples @ st.weights
    slope = value
    if order != 1:  # the order-1 stencil uses a subset of these offsets
        first = stencil(1)
        slope = samples[..., np.isin(st.offsets, first.offsets)] @ first.weights
    return Lines(
        value=value,
        truncation=np.abs(value - samples @ st.lower),
        scale=np.max(np.abs(samples), axis=-1),
        slope=slope,
        amplification=float(np.sum(np.abs(st.weights))),
    )


def roundoff(lines: Lines, x_dot_grad: np.ndarray) -> np.ndarray:
    """Round-off part of the error, per unit ``t``.

    The error of one value of ``f`` is taken as ``ROUNDOFF_ULPS * eps`` times
    ``|f| + sum_i |x_i df/dx_i|``: the second term is the change of ``f`` when its
    arguments are rounded, which dominates when ``f`` is a sum of large terms.
    """
    return ROUNDOFF_ULPS * EPS * (lines.scale + x_dot_grad) * lines.amplification
