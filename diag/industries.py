"""Industry templates: schema, registry, lookup, and the brief scaffold.

Bundled templates live in ``templates/industries/<key>.yaml`` (the key is the Chinese
industry name, e.g. ``母婴``).  A firm's own directory overrides a bundled key (the whole
file wins) or adds new keys.  It is found, first match wins:

1. ``$DIAG_TEMPLATES``;
2. ``templates_dir:`` in ``.diag.yaml`` / ``diag.yaml`` or ``templates_dir = "…"`` in
   ``diag.toml`` (top level or under ``[diag]``) in the working directory;
3. ``templates_dir:`` in ``~/.config/diag/config.yaml``.

A relative ``templates_dir`` is resolved against the config file's folder.  Every
template is validated completely when loaded (pydantic, unknown fields forbidden) and
a problem is reported as ``<file>:<field path>: <what is wrong>``.  An unknown key fails
with the list of known ones.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from . import paths
from .errors import TemplateError, UsageError

__all__ = ["METRICS", "IndustryTemplate", "load_industry", "load_template", "known_industries",
           "require_industry", "check_template_file", "format_list", "format_show",
           "scaffold_brief", "template_dirs", "user_templates_dir"]

#: The measured-metric vocabulary (common brief, interface 2) with Chinese labels.
METRICS: dict[str, str] = {
    "aov": "客单价", "orders_per_customer": "人均订单数",
    "purchase_days_per_customer": "人均购买天数", "repurchase_rate": "复购率",
    "repurchase_rate_90d": "90天复购率", "median_repurchase_days": "复购周期(中位天数)",
    "group_active_share": "活跃群占比", "member_activity": "群成员活跃率",
    "group_conversion": "社群转化率", "friend_accept_rate": "好友通过率", "add_rate": "加粉率",
    "reply_rate": "回复率", "avg_reply_minutes": "平均回复时长(分钟)",
    "deletion_rate": "删除/拉黑率", "net_member_growth": "净增粉率", "k_factor": "K因子",
}
STORE_TYPES = ("刚需高频", "刚需低频", "小众需求")
AREAS = ("引流", "留存", "转化", "复购", "裂变", "复制")
STATUSES = ("低于", "达标", "高于", "无数据")
SOP_PHASES = ("引流", "起群", "促活", "转化", "长期运营")
GENES = ("流量", "增长", "运营")
#: The source of a figure with no published origin; printed as-is in the client's report, so Chinese.
ESTIMATE = "行业经验估计（可编辑）"

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


def _ordered(pair: list[float], name: str) -> list[float]:
    if pair[0] > pair[1]:
        raise ValueError(f"expected [low, high] with low ≤ high for {name}, got {pair}")
    return pair


#: (aov_level, frequency_level) → store type, the rule of :func:`diag.areas.gmv.quadrant`:
#: high frequency is 刚需高频 whatever the value; low frequency is 刚需低频 when the value
#: is high, else 小众需求.
QUADRANT_STORE_TYPES: dict[tuple[str, str], str] = {
    ("高", "高"): "刚需高频", ("低", "高"): "刚需高频", ("高", "低"): "刚需低频", ("低", "低"): "小众需求"}


class Quadrant(_Model):
    """AOV × frequency quadrant; split points ¥5,000 AOV and one purchase a year."""

    aov_level: Level
    frequency_level: Level
    store_type: Literal[STORE_TYPES]  # type: ignore[valid-type]
    note: str = ""
    # Optional split points for diag.areas.gmv.quadrant (defaults: ¥5,000 a year, 1 purchase a year).
    frequency_split: Annotated[float, Field(gt=0)] | None = None
    spend_split: Annotated[float, Field(gt=0)] | None = None
    aov_split: Annotated[float, Field(gt=0)] | None = None

    @field_validator("store_type")
    @classmethod
    def _agrees_with_levels(cls, value: str, info: ValidationInfo) -> str:
        levels = (info.data.get("aov_level"), info.data.get("frequency_level"))
        expected = QUADRANT_STORE_TYPES.get(levels)  # type: ignore[arg-type]
        if expected is not None and value != expected:
            raise ValueError(f"expected {expected} for aov_level {levels[0]} × frequency_level {levels[1]} "
                             f"(as diag.areas.gmv.quadrant places it: high frequency → 刚需高频; low frequency → "
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


class Activity(_Model):
    name: str
    what: str
    when: str
    cost: Effort
    moves: Metric  # type: ignore[valid-type]
    area: Area  # type: ignore[valid-type]
    sop_phase: Literal[SOP_PHASES]  # type: ignore[valid-type]


class SopPhase(_Model):
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


class RoleSpec(_Model):
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
    areas: list[Area] = Field(min_length=1)  # type: ignore[valid-type]
    metrics: list[Metric] = Field(min_length=1)  # type: ignore[valid-type]


class TeamTemplate(_Model):
    small: TeamSize
    large: TeamSize
    roles: list[RoleSpec] = Field(min_length=5)
    incentives: dict[str, str]
    genes: dict[Gene, GeneSpec]  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _check(self) -> "TeamTemplate":
        missing = [g for g in GENES if g not in self.genes]
        if missing:
            raise ValueError(f"expected a gene entry for each of {', '.join(GENES)}; missing {missing}")
        return self


class Kpi(_Model):
    name: str
    metric: Metric | None = None  # type: ignore[valid-type]
    definition: str
    target: str
    owner: str


class Case(_Model):
    """A reference result from a published case (cited, never presented as a promise)."""

    title: str
    result: str
    source: str
    confidence: Confidence


class Risk(_Model):
    risk: str
    signal: str
    mitigation: str


class When(_Model):
    metric: Metric | None = None  # type: ignore[valid-type]
    status: list[Status] = []  # type: ignore[valid-type]
    store_type: list[Literal[STORE_TYPES]] = []  # type: ignore[valid-type]


class Moves(_Model):
    metric: Metric  # type: ignore[valid-type]
    to: Literal["low", "mid", "high"] | float = "mid"


class Rule(_Model):
    id: str
    when: When = When()
    area: Area  # type: ignore[valid-type]
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
    # How much of each recommendation's target a scenario assumes reached (diag.playbook.gmv_scenarios).
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


# -- where templates come from ------------------------------------------------------------

def _config_candidates() -> list[Path]:
    cwd = Path.cwd()
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [cwd / ".diag.yaml", cwd / "diag.yaml", cwd / "diag.toml", home / "diag" / "config.yaml"]


def _read_config(path: Path) -> str | None:
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            data = data.get("diag", data) if isinstance(data.get("diag"), dict) else data
        else:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise TemplateError(f"cannot read the config file ({exc})", file=path) from None
    if not isinstance(data, dict):
        raise TemplateError("expected a mapping with templates_dir", file=path)
    value = data.get("templates_dir")
    if value is not None and not isinstance(value, str):
        raise TemplateError(f"expected a folder path, got {value!r}", file=path, where="templates_dir")
    return value


def user_templates_dir() -> Path | None:
    """Return the firm's own template folder ($DIAG_TEMPLATES, then config files), or None."""
    env = paths.user_industries()
    if env is not None:
        return env
    for candidate in _config_candidates():
        if candidate.is_file():
            value = _read_config(candidate)
            if value:
                folder = Path(value).expanduser()
                return folder if folder.is_absolute() else (candidate.parent / folder).resolve()
    return None


def template_dirs() -> list[Path]:
    """Return the template folders, the firm's own last (it wins)."""
    dirs = [paths.INDUSTRIES]
    user = user_templates_dir()
    if user is not None:
        dirs.append(user)
    return dirs


def known_industries() -> dict[str, Path]:
    """Return ``{key: template path}`` for every available industry template."""
    found: dict[str, Path] = {}
    for folder in template_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                if not path.name.startswith((".", "_")):
                    found[path.stem] = path
    return found


def require_industry(key: str, *, file: str | Path | None = None, where: str | None = None) -> Path:
    """Return the template path for ``key`` or raise naming the known keys."""
    known = known_industries()
    if key not in known:
        names = "、".join(known) or "(none installed)"
        raise TemplateError(f"no industry template '{key}'; known: {names}", file=file, where=where)
    return known[key]


# -- validation ---------------------------------------------------------------------------

def _known_fields(loc: tuple[Any, ...]) -> list[str]:
    """Return the field names allowed where ``loc`` points (dict keys and list indexes skipped)."""
    current: type[BaseModel] = IndustryTemplate
    for part in loc[:-1]:
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            continue  # a mapping key or a list index
        stack, found = [field.annotation], None
        while stack and found is None:
            candidate = stack.pop()
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found = candidate
            else:
                stack.extend(getattr(candidate, "__args__", ()))
        if found is not None:
            current = found
    return list(current.model_fields)


def _validate(data: Any, path: Path) -> IndustryTemplate:
    from .brief import _describe, _path  # one wording for every validation message

    if not isinstance(data, dict):
        raise TemplateError(f"expected a mapping of template fields, got {type(data).__name__}", file=path)
    try:
        template = IndustryTemplate.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        lines = []
        for e in errors:
            loc = tuple(p for p in e["loc"] if p != "[key]")
            if e["type"] == "value_error":
                msg = e["msg"].removeprefix("Value error, ")
            elif e["type"] == "extra_forbidden":
                msg = f"unknown field; known: {', '.join(_known_fields(loc))}"
            else:
                msg = _describe(e, IndustryTemplate)
            if e["type"] == "literal_error" and loc and loc[0] == "benchmarks":
                msg = f"unknown metric; known: {', '.join(METRICS)}"
            lines.append(TemplateError(msg, file=path, where=_path(loc) or None))
        first = lines[0]
        first.details = [x.line() for x in lines]  # type: ignore[attr-defined]
        raise first from None
    if template.key != path.stem:
        raise TemplateError(f"expected key '{path.stem}' (the file name), got '{template.key}'",
                            file=path, where="key")
    _check_typical_quadrant(template, path)
    _check_roles(template, path)
    return template


def _check_roles(template: IndustryTemplate, path: Path) -> None:
    """Raise unless every owner is a team role and every role a small team lacks is covered by one it has.

    Owners are named in ``rules``, ``sop.phases`` and ``kpis``; a role with
    ``small_team: false`` names in ``covered_by`` the small-team role that does its
    work when the team is small, so a small team's plan only names roles it has.
    """
    roles = template.team.roles
    names = [r.role for r in roles]
    small = [r.role for r in roles if r.small_team]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise TemplateError(f"role names must be unique; repeated: {', '.join(dupes)}", file=path,
                            where="team.roles")
    if not small:
        raise TemplateError("expected at least one role with small_team: true", file=path, where="team.roles")
    for i, r in enumerate(roles):
        where = f"team.roles[{i}].covered_by"
        if r.small_team and r.covered_by is not None:
            raise TemplateError(f"'{r.role}' is itself in the small team (small_team: true); "
                                f"expected no covered_by, got '{r.covered_by}'", file=path, where=where)
        if not r.small_team and r.covered_by not in small:
            got = "nothing" if r.covered_by is None else f"'{r.covered_by}'"
            raise TemplateError(f"'{r.role}' is not in the small team; expected the small-team role that "
                                f"covers it, one of {', '.join(small)}; got {got}", file=path, where=where)
    owners = ([(f"rules[{i}].owner", r.owner) for i, r in enumerate(template.rules)]
              + [(f"sop.phases[{i}].owner", p.owner) for i, p in enumerate(template.sop.phases)]
              + [(f"kpis[{i}].owner", k.owner) for i, k in enumerate(template.kpis)])
    for where, owner in owners:
        if owner not in names:
            raise TemplateError(f"expected a role of team.roles ({', '.join(names)}), got '{owner}'",
                                file=path, where=where)


def _check_typical_quadrant(template: IndustryTemplate, path: Path) -> None:
    """Raise unless the template's typical client falls in its own store type.

    The middle of ``typical.aov`` and ``typical.purchases_per_year`` is placed with
    :func:`diag.areas.gmv.quadrant` and the template's split points; a template whose
    typical client lands elsewhere would report every client as inconsistent.
    """
    from .areas.gmv import quadrant

    q, ty = template.quadrant, template.typical
    aov, per_year = sum(ty.aov) / 2, sum(ty.purchases_per_year) / 2
    found = quadrant(aov, per_year, template={"quadrant": q.model_dump(exclude_none=True)})
    if found.store_type != q.store_type:
        raise TemplateError(
            f"the typical client (AOV ¥{aov:,.0f}, {per_year:g} purchases a year: the middle of typical.aov "
            f"and typical.purchases_per_year) falls in {found.store_type} by diag.areas.gmv.quadrant "
            f"(frequency split {found.frequency_split:g} a year, {found.value_axis} split {found.value_split:,.0f}), "
            f"not {q.store_type}; change the levels and store type or set quadrant.frequency_split / "
            f"spend_split / aov_split", file=path, where="quadrant.store_type")


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise TemplateError("file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read template ({exc})", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise TemplateError(f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
                            file=path, where=where) from None


_CACHE: dict[tuple[str, float], IndustryTemplate] = {}


def check_template_file(path: str | Path) -> IndustryTemplate:
    """Return the validated template at ``path``; raise :class:`TemplateError` on any problem."""
    path = Path(path)
    if path.is_dir():
        raise TemplateError("expected a template file (.yaml), got a directory", file=path)
    return _validate(_read(path), path)


def load_template(key: str) -> IndustryTemplate:
    """Return the validated template model for ``key`` (cached until the file changes)."""
    path = require_industry(key)
    stamp = (str(path), path.stat().st_mtime)
    if stamp not in _CACHE:
        _CACHE[stamp] = check_template_file(path)
    return _CACHE[stamp]


def load_industry(key: str) -> dict[str, Any]:
    """Return the validated template for ``key`` as plain data (defaults filled in, unset optionals left out)."""
    return load_template(key).model_dump(mode="json", exclude_none=True)


# -- CLI text -------------------------------------------------------------------------------

def _span(pair: list[float], unit: str = "") -> str:
    lo, hi = (f"{v:g}" for v in pair)
    return f"{unit}{lo}–{hi}" if lo != hi else f"{unit}{lo}"


def format_list() -> str:
    """Return the ``diag templates list`` table: key, English name, store type, typical AOV, source."""
    user = user_templates_dir()
    lines = ["行业模板 (key | 英文名 | 店型 | 典型客单价 | 复购周期 | 来源)"]
    for key, path in known_industries().items():
        origin = "自定义" if user is not None and path.parent == user else "内置"
        try:
            t = load_template(key)
        except TemplateError as exc:
            lines.append(f"  {key}  (无效: {exc.message})")
            continue
        lines.append(f"  {key} | {t.name_en} | {t.quadrant.store_type} | {_span(t.typical.aov, '¥')} | "
                     f"{_span(t.typical.repurchase_cycle_days)} 天 | {origin}")
    return "\n".join(lines)


def format_show(key: str) -> str:
    """Return a readable summary of one template for ``diag templates show KEY``."""
    require_industry(key, file="diag templates show")
    t = load_template(key)
    q = t.quadrant
    out = [f"{t.key} ({t.name_en}) — {require_industry(key)}",
           f"象限: 客单价{q.aov_level} × 频次{q.frequency_level} → {q.store_type}  {q.note}".rstrip(),
           f"典型值: 客单价 {_span(t.typical.aov, '¥')}, 复购周期 {_span(t.typical.repurchase_cycle_days)} 天, "
           f"年购买 {_span(t.typical.purchases_per_year)} 次 ({t.typical.source})",
           "", "基准区间 (指标: 低–高 | 来源 | 置信度):"]
    for metric, b in t.benchmarks.items():
        out.append(f"  {METRICS[metric]} [{metric}]: {b.low:g}–{b.high:g} {b.unit} | {b.source} | {b.confidence}")
    out += ["", "用户旅程: " + " → ".join(s.stage for s in t.journey),
            "引流方式: " + "、".join(m.name for m in t.acquisition.methods),
            "活动菜单: " + "、".join(a.name for a in t.activities),
            "社群SOP: " + " → ".join(f"{p.phase}({p.days}天)" for p in t.sop.phases)
            + f"; 高关注时段 {t.sop.attention_window}",
            "小团队搭建顺序: " + " → ".join(t.team.small.build_order),
            "大团队搭建顺序: " + " → ".join(t.team.large.build_order),
            "角色: " + "、".join(r.role for r in t.team.roles),
            "KPI: " + "、".join(k.name for k in t.kpis),
            "风险: " + "; ".join(r.risk for r in t.risks),
            f"策略规则: {len(t.rules)} 条 ("
            + "、".join(sorted({r.area for r in t.rules}, key=AREAS.index)) + ")"]
    return "\n".join(out)


# -- diag new ---------------------------------------------------------------------------------

def scaffold_brief(client: str, industry: str, directory: str | Path) -> Path:
    """Return the path of a new brief ``<directory>/<slug>.yaml`` started from ``industry``'s template.

    Only ``client.name`` and ``client.industry`` are set; the template's typical values
    are written as commented hints so that nothing unconfirmed enters the diagnosis.
    An existing file is never overwritten (:class:`UsageError`).
    """
    from .brief import load_brief, slugify

    if not client.strip():
        raise UsageError("expected a client name, got an empty string", file="diag new")
    require_industry(industry, file="--industry")
    template = load_template(industry)
    path = Path(directory) / f"{slugify(client)}.yaml"
    if path.exists():
        raise UsageError("already exists; not overwritten (choose another name or delete it first)",
                         file=path)
    ty = template.typical
    aov_mid = round(sum(ty.aov) / 2)
    cycle_mid = round(sum(ty.repurchase_cycle_days) / 2)
    name = client.strip()
    text = f"""# 需求澄清表 — {name}
# 由行业模板「{template.key}」生成于 {_dt.date.today().isoformat()}。以 # 开头的行是提示, 确认后去掉 # 即生效。
# 行业典型值 (模板, 仅供参考): 客单价 {_span(ty.aov, '¥')}, 复购周期 {_span(ty.repurchase_cycle_days)} 天,
# 年购买 {_span(ty.purchases_per_year)} 次; 店型 {template.quadrant.store_type}。

client:
  name: {json.dumps(name, ensure_ascii=False)}
  industry: {json.dumps(template.key, ensure_ascii=False)}
  # format: 连锁            # 单店 | 连锁 | 电商 | 品牌
  # store_count: 10

# goods:
#   aov: {aov_mid}                  # 行业典型 {_span(ty.aov, '¥')}; 请填客户实际客单价
#   repurchase_cycle_days: {cycle_mid}   # 行业典型 {_span(ty.repurchase_cycle_days)} 天

# assets:
#   friends: 0
#   groups: 0
#   group_members: 0

# team:
#   headcount: 2            # 1–2 人按小团队搭建, 3 人及以上按大团队
#   gene: 运营              # 流量 | 增长 | 运营

# funnel:                   # 目标漏斗 (例: 5000 可触达 × 1:10 邀约成功 × 4% 付费意向 = 20 单)
#   reachable: 5000
#   invite_success: 0.1
#   purchase_intent: 0.04

# goals:
#   gmv_target: 1000000
#   timeline_months: 3

# data:
#   orders: data/{slugify(client)}/orders.csv
"""
    from .record import write_atomic

    write_atomic(path, text)
    try:
        load_brief(path)
    except Exception:
        path.unlink(missing_ok=True)  # never leave a brief that does not load
        raise
    return path
