"""GitHub Classroom: the template repository works as a student's push would run it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from calcml.exercise_bank import exercise, exercises_for_chapter
from calcml.grading.classroom import write_template

ROOT = Path(__file__).resolve().parents[1]
GRADER = "calcml[grade] @ git+https://github.com/calcml/multivariate-calculus-ml@v0.1.0"


def test_help_creates_no_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "calcml.grading.classroom", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "template" in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("grader", ["-e .", ".", "calcml[grade]", "git+https://x/y"])
def test_template_refuses_an_unpinned_grader(tmp_path, grader):
    with pytest.raises(ValueError, match="pinned"):
        write_template(["02"], tmp_path / "t", grader, ROOT)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_template(["02"], tmp_path_factory.mktemp("c") / "hw", GRADER, ROOT)


def test_template_has_the_chosen_exercises_and_no_solutions(template):
    files = sorted(str(p.relative_to(template)) for p in template.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/classroom.yml",
        ".gitignore",
        "README.md",
        "_toc.yml",
        "exercises/02_gradient.ipynb",
        "requirements.txt",
    ]
    for path in template.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "solutions/" not in text and "../chapters/" not in text
    toc = yaml.safe_load((template / "_toc.yml").read_text())
    assert (template / f"{toc['root']}.md").is_file()
    for entry in toc["chapters"]:
        assert (template / f"{entry['file']}.ipynb").is_file()
    assert (template / "requirements.txt").read_text().strip() == GRADER


def _steps(template):
    wf = yaml.safe_load((template / ".github/workflows/classroom.yml").read_text())
    return wf["jobs"]["run-autograding-tests"]["steps"]


def test_workflow_installs_the_pinned_grader_and_reports_every_step(template):
    steps = _steps(template)
    installs = [s["run"] for s in steps if "run" in s]
    assert installs == [f'python -m pip install -q "{GRADER}"']
    graded = [s for s in steps if "command" in s.get("with", {})]
    assert [s["with"]["test-name"] for s in graded] == [
        f"Exercise {ex.id}" for ex in exercises_for_chapter(2)
    ]
    reporter = steps[-1]
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graded]
    assert sum(int(s["with"]["max-score"]) for s in graded) == sum(
        ex.points for ex in exercises_for_chapter(2)
    )


def test_a_student_push_runs_the_workflow_commands(template):
    """Fill in 02.1 as a student would, then run every autograding command."""
    path = template / "exercises" / "02_gradient.ipynb"
    nb = nbformat.read(path, as_version=4)
    heading = next(i for i, c in enumerate(nb.cells) if re.match(r"#+ Exercise 02\.1", c.source))
    answer_cell = nb.cells[heading + 1]
    assert answer_cell.source.startswith("answer = None")
    answer_cell.source = f"answer = {exercise('02.1').expected_value().tolist()}"
    nbformat.write(nb, path)
    bin_dir = Path(sys.executable).parent
    codes = {}
    for step in _steps(template):
        command = step.get("with", {}).get("command")
        if command:
            ex_id = re.search(r"--exercise (\S+)", command).group(1)
            argv = command.split()
            argv[0] = str(bin_dir / argv[0])
            codes[ex_id] = subprocess.run(
                argv, cwd=template, capture_output=True, text=True, timeout=300
            ).returncode
    assert codes.pop("02.1") == 0  # full marks
    assert set(codes.values()) == {1}  # the untouched exercises: --require-full fails
