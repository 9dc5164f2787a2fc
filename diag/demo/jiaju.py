"""Demo client 木家软装: a home-furnishing brand (家居软装), XLSX export with English headers.

Story in the data (2024-11 → 2026-10): high-ticket, low-frequency orders from two
showrooms; the 家博会 exhibitions (March and August) bring bursts of new customers;
金九银十 (the autumn renovation season) is the busy time and 春节 the quiet one; a
first big item (sofa, full soft-furnishing plan) is followed months later by curtains,
rugs and lamps.  The 社群 channel grows after a community launch in spring 2025.  Fewer than one
household in ten buys again (≈8%, below the 家居软装 benchmark's middle) and the
average order (≈¥11,000) is below the benchmark's middle too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diag.demo import _sim

SLUG = "mujia-jiaju"
SEED = 20250920
START, END, BURN_IN = "2024-11-01", "2026-10-31", "2024-05-01"
FAIRS = [("2025-03-20", "2025-03-23"), ("2025-08-21", "2025-08-24"),
         ("2026-03-19", "2026-03-22"), ("2026-08-20", "2026-08-23")]

# product, category, price low, price high, weight as a first order, weight as a later order
PRODUCTS = [
    ("云朵布艺沙发 三人位", "沙发", 8800, 16800, 9, 2),
    ("头层牛皮沙发 L型", "沙发", 12800, 26800, 5, 1),
    ("乳胶独立弹簧床垫 1.8m", "床垫", 4800, 9800, 5, 3),
    ("北美黑胡桃实木床 1.8m", "床", 6800, 12800, 4, 1),
    ("岩板伸缩餐桌", "餐桌椅", 5800, 12800, 4, 2),
    ("实木软包餐椅 4把", "餐桌椅", 2400, 4800, 2, 3),
    ("全屋定制窗帘", "窗帘", 2000, 8000, 3, 8),
    ("手工羊毛地毯 2×3m", "地毯", 1800, 6500, 1, 6),
    ("意式极简客厅吊灯", "灯具", 1200, 5800, 1, 5),
    ("全屋软装搭配方案", "软装方案", 18000, 30000, 8, 0.5),
    ("60支长绒棉四件套", "床品", 899, 1899, 1, 5),
    ("艺术挂画 三联", "饰品", 680, 2600, 1, 4),
]
# Customer mix (renovating household, loyal / referrer, one-off), mean gaps in days and the
# renovating households' dropout Beta parameters: tuned so repurchase sits below the
# 家居软装 benchmark's middle (module docstring).
N_CUSTOMERS = 2000
SEGMENT_SHARES = [0.36, 0.04, 0.60]
RENOVATING_GAP, LOYAL_GAP = 360.0, 300.0
RENOVATING_DROPOUT = (6, 2)
CHANNELS = ["样板间面销", "展会", "社群", "小程序"]
HOURS = [0, 0, 0, 0, 0, 0, 0, 0, 0.2, 1, 4, 6, 5, 4, 6, 7, 7, 5, 3, 3, 2, 1.5, 0.5, 0.1]


def _calendar(days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (intensity, arrival weight, fair-day mask) over ``days``."""
    fair = np.zeros(len(days), dtype=bool)
    for lo, hi in FAIRS:
        fair |= (days >= pd.Timestamp(lo)) & (days <= pd.Timestamp(hi))
    month = days.month.to_numpy()
    season = np.select([np.isin(month, [9, 10]), month == 2, np.isin(month, [7, 8])], [1.5, 0.45, 0.8], 1.0)
    season = season * (1 + _sim.bump(days, "2025-11-11", 4, 0.8) + _sim.bump(days, "2026-11-11", 4, 0.8))
    arrivals = season * _sim.ramp(days, 0.9, 1.3) * np.where(fair, 18.0, 1.0)
    return season, arrivals, fair


def orders_frame(rng: np.random.Generator, scale: float = 1.0) -> pd.DataFrame:
    """Return the order export (one row per order; Excel cells as a spreadsheet user leaves them)."""
    days = _sim.day_index(BURN_IN, END)
    intensity, arrivals, fair = _calendar(days)
    n = max(int(N_CUSTOMERS * scale), 30)
    # Most households buy one big item and are never heard from again; a minority come back
    # months later for curtains or a rug, a few owners keep furnishing (and referring).
    kind = rng.choice(3, size=n, p=SEGMENT_SHARES)  # renovating household, loyal / referrer, one-off
    gap_mean = np.select([kind == 0, kind == 1], [rng.gamma(4, RENOVATING_GAP / 4, n), rng.gamma(4, LOYAL_GAP / 4, n)],
                         rng.gamma(2, RENOVATING_GAP / 2, n))
    dropout = np.select([kind == 0, kind == 1], [rng.beta(*RENOVATING_DROPOUT, n), rng.beta(2, 6, n)],
                        rng.beta(19, 1, n))
    events = _sim.simulate_purchases(rng, n_customers=n, arrival_weight=arrivals, intensity=intensity,
                                     gap_mean=gap_mean, gap_shape=3.0, dropout=dropout, max_purchases=12)
    events = events.sort_values(["customer", "day"], kind="stable")
    events["nth"] = events.groupby("customer").cumcount()
    events = events[days[events["day"]] >= pd.Timestamp(START)]
    events = events.sort_values(["day", "customer"], kind="stable").reset_index(drop=True)

    ids = _sim.wechat_ids(rng, n, wxid_share=0.55)
    phones = _sim.mobile_numbers(rng, n)
    ids = np.where(rng.random(n) < 0.15, phones, ids)

    cust, day, nth = (events[c].to_numpy() for c in ("customer", "day", "nth"))
    m = len(events)
    first_w = np.array([p[4] for p in PRODUCTS], dtype=float)
    later_w = np.array([p[5] for p in PRODUCTS], dtype=float)
    product = np.where(nth == 0, rng.choice(len(PRODUCTS), m, p=first_w / first_w.sum()),
                       rng.choice(len(PRODUCTS), m, p=later_w / later_w.sum()))
    lo = np.array([p[2] for p in PRODUCTS], dtype=float)[product]
    hi = np.array([p[3] for p in PRODUCTS], dtype=float)[product]
    amount = np.round(lo + (hi - lo) * rng.beta(2, 3, m), -1) - rng.choice([0, 0, 20, 120], m)

    t = np.clip((days[day] - pd.Timestamp("2025-04-01")).days.to_numpy() / 400, 0, 1)
    mix = np.column_stack([0.62 - 0.15 * t, np.full(m, 0.0), 0.08 + 0.22 * t, np.full(m, 0.2)])
    mix = mix / mix.sum(axis=1, keepdims=True)
    channel = (rng.random(m)[:, None] < np.cumsum(mix, axis=1)).argmax(axis=1)
    channel = np.where(fair[day] & (rng.random(m) < 0.85), 1, channel)
    when = _sim.timestamps(days, day, _sim.seconds_of_day(rng, m, HOURS))
    u = rng.random(m)
    status = np.select([u < 0.035, u < 0.055], ["已取消", "已退款"], "已完成")

    frame = pd.DataFrame({
        "when": when, "customer": ids[cust], "amount": amount.astype(object),
        "channel": np.array(CHANNELS, dtype=object)[channel],
        "product": np.array([p[0] for p in PRODUCTS], dtype=object)[product],
        "category": np.array([p[1] for p in PRODUCTS], dtype=object)[product], "status": status})
    seq = frame.groupby(frame["when"].dt.date).cumcount() + 1
    frame["order_id"] = [f"MJ{w:%Y%m%d}{q:03d}" for w, q in zip(frame["when"], seq)]
    # Excel users type some dates as text; the rest are real date cells.
    as_text = rng.random(m) < 0.03
    frame["date"] = [f"{w:%Y-%m-%d}" if txt else w.to_pydatetime().replace(second=0)
                     for w, txt in zip(frame["when"], as_text)]
    frame = _add_flaws(rng, frame)
    return frame[["order_id", "customer", "date", "amount", "channel", "product", "category", "status"]]


def _add_flaws(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Return the sheet with the blemishes a hand-kept spreadsheet carries."""
    frame = frame.copy()
    done = np.flatnonzero((frame["status"] == "已完成").to_numpy())
    picks = rng.choice(done, size=5, replace=False)
    frame.loc[frame.index[picks[:2]], "customer"] = None          # walk-in, no contact left
    frame.loc[frame.index[picks[2:4]], "amount"] = "待定"         # price still being negotiated
    frame.loc[frame.index[picks[4]], "amount"] = -2000.0          # deposit returned, booked negative
    return frame.reset_index(drop=True)


def files(scale: float = 1.0) -> dict[str, bytes]:
    """Return ``{path relative to the briefs folder: bytes}`` for this client's data files."""
    rng = np.random.default_rng(SEED)
    return {f"data/{SLUG}/orders.xlsx": _sim.xlsx_bytes(orders_frame(rng, scale), sheet="订单")}


def brief() -> dict:
    """Return the client's 需求澄清表 as plain data (stated figures differ from the data on purpose)."""
    return {
        "client": {
            "name": "木家软装", "slug": SLUG, "industry": "家居软装", "category": "沙发、床垫、窗帘与全屋软装方案",
            "format": "品牌", "store_count": 2, "regions": ["上海", "杭州", "苏州"],
            "revenue_band": "800万–1000万", "online_share": 0.3, "respondent": "沈木然",
            "respondent_role": "品牌合伙人", "consultant": "周宁(私域诊断顾问)"},
        "goods": {
            "product_lines": [
                {"name": "沙发", "price_min": 8800, "price_max": 26800, "role": "利润", "gross_margin": 0.45},
                {"name": "床与床垫", "price_min": 4800, "price_max": 12800, "role": "利润", "gross_margin": 0.5},
                {"name": "餐桌椅", "price_min": 2400, "price_max": 12800, "role": "利润", "gross_margin": 0.4},
                {"name": "定制窗帘", "price_min": 2000, "price_max": 8000, "role": "复购", "gross_margin": 0.55},
                {"name": "地毯、灯具、饰品与床品", "price_min": 680, "price_max": 6500, "role": "引流",
                 "gross_margin": 0.6},
                {"name": "全屋软装搭配方案", "price_min": 18000, "price_max": 30000, "role": "形象",
                 "gross_margin": 0.35}],
            "aov": 15000, "gross_margin": 0.46, "repurchase_cycle_days": 365,
            "selling_points": ["设计师上门量房出方案", "样板间实景体验", "一站式软装, 30天交付"],
            "traffic_products": ["60支长绒棉四件套", "艺术挂画 三联"],
            "profit_products": ["云朵布艺沙发 三人位", "乳胶独立弹簧床垫 1.8m"],
            "repurchase_products": ["全屋定制窗帘", "手工羊毛地毯 2×3m"]},
        "scene": {
            "channels": [
                {"name": "样板间面销", "share": 0.55, "kind": "线下", "monthly_reach": 1200},
                {"name": "展会", "share": 0.15, "kind": "线下", "monthly_reach": 1500},
                {"name": "社群", "share": 0.15, "kind": "私域", "monthly_reach": 620},
                {"name": "小程序", "share": 0.15, "kind": "私域", "monthly_reach": 4000}],
            "public_platforms": ["小红书", "抖音", "大众点评"],
            "stores": ["上海徐汇样板间", "杭州滨江样板间"], "monthly_parcels": 90},
        "people": {
            "persona": "新房交付或二次装修的家庭, 30–45岁, 重视设计感和环保材质",
            "purchase_logic": "先在小红书找风格, 到样板间看实物和方案, 全家商量后付定金; 大件带动窗帘、地毯等配套",
            "decision_cycle_days": 45, "purchases_per_year": 0.6,
            "member_tiers": ["意向客户", "成交业主", "VIP业主(累计≥5万)"]},
        "assets": {
            "personal_wechat_accounts": 6, "wecom_accounts": 2, "friends": 7800, "groups": 6,
            "group_members": 620, "official_account_followers": 4100, "mini_program": True,
            "moments_per_week": 14, "scrm_tool": "无(Excel记录客户)"},
        "team": {
            "headcount": 9,
            "roles": [
                {"role": "设计顾问", "count": 6, "kpi": "到店量、成交额"},
                {"role": "社群运营", "count": 1, "kpi": "业主群活跃、转介绍数"},
                {"role": "内容(小红书/朋友圈)", "count": 1, "kpi": "笔记数、私信留资"},
                {"role": "店长", "count": 1, "kpi": "门店业绩"}],
            "kpis": ["月成交额", "到店转化率", "老带新成交数"],
            "incentives": "设计顾问底薪+成交额3%提成; 老客转介绍成交送保养服务",
            "gene": "运营"},
        "goals": {
            "gmv_target": 12000000, "new_customers_target": 900, "repurchase_rate_target": 0.3,
            "timeline_months": 12, "budget": 300000,
            "tasks": ["新楼盘交付业主社群引流", "成交业主配套品(窗帘/地毯)复购", "老带新奖励机制",
                      "展会留资7天内跟进SOP"],
            "constraints": "客户微信号和手机号只在顾问手机里, 需统一到企业微信; 展会名单须客户同意后使用"},
        "funnel": {"reachable": 5000, "invite_success": 0.1, "purchase_intent": 0.04, "referrers": 85},
        "competitors": [
            {"name": "大型家居卖场", "strengths": "品类全、可一站购齐", "notes": "服务标准化, 设计弱"},
            {"name": "本地设计工作室", "strengths": "设计个性化", "notes": "交付慢, 价格高"},
            {"name": "电商家居旗舰店", "strengths": "价格透明、促销多", "notes": "无法体验实物, 售后远"}],
        "data": {"orders": f"data/{SLUG}/orders.xlsx",
                 "columns": {"customer_id": "customer", "paid_at": "date"}, "as_of": "2026-11-01"},
        "journey": [
            {"stage": "认知", "touchpoints": ["小红书", "楼盘交付现场", "家博会"], "actions": ["收藏风格案例"],
             "thoughts": ["这种风格我家放得下吗?"], "emotion": "好奇", "score": 1,
             "pain_points": ["只看图不知道实物质感"], "opportunities": ["小红书笔记引导预约样板间"]},
            {"stage": "考虑", "touchpoints": ["样板间", "设计顾问微信"], "actions": ["量房", "比较方案与报价"],
             "thoughts": ["预算会不会超?", "家人意见不一"], "emotion": "焦虑", "score": -1,
             "pain_points": ["决策周期长, 顾问跟进断档", "展会留资后一周没人联系"],
             "opportunities": ["展会留资24小时内回访", "方案对比清单给全家看"]},
            {"stage": "首购", "touchpoints": ["样板间", "小程序定金"], "actions": ["付定金", "确认交期"],
             "emotion": "期待", "score": 1, "pain_points": ["交付周期30天等待焦虑"],
             "opportunities": ["生产进度照片每周推送"]},
            {"stage": "使用", "touchpoints": ["上门安装", "业主群"], "actions": ["安装验收", "晒新家"],
             "emotion": "满意", "score": 2, "pain_points": ["售后找不到对接人"],
             "opportunities": ["安装后7天回访并邀请进业主群"]},
            {"stage": "复购", "touchpoints": ["业主群", "设计顾问朋友圈"], "actions": ["补买窗帘、地毯、灯具"],
             "emotion": "平淡", "score": 0, "pain_points": ["不知道还有配套品"],
             "opportunities": ["成交后30/60天推荐配套搭配方案"]},
            {"stage": "推荐", "touchpoints": ["业主群", "朋友圈"], "actions": ["介绍邻居和朋友"],
             "emotion": "惊喜", "score": 1, "pain_points": ["转介绍没有明确奖励"],
             "opportunities": ["老带新双方得保养服务或抵用券"]}],
        "notes": ("数据为合成演示数据。订单表由设计顾问在Excel里手工维护(一行一单, 英文表头), "
                  "客户列多为微信号; 客户自述客单价约1.5万(按项目算)、复购约一年一次, 需用数据核实。"
                  "家博会在每年3月和8月。"),
    }
