"""Exercises of chapter 7: chain rule."""

from __future__ import annotations

import math

from ._exercise import Exercise, Mistake

EXERCISES = [
    Exercise(
        "07.1",
        "number",
        "by hand",
        r"Let $z = f(x, y) = x^2 y$ with $x = \cos t$, $y = \sin t$. Compute $dz/dt$ at "
        r"$t = \pi/4$.",
        expected=-1 / (2 * math.sqrt(2)),
        rtol=2e-3,  # accepts -0.354 and -0.3536 (by hand); rejects -0.35
        atol=1e-6,
        points=2,
        answer_text="-1/(2 sqrt 2) = -0.35355",
    ),
    Exercise(
        "07.2",
        "matrix",
        "by hand",
        r"With $g(x, y) = (x + y,\; x - y)$ and $f(u, v) = (uv,\; u^2)$, give the Jacobian of "
        r"$f \circ g$ at $(1, 2)$.",
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
        "choice",
        "by hand",
        r"A network maps a million inputs to one scalar loss through a chain of layers. "
        r"Which order of multiplying the layer Jacobians is cheaper?",
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
]
