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


class OutputShapeError(ValueError):
    """``f`` returned an output of the wrong shape (raised at once, never retried)."""


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
    unreliable: list  # rows of the requested points whose derivative could not be verified
    eps: float  # machine epsilon of f's values
    failures: list  # (exception, requested point) of guarded calls of f that raised


def parse_points(args: Sequence[Any]) -> Points:
    """Read the arguments of a derivative function into a ``(N, n)`` point array."""
    if not args:
        raise TypeError("a derivative function needs a point: call it as df(x, y, ...) or df(p).")
    if len(args) == 1 and _ndim(args[0]) >= 1:
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
    return points


def _ndim(a: Any) -> int:
    """``np.ndim`` that does not fail on ragged input (``finite_array`` reports it)."""
    try:
        return np.ndim(a)
    except ValueError:
        return 1


def _call_point(f: Callable, form: str, x: np.ndarray) -> Any:
    """Call ``f`` at one point ``x`` of shape ``(n,)``."""
    return f(*x) if form == ARGS else f(x)


def _point_output(f: Callable, form: str, x: np.ndarray) -> tuple[np.ndarray, float]:
    """Call ``f`` at one point and check it returns a finite scalar or 1-D array.

    Returns the output as floats and the machine epsilon of the type ``f`` returned.
    """
    try:
        y = _call_point(f, form, x)
    except IndexError as err:
        err.add_note(
            f"calcml: `f` raised IndexError when called at the point {x.tolist()}, which has "
            f"{x.size} coordinates. If `f` indexes its argument, check that the points have "
            "as many coordinates (last axis) as `f` expects."
        )
        raise
    except Exception as err:
        err.add_note(f"calcml: raised by `f` at the point {x.tolist()} that was passed.")
        raise
    eps = _output_eps(y)
    y = check_output(y, lambda: f"at the point {x}")
    if y.ndim > 1:
        raise ValueError(
            f"`f` must return a scalar or a 1-D array of m components at one point; "
            f"it returned shape {y.shape}."
        )
    return y, eps


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


def _pointwise(f: Callable, form: str, out_shape: tuple[int, ...] | None = None) -> Callable:
    """Evaluate ``f`` point by point on ``(N, n)`` points (checking the output shape)."""

    def fun(X: np.ndarray) -> np.ndarray:
        out = np.empty((X.shape[0],) + (out_shape or ()))
        for k, x in enumerate(X):
            y = check_output(
                _call_point(f, form, x), lambda x=x: f"at the point {x.tolist()}", False
            )
            if out_shape is not None and y.shape != out_shape:
                raise OutputShapeError(
                    f"`f` returned shape {y.shape} at the point {x.tolist()} but shape "
                    f"{out_shape} at the first point; `f` must return the same number of "
                    "components at every point."
                )
            if out_shape is None and k == 0:
                out = np.empty((X.shape[0],) + y.shape)
            out[k] = y
        return out

    return fun


def _batched(f: Callable, form: str, out_shape: tuple[int, ...], declared: bool) -> Callable:
    """Evaluate a vectorised ``f`` on ``(N, n)`` points in one call."""

    def fun(X: np.ndarray) -> np.ndarray:
        try:
            y = f(*X.T) if form == ARGS else f(X)
        except (TypeError, ValueError) as err:
            if not declared:
                raise
            raise TypeError(
                f"`f` was declared vectorized=True but failed on a batch of {X.shape[0]} "
                f"points ({type(err).__name__}: {err}). Pass vectorized=False if `f` "
                "handles one point at a time (or leave vectorized=None to detect it)."
            ) from err
        try:
            return _batch_output(y, form, X.shape[0], out_shape)
        except ValueError as err:
            raise OutputShapeError(
                f"`f` is treated as vectorised but returned {err} for {X.shape[0]} points. "
                "Pass vectorized=False if f handles one point only."
            ) from None

    return fun


def _probe_size(n: int, out_shape: tuple[int, ...]) -> int:
    """Return a small batch size differing from ``n`` and ``m`` (no look-alike shapes)."""
    return next(k for k in (2, 3, 4, 5) if k != n and (k,) != out_shape)


def _is_vectorized(f: Callable, form: str, probe: np.ndarray, out_shape: tuple) -> bool:
    """Whether ``f`` gives, on the batch ``probe``, what it gives point by point."""
    try:
        expected = _pointwise(f, form)(probe)
    except Exception:  # noqa: BLE001 - f fails near x0: point by point, the derivative will say
        return False
    try:
        with np.errstate(all="ignore"):
            y = _batch_output(
                f(*probe.T) if form == ARGS else f(probe), form, len(probe), out_shape
            )
        y = np.asarray(y, dtype=float)
    except Exception:  # noqa: BLE001 - any failure on a batch means "not vectorised"
        return False
    if not np.isfinite(y).all():  # f fails on batches, or nan near x0: decide point by point
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
    y0, eps = _point_output(f, points.form, x0)
    out_shape = y0.shape
    declared = vectorized is True
    if vectorized is None:
        k = _probe_size(x0.size, out_shape)
        probe = x0 + np.arange(1, k + 1)[:, None] * probe_step
        vectorized = _is_vectorized(f, points.form, probe, out_shape)
    if vectorized:
        return Evaluator(
            _batched(f, points.form, out_shape, declared), out_shape, True, [], eps, []
        )
    return Evaluator(_pointwise(f, points.form, out_shape), out_shape, False, [], eps, [])


def _output_eps(y: Any) -> float:
    """Return the machine epsilon of the floats ``f`` returned (float32's for float32)."""
    if isinstance(y, list | tuple) and y:
        y = y[0]
    dtype = getattr(y, "dtype", np.dtype(float))
    if np.issubdtype(dtype, np.floating) and np.finfo(dtype).eps > np.finfo(float).eps:
        return float(np.finfo(dtype).eps)
    return float(np.finfo(float).eps)


def empty_output_shape(f: Callable, points: Points) -> tuple[int, ...]:
    """Return the output shape of ``f`` told by a call on the empty batch (else ``()``)."""
    X = points.X
    try:
        with np.errstate(all="ignore"):
            y = f(*X.T) if points.form == ARGS else f(X)
        if points.form == ARGS:
            return (len(y),) if isinstance(y, list | tuple) else np.shape(y)[:-1]
        return np.shape(y)[1:]
    except Exception:  # noqa: BLE001 - f cannot take an empty batch: assume a scalar f
        return ()


def evaluate(
    F: Evaluator, X: np.ndarray, guard: bool = False, near: np.ndarray | None = None
) -> np.ndarray:
    """Evaluate ``F`` on ``(N, n)`` points in chunks; nan/inf are returned, not raised.

    An exception raised by ``f`` gets a note saying where: at the points passed, or
    (``near``: the requested points of the lines, in the order of ``X``'s rows) at
    stencil points near them. With
    ``guard``, an exception marks the chunk as nan instead (for the extra steps tried
    by the refinement, which may leave the domain of ``f``).
    """
    rows = max(1, CHUNK_FLOATS // X.shape[1]) if F.vectorized else X.shape[0]
    parts = []
    for i in range(0, X.shape[0], rows):
        chunk = X[i : i + rows]
        try:
            with np.errstate(all="ignore"):
                parts.append(F.fun(chunk))
        except Exception as err:
            if guard and not isinstance(err, TypeError | OutputShapeError):
                parts.append(np.full((chunk.shape[0],) + F.out_shape, np.nan))
                if near is not None and not F.failures:
                    F.failures.append((err, near[i * near.shape[0] // X.shape[0]]))
                continue
            where = (
                f"the point {chunk[0].tolist()}"
                if chunk.shape[0] == 1
                else f"{chunk.shape[0]} points"
            )
            if near is None:
                err.add_note(f"calcml: raised by `f` at {where} that were passed.")
            else:
                first = near[i * near.shape[0] // X.shape[0] :]
                err.add_note(
                    f"calcml: raised by `f` at {where} sampled near the point(s) passed "
                    f"(first: {first[0].tolist()}): the derivative evaluates `f` at "
                    "x + k h for small steps h. Check `f` is defined around each point, or "
                    "pass a smaller `step` or `scale`."
                )
            raise
    y = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return check_output(y, f"at {X.shape[0]} points sampled near the requested points", False)


def to_batch(value: np.ndarray, batch_shape: tuple[int, ...]) -> np.ndarray:
    """Reshape a ``(N, ...)`` result to ``batch_shape + (...)``; 0-d results become floats."""
    result = value.reshape(batch_shape + value.shape[1:])
    return result[()] if result.ndim == 0 else result
