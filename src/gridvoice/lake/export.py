"""Incremental export of appeals from the operational store (SQLite or PostgreSQL) to the lake.

Change feed: every change of an appeal writes an event (intake, each action, a merged repeat call, a
recomputed clock) or, for a change outside the timeline (a corrected label), an audit entry on the appeal,
each stamped with the writing server's clock; `appeal_events.at` and `audit_log.at` are indexed. A refresh
reads the ids of the appeals with an event or audit entry at or after the watermark minus a lag (`LAG`: a
transaction that stamped its event earlier but committed after the previous refresh is still seen), fetches
those appeals whole, and rewrites only the month partitions they belong to: the partition's other rows are
kept, the changed ones replaced. Re-reading an appeal that did not change is harmless (same id and version:
the partition is left alone). The month of an appeal never changes (`received_at` is fixed at intake), and
appeals are never deleted (they are cancelled or archived), so a partition rewrite is all an update needs.

A full rebuild (first export, `full=True`, a new salt or lake format, or more changed appeals than
`FULL_SHARE` of the lake) streams month by month into a staging folder and swaps it in.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Connection, Select, func, select

from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.audit.models import AuditEntry
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.lake import files
from gridvoice.lake.privacy import Pseudonymiser, load_salt, redact, salt_fingerprint
from gridvoice.lake.schema import (
    APPEALS_DIR,
    APPEALS_SCHEMA,
    LAKE_FORMAT,
    UNITS_FILE,
    UNITS_SCHEMA,
    local_fields,
    month_of,
    partition_dir,
)
from gridvoice.org.models import Customer, OrgUnit
from gridvoice.store.db import one_of

log = logging.getLogger("gridvoice.lake")

LAG = timedelta(minutes=10)
FULL_SHARE = 0.2
ID_CHUNK = 1000
FETCH_BATCH = 20_000
HANDLER_ACTIONS = ("receive", "arrive", "resolve")
_A = Appeal.__table__
_E = AppealEvent.__table__
_L = AuditEntry.__table__
_PERSONAL = ("customer_no", "phone", "address")
_COPIED = ("id", "received_at", "channel", "business_type", "topic", "factor", "urgent", "status", "department",
           "org_unit", "org_path", "county", "station", "transformer_area", "verdict", "urge_count",
           "repeat_call_count", "escalate_count", "rehandle_count", "content", "version", "synthetic")


@dataclass
class ExportReport:
    mode: str  # full | incremental | unchanged
    appeals: int  # rows written or rewritten
    partitions: list[str]  # months rewritten
    total: int  # rows in the lake afterwards
    watermark: str | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "appeals": self.appeals, "partitions": self.partitions, "total": self.total,
                "watermark": self.watermark, "seconds": round(self.seconds, 3)}


def _handler_column() -> Any:
    """Who last received, attended or resolved the appeal: the staff member it is attributed to."""
    return (select(_E.c.actor).where(_E.c.appeal_id == _A.c.id, _E.c.action.in_(HANDLER_ACTIONS))
            .order_by(_E.c.seq.desc()).limit(1).correlate(_A).scalar_subquery().label("handler"))


def _appeal_query() -> Select[Any]:
    return select(*(_A.c[name] for name in _COPIED + _PERSONAL), _handler_column())


class _Converter:
    """Store rows -> lake rows: keys instead of personal data, redacted text, local calendar fields."""

    def __init__(self, pseudonymiser: Pseudonymiser, ta_codes: set[str]) -> None:
        self.keys = pseudonymiser
        self.ta_codes = ta_codes

    def table(self, rows: list[Any]) -> pa.Table:
        columns: dict[str, list[Any]] = {name: [] for name in _COPIED}
        columns.update(handler=[], customer_key=[], phone_key=[], address_key=[])
        for row in rows:
            m = row._mapping
            for name in _COPIED:
                columns[name].append(m[name])
            columns["handler"].append(m["handler"])
            columns["customer_key"].append(self.keys.customer(m["customer_no"]))
            columns["phone_key"].append(self.keys.phone(m["phone"]))
            columns["address_key"].append(self.keys.address(m["address"]))
        columns["content"] = [redact(c) for c in columns["content"]]
        # an appeal registered on a transformer area itself, without the customer's, belongs to that area
        columns["transformer_area"] = [ta if ta else (unit if unit in self.ta_codes else None)
                                       for ta, unit in zip(columns["transformer_area"], columns["org_unit"],
                                                           strict=True)]
        received = pa.array([_utc(t) for t in columns.pop("received_at")], type=pa.timestamp("us", tz="UTC"))
        arrays: dict[str, Any] = {"received_at": received, **local_fields(received)}
        for f in APPEALS_SCHEMA:
            if f.name not in arrays:
                arrays[f.name] = pa.array(columns[f.name], type=f.type)
        return pa.table([arrays[f.name] for f in APPEALS_SCHEMA], schema=APPEALS_SCHEMA)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _months(first: datetime, last: datetime) -> Iterator[tuple[str, datetime, datetime]]:
    """Local calendar months from `first` to `last`, as (name, start UTC, end UTC)."""
    day = first.astimezone(LOCAL_TZ).date().replace(day=1)
    end_day = last.astimezone(LOCAL_TZ).date()
    while day <= end_day:
        following = (day + timedelta(days=32)).replace(day=1)
        yield month_of(day), _local_midnight(day), _local_midnight(following)
        day = following


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([("received_at", "ascending"), ("id", "ascending")])


def _fetch(conn: Connection, query: Select[Any], convert: _Converter) -> Iterator[pa.Table]:
    result = conn.execution_options(stream_results=True).execute(query)
    while batch := result.fetchmany(FETCH_BATCH):
        yield convert.table(batch)


class LakeExporter:
    """Writes `root` (the lake folder) from the store behind `engine`; see the module docstring."""

    def __init__(self, engine: Any, root: Path, settings: Any) -> None:
        self.engine = engine
        self.root = Path(root)
        salt = load_salt(settings)
        self.salt_id = salt_fingerprint(salt)
        self.pseudonymiser = Pseudonymiser(salt)

    def refresh(self, full: bool = False, now: datetime | None = None) -> ExportReport:
        started = time.perf_counter()
        with files.exclusive(self.root):
            files.remove_strays(self.root)
            state = files.read_state(self.root)
            rebuild = full or state is None or state.format != LAKE_FORMAT or state.salt != self.salt_id
            with self.engine.connect() as conn:
                ta_codes = self._write_units(conn)
                convert = _Converter(self.pseudonymiser, ta_codes)
                if rebuild or state is None:
                    report = self._full(conn, convert)
                else:
                    report = self._incremental(conn, convert, state)
            report.seconds = time.perf_counter() - started
            log.info("lake refreshed", extra=report.to_dict())
            return report

    # ------------------------------------------------------------------------------------------ full

    def _full(self, conn: Connection, convert: _Converter) -> ExportReport:
        watermark = _newest_change(conn)
        first, last = conn.execute(select(func.min(_A.c.received_at), func.max(_A.c.received_at))).one()
        staged = files.staging_dir(self.root)
        partitions: dict[str, int] = {}
        if first is not None:
            for month, start, end in _months(_utc(first), _utc(last)):
                query = (_appeal_query().where(_A.c.received_at >= start, _A.c.received_at < end)
                         .order_by(_A.c.received_at, _A.c.id))
                tables = list(_fetch(conn, query, convert))
                if tables:
                    table = pa.concat_tables(tables)
                    path = staged / partition_dir(month) / "part-0.parquet"
                    files.write_atomic_parquet(path, _sorted(table))
                    partitions[month] = table.num_rows
        files.swap_in_directory(staged, self.root / APPEALS_DIR)
        total = sum(partitions.values())
        self._save_state(watermark, partitions)
        return ExportReport("full", total, sorted(partitions), total, _iso(watermark), 0.0)

    # ------------------------------------------------------------------------------------------ incremental

    def _incremental(self, conn: Connection, convert: _Converter, state: files.LakeState) -> ExportReport:
        watermark = _newest_change(conn)
        since = datetime.fromisoformat(state.watermark) - LAG if state.watermark else None
        if since is None or watermark is None:
            return self._full(conn, convert)
        ids = _changed_since(conn, since)
        if len(ids) > FULL_SHARE * max(state.appeals, 1) and len(ids) > ID_CHUNK:
            return self._full(conn, convert)
        by_month: dict[str, list[pa.Table]] = {}
        for table in self._changed(conn, convert, ids):
            months = pc.strftime(table["received_date"].cast(pa.timestamp("s")), format="%Y-%m")
            for month in pc.unique(months).to_pylist():
                by_month.setdefault(month, []).append(table.filter(pc.equal(months, month)))
        partitions = dict(state.partitions)
        rewritten: list[str] = []
        written = 0
        for month, tables in sorted(by_month.items()):
            rows = self._rewrite(month, pa.concat_tables(tables))
            if rows is not None:
                partitions[month] = rows
                rewritten.append(month)
                written += sum(t.num_rows for t in tables)
        self._save_state(watermark, partitions)
        mode = "incremental" if rewritten else "unchanged"
        return ExportReport(mode, written, rewritten, sum(partitions.values()), _iso(watermark), 0.0)

    def _changed(self, conn: Connection, convert: _Converter, ids: list[int]) -> Iterable[pa.Table]:
        dialect = conn.dialect.name
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start:start + ID_CHUNK]
            yield from _fetch(conn, _appeal_query().where(one_of(_A.c.id, chunk, dialect)), convert)

    def _rewrite(self, month: str, changed: pa.Table) -> int | None:
        """Replace the changed rows of one partition; None when every one of them is already there as is."""
        path = files.partition_file(self.root, month)
        if not path.exists():
            files.write_atomic_parquet(path, _sorted(changed))
            return changed.num_rows
        old = pq.read_table(path, schema=APPEALS_SCHEMA)
        hit = pc.is_in(old["id"], value_set=changed["id"])
        present = old.filter(hit)
        known = dict(zip(present["id"].to_pylist(), present["version"].to_pylist(), strict=True))
        fresh = zip(changed["id"].to_pylist(), changed["version"].to_pylist(), strict=True)
        if all(known.get(i) == v for i, v in fresh):
            return None
        merged = pa.concat_tables([old.filter(pc.invert(hit)), changed])
        files.write_atomic_parquet(path, _sorted(merged))
        return merged.num_rows

    # ------------------------------------------------------------------------------------------ units, state

    def _write_units(self, conn: Connection) -> set[str]:
        """The org tree with customers per unit (its subtree's), rewritten when it differs from the file."""
        units = conn.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.parent, OrgUnit.path,
                                    OrgUnit.area_class).order_by(OrgUnit.path)).all()
        per_ta = dict(conn.execute(select(Customer.transformer_area, func.count())
                                   .group_by(Customer.transformer_area)).all())
        totals = dict.fromkeys((u.code for u in units), 0)
        for unit in units:
            count = per_ta.get(unit.code, 0)
            if count:
                for code in (p for p in unit.path.split("/") if p):
                    if code in totals:
                        totals[code] += count
        table = pa.table({
            "code": [u.code for u in units], "name": [u.name for u in units], "level": [u.level for u in units],
            "parent": [u.parent for u in units], "path": [u.path for u in units],
            "area_class": [u.area_class for u in units], "customers": [totals[u.code] for u in units],
        }, schema=UNITS_SCHEMA)
        path = self.root / UNITS_FILE
        if not path.exists() or not pq.read_table(path, schema=UNITS_SCHEMA).equals(table):
            files.write_atomic_parquet(path, table)
        return {u.code for u in units if u.level == "transformer_area"}

    def _save_state(self, watermark: datetime | None, partitions: dict[str, int]) -> None:
        files.write_state(self.root, files.LakeState(
            format=LAKE_FORMAT, salt=self.salt_id, watermark=_iso(watermark),
            exported_at=datetime.now(UTC).isoformat(), appeals=sum(partitions.values()),
            partitions=dict(sorted(partitions.items()))))


def _newest_change(conn: Connection) -> datetime | None:
    event = conn.execute(select(func.max(_E.c.at))).scalar()
    audited = conn.execute(select(func.max(_L.c.at)).where(_L.c.target_type == "appeal")).scalar()
    found = [_utc(v) for v in (event, audited) if v is not None]
    return max(found) if found else None


def _changed_since(conn: Connection, since: datetime) -> list[int]:
    ids = set(conn.execute(select(_E.c.appeal_id).where(_E.c.at >= since).distinct()).scalars())
    audited = conn.execute(select(_L.c.target_id).where(_L.c.at >= since, _L.c.target_type == "appeal")).scalars()
    ids.update(int(t) for t in audited if str(t).isdigit())
    return sorted(ids)


def _iso(value: datetime | None) -> str | None:
    return _utc(value).isoformat() if value is not None else None
