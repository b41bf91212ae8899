"""Chapter 10's code exercises: references, known mistakes and grading-time points."""

import json

import numpy as np
import pytest

import calcml
from calcml.exercise_bank import exercise
from calcml.exercise_bank.ch10 import (
    _classifier_no_target,
    _classifier_sign,
    _net_grad_no_mask,
    _net_grad_sum,
)
from calcml.grading import evaluate_at_probes, judge_function
from calcml.grading.grader import _encode_arg, draw_private_probes
from calcml.widgets._submit import _decode_arg


def classifier_grad(W, x, c):  # the solution notebook's answer to 10.7
    z = W @ x
    p = np.exp(z - z.max())
    p /= p.sum()
    p[c] -= 1.0
    return np.outer(p, x)


def backprop(W1, b1, w2, b2, X, t):  # the solution notebook's answer to 10.8
    A = X @ W1.T + b1
    H = np.maximum(A, 0)
    d = (H @ w2 + b2 - t) / len(t)
    dA = np.outer(d, w2) * (A > 0)
    return np.concatenate([(dA.T @ X).ravel(), dA.sum(axis=0), H.T @ d, [d.sum()]])


def test_references_are_the_formulas_asked_for():
    for W, x, c in exercise("10.7").probes:
        p = np.exp(W @ x) / np.exp(W @ x).sum()
        expected = np.outer(p - np.eye(len(p))[c], x)
        np.testing.assert_allclose(exercise("10.7").expected(W, x, c), expected, atol=1e-12)
    for args in exercise("10.8").probes:
        np.testing.assert_allclose(exercise("10.8").expected(*args), backprop(*args), atol=1e-12)
        # and against finite differences of the loss as a function of all 21 parameters
        W1, b1, w2, b2, X, t = args
        cuts = np.cumsum([W1.size, b1.size, w2.size])

        def loss(theta, X=X, t=t, cuts=cuts, shape=W1.shape):
            a, b, c, d = np.split(theta, cuts)
            H = np.maximum(X @ a.reshape(shape).T + b, 0)
            return ((H @ c + d[0] - t) ** 2).sum() / (2 * len(t))

        theta = np.concatenate([W1.ravel(), b1, w2, [b2]])
        fd = calcml.grad(loss, vectorized=False)(theta)
        np.testing.assert_allclose(backprop(*args), fd, rtol=1e-6, atol=1e-8)


MISTAKES = {
    "10.7": (_classifier_no_target, _classifier_sign),
    "10.8": (_net_grad_sum, _net_grad_no_mask),
}


@pytest.mark.parametrize(("ex_id", "answer"), [("10.7", classifier_grad), ("10.8", backprop)])
def test_grading_time_points_travel_and_judge_the_solution(ex_id, answer):
    ex = exercise(ex_id)
    assert not ex.practice_only
    for seed in range(3):
        args, expected = draw_private_probes(ex, np.random.default_rng(seed))
        wire = json.loads(json.dumps([[_encode_arg(a) for a in t] for t in args]))
        decoded = [tuple(_decode_arg(a) for a in t) for t in wire]
        good = evaluate_at_probes(answer, decoded)
        assert judge_function(good, args, expected, rtol=ex.rtol, atol=ex.atol).correct
        for wrong in MISTAKES[ex_id]:  # the known mistakes stay wrong at these points
            bad = evaluate_at_probes(wrong, decoded)
            assert not judge_function(bad, args, expected, rtol=ex.rtol, atol=ex.atol).correct


def test_a_lookup_table_of_the_public_points_fails_at_private_points():
    ex = exercise("10.8")
    table = {float(p[0].sum()): v for p, v in zip(ex.probes, ex.expected_value(), strict=True)}
    args, expected = draw_private_probes(ex, np.random.default_rng(11))
    cheat = evaluate_at_probes(lambda *a: table.get(float(a[0].sum()), np.zeros(21)), args)
    assert not judge_function(cheat, args, expected, rtol=ex.rtol, atol=ex.atol).correct


def test_label_smoothing_answer_is_p_minus_the_soft_target():
    from calcml import autodiff as ad
    from calcml.grading import judge

    z, y = np.log([3.0, 1.0, 6.0]), np.array([0.8, 0.1, 0.1])
    grad = ad.grad(lambda z: -(y * ad.log(ad.softmax(z))).sum())(z)
    np.testing.assert_allclose(exercise("10.5").expected, grad, atol=1e-12)
    assert judge("10.5", list(grad)).points == 1.0
    one_hot = ad.softmax(z) - np.array([1.0, 0.0, 0.0])
    assert "one-hot" in judge("10.5", list(one_hot)).message
