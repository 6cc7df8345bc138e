"""GET /api/v1/audit (search) and /api/v1/audit/export.csv — admins only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from gridvoice.api.deps import ActorDep, RuntimeDep
from gridvoice.api.fields import no_nul_field
from gridvoice.audit.schemas import AuditOut
from gridvoice.audit.service import AuditQuery, export_csv, search

router = APIRouter(tags=["audit"])
Short = Annotated[str | None, Query(max_length=80)]


def _query(actor: Short = None, action: Short = None, target_type: Short = None, target_id: Short = None,
           at_from: datetime | None = None, at_to: datetime | None = None,
           include_appeal_events: bool = True) -> AuditQuery:
    for field, value in (("actor", actor), ("action", action), ("target_type", target_type),
                         ("target_id", target_id)):
        no_nul_field(field, value)
    return AuditQuery(actor, action, target_type, target_id, at_from, at_to, include_appeal_events)


QueryDep = Annotated[AuditQuery, Depends(_query)]


@router.get("/audit", response_model=list[AuditOut])
def audit(query: QueryDep, actor: ActorDep, runtime: RuntimeDep,
          limit: Annotated[int, Query(ge=1, le=1000)] = 200,
          offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[AuditOut]:
    with runtime.sessions() as session:
        return search(session, actor, query, limit, offset)


@router.get("/audit/export.csv", response_class=StreamingResponse)
def audit_export(query: QueryDep, actor: ActorDep, runtime: RuntimeDep) -> StreamingResponse:
    with runtime.writes.begin() as session:  # the export is itself recorded
        body = "".join(export_csv(session, actor, query))
    return StreamingResponse(iter([body]), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="audit.csv"'})
