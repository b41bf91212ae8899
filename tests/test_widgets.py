"""Widget callbacks, tested without a browser: set a value, assert what the widget shows."""

import subprocess
import sys
from unittest.mock import patch

import numpy as np
import pytest

from calcml import widgets as w
from calcml.grading import MIME_TYPE


def f(p):
    return p[0] ** 2 + 3 * p[1] ** 2


@pytest.mark.parametrize(
    ("make", "typed", "shown"),
    [
        (lambda: w.number_checker(4.0), "-4", "the sign is wrong"),
        (lambda: w.number_checker(4.0), "four", "Cannot check"),
        (lambda: w.number_checker(4.0), "nan", "NaN"),
        (lambda: w.number_checker(4.0), "   ", "Type an answer"),
        (lambda: w.vector_checker([6, 3, 2]), "[6, 3]", "got 2 numbers"),
        (lambda: w.vector_checker([6, 3, 2]), "6, 1, 2", "2nd component is wrong"),
        (lambda: w.matrix_checker([[2, 1], [2, 1]]), "[[2, 2], [1, 1]]", "transpose"),
        (lambda: w.matrix_checker([[2, 1], [2, 1]]), "[[2, 1], [2, 1]]", "Correct"),
        (lambda: w.checker("06.1"), "-28", "unit vector"),
        (lambda: w.checker("08.3"), "inconclusive", "Correct"),
        (lambda: w.checker("08.3"), "saddle", "Hessian test"),
    ],
)
def test_checker_feedback(make, typed, shown):
    checker = make()
    checker.value = typed
    assert shown in checker.feedback


def test_checker_button_rechecks():
    checker = w.number_checker(2.0)
    checker._input.value = "2"
    checker.verdict = None
    checker._button.click()
    assert checker.verdict.correct and "Correct" in checker.feedback


def test_choice_checker_options_and_hint():
    checker = w.choice_checker(["minimum", "saddle"], "saddle", hints={"minimum": "Look again."})
    checker.value = "minimum"
    assert "Look again." in checker.feedback
    with pytest.raises(ValueError, match="`expected` must be one of `choices`"):
        w.choice_checker(["a", "b"], "c")
    with pytest.raises(ValueError, match="asks for a function"):
        w.checker("01.5")


def test_submit_displays_feedback_and_answer_bundle():
    shown = []
    with patch("calcml.widgets._submit.display", lambda data, raw: shown.append(data)):
        w.submit("02.1", np.array([6.0, 3.0, 2.0]))
        w.submit("02.1", "six")
    ok, bad = shown
    assert ok["text/plain"] == "Exercise 02.1: Correct. [2/2 points]"
    assert ok[MIME_TYPE] == {
        "exercise": "02.1",
        "answer": {"type": "array", "shape": [3], "data": [6.0, 3.0, 2.0]},
    }
    assert "Cannot check" in bad["text/html"] and bad[MIME_TYPE]["answer"]["type"] == "text"


def test_submit_evaluates_functions_in_the_kernel():
    def partial_x(f, x, y, h):
        return (f(x + h, y) - f(x - h, y)) / (2 * h)

    bundle = w.submission_bundle("01.5", partial_x)
    assert bundle[MIME_TYPE]["answer"]["type"] == "function"
    assert "Correct" in bundle["text/plain"]


def test_submit_survives_hostile_answers():
    class Evil:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("boom")

        def __repr__(self):
            return "Evil()"

    assert "Cannot check" in w.submission_bundle("01.2", Evil())["text/html"]
    with pytest.raises(KeyError, match="no exercise"):
        w.submission_bundle("99.9", 1)


def test_gradient_field_explorer_redraws_on_slider_change():
    ex = w.gradient_field_explorer(f, point=(0.5, 0.5))
    before = ex.image.value
    assert ex.controls["x"].continuous_update is False
    ex.controls["x"].value = 1.0
    ex.controls["y"].value = 1.0
    assert bytes(ex.image.value) != bytes(before)
    assert bytes(ex.image.value).startswith(b"\x89PNG")
    assert "|grad f| = 6.325" in ex.readout.value
    bundle, _ = ex._repr_mimebundle_()
    assert bundle["text/plain"].endswith("|grad f| = 6.325")
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_directional_explorer_zero_across_the_gradient():
    ex = w.directional_derivative_explorer(lambda p: p[0] ** 2 * p[1], (1.0, 2.0))
    ex.controls["angle"].value = 104  # grad = (4, 1); perpendicular at 90 + 14.04 degrees
    assert abs(ex.state.value) < 0.01
    assert "D_v f" in ex.readout.value


@pytest.mark.parametrize(
    ("rate", "behaviour"), [(0.1, "converg"), (0.32, "oscillates"), (0.4, "diverges")]
)
def test_descent_explorer_behaviour(rate, behaviour):
    ex = w.gradient_descent_explorer(f, steps=60)
    ex.controls["learning_rate"].value = rate
    assert behaviour in ex.state.behaviour
    assert behaviour in ex.readout.value


def test_quadratic_form_explorer_classification():
    ex = w.quadratic_form_explorer(1.0, 0.0, 1.0)
    assert ex.state.kind == "minimum"
    ex.controls["b"].value = 3.0
    assert ex.state.kind == "saddle"
    np.testing.assert_allclose(np.sort(ex.state.eigenvalues), [-1.0, 5.0], atol=1e-5)
    ex.controls["b"].value = 2.0
    assert "inconclusive" in ex.readout.value


def test_descent_explorer_says_a_two_cycle_does_not_converge():
    # at exactly 2 / lambda_max = 1/3 the y-coordinate flips between +1 and -1 for ever
    ex = w.gradient_descent_explorer(f, steps=200)
    ex.controls["learning_rate"].value = 0.33
    assert ex.state.behaviour == "oscillates, converging slowly"
    ex = w.gradient_descent_explorer(f, learning_rate=1 / 3, steps=200)
    assert ex.state.behaviour == "oscillates without converging"


def test_descent_explorer_slider_reaches_the_requested_rate():
    ex = w.gradient_descent_explorer(f, learning_rate=2.0)
    assert ex.controls["learning_rate"].value == 2.0
    assert "diverges" in ex.summary()


def test_explorers_take_f_of_x_and_y_as_well_as_f_of_p():
    ex = w.gradient_field_explorer(lambda x, y: x**2 + 3 * y**2, point=(1.0, 1.0))
    assert round(ex.state.norm, 3) == 6.325
    ex = w.directional_derivative_explorer(lambda x, y: x**2 * y, (1.0, 2.0))
    assert ex.state.value == pytest.approx(4.0)


def test_learner_errors_become_messages_not_tracebacks():
    ex = w.gradient_field_explorer(lambda p: np.nan * p[0], point=(-0.5, 0.5))
    assert ex.state is None
    assert "Cannot compute" in ex.readout.value
    assert "cannot compute" in ex._repr_mimebundle_()[0]["text/plain"]
    ex = w.gradient_field_explorer(lambda p: undefined_name * p[0])  # noqa: F821
    assert "NameError" in ex.readout.value


@pytest.mark.parametrize("point", [(1.0,), (1.0, 2.0, 3.0), (np.nan, 0.0)])
def test_explorer_points_are_checked(point):
    with pytest.raises(ValueError, match="point"):
        w.gradient_field_explorer(f, point=point)


# --- explorers on the static website (precomputed positions linked in the browser) -----------


def _static_figure_bytes(ex):
    return [bytes(frame.children[0].value) for frame in ex.stack.children]


@pytest.mark.parametrize(
    ("make", "name", "count"),
    [
        (lambda: w.gradient_field_explorer(f, static=True), "x", 17),
        (
            lambda: w.directional_derivative_explorer(
                lambda p: p[0] ** 2 * p[1], (1.0, 2.0), angle=104, static=True
            ),
            "angle",
            25,  # every 15 degrees, and the starting 104
        ),
        (lambda: w.gradient_descent_explorer(f, learning_rate=0.33, static=True), "rate", 24),
        (lambda: w.quadratic_form_explorer(1, 2, 1, static=True), "b", 25),
    ],
)
def test_static_explorer_links_a_slider_to_precomputed_figures(make, name, count):
    ex = make()
    assert ex.static and len(ex.stack.children) == count == len(ex.slider.options)
    figures = _static_figure_bytes(ex)
    assert all(png.startswith(b"\x89PNG") for png in figures)
    assert len(set(figures)) == count, "two slider positions show the same figure"
    assert sum(map(len, figures)) == ex.static_bytes <= 2_000_000
    # The slider starts where the live explorer would, and the browser-side link is saved.
    assert ex.stack.selected_index == ex.slider.index
    assert bytes(ex.image.value) == figures[ex.slider.index]
    assert ex.link.source == (ex.slider, "index")
    assert ex.link.target == (ex.stack, "selected_index")
    # The page names the precomputed positions.
    note = ex.children[2].value
    assert f"({count} positions)" in note and "Run the notebook" in note


def test_static_explorer_state_follows_the_slider():
    ex = w.quadratic_form_explorer(1.0, 0.0, 1.0, static=True)
    assert ex.state.kind == "minimum"
    ex.slider.value = 3.0
    assert ex.state.kind == "saddle"
    live = w.quadratic_form_explorer(1.0, 3.0, 1.0, static=False)
    assert ex.summary() == live.summary()


def test_static_mode_follows_the_environment(monkeypatch):
    monkeypatch.setenv("CALCML_STATIC_EXPLORERS", "1")
    assert w.gradient_field_explorer(f).static
    monkeypatch.delenv("CALCML_STATIC_EXPLORERS")
    ex = w.gradient_field_explorer(f)
    assert not ex.static and not hasattr(ex, "stack")


def test_graded_explorer_computes_its_state_but_draws_no_figure(monkeypatch):
    # calcml-grade's sandboxes set CALCML_GRADING=1: nobody sees the figures of a graded run
    monkeypatch.setenv("CALCML_GRADING", "1")
    ex = w.gradient_field_explorer(f, point=(0.5, 0.5))
    ex.controls["x"].value = 1.0
    ex.controls["y"].value = 1.0
    assert round(ex.state.norm, 3) == 6.325 and "|grad f| = 6.325" in ex.readout.value
    assert bytes(ex.image.value) == b""
    assert "image/png" not in ex._repr_mimebundle_()[0]


def test_importing_calcml_and_its_widgets_loads_neither_matplotlib_nor_scipy_solvers():
    # every notebook, and every graded kernel, starts with these imports: keep them light
    code = (
        "import sys, calcml, calcml.widgets\n"
        "heavy = [m for m in ('matplotlib', 'scipy.optimize', 'scipy.interpolate') "
        "if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_explorer_figures_are_retina_and_sliders_stacked():
    ex = w.gradient_descent_explorer(f)
    import io

    import ipywidgets
    from PIL import Image

    data, metadata = ex._repr_mimebundle_()
    assert data["image/png"] and "Gradient descent" in data["text/plain"]
    with Image.open(io.BytesIO(bytes(ex.image.value))) as picture:
        assert picture.width == 2 * metadata["image/png"]["width"] == 2 * int(ex.image.width)
    # one slider a row (no HBox squeezing four tracks), each at least 240 px wide
    sliders = [
        c for c in ex.children if isinstance(c, ipywidgets.FloatSlider | ipywidgets.IntSlider)
    ]
    assert len(sliders) == 4
    assert all(s.layout.min_width == "240px" for s in sliders)
