"""Races and crashes: optimistic versions, idempotent intake, all-or-nothing writes (SQLite and PostgreSQL).

Most tests share one seeded store per module and backend (`module_runtime`); the first one uses the
function-scoped `runtime` fixture of tests/conftest.py. The transactions are slowed down from the inside (a short
sleep after the appeal is read) so that the racing threads really are in flight at the same time; without it the
second request could simply come after the first.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import DBAPIError

from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.appeals.schemas import AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.domain.roles import Role
from gridvoice.errors import Conflict
from gridvoice.runtime import Runtime

from .conftest import API, appeal_body, token

try:  # tests/conftest.py, whether tests/ is a package or only a folder on sys.path
    from tests.conftest import actor
except ImportError:
    from conftest import actor  # type: ignore[no-redef]

SLOW = 0.3


def run_together(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run fn(0..n-1) in n threads released at the same instant; exceptions are returned, not raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # collected for the assertions
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request hung"
    return results


def slow_down(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    original = getattr(AppealService, name)

    def slowed(self: AppealService, *args: Any, **kwargs: Any) -> Any:
        time.sleep(SLOW)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AppealService, name, slowed)


def count(runtime: Runtime, query: Any) -> int:
    with runtime.sessions() as session:
        return session.scalar(query) or 0


def new_appeal(service: AppealService, **overrides: Any) -> Appeal:
    return service.intake(AppealIn(**appeal_body(**overrides)), actor(Role.AGENT)).appeal


def dispatch_events(runtime: Runtime, appeal_id: int) -> int:
    return count(runtime, select(func.count()).select_from(AppealEvent).where(
        AppealEvent.appeal_id == appeal_id, AppealEvent.action == "dispatch"))


# ------------------------------------------------------------------------------------------------ same version

def test_concurrent_dispatch_with_the_same_version(runtime: Runtime, monkeypatch):
    check_one_wins(runtime, monkeypatch, "dispatch")


@pytest.mark.parametrize("action", ["dispatch", "urge"])  # urge is allowed twice: only the version stops it
def test_concurrent_actions_with_the_same_version(module_runtime: Runtime, monkeypatch, action):
    check_one_wins(module_runtime, monkeypatch, action)


def check_one_wins(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, action: str) -> None:
    service = AppealService(runtime)
    appeal = new_appeal(service)
    slow_down(monkeypatch, "_action_fields")  # inside the transaction, after the version check
    results = run_together(4, lambda i: service.act(appeal.id, EventIn(action=action, version=1),
                                                    actor(Role.DISPATCHER)))
    wins = [r for r in results if isinstance(r, Appeal)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(conflicts) == 3, results
    assert wins[0].version == 2
    with runtime.sessions() as session:
        stored = session.get(Appeal, appeal.id)
        assert stored.version == 2
        assert (stored.status, stored.urge_count) == (("dispatched", 0) if action == "dispatch" else ("accepted", 1))
        actions = list(session.scalars(select(AppealEvent.action).where(AppealEvent.appeal_id == appeal.id)
                                       .order_by(AppealEvent.seq)))
        assert actions == ["accept", action]  # exactly one event of the action


def test_concurrent_dispatch_through_two_clients(client, auth, module_runtime, monkeypatch):
    runtime, client_a = module_runtime, client
    client_b = TestClient(client_a.app)  # a second client on the same server
    headers = auth("dispatcher_city"), auth("duty_officer_city")
    created = client_a.post(f"{API}/appeals", json=appeal_body(), headers=auth("agent_city"))
    assert created.status_code == 201
    appeal_id = created.json()["id"]
    slow_down(monkeypatch, "_action_fields")
    clients = (client_a, client_b)
    responses = run_together(2, lambda i: clients[i].post(
        f"{API}/appeals/{appeal_id}/events", json={"action": "dispatch", "version": 1}, headers=headers[i]))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["current_version"] == 2
    assert dispatch_events(runtime, appeal_id) == 1
    events = client_a.get(f"{API}/appeals/{appeal_id}", headers=headers[0]).json()["events"]
    assert [e["action"] for e in events] == ["accept", "dispatch"]


def test_different_actions_racing_on_one_version(module_runtime: Runtime, monkeypatch):
    """An urge and a cancel from the same version: only one of them may land."""
    runtime = module_runtime
    service = AppealService(runtime)
    appeal = new_appeal(service)
    slow_down(monkeypatch, "_action_fields")
    events = [EventIn(action="urge", version=1), EventIn(action="cancel", version=1, note="客户撤诉")]
    results = run_together(2, lambda i: service.act(appeal.id, events[i], actor(Role.DUTY_OFFICER)))
    assert sum(isinstance(r, Appeal) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    with runtime.sessions() as session:
        assert session.get(Appeal, appeal.id).version == 2
        assert session.scalar(select(func.count()).select_from(AppealEvent)
                              .where(AppealEvent.appeal_id == appeal.id)) == 2


# ------------------------------------------------------------------------------------------------ idempotency

def test_concurrent_posts_of_one_external_id_make_one_appeal(module_runtime: Runtime, monkeypatch):
    runtime = module_runtime
    service = AppealService(runtime)
    ext = token()
    slow_down(monkeypatch, "prepare")  # after the look-up of the external id, before the insert
    results = run_together(4, lambda i: service.intake(
        AppealIn(**appeal_body(external_id=ext, content=f"停电 第{i}次推送")), actor(Role.AGENT)))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.appeal.id for r in results}) == 1
    assert sorted(r.outcome for r in results) == ["created", "existing", "existing", "existing"]
    assert count(runtime, select(func.count()).select_from(Appeal).where(Appeal.external_id == ext)) == 1
    assert count(runtime, select(func.count()).select_from(AppealEvent)
                 .where(AppealEvent.appeal_id == results[0].appeal.id)) == 1


# ------------------------------------------------------------------------------------------------ crashes

class Boom(RuntimeError):
    pass


# anywhere in the statement: on PostgreSQL the intake event is written by a CTE of the intake statement
_EVENT_WRITE = re.compile(r'(INSERT\s+INTO|COPY)\s+"?appeal_events"?', re.IGNORECASE)


@contextmanager
def event_writes_fail(message: str) -> Iterator[None]:
    """Every statement that writes appeal_events raises, whether it comes from the ORM or Core, on any engine."""
    def boom(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _EVENT_WRITE.search(statement):
            raise Boom(message)

    event.listen(Engine, "before_cursor_execute", boom)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", boom)


@pytest.fixture
def failing_event_insert() -> Iterator[None]:
    with event_writes_fail("disk full while writing the event"):
        yield


def totals(runtime: Runtime) -> tuple[int, int]:
    return (count(runtime, select(func.count()).select_from(Appeal)),
            count(runtime, select(func.count()).select_from(AppealEvent)))


def test_crash_while_writing_the_intake_event_leaves_nothing(module_runtime: Runtime, failing_event_insert):
    service = AppealService(module_runtime)
    before = totals(module_runtime)
    with pytest.raises(Boom):
        service.intake(AppealIn(**appeal_body(external_id=token())), actor(Role.AGENT))
    assert totals(module_runtime) == before


@contextmanager
def server_refuses_intake_events(runtime: Runtime) -> Iterator[None]:
    """The database itself refuses intake event rows, after the appeal row of the same write went in."""
    postgres = runtime.engine.dialect.name == "postgresql"
    add, drop = (
        ("ALTER TABLE appeal_events ADD CONSTRAINT refuse_intake CHECK (action <> 'accept') NOT VALID",
         "ALTER TABLE appeal_events DROP CONSTRAINT refuse_intake") if postgres else
        ("CREATE TRIGGER refuse_intake BEFORE INSERT ON appeal_events WHEN NEW.action = 'accept' "
         "BEGIN SELECT RAISE(ABORT, 'intake event refused'); END", "DROP TRIGGER refuse_intake"))
    with runtime.write_engine.begin() as conn:
        conn.exec_driver_sql(add)
    try:
        yield
    finally:
        with runtime.write_engine.begin() as conn:
            conn.exec_driver_sql(drop)


def test_database_refusing_the_intake_event_leaves_no_appeal(module_runtime: Runtime):
    service = AppealService(module_runtime)
    before = totals(module_runtime)
    with server_refuses_intake_events(module_runtime), pytest.raises(DBAPIError):
        service.intake(AppealIn(**appeal_body(external_id=token())), actor(Role.AGENT))
    assert totals(module_runtime) == before
    assert new_appeal(service).id  # and the store takes the next appeal normally


def test_crash_while_writing_an_action_event_changes_nothing(module_runtime: Runtime):
    runtime = module_runtime
    service = AppealService(runtime)
    appeal = new_appeal(service)

    with event_writes_fail("connection lost"), pytest.raises(Boom):
        service.act(appeal.id, EventIn(action="dispatch", version=1), actor(Role.DISPATCHER))
    with runtime.sessions() as session:
        stored = session.get(Appeal, appeal.id)
        assert (stored.status, stored.version, stored.clock) == ("accepted", 1, appeal.clock)
    assert dispatch_events(runtime, appeal.id) == 0
    # and the appeal still works afterwards
    assert service.act(appeal.id, EventIn(action="dispatch", version=1), actor(Role.DISPATCHER)).version == 2


def test_crash_during_intake_through_the_api_is_a_500_and_leaves_nothing(client, auth, module_runtime):
    # a failure inside the database itself: the API's intake path on PostgreSQL does not go through the
    # SQLAlchemy engine that `failing_event_insert` hooks
    headers = auth("agent_city")
    before = totals(module_runtime)
    with server_refuses_intake_events(module_runtime):
        r = client.post(f"{API}/appeals", json=appeal_body(), headers=headers)
    assert r.status_code == 500 and r.json()["detail"] == "internal error"
    assert "request_id" in r.json()
    assert totals(module_runtime) == before
