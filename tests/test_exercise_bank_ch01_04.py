"""The reference answers of chapters 1-4's derivation and code exercises are the formulas asked for.

Each reference is checked against an independent computation (a numerical minimum, calcml's
derivatives, a geometric property), so a typo in the key fails here, not in a learner's grade.
"""

import numpy as np

import calcml
from calcml.grading import EXERCISES


def test_best_central_step_minimises_the_error_model():
    ex = EXERCISES["01.4"]
    for (eps, g0, g3), h_star in zip(ex.probes, ex.expected_value(), strict=True):
        h = h_star * np.linspace(0.5, 1.5, 2001)
        model = h**2 * abs(g3) / 6 + eps * abs(g0) / h
        assert abs(h[model.argmin()] / h_star - 1) < 1e-3


def test_central_difference_error_and_bug_index():
    # 01.3: 2 (1 + t)^3 has g''' = 12, so the central error is exactly h^2 * 12 / 6
    assert EXERCISES["01.3"].expected_value() == 0.02
    # 01.6: the reference gradient matches calcml's at the small step
    ex = EXERCISES["01.6"]
    loss, w, h = ex.probes[0]
    np.testing.assert_allclose(ex.expected_value()[0], calcml.grad(loss)(w), atol=1e-8)


def test_level_curve_tangent_is_orthogonal_to_the_gradient():
    ex = EXERCISES["02.5"]
    for (x, y), t in zip(ex.probes, ex.expected_value(), strict=True):
        g = calcml.grad(lambda x, y: x**2 + 4 * y**2)(x, y)
        assert abs(g @ t) < 1e-8 and abs(np.linalg.norm(t) - 1) < 1e-12
        assert g[0] * t[1] - g[1] * t[0] > 0  # counterclockwise: g turned by +90 deg


def test_tangent_plane_is_first_order_accurate():
    ex = EXERCISES["02.4"]
    plane = dict(zip(ex.probes, ex.expected_value(), strict=True))
    assert plane[(3.0, 4.0)] == 5.0
    assert abs(plane[(3.1, 3.9)] - np.hypot(3.1, 3.9)) < 0.01  # error O(|d|^2)


def test_jacobian_and_hessian_references_match_calcml():
    ex = EXERCISES["03.5"]
    for (x,), J in zip(ex.probes, ex.expected_value(), strict=True):
        np.testing.assert_allclose(J, calcml.jacobian(lambda v: (v @ v) * v)(x), atol=1e-7)
    ex = EXERCISES["04.5"]
    for (w, x, y), H in zip(ex.probes, ex.expected_value(), strict=True):
        loss = lambda w, x=x, y=y: np.log1p(np.exp(-y * (w @ x)))  # noqa: E731
        np.testing.assert_allclose(H, calcml.hessian(loss)(w), atol=1e-6)
        assert np.linalg.eigvalsh(H).min() > -1e-12  # positive semidefinite
    ex = EXERCISES["04.6"]
    f = lambda p: p[..., 0] ** 4 + p[..., 0] * p[..., 1] + p[..., 1] ** 3  # noqa: E731
    for (_, x, v, h), hv in zip(ex.probes, ex.expected_value(), strict=True):
        exact = calcml.hessian(f)(x) @ v
        # central difference of the gradient: O(h^2) away from H v (large h tells formulas apart)
        assert np.abs(hv - exact).max() < 10 * (h * np.linalg.norm(v)) ** 2


def test_by_hand_answers():
    f = lambda x, y: np.exp(x) * y**2  # noqa: E731
    v = np.array([3.0, 4.0]) / 5
    assert abs(v @ calcml.hessian(f)(0.0, 1.0) @ v - EXERCISES["04.4"].expected_value()) < 1e-6
    H = calcml.hessian(lambda x, y: x**2 - 4 * x * y + 4 * y**2)(0.0, 0.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [0, 10], atol=1e-6)
    jac = calcml.jacobian(lambda x, y: [x**2 - y**2, 2 * x * y])(1.0, 2.0)
    assert abs(abs(np.linalg.det(jac)) - EXERCISES["03.4"].expected_value()) < 1e-6
    J = calcml.jacobian(lambda x, y: [x * y**2, x + 3 * y, np.exp(x)])(0.0, 2.0)
    np.testing.assert_allclose(J, EXERCISES["03.1"].expected_value(), atol=1e-8)


def test_notebooks_state_the_key_prompts_and_derivations_say_self_checked():
    """Each exercise and solution notebook of chapters 1-4 shows the key's prompt verbatim."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for folder in ("exercises", "solutions"):
        for path in sorted((root / folder).glob("0[1-4]_*.ipynb")):
            cells = json.loads(path.read_text())["cells"]
            seen = []
            for cell in cells:
                text = "".join(cell["source"])
                if cell["cell_type"] == "markdown" and text.startswith("## Exercise "):
                    ex_id = text.split("\n", 1)[0].split()[-1]
                    assert text.split("\n", 2)[2].startswith(EXERCISES[ex_id].prompt), ex_id
                    seen.append(ex_id)
            assert len(seen) >= 6, path.name
    for ex_id in ("01.4", "02.5", "03.5", "04.5"):
        assert "self-checked against the rubric" in EXERCISES[ex_id].prompt
