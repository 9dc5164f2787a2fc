"""The client brief (需求澄清表): a typed model, YAML load / save, whole-brief validation.

A brief is one YAML file per client.  It is validated completely when loaded: every
problem is reported with its field path, e.g.
``briefs/x.yaml:goods.aov: expected a number, got '约100元'``.  Unknown fields fail with
the list of known ones, so a typo never silently drops an answer.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from diag.errors import BriefError
from diag.validation import describe_error as _describe
from diag.validation import field_path as _path

__all__ = ["Brief", "load_brief", "save_brief", "slugify", "BUSINESS_FORMATS", "TEAM_GENES"]

BUSINESS_FORMATS = ("单店", "连锁", "电商", "品牌")
TEAM_GENES = ("流量", "增长", "运营", "产品", "品牌")  # 产品 / 品牌: no discount-led plays (diag.strategy.plays)
JOURNEY_STAGES = ("认知", "考虑", "首购", "使用", "复购", "推荐")
EMOTIONS = ("好奇", "期待", "惊喜", "满意", "平淡", "无聊", "犹豫", "焦虑", "负面")

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")


def _share(value: Any) -> Any:
    """Accept 0.3, '30%' or '30％' for a share; leave anything else for the type check."""
    if isinstance(value, str):
        text = value.strip().translate(_FULLWIDTH)
        if text.endswith("%"):
            try:
                return float(text[:-1].replace(",", "")) / 100
            except ValueError:
                return value
    return value


Share = Annotated[float, BeforeValidator(_share), Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]
Money = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Client(_Section):
    """Business facts: who the client is."""

    name: str
    slug: Annotated[str, Field(pattern=r"^[\w\u4e00-\u9fff-]+$")] | None = None
    industry: str
    category: str | None = None
    format: Literal[BUSINESS_FORMATS] | None = None  # type: ignore[valid-type]
    store_count: Count | None = None
    regions: list[str] = []
    revenue_band: str | None = None
    online_share: Share | None = None
    respondent: str | None = None
    respondent_role: str | None = None
    consultant: str | None = None


class ProductLine(_Section):
    name: str
    price_min: Money | None = None
    price_max: Money | None = None
    role: Literal["引流", "利润", "复购", "形象"] | None = None
    gross_margin: Share | None = None


class Goods(_Section):
    """货: product lines, prices, margins, repurchase cycle, product roles."""

    product_lines: list[ProductLine] = []
    aov: Positive | None = None
    gross_margin: Share | None = None
    repurchase_cycle_days: Positive | None = None
    selling_points: list[str] = []
    traffic_products: list[str] = []
    profit_products: list[str] = []
    repurchase_products: list[str] = []
    margins: dict[str, Share] = {}


class Channel(_Section):
    name: str
    share: Share | None = None
    kind: Literal["公域", "私域", "线下"] | None = None
    monthly_reach: Count | None = None


class Scene(_Section):
    """场: channels and their shares, public platforms, stores, parcel volume."""

    channels: list[Channel] = []
    public_platforms: list[str] = []
    stores: list[str] = []
    monthly_parcels: Count | None = None


class People(_Section):
    """人: persona, purchase logic, decision cycle, frequency, member tiers."""

    persona: str | None = None
    purchase_logic: str | None = None
    decision_cycle_days: Positive | None = None
    purchases_per_year: Positive | None = None
    member_tiers: list[str] = []


class Assets(_Section):
    """Private-domain assets: accounts, friends, groups, official account, mini-program."""

    personal_wechat_accounts: Count | None = None
    wecom_accounts: Count | None = None
    friends: Count | None = None
    groups: Count | None = None
    group_members: Count | None = None
    official_account_followers: Count | None = None
    mini_program: bool | None = None
    moments_per_week: Annotated[float, Field(ge=0)] | None = None
    scrm_tool: str | None = None


class Role(_Section):
    role: str
    count: Count = 1
    kpi: str | None = None


class Team(_Section):
    headcount: Count | None = None
    roles: list[Role] = []
    kpis: list[str] = []
    incentives: str | None = None
    gene: Literal[TEAM_GENES] | None = None  # type: ignore[valid-type]
    #: Loaded cost of one staff hour (yuan), for costing the plan's actions.
    hourly_cost: Positive | None = None


class Goals(_Section):
    gmv_target: Money | None = None
    new_customers_target: Count | None = None
    repurchase_rate_target: Share | None = None
    timeline_months: Annotated[int, Field(ge=1, le=60)] | None = None
    budget: Money | None = None
    tasks: list[str] = []
    constraints: str | None = None


class Funnel(_Section):
    """Stated rates for the target-funnel calculator (work backwards from sales)."""

    reachable: Count | None = None
    invite_success: Share | None = None
    purchase_intent: Share | None = None
    #: Customers known to have brought at least one new customer (老带新), for the journey funnel.
    referrers: Count | None = None


class Competitor(_Section):
    name: str
    strengths: str | None = None
    notes: str | None = None


class DataFiles(_Section):
    """Client data files, relative to the brief's folder."""

    orders: str | None = None
    columns: dict[str, str] = {}
    #: Platform profile key (diag platforms list); forces it instead of detection.
    platform: str | None = None

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str | None) -> str | None:
        from diag.platforms.registry import known_platforms

        known = known_platforms()
        if value is not None and value not in known:
            raise ValueError(f"no platform profile '{value}'; known: {', '.join(known)}")
        return value
    wecom_contacts: str | None = None
    wecom_groups: str | None = None
    customers: str | None = None
    #: Campaigns / activities to review against their targets (CSV/XLSX, see diag.readers.campaigns).
    campaigns: str | None = None
    as_of: _dt.date | None = None


class JourneyNote(_Section):
    """One stage of the user journey, as heard in interviews."""

    stage: Literal[JOURNEY_STAGES]  # type: ignore[valid-type]
    touchpoints: list[str] = []
    actions: list[str] = []
    thoughts: list[str] = []
    emotion: Literal[EMOTIONS] | None = None  # type: ignore[valid-type]
    score: Annotated[int, Field(ge=-2, le=2)] | None = None
    pain_points: list[str] = []
    opportunities: list[str] = []


class Brief(_Section):
    """A whole 需求澄清表. Only ``client.name`` and ``client.industry`` are required."""

    client: Client
    goods: Goods = Goods()
    scene: Scene = Scene()
    people: People = People()
    assets: Assets = Assets()
    team: Team = Team()
    goals: Goals = Goals()
    funnel: Funnel = Funnel()
    competitors: list[Competitor] = []
    data: DataFiles = DataFiles()
    journey: list[JourneyNote] = []
    notes: str | None = None

    #: Where the brief was read from (not part of the YAML).
    source: Path | None = Field(default=None, exclude=True)

    @property
    def slug(self) -> str:
        """Return the client slug: ``client.slug``, else the brief's file stem, else the name."""
        if self.client.slug:
            return self.client.slug
        if self.source is not None:
            return slugify(self.source.stem)
        return slugify(self.client.name)

    def data_path(self, field: str) -> Path | None:
        """Return a data file path resolved against the brief's folder (``None`` if not given)."""
        value = getattr(self.data, field)
        if not value:
            return None
        path = Path(value).expanduser()
        if not path.is_absolute() and self.source is not None:
            path = self.source.parent / path
        return path


def slugify(text: str) -> str:
    """Return a file-safe slug: lower-case ASCII words and CJK characters joined by ``-``."""
    slug = re.sub(r"[^\w\u4e00-\u9fff]+", "-", text.strip().lower()).strip("-_")
    return slug or "client"


def brief_errors(data: Any, source: str | Path) -> list[BriefError]:
    """Return every validation problem of a parsed brief (empty when it is valid)."""
    if not isinstance(data, dict):
        return [BriefError(f"expected a mapping of sections (client, goods, …), got {type(data).__name__}",
                           file=source)]
    try:
        Brief.model_validate(data)
    except ValidationError as exc:
        return [BriefError(_describe(e, Brief), file=source, where=_path(e["loc"]))
                for e in exc.errors()]
    return []


def load_brief(path: str | Path) -> Brief:
    """Return the validated brief at ``path``; raise :class:`BriefError` naming the first problem.

    All problems are attached as ``error.details`` (a list of lines) so a caller can
    show them together.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BriefError("file not found", file=path) from None
    except IsADirectoryError:
        raise BriefError("expected a brief file (.yaml), got a directory", file=path) from None
    except UnicodeDecodeError:
        raise BriefError("expected UTF-8 YAML text, got undecodable bytes", file=path) from None
    except OSError as exc:
        raise BriefError(f"cannot read ({exc.strerror})", file=path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise BriefError(f"not valid YAML ({problem})", file=path, where=where) from None
    if data is None:
        raise BriefError("the brief is empty; expected at least client.name and client.industry",
                         file=path)
    errors = brief_errors(data, path)
    if errors:
        first = errors[0]
        first.details = [e.line() for e in errors]  # type: ignore[attr-defined]
        raise first
    brief = Brief.model_validate(data)
    brief.source = path
    from diag.industries.registry import require_industry  # late: templates are validated on use

    require_industry(brief.client.industry, file=path, where="client.industry")
    return brief


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """Return the brief as plain YAML-ready data, without empty fields."""
    return brief.model_dump(mode="json", exclude_none=True, exclude_defaults=True, exclude={"source"})


def save_brief(brief: Brief, path: str | Path) -> Path:
    """Write ``brief`` as YAML (UTF-8, Chinese kept readable) and return the path."""
    from diag.files import write_atomic

    path = Path(path)
    data = brief.model_dump(mode="json", exclude_none=True, exclude={"source"})
    data = _drop_empty(data)
    write_atomic(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
    return path


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in ({}, [], None)}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value
