"""Figures of chapter 10: computational graphs and small matrices with their entries written in.

Like :mod:`calcml.plot`, each function only draws, takes ``ax=None`` (a new figure is made),
returns the Axes, and records a one-sentence description for :func:`calcml.plot.alt_text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from .plot import COLORS, _describe, _new_axes

__all__ = ["computational_graph", "matrix"]

_VALUE, _GRAD = COLORS[0], COLORS[1]


def _number(v: float) -> str:
    return f"{v:.4g}"


def computational_graph(
    nodes: Mapping[str, tuple[float, float, str]],
    edges: Sequence[tuple[str, str]],
    *,
    values: Mapping[str, float] | None = None,
    grads: Mapping[str, float] | None = None,
    edge_grads: Mapping[tuple[str, str], float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw a computational graph with its forward values and backward gradients.

    Parameters
    ----------
    nodes : mapping
        ``name -> (x, y, label)``: where each node sits and the text inside it (an input's
        name or an operation such as ``"+"``).
    edges : sequence of (str, str)
        ``(source, target)``: ``target`` takes ``source`` as an input.
    values : mapping, optional
        ``name -> value`` from the forward pass, written above the node (blue).
    grads : mapping, optional
        ``name -> gradient`` of the output with respect to the node, written below it (orange).
    edge_grads : mapping, optional
        ``(source, target) -> gradient`` that flows back along that edge, written on it.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes

    Examples
    --------
    >>> from calcml import graph_plot, plot
    >>> ax = graph_plot.computational_graph(
    ...     {"x": (0, 0, "x"), "f": (1, 0, "exp")}, [("x", "f")], values={"x": 0.0, "f": 1.0}
    ... )
    >>> plot.alt_text(ax)
    'Computational graph with 2 nodes and 1 edges; forward values in blue above each node.'
    >>> plot.plt.close(ax.figure)
    """
    unknown = {n for edge in edges for n in edge} - set(nodes)
    if unknown:
        raise ValueError(f"`edges` name nodes that are not in `nodes`: {sorted(unknown)}")
    ax = _new_axes(ax)
    for source, target in edges:
        (x0, y0, _), (x1, y1, _) = nodes[source], nodes[target]
        ax.annotate(
            "",
            (x1, y1),
            (x0, y0),
            arrowprops={
                "arrowstyle": "-|>",
                "shrinkA": 18,
                "shrinkB": 18,
                "color": "0.35",
                "lw": 1.3,
            },
        )
        if edge_grads and (source, target) in edge_grads:
            ax.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2,
                _number(edge_grads[source, target]),
                color=_GRAD,
                ha="center",
                va="center",
                fontsize=10,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": _GRAD, "lw": 0.8},
            )
    for name, (x, y, label) in nodes.items():
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=13,
            bbox={"boxstyle": "circle,pad=0.35", "fc": "#f2f2f2", "ec": "0.2"},
        )
        if values and name in values:
            ax.text(x, y + 0.28, _number(values[name]), color=_VALUE, ha="center", fontsize=11)
        if grads and name in grads:
            ax.text(
                x,
                y - 0.28,
                _number(grads[name]),
                color=_GRAD,
                ha="center",
                va="top",
                fontsize=11,
                fontweight="bold",
            )
    xs, ys = zip(*[(x, y) for x, y, _ in nodes.values()], strict=True)
    ax.set(xlim=(min(xs) - 0.6, max(xs) + 0.6), ylim=(min(ys) - 0.7, max(ys) + 0.7))
    ax.set_aspect("equal")
    ax.axis("off")
    parts = ["forward values in blue above each node"] if values else []
    parts += ["gradients in orange below"] if grads else []
    parts += ["gradients along edges in orange boxes"] if edge_grads else []
    _describe(
        ax,
        f"Computational graph with {len(nodes)} nodes and {len(edges)} edges"
        + ("; " + ", ".join(parts) if parts else "")
        + ".",
    )
    return ax


def matrix(
    M,
    *,
    title: str | None = None,
    decimals: int = 2,
    vmax: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw a small matrix as coloured cells (diverging colours, zero white) with its entries.

    Parameters
    ----------
    M : array_like, shape (m, n) or (n,)
        The matrix; a 1-D array is drawn as one row.
    title : str, optional
        Written above the matrix (math allowed, e.g. ``"$W^T$"``).
    decimals : int, default: 2
        Decimals of the entries written in the cells.
    vmax : float, optional
        Colour scale ``[-vmax, vmax]``; default the largest absolute entry.
    ax : Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import numpy as np
    >>> from calcml import graph_plot, plot
    >>> ax = graph_plot.matrix(np.array([[1.0, -2.0], [0.5, 0.0]]), title="A")
    >>> [t.get_text() for t in ax.texts]
    ['1.00', '-2.00', '0.50', '0.00']
    >>> plot.alt_text(ax)
    'A 2 x 2 matrix A drawn as coloured cells with its entries written in them.'
    >>> plot.plt.close(ax.figure)
    """
    data = np.atleast_2d(np.asarray(M, dtype=float))
    if data.ndim != 2:
        raise ValueError(f"`M` must be a matrix (2-D) or a vector, got shape {data.shape}.")
    if not np.isfinite(data).all():
        raise ValueError("`M` must be finite.")
    ax = _new_axes(ax)
    scale = vmax if vmax is not None else max(float(np.abs(data).max()), 1e-12)
    ax.imshow(data, cmap="PuOr", vmin=-scale, vmax=scale)
    for (i, j), v in np.ndenumerate(data):
        ax.text(
            j,
            i,
            f"{v:.{decimals}f}",
            ha="center",
            va="center",
            fontsize=10,
            color="white" if abs(v) > 0.7 * scale else "black",
        )
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    m, n = data.shape
    _describe(
        ax,
        f"A {m} x {n} matrix{' ' + title if title else ''} drawn as coloured cells with its "
        "entries written in them.",
    )
    return ax
