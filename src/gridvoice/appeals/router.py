"""Appeals API under /api/v1 exactly as in interfaces.md (plus supervision and an SLA check)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from gridvoice.api.deps import ActorDep, AppealsDep
from gridvoice.appeals.schemas import (
    MAX_ID,
    AppealDetail,
    AppealFilters,
    AppealIn,
    AppealOut,
    AppealPage,
    EventIn,
    PersonalData,
    RevealIn,
    SlaCheckResult,
    SupervisionRow,
)
from gridvoice.appeals.service import COUNT_CAP
from gridvoice.auth.service import require
from gridvoice.domain.lifecycle import Status
from gridvoice.domain.roles import Permission
from gridvoice.domain.sla import Warning
from gridvoice.domain.taxonomy import BusinessType, Channel, Department, Topic

router = APIRouter(tags=["appeals"])
AppealId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/appeals", response_model=AppealOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": AppealOut, "description": "existing appeal (idempotent re-post or "
                                                                  "repeat call merged as an urge)"}})
async def create_appeal(body: AppealIn, service: AppealsDep, actor: ActorDep) -> Response:
    # the hot path: no worker thread per request (see AppealService.intake_async)
    result = await service.intake_async(body, actor)
    code = status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK
    # the model is built and validated by to_out already: serialise it once instead of re-validating it
    return Response(service.to_out(result.appeal, outcome=result.outcome).model_dump_json(), status_code=code,
                    media_type="application/json")


def _filters(
    status_: Annotated[Status | None, Query(alias="status")] = None,
    business_type: BusinessType | None = None,
    topic: Topic | None = None,
    org_unit: Annotated[str | None, Query(max_length=32)] = None,
    channel: Channel | None = None,
    warning: Warning | None = None,
    department: Department | None = None,
    urgent: bool | None = None,
    received_from: datetime | None = None,
    received_to: datetime | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> AppealFilters:
    return AppealFilters(status=status_, business_type=business_type, topic=topic, org_unit=org_unit,
                         channel=channel, warning=warning, department=department, urgent=urgent,
                         received_from=received_from, received_to=received_to, q=q)


@router.get("/appeals", response_model=AppealPage)
def list_appeals(
    service: AppealsDep,
    actor: ActorDep,
    filters: Annotated[AppealFilters, Depends(_filters)],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AppealPage:
    items, total = service.list(filters, actor, page, page_size)
    return AppealPage(items=items, total=total, total_capped=total >= COUNT_CAP, page=page, page_size=page_size)


@router.get("/appeals/{appeal_id}", response_model=AppealDetail)
def get_appeal(appeal_id: AppealId, service: AppealsDep, actor: ActorDep) -> AppealDetail:
    return service.get(appeal_id, actor)


@router.post("/appeals/{appeal_id}/events", response_model=AppealOut)
def post_event(appeal_id: AppealId, body: EventIn, service: AppealsDep, actor: ActorDep) -> Response:
    return Response(service.to_out(service.act(appeal_id, body, actor)).model_dump_json(),
                    media_type="application/json")


@router.post("/appeals/{appeal_id}/reveal", response_model=PersonalData)
def reveal(appeal_id: AppealId, body: RevealIn, service: AppealsDep, actor: ActorDep) -> PersonalData:
    """The unmasked name, phone, address and 户号 of one appeal, for a stated reason (audited)."""
    return service.reveal(appeal_id, actor, body.reason)


@router.get("/supervision", response_model=list[SupervisionRow])
def supervision(
    service: AppealsDep, actor: ActorDep,
    level: Annotated[str, Query(pattern="^(county|station|org_unit)$")] = "county",
) -> list[SupervisionRow]:
    return service.supervision(actor, level)


@router.post("/sla/check", response_model=SlaCheckResult)
def sla_check(service: AppealsDep, actor: ActorDep) -> SlaCheckResult:
    require(actor, Permission.SUPERVISE)
    return service.sla_check()
