"""calcml."""

from .chain import (
    ChainRuleCheck,
    JacobianProduct,
    TwoLayerNet,
    chain_flops,
    chain_rule_check,
    multiply_jacobians,
)
from .critical import (
    INCONCLUSIVE,
    MAXIMUM,
    MINIMUM,
    SADDLE,
    CriticalPoint,
    DefiniteFraction,
    classify_critical_point,
    definite_fraction,
    find_critical_points,
)
from .differences import central_difference, five_point_laplacian, forward_difference
from .optimize import (
    CONVERGED,
    DIVERGED,
    MAX_STEPS,
    SINGULAR_HESSIAN,
    GradientNoise,
    OptimizeResult,
    adam,
    gradient_descent,
    gradient_noise,
    learning_rate_schedule,
    newton,
    sgd,
)
from .sampled import LocalPolynomialInterpolator, MultivariateDerivatives, SplineInterpolator
from .transforms import (
    Derivative,
    UnreliableDerivativeWarning,
    derivative,
    directional,
    grad,
    hessian,
    hvp,
    jacobian,
    jvp,
    laplacian,
    partial,
)

__all__ = [
    "CONVERGED",
    "DIVERGED",
    "MAX_STEPS",
    "SINGULAR_HESSIAN",
    "OptimizeResult",
    "adam",
    "gradient_descent",
    "newton",
    "GradientNoise",
    "gradient_noise",
    "learning_rate_schedule",
    "sgd",
    "ChainRuleCheck",
    "JacobianProduct",
    "TwoLayerNet",
    "chain_flops",
    "chain_rule_check",
    "multiply_jacobians",
    "INCONCLUSIVE",
    "MAXIMUM",
    "MINIMUM",
    "SADDLE",
    "CriticalPoint",
    "DefiniteFraction",
    "classify_critical_point",
    "definite_fraction",
    "find_critical_points",
    "Derivative",
    "UnreliableDerivativeWarning",
    "central_difference",
    "derivative",
    "directional",
    "five_point_laplacian",
    "forward_difference",
    "grad",
    "hessian",
    "hvp",
    "jacobian",
    "jvp",
    "laplacian",
    "LocalPolynomialInterpolator",
    "MultivariateDerivatives",
    "partial",
    "SplineInterpolator",
]


def __getattr__(name: str):
    """Import the submodules widgets, grading, datasets and autodiff on first use."""
    if name in ("widgets", "grading", "datasets", "autodiff"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
