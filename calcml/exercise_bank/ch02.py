"""Exercises of chapter 2: gradient."""

from __future__ import annotations

import math

import numpy as np

from ..transforms import grad
from ._exercise import Exercise, Mistake


def _tangent(x, y):
    """Counterclockwise unit tangent of the level curve of x^2 + 4y^2 (02.5)."""
    v = np.array([-8.0 * y, 2.0 * x])
    return v / np.linalg.norm(v)


def _unit_gradient(x, y):
    v = np.array([2.0 * x, 8.0 * y])
    return v / np.linalg.norm(v)


def _plane(x, y):
    """Tangent plane of sqrt(x^2 + y^2) at (3, 4) (02.4)."""
    return 5.0 + 0.6 * (x - 3.0) + 0.8 * (y - 4.0)


def _rosen(p):
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 10 * (y - x**2) ** 2


def _rosen_grad(p):
    return np.array([-2 * (1 - p[0]) - 40 * p[0] * (p[1] - p[0] ** 2), 20 * (p[1] - p[0] ** 2)])


def _rosen_grad_bug(p):
    return np.array([-2 * (1 - p[0]) - 20 * p[0] * (p[1] - p[0] ** 2), 20 * (p[1] - p[0] ** 2)])


def _xyz(p):
    return p[..., 0] * p[..., 1] * p[..., 2]


def _xyz_grad_bug(p):
    return np.array([p[1] * p[2], p[0] * p[2], p[0] * p[2]])


def _gradient_check(f, grad_f, p):
    a, b = np.asarray(grad_f(p), dtype=float), grad(f)(p)
    return np.max(np.abs(a - b)) / np.max(np.abs(b))


def _tangent_points(rng):
    """Points for 02.5 drawn at grading time: in [-2, 2]^2, away from the origin."""
    pts = rng.uniform(-2.0, 2.0, size=(4, 2))
    pts[np.hypot(pts[:, 0], pts[:, 1]) < 0.2] += 0.5
    return [tuple(float(v) for v in p) for p in pts]


EXERCISES = [
    Exercise(
        "02.1",
        "vector",
        "by hand",
        r"For $f(x, y, z) = xyz$, find $\nabla f$ and evaluate it at $(1, 2, 3)$.",
        level="warm-up",
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
        level="warm-up",
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
        level="compute",
        expected=math.sqrt(40.0),
        rtol=0,
        atol=0.01,
        mistakes=(Mistake(40.0, "That is the squared length: take the square root."),),
        answer_text="sqrt(40) = 6.325",
    ),
    Exercise(
        "02.4",
        "function",
        "by hand",
        r"Write the **linearisation** (tangent plane) of $f(x, y) = \sqrt{x^2 + y^2}$ at "
        r"$(3, 4)$ as a function `tangent_plane(x, y)`, the first-order model "
        r"$f(\mathbf{a}) + \nabla f(\mathbf{a}) \cdot (\mathbf{x} - \mathbf{a})$.",
        level="compute",
        expected=_plane,
        probes=((3.0, 4.0), (3.1, 3.9), (0.0, 0.0), (5.0, -1.0)),
        rtol=1e-9,
        atol=1e-9,
        points=2,
        mistakes=(
            Mistake(
                lambda x, y: 5.0 + 0.6 * x + 0.8 * y,
                "The gradient multiplies the displacement x - a from the point (3, 4), "
                "not x itself.",
            ),
        ),
        hint=r"$\nabla f = [x, y]/\sqrt{x^2 + y^2}$, so $\nabla f(3, 4) = [0.6,\ 0.8]$.",
        answer_text="5 + 0.6 (x - 3) + 0.8 (y - 4)",
    ),
    Exercise(
        "02.5",
        "function",
        "by hand",
        r"**Prove** that the gradient is orthogonal to level curves: if $f$ is differentiable "
        r"and $\mathbf{c}(t)$ is a differentiable curve with $f(\mathbf{c}(t)) = k$ for all $t$, "
        r"then $\nabla f(\mathbf{c}(t)) \cdot \mathbf{c}'(t) = 0$. Then use it: for "
        r"$f(x, y) = x^2 + 4y^2$, write `tangent(x, y)` returning the **unit** tangent vector "
        r"of the level curve through $(x, y) \neq (0, 0)$ that points counterclockwise, i.e. "
        r"$\nabla f$ turned by $+90^\circ$ and divided by its length. "
        r"The formula is graded; your proof is self-checked "
        r"against the rubric in the solutions.",
        level="derive",
        expected=_tangent,
        probes=((2.0, 1.0), (1.0, 0.0), (0.0, -0.5), (-1.5, 0.25)),
        probe_sampler=_tangent_points,
        rtol=1e-6,
        atol=1e-9,
        points=2,
        mistakes=(
            Mistake(
                lambda x, y: -_tangent(x, y),
                "This points clockwise: turning [a, b] by +90 degrees gives [-b, a].",
            ),
            Mistake(
                _unit_gradient,
                "That is the unit gradient, the normal of the level curve, not its tangent.",
            ),
        ),
        hint=r"$\nabla f = [2x,\ 8y]$; turning $[a, b]$ by $+90^\circ$ gives $[-b, a]$.",
        answer_text="[-8y, 2x] / sqrt(64 y^2 + 4 x^2)",
    ),
    Exercise(
        "02.6",
        "vector",
        "code",
        r"Sample $f(x, y) = x^2 y$ on a $25 \times 25$ grid on $[-1, 2] \times [0, 3]$, fit "
        r"`calcml.MultivariateDerivatives` to the samples (not to the formula) and give the "
        r"gradient of the fit at $(1, 2)$.",
        level="code",
        expected=[4.0, 1.0],
        rtol=0,
        atol=0.01,
        mistakes=(
            Mistake([1.0, 4.0], "The entries are swapped: df/dx comes first."),
            Mistake(
                [2.0, 1.0],
                "That is [2x, x^2] with y left out: df/dx = 2xy depends on y too.",
            ),
        ),
        hint="`fit` wants one sample point per row, shape (625, 2), and the values in the "
        "same order; query with an array of shape (1, 2).",
        answer_text="[4, 1] (from sampled data)",
    ),
    Exercise(
        "02.7",
        "function",
        "code",
        r"Write `gradient_check(f, grad_f, p)` that compares a hand-written gradient "
        r"`grad_f(p)` with `calcml.grad(f)(p)` and returns the relative error "
        r"$\max_i |a_i - b_i| / \max_i |b_i|$, where $\mathbf{a}$ is the hand-written and "
        r"$\mathbf{b}$ the calcml gradient. `f` and `grad_f` take one array `p`. It is "
        r"checked on a correct and on two wrong gradients.",
        level="code",
        expected=_gradient_check,
        probes=(
            (_rosen, _rosen_grad, np.array([0.5, -0.3])),
            (_rosen, _rosen_grad_bug, np.array([0.5, -0.3])),
            (_rosen, _rosen_grad_bug, np.array([-1.0, 2.0])),
            (_xyz, _xyz_grad_bug, np.array([1.0, 2.0, 3.0])),
        ),
        rtol=1e-3,
        atol=1e-7,
        points=2,
        hint="Both gradients are arrays of the same shape: subtract, take abs and max, and "
        "divide by the largest entry of the calcml gradient.",
        answer_text="max|a - b| / max|b| with b = calcml.grad(f)(p)",
    ),
]
