"""督办: yellow and red appeals by unit and department, and the overdue queue with one-click urge / escalate.
Refreshes itself every 30 s."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.responses import Response
from nicegui import ui

from gridvoice.appeals.schemas import AppealOut, EventIn, SupervisionRow
from gridvoice.domain.lifecycle import Action
from gridvoice.domain.roles import Permission, may_act
from gridvoice.web.i18n import local_time
from gridvoice.web.layout import WARNING_COLOR, attempt, refreshing_page
from gridvoice.web.session import PageContext, console_page, io

REFRESH_SECONDS = 30
QUEUE_LIMIT = 100
# rows drawn at once: the browser builds a page of a table, not all of it (100 rows with buttons took ~0.5 s)
QUEUE_PAGE, BOARD_PAGE = 20, 15
LEVELS = ("county", "station", "org_unit")
ONE_CLICK = (Action.URGE, Action.ESCALATE)
QUEUE_HEADS = ("工单编号", "预警", "业务类型", "责任单位", "责任部门", "最近时限", "剩余", "催办次数", "操作")


def _load(ctx: PageContext, level: str) -> tuple[list[SupervisionRow], list[AppealOut]]:
    service = ctx.console.appeals
    return service.supervision(ctx.actor, level), service.overdue_queue(ctx.actor, QUEUE_LIMIT)


class SupervisionView:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx, self.t = ctx, ctx.texts
        t = self.t
        with ui.row().classes("items-center gap-4 px-4 pt-4"):
            ui.label(t("督办")).classes("text-h5")
            level_labels = {"county": t("按县公司"), "station": t("按供电所"), "org_unit": t("按责任单位")}
            self.level = ui.toggle(level_labels, value="county", on_change=self.show).mark("level")
            ui.button(icon="refresh", on_click=self.show).props("flat round").tooltip(t("刷新"))
            self.updated = ui.label().classes("text-caption text-grey-7").mark("updated")
        self.body = ui.column().classes("w-full p-4 gap-4")

    async def show(self) -> None:
        async def work() -> None:
            board, queue = await io(_load, self.ctx, self.level.value)
            self.body.clear()
            with self.body:
                self._board(board)
                self._queue(queue)
            self.updated.text = f"{self.t('更新于')} {local_time(datetime.now(UTC), seconds=True)}"
        await attempt(self.t, work)

    def _board(self, rows: list[SupervisionRow]) -> None:
        t = self.t
        columns = [{"name": "unit_name", "label": t("单位"), "field": "unit_name", "align": "left"},
                   {"name": "unit", "label": t("代码"), "field": "unit", "align": "left"},
                   {"name": "department", "label": t("责任部门"), "field": "department", "align": "left"},
                   {"name": "yellow", "label": t("黄色预警"), "field": "yellow"},
                   {"name": "red", "label": t("红色超时"), "field": "red"}]
        data = [{"key": f"{r.unit}/{r.department}", "unit_name": r.unit_name, "unit": r.unit,
                 "department": t.label(r.department), "yellow": r.yellow,
                 "red": r.red} for r in rows]
        with ui.card().classes("w-full"):
            ui.label(t("预警统计（按单位与部门）")).classes("text-h6")
            if not data:
                ui.label(t("没有预警工单。")).classes("text-positive")
                return
            ui.table(columns=columns, rows=data, row_key="key", pagination=BOARD_PAGE).props(
                "dense flat bordered").classes("w-full").mark("board")

    def _queue(self, items: list[AppealOut]) -> None:
        """One table element with the buttons in a slot: a hundred rows of separate labels and buttons made the
        page take seconds to build and draw."""
        t = self.t
        self.items = {a.id: a for a in items}
        with ui.card().classes("w-full").mark("overdue-queue"):
            ui.label(t("超时与预警工单（最早到期在前）")).classes("text-h6")
            if not items:
                ui.label(t("没有超时或预警工单。")).classes("text-positive")
                return
            names = ("id", "warning", "business_type", "org_unit", "department", "next_due_at", "remaining",
                     "urge_count", "actions")
            columns = [{"name": n, "label": t(h), "field": n, "align": "left"} for n, h in zip(names, QUEUE_HEADS,
                                                                                             strict=True)]
            table = ui.table(columns=columns, rows=self._rows(items), row_key="id", pagination=QUEUE_PAGE).props(
                "dense flat bordered").classes("w-full").mark("overdue-table")
            table.add_slot("body-cell-id", '<q-td :props="props"><a :href="\'/appeals/\' + props.row.id">'
                                           "#{{ props.row.id }}</a></q-td>")
            table.add_slot("body-cell-warning", '<q-td :props="props"><q-badge :color="props.row.warning_color">'
                                                "{{ props.row.warning_label }}</q-badge></q-td>")
            table.add_slot("body-cell-remaining", '<q-td :props="props" :class="props.row.late ? \'text-negative\' '
                                                  ": \'\'\">{{ props.row.remaining }}</q-td>")
            buttons = "".join(
                f'<q-btn v-if="props.row.can_{a.value}" dense outline color="{color}" label="{t.action(a.value)}" '
                f'class="q-mr-xs" @click="() => $parent.$emit(\'act\', {{id: props.row.id, action: \'{a.value}\'}})" />'
                for a, color in ((Action.URGE, "orange"), (Action.ESCALATE, "deep-orange")))
            table.add_slot("body-cell-actions", f'<q-td :props="props">{buttons}</q-td>')
            table.on("act", lambda e: self.act(self.items[int(e.args["id"])], Action(e.args["action"])))

    def _rows(self, items: list[AppealOut]) -> list[dict[str, object]]:
        t, now, role = self.t, datetime.now(UTC), self.ctx.actor.role
        return [{"id": a.id, "warning_label": t.warning(a.warning),
                 "warning_color": WARNING_COLOR.get(a.warning, "grey"),
                 "business_type": t.label(a.business_type), "org_unit": a.org_unit,
                 "department": t.label(a.department), "next_due_at": local_time(a.next_due_at),
                 "remaining": t.remaining(a.next_due_at - now) if a.next_due_at else "",
                 "late": bool(a.next_due_at and a.next_due_at < now), "urge_count": a.urge_count,
                 **{f"can_{x.value}": x in a.allowed_actions and may_act(role, x) for x in ONE_CLICK}}
                for a in items]

    async def act(self, appeal: AppealOut, action: Action) -> None:
        t = self.t

        async def work() -> None:
            actor = await self.ctx.refresh_actor()
            note = t("督办台一键{action}").format(action=t.action(action.value))
            event = EventIn(action=action, version=appeal.version, note=note)
            await io(self.ctx.console.appeals.act, appeal.id, event, actor)
            ui.notify(f"#{appeal.id} {t.action(action.value)}: {t('已完成')}", type="positive")
            await self.show()

        await attempt(t, work, on_conflict=self.show)


@console_page("/supervision", Permission.SUPERVISE)
async def supervision_page(ctx: PageContext) -> Response | None:
    await refreshing_page(ctx, "督办", SupervisionView, REFRESH_SECONDS)
    return None
