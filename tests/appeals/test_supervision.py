"""督办: the SLA job turns warnings yellow and red; the board counts them per unit and department."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import actor  # tests/conftest.py
from gridvoice.appeals.schemas import AppealFilters, AppealIn
from gridvoice.appeals.service import AppealService
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime


def _repair(svc: AppealService, ta: str, minutes_ago: float, now: datetime) -> int:
    """A repair registered `minutes_ago`; arrival is due 45/90/120 min after it (urban/rural/remote)."""
    result = svc.intake(AppealIn(channel="HOTLINE_95598", content="停电报修", transformer_area=ta,
                                 business_type="REPAIR", topic="OUTAGE", urgent=False,
                                 received_at=now - timedelta(minutes=minutes_ago)), actor(Role.AGENT), now)
    return result.appeal.id


def test_sla_check_and_supervision_board(runtime: Runtime) -> None:
    svc = AppealService(runtime)
    now = datetime.now(UTC)  # one instant for intake and the check: the outcome must not depend on load
    # T111 urban (dispatch due 5 min, arrival 45), T221 rural (arrival 90), T211 remote (arrival 120)
    fresh = _repair(svc, "T111", 0.5, now)             # nothing due yet
    yellow = _repair(svc, "T221", 4.5, now)            # 4.5 of 5 dispatch minutes gone: yellow
    red_urban = _repair(svc, "T111", 60, now)          # dispatch and arrival overdue
    red_remote = _repair(svc, "T211", 30, now)         # dispatch overdue
    result = svc.sla_check(now)
    assert (result.open_yellow, result.open_red) == (1, 2)
    admin = actor(Role.ADMIN)
    warnings = {a.id: a.warning for a in svc.list(AppealFilters(), admin, 1, 50)[0]}
    assert warnings == {fresh: "none", yellow: "yellow", red_urban: "red", red_remote: "red"}

    board = {(r.unit, r.department): (r.yellow, r.red) for r in svc.supervision(admin, "county")}
    assert board == {("C1", "OPERATIONS"): (0, 1), ("C2", "OPERATIONS"): (1, 1)}
    board = {(r.unit, r.department): (r.yellow, r.red) for r in svc.supervision(admin, "station")}
    assert board == {("S11", "OPERATIONS"): (0, 1), ("S21", "OPERATIONS"): (0, 1), ("S22", "OPERATIONS"): (1, 0)}
    board = {r.unit: (r.yellow, r.red) for r in svc.supervision(admin, "org_unit")}
    assert board == {"T111": (0, 1), "T211": (0, 1), "T221": (1, 0)}
    # the worst first; a county manager sees only the county
    assert svc.supervision(admin, "county")[0].unit == "C2"
    assert [(r.unit, r.red) for r in svc.supervision(actor(Role.COUNTY_MANAGER, "C1"), "county")] == [("C1", 1)]

    queue = [a.id for a in svc.overdue_queue(admin)]
    assert queue[:2] == [red_urban, red_remote] and queue[2] == yellow and fresh not in queue
