"""Exercises of chapter 4: hessian."""

from __future__ import annotations

import numpy as np

from ._exercise import Exercise, Mistake


def _logistic_hessian(w, x, y):
    """Hessian of log(1 + exp(-y w.x)) (04.5); y^2 = 1 drops out."""
    s = 1 / (1 + np.exp(-np.dot(w, x)))
    return s * (1 - s) * np.outer(x, x)


def _quartic_grad(p):
    """Gradient of x^4 + x y + y^3 (04.6)."""
    return np.array([4 * p[0] ** 3 + p[1], p[0] + 3 * p[1] ** 2])


def _central_hvp(grad, x, v, h):
    x, v = np.asarray(x, dtype=float), np.asarray(v, dtype=float)
    return (grad(x + h * v) - grad(x - h * v)) / (2 * h)


EXERCISES = [
    Exercise(
        "04.1",
        "matrix",
        "by hand",
        r"For $f(x, y) = x^3 + 2xy^2$, give the Hessian at $(1, 1)$.",
        level="warm-up",
        expected=[[6.0, 4.0], [4.0, 4.0]],
        points=2,
        hint="The mixed partials are equal: the Hessian is symmetric.",
        answer_text="[[6, 4], [4, 4]]",
    ),
    Exercise(
        "04.2",
        "choice",
        "by hand",
        r"Classify the (constant) Hessian of $f(x, y) = x^2 - 4xy + 4y^2$. Choose the **most "
        r"specific** true statement: `positive definite`, `negative definite`, `indefinite`, "
        r"`positive semidefinite, not definite` or `negative semidefinite, not definite` "
        r"(a positive definite matrix is also positive semidefinite; the last two options "
        r"exclude that).",
        level="compute",
        expected="positive semidefinite, not definite",
        choices=(
            "positive definite",
            "negative definite",
            "indefinite",
            "positive semidefinite, not definite",
            "negative semidefinite, not definite",
        ),
        points=1,
        mistakes=(
            Mistake(
                "positive definite",
                "The diagonal is positive, but is v^T H v > 0 for every v != 0? Try v = (2, 1).",
            ),
            Mistake(
                "indefinite",
                "Compute the eigenvalues of [[2, -4], [-4, 8]]: is either of them negative?",
            ),
        ),
        hint=r"$\det H$ and $\operatorname{tr} H$ give the product and the sum of the "
        r"eigenvalues.",
        answer_text="positive semidefinite, not definite (eigenvalues 0 and 10)",
    ),
    Exercise(
        "04.3",
        "vector",
        "by hand",
        r"Take one Newton step $p - H^{-1}\nabla f$ for $f(x, y) = x^4 + y^2$ from $(1, 1)$. "
        r"Where does it land?",
        level="compute",
        expected=[2 / 3, 0.0],
        rtol=1e-4,
        atol=1e-6,
        points=2,
        mistakes=(Mistake([-3.0, -1.0], "That is a gradient step with rate 1, not Newton's."),),
        answer_text="[2/3, 0]",
    ),
    Exercise(
        "04.4",
        "number",
        "by hand",
        r"For $f(x, y) = e^{x} y^2$, compute the curvature $\mathbf{v}^\top H_f\,\mathbf{v}$ "
        r"at $(0, 1)$ along the unit vector $\mathbf{v} = (3, 4)/5$.",
        level="compute",
        expected=3.56,
        rtol=1e-6,
        atol=1e-9,
        points=1,
        mistakes=(
            Mistake(
                89.0,
                "That is v^T H v for v = (3, 4): divide by |v|^2 = 25 for the unit vector.",
            ),
            Mistake(
                2.6,
                "The off-diagonal entry counts twice: v^T H v = H11 v1^2 + 2 H12 v1 v2 + H22 v2^2.",
            ),
        ),
        hint=r"$H_f(0, 1) = \begin{bmatrix} 1 & 2 \\ 2 & 2 \end{bmatrix}$.",
        answer_text="89/25 = 3.56",
    ),
    Exercise(
        "04.5",
        "function",
        "by hand",
        r"**Derive** the Hessian of the logistic loss of one example, "
        r"$\ell(\mathbf{w}) = \log\bigl(1 + e^{-y\,\mathbf{w}^\top\mathbf{x}}\bigr)$ with "
        r"$y \in \{-1, 1\}$, in terms of $\sigma(z) = 1/(1 + e^{-z})$, and **prove** that it is "
        r"positive semidefinite for every $\mathbf{w}$. Then write `logistic_hessian(w, x, y)` "
        r"returning it ($\mathbf{w}, \mathbf{x}$ are 1-D arrays of the same length). "
        r"The formula is graded; your derivation and proof are self-checked "
        r"against the rubric in the solutions.",
        level="derive",
        expected=_logistic_hessian,
        probes=(
            (np.array([0.0, 0.0]), np.array([1.0, 2.0]), 1.0),
            (np.array([0.5, -1.0]), np.array([1.0, 2.0]), -1.0),
            (np.array([2.0, 1.0]), np.array([-0.5, 3.0]), 1.0),
        ),
        rtol=1e-6,
        atol=1e-9,
        points=2,
        mistakes=(
            Mistake(
                lambda w, x, y: np.outer(x, x) / 4,
                "That is the Hessian at w = 0 only: the weight s (1 - s) changes with w.",
            ),
        ),
        hint=r"The gradient is $-y\,\sigma(-y\,\mathbf{w}^\top\mathbf{x})\,\mathbf{x}$; "
        r"differentiate it once more, and use $y^2 = 1$.",
        answer_text="s (1 - s) x x^T with s = sigma(w . x)",
    ),
    Exercise(
        "04.6",
        "function",
        "code",
        r"A Hessian-vector product without the Hessian. Write `hvp_fd(grad, x, v, h)` that "
        r"returns $\bigl(\nabla f(\mathbf{x} + h\mathbf{v}) - \nabla f(\mathbf{x} - h\mathbf{v})"
        r"\bigr)/(2h)$, given a function `grad` returning $\nabla f$ as a 1-D array. It must "
        r"work for any vector $\mathbf{v}$, not only unit vectors, and it is checked with "
        r"steps up to $h = 0.1$ (so it must be exactly this formula).",
        level="code",
        expected=_central_hvp,
        probes=(
            (_quartic_grad, np.array([1.0, 0.5]), np.array([0.6, -0.8]), 1e-4),
            (_quartic_grad, np.array([1.0, 0.5]), np.array([3.0, -4.0]), 1e-4),
            (_quartic_grad, np.array([-0.5, 2.0]), np.array([1.0, 1.0]), 0.1),
        ),
        rtol=1e-6,
        atol=1e-8,
        points=2,
        mistakes=(
            Mistake(
                lambda g, x, v, h: _central_hvp(g, x, v, h) / np.linalg.norm(v),
                "This divides by |v|: that is the directional derivative of the gradient "
                "along v / |v|. A Hessian-vector product is linear in v: H (2v) = 2 H v.",
            ),
        ),
        hint="Call `grad` at x + h v and at x - h v.",
        answer_text="(grad(x + h v) - grad(x - h v)) / (2h)",
    ),
]
