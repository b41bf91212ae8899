"""Answer checkers: a text box (or options), a Check button and feedback.

The judging is :mod:`calcml.grading.judge`; these widgets only glue an input to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..exercise_bank import exercise
from ..grading.judge import Verdict, judge, judge_choice, judge_matrix, judge_number, judge_vector
from ._feedback import feedback_html

__all__ = [
    "AnswerChecker",
    "checker",
    "choice_checker",
    "matrix_checker",
    "number_checker",
    "vector_checker",
]


class AnswerChecker(widgets.VBox):
    """An input, a *Check* button and a feedback line.

    Parameters
    ----------
    judge : callable
        Maps the input's value (text, or the chosen option) to a :class:`Verdict`.
    placeholder : str, optional
        Example input shown in an empty text box.
    options : sequence of str, optional
        If given, the input is a list of options instead of a text box.
    description : str, optional
        Label before the input.

    Notes
    -----
    The verdict is recomputed when the input changes (text: on Enter or leaving the box) and
    when *Check* is clicked. ``.verdict`` holds the latest one (``None`` before any check).
    """

    def __init__(
        self,
        judge: Callable[[Any], Verdict],
        *,
        placeholder: str = "",
        options: Sequence[str] | None = None,
        description: str = "Answer:",
    ) -> None:
        self._judge = judge
        if options is None:
            self._input = widgets.Text(
                placeholder=placeholder, description=description, continuous_update=False
            )
        else:
            self._input = widgets.RadioButtons(
                options=list(options), value=None, description=description
            )
        self._button = widgets.Button(description="Check", tooltip="Check the answer")
        self._feedback = widgets.HTML()
        self.verdict: Verdict | None = None
        self._input.observe(self._on_change, names="value")
        self._button.on_click(lambda _button: self.check())
        super().__init__([widgets.HBox([self._input, self._button]), self._feedback])

    @property
    def value(self) -> Any:
        """The current input (text or chosen option)."""
        return self._input.value

    @value.setter
    def value(self, new: Any) -> None:
        self._input.value = new

    @property
    def feedback(self) -> str:
        """The feedback HTML currently shown."""
        return self._feedback.value

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self.check()

    def check(self) -> Verdict:
        """Judge the current input and show the feedback.

        Returns
        -------
        Verdict
        """
        value = self._input.value
        if value is None or (isinstance(value, str) and not value.strip()):
            verdict = Verdict("unanswered", "Type an answer, then press Enter or Check.")
        else:
            verdict = self._judge(value)
        self.verdict = verdict
        self._feedback.value = feedback_html(verdict)
        return verdict


def number_checker(
    expected: float, *, rtol: float = 1e-6, atol: float = 1e-9, description: str = "Answer:"
) -> AnswerChecker:
    """Return a checker for a number typed as text (``4``, ``-pi/2``, ``sqrt(40)``).

    Parameters
    ----------
    expected : float
        The right value.
    rtol, atol : float
        Tolerances (see :func:`calcml.grading.judge_number`).
    description : str, optional
        Label before the text box.

    Returns
    -------
    AnswerChecker

    Examples
    --------
    >>> w = number_checker(4.0)
    >>> w.value = "-4"
    >>> w.verdict.message
    'Not yet: the sign is wrong.'
    """
    return AnswerChecker(
        lambda text: judge_number(text, expected, rtol=rtol, atol=atol),
        placeholder="e.g. 2.5 or sqrt(2)",
        description=description,
    )


def vector_checker(
    expected: Sequence[float] | np.ndarray,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    unordered: bool = False,
    description: str = "Answer:",
) -> AnswerChecker:
    """Return a checker for a vector typed as text (``[6, 3, 2]`` or ``6, 3, 2``).

    Parameters
    ----------
    expected : array_like, shape (n,)
        The right vector.
    rtol, atol : float
        Tolerances per component.
    unordered : bool, default: False
        Whether the order of the components matters.
    description : str, optional
        Label before the text box.

    Returns
    -------
    AnswerChecker

    Examples
    --------
    >>> w = vector_checker([6, 3, 2])
    >>> w.value = "[6, 3, 2]"
    >>> w.verdict.status
    'correct'
    """
    n = len(expected)
    return AnswerChecker(
        lambda text: judge_vector(text, expected, rtol=rtol, atol=atol, unordered=unordered),
        placeholder=f"[{', '.join(['...'] * n)}]",
        description=description,
    )


def matrix_checker(
    expected: Sequence[Sequence[float]] | np.ndarray,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    description: str = "Answer:",
) -> AnswerChecker:
    """Return a checker for a matrix typed as a list of rows (``[[2, 1], [2, 1]]``).

    Parameters
    ----------
    expected : array_like, shape (m, n)
        The right matrix.
    rtol, atol : float
        Tolerances per entry.
    description : str, optional
        Label before the text box.

    Returns
    -------
    AnswerChecker

    Examples
    --------
    >>> w = matrix_checker([[2, 1], [2, 1]])
    >>> w.value = "[[2, 1], [2]]"
    >>> w.verdict.status
    'invalid'
    """
    return AnswerChecker(
        lambda text: judge_matrix(text, expected, rtol=rtol, atol=atol),
        placeholder="[[a, b], [c, d]]",
        description=description,
    )


def choice_checker(
    choices: Sequence[str],
    expected: str,
    *,
    hints: Mapping[str, str] | None = None,
    description: str = "Answer:",
) -> AnswerChecker:
    """Return a checker with a list of options.

    Parameters
    ----------
    choices : sequence of str
        The options.
    expected : str
        The right option.
    hints : mapping, optional
        Option -> what to say when it is chosen wrongly.
    description : str, optional
        Label before the options.

    Returns
    -------
    AnswerChecker

    Examples
    --------
    >>> w = choice_checker(["minimum", "saddle"], "saddle", hints={"minimum": "Look again."})
    >>> w.value = "minimum"
    >>> w.verdict.message
    'Not minimum. Look again.'
    """
    if expected not in choices:
        raise ValueError(f"`expected` must be one of `choices`; got {expected!r}")
    mistakes = list((hints or {}).items())
    return AnswerChecker(
        lambda option: judge_choice(option, choices, expected, mistakes=mistakes),
        options=choices,
        description=description,
    )


def checker(exercise_id: str) -> AnswerChecker:
    """Return a checker for an exercise of the key (practice only: nothing is recorded).

    Parameters
    ----------
    exercise_id : str
        E.g. ``"06.1"``; ``"function"`` exercises are checked with :func:`submit` instead.

    Returns
    -------
    AnswerChecker

    Raises
    ------
    ValueError
        For a ``"function"`` exercise (its answer is code, not text).

    Examples
    --------
    >>> w = checker("01.1")
    >>> w.value = "4, -7"
    >>> w.verdict.message[:54]
    'Not yet: every entry of the vector has the wrong sign.'
    """
    ex = exercise(exercise_id)
    if ex.kind == "function":
        raise ValueError(
            f"exercise {ex.id} asks for a function: check it with calcml.widgets.submit"
        )
    options = ex.choices if ex.kind == "choice" else None
    placeholder = {"number": "a number", "vector": "[..., ...]", "matrix": "[[a, b], [c, d]]"}
    return AnswerChecker(
        lambda value: judge(ex, value),
        options=options,
        placeholder=placeholder.get(ex.kind, ""),
    )
