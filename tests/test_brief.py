"""The brief loads whole, and every problem names its field path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from diag.brief.model import Brief, brief_errors, load_brief, save_brief, slugify
from diag.errors import BriefError, TemplateError

MINIMAL = {"client": {"name": "小贝母婴", "industry": "母婴"}}


def write(tmp_path: Path, data, name: str = "client.yaml") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_brief_needs_only_client_name_and_industry(tmp_path):
    brief = load_brief(write(tmp_path, MINIMAL))
    assert brief.client.name == "小贝母婴"
    assert brief.slug == "client"


def test_a_number_written_with_words_is_reported_with_its_field_path(tmp_path):
    path = write(tmp_path, {**MINIMAL, "goods": {"aov": "约100元"}})
    with pytest.raises(BriefError) as info:
        load_brief(path)
    assert info.value.line() == f"{path}:goods.aov: expected a number, got '约100元'"


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    data = {"client": {"name": "x", "industry": "母婴", "store_count": -1},
            "goods": {"aov": "abc"}, "team": {"gene": "销售"}}
    errors = brief_errors(data, "b.yaml")
    places = {e.where for e in errors}
    assert places == {"client.store_count", "goods.aov", "team.gene"}


def test_an_unknown_field_lists_the_known_ones():
    errors = brief_errors({"client": {"name": "x", "industry": "母婴", "nmae": 1}}, "b.yaml")
    assert errors[0].where == "client.nmae"
    assert "known: name, slug, industry" in errors[0].message


def test_a_missing_required_field_is_named():
    errors = brief_errors({"client": {"industry": "母婴"}}, "b.yaml")
    assert errors[0].line() == "b.yaml:client.name: required field is missing"


def test_shares_accept_percent_text():
    brief = Brief.model_validate({**MINIMAL, "goods": {"gross_margin": "55%"}})
    assert brief.goods.gross_margin == pytest.approx(0.55)


def test_a_share_above_one_is_rejected():
    errors = brief_errors({**MINIMAL, "goods": {"gross_margin": 55}}, "b.yaml")
    assert errors[0].where == "goods.gross_margin"
    assert "≤ 1" in errors[0].message


def test_list_items_are_named_by_index():
    data = {**MINIMAL, "scene": {"channels": [{"name": "天猫"}, {"name": "抖音", "share": "很多"}]}}
    errors = brief_errors(data, "b.yaml")
    assert errors[0].where == "scene.channels[1].share"


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "client:\n  name: [unclosed\n  industry: 母婴\n")
    with pytest.raises(BriefError) as info:
        load_brief(path)
    assert info.value.where.startswith("line ")


def test_an_empty_brief_says_what_is_expected(tmp_path):
    with pytest.raises(BriefError, match="empty"):
        load_brief(write(tmp_path, ""))


def test_a_brief_that_is_not_a_mapping_is_rejected(tmp_path):
    with pytest.raises(BriefError, match="expected a mapping"):
        load_brief(write(tmp_path, "- just\n- a list\n"))


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(BriefError, match="file not found"):
        load_brief(tmp_path / "nope.yaml")


def test_an_unknown_industry_lists_the_known_templates(tmp_path):
    path = write(tmp_path, {"client": {"name": "x", "industry": "零食"}})
    with pytest.raises(TemplateError) as info:
        load_brief(path)
    assert info.value.where == "client.industry"
    assert "known:" in info.value.message and "母婴" in info.value.message


def test_data_paths_resolve_against_the_brief_folder(tmp_path):
    brief = load_brief(write(tmp_path, {**MINIMAL, "data": {"orders": "data/orders.csv"}}))
    assert brief.data_path("orders") == tmp_path / "data" / "orders.csv"
    assert brief.data_path("wecom_contacts") is None


def test_save_then_load_gives_the_same_brief(tmp_path):
    data = {**MINIMAL, "goods": {"aov": 168.0, "selling_points": ["有机", "进口"]},
            "journey": [{"stage": "认知", "touchpoints": ["小红书"], "emotion": "好奇"}]}
    brief = load_brief(write(tmp_path, data))
    again = load_brief(save_brief(brief, tmp_path / "copy.yaml"))
    assert again.model_dump(exclude={"source"}) == brief.model_dump(exclude={"source"})
    assert "小红书" in (tmp_path / "copy.yaml").read_text(encoding="utf-8")


def test_slugs_keep_chinese_and_fold_punctuation():
    assert slugify("Mu Jia 家居 (上海)") == "mu-jia-家居-上海"
    assert slugify("   ") == "client"
