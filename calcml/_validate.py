"""Input checks shared by the derivative functions (private).

Each check either returns a normalised value or raises a ``TypeError`` (wrong kind)
or ``ValueError`` (bad value) whose message names the argument and says what to do.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np


def check_callable(f: Any, name: str = "f") -> Callable:
    """Return ``f`` if it is callable, else raise ``TypeError``."""
    if not callable(f):
        raise TypeError(
            f"`{name}` must be a callable (a Python function such as `lambda x, y: x * y`); "
            f"got an object of type {type(f).__name__}."
        )
    return f


def real_array(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a float64 array; raise ``TypeError`` for non-real input."""
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"`{name}` is ragged: its rows have different lengths. Every point must have "
            "the same number n of coordinates (pass an array of shape (..., n))."
        ) from None
    if np.iscomplexobj(array):
        raise TypeError(f"`{name}` must be real; got complex values. Pass the real part.")
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"`{name}` must hold real numbers; got dtype {array.dtype}.")
    return array.astype(float, copy=False)


def finite_array(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a finite float64 array; raise ``ValueError`` for nan/inf."""
    array = real_array(value, name)
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        where = f" (first at index {tuple(int(i) for i in bad)})" if array.ndim else ""
        raise ValueError(f"`{name}` must be finite; it contains nan or inf{where}.")
    return array


def check_int(value: Any, name: str, minimum: int = 0) -> int:
    """Return ``value`` as an int ``>= minimum``; raise ``TypeError``/``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"`{name}` must be an integer; got {type(value).__name__}.")
    if value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value}.")
    return int(value)


#: Smallest relative step accepted: below it ``x + h`` is ``x`` to a few digits.
MIN_STEP = 1e-12


def check_step(step: Any) -> float | None:
    """Return the relative step (a positive float) or ``None`` for the default."""
    if step is None:
        return None
    if isinstance(step, bool) or not isinstance(step, int | float | np.floating | np.integer):
        raise TypeError(f"`step` must be a positive number or None; got {type(step).__name__}.")
    if not (np.isfinite(step) and step > 0):
        raise ValueError(f"`step` must be a positive finite number; got {step}.")
    if step < MIN_STEP:
        raise ValueError(
            f"`step` = {step:g} is too small: relative steps below {MIN_STEP:g} are lost to "
            "rounding (x + h is x to almost every digit). Leave step=None, or pass `scale` "
            "for a function that changes over a small distance."
        )
    return float(step)


def check_scale(scale: Any) -> np.ndarray | None:
    """Return ``scale`` (one positive number or one per coordinate) as a 1-D array."""
    if scale is None:
        return None
    array = finite_array(scale, "scale")
    if array.ndim > 1 or array.size == 0 or not (array > 0).all():
        raise ValueError(
            "`scale` must be a positive number, or a 1-D array of one positive number per "
            f"coordinate (the distance over which f changes); got {scale!r}."
        )
    return array.reshape(-1)


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` if it is a bool; raise ``TypeError`` otherwise (``'yes'`` is not)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be a bool (True or False); got {value!r}.")
    return bool(value)


def check_vectorized(vectorized: Any) -> bool | None:
    """Return ``vectorized`` if it is ``True``, ``False`` or ``None``."""
    if vectorized not in (True, False, None):
        raise TypeError(f"`vectorized` must be True, False or None; got {vectorized!r}.")
    return vectorized


def check_direction(v: Any) -> np.ndarray:
    """Return the direction ``v`` normalised to unit length."""
    u, norm = check_vector(v)
    if norm == 0:
        raise ValueError("`v` must be a nonzero vector: a zero vector has no direction.")
    return u


def check_vector(v: Any) -> tuple[np.ndarray, float]:
    """Return ``(u, norm)`` with ``v = norm * u``; ``u`` is a unit vector, or 0 if ``v = 0``.

    The norm is computed on ``v / max|v_i|`` first, so huge or tiny components
    (``[1e300, 1e300]``) neither overflow nor underflow.
    """
    v = finite_array(v, "v")
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"`v` must be a 1-D vector of n components; got shape {v.shape}.")
    biggest = float(np.max(np.abs(v)))
    if biggest == 0:
        return v.copy(), 0.0
    w = v / biggest
    length = float(np.linalg.norm(w))
    return w / length, biggest * length


def check_arity(f: Callable, n: int) -> None:
    """Raise ``ValueError`` if ``f`` cannot take ``n`` positional coordinates."""
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):  # builtins without a signature: f itself will tell
        return
    try:
        signature.bind(*range(n))
    except TypeError:
        raise ValueError(
            f"wrong number of coordinates: got {n} arguments, but `f` has signature "
            f"{signature}. Pass one argument per coordinate, or one array of points."
        ) from None


def check_output(y: Any, where: str | Callable[[], str], finite: bool = True) -> np.ndarray:
    """Return an output of ``f`` as a float array; reject complex, non-numeric (and nan).

    ``where`` (text, or a function making it only when needed) says where ``f`` was called;
    ``finite=False`` lets nan and inf through (the caller handles them).
    """

    def place() -> str:
        return where() if callable(where) else where

    try:
        y = np.asarray(y)
    except ValueError as err:  # ragged lists
        raise ValueError(f"`f` returned a ragged sequence {place()}: {err}") from None
    if np.iscomplexobj(y):
        raise TypeError(
            f"`f` returned complex values {place()}; calcml differentiates real functions. "
            "Differentiate the real and imaginary parts separately."
        )
    if y.dtype == bool or not np.issubdtype(y.dtype, np.number):
        raise TypeError(f"`f` must return real numbers; it returned dtype {y.dtype} {place()}.")
    if finite and not np.isfinite(y).all():
        raise ValueError(
            f"`f` returned nan or inf {place()}; the derivative is not defined there. "
            "Check the point is inside the domain of `f`, or pass a smaller `step`."
        )
    return y.astype(float, copy=False)
