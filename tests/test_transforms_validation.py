"""Every bad input of the function transforms raises the documented error."""

import numpy as np
import pytest

import calcml


def f2(x, y):
    return x * y


def test_input_validation():
    with pytest.raises(TypeError, match="`f` must be a callable"):
        calcml.grad(3.0)
    with pytest.raises(TypeError, match="`f` must be a callable"):
        calcml.derivative("sin", 1.0)
    with pytest.raises(ValueError, match="`argument 0` must be finite"):
        calcml.grad(f2)(np.nan, 1.0)
    with pytest.raises(ValueError, match="`p` must be finite"):
        calcml.hessian(lambda p: p[0] * p[1])(np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match="`x` must be finite"):
        calcml.derivative(np.sin, [0.0, np.nan])
    with pytest.raises(TypeError, match="must be real"):
        calcml.grad(f2)(1 + 1j, 2.0)
    with pytest.raises(TypeError, match="must hold real numbers"):
        calcml.grad(f2)("a", 2.0)


def test_wrong_number_of_coordinates():
    with pytest.raises(ValueError, match="wrong number of coordinates: got 3 arguments"):
        calcml.grad(f2)(1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="wrong number of coordinates: `f` raised IndexError"):
        calcml.grad(lambda p: p[0] * p[2])(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="wrong number of coordinates: `v` has 3 components"):
        calcml.directional(f2, [1.0, 0.0, 0.0])(1.0, 2.0)
    with pytest.raises(ValueError, match="`i` = 2 is out of range"):
        calcml.partial(f2, 2)(1.0, 2.0)
    with pytest.raises(ValueError, match="0 coordinates"):
        calcml.grad(lambda p: 0.0)(np.empty((3, 0)))
    with pytest.raises(ValueError, match="must broadcast together"):
        calcml.grad(f2)(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="empty"):
        calcml.grad(lambda p: p[..., 0])(np.empty((0, 2)))


def test_wrong_output_of_f():
    with pytest.raises(
        ValueError, match="grad needs a scalar-valued `f`; it returned shape \\(2,\\)"
    ):
        calcml.grad(lambda x, y: [x, y])(1.0, 2.0)
    with pytest.raises(ValueError, match="hessian needs a scalar-valued"):
        calcml.hessian(lambda p: p)(np.ones(2))
    with pytest.raises(ValueError, match="laplacian needs a scalar-valued"):
        calcml.laplacian(lambda p: p)(np.ones(2))
    with pytest.raises(ValueError, match="a scalar or a 1-D array of m components"):
        calcml.jacobian(lambda p: np.ones((2, 2)))(np.ones(2))
    with pytest.raises(ValueError, match="treated as vectorised but returned shape"):
        calcml.grad(lambda p: np.sum(p), vectorized=True)(np.ones((4, 2)))
    with pytest.raises(ValueError, match="ragged"):
        calcml.jacobian(lambda x: [x, [x, x]])(1.0)


def test_nan_and_complex_output():
    with pytest.raises(ValueError, match="`f` returned nan or inf at the point"):
        calcml.grad(lambda x, y: np.nan * x)(1.0, 2.0)
    with np.errstate(invalid="ignore"), pytest.raises(ValueError, match="points sampled"):
        calcml.grad(lambda x: np.sqrt(x))(0.0)
    with pytest.raises(TypeError, match="`f` returned complex values"):
        calcml.grad(lambda x, y: x + 1j * y)(1.0, 2.0)
    with pytest.raises(TypeError, match="must return real numbers"):
        calcml.grad(lambda x: "text")(1.0)


def test_bad_options():
    with pytest.raises(ValueError, match="`v` must be a nonzero vector"):
        calcml.directional(f2, [0.0, 0.0])
    with pytest.raises(ValueError, match="`v` must be finite"):
        calcml.directional(f2, [np.nan, 1.0])
    with pytest.raises(ValueError, match="`v` must be a 1-D vector"):
        calcml.directional(f2, [[1.0, 0.0]])
    with pytest.raises(TypeError, match="`i` must be an integer"):
        calcml.partial(f2, 1.0)
    with pytest.raises(ValueError, match="`order` must be an integer >= 1"):
        calcml.partial(f2, 0, order=0)
    with pytest.raises(ValueError, match="`order` must be an integer >= 1"):
        calcml.derivative(np.sin, 1.0, order=-1)
    with pytest.raises(ValueError, match="`step` must be a positive finite number"):
        calcml.grad(f2, step=0.0)
    with pytest.raises(TypeError, match="`step` must be a positive number or None"):
        calcml.grad(f2, step="big")
    with pytest.raises(TypeError, match="`vectorized` must be True, False or None"):
        calcml.grad(f2, vectorized="yes")
    with pytest.raises(TypeError, match="needs a point"):
        calcml.grad(f2)()
