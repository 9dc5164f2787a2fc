"""The JupyterLab form edits a brief section by section and saves only a valid brief."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from diag.brief.model import load_brief
from diag.intake.widgets import brief_form

pytestmark = pytest.mark.slow  # builds the JupyterLab form


def brief_file(tmp_path: Path) -> Path:
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump({"client": {"name": "测试", "industry": "母婴"}, "goods": {"aov": 100}},
                                   allow_unicode=True), encoding="utf-8")
    return path


def test_the_form_has_one_tab_per_sheet_and_shows_current_answers(tmp_path):
    form = brief_form(brief_file(tmp_path))
    assert form.tabs.get_title(0) == "企业概况" and len(form.tabs.children) == 13
    assert form.inputs["goods.aov"].value == "100"
    assert form.inputs["client.name"].value == "测试"


def test_answers_are_interpreted_as_typed_and_saved_to_yaml(tmp_path):
    path = brief_file(tmp_path)
    form = brief_form(path)
    form.set("assets.friends", "约5000人")
    form.set("client.online_share", "30%")
    form.set("client.format", "连锁")
    form.set("scene.channels", "- name: 门店\n  share: 60%\n")
    assert "✓" in form.messages["assets.friends"].value
    assert form.save() is True and "已保存" in form.status.value
    brief = load_brief(path)
    assert brief.assets.friends == 5000 and brief.client.online_share == 0.3 and brief.client.format == "连锁"
    assert brief.scene.channels[0].share == 0.6 and brief.goods.aov == 100


def test_a_problem_is_shown_in_place_and_nothing_is_saved(tmp_path):
    path = brief_file(tmp_path)
    before = path.read_text(encoding="utf-8")
    form = brief_form(path)
    form.set("goods.aov", "100-200")
    assert "区间" in form.messages["goods.aov"].value and "150" in form.messages["goods.aov"].value
    form.set("scene.channels", "- name: 门店\n  share: 150%\n")
    assert form.save() is False
    assert "scene.channels" in form.status.value and "≤ 1" in form.messages["scene.channels"].value
    assert path.read_text(encoding="utf-8") == before


def test_clearing_a_field_removes_it_from_the_brief(tmp_path):
    path = brief_file(tmp_path)
    form = brief_form(path)
    form.set("goods.aov", "")
    assert form.save() is True
    assert load_brief(path).goods.aov is None
