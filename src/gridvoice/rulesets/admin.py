"""Editing the rules in force (admins): validate, store a new version, audit, recompute open clocks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from gridvoice.appeals.service import AppealService
from gridvoice.audit.service import record
from gridvoice.auth.service import Actor, require
from gridvoice.domain.roles import Permission
from gridvoice.rulesets.models import RuleSetVersion
from gridvoice.rulesets.service import RuleText, check_kind, current, history, parse, store_version
from gridvoice.runtime import Runtime


@dataclass(frozen=True)
class RuleChange:
    kind: str
    version: str
    recomputed: int  # open appeals whose deadlines changed (SLA policies only)


class RuleSetAdmin:
    def __init__(self, runtime: Runtime, appeals: AppealService) -> None:
        self.rt = runtime
        self.appeals = appeals

    def _override(self, kind: str) -> object:
        return self.rt.settings.sla_policies if kind == "sla" else self.rt.settings.responsibility

    def current(self, actor: Actor, kind: str) -> RuleText:
        require(actor, Permission.READ_APPEALS)  # staff may read the rules they work under
        check_kind(kind)
        with self.rt.sessions() as session:
            return current(session, kind, self._override(kind))

    def history(self, actor: Actor, kind: str) -> list[RuleText]:
        require(actor, Permission.EDIT_CONFIG)
        check_kind(kind)
        with self.rt.sessions() as session:
            return history(session, kind)

    def check(self, actor: Actor, kind: str, text: str) -> str:
        """Validate without saving: the version the text declares, or BadInput naming the problem."""
        require(actor, Permission.EDIT_CONFIG)
        return str(parse(kind, text).version)

    def apply(self, actor: Actor, kind: str, text: str, note: str = "") -> RuleChange:
        """Store a new version and put it in force; with new SLA policies every open appeal's deadlines are
        recomputed in the same transaction, each change visible as a `recompute` event on the appeal."""
        require(actor, Permission.EDIT_CONFIG)
        with self.rt.writes.begin() as session:
            in_force = current(session, kind, self._override(kind)).version
            known = set(session.scalars(select(RuleSetVersion.version).where(RuleSetVersion.kind == kind)))
            parsed = store_version(session, kind, text, note, actor.username, known | {in_force})
            record(session, actor, "config.change", "config", kind, note,
                   details={"from_version": in_force, "to_version": parsed.version})
            recomputed = 0
            if kind == "sla":  # with the new config itself: the rule cache sees it only after the commit
                recomputed = self.appeals.recompute_clocks(session, actor, config=parsed)
        self.rt.rules.invalidate()
        return RuleChange(kind, parsed.version, recomputed)
