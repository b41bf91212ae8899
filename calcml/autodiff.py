"""Reverse-mode automatic differentiation in one file: backpropagation built, not described.

A :class:`Node` wraps a numpy array and remembers how it was made: its parents and a
*vector-Jacobian product* ``vjp(g)`` that turns the gradient of the final scalar with respect
to the node (the upstream gradient ``g``, of the node's shape) into the gradients with respect
to each parent. :func:`grad` runs ``f`` once forwards on nodes, recording the graph, then walks
it once backwards from the output in reverse topological order. A node used twice (fan-out)
receives two contributions, and they are added. Broadcasting is undone by summing the upstream
gradient over the axes it stretched.

Layout: the gradient with respect to an array has that array's shape.

Examples
--------
>>> import numpy as np
>>> from calcml import autodiff as ad
>>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
>>> ad.grad(lambda x: x @ A @ x)(np.array([1.0, -1.0]))  # (A + A^T) x
array([-3., -3.])
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["Node", "grad", "value_and_grad"]
__all__ += ["exp", "log", "tanh", "sum", "mean", "max", "maximum", "relu", "abs"]
__all__ += ["logsumexp", "softmax", "where", "clip", "concatenate", "stack"]


class Node:
    """An array in a computation graph: ``value``, ``parents`` and ``vjp(g) -> parent grads``.

    Supports ``+ - * / **`` (constant exponent), unary ``-``, ``@``, indexing, ``.reshape``,
    ``.T``, ``.sum``/``.mean``/``.max``/``.min`` and the numpy functions listed in
    ``calcml.autodiff._HAVE`` (so ``np.exp(node)`` works); anything else raises a TypeError
    naming it.

    Examples
    --------
    >>> x = Node(np.array([1.0, 2.0]))
    >>> (x * x).sum()
    Node(5.)
    """

    def __init__(self, value: Any, parents: tuple = (), vjp: Callable | None = None):
        self.value = np.asarray(value, dtype=float)
        self.parents = parents
        self.vjp = vjp

    shape = property(lambda self: self.value.shape, doc="Shape of the value.")
    ndim = property(lambda self: self.value.ndim, doc="Number of axes.")
    size = property(lambda self: self.value.size, doc="Number of entries.")
    T = property(lambda self: transpose(self), doc="Transpose (axes reversed).")

    def __repr__(self):
        return f"Node({np.array2string(self.value, precision=6)})"

    def __len__(self):
        return len(self.value)

    __add__ = lambda self, o: add(self, o)  # noqa: E731
    __radd__ = lambda self, o: add(o, self)  # noqa: E731
    __sub__ = lambda self, o: add(self, negative(o))  # noqa: E731
    __rsub__ = lambda self, o: add(o, negative(self))  # noqa: E731
    __mul__ = lambda self, o: multiply(self, o)  # noqa: E731
    __rmul__ = lambda self, o: multiply(o, self)  # noqa: E731
    __truediv__ = lambda self, o: divide(self, o)  # noqa: E731
    __rtruediv__ = lambda self, o: divide(o, self)  # noqa: E731
    __matmul__ = lambda self, o: matmul(self, o)  # noqa: E731
    __rmatmul__ = lambda self, o: matmul(o, self)  # noqa: E731
    __neg__ = lambda self: negative(self)  # noqa: E731
    __pow__ = lambda self, p: power(self, p)  # noqa: E731
    __abs__ = lambda self: abs(self)  # noqa: E731
    __getitem__ = lambda self, i: getitem(self, i)  # noqa: E731
    # comparisons give plain boolean arrays (masks carry no gradient)
    __eq__ = lambda self, o: self.value == _value(o)  # noqa: E731
    __ne__ = lambda self, o: self.value != _value(o)  # noqa: E731
    __hash__ = object.__hash__
    __lt__ = lambda self, o: self.value < _value(o)  # noqa: E731
    __le__ = lambda self, o: self.value <= _value(o)  # noqa: E731
    __gt__ = lambda self, o: self.value > _value(o)  # noqa: E731
    __ge__ = lambda self, o: self.value >= _value(o)  # noqa: E731

    def __rpow__(self, base):
        return power(base, self)

    def reshape(self, *shape):
        """Return the same entries in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``)."""
        return reshape(self, shape[0] if len(shape) == 1 else shape)

    def transpose(self, *axes):
        """Permute the axes (reversed by default), as ``ndarray.transpose``."""
        return transpose(self, (axes[0] if len(axes) == 1 else axes) or None)

    def sum(self, axis=None, keepdims=False, **unused):
        """Sum over ``axis`` (all axes by default)."""
        return sum(self, axis, keepdims, **unused)

    def mean(self, axis=None, keepdims=False, **unused):
        """Mean over ``axis`` (all axes by default)."""
        return mean(self, axis, keepdims, **unused)

    def max(self, axis=None, keepdims=False, **unused):
        """Maximum over ``axis``; the gradient goes to the largest entry (ties share it)."""
        return max(self, axis, keepdims, **unused)

    def min(self, axis=None, keepdims=False, **unused):
        """Minimum over ``axis``, as ``-max(-a)``."""
        return -max(-self, axis, keepdims, **unused)

    def dot(self, other):
        """Return ``self @ other``."""
        return matmul(self, other)

    def __float__(self):
        raise TypeError(
            "calcml.autodiff: float(node) would cut the node out of the graph; keep it a "
            "node, or use float(node.value) for a constant."
        )

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"calcml.autodiff.Node has no method {name!r}; supported: {_HAVE}.")

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "calcml.autodiff: a Node cannot become a numpy array (np.asarray, np.array, ...): "
            "that would cut it out of the graph. Use node.value for a constant copy."
        )

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in _COMPARE:
            return getattr(ufunc, method)(*map(_value, inputs), **kwargs)
        if method != "__call__" or kwargs or ufunc not in _UFUNCS:
            how = f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
            raise TypeError(
                f"calcml.autodiff cannot differentiate {how}"
                f"{' with ' + ', '.join(kwargs) if kwargs else ''}; supported: {_HAVE}."
            )
        return _UFUNCS[ufunc](*inputs)

    def __array_function__(self, func, types, args, kwargs):
        if func not in _FUNCTIONS:
            raise TypeError(
                f"calcml.autodiff cannot differentiate numpy.{func.__name__}; supported: {_HAVE}."
            )
        return _FUNCTIONS[func](*args, **kwargs)


def _value(x):
    return x.value if isinstance(x, Node) else x


def _lift(x) -> Node:
    """Return a Node as it is, and anything numeric as a constant Node (no parents)."""
    if isinstance(x, Node):
        return x
    try:
        return Node(x)
    except (TypeError, ValueError):
        raise TypeError(f"calcml.autodiff: cannot use a {type(x).__name__} as a number") from None


def _also_numpy(fn: Callable) -> Callable:
    """Let ``fn`` take plain arrays too, returning a plain array (so one loss serves both)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if isinstance(out, Node) and not any(isinstance(a, Node) for a in args):
            return out.value
        return out

    return wrapper


def _unbroadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``g`` over the axes that broadcasting added or stretched, back to ``shape``."""
    g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=stretched, keepdims=True) if stretched else g


def add(a, b) -> Node:
    """Return ``a + b``; the add gate hands the upstream gradient to both inputs."""
    a, b = _lift(a), _lift(b)
    return Node(
        a.value + b.value, (a, b), lambda g: (_unbroadcast(g, a.shape), _unbroadcast(g, b.shape))
    )


def negative(a) -> Node:
    """Return ``-a``."""
    a = _lift(a)
    return Node(-a.value, (a,), lambda g: (-g,))


def multiply(a, b) -> Node:
    """Return ``a * b``; the multiply gate swaps its inputs."""
    a, b = _lift(a), _lift(b)

    def vjp(g):  # each input receives upstream times the other input
        da = _unbroadcast(g * b.value, a.shape)
        db = _unbroadcast(g * a.value, b.shape)
        return da, db

    return Node(a.value * b.value, (a, b), vjp)


def divide(a, b) -> Node:
    """Return ``a / b``."""
    a, b = _lift(a), _lift(b)
    return Node(
        a.value / b.value,
        (a, b),
        lambda g: (
            _unbroadcast(g / b.value, a.shape),
            _unbroadcast(-g * a.value / b.value**2, b.shape),
        ),
    )


def power(a, p) -> Node:
    """Return ``a ** p`` for a constant real ``p``, or ``c ** p`` for a constant ``c > 0``."""
    if isinstance(p, Node) and not isinstance(a, Node):
        if not np.all(np.asarray(a, dtype=float) > 0):
            raise TypeError(f"calcml.autodiff: c ** node needs a constant c > 0, got {a!r}")
        return exp(p * np.log(a))  # c^p = e^(p log c)
    p = p.item() if isinstance(p, np.ndarray) and p.size == 1 else p
    if isinstance(p, Node) or not isinstance(p, numbers.Real):
        raise TypeError(f"calcml.autodiff: `**` needs a constant real exponent, got {p!r}")
    a = _lift(a)
    return Node(a.value**p, (a,), lambda g: (g * p * a.value ** (p - 1),))


def matmul(a, b) -> Node:
    """Return ``a @ b`` (1-D operands as in numpy; stacks of matrices broadcast)."""
    a, b = _lift(a), _lift(b)
    A = a.value[None, :] if a.ndim == 1 else a.value  # a row
    B = b.value[:, None] if b.ndim == 1 else b.value  # a column

    def vjp(g):
        G = np.reshape(g, np.matmul(A, B).shape)
        dA = _unbroadcast(G @ np.swapaxes(B, -1, -2), A.shape)
        dB = _unbroadcast(np.swapaxes(A, -1, -2) @ G, B.shape)
        return dA.reshape(a.shape), dB.reshape(b.shape)

    return Node(a.value @ b.value, (a, b), vjp)


def getitem(a, index) -> Node:
    """Return ``a[index]``; the gradient lands on the entries picked (added if picked twice)."""
    a = _lift(a)
    index = tuple(map(_value, index)) if isinstance(index, tuple) else _value(index)

    def vjp(g):
        out = np.zeros(a.shape)
        np.add.at(out, index, g)
        return (out,)

    return Node(a.value[index], (a,), vjp)


def reshape(a, shape) -> Node:
    """Return ``a.reshape(shape)``."""
    a = _lift(a)
    return Node(a.value.reshape(shape), (a,), lambda g: (g.reshape(a.shape),))


def transpose(a, axes=None) -> Node:
    """Return ``a.transpose(axes)`` (axes reversed by default)."""
    a = _lift(a)
    back = None if axes is None else np.argsort(np.asarray(axes) % a.ndim)  # the inverse
    return Node(a.value.transpose(axes), (a,), lambda g: (g.transpose(back),))


@_also_numpy
def exp(a) -> Node:
    """Return ``e^a`` elementwise."""
    a = _lift(a)
    y = np.exp(a.value)
    return Node(y, (a,), lambda g: (g * y,))


@_also_numpy
def log(a) -> Node:
    """Return the natural logarithm elementwise."""
    a = _lift(a)
    return Node(np.log(a.value), (a,), lambda g: (g / a.value,))


@_also_numpy
def tanh(a) -> Node:
    """Return ``tanh(a)`` elementwise."""
    a = _lift(a)
    y = np.tanh(a.value)
    return Node(y, (a,), lambda g: (g * (1 - y**2),))


@_also_numpy
def abs(a) -> Node:  # noqa: A001
    """Return ``|a|`` elementwise (gradient ``sign(a)``, 0 at 0)."""
    a = _lift(a)
    return Node(np.abs(a.value), (a,), lambda g: (g * np.sign(a.value),))


@_also_numpy
def maximum(a, b) -> Node:
    """Return the elementwise maximum; the max gate routes the gradient to the larger input."""
    a, b = _lift(a), _lift(b)
    wa = (a.value > b.value) + 0.5 * (a.value == b.value)
    return Node(
        np.maximum(a.value, b.value),
        (a, b),
        lambda g: (_unbroadcast(g * wa, a.shape), _unbroadcast(g * (1 - wa), b.shape)),
    )


@_also_numpy
def relu(a) -> Node:
    """Return ``max(a, 0)`` elementwise, with gradient 0 at 0 (the usual convention)."""
    a = _lift(a)
    return Node(np.maximum(a.value, 0), (a,), lambda g: (g * (a.value > 0),))


def _expand(g, axis, keepdims):
    """Put back the axes a reduction removed, so ``g`` broadcasts against ``a``."""
    return g if keepdims or axis is None else np.expand_dims(g, axis)


def _check_reduction(unused):
    if any(v is not None for v in unused.values()):
        raise TypeError(f"calcml.autodiff: reductions take only axis and keepdims, got {unused}")


@_also_numpy
def sum(a, axis=None, keepdims=False, **unused) -> Node:  # noqa: A001
    """Sum over ``axis`` (int, tuple or None for all); ``keepdims`` as in numpy."""
    _check_reduction(unused)
    a = _lift(a)
    return Node(
        a.value.sum(axis=axis, keepdims=keepdims),
        (a,),
        lambda g: (np.broadcast_to(_expand(g, axis, keepdims), a.shape),),
    )


@_also_numpy
def mean(a, axis=None, keepdims=False, **unused) -> Node:
    """Mean over ``axis``: the sum divided by the number of entries summed."""
    _check_reduction(unused)
    a = _lift(a)
    total = sum(a, axis, keepdims)
    return total / (a.size / total.size if total.size else 1.0)


@_also_numpy
def max(a, axis=None, keepdims=False, **unused) -> Node:  # noqa: A001
    """Maximum over ``axis``; the gradient goes to the largest entries (ties share it)."""
    _check_reduction(unused)
    a = _lift(a)
    top = a.value.max(axis=axis, keepdims=True)
    share = (a.value == top) / (a.value == top).sum(axis=axis, keepdims=True)
    out = top if keepdims else np.squeeze(top, axis)
    return Node(out, (a,), lambda g: (_expand(g, axis, keepdims) * share,))


@_also_numpy
def logsumexp(a, axis=None, keepdims=False) -> Node:
    """Return ``log(sum(exp(a)))`` over ``axis``, shifted by the maximum so it cannot overflow."""
    a = _lift(a)
    top = a.value.max(axis=axis, keepdims=True)  # a constant: the shift cancels exactly
    out = log(sum(exp(a - top), axis, keepdims=True)) + top
    return out if keepdims else reshape(out, np.squeeze(top, axis).shape)


@_also_numpy
def softmax(a, axis=-1) -> Node:
    """Return ``exp(a) / sum(exp(a))`` along ``axis``."""
    return exp(a - logsumexp(a, axis, keepdims=True))


@_also_numpy
def where(condition, a, b) -> Node:
    """Return ``a`` where the constant ``condition`` holds, else ``b`` (the gradient follows)."""
    a, b, keep = _lift(a), _lift(b), np.asarray(_value(condition), dtype=bool)
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


@_also_numpy
def clip(a, low, high) -> Node:
    """Return ``a`` limited to ``[low, high]`` (constants); the gradient passes strictly inside."""
    a = _lift(a)
    inside = (a.value > _value(low)) & (a.value < _value(high))
    return Node(np.clip(a.value, _value(low), _value(high)), (a,), lambda g: (g * inside,))


def _norm(a, ord=None, axis=None, keepdims=False):  # noqa: A002 (numpy's name)
    if ord is not None:
        raise TypeError("calcml.autodiff: numpy.linalg.norm only with ord=None (2-norm)")
    return power(sum(multiply(a, a), axis, keepdims), 0.5)


def _dot(a, b):
    if np.ndim(_value(a)) > 2 or np.ndim(_value(b)) > 2:  # (`max` here is this module's)
        raise TypeError("calcml.autodiff: numpy.dot of arrays above 2-D; use @ (matmul)")
    return matmul(a, b)


_UFUNCS = {
    np.add: add,
    np.subtract: lambda a, b: add(a, negative(b)),
    np.multiply: multiply,
    np.divide: divide,
    np.negative: negative,
    np.matmul: matmul,
    np.power: power,
    np.exp: exp,
    np.log: log,
    np.tanh: tanh,
    np.absolute: abs,
    np.maximum: maximum,
    np.sqrt: lambda a: power(a, 0.5),
    np.square: lambda a: power(a, 2),
    np.log1p: lambda a: log(add(a, 1.0)),
}
_COMPARE = {np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal}
_FUNCTIONS = {
    np.sum: sum,
    np.mean: mean,
    np.max: max,
    np.reshape: reshape,
    np.where: lambda c, a, b: where(c, a, b),
    np.min: lambda a, axis=None, keepdims=False, **unused: (
        -max(-_lift(a), axis, keepdims, **unused)
    ),
    np.clip: clip,
    np.concatenate: concatenate,
    np.stack: stack,
    np.linalg.norm: _norm,
    np.dot: _dot,
    np.outer: lambda a, b: reshape(a, (-1, 1)) * reshape(b, (1, -1)),
    np.transpose: transpose,
    np.matmul: matmul,
}
_HAVE = "+ - * / ** @, indexing, reshape, .T; numpy's exp log log1p tanh sqrt square abs "
_HAVE += "maximum where clip dot outer concatenate stack sum mean max min linalg.norm; "
_HAVE += "calcml.autodiff's relu logsumexp softmax"


def _backprop(out: Node) -> dict[int, np.ndarray]:
    """Return the gradients of ``out``, keyed by the ``id`` of each node."""
    # 1. Sort the graph (iterative depth-first search): every node is listed
    #    after all of its parents.
    order, seen, stack = [], set(), [(out, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents)
    # 2. Walk it backwards from the output, each node before its parents.
    grads = {id(out): np.ones(out.shape)}
    for node in reversed(order):
        if node.vjp is None or id(node) not in grads:
            continue  # a leaf or a constant
        parent_grads = node.vjp(grads[id(node)])
        for parent, g in zip(node.parents, parent_grads, strict=True):
            # fan-out: a node used twice adds both contributions
            grads[id(parent)] = grads.get(id(parent), 0) + g
    return grads


def _wrap(x, where: str):
    """Arrays (and numbers) become leaf Nodes; dicts and tuples of them keep their structure."""
    if isinstance(x, dict):
        return {k: _wrap(v, f"{where}[{k!r}]") for k, v in x.items()}
    if isinstance(x, tuple):
        return tuple(_wrap(v, f"{where}[{i}]") for i, v in enumerate(x))
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
    return Node(x)


def _unwrap(x, grads: dict):
    if isinstance(x, dict):
        return {k: _unwrap(v, grads) for k, v in x.items()}
    if isinstance(x, tuple):
        return tuple(_unwrap(v, grads) for v in x)
    return np.array(np.broadcast_to(grads.get(id(x), 0.0), x.shape), dtype=float)


def value_and_grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """Return ``(*args) -> (f(*args), gradient)``; see :func:`grad`.

    Examples
    --------
    >>> value_and_grad(lambda x: (x**2).sum())(np.array([1.0, 2.0]))
    (5.0, array([2., 4.]))
    """
    if not callable(f):
        raise TypeError(f"calcml.autodiff.grad needs a function, got {type(f).__name__}")
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def value_and_gradient(*args, **kwargs):
        if not nums or any(not 0 <= i < len(args) for i in nums):
            raise ValueError(f"argnums={argnums} does not name arguments of the {len(args)} given")
        args = list(args)
        leaves = {i: _wrap(args[i], f"argument {i}") for i in nums}
        args = [leaves.get(i, a) for i, a in enumerate(args)]
        out = _lift(f(*args, **kwargs))
        if out.size != 1:
            raise ValueError(
                f"calcml.autodiff.grad needs f to return a scalar (a loss), but it returned "
                f"shape {out.shape}; reduce it first, e.g. return out.sum() or out.mean()."
            )
        grads = _backprop(out)
        result = tuple(_unwrap(leaves[i], grads) for i in nums)
        return float(out.value.reshape(())), result[0] if isinstance(argnums, int) else result

    return value_and_gradient


def grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """Return the gradient function of a scalar ``f`` by reverse-mode differentiation.

    Parameters
    ----------
    f : callable
        Built from the operations :class:`Node` supports; returns a scalar (shape ``()`` or
        one entry).
    argnums : int or tuple of int, default: 0
        Which positional arguments to differentiate. Each may be an array, a number, or a
        dict/tuple of arrays (e.g. a network's parameters); its gradient has the same
        structure and shapes. A tuple ``argnums`` gives a tuple of gradients.

    Returns
    -------
    callable
        ``df(*args)`` with the same arguments as ``f``.

    Raises
    ------
    TypeError
        For an argument that is not a real array (or dict/tuple of them), or an operation
        the module does not differentiate (its name is in the message).
    ValueError
        If ``f`` returns more than one number.

    Examples
    --------
    >>> W, x = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0])
    >>> loss = lambda params, x: (tanh(params["W"] @ x) ** 2).sum()
    >>> grad(loss)({"W": W}, x)["W"].shape
    (2, 2)
    >>> grad(lambda W, x: (W @ x).sum(), argnums=(0, 1))(W, x)[1]  # W^T 1
    array([4., 6.])
    """
    value_and_gradient = value_and_grad(f, argnums)
    return lambda *args, **kwargs: value_and_gradient(*args, **kwargs)[1]
