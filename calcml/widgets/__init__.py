"""Widgets for the exercises: ``submit``, answer checkers and explorers.

* :func:`submit` checks an exercise's answer and records it for ``calcml-grade``;
  :func:`check` only judges it.
* Checkers (:func:`number_checker`, :func:`vector_checker`, :func:`matrix_checker`,
  :func:`choice_checker`, :func:`checker`) give a text box or options and targeted feedback.
* Explorers (:func:`gradient_field_explorer`, :func:`directional_derivative_explorer`,
  :func:`gradient_descent_explorer`, :func:`quadratic_form_explorer`) redraw a calcml figure
  when a slider moves, and carry a static figure of their default state for pages without a
  kernel.
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
