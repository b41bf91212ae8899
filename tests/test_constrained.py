"""Multipliers and KKT residuals (calcml.constrained) against problems solved by hand."""

import numpy as np
import pytest
from scipy import optimize

import calcml
from calcml.constrained import kkt_check, multipliers


def test_multiplier_of_the_circle_problem():
    # minimise x + 2y on x^2 + y^2 = 5: minimum (-1, -2), grad f = (1, 2), grad g = (-2, -4)
    m = multipliers([1.0, 2.0], [[-2.0, -4.0]])
    np.testing.assert_allclose(m.values, [0.5])
    assert m.residual < 1e-14
    # at the maximum (1, 2) grad g = (2, 4): the multiplier changes sign
    np.testing.assert_allclose(multipliers([1.0, 2.0], [2.0, 4.0]).values, [-0.5])


def test_residual_is_the_part_of_grad_f_not_along_the_constraint():
    # grad g = (1, 0): the multiplier cancels the first component, the second is left over
    m = multipliers([3.0, 4.0], [1.0, 0.0])
    np.testing.assert_allclose(m.values, [-3.0])
    assert m.residual == pytest.approx(4.0)


def test_two_constraints_in_three_dimensions():
    # grad f = (1, 1, 0) is -1 times each of the constraint gradients e_1 and e_2
    grads = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    m = multipliers([1.0, 1.0, 0.0], grads)
    np.testing.assert_allclose(m.values, [-1.0, -1.0])
    assert m.residual < 1e-14
    m = multipliers([1.0, 1.0, 1.0], grads)  # nothing cancels the z component
    assert m.residual == pytest.approx(1.0)


def test_no_constraints_leaves_the_gradient():
    m = multipliers([3.0, 4.0], np.zeros((0, 2)))
    assert m.values.shape == (0,) and m.residual == pytest.approx(5.0)


def test_multiplier_of_a_scipy_solution_matches_the_hand_formula():
    # minimise (x - 2)^2 + (y - 1)^2 on x^2 + y^2 = 1 (closest point of the circle)
    def f(p):
        return (p[0] - 2) ** 2 + (p[1] - 1) ** 2

    def g(p):
        return p[0] ** 2 + p[1] ** 2 - 1

    res = optimize.minimize(
        f, [1.0, 0.0], method="SLSQP", constraints=[{"type": "eq", "fun": g}], tol=1e-12
    )
    np.testing.assert_allclose(res.x, np.array([2.0, 1.0]) / np.sqrt(5), atol=1e-6)
    m = multipliers(calcml.grad(f)(res.x), calcml.grad(g)(res.x))
    # by hand: 2(x - c) + 2 nu x = 0 with x = c / |c| gives nu = |c| - 1
    np.testing.assert_allclose(m.values, [np.sqrt(5) - 1], rtol=1e-6)
    assert m.residual < 1e-6


def test_kkt_active_constraint():
    # minimise (x - 2)^2 + (y - 2)^2 subject to x + y <= 2: (1, 1), alpha = 2
    c = kkt_check([-2.0, -2.0], ineq_values=[0.0], ineq_grads=[[1.0, 1.0]])
    np.testing.assert_allclose(c.alpha, [2.0])
    assert c.nu.shape == (0,)
    assert c.stationarity < 1e-14 and c.primal == c.dual == c.complementary == 0.0


def test_kkt_inactive_constraint_gets_zero_multiplier():
    # constraint x + y <= 4 does not bind at the unconstrained minimum (1, 2)
    c = kkt_check([0.0, 0.0], ineq_values=[-1.0], ineq_grads=[[1.0, 1.0]])
    np.testing.assert_array_equal(c.alpha, [0.0])
    assert c.stationarity < 1e-14 and c.complementary == 0.0


def test_kkt_flags_each_failure():
    # wrong side: the gradient pushes into the constraint -> negative multiplier
    c = kkt_check([1.0, 1.0], ineq_values=[0.0], ineq_grads=[[1.0, 1.0]])
    np.testing.assert_allclose(c.alpha, [-1.0])
    assert c.dual == pytest.approx(1.0)
    # infeasible point
    assert kkt_check([0.0, 0.0], ineq_values=[0.5], ineq_grads=[[1.0, 0.0]]).primal == 0.5
    # an inactive constraint cannot make a non-zero gradient stationary
    c = kkt_check([1.0, 0.0], ineq_values=[-0.5], ineq_grads=[[1.0, 0.0]])
    assert c.stationarity == pytest.approx(1.0)
    # within the active tolerance, slack times multiplier is reported
    c = kkt_check([-1.0, 0.0], ineq_values=[-0.1], ineq_grads=[[1.0, 0.0]], active_tol=0.2)
    assert c.alpha[0] == pytest.approx(1.0) and c.complementary == pytest.approx(0.1)


def test_kkt_equality_and_inequality_together():
    # minimise x^2 + y^2 + z^2 with x + y + z = 3 and z <= 0.5 (without it: (1, 1, 1))
    # by hand: z = 0.5, x = y = 1.25; 2x + nu = 0 -> nu = -2.5; 2z + nu + alpha = 0 -> alpha = 1.5
    x = np.array([1.25, 1.25, 0.5])
    c = kkt_check(
        2 * x,
        eq_values=[x.sum() - 3],
        eq_grads=[[1.0, 1.0, 1.0]],
        ineq_values=[x[2] - 0.5],
        ineq_grads=[[0.0, 0.0, 1.0]],
    )
    np.testing.assert_allclose(c.nu, [-2.5])
    np.testing.assert_allclose(c.alpha, [1.5])
    assert c.stationarity < 1e-14 and c.primal == 0.0


def test_input_validation():
    with pytest.raises(ValueError, match="`grad_f` must be a non-empty vector"):
        multipliers([[1.0, 2.0]], [1.0, 0.0])
    with pytest.raises(ValueError, match=r"`grads` must hold one gradient of length 2"):
        multipliers([1.0, 2.0], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="`grad_f` must be finite"):
        multipliers([np.nan, 2.0], [1.0, 0.0])
    with pytest.raises(TypeError, match="`grads` must hold real numbers"):
        multipliers([1.0, 2.0], ["a", "b"])
    with pytest.raises(ValueError, match="`ineq_values` has 2 entries but `ineq_grads` has 1"):
        kkt_check([1.0, 2.0], ineq_values=[0.0, 1.0], ineq_grads=[[1.0, 0.0]])
    with pytest.raises(ValueError, match="`active_tol` must be a number >= 0"):
        kkt_check([1.0, 2.0], active_tol=-1.0)
    with pytest.raises(ValueError, match="`eq_grads` must hold one gradient"):
        kkt_check([1.0, 2.0], eq_values=[0.0], eq_grads=[[1.0, 0.0, 3.0]])
