"""Every bad input of the function transforms raises the documented error."""

import math

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
    with pytest.raises(ValueError, match="wrong number of coordinates: `v` has 3 components"):
        calcml.directional(f2, [1.0, 0.0, 0.0])(1.0, 2.0)
    with pytest.raises(ValueError, match="`i` = 2 is out of range"):
        calcml.partial(f2, 2)(1.0, 2.0)
    with pytest.raises(ValueError, match="0 coordinates"):
        calcml.grad(lambda p: 0.0)(np.empty((3, 0)))
    with pytest.raises(ValueError, match="must broadcast together"):
        calcml.grad(f2)(np.ones(2), np.ones(3))


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


# ----------------------------------------------------------------- issue 14's bad inputs


def test_index_error_inside_f_is_reraised_with_context():
    """An IndexError in f is f's, not "wrong number of coordinates": same type, a note."""
    with pytest.raises(IndexError) as info:
        calcml.grad(lambda p: p[0] * p[2])(np.array([1.0, 2.0]))
    note = "\n".join(info.value.__notes__)
    assert "[1.0, 2.0]" in note and "2 coordinates" in note
    assert "wrong number of coordinates" not in str(info.value)
    table = [1.0, 2.0]
    with pytest.raises(IndexError) as info:  # a bug of f unrelated to the point
        calcml.grad(lambda x, y: table[5] * x)(1.0, 2.0)
    assert "calcml" in "\n".join(info.value.__notes__)


def test_ragged_points():
    with pytest.raises(ValueError, match="`p` is ragged: its rows have different lengths"):
        calcml.grad(lambda p: p[0])([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match="`argument 0` is ragged"):
        calcml.grad(f2)([[1.0, 2.0], [3.0]], 1.0)


def test_output_length_varies():
    def f(p):
        return np.ones(2) if p[0] < 0.5 else np.ones(3)

    with pytest.raises(ValueError, match="same number of components at every point"):
        calcml.jacobian(f, vectorized=False)(np.array([[0.0, 0.0], [1.0, 1.0]]))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: calcml.grad(lambda p: p[..., 0] * p[..., 1]), (0, 2)),
        (lambda: calcml.hessian(lambda p: p[..., 0] * p[..., 1]), (0, 2, 2)),
        (lambda: calcml.laplacian(lambda p: p[..., 0] * p[..., 1]), (0,)),
        (lambda: calcml.jacobian(lambda p: np.stack([p[..., 0]] * 3, -1)), (0, 3, 2)),
        (lambda: calcml.directional(lambda p: p[..., 0], [1.0, 1.0]), (0,)),
        (lambda: calcml.jvp(lambda p: p[..., 0], [1.0, 1.0]), (0,)),
        (lambda: calcml.hvp(lambda p: p[..., 0] ** 2, [1.0, 1.0]), (0, 2)),
        (lambda: calcml.partial(lambda p: p[..., 0], 1), (0,)),
    ],
)
def test_empty_batch_gives_empty_result(make, expected):
    df = make()
    assert df(np.empty((0, 2))).shape == expected
    res = calcml.grad(lambda p: p[..., 0], error=True)(np.empty((4, 0, 2)))
    assert res.value.shape == res.error.shape == (4, 0, 2)
    assert calcml.derivative(np.sin, []).value.shape == (0,)


def test_exception_at_a_stencil_point_says_where():
    """f fails only at x + k h (never at the point passed): the note names the point."""

    def f(x):
        if x > 1.001:
            raise RuntimeError("outside the table")
        return x**2

    with pytest.raises(RuntimeError, match="outside the table") as info:
        calcml.derivative(f, 1.001, vectorized=False)
    note = "\n".join(info.value.__notes__)
    assert "stencil point" in note and "1.001" in note and "was passed" in note


def test_exception_avoided_by_smaller_steps():
    """math.log raises below 0: a smaller step stays in the domain, no error."""
    res = calcml.derivative(math.log, 1e-3, vectorized=False)
    assert res.value == pytest.approx(1e3, rel=1e-9)


def test_tiny_step_refused():
    with pytest.raises(ValueError, match="`step` = 1e-300 is too small"):
        calcml.grad(f2, step=1e-300)
    with pytest.raises(ValueError, match="`step` = 1e-300 is too small"):
        calcml.derivative(np.sin, 1.0, step=1e-300)


def test_huge_direction_is_normalised():
    d = calcml.directional(lambda x, y: x + 2 * y, [1e300, 1e300])(0.5, 0.5)
    assert d == pytest.approx(3 / np.sqrt(2), rel=1e-12)
    tiny = calcml.directional(lambda x, y: x + 2 * y, [1e-310, 0.0])(0.5, 0.5)
    assert tiny == pytest.approx(1.0, rel=1e-12)


def test_error_must_be_bool():
    with pytest.raises(TypeError, match="`error` must be a bool \\(True or False\\); got 'yes'"):
        calcml.grad(f2, error="yes")
    with pytest.raises(TypeError, match="`error` must be a bool"):
        calcml.hvp(f2, [1.0, 0.0], error=1)


def test_vectorized_true_with_one_point_f():
    with pytest.raises(TypeError, match="declared vectorized=True but failed on a batch"):
        calcml.grad(lambda x, y: math.sin(x) * y, vectorized=True)(1.0, 2.0)


def test_scale_validation():
    with pytest.raises(ValueError, match="`scale` must be a positive number"):
        calcml.grad(f2, scale=-1.0)
    with pytest.raises(ValueError, match="`scale` has 3 entries"):
        calcml.grad(f2, scale=[1.0, 1.0, 1.0])(1.0, 2.0)
