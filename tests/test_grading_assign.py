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
from calcml.grading import evaluate_at_probes, judge, judge_function
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


# --- Part II (chapters 10-12) ---------------------------------------------------------------

STUDENTS = [f"s{i:03d}" for i in range(60)]


def _drawn(ex_id: str) -> list[dict]:
    ex = exercise(ex_id)
    return [student_params(SECRET, s, ex) for s in STUDENTS]


@pytest.mark.parametrize("chapter", ["10", "11", "12"])
def test_part_two_chapters_have_per_student_numbers(chapter):
    with_variant = [ex for ex in graded_exercises(chapter) if ex.variant is not None]
    assert with_variant, chapter
    for ex in with_variant:
        answers = [student_expected(SECRET, s, ex) for s in STUDENTS]
        public = np.asarray(ex.expected_value(), dtype=float)
        assert all(a.shape == public.shape and np.isfinite(a).all() for a in answers), ex.id
        distinct = {tuple(np.round(np.ravel(a), 9)) for a in answers}
        assert len(distinct) >= 10, (ex.id, len(distinct))  # classmates rarely share an answer
        prompts = {ex.variant.prompt(student_params(SECRET, s, ex)) for s in STUDENTS}
        assert len(prompts) >= 20 and ex.variant.prompt(ex.variant.public) not in prompts


def test_variant_10_3_is_the_gradient_of_the_quadratic():
    from calcml import grad

    for p in _drawn("10.3"):
        A, a = np.asarray(p["A"], float), np.asarray(p["a"], float)
        assert A[0, 1] != A[1, 0]  # 2 A x would be wrong
        f = grad(lambda x, A=A, a=a: x @ A @ x + a @ x, vectorized=False)
        g = f(np.asarray(p["x"], float))
        np.testing.assert_allclose(VARIANTS["10.3"].expected(p), g, atol=1e-6)


def test_variant_10_4_has_a_nonzero_upstream_gradient():
    from calcml import grad

    for p in _drawn("10.4"):
        W, x = np.asarray(p["W"], float), np.asarray(p["x"], float)
        assert np.any(W @ x != 0)
        f = grad(lambda w, x=x: 0.5 * np.sum((w.reshape(2, 3) @ x) ** 2), vectorized=False)
        g = f(W.ravel())
        np.testing.assert_allclose(VARIANTS["10.4"].expected(p), g.reshape(2, 3), atol=1e-6)


@pytest.mark.parametrize("ex_id", ["11.1", "12.2"])
def test_quadratic_variants_stay_positive_definite(ex_id):
    for p in _drawn(ex_id):
        H = np.array([[2 * p["a"], p["k"]], [p["k"], 2 * p["c"]]], dtype=float)
        lo, hi = np.linalg.eigvalsh(H)
        assert lo > 0 and p["k"] != 0
        want = 2 / hi if ex_id == "11.1" else lo
        np.testing.assert_allclose(VARIANTS[ex_id].expected(p), want, rtol=1e-12)


def test_variant_11_2_is_the_smallest_batch():
    for p in _drawn("11.2"):
        B = VARIANTS["11.2"].expected(p)
        assert B == int(B) and p["s2"] / B <= float(p["tol"]) < p["s2"] / (B - 1)


def test_variant_11_3_runs_adams_recursion():
    for p in _drawn("11.3"):
        assert p["g1"] != p["g2"]  # else the corrected moment is g_1 itself, a free answer
        m = 0.0
        for g in (p["g1"], p["g2"]):
            m = p["beta"] * m + (1 - p["beta"]) * g
        np.testing.assert_allclose(VARIANTS["11.3"].expected(p), m / (1 - p["beta"] ** 2))


def test_variant_12_3_satisfies_the_lagrange_conditions():
    for p in _drawn("12.3"):
        x, y, nu = VARIANTS["12.3"].expected(p)
        assert p["a"] > 0 and p["b"] > 0  # strictly convex: the stationary point is the minimum
        np.testing.assert_allclose([2 * p["a"] * x + nu, 2 * p["b"] * y + nu], 0, atol=1e-12)
        assert abs(x + y - p["s"]) < 1e-12


def test_a_variant_answer_equal_to_a_public_mistake_is_right():
    """12.2's bank flags 2.0 (an eigenvalue of the wrong matrix); for a = c = 3, k = 4 it is mu."""
    ex = exercise("12.2")
    expected = np.asarray(ex.variant.expected({"a": 3, "k": 4, "c": 3}), dtype=float)
    assert judge(ex, 2.0).status == "wrong"  # the self-study version: a known mistake
    assert judge(ex, 2.0, expected=expected).correct  # this student's own answer


def test_part_two_round_trip(tmp_path):
    """Assign chapter 12 to two students; own answers earn full marks, a classmate's zero."""
    (tmp_path / "roster.csv").write_text("student\nalice\nbob\n")
    (tmp_path / "secret.key").write_bytes(SECRET)
    keys = ["--roster", str(tmp_path / "roster.csv"), "--secret-file", str(tmp_path / "secret.key")]
    out = tmp_path / "assignments"
    assert assign_main(keys + ["--chapter", "12", "--out", str(out)]) == 0
    graded = [ex for ex in graded_exercises(12) if ex.variant is not None]
    assert [ex.id for ex in graded] == ["12.2", "12.3"]
    own = {
        s: {ex.id: student_expected(SECRET, s, ex).tolist() for ex in graded}
        for s in ("alice", "bob")
    }
    for ex in graded:
        assert not np.allclose(own["alice"][ex.id], own["bob"][ex.id], rtol=ex.rtol, atol=ex.atol)
    closest = "def closest_point(a1, a2, a3, b):\n    a = np.array([a1, a2, a3])\n"
    closest += "    return b * a / (a @ a)\n\n\nimport numpy as np\nanswer = closest_point"
    # alice answers with her own numbers; bob copies alice's answers into his notebook
    for student in ("alice", "bob"):
        path = out / student / "12_convexity_constraints.ipynb"
        answers = {k: f"answer = {v!r}" for k, v in own["alice"].items()}
        _fill(path, {**answers, "12.5": closest})
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = grade_main(
            [str(out / s / "12_convexity_constraints.ipynb") for s in ("alice", "bob")]
            + keys
            + ["--json", "--no-progress", "--workers", "2", "--timeout", "90"]
        )
    assert code == 0
    reports = {r["student"]: r for r in map(json.loads, buf.getvalue().splitlines())}
    points = {
        s: {r["exercise"]: r["points"] for r in reports[s]["results"]} for s in ("alice", "bob")
    }
    full = {ex.id: ex.points for ex in graded_exercises(12)}
    assert points["alice"] == full, reports["alice"]
    assert points["bob"] == {"12.2": 0, "12.3": 0, "12.5": full["12.5"]}, reports["bob"]
