"""Exercises of chapter 8: critical points."""

from __future__ import annotations

import numpy as np

from ._exercise import CRITICAL_KINDS, Exercise, Mistake


def _cubic_eigenvalues(a):
    """Return the Hessian eigenvalues of x^3 + y^3 - 3 a x y at (a, a), ascending."""
    return np.linalg.eigvalsh(np.array([[6 * a, -3 * a], [-3 * a, 6 * a]]))


EXERCISES = [
    Exercise(
        "08.1",
        "vector",
        "by hand",
        r"Give the two eigenvalues of the Hessian of $f(x, y) = x^2 - y^2$ at $(0, 0)$.",
        level="warm-up",
        expected=[-2.0, 2.0],
        unordered=True,
        answer_text="-2 and 2 (any order): a saddle",
    ),
    Exercise(
        "08.2",
        "choice",
        "by hand",
        r"Classify the critical point $(0, 0)$ of $f(x, y) = x^2 + 3xy + y^2$.",
        level="warm-up",
        expected="saddle",
        choices=CRITICAL_KINDS,
        mistakes=(
            Mistake("minimum", "Both diagonal entries are positive, but check the eigenvalues."),
        ),
        answer_text="saddle (eigenvalues 5 and -1)",
    ),
    Exercise(
        "08.3",
        "choice",
        "by hand",
        r"Find every critical point of the monkey saddle $f(x, y) = x^3 - 3xy^2$ (solve "
        r"$\nabla f = \mathbf 0$) and apply the second-derivative test at each. What does the "
        r"test report?",
        level="compute",
        expected="inconclusive",
        choices=CRITICAL_KINDS,
        points=2,
        mistakes=(
            Mistake(
                "saddle",
                "The surface does look like a saddle, but the question is what the Hessian test "
                "says: compute the Hessian at the origin and its eigenvalues.",
            ),
        ),
        answer_text="inconclusive (the Hessian is zero)",
    ),
    Exercise(
        "08.4",
        "number",
        "explore",
        r"Open the quadratic-form explorer with $a = c = 1$. Increase $b$ from $0$: at which "
        r"value of $b$ does the second-derivative test stop reporting a (strict) minimum of "
        r"$x^2 + bxy + y^2$ at the origin?",
        level="compute",
        expected=2.0,
        rtol=0,
        atol=0.05,
        mistakes=(
            Mistake(
                2.1,
                "At 2.1 it is already a saddle. Look one step earlier: at b = 2 an eigenvalue is "
                "0 and the test is inconclusive.",
            ),
        ),
        answer_text="b = 2 (b^2 = 4ac)",
    ),
    Exercise(
        "08.5",
        "function",
        "by hand",
        r"Let $f(x, y) = x^3 + y^3 - 3axy$ with a constant $a > 0$. **Derive** its critical "
        r"points and the eigenvalues of the Hessian at each, classify them, and explain why "
        r"the second-derivative test is conclusive at both. Then write `eigenvalues(a)` "
        r"returning the two Hessian eigenvalues (ascending) at the critical point that is not "
        r"the origin. The formula is graded; your argument is self-checked against the rubric "
        r"in the solutions.",
        level="derive",
        expected=_cubic_eigenvalues,
        probes=((0.5,), (1.0,), (2.0,), (3.5,)),
        rtol=1e-9,
        atol=1e-9,
        points=3,
        mistakes=(
            Mistake(
                lambda a: [-3 * a, 3 * a],
                "These are the eigenvalues at the origin (a saddle). The question asks about the "
                "other critical point, (a, a).",
            ),
        ),
        hint=r"$\nabla f = (3x^2 - 3ay,\ 3y^2 - 3ax)$; subtract the two equations.",
        answer_text="[3a, 9a]: a minimum at (a, a); the origin is a saddle (-3a, 3a)",
    ),
    Exercise(
        "08.6",
        "vector",
        "code",
        r"Himmelblau's function $f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2$ has all its "
        r"critical points in the box $[-5, 5]^2$. Find them all numerically and classify each. "
        r"Answer with the counts `[minima, maxima, saddles]`.",
        level="code",
        expected=[4.0, 1.0, 4.0],
        rtol=0,
        atol=0.01,
        points=3,
        mistakes=(
            Mistake(
                [4.0, 0.0, 0.0],
                "Those are the minima only: descent finds them, but a maximum and saddles are "
                "critical points too. Solve grad f = 0 from many starts (e.g. Newton's method "
                "or calcml.find_critical_points).",
            ),
        ),
        hint="Solve grad f = 0 from a grid of starts, merge the points found, and classify each "
        "by the eigenvalues of its Hessian.",
        answer_text="[4, 1, 4]",
    ),
]
