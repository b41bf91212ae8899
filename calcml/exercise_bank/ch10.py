"""Exercises of chapter 10: matrix calculus and backpropagation."""

from __future__ import annotations

from ._exercise import Exercise

EXERCISES: list[Exercise] = []
