"""Regional risk (the planted risky region ranks first and red; ties, one region, no history, empty periods)
and factor analysis (shares, trends, staff and outlet attribution)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from gridvoice.analysis.common import Scope, unit_names
from gridvoice.analysis.factors import FactorQuery, factors
from gridvoice.analysis.risk import RiskQuery, period_index, period_start, risk
from gridvoice.errors import BadInput

from .conftest import LakeRows, background

FIRST = date(2026, 1, 1)
CUSTOMERS = {"C1": 5000, "C2": 5000, "C3": 5000, "S11": 5000, "S21": 2500, "S22": 2500, "S31": 5000}


def _risk(conn, config, first: date, last: date, **kw):
    history = FIRST
    return risk(conn, RiskQuery(first, last, **kw), Scope.whole(), config, unit_names(conn), history)


def _risky_lake() -> LakeRows:
    rows = LakeRows(customers=CUSTOMERS)
    background(rows, FIRST, 120)
    rng = np.random.default_rng(3)
    for offset in range(90, 120):  # the last month: C2 doubles, gets urgent, angry and threatening
        day = FIRST + timedelta(days=offset)
        for _ in range(int(rng.poisson(8))):
            rows.add(day, ta="T221", topic="OUTAGE", urgent=bool(rng.random() < 0.3), business_type="COMPLAINT",
                     content="又停电了，太差劲了，一拖再拖，再不解决就找媒体曝光")
    return rows


def test_the_planted_risky_region_ranks_first_and_red(open_lake, config):
    last = FIRST + timedelta(days=119)
    result = _risk(open_lake(_risky_lake()), config, FIRST + timedelta(days=59), last)
    latest = [r for r in result.rows if r.period == f"{last.year}-{last.month:02d}"]
    assert latest[0].unit == "C2"
    top = latest[0]
    assert top.rank == 1 and top.level == "red" and top.score >= config.risk.red
    assert top.reasons[0].startswith("综合风险") and len(top.reasons) >= 3
    assert all(r.level == "none" for r in latest[1:])
    assert sum(result.weights.values()) == pytest.approx(1.0)
    assert result.heat_basis == "per_10k_customers"
    # earlier months of the same region were calm
    assert all(r.level == "none" for r in result.rows if r.unit == "C2" and r.period != top.period)


def test_ties_share_a_rank_and_one_region_and_empty_periods_work(open_lake, config):
    rows = LakeRows(customers=CUSTOMERS)
    for offset in range(60):  # C1 and C3 identical, C2 silent
        for ta in ("T111", "T311"):
            rows.add(FIRST + timedelta(days=offset), ta=ta, topic="OUTAGE", count=2)
    result = _risk(open_lake(rows), config, FIRST + timedelta(days=31), FIRST + timedelta(days=59))
    february = [r for r in result.rows if r.period == "2026-02"]
    by_unit = {r.unit: r for r in february}
    assert by_unit["C1"].score == by_unit["C3"].score and by_unit["C1"].rank == by_unit["C3"].rank == 1
    assert by_unit["C2"].appeals == 0 and by_unit["C2"].rank == 3  # a region with no appeals is ranked too
    c1 = Scope(code="C1", level="county", path="/HZ/C1/", root=False)
    one = risk(open_lake(rows, "one"), RiskQuery(FIRST + timedelta(days=31), FIRST + timedelta(days=58)), c1,
               config, {}, FIRST)
    assert [(r.unit, r.score, r.rank, r.level) for r in one.rows] == [("C1", 0.0, 1, "none")]
    assert one.weights == {"heat": 0.25, "change": 0.25, "urgency": 0.25, "sentiment": 0.25}
    empty = _risk(open_lake(LakeRows(), "empty"), config, FIRST, FIRST + timedelta(days=20))
    assert all(r.appeals == 0 and r.score == 0 and r.level == "none" for r in empty.rows)


def test_a_region_without_history_gets_a_finite_change(open_lake, config):
    rows = LakeRows(customers=CUSTOMERS)
    background(rows, FIRST, 90, counties=("C1", "C2"))
    for offset in range(60, 90):
        rows.add(FIRST + timedelta(days=offset), ta="T311", topic="OUTAGE", count=3)
    result = _risk(open_lake(rows), config, FIRST + timedelta(days=59), FIRST + timedelta(days=89))
    newcomer = [r for r in result.rows if r.unit == "C3" and r.appeals > 0]
    assert newcomer and all(np.isfinite(r.change) and r.change > 0 for r in newcomer)


def test_weekly_periods_and_the_calendar():
    assert period_start(period_index(date(2026, 5, 14), "week"), "week") == date(2026, 5, 11)  # a Monday
    assert period_start(period_index(date(2026, 5, 14), "month"), "month") == date(2026, 5, 1)


def test_bad_dates_name_the_field(open_lake, config):
    with pytest.raises(BadInput) as exc:
        _risk(open_lake(LakeRows(), "empty"), config, date(2026, 5, 1), date(2026, 4, 1))
    assert exc.value.field == "to"


def test_factor_shares_sum_to_one_and_trends_are_found(open_lake, config):
    rows = LakeRows()
    for month in range(6):
        for i in range(40):
            day = date(2026, month + 1, 1 + i % 28)
            staff = i < 4 + 4 * month  # the STAFF share of C1 rises month after month
            rows.add(day, ta="T111", topic="STAFF_CONDUCT" if staff else "OUTAGE",
                     business_type="COMPLAINT" if staff else "REPAIR")
            rows.add(day, ta="T211", topic="OUTAGE" if i % 2 else "PAYMENT_TARIFF")
    result = factors(open_lake(rows), FactorQuery(date(2026, 1, 1), date(2026, 6, 30)), Scope.whole(), config,
                     {"C1": "东坪县"})
    totals: dict[tuple[str, str], float] = {}
    for share in result.shares:
        totals[(share.unit, share.month)] = totals.get((share.unit, share.month), 0.0) + share.share
    assert all(v == pytest.approx(1.0) for v in totals.values())
    assert ("*", "2026-01") in totals
    trend = {(t.unit, t.factor): t for t in result.trends}
    staff = trend[("C1", "STAFF")]
    assert staff.direction == "rising" and staff.slope_pp_per_month == pytest.approx(10.0, abs=0.5)
    assert trend[("C1", "POWER_QUALITY")].direction == "falling"
    assert trend[("C2", "STAFF")].direction in ("flat", "unknown")


def test_appeals_are_attributed_to_staff_outlets_and_handlers(open_lake, config):
    rows = LakeRows()
    day = date(2026, 3, 3)
    a = rows.add(day, ta="T111", topic="STAFF_CONDUCT", business_type="COMPLAINT", handler="handler_s11",
                 content="到东坪城区供电所营业厅办事，王师傅态度很差，工号：A1023")[0]
    b = rows.add(day, ta="T111", topic="STAFF_CONDUCT", business_type="COMPLAINT", handler="handler_s11",
                 verdict="dissatisfied", content="姓王的工作人员说话很冲，王师傅也不管")[0]
    c = rows.add(day, ta="T111", topic="OTHER", business_type="PRAISE", handler="handler_s11",
                 content="感谢李师傅冒雨抢修")[0]
    rows.add(day, ta="T211", topic="OUTAGE", handler=None, content="来修的师傅很快")  # no name: no attribution
    result = factors(open_lake(rows), FactorQuery(date(2026, 3, 1), date(2026, 3, 31)), Scope.whole(), config,
                     {"C1": "东坪县"})
    found = {(x.kind, x.name, x.unit): x for x in result.attributions}
    wang = found[("staff_name", "王师傅", "C1")]
    assert wang.appeals == 2 and wang.staff_topics == 2 and wang.complaints == 2 and wang.dissatisfied == 1
    assert wang.appeal_ids == [a, b]
    assert found[("staff_name", "王(姓)", "C1")].appeal_ids == [b]
    assert found[("staff_name", "李师傅", "C1")].praise == 1
    assert found[("staff_id", "A1023", "C1")].appeal_ids == [a]
    outlet = found[("outlet", "东坪城区供电所 (S11)", "C1")]
    assert outlet.appeal_ids == [a]
    assert found[("handler", "handler_s11", "C1")].appeal_ids == [a, b, c]
    assert not any(x.unit == "C2" and x.kind != "handler" for x in result.attributions)
