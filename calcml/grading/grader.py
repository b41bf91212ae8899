"""Grade executed notebooks in the grader's own process.

:func:`grade_notebooks` executes notebooks (in parallel worker processes) and judges the
answers they submitted here, against the key resolved before any notebook ran. What a
notebook prints, defines or writes to disk is never read; only the answer bundles in its
outputs are, and those are decoded as plain data.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from ..exercise_bank import EXERCISES, Exercise, exercises_for_chapter, resolve_all
from ._execute import Execution, execute_notebook
from .answers import decode_answer
from .judge import judge

__all__ = ["ExerciseResult", "NotebookReport", "grade_execution", "grade_notebooks", "write_csv"]


@dataclass(frozen=True)
class ExerciseResult:
    """One row of the report: one exercise of one notebook."""

    notebook: str
    exercise: str
    points: float
    max_points: float
    feedback: str


@dataclass
class NotebookReport:
    """All exercises of one notebook, and how its execution went."""

    notebook: str
    status: str
    detail: str
    results: list[ExerciseResult] = field(default_factory=list)

    @property
    def points(self) -> float:
        """Points earned."""
        return sum(r.points for r in self.results)

    @property
    def max_points(self) -> float:
        """Points possible."""
        return sum(r.max_points for r in self.results)


def _chapters(path: str, chapter: str | None, answers: Iterable[str]) -> list[str]:
    if chapter is not None:
        return [f"{int(chapter):02d}"]
    m = re.match(r"(\d{2})_", Path(path).name)
    if m and exercises_for_chapter(m.group(1)):
        return [m.group(1)]
    return sorted({a.split(".")[0] for a in answers if a in EXERCISES})


def grade_execution(
    execution: Execution, *, chapter: str | None = None, only: Sequence[str] | None = None
) -> NotebookReport:
    """Judge the answers of one executed notebook.

    Parameters
    ----------
    execution : Execution
        What :func:`~calcml.grading._execute.execute_notebook` returned.
    chapter : str, optional
        The chapter whose exercises to grade; default: from the file name (``01_...``), else
        the chapters of the answers found.
    only : sequence of str, optional
        Grade only these exercise ids.

    Returns
    -------
    NotebookReport
        One result per exercise of the chapter, answered or not.
    """
    report = NotebookReport(execution.path, execution.status, execution.detail)
    chapters = _chapters(execution.path, chapter, execution.answers)
    exercises: list[Exercise] = [ex for c in chapters for ex in exercises_for_chapter(c)]
    if only:
        exercises = [ex for ex in exercises if ex.id in only]
    if not exercises:
        why = execution.detail or "no answers found, and the file name does not name a chapter"
        report.results.append(ExerciseResult(execution.path, "", 0.0, 0.0, f"Not graded: {why}."))
        return report
    for ex in exercises:
        if ex.id in execution.answers:
            verdict = judge(ex, decode_answer(execution.answers[ex.id]))
            points, feedback = verdict.points, verdict.message
        else:
            points = 0.0
            if execution.status != "ok":
                feedback = f"Not answered: {execution.detail} before this exercise was submitted."
            else:
                feedback = f"Not answered: no submit({ex.id!r}, ...) output was found."
                if execution.cell_errors:
                    feedback += f" The notebook raised {', '.join(execution.cell_errors[:3])}."
        report.results.append(
            ExerciseResult(execution.path, ex.id, points, float(ex.points), feedback)
        )
    return report


def grade_notebooks(
    paths: Sequence[str],
    *,
    workers: int = 1,
    timeout: float = 120.0,
    kernel_name: str = "python3",
    chapter: str | None = None,
    only: Sequence[str] | None = None,
    progress: bool = True,
    on_done: Callable[[NotebookReport], None] | None = None,
) -> list[NotebookReport]:
    """Execute and grade notebooks; a notebook that fails is reported, never fatal.

    Parameters
    ----------
    paths : sequence of str
        Notebooks to grade.
    workers : int, default: 1
        Notebooks executed at the same time (each in its own process and kernel).
    timeout : float, default: 120
        Seconds allowed per notebook.
    kernel_name : str, default: "python3"
        The Jupyter kernel.
    chapter, only
        See :func:`grade_execution`.
    progress : bool, default: True
        Show a progress bar on stderr (when stderr is a terminal).
    on_done : callable, optional
        Called with each report as soon as its notebook is graded.

    Returns
    -------
    list of NotebookReport
        In the order of ``paths``.
    """
    from tqdm.auto import tqdm

    if workers < 1:
        raise ValueError(f"`workers` must be a positive integer; got {workers}")
    if timeout <= 0:
        raise ValueError(f"`timeout` must be positive; got {timeout}")
    resolve_all()  # freeze the key before any student code runs
    reports: dict[int, NotebookReport] = {}
    bar = tqdm(
        total=len(paths),
        desc="grading",
        unit="notebook",
        file=sys.stderr,
        disable=None if progress else True,
    )

    def finish(i: int, execution: Execution) -> None:
        reports[i] = grade_execution(execution, chapter=chapter, only=only)
        bar.update(1)
        if on_done:
            on_done(reports[i])

    try:
        if workers == 1 or len(paths) == 1:
            for i, path in enumerate(paths):
                finish(i, execute_notebook(path, timeout, kernel_name))
        else:
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                futures = {
                    pool.submit(execute_notebook, path, timeout, kernel_name): i
                    for i, path in enumerate(paths)
                }
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        execution = future.result()
                    except Exception as exc:  # noqa: BLE001 - a worker died
                        execution = Execution(paths[i], "crashed", f"grading worker failed: {exc}")
                    finish(i, execution)
    finally:
        bar.close()
    return [reports[i] for i in range(len(paths))]


def records(reports: Iterable[NotebookReport]) -> list[dict[str, Any]]:
    """Return the rows as dicts with the keys of ``--json``."""
    return [asdict(r) for report in reports for r in report.results]


def write_csv(reports: Sequence[NotebookReport], file: IO[str]) -> None:
    """Write a summary: one row per notebook, one column per exercise.

    Columns: ``notebook``, ``status``, ``points``, ``max_points``, then each exercise id
    (points earned, empty when the exercise is not part of that notebook), then ``detail``.
    """
    ids = sorted({r.exercise for rep in reports for r in rep.results if r.exercise})
    writer = csv.writer(file)
    writer.writerow(["notebook", "status", "points", "max_points", *ids, "detail"])
    for rep in reports:
        earned = {r.exercise: r.points for r in rep.results}
        writer.writerow(
            [rep.notebook, rep.status, f"{rep.points:g}", f"{rep.max_points:g}"]
            + [f"{earned[i]:g}" if i in earned else "" for i in ids]
            + [rep.detail]
        )
