"""The industry template's schema: every field, its type and its checks (pydantic).

:mod:`diag.industries.registry` finds, loads and validates template files against
:class:`IndustryTemplate`; docs/templates.md describes each field for a consultant.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from diag.catalog import label

#: The measured-metric vocabulary (common brief, interface 2) a template may benchmark, with
#: the catalogue's Chinese labels (:mod:`diag.catalog`).
METRICS: dict[str, str] = {key: label(key) for key in (
    "aov", "orders_per_customer", "purchase_days_per_customer", "repurchase_rate", "repurchase_rate_90d",
    "median_repurchase_days", "group_active_share", "member_activity", "group_conversion",
    "friend_accept_rate", "add_rate", "reply_rate", "avg_reply_minutes", "deletion_rate",
    "net_member_growth", "k_factor")}
STORE_TYPES = ("刚需高频", "刚需低频", "小众需求")
AREAS = ("引流", "留存", "转化", "复购", "裂变", "复制")
STATUSES = ("低于", "达标", "高于", "无数据")
SOP_PHASES = ("引流", "起群", "促活", "转化", "长期运营")
GENES = ("流量", "增长", "运营")
#: The source of a figure with no published origin; printed as-is in the client's report, so Chinese.
ESTIMATE = "行业经验估计（可编辑）"

# Literals of the vocabularies above: pydantic reads a Literal built at run time, mypy cannot
# (valid-type), hence the ignores where they are defined and first used.
Metric = Literal[tuple(METRICS)]  # type: ignore[valid-type]
Level = Literal["高", "低"]
Confidence = Literal["高", "中", "低"]
Effort = Literal["低", "中", "高"]
Area = Literal[AREAS]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Gene = Literal[GENES]  # type: ignore[valid-type]
Share = Annotated[float, Field(ge=0, le=1)]
Range = Annotated[list[Annotated[float, Field(ge=0)]], Field(min_length=2, max_length=2)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Translated(_Model):
    """An item whose texts may carry an English twin: ``en: {field: text}`` for the English report.

    Only the texts a report shows are twinned, never the names other items refer to
    (roles, phases, areas stay as they are and are worded by the message catalogues).
    """

    en: dict[str, str | list[str]] | None = None

    @model_validator(mode="after")
    def _en_fields(self) -> "_Translated":
        for name, value in (self.en or {}).items():
            own = getattr(self, name, None) if name != "en" else None
            if not isinstance(own, (str, list)) or isinstance(own, list) != isinstance(value, list):
                raise ValueError(f"en.{name}: expected the English twin of a text field of this item")
        return self


def _ordered(pair: list[float], name: str) -> list[float]:
    if pair[0] > pair[1]:
        raise ValueError(f"expected [low, high] with low ≤ high for {name}, got {pair}")
    return pair


#: (aov_level, frequency_level) → store type, the rule of :func:`diag.industries.quadrant.quadrant`:
#: high frequency is 刚需高频 whatever the value; low frequency is 刚需低频 when the value
#: is high, else 小众需求.
QUADRANT_STORE_TYPES: dict[tuple[str, str], str] = {
    ("高", "高"): "刚需高频", ("低", "高"): "刚需高频", ("高", "低"): "刚需低频", ("低", "低"): "小众需求"}


class Quadrant(_Translated):
    """AOV × frequency quadrant; split points ¥5,000 AOV and one purchase a year."""

    aov_level: Level
    frequency_level: Level
    store_type: Literal[STORE_TYPES]  # type: ignore[valid-type]
    note: str = ""
    # Optional split points for diag.industries.quadrant.quadrant (defaults: ¥5,000 a year, 1 purchase a year).
    frequency_split: Annotated[float, Field(gt=0)] | None = None
    spend_split: Annotated[float, Field(gt=0)] | None = None
    aov_split: Annotated[float, Field(gt=0)] | None = None
    #: Where the split points come from (printed next to the quadrant).
    split_source: str = ""

    @field_validator("store_type")
    @classmethod
    def _agrees_with_levels(cls, value: str, info: ValidationInfo) -> str:
        levels = (info.data.get("aov_level"), info.data.get("frequency_level"))
        expected = QUADRANT_STORE_TYPES.get(levels)  # type: ignore[arg-type]
        if expected is not None and value != expected:
            raise ValueError(f"expected {expected} for aov_level {levels[0]} × frequency_level {levels[1]} "
                             f"(as diag.industries.quadrant.quadrant places it: high frequency → 刚需高频; low frequency → "
                             f"刚需低频 with a high value, else 小众需求), got {value}")
        return value


class Typical(_Model):
    aov: Range
    repurchase_cycle_days: Range
    purchases_per_year: Range
    source: str = ESTIMATE

    @model_validator(mode="after")
    def _check(self) -> "Typical":
        for name in ("aov", "repurchase_cycle_days", "purchases_per_year"):
            _ordered(getattr(self, name), name)
        return self


class Benchmark(_Model):
    low: float
    high: float
    unit: Literal["share", "yuan", "days", "count", "minutes"]
    source: str
    confidence: Confidence
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> "Benchmark":
        _ordered([self.low, self.high], "the range")
        if self.unit == "share" and not (0 <= self.low and self.high <= 1):
            raise ValueError(f"expected shares between 0 and 1, got [{self.low}, {self.high}]")
        return self


class JourneyStage(_Model):
    stage: str
    phase: Literal["购前", "购中", "购后"]
    touchpoints: list[str] = []
    actions: list[str] = []
    emotion: str
    score: Annotated[int, Field(ge=-2, le=2)]
    pain_points: list[str] = []
    opportunities: list[str] = []


class Pool(_Model):
    name: str
    kind: Literal["公域", "私域", "线下", "异业"]
    note: str = ""


class Method(_Model):
    name: str
    pools: list[str] = []
    how: str
    expected_add_rate: Share | None = None
    cost: Effort
    source: str = ESTIMATE
    confidence: Confidence = "低"


class Acquisition(_Model):
    pools: list[Pool] = Field(min_length=1)
    methods: list[Method] = Field(min_length=1)


class Activity(_Translated):
    name: str
    what: str
    when: str
    cost: Effort
    moves: Metric  # type: ignore[valid-type]
    area: Area
    sop_phase: Literal[SOP_PHASES]  # type: ignore[valid-type]


class SopPhase(_Translated):
    phase: Literal[SOP_PHASES]  # type: ignore[valid-type]
    start_day: Annotated[int, Field(ge=0)]
    days: Annotated[int, Field(ge=1)]
    owner: str
    actions: list[str] = Field(min_length=1)
    milestone: str


class Sop(_Model):
    attention_window: str = "20:00–22:00"
    activity_day_reminders: list[str] = Field(min_length=3)
    phases: list[SopPhase]

    @model_validator(mode="after")
    def _check(self) -> "Sop":
        names = [p.phase for p in self.phases]
        if names != list(SOP_PHASES):
            raise ValueError(f"expected the phases {' → '.join(SOP_PHASES)} in order, got {names}")
        return self


class TeamSize(_Model):
    headcount: str
    build_order: list[str] = Field(min_length=2)
    note: str = ""


class RoleSpec(_Translated):
    role: str
    kind: Literal["活动", "运营"]
    responsibility: str
    authority: str
    benefit: str
    kpis: list[str] = Field(min_length=1)
    incentive: str
    small_team: bool = False
    # In a small team, the small-team role that takes this role's work (required when small_team is false).
    covered_by: str | None = None


class GeneSpec(_Model):
    focus: str
    areas: list[Area] = Field(min_length=1)
    metrics: list[Metric] = Field(min_length=1)  # type: ignore[valid-type]


class TeamTemplate(_Model):
    small: TeamSize
    large: TeamSize
    roles: list[RoleSpec] = Field(min_length=5)
    incentives: dict[str, str]
    genes: dict[Gene, GeneSpec]

    @model_validator(mode="after")
    def _check(self) -> "TeamTemplate":
        missing = [g for g in GENES if g not in self.genes]
        if missing:
            raise ValueError(f"expected a gene entry for each of {', '.join(GENES)}; missing {missing}")
        return self


class Kpi(_Translated):
    name: str
    metric: Metric | None = None  # type: ignore[valid-type]
    definition: str
    target: str
    owner: str


class Case(_Translated):
    """A reference result from a published case (cited, never presented as a promise)."""

    title: str
    result: str
    source: str
    confidence: Confidence
    #: The industry of the business in the case, when it differs from the template's (shown on its 案例 box).
    industry: str = ""


class Risk(_Model):
    risk: str
    signal: str
    mitigation: str


class When(_Model):
    metric: Metric | None = None  # type: ignore[valid-type]
    status: list[Status] = []
    store_type: list[Literal[STORE_TYPES]] = []  # type: ignore[valid-type]


class Moves(_Model):
    metric: Metric  # type: ignore[valid-type]
    to: Literal["low", "mid", "high"] | float = "mid"


class Rule(_Translated):
    id: str
    when: When = When()
    area: Area
    action: str
    owner: str
    effort: Effort
    timing: Literal["30天", "60天", "90天"]
    moves: Moves | None = None
    weight: float = 0.0


class IndustryTemplate(_Model):
    """The whole template file; see docs/templates.md for every field."""

    key: str
    name_en: str
    description: str = ""
    quadrant: Quadrant
    typical: Typical
    benchmarks: dict[Metric, Benchmark] = Field(min_length=1)  # type: ignore[valid-type]
    journey: list[JourneyStage] = Field(min_length=3)
    acquisition: Acquisition
    activities: list[Activity] = Field(min_length=3)
    sop: Sop
    team: TeamTemplate
    kpis: list[Kpi] = Field(min_length=3)
    risks: list[Risk] = Field(min_length=2)
    rules: list[Rule] = Field(min_length=3)
    cases: list[Case] = []
    # How much of each recommendation's target a scenario assumes reached (diag.strategy.playbook.gmv_scenarios).
    scenarios: dict[str, Annotated[float, Field(gt=0, le=3)]] = Field(
        default={"保守": 0.5, "基准": 1.0, "乐观": 1.5}, min_length=1)

    @field_validator("scenarios")
    @classmethod
    def _increasing(cls, value: dict[str, float]) -> dict[str, float]:
        levels = list(value.values())
        if any(b <= a for a, b in zip(levels, levels[1:])):
            shown = ", ".join(f"{k} {v:g}" for k, v in value.items())
            raise ValueError(f"expected attainments that strictly increase in order "
                             f"(e.g. 保守 0.5, 基准 1.0, 乐观 1.5), got {shown}")
        return value

    @model_validator(mode="after")
    def _check(self) -> "IndustryTemplate":
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids must be unique; repeated: {', '.join(dupes)}")
        return self
