"""Exercises of chapter 10: matrix calculus and backpropagation."""

from __future__ import annotations

import numpy as np

from .. import autodiff as ad
from ._exercise import Exercise, Mistake


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _classifier_grad(W, x, c):
    """Return (p - e_c) x^T for L(W) = -log softmax(W x)_c, from reverse mode."""
    return ad.grad(lambda W: ad.logsumexp(W @ x) - (W @ x)[c])(W)


def _classifier_no_target(W, x, c):
    return np.outer(_softmax(W @ x), x)


def _classifier_sign(W, x, c):
    return -_classifier_grad(W, x, c)


def _classifier_sample(rng: np.random.Generator) -> list[tuple]:
    """Three (W, x, c) with W of shape (3, 4) (one shape: the key stacks the values)."""
    return [
        (np.round(rng.standard_normal((3, 4)), 2), np.round(rng.standard_normal(4), 2), int(c))
        for c in rng.permutation(3)
    ]


def _net_loss(W1, b1, w2, b2, X, t, relu=ad.relu):
    yhat = relu(X @ W1.T + b1) @ w2 + b2
    return ((yhat - t) ** 2).sum() / (2 * len(t))


def _flat(*arrays):
    return np.concatenate([np.ravel(a) for a in arrays])


def _net_grad(W1, b1, w2, b2, X, t):
    """Return the flat gradient [dW1, db1, dw2, db2], from reverse mode."""
    return _flat(*ad.grad(_net_loss, argnums=(0, 1, 2, 3))(W1, b1, w2, b2, X, t))


def _net_grad_sum(W1, b1, w2, b2, X, t):
    return len(t) * _net_grad(W1, b1, w2, b2, X, t)


def _net_grad_no_mask(W1, b1, w2, b2, X, t):
    return _flat(
        *ad.grad(lambda *p: _net_loss(*p, X, t, relu=lambda a: a), argnums=(0, 1, 2, 3))(
            W1, b1, w2, b2
        )
    )


def _net_sample(rng: np.random.Generator) -> list[tuple]:
    """Three small networks and data sets (no pre-activation near the ReLU kink)."""
    probes = []
    for _ in range(3):
        n, h, N = 3, 4, 5  # one shape: the key stacks the values
        while True:
            W1 = np.round(rng.standard_normal((h, n)), 2)
            b1 = np.round(0.5 * rng.standard_normal(h), 2)
            X = np.round(rng.standard_normal((N, n)), 2)
            A = X @ W1.T + b1
            if np.abs(A).min() > 0.05 and (A > 0).any():
                break
        w2 = np.round(rng.standard_normal(h), 2)
        b2 = float(np.round(0.3 * rng.standard_normal(), 2))
        t = np.round(rng.standard_normal(N), 2)
        probes.append((W1, b1, w2, b2, X, t))
    return probes


EXERCISES = [
    Exercise(
        "10.1",
        "vector",
        "by hand",
        r"A layer computes $\mathbf z = W\mathbf x + \mathbf b$ with $\mathbf x \in \mathbb R^3$ "
        r"and $\mathbf z \in \mathbb R^4$, and a scalar loss $\mathcal L$ depends on "
        r"$\mathbf z$. With the course's layout conventions, what is the shape of "
        r"$\partial \mathcal L/\partial W$? Answer `[rows, columns]`.",
        level="warm-up",
        expected=[4.0, 3.0],
        mistakes=(
            Mistake(
                [3.0, 4.0],
                "That is the transpose (denominator layout). The gradient has the shape of the "
                "parameter, and W maps 3 inputs to 4 outputs.",
            ),
        ),
        hint=r"First find the shape of $W$ from the sizes of $\mathbf x$ and $\mathbf z$.",
        answer_text="[4, 3] (the shape of W)",
    ),
    Exercise(
        "10.2",
        "vector",
        "by hand",
        r"Draw the computational graph of $f(x, y) = xy + \max(x, y)\,y$ and run the forward "
        r"and backward passes by hand at $(x, y) = (3, 2)$. Give $\nabla f = "
        r"[\partial f/\partial x, \partial f/\partial y]$.",
        level="compute",
        expected=[4.0, 6.0],
        points=2,
        mistakes=(
            Mistake(
                [2.0, 3.0],
                "You followed only the product xy. x and y are each used twice (fan-out): add "
                "what reaches them along every edge.",
            ),
            Mistake(
                [2.0, 6.0],
                "The max gate routes its gradient to the larger input, x = 3, so x also gets "
                "something from max(x, y) y.",
            ),
        ),
        hint="Multiply swaps, add distributes, max routes; a variable used twice adds up.",
        answer_text="[4, 6]: x gets 2 + 2, y gets 3 + 3",
    ),
    Exercise(
        "10.3",
        "vector",
        "by hand",
        r"Let $A = \begin{pmatrix} 2 & 1 \\ -1 & 3 \end{pmatrix}$ and "
        r"$\mathbf a = (1, -2)$. Compute the gradient of "
        r"$f(\mathbf x) = \mathbf x^\top A\mathbf x + \mathbf a^\top\mathbf x$ at "
        r"$\mathbf x = (1, 2)$.",
        level="compute",
        expected=[5.0, 10.0],
        mistakes=(
            Mistake(
                [9.0, 8.0],
                "2 A x is the gradient only for a symmetric A; this A is not symmetric.",
            ),
            Mistake([4.0, 12.0], "That is the quadratic part only: add the gradient of a^T x."),
        ),
        hint=r"$\nabla(\mathbf x^\top A\mathbf x) = (A + A^\top)\mathbf x$.",
        answer_text="(A + A^T) x + a = [5, 10]",
    ),
    Exercise(
        "10.4",
        "matrix",
        "by hand",
        r"A layer $\mathbf z = W\mathbf x$ with $W = \begin{pmatrix} 1 & 0 & -1 \\ 2 & 1 & 0 "
        r"\end{pmatrix}$ is followed by the loss "
        r"$\mathcal L = \tfrac12\lVert\mathbf z\rVert^2$. At $\mathbf x = (1, -1, 2)$, find the "
        r"upstream gradient $\boldsymbol\delta = \nabla_{\mathbf z}\mathcal L$ and give "
        r"$\partial \mathcal L/\partial W$ as a $2\times3$ list of rows.",
        level="compute",
        expected=[[-1.0, 1.0, -2.0], [1.0, -1.0, 2.0]],
        points=2,
        mistakes=(
            Mistake(
                [[1.0, -1.0, 2.0], [1.0, -1.0, 2.0]],
                "That uses delta = (1, 1). The upstream gradient of L = |z|^2 / 2 is "
                "z = W x itself.",
            ),
        ),
        hint=r"$\boldsymbol\delta = \mathbf z = W\mathbf x$, then "
        r"$\partial \mathcal L/\partial W = \boldsymbol\delta\mathbf x^\top$.",
        answer_text="delta x^T with delta = W x = (-1, 1): [[-1, 1, -2], [1, -1, 2]]",
    ),
    Exercise(
        "10.5",
        "vector",
        "by hand",
        r"A classifier outputs logits $\mathbf z = (\ln 3,\; 0,\; \ln 6)$. The true class is "
        r"the first, but the model is trained with *label smoothing*: the target is the "
        r"distribution $\mathbf y = (0.8,\; 0.1,\; 0.1)$ instead of the one-hot $(1, 0, 0)$. "
        r"Give the gradient of the cross-entropy loss "
        r"$\mathcal L = -\sum_i y_i\log\operatorname{softmax}(\mathbf z)_i$ with respect to "
        r"$\mathbf z$.",
        level="compute",
        expected=[-0.5, 0.0, 0.5],
        mistakes=(
            Mistake(
                [-0.7, 0.1, 0.6],
                "That is p minus the one-hot target. Use the smoothed target y = (0.8, 0.1, "
                "0.1): the gradient p - y holds for any target whose entries sum to 1.",
            ),
            Mistake([0.3, 0.1, 0.6], "That is p itself: subtract the target y."),
            Mistake([0.5, 0.0, -0.5], "The sign is reversed: the gradient is p - y, not y - p."),
        ),
        hint=r"$e^{\mathbf z} = (3, 1, 6)$. Reread the proof that $\nabla_{\mathbf z}\mathcal L = "
        r"\mathbf p - \mathbf y$: what did it assume about $\mathbf y$?",
        answer_text="p - y = [0.3, 0.1, 0.6] - [0.8, 0.1, 0.1] = [-0.5, 0, 0.5]",
    ),
    Exercise(
        "10.6",
        "number",
        "by hand",
        r"You need the full $3 \times 1000$ Jacobian of a map $\mathbb R^{1000} \to \mathbb R^3$ "
        r"and have reverse-mode automatic differentiation, where one backward pass computes one "
        r"vector-Jacobian product $\mathbf u^\top J$. What is the smallest number of backward "
        r"passes that gives every entry of $J$?",
        level="compute",  # a count to work out: what one pass yields (a row), and why no fewer
        expected=3.0,
        mistakes=(
            Mistake(
                1000.0,
                "1000 is the count for forward mode (one JVP per input direction). A VJP "
                "gives a whole row of J.",
            ),
            Mistake(1.0, "One VJP gives one row u^T J; J has three rows."),
        ),
        hint=r"Which part of $J$ does $\mathbf u^\top J$ give for $\mathbf u = \mathbf e_i$?",
        answer_text="3 (one VJP per output, u = e_1, e_2, e_3)",
    ),
    Exercise(
        "10.7",
        "function",
        "by hand",
        r"A linear softmax classifier has weights $W \in \mathbb R^{m\times n}$, logits "
        r"$\mathbf z = W\mathbf x$ and loss "
        r"$\mathcal L(W) = -\log\operatorname{softmax}(W\mathbf x)_c$ for a sample $\mathbf x$ of "
        r"class $c$. **Derive** $\partial \mathcal L/\partial W$ (an "
        r"$m\times n$ matrix), then write `classifier_grad(W, x, c)` returning it "
        r"(classes are numbered from 0, as in Python).",
        level="derive",
        expected=_classifier_grad,
        probes=tuple(_classifier_sample(np.random.default_rng(1001))),
        probe_sampler=_classifier_sample,
        rtol=1e-6,
        atol=1e-9,
        points=2,
        mistakes=(
            Mistake(
                _classifier_no_target,
                "That is p x^T: the target is missing. The upstream gradient of the "
                "cross-entropy is p - e_c.",
            ),
            Mistake(_classifier_sign, "The sign is reversed: the gradient is (p - e_c) x^T."),
        ),
        hint=r"Chain two results of the chapter: $\nabla_{\mathbf z}\mathcal L$ for softmax with "
        r"cross-entropy, then $\partial \mathcal L/\partial W$ for a linear layer.",
        answer_text="(softmax(W x) - e_c) x^T",
    ),
    Exercise(
        "10.8",
        "function",
        "code",
        r"Backpropagation by hand. A network with one ReLU hidden layer and one output "
        r"computes, for inputs $X$ ($N\times n$, one sample per row) and targets "
        r"$\mathbf t \in \mathbb R^N$: $A = XW_1^\top + \mathbf 1\mathbf b_1^\top$, "
        r"$H = \max(A, 0)$, $\hat{\mathbf y} = H\mathbf w_2 + b_2$ and "
        r"$\mathcal L = \frac{1}{2N}\sum_s(\hat y_s - t_s)^2$. Write "
        r"`backprop(W1, b1, w2, b2, X, t)` that returns the gradient of $\mathcal L$ with respect "
        r"to all parameters as one flat array `np.concatenate([dW1.ravel(), db1, dw2, [db2]])`, "
        r"computed with numpy from the "
        r"formulas of the chapter (a forward pass, then a backward pass), not with "
        r"`calcml.autodiff` or finite differences.",
        level="code",
        expected=_net_grad,
        probes=tuple(_net_sample(np.random.default_rng(1008))),
        probe_sampler=_net_sample,
        rtol=1e-6,
        atol=1e-9,
        points=3,
        mistakes=(
            Mistake(
                _net_grad_sum,
                "Every entry is N times too large: the loss is a mean over the N samples, so "
                "the upstream gradient of y-hat is (y-hat - t) / N.",
            ),
            Mistake(
                _net_grad_no_mask,
                "The ReLU is missing from the backward pass: multiply the gradient reaching A "
                "by 1 where A > 0 and by 0 elsewhere.",
            ),
        ),
        hint=r"Backwards: $\partial \mathcal L/\partial\hat{\mathbf y} = "
        r"(\hat{\mathbf y} - \mathbf t)/N$; $\partial \mathcal L/\partial\mathbf w_2 = "
        r"H^\top(\cdot)$; $\partial \mathcal L/\partial H$ is an outer product; the ReLU masks it;"
        r" then the linear-layer rule for $W_1$ and $\mathbf b_1$.",
        answer_text="flat [dW1, db1, dw2, db2] of the ReLU network (checked against autodiff)",
    ),
]
