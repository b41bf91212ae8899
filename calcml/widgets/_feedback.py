"""Feedback as text and HTML (pure: no widgets, no display)."""

from __future__ import annotations

import html
from typing import Any

from ..grading.judge import Verdict

_STYLE = {
    # status: (symbol, label, border colour); the label carries the meaning, not the colour
    "correct": ("\u2714", "Correct", "#1a7f37"),
    "wrong": ("\u2718", "Not yet", "#b3261e"),
    "invalid": ("?", "Cannot check", "#9a6700"),
    "unanswered": ("\u2026", "Not answered", "#57606a"),
    "recorded": ("\u2709", "Recorded", "#57606a"),
}


def feedback_text(verdict: Verdict, title: str = "") -> str:
    """Return the feedback as one line of plain text.

    Parameters
    ----------
    verdict : Verdict
        The judgement.
    title : str, optional
        E.g. ``"Exercise 01.1"``.

    Returns
    -------
    str

    Examples
    --------
    >>> from calcml.grading import judge
    >>> feedback_text(judge("02.1", [6, 3, 2]), "Exercise 02.1")
    'Exercise 02.1: Correct. [2/2 points]'
    """
    head = f"{title}: " if title else ""
    points = f" [{verdict.points:g}/{verdict.max_points:g} points]" if title else ""
    return f"{head}{verdict.message}{points}"


def _without_label(message: str, label: str) -> str:
    """Drop a leading copy of the label ("Correct.", "Not yet: ...") from the message."""
    if message.lower().startswith(label.lower()):
        return message[len(label) :].lstrip(" .:;,")
    return message


def feedback_html(verdict: Verdict, title: str = "") -> str:
    """Return the feedback as a small HTML block (escaped, self-contained styles).

    Parameters
    ----------
    verdict : Verdict
        The judgement.
    title : str, optional
        E.g. ``"Exercise 01.1"``; when given, the points are shown too.

    Returns
    -------
    str

    Examples
    --------
    >>> from calcml.grading import judge
    >>> "Correct</strong>." in feedback_html(judge("02.1", [6, 3, 2]))
    True
    >>> "Not yet</strong>: the 3rd component" in feedback_html(judge("02.1", [6, 3, -2]))
    True
    """
    symbol, label, colour = _STYLE[verdict.status]
    body = _without_label(verdict.message, label)
    sep = ": " if body else "."
    head = f"<strong>{html.escape(title)}</strong> &middot; " if title else ""
    points = (
        f' <span class="calcml-points">({verdict.points:g}/{verdict.max_points:g} points)</span>'
        if title
        else ""
    )
    return (
        f'<div class="calcml-feedback calcml-{verdict.status}" role="status" '
        f'style="border-left: 4px solid {colour}; padding: 0.3em 0.8em; margin: 0.3em 0;">'
        f'<span aria-hidden="true">{symbol}</span> {head}<strong>{label}</strong>{sep}'
        f"{html.escape(body)}{points}</div>"
    )


def bundle(verdict: Verdict, title: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return a display bundle with the feedback as text and HTML, plus ``extra`` MIME data."""
    data: dict[str, Any] = {
        "text/plain": feedback_text(verdict, title),
        "text/html": feedback_html(verdict, title),
    }
    data.update(extra or {})
    return data
