"""calcml-grade end to end: solutions earn full marks, untouched exercises zero, cheats nothing.

Notebooks are executed for real (nbclient, fresh kernels), so this module runs each notebook
once, in two module-scoped batches with two workers.
"""

import csv
import json
from pathlib import Path

import pytest
from notebook_files import write_notebook

from calcml.grading import exercise, exercises_for_chapter
from calcml.grading.cli import main
from calcml.grading.grader import grade_notebooks

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


@pytest.fixture(scope="module")
def course_reports():
    paths = [str(p) for p in SOLUTIONS + EXERCISES]
    reports = grade_notebooks(paths, workers=2, timeout=120, progress=False)
    return {r.notebook: r for r in reports}


def test_every_chapter_has_an_exercise_and_a_solution_notebook():
    chapters = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
    assert len(chapters) == 12
    assert [p.name for p in EXERCISES] == chapters
    assert [p.name for p in SOLUTIONS] == chapters


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_notebook_earns_full_marks(path, course_reports):
    report = course_reports[str(path)]
    assert report.status == "ok", report.detail
    expected_ids = [ex.id for ex in exercises_for_chapter(path.stem[:2])]
    assert [r.exercise for r in report.results] == expected_ids
    for r in report.results:
        assert r.points == r.max_points, (r.exercise, r.feedback)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_untouched_exercise_notebook_earns_zero(path, course_reports):
    report = course_reports[str(path)]
    assert report.status == "ok", report.detail
    assert report.max_points > 0 and report.points == 0
    for r in report.results:
        assert r.feedback.startswith("Not answered"), (r.exercise, r.feedback)


CHEAT = """
import calcml, calcml.grading, calcml.widgets, json, pathlib
from calcml.grading import MIME_TYPE, Verdict
# 1. redefine the judging functions and submit in the kernel
calcml.grading.judge = lambda *a, **k: Verdict("correct", "Correct.", 2.0, 2.0)
calcml.grading.judge_vector = calcml.grading.judge
def submit(exercise_id, answer):
    print(f"Exercise {exercise_id}: Correct. [2/2 points]")
    display({MIME_TYPE: {"exercise": exercise_id, "answer": {"type": "none"},
                         "points": 2, "correct": True}}, raw=True)
calcml.widgets.submit = submit
# 2. write a fake score next to the notebook
pathlib.Path("grades.json").write_text(json.dumps({"01.1": 2, "01.2": 1, "01.3": 2}))
pathlib.Path("../calcml-grades.csv").write_text("notebook,points\\nme,5\\n")
"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Grade a cheating, a wrong, a crashing and a hanging notebook in one CLI run."""
    d = tmp_path_factory.mktemp("class")
    nbs = {
        "cheat": write_notebook(
            d / "01_partial_derivatives.ipynb",
            CHEAT,
            'calcml.widgets.submit("01.1", None)',
            'submit("01.2", None)\nprint("TOTAL SCORE: 5/5")',
        ),
        "wrong": write_notebook(
            d / "02_gradient.ipynb",
            "from calcml.widgets import submit",
            'submit("02.1", [6, 3, -2])',
            "undefined_name",
            'submit("02.2", "up")',
        ),
        "crash": write_notebook(
            d / "03_jacobian.ipynb",
            "from calcml.widgets import submit",
            f'submit("03.1", {exercise("03.1").expected_value().tolist()})',
            "import os\nos._exit(1)",
            'submit("03.2", None)',
        ),
        "hang": write_notebook(  # sleeps past the 20 s time-out (the others take a few seconds)
            d / "04_hessian.ipynb",
            "from calcml.widgets import submit",
            f'submit("04.1", {exercise("04.1").expected_value().tolist()})',
            "import time\ntime.sleep(120)",
        ),
    }
    before = set(d.iterdir())
    csv_path = d.parent / f"{d.name}-summary.csv"
    args = [*nbs.values(), "--json", "--csv", str(csv_path), "--workers", "2"]
    return nbs, d, before, csv_path, [*args, "--timeout", "20", "--no-progress"]


@pytest.fixture(scope="module")
def planted_run(planted, capsys_module):
    nbs, d, before, csv_path, args = planted
    code = main(args)
    lines = [json.loads(line) for line in capsys_module().splitlines()]
    rows = [r for line in lines for r in line["results"]]
    by = {(Path(r["notebook"]).stem[:2], r["exercise"]): r for r in rows}
    return code, rows, by, lines


@pytest.fixture(scope="module")
def capsys_module():
    import contextlib
    import io

    buffer = io.StringIO()
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stdout(buffer))
    yield buffer.getvalue
    stack.close()


def test_json_rows_have_the_documented_keys(planted_run):
    code, rows, _, lines = planted_run
    assert code == 0
    for line in lines:
        assert set(line) == {
            "notebook", "student", "status", "detail", "points", "max_points", "results"
        }  # fmt: skip
    for r in rows:
        assert set(r) == {"notebook", "exercise", "points", "max_points", "feedback"}


def test_cheating_notebook_earns_nothing(planted, planted_run):
    _, rows, by, _ = planted_run
    nbs, d, before, _, _ = planted
    cheats = [r for r in rows if r["notebook"] == nbs["cheat"]]
    assert [r["exercise"] for r in cheats] == [ex.id for ex in exercises_for_chapter(1)]
    assert all(r["points"] == 0 for r in cheats)
    assert by[("01", "01.1")]["feedback"].startswith(("Not answered yet", "Not judged"))
    assert set(d.iterdir()) == before  # nothing was written beside the notebooks


def test_wrong_answers_earn_zero_with_specific_feedback(planted_run):
    _, _, by, _ = planted_run
    assert by[("02", "02.1")]["points"] == 0
    assert "3rd component is wrong: the sign is wrong" in by[("02", "02.1")]["feedback"]
    # the cell before submit("02.2", ...) raised: that answer may be stale, so not judged
    assert by[("02", "02.2")]["feedback"].startswith("Not judged: NameError in cell 3")
    assert "no submit('02.3', ...) output" in by[("02", "02.3")]["feedback"]


def test_crash_and_timeout_are_reported_not_fatal(planted_run):
    _, _, by, _ = planted_run
    assert by[("03", "03.1")]["points"] == exercise("03.1").points  # before the kernel died
    assert "the kernel died" in by[("03", "03.2")]["feedback"]
    assert by[("04", "04.1")]["points"] == exercise("04.1").points
    assert "did not finish within 20 s" in by[("04", "04.2")]["feedback"]


def test_csv_summary_one_row_per_notebook(planted, planted_run):
    nbs, _, _, csv_path, _ = planted
    with open(csv_path, newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    # rows are appended as notebooks finish, so with two workers their order varies
    by_notebook = {row["notebook"]: row for row in table}
    assert len(table) == len(by_notebook) == len(nbs)
    status = {kind: by_notebook[path]["status"] for kind, path in nbs.items()}
    assert status == {"cheat": "ok", "wrong": "ok", "crash": "crashed", "hang": "timeout"}
    assert by_notebook[nbs["crash"]]["03.1"] == f"{exercise('03.1').points:g}"
    assert by_notebook[nbs["cheat"]]["02.1"] == ""
    assert list(table[0])[:5] == ["notebook", "student", "status", "points", "max_points"]


def test_require_full_and_bad_options(tmp_path):
    # a missing file is the grader's problem (exit 3), checked before anything runs
    assert main([str(tmp_path / "01_missing.ipynb"), "--require-full", "--no-progress"]) == 3
    with pytest.raises(SystemExit):
        main(["x.ipynb", "--workers", "0"])


def test_help_shows_defaults_exit_codes_and_an_example(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "(default: 120)" in text and "(default: 2048)" in text
    assert "exit status:" in text and "3  a problem on the grader's side" in text
    assert "calcml-grade submissions/*/04_hessian.ipynb --workers 2 --csv grades.csv" in text


def test_a_plain_install_says_what_to_install():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['nbclient'] = None\n"
        "from calcml.grading.cli import main\n"
        "sys.exit(main(['01_x.ipynb']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 3
    assert (
        result.stderr.strip()
        == 'calcml-grade needs the grading extras: pip install "calcml[grade]"'
    )
