"""Routing: which department owns an appeal (responsibility matrix) and which territory it belongs to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridvoice.domain.configfile import read_toml
from gridvoice.domain.taxonomy import BusinessType, Department, Topic


class RoutingConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    business_type: str
    topic: str
    department: Department

    def matches(self, business_type: str, topic: str) -> bool:
        return self.business_type in ("*", business_type) and self.topic in ("*", topic)

    def specificity(self) -> tuple[int, int]:
        # business type outranks topic: "REPAIR × REMOTE_CONTROL" beats "* × REMOTE_CONTROL" beats "REPAIR × *"
        return (int(self.business_type != "*") + int(self.topic != "*"), int(self.business_type != "*"))


@dataclass(frozen=True)
class ResponsibilityMatrix:
    version: str
    default_department: Department
    rules: tuple[Rule, ...]
    _cache: dict[tuple[str, str], Department] = field(default_factory=dict, compare=False, repr=False)

    def department_for(self, business_type: str, topic: str) -> Department:
        key = (business_type, topic)
        if key not in self._cache:
            matches = [r for r in self.rules if r.matches(business_type, topic)]
            best = max(matches, key=Rule.specificity, default=None)
            self._cache[key] = best.department if best else self.default_department
        return self._cache[key]


def parse_responsibility(data: Mapping[str, Any]) -> ResponsibilityMatrix:
    rules = []
    valid_types = {b.value for b in BusinessType} | {"*"}
    valid_topics = {t.value for t in Topic} | {"*"}
    for i, raw in enumerate(data.get("rules", [])):
        where = f"rules[{i}]"
        bt, topic, dept = raw.get("business_type", "*"), raw.get("topic", "*"), raw.get("department")
        if not isinstance(bt, str) or bt not in valid_types:
            raise RoutingConfigError(f"{where}.business_type: unknown code {bt!r}")
        if not isinstance(topic, str) or topic not in valid_topics:
            raise RoutingConfigError(f"{where}.topic: unknown code {topic!r}")
        try:
            rules.append(Rule(bt, topic, Department(dept)))
        except ValueError as exc:
            raise RoutingConfigError(f"{where}.department: unknown department {dept!r}") from exc
    try:
        default = Department(data.get("default_department", Department.COMMAND_CENTER))
    except ValueError as exc:
        raise RoutingConfigError(f"default_department: {exc}") from exc
    return ResponsibilityMatrix(str(data.get("version", "unversioned")), default, tuple(rules))


def load_responsibility(path: Path | None = None) -> ResponsibilityMatrix:
    return parse_responsibility(read_toml("responsibility.toml", path, RoutingConfigError))


def territory_for(
    explicit_org_unit: str | None,
    transformer_area: str | None,
    customer_transformer_area: str | None,
    root: str,
) -> str:
    """Territory precedence: explicit org unit, then the named transformer area, then the customer's, else the
    whole company (the city command center triages it)."""
    return explicit_org_unit or transformer_area or customer_transformer_area or root
