"""Exercises of chapter 6: directional derivatives."""

from __future__ import annotations

import math

from ._exercise import Exercise, Mistake

EXERCISES = [
    Exercise(
        "06.1",
        "number",
        "by hand",
        r"For $f(x, y) = x^2 + xy + y^2$, compute the directional derivative at $(1, 2)$ in the "
        r"direction of $(3, 4)$.",
        expected=6.4,
        rtol=1e-6,
        atol=1e-6,
        points=2,
        mistakes=(Mistake(32.0, "The direction must be a unit vector: divide (3, 4) by 5."),),
        answer_text="[4, 5] . [3, 4] / 5 = 6.4",
    ),
    Exercise(
        "06.2",
        "number",
        "explore",
        r"Open the directional-derivative explorer of $f(x, y) = x^2 y$ at $(1, 2)$ and turn the "
        r"direction. At which angle $\theta$ in $[0^\circ, 180^\circ)$ is $D_v f = 0$? "
        "(In degrees; read it off the explorer.)",
        expected=90.0 + math.degrees(math.atan2(1.0, 4.0)),
        rtol=0,
        atol=0.5,  # 104.04: on the whole-degree slider only 104
        mistakes=(
            Mistake(
                math.degrees(math.atan2(1.0, 4.0)),
                "At that angle D_v f is largest (along the gradient); turn a quarter further.",
            ),
            Mistake(103.0, "One degree short: D_v f changes sign between 104 and 105 degrees."),
            Mistake(105.0, "One degree too far: D_v f changes sign between 104 and 105 degrees."),
        ),
        answer_text="90 + atan2(1, 4) = 104.04 degrees",
    ),
    Exercise(
        "06.3",
        "choice",
        "by hand",
        r"In which direction is the directional derivative $D_v f$ smallest (most negative)?",
        expected="against the gradient",
        choices=(
            "along the gradient",
            "against the gradient",
            "perpendicular to the gradient",
            "it depends on the function",
        ),
        mistakes=(
            Mistake(
                "perpendicular to the gradient",
                "Perpendicular to the gradient D_v f is zero, not smallest.",
            ),
        ),
        answer_text="against the gradient (value -norm(grad f))",
    ),
]
