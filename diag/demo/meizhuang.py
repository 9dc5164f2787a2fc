"""Demo client 青禾肌研: a skincare brand (美妆护肤), Parquet export from the data team.

Story in the data (2025-05 → 2026-10): a typed warehouse extract (timestamps, floats,
nulls instead of blanks), one row per line item, customers keyed by WeChat openid.
Beauty has its own calendar: 38 女神节, 520, 618, 七夕, 双11, 双12; 防晒 sells in
summer.  A 视频号 live-stream channel starts in January 2026 and brings many one-off
buyers; a small core of serum users comes back every two months or so, most buyers
never return, so repurchase (≈23%) and 90-day repurchase (≈16%) sit below the 美妆护肤
benchmark.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from diag.demo import _sim

SLUG = "qinghe-meizhuang"
SEED = 20260308
START, END, BURN_IN = "2025-05-01", "2026-10-31", "2024-11-01"
LIVE_STARTS = "2026-01-10"

# product, category, price, weight (May–August: summer weight)
PRODUCTS = [
    ("氨基酸温和洁面 120g", "洁面", 99.0, 8, 8),
    ("青禾修护精华 30ml", "精华", 369.0, 9, 7),
    ("青禾修护精华 50ml", "精华", 539.0, 4, 3),
    ("积雪草舒缓面霜 50g", "面霜", 299.0, 6, 4),
    ("玻尿酸保湿水乳套装", "水乳", 259.0, 6, 5),
    ("轻薄防晒乳 SPF50+ 50ml", "防晒", 149.0, 3, 14),
    ("舒缓修护面膜 5片", "面膜", 129.0, 7, 7),
    ("明星小样体验装", "体验装", 29.9, 6, 6),
    ("烟酰胺身体乳 250ml", "身体护理", 139.0, 3, 4),
    ("眼部精华霜 15g", "眼霜", 329.0, 2, 2),
]
CHANNELS = ["小程序商城", "微信小店", "视频号直播", "门店专柜"]
HOURS = [2, 1, 0.5, 0.2, 0.2, 0.3, 0.6, 1.5, 2.5, 3, 3.5, 4, 4.5, 4, 3.5, 3.5, 3.5, 3.5, 4, 5, 7, 9, 8, 4]
_OPENID = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"))


def _calendar(days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    season = 1.0
    for year in ("2025", "2026"):
        season = (season + _sim.bump(days, f"{year}-03-07", 2, 1.2) + _sim.bump(days, f"{year}-05-20", 1.5, 0.8)
                  + _sim.bump(days, f"{year}-06-16", 4, 1.6) + _sim.bump(days, f"{year}-11-10", 4, 2.5)
                  + _sim.bump(days, f"{year}-12-12", 2, 0.6))
    season = season + _sim.bump(days, "2025-08-29", 1.5, 0.7) + _sim.bump(days, "2026-08-19", 1.5, 0.7)  # 七夕
    season = season * _sim.window(days, "2026-02-13", "2026-02-22", 0.5)
    arrivals = season * _sim.ramp(days, 1.0, 1.3)
    return season, arrivals


def _openids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return ``n`` distinct openid-shaped strings (``o`` + 27 URL-safe characters)."""
    body = rng.choice(_OPENID, size=(n, 27))
    ids = np.array(["o" + "".join(row) for row in body], dtype=object)
    assert len(set(ids)) == n  # 64**27 possibilities: a clash would mean a broken generator
    return ids


def orders_frame(rng: np.random.Generator, scale: float = 1.0) -> pd.DataFrame:
    """Return the warehouse extract (one row per line item, typed columns, nulls where unknown)."""
    days = _sim.day_index(BURN_IN, END)
    intensity, arrivals = _calendar(days)
    live = (days >= pd.Timestamp(LIVE_STARTS)).astype(float) * (1.4 + _sim.bump(days, LIVE_STARTS, 12, 4))
    segments = [  # (customers, arrival curve, mean gap, gap shape, dropout beta, live-stream buyers)
        (int(900 * scale), arrivals, 60.0, 2.5, (1.5, 8), False),
        (int(4600 * scale), arrivals, 200.0, 2.5, (5, 2.5), False),
        (int(2600 * scale), live + 1e-6, 150.0, 1.5, (10, 1.5), True),
    ]
    parts, offset = [], 0
    for n, arrive, gap, shape, (a, b), from_live in segments:
        n = max(n, 10)
        ev = _sim.simulate_purchases(rng, n_customers=n, arrival_weight=arrive, intensity=intensity,
                                     gap_mean=rng.gamma(6, gap / 6, n), gap_shape=shape,
                                     dropout=rng.beta(a, b, n))
        ev["customer"] += offset
        ev["live"] = from_live
        parts.append(ev)
        offset += n
    events = pd.concat(parts, ignore_index=True)
    events = events[days[events["day"]] >= pd.Timestamp(START)].sort_values(["day", "customer"], kind="stable")
    events = events.reset_index(drop=True)
    cust, day, from_live = events["customer"].to_numpy(), events["day"].to_numpy(), events["live"].to_numpy()
    m = len(events)

    ids = _openids(rng, offset)
    when = _sim.timestamps(days, day, _sim.seconds_of_day(rng, m, HOURS))
    live_open = days[day] >= pd.Timestamp(LIVE_STARTS)
    mix = np.where(live_open[:, None], [0.45, 0.25, 0.15, 0.15], [0.55, 0.3, 0.0, 0.15])
    channel = (rng.random(m)[:, None] < np.cumsum(mix, axis=1)).argmax(axis=1)
    channel = np.where(from_live & (rng.random(m) < 0.8), 2, channel)
    summer = np.isin(days[day].month, [5, 6, 7, 8])
    w_normal = np.array([p[3] for p in PRODUCTS], dtype=float)
    w_summer = np.array([p[4] for p in PRODUCTS], dtype=float)
    promo = intensity[day] > 1.8
    n_lines = 1 + np.minimum(rng.poisson(np.where(promo, 1.2, 0.5)), 4)

    rows = []
    order_no = [f"{t:%y%m%d}{r:010d}" for t, r in zip(when, rng.integers(0, 10**10, m))]
    for k in range(m):
        w = w_summer if summer[k] else w_normal
        picks = rng.choice(len(PRODUCTS), size=n_lines[k], replace=False, p=w / w.sum())
        off = 0.8 if promo[k] else (0.9 if channel[k] == 2 else 1.0)
        for i in picks:
            qty = int(min(rng.geometric(0.75), 3))
            rows.append((order_no[k], ids[cust[k]], when[k], PRODUCTS[i][0], PRODUCTS[i][1], qty,
                         round(PRODUCTS[i][2] * qty * off, 2), CHANNELS[channel[k]], k))
    frame = pd.DataFrame(rows, columns=["order_no", "user_openid", "pay_time", "sku_name", "category", "qty",
                                        "line_amount", "source", "k"])
    u = rng.random(m)
    status = np.select([u < 0.03, u < 0.05, u < 0.06], ["已取消", "已退款", "部分退款"], "已完成")
    frame["order_status"] = status[frame["k"].to_numpy()]
    frame = _add_flaws(rng, frame)
    frame["pay_time"] = frame["pay_time"].astype("datetime64[us]")
    for col in ("order_no", "user_openid", "sku_name", "category", "source", "order_status"):
        frame[col] = frame[col].astype(object)
    return frame.drop(columns="k").reset_index(drop=True)


def _add_flaws(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Return the extract with the gaps a warehouse join leaves (nulls, a negative adjustment)."""
    frame = frame.copy()
    ok = np.flatnonzero(((frame["order_status"] == "已完成")
                         & (frame.groupby("k")["k"].transform("size") == 1)).to_numpy())
    picks = rng.choice(ok, size=6, replace=False)
    frame["line_amount"] = frame["line_amount"].astype("Float64")
    frame["user_openid"] = frame["user_openid"].astype(object)
    frame.loc[frame.index[picks[:3]], "user_openid"] = None     # guest checkout, no openid joined
    frame.loc[frame.index[picks[3:5]], "line_amount"] = pd.NA   # amount lost in the join
    frame.loc[frame.index[picks[5]], "line_amount"] = -49.0     # manual compensation booked negative
    return frame


def wecom_groups_frame(rng: np.random.Generator) -> pd.DataFrame:
    """Return 群聊数据统计 as a per-day CSV (the same fields as the API, one row per day)."""
    days = _sim.day_index(START, END)[-120:]
    lift = 1 + _sim.bump(days, "2026-08-19", 2, 0.8) + _sim.bump(days, "2026-10-25", 4, 1.2)
    chats, members, rows = 22, 5400, []
    for j, d in enumerate(days):
        new_chat = int(rng.random() < 0.03)
        chats += new_chat
        joined = int(rng.poisson(12 * lift[j]))
        members = max(members + joined - int(rng.poisson(9)), 0)
        has_msg = int(rng.binomial(chats, float(np.clip(0.3 + 0.2 * (lift[j] - 1), 0.05, 0.95))))
        speakers = int(rng.binomial(members, 0.035 * lift[j]))
        rows.append((f"{d:%Y-%m-%d}", new_chat, chats, has_msg, joined, members, speakers,
                     int(speakers * rng.gamma(3, 1.2)) + has_msg, 0))
    return pd.DataFrame(rows, columns=["date", "new_chat_cnt", "chat_total", "chat_has_msg", "new_member_cnt",
                                       "member_total", "member_has_msg", "msg_total",
                                       "migrate_trainee_chat_cnt"])


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Return ``frame`` as Parquet bytes (no pandas index; pyarrow's metadata carries no time)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow", compression="zstd")
    return buffer.getvalue()


def files(scale: float = 1.0) -> dict[str, bytes]:
    """Return ``{path relative to the briefs folder: bytes}`` for this client's data files."""
    rng = np.random.default_rng(SEED)
    base = f"data/{SLUG}"
    return {f"{base}/orders.parquet": parquet_bytes(orders_frame(rng, scale)),
            f"{base}/wecom_groups.csv": _sim.csv_bytes(wecom_groups_frame(rng), encoding="utf-8")}


def brief() -> dict:
    """Return the client's 需求澄清表 as plain data (stated figures differ from the data on purpose)."""
    base = f"data/{SLUG}"
    return {
        "client": {
            "name": "青禾肌研", "slug": SLUG, "industry": "美妆护肤", "category": "敏感肌修护护肤品",
            "format": "品牌", "store_count": 6, "regions": ["全国", "江浙沪门店专柜"],
            "revenue_band": "300万–500万", "online_share": 0.85, "respondent": "许青禾",
            "respondent_role": "品牌创始人", "consultant": "周宁(私域诊断顾问)"},
        "goods": {
            "product_lines": [
                {"name": "修护精华", "price_min": 369, "price_max": 539, "role": "利润", "gross_margin": 0.78},
                {"name": "面霜/水乳/眼霜", "price_min": 259, "price_max": 329, "role": "复购", "gross_margin": 0.72},
                {"name": "洁面与面膜", "price_min": 99, "price_max": 129, "role": "复购", "gross_margin": 0.65},
                {"name": "小样体验装", "price_min": 29.9, "price_max": 29.9, "role": "引流", "gross_margin": 0.2},
                {"name": "防晒与身体护理", "price_min": 139, "price_max": 149, "role": "利润", "gross_margin": 0.68}],
            "aov": 320, "gross_margin": 0.7, "repurchase_cycle_days": 90,
            "selling_points": ["积雪草+神经酰胺修护屏障", "敏感肌人群实测", "皮肤顾问一对一定制方案"],
            "traffic_products": ["明星小样体验装"],
            "profit_products": ["青禾修护精华 30ml", "青禾修护精华 50ml"],
            "repurchase_products": ["氨基酸温和洁面 120g", "积雪草舒缓面霜 50g", "舒缓修护面膜 5片"]},
        "scene": {
            "channels": [
                {"name": "小程序商城", "share": 0.4, "kind": "私域", "monthly_reach": 20000},
                {"name": "微信小店", "share": 0.25, "kind": "私域", "monthly_reach": 15000},
                {"name": "视频号直播", "share": 0.2, "kind": "公域", "monthly_reach": 60000},
                {"name": "门店专柜", "share": 0.15, "kind": "线下", "monthly_reach": 9000}],
            "public_platforms": ["小红书", "视频号", "抖音"],
            "stores": ["上海来福士专柜", "杭州湖滨专柜", "南京德基专柜", "苏州中心专柜", "宁波天一专柜",
                       "无锡恒隆专柜"],
            "monthly_parcels": 700},
        "people": {
            "persona": "22–35岁敏感肌女性, 一二线城市白领, 做功课型消费者",
            "purchase_logic": "小红书看成分测评 → 9.9/29.9小样试用 → 皮肤顾问答疑 → 正装; 大促囤货",
            "decision_cycle_days": 14, "purchases_per_year": 4,
            "member_tiers": ["青禾会员", "银卡(年消费≥800)", "金卡(年消费≥2000)"]},
        "assets": {
            "personal_wechat_accounts": 0, "wecom_accounts": 5, "friends": 15000, "groups": 24,
            "group_members": 5600, "official_account_followers": 18000, "mini_program": True,
            "moments_per_week": 7, "scrm_tool": "企业微信 + 微盟"},
        "team": {
            "headcount": 7,
            "roles": [
                {"role": "私域负责人", "count": 1, "kpi": "私域GMV、复购率"},
                {"role": "皮肤顾问", "count": 4, "kpi": "一对一成交额、回复时效"},
                {"role": "直播运营", "count": 1, "kpi": "直播GMV、直播间加粉数"},
                {"role": "内容运营", "count": 1, "kpi": "小红书笔记、朋友圈内容"}],
            "kpis": ["月私域GMV", "小样转正装率", "90天复购率"],
            "incentives": "皮肤顾问底薪+成交额3%提成",
            "gene": "增长"},
        "goals": {
            "gmv_target": 5000000, "new_customers_target": 4000, "repurchase_rate_target": 0.45,
            "timeline_months": 12, "budget": 250000,
            "tasks": ["视频号直播新客转入企微", "小样用户7天内转正装", "按精华用完周期(约60天)提醒复购"],
            "constraints": "化妆品功效宣传须有依据, 不得宣称医疗作用; openid 与手机号不得出现在报告中"},
        "funnel": {"reachable": 20000, "invite_success": 0.15, "purchase_intent": 0.08, "referrers": 220},
        "competitors": [
            {"name": "大牌敏感肌线", "strengths": "品牌力强, 专柜覆盖广", "notes": "私域以导购个人号为主"},
            {"name": "新锐国货修护品牌", "strengths": "抖音投放猛、价格低", "notes": "复购依赖大促"}],
        "data": {"orders": f"{base}/orders.parquet", "wecom_groups": f"{base}/wecom_groups.csv",
                 "columns": {"customer_id": "user_openid", "paid_at": "pay_time"}, "as_of": "2026-11-01"},
        "journey": [
            {"stage": "认知", "touchpoints": ["小红书", "视频号直播"], "actions": ["搜索敏感肌修护"],
             "emotion": "好奇", "score": 1, "pain_points": ["功效说法太多, 不敢轻易试"],
             "opportunities": ["成分科普笔记 + 小样引导"]},
            {"stage": "考虑", "touchpoints": ["小程序商城", "皮肤顾问企微"], "actions": ["领小样", "问肤质"],
             "emotion": "犹豫", "score": 0, "pain_points": ["怕过敏"], "opportunities": ["过敏包退承诺"]},
            {"stage": "首购", "touchpoints": ["小程序商城", "微信小店"], "actions": ["买体验装或精华30ml"],
             "emotion": "期待", "score": 1, "pain_points": ["小样用完无人跟进"],
             "opportunities": ["第5天顾问回访 + 正装券"]},
            {"stage": "使用", "touchpoints": ["皮肤顾问企微", "会员社群"], "actions": ["打卡28天修护"],
             "emotion": "满意", "score": 1, "pain_points": ["见效慢时容易放弃"],
             "opportunities": ["28天打卡送面膜"]},
            {"stage": "复购", "touchpoints": ["小程序商城", "大促直播"], "actions": ["囤精华和面霜"],
             "emotion": "平淡", "score": 0, "pain_points": ["只在大促买"],
             "opportunities": ["用完周期提醒 + 会员日"]},
            {"stage": "推荐", "touchpoints": ["朋友圈", "小红书"], "actions": ["写测评"],
             "emotion": "惊喜", "score": 2, "pain_points": ["没有分享激励"],
             "opportunities": ["晒单返积分, 闺蜜同享小样"]}],
        "notes": ("数据为合成演示数据。订单来自数仓导出的Parquet(一行一个商品, 字段为英文, 客户为微信openid); "
                  "2026年1月起做视频号直播, 带来大量一次性新客; 群统计为按天的CSV(最近120天)。"
                  "客户自述客单价约320元、老客约一个季度回购一次, 需用数据核实。"),
    }
