"""Exercises of chapter 4: hessian."""

from __future__ import annotations

from ._exercise import Exercise, Mistake

EXERCISES = [
    Exercise(
        "04.1",
        "matrix",
        "by hand",
        r"For $f(x, y) = x^3 + 2xy^2$, give the Hessian at $(1, 1)$.",
        expected=[[6.0, 4.0], [4.0, 4.0]],
        points=2,
        hint="The mixed partials are equal: the Hessian is symmetric.",
        answer_text="[[6, 4], [4, 4]]",
    ),
    Exercise(
        "04.2",
        "choice",
        "by hand",
        r"Is the Hessian of $f(x, y) = x^2 + 4xy + y^2$ positive definite, negative definite, "
        r"indefinite or semidefinite?",
        expected="indefinite",
        choices=("positive definite", "negative definite", "indefinite", "semidefinite"),
        mistakes=(
            Mistake(
                "positive definite",
                "The diagonal is positive, but look at the eigenvalues of [[2, 4], [4, 2]].",
            ),
        ),
        answer_text="indefinite (eigenvalues 6 and -2)",
    ),
    Exercise(
        "04.3",
        "vector",
        "by hand",
        r"Take one Newton step $p - H^{-1}\nabla f$ for $f(x, y) = x^4 + y^2$ from $(1, 1)$. "
        r"Where does it land?",
        expected=[2 / 3, 0.0],
        rtol=1e-4,
        atol=1e-6,
        points=2,
        mistakes=(Mistake([-3.0, -1.0], "That is a gradient step with rate 1, not Newton's."),),
        answer_text="[2/3, 0]",
    ),
]
