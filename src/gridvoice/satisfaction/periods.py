"""Reporting periods (统计期): a year, half-year, quarter or month of Beijing time, as people write them.

`parse_period` accepts ``2026``, ``2026-H1``, ``2026-Q3`` (also ``2026Q3``, ``2026q3``, ``2026年第3季度``),
``2026-07`` (also ``2026-7``, ``2026/07``, ``202607``, ``2026年7月``) and answers a `Period` whose label is the
canonical form (``2026``, ``2026-H1``, ``2026-Q3``, ``2026-07``). A period is the half-open interval
[start, end) of local dates; `start_utc`/`end_utc` are the instants the store filters on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Literal

from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.errors import BadInput

Kind = Literal["year", "half", "quarter", "month"]
KINDS: tuple[Kind, ...] = ("year", "half", "quarter", "month")
MONTHS_OF: dict[Kind, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_MONTHS = 240  # a trend longer than twenty years is a mistaken range, not a report

_YEAR = re.compile(r"^(\d{4})年?$")
_HALF = re.compile(r"^(\d{4})[-/ ]?H([12])$|^(\d{4})年?([上下])半年$")
_QUARTER = re.compile(r"^(\d{4})[-/ ]?Q([1-4])$|^(\d{4})年?第?([1-4一二三四])季度?$")
_MONTH = re.compile(r"^(\d{4})[-/.]?(\d{1,2})月?$|^(\d{4})年(\d{1,2})月$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # exclusive
    kind: Kind

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        return {"year": f"{y}", "half": f"{y}-H{(m - 1) // 6 + 1}", "quarter": f"{y}-Q{(m - 1) // 3 + 1}",
                "month": f"{y}-{m:02d}"}[self.kind]

    @property
    def start_utc(self) -> datetime:
        return _utc(self.start)

    @property
    def end_utc(self) -> datetime:
        return _utc(self.end)

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end

    def months(self) -> list[Period]:
        """The months of the period, in order."""
        return months_between(self.start, self.end)

    def __str__(self) -> str:
        return self.label


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ).astimezone(UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: Kind, year: int, number: int = 1) -> Period:
    """The `number`-th half, quarter or month of `year` (the year itself for kind 'year')."""
    if kind not in KINDS:
        raise BadInput("period", f"unknown kind {kind!r}; use one of {list(KINDS)}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadInput("period", f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    size = MONTHS_OF[kind]
    if not 1 <= number <= 12 // size:
        raise BadInput("period", f"there is no {kind} {number} in a year")
    start = date(year, (number - 1) * size + 1, 1)
    return Period(start, _add_months(start, size), kind)


def parse_period(text: object, field: str = "period") -> Period:
    """A period from its written form (see the module docstring); BadInput naming `field` otherwise."""
    raw = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip().upper()
    raw = raw.replace("－", "-").replace(" ", "") if raw else raw
    if not raw:
        raise BadInput(field, "a period is required (e.g. 2026, 2026-H1, 2026-Q3 or 2026-07)")
    try:
        return _parse(raw)
    except BadInput as exc:
        raise BadInput(field, f"{text!r}: {exc.reason}") from None


def _parse(raw: str) -> Period:
    if m := _YEAR.match(raw):
        return period_of("year", int(m.group(1)))
    if m := _HALF.match(raw):
        year, half = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), "1" if m.group(4) == "上" else "2")
        return period_of("half", int(year), int(half))
    if m := _QUARTER.match(raw):
        year, quarter = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return period_of("quarter", int(year), _CHINESE_DIGITS.get(quarter) or int(quarter))
    if m := _MONTH.match(raw):
        year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return period_of("month", int(year), int(month))
    raise BadInput("period", "not a period; write e.g. 2026, 2026-H1, 2026-Q3 or 2026-07")


def months_between(start: date, end: date) -> list[Period]:
    """Every month that overlaps the local dates [start, end)."""
    return periods_between(start, end, "month")


def periods_between(start: date, end: date, kind: Kind = "month") -> list[Period]:
    """Every period of `kind` that overlaps the local dates [start, end), in order."""
    if kind not in KINDS:
        raise BadInput("granularity", f"unknown period kind {kind!r}; use one of {list(KINDS)}")
    if end <= start:
        return []
    size = MONTHS_OF[kind]
    first = date(start.year, (start.month - 1) // size * size + 1, 1)
    months = (end.year - first.year) * 12 + end.month - first.month + (1 if end.day > 1 else 0)
    if months > MAX_MONTHS:
        raise BadInput("period", f"{months} months from {start} to {end}: at most {MAX_MONTHS} are shown")
    count = -(-months // size)
    return [Period(_add_months(first, i * size), _add_months(first, (i + 1) * size), kind) for i in range(count)]


def local_date(instant: datetime) -> date:
    return instant.astimezone(LOCAL_TZ).date()


def trailing_months(period: Period, count: int = 12) -> list[Period]:
    """The months of `period`, preceded by as many as make `count` in all (the trend around a period)."""
    return months_between(min(period.start, _add_months(period.end, -count)), period.end)
