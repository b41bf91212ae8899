"""The chain rule made concrete: Jacobians of compositions multiply, and backprop is that product.

* :func:`chain_rule_check` compares the Jacobian of ``outer(inner(x))`` with the product
  ``J_outer(inner(x)) @ J_inner(x)``, both from :func:`calcml.jacobian`.
* :class:`TwoLayerNet` is a tiny network ``w2 . tanh(W1 x + b1) + b2`` with analytic layer
  Jacobians; :meth:`TwoLayerNet.backprop` multiplies them in reverse order (backpropagation).
* :func:`multiply_jacobians` and :func:`chain_flops` count what the order of that product costs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._objective import as_point, check_positive_int

__all__ = [
    "ChainRuleCheck",
    "JacobianProduct",
    "TwoLayerNet",
    "chain_flops",
    "chain_rule_check",
    "multiply_jacobians",
]

_ORDERS = ("forward", "reverse")


@dataclass(frozen=True)
class ChainRuleCheck:
    """Both sides of the chain rule ``J_{f o g}(x) = J_f(g(x)) J_g(x)`` at one point.

    Attributes
    ----------
    composite : ndarray, shape (m, n)
        The Jacobian of the composition, differentiated as one function.
    product : ndarray, shape (m, n)
        The product of the outer Jacobian (at ``g(x)``) and the inner Jacobian (at ``x``).
    max_abs_difference : float
        ``max |composite - product|``: finite-difference error only, if the rule holds.
    """

    composite: np.ndarray
    product: np.ndarray
    max_abs_difference: float


def _jacobian_2d(fn: Callable, p: np.ndarray) -> np.ndarray:
    """Return the Jacobian of `fn` at `p` as an ``(m, n)`` matrix (``m = 1`` for scalar `fn`)."""
    import calcml  # late: the transforms live in a sibling module of the same package

    return np.asarray(calcml.jacobian(fn)(p), dtype=float).reshape(-1, p.size)


def chain_rule_check(outer: Callable, inner: Callable, x) -> ChainRuleCheck:
    """Check numerically that the Jacobian of ``outer(inner(x))`` is a product of Jacobians.

    Parameters
    ----------
    outer : callable
        ``outer(u)`` of one point ``u`` of shape ``(k,)``, returning a scalar or ``(m,)``.
    inner : callable
        ``inner(p)`` of one point ``p`` of shape ``(n,)``, returning ``(k,)`` (or a scalar,
        ``k = 1``).
    x : array_like, shape (n,)
        Where to differentiate; for a composition of one variable ``t``, pass ``[t]``.

    Returns
    -------
    ChainRuleCheck
        ``composite``, ``product`` (both ``(m, n)``) and ``max_abs_difference``.

    See Also
    --------
    calcml.jacobian, multiply_jacobians

    Examples
    --------
    Scalar composition ``z = f(g(t), h(t))`` with ``f(u, v) = u v``, ``g = cos``, ``h = sin``:

    >>> import numpy as np
    >>> import calcml
    >>> outer = lambda u: u[0] * u[1]
    >>> inner = lambda t: np.array([np.cos(t[0]), np.sin(t[0])])
    >>> check = calcml.chain_rule_check(outer, inner, [0.3])
    >>> check.product.round(6), np.cos(2 * 0.3).round(6)  # dz/dt = cos(2t)
    (array([[0.825336]]), np.float64(0.825336))
    >>> bool(check.max_abs_difference < 1e-8)
    True
    """
    if not (callable(outer) and callable(inner)):
        raise TypeError("`outer` and `inner` must both be callables of one vector argument.")
    x = as_point(x, "x")
    inner_value = np.atleast_1d(np.asarray(inner(x), dtype=float))
    if inner_value.ndim != 1:
        raise ValueError(f"`inner` must return a vector (k,), got shape {inner_value.shape}.")

    def composite(p):
        return outer(np.atleast_1d(inner(p)))

    whole = _jacobian_2d(composite, x)
    product = _jacobian_2d(outer, inner_value) @ _jacobian_2d(inner, x)
    return ChainRuleCheck(whole, product, float(np.max(np.abs(whole - product))))


@dataclass(frozen=True)
class JacobianProduct:
    """A product of Jacobians and what it cost.

    Attributes
    ----------
    matrix : ndarray
        ``J_L @ ... @ J_2 @ J_1``.
    flops : int
        Floating-point operations of the dense products, ``2 a b c`` for ``(a, b) @ (b, c)``.
    order : str
        ``"forward"`` (from the input side) or ``"reverse"`` (from the output side).
    """

    matrix: np.ndarray
    flops: int
    order: str


def _check_order(order: str) -> str:
    if order not in _ORDERS:
        raise ValueError(f"`order` must be 'forward' or 'reverse', got {order!r}.")
    return order


def multiply_jacobians(jacobians: Sequence, order: str = "reverse") -> JacobianProduct:
    """Multiply layer Jacobians ``J_L ... J_1`` in forward or reverse order, counting flops.

    Parameters
    ----------
    jacobians : sequence of array_like
        ``[J_1, ..., J_L]`` in the order the layers are applied (input first); ``J_i`` has shape
        ``(n_i, n_{i-1})``.
    order : {"reverse", "forward"}, default: "reverse"
        ``"forward"`` accumulates ``J_2 J_1`` first (forward mode); ``"reverse"`` accumulates
        ``J_L J_{L-1}`` first (reverse mode, backpropagation).

    Returns
    -------
    JacobianProduct
        ``matrix`` (shape ``(n_L, n_0)``), ``flops`` and ``order``.

    See Also
    --------
    chain_flops

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> js = [np.ones((3, 4)), np.ones((2, 3)), np.ones((1, 2))]
    >>> fwd = calcml.multiply_jacobians(js, "forward")
    >>> rev = calcml.multiply_jacobians(js, "reverse")
    >>> fwd.matrix.tolist() == rev.matrix.tolist(), fwd.flops, rev.flops
    (True, 64, 36)
    """
    order = _check_order(order)
    mats = [np.atleast_2d(np.asarray(j, dtype=float)) for j in jacobians]
    if not mats:
        raise ValueError("`jacobians` must contain at least one matrix.")
    for i, (a, b) in enumerate(zip(mats, mats[1:], strict=False)):
        if b.shape[1] != a.shape[0]:
            raise ValueError(
                f"`jacobians[{i + 1}]` has {b.shape[1]} columns but `jacobians[{i}]` has "
                f"{a.shape[0]} rows; layer i + 1 must take layer i's output."
            )
    product, rest = (mats[0], mats[1:]) if order == "forward" else (mats[-1], mats[-2::-1])
    for j in rest:
        product = j @ product if order == "forward" else product @ j
    return JacobianProduct(product, _product_flops([m.shape for m in mats], order), order)


def _product_flops(shapes: Sequence[tuple[int, int]], order: str) -> int:
    """Flops of ``J_L ... J_1`` (``shapes[i]`` is ``J_{i+1}``'s) accumulated in `order`."""
    rows, cols = shapes[0] if order == "forward" else shapes[-1]
    rest = shapes[1:] if order == "forward" else shapes[-2::-1]
    total = 0
    for a, b in rest:
        if order == "forward":  # (a, b) @ (rows, cols) with b == rows
            total += 2 * a * b * cols
            rows = a
        else:  # (rows, cols) @ (a, b) with cols == a
            total += 2 * rows * a * b
            cols = b
    return total


def chain_flops(widths: Sequence[int], order: str = "reverse") -> int:
    """Flops of the product of a network's layer Jacobians, from the layer widths alone.

    Parameters
    ----------
    widths : sequence of int
        ``[n_0, n_1, ..., n_L]``: the input size, then each layer's output size; layer ``i``
        has a Jacobian of shape ``(n_i, n_{i-1})``.
    order : {"reverse", "forward"}, default: "reverse"
        As in :func:`multiply_jacobians`.

    Returns
    -------
    int
        ``2 a b c`` summed over the dense products ``(a, b) @ (b, c)`` taken in that order.

    Notes
    -----
    The count is computed from the widths; no matrix is built. Forward order costs
    ``sum_{i=2..L} 2 n_i n_{i-1} n_0`` (every product carries all ``n_0`` input columns);
    reverse order costs ``sum_{i=1..L-1} 2 n_L n_i n_{i-1}`` (every product carries only the
    ``n_L`` output rows). For a scalar loss (``n_L = 1``) the ratio grows like ``n_0`` while the
    input is narrow, then levels off: the reverse count also grows with ``n_0``, through the
    product with the first Jacobian, and the ratio tends to ``sum_{i>=2} n_i n_{i-1} / n_1``
    (about 100 for ``[n_0, 1000, 100, 1]``). Chapter 7 of the course derives both counts.
    Counts assume dense matrices; real frameworks also exploit that activation Jacobians are
    diagonal.

    Examples
    --------
    A wide-then-narrow network: 1000 inputs, a 100-unit layer and its tanh, one output.

    >>> import calcml
    >>> widths = [1000, 100, 100, 1]
    >>> calcml.chain_flops(widths, "forward"), calcml.chain_flops(widths, "reverse")
    (20200000, 220000)
    """
    order = _check_order(order)
    sizes = [check_positive_int(w, "widths") for w in widths]
    if len(sizes) < 2:
        raise ValueError("`widths` needs at least two sizes: the input and one layer output.")
    shapes = list(zip(sizes[1:], sizes[:-1], strict=True))
    return _product_flops(shapes, order)


@dataclass(frozen=True)
class TwoLayerNet:
    """A tiny network ``f(x) = W2 tanh(W1 x + b1) + b2`` with analytic layer Jacobians.

    Attributes
    ----------
    W1 : ndarray, shape (h, n)
    b1 : ndarray, shape (h,)
    W2 : ndarray, shape (m, h)
    b2 : ndarray, shape (m,)

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> net = calcml.TwoLayerNet.random(n_inputs=4, n_hidden=3, seed=0)
    >>> x = np.array([0.1, -0.2, 0.3, 0.4])
    >>> [j.shape for j in net.layer_jacobians(x)]
    [(3, 4), (3, 3), (1, 3)]
    >>> bool(np.allclose(net.backprop(x), calcml.grad(net)(x), atol=1e-8))
    True
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    @classmethod
    def random(
        cls, n_inputs: int, n_hidden: int, n_outputs: int = 1, *, seed: int = 0
    ) -> TwoLayerNet:
        """Draw weights ``N(0, 1/fan_in)`` and biases ``N(0, 0.1**2)`` with a seeded generator.

        Examples
        --------
        >>> import calcml
        >>> calcml.TwoLayerNet.random(5, 3, seed=1).W1.shape
        (3, 5)
        """
        n, h, m = (
            check_positive_int(v, name)
            for v, name in (
                (n_inputs, "n_inputs"),
                (n_hidden, "n_hidden"),
                (n_outputs, "n_outputs"),
            )
        )
        rng = np.random.default_rng(seed)
        return cls(
            W1=rng.standard_normal((h, n)) / np.sqrt(n),
            b1=0.1 * rng.standard_normal(h),
            W2=rng.standard_normal((m, h)) / np.sqrt(h),
            b2=0.1 * rng.standard_normal(m),
        )

    @property
    def widths(self) -> list[int]:
        """``[n, h, h, m]``: input, linear layer, tanh, output (for :func:`chain_flops`)."""
        h, n = self.W1.shape
        return [n, h, h, self.W2.shape[0]]

    def __call__(self, x) -> np.ndarray:
        """Evaluate at one point ``(n,)`` or a batch ``(k, n)``; scalar output if ``m == 1``."""
        x = np.asarray(x, dtype=float)
        y = np.tanh(x @ self.W1.T + self.b1) @ self.W2.T + self.b2
        return y[..., 0] if self.W2.shape[0] == 1 else y

    def layer_jacobians(self, x) -> list[np.ndarray]:
        """``[W1, diag(1 - tanh(z)**2), W2]`` at one point `x`, with ``z = W1 x + b1``."""
        x = as_point(x, "x")
        z = self.W1 @ x + self.b1
        return [self.W1, np.diag(1 - np.tanh(z) ** 2), self.W2]

    def backprop(self, x) -> np.ndarray:
        """Differentiate at `x` by multiplying layer Jacobians in reverse order (backpropagation).

        Returns the gradient ``(n,)`` for a scalar network, else the Jacobian ``(m, n)``.
        """
        product = multiply_jacobians(self.layer_jacobians(x), "reverse").matrix
        return product[0] if self.W2.shape[0] == 1 else product
