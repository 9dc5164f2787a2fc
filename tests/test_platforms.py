"""Platform profiles: every bundled one validates, is found by its own signature, is listed
and shown; a firm's own folder adds and overrides profiles like industry templates."""

from __future__ import annotations

import pytest
import yaml

from diag.cli import main
from diag.platforms import registry as platforms


def test_every_bundled_profile_validates_and_cites_a_source():
    profiles = platforms.all_profiles()
    assert len(profiles) >= 12
    for p in profiles:
        assert p.sources and p.signature and (p.amount or p.refuse), p.key


@pytest.mark.parametrize("key", sorted(platforms.known_platforms()))
def test_each_profile_is_detected_from_its_own_signature_and_no_other(key):
    profile = platforms.require_platform(key)
    found = platforms.detect(list(profile.signature))
    assert found.profile is not None and found.profile.key == key


def test_unknown_headers_fall_back_to_the_generic_table():
    found = platforms.detect(["order_id", "customer_id", "date", "amount"])
    assert found.profile is None


def test_list_show_and_check_on_the_command_line(capsys):
    assert main(["platforms", "list"]) == 0
    out = capsys.readouterr().out
    assert "taobao_orders" in out and "meituan_pos" in out and "不能单独使用" in out
    assert main(["platforms", "show", "douyin"]) == 0
    out = capsys.readouterr().out
    assert "售后状态" in out and "来源" in out and "refund_status ← 售后状态" in out
    path = platforms.known_platforms()["jd_pop"]
    assert main(["platforms", "check", str(path)]) == 0
    assert main(["platforms", "show", "nope"]) == 2
    assert "known: " in capsys.readouterr().err


def _profile(**over):
    data = {"name": "某 ERP 订单", "platform": "某 ERP", "export": "订单导出",
            "signature": ["单号", "客户编码", "成交时间", "成交金额"],
            "fields": {"order_id": ["单号"], "customer_id": ["客户编码"], "paid_at": ["成交时间"]},
            "amount": [{"header": "成交金额", "level": "order", "kind": "paid"}],
            "sources": [{"title": "客户样本"}]}
    data.update(over)
    return data


@pytest.mark.slow
def test_a_firm_folder_adds_a_profile_that_detection_then_uses(tmp_path, monkeypatch):
    folder = tmp_path / "platforms"
    folder.mkdir()
    (folder / "firm_erp.yaml").write_text(yaml.safe_dump(_profile(), allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("DIAG_PLATFORMS", str(folder))
    assert "firm_erp" in platforms.known_platforms()
    orders = tmp_path / "orders.csv"
    orders.write_text("单号,客户编码,成交时间,成交金额\n1,c1,2025-01-01,10\n2,c1,2025-01-05,5\n", encoding="utf-8")
    from diag.areas.metrics import compute_metrics

    m = compute_metrics(orders)
    assert m["data_quality"]["profile"] == "firm_erp" and m["gmv"] == 15 and m["customers"] == 1


def test_the_firm_templates_folder_holds_platforms_too(tmp_path, monkeypatch):
    (tmp_path / "platforms").mkdir()
    (tmp_path / "platforms" / "jd_pop.yaml").write_text(
        yaml.safe_dump(_profile(name="京东 (本公司版)"), allow_unicode=True), encoding="utf-8")
    monkeypatch.delenv("DIAG_PLATFORMS", raising=False)
    monkeypatch.setenv("DIAG_TEMPLATES", str(tmp_path))
    assert platforms.require_platform("jd_pop").name == "京东 (本公司版)"


def test_an_invalid_profile_is_refused_with_its_field(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(_profile(fields={"buyer": ["x"]}), allow_unicode=True), encoding="utf-8")
    assert main(["platforms", "check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}:fields: ") and "unknown field" in err[0]
