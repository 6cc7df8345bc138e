"""Bulk import of appeals: the same validation and intake rules as the API, written in batches.

Two modes:
- `rows` (default): valid rows land, each rejected row is reported with its row number, field and reason;
- `atomic`: the whole file lands in one transaction, or nothing does when any row is rejected.
An appeal and its intake event are always written in the same transaction, so a crash leaves no half
order. Repeat calls inside the file or against open appeals in the store become urges, as in the API.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, func, select, text

from gridvoice.appeals.files import RawRow, RowError, read_rows
from gridvoice.appeals.models import Appeal, AppealEvent, MergedCall
from gridvoice.appeals.schemas import AppealIn
from gridvoice.appeals.service import AppealService
from gridvoice.appeals.statements import OPEN_STATUSES
from gridvoice.auth.service import Actor
from gridvoice.domain.labelling import Labels, label_batch
from gridvoice.domain.taxonomy import BusinessType
from gridvoice.errors import BadInput
from gridvoice.org.models import Customer
from gridvoice.org.service import CUSTOMER_FIELDS, CustomerRecord
from gridvoice.store.bulk import bulk_insert
from gridvoice.store.db import analyze, one_of

BATCH_SIZE = 5000
# after an import this large the planner's statistics are refreshed, as an operator would
ANALYZE_AFTER = 50_000
# PostgreSQL statistics are refreshed during long imports too (row-level mode: between batches)
REANALYZE_EVERY = 100_000


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    merged_as_urge: int = 0
    dry_run: bool = False
    mode: str = "rows"
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"imported": self.imported, "duplicates": self.duplicates, "rejected": self.rejected,
                "merged_as_urge": self.merged_as_urge, "dry_run": self.dry_run, "mode": self.mode}


def describe_validation_error(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    field_name = ".".join(str(p) for p in first["loc"]) or "row"
    reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return field_name, reasons


@dataclass(slots=True)
class _Open:
    """An open appeal a repeat call may attach to: stored (appeal_id) or new in this batch (position >= 0)."""

    appeal_id: int | None
    position: int
    topic: str
    received_at: datetime


@dataclass
class _OpenIndex:
    """Open appeals by caller: the repeat-call rule of `AppealService._open_original` without a query per row."""

    window: timedelta
    by_caller: dict[str, list[_Open]] = field(default_factory=dict)
    pending: list[_Open] = field(default_factory=list)  # entries added by the current batch

    @staticmethod
    def callers(values: dict[str, Any]) -> list[str]:
        return [f"{kind}:{who}" for kind, who in (("c", values["customer_no"]), ("p", values["phone"])) if who]

    def find(self, values: dict[str, Any]) -> _Open | None:
        """As the API: the oldest open appeal of the caller on the same topic received since the window began;
        for a 催办 (URGE) the oldest open appeal of the caller whatever its topic and age."""
        candidates = [e for key in self.callers(values) for e in self.by_caller.get(key, ())]
        if values["business_type"] != BusinessType.URGE.value:
            start = values["received_at"] - self.window
            candidates = [e for e in candidates if e.topic == values["topic"] and e.received_at >= start]
        return min(candidates, key=lambda e: e.received_at, default=None)

    def add(self, values: dict[str, Any], appeal_id: int | None, position: int) -> None:
        entry = _Open(appeal_id, position, values["topic"], values["received_at"])
        for key in self.callers(values):
            self.by_caller.setdefault(key, []).append(entry)
        if appeal_id is None:
            self.pending.append(entry)

    def resolve_positions(self, ids: list[int] | None) -> None:
        """Give this batch's entries their stored ids once inserted. A dry run has none: the entries stay (with a
        placeholder id) so that later batches count repeat calls as a real run would."""
        for entry in self.pending:
            entry.appeal_id = ids[entry.position] if ids is not None else 0
            entry.position = -1
        self.pending.clear()


class AppealImporter:
    def __init__(self, service: AppealService) -> None:
        self.service = service
        self.rt = service.rt

    def run(self, path: Path, actor: Actor, *, dry_run: bool = False, mode: str = "rows",
            encoding: str | None = None, progress: Callable[[int], None] | None = None,
            synthetic: bool = False) -> ImportReport:
        if mode not in ("rows", "atomic"):
            raise BadInput("mode", "one of rows, atomic")
        report = ImportReport(dry_run=dry_run, mode=mode)
        rows = read_rows(path, encoding)
        with self.rt.write_engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # the tables grow by thousands of rows per batch while their statistics stay those of the
                # start: a cached generic plan chosen then (a table scan) would make every later batch slower
                conn.exec_driver_sql("SET plan_cache_mode = force_custom_plan")
                conn.commit()
            if mode == "atomic":
                # one transaction for the file: it lands whole, or (any rejected row, or a dry run) not at all
                with conn.begin() as tx:
                    self._import(conn, rows, actor, report, progress, synthetic, per_batch_tx=False)
                    if dry_run or report.rejected:
                        tx.rollback()
                if report.rejected:
                    report.imported = report.merged_as_urge = 0
            else:
                self._import(conn, rows, actor, report, progress, synthetic, per_batch_tx=True,
                             dry_run=dry_run)
        report.errors.sort(key=lambda e: e.row_no)
        if report.imported >= ANALYZE_AFTER and not dry_run:
            analyze(self.rt.engine, ("appeals", "appeal_events"))
        return report

    def _import(self, conn: Connection, rows: Iterable[RawRow | RowError], actor: Actor, report: ImportReport,
                progress: Callable[[int], None] | None, synthetic: bool, per_batch_tx: bool,
                dry_run: bool = False) -> None:
        batch: list[RawRow] = []
        context = _Context.load(conn, self.service)
        if per_batch_tx:
            conn.commit()

        def flush() -> None:
            if per_batch_tx and not dry_run:
                with conn.begin():
                    self._write_batch(conn, batch, actor, report, context, synthetic, dry_run)
            else:
                self._write_batch(conn, batch, actor, report, context, synthetic, dry_run)
                if per_batch_tx:
                    conn.rollback()
            if progress:
                progress(len(batch))
            written[0] += len(batch)
            if per_batch_tx and conn.dialect.name == "postgresql" and written[0] % REANALYZE_EVERY < len(batch):
                # the look-ups of later batches are planned on statistics that still see the table as small
                conn.exec_driver_sql("ANALYZE appeals")
                conn.commit()

        written = [0]
        for row in rows:
            if isinstance(row, RowError):
                report.rejected += 1
                report.errors.append(row)
                continue
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                flush()
                batch = []
        if batch:
            flush()

    def _write_batch(self, conn: Connection, batch: list[RawRow], actor: Actor, report: ImportReport,
                     ctx: _Context, synthetic: bool, dry_run: bool) -> None:
        """Validate, prepare and (unless a dry run) insert one batch inside the caller's transaction."""
        now = datetime.now(UTC)
        prepared: list[tuple[dict[str, Any], dict[str, Any]]] = []
        urges: list[tuple[int | None, int, dict[str, Any]]] = []  # (stored id | None, batch position, values)
        valid: list[tuple[RawRow, AppealIn]] = []
        for row in batch:
            try:
                data = AppealIn.model_validate(row.values)
            except ValidationError as exc:
                field_name, reason = describe_validation_error(exc)
                report.rejected += 1
                report.errors.append(RowError(row.row_no, field_name, reason, row.values))
                continue
            valid.append((row, data))
        # look duplicates up by the validated keys, exactly as they are stored (not by the raw cells)
        ctx.load_external(conn, {(d.channel.value, d.external_id) for _, d in valid if d.external_id is not None})
        ctx.load_customers(conn, batch)
        guesses = self._guesses(valid)
        for position, (row, data) in enumerate(valid):
            key = (data.channel.value, data.external_id) if data.external_id is not None else None
            if key is not None and key in ctx.seen_external:
                report.duplicates += 1
                continue
            try:
                customer = ctx.customer(data.customer_no, data.phone)
                p = self.service.prepare(data, ctx.org, customer, actor, now, synthetic=synthetic,
                                         guess=guesses.get(position))
            except BadInput as exc:
                report.rejected += 1
                report.errors.append(RowError(row.row_no, exc.field, exc.reason, row.values))
                continue
            if key is not None:
                ctx.seen_external.add(key)  # only once the row is taken: a rejected row's corrected copy is no dup
            hit = ctx.open_index.find(p.values)
            if hit is not None:
                urges.append((hit.appeal_id, hit.position, p.values))
                continue
            ctx.open_index.add(p.values, None, len(prepared))
            prepared.append((p.values, p.event))
        if not dry_run:
            ids = self._insert(conn, prepared)
            ctx.open_index.resolve_positions(ids)
            self._merge_urges(conn, urges, ids, actor, now)
        else:
            ctx.open_index.resolve_positions(None)
        report.imported += len(prepared)
        report.merged_as_urge += len(urges)

    def _guesses(self, valid: list[tuple[RawRow, AppealIn]]) -> dict[int, Labels]:
        """The labeller's reading of every row that lacks a label, in one batch call."""
        missing = [i for i, (_, d) in enumerate(valid) if d.business_type is None or d.topic is None
                   or d.urgent is None]
        if not missing:
            return {}
        texts = [valid[i][1].content for i in missing]
        channels = [valid[i][1].channel.value for i in missing]
        return dict(zip(missing, label_batch(self.service.rt.labeller, texts, channels), strict=True))

    @staticmethod
    def _insert(conn: Connection, prepared: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[int]:
        if not prepared:
            return []
        ids = allocate_appeal_ids(conn, len(prepared))
        bulk_insert(conn, Appeal.__table__, [dict(v, id=i) for (v, _), i in zip(prepared, ids, strict=True)])
        bulk_insert(conn, AppealEvent.__table__,
                    [dict(e, appeal_id=i) for (_, e), i in zip(prepared, ids, strict=True)])
        return ids

    def _merge_urges(self, conn: Connection, urges: list[tuple[int | None, int, dict[str, Any]]],
                     ids: list[int], actor: Actor, now: datetime) -> None:
        if not urges:
            return
        from sqlalchemy.orm import Session

        targets = [stored_id if stored_id is not None else ids[position] if position >= 0 else None
                   for stored_id, position, _ in urges]
        events: list[dict[str, Any]] = []
        merged: list[dict[str, Any]] = []
        with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
            wanted = sorted({t for t in targets if t is not None})
            appeals: dict[int, Appeal] = {}
            for start in range(0, len(wanted), 500):  # one query per 500 originals, not one per call
                chunk = wanted[start:start + 500]
                for appeal in session.scalars(select(Appeal).where(one_of(Appeal.id, chunk, conn.dialect.name))):
                    appeals[appeal.id] = appeal
            for target, (_, _, values) in zip(targets, urges, strict=True):
                appeal = appeals.get(target) if target is not None else None
                if appeal is None:
                    continue
                event, call = self.service.urge_rows(appeal, values, actor, now)
                events.append(event)
                if call is not None:
                    merged.append(call)
            session.flush()  # the originals' new versions and counters, batched by the ORM
            # releases the savepoint into the caller's transaction; leaving the block without it rolls the
            # savepoint back, silently dropping every urge
            session.commit()
        bulk_insert(conn, AppealEvent.__table__, events)
        bulk_insert(conn, MergedCall.__table__, merged)


@dataclass
class _Context:
    """Look-ups an import needs, loaded once per file instead of once per row."""

    org: Any
    open_index: _OpenIndex
    seen_external: set[tuple[str, str]] = field(default_factory=set)
    customers: dict[str, CustomerRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection, service: AppealService) -> _Context:
        index = _OpenIndex(window=timedelta(hours=service.sla.duplicate_window_hours))
        query = select(Appeal.id, Appeal.customer_no, Appeal.phone, Appeal.topic, Appeal.received_at).where(
            Appeal.status.in_(OPEN_STATUSES))
        for appeal_id, customer_no, phone, topic, received_at in conn.execute(query):
            index.add({"customer_no": customer_no, "phone": phone, "topic": topic, "received_at": received_at},
                      appeal_id, -1)
        return cls(org=service.rt.org(), open_index=index)

    def load_external(self, conn: Connection, keys: set[tuple[str, str]]) -> None:
        by_channel: dict[str, list[str]] = {}
        for channel, external_id in keys - self.seen_external:
            by_channel.setdefault(channel, []).append(external_id)
        for channel, ids in by_channel.items():
            for chunk_start in range(0, len(ids), 500):
                chunk = ids[chunk_start:chunk_start + 500]
                for model in (Appeal, MergedCall):  # calls that created an appeal or were merged into one
                    found = conn.execute(select(model.external_id).where(
                        model.channel == channel, one_of(model.external_id, chunk, conn.dialect.name)))
                    self.seen_external.update((channel, e) for (e,) in found)

    def load_customers(self, conn: Connection, batch: list[RawRow]) -> None:
        """Fetch the batch's customers by 户号 and by phone in a few IN queries."""
        wanted = {"customer_no": set(), "phone": set()}
        for row in batch:
            for key in wanted:
                value = row.values.get(key)
                if value not in (None, ""):
                    wanted[key].add(str(value).strip())
        self.customers = {}
        for key, values in wanted.items():
            column = getattr(Customer, key)
            ordered = sorted(values)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                query = select(*CUSTOMER_FIELDS).where(one_of(column, chunk, conn.dialect.name))
                for row in conn.execute(query):  # rows, not ORM objects: a customer per imported row
                    self.customers.setdefault(f"{key}:{getattr(row, key)}", row)

    def customer(self, customer_no: str | None, phone: str | None) -> CustomerRecord | None:
        if customer_no and (found := self.customers.get(f"customer_no:{customer_no}")):
            return found
        if phone:
            return self.customers.get(f"phone:{phone}")
        return None


def allocate_appeal_ids(conn: Connection, n: int) -> list[int]:
    """Reserve n appeal ids inside the caller's write transaction (plain executemany beats RETURNING)."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text("SELECT nextval(pg_get_serial_sequence('appeals', 'id')) "
                                 "FROM generate_series(1, :n)"), {"n": n})
        return [r[0] for r in rows]
    # SQLite: the write transaction began IMMEDIATE, so no one else can take these ids meanwhile
    start = (conn.execute(select(func.max(Appeal.id))).scalar() or 0) + 1
    return list(range(start, start + n))


def write_rejected(path: Path, errors: Iterable[RowError]) -> None:
    """The rejected-rows report: row number, field, reason and the row as read (UTF-8 with BOM for Excel)."""
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["row", "field", "reason", "raw"])
        for err in errors:
            writer.writerow([err.row_no, err.field, err.reason, _raw_text(err.raw)])


def _raw_text(raw: dict[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in raw.items())[:1000]
