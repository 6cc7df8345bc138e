"""Import of N appeals from CSV through `gridvoice import appeals`, then list and supervision queries."""

from __future__ import annotations

import csv
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from sqlalchemy import update

from bench.common import Result, database, percentile, runtime_with_org
from bench.console import bench_pages
from gridvoice.appeals.duty import duty_overview
from gridvoice.appeals.files import RawRow, read_rows
from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.appeals.schemas import AppealFilters, AppealIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.store.bulk import bulk_insert
from gridvoice.store.db import analyze
from gridvoice.synth import texts
from gridvoice.synth.appeals import CHANNEL_MIX
from gridvoice.web.queries import queue

QUERY_RUNS = 40
FLOOR_ROWS = 200_000


def write_csv(path: Path, rows: int, customers: list[dict], seed: int = 5) -> None:
    """A year of appeals with generated texts (a pool reused with variations keeps generation quick)."""
    rng = random.Random(seed)
    pairs = list(texts.LABEL_MIX)
    weights = [texts.LABEL_MIX[p] for p in pairs]
    pool = []
    for _ in range(5000):
        bt, topic = rng.choices(pairs, weights=weights)[0]
        channel = rng.choices(list(CHANNEL_MIX[bt]), weights=list(CHANNEL_MIX[bt].values()))[0]
        pool.append((bt, topic, channel, texts.generate_appeal_text(rng, bt, topic, channel, False,
                                                                     texts.random_context(rng))))
    start = datetime.now(UTC) - timedelta(days=365)
    step = 365 * 86400 / rows
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["channel", "external_id", "received_at", "content", "customer_no", "business_type",
                         "topic", "urgent"])
        for i in range(rows):
            bt, topic, channel, content = pool[rng.randrange(len(pool))]
            customer = customers[rng.randrange(len(customers))]
            at = start + timedelta(seconds=i * step)
            writer.writerow([channel, f"B{i}", at.isoformat(), content, customer["customer_no"], bt, topic,
                             "true" if rng.random() < 0.02 else "false"])


def _import(csv_path: Path, home: Path, url: str) -> tuple[float, float, str]:
    env = dict(os.environ, GRIDVOICE_HOME=str(home), GRIDVOICE_DATABASE_URL=url, GRIDVOICE_SECRET_KEY="bench",
               GRIDVOICE_LOG_LEVEL="WARNING")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gridvoice.cli", "import", "appeals", str(csv_path),
                           "--format", "json"], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise RuntimeError(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    # ru_maxrss of children is the largest child so far; the import is by far the largest
    return elapsed, max(peak_kib, before) / 1024, done.stdout.strip()


def _time(fn, runs: int = QUERY_RUNS) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm the cache once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def age_history(rt, days_open: int = 7) -> int:  # type: ignore[no-untyped-def]
    """Make the imported year look like a live store: what arrived more than `days_open` days ago has been
    handled and archived; the rest is still open (an imported appeal starts `accepted`)."""
    cutoff = datetime.now(UTC) - timedelta(days=days_open)
    with rt.writes.begin() as session:
        result = session.execute(
            update(Appeal).where(Appeal.received_at < cutoff)
            .values(status="archived", warning="none", next_due_at=None, next_yellow_at=None,
                    closed_at=Appeal.received_at)
            .execution_options(synchronize_session=False))
    analyze(rt.engine, ("appeals",))  # fresh planner statistics after a bulk change, as an operator would
    return result.rowcount


def bench_queries(rt, backend: str, rows: int) -> list[Result]:  # type: ignore[no-untyped-def]
    service = AppealService(rt)
    archived = age_history(rt)
    started = time.perf_counter()
    checked = service.sla_check()
    sla_seconds = time.perf_counter() - started
    city = Actor("bench", Role.DISPATCHER)
    county = Actor("bench_county", Role.COUNTY_MANAGER, "GV02")
    duty_city, duty_county = Actor("bench_duty", Role.DUTY_OFFICER), Actor("bench_duty", Role.DUTY_OFFICER, "GV02")
    month_ago = datetime.now(UTC) - timedelta(days=30)
    cases = {
        "list: newest page": lambda: service.list(AppealFilters(), city, 1, 50),
        "list: status=accepted": lambda: service.list(AppealFilters(status="accepted"), city, 1, 50),
        "list: county subtree + topic": lambda: service.list(AppealFilters(org_unit="GV02", topic="OUTAGE"),
                                                             city, 1, 50),
        "list: red warnings": lambda: service.list(AppealFilters(warning="red"), city, 1, 50),
        "list: last 30 days, page 20": lambda: service.list(AppealFilters(received_from=month_ago), city, 20, 50),
        "list: county user, REPAIR": lambda: service.list(AppealFilters(business_type="REPAIR"), county, 1, 50),
        "supervision board (county)": lambda: service.supervision(city, "county"),
        "supervision board (station)": lambda: service.supervision(city, "station"),
        "overdue queue": lambda: service.overdue_queue(city, 100),
        "duty screen (city)": lambda: duty_overview(service, duty_city),
        "duty screen (county)": lambda: duty_overview(service, duty_county),
        "console workbench: to dispatch": lambda: queue(service, city, ("accepted",), limit=10),
    }
    results = [Result(f"SLA check over {rows:,} appeals ({rows - archived:,} open; {checked.open_red:,} turn red)",
                      backend, "time", sla_seconds * 1000, "ms", None, False)]
    for name, fn in cases.items():
        samples = _time(fn)
        results.append(Result(f"{name} ({rows:,} appeals)", backend, "p95", percentile(samples, 0.95) * 1000, "ms",
                              100, False))
    return results


def bench_write_floor(work: Path, csv_path: Path, rows: int, backend: str, console: Console) -> list[Result]:
    """How fast the store alone takes prepared appeals and their events (bulk writer, the schema's indexes):
    an upper bound for any import on this machine, since reading, validating and preparing come on top."""
    home = work / f"floor-{backend}"
    with database(backend, home) as url:
        rt, _ = runtime_with_org(url, home, customers=1_000)
        service, org, actor, now = AppealService(rt), rt.org(), Actor.system(), datetime.now(UTC)
        prepared = []
        for row in read_rows(csv_path):
            if len(prepared) == rows:
                break
            if isinstance(row, RawRow):
                prepared.append(service.prepare(AppealIn.model_validate(row.values), org, None, actor, now))
        with rt.write_engine.connect() as conn, conn.begin():
            started = time.perf_counter()
            bulk_insert(conn, Appeal.__table__, [dict(p.values, id=i) for i, p in enumerate(prepared, 1)])
            bulk_insert(conn, AppealEvent.__table__, [dict(p.event, appeal_id=i) for i, p in enumerate(prepared, 1)])
        elapsed = time.perf_counter() - started  # including the commit
        rt.dispose()
    console.print(f"write floor {backend}: {len(prepared):,} prepared appeals + events in {elapsed:.1f} s")
    return [Result(f"store alone: bulk write of {len(prepared):,} prepared appeals + events", backend,
                   "throughput", len(prepared) / elapsed, "rows/s")]


def bench_import_and_queries(work: Path, rows: int, backend: str, only: set[str], console: Console) -> list[Result]:
    home = work / f"store-{backend}"
    csv_path = work / f"appeals-{rows}.csv"
    results: list[Result] = []
    with database(backend, home) as url:
        rt, people = runtime_with_org(url, home, customers=100_000)
        if not csv_path.exists():
            started = time.perf_counter()
            write_csv(csv_path, rows, people)
            console.print(f"wrote {rows:,} rows to CSV in {time.perf_counter() - started:.0f} s "
                          f"({csv_path.stat().st_size / 1e6:.0f} MB)")
        elapsed, peak_mib, summary = _import(csv_path, home, url)
        console.print(f"import {backend}: {summary} in {elapsed:.1f} s, peak RSS {peak_mib:.0f} MiB")
        if "import" in only:
            results += [
                Result(f"import {rows:,} appeals from CSV", backend, "throughput", rows / elapsed, "rows/s", 20_000),
                Result(f"import {rows:,} appeals from CSV", backend, "peak memory", peak_mib, "MiB", None, False),
            ]
            results += bench_write_floor(work, csv_path, min(rows, FLOOR_ROWS), backend, console)
        if "queries" in only:
            results += bench_queries(rt, backend, rows)
            results += bench_pages(rt, url, home, rows, backend, console)
        rt.dispose()
    return results
