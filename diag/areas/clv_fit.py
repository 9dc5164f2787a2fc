"""Fitting BG/NBD and Gamma-Gamma: when not to, how, and how it went.

* **Not fitted.**  Data that cannot identify a model are refused before any optimiser
  runs, with the reason (:class:`ModelNotFitted`, worded by the ``clv`` catalogue): too few
  customers, nobody repeating, one purchase day only, every customer repeating the same
  number of times or nobody repeating more than once (BG/NBD then cannot tell purchase
  rate from drop-out), too few
  repeaters or identical repeat spend (Gamma-Gamma).  A fit that does not converge
  within the iteration bound, or whose predictions are not finite, is refused too.
* **How.**  Maximum likelihood with analytic gradients
  (:mod:`diag.areas.clv_models`) by SciPy's L-BFGS-B on the log-parameters inside a box
  (:data:`BOUNDS`).  With many customers a seeded subsample (:data:`WARM_START_CUSTOMERS`)
  is fitted first from a moment-based start, and that estimate starts the fit on all
  customers, which then needs few iterations.
* **At a parameter boundary.**  A parameter is *at the boundary* when its estimate lies
  within 0.1 % (|ln θ − ln limit| < 10⁻³) of its box limit: the likelihood keeps rising
  towards a limit of the model (e.g. r → ∞: every customer has the same purchase rate;
  a → 0: nobody drops out; a, b → ∞: everyone has the same drop-out chance).  The fit
  is kept — its predictions are those of the limiting model — and the parameters and a
  note saying what the limit means are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

import numpy as np
from threadpoolctl import threadpool_limits

from diag.areas.clv_models import BGNBDData, GammaGammaData, bgnbd_loglik_grad, gamma_gamma_loglik_grad
from diag.errors import DataError
from diag.messages import said, say

__all__ = ["ModelNotFitted", "Convergence", "BOUNDS", "MIN_CUSTOMERS", "MIN_REPEATERS",
           "check_bgnbd", "check_gamma_gamma", "maximise_bgnbd", "maximise_gamma_gamma",
           "boundary_notes"]

MIN_CUSTOMERS = 20          # BG/NBD has four parameters; fewer customers pin none of them
MIN_REPEATERS = 5           # customers with x > 0 (and, for Gamma-Gamma, positive spend)
WARM_START_CUSTOMERS = 40_000
MAXITER = 500
#: Box limits of each parameter; α and γ are multiplied by the data's scale (mean T in
#: weeks, mean repeat spend), the shape parameters are dimensionless.
BOUNDS = {"r": (1e-4, 1e4), "alpha": (1e-8, 1e8), "a": (1e-4, 1e4), "b": (1e-4, 1e4),
          "p": (1e-4, 1e4), "q": (1e-4, 1e4), "gamma": (1e-8, 1e8)}
BOUNDARY_TOL = 1e-3         # in ln θ
#: A fit has converged when no parameter's log changes the mean log-likelihood per customer
#: by more than this (the projected gradient: components pushing out of the box at a limit
#: do not count).
CONVERGED_GRADIENT = 1e-5
#: The full-data polish stops below this gradient (a tenth of the bound), see :func:`_polish`.
POLISHED_GRADIENT = CONVERGED_GRADIENT / 10


class ModelNotFitted(DataError):
    """The data cannot identify the model: ``item`` says why (a :func:`~diag.messages.said` record of
    the ``clv`` catalogue), ``reason`` in Chinese."""

    def __init__(self, key: str, *, model: str = "bgnbd", **fields: Any) -> None:
        self.item = said(key, **fields)
        self.reason = say("clv", self.item)
        self.model = model
        super().__init__(f"not fitted: {self.reason}", where="clv")


@dataclass(frozen=True)
class Convergence:
    """How an optimisation ended: the record the results carry."""

    converged: bool
    iterations: int
    evaluations: int
    message: str
    gradient: float                     # max |projected gradient| of the mean log-likelihood
    at_boundary: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the record as plain data (``at_boundary`` a list of parameter names)."""
        return {"converged": self.converged, "iterations": self.iterations,
                "evaluations": self.evaluations, "message": self.message,
                "gradient": float(self.gradient), "at_boundary": list(self.at_boundary)}


# -- refusing what cannot be fitted -----------------------------------------------------

def check_bgnbd(x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray | None = None) -> None:
    """Raise :class:`ModelNotFitted` when (x, t_x, T) cannot identify BG/NBD; DataError when invalid.

    ``w``: customers per row (default one each).
    """
    if not (np.isfinite(x).all() and np.isfinite(tx).all() and np.isfinite(T).all()):
        raise DataError("expected finite frequency, recency and T for every customer", where="clv")
    if x.size and (x.min() < 0 or tx.min() < 0 or np.greater(tx, T + 1e-9).any()):
        raise DataError("expected 0 ≤ recency ≤ T and frequency ≥ 0 for every customer", where="clv")
    rep = np.flatnonzero(x > 0)
    n = x.size if w is None else int(round(w.sum()))
    repeaters = rep.size if w is None else int(round(w[rep].sum()))
    if n < MIN_CUSTOMERS:
        raise ModelNotFitted("too_few_customers", n=n, min=MIN_CUSTOMERS)
    if repeaters == 0:
        if len(T) and np.ptp(T) == 0:
            raise ModelNotFitted("one_day")
        raise ModelNotFitted("no_repeaters")
    if repeaters < MIN_REPEATERS:
        raise ModelNotFitted("few_repeaters", n=repeaters, min=MIN_REPEATERS)
    if rep.size == x.size and np.ptp(x) == 0:
        raise ModelNotFitted("same_repeats", x=int(x[0]))
    if x.max() <= 1:
        # Nobody with a second repeat: the likelihood runs to "everyone leaves right after
        # the first repeat" (b → 0) whatever the rates, so no parameter means anything.
        raise ModelNotFitted("max_one_repeat")


def check_gamma_gamma(x: np.ndarray, m: np.ndarray) -> None:
    """Raise :class:`ModelNotFitted` when the repeaters' (x, m) cannot identify Gamma-Gamma."""
    if len(x) < MIN_REPEATERS:
        raise ModelNotFitted("gg_few_repeaters", model="gamma_gamma", n=len(x), min=MIN_REPEATERS)
    if np.ptp(m) <= 1e-9 * np.abs(m).max():
        raise ModelNotFitted("gg_same_spend", model="gamma_gamma")


# -- the optimiser ---------------------------------------------------------------------------

def _objective(fun: Callable[[np.ndarray], tuple[float, np.ndarray]], n: int,
               theta0: np.ndarray, free: np.ndarray) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Return the mean negative log-likelihood of the ``free`` log-parameters (the rest fixed at ``theta0``)."""
    def negative(sub: np.ndarray) -> tuple[float, np.ndarray]:
        theta = theta0.copy()
        theta[free] = sub
        ll, grad = fun(np.exp(theta))
        if not np.isfinite(ll) or not np.all(np.isfinite(grad)):
            return 1e10, np.zeros_like(sub)
        return -ll / n, (-grad * np.exp(theta) / n)[free]   # chain rule: d/dlnθ = θ · d/dθ

    return negative


def _stop_when_converged(objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
                         bounds: np.ndarray | None = None,
                         to_theta: Callable[[np.ndarray], np.ndarray] | None = None,
                         ) -> tuple[Callable[[np.ndarray], tuple[float, np.ndarray]], Callable[[Any], None]]:
    """Return (``objective`` recording its last point and gradient, an optimiser callback).

    The callback stops the optimiser (``StopIteration``) at an iterate whose recorded
    gradient in ln θ — projected onto the box when ``bounds`` are given — is below
    :data:`POLISHED_GRADIENT`: closer than that a line search on millions of customers
    only chases rounding noise, for dozens of evaluations.  ``to_theta`` maps the
    optimiser's variables to the objective's (the identity without it).
    """
    last: dict[str, Any] = {}

    def recorded(theta: np.ndarray) -> tuple[float, np.ndarray]:
        f, g = objective(theta)
        last.update(theta=theta.copy(), f=f, g=g)
        return f, g

    def enough(intermediate_result: Any) -> None:
        theta = intermediate_result.x if to_theta is None else to_theta(intermediate_result.x)
        if "theta" not in last or last["f"] >= 1e10 or not np.array_equal(theta, last["theta"]):
            return
        g = last["g"]                       # of the negative log-likelihood
        if bounds is not None:
            low, high = theta - bounds[:, 0] < BOUNDARY_TOL, bounds[:, 1] - theta < BOUNDARY_TOL
            g = np.where((low & (g > 0)) | (high & (g < 0)), 0.0, g)
        if float(np.max(np.abs(g))) < POLISHED_GRADIENT:
            raise StopIteration

    return recorded, enough


def _lbfgsb(fun: Callable[[np.ndarray], tuple[float, np.ndarray]], n: int, start: np.ndarray,
            bounds: np.ndarray, *, early: bool = False) -> tuple[np.ndarray, Any]:
    """Return L-BFGS-B's optimum in ln θ and its result; ``early``: stop as in :func:`_stop_when_converged`."""
    from scipy.optimize import minimize

    every = np.ones(len(start), bool)
    objective = _objective(fun, n, start, every)
    callback = None
    if early:
        objective, callback = _stop_when_converged(objective, bounds)
    res = minimize(objective, np.clip(start, bounds[:, 0], bounds[:, 1]), jac=True,
                   method="L-BFGS-B", bounds=bounds, callback=callback,
                   options={"maxiter": MAXITER, "ftol": 1e-13, "gtol": 1e-9})
    return res.x, res


def _polish(fun: Callable[[np.ndarray], tuple[float, np.ndarray]], n: int, theta: np.ndarray,
            bounds: np.ndarray, curvature: np.ndarray | None) -> tuple[np.ndarray, Any] | None:
    """Return BFGS on all customers from a subsample's optimum, started with the subsample's
    inverse Hessian (so few full-data evaluations are needed); None without free parameters.

    The free log-parameters are mapped into their box by a logistic function,
    ln θ = lo + (hi − lo) σ(u), so the search cannot leave it (the Hessian is carried over
    through the map's Jacobian).
    """
    from scipy.optimize import minimize

    free = (theta - bounds[:, 0] >= BOUNDARY_TOL) & (bounds[:, 1] - theta >= BOUNDARY_TOL)
    if not free.any() or curvature is None:
        return None
    lo, width = bounds[free, 0], bounds[free, 1] - bounds[free, 0]
    objective = _objective(fun, n, theta, free)

    def inside(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sig = 1.0 / (1.0 + np.exp(-u))
        return lo + width * sig, width * sig * (1.0 - sig)     # ln θ and its derivative

    def to_theta(u: np.ndarray) -> np.ndarray:
        return inside(u)[0]

    objective, enough = _stop_when_converged(objective, to_theta=to_theta)

    def mapped(u: np.ndarray) -> tuple[float, np.ndarray]:
        value, jac = inside(u)
        f, g = objective(value)
        return f, g * jac

    share = (theta[free] - lo) / width
    u0 = np.log(share) - np.log1p(-share)
    options: dict[str, Any] = {"maxiter": 12, "gtol": 1e-6}
    jac = inside(u0)[1]
    h = curvature[np.ix_(free, free)] * np.outer(jac, jac)
    if np.all(np.isfinite(h)) and np.linalg.cond(h) < 1e12:
        inverse = np.linalg.inv(h)
        inverse = (inverse + inverse.T) / 2
        if np.all(np.linalg.eigvalsh(inverse) > 0):
            options["hess_inv0"] = inverse
    res = minimize(mapped, u0, jac=True, method="BFGS", options=options, callback=enough)
    out = theta.copy()
    out[free] = np.clip(inside(res.x)[0], bounds[free, 0], bounds[free, 1])
    return out, res


def _hessian(fun: Callable[[np.ndarray], tuple[float, np.ndarray]], n: int, theta: np.ndarray) -> np.ndarray:
    """Return the Hessian of the mean negative log-likelihood in ln θ by central differences of the gradient."""
    every = np.ones(len(theta), bool)
    objective = _objective(fun, n, theta, every)
    h, cols = 1e-4, []
    for i in range(len(theta)):
        step = np.zeros(len(theta))
        step[i] = h
        cols.append((objective(theta + step)[1] - objective(theta - step)[1]) / (2 * h))
    hess = np.array(cols)
    return (hess + hess.T) / 2


def _fit(names: tuple[str, ...], scales: dict[str, float], loglik: Callable[[np.ndarray, Any], tuple[float, np.ndarray]],
         data: Any, start: np.ndarray, warm: Any | None) -> tuple[np.ndarray, float, Convergence]:
    """Return (parameters, log-likelihood, convergence) of a bounded fit (two stages with ``warm``)."""
    limits = np.array([[BOUNDS[k][0] * scales.get(k, 1.0), BOUNDS[k][1] * scales.get(k, 1.0)] for k in names])
    bounds = np.log(limits)
    full = partial(_swap, loglik, data)
    iterations = evaluations = 0
    # One BLAS thread: SciPy's L-BFGS-B calls BLAS on tiny vectors, and a second thread
    # spinning on a busy two-core machine slows the whole fit down tenfold.
    with np.errstate(all="ignore"), threadpool_limits(limits=1, user_api="blas"):
        theta = np.clip(np.log(start), bounds[:, 0], bounds[:, 1])
        polished = None
        if warm is not None:
            sub = partial(_swap, loglik, warm)
            theta, res = _lbfgsb(sub, warm.n, theta, bounds)
            iterations, evaluations = int(res.nit), int(res.nfev) + 2 * len(theta)
            polished = _polish(full, data.n, theta, bounds, _hessian(sub, warm.n, theta))
            if polished is not None:
                iterations, evaluations = iterations + int(polished[1].nit), evaluations + int(polished[1].nfev)
                if _projected(full, data.n, polished[0], bounds)[0] >= CONVERGED_GRADIENT:
                    theta, polished = polished[0], None     # a parameter at its limit wants to move
        if polished is not None:
            theta, res = polished
        else:
            theta, res = _lbfgsb(full, data.n, theta, bounds, early=warm is not None)
            iterations, evaluations = iterations + int(res.nit), evaluations + int(res.nfev)
        gmax, ll, at_limit = _projected(full, data.n, theta, bounds)
    converged = bool(np.isfinite(ll) and gmax < CONVERGED_GRADIENT)
    at = tuple(k for k, flag in zip(names, at_limit) if flag)
    params = np.clip(np.exp(theta), limits[:, 0], limits[:, 1])    # no float dust beyond a limit
    message = str(res.message)
    if "StopIteration" in message:          # stopped by _stop_when_converged
        message = f"stopped: gradient in ln θ below {POLISHED_GRADIENT:g}"
    return params, ll, Convergence(converged, iterations, evaluations, message, gmax, at)


def _swap(loglik: Callable[[np.ndarray, Any], tuple[float, np.ndarray]], data: Any,
          params: np.ndarray) -> tuple[float, np.ndarray]:
    return loglik(params, data)


def _projected(fun: Callable[[np.ndarray], tuple[float, np.ndarray]], n: int, theta: np.ndarray,
               bounds: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Return (max |projected gradient| of the mean log-likelihood in ln θ, log-likelihood, at-limit flags).

    A gradient component pushing out of the box at a parameter's limit does not count.
    """
    ll, grad = fun(np.exp(theta))
    g = grad * np.exp(theta) / n
    low, high = theta - bounds[:, 0] < BOUNDARY_TOL, bounds[:, 1] - theta < BOUNDARY_TOL
    g = np.where((low & (g < 0)) | (high & (g > 0)), 0.0, g)
    gmax = float(np.max(np.abs(g))) if np.isfinite(ll) and np.all(np.isfinite(g)) else float("inf")
    return gmax, float(ll), low | high


def _warm(data: Any, seed: int) -> Any | None:
    if data.n <= 2 * WARM_START_CUSTOMERS:
        return None
    sub = data.thinned(WARM_START_CUSTOMERS / data.n, seed)
    return sub if sub.n >= MIN_CUSTOMERS else None


def maximise_bgnbd(data: BGNBDData, *, seed: int = 0) -> tuple[np.ndarray, float, Convergence]:
    """Return (r, α, a, b), the log-likelihood and the convergence record of the BG/NBD fit.

    Start: r = 1, α = 1 / (repeat purchase days per week of observation), a = 1, b = 2.
    """
    x_sum = float(np.sum(data.nx * data.xs))
    t_sum = float(np.sum(data.w0 * data.ts) + np.sum(data.m_xT.sum(axis=0) * data.ts))
    t_mean = max(t_sum / data.n, 1e-6)
    start = np.array([1.0, max(t_sum / max(x_sum, 1.0), 1e-3), 1.0, 2.0])
    return _fit(("r", "alpha", "a", "b"), {"alpha": t_mean}, bgnbd_loglik_grad, data, start,
                _warm(data, seed))


def maximise_gamma_gamma(data: GammaGammaData, *, seed: int = 0) -> tuple[np.ndarray, float, Convergence]:
    """Return (p, q, γ), the log-likelihood and the convergence record of the Gamma-Gamma fit.

    Start: p = 2, q = 3 and γ = mean repeat spend, so the start's mean spend pγ/(q−1)
    equals the observed one.
    """
    m_mean = float(np.sum(data.w * data.xm / data.x) / data.w.sum())
    start = np.array([2.0, 3.0, m_mean])
    return _fit(("p", "q", "gamma"), {"gamma": m_mean}, gamma_gamma_loglik_grad, data, start,
                _warm(data, seed))


# -- what a boundary means ---------------------------------------------------------------------

#: The parameters whose bound has a meaning of its own (``boundary.<name>.<side>`` in the catalogue).
_BOUNDARY_MEANINGS = {("r", 1), ("r", 0), ("a", 0), ("b", 0), ("a", 1), ("b", 1), ("p", 1), ("q", 1)}


def boundary_notes(params: dict[str, float], at_boundary: tuple[str, ...],
                   scales: dict[str, float]) -> list[dict[str, Any]]:
    """Return a note (a :func:`~diag.messages.said` record of the ``clv`` catalogue) per meaning of
    the parameters at their box limits, with each parameter's value and bound."""
    notes: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for name in at_boundary:
        lo, hi = (v * scales.get(name, 1.0) for v in BOUNDS[name])
        side = int(abs(np.log(params[name]) - np.log(hi)) < abs(np.log(params[name]) - np.log(lo)))
        what = (said(f"boundary.{name}.{side}") if (name, side) in _BOUNDARY_MEANINGS
                else said(f"boundary.other.{side}", name=name))
        notes.setdefault(say("clv", what), (what, []))[1].append(
            said("boundary_value", name=name, value=float(params[name]), bound=float(hi if side else lo)))
    return [said("boundary", what=what, values=values) for what, values in notes.values()]
