"""Exercises of chapter 6: directional derivatives."""

from __future__ import annotations

import math

import numpy as np

from ._exercise import Exercise, Mistake


def _level_tangent(x, y):
    """Return the unit tangent of the level curves of x^2 + 4 y^2 (the turned gradient)."""
    gx, gy = 2 * x, 8 * y
    return np.array([-gy, gx]) / np.hypot(gx, gy)


def _check(f, grad, p, v, h):
    """Return grad(p) . v minus the central difference of f along v (v as given)."""
    p, v = np.asarray(p, dtype=float), np.asarray(v, dtype=float)
    return np.dot(grad(p), v) - (f(p + h * v) - f(p - h * v)) / (2 * h)


def _check_unit(f, grad, p, v, h):
    v = np.asarray(v, dtype=float)
    return _check(f, grad, p, v / np.linalg.norm(v), h)


def _cubic(p):
    return p[0] ** 2 * p[1] + np.sin(p[2]) * p[0]


def _cubic_grad(p):
    x, y, z = p
    return np.array([2 * x * y + np.sin(z), x**2, x * np.cos(z)])


def _cubic_grad_wrong(p):
    x, y, z = p
    return np.array([2 * x * y + np.sin(z), x**2, -x * np.cos(z)])


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
    Exercise(
        "06.4",
        "vector",
        "by hand",
        r"For $f(x, y, z) = x\,e^{y} + z^2$, give the unit vector $\mathbf v$ along which $f$ "
        r"decreases fastest at $(1, 0, 1)$.",
        expected=-np.array([1.0, 1.0, 2.0]) / math.sqrt(6),
        rtol=0,
        atol=2e-3,
        points=2,
        mistakes=(
            Mistake(
                np.array([1.0, 1.0, 2.0]) / math.sqrt(6),
                "That is the direction of steepest ascent: turn it around.",
            ),
            Mistake(
                [-1.0, -1.0, -2.0],
                "Right direction, but not a unit vector: divide by its length sqrt(6).",
            ),
        ),
        hint=r"$\nabla f = (e^y,\ x e^y,\ 2z)$; steepest descent is "
        r"$-\nabla f/\lVert\nabla f\rVert$.",
        answer_text="-(1, 1, 2) / sqrt(6)",
    ),
    Exercise(
        "06.5",
        "function",
        "by hand",
        r"**Prove** that at a point where $\nabla f \neq \mathbf 0$ the gradient is orthogonal to "
        r"every curve that stays in the level set of $f$ through that point. Then, for "
        r"$f(x, y) = x^2 + 4y^2$, write `tangent(x, y)` returning the unit tangent vector of the "
        r"level curve through $(x, y) \neq (0, 0)$, the one obtained by turning "
        r"$\nabla f$ by $90^\circ$ counter-clockwise. The formula is graded; your proof is "
        r"self-checked against the rubric in the solutions.",
        expected=_level_tangent,
        probes=((1.0, 0.0), (0.0, 1.0), (1.0, 0.5), (-2.0, 0.25)),
        rtol=1e-6,
        atol=1e-9,
        points=3,
        mistakes=(
            Mistake(
                lambda x, y: -_level_tangent(x, y),
                "This tangent points the other way: turn the gradient counter-clockwise, "
                "(a, b) -> (-b, a).",
            ),
        ),
        hint=r"Turning $(a, b)$ by $90^\circ$ counter-clockwise gives $(-b, a)$; then normalise.",
        answer_text="(-8y, 2x) / |(2x, 8y)|",
    ),
    Exercise(
        "06.6",
        "function",
        "code",
        r"A gradient check along a direction. Write `check(f, grad, p, v, h)` returning "
        r"$\nabla f(\mathbf p)\cdot\mathbf v - \dfrac{f(\mathbf p + h\mathbf v) - "
        r"f(\mathbf p - h\mathbf v)}{2h}$, where `grad(p)` is a claimed gradient. Do not "
        r"normalise $\mathbf v$: both terms are linear in it (a Jacobian-vector product).",
        expected=_check,
        probes=(
            (_cubic, _cubic_grad, np.array([1.0, 2.0, 0.5]), np.array([0.6, 0.0, 0.8]), 1e-5),
            (_cubic, _cubic_grad, np.array([1.0, 2.0, 0.5]), np.array([3.0, -1.0, 2.0]), 1e-5),
            (
                _cubic,
                _cubic_grad_wrong,
                np.array([-1.0, 0.5, 1.0]),
                np.array([0.0, 0.0, 2.0]),
                1e-5,
            ),
        ),
        rtol=1e-5,
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                _check_unit,
                "This normalises v. A Jacobian-vector product is linear in v: the check must "
                "compare grad . v with the difference quotient along v itself.",
            ),
        ),
        hint="Both terms use the same v; call f at p + h v and at p - h v.",
        answer_text="grad(p) . v - (f(p + h v) - f(p - h v)) / (2h)",
    ),
    Exercise(
        "06.7",
        "choice",
        "code",
        r"The exercise notebook gives a function `f` of $(x, y, z)$ and a claimed gradient "
        r"`claimed_grad` with one wrong component. Use your `check` along the three axes at a "
        r"few points to find it: which component is wrong?",
        expected="z",
        choices=("x", "y", "z", "none"),
        mistakes=(
            Mistake(
                "none",
                "Check along the axis vectors at a point where cos(z) is not zero: one "
                "difference is far from 0.",
            ),
        ),
        answer_text="z (the sign of x cos z)",
    ),
]
