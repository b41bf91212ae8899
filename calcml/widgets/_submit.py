"""``submit``: instant feedback in the notebook and a machine-readable answer for the grader."""

from __future__ import annotations

from typing import Any

from IPython.display import display

from ..exercise_bank import exercise
from ..grading.answers import MIME_TYPE, decode_answer, encode_answer
from ..grading.judge import Verdict, judge
from ._feedback import bundle

__all__ = ["submit", "check", "submission_bundle"]


def _payload(exercise_id: str, answer: Any) -> dict[str, Any]:
    ex = exercise(exercise_id)
    probes = ex.probes if ex.kind == "function" else ()
    try:
        encoded = encode_answer(answer, probes)
    except Exception as exc:  # noqa: BLE001 - an answer that cannot even be encoded
        encoded = {"type": "other", "typename": type(answer).__name__, "text": repr(exc)[:200]}
    return {"exercise": ex.id, "answer": encoded}


def check(exercise_id: str, answer: Any) -> Verdict:
    """Judge an answer exactly as the grader will, without displaying anything.

    The answer goes through the same encoding the grader reads, so what ``check`` says is
    what ``calcml-grade`` gives.

    Parameters
    ----------
    exercise_id : str
        E.g. ``"06.1"``.
    answer : object
        Anything; see :func:`submit`.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> check("02.1", [6, 3, 2]).points
    2.0
    >>> check("02.1", [6, 3]).message
    'Expected a vector of 3 numbers, got 2 numbers.'
    """
    return judge(exercise_id, decode_answer(_payload(exercise_id, answer)))


def submission_bundle(exercise_id: str, answer: Any) -> dict[str, Any]:
    """Return the display bundle :func:`submit` shows: feedback text, HTML and the answer.

    Parameters
    ----------
    exercise_id : str
        E.g. ``"06.1"``.
    answer : object
        Anything.

    Returns
    -------
    dict
        MIME type -> data: ``text/plain``, ``text/html`` and
        ``application/vnd.calcml.answer+json`` (``{"exercise": id, "answer": encoded}``).

    Examples
    --------
    >>> b = submission_bundle("08.1", None)
    >>> b["text/plain"]
    'Exercise 08.1: Not answered yet: replace None with your answer. [0/2 points]'
    >>> b["application/vnd.calcml.answer+json"]
    {'exercise': '08.1', 'answer': {'type': 'none'}}
    """
    payload = _payload(exercise_id, answer)
    verdict = judge(exercise_id, decode_answer(payload))
    return bundle(verdict, f"Exercise {payload['exercise']}", {MIME_TYPE: payload})


def submit(exercise_id: str, answer: Any) -> None:
    """Check an answer and record it for the grader.

    Shows what is right or wrong (never raises because of the answer) and leaves the answer in
    the cell's output as ``application/vnd.calcml.answer+json``, which ``calcml-grade`` reads
    and judges again in its own process. Submitting again replaces the earlier answer.

    Parameters
    ----------
    exercise_id : str
        E.g. ``"06.1"`` (raises ``KeyError`` for an unknown id: that is the notebook's fault).
    answer : object
        A number, a list/array, text (``"saddle"``), ``None`` (not answered yet), or, for code
        to write, the function itself (it is called at test points here, in the notebook).

    Examples
    --------
    >>> submit("01.1", [4, 5])  # doctest: +SKIP
    Exercise 01.1: Correct. [2/2 points]
    """
    display(submission_bundle(exercise_id, answer), raw=True)
