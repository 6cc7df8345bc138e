"""Engines and sessions for the operational store: SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ARRAY, Engine, any_, bindparam, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

# execution option marking a connection whose transactions will write (SQLite: BEGIN IMMEDIATE)
WRITE_OPTION = "gridvoice_write"
WRITER_WAIT_SECONDS = 60


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        # a connection per request thread (the server runs sync endpoints on 40 threads): no churn of
        # connections and their PRAGMAs under load
        if url.startswith("sqlite:///") and ":memory:" not in url:  # in-memory databases use a singleton pool
            kwargs.setdefault("pool_size", 40)
            kwargs.setdefault("max_overflow", 10)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    # as many pooled connections as request threads, so none is opened and closed per request; no ping
    # per checkout (a round trip each time): a connection broken by a server restart fails one request
    # and the pool is invalidated and refilled, and connections are recycled hourly
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_recycle", 3600)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (see _on_begin) instead of pysqlite's implicit transactions.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # 32 MiB page cache per connection and memory temp tables: lists and imports over a million appeals
        cur.execute("PRAGMA cache_size=-32768")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    # SQLite has one writer at a time. Threads of this process queue on a lock instead of SQLite's busy
    # handler, which sleeps in growing steps and turns contention into long latencies. The lock is taken
    # before BEGIN IMMEDIATE and released after the DB-API commit or rollback has finished.
    writer = threading.Lock()
    holders: set[int] = set()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Write transactions take the write lock up front, so a read-then-write never fails on lock upgrade:
        # the second of two concurrent writers waits, then sees the first one's version (-> 409, not 500).
        # Read transactions stay deferred and, in WAL mode, never wait for writers.
        if not conn.get_execution_options().get(WRITE_OPTION, False):
            conn.exec_driver_sql("BEGIN")
            return
        raw = conn.connection.dbapi_connection
        if not writer.acquire(timeout=WRITER_WAIT_SECONDS):
            raise TimeoutError(f"the database stayed busy for {WRITER_WAIT_SECONDS} s; try again")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writer.release()
            raise
        holders.add(id(raw))

    def _finishing(original: Any) -> Any:
        def finish(dbapi_connection: Any) -> None:
            # SQLAlchemy hands over the pool's proxy; the lock was recorded against the raw connection
            raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
            try:
                original(dbapi_connection)
            finally:
                if id(raw) in holders:
                    holders.discard(id(raw))
                    writer.release()
        return finish

    engine.dialect.do_commit = _finishing(engine.dialect.do_commit)  # type: ignore[method-assign]
    engine.dialect.do_rollback = _finishing(engine.dialect.do_rollback)  # type: ignore[method-assign]

    def _dropped(dbapi_connection: Any, *_args: Any) -> None:
        # a connection invalidated or closed in the middle of a write must not keep the lock
        if id(dbapi_connection) in holders:
            holders.discard(id(dbapi_connection))
            writer.release()

    event.listen(engine, "invalidate", _dropped)
    event.listen(engine, "close", _dropped)


def make_session_factory(engine: Engine, write: bool = False) -> sessionmaker[Session]:
    """Sessions for reading, or (write=True) for transactions that will write."""
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return sessionmaker(bind=bind, expire_on_commit=False)


def autocommit_engine(engine: Engine) -> Engine:
    """Connections whose every statement commits by itself on PostgreSQL: reads and single-statement writes
    without BEGIN/COMMIT round trips. SQLite's transactions are local calls, so it keeps its own."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def write_engine(engine: Engine) -> Engine:
    return engine.execution_options(**{WRITE_OPTION: True})


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def scratch_postgres_database(server_url: str, prefix: str = "gv_scratch") -> Iterator[str]:
    """Create an empty database on a PostgreSQL server, yield its URL, drop it afterwards (tests, benchmarks)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def one_of(column: Any, values: list[Any], dialect_name: str) -> Any:
    """`column IN values` for batch look-ups. On PostgreSQL one array parameter (`= ANY($1)`): a prepared
    statement with hundreds of separate parameters can fall back to a generic plan that scans the table."""
    if dialect_name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def analyze(engine: Engine, tables: tuple[str, ...]) -> None:
    """Refresh the query planner's statistics after a bulk change."""
    with engine.connect() as conn:
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table}")
        conn.commit()
