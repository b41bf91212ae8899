"""Figures the chapters draw, in one style. Import as ``from calcml import plot``.

Every function takes computed arrays, results (such as :class:`calcml.OptimizeResult`) or
callables to evaluate on a grid, only draws, accepts ``ax=None`` (a new figure is made) and
returns the Axes it drew on; none calls ``plt.show()``. Callables take points as rows: a function
of one point ``p`` of shape ``(2,)``, or a vectorised one of ``(k, 2)`` (detected by a probe),
such as ``model.predict`` or ``calcml.grad(f)``.

Style: colormap ``viridis`` (perceptually uniform, readable in grey and with colour-vision
deficiency), lines in the Okabe-Ito palette, axes labelled in math. :func:`alt_text` returns a
one-sentence description of a figure drawn here, for the page's alt text. Render notebooks with
PNG figures (``%config InlineBackend.figure_formats = ["png"]``), not SVG.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Arc, FancyArrowPatch

from ._objective import point_function

__all__ = [
    "CMAP",
    "COLORS",
    "alt_text",
    "batch_variance",
    "chord_tangent",
    "constrained_optimum",
    "contour_gradient",
    "definite_fraction",
    "descent_path",
    "directional_derivative",
    "error_vs_step",
    "heatmap",
    "hessian_eigen",
    "learning_rates",
    "loss_curves",
    "surface",
    "vector_field",
]

CMAP = "viridis"
"""The colormap of every figure: perceptually uniform and colour-blind safe."""
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe-Ito colours for lines and arrows, distinguishable with colour-vision deficiency."""

_FIGSIZE = (5.0, 4.0)
_ALT: weakref.WeakKeyDictionary[Axes, str] = weakref.WeakKeyDictionary()


# ---------------------------------------------------------------------------------------------
# helpers: axes, descriptions, evaluating callables on grids
# ---------------------------------------------------------------------------------------------


def alt_text(ax: Axes) -> str:
    """Return a one-sentence description of a figure drawn by this module, for alt text.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import plot
    >>> ax = plot.heatmap(np.zeros((4, 5)), extent=(0, 1, 0, 1))
    >>> plot.alt_text(ax)
    'Heatmap of a 4 x 5 grid over x in [0, 1], y in [0, 1]; colour shows the value.'
    >>> plot.plt.close(ax.figure)
    """
    return _ALT.get(ax, "")


def _describe(ax: Axes, text: str) -> None:
    _ALT[ax] = text


def _new_axes(ax: Axes | None, projection: str | None = None) -> Axes:
    if ax is None:
        fig = plt.figure(figsize=_FIGSIZE)
        return fig.add_subplot(projection=projection)
    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes or None, got {type(ax).__name__}.")
    if projection == "3d" and ax.name != "3d":
        raise ValueError("`ax` must be a 3-D Axes: fig.add_subplot(projection='3d').")
    return ax


def _label(ax: Axes, xlabel: str = "$x$", ylabel: str = "$y$") -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _limits(lim, name: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in lim)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`{name}` must be a pair (low, high), got {lim!r}.") from exc
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"`{name}` must be finite with low < high, got ({lo}, {hi}).")
    return lo, hi


def _grid(xlim, ylim, num: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(*_limits(xlim, "xlim"), num)
    y = np.linspace(*_limits(ylim, "ylim"), num)
    return np.meshgrid(x, y)


def _try(call: Callable) -> np.ndarray | None:
    try:
        return np.asarray(call(), dtype=float)
    except (TypeError, ValueError, IndexError):
        return None


def _evaluate(fn: Callable, points: np.ndarray) -> np.ndarray:
    """``fn`` at each row of `points` ``(k, 2)``: one vectorised call if a probe agrees.

    The probe calls ``fn`` on three points as a batch and one by one; the batch call is used
    when it agrees, or when ``fn`` only accepts batches (such as ``model.predict``).
    """
    if not callable(fn):
        raise TypeError(f"expected a callable of points, got {type(fn).__name__}.")
    fn = point_function(fn)
    probe = points[:3]
    batch = _try(lambda: fn(probe))
    single = _try(lambda: [fn(p) for p in probe])
    if batch is not None and batch.shape[:1] == (len(probe),):
        if single is None or (single.shape == batch.shape and np.allclose(batch, single)):
            return np.asarray(fn(points), dtype=float)
    return np.array([np.asarray(fn(p), dtype=float) for p in points])  # fn's own error if any


def _on_grid(fn: Callable, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Values of `fn` on a meshgrid: shape ``X.shape`` for scalar `fn`, else ``X.shape + (d,)``."""
    values = _evaluate(fn, np.column_stack([X.ravel(), Y.ravel()]))
    return values.reshape(X.shape + values.shape[1:])


def _path_of(result) -> np.ndarray:
    """Return the ``(k, 2)`` path of an OptimizeResult-like object or of an array."""
    path = np.asarray(getattr(result, "path", result), dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"a path must have shape (k, 2), got {path.shape}.")
    return path


def _contours(ax: Axes, f: Callable, xlim, ylim, levels: int, resolution: int = 100) -> None:
    X, Y = _grid(xlim, ylim, resolution)
    ax.contour(X, Y, _on_grid(f, X, Y), levels=levels, cmap=CMAP, linewidths=1)


def _arrow(ax: Axes, start, vector, color: str, label: str | None = None) -> FancyArrowPatch:
    tail = np.asarray(start, dtype=float)
    arrow = FancyArrowPatch(
        tuple(tail),
        tuple(tail + vector),
        arrowstyle="-|>",
        mutation_scale=15,
        linewidth=2,
        color=color,
        label=label,
    )
    ax.add_patch(arrow)
    return arrow


def _span(lim) -> str:
    lo, hi = lim
    return f"[{lo:g}, {hi:g}]"


# ---------------------------------------------------------------------------------------------
# functions of two variables
# ---------------------------------------------------------------------------------------------


def contour_gradient(
    f: Callable,
    xlim,
    ylim,
    *,
    grad: Callable | None = None,
    arrows: int = 9,
    levels: int = 15,
    scale: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw contour lines of `f` with its gradient as arrows on a regular grid.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``(2,)`` (or vectorised over ``(k, 2)``) returning a scalar.
    xlim, ylim : (float, float)
        The plotted ranges of ``x`` and ``y``.
    grad : callable, optional
        ``grad(p) -> (2,)`` (or ``(k, 2)``); default :func:`calcml.grad` of `f`.
    arrows : int, default: 9
        Arrows per axis: ``arrows ** 2`` in all.
    levels : int, default: 15
        The number of contour levels.
    scale : float, optional
        Gradient length per unit of arrow length in data coordinates: with ``scale=4`` a
        gradient of norm 4 is drawn one unit of ``x`` long. Fix it to compare panels, or when
        the gradient is nearly zero everywhere (autoscaling would blow round-off up into long
        arrows). Default: matplotlib's autoscaling.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes

    Notes
    -----
    Arrows follow the data's axes (``angles="xy"``) so each is perpendicular to the contour it
    starts on, as the aspect ratio is equal.

    Examples
    --------
    >>> from calcml import plot
    >>> f = lambda p: p[0] ** 2 + p[1] ** 2
    >>> ax = plot.contour_gradient(f, (-2, 2), (-2, 2), grad=lambda p: 2 * p, arrows=5)
    >>> ax.collections[-1].N  # the quiver's arrow count
    25
    >>> plot.plt.close(ax.figure)
    """
    ax = _new_axes(ax)
    if grad is None:
        import calcml

        grad = calcml.grad(point_function(f))
    _contours(ax, f, xlim, ylim, levels)
    X, Y = _grid(xlim, ylim, arrows)
    G = _on_grid(grad, X, Y)
    units = None if scale is None else "xy"
    ax.quiver(
        X,
        Y,
        G[..., 0],
        G[..., 1],
        angles="xy",
        scale=scale,
        scale_units=units,
        color=COLORS[6],
        width=0.004,
    )
    ax.set_aspect("equal")
    _label(ax)
    _describe(
        ax,
        f"Contour lines of f over x in {_span(xlim)}, y in {_span(ylim)} with {arrows**2} "
        "gradient arrows, each pointing uphill across the contours.",
    )
    return ax


def surface(
    f: Callable,
    xlim,
    ylim,
    *,
    resolution: int = 60,
    zlabel: str = "$f(x, y)$",
    ax: Axes | None = None,
) -> Axes:
    """Plot the 3-D surface ``z = f(x, y)``, coloured by height.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``(2,)`` (or vectorised over ``(k, 2)``) returning a scalar.
    xlim, ylim : (float, float)
        The plotted ranges of ``x`` and ``y``.
    resolution : int, default: 60
        Grid points per axis.
    zlabel : str, default: "$f(x, y)$"
        The label of the vertical axis.
    ax : Axes, optional
        A 3-D Axes (``projection="3d"``); default a new figure.

    Returns
    -------
    Axes
        The 3-D Axes.

    Examples
    --------
    >>> from calcml import plot
    >>> ax = plot.surface(lambda p: p[0] ** 2 - p[1] ** 2, (-1, 1), (-1, 1), resolution=10)
    >>> ax.name, ax.get_zlabel()
    ('3d', '$f(x, y)$')
    >>> plot.plt.close(ax.figure)
    """
    ax = _new_axes(ax, projection="3d")
    X, Y = _grid(xlim, ylim, resolution)
    ax.plot_surface(X, Y, _on_grid(f, X, Y), cmap=CMAP, linewidth=0, antialiased=True)
    _label(ax)
    ax.set_zlabel(zlabel)
    _describe(ax, f"Surface of f over x in {_span(xlim)}, y in {_span(ylim)}, coloured by height.")
    return ax


def descent_path(
    f: Callable,
    paths,
    xlim=None,
    ylim=None,
    *,
    levels: int = 20,
    ax: Axes | None = None,
) -> Axes:
    """Draw optimisation paths over the contour lines of `f`.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``(2,)`` (or vectorised) returning a scalar.
    paths : OptimizeResult, array_like (k, 2), or dict
        One path (a result with ``.path``, or the points), or ``{label: path}`` for several,
        drawn in different colours with a legend.
    xlim, ylim : (float, float), optional
        The plotted ranges; default the paths' extent plus a margin.
    levels : int, default: 20
        The number of contour levels.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        One line per path, with a marker at every iterate; the start is a square.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> from calcml import plot
    >>> f = lambda p: (p[0] - 1) ** 2 + (p[1] - 2) ** 2
    >>> res = calcml.gradient_descent(f, [4, 5], max_steps=20, grad=lambda p: 2 * (p - [1, 2]))
    >>> ax = plot.descent_path(f, {"rate 0.1": res})
    >>> len(ax.lines[0].get_xdata())  # x0 and 20 steps
    21
    >>> plot.plt.close(ax.figure)
    """
    ax = _new_axes(ax)
    named = dict(paths) if isinstance(paths, Mapping) else {None: paths}
    points = {label: _path_of(p) for label, p in named.items()}
    xlim, ylim = _path_limits(np.vstack(list(points.values())), xlim, ylim)
    _contours(ax, f, xlim, ylim, levels)
    for (label, path), color in zip(points.items(), _cycle(len(points)), strict=True):
        ax.plot(*path.T, "o-", color=color, markersize=3, linewidth=1.5, label=label)
        ax.plot(*path[0], "s", color=color, markersize=7)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    _label(ax)
    if len(points) > 1 or None not in points:
        ax.legend(loc="best", fontsize="small")
    steps = ", ".join(f"{len(p) - 1} steps" for p in points.values())
    _describe(ax, f"Contour lines of f with {len(points)} descent path(s) ({steps}).")
    return ax


def _cycle(n: int) -> list[str]:
    return [COLORS[i % len(COLORS)] for i in range(n)]


def _path_limits(points: np.ndarray, xlim, ylim):
    finite = points[np.all(np.isfinite(points), axis=1)]
    lo, hi = finite.min(axis=0), finite.max(axis=0)
    margin = 0.15 * np.maximum(hi - lo, 1.0)
    auto = [(lo[i] - margin[i], hi[i] + margin[i]) for i in range(2)]
    xlim = auto[0] if xlim is None else _limits(xlim, "xlim")
    ylim = auto[1] if ylim is None else _limits(ylim, "ylim")
    return xlim, ylim


def learning_rates(
    f: Callable,
    results: Mapping,
    xlim,
    ylim,
    *,
    ncols: int = 3,
    levels: int = 15,
) -> np.ndarray:
    r"""Draw small multiples: one descent path per panel on shared axes, e.g. per learning rate.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``(2,)`` (or vectorised) returning a scalar.
    results : dict
        ``{rate_or_label: OptimizeResult or path}``; a number key is titled ``eta = key``. A
        result's failure (diverged; not converged, and whether ``f`` increased) is added to
        the panel title.
    xlim, ylim : (float, float)
        The ranges shared by all panels (a diverging path leaves the panel).
    ncols : int, default: 3
        Panels per row.
    levels : int, default: 15
        The number of contour levels.

    Returns
    -------
    ndarray of Axes
        One Axes per entry of `results`, in order (extra grid cells are removed).

    Examples
    --------
    >>> import calcml
    >>> from calcml import plot
    >>> f = lambda p: p[0] ** 2 + 3 * p[1] ** 2
    >>> g = lambda p: [2 * p[0], 6 * p[1]]
    >>> runs = {r: calcml.gradient_descent(f, [2, 1], learning_rate=r, max_steps=100, grad=g)
    ...         for r in (0.05, 0.15, 0.4)}
    >>> axes = plot.learning_rates(f, runs, (-3, 3), (-2, 2))
    >>> [ax.get_title() for ax in axes]
    ['$\\eta = 0.05$ (100 steps, not converged)', '$\\eta = 0.15$', '$\\eta = 0.4$ (diverged)']
    >>> plot.plt.close(axes[0].figure)
    """
    if not isinstance(results, Mapping) or not results:
        raise TypeError("`results` must be a non-empty dict {learning_rate: OptimizeResult}.")
    nrows = -(-len(results) // ncols)
    fig, grid = plt.subplots(
        nrows, ncols, figsize=(3.2 * ncols, 3.0 * nrows), sharex=True, sharey=True, squeeze=False
    )
    axes = grid.ravel()
    for ax, (key, result) in zip(axes, results.items(), strict=False):
        descent_path(f, result, xlim, ylim, levels=levels, ax=ax)
        ax.set_title(_panel_title(key, result), fontsize="medium")
    for ax in axes[len(results) :]:
        fig.delaxes(ax)
    fig.tight_layout()
    return axes[: len(results)]


def _panel_title(key, result) -> str:
    from calcml.optimize import CONVERGED, DIVERGED

    title = f"$\\eta = {key:g}$" if isinstance(key, int | float) else str(key)
    status = getattr(result, "status", CONVERGED)
    if status == DIVERGED:
        return f"{title} (diverged)"
    if status != CONVERGED:
        grew = ", f increased" if result.values[-1] > result.values[0] else ""
        return f"{title} ({result.nit} steps, not converged{grew})"
    return title


def directional_derivative(
    point,
    gradient,
    direction,
    *,
    f: Callable | None = None,
    xlim=None,
    ylim=None,
    ax: Axes | None = None,
) -> Axes:
    r"""Draw the gradient, a unit direction, their angle and the directional derivative.

    Parameters
    ----------
    point : array_like, shape (2,)
        Where the derivative is taken.
    gradient : array_like, shape (2,)
        The gradient of ``f`` at `point` (nonzero).
    direction : array_like, shape (2,)
        The chosen direction ``v`` (nonzero; it is normalised to ``v_hat``).
    f : callable, optional
        If given, its contour lines are drawn underneath.
    xlim, ylim : (float, float), optional
        The plotted ranges; default a square around `point` that holds both arrows.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        Two arrows (the gradient and ``v_hat``), the angle ``theta`` as an arc, the projection
        of the gradient onto ``v_hat`` (dashed, length ``grad f . v_hat``) and the equation
        ``grad f . v_hat = |grad f| cos(theta)`` with its value.

    Examples
    --------
    >>> from calcml import plot
    >>> ax = plot.directional_derivative([1, 1], [2, 2], [1, 0])
    >>> len(ax.patches), ax.texts[-1].get_text()
    (3, '$\\nabla f\\cdot\\hat v = |\\nabla f|\\cos\\theta = 2.83 \\times 0.71 = 2.00$')
    >>> plot.plt.close(ax.figure)
    """
    p, g, v = (
        _vector2(a, name)
        for a, name in ((point, "point"), (gradient, "gradient"), (direction, "direction"))
    )
    for a, name in ((g, "gradient"), (v, "direction")):
        if not np.any(a):
            raise ValueError(f"`{name}` must be a nonzero vector.")
    ax = _new_axes(ax)
    u = v / np.linalg.norm(v)
    norm, slope = float(np.linalg.norm(g)), float(g @ u)
    reach = max(norm, 1.0) * 1.3
    xlim = (p[0] - reach, p[0] + reach) if xlim is None else _limits(xlim, "xlim")
    ylim = (p[1] - reach, p[1] + reach) if ylim is None else _limits(ylim, "ylim")
    if f is not None:
        _contours(ax, f, xlim, ylim, levels=12)
    _arrow(ax, p, g, COLORS[0], label=r"$\nabla f$")
    _arrow(ax, p, u, COLORS[1], label=r"$\hat v$")
    ax.plot(
        *np.column_stack([p, p + slope * u]),
        "--",
        color=COLORS[2],
        linewidth=2,
        label=r"projection $(\nabla f\cdot\hat v)\,\hat v$",
    )
    ax.plot(*p, "o", color=COLORS[6])
    _angle_arc(ax, p, g, u, radius=0.35 * min(norm, 1.0))
    cos = slope / norm
    ax.text(
        0.02,
        0.02,
        rf"$\nabla f\cdot\hat v = |\nabla f|\cos\theta = {norm:.2f} \times "
        rf"{cos:.2f} = {slope:.2f}$",
        transform=ax.transAxes,
        fontsize="small",
    )
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize="small")
    _label(ax)
    _describe(
        ax,
        f"Gradient {np.round(g, 2).tolist()} and unit direction "
        f"{np.round(u, 2).tolist()} at {np.round(p, 2).tolist()}, at angle "
        f"{np.degrees(np.arccos(np.clip(cos, -1, 1))):.0f} degrees; the directional "
        f"derivative is {slope:.2f}.",
    )
    return ax


def _vector2(a, name: str) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if arr.shape != (2,) or not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be a finite vector of shape (2,), got {a!r}.")
    return arr


def _angle_arc(ax: Axes, p: np.ndarray, g: np.ndarray, u: np.ndarray, radius: float) -> None:
    a1, a2 = (np.degrees(np.arctan2(w[1], w[0])) for w in (u, g))
    start, end = (a1, a2) if (a2 - a1) % 360 <= 180 else (a2, a1)
    ax.add_patch(
        Arc(
            tuple(p), 2 * radius, 2 * radius, theta1=start, theta2=end, color=COLORS[6], linewidth=1
        )
    )
    middle = np.radians(start + ((end - start) % 360) / 2)
    ax.text(
        *(p + 1.4 * radius * np.array([np.cos(middle), np.sin(middle)])),
        r"$\theta$",
        ha="center",
        va="center",
    )


def hessian_eigen(
    hessian,
    *,
    center=(0.0, 0.0),
    radius: float = 2.0,
    levels: int = 12,
    view: str = "contour",
    ax: Axes | None = None,
) -> Axes:
    r"""Draw the quadratic ``q(d) = d.T H d / 2`` and the Hessian's eigen-directions on it.

    Parameters
    ----------
    hessian : array_like, shape (2, 2)
        A symmetric matrix (it is symmetrised).
    center : (float, float), default: (0, 0)
        The point the quadratic model is centred on (plotted coordinates are ``center + d``).
    radius : float, default: 2.0
        Half-width of the plotted square.
    levels : int, default: 12
        The number of contour levels (``view="contour"``).
    view : {"contour", "surface"}, default: "contour"
        ``"contour"``: contours in the plane with arrows along the eigenvectors.
        ``"surface"``: the quadratic surface in 3-D with, drawn on it, the two parabolas
        ``t -> (center + t e_i, lambda_i t^2 / 2)`` cut by the eigen-directions.
    ax : Axes, optional
        Where to draw (a 3-D Axes for ``view="surface"``); default a new figure.

    Returns
    -------
    Axes
        The eigen-directions are labelled with their eigenvalues: the curvature is
        ``lambda_i`` along ``e_i``.

    Examples
    --------
    >>> from calcml import plot
    >>> ax = plot.hessian_eigen([[2, 0], [0, -2]])
    >>> len(ax.patches), sorted(t.get_text() for t in ax.texts)
    (2, ['$\\lambda_1 = -2$', '$\\lambda_2 = 2$'])
    >>> plot.plt.close(ax.figure)
    >>> ax = plot.hessian_eigen([[2, 0], [0, -2]], view="surface")
    >>> len(ax.lines), ax.name
    (2, '3d')
    >>> plot.plt.close(ax.figure)
    """
    if view not in ("contour", "surface"):
        raise ValueError(f"`view` must be 'contour' or 'surface', got {view!r}.")
    h = np.asarray(hessian, dtype=float)
    if h.shape != (2, 2) or not np.all(np.isfinite(h)):
        raise ValueError(f"`hessian` must be a finite 2 x 2 matrix, got shape {h.shape}.")
    c = _vector2(center, "center")
    h = (h + h.T) / 2
    eigenvalues, eigenvectors = np.linalg.eigh(h)
    if view == "surface":
        return _hessian_surface(h, c, radius, eigenvalues, eigenvectors, ax)
    ax = _new_axes(ax)
    X, Y = _grid((c[0] - radius, c[0] + radius), (c[1] - radius, c[1] + radius), 100)
    Q = _quadratic(h, c, X, Y)
    ax.contour(X, Y, Q, levels=levels, cmap=CMAP, linewidths=1)
    for i, (lam, e) in enumerate(zip(eigenvalues, eigenvectors.T, strict=True)):
        tip = 0.6 * radius * e
        _arrow(ax, c, tip, COLORS[i])
        # the label starts just past the arrow's tip, on the side away from the centre
        ax.text(
            *(c + 1.12 * tip),
            rf"$\lambda_{i + 1} = {lam:.3g}$",
            color=COLORS[i],
            ha="left" if e[0] > 0.4 else "right" if e[0] < -0.4 else "center",
            va="bottom" if e[1] > 0.4 else "top" if e[1] < -0.4 else "center",
            fontsize="small",
        )
    ax.set_aspect("equal")
    _label(ax)
    _describe(
        ax,
        f"Contours of the quadratic model with Hessian eigenvalues "
        f"{np.round(eigenvalues, 3).tolist()}; arrows show the two eigen-directions.",
    )
    return ax


def _quadratic(h: np.ndarray, c: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    D = np.stack([X - c[0], Y - c[1]], axis=-1)
    return 0.5 * np.einsum("...i,ij,...j->...", D, h, D)


def _hessian_surface(h, c, radius, eigenvalues, eigenvectors, ax) -> Axes:
    """Draw the 3-D view of :func:`hessian_eigen`: the surface and the parabolas along e_i."""
    ax = _new_axes(ax, projection="3d")
    X, Y = _grid((c[0] - radius, c[0] + radius), (c[1] - radius, c[1] + radius), 40)
    ax.plot_surface(X, Y, _quadratic(h, c, X, Y), cmap=CMAP, alpha=0.55, linewidth=0)
    t = np.linspace(-radius, radius, 60)
    for i, (lam, e) in enumerate(zip(eigenvalues, eigenvectors.T, strict=True)):
        x, y = c[0] + t * e[0], c[1] + t * e[1]
        ax.plot(x, y, 0.5 * lam * t**2, color=COLORS[i], linewidth=3)
        ax.text(
            x[-1],
            y[-1],
            0.5 * lam * t[-1] ** 2,
            rf"  $\lambda_{i + 1} = {lam:.3g}$",
            color=COLORS[i],
            fontsize="small",
        )
    _label(ax)
    ax.set_zlabel("$q$")
    _describe(
        ax,
        f"The quadratic surface of a Hessian with eigenvalues {np.round(eigenvalues, 3).tolist()}; "
        "the two coloured parabolas follow the eigen-directions, curving up for a positive "
        "eigenvalue and down for a negative one.",
    )
    return ax


def vector_field(
    F: Callable,
    xlim,
    ylim,
    *,
    arrows: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Draw a 2-D vector field ``F(x, y) = (u, v)`` as arrows coloured by their length.

    Parameters
    ----------
    F : callable
        ``F(p)`` of a point ``(2,)`` returning ``(2,)`` (or vectorised: ``(k, 2) -> (k, 2)``).
    xlim, ylim : (float, float)
        The plotted ranges of ``x`` and ``y``.
    arrows : int, default: 15
        Arrows per axis: ``arrows ** 2`` in all.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        With a colour bar of ``|F|``.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import plot
    >>> ax = plot.vector_field(lambda p: np.array([-p[1], p[0]]), (-1, 1), (-1, 1), arrows=4)
    >>> ax.collections[0].N
    16
    >>> plot.plt.close(ax.figure)
    """
    ax = _new_axes(ax)
    X, Y = _grid(xlim, ylim, arrows)
    V = _on_grid(F, X, Y)
    if V.shape != X.shape + (2,):
        raise ValueError(f"`F` must return 2 components per point, got shape {V.shape[2:]}.")
    quiver = ax.quiver(
        X, Y, V[..., 0], V[..., 1], np.hypot(V[..., 0], V[..., 1]), cmap=CMAP, angles="xy"
    )
    ax.figure.colorbar(quiver, ax=ax, label=r"$|F(x, y)|$")
    ax.set_aspect("equal")
    _label(ax)
    _describe(
        ax,
        f"Vector field with {arrows**2} arrows over x in {_span(xlim)}, y in "
        f"{_span(ylim)}; colour shows the arrow length.",
    )
    return ax


def heatmap(
    Z,
    extent,
    *,
    cmap: str = CMAP,
    colorbar_label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw grid data ``Z[i, j]`` (row ``i`` is ``y``, column ``j`` is ``x``) as an image.

    Parameters
    ----------
    Z : array_like, shape (ny, nx)
        The values, as produced on a ``np.meshgrid(x, y)`` grid.
    extent : (xmin, xmax, ymin, ymax)
        The region the grid covers.
    cmap : str, default: "viridis"
        A colormap; keep to colour-blind-safe ones (``"cividis"``, or ``"PuOr"`` for data with
        a sign).
    colorbar_label : str, optional
        If given, a colour bar with this label is added.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import plot
    >>> ax = plot.heatmap(np.arange(6.0).reshape(2, 3), extent=(0, 3, 0, 2))
    >>> ax.images[0].get_array().shape
    (2, 3)
    >>> plot.plt.close(ax.figure)
    """
    data = np.asarray(Z, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"`Z` must be a 2-D grid (ny, nx), got shape {data.shape}.")
    if len(extent) != 4:
        raise ValueError(f"`extent` must be (xmin, xmax, ymin, ymax), got {extent!r}.")
    xlim = _limits(extent[:2], "extent[:2]")
    ylim = _limits(extent[2:], "extent[2:]")
    ax = _new_axes(ax)
    image = ax.imshow(data, extent=(*xlim, *ylim), origin="lower", cmap=cmap, aspect="auto")
    if colorbar_label is not None:
        ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    _label(ax)
    ny, nx = data.shape
    _describe(
        ax,
        f"Heatmap of a {ny} x {nx} grid over x in {_span(xlim)}, y in {_span(ylim)}; "
        "colour shows the value.",
    )
    return ax


# ---------------------------------------------------------------------------------------------
# curves
# ---------------------------------------------------------------------------------------------


def error_vs_step(steps, errors: Mapping, *, ax: Axes | None = None) -> Axes:
    """Plot absolute error against step size on log-log axes, one line per method.

    Parameters
    ----------
    steps : array_like, shape (k,)
        The step sizes ``h`` (positive).
    errors : dict
        ``{label: errors}``, each of shape ``(k,)``, e.g. ``{"forward": ..., "central": ...}``.
        Zero errors cannot be shown on a log axis and are left out.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        One line per entry of `errors`, with a legend.

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import plot
    >>> h = np.logspace(-12, -1, 12)
    >>> forward = np.abs((np.sin(1 + h) - np.sin(1)) / h - np.cos(1))
    >>> central = np.abs((np.sin(1 + h) - np.sin(1 - h)) / (2 * h) - np.cos(1))
    >>> ax = plot.error_vs_step(h, {"forward": forward, "central": central})
    >>> [line.get_label() for line in ax.lines], ax.get_xscale()
    (['forward', 'central'], 'log')
    >>> plot.plt.close(ax.figure)
    """
    h = np.asarray(steps, dtype=float)
    if h.ndim != 1 or np.any(h <= 0):
        raise ValueError("`steps` must be a 1-D array of positive step sizes.")
    if not isinstance(errors, Mapping) or not errors:
        raise TypeError("`errors` must be a non-empty dict {label: errors}.")
    ax = _new_axes(ax)
    for (label, err), color in zip(errors.items(), _cycle(len(errors)), strict=True):
        e = np.asarray(err, dtype=float)
        if e.shape != h.shape:
            raise ValueError(f"`errors[{label!r}]` has shape {e.shape}; `steps` has {h.shape}.")
        keep = e > 0
        ax.loglog(h[keep], e[keep], "o-", color=color, markersize=4, label=str(label))
    _label(ax, "step size $h$", "absolute error")
    ax.legend(loc="best", fontsize="small")
    methods = ", ".join(map(str, errors))
    _describe(ax, f"Log-log plot of absolute error against step size for {methods}.")
    return ax


def definite_fraction(dims, fraction, *, high=None, ax: Axes | None = None) -> Axes:
    """Plot the simulated positive-definite fraction against ``(1/2)**n`` on a log scale.

    Parameters
    ----------
    dims : array_like of int
        Matrix sizes ``n``.
    fraction : array_like
        The simulated fractions (see :func:`calcml.definite_fraction`).
    high : array_like, optional
        Upper confidence limits; where a fraction is 0 (nothing seen), a downward triangle at
        `high` marks the bound instead.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        The simulated line, the ``(1/2)**n`` line and any upper-bound markers, with a legend.

    Examples
    --------
    >>> import calcml
    >>> from calcml import plot
    >>> res = calcml.definite_fraction(range(1, 6), trials=2_000, seed=0)
    >>> ax = plot.definite_fraction(res.dims, res.fraction, high=res.high)
    >>> ax.get_yscale(), [line.get_label() for line in ax.lines][:2]
    ('log', ['simulated (GOE)', '$(1/2)^n$'])
    >>> plot.plt.close(ax.figure)
    """
    n = np.asarray(dims, dtype=float)
    frac = np.asarray(fraction, dtype=float)
    if n.shape != frac.shape or n.ndim != 1:
        raise ValueError(f"`dims` {n.shape} and `fraction` {frac.shape} must be matching 1-D.")
    ax = _new_axes(ax)
    seen = frac > 0
    ax.semilogy(n[seen], frac[seen], "o-", color=COLORS[0], label="simulated (GOE)")
    ax.semilogy(n, 0.5**n, "--", color=COLORS[1], label="$(1/2)^n$")
    if high is not None and not seen.all():
        upper = np.asarray(high, dtype=float)[~seen]
        ax.semilogy(
            n[~seen],
            upper,
            "v",
            color=COLORS[0],
            linestyle="none",
            label="upper 95% bound (none seen)",
        )
    ax.set_xticks(n)
    _label(ax, "dimension $n$", "fraction positive definite")
    ax.legend(loc="upper right", fontsize="small")
    _describe(
        ax,
        "Log-scale plot of the fraction of random symmetric matrices that are positive "
        "definite against dimension, beside the (1/2)^n heuristic.",
    )
    return ax


# ---------------------------------------------------------------------------------------------
# convexity and constrained optimisation (chapter 12)
# ---------------------------------------------------------------------------------------------


def chord_tangent(f: Callable, a: float, b: float, x0: float, *, ax: Axes | None = None) -> Axes:
    r"""Draw a function of one variable with a chord and a tangent line: the two convexity tests.

    A convex function lies below each chord and above each tangent line; a non-convex one
    breaks at least one of the two, which the figure makes visible.

    Parameters
    ----------
    f : callable
        ``f(x)`` of a real number, vectorised over arrays (e.g. ``np.cosh``).
    a, b : float
        Ends of the chord, ``a < b``; the curve is drawn over ``[a - w/4, b + w/4]`` with
        ``w = b - a``.
    x0 : float
        Where the tangent line touches (derivative from :func:`calcml.derivative`).
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        The curve, the chord (dashed) with its end points, and the tangent (dotted).

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import plot
    >>> ax = plot.chord_tangent(np.cosh, -1.0, 2.0, 0.5)
    >>> [line.get_label() for line in ax.lines]
    ['$f$', 'chord', 'tangent at $x_0$']
    >>> plot.plt.close(ax.figure)
    """
    lo, hi = _limits((a, b), "(a, b)")
    if not callable(f):
        raise TypeError(f"`f` must be a callable of one real number, got {type(f).__name__}.")
    from .transforms import derivative

    ax = _new_axes(ax)
    w = hi - lo
    x = np.linspace(lo - w / 4, hi + w / 4, 300)
    y = np.asarray(f(x), dtype=float)
    x0 = float(x0)
    y0, slope = float(f(x0)), float(derivative(f, x0).value)
    ends = np.array([lo, hi])
    ax.plot(x, y, color=COLORS[0], linewidth=2.5, label="$f$")
    ax.plot(ends, np.asarray(f(ends), dtype=float), "--o", color=COLORS[1], label="chord")
    ax.plot(x, y0 + slope * (x - x0), ":", color=COLORS[2], linewidth=2, label="tangent at $x_0$")
    span = np.ptp(y)
    ax.set_ylim(y.min() - 0.15 * span, y.max() + 0.15 * span)
    ax.legend(loc="best", fontsize="small")
    _label(ax, "$x$", "$f(x)$")
    _describe(
        ax,
        f"A curve over [{x[0]:.2g}, {x[-1]:.2g}] with a dashed chord from x = {lo:g} to "
        f"x = {hi:g} and a dotted tangent line at x = {x0:g}.",
    )
    return ax


def constrained_optimum(
    f: Callable,
    g: Callable,
    point,
    xlim,
    ylim,
    *,
    feasible: bool = False,
    levels: int = 15,
    length: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    r"""Draw contours of `f`, the constraint curve ``g = 0`` and both gradients at `point`.

    At a constrained optimum of `f` on ``g = 0`` the two gradients are parallel (Lagrange);
    at an optimum on the boundary of ``g <= 0`` the gradient of `f` points into the feasible
    set, against ``grad g`` (KKT).

    Parameters
    ----------
    f, g : callable
        ``f(p)`` and ``g(p)`` of a point ``(2,)`` (or vectorised over ``(k, 2)``), or of
        ``(x, y)``.
    point : array_like, shape (2,)
        The candidate optimum, where the gradients are drawn (from :func:`calcml.grad`).
    xlim, ylim : (float, float)
        The plotted ranges.
    feasible : bool, default: False
        Shade the region ``g <= 0`` (an inequality constraint).
    levels : int, default: 15
        Contour levels of `f`.
    length : float, optional
        Length of each drawn gradient arrow (both are normalised to it so their directions
        compare); default a fifth of the ``x`` range.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        Contours of `f`, the curve ``g = 0`` (black), the point, and arrows along
        ``grad f`` and ``grad g``.

    Examples
    --------
    >>> from calcml import plot
    >>> f = lambda p: p[0] + 2 * p[1]
    >>> g = lambda p: p[0] ** 2 + p[1] ** 2 - 5
    >>> ax = plot.constrained_optimum(f, g, [-1, -2], (-3, 3), (-3, 3))
    >>> [a.get_label() for a in ax.patches]
    ['$\\nabla f$ (direction)', '$\\nabla g$ (direction)']
    >>> plot.plt.close(ax.figure)
    """
    from .transforms import grad

    p = _vector2(point, "point")
    xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    f1, g1 = point_function(f), point_function(g)
    ax = _new_axes(ax)
    _contours(ax, f1, xlim, ylim, levels)
    X, Y = _grid(xlim, ylim, 200)
    G = _on_grid(g1, X, Y)
    if feasible:
        ax.contourf(X, Y, G, levels=[G.min() - 1, 0], colors=[COLORS[5]], alpha=0.25)
    ax.contour(X, Y, G, levels=[0], colors=[COLORS[6]], linewidths=2.5)
    reach = (xlim[1] - xlim[0]) / 5 if length is None else float(length)
    arrows = {}
    for fn, color, name in ((f1, COLORS[0], "f"), (g1, COLORS[1], "g")):
        d = np.asarray(grad(fn)(p), dtype=float)
        if not np.all(np.isfinite(d)) or np.linalg.norm(d) < 1e-8:
            raise ValueError(f"grad {name} is zero or not finite at `point`: nothing to draw.")
        arrows[name] = d / np.linalg.norm(d)
        _arrow(ax, p, reach * arrows[name], color, label=rf"$\nabla {name}$ (direction)")
    ax.plot(*p, "o", color=COLORS[6], markersize=7)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize="small")
    _label(ax)
    cos = float(arrows["f"] @ arrows["g"])
    relation = "parallel" if cos > 0.999 else "opposite" if cos < -0.999 else "not parallel"
    region = " with the feasible region g <= 0 shaded" if feasible else ""
    _describe(
        ax,
        f"Contour lines of f with the constraint curve g = 0 in black{region}, and at "
        f"{np.round(p, 2).tolist()} arrows along grad f and grad g, which are {relation}.",
    )
    return ax


def batch_variance(noise, *, ax: Axes | None = None) -> Axes:
    """Plot measured minibatch-gradient variance against batch size, with the line ``sigma^2/B``.

    Parameters
    ----------
    noise : GradientNoise
        The result of :func:`calcml.gradient_noise` (``batch_sizes``, ``variance``, ``sigma2``).
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        Log-log axes: the measured variances as dots and ``sigma^2 / B`` as a line.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> from calcml import plot
    >>> a = np.array([1.0, 2.0, 3.0, 6.0])
    >>> noise = calcml.gradient_noise(lambda w, i: w - a[i].mean(keepdims=True), [0.0], 4,
    ...                               [1, 2, 4], trials=200)
    >>> ax = plot.batch_variance(noise)
    >>> ax.get_xscale(), ax.get_yscale(), len(ax.lines)
    ('log', 'log', 2)
    >>> plot.plt.close(ax.figure)
    """
    try:
        sizes = np.asarray(noise.batch_sizes, dtype=float)
        variance = np.asarray(noise.variance, dtype=float)
        sigma2 = float(noise.sigma2)
    except AttributeError as exc:
        raise TypeError(
            "`noise` must be the result of calcml.gradient_noise (batch_sizes, variance, "
            f"sigma2), got {type(noise).__name__}."
        ) from exc
    ax = _new_axes(ax)
    ax.loglog(sizes, variance, "o", color=COLORS[0], label="measured")
    ax.loglog(sizes, sigma2 / sizes, "-", color=COLORS[1], label=r"$\sigma^2 / B$")
    _label(
        ax, "batch size $B$", r"$\mathbb{E}\,\|\mathbf{g}_{\mathcal{B}} - \nabla \mathcal{L}\|^2$"
    )
    ax.legend(loc="best", fontsize="small")
    _describe(
        ax,
        f"Log-log plot of minibatch-gradient variance against batch size from {sizes[0]:g} to "
        f"{sizes[-1]:g}: measured dots and the line sigma^2 / B with sigma^2 = {sigma2:.3g}.",
    )
    return ax


def loss_curves(
    runs: Mapping,
    *,
    reference: float = 0.0,
    x: str = "epoch",
    ylabel: str = r"$f - f^*$",
    ax: Axes | None = None,
) -> Axes:
    """Plot ``values - reference`` of optimisation runs on a log scale, one line per run.

    Parameters
    ----------
    runs : dict
        ``{label: OptimizeResult}``, e.g. from :func:`calcml.sgd` with ``record="epoch"``.
    reference : float, default: 0.0
        Subtracted from the values (the minimum, when known). Values at or below it are left
        out, as a log axis cannot show them.
    x : {"epoch", "update"}, default: "epoch"
        ``"epoch"``: the index of the recorded point (an epoch for ``record="epoch"``).
        ``"update"``: the number of parameter updates so far, ``index * nit / (records - 1)``,
        on a log axis (the start, after 0 updates, is left out).
    ylabel : str, default: ``"$f - f^*$"``
        The label of the vertical axis.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes
        One line with markers per run, and a legend.

    Examples
    --------
    >>> import numpy as np
    >>> import calcml
    >>> from calcml import plot
    >>> a = np.arange(10.0)
    >>> f = lambda w: float(np.mean((w[0] - a) ** 2) / 2)
    >>> g = lambda w, i: w - a[i].mean(keepdims=True)
    >>> runs = {B: calcml.sgd(f, [0.0], grad=g, n_samples=10, batch_size=B, epochs=5,
    ...                       learning_rate=0.1) for B in (1, 10)}
    >>> ax = plot.loss_curves(runs, reference=f([4.5]), x="update")
    >>> [len(line.get_xdata()) for line in ax.lines], ax.get_xscale()
    ([5, 5], 'log')
    >>> plot.plt.close(ax.figure)
    """
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError("`runs` must be a non-empty dict {label: OptimizeResult}.")
    if x not in ("epoch", "update"):
        raise ValueError(f"`x` must be 'epoch' or 'update', got {x!r}.")
    ax = _new_axes(ax)
    for (label, run), color in zip(runs.items(), _cycle(len(runs)), strict=True):
        values = np.asarray(getattr(run, "values", None), dtype=float)
        if values.ndim != 1 or values.size < 2:
            raise TypeError(f"`runs[{label!r}]` must be an OptimizeResult with recorded values.")
        index = np.arange(values.size, dtype=float)
        position = index if x == "epoch" else index * run.nit / (values.size - 1)
        keep = (values - reference > 0) & (position > 0 if x == "update" else True)
        ax.plot(position[keep], values[keep] - reference, ".-", color=color, label=str(label))
    ax.set_yscale("log")
    if x == "update":
        ax.set_xscale("log")
    _label(ax, "epoch" if x == "epoch" else "parameter updates", ylabel)
    ax.legend(loc="best", fontsize="small")
    names = ", ".join(map(str, runs))
    _describe(ax, f"Log-scale plot of the objective above its minimum against {x}s for {names}.")
    return ax
