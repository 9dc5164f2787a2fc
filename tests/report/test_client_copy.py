"""A clean client copy: what XML cannot hold, editing marks, repeats and phantom contents never print."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pandas as pd
from conftest import META

from diag.cleantext import client_text
from diag.record import Recorder, merge_results
from diag.report import build_report


def _text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def test_client_text_drops_xml_illegal_characters_and_editing_marks():
    assert client_text("老面\x07记\x00") == "老面记"
    assert client_text("行业经验估计（可编辑）") == "行业经验估计" and client_text("a\tb\nc") == "a\tb\nc"


def test_a_control_character_in_the_clients_name_does_not_abort_the_report(tmp_path: Path):
    run = tmp_path / "bell"
    Recorder(run, "diagnosis", "人货场诊断").text("老面\x07记的复购")
    merge_results(run, {**META, "client": {"name": "老面\x07记", "industry": "餐饮"}})
    assert "\\u0007" not in (run / "results.json").read_text(encoding="utf-8")
    report = build_report(run)
    assert "老面记" in _text(report) and "\x07" not in _text(report)


def test_a_table_or_paragraph_is_printed_once_and_the_contents_list_only_real_chapters(tmp_path: Path):
    run = tmp_path / "r"
    table = pd.DataFrame({"项目": ["订单"], "数量": [3]})
    long = "这是一段超过二十个字的说明文字，同样的内容不应在报告里出现两次。"
    summary = Recorder(run, "summary_target", "目标与差距")
    summary.text("目标：6 个月 GMV ¥2,400,000；缺口 ¥1,298,042。")
    Recorder(run, "summary", "执行摘要").bullets(["发现一"])
    rec = Recorder(run, "diagnosis", "人货场诊断")
    for _ in range(3):
        rec.table("same", table, title="同一张表")
        rec.text(long)
    rec.text("来源：行业经验估计（可编辑）")
    merge_results(run, META)
    document = docx.Document(str(build_report(run)))
    texts = [p.text for p in document.paragraphs]
    assert texts.count(long) == 1 and len(document.tables) >= 1
    assert sum("同一张表" in t for t in texts) == 1
    xml = _text(run / "report.docx")
    assert "可编辑" not in xml and "更新域" not in xml
    toc = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name == "toc 1"]  # title, tab, page
    assert "目标与差距" not in toc and "人货场诊断" in toc
    # the target opens the executive summary, before the other summary parts
    assert texts.index("目标：6 个月 GMV ¥2,400,000；缺口 ¥1,298,042。") < texts.index("发现一")


def test_model_parameters_appear_only_in_the_method_appendix(tmp_path: Path):
    run = tmp_path / "m"
    rec = Recorder(run, "diagnosis", "人货场诊断")
    rec.data("metrics", {"clv": {"params": {"r": 0.5, "alpha": 3.2, "a": 0.1, "b": 2.0}}})
    rec.text("正文")
    merge_results(run, META)
    document = docx.Document(str(build_report(run)))
    texts = [p.text for p in document.paragraphs]
    appendix = texts.index("附录 C\u3000方法说明")
    caption = next(i for i, t in enumerate(texts) if "模型参数" in t)
    assert caption > appendix
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "alpha" in cells
    assert json.loads((run / "results.json").read_text(encoding="utf-8"))["sections"]["diagnosis"]["data"]
