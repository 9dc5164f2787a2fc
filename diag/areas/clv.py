"""Customer lifetime value: BG/NBD for purchase counts, Gamma-Gamma for spend.

Time is measured in weeks, as in Fader, Hardie & Lee (2005), "Counting Your
Customers the Easy Way: An Alternative to the Pareto/NBD Model", and spend per
purchase day as in Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value".
Both models are fitted by maximum likelihood with analytic gradients
(:mod:`diag.areas.clv_models`, :mod:`diag.areas.clv_fit`); data that cannot identify
a model leave it *not fitted*, with the reason.

Conventions (they reproduce the published CDNOW summary exactly):

* Purchases are grouped per customer per calendar day: a *purchase day* is one
  transaction of the model, its value the sum of that day's orders.
* ``frequency`` x = distinct purchase days − 1 (repeat purchase days);
  ``recency`` t_x = (last purchase day − first purchase day) in days ÷ 7;
  ``T`` = (end date − first purchase day) in days ÷ 7, where purchases made *on* the
  end date are counted (CDNOW: end 1997-09-30, a customer first buying on
  1997-01-01 has T = 272 / 7 = 38.86).
* ``monetary_value`` = mean value of the *repeat* purchase days (the first day is
  left out, as in Fader & Hardie's note); 0 for customers with x = 0.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from diag.areas import clv_fit as _fit
from diag.areas import clv_models as _models
from diag.areas.clv_fit import Convergence, ModelNotFitted
from diag.errors import DataError
from diag.messages import said, say

__all__ = [
    "BGNBDFit", "GammaGammaFit", "CLVFits",
    "summary_from_transactions", "summary_from_orders",
    "fit_bgnbd", "fit_gamma_gamma", "fit_models", "ModelNotFitted", "Convergence",
    "expected_purchases", "probability_alive", "expected_value",
    "customer_value_table", "value_summary", "at_risk", "words", "reason_words", "note_words", "Said",
]

DateLike: TypeAlias = str | _dt.date | pd.Timestamp
#: A reason or note to word later: ``{"key", "fields"}`` of the ``clv`` catalogue (:func:`diag.messages.said`).
Said: TypeAlias = dict[str, Any]


def words(item: Said | None, lang: str = "zh") -> str | None:
    """Return a reason or note item worded in ``lang`` (None for None)."""
    return None if item is None else say("clv", item, lang)


def reason_words(block: dict[str, Any], lang: str = "zh") -> str:
    """Return why a recorded CLV block (``diag metrics``' ``clv``) is not fitted, in ``lang``.

    The item when the block has one, else its recorded reason, error or status as written.
    """
    item = block.get("reason_item")
    if item:
        return say("clv", item, lang)
    return str(block.get("reason") or block.get("error") or block.get("status") or "")


def note_words(block: dict[str, Any], lang: str = "zh") -> list[str]:
    """Return a recorded CLV block's notes in ``lang`` (its items, else the notes as written)."""
    items = block.get("note_items")
    return [say("clv", n, lang) for n in items] if items is not None else list(block.get("notes") or [])


@dataclass(frozen=True)
class BGNBDFit:
    """A fitted BG/NBD model (purchase rate ~ Gamma(r, α), dropout ~ Beta(a, b))."""

    r: float
    alpha: float
    a: float
    b: float
    loglik: float
    n: int
    convergence: Convergence | None = None
    notes: tuple[dict[str, Any], ...] = ()   # clv catalogue items (diag.messages.said)

    def params(self) -> dict[str, float]:
        """Return ``{r, alpha, a, b}``."""
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}


@dataclass(frozen=True)
class GammaGammaFit:
    """A fitted Gamma-Gamma spend model (fitted on ``n`` customers with x > 0)."""

    p: float
    q: float
    gamma: float
    loglik: float
    n: int
    convergence: Convergence | None = None
    notes: tuple[dict[str, Any], ...] = ()   # clv catalogue items (diag.messages.said)

    def params(self) -> dict[str, float]:
        """Return ``{p, q, gamma}``."""
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    @property
    def population_mean(self) -> float:
        """Return E[M] = pγ / (q − 1), the mean spend per purchase day (NaN if q ≤ 1)."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else float("nan")


@dataclass
class CLVFits:
    """The models behind a :func:`customer_value_table`.

    ``bgnbd`` is ``None`` when BG/NBD could not be fitted (``reason`` says why, a
    :func:`~diag.messages.said` item of the ``clv`` catalogue); ``gamma_gamma`` is ``None``
    when Gamma-Gamma could not (``gg_reason``), and each customer's own mean spend per
    purchase day is used instead.  ``notes`` are items too; :func:`words` words them.
    """

    bgnbd: BGNBDFit | None
    gamma_gamma: GammaGammaFit | None
    horizon_days: float
    customers: int
    fitted_on: int
    notes: list[dict[str, Any]] = field(default_factory=list)
    reason: dict[str, Any] | None = None
    gg_reason: dict[str, Any] | None = None

    @property
    def fitted(self) -> bool:
        """Return whether BG/NBD was fitted (the predictions exist)."""
        return self.bgnbd is not None

    def params(self) -> dict[str, float | None]:
        """Return ``{r, alpha, a, b, p, q, gamma}`` (the contract's ``clv.params``; None when not fitted)."""
        bg = self.bgnbd.params() if self.bgnbd else dict.fromkeys(("r", "alpha", "a", "b"))
        gg = self.gamma_gamma.params() if self.gamma_gamma else dict.fromkeys(("p", "q", "gamma"))
        return {**bg, **gg}

    def status(self) -> dict[str, Any]:
        """Return ``fitted``, ``status`` ("fitted" or "not fitted: <reason>"), ``reason`` (in
        Chinese), ``reason_item`` (the item, for other languages: :func:`reason_words`),
        ``notes`` (Chinese), ``note_items`` and ``convergence`` ({bgnbd, gamma_gamma}: each a
        :class:`Convergence` record, or ``{"fitted": False, "reason": …}``) as plain data."""
        reason, gg_reason = words(self.reason), words(self.gg_reason)

        def record(fit: BGNBDFit | GammaGammaFit | None, why: str | None) -> dict[str, Any]:
            if fit is None or fit.convergence is None:
                return {"fitted": False, "reason": why}
            return {"fitted": True, **fit.convergence.to_dict()}

        return {"fitted": self.fitted, "status": "fitted" if self.fitted else f"not fitted: {reason}",
                "reason": reason, "reason_item": self.reason,
                "notes": [words(n) for n in self.notes], "note_items": list(self.notes),
                "convergence": {"bgnbd": record(self.bgnbd, reason),
                                "gamma_gamma": record(self.gamma_gamma, gg_reason)}}


# -- summaries ---------------------------------------------------------------------------

def summary_from_transactions(df: pd.DataFrame, customer_col: str, date_col: str,
                              value_col: str | None, calibration_end: DateLike,
                              observation_end: DateLike | None = None,
                              freq_days: float = 7) -> pd.DataFrame:
    """Return the per-customer RFM summary the models take (see the module conventions).

    Parameters
    ----------
    df : DataFrame
        One row per transaction (several per day are summed into one purchase day).
    customer_col, date_col, value_col : str
        Column names; ``value_col`` may be ``None`` (no ``monetary_value`` column).
    calibration_end : date
        Last day of the calibration period (purchases on it count; T runs up to it).
    observation_end : date, optional
        End of a holdout period: adds ``frequency_holdout`` (purchase days in
        (calibration_end, observation_end]) and ``duration_holdout`` (weeks).
    freq_days : float
        Days per time unit (7 = weeks).

    Returns
    -------
    DataFrame indexed by customer with ``frequency, recency, T`` (and
    ``monetary_value``, holdout columns when asked), customers whose first purchase
    falls after ``calibration_end`` left out.
    """
    cal_end = pd.Timestamp(calibration_end).normalize()
    days = pd.DataFrame({
        "customer": df[customer_col],
        "day": pd.to_datetime(df[date_col]).dt.normalize(),
        "value": df[value_col].astype(float) if value_col else 0.0,
    })
    days = days.groupby(["customer", "day"], sort=True)["value"].sum().reset_index()
    cal = days[days["day"] <= cal_end]
    grouped = cal.groupby("customer", sort=True)
    first, last = grouped["day"].min(), grouped["day"].max()
    out = pd.DataFrame({
        "frequency": grouped["day"].size() - 1,
        "recency": (last - first).dt.days / freq_days,
        "T": (cal_end - first).dt.days / freq_days,
    })
    out.index.name = customer_col
    if value_col:
        # Mean of the repeat purchase days: drop each customer's first day.
        repeat = cal[cal["day"] > cal["customer"].map(first)]
        out["monetary_value"] = repeat.groupby("customer")["value"].mean().reindex(out.index).fillna(0.0)
    if observation_end is not None:
        obs_end = pd.Timestamp(observation_end).normalize()
        hold = days[(days["day"] > cal_end) & (days["day"] <= obs_end)]
        out["frequency_holdout"] = hold.groupby("customer").size().reindex(out.index).fillna(0).astype(int)
        out["duration_holdout"] = (obs_end - cal_end).days / freq_days
    return out


def summary_from_orders(orders: pd.DataFrame, as_of: DateLike, *, freq_days: float = 7.0) -> pd.DataFrame:
    """Return the model summary of an orders frame, one row per customer.

    ``orders`` is :attr:`diag.readers.orders.OrdersData.orders` (``customer_id, paid_at,
    amount``).  Purchases paid on days up to and including ``as_of`` count and T is
    measured to ``as_of`` (the CDNOW convention; with the default ``as_of`` — the day
    after the last purchase — no purchase falls on it).  Columns: ``customer_id,
    frequency, recency, T, monetary_value, total_value`` (all spend up to ``as_of``).
    """
    _require(orders, ("customer_id", "paid_at", "amount"), "orders")
    summary = summary_from_transactions(orders, "customer_id", "paid_at", "amount",
                                        calibration_end=as_of, freq_days=freq_days)
    cut = pd.to_datetime(orders["paid_at"]).dt.normalize() <= pd.Timestamp(as_of).normalize()
    total = orders.loc[cut].groupby("customer_id")["amount"].sum()
    summary["total_value"] = total.reindex(summary.index).astype(float)
    return summary.reset_index()


# -- BG/NBD --------------------------------------------------------------------------------

def _arrays(summary: pd.DataFrame, cols: tuple[str, ...]) -> list[np.ndarray]:
    _require(summary, cols, "summary")
    return [np.asarray(summary[c], dtype=float) for c in cols]


def fit_bgnbd(summary: pd.DataFrame, *, weights: Any = None, seed: int = 0) -> BGNBDFit:
    """Return the maximum-likelihood BG/NBD fit of ``summary`` (``frequency, recency, T``).

    The log-likelihood is FHL (2005) eq. 6 on the distinct (x, t_x, T) rows with their
    counts, maximised with its analytic gradient (:mod:`diag.areas.clv_fit`);
    ``weights`` (optional) are customer counts per summary row.  Raises
    :class:`~diag.areas.clv_fit.ModelNotFitted` (a :class:`DataError`) with the reason
    when the data cannot identify the model or the fit does not converge.
    """
    x, tx, T = _arrays(summary, ("frequency", "recency", "T"))
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        keep = w > 0
        x, tx, T, w = x[keep], tx[keep], T[keep], w[keep]
    else:
        w = None
    _fit.check_bgnbd(x, tx, T, w)
    data = _models.bgnbd_data(x, tx, T, w)
    (r, alpha, a, b), ll, conv = _fit.maximise_bgnbd(data, seed=seed)
    if not conv.converged:
        raise _fit.ModelNotFitted("not_converged", model="bgnbd", name="BG/NBD", iterations=conv.iterations,
                                  message=conv.message)
    params = {"r": r, "alpha": alpha, "a": a, "b": b}
    scales = {"alpha": float(np.average(T, weights=w))}
    notes = tuple(_fit.boundary_notes(params, conv.at_boundary, scales))
    return BGNBDFit(float(r), float(alpha), float(a), float(b), ll, data.n, conv, notes)


def _log_odds_dead(fit: BGNBDFit, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
    # log of  δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x);  −inf when x = 0.
    out = np.full(np.broadcast(x, tx, T).shape, -np.inf)
    x, tx, T = np.broadcast_arrays(x, tx, T)
    rep = x > 0
    out[rep] = (np.log(fit.a) - np.log(fit.b + x[rep] - 1)
                + (fit.r + x[rep]) * (np.log(fit.alpha + T[rep]) - np.log(fit.alpha + tx[rep])))
    return out


def probability_alive(fit: BGNBDFit, frequency: Any, recency: Any, T: Any) -> np.ndarray:
    """Return P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).

    A customer without repeat purchases (x = 0) has P(alive) = 1 under BG/NBD: the
    model lets customers drop out only right after a purchase.  Evaluated in logs.
    """
    x, tx, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
    return np.exp(-np.logaddexp(0.0, _log_odds_dead(fit, x, tx, T)))


def expected_purchases(fit: BGNBDFit, t: float, frequency: Any, recency: Any, T: Any) -> np.ndarray:
    """Return E[Y(t) | x, t_x, T], the expected purchase days in the next ``t`` weeks.

    FHL (2005) eq. 10: P(alive | x, t_x, T) × the expected purchases of a live customer,
    the latter computed as a Beta integral (:func:`diag.areas.clv_models.
    conditional_expected_purchases`) that equals the paper's 2F1 expression where that
    can be evaluated and stays finite and accurate where it cannot.
    """
    x, tx, T = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (frequency, recency, T)))
    alive = probability_alive(fit, x, tx, T)
    return alive * _models.conditional_expected_purchases(fit.r, fit.alpha, fit.a, fit.b, t, x, T)


# -- Gamma-Gamma ---------------------------------------------------------------------------

def fit_gamma_gamma(summary: pd.DataFrame, *, seed: int = 0) -> GammaGammaFit:
    """Return the maximum-likelihood Gamma-Gamma fit on the repeaters of ``summary``.

    Uses customers with ``frequency`` > 0 and ``monetary_value`` > 0 (the model's
    x and m_x: mean spend of the x repeat purchase days).  Raises
    :class:`~diag.areas.clv_fit.ModelNotFitted` with fewer than
    :data:`~diag.areas.clv_fit.MIN_REPEATERS` such customers, identical spends, or a
    fit that does not converge.
    """
    x, m = _arrays(summary, ("frequency", "monetary_value"))
    keep = (x > 0) & (m > 0) & np.isfinite(m)
    x, m = x[keep], m[keep]
    _fit.check_gamma_gamma(x, m)
    data = _models.gamma_gamma_data(x, m)
    (p, q, g), ll, conv = _fit.maximise_gamma_gamma(data, seed=seed)
    if not conv.converged:
        raise _fit.ModelNotFitted("not_converged", model="gamma_gamma", name="Gamma-Gamma",
                                  iterations=conv.iterations, message=conv.message)
    notes = tuple(_fit.boundary_notes({"p": p, "q": q, "gamma": g}, conv.at_boundary,
                                      {"gamma": float(m.mean())}))
    return GammaGammaFit(float(p), float(q), float(g), ll, data.n, conv, notes)


def expected_value(ggfit: GammaGammaFit, frequency: Any, monetary_value: Any) -> np.ndarray:
    """Return E[M | x, m_x] = p(γ + x·m_x) / (p·x + q − 1), the expected spend per purchase day.

    For x = 0 this is the population mean pγ/(q − 1).  NaN when q ≤ 1 (no finite mean).
    """
    x = np.asarray(frequency, dtype=float)
    m = np.where(x > 0, np.asarray(monetary_value, dtype=float), 0.0)
    p, q, g = ggfit.p, ggfit.q, ggfit.gamma
    if q <= 1:
        return np.full(np.broadcast(x, m).shape, np.nan)
    return p * (g + x * m) / (p * x + q - 1)


def fit_models(summary: pd.DataFrame, *, seed: int = 0) -> tuple[BGNBDFit | None, GammaGammaFit | None,
                                                                 Said | None, Said | None, list[Said]]:
    """Return (BG/NBD fit, Gamma-Gamma fit, BG/NBD reason, Gamma-Gamma reason, notes) of ``summary``.

    A model that cannot be fitted is ``None`` with its reason (a ``clv`` catalogue item,
    :func:`diag.messages.said`); the notes (items too) say
    what a boundary fit means and that own spend replaces an unfitted Gamma-Gamma.
    Never warns: everything runs with floating-point warnings off and the results are
    checked for finiteness instead.
    """
    bg: BGNBDFit | None = None
    gg: GammaGammaFit | None = None
    reason: Said | None = None
    gg_reason: Said | None = None
    notes: list[Said] = []
    try:
        bg = fit_bgnbd(summary, seed=seed)
        notes += bg.notes
    except _fit.ModelNotFitted as exc:
        # Spend per purchase alone predicts nothing without the purchase model.
        return None, None, exc.item, said("bg_not_fitted"), notes
    try:
        gg = fit_gamma_gamma(summary, seed=seed)
        if not gg.q > 1:
            gg_reason = said("gg_q_le_1")
            gg = None
        else:
            notes += gg.notes
    except _fit.ModelNotFitted as exc:
        gg_reason = exc.item
    if bg is not None and gg is None:
        notes.append(said("gg_fallback", reason=gg_reason))
    return bg, gg, reason, gg_reason, notes


# -- per-customer table ------------------------------------------------------------------------

def customer_value_table(orders: pd.DataFrame, as_of: DateLike, *, horizon_days: float = 90,
                         sample: int | None = None, seed: int = 0) -> tuple[pd.DataFrame, CLVFits]:
    """Return one row per customer with P(alive), expected purchases, spend and CLV, and the fits.

    Columns: ``customer_id, frequency, recency, T, monetary_value, total_value,
    days_since_last, p_alive, expected_purchases_90d, expected_value_90d, clv_90d``
    (the ``90d`` names hold for any ``horizon_days``; time columns in weeks).

    * ``expected_purchases_90d`` — BG/NBD E[Y(h)], h = horizon_days / 7 weeks;
    * ``expected_value_90d`` — Gamma-Gamma expected spend per purchase day;
    * ``clv_90d`` — their product: expected spend in the horizon, undiscounted
      (a 90-day horizon makes discounting negligible).

    ``sample=N`` fits both models on a seeded random sample of N customers and applies
    them to everyone (the likelihood is an average over customers, so a few thousand
    customers pin the parameters; see the tests).  When the Gamma-Gamma model cannot be
    fitted (too few repeaters, identical spends, or q ≤ 1 so the mean spend is
    infinite), each customer's own mean purchase-day spend is used instead and a note
    says so.  When BG/NBD cannot be fitted (see :mod:`diag.areas.clv_fit`), the table
    still has one row per customer but the model columns are NaN and ``fits.reason``
    says why; nothing raises.
    """
    summary = summary_from_orders(orders, as_of)
    notes: list[Said] = []
    fit_on = summary
    if sample is not None and sample < len(summary):
        rng = np.random.default_rng(seed)
        fit_on = summary.iloc[np.sort(rng.choice(len(summary), size=int(sample), replace=False))]
        notes.append(said("sampled", sample=int(sample), seed=seed, customers=len(summary)))
    bg, gg, reason, gg_reason, fit_notes = fit_models(fit_on, seed=seed)
    notes += fit_notes
    x, tx, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    out = summary.copy()
    out["days_since_last"] = np.rint((T - tx) * 7).astype(int)  # whole days, without float dust
    if bg is not None:
        out["p_alive"] = probability_alive(bg, x, tx, T)
        out["expected_purchases_90d"] = expected_purchases(bg, horizon_days / 7.0, x, tx, T)
    else:
        out["p_alive"] = out["expected_purchases_90d"] = np.nan
    if gg is not None:
        out["expected_value_90d"] = expected_value(gg, x, summary["monetary_value"])
    else:
        days = np.maximum(x + 1, 1)
        out["expected_value_90d"] = summary["total_value"].to_numpy(float) / days
    out["clv_90d"] = out["expected_purchases_90d"] * out["expected_value_90d"]
    fits = CLVFits(bg, gg, float(horizon_days), len(summary), len(fit_on), notes, reason, gg_reason)
    return out.reset_index(drop=True), fits


def value_summary(table: pd.DataFrame, fits: CLVFits) -> dict[str, Any]:
    """Return the CLV totals of a :func:`customer_value_table` as plain data.

    Keys: ``model`` ("bgnbd+gamma-gamma"), ``params`` {r, alpha, a, b, p, q, gamma},
    ``horizon_days``, ``customers``, ``customers_fitted``, ``expected_purchases_90d``
    (sum over customers), ``expected_value_90d`` (sum of ``clv_90d``: expected spend in
    the horizon), ``mean_p_alive``, ``loglik_bgnbd``, ``notes`` and
    :meth:`CLVFits.status` (``fitted``, ``status``, ``reason``, ``convergence``).  When
    BG/NBD is not fitted the parameters and totals are ``None``.
    """
    fitted = fits.fitted
    return {"model": "bgnbd+gamma-gamma", **fits.status(), "params": fits.params(),
            "horizon_days": fits.horizon_days, "customers": fits.customers, "customers_fitted": fits.fitted_on,
            "expected_purchases_90d": float(table["expected_purchases_90d"].sum()) if fitted else None,
            "expected_value_90d": float(table["clv_90d"].sum()) if fitted else None,
            "mean_p_alive": float(table["p_alive"].mean()) if fitted and len(table) else None,
            "loglik_bgnbd": fits.bgnbd.loglik if fits.bgnbd else None}


def at_risk(value_table: pd.DataFrame, rfm: pd.DataFrame | None = None, *, top: int = 50,
            p_alive_below: float = 0.5, value_quantile: float = 0.8) -> pd.DataFrame:
    """Return the valuable customers the models think have lapsed, for a win-back list.

    Rule: a customer is *valuable* when their historical spend (``total_value``) or
    their expected spend per purchase (``expected_value_90d``) is at or above the
    ``value_quantile`` quantile (default: top 20 %) of all customers; *at risk* when
    they are valuable, have bought on at least two days (BG/NBD gives P(alive) = 1 to
    one-day customers, so they cannot be flagged) and ``p_alive`` < ``p_alive_below``.
    ``value_at_stake`` = ``total_value`` × (1 − ``p_alive``): past spend weighted by
    the chance it has stopped; ``high_history`` says whether the past spend (else the
    expected spend) made the customer valuable.  Sorted by ``value_at_stake``, the first
    ``top`` rows.

    ``rfm`` (optional): a frame with ``customer_id`` (column or index) whose other
    columns (e.g. the RFM segment) are joined on.

    ``customer_id`` is returned raw: callers recording the list must pass
    ``id_columns=["customer_id"]`` to :meth:`diag.record.Recorder.table` to mask it.
    """
    _require(value_table, ("customer_id", "frequency", "total_value", "expected_value_90d",
                           "p_alive", "days_since_last"), "value_table")
    vt = value_table
    hist_cut = vt["total_value"].quantile(value_quantile)
    ev_cut = vt["expected_value_90d"].quantile(value_quantile)
    high_hist = vt["total_value"] >= hist_cut
    high_ev = vt["expected_value_90d"] >= ev_cut
    flagged = (high_hist | high_ev) & (vt["frequency"] > 0) & (vt["p_alive"] < p_alive_below)
    out = vt.loc[flagged, ["customer_id", "frequency", "total_value", "expected_value_90d",
                           "days_since_last", "p_alive"]].copy()
    out["value_at_stake"] = out["total_value"] * (1 - out["p_alive"])
    out["high_history"] = high_hist[flagged].to_numpy()
    if rfm is not None:
        extra = rfm if "customer_id" in rfm.columns else rfm.reset_index()
        if "customer_id" not in extra.columns:
            raise DataError("expected a customer_id column or index in the RFM table", where="at_risk")
        extra = extra[["customer_id"] + [c for c in extra.columns if c not in out.columns]]
        out = out.merge(extra, on="customer_id", how="left")
    out = out.sort_values(["value_at_stake", "customer_id"], ascending=[False, True])
    return out.head(top).reset_index(drop=True)


def _require(df: pd.DataFrame, cols: tuple[str, ...], name: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(f"expected columns {', '.join(cols)} in {name}; missing {', '.join(missing)}",
                        where=name)
