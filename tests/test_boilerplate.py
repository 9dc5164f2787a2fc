"""Boilerplate bounded: prose paragraphs identical in every demo report, after masking, stay a minority."""

from __future__ import annotations

import pytest

from diag import load_brief, paths
from diag.report.boilerplate import mask, prose_paragraphs, repeated, shared_share

pytestmark = pytest.mark.slow  # runs the four demo clients

SLUGS = ["xiaobei-muying", "laomian-canyin", "mujia-jiaju", "qinghe-meizhuang"]


def test_masking_hides_numbers_the_client_and_the_industry():
    assert mask("小贝母婴的复购率 32.7%, 客单价 ¥1,299", ["小贝母婴", "母婴"]) == "@的复购率 #, 客单价 #"


def test_the_shared_share_counts_paragraphs_every_report_holds_once_masked():
    a = ["甲: 复购率 30%", "甲专属的话", "通用说明"]
    b = ["乙: 复购率 41%", "乙的另一句", "通用说明"]
    assert shared_share([a, b], [["甲"], ["乙"]]) == pytest.approx(2 / 3)
    assert repeated(["一", "二", "一"]) == ["一"]


@pytest.fixture(scope="module")
def demo_reports(demo_runs):
    reports, names, files = [], [], []
    for slug in SLUGS:
        report = demo_runs[slug] / "report.docx"
        reports.append(prose_paragraphs(report))
        files.append(report)
        b = load_brief(paths.BRIEFS / f"{slug}.yaml")
        names.append([b.client.name, b.client.industry])
    return reports, names, files


def test_at_most_thirty_percent_of_prose_is_identical_in_all_four_demo_reports(demo_reports):
    reports, names, _ = demo_reports
    assert shared_share(reports, names) <= 0.30


def test_no_paragraph_is_repeated_inside_one_demo_report(demo_reports):
    reports, _, _ = demo_reports
    assert all(not repeated(r) for r in reports)


def test_the_plan_chapters_add_no_paragraph_shared_by_all_four_demo_reports(demo_reports):
    reports, names, _ = demo_reports
    masked = [[mask(p, n) for p in r] for r, n in zip(reports, names)]
    common = set.intersection(*(set(m) for m in masked))
    plan_starts = [next(i for i, p in enumerate(r) if p.startswith(n[0]) and "型客户" in p) for r, n in zip(reports, names)]
    plan = {p for m, i in zip(masked, plan_starts) for p in m[i:]}
    ours = [p for p in plan & common if p.startswith("依据") or "案例" in p]
    assert not ours, ours


def test_no_demo_report_contains_a_product_place_or_case_detail_of_another_industry(demo_reports):
    import docx

    from diag.strategy.plays import load_library
    markers = load_library()["industries"]
    _, names, files = demo_reports
    for (client, industry), path in zip(names, files):
        d = docx.Document(str(path))
        text = " ".join(p.text for p in d.paragraphs) + " ".join(c.text for t in d.tables for r in t.rows for c in r.cells)
        for other, profile in markers.items():
            if other not in ("default", industry):
                assert not [m for m in profile.get("markers", []) if m in text], (client, other)
