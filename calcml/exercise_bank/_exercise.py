"""What an exercise is: its prompt, kind, expected answer, tolerance, points and known mistakes.

The key lives in the package so that the grader judges answers in its own process, never in
the learner's kernel. Exercise notebooks never contain expected values: a learner writes an
answer and calls ``calcml.widgets.submit("06.1", answer)``.

Each :class:`Exercise` has a *kind*:

``"number"``
    a real number (a Python number, a 0-d array, or a 1-element array);
``"vector"``
    a 1-D array (list, tuple or array) of a fixed length;
``"matrix"``
    a 2-D array of a fixed shape;
``"choice"``
    one of a few strings, e.g. ``"minimum"``, ``"saddle"``;
``"function"``
    code to write: the answer is a callable, ``submit`` calls it at the key's ``probes``
    (argument tuples) and the values are judged against ``expected`` evaluated at the same
    probes, in the grader's process.

``expected`` is either the value or a zero-argument callable computing it (``"function"``
exercises: a callable taking the probe arguments). Callables may use calcml; they run in the
grader's process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

__all__ = ["CRITICAL_KINDS", "LEVELS", "Exercise", "Mistake", "resolve_all"]

Kind = Literal["number", "vector", "matrix", "choice", "function"]
Style = Literal["by hand", "code", "explore"]
Level = Literal["warm-up", "compute", "derive", "code"]

#: The levels of exercises, in the order a chapter's exercises climb through them.
LEVELS: tuple[str, ...] = ("warm-up", "compute", "derive", "code")

#: The answers of the critical-point classification exercises.
CRITICAL_KINDS = ("minimum", "maximum", "saddle", "inconclusive")


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and the message that explains it.

    Parameters
    ----------
    value : object or callable
        The wrong answer (same kind as the exercise's answer). For ``"function"`` exercises a
        callable evaluated at the probes, like ``Exercise.expected``.
    message : str
        What to tell the learner when the answer matches ``value`` (within the exercise's
        tolerance).
    """

    value: Any
    message: str


@dataclass(frozen=True)
class Exercise:
    """One exercise of the answer key.

    Parameters
    ----------
    id : str
        ``"<chapter>.<number>"``, e.g. ``"06.1"``.
    kind : {"number", "vector", "matrix", "choice", "function"}
        What the answer is (see the module docstring).
    style : {"by hand", "code", "explore"}
        How the learner gets the answer: pen and paper, code to write, or reading it off an
        explorer widget.
    prompt : str
        The question as the notebook shows it (Markdown with ``$...$`` maths).
    level : {"warm-up", "compute", "derive", "code"}
        Keyword-only and required. ``"warm-up"``: recall, or one step by hand;
        ``"compute"``: a calculation by hand in several steps, or a value read off an explorer;
        ``"derive"``: a derivation or proof (the prompt says derive, prove or show);
        ``"code"``: code to write (``style == "code"``). A chapter's exercises never go down
        in level (``tests/test_exercise_order.py``).
    expected : object or callable
        The expected answer, or a callable computing it in the grader's process.
    points : int, default: 1
        Points for a correct answer (there is no partial credit).
    rtol, atol : float
        Tolerances: a number ``a`` matches ``e`` when ``|a - e| <= atol + rtol * |e|``
        (element by element for arrays).
    choices : tuple of str
        The options of a ``"choice"`` exercise.
    probes : tuple of tuple
        Argument tuples at which a ``"function"`` answer is called.
    unordered : bool, default: False
        For vectors: the order of the components does not matter (e.g. eigenvalues).
    mistakes : tuple of Mistake
        Known wrong answers with targeted feedback.
    hint : str
        A general hint shown with any wrong answer.
    answer_text : str
        A short description of the answer for the instructor's table (never shown to learners).
    probe_sampler : callable, optional
        For ``"function"`` exercises: ``probe_sampler(rng)`` returns argument tuples drawn
        with the numpy Generator ``rng``. ``calcml-grade`` draws fresh points with it at
        grading time (nobody knows them in advance) and also calls the submitted function
        there, so a function that only knows the public ``probes`` earns nothing.
    """

    id: str
    kind: Kind
    style: Style
    prompt: str
    expected: Any
    points: int = 1
    rtol: float = 1e-6
    atol: float = 1e-9
    choices: tuple[str, ...] = ()
    probes: tuple[tuple[Any, ...], ...] = ()
    unordered: bool = False
    mistakes: tuple[Mistake, ...] = ()
    hint: str = ""
    answer_text: str = ""
    probe_sampler: Callable[[np.random.Generator], Sequence[tuple[Any, ...]]] | None = None
    level: Level = field(kw_only=True)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(
                f"exercise {self.id}: level must be one of {', '.join(LEVELS)}, not {self.level!r}"
            )

    @property
    def variant(self) -> Any:
        """The per-student :class:`~calcml.exercise_bank._variants.Variant`, or None."""
        from ._variants import VARIANTS

        return VARIANTS.get(self.id)

    @property
    def practice_only(self) -> bool:
        """Whether the exercise is left out of graded assignments (its answer is public).

        Graded are exercises with a per-student variant, and function exercises whose
        answers are also checked at points drawn at grading time (``probe_sampler``).

        Examples
        --------
        >>> from calcml.exercise_bank import exercise
        >>> exercise("04.1").practice_only
        False
        """
        if self.kind == "function":
            return self.sampler is None
        return self.variant is None

    @property
    def sampler(self) -> Any:
        """The ``probe_sampler``, or the one :mod:`._variants` registers for this id."""
        from ._variants import SAMPLERS

        return self.probe_sampler or SAMPLERS.get(self.id)

    @property
    def chapter(self) -> str:
        """The chapter number as two digits, e.g. ``"06"``."""
        return self.id.split(".")[0]

    def expected_value(self) -> Any:
        """Return the expected answer (for ``"function"``: the values at the probes).

        Returns
        -------
        object
            A float, a float array, or a string (``"choice"``).

        Examples
        --------
        >>> from calcml.exercise_bank import exercise
        >>> exercise("01.1").expected_value()
        array([-4.,  7.])
        """
        if self.id not in _RESOLVED:
            resolve_all([self])
        return _RESOLVED[self.id][0]

    def mistake_values(self) -> list[tuple[Any, str]]:
        """Return the known mistakes as ``(value, message)`` pairs, resolved like ``expected``."""
        if self.id not in _RESOLVED:
            resolve_all([self])
        return list(_RESOLVED[self.id][1])


_RESOLVED: dict[str, tuple[Any, tuple[tuple[Any, str], ...]]] = {}


def _resolve(ex: Exercise, value: Any) -> Any:
    if ex.kind == "function":
        out = np.array([np.asarray(value(*args), dtype=float) for args in ex.probes])
    else:
        if callable(value):
            value = value()
        if ex.kind == "choice":
            return str(value)
        out = np.asarray(value, dtype=float)
    out.flags.writeable = False
    return out


def resolve_all(exercises: Iterable[Exercise] | None = None) -> None:
    """Compute and freeze the expected values (and known mistakes) of exercises.

    The grader calls this once, before it executes any notebook, so that nothing a notebook
    does afterwards (e.g. editing installed files) can change the key it judges against.

    Parameters
    ----------
    exercises : iterable of Exercise, optional
        Default: every exercise of the key.
    """
    if exercises is None:
        from . import EXERCISES

        exercises = EXERCISES.values()
    for ex in exercises:
        expected = _resolve(ex, ex.expected)
        mistakes = tuple((_resolve(ex, m.value), m.message) for m in ex.mistakes)
        _RESOLVED[ex.id] = (expected, mistakes)
