"""The exercise bank: every exercise of the course, one module per chapter.

Both the learner's instant feedback (:mod:`calcml.widgets`) and the grader
(:mod:`calcml.grading`) read exercises from here. ``chNN.py`` holds chapter NN's exercises in
course order, which climbs by ``level``: warm-up, compute, derive, code (:data:`LEVELS`);
:mod:`._exercise` defines what an exercise is (see its docstring for the kinds).

To add an exercise, insert an :class:`Exercise` into the chapter's ``EXERCISES`` list after the
last one of its level (renumber the ones after it), then add its cells to
``exercises/<stem>.ipynb`` and ``solutions/<stem>.ipynb`` in the same order (see ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch10, ch11, ch12
from ._exercise import CRITICAL_KINDS, LEVELS, Exercise, Mistake, resolve_all

__all__ = [
    "CRITICAL_KINDS",
    "EXERCISES",
    "LEVELS",
    "Exercise",
    "Mistake",
    "exercise",
    "exercises_for_chapter",
    "resolve_all",
]

_CHAPTERS = (ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch10, ch11, ch12)
_ALL = [ex for module in _CHAPTERS for ex in module.EXERCISES]

#: All exercises by id, in course order.
EXERCISES: Mapping[str, Exercise] = {ex.id: ex for ex in _ALL}


def exercise(exercise_id: str) -> Exercise:
    """Return the exercise with this id.

    Parameters
    ----------
    exercise_id : str
        E.g. ``"06.1"``.

    Returns
    -------
    Exercise

    Raises
    ------
    KeyError
        If there is no such exercise (the message lists the chapter's ids).

    Examples
    --------
    >>> exercise("08.3").kind
    'choice'
    """
    try:
        return EXERCISES[exercise_id]
    except (KeyError, TypeError):
        known = ", ".join(EXERCISES)
        raise KeyError(f"no exercise {exercise_id!r}; known ids: {known}") from None


def exercises_for_chapter(chapter: str | int) -> list[Exercise]:
    """Return the exercises of one chapter, in order.

    Parameters
    ----------
    chapter : str or int
        ``"06"``, ``"6"`` or ``6``.

    Returns
    -------
    list of Exercise

    Examples
    --------
    >>> [ex.id for ex in exercises_for_chapter(1)]
    ['01.1', '01.2', '01.3', '01.4', '01.5', '01.6', '01.7']
    """
    wanted = f"{int(chapter):02d}"
    return [ex for ex in _ALL if ex.chapter == wanted]
