"""Platform profiles: registry, lookup, validation and detection by header signature.

Bundled profiles live in ``templates/platforms/<key>.yaml`` (schema:
:mod:`diag.platforms.schema`).  A firm adds or overrides profiles in its own folder,
found like its industry templates: ``$DIAG_PLATFORMS``, else the ``platforms/``
folder inside the firm's templates folder (``$DIAG_TEMPLATES`` or ``templates_dir``
in ``diag.yaml``; see :mod:`diag.industries.registry`).  A firm's profile with a bundled key
replaces it whole.

Detection scores each profile by the share of its signature headers the file has
(after :func:`normalise_header`); the best profile with at least
:data:`MIN_SCORE` of its signature wins, otherwise the generic alias table of
:mod:`diag.readers.orders` applies.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from diag import paths
from diag.errors import TemplateError, UsageError
from diag.platforms.schema import AMOUNT_KIND_LABELS, PlatformProfile

__all__ = ["PlatformProfile", "Detection", "known_platforms", "load_platform", "require_platform",
           "detect", "normalise_header", "format_list", "format_show", "check_platform_file",
           "platform_dirs"]

PLATFORMS_ENV = "DIAG_PLATFORMS"
#: Share of a profile's signature headers a file must have for the profile to be chosen.
MIN_SCORE = 0.6
MEANING_LABELS = {"valid": "有效", "unpaid": "未付款", "cancelled": "已取消/关闭", "refunded": "已退款",
                  "partial_refund": "部分退款 (保留)"}


def normalise_header(text: object) -> str:
    """Return a header reduced for matching: lower case, no spaces (full-width too), ``_`` or
    ``-``, half-width brackets and no unit suffix such as ``(元)``."""
    s = str(text).replace("\ufeff", "").strip().lower()
    s = s.replace("（", "(").replace("）", ")").replace("：", "").rstrip(":")
    s = re.sub(r"[\s_\-\u3000]+", "", s)
    return re.sub(r"\((元|¥|￥|rmb|cny|人民币|件)\)$", "", s)


# -- where profiles come from --------------------------------------------------------------

def platform_dirs() -> list[Path]:
    """Return the profile folders, the firm's own last (it wins)."""
    dirs = [paths.TEMPLATES / "platforms"]
    env = os.environ.get(PLATFORMS_ENV)
    if env:
        dirs.append(Path(env).expanduser().absolute())
    else:
        from diag.config import user_templates_dir

        user = user_templates_dir()
        if user is not None and (user / "platforms").is_dir():
            dirs.append(user / "platforms")
    return dirs


def known_platforms() -> dict[str, Path]:
    """Return ``{key: profile path}`` for every available profile."""
    from diag.files import yaml_by_key

    return yaml_by_key(platform_dirs())


def _validation_message(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top)"
    return where, err["msg"]


@lru_cache(maxsize=256)
def _load_cached(path: str, mtime: float) -> PlatformProfile:
    file = Path(path)
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: profiles load on every read
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"cannot read the platform profile ({type(exc).__name__}: {exc})",
                            file=file) from None
    if not isinstance(data, dict):
        raise TemplateError("expected a mapping (key, name, signature, fields, …)", file=file)
    data.setdefault("key", file.stem)
    try:
        profile = PlatformProfile.model_validate(data)
    except ValidationError as exc:
        where, msg = _validation_message(exc)
        raise TemplateError(msg, file=file, where=where) from None
    if profile.key != file.stem:
        raise TemplateError(f"key '{profile.key}' differs from the file name '{file.stem}'",
                            file=file, where="key")
    return profile


def load_platform(path: str | Path) -> PlatformProfile:
    """Return the validated profile in ``path``."""
    path = Path(path)
    if not path.is_file():
        raise TemplateError("platform profile not found", file=path)
    return _load_cached(str(path.absolute()), path.stat().st_mtime)


def all_profiles() -> list[PlatformProfile]:
    """Return every available profile, validated."""
    return [load_platform(p) for p in known_platforms().values()]


def require_platform(key: str, *, file: str | Path | None = None, where: str | None = None
                     ) -> PlatformProfile:
    """Return the profile ``key`` or raise naming the known keys."""
    known = known_platforms()
    if key not in known:
        raise UsageError(f"no platform profile '{key}'; known: {', '.join(known) or '(none)'}",
                         file=file or "--platform", where=where)
    return load_platform(known[key])


# -- detection ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Detection:
    """Return-value record of :func:`detect`: the chosen profile (or None) and the closest one."""

    profile: PlatformProfile | None
    closest: PlatformProfile | None
    score: float
    matched: tuple[str, ...]
    missing: tuple[str, ...]

    def matched_text(self) -> str:
        """Return ``识别表头 m/n`` for the chosen or closest profile."""
        return f"识别表头 {len(self.matched)}/{len(self.matched) + len(self.missing)}"

    def describe(self) -> str:
        """Return one Chinese phrase: which profile and how well it matched."""
        p = self.profile or self.closest
        if p is None:
            return "无相近平台模板"
        n = len(self.matched) + len(self.missing)
        return f"{p.name} ({p.key}, 识别表头 {len(self.matched)}/{n})"


def signature_score(profile: PlatformProfile, headers: set[str]) -> tuple[float, tuple[str, ...],
                                                                          tuple[str, ...]]:
    """Return (share of signature present, matched, missing) for normalised ``headers``."""
    matched = tuple(h for h in profile.signature if normalise_header(h) in headers)
    missing = tuple(h for h in profile.signature if normalise_header(h) not in headers)
    return len(matched) / len(profile.signature), matched, missing


def detect(headers: list[str], profiles: list[PlatformProfile] | None = None) -> Detection:
    """Return the profile whose signature the headers match best (None below MIN_SCORE).

    Ties go to the profile with more signature headers (the more specific export).
    """
    norm = {normalise_header(h) for h in headers}
    best: tuple[float, int, PlatformProfile, tuple[str, ...], tuple[str, ...]] | None = None
    for profile in profiles if profiles is not None else all_profiles():
        score, matched, missing = signature_score(profile, norm)
        rank = (score, len(matched))
        if best is None or rank > (best[0], best[1]):
            best = (score, len(matched), profile, matched, missing)
    if best is None:
        return Detection(None, None, 0.0, (), ())
    score, _, profile, matched, missing = best
    return Detection(profile if score >= MIN_SCORE else None, profile, score, matched, missing)


def forced(profile: PlatformProfile, headers: list[str]) -> Detection:
    """Return the detection record of a profile forced by ``--platform`` / ``data.platform``."""
    score, matched, missing = signature_score(profile, {normalise_header(h) for h in headers})
    return Detection(profile, profile, score, matched, missing)


def known_headers() -> set[str]:
    """Return every header any profile names, normalised (for finding the header row)."""
    out: set[str] = set()
    for p in all_profiles():
        out.update(normalise_header(h) for h in p.signature)
        for headers in p.fields.values():
            out.update(normalise_header(h) for h in headers)
        out.update(normalise_header(a.header) for a in p.amount)
    return out


# -- CLI text ------------------------------------------------------------------------------

def format_list() -> str:
    """Return one line per profile: key, name, export."""
    rows = [(key, load_platform(path)) for key, path in known_platforms().items()]
    width = max((len(k) for k, _ in rows), default=4)
    lines = [f"{k.ljust(width)}  {p.name} — {p.export}" + ("  (不能单独使用)" if p.refuse else "")
             for k, p in rows]
    return "\n".join(["订单导出平台模板 (diag platforms show KEY 查看详情):", *lines])


def format_show(key: str) -> str:
    """Return a profile in readable Chinese: signature, field map, statuses, habits, sources."""
    p = require_platform(key, file="diag platforms show")
    out = [f"{p.name} ({p.key})", f"  平台: {p.platform}; 导出: {p.export}",
           f"  识别表头: {'、'.join(p.signature)}", "  字段对应:"]
    for field_name, headers in p.fields.items():
        out.append(f"    {field_name} ← {' / '.join(headers)}")
    for a in p.amount:
        level = "订单级 (每单一次)" if a.level == "order" else "商品行级 (按行相加)"
        out.append(f"    amount ← {a.header} [{AMOUNT_KIND_LABELS[a.kind]}, {level}]")
    if p.statuses:
        out.append("  状态含义:")
        out += [f"    {s}: {MEANING_LABELS[m]}" for s, m in p.statuses.items()]
    if p.walk_ins:
        out.append("  无会员的订单记为散客: 计入订单数与 GMV, 不计入客户、复购与 RFM")
    if p.refuse:
        out.append(f"  不能单独使用: {p.refuse}")
    out.append(f"  编码: {'、'.join(p.encoding)}")
    out += [f"  版式: {x}" for x in p.layout] + [f"  特点: {x}" for x in p.quirks]
    out += [f"  来源: {s.title}" + (f" <{s.url}>" if s.url else "") + (f" — {s.note}" if s.note else "")
            for s in p.sources]
    return "\n".join(out)


def check_platform_file(path: str | Path) -> PlatformProfile:
    """Return the validated profile in ``path`` (raises TemplateError naming the field)."""
    return load_platform(path)


def profile_summary(profile: PlatformProfile | None) -> dict[str, Any]:
    """Return the profile's name and key as plain data (for the quality record)."""
    if profile is None:
        return {"platform": "通用表头 (未识别平台)", "profile": None}
    return {"platform": profile.name, "profile": profile.key}
