"""Reporting periods: the written forms people use, the canonical labels, Beijing-time bounds, period series."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridvoice.errors import BadInput
from gridvoice.satisfaction.periods import (
    KINDS,
    MONTHS_OF,
    parse_period,
    period_of,
    periods_between,
    trailing_months,
)

kinds = st.sampled_from(KINDS)


@st.composite
def periods(draw: st.DrawFn) -> object:
    kind = draw(kinds)
    return period_of(kind, draw(st.integers(2000, 2099)), draw(st.integers(1, 12 // MONTHS_OF[kind])))


@pytest.mark.parametrize(("text", "label"), [
    ("2026", "2026"), ("2026年", "2026"), ("2026-h1", "2026-H1"), ("2026年上半年", "2026-H1"), ("2026H2", "2026-H2"),
    ("2026-Q3", "2026-Q3"), ("2026q3", "2026-Q3"), ("2026 Q3", "2026-Q3"), ("2026年第三季度", "2026-Q3"),
    ("2026年第3季", "2026-Q3"), ("2026-07", "2026-07"), ("2026-7", "2026-07"), ("2026/07", "2026-07"),
    ("202607", "2026-07"), ("2026年7月", "2026-07"), ("２０２６－０７", "2026-07"),
])
def test_written_forms(text: str, label: str) -> None:
    assert parse_period(text).label == label


@pytest.mark.parametrize("text", ["", "Q3", "2026-Q5", "2026-13", "2026-00", "1999", "2026-H3", "next year", None])
def test_bad_periods_name_the_field(text: str | None) -> None:
    with pytest.raises(BadInput) as info:
        parse_period(text, "report.period")
    assert info.value.field == "report.period"


def test_bounds_are_beijing_midnights() -> None:
    q3 = parse_period("2026-Q3")
    assert (q3.start, q3.end) == (date(2026, 7, 1), date(2026, 10, 1))
    assert q3.start_utc == datetime(2026, 6, 30, 16, tzinfo=UTC)
    assert q3.end_utc - q3.start_utc == timedelta(days=92)


@given(periods())
def test_label_round_trips_and_bounds_follow_the_kind(period: object) -> None:
    assert parse_period(period.label) == period  # type: ignore[attr-defined]
    months = period.months()  # type: ignore[attr-defined]
    assert len(months) == MONTHS_OF[period.kind]  # type: ignore[attr-defined]
    assert months[0].start == period.start and months[-1].end == period.end  # type: ignore[attr-defined]


@given(st.dates(date(2001, 1, 1), date(2090, 12, 31)), st.integers(0, 900), kinds)
def test_series_cover_the_range_without_gaps(start: date, days: int, kind: str) -> None:
    end = start + timedelta(days=days)
    series = periods_between(start, end, kind)  # type: ignore[arg-type]
    if days == 0:
        assert series == []
        return
    assert series[0].start <= start < series[0].end and series[-1].start < end <= series[-1].end
    assert all(a.end == b.start for a, b in itertools.pairwise(series))
    assert all(p.kind == kind for p in series)


@given(periods(), periods())
def test_overlap_is_symmetric_and_matches_the_bounds(a: object, b: object) -> None:
    assert a.overlaps(b) == b.overlaps(a) == (a.start < b.end and b.start < a.end)  # type: ignore[attr-defined]


def test_trailing_months_and_long_ranges() -> None:
    assert [p.label for p in trailing_months(parse_period("2026-Q1"))][::11] == ["2025-04", "2026-03"]
    assert len(trailing_months(parse_period("2026"))) == 12
    with pytest.raises(BadInput):
        periods_between(date(2000, 1, 1), date(2099, 1, 1))
