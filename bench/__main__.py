"""`make bench` / `python -m bench`: the foundation's speed goals, measured, printed as one table.

- intake through the HTTP API (a real uvicorn server, concurrent clients) on SQLite and PostgreSQL;
- import of N appeals from CSV (rows/s and peak memory of the importing process);
- list and supervision queries with those N appeals in the store (p50/p95 over repeated calls).

Options: --quick (small sizes for a smoke run), --rows N (import size, default 1,000,000),
--only intake|import|queries|classify|analysis|satisfaction, --json FILE (also write the results as JSON).
- classification throughput; the appeal analysis over N synthetic appeals beside a plain pandas version;
  a PLS-SEM bootstrap (issues #4 and #5).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.common import PG_URL, Result
from bench.intake import bench_intake

# issue #4/#5 benchmarks: module bench/<name>.py with `run(work: Path, quick: bool, console) -> list[Result]`
MISSION_BENCHES = ("classify", "analysis", "satisfaction")


def run_mission_bench(name: str, work: Path, quick: bool, console: Console) -> list[Result]:
    module = importlib.import_module(f"bench.{name}")
    return module.run(work / name, quick, console)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="appeals to import")
    parser.add_argument("--only", choices=("intake", "import", "queries", *MISSION_BENCHES), action="append")
    parser.add_argument("--json", type=Path, help="write results as JSON here too")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append",
                        help="only these backends (default: SQLite, and PostgreSQL when configured)")
    args = parser.parse_args()
    rows = 20_000 if args.quick else args.rows
    only = set(args.only or ("intake", "import", "queries", *MISSION_BENCHES))
    backends = [b for b in (args.backend or ("sqlite", "postgresql")) if b == "sqlite" or PG_URL]
    console = Console()
    pg = "yes" if PG_URL else "no (set GRIDVOICE_TEST_PG_URL)"
    console.print(f"gridvoice bench — {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                  f"Python {platform.python_version()}; PostgreSQL: {pg}")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="gv-bench-") as tmp:
        work = Path(tmp)
        if "intake" in only:
            for backend in backends:
                results += bench_intake(work, backend, requests=600 if args.quick else 4000, console=console)
        if only & {"import", "queries"}:
            from bench.store import bench_import_and_queries  # needs the text generator: import lazily

            for backend in backends:
                results += bench_import_and_queries(work, rows, backend, only, console)
        for name in MISSION_BENCHES:
            if name in only:
                results += run_mission_bench(name, work, args.quick, console)
    table = Table(title="gridvoice benchmarks")
    for column in ("benchmark", "backend", "measure", "value", "goal", "met"):
        table.add_column(column)
    for r in results:
        table.add_row(r.name, r.backend, r.measure, r.formatted(), r.goal_text(), r.met_text())
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
