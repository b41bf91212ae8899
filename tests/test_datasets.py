import numpy as np
import pytest

from calcml.datasets import digits


def test_all_digits_split_and_standardised():
    data = digits(seed=3)
    assert data.X_train.shape == (1348, 64) and data.X_test.shape == (449, 64)
    assert data.n_classes == 10 and set(np.unique(data.y_train)) == set(range(10))
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0, atol=1e-12)
    std = data.X_train.std(axis=0)
    assert np.all((np.abs(std - 1) < 1e-12) | (std == 0))


def test_classes_are_relabelled_in_the_order_given():
    a, b = digits(classes=(3, 1)), digits(classes=(1, 3))
    assert a.n_classes == 2 and len(a.y_train) + len(a.y_test) == 183 + 182
    # the same images, opposite labels
    np.testing.assert_array_equal(a.y_train, 1 - b.y_train)


def test_split_is_seeded():
    np.testing.assert_array_equal(digits(seed=1).y_test, digits(seed=1).y_test)
    assert not np.array_equal(digits(seed=1).y_test, digits(seed=2).y_test)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"test_fraction": 1.0}, "test_fraction"),
        ({"classes": (1, 12)}, "classes"),
        ({"classes": (4, 4)}, "classes"),
    ],
)
def test_input_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        digits(**kwargs)
