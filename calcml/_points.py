"""How a derivative function reads its arguments and calls ``f`` (private).

The rule (see ``ARCHITECTURE.md``):

* **Several arguments** ``df(x, y, ...)``, or one 0-d argument: each argument is one
  coordinate; the arguments broadcast to a batch shape ``S``. ``f`` is called the
  same way and returns a scalar or ``m`` components (first axis ``m``).
* **One array argument** ``df(p)`` with ``p.ndim >= 1``: the last axis holds the ``n``
  coordinates, the leading axes are ``S``. ``f`` maps a point ``(n,)`` to ``()`` or
  ``(m,)``; if vectorised, a batch ``(k, n)`` to ``(k,)`` or ``(k, m)``.

Internally every point set is a ``(N, n)`` array and every output a ``(N,) + out``
array, ``out`` being ``()`` or ``(m,)``. Vectorisation is decided by a probe: ``f``
is called once on a small batch and once per point of it; if the batch call fails,
has the wrong shape, or disagrees with the point calls, ``f`` is called point by point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._validate import check_arity, check_output, finite_array

ARGS = "args"
ARRAY = "array"

#: Largest number of coordinates (floats) of points handed to ``f`` in one call.
CHUNK_FLOATS = 2**19


class Points(NamedTuple):
    """The points of one call of a derivative function."""

    X: np.ndarray  # (N, n)
    batch_shape: tuple[int, ...]
    form: str  # ARGS or ARRAY


class Evaluator(NamedTuple):
    """``f`` as a function of ``(N, n)`` points returning ``(N,) + out_shape``."""

    fun: Callable[[np.ndarray], np.ndarray]
    out_shape: tuple[int, ...]
    vectorized: bool


def parse_points(args: Sequence[Any]) -> Points:
    """Read the arguments of a derivative function into a ``(N, n)`` point array."""
    if not args:
        raise TypeError("a derivative function needs a point: call it as df(x, y, ...) or df(p).")
    if len(args) == 1 and np.ndim(args[0]) >= 1:
        p = finite_array(args[0], "p")
        if p.shape[-1] == 0:
            raise ValueError("wrong number of coordinates: `p` has 0 coordinates (last axis).")
        points = Points(p.reshape(-1, p.shape[-1]), p.shape[:-1], ARRAY)
    else:
        coords = [finite_array(a, f"argument {i}") for i, a in enumerate(args)]
        try:
            coords = np.broadcast_arrays(*coords)
        except ValueError:
            shapes = ", ".join(str(np.shape(a)) for a in args)
            raise ValueError(
                f"the arguments must broadcast together; got shapes {shapes}."
            ) from None
        X = np.stack([c.ravel() for c in coords], axis=-1)
        points = Points(X, coords[0].shape, ARGS)
    if points.X.shape[0] == 0:
        raise ValueError("the batch of points is empty; pass at least one point.")
    return points


def _call_point(f: Callable, form: str, x: np.ndarray) -> Any:
    """Call ``f`` at one point ``x`` of shape ``(n,)``."""
    return f(*x) if form == ARGS else f(x)


def _point_output(f: Callable, form: str, x: np.ndarray) -> np.ndarray:
    """Call ``f`` at one point and check it returns a finite scalar or 1-D array."""
    try:
        y = _call_point(f, form, x)
    except IndexError as err:
        raise ValueError(
            f"wrong number of coordinates: `f` raised IndexError ({err}) at a point with "
            f"{x.size} coordinates. Check the length of the last axis of the point."
        ) from err
    y = check_output(y, lambda: f"at the point {x}")
    if y.ndim > 1:
        raise ValueError(
            f"`f` must return a scalar or a 1-D array of m components at one point; "
            f"it returned shape {y.shape}."
        )
    return y


def _batch_output(y: Any, form: str, size: int, out_shape: tuple[int, ...]) -> np.ndarray:
    """Bring a batch output of ``f`` to shape ``(size,) + out_shape``, or raise ValueError."""
    if form == ARGS and isinstance(y, list | tuple):  # components, possibly constants
        y = np.stack(np.broadcast_arrays(*[np.asarray(c, dtype=float) for c in y]))
    y = np.asarray(y)
    if form == ARGS:  # components first: () / (size,) or (m,) / (m, size)
        if out_shape:
            y = np.broadcast_to(y.reshape(out_shape + (-1,)), out_shape + (size,)).T
        else:
            y = np.broadcast_to(y, (size,))
    if y.shape != (size,) + out_shape:
        raise ValueError(f"shape {y.shape}, expected {(size,) + out_shape}")
    return y


def _pointwise(f: Callable, form: str) -> Callable[[np.ndarray], np.ndarray]:
    """Evaluate ``f`` point by point on ``(N, n)`` points."""
    return lambda X: np.array([np.asarray(_call_point(f, form, x), dtype=float) for x in X])


def _batched(f: Callable, form: str, out_shape: tuple[int, ...]) -> Callable:
    """Evaluate a vectorised ``f`` on ``(N, n)`` points in one call."""

    def fun(X: np.ndarray) -> np.ndarray:
        y = f(*X.T) if form == ARGS else f(X)
        try:
            return _batch_output(y, form, X.shape[0], out_shape)
        except ValueError as err:
            raise ValueError(
                f"`f` is treated as vectorised but returned {err} for {X.shape[0]} points. "
                "Pass vectorized=False if f handles one point only."
            ) from None

    return fun


def _probe_size(n: int, out_shape: tuple[int, ...]) -> int:
    """Return a small batch size differing from ``n`` and ``m`` (no look-alike shapes)."""
    return next(k for k in (2, 3, 4, 5) if k != n and (k,) != out_shape)


def _is_vectorized(f: Callable, form: str, probe: np.ndarray, out_shape: tuple) -> bool:
    """Whether ``f`` gives, on the batch ``probe``, what it gives point by point."""
    expected = _pointwise(f, form)(probe)
    try:
        with np.errstate(all="ignore"):
            y = _batch_output(
                f(*probe.T) if form == ARGS else f(probe), form, len(probe), out_shape
            )
        y = np.asarray(y, dtype=float)
    except Exception:  # noqa: BLE001 - any failure on a batch means "not vectorised"
        return False
    tolerance = 1e-10 * np.abs(expected) + 1e-12 * np.max(np.abs(expected), initial=1.0)
    return bool((np.abs(y - expected) <= tolerance).all())


def make_evaluator(
    f: Callable, points: Points, probe_step: np.ndarray, vectorized: bool | None
) -> Evaluator:
    """Build the ``(N, n) -> (N,) + out`` evaluator of ``f`` for these points.

    Parameters
    ----------
    f : callable
        The user's function.
    points : Points
        From :func:`parse_points`.
    probe_step : ndarray
        Shape ``(n,)``; the probe batch is ``x0 + j * probe_step`` (points near ``x0``).
    vectorized : bool or None
        ``None`` detects vectorisation with the probe.
    """
    x0 = points.X[0]
    if points.form == ARGS:
        check_arity(f, x0.size)
    out_shape = _point_output(f, points.form, x0).shape
    if vectorized is None:
        k = _probe_size(x0.size, out_shape)
        probe = x0 + np.arange(1, k + 1)[:, None] * probe_step
        vectorized = _is_vectorized(f, points.form, probe, out_shape)
    if vectorized:
        return Evaluator(_batched(f, points.form, out_shape), out_shape, True)
    return Evaluator(_pointwise(f, points.form), out_shape, False)


def evaluate(F: Evaluator, X: np.ndarray) -> np.ndarray:
    """Evaluate ``F`` on ``(N, n)`` points in chunks; check the values are real and finite."""
    rows = max(1, CHUNK_FLOATS // X.shape[1]) if F.vectorized else X.shape[0]
    parts = [F.fun(X[i : i + rows]) for i in range(0, X.shape[0], rows)]
    y = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return check_output(y, f"at {X.shape[0]} points sampled near the requested points")


def to_batch(value: np.ndarray, batch_shape: tuple[int, ...]) -> np.ndarray:
    """Reshape a ``(N, ...)`` result to ``batch_shape + (...)``; 0-d results become floats."""
    result = value.reshape(batch_shape + value.shape[1:])
    return result[()] if result.ndim == 0 else result
