"""Query plans with a live store's statistics: a million appeals, almost all archived, a few thousand open.

SQLite's statistics (`sqlite_stat1`) say the status index matches half of the table per value; without the
`rare` hint the planner scanned another whole index for the duty screen (1.4 s at 1 M appeals). The statistics
below are those `ANALYZE` wrote on the benchmark's store; SQLite plans as if it had analysed that store.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, text

from conftest import actor  # tests/conftest.py
from gridvoice.appeals.duty import open_by_county_query, urgent_open_query
from gridvoice.appeals.models import Appeal
from gridvoice.appeals.schemas import AppealFilters
from gridvoice.appeals.service import AppealService
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime
from gridvoice.web.queries import queue_query

MILLION_STATS = {
    "ix_appeals_status_received": "911478 455739 1",
    "ix_appeals_county_received": "911478 182296 1",
    "ix_appeals_received_at": "911478 1",
    "ix_appeals_next_due_at": "911478 62",
    "ix_appeals_type_topic": "911478 113935 12660",
    "ix_appeals_department_status": "911478 227870 113935",
    "ix_appeals_warning_next_yellow": "911478 303826 62",
    "ix_appeals_warning_units_department": "911478 303826 60766 10128 2635",
    "ix_appeals_station_received": "911478 30383 1",
    "ix_appeals_org_unit_received": "911478 456 1",
}
OPEN_SET = ["accepted", "dispatched", "received", "arrived", "resolved", "reviewed", "called_back", "suspended"]


def with_million_stats(rt: Runtime) -> None:
    with rt.engine.begin() as conn:
        conn.execute(text("ANALYZE"))  # creates sqlite_stat1
        conn.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'appeals'"))
        for index, stat in MILLION_STATS.items():
            conn.execute(text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('appeals', :i, :s)"),
                         {"i": index, "s": stat})
        conn.execute(text("ANALYZE sqlite_schema"))  # reload the statistics


def plan(rt: Runtime, query: Select[Any]) -> str:
    with rt.engine.connect() as conn:
        compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        return " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))


def test_the_duty_screen_finds_open_appeals_through_the_status_index(sqlite_runtime: Runtime) -> None:
    with_million_stats(sqlite_runtime)
    service, city = AppealService(sqlite_runtime), actor(Role.DUTY_OFFICER)
    assert "ix_appeals_status_received (status=?)" in plan(sqlite_runtime, open_by_county_query(service, city))
    newest = urgent_open_query(service, city).order_by(Appeal.received_at.desc()).limit(50)
    assert "ix_appeals_status_received (status=?)" in plan(sqlite_runtime, newest)


def test_without_the_hint_the_same_count_reads_a_whole_index(sqlite_runtime: Runtime) -> None:
    """Why the hint is there: these statistics make SQLite prefer a full index scan that saves a sort."""
    with_million_stats(sqlite_runtime)
    service = AppealService(sqlite_runtime)
    bare = (service.filtered(AppealFilters(), actor(Role.DUTY_OFFICER)).where(Appeal.status.in_(OPEN_SET))
            .with_only_columns(Appeal.county, Appeal.business_type, Appeal.id).group_by(Appeal.county,
                                                                                       Appeal.business_type))
    assert "SCAN appeals" in plan(sqlite_runtime, bare)


def test_work_queues_use_the_status_index(sqlite_runtime: Runtime) -> None:
    with_million_stats(sqlite_runtime)
    service = AppealService(sqlite_runtime)
    for who in (actor(Role.DISPATCHER), actor(Role.COUNTY_MANAGER, "C1")):
        query = queue_query(service, who, ("resolved",)).order_by(Appeal.next_due_at).limit(10)
        assert "ix_appeals_status_received (status=?)" in plan(sqlite_runtime, query), who
