"""Customer lifetime value: BG/NBD for purchase counts, Gamma-Gamma for spend.

Time is measured in weeks, as in Fader, Hardie & Lee (2005), "Counting Your
Customers the Easy Way: An Alternative to the Pareto/NBD Model", and spend per
purchase day as in Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value".
Both models are fitted here by maximum likelihood with numpy / scipy only.

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
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln, hyp2f1

from ..errors import DataError

__all__ = [
    "BGNBDFit", "GammaGammaFit", "CLVFits",
    "summary_from_transactions", "summary_from_orders",
    "fit_bgnbd", "fit_gamma_gamma",
    "expected_purchases", "probability_alive", "expected_value",
    "customer_value_table", "value_summary", "at_risk",
]

DateLike = str | _dt.date | pd.Timestamp


@dataclass(frozen=True)
class BGNBDFit:
    """A fitted BG/NBD model (purchase rate ~ Gamma(r, α), dropout ~ Beta(a, b))."""

    r: float
    alpha: float
    a: float
    b: float
    loglik: float
    n: int

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

    def params(self) -> dict[str, float]:
        """Return ``{p, q, gamma}``."""
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    @property
    def population_mean(self) -> float:
        """Return E[M] = pγ / (q − 1), the mean spend per purchase day (NaN if q ≤ 1)."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else float("nan")


@dataclass
class CLVFits:
    """The models behind a :func:`customer_value_table`."""

    bgnbd: BGNBDFit
    gamma_gamma: GammaGammaFit | None
    horizon_days: float
    customers: int
    fitted_on: int
    notes: list[str] = field(default_factory=list)

    def params(self) -> dict[str, float | None]:
        """Return ``{r, alpha, a, b, p, q, gamma}`` (the contract's ``clv.params``)."""
        gg = self.gamma_gamma.params() if self.gamma_gamma else {"p": None, "q": None, "gamma": None}
        return {**self.bgnbd.params(), **gg}


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

    ``orders`` is :attr:`diag.orders.OrdersData.orders` (``customer_id, paid_at,
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


def _bgnbd_loglik(params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray,
                  w: np.ndarray) -> float:
    r, alpha, a, b = params
    # FHL (2005) eq. 6 in logs: L = A1 · (A2 + δ(x>0) A3), combined with logaddexp.
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    repeat = x > 0
    a3 = np.full_like(x, -np.inf)
    xr = x[repeat]
    a3[repeat] = (betaln(a + 1, b + xr - 1) - betaln(a, b)
                  - (r + xr) * np.log(alpha + tx[repeat]))
    return float(np.sum(w * (a1 + np.logaddexp(a2, a3))))


def _compress(*cols: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    # Customers with identical (x, t_x, T) contribute identical terms: fit on the
    # distinct rows with counts as weights (10M orders → far fewer distinct rows).
    stacked = np.column_stack(cols)
    uniq, counts = np.unique(stacked, axis=0, return_counts=True)
    return [uniq[:, i] for i in range(uniq.shape[1])], counts.astype(float)


def _bfgs(f: Any, x0: np.ndarray, *, gtol: float = 1e-8, maxiter: int = 400
          ) -> tuple[np.ndarray, float, float]:
    """Return (x, f(x), max |gradient|) of a BFGS minimisation with central-difference
    gradients and a backtracking (Armijo) line search — a few parameters only."""
    n = len(x0)
    eye = np.eye(n)

    def grad(x: np.ndarray) -> np.ndarray:
        h = 1e-6 * np.maximum(1.0, np.abs(x))
        return np.array([(f(x + h[i] * eye[i]) - f(x - h[i] * eye[i])) / (2 * h[i]) for i in range(n)])

    x = np.asarray(x0, float).copy()
    fx, g, H = f(x), grad(x), eye.copy()
    for _ in range(maxiter):
        if np.max(np.abs(g)) < gtol:
            break
        step = -H @ g
        if not g @ step < 0:  # not a descent direction: restart from steepest descent
            H, step = eye.copy(), -g
        t, slope = 1.0, float(g @ step)
        while True:
            x_new = x + t * step
            f_new = f(x_new)
            if np.isfinite(f_new) and f_new <= fx + 1e-4 * t * slope:
                break
            t *= 0.5
            if t < 1e-14:
                return x, fx, float(np.max(np.abs(g)))
        g_new = grad(x_new)
        s, y = x_new - x, g_new - g
        sy = float(s @ y)
        if sy > 1e-16:
            rho = 1.0 / sy
            H = (eye - rho * np.outer(s, y)) @ H @ (eye - rho * np.outer(y, s)) + rho * np.outer(s, s)
        x, fx, g = x_new, f_new, g_new
    return x, fx, float(np.max(np.abs(g)))


def _maximise(negll: Any, start: np.ndarray) -> np.ndarray:
    # A small BFGS (numpy only, so SciPy's optimiser package is not even imported) converges
    # on these smooth log-parameter likelihoods; otherwise SciPy's BFGS, then Nelder-Mead
    # (robust from a poor start) polished by BFGS, take over and the best answer wins.
    def safe(logp: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            value = negll(logp)
        return value if np.isfinite(value) else 1e10

    # Accepted only at an interior stationary point (every parameter within e^±15); a
    # fit that runs to the boundary takes SciPy's path, whose boundary handling the
    # notes rely on.
    x, _fun, gmax = _bfgs(safe, start)
    if np.all(np.isfinite(x)) and gmax < 1e-6 and np.max(np.abs(x)) < 15:
        return np.exp(x)
    from scipy.optimize import minimize

    best = minimize(safe, start, method="BFGS", options={"gtol": 1e-8})
    if not (np.all(np.isfinite(best.x)) and np.max(np.abs(best.jac)) < 1e-5):
        first = minimize(safe, start, method="Nelder-Mead",
                         options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000})
        second = minimize(safe, first.x, method="BFGS", options={"gtol": 1e-8})
        candidates = [r for r in (best, first, second) if np.all(np.isfinite(r.x))]
        if not candidates:
            raise DataError("the model fit did not converge", where="clv")
        best = min(candidates, key=lambda r: r.fun)
    return np.exp(best.x)


def fit_bgnbd(summary: pd.DataFrame) -> BGNBDFit:
    """Return the maximum-likelihood BG/NBD fit of ``summary`` (``frequency, recency, T``).

    The log-likelihood is FHL (2005) eq. 6, evaluated with ``gammaln`` / ``betaln``
    and ``logaddexp``; the parameters are optimised on the log scale so they stay
    positive.  Raises :class:`DataError` when there is nothing to fit (fewer than
    two customers, or no repeat purchase at all — the dropout process is then not
    identifiable).
    """
    x, tx, T = _arrays(summary, ("frequency", "recency", "T"))
    if len(x) < 2 or not np.any(x > 0):
        raise DataError(f"BG/NBD needs at least 2 customers and some repeat purchases; got "
                        f"{len(x)} customers, {int(np.sum(x > 0))} with repeat purchases", where="clv")
    if np.any(x < 0) or np.any(tx < 0) or np.any(tx > T + 1e-9):
        raise DataError("expected 0 ≤ recency ≤ T and frequency ≥ 0 for every customer", where="clv")
    (x, tx, T), w = _compress(x, tx, T)
    scale = float(np.sum(w))

    def negll(logp: np.ndarray) -> float:
        return -_bgnbd_loglik(np.exp(logp), x, tx, T, w) / scale

    start = np.log([1.0, max(float(np.average(T, weights=w)), 1e-3), 1.0, 1.0])
    r, alpha, a, b = _maximise(negll, start)
    ll = _bgnbd_loglik(np.array([r, alpha, a, b]), x, tx, T, w)
    return BGNBDFit(float(r), float(alpha), float(a), float(b), ll, int(scale))


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
    model lets customers drop out only right after a purchase.
    """
    x, tx, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
    return np.exp(-np.logaddexp(0.0, _log_odds_dead(fit, x, tx, T)))


def expected_purchases(fit: BGNBDFit, t: float, frequency: Any, recency: Any, T: Any) -> np.ndarray:
    """Return E[Y(t) | x, t_x, T], the expected purchase days in the next ``t`` weeks.

    FHL (2005) eq. 10.  The term ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z),
    z = t/(α+T+t), is rewritten with Euler's transformation as
    (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z), which stays finite for heavy buyers.
    """
    x, tx, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    z = t / (alpha + T + t)
    term = (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
    top = (a + b + x - 1) / (a - 1) * (1 - term)
    return top * np.exp(-np.logaddexp(0.0, _log_odds_dead(fit, x, tx, T)))


# -- Gamma-Gamma ---------------------------------------------------------------------------

def _gg_loglik(params: np.ndarray, x: np.ndarray, m: np.ndarray, w: np.ndarray) -> float:
    p, q, g = params
    px = p * x
    ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(x * m + g))
    return float(np.sum(w * ll))


def fit_gamma_gamma(summary: pd.DataFrame) -> GammaGammaFit:
    """Return the maximum-likelihood Gamma-Gamma fit on the repeaters of ``summary``.

    Uses customers with ``frequency`` > 0 and ``monetary_value`` > 0 (the model's
    x and m_x: mean spend of the x repeat purchase days).  Raises
    :class:`DataError` with fewer than two such customers.
    """
    x, m = _arrays(summary, ("frequency", "monetary_value"))
    keep = (x > 0) & (m > 0)
    if keep.sum() < 2:
        raise DataError(f"Gamma-Gamma needs at least 2 customers with repeat purchases and positive "
                        f"spend; got {int(keep.sum())}", where="clv")
    (x, m), w = _compress(x[keep], m[keep])
    scale = float(np.sum(w))

    def negll(logp: np.ndarray) -> float:
        return -_gg_loglik(np.exp(logp), x, m, w) / scale

    start = np.log([1.0, 1.0, max(float(np.average(m, weights=w)), 1e-6)])
    p, q, g = _maximise(negll, start)
    return GammaGammaFit(float(p), float(q), float(g), _gg_loglik(np.array([p, q, g]), x, m, w), int(scale))


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
    fitted (fewer than 2 repeaters, or q ≤ 1 so the mean spend is infinite), each
    customer's own mean purchase-day spend is used instead and a note says so.
    """
    summary = summary_from_orders(orders, as_of)
    notes: list[str] = []
    fit_on = summary
    if sample is not None and sample < len(summary):
        rng = np.random.default_rng(seed)
        fit_on = summary.iloc[np.sort(rng.choice(len(summary), size=int(sample), replace=False))]
        notes.append(f"模型在随机抽取的 {int(sample):,} 位客户上拟合（种子 {seed}），再应用到全部 {len(summary):,} 位客户。")
    bg = fit_bgnbd(fit_on)
    gg: GammaGammaFit | None
    try:
        gg = fit_gamma_gamma(fit_on)
        if gg.q <= 1:
            notes.append("Gamma-Gamma 拟合得到 q ≤ 1（平均消费无有限均值），改用客户自身的历史平均消费。")
            gg = None
    except DataError:
        notes.append("复购客户太少，无法拟合 Gamma-Gamma 模型，改用客户自身的历史平均消费。")
        gg = None

    notes += _boundary_notes(bg, gg)
    x, tx, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    out = summary.copy()
    out["days_since_last"] = np.rint((T - tx) * 7).astype(int)  # whole days, without float dust
    out["p_alive"] = probability_alive(bg, x, tx, T)
    out["expected_purchases_90d"] = expected_purchases(bg, horizon_days / 7.0, x, tx, T)
    if gg is not None:
        out["expected_value_90d"] = expected_value(gg, x, summary["monetary_value"])
    else:
        days = np.maximum(x + 1, 1)
        out["expected_value_90d"] = summary["total_value"].to_numpy(float) / days
    out["clv_90d"] = out["expected_purchases_90d"] * out["expected_value_90d"]
    fits = CLVFits(bg, gg, float(horizon_days), len(summary), len(fit_on), notes)
    return out.reset_index(drop=True), fits


def _boundary_notes(bg: BGNBDFit, gg: GammaGammaFit | None) -> list[str]:
    # At the edge of the parameter space the models reduce to simpler ones; the
    # predictions stay valid, but the raw parameters look absurd, so say why.
    notes = []
    if bg.r > 1e4:
        notes.append("客户之间的购买频率几乎没有差异（r 极大），BG/NBD 近似为人人相同的购买率。")
    if bg.a / (bg.a + bg.b) < 1e-4:
        notes.append("数据中几乎看不到客户流失（a 趋于 0），各客户的存活概率都接近 1。")
    if gg is not None and gg.q > 1e4:
        notes.append("客户之间的平均消费几乎没有差异（q 极大），Gamma-Gamma 近似为同一平均消费。")
    return notes


def value_summary(table: pd.DataFrame, fits: CLVFits) -> dict[str, Any]:
    """Return the CLV totals of a :func:`customer_value_table` as plain data.

    Keys: ``model`` ("bgnbd+gamma-gamma"), ``params`` {r, alpha, a, b, p, q, gamma},
    ``horizon_days``, ``customers``, ``customers_fitted``, ``expected_purchases_90d``
    (sum over customers), ``expected_value_90d`` (sum of ``clv_90d``: expected spend in
    the horizon), ``mean_p_alive``, ``loglik_bgnbd`` and ``notes``.
    """
    return {"model": "bgnbd+gamma-gamma", "params": fits.params(), "horizon_days": fits.horizon_days,
            "customers": fits.customers, "customers_fitted": fits.fitted_on,
            "expected_purchases_90d": float(table["expected_purchases_90d"].sum()),
            "expected_value_90d": float(table["clv_90d"].sum()),
            "mean_p_alive": float(table["p_alive"].mean()) if len(table) else None,
            "loglik_bgnbd": fits.bgnbd.loglik, "notes": list(fits.notes)}


def at_risk(value_table: pd.DataFrame, rfm: pd.DataFrame | None = None, *, top: int = 50,
            p_alive_below: float = 0.5, value_quantile: float = 0.8) -> pd.DataFrame:
    """Return the valuable customers the models think have lapsed, for a win-back list.

    Rule: a customer is *valuable* when their historical spend (``total_value``) or
    their expected spend per purchase (``expected_value_90d``) is at or above the
    ``value_quantile`` quantile (default: top 20 %) of all customers; *at risk* when
    they are valuable, have bought on at least two days (BG/NBD gives P(alive) = 1 to
    one-day customers, so they cannot be flagged) and ``p_alive`` < ``p_alive_below``.
    ``value_at_stake`` = ``total_value`` × (1 − ``p_alive``): past spend weighted by
    the chance it has stopped.  Sorted by ``value_at_stake``, the first ``top`` rows.

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
    reasons = np.where(high_hist[flagged], "历史消费位于前{:.0%}".format(1 - value_quantile),
                       "预计单次消费位于前{:.0%}".format(1 - value_quantile))
    out["原因"] = [f"{why}，存活概率 {p:.0%}，已 {d:.0f} 天未购买"
                 for why, p, d in zip(reasons, out["p_alive"], out["days_since_last"])]
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
