"""工单列表: filters of `GET /api/v1/appeals`, one page at a time from the server in an AG Grid, and the export
of the filtered set (XLSX/CSV, masked, audited) through `export_appeals`."""

from __future__ import annotations

import math
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fastapi.responses import Response
from nicegui import ui

from gridvoice.appeals.exporter import export_appeals
from gridvoice.appeals.schemas import AppealFilters, AppealOut
from gridvoice.appeals.service import COUNT_CAP
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.lifecycle import Status
from gridvoice.domain.roles import Permission
from gridvoice.domain.sla import Warning
from gridvoice.domain.taxonomy import BusinessType, Channel, Department, Topic
from gridvoice.errors import BadInput
from gridvoice.web.i18n import Texts, local_time
from gridvoice.web.layout import attempt, frame
from gridvoice.web.queries import count_capped, org_options
from gridvoice.web.session import PageContext, console_page, io

PAGE_SIZES = (20, 50, 100)
# a bigger set is exported with `gridvoice export appeals` (streamed to a file, not through the browser)
EXPORT_LIMIT = 100_000
MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".csv": "text/csv"}
FILTER_NAMES = ("status", "business_type", "topic", "org_unit", "channel", "warning", "department")


def _day(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(), LOCAL_TZ)
    except ValueError:
        raise BadInput(field, f"not a date (YYYY-MM-DD): '{value}'") from None


class FilterBar:
    def __init__(self, ctx: PageContext, initial: dict[str, str | None]) -> None:
        t = ctx.texts
        options: dict[str, dict[str, str]] = {
            "status": {s.value: t.status(s.value) for s in Status},
            "business_type": {b.value: t.label(b.value) for b in BusinessType},
            "topic": {x.value: t.label(x.value) for x in Topic},
            "org_unit": org_options(ctx.console.runtime, ctx.actor.org_code),
            "channel": {c.value: t.label(c.value) for c in Channel},
            "warning": {w.value: t.warning(w.value) for w in Warning},
            "department": {d.value: t.label(d.value) for d in Department},
        }
        labels = {"status": "状态", "business_type": "业务类型", "topic": "诉求主题", "org_unit": "责任单位",
                  "channel": "受理渠道", "warning": "预警", "department": "责任部门"}
        self.selects = {
            name: ui.select(options[name], label=t(labels[name]), clearable=True, with_input=True,
                            value=initial.get(name) if initial.get(name) in options[name] else None)
            .classes("min-w-40").mark(f"filter-{name}")
            for name in FILTER_NAMES}
        self.received_from = ui.input(t("受理日期从")).props("type=date stack-label").mark("filter-from")
        self.received_to = ui.input(t("受理日期至")).props("type=date stack-label").mark("filter-to")
        self.q = ui.input(t("关键字 / 户号 / 电话 / 工单号"), value=initial.get("q") or "").props(
            "clearable").classes("min-w-64").mark("filter-q")

    def filters(self) -> AppealFilters:
        values: dict[str, Any] = {name: s.value or None for name, s in self.selects.items()}
        until = _day(self.received_to.value, "received_to")
        return AppealFilters(**values, received_from=_day(self.received_from.value, "received_from"),
                             received_to=until + timedelta(days=1) if until else None, q=self.q.value or None)


def _columns(t: Texts) -> list[dict[str, Any]]:
    names = (("id", "工单编号", 110), ("received_at", "受理时间", 150), ("status", "状态", 100),
             ("business_type", "业务类型", 110), ("topic", "诉求主题", 140), ("channel", "受理渠道", 120),
             ("org_unit", "责任单位", 100), ("department", "责任部门", 90), ("warning", "预警", 100),
             ("urgent", "紧急", 70), ("customer_name", "客户姓名", 100), ("phone", "联系电话", 130),
             ("content", "诉求内容", 320))
    return [{"field": field, "headerName": t(label), "width": width} for field, label, width in names]


def _rows(t: Texts, items: list[AppealOut]) -> list[dict[str, Any]]:
    return [{"id": a.id, "received_at": local_time(a.received_at), "status": t.status(a.status),
             "business_type": t.label(a.business_type), "topic": t.label(a.topic), "channel": t.label(a.channel),
             "org_unit": a.org_unit, "department": t.label(a.department), "warning": t.warning(a.warning),
             "urgent": t.flag(a.urgent), "customer_name": a.customer_name or "", "phone": a.phone or "",
             "content": a.content} for a in items]


def _export(ctx: PageContext, filters: AppealFilters, suffix: str) -> tuple[bytes, str]:
    service = ctx.console.appeals
    if count_capped(service, service.filtered(filters, ctx.actor), EXPORT_LIMIT + 1) > EXPORT_LIMIT:
        raise BadInput("filters", f"more than {EXPORT_LIMIT:,} appeals match: narrow the filters or use "
                                  "`gridvoice export appeals` on the server")
    name = f"appeals-{datetime.now(LOCAL_TZ):%Y%m%d-%H%M%S}{suffix}"
    with tempfile.TemporaryDirectory(prefix="gridvoice-export-") as folder:
        out = Path(folder) / name
        export_appeals(service, filters, ctx.actor, out, lang=ctx.texts.lang)
        return out.read_bytes(), name


class AppealListView:
    """Filters, one page of appeals at a time from the server, the pager and the export buttons."""

    def __init__(self, ctx: PageContext, initial: dict[str, str | None]) -> None:
        self.ctx, self.t = ctx, ctx.texts
        self.page, self.page_size = 1, PAGE_SIZES[1]
        t = self.t
        with ui.column().classes("w-full p-4 gap-2"):
            with ui.row().classes("items-end gap-2"):
                self.bar = FilterBar(ctx, initial)
                ui.button(t("查询"), icon="search", on_click=self.first_page).props("color=primary").mark("search")
            self.grid = ui.aggrid({"columnDefs": _columns(t), "rowData": [], "defaultColDef": {"resizable": True}},
                                  auto_size_columns=False).classes("w-full h-[60vh]").mark("grid")
            with ui.row().classes("items-center gap-4"):
                self.total = ui.label().mark("total")
                self.pager = ui.pagination(1, 1, direction_links=True, value=1,
                                           on_change=lambda e: self.to_page(e.value)).mark("pager")
                ui.select({n: f"{n} / {t('页')}" for n in PAGE_SIZES}, value=self.page_size,
                          on_change=lambda e: self.resize(e.value)).mark("page-size")
                ui.space()
                if ctx.may(Permission.EXPORT_APPEALS):
                    for suffix, label in ((".xlsx", "导出 XLSX"), (".csv", "导出 CSV")):
                        ui.button(t(label), icon="download", on_click=lambda x=suffix: self.download(x)).props(
                            "outline").mark(f"export-{suffix[1:]}")
        self.bar.q.on("keydown.enter", self.first_page)
        self.grid.on("cellClicked", lambda e: ui.navigate.to(f"/appeals/{e.args['data']['id']}"))

    async def load(self) -> None:
        async def work() -> None:
            ctx, t = self.ctx, self.t
            items, count = await io(ctx.console.appeals.list, self.bar.filters(), ctx.actor, self.page,
                                    self.page_size)
            self.grid.options["rowData"] = _rows(t, items)
            self.grid.update()
            capped = count >= COUNT_CAP
            self.total.text = t("共 {n} 条").format(n=f"{count:,}" + ("+" if capped else "")) + (
                t("（超过 2,000 条，请缩小筛选范围）") if capped else "")
            self.pager.max = max(1, math.ceil(count / self.page_size))
            self.pager.update()
        await attempt(self.t, work)

    async def first_page(self) -> None:
        self.page = 1
        self.pager.value = 1
        await self.load()

    async def to_page(self, value: int) -> None:
        if value != self.page:
            self.page = value
            await self.load()

    async def resize(self, value: int) -> None:
        self.page_size = value
        await self.first_page()

    async def download(self, suffix: str) -> None:
        async def work() -> None:
            content, name = await io(_export, self.ctx, self.bar.filters(), suffix)
            ui.download.content(content, name, MEDIA[suffix])
        await attempt(self.t, work)


@console_page("/appeals", Permission.READ_APPEALS)
async def appeal_list_page(ctx: PageContext, status: str | None = None, warning: str | None = None,
                           business_type: str | None = None, topic: str | None = None, org_unit: str | None = None,
                           channel: str | None = None, department: str | None = None,
                           q: str | None = None) -> Response | None:
    frame(ctx, "工单列表")
    initial = {"status": status, "warning": warning, "business_type": business_type, "topic": topic,
               "org_unit": org_unit, "channel": channel, "department": department, "q": q}
    view = AppealListView(ctx, initial)
    await view.load()
    return None
