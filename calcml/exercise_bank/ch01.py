"""Exercises of chapter 1: partial derivatives."""

from __future__ import annotations

import numpy as np

from ..transforms import partial
from ._exercise import Exercise, Mistake


def _g1(x, y):
    """Test function for 01.3: e^x sin(y) + x^3 y."""
    return np.exp(x) * np.sin(y) + x**3 * y


def _central_x(f, x, y, h):
    return (f(x + h, y) - f(x - h, y)) / (2 * h)


def _exact_x(f, x, y, h):
    return partial(f, 0)(x, y)


def _forward_x(f, x, y, h):
    return (f(x + h, y) - f(x, y)) / h


EXERCISES = [
    Exercise(
        "01.1",
        "vector",
        "by hand",
        r"For $f(x, y) = x^2 + xy + y^2$, compute $\partial f/\partial x$ and "
        r"$\partial f/\partial y$ at $(1, 2)$. Answer with the list "
        r"`[df/dx, df/dy]`.",
        expected=[4.0, 5.0],
        points=2,
        hint="Differentiate with respect to one variable while you hold the other one fixed.",
        answer_text="[4, 5]",
    ),
    Exercise(
        "01.2",
        "number",
        "by hand",
        r"For $f(x, y) = x^3 y - 2y^2$, compute $\partial f/\partial y$ at $(2, 1)$.",
        expected=4.0,
        points=1,
        mistakes=(Mistake(12.0, "That is the partial derivative with respect to x."),),
        hint=r"Hold $x$ fixed: $x^3$ is a constant factor of $y$.",
        answer_text="4",
    ),
    Exercise(
        "01.3",
        "function",
        "code",
        r"Write a function `partial_x(f, x, y, h)` that returns the **central** difference "
        r"estimate of $\partial f/\partial x$ at $(x, y)$ with step $h$. "
        r"It is checked on a test function at a few points, with steps from $h = 10^{-4}$ to "
        r"$h = 0.25$ (where the formula's own error shows, so it must be exactly this formula).",
        expected=_central_x,
        probes=((_g1, 0.5, 1.0, 1e-4), (_g1, 1.0, -2.0, 0.1), (_g1, -1.5, 0.3, 0.25)),
        rtol=1e-6,
        atol=1e-7,
        points=2,
        mistakes=(
            Mistake(
                _exact_x,
                "These are exact derivatives, not the central difference with step h: at a "
                "large step the two differ. Use f at x + h and x - h.",
            ),
            Mistake(
                _forward_x,
                "This is the forward difference (f(x+h) - f(x)) / h: its error shrinks "
                "like h, not h^2. Step to both sides of x.",
            ),
        ),
        hint="Evaluate f at x + h and at x - h, with y unchanged.",
        answer_text="(f(x+h, y) - f(x-h, y)) / (2h)",
    ),
]
