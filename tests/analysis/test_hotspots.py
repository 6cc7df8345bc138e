"""Hotspots: a planted surge is found on its day and not before; empty periods, one region, a region without
history; emerging terms; the chart statistics against the published worked example."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridvoice.analysis.common import Scope, unit_names
from gridvoice.analysis.config import AnalysisConfig
from gridvoice.analysis.hotspots import HotspotQuery, check_query, hotspots
from gridvoice.errors import BadInput

from .conftest import LakeRows, background

FIRST = date(2026, 3, 2)  # a Monday
SURGE = date(2026, 5, 13)


def _run(conn, config: AnalysisConfig, first: date, last: date, **kw) -> object:
    query = HotspotQuery(first=first, last=last, **{"limit": 10_000, **kw})
    return hotspots(conn, query, Scope.whole(), config.hotspots, unit_names(conn))


def test_a_planted_surge_is_found_on_its_day_and_not_before(open_lake, config):
    # a dozen series: at the default rate (0.2 false alarms a day over all of them) each chart would be allowed
    # a false alarm every 60 days; a stricter target keeps this check about the surge alone
    config = replace(config, hotspots=replace(config.hotspots, false_alarms_per_day=0.02))
    rows = LakeRows()
    background(rows, FIRST, 90)
    surge_ids = rows.add(SURGE, ta="T211", topic="OUTAGE", content="整个村停电了", count=25)
    conn = open_lake(rows)
    result = _run(conn, config, SURGE - timedelta(days=20), SURGE + timedelta(days=3))
    mine = [a for a in result.alerts if a.unit == "C2" and a.topic == "OUTAGE"]
    assert mine, result.alerts
    assert {a.period for a in mine} == {SURGE.isoformat()}, mine
    cusum = next(a for a in mine if a.method == "cusum")
    assert cusum.observed >= 25 and cusum.expected < 6 and cusum.statistic >= cusum.threshold
    assert set(surge_ids) <= set(cusum.appeal_ids) and cusum.appeals == cusum.observed
    # the unit's all-topic series alarms the same day
    assert any(a.unit == "C2" and a.topic == "*" and a.period == SURGE.isoformat() for a in result.alerts)
    # the day before: nothing for that series
    before = _run(conn, config, SURGE - timedelta(days=20), SURGE - timedelta(days=1))
    assert not [a for a in before.alerts if a.unit == "C2" and a.topic == "OUTAGE"]


def test_an_hourly_surge_is_found_in_its_hour(open_lake, config):
    config = replace(config, hotspots=replace(config.hotspots, false_alarms_per_day=0.02))
    rows = LakeRows()
    background(rows, FIRST, 80)
    rows.add(SURGE, hour=15, ta="T311", topic="FACILITY_SAFETY", content="电线断了冒火花", count=12)
    conn = open_lake(rows)
    result = _run(conn, config, SURGE - timedelta(days=2), SURGE, granularity="hour")
    mine = [a for a in result.alerts if a.unit == "C3" and a.topic == "FACILITY_SAFETY"]
    assert {a.period for a in mine} == {f"{SURGE.isoformat()} 15:00"}


def test_a_surge_on_top_of_a_running_alarm_is_reported_too(open_lake, config):
    rows = LakeRows()
    background(rows, FIRST, 80)
    for offset in range(4):  # a mild rise for four days: one alarm episode
        rows.add(SURGE - timedelta(days=4 - offset), ta="T311", topic="OUTAGE", count=6)
    rows.add(SURGE, ta="T311", topic="OUTAGE", count=40)
    result = _run(open_lake(rows), config, SURGE - timedelta(days=10), SURGE, terms=False)
    days = {a.period for a in result.alerts if a.unit == "C3" and a.topic == "OUTAGE" and a.method == "cusum"}
    assert SURGE.isoformat() in days and len(days) >= 2


def test_station_level_names_the_station(open_lake, config):
    rows = LakeRows()
    background(rows, FIRST, 80)
    rows.add(SURGE, ta="T221", topic="VOLTAGE", content="电压太低", count=15)
    result = _run(open_lake(rows), config, SURGE - timedelta(days=5), SURGE, level="station", terms=False)
    hits = [a for a in result.alerts if a.topic == "VOLTAGE"]
    assert hits and {a.unit for a in hits} == {"S22"} and hits[0].unit_name == "西岭镇供电所"


def test_empty_period_and_empty_lake_give_no_alerts(open_lake, config):
    rows = LakeRows()
    background(rows, FIRST, 30)
    later = _run(open_lake(rows), config, FIRST + timedelta(days=200), FIRST + timedelta(days=230))
    assert later.alerts == [] and later.terms == []
    empty = _run(open_lake(LakeRows(), "empty"), config, FIRST, FIRST + timedelta(days=10))
    assert empty.alerts == [] and empty.series == 0


def test_one_region_and_a_region_without_history(open_lake, config):
    rows = LakeRows()
    background(rows, FIRST, 60, counties=("C1",))
    # C3 appears for the first time with a burst: its baseline is the floor, not a division by zero
    rows.add(FIRST + timedelta(days=50), ta="T311", topic="OUTAGE", count=9)
    result = _run(open_lake(rows), config, FIRST + timedelta(days=40), FIRST + timedelta(days=59), terms=False)
    newcomer = [a for a in result.alerts if a.unit == "C3"]
    assert newcomer and all(a.period == (FIRST + timedelta(days=50)).isoformat() for a in newcomer)
    assert all(a.expected > 0 and math.isfinite(a.statistic) for a in result.alerts)


def test_an_emerging_term_is_found_with_its_appeals(open_lake, config):
    rows = LakeRows()
    background(rows, FIRST, 60)
    last = FIRST + timedelta(days=59)
    planted = []
    for offset in range(6):
        planted += rows.add(last - timedelta(days=offset), ta="T111", topic="REMOTE_CONTROL",
                            business_type="COMPLAINT", content="交了费智能电表还是跳闸断电", count=2)
    result = _run(open_lake(rows), config, last - timedelta(days=6), last)
    terms = {t.term: t for t in result.terms}
    assert any("智能电表" in term or "跳闸" in term for term in terms), terms.keys()
    top = result.terms[0]
    assert top.recent_appeals == 12 and top.baseline_appeals == 0 and top.q_value <= config.hotspots.term_fdr
    assert set(top.appeal_ids) == set(planted)
    assert "停电" not in terms  # steady background words do not rise


def test_bad_queries_name_the_field(config):
    with pytest.raises(BadInput) as exc:
        check_query(HotspotQuery(first=date(2026, 5, 2), last=date(2026, 5, 1)), config.hotspots)
    assert exc.value.field == "to"
    with pytest.raises(BadInput) as exc:
        check_query(HotspotQuery(first=date(2025, 1, 1), last=date(2026, 5, 1), granularity="hour"),
                    config.hotspots)
    assert exc.value.field == "to"


@pytest.mark.slow
def test_false_alarms_in_control_stay_near_the_target(open_lake, config):
    """Stationary Poisson data (weekly rhythm): alarms per day close to the configured rate."""
    rng = np.random.default_rng(11)
    rows = LakeRows()
    weekday = [1.1, 1.05, 1.0, 1.0, 1.05, 0.85, 0.8]
    rates = [0.1, 0.4, 1.0, 3.0, 8.0]
    topics = ("OUTAGE", "VOLTAGE", "METERING", "PAYMENT_TARIFF", "NEW_CONNECTION")
    for offset in range(220):
        day = FIRST + timedelta(days=offset)
        for ta in ("T111", "T211", "T221", "T311"):
            for topic, rate in zip(topics, rates, strict=True):
                n = int(rng.poisson(rate * weekday[day.weekday()]))
                if n:
                    rows.add(day, ta=ta, topic=topic, count=n)
    first, last = FIRST + timedelta(days=40), FIRST + timedelta(days=219)
    result = _run(open_lake(rows), config, first, last, terms=False)
    days = (last - first).days + 1
    expected = config.hotspots.false_alarms_per_day * days
    for method in ("cusum", "ewma"):
        n = sum(1 for a in result.alerts if a.method == method)
        assert 0.4 * expected <= n <= 2.0 * expected, (method, n, expected)


def _cusum_closed_form(x: np.ndarray, mu0: float, mu1: float) -> np.ndarray:
    c = np.cumsum(x * math.log(mu1 / mu0) - (mu1 - mu0))
    return c - np.minimum(0.0, np.minimum.accumulate(c))


def test_the_worked_example_of_methods_md():
    """μ0 = 5, μ1 = 8: k = 6.383; the series alarms on day 9 with S = 6.23 (h = 4, classic form)."""
    series = np.array([5, 4, 6, 5, 7, 3, 5, 9, 10, 12, 11], dtype=float)
    a = math.log(8 / 5)
    k = 3 / a
    assert k == pytest.approx(6.383, abs=1e-3)
    classic = _cusum_closed_form(series, 5.0, 8.0) / a
    first = int(np.argmax(classic >= 4)) + 1
    assert first == 9 and classic[8] == pytest.approx(6.23, abs=0.01)
    lam, limit = 0.2, 3.0
    z, alarm = 5.0, None
    for t, x in enumerate(series, start=1):
        z = lam * x + (1 - lam) * z
        ucl = 5 + limit * math.sqrt(5 * lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        if alarm is None and z >= ucl:
            alarm = t
    assert alarm == 10


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=60),
       st.floats(min_value=0.05, max_value=20))
def test_closed_form_cusum_is_the_recursion(counts, mu0):
    """S_t = C_t − min(0, min C) equals S_t = max(0, S_{t−1} + a·x_t − b): what the engines compute."""
    mu1 = mu0 + 1.5 * math.sqrt(mu0)
    x = np.array(counts, dtype=float)
    s, recursive = 0.0, []
    for value in x:
        s = max(0.0, s + value * math.log(mu1 / mu0) - (mu1 - mu0))
        recursive.append(s)
    assert np.allclose(_cusum_closed_form(x, mu0, mu1), recursive, atol=1e-9)
