"""The benchmark's data shapes: each is read by `diag metrics`, fits the CLV models, and the
plain-pandas reference agrees with the kit on the figures both compute."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import reference  # noqa: E402
from run import agree  # noqa: E402

from diag.areas.metrics import compute_metrics  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(generate.TABLES))
def test_every_shape_is_read_fitted_and_agrees_with_the_reference(shape, tmp_path):
    path = generate.write(30_000, shape, "parquet", out=tmp_path)
    m = compute_metrics(path)
    assert m["orders"] > 25_000
    assert m["clv"]["fitted"] is True, m["clv"]["status"]
    assert m["clv"]["convergence"]["bgnbd"]["converged"] is True
    assert not agree(m, json.loads(json.dumps(reference.main(str(path)))))   # as run.py reads it


def test_the_shapes_differ_as_described():
    uniform = generate.uniform_table(50_000).to_pandas()
    assert list(uniform.columns) == ["order_id", "customer_id", "paid_at", "amount", "status"]
    per_customer = uniform["customer_id"].value_counts()
    assert per_customer.mean() == pytest.approx(5, rel=0.05)
    onetime = generate.onetime_table(50_000).to_pandas()["买家手机号"].value_counts()
    assert (onetime == 1).mean() == pytest.approx(0.9, abs=0.02)
