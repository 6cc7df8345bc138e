"""API routes of the satisfaction package (under /api/v1): callback figures, surveys (upload = import), the CSI
model of a stored survey, model fits, AHP and entropy weights, and the unit report (HTML or PDF).

Guarded by Permission.READ_SATISFACTION, and MANAGE_SURVEYS for imports; bad input answers 422 naming the field.
Blocking work (the store, the model, the PDF) runs in FastAPI's worker threads (plain `def` routes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from gridvoice.api.deps import ActorDep, AppealsDep
from gridvoice.appeals.schemas import AppealFilters, AppealOut
from gridvoice.domain.taxonomy import BusinessType, Channel, Department, Topic
from gridvoice.errors import BadInput
from gridvoice.satisfaction.periods import parse_period
from gridvoice.satisfaction.report import Format, build_report, file_name, render
from gridvoice.satisfaction.schemas import (
    AhpIn,
    CallbackReport,
    CsiResult,
    EntropyIn,
    FitIn,
    Granularity,
    GroupBy,
    ImportResult,
    SurveyManifest,
    WeightsOut,
)
from gridvoice.satisfaction.service import SatisfactionService
from gridvoice.satisfaction.surveys import ImportRequest

router = APIRouter(tags=["satisfaction"])
MAX_UPLOAD = 50 << 20  # bytes of one survey file
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


async def get_service(request: Request, appeals: AppealsDep) -> SatisfactionService:
    return SatisfactionService(request.app.state.runtime, appeals)


ServiceDep = Annotated[SatisfactionService, Depends(get_service)]


def _filters(
    org_unit: Annotated[str | None, Query(max_length=32)] = None,
    business_type: BusinessType | None = None,
    topic: Topic | None = None,
    department: Department | None = None,
    channel: Channel | None = None,
    received_from: datetime | None = None,
    received_to: datetime | None = None,
    period: Annotated[str | None, Query(max_length=20, description="2026, 2026-H1, 2026-Q3 or 2026-07 "
                                                                   "(instead of received_from/to)")] = None,
) -> AppealFilters:
    if period is not None:
        if received_from is not None or received_to is not None:
            raise BadInput("period", "give a period or received_from/received_to, not both")
        span = parse_period(period)
        received_from, received_to = span.start_utc, span.end_utc
    return AppealFilters(org_unit=org_unit, business_type=business_type, topic=topic, department=department,
                         channel=channel, received_from=received_from, received_to=received_to)


FiltersDep = Annotated[AppealFilters, Depends(_filters)]


@router.get("/satisfaction/callbacks", response_model=CallbackReport)
def callbacks(service: ServiceDep, actor: ActorDep, filters: FiltersDep, by: GroupBy | None = None,
              granularity: Granularity = "month", top: Annotated[int, Query(ge=1, le=100)] = 10) -> CallbackReport:
    """Callback coverage, satisfaction rates, item scores and top dissatisfaction reasons (overall and per `by`)."""
    return service.callbacks(filters, actor, by, granularity, top)


@router.get("/satisfaction/callbacks/rehandling", response_model=list[AppealOut])
def rehandling(service: ServiceDep, actor: ActorDep, filters: FiltersDep,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[AppealOut]:
    """Open appeals reopened after a dissatisfied callback (under re-handling and supervision), earliest due first."""
    return service.rehandling(filters, actor, limit)


@router.post("/satisfaction/fit")
def fit(body: FitIn, service: ServiceDep, actor: ActorDep) -> dict[str, Any]:
    """The CSI model (PLS-SEM) of posted rows and spec, or of a stored survey: the keys of `satisfaction fit`."""
    return service.fit(actor, body)


@router.post("/satisfaction/ahp")
def ahp(body: AhpIn, service: ServiceDep, actor: ActorDep) -> dict[str, Any]:
    """AHP weights with λmax, CI and CR (as `satisfaction ahp`)."""
    return service.ahp(actor, body)


@router.post("/satisfaction/entropy", response_model=WeightsOut)
def entropy(body: EntropyIn, service: ServiceDep, actor: ActorDep) -> WeightsOut:
    """Entropy weights of indicators (as `satisfaction entropy`)."""
    return service.entropy(actor, body)


@router.get("/satisfaction/surveys", response_model=list[SurveyManifest])
def surveys(service: ServiceDep, actor: ActorDep) -> list[SurveyManifest]:
    return service.surveys(actor)


class UploadForm(BaseModel):
    """The form fields of a survey upload besides the file."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    survey_id: Annotated[str, StringConstraints(max_length=64)] | None = None
    title: Annotated[str, StringConstraints(max_length=200)] | None = None
    mode: Literal["rows", "atomic"] = "rows"
    dry_run: bool = False
    period: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        default=None, description="for rows without a period")


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "answers (.csv or .xlsx) to the default instrument"},
                   **UploadForm.model_json_schema()["properties"]}}}}}}


@router.post("/satisfaction/surveys", response_model=ImportResult, status_code=status.HTTP_201_CREATED,
             openapi_extra=UPLOAD_BODY,
             responses={200: {"model": ImportResult, "description": "a dry run: checked, nothing stored"}})
async def import_survey(request: Request, service: ServiceDep, actor: ActorDep, response: Response) -> ImportResult:
    """Upload a survey file: every row is checked; rejected rows are listed with row, column and reason.

    The form is read here, after the caller is known: FastAPI would parse it before authenticating, answering a
    malformed upload of an anonymous caller with 400 instead of 401."""
    upload, form = await _read_upload(request)
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise BadInput("file", f"larger than {MAX_UPLOAD >> 20} MiB")
    job = ImportRequest(data, upload.filename or "upload.csv", survey_id=form.survey_id or None, title=form.title,
                        mode=form.mode, dry_run=form.dry_run, period=form.period or None)
    result = await run_in_threadpool(service.import_survey, actor, job)
    if not result.stored and not form.dry_run:
        shown = "; ".join(f"row {p.row} {p.field}: {p.reason}" for p in result.problems[:5])
        atomic = " (atomic mode)" if form.mode == "atomic" and result.counts.accepted else ""
        raise BadInput("file", f"nothing stored: {result.counts.rejected} of {result.counts.read} rows rejected"
                               f"{atomic}: {shown}")
    if form.dry_run:
        response.status_code = status.HTTP_200_OK
    return result


async def _read_upload(request: Request) -> tuple[UploadFile, UploadForm]:
    try:
        form = await request.form(max_files=1, max_fields=20)
    except (HTTPException, MultiPartException) as exc:
        raise BadInput("file", f"not a readable multipart/form-data upload: {getattr(exc, 'detail', exc)}") from exc
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise BadInput("file", "send the answers as the form field 'file' (multipart/form-data)")
    fields = {k: v for k, v in form.items() if isinstance(v, str) and v != ""}
    return upload, UploadForm.model_validate(fields)


@router.get("/satisfaction/surveys/{survey_id}/csi", response_model=CsiResult)
def survey_csi(
    survey_id: str, service: ServiceDep, actor: ActorDep,
    by: Annotated[str | None, Query(pattern="^(unit|segment|channel|period)$")] = "unit",
    unit: Annotated[str | None, Query(max_length=32)] = None,
    period: Annotated[str | None, Query(max_length=20)] = None,
    resamples: Annotated[int, Query(ge=0, le=5000, description="bootstrap intervals of the overall index")] = 0,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    include_straight_lining: bool = False,
) -> CsiResult:
    """The CSI per construct (0–100), R², reliability and the IPMA per group of the survey's answers."""
    return service.csi(actor, survey_id, by, unit, period, resamples, seed,
                       include_straight_lining=include_straight_lining)


@router.get("/satisfaction/report", response_class=Response,
            responses={200: {"content": {"text/html": {}, "application/pdf": {}}}})
def report(
    service: ServiceDep, actor: ActorDep,
    unit: Annotated[str, Query(max_length=32)],
    period: Annotated[str, Query(max_length=20)],
    format: Annotated[str, Query(pattern="^(html|pdf)$")] = "html",
    survey_id: Annotated[str | None, Query(max_length=64)] = None,
    resamples: Annotated[int, Query(ge=0, le=5000)] = 1000,
) -> Response:
    """The satisfaction report of a unit and period, as HTML or PDF."""
    fmt: Format = "pdf" if format == "pdf" else "html"
    data = build_report(service, actor, unit, period, survey_id, resamples)
    return Response(render(data, fmt), media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'inline; filename="{file_name(data, fmt)}"'})
