"""Exercises of chapter 6: directional derivatives."""

from __future__ import annotations

import math

import numpy as np

from ._exercise import Exercise, Mistake


def _second_slope(x, y, theta):
    """Return v^T H v for x^3 + x y^2 at (x, y), v = (cos theta, sin theta)."""
    c, s = math.cos(theta), math.sin(theta)
    return 6 * x * c**2 + 4 * y * c * s + 2 * x * s**2


def _second_slope_half_cross(x, y, theta):
    c, s = math.cos(theta), math.sin(theta)
    return 6 * x * c**2 + 2 * y * c * s + 2 * x * s**2


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


def _half_slope_angles(gx, gy, turn=60.0):
    """Return the two angles (degrees, ascending, in [0, 360)) where the slope is |grad| / 2."""
    phi = math.degrees(math.atan2(gy, gx))
    return sorted([(phi - turn) % 360, (phi + turn) % 360])


EXERCISES = [
    Exercise(
        "06.1",
        "number",
        "by hand",
        r"For $f(x, y) = xy^2$, compute the directional derivative at $(1, 2)$ in the "
        r"direction of $(5, -12)$.",
        level="warm-up",
        expected=-28 / 13,
        rtol=1e-3,  # accepts -2.154 and -28/13
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(-28.0, "The direction must be a unit vector: divide (5, -12) by 13."),
            Mistake(28 / 13, "The sign is wrong: the y-component of the direction is -12."),
        ),
        hint=r"$\nabla f = (y^2,\ 2xy)$; the length of $(5, -12)$ is 13.",
        answer_text="(4, 4) . (5, -12) / 13 = -28/13 = -2.1538",
    ),
    Exercise(
        "06.2",
        "choice",
        "by hand",
        r"At a point where $\nabla f \neq \mathbf 0$, in which direction is the directional "
        r"derivative $D_{\mathbf v} f$ smallest (most negative)?",
        level="warm-up",
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
        "06.3",
        "number",
        "explore",
        r"Open the directional-derivative explorer of $f(x, y) = x^2 y$ at $(1, 2)$ and turn the "
        r"direction. At which angle $\theta$ in $[0^\circ, 180^\circ)$ is $D_{\mathbf v} f = 0$? "
        "(In degrees; read it off the explorer.)",
        level="compute",
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
        "06.4",
        "vector",
        "by hand",
        r"For $f(x, y, z) = x\,e^{y} + z^2$, give the unit vector $\mathbf v$ along which $f$ "
        r"decreases fastest at $(1, 0, 1)$.",
        level="compute",
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
        r"**Prove** that for $f$ with continuous second partial derivatives and a unit vector "
        r"$\mathbf v$, the second derivative of $g(t) = f(\mathbf p + t\mathbf v)$ at $t = 0$ "
        r"is $\mathbf v^\top H_f(\mathbf p)\,\mathbf v$ (the directional derivative of the "
        r"directional derivative). Then, for $f(x, y) = x^3 + xy^2$, write "
        r"`second_slope(x, y, theta)` returning it at $(x, y)$ along "
        r"$\mathbf v = (\cos\theta, \sin\theta)$. The formula is graded; your proof is "
        r"self-checked against the rubric in the solutions.",
        level="derive",
        expected=_second_slope,
        probes=((1.0, 2.0, 0.0), (1.0, 2.0, math.pi / 2), (-1.0, 0.5, 1.0), (0.3, -2.0, 2.5)),
        rtol=1e-6,
        atol=1e-9,
        points=3,
        mistakes=(
            Mistake(
                _second_slope_half_cross,
                "The mixed term appears twice in v^T H v: 2 f_xy v_1 v_2, with f_xy = 2y.",
            ),
        ),
        hint=r"$H = \begin{bmatrix} 6x & 2y \\ 2y & 2x \end{bmatrix}$.",
        answer_text="6x cos^2 + 4y cos sin + 2x sin^2",
    ),
    Exercise(
        "06.6",
        "function",
        "code",
        r"A gradient check along a direction. Write `check(f, grad, p, v, h)` returning "
        r"$\nabla f(\mathbf p)\cdot\mathbf v - \dfrac{f(\mathbf p + h\mathbf v) - "
        r"f(\mathbf p - h\mathbf v)}{2h}$, where `grad(p)` is a claimed gradient. Do not "
        r"normalise $\mathbf v$: both terms are linear in it (a Jacobian-vector product).",
        level="code",
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
        "function",
        "code",
        r"Given the gradient $(g_x, g_y) \neq \mathbf 0$ of $f$ at a point, write "
        r"`half_slope_angles(gx, gy)` returning the two angles (in degrees, measured "
        r"counter-clockwise from the positive $x$-axis, in $[0, 360)$, smaller first) of the "
        r"unit directions along which $f$ rises at exactly half its steepest rate.",
        level="code",
        expected=_half_slope_angles,
        probes=((4.0, 5.0), (1.0, 0.0), (0.0, -2.0), (-3.0, 1.0), (1.0, -1.0)),
        rtol=0,
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                lambda gx, gy: _half_slope_angles(gx, gy, 30.0),
                "At 30 degrees from the gradient the slope is cos(30) = 0.87 of the maximum; "
                "half needs cos(theta) = 1/2.",
            ),
        ),
        hint=r"$D_{\mathbf v} f = \lVert\nabla f\rVert\cos\theta$; "
        r"`math.atan2(gy, gx)` gives the gradient's angle.",
        answer_text="atan2(gy, gx) -/+ 60 degrees, mod 360, sorted",
    ),
]
