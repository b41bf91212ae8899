"""Widgets for the exercises: ``submit``, answer checkers and explorers.

* :func:`submit` checks an exercise's answer and records it for ``calcml-grade``;
  :func:`check` only judges it.
* Checkers (:func:`number_checker`, :func:`vector_checker`, :func:`matrix_checker`,
  :func:`choice_checker`, :func:`checker`) give a text box or options and targeted feedback.
* Explorers (:func:`gradient_field_explorer`, :func:`directional_derivative_explorer`,
  :func:`gradient_descent_explorer`, :func:`quadratic_form_explorer`) redraw a calcml figure
  when a slider moves. Executed for the book (``CALCML_STATIC_EXPLORERS=1``, set by
  ``tools/run_notebooks.py``) they precompute one slider's positions and link them in the
  browser, so they move on the static website too (see :class:`Explorer`).
"""

from ._checkers import (
    AnswerChecker,
    checker,
    choice_checker,
    matrix_checker,
    number_checker,
    vector_checker,
)
from ._explorers import (
    Explorer,
    directional_derivative_explorer,
    gradient_descent_explorer,
    gradient_field_explorer,
    quadratic_form_explorer,
)
from ._submit import check, submission_bundle, submit

__all__ = [
    "AnswerChecker",
    "Explorer",
    "directional_derivative_explorer",
    "gradient_descent_explorer",
    "gradient_field_explorer",
    "quadratic_form_explorer",
    "check",
    "checker",
    "choice_checker",
    "matrix_checker",
    "number_checker",
    "submission_bundle",
    "submit",
    "vector_checker",
]
