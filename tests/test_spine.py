"""The target-first plan on the four demo clients and on a hand-built one."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from diag.areas import diagnosis as dx
from diag.brief.model import load_brief
from diag.industries.registry import load_industry
from diag.readers.load import load_data
from diag.strategy import playbook as pb
from diag.strategy import spine, tasks
from diag.strategy.ranking import WINDOWS

pytestmark = pytest.mark.slow  # evaluates the four demo clients

BRIEFS = sorted((Path(__file__).parents[1] / "briefs").glob("*.yaml"))


def evaluated(path):
    brief = load_brief(path)
    template = load_industry(brief.client.industry)
    loaded = load_data(brief)
    data = loaded.orders
    evidence = dx.gather(brief, data, loaded.contacts, loaded.groups)
    measured = pb.measured_metrics(evidence.measured)
    ev = spine.evaluate(brief, template, evidence.metrics, data.orders, measured)
    team = pb.team_plan(template, headcount=brief.team.headcount, gene=brief.team.gene)
    recs = pb.recommend(ev.gaps, template, gene=brief.team.gene, cycle_days=brief.goods.repurchase_cycle_days,
                        team=team)
    return brief, template, data, evidence, ev, spine.plan(recs, ev, brief)


@pytest.fixture(scope="module", params=BRIEFS, ids=lambda p: p.stem)
def demo(request):
    return evaluated(request.param)


def test_the_target_is_measured_against_the_same_horizon(demo):
    brief, _t, data, _e, ev, _p = demo
    target = ev.target
    assert target["horizon_months"] == (brief.goals.timeline_months or 12)
    months = pd.to_datetime(data.orders["paid_at"]).dt.to_period("M").astype(str)
    observed = data.orders.loc[months.isin(target["baseline_months"]), "amount"].sum()
    assert ev.base.raw_gmv == pytest.approx(observed)
    if brief.goals.gmv_target:
        assert target["gap"] == pytest.approx(brief.goals.gmv_target - target["baseline_gmv"])


def test_no_opportunity_comes_from_a_metric_at_or_above_its_benchmark(demo):
    *_, ev, _p = demo
    opps = ev.opportunities
    assert ((opps["better"] == "落后") | (opps["why"] == "低于客户自定目标")).all()
    assert list(opps["rank"]) == list(range(1, len(opps) + 1))
    yuan = opps["yuan"].astype(float).fillna(-1).tolist()
    assert yuan == sorted(yuan, reverse=True)


def test_actions_follow_the_ranking_start_in_order_and_carry_cost_and_roi(demo):
    brief, *_rest, ev, plan = demo
    actions = plan.actions
    assert list(actions["priority"]) == list(range(1, len(actions) + 1))
    starts = [WINDOWS.index(w) for w in actions["start_window"]]
    assert starts == sorted(starts), "a lower priority never starts before a higher one"
    ranked = actions["opportunity_rank"].dropna().tolist()
    assert ranked == sorted(ranked)
    assert (actions["cost"] > 0).all()
    with_uplift = actions[actions["uplift"].notna()]
    assert (with_uplift["roi"] - with_uplift["uplift"] / with_uplift["cost"]).abs().max() < 1e-3
    terms = tasks.constraint_terms(brief.goals.constraints)
    assert not any(tasks.violation(a, terms) for a in actions["action"])
    assert plan.budget["total"] == pytest.approx(actions["cost"].sum())


def test_every_task_of_the_brief_is_answered(demo):
    brief, template, data, evidence, _ev, plan = demo
    table = tasks.task_table(brief, plan.actions, start=dt.date(2026, 12, 7), template_rules=template["rules"],
                             channels=evidence.channels, metrics=evidence.metrics)
    assert list(table["你们提出的任务"]) == list(brief.goals.tasks)
    assert table["建议"].str.len().gt(0).all() and table["负责人"].str.len().gt(0).all()


def test_laomian_faces_its_target_and_runs_no_sms(demo):
    brief, *_rest, ev, plan = demo
    if brief.slug != "laomian-canyin":
        pytest.skip("the 老面记 figures")
    assert ev.target["baseline_gmv"] == pytest.approx(1_101_957.8, rel=1e-6)     # May–October 2026
    assert ev.target["gap"] == pytest.approx(2_400_000 - 1_101_957.8, rel=1e-6)
    assert not plan.actions["action"].str.contains("短信").any()
    assert plan.cover["share"] < 1 and plan.cover["remaining"] > 0
