"""A firm's own template and settings: the report takes its styles, header, footer, logo and cover."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from firm_template import FIRM_FONT, FIRM_RED, logo_png, make_firm_template

from diag.cli import main
from diag.errors import TemplateError
from diag.paths import PACKAGE, REPORT_TEMPLATE
from diag.report import STYLES, build_report, check_template, firm_settings
from diag.report.docx_util import A4


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _header_parts(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header"))


@pytest.fixture
def firm_docx(tmp_path: Path) -> Path:
    return make_firm_template(tmp_path / "firm.docx")


@pytest.fixture
def firm_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, firm_docx: Path) -> Path:
    """A working directory with the firm's .diag.yaml (template, name, logo, author)."""
    folder = tmp_path / "firm"
    (folder / "brand").mkdir(parents=True)
    firm_docx.rename(folder / "brand" / "firm.docx")
    logo_png(folder / "brand" / "logo.png", "YS")
    (folder / ".diag.yaml").write_text(
        "report_template: brand/firm.docx\nfirm_name: 远山私域咨询\nlogo: brand/logo.png\n"
        "author: 李明\nconfidentiality: 机密　仅供客户管理层阅读\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


# -- the style registry ------------------------------------------------------------------

@pytest.mark.slow
def test_every_style_the_code_names_goes_through_the_registry() -> None:
    """No module of diag/report names a style by a literal string; all go through STYLES."""
    offenders = []
    for path in (PACKAGE / "report").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "style" and isinstance(node.value, ast.Constant):
                offenders.append(f"{path.name}:{node.value.lineno}")
            if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
                    and isinstance(node.value, ast.Attribute) and node.value.attr == "styles"):
                offenders.append(f"{path.name}:{node.lineno}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "para"
                    or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "_para"):
                role = node.args[0] if node.args else None
                if isinstance(role, ast.Constant) and role.value not in STYLES:
                    offenders.append(f"{path.name}:{node.lineno} role {role.value!r}")
    assert offenders == []


def test_the_bundled_template_has_every_registered_style() -> None:
    assert check_template(REPORT_TEMPLATE) == []


def test_check_template_says_complete_for_the_bundled_template(capsys) -> None:
    assert main(["report", "--check-template", str(REPORT_TEMPLATE)]) == 0
    assert "模板完整" in capsys.readouterr().out


def test_check_template_lists_each_missing_style_and_exits_2(tmp_path: Path, capsys) -> None:
    lacking = make_firm_template(tmp_path / "lacking.docx", drop=("Metric Value", "Cover Firm"))
    assert main(["report", "--check-template", str(lacking)]) == 2
    err = capsys.readouterr().err
    first, *rest = err.strip().splitlines()
    assert first.startswith(f"error: {lacking}: ") and "Metric Value" in first and "Cover Firm" in first
    assert sum("缺少" in line for line in rest) == 2 and "Traceback" not in err


def test_check_template_rejects_a_file_that_is_not_a_word_document(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "firm.docx"
    bad.write_text("not a zip", encoding="utf-8")
    assert main(["report", "--check-template", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {bad}: ")


def test_check_template_notes_table_text_below_9_pt(tmp_path: Path) -> None:
    small = make_firm_template(tmp_path / "small.docx", table_pt=7)
    problems = check_template(small)
    assert problems and not any(p.fatal for p in problems)
    assert {p.style for p in problems} >= {"Table Text"}


# -- the report takes the firm's look --------------------------------------------------------

@pytest.mark.slow
def test_report_takes_the_firm_templates_styles_header_and_logo(run_dir: Path, firm_docx: Path) -> None:
    report = build_report(run_dir, template=firm_docx)
    styles = _part(report, "word/styles.xml")
    assert f'w:eastAsia="{FIRM_FONT}"' in styles
    h1 = docx.Document(str(report)).styles["Heading 1"]
    assert str(h1.font.color.rgb) == FIRM_RED
    headers = _header_parts(report)
    assert "远山咨询 · 示例母婴连锁" in headers and "{client}" not in headers
    assert "<pic:pic" in headers or "<w:drawing" in headers      # the firm's logo stays in the header


def test_the_templates_sample_text_is_dropped_and_its_letter_page_becomes_a4(run_dir: Path,
                                                                           firm_docx: Path) -> None:
    document = docx.Document(str(build_report(run_dir, template=firm_docx)))
    assert not any("示例正文" in p.text for p in document.paragraphs)
    for section in document.sections:
        assert sorted((section.page_width, section.page_height)) == sorted(A4)


def test_table_text_of_a_firm_template_is_raised_to_9_pt(run_dir: Path, tmp_path: Path) -> None:
    small = make_firm_template(tmp_path / "small.docx", table_pt=7)
    document = docx.Document(str(build_report(run_dir, template=small)))
    assert document.styles["Table Text"].font.size.pt == 9
    assert document.styles["Table Text Small"].font.size.pt == 9


def test_config_file_gives_template_firm_logo_author_and_confidentiality(run_dir: Path,
                                                                        firm_dir: Path) -> None:
    report = build_report(run_dir)
    document = docx.Document(str(report))
    cover = [p.text for p in document.paragraphs[:12]]
    assert "远山私域咨询" in cover and "撰写：李明" in cover and "顾问：王顾问" in cover
    assert "机密　仅供客户管理层阅读" in cover
    assert str(document.styles["Heading 1"].font.color.rgb) == FIRM_RED
    first = document.paragraphs[0]
    assert first.style.name == STYLES["cover_logo"] and first._p.find(f".//{qn('w:drawing')}") is not None
    assert document.core_properties.author == "李明"


def test_template_option_wins_over_the_config_files_template(run_dir: Path, firm_dir: Path) -> None:
    document = docx.Document(str(build_report(run_dir, template=REPORT_TEMPLATE)))
    assert str(document.styles["Heading 1"].font.color.rgb) != FIRM_RED
    assert "远山私域咨询" in [p.text for p in document.paragraphs[:12]]   # the rest of the settings stay


def test_a_template_with_its_own_cover_has_its_placeholders_filled(run_dir: Path, tmp_path: Path,
                                                                   firm_dir: Path) -> None:
    own = make_firm_template(tmp_path / "cover.docx", cover=True)
    document = docx.Document(str(build_report(run_dir, template=own)))
    texts = [p.text for p in document.paragraphs[:8]]
    assert "致 示例母婴连锁" in texts and "私域运营诊断报告" in texts
    assert any(t.startswith("远山私域咨询 出品　2026年11月23日") for t in texts)
    assert not any("{" in t for t in texts)
    assert document.paragraphs[0]._p.find(f".//{qn('w:drawing')}") is not None   # {logo}


def test_a_missing_template_named_in_the_config_is_a_template_error(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "diag.yaml").write_text("report_template: nowhere.docx\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        firm_settings()
    assert info.value.file.endswith("diag.yaml") and info.value.where == "report_template"


@pytest.mark.slow
def test_a_template_lacking_styles_fails_the_run_before_any_notebook(tmp_path: Path, capsys) -> None:
    lacking = make_firm_template(tmp_path / "lacking.docx", drop=("Metric Table",))
    brief = Path(__file__).resolve().parents[2] / "briefs" / "laomian-canyin.yaml"
    assert main(["run", str(brief), "--out", str(tmp_path / "out"), "--template", str(lacking)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {lacking}: ") and "Metric Table" in err
    assert not (tmp_path / "out" / "laomian-canyin").exists()


def test_a_logo_that_is_not_a_picture_is_a_template_error(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "logo.png").write_text("text", encoding="utf-8")
    (tmp_path / ".diag.yaml").write_text("logo: logo.png\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="PNG"):
        firm_settings()


def test_report_settings_may_sit_under_diag_in_a_toml_config(tmp_path: Path, firm_docx: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "diag.toml").write_text(
        f'[diag]\nreport_template = "{firm_docx.name}"\nfirm_name = "远山"\nauthor = "李明"\n',
        encoding="utf-8")
    settings = firm_settings()
    assert settings.template == firm_docx.resolve() and settings.firm_name == "远山"
    assert settings.author == "李明" and settings.logo is None
