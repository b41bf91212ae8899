"""Turn a Python function or a fitted data model into value/gradient/Hessian callables.

Private. ``optimize.py`` and ``critical.py`` call :func:`as_objective` once at their boundary and
then work only with :class:`Objective`, whose three callables take one point of shape ``(n,)``
and return a float, an ``(n,)`` gradient and an ``(n, n)`` Hessian.

Accepted objectives (see ARCHITECTURE.md, "Objectives for optimisation and critical points"):

* a Python function of one vector argument ``f(p)`` returning a scalar, or of one argument per
  coordinate ``f(x, y, ...)`` (turned into ``f(p)`` by :func:`point_function`); derivatives
  come from :func:`calcml.grad` and :func:`calcml.hessian`;
* a fitted model with ``.predict(points)``, ``.gradient()`` and ``.hessian()`` (such as
  :class:`calcml.MultivariateDerivatives`), queried one point at a time as a ``(1, n)`` row;
* either of the above with explicit ``grad=`` / ``hess=`` callables, which take precedence.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Objective",
    "as_objective",
    "as_point",
    "check_nonnegative",
    "check_positive",
    "check_positive_int",
    "point_function",
]


def _required_positional(f: Callable) -> int | None:
    """How many positional arguments `f` requires (None when its signature is unknown)."""
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # e.g. some builtins and ufuncs
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(p.kind in kinds and p.default is p.empty for p in params)


def point_function(f: Callable) -> Callable:
    """Return `f` as a function of points ``p`` whose last axis holds the coordinates.

    calcml's transforms accept both ``f(p)`` and ``f(x, y, ...)``; the optimisers, the
    critical-point tools, the figures and the explorers work with points, so a function that
    requires several positional arguments is called as ``f(*p)`` (over the last axis, so a
    vectorised one still gets whole batches). Other callables are returned unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> g = point_function(lambda x, y: x * y)
    >>> g(np.array([2.0, 3.0])), g(np.array([[1.0, 2.0], [3.0, 4.0]]))
    (np.float64(6.0), array([ 2., 12.]))
    """
    n = _required_positional(f)
    if n is None or n <= 1:
        return f

    # No functools.wraps: inspect.signature would follow __wrapped__ back to f(x, y, ...).
    def of_point(p):
        p = np.asarray(p, dtype=float)
        if p.ndim == 0 or p.shape[-1] != n:
            raise ValueError(
                f"`f` takes {n} coordinates as separate arguments, but the points have shape "
                f"{p.shape}: give points with {n} coordinates."
            )
        return f(*np.moveaxis(p, -1, 0))

    return of_point


def _is_model(f: object) -> bool:
    """Return True for a fitted-model-like object (``predict``, ``gradient``, ``hessian``)."""
    return all(callable(getattr(f, name, None)) for name in ("predict", "gradient"))


@dataclass(frozen=True)
class Objective:
    """A scalar objective as three callables of one point ``p`` of shape ``(n,)``.

    Attributes
    ----------
    value : callable
        ``value(p) -> float``.
    grad : callable
        ``grad(p) -> ndarray`` of shape ``(n,)``.
    hess : callable
        ``hess(p) -> ndarray`` of shape ``(n, n)``, symmetrised.
    """

    value: Callable[[np.ndarray], float]
    grad: Callable[[np.ndarray], np.ndarray]
    hess: Callable[[np.ndarray], np.ndarray]


def as_point(x, name: str = "x0") -> np.ndarray:
    """Return `x` as a finite 1-D float array, or raise a ValueError naming `name`.

    Examples
    --------
    >>> as_point([4, 5])
    array([4., 5.])
    """
    try:
        p = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`{name}` must be a sequence of numbers, got {x!r}.") from exc
    if p.ndim == 0:
        p = p.reshape(1)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(
            f"`{name}` must be one point, a 1-D array of coordinates; got shape {p.shape}."
        )
    if not np.all(np.isfinite(p)):
        raise ValueError(f"`{name}` must be finite; got {p}. Start from a finite point.")
    return p


def _check_real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number, got {type(value).__name__}.")
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be finite, got {value}.")
    return float(value)


def check_positive(value, name: str) -> float:
    """Return `value` as a float if it is finite and > 0, else raise naming `name`.

    Examples
    --------
    >>> check_positive(0.1, "learning_rate")
    0.1
    """
    value = _check_real(value, name)
    if value <= 0:
        raise ValueError(f"`{name}` must be positive, got {value}.")
    return value


def check_nonnegative(value, name: str) -> float:
    """Return `value` as a float if it is finite and >= 0, else raise naming `name`.

    Examples
    --------
    >>> check_nonnegative(0, "tol")
    0.0
    """
    value = _check_real(value, name)
    if value < 0:
        raise ValueError(f"`{name}` must be non-negative, got {value}.")
    return value


def check_positive_int(value, name: str) -> int:
    """Return `value` if it is an integer >= 1, else raise naming `name`.

    Examples
    --------
    >>> check_positive_int(20, "max_steps")
    20
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer, got {type(value).__name__}.")
    if value < 1:
        raise ValueError(f"`{name}` must be a positive integer, got {value}.")
    return int(value)


def _checked(fn: Callable, shape_of: Callable[[int], tuple], what: str) -> Callable:
    """Wrap `fn` so it returns a float array of the expected shape, with a clear error if not."""

    def wrapped(p: np.ndarray) -> np.ndarray:
        out = np.asarray(fn(p), dtype=float)
        expected = shape_of(p.size)
        if out.shape != expected:
            out = out.reshape(expected) if out.size == np.prod(expected) else out
        if out.shape != expected:
            raise ValueError(
                f"The {what} returned shape {out.shape} at a point of shape {p.shape}; expected "
                f"{expected}. The objective must be scalar-valued: one value per point."
            )
        return out

    return wrapped


def _lazy(build: Callable[[], Callable]) -> Callable:
    """Return a callable that builds the real one on first use (then reuses it)."""
    built: list[Callable] = []

    def call(p):
        if not built:
            built.append(build())
        return built[0](p)

    return call


def _from_function(f: Callable) -> tuple[Callable, Callable, Callable]:
    """Take derivatives of a Python function from the finite-difference transforms."""
    import calcml  # late: the transforms live in a sibling module of the same package

    f = point_function(f)
    return f, _lazy(lambda: calcml.grad(f)), _lazy(lambda: calcml.hessian(f))


def _from_model(model) -> tuple[Callable, Callable, Callable]:
    """Query a fitted model one point at a time, as a ``(1, n)`` row."""
    gradient = _lazy(model.gradient)
    hessian = _lazy(model.hessian)  # a model need not provide a Hessian for descent

    def value(p):
        return model.predict(p[None, :])[0]

    def grad(p):
        return gradient(p[None, :])[0]

    def hess(p):
        return hessian(p[None, :])[0]

    return value, grad, hess


def as_objective(f, *, grad: Callable | None = None, hess: Callable | None = None) -> Objective:
    """Return an :class:`Objective` for a function or fitted model `f`.

    Parameters
    ----------
    f : callable or fitted model
        ``f(p)`` of one point ``p`` of shape ``(n,)`` returning a scalar (or ``f(x, y, ...)``,
        one argument per coordinate), or an object with
        ``predict`` and ``gradient`` (and ``hessian``) such as a fitted
        :class:`calcml.MultivariateDerivatives`.
    grad, hess : callable, optional
        ``grad(p) -> (n,)`` and ``hess(p) -> (n, n)``; they override derivatives of `f`.

    Returns
    -------
    Objective
        Callables ``value``, ``grad`` and ``hess`` of one point ``(n,)``.

    Examples
    --------
    >>> import numpy as np
    >>> obj = as_objective(lambda p: p @ p, grad=lambda p: 2 * p, hess=lambda p: 2 * np.eye(2))
    >>> obj.grad(np.array([1.0, 2.0]))
    array([2., 4.])
    """
    for name, fn in (("grad", grad), ("hess", hess)):
        if fn is not None and not callable(fn):
            raise TypeError(f"`{name}` must be callable or None, got {type(fn).__name__}.")
    if _is_model(f):
        value, default_grad, default_hess = _from_model(f)
    elif callable(f):
        value, default_grad, default_hess = _from_function(f)
    else:
        raise TypeError(
            "`f` must be a function of one vector argument or a fitted model with `predict` and "
            f"`gradient` (e.g. calcml.MultivariateDerivatives), got {type(f).__name__}."
        )
    return Objective(
        value=_scalar(value),
        grad=_checked(grad or default_grad, lambda n: (n,), "gradient"),
        hess=_symmetric(_checked(hess or default_hess, lambda n: (n, n), "Hessian")),
    )


def _scalar(value: Callable) -> Callable[[np.ndarray], float]:
    checked = _checked(value, lambda n: (), "objective")

    def scalar(p: np.ndarray) -> float:
        return float(checked(p))

    return scalar


def _symmetric(hess: Callable) -> Callable[[np.ndarray], np.ndarray]:
    def symmetric(p: np.ndarray) -> np.ndarray:
        h = hess(p)
        return (h + h.T) / 2

    return symmetric
