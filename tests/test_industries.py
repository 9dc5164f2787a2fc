"""Industry templates: schema, registry, the firm's own folder, the CLI and the brief scaffold."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from diag import load_brief, paths
from diag.brief.scaffold import scaffold_brief
from diag.cli import main
from diag.errors import TemplateError, UsageError
from diag.industries import registry as industries

BUNDLED = sorted(paths.INDUSTRIES.glob("*.yaml"))
REQUIRED = ("餐饮", "产康", "商超连锁", "母婴", "美妆护肤", "食品大健康", "家居软装", "品牌消费品")


@pytest.fixture(autouse=True)
def _no_user_templates(monkeypatch, tmp_path):
    """Each test starts with only the bundled templates (no env var, no config in cwd or home)."""
    monkeypatch.delenv(paths.USER_INDUSTRIES_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.chdir(tmp_path)


#: libyaml's safe loader and dumper: the tests read and write whole templates many times.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def bundled(key: str) -> dict:
    return yaml.load((paths.INDUSTRIES / f"{key}.yaml").read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506


def write(folder: Path, data: dict, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or data['key']}.yaml"
    path.write_text(yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- the bundled templates -------------------------------------------------------------------

def test_every_required_industry_has_a_bundled_template():
    assert set(REQUIRED) <= {p.stem for p in BUNDLED}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_template_validates(path: Path):
    template = industries.check_template_file(path)
    assert template.key == path.stem


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_benchmark_names_its_source_and_confidence(path: Path):
    for metric, bench in industries.check_template_file(path).benchmarks.items():
        assert metric in industries.METRICS
        assert bench.source and bench.confidence in ("高", "中", "低")


def test_seed_figures_are_cited_with_their_sources():
    baby = industries.load_industry("母婴")["benchmarks"]["add_rate"]
    assert baby["low"] <= 0.119 <= baby["high"] and baby["source"].startswith("案例文章：")
    home = industries.load_industry("家居软装")["benchmarks"]["group_conversion"]
    assert (home["low"], home["high"]) == (0.04, 0.06) and home["source"].startswith("案例文章：")
    beauty = industries.load_industry("美妆护肤")["benchmarks"]["group_conversion"]
    assert (beauty["low"], beauty["high"]) == (0.05, 0.1) and "较低置信度" in beauty["source"]


def test_a_case_is_not_cited_for_a_quantity_it_did_not_measure():
    add_rate = industries.load_industry("家居软装")["benchmarks"]["add_rate"]  # the case's 1:10 counts invitations
    assert not add_rate["source"].startswith("案例文章") and add_rate["confidence"] == "低"
    assert "邀约" in add_rate["note"]


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("key", REQUIRED)
def test_every_source_a_client_reads_is_in_chinese(key):
    t = industries.load_industry(key)
    sources = ([b["source"] for b in t["benchmarks"].values()] + [t["typical"]["source"]]
               + [m["source"] for m in t["acquisition"]["methods"]] + [c["source"] for c in t["cases"]])
    assert all(_cjk(s) for s in sources), [s for s in sources if not _cjk(s)]
    assert not any("seeds" in s or "种子文章" in s for s in sources)
    assert all(_cjk(k["target"]) or not any(ch.isalpha() for ch in k["target"]) for k in t["kpis"])


def test_the_bundled_templates_cover_all_three_store_types():
    kinds = {industries.load_industry(k)["quadrant"]["store_type"] for k in REQUIRED}
    assert kinds == {"刚需高频", "刚需低频", "小众需求"}


@pytest.mark.parametrize("key", REQUIRED)
def test_each_templates_typical_client_falls_in_its_own_store_type(key):
    from diag.industries.quadrant import quadrant

    template = industries.load_industry(key)
    typical = template["typical"]
    aov, per_year = sum(typical["aov"]) / 2, sum(typical["purchases_per_year"]) / 2
    assert quadrant(aov, per_year, template=template).store_type == template["quadrant"]["store_type"]


@pytest.mark.parametrize("levels", list(industries.QUADRANT_STORE_TYPES))
def test_the_level_to_store_type_table_is_the_quadrant_functions_rule(levels):
    from diag.industries.quadrant import quadrant

    aov_level, frequency_level = levels
    per_year = 4.0 if frequency_level == "高" else 0.5
    aov = 20_000.0 if aov_level == "高" else 100.0  # annual spend either side of ¥5,000
    assert quadrant(aov, per_year).store_type == industries.QUADRANT_STORE_TYPES[levels]


def test_every_template_runs_the_five_sop_phases_with_the_evening_window_and_three_reminders():
    for key in REQUIRED:
        sop = industries.load_industry(key)["sop"]
        assert [p["phase"] for p in sop["phases"]] == ["引流", "起群", "促活", "转化", "长期运营"]
        assert sop["attention_window"] == "20:00–22:00"
        assert len(sop["activity_day_reminders"]) == 3


def test_every_template_has_the_five_activity_roles():
    for key in REQUIRED:
        roles = {r["role"] for r in industries.load_industry(key)["team"]["roles"]}
        assert {"总PM", "产品讲解", "行业分享者", "氛围组", "顾问/客服"} <= roles


# -- validation messages ------------------------------------------------------------------

def test_an_unknown_key_fails_with_the_list_of_known_keys():
    with pytest.raises(TemplateError) as info:
        industries.load_industry("零售")
    message = str(info.value)
    assert "'零售'" in message
    for key in REQUIRED:
        assert key in message


def test_an_unknown_field_names_the_file_and_field_path(tmp_path):
    data = bundled("母婴")
    data["typical"]["aov_range"] = [1, 2]
    path = write(tmp_path / "t", data)
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(path)
    assert info.value.file == str(path)
    assert info.value.where == "typical.aov_range"
    assert "unknown field" in info.value.message and "repurchase_cycle_days" in info.value.message


def test_an_unknown_field_inside_a_benchmark_lists_the_benchmark_fields(tmp_path):
    data = bundled("母婴")
    data["benchmarks"]["aov"]["lo"] = 80
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(write(tmp_path / "t", data))
    assert info.value.where == "benchmarks.aov.lo"
    assert info.value.message == "unknown field; known: low, high, unit, source, confidence, note"


def test_a_benchmark_on_a_metric_outside_the_vocabulary_is_rejected(tmp_path):
    data = bundled("母婴")
    data["benchmarks"]["conversion"] = dict(data["benchmarks"]["aov"])
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(write(tmp_path / "t", data))
    assert info.value.where and info.value.where.startswith("benchmarks")
    assert "repurchase_rate" in info.value.message


def test_a_share_range_above_one_is_rejected_with_its_path(tmp_path):
    data = bundled("餐饮")
    data["benchmarks"]["repurchase_rate"]["high"] = 45
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(write(tmp_path / "t", data))
    assert info.value.where == "benchmarks.repurchase_rate"
    assert "between 0 and 1" in info.value.message


def test_a_store_type_that_contradicts_the_levels_names_the_file_and_field(tmp_path):
    data = bundled("餐饮")
    data["quadrant"]["store_type"] = "小众需求"  # low AOV × high frequency is 刚需高频
    path = write(tmp_path / "t", data)
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(path)
    assert info.value.file == str(path) and info.value.where == "quadrant.store_type"
    assert "expected 刚需高频" in info.value.message and "got 小众需求" in info.value.message


def test_a_typical_client_outside_the_templates_store_type_is_rejected(tmp_path):
    data = bundled("品牌消费品")
    del data["quadrant"]["frequency_split"]  # 2–6 purchases a year is high frequency at the default split
    path = write(tmp_path / "t", data)
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(path)
    assert info.value.file == str(path) and info.value.where == "quadrant.store_type"
    assert "falls in 刚需高频" in info.value.message and "not 小众需求" in info.value.message


def _role(data: dict, name: str) -> dict:
    return next(r for r in data["team"]["roles"] if r["role"] == name)


@pytest.mark.slow
def test_a_role_outside_the_small_team_must_name_the_small_team_role_covering_it(tmp_path):
    data = bundled("家居软装")
    del _role(data, "内容运营")["covered_by"]
    path = write(tmp_path / "t", data)
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(path)
    index = [r["role"] for r in data["team"]["roles"]].index("内容运营")
    assert info.value.file == str(path) and info.value.where == f"team.roles[{index}].covered_by"
    assert "'内容运营'" in info.value.message and "社群运营" in info.value.message
    _role(data, "内容运营")["covered_by"] = "产品讲解"  # not in the small team itself
    with pytest.raises(TemplateError, match="got '产品讲解'"):
        industries.check_template_file(write(tmp_path / "t", data))


def test_an_owner_that_is_not_a_team_role_is_rejected_with_its_path(tmp_path):
    data = bundled("餐饮")
    data["rules"][2]["owner"] = "店长"
    path = write(tmp_path / "t", data)
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(path)
    assert info.value.where == "rules[2].owner" and "got '店长'" in info.value.message
    assert "社群运营" in info.value.message


def test_scenarios_must_assume_strictly_increasing_attainment(tmp_path):
    data = bundled("母婴")
    data["scenarios"] = {"保守": 0.5, "基准": 0.5, "乐观": 1.5}
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(write(tmp_path / "t", data))
    assert info.value.where == "scenarios" and "strictly increase" in info.value.message


@pytest.mark.slow
def test_sop_phases_out_of_order_are_rejected(tmp_path):
    data = bundled("餐饮")
    data["sop"]["phases"].reverse()
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(write(tmp_path / "t", data))
    assert info.value.where == "sop" and "引流 → 起群" in info.value.message


def test_a_key_that_differs_from_the_file_name_is_rejected(tmp_path):
    path = write(tmp_path / "t", bundled("餐饮"), name="火锅")
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(path)
    assert info.value.where == "key" and "'火锅'" in info.value.message


def test_invalid_yaml_reports_the_line(tmp_path):
    path = tmp_path / "坏.yaml"
    path.write_text("key: 坏\nname_en: [unclosed\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        industries.check_template_file(path)
    assert info.value.where.startswith("line ")


# -- the firm's own folder ------------------------------------------------------------------

def test_the_user_dir_overrides_a_bundled_key_and_adds_a_new_one(tmp_path, monkeypatch):
    mine = tmp_path / "firm"
    override = bundled("母婴")
    override["name_en"] = "our mother-and-baby playbook"
    write(mine, override)
    new = bundled("餐饮")
    new["key"] = "火锅"
    new["name_en"] = "hotpot"
    write(mine, new)
    monkeypatch.setenv(paths.USER_INDUSTRIES_ENV, str(mine))
    known = industries.known_industries()
    assert known["母婴"].parent == mine and known["餐饮"].parent == paths.INDUSTRIES
    assert industries.load_industry("母婴")["name_en"] == "our mother-and-baby playbook"
    assert industries.load_industry("火锅")["name_en"] == "hotpot"


def test_a_config_file_in_the_working_directory_names_the_user_dir(tmp_path):
    new = bundled("餐饮")
    new["key"] = "烘焙"
    write(tmp_path / "firm-templates", new)
    (tmp_path / ".diag.yaml").write_text("templates_dir: firm-templates\n", encoding="utf-8")
    assert industries.user_templates_dir() == (tmp_path / "firm-templates").resolve()
    assert "烘焙" in industries.known_industries()


def test_a_toml_config_and_the_home_config_also_name_the_user_dir(tmp_path, monkeypatch):
    (tmp_path / "diag.toml").write_text('[diag]\ntemplates_dir = "t1"\n', encoding="utf-8")
    assert industries.user_templates_dir() == (tmp_path / "t1").resolve()
    (tmp_path / "diag.toml").unlink()
    home = tmp_path / "no-config" / "diag"
    home.mkdir(parents=True)
    (home / "config.yaml").write_text("templates_dir: /srv/firm\n", encoding="utf-8")
    assert industries.user_templates_dir() == Path("/srv/firm")


def test_the_environment_variable_wins_over_a_config_file(tmp_path, monkeypatch):
    (tmp_path / ".diag.yaml").write_text("templates_dir: from-config\n", encoding="utf-8")
    monkeypatch.setenv(paths.USER_INDUSTRIES_ENV, str(tmp_path / "from-env"))
    assert industries.user_templates_dir() == tmp_path / "from-env"


# -- CLI ------------------------------------------------------------------------------------

def test_templates_list_shows_every_key_and_its_store_type(capsys):
    assert main(["templates", "list"]) == 0
    out = capsys.readouterr().out
    for key in REQUIRED:
        assert key in out
    assert "刚需低频" in out and "内置" in out


def test_templates_show_prints_benchmarks_with_sources(capsys):
    assert main(["templates", "show", "家居软装"]) == 0
    out = capsys.readouterr().out
    assert "社群转化率" in out and "案例文章" in out and "引流(" in out


def test_templates_show_of_an_unknown_key_exits_2_listing_known_keys(capsys):
    assert main(["templates", "show", "零售"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "known: " in err and "母婴" in err and "Traceback" not in err


def test_templates_check_accepts_a_good_file_and_rejects_a_bad_one(tmp_path, capsys):
    assert main(["templates", "check", str(paths.INDUSTRIES / "产康.yaml")]) == 0
    data = bundled("产康")
    del data["quadrant"]
    bad = write(tmp_path / "t", data)
    assert main(["templates", "check", str(bad)]) == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first == f"error: {bad}:quadrant: required field is missing"


# -- diag new -------------------------------------------------------------------------------

def test_diag_new_scaffolds_a_brief_that_loads(tmp_path, capsys):
    assert main(["new", "小熊 母婴店", "--industry", "母婴", "--dir", str(tmp_path / "briefs")]) == 0
    path = tmp_path / "briefs" / "小熊-母婴店.yaml"
    brief = load_brief(path)
    assert (brief.client.name, brief.client.industry) == ("小熊 母婴店", "母婴")
    text = path.read_text(encoding="utf-8")
    assert "¥80–300" in text and "20–45 天" in text  # template hints, commented out


def test_diag_new_refuses_to_overwrite_an_existing_brief(tmp_path, capsys):
    folder = tmp_path / "briefs"
    assert main(["new", "Acme", "--industry", "餐饮", "--dir", str(folder)]) == 0
    before = (folder / "acme.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "Acme", "--industry", "餐饮", "--dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder / 'acme.yaml'}: already exists") and len(err.splitlines()) == 1
    assert (folder / "acme.yaml").read_text(encoding="utf-8") == before


def test_diag_new_with_an_unknown_industry_lists_the_known_ones(tmp_path, capsys):
    assert main(["new", "Acme", "--industry", "retial", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "error: --industry: no industry template 'retial'; known: " in err
    assert not list(tmp_path.glob("*.yaml"))


def test_diag_new_keeps_quotes_and_backslashes_in_the_client_name(tmp_path):
    path = scaffold_brief('王记 "老字号" \\ 分店', "餐饮", tmp_path)
    assert load_brief(path).client.name == '王记 "老字号" \\ 分店'


def test_scaffold_brief_rejects_an_empty_client_name(tmp_path):
    with pytest.raises(UsageError):
        scaffold_brief("  ", "母婴", tmp_path)


def test_a_relative_templates_folder_in_the_environment_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIAG_TEMPLATES", "firm")
    assert industries.user_templates_dir() == tmp_path / "firm"
