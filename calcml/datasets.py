"""Small real data sets for Part II, loaded from files that ship inside installed packages.

Nothing is downloaded: the digits come with scikit-learn (``sklearn.datasets.load_digits``
reads a CSV bundled in the wheel), which is why the book depends on scikit-learn rather than on
a loader that fetches data at run time.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["Split", "digits"]


class Split(NamedTuple):
    """A data set split into training and test parts.

    Attributes
    ----------
    X_train, X_test : ndarray, shape (N, d)
        Inputs, one sample per row, standardised with the training mean and spread.
    y_train, y_test : ndarray of int, shape (N,)
        Class labels ``0 .. n_classes - 1``.
    n_classes : int
        Number of classes.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    n_classes: int


def digits(
    *, classes: tuple[int, ...] | None = None, test_fraction: float = 0.25, seed: int = 0
) -> Split:
    """Return the 8 x 8 handwritten digits (1797 images, 64 pixels each), split and standardised.

    Parameters
    ----------
    classes : tuple of int, optional
        Keep only these digits (e.g. ``(0, 1)`` for a binary problem); they are relabelled
        ``0, 1, ...`` in the order given. Default: all ten.
    test_fraction : float, default: 0.25
        Fraction of the samples held out for testing, strictly between 0 and 1.
    seed : int, default: 0
        Seed of the shuffle that makes the split.

    Returns
    -------
    Split
        Pixels standardised per feature with the training set's mean and standard deviation
        (constant pixels are left at zero).

    Raises
    ------
    ImportError
        If scikit-learn is not installed (``pip install scikit-learn``).
    ValueError
        If ``test_fraction`` is not in (0, 1) or ``classes`` names a digit outside 0-9.

    Examples
    --------
    >>> data = digits(classes=(0, 1))
    >>> data.X_train.shape, data.n_classes
    ((270, 64), 2)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "calcml.datasets.digits needs scikit-learn, which ships the data: "
            "pip install scikit-learn"
        ) from err
    if not 0 < test_fraction < 1:
        raise ValueError(
            f"`test_fraction` must be between 0 and 1 (exclusive); got {test_fraction}"
        )
    bunch = load_digits()
    X, y = bunch.data.astype(float), bunch.target.astype(int)
    if classes is not None:
        classes = tuple(int(c) for c in classes)
        if not classes or any(c not in range(10) for c in classes) or len(set(classes)) < 2:
            raise ValueError(f"`classes` must be two or more distinct digits 0-9; got {classes}")
        keep = np.isin(y, classes)
        relabel = np.zeros(10, dtype=int)
        relabel[list(classes)] = np.arange(len(classes))
        X, y = X[keep], relabel[y[keep]]
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = order[:n_test], order[n_test:]
    mean, spread = X[train].mean(axis=0), X[train].std(axis=0)
    spread[spread == 0] = 1.0
    X = (X - mean) / spread
    n_classes = len(classes) if classes is not None else 10
    return Split(X[train], X[test], y[train], y[test], n_classes)
