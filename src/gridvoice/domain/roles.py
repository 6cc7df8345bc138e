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


class Permission(StrEnum):
    """What a role may do besides lifecycle actions (those are in ACTION_ROLES)."""

    CREATE_APPEAL = "create_appeal"
    READ_APPEALS = "read_appeals"
    EXPORT_APPEALS = "export_appeals"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"  # see names, phones, addresses, 户号 unmasked (audited)
    SUPERVISE = "supervise"  # the 督办 board and the SLA check
    DUTY_VIEW = "duty_view"  # the 总值长 screen
    MANAGE_USERS = "manage_users"  # create, change role/territory, deactivate, reset passwords
    MANAGE_API_KEYS = "manage_api_keys"
    EDIT_CONFIG = "edit_config"  # responsibility matrix, SLA policies
    READ_AUDIT = "read_audit"
    ANALYZE = "analyze"  # appeal analysis dashboards and reports (hotspots, repeats, risk, factors)
    CORRECT_LABELS = "correct_labels"  # correct an appeal's predicted labels (kept for the next training)
    MANAGE_MODELS = "manage_models"  # train and install classifier models
    READ_SATISFACTION = "read_satisfaction"  # callback verdicts, CSI, IPMA, satisfaction reports
    MANAGE_SURVEYS = "manage_surveys"  # import survey responses, define questionnaires


_EVERYONE = frozenset(Role)
_OPERATIONS = frozenset({Role.DISPATCHER, Role.DUTY_OFFICER, Role.ADMIN})
ROLE_PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.CREATE_APPEAL: CREATE_APPEAL_ROLES,
    Permission.READ_APPEALS: _EVERYONE,
    Permission.EXPORT_APPEALS: frozenset(_OPERATIONS | {Role.COUNTY_MANAGER, Role.CITY_SUPERVISOR, Role.ANALYST}),
    # staff who talk to the customer or go to the site; analysts and managers work on masked data
    Permission.REVEAL_PERSONAL_DATA: frozenset(_OPERATIONS | {Role.AGENT, Role.HANDLER}),
    Permission.SUPERVISE: frozenset(_OPERATIONS | {Role.COUNTY_MANAGER, Role.CITY_SUPERVISOR}),
    Permission.DUTY_VIEW: frozenset({Role.DUTY_OFFICER, Role.DISPATCHER, Role.CITY_SUPERVISOR, Role.ADMIN}),
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
    Permission.MANAGE_API_KEYS: frozenset({Role.ADMIN}),
    Permission.EDIT_CONFIG: frozenset({Role.ADMIN}),
    Permission.READ_AUDIT: frozenset({Role.ADMIN}),
    Permission.ANALYZE: frozenset({Role.ANALYST, Role.CITY_SUPERVISOR, Role.COUNTY_MANAGER, Role.DUTY_OFFICER,
                                   Role.ADMIN}),
    Permission.CORRECT_LABELS: frozenset({Role.AGENT, Role.DISPATCHER, Role.ANALYST, Role.ADMIN}),
    Permission.MANAGE_MODELS: frozenset({Role.ANALYST, Role.ADMIN}),
    Permission.READ_SATISFACTION: frozenset({Role.ANALYST, Role.CITY_SUPERVISOR, Role.COUNTY_MANAGER,
                                             Role.DISPATCHER, Role.ADMIN}),
    Permission.MANAGE_SURVEYS: frozenset({Role.ANALYST, Role.ADMIN}),
}


class Scope(StrEnum):
    """What an API key of a channel integration may do (the key's role and territory bound it further)."""

    APPEALS_CREATE = "appeals:create"
    APPEALS_READ = "appeals:read"


_SCOPE_VALUES = frozenset(s.value for s in Scope)
SCOPE_PERMISSIONS: dict[Scope, frozenset[Permission]] = {
    Scope.APPEALS_CREATE: frozenset({Permission.CREATE_APPEAL}),
    Scope.APPEALS_READ: frozenset({Permission.READ_APPEALS}),
}


def may(role: Role | str, permission: Permission | str) -> bool:
    return Role(role) in ROLE_PERMISSIONS[Permission(permission)]


def scopes_allow(scopes: frozenset[str] | None, permission: Permission) -> bool:
    """None: a person, bounded by the role alone; a key: only what one of its scopes grants."""
    if scopes is None:
        return True
    return any(permission in SCOPE_PERMISSIONS[Scope(s)] for s in scopes if s in _SCOPE_VALUES)
