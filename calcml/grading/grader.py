"""Grade notebooks: run each in its own sandbox, judge the answers in this process.

:func:`grade_notebooks` runs notebooks (several at once, each in its own sandboxed worker
process, see :mod:`calcml.grading._execute`) and judges the answers they submitted here,
against expected values computed before any notebook ran. A notebook that crashes, times out
or kills its worker costs only its own row. Each report is handed to ``on_done`` as soon as
its notebook finishes (the command line appends it to the CSV / JSON-lines files at once).
"""

from __future__ import annotations

import csv
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..exercise_bank import EXERCISES, Exercise, exercises_for_chapter, resolve_all
from ._execute import Execution, clean_text, execute_notebook, kill_all
from ._sandbox import Limits
from .answers import ProbeValues, decode_answer
from .judge import judge, judge_function

__all__ = [
    "ExerciseResult",
    "GradingError",
    "NotebookReport",
    "chapter_of",
    "csv_safe",
    "grade_execution",
    "grade_notebooks",
    "normalize_exercise_id",
    "write_csv",
]


class GradingError(ValueError):
    """A problem on the grader's side (a bad path, chapter or exercise id)."""


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
    student: str = ""

    @property
    def points(self) -> float:
        """Points earned."""
        return sum(r.points for r in self.results)

    @property
    def max_points(self) -> float:
        """Points possible."""
        return sum(r.max_points for r in self.results)

    def record(self) -> dict[str, Any]:
        """Return the report as the JSON object ``--json`` prints (one line per notebook)."""
        return {
            "notebook": self.notebook,
            "student": self.student,
            "status": self.status,
            "detail": self.detail,
            "points": self.points,
            "max_points": self.max_points,
            "results": [asdict(r) for r in self.results],
        }


def normalize_exercise_id(text: str) -> str:
    """Return an exercise id in the key's form, or raise :class:`GradingError`.

    Examples
    --------
    >>> normalize_exercise_id("4.1")
    '04.1'
    """
    m = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\s*", str(text))
    ex_id = f"{int(m.group(1)):02d}.{int(m.group(2))}" if m else str(text)
    if ex_id not in EXERCISES:
        chapter = ex_id.split(".")[0]
        ids = [e.id for e in exercises_for_chapter(chapter)] if chapter.isdigit() else []
        known = ", ".join(ids) if ids else "none in that chapter"
        raise GradingError(f"no exercise {text!r} in the key (chapter's ids: {known})")
    return ex_id


def chapter_of(path: str, chapter: str | None = None) -> str:
    """Return the chapter a notebook is graded as: ``--chapter``, else its file name.

    Never from what the notebook submitted. Raises :class:`GradingError` when neither says,
    or when they disagree.

    Examples
    --------
    >>> chapter_of("alice/04_hessian.ipynb")
    '04'
    """
    m = re.match(r"(\d{2})_", Path(path).name)
    named = m.group(1) if m else None
    if chapter is not None:
        if not str(chapter).strip().isdigit():
            raise GradingError(f"--chapter must be a chapter number such as 04; got {chapter!r}")
        wanted = f"{int(chapter):02d}"
        if not exercises_for_chapter(wanted):
            raise GradingError(f"chapter {wanted} has no exercises in the key")
        if named is not None and named != wanted:
            raise GradingError(
                f"{path}: the file name says chapter {named} but --chapter says {wanted}; "
                "rename the file or drop --chapter"
            )
        return wanted
    if named is None or not exercises_for_chapter(named):
        raise GradingError(
            f"{path}: cannot tell the chapter: the file name does not start with a chapter "
            "number with exercises (NN_...); pass --chapter NN"
        )
    return named


# --- grader-chosen points for function answers ---------------------------------------------


def _encode_arg(arg: Any) -> Any:
    if callable(arg):
        module, name = getattr(arg, "__module__", ""), getattr(arg, "__qualname__", "")
        if not module.startswith("calcml.exercise_bank.") or "." in name:
            raise GradingError(f"probe function {name!r} is not a module-level bank function")
        return {"callable": f"{module}:{name}"}
    if isinstance(arg, np.ndarray):
        return {"array": arg.tolist()}
    if isinstance(arg, (np.floating, np.integer)):
        return arg.item()
    return arg


def draw_private_probes(
    ex: Exercise, rng: np.random.Generator
) -> tuple[list[tuple[Any, ...]], Any] | None:
    """Draw grading-time points for a function exercise and the expected values there.

    Returns None for exercises without a ``probe_sampler``.
    """
    sampler = ex.sampler
    if ex.kind != "function" or sampler is None:
        return None
    args = [tuple(a) for a in sampler(rng)]
    expected = [np.asarray(ex.expected(*a), dtype=float) for a in args]
    return args, expected


# --- judging ---------------------------------------------------------------------------------


def _errors_before(execution: Execution, ex_id: str, upto: int | None) -> list[str]:
    """Errors in the cells that lead to exercise ``ex_id``'s submit cell (inclusive)."""
    if upto is None:  # the cell whose source submits it
        upto = next((c[0] for c in execution.cells if ex_id in c[2]), None)
        if upto is None:
            return []
    start = 0
    for n, _, ids in execution.cells:
        if n < upto and ids and ex_id not in ids:
            start = n
    return [f"{err} in cell {n}" for n, err, _ in execution.cells if start < n <= upto and err]


def _judge_one(
    ex: Exercise,
    execution: Execution,
    private: tuple[list[tuple[Any, ...]], Any] | None,
    expected: Any = None,
) -> tuple[float, str]:
    if ex.id not in execution.answers:
        errors = _errors_before(execution, ex.id, None)
        if errors:
            return 0.0, f"Not answered: {errors[0]} stopped it before submit({ex.id!r}, ...)."
        if execution.status != "ok":
            return 0.0, f"Not answered: {execution.detail} before this exercise was submitted."
        return 0.0, f"Not answered: no submit({ex.id!r}, ...) output was found."
    errors = _errors_before(execution, ex.id, execution.answer_cells.get(ex.id))
    if errors:
        return 0.0, (
            f"Not judged: {errors[0]} before submit({ex.id!r}, ...), so the submitted answer "
            "may be an old value. Fix the error and run the notebook again."
        )
    answer = decode_answer(execution.answers[ex.id])
    verdict = judge(ex, answer, expected=expected)
    if verdict.correct and private is not None:
        args, expected = private
        values = decode_answer({"answer": execution.probe_answers.get(ex.id)})
        if not isinstance(values, ProbeValues):
            why = "the notebook did not finish" if execution.status != "ok" else "no function"
            return 0.0, f"Could not check your function at the grader's own points ({why})."
        v2 = judge_function(values, args, expected, rtol=ex.rtol, atol=ex.atol)
        if not v2.correct:
            return 0.0, (
                "Right at the notebook's test points but not at the grader's own points: "
                "the function must work for any input, not only the ones shown."
            )
    return verdict.points, verdict.message


def grade_execution(
    execution: Execution,
    exercises: Sequence[Exercise],
    *,
    private: dict[str, tuple[list[tuple[Any, ...]], Any]] | None = None,
    expected: dict[str, Any] | None = None,
) -> NotebookReport:
    """Judge the answers of one executed notebook.

    Parameters
    ----------
    execution : Execution
        What :func:`~calcml.grading._execute.execute_notebook` returned.
    exercises : sequence of Exercise
        The exercises to grade (one row each, answered or not).
    private : dict, optional
        Exercise id -> (argument tuples, expected values) at the grader's own points.
    expected : dict, optional
        Exercise id -> the expected answer of this student's variant.

    Returns
    -------
    NotebookReport
    """
    status = execution.status
    detail = execution.detail
    if execution.truncated:
        detail = (detail + "; " if detail else "") + "output beyond the caps was dropped"
    report = NotebookReport(execution.path, status, clean_text(detail))
    if status == "unreadable":
        for ex in exercises:
            report.results.append(
                ExerciseResult(
                    execution.path, ex.id, 0.0, float(ex.points), f"Not graded: {detail}"
                )
            )
        return report
    for ex in exercises:
        points, feedback = _judge_one(
            ex, execution, (private or {}).get(ex.id), (expected or {}).get(ex.id)
        )
        report.results.append(
            ExerciseResult(
                execution.path, ex.id, points, float(ex.points), clean_text(feedback, 600)
            )
        )
    return report


def plan(
    paths: Sequence[str],
    chapter: str | None = None,
    only: Sequence[str] | None = None,
    graded: bool = False,
) -> list[list[Exercise]]:
    """Return the exercises to grade for each notebook; raise :class:`GradingError` first.

    Checks every path (exists, not a directory) and chapter before anything runs. With
    ``graded``, only the exercises of graded assignments (not practice-only) count.
    """
    if not paths:
        raise GradingError("no notebooks to grade (did a pattern match nothing?)")
    wanted = [normalize_exercise_id(i) for i in only] if only else None
    out = []
    for path in paths:
        if not Path(path).exists() and not Path(path).is_symlink():
            raise GradingError(f"{path}: no such file")
        if Path(path).is_dir():
            raise GradingError(f"{path}: is a directory, not a notebook")
        ch = chapter_of(path, chapter)
        exercises = exercises_for_chapter(ch)
        if graded:
            exercises = [ex for ex in exercises if not ex.practice_only]
            if not exercises:
                raise GradingError(f"{path}: chapter {ch} has no graded exercises")
        if wanted is not None:
            exercises = [ex for ex in exercises if ex.id in wanted]
            if not exercises:
                raise GradingError(
                    f"{path}: chapter {ch} has none of the exercises {', '.join(wanted)}"
                )
        out.append(exercises)
    return out


def resolve_key(todo: Sequence[Sequence[Exercise]]) -> None:
    """Compute the expected values of the exercises to grade; raise :class:`GradingError`."""
    for exercises in todo:
        for ex in exercises:
            try:
                resolve_all([ex])
            except Exception as exc:  # noqa: BLE001 - a broken key entry is the grader's problem
                raise GradingError(
                    f"the key of exercise {ex.id} cannot be computed ({type(exc).__name__}: "
                    f"{str(exc)[:200]})"
                ) from None


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
    sandbox: bool = True,
    limits: Limits | None = None,
    students: Sequence[str] | None = None,
    max_bytes: int | None = None,
    secret: bytes | None = None,
) -> list[NotebookReport]:
    """Execute and grade notebooks; a notebook that fails is reported, never fatal.

    Parameters
    ----------
    paths : sequence of str
        Notebooks to grade.
    workers : int, default: 1
        Notebooks executed at the same time (each in its own sandbox and kernel).
    timeout : float, default: 120
        Seconds allowed per notebook.
    kernel_name : str, default: "python3"
        The Jupyter kernel.
    chapter : str, optional
        Grade as this chapter (default: from each file name).
    only : sequence of str, optional
        Grade only these exercise ids.
    progress : bool, default: True
        Show a progress bar on stderr (when stderr is a terminal).
    on_done : callable, optional
        Called in this thread with each report as soon as its notebook is graded.
    sandbox : bool, default: True
        Run each notebook inside bubblewrap.
    limits : Limits, optional
        Resource limits per notebook.
    students : sequence of str, optional
        The student id of each notebook (for the report).
    max_bytes : int, optional
        Size cap of a notebook file (default 20 MB).
    secret : bytes, optional
        The instructor's secret of graded assignments (needs ``students``): each student's
        answers are judged against their own variant (see :mod:`calcml.grading.assign`).

    Returns
    -------
    list of NotebookReport
        In the order of ``paths``. Ctrl-C ends the running sandboxes and raises
        ``KeyboardInterrupt`` (reports already handed to ``on_done`` are kept).
    """
    from tqdm.auto import tqdm

    if workers < 1:
        raise ValueError(f"`workers` must be a positive integer; got {workers}")
    if timeout <= 0:
        raise ValueError(f"`timeout` must be positive; got {timeout}")
    if secret is not None and (students is None or len(students) != len(paths)):
        raise ValueError("graded assignments need the student id of every notebook")
    todo = plan(paths, chapter, only, graded=secret is not None)
    resolve_key(todo)  # freeze the key before any student code runs
    expected: list[dict[str, Any]] = [{} for _ in paths]
    if secret is not None:
        from .assign import student_expected

        for i, exercises in enumerate(todo):
            for ex in exercises:
                if ex.variant is not None:
                    expected[i][ex.id] = student_expected(secret, students[i], ex)
    rng = np.random.default_rng()  # fresh OS entropy: points nobody knows in advance
    privates: list[dict[str, Any]] = []
    for exercises in todo:
        drawn = {}
        for ex in exercises:
            try:
                if (p := draw_private_probes(ex, rng)) is not None:
                    drawn[ex.id] = p
            except Exception as exc:  # noqa: BLE001 - a broken sampler: the grader's problem
                raise GradingError(
                    f"the grading-time points of exercise {ex.id} cannot be drawn "
                    f"({type(exc).__name__}: {str(exc)[:200]})"
                ) from None
        privates.append(drawn)
    reports: dict[int, NotebookReport] = {}
    bar = tqdm(
        total=len(paths),
        desc="grading",
        unit="notebook",
        file=sys.stderr,
        disable=None if progress else True,
    )
    stop = threading.Event()

    def run(i: int) -> Execution:
        if stop.is_set():
            return Execution(paths[i], "interrupted", "stopped")
        probes = {
            k: [[_encode_arg(a) for a in args] for args in v[0]] for k, v in privates[i].items()
        }
        extra = {"max_bytes": max_bytes} if max_bytes else {}
        return execute_notebook(
            paths[i], timeout, kernel_name, sandbox=sandbox, limits=limits, probes=probes, **extra
        )

    pool = ThreadPoolExecutor(workers)
    try:
        futures: dict[Future[Execution], int] = {pool.submit(run, i): i for i in range(len(paths))}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                i = futures[future]
                try:
                    execution = future.result()
                except Exception as exc:  # noqa: BLE001 - a grader-side failure for one notebook
                    why = f"grading failed: {type(exc).__name__}"
                    execution = Execution(paths[i], "crashed", why)
                report = grade_execution(
                    execution, todo[i], private=privates[i], expected=expected[i]
                )
                if students is not None:
                    report.student = students[i]
                reports[i] = report
                bar.update(1)
                if on_done:
                    on_done(report)
    except BaseException:
        stop.set()
        for f in futures:
            f.cancel()
        kill_all()
        pool.shutdown(wait=False, cancel_futures=True)
        bar.close()
        raise
    pool.shutdown(wait=True)
    bar.close()
    return [reports[i] for i in range(len(paths))]


def records(reports: Iterable[NotebookReport]) -> list[dict[str, Any]]:
    """Return the rows of all reports as flat dicts (one per exercise)."""
    return [asdict(r) for report in reports for r in report.results]


def csv_safe(value: Any) -> str:
    """Return a CSV cell a spreadsheet will not run as a formula.

    Examples
    --------
    >>> csv_safe("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    """
    text = clean_text(value, 1000)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_header(ids: Sequence[str]) -> list[str]:
    """Columns of the CSV summary."""
    return ["notebook", "student", "status", "points", "max_points", *ids, "detail"]


def csv_row(rep: NotebookReport, ids: Sequence[str]) -> list[str]:
    """One CSV row for a notebook."""
    earned = {r.exercise: r.points for r in rep.results}
    return (
        [csv_safe(rep.notebook), csv_safe(rep.student), rep.status]
        + [f"{rep.points:g}", f"{rep.max_points:g}"]
        + [f"{earned[i]:g}" if i in earned else "" for i in ids]
        + [csv_safe(rep.detail)]
    )


def write_csv(reports: Sequence[NotebookReport], file: IO[str]) -> None:
    """Write a summary: one row per notebook, one column per exercise.

    Columns: ``notebook``, ``student``, ``status``, ``points``, ``max_points``, then each
    exercise id (points earned, empty when not part of that notebook), then ``detail``.
    """
    ids = sorted({r.exercise for rep in reports for r in rep.results if r.exercise})
    writer = csv.writer(file)
    writer.writerow(csv_header(ids))
    for rep in reports:
        writer.writerow(csv_row(rep, ids))
