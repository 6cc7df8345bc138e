"""The audit log is append-only in the database itself (migration 0002's triggers), on SQLite and PostgreSQL.

Raw SQL through the engine, as anyone with a connection could send it: INSERT works, UPDATE and DELETE of audit
rows are refused whatever the WHERE clause, and a refused statement changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, exc, func, select, text

from gridvoice.audit.models import AuditEntry
from gridvoice.audit.service import record
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime

try:  # tests/conftest.py, whether tests/ is a package or only a folder on sys.path
    from tests.conftest import backend_store
except ImportError:
    from conftest import backend_store  # type: ignore[no-redef]

INSERT = text("INSERT INTO audit_log (at, actor, role, action, target_type, target_id, reason, details) "
              "VALUES (CURRENT_TIMESTAMP, :actor, 'admin', 'user.update', 'user', :target, :reason, '{}')")
UPDATES = {
    "one-row": "UPDATE audit_log SET reason = 'rewritten' WHERE id = :id",
    "every-row": "UPDATE audit_log SET actor = 'someone-else'",
    "no-op": "UPDATE audit_log SET reason = reason WHERE id = :id",
}
DELETES = {
    "one-row": "DELETE FROM audit_log WHERE id = :id",
    "every-row": "DELETE FROM audit_log",
    "by-actor": "DELETE FROM audit_log WHERE actor = 'mallory'",
}


def rows(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT id, actor, action, target_id, reason FROM audit_log ORDER BY id"))]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def runtime(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A migrated, empty store per backend for the module (each test adds the rows it looks at)."""
    with backend_store(request.param, tmp_path_factory.mktemp("audit"), seed=False) as rt:
        yield rt


@pytest.fixture
def entries(runtime: Runtime) -> list[tuple]:
    """Every row of the log after adding three (refused statements must leave exactly these)."""
    with runtime.engine.begin() as conn:
        for i in range(3):
            assert conn.execute(INSERT, {"actor": "mallory", "target": f"user{i}", "reason": f"why {i}"}).rowcount == 1
    return rows(runtime.engine)


def engines(runtime: Runtime) -> dict[str, Engine]:
    # a transaction, and on PostgreSQL the autocommit connections the API reads (and writes intakes) with
    return {"transaction": runtime.engine, "autocommit": runtime.autocommit}


def test_insert_works(runtime: Runtime, entries: list[tuple]):
    assert [(r[1], r[3], r[4]) for r in entries[-3:]] == [("mallory", f"user{i}", f"why {i}") for i in range(3)]
    with runtime.writes.begin() as session:  # and the service's own path
        record(session, Actor("admin_city", Role.ADMIN), "user.create", "user", "newcomer", "入职",
               details={"role": "agent"}, at=datetime.now(UTC))
    with runtime.sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.actor, entry.action, entry.target_id, entry.reason, entry.details) == (
            "admin_city", "user.create", "newcomer", "入职", {"role": "agent"})
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == len(entries) + 1


def refused(engine: Engine, sql: str, params: dict) -> None:
    with pytest.raises(exc.DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(sql), params)
    assert "append-only" in str(caught.value.orig)


@pytest.mark.parametrize("via", ["transaction", "autocommit"])
@pytest.mark.parametrize("statement", list(UPDATES), ids=list(UPDATES))
def test_update_is_refused(runtime: Runtime, entries: list[tuple], statement: str, via: str):
    refused(engines(runtime)[via], UPDATES[statement], {"id": entries[-2][0]})
    assert rows(runtime.engine) == entries


@pytest.mark.parametrize("via", ["transaction", "autocommit"])
@pytest.mark.parametrize("statement", list(DELETES), ids=list(DELETES))
def test_delete_is_refused(runtime: Runtime, entries: list[tuple], statement: str, via: str):
    refused(engines(runtime)[via], DELETES[statement], {"id": entries[-3][0]})
    assert rows(runtime.engine) == entries


def test_a_refused_change_takes_its_transaction_with_it(runtime: Runtime, entries: list[tuple]):
    with pytest.raises(exc.DBAPIError), runtime.engine.begin() as conn:
        conn.execute(INSERT, {"actor": "mallory", "target": "cover", "reason": "cover-up"})
        conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": entries[-3][0]})
    assert rows(runtime.engine) == entries


def test_orm_changes_are_refused_too(runtime: Runtime, entries: list[tuple]):
    with pytest.raises(exc.DBAPIError), runtime.writes.begin() as session:
        entry = session.get(AuditEntry, entries[-1][0])
        assert entry is not None
        entry.reason = "nothing to see"
    with pytest.raises(exc.DBAPIError), runtime.writes.begin() as session:
        session.delete(session.get(AuditEntry, entries[-1][0]))
    assert rows(runtime.engine) == entries


def test_truncate_is_refused(runtime: Runtime, entries: list[tuple], request: pytest.FixtureRequest):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE without WHERE runs the row triggers (see above)")
    with pytest.raises(exc.DBAPIError), runtime.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))
    assert rows(runtime.engine) == entries
