"""The demo clients: briefs validate, data files have their intended formats, regeneration is exact."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from diag import demo
from diag.brief.model import EMOTIONS, brief_errors, load_brief
from diag.industries.registry import known_industries

pytestmark = pytest.mark.slow  # generates the demo clients

ROOT = Path(__file__).resolve().parents[1]
BRIEFS = ROOT / "briefs"
SLUGS = sorted(demo.CLIENTS)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("demo")
    return out, demo.generate(out)


def _brief_data(slug: str) -> dict:
    return yaml.safe_load((BRIEFS / f"{slug}.yaml").read_text(encoding="utf-8"))


def test_there_are_at_least_three_demo_clients_from_different_industries():
    industries = {_brief_data(s)["client"]["industry"] for s in SLUGS}
    assert len(SLUGS) >= 3 and len(industries) == len(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_demo_brief_validates_against_the_brief_model(slug):
    assert brief_errors(_brief_data(slug), BRIEFS / f"{slug}.yaml") == []


@pytest.mark.parametrize("slug", SLUGS)
def test_demo_brief_loads_when_its_industry_template_exists(slug):
    if _brief_data(slug)["client"]["industry"] not in known_industries():
        pytest.skip("industry template not installed yet")
    brief = load_brief(BRIEFS / f"{slug}.yaml")
    assert brief.slug == slug
    for field in ("orders", "wecom_contacts", "wecom_groups", "customers"):
        path = brief.data_path(field)
        assert path is None or path.is_file(), f"{slug}: data.{field} points to a missing file"


@pytest.mark.parametrize("slug", SLUGS)
def test_demo_brief_fills_every_section(slug):
    data = _brief_data(slug)
    for section in ("client", "goods", "scene", "people", "assets", "team", "goals", "funnel",
                    "competitors", "data", "notes"):
        assert data.get(section), f"{slug}: section {section} is empty"
    assert data["client"]["consultant"]
    assert all(line.get("role") and line.get("gross_margin") for line in data["goods"]["product_lines"])
    assert all(ch.get("share") is not None and ch.get("monthly_reach") for ch in data["scene"]["channels"])
    assert abs(sum(ch["share"] for ch in data["scene"]["channels"]) - 1) < 1e-9
    assert data["team"]["headcount"] == sum(r["count"] for r in data["team"]["roles"])


def test_most_demo_clients_carry_journey_notes_and_one_relies_on_the_template():
    with_notes = [s for s in SLUGS if _brief_data(s).get("journey")]
    assert len(with_notes) >= 2 and len(with_notes) < len(SLUGS)
    for slug in with_notes:
        stages = [n["stage"] for n in _brief_data(slug)["journey"]]
        assert stages == ["认知", "考虑", "首购", "使用", "复购", "推荐"]
        assert all(n["emotion"] in EMOTIONS for n in _brief_data(slug)["journey"])


def _manifest() -> dict:
    return json.loads((BRIEFS / demo.MANIFEST).read_text(encoding="utf-8"))


def test_committed_demo_files_match_their_manifest_checksums():
    files = _manifest()["files"]
    committed = {p.relative_to(BRIEFS).as_posix() for p in BRIEFS.rglob("*") if p.is_file()}
    assert set(files) == committed - {demo.MANIFEST}
    for rel, digest in files.items():
        assert hashlib.sha256((BRIEFS / rel).read_bytes()).hexdigest() == digest, \
            f"briefs/{rel} was edited by hand; change diag/demo and run `python -m diag.demo`"


def test_generator_reproduces_the_committed_files_byte_for_byte(regenerated):
    manifest = _manifest()
    out, digests = regenerated
    if digests != manifest["files"] and manifest["versions"] != demo.library_versions():
        # Only then: another numpy / pandas / … may draw other random streams.
        pytest.skip(f"made with {manifest['versions']}, now {demo.library_versions()}")
    assert digests == manifest["files"]
    again = json.loads((out / demo.MANIFEST).read_text(encoding="utf-8"))
    assert {k: v for k, v in again.items() if k != "versions"} == \
        {k: v for k, v in manifest.items() if k != "versions"}


def test_generator_gives_identical_bytes_on_a_second_run(tmp_path):
    first = demo.generate(tmp_path / "a", scale=0.1)
    assert demo.generate(tmp_path / "b", scale=0.1) == first


@pytest.mark.parametrize("slug", SLUGS)
def test_demo_data_files_stay_small_enough_to_commit(slug):
    for path in (BRIEFS / "data" / slug).iterdir():
        assert path.stat().st_size <= 3.2e6, path


def test_muying_export_is_utf8_with_bom_and_one_row_per_line_item():
    raw = (BRIEFS / "data/xiaobei-muying/orders.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert 15_000 <= len(frame) <= 40_000
    assert frame["订单号"].duplicated().sum() > 5_000  # several lines per order
    assert frame["商品实付金额"].str.startswith("¥").any() and frame["商品实付金额"].str.contains(",").any()
    assert frame["下单时间"].str.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2}:\d{2}").all()
    phones = frame["买家手机号"][frame["买家手机号"] != ""]
    assert phones.str.fullmatch(r"1[3-9]\d{9}").all()
    assert {"交易成功", "已发货", "交易关闭", "退款成功", "部分退款", "待付款"} <= set(frame["订单状态"])
    assert {"纸尿裤", "奶粉", "湿巾", "辅食", "出行"} <= set(frame["商品分类"])
    # Blemishes for the data-quality table.
    assert (frame["买家手机号"] == "").sum() == 3
    assert (frame["商品实付金额"] == "待定").sum() == 2
    assert frame["商品实付金额"].str.startswith("-").sum() == 2


def test_restaurant_export_is_gbk_not_utf8_with_stores_and_channels():
    raw = (BRIEFS / "data/laomian-canyin/orders.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    frame = pd.read_csv(io.BytesIO(raw), encoding="gb18030", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["订单编号", "会员ID", "下单时间", "实付金额", "门店", "渠道", "订单状态"]
    assert 6 <= frame["门店"].nunique() <= 12
    assert set(frame["渠道"]) == {"堂食", "外卖", "小程序点单", "团购券"}
    assert {"已完成", "已取消", "已退款"} <= set(frame["订单状态"])
    assert frame["下单时间"].str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}").all()
    amount = pd.to_numeric(frame["实付金额"], errors="coerce")
    assert 40 <= amount[amount > 0].mean() <= 90
    assert (frame["会员ID"] == "").sum() == 4


def test_restaurant_member_list_covers_every_ordering_member_and_some_sleepers():
    members = pd.read_csv(BRIEFS / "data/laomian-canyin/members.csv", encoding="gbk", dtype=str)
    orders = pd.read_csv(BRIEFS / "data/laomian-canyin/orders.csv", encoding="gbk", dtype=str)
    assert members["会员ID"].is_unique
    assert set(orders["会员ID"].dropna()) <= set(members["会员ID"])
    assert len(members) > orders["会员ID"].nunique()  # sign-ups who never ordered
    assert members["手机号"].str.fullmatch(r"1[3-9]\d{9}").all()


def test_home_furnishing_export_is_a_workbook_with_english_headers_and_wechat_ids():
    from openpyxl import load_workbook

    wb = load_workbook(BRIEFS / "data/mujia-jiaju/orders.xlsx", read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    assert rows[0] == ("order_id", "customer", "date", "amount", "channel", "product", "category", "status")
    customers = [r[1] for r in rows[1:] if r[1]]
    assert any(c.startswith("wxid_") for c in customers)
    assert any(re.fullmatch(r"[a-z][a-z_]*\d+", c) for c in customers)
    amounts = [r[3] for r in rows[1:] if isinstance(r[3], (int, float)) and r[3] > 0]
    assert 2_000 <= sum(amounts) / len(amounts) <= 30_000
    assert {r[4] for r in rows[1:]} == {"样板间面销", "展会", "社群", "小程序"}
    assert sum(r[3] == "待定" for r in rows[1:]) == 2


def test_wecom_contact_statistics_cover_180_days_per_staff_with_percent_reply_rates():
    frame = pd.read_csv(BRIEFS / "data/xiaobei-muying/wecom_contacts.csv")
    assert list(frame.columns) == ["date", "staff", "new_apply_cnt", "new_contact_cnt", "chat_cnt",
                                   "message_cnt", "reply_percentage", "avg_reply_time",
                                   "negative_feedback_cnt"]
    assert frame["date"].nunique() == 180 and len(frame) == 180 * frame["staff"].nunique()
    assert frame["reply_percentage"].between(0, 100).all()
    assert (frame["new_contact_cnt"] <= frame["new_apply_cnt"]).all()


def test_wecom_group_statistics_look_like_the_api_answer():
    data = json.loads((BRIEFS / "data/xiaobei-muying/wecom_groups.json").read_text(encoding="utf-8"))
    assert data["errcode"] == 0 and data["errmsg"] == "ok" and len(data["items"]) == 180
    keys = {"new_chat_cnt", "chat_total", "chat_has_msg", "new_member_cnt", "member_total",
            "member_has_msg", "msg_total", "migrate_trainee_chat_cnt"}
    for item in data["items"]:
        assert set(item["data"]) == keys
        assert item["data"]["chat_has_msg"] <= item["data"]["chat_total"]
        assert item["data"]["member_has_msg"] <= item["data"]["member_total"]
        assert (item["stat_time"] + 8 * 3600) % 86400 == 0  # midnight in Beijing time


def test_skincare_export_is_typed_parquet_with_nulls_instead_of_blanks():
    frame = pd.read_parquet(BRIEFS / "data/qinghe-meizhuang/orders.parquet")
    assert str(frame["pay_time"].dtype).startswith("datetime64")
    assert frame["line_amount"].isna().sum() == 2 and (frame["line_amount"] < 0).sum() == 1
    assert frame["user_openid"].isna().sum() == 3
    assert frame["user_openid"].dropna().str.fullmatch(r"o[-_A-Za-z0-9]{27}").all()
    assert frame["order_no"].duplicated().any()


# slug: (range of the measured AOV, blemishes planted by the generator that the reader must count)
READ_EXPECTATIONS = {
    "xiaobei-muying": ((200, 400), {"missing customer": 3, "unparseable amount": 2, "negative amount": 2}),
    "laomian-canyin": ((40, 90), {"missing customer": 4, "unparseable amount": 2, "negative amount": 2}),
    "mujia-jiaju": ((2_000, 30_000), {"missing customer": 2, "unparseable amount": 2, "negative amount": 1}),
    "qinghe-meizhuang": ((250, 500), {"missing customer": 3, "missing amount": 2, "negative amount": 1}),
}


@pytest.mark.parametrize("slug", sorted(READ_EXPECTATIONS))
def test_demo_orders_read_with_exclusions_and_counted_unusable_rows(slug):
    from diag.readers.orders import read_orders

    brief = yaml.safe_load((BRIEFS / f"{slug}.yaml").read_text(encoding="utf-8"))
    data = read_orders(BRIEFS / brief["data"]["orders"], columns=brief["data"].get("columns") or None)
    quality = data.quality
    (lo, hi), blemishes = READ_EXPECTATIONS[slug]
    assert quality.orders_excluded > 0
    for reason, count in blemishes.items():
        assert quality.unusable.get(reason) == count, (reason, quality.unusable)
    aov = data.orders["amount"].mean()
    assert lo <= aov <= hi
    # The stated AOV differs from the data, so the intake gap questions have something to find.
    assert abs(brief["goods"]["aov"] - aov) / aov > 0.1
    assert str(data.as_of)[:10] == "2026-11-01"


def _masked_everywhere(ids: pd.Series) -> list[str]:
    from diag.privacy import mask_id

    return [i for i in ids.dropna().astype(str).unique() if i and mask_id(i) == i]


def test_every_phone_and_wechat_id_in_the_demo_data_is_masked_by_mask_id():
    phones = pd.read_csv(BRIEFS / "data/xiaobei-muying/orders.csv", encoding="utf-8-sig", dtype=str)["买家手机号"]
    wechat = pd.read_excel(BRIEFS / "data/mujia-jiaju/orders.xlsx", engine="openpyxl")["customer"]
    assert _masked_everywhere(phones) == []
    assert _masked_everywhere(wechat) == []


def test_every_openid_in_the_demo_data_is_masked_by_mask_id():
    openids = pd.read_parquet(BRIEFS / "data/qinghe-meizhuang/orders.parquet")["user_openid"]
    assert _masked_everywhere(openids) == []


# The order-based benchmark metrics (diag.areas.benchmark): the demo is there to show an opportunity.
ORDER_METRICS = ("aov", "orders_per_customer", "purchase_days_per_customer", "repurchase_rate",
                 "repurchase_rate_90d", "median_repurchase_days")


@pytest.mark.parametrize("slug", SLUGS)
def test_demo_client_trails_its_industry_on_some_order_metrics_and_holds_up_on_others(slug):
    from diag.areas.benchmark import benchmark_gaps
    from diag.areas.metrics import compute_metrics
    from diag.industries.registry import load_industry

    industry = _brief_data(slug)["client"]["industry"]
    if industry not in known_industries():
        pytest.skip("industry template not installed yet")
    brief = load_brief(BRIEFS / f"{slug}.yaml")
    m = compute_metrics(brief.data_path("orders"), columns=brief.data.columns or None)
    gaps = benchmark_gaps(m, load_industry(industry), gmv=m["gmv"], customers=m["customers"], orders=m["orders"])
    rows = gaps[gaps["metric"].isin(ORDER_METRICS) & gaps["value"].notna()]
    behind = rows[rows["uplift"].fillna(0) > 0]
    assert len(behind) >= 2, rows[["metric", "value", "low", "high", "uplift"]]
    assert rows["status"].isin(["达标", "高于"]).any(), rows[["metric", "value", "low", "high", "status"]]
