"""The 需求澄清表 catalogue: labels, help and examples for every brief field (zh + en).

This is data, kept in one place: the workbook (:mod:`diag.intake.workbook`), the completeness
score and the follow-up questions (:mod:`diag.brief.gaps`) and the JupyterLab form
(:mod:`diag.intake.widgets`) all read it.  The field list itself comes from the
:class:`~diag.brief.model.Brief` model; a test checks that every model field has an entry
here and that every entry names a model field, so the form cannot drift from the brief.

Each entry: ``path: (zh label, en label, zh help, en help, example)``.  The example
is shown in both languages (numbers and Chinese names read the same to both).
"""

from __future__ import annotations

FIELDS: dict[str, tuple[str, str, str, str, str]] = {
    # -- 企业概况 / business ------------------------------------------------------------
    "client.name": ("客户名称", "Client name", "品牌或公司的对外名称（必填）",
                    "Brand or company name (required)", "小熊母婴"),
    "client.slug": ("文件名代号", "File slug", "报告文件夹名，可留空（顾问填写）",
                    "Folder name for reports; may stay empty (consultant)", "xiaoxiong"),
    "client.industry": ("所属行业", "Industry", "从下拉列表选择最接近的行业（必填）",
                        "Pick the closest industry from the list (required)", "母婴"),
    "client.category": ("主营品类", "Main category", "主要卖什么", "What you mainly sell",
                         "婴童用品、奶粉"),
    "client.format": ("经营形态", "Business format", "单店 / 连锁 / 电商 / 品牌，从下拉列表选择",
                      "single store / chain / e-commerce / brand", "连锁"),
    "client.store_count": ("门店数量", "Store count", "线下门店家数，没有填 0",
                           "Number of physical stores (0 if none)", "12"),
    "client.regions": ("经营区域", "Regions", "城市或省份，多个用顿号、分隔",
                       "Cities or provinces, separated by 、 or commas", "杭州、宁波"),
    "client.revenue_band": ("年营收区间", "Annual revenue band", "大致区间即可",
                            "A rough band is enough", "1000万-3000万"),
    "client.online_share": ("线上销售占比", "Online share of sales", "线上销售额占全部销售额的比例",
                            "Online sales as a share of all sales", "30%"),
    "client.respondent": ("填表人", "Respondent", "填写本表的人", "Who fills in this form", "王店长"),
    "client.respondent_role": ("填表人职务", "Respondent role", "", "", "运营总监"),
    "client.consultant": ("负责顾问", "Consultant", "顾问填写", "Filled in by the consultant", "李顾问"),
    # -- 货品 / goods ---------------------------------------------------------------------
    "goods.product_lines": ("产品线", "Product lines", "见「产品线」表", "See the product-lines sheet", ""),
    "goods.product_lines.name": ("产品线名称", "Line name", "每行一条产品线", "One product line per row",
                                 "婴儿纸尿裤"),
    "goods.product_lines.price_min": ("最低价（元）", "Lowest price (¥)", "", "", "59"),
    "goods.product_lines.price_max": ("最高价（元）", "Highest price (¥)", "", "", "129"),
    "goods.product_lines.role": ("产品角色", "Product role", "引流 / 利润 / 复购 / 形象",
                                 "traffic / profit / repurchase / image", "复购"),
    "goods.product_lines.gross_margin": ("毛利率", "Gross margin", "如 35%", "e.g. 35%", "35%"),
    "goods.aov": ("客单价（元）", "Average order value (¥)", "平均每笔订单的实付金额",
                  "Average amount paid per order", "168"),
    "goods.gross_margin": ("整体毛利率", "Overall gross margin", "", "", "40%"),
    "goods.repurchase_cycle_days": ("复购周期（天）", "Repurchase cycle (days)",
                                    "老客两次购买之间一般隔多少天", "Usual days between two purchases",
                                    "30"),
    "goods.selling_points": ("核心卖点", "Selling points", "多个用顿号、分隔", "Separate with 、 or commas",
                             "进口原料、到店试用"),
    "goods.traffic_products": ("引流款", "Traffic products", "价格低、适合拉新的商品",
                               "Low-price items that bring new customers", "9.9元试用装"),
    "goods.profit_products": ("利润款", "Profit products", "毛利高的商品", "High-margin items", "有机奶粉"),
    "goods.repurchase_products": ("复购款", "Repurchase products", "老客反复购买的商品",
                                  "Items customers buy again and again", "纸尿裤"),
    "goods.margins": ("分品类毛利率", "Margin by category", "格式：品类: 毛利率，多个用；分隔",
                      "Format: category: margin; separate pairs with ;", "奶粉: 25%；纸尿裤: 30%"),
    # -- 渠道与场景 / scene ---------------------------------------------------------------
    "scene.channels": ("销售渠道", "Sales channels", "见「销售渠道」表", "See the channels sheet", ""),
    "scene.channels.name": ("渠道名称", "Channel", "每行一个渠道", "One channel per row", "门店"),
    "scene.channels.share": ("销售占比", "Share of sales", "如 60%", "e.g. 60%", "60%"),
    "scene.channels.kind": ("渠道类型", "Channel type", "公域 / 私域 / 线下", "public / private / offline",
                            "线下"),
    "scene.channels.monthly_reach": ("月触达人数", "Monthly reach", "每月能接触到的顾客人数",
                                     "Customers reached per month", "8000"),
    "scene.public_platforms": ("在用公域平台", "Public platforms", "抖音、小红书、美团等",
                               "Douyin, Xiaohongshu, Meituan …", "抖音、美团"),
    "scene.stores": ("门店清单", "Stores", "门店名称，多个用顿号、分隔", "Store names, separated by 、",
                     "西湖店、滨江店"),
    "scene.monthly_parcels": ("月发货包裹量", "Monthly parcels", "每月寄出的快递包裹数（用于评估包裹卡）",
                              "Parcels shipped per month (sizes the package-card idea)", "3000"),
    # -- 用户 / people --------------------------------------------------------------------
    "people.persona": ("用户画像", "Persona", "主要顾客是谁：年龄、身份、需求",
                       "Who buys: age, role, needs", "25-35岁新手妈妈"),
    "people.purchase_logic": ("购买逻辑", "Purchase logic", "顾客为什么买、怎么决定",
                              "Why and how customers decide", "看口碑，重安全"),
    "people.decision_cycle_days": ("决策周期（天）", "Decision cycle (days)", "从了解到下单大约多少天",
                                   "Days from first contact to purchase", "7"),
    "people.purchases_per_year": ("年购买次数", "Purchases per year", "一位老客一年大约买几次",
                                  "How often a regular buys per year", "8"),
    "people.member_tiers": ("会员等级", "Member tiers", "多个用顿号、分隔", "Separate with 、",
                            "普通、银卡、金卡"),
    # -- 私域资产 / assets ----------------------------------------------------------------
    "assets.personal_wechat_accounts": ("个人微信号数量", "Personal WeChat accounts", "", "", "3"),
    "assets.wecom_accounts": ("企业微信账号数量", "WeCom accounts", "", "", "10"),
    "assets.friends": ("微信好友总数", "WeChat friends", "所有账号的好友合计", "Friends over all accounts",
                       "约5000人"),
    "assets.groups": ("社群数量", "Groups", "微信群 / 企微群个数", "Number of WeChat / WeCom groups", "12"),
    "assets.group_members": ("社群总人数", "Group members", "所有群的成员合计", "Members over all groups",
                             "3000"),
    "assets.official_account_followers": ("公众号粉丝数", "Official account followers", "", "", "1.2w"),
    "assets.mini_program": ("是否有小程序商城", "Mini-program mall", "是 / 否", "yes / no", "是"),
    "assets.moments_per_week": ("朋友圈每周条数", "Moments posts per week", "", "", "7"),
    "assets.scrm_tool": ("在用SCRM工具", "SCRM tool", "如 企微助手、微伴", "e.g. WeiBan", "微伴助手"),
    # -- 团队 / team ----------------------------------------------------------------------
    "team.headcount": ("私域团队人数", "Team headcount", "做私域运营的人数", "People working on private domain",
                       "3"),
    "team.roles": ("岗位", "Roles", "见「团队角色」表", "See the roles sheet", ""),
    "team.roles.role": ("岗位名称", "Role", "每行一个岗位", "One role per row", "社群运营"),
    "team.roles.count": ("人数", "Count", "", "", "2"),
    "team.roles.kpi": ("考核指标", "KPI", "", "", "社群GMV"),
    "team.kpis": ("团队考核指标", "Team KPIs", "多个用顿号、分隔", "Separate with 、", "加粉数、复购率"),
    "team.incentives": ("激励方式", "Incentives", "提成、奖金池等", "Commission, bonus pool …", "底薪+提成"),
    "team.gene": ("团队基因", "Team gene", "团队最擅长：流量 / 增长 / 运营", "What the team is best at",
                  "运营"),
    "team.hourly_cost": ("人力时薪（元/小时）", "Hourly staff cost (¥)", "含社保的人力成本，用于测算行动成本",
                         "Loaded cost per staff hour, for costing actions", "60"),
    # -- 目标与约束 / goals -----------------------------------------------------------------
    "goals.gmv_target": ("GMV目标（元）", "GMV target (¥)", "私域目标销售额", "Private-domain sales target",
                         "500万"),
    "goals.new_customers_target": ("拉新目标（人）", "New customers target", "", "", "2000"),
    "goals.repurchase_rate_target": ("复购率目标", "Repurchase rate target", "", "", "35%"),
    "goals.timeline_months": ("目标周期（月）", "Timeline (months)", "", "", "6"),
    "goals.budget": ("预算（元）", "Budget (¥)", "", "", "20万"),
    "goals.tasks": ("具体任务", "Tasks", "希望顾问帮忙完成的事，多个用顿号、分隔",
                    "What you want done, separated by 、", "搭建社群SOP、设计包裹卡"),
    "goals.constraints": ("限制条件", "Constraints", "预算、人力、合规等限制", "Budget, staff, compliance …",
                          "不能打扰老客"),
    "funnel.reachable": ("可触达人数", "Reachable people", "目前能直接联系到的顾客总数",
                         "Customers you can reach directly today", "5000"),
    "funnel.invite_success": ("邀约成功率", "Invite success", "邀请入群 / 加好友的成功比例",
                              "Share of invitations accepted", "10%"),
    "funnel.purchase_intent": ("付费意向率", "Purchase intent", "入群后愿意购买的比例",
                               "Share of members willing to buy", "4%"),
    "funnel.referrers": ("老带新人数", "Referrers", "带来过新顾客的老顾客人数",
                         "Customers who brought a new customer", "120"),
    # -- 竞品 / competitors --------------------------------------------------------------
    "competitors": ("竞品", "Competitors", "见「竞品」表", "See the competitors sheet", ""),
    "competitors.name": ("竞品名称", "Competitor", "每行一个竞品", "One competitor per row", "贝贝母婴"),
    "competitors.strengths": ("竞品优势", "Strengths", "", "", "社群活跃"),
    "competitors.notes": ("备注", "Notes", "", "", "价格低10%"),
    # -- 数据文件 / data files -----------------------------------------------------------
    "data.orders": ("订单文件", "Orders file", "订单导出文件名（与本表放在同一文件夹）",
                    "Order export file name (same folder as this form)", "orders.csv"),
    "data.columns": ("列名对照", "Column names", "非标准表头时填写，格式：字段=表头；多个用；分隔",
                     "Only for unusual headers: field=header; separate with ;", "amount=实收金额"),
    "data.platform": ("订单导出平台", "Order export platform", "可留空，自动识别；如 taobao_orders、douyin、meituan_pos",
                      "May stay empty (detected); e.g. taobao_orders, douyin, meituan_pos", "youzan_goods"),
    "data.wecom_contacts": ("企微联系客户统计", "WeCom contact statistics", "文件名", "File name",
                            "wecom_contacts.csv"),
    "data.wecom_groups": ("企微群聊统计", "WeCom group statistics", "文件名", "File name",
                          "wecom_groups.csv"),
    "data.customers": ("会员文件", "Members file", "文件名", "File name", "members.xlsx"),
    "data.campaigns": ("活动文件", "Campaigns file", "活动名称、类型、起止日期、成本、目标GMV，一行一个活动",
                       "One row per campaign: name, type, dates, cost, target GMV", "campaigns.csv"),
    "data.as_of": ("数据截止日", "Data as of", "格式 2024-06-30，可留空", "YYYY-MM-DD, may stay empty",
                   "2024-06-30"),
    # -- 旅程访谈 / journey --------------------------------------------------------------
    "journey": ("用户旅程访谈", "Journey interviews", "见「旅程访谈」表", "See the journey sheet", ""),
    "journey.stage": ("阶段", "Stage", "认知 / 考虑 / 首购 / 使用 / 复购 / 推荐",
                      "awareness … referral (use the list)", "认知"),
    "journey.touchpoints": ("触点", "Touchpoints", "顾客在哪里接触到品牌，多个用顿号、分隔",
                            "Where customers meet the brand", "小红书、朋友推荐"),
    "journey.actions": ("行为", "Actions", "顾客做了什么", "What customers do", "搜索口碑"),
    "journey.thoughts": ("想法", "Thoughts", "顾客心里在想什么", "What customers think", "安全吗？"),
    "journey.emotion": ("情绪", "Emotion", "好奇 / 期待 / 惊喜 / 满意 / 平淡 / 无聊 / 犹豫 / 焦虑 / 负面",
                        "pick from the list", "好奇"),
    "journey.score": ("情绪分", "Emotion score", "-2（很差）到 2（很好）", "-2 (bad) to 2 (great)", "1"),
    "journey.pain_points": ("痛点", "Pain points", "", "", "不知道选哪款"),
    "journey.opportunities": ("机会点", "Opportunities", "", "", "导购一对一推荐"),
    "notes": ("其他补充", "Other notes", "任何想让顾问知道的情况", "Anything else the consultant should know",
              ""),
}

#: Sheets of the workbook in order: key, zh title, en title, what it holds.
#: ``fields`` sheets hold one field per row (all fields under the listed prefixes,
#: except list-of-record fields); ``table`` sheets hold one record per row.
SHEETS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("client", "企业概况", "Business", "fields", ("client", "notes")),
    ("goods", "货品", "Goods", "fields", ("goods",)),
    ("product_lines", "产品线", "Product lines", "table", ("goods.product_lines",)),
    ("scene", "渠道与场景", "Scene", "fields", ("scene",)),
    ("channels", "销售渠道", "Channels", "table", ("scene.channels",)),
    ("people", "用户", "People", "fields", ("people",)),
    ("assets", "私域资产", "Private-domain assets", "fields", ("assets",)),
    ("team", "团队", "Team", "fields", ("team",)),
    ("roles", "团队角色", "Roles", "table", ("team.roles",)),
    ("goals", "目标与约束", "Goals", "fields", ("goals", "funnel")),
    ("competitors", "竞品", "Competitors", "table", ("competitors",)),
    ("data", "数据文件", "Data files", "fields", ("data",)),
    ("journey", "旅程访谈", "Journey", "table", ("journey",)),
)

#: Completeness sections (the 需求澄清表's parts) and their Chinese names.
SECTIONS: dict[str, str] = {
    "client": "企业概况", "goods": "货品", "scene": "渠道与场景", "people": "用户",
    "assets": "私域资产", "team": "团队", "goals": "目标与约束", "competitors": "竞品",
    "data": "数据文件", "journey": "旅程访谈",
}

#: Fields left out of the completeness score: settings, not answers.
NOT_SCORED = frozenset({"client.slug", "client.consultant", "data.columns", "data.platform", "data.as_of",
                        "data.campaigns", "notes", "funnel.referrers", "goods.margins", "team.hourly_cost"})

#: English names of enumeration values (the brief always stores the Chinese value).
ENUM_EN: dict[str, str] = {
    "单店": "single store", "连锁": "chain", "电商": "e-commerce", "品牌": "brand",
    "流量": "traffic", "增长": "growth", "运营": "operations",
    "引流": "traffic", "利润": "profit", "复购": "repurchase", "形象": "image",
    "公域": "public", "私域": "private", "线下": "offline",
    "认知": "awareness", "考虑": "consideration", "首购": "first purchase", "使用": "use",
    "推荐": "referral",
    "好奇": "curious", "期待": "expectant", "惊喜": "delighted", "满意": "satisfied",
    "平淡": "indifferent", "无聊": "bored", "犹豫": "hesitant", "焦虑": "anxious", "负面": "negative",
}

#: Instructions on the first sheet.
INSTRUCTIONS = {
    "zh": [
        "需求澄清表 — 填写说明",
        "1. 每个工作表对应一个主题，请在黄色单元格中填写；灰色文字是说明和示例，不用修改。",
        "2. 带下拉箭头的单元格请从列表中选择。",
        "3. 数字可以直接写「约5000人」「3万」「30%」，我们会自动识别；区间（如 100-200）请尽量写一个数。",
        "4. 多个答案用顿号「、」分隔；表格类工作表（产品线、渠道、竞品等）每行填一条，可以继续往下加行。",
        "5. 不知道的可以留空，顾问会在沟通时再确认。",
        "6. 手机号、微信号等个人信息请不要填写在本表中。",
    ],
    "en": [
        "Requirement clarification form — how to fill it in",
        "1. Each sheet covers one topic; type your answers into the yellow cells. Grey text is help.",
        "2. Cells with a drop-down arrow take a value from the list.",
        "3. Numbers may be written as you say them ('about 5000', '3万', '30%'); please give one number "
        "rather than a range.",
        "4. Separate several answers with commas; table sheets take one item per row — add rows as needed.",
        "5. Leave blank what you do not know; the consultant will ask.",
        "6. Do not enter personal data such as phone numbers or WeChat IDs.",
    ],
}
