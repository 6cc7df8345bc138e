"""The lake's tables: what each Parquet file holds, column by column (ADR 0013).

`appeals/received_month=YYYY-MM/part-0.parquet` — one file per month of receipt (Asia/Shanghai), rows sorted
by `received_at`, so readers prune row groups on time. The month is the directory name only; every column an
analysis uses is inside the file, and the readers take the files by glob (no partition discovery), so DuckDB
and Spark see the same columns.

Times: `received_at` in UTC; `received_date`, `received_day` (days since 1970-01-01) and `received_hour` are the
local calendar fields, computed once at export so no analysis converts time zones (engines disagree on that).

Personal data: names are not exported; 户号, phone and address become keyed hashes (`*_key`, see
`lake.privacy`); long digit runs in the text are redacted. The text stays: the emerging-term, escalation-cue,
sentiment and staff-attribution analyses read it.

`units.parquet` — the org tree with each unit's number of customers (the heat index divides by it).
"""

from __future__ import annotations

from datetime import date, datetime

import pyarrow as pa
import pyarrow.compute as pc

from gridvoice.domain.clock import LOCAL_TZ

LAKE_FORMAT = 1  # bump when a column changes meaning: the next refresh rebuilds the whole lake
APPEALS_DIR = "appeals"
UNITS_FILE = "units.parquet"
STATE_FILE = "_state.json"
PARTITION_KEY = "received_month"
EPOCH = date(1970, 1, 1)

APPEALS_SCHEMA = pa.schema([
    ("id", pa.int64()),
    ("received_at", pa.timestamp("us", tz="UTC")),
    ("received_date", pa.date32()),
    ("received_day", pa.int32()),
    ("received_hour", pa.int32()),
    ("channel", pa.string()),
    ("business_type", pa.string()),
    ("topic", pa.string()),
    ("factor", pa.string()),
    ("urgent", pa.bool_()),
    ("status", pa.string()),
    ("department", pa.string()),
    ("org_unit", pa.string()),
    ("org_path", pa.string()),
    ("county", pa.string()),
    ("station", pa.string()),
    ("transformer_area", pa.string()),
    ("verdict", pa.string()),
    ("urge_count", pa.int32()),
    ("repeat_call_count", pa.int32()),
    ("escalate_count", pa.int32()),
    ("rehandle_count", pa.int32()),
    ("handler", pa.string()),
    ("customer_key", pa.int64()),
    ("phone_key", pa.int64()),
    ("address_key", pa.int64()),
    ("content", pa.string()),
    ("version", pa.int32()),
    ("synthetic", pa.bool_()),
])

UNITS_SCHEMA = pa.schema([
    ("code", pa.string()),
    ("name", pa.string()),
    ("level", pa.string()),
    ("parent", pa.string()),
    ("path", pa.string()),
    ("area_class", pa.string()),
    ("customers", pa.int64()),
])


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def partition_dir(month: str) -> str:
    return f"{PARTITION_KEY}={month}"


def local_day(instant: datetime) -> date:
    return instant.astimezone(LOCAL_TZ).date()


def day_number(day: date) -> int:
    return (day - EPOCH).days


def day_from_number(number: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(number))


def local_fields(received_at: pa.Array | pa.ChunkedArray) -> dict[str, pa.Array | pa.ChunkedArray]:
    """The local calendar columns of UTC instants (one vectorised pass; the zone database decides)."""
    local = pc.local_timestamp(received_at.cast(pa.timestamp("us", tz=str(LOCAL_TZ))))
    dates = local.cast(pa.timestamp("us")).cast(pa.date32())
    return {
        "received_date": dates,
        "received_day": dates.cast(pa.int32()),
        "received_hour": pc.hour(local).cast(pa.int32()),
    }


def empty_appeals() -> pa.Table:
    return APPEALS_SCHEMA.empty_table()


def empty_units() -> pa.Table:
    return UNITS_SCHEMA.empty_table()
