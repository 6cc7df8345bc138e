"""Callback (回访) analytics: coverage, satisfaction rates, item scores and dissatisfaction reasons, overall and per
unit, station, department, topic, business type, handler or period — SQL aggregates over the operational store.

The scope is `AppealService.filtered` (the appeal list's filters, bounded by the actor's territory), so every
figure can be reproduced with the same filters in the appeal list. Periods are those of the appeals' receipt
(`received_from` / `received_to`, grouped by month or quarter of Beijing time): the figures of a period settle
as its appeals are called back. Definitions (ADR 0014):

- an appeal is *called back* when it has at least one `callback` event; it is *missed* when it waits in
  `resolved`/`reviewed` past its earliest open due time (the callback milestone, once the reply is done) without
  one, and *awaiting* before that; *due* = called back + missed; coverage (回访率) = called back / due;
- each callback is one verdict: satisfaction rate (满意率) = (satisfied + basically satisfied) / callbacks, the
  strict rate = satisfied / callbacks; item scores (1–10) are averaged over the callbacks that gave them;
- reasons: the text recorded with dissatisfied callbacks, grouped as recorded (whitespace normalised at entry);
- the handler of a callback is whoever resolved the appeal last before it; of an appeal, its last resolver;
- *rehandling*: open appeals whose last verdict is dissatisfied (reopened for handling and supervised).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, case, func, null, select
from sqlalchemy.orm import Session, aliased

from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.appeals.schemas import CALLBACK_ITEMS, AppealFilters, AppealOut
from gridvoice.appeals.service import AppealService
from gridvoice.appeals.statements import OPEN_STATUSES
from gridvoice.auth.service import Actor, require
from gridvoice.domain.roles import Permission
from gridvoice.domain.taxonomy import LABELS_ZH
from gridvoice.errors import BadInput
from gridvoice.satisfaction.periods import Kind, Period, local_date, periods_between
from gridvoice.satisfaction.schemas import (
    CallbackGroup,
    CallbackReport,
    CallbackStats,
    Granularity,
    GroupBy,
    ReasonCount,
)
from gridvoice.store.hints import rare

GROUPS: tuple[str, ...] = ("unit", "station", "department", "topic", "business_type", "handler", "period")
GRANULARITIES = ("month", "quarter", "half", "year")
FINISHED = ("resolved", "reviewed")  # statuses in which a callback is what remains to do
TOP_REASONS = 10
ITEM_LABELS_ZH = {"speed": "处理速度", "attitude": "服务态度", "result": "处理结果"}


def callback_report(service: AppealService, filters: AppealFilters, actor: Actor, by: GroupBy | None = None, *,
                    granularity: Granularity = "month", now: datetime | None = None,
                    top: int = TOP_REASONS) -> CallbackReport:
    """Callback figures of the appeals matching `filters` in the actor's territory, overall and per `by`."""
    require(actor, Permission.READ_SATISFACTION)
    if by is not None and by not in GROUPS:
        raise BadInput("by", f"unknown grouping {by!r}; use one of {list(GROUPS)}")
    if granularity not in GRANULARITIES:
        raise BadInput("granularity", f"unknown period length {granularity!r}; use one of {list(GRANULARITIES)}")
    if not 1 <= top <= 100:
        raise BadInput("top", "between 1 and 100 reasons")
    now = now or datetime.now(UTC)
    scope = service.filtered(filters, actor)
    with service.rt.sessions() as session:
        periods = _periods(session, scope, filters, granularity) if by == "period" else []
        s = _columns(scope)
        overall = _overall(session, s, now)
        groups = _by_key(session, s, _Key(by, s, periods), now) if by else {}
        reasons = _reasons(session, s, top)
    names = _names(service, by)
    rows = [CallbackGroup(key=key, name=names(key), **stats.model_dump()) for key, stats in groups.items()]
    rows.sort(key=lambda g: _order(by, g, periods))
    synthetic = bool(overall.appeals) and _any_synthetic(service, scope)
    return CallbackReport(by=by, granularity=granularity, as_of=now,
                          filters=filters.model_dump(mode="json", exclude_none=True), overall=overall,
                          groups=rows, reasons=reasons, synthetic=synthetic)


def rehandling(service: AppealService, filters: AppealFilters, actor: Actor, limit: int = 100) -> list[AppealOut]:
    """Open appeals reopened after a dissatisfied callback, earliest due first: the satisfaction supervision list."""
    require(actor, Permission.READ_SATISFACTION)
    query = service.filtered(filters, actor).where(Appeal.verdict == "dissatisfied",
                                                   rare(Appeal.status.in_(OPEN_STATUSES)))
    with service.rt.sessions() as session:
        rows = session.scalars(query.order_by(Appeal.next_due_at, Appeal.id).limit(limit))
        return [service.to_out(a) for a in rows]


# ------------------------------------------------------------------------------------------------ queries


def _columns(scope: Select[Any]) -> Subquery:
    return scope.with_only_columns(
        Appeal.id, Appeal.county, Appeal.station, Appeal.department, Appeal.topic, Appeal.business_type,
        Appeal.status, Appeal.next_due_at, Appeal.received_at, Appeal.verdict,
    ).order_by(None).subquery("scope")


class _Key:
    """The grouping column of appeals (`of_appeals`) and of their callbacks (`of_callbacks`)."""

    def __init__(self, by: str, s: Subquery, periods: Sequence[Period]) -> None:
        self.by, self.s, self.periods = by, s, periods

    def of_appeals(self) -> ColumnElement[Any]:
        if self.by == "handler":
            resolve = aliased(AppealEvent)
            return (select(resolve.actor).where(resolve.appeal_id == self.s.c.id, resolve.action == "resolve")
                    .order_by(resolve.seq.desc()).limit(1).scalar_subquery())
        return self._column()

    def of_callbacks(self, event: Any) -> ColumnElement[Any]:
        if self.by == "handler":
            resolve = aliased(AppealEvent)
            return (select(resolve.actor).where(resolve.appeal_id == event.appeal_id, resolve.action == "resolve",
                                                resolve.seq < event.seq)
                    .order_by(resolve.seq.desc()).limit(1).scalar_subquery())
        return self._column()

    def _column(self) -> ColumnElement[Any]:
        c = self.s.c
        if self.by == "period":
            if not self.periods:  # nothing in the scope
                return null()
            # a CASE on the periods' UTC bounds: the same on every backend, and Beijing time without time zone
            # functions of the database
            return case(*[(c.received_at < p.end_utc, p.label) for p in self.periods], else_=None)
        return {"unit": c.county, "station": c.station, "department": c.department, "topic": c.topic,
                "business_type": c.business_type}[self.by]


def _overall(session: Session, s: Subquery, now: datetime) -> CallbackStats:
    appeals = session.execute(select(*_appeal_measures(s, now)).select_from(s)).one()
    event = aliased(AppealEvent)
    callbacks = select(event.data.label("data")).join(s, event.appeal_id == s.c.id).where(
        event.action == "callback").subquery("callbacks")
    verdicts = session.execute(select(*_verdict_measures(callbacks))).one()
    return _combine(tuple(appeals), tuple(verdicts))


def _by_key(session: Session, s: Subquery, key: _Key, now: datetime) -> dict[str | None, CallbackStats]:
    """Per group: the key is computed in a subquery and grouped on outside, so PostgreSQL sees one expression
    (a CASE with bound parameters written twice is two expressions to it)."""
    keyed = select(*s.c, key.of_appeals().label("group_key")).subquery("keyed")
    appeals = {r[-1]: tuple(r[:-1]) for r in session.execute(
        select(*_appeal_measures(keyed, now), keyed.c.group_key).group_by(keyed.c.group_key))}
    event = aliased(AppealEvent)
    callbacks = select(event.data.label("data"), key.of_callbacks(event).label("group_key")).join(
        s, event.appeal_id == s.c.id).where(event.action == "callback").subquery("callbacks")
    verdicts = {r[-1]: tuple(r[:-1]) for r in session.execute(
        select(*_verdict_measures(callbacks), callbacks.c.group_key).group_by(callbacks.c.group_key))}
    keys = sorted(set(appeals) | set(verdicts), key=lambda v: (v is None, str(v)))
    return {k: _combine(appeals.get(k), verdicts.get(k)) for k in keys}


def _appeal_measures(s: Subquery, now: datetime) -> list[Any]:
    called = select(AppealEvent.id).where(AppealEvent.appeal_id == s.c.id,
                                          AppealEvent.action == "callback").exists()
    waiting = s.c.status.in_(FINISHED) & s.c.next_due_at.is_not(None) & ~called
    return [
        func.count(),
        func.sum(case((called, 1), else_=0)),
        func.sum(case((waiting & (s.c.next_due_at <= now), 1), else_=0)),
        func.sum(case((waiting & (s.c.next_due_at > now), 1), else_=0)),
        func.sum(case(((s.c.verdict == "dissatisfied") & s.c.status.in_(OPEN_STATUSES), 1), else_=0)),
    ]


def _verdict_measures(callbacks: Subquery) -> list[Any]:
    verdict = callbacks.c.data["verdict"].as_string()
    measures: list[Any] = [func.count()] + [func.sum(case((verdict == v, 1), else_=0)) for v in
                                            ("satisfied", "basically_satisfied", "dissatisfied")]
    for item in CALLBACK_ITEMS:
        score = callbacks.c.data[("scores", item)].as_float()
        measures += [func.avg(score), func.count(score)]
    return measures


def _combine(appeals: tuple[Any, ...] | None, verdicts: tuple[Any, ...] | None) -> CallbackStats:
    total, called, missed, awaiting, rehandle = (int(v or 0) for v in (appeals or (0,) * 5))
    callbacks, satisfied, basic, dissatisfied = (int(v or 0) for v in (verdicts or (0,) * 4)[:4])
    rest = (verdicts or ())[4:] or (None, 0) * len(CALLBACK_ITEMS)
    scores = {item: (float(rest[2 * i]) if rest[2 * i] is not None else None) for i, item in enumerate(CALLBACK_ITEMS)}
    scored = {item: int(rest[2 * i + 1] or 0) for i, item in enumerate(CALLBACK_ITEMS)}
    due = called + missed
    return CallbackStats(
        appeals=total, called_back=called, missed=missed, awaiting=awaiting, due=due,
        coverage=_share(called, due), callbacks=callbacks, satisfied=satisfied, basically_satisfied=basic,
        dissatisfied=dissatisfied, satisfaction_rate=_share(satisfied + basic, callbacks),
        strict_satisfaction_rate=_share(satisfied, callbacks), scores=scores, scored=scored, rehandling=rehandle)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _reasons(session: Session, s: Subquery, top: int) -> list[ReasonCount]:
    event = aliased(AppealEvent)
    texts = select(func.coalesce(event.data["reason"].as_string(), "").label("reason")).join(
        s, event.appeal_id == s.c.id).where(event.action == "callback",
                                            event.data["verdict"].as_string() == "dissatisfied").subquery("texts")
    total = session.scalar(select(func.count()).select_from(texts)) or 0
    count = func.count().label("n")
    rows = session.execute(select(texts.c.reason, count).group_by(texts.c.reason)
                           .order_by(count.desc(), texts.c.reason).limit(top))
    return [ReasonCount(reason=r.reason, count=r.n, share=r.n / total) for r in rows]


def _periods(session: Session, scope: Select[Any], filters: AppealFilters, granularity: Kind) -> list[Period]:
    low, high = filters.received_from, filters.received_to
    if low is None or high is None:
        first, last = session.execute(scope.with_only_columns(func.min(Appeal.received_at),
                                                              func.max(Appeal.received_at)).order_by(None)).one()
        if first is None:
            return []
        low = low or first
        high = high or last + timedelta(microseconds=1)
    return periods_between(local_date(low), local_date(high - timedelta(microseconds=1)) + timedelta(days=1),
                           granularity)


def _any_synthetic(service: AppealService, scope: Select[Any]) -> bool:
    with service.rt.sessions() as session:
        return session.scalar(scope.with_only_columns(Appeal.id).where(Appeal.synthetic.is_(True))
                              .order_by(None).limit(1)) is not None


# ------------------------------------------------------------------------------------------------ labels


def _names(service: AppealService, by: str | None) -> Callable[[str | None], str]:
    org = service.rt.org()

    def name(key: str | None) -> str:
        if key is None:
            return {"unit": "市本级", "station": "县本级", "handler": "未办结", "period": "期外"}.get(by or "", "—")
        if by in ("unit", "station"):
            unit = org.units.get(key)
            return unit.name if unit is not None else key
        if by in ("department", "topic", "business_type"):
            return LABELS_ZH.get(key, key)
        return key

    return name


def _order(by: str | None, group: CallbackGroup, periods: Sequence[Period]) -> tuple[Any, ...]:
    if by == "period":
        labels = [p.label for p in periods]
        return (labels.index(group.key) if group.key in labels else len(labels),)
    return (group.key is None, -group.due, -group.callbacks, group.key or "")


# ------------------------------------------------------------------------------------------------ tables


TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("key", "代码"), ("name", "名称"), ("appeals", "工单数"), ("due", "应回访"), ("called_back", "已回访"),
    ("missed", "超期未回访"), ("awaiting", "待回访"), ("coverage", "回访率"), ("callbacks", "回访次数"),
    ("satisfied", "满意"), ("basically_satisfied", "基本满意"), ("dissatisfied", "不满意"),
    ("satisfaction_rate", "满意率"), ("strict_satisfaction_rate", "十分满意率"),
    *((f"score_{item}", f"{label}评分") for item, label in ITEM_LABELS_ZH.items()),
    ("rehandling", "不满意重办中"),
)


def table_rows(report: CallbackReport) -> list[dict[str, Any]]:
    """One flat row per group (or the overall row when the report has no grouping), for CSV and XLSX."""
    groups: list[tuple[str | None, str, CallbackStats]] = [(g.key, g.name, g) for g in report.groups] or [
        (None, "合计", report.overall)]
    rows = []
    for key, name, stats in groups:
        values = stats.model_dump()
        row = {"key": key or "", "name": name}
        for column, _ in TABLE_COLUMNS[2:]:
            row[column] = (values["scores"][column.removeprefix("score_")] if column.startswith("score_")
                           else values[column])
        rows.append(row)
    return rows
