"""Graded assignments: one notebook per student, with the student's own numbers.

``python -m calcml.grading.assign --roster roster.csv --secret-file secret.key --chapter 04
--out assignments`` writes ``assignments/<student>/04_hessian.ipynb`` for every student of
the roster. Each graded exercise (one with a per-student variant, or a function exercise
checked at points drawn at grading time) gets numbers drawn from an HMAC of the secret, the
student id and the exercise id. The notebook holds no expected value, and its ``submit``
cells check only the form of an answer (``graded=True``).

Collect the notebooks back into ``<dir>/<student>/`` (the layout above) and grade with
``calcml-grade --roster roster.csv --secret-file secret.key <dir>/*/04_hessian.ipynb``: the
student id comes from the folder the notebook was collected into, never from the notebook.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..exercise_bank import Exercise, exercises_for_chapter

__all__ = [
    "graded_exercises",
    "read_roster",
    "read_secret",
    "student_expected",
    "student_params",
    "write_assignment",
]

STEMS = {
    "01": "01_partial_derivatives",
    "02": "02_gradient",
    "03": "03_jacobian",
    "04": "04_hessian",
    "05": "05_laplacian",
    "06": "06_directional_derivatives",
    "07": "07_chain_rule",
    "08": "08_critical_points",
    "09": "09_gradient_descent",
    "10": "10_matrix_calculus",
    "11": "11_stochastic_optimisation",
    "12": "12_convexity_constraints",
}
_STUDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def read_secret(path: str) -> bytes:
    """Read the instructor's secret (at least 16 bytes); raise ValueError otherwise.

    Create one with ``python -c "import secrets; print(secrets.token_hex(32))" > secret.key``
    and keep it out of every repository students can read.
    """
    data = Path(path).read_bytes().strip()
    if len(data) < 16:
        raise ValueError(f"{path}: the secret must be at least 16 bytes (got {len(data)})")
    return data


def read_roster(path: str) -> list[str]:
    """Read student ids from a CSV file (a ``student`` column, else the first column).

    Ids must be folder-safe: letters, digits, ``.``, ``_`` and ``-`` (e.g. GitHub user names).

    Raises
    ------
    ValueError
        For an empty roster, a bad id or a duplicate.
    """
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    if not rows:
        raise ValueError(f"{path}: the roster is empty")
    header = [c.strip().lower() for c in rows[0]]
    column = header.index("student") if "student" in header else 0
    if "student" in header:
        rows = rows[1:]
    ids = [r[column].strip() for r in rows if len(r) > column]
    for sid in ids:
        if not _STUDENT.fullmatch(sid):
            raise ValueError(
                f"{path}: {sid[:40]!r} is not a usable student id (letters, digits, . _ -)"
            )
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: the roster lists a student twice")
    return ids


def graded_exercises(chapter: str | int) -> list[Exercise]:
    """Return the exercises of a chapter that graded assignments contain.

    Examples
    --------
    >>> [ex.id for ex in graded_exercises(4)]
    ['04.1', '04.5']
    """
    return [ex for ex in exercises_for_chapter(chapter) if not ex.practice_only]


def _rng(secret: bytes, student: str, exercise_id: str) -> np.random.Generator:
    digest = hmac.new(secret, f"{student}\x00{exercise_id}".encode(), hashlib.sha256).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


def student_params(secret: bytes, student: str, ex: Exercise) -> dict[str, Any] | None:
    """Return one student's numbers for an exercise (None without a variant).

    Never the self-study numbers, whose answer is public.

    Examples
    --------
    >>> from calcml.exercise_bank import exercise
    >>> p = student_params(b"0123456789abcdef", "alice", exercise("04.1"))
    >>> p == student_params(b"0123456789abcdef", "alice", exercise("04.1"))
    True
    >>> p == exercise("04.1").variant.public
    False
    """
    variant = ex.variant
    if variant is None:
        return None
    rng = _rng(secret, student, ex.id)
    params = variant.params(rng)
    while params == variant.public:
        params = variant.params(rng)
    return params


def student_expected(secret: bytes, student: str, ex: Exercise) -> Any:
    """Return the expected answer of one student's variant (None without a variant)."""
    params = student_params(secret, student, ex)
    if params is None:
        return None
    value = ex.variant.expected(params)
    return str(value) if ex.kind == "choice" else np.asarray(value, dtype=float)


def _answer_cell(ex: Exercise) -> str:
    if ex.kind == "function":
        m = re.search(r"`(\w+)\(([^)`]*)\)`", ex.prompt)
        name, args = (m.group(1), m.group(2)) if m else ("my_function", "*args")
        return (
            f"def {name}({args}):\n    raise NotImplementedError  # write the body\n\n\n"
            f"answer = {name}"
        )
    return "answer = None  # replace None with your answer"


def write_assignment(student: str, chapter: str | int, secret: bytes, out_dir: str | Path) -> Path:
    """Write one student's graded notebook for a chapter.

    Returns
    -------
    Path
        ``out_dir/<student>/<NN_stem>.ipynb``.
    """
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    ch = f"{int(chapter):02d}"
    exercises = graded_exercises(ch)
    if not exercises:
        raise ValueError(f"chapter {ch} has no graded exercises")
    cells = [
        new_markdown_cell(
            f"# Chapter {int(ch)}: graded exercises\n\n"
            "The numbers below are yours alone. `submit` checks only the **form** of each "
            "answer (a number, a 2 x 2 matrix, a function...); your instructor grades the "
            "answers after the deadline. Keep the file name and the `submit` cells as they "
            f"are. The chapter: [{STEMS.get(ch, ch)}](../chapters/{STEMS.get(ch, ch)}.ipynb)."
        ),
        new_code_cell(
            "import calcml  # noqa: F401 (for your answers)\nfrom calcml.widgets import submit"
        ),
    ]
    for ex in exercises:
        params = student_params(secret, student, ex)
        prompt = ex.variant.prompt(params) if params is not None else ex.prompt
        cells.append(new_markdown_cell(f"### Exercise {ex.id}\n\n{prompt}"))
        cells.append(new_code_cell(_answer_cell(ex)))
        cells.append(new_code_cell(f'submit("{ex.id}", answer, graded=True)'))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = Path(out_dir) / student / f"{STEMS.get(ch, ch + '_exercises')}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Write every student's graded notebook; see ``--help``."""
    p = argparse.ArgumentParser(
        prog="python -m calcml.grading.assign",
        description="Write one graded notebook per student of a roster, with their own numbers.",
        epilog="example:\n  python -m calcml.grading.assign --roster roster.csv "
        "--secret-file secret.key --chapter 04 --out assignments",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--roster", required=True, help="CSV of student ids (a 'student' column)")
    p.add_argument("--secret-file", required=True, help="the instructor's secret (keep private)")
    p.add_argument("--chapter", required=True, action="append", help="chapter (repeatable)")
    p.add_argument("--out", required=True, help="folder for <student>/<NN_stem>.ipynb")
    args = p.parse_args(argv)
    try:
        students = read_roster(args.roster)
        secret = read_secret(args.secret_file)
        chapters = [f"{int(c):02d}" for c in args.chapter]
    except (OSError, ValueError) as exc:
        print(f"assign: error: {exc}", file=sys.stderr)
        return 3
    for ch in chapters:
        if not graded_exercises(ch):
            print(f"assign: error: chapter {ch} has no graded exercises", file=sys.stderr)
            return 3
    for student in students:
        for ch in chapters:
            write_assignment(student, ch, secret, args.out)
    print(f"wrote {len(students) * len(chapters)} notebooks into {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
