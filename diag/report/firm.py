"""The firm's report settings: its Word template, name, logo, author and confidentiality line.

They are read from the config file the kit already reads for a firm's industry
templates (``.diag.yaml`` / ``diag.yaml`` / ``diag.toml`` in the working directory,
then ``~/.config/diag/config.yaml``; see :mod:`diag.industries.registry`)::

    report_template: brand/firm-report.docx   # relative to the config file's folder
    firm_name: 远山私域咨询
    logo: brand/logo.png
    author: 李明
    confidentiality: 机密　仅供客户管理层阅读

The first of those files that sets any of these keys provides them.  ``--template``
on the command line wins over ``report_template``.  :func:`check_template` lists the
styles a template lacks (the kit's styles are registered in
:data:`diag.report.styles.STYLES`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

# The same files, in the same order and read the same way, as for the firm's industry templates.
from diag.config import _config_candidates, _read_mapping
from diag.errors import TemplateError
from diag.paths import REPORT_TEMPLATE
from diag.report.styles import STYLE_KINDS, STYLES, TABLE_TEXT_ROLES

__all__ = ["FirmSettings", "firm_settings", "check_template", "check_and_print", "format_check",
           "TemplateProblem", "KEYS",
           "MIN_TABLE_PT"]

#: Config keys (and the aliases accepted for them).
KEYS: dict[str, tuple[str, ...]] = {
    "report_template": ("report_template",),
    "firm_name": ("firm_name", "firm"),
    "logo": ("logo", "firm_logo"),
    "author": ("author", "report_author"),
    "confidentiality": ("confidentiality", "confidential"),
}

#: Table text below this size is unreadable on a phone; the builder raises it to this.
MIN_TABLE_PT = 9.0


@dataclass(frozen=True)
class FirmSettings:
    """What a firm sets for its reports; empty fields fall back to the kit's defaults."""

    template: Path | None = None
    firm_name: str = ""
    logo: Path | None = None
    author: str = ""
    confidentiality: str = ""
    source: Path | None = None     # the config file they came from

    @property
    def template_path(self) -> Path:
        """Return the template to build from (the firm's, else the bundled one)."""
        return self.template or REPORT_TEMPLATE


def _from_config() -> FirmSettings:
    for candidate in _config_candidates():
        if not candidate.is_file():
            continue
        data = _read_mapping(candidate)
        values: dict[str, str] = {}
        for key, aliases in KEYS.items():
            for alias in aliases:
                value = data.get(alias)
                if value is None:
                    continue
                if not isinstance(value, str) or not value.strip():
                    raise TemplateError(f"expected text, got {value!r}", file=candidate, where=alias)
                values[key] = value.strip()
                break
        if not values:
            continue
        where = candidate.parent

        def path(key: str) -> Path | None:
            if key not in values:
                return None
            p = Path(values[key]).expanduser()
            return p if p.is_absolute() else (where / p).resolve()

        return FirmSettings(template=path("report_template"), firm_name=values.get("firm_name", ""),
                            logo=path("logo"), author=values.get("author", ""),
                            confidentiality=values.get("confidentiality", ""), source=candidate)
    return FirmSettings()


def firm_settings(template: str | os.PathLike[str] | None = None) -> FirmSettings:
    """Return the firm's settings from the config file, with ``template`` (``--template``) winning.

    The template and the logo are checked here, before any work starts: a missing
    file, a file that is not a Word document or an image, or a template that lacks
    a style the report uses is a :class:`TemplateError` naming the file.
    """
    settings = _from_config()
    if template is not None:
        settings = replace(settings, template=Path(template).expanduser().absolute())
        where = "--template"
    else:
        where = "report_template"
    if settings.template is not None:
        problems = [p for p in check_template(settings.template, source=settings.source
                                              if where == "report_template" else None)
                    if p.fatal]
        if problems:
            raise TemplateError(_summary(problems), file=settings.template)
    if settings.logo is not None:
        _check_logo(settings.logo, settings.source)
    return settings


def _check_logo(logo: Path, source: Path | None) -> None:
    if not logo.is_file():
        raise TemplateError(f"no such logo file: {logo}", file=source or logo, where="logo")
    head = logo.read_bytes()[:8]
    if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8") or head[:3] == b"GIF"):
        raise TemplateError("expected a PNG, JPEG or GIF picture", file=logo)


@dataclass(frozen=True)
class TemplateProblem:
    """One thing a template lacks: a style (by name, kind and role), or a note."""

    style: str
    role: str
    kind: str
    message: str
    fatal: bool = True

    def line(self) -> str:
        """Return the problem as one line for the consultant."""
        return f"{self.style}（{self.kind}，{self.role}）：{self.message}"


_KIND_ZH = {"paragraph": "段落样式", "character": "字符样式", "table": "表格样式"}


def check_template(path: str | Path, *, source: Path | None = None) -> list[TemplateProblem]:
    """Return what the template at ``path`` lacks for the report (empty: complete).

    Every style of :data:`~diag.report.styles.STYLES` must exist with its kind
    (paragraph, character, table).  Table text below :data:`MIN_TABLE_PT` is a
    non-fatal note (the builder raises it).  A file that is not a readable .docx is
    a :class:`TemplateError`.
    """
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    if not path.is_file():
        raise TemplateError("no such report template (expected a .docx file)",
                            file=source or path, where="report_template" if source else None)
    try:
        doc = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise TemplateError(f"not a Word .docx document ({type(exc).__name__})", file=path) from None
    except Exception as exc:  # noqa: BLE001 - a damaged zip or XML is bad input, not a crash
        raise TemplateError(f"cannot read the Word document ({type(exc).__name__}: {exc})",
                            file=path) from None
    types = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER,
             "table": WD_STYLE_TYPE.TABLE}
    by_name = {s.name: s for s in doc.styles if s.name}
    problems: list[TemplateProblem] = []
    for role, name in STYLES.items():
        kind = STYLE_KINDS.get(role, "paragraph")
        style = by_name.get(name)
        if style is None:
            problems.append(TemplateProblem(name, role, _KIND_ZH[kind], "模板中没有这个样式"))
        elif style.type != types[kind]:
            problems.append(TemplateProblem(name, role, _KIND_ZH[kind], "样式类型不对"))
        elif role in TABLE_TEXT_ROLES:
            size = _size_pt(style)
            if size is not None and size < MIN_TABLE_PT:
                problems.append(TemplateProblem(
                    name, role, _KIND_ZH[kind],
                    f"字号 {size:g} pt 小于 {MIN_TABLE_PT:g} pt，报告中将放大到 {MIN_TABLE_PT:g} pt",
                    fatal=False))
    return problems


def _size_pt(style) -> float | None:
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return None


def _summary(problems: list[TemplateProblem]) -> str:
    names = ", ".join(p.style for p in problems)
    return (f"report template lacks {len(problems)} style(s) the report uses: {names} "
            "(see `diag report --check-template`)")


def format_check(path: Path, problems: list[TemplateProblem]) -> tuple[str, str]:
    """Return (stdout, stderr) text of ``diag report --check-template``."""
    fatal = [p for p in problems if p.fatal]
    notes = [p for p in problems if not p.fatal]
    out = "\n".join([f"注意: {p.line()}" for p in notes])
    if not fatal:
        done = f"模板完整: {path} 含报告所需的全部 {len(set(STYLES.values()))} 个样式"
        return ("\n".join(x for x in (done, out) if x)), ""
    err = [f"error: {path}: {_summary(fatal)}"]
    err += [f"  缺少: {p.line()}" for p in fatal]
    return out, "\n".join(err)


def check_and_print(path: Path) -> int:
    """Print ``diag report --check-template`` for ``path``; return its exit status (0 complete, 2 not)."""
    import sys

    out, err = format_check(path, check_template(path))
    if out:
        print(out)
    if err:
        print(err, file=sys.stderr)
        return 2
    return 0
