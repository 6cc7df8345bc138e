"""Fast bulk inserts for imports and seeding: plain DB-API executemany on SQLite, COPY on PostgreSQL.

SQLAlchemy's per-row parameter processing costs more than the database's own work at import volumes, so
values are converted once here, in the formats SQLAlchemy itself stores (reads through the ORM see the same
values as rows written by the ORM).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Table

from gridvoice.store.base import UtcDateTime


def _sqlite_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # SQLAlchemy's SQLite DATETIME storage format, microseconds always present
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _sqlite_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _sqlite_bool(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, UtcDateTime):
        return _sqlite_time
    if isinstance(column_type, JSON) or isinstance(getattr(column_type, "impl", None), JSON):
        return _sqlite_json
    if isinstance(column_type, Boolean):
        return _sqlite_bool
    return None


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) inside the caller's transaction."""
    if not rows:
        return
    names = list(rows[0].keys())
    columns = [table.c[n] for n in names]
    if conn.dialect.name == "postgresql":
        _pg_copy(conn, table, names, rows)
        return
    # convert only the columns that need it, in place, on a list built by a C-level getter
    converting = [(i, conv) for i, conv in enumerate(_sqlite_converter(c.type) for c in columns) if conv]
    getter = itemgetter(*names)
    single = len(names) == 1  # itemgetter of one key returns the value itself, not a tuple
    values = []
    for row in rows:
        cells = [getter(row)] if single else list(getter(row))
        for i, conv in converting:
            cells[i] = conv(cells[i])
        values.append(tuple(cells))
    sql = f'INSERT INTO {table.name} ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
    conn.exec_driver_sql(sql, values)


def _pg_copy(conn: Connection, table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> None:
    from psycopg.types.json import Jsonb

    json_cols = {n for n in names if isinstance(table.c[n].type, JSON)
                 or isinstance(getattr(table.c[n].type, "impl", None), JSON)
                 or "JSON" in type(table.c[n].type.dialect_impl(conn.dialect)).__name__.upper()}
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f'COPY {table.name} ({", ".join(names)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([Jsonb(row[n]) if n in json_cols and row[n] is not None else row[n] for n in names])
