"""The ``calcml-grade`` command: execute exercise notebooks and grade them.

Examples
--------
Grade a class's submissions of chapter 6 with four workers, save a spreadsheet::

    calcml-grade submissions/*/06_directional_derivatives.ipynb --workers 4 --csv grades.csv
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .grader import NotebookReport, grade_notebooks, records, write_csv

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="calcml-grade",
        description=(
            "Execute exercise notebooks in clean kernels and grade the answers they submit. "
            "Answers are judged in this process against calcml's answer key; nothing the "
            "notebook prints or defines is trusted."
        ),
    )
    p.add_argument("notebooks", nargs="+", help="notebooks (.ipynb) to grade")
    p.add_argument("--workers", "-j", type=int, default=1, help="notebooks run in parallel")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per notebook")
    p.add_argument("--json", action="store_true", help="print a JSON list of results")
    p.add_argument("--csv", metavar="FILE", help="write a summary (one row per notebook)")
    p.add_argument("--chapter", help="grade as this chapter (default: from the file name)")
    p.add_argument(
        "--exercise", action="append", metavar="ID", help="grade only this exercise (repeatable)"
    )
    p.add_argument(
        "--require-full",
        action="store_true",
        help="exit with status 1 unless every graded exercise earned full points",
    )
    p.add_argument("--kernel", default="python3", help="Jupyter kernel name")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return p


def _text(report: NotebookReport) -> str:
    status = "" if report.status == "ok" else f"  [{report.status}: {report.detail}]"
    lines = [f"{report.notebook}: {report.points:g}/{report.max_points:g} points{status}"]
    for r in report.results:
        lines.append(f"  {r.exercise or '-':6} {r.points:g}/{r.max_points:g}  {r.feedback}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``calcml-grade``; see ``calcml-grade --help``.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when grading ran (whatever the scores), 1 with ``--require-full`` and missing
        points, 2 for bad options.
    """
    args = _parser().parse_args(argv)
    if args.workers < 1:
        _parser().error("--workers must be at least 1")
    if args.timeout <= 0:
        _parser().error("--timeout must be positive")
    on_done = None if args.json else (lambda rep: print(_text(rep), flush=True))
    reports = grade_notebooks(
        args.notebooks,
        workers=args.workers,
        timeout=args.timeout,
        kernel_name=args.kernel,
        chapter=args.chapter,
        only=args.exercise,
        progress=not args.no_progress,
        on_done=on_done,
    )
    if args.json:
        json.dump(records(reports), sys.stdout, indent=2)
        sys.stdout.write("\n")
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as f:
            write_csv(reports, f)
    if args.require_full:
        rows = [r for rep in reports for r in rep.results]
        if not rows or any(r.points < r.max_points or r.max_points == 0 for r in rows):
            return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
