"""Exercises of chapter 11: stochastic gradient descent and optimisers."""

from __future__ import annotations

import math

import numpy as np

from ._exercise import Exercise, Mistake

#: The least-squares data of exercise 11.7 (the notebook builds the same arrays).
SGD_DATA_SEED = 2024
SGD_N = 120


def sgd_data() -> tuple[np.ndarray, np.ndarray]:
    """Return ``(A, b)`` of exercise 11.7: 120 examples, 3 features."""
    rng = np.random.default_rng(SGD_DATA_SEED)
    A = rng.standard_normal((SGD_N, 3))
    b = A @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.standard_normal(SGD_N)
    return A, b


def _step_rates(eta0: float, batch_size: int, epochs: int, drop: bool = True) -> np.ndarray:
    per_epoch = -(-SGD_N // batch_size)
    epoch_of_step = np.repeat(np.arange(epochs), per_epoch)
    factor = np.where(epoch_of_step < epochs // 2, 1.0, 0.1) if drop else 1.0
    return eta0 * factor * np.ones(epochs * per_epoch)


def _train(eta0, batch_size, epochs, drop=True):
    """Return the reference end point of 11.7: calcml.sgd with the prompt's step schedule."""
    from ..optimize import sgd

    A, b = sgd_data()

    def loss(w):
        return float(np.mean((A @ w - b) ** 2) / 2)

    def grad(w, idx):
        return A[idx].T @ (A[idx] @ w - b[idx]) / len(idx)

    batch_size, epochs = int(batch_size), int(epochs)
    rates = _step_rates(eta0, batch_size, epochs, drop)
    res = sgd(loss, np.zeros(3), grad=grad, n_samples=SGD_N, batch_size=batch_size,
              epochs=epochs, schedule=rates, seed=0)  # fmt: skip
    return res.x


EXERCISES = [
    Exercise(
        "11.1",
        "number",
        "by hand",
        r"$f(x, y) = 2x^2 + 2xy + 2y^2$ is $L$-smooth. Below which learning rate does the descent "
        r"lemma guarantee that every gradient step decreases $f$ (away from the minimum)? Give "
        r"the limit $2/L$ as a number.",
        level="warm-up",
        expected=1 / 3,
        rtol=1e-3,
        points=1,
        mistakes=(
            Mistake(
                1 / 6,
                "That is 1/L, the rate with the largest guaranteed decrease; the question asks "
                "for the limit beyond which the guarantee is lost.",
            ),
            Mistake(
                0.5,
                "2/4 uses a diagonal entry of the Hessian. L is its largest eigenvalue: the "
                "Hessian [[4, 2], [2, 4]] has eigenvalues 2 and 6.",
            ),
            Mistake(1.0, "2/2 uses the smallest Hessian eigenvalue; L is the largest."),
            Mistake(
                2 / 3,
                "3 is the largest eigenvalue of the coefficient matrix [[2, 1], [1, 2]]; the "
                "Hessian is twice it.",
            ),
        ),
        hint="Write the Hessian and take its largest eigenvalue as L.",
        answer_text="2/L = 1/3 (Hessian [[4, 2], [2, 4]], eigenvalues 2 and 6)",
    ),
    Exercise(
        "11.2",
        "number",
        "by hand",
        r"At the current weights the per-example gradients have variance $\sigma^2 = 8$ (the "
        r"mean of $\lVert\nabla\ell_i - \nabla\mathcal L\rVert^2$). Minibatches are drawn "
        r"independently, with replacement. What is the smallest batch size $B$ for which the "
        r"expected squared error $\mathbb E\lVert\mathbf g_B - \nabla\mathcal L\rVert^2$ is "
        r"at most $0.25$?",
        level="warm-up",
        expected=32,
        rtol=0,
        atol=0.01,
        points=1,
        mistakes=(
            Mistake(
                128,
                "That makes the standard deviation sqrt(8 / B) at most 0.25. The bound is on the "
                "expected squared error (the variance), 8 / B.",
            ),
            Mistake(2, "8 * 0.25 = 2: the variance falls like 1/B, so divide 8 by the target."),
        ),
        hint="The minibatch variance is sigma^2 / B.",
        answer_text="32 (8 / B <= 0.25)",
    ),
    Exercise(
        "11.3",
        "number",
        "by hand",
        r"Adam with $\beta_1 = 0.9$ sees the gradients $g_1 = 2$ and then $g_2 = 4$ (one "
        r"coordinate). Compute the bias-corrected first moment $\hat m_2$.",
        level="compute",
        expected=0.58 / 0.19,
        rtol=1e-3,
        points=2,
        mistakes=(
            Mistake(0.58, "That is m_2 before the bias correction: divide by 1 - 0.9^2 = 0.19."),
            Mistake(5.8, "You divided by 1 - 0.9 = 0.1; after two steps the factor is 1 - 0.9^2."),
            Mistake(
                3.0, "That is the plain average of 2 and 4; Adam weights recent gradients more."
            ),
        ),
        hint="m_1 = 0.9 * 0 + 0.1 * g_1, m_2 = 0.9 * m_1 + 0.1 * g_2, then divide by 1 - 0.9^2.",
        answer_text="m_2 = 0.58, m_hat_2 = 0.58 / 0.19 = 3.0526",
    ),
    Exercise(
        "11.4",
        "function",
        "by hand",
        r"Heavy-ball momentum on $f(x) = \tfrac\lambda2 x^2$ gives the recursion "
        r"$e_{k+1} = (1 + \beta - \eta\lambda)e_k - \beta e_{k-1}$. For a rate with "
        r"$0 < \eta\lambda < 1$, derive the threshold $\beta_{\min}$ such that for every "
        r"$\beta_{\min} < \beta < 1$ the characteristic roots are complex and the error "
        r"oscillates with modulus exactly $\sqrt\beta$ per step. Write it as a function "
        r"`beta_min(eta, lam)`.",
        level="derive",
        expected=lambda eta, lam: (1 - math.sqrt(eta * lam)) ** 2,
        probes=((0.01, 1.0), (0.1, 5.0), (0.02, 30.0), (0.004, 100.0)),
        rtol=1e-6,
        points=2,
        mistakes=(
            Mistake(
                lambda eta, lam: 1 - math.sqrt(eta * lam),
                "That is the smallest sqrt(beta); square it to get beta.",
            ),
            Mistake(
                lambda eta, lam: (1 + math.sqrt(eta * lam)) ** 2,
                "That comes from the other end of the window; for eta * lam < 1 it exceeds 1, "
                "which is not an allowed momentum.",
            ),
        ),
        hint="Complex roots need a negative discriminant: (1 + beta - eta lam)^2 < 4 beta.",
        answer_text="(1 - sqrt(eta lam))^2",
    ),
    Exercise(
        "11.5",
        "function",
        "by hand",
        r"**Proof (self-checked) and formula (graded).** Let $f$ be $L$-smooth and bounded "
        r"below by $f_{\text{low}}$, not necessarily convex. Gradient descent with $\eta = 1/L$ "
        r"takes $k$ steps from $\mathbf x_0$. Prove that "
        r"$\min_{0 \le j < k}\lVert\nabla f(\mathbf x_j)\rVert^2 \le C$ and give the bound $C$ "
        r"as a function `bound(L, gap, k)`, where `gap` $= f(\mathbf x_0) - f_{\text{low}}$.",
        level="derive",
        expected=lambda L, gap, k: 2 * L * gap / k,
        probes=((2.0, 1.0, 1), (9.0, 5.0, 10), (0.5, 2.0, 100), (4.0, 0.25, 7)),
        rtol=1e-9,
        points=2,
        mistakes=(
            Mistake(
                lambda L, gap, k: L * gap / k,
                "The guaranteed decrease at eta = 1/L is |grad f|^2 / (2L), so the sum of "
                "|grad f|^2 is bounded by 2L times the gap.",
            ),
            Mistake(
                lambda L, gap, k: 2 * gap / (L * k),
                "Check the units: |grad f|^2 / (2L) is a decrease in f, so |grad f|^2 is at "
                "most 2L times a decrease.",
            ),
        ),
        hint="Apply the descent lemma at each step and add the k inequalities.",
        answer_text="2 L (f(x0) - f_low) / k",
    ),
    Exercise(
        "11.6",
        "function",
        "by hand",
        r"Examples $a_1, \dots, a_N$ have mean $\bar a$ and variance "
        r"$s^2 = \frac1N\sum_i(a_i - \bar a)^2$; the loss is $f(w) = \frac1N\sum_i "
        r"\frac\lambda2(w - a_i)^2$. SGD runs with a constant rate $\eta$ "
        r"($0 < \eta\lambda < 2$). Each step uses a batch of $B$ **distinct** examples "
        r"($1 \le B \le N$, drawn uniformly without replacement), drawn afresh and "
        r"independently of the previous steps. Derive the **exact** long-run level "
        r"$\lim_{k\to\infty}\mathbb E f(w_k) - f^*$ and write it as a function "
        r"`level(eta, lam, s2, B, N)`.",
        level="derive",
        expected=lambda eta, lam, s2, B, N: (
            eta * lam**2 * s2 * (N - B) / (2 * B * (N - 1) * (2 - eta * lam))
        ),
        probes=(
            (0.1, 1.0, 3.5, 1, 4),
            (0.05, 4.0, 2.0, 8, 48),
            (0.3, 5.0, 1.0, 2, 10),
            (0.01, 10.0, 0.5, 32, 1000),
            (0.2, 2.0, 1.5, 6, 6),
        ),
        rtol=1e-6,
        points=3,
        mistakes=(
            Mistake(
                lambda eta, lam, s2, B, N: eta * lam**2 * s2 / (2 * B * (2 - eta * lam)),
                "That is the level for batches drawn with replacement. Without replacement "
                "the batch mean has variance (s^2 / B) (N - B) / (N - 1).",
            ),
            Mistake(
                lambda eta, lam, s2, B, N: eta * lam**2 * s2 * (N - B) / (4 * B * (N - 1)),
                "That is the small-rate approximation (2 - eta lam replaced by 2); the question "
                "asks for the exact level.",
            ),
            Mistake(
                lambda eta, lam, s2, B, N: (
                    eta * lam * s2 * (N - B) / (B * (N - 1) * (2 - eta * lam))
                ),
                "That is the variance of w - a_bar; f - f* is lam / 2 times it.",
            ),
        ),
        hint=r"Show f(w) - f* = (lam/2)(w - a_bar)^2, then find the stationary variance of "
        r"e = w - a_bar from e <- (1 - eta lam) e + eta lam xi, where xi (the batch mean "
        r"minus a_bar) has the variance of the chapter's theorem on minibatch gradients.",
        answer_text="eta lam^2 s^2 (N - B) / (2 B (N - 1) (2 - eta lam))",
    ),
    Exercise(
        "11.7",
        "function",
        "code",
        r"**Minibatch SGD with a step schedule.** On the least-squares problem built in the "
        r"answer cell ($N = 120$ examples, "
        r"$f(\mathbf w) = \lVert A\mathbf w - \mathbf b\rVert^2/(2N)$), "
        r"write `train(eta0, batch_size, epochs)` returning the final $\mathbf w$ (shape `(3,)`):"
        "\n\n"
        r"- start at $\mathbf w = \mathbf 0$ and create `rng = np.random.default_rng(0)` once;"
        "\n"
        r"- each epoch, `order = rng.permutation(120)` and walk through it in consecutive batches "
        r"`order[0:B]`, `order[B:2B]`, ... (the last one may be smaller);"
        "\n"
        r"- each batch: $\mathbf w \leftarrow \mathbf w - \eta\,A_{\mathcal B}^\top(A_{\mathcal B}"
        r"\mathbf w - \mathbf b_{\mathcal B})/|\mathcal B|$;"
        "\n"
        r"- $\eta$ = `eta0` during the first `epochs // 2` epochs and `eta0 / 10` after them."
        "\n\n"
        r"Check your result against `calcml.sgd` if you like, but write the loop yourself.",
        level="code",
        expected=_train,
        probes=((0.1, 10, 10), (0.05, 1, 4), (0.2, 32, 6)),
        rtol=1e-6,
        atol=1e-9,
        points=3,
        mistakes=(
            Mistake(
                lambda eta0, batch_size, epochs: _train(eta0, batch_size, epochs, drop=False),
                "That is SGD with a constant rate: divide the rate by 10 after epochs // 2 epochs.",
            ),
        ),
        hint="Use one generator for the whole run; the last batch of an epoch may be shorter.",
        answer_text="final w of minibatch SGD with the step schedule (reference: calcml.sgd)",
    ),
]
