"""The plan's actions in the run's language: recommendations, roadmap, scenarios, talking points, the
task table, saved live scenarios, yuan axes and `diag check`; the Chinese run reads as before."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from english import CJK, kit_chinese
from test_check import write_client
from test_live_scenarios import BASE, START
from test_playbook import BEHIND, CONTEXT
from test_tasks import brief, recs

from diag.areas.benchmark import benchmark_gaps
from diag.charts._base import _yuan_tick, yuan_axis
from diag.cli import main
from diag.industries.registry import load_industry
from diag.report.scenarios import format_lever, scenario_record, with_saved_scenarios
from diag.strategy import levers as lv
from diag.strategy import playbook as pb
from diag.strategy.tasks import improve_existing, task_table


def no_chinese(values) -> list[str]:
    return [str(v) for v in values if CJK.search(str(v))]


def plan(lang: str) -> tuple[dict, pd.DataFrame, pd.DataFrame, pb.TeamPlan]:
    """The maternal-and-baby template's plan for a client behind on every metric, in ``lang``."""
    template = load_industry("母婴", lang)
    gaps = benchmark_gaps(BEHIND, template, **CONTEXT)
    team = pb.team_plan(template, headcount=2, gene="运营", lang=lang)
    return template, gaps, pb.recommend(gaps, template, gene="运营", team=team, lang=lang), team


@pytest.fixture(scope="module")
def english():
    return plan("en")


# -- the plan ----------------------------------------------------------------------------------
def test_the_recommendation_table_speaks_english_with_catalogue_metric_names(english):
    _template, _gaps, recs, _team = english
    shown = pb.recommendations_display(recs, "en")
    assert list(shown.columns)[:4] == ["Priority", "Area", "Problem", "Action"]
    assert no_chinese(list(shown.columns) + list(shown.to_numpy().ravel())) == []
    assert "Repurchase rate" in set(shown["Target metric"])
    assert shown["Expected GMV uplift"].str.startswith("¥").any()


def test_the_recommendation_table_in_chinese_reads_as_before():
    _template, _gaps, recs, _team = plan("zh")
    shown = pb.recommendations_display(recs)
    assert list(shown.columns) == ["优先级", "领域", "问题", "行动", "目标指标", "目标", "预计GMV增量", "负责人",
                                   "投入", "时间"]
    assert "复购率" in set(shown["目标指标"])


def test_the_roadmap_names_its_tasks_and_milestones_in_english(english):
    template, _gaps, recs, team = english
    schedule = pb.roadmap(template, recs, start=dt.date(2026, 1, 5), team=team, lang="en")
    shown = pb.roadmap_display(schedule, "en")
    assert list(shown.columns) == ["Stage", "Task", "Owner", "Start", "End", "Notes"]
    assert no_chinese(shown.to_numpy().ravel()) == []
    assert shown["Task"].str.startswith("Action ").any() and shown["Task"].str.startswith("Milestone").any()


def test_the_gantt_and_the_scenario_chart_write_every_word_in_english(english):
    import matplotlib.pyplot as plt

    from diag.charts import plan as plan_charts

    template, _gaps, recs, team = english
    schedule = pb.roadmap(template, recs, start=dt.date(2026, 1, 5), team=team, lang="en")
    scenarios = pb.gmv_scenarios(recs, 2_600_000, lang="en")
    for ax in (plan_charts.gantt(schedule, lang="en"), plan_charts.scenarios(scenarios, current=2_600_000, lang="en")):
        ax.figure.canvas.draw()
        words = [t.get_text() for t in ax.figure.findobj(plt.Text)]
        assert words and no_chinese(words) == []
        assert not [w for w in words if w.endswith(".0k")]            # ¥500k, not ¥500.0k
        plt.close(ax.figure)


def test_the_gmv_scenarios_and_the_talking_points_speak_english(english):
    _template, gaps, recs, team = english
    scenarios = pb.gmv_scenarios(recs, 100_000, lang="en")
    shown = pb.scenarios_display(pb.with_gap_cover(scenarios, 50_000), "en")
    assert no_chinese(list(shown.columns) + list(shown.to_numpy().ravel())) == []
    points = pb.talking_points(gaps, recs, team, scenarios, store_type="刚需高频", lang="en")
    assert points and no_chinese(points) == []
    assert any(p.startswith("The largest operating gap is ") for p in points)


def test_the_team_gene_is_named_in_english(english):
    _template, gaps, recs, team = english
    points = pb.talking_points(gaps, recs, team, lang="en")
    gene = [p for p in points if p.startswith("The team's gene is")]
    assert gene and gene[0].startswith("The team's gene is “operations”: ")


def test_an_action_the_client_already_runs_is_worded_as_an_improvement_in_english():
    action, practice = improve_existing("Run the 直播 every week", {"直播": "we already stream weekly"}, lang="en")
    assert practice == "直播" and no_chinese([action.replace("直播", "")]) == []
    assert improve_existing("Run the 直播 every week", {"直播": "x"})[0].startswith("改进现有的直播（客户已在做）")


def test_the_task_table_gives_english_advice_and_data_and_keeps_the_clients_tasks():
    tasks = ["结账时引导扫码入会加企微", "团购券用户二次到店", "短信通知新品", "门店装修风格升级"]
    b = brief(tasks=tasks, constraints="不做短信群发")
    english_recs = recs().assign(action=["A weekly member day, then top-ups", "SMS coupons to lapsed customers",
                                         "Store cards with a code that adds the WeCom account 扫码 企微"])
    channels = pd.DataFrame({"channel": ["堂食", "团购券"], "gmv": [9_000.0, 1_000.0], "share": [0.9, 0.1],
                             "buyers": [300, 80], "repurchase_rate": [0.4, 0.12]})
    table = task_table(b, english_recs, start=dt.date(2026, 12, 7), template_rules=[], channels=channels,
                       metrics={"repurchase_rate": 0.35, "median_repurchase_days": 9}, lang="en")
    assert list(table["你们提出的任务"]) == tasks                                   # as the client wrote them
    shown = table.set_index("你们提出的任务")
    assert shown.loc["结账时引导扫码入会加企微", "建议"].startswith("In the plan (priority 3): Store cards")
    assert shown.loc["短信通知新品", "建议"].startswith("Not advised")
    assert "12.0%" in shown.loc["团购券用户二次到店", "我们掌握的数据"]
    client_words = ["堂食", "团购券", "不做短信群发", "扫码 企微"]
    assert kit_chinese(list(table["建议"]) + list(table["我们掌握的数据"]), client_words) == []


# -- live scenarios and charts -----------------------------------------------------------------
def test_a_saved_scenario_table_in_an_english_run_speaks_english():
    saved = [{"id": "s1", "chart": "figures/s1.png", **scenario_record(BASE, {**START, "aov": 137.5},
                                                                        name="Higher AOV", lang="en")}]
    results = {"meta": {"lang": "en"}, "sections": {"strategy": {"blocks": [
        {"kind": "heading", "text": "GMV scenarios", "level": 2},
        {"kind": "table", "key": "strategy_scenarios", "title": "t", "columns": ["c"], "rows": [["r"]], "note": ""}],
        "data": {"saved_scenarios": saved}}}}
    blocks = with_saved_scenarios(results)["sections"]["strategy"]["blocks"]
    words = [b.get("text", "") + b.get("title", "") + b.get("note", "") for b in blocks]
    words += [str(c) for b in blocks if b["kind"] == "table" for c in b["columns"] + sum(b["rows"], [])]
    assert no_chinese(words) == []
    assert format_lever("frequency", 3.0, "en") == "3.00" and format_lever("frequency", 3.0) == "3.00次" and format_lever("aov", 137.5, "en") == "¥138"
    assert lv.LEVERS[0].name("en") != lv.LEVERS[0].label and lv.LEVERS[0].name() == lv.LEVERS[0].label


@pytest.mark.parametrize("value,zh,en", [(8_000, "¥8,000", "¥8,000"), (12_000, "¥1.2万", "¥12k"),
                                         (12_500, "¥1.2万", "¥12.5k"), (1_250_000, "¥125万", "¥1.25M"),
                                         (100_000_000, "¥1亿", "¥100M"), (-15_000, "-¥1.5万", "-¥15k")])
def test_a_yuan_axis_counts_in_wan_in_chinese_and_in_k_and_m_in_english(value, zh, en):
    assert _yuan_tick(value) == zh and _yuan_tick(value, None, "en") == en
    assert yuan_axis("en")(value) == en and yuan_axis()(value) == zh


# -- diag check --------------------------------------------------------------------------------
def test_diag_check_prints_its_summary_in_english_with_lang_en(tmp_path, capsys):
    brief = write_client(tmp_path, {
        "client": {"name": "Test Baby", "industry": "母婴", "format": "单店", "store_count": 1},
        "goods": {"aov": 100, "repurchase_cycle_days": 20},
        "data": {"orders": "orders.csv", "wecom_contacts": "contacts.csv", "wecom_groups": "groups.csv"}})
    assert main(["check", str(brief), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for heading in ("[Data files]", "[Order data quality]", "[Measured in the orders]", "[WeCom]",
                    "[Completeness]", "[Questions to ask]"):
        assert heading in out
    assert "Average order value ¥200" in out and "13800000001" not in out
    # The export's own headers and statuses stay as written; everything else is English.
    export_words = ["订单号", "买家手机号", "支付时间", "实付金额", "订单来源", "订单状态", "交易关闭", "交易成功",
                    "门店", "小程序", "老带新"]
    assert kit_chinese(out.splitlines(), export_words) == []
    assert main(["check", str(brief)]) == 0
    assert "【数据清单】" in capsys.readouterr().out
