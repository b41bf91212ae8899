"""Exercises of chapter 12: convexity and constrained optimisation."""

from __future__ import annotations

import numpy as np

from ._exercise import Exercise, Mistake

CONVEXITY_KINDS = (
    "strongly convex",
    "strictly but not strongly convex",
    "convex but not strictly convex",
    "not convex",
)


def _closest_point(a1: float, a2: float, a3: float, b: float) -> np.ndarray:
    """Return the point of the plane a . x = b nearest the origin: b a / |a|^2."""
    a = np.array([a1, a2, a3], dtype=float)
    return b * a / (a @ a)


def _closest_point_unsquared(a1: float, a2: float, a3: float, b: float) -> np.ndarray:
    a = np.array([a1, a2, a3], dtype=float)
    return b * a / np.linalg.norm(a)


def _closest_point_wrong_sign(a1: float, a2: float, a3: float, b: float) -> np.ndarray:
    a = np.array([a1, a2, a3], dtype=float)
    return -b * a / (a @ a)


def _max_entropy_die(mean: float = 4.5) -> np.ndarray:
    """Return the maximum-entropy distribution on {1, ..., 6} with this mean."""
    from scipy.optimize import brentq

    faces = np.arange(1, 7)

    def gibbs(beta: float) -> np.ndarray:
        p = np.exp(beta * (faces - 3.5))
        return p / p.sum()

    beta = brentq(lambda t: gibbs(t) @ faces - mean, -10.0, 10.0, xtol=1e-14)
    return gibbs(beta)


EXERCISES = [
    Exercise(
        "12.1",
        "choice",
        "by hand",
        r"Classify $f(x, y) = x^2 + 2xy + y^2$ on $\mathbb{R}^2$: is it strongly convex, "
        r"strictly but not strongly convex, convex but not strictly convex, or not convex? "
        r"(The second-order test settles convexity; for strict convexity look at the chords "
        r"as well.)",
        level="warm-up",
        expected="convex but not strictly convex",
        choices=CONVEXITY_KINDS,
        mistakes=(
            Mistake(
                "strongly convex",
                "The Hessian [[2, 2], [2, 2]] has eigenvalues 4 and 0: no mu > 0 fits below the 0.",
            ),
            Mistake(
                "strictly but not strongly convex",
                "Look along the direction (1, -1): f = (x + y)^2 is constant on every line "
                "x + y = c, so chords lie on the graph.",
            ),
            Mistake(
                "not convex",
                "Both eigenvalues of the Hessian are >= 0 everywhere: that is enough for "
                "convexity.",
            ),
        ),
        hint=r"Find the eigenvalues of the (constant) Hessian; what happens along $(1, -1)$?",
        answer_text="convex but not strictly convex (Hessian eigenvalues 4 and 0)",
    ),
    Exercise(
        "12.2",
        "number",
        "by hand",
        r"What is the largest $\mu$ for which $f(x, y) = 3x^2 + 2xy + 3y^2$ is $\mu$-strongly "
        r"convex?",
        level="warm-up",
        expected=4.0,
        mistakes=(
            Mistake(
                2.0,
                "That is the smallest eigenvalue of [[3, 1], [1, 3]], the matrix of the "
                "quadratic form. The Hessian is twice that matrix.",
            ),
            Mistake(8.0, "That is the largest eigenvalue of the Hessian; mu is the smallest."),
            Mistake(6.0, "That is a diagonal entry of the Hessian, not an eigenvalue."),
        ),
        hint=r"$\mu$ is the smallest eigenvalue of the Hessian, taken over all points.",
        answer_text="4 (Hessian [[6, 2], [2, 6]] has eigenvalues 4 and 8)",
    ),
    Exercise(
        "12.3",
        "vector",
        "by hand",
        r"Minimise $f(x, y) = x^2 + 2y^2$ subject to $x + y = 3$ with a Lagrange multiplier, "
        r"using the chapter's convention $\nabla f + \nu\nabla g = \mathbf{0}$ with "
        r"$g(x, y) = x + y - 3$. Give $[x, y, \nu]$.",
        level="compute",
        expected=[2.0, 1.0, -4.0],
        mistakes=(
            Mistake(
                [2.0, 1.0, 4.0],
                "The point is right; the sign of nu is not. With grad f + nu grad g = 0 and "
                "grad f = (4, 4) at the solution, nu = -4.",
            ),
            Mistake(
                [1.5, 1.5, -3.0],
                "(1.5, 1.5) is the closest point of the line to the origin, the minimiser of "
                "x^2 + y^2; here y^2 has weight 2.",
            ),
        ),
        hint=r"Stationarity gives $2x + \nu = 0$ and $4y + \nu = 0$, so $x = 2y$.",
        answer_text="[2, 1, -4]",
    ),
    Exercise(
        "12.4",
        "vector",
        "by hand",
        r"Minimise $f(x, y) = (x - 1)^2 + (y - 2)^2$ subject to $x + 2y \le 2$. Write the "
        r"constraint as $g(x, y) = x + 2y - 2 \le 0$, solve the KKT conditions by hand and give "
        r"$[x, y, \alpha]$, where $\alpha \ge 0$ is the multiplier of $g$.",
        level="compute",
        expected=[0.4, 0.8, 1.2],
        mistakes=(
            Mistake(
                [1.0, 2.0, 0.0],
                "(1, 2) minimises f without the constraint, but 1 + 2 * 2 = 5 > 2: it is not "
                "feasible, so the constraint must be active.",
            ),
            Mistake(
                [0.4, 0.8, -1.2],
                "The point is right. With grad f + alpha grad g = 0 the multiplier of an "
                "active constraint is >= 0: grad f = (-1.2, -2.4), grad g = (1, 2).",
            ),
        ),
        hint=r"Try $\alpha = 0$ first; if that point is infeasible, the constraint is active.",
        answer_text="[0.4, 0.8, 1.2]",
    ),
    Exercise(
        "12.5",
        "function",
        "by hand",
        r"**Derive** with a Lagrange multiplier the point of the plane "
        r"$\mathbf{a}^\top\mathbf{x} = b$ in $\mathbb{R}^3$ ($\mathbf{a} \ne \mathbf{0}$) closest "
        r"to the origin: minimise $\lVert\mathbf{x}\rVert^2$ subject to "
        r"$\mathbf{a}^\top\mathbf{x} - b = 0$. Then write `closest_point(a1, a2, a3, b)` "
        r"returning the point as an array of 3 numbers.",
        level="derive",
        expected=_closest_point,
        points=2,
        probes=((1.0, 2.0, 2.0, 9.0), (0.0, 0.0, 2.0, 4.0), (3.0, -1.0, 0.5, 2.0), (1, 1, 1, -3)),
        mistakes=(
            Mistake(
                _closest_point_unsquared,
                "Divide by |a|^2, not |a|: the point x = t a must satisfy a . x = t |a|^2 = b.",
            ),
            Mistake(
                _closest_point_wrong_sign,
                "The sign is off: check that your point satisfies a . x = b (not -b).",
            ),
        ),
        hint=r"Stationarity $2\mathbf{x} + \nu\mathbf{a} = \mathbf{0}$ puts $\mathbf{x}$ on the "
        r"line through $\mathbf{a}$; the constraint fixes $\nu$.",
        answer_text="b a / |a|^2 (multiplier nu = -2 b / |a|^2)",
    ),
    Exercise(
        "12.6",
        "choice",
        "by hand",
        r"**Prove** (self-checked with the rubric in the solutions): (a) the sum of two convex "
        r"functions on a convex set $C$ is convex; (b) a strictly convex function on $C$ has at "
        r"most one minimiser. Then answer (graded): the converse of (b) is false. Which of these "
        r"convex functions on $\mathbb{R}$ shows it, having exactly one minimiser without "
        r"being strictly convex: $x^2$, $|x|$, $e^x$ or $\max(0, x)$?",
        level="derive",
        expected="|x|",
        choices=("x^2", "|x|", "e^x", "max(0, x)"),
        points=2,
        mistakes=(
            Mistake(
                "x^2",
                "x^2 has exactly one minimiser, but it is strictly convex (f'' = 2 > 0): it "
                "agrees with (b) instead of breaking its converse.",
            ),
            Mistake(
                "e^x",
                "e^x is strictly convex and has no minimiser at all: its infimum 0 is never "
                "attained.",
            ),
            Mistake(
                "max(0, x)",
                "max(0, x) is not strictly convex, but every x <= 0 minimises it: it has "
                "infinitely many minimisers, not one.",
            ),
        ),
        hint="For each function ask two questions: how many minimisers, and is there a "
        "straight piece where a chord lies on the graph?",
        answer_text="|x| (one minimiser, 0, but straight on each side); proofs self-checked",
    ),
    Exercise(
        "12.7",
        "vector",
        "code",
        r"A die has faces $1, \dots, 6$ and its average roll is $4.5$ instead of $3.5$. Among "
        r"all distributions $\mathbf{p}$ with $\sum_k p_k = 1$ and $\sum_k k\,p_k = 4.5$, find "
        r"the one of maximum entropy $-\sum_k p_k \log p_k$: (1) show with the Lagrangian that "
        r"$p_k \propto e^{-\nu_2 k}$, where $\nu_2$ is the multiplier of the mean constraint "
        r"(chapter's convention: minimise $\sum_k p_k \log p_k$); "
        r"(2) find $\nu_2$ numerically (e.g. `scipy.optimize.brentq`); (3) check the result "
        r"by solving the constrained problem with `scipy.optimize.minimize(..., "
        r"method='SLSQP')`. Give $\mathbf{p}$ (6 numbers, 4 decimals are enough).",
        level="code",
        expected=_max_entropy_die,
        rtol=0,
        atol=2e-4,
        points=2,
        mistakes=(
            Mistake(
                np.full(6, 1 / 6),
                "The uniform distribution has the largest entropy of all, but its mean is 3.5: "
                "the mean constraint is missing.",
            ),
        ),
        hint=r"Minimise $\sum_k p_k \log p_k$ (minus the entropy); stationarity of the "
        r"Lagrangian: $\log p_k + 1 + \nu_1 + \nu_2 k = 0$ for each $k$.",
        answer_text="Gibbs p_k ∝ exp(-nu_2 k), nu_2 ≈ -0.371: "
        "[0.0544, 0.0788, 0.1142, 0.1654, 0.2398, 0.3475]",
    ),
]
