"""The same analyses on DuckDB and on PySpark (local mode) give the same numbers."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from gridvoice.analysis.common import Scope, first_day, unit_names
from gridvoice.analysis.config import AnalysisConfig
from gridvoice.analysis.factors import FactorQuery, factors
from gridvoice.analysis.hotspots import HotspotQuery, hotspots
from gridvoice.analysis.repeats import RepeatQuery, repeats
from gridvoice.analysis.risk import RiskQuery, risk
from gridvoice.analysis.sensitive import SensitiveQuery, sensitive
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.schema import day_from_number
from gridvoice.lake.synthetic import SyntheticLake

pytestmark = pytest.mark.slow


def run_all(conn: LakeConnection, last: date) -> dict[str, Any]:
    config = AnalysisConfig()
    scope = Scope.whole()
    names = unit_names(conn)
    history = day_from_number(first_day(conn, scope))
    return {
        "hotspots": hotspots(conn, HotspotQuery(last - timedelta(days=27), last, limit=10_000), scope,
                             config.hotspots, names).to_dict(),
        "repeats": repeats(conn, RepeatQuery(last - timedelta(days=89), last, limit=10_000), scope,
                           config.repeats, names).to_dict(),
        "sensitive": sensitive(conn, SensitiveQuery(last, limit=10_000), scope, config.sensitive, names).to_dict(),
        "risk": risk(conn, RiskQuery(last - timedelta(days=89), last), scope, config, names, history).to_dict(),
        "factors": factors(conn, FactorQuery(last - timedelta(days=119), last, limit=10_000), scope, config,
                           names).to_dict(),
    }


def same(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6), (path, a, b)
    else:
        assert a == b, (path, a, b)


def test_duckdb_and_pyspark_agree(tmp_path: Path):
    lake = SyntheticLake(12_000, seed=5, days=120, counties=4, stations_per_county=3, areas_per_station=5)
    lake.write(tmp_path)
    duck = LakeConnection(tmp_path, "duckdb")
    spark = LakeConnection(tmp_path, "pyspark", threads=2)
    try:
        expected = run_all(duck, lake.last)
        got = run_all(spark, lake.last)
    finally:
        duck.close()
        spark.close()
    assert expected["hotspots"]["alerts"] and expected["repeats"]["groups"] and expected["risk"]["rows"]
    assert expected["factors"]["attributions"] and expected["sensitive"]["customers"]
    same(expected, got)
