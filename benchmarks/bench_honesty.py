"""Honest error estimates on hard cases: calcml against numdifftools and scipy.differentiate.

Each case is a derivative whose true value is known in closed form, chosen where finite
differences go wrong: aliasing of sin at large |x|, functions that change over a tiny
distance (log near 0, numdifftools' two-ion Hamiltonian with ions ~5.6e-6 apart), kinks
and jumps inside the stencil, float32 and cancelling functions, fast oscillation, high
orders. For every method the table gives the true error, the method's error estimate and
whether the result is *honest*: the estimate is at least the true error, or the method
flagged the result (calcml: an ``UnreliableDerivativeWarning``; scipy: ``success``
False). numdifftools has no flag. Where the derivative does not exist (``|x|''`` at 0)
only a flag is honest.

``CASES`` is also the parametrisation of ``tests/test_transforms_honesty.py``.

Run: ``.venv/bin/python benchmarks/bench_honesty.py`` (under a minute).
"""

from __future__ import annotations

import datetime
import math
import platform
import sys
import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

import calcml


class Case(NamedTuple):
    name: str
    kind: str  # "derivative" (1-D, any order) or "hessian" (n-D)
    f: Callable  # f(x) for derivative; f(p) with p of shape (n,) for hessian
    x: float | np.ndarray
    order: int
    truth: float | np.ndarray  # nan where the derivative does not exist


class Outcome(NamedTuple):
    value: float | np.ndarray
    estimate: float | np.ndarray
    flagged: bool


# ----------------------------------------------------------------- the functions


def _ions():
    """Potential of two ions in a harmonic trap (the numdifftools test problem), its
    equilibrium and its exact Hessian there, ``m w^2 [[2, -1], [-1, 2]]``."""
    m = 39.96 * 1.66e-27
    w = 2 * math.pi * 1e6
    coulomb = 8.9875517923e9 * 1.602176634e-19**2

    def potential(p):
        p = np.asarray(p, dtype=float)
        return 0.5 * m * w**2 * np.sum(p**2, axis=-1) + coulomb / np.abs(p[..., 1] - p[..., 0])

    d = (2 * coulomb / (m * w**2)) ** (1 / 3)  # distance at equilibrium
    return potential, np.array([-d / 2, d / 2]), m * w**2 * np.array([[2.0, -1.0], [-1.0, 2.0]])


def _float32(g: Callable) -> Callable:
    return lambda x: g(np.asarray(x, dtype=np.float32))


def _one_minus_cos(x):
    """(1 - cos x) / x^2: cancels for small x (relative noise ~ eps / x^2)."""
    return (1 - np.cos(x)) / x**2


def _big_cancel(x):
    """1e8 x + sin x - 1e8 x: a sum of large terms (noise ~ eps * 1e8 |x|)."""
    return (1e8 * x + np.sin(x)) - 1e8 * x


def _sqrt5(x):
    """The 5th derivative of sqrt: (105 / 32) x^(-9/2)."""
    return 105 / 32 * x**-4.5


ION_F, ION_X, ION_H = _ions()

CASES = [
    # aliasing: steps proportional to |x| see many periods
    Case("sin' at 1e4", "derivative", np.sin, 1e4, 1, math.cos(1e4)),
    Case("sin' at 1e8", "derivative", np.sin, 1e8, 1, math.cos(1e8)),
    Case("cos'' at 1e6", "derivative", np.cos, 1e6, 2, -math.cos(1e6)),
    Case(
        "exp(sin x)' at 3e5",
        "derivative",
        lambda x: np.exp(np.sin(x)),
        3e5,
        1,
        math.cos(3e5) * math.exp(math.sin(3e5)),
    ),
    # small domains and scales
    Case("log' at 0.012", "derivative", np.log, 0.012, 1, 1 / 0.012),
    Case("log' at 1e-5", "derivative", np.log, 1e-5, 1, 1e5),
    Case("sqrt' at 1e-6", "derivative", np.sqrt, 1e-6, 1, 0.5 / math.sqrt(1e-6)),
    Case(
        "1/(1+1e6 x^2)' at 1e-3",
        "derivative",
        lambda x: 1 / (1 + 1e6 * x**2),
        1e-3,
        1,
        -2e6 * 1e-3 / (1 + 1e6 * 1e-6) ** 2,
    ),
    Case(
        "tanh(1e4 (x-0.5))' at 0.5", "derivative", lambda x: np.tanh(1e4 * (x - 0.5)), 0.5, 1, 1e4
    ),
    Case("ions Hessian (5.6e-6 apart)", "hessian", ION_F, ION_X, 2, ION_H),
    # kinks and jumps inside the stencil
    Case("|x|' at 1e-3", "derivative", np.abs, 1e-3, 1, 1.0),
    Case("|x|'' at 1e-3", "derivative", np.abs, 1e-3, 2, 0.0),
    Case("|x|'' at 0", "derivative", np.abs, 0.0, 2, math.nan),
    Case("floor' at 2.001", "derivative", np.floor, 2.001, 1, 0.0),
    Case("max(x, 0)^2 '' at 1e-4", "derivative", lambda x: np.maximum(x, 0) ** 2, 1e-4, 2, 2.0),
    # functions less exact than float64
    Case("float32 exp' at 0.5", "derivative", _float32(np.exp), 0.5, 1, math.exp(0.5)),
    Case("float32 sin'' at 1", "derivative", _float32(np.sin), 1.0, 2, -math.sin(1.0)),
    Case("(1-cos x)/x^2 ' at 1e-3", "derivative", _one_minus_cos, 1e-3, 1, -1e-3 / 12 + 1e-9 / 180),
    Case("1e8 x + sin x - 1e8 x ' at 1", "derivative", _big_cancel, 1.0, 1, math.cos(1.0)),
    # fast oscillation
    Case(
        "sin(1000 x)'' at 0.3",
        "derivative",
        lambda x: np.sin(1000 * x),
        0.3,
        2,
        -1e6 * math.sin(300.0),
    ),
    Case(
        "sin(1e4 x)' at 0.1", "derivative", lambda x: np.sin(1e4 * x), 0.1, 1, 1e4 * math.cos(1e3)
    ),
    # high orders
    Case("sqrt^(5) at 1", "derivative", np.sqrt, 1.0, 5, _sqrt5(1.0)),
    Case("exp^(6) at 0", "derivative", np.exp, 0.0, 6, 1.0),
    Case("(1/x)^(4) at 0.5", "derivative", lambda x: 1 / x, 0.5, 4, 24 / 0.5**5),
    Case("sin^(3) at 1e3", "derivative", np.sin, 1e3, 3, -math.cos(1e3)),
]


# ----------------------------------------------------------------- methods


def run_calcml(case: Case) -> Outcome:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case.kind == "hessian":
            res = calcml.hessian(case.f, error=True)(case.x)
        else:
            res = calcml.derivative(case.f, case.x, order=case.order)
    flagged = any(issubclass(w.category, calcml.UnreliableDerivativeWarning) for w in caught)
    return Outcome(res.value, res.error, flagged)


def run_numdifftools(case: Case) -> Outcome:
    import numdifftools as nd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case.kind == "hessian":
            res = nd.Hessian(case.f, full_output=True)(case.x)
        else:
            res = nd.Derivative(case.f, n=case.order, full_output=True)(case.x)
    return Outcome(res.estimate, res.error_estimate, False)


def run_scipy(case: Case) -> Outcome | None:
    """scipy.differentiate: first derivatives, and second ones through its hessian."""
    import scipy.differentiate as sd

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if case.kind == "hessian":
            res = sd.hessian(lambda p: case.f(np.moveaxis(p, 0, -1)), case.x)
            return Outcome(res.ddf, res.error, not np.all(res.success))
        if case.order == 1:
            res = sd.derivative(case.f, case.x)
            return Outcome(res.df, res.error, not np.all(res.success))
        if case.order == 2:
            res = sd.hessian(lambda p: case.f(p[0]), np.array([case.x]))
            return Outcome(res.ddf[0, 0], res.error[0, 0], not np.all(res.success))
    return None  # no higher orders


METHODS = {"calcml": run_calcml, "numdifftools": run_numdifftools, "scipy": run_scipy}


def true_error(case: Case, outcome: Outcome) -> float:
    """Largest absolute error over the entries (inf where no derivative exists)."""
    if np.any(np.isnan(case.truth)):
        return math.inf
    return float(np.max(np.abs(np.asarray(outcome.value) - case.truth)))


def honest(case: Case, outcome: Outcome) -> bool:
    """The estimate covers the true error (every entry), or the result was flagged."""
    if outcome.flagged:
        return True
    if np.any(np.isnan(case.truth)):
        return False
    err = np.abs(np.asarray(outcome.value) - case.truth)
    return bool(np.all(err <= np.asarray(outcome.estimate)))


def relative(case: Case, err: float) -> float:
    """Error relative to the largest entry of the truth (absolute where that is 0)."""
    size = float(np.max(np.abs(np.nan_to_num(case.truth))))
    return err / size if size > 0 else err


def main() -> int:
    import numdifftools as nd
    import scipy

    print(
        f"# honesty suite, {datetime.date.today()}, {platform.machine()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"numdifftools {nd.__version__}"
    )
    print(
        "# cell: true error / estimate (relative to max|truth|; absolute where it is 0), "
        "honest? (F: flagged)"
    )
    print("| case | " + " | ".join(METHODS) + " |")
    print("|---|" + "---|" * len(METHODS))
    counts = dict.fromkeys(METHODS, 0)
    totals = dict.fromkeys(METHODS, 0)
    for case in CASES:
        cells = []
        for name, method in METHODS.items():
            try:
                out = method(case)
            except Exception as err:  # noqa: BLE001 - a peer failing is a result too
                cells.append(f"raised {type(err).__name__}")
                totals[name] += 1
                continue
            if out is None:
                cells.append("n/a")
                continue
            totals[name] += 1
            ok = honest(case, out)
            counts[name] += ok
            err = relative(case, true_error(case, out))
            est = relative(case, float(np.max(out.estimate)))
            mark = ("F " if out.flagged else "") + ("yes" if ok else "**no**")
            cells.append(f"{err:.1e} / {est:.1e} {mark}")
        name = case.name.replace("|", "\\|")  # |x| inside a Markdown table
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    print("| **honest** | " + " | ".join(f"{counts[m]} of {totals[m]}" for m in METHODS) + " |")
    return 0 if counts["calcml"] == totals["calcml"] else 1


if __name__ == "__main__":
    sys.exit(main())
