"""/api/v1/rules/{kind}: the SLA policies or responsibility matrix in force, their versions, and edits."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from gridvoice.api.deps import ActorDep, AppealsDep, RuntimeDep
from gridvoice.rulesets.admin import RuleSetAdmin

router = APIRouter(tags=["rules"])
Kind = Literal["sla", "responsibility"]


class RuleTextOut(BaseModel):
    kind: str
    version: str
    text: str
    source: str
    created_by: str | None
    created_at: datetime | None
    note: str


class RuleEdit(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=200_000)]
    note: Annotated[str, Field(max_length=2000)] = ""


class RuleChangeOut(BaseModel):
    kind: str
    version: str
    recomputed: int


async def _admin(runtime: RuntimeDep, appeals: AppealsDep) -> RuleSetAdmin:
    return RuleSetAdmin(runtime, appeals)


AdminDep = Annotated[RuleSetAdmin, Depends(_admin)]


@router.get("/rules/{kind}", response_model=RuleTextOut)
def rules_in_force(kind: Kind, actor: ActorDep, admin: AdminDep) -> RuleTextOut:
    return RuleTextOut(**asdict(admin.current(actor, kind)))


@router.get("/rules/{kind}/versions", response_model=list[RuleTextOut])
def rule_versions(kind: Kind, actor: ActorDep, admin: AdminDep) -> list[RuleTextOut]:
    return [RuleTextOut(**asdict(v)) for v in admin.history(actor, kind)]


@router.put("/rules/{kind}", response_model=RuleChangeOut)
def edit_rules(kind: Kind, body: RuleEdit, actor: ActorDep, admin: AdminDep) -> RuleChangeOut:
    """Validate, store as a new version and put in force (SLA: open appeals' deadlines are recomputed)."""
    return RuleChangeOut(**asdict(admin.apply(actor, kind, body.text, body.note)))
