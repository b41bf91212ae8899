"""Exercises of chapter 1: partial derivatives."""

from __future__ import annotations

import numpy as np

from ..transforms import partial
from ._exercise import Exercise, Mistake


def _g1(x, y):
    """Test function for 01.5: e^x sin(y) + x^3 y."""
    return np.exp(x) * np.sin(y) + x**3 * y


def _central_x(f, x, y, h):
    return (f(x + h, y) - f(x - h, y)) / (2 * h)


def _exact_x(f, x, y, h):
    return partial(f, 0)(x, y)


def _forward_x(f, x, y, h):
    return (f(x + h, y) - f(x, y)) / h


def _best_central_step(eps, g0, g3):
    """Minimiser of h^2 |g3| / 6 + eps |g0| / h (01.4)."""
    return np.cbrt(3 * eps * abs(g0) / abs(g3))


def _best_forward_step(eps, g0, g3):
    return np.sqrt(2 * eps * abs(g0) / abs(g3))


def _loss_a(w):
    """Test loss for 01.6: a smooth function of three weights."""
    return np.log1p(np.exp(w[0] - 2 * w[1])) + w[0] ** 2 * w[2] + np.sin(w[2])


def _loss_b(w):
    """Test loss for 01.6: another function of three weights."""
    return np.sum(w**3) + np.prod(w)


def _central_gradient(loss, w, h):
    w = np.asarray(w, dtype=float)
    return np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(len(w))])


def _forward_gradient(loss, w, h):
    w = np.asarray(w, dtype=float)
    return np.array([(loss(w + h * e) - loss(w)) / h for e in np.eye(len(w))])


_W_A = np.array([0.5, -1.0, 2.0])
_W_B = np.array([1.0, -0.5, 0.25])

EXERCISES = [
    Exercise(
        "01.1",
        "vector",
        "by hand",
        r"For $f(x, y) = x^2 y + 3y$, compute $\partial f/\partial x$ and "
        r"$\partial f/\partial y$ at $(2, -1)$. Answer with the list `[df/dx, df/dy]`.",
        level="warm-up",
        expected=[-4.0, 7.0],
        points=1,
        mistakes=(
            Mistake(
                [7.0, -4.0],
                "The two entries are swapped: df/dx comes first.",
            ),
        ),
        hint="Differentiate with respect to one variable while you hold the other one fixed.",
        answer_text="[-4, 7]",
    ),
    Exercise(
        "01.2",
        "number",
        "by hand",
        r"For $f(x, y) = x^3 y - 2y^2$, compute $\partial f/\partial y$ at $(2, 1)$.",
        level="warm-up",
        expected=4.0,
        points=1,
        mistakes=(Mistake(12.0, "That is the partial derivative with respect to x."),),
        hint=r"Hold $x$ fixed: $x^3$ is a constant factor of $y$.",
        answer_text="4",
    ),
    Exercise(
        "01.3",
        "number",
        "by hand",
        r"For $f(x, y) = x^3 y$ at $(1, 2)$, compute by hand the central-difference estimate "
        r"of $\partial f/\partial x$ with step $h = 0.1$, and give its **error**: the estimate "
        r"minus the exact value $\partial f/\partial x(1, 2)$ (a signed number).",
        level="compute",
        expected=0.02,
        rtol=1e-6,
        atol=1e-9,
        points=1,
        mistakes=(
            Mistake(0.62, "That is the error of the forward difference (f(1.1) - f(1)) / h."),
            Mistake(-0.02, "Estimate minus exact value, not the other way round."),
            Mistake(6.02, "That is the estimate itself: subtract the exact value 6."),
        ),
        hint=r"The slice is $g(t) = 2(1 + t)^3$; compare with the theorem's $h^2 g'''/6$.",
        answer_text="0.02 (= h^2 g'''/6 with g''' = 12)",
    ),
    Exercise(
        "01.4",
        "function",
        "by hand",
        r"**Derive** the best step of the central difference. Take the chapter's error model "
        r"$E(h) = \dfrac{h^2}{6}\,|g'''| + \dfrac{\varepsilon\,|g|}{h}$ (truncation plus "
        r"round-off), find the $h > 0$ that minimises it, and show that it is a minimum. Then "
        r"write the result as a function `best_central_step(eps, g0, g3)` of "
        r"$\varepsilon$, $g(0)$ and $g'''(0)$ (both nonzero). "
        r"The formula is graded; your derivation is self-checked "
        r"against the rubric in the solutions.",
        level="derive",
        expected=_best_central_step,
        probes=((2.2e-16, 1.0, 1.0), (2.2e-16, 5.0, -0.3), (1e-7, -2.0, 40.0)),
        rtol=1e-6,
        atol=0,
        points=2,
        mistakes=(
            Mistake(
                _best_forward_step,
                "That is the best step of the forward difference, sqrt(2 eps |g| / |g''|): "
                "the central difference's truncation term is h^2 |g'''| / 6.",
            ),
        ),
        hint=r"Set $E'(h) = \dfrac{h}{3}|g'''| - \dfrac{\varepsilon |g|}{h^2}$ to zero.",
        answer_text="(3 eps |g0| / |g3|)^(1/3)",
    ),
    Exercise(
        "01.5",
        "function",
        "code",
        r"Write a function `partial_x(f, x, y, h)` that returns the **central** difference "
        r"estimate of $\partial f/\partial x$ at $(x, y)$ with step $h$. "
        r"It is checked on a test function at a few points, with steps from $h = 10^{-4}$ to "
        r"$h = 0.25$ (where the formula's own error shows, so it must be exactly this formula).",
        level="code",
        expected=_central_x,
        probes=((_g1, 0.5, 1.0, 1e-4), (_g1, 1.0, -2.0, 0.1), (_g1, -1.5, 0.3, 0.25)),
        rtol=1e-6,
        atol=1e-7,
        points=2,
        mistakes=(
            Mistake(
                _exact_x,
                "These are exact derivatives, not the central difference with step h: at a "
                "large step the two differ. Use f at x + h and x - h.",
            ),
            Mistake(
                _forward_x,
                "This is the forward difference (f(x+h) - f(x)) / h: its error shrinks "
                "like h, not h^2. Step to both sides of x.",
            ),
        ),
        hint="Evaluate f at x + h and at x - h, with y unchanged.",
        answer_text="(f(x+h, y) - f(x-h, y)) / (2h)",
    ),
    Exercise(
        "01.6",
        "function",
        "code",
        r"Gradient checking, step 1. Write `numerical_gradient(loss, w, h)` that returns the "
        r"vector of central differences "
        r"$\bigl(\mathcal{L}(\mathbf{w} + h\mathbf{e}_i)"
        r" - \mathcal{L}(\mathbf{w} - h\mathbf{e}_i)\bigr)/(2h)$, one entry per weight, "
        r"for a loss $\mathcal{L}$ of a 1-D array `w` of any length. It is "
        r"checked on two losses, with steps up to $h = 0.1$ (so it must be exactly this "
        r"formula).",
        level="code",
        expected=_central_gradient,
        probes=(
            (_loss_a, _W_A, 1e-5),
            (_loss_a, _W_A, 0.1),
            (_loss_b, _W_B, 0.05),
        ),
        rtol=1e-6,
        atol=1e-8,
        points=2,
        mistakes=(
            Mistake(
                _forward_gradient,
                "This is the forward difference (L(w + h e_i) - L(w)) / h. Step to both "
                "sides of w.",
            ),
        ),
        hint=r"Loop over the rows `e` of `np.eye(len(w))`, the unit vectors $\mathbf{e}_i$.",
        answer_text="[(L(w + h e_i) - L(w - h e_i)) / (2h) for each i]",
    ),
    Exercise(
        "01.7",
        "number",
        "code",
        r"Gradient checking, step 2. The notebook defines a loss `loss(w)` of four weights and "
        r"a hand-written gradient `loss_grad(w)` that has one wrong entry. Compare it with "
        r"your `numerical_gradient` at a few random points and give the **index** (counting "
        r"from 0, as Python does) of the entry that is wrong.",
        level="code",
        expected=2.0,
        rtol=0,
        atol=0,
        points=2,
        hint="Print the absolute difference entry by entry: one entry disagrees far more "
        "than the others.",
        answer_text="2 (dL/dw2 = 2 w0 w2; the given code drops the 2)",
    ),
]
