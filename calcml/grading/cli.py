"""The ``calcml-grade`` command: run exercise notebooks in sandboxes and grade them.

Examples
--------
Grade a class's submissions of chapter 6 with two workers, keeping a spreadsheet::

    calcml-grade submissions/*/06_directional_derivatives.ipynb --workers 2 --csv grades.csv
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

__all__ = ["main"]

EXIT_OK, EXIT_NOT_FULL, EXIT_USAGE, EXIT_GRADER = 0, 1, 2, 3
INSTALL_HINT = 'calcml-grade needs the grading extras: pip install "calcml[grade]"'

EPILOG = """\
exit status:
  0  every notebook was graded (whatever the scores)
  1  --require-full and some exercise did not earn full points
  2  bad options (usage)
  3  a problem on the grader's side: a missing file, a pattern that matched nothing, a
     chapter that cannot be told, an unknown kernel, an unwritable --csv/--jsonl, no
     sandbox (bubblewrap) without --no-sandbox; checked before any notebook runs
  130 interrupted (Ctrl-C): rows already written are kept; rerun with --resume

examples:
  calcml-grade submissions/*/04_hessian.ipynb --workers 2 --csv grades.csv
      each notebook runs in its own bubblewrap sandbox (no network, private HOME and
      /tmp, read-only system, 2 GB memory); rows are appended to grades.csv as notebooks
      finish
  calcml-grade collected/*/04_hessian.ipynb --roster roster.csv --secret-file secret.key
      per-student assignments (python -m calcml.grading.assign), see docs/instructors.md
"""


def _cores() -> int:
    """Return how many CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _parser() -> argparse.ArgumentParser:
    workers = _cores() + 1
    p = argparse.ArgumentParser(
        prog="calcml-grade",
        description=(
            "Execute exercise notebooks, each in its own sandbox and fresh kernel, and grade "
            "the answers they submit. Answers are judged in this process; nothing else the "
            "notebook prints, defines or writes is trusted."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("notebooks", nargs="+", help="notebooks (.ipynb) or quoted glob patterns")
    p.add_argument(
        "--workers",
        "-j",
        type=int,
        default=workers,
        help=(
            f"notebooks run in parallel (default: {workers}, one more than this machine's "
            "cores: each notebook also waits for its kernel to start)"
        ),
    )
    p.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per notebook (default: 120)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per notebook (status, detail, points, results) per line",
    )
    p.add_argument("--csv", metavar="FILE", help="append one row per notebook as it finishes")
    p.add_argument("--jsonl", metavar="FILE", help="append one JSON line per notebook")
    p.add_argument(
        "--resume",
        action="store_true",
        help="skip notebooks already in --csv/--jsonl (after an interruption)",
    )
    p.add_argument("--chapter", help="grade as this chapter (default: from the file name NN_...)")
    p.add_argument(
        "--exercise", action="append", metavar="ID", help="grade only this exercise (repeatable)"
    )
    p.add_argument(
        "--require-full",
        action="store_true",
        help="exit with status 1 unless every graded exercise earned full points",
    )
    p.add_argument("--kernel", default="python3", help="Jupyter kernel name (default: python3)")
    p.add_argument(
        "--memory-mb", type=int, default=2048, help="memory limit per notebook (default: 2048)"
    )
    p.add_argument(
        "--max-notebook-mb", type=float, default=20, help="largest notebook file (default: 20)"
    )
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run without bubblewrap (UNSAFE for untrusted work; prints what it exposes)",
    )
    p.add_argument(
        "--roster",
        metavar="CSV",
        help="class roster; the student id is the folder each notebook was collected into "
        "(DIR/<student>/NN_x.ipynb), never read from the notebook",
    )
    p.add_argument(
        "--secret-file",
        metavar="FILE",
        help="grade per-student assignments (python -m calcml.grading.assign) with this "
        "secret; needs --roster",
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return p


def _text(report: Any) -> str:
    from ._execute import clean_text

    status = "" if report.status == "ok" else f"  [{report.status}: {report.detail}]"
    name = clean_text(report.notebook, 1000)  # a file name may hold terminal escapes
    lines = [f"{name}: {report.points:g}/{report.max_points:g} points{status}"]
    for r in report.results:
        lines.append(f"  {r.exercise or '-':6} {r.points:g}/{r.max_points:g}  {r.feedback}")
    return "\n".join(lines)


def _expand(patterns: Sequence[str]) -> list[str]:
    from .grader import GradingError

    paths: list[str] = []
    for pattern in patterns:
        if any(ch in pattern for ch in "*?[") and not os.path.lexists(pattern):
            found = sorted(glob.glob(pattern))
            if not found:
                raise GradingError(f"the pattern {pattern!r} matched no file")
            paths += found
        else:
            paths.append(pattern)
    return paths


def _done_notebooks(args: argparse.Namespace) -> set[str]:
    done: set[str] = set()
    if args.csv and Path(args.csv).exists():
        with open(args.csv, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                name = row.get("notebook", "")
                done.add(name[1:] if name[:2] in ("'=", "'+", "'-", "'@") else name)
    if args.jsonl and Path(args.jsonl).exists():
        with open(args.jsonl, encoding="utf-8") as f:
            for line in f:
                try:
                    done.add(json.loads(line)["notebook"])
                except (ValueError, KeyError, TypeError):
                    continue
    return done


def _open_outputs(args: argparse.Namespace, ids: list[str]) -> list[IO[str]]:
    """Open --csv/--jsonl for appending (checked before any notebook runs)."""
    from .grader import GradingError, csv_header

    files: list[IO[str]] = []
    for name in filter(None, [args.csv, args.jsonl]):
        exists = Path(name).exists() and Path(name).stat().st_size > 0
        mode = "a" if args.resume and exists else "w"
        try:
            f = open(name, mode, newline="", encoding="utf-8")  # noqa: SIM115 - kept open
        except OSError as exc:
            for g in files:
                g.close()
            raise GradingError(f"cannot write {name}: {exc.strerror}") from None
        files.append(f)
        if name == args.csv:
            if mode == "a":
                with open(name, newline="", encoding="utf-8") as r:
                    header = next(csv.reader(r), [])
                if header != csv_header(ids):
                    raise GradingError(f"{name} has other columns; resume with the same notebooks")
            else:
                csv.writer(f).writerow(csv_header(ids))
                f.flush()
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``calcml-grade``; see ``calcml-grade --help``.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status (see ``--help``): 0 graded, 1 ``--require-full`` unmet, 2 usage,
        3 a grader-side problem, 130 interrupted.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.timeout <= 0:
        parser.error("--timeout must be positive")
    if args.memory_mb < 256:
        parser.error("--memory-mb must be at least 256")
    if args.resume and not (args.csv or args.jsonl):
        parser.error("--resume needs --csv or --jsonl (the file that says what is done)")
    try:
        import jupyter_client  # noqa: F401
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        import tqdm  # noqa: F401
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return EXIT_GRADER
    from ._execute import MAX_NOTEBOOK_BYTES
    from ._sandbox import UNSANDBOXED_WARNING, Limits, sandbox_works
    from .grader import (
        GradingError,
        csv_row,
        grade_notebooks,
        normalize_exercise_id,
        plan,
        resolve_key,
    )

    def fail(message: str) -> int:
        print(f"calcml-grade: error: {message}", file=sys.stderr)
        return EXIT_GRADER

    try:
        only = [normalize_exercise_id(i) for i in args.exercise] if args.exercise else None
    except GradingError as exc:
        parser.error(str(exc))
    if args.secret_file and not args.roster:
        parser.error("--secret-file needs --roster")
    secret = None
    students = None
    try:
        paths = _expand(args.notebooks)
        todo = plan(paths, args.chapter, only, graded=bool(args.secret_file))
        resolve_key(todo)
        if args.roster:
            from .assign import read_roster, read_secret

            roster = set(read_roster(args.roster))
            students = [Path(p).parent.name for p in paths]
            for path, sid in zip(paths, students, strict=True):
                if sid not in roster:
                    raise GradingError(
                        f"{path}: the folder {sid!r} is not a student of the roster (collect "
                        "each notebook into DIR/<student>/)"
                    )
            if args.secret_file:
                secret = read_secret(args.secret_file)
    except (GradingError, OSError, ValueError) as exc:
        return fail(str(exc))
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(args.kernel)
    except NoSuchKernel:
        return fail(f"no Jupyter kernel named {args.kernel!r} (see `jupyter kernelspec list`)")
    if args.no_sandbox:
        print(UNSANDBOXED_WARNING, file=sys.stderr)
    else:
        ok, why = sandbox_works()
        if not ok:
            return fail(
                f"cannot isolate students' code: {why}. Install bubblewrap (Debian/Ubuntu: "
                "apt-get install bubblewrap) or grade inside a container (see "
                "docs/instructors.md); --no-sandbox runs without isolation (unsafe)."
            )
    ids = sorted({ex.id for exercises in todo for ex in exercises})
    try:
        files = _open_outputs(args, ids)
    except GradingError as exc:
        return fail(str(exc))
    if args.resume:
        done = _done_notebooks(args)
        keep = [i for i, p in enumerate(paths) if p not in done]
        paths = [paths[i] for i in keep]
        students = [students[i] for i in keep] if students else None
    csv_file = files[0] if args.csv else None
    jsonl_file = files[-1] if args.jsonl else None
    reports = []

    def on_done(report: Any) -> None:
        reports.append(report)
        if csv_file:
            csv.writer(csv_file).writerow(csv_row(report, ids))
            csv_file.flush()
        if jsonl_file:
            jsonl_file.write(json.dumps(report.record()) + "\n")
            jsonl_file.flush()
        if args.json:
            sys.stdout.write(json.dumps(report.record()) + "\n")
        else:
            print(_text(report))
        sys.stdout.flush()

    limits = Limits(memory_mb=args.memory_mb, cpu_seconds=int(args.timeout) + 30)
    try:
        if paths:
            grade_notebooks(
                paths,
                workers=args.workers,
                timeout=args.timeout,
                kernel_name=args.kernel,
                chapter=args.chapter,
                only=only,
                progress=not args.no_progress,
                on_done=on_done,
                sandbox=not args.no_sandbox,
                limits=limits,
                max_bytes=int(args.max_notebook_mb * 1024 * 1024) or MAX_NOTEBOOK_BYTES,
                students=students,
                secret=secret,
            )
    except GradingError as exc:  # raised before any notebook runs
        return fail(str(exc))
    except KeyboardInterrupt:
        kept = f"; their rows are in {args.csv or args.jsonl}, rerun with --resume" if files else ""
        print(
            f"\ncalcml-grade: interrupted after {len(reports)} of {len(paths)} notebooks{kept}",
            file=sys.stderr,
        )
        return 130
    finally:
        for f in files:
            f.close()
    if args.require_full:
        rows = [r for rep in reports for r in rep.results]
        if not rows or any(r.points < r.max_points or r.max_points == 0 for r in rows):
            return EXIT_NOT_FULL
    return EXIT_OK


def entry_point() -> None:  # pragma: no cover - the console script
    """Run the ``calcml-grade`` console script."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
