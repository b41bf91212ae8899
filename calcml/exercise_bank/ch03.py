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


EXERCISES = [
    Exercise(
        "03.1",
        "matrix",
        "by hand",
        r"For $f(x, y) = (x^2 + y,\; xy)$, give the Jacobian at $(1, 2)$ as a $2 \times 2$ list "
        r"of rows (row $i$ = output $i$, column $j$ = input $j$).",
        expected=[[2.0, 1.0], [2.0, 1.0]],
        points=2,
        answer_text="[[2, 1], [2, 1]]",
    ),
    Exercise(
        "03.2",
        "matrix",
        "by hand",
        r"A layer computes $y = \tanh(Wx)$ with $W = \begin{pmatrix} 1 & 2 \\ 0 & -1 "
        r"\end{pmatrix}$. Give its Jacobian $\partial y / \partial x$ at $x = (1, 0)$.",
        expected=lambda: np.diag(1 - np.tanh([1.0, 0.0]) ** 2) @ np.array([[1.0, 2.0], [0, -1]]),
        rtol=1e-4,
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
        "code",
        r"Write `polar_jacobian(r, theta)` returning the $2 \times 2$ Jacobian of "
        r"$(r, \theta) \mapsto (r\cos\theta,\; r\sin\theta)$.",
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
]
