"""The extra operations of :mod:`calcml.autodiff`, so that more models run.

:mod:`calcml.autodiff` holds the core that chapter 10 explains: the :class:`~calcml.autodiff.Node`,
the elementary operations and their vector-Jacobian products, the backward pass and ``grad``.
This module adds operations built the same way, each a value computed with numpy and a ``vjp``
that maps the upstream gradient to one gradient per input: ``abs``, the reductions ``max`` and
``min`` (the gradient goes to the largest entries, ties share it), ``logsumexp`` and ``softmax``
(shifted so they cannot overflow), ``where`` and ``clip``, ``concatenate`` and ``stack``,
``c ** x`` for a constant ``c > 0``, and numpy's ``sqrt``, ``square``, ``log1p``, ``dot``,
``outer`` and ``linalg.norm`` (the 2-norm).

Importing it (:mod:`calcml.autodiff` does) registers everything: the numpy functions that
nodes support, the core's and these, in the tables of :mod:`calcml._autodiff_interop` (which
also serve the method spellings ``x.max()``, ``abs(x)``, ``2 ** x``), and the public functions
as ``calcml.autodiff.logsumexp`` and so on.

Examples
--------
>>> import numpy as np
>>> from calcml import autodiff as ad
>>> z = np.array([0.0, np.log(3.0)])
>>> ad.softmax(z)  # plain arrays in, a plain array out
array([0.25, 0.75])
>>> ad.grad(ad.logsumexp)(z)  # the gradient of log-sum-exp is softmax
array([0.25, 0.75])
>>> ad.grad(lambda x: np.clip(x, -1, 1).sum() + x.max())(np.array([0.5, 2.0]))
array([1., 1.])
"""

from __future__ import annotations

import numpy as np

from . import _autodiff_interop as _interop
from . import autodiff as _ad
from .autodiff import (
    Node,
    _lift,
    _unbroadcast,
    add,
    divide,
    exp,
    log,
    matmul,
    maximum,
    mean,
    multiply,
    negative,
    power,
    reshape,
    sum,
    tanh,
    transpose,
)

__all__ = ["abs", "max", "logsumexp", "softmax", "where", "clip", "concatenate", "stack"]


@_interop.also_numpy
def abs(a) -> Node:  # noqa: A001
    """Return ``|a|`` elementwise (gradient ``sign(a)``, 0 at 0)."""
    a = _lift(a)
    return Node(np.abs(a.value), (a,), lambda g: (g * np.sign(a.value),))


@_interop.also_numpy
def max(a, axis=None, keepdims=False, **unused) -> Node:  # noqa: A001
    """Maximum over ``axis``; the gradient goes to the largest entries (ties share it)."""
    _interop.check_reduction(unused)
    a = _lift(a)
    top = a.value.max(axis=axis, keepdims=True)
    share = (a.value == top) / (a.value == top).sum(axis=axis, keepdims=True)
    kept = Node(top, (a,), lambda g: (g * share,))  # as in sum, the axes kept
    return kept if keepdims else reshape(kept, np.squeeze(top, axis).shape)


def _min(a, axis=None, keepdims=False, **unused) -> Node:
    """Minimum over ``axis``, as ``-max(-a)``."""
    return -max(-_lift(a), axis, keepdims, **unused)


@_interop.also_numpy
def logsumexp(a, axis=None, keepdims=False) -> Node:
    """Return ``log(sum(exp(a)))`` over ``axis``, shifted by the maximum so it cannot overflow."""
    a = _lift(a)
    top = a.value.max(axis=axis, keepdims=True)  # a constant: the shift cancels exactly
    out = log(sum(exp(a - top), axis, keepdims=True)) + top
    return out if keepdims else reshape(out, np.squeeze(top, axis).shape)


@_interop.also_numpy
def softmax(a, axis=-1) -> Node:
    """Return ``exp(a) / sum(exp(a))`` along ``axis``."""
    return exp(a - logsumexp(a, axis, keepdims=True))


@_interop.also_numpy
def where(condition, a, b) -> Node:
    """Return ``a`` where the constant ``condition`` holds, else ``b`` (the gradient follows)."""
    a, b, keep = _lift(a), _lift(b), np.asarray(_interop.value(condition), dtype=bool)
    return Node(
        np.where(keep, a.value, b.value),
        (a, b),
        lambda g: (_unbroadcast(g * keep, a.shape), _unbroadcast(g * ~keep, b.shape)),
    )


def concatenate(arrays, axis=0) -> Node:
    """Join nodes (or arrays) along ``axis``; the gradient is split back into the pieces."""
    nodes = [_lift(a) for a in arrays]
    cuts = np.cumsum([n.shape[axis] for n in nodes])[:-1]
    value = np.concatenate([n.value for n in nodes], axis)
    return Node(value, tuple(nodes), lambda g: tuple(np.split(g, cuts, axis)))


def stack(arrays, axis=0) -> Node:
    """Stack equal-shaped nodes along a new ``axis``."""
    nodes = [_lift(a) for a in arrays]
    shape = np.expand_dims(nodes[0].value, axis).shape
    return concatenate([reshape(n, shape) for n in nodes], axis)


@_interop.also_numpy
def clip(a, low, high) -> Node:
    """Return ``a`` limited to ``[low, high]`` (constants); the gradient passes strictly inside."""
    a = _lift(a)
    inside = (a.value > _interop.value(low)) & (a.value < _interop.value(high))
    return Node(
        np.clip(a.value, _interop.value(low), _interop.value(high)), (a,), lambda g: (g * inside,)
    )


def _norm(a, ord=None, axis=None, keepdims=False):  # noqa: A002 (numpy's name)
    """Return ``np.linalg.norm(a, axis=axis)``, the 2-norm ``sqrt(sum(a * a))``."""
    if ord is not None:
        raise TypeError("calcml.autodiff: numpy.linalg.norm only with ord=None (2-norm)")
    return power(sum(multiply(a, a), axis, keepdims), 0.5)


def _power(a, p) -> Node:
    """Return ``a ** p``, also for a node ``p`` and a constant ``a > 0``, as ``e^(p log a)``."""
    if isinstance(p, Node) and not isinstance(a, Node):
        if not np.all(np.asarray(a, dtype=float) > 0):
            raise TypeError(f"calcml.autodiff: c ** node needs a constant c > 0, got {a!r}")
        return exp(p * np.log(a))
    return power(a, p)


def _dot(a, b):
    """Return ``np.dot(a, b)``, which is ``a @ b`` for arrays of at most two axes."""
    if np.ndim(_interop.value(a)) > 2 or np.ndim(_interop.value(b)) > 2:
        raise TypeError("calcml.autodiff: numpy.dot of arrays above 2-D; use @ (matmul)")
    return matmul(a, b)


# numpy's functions called on nodes (np.exp(x), np.sum(x, axis=0), x.max()), looked up by
# Node.__array_ufunc__, Node.__array_function__ and the method spellings of Node's base class
_interop.UFUNCS.update(
    {
        np.add: add,
        np.subtract: lambda a, b: add(a, negative(b)),
        np.multiply: multiply,
        np.divide: divide,
        np.negative: negative,
        np.matmul: matmul,
        np.power: _power,
        np.exp: exp,
        np.log: log,
        np.tanh: tanh,
        np.absolute: abs,
        np.maximum: maximum,
        np.sqrt: lambda a: power(a, 0.5),
        np.square: lambda a: power(a, 2),
        np.log1p: lambda a: log(add(a, 1.0)),
    }
)
_interop.FUNCTIONS.update(
    {
        np.sum: sum,
        np.mean: mean,
        np.max: max,
        np.min: _min,
        np.reshape: reshape,
        np.transpose: transpose,
        np.where: where,
        np.clip: clip,
        np.concatenate: concatenate,
        np.stack: stack,
        np.linalg.norm: _norm,
        np.dot: _dot,
        np.outer: lambda a, b: reshape(a, (-1, 1)) * reshape(b, (1, -1)),
    }
)
# and the public functions as calcml.autodiff.softmax and so on
_ad.__all__ += __all__
for _name in __all__:
    setattr(_ad, _name, globals()[_name])
