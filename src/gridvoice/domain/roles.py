"""Roles of DESIGN.md and which lifecycle actions each may take.

One declared policy, enforced in the service layer so the API, CLI and console share it. Territory is the
second half of the rule: a user bound to an org unit sees and acts on that unit's subtree only.
"""

from __future__ import annotations

from enum import StrEnum

from gridvoice.domain.lifecycle import Action


class Role(StrEnum):
    AGENT = "agent"
    DISPATCHER = "dispatcher"
    DUTY_OFFICER = "duty_officer"
    HANDLER = "handler"
    COUNTY_MANAGER = "county_manager"
    CITY_SUPERVISOR = "city_supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"


ROLE_ZH = {
    Role.AGENT: "受理员", Role.DISPATCHER: "指挥员", Role.DUTY_OFFICER: "总值长", Role.HANDLER: "处理人",
    Role.COUNTY_MANAGER: "县级管理", Role.CITY_SUPERVISOR: "市级督办", Role.ANALYST: "分析员", Role.ADMIN: "管理员",
}

_ALL_OPERATIONAL = {Role.DISPATCHER, Role.DUTY_OFFICER, Role.ADMIN}
ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.DISPATCH: frozenset(_ALL_OPERATIONAL),
    Action.REROUTE: frozenset(_ALL_OPERATIONAL | {Role.COUNTY_MANAGER}),
    Action.RECEIVE: frozenset(_ALL_OPERATIONAL | {Role.HANDLER}),
    Action.ARRIVE: frozenset(_ALL_OPERATIONAL | {Role.HANDLER}),
    # agents resolve inquiries on first contact (一次办结)
    Action.RESOLVE: frozenset(_ALL_OPERATIONAL | {Role.HANDLER, Role.AGENT}),
    Action.RETURN: frozenset(_ALL_OPERATIONAL | {Role.HANDLER}),
    Action.REVIEW: frozenset(_ALL_OPERATIONAL | {Role.COUNTY_MANAGER, Role.CITY_SUPERVISOR}),
    Action.CALLBACK: frozenset(_ALL_OPERATIONAL | {Role.AGENT}),
    Action.REOPEN: frozenset(_ALL_OPERATIONAL | {Role.COUNTY_MANAGER, Role.CITY_SUPERVISOR}),
    Action.URGE: frozenset(_ALL_OPERATIONAL | {Role.AGENT, Role.COUNTY_MANAGER, Role.CITY_SUPERVISOR}),
    Action.ESCALATE: frozenset(_ALL_OPERATIONAL | {Role.AGENT, Role.COUNTY_MANAGER, Role.CITY_SUPERVISOR}),
    Action.SUSPEND: frozenset(_ALL_OPERATIONAL | {Role.HANDLER}),
    Action.RESUME: frozenset(_ALL_OPERATIONAL | {Role.HANDLER}),
    Action.CANCEL: frozenset(_ALL_OPERATIONAL | {Role.AGENT}),
    Action.ARCHIVE: frozenset(_ALL_OPERATIONAL | {Role.AGENT}),
}
CREATE_APPEAL_ROLES = frozenset({Role.AGENT, Role.DISPATCHER, Role.DUTY_OFFICER, Role.ADMIN})


def may_act(role: Role | str, action: Action | str) -> bool:
    return Role(role) in ACTION_ROLES[Action(action)]


def may_create(role: Role | str) -> bool:
    return Role(role) in CREATE_APPEAL_ROLES
