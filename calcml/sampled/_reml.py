"""Choosing the amount of smoothing from the data: restricted maximum likelihood (REML).

A penalised fit is also a Bayesian estimate: with noise variance ``s2``, each component
``z_i`` of the data in the fit's orthonormal basis is Gaussian with variance
``s2 / r_i``, where ``r_i = 1 - F_i`` is the fraction of it the fit removes (``F_i`` its
shrink factor). Components the fit never shrinks (the polynomials it keeps exactly)
carry no information about the penalty and are left out (the "restricted" in REML).
Profiling out ``s2`` leaves a function of the penalty alone; its minimiser is the REML
choice. Unlike generalized cross-validation, REML does not smooth away real detail of
exact (noise-free) data, and it has fewer spurious local minima (Wood 2011, J. R.
Statist. Soc. B 73, 3-36).
"""

from __future__ import annotations

import numpy as np

__all__ = ["reml_score"]


def reml_score(energy: np.ndarray, removed: np.ndarray, rss_extra: float = 0.0, n_extra: int = 0):
    """Minus twice the profiled restricted log-likelihood, up to a constant.

    Parameters
    ----------
    energy : ndarray
        Squared components ``z_i**2`` of the data along the penalised basis vectors.
    removed : ndarray
        The fractions ``1 - F_i`` in (0, 1] of those components that the fit removes.
    rss_extra, n_extra : float, int
        Residual energy and dimension of components no basis vector can fit (pure noise).

    Returns
    -------
    float
        The score; smaller is better.

    Examples
    --------
    >>> z2 = np.array([4.0, 1.0, 0.01, 0.01])  # two signal, two noise components
    >>> light, right = np.array([0.1, 0.1, 0.2, 0.2]), np.array([0.01, 0.02, 0.9, 0.9])
    >>> bool(reml_score(z2, right) < reml_score(z2, light))
    True
    """
    n = energy.size + n_extra
    variance = (np.sum(energy * removed) + rss_extra) / n
    return n * np.log(max(variance, 1e-300)) - np.sum(np.log(removed))
