"""工单详情: content, masked customer data (reveal with a reason, audited), routing, due times with a live
countdown, the timeline, and exactly the actions the state machine and the user's role allow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import Response
from nicegui import ui

from gridvoice.appeals.schemas import (
    CALLBACK_ITEMS,
    MAX_ID,
    AppealDetail,
    CallbackScores,
    EventIn,
    PersonalData,
    RevealIn,
)
from gridvoice.classifier.service import LabelsIn, correct_labels, explain_appeal
from gridvoice.domain.lifecycle import NEEDS_REASON, Action, Verdict
from gridvoice.domain.roles import Permission, may_act
from gridvoice.domain.sla import MilestoneStatus
from gridvoice.domain.taxonomy import BusinessType, Department, Topic
from gridvoice.errors import NotFound
from gridvoice.web.i18n import Texts, local_time
from gridvoice.web.layout import attempt, frame, not_found, warning_badge
from gridvoice.web.queries import milestones, org_options, unit_path
from gridvoice.web.session import PageContext, console_page, io

ACTION_COLOR = {Action.CANCEL: "negative", Action.RETURN: "warning", Action.ESCALATE: "deep-orange",
                Action.URGE: "orange", Action.SUSPEND: "grey-7", Action.REOPEN: "warning"}


@dataclass
class Loaded:
    appeal: AppealDetail
    milestones: list[MilestoneStatus]


def _load(ctx: PageContext, appeal_id: int) -> Loaded:
    service = ctx.console.appeals
    appeal = service.get(appeal_id, ctx.actor)
    return Loaded(appeal, milestones(service, appeal))


def usable_actions(ctx: PageContext, appeal: AppealDetail) -> list[Action]:
    """The actions the state machine allows now that the user's role may take."""
    return [a for a in appeal.allowed_actions if may_act(ctx.actor.role, a)]


class DetailView:
    def __init__(self, ctx: PageContext, appeal_id: int) -> None:
        self.ctx, self.appeal_id, self.t = ctx, appeal_id, ctx.texts
        self.body = ui.column().classes("w-full p-4 gap-4")
        self.countdowns: list[tuple[ui.label, datetime]] = []

    async def show(self) -> None:
        try:
            if not 1 <= self.appeal_id <= MAX_ID:
                raise NotFound(f"appeal {self.appeal_id} not found")
            loaded = await io(_load, self.ctx, self.appeal_id)
        except NotFound:
            self.body.clear()
            with self.body:
                not_found(self.ctx, f"{self.t('工单')} #{self.appeal_id}")
            return
        self.body.clear()
        self.countdowns = []
        with self.body:
            self._render(loaded)
        self.tick()

    def tick(self) -> None:
        now = datetime.now(UTC)
        for label, due in self.countdowns:
            label.text = self.t.remaining(due - now)
            label.classes(replace="text-negative" if due < now else "text-primary")

    def _render(self, loaded: Loaded) -> None:
        a, t = loaded.appeal, self.t
        with ui.row().classes("items-center gap-3"):
            ui.label(f"{t('工单')} #{a.id}").classes("text-h5")
            ui.badge(t.status(a.status), color="primary").props("data-testid=status").mark("status")
            warning_badge(t, a.warning)
            if a.urgent:
                ui.badge(t("紧急"), color="negative")
            if a.synthetic:
                ui.badge(t("合成数据"), color="amber-8")
        with ui.grid(columns=2).classes("w-full gap-4"):
            self._content(a)
            CustomerCard(self.ctx, a)
            self._routing(a)
            self._due(loaded.milestones)
        self._actions(a)
        self._timeline(a)

    def _content(self, a: AppealDetail) -> None:
        t = self.t
        with ui.card().mark("content-card"):
            ui.label(t("诉求内容")).classes("text-h6")
            ui.label(a.content).classes("whitespace-pre-wrap").mark("content")
            _fields(t, [("受理渠道", t.label(a.channel)), ("受理时间", local_time(a.received_at)),
                        ("外部编号", a.external_id or ""), ("业务类型", t.label(a.business_type)),
                        ("诉求主题", t.label(a.topic)), ("影响因素", t.label(a.factor)),
                        ("标签来源", t.label_source(a.labels_source) + (f" ({a.label_confidence:.2f})"
                                                                     if a.label_confidence is not None else "")),
                        ("待复核", t.flag(a.needs_review)), ("催办次数", str(a.urge_count)),
                        ("重复来电次数", str(a.repeat_call_count)), ("升级次数", str(a.escalate_count)),
                        ("重办次数", str(a.rehandle_count)), ("回访结果", t.verdict(a.verdict)),
                        ("重复工单", f"#{a.duplicate_of}" if a.duplicate_of else "")])
            with ui.row().classes("gap-2"):
                if self.ctx.may(Permission.CORRECT_LABELS):
                    ui.button(t("更正标签"), icon="edit", on_click=lambda: LabelDialog(self, a).open()).props(
                        "flat dense").mark("correct-labels")
                ui.button(t("判断依据"), icon="psychology", on_click=lambda: self.explain(a)).props(
                    "flat dense").mark("explain-labels")
            self.explanation = ui.column().classes("gap-1").mark("explanation")

    async def explain(self, a: AppealDetail) -> None:
        """The words and cues that drove the installed model's reading of this text."""
        t = self.t

        async def work() -> None:
            found = await io(explain_appeal, self.ctx.console.runtime, a.id, self.ctx.actor)
            self.explanation.clear()
            with self.explanation:
                predicted = found["predicted"]
                ui.label(t("模型判断：{bt} · {topic}").format(bt=t.label(predicted["business_type"]),
                                                          topic=t.label(predicted["topic"]))).classes("text-caption")
                for head, label in (("business_type", "业务类型"), ("topic", "诉求主题")):
                    words = "、".join(d["feature"] for d in found["drivers"].get(head, [])[:6])
                    ui.label(f"{t(label)}: {words}").classes("text-caption text-grey-8")
                cues = "、".join(c["text"] for c in found["cues"])
                if cues:
                    ui.label(f"{t('紧急线索')}: {cues}").classes("text-caption text-negative")

        await attempt(t, work)

    def _routing(self, a: AppealDetail) -> None:
        t, rt = self.t, self.ctx.console.runtime
        with ui.card().mark("routing-card"):
            ui.label(t("派单与责任")).classes("text-h6")
            _fields(t, [("责任部门", t.label(a.department)),
                        ("责任单位", f"{unit_path(rt, a.org_unit)} ({a.org_unit})"),
                        ("县公司", a.county or ""), ("供电所", a.station or ""), ("台区", a.transformer_area or ""),
                        ("时限规则版本", a.policy_version), ("版本", str(a.version)),
                        ("归档时间", local_time(a.closed_at))])

    def _due(self, items: list[MilestoneStatus]) -> None:
        t = self.t
        with ui.card().mark("due-card"):
            ui.label(t("时限")).classes("text-h6")
            with ui.grid(columns=4).classes("gap-x-6 gap-y-1"):
                for head in ("节点", "时限", "完成时间", "剩余"):
                    ui.label(t(head)).classes("text-caption text-grey-7")
                for m in items:
                    ui.label(t.milestone(m.name))
                    ui.label(local_time(m.due) or t("未开始"))
                    ui.label(local_time(m.done))
                    self._state(m)

    def _state(self, m: MilestoneStatus) -> None:
        t = self.t
        if m.done is not None:
            ui.label(t("超时完成") if m.late else t("按时完成")).classes(
                "text-negative" if m.late else "text-positive")
        elif m.due is not None:
            label = ui.label().mark(f"countdown-{m.name}")
            self.countdowns.append((label, m.due))
        else:
            ui.label("")

    def _actions(self, a: AppealDetail) -> None:
        t = self.t
        with ui.card().classes("w-full").mark("actions-card"):
            ui.label(t("操作")).classes("text-h6")
            actions = usable_actions(self.ctx, a)
            if not actions:
                ui.label(t("当前状态下您没有可执行的操作。")).classes("text-grey-7").mark("no-actions")
            with ui.row().classes("gap-2"):
                for action in actions:
                    ui.button(t.action(action.value), on_click=lambda x=action: ActionDialog(self, a, x).open()
                              ).props(f"color={ACTION_COLOR.get(action, 'primary')}").mark(f"action-{action.value}")

    def _timeline(self, a: AppealDetail) -> None:
        t = self.t
        with ui.card().classes("w-full").mark("timeline-card"):
            ui.label(t("处理记录")).classes("text-h6")
            with ui.timeline(side="right").mark("timeline"):
                for e in a.events:
                    change = (f"{t.status(e.status_before)} → {t.status(e.status_after)}"
                              if e.status_before and e.status_before != e.status_after else t.status(e.status_after))
                    verdict = e.data.get("verdict")
                    body = e.note + (f" [{t('回访结果')}: {t.verdict(verdict)}]" if verdict else "")
                    scores = e.data.get("scores") or {}
                    if scores:
                        body += " " + " ".join(f"{t(SCORE_LABELS.get(k, k))} {v}" for k, v in scores.items())
                    if e.data.get("reason"):
                        body += f" · {t('客户意见')}: {e.data['reason']}"
                    with ui.timeline_entry(title=f"{t.action(e.action)} · {change}",
                                           subtitle=f"{local_time(e.at, seconds=True)} · {e.actor}"):
                        ui.label(body).classes("whitespace-pre-wrap")


def _fields(t: Texts, rows: list[tuple[str, str]]) -> None:
    with ui.grid(columns=2).classes("gap-x-4 gap-y-1"):
        for label, value in rows:
            ui.label(t(label)).classes("text-grey-7")
            ui.label(value)


class CustomerCard:
    """Masked customer data; staff who talk to the customer may reveal it for a stated reason (audited)."""

    def __init__(self, ctx: PageContext, a: AppealDetail) -> None:
        self.ctx, self.a, t = ctx, a, ctx.texts
        with ui.card().mark("customer-card"):
            with ui.row().classes("items-center"):
                ui.label(t("客户信息")).classes("text-h6")
                if ctx.may(Permission.REVEAL_PERSONAL_DATA):
                    ui.button(t("查看完整信息"), icon="visibility", on_click=self.ask).props("flat dense").mark(
                        "reveal")
            self.values = ui.column().classes("gap-0")
            self.note = ui.label().classes("text-caption text-orange-9")
        self._show(PersonalData(customer_no=a.customer_no, customer_name=a.customer_name, phone=a.phone,
                                address=a.address))

    def _show(self, data: PersonalData) -> None:
        self.values.clear()
        with self.values:
            _fields(self.ctx.texts, [("户号", data.customer_no or ""), ("客户姓名", data.customer_name or ""),
                                     ("联系电话", data.phone or ""), ("地址", data.address or "")])

    def ask(self) -> None:
        t = self.ctx.texts
        with ui.dialog() as dialog, ui.card().classes("w-96"):
            ui.label(t("查看完整的客户信息")).classes("text-h6")
            ui.label(t("请说明原因；查看人、时间和原因将被记录。")).classes("text-caption")
            reason = ui.input(t("原因")).props("autofocus").classes("w-full").mark("reveal-reason")

            async def confirm() -> None:
                if len((reason.value or "").strip()) < 2:
                    ui.notify(t("请填写原因"), type="warning")
                    return
                dialog.close()
                await self.reveal(reason.value.strip())

            reason.on("keydown.enter", confirm)
            with ui.row():
                ui.button(t("确定"), on_click=confirm).props("color=primary").mark("reveal-confirm")
                ui.button(t("取消"), on_click=dialog.close).props("flat")
        dialog.open()

    async def reveal(self, reason: str) -> None:
        async def work() -> None:
            checked = RevealIn(reason=reason).reason  # the API's rules for a reason
            actor = await self.ctx.refresh_actor()
            data = await io(self.ctx.console.appeals.reveal, self.a.id, actor, checked)
            self._show(data)
            self.note.text = self.ctx.texts("已显示完整信息，查看记录已存档。")
        await attempt(self.ctx.texts, work)


SCORE_LABELS = {"speed": "处理速度", "attitude": "服务态度", "result": "处理结果"}


class LabelDialog:
    """An agent's correction of the labels (kept for the next training, audited; deadlines follow a new type)."""

    def __init__(self, view: DetailView, appeal: AppealDetail) -> None:
        self.view, self.appeal, t = view, appeal, view.t
        with ui.dialog() as self.dialog, ui.card().classes("w-96").mark("label-dialog"):
            ui.label(f"{t('更正标签')} · {t('工单')} #{appeal.id}").classes("text-h6")
            self.business_type = ui.select({b.value: t.label(b.value) for b in BusinessType}, label=t("业务类型"),
                                           value=appeal.business_type).classes("w-full").mark("label-business-type")
            self.topic = ui.select({x.value: t.label(x.value) for x in Topic}, label=t("诉求主题"),
                                   value=appeal.topic).classes("w-full").mark("label-topic")
            self.urgent = ui.checkbox(t("紧急"), value=appeal.urgent).mark("label-urgent")
            self.note = ui.input(t("备注（可选）")).classes("w-full").mark("label-note")
            with ui.row():
                ui.button(t("确定"), on_click=self.confirm).props("color=primary").mark("label-confirm")
                ui.button(t("取消"), on_click=self.dialog.close).props("flat")

    def open(self) -> None:
        self.dialog.open()

    async def confirm(self) -> None:
        view, t = self.view, self.view.t

        async def work() -> None:
            body = LabelsIn(business_type=self.business_type.value, topic=self.topic.value,
                            urgent=bool(self.urgent.value), note=self.note.value or "", version=self.appeal.version)
            actor = await view.ctx.refresh_actor()
            await io(correct_labels, view.ctx.console.runtime, self.appeal.id, body, actor)
            self.dialog.close()
            ui.notify(t("标签已更正，将用于下次训练"), type="positive")
            await view.show()

        await attempt(t, work, on_conflict=view.show)


class ActionDialog:
    """The inputs one action needs (a reason, a verdict, a new department or unit), then the action."""

    def __init__(self, view: DetailView, appeal: AppealDetail, action: Action) -> None:
        self.view, self.appeal, self.action = view, appeal, action
        ctx, t = view.ctx, view.t
        self.verdict = self.department = self.org_unit = self.duplicate_of = self.reason = None
        self.scores: dict[str, ui.number] = {}
        with ui.dialog() as self.dialog, ui.card().classes("w-[32rem]").mark("action-dialog"):
            ui.label(f"{t.action(action.value)} · {t('工单')} #{appeal.id}").classes("text-h6")
            if action == Action.CALLBACK:
                self.verdict = ui.select({v.value: t.verdict(v.value) for v in Verdict}, label=t("客户评价"),
                                         value=Verdict.SATISFIED.value).classes("w-full").mark("verdict")
                ui.label(t("客户打分（1–10，可不填）")).classes("text-caption text-grey-7")
                with ui.row().classes("gap-2"):
                    self.scores = {item: ui.number(t(SCORE_LABELS[item]), min=1, max=10, step=1, format="%d")
                                   .classes("w-32").mark(f"score-{item}") for item in CALLBACK_ITEMS}
                self.reason = ui.input(t("客户意见 / 不满意原因（可选）")).classes("w-full").mark("callback-reason")
            if action == Action.REROUTE:
                self.department = ui.select({d.value: t.label(d.value) for d in Department}, label=t("改派部门"),
                                            clearable=True).classes("w-full").mark("reroute-department")
                self.org_unit = ui.select(org_options(ctx.console.runtime, ctx.actor.org_code), label=t("改派单位"),
                                          with_input=True, clearable=True).classes("w-full").mark("reroute-org")
            if action == Action.CANCEL:
                self.duplicate_of = ui.number(t("重复的工单编号（可选）"), format="%d").classes("w-full").mark(
                    "duplicate-of")
            label = t("原因（必填）") if action in NEEDS_REASON else t("备注（可选）")
            self.note = ui.textarea(label).props("autofocus autogrow").classes("w-full").mark("note")
            self.note.on("keydown.ctrl.enter", self.confirm)
            with ui.row():
                ui.button(t("确定"), on_click=self.confirm).props("color=primary").mark("confirm")
                ui.button(t("取消"), on_click=self.dialog.close).props("flat")

    def open(self) -> None:
        self.dialog.open()

    def event(self) -> EventIn:
        return EventIn(action=self.action, version=self.appeal.version, note=self.note.value or "",
                       verdict=self.verdict.value if self.verdict else None,
                       department=self.department.value if self.department else None,
                       org_unit=self.org_unit.value if self.org_unit else None,
                       duplicate_of=int(self.duplicate_of.value) if self.duplicate_of and self.duplicate_of.value
                       else None, **self.callback_details())

    def callback_details(self) -> dict[str, Any]:
        given = {item: int(field.value) for item, field in self.scores.items() if field.value is not None}
        details: dict[str, Any] = {"scores": CallbackScores(**given)} if given else {}
        if self.reason is not None and (self.reason.value or "").strip():
            details["reason"] = self.reason.value
        return details

    async def confirm(self) -> None:
        view, t = self.view, self.view.t
        if self.action in NEEDS_REASON and not (self.note.value or "").strip():
            ui.notify(t("此操作必须填写原因"), type="warning")
            return

        async def work() -> None:
            event = self.event()
            actor = await view.ctx.refresh_actor()
            await io(view.ctx.console.appeals.act, self.appeal.id, event, actor)
            self.dialog.close()
            ui.notify(f"{t.action(self.action.value)}: {t('已完成')}", type="positive")
            await view.show()

        async def conflict() -> None:
            self.dialog.close()
            await view.show()

        await attempt(t, work, on_conflict=conflict)


@console_page("/appeals/{appeal_id}", Permission.READ_APPEALS)
async def appeal_detail_page(ctx: PageContext, appeal_id: int) -> Response | None:
    frame(ctx, "工单详情")
    with ui.row().classes("px-4 pt-2"):
        ui.link(f"← {ctx.texts('工单列表')}", "/appeals")
    view = DetailView(ctx, appeal_id)
    await view.show()
    ui.timer(1.0, view.tick)  # after the first build: a timer waits for the browser, which sends the page early
    return None
