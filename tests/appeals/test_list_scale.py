"""List totals are exact up to the cap and flagged beyond it; territory filters by level; root = everything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import actor  # tests/conftest.py
from gridvoice.appeals import service as service_module
from gridvoice.appeals.schemas import AppealFilters, AppealIn
from gridvoice.appeals.service import AppealService
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime


def _fill(rt: Runtime, n: int) -> AppealService:
    svc = AppealService(rt)
    start = datetime.now(UTC) - timedelta(days=2)
    for i in range(n):
        ta = ("T111", "T221", "T211")[i % 3]
        svc.intake(AppealIn(channel="APP", content=f"第{i}号诉求", transformer_area=ta, business_type="INQUIRY",
                            topic="PAYMENT_TARIFF", urgent=False, received_at=start + timedelta(minutes=i)),
                   actor(Role.AGENT))
    return svc


def test_totals_are_capped_and_flagged(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = _fill(runtime, 12)
    admin = actor(Role.ADMIN)
    items, total = svc.list(AppealFilters(), admin, 1, 5)
    assert (len(items), total) == (5, 12)
    monkeypatch.setattr(service_module, "COUNT_CAP", 10)
    items, total = svc.list(AppealFilters(), admin, 2, 5)
    assert (len(items), total) == (5, 10)  # the page is still served; the total stops at the cap
    newest = [a.received_at for a in svc.list(AppealFilters(), admin, 1, 12)[0]]
    assert newest == sorted(newest, reverse=True)


def test_territory_filters_by_level(runtime: Runtime) -> None:
    svc = _fill(runtime, 9)
    admin = actor(Role.ADMIN)

    def count(org_unit: str | None, who=admin) -> int:  # type: ignore[no-untyped-def]
        return svc.list(AppealFilters(org_unit=org_unit), who, 1, 50)[1]

    assert count(None) == count("HZ") == 9  # the root is everything
    assert count("C1") == count("S11") == count("T111") == 3
    assert count("C2") == 6 and count("S21") == count("T211") == 3 and count("S22") == count("T221") == 3
    assert count(None, actor(Role.DISPATCHER, "C1")) == 3  # a county user sees the county only
    assert count("C2", actor(Role.DISPATCHER, "C1")) == 0
