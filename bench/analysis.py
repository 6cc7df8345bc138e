"""The appeal analysis over N synthetic appeals (10 M; 200 k with --quick): the Ibis code on DuckDB beside the
same computations in plain pandas (`bench/analysis_pandas.py`).

The lake is generated straight to its Parquet layout (`gridvoice.lake.synthetic`, vectorised, seeded). The
workload is the five analyses over the whole year: hotspots at county level over the last 90 days (with the
emerging terms of the last week), repeats over the year, sensitive customers over the year, the monthly risk
index over the year and the factor analysis over the year. Each engine runs in a child process of its own
(`python -m bench.analysis ENGINE LAKE OUT`), which reports its wall time (after imports) and peak resident
memory (`getrusage`); the results of both are compared number by number. The control-chart thresholds are
design constants, the same for both engines: as in a running installation they come from the threshold cache,
filled once before the timed runs.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.common import Result

FULL_ROWS = 10_000_000
QUICK_ROWS = 200_000
SPEEDUP_GOAL = 10.0


def workload(last: date) -> dict[str, Any]:
    """The queries of one full analysis, ending on the lake's last day."""
    from gridvoice.analysis.factors import FactorQuery
    from gridvoice.analysis.hotspots import HotspotQuery
    from gridvoice.analysis.repeats import RepeatQuery
    from gridvoice.analysis.risk import RiskQuery
    from gridvoice.analysis.sensitive import SensitiveQuery

    year = last - timedelta(days=364)
    return {
        "hotspots": HotspotQuery(last - timedelta(days=89), last, level="county", limit=1000),
        "repeats": RepeatQuery(year, last, limit=1000),
        "sensitive": SensitiveQuery(last, limit=1000),
        "risk": RiskQuery(year, last),
        "factors": FactorQuery(year, last, limit=1000),
    }


def lake_for(rows: int) -> Any:
    from gridvoice.lake.synthetic import SyntheticLake

    big = rows >= 1_000_000
    return SyntheticLake(rows, seed=2026, days=365, counties=12 if big else 6, stations_per_county=10 if big else 6,
                         areas_per_station=40 if big else 15)


def threshold_cache(root: Path) -> Any:
    from gridvoice.analysis.spc import ThresholdCache

    return ThresholdCache(root / "_spc-thresholds.json")


def warm_thresholds(root: Path, last: date) -> None:
    """Fill the threshold cache with what the hotspot run needs (not timed: no data work is in it)."""
    from gridvoice.analysis.common import Scope
    from gridvoice.analysis.config import AnalysisConfig
    from gridvoice.analysis.hotspots import hotspots
    from gridvoice.lake.connect import LakeConnection

    query = replace(workload(last)["hotspots"], terms=False)
    with LakeConnection(root, "duckdb") as conn:
        hotspots(conn, query, Scope.whole(), AnalysisConfig().hotspots, cache=threshold_cache(root))


def run_ibis(root: Path, last: date) -> dict[str, Any]:
    from gridvoice.analysis.common import Scope, first_day, unit_names
    from gridvoice.analysis.config import AnalysisConfig
    from gridvoice.analysis.factors import factors
    from gridvoice.analysis.hotspots import hotspots
    from gridvoice.analysis.repeats import repeats
    from gridvoice.analysis.risk import risk
    from gridvoice.analysis.sensitive import sensitive
    from gridvoice.lake.connect import LakeConnection
    from gridvoice.lake.schema import day_from_number

    config, scope, queries = AnalysisConfig(), Scope.whole(), workload(last)
    with LakeConnection(root, "duckdb") as conn:
        names = unit_names(conn)
        history = day_from_number(first_day(conn, scope))
        return {
            "hotspots": hotspots(conn, queries["hotspots"], scope, config.hotspots, names,
                                 threshold_cache(root)).to_dict(),
            "repeats": repeats(conn, queries["repeats"], scope, config.repeats, names).to_dict(),
            "sensitive": sensitive(conn, queries["sensitive"], scope, config.sensitive, names).to_dict(),
            "risk": risk(conn, queries["risk"], scope, config, names, history).to_dict(),
            "factors": factors(conn, queries["factors"], scope, config, names).to_dict(),
        }


def run_pandas(root: Path, last: date) -> dict[str, Any]:
    from bench import analysis_pandas as pdx
    from gridvoice.analysis.config import AnalysisConfig

    config, queries = AnalysisConfig(), workload(last)
    lake = pdx.PandasLake(root, last - timedelta(days=365 + 120), last)
    return {
        "hotspots": pdx.hotspots(lake, queries["hotspots"], config, threshold_cache(root)).to_dict(),
        "repeats": pdx.repeats(lake, queries["repeats"], config).to_dict(),
        "sensitive": pdx.sensitive(lake, queries["sensitive"], config).to_dict(),
        "risk": pdx.risk(lake, queries["risk"], config).to_dict(),
        "factors": pdx.factors(lake, queries["factors"], config).to_dict(),
    }


def differences(a: Any, b: Any, path: str = "", out: list[str] | None = None) -> list[str]:
    """Where two results differ (floats within 1e-6 relative, or 2e-4 absolute: outputs are rounded)."""
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            out.append(f"{path}: keys {sorted(a)} != {sorted(b)}")
        for key in a.keys() & b.keys():
            differences(a[key], b[key], f"{path}.{key}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} != {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            differences(x, y, f"{path}[{i}]", out)
    elif isinstance(a, float) or isinstance(b, float):
        if not (isinstance(a, int | float) and isinstance(b, int | float)
                and math.isclose(a, b, rel_tol=1e-6, abs_tol=2e-4)):
            out.append(f"{path}: {a} != {b}")
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")
    return out


def _child(engine: str, root: Path, last: date, out: Path) -> None:
    started = time.perf_counter()
    result = (run_ibis if engine == "ibis" else run_pandas)(root, last)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.write_text(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "result": result},
                              ensure_ascii=False, default=str))


def _measure(engine: str, root: Path, last: date, work: Path) -> dict[str, Any]:
    out = work / f"{engine}.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                                        os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-m", "bench.analysis", engine, str(root), last.isoformat(), str(out)],
                   check=True, env=env)
    return json.loads(out.read_text())


def run(work: Path, quick: bool, console: Console) -> list[Result]:
    rows = QUICK_ROWS if quick else FULL_ROWS
    work.mkdir(parents=True, exist_ok=True)
    lake = lake_for(rows)
    started = time.perf_counter()
    written = lake.write(work / "lake")
    generated = time.perf_counter() - started
    console.print(f"analysis: {written:,} synthetic appeals written to the lake in {generated:.0f} s")
    warm_thresholds(work / "lake", lake.last)
    ibis_run = _measure("ibis", work / "lake", lake.last, work)
    console.print(f"analysis: Ibis on DuckDB {ibis_run['seconds']:.1f} s, peak {ibis_run['peak_mib']:.0f} MiB")
    pandas_run = _measure("pandas", work / "lake", lake.last, work)
    console.print(f"analysis: pandas {pandas_run['seconds']:.1f} s, peak {pandas_run['peak_mib']:.0f} MiB")
    diff = differences(ibis_run["result"], pandas_run["result"])
    for line in diff[:10]:
        console.print(f"  differs: {line}")
    size = f"{written / 1e6:.1f} M appeals"
    speedup = pandas_run["seconds"] / ibis_run["seconds"]
    return [
        Result("analysis: lake generation", "parquet", size, generated, "s", higher_is_better=False),
        Result("analysis: full (Ibis)", "duckdb", f"time, {size}", ibis_run["seconds"], "s", higher_is_better=False),
        Result("analysis: full (Ibis)", "duckdb", "peak memory", ibis_run["peak_mib"], "MiB", higher_is_better=False),
        Result("analysis: full (pandas)", "pandas", f"time, {size}", pandas_run["seconds"], "s",
               higher_is_better=False),
        Result("analysis: full (pandas)", "pandas", "peak memory", pandas_run["peak_mib"], "MiB",
               higher_is_better=False),
        # the goal is for the full size; at the quick size fixed costs (compiling queries, starting up) dominate
        Result("analysis: Ibis vs pandas", "duckdb", "speed-up", speedup, "×", goal=None if quick else SPEEDUP_GOAL),
        Result("analysis: same numbers", "both", "differing values", float(len(diff)), "", goal=0,
               higher_is_better=False),
    ]


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]), date.fromisoformat(sys.argv[3]), Path(sys.argv[4]))
