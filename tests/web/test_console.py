"""The console with NiceGUI's simulated user: login and lock-out, pages per role, intake, actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import select

from gridvoice.appeals.schemas import AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.audit.models import AuditEntry
from gridvoice.auth.admin import AccessAdmin
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime

from .conftest import PASSWORD, RETRIES, eventually, login

pytestmark = pytest.mark.anyio


def _actor(username: str) -> Actor:
    role, _, org = username.rpartition("_")
    return Actor(username, Role(role), None if org == "city" else org.upper())


def _appeal(rt: Runtime, business_type: str = "REPAIR", topic: str = "OUTAGE", ta: str = "T111", **extra: object
            ) -> int:
    data = AppealIn(channel="HOTLINE_95598", content="家里停电了", business_type=business_type, topic=topic,
                    urgent=False, transformer_area=ta, **extra)
    return AppealService(rt).intake(data, _actor("agent_city")).appeal.id


def _act(rt: Runtime, appeal_id: int, action: str, who: str, **fields: object) -> None:
    svc = AppealService(rt)
    version = svc.get(appeal_id, _actor("admin_city")).version
    svc.act(appeal_id, EventIn(action=action, version=version, **fields), _actor(who))


async def _status(user: User, status: str) -> None:
    await user.should_see(marker="status", retries=RETRIES)
    await user.should_see(status, retries=RETRIES)


# ------------------------------------------------------------------------------------------ login


async def test_login_shows_the_workbench_with_who_and_where(user: User) -> None:
    await login(user, "dispatcher_c1")
    await user.should_see("dispatcher_c1 · 指挥员 · 东坪县 (C1)")
    await user.should_see(marker="queue-dispatch")


async def test_pages_need_a_login_and_return_to_where_they_were(user: User) -> None:
    response = await user.http_client.get("/appeals", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/appeals"
    await user.open("/appeals?status=accepted")  # follows the redirect to the login form
    await user.should_see(marker="login")
    user.find(marker="username").type("analyst_city")
    user.find(marker="password").type(PASSWORD)
    user.find(marker="login").click()
    await user.should_see(marker="grid", retries=RETRIES)


async def test_wrong_password_and_lock_out_messages(user: User, web_runtime: Runtime) -> None:
    await user.open("/login")
    for _ in range(web_runtime.settings.login_max_failures - 1):
        user.find(marker="password").clear()
        user.find(marker="username").clear()
        user.find(marker="username").type("agent_c1")
        user.find(marker="password").type("not-the-password")
        user.find(marker="login").click()
        await user.should_see("用户名或密码错误", retries=RETRIES)
    user.find(marker="password").clear()
    user.find(marker="password").type("still-not-it")
    user.find(marker="login").click()
    await user.should_see("账户已锁定", retries=RETRIES)
    user.find(marker="password").clear()
    user.find(marker="password").type(PASSWORD)  # even the right password is refused while locked
    user.find(marker="login").click()
    await user.should_see("账户已锁定", retries=RETRIES)
    await user.should_not_see(marker="whoami")


async def test_a_reset_password_must_be_changed_first(user: User, web_runtime: Runtime) -> None:
    temporary = AccessAdmin(web_runtime).reset_password(_actor("admin_city"), "handler_c1", "forgot it")
    await login(user, "handler_c1", temporary, expect="")
    await user.should_see(marker="must-change", retries=RETRIES)
    response = await user.http_client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/password"  # every page sends them here until it is changed
    user.find(marker="old-password").type(temporary)
    user.find(marker="new-password").type("a-brand-new-secret")
    user.find(marker="new-password-again").type("a-brand-new-secret")
    user.find(marker="save-password").click()
    await user.should_see("我的工作台", retries=RETRIES)
    await user.should_see(marker="queue-receive")


async def test_a_password_reset_ends_open_sessions(user: User, web_runtime: Runtime) -> None:
    await login(user, "handler_c1")
    AccessAdmin(web_runtime).reset_password(_actor("admin_city"), "handler_c1", "phone stolen")
    response = await user.http_client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_deactivated_users_are_logged_out(user: User, web_runtime: Runtime) -> None:
    await login(user, "agent_c1")
    AccessAdmin(web_runtime).update_user(_actor("admin_city"), "agent_c1", active=False, reason="left")
    response = await user.http_client.get("/intake", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_logout_ends_the_session(user: User) -> None:
    await login(user, "agent_city")
    user.find(marker="logout").click()
    await user.should_see(marker="login", retries=RETRIES)
    response = await user.http_client.get("/", follow_redirects=False)
    assert response.status_code == 303


async def test_english_switch_is_kept_in_the_session(user: User) -> None:
    await login(user, "agent_city")
    user.find(marker="lang").click()
    await user.should_see("My workbench", retries=RETRIES)
    await user.should_see("agent_city · Agent · Whole company")
    await user.open("/intake")
    await user.should_see("Appeal intake", retries=RETRIES)


# ------------------------------------------------------------------------------------------ pages per role

PAGES = {  # path: (a role that may open it and what it shows, a role that may not)
    "/intake": (("agent_city", "save"), "handler_city"),
    "/appeals": (("analyst_c1", "grid"), None),
    "/supervision": (("county_manager_c1", "overdue-queue"), "agent_city"),
    "/duty": (("duty_officer_city", "surge-card"), "county_manager_city"),
    "/admin": (("admin_city", "tab-users"), "dispatcher_city"),
    "/analysis": (("analyst_city", "risk-weights"), "agent_city"),
}


@pytest.mark.parametrize("path", sorted(PAGES))
async def test_each_page_renders_for_its_roles_and_is_denied_to_others(user: User, path: str) -> None:
    (allowed, marker), denied = PAGES[path]
    await login(user, allowed)
    await user.open(path)
    await user.should_see(marker=marker, retries=RETRIES)
    await user.should_see(marker="whoami")
    if denied is None:
        return
    await user.open("/logout")
    await login(user, denied)
    response = await user.http_client.get(path)
    assert response.status_code == 403 and "无权访问此页面" in response.text
    nav = [link.props["href"] for link in user.find(kind=ui.link).elements]
    assert path not in nav  # the navigation does not offer it either


@pytest.mark.parametrize(("who", "marker"), [
    ("agent_city", "queue-first-contact"), ("dispatcher_city", "queue-dispatch"), ("handler_c1", "queue-receive"),
    ("county_manager_c1", "queue-review"), ("city_supervisor_city", "queue-warned"), ("analyst_city", "queue-open"),
    ("duty_officer_city", "queue-warned"), ("admin_city", "queue-dispatch"),
])
async def test_the_workbench_shows_each_role_its_queues(user: User, web_runtime: Runtime, who: str,
                                                         marker: str) -> None:
    _appeal(web_runtime)
    await login(user, who)
    await user.should_see(marker=marker, retries=RETRIES)


async def test_workbench_queues_hold_the_roles_work(user: User, web_runtime: Runtime) -> None:
    repair = _appeal(web_runtime)
    inquiry = _appeal(web_runtime, "INQUIRY", "PAYMENT_TARIFF", "T221")
    await login(user, "dispatcher_city")
    dispatch_table = user.find(marker="queue-dispatch-table").elements.pop()
    assert {row["id"] for row in dispatch_table.rows} == {repair, inquiry}
    await user.open("/logout")
    await login(user, "agent_city")
    first_contact = user.find(marker="queue-first-contact-table").elements.pop()
    assert [row["id"] for row in first_contact.rows] == [inquiry]  # only inquiries are answered on first contact
    await user.open("/logout")
    _act(web_runtime, repair, "dispatch", "dispatcher_city")
    await login(user, "handler_c1")
    receive = user.find(marker="queue-receive-table").elements.pop()
    assert [row["id"] for row in receive.rows] == [repair]


# ------------------------------------------------------------------------------------------ intake


async def test_intake_with_lookup_history_and_repeat_call(user: User, web_runtime: Runtime) -> None:
    earlier = _appeal(web_runtime, customer_no="0300000001")
    await login(user, "agent_city")
    await user.open("/intake")
    user.find(marker="customer_no").type("0300000001").trigger("keydown.enter")
    await user.should_see(marker="customer", retries=RETRIES)
    await user.should_see("陈**", retries=RETRIES)  # masked, as in lists
    await user.should_see(marker="repeat-caller")
    await user.should_see(marker="open-appeals")
    user.find(marker="content").type("家里又停电了，请尽快处理")
    user.find(marker="content").trigger("keydown.ctrl.enter")
    await user.should_see(marker="outcome-merged_as_urge", retries=RETRIES)
    link = user.find(marker="new-appeal-link").elements.pop()
    assert link.props["href"] == f"/appeals/{earlier}"
    assert user.find(marker="content").elements.pop().value == ""  # ready for the next call

    user.find(marker="phone").type("13912345678")
    user.find(marker="content").type("想咨询一下峰谷电价怎么收费")
    user.find(marker="topic").trigger("keydown.ctrl.enter")
    await user.should_see(marker="outcome-created", retries=RETRIES)
    created = int(user.find(marker="new-appeal-link").elements.pop().text.lstrip("#"))
    appeal = AppealService(web_runtime).get(created, _actor("admin_city"))
    assert appeal.labels_source != "given"  # business type and topic left empty: the labeller filled them
    assert appeal.channel == "HOTLINE_95598" and appeal.phone == "139****5678"


async def test_intake_suggests_labels_and_keeps_the_agents_choice(user: User, web_runtime: Runtime) -> None:
    await login(user, "agent_city")
    await user.open("/intake")
    user.find(marker="content").type("我家门口电线冒烟了，很危险").trigger("blur")
    await user.should_see(marker="suggestion", retries=RETRIES)
    await user.should_see("系统建议", retries=RETRIES)
    business_type = user.find(marker="business_type").elements.pop()
    topic = user.find(marker="topic").elements.pop()
    guess = web_runtime.labeller.label("我家门口电线冒烟了，很危险", "HOTLINE_95598")
    assert (business_type.value, topic.value) == (guess.business_type.value, guess.topic.value)
    user.find(marker="content").trigger("keydown.ctrl.enter")  # taken as suggested: the service labels it
    await user.should_see(marker="outcome-created", retries=RETRIES)
    taken = int(user.find(marker="new-appeal-link").elements.pop().text.lstrip("#"))
    assert AppealService(web_runtime).get(taken, _actor("admin_city")).labels_source != "given"

    user.find(marker="content").type("表扬抢修班的师傅，半夜冒雨来修好了").trigger("blur")
    await user.should_see("系统建议", retries=RETRIES)
    user.find(marker="topic").elements.pop().value = "STAFF_CONDUCT"  # the agent knows better
    user.find(marker="content").trigger("keydown.ctrl.enter")

    def saved_again() -> bool:
        links = user.find(marker="new-appeal-link").elements
        return bool(links) and links.pop().text != f"#{taken}"

    await eventually(saved_again)
    chosen = int(user.find(marker="new-appeal-link").elements.pop().text.lstrip("#"))
    appeal = AppealService(web_runtime).get(chosen, _actor("admin_city"))
    assert appeal.topic == "STAFF_CONDUCT" and appeal.labels_source == "given"


async def test_intake_refuses_an_empty_content(user: User) -> None:
    await login(user, "agent_city")
    await user.open("/intake")
    user.find(marker="save").click()
    await eventually(lambda: user.notify.contains("content"))
    await user.should_not_see(marker="outcome-created")


# ------------------------------------------------------------------------------------------ detail


async def test_dispatch_on_the_detail_page(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime)
    await login(user, "dispatcher_city")
    await user.open(f"/appeals/{appeal_id}")
    await _status(user, "已受理")
    await user.should_see(marker="countdown-dispatch")
    await user.should_not_see(marker="action-receive")  # not allowed before dispatch
    user.find(marker="action-dispatch").click()
    await user.should_see(marker="action-dialog", retries=RETRIES)
    user.find(marker="note").type("请东坪供电所处理")
    user.find(marker="confirm").click()
    await _status(user, "已派单")
    await user.should_see("请东坪供电所处理")  # in the timeline
    assert AppealService(web_runtime).get(appeal_id, _actor("admin_city")).status == "dispatched"


async def test_a_callback_records_verdict_scores_and_reason(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime, business_type="COMPLAINT", topic="STAFF_CONDUCT")
    for action, who in (("dispatch", "dispatcher_city"), ("receive", "handler_c1"), ("resolve", "handler_c1"),
                        ("review", "dispatcher_city")):
        _act(web_runtime, appeal_id, action, who, note="处理完毕")
    await login(user, "agent_city")
    await user.open(f"/appeals/{appeal_id}")
    await user.should_see(marker="action-callback", retries=RETRIES)
    user.find(marker="action-callback").click()
    await user.should_see(marker="action-dialog", retries=RETRIES)
    user.find(marker="verdict").elements.pop().value = "dissatisfied"
    user.find(marker="score-attitude").elements.pop().value = 2
    user.find(marker="score-speed").elements.pop().value = 7
    user.find(marker="callback-reason").type("工作人员态度差")
    user.find(marker="confirm").click()
    service = AppealService(web_runtime)

    def called_back() -> bool:
        return any(e.action == "callback" for e in service.get(appeal_id, _actor("admin_city")).events)

    await eventually(called_back)
    callback = next(e for e in service.get(appeal_id, _actor("admin_city")).events if e.action == "callback")
    assert callback.data["verdict"] == "dissatisfied"
    assert callback.data["scores"] == {"attitude": 2, "speed": 7}
    assert callback.data["reason"] == "工作人员态度差"


async def test_labels_are_corrected_on_the_detail_page(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime, business_type="REPAIR", topic="OUTAGE")
    await login(user, "agent_city")
    await user.open(f"/appeals/{appeal_id}")
    await user.should_see(marker="correct-labels", retries=RETRIES)
    user.find(marker="correct-labels").click()
    await user.should_see(marker="label-dialog", retries=RETRIES)
    user.find(marker="label-business-type").elements.pop().value = "COMPLAINT"
    user.find(marker="label-topic").elements.pop().value = "STAFF_CONDUCT"
    user.find(marker="label-confirm").click()
    service = AppealService(web_runtime)
    await eventually(lambda: service.get(appeal_id, _actor("admin_city")).topic == "STAFF_CONDUCT")
    appeal = service.get(appeal_id, _actor("admin_city"))
    assert appeal.business_type == "COMPLAINT" and appeal.labels_source == "corrected"


async def test_handler_sees_only_what_role_and_state_allow(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime)
    _act(web_runtime, appeal_id, "dispatch", "dispatcher_city")
    await login(user, "handler_c1")
    await user.open(f"/appeals/{appeal_id}")
    await _status(user, "已派单")
    shown = {m.removeprefix("action-") for e in user.find(kind=ui.button).elements for m in e._markers
             if m.startswith("action-")}
    assert shown == {"receive", "return", "suspend"}  # not dispatch (done), urge or cancel (not a handler's)
    user.find(marker="action-receive").click()
    user.find(marker="confirm").click()
    await _status(user, "已接单")
    await user.should_see(marker="action-arrive", retries=RETRIES)  # a repair: arrive before resolving
    await user.should_not_see(marker="action-resolve")


async def test_a_conflict_is_shown_and_the_page_refreshed(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime)
    await login(user, "dispatcher_city")
    await user.open(f"/appeals/{appeal_id}")
    await _status(user, "已受理")
    _act(web_runtime, appeal_id, "dispatch", "admin_city")  # someone else was faster
    user.find(marker="action-dispatch").click()
    user.find(marker="confirm").click()
    await eventually(lambda: user.notify.contains("stale version"))
    await _status(user, "已派单")  # refreshed


async def test_a_reason_is_required_and_reveal_is_audited(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime, customer_no="0300000001")
    await login(user, "agent_city")
    await user.open(f"/appeals/{appeal_id}")
    await user.should_see("陈**", retries=RETRIES)
    user.find(marker="action-cancel").click()
    user.find(marker="confirm").click()
    await eventually(lambda: user.notify.contains("此操作必须填写原因"))
    user.find(marker="reveal").click()
    user.find(marker="reveal-reason").type("客户来电核实身份")
    user.find(marker="reveal-confirm").click()
    await user.should_see("陈大文", retries=RETRIES)
    with web_runtime.sessions() as session:
        record = session.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data.reveal")).one()
    assert (record.actor, record.reason) == ("agent_city", "客户来电核实身份")


async def test_an_appeal_outside_the_territory_is_not_found(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime, ta="T221")  # county C2
    await login(user, "dispatcher_c1")
    response = await user.http_client.get(f"/appeals/{appeal_id}")
    assert response.status_code == 404


# ------------------------------------------------------------------------------------------ list, supervision, duty


async def test_list_filters_pages_and_exports(user: User, web_runtime: Runtime) -> None:
    for _ in range(3):
        _appeal(web_runtime)
    _appeal(web_runtime, "INQUIRY", "PAYMENT_TARIFF", "T221")
    await login(user, "dispatcher_city")
    await user.open("/appeals?business_type=INQUIRY")
    await user.should_see("共 1 条", retries=RETRIES)
    grid = user.find(marker="grid").elements.pop()
    assert [row["business_type"] for row in grid.options["rowData"]] == ["咨询查询"]
    user.find(marker="filter-business_type").clear()
    user.find(marker="search").click()
    await user.should_see("共 4 条", retries=RETRIES)
    user.find(marker="export-csv").click()
    response = await user.download.next(timeout=10)
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("工单编号") and len(text.splitlines()) == 5


async def test_supervision_urges_in_one_click(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime)
    svc = AppealService(web_runtime)
    svc.sla_check(datetime.now(UTC) + timedelta(minutes=10))  # the 5-minute dispatch limit has passed
    await login(user, "dispatcher_city")
    await user.open("/supervision")
    await user.should_see(marker="board", retries=RETRIES)
    user.find(marker="overdue-table").trigger("act", {"id": appeal_id, "action": "urge"})
    await user.should_see(f"#{appeal_id} 催办: 已完成", retries=RETRIES)
    assert svc.get(appeal_id, _actor("admin_city")).urge_count == 1


async def test_duty_screen(user: User, web_runtime: Runtime) -> None:
    AppealService(web_runtime).intake(AppealIn(channel="APP", content="线路掉落有危险", business_type="REPAIR",
                                               topic="FACILITY_SAFETY", urgent=True, transformer_area="T221"),
                                      _actor("agent_city"))
    await login(user, "duty_officer_city")
    await user.open("/duty")
    await user.should_see(marker="surge-table", retries=RETRIES)
    await user.should_see("西岭县")
    await user.should_see(marker="urgent")


# ------------------------------------------------------------------------------------------ admin


async def test_admin_creates_a_user_and_resets_a_password(user: User, web_runtime: Runtime) -> None:
    await login(user, "admin_city")
    await user.open("/admin")
    await user.should_see(marker="user-agent_city", retries=RETRIES)
    user.find(marker="new-username").type("new_agent")
    user.find(marker="create-user").click()
    await user.should_see(marker="generated-password", retries=RETRIES)
    password = user.find(marker="generated-password").elements.pop().text
    assert AccessAdmin(web_runtime).login("new_agent", password).must_change_password
    user.find(marker="password-done").click()
    user.find(marker="reset-handler_c1").click()
    user.find(marker="reason").type("forgot")
    user.find(marker="reason-confirm").click()
    await user.should_see("已重置 handler_c1 的密码", retries=RETRIES)
    user.find(marker="tab-org").click()
    await user.should_see(marker="org-tree")
    user.find(marker="tab-sla").click()
    await user.should_see(marker="sla-table")



async def test_admin_edits_the_sla_policies_as_a_new_version(user: User, web_runtime: Runtime) -> None:
    appeal_id = _appeal(web_runtime)
    await login(user, "admin_city")
    await user.open("/admin")
    user.find(marker="tab-sla").click()
    await user.should_see(marker="sla-source", retries=RETRIES)
    editor = user.find(marker="sla-text").elements.pop()
    shipped = editor.value
    editor.value = shipped.replace('version = "', 'version = "console-', 1)
    user.find(marker="sla-check").click()
    await user.should_see("规则有效：版本 console-", retries=RETRIES)
    editor.value = "version = "  # broken TOML is refused with the reason, nothing stored
    user.find(marker="sla-save").click()
    await user.should_see("TOML", retries=RETRIES)
    assert "console-" not in web_runtime.sla.version
    editor.value = shipped.replace('version = "', 'version = "console-', 1)
    user.find(marker="sla-note").type("演练")
    user.find(marker="sla-save").click()
    await eventually(lambda: web_runtime.sla.version.startswith("console-"))
    detail = AppealService(web_runtime).get(appeal_id, _actor("admin_city"))
    assert detail.policy_version.startswith("console-") and detail.events[-1].action == "recompute"
