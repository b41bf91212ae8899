"""How the nodes of :mod:`calcml.autodiff` meet numpy and Python: plumbing, not calculus.

:mod:`calcml.autodiff` is the core that chapter 10 explains: nodes, the elementary operations
with their vector-Jacobian products, the backward pass and ``grad``. This module holds what lets
a loss written for numpy arrays run on nodes, and the checks that make a mistake an error
message rather than a wrong number:

- :class:`NumpyInterop`, the base class of ``Node``. A numpy ufunc or function called on a node
  (``np.exp(node)``, ``np.sum(node, axis=0)``), and numpy's method spellings (``node.sum(0)``,
  ``node.T``, ``abs(node)``), are looked up in the tables ``UFUNCS`` and ``FUNCTIONS``, which
  :mod:`calcml._autodiff_extra` fills with the core's operations and its own; anything else
  raises a TypeError that names it. Comparisons give plain boolean arrays (a mask carries no
  gradient). ``np.asarray(node)`` and ``float(node)``, which would cut the node out of the
  graph, raise a TypeError that says what to do instead.
- :func:`also_numpy`: ``calcml.autodiff.softmax(array)`` returns an array, so that one
  function serves both.
- :func:`wrap_arguments` and :func:`unwrap`: ``grad``'s arguments (arrays, numbers, and dicts
  or tuples of them) checked and made leaf nodes, and the gradients returned in the same
  structure; :func:`check_function`, :func:`check_scalar`, :func:`constant_exponent`,
  :func:`as_number` and :func:`check_reduction` refuse the other mistakes.

Examples
--------
>>> import numpy as np
>>> from calcml import autodiff as ad
>>> x = ad.Node(np.array([-1.0, 2.0]))
>>> x > 0
array([False,  True])
>>> np.maximum(x, 0).sum()  # np.maximum is looked up in UFUNCS
Node(2.)
>>> ad.tanh(np.array([0.0]))  # arrays in, an array out
array([0.])
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable

import numpy as np

UFUNCS: dict = {}  # numpy ufunc -> calcml.autodiff operation, e.g. np.exp: calcml.autodiff.exp
FUNCTIONS: dict = {}  # other numpy functions, e.g. np.sum: calcml.autodiff.sum
COMPARE = {np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal}
SUPPORTED = "+ - * / ** @, indexing, reshape, .T; numpy's exp log log1p tanh sqrt square abs "
SUPPORTED += "maximum where clip dot outer concatenate stack sum mean max min linalg.norm; "
SUPPORTED += "calcml.autodiff's relu logsumexp softmax"


def value(x):
    """Return the array of a node, and anything else as it is."""
    return x.value if isinstance(x, NumpyInterop) else x


class NumpyInterop:
    """What a ``Node`` (which has ``.value``, a float array) needs to pass for a numpy array."""

    shape = property(lambda self: self.value.shape, doc="Shape of the value.")
    ndim = property(lambda self: self.value.ndim, doc="Number of axes.")
    size = property(lambda self: self.value.size, doc="Number of entries.")

    def __len__(self):
        return len(self.value)

    def __repr__(self):
        return f"{type(self).__name__}({np.array2string(self.value, precision=6)})"

    __eq__ = lambda self, o: self.value == value(o)  # noqa: E731
    __ne__ = lambda self, o: self.value != value(o)  # noqa: E731
    __lt__ = lambda self, o: self.value < value(o)  # noqa: E731
    __le__ = lambda self, o: self.value <= value(o)  # noqa: E731
    __gt__ = lambda self, o: self.value > value(o)  # noqa: E731
    __ge__ = lambda self, o: self.value >= value(o)  # noqa: E731
    __hash__ = object.__hash__  # by identity, as defining __eq__ would otherwise remove it

    # numpy's method spellings: x.sum(axis) is np.sum(x, axis), abs(x) is np.absolute(x), ...
    T = property(lambda self: FUNCTIONS[np.transpose](self), doc="Transpose (axes reversed).")
    __abs__ = lambda self: UFUNCS[np.absolute](self)  # noqa: E731
    __rpow__ = lambda self, c: UFUNCS[np.power](c, self)  # noqa: E731

    def reshape(self, *shape):
        """Return the same entries in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``)."""
        return FUNCTIONS[np.reshape](self, shape[0] if len(shape) == 1 else shape)

    def transpose(self, *axes):
        """Permute the axes (reversed by default), as ``ndarray.transpose``."""
        return FUNCTIONS[np.transpose](self, (axes[0] if len(axes) == 1 else axes) or None)

    def sum(self, axis=None, keepdims=False, **unused):
        """Sum over ``axis`` (all axes by default)."""
        return FUNCTIONS[np.sum](self, axis, keepdims, **unused)

    def mean(self, axis=None, keepdims=False, **unused):
        """Mean over ``axis`` (all axes by default)."""
        return FUNCTIONS[np.mean](self, axis, keepdims, **unused)

    def max(self, axis=None, keepdims=False, **unused):
        """Maximum over ``axis``; the gradient goes to the largest entry (ties share it)."""
        return FUNCTIONS[np.max](self, axis, keepdims, **unused)

    def min(self, axis=None, keepdims=False, **unused):
        """Minimum over ``axis``."""
        return FUNCTIONS[np.min](self, axis, keepdims, **unused)

    def dot(self, other):
        """Return ``self @ other`` (for arrays of at most two axes, as ``np.dot``)."""
        return FUNCTIONS[np.dot](self, other)

    def __float__(self):
        raise TypeError(
            "calcml.autodiff: float(node) would cut the node out of the graph; keep it a "
            "node, or use float(node.value) for a constant."
        )

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"calcml.autodiff.Node has no method {name!r}; supported: {SUPPORTED}."
        )

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "calcml.autodiff: a Node cannot become a numpy array (np.asarray, np.array, ...): "
            "that would cut it out of the graph. Use node.value for a constant copy."
        )

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in COMPARE:
            return getattr(ufunc, method)(*map(value, inputs), **kwargs)
        if method != "__call__" or kwargs or ufunc not in UFUNCS:
            how = f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
            raise TypeError(
                f"calcml.autodiff cannot differentiate {how}"
                f"{' with ' + ', '.join(kwargs) if kwargs else ''}; supported: {SUPPORTED}."
            )
        return UFUNCS[ufunc](*inputs)

    def __array_function__(self, func, types, args, kwargs):
        if func not in FUNCTIONS:
            raise TypeError(
                f"calcml.autodiff cannot differentiate numpy.{func.__name__}; "
                f"supported: {SUPPORTED}."
            )
        return FUNCTIONS[func](*args, **kwargs)


def also_numpy(fn: Callable) -> Callable:
    """Let ``fn`` take plain arrays too, returning a plain array (so one loss serves both)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if isinstance(out, NumpyInterop) and not any(isinstance(a, NumpyInterop) for a in args):
            return out.value
        return out

    return wrapper


def as_number(x) -> np.ndarray:
    """Return ``x`` as a float array, or raise a TypeError saying it is not a number."""
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"calcml.autodiff: cannot use a {type(x).__name__} as a number") from None


def constant_exponent(p) -> numbers.Real:
    """Return the exponent of ``node ** p`` as a number, refusing a node or an array."""
    p = p.item() if isinstance(p, np.ndarray) and p.size == 1 else p
    if isinstance(p, NumpyInterop) or not isinstance(p, numbers.Real):
        raise TypeError(f"calcml.autodiff: `**` needs a constant real exponent, got {p!r}")
    return p


def check_function(f) -> None:
    """Refuse an ``f`` that cannot be called, when ``grad(f)`` is made."""
    if not callable(f):
        raise TypeError(f"calcml.autodiff.grad needs a function, got {type(f).__name__}")


def check_scalar(out) -> None:
    """Refuse a function value ``out`` (a node) that is not one number: ``grad`` needs a loss."""
    if out.size != 1:
        raise ValueError(
            f"calcml.autodiff.grad needs f to return a scalar (a loss), but it returned "
            f"shape {out.shape}; reduce it first, e.g. return out.sum() or out.mean()."
        )


def check_reduction(unused: dict) -> None:
    """Refuse a reduction's arguments other than ``axis`` and ``keepdims`` (``dtype=``, ...)."""
    if any(v is not None for v in unused.values()):
        raise TypeError(f"calcml.autodiff: reductions take only axis and keepdims, got {unused}")


def wrap(x, where: str, leaf: Callable):
    """Return ``leaf(x)`` for a real array or number, keeping the structure of dicts and tuples.

    ``where`` names ``x`` in the error message (``"argument 0"``).
    """
    if isinstance(x, dict):
        return {k: wrap(v, f"{where}[{k!r}]", leaf) for k, v in x.items()}
    if isinstance(x, tuple):
        return tuple(wrap(v, f"{where}[{i}]", leaf) for i, v in enumerate(x))
    kind = getattr(x, "dtype", np.dtype(type(x)) if isinstance(x, numbers.Number) else None)
    if (
        isinstance(x, bool)
        or not isinstance(x, (np.ndarray, numbers.Real))
        or kind.kind not in "fiu"
    ):
        raise TypeError(
            f"calcml.autodiff.grad differentiates with respect to real numpy arrays (or dicts "
            f"and tuples of them); {where} is a {type(x).__name__}"
            f"{'' if kind is None else ' of ' + str(kind)}. Pass np.asarray(..., dtype=float)"
            f"{', or a tuple of arrays' if isinstance(x, list) else ''}."
        )
    return leaf(x)


def unwrap(x, grads: dict):
    """Return the gradients of the leaves of ``wrap``'s result, in its structure.

    ``grads`` maps ``id(leaf)`` to a gradient; a leaf the output does not depend on gets zeros.
    """
    if isinstance(x, dict):
        return {k: unwrap(v, grads) for k, v in x.items()}
    if isinstance(x, tuple):
        return tuple(unwrap(v, grads) for v in x)
    return np.array(np.broadcast_to(grads.get(id(x), 0.0), x.shape), dtype=float)


def wrap_arguments(args: tuple, argnums: int | tuple[int, ...], leaf: Callable):
    """Return ``args``, those that ``argnums`` names made leaves by :func:`wrap`, and the leaves.

    The leaves are those of one argument for an int ``argnums``, a tuple of them for a tuple.
    """
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums or any(not 0 <= i < len(args) for i in nums):
        raise ValueError(f"argnums={argnums} does not name arguments of the {len(args)} given")
    leaves = {i: wrap(args[i], f"argument {i}", leaf) for i in nums}
    args = [leaves.get(i, a) for i, a in enumerate(args)]
    return args, leaves[argnums] if isinstance(argnums, int) else tuple(map(leaves.get, nums))
