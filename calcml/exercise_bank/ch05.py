"""Exercises of chapter 5: laplacian."""

from __future__ import annotations

import numpy as np

from ..transforms import laplacian
from ._exercise import Exercise, Mistake


def _g5(x, y):
    """Test function for 05.5: sin(x) cos(2y) + x^2 y^3."""
    return np.sin(x) * np.cos(2 * y) + x**2 * y**3


def _five_point(f, x, y, h):
    return (f(x + h, y) + f(x - h, y) + f(x, y + h) + f(x, y - h) - 4 * f(x, y)) / h**2


def _exact_laplacian(f, x, y, h):
    return laplacian(f)(x, y)


def _stencil_error(fxxxx, fyyyy, h):
    """Return the leading error term of the five-point stencil."""
    return h**2 / 12 * (fxxxx + fyyyy)


def _heat_steps(plate, rho, steps):
    """Return the plate after explicit heat steps, boundary values held fixed."""
    u = np.array(plate, dtype=float)
    for _ in range(int(steps)):
        lap = u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4 * u[1:-1, 1:-1]
        u[1:-1, 1:-1] += rho * lap
    return u


def _heat_in_place(plate, rho, steps):
    """Return a wrong scheme: cells updated in place one by one (Gauss-Seidel order)."""
    u = np.array(plate, dtype=float)
    for _ in range(int(steps)):
        for i in range(1, u.shape[0] - 1):
            for j in range(1, u.shape[1] - 1):
                s = u[i + 1, j] + u[i - 1, j] + u[i, j + 1] + u[i, j - 1] - 4 * u[i, j]
                u[i, j] += rho * s
    return u


def _plates():
    hot = np.zeros((7, 7))
    hot[3, 3] = 1.0
    rng = np.random.default_rng(5)
    ramp = np.add.outer(np.arange(7.0), np.zeros(7)) / 6 + 0.1 * rng.standard_normal((7, 7))
    return hot.tolist(), ramp.tolist()


_HOT, _RAMP = _plates()


EXERCISES = [
    Exercise(
        "05.1",
        "number",
        "by hand",
        r"For $f(x, y) = x^2 y + y^3$, compute the Laplacian $\Delta f$ at $(1, 2)$.",
        level="warm-up",
        expected=16.0,
        hint=r"$\Delta f = f_{xx} + f_{yy}$ (the trace of the Hessian).",
        answer_text="16",
    ),
    Exercise(
        "05.2",
        "number",
        "by hand",
        r"For which constant $a > 0$ is $u(x, y) = e^{ax}\sin(3y)$ harmonic "
        r"($\Delta u = 0$ everywhere)?",
        level="compute",
        expected=3.0,
        rtol=0,
        atol=1e-6,
        mistakes=(Mistake(9.0, "That is a^2: the Laplacian is (a^2 - 9) u."),),
        hint=r"$u_{xx} = a^2 u$ and $u_{yy} = -9u$.",
        answer_text="a = 3 (the Laplacian is (a^2 - 9) u)",
    ),
    Exercise(
        "05.3",
        "vector",
        "by hand",
        r"The path graph with nodes $0 - 1 - 2 - 3$ (three edges) carries the signal "
        r"$\mathbf f = (0, 1, 4, 9)$. Compute $L_G\mathbf f$, where $L_G = D - A$ is its graph "
        r"Laplacian.",
        level="compute",
        expected=[-1.0, -2.0, -2.0, 5.0],
        rtol=0,
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                [1.0, 2.0, 2.0, -5.0],
                "The sign is flipped: L_G = D - A gives each node's value minus its neighbours'.",
            ),
        ),
        hint=r"$(L_G\mathbf f)_i = \sum_j A_{ij}(f_i - f_j)$; node 0 has one neighbour.",
        answer_text="(-1, -2, -2, 5)",
    ),
    Exercise(
        "05.4",
        "function",
        "by hand",
        r"**Prove** that the five-point stencil is second-order accurate: for $f$ with continuous "
        r"derivatives up to order six, show "
        r"$\Delta_h f - \Delta f = \tfrac{h^2}{12}\,(f_{xxxx} + f_{yyyy}) + O(h^4)$. Then write "
        r"`leading_error(fxxxx, fyyyy, h)` returning the leading term, given the two fourth "
        r"derivatives at the point. The formula is graded; your proof is self-checked against "
        r"the rubric in the solutions.",
        level="derive",
        expected=_stencil_error,
        probes=((1.0, 0.0, 0.1), (2.0, -5.0, 0.5), (24.0, 24.0, 0.01), (-3.0, 7.0, 1.0)),
        rtol=1e-9,
        atol=1e-12,
        points=3,
        mistakes=(
            Mistake(
                lambda a, b, h: h**2 / 24 * (a + b),
                "Twice too small: the h^4 terms of f(x + h) and f(x - h) add, and each is "
                "h^4 f_xxxx / 24.",
            ),
        ),
        hint="Expand f(x + h, y) + f(x - h, y) in h: the odd powers cancel.",
        answer_text="h^2 / 12 (fxxxx + fyyyy)",
    ),
    Exercise(
        "05.5",
        "function",
        "code",
        r"Write `five_point(f, x, y, h)` returning the 5-point stencil estimate of the "
        r"Laplacian of $f$ at $(x, y)$. It is checked with steps from $h = 10^{-3}$ to "
        r"$h = 0.25$ (where the stencil's own error shows, so it must be exactly this stencil).",
        level="code",
        expected=_five_point,
        probes=((_g5, 0.3, 0.4, 1e-3), (_g5, -1.0, 0.5, 0.1), (_g5, 2.0, -0.7, 0.25)),
        rtol=1e-5,
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                _exact_laplacian,
                "These are exact Laplacians, not the 5-point stencil with step h: at a large "
                "step the two differ. Use f at the four neighbours at distance h.",
            ),
        ),
        hint="Sum the four neighbours, subtract 4 f(x, y), divide by h^2.",
        answer_text="(f(x+h,y) + f(x-h,y) + f(x,y+h) + f(x,y-h) - 4 f(x,y)) / h^2",
    ),
    Exercise(
        "05.6",
        "function",
        "code",
        r"Write `heat_steps(plate, rho, steps)` that runs `steps` explicit steps of the heat "
        r"equation $u \leftarrow u + \rho\,h^2\Delta_h u$ on a 2-D array (the update of "
        r"every interior cell uses the values of the previous step; the outermost rows and "
        r"columns stay fixed) and returns the new array, leaving `plate` unchanged. It is "
        r"checked with a stable and an unstable $\rho$.",
        level="code",
        expected=_heat_steps,
        probes=((_HOT, 0.2, 1), (_HOT, 0.25, 10), (_RAMP, 0.1, 5), (_HOT, 0.3, 40)),
        rtol=1e-7,
        atol=1e-9,
        points=3,
        mistakes=(
            Mistake(
                _heat_in_place,
                "Your update uses cells already updated in the same step: compute the whole "
                "stencil from the old array first, then add it.",
            ),
        ),
        hint="Use calcml.five_point_laplacian(u) (h = 1) on the interior, or array slices.",
        answer_text="u[1:-1, 1:-1] += rho * stencil, repeated on a copy",
    ),
]
