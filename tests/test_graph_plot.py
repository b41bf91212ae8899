"""calcml.graph_plot: the chapter 10 figures draw what they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from calcml import graph_plot, plot  # noqa: E402

NODES = {"x": (0, 1, "x"), "y": (0, 0, "y"), "f": (1, 0.5, "×")}
EDGES = [("x", "f"), ("y", "f")]


def test_graph_writes_values_gradients_and_edge_gradients():
    ax = graph_plot.computational_graph(
        NODES,
        EDGES,
        values={"x": 3.0, "y": -2.0, "f": -6.0},
        grads={"x": -2.0, "y": 3.0, "f": 1.0},
        edge_grads={("y", "f"): 3.0},
    )
    texts = [t.get_text() for t in ax.texts]
    assert {"x", "y", "×", "3", "-2", "-6", "1"} <= set(texts)
    assert texts.count("3") == 3  # x's value, y's gradient, the edge label
    assert len(ax.texts) == 2 + 3 + 3 + 3 + 1  # arrows are annotations
    assert "3 nodes and 2 edges" in plot.alt_text(ax)
    assert "orange boxes" in plot.alt_text(ax)
    plt.close(ax.figure)


def test_graph_rejects_edges_to_unknown_nodes():
    with pytest.raises(ValueError, match=r"\['z'\]"):
        graph_plot.computational_graph(NODES, [("z", "f")])


def test_matrix_colours_are_symmetric_about_zero():
    ax = graph_plot.matrix(np.array([1.0, -3.0]), decimals=1)
    image = ax.images[0]
    assert image.get_array().shape == (1, 2)
    assert image.get_clim() == (-3.0, 3.0)
    assert [t.get_text() for t in ax.texts] == ["1.0", "-3.0"]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="finite"):
        graph_plot.matrix([[np.nan]])
    with pytest.raises(ValueError, match="matrix"):
        graph_plot.matrix(np.zeros((2, 2, 2)))
