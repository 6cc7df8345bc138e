"""GET /api/v1/org-units — the organisation tree."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from gridvoice.api.deps import ActorDep, RuntimeDep

router = APIRouter(tags=["org"])


class OrgUnitOut(BaseModel):
    code: str
    name: str
    level: Literal["city", "county", "station", "transformer_area"]
    parent: str | None
    area_class: Literal["urban", "rural", "remote"]


@router.get("/org-units", response_model=list[OrgUnitOut])
def list_org_units(
    runtime: RuntimeDep,
    actor: ActorDep,
    level: Literal["city", "county", "station", "transformer_area"] | None = None,
    parent: str | None = Query(default=None, max_length=32),
) -> list[OrgUnitOut]:
    org = runtime.org()
    units = [u for u in org.units.values() if org.is_within(u.code, actor.org_code)
             or (actor.org_code is not None and u.code in _ancestors(org.units, actor.org_code))]
    if level is not None:
        units = [u for u in units if u.level == level]
    if parent is not None:
        units = [u for u in units if u.parent == parent]
    return [OrgUnitOut(code=u.code, name=u.name, level=u.level, parent=u.parent, area_class=u.area_class)
            for u in units]


def _ancestors(units: dict, code: str) -> set[str]:
    unit = units.get(code)
    return {p for p in unit.path.split("/") if p} if unit else set()
