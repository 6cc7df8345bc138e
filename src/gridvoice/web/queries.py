"""Reads the console needs beyond AppealService's: work queues, a caller's history, an appeal's milestones.

Each starts from `AppealService.filtered`, so the permission check and the territory scope are the service's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from gridvoice.appeals.models import Appeal
from gridvoice.appeals.schemas import AppealFilters, AppealOut
from gridvoice.appeals.service import COUNT_CAP, AppealService
from gridvoice.auth.service import Actor
from gridvoice.domain import privacy
from gridvoice.domain.lifecycle import OPEN
from gridvoice.domain.sla import AreaClass, ClockState, MilestoneStatus, schedule
from gridvoice.org.models import Customer
from gridvoice.runtime import Runtime
from gridvoice.store.hints import rare

REPEAT_WINDOW = timedelta(days=30)
_OPEN = sorted(s.value for s in OPEN)


def count_capped(service: AppealService, query: Select[Any], cap: int = COUNT_CAP) -> int:
    capped = query.with_only_columns(Appeal.id).order_by(None).limit(cap).subquery()
    with service.rt.sessions() as session:
        return session.scalar(select(func.count()).select_from(capped)) or 0


@dataclass(frozen=True)
class Queue:
    items: list[AppealOut]
    total: int  # counted up to COUNT_CAP


def queue_query(service: AppealService, actor: Actor, statuses: Iterable[str], business_types: Iterable[str] = (),
                warnings: Iterable[str] = (), department: str | None = None) -> Select[Any]:
    query = service.filtered(AppealFilters(department=department), actor).where(rare(Appeal.status.in_(list(statuses))))
    if business_types := list(business_types):
        query = query.where(Appeal.business_type.in_(business_types))
    if warnings := list(warnings):
        query = query.where(Appeal.warning.in_(warnings))
    return query


def queue(service: AppealService, actor: Actor, statuses: Iterable[str], business_types: Iterable[str] = (),
          warnings: Iterable[str] = (), department: str | None = None, limit: int = 20) -> Queue:
    """Appeals waiting in these statuses (and types, warnings, department), the most urgent due first."""
    query = queue_query(service, actor, statuses, business_types, warnings, department)
    order = (Appeal.next_due_at.is_(None), Appeal.next_due_at, Appeal.received_at, Appeal.id)
    with service.rt.sessions() as session:
        items = [service.to_out(a) for a in session.scalars(query.order_by(*order).limit(limit))]
    return Queue(items, count_capped(service, query))


@dataclass(frozen=True)
class CustomerCard:
    """A customer as the agent sees them on intake: masked, as in lists (revealing is on the appeal page)."""

    customer_no: str
    name: str
    phone: str
    address: str
    transformer_area: str | None
    category: str
    important: bool
    sensitive: bool


@dataclass(frozen=True)
class CallerHistory:
    customer: CustomerCard | None
    open: list[AppealOut]
    recent: list[AppealOut]  # newest first
    recent_count: int  # appeals in REPEAT_WINDOW, counted up to COUNT_CAP

    @property
    def repeat_caller(self) -> bool:
        return bool(self.open) or self.recent_count >= 2


def _card(row: Any) -> CustomerCard:
    return CustomerCard(privacy.mask_customer_no(row.customer_no) or "", privacy.mask_name(row.name) or "",
                        privacy.mask_phone(row.phone) or "", privacy.mask_address(row.address) or "",
                        row.transformer_area, row.category, row.important, row.sensitive)


def _customer(runtime: Runtime, customer_no: str | None, phone: str | None) -> Any:
    with runtime.sessions() as session:
        for column, value in ((Customer.customer_no, customer_no), (Customer.phone, phone)):
            if value:
                row = session.scalar(select(Customer).where(column == value).limit(1))
                if row is not None:
                    return row
    return None


def caller_history(service: AppealService, actor: Actor, customer_no: str | None, phone: str | None,
                   now: datetime | None = None) -> CallerHistory:
    """The caller's customer record and their appeals (by 户号 or phone) within the actor's territory."""
    customer = _customer(service.rt, customer_no, phone)
    numbers = {customer_no or (customer.customer_no if customer else None)} - {None}
    phones = {phone or (customer.phone if customer else None)} - {None, ""}
    terms = [Appeal.customer_no.in_(numbers)] if numbers else []
    terms += [Appeal.phone.in_(phones)] if phones else []
    if not terms:
        return CallerHistory(None, [], [], 0)
    query = service.filtered(AppealFilters(), actor).where(or_(*terms))
    newest = (Appeal.received_at.desc(), Appeal.id.desc())
    since = (now or datetime.now(UTC)) - REPEAT_WINDOW
    with service.rt.sessions() as session:
        open_ = [service.to_out(a) for a in
                 session.scalars(query.where(Appeal.status.in_(_OPEN)).order_by(*newest).limit(20))]
        recent = [service.to_out(a) for a in session.scalars(query.order_by(*newest).limit(10))]
    count = count_capped(service, query.where(Appeal.received_at >= since))
    return CallerHistory(_card(customer) if customer else None, open_, recent, count)


def milestones(service: AppealService, appeal: AppealOut) -> list[MilestoneStatus]:
    """Start, due, yellow and done instants per milestone of an appeal the actor has just read."""
    with service.rt.sessions() as session:
        clock, area_class = session.execute(
            select(Appeal.clock, Appeal.area_class).where(Appeal.id == appeal.id)).one()
    policy = service.sla.policy_for(appeal.business_type.value, appeal.topic.value, appeal.channel.value)
    sched = schedule(service.sla, policy, AreaClass(area_class), appeal.channel.value, ClockState.from_json(clock))
    return list(sched.milestones)


def org_options(runtime: Runtime, scope: str | None, levels: Iterable[str] = ("city", "county", "station")
                ) -> dict[str, str]:
    """Org units of these levels in the territory, as select options: code → "name (code)"."""
    org = runtime.org()
    wanted = set(levels)
    return {code: f"{unit.name} ({code})" for code, unit in org.units.items()
            if unit.level in wanted and org.is_within(code, scope)}


def unit_path(runtime: Runtime, code: str) -> str:
    """"青禾市供电局 / 东坪县 / 东坪城区供电所" for an org unit."""
    org = runtime.org()
    unit = org.units.get(code)
    if unit is None:
        return code
    parts = [p for p in unit.path.split("/") if p]
    return " / ".join(org.units[p].name if p in org.units else p for p in parts)
