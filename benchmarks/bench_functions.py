"""Accuracy and speed of calcml's function transforms against peers, in one run.

Every case is a function with its analytic derivative, differentiated at 200 random
points by calcml, scipy.differentiate (default settings), numdifftools (default
settings, one point at a time: it is not vectorised over points) and plain central
differences with h = 1e-5 (cross stencil for mixed partials).

Error: over all entries at all points, |estimate - truth| / max(1, |truth|).
Time: best CPU time of a few runs (one run for calls over 2 s, and for numdifftools);
CPU rather than wall time because the machine is shared, every method single-threaded.

Run: ``.venv/bin/python benchmarks/bench_functions.py`` (about a few minutes).
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import NamedTuple

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # every method single-threaded (set before numpy)

import numdifftools as nd  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.differentiate as sd  # noqa: E402

import calcml  # noqa: E402

N_POINTS = 200
RNG = np.random.default_rng(5651219684984213)
KINDS = ("grad", "jacobian", "hessian", "laplacian", "directional")


class Case(NamedTuple):
    name: str
    kind: str
    n: int
    f: Callable  # f(p): (..., n) -> (...) or (..., m)
    truth: Callable  # P (k, n) -> derivative in calcml's shape
    low: float = -2.0
    high: float = 2.0


# ----------------------------------------------------------------- functions


def _quadratic(A, b):
    def f(p):
        return np.einsum("...i,ij,...j->...", p, A, p) + p @ b

    return (
        f,
        (lambda P: P @ (A + A.T).T + b),
        (lambda P: np.broadcast_to(A + A.T, (len(P),) + A.shape)),
    )


def _sinsum():
    def f(p):
        return np.sum(np.sin(p) * p, axis=-1) + 0.1 * np.sum(p[..., :-1] * p[..., 1:], axis=-1)

    def g(P):
        G = np.cos(P) * P + np.sin(P)
        G[:, :-1] += 0.1 * P[:, 1:]
        G[:, 1:] += 0.1 * P[:, :-1]
        return G

    def H(P):
        k, n = P.shape
        out = np.zeros((k, n, n))
        i = np.arange(n)
        out[:, i, i] = 2 * np.cos(P) - P * np.sin(P)
        out[:, i[:-1], i[1:]] = out[:, i[1:], i[:-1]] = 0.1
        return out

    return f, g, H


def _layer(m, n):
    W = RNG.normal(size=(m, n)) / np.sqrt(n)
    b = RNG.normal(size=m)

    def f(p):
        return np.tanh(p @ W.T + b)

    def J(P):
        return (1 - np.tanh(P @ W.T + b) ** 2)[:, :, None] * W

    return f, J


def _logsumexp(n):
    def f(p):
        return np.log(np.sum(np.exp(p), axis=-1))

    def g(P):
        s = np.exp(P - np.log(np.sum(np.exp(P), axis=1, keepdims=True)))
        return s

    def H(P):
        s = g(P)
        return np.einsum("ki,ij->kij", s, np.eye(P.shape[1])) - s[:, :, None] * s[:, None, :]

    return f, g, H


def _rosenbrock():
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def g(P):
        x, y = P.T
        return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], axis=1)

    def H(P):
        x, y = P.T
        return np.stack(
            [
                np.stack([2 - 400 * (y - x**2) + 800 * x**2, -400 * x], axis=1),
                np.stack([-400 * x, np.full_like(x, 200.0)], axis=1),
            ],
            axis=1,
        )

    return f, g, H


def _gaussian(n):
    def f(p):
        return np.exp(-0.5 * np.sum(p**2, axis=-1))

    def lap(P):
        r2 = np.sum(P**2, axis=1)
        return (r2 - n) * np.exp(-0.5 * r2)

    return f, lap


def cases() -> list[Case]:
    """The benchmark: the seed's functions, then larger ones."""
    x, y, z = (lambda p, i=i: p[..., i] for i in range(3))
    seed_f = lambda p: x(p) ** 2 + x(p) * y(p) + y(p) ** 2  # noqa: E731
    xyz = lambda p: x(p) * y(p) * z(p)  # noqa: E731
    monkey = lambda p: x(p) ** 3 - 3 * x(p) * y(p) ** 2  # noqa: E731
    sincos = lambda p: np.sin(x(p)) + np.cos(y(p))  # noqa: E731
    jac2 = lambda p: np.stack([x(p) ** 2 + y(p), x(p) * y(p)], axis=-1)  # noqa: E731
    v2 = np.array([3.0, 4.0])
    A10, b10 = RNG.normal(size=(10, 10)), RNG.normal(size=10)
    quad_f, quad_g, quad_H = _quadratic(A10, b10)
    sin_f, sin_g, sin_H = _sinsum()
    lse_f, lse_g, lse_H = _logsumexp(10)
    ros_f, ros_g, ros_H = _rosenbrock()
    layer_f, layer_J = _layer(10, 20)
    gauss_f, gauss_lap = _gaussian(3)
    return [
        Case(
            "x^2+xy+y^2",
            "grad",
            2,
            seed_f,
            lambda P: np.stack([2 * P[:, 0] + P[:, 1], P[:, 0] + 2 * P[:, 1]], 1),
        ),
        Case(
            "x^2+xy+y^2",
            "hessian",
            2,
            seed_f,
            lambda P: np.broadcast_to([[2.0, 1.0], [1.0, 2.0]], (len(P), 2, 2)),
        ),
        Case(
            "xyz",
            "grad",
            3,
            xyz,
            lambda P: np.stack([P[:, 1] * P[:, 2], P[:, 0] * P[:, 2], P[:, 0] * P[:, 1]], 1),
        ),
        Case(
            "x^3-3xy^2",
            "grad",
            2,
            monkey,
            lambda P: np.stack([3 * P[:, 0] ** 2 - 3 * P[:, 1] ** 2, -6 * P[:, 0] * P[:, 1]], 1),
        ),
        Case(
            "x^3-3xy^2",
            "hessian",
            2,
            monkey,
            lambda P: np.stack(
                [
                    np.stack([6 * P[:, 0], -6 * P[:, 1]], 1),
                    np.stack([-6 * P[:, 1], -6 * P[:, 0]], 1),
                ],
                1,
            ),
        ),
        Case("x^3-3xy^2", "laplacian", 2, monkey, lambda P: np.zeros(len(P))),
        Case(
            "sin x+cos y",
            "grad",
            2,
            sincos,
            lambda P: np.stack([np.cos(P[:, 0]), -np.sin(P[:, 1])], 1),
            -4,
            4,
        ),
        Case(
            "sin x+cos y",
            "hessian",
            2,
            sincos,
            lambda P: np.stack(
                [
                    np.stack([-np.sin(P[:, 0]), 0 * P[:, 0]], 1),
                    np.stack([0 * P[:, 0], -np.cos(P[:, 1])], 1),
                ],
                1,
            ),
            -4,
            4,
        ),
        Case(
            "x^2+y^2",
            "laplacian",
            2,
            lambda p: x(p) ** 2 + y(p) ** 2,
            lambda P: np.full(len(P), 4.0),
        ),
        Case(
            "[x^2+y, xy]",
            "jacobian",
            2,
            jac2,
            lambda P: np.stack(
                [np.stack([2 * P[:, 0], np.ones(len(P))], 1), np.stack([P[:, 1], P[:, 0]], 1)], 1
            ),
        ),
        Case(
            "x^2+xy+y^2 along (3,4)",
            "directional",
            2,
            seed_f,
            lambda P: np.stack([2 * P[:, 0] + P[:, 1], P[:, 0] + 2 * P[:, 1]], 1) @ v2 / 5,
        ),
        Case("rosenbrock", "grad", 2, ros_f, ros_g),
        Case("rosenbrock", "hessian", 2, ros_f, ros_H),
        Case("quadratic form n=10", "grad", 10, quad_f, quad_g),
        Case("quadratic form n=10", "hessian", 10, quad_f, quad_H),
        Case("logsumexp n=10", "grad", 10, lse_f, lse_g),
        Case("logsumexp n=10", "hessian", 10, lse_f, lse_H),
        Case("gaussian n=3", "laplacian", 3, gauss_f, gauss_lap),
        Case("sum x sin x + chain n=50", "grad", 50, sin_f, sin_g),
        Case("sum x sin x + chain n=50", "hessian", 50, sin_f, sin_H),
        Case(
            "sum x sin x + chain n=50",
            "laplacian",
            50,
            sin_f,
            lambda P: np.trace(sin_H(P), axis1=1, axis2=2),
        ),
        Case("tanh layer 20->10", "jacobian", 20, layer_f, layer_J),
        Case(
            "tanh layer 20->10 along ones",
            "directional",
            20,
            layer_f,
            lambda P: layer_J(P) @ (np.ones(20) / np.sqrt(20)),
        ),
    ]


def direction(case: Case) -> np.ndarray:
    """The direction of a directional case (unit vector)."""
    v = np.array([3.0, 4.0]) if case.n == 2 else np.ones(case.n)
    return v / np.linalg.norm(v)


# ----------------------------------------------------------------- methods


def run_calcml(case: Case, P: np.ndarray) -> np.ndarray:
    if case.kind == "directional":
        return calcml.directional(case.f, direction(case))(P)
    return getattr(calcml, case.kind)(case.f)(P)


def _scipy_f(f):
    """scipy passes coordinates first, ``(n, ...)``; outputs go components first."""

    def g(x):
        y = f(np.moveaxis(x, 0, -1))
        return np.moveaxis(y, -1, 0) if y.ndim == x.ndim else y

    return g


def run_scipy(case: Case, P: np.ndarray) -> np.ndarray:
    g = _scipy_f(case.f)
    if case.kind in ("grad", "jacobian"):
        df = sd.jacobian(g, P.T).df  # (m, n, k) or (n, k)
        return np.moveaxis(df, -1, 0)
    if case.kind in ("hessian", "laplacian"):
        H = np.moveaxis(sd.hessian(g, P.T).ddf, -1, 0)
        return H if case.kind == "hessian" else np.trace(H, axis1=1, axis2=2)
    u = direction(case)

    def line(t, *coords):
        return g(np.stack(coords) + t * u.reshape((-1,) + (1,) * t.ndim))

    if case.f(P[0]).ndim == 0:
        return sd.derivative(line, np.zeros(len(P)), args=tuple(P.T)).df
    comps = [
        sd.derivative(lambda t, *c, k=k: line(t, *c)[k], np.zeros(len(P)), args=tuple(P.T)).df
        for k in range(case.f(P[0]).size)
    ]
    return np.stack(comps, axis=1)


def run_numdifftools(case: Case, P: np.ndarray) -> np.ndarray:
    if case.kind == "grad":
        d = nd.Gradient(case.f)
    elif case.kind == "jacobian":
        d = nd.Jacobian(case.f)
    elif case.kind in ("hessian", "laplacian"):
        d = nd.Hessian(case.f)
    else:
        u = direction(case)
        return np.array([nd.Derivative(lambda t, p=p: case.f(p + t * u))(0.0) for p in P])
    out = np.array([d(p) for p in P])
    return np.trace(out, axis1=1, axis2=2) if case.kind == "laplacian" else out


def run_central(case: Case, P: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Plain central differences, vectorised over the points."""
    k, n = P.shape
    E = np.eye(n) * h
    f = case.f
    if case.kind == "directional":
        u = direction(case) * h
        return (f(P + u) - f(P - u)) / (2 * h)
    if case.kind in ("grad", "jacobian"):
        cols = [(f(P + E[i]) - f(P - E[i])) / (2 * h) for i in range(n)]
        return np.stack(cols, axis=-1)
    f0 = f(P)
    H = np.empty((k, n, n))
    for i in range(n):
        H[:, i, i] = (f(P + E[i]) - 2 * f0 + f(P - E[i])) / h**2
        if case.kind == "hessian":
            for j in range(i + 1, n):
                pp, pm = f(P + E[i] + E[j]), f(P + E[i] - E[j])
                mp, mm = f(P - E[i] + E[j]), f(P - E[i] - E[j])
                H[:, i, j] = H[:, j, i] = (pp - pm - mp + mm) / (4 * h * h)
    return H if case.kind == "hessian" else np.trace(H, axis1=1, axis2=2)


METHODS = {
    "calcml": run_calcml,
    "scipy": run_scipy,
    "numdifftools": run_numdifftools,
    "central": run_central,
}


# ----------------------------------------------------------------- measuring


def timed(fun: Callable, *args, repeats: int = 5) -> tuple[np.ndarray, float]:
    """Result and best CPU time of ``fun(*args)`` (one run if it takes over 2 s).

    CPU time of this process, not wall time: the machine is shared with other jobs,
    and every method runs single-threaded (BLAS pinned to one thread).
    """
    best = np.inf
    for _ in range(repeats):
        start = time.process_time()
        result = fun(*args)
        best = min(best, time.process_time() - start)
        if best > 2.0:
            break
    return np.asarray(result), best


SUBSET_FACTOR = 20


def too_slow(method: str, case: Case) -> bool:
    """Peers whose second derivatives of 50 variables take seconds per point (numdifftools)
    or many GB at 200 points (scipy): timed on a subset and scaled."""
    second = case.kind in ("hessian", "laplacian")
    return method in ("numdifftools", "scipy") and case.n >= 20 and second


def relative_errors(estimate: np.ndarray, truth: np.ndarray) -> np.ndarray:
    return np.abs(estimate - truth) / np.maximum(1.0, np.abs(truth))


def hessian_memory(case: Case, P: np.ndarray) -> float:
    """Peak memory (bytes, traced numpy allocations) of calcml's Hessian."""
    tracemalloc.start()
    calcml.hessian(case.f)(P)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def batch_scaling(sizes=(1000, 16000)) -> list[tuple[str, int, float, float]]:
    """Time and peak traced memory of the one-line transforms on growing batches.

    Issue 14: ``derivative(np.sin, linspace(0, 1, 16000))`` took 6.8 s and 3.9 GB (an
    ``(N, N)`` broadcast); the cost must grow linearly with the batch.
    """
    rows = []
    for size in sizes:
        x = np.linspace(0.0, 1.0, size)
        P = np.stack([x, 1 - x], axis=1)
        for label, run in (
            ("derivative(sin)", lambda x=x: calcml.derivative(np.sin, x)),
            ("partial(x*y, 0)", lambda P=P: calcml.partial(_product, 0)(P[:, 0], P[:, 1])),
            ("directional(sin x cos y)", lambda P=P: calcml.directional(_sincos, [1, 2])(P)),
            ("grad(sin x cos y)", lambda P=P: calcml.grad(_sincos)(P)),
        ):
            seconds = np.inf
            for _ in range(3):  # CPU time: robust to other jobs on the machine
                start = time.process_time()
                run()
                seconds = min(seconds, time.process_time() - start)
            tracemalloc.start()
            run()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append((label, size, seconds, peak))
    return rows


def _sincos(p):
    return np.sin(p[..., 0]) * np.cos(p[..., 1])


def _product(a, b):
    return a * b


def main() -> int:
    rows, ratios, worst = [], [], {}
    print(
        f"# calcml function transforms, {datetime.date.today()}, {platform.machine()}, "
        f"{platform.processor() or platform.platform()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, numdifftools {nd.__version__}"
    )
    print(f"# {N_POINTS} points per case; error = max (median) of |d - truth| / max(1, |truth|)")
    header = "| case | kind | n | " + " | ".join(f"{m} err" for m in METHODS) + " | "
    header += " | ".join(f"{m} s" for m in METHODS) + " |"
    print(header)
    print("|" + "---|" * (3 + 2 * len(METHODS)))
    all_errors = []
    for case in cases():
        P = RNG.uniform(case.low, case.high, size=(N_POINTS, case.n))
        truth = case.truth(P)
        errs, times = {}, {}
        for name, method in METHODS.items():
            subset = N_POINTS // SUBSET_FACTOR if too_slow(name, case) else N_POINTS
            result, seconds = timed(
                method, case, P[:subset], repeats=5 if name != "numdifftools" else 1
            )
            errs[name] = relative_errors(result.reshape(truth[:subset].shape), truth[:subset])
            times[name] = seconds * N_POINTS / subset
        all_errors.append(errs["calcml"].ravel())
        ratios.append(times["calcml"] / times["scipy"])
        second = case.kind in ("hessian", "laplacian")
        worst.setdefault(second, []).append(errs["calcml"].max())
        cells = [f"{errs[m].max():.1e} ({np.median(errs[m]):.0e})" for m in METHODS]
        cells += [f"{times[m]:.3g}" + ("*" if too_slow(m, case) else "") for m in METHODS]
        rows.append(f"| {case.name} | {case.kind} | {case.n} | " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    big = next(c for c in cases() if c.kind == "hessian" and c.n == 50)
    P = RNG.uniform(big.low, big.high, size=(N_POINTS, big.n))
    wall_start = time.perf_counter()
    run_calcml(big, P)
    wall_big = time.perf_counter() - wall_start
    _, t_big = timed(run_calcml, big, P, repeats=3)
    mem = hessian_memory(big, P)
    scaling = batch_scaling()
    print("\n| transform | points | CPU time (s) | peak traced memory (MiB) |\n|---|---|---|---|")
    for label, size, seconds, peak in scaling:
        print(f"| {label} | {size} | {seconds:.3g} | {peak / 2**20:.1f} |")
    per_point = {
        label: [s / size for lab, size, s, _ in scaling if lab == label] for label, *_ in scaling
    }
    growth = max(big / small for small, big in per_point.values())
    median = np.median(np.concatenate(all_errors))
    geo = float(np.exp(np.mean(np.log(ratios))))
    first_max, second_max = max(worst[False]), max(worst[True])
    checks = [
        (
            "max error, gradients/Jacobians/directional <= 1e-10",
            f"{first_max:.1e}",
            first_max <= 1e-10,
        ),
        ("max error, Hessians/Laplacians <= 1e-7", f"{second_max:.1e}", second_max <= 1e-7),
        ("median error (all entries, all cases) <= 1e-11", f"{median:.1e}", median <= 1e-11),
        ("geometric mean of time calcml / scipy <= 0.1", f"{geo:.3f}", geo <= 0.1),
        (
            "Hessian n=50 at 200 points < 2 s",
            f"{t_big:.2f} s CPU ({wall_big:.2f} s wall)",
            t_big < 2.0,
        ),
        ("... peak traced memory < 2 GB", f"{mem / 2**20:.0f} MiB", mem < 2**31),
        (
            "one-line transforms: time per point at 16000 / at 1000 points < 3",
            f"{growth:.2f}",
            growth < 3,
        ),
        (
            "derivative(sin) at 16000 points < 0.5 s",
            f"{next(s for lab, n, s, _ in scaling if n == 16000 and 'derivative' in lab):.3f} s",
            next(s for lab, n, s, _ in scaling if n == 16000 and "derivative" in lab) < 0.5,
        ),
    ]
    print(
        f"\n\\* timed on {N_POINTS // SUBSET_FACTOR} points (error too), time scaled to {N_POINTS}."
    )
    print("\n| target | calcml | met |\n|---|---|---|")
    for label, value, ok in checks:
        print(f"| {label} | {value} | {'yes' if ok else 'NO'} |")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
