"""Recording and searching the audit trail (admins only; see Permission.READ_AUDIT)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, cast, literal, select, union_all
from sqlalchemy.orm import Session

from gridvoice.appeals.models import AppealEvent
from gridvoice.audit.models import AuditEntry
from gridvoice.audit.schemas import AuditOut
from gridvoice.auth.service import Actor, require
from gridvoice.domain.roles import Permission
from gridvoice.ops.spreadsheet import csv_safe

EXPORT_HEADERS_ZH = ["时间(UTC)", "操作人", "角色", "操作", "对象类型", "对象", "原因", "详情"]


def record(session: Session, actor: Actor, action: str, target_type: str, target_id: object, reason: str = "",
           details: dict[str, Any] | None = None, at: datetime | None = None) -> None:
    """Append one entry inside the caller's transaction: it lands with the change it describes, or neither."""
    session.add(AuditEntry(at=at or datetime.now(UTC), actor=actor.username, role=actor.role.value,
                           action=action, target_type=target_type, target_id=str(target_id), reason=reason,
                           details=details or {}))


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    at_from: datetime | None = None
    at_to: datetime | None = None
    include_appeal_events: bool = True


def _union(query: AuditQuery) -> Any:
    entries = select(AuditEntry.at, AuditEntry.actor, AuditEntry.role, AuditEntry.action,
                     AuditEntry.target_type, AuditEntry.target_id, AuditEntry.reason, AuditEntry.details)
    filters = [(query.actor, "actor"), (query.action, "action"), (query.target_type, "target_type"),
               (query.target_id, "target_id")]
    for value, name in filters:
        if value is not None:
            entries = entries.where(getattr(AuditEntry, name) == value)
    if query.at_from is not None:
        entries = entries.where(AuditEntry.at >= query.at_from)
    if query.at_to is not None:
        entries = entries.where(AuditEntry.at < query.at_to)
    if not query.include_appeal_events or query.target_type not in (None, "appeal"):
        return entries.subquery()
    # the appeal timeline is the audit trail of appeals: read it, do not copy it
    events = select(AppealEvent.at, AppealEvent.actor, literal("").label("role"),
                    ("appeal." + AppealEvent.action).label("action"), literal("appeal").label("target_type"),
                    cast(AppealEvent.appeal_id, String).label("target_id"), AppealEvent.note.label("reason"),
                    AppealEvent.data.label("details"))
    if query.actor is not None:
        events = events.where(AppealEvent.actor == query.actor)
    if query.action is not None:
        events = events.where(("appeal." + AppealEvent.action) == query.action)
    if query.target_id is not None:
        events = events.where(cast(AppealEvent.appeal_id, String) == query.target_id)
    if query.at_from is not None:
        events = events.where(AppealEvent.at >= query.at_from)
    if query.at_to is not None:
        events = events.where(AppealEvent.at < query.at_to)
    return union_all(entries, events).subquery()


def search(session: Session, actor: Actor, query: AuditQuery, limit: int = 200, offset: int = 0) -> list[AuditOut]:
    require(actor, Permission.READ_AUDIT)
    trail = _union(query)
    rows = session.execute(select(trail).order_by(trail.c.at.desc()).limit(limit).offset(offset))
    return [AuditOut.model_validate(row, from_attributes=True) for row in rows]


def export_csv(session: Session, actor: Actor, query: AuditQuery, limit: int = 100_000) -> Iterator[str]:
    """The filtered trail as CSV (UTF-8 with BOM, Chinese headers); the export itself is audited."""
    require(actor, Permission.READ_AUDIT)
    rows = search(session, actor, query, limit=limit)
    record(session, actor, "audit.export", "audit", "-", details={"rows": len(rows), "filters": _filters(query)})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(EXPORT_HEADERS_ZH)
    for row in rows:
        writer.writerow([row.at.isoformat(), row.actor, row.role, row.action, row.target_type, row.target_id,
                         csv_safe(row.reason), csv_safe(json.dumps(row.details or {}, ensure_ascii=False))])
    yield buffer.getvalue()


def _filters(query: AuditQuery) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in query.__dict__.items() if v is not None}
