"""Reverse-mode automatic differentiation, the core: backpropagation built, not described.

A :class:`Node` wraps a numpy array and remembers how it was made: its parents and a
*vector-Jacobian product* ``vjp(g)`` that turns the gradient of the final scalar with respect
to the node (the upstream gradient ``g``, of the node's shape) into the gradients with respect
to each parent. :func:`grad` runs ``f`` once forwards on nodes, recording the graph, then walks
it once backwards from the output in reverse topological order. A node used twice (fan-out)
receives two contributions, and they are added. Broadcasting is undone by summing the upstream
gradient over the axes it stretched. The gradient with respect to an array has that array's
shape (the layout of chapter 10).

This is the core that chapter 10 explains. ``_autodiff_interop`` lets numpy's functions run on
nodes and checks the arguments of :func:`grad`; ``_autodiff_extra`` adds operations built the
same way (``softmax``, ``logsumexp``, ``where``, ``clip``, ...), used from here all the same.

Examples
--------
>>> import numpy as np
>>> from calcml import autodiff as ad
>>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
>>> ad.grad(lambda x: x @ A @ x)(np.array([1.0, -1.0]))  # (A + A^T) x
array([-3., -3.])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import _autodiff_interop as _interop

__all__ = ["Node", "grad", "value_and_grad", "exp", "log", "tanh", "sum", "mean", "maximum"]
__all__ += ["relu"]  # and, from _autodiff_extra, abs max logsumexp softmax where clip ...


class Node(_interop.NumpyInterop):
    """An array in a computation graph: ``value``, ``parents`` and ``vjp(g) -> parent grads``.

    Supports ``+ - * / **`` (constant exponent), unary ``-``, ``@`` and indexing. Its base class
    gives numpy's spellings (``x.T``, ``x.reshape(2, 3)``, ``x.sum(axis=0)``, ``np.exp(x)``,
    ``x > 0``) and refuses, by name, what is not supported.

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
    __getitem__ = lambda self, i: getitem(self, i)  # noqa: E731


def _lift(x) -> Node:
    """Return a Node as it is, and anything numeric as a constant Node (no parents)."""
    return x if isinstance(x, Node) else Node(_interop.as_number(x))


def _unbroadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``g`` over the axes that broadcasting added or stretched, back to ``shape``."""
    g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=stretched, keepdims=True) if stretched else g


# Each operation computes its value with numpy and returns a Node whose vjp maps the upstream
# gradient g (the output's shape) to one gradient per parent (each of that parent's shape).
def add(a, b) -> Node:
    """Return ``a + b``; the add gate hands the upstream gradient to both inputs."""
    a, b = _lift(a), _lift(b)
    return Node(
        a.value + b.value, (a, b), lambda g: (_unbroadcast(g, a.shape), _unbroadcast(g, b.shape))
    )


def _elementwise(name: str, f: Callable, vjp: Callable) -> Callable:
    """Make the elementwise operation ``name``: ``y = f(x)`` with ``vjp(g, x, y)``.

    Its Jacobian is diagonal, with entries ``f'(x)``, so the VJP multiplies the upstream
    gradient by the derivative entry by entry: for ``exp``, ``g * y``.
    """

    def op(a) -> Node:
        a = _lift(a)
        y = f(a.value)
        return Node(y, (a,), lambda g: (vjp(g, a.value, y),))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Return ``{name}(a)`` elementwise (an array for an array)."
    return _interop.also_numpy(op)


negative = _elementwise("negative", np.negative, lambda g, x, y: -g)
exp = _elementwise("exp", np.exp, lambda g, x, y: g * y)  # e^x is its own derivative
log = _elementwise("log", np.log, lambda g, x, y: g / x)
tanh = _elementwise("tanh", np.tanh, lambda g, x, y: g * (1 - y**2))
relu = _elementwise("relu", lambda x: np.maximum(x, 0), lambda g, x, y: g * (x > 0))  # 0 at 0


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

    def vjp(g):  # the derivatives of a / b are 1 / b and -a / b^2
        return _unbroadcast(g / b.value, a.shape), _unbroadcast(-g * a.value / b.value**2, b.shape)

    return Node(a.value / b.value, (a, b), vjp)


def power(a, p) -> Node:
    """Return ``a ** p`` for a constant real ``p`` (``c ** node`` is in the extras)."""
    a, p = _lift(a), _interop.constant_exponent(p)
    return Node(a.value**p, (a,), lambda g: (g * p * a.value ** (p - 1),))


def matmul(a, b) -> Node:
    """Return ``a @ b`` (1-D operands as in numpy; stacks of matrices broadcast)."""
    a, b = _lift(a), _lift(b)
    A = a.value[None, :] if a.ndim == 1 else a.value  # a row
    B = b.value[:, None] if b.ndim == 1 else b.value  # a column

    def vjp(g):  # for C = A B: dA = G B^T and dB = A^T G
        G = np.reshape(g, np.matmul(A, B).shape)
        dA = _unbroadcast(G @ np.swapaxes(B, -1, -2), A.shape)
        dB = _unbroadcast(np.swapaxes(A, -1, -2) @ G, B.shape)
        return dA.reshape(a.shape), dB.reshape(b.shape)

    return Node(a.value @ b.value, (a, b), vjp)


def getitem(a, index) -> Node:
    """Return ``a[index]``; the gradient lands on the entries picked (added if picked twice)."""
    a = _lift(a)

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


@_interop.also_numpy
def maximum(a, b) -> Node:
    """Return the elementwise maximum; the max gate routes the gradient to the larger input."""
    a, b = _lift(a), _lift(b)
    wa = (a.value > b.value) + 0.5 * (a.value == b.value)  # a tie splits it, as differences do
    return Node(
        np.maximum(a.value, b.value),
        (a, b),
        lambda g: (_unbroadcast(g * wa, a.shape), _unbroadcast(g * (1 - wa), b.shape)),
    )


@_interop.also_numpy
def sum(a, axis=None, keepdims=False, **unused) -> Node:  # noqa: A001
    """Sum over ``axis`` (int, tuple or None for all); ``keepdims`` as in numpy."""
    _interop.check_reduction(unused)
    a = _lift(a)
    # keep the summed axes, so the upstream gradient broadcasts straight back over them
    kept = Node(a.value.sum(axis, keepdims=True), (a,), lambda g: (np.broadcast_to(g, a.shape),))
    return kept if keepdims else reshape(kept, np.squeeze(kept.value, axis).shape)


@_interop.also_numpy
def mean(a, axis=None, keepdims=False, **unused) -> Node:
    """Mean over ``axis``: the sum divided by the number of entries summed."""
    a = _lift(a)
    total = sum(a, axis, keepdims, **unused)
    return total / (a.size / total.size if total.size else 1.0)


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


def value_and_grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """Return ``(*args) -> (f(*args), gradient)``; see :func:`grad`.

    Examples
    --------
    >>> value_and_grad(lambda x: (x**2).sum())(np.array([1.0, 2.0]))
    (5.0, array([2., 4.]))
    """
    _interop.check_function(f)

    def value_and_gradient(*args, **kwargs):
        args, leaves = _interop.wrap_arguments(args, argnums, Node)  # checked leaf nodes
        out = _lift(f(*args, **kwargs))
        _interop.check_scalar(out)
        return float(out.value.reshape(())), _interop.unwrap(leaves, _backprop(out))

    return value_and_gradient


def grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """Return the gradient function of a scalar ``f`` by reverse-mode differentiation.

    Parameters
    ----------
    f : callable
        Built from the operations :class:`Node` supports; returns one number (a loss).
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
        that is not supported (named in the message).
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


# The extra operations and numpy's functions on nodes; importing them adds them to this module.
from . import _autodiff_extra  # noqa: E402, F401
