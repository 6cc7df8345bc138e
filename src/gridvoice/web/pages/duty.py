"""总值长: one screen with open repairs by county, urgent open appeals and the surge check per county."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.responses import Response
from nicegui import ui

from gridvoice.appeals.duty import BASELINE_DAYS, SURGE_FACTOR, SURGE_MIN, WINDOW, DutyOverview, duty_overview
from gridvoice.appeals.service import COUNT_CAP
from gridvoice.domain.roles import Permission
from gridvoice.web.i18n import Texts, local_time
from gridvoice.web.layout import appeal_table, attempt, counter, refreshing_page
from gridvoice.web.session import PageContext, console_page, io

REFRESH_SECONDS = 60


class DutyView:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx, self.t = ctx, ctx.texts
        with ui.row().classes("items-center gap-4 px-4 pt-4"):
            ui.label(self.t("总值长")).classes("text-h5")
            ui.button(icon="refresh", on_click=self.show).props("flat round").tooltip(self.t("刷新"))
            self.updated = ui.label().classes("text-caption text-grey-7").mark("updated")
        self.body = ui.column().classes("w-full p-4 gap-4")

    async def show(self) -> None:
        async def work() -> None:
            overview = await io(duty_overview, self.ctx.console.appeals, self.ctx.actor)
            self.body.clear()
            with self.body:
                self._render(overview)
            self.updated.text = f"{self.t('更新于')} {local_time(datetime.now(UTC), seconds=True)}"
        await attempt(self.t, work)

    def _render(self, o: DutyOverview) -> None:
        t = self.t
        with ui.row().classes("gap-4"):
            counter(t("抢修未结"), o.open_repairs_total, "primary", "count-repairs")
            counter(t("紧急未结"), o.urgent_open_total, "negative", "count-urgent", COUNT_CAP)
            counter(t("激增县公司"), len(o.surges), "deep-orange" if o.surges else "positive", "count-surges")
        if o.surges:
            with ui.card().classes("w-full bg-red-1 text-negative").mark("surge-alert"):
                ui.label(t("诉求激增：") + "、".join(f"{c.name} {c.recent}" for c in o.surges)).classes("text-h6")
        with ui.grid(columns=2).classes("w-full gap-4"):
            self._repairs(o)
            self._surges(o)
        with ui.card().classes("w-full").mark("urgent-card"):
            ui.label(t("紧急未结工单（最新在前）")).classes("text-h6")
            if o.urgent_open:
                appeal_table(t, o.urgent_open, marker="urgent")
            else:
                ui.label(t("没有未结的紧急工单。")).classes("text-positive")

    def _repairs(self, o: DutyOverview) -> None:
        t = self.t
        with ui.card().mark("repairs-card"):
            ui.label(t("各县公司未结抢修工单")).classes("text-h6")
            if not o.open_repairs:
                ui.label(t("没有未结的抢修工单。")).classes("text-positive")
                return
            top = max(c.count for c in o.open_repairs)
            with ui.grid(columns="auto auto 1fr").classes("items-center gap-x-4 w-full"):
                for c in o.open_repairs:
                    ui.label(c.name)
                    ui.label(f"{c.count:,}").classes("text-right")
                    ui.linear_progress(c.count / top, show_value=False).props("rounded size=10px")

    def _surges(self, o: DutyOverview) -> None:
        t = self.t
        hours = int(WINDOW.total_seconds() // 3600)
        with ui.card().mark("surge-card"):
            ui.label(t("近 {h} 小时诉求量与前 {d} 天同时段均值").format(h=hours, d=BASELINE_DAYS)).classes("text-h6")
            ui.label(_surge_rule(t)).classes("text-caption text-grey-7")
            columns = [{"name": "name", "label": t("县公司"), "field": "name", "align": "left"},
                       {"name": "recent", "label": t("近 {h} 小时").format(h=hours), "field": "recent"},
                       {"name": "baseline", "label": t("同时段均值"), "field": "baseline"},
                       {"name": "ratio", "label": t("倍数"), "field": "ratio"},
                       {"name": "flag", "label": t("激增"), "field": "flag"}]
            rows = [{"name": c.name, "recent": c.recent, "baseline": f"{c.baseline:.1f}",
                     "ratio": f"{c.ratio:.1f}×" if c.ratio is not None else "—",
                     "flag": t("激增") if c.surge else ""} for c in o.counties]
            ui.table(columns=columns, rows=rows, row_key="name").props("dense flat").classes("w-full").mark(
                "surge-table")


def _surge_rule(t: Texts) -> str:
    return t("激增：近时段量达到均值的 {f:g} 倍且不少于 {n} 件").format(f=SURGE_FACTOR, n=SURGE_MIN)


@console_page("/duty", Permission.DUTY_VIEW)
async def duty_page(ctx: PageContext) -> Response | None:
    await refreshing_page(ctx, "总值长", DutyView, REFRESH_SECONDS)
    return None
