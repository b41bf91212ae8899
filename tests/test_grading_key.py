"""The answer key: complete, consistent, and each entry's expected answer earns full marks."""

import numpy as np
import pytest

from calcml.grading import EXERCISES, exercises_for_chapter, judge
from calcml.grading.answers import ProbeValues

KINDS = {"number", "vector", "matrix", "choice", "function"}


def test_every_chapter_has_at_least_six_exercises_with_a_derivation_and_code():
    for chapter in range(1, 13):
        exercises = exercises_for_chapter(chapter)
        assert len(exercises) >= 6, chapter
        assert any(ex.style == "code" for ex in exercises), chapter
        # a derivation or proof: its prompt asks to derive/prove/show
        assert any(
            word in ex.prompt.lower() for ex in exercises for word in ("derive", "prove", "show")
        ), chapter


def test_course_source_exercises_are_in_the_key():
    np.testing.assert_array_equal(EXERCISES["02.1"].expected_value(), [6, 3, 2])
    assert EXERCISES["08.3"].expected_value() == "inconclusive"
    np.testing.assert_allclose(EXERCISES["09.4"].expected_value(), [-np.pi / 2, 0])
    np.testing.assert_allclose(EXERCISES["09.5"].expected_value(), [-np.pi / 2, np.pi])
    np.testing.assert_array_equal(np.sort(EXERCISES["08.1"].expected_value()), [-2, 2])


@pytest.mark.parametrize("ex", EXERCISES.values(), ids=list(EXERCISES))
def test_entry_is_consistent(ex):
    assert ex.kind in KINDS and ex.style in {"by hand", "code", "explore"}
    assert ex.prompt and ex.points > 0 and ex.answer_text
    if ex.kind == "choice":
        assert ex.expected_value() in ex.choices
    if ex.kind == "function":
        assert ex.probes
    expected = ex.expected_value()
    if ex.kind == "function":
        answer = ProbeValues(tuple(expected), (None,) * len(expected))
    else:
        answer = expected.tolist() if isinstance(expected, np.ndarray) else expected
    v = judge(ex, answer)
    assert v.correct and v.points == ex.points
    for value, message in ex.mistake_values():
        if ex.kind == "function":
            value = ProbeValues(tuple(value), (None,) * len(value))
        wrong = judge(ex, value)
        assert wrong.points == 0 and message in wrong.message


def test_function_references_are_the_formulas_asked_for():
    # 01.5 probes e^x sin(y) + x^3 y with d/dx = e^x sin(y) + 3 x^2 y: the reference is the
    # central difference itself, so it matches the derivative at the small step only
    ex = EXERCISES["01.5"]
    exact = np.array([np.exp(x) * np.sin(y) + 3 * x**2 * y for _, x, y, _ in ex.probes])
    steps = np.array([h for *_, h in ex.probes])
    error = np.abs(ex.expected_value() - exact) / np.abs(exact)
    assert error[steps < 1e-3].max() < 1e-7
    assert error[steps > 0.05].min() > 10 * ex.rtol  # large steps tell the formula from the truth
    # 05.5 probes sin(x) cos(2y) + x^2 y^3 with Laplacian -5 sin(x) cos(2y) + 2 y^3 + 6 x^2 y
    ex = EXERCISES["05.5"]
    exact = np.array(
        [-5 * np.sin(x) * np.cos(2 * y) + 2 * y**3 + 6 * x**2 * y for _, x, y, _ in ex.probes]
    )
    steps = np.array([h for *_, h in ex.probes])
    error = np.abs(ex.expected_value() - exact) / np.abs(exact)
    assert error[steps < 1e-2].max() < 1e-5
    assert error[steps > 0.05].min() > 10 * ex.rtol
    ex = EXERCISES["03.3"]
    exact = [[[np.cos(t), -r * np.sin(t)], [np.sin(t), r * np.cos(t)]] for r, t in ex.probes]
    np.testing.assert_allclose(ex.expected_value(), exact, atol=1e-7)


def test_classroom_config_is_generated_from_the_key(tmp_path):
    from pathlib import Path

    from calcml.grading.classroom import write

    write(tmp_path)
    committed = Path(__file__).resolve().parents[1] / ".github" / "classroom"
    for name in ("autograding.json", "classroom.yml"):
        assert (tmp_path / name).read_text() == (committed / name).read_text(), name
