"""Exercises of chapter 8: critical points."""

from __future__ import annotations

from ._exercise import CRITICAL_KINDS, Exercise, Mistake

EXERCISES = [
    Exercise(
        "08.1",
        "choice",
        "by hand",
        r"The only critical point of the monkey saddle $f(x, y) = x^3 - 3xy^2$ is the origin. "
        r"What does the Hessian test say there?",
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
        "08.2",
        "vector",
        "by hand",
        r"Give the two eigenvalues of the Hessian of $f(x, y) = x^2 - y^2$ at $(0, 0)$.",
        expected=[-2.0, 2.0],
        unordered=True,
        answer_text="-2 and 2 (any order): a saddle",
    ),
    Exercise(
        "08.3",
        "choice",
        "by hand",
        r"Classify the critical point $(0, 0)$ of $f(x, y) = x^2 + 3xy + y^2$.",
        expected="saddle",
        choices=CRITICAL_KINDS,
        mistakes=(
            Mistake("minimum", "Both diagonal entries are positive, but check the eigenvalues."),
        ),
        answer_text="saddle (eigenvalues 5 and -1)",
    ),
    Exercise(
        "08.4",
        "number",
        "explore",
        r"Open the quadratic-form explorer with $a = c = 1$. Increase $b$ from $0$: at which "
        r"value of $b$ does the second-derivative test stop reporting a (strict) minimum of "
        r"$x^2 + bxy + y^2$ at the origin?",
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
]
