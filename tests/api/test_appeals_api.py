"""The appeals API of interfaces.md ("Appeals", "Server") through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from gridvoice.domain.taxonomy import BusinessType, Topic

from .conftest import API, act, appeal_body, names_field, post_appeal, token, unique_phone

DOCUMENTED_KEYS = {"id", "status", "business_type", "topic", "factor", "urgent", "department", "org_unit", "due",
                   "warning", "version"}


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def detail(client: TestClient, headers, appeal_id: int) -> dict:
    r = client.get(f"{API}/appeals/{appeal_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def listing(client: TestClient, headers, **params) -> tuple[set[int], int, list[dict]]:
    r = client.get(f"{API}/appeals", params=params, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    return {a["id"] for a in body["items"]}, body["total"], body["items"]


# ------------------------------------------------------------------------------------------------ auth

def test_token_endpoint(client, module_runtime):
    ok = client.post(f"{API}/auth/token", data={"username": "admin_city", "password": "correct-horse-battery"})
    assert ok.status_code == 200
    assert ok.json()["token_type"] == "bearer" and ok.json()["access_token"]
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {ok.json()['access_token']}"})
    assert me.status_code == 200 and me.json() == {"username": "admin_city", "role": "admin", "org_code": None,
                                                   "must_change_password": False, "scopes": None}

    for username, password in (("admin_city", "wrong-password-123"), ("nobody", "correct-horse-battery"),
                               ("admin_city", "")):
        bad = client.post(f"{API}/auth/token", data={"username": username, "password": password})
        assert bad.status_code in (401, 422)
        if password:
            assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    missing = client.post(f"{API}/auth/token", data={"password": "x"})
    assert missing.status_code == 422 and names_field(missing, "username")


def test_bad_and_expired_tokens_are_refused(client, module_runtime):
    secret = module_runtime.settings.resolved_secret_key()
    now = datetime.now(UTC)
    expired = jwt.encode({"sub": "admin_city", "iat": now - timedelta(hours=2), "exp": now - timedelta(hours=1)},
                         secret, algorithm="HS256")
    forged = jwt.encode({"sub": "admin_city", "exp": now + timedelta(hours=1)}, "another-secret-of-thirty-two-bytes!",
                        algorithm="HS256")
    ghost = jwt.encode({"sub": "ghost", "exp": now + timedelta(hours=1)}, secret, algorithm="HS256")
    for tok in (expired, forged, ghost, "not-a-jwt"):
        r = client.get(f"{API}/appeals", headers={"Authorization": f"Bearer {tok}"})
        assert r.status_code == 401, tok


def test_every_protected_operation_requires_a_token(client):
    spec = client.get(f"{API}/openapi.json").json()
    operations = [(m, p, op) for p, ops in spec["paths"].items() for m, op in ops.items()]
    api_ops = [(m, p, op) for m, p, op in operations if p.startswith(API)]
    unprotected = {(m, p) for m, p, op in api_ops if not op.get("security")}
    assert unprotected == {("post", f"{API}/auth/token")}, "every API operation but login must need a token"
    protected = {(m, p) for m, p, op in api_ops if op.get("security")}
    assert {("get", f"{API}/appeals"), ("post", f"{API}/appeals"), ("get", f"{API}/appeals/{{appeal_id}}"),
            ("post", f"{API}/appeals/{{appeal_id}}/events"), ("get", f"{API}/org-units")} <= protected
    for method, path in sorted(protected):
        url = path.replace("{appeal_id}", "1")
        r = client.request(method, url, json=appeal_body() if method == "post" else None)
        assert r.status_code == 401, (method, path, r.text)
        assert r.headers.get("www-authenticate") == "Bearer"


# ------------------------------------------------------------------------------------------------ intake

def test_post_appeal_returns_the_documented_keys(client, auth):
    before = datetime.now(UTC)
    a = post_appeal(client, auth("agent_city"))
    assert a.keys() >= DOCUMENTED_KEYS
    assert a["status"] == "accepted" and a["version"] == 1 and a["warning"] == "none"
    assert (a["business_type"], a["topic"], a["factor"]) == ("REPAIR", "OUTAGE", "POWER_QUALITY")
    assert a["department"] == "OPERATIONS" and a["org_unit"] == "T111" and a["urgent"] is False
    assert set(a["due"]) == {"dispatch", "arrive", "restore", "callback"}
    received = parse(a["received_at"])
    assert before - timedelta(seconds=1) <= received <= datetime.now(UTC) + timedelta(seconds=1)
    assert parse(a["due"]["dispatch"]) == received + timedelta(minutes=5)
    assert parse(a["due"]["arrive"]) == received + timedelta(minutes=45)  # T111 is urban
    assert a["due"]["restore"] is None


def test_area_class_of_the_territory_sets_the_repair_limit(client, auth):
    for org_unit, minutes in (("T221", 90), ("T211", 120), ("S21", 120)):
        a = post_appeal(client, auth("agent_city"), org_unit=org_unit)
        assert parse(a["due"]["arrive"]) - parse(a["received_at"]) == timedelta(minutes=minutes), org_unit


def test_missing_labels_are_predicted(client, auth):
    a = post_appeal(client, auth("agent_city"), content=f"家里停电了，没电 {token()}", business_type=None,
                    topic=None, urgent=None)
    assert (a["business_type"], a["topic"], a["department"]) == ("REPAIR", "OUTAGE", "OPERATIONS")
    assert a["labels_source"] != "given" and a["needs_review"] is True and a["urgent"] is False
    b = post_appeal(client, auth("agent_city"), content=f"电线掉下来了在冒烟 {token()}", business_type=None,
                    topic=None, urgent=None)
    assert b["urgent"] is True and b["topic"] in {t.value for t in Topic}
    # a given label is kept, only the missing one is predicted
    c = post_appeal(client, auth("agent_city"), content=f"抄表员估抄，电费突增 {token()}", business_type="COMPLAINT",
                    topic=None)
    assert c["business_type"] == "COMPLAINT" and c["topic"] == "METER_READING_BILLING"
    assert c["department"] == "MARKETING" and c["factor"] == "STAFF"
    assert c["business_type"] in {b.value for b in BusinessType}


def test_territory_is_resolved_from_the_customer(client, auth):
    a = post_appeal(client, auth("agent_city"), org_unit=None, customer_no="0300000002", topic="VOLTAGE")
    assert a["org_unit"] == "T221" and a["county"] == "C2"
    assert parse(a["due"]["arrive"]) - parse(a["received_at"]) == timedelta(minutes=90)  # T221 is rural
    b = post_appeal(client, auth("agent_city"), org_unit=None, transformer_area="T211", topic="OUTAGE_NOTICE",
                    business_type="INQUIRY")
    assert b["org_unit"] == "T211" and b["department"] == "DISPATCH"
    c = post_appeal(client, auth("agent_city"), org_unit=None, topic="OTHER", business_type="INQUIRY")
    assert c["org_unit"] == "HZ"  # nothing known: the city command center triages it


def test_repost_of_channel_and_external_id_is_idempotent(client, auth):
    ext = token()
    first = post_appeal(client, auth("agent_city"), external_id=ext)
    again = client.post(f"{API}/appeals", json=appeal_body(external_id=ext, content="另一段文字"),
                        headers=auth("agent_city"))
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["version"] == 1
    assert again.json()["intake_outcome"] == "existing"
    # the same external id on another channel is another appeal
    other = post_appeal(client, auth("agent_city"), external_id=ext, channel="APP")
    assert other["id"] != first["id"]
    assert len(detail(client, auth("admin_city"), first["id"])["events"]) == 1


def test_intake_on_postgresql_runs_on_the_asynchronous_pool(client, auth, module_runtime):
    pool = module_runtime.async_pool
    if module_runtime.engine.dialect.name != "postgresql":
        assert pool is None  # SQLite: the synchronous path in a worker thread
        return
    before = pool.pool.get_stats().get("requests_num", 0)
    created = post_appeal(client, auth("agent_city"), external_id=token())
    assert created["intake_outcome"] == "created" and created["version"] == 1
    assert pool.pool.get_stats()["requests_num"] > before


def test_repeat_call_becomes_an_urge_on_the_open_appeal(client, auth):
    phone, tag1, tag2 = unique_phone(), token(), token()
    first = post_appeal(client, auth("agent_city"), phone=phone, urgent=False, content=f"停电 {tag1}")
    r = client.post(f"{API}/appeals", json=appeal_body(phone=phone, content=f"怎么还没人来 {tag2}", urgent=True),
                    headers=auth("agent_city"))
    assert r.status_code == 200, r.text
    merged = r.json()
    assert merged["id"] == first["id"] and merged["intake_outcome"] == "merged_as_urge"
    assert (merged["urge_count"], merged["repeat_call_count"], merged["version"]) == (1, 1, 2)
    assert merged["status"] == "accepted" and merged["urgent"] is True  # escalated by the new call
    events = detail(client, auth("admin_city"), first["id"])["events"]
    assert [e["action"] for e in events] == ["accept", "urge"]
    assert events[1]["data"]["repeat_call"] is True and events[1]["status_after"] == "accepted"
    assert listing(client, auth("admin_city"), q=tag1)[:2] == ({first["id"]}, 1)
    assert listing(client, auth("admin_city"), q=tag2)[1] == 0  # no new appeal
    # a 催办 (URGE) attaches to any open appeal of the caller, whatever its topic
    urge = client.post(f"{API}/appeals", json=appeal_body(phone=phone, business_type="URGE", topic="OTHER"),
                       headers=auth("agent_city"))
    assert urge.status_code == 200 and urge.json()["id"] == first["id"] and urge.json()["urge_count"] == 2


def test_calls_that_are_not_repeats_make_new_appeals(client, auth):
    phone = unique_phone()
    first = post_appeal(client, auth("agent_city"), phone=phone,
                        received_at=(datetime.now(UTC) - timedelta(hours=80)).isoformat())
    # outside the 72 h window
    late = post_appeal(client, auth("agent_city"), phone=phone)
    assert late["id"] != first["id"]
    # another topic
    other = post_appeal(client, auth("agent_city"), phone=phone, topic="VOLTAGE")
    assert other["id"] not in (first["id"], late["id"])
    # the original is closed
    phone2 = unique_phone()
    closed = post_appeal(client, auth("agent_city"), phone=phone2)
    act(client, auth("agent_city"), closed, "cancel", note="客户撤诉")
    new = post_appeal(client, auth("agent_city"), phone=phone2)
    assert new["id"] != closed["id"]


# ------------------------------------------------------------------------------------------------ the loop

def test_full_closed_loop_of_a_repair(client, auth):
    a = post_appeal(client, auth("agent_city"))
    steps = [("dispatcher_city", "dispatch", "dispatched", {}), ("handler_c1", "receive", "received", {}),
             ("handler_c1", "arrive", "arrived", {}), ("handler_c1", "resolve", "resolved", {}),
             ("county_manager_c1", "review", "reviewed", {}),
             ("agent_city", "callback", "called_back", {"verdict": "satisfied"}),
             ("agent_city", "archive", "archived", {})]
    for n, (user, action, status, fields) in enumerate(steps, start=2):
        a = act(client, auth(user), a, action, **fields)
        assert a["status"] == status and a["version"] == n
        if action == "arrive":
            arrived = parse(a["updated_at"])
            assert parse(a["due"]["restore"]) == arrived + timedelta(minutes=180)
        if action == "resolve":
            assert a["due"]["callback"] is not None
    full = detail(client, auth("admin_city"), a["id"])
    events = full["events"]
    assert [e["action"] for e in events] == ["accept"] + [s[1] for s in steps]  # one event per action
    assert [e["seq"] for e in events] == list(range(1, 9))
    assert [e["actor"] for e in events[1:]] == [s[0] for s in steps]
    for prev, cur in itertools.pairwise(events):
        assert cur["status_before"] == prev["status_after"]
    assert events[6]["data"]["verdict"] == "satisfied"
    assert full["closed_at"] is not None and full["warning"] == "none" and full["next_due_at"] is None
    assert full["allowed_actions"] == ["reopen"] and full["overdue"] is False
    # reopening needs a reason and counts a re-handling
    reopened = act(client, auth("city_supervisor_city"), full, "reopen", note="客户反映仍未恢复")
    assert reopened["status"] == "dispatched" and reopened["rehandle_count"] == 1 and reopened["closed_at"] is None


def test_inquiry_resolved_on_first_contact_and_dissatisfied_callback(client, auth):
    a = post_appeal(client, auth("agent_city"), business_type="INQUIRY", topic="PAYMENT_TARIFF")
    a = act(client, auth("agent_city"), a, "resolve", note="已当场解答")
    assert a["status"] == "resolved"
    a = act(client, auth("agent_city"), a, "callback", verdict="dissatisfied")
    assert a["status"] == "dispatched" and a["rehandle_count"] == 1 and a["verdict"] == "dissatisfied"
    a = act(client, auth("handler_c1"), a, "receive")
    a = act(client, auth("handler_c1"), a, "resolve")
    a = act(client, auth("admin_city"), a, "return", note="答复不完整")
    assert a["status"] == "received"


def test_suspend_pauses_and_resume_restores(client, auth):
    a = post_appeal(client, auth("agent_city"), business_type="COMPLAINT", topic="STAFF_CONDUCT")
    a = act(client, auth("dispatcher_city"), a, "dispatch")
    assert a["due"]["reply"] is not None
    s = act(client, auth("handler_c1"), a, "suspend", note="客户出差，约定下周处理")
    assert s["status"] == "suspended" and s["due"]["reply"] is None  # open-ended suspension: no due
    assert set(s["allowed_actions"]) == {"resume", "cancel", "urge", "escalate"}
    r = act(client, auth("handler_c1"), s, "resume")
    assert r["status"] == "dispatched" and r["due"]["reply"] is not None
    assert parse(r["due"]["reply"]) >= parse(a["due"]["reply"])


def test_cancel_as_duplicate_links_the_kept_appeal(client, auth):
    kept = post_appeal(client, auth("agent_city"))
    dup = post_appeal(client, auth("agent_city"))
    out = act(client, auth("agent_city"), dup, "cancel", note="重复工单", duplicate_of=kept["id"])
    assert out["status"] == "cancelled" and out["duplicate_of"] == kept["id"] and out["allowed_actions"] == []
    assert detail(client, auth("admin_city"), dup["id"])["events"][-1]["data"]["duplicate_of"] == kept["id"]


def test_illegal_action_is_409_with_the_reason_and_records_nothing(client, auth):
    a = post_appeal(client, auth("agent_city"))
    a = act(client, auth("dispatcher_city"), a, "dispatch")
    a = act(client, auth("handler_c1"), a, "receive")
    r = client.post(f"{API}/appeals/{a['id']}/events", json={"action": "resolve", "version": a["version"]},
                    headers=auth("handler_c1"))
    assert r.status_code == 409
    assert "arriv" in r.json()["detail"] or "到达" in r.json()["detail"]
    archived = client.post(f"{API}/appeals/{a['id']}/events", json={"action": "archive", "version": a["version"]},
                           headers=auth("agent_city"))
    assert archived.status_code == 409
    after = detail(client, auth("admin_city"), a["id"])
    assert after["version"] == a["version"] and len(after["events"]) == 3 and after["status"] == "received"


def test_stale_version_is_409(client, auth):
    a = post_appeal(client, auth("agent_city"))
    act(client, auth("dispatcher_city"), a, "dispatch")
    r = client.post(f"{API}/appeals/{a['id']}/events", json={"action": "urge", "version": 1},
                    headers=auth("agent_city"))
    assert r.status_code == 409 and r.json()["current_version"] == 2
    assert len(detail(client, auth("admin_city"), a["id"])["events"]) == 2


def test_roles_that_may_not_act_get_403(client, auth):
    a = post_appeal(client, auth("agent_city"))
    for user, action in (("analyst_city", "dispatch"), ("handler_city", "dispatch"), ("agent_city", "review"),
                         ("analyst_city", "urge"), ("county_manager_c1", "receive")):
        r = client.post(f"{API}/appeals/{a['id']}/events", json={"action": action, "version": 1, "note": "x"},
                        headers=auth(user))
        assert r.status_code == 403, (user, action, r.text)
    for user in ("analyst_city", "handler_city", "county_manager_city", "city_supervisor_city"):
        r = client.post(f"{API}/appeals", json=appeal_body(), headers=auth(user))
        assert r.status_code == 403, user
    r = client.post(f"{API}/sla/check", headers=auth("analyst_city"))
    assert r.status_code == 403
    assert detail(client, auth("admin_city"), a["id"])["version"] == 1


def test_unknown_and_out_of_territory_appeals_are_404(client, auth):
    r = client.get(f"{API}/appeals/999999999", headers=auth("admin_city"))
    assert r.status_code == 404
    r = client.post(f"{API}/appeals/999999999/events", json={"action": "urge", "version": 1},
                    headers=auth("admin_city"))
    assert r.status_code == 404
    c2 = post_appeal(client, auth("agent_city"), org_unit="T211")
    c1 = post_appeal(client, auth("agent_city"), org_unit="T111")
    for user in ("handler_c1", "dispatcher_c1", "county_manager_c1"):
        assert client.get(f"{API}/appeals/{c2['id']}", headers=auth(user)).status_code == 404
        assert client.get(f"{API}/appeals/{c1['id']}", headers=auth(user)).status_code == 200
    r = client.post(f"{API}/appeals/{c2['id']}/events", json={"action": "dispatch", "version": 1},
                    headers=auth("dispatcher_c1"))
    assert r.status_code == 404
    assert detail(client, auth("admin_city"), c2["id"])["status"] == "accepted"
    tok = c2["content"].split()[-1]
    assert listing(client, auth("dispatcher_c1"), q=tok)[1] == 0
    assert listing(client, auth("dispatcher_city"), q=tok)[1] == 1


# ------------------------------------------------------------------------------------------------ lists

def test_list_filters(client, auth):
    tag = token()
    h = auth("agent_city")
    a1 = post_appeal(client, h, content=f"停电 {tag} 一", received_at="2026-03-02T10:00:00+08:00")
    a2 = post_appeal(client, h, content=f"态度差 {tag} 二", business_type="COMPLAINT", topic="STAFF_CONDUCT",
                     org_unit="T221", channel="APP", received_at="2026-03-05T10:00:00+08:00")
    a3 = post_appeal(client, h, content=f"电价 {tag} 三", business_type="INQUIRY", topic="PAYMENT_TARIFF",
                     org_unit="S11", channel="WECHAT")
    a4 = post_appeal(client, h, content=f"电压低 {tag} 四", topic="VOLTAGE", org_unit="T211",
                     received_at="2026-03-10T09:00:00")  # naive: Beijing time
    act(client, auth("dispatcher_city"), a4, "dispatch")
    ids = {n: a["id"] for n, a in (("a1", a1), ("a2", a2), ("a3", a3), ("a4", a4))}

    def check(expected: set[str], **params):
        got, total, _ = listing(client, auth("admin_city"), q=tag, **params)
        assert got == {ids[n] for n in expected}, params
        assert total == len(expected), params

    check({"a1", "a2", "a3", "a4"})
    check({"a4"}, status="dispatched")
    check({"a1", "a2", "a3"}, status="accepted")
    check(set(), status="archived")
    check({"a1", "a4"}, business_type="REPAIR")
    check({"a2"}, topic="STAFF_CONDUCT")
    check({"a2", "a4"}, org_unit="C2")
    check({"a1", "a3"}, org_unit="C1")
    check({"a1"}, org_unit="T111")
    check({"a2"}, org_unit="S22")
    check({"a1", "a2", "a3", "a4"}, org_unit="HZ")
    check({"a2"}, channel="APP")
    check({"a1", "a2", "a4"}, warning="red")
    check({"a3"}, warning="none")
    check({"a2"}, received_from="2026-03-05T00:00:00+08:00", received_to="2026-03-10T09:00:00+08:00")
    check({"a2", "a4"}, received_from="2026-03-05T10:00:00", received_to="2026-03-10T09:00:01+08:00")
    check({"a1"}, received_to="2026-03-02T02:00:01Z")
    check({"a4"}, business_type="REPAIR", org_unit="C2")
    # paging, newest first
    _, total, page1 = listing(client, auth("admin_city"), q=tag, page=1, page_size=2)
    _, _, page2 = listing(client, auth("admin_city"), q=tag, page=2, page_size=2)
    _, _, page3 = listing(client, auth("admin_city"), q=tag, page=3, page_size=2)
    assert total == 4 and [a["id"] for a in page1 + page2] == [ids["a3"], ids["a4"], ids["a2"], ids["a1"]]
    assert page3 == []
    # q also finds by id and by phone; the territory of the caller applies
    got, _, _ = listing(client, auth("admin_city"), q=str(ids["a2"]))
    assert ids["a2"] in got
    got, total, _ = listing(client, auth("dispatcher_c1"), q=tag)
    assert got == {ids["a1"], ids["a3"]} and total == 2


def test_q_treats_like_wildcards_literally(client, auth):
    tag = token()
    plain = post_appeal(client, auth("agent_city"), content=f"多收100x{tag}", business_type="COMPLAINT",
                        topic="METER_READING_BILLING")
    pct = post_appeal(client, auth("agent_city"), content=f"多收100%{tag}", business_type="COMPLAINT",
                      topic="METER_READING_BILLING")
    under = post_appeal(client, auth("agent_city"), content=f"多收100_{tag}", business_type="COMPLAINT",
                        topic="METER_READING_BILLING")
    assert listing(client, auth("admin_city"), q=f"100%{tag}")[0] == {pct["id"]}
    assert listing(client, auth("admin_city"), q=f"100_{tag}")[0] == {under["id"]}
    assert listing(client, auth("admin_city"), q=tag)[0] == {plain["id"], pct["id"], under["id"]}


# ------------------------------------------------------------------------------------------------ 422

def _future() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"channel": "PIGEON"}, "channel"),
    ({"channel": None}, "channel"),
    ({"topic": "BLACKOUT"}, "topic"),
    ({"business_type": "FIX"}, "business_type"),
    ({"content": ""}, "content"),
    ({"content": "   "}, "content"),
    ({"content": None}, "content"),
    ({"content": "长" * 4001}, "content"),
    ({"received_at": "yesterday"}, "received_at"),
    ({"received_at": "2026-13-01T00:00:00"}, "received_at"),
    ({"received_at": "future"}, "received_at"),
    ({"received_at": "1999-12-31T12:00:00+08:00"}, "received_at"),
    ({"org_unit": "NOPE"}, "org_unit"),
    ({"transformer_area": "NOPE"}, "transformer_area"),
    ({"transformer_area": "S11", "org_unit": None}, "transformer_area"),
    ({"phone": "call me"}, "phone"),
    ({"customer_no": "号"}, "customer_no"),
    ({"urgent": "maybe"}, "urgent"),
    ({"priority": "high"}, "priority"),
])
def test_post_appeal_422_names_the_field(client, auth, overrides, field):
    if overrides.get("received_at") == "future":
        overrides = {"received_at": _future()}
    body = appeal_body()
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    r = client.post(f"{API}/appeals", json=body, headers=auth("agent_city"))
    assert r.status_code == 422, r.text
    assert names_field(r, field), r.json()


@pytest.mark.parametrize(("params", "field"), [
    ({"page_size": 0}, "page_size"),
    ({"page_size": 501}, "page_size"),
    ({"page_size": "ten"}, "page_size"),
    ({"page": 0}, "page"),
    ({"status": "open"}, "status"),
    ({"business_type": "FIX"}, "business_type"),
    ({"topic": "BLACKOUT"}, "topic"),
    ({"channel": "PIGEON"}, "channel"),
    ({"warning": "orange"}, "warning"),
    ({"received_from": "last week"}, "received_from"),
    ({"received_to": "2026-02-30"}, "received_to"),
    ({"org_unit": "NOPE"}, "org_unit"),
    ({"org_unit": "X" * 33}, "org_unit"),
    ({"q": "长" * 101}, "q"),
])
def test_list_422_names_the_field(client, auth, params, field):
    r = client.get(f"{API}/appeals", params=params, headers=auth("admin_city"))
    assert r.status_code == 422, r.text
    assert names_field(r, field), r.json()


@pytest.mark.parametrize("bad_id", ["0", "-3", "abc", str(2**63)])
def test_appeal_id_422(client, auth, bad_id):
    r = client.get(f"{API}/appeals/{bad_id}", headers=auth("admin_city"))
    assert r.status_code == 422 and names_field(r, "appeal_id")
    r = client.post(f"{API}/appeals/{bad_id}/events", json={"action": "urge", "version": 1},
                    headers=auth("admin_city"))
    assert r.status_code == 422 and names_field(r, "appeal_id")


@pytest.fixture(scope="module")
def resolved_inquiry(client, auth) -> dict:
    a = post_appeal(client, auth("agent_city"), business_type="INQUIRY", topic="PAYMENT_TARIFF")
    return act(client, auth("agent_city"), a, "resolve")


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "teleport"}, "action"),
    ({"action": None}, "action"),
    ({"action": "callback"}, "verdict"),
    ({"action": "callback", "verdict": "meh"}, "verdict"),
    ({"action": "urge", "version": 0}, "version"),
    ({"action": "urge", "version": -1}, "version"),
    ({"action": "urge", "version": None}, "version"),
    ({"action": "urge", "version": "two"}, "version"),
    ({"action": "urge", "mood": "angry"}, "mood"),
    ({"action": "urge", "note": "字" * 2001}, "note"),
    ({"action": "cancel", "note": "重复", "duplicate_of": 0}, "duplicate_of"),
    ({"action": "reroute", "note": "改派", "org_unit": "NOPE"}, "org_unit"),
    ({"action": "reroute", "note": "改派"}, "department"),
    ({"action": "reroute", "note": "改派", "department": "FINANCE"}, "department"),
])
def test_event_422_names_the_field(client, auth, resolved_inquiry, body, field):
    payload = {"version": resolved_inquiry["version"], **body}
    payload = {k: v for k, v in payload.items() if v is not None}
    r = client.post(f"{API}/appeals/{resolved_inquiry['id']}/events", json=payload, headers=auth("admin_city"))
    assert r.status_code == 422, r.text
    assert names_field(r, field), r.json()
    assert detail(client, auth("admin_city"), resolved_inquiry["id"])["version"] == resolved_inquiry["version"]


def test_cancel_duplicate_of_itself_or_of_nothing_is_422(client, auth):
    a = post_appeal(client, auth("agent_city"))
    for dup in (a["id"], 999999999):
        r = client.post(f"{API}/appeals/{a['id']}/events",
                        json={"action": "cancel", "version": 1, "note": "重复", "duplicate_of": dup},
                        headers=auth("agent_city"))
        assert r.status_code == 422 and names_field(r, "duplicate_of"), r.text


@pytest.mark.parametrize(("path", "params", "field"), [
    (f"{API}/org-units", {"level": "planet"}, "level"),
    (f"{API}/supervision", {"level": "planet"}, "level"),
])
def test_other_endpoints_422(client, auth, path, params, field):
    r = client.get(path, params=params, headers=auth("admin_city"))
    assert r.status_code == 422 and names_field(r, field), r.text


# ------------------------------------------------------------------------------------------------ regressions
# Bugs these tests found (commit 9278cc8 fixed them); each answered 500 or double-counted before.

@pytest.mark.parametrize("value", ["", "  "])
def test_blank_org_unit_filter_means_no_filter(client, auth, value):
    a = post_appeal(client, auth("agent_city"))
    tag = a["content"].split()[-1]
    r = client.get(f"{API}/appeals", params={"org_unit": value, "q": tag}, headers=auth("admin_city"))
    assert r.status_code == 200, r.text
    assert [i["id"] for i in r.json()["items"]] == [a["id"]]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"])
def test_out_of_range_datetimes_are_422_naming_the_field(client, auth, value):
    r = client.post(f"{API}/appeals", json=appeal_body(received_at=value), headers=auth("agent_city"))
    assert r.status_code == 422 and names_field(r, "received_at"), r.text
    for field in ("received_from", "received_to"):
        r = client.get(f"{API}/appeals", params={field: value}, headers=auth("admin_city"))
        assert r.status_code == 422 and names_field(r, field), r.text


def test_nul_characters_are_422_naming_the_field(client, auth, resolved_inquiry):
    r = client.post(f"{API}/appeals", json=appeal_body(content="停电\x00了"), headers=auth("agent_city"))
    assert r.status_code == 422 and names_field(r, "content"), r.text
    r = client.get(f"{API}/appeals", params={"q": "停\x00电"}, headers=auth("admin_city"))
    assert r.status_code == 422 and names_field(r, "q"), r.text
    r = client.post(f"{API}/appeals/{resolved_inquiry['id']}/events",
                    json={"action": "urge", "version": resolved_inquiry["version"], "note": "a\x00b"},
                    headers=auth("admin_city"))
    assert r.status_code == 422 and names_field(r, "note"), r.text


def test_repost_of_a_merged_repeat_call_is_idempotent(client, auth):
    phone = unique_phone()
    first = post_appeal(client, auth("agent_city"), phone=phone)
    body = appeal_body(phone=phone, external_id=token())
    one = client.post(f"{API}/appeals", json=body, headers=auth("agent_city"))
    two = client.post(f"{API}/appeals", json=body, headers=auth("agent_city"))
    assert one.status_code == two.status_code == 200
    assert one.json()["id"] == two.json()["id"] == first["id"]
    assert two.json()["urge_count"] == 1 and two.json()["repeat_call_count"] == 1
    assert len(detail(client, auth("admin_city"), first["id"])["events"]) == 2


@pytest.mark.parametrize(("path", "action"), [((), "cancel"), ((), "reroute"), (("dispatch",), "suspend"),
                                              (("dispatch",), "return")])
@pytest.mark.parametrize("note", [None, "", "   "])
def test_missing_reason_is_422_naming_note(client, auth, path, action, note):
    """Allowed in the status, only the reason is missing: a bad field (422), not a refused action (409)."""
    a = post_appeal(client, auth("agent_city"))
    for step in path:
        a = act(client, auth("admin_city"), a, step)
    body = {"action": action, "version": a["version"], "department": "MARKETING"}
    if note is not None:
        body["note"] = note
    r = client.post(f"{API}/appeals/{a['id']}/events", json=body, headers=auth("admin_city"))
    assert r.status_code == 422 and names_field(r, "note"), r.text
    assert detail(client, auth("admin_city"), a["id"])["version"] == a["version"]
    body["note"] = "客户要求"
    assert client.post(f"{API}/appeals/{a['id']}/events", json=body, headers=auth("admin_city")).status_code == 200


def test_q_finds_by_whole_phone_and_customer_number(client, auth):
    # an all-digit q is also compared with the id: a phone number once overflowed PostgreSQL's integer (500)
    phone, customer_no = unique_phone(), f"05{unique_phone()[3:]}"
    a = post_appeal(client, auth("agent_city"), phone=phone, customer_no=customer_no)
    for q in (phone, customer_no):
        r = client.get(f"{API}/appeals", params={"q": q}, headers=auth("admin_city"))
        assert r.status_code == 200, r.text
        assert [i["id"] for i in r.json()["items"]] == [a["id"]]


@pytest.mark.parametrize("q", ["9" * 20, str(2**31), str(2**63)])
def test_all_digit_q_beyond_the_id_range_is_not_a_500(client, auth, q):
    r = client.get(f"{API}/appeals", params={"q": q}, headers=auth("admin_city"))
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 0


def test_ids_beyond_32_bits_are_refused_not_500(client, auth):
    big = 2**31  # appeals.id is a 32-bit INTEGER on PostgreSQL
    r = client.get(f"{API}/appeals/{big}", headers=auth("admin_city"))
    assert r.status_code in (404, 422), r.text
    r = client.post(f"{API}/appeals/{big}/events", json={"action": "urge", "version": 1}, headers=auth("admin_city"))
    assert r.status_code in (404, 422), r.text
    a = post_appeal(client, auth("agent_city"))
    r = client.post(f"{API}/appeals/{a['id']}/events",
                    json={"action": "cancel", "version": 1, "note": "重复", "duplicate_of": big},
                    headers=auth("agent_city"))
    assert r.status_code == 422 and names_field(r, "duplicate_of"), r.text


# ------------------------------------------------------------------------------------------------ privacy and ops

def test_personal_data_is_masked_in_responses(client, auth):
    phone, name, address, customer_no = unique_phone(), "欧阳小明", "西岭镇新村路18号3栋", "0388776655"
    tag = token()
    a = post_appeal(client, auth("agent_city"), phone=phone, customer_name=name, address=address,
                    customer_no=customer_no, content=f"停电 {tag}")
    full = detail(client, auth("admin_city"), a["id"])
    _, _, items = listing(client, auth("admin_city"), q=tag)
    assert [i["id"] for i in items] == [a["id"]]
    for shown in (a, full, items[0]):
        assert shown["phone"] != phone and shown["phone"].endswith(phone[-4:]) and "*" in shown["phone"]
        assert shown["customer_name"] != name and shown["customer_name"].startswith("欧")
        assert shown["address"] != address and shown["customer_no"] != customer_no
    raw = client.get(f"{API}/appeals", params={"q": tag}, headers=auth("admin_city")).text
    raw += client.get(f"{API}/appeals/{a['id']}", headers=auth("admin_city")).text
    for secret in (phone, name, address, customer_no):
        assert secret not in raw


def test_healthz_and_metrics(client, auth):
    post_appeal(client, auth("agent_city"))
    h = client.get("/healthz")
    assert h.status_code == 200 and h.json()["status"] == "ok"
    m = client.get("/metrics")
    assert m.status_code == 200
    assert "gridvoice_http_requests_total{" in m.text
    assert 'route="/api/v1/appeals"' in m.text
    assert 'route="/appeals"' not in m.text
    assert "gridvoice_appeals{" in m.text and 'status="accepted"' in m.text
