"""Exercises of chapter 7: chain rule."""

from __future__ import annotations

import math

import numpy as np

from ._exercise import Exercise, Mistake


def _grad_w(W, X, T):
    """dL/dW for L = |W X - T|_F^2 / 2 over a batch: (W X - T) X^T."""
    W, X, T = (np.asarray(v, dtype=float) for v in (W, X, T))
    return (W @ X - T) @ X.T


def _grad_w_mean(W, X, T):
    W, X, T = (np.asarray(v, dtype=float) for v in (W, X, T))
    return (W @ X - T) @ X.T / X.shape[1]


def _grad_w_first(W, X, T):
    W, X, T = (np.asarray(v, dtype=float) for v in (W, X, T))
    return np.outer(W @ X[:, 0] - T[:, 0], X[:, 0])


def _backprop_w1(W1, w2, x, t):
    """dL/dW1 for y = w2 . tanh(W1 x), L = (y - t)^2 / 2."""
    W1, w2, x = (np.asarray(v, dtype=float) for v in (W1, w2, x))
    h = np.tanh(W1 @ x)
    delta = (w2 @ h - t) * w2 * (1 - h**2)
    return np.outer(delta, x)


def _no_tanh_derivative(W1, w2, x, t):
    W1, w2, x = (np.asarray(v, dtype=float) for v in (W1, w2, x))
    return np.outer((w2 @ np.tanh(W1 @ x) - t) * w2, x)


_W_PROBES = (  # W is 2 x 3, a batch of 4 examples: X is 3 x 4, T is 2 x 4
    (
        [[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]],
        [[1.0, 0.0, -1.0, 2.0], [2.0, 1.0, 0.5, 0.0], [-1.0, 3.0, 1.0, 1.0]],
        [[0.5, 1.0, 0.0, -2.0], [-1.0, 0.0, 2.0, 1.0]],
    ),
    (
        [[0.3, 0.1, 2.0], [-0.7, 2.0, 0.0]],
        [[-1.0, 0.5, 0.25, 1.5], [0.5, -2.0, 1.0, 0.0], [0.25, 1.0, -1.0, 2.0]],
        [[0.0, 1.0, -1.0, 0.5], [1.0, -0.5, 0.0, 2.0]],
    ),
    (
        [[2.0, 0.0, 1.0], [1.0, 1.0, 1.0]],
        [[3.0, 1.0, 0.0, -1.0], [0.0, -2.0, 1.0, 1.0], [-2.0, 0.0, 2.0, 0.5]],
        [[1.0, 0.0, 0.0, 1.0], [-3.0, 1.0, 2.0, 0.0]],
    ),
)
_NET_PROBES = (  # W1 is 3 x 2
    ([[0.5, -1.0], [1.0, 0.25], [-0.3, 0.8]], [1.0, -2.0, 0.5], [1.0, 2.0], 0.5),
    ([[0.1, 0.2], [0.7, -0.5], [-0.4, 0.3]], [2.0, -1.0, 1.0], [0.5, -1.0], -1.0),
    ([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 1.0, -0.5], [0.3, -0.2], 2.0),
)

EXERCISES = [
    Exercise(
        "07.1",
        "choice",
        "by hand",
        r"A network maps a million inputs to one scalar loss through a chain of layers. "
        r"Which order of multiplying the layer Jacobians is cheaper?",
        level="warm-up",
        expected="reverse",
        choices=("forward", "reverse", "same cost"),
        mistakes=(
            Mistake(
                "forward",
                "Forward order carries matrices as wide as the input; reverse order carries a "
                "single row vector (this is backpropagation).",
            ),
        ),
        answer_text="reverse (backpropagation)",
    ),
    Exercise(
        "07.2",
        "matrix",
        "by hand",
        r"With $\mathbf g(x, y) = (x + y,\; x - y)$ and $\mathbf f(u, v) = (uv,\; u^2)$, give "
        r"the Jacobian of $\mathbf f \circ \mathbf g$ at $(1, 2)$.",
        level="compute",
        expected=[[2.0, -4.0], [6.0, 6.0]],
        points=2,
        mistakes=(
            Mistake(
                [[5.0, 3.0], [-7.0, 3.0]],
                "The product is in the wrong order: J_{f o g} = J_f(g(p)) @ J_g(p).",
            ),
        ),
        answer_text="J_f(3, -1) @ J_g = [[2, -4], [6, 6]]",
    ),
    Exercise(
        "07.3",
        "number",
        "by hand",
        r"Let $z = f(x, y) = e^{x}\,y$ with $x = t^2$ and $y = 3t - 1$. Compute $dz/dt$ at "
        r"$t = 1$.",
        level="compute",
        expected=7 * math.e,
        rtol=1e-3,  # accepts 19.03 and 7e; rejects 19 (relative error 1.5e-3)
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                5 * math.e,
                "The route through x needs dx/dt = 2t, which is 2 at t = 1, not 1.",
            ),
            Mistake(4 * math.e, "Only the route through x: add the route through y, f_y dy/dt."),
            Mistake(3 * math.e, "Only the route through y: add the route through x, f_x dx/dt."),
        ),
        answer_text="e^x y 2t + e^x 3 = 4e + 3e = 7e = 19.028",
    ),
    Exercise(
        "07.4",
        "number",
        "by hand",
        r"A network has widths $500 \to 200 \to 10 \to 1$, so three dense layer Jacobians of "
        r"sizes $200\times500$, $10\times200$ and $1\times10$. Counting $2abc$ flops for an "
        r"$(a\times b)(b\times c)$ product, how many flops does multiplying them in reverse "
        r"order take?",
        level="compute",
        expected=2 * 1 * 10 * 200 + 2 * 1 * 200 * 500,
        rtol=0,
        atol=0.5,
        points=2,
        mistakes=(
            Mistake(
                2 * 10 * 200 * 500 + 2 * 1 * 10 * 500,
                "That is the forward-order count (J_2 J_1 first). Reverse order starts with "
                "J_3 J_2, a single row.",
            ),
        ),
        hint="Reverse order: (J_3 J_2) first, then that row times J_1.",
        answer_text="2*1*10*200 + 2*1*200*500 = 204,000",
    ),
    Exercise(
        "07.5",
        "function",
        "by hand",
        r"A linear layer $W$ ($m\times n$) is applied to a minibatch of $B$ examples, the "
        r"columns of $X$ ($n\times B$), with targets the columns of $T$ ($m\times B$), and the "
        r"loss is the sum over the batch, $\mathcal L = \tfrac12\sum_{b=1}^{B}\lVert "
        r"W\mathbf x_b - \mathbf t_b\rVert^2 = \tfrac12\sum_{i,b}(WX - T)_{ib}^2$. "
        r"**Derive** $\partial\mathcal L/\partial W_{ij}$ in index notation and write it as "
        r"one matrix product; then write `grad_W(W, X, T)` returning "
        r"$\partial\mathcal L/\partial W$ (it has the shape of $W$). The formula is graded; "
        r"your written argument is self-checked against the rubric in the solutions.",
        level="derive",
        expected=_grad_w,
        probes=_W_PROBES,
        points=3,
        mistakes=(
            Mistake(
                _grad_w_mean,
                "That is the gradient of the batch mean: this loss is the sum over the batch, "
                "with no factor 1/B.",
            ),
            Mistake(
                _grad_w_first,
                "That is the first example's gradient only: every example in the batch "
                "contributes, so sum over b.",
            ),
        ),
        hint="W_ij moves only row i of W X, and d(W X)_ib / dW_ij = X_jb; then sum over b.",
        answer_text="(W X - T) X^T",
    ),
    Exercise(
        "07.6",
        "function",
        "code",
        r"Implement backpropagation for $y = \mathbf w_2^\top\tanh(W_1\mathbf x)$ with the loss "
        r"$\mathcal L = \tfrac12(y - t)^2$: write `backprop(W1, w2, x, t)` returning "
        r"$\partial\mathcal L/\partial W_1$ (the shape of $W_1$). Pass a gradient check "
        r"against `calcml.grad` before you submit.",
        level="code",
        expected=_backprop_w1,
        probes=_NET_PROBES,
        points=3,
        mistakes=(
            Mistake(
                _no_tanh_derivative,
                "The tanh stage is missing from the chain: multiply by its derivative "
                "1 - tanh(a)^2 on the way back.",
            ),
        ),
        hint="Forward: a = W1 x, h = tanh(a), y = w2 . h. Backward: delta = (y - t) w2 (1 - h^2); "
        "then dL/dW1 = delta x^T.",
        answer_text="outer((y - t) w2 (1 - tanh(W1 x)^2), x)",
    ),
]
