"""Scene: channel / store mix, community health, 1-on-1 service, the WeCom summary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from diag.areas import scene
from diag.errors import DataError
from diag.readers import wecom

DATA = Path(__file__).resolve().parents[1] / "data" / "wecom"


@pytest.fixture
def orders() -> pd.DataFrame:
    rows = [("o1", "A", "2024-01-05", 100, "小程序"), ("o2", "A", "2024-01-20", 50, "小程序"),
            ("o3", "A", "2024-02-03", 200, "门店"), ("o4", "B", "2024-01-07 10:00", 80, "小程序"),
            ("o5", "B", "2024-01-07 20:00", 20, "小程序"), ("o6", "C", "2024-03-01", 60, None)]
    oid, cid, day, amount, channel = zip(*rows)
    return pd.DataFrame({"order_id": list(oid), "customer_id": list(cid),
                         "paid_at": pd.to_datetime(list(day), format="ISO8601"),
                         "amount": np.array(amount, float), "channel": pd.array(channel, dtype="string"),
                         "store": pd.array([None] * 6, dtype="string"), "status": pd.NA})


@pytest.fixture
def groups() -> pd.DataFrame:
    return wecom.read_group_stats(DATA / "groups_zh.csv")


@pytest.fixture
def contacts() -> pd.DataFrame:
    return wecom.read_contact_stats(DATA / "contacts_zh_gbk.csv")


# -- channels --------------------------------------------------------------------------------

def test_channel_mix_measures_each_channel(orders):
    mix = scene.channel_mix(orders, reach={"小程序": 100}).set_index("channel")
    assert list(mix.index) == ["小程序", "门店", scene.UNKNOWN]
    mini = mix.loc["小程序"]
    assert (mini["gmv"], mini["orders"], mini["buyers"], mini["aov"]) == (250, 4, 2, 62.5)
    assert mini["share"] == pytest.approx(250 / 510)
    assert mini["repurchase_rate"] == 0.5          # A bought on 2 days; B twice on one day
    assert mini["monthly_buyers"] == pytest.approx(2 / 3)  # Jan: A, B; Feb, Mar: none
    assert mini["conversion"] == pytest.approx(2 / 3 / 100)
    assert np.isnan(mix.loc["门店", "conversion"]) and mix.loc["门店", "repurchase_rate"] == 0
    assert mix["share"].sum() == pytest.approx(1.0)


def test_store_table_is_empty_without_stores_and_filled_with_them(orders):
    assert scene.store_table(orders).empty
    with_store = orders.assign(store=pd.array(["一店", "一店", "二店", "二店", "二店", "二店"], dtype="string"))
    t = scene.store_table(with_store).set_index("store")
    assert t.loc["二店", "gmv"] == 360 and t.loc["一店", "repurchase_rate"] == 1.0


def test_channel_mix_needs_the_channel_column(orders):
    with pytest.raises(DataError, match="channel"):
        scene.channel_mix(orders.drop(columns="channel"))


# -- communities -----------------------------------------------------------------------------

def test_community_health_by_day_derives_leaves_from_member_totals(groups):
    d = scene.community_health(groups, "D").set_index("period")
    assert list(d.index) == ["2024-03-01", "2024-03-02", "2024-03-04"]
    first = d.loc["2024-03-01"]
    assert (first["chat_total"], first["chat_has_msg"], first["group_active_share"]) == (6, 3, 0.5)
    assert first["member_activity"] == pytest.approx(25 / 150)
    assert np.isnan(first["leaves"]) and np.isnan(first["net_member_change"])
    second = d.loc["2024-03-02"]
    # zhangsan: 100 + 8 − 105 = 3 left; lisi: 50 + 2 − 48 = 4 left.
    assert (second["joins"], second["leaves"], second["net_member_change"]) == (10, 7, 3)
    assert second["group_active_share"] == pytest.approx(5 / 6)
    # 03-03 is missing: zhangsan's 03-04 is measured against 03-02 (105 + 6 − 108 = 3).
    assert (d.loc["2024-03-04", "leaves"], d.loc["2024-03-04", "net_member_change"]) == (3, 3)


def test_community_health_by_week_and_month_pools_group_days(groups):
    w = scene.community_health(groups, "W").set_index("period")
    assert list(w.index) == ["2024-02-26", "2024-03-04"]     # weeks start on Monday
    assert w.loc["2024-02-26", "group_active_share"] == pytest.approx(8 / 12)
    assert w.loc["2024-02-26", "chat_total"] == 6 and w.loc["2024-02-26", "days"] == 2
    m = scene.community_health(groups, "M").iloc[0]
    assert m["period"] == "2024-03" and m["days"] == 3
    assert m["group_active_share"] == pytest.approx(9 / 17)
    assert m["member_activity"] == pytest.approx(75 / 411)
    assert (m["chat_total"], m["member_total"], m["joins"], m["new_chat_cnt"]) == (7, 156, 30, 2)


def test_by_owner_statistics_form_one_period():
    t = scene.community_health(wecom.read_group_stats(DATA / "groups_by_owner_api.json"))
    assert list(t["period"]) == ["全部"] and t.loc[0, "group_active_share"] == 0.5


def test_community_health_from_api_by_day_json():
    t = scene.community_health(wecom.read_group_stats(DATA / "groups_by_day_api.json")).set_index("period")
    assert t.loc["2024-03-02", "leaves"] == 150 + 10 - 153
    assert t.loc["2024-03-04", "net_member_change"] == 3


def test_community_health_rejects_an_unknown_frequency(groups):
    with pytest.raises(DataError, match="freq"):
        scene.community_health(groups, "Q")


# -- 1-on-1 service --------------------------------------------------------------------------

def test_service_quality_by_day_weights_reply_rates_by_chats(contacts):
    s = scene.service_quality(contacts, "D").set_index("period")
    day1 = s.loc["2024-03-01"]
    assert day1["staff"] == 2
    assert day1["reply_rate"] == pytest.approx((0.8 * 30 + 0.5 * 10) / 40)
    assert day1["avg_reply_minutes"] == pytest.approx((5 * 24 + 12 * 5) / 29)
    assert day1["deletion_rate"] == pytest.approx(1 / 18)
    assert day1["friend_accept_rate"] == pytest.approx(18 / 30)
    day2 = s.loc["2024-03-02"]
    assert day2["reply_rate"] == pytest.approx(0.9)     # 李四 had no chats that day
    assert day2["deletion_rate"] == pytest.approx(3 / 12)


def test_staff_table_ranks_staff_by_new_contacts(contacts):
    t = scene.staff_table(contacts)
    assert list(t["staff"]) == ["张三", "李四"]
    zs = t.iloc[0]
    assert (zs["new_contact_cnt"], zs["new_apply_cnt"], zs["days"]) == (19, 35, 2)
    assert zs["reply_rate"] == pytest.approx(42 / 50)
    assert zs["deletion_rate"] == pytest.approx(3 / 19)


# -- summary ---------------------------------------------------------------------------------

def test_wecom_summary_uses_the_measured_metric_vocabulary(contacts, groups):
    s = scene.wecom_summary(contacts, groups)
    assert s["group_active_share"] == pytest.approx(9 / 17)
    assert s["member_activity"] == pytest.approx(75 / 411)
    assert s["reply_rate"] == pytest.approx(47 / 60)
    assert s["avg_reply_minutes"] == pytest.approx(252 / 47)
    assert s["deletion_rate"] == pytest.approx(4 / 30)
    assert s["friend_accept_rate"] == pytest.approx(30 / 50)
    # members 150 → 156; joins after the first day 8 + 6 + 2 = 16, so 10 left.
    assert (s["members_start"], s["members_end"], s["net_member_change"]) == (150, 156, 6)
    assert (s["joins"], s["leaves"]) == (16, 10)
    assert s["net_member_growth"] == pytest.approx(6 / 150)
    assert (s["first_date"], s["last_date"]) == ("2024-03-01", "2024-03-04")
    assert all(isinstance(v, (float, int, str, type(None))) for v in s.values())


def test_wecom_summary_counts_stocks_on_the_latest_day_and_weights_reply_time_by_replied_chats():
    contacts = pd.DataFrame({"date": pd.to_datetime(["2024-03-01", "2024-03-02"]), "staff": ["u1", "u1"],
                             "new_apply_cnt": [10.0, 10.0], "new_contact_cnt": [8.0, 6.0], "chat_cnt": [20.0, 60.0],
                             "message_cnt": [50.0, 90.0], "reply_percentage": [0.9, 0.7],
                             "avg_reply_time": [5.0, 9.0], "negative_feedback_cnt": [1.0, 1.0]})
    groups = pd.DataFrame({"date": pd.to_datetime(["2024-03-01", "2024-03-02"]), "owner": ["u1", "u1"],
                           "new_chat_cnt": [0.0, 1.0], "chat_total": [4.0, 5.0], "chat_has_msg": [2.0, 3.0],
                           "new_member_cnt": [0.0, 5.0], "member_total": [100.0, 105.0],
                           "member_has_msg": [20.0, 30.0], "msg_total": [40.0, 60.0]})
    s = scene.wecom_summary(contacts, groups)
    assert (s["chat_total"], s["member_total"]) == (5, 105)  # the latest day
    assert (s["new_apply_cnt"], s["new_contact_cnt"], s["negative_feedback_cnt"]) == (20, 14, 2)
    assert s["group_active_share"] == pytest.approx(5 / 9) and s["member_activity"] == pytest.approx(50 / 205)
    assert s["friend_accept_rate"] == pytest.approx(14 / 20) and s["deletion_rate"] == pytest.approx(2 / 14)
    assert s["reply_rate"] == pytest.approx((0.9 * 20 + 0.7 * 60) / 80)
    # WeCom's daily figure is over replied chats (18 and 42), so the days pool by them, not by chats
    assert s["avg_reply_minutes"] == pytest.approx((5 * 18 + 9 * 42) / 60)
    assert scene.has_wecom(s) and not scene.has_wecom(scene.wecom_summary(None, None))


def test_wecom_summary_without_data_is_all_none():
    s = scene.wecom_summary()
    assert set(s) >= {"group_active_share", "member_activity", "reply_rate", "avg_reply_minutes",
                      "deletion_rate", "friend_accept_rate", "net_member_growth"}
    assert all(v is None for v in s.values())


def test_wecom_summary_of_by_owner_statistics_has_no_growth():
    s = scene.wecom_summary(groups=wecom.read_group_stats(DATA / "groups_by_owner_api.json"))
    assert s["group_active_share"] == 0.5 and s["net_member_growth"] is None
