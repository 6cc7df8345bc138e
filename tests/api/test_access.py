"""Access control and the audit trail through the API, on SQLite and PostgreSQL.

Lock-out after repeated failed logins, password rules, an admin's reset (a temporary password and a forced
change), user and API-key administration, revealing personal data for a stated reason, and the audit trail that
records all of it (GET /api/v1/audit, /audit/export.csv) together with the appeal timeline.

Every test makes the users and appeals it changes, so the order of the tests does not matter.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from gridvoice.appeals.exporter import export_appeals
from gridvoice.appeals.schemas import AppealFilters
from gridvoice.audit.service import EXPORT_HEADERS_ZH
from gridvoice.auth.models import User
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import ROLE_PERMISSIONS, Permission, Role
from gridvoice.errors import Forbidden

from .conftest import API, PASSWORD, act, names_field, post_appeal, token, unique_phone

HYPOTHESIS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
ADMIN = "admin_city"


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def new_user(client: TestClient, auth, role: str = "agent", org: str | None = None,
             password: str | None = PASSWORD) -> str:
    username = f"u{uuid.uuid4().hex[:12]}"
    body: dict[str, Any] = {"username": username, "role": role, "org_code": org}
    if password is not None:
        body["password"] = password
    r = client.post(f"{API}/users", json=body, headers=auth(ADMIN))
    assert r.status_code == 201, r.text
    return username


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return client.post(f"{API}/auth/token", data={"username": username, "password": password})


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = login(client, username, password)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def trail(client: TestClient, auth, **filters: Any) -> list[dict[str, Any]]:
    r = client.get(f"{API}/audit", params={"limit": 1000, **filters}, headers=auth(ADMIN))
    assert r.status_code == 200, r.text
    return r.json()


def only(entries: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(entries) == 1, entries
    return entries[0]


def user_row(client: TestClient, auth, username: str) -> dict[str, Any]:
    r = client.get(f"{API}/users", headers=auth(ADMIN))
    assert r.status_code == 200, r.text
    return only([u for u in r.json() if u["username"] == username])


def recent(entry: dict[str, Any]) -> bool:
    return abs(datetime.now(UTC) - parse(entry["at"])) < timedelta(minutes=5)


# ------------------------------------------------------------------------------------------------ lock-out

def test_lockout_refuses_the_right_password_until_the_lock_ends(client, auth, module_runtime):
    limit, minutes = module_runtime.settings.login_max_failures, module_runtime.settings.login_lock_minutes
    assert limit >= 2
    username = new_user(client, auth)
    for _ in range(limit - 1):
        assert login(client, username, "wrong-password-1").status_code == 401
    assert login(client, username).status_code == 200  # one short of the limit: a success resets the count
    for n in range(1, limit + 1):
        r = login(client, username, "wrong-password-1")
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert ("locked" in r.json()["detail"]) == (n == limit), (n, r.text)
    r = login(client, username)
    assert r.status_code == 401 and "locked" in r.json()["detail"]
    assert user_row(client, auth, username)["locked"] is True

    locked = only(trail(client, auth, action="user.locked_out", target_id=username))
    assert locked["actor"] == username and locked["target_type"] == "user" and recent(locked)
    until = parse(locked["details"]["until"])
    assert abs(until - (datetime.now(UTC) + timedelta(minutes=minutes))) < timedelta(minutes=1)

    with module_runtime.writes.begin() as session:  # the lock's time passes
        session.execute(update(User).where(User.username == username)
                        .values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert login(client, username).status_code == 200
    assert user_row(client, auth, username)["locked"] is False


@settings(max_examples=25, **HYPOTHESIS)
@given(attempts=st.lists(st.booleans(), max_size=14))
@example(attempts=[False] * 4 + [True] + [False] * 4 + [True])
@example(attempts=[False] * 5 + [True])
@example(attempts=[False] * 7)
def test_random_login_sequences_lock_exactly_at_the_threshold(client, auth, module_runtime, attempts):
    """True: the right password, False: a wrong one. Failures in a row lock at the threshold and never before."""
    limit = module_runtime.settings.login_max_failures
    username = new_user(client, auth)
    failures, locked = 0, False
    for i, right in enumerate(attempts):
        r = login(client, username, PASSWORD if right else f"wrong-{i}-password")
        if locked:
            assert r.status_code == 401 and "locked" in r.json()["detail"], (i, r.text)
        elif right:
            assert r.status_code == 200, (i, attempts, r.text)
            failures = 0
        else:
            failures += 1
            locked = failures >= limit
            assert r.status_code == 401 and ("locked" in r.json()["detail"]) == locked, (i, attempts, r.text)
    assert user_row(client, auth, username)["locked"] is locked


def test_admin_reset_unlocks_and_forces_a_password_change(client, auth, module_runtime):
    username = new_user(client, auth, role="dispatcher")
    before = bearer(client, username)
    assert client.get(f"{API}/appeals", headers=before).status_code == 200  # the actor is cached now
    for _ in range(module_runtime.settings.login_max_failures):
        login(client, username, "wrong-password-1")
    assert "locked" in login(client, username).json()["detail"]

    r = client.post(f"{API}/users/{username}/reset-password", json={"reason": "用户来电，核实身份后重置"},
                    headers=auth(ADMIN))
    assert r.status_code == 200, r.text
    temporary = r.json()["temporary_password"]
    assert len(temporary) >= 10 and temporary != PASSWORD
    assert login(client, username).status_code == 401  # the old password is gone
    headers = bearer(client, username, temporary)  # unlocked
    assert user_row(client, auth, username) | {"username": None} == {
        "username": None, "role": "dispatcher", "org_code": None, "active": True, "locked": False,
        "must_change_password": True}

    r = client.get(f"{API}/appeals", headers=headers)
    assert r.status_code == 403 and "password change required" in r.json()["detail"], r.text
    assert client.get(f"{API}/org-units", headers=headers).status_code == 403
    assert client.get(f"{API}/appeals", headers=before).status_code == 401  # tokens from before the reset end
    me = client.get(f"{API}/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["must_change_password"] is True

    r = client.post(f"{API}/auth/password", json={"old_password": temporary, "new_password": "a-brand-new-secret"},
                    headers=headers)
    assert r.status_code == 200, r.text
    assert client.get(f"{API}/appeals", headers=headers).status_code == 401  # the change ends every older token
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get(f"{API}/appeals", headers=fresh).status_code == 200
    assert client.get(f"{API}/auth/me", headers=fresh).json()["must_change_password"] is False
    assert login(client, username, temporary).status_code == 401
    assert login(client, username, "a-brand-new-secret").status_code == 200

    reset = only(trail(client, auth, action="user.password_reset", target_id=username))
    assert (reset["actor"], reset["role"], reset["target_type"], reset["reason"]) == (
        ADMIN, "admin", "user", "用户来电，核实身份后重置")
    assert temporary not in str(trail(client, auth, target_id=username))
    change = only(trail(client, auth, action="user.password_change", target_id=username))
    assert change["actor"] == username and change["role"] == "dispatcher"


# ------------------------------------------------------------------------------------------------ passwords

@pytest.mark.parametrize(("old", "new", "field"), [
    pytest.param(PASSWORD, "short-pw", "new_password", id="too-short"),
    pytest.param(PASSWORD, PASSWORD, "new_password", id="same-as-old"),
    pytest.param("not-the-password", "a-fine-new-password", "old_password", id="wrong-old"),
])
def test_password_rules_are_422_naming_the_field(client, auth, old, new, field):
    username = new_user(client, auth)
    r = client.post(f"{API}/auth/password", json={"old_password": old, "new_password": new},
                    headers=bearer(client, username))
    assert r.status_code == 422 and names_field(r, field), r.text
    assert login(client, username).status_code == 200  # unchanged
    assert trail(client, auth, action="user.password_change", target_id=username) == []


def test_own_password_change_is_audited(client, auth):
    username = new_user(client, auth, role="analyst", org="C1")
    old = bearer(client, username)
    r = client.post(f"{API}/auth/password", json={"old_password": PASSWORD, "new_password": "another-good-one"},
                    headers=old)
    assert r.status_code == 200 and r.json()["token_type"] == "bearer", r.text
    assert client.get(f"{API}/auth/me", headers=old).status_code == 401
    assert login(client, username).status_code == 401
    assert login(client, username, "another-good-one").status_code == 200
    entry = only(trail(client, auth, action="user.password_change", target_id=username))
    assert (entry["actor"], entry["role"], entry["target_type"]) == (username, "analyst", "user") and recent(entry)
    assert "another-good-one" not in str(entry)


def test_api_keys_have_no_password(client, auth):
    r = client.post(f"{API}/api-keys", json={"name": f"k-{uuid.uuid4().hex[:8]}", "scopes": ["appeals:read"]},
                    headers=auth(ADMIN))
    r = client.post(f"{API}/auth/password", json={"old_password": "x", "new_password": "long-enough-secret"},
                    headers={"X-API-Key": r.json()["key"]})
    assert r.status_code == 403


# ------------------------------------------------------------------------------------------------ users

def test_create_user_with_a_generated_password(client, auth):
    username = f"u{uuid.uuid4().hex[:12]}"
    r = client.post(f"{API}/users", json={"username": username, "role": "handler", "org_code": "C1"},
                    headers=auth(ADMIN))
    assert r.status_code == 201, r.text
    created = r.json()
    initial = created.pop("initial_password")
    assert isinstance(initial, str) and len(initial) >= 10
    assert created == {"username": username, "role": "handler", "org_code": "C1", "active": True, "locked": False,
                       "must_change_password": True}
    assert initial not in client.get(f"{API}/users", headers=auth(ADMIN)).text  # shown once

    headers = bearer(client, username, initial)
    r = client.get(f"{API}/appeals", headers=headers)
    assert r.status_code == 403 and "password change required" in r.json()["detail"]
    entry = only(trail(client, auth, action="user.create", target_id=username))
    assert (entry["actor"], entry["role"], entry["target_type"]) == (ADMIN, "admin", "user")
    assert entry["details"] == {"role": "handler", "org": "C1"} and initial not in str(entry)


def test_create_user_with_a_given_password(client, auth):
    username = f"u{uuid.uuid4().hex[:12]}"
    r = client.post(f"{API}/users", json={"username": username, "role": "analyst", "password": "chosen-by-admin"},
                    headers=auth(ADMIN))
    assert r.status_code == 201 and r.json()["initial_password"] is None and not r.json()["must_change_password"]
    assert client.get(f"{API}/appeals", headers=bearer(client, username, "chosen-by-admin")).status_code == 200
    r = client.post(f"{API}/users", json={"username": username, "role": "agent"}, headers=auth(ADMIN))
    assert r.status_code == 422 and names_field(r, "username")
    assert len(trail(client, auth, action="user.create", target_id=username)) == 1


@pytest.mark.parametrize("request_", ["create-user", "update-user", "create-key"])
def test_unknown_org_code_is_422_naming_org_code(client, auth, request_):
    method, path, body = {
        "create-user": ("POST", "/users", {"username": f"u{uuid.uuid4().hex[:12]}", "role": "agent"}),
        "update-user": ("PATCH", f"/users/{new_user(client, auth)}", {}),
        "create-key": ("POST", "/api-keys", {"name": f"k-{uuid.uuid4().hex[:8]}", "scopes": ["appeals:read"]}),
    }[request_]
    r = client.request(method, f"{API}{path}", json=body | {"org_code": "NOWHERE"}, headers=auth(ADMIN))
    assert r.status_code == 422 and names_field(r, "org_code"), r.text


def test_role_and_territory_changes_apply_to_the_next_request(client, auth):
    username = new_user(client, auth, role="handler", org="C1")
    headers = bearer(client, username)
    in_c1 = post_appeal(client, auth("agent_city"), org_unit="T111")
    in_c2 = post_appeal(client, auth("agent_city"), org_unit="T221")

    def sees() -> tuple[int, int]:
        return tuple(client.get(f"{API}/appeals/{a['id']}", headers=headers).status_code  # type: ignore[return-value]
                     for a in (in_c1, in_c2))

    def patch(**body: Any) -> dict[str, Any]:
        r = client.patch(f"{API}/users/{username}", json=body, headers=auth(ADMIN))
        assert r.status_code == 200, r.text
        return r.json()

    assert sees() == (200, 404)  # the actor is cached now
    assert patch(org_code="C2", reason="调往西岭县")["org_code"] == "C2"
    assert sees() == (404, 200)
    assert patch(whole_company=True, reason="调往市公司")["org_code"] is None
    assert sees() == (200, 200)

    r = client.post(f"{API}/appeals/{in_c1['id']}/events", json={"action": "dispatch", "version": 1},
                    headers=headers)
    assert r.status_code == 403
    patch(role="dispatcher", reason="岗位调整")
    act(client, headers, in_c1, "dispatch")
    assert client.get(f"{API}/users", headers=headers).status_code == 403
    patch(role="admin", reason="岗位调整")
    assert client.get(f"{API}/users", headers=headers).status_code == 200
    assert client.get(f"{API}/auth/me", headers=headers).json()["role"] == "admin"

    updates = trail(client, auth, action="user.update", target_id=username)
    assert [(e["actor"], e["reason"]) for e in reversed(updates)] == [
        (ADMIN, "调往西岭县"), (ADMIN, "调往市公司"), (ADMIN, "岗位调整"), (ADMIN, "岗位调整")]
    assert updates[-1]["details"]["before"] == {"role": "handler", "org": "C1", "active": True}
    assert updates[-1]["details"]["after"] == {"role": "handler", "org": "C2", "active": True}
    assert updates[0]["details"]["after"]["role"] == "admin"


def test_deactivation_is_401_at_once(client, auth):
    username = new_user(client, auth, role="dispatcher")
    headers = bearer(client, username)
    assert client.get(f"{API}/appeals", headers=headers).status_code == 200  # cached
    r = client.patch(f"{API}/users/{username}", json={"active": False, "reason": "离职"}, headers=auth(ADMIN))
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get(f"{API}/appeals", headers=headers).status_code == 401
    assert client.get(f"{API}/auth/me", headers=headers).status_code == 401
    assert login(client, username).status_code == 401
    entry = only(trail(client, auth, action="user.update", target_id=username))
    assert entry["reason"] == "离职" and entry["details"]["after"]["active"] is False
    r = client.patch(f"{API}/users/{username}", json={"active": True, "reason": "返聘"}, headers=auth(ADMIN))
    assert r.status_code == 200
    assert login(client, username).status_code == 200


def test_admin_cannot_deactivate_or_demote_themselves(client, auth):
    username = new_user(client, auth, role="admin")
    headers = bearer(client, username)
    for body in ({"active": False}, {"role": "dispatcher"}, {"role": "agent", "active": True}):
        r = client.patch(f"{API}/users/{username}", json=body | {"reason": "试试"}, headers=headers)
        assert r.status_code == 422 and names_field(r, "username"), (body, r.text)
    r = client.patch(f"{API}/users/{username}", json={"role": "admin", "reason": "不变"}, headers=headers)
    assert r.status_code == 200  # staying admin is no demotion
    assert user_row(client, auth, username) | {"username": None} == {
        "username": None, "role": "admin", "org_code": None, "active": True, "locked": False,
        "must_change_password": False}
    assert client.get(f"{API}/users", headers=headers).status_code == 200
    assert [e["reason"] for e in trail(client, auth, action="user.update", target_id=username)] == ["不变"]
    # another admin may
    r = client.patch(f"{API}/users/{username}", json={"role": "analyst"}, headers=auth(ADMIN))
    assert r.status_code == 200 and r.json()["role"] == "analyst"
    assert client.get(f"{API}/users", headers=headers).status_code == 403


def test_unknown_user_is_404(client, auth):
    assert client.patch(f"{API}/users/nobody_here", json={"active": False}, headers=auth(ADMIN)).status_code == 404
    r = client.post(f"{API}/users/nobody_here/reset-password", json={}, headers=auth(ADMIN))
    assert r.status_code == 404


# ------------------------------------------------------------------------------------------------ API keys

def test_api_key_secret_is_shown_once_and_never_listed(client, auth):
    name = f"hotline-{uuid.uuid4().hex[:8]}"
    r = client.post(f"{API}/api-keys", json={"name": name, "scopes": ["appeals:read", "appeals:create"],
                                             "role": "agent", "org_code": "C1"}, headers=auth(ADMIN))
    assert r.status_code == 201, r.text
    created = r.json()
    secret = created["key"]
    assert secret.startswith(f"gvk_{created['prefix']}_") and len(secret) > 40
    assert created["scopes"] == ["appeals:create", "appeals:read"] and created["revoked"] is False
    assert (created["role"], created["org_code"], created["created_by"]) == ("agent", "C1", ADMIN)
    assert client.get(f"{API}/auth/me", headers={"X-API-Key": secret}).json()["username"] == f"key:{name}"

    listing = client.get(f"{API}/api-keys", headers=auth(ADMIN))
    assert listing.status_code == 200 and secret not in listing.text
    (row,) = [k for k in listing.json() if k["name"] == name]
    assert "key" not in row and row["prefix"] == created["prefix"] and row["id"] == created["id"]

    entry = only(trail(client, auth, action="api_key.create", target_id=name))
    assert (entry["actor"], entry["target_type"]) == (ADMIN, "api_key")
    assert entry["details"] == {"scopes": ["appeals:create", "appeals:read"], "role": "agent", "org": "C1"}
    everything = client.get(f"{API}/audit", params={"limit": 1000}, headers=auth(ADMIN)).text
    everything += client.get(f"{API}/audit/export.csv", headers=auth(ADMIN)).text
    assert secret not in everything and secret.split("_", 2)[2] not in everything


def test_api_key_revocation(client, auth):
    name = f"k-{uuid.uuid4().hex[:8]}"
    r = client.post(f"{API}/api-keys", json={"name": name, "scopes": ["appeals:read"]}, headers=auth(ADMIN))
    key_id, secret = r.json()["id"], r.json()["key"]
    for _ in range(2):  # revoking twice is harmless and recorded once
        r = client.delete(f"{API}/api-keys/{key_id}", headers=auth(ADMIN))
        assert r.status_code == 200 and r.json()["revoked"] is True
    (row,) = [k for k in client.get(f"{API}/api-keys", headers=auth(ADMIN)).json() if k["name"] == name]
    assert row["revoked"] is True
    assert client.get(f"{API}/appeals", headers={"X-API-Key": secret}).status_code == 401
    entry = only(trail(client, auth, action="api_key.revoke", target_id=name))
    assert (entry["actor"], entry["target_type"]) == (ADMIN, "api_key")
    assert client.delete(f"{API}/api-keys/2147483647", headers=auth(ADMIN)).status_code == 404
    r = client.post(f"{API}/api-keys", json={"name": name, "scopes": ["appeals:read"]}, headers=auth(ADMIN))
    assert r.status_code == 422 and names_field(r, "name")


# ------------------------------------------------------------------------------------------------ reveal

def personal_appeal(client: TestClient, auth, org_unit: str = "T111") -> tuple[dict[str, Any], dict[str, str]]:
    stored = {"customer_no": f"03{uuid.uuid4().int % 10**8:08d}", "customer_name": "欧阳小明",
              "phone": unique_phone(), "address": f"东坪镇幸福路{uuid.uuid4().int % 1000}号3栋"}
    return post_appeal(client, auth("agent_city"), org_unit=org_unit, **stored), stored


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x"}, {"reason": None},
                                  {"reason": "核对\x00地址"}],
                         ids=["missing", "empty", "blank", "one-char", "null", "nul"])
def test_reveal_needs_a_reason(client, auth, body):
    appeal, stored = personal_appeal(client, auth)
    r = client.post(f"{API}/appeals/{appeal['id']}/reveal", json=body, headers=auth("agent_city"))
    assert r.status_code == 422 and names_field(r, "reason"), r.text
    assert stored["phone"] not in r.text
    assert trail(client, auth, action="personal_data.reveal", target_id=str(appeal["id"])) == []


def test_reveal_by_role_follows_the_declared_policy(client, auth):
    appeal, stored = personal_appeal(client, auth)
    for role in Role:
        for user in (f"{role.value}_city", f"{role.value}_c1"):
            r = client.post(f"{API}/appeals/{appeal['id']}/reveal", json={"reason": "回访核实"}, headers=auth(user))
            if role in ROLE_PERMISSIONS[Permission.REVEAL_PERSONAL_DATA]:
                assert r.status_code == 200 and r.json() == stored, (user, r.text)
            else:
                assert r.status_code == 403 and stored["phone"] not in r.text, (user, r.text)
    actors = {e["actor"] for e in trail(client, auth, action="personal_data.reveal", target_id=str(appeal["id"]))}
    assert actors == {f"{r.value}_{s}" for r in ROLE_PERMISSIONS[Permission.REVEAL_PERSONAL_DATA]
                      for s in ("city", "c1")}


def test_reveal_out_of_territory_is_404_and_not_recorded(client, auth):
    appeal, stored = personal_appeal(client, auth, org_unit="T221")
    for user in ("agent_c1", "dispatcher_c1", "handler_c1", "admin_c1"):
        r = client.post(f"{API}/appeals/{appeal['id']}/reveal", json={"reason": "回访核实"}, headers=auth(user))
        assert r.status_code == 404 and stored["phone"] not in r.text, (user, r.text)
    r = client.post(f"{API}/appeals/999999999/reveal", json={"reason": "回访核实"}, headers=auth("agent_city"))
    assert r.status_code == 404
    assert trail(client, auth, action="personal_data.reveal", target_id=str(appeal["id"])) == []


def test_reveal_shows_what_was_stored_while_the_appeal_stays_masked(client, auth):
    appeal, stored = personal_appeal(client, auth)
    headers = auth("handler_c1")
    r = client.post(f"{API}/appeals/{appeal['id']}/reveal", json={"reason": "  上门抢修需联系客户 "}, headers=headers)
    assert r.status_code == 200 and r.json() == stored, r.text
    shown = client.get(f"{API}/appeals/{appeal['id']}", headers=headers)
    listed = client.get(f"{API}/appeals", params={"q": appeal["content"].split()[-1]}, headers=headers)
    assert shown.status_code == 200 and listed.status_code == 200 and len(listed.json()["items"]) == 1
    for view in (shown.json(), listed.json()["items"][0]):
        for name, value in stored.items():
            assert view[name] and view[name] != value and "*" in view[name], (name, view[name])
    for value in stored.values():
        assert value not in shown.text + listed.text

    entry = only(trail(client, auth, action="personal_data.reveal", target_id=str(appeal["id"])))
    assert (entry["actor"], entry["role"], entry["target_type"], entry["reason"]) == (
        "handler_c1", "handler", "appeal", "上门抢修需联系客户")
    assert sorted(entry["details"]["fields"]) == sorted(stored) and recent(entry)
    assert not any(value in str(entry) for value in stored.values())  # the trail holds no personal data


REASON_CHARS = st.one_of(st.sampled_from(["\x00", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85",
                                          "\u2028", "\u200b", "\ufeff", " ", "=", "核"]),
                         st.characters(exclude_categories=["Cs"]))


@pytest.fixture(scope="module")
def reveal_target(client, auth) -> dict[str, Any]:
    return personal_appeal(client, auth)[0]


@settings(max_examples=40, **HYPOTHESIS)
@given(reason=st.text(REASON_CHARS, max_size=30))
@example(reason="ok\x00")
@example(reason="\x1f\x1f")
@example(reason="=HYPERLINK(\"http://x\")")
def test_reveal_reasons_are_stored_as_given_or_refused_naming_reason(client, auth, reveal_target, reason):
    """Any reason: 200 and recorded as given (surrounding whitespace trimmed), or 422 naming 'reason'."""
    target = str(reveal_target["id"])
    before = len(trail(client, auth, action="personal_data.reveal", target_id=target))
    r = client.post(f"{API}/appeals/{target}/reveal", json={"reason": reason}, headers=auth("dispatcher_city"))
    after = trail(client, auth, action="personal_data.reveal", target_id=target)
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert names_field(r, "reason") and len(after) == before, r.text
        return
    assert "\x00" not in reason and reason.strip(), "a NUL or blank reason was accepted"
    assert len(after) == before + 1 and after[0]["reason"] == reason.strip()


@pytest.fixture(scope="module")
def update_target(client, auth) -> str:
    return new_user(client, auth, role="analyst")


@settings(max_examples=30, **HYPOTHESIS)
@given(reason=st.text(REASON_CHARS.filter(lambda c: c != "\x00"), max_size=40))
@example(reason="\x1b[31m红色\x1b[0m\r\n第二行")
def test_user_change_reasons_are_stored_verbatim_or_refused_naming_reason(client, auth, update_target, reason):
    before = len(trail(client, auth, action="user.update", target_id=update_target))
    r = client.patch(f"{API}/users/{update_target}", json={"active": True, "reason": reason}, headers=auth(ADMIN))
    after = trail(client, auth, action="user.update", target_id=update_target)
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert names_field(r, "reason") and len(after) == before, r.text
    else:
        assert len(after) == before + 1 and after[0]["reason"] == reason


@pytest.mark.parametrize("case", ["update-reason", "reset-reason", "audit-filter", "login-username"])
def test_nul_characters_are_not_a_server_error(client, auth, module_runtime, request, case):
    victim = new_user(client, auth)
    method, path, kwargs, field, fine = {
        "update-reason": ("PATCH", f"/users/{victim}", {"json": {"reason": "a\x00b"}}, "reason", 200),
        "reset-reason": ("POST", f"/users/{victim}/reset-password", {"json": {"reason": "a\x00b"}}, "reason", 200),
        "audit-filter": ("GET", "/audit", {"params": {"actor": "a\x00b"}}, "actor", 200),
        "login-username": ("POST", "/auth/token", {"data": {"username": "a\x00b", "password": "x"}}, "username",
                           401),
    }[case]
    r = client.request(method, f"{API}{path}", headers=auth(ADMIN), **kwargs)
    assert r.status_code in (fine, 422), r.text
    if r.status_code == 422:
        assert names_field(r, field), r.text
    elif case.endswith("reason"):
        assert trail(client, auth, target_id=victim)[0]["reason"] == "a\x00b"


# ------------------------------------------------------------------------------------------------ the audit trail

def test_audit_is_for_admins_only(client, auth):
    for role in Role:
        for user in (f"{role.value}_city", f"{role.value}_c1"):
            allowed = role in ROLE_PERMISSIONS[Permission.READ_AUDIT]
            for path in ("/audit", "/audit/export.csv"):
                r = client.get(f"{API}{path}", params={"actor": "nobody"}, headers=auth(user))
                assert r.status_code == (200 if allowed else 403), (user, path, r.text)
            exports = trail(client, auth, action="audit.export", actor=user)
            assert bool(exports) == allowed, user


def test_appeal_events_appear_in_the_audit(client, auth):
    appeal = post_appeal(client, auth("agent_city"), org_unit="T111")
    appeal = act(client, auth("dispatcher_c1"), appeal, "dispatch", note="派往东坪城区供电所")
    act(client, auth("agent_city"), appeal, "urge", note="客户再次来电催办")
    target = str(appeal["id"])
    rows = trail(client, auth, target_type="appeal", target_id=target)
    assert [(e["action"], e["actor"], e["reason"]) for e in rows] == [
        ("appeal.urge", "agent_city", "客户再次来电催办"), ("appeal.dispatch", "dispatcher_c1", "派往东坪城区供电所"),
        ("appeal.accept", "agent_city", "")]
    assert all(e["target_type"] == "appeal" and recent(e) for e in rows)
    assert [parse(e["at"]) for e in rows] == sorted((parse(e["at"]) for e in rows), reverse=True)
    assert trail(client, auth, target_id=target, include_appeal_events="false") == []
    assert [e["action"] for e in trail(client, auth, target_id=target, action="appeal.dispatch")] == [
        "appeal.dispatch"]
    assert [e["action"] for e in trail(client, auth, target_id=target, actor="agent_city")] == [
        "appeal.urge", "appeal.accept"]
    assert trail(client, auth, target_id=target, target_type="user") == []


def test_audit_filters_by_time(client, auth):
    username = new_user(client, auth)
    (entry,) = trail(client, auth, target_id=username)
    at = parse(entry["at"])
    assert trail(client, auth, target_id=username, at_from=at.isoformat(), at_to=(at + timedelta(seconds=1))
                 .isoformat()) == [entry]
    assert trail(client, auth, target_id=username, at_to=at.isoformat()) == []
    assert trail(client, auth, target_id=username, at_from=(at + timedelta(microseconds=1)).isoformat()) == []


def test_audit_csv_export_has_a_bom_chinese_headers_and_is_itself_audited(client, auth):
    appeal, _ = personal_appeal(client, auth)
    marker = token()
    reasons = [f"核对地址 {marker}", f"=HYPERLINK(\"http://evil\") {marker}"]
    for reason in reasons:
        r = client.post(f"{API}/appeals/{appeal['id']}/reveal", json={"reason": reason}, headers=auth("agent_city"))
        assert r.status_code == 200, r.text
    filters = {"action": "personal_data.reveal", "target_id": str(appeal["id"])}
    r = client.get(f"{API}/audit/export.csv", params=filters, headers=auth(ADMIN))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADERS_ZH and all(re.search(r"[\u4e00-\u9fff]", h) for h in rows[0])
    body = rows[1:]
    assert len(body) == 2 and {row[1] for row in body} == {"agent_city"}
    assert {row[3] for row in body} == {"personal_data.reveal"} and {row[5] for row in body} == {str(appeal["id"])}
    assert sorted(row[6] for row in body) == sorted([reasons[0], "'" + reasons[1]])  # never a live formula

    entry = trail(client, auth, action="audit.export", actor=ADMIN)[0]
    assert (entry["target_type"], entry["role"]) == ("audit", "admin") and recent(entry)
    assert entry["details"]["rows"] == 2 and entry["details"]["filters"]["target_id"] == str(appeal["id"])


def test_appeals_export_is_audited(client, auth, tmp_path):
    tag = token()
    for unit in ("T111", "T221"):
        post_appeal(client, auth("agent_city"), org_unit=unit, content=f"停电 {tag}")
    service = client.app.state.appeals
    out = tmp_path / f"appeals-{tag}.csv"
    exporter = Actor("county_manager_c1", Role.COUNTY_MANAGER, "C1")
    assert export_appeals(service, AppealFilters(q=tag), exporter, out) == 1  # its territory only
    entry = only(trail(client, auth, action="appeals.export", target_id=out.name))
    assert (entry["actor"], entry["role"], entry["target_type"]) == ("county_manager_c1", "county_manager", "export")
    assert entry["details"]["rows"] == 1 and entry["details"]["masked"] is True
    assert entry["details"]["filters"] == {"q": tag} and entry["details"]["format"] == ".csv"

    refused = tmp_path / f"refused-{tag}.xlsx"
    for role in Role:
        if role not in ROLE_PERMISSIONS[Permission.EXPORT_APPEALS]:
            with pytest.raises(Forbidden):
                export_appeals(service, AppealFilters(q=tag), Actor(f"{role.value}_city", role), refused)
    assert not refused.exists()
    assert trail(client, auth, action="appeals.export", target_id=refused.name) == []
