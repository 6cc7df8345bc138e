"""API routes of the analysis package (under /api/v1): GET /analysis/… guarded by the `analyze` permission and
limited to the caller's territory; the lake is refreshed at most every `REFRESH_SECONDS` per process."""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from gridvoice.analysis.factors import FactorResult
from gridvoice.analysis.hotspots import HotspotResult
from gridvoice.analysis.repeats import RepeatResult
from gridvoice.analysis.risk import RiskResult
from gridvoice.analysis.sensitive import SensitiveProfile, SensitiveResult
from gridvoice.analysis.service import MAX_LIMIT, AnalysisService
from gridvoice.api.deps import ActorDep
from gridvoice.auth.service import require
from gridvoice.domain.roles import Permission
from gridvoice.domain.taxonomy import Topic

router = APIRouter(prefix="/analysis", tags=["analysis"])
REFRESH_SECONDS = 30.0

Level = Literal["county", "station", "transformer_area"]
From = Annotated[date | None, Query(alias="from", description="first local day (default: per analysis)")]
To = Annotated[date | None, Query(alias="to", description="last local day (default: today)")]
Org = Annotated[str | None, Query(max_length=32, description="only this org unit's subtree")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


class LakeState(BaseModel):
    exported: bool
    appeals: int
    watermark: str | None
    exported_at: str | None
    partitions: dict[str, int]


_SERVICE_LOCK = threading.Lock()


def service_for(state: Any) -> AnalysisService:
    """One service per app (its refresh clock and threshold cache are shared by the API's requests and the
    console's pages, so two refreshes of the lake never run at once)."""
    with _SERVICE_LOCK:
        service = getattr(state, "analysis", None)
        if service is None:
            service = AnalysisService(state.runtime, refresh_every=REFRESH_SECONDS)
            state.analysis = service
    return service


def get_service(request: Request) -> AnalysisService:
    return service_for(request.app.state)


ServiceDep = Annotated[AnalysisService, Depends(get_service)]


@router.get("/lake", response_model=LakeState)
def lake_state(service: ServiceDep, actor: ActorDep) -> dict[str, Any]:
    """What the lake holds and when it was last refreshed."""
    return service.lake_state(actor)


@router.post("/lake/refresh", response_model=LakeState)
def lake_refresh(service: ServiceDep, actor: ActorDep) -> dict[str, Any]:
    """Export what changed in the store since the last refresh."""
    require(actor, Permission.ANALYZE)
    service.refresh()
    return service.lake_state(actor)


@router.get("/hotspots", response_model=HotspotResult)
def hotspots(service: ServiceDep, actor: ActorDep, first: From = None, last: To = None, level: Level = "county",
             granularity: Literal["day", "hour"] = "day", topic: Topic | None = None, org: Org = None,
             limit: Limit = 200, terms: bool = True) -> HotspotResult:
    """Surges per unit and topic (Poisson CUSUM, EWMA) and emerging terms, each with its evidence."""
    return service.hotspots(actor, first, last, level, granularity, topic.value if topic else None, org, limit,
                            terms)


@router.get("/repeats", response_model=RepeatResult)
def repeats(service: ServiceDep, actor: ActorDep, first: From = None, last: To = None, level: Level = "county",
            topic: Topic | None = None, org: Org = None, limit: Limit = 200) -> RepeatResult:
    """Repeat appeals of the same 户号, phone or address on one topic."""
    return service.repeats(actor, first, last, level, topic.value if topic else None, org, limit)


@router.get("/sensitive", response_model=SensitiveResult)
def sensitive(service: ServiceDep, actor: ActorDep, last: To = None, level: Level = "county",
              min_score: Annotated[float | None, Query(ge=0, le=100)] = None, org: Org = None,
              limit: Limit = 200) -> SensitiveResult:
    """Sensitive customers with their score and reasons."""
    return service.sensitive(actor, last, level, min_score, org, limit)


@router.get("/sensitive/profile", response_model=SensitiveProfile)
def sensitive_profile(service: ServiceDep, actor: ActorDep,
                      customer_no: Annotated[str | None, Query(max_length=32)] = None,
                      phone: Annotated[str | None, Query(max_length=32)] = None) -> SensitiveProfile:
    """How sensitive a caller is (for intake): by 户号 and/or phone."""
    return service.sensitive_profile(actor, customer_no, phone)


@router.get("/risk", response_model=RiskResult)
def risk(service: ServiceDep, actor: ActorDep, first: From = None, last: To = None, level: Level = "county",
         period: Literal["month", "week"] | None = None, org: Org = None, limit: Limit = 1000) -> RiskResult:
    """Regional risk index with yellow / orange / red levels and their reasons."""
    return service.risk(actor, first, last, level, period, org, limit)


@router.get("/factors", response_model=FactorResult)
def factors(service: ServiceDep, actor: ActorDep, first: From = None, last: To = None, level: Level = "county",
            org: Org = None, limit: Limit = 500) -> FactorResult:
    """Share and trend by factor and topic; appeals attributed to staff and outlets."""
    return service.factors(actor, first, last, level, org, limit)
