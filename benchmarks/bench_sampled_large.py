"""Many scattered samples, anisotropic samples and grids with round-off (issue 14, part 4).

Run:  .venv/bin/python benchmarks/bench_sampled_large.py   (prints Markdown tables)

1. Scattered samples of a smooth function on [-1, 1]^2, clean and with 1 % noise, at 1,000 to
   100,000 samples: fit time, peak memory (traced by Python, numpy included), and the gradient
   error (relative RMS over 2,000 interior test points) of
   - calcml's SplineInterpolator (one spline up to 1,000 samples, overlapping patches beyond),
   - the previous design, one spline whose 1,000 kernels sit on a fixed subset of the samples,
   - calcml's LocalPolynomialInterpolator (local quadratics over nearest neighbours).
2. Anisotropic samples: x in [0, 1], y in [0, 1e4], 900 points (per-axis scaling).
3. A 100 x 100 grid whose coordinates carry a 1e-12 jitter (detected as a grid or not).
Each case runs in its own process (peak memory is per case); BLAS uses one thread.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402


def f(p):
    return np.sin(2 * p[:, 0]) * np.cos(3 * p[:, 1]) + p[:, 0] * p[:, 1] ** 2


def grad_f(p):
    x, y = p[:, 0], p[:, 1]
    return np.column_stack(
        [
            2 * np.cos(2 * x) * np.cos(3 * y) + y**2,
            -3 * np.sin(2 * x) * np.sin(3 * y) + 2 * x * y,
        ]
    )


def relative_rms(estimate, truth):
    return float(np.sqrt(np.mean((estimate - truth) ** 2) / np.mean(truth**2)))


def make_model(method):
    from calcml.sampled import LocalPolynomialInterpolator, SplineInterpolator
    from calcml.sampled._scattered import PolyharmonicSpline

    if method == "spline":
        return SplineInterpolator()
    if method == "local":
        return LocalPolynomialInterpolator()

    class SubsetSpline(SplineInterpolator):  # the design before patches: 1,000 kernels
        def _fit(self, X, Y):
            self.grid_ = False
            self._spline = PolyharmonicSpline(X, Y, None, 1000)

    return SubsetSpline()


def run_case(method, n, noise):
    rng = np.random.default_rng(n)
    X = rng.uniform(-1, 1, (n, 2))
    Y = f(X)
    Y = Y + noise * np.ptp(Y) * rng.standard_normal(n)
    Q = rng.uniform(-0.9, 0.9, (2000, 2))
    model = make_model(method)
    tracemalloc.start()
    start = time.perf_counter()
    model.fit(X, Y)
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    G = model.derivatives(Q, order=1)[:, 0]
    eval_time = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "fit_s": fit_time,
        "eval_s": eval_time,
        "peak_mib": peak / 2**20,
        "error": relative_rms(G, grad_f(Q)),
    }


def run_anisotropic():
    from calcml import MultivariateDerivatives

    rng = np.random.default_rng(11)
    X = np.column_stack([rng.uniform(0, 1, 900), rng.uniform(0, 1e4, 900)])
    Y = np.sin(3 * X[:, 0]) + (X[:, 1] / 1e4) ** 2
    Q = np.column_stack([rng.uniform(0.1, 0.9, 400), rng.uniform(1e3, 9e3, 400)])
    exact = np.column_stack([3 * np.cos(3 * Q[:, 0]), 2 * Q[:, 1] / 1e8])
    G = MultivariateDerivatives().fit(X, Y).gradient()(Q)
    per_axis = np.abs(G - exact).max(axis=0) / np.abs(exact).max(axis=0)
    return {"x": float(per_axis[0]), "y": float(per_axis[1])}


def run_jittered_grid():
    from calcml.sampled import SplineInterpolator

    rng = np.random.default_rng(12)
    x = np.linspace(-2, 2, 100)
    P = np.column_stack([a.ravel() for a in np.meshgrid(x, x)])
    P = P + rng.uniform(-1e-12, 1e-12, P.shape)
    tracemalloc.start()
    start = time.perf_counter()
    spline = SplineInterpolator().fit(P, np.sin(P[:, 0]) * np.cos(P[:, 1]))
    fit_time = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    Q = rng.uniform(-1.8, 1.8, (400, 2))
    exact = np.column_stack([np.cos(Q[:, 0]) * np.cos(Q[:, 1]), -np.sin(Q[:, 0]) * np.sin(Q[:, 1])])
    G = spline.derivatives(Q, order=1)[:, 0]
    return {
        "grid": bool(spline.grid_),
        "fit_s": fit_time,
        "peak_mib": peak / 2**20,
        "error": relative_rms(G, exact),
    }


def in_subprocess(*args):
    out = subprocess.run(
        [sys.executable, __file__, *map(str, args)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def main():
    sizes = (1_000, 10_000, 100_000)
    print("Scattered samples on [-1, 1]^2: fit time / peak traced memory / gradient error\n")
    for noise in (0.0, 0.01):
        print(f"noise {noise:.0%} of the range\n")
        print("| samples | method | fit (s) | peak (MiB) | gradient error |")
        print("| ---: | --- | ---: | ---: | ---: |")
        for n in sizes:
            for method in ("spline", "subset", "local"):
                if method == "subset" and n > 10_000:
                    continue  # its time and memory grow as N * 1000: 100,000 takes minutes
                r = in_subprocess("case", method, n, noise)
                print(
                    f"| {n:,} | {method} | {r['fit_s']:.1f} | {r['peak_mib']:.0f} "
                    f"| {r['error']:.2e} |",
                    flush=True,
                )
        print()
    a = in_subprocess("anisotropic")
    print(
        f"Anisotropic (x in [0, 1], y in [0, 1e4], 900 points): max relative gradient error "
        f"x {a['x']:.2e}, y {a['y']:.2e}\n"
    )
    g = in_subprocess("grid")
    print(
        f"100 x 100 grid with 1e-12 jitter: detected as a grid: {g['grid']}; fit "
        f"{g['fit_s']:.2f} s, peak {g['peak_mib']:.0f} MiB, gradient error {g['error']:.1e}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        kind = sys.argv[1]
        if kind == "case":
            result = run_case(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
        elif kind == "anisotropic":
            result = run_anisotropic()
        else:
            result = run_jittered_grid()
        print(json.dumps(result))
    else:
        main()
