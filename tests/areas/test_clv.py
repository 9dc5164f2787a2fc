"""BG/NBD + Gamma-Gamma: hand-computed cases, the CDNOW literature values, sampling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from diag.areas import clv

# -- helpers ---------------------------------------------------------------------------------

def _orders(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    cid, day, amount = zip(*rows)
    return pd.DataFrame({
        "order_id": [f"o{i}" for i in range(len(rows))],
        "customer_id": pd.Series(cid, dtype="string"),
        "paid_at": pd.to_datetime(list(day), format="ISO8601"),
        "amount": np.array(amount, dtype=float),
        "channel": pd.NA, "store": pd.NA, "status": pd.NA,
    })


def _cdnow_raw(folder) -> pd.DataFrame:
    raw = pd.read_csv(folder / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["customer", "sample_id", "date", "cds", "value"],
                      dtype={"customer": str, "sample_id": str, "date": str})
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    return raw


def _simulate_bgnbd(n: int, r: float, alpha: float, a: float, b: float,
                    seed: int) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Return orders simulated from BG/NBD (one order per purchase day) and their as_of."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)          # purchases per week
    drop = rng.beta(a, b, n)                  # dropout probability after each purchase
    first = rng.integers(0, 13 * 7, n)        # first purchase in a 13-week window
    span = 52 * 7 - first                     # days observed until as_of
    cust, days = [np.arange(n)], [np.zeros(n)]
    t, alive = np.zeros(n), np.ones(n, bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        t[idx] += rng.exponential(1 / lam[idx]) * 7
        past = t[idx] >= span[idx]
        alive[idx[past]] = False
        ok = idx[~past]
        # Days are integers: a second purchase on the same day merges, as in the summary.
        cust.append(ok)
        days.append(np.floor(t[ok]))
        alive[ok[rng.random(len(ok)) < drop[ok]]] = False
    cid, day = np.concatenate(cust), np.concatenate(days)
    base = pd.Timestamp("2024-01-01")
    orders = pd.DataFrame({"customer_id": [f"c{i}" for i in cid],
                           "paid_at": base + pd.to_timedelta(first[cid] + day, "D"),
                           "amount": rng.gamma(5, 20, len(cid))})
    return orders, base + pd.Timedelta(days=52 * 7)


# -- summaries -------------------------------------------------------------------------------

def test_summary_counts_repeat_purchase_days_and_weeks_to_as_of():
    orders = _orders([
        ("A", "2024-01-01 09:00", 100), ("A", "2024-01-01 18:00", 50),   # same day → one purchase day
        ("A", "2024-01-15", 40), ("A", "2024-01-29", 80),
        ("B", "2024-01-08", 30),
    ])
    s = clv.summary_from_orders(orders, "2024-02-05").set_index("customer_id")
    assert s.loc["A", "frequency"] == 2
    assert s.loc["A", "recency"] == pytest.approx(28 / 7)
    assert s.loc["A", "T"] == pytest.approx(35 / 7)
    assert s.loc["A", "monetary_value"] == pytest.approx((40 + 80) / 2)   # repeat days only
    assert s.loc["A", "total_value"] == pytest.approx(270)
    assert (s.loc["B", "frequency"], s.loc["B", "recency"], s.loc["B", "monetary_value"]) == (0, 0, 0)
    assert s.loc["B", "T"] == pytest.approx(4)


def test_summary_ignores_purchases_after_as_of_and_counts_those_on_it():
    orders = _orders([("A", "2024-01-01", 10), ("A", "2024-01-08", 20), ("A", "2024-01-09", 99),
                      ("B", "2024-01-20", 5)])
    s = clv.summary_from_orders(orders, "2024-01-08").set_index("customer_id")
    assert list(s.index) == ["A"]
    assert (s.loc["A", "frequency"], s.loc["A", "recency"], s.loc["A", "T"]) == (1, 1, 1)
    assert s.loc["A", "total_value"] == 30


def test_summary_with_holdout_counts_purchase_days_after_calibration():
    df = pd.DataFrame({"c": ["A", "A", "A", "A"],
                       "d": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-10", "2024-02-01"]),
                       "v": [1.0, 2.0, 3.0, 4.0]})
    s = clv.summary_from_transactions(df, "c", "d", "v", "2024-01-05", observation_end="2024-02-04")
    assert s.loc["A", "frequency"] == 0
    assert s.loc["A", "frequency_holdout"] == 2
    assert s.loc["A", "duration_holdout"] == pytest.approx(30 / 7)


def test_cdnow_calibration_summary_rebuilt_from_the_raw_log_matches_the_shipped_summary(cdnow_dir):
    # Convention found: purchases grouped per day, purchases ON 1997-09-30 count, and
    # T = (1997-09-30 − first purchase day) / 7 (a 1997-01-01 buyer has T = 272/7 = 38.86).
    shipped = pd.read_csv(cdnow_dir / "cdnow_customers_summary.csv").set_index("ID")
    raw = _cdnow_raw(cdnow_dir)
    ours = clv.summary_from_transactions(raw, "sample_id", "date", "value", "1997-09-30")
    ours.index = ours.index.astype(int)
    ours = ours.reindex(shipped.index)
    assert len(ours) == 2357
    assert (ours["frequency"] == shipped["frequency"]).all()
    assert np.abs(ours["recency"].round(2) - shipped["recency"]).max() < 1e-9
    assert np.abs(ours["T"].round(2) - shipped["T"]).max() < 1e-9
    # The other readings of "to 1997-09-30" do not reproduce it.
    excl = clv.summary_from_transactions(raw[raw["date"] < "1997-09-30"], "sample_id", "date", "value",
                                         "1997-09-30")
    assert (excl["frequency"].to_numpy() != shipped["frequency"].to_numpy()).any()
    to_oct1 = clv.summary_from_transactions(raw, "sample_id", "date", "value", "1997-10-01")
    assert not np.allclose(to_oct1["T"].round(2).to_numpy(), shipped["T"].to_numpy())


# -- BG/NBD ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cdnow_fit() -> clv.BGNBDFit:
    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "cdnow" / "cdnow_customers_summary.csv"
    if not path.exists():
        pytest.skip("CDNOW data not available")
    return clv.fit_bgnbd(pd.read_csv(path))


def test_bgnbd_on_cdnow_reproduces_fader_hardie_lee_2005(cdnow_fit):
    assert cdnow_fit.r == pytest.approx(0.243, abs=1e-3)
    assert cdnow_fit.alpha == pytest.approx(4.414, abs=1e-3)
    assert cdnow_fit.a == pytest.approx(0.793, abs=1e-3)
    assert cdnow_fit.b == pytest.approx(2.426, abs=1e-3)
    assert cdnow_fit.loglik == pytest.approx(-9582.4, abs=0.5)
    assert cdnow_fit.n == 2357


def test_conditional_expectation_for_cdnow_customer_one_is_1_226(cdnow_fit):
    # FHL's worked example: x = 2, t_x = 30.43, T = 38.86, next 39 weeks → 1.226.
    assert float(clv.expected_purchases(cdnow_fit, 39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=1e-3)


def test_expected_purchases_matches_the_textbook_hypergeometric_form():
    from scipy.special import hyp2f1

    fit = clv.BGNBDFit(r=0.8, alpha=5.0, a=1.7, b=3.0, loglik=0.0, n=0)
    x, tx, T, t = np.array([0.0, 1, 4, 20]), np.array([0.0, 3, 10, 30]), np.full(4, 32.0), 13.0
    r, al, a, b = 0.8, 5.0, 1.7, 3.0
    textbook = ((a + b + x - 1) / (a - 1)
                * (1 - ((al + T) / (al + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (al + T + t)))
                / (1 + (x > 0) * a / (b + x - 1) * ((al + T) / (al + tx)) ** (r + x)))
    np.testing.assert_allclose(clv.expected_purchases(fit, t, x, tx, T), textbook, rtol=1e-10)


def test_probability_alive_is_one_without_repeats_and_hand_computed_otherwise():
    fit = clv.BGNBDFit(r=1.0, alpha=2.0, a=1.0, b=3.0, loglik=0.0, n=0)
    assert float(clv.probability_alive(fit, 0, 0, 10)) == 1.0
    # x=1, t_x=2, T=6: odds = a/(b+x−1) · ((α+T)/(α+t_x))^(r+x) = 1/3 · (8/4)^2 = 4/3
    assert float(clv.probability_alive(fit, 1, 2, 6)) == pytest.approx(1 / (1 + 4 / 3))
    # Someone who bought at the end of the window is as alive as it gets.
    assert float(clv.probability_alive(fit, 1, 6, 6)) == pytest.approx(1 / (1 + 1 / 3))


def test_bgnbd_refuses_data_without_repeat_purchases():
    s = pd.DataFrame({"frequency": [0] * 30, "recency": [0.0] * 30, "T": np.linspace(5, 7, 30)})
    with pytest.raises(clv.ModelNotFitted, match="没有客户复购"):
        clv.fit_bgnbd(s)


# -- Gamma-Gamma -----------------------------------------------------------------------------

def test_gamma_gamma_on_cdnow_repeaters_reproduces_fader_hardie(cdnow_dir):
    # Convention found: m_x = mean of the calibration-period repeat purchase days' value
    # (same-day rows summed, the first day left out); 946 customers with x > 0.
    raw = _cdnow_raw(cdnow_dir)
    summary = clv.summary_from_transactions(raw, "sample_id", "date", "value", "1997-09-30")
    gg = clv.fit_gamma_gamma(summary)
    assert gg.n == 946
    assert gg.p == pytest.approx(6.25, abs=0.01)
    assert gg.q == pytest.approx(3.74, abs=0.01)
    assert gg.gamma == pytest.approx(15.44, abs=0.01)


def test_expected_value_shrinks_towards_the_population_mean():
    gg = clv.GammaGammaFit(p=6.0, q=4.0, gamma=15.0, loglik=0.0, n=0)
    # x = 0 → pγ/(q−1) = 90/3 = 30; x = 2, m = 60 → 6·(15+120)/(12+3) = 54
    np.testing.assert_allclose(clv.expected_value(gg, [0, 2], [0.0, 60.0]), [30.0, 54.0])
    assert gg.population_mean == 30.0


# -- the per-customer table ------------------------------------------------------------------

@pytest.fixture(scope="module")
def simulated():
    return _simulate_bgnbd(12000, r=0.5, alpha=8.0, a=0.6, b=3.0, seed=7)


def test_bgnbd_recovers_simulated_parameters(simulated):
    orders, as_of = simulated
    fit = clv.fit_bgnbd(clv.summary_from_orders(orders, as_of))
    # a and b are weakly identified one by one; the mean dropout a/(a+b) is not.
    assert fit.r == pytest.approx(0.5, rel=0.1)
    assert fit.alpha == pytest.approx(8.0, rel=0.1)
    assert fit.a / (fit.a + fit.b) == pytest.approx(0.6 / 3.6, abs=0.015)


def test_fit_on_a_seeded_sample_agrees_with_the_full_fit(simulated):
    orders, as_of = simulated
    full, full_fits = clv.customer_value_table(orders, as_of)
    part, part_fits = clv.customer_value_table(orders, as_of, sample=2500, seed=1)
    assert part_fits.fitted_on == 2500 and full_fits.fitted_on == part_fits.customers == len(part)
    # Tolerance: the sample fit's error in a population total is a sampling error of a
    # mean over n = 2500 customers, ≈ CV(per-customer value)/√n; allow three of those.
    n = 2500
    for col in ("expected_purchases_90d", "p_alive"):
        se = full[col].std() / full[col].mean() / np.sqrt(n)
        assert part[col].sum() / full[col].sum() - 1 == pytest.approx(0, abs=3 * se), col
    # The same seed gives the same sample and so the same table.
    again, _ = clv.customer_value_table(orders, as_of, sample=2500, seed=1)
    pd.testing.assert_frame_equal(part, again)


def test_customer_value_table_has_one_row_per_customer_and_clv_is_purchases_times_value(simulated):
    orders, as_of = simulated
    table, fits = clv.customer_value_table(orders, as_of, horizon_days=90, sample=3000)
    assert table["customer_id"].is_unique and len(table) == orders["customer_id"].nunique()
    np.testing.assert_allclose(table["clv_90d"], table["expected_purchases_90d"] * table["expected_value_90d"])
    assert set(fits.params()) == {"r", "alpha", "a", "b", "p", "q", "gamma"}
    assert table["p_alive"].between(0, 1).all()


def test_customer_value_table_falls_back_to_own_spend_without_enough_repeaters():
    # 30 customers, a few repeaters with one spend each: BG/NBD fits, Gamma-Gamma cannot.
    rows = [(f"c{i}", f"2024-01-{1 + i % 28:02d}", 20.0 + i) for i in range(30)]
    rows += [(f"c{i}", f"2024-02-{1 + i:02d}", 50.0) for i in range(6)]
    rows += [("c0", "2024-02-20", 50.0), ("c1", "2024-02-21", 50.0)]
    table, fits = clv.customer_value_table(_orders(rows), "2024-03-01")
    assert fits.fitted and fits.gamma_gamma is None and fits.gg_reason
    assert any("Gamma-Gamma 模型未拟合" in clv.words(n) for n in fits.notes)
    a = table.set_index("customer_id").loc["c2"]
    assert a["expected_value_90d"] == pytest.approx((22 + 50) / 2)
    assert table["days_since_last"].dtype.kind == "i"
    assert fits.params()["p"] is None and fits.params()["r"] is not None


# -- at-risk list ----------------------------------------------------------------------------

def test_at_risk_lists_valuable_lapsed_repeaters_by_value_at_stake():
    vt = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
        "frequency": [3, 5, 0, 2, 1, 1, 1, 1, 1, 1],
        "total_value": [900.0, 1000, 2000, 800, 10, 10, 10, 10, 10, 10],
        "expected_value_90d": [50.0, 60, 40, 40, 10, 10, 10, 10, 10, 10],
        "p_alive": [0.2, 0.4, 1.0, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9],
        "days_since_last": [120.0, 90, 10, 5, 200, 10, 10, 10, 10, 10],
    })
    rfm = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["重要挽留", "重要唤回"]})
    out = clv.at_risk(vt, rfm)
    # top 20% by history: c (2000), b (1000) at P80 = 920 → b, c; by expected value: a, b.
    # c never repeated (P(alive)=1), d is alive, e is lapsed but not valuable.
    assert list(out["customer_id"]) == ["a", "b"]  # 900·0.8 = 720 > 1000·0.6 = 600
    assert out.loc[0, "value_at_stake"] == pytest.approx(720)
    assert list(out["segment"]) == ["重要挽留", "重要唤回"]
    assert list(out["high_history"]) == [False, True]   # a is valuable by its expected spend, b by its history
    assert len(clv.at_risk(vt, top=1)) == 1


def test_value_summary_totals_the_table(simulated):
    orders, as_of = simulated
    table, fits = clv.customer_value_table(orders, as_of, sample=3000)
    s = clv.value_summary(table, fits)
    assert s["model"] == "bgnbd+gamma-gamma" and s["customers_fitted"] == 3000
    assert s["expected_value_90d"] == pytest.approx(table["clv_90d"].sum())
    assert s["params"]["r"] == fits.bgnbd.r


def test_homogeneous_buyers_fit_at_the_boundary_with_a_note():
    # Forty customers buy every 7 days from their first week on and never stop: no
    # heterogeneity in rate, no dropout — the likelihood rises towards a limit of the model.
    rows = [(f"c{i}", (pd.Timestamp("2024-01-01") + pd.Timedelta(days=i % 20 + 7 * w)).date().isoformat(),
             50.0 + i) for i in range(40) for w in range(6 - (i % 20) // 7)]
    table, fits = clv.customer_value_table(_orders(rows), "2024-02-19")
    assert fits.fitted
    assert fits.bgnbd.convergence.at_boundary
    assert any("到达" in clv.words(n) for n in fits.notes)
    assert table["p_alive"].min() > 0.99
    assert np.isfinite(table["clv_90d"]).all()
