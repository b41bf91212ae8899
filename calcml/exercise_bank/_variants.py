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


def _ints(rng: np.random.Generator, names: str, low: int, high: int, nonzero: bool = True):
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
}
