"""Exercises of chapter 3: jacobian."""

from __future__ import annotations

import numpy as np

from ..transforms import jacobian
from ._exercise import Exercise, Mistake


def _polar(r, theta):
    """(r, theta) -> (x, y)."""
    return np.array([r * np.cos(theta), r * np.sin(theta)])


def _ref_polar_jacobian(r, theta):
    return jacobian(_polar)(r, theta)


def _cubic_jacobian(x):
    """Jacobian of |x|^2 x (03.5)."""
    x = np.asarray(x, dtype=float)
    return np.dot(x, x) * np.eye(len(x)) + 2 * np.outer(x, x)


def _three_outputs(x):
    """Test function for 03.6: R^2 -> R^3."""
    return np.array([np.sin(x[0]) * x[1], x[0] ** 2 * x[1] ** 3, np.exp(x[0] - x[1])])


def _central_jacobian(f, x, h):
    x = np.asarray(x, dtype=float)
    cols = [(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))]
    return np.column_stack(cols)


def _forward_jacobian(f, x, h):
    x = np.asarray(x, dtype=float)
    return np.column_stack([(f(x + h * e) - f(x)) / h for e in np.eye(len(x))])


EXERCISES = [
    Exercise(
        "03.1",
        "matrix",
        "by hand",
        r"For $\mathbf{f}(x, y) = (xy^2,\; x + 3y,\; e^{x})$, give the Jacobian at $(0, 2)$ as "
        r"a list of rows (row $i$ = output $i$, column $j$ = input $j$); it is not square.",
        level="warm-up",
        expected=[[4.0, 0.0], [1.0, 3.0], [1.0, 0.0]],
        points=1,
        hint=r"Row 1 is the gradient of $xy^2$, namely $[y^2,\ 2xy]$.",
        answer_text="[[4, 0], [1, 3], [1, 0]] (3 x 2)",
    ),
    Exercise(
        "03.2",
        "matrix",
        "by hand",
        r"A layer computes $y = \tanh(Wx)$ with $W = \begin{pmatrix} 1 & 2 \\ 0 & -1 "
        r"\end{pmatrix}$. Give its Jacobian $\partial y / \partial x$ at $x = (1, 0)$.",
        level="compute",
        expected=lambda: np.diag(1 - np.tanh([1.0, 0.0]) ** 2) @ np.array([[1.0, 2.0], [0, -1]]),
        rtol=5e-4,  # 4 significant digits, rounded or cut off (0.4199), are accepted
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                [[1.0, 2.0], [0.0, -1.0]],
                "That is W alone: the chain rule multiplies it by tanh' = 1 - tanh^2 of each "
                "pre-activation.",
            ),
        ),
        hint=r"$\partial y_i/\partial x_j = (1 - \tanh^2((Wx)_i))\, W_{ij}$.",
        answer_text="diag(1 - tanh^2([1, 0])) @ W = [[0.420, 0.840], [0, -1]]",
    ),
    Exercise(
        "03.3",
        "function",
        "by hand",
        r"Write `polar_jacobian(r, theta)` returning the $2 \times 2$ Jacobian of "
        r"$(r, \theta) \mapsto (r\cos\theta,\; r\sin\theta)$.",
        level="compute",
        expected=_ref_polar_jacobian,
        probes=((1.0, 0.0), (2.0, 0.7), (0.5, -2.0)),
        rtol=1e-5,
        atol=1e-7,
        mistakes=(
            Mistake(
                lambda r, t: _ref_polar_jacobian(r, t).T,
                "Rows and columns are swapped: row i is output i, column j is input j.",
            ),
        ),
        answer_text="[[cos t, -r sin t], [sin t, r cos t]]",
    ),
    Exercise(
        "03.4",
        "number",
        "by hand",
        r"The map $\mathbf{f}(x, y) = (x^2 - y^2,\; 2xy)$ sends a small disc around $(1, 2)$ "
        r"to a small region. By what factor is its area multiplied (to first order)?",
        level="compute",
        expected=20.0,
        points=1,
        mistakes=(
            Mistake(-20.0, "Area is never negative: take the absolute value of det J."),
            Mistake(
                4.47213595499958,
                "That is the square root of det J: area grows by |det J| itself.",
            ),
        ),
        hint=r"The factor is $|\det J_{\mathbf{f}}(1, 2)|$.",
        answer_text="|det J| = 4x^2 + 4y^2 = 20",
    ),
    Exercise(
        "03.5",
        "function",
        "by hand",
        r"**Derive** the Jacobian of $\mathbf{f}:\mathbb{R}^n \to \mathbb{R}^n$, "
        r"$\mathbf{f}(\mathbf{x}) = \lVert\mathbf{x}\rVert^2\,\mathbf{x}$, entry by entry "
        r"(write $f_i = (\sum_k x_k^2)\, x_i$), and then as a matrix expression in "
        r"$\mathbf{x}$ and the identity $I$. Write it as `jacobian_f(x)` for a 1-D array "
        r"`x` of any length $n$. "
        r"The formula is graded; your derivation is self-checked "
        r"against the rubric in the solutions.",
        level="derive",
        expected=_cubic_jacobian,
        probes=(
            (np.array([1.0, 2.0]),),
            (np.array([0.5, -1.0]),),
            (np.array([3.0, 0.0]),),
        ),
        rtol=1e-9,
        atol=1e-9,
        points=2,
        mistakes=(
            Mistake(
                lambda x: np.dot(x, x) * np.eye(len(x)),
                "That treats the factor |x|^2 as a constant: it depends on x too (product rule).",
            ),
            Mistake(
                lambda x: np.dot(x, x) * np.eye(len(x)) + np.outer(x, x),
                "The derivative of sum_k x_k^2 with respect to x_j is 2 x_j: the outer "
                "product needs a factor 2.",
            ),
        ),
        hint=r"Product rule: $\partial f_i/\partial x_j = 2x_j\,x_i + \lVert\mathbf{x}\rVert^2 "
        r"\delta_{ij}$.",
        answer_text="|x|^2 I + 2 x x^T",
    ),
    Exercise(
        "03.6",
        "function",
        "code",
        r"Write `fd_jacobian(f, x, h)`: the Jacobian of a vector function `f` (a 1-D array in, "
        r"a 1-D array out) at the point `x` by central differences, column $j$ being "
        r"$\bigl(\mathbf{f}(\mathbf{x} + h\mathbf{e}_j) - \mathbf{f}(\mathbf{x} - h\mathbf{e}_j)"
        r"\bigr)/(2h)$. It returns an $m \times n$ array and is checked with steps up to "
        r"$h = 0.1$ (so it must be exactly this formula).",
        level="code",
        expected=_central_jacobian,
        probes=(
            (_three_outputs, np.array([0.5, -1.0]), 1e-5),
            (_three_outputs, np.array([1.0, 2.0]), 0.1),
            (_three_outputs, np.array([-0.3, 0.7]), 0.05),
        ),
        rtol=1e-6,
        atol=1e-8,
        points=2,
        mistakes=(
            Mistake(
                _forward_jacobian,
                "This is the forward difference (f(x + h e_j) - f(x)) / h. Step to both "
                "sides of x.",
            ),
        ),
        hint="Build the columns in a list and stack them with `np.column_stack`.",
        answer_text="columns (f(x + h e_j) - f(x - h e_j)) / (2h)",
    ),
]
