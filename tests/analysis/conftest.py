"""Lakes built for the analysis tests: explicit appeals with planted patterns, written in the lake's layout."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from gridvoice.analysis.config import AnalysisConfig
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.taxonomy import factor_of
from gridvoice.lake import files
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.schema import APPEALS_SCHEMA, UNITS_FILE, UNITS_SCHEMA, day_number, local_fields, month_of

# the small org of tests/conftest.py: county -> stations -> transformer areas
ORG = {"C1": {"S11": ["T111", "T112"]}, "C2": {"S21": ["T211"], "S22": ["T221"]}, "C3": {"S31": ["T311"]}}
NAMES = {"C1": "东坪县", "C2": "西岭县", "C3": "南山县", "S11": "东坪城区供电所", "S21": "西岭山区供电所",
         "S22": "西岭镇供电所", "S31": "南山供电所"}
STATION_OF = {ta: s for c in ORG.values() for s, tas in c.items() for ta in tas}
COUNTY_OF = {s: c for c, stations in ORG.items() for s in stations}


@dataclass
class LakeRows:
    """Appeals to write: `add(day, ...)` with sensible defaults; `write(root)` splits them by month."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    customers: dict[str, int] = field(default_factory=dict)

    def add(self, day: date, *, hour: int = 10, ta: str = "T111", topic: str = "OUTAGE",
            business_type: str = "REPAIR", channel: str = "HOTLINE_95598", urgent: bool = False,
            content: str = "家里停电了", customer: int | None = None, phone: int | None = None,
            address: int | None = None, verdict: str | None = None, handler: str | None = "handler_a",
            escalate_count: int = 0, rehandle_count: int = 0, repeat_call_count: int = 0,
            count: int = 1) -> list[int]:
        station = STATION_OF[ta]
        county = COUNTY_OF[station]
        added = []
        for _ in range(count):
            appeal_id = next(self.ids)
            local = datetime(day.year, day.month, day.day, hour, 15, tzinfo=LOCAL_TZ)
            self.rows.append({
                "id": appeal_id, "received_at": local.astimezone(UTC), "channel": channel,
                "business_type": business_type, "topic": topic, "factor": factor_of(topic).value,
                "urgent": urgent, "status": "archived", "department": "OPERATIONS", "org_unit": ta,
                "org_path": f"/HZ/{county}/{station}/{ta}/", "county": county, "station": station,
                "transformer_area": ta, "verdict": verdict, "urge_count": 0,
                "repeat_call_count": repeat_call_count, "escalate_count": escalate_count,
                "rehandle_count": rehandle_count, "handler": handler, "customer_key": customer,
                "phone_key": phone, "address_key": address, "content": content, "version": 3,
                "synthetic": True})
            added.append(appeal_id)
        return added

    def table(self) -> pa.Table:
        received = pa.array([r["received_at"] for r in self.rows], type=pa.timestamp("us", tz="UTC"))
        arrays: dict[str, Any] = {"received_at": received, **local_fields(received)}
        for f in APPEALS_SCHEMA:
            if f.name not in arrays:
                arrays[f.name] = pa.array([r[f.name] for r in self.rows], type=f.type)
        return pa.table([arrays[f.name] for f in APPEALS_SCHEMA], schema=APPEALS_SCHEMA)

    def write(self, root: Path) -> Path:
        table = self.table()
        if table.num_rows:
            months = np.array([month_of(d) for d in table["received_date"].to_pylist()])
            for month in sorted(set(months)):
                part = table.filter(pa.array(months == month)).sort_by([("received_at", "ascending")])
                files.write_atomic_parquet(files.partition_file(root, month), part)
        files.write_atomic_parquet(root / UNITS_FILE, units_table(self.customers))
        return root


def units_table(customers: dict[str, int]) -> pa.Table:
    rows = [("HZ", "青禾市供电局", "city", None, "/HZ/")]
    for county, stations in ORG.items():
        rows.append((county, NAMES[county], "county", "HZ", f"/HZ/{county}/"))
        for station, tas in stations.items():
            rows.append((station, NAMES[station], "station", county, f"/HZ/{county}/{station}/"))
            rows += [(ta, f"{ta}台区", "transformer_area", station, f"/HZ/{county}/{station}/{ta}/") for ta in tas]
    return pa.table({"code": [r[0] for r in rows], "name": [r[1] for r in rows], "level": [r[2] for r in rows],
                     "parent": [r[3] for r in rows], "path": [r[4] for r in rows],
                     "area_class": ["urban"] * len(rows),
                     "customers": [customers.get(r[0], 0) for r in rows]}, schema=UNITS_SCHEMA)


def background(rows: LakeRows, first: date, days: int, seed: int = 1, rate: float = 3.0,
               counties: tuple[str, ...] = ("C1", "C2", "C3")) -> None:
    """Steady Poisson traffic: every county, a few topics, a weekly rhythm."""
    rng = np.random.default_rng(seed)
    tas = {"C1": "T111", "C2": "T211", "C3": "T311"}
    topics = ("OUTAGE", "PAYMENT_TARIFF", "METERING")
    for offset in range(days):
        day = first + timedelta(days=offset)
        weekday = 0.8 if day.weekday() >= 5 else 1.0
        for county in counties:
            for topic in topics:
                for _ in range(int(rng.poisson(rate * weekday))):
                    rows.add(day, ta=tas[county], topic=topic, hour=int(rng.integers(8, 20)),
                             business_type="REPAIR" if topic == "OUTAGE" else "INQUIRY",
                             customer=int(rng.integers(10**6, 10**9)), phone=int(rng.integers(10**6, 10**9)),
                             content="咨询一下电费" if topic != "OUTAGE" else "家里停电了")


def day_index(day: date) -> int:
    return day_number(day)


@pytest.fixture
def config() -> AnalysisConfig:
    return AnalysisConfig()


@pytest.fixture
def open_lake(tmp_path: Path) -> Iterator[Any]:
    """open_lake(rows) -> a DuckDB connection on a lake holding those rows (closed after the test)."""
    opened: list[LakeConnection] = []

    def opener(rows: LakeRows, name: str = "lake") -> LakeConnection:
        conn = LakeConnection(rows.write(tmp_path / name), "duckdb")
        opened.append(conn)
        return conn

    yield opener
    for conn in opened:
        conn.close()
