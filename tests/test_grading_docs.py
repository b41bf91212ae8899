"""docs/instructors.md: every `$` command of the page runs, in order, as written."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calcml.grading._sandbox import sandbox_works

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "instructors.md"


def _commands() -> list[str]:
    commands, fence = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = None if fence else stripped[3:] or "plain"
        elif fence == "console" and (m := re.match(r"\s*\$ (.+)", line)):
            commands.append(m.group(1))
    return commands


def test_the_page_documents_every_flow():
    text = " ".join(_commands())
    for needed in (
        "calcml.grading.assign",
        "--secret-file",
        "--resume",
        "calcml.grading.classroom template",
        "calcml-grade classroom/",
    ):
        assert needed in text


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.skipif(not sandbox_works()[0], reason="bubblewrap cannot run here")
def test_every_command_runs_as_written(tmp_path):
    (tmp_path / "roster.csv").write_text("student,name\nalice,Alice A\nbob,Bob B\n")
    (tmp_path / "exercises").mkdir()
    notebook = ROOT / "exercises" / "02_gradient.ipynb"
    shutil.copy(notebook, tmp_path / "exercises")
    for user in ("alice", "bob"):  # what "Download repositories" gives
        (tmp_path / "repos" / f"hw1-{user}" / "exercises").mkdir(parents=True)
        shutil.copy(notebook, tmp_path / "repos" / f"hw1-{user}" / "exercises")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for command in _commands():
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, (command, result.stderr[-2000:])
    graded = _rows(tmp_path / "grades.csv")
    assert sorted(r["student"] for r in graded) == ["alice", "bob"]
    assert all(r["status"] == "ok" and r["points"] == "0" for r in graded)
    assert [r["status"] for r in _rows(tmp_path / "practice.csv")] == ["ok"]
    assert len(_rows(tmp_path / "classroom-grades.csv")) == 2
    assert (tmp_path / "hw1-template" / ".github" / "workflows" / "classroom.yml").is_file()
