"""Graded assignments: per-student numbers, form-only feedback, grading by collection folder."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import nbformat
import numpy as np
import pytest

from calcml.exercise_bank import exercise
from calcml.exercise_bank._variants import SAMPLERS, VARIANTS
from calcml.grading import evaluate_at_probes, judge_function
from calcml.grading.assign import (
    graded_exercises,
    student_expected,
    student_params,
)
from calcml.grading.assign import (
    main as assign_main,
)
from calcml.grading.cli import main as grade_main
from calcml.grading.grader import _encode_arg, draw_private_probes
from calcml.widgets._submit import _decode_arg, submission_bundle

SECRET = b"test-secret-0123456789abcdef"
TANGENT = """import numpy as np


def tangent(x, y):
    g = np.array([-8.0 * y, 2.0 * x])
    return g / np.linalg.norm(g)


answer = tangent"""


def test_variants_reproduce_the_public_exercise():
    for ex_id, variant in VARIANTS.items():
        ex = exercise(ex_id)
        public = np.asarray(variant.expected(variant.public), dtype=float)
        expected = ex.expected_value()
        if ex.unordered:
            public, expected = np.sort(public), np.sort(expected)
        np.testing.assert_allclose(public, expected, err_msg=ex_id)


def test_each_student_gets_their_own_numbers():
    ex = exercise("02.1")
    alice, bob = (student_params(SECRET, s, ex) for s in ("alice", "bob"))
    assert alice != bob and alice != ex.variant.public
    assert student_params(SECRET, "alice", ex) == alice  # reproducible from the secret
    assert student_params(b"another-secret-0123456", "alice", ex) != alice


def test_graded_feedback_reveals_only_the_form():
    right = submission_bundle("02.1", [6, 3, 2], graded=True)["text/plain"]
    wrong = submission_bundle("02.1", [1, 1, 1], graded=True)["text/plain"]
    assert (
        right
        == wrong
        == (
            "Exercise 02.1: Recorded: a vector of 3 numbers. It is graded after the deadline. "
            "[0/2 points]"
        )
    )
    assert (
        "Expected a vector of 3 numbers"
        in submission_bundle("02.1", [1, 2], graded=True)["text/plain"]
    )


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    d = tmp_path_factory.mktemp("course")
    (d / "roster.csv").write_text("student,name\nalice,Alice A\nbob,Bob B\n")
    (d / "secret.key").write_bytes(SECRET)
    code = assign_main(
        ["--roster", str(d / "roster.csv"), "--secret-file", str(d / "secret.key")]
        + ["--chapter", "02", "--out", str(d / "assignments")]
    )
    assert code == 0
    return d


def _fill(path: Path, answers: dict[str, str]) -> None:
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for ex_id, source in answers.items():
            if cell.source.startswith(f"### Exercise {ex_id}"):
                nb.cells[i + 1].source = source
    nbformat.write(nb, path)


def test_assignment_notebooks_hold_own_numbers_and_no_answers(graded_class):
    d = graded_class
    alice = (d / "assignments" / "alice" / "02_gradient.ipynb").read_text()
    bob = (d / "assignments" / "bob" / "02_gradient.ipynb").read_text()
    a = student_params(SECRET, "alice", exercise("02.1"))
    assert f"$({a['a']}, {a['b']}, {a['c']})$" in alice and alice != bob
    assert [ex.id for ex in graded_exercises(2)] == ["02.1", "02.4", "02.5"]
    nb = nbformat.reads(alice, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert 'submit("02.1", answer, graded=True)' in [c.source for c in nb.cells]


def test_grading_uses_the_collection_folder_not_the_notebook(graded_class):
    d = graded_class
    collected = d / "collected"
    for student in ("alice", "bob"):
        (collected / student).mkdir(parents=True)
    alice_nb = collected / "alice" / "02_gradient.ipynb"
    alice_nb.write_bytes((d / "assignments" / "alice" / "02_gradient.ipynb").read_bytes())
    mine = student_expected(SECRET, "alice", exercise("02.1")).tolist()
    _fill(alice_nb, {"02.1": f"answer = {mine}", "02.5": TANGENT})
    # bob hands in alice's solved notebook, and claims to be alice in its metadata
    nb = nbformat.read(alice_nb, as_version=4)
    nb.metadata["calcml"] = {"student": "alice"}
    nbformat.write(nb, collected / "bob" / "02_gradient.ipynb")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = grade_main(
            [str(collected / s / "02_gradient.ipynb") for s in ("alice", "bob")]
            + ["--roster", str(d / "roster.csv"), "--secret-file", str(d / "secret.key")]
            + ["--json", "--no-progress", "--workers", "2", "--timeout", "90"]
        )
    assert code == 0
    reports = {r["student"]: r for r in map(json.loads, out.getvalue().splitlines())}
    alice = {r["exercise"]: r["points"] for r in reports["alice"]["results"]}
    bob = {r["exercise"]: r["points"] for r in reports["bob"]["results"]}
    assert alice == {"02.1": 2, "02.4": 0, "02.5": 2}, reports["alice"]  # 02.4 not done
    assert bob["02.1"] == 0  # alice's numbers are not bob's
    assert bob["02.5"] == 2  # a function that works everywhere is right for everyone


def test_a_folder_outside_the_roster_is_refused(graded_class, capsys):
    d = graded_class
    (d / "mallory").mkdir()
    path = d / "mallory" / "02_gradient.ipynb"
    path.write_bytes((d / "assignments" / "alice" / "02_gradient.ipynb").read_bytes())
    code = grade_main(
        [str(path), "--roster", str(d / "roster.csv"), "--secret-file", str(d / "secret.key")]
    )
    assert code == 3
    assert "'mallory' is not a student of the roster" in capsys.readouterr().err


@pytest.mark.parametrize("ex_id", sorted(SAMPLERS))
def test_grading_time_points_travel_to_the_kernel_and_back(ex_id):
    """Points drawn by the grader, sent as JSON, decoded in the kernel, give the same values."""
    ex = exercise(ex_id)
    assert not ex.practice_only
    args, expected = draw_private_probes(ex, np.random.default_rng(7))
    assert len(args) >= 3 and all(np.isfinite(np.asarray(v)).all() for v in expected)
    wire = json.loads(json.dumps([[_encode_arg(a) for a in t] for t in args]))
    decoded = [tuple(_decode_arg(a) for a in t) for t in wire]
    values = evaluate_at_probes(ex.expected, decoded)
    assert judge_function(values, args, expected, rtol=ex.rtol, atol=ex.atol).correct
