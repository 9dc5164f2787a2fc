"""An ipywidgets form that edits a brief section by section in JupyterLab.

One tab per sheet of the 需求澄清表 (the same fields, labels and help as the workbook).
Each answer is interpreted as it is typed (``3万``, ``30%`` … as in the workbook
import) with the message shown beside it; tables (product lines, channels, roles,
competitors, journey notes) are edited as YAML lists.  **保存** validates the whole
brief, shows every problem next to its field and writes the YAML only when it is valid.

Used by ``notebooks/01_intake.ipynb`` when ``interactive = True``; never under papermill.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from diag.brief.model import Brief, brief_errors, save_brief
from diag.intake.answers import AnswerError, as_text
from diag.intake.fields import FormField, get_at, parse_answer, set_at
from diag.intake.workbook import _display, form_sheets

__all__ = ["BriefForm", "brief_form"]

OK, BAD = "#2e7d5b", "#bc4b51"


def _message(text: str, colour: str) -> str:
    return f"<span style='color:{colour};font-size:12px'>{text}</span>" if text else ""


class BriefForm:
    """The form's state: the brief data being edited, its widgets and their messages."""

    def __init__(self, path: str | Path, lang: str = "zh") -> None:
        import ipywidgets as w

        self.path = Path(path)
        self.lang = lang
        raw = yaml.safe_load(self.path.read_text(encoding="utf-8-sig")) if self.path.exists() else None
        self.data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.inputs: dict[str, Any] = {}
        self.messages: dict[str, Any] = {}
        self.fields: dict[str, FormField] = {}
        #: Fields whose current text could not be interpreted: path → reason.
        self.invalid: dict[str, str] = {}
        pages, titles = [], []
        for spec in form_sheets():
            rows = []
            if spec.layout == "fields":
                for f in spec.fields:
                    rows.append(self._field_row(w, f))
            else:
                rows.append(self._table_row(w, spec))
            pages.append(w.VBox(rows))
            titles.append(spec.title(lang))
        self.tabs = w.Tab(children=pages)
        for i, title in enumerate(titles):
            self.tabs.set_title(i, title)
        self.status = w.HTML()
        self.button = w.Button(description="保存" if lang == "zh" else "Save", button_style="primary",
                               icon="save")
        self.button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.tabs, w.HBox([self.button, self.status])])

    # -- building ---------------------------------------------------------------------
    def _field_row(self, w: Any, f: FormField) -> Any:
        label = f.label(self.lang) + (" *" if f.required else "")
        current = _display(get_at(self.data, f.path), f.kind, self.lang)
        if f.kind in ("enum", "bool"):
            options = [""] + (list(f.choices) if f.kind == "enum" else ["是", "否"])
            value = current if current in options else ""
            box = w.Dropdown(options=options, value=value, description=label,
                             style={"description_width": "180px"}, layout=w.Layout(width="420px"))
        else:
            text = "" if current is None else as_text(current)
            box = w.Text(value=text, description=label, placeholder=f.example,
                         style={"description_width": "180px"}, layout=w.Layout(width="520px"))
        message = w.HTML(_message(f.help(self.lang), "#7f7f7f"))
        self.inputs[f.path], self.messages[f.path], self.fields[f.path] = box, message, f
        box.observe(lambda change, f=f: self._changed(f, change["new"]), names="value")
        return w.HBox([box, message])

    def _table_row(self, w: Any, spec: Any) -> Any:
        path = spec.list_path
        records = get_at(self.data, path) or []
        text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False) if records else ""
        columns = "、".join(f"{f.name}（{f.label(self.lang)}）" for f in spec.fields)
        area = w.Textarea(value=text, placeholder=f"- {spec.fields[0].name}: {spec.fields[0].example}",
                          layout=w.Layout(width="900px", height="260px"))
        message = w.HTML(_message(("每条一项（YAML 列表），字段：" if self.lang == "zh" else "YAML list; fields: ")
                                  + columns, "#7f7f7f"))
        self.inputs[path], self.messages[path] = area, message
        area.observe(lambda change, path=path: self._table_changed(path, change["new"]), names="value")
        return w.VBox([area, message])

    # -- editing ----------------------------------------------------------------------
    def set(self, path: str, value: str) -> None:
        """Type ``value`` into the field ``path`` (as a user would)."""
        self.inputs[path].value = value

    def _changed(self, f: FormField, text: str) -> None:
        self.invalid.pop(f.path, None)
        if text in ("", None):
            self._remove(f.path)
            self.messages[f.path].value = ""
            return
        try:
            value = parse_answer(text, f)
        except AnswerError as exc:
            hint = f"；建议：{exc.suggestion}" if exc.suggestion else ""
            self.messages[f.path].value = _message(f"⚠ {exc.reason}{hint}", BAD)
            self.invalid[f.path] = f"「{text}」{exc.reason}"
            return
        set_at(self.data, f.path, value.isoformat() if hasattr(value, "isoformat") else value)
        self.messages[f.path].value = _message("✓", OK)

    def _table_changed(self, path: str, text: str) -> None:
        self.invalid.pop(path, None)
        try:
            records = yaml.safe_load(text) if text.strip() else []
        except yaml.YAMLError as exc:
            self.messages[path].value = _message(f"⚠ YAML 格式错误：{getattr(exc, 'problem', exc)}", BAD)
            self.invalid[path] = "YAML 格式错误"
            return
        if not isinstance(records, list):
            self.messages[path].value = _message("⚠ 应为列表，每项以 “- ” 开头", BAD)
            self.invalid[path] = "应为列表"
            return
        if records:
            set_at(self.data, path, records)
        else:
            self._remove(path)
        self.messages[path].value = _message("✓", OK)

    def _remove(self, path: str) -> None:
        parent = get_at(self.data, path.rsplit(".", 1)[0]) if "." in path else self.data
        if isinstance(parent, dict):
            parent.pop(path.rsplit(".", 1)[-1], None)

    # -- saving -----------------------------------------------------------------------
    def errors(self) -> list[tuple[str, str]]:
        """Return ``(field path, message)`` for every problem of the brief as edited."""
        return [*self.invalid.items(), *((e.where or "", e.message) for e in brief_errors(self.data, self.path))]

    def save(self) -> bool:
        """Validate and, when valid, write the brief; return whether it was saved."""
        problems = self.errors()
        for path, message in problems:
            if path in self.invalid:
                continue  # its message is already in place
            key = next((p for p in self.messages if path == p or path.startswith(p + ".")
                        or path.startswith(p + "[")), None)
            if key is not None:
                self.messages[key].value = _message(f"⚠ {message}", BAD)
        if problems:
            lines = "<br>".join(f"{p}: {m}" for p, m in problems[:10])
            self.status.value = _message(f"未保存，有 {len(problems)} 处需要修改：<br>{lines}", BAD)
            return False
        brief = Brief.model_validate(self.data)
        save_brief(brief, self.path)
        self.status.value = _message(f"已保存到 {self.path}", OK)
        return True


def brief_form(path: str | Path, lang: str = "zh") -> BriefForm:
    """Return the editing form for the brief at ``path``; show it with ``display(form.widget)``."""
    return BriefForm(path, lang)
