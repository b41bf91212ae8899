"""Judging answers: pure functions that say what is right or wrong, and why.

The same code runs in the learner's kernel (instant feedback from ``submit`` and the checker
widgets) and in the grader's own process (``calcml-grade``), which never trusts the kernel.
Every function here takes any object as the answer and returns a :class:`Verdict`; none
raises on a bad answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..exercise_bank import Exercise, exercise
from .answers import Opaque, ProbeValues, parse_text

__all__ = [
    "Verdict",
    "judge",
    "judge_number",
    "judge_vector",
    "judge_matrix",
    "judge_choice",
    "judge_function",
    "judge_form",
    "shown",
]

Status = Literal["correct", "wrong", "invalid", "unanswered", "recorded"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of judging one answer.

    Attributes
    ----------
    status : {"correct", "wrong", "invalid", "unanswered"}
        ``invalid``: the answer could not be read as the kind asked for (text, NaN, wrong
        shape...); ``unanswered``: ``None`` or a function that raises ``NotImplementedError``.
    message : str
        What to tell the learner (plain text).
    points : float
        Points earned.
    max_points : float
        Points possible.
    """

    status: Status
    message: str
    points: float = 0.0
    max_points: float = 1.0

    @property
    def correct(self) -> bool:
        """Whether the answer is right."""
        return self.status == "correct"


def _wrong(msg: str) -> Verdict:
    return Verdict("wrong", msg)


def _invalid(msg: str) -> Verdict:
    return Verdict("invalid", msg)


_UNANSWERED = Verdict("unanswered", "Not answered yet: replace None with your answer.")
_CORRECT = Verdict("correct", "Correct.")


def _ordinal(i: int) -> str:
    return f"{i + 1}{'st' if i == 0 else 'nd' if i == 1 else 'rd' if i == 2 else 'th'}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _to_array(answer: Any) -> tuple[np.ndarray | None, Verdict | None]:
    """Read an answer as a float array, or say why it cannot be read."""
    if answer is None:
        return None, _UNANSWERED
    if isinstance(answer, Opaque):
        if answer.typename == "function":
            return None, _invalid(f"Expected numbers, got a {answer.text}: call it.")
        return None, _invalid(
            f"Could not read this {answer.typename} as numbers: {answer.text}. "
            "Give a number, or a list of numbers (a list of rows for a matrix)."
        )
    if isinstance(answer, ProbeValues):
        return None, _invalid("Expected numbers, got a function.")
    if isinstance(answer, (bool, np.bool_)):
        return None, _invalid(f"{answer} is a truth value, not a number.")
    if isinstance(answer, str):
        if not answer.strip():
            return None, _invalid("The answer is empty text: give numbers.")
        try:
            answer = parse_text(answer)
        except ValueError as exc:
            return None, _invalid(f"The answer is text that is not a number ({exc}).")
    if callable(answer):
        return None, _invalid("Expected numbers, got a function: call it.")
    try:
        arr = np.asarray(answer)
        if arr.dtype.kind == "c":
            return None, _invalid("Complex numbers are not expected here: give real numbers.")
        arr = arr.astype(float)
    except (TypeError, ValueError, OverflowError):
        return None, _invalid(
            f"Could not read {str(answer)[:80]!s} as numbers: rows of different lengths, "
            "or something that is not a number?"
        )
    if arr.size == 0:
        return None, _invalid("The answer is empty: give numbers.")
    return arr, None


def shown(answer: Any, limit: int = 60) -> str:
    """Return an answer the way the learner wrote it, for messages (no ``array(...)``).

    Examples
    --------
    >>> shown(np.array(1.0)), shown(np.array([1.0, 2.5])), shown("saddle")
    ('1', '[1, 2.5]', "'saddle'")
    """
    if isinstance(answer, Opaque):
        text = answer.text
    elif isinstance(answer, np.ndarray) and answer.dtype.kind in "biuf":
        if answer.size == 1:
            text = f"{float(answer.ravel()[0]):g}"
        else:
            text = np.array2string(
                answer, separator=", ", formatter={"float_kind": lambda v: f"{v:g}"}
            )
    else:
        text = repr(answer)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _nonfinite(arr: np.ndarray, where: str) -> Verdict | None:
    bad = ~np.isfinite(arr)
    if not bad.any():
        return None
    what = "NaN" if np.isnan(arr[bad]).any() else "an infinite value"
    return _invalid(f"The answer contains {what}{where}: it is not a number you can check.")


def _close(a: np.ndarray, e: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    return np.abs(a - e) <= atol + rtol * np.abs(e)


def _mistake(
    arr: Any, mistakes: Sequence[tuple[Any, str]], rtol: float, atol: float
) -> Verdict | None:
    for value, message in mistakes:
        m = np.asarray(value, dtype=float)
        if (
            isinstance(arr, np.ndarray)
            and m.shape == arr.shape
            and _close(arr, m, rtol, atol).all()
        ):
            return _wrong(message)
    return None


def _near_miss(a: np.ndarray, e: np.ndarray) -> bool:
    return bool(np.all(np.abs(a - e) <= 0.02 * np.abs(e) + 1e-3))


def judge_number(
    answer: Any,
    expected: float,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Sequence[tuple[Any, str]] = (),
) -> Verdict:
    """Judge a number.

    Parameters
    ----------
    answer : object
        Anything: a number, a 1-element array, text such as ``"sqrt(2)"``, ``None``...
    expected : float
        The right value.
    rtol, atol : float
        Accept ``|answer - expected| <= atol + rtol * |expected|``.
    mistakes : sequence of (value, message)
        Known wrong answers and what to say about them.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> judge_number(-4.0, 4.0).message
    'Not yet: the sign is wrong.'
    >>> judge_number("four", 4.0).status
    'invalid'
    """
    arr, problem = _to_array(answer)
    if problem:
        return problem
    assert arr is not None
    if arr.size != 1:
        return _invalid(f"Expected one number, got {arr.size} values (shape {arr.shape}).")
    arr = arr.reshape(())
    e = np.asarray(expected, dtype=float).reshape(())
    if bad := _nonfinite(arr, ""):
        return bad
    if _close(arr, e, rtol, atol):
        return _CORRECT
    if m := _mistake(arr, mistakes, rtol, atol):
        return m
    if e != 0 and _close(-arr, e, rtol, atol):
        return _wrong("Not yet: the sign is wrong.")
    if _near_miss(arr, e):
        return _wrong("Close, but not within the tolerance: keep more digits, don't round early.")
    return _wrong("Not yet: the value is wrong.")


def _judge_array(
    answer: Any,
    expected: Any,
    *,
    rtol: float,
    atol: float,
    mistakes: Sequence[tuple[Any, str]],
    unordered: bool,
    matrix: bool,
) -> Verdict:
    e = np.asarray(expected, dtype=float)
    arr, problem = _to_array(answer)
    if problem:
        return problem
    assert arr is not None
    noun = "matrix" if matrix else "vector"
    if matrix:
        if arr.shape != e.shape:
            if arr.size == e.size and arr.ndim == 1:
                return _invalid(
                    f"Expected a {e.shape[0]} x {e.shape[1]} matrix as a list of rows, "
                    f"e.g. [[a, b], [c, d]]; got a flat list of {arr.size} numbers."
                )
            if arr.shape == e.shape[::-1] and _close(arr.T, e, rtol, atol).all():
                return _wrong(
                    "Not yet: this is the transpose. Row i holds the derivatives of output i, "
                    "column j the derivatives with respect to input j."
                )
            return _invalid(
                f"Expected a {e.shape[0]} x {e.shape[1]} matrix, got shape {arr.shape}."
            )
    else:
        if arr.size == e.size and arr.ndim > 1 and max(arr.shape) == arr.size:
            arr = arr.reshape(e.shape)  # a row or column vector is fine
        if arr.shape != e.shape:
            got = "one number" if arr.ndim == 0 else f"shape {arr.shape}"
            if arr.ndim == 1:
                got = f"{arr.size} number{'s' if arr.size > 1 else ''}"
            return _invalid(f"Expected a vector of {e.size} numbers, got {got}.")
    if bad := _nonfinite(arr, ""):
        return bad
    if unordered:
        arr, e = np.sort(arr), np.sort(e)
    ok = _close(arr, e, rtol, atol)
    if ok.all():
        return _CORRECT
    if m := _mistake(arr, mistakes, rtol, atol):
        return m
    if matrix and _close(arr.T, e, rtol, atol).all():
        return _wrong(
            "Not yet: this is the transpose. Row i holds the derivatives of output i, "
            "column j the derivatives with respect to input j."
        )
    if np.any(e != 0) and _close(-arr, e, rtol, atol).all():
        return _wrong(f"Not yet: every entry of the {noun} has the wrong sign.")
    if not unordered and _close(np.sort(arr, axis=None), np.sort(e, axis=None), rtol, atol).all():
        return _wrong("Not yet: the right numbers, but in the wrong order.")
    wrong_idx = list(zip(*np.nonzero(~ok), strict=True))
    if matrix:
        names = [f"row {i + 1}, column {j + 1}" for i, j in wrong_idx]
        place = f"entr{'y' if len(names) == 1 else 'ies'} ({'; '.join(names)})"
    else:
        names = [_ordinal(int(i[0])) for i in wrong_idx]
        place = f"the {_and(names)} component{'s' if len(names) > 1 else ''}"
    detail = ""
    if len(wrong_idx) == 1:
        idx = wrong_idx[0]
        if e[idx] != 0 and _close(-arr[idx], e[idx], rtol, atol):
            detail = ": the sign is wrong"
        elif _near_miss(arr[idx], e[idx]):
            detail = ": close, but not within the tolerance (keep more digits)"
    if len(wrong_idx) < ok.size:
        return _wrong(
            f"Not yet: {place} {'is' if len(wrong_idx) == 1 else 'are'} wrong{detail}; "
            "the rest are right."
        )
    if _near_miss(arr, e):
        return _wrong("Close, but not within the tolerance: keep more digits, don't round early.")
    return _wrong(f"Not yet: every entry of the {noun} is wrong.")


def judge_vector(
    answer: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    unordered: bool = False,
    mistakes: Sequence[tuple[Any, str]] = (),
) -> Verdict:
    """Judge a vector (1-D array) component by component.

    Parameters
    ----------
    answer : object
        Anything; a list, tuple, array, or text like ``"[6, 3, 2]"``.
    expected : array_like, shape (n,)
        The right vector.
    rtol, atol : float
        Tolerances per component.
    unordered : bool, default: False
        Compare sorted components (e.g. a set of eigenvalues).
    mistakes : sequence of (value, message)
        Known wrong answers and what to say about them.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> judge_vector([6, 3, -2], [6, 3, 2]).message
    'Not yet: the 3rd component is wrong: the sign is wrong; the rest are right.'
    >>> judge_vector([6, 3], [6, 3, 2]).message
    'Expected a vector of 3 numbers, got 2 numbers.'
    """
    return _judge_array(
        answer, expected, rtol=rtol, atol=atol, mistakes=mistakes, unordered=unordered, matrix=False
    )


def judge_matrix(
    answer: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Sequence[tuple[Any, str]] = (),
) -> Verdict:
    """Judge a matrix (2-D array) entry by entry.

    Parameters
    ----------
    answer : object
        Anything; a list of rows, an array, or text like ``"[[2, 1], [2, 1]]"``.
    expected : array_like, shape (m, n)
        The right matrix.
    rtol, atol : float
        Tolerances per entry.
    mistakes : sequence of (value, message)
        Known wrong answers and what to say about them.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> judge_matrix([[2, 2], [1, 1]], [[2, 1], [2, 1]]).message[:30]
    'Not yet: this is the transpose'
    >>> judge_matrix([[2, 1], [2, 7]], [[2, 1], [2, 1]]).message
    'Not yet: entry (row 2, column 2) is wrong; the rest are right.'
    """
    return _judge_array(
        answer, expected, rtol=rtol, atol=atol, mistakes=mistakes, unordered=False, matrix=True
    )


def _normalize(text: str) -> str:
    t = re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip(" .!\"'")
    t = re.sub(r"^(a|an|the|local|it is|its|it's) ", "", t)
    t = re.sub(r" point$", "", t)
    return t.replace(" ", "")


def _is_formula(option: str) -> bool:
    return bool(re.search(r"[\^*+/()=]", option))


def _normalize_formula(text: str) -> str:
    """Case and spaces don't matter, ``**`` means ``^``; every operator does matter."""
    return re.sub(r"\s+", "", text.lower()).replace("**", "^").strip(".\"'`")


def judge_choice(
    answer: Any,
    choices: Sequence[str],
    expected: str,
    *,
    mistakes: Sequence[tuple[Any, str]] = (),
) -> Verdict:
    """Judge a choice among a few options (case, spaces, "a"/"local"/"point" don't matter).

    Parameters
    ----------
    answer : object
        Anything; normally a string such as ``"saddle"``.
    choices : sequence of str
        The options.
    expected : str
        The right option.
    mistakes : sequence of (option, message)
        What to say about particular wrong options.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> opts = ["minimum", "maximum", "saddle", "inconclusive"]
    >>> judge_choice("A saddle point", opts, "saddle").status
    'correct'
    >>> judge_choice("flat", opts, "saddle").message
    "'flat' is not one of the options: minimum, maximum, saddle, inconclusive."
    """
    if answer is None:
        return _UNANSWERED
    listed = ", ".join(choices)
    if not isinstance(answer, str):
        return _invalid(f"Expected one of the options as text ({listed}); got {shown(answer)}.")
    # Options that are formulas are matched whole, operators included ("x^2 y^2" is not
    # "x^2 - y^2"); options that are words also match a unique prefix ("sad" -> "saddle").
    formulas = any(_is_formula(c) for c in choices)
    normalize = _normalize_formula if formulas else _normalize
    given = normalize(answer)
    if not given:
        return _invalid(f"The answer is empty: choose one of {listed}.")
    matches = [c for c in choices if normalize(c) == given]
    if not matches and not formulas and len(given) >= 3:
        matches = [c for c in choices if _normalize(c).startswith(given)]
    if len(matches) != 1:
        return _invalid(f"{answer[:60]!r} is not one of the options: {listed}.")
    chosen = matches[0]
    if chosen == expected:
        return _CORRECT
    for option, message in mistakes:
        if option == chosen:
            return _wrong(f"Not {chosen}. {message}")
    return _wrong(f"Not yet: not {chosen}.")


def _describe(args: tuple[Any, ...]) -> str:
    parts = []
    for a in args:
        if callable(a):
            parts.append(getattr(a, "__name__", "f").lstrip("_"))
        else:
            parts.append(f"{a:g}" if isinstance(a, float) else repr(a))
    return ", ".join(parts)


def judge_function(
    answer: Any,
    probes: Sequence[tuple[Any, ...]],
    expected: Sequence[Any],
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Sequence[tuple[Any, str]] = (),
) -> Verdict:
    """Judge code to write by the values it returned at the probes.

    Parameters
    ----------
    answer : ProbeValues or object
        What the learner's function gave at each probe (see
        :func:`~calcml.grading.answers.evaluate_at_probes`); anything else is invalid.
    probes : sequence of tuple
        The argument tuples, for messages.
    expected : sequence of array_like
        The right values, one per probe.
    rtol, atol : float
        Tolerances per value.
    mistakes : sequence of (values, message)
        Known wrong functions (their values at the probes) and what to say about them.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> from calcml.grading.answers import evaluate_at_probes
    >>> probes = [(1.0,), (2.0,)]
    >>> judge_function(evaluate_at_probes(lambda x: 2 * x, probes), probes, [2.0, 4.0]).status
    'correct'
    >>> judge_function(evaluate_at_probes(lambda x: 2, probes), probes, [2.0, 4.0]).message
    'Not yet: at (2) your function returns 2, which is wrong.'
    """
    if answer is None:
        return _UNANSWERED
    if not isinstance(answer, ProbeValues):
        shown = answer.text if isinstance(answer, Opaque) else type(answer).__name__
        return _invalid(f"Expected a function (write it with def), got {shown}.")
    if len(answer.values) != len(probes):
        return _invalid("The function's results do not match the test points: submit again.")
    if all(err and err.startswith("NotImplementedError") for err in answer.errors):
        return Verdict("unanswered", "Not answered yet: write the body of the function.")
    for args, err in zip(probes, answer.errors, strict=True):
        if err:
            return _invalid(f"Calling {answer.name}({_describe(args)}) raised {err}")
    got: list[np.ndarray] = []
    for args, value, exp in zip(probes, answer.values, expected, strict=True):
        e = np.asarray(exp, dtype=float)
        arr, problem = _to_array(value)
        if problem or arr is None:
            msg = "returned None: did you forget `return`?" if value is None else problem.message
            return _invalid(f"At ({_describe(args)}) {answer.name} {msg}")
        if arr.size == e.size:
            arr = arr.reshape(e.shape)
        if arr.shape != e.shape:
            return _invalid(
                f"At ({_describe(args)}) {answer.name} returns shape {arr.shape}, "
                f"expected shape {e.shape}."
            )
        if not np.isfinite(arr).all():
            return _invalid(f"At ({_describe(args)}) {answer.name} returns NaN or infinity.")
        got.append(arr)
    oks = [
        bool(_close(a, np.asarray(e, float), rtol, atol).all())
        for a, e in zip(got, expected, strict=True)
    ]
    if all(oks):
        return _CORRECT
    for values, message in mistakes:
        if all(
            _close(a, np.asarray(m, float), rtol, atol).all()
            for a, m in zip(got, values, strict=True)
        ):
            return _wrong(message)
    first = oks.index(False)
    shown = np.array2string(
        got[first], separator=", ", formatter={"float_kind": lambda v: f"{v:.6g}"}
    )
    return _wrong(
        f"Not yet: at ({_describe(probes[first])}) your function returns {shown}, which is wrong."
    )


def _form(kind: str, shape: tuple[int, ...]) -> str:
    if kind == "number":
        return "one number"
    if kind == "vector":
        return f"a vector of {shape[0]} numbers"
    if kind == "matrix":
        return f"a {shape[0]} x {shape[1]} matrix"
    return "an option" if kind == "choice" else "a function"


def judge_form(ex: Exercise | str, answer: Any) -> Verdict:
    """Check only the form of an answer, for graded assignments: never whether it is right.

    Problems of form (not answered, text that is not a number, a wrong shape, NaN, a function
    that raises at the public test points) are reported as usual; an answer of the right form
    is ``"recorded"``, with no hint of its correctness.

    Examples
    --------
    >>> judge_form("04.1", [[1, 2], [3, 4]]).message
    'Recorded: a 2 x 2 matrix. It is graded after the deadline.'
    >>> judge_form("04.1", [1, 2, 3, 4]).status
    'invalid'
    """
    if isinstance(ex, str):
        ex = exercise(ex)
    v = judge(ex, answer)
    if v.status in ("invalid", "unanswered"):
        return Verdict(v.status, v.message.split(" Hint: ")[0], 0.0, float(ex.points))
    shape = np.shape(ex.expected_value()) if ex.kind != "choice" else ()
    what = _form(ex.kind, shape)
    return Verdict(
        "recorded", f"Recorded: {what}. It is graded after the deadline.", 0.0, float(ex.points)
    )


def judge(ex: Exercise | str, answer: Any, *, expected: Any = None) -> Verdict:
    """Judge an answer to an exercise of the key, with points.

    Parameters
    ----------
    ex : Exercise or str
        The exercise or its id.
    answer : object
        The answer, as the learner gave it or as decoded from a bundle
        (:func:`~calcml.grading.answers.decode_answer`). For ``"function"`` exercises a
        :class:`~calcml.grading.answers.ProbeValues` (a callable is evaluated here).
    expected : object, optional
        Judge against this value instead of the bank's (a student's own variant).

    Returns
    -------
    Verdict
        With ``points`` (all or nothing) and ``max_points``; the message adds the
        exercise's hint when the answer is wrong.

    Examples
    --------
    >>> v = judge("02.1", [6, 3, 2])
    >>> v.status, v.points, v.max_points
    ('correct', 2.0, 2.0)
    >>> judge("08.3", None).message
    'Not answered yet: replace None with your answer.'
    """
    if isinstance(ex, str):
        ex = exercise(ex)
    if ex.kind == "function" and callable(answer) and not isinstance(answer, ProbeValues):
        from .answers import evaluate_at_probes

        answer = evaluate_at_probes(answer, ex.probes)
    if expected is None:
        expected, mistakes = ex.expected_value(), ex.mistake_values()
    else:  # a student's own variant: the bank's known mistakes are about other numbers
        mistakes = []
    if ex.kind == "number":
        v = judge_number(answer, expected, rtol=ex.rtol, atol=ex.atol, mistakes=mistakes)
    elif ex.kind == "vector":
        v = judge_vector(
            answer, expected, rtol=ex.rtol, atol=ex.atol, unordered=ex.unordered, mistakes=mistakes
        )
    elif ex.kind == "matrix":
        v = judge_matrix(answer, expected, rtol=ex.rtol, atol=ex.atol, mistakes=mistakes)
    elif ex.kind == "choice":
        v = judge_choice(answer, ex.choices, expected, mistakes=mistakes)
    else:
        v = judge_function(
            answer, ex.probes, expected, rtol=ex.rtol, atol=ex.atol, mistakes=mistakes
        )
    message = v.message
    if v.status == "wrong" and ex.hint:
        message = f"{message} Hint: {ex.hint}"
    points = float(ex.points) if v.correct else 0.0
    return Verdict(v.status, message, points, float(ex.points))
