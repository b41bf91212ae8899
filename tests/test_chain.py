import numpy as np
import pytest

import calcml


def inner(p):  # R^2 -> R^3
    return np.array([p[0] * p[1], np.sin(p[0]), p[1] ** 2])


def inner_jac(p):
    return np.array([[p[1], p[0]], [np.cos(p[0]), 0.0], [0.0, 2 * p[1]]])


def outer(u):  # R^3 -> R^2
    return np.array([u[0] + u[1] * u[2], np.exp(u[0])])


def outer_jac(u):
    return np.array([[1.0, u[2], u[1]], [np.exp(u[0]), 0.0, 0.0]])


def test_jacobian_of_composition_is_product_of_jacobians():
    x = np.array([0.7, -1.2])
    check = calcml.chain_rule_check(outer, inner, x)
    exact = outer_jac(inner(x)) @ inner_jac(x)
    assert check.composite.shape == check.product.shape == (2, 2)
    np.testing.assert_allclose(check.product, exact, atol=1e-7)
    np.testing.assert_allclose(check.composite, exact, atol=1e-7)
    assert check.max_abs_difference < 1e-7


def test_scalar_chain_rule():
    check = calcml.chain_rule_check(
        lambda u: u[0] ** 2 * u[1], lambda t: np.array([np.exp(t[0]), t[0] ** 2]), [0.5]
    )
    t = 0.5  # z = e^{2t} t^2, dz/dt = 2 e^{2t} t^2 + 2 t e^{2t}
    np.testing.assert_allclose(check.product, [[np.exp(2 * t) * (2 * t**2 + 2 * t)]], rtol=1e-8)


def test_two_layer_net_backprop_matches_calcml_grad():
    net = calcml.TwoLayerNet.random(n_inputs=5, n_hidden=4, seed=3)
    x = np.linspace(-1, 1, 5)
    z = net.W1 @ x + net.b1
    exact = (net.W2 * (1 - np.tanh(z) ** 2)) @ net.W1
    np.testing.assert_allclose(net.backprop(x), exact[0], rtol=1e-12)
    np.testing.assert_allclose(calcml.grad(net)(x), net.backprop(x), atol=1e-8)
    assert np.ndim(net(x)) == 0 and net(np.ones((3, 5))).shape == (3,)


def test_vector_output_net_backprop_is_its_jacobian():
    net = calcml.TwoLayerNet.random(3, 4, n_outputs=2, seed=1)
    x = np.array([0.2, -0.1, 0.5])
    np.testing.assert_allclose(calcml.jacobian(net)(x), net.backprop(x), atol=1e-8)


def test_forward_and_reverse_give_the_same_product_at_different_cost():
    net = calcml.TwoLayerNet.random(n_inputs=1000, n_hidden=100, seed=0)
    jacobians = net.layer_jacobians(np.full(1000, 0.01))
    forward = calcml.multiply_jacobians(jacobians, "forward")
    reverse = calcml.multiply_jacobians(jacobians, "reverse")
    np.testing.assert_allclose(forward.matrix, reverse.matrix, atol=1e-12)
    assert net.widths == [1000, 100, 100, 1]
    assert forward.flops == calcml.chain_flops(net.widths, "forward") == 20_200_000
    assert reverse.flops == calcml.chain_flops(net.widths, "reverse") == 220_000


def test_narrow_then_wide_favours_forward():
    widths = [1, 100, 100, 1000]
    assert calcml.chain_flops(widths, "forward") < calcml.chain_flops(widths, "reverse")


def test_input_validation():
    with pytest.raises(ValueError, match="`order` must be 'forward' or 'reverse'"):
        calcml.chain_flops([3, 2], "sideways")
    with pytest.raises(ValueError, match=r"`jacobians\[1\]` has 4 columns"):
        calcml.multiply_jacobians([np.ones((3, 2)), np.ones((1, 4))])
    with pytest.raises(ValueError, match="at least two sizes"):
        calcml.chain_flops([3])
    with pytest.raises(ValueError, match="`widths` must be a positive integer"):
        calcml.chain_flops([3, 0])
    with pytest.raises(TypeError, match="callables"):
        calcml.chain_rule_check(outer, 3, [1.0, 2.0])
    with pytest.raises(ValueError, match="`x` must be finite"):
        calcml.chain_rule_check(outer, inner, [np.nan, 1.0])
    with pytest.raises(ValueError, match="`n_hidden` must be a positive integer"):
        calcml.TwoLayerNet.random(3, 0)
