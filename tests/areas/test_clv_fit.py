"""Fitting the CLV models: degenerate data says "not fitted" with the reason, boundary fits say
so, the two-stage fit finds the one-stage optimum, and `diag metrics` writes strict JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from english import CJK

from diag.areas import clv, clv_fit
from diag.areas.metrics import compute_metrics


def _orders(customers: list[str], days: list[int], amounts: list[float] | None = None) -> pd.DataFrame:
    amounts = amounts if amounts is not None else [40.0 + (i * 37) % 90 for i in range(len(days))]
    return pd.DataFrame({
        "order_id": [f"o{i}" for i in range(len(days))],
        "customer_id": pd.Series(customers, dtype="string"),
        "paid_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, "D"),
        "amount": np.array(amounts, dtype=float),
    })


def _nobody_repeats() -> pd.DataFrame:
    return _orders([f"c{i}" for i in range(60)], [i % 50 for i in range(60)])


def _everyone_buys_exactly_twice() -> pd.DataFrame:
    cust = [f"c{i}" for i in range(80) for _ in range(2)]
    return _orders(cust, [d for i in range(80) for d in (i % 40, i % 40 + 5 + i % 30)])


def _nobody_repeats_twice() -> pd.DataFrame:
    # Every customer buys exactly twice, a third of them twice on the same day.
    cust = [f"c{i}" for i in range(90) for _ in range(2)]
    return _orders(cust, [d for i in range(90) for d in (i % 40, i % 40 + (0 if i % 3 == 0 else 3 + i % 30))])


def _one_purchase_day() -> pd.DataFrame:
    return _orders([f"c{i % 45}" for i in range(90)], [10] * 90)


def _a_handful() -> pd.DataFrame:
    cust = ["a", "a", "a", "b", "b", "c", "d", "d", "d", "d"]
    return _orders(cust, [0, 9, 30, 3, 40, 5, 1, 2, 20, 33])


def _shop_export(seed: int = 2, n: int = 500, days: int = 120) -> tuple[pd.DataFrame, pd.Timestamp]:
    """About 500 customers over four months, everyone dropping out with the same chance."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(2.0, 1 / 14.0, n)
    first = rng.integers(0, days, n)
    cust, day = [], []
    for i in range(n):
        t = float(first[i])
        cust.append(f"c{i}")
        day.append(int(t))
        while True:
            t += rng.exponential(1 / lam[i])
            if t >= days:
                break
            cust.append(f"c{i}")
            day.append(int(t))
            if rng.random() < 0.5:
                break
    return _orders(cust, day, list(rng.gamma(3, 40, len(day)))), pd.Timestamp("2024-01-01") + pd.Timedelta(days=days)


DEGENERATE = {
    "nobody repeats": (_nobody_repeats, "没有客户复购"),
    "everyone repeats exactly once": (_everyone_buys_exactly_twice, "复购次数都相同"),
    "nobody repeats more than once": (_nobody_repeats_twice, "没有客户复购超过一次"),
    "one purchase day only": (_one_purchase_day, "同一天"),
    "a handful of customers": (_a_handful, "客户太少"),
}


@pytest.mark.parametrize("case", DEGENERATE)
def test_degenerate_data_leave_the_model_not_fitted_with_the_reason(case):
    make, reason = DEGENERATE[case]
    orders = make()
    as_of = orders["paid_at"].max() + pd.Timedelta(days=1)
    table, fits = clv.customer_value_table(orders, as_of)
    assert not fits.fitted and reason in clv.words(fits.reason)
    assert len(table) == orders["customer_id"].nunique()
    assert table["p_alive"].isna().all() and table["clv_90d"].isna().all()
    summary = clv.value_summary(table, fits)
    assert summary["status"] == f"not fitted: {clv.words(fits.reason)}" and summary["reason_item"] == fits.reason
    assert summary["fitted"] is False and set(summary["params"].values()) == {None}
    assert summary["expected_purchases_90d"] is None
    assert summary["convergence"]["bgnbd"] == {"fitted": False, "reason": clv.words(fits.reason)}
    assert clv.at_risk(table).empty


@pytest.mark.parametrize("case", DEGENERATE)
def test_the_reason_a_model_was_not_fitted_reads_in_english_too(case):
    orders = DEGENERATE[case][0]()
    table, fits = clv.customer_value_table(orders, orders["paid_at"].max() + pd.Timedelta(days=1))
    summary = clv.value_summary(table, fits)
    english = clv.reason_words(json.loads(json.dumps(summary)), "en")   # from the recorded JSON
    assert english and not CJK.search(english)
    assert clv.reason_words(summary) == summary["reason"] == clv.words(fits.reason)


def test_boundary_and_fallback_notes_read_in_english_with_the_values():
    orders, as_of = _shop_export()
    table, fits = clv.customer_value_table(orders, as_of, sample=300)
    summary = json.loads(json.dumps(clv.value_summary(table, fits)))
    english = clv.note_words(summary, "en")
    assert english[0] == "The models were fitted on a random sample of 300 customers (seed 0) and applied to all 500."
    assert any(n.startswith("a at its upper bound: churn probabilities hardly differ between customers (a = ")
               for n in english)
    assert not any(CJK.search(n) for n in english)
    assert clv.note_words(summary) == summary["notes"] and summary["notes"][0].startswith("模型在随机抽取的 300 位客户")


def test_a_block_recorded_before_reason_items_keeps_its_words():
    assert clv.reason_words({"reason": "客户太少"}, "en") == "客户太少"
    assert clv.note_words({"notes": ["旧注释"]}, "en") == ["旧注释"]


def test_fit_bgnbd_raises_model_not_fitted_a_data_error():
    s = pd.DataFrame({"frequency": [1.0] * 30, "recency": np.linspace(1, 3, 30), "T": [5.0] * 30})
    with pytest.raises(clv.ModelNotFitted, match="复购次数都相同") as info:
        clv.fit_bgnbd(s)
    assert info.value.line().startswith("clv: not fitted: ")


def test_a_small_shop_export_fits_with_finite_predictions_and_the_boundary_reported():
    orders, as_of = _shop_export()
    table, fits = clv.customer_value_table(orders, as_of)
    assert fits.fitted
    conv = fits.bgnbd.convergence
    assert conv.converged and 0 < conv.iterations <= clv_fit.MAXITER
    lo, hi = clv_fit.BOUNDS["a"]
    assert lo <= fits.bgnbd.a <= hi and lo <= fits.bgnbd.b <= hi
    assert np.isfinite(table[["p_alive", "expected_purchases_90d", "clv_90d"]].to_numpy()).all()
    # The drop-out chance is the same for everyone here: a and b run to their limit.
    assert "a" in conv.at_boundary and any("流失概率几乎相同" in clv.words(n) for n in fits.notes)
    summary = clv.value_summary(table, fits)
    assert summary["convergence"]["bgnbd"]["at_boundary"] == list(conv.at_boundary)
    json.dumps(summary, allow_nan=False)


def test_convergence_is_recorded_for_both_models(tmp_path):
    orders, as_of = _shop_export(seed=0)
    _, fits = clv.customer_value_table(orders, as_of)
    status = fits.status()
    assert status["fitted"] and status["status"] == "fitted"
    for model in ("bgnbd", "gamma_gamma"):
        record = status["convergence"][model]
        assert record["converged"] is True and record["iterations"] > 0 and record["message"]
        assert record["gradient"] < clv_fit.CONVERGED_GRADIENT


def test_the_warm_started_fit_finds_the_same_optimum_as_one_stage(monkeypatch):
    rng = np.random.default_rng(5)
    n = 100_000
    lam, drop = rng.gamma(0.6, 1 / 4.0, n), rng.beta(1.0, 3.0, n)
    T = rng.integers(1, 105, n).astype(float)
    x = np.minimum(rng.poisson(lam * T), rng.geometric(drop) - 1).astype(float)
    tx = np.where(x > 0, np.round(T * rng.beta(3, 1, n)), 0.0)
    summary = pd.DataFrame({"frequency": x, "recency": tx, "T": T})
    two = clv.fit_bgnbd(summary)
    monkeypatch.setattr(clv_fit, "WARM_START_CUSTOMERS", 10**9)
    one = clv.fit_bgnbd(summary)
    assert two.loglik == pytest.approx(one.loglik, abs=1e-3)
    for key in ("r", "alpha", "a", "b"):
        assert two.params()[key] == pytest.approx(one.params()[key], rel=1e-3), key


def test_gamma_gamma_refuses_identical_spends():
    s = pd.DataFrame({"frequency": [1.0, 2, 3, 1, 2, 4], "monetary_value": [50.0] * 6})
    with pytest.raises(clv.ModelNotFitted, match="都相同"):
        clv.fit_gamma_gamma(s)


# -- diag metrics ---------------------------------------------------------------------------

def _write(orders: pd.DataFrame, path: Path) -> Path:
    out = pd.DataFrame({"订单号": orders["order_id"], "客户ID": orders["customer_id"],
                        "支付时间": orders["paid_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
                        "实付金额": orders["amount"]})
    out.to_csv(path, index=False)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("case", DEGENERATE)
def test_metrics_keep_every_other_figure_when_the_model_is_not_fitted(case, tmp_path):
    make, reason = DEGENERATE[case]
    m = compute_metrics(_write(make(), tmp_path / "orders.csv"))
    block = m["clv"]
    assert block["fitted"] is False and block["status"].startswith("not fitted: ") and reason in block["reason"]
    assert "error" not in block
    assert set(block["params"]) == {"r", "alpha", "a", "b", "p", "q", "gamma"}
    assert block["expected_purchases_90d"] is None and block["expected_value_90d"] is None
    assert m["orders"] > 0 and m["customers"] > 0 and m["rfm_segments"]


@pytest.mark.slow
def test_diag_metrics_json_has_null_never_nan_and_nothing_on_stderr(tmp_path):
    path = _write(_everyone_buys_exactly_twice(), tmp_path / "twice.csv")
    proc = subprocess.run([sys.executable, "-m", "diag", "metrics", str(path), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "NaN" not in proc.stdout
    block = json.loads(proc.stdout, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))["clv"]
    assert block["fitted"] is False and block["params"]["r"] is None


@pytest.mark.slow
def test_diag_metrics_on_a_small_shop_export_prints_no_warning(tmp_path):
    orders, _ = _shop_export()
    path = _write(orders, tmp_path / "shop.csv")
    proc = subprocess.run([sys.executable, "-W", "default", "-m", "diag", "metrics", str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stderr == ""
    block = json.loads(proc.stdout)["clv"]
    assert block["fitted"] is True
    assert block["expected_purchases_90d"] > 0 and block["expected_value_90d"] > 0
    assert block["convergence"]["bgnbd"]["converged"] is True


def test_the_warm_started_gamma_gamma_fit_finds_the_same_optimum_as_one_stage(monkeypatch):
    rng = np.random.default_rng(6)
    n = 100_000
    x = rng.integers(1, 12, n).astype(float)
    nu = rng.gamma(15.0, 1 / 700.0, n)                       # q = 15, γ = 700
    m = rng.gamma(2.5 * x, 1.0) / (nu * x)                   # p = 2.5: mean of x spends
    summary = pd.DataFrame({"frequency": x, "monetary_value": m})
    two = clv.fit_gamma_gamma(summary)
    assert two.convergence.converged and two.convergence.evaluations < 60
    monkeypatch.setattr(clv_fit, "WARM_START_CUSTOMERS", 10**9)
    one = clv.fit_gamma_gamma(summary)
    assert two.loglik == pytest.approx(one.loglik, abs=1e-3)
    for key in ("p", "q", "gamma"):
        assert two.params()[key] == pytest.approx(one.params()[key], rel=1e-3), key


@pytest.mark.slow
def test_diag_metrics_fits_its_sample_through_the_whole_day_compression(tmp_path, monkeypatch):
    from diag.areas import clv_models

    def hashed(*args: object) -> None:
        pytest.fail("the metrics summary (whole days in weeks) went to the hashed compression")

    monkeypatch.setattr(clv_models, "_bgnbd_hashed", hashed)
    orders, _ = _shop_export()
    block = compute_metrics(_write(orders, tmp_path / "shop.csv"))["clv"]
    assert block["fitted"] is True and "error" not in block
