"""Business-time arithmetic for SLA clocks.

Two clocks: `calendar` (every minute counts; repairs) and `workday` (only minutes that fall on a
Chinese working day in Asia/Shanghai count; business processes). Working days come from
chinese-calendar, which knows official holidays and adjusted workdays (调休). For years it does not
cover yet, Monday–Friday is assumed and a warning is logged once per year (ADR 0003).

Paused intervals (suspension for customer-caused delays) never count, on either clock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_DAY = timedelta(days=1)
_log = logging.getLogger(__name__)
_warned_years: set[int] = set()
_FAR = datetime.max.replace(tzinfo=UTC)

Interval = tuple[datetime, datetime]


class ClockKind(StrEnum):
    CALENDAR = "calendar"
    WORKDAY = "workday"


@lru_cache(maxsize=8192)
def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            _log.warning("chinese-calendar has no data for %s; assuming Monday-Friday workdays", day.year)
        return day.weekday() < 5


def _utc(ts: datetime) -> datetime:
    if ts.tzinfo is UTC:
        return ts
    if ts.tzinfo is None:
        raise ValueError("clock arithmetic needs timezone-aware datetimes")
    return ts.astimezone(UTC)


@lru_cache(maxsize=8192)
def _day_start_utc(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), LOCAL_TZ).astimezone(UTC)


@lru_cache(maxsize=16384)
def _nth_workday_after(day: date, n: int) -> date:
    """The n-th working day strictly after `day` (n >= 1)."""
    while True:
        day += _DAY
        if is_workday(day):
            n -= 1
            if n == 0:
                return day


def _add_workday_minutes(start: datetime, amount: timedelta) -> datetime:
    """Fast path without pauses: every working day counts exactly 24 h (China has no DST)."""
    if amount <= timedelta(0):
        return start
    day = start.astimezone(LOCAL_TZ).date()
    if is_workday(day):
        today_left = _day_start_utc(day + _DAY) - start
        if amount <= today_left:
            return start + amount
        amount -= today_left
    full_days, rest = divmod(amount, _DAY)
    if rest == timedelta(0):
        # ends exactly at the close of a working day: the instant the day ends
        return _day_start_utc(_nth_workday_after(day, full_days)) + _DAY
    return _day_start_utc(_nth_workday_after(day, full_days + 1)) + rest


def _counting_segments(start: datetime, kind: ClockKind) -> Iterator[Interval]:
    """Yield consecutive UTC intervals from `start` on which the clock runs (before pauses)."""
    if kind == ClockKind.CALENDAR:
        yield start, _FAR
        return
    day = start.astimezone(LOCAL_TZ).date()
    seg_start = start
    while True:
        day_end = _day_start_utc(day + _DAY)
        if is_workday(day):
            yield seg_start, day_end
        day += _DAY
        seg_start = day_end


def _subtract_pauses(seg: Interval, pauses: Sequence[Interval]) -> list[Interval]:
    pieces = [seg]
    for p_start, p_end in pauses:
        next_pieces: list[Interval] = []
        for a, b in pieces:
            if p_end <= a or p_start >= b:
                next_pieces.append((a, b))
                continue
            if a < p_start:
                next_pieces.append((a, p_start))
            if p_end < b:
                next_pieces.append((p_end, b))
        pieces = next_pieces
    return pieces


def _normalise(pauses: Sequence[tuple[datetime, datetime | None]] | None) -> list[Interval]:
    if not pauses:
        return []
    return sorted((_utc(a), _utc(b) if b is not None else _FAR) for a, b in (pauses or ()))


def add_business_minutes(
    start: datetime,
    minutes: float,
    kind: ClockKind | str,
    pauses: Sequence[tuple[datetime, datetime | None]] | None = None,
) -> datetime | None:
    """The instant at which `minutes` of business time have run since `start`.

    None when an open-ended pause stops the clock before the time runs out.
    """
    kind = ClockKind(kind)  # before the fast path: an unknown kind must not pass for the workday clock
    start = _utc(start)
    norm = _normalise(pauses)
    if not norm:
        if kind == ClockKind.CALENDAR:
            return start + timedelta(minutes=minutes)
        return _add_workday_minutes(start, timedelta(minutes=minutes))
    # An open-ended pause (still suspended) stops the clock for good from its start.
    stop_at = min((a for a, b in norm if b == _FAR), default=_FAR)
    remaining = timedelta(minutes=minutes)
    for seg in _counting_segments(start, kind):
        if seg[0] >= stop_at:
            return None
        for a, b in _subtract_pauses(seg, norm):
            if b - a >= remaining:
                return a + remaining
            remaining -= b - a
    return None


def business_minutes_between(
    start: datetime,
    end: datetime,
    kind: ClockKind | str,
    pauses: Sequence[tuple[datetime, datetime | None]] | None = None,
) -> float:
    """Business minutes that ran between `start` and `end` (0 when end <= start)."""
    kind = ClockKind(kind)
    start, end = _utc(start), _utc(end)
    if end <= start:
        return 0.0
    norm = _normalise(pauses)
    total = timedelta()
    for seg in _counting_segments(start, kind):
        if seg[0] >= end:
            break
        clipped = (seg[0], min(seg[1], end))
        for a, b in _subtract_pauses(clipped, norm):
            total += b - a
    return total.total_seconds() / 60.0

