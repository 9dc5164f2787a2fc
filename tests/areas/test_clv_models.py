"""BG/NBD and Gamma-Gamma mathematics: compression is exact, gradients are the derivatives,
the conditional expectation equals the textbook 2F1 form and stays finite beyond it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import betaln, gammaln, hyp2f1

from diag.areas import clv_models as models


def _bgnbd_rows(params, x, tx, T) -> float:
    """FHL (2005) eq. 6, customer by customer, written out as in the paper."""
    r, alpha, a, b = params
    total = 0.0
    for xi, ti, Ti in zip(x, tx, T):
        a1 = gammaln(r + xi) - gammaln(r) + r * np.log(alpha)
        a2 = betaln(a, b + xi) - betaln(a, b) - (r + xi) * np.log(alpha + Ti)
        term = np.exp(a2)
        if xi > 0:
            term += np.exp(betaln(a + 1, b + xi - 1) - betaln(a, b) - (r + xi) * np.log(alpha + ti))
        total += a1 + np.log(term)
    return total


def _customers(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    T = rng.integers(1, 60, n) / 7 * 7                       # whole weeks, many repeats
    x = np.where(rng.random(n) < 0.4, 0, rng.poisson(3, n)).astype(float)
    tx = np.where(x > 0, np.floor(rng.random(n) * T), 0.0)
    return x, tx, T.astype(float)


def _assert_central_differences(f, p: np.ndarray, grad: np.ndarray) -> None:
    for i in range(len(p)):
        h = 1e-5 * p[i]
        up, down = p.copy(), p.copy()
        up[i] += h
        down[i] -= h
        fd = (f(up) - f(down)) / (2 * h)
        assert grad[i] == pytest.approx(fd, rel=1e-5, abs=1e-6 * max(1.0, abs(fd))), i


def test_compressed_bgnbd_loglik_equals_the_sum_over_customers():
    x, tx, T = _customers(400, seed=1)
    data = models.bgnbd_data(x, tx, T)
    assert data.rows < 400 and data.n == 400
    for params in ([0.243, 4.414, 0.793, 2.426], [2.0, 0.5, 3.0, 0.2], [50.0, 300.0, 0.01, 40.0]):
        ll, _ = models.bgnbd_loglik_grad(np.array(params), data)
        assert ll == pytest.approx(_bgnbd_rows(params, x, tx, T), rel=1e-12)


def test_weights_count_customers_like_repeated_rows():
    x, tx, T = _customers(50, seed=2)
    w = np.arange(1, 51, dtype=float)
    weighted = models.bgnbd_data(x, tx, T, w)
    repeated = models.bgnbd_data(np.repeat(x, w.astype(int)), np.repeat(tx, w.astype(int)),
                                 np.repeat(T, w.astype(int)))
    p = np.array([0.7, 3.0, 1.2, 2.5])
    assert models.bgnbd_loglik_grad(p, weighted)[0] == pytest.approx(models.bgnbd_loglik_grad(p, repeated)[0])
    assert weighted.n == repeated.n == w.sum()


@pytest.mark.parametrize("params", [[0.243, 4.414, 0.793, 2.426], [3.0, 0.8, 0.05, 9.0],
                                    [400.0, 2000.0, 20.0, 60.0]])
def test_bgnbd_gradient_matches_central_differences(params):
    x, tx, T = _customers(300, seed=3)
    data = models.bgnbd_data(x, tx, T)
    p = np.array(params)
    _, grad = models.bgnbd_loglik_grad(p, data)
    _assert_central_differences(lambda q: models.bgnbd_loglik_grad(q, data)[0], p, grad)


@pytest.mark.parametrize("params", [[6.25, 3.74, 15.44], [0.5, 1.5, 200.0], [80.0, 900.0, 3.0]])
def test_gamma_gamma_gradient_matches_central_differences(params):
    rng = np.random.default_rng(4)
    x = rng.integers(1, 9, 200).astype(float)
    m = rng.gamma(4, 30, 200)
    data = models.gamma_gamma_data(x, m)
    p = np.array(params)
    ll, grad = models.gamma_gamma_loglik_grad(p, data)
    px = p[0] * x
    direct = np.sum(gammaln(px + p[1]) - gammaln(px) - gammaln(p[1]) + p[1] * np.log(p[2])
                    + (px - 1) * np.log(m) + px * np.log(x) - (px + p[1]) * np.log(x * m + p[2]))
    assert ll == pytest.approx(direct, rel=1e-12)
    _assert_central_differences(lambda q: models.gamma_gamma_loglik_grad(q, data)[0], p, grad)


def _textbook(r, alpha, a, b, t, x, T):
    return (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x)
                                        * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)))


@pytest.mark.parametrize("params", [(0.243, 4.414, 0.793, 2.426), (2.0, 1.0, 0.3, 0.5),
                                    (0.1, 0.2, 5.0, 50.0), (10.0, 100.0, 100.0, 300.0)])
def test_expected_purchases_of_a_live_customer_equal_the_2f1_form(params):
    x = np.array([0.0, 1, 4, 20, 50])
    T = np.array([32.0, 1, 10, 60, 100])
    got = models.conditional_expected_purchases(*params, 13.0, x, T)
    np.testing.assert_allclose(got, _textbook(*params, 13.0, x, T), rtol=1e-10)


def test_expected_purchases_stay_finite_where_2f1_fails_and_meet_the_limits():
    x, T, t = np.array([0.0, 1, 5]), np.array([1.0, 5, 15]), 90 / 7
    # a, b → ∞ with a/(a+b) = p: every customer drops out with the same p.
    a, b = 4e5, 6e5
    got = models.conditional_expected_purchases(1.3, 1.8, a, b, t, x, T)
    p = a / (a + b)
    limit = (1 - (1 + p * t / (1.8 + T)) ** -(1.3 + x)) / p
    np.testing.assert_allclose(got, limit, rtol=1e-4)
    # r → ∞ with r/α = λ fixed and a → 0: a Poisson rate λ and nobody leaves: λ·t.
    got = models.conditional_expected_purchases(1e7, 1e7 / 0.3, 1e-6, 5.0, t, x, T)
    np.testing.assert_allclose(got, 0.3 * t, rtol=1e-4)
    # Parameters the old fit returned on a 500-customer export (a ≈ 45,360, b ≈ 17,310).
    got = models.conditional_expected_purchases(0.9, 2.1, 45360.0, 17310.0, t, x, T)
    assert np.all(np.isfinite(got)) and np.all(got > 0)


def _per_customer(params: np.ndarray, x, tx, T, w=None) -> tuple[float, np.ndarray]:
    """The log-likelihood and gradient summed over customers, each compressed on its own."""
    w = np.ones_like(x) if w is None else w
    ll, grad = 0.0, np.zeros(4)
    for xi, ti, Ti, wi in zip(x, tx, T, w):
        one = models.bgnbd_data(np.array([xi]), np.array([ti]), np.array([Ti]), np.array([wi]))
        l1, g1 = models.bgnbd_loglik_grad(params, one)
        ll, grad = ll + l1, grad + g1
    return ll, grad


@pytest.mark.parametrize("weighted", [False, True])
def test_compressed_loglik_and_gradient_equal_the_sums_over_single_customers(weighted):
    x, tx, T = _customers(300, seed=6)
    w = np.random.default_rng(7).integers(1, 5, 300).astype(float) if weighted else None
    data = models.bgnbd_data(x, tx, T, w)
    assert data.rows < 300
    for params in ([0.243, 4.414, 0.793, 2.426], [50.0, 300.0, 0.01, 40.0]):
        p = np.array(params)
        ll, grad = models.bgnbd_loglik_grad(p, data)
        ll_each, grad_each = _per_customer(p, x, tx, T, w)
        assert ll == pytest.approx(ll_each, rel=1e-12)
        assert grad == pytest.approx(grad_each, rel=1e-10)


@pytest.mark.parametrize("weighted", [False, True])
def test_whole_day_compression_builds_the_same_rows_as_hashing_the_values(weighted):
    rng = np.random.default_rng(8)
    n = 2_000
    T_days = rng.integers(0, 400, n)
    x = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 30, n)).astype(float)
    tx = np.where(x > 0, rng.integers(0, T_days + 1) / 7, 0.0)
    T = T_days / 7
    w = rng.integers(1, 4, n).astype(float) if weighted else None
    fast = models._bgnbd_whole(x, tx, T, w)
    assert fast is not None
    hashed = models._bgnbd_hashed(x, tx, T, w)
    for name in ("xs", "ts", "txs", "xi", "ti", "ri", "w", "w0", "nx", "m_xT", "n"):
        assert np.array_equal(getattr(fast, name), getattr(hashed, name)), name


def test_values_that_are_not_whole_days_are_hashed_with_the_same_likelihood():
    x, tx, T = _customers(300, seed=9)
    half_day = 0.5 / 7                                   # T and t_x half a day later: not k / 7
    assert models._bgnbd_whole(x, tx + half_day * (x > 0), T + half_day, None) is None
    shifted = models.bgnbd_data(x, tx + half_day * (x > 0), T + half_day)
    p = np.array([0.7, 3.0, 1.2, 2.5])
    ll, grad = models.bgnbd_loglik_grad(p, shifted)
    ll_each, grad_each = _per_customer(p, x, tx + half_day * (x > 0), T + half_day)
    assert ll == pytest.approx(ll_each, rel=1e-12)
    assert grad == pytest.approx(grad_each, rel=1e-10)
