"""Exercises of chapter 9: gradient descent."""

from __future__ import annotations

import math

import numpy as np

from ._exercise import Exercise, Mistake


def _iterate(x0, y0, eta, k):
    """Descent on 3 (x + 1)^2 + (y - 2)^2 / 2 after k steps, in closed form."""
    return [-1 + (1 - 6 * eta) ** k * (x0 + 1), 2 + (1 - eta) ** k * (y0 - 2)]


def _iterate_half_x(x0, y0, eta, k):
    return [-1 + (1 - 3 * eta) ** k * (x0 + 1), 2 + (1 - eta / 2) ** k * (y0 - 2)]


def _newton(x0, y0, steps):
    """Newton's method on x^4 + y^2 + x y."""
    p = np.array([x0, y0], dtype=float)
    for _ in range(int(steps)):
        x, y = p
        grad = np.array([4 * x**3 + y, 2 * y + x])
        hess = np.array([[12 * x**2, 1.0], [1.0, 2.0]])
        p = p - np.linalg.solve(hess, grad)
    return p


EXERCISES = [
    Exercise(
        "09.1",
        "number",
        "by hand",
        r"Gradient descent with a fixed learning rate $\eta$ minimises "
        r"$f(x, y) = 2x^2 + \tfrac12 y^2$. Which rate makes the distance to the minimum shrink "
        r"fastest (the smallest worst-case factor per step)?",
        level="compute",
        expected=0.4,
        rtol=0,
        atol=1e-3,
        points=2,
        mistakes=(
            Mistake(
                0.5,
                "0.5 = 2 / lambda_max is the boundary: the x-factor is 1 - 4 * 0.5 = -1 and x "
                "oscillates for ever.",
            ),
            Mistake(
                0.25,
                "At 1 / lambda_max = 0.25 the x-component vanishes in one step, but the y-factor "
                "is 1 - 0.25 = 0.75: a larger rate helps y more than it hurts x.",
            ),
        ),
        hint=r"Each step multiplies the components by $1 - 4\eta$ and $1 - \eta$; make the "
        r"larger of the two magnitudes as small as possible.",
        answer_text="2 / (4 + 1) = 0.4 (factor 0.6)",
    ),
    Exercise(
        "09.2",
        "number",
        "explore",
        r"Open the gradient-descent explorer on $f(x, y) = x^2 + 3y^2$. What is the largest "
        r"learning rate for which descent still converges? (Two decimals.)",
        level="compute",
        expected=0.33,
        rtol=0,
        atol=0.00333,  # accepts 0.33 to 0.3333 (all converge); rejects 1/3 and above
        points=2,
        mistakes=(
            Mistake(
                1 / 3,
                "1/3 = 2 / (largest Hessian eigenvalue) is the boundary: at exactly that rate the "
                "y-factor is 1 - 6/3 = -1 and the iterates oscillate for ever. Give the largest "
                "two-decimal rate below it.",
            ),
            Mistake(
                0.34,
                "At 0.34 the y-factor is 1 - 6 * 0.34 = -1.04: descent diverges. Go one step down.",
            ),
        ),
        hint="Watch the steep direction (y): the iterates start to oscillate, then to diverge.",
        answer_text="0.33 (just below 2 / largest Hessian eigenvalue 6 = 1/3)",
    ),
    Exercise(
        "09.3",
        "function",
        "by hand",
        r"**Derive** the iterates of gradient descent in closed form for "
        r"$f(x, y) = 3(x + 1)^2 + \tfrac12(y - 2)^2$ with rate $\eta$ from $(x_0, y_0)$: write "
        r"`iterate(x0, y0, eta, k)` returning $(x_k, y_k)$ after $k$ steps, from your formula "
        r"(no loop). The formula is graded; your written argument is self-checked against "
        r"the rubric in the solutions.",
        level="derive",
        expected=_iterate,
        probes=((0.0, 0.0, 0.1, 5), (2.0, -1.0, 0.3, 3), (1.0, 1.0, 0.05, 10)),
        rtol=1e-9,
        atol=1e-9,
        points=3,
        mistakes=(
            Mistake(
                _iterate_half_x,
                "The factors are too close to 1: the derivative of 3 (x + 1)^2 is 6 (x + 1), "
                "and that of (y - 2)^2 / 2 is (y - 2).",
            ),
        ),
        hint=r"Write the update for $x_k + 1$ and for $y_k - 2$: each is multiplied by a "
        r"constant factor at every step.",
        answer_text="(-1 + (1 - 6 eta)^k (x0 + 1), 2 + (1 - eta)^k (y0 - 2))",
    ),
    Exercise(
        "09.4",
        "vector",
        "code",
        r"Minimise $f(x, y) = \sin x + \cos y$ by gradient descent from $(0, 0)$ with learning "
        r"rate $0.1$ and $1000$ steps. Where does it end?",
        level="code",
        expected=[-math.pi / 2, 0.0],
        rtol=0,
        atol=1e-2,
        points=2,
        mistakes=(
            Mistake(
                [-math.pi / 2, math.pi],
                "That is the minimum, but descent started exactly at y = 0 cannot get there: "
                "the y-component of the gradient, -sin(y), is zero all along the way.",
            ),
        ),
        answer_text="(-pi/2, 0): stalls on the saddle",
    ),
    Exercise(
        "09.5",
        "vector",
        "code",
        r"Repeat from $(0, 0.01)$ (a small nudge). Where does it end now?",
        level="code",
        expected=[-math.pi / 2, math.pi],
        rtol=0,
        atol=1e-2,
        points=2,
        mistakes=(
            Mistake(
                [-math.pi / 2, 0.0],
                "That is the saddle: with the nudge the y-gradient is no longer zero. "
                "Did you run enough steps?",
            ),
        ),
        answer_text="(-pi/2, pi): the minimum",
    ),
    Exercise(
        "09.6",
        "function",
        "code",
        r"Implement Newton's method for $f(x, y) = x^4 + y^2 + xy$: write "
        r"`newton(x0, y0, steps)` returning the point after `steps` Newton steps from "
        r"$(x_0, y_0)$ (gradient and Hessian by hand). Then compare it with gradient descent "
        r"(`calcml.gradient_descent`, rate $0.1$) from $(1, 1)$: how many steps does each need "
        r"to bring $\lVert\nabla f\rVert$ below $10^{-8}$?",
        level="code",
        expected=_newton,
        probes=((1.0, 1.0, 1), (1.0, 1.0, 4), (-2.0, 0.5, 3), (0.5, -1.0, 6)),
        rtol=1e-7,
        atol=1e-9,
        points=3,
        hint=r"$\nabla f = (4x^3 + y,\ 2y + x)$ and "
        r"$H = \begin{bmatrix} 12x^2 & 1 \\ 1 & 2 \end{bmatrix}$; solve $H\,\mathbf d = "
        r"\nabla f$ and step to $\mathbf x - \mathbf d$.",
        answer_text="x <- x - H^{-1} grad f, repeated",
    ),
]
