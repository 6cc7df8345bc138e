"""Rule files in force and their edits: validated, versioned, audited; SLA changes recompute open clocks.

The shipped defaults (or a deployment's override file) are in force until an admin saves a version in the
console or API; from then on the newest stored version of each kind is. Server workers notice a new version
within `RULES_TTL` seconds.
"""

from __future__ import annotations

import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gridvoice.domain.routing import ResponsibilityMatrix, RoutingConfigError, parse_responsibility
from gridvoice.domain.sla import SlaConfig, SlaConfigError, parse_sla_config
from gridvoice.errors import BadInput
from gridvoice.rulesets.models import RuleSetVersion

RULES_TTL = 10.0
KINDS: dict[str, tuple[str, Callable[[dict[str, Any]], Any], type[ValueError]]] = {
    "sla": ("sla_policies.toml", parse_sla_config, SlaConfigError),
    "responsibility": ("responsibility.toml", parse_responsibility, RoutingConfigError),
}


@dataclass(frozen=True)
class RuleText:
    kind: str
    version: str
    text: str
    source: str  # "file" (shipped default or override file) | "store" (saved in the console or API)
    created_by: str | None = None
    created_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class ActiveRules:
    sla: SlaConfig
    matrix: ResponsibilityMatrix
    stamp: tuple[int, int]  # newest stored version id per kind (0: the file)


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise BadInput("kind", f"one of {', '.join(KINDS)}")


def parse(kind: str, text: str) -> Any:
    """The parsed rules, or BadInput naming what is wrong (syntax, unknown codes, missing fields)."""
    check_kind(kind)
    _, parser, error = KINDS[kind]
    try:
        return parser(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise BadInput("text", f"TOML syntax: {exc}") from exc
    except (error, ValueError, TypeError, KeyError) as exc:
        raise BadInput("text", str(exc)) from exc


def file_text(kind: str, override: Any) -> str:
    name = KINDS[kind][0]
    if override is not None:
        return open(override, encoding="utf-8").read()
    return resources.files("gridvoice.defaults").joinpath(name).read_text("utf-8")


class RuleCache:
    """The rules in force for one process, re-read when a newer stored version appears."""

    def __init__(self, sessions: sessionmaker[Session], from_file: Callable[[], tuple[SlaConfig, ResponsibilityMatrix]],
                 ttl: float = RULES_TTL) -> None:
        self.sessions = sessions
        self.from_file = from_file
        self.ttl = ttl
        self._active: ActiveRules | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def get(self) -> ActiveRules:
        active = self._active
        if active is not None and time.monotonic() < self._checked + self.ttl:
            return active
        with self._lock:
            if self._active is None or time.monotonic() >= self._checked + self.ttl:
                self._active = self._load(self._active)
                self._checked = time.monotonic()
            return self._active

    def invalidate(self) -> None:
        self._checked = 0.0

    def _load(self, previous: ActiveRules | None) -> ActiveRules:
        with self.sessions() as session:
            stamp = tuple(session.scalar(select(func.max(RuleSetVersion.id)).where(RuleSetVersion.kind == k)) or 0
                          for k in ("sla", "responsibility"))
            if previous is not None and previous.stamp == stamp:
                return previous
            sla, matrix = self.from_file()
            if stamp[0]:
                sla = parse("sla", session.get(RuleSetVersion, stamp[0]).text)  # type: ignore[union-attr]
            if stamp[1]:
                matrix = parse("responsibility", session.get(RuleSetVersion, stamp[1]).text)  # type: ignore[union-attr]
        return ActiveRules(sla, matrix, (stamp[0], stamp[1]))


def current(session: Session, kind: str, override: Any) -> RuleText:
    row = session.scalar(select(RuleSetVersion).where(RuleSetVersion.kind == kind).order_by(RuleSetVersion.id.desc())
                         .limit(1))
    if row is None:
        text = file_text(kind, override)
        return RuleText(kind, parse(kind, text).version, text, "file")
    return RuleText(kind, row.version, row.text, "store", row.created_by, row.created_at, row.note)


def history(session: Session, kind: str) -> list[RuleText]:
    rows = session.scalars(select(RuleSetVersion).where(RuleSetVersion.kind == kind)
                           .order_by(RuleSetVersion.id.desc()))
    return [RuleText(kind, r.version, r.text, "store", r.created_by, r.created_at, r.note) for r in rows]


def store_version(session: Session, kind: str, text: str, note: str, actor: str, known_versions: set[str]) -> Any:
    """Validate and store a new version; its `version` must be new (clocks record which version they use)."""
    parsed = parse(kind, text)
    if parsed.version in known_versions:
        raise BadInput("text", f"version '{parsed.version}' is already in use: change `version` in the file")
    session.add(RuleSetVersion(kind=kind, version=parsed.version, text=text, note=note, created_by=actor,
                               created_at=datetime.now(UTC)))
    session.flush()
    return parsed
