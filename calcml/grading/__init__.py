"""Grading of the course's exercises: judging, graded assignments and ``calcml-grade``.

Importing this package is cheap (no nbclient): the learner's kernel uses it for instant
feedback; the grader (:mod:`calcml.grading.cli`) uses the same judging code in its own process.
"""

from ..exercise_bank import EXERCISES, Exercise, Mistake, exercise, exercises_for_chapter
from .answers import MIME_TYPE, decode_answer, encode_answer, evaluate_at_probes, parse_text
from .judge import (
    Verdict,
    judge,
    judge_choice,
    judge_form,
    judge_function,
    judge_matrix,
    judge_number,
    judge_vector,
)

__all__ = [
    "EXERCISES",
    "MIME_TYPE",
    "Exercise",
    "Mistake",
    "Verdict",
    "decode_answer",
    "encode_answer",
    "evaluate_at_probes",
    "exercise",
    "exercises_for_chapter",
    "judge",
    "judge_choice",
    "judge_form",
    "judge_function",
    "judge_matrix",
    "judge_number",
    "judge_vector",
    "parse_text",
]
