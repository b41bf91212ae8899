"""Judging: every kind of bad input gives a specific message, never an exception."""

import math

import numpy as np
import pytest

from calcml.grading import (
    EXERCISES,
    decode_answer,
    encode_answer,
    evaluate_at_probes,
    judge,
    judge_choice,
    judge_function,
    judge_matrix,
    judge_number,
    judge_vector,
    parse_text,
)
from calcml.grading.answers import Opaque, ProbeValues


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        (4.0, "correct", "Correct"),
        (np.float32(4.0), "correct", "Correct"),
        ([4.0], "correct", "Correct"),
        ("4", "correct", "Correct"),
        ("sqrt(16)", "correct", "Correct"),
        (-4.0, "wrong", "sign is wrong"),
        (4.001, "wrong", "Close, but not within the tolerance"),
        (7.0, "wrong", "value is wrong"),
        (None, "unanswered", "Not answered yet"),
        ("four", "invalid", "text that is not a number"),
        ("", "invalid", "empty"),
        (float("nan"), "invalid", "NaN"),
        (math.inf, "invalid", "infinite"),
        ([4.0, 5.0], "invalid", "Expected one number, got 2 values"),
        ([], "invalid", "empty"),
        (True, "invalid", "truth value"),
        (1 + 2j, "invalid", "Complex"),
        ({"a": 1}, "invalid", "Could not read"),
        (print, "invalid", "function"),
        ("__import__('os').system('true')", "invalid", "text that is not a number"),
    ],
)
def test_judge_number_messages(answer, status, message):
    v = judge_number(answer, 4.0)
    assert v.status == status
    assert message in v.message


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ([6, 3, 2], "correct", "Correct"),
        (np.array([[6], [3], [2]]), "correct", "Correct"),
        ("6, 3, 2", "correct", "Correct"),
        ([6, 3, 5], "wrong", "the 3rd component is wrong; the rest are right"),
        ([6, -3, 2], "wrong", "2nd component is wrong: the sign is wrong"),
        ([-6, -3, -2], "wrong", "every entry of the vector has the wrong sign"),
        ([2, 3, 6], "wrong", "right numbers, but in the wrong order"),
        ([1, 1, 1], "wrong", "every entry"),
        ([6, 0, 0], "wrong", "2nd and 3rd components are wrong"),
        ([6, 3], "invalid", "Expected a vector of 3 numbers, got 2 numbers"),
        (6, "invalid", "got one number"),
        ([[6, 3], [2]], "invalid", "Could not read"),
        ([6, float("nan"), 2], "invalid", "NaN"),
        (["6", "3", "x"], "invalid", "Could not read"),
    ],
)
def test_judge_vector_messages(answer, status, message):
    v = judge_vector(answer, [6.0, 3.0, 2.0])
    assert v.status == status, v.message
    assert message in v.message


def test_judge_vector_unordered_and_mistake():
    assert judge_vector([2, -2], [-2, 2], unordered=True).correct
    v = judge_vector([2, 4], [1, 2], mistakes=[([2, 4], "Divide by its length.")])
    assert v.message == "Divide by its length."


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ([[2, 1], [2, 1]], "correct", "Correct"),
        ([[2, 2], [1, 1]], "wrong", "this is the transpose"),
        ([[2, 1], [2, 7]], "wrong", "entry (row 2, column 2) is wrong"),
        ([2, 1, 2, 1], "invalid", "as a list of rows"),
        ([[2, 1, 0], [2, 1, 0]], "invalid", "Expected a 2 x 2 matrix, got shape (2, 3)"),
        ("[[2, 1], [2]]", "invalid", "Could not read"),
    ],
)
def test_judge_matrix_messages(answer, status, message):
    v = judge_matrix(answer, [[2.0, 1.0], [2.0, 1.0]])
    assert v.status == status, v.message
    assert message in v.message


def test_judge_matrix_transposed_shape():
    v = judge_matrix([[1, 4], [2, 5], [3, 6]], [[1, 2, 3], [4, 5, 6]])
    assert "transpose" in v.message


OPTIONS = ("minimum", "maximum", "saddle", "inconclusive")


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ("saddle", "correct", "Correct"),
        ("  A Saddle Point. ", "correct", "Correct"),
        ("sad", "correct", "Correct"),
        ("minimum", "wrong", "Not yet: not minimum"),
        ("local minimum", "wrong", "not minimum"),
        ("flat", "invalid", "is not one of the options"),
        ("", "invalid", "empty"),
        (3, "invalid", "Expected one of the options as text"),
        (None, "unanswered", "Not answered"),
    ],
)
def test_judge_choice_messages(answer, status, message):
    v = judge_choice(answer, OPTIONS, "saddle")
    assert v.status == status, v.message
    assert message in v.message


def _twice(x):
    return 2 * x


PROBES = ((1.0,), (2.0,))


@pytest.mark.parametrize(
    ("func", "status", "message"),
    [
        (lambda x: 2 * x, "correct", "Correct"),
        (lambda x: 3 * x, "wrong", "at (1) your function returns 3"),
        (lambda x: None, "invalid", "did you forget `return`"),
        (lambda x: 1 / 0, "invalid", "raised ZeroDivisionError"),
        (lambda x: [x, x], "invalid", "returns shape (2,), expected shape ()"),
        (lambda x: "two", "invalid", "text that is not a number"),
        (lambda x: math.nan, "invalid", "NaN"),
    ],
)
def test_judge_function_messages(func, status, message):
    v = judge_function(evaluate_at_probes(func, PROBES), PROBES, [2.0, 4.0])
    assert v.status == status, v.message
    assert message in v.message


def test_judge_function_not_implemented_is_unanswered():
    def stub(x):
        raise NotImplementedError

    assert judge_function(evaluate_at_probes(stub, PROBES), PROBES, [2.0, 4.0]).status == (
        "unanswered"
    )
    assert judge_function(3.0, PROBES, [2.0, 4.0]).status == "invalid"


def test_forward_difference_gets_targeted_feedback():
    def forward(f, x, y, h):
        return (f(x + h, y) - f(x, y)) / h

    v = judge("01.5", forward)
    assert v.points == 0 and "forward difference" in v.message


def test_code_exercises_want_the_formula_not_the_exact_derivative():
    import calcml

    def central(f, x, y, h):
        return (f(x + h, y) - f(x - h, y)) / (2 * h)

    def exact(f, x, y, h):
        return calcml.partial(f, 0)(x, y)

    def fourth_order(f, x, y, h):
        return (-f(x + 2 * h, y) + 8 * f(x + h, y) - 8 * f(x - h, y) + f(x - 2 * h, y)) / (12 * h)

    def five_point(f, x, y, h):
        return (f(x + h, y) + f(x - h, y) + f(x, y + h) + f(x, y - h) - 4 * f(x, y)) / h**2

    assert judge("01.5", central).status == "correct"
    assert judge("01.5", exact).points == 0 and "exact derivatives" in judge("01.5", exact).message
    assert judge("01.5", fourth_order).points == 0
    assert judge("05.5", five_point).status == "correct"
    assert judge("05.5", lambda f, x, y, h: calcml.laplacian(f)(x, y)).points == 0


@pytest.mark.parametrize(
    "answer, status",
    [
        ("x^2 - y^2", "correct"),
        ("x**2 - y**2", "correct"),
        ("X^2-Y^2", "correct"),
        ("x^2 y^2", "invalid"),  # not an option: the minus sign matters
        ("x^2 - y", "invalid"),  # no prefix matching for formulas
        ("x^2 + y^2", "wrong"),
    ],
)
def test_formula_choices_are_matched_whole(answer, status):
    options = ["x^2 + y^2", "x^2 - y^2", "xy"]
    assert judge_choice(answer, options, "x^2 - y^2").status == status


@pytest.mark.parametrize(
    "answer, status, message",
    [
        (0.33, "correct", "Correct"),
        (0.3333, "correct", "Correct"),
        (1 / 3, "wrong", "boundary"),
        (0.34, "wrong", "diverges"),
    ],
)
def test_largest_stable_rate_is_below_one_third(answer, status, message):
    verdict = judge("09.2", answer)
    assert verdict.status == status and message in verdict.message


@pytest.mark.parametrize(
    "answer",
    [None, 3, 2.5, [1, 2], [[1, 2], [3, 4]], "saddle", float("nan"), [math.inf], True, {"x": 1}],
)
def test_encode_decode_roundtrip(answer):
    decoded = decode_answer({"answer": encode_answer(answer)})
    if isinstance(answer, (int, float, list)) and not isinstance(answer, bool):
        np.testing.assert_array_equal(decoded, np.asarray(answer, dtype=float))
    elif isinstance(answer, dict):
        assert isinstance(decoded, Opaque)
    else:
        assert decoded == answer


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        {"answer": None},
        {"answer": {"type": "array", "shape": [2], "data": [1]}},
        {"answer": {"type": "array", "shape": [10**9], "data": []}},
        {"answer": {"type": "array", "shape": [1], "data": [{"x": 1}]}},
        {"answer": {"type": "array", "shape": "2", "data": [1, 2]}},
        {"answer": {"type": "function", "results": "no"}},
        {"answer": {"type": "function", "results": [{"value": 3}, 7]}},
        {"answer": {"type": "eval", "code": "import os"}},
    ],
)
def test_decode_never_raises(payload):
    decoded = decode_answer(payload)
    assert decoded is None or isinstance(decoded, (Opaque, ProbeValues, np.ndarray))
    for ex in EXERCISES.values():  # and judging it never raises either
        assert judge(ex, decoded).points == 0


@pytest.mark.parametrize("text", ["", "1 +", "import os", "[1, 2] * 3", "2 ** 1000", "x"])
def test_parse_text_rejects(text):
    with pytest.raises(ValueError):
        parse_text(text)


def test_feedback_label_is_not_doubled():
    from calcml.widgets._feedback import feedback_html

    right = feedback_html(judge("02.1", [6, 3, 2]), "Exercise 02.1")
    assert "<strong>Correct</strong>." in right and "Correct: Correct" not in right
    wrong = feedback_html(judge("02.1", [6, 3, -2]), "Exercise 02.1")
    assert "<strong>Not yet</strong>: the 3rd component" in wrong
    assert "Not yet: Not yet" not in wrong.replace("</strong>", "")


def test_feedback_shows_the_answer_as_typed():
    msg = judge_choice(decode_answer({"answer": encode_answer(1)}), OPTIONS, "saddle").message
    assert msg.endswith("got 1.") and "array" not in msg
    msg = judge_choice(np.array([1.0, 2.5]), OPTIONS, "saddle").message
    assert msg.endswith("got [1, 2.5].")


def test_nan_message_reads_well():
    assert judge("02.1", [math.nan, 3, 2]).message == (
        "The answer contains NaN: it is not a number you can check."
    )


def test_the_worker_uses_the_same_answer_mime_types():
    from calcml.grading import MIME_TYPE, _worker
    from calcml.widgets import _submit

    assert _worker.MIME_TYPE == MIME_TYPE
    assert _worker.PROBE_MIME == _submit.PROBE_MIME
