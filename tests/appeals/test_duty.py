"""总值长: open repairs by county, urgent open appeals, surges against the previous week; scoped and indexed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import actor  # tests/conftest.py
from gridvoice.appeals import duty
from gridvoice.appeals.duty import duty_overview
from gridvoice.appeals.schemas import AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.domain.roles import Role
from gridvoice.errors import Forbidden
from gridvoice.runtime import Runtime

NOW = datetime.now(UTC).replace(microsecond=0)


def _appeal(svc: AppealService, ta: str, minutes_ago: float, business_type: str = "INQUIRY",
            urgent: bool = False) -> int:
    topic = "OUTAGE" if business_type == "REPAIR" else "PAYMENT_TARIFF"
    result = svc.intake(AppealIn(channel="APP", content="诉求", transformer_area=ta, business_type=business_type,
                                 topic=topic, urgent=urgent, received_at=NOW - timedelta(minutes=minutes_ago)),
                        actor(Role.AGENT), NOW)
    return result.appeal.id


def _cancel(svc: AppealService, appeal_id: int) -> None:
    svc.act(appeal_id, EventIn(action="cancel", version=1, note="客户撤回"), actor(Role.ADMIN))


def test_surge_needs_three_times_the_week_and_five_appeals(runtime: Runtime) -> None:
    svc = AppealService(runtime)
    for i in range(6):  # C1 (T111): six in the last two hours, one in the same hours a day ago
        _appeal(svc, "T111", 10 + i)
    _appeal(svc, "T111", 24 * 60 + 30)
    _appeal(svc, "T111", 24 * 60 + 150)  # outside yesterday's window: not in the baseline
    for day in range(1, 8):  # C2 (T221): five now, against two a day in the same hours all week
        _appeal(svc, "T221", day * 24 * 60 + 20)
        _appeal(svc, "T221", day * 24 * 60 + 100)
    for i in range(5):
        _appeal(svc, "T221", 5 + i)
    overview = duty_overview(svc, actor(Role.DUTY_OFFICER), NOW)
    by_county = {c.county: c for c in overview.counties}
    assert (by_county["C1"].recent, by_county["C1"].baseline) == (6, pytest.approx(1 / 7))
    assert by_county["C1"].surge and by_county["C1"].name == "东坪县"
    assert (by_county["C2"].recent, by_county["C2"].baseline) == (5, 2.0) and not by_county["C2"].surge
    assert [c.county for c in overview.surges] == ["C1"]
    assert overview.counties[0].county == "C1"  # surges first


def test_few_appeals_are_no_surge_even_from_nothing(runtime: Runtime) -> None:
    svc = AppealService(runtime)
    for i in range(4):
        _appeal(svc, "T111", 5 + i)
    overview = duty_overview(runtime, actor(Role.DISPATCHER), NOW)  # a runtime works as the source too
    c1 = next(c for c in overview.counties if c.county == "C1")
    assert (c1.recent, c1.baseline, c1.ratio, c1.surge) == (4, 0.0, None, False)
    c2 = next(c for c in overview.counties if c.county == "C2")
    assert (c2.recent, c2.surge) == (0, False)  # every county of the territory is listed


def test_open_repairs_and_urgent_open_appeals(runtime: Runtime) -> None:
    svc = AppealService(runtime)
    _appeal(svc, "T111", 30, "REPAIR")
    _appeal(svc, "T211", 30, "REPAIR")
    _appeal(svc, "T221", 40, "REPAIR")
    _cancel(svc, _appeal(svc, "T221", 50, "REPAIR"))  # closed: not counted
    _appeal(svc, "T111", 30)  # not a repair
    urgent_old = _appeal(svc, "T111", 90, "REPAIR", urgent=True)
    urgent_new = _appeal(svc, "T221", 5, urgent=True)
    _cancel(svc, _appeal(svc, "T221", 3, urgent=True))
    overview = duty_overview(svc, actor(Role.CITY_SUPERVISOR), NOW)
    assert [(c.county, c.name, c.count) for c in overview.open_repairs] == [("C1", "东坪县", 2), ("C2", "西岭县", 2)]
    assert overview.open_repairs_total == 4
    assert [a.id for a in overview.urgent_open] == [urgent_new, urgent_old]  # newest first
    assert overview.urgent_open_total == 2


def test_scoped_to_the_territory_and_refused_without_the_permission(runtime: Runtime) -> None:
    svc = AppealService(runtime)
    _appeal(svc, "T111", 30, "REPAIR", urgent=True)
    _appeal(svc, "T221", 30, "REPAIR", urgent=True)
    county = duty_overview(svc, actor(Role.DISPATCHER, "C1"), NOW)
    assert [c.county for c in county.open_repairs] == ["C1"]
    assert [c.county for c in county.counties] == ["C1"]
    assert county.urgent_open_total == 1
    station = duty_overview(svc, actor(Role.DUTY_OFFICER, "S22"), NOW)  # a station's user: its county
    assert [c.county for c in station.counties] == ["C2"] and station.urgent_open_total == 1
    for role in (Role.AGENT, Role.HANDLER, Role.COUNTY_MANAGER, Role.ANALYST):
        with pytest.raises(Forbidden):
            duty_overview(svc, actor(role), NOW)


def test_queries_walk_indexes_not_the_table(sqlite_runtime: Runtime) -> None:
    """Each query of the screen searches an index on SQLite (no scan of the appeals table or a whole index)."""
    svc = AppealService(sqlite_runtime)
    city, county = actor(Role.DUTY_OFFICER), actor(Role.DUTY_OFFICER, "C1")
    queries = [duty.open_by_county_query(svc, who) for who in (city, county)]
    queries += [duty.urgent_open_query(svc, who) for who in (city, county)]
    queries += [duty.window_query(svc, who, start, end) for who in (city, county) for start, end in duty.windows(NOW)]
    with sqlite_runtime.engine.connect() as conn:
        for query in queries:
            compiled = query.compile(sqlite_runtime.engine, compile_kwargs={"literal_binds": True})
            plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
            scans = [step for step in plan if "appeals" in step and not step.startswith("SEARCH")]
            assert not scans, (str(compiled), plan)
