"""The 需求澄清表 workbook: a form generated from the brief model, read back tolerantly."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

import openpyxl
import pytest
import yaml

from diag.brief.labels import FIELDS, SHEETS
from diag.brief.model import Brief, load_brief
from diag.cli import main
from diag.errors import DataError
from diag.intake.fields import item_model
from diag.intake.workbook import (
    FORM_VERSION,
    _display,
    form_sheets,
    import_workbook,
    read_workbook,
    write_form,
)

FULL: dict[str, typing.Any] = {
    "client": {"name": "小熊母婴", "slug": "xiaoxiong", "industry": "母婴", "category": "婴童用品",
               "format": "连锁", "store_count": 12, "regions": ["杭州", "宁波"], "revenue_band": "1000万-3000万",
               "online_share": 0.3, "respondent": "王店长", "respondent_role": "运营总监", "consultant": "李顾问"},
    "goods": {"product_lines": [{"name": "纸尿裤", "price_min": 59.0, "price_max": 129.5, "role": "复购",
                                 "gross_margin": 0.35},
                                {"name": "奶粉", "price_min": 199.0, "role": "利润"}],
              "aov": 168.5, "gross_margin": 0.4, "repurchase_cycle_days": 30.0,
              "selling_points": ["进口原料", "到店试用"], "traffic_products": ["试用装"],
              "profit_products": ["有机奶粉"], "repurchase_products": ["纸尿裤"],
              "margins": {"奶粉": 0.25, "纸尿裤": 0.3}},
    "scene": {"channels": [{"name": "门店", "share": 0.6, "kind": "线下", "monthly_reach": 8000},
                           {"name": "小程序", "share": 0.4, "kind": "私域"}],
              "public_platforms": ["抖音", "美团"], "stores": ["西湖店", "滨江店"], "monthly_parcels": 3000},
    "people": {"persona": "25-35岁新手妈妈", "purchase_logic": "看口碑", "decision_cycle_days": 7.0,
               "purchases_per_year": 8.0, "member_tiers": ["普通", "金卡"]},
    "assets": {"personal_wechat_accounts": 3, "wecom_accounts": 10, "friends": 5000, "groups": 12,
               "group_members": 3000, "official_account_followers": 12000, "mini_program": True,
               "moments_per_week": 7.0, "scrm_tool": "微伴助手"},
    "team": {"headcount": 3, "roles": [{"role": "社群运营", "count": 2, "kpi": "社群GMV"}, {"role": "导购", "count": 1}],
             "kpis": ["加粉数", "复购率"], "incentives": "底薪+提成", "gene": "运营"},
    "goals": {"gmv_target": 5000000.0, "new_customers_target": 2000, "repurchase_rate_target": 0.35,
              "timeline_months": 6, "budget": 200000.0, "tasks": ["搭建社群SOP", "设计包裹卡"],
              "constraints": "不能打扰老客"},
    "funnel": {"reachable": 5000, "invite_success": 0.1, "purchase_intent": 0.04, "referrers": 120},
    "competitors": [{"name": "贝贝母婴", "strengths": "社群活跃", "notes": "价格低10%"}],
    "data": {"orders": "orders.csv", "columns": {"amount": "实收金额"}, "wecom_contacts": "contacts.csv",
             "wecom_groups": "groups.csv", "customers": "members.xlsx", "as_of": "2024-06-30"},
    "journey": [{"stage": "认知", "touchpoints": ["小红书", "朋友推荐"], "actions": ["搜索口碑"], "thoughts": ["安全吗"],
                 "emotion": "好奇", "score": 1, "pain_points": ["信息太多"], "opportunities": ["内容种草"]},
                {"stage": "复购", "touchpoints": ["社群"], "emotion": "无聊", "score": -1, "pain_points": ["忘记补货"]}],
    "notes": "老板很重视私域",
}


@pytest.fixture
def full_brief() -> Brief:
    return Brief.model_validate(FULL)


# -- helpers that fill a form the way a client (or a script) would ----------------------

def answer_cell(wb: openpyxl.Workbook, path: str):
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_col=1, max_col=1):
            if row[0].value == path:
                return ws.cell(row=row[0].row, column=3)
    raise KeyError(path)


def table_sheet(wb: openpyxl.Workbook, key: str):
    title = next(zh for k, zh, *_ in SHEETS if k == key)
    return wb[title]


def table_column(ws, name: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=6):
        if row[0].value == "__fields__":
            return next(c.column for c in row if c.value == name)
    raise KeyError(name)


def blank_form(tmp_path: Path, **kwargs) -> tuple[Path, openpyxl.Workbook]:
    path = write_form(tmp_path / "form.xlsx", **kwargs)
    return path, openpyxl.load_workbook(path)


def fill_minimum(wb: openpyxl.Workbook) -> None:
    answer_cell(wb, "client.name").value = "小熊母婴"
    answer_cell(wb, "client.industry").value = "母婴"


def save_and_read(wb: openpyxl.Workbook, tmp_path: Path):
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    return read_workbook(path)


# -- the form -----------------------------------------------------------------------

def test_every_brief_field_appears_in_the_form_exactly_once_with_a_label():
    def walk(model, prefix=""):
        for name, info in model.model_fields.items():
            if name == "source":
                continue
            inner = item_model(info.annotation)
            path = f"{prefix}{name}"
            if inner is not None and typing.get_origin(info.annotation) is not list:
                yield from walk(inner, path + ".")
            elif inner is not None:
                yield path
                yield from walk(inner, path + ".")
            else:
                yield path

    model_paths = set(walk(Brief))
    form_paths = [f.path for s in form_sheets() for f in s.fields] + [s.list_path for s in form_sheets()
                                                                       if s.list_path]
    assert sorted(form_paths) == sorted(set(form_paths)), "a field is on two sheets"
    assert set(form_paths) == model_paths
    assert set(FIELDS) == model_paths, "the label catalogue and the brief model have drifted apart"


def test_the_form_has_one_sheet_per_section_a_hidden_version_marker_and_instructions(tmp_path):
    path, wb = blank_form(tmp_path)
    for name in ("企业概况", "货品", "产品线", "渠道与场景", "销售渠道", "用户", "私域资产", "团队", "团队角色",
                 "目标与约束", "竞品", "数据文件", "旅程访谈"):
        assert name in wb.sheetnames
    assert wb.sheetnames[0] == "填写说明"
    meta = wb["_meta"]
    assert meta.sheet_state == "hidden" and meta["B1"].value == FORM_VERSION
    assert "DIAG_INTAKE_VERSION" in wb.defined_names


def test_input_cells_are_marked_and_unlocked_while_labels_and_help_are_protected(tmp_path):
    _, wb = blank_form(tmp_path)
    ws = wb["货品"]
    cell = answer_cell(wb, "goods.aov")
    assert ws.protection.sheet
    assert cell.fill.fgColor.rgb.endswith("FFF2CC") and cell.protection.locked is False
    label, help_cell = ws.cell(row=cell.row, column=2), ws.cell(row=cell.row, column=4)
    assert label.value.startswith("客单价") and label.protection.locked
    assert help_cell.value and help_cell.protection.locked
    assert ws.column_dimensions["A"].hidden  # field codes


@pytest.mark.slow
def test_enumerations_get_drop_down_lists(tmp_path):
    _, wb = blank_form(tmp_path)
    ws = wb["企业概况"]
    fmt, industry = answer_cell(wb, "client.format"), answer_cell(wb, "client.industry")
    formulas = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert formulas['"单店,连锁,电商,品牌"'] == fmt.coordinate
    industry_formula = next(f for f, ref in formulas.items() if ref == industry.coordinate)
    meta = wb["_meta"]
    listed = [meta.cell(row=r, column=4).value for r in range(1, 20) if meta.cell(row=r, column=4).value]
    assert industry_formula.startswith("_meta!") and "母婴" in listed and "餐饮" in listed
    stages = table_sheet(wb, "journey")
    assert any("认知,考虑,首购,使用,复购,推荐" in dv.formula1 for dv in stages.data_validations.dataValidation)


def test_industry_option_prefills_the_industry_and_shows_the_templates_typical_values(tmp_path):
    _, wb = blank_form(tmp_path, industry="母婴")
    assert answer_cell(wb, "client.industry").value == "母婴"
    aov = answer_cell(wb, "goods.aov")
    assert "行业典型" in wb["货品"].cell(row=aov.row, column=5).value


def test_an_unknown_industry_option_is_refused_with_the_known_ones(tmp_path, capsys):
    assert main(["intake", "form", str(tmp_path / "f.xlsx"), "--industry", "零售"]) == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("error: --industry: no industry template '零售'; known:") and "母婴" in first


@pytest.mark.slow
def test_the_english_form_has_english_sheets_and_labels_and_reads_back(tmp_path, full_brief):
    path = write_form(tmp_path / "en.xlsx", lang="en", brief=full_brief)
    wb = openpyxl.load_workbook(path)
    assert "Business" in wb.sheetnames and "Journey" in wb.sheetnames
    assert wb["Business"]["B2"].value == "Question"
    assert answer_cell(wb, "client.format").value == "chain"
    assert read_workbook(path).brief == full_brief


# -- round trips ----------------------------------------------------------------------

@pytest.mark.slow
def test_a_full_brief_survives_the_round_trip_through_a_prefilled_form(tmp_path, full_brief):
    path = write_form(tmp_path / "pre.xlsx", brief=full_brief)
    result = read_workbook(path)
    assert result.unresolved == [] and result.notes == []
    assert result.brief == full_brief


@pytest.mark.slow
def test_a_blank_form_filled_cell_by_cell_reads_back_as_the_same_brief(tmp_path, full_brief):
    _, wb = blank_form(tmp_path)
    data = full_brief.model_dump()
    for spec in form_sheets():
        if spec.layout == "fields":
            for f in spec.fields:
                value = data
                for part in f.path.split("."):
                    value = value.get(part) if isinstance(value, dict) else None
                answer_cell(wb, f.path).value = _display(value, f.kind, "zh")
        else:
            ws = table_sheet(wb, spec.key)
            records = data
            for part in spec.list_path.split("."):
                records = records[part]
            for i, record in enumerate(records):
                for f in spec.fields:
                    ws.cell(row=6 + i, column=table_column(ws, f.name)).value = _display(record[f.name], f.kind, "zh")
    result = save_and_read(wb, tmp_path)
    assert result.unresolved == []
    assert result.brief == full_brief


@pytest.mark.slow
def test_import_writes_a_loadable_brief_yaml(tmp_path, full_brief):
    path = write_form(tmp_path / "pre.xlsx", brief=full_brief)
    result = import_workbook(path, tmp_path / "out" / "brief.yaml")
    loaded = load_brief(result.path)
    assert loaded.model_dump(exclude={"source"}) == full_brief.model_dump()


# -- messy answers --------------------------------------------------------------------

@pytest.mark.slow
def test_numbers_typed_as_text_with_units_are_read(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    answers = {"assets.friends": "约5000人", "goals.gmv_target": "3万", "assets.official_account_followers": "1.2w",
               "goods.aov": "¥1,299", "client.online_share": "30%", "goods.gross_margin": "４５％",
               "client.store_count": "１２家", "goods.repurchase_cycle_days": "1个月",
               "assets.mini_program": "有", "client.format": "连锁（直营为主）", "data.as_of": "2024年6月30日",
               "goods.margins": "奶粉：25%；纸尿裤: 30％", "client.regions": "杭州，宁波、上海"}
    for path, text in answers.items():
        answer_cell(wb, path).value = text
    result = save_and_read(wb, tmp_path)
    b = result.brief
    assert result.unresolved == []
    assert (b.assets.friends, b.goals.gmv_target, b.assets.official_account_followers) == (5000, 30000, 12000)
    assert b.goods.aov == 1299 and b.client.online_share == 0.3 and b.goods.gross_margin == 0.45
    assert b.client.store_count == 12 and b.goods.repurchase_cycle_days == 30
    assert b.assets.mini_program is True and b.client.format == "连锁"
    assert b.data.as_of == dt.date(2024, 6, 30)
    assert b.goods.margins == {"奶粉": 0.25, "纸尿裤": 0.3}
    assert b.client.regions == ["杭州", "宁波", "上海"]


@pytest.mark.slow
def test_answers_that_cannot_be_read_are_listed_with_sheet_cell_and_text_and_left_out(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    aov, friends, share, fmt = (answer_cell(wb, p) for p in ("goods.aov", "assets.friends",
                                                              "client.online_share", "client.format"))
    aov.value, friends.value, share.value, fmt.value = "100-200", "5000以上", "130%", "加盟"
    result = save_and_read(wb, tmp_path)
    found = {u.field: u for u in result.unresolved}
    assert set(found) == {"goods.aov", "assets.friends", "client.online_share", "client.format"}
    assert found["goods.aov"].sheet == "货品" and found["goods.aov"].cell == aov.coordinate
    assert found["goods.aov"].text == "100-200" and "150" in found["goods.aov"].suggestion
    assert "货品!" in str(found["goods.aov"]) and "100-200" in str(found["goods.aov"])
    b = result.brief
    assert b.goods.aov is None and b.assets.friends is None and b.client.online_share is None
    assert b.client.format is None


@pytest.mark.slow
def test_a_value_the_model_rejects_is_listed_not_kept(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    answer_cell(wb, "goals.timeline_months").value = "120个月"  # the model allows 1–60
    answer_cell(wb, "client.slug").value = "小熊 母婴!"
    result = save_and_read(wb, tmp_path)
    assert {u.field for u in result.unresolved} == {"goals.timeline_months", "client.slug"}
    assert result.brief.goals.timeline_months is None and result.brief.client.slug is None


@pytest.mark.slow
def test_blank_inserted_and_extra_rows_do_not_matter(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    ws = wb["企业概况"]
    ws.insert_rows(4, amount=2)  # blank rows in the middle of a fields sheet
    answer_cell(wb, "client.category").value = "婴童用品"
    comp = table_sheet(wb, "competitors")
    col = table_column(comp, "name")
    comp.cell(row=6, column=col).value = "贝贝母婴"
    comp.cell(row=9, column=col).value = "孩子王"  # after two blank rows
    comp.cell(row=60, column=col).value = "爱婴室"  # far below the prepared rows
    result = save_and_read(wb, tmp_path)
    assert result.brief.client.category == "婴童用品"
    assert [c.name for c in result.brief.competitors] == ["贝贝母婴", "孩子王", "爱婴室"]


@pytest.mark.slow
def test_merged_cells_count_for_every_cell_they_cover(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    persona = answer_cell(wb, "people.persona")
    ws = wb["用户"]
    persona.value = "新手妈妈"
    ws.merge_cells(start_row=persona.row, start_column=3, end_row=persona.row, end_column=5)
    journey = table_sheet(wb, "journey")
    stage, touch, pain = (table_column(journey, n) for n in ("stage", "touchpoints", "pain_points"))
    for r in (6, 7):
        journey.cell(row=r, column=stage).value = None
    journey.cell(row=6, column=stage).value = "认知"
    journey.merge_cells(start_row=6, start_column=stage, end_row=7, end_column=stage)
    journey.cell(row=6, column=touch).value = "小红书"
    journey.cell(row=7, column=touch).value = "朋友推荐"
    journey.cell(row=7, column=pain).value = "信息太多"
    result = save_and_read(wb, tmp_path)
    assert result.brief.people.persona == "新手妈妈"
    assert len(result.brief.journey) == 1
    note = result.brief.journey[0]
    assert note.stage == "认知" and note.touchpoints == ["小红书", "朋友推荐"] and note.pain_points == ["信息太多"]


@pytest.mark.slow
def test_the_prefilled_journey_stages_alone_are_not_interview_notes(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    assert save_and_read(wb, tmp_path).brief.journey == []


@pytest.mark.slow
def test_an_answer_typed_in_the_wrong_column_of_the_right_row_is_taken_and_noted(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    aov = answer_cell(wb, "goods.aov")
    ws = wb["货品"]
    ws.cell(row=aov.row, column=5).value = "168元"  # over the example
    ws.cell(row=answer_cell(wb, "goods.gross_margin").row, column=7).value = "42%"  # beside the table
    result = save_and_read(wb, tmp_path)
    assert result.brief.goods.aov == 168 and result.brief.goods.gross_margin == 0.42
    assert len(result.notes) == 2 and any(f"E{aov.row}" in n for n in result.notes)


def test_an_extra_question_row_in_a_fields_sheet_is_listed_not_dropped(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    ws = wb["用户"]
    extra, lone = ws.max_row + 2, ws.max_row + 3
    ws.cell(row=extra, column=2).value = "额外问题"
    ws.cell(row=extra, column=3).value = "额外答案"
    ws.cell(row=lone, column=2).value = "会员日是哪天"  # a question without an answer is listed too
    result = save_and_read(wb, tmp_path)
    listed = {(u.sheet, u.cell): u for u in result.unresolved}
    assert listed[("用户", f"C{extra}")].text == "额外答案" and listed[("用户", f"C{extra}")].label == "额外问题"
    assert listed[("用户", f"B{lone}")].text == "会员日是哪天"
    assert len(result.unresolved) == 2
    assert "用户!C" in str(listed[("用户", f"C{extra}")]) and "（）" not in str(listed[("用户", f"C{extra}")])


@pytest.mark.slow
def test_a_second_value_in_a_row_whose_answer_cell_is_filled_is_listed(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    aov = answer_cell(wb, "goods.aov")
    aov.value = 168
    wb["货品"].cell(row=aov.row, column=6).value = "其实是 200 元"
    result = save_and_read(wb, tmp_path)
    assert result.brief.goods.aov == 168
    [item] = result.unresolved
    assert (item.sheet, item.cell, item.field, item.text) == ("货品", f"F{aov.row}", "goods.aov", "其实是 200 元")
    assert f"C{aov.row}" in item.reason


@pytest.mark.slow
def test_an_answer_in_the_wrong_column_is_taken_even_when_it_equals_the_example(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    example = FIELDS["goods.aov"][4]
    aov = answer_cell(wb, "goods.aov")
    wb["货品"].cell(row=aov.row, column=6).value = example  # the client copied the example beside the form
    persona = answer_cell(wb, "people.persona")
    wb["用户"].cell(row=persona.row, column=4).value = FIELDS["people.persona"][4]  # over the help text
    result = save_and_read(wb, tmp_path)
    assert result.brief.goods.aov == float(example)
    assert result.brief.people.persona == FIELDS["people.persona"][4]
    assert result.unresolved == [] and any(f"F{aov.row}" in n for n in result.notes)


@pytest.mark.slow
def test_a_question_row_repeated_by_the_client_lists_the_second_answer(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    aov = answer_cell(wb, "goods.aov")
    aov.value = 168
    ws = wb["货品"]
    again = ws.max_row + 2
    ws.cell(row=again, column=1).value = "goods.aov"
    ws.cell(row=again, column=2).value = "客单价（元）"
    ws.cell(row=again, column=3).value = 180
    result = save_and_read(wb, tmp_path)
    assert result.brief.goods.aov == 168
    [item] = result.unresolved
    assert (item.cell, item.text) == (f"C{again}", "180") and f"第 {aov.row} 行" in item.reason


@pytest.mark.slow
def test_text_typed_in_a_tables_help_or_header_rows_is_listed(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    comp = table_sheet(wb, "competitors")
    col = table_column(comp, "strengths")
    comp.cell(row=4, column=col).value = "他们的社群很活跃"  # the help row
    comp.cell(row=3, column=12).value = "还有一家新开的"      # beside the header
    result = save_and_read(wb, tmp_path)
    assert {(u.cell, u.text) for u in result.unresolved} == {(f"{comp.cell(row=4, column=col).column_letter}4",
                                                              "他们的社群很活跃"), ("L3", "还有一家新开的")}
    assert result.brief.competitors == []


@pytest.mark.slow
def test_a_journey_row_whose_answers_were_all_invalid_is_not_imported_as_a_bare_stage(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    journey = table_sheet(wb, "journey")
    stage, score, emotion = (table_column(journey, n) for n in ("stage", "score", "emotion"))
    journey.cell(row=6, column=stage).value = "首购"
    journey.cell(row=6, column=score).value = "很好"     # not a number
    journey.cell(row=7, column=stage).value = "复购"
    journey.cell(row=7, column=score).value = 5          # a number the model rejects (-2 … 2)
    journey.cell(row=8, column=stage).value = "推荐"
    journey.cell(row=8, column=emotion).value = "开心"   # not one of the emotions
    result = save_and_read(wb, tmp_path)
    assert result.brief.journey == []
    assert {u.text for u in result.unresolved} == {"很好", "5", "开心"}


def test_a_table_row_without_its_required_column_is_listed_whole(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    lines = table_sheet(wb, "product_lines")
    lines.cell(row=6, column=table_column(lines, "price_min")).value = 59
    lines.cell(row=7, column=table_column(lines, "name")).value = "奶粉"
    lines.cell(row=7, column=table_column(lines, "price_min")).value = "很贵"
    result = save_and_read(wb, tmp_path)
    assert [p.name for p in result.brief.goods.product_lines] == ["奶粉"]
    assert result.brief.goods.product_lines[0].price_min is None
    reasons = [u.reason for u in result.unresolved]
    assert any("整行未导入" in r for r in reasons) and any("数字" in r for r in reasons)


@pytest.mark.slow
def test_text_outside_a_table_is_listed(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    comp = table_sheet(wb, "competitors")
    comp.cell(row=6, column=table_column(comp, "name")).value = "贝贝母婴"
    comp.cell(row=6, column=12).value = "他们上个月降价了"
    result = save_and_read(wb, tmp_path)
    assert any(u.text == "他们上个月降价了" and u.cell == "L6" for u in result.unresolved)


def test_an_industry_without_a_template_is_kept_and_listed_with_the_known_ones(tmp_path):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    answer_cell(wb, "client.industry").value = "母婴用品"
    result = save_and_read(wb, tmp_path)
    item = next(u for u in result.unresolved if u.field == "client.industry")
    assert result.brief.client.industry == "母婴用品" and "母婴" in item.suggestion


@pytest.mark.slow
def test_unresolved_answers_are_written_as_comments_above_the_brief(tmp_path, capsys):
    _, wb = blank_form(tmp_path)
    fill_minimum(wb)
    answer_cell(wb, "goods.aov").value = "100-200"
    wb.save(tmp_path / "filled.xlsx")
    assert main(["intake", "import", str(tmp_path / "filled.xlsx"), "-o", str(tmp_path / "b.yaml")]) == 0
    out = capsys.readouterr().out
    assert "待确认" in out and "100-200" in out
    text = (tmp_path / "b.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 导入时无法识别") and "100-200" in text.splitlines()[1]
    assert yaml.safe_load(text)["client"]["name"] == "小熊母婴"


# -- bad workbooks: exit 2 with one line ------------------------------------------------

def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_a_file_that_is_not_a_workbook_exits_2(tmp_path, capsys):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("客户名称,小熊", encoding="utf-8")
    code, err = run(capsys, "intake", "import", str(bad), "-o", str(tmp_path / "b.yaml"))
    assert code == 2 and err.splitlines()[0] == f"error: {bad}: not an Excel workbook (.xlsx); " \
                                                "expected the 需求澄清表 from `diag intake form`"
    assert "Traceback" not in err


def test_a_workbook_without_the_version_marker_exits_2(tmp_path, capsys):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    code, err = run(capsys, "intake", "import", str(other), "-o", str(tmp_path / "b.yaml"))
    assert code == 2 and "no template version marker" in err.splitlines()[0]


@pytest.mark.slow
def test_a_workbook_of_another_template_version_exits_2(tmp_path, capsys):
    path, wb = blank_form(tmp_path)
    wb["_meta"]["B1"] = "0"
    wb.save(path)
    code, err = run(capsys, "intake", "import", str(path), "-o", str(tmp_path / "b.yaml"))
    assert code == 2 and "wrong template version: expected 1, got 0" in err.splitlines()[0]


@pytest.mark.slow
def test_a_workbook_missing_a_sheet_exits_2_naming_it(tmp_path, capsys):
    path, wb = blank_form(tmp_path)
    fill_minimum(wb)
    del wb["竞品"]
    wb.save(path)
    code, err = run(capsys, "intake", "import", str(path), "-o", str(tmp_path / "b.yaml"))
    assert code == 2 and err.splitlines()[0].startswith(f"error: {path}:竞品: sheet missing")


@pytest.mark.slow
def test_a_table_sheet_without_its_header_rows_exits_2_naming_the_file_and_sheet(tmp_path, capsys):
    path, wb = blank_form(tmp_path)
    fill_minimum(wb)
    journey = table_sheet(wb, "journey")
    journey.delete_rows(1, 3)  # title, code and header rows
    wb.save(path)
    code, err = run(capsys, "intake", "import", str(path), "-o", str(tmp_path / "b.yaml"))
    first = err.splitlines()[0]
    assert code == 2 and first.startswith(f"error: {path}:{journey.title}: no header row")


@pytest.mark.slow
def test_a_workbook_without_the_client_name_names_the_cell(tmp_path):
    path, wb = blank_form(tmp_path, industry="母婴")
    with pytest.raises(DataError) as caught:
        read_workbook(path)
    cell = answer_cell(wb, "client.name")
    assert caught.value.where == f"企业概况!{cell.coordinate}" and "required" in caught.value.message


def test_a_missing_workbook_exits_2(tmp_path, capsys):
    code, err = run(capsys, "intake", "import", str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "b.yaml"))
    assert code == 2 and "file not found" in err


def test_the_cli_writes_a_form(tmp_path, capsys):
    assert main(["intake", "form", str(tmp_path / "f.xlsx"), "--industry", "餐饮", "--lang", "en"]) == 0
    assert "f.xlsx" in capsys.readouterr().out
    assert answer_cell(openpyxl.load_workbook(tmp_path / "f.xlsx"), "client.industry").value == "餐饮"
