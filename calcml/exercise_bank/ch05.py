"""Exercises of chapter 5: laplacian."""

from __future__ import annotations

import numpy as np

from ..transforms import laplacian
from ._exercise import Exercise, Mistake


def _g5(x, y):
    """Test function for 05.2: sin(x) cos(2y) + x^2 y^3."""
    return np.sin(x) * np.cos(2 * y) + x**2 * y**3


def _five_point(f, x, y, h):
    return (f(x + h, y) + f(x - h, y) + f(x, y + h) + f(x, y - h) - 4 * f(x, y)) / h**2


def _exact_laplacian(f, x, y, h):
    return laplacian(f)(x, y)


EXERCISES = [
    Exercise(
        "05.1",
        "number",
        "by hand",
        r"For $f(x, y) = x^2 y + y^3$, compute the Laplacian $\Delta f$ at $(1, 2)$.",
        expected=16.0,
        hint=r"$\Delta f = f_{xx} + f_{yy}$ (the trace of the Hessian).",
        answer_text="16",
    ),
    Exercise(
        "05.2",
        "function",
        "code",
        r"Write `five_point(f, x, y, h)` returning the 5-point stencil estimate of the "
        r"Laplacian of $f$ at $(x, y)$. It is checked with steps from $h = 10^{-3}$ to "
        r"$h = 0.25$ (where the stencil's own error shows, so it must be exactly this stencil).",
        expected=_five_point,
        probes=((_g5, 0.3, 0.4, 1e-3), (_g5, -1.0, 0.5, 0.1), (_g5, 2.0, -0.7, 0.25)),
        rtol=1e-5,
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                _exact_laplacian,
                "These are exact Laplacians, not the 5-point stencil with step h: at a large "
                "step the two differ. Use f at the four neighbours at distance h.",
            ),
        ),
        hint="Sum the four neighbours, subtract 4 f(x, y), divide by h^2.",
        answer_text="(f(x+h,y) + f(x-h,y) + f(x,y+h) + f(x,y-h) - 4 f(x,y)) / h^2",
    ),
    Exercise(
        "05.3",
        "choice",
        "by hand",
        r"Which of these functions is harmonic (Laplacian zero everywhere)? "
        r"`x^2 + y^2`, `x^2 - y^2`, `x*y^2`, `exp(x) + y^2`",
        expected="x^2 - y^2",
        choices=("x^2 + y^2", "x^2 - y^2", "x*y^2", "exp(x) + y^2"),
        mistakes=(Mistake("x^2 + y^2", "Its Laplacian is 2 + 2 = 4 everywhere."),),
        answer_text="x^2 - y^2",
    ),
]
