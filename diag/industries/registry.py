"""Industry templates: registry, lookup, validation and the brief scaffold (the schema
is :mod:`diag.industries.schema`).

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

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from diag import paths
from diag.config import user_templates_dir
from diag.errors import TemplateError
from diag.files import yaml_by_key
from diag.industries.quadrant import quadrant
from diag.industries.schema import AREAS, METRICS, QUADRANT_STORE_TYPES, IndustryTemplate  # noqa: F401

__all__ = ["METRICS", "IndustryTemplate", "load_industry", "in_language", "load_template", "known_industries",
           "require_industry", "check_template_file", "format_list", "format_show",
           "template_dirs", "user_templates_dir"]

# -- where templates come from ------------------------------------------------------------

def template_dirs() -> list[Path]:
    """Return the template folders, the firm's own last (it wins)."""
    dirs = [paths.INDUSTRIES]
    user = user_templates_dir()
    if user is not None:
        dirs.append(user)
    return dirs


def known_industries() -> dict[str, Path]:
    """Return ``{key: template path}`` for every available industry template."""
    return yaml_by_key(template_dirs())


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
    from diag.validation import describe_error as _describe
    from diag.validation import field_path as _path

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
    :func:`diag.industries.quadrant.quadrant` and the template's split points; a template whose
    typical client lands elsewhere would report every client as inconsistent.
    """
    q, ty = template.quadrant, template.typical
    aov, per_year = sum(ty.aov) / 2, sum(ty.purchases_per_year) / 2
    found = quadrant(aov, per_year, template={"quadrant": q.model_dump(exclude_none=True)})
    if found.store_type != q.store_type:
        raise TemplateError(
            f"the typical client (AOV ¥{aov:,.0f}, {per_year:g} purchases a year: the middle of typical.aov "
            f"and typical.purchases_per_year) falls in {found.store_type} by diag.industries.quadrant.quadrant "
            f"(frequency split {found.frequency_split:g} a year, {found.value_axis} split {found.value_split:,.0f}), "
            f"not {q.store_type}; change the levels and store type or set quadrant.frequency_split / "
            f"spend_split / aov_split", file=path, where="quadrant.store_type")


#: libyaml's safe loader when PyYAML has it: a template parses ~6× faster than in pure Python.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
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


def load_industry(key: str, lang: str = "zh") -> dict[str, Any]:
    """Return the validated template for ``key`` as plain data (defaults filled in, unset optionals left out).

    Its texts are in ``lang``: the items' English twins (``en:``) replace their Chinese
    texts in English and are dropped either way (:func:`in_language`).
    """
    return in_language(load_template(key).model_dump(mode="json", exclude_none=True), lang)


def in_language(data: Any, lang: str) -> Any:
    """Return template data with every item's English twins (``en: {field: text}``) in place for ``lang`` "en".

    In Chinese the items keep their texts; in both languages the ``en`` twins are
    removed, so the result reads like a template without them.
    """
    if isinstance(data, list):
        return [in_language(v, lang) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: in_language(v, lang) for k, v in data.items() if k != "en"}
    if lang == "en" and isinstance(data.get("en"), dict):
        out.update(data["en"])
    return out


# -- CLI text -------------------------------------------------------------------------------

def span(pair: list[float], unit: str = "") -> str:
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
        lines.append(f"  {key} | {t.name_en} | {t.quadrant.store_type} | {span(t.typical.aov, '¥')} | "
                     f"{span(t.typical.repurchase_cycle_days)} 天 | {origin}")
    return "\n".join(lines)


def format_show(key: str) -> str:
    """Return a readable summary of one template for ``diag templates show KEY``."""
    require_industry(key, file="diag templates show")
    t = load_template(key)
    q = t.quadrant
    out = [f"{t.key} ({t.name_en}) — {require_industry(key)}",
           f"象限: 客单价{q.aov_level} × 频次{q.frequency_level} → {q.store_type}  {q.note}".rstrip(),
           f"典型值: 客单价 {span(t.typical.aov, '¥')}, 复购周期 {span(t.typical.repurchase_cycle_days)} 天, "
           f"年购买 {span(t.typical.purchases_per_year)} 次 ({t.typical.source})",
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
