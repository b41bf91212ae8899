"""Explorers: sliders that recompute with calcml and redraw with :mod:`calcml.plot`.

Each explorer is three layers: a pure ``*_state`` function (numbers only, testable alone), a
drawing step (a :mod:`calcml.plot` function on a fresh matplotlib ``Figure``, rendered to PNG
bytes) and an :class:`Explorer` widget that glues sliders to both. The figure lives in an
``ipywidgets.Image`` (saved with the widget state), and displaying an explorer also emits a
PNG and a text summary of its current state, so a page without a kernel still shows them.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np

from .._objective import as_point, point_function

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn, not with calcml.widgets
    from matplotlib.figure import Figure

__all__ = [
    "DescentState",
    "DirectionalState",
    "Explorer",
    "GradientState",
    "QuadraticState",
    "descent_state",
    "directional_state",
    "directional_derivative_explorer",
    "gradient_descent_explorer",
    "gradient_field_explorer",
    "gradient_state",
    "quadratic_form_explorer",
    "quadratic_state",
]

Objective = Callable[[np.ndarray], float]


def _point2(point: Sequence[float], name: str) -> np.ndarray:
    """Return `point` as a finite point of the plane, or raise a ValueError naming it."""
    p = as_point(point, name)
    if p.shape != (2,):
        raise ValueError(f"`{name}` must be a point of the plane (x, y); got {p.size} coordinates.")
    return p


def _vec(v: np.ndarray) -> str:
    values = np.round(np.asarray(v, dtype=float).ravel(), 3) + 0.0  # + 0.0: no "-0.000"
    return "[" + ", ".join(f"{x:.3f}" for x in values) + "]"


# --- pure computations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GradientState:
    """The gradient of ``f`` at one point."""

    point: np.ndarray
    gradient: np.ndarray
    norm: float

    def summary(self) -> str:
        """Describe the state in one line."""
        return (
            f"grad f{_vec(self.point).replace('[', '(').replace(']', ')')} = "
            f"{_vec(self.gradient)}, |grad f| = {self.norm:.3f}"
        )


def gradient_state(f: Objective, point: Sequence[float]) -> GradientState:
    """Return the gradient of `f` at `point` and its length (with :func:`calcml.grad`).

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``p`` of shape ``(2,)``.
    point : (float, float)

    Returns
    -------
    GradientState

    Examples
    --------
    >>> s = gradient_state(lambda p: p[0] ** 2 + 3 * p[1] ** 2, (1.0, 1.0))
    >>> s.summary()
    'grad f(1.000, 1.000) = [2.000, 6.000], |grad f| = 6.325'
    """
    from .. import grad

    p = _point2(point, "point")
    g = np.asarray(grad(point_function(f))(p), dtype=float)
    return GradientState(p, g, float(np.linalg.norm(g)))


@dataclass(frozen=True)
class DirectionalState:
    """A direction at angle ``angle`` (degrees from the x-axis) and ``D_v f`` along it."""

    point: np.ndarray
    gradient: np.ndarray
    angle: float
    direction: np.ndarray
    value: float
    between: float

    def summary(self) -> str:
        """Describe the state in one line."""
        norm = float(np.linalg.norm(self.gradient))
        return (
            f"theta = {self.angle:.0f} deg, v = {_vec(self.direction)}: "
            f"D_v f = grad f . v = |grad f| cos(phi) = {norm:.3f} x "
            f"cos({self.between:.1f} deg) = {self.value:.3f}"
        )


def directional_state(f: Objective, point: Sequence[float], angle: float) -> DirectionalState:
    """Return the directional derivative of `f` at `point` along the unit vector at `angle`.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``p`` of shape ``(2,)``.
    point : (float, float)
    angle : float
        Direction in degrees, counter-clockwise from the x-axis.

    Returns
    -------
    DirectionalState
        ``value`` from :func:`calcml.directional`; ``between`` is the angle between the
        gradient and the direction, in degrees.

    Examples
    --------
    >>> s = directional_state(lambda p: p[0] ** 2 * p[1], (1.0, 2.0), 0.0)
    >>> round(s.value, 6), round(s.between, 2)
    (4.0, 14.04)
    """
    from .. import directional, grad

    f = point_function(f)
    p = _point2(point, "point")
    rad = np.deg2rad(angle)
    v = np.array([np.cos(rad), np.sin(rad)])
    g = np.asarray(grad(f)(p), dtype=float)
    value = float(directional(f, v)(p))
    norm = float(np.linalg.norm(g))
    between = float(np.degrees(np.arccos(np.clip(g @ v / norm, -1, 1)))) if norm else 90.0
    return DirectionalState(p, g, float(angle), v, value, between)


@dataclass(frozen=True)
class DescentState:
    """A gradient-descent run and what it did."""

    result: Any
    behaviour: str

    def summary(self) -> str:
        """Describe the state in one line."""
        r = self.result
        return (
            f"{self.behaviour}: after {r.nit} steps x = {_vec(r.x)}, f(x) = {r.fun:.4g}, "
            f"|grad f| = {r.grad_norms[-1]:.3g}"
        )


def _behaviour(result: Any) -> str:
    from ..optimize import CONVERGED, DIVERGED

    norms = np.asarray(result.grad_norms)
    if result.status == DIVERGED or not np.all(np.isfinite(norms)) or norms[-1] > norms[0]:
        return "diverges"
    steps = np.diff(result.path, axis=0)
    late = steps[len(steps) // 2 :]
    flips = np.sum(late[1:] * late[:-1], axis=1) < 0 if len(late) > 1 else np.array([])
    oscillating = flips.size > 0 and flips.mean() > 0.5
    if result.status == CONVERGED:
        return "converges (oscillating)" if oscillating else "converges"
    half = norms[len(norms) // 2 :]
    if half.size > 1 and half[-1] >= half[0]:  # e.g. a 2-cycle at exactly 2 / lambda_max
        return "oscillates without converging" if oscillating else "does not converge"
    return "oscillates, converging slowly" if oscillating else "converging, not there yet"


def descent_state(
    f: Objective, start: Sequence[float], learning_rate: float, steps: int
) -> DescentState:
    """Run :func:`calcml.gradient_descent` and say whether it converges, oscillates or diverges.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``p`` of shape ``(2,)``.
    start : (float, float)
    learning_rate : float
    steps : int
        The most updates to take.

    Returns
    -------
    DescentState

    Examples
    --------
    >>> f = lambda p: p[0] ** 2 + 3 * p[1] ** 2
    >>> descent_state(f, (1.5, 1.0), 0.1, 100).behaviour
    'converges'
    >>> descent_state(f, (1.5, 1.0), 0.4, 30).behaviour
    'diverges'
    """
    from ..optimize import gradient_descent

    result = gradient_descent(
        f, _point2(start, "start"), learning_rate=learning_rate, max_steps=int(steps)
    )
    return DescentState(result, _behaviour(result))


@dataclass(frozen=True)
class QuadraticState:
    """The quadratic form ``a x^2 + b xy + c y^2``, its Hessian and the test's verdict."""

    coefficients: tuple[float, float, float]
    hessian: np.ndarray
    eigenvalues: np.ndarray
    kind: str

    def summary(self) -> str:
        """Describe the state in one line."""
        a, b, c = self.coefficients
        return (
            f"{a:g} x^2 + {b:g} xy + {c:g} y^2: Hessian {_vec(self.hessian[0])}, "
            f"{_vec(self.hessian[1])}; eigenvalues {_vec(self.eigenvalues)}; "
            f"the origin is: {self.kind}"
        )


def quadratic_state(a: float, b: float, c: float) -> QuadraticState:
    """Classify the origin of ``a x^2 + b xy + c y^2`` with :func:`calcml.classify_critical_point`.

    Parameters
    ----------
    a, b, c : float
        The coefficients.

    Returns
    -------
    QuadraticState

    Examples
    --------
    >>> quadratic_state(1, 3, 1).kind
    'saddle'
    >>> quadratic_state(1, 2, 1).kind
    'inconclusive'
    """
    from ..critical import classify_critical_point

    def f(p: np.ndarray) -> float:
        return a * p[0] ** 2 + b * p[0] * p[1] + c * p[1] ** 2

    cp = classify_critical_point(f, np.zeros(2))
    ev = np.where(np.abs(cp.eigenvalues) < 1e-6, 0.0, cp.eigenvalues)  # no "-0.000"
    return QuadraticState((float(a), float(b), float(c)), cp.hessian, ev + 0.0, cp.kind)


# --- the widget glue ------------------------------------------------------------------------------


STATIC_ENV = "CALCML_STATIC_EXPLORERS"
"""Set to ``1`` (``tools/run_notebooks.py`` does) to build explorers in static mode by default."""

GRADING_ENV = "CALCML_GRADING"
"""Set to ``1`` (calcml-grade's sandboxes do) to compute explorers without drawing figures."""

# Figures: 4.48 x 2.88 in at 100 dpi on the page (448 x 288 CSS px), saved at twice that
# (retina). At 100 dpi, as the chapters' figures, the smallest text (matplotlib's "small") is
# 11.6 px, so it stays above 9 px when a phone's column shrinks the figure to 80 %.
_FIGSIZE = (4.48, 2.88)
_PAGE_DPI = 100
_MAX_STATIC_BYTES = 2_000_000


def _png(fig: Figure) -> bytes:
    """Render `fig` as a PNG at twice its page size, in 256 colours (a third of the bytes)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=2 * _PAGE_DPI)
    buf.seek(0)
    picture = Image.open(buf).convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    picture.save(out, format="png", optimize=True)
    return out.getvalue()


def _slider_layout() -> widgets.Layout:
    # One slider a row, its track never squeezed: the row takes the column up to 480 px.
    return widgets.Layout(width="100%", max_width="480px", min_width="240px")


def _image() -> widgets.Image:
    width = int(_FIGSIZE[0] * _PAGE_DPI)
    return widgets.Image(
        format="png", width=str(width), layout=widgets.Layout(max_width="100%", height="auto")
    )


def _shown(slider: widgets.ValueWidget, value: float | None = None) -> str:
    """`value` (default: the slider's) as the slider's readout shows it."""
    value = slider.value if value is None else value
    if isinstance(slider, widgets.FloatSlider):
        return format(value, slider.readout_format)
    return str(int(value))


class Explorer(widgets.VBox):
    """Sliders, a figure and a readout; redrawn when a slider is released.

    In a live kernel every slider recomputes the figure with Python. In static mode (for the
    website, which has no kernel) the explorer precomputes the figure at each of ``positions``
    of one slider, the others held at their starting values, and shows them in a ``Stack``
    whose shown child is linked to that slider in the browser (``jslink``): the saved widget
    state carries every figure, so the slider works on a static page.

    Parameters
    ----------
    controls : dict of str to ipywidgets.ValueWidget
        The sliders, by the keyword their value is passed as.
    compute : callable
        ``compute(**values) -> state`` with a ``summary()`` method.
    draw : callable
        ``draw(state, fig)`` draws the state on a matplotlib ``Figure``.
    title : str
        Shown above the readout and in the text summary.
    positions : (str, sequence of float), optional
        The slider precomputed in static mode and its values (the starting value is added).
        Default: the first control at 9 evenly spaced values.
    static : bool, optional
        Precompute (True) or recompute live (False). Default: static if the environment
        variable ``CALCML_STATIC_EXPLORERS`` is ``1`` (set when the book's notebooks are
        executed), live otherwise.

    Attributes
    ----------
    state : object
        The state shown (updated by every slider change; in static mode the precomputed one).
    static : bool
        Whether the explorer was built in static mode.
    slider, stack, link : ipywidgets widgets
        Static mode only: the ``SelectionSlider`` of the precomputed positions, the ``Stack``
        of their figures and readouts, and the ``jslink`` between them.
    static_bytes : int
        Static mode only: the bytes of all precomputed PNGs (at most 2 MB).
    """

    def __init__(
        self,
        controls: dict[str, widgets.ValueWidget],
        compute: Callable[..., Any],
        draw: Callable[[Any, Figure], None],
        title: str,
        *,
        positions: tuple[str, Sequence[float]] | None = None,
        static: bool | None = None,
    ) -> None:
        self.controls = controls
        self._compute, self._draw, self.title = compute, draw, title
        self.image = _image()
        self.readout = widgets.HTML()
        self.state: Any = None
        self._problem = ""
        self.static = os.environ.get(STATIC_ENV) == "1" if static is None else bool(static)
        for control in controls.values():
            control.style.description_width = "initial"
            control.layout = _slider_layout()
        if self.static:
            super().__init__(self._static_children(positions))
            return
        for control in controls.values():
            control.observe(self._on_change, names="value")
        super().__init__([*controls.values(), self.image, self.readout])
        self.update()

    def _on_change(self, change: dict[str, Any]) -> None:
        self.update()

    def _render(self, values: dict[str, Any]) -> tuple[Any, str, bytes, str]:
        """Compute and draw at `values`: (state, problem, png, readout html)."""
        # The learner's own function runs here: whatever it raises becomes a message in the
        # readout, never a traceback under a slider.
        try:
            state = self._compute(**values)
        except Exception as exc:  # noqa: BLE001
            problem = f"{type(exc).__name__}: {exc}"
            text = f"<p><strong>Cannot compute:</strong> {html.escape(problem)}</p>"
            return None, problem, b"", text
        summary = (
            f"<p><strong>{html.escape(self.title)}</strong>: {html.escape(state.summary())}</p>"
        )
        if os.environ.get(GRADING_ENV) == "1":  # nobody sees the figure of a graded run
            return state, "", b"", summary
        from matplotlib.figure import Figure

        fig = Figure(figsize=_FIGSIZE, layout="constrained")
        try:
            self._draw(state, fig)
            png = _png(fig)
        except Exception as exc:  # noqa: BLE001 - as above: the figure calls the learner's f
            return state, "", b"", f"<p>Cannot draw: {html.escape(str(exc))}</p>"
        return state, "", png, summary

    def update(self) -> None:
        """Recompute the state from the sliders and redraw."""
        values = {name: control.value for name, control in self.controls.items()}
        self.state, self._problem, png, self.readout.value = self._render(values)
        self.image.value = png

    def _static_children(self, positions: tuple[str, Sequence[float]] | None) -> list:
        name, values = positions or (next(iter(self.controls)), None)
        main = self.controls[name]
        if values is None:
            values = np.linspace(main.min, main.max, 9)
        start = main.value
        values = sorted({round(float(v), 6) for v in values} | {round(float(start), 6)})
        fixed = {n: c.value for n, c in self.controls.items()}
        frames, self._states, total = [], [], 0
        for value in values:
            state, problem, png, text = self._render({**fixed, name: value})
            self._states.append((state, problem))
            total += len(png)
            image = _image()
            image.value = png
            frames.append(widgets.VBox([image, widgets.HTML(text)]))
        if total > _MAX_STATIC_BYTES:
            raise ValueError(
                f"{len(values)} precomputed figures take {total / 1e6:.1f} MB (at most "
                f"{_MAX_STATIC_BYTES / 1e6:.0f} MB): pass fewer positions."
            )
        self.static_bytes = total
        index = values.index(round(float(start), 6))
        self.state, self._problem = self._states[index]
        self.image.value = frames[index].children[0].value
        self.readout.value = frames[index].children[1].value
        labels = [_shown(main, v) for v in values]
        slider = widgets.SelectionSlider(
            options=list(zip(labels, values, strict=True)),
            index=index,
            description=main.description,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=_slider_layout(),
        )
        stack = widgets.Stack(frames, selected_index=index)
        self.link = widgets.jslink((slider, "index"), (stack, "selected_index"))

        def on_index(change: dict[str, Any]) -> None:
            self.state, self._problem = self._states[change["new"]]

        slider.observe(on_index, names="index")
        self.slider, self.stack = slider, stack
        others = ", ".join(
            f"{c.description} = {_shown(c)}" for n, c in self.controls.items() if n != name
        )
        held = f", with {others}" if others else ""
        note = widgets.HTML(
            f"<p><em>Precomputed for this page: {html.escape(main.description)} = "
            f"{html.escape(', '.join(labels))} ({len(values)} positions){html.escape(held)}. "
            "Run the notebook to move every slider freely.</em></p>"
        )
        return [slider, stack, note]

    def summary(self) -> str:
        """Describe the current state in one line of text."""
        if self.state is None:
            return f"{self.title}: cannot compute ({self._problem})"
        return f"{self.title}: {self.state.summary()}"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        # Where widgets cannot be drawn (a PDF, nbviewer), the summary and the figure remain;
        # the PNG has twice the pixels of its page size, given in the metadata (retina).
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = self.summary()
        metadata = {}
        if self.image.value:
            data["image/png"] = base64.b64encode(self.image.value).decode("ascii")
            width, height = (int(v * _PAGE_DPI) for v in _FIGSIZE)
            metadata["image/png"] = {"width": width, "height": height}
        return data, metadata


def _slider(value: float, lo: float, hi: float, step: float, label: str) -> widgets.FloatSlider:
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=label,
        continuous_update=False,
        readout_format=".2f",
    )


def gradient_field_explorer(
    f: Objective,
    *,
    point: Sequence[float] = (0.5, 0.5),
    xlim: tuple[float, float] = (-2.0, 2.0),
    ylim: tuple[float, float] = (-2.0, 2.0),
    static: bool | None = None,
) -> Explorer:
    """Move a point over the gradient field of `f`; see its gradient arrow and length.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``p`` of shape ``(2,)``.
    point : (float, float), default: (0.5, 0.5)
        The starting position of the point.
    xlim, ylim : (float, float)
        The plotted ranges (and the sliders' ranges).
    static : bool, optional
        See :class:`Explorer`; static mode precomputes ``x`` at 17 positions across `xlim`.

    Returns
    -------
    Explorer
        Sliders ``x`` and ``y``; the figure is :func:`calcml.plot.contour_gradient` with the
        gradient at the point drawn on top.

    Examples
    --------
    >>> w = gradient_field_explorer(lambda p: p[0] ** 2 + 3 * p[1] ** 2)
    >>> w.controls["x"].value = 1.0
    >>> w.controls["y"].value = 1.0
    >>> round(w.state.norm, 3)
    6.325
    """
    point = _point2(point, "point")

    def compute(x: float, y: float) -> GradientState:
        return gradient_state(f, (x, y))

    def draw(state: GradientState, fig: Figure) -> None:
        from .. import plot  # matplotlib loads when a figure is drawn

        ax = fig.add_subplot()
        plot.contour_gradient(f, xlim, ylim, arrows=7, ax=ax)
        p, g = state.point, state.gradient
        scale = 0.25 * (xlim[1] - xlim[0]) / max(state.norm, 1e-12)
        ax.annotate(
            "",
            xy=tuple(p + scale * g),
            xytext=tuple(p),
            arrowprops={"arrowstyle": "-|>", "color": "#D55E00", "linewidth": 2.5},
        )
        ax.plot(*p, "o", color="#D55E00")
        ax.set_title(rf"$|\nabla f| = {state.norm:.3f}$ at $({p[0]:.2f}, {p[1]:.2f})$")

    controls = {
        "x": _slider(point[0], *xlim, 0.05, "x"),
        "y": _slider(point[1], *ylim, 0.05, "y"),
    }
    positions = ("x", np.linspace(*xlim, 17))
    return Explorer(controls, compute, draw, "Gradient field", positions=positions, static=static)


def directional_derivative_explorer(
    f: Objective,
    point: Sequence[float] = (1.0, 2.0),
    *,
    angle: float = 0.0,
    static: bool | None = None,
) -> Explorer:
    """Turn a unit direction at `point`; see ``D_v f = grad f . v = |grad f| cos(phi)`` change.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``p`` of shape ``(2,)``.
    point : (float, float), default: (1, 2)
        Where the derivative is taken.
    angle : float, default: 0
        The starting direction, in degrees from the x-axis.
    static : bool, optional
        See :class:`Explorer`; static mode precomputes every 15 degrees.

    Returns
    -------
    Explorer
        Slider ``theta`` (degrees, step 1); the figure is
        :func:`calcml.plot.directional_derivative`.

    Examples
    --------
    >>> w = directional_derivative_explorer(lambda p: p[0] ** 2 * p[1], (1.0, 2.0))
    >>> w.controls["angle"].value = 90
    >>> round(w.state.value, 6)
    1.0
    """
    point = _point2(point, "point")

    def compute(angle: float) -> DirectionalState:
        return directional_state(f, point, angle)

    def draw(state: DirectionalState, fig: Figure) -> None:
        from .. import plot  # matplotlib loads when a figure is drawn

        plot.directional_derivative(
            state.point, state.gradient, state.direction, f=f, ax=fig.add_subplot()
        )

    controls = {
        "angle": widgets.IntSlider(
            value=int(angle),
            min=0,
            max=359,
            step=1,
            description="theta (deg)",
            continuous_update=False,
        )
    }
    positions = ("angle", range(0, 360, 15))
    return Explorer(
        controls, compute, draw, "Directional derivative", positions=positions, static=static
    )


def gradient_descent_explorer(
    f: Objective,
    *,
    start: Sequence[float] = (1.5, 1.0),
    learning_rate: float = 0.1,
    steps: int = 20,
    xlim: tuple[float, float] = (-2.0, 2.0),
    ylim: tuple[float, float] = (-2.0, 2.0),
    max_learning_rate: float = 1.0,
    static: bool | None = None,
) -> Explorer:
    """Choose learning rate, start and steps; see descent converge, oscillate or diverge.

    Parameters
    ----------
    f : callable
        ``f(p)`` of a point ``p`` of shape ``(2,)``.
    start : (float, float), default: (1.5, 1.0)
    learning_rate : float, default: 0.1
    steps : int, default: 20
    xlim, ylim : (float, float)
        The plotted ranges (and the start sliders' ranges).
    max_learning_rate : float, default: 1.0
        The learning-rate slider's maximum (step 0.01); raised to `learning_rate` if smaller.
    static : bool, optional
        See :class:`Explorer`; static mode precomputes 24 learning rates up to the maximum.

    Returns
    -------
    Explorer
        Sliders ``learning_rate``, ``steps``, ``x0``, ``y0``; the figure is
        :func:`calcml.plot.descent_path` of a :func:`calcml.gradient_descent` run.

    Examples
    --------
    >>> w = gradient_descent_explorer(lambda p: p[0] ** 2 + 3 * p[1] ** 2)
    >>> w.controls["learning_rate"].value = 0.35
    >>> w.state.behaviour
    'diverges'
    """
    start = _point2(start, "start")
    if not learning_rate > 0:
        raise ValueError(f"`learning_rate` must be positive, got {learning_rate}.")
    max_learning_rate = max(max_learning_rate, learning_rate)  # the slider must reach it

    def compute(learning_rate: float, steps: int, x0: float, y0: float) -> DescentState:
        return descent_state(f, (x0, y0), learning_rate, steps)

    def draw(state: DescentState, fig: Figure) -> None:
        from .. import plot  # matplotlib loads when a figure is drawn

        ax = fig.add_subplot()
        path = state.result.path
        finite = path[np.all(np.isfinite(path), axis=1)]  # a diverged run may end in inf
        plot.descent_path(f, finite, xlim, ylim, ax=ax)
        ax.set_title(state.behaviour)

    controls = {
        "learning_rate": widgets.FloatSlider(
            value=learning_rate,
            min=0.01,
            max=max_learning_rate,
            step=0.01,
            description="rate",
            continuous_update=False,
        ),
        "steps": widgets.IntSlider(
            value=steps, min=1, max=200, description="steps", continuous_update=False
        ),
        "x0": _slider(start[0], *xlim, 0.05, "x0"),
        "y0": _slider(start[1], *ylim, 0.05, "y0"),
    }
    rates = np.round(np.linspace(0.0, max_learning_rate, 25)[1:], 2)
    return Explorer(
        controls,
        compute,
        draw,
        "Gradient descent",
        positions=("learning_rate", rates),
        static=static,
    )


def quadratic_form_explorer(
    a: float = 1.0, b: float = 0.0, c: float = 1.0, *, static: bool | None = None
) -> Explorer:
    """Set the coefficients of ``a x^2 + b xy + c y^2``; see its surface, Hessian and verdict.

    Parameters
    ----------
    a, b, c : float, default: 1, 0, 1
        Starting coefficients (sliders from -3 to 3, step 0.1).
    static : bool, optional
        See :class:`Explorer`; static mode precomputes ``b`` from -3 to 3 in steps of 0.25.

    Returns
    -------
    Explorer
        The figure shows :func:`calcml.plot.surface` and :func:`calcml.plot.hessian_eigen`;
        the readout the Hessian, its eigenvalues and :func:`calcml.classify_critical_point`'s
        verdict at the origin.

    Examples
    --------
    >>> w = quadratic_form_explorer()
    >>> w.controls["b"].value = 3.0
    >>> w.state.kind
    'saddle'
    """

    def compute(a: float, b: float, c: float) -> QuadraticState:
        return quadratic_state(a, b, c)

    def draw(state: QuadraticState, fig: Figure) -> None:
        from .. import plot  # matplotlib loads when a figure is drawn

        qa, qb, qc = state.coefficients

        def q(p: np.ndarray) -> np.ndarray:
            p = np.asarray(p, dtype=float)
            return qa * p[..., 0] ** 2 + qb * p[..., 0] * p[..., 1] + qc * p[..., 1] ** 2

        surface = fig.add_subplot(1, 2, 1, projection="3d")
        plot.surface(q, (-2, 2), (-2, 2), resolution=30, zlabel="", ax=surface)
        surface.set_title("$q(x, y)$")  # a z label would run into the right panel's y label
        ax = fig.add_subplot(1, 2, 2)
        plot.hessian_eigen(state.hessian, ax=ax)
        ax.set_title(state.kind)

    controls = {
        name: _slider(v, -3.0, 3.0, 0.1, name) for name, v in zip("abc", (a, b, c), strict=True)
    }
    positions = ("b", np.arange(-3.0, 3.01, 0.25))
    return Explorer(controls, compute, draw, "Quadratic form", positions=positions, static=static)
