"""Organisation tree and customer look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from gridvoice.errors import BadInput
from gridvoice.org.models import Customer, OrgUnit

LEVELS = ("city", "county", "station", "transformer_area")


@dataclass(frozen=True)
class Territory:
    code: str
    level: str
    path: str
    area_class: str
    county: str | None
    station: str | None


def _territory(unit: OrgUnit, by_code: dict[str, OrgUnit]) -> Territory:
    parts = [p for p in unit.path.split("/") if p]
    ancestors = {by_code[c].level: c for c in parts if c in by_code}
    return Territory(unit.code, unit.level, unit.path, unit.area_class,
                     ancestors.get("county"), ancestors.get("station"))


class OrgDirectory:
    """In-memory view of the org tree: a few thousand rows, read constantly by intake and lists."""

    def __init__(self, units: list[OrgUnit]) -> None:
        self.units = {u.code: u for u in units}
        self._territories = {c: _territory(u, self.units) for c, u in self.units.items()}
        roots = [u for u in units if u.parent is None]
        self.root = roots[0].code if roots else None

    @classmethod
    def load(cls, session: Session) -> OrgDirectory:
        units = list(session.scalars(select(OrgUnit).order_by(OrgUnit.path)))
        for u in units:
            session.expunge(u)
        return cls(units)

    def territory(self, code: str, field: str = "org_unit") -> Territory:
        try:
            return self._territories[code]
        except KeyError:
            raise BadInput(field, f"unknown org unit '{code}'") from None

    def __contains__(self, code: str) -> bool:
        return code in self.units

    def is_within(self, code: str, scope: str | None) -> bool:
        """True when `code` lies in the subtree of `scope` (None = whole company)."""
        if scope is None:
            return True
        unit = self.units.get(code)
        return unit is not None and f"/{scope}/" in unit.path


class CustomerRecord(Protocol):
    """What intake needs of a customer: an ORM Customer or a row of CUSTOMER_FIELDS."""

    customer_no: str
    name: str
    phone: str
    address: str
    transformer_area: str | None


CUSTOMER_FIELDS = (Customer.customer_no, Customer.name, Customer.phone, Customer.address,
                   Customer.transformer_area, Customer.category, Customer.important, Customer.sensitive)


# the caller's customer record when only the phone number is known (built once)
BY_PHONE = select(*CUSTOMER_FIELDS).where(Customer.phone == bindparam("phone")).limit(1)


def build_path(parent_path: str | None, code: str) -> str:
    return f"{parent_path or '/'}{code}/"


@lru_cache(maxsize=1)
def level_rank() -> dict[str, int]:
    return {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    level: str
    parent: str | None
    area_class: str
    feeder: str | None = None


def add_units(session: Session, specs: list[UnitSpec], synthetic: bool = False) -> None:
    """Insert org units parent-first, computing their materialised paths."""
    paths: dict[str, str] = {u.code: u.path for u in session.scalars(select(OrgUnit))}
    rows = []
    for spec in specs:
        if spec.level not in LEVELS:
            raise ValueError(f"level: unknown level '{spec.level}'")
        if spec.parent is not None and spec.parent not in paths:
            raise ValueError(f"parent: unknown org unit '{spec.parent}' (give parents first)")
        path = build_path(paths.get(spec.parent) if spec.parent else None, spec.code)
        paths[spec.code] = path
        rows.append({"code": spec.code, "name": spec.name, "level": spec.level, "parent": spec.parent,
                     "area_class": spec.area_class, "path": path, "feeder": spec.feeder,
                     "synthetic": synthetic})
    if rows:
        session.execute(OrgUnit.__table__.insert(), rows)
