"""A chain's stores: hand-computed figures, lagging drivers, and one report per store."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from diag.areas import stores as st
from diag.cli import main
from diag.demo.chain import write_chain

pytestmark = pytest.mark.slow  # a 50-store chain run with --per-store


def _orders(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["store", "customer_id", "paid_at", "amount"])
    frame["paid_at"] = pd.to_datetime(frame["paid_at"], format="mixed")
    frame["order_id"] = [f"o{i}" for i in range(len(frame))]
    return frame


def test_store_figures_follow_their_definitions_on_a_hand_computed_case():
    orders = _orders([("甲", "a", "2025-01-01", 100), ("甲", "a", "2025-01-05", 50), ("甲", "b", "2025-02-01", 30),
                      ("乙", "c", "2025-01-01", 10), ("乙", "c", "2025-01-01 18:00", 20)])
    table = st.store_table(orders, min_orders=1, min_customers=1).set_index("store")
    assert table.loc["甲", "gmv"] == 180 and table.loc["甲", "orders"] == 3 and table.loc["甲", "customers"] == 2
    assert table.loc["甲", "aov"] == pytest.approx(60) and table.loc["甲", "repurchase_rate"] == pytest.approx(0.5)
    assert table.loc["乙", "repurchase_rate"] == 0  # two orders on one day are one purchase day
    assert table.loc["甲", "rank_gmv"] == 1 and table.loc["乙", "rank_gmv"] == 2


def test_the_gain_raises_only_lagging_drivers_to_the_chain_median():
    table = pd.DataFrame({"store": ["a", "b", "c"], "gmv": [1000.0, 4000.0, 9000.0],
                          "customers": [10, 20, 30], "orders_per_customer": [1.0, 2.0, 3.0],
                          "aov": [100.0, 100.0, 100.0], "repurchase_rate": [0.1, 0.2, 0.3],
                          "status": ["ok"] * 3})
    gaps = st.driver_gaps(table).set_index("store")
    # store a: customers 10 → 20 and orders per customer 1 → 2: GMV 1000 → 4000
    assert gaps.loc["a", "gain"] == pytest.approx(3000)
    assert gaps.loc["a", "gain_customers"] == pytest.approx(1000)
    assert gaps.loc["b", "gain"] == 0 and gaps.loc["c", "gain"] == 0
    assert st.chain_gain(gaps.reset_index()) == pytest.approx(3000)


def test_a_store_with_too_little_data_is_not_ranked():
    orders = _orders([("大", f"c{i}", f"2025-01-{i % 28 + 1:02d}", 10.0) for i in range(40)]
                     + [("小", "x", "2025-01-02", 10.0)])
    table = st.store_table(orders).set_index("store")
    assert table.loc["小", "status"] == "too little data" and pd.isna(table.loc["小", "rank_gmv"])
    assert table.loc["大", "status"] == "ok"


def test_store_slugs_are_distinct_and_file_safe():
    slugs = st.store_slugs(["杭州 银泰/1店", "杭州-银泰 1店", "A&B"])
    assert len(set(slugs.values())) == 3 and all("/" not in s and " " not in s for s in slugs.values())


def test_a_brief_without_a_store_column_is_bad_input_for_per_store(tmp_path, capsys):
    (tmp_path / "orders.csv").write_text("订单号,买家手机号,支付时间,实付金额\nA1,13800130807,2025-03-05 10:00,100\n",
                                         encoding="utf-8")
    brief = tmp_path / "one.yaml"
    brief.write_text("client: {name: 单店, industry: 餐饮}\ndata: {orders: orders.csv}\n", encoding="utf-8")
    assert main(["run", str(brief), "--out", str(tmp_path / "out"), "--per-store"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "orders.csv:store" in err and len(err.splitlines()) == 1


@pytest.fixture(scope="module")
def chain_run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("chain")
    brief = write_chain(folder / "briefs", stores=50, orders_per_store=60)
    assert main(["run", str(brief), "--out", str(folder / "out"), "--per-store"]) == 0
    return folder / "out" / "chain"


def test_a_50_store_chain_gets_a_report_per_store_and_an_index(chain_run: Path):
    raw = (chain_run / "stores" / "index.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 50
    for column in ("store", "orders", "customers", "gmv", "aov", "repurchase_rate", "status", "report"):
        assert column in rows[0]
    for row in rows:
        report = chain_run / "stores" / row["report"]
        assert report.is_file(), row
        assert sum(f.stat().st_size for f in report.parent.rglob("*") if f.is_file()) <= 1_000_000
    small = [r for r in rows if r["status"] == "too little data"]
    assert len(small) >= 3  # the three new stores, at least
    results = json.loads((chain_run / "stores" / small[0]["report"]).with_name("results.json").read_text("utf-8"))
    assert any("数据不足" in b.get("text", "") for b in results["sections"]["store"]["blocks"])
    assert sum(float(r["gmv"]) for r in rows) == pytest.approx(
        json.loads((chain_run / "results.json").read_text("utf-8"))["sections"]["diagnosis"]["data"]["metrics"]["gmv"])


def test_the_chain_report_ranks_stores_names_lagging_drivers_and_the_gain(chain_run: Path):
    import docx

    results = json.loads((chain_run / "results.json").read_text(encoding="utf-8"))
    blocks = results["sections"]["stores"]["blocks"]
    keys = {b.get("key") for b in blocks}
    assert {"store_league", "store_trends", "store_ranking", "store_lagging", "chain_gain_to_median"} <= keys
    gain = next(b for b in blocks if b.get("key") == "chain_gain_to_median")["value"]
    assert gain > 0
    text = "\n".join(p.text for p in docx.Document(str(chain_run / "report.docx")).paragraphs)
    assert "门店对比" in text and "补齐" in text
    client_bytes = sum(f.stat().st_size for f in chain_run.rglob("*") if f.is_file() and "stores" not in f.parts)
    assert client_bytes <= 4_000_000
