import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.patches import Arc, FancyArrowPatch  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402
from mpl_toolkits.mplot3d.art3d import Poly3DCollection  # noqa: E402

import calcml  # noqa: E402
from calcml import plot  # noqa: E402


@pytest.fixture(autouse=True)
def _no_show_and_close(monkeypatch):
    def refuse():
        raise AssertionError("plot functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


def bowl(p):
    return p[0] ** 2 + 2 * p[1] ** 2


def bowl_grad(p):
    return np.array([2 * p[0], 4 * p[1]])


def of_type(ax, kind):
    return [a for a in [*ax.collections, *ax.patches] if isinstance(a, kind)]


def test_contour_gradient_draws_one_arrow_per_grid_point_with_the_gradient():
    ax = plot.contour_gradient(bowl, (-2, 2), (-1, 1), arrows=6)
    (quiver,) = of_type(ax, Quiver)
    assert quiver.N == 36
    offsets = quiver.get_offsets()
    np.testing.assert_allclose(
        np.column_stack([quiver.U, quiver.V]), [bowl_grad(p) for p in offsets], atol=1e-6
    )
    (contours,) = of_type(ax, ContourSet)
    assert contours.get_cmap().name == plot.CMAP
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x$", "$y$")
    assert "36 gradient arrows" in plot.alt_text(ax)


def test_contour_gradient_accepts_a_fitted_model_gradient():
    x, y = np.meshgrid(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20))
    X = np.column_stack([x.ravel(), y.ravel()])
    model = calcml.MultivariateDerivatives().fit(X, X[:, 0] ** 2 + 2 * X[:, 1] ** 2)
    ax = plot.contour_gradient(model.predict, (-2, 2), (-2, 2), grad=model.gradient(), arrows=5)
    (quiver,) = of_type(ax, Quiver)
    np.testing.assert_allclose(quiver.U, 2 * quiver.get_offsets()[:, 0], atol=1e-6)


def test_surface_is_3d_and_labelled():
    ax = plot.surface(bowl, (-1, 1), (-1, 1), resolution=12, zlabel="$L(w_1, w_2)$")
    assert ax.name == "3d"
    assert len(of_type(ax, Poly3DCollection)) == 1
    assert ax.get_zlabel() == "$L(w_1, w_2)$"


def test_surface_rejects_a_2d_axes():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="3-D Axes"):
        plot.surface(bowl, (-1, 1), (-1, 1), ax=ax)


def test_descent_path_draws_every_iterate():
    res = calcml.gradient_descent(bowl, [2, 1], max_steps=12, grad=bowl_grad)
    newton = calcml.newton(bowl, [2, 1], grad=bowl_grad, hess=lambda p: np.diag([2.0, 4.0]))
    ax = plot.descent_path(bowl, {"gradient descent": res, "Newton": newton})
    paths = [line for line in ax.lines if line.get_label() in ("gradient descent", "Newton")]
    assert [len(line.get_xdata()) for line in paths] == [13, 2]
    np.testing.assert_allclose(paths[0].get_xydata(), res.path)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["gradient descent", "Newton"]
    assert len(of_type(ax, ContourSet)) == 1


def test_descent_path_accepts_an_array_and_limits():
    path = np.array([[1.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
    ax = plot.descent_path(bowl, path, (-3, 3), (-2, 2))
    assert len(ax.lines[0].get_xdata()) == 3
    assert ax.get_xlim() == (-3, 3) and ax.get_ylim() == (-2, 2)
    assert ax.get_legend() is None
    with pytest.raises(ValueError, match=r"shape \(k, 2\)"):
        plot.descent_path(bowl, np.ones(3))


def test_learning_rates_one_panel_per_rate_with_status_in_title():
    runs = {
        r: calcml.gradient_descent(bowl, [2, 1], learning_rate=r, max_steps=100, grad=bowl_grad)
        for r in (0.1, 0.52, 0.6)
    }
    runs["Adam"] = calcml.adam(bowl, [2, 1], grad=bowl_grad, max_steps=60)
    axes = plot.learning_rates(bowl, runs, (-3, 3), (-2, 2), ncols=3)
    assert len(axes) == 4 and len(axes[0].figure.axes) == 4  # 2 empty grid cells removed
    assert [ax.get_title() for ax in axes] == [
        r"$\eta = 0.1$",
        r"$\eta = 0.52$ (100 steps, not converged, f increased)",
        r"$\eta = 0.6$ (diverged)",
        "Adam (60 steps, not converged)",
    ]
    assert all(ax.get_xlim() == (-3, 3) for ax in axes)


def test_directional_derivative_draws_gradient_direction_angle_and_value():
    ax = plot.directional_derivative([1, 0], [3, 4], [0, 2], f=bowl)
    arrows = of_type(ax, FancyArrowPatch)
    assert [a.get_label() for a in arrows] == [r"$\nabla f$", r"$\hat v$"]
    (arc,) = of_type(ax, Arc)
    np.testing.assert_allclose(arc.theta2 - arc.theta1, np.degrees(np.arccos(0.8)), atol=1e-9)
    texts = [t.get_text() for t in ax.texts]
    assert r"$\theta$" in texts
    assert texts[-1].endswith("= 5.00 \\times 0.80 = 4.00$")
    projection = ax.lines[0].get_xydata()
    np.testing.assert_allclose(projection, [[1, 0], [1, 4]])
    assert "directional derivative is 4.00" in plot.alt_text(ax)


def test_directional_derivative_rejects_zero_direction():
    with pytest.raises(ValueError, match="`direction` must be a nonzero vector"):
        plot.directional_derivative([0, 0], [1, 1], [0, 0])
    with pytest.raises(ValueError, match=r"`gradient` must be a finite vector of shape \(2,\)"):
        plot.directional_derivative([0, 0], [1, 1, 1], [1, 0])


def test_hessian_eigen_draws_the_eigenvectors():
    h = np.array([[3.0, 1.0], [1.0, 3.0]])
    ax = plot.hessian_eigen(h, center=(1, 1))
    arrows = of_type(ax, FancyArrowPatch)
    assert len(arrows) == 2
    values, vectors = np.linalg.eigh(h)
    for arrow, e in zip(arrows, vectors.T, strict=True):
        (tail, tip) = arrow._posA_posB
        direction = np.subtract(tip, tail)
        assert abs(abs(direction @ e) - np.linalg.norm(direction)) < 1e-9  # parallel to e
    assert sorted(t.get_text() for t in ax.texts) == [r"$\lambda_1 = 2$", r"$\lambda_2 = 4$"]
    with pytest.raises(ValueError, match="2 x 2"):
        plot.hessian_eigen(np.eye(3))


def test_hessian_eigen_labels_sit_past_the_arrow_tips():
    # a label centred on the tip would cover the arrowhead: it starts past the tip, away
    # from the centre (left-aligned to the right of the centre, right-aligned to its left)
    ax = plot.hessian_eigen(np.diag([2.0, 3.0]), center=(0, 0), radius=2.0)
    by_text = {t.get_text(): t for t in ax.texts}
    right, up = by_text[r"$\lambda_1 = 2$"], by_text[r"$\lambda_2 = 3$"]
    assert right.get_position()[0] > 0.6 * 2.0 and right.get_ha() == "left"
    assert up.get_position()[1] > 0.6 * 2.0 and up.get_va() == "bottom"


def test_vector_field_arrows_and_colorbar():
    ax = plot.vector_field(lambda p: np.array([-p[1], p[0]]), (-1, 1), (-1, 1), arrows=7)
    (quiver,) = of_type(ax, Quiver)
    assert quiver.N == 49
    assert len(ax.figure.axes) == 2  # the colour bar
    with pytest.raises(ValueError, match="2 components"):
        plot.vector_field(bowl, (-1, 1), (-1, 1))


def test_heatmap_orientation_and_extent():
    Z = np.arange(12.0).reshape(3, 4)
    ax = plot.heatmap(Z, (0, 4, -1, 2), colorbar_label=r"$\nabla^2 f$")
    (image,) = ax.images
    np.testing.assert_array_equal(image.get_array(), Z)
    assert image.origin == "lower" and image.get_extent() == [0, 4, -1, 2]
    assert ax.figure.axes[1].get_ylabel() == r"$\nabla^2 f$"
    with pytest.raises(ValueError, match="2-D grid"):
        plot.heatmap(np.ones(3), (0, 1, 0, 1))


def test_error_vs_step_is_log_log_and_drops_zeros():
    h = np.logspace(-8, -1, 8)
    ax = plot.error_vs_step(h, {"forward": h, "central": np.r_[0.0, h[1:] ** 2]})
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert [len(line.get_xdata()) for line in ax.lines] == [8, 7]
    assert ax.get_xlabel() == "step size $h$"
    with pytest.raises(ValueError, match="positive step sizes"):
        plot.error_vs_step([0, 1], {"a": [1, 1]})
    with pytest.raises(ValueError, match="has shape"):
        plot.error_vs_step([1, 2], {"a": [1, 1, 1]})


def test_definite_fraction_marks_unseen_fractions_as_bounds():
    dims = np.arange(1, 6)
    fraction = np.array([0.5, 0.15, 0.02, 0.0, 0.0])
    ax = plot.definite_fraction(dims, fraction, high=np.full(5, 3e-4))
    simulated, heuristic, bounds = ax.lines
    assert len(simulated.get_xdata()) == 3 and len(bounds.get_xdata()) == 2
    np.testing.assert_allclose(heuristic.get_ydata(), 0.5**dims)
    assert ax.get_yscale() == "log"


def test_given_axes_are_used_and_figures_render_to_png():
    fig, ax = plt.subplots()
    assert plot.contour_gradient(bowl, (-1, 1), (-1, 1), grad=bowl_grad, arrows=3, ax=ax) is ax
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue()[:4] == b"\x89PNG"
    with pytest.raises(TypeError, match="`ax` must be a matplotlib Axes"):
        plot.heatmap(np.ones((2, 2)), (0, 1, 0, 1), ax="axes")
    with pytest.raises(ValueError, match="`xlim` must be finite with low < high"):
        plot.contour_gradient(bowl, (1, -1), (-1, 1), grad=bowl_grad)


def test_single_point_and_batch_only_callables_are_both_evaluated():
    def single_only(p):
        if np.ndim(p) != 1:
            raise ValueError("one point only")
        return p[0] + 10 * p[1]

    def batch_only(points):
        if np.ndim(points) != 2:
            raise ValueError("points as rows only")
        return points[:, 0] + 10 * points[:, 1]

    X, Y = np.meshgrid([0.0, 1.0], [0.0, 2.0])
    for f in (single_only, batch_only):
        np.testing.assert_allclose(plot._on_grid(f, X, Y), X + 10 * Y)


def test_contour_gradient_fixed_scale_sets_arrow_length():
    f = lambda p: p[0] ** 2 + p[1] ** 2  # noqa: E731
    ax = plot.contour_gradient(f, (-2, 2), (-2, 2), grad=lambda p: 2 * p, arrows=3, scale=4.0)
    quiver = ax.collections[-1]
    assert quiver.scale == 4.0
    assert quiver.scale_units == "xy"
    plt.close(ax.figure)


def test_hessian_eigen_surface_draws_the_two_eigen_parabolas():
    ax = plot.hessian_eigen([[2, 0], [0, -2]], view="surface")
    assert ax.name == "3d"
    assert len(ax.lines) == 2
    # the parabola along the eigenvalue -2 bends down, the one along 2 bends up
    heights = sorted(line.get_data_3d()[2].max() for line in ax.lines)
    lows = sorted(line.get_data_3d()[2].min() for line in ax.lines)
    assert heights[0] == pytest.approx(0.0, abs=1e-2) and lows[0] == pytest.approx(-4.0)
    assert heights[1] == pytest.approx(4.0)
    assert sorted(t.get_text().strip() for t in ax.texts) == [
        r"$\lambda_1 = -2$",
        r"$\lambda_2 = 2$",
    ]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="view"):
        plot.hessian_eigen(np.eye(2), view="3d")


# chapter 12: convexity and constrained optimisation


def test_chord_tangent_draws_the_chord_through_the_end_points_and_the_tangent_slope():
    ax = plot.chord_tangent(np.cosh, -1.0, 2.0, 0.5)
    curve, chord, tangent = ax.lines
    np.testing.assert_allclose(chord.get_xdata(), [-1.0, 2.0])
    np.testing.assert_allclose(chord.get_ydata(), np.cosh([-1.0, 2.0]))
    x, y = tangent.get_xdata(), tangent.get_ydata()
    np.testing.assert_allclose(np.diff(y) / np.diff(x), np.sinh(0.5), rtol=1e-7)
    np.testing.assert_allclose(np.interp(0.5, x, y), np.cosh(0.5), rtol=1e-4)
    # convex: the tangent lies below the curve everywhere
    assert np.all(curve.get_ydata() >= y - 1e-9)
    assert "chord from x = -1 to x = 2" in plot.alt_text(ax)


def test_chord_tangent_validation():
    with pytest.raises(ValueError, match=r"`\(a, b\)` must be finite with low < high"):
        plot.chord_tangent(np.cosh, 2.0, 1.0, 0.0)
    with pytest.raises(TypeError, match="`f` must be a callable"):
        plot.chord_tangent(3.0, 0.0, 1.0, 0.5)


def test_constrained_optimum_arrows_follow_the_gradients():
    def f(p):
        return p[0] + 2 * p[1]

    def g(p):
        return p[0] ** 2 + p[1] ** 2 - 5

    ax = plot.constrained_optimum(f, g, [-1.0, -2.0], (-3, 3), (-3, 3), length=0.5)
    assert [a.get_label() for a in of_type(ax, FancyArrowPatch)] == [
        r"$\nabla f$ (direction)",
        r"$\nabla g$ (direction)",
    ]
    # the constraint curve g = 0 is one black contour at level 0; f has its own contours
    sets = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert any(list(c.levels) == [0] for c in sets) and len(sets) == 2
    assert "which are opposite" in plot.alt_text(ax)  # grad f = (1, 2), grad g = (-2, -4)
    ax = plot.constrained_optimum(f, g, [1.0, 2.0], (-3, 3), (-3, 3), feasible=True)
    assert "which are parallel" in plot.alt_text(ax) and "shaded" in plot.alt_text(ax)
    assert len([c for c in ax.collections if isinstance(c, ContourSet)]) == 3
    ax = plot.constrained_optimum(f, g, [0.0, 2.0], (-3, 3), (-3, 3))
    assert "not parallel" in plot.alt_text(ax)  # not on the circle's optimum


def test_constrained_optimum_refuses_a_zero_gradient():
    with pytest.raises(ValueError, match="grad g is zero"):
        plot.constrained_optimum(
            lambda p: p[0], lambda p: p[1] ** 2 - p[0] ** 3, [0.0, 0.0], (-1, 1), (-1, 1)
        )


def test_batch_variance_draws_measured_points_and_the_one_over_b_line():
    a = np.array([1.0, 2.0, 3.0, 6.0])
    noise = calcml.gradient_noise(
        lambda w, i: w - a[i].mean(keepdims=True), [0.0], 4, [1, 2, 4, 8], trials=50
    )
    ax = plot.batch_variance(noise)
    measured, line = ax.lines
    np.testing.assert_allclose(measured.get_ydata(), noise.variance)
    np.testing.assert_allclose(line.get_ydata(), 3.5 / np.array([1, 2, 4, 8]))
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert "sigma^2 = 3.5" in plot.alt_text(ax)
    with pytest.raises(TypeError, match="result of calcml.gradient_noise"):
        plot.batch_variance(np.ones(3))
    plt.close("all")


def test_loss_curves_place_records_at_epochs_or_updates():
    a = np.arange(12.0)

    def f(w):
        return float(np.mean((w[0] - a) ** 2) / 2)

    def g(w, i):
        return w - a[i].mean(keepdims=True)

    run = calcml.sgd(f, [0.0], grad=g, n_samples=12, batch_size=4, epochs=3, learning_rate=0.2)
    f_star = f([a.mean()])
    by_epoch = plot.loss_curves({"sgd": run}, reference=f_star)
    np.testing.assert_array_equal(by_epoch.lines[0].get_xdata(), [0, 1, 2, 3])
    np.testing.assert_allclose(by_epoch.lines[0].get_ydata(), run.values - f_star)
    by_update = plot.loss_curves({"sgd": run}, reference=f_star, x="update")
    np.testing.assert_array_equal(by_update.lines[0].get_xdata(), [3, 6, 9])  # 3 updates/epoch
    assert by_update.get_xscale() == "log" and by_update.get_xlabel() == "parameter updates"
    with pytest.raises(ValueError, match="`x` must be 'epoch' or 'update'"):
        plot.loss_curves({"sgd": run}, x="step")
    with pytest.raises(TypeError, match="non-empty dict"):
        plot.loss_curves({})
    plt.close("all")
