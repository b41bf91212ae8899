import numpy as np
import pytest

import calcml
from calcml import CONVERGED, DIVERGED, MAX_STEPS, SINGULAR_HESSIAN


def bowl(p):
    return (p[0] - 1) ** 2 + (p[1] - 2) ** 2


def bowl_grad(p):
    return 2 * (np.asarray(p) - [1.0, 2.0])


def bowl_hess(p):
    return 2 * np.eye(2)


@pytest.fixture(scope="module")
def sampled_bowl():
    """The seed's model: (x-1)^2 + (y-2)^2 sampled on a 30 x 30 grid over [-1, 6]^2."""
    x, y = np.meshgrid(np.linspace(-1, 6, 30), np.linspace(-1, 6, 30))
    X = np.column_stack([x.ravel(), y.ravel()])
    return calcml.MultivariateDerivatives().fit(X, bowl(X.T))


def test_seed_example_with_sampled_gradient(sampled_bowl):
    res = calcml.gradient_descent(sampled_bowl, [4, 5], learning_rate=0.1, max_steps=20)
    assert res.nit == 20
    assert res.status == MAX_STEPS
    assert np.all(np.abs(res.x - [1, 2]) < 0.04)  # each coordinate 3 * 0.8**20 = 0.035 away
    exact = np.array([1, 2]) + 3 * 0.8**20
    np.testing.assert_allclose(res.x, exact, atol=1e-8)


def test_path_matches_closed_form():
    res = calcml.gradient_descent(bowl, [4, 5], max_steps=20, tol=0, grad=bowl_grad)
    k = np.arange(21)[:, None]
    np.testing.assert_allclose(res.path, [1, 2] + 3 * 0.8**k)
    np.testing.assert_allclose(res.values, [bowl(p) for p in res.path])
    np.testing.assert_allclose(res.grad_norms, np.linalg.norm(2 * (res.path - [1, 2]), axis=1))
    assert res.path.shape == (21, 2) and res.values.shape == res.grad_norms.shape == (21,)
    assert res.method == "gradient_descent" and res.fun == res.values[-1]


def test_function_only_uses_calcml_grad():
    res = calcml.gradient_descent(bowl, [4, 5])
    assert res.success and res.status == CONVERGED
    np.testing.assert_allclose(res.x, [1, 2], atol=1e-6)
    assert "stationary point" in res.message


def test_momentum_speeds_up_an_ill_conditioned_valley():
    def f(p):
        return p[0] ** 2 + 25 * p[1] ** 2

    def g(p):
        return np.array([2 * p[0], 50 * p[1]])

    plain = calcml.gradient_descent(f, [3, 1], learning_rate=0.03, grad=g)
    heavy = calcml.gradient_descent(f, [3, 1], learning_rate=0.03, momentum=0.7, grad=g)
    assert plain.success and heavy.success
    assert heavy.nit < plain.nit / 2


def test_divergence_is_detected_and_stated():
    res = calcml.gradient_descent(bowl, [4, 5], learning_rate=1.5, max_steps=500, grad=bowl_grad)
    assert res.status == DIVERGED and not res.success
    assert res.nit < 500
    assert "Diverged" in res.message and "max_norm" in res.message
    assert np.all(np.isfinite(res.values))


def test_non_finite_gradient_is_divergence_not_nan():
    res = calcml.gradient_descent(bowl, [4, 5], grad=lambda p: np.array([np.inf, 0.0]))
    assert res.status == DIVERGED
    assert "non-finite" in res.message
    assert res.nit == 1


def test_leaving_the_domain_of_f_is_divergence_not_an_exception():
    # cosh overflows to inf after one step of this rate: reported, not raised
    res = calcml.gradient_descent(lambda p: np.cosh(p[0]), [-7.0], learning_rate=1.38)
    assert res.status == DIVERGED and "non-finite" in res.message


def test_a_start_outside_the_domain_of_f_is_the_callers_error():
    with pytest.raises(ValueError, match="nan or inf"):
        calcml.gradient_descent(lambda p: np.log(p[0]), [-1.0])


def test_growing_objective_is_reported_at_max_steps():
    res = calcml.gradient_descent(bowl, [4, 5], learning_rate=1.05, max_steps=20, grad=bowl_grad)
    assert res.status == MAX_STEPS
    assert res.values[-1] > res.values[0]
    assert "learning rate may be too large" in res.message


def test_sin_cos_from_origin_stalls_at_saddle_and_a_nudge_escapes():
    def f(p):
        return np.sin(p[0]) + np.cos(p[1])

    stuck = calcml.gradient_descent(f, [0.0, 0.0], learning_rate=0.1)
    assert stuck.success
    np.testing.assert_allclose(stuck.x, [-np.pi / 2, 0], atol=1e-5)
    assert calcml.classify_critical_point(f, stuck.x).kind == calcml.SADDLE

    nudged = calcml.gradient_descent(f, [0.0, 1e-3], learning_rate=0.1)
    assert nudged.success
    np.testing.assert_allclose(nudged.x, [-np.pi / 2, np.pi], atol=1e-5)
    assert calcml.classify_critical_point(f, nudged.x).kind == calcml.MINIMUM


def test_newton_lands_in_one_step_on_a_quadratic_where_descent_needs_many():
    newton = calcml.newton(bowl, [4, 5])
    descent = calcml.gradient_descent(bowl, [4, 5], tol=1e-8)
    assert newton.success and newton.nit == 1
    np.testing.assert_allclose(newton.x, [1, 2], atol=1e-8)
    assert descent.nit > 40


def test_newton_with_sampled_model(sampled_bowl):
    res = calcml.newton(sampled_bowl, [4, 5])
    assert res.success
    np.testing.assert_allclose(res.x, [1, 2], atol=1e-6)


def test_newton_singular_hessian_is_a_clear_failure():
    res = calcml.newton(lambda p: p[0] ** 2 + p[1], [1, 1])
    assert res.status == SINGULAR_HESSIAN and res.nit == 0
    assert "singular" in res.message and "eigenvalues" in res.message


def test_adam_converges():
    res = calcml.adam(bowl, [4, 5], learning_rate=0.1, grad=bowl_grad, max_steps=3000)
    assert res.success and res.method == "adam"
    np.testing.assert_allclose(res.x, [1, 2], atol=1e-5)


def test_explicit_grad_overrides_the_model(sampled_bowl):
    calls = []

    def grad(p):
        calls.append(p)
        return bowl_grad(p)

    calcml.gradient_descent(sampled_bowl, [4, 5], max_steps=3, grad=grad)
    assert len(calls) == 4


def test_flags():
    runs = [
        calcml.gradient_descent(bowl, [4, 5], grad=bowl_grad),
        calcml.gradient_descent(bowl, [4, 5], max_steps=2, grad=bowl_grad),
        calcml.gradient_descent(bowl, [4, 5], learning_rate=2.0, grad=bowl_grad),
        calcml.newton(bowl, [4, 5], grad=bowl_grad, hess=lambda p: np.diag([2.0, 0.0])),
    ]
    assert [r.status for r in runs] == [CONVERGED, MAX_STEPS, DIVERGED, SINGULAR_HESSIAN]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x0": [np.nan, 0]}, ValueError, "`x0` must be finite"),
        ({"x0": [np.inf, 0]}, ValueError, "`x0` must be finite"),
        ({"x0": [[1, 2]]}, ValueError, "`x0` must be one point"),
        ({"x0": "ab"}, TypeError, "`x0` must be a sequence of numbers"),
        ({"learning_rate": 0}, ValueError, "`learning_rate` must be positive"),
        ({"learning_rate": -0.1}, ValueError, "`learning_rate` must be positive"),
        ({"learning_rate": np.nan}, ValueError, "`learning_rate` must be finite"),
        ({"max_steps": 0}, ValueError, "`max_steps` must be a positive integer"),
        ({"max_steps": 2.5}, TypeError, "`max_steps` must be an integer"),
        ({"tol": -1}, ValueError, "`tol` must be non-negative"),
        ({"momentum": 1.0}, ValueError, r"`momentum` must be in \[0, 1\)"),
        ({"max_norm": 1.0}, ValueError, "`max_norm`"),
        ({"grad": 3}, TypeError, "`grad` must be callable"),
    ],
)
def test_input_validation(kwargs, error, match):
    args = {"x0": [4.0, 5.0], "grad": bowl_grad} | kwargs
    with pytest.raises(error, match=match):
        calcml.gradient_descent(bowl, **args)


def test_bad_objectives_are_named():
    with pytest.raises(TypeError, match="`f` must be a function"):
        calcml.gradient_descent(42, [0, 0])
    with pytest.raises(ValueError, match="gradient returned shape"):
        calcml.gradient_descent(bowl, [4, 5], grad=lambda p: np.ones(3))
    with pytest.raises(ValueError, match="scalar-valued"):
        calcml.gradient_descent(lambda p: p, [4, 5], grad=bowl_grad)
    with pytest.raises(ValueError, match=r"`beta1` must be in \[0, 1\)"):
        calcml.adam(bowl, [4, 5], beta1=1.0)
    with pytest.raises(ValueError, match="`singular_tol` must be non-negative"):
        calcml.newton(bowl, [4, 5], singular_tol=-1)


def test_functions_of_x_and_y_are_accepted_like_functions_of_p():
    res = calcml.gradient_descent(lambda x, y: (x - 1) ** 2 + (y - 2) ** 2, [4.0, 5.0])
    np.testing.assert_allclose(res.x, [1, 2], atol=1e-5)
    cp = calcml.classify_critical_point(lambda x, y: x**2 - y**2, [0.0, 0.0])
    assert cp.kind == "saddle"
