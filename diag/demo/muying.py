"""Demo client 小贝母婴: a 母婴 e-commerce brand (有赞-style line-item export + WeCom statistics).

Story in the data (2025-08 → 2026-10): steady growth; 双11 the biggest month; the 春节
logistics stop empties February; 社群团购 launches in March 2026 and grows; 618 lifts
June; in July–August 抖音 ad spend is paused and 奶粉 runs out of stock, so GMV dips,
then recovers in September–October.  Most buyers try one order from an ad and never come back;
a small core restocks every few weeks and the rest drift back after a sale or two, so
repurchase (≈32%) and 90-day repurchase (≈23%) sit below the 母婴 benchmark: the
opportunity the diagnosis is meant to find.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diag.demo import _sim

SLUG = "xiaobei-muying"
SEED = 20251111
START, END = "2025-08-01", "2026-10-31"
BURN_IN = "2025-02-01"  # customers acquired before the export window already buy in it
WECOM_DAYS = 180
# Customer mix (monthly stock-up, occasional, one-off), mean gaps in days and dropout Beta
# parameters: tuned so the repurchase figures land below the 母婴 benchmark (module docstring).
N_CUSTOMERS = 6700
SEGMENT_SHARES = [0.09, 0.54, 0.37]
LOYAL_GAP, OCCASIONAL_GAP = 25.0, 190.0
LOYAL_DROPOUT, OCCASIONAL_DROPOUT, ONE_OFF_DROPOUT = (1.5, 12), (2, 4), (30, 1)

# name, category, price, stage mask (bit 0: 0–6 月, bit 1: 6–12 月, bit 2: 1–3 岁), weight, max qty
PRODUCTS = [
    ("小贝云柔纸尿裤 NB码 84片", "纸尿裤", 109.0, 0b001, 6, 3),
    ("小贝云柔纸尿裤 S码 76片", "纸尿裤", 109.0, 0b001, 8, 3),
    ("小贝云柔纸尿裤 M码 64片", "纸尿裤", 115.0, 0b010, 9, 3),
    ("小贝云柔纸尿裤 L码 54片", "纸尿裤", 115.0, 0b110, 8, 3),
    ("小贝成长拉拉裤 XL码 44片", "纸尿裤", 125.0, 0b100, 7, 3),
    ("有机A2奶粉 1段 800g", "奶粉", 328.0, 0b001, 7, 4),
    ("有机A2奶粉 2段 800g", "奶粉", 318.0, 0b010, 7, 4),
    ("有机A2奶粉 3段 800g", "奶粉", 298.0, 0b100, 6, 4),
    ("婴儿手口湿巾 80抽×6包", "湿巾", 39.9, 0b111, 10, 3),
    ("婴儿棉柔巾 100抽×3包", "湿巾", 29.9, 0b111, 5, 3),
    ("高铁有机米粉 225g", "辅食", 59.0, 0b010, 5, 2),
    ("宝宝果泥 6袋装", "辅食", 36.0, 0b110, 5, 3),
    ("无盐宝宝面条 300g", "辅食", 26.8, 0b110, 4, 3),
    ("宽口径玻璃奶瓶 240ml", "喂养用品", 98.0, 0b001, 3, 2),
    ("硅胶安抚奶嘴 0-6月 2只装", "喂养用品", 45.0, 0b001, 3, 2),
    ("吸管学饮杯 300ml", "喂养用品", 79.0, 0b110, 2, 1),
    ("婴儿洗发沐浴二合一 400ml", "洗护", 69.0, 0b111, 4, 2),
    ("婴儿润肤霜 50g", "洗护", 89.0, 0b111, 3, 2),
    ("益生菌滴剂 10ml", "营养品", 158.0, 0b011, 2, 2),
    ("DHA藻油软胶囊 60粒", "营养品", 198.0, 0b110, 2, 2),
    ("纯棉连体衣 3件装", "服饰", 129.0, 0b011, 3, 1),
    ("轻便折叠婴儿车", "出行", 1299.0, 0b011, 0.6, 1),
    ("儿童安全座椅 0-4岁", "出行", 1699.0, 0b011, 0.4, 1),
    ("布书早教套装 6册", "玩具", 68.0, 0b110, 2, 1),
]

CHANNELS = ["小程序商城", "天猫", "抖音", "社群团购"]
STAFF = [("小贝-安安", 16, 0.78, 0.95, 6), ("小贝-朵朵", 14, 0.74, 0.92, 9),
         ("小贝-糖糖", 12, 0.70, 0.88, 14), ("小贝-豆豆", 9, 0.55, 0.63, 47)]
HOURS = [2, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 3, 4, 5, 5, 5, 5, 4, 4, 4, 4, 5, 6, 8, 10, 9, 5]


def _calendar() -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    days = _sim.day_index(BURN_IN, END)
    season = (1 + _sim.bump(days, "2025-11-10", 4, 2.4) + _sim.bump(days, "2025-12-12", 2, 0.5)
              + _sim.bump(days, "2026-03-07", 2, 0.5) + _sim.bump(days, "2026-06-16", 4, 1.4))
    season *= _sim.window(days, "2026-02-09", "2026-02-23", 0.35)
    intensity = season * _sim.window(days, "2026-07-06", "2026-08-25", 0.8)
    arrivals = (_sim.ramp(days, 0.8, 1.5) * season
                * _sim.window(days, "2026-03-01", "2026-04-15", 1.5)
                * _sim.window(days, "2026-07-06", "2026-08-25", 0.55))
    return days, intensity, arrivals


def _channel_weights(days: pd.DatetimeIndex) -> np.ndarray:
    """Return the daily channel mix (days × channels): 社群团购 from March 2026, 抖音 paused in summer."""
    t = np.linspace(0, 1, len(days))
    w = np.column_stack([0.38 + 0.1 * t, np.full(len(days), 0.30), np.full(len(days), 0.24),
                         np.zeros(len(days))])
    group_buy = days >= pd.Timestamp("2026-03-01")
    w[group_buy, 3] = 0.12 + 0.2 * np.clip((days[group_buy] - pd.Timestamp("2026-03-01")).days / 120, 0, 1)
    paused = (days >= pd.Timestamp("2026-07-06")) & (days <= pd.Timestamp("2026-08-25"))
    w[paused, 2] = 0.04
    return w / w.sum(axis=1, keepdims=True)


def orders_frame(rng: np.random.Generator, scale: float = 1.0) -> pd.DataFrame:
    """Return the 有赞-style line-item export (one row per line, text as the export writes it)."""
    days, intensity, arrivals = _calendar()
    n = max(int(N_CUSTOMERS * scale), 50)
    # Most buyers try a pack of wipes or one bag of nappies and never come back; a small core
    # stocks up monthly; the rest drift back after a big sale or two.
    kind = rng.choice(3, size=n, p=SEGMENT_SHARES)  # 0 monthly stock-up, 1 occasional, 2 one-off
    loyal = kind == 0
    gap_mean = np.where(loyal, rng.gamma(12, LOYAL_GAP / 12, n), rng.gamma(3, OCCASIONAL_GAP / 3, n))
    dropout = np.select([kind == 0, kind == 1], [rng.beta(*LOYAL_DROPOUT, n), rng.beta(*OCCASIONAL_DROPOUT, n)],
                        rng.beta(*ONE_OFF_DROPOUT, n))
    events = _sim.simulate_purchases(rng, n_customers=n, arrival_weight=arrivals, intensity=intensity,
                                     gap_mean=gap_mean, gap_shape=np.where(loyal, 3.0, 2.0),
                                     dropout=dropout)
    events = events[days[events["day"]] >= pd.Timestamp(START)].reset_index(drop=True)
    phones = _sim.mobile_numbers(rng, n)
    stage = rng.choice(3, size=n, p=[0.35, 0.35, 0.3])
    cw = _channel_weights(days)
    first_day = events.groupby("customer")["day"].min().reindex(range(n)).fillna(0).astype(int).to_numpy()
    home = np.array([rng.choice(4, p=cw[d]) for d in first_day])

    names = np.array([p[0] for p in PRODUCTS], dtype=object)
    cats = np.array([p[1] for p in PRODUCTS], dtype=object)
    price = np.array([p[2] for p in PRODUCTS])
    mask = np.array([p[3] for p in PRODUCTS])
    weight = np.array([p[4] for p in PRODUCTS], dtype=float)
    max_qty = np.array([p[5] for p in PRODUCTS])
    eligible = [np.flatnonzero(mask & (1 << s)) for s in range(3)]
    staples = [[i for i in eligible[s] if cats[i] in ("纸尿裤", "奶粉")] for s in range(3)]
    primary = np.array([rng.choice(staples[s]) for s in stage])

    cust = events["customer"].to_numpy()
    day = events["day"].to_numpy()
    m = len(events)
    secs = _sim.seconds_of_day(rng, m, HOURS)
    created = _sim.timestamps(days, day, secs)
    chan = np.where((rng.random(m) < 0.75) & (cw[day, home[cust]] > 0.05), home[cust],
                    [rng.choice(4, p=cw[d]) for d in day])
    promo = intensity[day] > 1.6
    n_lines = 1 + np.minimum(rng.poisson(np.where(promo, 1.1, 0.6)), 4)

    rows: list[tuple] = []
    for k in range(m):
        c, s = cust[k], stage[cust[k]]
        first = primary[c] if (loyal[c] and rng.random() < 0.75) else None
        pool = eligible[s]
        picks = rng.choice(pool, size=min(n_lines[k], len(pool)), replace=False,
                           p=weight[pool] / weight[pool].sum())
        items = list(dict.fromkeys(([first] if first is not None else []) + list(picks)))[:n_lines[k]]
        discount = (0.85 if promo[k] else 1.0) * (0.9 if chan[k] == 3 else 1.0)
        for i in items:
            qty = int(min(rng.geometric(0.55 if cats[i] == "纸尿裤" else 0.75), max_qty[i]))
            coupon = rng.choice([0, 0, 0, 5, 10]) if price[i] * qty > 100 else 0
            amount = round(max(price[i] * qty * discount - coupon, 0.01), 2)
            rows.append((k, names[i], cats[i], qty, amount))
    lines = pd.DataFrame(rows, columns=["k", "商品名称", "商品分类", "商品数量", "line_amount"])
    order_total = lines.groupby("k")["line_amount"].sum().round(2)

    end = days[-1] + pd.Timedelta(days=1)
    age_days = (end - created).days.to_numpy()
    u = rng.random(m)
    status = np.select(
        [(age_days < 2) & (u < 0.15), u < 0.045, u < 0.07, u < 0.085, age_days < 1, age_days < 4],
        ["待付款", "交易关闭", "退款成功", "部分退款", "待发货", "已发货"], default="交易成功")
    unpaid = np.isin(status, ["待付款", "交易关闭"])
    paid = created + pd.to_timedelta(rng.integers(3, 240, m), unit="s")
    paid = paid.where(paid < end, end - pd.Timedelta(seconds=1))  # the export stops at midnight
    order_no = [f"E{t:%Y%m%d%H%M%S}{r:06d}" for t, r in zip(created, rng.integers(0, 1_000_000, m))]
    platform = np.isin(chan, [1, 2])  # platform exports write ¥1,299.00

    per_order = pd.DataFrame({
        "k": np.arange(m), "订单号": order_no, "订单状态": status,
        "下单时间": _sim.cn_datetime(created),
        "付款时间": np.where(unpaid, "", _sim.cn_datetime(paid)),
        "买家手机号": phones[cust], "订单来源": np.array(CHANNELS, dtype=object)[chan],
"symbol": platform,
    })
    out = lines.merge(per_order, on="k", how="left")
    out["商品实付金额"] = _sim.yuan(out["line_amount"].to_numpy(), symbol=out["symbol"].to_numpy())
    out["订单实付金额"] = _sim.yuan(order_total.reindex(out["k"]).to_numpy(), symbol=out["symbol"].to_numpy())
    out = _add_flaws(rng, out)
    columns = ["订单号", "订单状态", "下单时间", "付款时间", "买家手机号", "订单来源",
               "商品名称", "商品分类", "商品数量", "商品实付金额", "订单实付金额"]
    return out[columns].reset_index(drop=True)


def _add_flaws(rng: np.random.Generator, out: pd.DataFrame) -> pd.DataFrame:
    """Return the export with the blemishes real exports carry (counted by the reader)."""
    single = out.groupby("k")["k"].transform("size") == 1
    ok = single & (out["订单状态"] == "交易成功")
    picks = rng.choice(np.flatnonzero(ok.to_numpy()), size=5, replace=False)
    out = out.copy()
    out.loc[out.index[picks[:3]], "买家手机号"] = ""                       # customer id missing
    out.loc[out.index[picks[3:]], ["商品实付金额", "订单实付金额"]] = "待定"  # amount not filled in
    # Two price-difference refunds booked as separate negative orders.
    refunds = out.loc[out.index[rng.choice(np.flatnonzero(ok.to_numpy()), size=2, replace=False)]].copy()
    refunds["订单号"] = refunds["订单号"].str[:-6] + "900001"
    refunds["商品名称"], refunds["商品分类"], refunds["商品数量"] = "差价退款", "其他", 1
    refunds["商品实付金额"] = refunds["订单实付金额"] = "-20.00"
    # The export tool repeats a few rows at page boundaries.
    dupes = out.iloc[rng.choice(len(out), size=3, replace=False)]
    out = pd.concat([out, refunds, dupes])
    return out.sort_values(["下单时间", "订单号"], key=_sort_key, kind="stable")


def _sort_key(col: pd.Series) -> pd.Series:
    if col.name == "下单时间":
        return pd.to_datetime(col, format="%Y/%m/%d %H:%M:%S")
    return col


def wecom_contacts_frame(rng: np.random.Generator) -> pd.DataFrame:
    """Return the 联系客户统计 export: one row per staff per day over the last 180 days."""
    days = _sim.day_index(START, END)[-WECOM_DAYS:]
    lift = 1 + _sim.bump(days, "2026-06-16", 3, 1.2) + _sim.bump(days, "2026-10-25", 4, 0.8)
    lift *= _sim.window(days, "2026-07-06", "2026-08-25", 0.7)
    rows = []
    for name, base, accept, reply, reply_minutes in STAFF:
        apply = rng.poisson(base * lift)
        contact = rng.binomial(apply, accept)
        chats = rng.poisson(28 * lift ** 0.5)
        messages = chats * 2 + rng.poisson(chats * 3.5)
        replied = np.clip(rng.normal(reply * 100, 4, len(days)), 0, 100).round(2)
        minutes = np.maximum(rng.gamma(4, reply_minutes / 4, len(days)).round().astype(int), 1)
        deleted = rng.binomial(contact, 0.035 if reply > 0.8 else 0.08)
        for j, d in enumerate(days):
            has_chat = chats[j] > 0
            rows.append((f"{d:%Y-%m-%d}", name, apply[j], contact[j], chats[j], messages[j],
                         replied[j] if has_chat else None, minutes[j] if has_chat else None, deleted[j]))
    frame = pd.DataFrame(rows, columns=["date", "staff", "new_apply_cnt", "new_contact_cnt", "chat_cnt",
                                        "message_cnt", "reply_percentage", "avg_reply_time",
                                        "negative_feedback_cnt"])
    frame["avg_reply_time"] = frame["avg_reply_time"].astype("Int64")
    return frame.sort_values(["date", "staff"], kind="stable").reset_index(drop=True)


def wecom_groups_json(rng: np.random.Generator) -> dict:
    """Return the 群聊数据统计 API answer (按自然日聚合) for the last 180 days."""
    days = _sim.day_index(START, END)[-WECOM_DAYS:]
    lift = 1 + _sim.bump(days, "2026-06-16", 3, 1.5) + _sim.bump(days, "2026-10-25", 4, 1.0)
    chats, members, items = 38, 9200, []
    for j, d in enumerate(days):
        new_chat = int(rng.random() < 0.08 * min(lift[j], 2))
        chats += new_chat
        joined = int(rng.poisson(32 * lift[j]))
        members = max(members + joined - int(rng.poisson(14 + 6 * (lift[j] > 1.5))), 0)
        active_share = 0.42 + 0.3 * (lift[j] - 1) / 1.5 + rng.normal(0, 0.04)
        has_msg = int(np.clip(rng.binomial(chats, float(np.clip(active_share, 0.05, 0.95))), 0, chats))
        speakers = int(rng.binomial(members, 0.055 * lift[j] ** 0.7))
        stamp = int(d.timestamp()) - 8 * 3600  # midnight Beijing time (UTC+8, no DST)
        items.append({"stat_time": stamp, "data": {
            "new_chat_cnt": new_chat, "chat_total": chats, "chat_has_msg": has_msg,
            "new_member_cnt": joined, "member_total": members, "member_has_msg": speakers,
            "msg_total": int(speakers * rng.gamma(3, 1.6)) + has_msg, "migrate_trainee_chat_cnt": 0}})
    return {"errcode": 0, "errmsg": "ok", "items": items}


#: The activities of the last year and the targets set before each (for the 复盘 chapter).
#: Written by the client's team, not simulated: the orders decide what each achieved.
CAMPAIGNS = [
    ("双11囤货节", "大促", "2025-11-01", "2025-11-11", 30000, 150000, 400, 60000, 1500, 900, 3200, 260),
    ("年货节", "大促", "2026-01-10", "2026-01-20", 12000, 55000, 120, 30000, 500, None, 1200, 80),
    ("社群团购首发", "社群团购", "2026-03-01", "2026-03-15", 8000, 100000, 250, 12000, 600, 1100, 1500, 210),
    ("618年中囤货", "大促", "2026-06-01", "2026-06-18", 35000, 260000, 500, 80000, 1800, 1000, 3500, 300),
    ("开学季团购", "社群团购", "2026-09-01", "2026-09-10", 6000, 80000, 150, 12000, None, 800, 1000, 120),
    ("国庆宝宝节", "节日", "2026-09-28", "2026-10-07", 5000, 75000, 150, 20000, 400, None, 900, 60),
    ("包裹卡加粉", "引流", "2026-10-01", "2026-10-31", 4000, 250000, 200, 850, 95, None, None, None),
]


def campaigns_frame() -> pd.DataFrame:
    """Return the campaigns file as the client keeps it (Chinese headers, blanks where not counted)."""
    columns = ["活动名称", "活动类型", "开始日期", "结束日期", "成本", "目标GMV", "目标新客数", "触达人数",
               "新增好友", "入群人数", "参与人数", "推荐人数"]
    frame = pd.DataFrame(CAMPAIGNS, columns=columns)
    for col in columns[6:]:
        frame[col] = frame[col].astype("Int64")
    return frame


def files(scale: float = 1.0) -> dict[str, bytes]:
    """Return ``{path relative to the briefs folder: bytes}`` for this client's data files."""
    rng = np.random.default_rng(SEED)
    base = f"data/{SLUG}"
    return {
        f"{base}/orders.csv": _sim.csv_bytes(orders_frame(rng, scale), encoding="utf-8-sig"),
        f"{base}/wecom_contacts.csv": _sim.csv_bytes(wecom_contacts_frame(rng), encoding="utf-8"),
        f"{base}/wecom_groups.json": _sim.json_bytes(wecom_groups_json(rng)),
        f"{base}/campaigns.csv": _sim.csv_bytes(campaigns_frame(), encoding="utf-8-sig"),
    }


def brief() -> dict:
    """Return the client's 需求澄清表 as plain data (stated figures differ from the data on purpose)."""
    base = f"data/{SLUG}"
    return {
        "client": {
            "name": "小贝母婴", "slug": SLUG, "industry": "母婴", "category": "婴童纸尿裤、奶粉及喂养用品",
            "format": "电商", "store_count": 0, "regions": ["华东", "华南", "全国"], "revenue_band": "300万–500万",
            "online_share": 1.0, "respondent": "陈晓蓓", "respondent_role": "创始人兼私域负责人",
            "consultant": "林舟(私域诊断顾问)"},
        "goods": {
            "product_lines": [
                {"name": "纸尿裤/拉拉裤", "price_min": 109, "price_max": 125, "role": "复购", "gross_margin": 0.35},
                {"name": "有机A2奶粉", "price_min": 298, "price_max": 328, "role": "复购", "gross_margin": 0.22},
                {"name": "湿巾/棉柔巾", "price_min": 29.9, "price_max": 39.9, "role": "引流", "gross_margin": 0.3},
                {"name": "辅食(米粉、果泥、面条)", "price_min": 26.8, "price_max": 59, "role": "利润",
                 "gross_margin": 0.5},
                {"name": "洗护与营养品", "price_min": 69, "price_max": 198, "role": "利润", "gross_margin": 0.62},
                {"name": "婴儿车/安全座椅", "price_min": 1299, "price_max": 1699, "role": "形象",
                 "gross_margin": 0.28}],
            "aov": 200, "gross_margin": 0.36, "repurchase_cycle_days": 20,
            "selling_points": ["自有品牌纸尿裤, 云柔芯体不闷不漏", "有机A2奶粉, 段位齐全", "育儿顾问一对一答疑"],
            "traffic_products": ["婴儿手口湿巾 80抽×6包", "婴儿棉柔巾 100抽×3包"],
            "profit_products": ["益生菌滴剂 10ml", "DHA藻油软胶囊 60粒", "婴儿润肤霜 50g"],
            "repurchase_products": ["小贝云柔纸尿裤", "有机A2奶粉"],
            "margins": {"纸尿裤": 0.35, "奶粉": 0.22, "湿巾": 0.3, "辅食": 0.5, "洗护": 0.6, "营养品": 0.65}},
        "scene": {
            "channels": [
                {"name": "小程序商城", "share": 0.35, "kind": "私域", "monthly_reach": 15000},
                {"name": "天猫", "share": 0.3, "kind": "公域", "monthly_reach": 40000},
                {"name": "抖音", "share": 0.25, "kind": "公域", "monthly_reach": 90000},
                {"name": "社群团购", "share": 0.1, "kind": "私域", "monthly_reach": 12000}],
            "public_platforms": ["天猫", "抖音", "小红书"],
            "monthly_parcels": 850},
        "people": {
            "persona": "25–35岁新手妈妈, 一二线城市, 孩子0–3岁, 重视成分与安全, 夜间哺乳时段刷手机下单",
            "purchase_logic": "先在小红书和妈妈群看口碑, 试用装或湿巾小单尝鲜, 认可后按月囤纸尿裤和奶粉; 大促集中囤货",
            "decision_cycle_days": 7, "purchases_per_year": 8,
            "member_tiers": ["普通会员", "银卡(年消费≥1000)", "金卡(年消费≥3000)"]},
        "assets": {
            "personal_wechat_accounts": 1, "wecom_accounts": 4, "friends": 12000, "groups": 50,
            "group_members": 12000, "official_account_followers": 5200, "mini_program": True,
            "moments_per_week": 10, "scrm_tool": "微伴助手"},
        "team": {
            "headcount": 6,
            "roles": [
                {"role": "私域运营负责人", "count": 1, "kpi": "私域GMV、复购率"},
                {"role": "育儿顾问(企微)", "count": 4, "kpi": "加粉数、回复率、一对一成交额"},
                {"role": "内容与设计", "count": 1, "kpi": "朋友圈与社群内容产出、活动海报"}],
            "kpis": ["月私域GMV", "新增好友数", "社群转化率", "90天复购率"],
            "incentives": "底薪 + 私域成交额2%提成, 季度复购率达标奖",
            "gene": "运营"},
        "goals": {
            "gmv_target": 6000000, "new_customers_target": 3000, "repurchase_rate_target": 0.6,
            "timeline_months": 12, "budget": 200000,
            "tasks": ["包裹卡引导天猫/抖音买家加企微", "按纸尿裤和奶粉复购周期做到期提醒",
                      "社群团购固定每周二、五开团", "把育儿顾问的服务标准写成SOP"],
            "constraints": "公域买家手机号仅用于履约, 加好友须本人同意; 奶粉广告须遵守婴幼儿配方乳粉宣传规定"},
        "funnel": {"reachable": 10000, "invite_success": 0.12, "purchase_intent": 0.15, "referrers": 180},
        "competitors": [
            {"name": "贝柔母婴", "strengths": "抖音达人矩阵, 直播间价格低",
             "notes": "私域只做福利群, 群内几乎无互动"},
            {"name": "安宝乐母婴连锁", "strengths": "线下门店多, 会员积分成熟",
             "notes": "导购一对一跟进新生儿家庭"},
            {"name": "团长型宝妈社群", "strengths": "信任度高、复购快", "notes": "货盘杂, 售后弱"}],
        "data": {
            "orders": f"{base}/orders.csv", "wecom_contacts": f"{base}/wecom_contacts.csv",
            "wecom_groups": f"{base}/wecom_groups.json", "campaigns": f"{base}/campaigns.csv",
            "as_of": "2026-11-01"},
        "journey": [
            {"stage": "认知", "touchpoints": ["小红书笔记", "抖音短视频", "妈妈群口碑"],
             "actions": ["搜索纸尿裤测评", "收藏笔记"], "thoughts": ["会不会红屁屁?", "成分安全吗?"],
             "emotion": "好奇", "score": 1, "pain_points": ["同类测评太多, 难辨真假"],
             "opportunities": ["育儿顾问出真实测评与试用装"]},
            {"stage": "考虑", "touchpoints": ["天猫详情页", "抖音直播间", "小程序商城"],
             "actions": ["对比价格与片数", "咨询尺码"], "thoughts": ["哪个渠道最便宜?"],
             "emotion": "犹豫", "score": 0, "pain_points": ["各渠道价格不一致", "尺码怕买错"],
             "opportunities": ["尺码助手 + 首单湿巾9.9尝鲜"]},
            {"stage": "首购", "touchpoints": ["天猫", "小程序商城"], "actions": ["下单湿巾或小包装纸尿裤"],
             "emotion": "期待", "score": 1, "pain_points": ["包裹里没有任何加好友的引导"],
             "opportunities": ["包裹卡: 扫码加育儿顾问领试用装"]},
            {"stage": "使用", "touchpoints": ["育儿顾问企微", "宝妈社群"], "actions": ["反馈使用感受", "问喂养问题"],
             "thoughts": ["有问题找谁?"], "emotion": "满意", "score": 1,
             "pain_points": ["夜间咨询回复慢", "部分顾问回复率低"],
             "opportunities": ["夜间20:00–22:00排班", "回复时效纳入KPI"]},
            {"stage": "复购", "touchpoints": ["社群团购", "小程序商城", "天猫大促"],
             "actions": ["按月囤纸尿裤", "大促囤奶粉"], "thoughts": ["等大促再买更划算"],
             "emotion": "平淡", "score": 0, "pain_points": ["忘记补货转去线下买", "奶粉断货时流失"],
             "opportunities": ["按复购周期提前3天提醒", "断货时推荐替代段位并补券"]},
            {"stage": "推荐", "touchpoints": ["朋友圈", "妈妈群"], "actions": ["晒单", "拉闺蜜进群"],
             "emotion": "惊喜", "score": 2, "pain_points": ["没有老带新奖励"],
             "opportunities": ["邀请好友进群得湿巾, 好友首单双方得券"]}],
        "notes": ("数据为合成演示数据。订单导出来自有赞后台(合并了天猫、抖音订单), 一行一个商品; "
                  "2026年3月开始社群团购; 7–8月抖音投放暂停且奶粉断货; 客户自述复购率约45%、客单价约200元、宝妈约20天补一次货, "
                  "需用数据核实。企微统计来自企业微信后台(最近180天)。"),
    }
