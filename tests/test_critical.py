import numpy as np
import pytest

import calcml
from calcml import INCONCLUSIVE, MAXIMUM, MINIMUM, SADDLE


def saddle(p):
    return p[0] ** 2 - p[1] ** 2


def monkey_saddle(p):
    return p[0] ** 3 - 3 * p[0] * p[1] ** 2


def sin_cos(p):
    return np.sin(p[0]) + np.cos(p[1])


def test_x2_minus_y2_is_a_saddle_with_eigenvalues_minus_2_and_2():
    cp = calcml.classify_critical_point(saddle, [0, 0])
    assert cp.kind == SADDLE
    np.testing.assert_allclose(cp.eigenvalues, [-2, 2], atol=1e-6)
    # eigenvectors are columns: -2 along y, +2 along x
    np.testing.assert_allclose(np.abs(cp.eigenvectors), [[0, 1], [1, 0]], atol=1e-6)
    np.testing.assert_allclose(cp.hessian @ cp.eigenvectors, cp.eigenvectors * cp.eigenvalues)
    assert cp.grad_norm < 1e-8 and cp.value == 0


def test_monkey_saddle_has_one_critical_point_and_the_test_is_inconclusive():
    points = calcml.find_critical_points(monkey_saddle, [(-2, 2), (-2, 2)], n_starts=20)
    assert len(points) == 1
    (cp,) = points
    np.testing.assert_allclose(cp.x, [0, 0], atol=1e-6)
    assert cp.kind == INCONCLUSIVE
    np.testing.assert_allclose(cp.eigenvalues, 0, atol=1e-6)


@pytest.mark.parametrize(
    ("f", "x", "kind"),
    [
        (lambda p: p[0] ** 2 + p[1] ** 2, [0, 0], MINIMUM),
        (lambda p: -(p[0] ** 2) - 3 * p[1] ** 2, [0, 0], MAXIMUM),
        (lambda p: p[0] ** 4 + p[1] ** 2, [0, 0], INCONCLUSIVE),  # a minimum the test misses
        (lambda p: p[0] ** 2 - p[1] ** 2 + p[2] ** 4, [0, 0, 0], SADDLE),  # saddle despite a 0
        (monkey_saddle, [0, 0], INCONCLUSIVE),
        (sin_cos, [-np.pi / 2, 0], SADDLE),
        (sin_cos, [-np.pi / 2, np.pi], MINIMUM),
        (sin_cos, [np.pi / 2, 0], MAXIMUM),
    ],
)
def test_classification(f, x, kind):
    assert calcml.classify_critical_point(f, x).kind == kind


def test_explicit_hessian_overrides():
    cp = calcml.classify_critical_point(saddle, [0, 0], hess=lambda p: np.diag([1.0, 3.0]))
    assert cp.kind == MINIMUM
    np.testing.assert_allclose(cp.eigenvalues, [1, 3])


def test_find_critical_points_of_sin_cos():
    points = calcml.find_critical_points(sin_cos, [(-4, 4), (-4, 4)], n_starts=40)
    found = {(cp.kind, *np.round(cp.x, 4) + 0.0) for cp in points}
    h, pi = round(np.pi / 2, 4), round(np.pi, 4)
    assert found == {
        (MINIMUM, -h, -pi),
        (MINIMUM, -h, pi),
        (SADDLE, -h, 0.0),
        (SADDLE, h, -pi),
        (SADDLE, h, pi),
        (MAXIMUM, h, 0.0),
    }


def test_find_critical_points_of_a_sampled_model():
    x, y = np.meshgrid(np.linspace(-1, 4, 25), np.linspace(0, 4, 25))
    X = np.column_stack([x.ravel(), y.ravel()])
    model = calcml.MultivariateDerivatives().fit(X, (X[:, 0] - 1) ** 2 - (X[:, 1] - 2) ** 2)
    (cp,) = calcml.find_critical_points(model, [(-1, 4), (0, 4)], n_starts=10)
    assert cp.kind == SADDLE
    np.testing.assert_allclose(cp.x, [1, 2], atol=1e-6)
    np.testing.assert_allclose(cp.eigenvalues, [-2, 2], atol=1e-6)


def test_find_critical_points_skips_starts_whose_solver_leaves_the_domain():
    # x log x is undefined for x <= 0, where some solver steps land
    found = calcml.find_critical_points(
        lambda p: p[0] * np.log(p[0]) + (p[1] - 1) ** 2, [(0.01, 3), (-2, 2)], n_starts=20
    )
    assert len(found) == 1 and found[0].kind == "minimum"
    np.testing.assert_allclose(found[0].x, [1 / np.e, 1], atol=1e-6)


def test_definite_fraction_falls_faster_than_half_to_the_n():
    res = calcml.definite_fraction(range(1, 6), trials=20_000, seed=5651219684984213)
    np.testing.assert_array_equal(res.heuristic, 0.5 ** np.arange(1, 6))
    assert abs(res.fraction[0] - 0.5) < 4 * np.sqrt(0.25 / 20_000)
    goe_2 = (2 - np.sqrt(2)) / 4  # exact for the 2 x 2 GOE
    assert abs(res.fraction[1] - goe_2) < 4 * np.sqrt(goe_2 * (1 - goe_2) / 20_000)
    assert np.all(res.high[1:] < res.heuristic[1:])  # significantly below (1/2)^n
    assert np.all(np.diff(res.fraction) < 0)
    assert np.all((res.low <= res.fraction) & (res.fraction <= res.high))
    assert "GOE" in res.distribution


def test_definite_fraction_zero_count_has_an_upper_bound():
    res = calcml.definite_fraction([8], trials=1000, seed=0)
    assert res.count[0] == 0 and res.fraction[0] == 0
    assert 0 < res.high[0] < 0.005


@pytest.mark.parametrize(
    ("bounds", "match"),
    [
        ([-2, 2], r"shape \(n, 2\)"),
        ([(-2, 2, 3), (-2, 2, 3)], r"shape \(n, 2\)"),
        ([(2, -2), (-2, 2)], "low < high"),
        ([(-np.inf, 2), (-2, 2)], "finite"),
    ],
)
def test_bounds_validation(bounds, match):
    with pytest.raises(ValueError, match=match):
        calcml.find_critical_points(saddle, bounds)


def test_input_validation():
    with pytest.raises(ValueError, match="`x` must be finite"):
        calcml.classify_critical_point(saddle, [np.nan, 0])
    with pytest.raises(ValueError, match="`tol` must be non-negative"):
        calcml.classify_critical_point(saddle, [0, 0], tol=-1)
    with pytest.raises(ValueError, match="`n_starts` must be a positive integer"):
        calcml.find_critical_points(saddle, [(-1, 1), (-1, 1)], n_starts=0)
    with pytest.raises(ValueError, match="`trials` must be a positive integer"):
        calcml.definite_fraction([1], trials=0)
    with pytest.raises(ValueError, match="`dims` must be a positive integer"):
        calcml.definite_fraction([0, 1])
    with pytest.raises(ValueError, match="at least one"):
        calcml.definite_fraction([])


def test_pivot_count_agrees_with_eigenvalues():
    from calcml.critical import _count_positive_definite

    rng = np.random.default_rng(5651219684984213)
    for n in (1, 2, 4, 6):
        a = rng.standard_normal((4000, n, n))
        m = (a + a.swapaxes(1, 2)) / 2 + rng.uniform(0, 3, (4000, 1, 1)) * np.eye(n)
        before = m.copy()
        assert _count_positive_definite(m) == np.count_nonzero(np.linalg.eigvalsh(m)[:, 0] > 0)
        np.testing.assert_array_equal(m, before)
