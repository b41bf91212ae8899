"""Exercises of chapter 11: stochastic gradient descent and optimisers."""

from __future__ import annotations

from ._exercise import Exercise

EXERCISES: list[Exercise] = []
