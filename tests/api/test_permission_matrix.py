"""The permission matrix: every route under /api/v1, called as every role (whole company and bound to county
C1) and as API keys of every scope, against an appeal inside C1 and one outside it.

Expectations are derived from the declared policy in `gridvoice.domain.roles` (ROLE_PERMISSIONS, ACTION_ROLES,
CREATE_APPEAL_ROLES, SCOPE_PERMISSIONS); MATRIX below only says which permission each route needs. Routes are
enumerated from the application, so a route added without a MATRIX entry fails `test_route[...]`.

Outcomes: a denied call answers 403 (the role or the key's scopes lack the permission) or 404 (the appeal lies
outside the caller's territory: its existence is not disclosed); an authorised call answers what the request
provokes (`Entry.ok`). A lifecycle action the role may take but the state machine or the version check refuses
answers 409, which counts as authorised: the permission and territory checks run before it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gridvoice.api.app import create_app
from gridvoice.config import Settings
from gridvoice.domain.lifecycle import Action
from gridvoice.domain.roles import (
    ACTION_ROLES,
    CREATE_APPEAL_ROLES,
    ROLE_PERMISSIONS,
    SCOPE_PERMISSIONS,
    Permission,
    Role,
    Scope,
)
from gridvoice.runtime import Runtime

from .conftest import API, PASSWORD, appeal_body, post_appeal, token, unique_phone

HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(METHOD, path) of every route under /api/v1, whether in the OpenAPI document or not."""
    found: set[tuple[str, str]] = set()

    def add(path: str | None, methods: set[str] | None) -> None:
        if path and path.startswith(API) and methods:
            found.update((m, path) for m in methods & HTTP_METHODS)

    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)  # FastAPI >= 0.165: included routers
        if contexts is not None:
            for ctx in contexts():
                add(ctx.path, ctx.methods)
        else:
            add(getattr(route, "path", None), getattr(route, "methods", None))
    for path, operations in app.openapi()["paths"].items():  # whatever the walk above might miss
        add(path, {m.upper() for m in operations})
    return found


# the routes are read at collection from an app whose store is never opened (building it touches no database)
_COLLECT_APP = create_app(Runtime(Settings(home=Path("/nonexistent"), database_url="sqlite://",
                                           secret_key="unused", scheduler=False)))
ROUTES = sorted(api_routes(_COLLECT_APP), key=lambda r: (r[1], r[0]))


# ------------------------------------------------------------------------------------------------ principals

@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    org: str | None  # None: the whole company
    scopes: frozenset[Scope] | None = None  # None: a person

    @property
    def is_key(self) -> bool:
        return self.scopes is not None

    def __str__(self) -> str:
        return f"key {self.name}" if self.is_key else self.name


USERS = [Principal(f"{role.value}_{'city' if org is None else 'c1'}", role, org)
         for role in Role for org in (None, "C1")]
KEYS = [
    Principal("matrix-create", Role.AGENT, "C1", frozenset({Scope.APPEALS_CREATE})),
    Principal("matrix-read", Role.ADMIN, None, frozenset({Scope.APPEALS_READ})),  # the scope bounds an admin key
    Principal("matrix-both", Role.DISPATCHER, "C1", frozenset(Scope)),
    Principal("matrix-analyst", Role.ANALYST, None, frozenset(Scope)),  # the role bounds the scopes
]
PRINCIPALS = USERS + KEYS
# the two appeals every object route is called on: one in C1's subtree, one in another county
TARGETS = {"in": ("T111", "C1"), "out": ("T221", "C2")}


def granted(p: Principal, permission: Permission | tuple[Permission, ...] | None) -> bool:
    """The declared policy: the role's permissions, and for a key also one of its scopes."""
    if permission is None:
        return True
    if isinstance(permission, tuple):  # any one of them
        return any(granted(p, one) for one in permission)
    if p.role not in ROLE_PERMISSIONS[permission]:
        return False
    return p.scopes is None or any(permission in SCOPE_PERMISSIONS[s] for s in p.scopes)


def may_take(p: Principal, action: Action) -> bool:
    # scopes grant Permissions only and lifecycle actions are none of them: keys never take actions
    return p.scopes is None and p.role in ACTION_ROLES[action]


def inside(p: Principal, target: str | None) -> bool:
    return target is None or p.org is None or TARGETS[target][1] == p.org


# ------------------------------------------------------------------------------------------------ the world

@dataclass
class World:
    appeals: dict[str, dict[str, Any]]
    phones: dict[str, str]
    tag: str
    versions: dict[int, int]
    keys: dict[str, str]
    victim_user: str
    victim_key_id: int
    headers_of: Callable[[Principal], dict[str, str]]
    serial: Iterator[int] = field(default_factory=itertools.count)

    def unique(self, prefix: str) -> str:
        return f"{prefix}{uuid.uuid4().hex[:8]}{next(self.serial)}"


@pytest.fixture(scope="module")
def world(client: TestClient, auth: Callable[[str], dict[str, str]]) -> World:
    admin = auth("admin_city")
    tag = token()
    appeals, phones = {}, {}
    for target, (unit, _county) in TARGETS.items():
        phones[target] = unique_phone()
        appeals[target] = post_appeal(client, admin, org_unit=unit, content=f"停电 {tag}", phone=phones[target],
                                      customer_name="欧阳矩阵", address="东坪镇矩阵路1号")
    keys = {}
    for p in KEYS:
        r = client.post(f"{API}/api-keys", json={"name": p.name, "scopes": sorted(p.scopes or ()),
                                                 "role": p.role.value, "org_code": p.org}, headers=admin)
        assert r.status_code == 201, r.text
        keys[p.name] = r.json()["key"]
    victim = f"victim{uuid.uuid4().hex[:8]}"
    r = client.post(f"{API}/users", json={"username": victim, "role": "agent", "password": PASSWORD},
                    headers=admin)
    assert r.status_code == 201, r.text
    r = client.post(f"{API}/api-keys", json={"name": f"victim-{uuid.uuid4().hex[:8]}", "scopes": ["appeals:read"]},
                    headers=admin)
    assert r.status_code == 201, r.text

    def headers_of(p: Principal) -> dict[str, str]:
        return {"X-API-Key": keys[p.name]} if p.is_key else auth(p.name)

    return World(appeals, phones, tag, {a["id"]: a["version"] for a in appeals.values()}, keys, victim,
                 r.json()["id"], headers_of)


# ------------------------------------------------------------------------------------------------ the matrix

Request = tuple[str, str, dict[str, Any]]  # method, url, keyword arguments of TestClient.request


@dataclass(frozen=True)
class Call:
    world: World
    principal: Principal | None  # None: no credentials
    target: str | None = None  # "in" / "out" for routes that take an appeal
    action: Action | None = None

    @property
    def appeal_id(self) -> int:
        return self.world.appeals[self.target or "in"]["id"]


Check = Callable[[Call, Any], str | None]  # a problem with an authorised answer, or None


@dataclass(frozen=True)
class Entry:
    """What a route needs, by the declared policy, and one request that exercises it."""

    needs: Permission | tuple[Permission, ...] | None  # None: anyone signed in; a tuple: any one of them
    request: Callable[[Call], Request]
    ok: frozenset[int] = frozenset({200})  # what an authorised call of `request` answers
    appeal: bool = False  # the route takes an appeal: the territory rule applies
    lifecycle: bool = False  # needs ACTION_ROLES[action] instead of a Permission
    people_only: bool = False  # API keys are refused
    public: bool = False  # no credentials needed
    check: Check | None = None


def _get(path: str, **params: Any) -> Callable[[Call], Request]:
    return lambda c: ("GET", f"{API}{path}", {"params": params})


def _event(c: Call) -> Request:
    assert c.action is not None
    body: dict[str, Any] = {"action": c.action.value, "version": c.world.versions[c.appeal_id],
                            "note": "权限矩阵 (permission matrix)"}
    if c.action == Action.CALLBACK:
        body["verdict"] = "satisfied"
    if c.action == Action.REROUTE:
        body["department"] = "MARKETING"  # a department only: the appeal stays in its territory
    return "POST", f"{API}/appeals/{c.appeal_id}/events", {"json": body}


def _listed(c: Call, body: Any) -> str | None:
    seen = {a["id"] for a in body["items"]}
    assert c.principal is not None
    want = {a["id"] for t, a in c.world.appeals.items() if inside(c.principal, t)}
    return None if seen == want else f"listed {sorted(seen)}, expected {sorted(want)}"


def _same_appeal(c: Call, body: Any) -> str | None:
    return None if body["id"] == c.appeal_id else f"answered appeal {body['id']}"


def _unmasked(c: Call, body: Any) -> str | None:
    phone = c.world.phones[c.target or "in"]
    return None if body["phone"] == phone else f"revealed phone {body['phone']!r}, stored {phone!r}"


MATRIX: dict[tuple[str, str], Entry] = {
    ("GET", f"{API}/openapi.json"): Entry(None, _get("/openapi.json"), public=True),
    ("GET", f"{API}/docs"): Entry(None, _get("/docs"), public=True),
    ("POST", f"{API}/auth/token"): Entry(None, lambda c: (
        "POST", f"{API}/auth/token", {"data": {"username": "analyst_city", "password": PASSWORD}}), public=True),
    ("GET", f"{API}/auth/me"): Entry(None, _get("/auth/me")),
    # a wrong old password: 422 proves the caller got past authorisation without changing anything
    ("POST", f"{API}/auth/password"): Entry(None, lambda c: (
        "POST", f"{API}/auth/password", {"json": {"old_password": "not-the-password", "new_password":
                                                  "another-long-password"}}), ok=frozenset({422}), people_only=True),
    ("GET", f"{API}/users"): Entry(Permission.MANAGE_USERS, _get("/users")),
    ("POST", f"{API}/users"): Entry(Permission.MANAGE_USERS, lambda c: (
        "POST", f"{API}/users", {"json": {"username": c.world.unique("m"), "role": "analyst"}}),
        ok=frozenset({201})),
    ("PATCH", f"{API}/users/{{username}}"): Entry(Permission.MANAGE_USERS, lambda c: (
        "PATCH", f"{API}/users/{c.world.victim_user}", {"json": {"active": True, "reason": "权限矩阵"}})),
    ("POST", f"{API}/users/{{username}}/reset-password"): Entry(Permission.MANAGE_USERS, lambda c: (
        "POST", f"{API}/users/{c.world.victim_user}/reset-password", {"json": {"reason": "权限矩阵"}})),
    ("GET", f"{API}/api-keys"): Entry(Permission.MANAGE_API_KEYS, _get("/api-keys")),
    ("POST", f"{API}/api-keys"): Entry(Permission.MANAGE_API_KEYS, lambda c: (
        "POST", f"{API}/api-keys", {"json": {"name": c.world.unique("m-"), "scopes": ["appeals:read"]}}),
        ok=frozenset({201})),
    ("DELETE", f"{API}/api-keys/{{key_id}}"): Entry(Permission.MANAGE_API_KEYS, lambda c: (
        "DELETE", f"{API}/api-keys/{c.world.victim_key_id}", {})),
    ("GET", f"{API}/org-units"): Entry(None, _get("/org-units")),
    ("POST", f"{API}/appeals"): Entry(Permission.CREATE_APPEAL, lambda c: (
        "POST", f"{API}/appeals", {"json": appeal_body(org_unit="T111")}), ok=frozenset({201})),
    ("GET", f"{API}/appeals"): Entry(Permission.READ_APPEALS, lambda c: (
        "GET", f"{API}/appeals", {"params": {"q": c.world.tag}}), check=_listed),
    ("GET", f"{API}/appeals/{{appeal_id}}"): Entry(Permission.READ_APPEALS, lambda c: (
        "GET", f"{API}/appeals/{c.appeal_id}", {}), appeal=True, check=_same_appeal),
    ("POST", f"{API}/appeals/{{appeal_id}}/events"): Entry(None, _event, ok=frozenset({200, 409}), appeal=True,
                                                           lifecycle=True),
    ("POST", f"{API}/appeals/{{appeal_id}}/reveal"): Entry(Permission.REVEAL_PERSONAL_DATA, lambda c: (
        "POST", f"{API}/appeals/{c.appeal_id}/reveal", {"json": {"reason": "权限矩阵核对"}}), appeal=True,
        check=_unmasked),
    ("POST", f"{API}/appeals/{{appeal_id}}/labels"): Entry(Permission.CORRECT_LABELS, lambda c: (
        "POST", f"{API}/appeals/{c.appeal_id}/labels", {"json": {"urgent": False, "note": "权限矩阵"}}), appeal=True),
    ("GET", f"{API}/appeals/{{appeal_id}}/labels/explain"): Entry(Permission.READ_APPEALS, lambda c: (
        "GET", f"{API}/appeals/{c.appeal_id}/labels/explain", {}), ok=frozenset({200, 409}), appeal=True),
    ("GET", f"{API}/analysis/lake"): Entry(Permission.ANALYZE, _get("/analysis/lake")),
    ("POST", f"{API}/analysis/lake/refresh"): Entry(Permission.ANALYZE, lambda c: (
        "POST", f"{API}/analysis/lake/refresh", {})),
    ("GET", f"{API}/analysis/hotspots"): Entry(Permission.ANALYZE, _get("/analysis/hotspots")),
    ("GET", f"{API}/analysis/repeats"): Entry(Permission.ANALYZE, _get("/analysis/repeats")),
    ("GET", f"{API}/analysis/sensitive"): Entry(Permission.ANALYZE, _get("/analysis/sensitive")),
    ("GET", f"{API}/analysis/sensitive/profile"): Entry((Permission.ANALYZE, Permission.CREATE_APPEAL),
                                                       _get("/analysis/sensitive/profile", customer_no="0300000001")),
    ("GET", f"{API}/analysis/risk"): Entry(Permission.ANALYZE, _get("/analysis/risk")),
    ("GET", f"{API}/analysis/factors"): Entry(Permission.ANALYZE, _get("/analysis/factors")),
    ("GET", f"{API}/supervision"): Entry(Permission.SUPERVISE, _get("/supervision")),
    ("POST", f"{API}/sla/check"): Entry(Permission.SUPERVISE, lambda c: ("POST", f"{API}/sla/check", {})),
    ("GET", f"{API}/audit"): Entry(Permission.READ_AUDIT, _get("/audit", limit=5)),
    ("GET", f"{API}/audit/export.csv"): Entry(Permission.READ_AUDIT, _get("/audit/export.csv", actor="nobody")),
    ("GET", f"{API}/rules/{{kind}}"): Entry(Permission.READ_APPEALS, _get("/rules/sla")),
    ("GET", f"{API}/rules/{{kind}}/versions"): Entry(Permission.EDIT_CONFIG, _get("/rules/sla/versions")),
    # text that is no rule set: 422 proves the caller got past authorisation without changing the rules
    ("PUT", f"{API}/rules/{{kind}}"): Entry(Permission.EDIT_CONFIG, lambda c: (
        "PUT", f"{API}/rules/sla", {"json": {"text": "not = [a rule set", "note": "权限矩阵"}}),
        ok=frozenset({422})),
    # satisfaction (issue #5): requests that change nothing; bodies valid for the schema so that the permission
    # check, not FastAPI's validation, answers the refused
    ("GET", f"{API}/satisfaction/callbacks"): Entry(Permission.READ_SATISFACTION,
                                                     _get("/satisfaction/callbacks", by="unit")),
    ("GET", f"{API}/satisfaction/callbacks/rehandling"): Entry(Permission.READ_SATISFACTION,
                                                                _get("/satisfaction/callbacks/rehandling")),
    ("POST", f"{API}/satisfaction/fit"): Entry(Permission.READ_SATISFACTION, lambda c: (
        "POST", f"{API}/satisfaction/fit", {"json": {"data": [{"x1": 1}]}}), ok=frozenset({422})),  # no spec
    ("POST", f"{API}/satisfaction/ahp"): Entry(Permission.READ_SATISFACTION, lambda c: (
        "POST", f"{API}/satisfaction/ahp", {"json": {"matrix": [[1, 3], ["1/3", 1]]}})),
    ("POST", f"{API}/satisfaction/entropy"): Entry(Permission.READ_SATISFACTION, lambda c: (
        "POST", f"{API}/satisfaction/entropy", {"json": {"data": [{"a": 1, "b": 2}, {"a": 2, "b": 1}]}})),
    ("GET", f"{API}/satisfaction/surveys"): Entry(Permission.READ_SATISFACTION, _get("/satisfaction/surveys")),
    # an empty file: 422 proves the caller got past authorisation without storing anything
    ("POST", f"{API}/satisfaction/surveys"): Entry(Permission.MANAGE_SURVEYS, lambda c: (
        "POST", f"{API}/satisfaction/surveys", {"files": {"file": ("empty.csv", b"", "text/csv")}}),
        ok=frozenset({422})),
    ("GET", f"{API}/satisfaction/surveys/{{survey_id}}/csi"): Entry(Permission.READ_SATISFACTION, _get(
        "/satisfaction/surveys/no-such-survey/csi"), ok=frozenset({404})),
    ("GET", f"{API}/satisfaction/report"): Entry(Permission.READ_SATISFACTION, _get(
        "/satisfaction/report", unit="C1", period="2026-Q1", resamples=0)),
}


def expected(entry: Entry, call: Call) -> tuple[str, frozenset[int]]:
    """('allow' | 'deny' | 'hidden', the statuses that say so) by the declared policy."""
    p = call.principal
    assert p is not None
    if entry.public:
        return "allow", entry.ok
    if entry.lifecycle:
        assert call.action is not None
        allowed = may_take(p, call.action)
    elif entry.people_only and p.is_key:
        allowed = False
    else:
        allowed = granted(p, entry.needs)
    outside = entry.appeal and not inside(p, call.target)
    if not allowed:
        # refused for the permission; outside the territory 404 discloses nothing either
        return "deny", frozenset({403, 404}) if outside else frozenset({403})
    if outside:
        return "hidden", frozenset({404})
    return "allow", entry.ok


def calls(entry: Entry, w: World) -> Iterator[Call]:
    for p in PRINCIPALS:
        for target in (("in", "out") if entry.appeal else (None,)):
            for action in (list(Action) if entry.lifecycle else [None]):
                yield Call(w, p, target, action)


def send(client: TestClient, call: Call, req: Request, headers: dict[str, str]) -> Any:
    method, url, kwargs = req
    r = client.request(method, url, headers=headers, **kwargs)
    if url.endswith("/events") and r.status_code in (200, 409):
        version = r.json().get("version" if r.status_code == 200 else "current_version")
        if version is not None:
            call.world.versions[call.appeal_id] = version
    return r


# ------------------------------------------------------------------------------------------------ tests

def test_declared_policy_is_complete():
    """The tables the matrix is derived from cover every permission, action and role."""
    assert set(ROLE_PERMISSIONS) == set(Permission)
    assert set(ACTION_ROLES) == set(Action)
    assert set(SCOPE_PERMISSIONS) == set(Scope)
    assert ROLE_PERMISSIONS[Permission.CREATE_APPEAL] == CREATE_APPEAL_ROLES
    assert all(roles <= set(Role) for roles in [*ROLE_PERMISSIONS.values(), *ACTION_ROLES.values()])


def test_route_discovery_sees_the_served_app(client):
    assert api_routes(client.app) == set(ROUTES)
    assert len(ROUTES) >= 20


def test_matrix_has_no_stale_entries():
    assert set(MATRIX) - set(ROUTES) == set(), "matrix entries for routes the app no longer has"


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p.removeprefix(API)}" for m, p in ROUTES])
def test_route(route, client, world):
    entry = MATRIX.get(route)
    assert entry is not None, f"{route} has no permission matrix entry: add one to MATRIX"
    wrong, seen = [], set()
    for call in calls(entry, world):
        assert call.principal is not None
        verdict, statuses = expected(entry, call)
        r = send(client, call, entry.request(call), world.headers_of(call.principal))
        seen.add(verdict)
        where = f"{call.principal} target={call.target} action={call.action and call.action.value}"
        if r.status_code not in statuses:
            wrong.append(f"{where}: {r.status_code} (expected {verdict}: {sorted(statuses)}) {r.text[:160]}")
        elif verdict == "allow" and entry.check is not None and r.status_code == 200:
            problem = entry.check(call, r.json())
            if problem:
                wrong.append(f"{where}: {problem}")
    assert not wrong, f"{len(wrong)} calls disagree with the declared policy:\n" + "\n".join(wrong)
    assert "allow" in seen, "nobody may call this route: the matrix would not notice a broken route"


@pytest.mark.parametrize("credentials", [{}, {"Authorization": "Bearer not-a-token"},
                                         {"X-API-Key": "gvk_00000000_not-a-key"}],
                         ids=["none", "bad-bearer", "bad-api-key"])
def test_every_protected_route_answers_401_without_valid_credentials(client, world, credentials):
    wrong = []
    for route in ROUTES:
        entry = MATRIX.get(route)
        if entry is None or entry.public:
            continue
        action = Action.URGE if entry.lifecycle else None
        call = Call(world, None, "in" if entry.appeal else None, action)
        method, url, kwargs = entry.request(call)
        r = client.request(method, url, headers=credentials, **kwargs)
        if r.status_code != 401 or r.headers.get("www-authenticate") != "Bearer":
            wrong.append(f"{method} {url}: {r.status_code} {r.text[:120]}")
    assert not wrong, "\n".join(wrong)


# ------------------------------------------------------------------------------------------------ API keys

def _new_key(client: TestClient, auth, scopes: list[str], role: str = "agent", org: str | None = None
             ) -> tuple[int, dict[str, str]]:
    r = client.post(f"{API}/api-keys", json={"name": f"k-{uuid.uuid4().hex[:10]}", "scopes": scopes, "role": role,
                                             "org_code": org}, headers=auth("admin_city"))
    assert r.status_code == 201, r.text
    return r.json()["id"], {"X-API-Key": r.json()["key"]}


def test_create_scope_key_posts_appeals_but_cannot_read_or_act(client, auth):
    _, key = _new_key(client, auth, ["appeals:create"], role="dispatcher")  # a role that could read and act
    created = post_appeal(client, key)
    assert created["id"] and created["status"] == "accepted"
    assert client.get(f"{API}/appeals", headers=key).status_code == 403
    assert client.get(f"{API}/appeals/{created['id']}", headers=key).status_code == 403
    r = client.post(f"{API}/appeals/{created['id']}/events", json={"action": "dispatch", "version": 1},
                    headers=key)
    assert r.status_code == 403, r.text
    r = client.post(f"{API}/appeals/{created['id']}/reveal", json={"reason": "核对"}, headers=key)
    assert r.status_code == 403, r.text
    events = client.get(f"{API}/appeals/{created['id']}", headers=auth("admin_city")).json()["events"]
    assert [e["action"] for e in events] == ["accept"] and events[0]["actor"].startswith("key:")


def test_read_scope_key_lists_and_gets_but_cannot_create(client, auth):
    appeal = post_appeal(client, auth("agent_city"))
    _, key = _new_key(client, auth, ["appeals:read"], role="dispatcher")  # a role that could create
    r = client.get(f"{API}/appeals", params={"q": appeal["content"].split()[-1]}, headers=key)
    assert r.status_code == 200 and [a["id"] for a in r.json()["items"]] == [appeal["id"]]
    assert client.get(f"{API}/appeals/{appeal['id']}", headers=key).status_code == 200
    assert client.post(f"{API}/appeals", json=appeal_body(), headers=key).status_code == 403
    r = client.post(f"{API}/appeals/{appeal['id']}/events", json={"action": "dispatch", "version": 1}, headers=key)
    assert r.status_code == 403


def test_key_bound_to_a_county_sees_only_its_subtree(client, auth):
    inside_c1 = post_appeal(client, auth("agent_city"), org_unit="T111")
    outside_c1 = post_appeal(client, auth("agent_city"), org_unit="T221")
    _, key = _new_key(client, auth, ["appeals:read"], org="C1")
    assert client.get(f"{API}/appeals/{inside_c1['id']}", headers=key).status_code == 200
    assert client.get(f"{API}/appeals/{outside_c1['id']}", headers=key).status_code == 404


def test_revoked_key_gets_401(client, auth):
    key_id, key = _new_key(client, auth, ["appeals:read", "appeals:create"])
    r = client.delete(f"{API}/api-keys/{key_id}", headers=auth("admin_city"))
    assert r.status_code == 200 and r.json()["revoked"] is True
    assert client.get(f"{API}/appeals", headers=key).status_code == 401
    assert client.post(f"{API}/appeals", json=appeal_body(), headers=key).status_code == 401


def test_key_used_just_before_its_revocation_gets_401(client, auth):
    key_id, key = _new_key(client, auth, ["appeals:read", "appeals:create"])
    assert client.get(f"{API}/appeals", headers=key).status_code == 200
    assert client.delete(f"{API}/api-keys/{key_id}", headers=auth("admin_city")).status_code == 200
    assert client.get(f"{API}/appeals", headers=key).status_code == 401
    assert client.post(f"{API}/appeals", json=appeal_body(), headers=key).status_code == 401


# ------------------------------------------------------------------------------------------------ territory

def test_repost_of_an_out_of_territory_appeal_does_not_disclose_it(client, auth):
    external_id = f"EXT-{uuid.uuid4().hex[:12]}"
    secret = token()
    out = post_appeal(client, auth("agent_city"), org_unit="T221", external_id=external_id,
                      content=f"西岭停电 {secret}")
    assert client.get(f"{API}/appeals/{out['id']}", headers=auth("dispatcher_c1")).status_code == 404
    r = client.post(f"{API}/appeals", json=appeal_body(org_unit="T111", external_id=external_id),
                    headers=auth("dispatcher_c1"))
    assert secret not in r.text and (r.status_code >= 400 or r.json()["id"] != out["id"]), r.text


def test_repeat_call_is_not_merged_into_an_out_of_territory_appeal(client, auth):
    phone, secret = unique_phone(), token()
    out = post_appeal(client, auth("agent_city"), org_unit="T221", phone=phone, content=f"西岭停电 {secret}")
    r = client.post(f"{API}/appeals", json=appeal_body(org_unit="T111", phone=phone), headers=auth("dispatcher_c1"))
    assert secret not in r.text and (r.status_code >= 400 or r.json()["id"] != out["id"]), r.text
    events = client.get(f"{API}/appeals/{out['id']}", headers=auth("admin_city")).json()["events"]
    assert [e["action"] for e in events] == ["accept"]
