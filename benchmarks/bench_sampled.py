"""Derivatives of sampled data: calcml against PyDelt, findiff and scipy (issue 3 targets).

Run:  .venv/bin/python benchmarks/bench_sampled.py   (prints the Markdown tables of the README)

Error = relative RMS error over 400 random interior test points (the central 80 % of the
box) and all components, against the analytic gradient / Hessian. BLAS runs on one thread
for every method, so timings compare algorithms, not thread scheduling on a shared machine.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from scipy.interpolate import (  # noqa: E402
    RBFInterpolator,
    RectBivariateSpline,
    RegularGridInterpolator,
)

from calcml.sampled import (  # noqa: E402
    LocalPolynomialInterpolator,
    MultivariateDerivatives,
    SplineInterpolator,
)

RNG = np.random.default_rng(20240603)
NOISE = 0.01  # standard deviation, as a fraction of the function's range on the samples


def _f2(f, g, h, box=((-2, 2), (-2, 2)), num=20):
    return {"f": f, "grad": g, "hess": h, "box": box, "num": num}


def _const(matrix):
    return lambda p: np.broadcast_to(np.asarray(matrix, float), (len(p), 2, 2))


X0, X1 = (lambda p: p[:, 0]), (lambda p: p[:, 1])
FUNCTIONS = {
    "x^2 + y^2": _f2(lambda p: X0(p) ** 2 + X1(p) ** 2, lambda p: 2 * p, _const([[2, 0], [0, 2]])),
    "x^2 + y": _f2(
        lambda p: X0(p) ** 2 + X1(p),
        lambda p: np.column_stack([2 * X0(p), np.ones(len(p))]),
        _const([[2, 0], [0, 0]]),
    ),
    "xy": _f2(lambda p: X0(p) * X1(p), lambda p: p[:, ::-1], _const([[0, 1], [1, 0]])),
    "x^3 - 3xy^2": _f2(
        lambda p: X0(p) ** 3 - 3 * X0(p) * X1(p) ** 2,
        lambda p: np.column_stack([3 * X0(p) ** 2 - 3 * X1(p) ** 2, -6 * X0(p) * X1(p)]),
        lambda p: np.stack(
            [np.column_stack([6 * X0(p), -6 * X1(p)]), np.column_stack([-6 * X1(p), -6 * X0(p)])],
            axis=1,
        ),
    ),
    "sin x + cos y": _f2(
        lambda p: np.sin(X0(p)) + np.cos(X1(p)),
        lambda p: np.column_stack([np.cos(X0(p)), -np.sin(X1(p))]),
        lambda p: np.stack(
            [
                np.column_stack([-np.sin(X0(p)), 0 * X0(p)]),
                np.column_stack([0 * X0(p), -np.cos(X1(p))]),
            ],
            axis=1,
        ),
    ),
    "x^2 - y^2": _f2(
        lambda p: X0(p) ** 2 - X1(p) ** 2,
        lambda p: np.column_stack([2 * X0(p), -2 * X1(p)]),
        _const([[2, 0], [0, -2]]),
    ),
    "(x-1)^2 + (y-2)^2": _f2(
        lambda p: (X0(p) - 1) ** 2 + (X1(p) - 2) ** 2,
        lambda p: 2 * (p - [1, 2]),
        _const([[2, 0], [0, 2]]),
        box=((-3, 5), (-2, 6)),
        num=30,
    ),
    "xyz": {
        "f": lambda p: p.prod(axis=1),
        "grad": lambda p: np.column_stack(
            [p[:, 1] * p[:, 2], p[:, 0] * p[:, 2], p[:, 0] * p[:, 1]]
        ),
        "hess": lambda p: np.stack(
            [
                np.column_stack([0 * p[:, 0], p[:, 2], p[:, 1]]),
                np.column_stack([p[:, 2], 0 * p[:, 0], p[:, 0]]),
                np.column_stack([p[:, 1], p[:, 0], 0 * p[:, 0]]),
            ],
            axis=1,
        ),
        "box": ((0, 4),) * 3,
        "num": 12,
    },
}


def relative_error(estimate, truth):
    return float(np.sqrt(np.mean((estimate - truth) ** 2) / np.mean(truth**2)))


def grid_axes(spec):
    return [np.linspace(lo, hi, spec["num"]) for lo, hi in spec["box"]]


def grid_samples(spec):
    mesh = np.meshgrid(*grid_axes(spec), indexing="ij")
    return np.column_stack([m.ravel() for m in mesh])


def scattered_samples(spec, num):
    lo, hi = np.array(spec["box"]).T
    return RNG.uniform(lo, hi, size=(num, len(lo)))


def test_points(spec, num=400):
    lo, hi = np.array(spec["box"], float).T
    margin = 0.1 * (hi - lo)
    return RNG.uniform(lo + margin, hi - margin, size=(num, len(lo)))


# --- methods: each maps (X, Y, spec, sigma, points) to (gradient, hessian) at the points ---


def calcml_method(interpolator):
    def run(X, Y, spec, sigma, points):
        mv = MultivariateDerivatives(interpolator).fit(X, Y)
        return mv.gradient()(points), mv.hessian()(points)

    return run


def pydelt_method(X, Y, spec, sigma, points):
    from pydelt.interpolation import SplineInterpolator as PyDeltSpline
    from pydelt.multivariate import MultivariateDerivatives as PyDeltDerivatives

    mv = PyDeltDerivatives(PyDeltSpline, smoothing=0.1).fit(X, Y)  # the seed's settings
    return mv.gradient()(points), mv.hessian()(points)


def findiff_method(X, Y, spec, sigma, points):
    """findiff's 4th-order stencils at the nodes, then cubic grid interpolation to the points."""
    from findiff import Diff

    axes = grid_axes(spec)
    n = len(axes)
    values = Y.reshape([a.size for a in axes])
    steps = [a[1] - a[0] for a in axes]
    d = [Diff(i, steps[i], acc=4) for i in range(n)]

    def at_points(array):
        return RegularGridInterpolator(axes, array, method="cubic")(points)

    grad = np.column_stack([at_points(d[i](values)) for i in range(n)])
    hess = np.empty((len(points), n, n))
    for i in range(n):
        for j in range(i, n):
            second = d[i](d[j](values)) if i != j else (d[i] ** 2)(values)
            hess[:, i, j] = hess[:, j, i] = at_points(second)
    return grad, hess


def rect_spline_method(X, Y, spec, sigma, points):
    """scipy's RectBivariateSpline with the smoothing target s = N sigma^2 (true noise)."""
    if len(spec["box"]) != 2:
        return None
    x, y = grid_axes(spec)
    spline = RectBivariateSpline(x, y, Y.reshape(x.size, y.size), s=Y.size * sigma**2)
    px, py = points.T
    grad = np.column_stack([spline.ev(px, py, dx=1), spline.ev(px, py, dy=1)])
    dxy = spline.ev(px, py, dx=1, dy=1)
    hess = np.stack(
        [
            np.column_stack([spline.ev(px, py, dx=2), dxy]),
            np.column_stack([dxy, spline.ev(px, py, dy=2)]),
        ],
        axis=1,
    )
    return grad, hess


def rbf_method(X, Y, spec, sigma, points):
    """scipy's RBFInterpolator (thin-plate, interpolating) with central differences."""
    rbf = RBFInterpolator(X, Y, kernel="thin_plate_spline")
    n = X.shape[1]
    width = np.ptp(np.array(spec["box"], float), axis=1).max()
    h1, h2 = 1e-5 * width, 1e-3 * width
    eye = np.eye(n)
    grad = np.column_stack([(rbf(points + h1 * e) - rbf(points - h1 * e)) / (2 * h1) for e in eye])
    hess = np.empty((len(points), n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = h2 * eye[i], h2 * eye[j]
            value = (
                rbf(points + ei + ej)
                - rbf(points + ei - ej)
                - rbf(points - ei + ej)
                + rbf(points - ei - ej)
            ) / (4 * h2**2)
            hess[:, i, j] = hess[:, j, i] = value
    return grad, hess


GRID_ONLY = ("findiff", "RectBivariateSpline")
METHODS = {
    "calcml Spline": calcml_method(SplineInterpolator),
    "calcml LocalPoly": calcml_method(LocalPolynomialInterpolator),
    "PyDelt 0.8.0": pydelt_method,
    "findiff": findiff_method,
    "RectBivariateSpline": rect_spline_method,
    "RBF thin-plate + FD": rbf_method,
}


def evaluate(layout, noise):
    """Errors ``{method: {function: (grad, hess)}}`` for one sampling layout and noise level."""
    errors = {name: {} for name in METHODS}
    for fname, spec in FUNCTIONS.items():
        if layout == "grid":
            X = grid_samples(spec)
        else:
            X = scattered_samples(spec, layout)
        Y = spec["f"](X)
        sigma = noise * np.ptp(Y)
        Y = Y + sigma * RNG.standard_normal(Y.shape)
        points = test_points(spec)
        truth = spec["grad"](points), spec["hess"](points)
        for name, method in METHODS.items():
            if layout != "grid" and name in GRID_ONLY:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result = method(X, Y, spec, sigma, points)
            except Exception as exc:  # a peer failing is a result too
                print(f"  {name} failed on {fname}: {type(exc).__name__}: {exc}")
                result = (np.nan, np.nan)
            if result is not None:
                errors[name][fname] = tuple(
                    relative_error(np.asarray(r, float).reshape(t.shape), t)
                    if np.size(r) == t.size
                    else np.nan
                    for r, t in zip(result, truth, strict=True)
                )
    return errors


def table(errors, title):
    names = [n for n in METHODS if errors[n]]
    functions = list(FUNCTIONS)
    lines = [f"#### {title}", "", "| function | " + " | ".join(names) + " |"]
    lines.append("|---" * (len(names) + 1) + "|")
    for fname in functions:
        cells = []
        for n in names:
            g, h = errors[n].get(fname, (np.nan, np.nan))
            cells.append(f"{g:.1e} / {h:.1e}")
        lines.append(f"| {fname} | " + " | ".join(cells) + " |")
    for label, reduce in (("median", np.nanmedian), ("worst", np.nanmax)):
        cells = []
        for n in names:
            values = np.array(list(errors[n].values()), float)
            cells.append(f"{reduce(values[:, 0]):.1e} / {reduce(values[:, 1]):.1e}")
        lines.append(f"| **{label}** | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def speed_4d():
    """4-D, 5000 scattered samples: fit time against RBFInterpolator, and query time."""
    X = RNG.uniform(-1, 1, size=(5000, 4))
    Y = np.sin(X[:, 0]) * X[:, 1] + X[:, 2] ** 2 * X[:, 3]
    points = RNG.uniform(-0.8, 0.8, size=(10_000, 4))
    truth = np.column_stack(
        [
            np.cos(points[:, 0]) * points[:, 1],
            np.sin(points[:, 0]),
            2 * points[:, 2] * points[:, 3],
            points[:, 2] ** 2,
        ]
    )
    header = "| method | fit (s) | gradient, 10^4 points (s) | Hessian, 10^4 points (s) | error |"
    rows = [header]
    rows.append("|---|---|---|---|---|")
    start = time.perf_counter()
    rbf = RBFInterpolator(X, Y, kernel="thin_plate_spline")
    fit = time.perf_counter() - start
    start = time.perf_counter()
    rbf(points)
    values = time.perf_counter() - start
    rows.append(f"| scipy RBFInterpolator (thin-plate) | {fit:.2f} | (values: {values:.2f}) | | |")
    for name, interpolator in (
        ("calcml Spline", SplineInterpolator),
        ("calcml LocalPoly", LocalPolynomialInterpolator),
    ):
        start = time.perf_counter()
        mv = MultivariateDerivatives(interpolator).fit(X, Y)
        fit = time.perf_counter() - start
        start = time.perf_counter()
        grad = mv.gradient()(points)
        t_grad = time.perf_counter() - start
        start = time.perf_counter()
        mv.hessian()(points)
        t_hess = time.perf_counter() - start
        err = relative_error(grad, truth)
        rows.append(f"| {name} | {fit:.2f} | {t_grad:.2f} | {t_hess:.2f} | {err:.1e} |")
    return "#### 4-D, 5000 scattered samples\n\n" + "\n".join(rows) + "\n"


def main():
    print("Cells: gradient error / Hessian error (relative RMS, interior test points).\n")
    for layout, label in (
        ("grid", "Grids"),
        (400, "400 scattered points"),
        (2000, "2000 scattered points"),
    ):
        for noise in (0.0, NOISE):
            title = f"{label}, {'clean' if noise == 0 else '1 % noise'}"
            start = time.perf_counter()
            errors = evaluate(layout, noise)
            print(table(errors, title))
            print(f"({time.perf_counter() - start:.0f} s)\n")
    print(speed_4d())


if __name__ == "__main__":
    main()
