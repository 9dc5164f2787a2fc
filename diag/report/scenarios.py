"""Scenarios saved in the live session: kept in the client's results, printed in the report.

"Save scenario" on the live page records the scenario — ``inputs`` (the levers),
``outputs``, ``chart`` (the projection's PNG) — in the strategy section's data as
``saved_scenarios`` (at most :data:`MAX_SAVED`), both in ``results/strategy.json`` (so a later merge keeps it) and
in ``results.json``, each written atomically (:func:`diag.files.write_atomic`); the
chart goes to ``figures/live_scenario_<id>.png``.  :func:`with_saved_scenarios` turns
them into report blocks after the GMV scenarios, so ``diag report RUN_DIR`` prints them
side by side in the strategy section.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import io
import json
import threading
from pathlib import Path
from typing import Any, Mapping

from diag.errors import DataError, UsageError
from diag.files import to_jsonable, write_atomic
from diag.format import format_number, format_yuan_short
from diag.messages import messages
from diag.privacy import scrub_text
from diag.record import FIGURES, PARTS, RESULTS
from diag.strategy import levers as lv

__all__ = ["MAX_SAVED", "KEY", "saved_scenarios", "save_scenario", "delete_scenario", "with_saved_scenarios",
           "scenario_record", "projection_png", "format_lever"]

MAX_SAVED = 3
KEY = "saved_scenarios"
SECTION = "strategy"
_LOCK = threading.Lock()


@contextlib.contextmanager
def _locked(run_dir: Path) -> Any:
    """Hold the run folder's scenario lock: one writer at a time, across threads and live sessions."""
    with _LOCK:
        try:
            import fcntl
        except ImportError:  # not POSIX: the thread lock is all there is
            yield
            return
        with open(run_dir / ".live.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def format_lever(key: str, value: float, lang: str = "zh") -> str:
    """Return a lever value as printed: 12,000人, 7.3%, ¥273, 4.01次, 0.15 (in English 12,000, …, 4.01)."""
    unit = next(lever.unit for lever in lv.LEVERS if lever.key == key)
    text = format_number(value, unit if unit in ("share", "yuan", "people") else "ratio", lang=lang)
    return text + (messages("actions", lang)("lever_times") if key == "frequency" else "")


def scenario_record(baseline: lv.Baseline, values: Mapping[str, Any], *, name: str, months: int = 12,
                    lang: str = "zh") -> dict[str, Any]:
    """Return a scenario as saved: name, ``inputs`` (lever values), ``outputs`` and the projection (no id or chart yet)."""
    outcome = lv.evaluate(baseline, values)
    rows = lv.projection(baseline, outcome, months=months)
    total, base = rows[-1]["projected_total"], rows[-1]["baseline_total"]
    return to_jsonable({
        "name": scrub_text(str(name).strip())[:40] or messages("actions", lang)("live_unnamed"),
        "saved_at": _dt.datetime.now().isoformat(timespec="seconds"),
        "inputs": dict(outcome.values), "start": dict(baseline.start), "months": int(months),
        "outputs": {"period_gmv": outcome.gmv, "measured_gmv": baseline.gmv, "buyers": outcome.buyers,
                    "orders_per_buyer": outcome.orders_per_buyer, "aov": outcome.aov,
                    "projected_total": total, "baseline_total": base, "uplift": total - base,
                    "uplift_share": total / base - 1 if base else 0.0, "funnel": outcome.funnel},
        "projection": rows})


def projection_png(record: Mapping[str, Any], lang: str = "zh") -> bytes:
    """Return the scenario's projection chart as PNG bytes (a Figure of its own: safe off the main thread), in ``lang``."""
    from matplotlib.figure import Figure

    from diag import charts  # noqa: F401  (the theme and the CJK font)
    from diag.charts.levers import projection

    fig = Figure(figsize=(8, 4.2), dpi=110)
    ax = fig.subplots()
    title = messages("actions", lang)("live_chart_title", name=record["name"], months=record["months"])
    projection(record["projection"], ax=ax, title=title, lang=lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=160, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("no recorded results; run `diag run BRIEF` first", file=path) from None
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read recorded results ({exc})", file=path) from None
    if not isinstance(data, dict):
        raise DataError("expected a JSON object", file=path)
    return data


def _strategy_data(results: dict[str, Any], create: bool) -> dict[str, Any]:
    sections = results.setdefault("sections", {}) if create else results.get("sections") or {}
    section = sections.get(SECTION)
    if section is None:
        if not create:
            return {}
        section = sections[SECTION] = {"section": SECTION, "title": "策略与行动计划", "blocks": [], "data": {}}
    return section.setdefault("data", {}) if create else section.get("data") or {}


def saved_scenarios(run_dir: str | Path) -> list[dict[str, Any]]:
    """Return the scenarios saved in ``run_dir``'s results (oldest first)."""
    results = _read(Path(run_dir) / RESULTS)
    saved = _strategy_data(results, create=False).get(KEY)
    return list(saved) if isinstance(saved, list) else []


def _write(run_dir: Path, saved: list[dict[str, Any]]) -> None:
    """Write ``saved`` into the strategy part and the merged results, each atomically."""
    part = run_dir / PARTS / f"{SECTION}.json"
    if part.is_file():
        payload = _read(part)
        payload.setdefault("data", {})[KEY] = saved
        write_atomic(part, json.dumps(payload, ensure_ascii=False, indent=1))
    results = _read(run_dir / RESULTS)
    _strategy_data(results, create=True)[KEY] = saved
    write_atomic(run_dir / RESULTS, json.dumps(results, ensure_ascii=False, indent=1))


def save_scenario(run_dir: str | Path, record: Mapping[str, Any], png: bytes) -> list[dict[str, Any]]:
    """Save ``record`` (:func:`scenario_record`) with its chart; return the saved scenarios.

    Raises :class:`UsageError` when :data:`MAX_SAVED` scenarios are saved already.
    """
    run_dir = Path(run_dir)
    with _locked(run_dir):
        saved = saved_scenarios(run_dir)
        if len(saved) >= MAX_SAVED:
            raise UsageError(f"at most {MAX_SAVED} scenarios can be saved; delete one first", where=KEY)
        used = {s.get("id") for s in saved}
        number = next(n for n in range(1, MAX_SAVED + 2) if f"s{n}" not in used)
        entry = {**copy.deepcopy(dict(record)), "id": f"s{number}",
                 "chart": f"{FIGURES}/live_scenario_s{number}.png"}
        write_atomic(run_dir / entry["chart"], png)
        saved.append(entry)
        _write(run_dir, saved)
        return saved


def delete_scenario(run_dir: str | Path, scenario_id: str) -> list[dict[str, Any]]:
    """Delete a saved scenario and its chart; return the scenarios left."""
    run_dir = Path(run_dir)
    with _locked(run_dir):
        saved = saved_scenarios(run_dir)
        gone = [s for s in saved if s.get("id") == scenario_id]
        if not gone:
            raise UsageError(f"no saved scenario '{scenario_id}'; saved: "
                             f"{', '.join(str(s.get('id')) for s in saved) or 'none'}", where=KEY)
        saved = [s for s in saved if s.get("id") != scenario_id]
        _write(run_dir, saved)
        for s in gone:
            (run_dir / str(s.get("chart", ""))).unlink(missing_ok=True)
        return saved


# -- into the report ------------------------------------------------------------------------

_OUTPUT_ROWS = (("live_period_gmv", "period_gmv"), ("live_buyers", "buyers"),
                ("live_orders_per_buyer", "orders_per_buyer"), ("live_aov", "aov"))


def _lever_cell(key: str, value: Any, lang: str = "zh") -> str:
    return ("—" if not isinstance(value, (int, float)) or isinstance(value, bool)
            else format_lever(key, float(value), lang))


def _table(saved: list[dict[str, Any]], lang: str = "zh") -> dict[str, Any]:
    t = messages("actions", lang)
    months = saved[0].get("months", 12)
    columns = [t("live_metric"), t("live_today")] + [str(s.get("name")) for s in saved]
    rows = []
    for lever in lv.LEVERS:
        start = saved[0].get("start", {}).get(lever.key)
        rows.append([lever.name(lang), _lever_cell(lever.key, start, lang)]
                    + [_lever_cell(lever.key, s["inputs"].get(lever.key), lang) for s in saved])
    first = saved[0]["outputs"]
    current = {"period_gmv": format_yuan_short(first["measured_gmv"], lang), "buyers": "", "orders_per_buyer": "",
               "aov": ""}
    for label, key in _OUTPUT_ROWS:
        cells = []
        for s in saved:
            value = float(s["outputs"][key])
            cells.append(format_yuan_short(value, lang) if key in ("period_gmv", "aov") else
                         format_number(value, "people" if key == "buyers" else "ratio", lang=lang))
        rows.append([t(label), current[key] or "—"] + cells)
    rows.append([t("live_months_gmv", months=months), format_yuan_short(first["baseline_total"], lang)]
                + [format_yuan_short(float(s["outputs"]["projected_total"]), lang) for s in saved])
    rows.append([t("live_months_uplift", months=months), "—"]
                + [f"{format_yuan_short(float(s['outputs']['uplift']), lang)} "
                   f"({float(s['outputs']['uplift_share']):+.1%})" for s in saved])
    return {"kind": "table", "key": "strategy_live_scenarios", "title": t("live_table_title"), "columns": columns,
            "rows": rows, "max_rows": 40, "note": t("live_table_note", months=months)}


def _blocks(saved: list[dict[str, Any]], lang: str = "zh") -> list[dict[str, Any]]:
    t = messages("actions", lang)
    blocks: list[dict[str, Any]] = [
        {"kind": "heading", "text": t("live_heading"), "level": 2},
        {"kind": "text", "style": "body", "text": t("live_intro", count=len(saved))},
        _table(saved, lang)]
    for s in saved:
        if s.get("chart"):
            when = str(s.get("saved_at", "")).replace("T", " ")[:16]
            blocks.append({"kind": "figure", "key": f"live_scenario_{s.get('id')}", "path": s["chart"],
                           "title": t("live_figure_title", name=s.get("name")), "caption": t("live_saved_at", when=when),
                           "landscape": False})
    return blocks


def with_saved_scenarios(results: dict[str, Any], run_dir: str | Path | None = None,
                         lang: str | None = None) -> dict[str, Any]:
    """Return ``results`` with the saved scenarios as blocks of the strategy section (a copy; unchanged if none).

    The blocks follow the GMV scenarios table (``strategy_scenarios``) when the
    section has one, else they close the section.  A scenario whose chart file is
    missing from ``run_dir`` is printed without its chart.  The blocks' words are in
    ``lang``, by default the run's (``results["meta"]["lang"]``, else Chinese).
    """
    meta = results.get("meta")
    lang = lang or (meta.get("lang") if isinstance(meta, dict) else None) or "zh"
    data = _strategy_data(results, create=False)
    saved = [s for s in data.get(KEY) or [] if isinstance(s, dict) and isinstance(s.get("inputs"), dict)
             and isinstance(s.get("outputs"), dict)]
    if not saved:
        return results
    if run_dir is not None:
        saved = [s if (Path(run_dir) / str(s.get("chart", ""))).is_file() else {**s, "chart": None}
                 for s in saved]
    out = copy.deepcopy(results)
    blocks = out["sections"][SECTION].setdefault("blocks", [])
    at = next((i + 1 for i, b in enumerate(blocks) if isinstance(b, dict) and b.get("key") == "strategy_scenarios"
               and b.get("kind") == "table"), len(blocks))
    blocks[at:at] = _blocks(saved, lang)
    return out
