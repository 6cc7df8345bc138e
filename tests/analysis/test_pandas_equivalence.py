"""The pandas version of the benchmark (`bench/analysis_pandas.py`) computes the same numbers as the Ibis code:
a small lake here, the benchmark's quick size (200,000 appeals) in the slow variant."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, home of `bench`

from bench.analysis import QUICK_ROWS, differences, lake_for, run_ibis, run_pandas

from gridvoice.lake.synthetic import SyntheticLake


def _compare(lake: SyntheticLake, root: Path) -> None:
    lake.write(root)
    ibis_result = run_ibis(root, lake.last)
    pandas_result = run_pandas(root, lake.last)
    assert ibis_result["hotspots"]["alerts"] and ibis_result["repeats"]["groups"]
    assert ibis_result["sensitive"]["customers"] and ibis_result["factors"]["attributions"]
    assert differences(ibis_result, pandas_result) == []
    # the comparison itself notices a change
    pandas_result["risk"]["rows"][0]["score"] += 1.0
    assert differences(ibis_result, pandas_result)


def test_pandas_and_ibis_agree_on_a_small_lake(tmp_path: Path):
    _compare(SyntheticLake(10_000, seed=4, days=150, counties=3, stations_per_county=2, areas_per_station=4),
             tmp_path)


@pytest.mark.slow
def test_pandas_and_ibis_agree_at_the_quick_benchmark_size(tmp_path: Path):
    _compare(lake_for(QUICK_ROWS), tmp_path)
