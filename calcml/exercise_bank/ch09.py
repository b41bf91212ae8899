"""Exercises of chapter 9: gradient descent."""

from __future__ import annotations

import math

import numpy as np

from ._exercise import Exercise, Mistake


def _descent_end(start, lr, steps, grad):
    p = np.asarray(start, dtype=float)
    for _ in range(steps):
        p = p - lr * grad(p)
    return p


def _seed_descent():
    """Return where the seed example ends: (x-1)^2 + (y-2)^2 from (4, 5), rate 0.1, 20 steps."""
    return _descent_end((4.0, 5.0), 0.1, 20, lambda p: 2 * (p - np.array([1.0, 2.0])))


_CRITICAL = ("minimum", "maximum", "saddle", "inconclusive")


EXERCISES = [
    Exercise(
        "09.1",
        "vector",
        "code",
        r"Minimise $f(x, y) = \sin x + \cos y$ by gradient descent from $(0, 0)$ with learning "
        r"rate $0.1$ and $1000$ steps. Where does it end?",
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
        "09.2",
        "vector",
        "code",
        r"Repeat from $(0, 0.01)$ (a small nudge). Where does it end now?",
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
        "09.3",
        "number",
        "explore",
        r"Open the gradient-descent explorer on $f(x, y) = x^2 + 3y^2$. What is the largest "
        r"learning rate for which descent still converges? (Two decimals.)",
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
        "09.4",
        "vector",
        "code",
        r"Minimise $(x - 1)^2 + (y - 2)^2$ from $(4, 5)$ with learning rate $0.1$ for $20$ steps, "
        r"using a gradient learned from a $30 \times 30$ grid of samples on $[-1, 6]^2$. Give the "
        r"end point.",
        expected=_seed_descent,
        rtol=0,
        atol=5e-3,
        points=2,
        answer_text="(1.0346, 2.0346): 0.8^20 of the way back from (4, 5)",
    ),
]
