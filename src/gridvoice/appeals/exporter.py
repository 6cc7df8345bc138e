"""Export of a filtered set of appeals to CSV, XLSX or Parquet, streamed in chunks.

CSV and XLSX are for people: Chinese headers by default (English with lang="en"), personal data masked.
Parquet is for analysts' tools: English column names and codes, masked the same way.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gridvoice.appeals.files import HEADERS_ZH
from gridvoice.appeals.models import Appeal
from gridvoice.appeals.schemas import AppealFilters
from gridvoice.appeals.service import AppealService
from gridvoice.audit.service import record
from gridvoice.auth.service import Actor, require
from gridvoice.domain import privacy
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.roles import Permission
from gridvoice.errors import BadInput
from gridvoice.ops.spreadsheet import csv_safe

COLUMNS = ("id", "channel", "external_id", "received_at", "content", "customer_no", "customer_name", "phone",
           "address", "org_unit", "county", "station", "transformer_area", "business_type", "topic", "factor",
           "urgent", "department", "status", "warning", "overdue", "next_due_at", "urge_count",
           "repeat_call_count", "escalate_count", "rehandle_count", "verdict", "closed_at", "labels_source",
           "synthetic")
_MASK = {"customer_no": privacy.mask_customer_no, "customer_name": privacy.mask_name,
         "phone": privacy.mask_phone, "address": privacy.mask_address}
_TIMES = ("received_at", "next_due_at", "closed_at")
CHUNK = 5000


def _rows(service: AppealService, filters: AppealFilters, actor: Actor) -> Iterator[dict[str, Any]]:
    query = service.filtered(filters, actor).order_by(Appeal.received_at, Appeal.id)
    with service.rt.sessions() as session:
        for appeal in session.scalars(query.execution_options(yield_per=CHUNK)):
            row = {c: getattr(appeal, c) for c in COLUMNS}
            for name, mask in _MASK.items():
                row[name] = mask(row[name])
            yield row


def _local(value: Any) -> Any:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S") if value is not None else None


def export_appeals(service: AppealService, filters: AppealFilters, actor: Actor, out: Path,
                   lang: str = "zh") -> int:
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".parquet"):
        raise BadInput("out", f"unsupported file type '{suffix}'; use .csv, .xlsx or .parquet")
    if lang not in ("zh", "en"):
        raise BadInput("lang", "one of zh, en")
    require(actor, Permission.EXPORT_APPEALS)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = _rows(service, filters, actor)
    headers = [HEADERS_ZH.get(c, c) if lang == "zh" else c for c in COLUMNS]
    write = {".parquet": lambda: _parquet(rows, out), ".csv": lambda: _csv(rows, out, headers)}.get(
        suffix, lambda: _xlsx(rows, out, headers))
    count = write()
    with service.rt.writes.begin() as session:
        record(session, actor, "appeals.export", "export", out.name,
               details={"rows": count, "format": suffix, "masked": True,
                        "filters": filters.model_dump(mode="json", exclude_none=True)})
    return count


def _people_row(row: dict[str, Any]) -> list[Any]:
    return [_local(row[c]) if c in _TIMES else row[c] for c in COLUMNS]


def _csv(rows: Iterator[dict[str, Any]], out: Path, headers: list[str]) -> int:
    n = 0
    with out.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens it as UTF-8
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_safe(v) for v in _people_row(row)])
            n += 1
    return n


def _xlsx(rows: Iterator[dict[str, Any]], out: Path, headers: list[str]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("诉求工单")

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        # control characters XML cannot hold would abort the whole export; customers' text is text, never a
        # live formula (openpyxl takes any string starting with "=" for one)
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith("="):
            return value
        text = WriteOnlyCell(ws, value=value)
        text.data_type = "s"
        return text

    ws.append(headers)
    n = 0
    for row in rows:
        ws.append([cell(v) for v in _people_row(row)])
        n += 1
    wb.save(out)
    return n


_SCHEMA = pa.schema([
    ("id", pa.int64()), ("channel", pa.string()), ("external_id", pa.string()),
    ("received_at", pa.timestamp("us", tz="UTC")), ("content", pa.string()), ("customer_no", pa.string()),
    ("customer_name", pa.string()), ("phone", pa.string()), ("address", pa.string()), ("org_unit", pa.string()),
    ("county", pa.string()), ("station", pa.string()), ("transformer_area", pa.string()),
    ("business_type", pa.string()), ("topic", pa.string()), ("factor", pa.string()), ("urgent", pa.bool_()),
    ("department", pa.string()), ("status", pa.string()), ("warning", pa.string()), ("overdue", pa.bool_()),
    ("next_due_at", pa.timestamp("us", tz="UTC")), ("urge_count", pa.int32()),
    ("repeat_call_count", pa.int32()), ("escalate_count", pa.int32()), ("rehandle_count", pa.int32()),
    ("verdict", pa.string()), ("closed_at", pa.timestamp("us", tz="UTC")), ("labels_source", pa.string()),
    ("synthetic", pa.bool_()),
])


def _parquet(rows: Iterator[dict[str, Any]], out: Path) -> int:
    n = 0
    with pq.ParquetWriter(out, _SCHEMA, compression="zstd") as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                writer.write_table(pa.Table.from_pylist(chunk, schema=_SCHEMA))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=_SCHEMA))
            n += len(chunk)
    return n
