"""Exercises of chapter 2: gradient."""

from __future__ import annotations

import math

from ._exercise import Exercise, Mistake

EXERCISES = [
    Exercise(
        "02.1",
        "vector",
        "by hand",
        r"For $f(x, y, z) = xyz$, find $\nabla f$ and evaluate it at $(1, 2, 3)$.",
        expected=[6.0, 3.0, 2.0],
        points=2,
        hint=r"$\partial f/\partial x = yz$; the other two follow the same pattern.",
        answer_text="[6, 3, 2]",
    ),
    Exercise(
        "02.2",
        "vector",
        "by hand",
        r"For $f(x, y) = x^2 + 2y^2$, give the **unit** vector of steepest ascent at $(1, 1)$.",
        expected=[1 / math.sqrt(5), 2 / math.sqrt(5)],
        rtol=1e-3,
        atol=6e-3,  # two decimals ([0.45, 0.89]) are enough; [2, 4] and -grad stay wrong
        mistakes=(
            Mistake([2.0, 4.0], "That is the gradient itself: divide it by its length."),
            Mistake(
                [-1 / math.sqrt(5), -2 / math.sqrt(5)],
                "That is the direction of steepest *descent*.",
            ),
        ),
        answer_text="[1, 2] / sqrt(5)",
    ),
    Exercise(
        "02.3",
        "number",
        "explore",
        r"Open the gradient-field explorer of $f(x, y) = x^2 + 3y^2$ and move the point to "
        r"$(1, 1)$. How long is the gradient arrow, $\|\nabla f(1, 1)\|$? "
        "(Read it off the explorer.)",
        expected=math.sqrt(40.0),
        rtol=0,
        atol=0.01,
        mistakes=(Mistake(40.0, "That is the squared length: take the square root."),),
        answer_text="sqrt(40) = 6.325",
    ),
    Exercise(
        "02.4",
        "vector",
        "code",
        r"Sample $f(x, y) = x^2 + y^2$ on a $20 \times 20$ grid on $[-2, 2]^2$, fit "
        r"`calcml.MultivariateDerivatives` to the samples (not to the formula) and give the "
        r"gradient of the fit at $(-1, 2)$.",
        expected=[-2.0, 4.0],
        rtol=0,
        atol=0.05,
        answer_text="[-2, 4] (from sampled data)",
    ),
]
