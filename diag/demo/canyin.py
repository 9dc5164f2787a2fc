"""Demo client 老面记: a noodle-restaurant chain (连锁餐饮), POS member-order export in GBK.

Story in the data (2025-09 → 2026-10): seven stores in 上海 and 苏州, an eighth (虹桥天地)
opens on 2026-04-18; 春节 closes most stores for a week; a 美团 团购券 campaign in March
2026 brings a wave of bargain hunters who rarely come back; from May 2026 every
Wednesday is 会员日.  A small core of office-district regulars eats here every two weeks or
so; most members come back only after months, so 90-day repurchase (≈20%) sits below the
餐饮 benchmark while the overall repurchase rate looks acceptable.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from diag.demo import _sim

SLUG = "laomian-canyin"
SEED = 20260217
START, END, BURN_IN = "2025-09-01", "2026-10-31", "2024-09-01"
NEW_STORE_OPENS = "2026-04-18"

STORES = ["老面记(徐家汇店)", "老面记(静安寺店)", "老面记(五角场店)", "老面记(张江店)",
          "老面记(七宝店)", "老面记(苏州观前店)", "老面记(苏州园区店)", "老面记(虹桥天地店)"]
STORE_W = np.array([1.2, 1.1, 1.0, 1.3, 0.8, 0.9, 0.7, 1.0])
CHANNELS = ["堂食", "外卖", "小程序点单", "团购券"]
CHANNEL_W = np.array([0.55, 0.25, 0.12, 0.08])
# Hour weights per channel: lunch and dinner peaks; delivery also late at night.
HOURS = {
    "堂食": [0, 0, 0, 0, 0, 0, 0, 0.3, 0.5, 0.5, 2, 8, 10, 5, 1, 0.8, 1.5, 5, 8, 6, 3, 1.2, 0.4, 0],
    "外卖": [0.3, 0.1, 0, 0, 0, 0, 0, 0.2, 0.5, 0.8, 3, 9, 8, 3, 1, 1, 1.5, 4, 6, 5, 3, 2.5, 2, 1],
    "小程序点单": [0, 0, 0, 0, 0, 0, 0, 1.5, 2, 1, 3, 8, 9, 4, 1, 1, 1.5, 5, 7, 5, 2, 1, 0.3, 0],
    "团购券": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.3, 1.5, 6, 8, 4, 1.5, 1.5, 2, 6, 9, 7, 3, 1, 0.2, 0],
}
SET_MENUS = np.array([39.9, 79.0, 79.0, 128.0, 158.0])


def _calendar(days: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """Return the daily visit intensity: weekends, 春节, 会员日 Wednesdays, a little weather noise."""
    weekday = days.day_of_week.to_numpy()
    intensity = np.select([weekday == 0, weekday >= 4], [0.85, 1.2], 1.0)
    members_day = (weekday == 2) & (days >= pd.Timestamp("2026-05-06"))
    intensity = intensity * np.where(members_day, 1.4, 1.0)
    intensity *= _sim.window(days, "2026-02-14", "2026-02-22", 0.3)
    intensity *= _sim.window(days, "2025-01-26", "2025-02-04", 0.3)  # 2025 春节, in the burn-in
    return intensity * rng.lognormal(0, 0.1, len(days))


def _segments(days: pd.DatetimeIndex) -> list[dict]:
    """Return customer segments: regulars, occasional guests, 团购券 bargain hunters, new-store locals."""
    base = _sim.ramp(days, 0.9, 1.2) * _sim.window(days, "2026-02-14", "2026-02-22", 0.3)
    campaign = _sim.window(days, "2026-03-01", "2026-03-31", 8.0) - 1 + 0.02
    opened = (days >= pd.Timestamp(NEW_STORE_OPENS)).astype(float) * (1 + _sim.bump(days, NEW_STORE_OPENS, 10, 3))
    return [
        dict(n=1000, arrival=base, gap=(8, 16.0), shape=2.5, dropout=(1.2, 30), store=None, deal=False),
        dict(n=11900, arrival=base, gap=(6, 230.0), shape=3.0, dropout=(2.5, 4.5), store=None, deal=False),
        dict(n=2500, arrival=campaign, gap=(2, 90.0), shape=1.0, dropout=(8, 1.5), store=None, deal=True),
        dict(n=880, arrival=opened + 1e-6, gap=(3, 40.0), shape=1.5, dropout=(2, 6), store=7, deal=False),
    ]


def simulate(rng: np.random.Generator, scale: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the POS member-order export (one row per order, text as the POS writes it) and the member list."""
    days = _sim.day_index(BURN_IN, END)
    intensity = _calendar(days, rng)
    parts, offset = [], 0
    open_stores = STORE_W.copy()
    open_stores[7] = 0
    for seg in _segments(days):
        n = max(int(seg["n"] * scale), 10)
        k, mean = seg["gap"]
        ev = _sim.simulate_purchases(rng, n_customers=n, arrival_weight=seg["arrival"], intensity=intensity,
                                     gap_mean=rng.gamma(k, mean / k, n), gap_shape=seg["shape"],
                                     dropout=rng.beta(seg["dropout"][0], seg["dropout"][1], n))
        home = np.full(n, seg["store"]) if seg["store"] is not None else \
            rng.choice(8, size=n, p=open_stores / open_stores.sum())
        prefs = rng.dirichlet(CHANNEL_W * 6, size=n)
        if seg["deal"]:
            prefs = 0.3 * prefs + 0.7 * np.array([0, 0, 0, 1.0])
        ev["customer"] += offset
        parts.append((ev, home, prefs))
        offset += n
    events = pd.concat([p[0] for p in parts], ignore_index=True)
    home = np.concatenate([p[1] for p in parts])
    prefs = np.concatenate([p[2] for p in parts])
    first_day = events.groupby("customer")["day"].min().reindex(range(offset)).to_numpy()
    events = events[days[events["day"]] >= pd.Timestamp(START)].reset_index(drop=True)

    cust, day = events["customer"].to_numpy(), events["day"].to_numpy()
    m = len(events)
    # Mostly the home store; now and then another open store.
    other = rng.choice(8, size=m, p=STORE_W / STORE_W.sum())
    other_ok = (other != 7) | (days[day] >= pd.Timestamp(NEW_STORE_OPENS))
    store = np.where((rng.random(m) < 0.85) | ~other_ok, home[cust], other)
    channel = (rng.random(m)[:, None] < np.cumsum(prefs[cust], axis=1)).argmax(axis=1)
    secs = np.zeros(m, dtype=int)
    for c, name in enumerate(CHANNELS):
        sel = channel == c
        secs[sel] = _sim.seconds_of_day(rng, int(sel.sum()), HOURS[name])
    when = _sim.timestamps(days, day, secs)

    guests = rng.choice([1, 2, 3, 4, 5], size=m, p=[0.42, 0.33, 0.13, 0.09, 0.03])
    per_head = rng.lognormal(np.log(36), 0.22, m)
    amount = np.select(
        [channel == 0, channel == 1, channel == 2],
        [np.round(guests * per_head * 2) / 2,
         np.round(np.minimum(guests, 2) * per_head + 2 - rng.choice([0, 3, 5, 8], m), 1),
         np.round(np.minimum(guests, 3) * per_head * 0.95, 1)],
        default=rng.choice(SET_MENUS, m))
    amount = np.maximum(amount, 12.0)
    u = rng.random(m)
    status = np.select([u < np.where(channel == 0, 0.012, 0.035), u < 0.05], ["已取消", "已退款"], "已完成")

    member_ids = _member_ids(rng, offset)
    frame = pd.DataFrame({"when": when, "store": store, "会员ID": member_ids[cust],
                          "实付金额": _sim.yuan(amount), "门店": np.array(STORES, dtype=object)[store],
                          "渠道": np.array(CHANNELS, dtype=object)[channel], "订单状态": status})
    frame = frame.sort_values(["when", "store"], kind="stable").reset_index(drop=True)
    seq = frame.groupby([frame["store"], frame["when"].dt.date]).cumcount() + 1
    frame["订单编号"] = [f"LM{s + 1:02d}{t:%y%m%d}{q:04d}" for s, t, q in zip(frame["store"], frame["when"], seq)]
    frame["下单时间"] = _sim.cn_datetime(frame["when"], seconds=False, sep="-", pad=True)
    frame = _add_flaws(rng, frame)
    orders = frame[["订单编号", "会员ID", "下单时间", "实付金额", "门店", "渠道", "订单状态"]].reset_index(drop=True)
    spend = np.bincount(cust, weights=np.where(status == "已完成", amount, 0), minlength=offset)
    members = _members_frame(rng, days, first_day, home, member_ids, spend)
    return orders, members


def _members_frame(rng: np.random.Generator, days: pd.DatetimeIndex, first_day: np.ndarray, home: np.ndarray,
                   member_ids: np.ndarray, spend: np.ndarray) -> pd.DataFrame:
    """Return the member list: every buyer, plus sign-ups who never ordered (the 沉睡会员)."""
    n = len(member_ids)
    sleepers = int(n * 0.2)
    signup_day = np.concatenate([first_day, rng.integers(0, len(days), sleepers)])
    store = np.concatenate([home, rng.choice(7, sleepers)])
    opened = days[signup_day] >= pd.Timestamp(NEW_STORE_OPENS)
    store = np.where((store == 7) & ~opened, 0, store)
    ids = np.concatenate([member_ids, _member_ids(rng, n + sleepers)[n:]])
    spend = np.concatenate([spend, np.zeros(sleepers)])
    when = _sim.timestamps(days, signup_day, _sim.seconds_of_day(rng, n + sleepers, HOURS["堂食"]))
    how = rng.choice(["收银台扫码", "小程序授权", "团购核销", "外卖卡片"], n + sleepers, p=[0.55, 0.25, 0.12, 0.08])
    tier = np.select([spend >= 1500, spend >= 500], ["金卡", "银卡"], "普通会员")
    balance = np.where(tier == "普通会员", 0.0, np.round(rng.gamma(1.2, 120, n + sleepers), 1))
    birthday = [f"{m:02d}-{d:02d}" for m, d in zip(rng.integers(1, 13, n + sleepers), rng.integers(1, 29, n + sleepers))]
    frame = pd.DataFrame({"会员ID": ids, "手机号": _sim.mobile_numbers(rng, n + sleepers),
                          "注册时间": _sim.cn_datetime(when, seconds=False, sep="-", pad=True),
                          "注册门店": np.array(STORES, dtype=object)[store], "注册方式": how,
                          "会员等级": tier, "储值余额": _sim.yuan(balance), "生日": birthday, "t": when})
    return frame.sort_values("t", kind="stable").drop(columns="t").reset_index(drop=True)


def _member_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return ``n`` distinct 10-digit member card numbers starting with 6 (never phone-shaped)."""
    numbers = rng.choice(900_000_000, size=n, replace=False) + 6_000_000_000
    return np.array([str(x) for x in numbers], dtype=object)


def _add_flaws(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Return the export with the blemishes a POS export carries (counted by the reader)."""
    frame = frame.copy()
    done = np.flatnonzero((frame["订单状态"] == "已完成").to_numpy())
    picks = rng.choice(done, size=8, replace=False)
    frame.loc[frame.index[picks[:4]], "会员ID"] = ""            # guest paid without scanning the card
    frame.loc[frame.index[picks[4:6]], "实付金额"] = "待定"     # bill left open at closing time
    frame.loc[frame.index[picks[6:]], "实付金额"] = "-38.00"    # reversal booked as a negative bill
    dupes = frame.iloc[rng.choice(len(frame), size=2, replace=False)]
    return pd.concat([frame, dupes]).sort_values(["when", "store"], kind="stable")


#: The chain's activities: one chain-wide 团购券 push in March, then the 秋季会员日 playbook
#: copied to every store with the same per-store target (复制成功率 = stores that met it).
AUTUMN_TARGET = 11000


def campaigns_frame() -> pd.DataFrame:
    """Return the campaigns workbook as the chain's operations lead keeps it (one row per store for a copied playbook)."""
    rows: list[tuple[Any, ...]] = [("美团团购券冲量", "团购券", pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-15"), 18000, 140000,
             1500, 120000, None, None, None, None, None)]
    for store in STORES:
        short = store.removeprefix("老面记(").removesuffix(")")
        rows.append((f"秋季会员日·{short}", "会员日", pd.Timestamp("2026-09-07"), pd.Timestamp("2026-09-20"), 1500,
                     AUTUMN_TARGET, 60, 3000, 180, 120, 400, 30, store))
    frame = pd.DataFrame(rows, columns=["活动名称", "活动类型", "开始日期", "结束日期", "成本", "目标GMV", "目标新客数",
                                        "触达人数", "新增好友", "入群人数", "参与人数", "推荐人数", "门店"])
    for col in ("目标新客数", "触达人数", "新增好友", "入群人数", "参与人数", "推荐人数"):
        frame[col] = frame[col].astype("Int64")
    return frame


def files(scale: float = 1.0) -> dict[str, bytes]:
    """Return ``{path relative to the briefs folder: bytes}`` for this client's data files."""
    rng = np.random.default_rng(SEED)
    orders, members = simulate(rng, scale)
    return {f"data/{SLUG}/orders.csv": _sim.csv_bytes(orders, encoding="gbk", newline="\r\n"),
            f"data/{SLUG}/members.csv": _sim.csv_bytes(members, encoding="gbk", newline="\r\n"),
            f"data/{SLUG}/campaigns.xlsx": _sim.xlsx_bytes(campaigns_frame(), sheet="活动")}


def brief() -> dict:
    """Return the client's 需求澄清表 (no journey notes: the report uses the industry template's journey)."""
    return {
        "client": {
            "name": "老面记", "slug": SLUG, "industry": "餐饮", "category": "苏式汤面、浇头面与小吃",
            "format": "连锁", "store_count": len(STORES), "regions": ["上海", "苏州"],
            "revenue_band": "3000万–5000万", "online_share": 0.35, "respondent": "王建国",
            "respondent_role": "运营总监", "consultant": "林舟(私域诊断顾问)"},
        "goods": {
            "product_lines": [
                {"name": "招牌浇头面", "price_min": 28, "price_max": 48, "role": "复购", "gross_margin": 0.62},
                {"name": "双人/四人套餐(团购券)", "price_min": 39.9, "price_max": 158, "role": "引流",
                 "gross_margin": 0.45},
                {"name": "小吃与卤味", "price_min": 8, "price_max": 26, "role": "利润", "gross_margin": 0.7},
                {"name": "季节限定(秃黄油面、三虾面)", "price_min": 68, "price_max": 128, "role": "形象",
                 "gross_margin": 0.55}],
            "aov": 55, "gross_margin": 0.6, "repurchase_cycle_days": 7,
            "selling_points": ["每天现熬汤底", "浇头现炒", "出餐8分钟内"],
            "traffic_products": ["39.9元单人套餐", "79元双人套餐"],
            "profit_products": ["卤味拼盘", "酸梅汤"],
            "repurchase_products": ["焖肉面", "爆鳝面"]},
        "scene": {
            "channels": [
                {"name": "堂食", "share": 0.55, "kind": "线下", "monthly_reach": 60000},
                {"name": "外卖", "share": 0.25, "kind": "公域", "monthly_reach": 25000},
                {"name": "小程序点单", "share": 0.12, "kind": "私域", "monthly_reach": 8000},
                {"name": "团购券", "share": 0.08, "kind": "公域", "monthly_reach": 15000}],
            "public_platforms": ["美团", "大众点评", "饿了么", "抖音团购"],
            "stores": STORES},
        "people": {
            "persona": "门店周边写字楼白领(工作日午餐)和社区家庭(周末晚餐), 25–45岁",
            "purchase_logic": "离得近、出餐快、口味稳定; 外卖看评分和满减; 团购券用户对价格敏感",
            "decision_cycle_days": 1, "purchases_per_year": 20,
            "member_tiers": ["普通会员", "银卡(储值300)", "金卡(储值1000)"]},
        "assets": {
            "personal_wechat_accounts": 0, "wecom_accounts": 8, "friends": 6500, "groups": 16,
            "group_members": 5200, "official_account_followers": 23000, "mini_program": True,
            "moments_per_week": 5, "scrm_tool": "企业微信 + 有赞连锁"},
        "team": {
            "headcount": 11,
            "roles": [
                {"role": "总部私域运营经理", "count": 1, "kpi": "会员复购率、小程序点单占比"},
                {"role": "社群运营", "count": 1, "kpi": "福利群活跃率、会员日核销"},
                {"role": "内容与设计", "count": 1, "kpi": "新品海报、朋友圈内容"},
                {"role": "门店店长(兼管门店企微)", "count": 8, "kpi": "到店加粉数、储值卡销售"}],
            "kpis": ["月会员消费额", "新增会员数", "30天复购率", "团购券核销率"],
            "incentives": "店长按门店新增会员与储值金额提成",
            "gene": "流量"},
        "goals": {
            "gmv_target": 2400000, "new_customers_target": 8000, "repurchase_rate_target": 0.6,
            "timeline_months": 6, "budget": 150000,
            "tasks": ["结账时引导扫码入会加企微", "团购券用户二次到店转化", "会员日(每周三)固定活动",
                      "新店(虹桥天地)开业私域冷启动复盘"],
            "constraints": "门店高峰期人手紧, 加粉只能在结账时顺手完成; 不做短信群发"},
        "funnel": {"reachable": 60000, "invite_success": 0.08, "purchase_intent": 0.3, "referrers": 300},
        "competitors": [
            {"name": "邻街面馆", "strengths": "价格低、出餐更快", "notes": "没有会员体系"},
            {"name": "连锁快餐品牌", "strengths": "外卖满减力度大, 品牌知名度高",
             "notes": "小程序点单+会员积分成熟"},
            {"name": "商场简餐", "strengths": "环境好, 适合周末家庭", "notes": "客单价高约30%"}],
        "data": {"orders": f"data/{SLUG}/orders.csv", "customers": f"data/{SLUG}/members.csv",
                 "campaigns": f"data/{SLUG}/campaigns.xlsx", "as_of": "2026-11-01"},
        "notes": ("数据为合成演示数据。POS会员消费明细(GBK编码, 一行一单), 只含刷会员码的订单; "
                  "虹桥天地店2026-04-18开业; 2026年3月美团团购券活动; 2026年5月起每周三会员日。"
                  "客户说的客单价55元是人均消费, 数据中的每单金额需核实; 客户认为老顾客每周都来, 复购间隔需核实。"),
    }
