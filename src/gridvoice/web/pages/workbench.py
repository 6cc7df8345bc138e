"""工作台: the user's queues by role, their counts, and the warned appeals of the territory."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi.responses import Response
from nicegui import app, ui

from gridvoice.appeals.schemas import AppealFilters
from gridvoice.appeals.service import COUNT_CAP
from gridvoice.domain.lifecycle import FIRST_CONTACT_TYPES, OPEN, Status
from gridvoice.domain.roles import Role
from gridvoice.domain.taxonomy import Department
from gridvoice.web.layout import appeal_table, counter, frame
from gridvoice.web.queries import Queue, queue
from gridvoice.web.session import PageContext, console_page, io

DEPARTMENT_KEY = "department"
REFRESH_SECONDS = 60
_OPEN = tuple(s.value for s in OPEN)
_WARNED = ("yellow", "red")


@dataclass(frozen=True)
class Section:
    title: str
    statuses: tuple[str, ...]
    business_types: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    hint: str = ""
    marker: str = field(default="")


_OPERATIONS = (
    Section("待派单", (Status.ACCEPTED.value,), hint="已受理、待派往责任部门的工单", marker="queue-dispatch"),
    Section("预警工单", _OPEN, warnings=_WARNED, hint="黄色预警与红色超时，请催办或升级督办", marker="queue-warned"),
    Section("待审核", (Status.RESOLVED.value,), hint="处理部门已办结、待审核的工单", marker="queue-review"),
)
SECTIONS: dict[Role, tuple[Section, ...]] = {
    Role.AGENT: (
        Section("待办结（一次办结）", (Status.ACCEPTED.value,), tuple(b.value for b in FIRST_CONTACT_TYPES),
                hint="咨询、表扬、意见类工单可在受理时直接办结", marker="queue-first-contact"),
        Section("待回访", (Status.RESOLVED.value, Status.REVIEWED.value), hint="已办结、待回访客户的工单",
                marker="queue-callback"),
        Section("待归档", (Status.CALLED_BACK.value,), hint="已回访、待归档的工单", marker="queue-archive"),
    ),
    Role.DISPATCHER: _OPERATIONS, Role.DUTY_OFFICER: _OPERATIONS, Role.ADMIN: _OPERATIONS,
    Role.HANDLER: (
        Section("待接单", (Status.DISPATCHED.value,), hint="已派到本单位、待接单的工单", marker="queue-receive"),
        Section("处理中", (Status.RECEIVED.value, Status.ARRIVED.value), hint="已接单：抢修须先到达现场再办结",
                marker="queue-handling"),
        Section("已挂起", (Status.SUSPENDED.value,), hint="因客户原因暂停计时的工单", marker="queue-suspended"),
    ),
    Role.COUNTY_MANAGER: (
        Section("待审核", (Status.RESOLVED.value,), hint="处理部门已办结、待审核的工单", marker="queue-review"),
        Section("预警工单", _OPEN, warnings=_WARNED, hint="黄色预警与红色超时", marker="queue-warned"),
    ),
    Role.CITY_SUPERVISOR: (
        Section("预警工单", _OPEN, warnings=_WARNED, hint="黄色预警与红色超时", marker="queue-warned"),
        Section("待审核", (Status.RESOLVED.value,), hint="处理部门已办结、待审核的工单", marker="queue-review"),
    ),
    Role.ANALYST: (
        Section("处理中的工单", _OPEN, hint="本辖区尚未办结的工单", marker="queue-open"),
        Section("预警工单", _OPEN, warnings=_WARNED, hint="黄色预警与红色超时", marker="queue-warned"),
    ),
}


def _list_link(section: Section) -> str | None:
    if len(section.statuses) == 1 and not section.business_types:
        return "/appeals?" + urlencode({"status": section.statuses[0]})
    if section.warnings == _WARNED:
        return "/appeals?" + urlencode({"warning": "red"})
    return None


def _load(ctx: PageContext, department: str | None) -> tuple[list[Queue], dict[str, int]]:
    service, actor = ctx.console.appeals, ctx.actor
    queues = [queue(service, actor, s.statuses, s.business_types, s.warnings, department, limit=10)
              for s in SECTIONS[actor.role]]
    warned = {w: service.list(AppealFilters(warning=w), actor, 1, 1)[1] for w in _WARNED}
    return queues, warned


@console_page("/")
async def workbench_page(ctx: PageContext) -> Response | None:
    t = ctx.texts
    frame(ctx, "工作台")
    department_options = {"": t("全部部门")} | {d.value: t.label(d.value) for d in Department}

    @ui.refreshable
    async def content() -> None:
        department = app.storage.user.get(DEPARTMENT_KEY) or None
        queues, warned = await io(_load, ctx, department)
        with ui.row().classes("gap-4"):
            for section, q in zip(SECTIONS[ctx.actor.role], queues, strict=True):
                counter(t(section.title), q.total, "primary", f"count-{section.marker}", COUNT_CAP)
            counter(t("黄色预警"), warned["yellow"], "warning", "count-yellow", COUNT_CAP)
            counter(t("红色超时"), warned["red"], "negative", "count-red", COUNT_CAP)
        for section, q in zip(SECTIONS[ctx.actor.role], queues, strict=True):
            _section(ctx, section, q)

    def choose(value: str) -> None:
        app.storage.user[DEPARTMENT_KEY] = value
        content.refresh()

    with ui.column().classes("w-full p-4 gap-4"):
        with ui.row().classes("items-center gap-4"):
            ui.label(t("我的工作台")).classes("text-h5")
            ui.select(department_options, value=app.storage.user.get(DEPARTMENT_KEY) or "", label=t("责任部门"),
                      on_change=lambda e: choose(e.value)).classes("w-48").mark("department")
            ui.button(icon="refresh", on_click=content.refresh).props("flat round").tooltip(t("刷新"))
        await content()
    ui.timer(REFRESH_SECONDS, content.refresh, immediate=False)  # the content above was built with its data
    return None


def _section(ctx: PageContext, section: Section, q: Queue) -> None:
    t = ctx.texts
    with ui.card().classes("w-full").mark(section.marker):
        with ui.row().classes("items-center gap-2"):
            ui.label(t(section.title)).classes("text-h6")
            ui.badge(f"{q.total:,}")
            ui.label(t(section.hint)).classes("text-caption text-grey-7")
            link = _list_link(section)
            if link:
                ui.link(t("查看全部"), link).classes("text-sm")
        if q.items:
            appeal_table(t, q.items, marker=f"{section.marker}-table")
        else:
            ui.label(t("暂无工单")).classes("text-grey-6")
