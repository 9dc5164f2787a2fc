"""Plays as data with a scope, filled with the client's own products, prices, stores and channels.

The play library lives in ``templates/plays/`` (``plays.yaml``, ``scope.yaml``,
``industries.yaml``, ``genes.yaml``): every play, script and example there names the
industries and formats (门店 / 电商 / 混合) it fits and its source.  This module

- reads the client's facts into a :class:`ClientContext` (:func:`client_context`): its
  format, its 引流品 (one of its own product lines, with its own price), repurchase and
  profit products, stores, channels, advisor role, voice;
- fits an industry template to the client (:func:`fit_template`): activities and rules
  outside the client's format or gene are dropped, the rest carry their scope, and
  placeholders are filled from the context, so no case detail of another client reaches
  the plan;
- turns the template's cases into labelled 案例 boxes naming their industry (:func:`case_boxes`).

Pure functions of their inputs, except :func:`load_library` which reads the YAML files.
"""

from __future__ import annotations

import copy
import functools
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import yaml

from diag import paths
from diag.errors import TemplateError
from diag.industries.registry import in_language
from diag.messages import messages

__all__ = ["FORMATS", "ClientContext", "load_library", "client_format", "client_context", "fill",
           "in_scope", "fit_template", "case_boxes", "industry_profile", "DISCOUNT_FREE_GENES"]

FORMATS = ("门店", "电商", "混合")
#: Team genes whose plan never leads with a discount (their edge is the product or the brand).
DISCOUNT_FREE_GENES = ("产品", "品牌")
PLAYS = paths.TEMPLATES / "plays"


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("plays", "scope", "industries", "genes"):
        path = Path(folder) / f"{name}.yaml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise TemplateError(f"expected a readable YAML play library file: {exc}", file=path) from None
        if not isinstance(data, dict):
            raise TemplateError("expected a mapping at the top level", file=path)
        out[name] = data
    return out


def load_library(folder: str | Path | None = None, lang: str | None = None) -> dict[str, Any]:
    """Return the play library (``plays``, ``scope``, ``industries``, ``genes``) from ``templates/plays``.

    With ``lang`` its texts are in that language: the items' English twins (``en:``) replace
    their Chinese texts in English and are dropped either way, as
    :func:`diag.industries.registry.load_industry` does for a template; without it the
    library is as written, twins included.
    """
    library = copy.deepcopy(_load(str(folder or PLAYS)))
    return library if lang is None else dict(in_language(library, lang))


def industry_profile(library: Mapping[str, Any], industry: str) -> dict[str, Any]:
    """Return the industry's voice, touches and service cadence, the ``default`` entry filling gaps."""
    profiles = library["industries"]
    out = dict(profiles.get("default", {}))
    out.update(profiles.get(industry, {}))
    out["industry"] = industry if industry in profiles else "default"
    return out


# -- the client's facts --------------------------------------------------------------------------

@dataclass
class ClientContext:
    """The client's own facts that plays are filled with; ``sources`` says where each came from."""

    client: str
    industry: str
    format: str                       # 门店 / 电商 / 混合
    gene: str | None
    stores: list[str]
    lead: str
    lead_price: float
    coupon: int
    repurchase: str
    profit: str
    profit_price: float
    channel: str
    public: str
    advisor: str
    selling_point: str
    tiers: str
    window: str
    venue: str
    address: str
    care: str
    cycle: float
    first_item: str
    sources: dict[str, str] = field(default_factory=dict)
    #: The language the kit's own words in the placeholders ({card}, {visit} …) are in.
    lang: str = "zh"

    @property
    def has_stores(self) -> bool:
        """Return whether the client sells in its own stores."""
        return self.format in ("门店", "混合")

    @property
    def lead_entry(self) -> float:
        """Return the 引流品's entry price: its own price less the new-customer coupon."""
        return max(self.lead_price - self.coupon, 0.0)

    def card_text(self) -> str:
        """Return the printed card that carries the add-WeCom code: 包裹卡, 到店卡 or both."""
        key = {"门店": "card_store", "电商": "card_online", "混合": "card_mixed"}[self.format]
        return messages("ops", self.lang)(key)

    def values(self) -> dict[str, Any]:
        """Return the placeholder values for :func:`fill` (prices formatted as in a script)."""
        t = messages("ops", self.lang)
        out = {k: v for k, v in asdict(self).items() if k not in ("sources", "lang")}
        moment = {"门店": "card_moment_store", "电商": "card_moment_online", "混合": "card_moment_mixed"}[self.format]
        out.update(lead_price=_price(self.lead_price), profit_price=_price(self.profit_price),
                   lead_entry=_price(self.lead_entry), store=self.stores[0] if self.stores else self.venue,
                   cycle=f"{self.cycle:.0f}", prize=self.lead,
                   card=self.card_text(), visit=t("visit_store" if self.has_stores else "visit_online"),
                   card_moment=t(moment))
        out["care"] = self.care.format_map(_Keep(item=self.repurchase))
        return out


def _price(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class _Keep(dict):
    """Placeholders without a value stay visible as {name} (a template typo shows, never crashes)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, ctx: ClientContext, **extra: Any) -> str:
    """Return ``text`` with the client's placeholders ({lead}, {lead_price}, {store}, …) filled in."""
    values = ctx.values()
    values.update(extra)
    return str(text).format_map(_Keep(values))


def client_format(brief: Any, lines: pd.DataFrame | None = None) -> str:
    """Return 门店, 电商 or 混合 from the brief's format, stores and channels (and a store column in the data).

    Stores: ``client.store_count > 0``, ``client.format`` 单店 / 连锁, ``scene.stores``, a
    线下 channel, or a ``store`` column with values in the orders.  Online: format 电商 /
    品牌, ``online_share > 0`` or a 公域 / 私域 channel.  Both → 混合; stores only → 门店;
    neither stores nor anything said → 电商 only when the format says so, else 门店.
    """
    c, s = brief.client, brief.scene
    kinds = {ch.kind for ch in s.channels}
    stores = bool((c.store_count or 0) > 0 or c.format in ("单店", "连锁") or s.stores or "线下" in kinds)
    if not stores and lines is not None and "store" in lines and lines["store"].notna().any():
        stores = True
    online = bool(c.format in ("电商", "品牌") or (c.online_share or 0) > 0 or kinds & {"公域", "私域"})
    if stores and c.store_count == 0 and c.format == "电商":
        stores = False
    if stores and online and (c.online_share is None or c.online_share > 0):
        return "混合"
    if stores:
        return "门店"
    return "电商"


def _line_price(lines: pd.DataFrame | None, name: str) -> float | None:
    if lines is None or "product" not in lines or not len(lines):
        return None
    hit = lines[lines["product"].astype(str) == name]
    if hit.empty:
        hit = lines[lines["product"].astype(str).str.contains(name, regex=False, na=False)]
    if hit.empty:
        return None
    qty = hit["quantity"].astype(float).where(lambda q: q > 0) if "quantity" in hit else None
    unit = hit["amount"].astype(float) / (qty if qty is not None else 1.0)
    value = float(unit.median())
    return value if math.isfinite(value) and value > 0 else None


def _from_data(lines: pd.DataFrame | None) -> tuple[str, float] | None:
    """Return the product most first orders contain among the cheaper half of products, and its price."""
    if lines is None or "product" not in lines or lines["product"].isna().all():
        return None
    from diag.areas import goods
    first = goods.first_order_products(lines.dropna(subset=["product"]))
    prices = {p: _line_price(lines, str(p)) for p in first["product"].head(20)}
    known = {p: v for p, v in prices.items() if v}
    if not known:
        return None
    cut = sorted(known.values())[(len(known) - 1) // 2]
    for p in first["product"]:
        if p in known and known[p] <= cut:
            return str(p), float(known[p])
    return None


def client_context(brief: Any, template: Mapping[str, Any], *, lines: pd.DataFrame | None = None,
                   library: Mapping[str, Any] | None = None, cycle_days: float | None = None,
                   lang: str = "zh") -> ClientContext:
    """Return the client's facts for filling plays, each with its source (需求澄清表 / 数据 / 行业模板).

    The 引流品 is the brief's product line marked 引流 (price_min), else its first
    ``traffic_products`` entry priced from the data, else the product most first orders
    contain among the cheaper half of the data's products, else the cheapest product
    line.  Repurchase and profit products follow the same order (role 复购 / 利润, the
    named lists, the lines).  The coupon is ``lead_offer.coupon_share`` of the price.
    The kit's words (address, care sentence, venue, defaults where the brief is silent,
    the card and visit texts) are in ``lang``; the client's own words stay as written.
    """
    t = messages("ops", lang)
    lib = library or load_library()
    prof = in_language(industry_profile(lib, template.get("key", brief.client.industry)), lang)
    g, sources = brief.goods, {}
    lines_by_role = {role: [p for p in g.product_lines if p.role == role] for role in ("引流", "利润", "复购", "形象")}
    priced = sorted((p for p in g.product_lines if p.price_min), key=lambda p: p.price_min)

    def pick(role: str, named: list[str]) -> tuple[str, float | None, str]:
        if lines_by_role[role]:
            p = lines_by_role[role][0]
            return p.name, p.price_min or p.price_max, "需求澄清表"
        if named:
            return named[0], _line_price(lines, named[0]), "需求澄清表"
        return "", None, ""

    lead, lead_price, src = pick("引流", g.traffic_products)
    if not lead:
        data = _from_data(lines)
        if data:
            (lead, lead_price), src = data, "数据(首单最常见的低价商品)"
        elif priced:
            lead, lead_price, src = priced[0].name, priced[0].price_min, "需求澄清表(最低价产品线)"
    if lead and not lead_price:
        lead_price = _line_price(lines, lead) or (priced[0].price_min if priced else None)
    aov = g.aov
    if not lead:
        lead, src = t("default_lead"), "未提供产品信息: 请在需求澄清表 goods.product_lines 标出引流品"
    if not lead_price:
        lead_price = round(0.3 * float(aov or template["typical"]["aov"][0]), 0)
        src += "; 价格按客单价的三成估计"
    sources["lead"] = src
    repurchase, _, rsrc = pick("复购", g.repurchase_products)
    lines_by_role["利润"].sort(key=lambda p: -(p.gross_margin or 0))  # the best margin is the profit product
    profit, profit_price, psrc = pick("利润", g.profit_products)
    repurchase = repurchase or (g.product_lines[0].name if g.product_lines else lead)
    profit = profit or (priced[-1].name if priced else repurchase)
    profit_price = profit_price or _line_price(lines, profit) or (priced[-1].price_min if priced else lead_price)
    sources.update(repurchase=rsrc or "需求澄清表(产品线)", profit=psrc or "需求澄清表(产品线)")
    share = float(lib["plays"].get("lead_offer", {}).get("coupon_share", 0.3))
    coupon = max(1, int(round(float(lead_price) * share)))
    fmt = client_format(brief, lines)
    stores = list(brief.scene.stores)
    if not stores and lines is not None and "store" in lines:
        stores = [str(s) for s in lines["store"].dropna().value_counts().index[:3]]
    channels = sorted(brief.scene.channels, key=lambda ch: -(ch.share or 0))
    public = [ch.name for ch in channels if ch.kind == "公域"] + list(brief.scene.public_platforms)
    advisor = next((r.role for r in brief.team.roles if any(w in r.role for w in ("顾问", "导购", "客服", "店长"))),
                   t("default_advisor"))
    window = template.get("sop", {}).get("attention_window", "20:00–22:00")
    cycle = float(cycle_days or g.repurchase_cycle_days or sum(template["typical"]["repurchase_cycle_days"]) / 2)
    return ClientContext(
        client=brief.client.name, industry=template.get("key", brief.client.industry), format=fmt,
        gene=brief.team.gene, stores=stores, lead=lead, lead_price=float(lead_price), coupon=coupon,
        repurchase=repurchase, profit=profit, profit_price=float(profit_price or lead_price),
        channel=channels[0].name if channels else t("default_channel_store" if fmt == "门店" else "default_channel_online"),
        public=t("list_sep").join(dict.fromkeys(public)) or t("default_public"), advisor=advisor,
        selling_point=(g.selling_points[0] if g.selling_points
                       else t("default_selling_point", client=brief.client.name, product=repurchase)),
        tiers=t("list_sep").join(brief.people.member_tiers) or t("default_tiers"), window=window,
        venue=prof["venue_store"] if fmt in ("门店", "混合") else prof["venue_online"],
        address=prof["address"], care=prof["care"], cycle=cycle, first_item=lead, sources=sources, lang=lang)


# -- scope and fitting ----------------------------------------------------------------------------

def in_scope(scope: Mapping[str, Any], ctx: ClientContext) -> bool:
    """Return whether a play with this ``scope`` fits the client: industry, format and gene."""
    industries = scope.get("industries") or ["*"]
    if "*" not in industries and ctx.industry not in industries:
        return False
    if scope.get("formats") and ctx.format not in scope["formats"]:
        return False
    if scope.get("discount_led") and ctx.gene in DISCOUNT_FREE_GENES:
        return False
    return True


def _scope(entry: Mapping[str, Any] | None, industry: str, default_source: str) -> dict[str, Any]:
    entry = dict(entry or {})
    return {"industries": entry.get("industries", [industry]), "formats": entry.get("formats", list(FORMATS)),
            "discount_led": bool(entry.get("discount_led", False)), "source": entry.get("source", default_source)}


def fit_template(template: Mapping[str, Any], ctx: ClientContext, *,
                 library: Mapping[str, Any] | None = None,
                 reminders: list[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Return a copy of the industry template fitted to this client.

    Activities and rules outside the client's format or gene (``scope.yaml``) are left
    out, every remaining one carries ``scope`` = {industries, formats, discount_led,
    source}, and the placeholders in their text and in the journey are filled from
    ``ctx``.  Team genes 产品 / 品牌 are added from ``genes.yaml`` when the template has
    none.  With ``reminders`` (:func:`diag.strategy.reminders.category_reminders`) a rule timed by
    one blanket cycle ({remind_1} …) is rewritten category by category.  ``fitted_out`` lists what was left out and why (for the report's notes).
    """
    lib = library or load_library()
    scope = lib["scope"]
    out = copy.deepcopy(dict(template))
    key = out.get("key", ctx.industry)
    dropped: list[dict[str, str]] = []

    def keep(kind: str, name: str, entry: Mapping[str, Any]) -> bool:
        if in_scope(entry, ctx):
            return True
        why = (f"{name}需要门店, {ctx.client}没有门店" if entry.get("formats") and ctx.format not in entry["formats"]
               else f"{name}以打折为主, 与团队基因「{ctx.gene}」不符")
        dropped.append({"kind": kind, "name": name, "reason": why})
        return False

    acts = []
    for a in out.get("activities", []):
        s = _scope(scope.get("activities", {}).get(a["name"]), key, "行业模板")
        if keep("活动", a["name"], s):
            acts.append({**a, "what": fill(a["what"], ctx), "when": fill(a["when"], ctx), "scope": s})
    out["activities"] = acts
    rules = []
    for r in out.get("rules", []):
        s = _scope(scope.get("rules", {}).get(r["id"]), key, "行业模板")
        if keep("规则", r["id"], s):
            action = r["action"]
            if reminders and "{remind_1}" in action:
                from diag.strategy.reminders import reminder_action
                action = reminder_action(list(reminders), lang=ctx.lang)
            rules.append({**r, "action": _fill_rule(action, ctx), "scope": s})
    out["rules"] = rules
    for stage in out.get("journey", []):
        for part in ("actions", "opportunities", "touchpoints"):
            stage[part] = [fill(t, ctx) for t in stage.get(part, [])]
    genes = out.setdefault("team", {}).setdefault("genes", {})
    for name, spec in lib["genes"].items():
        genes.setdefault(name, spec)
    out["fitted_out"] = dropped
    out["client_format"] = ctx.format
    return out


def _fill_rule(action: str, ctx: ClientContext) -> str:
    """Fill the client's placeholders, keeping the playbook's own ({cycle}, {window}, …) for recommend()."""
    own = ("window", "cycle", "remind_1", "remind_2", "remind_3", "k_target")
    values = {k: v for k, v in ctx.values().items() if k not in own}
    return str(action).format_map(_Keep(values))


def case_boxes(template: Mapping[str, Any], lang: str = "zh") -> list[str]:
    """Return the template's cases as labelled 案例 boxes naming their industry and source (never the plan).

    In ``lang``: an English template's cases carry their English twins; the industry is the
    template's English name (a case's own industry key, worded by its template).
    """
    from diag.brief.gaps import industry_name

    t = messages("ops", lang)
    confidence = {"高": "confidence_high", "中": "confidence_medium", "低": "confidence_low"}
    own = str(template.get("name_en") or template.get("key", "")) if lang == "en" else template.get("key", "")
    out = []
    for c in template.get("cases", []):
        industry = industry_name(c["industry"], lang) if c.get("industry") else own
        level = t(confidence[c["confidence"]]) if c["confidence"] in confidence else c["confidence"]
        out.append(t("case_box", industry=industry, source=c["source"], confidence=level, title=c["title"],
                     result=c["result"]))
    return out
