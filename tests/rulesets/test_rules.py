"""Editing the rules in force: validated, versioned, audited; new SLA policies recompute open clocks visibly."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from sqlalchemy import select

from conftest import actor  # tests/conftest.py
from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.appeals.schemas import AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.audit.models import AuditEntry
from gridvoice.domain.roles import Role
from gridvoice.errors import BadInput, Forbidden
from gridvoice.rulesets.admin import RuleSetAdmin
from gridvoice.runtime import Runtime

ADMIN = actor(Role.ADMIN)


def shipped(kind: str) -> str:
    name = {"sla": "sla_policies.toml", "responsibility": "responsibility.toml"}[kind]
    return resources.files("gridvoice.defaults").joinpath(name).read_text("utf-8")


def with_version(text: str, version: str) -> str:
    return re.sub(r'^version = ".*"$', f'version = "{version}"', text, count=1, flags=re.M)


def repair(service: AppealService, **kw: object) -> Appeal:
    body = {"channel": "HOTLINE_95598", "content": "停电了", "org_unit": "T111", "business_type": "REPAIR",
            "topic": "OUTAGE", "urgent": False, **kw}
    return service.intake(AppealIn(**body), actor(Role.AGENT)).appeal  # type: ignore[return-value]


@pytest.fixture
def admin(runtime: Runtime) -> RuleSetAdmin:
    return RuleSetAdmin(runtime, AppealService(runtime))


def test_the_shipped_files_are_in_force_until_a_version_is_stored(admin: RuleSetAdmin) -> None:
    sla = admin.current(actor(Role.AGENT), "sla")
    assert sla.source == "file" and sla.text == shipped("sla") and sla.version == admin.rt.sla.version
    assert admin.history(ADMIN, "sla") == []
    with pytest.raises(BadInput) as bad:
        admin.current(ADMIN, "tariffs")
    assert bad.value.field == "kind"


@pytest.mark.parametrize(("text", "says"), [
    ("version = ", "TOML syntax"),
    ('version = "x"\n[[policy]]\nbusiness_type = "FLYING"\ntopic = "*"\nmilestones = []', "FLYING"),
    ('version = "x"\nyellow_share = 1.5\n[[policy]]\nbusiness_type = "REPAIR"\ntopic = "*"\nmilestones = []',
     "yellow_share"),
])
def test_invalid_rules_are_refused_naming_the_problem_and_change_nothing(admin: RuleSetAdmin, text: str,
                                                                           says: str) -> None:
    before = admin.rt.sla.version
    with pytest.raises(BadInput) as bad:
        admin.apply(ADMIN, "sla", text)
    assert bad.value.field == "text" and says in bad.value.reason
    assert admin.history(ADMIN, "sla") == [] and admin.rt.sla.version == before


def test_a_new_version_must_carry_a_new_version_number(admin: RuleSetAdmin) -> None:
    with pytest.raises(BadInput) as bad:
        admin.apply(ADMIN, "sla", shipped("sla"))
    assert "already in use" in bad.value.reason


def test_only_admins_edit_rules(admin: RuleSetAdmin) -> None:
    for role in (Role.DISPATCHER, Role.CITY_SUPERVISOR, Role.ANALYST):
        with pytest.raises(Forbidden):
            admin.apply(actor(role), "sla", with_version(shipped("sla"), "9"))
        with pytest.raises(Forbidden):
            admin.history(actor(role), "sla")


def test_new_sla_policies_recompute_open_clocks_with_a_visible_event(admin: RuleSetAdmin) -> None:
    service, rt = admin.appeals, admin.rt
    open_one = repair(service)
    closed = repair(service, content="另一户停电")
    service.act(closed.id, EventIn(action="cancel", version=1, note="重复工单"), actor(Role.DISPATCHER))
    old_due = open_one.next_due_at
    faster = with_version(shipped("sla").replace("clock = \"calendar\", minutes = 5 }",
                                                 "clock = \"calendar\", minutes = 3 }", 1), "2026.12-test")
    change = admin.apply(ADMIN, "sla", faster, note="派单时限缩短为3分钟")
    assert change.version == "2026.12-test" and change.recomputed == 1
    assert rt.sla.version == "2026.12-test"  # in force at once in this process
    with rt.sessions() as s:
        again = s.get(Appeal, open_one.id)
        assert again is not None and again.policy_version == "2026.12-test" and again.version == 2
        assert again.next_due_at is not None and old_due is not None and again.next_due_at < old_due
        event = s.scalars(select(AppealEvent).where(AppealEvent.appeal_id == open_one.id, AppealEvent.seq == 2)).one()
        assert event.action == "recompute" and "2026.12-test" in event.note
        assert event.data["before"]["policy_version"] != event.data["after"]["policy_version"]
        untouched = s.get(Appeal, closed.id)
        assert untouched is not None and untouched.version == 2 and untouched.policy_version != "2026.12-test"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "config.change")).one()
        assert audit.reason == "派单时限缩短为3分钟" and audit.details["to_version"] == "2026.12-test"
    assert [v.version for v in admin.history(ADMIN, "sla")] == ["2026.12-test"]
    # a new appeal is scheduled under the new version
    assert repair(service, content="第三户").policy_version == "2026.12-test"


def test_a_new_responsibility_matrix_routes_new_appeals(admin: RuleSetAdmin) -> None:
    text = with_version(shipped("responsibility"), "2026.12-r").replace(
            '{ business_type = "*", topic = "OUTAGE", department = "OPERATIONS" }',
            '{ business_type = "*", topic = "OUTAGE", department = "DISPATCH" }')
    inquiry = {"business_type": "INQUIRY", "topic": "OUTAGE"}
    assert repair(admin.appeals, **inquiry).department == "OPERATIONS"
    change = admin.apply(ADMIN, "responsibility", text)
    assert change.recomputed == 0 and admin.rt.matrix.version == "2026.12-r"
    assert repair(admin.appeals, content="再问一次停电", **inquiry).department == "DISPATCH"
