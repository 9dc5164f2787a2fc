"""Plays fit the client: scope by industry, format and gene; the client's own products; no other industry's details."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from diag.brief.model import Brief
from diag.industries.registry import known_industries, load_industry
from diag.strategy import chapters as ch
from diag.strategy import chapters_ops as co
from diag.strategy import playbook as pb
from diag.strategy import plays
from diag.strategy import reminders as rm

LIBRARY = plays.load_library()
INDUSTRIES = sorted(known_industries())

# One hand-built client per industry: product lines of its own (none of any demo's), with prices.
PRODUCTS = {
    "母婴": [("婴儿防晒霜", 59, "引流"), ("学步鞋", 199, "复购"), ("早教玩具礼盒", 329, "利润")],
    "餐饮": [("卤味拼盘", 18, "引流"), ("招牌牛腩饭", 36, "复购"), ("双人套餐", 128, "利润")],
    "家居软装": [("香薰蜡烛", 49, "引流"), ("亚麻窗帘", 1200, "复购"), ("实木餐桌", 6800, "利润")],
    "美妆护肤": [("卸妆水旅行装", 39, "引流"), ("修护乳液", 268, "复购"), ("抗老眼霜", 520, "利润")],
    "产康": [("体态评估", 99, "引流"), ("骨盆修复疗程", 3800, "复购"), ("年卡", 16800, "利润")],
    "商超连锁": [("鸡蛋30枚", 9.9, "引流"), ("大米5kg", 39, "复购"), ("进口红酒", 168, "利润")],
    "食品大健康": [("益生菌体验装", 19.9, "引流"), ("蛋白粉", 299, "复购"), ("燕窝礼盒", 899, "利润")],
    "品牌消费品": [("帆布包", 29, "引流"), ("香氛洗衣液", 69, "复购"), ("限定礼盒", 399, "利润")],
}


def brief_for(industry: str, fmt: str, gene: str = "运营") -> Brief:
    """Return a hand-built brief of ``industry`` in format 门店 or 电商."""
    lines = PRODUCTS.get(industry, PRODUCTS["品牌消费品"])
    stores = fmt == "门店"
    return Brief.model_validate({
        "client": {"name": "测试客户", "industry": industry, "format": "单店" if stores else "电商",
                   "store_count": 1 if stores else 0, "online_share": 0 if stores else 1},
        "goods": {"product_lines": [{"name": n, "price_min": p, "role": r, "gross_margin": 0.4} for n, p, r in lines],
                  "selling_points": ["自有工厂, 品质可追溯"]},
        "scene": {"channels": [{"name": "门店" if stores else "天猫", "share": 1.0, "kind": "线下" if stores else "公域",
                                "monthly_reach": 3000}],
                  "stores": ["人民路店"] if stores else [], "monthly_parcels": 0 if stores else 800},
        "assets": {"wecom_accounts": 2, "friends": 2000, "group_members": 1200, "groups": 10},
        "team": {"headcount": 2, "gene": gene, "roles": [{"role": "店长" if stores else "运营主管", "count": 1},
                                                         {"role": "客服", "count": 1}]},
        "competitors": [{"name": "对手甲", "strengths": "价格低, 直播间便宜"}, {"name": "对手乙", "strengths": "线下门店多"}],
        "goals": {"budget": 50000, "constraints": "不做短信群发"},
    })


def _fitted(industry: str, fmt: str, gene: str = "运营"):
    brief = brief_for(industry, fmt, gene)
    template = load_industry(industry)
    ctx = plays.client_context(brief, template, library=LIBRARY)
    return brief, template, ctx, plays.fit_template(template, ctx, library=LIBRARY)


def _text(obj) -> str:
    """Return every string inside ``obj`` (dicts, lists, frames) joined."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, pd.DataFrame):
        return " ".join(obj.astype(str).to_numpy().ravel())
    if isinstance(obj, dict):
        return " ".join(_text(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return " ".join(_text(v) for v in obj)
    return ""


def _plan_text(industry: str, fmt: str) -> str:
    """Return the text of everything the strategy chapters and the fitted template put into a plan."""
    brief, template, ctx, fitted = _fitted(industry, fmt)
    empty = pd.DataFrame(columns=["category"])
    reminders = rm.category_reminders(pd.DataFrame(), fitted, plays.industry_profile(LIBRARY, industry),
                                      overall={"customers": 100, "repurchase_rate": 0.3, "median_repurchase_days": 30})
    team = pb.team_plan(fitted, headcount=2, gene="运营")
    recs = pb.recommend(pd.DataFrame(columns=["metric", "status", "value", "label", "unit", "low", "high", "mid",
                                              "uplift", "better"]), fitted, team=team)
    path = ch.acquisition_path(brief, ctx, fitted, LIBRARY, {})
    parts = [ch.competitors(brief, ctx, LIBRARY, {"aov": 100, "repurchase_rate": 0.3}), path,
             co.scripts_and_sop(brief, ctx, LIBRARY, reminders), co.campaign_plan(brief, ctx, LIBRARY, fitted, {}),
             co.compliance(brief, ctx, LIBRARY, path.data, reminders), co.team_mapping(brief, team, recs)]
    del empty
    return " ".join([_text(p.paragraphs) + _text([t for _, t, _ in p.tables]) for p in parts]
                    + [_text(fitted["activities"]), _text(fitted["rules"]), _text(fitted["journey"]),
                       _text(recs.to_dict("records"))])


@pytest.mark.parametrize("industry", INDUSTRIES)
@pytest.mark.parametrize("fmt", ["门店", "电商"])
def test_no_plan_of_any_industry_contains_another_industrys_markers(industry, fmt):
    text = _plan_text(industry, fmt)
    for other, profile in LIBRARY["industries"].items():
        if other in (industry, "default"):
            continue
        found = [m for m in profile.get("markers", []) if m in text]
        assert not found, f"{industry}/{fmt} plan mentions {other} details {found}"


@pytest.mark.parametrize("industry", INDUSTRIES)
@pytest.mark.parametrize("fmt", ["门店", "电商"])
def test_every_placeholder_is_filled_with_the_clients_own_facts(industry, fmt):
    text = _plan_text(industry, fmt)
    left = set(re.findall(r"\{(\w+)\}", text)) - {"window", "cycle", "remind_1", "remind_2", "remind_3", "k_target"}
    assert not left, f"unfilled placeholders {left}"
    lead = PRODUCTS.get(industry, PRODUCTS["品牌消费品"])[0][0]
    assert lead in text


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_a_client_without_stores_gets_no_store_or_top_up_play(industry):
    _, _, ctx, fitted = _fitted(industry, "电商")
    assert ctx.format == "电商"
    for item in fitted["activities"] + fitted["rules"]:
        assert "门店" in item["scope"]["formats"] and "电商" in item["scope"]["formats"] or ctx.format in item["scope"]["formats"]
        words = _text(item)
        assert "储值" not in words and "到店" not in words, f"{industry}: {item.get('name') or item.get('id')}: {words}"


@pytest.mark.parametrize("gene", ["产品", "品牌"])
def test_a_product_or_brand_gene_gets_no_discount_led_play(gene):
    _, _, ctx, fitted = _fitted("母婴", "电商", gene)
    assert not [a["name"] for a in fitted["activities"] + fitted["rules"] if a["scope"]["discount_led"]]
    assert {d["name"] for d in fitted["fitted_out"]} >= {"秒杀", "拼团", "转化-高频秒杀拼团"}
    team = pb.team_plan(fitted, headcount=2, gene=gene)  # the gene is known to the fitted template
    assert team.gene == gene


def test_every_play_in_the_library_names_its_scope_and_source():
    for key in ("scripts",):
        for s in LIBRARY["plays"][key]:
            assert s["industries"] and s["formats"] and s["source"]
    for p in LIBRARY["plays"]["pools"]:
        assert p["formats"]
    _, _, _, fitted = _fitted("餐饮", "门店")
    for item in fitted["activities"] + fitted["rules"]:
        assert item["scope"]["industries"] == ["餐饮"] and item["scope"]["source"]


def test_the_lead_product_is_the_clients_own_line_with_its_own_price_and_coupon():
    _, _, ctx, fitted = _fitted("家居软装", "门店")
    assert (ctx.lead, ctx.lead_price) == ("香薰蜡烛", 49.0)
    assert ctx.coupon == round(49 * LIBRARY["plays"]["lead_offer"]["coupon_share"])
    flash = next(a for a in fitted["activities"] if a["name"] == "秒杀")
    assert "香薰蜡烛" in flash["what"] and "¥49" in flash["what"] and "阳台" not in flash["what"]


def test_without_a_marked_lead_product_the_data_picks_a_cheap_first_order_product():
    brief = Brief.model_validate({"client": {"name": "X", "industry": "母婴"}})
    lines = pd.DataFrame({"order_id": ["1", "2", "3", "4"], "customer_id": ["a", "b", "c", "a"],
                          "paid_at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-02-01"]),
                          "product": ["试用装", "试用装", "大礼盒", "大礼盒"], "amount": [9.9, 9.9, 399.0, 399.0],
                          "quantity": [1, 1, 1, 1]})
    ctx = plays.client_context(brief, load_industry("母婴"), lines=lines, library=LIBRARY)
    assert (ctx.lead, ctx.lead_price) == ("试用装", 9.9) and ctx.sources["lead"].startswith("数据")


def test_cases_appear_only_as_labelled_boxes_naming_their_industry():
    boxes = plays.case_boxes(load_industry("母婴"))
    assert boxes and all(b.startswith("案例（母婴行业") and "不代表本计划的预期" in b for b in boxes)


def test_format_is_read_from_stores_channels_and_online_share():
    mixed = Brief.model_validate({"client": {"name": "X", "industry": "餐饮", "format": "连锁", "store_count": 3,
                                             "online_share": 0.3}})
    assert plays.client_format(mixed) == "混合"
    assert plays.client_format(brief_for("餐饮", "门店")) == "门店"
    assert plays.client_format(brief_for("餐饮", "电商")) == "电商"


def _health_orders() -> pd.DataFrame:
    """Return line items of a hand-built 食品大健康 client: three categories unlike any demo's, each with its own rhythm."""
    import numpy as np
    rng = np.random.default_rng(7)
    rows, oid = [], 0
    start = pd.Timestamp("2025-01-01")
    spec = {"蛋白粉": (299.0, 35, 120), "益生菌": (19.9, 14, 200), "燕窝礼盒": (899.0, 300, 40)}
    for cat, (price, gap, buyers) in spec.items():
        for c in range(buyers):
            day = start + pd.Timedelta(days=int(rng.integers(0, 60)))
            for _ in range(int(rng.integers(1, 5))):
                if day > pd.Timestamp("2026-06-30"):
                    break
                oid += 1
                rows.append({"order_id": f"O{oid}", "customer_id": f"{cat}-{c}", "paid_at": day + pd.Timedelta(hours=21),
                             "product": cat + "标准装", "category": cat, "quantity": 1, "amount": price})
                day += pd.Timedelta(days=int(max(1, rng.normal(gap, gap / 5))))
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_a_hand_built_client_gets_reminders_from_its_own_categories_and_a_plan_in_its_own_words():
    from diag.areas import people
    lines = _health_orders()
    brief = brief_for("食品大健康", "电商")
    template = load_industry("食品大健康")
    ctx = plays.client_context(brief, template, lines=lines, library=LIBRARY)
    by_category = people.repurchase_by_category(lines, pd.Timestamp("2026-07-01").date())
    reminders = rm.category_reminders(by_category, template, plays.industry_profile(LIBRARY, "食品大健康"))
    got = {r["category"]: r for r in reminders}
    assert got["益生菌"]["basis"] == "实测" and 10 <= got["益生菌"]["cycle_days"] <= 18
    assert got["蛋白粉"]["basis"] == "实测" and 28 <= got["蛋白粉"]["cycle_days"] <= 42
    assert got["燕窝礼盒"]["mode"] == "服务节奏" or got["燕窝礼盒"]["basis"] != "实测"
    chapter = co.scripts_and_sop(brief, ctx, LIBRARY, reminders)
    text = " ".join(chapter.paragraphs)
    assert "益生菌体验装入门价¥13.9(原价¥19.9)" in text  # its own price less a 6-yuan coupon
    assert f"上次买益生菌差不多{got['益生菌']['cycle_days']:.0f}天了" in text
    persona = ch.persona(brief, lines.groupby("order_id", as_index=False).agg(
        customer_id=("customer_id", "first"), paid_at=("paid_at", "first"), amount=("amount", "sum")), lines, ctx)
    assert any("20–22点" in p for p in persona.paragraphs)


def test_the_team_is_mapped_onto_the_clients_people_never_more_holders_than_headcount():
    brief, _, _, fitted = _fitted("母婴", "电商")
    team = pb.team_plan(fitted, headcount=2, gene="运营")
    recs = pb.recommend(pd.DataFrame(columns=["metric", "status", "value", "label", "unit", "low", "high", "mid",
                                              "uplift", "better"]), fitted, team=team)
    chapter = co.team_mapping(brief, team, recs)
    holders = {h for h in chapter.data["holders"].values()}
    assert holders <= {"运营主管", "客服"} and len(holders) <= 2
    assert chapter.data["holders"]["顾问/客服"] == "客服"


def test_the_acquisition_path_totals_are_the_target_funnels_stages():
    from diag.strategy.funnel import funnel_plan
    brief, _, ctx, fitted = _fitted("美妆护肤", "电商")
    path = ch.acquisition_path(brief, ctx, fitted, LIBRARY, {})
    plan = ch.path_funnel(funnel_plan, path, brief, aov=200.0)
    total = path.data["total"]
    assert list(plan.forward["人数"]) == pytest.approx([total["触达"], total["入群"], total["成交"]])
    assert plan.sources == {"reachable": "引流路径", "invite_success": "引流路径", "purchase_intent": "引流路径"}
    pools = {r["公域流量池"]: r["状态"] for r in path.data["pools"]}
    assert pools["美团/大众点评"] == "不适用" and pools["淘宝/天猫"] == "在用"


def test_incentives_start_from_the_clients_own_scheme_and_add_only_what_it_lacks():
    brief, _, _, fitted = _fitted("母婴", "电商")
    team = pb.team_plan(fitted, headcount=2, gene="运营")
    assert co.incentive_advice(brief, team) == [f"{k}: {v}" for k, v in team.incentives.items()]
    brief.team.incentives = "底薪 + 成交额2%提成"
    lines = co.incentive_advice(brief, team)
    assert lines[0].startswith("测试客户现行激励: 底薪 + 成交额2%提成") and not any(x.startswith("底薪加提成") for x in lines)
    assert co.team_sentence(brief, team).startswith("现有 2 人(运营主管1人、客服1人)")


def test_the_funnel_gap_says_whether_the_path_reaches_enough_people_and_which_channel_to_push():
    from diag.strategy.funnel import funnel_plan
    brief, _, ctx, fitted = _fitted("美妆护肤", "电商")
    path = ch.acquisition_path(brief, ctx, fitted, LIBRARY, {})
    short = ch.path_funnel(funnel_plan, path, brief, aov=200.0, target_sales=10_000)
    assert ch.funnel_gap(short, path).startswith("按现有渠道只能触达 2,400 人")  # 800 parcels a month × 3 and "先加大天猫" in ch.funnel_gap(short, path)
    enough = ch.path_funnel(funnel_plan, path, brief, aov=200.0, target_sales=1)
    assert "够目标所需" in ch.funnel_gap(enough, path)
