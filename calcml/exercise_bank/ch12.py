"""Exercises of chapter 12: convexity and constrained optimisation."""

from __future__ import annotations

from ._exercise import Exercise

EXERCISES: list[Exercise] = []
