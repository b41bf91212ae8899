"""Derivatives of functions known only by samples (measurements, grids, simulations).

Fit all the samples with one multivariate model, then ask for its exact derivatives:

>>> import numpy as np
>>> from calcml.sampled import MultivariateDerivatives
>>> X = np.random.default_rng(0).uniform(-1, 1, size=(200, 2))
>>> mv = MultivariateDerivatives().fit(X, X[:, 0] * X[:, 1])
>>> mv.gradient()(np.array([[0.5, -0.25]])).round(4)
array([[-0.25,  0.5 ]])
"""

from ._local import LocalPolynomialInterpolator
from ._naive import per_axis_gradient
from ._spline import SplineInterpolator
from .model import MultivariateDerivatives

__all__ = [
    "LocalPolynomialInterpolator",
    "MultivariateDerivatives",
    "SplineInterpolator",
    "per_axis_gradient",
]
