"""``submit``: instant feedback in the notebook and a machine-readable answer for the grader."""

from __future__ import annotations

import json
from typing import Any

from IPython.display import display

from ..exercise_bank import exercise
from ..grading.answers import MIME_TYPE, decode_answer, encode_answer
from ..grading.judge import Verdict, judge, judge_form
from ._feedback import bundle

__all__ = ["submit", "check", "submission_bundle"]

#: The functions submitted in this kernel (the grader calls them at its own points afterwards).
_SUBMITTED: dict[str, Any] = {}
PROBE_MIME = "application/vnd.calcml.probes+json"


def _decode_arg(arg: Any) -> Any:
    """Decode a probe argument: a number, an array, or a test function of the bank."""
    if isinstance(arg, dict) and "array" in arg:
        import numpy as np

        return np.asarray(arg["array"], dtype=float)
    if isinstance(arg, dict) and isinstance(arg.get("callable"), str):
        import importlib

        module, _, name = arg["callable"].partition(":")
        if not module.startswith("calcml.exercise_bank."):
            raise ValueError(f"probe functions come from calcml.exercise_bank, not {module!r}")
        return getattr(importlib.import_module(module), name)
    return arg


def _evaluate_submitted(probes: str) -> None:
    """Call each submitted function at the grader's points; display the encoded values.

    Run by the grader's worker in the kernel after the notebook ran. ``probes`` is JSON:
    exercise id -> list of argument lists.
    """
    out: dict[str, Any] = {}
    for ex_id, arg_lists in json.loads(probes).items():
        func = _SUBMITTED.get(ex_id)
        if func is None:
            continue
        args = [tuple(_decode_arg(a) for a in arg_list) for arg_list in arg_lists]
        out[ex_id] = encode_answer(func, args)
    display({PROBE_MIME: out, "text/plain": "evaluated"}, raw=True)


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


def submission_bundle(exercise_id: str, answer: Any, graded: bool = False) -> dict[str, Any]:
    """Return the display bundle :func:`submit` shows: feedback text, HTML and the answer.

    Parameters
    ----------
    exercise_id : str
        E.g. ``"06.1"``.
    answer : object
        Anything.
    graded : bool, default: False
        A graded assignment: the feedback checks only the answer's form.

    Returns
    -------
    dict
        MIME type -> data: ``text/plain``, ``text/html`` and
        ``application/vnd.calcml.answer+json`` (``{"exercise": id, "answer": encoded}``).

    Examples
    --------
    >>> b = submission_bundle("08.3", None)
    >>> b["text/plain"]
    'Exercise 08.3: Not answered yet: replace None with your answer. [0/2 points]'
    >>> b["application/vnd.calcml.answer+json"]
    {'exercise': '08.3', 'answer': {'type': 'none'}}
    """
    payload = _payload(exercise_id, answer)
    decoded = decode_answer(payload)
    verdict = judge_form(exercise_id, decoded) if graded else judge(exercise_id, decoded)
    return bundle(verdict, f"Exercise {payload['exercise']}", {MIME_TYPE: payload})


def submit(exercise_id: str, answer: Any, graded: bool = False) -> None:
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
    graded : bool, default: False
        In a graded assignment (``calcml.grading.assign`` writes ``graded=True``): the
        feedback checks only the form of the answer; the instructor grades it later.

    Examples
    --------
    >>> submit("01.1", [4, 5])  # doctest: +SKIP
    Exercise 01.1: Correct. [2/2 points]
    """
    bundle = submission_bundle(exercise_id, answer, graded)
    if callable(answer):
        _SUBMITTED[exercise_id] = answer
    else:
        _SUBMITTED.pop(exercise_id, None)
    display(bundle, raw=True)
