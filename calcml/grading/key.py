"""The answer key: every exercise of the course, its prompt, expected answer, tolerance and points.

The key lives in the package so that the grader judges answers in its own process, never in
the learner's kernel. Exercise notebooks never contain expected values: a learner writes an
answer and calls ``calcml.widgets.submit("06.1", answer)``.

Each :class:`Exercise` has a *kind*:

``"number"``
    a real number (a Python number, a 0-d array, or a 1-element array);
``"vector"``
    a 1-D array (list, tuple or array) of a fixed length;
``"matrix"``
    a 2-D array of a fixed shape;
``"choice"``
    one of a few strings, e.g. ``"minimum"``, ``"saddle"``;
``"function"``
    code to write: the answer is a callable, ``submit`` calls it at the key's ``probes``
    (argument tuples) and the values are judged against ``expected`` evaluated at the same
    probes, in the grader's process.

``expected`` is either the value or a zero-argument callable computing it (``"function"``
exercises: a callable taking the probe arguments). Callables may use calcml; they run in the
grader's process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

__all__ = [
    "Exercise",
    "Mistake",
    "EXERCISES",
    "exercise",
    "exercises_for_chapter",
    "resolve_all",
]

Kind = Literal["number", "vector", "matrix", "choice", "function"]
Style = Literal["by hand", "code", "explore"]


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and the message that explains it.

    Parameters
    ----------
    value : object or callable
        The wrong answer (same kind as the exercise's answer). For ``"function"`` exercises a
        callable evaluated at the probes, like ``Exercise.expected``.
    message : str
        What to tell the learner when the answer matches ``value`` (within the exercise's
        tolerance).
    """

    value: Any
    message: str


@dataclass(frozen=True)
class Exercise:
    """One exercise of the answer key.

    Parameters
    ----------
    id : str
        ``"<chapter>.<number>"``, e.g. ``"06.1"``.
    kind : {"number", "vector", "matrix", "choice", "function"}
        What the answer is (see the module docstring).
    style : {"by hand", "code", "explore"}
        How the learner gets the answer: pen and paper, code to write, or reading it off an
        explorer widget.
    prompt : str
        The question as the notebook shows it (Markdown with ``$...$`` maths).
    expected : object or callable
        The expected answer, or a callable computing it in the grader's process.
    points : int, default: 1
        Points for a correct answer (there is no partial credit).
    rtol, atol : float
        Tolerances: a number ``a`` matches ``e`` when ``|a - e| <= atol + rtol * |e|``
        (element by element for arrays).
    choices : tuple of str
        The options of a ``"choice"`` exercise.
    probes : tuple of tuple
        Argument tuples at which a ``"function"`` answer is called.
    unordered : bool, default: False
        For vectors: the order of the components does not matter (e.g. eigenvalues).
    mistakes : tuple of Mistake
        Known wrong answers with targeted feedback.
    hint : str
        A general hint shown with any wrong answer.
    answer_text : str
        A short description of the answer for the instructor's table (never shown to learners).
    """

    id: str
    kind: Kind
    style: Style
    prompt: str
    expected: Any
    points: int = 1
    rtol: float = 1e-6
    atol: float = 1e-9
    choices: tuple[str, ...] = ()
    probes: tuple[tuple[Any, ...], ...] = ()
    unordered: bool = False
    mistakes: tuple[Mistake, ...] = ()
    hint: str = ""
    answer_text: str = ""

    @property
    def chapter(self) -> str:
        """The chapter number as two digits, e.g. ``"06"``."""
        return self.id.split(".")[0]

    def expected_value(self) -> Any:
        """Return the expected answer (for ``"function"``: the values at the probes).

        Returns
        -------
        object
            A float, a float array, or a string (``"choice"``).

        Examples
        --------
        >>> exercise("01.1").expected_value()
        array([4., 5.])
        """
        if self.id not in _RESOLVED:
            resolve_all([self])
        return _RESOLVED[self.id][0]

    def mistake_values(self) -> list[tuple[Any, str]]:
        """Return the known mistakes as ``(value, message)`` pairs, resolved like ``expected``."""
        if self.id not in _RESOLVED:
            resolve_all([self])
        return list(_RESOLVED[self.id][1])


_RESOLVED: dict[str, tuple[Any, tuple[tuple[Any, str], ...]]] = {}


def _resolve(ex: Exercise, value: Any) -> Any:
    if ex.kind == "function":
        out = np.array([np.asarray(value(*args), dtype=float) for args in ex.probes])
    else:
        if callable(value):
            value = value()
        if ex.kind == "choice":
            return str(value)
        out = np.asarray(value, dtype=float)
    out.flags.writeable = False
    return out


def resolve_all(exercises: Iterable[Exercise] | None = None) -> None:
    """Compute and freeze the expected values (and known mistakes) of exercises.

    The grader calls this once, before it executes any notebook, so that nothing a notebook
    does afterwards (e.g. editing installed files) can change the key it judges against.

    Parameters
    ----------
    exercises : iterable of Exercise, optional
        Default: every exercise of the key.
    """
    for ex in EXERCISES.values() if exercises is None else exercises:
        expected = _resolve(ex, ex.expected)
        mistakes = tuple((_resolve(ex, m.value), m.message) for m in ex.mistakes)
        _RESOLVED[ex.id] = (expected, mistakes)


# --- probe functions (the learner's code is called with these) ---------------------------------


def _g1(x, y):
    """Test function for 01.3: e^x sin(y) + x^3 y."""
    return np.exp(x) * np.sin(y) + x**3 * y


def _g5(x, y):
    """Test function for 05.2: sin(x) cos(2y) + x^2 y^3."""
    return np.sin(x) * np.cos(2 * y) + x**2 * y**3


def _polar(r, theta):
    """(r, theta) -> (x, y)."""
    return np.array([r * np.cos(theta), r * np.sin(theta)])


def _calcml():
    import calcml

    return calcml


def _central_x(f, x, y, h):
    return (f(x + h, y) - f(x - h, y)) / (2 * h)


def _exact_x(f, x, y, h):
    return _calcml().partial(f, 0)(x, y)


def _forward_x(f, x, y, h):
    return (f(x + h, y) - f(x, y)) / h


def _ref_polar_jacobian(r, theta):
    return _calcml().jacobian(_polar)(r, theta)


def _five_point(f, x, y, h):
    return (f(x + h, y) + f(x - h, y) + f(x, y + h) + f(x, y - h) - 4 * f(x, y)) / h**2


def _exact_laplacian(f, x, y, h):
    return _calcml().laplacian(f)(x, y)


def _descent_end(start, lr, steps, grad):
    p = np.asarray(start, dtype=float)
    for _ in range(steps):
        p = p - lr * grad(p)
    return p


def _seed_descent():
    """Return where the seed example ends: (x-1)^2 + (y-2)^2 from (4, 5), rate 0.1, 20 steps."""
    return _descent_end((4.0, 5.0), 0.1, 20, lambda p: 2 * (p - np.array([1.0, 2.0])))


_CRITICAL = ("minimum", "maximum", "saddle", "inconclusive")
_SQ40 = math.sqrt(40.0)


_ALL = [
    # ---- 01 partial derivatives ----------------------------------------------------------------
    Exercise(
        "01.1",
        "vector",
        "by hand",
        r"For $f(x, y) = x^2 + xy + y^2$, compute $\partial f/\partial x$ and "
        r"$\partial f/\partial y$ at $(1, 2)$. Answer with the list "
        r"`[df/dx, df/dy]`.",
        expected=[4.0, 5.0],
        points=2,
        hint="Differentiate with respect to one variable while you hold the other one fixed.",
        answer_text="[4, 5]",
    ),
    Exercise(
        "01.2",
        "number",
        "by hand",
        r"For $f(x, y) = x^3 y - 2y^2$, compute $\partial f/\partial y$ at $(2, 1)$.",
        expected=4.0,
        points=1,
        mistakes=(Mistake(12.0, "That is the partial derivative with respect to x."),),
        hint=r"Hold $x$ fixed: $x^3$ is a constant factor of $y$.",
        answer_text="4",
    ),
    Exercise(
        "01.3",
        "function",
        "code",
        r"Write a function `partial_x(f, x, y, h)` that returns the **central** difference "
        r"estimate of $\partial f/\partial x$ at $(x, y)$ with step $h$. "
        r"It is checked on a test function at a few points, with steps from $h = 10^{-4}$ to "
        r"$h = 0.25$ (where the formula's own error shows, so it must be exactly this formula).",
        expected=_central_x,
        probes=((_g1, 0.5, 1.0, 1e-4), (_g1, 1.0, -2.0, 0.1), (_g1, -1.5, 0.3, 0.25)),
        rtol=1e-6,
        atol=1e-7,
        points=2,
        mistakes=(
            Mistake(
                _exact_x,
                "These are exact derivatives, not the central difference with step h: at a "
                "large step the two differ. Use f at x + h and x - h.",
            ),
            Mistake(
                _forward_x,
                "This is the forward difference (f(x+h) - f(x)) / h: its error shrinks "
                "like h, not h^2. Step to both sides of x.",
            ),
        ),
        hint="Evaluate f at x + h and at x - h, with y unchanged.",
        answer_text="(f(x+h, y) - f(x-h, y)) / (2h)",
    ),
    # ---- 02 gradient -----------------------------------------------------------------------------
    Exercise(
        "02.1",
        "vector",
        "by hand",
        r"For $f(x, y, z) = xyz$, find $\nabla f$ and evaluate it at $(1, 2, 3)$.",
        expected=[6.0, 3.0, 2.0],
        points=2,
        hint=r"$\partial f/\partial x = yz$; the other two follow the same pattern.",
        answer_text="[6, 3, 2]",
    ),
    Exercise(
        "02.2",
        "vector",
        "by hand",
        r"For $f(x, y) = x^2 + 2y^2$, give the **unit** vector of steepest ascent at $(1, 1)$.",
        expected=[1 / math.sqrt(5), 2 / math.sqrt(5)],
        rtol=1e-3,
        atol=6e-3,  # two decimals ([0.45, 0.89]) are enough; [2, 4] and -grad stay wrong
        mistakes=(
            Mistake([2.0, 4.0], "That is the gradient itself: divide it by its length."),
            Mistake(
                [-1 / math.sqrt(5), -2 / math.sqrt(5)],
                "That is the direction of steepest *descent*.",
            ),
        ),
        answer_text="[1, 2] / sqrt(5)",
    ),
    Exercise(
        "02.3",
        "number",
        "explore",
        r"Open the gradient-field explorer of $f(x, y) = x^2 + 3y^2$ and move the point to "
        r"$(1, 1)$. How long is the gradient arrow, $\|\nabla f(1, 1)\|$? "
        "(Read it off the explorer.)",
        expected=_SQ40,
        rtol=0,
        atol=0.01,
        mistakes=(Mistake(40.0, "That is the squared length: take the square root."),),
        answer_text="sqrt(40) = 6.325",
    ),
    Exercise(
        "02.4",
        "vector",
        "code",
        r"Sample $f(x, y) = x^2 + y^2$ on a $20 \times 20$ grid on $[-2, 2]^2$, fit "
        r"`calcml.MultivariateDerivatives` to the samples (not to the formula) and give the "
        r"gradient of the fit at $(-1, 2)$.",
        expected=[-2.0, 4.0],
        rtol=0,
        atol=0.05,
        answer_text="[-2, 4] (from sampled data)",
    ),
    # ---- 03 Jacobian -----------------------------------------------------------------------------
    Exercise(
        "03.1",
        "matrix",
        "by hand",
        r"For $f(x, y) = (x^2 + y,\; xy)$, give the Jacobian at $(1, 2)$ as a $2 \times 2$ list "
        r"of rows (row $i$ = output $i$, column $j$ = input $j$).",
        expected=[[2.0, 1.0], [2.0, 1.0]],
        points=2,
        answer_text="[[2, 1], [2, 1]]",
    ),
    Exercise(
        "03.2",
        "matrix",
        "by hand",
        r"A layer computes $y = \tanh(Wx)$ with $W = \begin{pmatrix} 1 & 2 \\ 0 & -1 "
        r"\end{pmatrix}$. Give its Jacobian $\partial y / \partial x$ at $x = (1, 0)$.",
        expected=lambda: np.diag(1 - np.tanh([1.0, 0.0]) ** 2) @ np.array([[1.0, 2.0], [0, -1]]),
        rtol=1e-4,
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                [[1.0, 2.0], [0.0, -1.0]],
                "That is W alone: the chain rule multiplies it by tanh' = 1 - tanh^2 of each "
                "pre-activation.",
            ),
        ),
        hint=r"$\partial y_i/\partial x_j = (1 - \tanh^2((Wx)_i))\, W_{ij}$.",
        answer_text="diag(1 - tanh^2([1, 0])) @ W = [[0.420, 0.840], [0, -1]]",
    ),
    Exercise(
        "03.3",
        "function",
        "code",
        r"Write `polar_jacobian(r, theta)` returning the $2 \times 2$ Jacobian of "
        r"$(r, \theta) \mapsto (r\cos\theta,\; r\sin\theta)$.",
        expected=_ref_polar_jacobian,
        probes=((1.0, 0.0), (2.0, 0.7), (0.5, -2.0)),
        rtol=1e-5,
        atol=1e-7,
        mistakes=(
            Mistake(
                lambda r, t: _ref_polar_jacobian(r, t).T,
                "Rows and columns are swapped: row i is output i, column j is input j.",
            ),
        ),
        answer_text="[[cos t, -r sin t], [sin t, r cos t]]",
    ),
    # ---- 04 Hessian ------------------------------------------------------------------------------
    Exercise(
        "04.1",
        "matrix",
        "by hand",
        r"For $f(x, y) = x^3 + 2xy^2$, give the Hessian at $(1, 1)$.",
        expected=[[6.0, 4.0], [4.0, 4.0]],
        points=2,
        hint="The mixed partials are equal: the Hessian is symmetric.",
        answer_text="[[6, 4], [4, 4]]",
    ),
    Exercise(
        "04.2",
        "choice",
        "by hand",
        r"Is the Hessian of $f(x, y) = x^2 + 4xy + y^2$ positive definite, negative definite, "
        r"indefinite or semidefinite?",
        expected="indefinite",
        choices=("positive definite", "negative definite", "indefinite", "semidefinite"),
        mistakes=(
            Mistake(
                "positive definite",
                "The diagonal is positive, but look at the eigenvalues of [[2, 4], [4, 2]].",
            ),
        ),
        answer_text="indefinite (eigenvalues 6 and -2)",
    ),
    Exercise(
        "04.3",
        "vector",
        "by hand",
        r"Take one Newton step $p - H^{-1}\nabla f$ for $f(x, y) = x^4 + y^2$ from $(1, 1)$. "
        r"Where does it land?",
        expected=[2 / 3, 0.0],
        rtol=1e-4,
        atol=1e-6,
        points=2,
        mistakes=(Mistake([-3.0, -1.0], "That is a gradient step with rate 1, not Newton's."),),
        answer_text="[2/3, 0]",
    ),
    # ---- 05 Laplacian ----------------------------------------------------------------------------
    Exercise(
        "05.1",
        "number",
        "by hand",
        r"For $f(x, y) = x^2 y + y^3$, compute the Laplacian $\Delta f$ at $(1, 2)$.",
        expected=16.0,
        hint=r"$\Delta f = f_{xx} + f_{yy}$ (the trace of the Hessian).",
        answer_text="16",
    ),
    Exercise(
        "05.2",
        "function",
        "code",
        r"Write `five_point(f, x, y, h)` returning the 5-point stencil estimate of the "
        r"Laplacian of $f$ at $(x, y)$. It is checked with steps from $h = 10^{-3}$ to "
        r"$h = 0.25$ (where the stencil's own error shows, so it must be exactly this stencil).",
        expected=_five_point,
        probes=((_g5, 0.3, 0.4, 1e-3), (_g5, -1.0, 0.5, 0.1), (_g5, 2.0, -0.7, 0.25)),
        rtol=1e-5,
        atol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                _exact_laplacian,
                "These are exact Laplacians, not the 5-point stencil with step h: at a large "
                "step the two differ. Use f at the four neighbours at distance h.",
            ),
        ),
        hint="Sum the four neighbours, subtract 4 f(x, y), divide by h^2.",
        answer_text="(f(x+h,y) + f(x-h,y) + f(x,y+h) + f(x,y-h) - 4 f(x,y)) / h^2",
    ),
    Exercise(
        "05.3",
        "choice",
        "by hand",
        r"Which of these functions is harmonic (Laplacian zero everywhere)? "
        r"`x^2 + y^2`, `x^2 - y^2`, `x*y^2`, `exp(x) + y^2`",
        expected="x^2 - y^2",
        choices=("x^2 + y^2", "x^2 - y^2", "x*y^2", "exp(x) + y^2"),
        mistakes=(Mistake("x^2 + y^2", "Its Laplacian is 2 + 2 = 4 everywhere."),),
        answer_text="x^2 - y^2",
    ),
    # ---- 06 directional derivatives --------------------------------------------------------------
    Exercise(
        "06.1",
        "number",
        "by hand",
        r"For $f(x, y) = x^2 + xy + y^2$, compute the directional derivative at $(1, 2)$ in the "
        r"direction of $(3, 4)$.",
        expected=6.4,
        rtol=1e-6,
        atol=1e-6,
        points=2,
        mistakes=(Mistake(32.0, "The direction must be a unit vector: divide (3, 4) by 5."),),
        answer_text="[4, 5] . [3, 4] / 5 = 6.4",
    ),
    Exercise(
        "06.2",
        "number",
        "explore",
        r"Open the directional-derivative explorer of $f(x, y) = x^2 y$ at $(1, 2)$ and turn the "
        r"direction. At which angle $\theta$ in $[0^\circ, 180^\circ)$ is $D_v f = 0$? "
        "(In degrees; read it off the explorer.)",
        expected=90.0 + math.degrees(math.atan2(1.0, 4.0)),
        rtol=0,
        atol=0.5,  # 104.04: on the whole-degree slider only 104
        mistakes=(
            Mistake(
                math.degrees(math.atan2(1.0, 4.0)),
                "At that angle D_v f is largest (along the gradient); turn a quarter further.",
            ),
            Mistake(103.0, "One degree short: D_v f changes sign between 104 and 105 degrees."),
            Mistake(105.0, "One degree too far: D_v f changes sign between 104 and 105 degrees."),
        ),
        answer_text="90 + atan2(1, 4) = 104.04 degrees",
    ),
    Exercise(
        "06.3",
        "choice",
        "by hand",
        r"In which direction is the directional derivative $D_v f$ smallest (most negative)?",
        expected="against the gradient",
        choices=(
            "along the gradient",
            "against the gradient",
            "perpendicular to the gradient",
            "it depends on the function",
        ),
        mistakes=(
            Mistake(
                "perpendicular to the gradient",
                "Perpendicular to the gradient D_v f is zero, not smallest.",
            ),
        ),
        answer_text="against the gradient (value -norm(grad f))",
    ),
    # ---- 07 chain rule ---------------------------------------------------------------------------
    Exercise(
        "07.1",
        "number",
        "by hand",
        r"Let $z = f(x, y) = x^2 y$ with $x = \cos t$, $y = \sin t$. Compute $dz/dt$ at "
        r"$t = \pi/4$.",
        expected=-1 / (2 * math.sqrt(2)),
        rtol=2e-3,  # accepts -0.354 and -0.3536 (by hand); rejects -0.35
        atol=1e-6,
        points=2,
        answer_text="-1/(2 sqrt 2) = -0.35355",
    ),
    Exercise(
        "07.2",
        "matrix",
        "by hand",
        r"With $g(x, y) = (x + y,\; x - y)$ and $f(u, v) = (uv,\; u^2)$, give the Jacobian of "
        r"$f \circ g$ at $(1, 2)$.",
        expected=[[2.0, -4.0], [6.0, 6.0]],
        points=2,
        mistakes=(
            Mistake(
                [[5.0, 3.0], [-7.0, 3.0]],
                "The product is in the wrong order: J_{f o g} = J_f(g(p)) @ J_g(p).",
            ),
        ),
        answer_text="J_f(3, -1) @ J_g = [[2, -4], [6, 6]]",
    ),
    Exercise(
        "07.3",
        "choice",
        "by hand",
        r"A network maps a million inputs to one scalar loss through a chain of layers. "
        r"Which order of multiplying the layer Jacobians is cheaper?",
        expected="reverse",
        choices=("forward", "reverse", "same cost"),
        mistakes=(
            Mistake(
                "forward",
                "Forward order carries matrices as wide as the input; reverse order carries a "
                "single row vector (this is backpropagation).",
            ),
        ),
        answer_text="reverse (backpropagation)",
    ),
    # ---- 08 critical points ----------------------------------------------------------------------
    Exercise(
        "08.1",
        "choice",
        "by hand",
        r"The only critical point of the monkey saddle $f(x, y) = x^3 - 3xy^2$ is the origin. "
        r"What does the Hessian test say there?",
        expected="inconclusive",
        choices=_CRITICAL,
        points=2,
        mistakes=(
            Mistake(
                "saddle",
                "The surface does look like a saddle, but the question is what the Hessian test "
                "says: compute the Hessian at the origin and its eigenvalues.",
            ),
        ),
        answer_text="inconclusive (the Hessian is zero)",
    ),
    Exercise(
        "08.2",
        "vector",
        "by hand",
        r"Give the two eigenvalues of the Hessian of $f(x, y) = x^2 - y^2$ at $(0, 0)$.",
        expected=[-2.0, 2.0],
        unordered=True,
        answer_text="-2 and 2 (any order): a saddle",
    ),
    Exercise(
        "08.3",
        "choice",
        "by hand",
        r"Classify the critical point $(0, 0)$ of $f(x, y) = x^2 + 3xy + y^2$.",
        expected="saddle",
        choices=_CRITICAL,
        mistakes=(
            Mistake("minimum", "Both diagonal entries are positive, but check the eigenvalues."),
        ),
        answer_text="saddle (eigenvalues 5 and -1)",
    ),
    Exercise(
        "08.4",
        "number",
        "explore",
        r"Open the quadratic-form explorer with $a = c = 1$. Increase $b$ from $0$: at which "
        r"value of $b$ does the second-derivative test stop reporting a (strict) minimum of "
        r"$x^2 + bxy + y^2$ at the origin?",
        expected=2.0,
        rtol=0,
        atol=0.05,
        mistakes=(
            Mistake(
                2.1,
                "At 2.1 it is already a saddle. Look one step earlier: at b = 2 an eigenvalue is "
                "0 and the test is inconclusive.",
            ),
        ),
        answer_text="b = 2 (b^2 = 4ac)",
    ),
    # ---- 09 gradient descent ---------------------------------------------------------------------
    Exercise(
        "09.1",
        "vector",
        "code",
        r"Minimise $f(x, y) = \sin x + \cos y$ by gradient descent from $(0, 0)$ with learning "
        r"rate $0.1$ and $1000$ steps. Where does it end?",
        expected=[-math.pi / 2, 0.0],
        rtol=0,
        atol=1e-2,
        points=2,
        mistakes=(
            Mistake(
                [-math.pi / 2, math.pi],
                "That is the minimum, but descent started exactly at y = 0 cannot get there: "
                "the y-component of the gradient, -sin(y), is zero all along the way.",
            ),
        ),
        answer_text="(-pi/2, 0): stalls on the saddle",
    ),
    Exercise(
        "09.2",
        "vector",
        "code",
        r"Repeat from $(0, 0.01)$ (a small nudge). Where does it end now?",
        expected=[-math.pi / 2, math.pi],
        rtol=0,
        atol=1e-2,
        points=2,
        mistakes=(
            Mistake(
                [-math.pi / 2, 0.0],
                "That is the saddle: with the nudge the y-gradient is no longer zero. "
                "Did you run enough steps?",
            ),
        ),
        answer_text="(-pi/2, pi): the minimum",
    ),
    Exercise(
        "09.3",
        "number",
        "explore",
        r"Open the gradient-descent explorer on $f(x, y) = x^2 + 3y^2$. What is the largest "
        r"learning rate for which descent still converges? (Two decimals.)",
        expected=0.33,
        rtol=0,
        atol=0.00333,  # accepts 0.33 to 0.3333 (all converge); rejects 1/3 and above
        points=2,
        mistakes=(
            Mistake(
                1 / 3,
                "1/3 = 2 / (largest Hessian eigenvalue) is the boundary: at exactly that rate the "
                "y-factor is 1 - 6/3 = -1 and the iterates oscillate for ever. Give the largest "
                "two-decimal rate below it.",
            ),
            Mistake(
                0.34,
                "At 0.34 the y-factor is 1 - 6 * 0.34 = -1.04: descent diverges. Go one step down.",
            ),
        ),
        hint="Watch the steep direction (y): the iterates start to oscillate, then to diverge.",
        answer_text="0.33 (just below 2 / largest Hessian eigenvalue 6 = 1/3)",
    ),
    Exercise(
        "09.4",
        "vector",
        "code",
        r"Minimise $(x - 1)^2 + (y - 2)^2$ from $(4, 5)$ with learning rate $0.1$ for $20$ steps, "
        r"using a gradient learned from a $30 \times 30$ grid of samples on $[-1, 6]^2$. Give the "
        r"end point.",
        expected=_seed_descent,
        rtol=0,
        atol=5e-3,
        points=2,
        answer_text="(1.0346, 2.0346): 0.8^20 of the way back from (4, 5)",
    ),
]

#: All exercises by id, in course order.
EXERCISES: Mapping[str, Exercise] = {ex.id: ex for ex in _ALL}


def exercise(exercise_id: str) -> Exercise:
    """Return the exercise with this id.

    Parameters
    ----------
    exercise_id : str
        E.g. ``"06.1"``.

    Returns
    -------
    Exercise

    Raises
    ------
    KeyError
        If there is no such exercise (the message lists the chapter's ids).

    Examples
    --------
    >>> exercise("08.1").kind
    'choice'
    """
    try:
        return EXERCISES[exercise_id]
    except (KeyError, TypeError):
        known = ", ".join(EXERCISES)
        raise KeyError(f"no exercise {exercise_id!r}; known ids: {known}") from None


def exercises_for_chapter(chapter: str | int) -> list[Exercise]:
    """Return the exercises of one chapter, in order.

    Parameters
    ----------
    chapter : str or int
        ``"06"``, ``"6"`` or ``6``.

    Returns
    -------
    list of Exercise

    Examples
    --------
    >>> [ex.id for ex in exercises_for_chapter(1)]
    ['01.1', '01.2', '01.3']
    """
    wanted = f"{int(chapter):02d}"
    return [ex for ex in _ALL if ex.chapter == wanted]
