"""The chief duty officer's screen (总值长): open repairs by county, urgent open appeals, and surges.

A surge is a county whose appeals of the last two hours reach `SURGE_FACTOR` times the average of the same
hours on the previous `BASELINE_DAYS` days, and at least `SURGE_MIN` appeals. Every query is a range or an
equality on an indexed column (status, received_at, county) within the actor's territory, so the screen stays
fast with a million appeals: the open set is small, and each two-hour window is a short index range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, or_
from sqlalchemy.orm import Session

from gridvoice.appeals.models import Appeal
from gridvoice.appeals.schemas import FUTURE_TOLERANCE, AppealFilters, AppealOut
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor, require
from gridvoice.domain.lifecycle import OPEN
from gridvoice.domain.roles import Permission
from gridvoice.domain.taxonomy import BusinessType
from gridvoice.runtime import Runtime
from gridvoice.store.hints import rare

WINDOW = timedelta(hours=2)
BASELINE_DAYS = 7
SURGE_FACTOR = 3.0
SURGE_MIN = 5
URGENT_LIMIT = 50
_OPEN = sorted(s.value for s in OPEN)


@dataclass(frozen=True)
class CountyCount:
    county: str | None  # None: appeals registered at the city itself
    name: str
    count: int


@dataclass(frozen=True)
class CountySurge:
    county: str | None
    name: str
    recent: int  # appeals received in the last WINDOW
    baseline: float  # average of the same hours over the previous BASELINE_DAYS days

    @property
    def ratio(self) -> float | None:
        return self.recent / self.baseline if self.baseline else None

    @property
    def surge(self) -> bool:
        return self.recent >= SURGE_MIN and self.recent >= SURGE_FACTOR * self.baseline


@dataclass(frozen=True)
class DutyOverview:
    generated_at: datetime
    open_repairs: list[CountyCount]  # most first
    urgent_open: list[AppealOut]  # newest first, at most URGENT_LIMIT
    urgent_open_total: int
    counties: list[CountySurge]  # surges first, then by recent volume

    @property
    def open_repairs_total(self) -> int:
        return sum(c.count for c in self.open_repairs)

    @property
    def surges(self) -> list[CountySurge]:
        return [c for c in self.counties if c.surge]


def _service(source: AppealService | Runtime) -> AppealService:
    return source if isinstance(source, AppealService) else AppealService(source)


def open_by_county_query(service: AppealService, actor: Actor) -> Select[Any]:
    """Open appeals per county and business type, and how many of them are urgent. Only the status (and the
    territory) narrows it: the open set is small, whereas a business type such as REPAIR, or the urgent flag,
    matches a share of every appeal ever received."""
    base = service.filtered(AppealFilters(), actor).where(rare(Appeal.status.in_(_OPEN)))
    urgent = func.sum(case((Appeal.urgent.is_(True), 1), else_=0))
    return (base.with_only_columns(Appeal.county, Appeal.business_type, func.count(), urgent)
            .group_by(Appeal.county, Appeal.business_type))


def urgent_open_query(service: AppealService, actor: Actor) -> Select[Any]:
    return service.filtered(AppealFilters(urgent=True), actor).where(rare(Appeal.status.in_(_OPEN)))


def windows(now: datetime) -> list[tuple[datetime, datetime]]:
    """The last WINDOW (up to the clock skew a channel's post may have), then the same hours on each of the
    previous BASELINE_DAYS days."""
    return [(now - WINDOW, now + FUTURE_TOLERANCE)] + [(now - timedelta(days=k) - WINDOW, now - timedelta(days=k))
                                                        for k in range(1, BASELINE_DAYS + 1)]


def window_query(service: AppealService, actor: Actor, start: datetime, end: datetime) -> Select[Any]:
    """Appeals per county received in one window: a short range of the received_at index (or of the
    (county, received_at) index for a county's user)."""
    base = service.filtered(AppealFilters(received_from=start, received_to=end), actor)
    return base.with_only_columns(Appeal.county, func.count()).group_by(Appeal.county)


def windows_query(service: AppealService, actor: Actor, spans: list[tuple[datetime, datetime]]) -> Select[Any]:
    """Appeals per county and window in one round trip (PostgreSQL reads the ranges as one bitmap of index
    ranges; SQLite would scan a whole index for the OR, so it runs `window_query` per window instead)."""
    in_span = [and_(Appeal.received_at >= start, Appeal.received_at < end) for start, end in spans]
    window = case(*[(cond, i) for i, cond in enumerate(in_span)])
    base = service.filtered(AppealFilters(), actor).where(or_(*in_span))
    return base.with_only_columns(Appeal.county, window, func.count()).group_by(Appeal.county, window)


def duty_overview(source: AppealService | Runtime, actor: Actor, now: datetime | None = None) -> DutyOverview:
    require(actor, Permission.DUTY_VIEW)
    service = _service(source)
    now = now or datetime.now(UTC)
    names = _county_names(service, actor)
    with service.rt.sessions() as session:
        summary = session.execute(open_by_county_query(service, actor)).all()
        urgent_total = sum(int(n_urgent or 0) for *_, n_urgent in summary)
        newest = (Appeal.received_at.desc(), Appeal.id.desc())
        urgent = session.scalars(urgent_open_query(service, actor).order_by(*newest).limit(URGENT_LIMIT)).all() \
            if urgent_total else []
        urgent_out = [service.to_out(a) for a in urgent]
        per_window = _window_counts(session, service, actor, windows(now))
    repairs = {county: n for county, business_type, n, _ in summary if business_type == BusinessType.REPAIR.value}
    return DutyOverview(now, _repair_counts(repairs, names), urgent_out, urgent_total, _surges(per_window, names))


def _window_counts(session: Session, service: AppealService, actor: Actor,
                   spans: list[tuple[datetime, datetime]]) -> list[dict[str | None, int]]:
    if session.get_bind().dialect.name != "postgresql":  # in-process: no round trips to save
        return [dict(session.execute(window_query(service, actor, start, end)).all()) for start, end in spans]
    counts: list[dict[str | None, int]] = [{} for _ in spans]
    for county, window, n in session.execute(windows_query(service, actor, spans)):
        counts[window][county] = n
    return counts


def _county_names(service: AppealService, actor: Actor) -> dict[str | None, str]:
    org = service.rt.org()
    names: dict[str | None, str] = {
        code: unit.name for code, unit in org.units.items()
        if unit.level == "county" and org.is_within(code, actor.org_code)}
    if actor.org_code is not None and actor.org_code in org:
        county = org.territory(actor.org_code).county
        if county is not None:  # a station's or transformer area's user: their own county
            names.setdefault(county, org.units[county].name)
    return names


def _name(names: dict[str | None, str], county: str | None) -> str:
    return names.get(county) or (county or "市本级")


def _repair_counts(counts: dict[str | None, int], names: dict[str | None, str]) -> list[CountyCount]:
    rows = [CountyCount(c, _name(names, c), n) for c, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.count, r.name))


def _surges(windows: list[dict[str | None, int]], names: dict[str | None, str]) -> list[CountySurge]:
    recent, previous = windows[0], windows[1:]
    counties = set(names) | set(recent) | {c for w in previous for c in w}
    rows = [CountySurge(c, _name(names, c), recent.get(c, 0),
                        sum(w.get(c, 0) for w in previous) / BASELINE_DAYS) for c in counties]
    return sorted(rows, key=lambda r: (not r.surge, -r.recent, r.name))
