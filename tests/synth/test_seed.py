"""The synthetic city: consistent histories produced by the real lifecycle, planted patterns, determinism."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import make_runtime  # tests/conftest.py
from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.domain.lifecycle import Status
from gridvoice.errors import BadInput
from gridvoice.org.models import Customer, OrgUnit
from gridvoice.synth.seed import seed

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


def _seed(url: str, home: Path) -> tuple[object, object]:
    rt = make_runtime(url, home)
    report = seed(rt, customers=3000, months=3, seed_value=7, appeals_per_month=500, now=NOW)
    return rt, report


def test_seeded_histories_are_consistent(backend_url: str, tmp_path: Path) -> None:
    rt, report = _seed(backend_url, tmp_path)
    with rt.sessions() as session:  # type: ignore[attr-defined]
        appeals = {a.id: a for a in session.scalars(select(Appeal))}
        events = session.scalars(select(AppealEvent).order_by(AppealEvent.appeal_id, AppealEvent.seq)).all()
        units = session.scalar(select(func.count()).select_from(OrgUnit))
        customers = session.scalars(select(Customer)).all()
    assert report.appeals == len(appeals) > 1000  # type: ignore[attr-defined]
    assert units > 100
    assert all(c.synthetic and c.phone.startswith("100") for c in customers)
    assert all(a.synthetic for a in appeals.values())
    by_appeal: dict[int, list[AppealEvent]] = {}
    for e in events:
        by_appeal.setdefault(e.appeal_id, []).append(e)
    assert by_appeal.keys() == appeals.keys()
    for appeal_id, timeline in by_appeal.items():
        appeal = appeals[appeal_id]
        assert timeline[0].action == "accept" and timeline[0].seq == 1
        assert [e.seq for e in timeline] == list(range(1, len(timeline) + 1))
        assert timeline[-1].seq == appeal.version
        for before, after in pairwise(timeline):
            assert after.status_before == before.status_after, (appeal_id, before.action, after.action)
            assert after.at >= before.at
        assert timeline[-1].status_after == appeal.status
        assert appeal.received_at <= timeline[0].at or timeline[0].at == appeal.received_at
    statuses = Counter(a.status for a in appeals.values())
    assert statuses[Status.ARCHIVED] > len(appeals) * 0.8  # history is mostly closed
    assert sum(statuses[s] for s in ("accepted", "dispatched", "received", "arrived")) > 0  # some still open
    actions = Counter(e.action for e in events)
    for action in ("dispatch", "receive", "arrive", "resolve", "review", "callback", "archive", "urge",
                   "suspend", "resume", "return"):
        assert actions[action] > 0, action
    assert any(a.overdue for a in appeals.values())
    assert any(a.rehandle_count for a in appeals.values())  # dissatisfied callbacks were handled again
    rt.dispose()  # type: ignore[attr-defined]


def test_planted_patterns_are_in_the_data(sqlite_url: str, tmp_path: Path) -> None:
    rt, _ = _seed(sqlite_url, tmp_path)
    manifest = json.loads((tmp_path / "synthetic-manifest.json").read_text("utf-8"))
    planted = manifest["planted"]
    assert manifest["synthetic"] is True
    with rt.sessions() as session:  # type: ignore[attr-defined]
        rows = session.execute(select(Appeal.transformer_area, Appeal.topic, Appeal.county, Appeal.station,
                                      Appeal.business_type, Appeal.customer_no, Appeal.overdue)).all()
    voltage_by_ta = Counter(r.transformer_area for r in rows if r.topic == "VOLTAGE")
    assert voltage_by_ta.most_common(1)[0][0] == planted["low_voltage_transformer_area"]
    conduct_by_station = Counter(r.station for r in rows if r.topic == "STAFF_CONDUCT")
    assert conduct_by_station.most_common(1)[0][0] == planted["attitude_station"]
    late = Counter(r.county for r in rows if r.business_type == "REPAIR" and r.overdue)
    repairs = Counter(r.county for r in rows if r.business_type == "REPAIR")
    rate = {c: late[c] / repairs[c] for c in repairs if c and repairs[c] >= 20}
    assert max(rate, key=rate.get) == planted["late_county"]  # type: ignore[arg-type]
    per_caller = Counter(r.customer_no for r in rows)
    assert all(per_caller[c] >= 6 for c in planted["repeat_callers"])
    rt.dispose()  # type: ignore[attr-defined]


def test_same_seed_same_data_and_no_reseeding(tmp_path: Path) -> None:
    a, _ = _seed(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "a")
    b, _ = _seed(f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "b")
    query = select(Appeal.content, Appeal.business_type, Appeal.status).order_by(Appeal.id).limit(200)
    with a.sessions() as sa, b.sessions() as sb:  # type: ignore[attr-defined]
        assert sa.execute(query).all() == sb.execute(query).all()
    with pytest.raises(BadInput, match="database"):
        seed(a, customers=3000, months=3, seed_value=7, now=NOW)  # type: ignore[arg-type]
    a.dispose()  # type: ignore[attr-defined]
    b.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gridvoice.db'}"
