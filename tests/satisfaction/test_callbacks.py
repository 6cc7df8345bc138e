"""Callbacks (回访): item scores and reason on the callback event (validated, 422 naming the field), a dissatisfied
verdict reopening the appeal, and the analytics (coverage, satisfaction rates, scores, reasons) per unit,
department, topic, handler and period, territory-scoped — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from gridvoice.appeals.schemas import AppealFilters, AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.errors import BadInput, Forbidden
from gridvoice.runtime import Runtime
from gridvoice.satisfaction.callbacks import callback_report, rehandling, table_rows
from gridvoice.satisfaction.periods import local_date

ADMIN = Actor("admin_city", Role.ADMIN)
NOW = datetime.now(UTC).replace(microsecond=0)
T0 = NOW - timedelta(days=20)  # resolutions happen here; callback limits are a day or a working day


def _appeal(svc: AppealService, area: str, received: datetime, business_type: str = "REPAIR",
            topic: str = "OUTAGE") -> int:
    data = AppealIn(channel="HOTLINE_95598", content="家里停电了", business_type=business_type, topic=topic,
                    urgent=False, transformer_area=area, received_at=received)
    return svc.intake(data, Actor("agent_city", Role.AGENT), now=received).appeal.id


def _act(svc: AppealService, appeal_id: int, action: str, at: datetime, who: Actor = ADMIN, **fields: Any) -> None:
    version = svc.get(appeal_id, ADMIN).version
    svc.act(appeal_id, EventIn(action=action, version=version, **fields), who, now=at)


def _resolve(svc: AppealService, appeal_id: int, at: datetime, who: Actor = ADMIN) -> None:
    for i, action in enumerate(("dispatch", "receive", "arrive")):
        _act(svc, appeal_id, action, at - timedelta(minutes=30 - i), ADMIN)
    _act(svc, appeal_id, "resolve", at, who, note="已恢复供电")


@pytest.fixture
def world(runtime: Runtime) -> dict[str, int]:
    """Six appeals: called back satisfied (C1), dissatisfied and reopened (C2), missed (C2), awaiting (C1), not
    resolved (C1), and a complaint called back basically satisfied (C1, an earlier month)."""
    svc = AppealService(runtime)
    handler = Actor("handler_c1", Role.HANDLER, "C1")
    ids = {name: _appeal(svc, area, T0 - timedelta(hours=2))
           for name, area in (("good", "T111"), ("bad", "T221"), ("missed", "T221"), ("awaiting", "T111"),
                              ("open", "T111"))}
    _resolve(svc, ids["good"], T0, handler)
    _act(svc, ids["good"], "callback", T0 + timedelta(hours=2), verdict="satisfied",
         scores={"speed": 9, "attitude": 10, "result": 8})
    _resolve(svc, ids["bad"], T0)
    _act(svc, ids["bad"], "callback", T0 + timedelta(hours=3), verdict="dissatisfied",
         scores={"speed": 2}, reason="  抢修 太慢 ")
    _resolve(svc, ids["missed"], T0)
    _resolve(svc, ids["awaiting"], NOW - timedelta(hours=1), handler)
    earlier = T0 - timedelta(days=40)
    ids["complaint"] = _appeal(svc, "T111", earlier, "COMPLAINT", "STAFF_CONDUCT")
    _act(svc, ids["complaint"], "dispatch", earlier + timedelta(minutes=5))
    _act(svc, ids["complaint"], "receive", earlier + timedelta(minutes=30), handler)
    _act(svc, ids["complaint"], "resolve", earlier + timedelta(hours=5), handler, note="已道歉")
    _act(svc, ids["complaint"], "callback", earlier + timedelta(hours=6), verdict="basically_satisfied",
         scores={"attitude": 6})
    return ids


def _report(runtime: Runtime, by: str | None = None, actor: Actor = ADMIN, **filters: Any) -> Any:
    return callback_report(AppealService(runtime), AppealFilters(**filters), actor, by, now=NOW)  # type: ignore[arg-type]


def test_callback_event_keeps_scores_and_a_normalised_reason(runtime: Runtime, world: dict[str, int]) -> None:
    events = AppealService(runtime).get(world["bad"], ADMIN).events
    callback = [e for e in events if e.action == "callback"][-1]
    assert callback.data == {"verdict": "dissatisfied", "scores": {"speed": 2}, "reason": "抢修 太慢"}


def test_dissatisfied_verdict_reopens_for_handling_and_lists_it_for_supervision(runtime: Runtime,
                                                                                world: dict[str, int]) -> None:
    svc = AppealService(runtime)
    appeal = svc.get(world["bad"], ADMIN)
    assert appeal.status == "dispatched" and appeal.rehandle_count == 1 and appeal.verdict == "dissatisfied"
    assert appeal.next_due_at is not None  # the handling clocks run again
    assert [a.id for a in rehandling(svc, AppealFilters(), ADMIN)] == [world["bad"]]
    assert rehandling(svc, AppealFilters(), Actor("county_manager_c1", Role.COUNTY_MANAGER, "C1")) == []


@pytest.mark.parametrize(("fields", "field"), [
    ({"scores": {"speed": 11}}, "speed"), ({"scores": {"speed": 0}}, "speed"),
    ({"scores": {"speed": 7.5}}, "speed"), ({"scores": {"speed": True}}, "speed"),
    ({"scores": {"courtesy": 5}}, "courtesy"), ({"reason": "x" * 501}, "reason"),
])
def test_bad_scores_and_reasons_are_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        EventIn(action="callback", version=1, verdict="satisfied", **fields)
    assert field in str(info.value)


def test_scores_belong_to_callbacks_only(runtime: Runtime, world: dict[str, int]) -> None:
    svc = AppealService(runtime)
    version = svc.get(world["open"], ADMIN).version
    with pytest.raises(BadInput) as info:
        svc.act(world["open"], EventIn(action="dispatch", version=version, scores={"speed": 5}), ADMIN)
    assert info.value.field == "scores"
    with pytest.raises(BadInput) as info:
        svc.act(world["open"], EventIn(action="dispatch", version=version, reason="很好"), ADMIN)
    assert info.value.field == "reason"


def test_overall_figures(runtime: Runtime, world: dict[str, int]) -> None:
    o = _report(runtime).overall
    assert (o.appeals, o.called_back, o.missed, o.awaiting, o.due) == (6, 3, 1, 1, 4)
    assert o.coverage == pytest.approx(3 / 4)
    assert (o.callbacks, o.satisfied, o.basically_satisfied, o.dissatisfied) == (3, 1, 1, 1)
    assert o.satisfaction_rate == pytest.approx(2 / 3) and o.strict_satisfaction_rate == pytest.approx(1 / 3)
    assert o.scores == {"speed": pytest.approx(5.5), "attitude": pytest.approx(8.0), "result": pytest.approx(8.0)}
    assert o.scored == {"speed": 2, "attitude": 2, "result": 1}
    assert o.rehandling == 1


def test_reasons_of_dissatisfied_callbacks(runtime: Runtime, world: dict[str, int]) -> None:
    reasons = _report(runtime).reasons
    assert [(r.reason, r.count, r.share) for r in reasons] == [("抢修 太慢", 1, 1.0)]


def test_per_unit_and_territory(runtime: Runtime, world: dict[str, int]) -> None:
    groups = {g.key: g for g in _report(runtime, "unit").groups}
    assert set(groups) == {"C1", "C2"}
    c1, c2 = groups["C1"], groups["C2"]
    assert c1.name == "东坪县" and (c1.appeals, c1.called_back, c1.due, c1.coverage) == (4, 2, 2, 1.0)
    assert (c2.appeals, c2.called_back, c2.missed, c2.coverage, c2.rehandling) == (2, 1, 1, 0.5, 1)
    assert c2.satisfaction_rate == 0.0 and c1.satisfaction_rate == 1.0
    scoped = _report(runtime, "unit", Actor("county_manager_c1", Role.COUNTY_MANAGER, "C1"))
    assert [g.key for g in scoped.groups] == ["C1"] and scoped.overall.appeals == 4
    assert scoped.reasons == []  # the dissatisfied callback lies in C2


def test_per_handler_topic_and_department(runtime: Runtime, world: dict[str, int]) -> None:
    handlers = {g.key: g for g in _report(runtime, "handler").groups}
    assert handlers["handler_c1"].callbacks == 2 and handlers["handler_c1"].awaiting == 1
    assert handlers["admin_city"].callbacks == 1 and handlers["admin_city"].missed == 1
    assert handlers[None].appeals == 1 and handlers[None].name == "未办结"  # never resolved
    topics = {g.key: g for g in _report(runtime, "topic").groups}
    assert topics["STAFF_CONDUCT"].basically_satisfied == 1 and topics["STAFF_CONDUCT"].name == "员工服务态度与行为"
    assert topics["OUTAGE"].callbacks == 2
    departments = _report(runtime, "department").groups
    assert sum(g.appeals for g in departments) == 6


def test_per_period_in_beijing_months(runtime: Runtime, world: dict[str, int]) -> None:
    report = _report(runtime, "period")
    labels = [g.key for g in report.groups]
    early = local_date(T0 - timedelta(days=40, hours=0))
    late = local_date(T0 - timedelta(hours=2))
    assert labels[0] == f"{early.year}-{early.month:02d}" and labels[-1] == f"{late.year}-{late.month:02d}"
    assert sum(g.appeals for g in report.groups) == 6
    assert report.groups[0].basically_satisfied == 1
    quarters = callback_report(AppealService(runtime), AppealFilters(), ADMIN, "period", granularity="quarter",
                               now=NOW)
    assert all("-Q" in g.key for g in quarters.groups if g.key)


def test_filters_narrow_the_scope(runtime: Runtime, world: dict[str, int]) -> None:
    o = _report(runtime, received_from=T0 - timedelta(days=1)).overall
    assert o.appeals == 5 and o.basically_satisfied == 0
    assert _report(runtime, org_unit="S22").overall.appeals == 2  # T221 lies under S22


def test_empty_scope_and_bad_grouping(runtime: Runtime) -> None:
    empty = _report(runtime, "period")
    assert empty.overall.appeals == 0 and empty.overall.coverage is None and empty.groups == []
    with pytest.raises(BadInput):
        _report(runtime, "weekday")
    with pytest.raises(Forbidden):
        _report(runtime, actor=Actor("agent_city", Role.AGENT))


def test_table_rows_flatten_the_groups(runtime: Runtime, world: dict[str, int]) -> None:
    rows = table_rows(_report(runtime, "unit"))
    assert [r["key"] for r in rows] == ["C2", "C1"] or [r["key"] for r in rows] == ["C1", "C2"]
    assert {"score_speed", "coverage", "rehandling"} <= set(rows[0])
    assert table_rows(_report(runtime))[0]["name"] == "合计"
