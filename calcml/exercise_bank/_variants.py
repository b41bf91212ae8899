"""Per-student variants of exercises, for graded assignments.

A :class:`Variant` turns an exercise of the bank into a family: ``params(rng)`` draws one
student's numbers, ``prompt(p)`` states the exercise with them and ``expected(p)`` is the
answer. ``calcml.grading.assign`` draws ``rng`` from an HMAC of the instructor's secret, the
student id and the exercise id, so each student gets their own numbers; the expected values
are computed only in the grader's process. ``public`` holds the numbers of the self-study
version in the bank: ``expected(public)`` must equal the bank's expected value (a test checks
it, so a variant cannot drift from its exercise).

Exercises without a variant (and function exercises without a ``probe_sampler``) are
practice-only: their answers are public, so they are not part of graded assignments.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["SAMPLERS", "VARIANTS", "Variant"]


@dataclass(frozen=True)
class Variant:
    """How to draw one student's version of an exercise.

    Parameters
    ----------
    params : callable
        ``params(rng) -> dict`` of numbers, from a numpy Generator.
    prompt : callable
        ``prompt(p) -> str``: the exercise stated with those numbers (Markdown).
    expected : callable
        ``expected(p)``: the answer, computed in the grader's process.
    public : dict
        The numbers of the bank's self-study version.
    """

    params: Callable[[np.random.Generator], dict[str, Any]]
    prompt: Callable[[dict[str, Any]], str]
    expected: Callable[[dict[str, Any]], Any]
    public: dict[str, Any]


def _ints(
    rng: np.random.Generator,
    names: str | tuple[str, ...],
    low: int,
    high: int,
    nonzero: bool = True,
):
    values = {}
    for name in names:
        v = 0
        while v == 0:
            v = int(rng.integers(low, high + 1))
            if not nonzero:
                break
        values[name] = v
    return values


_DIRECTIONS = [(3, 4), (4, 3), (-3, 4), (4, -3), (5, 12), (12, 5), (-5, 12), (8, 15)]


def _dir(rng: np.random.Generator) -> dict[str, Any]:
    u, v = _DIRECTIONS[int(rng.integers(len(_DIRECTIONS)))]
    return {"u": u, "v": v}


def _term(coef: int, var: str, first: bool = False) -> str:
    """``coef var`` as a term of a sum: ``x^2``, ``- 3xy``, ``+ 2y^2`` (coef nonzero)."""
    sign = ("-" if coef < 0 else "") if first else ("- " if coef < 0 else "+ ")
    mag = "" if abs(coef) == 1 else str(abs(coef))
    return f"{sign}{mag}{var}"


def _pmatrix(rows) -> str:
    body = r" \\ ".join(" & ".join(str(v) for v in row) for row in rows)
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def _vec(v) -> str:
    return "(" + ", ".join(str(x) for x in v) + ")"


def _int_matrix(rng: np.random.Generator, shape: tuple[int, int], low: int, high: int):
    return rng.integers(low, high + 1, size=shape).tolist()


def _pd_quadratic(rng: np.random.Generator) -> dict[str, Any]:
    """Draw ``a x^2 + k xy + c y^2`` whose Hessian [[2a, k], [k, 2c]] is positive definite.

    ``4ac > k^2`` (both eigenvalues positive), ``k != 0`` (the eigenvalues are not the
    diagonal entries).
    """
    while True:
        p = {**_ints(rng, "ac", 1, 5), **_ints(rng, "k", -5, 5)}
        if 4 * p["a"] * p["c"] > p["k"] ** 2:
            return p


def _adam_gradients(rng: np.random.Generator) -> dict[str, Any]:
    """Draw beta_1 and two gradients that differ (for g_1 = g_2 the answer is g_1 itself)."""
    beta = (0.8, 0.9, 0.95)[int(rng.integers(3))]
    while True:
        g = _ints(rng, ("g1", "g2"), -6, 6)
        if g["g1"] != g["g2"]:
            return {"beta": beta, **g}


def _quadratic(p: dict[str, Any]) -> str:
    return f"{_term(p['a'], 'x^2', first=True)} {_term(p['k'], 'xy')} {_term(p['c'], 'y^2')}"


def _hessian_eigs(p: dict[str, Any]) -> tuple[float, float]:
    """Eigenvalues (small, large) of [[2a, k], [k, 2c]]."""
    r = math.sqrt((p["a"] - p["c"]) ** 2 + p["k"] ** 2)
    return p["a"] + p["c"] - r, p["a"] + p["c"] + r


def _params_10_3(rng: np.random.Generator) -> dict[str, Any]:
    while True:  # a non-symmetric A, so that 2 A x is not the answer
        A = _int_matrix(rng, (2, 2), -3, 3)
        if A[0][1] != A[1][0]:
            break
    return {
        "A": A,
        "a": list(_ints(rng, "pq", -3, 3).values()),
        "x": list(_ints(rng, "uv", -2, 2).values()),
    }


def _params_10_4(rng: np.random.Generator) -> dict[str, Any]:
    while True:  # delta = W x != 0, or the gradient is the zero matrix
        W = _int_matrix(rng, (2, 3), -2, 2)
        x = _int_matrix(rng, (1, 3), -2, 2)[0]
        if any(v != 0 for v in np.asarray(W) @ np.asarray(x)):
            return {"W": W, "x": x}


def _adam_m_hat(p: dict[str, Any]) -> float:
    b = p["beta"]
    m1 = (1 - b) * p["g1"]
    m2 = b * m1 + (1 - b) * p["g2"]
    return m2 / (1 - b**2)


def _lagrange_12_3(p: dict[str, Any]) -> list[float]:
    a, b, s = p["a"], p["b"], p["s"]
    x = b * s / (a + b)
    return [x, a * s / (a + b), -2 * a * x]


VARIANTS: dict[str, Variant] = {
    "01.2": Variant(
        params=lambda rng: _ints(rng, "ab", -3, 3),
        prompt=lambda p: (
            rf"For $f(x, y) = x^3 y - 2y^2$, compute $\partial f/\partial y$ at "
            rf"$({p['a']}, {p['b']})$."
        ),
        expected=lambda p: p["a"] ** 3 - 4 * p["b"],
        public={"a": 2, "b": 1},
    ),
    "02.1": Variant(
        params=lambda rng: _ints(rng, "abc", -4, 4),
        prompt=lambda p: (
            rf"For $f(x, y, z) = xyz$, find $\nabla f$ and evaluate it at "
            rf"$({p['a']}, {p['b']}, {p['c']})$."
        ),
        expected=lambda p: [p["b"] * p["c"], p["a"] * p["c"], p["a"] * p["b"]],
        public={"a": 1, "b": 2, "c": 3},
    ),
    "03.1": Variant(
        params=lambda rng: {**_ints(rng, "a", -2, 2, nonzero=False), **_ints(rng, "b", 1, 4)},
        prompt=lambda p: (
            r"For $\mathbf{f}(x, y) = (xy^2,\; x + 3y,\; e^{x})$, give the Jacobian at "
            rf"$({p['a']}, {p['b']})$ as a list of rows (row $i$ = output $i$, column $j$ = "
            r"input $j$)."
        ),
        expected=lambda p: [
            [p["b"] ** 2, 2 * p["a"] * p["b"]],
            [1.0, 3.0],
            [math.exp(p["a"]), 0.0],
        ],
        public={"a": 0, "b": 2},
    ),
    "04.1": Variant(
        params=lambda rng: _ints(rng, "ab", -3, 3),
        prompt=lambda p: (
            rf"For $f(x, y) = x^3 + 2xy^2$, give the Hessian at $({p['a']}, {p['b']})$."
        ),
        expected=lambda p: [[6 * p["a"], 4 * p["b"]], [4 * p["b"], 4 * p["a"]]],
        public={"a": 1, "b": 1},
    ),
    "05.1": Variant(
        params=lambda rng: {**_ints(rng, "ab", -3, 3), **_ints(rng, "c", 2, 5)},
        prompt=lambda p: (
            rf"For $f(x, y) = x^2 y + {p['c']}y^3$, compute the Laplacian $\Delta f$ at "
            rf"$({p['a']}, {p['b']})$."
        ),
        expected=lambda p: 2 * p["b"] + 6 * p["c"] * p["b"],
        public={"a": 1, "b": 2, "c": 1},
    ),
    "06.1": Variant(
        params=lambda rng: {**_ints(rng, "ab", -3, 3), **_dir(rng)},
        prompt=lambda p: (
            r"For $f(x, y) = xy^2$, compute the directional derivative at "
            rf"$({p['a']}, {p['b']})$ in the direction of $({p['u']}, {p['v']})$."
        ),
        expected=lambda p: (
            (p["b"] ** 2 * p["u"] + 2 * p["a"] * p["b"] * p["v"]) / math.hypot(p["u"], p["v"])
        ),
        public={"a": 1, "b": 2, "u": 5, "v": -12},
    ),
    "07.2": Variant(
        params=lambda rng: _ints(rng, "ab", -3, 3),
        prompt=lambda p: (
            r"With $\mathbf g(x, y) = (x + y,\; x - y)$ and $\mathbf f(u, v) = (uv,\; u^2)$, "
            rf"give the Jacobian of $\mathbf f \circ \mathbf g$ at $({p['a']}, {p['b']})$."
        ),
        expected=lambda p: [
            [2 * p["a"], -2 * p["b"]],
            [2 * (p["a"] + p["b"]), 2 * (p["a"] + p["b"])],
        ],
        public={"a": 1, "b": 2},
    ),
    "08.1": Variant(
        params=lambda rng: _ints(rng, "pq", 1, 5),
        prompt=lambda p: (
            rf"Give the two eigenvalues of the Hessian of $f(x, y) = {p['p']}x^2 - "
            rf"{p['q']}y^2$ at $(0, 0)$."
        ),
        expected=lambda p: [-2.0 * p["q"], 2.0 * p["p"]],
        public={"p": 1, "q": 1},
    ),
    "09.1": Variant(
        params=lambda rng: {"a": int(rng.integers(1, 4)), "b": int(rng.integers(1, 7))},
        prompt=lambda p: (
            r"Gradient descent with a fixed learning rate $\eta$ minimises "
            rf"$f(x, y) = {p['a']}x^2 + \tfrac{{{p['b']}}}{{2}} y^2$. Which rate makes the "
            r"distance to the minimum shrink fastest (the smallest worst-case factor per step)?"
        ),
        expected=lambda p: 2.0 / (2 * p["a"] + p["b"]),
        public={"a": 2, "b": 1},
    ),
    "10.3": Variant(
        params=_params_10_3,
        prompt=lambda p: (
            rf"Let $A = {_pmatrix(p['A'])}$ and $\mathbf a = {_vec(p['a'])}$. Compute the "
            r"gradient of $f(\mathbf x) = \mathbf x^\top A\mathbf x + \mathbf a^\top\mathbf x$ "
            rf"at $\mathbf x = {_vec(p['x'])}$."
        ),
        expected=lambda p: (
            ((np.asarray(p["A"]) + np.asarray(p["A"]).T) @ np.asarray(p["x"]) + np.asarray(p["a"]))
            .astype(float)
            .tolist()
        ),
        public={"A": [[2, 1], [-1, 3]], "a": [1, -2], "x": [1, 2]},
    ),
    "10.4": Variant(
        params=_params_10_4,
        prompt=lambda p: (
            rf"A layer $\mathbf z = W\mathbf x$ with $W = {_pmatrix(p['W'])}$ is followed by "
            r"the loss $\mathcal L = \tfrac12\lVert\mathbf z\rVert^2$. At "
            rf"$\mathbf x = {_vec(p['x'])}$, find the upstream gradient "
            r"$\boldsymbol\delta = \nabla_{\mathbf z}\mathcal L$ and give "
            r"$\partial \mathcal L/\partial W$ as a $2\times3$ list of rows."
        ),
        expected=lambda p: (
            np.outer(np.asarray(p["W"]) @ np.asarray(p["x"]), np.asarray(p["x"]))
            .astype(float)
            .tolist()
        ),
        public={"W": [[1, 0, -1], [2, 1, 0]], "x": [1, -1, 2]},
    ),
    "11.1": Variant(
        params=_pd_quadratic,
        prompt=lambda p: (
            rf"$f(x, y) = {_quadratic(p)}$ is $L$-smooth. Below which learning rate does the "
            r"descent lemma guarantee that every gradient step decreases $f$ (away from the "
            r"minimum)? Give the limit $2/L$ as a number."
        ),
        expected=lambda p: 2.0 / _hessian_eigs(p)[1],
        public={"a": 2, "k": 2, "c": 2},
    ),
    "11.2": Variant(
        params=lambda rng: {
            "s2": int(rng.integers(2, 21)),
            "tol": ("0.1", "0.2", "0.25", "0.5")[int(rng.integers(4))],
        },
        prompt=lambda p: (
            r"At the current weights the per-example gradients have variance "
            rf"$\sigma^2 = {p['s2']}$ (the mean of "
            r"$\lVert\nabla\ell_i - \nabla\mathcal L\rVert^2$). Minibatches are drawn "
            r"independently, with replacement. What is the smallest batch size $B$ for which the "
            r"expected squared error $\mathbb E\lVert\mathbf g_B - \nabla\mathcal L\rVert^2$ "
            rf"is at most ${p['tol']}$?"
        ),
        # exact rational arithmetic: 7 / 0.1 is 70.00000000000001 in floating point
        expected=lambda p: float(math.ceil(Fraction(p["s2"]) / Fraction(p["tol"]))),
        public={"s2": 8, "tol": "0.25"},
    ),
    "11.3": Variant(
        params=_adam_gradients,
        prompt=lambda p: (
            rf"Adam with $\beta_1 = {p['beta']}$ sees the gradients $g_1 = {p['g1']}$ and then "
            rf"$g_2 = {p['g2']}$ (one coordinate). Compute the bias-corrected first moment "
            r"$\hat m_2$."
        ),
        expected=_adam_m_hat,
        public={"beta": 0.9, "g1": 2, "g2": 4},
    ),
    "12.2": Variant(
        params=_pd_quadratic,
        prompt=lambda p: (
            rf"What is the largest $\mu$ for which $f(x, y) = {_quadratic(p)}$ is "
            r"$\mu$-strongly convex?"
        ),
        expected=lambda p: _hessian_eigs(p)[0],
        public={"a": 3, "k": 2, "c": 3},
    ),
    "12.3": Variant(
        params=lambda rng: {**_ints(rng, "ab", 1, 5), **_ints(rng, "s", -6, 6)},
        prompt=lambda p: (
            rf"Minimise $f(x, y) = {_term(p['a'], 'x^2', first=True)} {_term(p['b'], 'y^2')}$ "
            rf"subject to $x + y = {p['s']}$ with a Lagrange multiplier, using the chapter's "
            r"convention $\nabla f + \nu\nabla g = \mathbf{0}$ with "
            rf"$g(x, y) = x + y {'-' if p['s'] > 0 else '+'} {abs(p['s'])}$. Give $[x, y, \nu]$."
        ),
        expected=_lagrange_12_3,
        public={"a": 1, "b": 2, "s": 3},
    ),
}


# --- points drawn at grading time for function exercises ------------------------------------


def _stencil_points(fname: str, module: str, hs: tuple[float, ...]):
    """Probe tuples (f, x, y, h) with random (x, y) and the given steps."""

    def sample(rng: np.random.Generator) -> list[tuple[Any, ...]]:
        import importlib

        f = getattr(importlib.import_module(f"calcml.exercise_bank.{module}"), fname)
        return [(f, float(rng.uniform(-1.5, 1.5)), float(rng.uniform(-1.5, 1.5)), h) for h in hs]

    return sample


def _uniform(*ranges: tuple[float, float], n: int = 3):
    def sample(rng: np.random.Generator) -> list[tuple[Any, ...]]:
        return [tuple(float(rng.uniform(lo, hi)) for lo, hi in ranges) for _ in range(n)]

    return sample


def _like_public(ex_id: str):
    """Probes shaped like the exercise's public ones: its arrays drawn afresh, the rest kept.

    Follows the bank: if an exercise's arguments change shape, so do these points.
    """

    def sample(rng: np.random.Generator) -> list[tuple[Any, ...]]:
        from . import exercise

        out = []
        for args in exercise(ex_id).probes:
            new = []
            for a in args:
                if not callable(a) and np.ndim(a) > 0:
                    a = np.round(rng.normal(size=np.shape(a)), 3)
                new.append(a)
            out.append(tuple(new))
        return out

    return sample


def _momentum_points(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """(eta, lam) of 11.4 with 0 < eta lam < 1, as the exercise requires."""
    out = []
    for _ in range(4):
        lam = float(rng.uniform(0.5, 100.0))
        out.append((float(rng.uniform(0.02, 0.95)) / lam, lam))
    return out


def _descent_bound_points(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """(L, gap, k) of 11.5: L > 0, gap > 0 and a whole number of steps k >= 1."""
    return [
        (float(rng.uniform(0.2, 10.0)), float(rng.uniform(0.1, 5.0)), int(rng.integers(1, 200)))
        for _ in range(4)
    ]


def _noise_level_points(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """(eta, lam, s2, B, N) of 11.6: 0 < eta lam < 2, 1 <= B <= N, N >= 2."""
    out = []
    for _ in range(4):
        lam = float(rng.uniform(0.5, 10.0))
        N = int(rng.integers(2, 500))
        out.append(
            (
                float(rng.uniform(0.05, 1.9)) / lam,
                lam,
                float(rng.uniform(0.1, 5.0)),
                int(rng.integers(1, N + 1)),
                N,
            )
        )
    return out


def _plane_points(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """(a1, a2, a3, b) of 12.5 with a far from 0 (the plane exists)."""
    out = []
    while len(out) < 4:
        a = rng.uniform(-3.0, 3.0, size=3)
        if np.linalg.norm(a) > 0.5:
            out.append((*(float(v) for v in a), float(rng.uniform(-5.0, 5.0))))
    return out


#: Exercise id -> ``probe_sampler`` for function exercises whose bank entry has none.
SAMPLERS: dict[str, Callable[[np.random.Generator], list[tuple[Any, ...]]]] = {
    "01.5": _stencil_points("_g1", "ch01", (1e-3, 0.05, 0.2)),
    "02.4": _uniform((2.5, 3.5), (3.5, 4.5)),
    "03.3": _uniform((0.5, 3.0), (-3.0, 3.0)),
    "03.5": _like_public("03.5"),
    "04.5": _like_public("04.5"),
    "05.5": _stencil_points("_g5", "ch05", (1e-2, 0.05, 0.2)),
    "07.5": _like_public("07.5"),
    "08.5": _uniform((0.3, 2.0)),
    "11.4": _momentum_points,
    "11.5": _descent_bound_points,
    "11.6": _noise_level_points,
    "12.5": _plane_points,
}
