"""受理: the keyboard-only intake form with the caller's history and the repeat-caller warning.

Enter moves to the next field (in the content, Shift+Enter starts a new line), Enter on the last field or
Ctrl+Enter anywhere saves. Business type, topic and urgency may be left empty: the labeller fills them.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from fastapi.responses import Response
from nicegui import ui
from pydantic import ValidationError

from gridvoice.analysis.router import service_for
from gridvoice.analysis.sensitive import SensitiveProfile
from gridvoice.api.fields import no_nul_field
from gridvoice.appeals.schemas import AppealIn, AppealOut
from gridvoice.appeals.service import IntakeResult
from gridvoice.domain.labelling import Labels
from gridvoice.domain.roles import Permission
from gridvoice.domain.taxonomy import BusinessType, Channel, Topic
from gridvoice.errors import GridvoiceError
from gridvoice.web.i18n import Texts, local_time
from gridvoice.web.layout import appeal_table, error_message, frame
from gridvoice.web.queries import CallerHistory, caller_history, org_options
from gridvoice.web.session import PageContext, console_page, io

log = logging.getLogger("gridvoice.web")
SAVE_EVENT = "gridvoice_intake_save"
# focus an element client-side (no round trip, so fast typists lose no keystrokes): inputs and selects by their
# Quasar component, anything else (a checkbox) by its HTML element
_FOCUS = ("((id) => {{ const el = getElement(id); const q = el && (el.focus ? el : el.$refs && el.$refs.qRef); "
          "if (q && q.focus) q.focus(); else getHtmlElement(id)?.focus(); }})({id})")
# a select's own Enter opens its menu (ignored here: Enter moves on) or picks the highlighted option (then move on)
_MENU_OPEN = "e.target && e.target.getAttribute && e.target.getAttribute('aria-expanded') === 'true'"


def _next_js(field: ui.element, following: ui.element) -> str:
    focus = _FOCUS.format(id=following.id)
    if not isinstance(field, ui.select):
        return f"() => {focus}"
    return f"(e) => {{ if ({_MENU_OPEN}) {{ setTimeout(() => {focus}, 0); }} else {{ e.qKeyEvent = true; {focus}; }} }}"


def _save_js() -> str:
    """Enter on the last field saves, unless it picks an option from the open menu."""
    return f"(e) => {{ if ({_MENU_OPEN}) return; e.qKeyEvent = true; emitEvent('{SAVE_EVENT}'); }}"


class IntakeForm:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        t = self.t = ctx.texts
        self.customer_no = ui.input(t("户号")).props("autofocus clearable").mark("customer_no")
        self.phone = ui.input(t("联系电话")).props("clearable").mark("phone")
        self.channel = ui.select({c.value: t.label(c.value) for c in Channel}, value=Channel.HOTLINE_95598.value,
                                 label=t("受理渠道")).classes("min-w-48").mark("channel")
        self.content = ui.textarea(t("诉求内容")).props("autogrow").classes("w-full").mark("content")
        self.urgent = ui.checkbox(t("紧急（未勾选时由系统按内容判断）")).mark("urgent")
        self.business_type = ui.select({b.value: t.label(b.value) for b in BusinessType}, label=t("业务类型"),
                                       with_input=True, clearable=True).classes("min-w-48").mark("business_type")
        self.topic = ui.select({x.value: t.label(x.value) for x in Topic}, label=t("诉求主题"), with_input=True,
                               clearable=True).classes("min-w-64").mark("topic")
        with ui.expansion(t("补充信息（客户档案中没有时填写）")).classes("w-full"):
            self.customer_name = ui.input(t("客户姓名")).mark("customer_name")
            self.address = ui.input(t("地址")).classes("w-96").mark("address")
            self.org_unit = ui.select(org_options(ctx.console.runtime, ctx.actor.org_code), label=t("责任单位"),
                                      with_input=True, clearable=True).classes("min-w-64").mark("org_unit")
        self.suggestion = ui.row().classes("items-center gap-2").mark("suggestion")
        self.suggested: Labels | None = None

    async def suggest(self) -> None:
        """Fill the labels the agent has not chosen with the classifier's guess, shown with its confidence."""
        text = (self.content.value or "").strip()
        if not text or "\x00" in text:
            return
        guess = await io(self.ctx.console.runtime.labeller.label, text, self.channel.value)
        if self.business_type.value in (None, "", getattr(self.suggested, "business_type", None)):
            self.business_type.value = guess.business_type.value
        if self.topic.value in (None, "", getattr(self.suggested, "topic", None)):
            self.topic.value = guess.topic.value
        self.suggested = guess
        t = self.t
        self.suggestion.clear()
        with self.suggestion:
            ui.icon("auto_awesome", color="primary")
            ui.label(t("系统建议：{bt} · {topic}（置信度 {p:.0%} / {q:.0%}）").format(
                bt=t.label(guess.business_type.value), topic=t.label(guess.topic.value),
                p=guess.confidence_business_type, q=guess.confidence_topic)).classes("text-caption")
            if guess.urgent:
                ui.badge(t("可能紧急"), color="negative")

    def chosen_labels(self) -> tuple[str | None, str | None]:
        """What the agent chose; a suggestion taken as it was is left to the service, which labels the appeal
        with the same model and keeps the confidence (and the review flag) instead of "given"."""
        business_type, topic = self.business_type.value or None, self.topic.value or None
        guess = self.suggested
        if guess is not None and (business_type, topic) == (guess.business_type.value, guess.topic.value):
            return None, None
        return business_type, topic

    @property
    def flow(self) -> list[ui.element]:
        """The fields Enter walks through, in order."""
        return [self.customer_no, self.phone, self.channel, self.content, self.urgent, self.business_type,
                self.topic]

    def data(self) -> AppealIn:
        business_type, topic = self.chosen_labels()
        return AppealIn(
            channel=self.channel.value, content=self.content.value or "", customer_no=self.customer_no.value,
            phone=self.phone.value, customer_name=self.customer_name.value, address=self.address.value,
            org_unit=self.org_unit.value, business_type=business_type, topic=topic,
            urgent=True if self.urgent.value else None)

    def reset(self) -> None:
        for field in (self.customer_no, self.phone, self.content, self.customer_name, self.address):
            field.value = ""
        for select in (self.business_type, self.topic, self.org_unit):
            select.value = None
        self.urgent.value = False
        self.suggested = None
        self.suggestion.clear()
        self.customer_no.run_method("focus")


@console_page("/intake", Permission.CREATE_APPEAL)
async def intake_page(ctx: PageContext) -> Response | None:
    t = ctx.texts
    frame(ctx, "受理")
    with ui.row().classes("w-full p-4 gap-6 no-wrap items-start"):
        with ui.card().classes("w-1/2 min-w-96"):
            ui.label(t("诉求受理")).classes("text-h6")
            ui.label(t("Enter 下一项 · Shift+Enter 换行 · Ctrl+Enter 保存")).classes("text-caption text-grey-7")
            form = IntakeForm(ctx)
            save = ui.button(t("保存 (Ctrl+Enter)"), icon="save").props("color=primary").mark("save")
            outcome = ui.column().classes("w-full").mark("outcome")
        with ui.column().classes("w-1/2 gap-2") as side:
            ui.label(t("输入户号或电话后按 Enter，显示客户信息与历史诉求。")).classes("text-grey-7")

    async def lookup() -> None:
        await _show_history(ctx, form, side)

    async def submit() -> None:
        if await _save(ctx, form, outcome):
            side.clear()  # the history was the previous caller's

    _wire_keys(form, lookup, submit)
    save.on_click(submit)
    return None


def _wire_keys(form: IntakeForm, lookup: Any, submit: Any) -> None:
    flow = form.flow
    for field, following in itertools.pairwise(flow):
        key = "keydown.enter.exact" if isinstance(field, ui.select | ui.input) and field is not form.content \
            else "keydown.enter.exact.prevent"  # no new line in the content, no toggle of the checkbox
        field.on(key, js_handler=_next_js(field, following))
    flow[-1].on("keydown.enter.exact", js_handler=_save_js())
    ui.on(SAVE_EVENT, submit)
    for field in flow:
        field.on("keydown.ctrl.enter", submit)
    for field in (form.customer_no, form.phone):
        field.on("keydown.enter", lookup)
        field.on("blur", lookup)
    form.content.on("blur", form.suggest)
    for field in (form.customer_name, form.address, form.org_unit):
        field.on("keydown.ctrl.enter", submit)


async def _show_history(ctx: PageContext, form: IntakeForm, side: ui.column) -> None:
    customer_no, phone = (form.customer_no.value or "").strip(), (form.phone.value or "").strip()
    if not customer_no and not phone:
        return
    try:
        no_nul_field("customer_no", customer_no)
        no_nul_field("phone", phone)
        history = await io(caller_history, ctx.console.appeals, ctx.actor, customer_no or None, phone or None)
    except GridvoiceError as exc:
        ui.notify(error_message(ctx.texts, exc), type="negative")
        return
    profile = await _sensitive_profile(ctx, customer_no or None, phone or None)
    side.clear()
    with side:
        if profile is not None and profile.level != "none":
            _sensitive(ctx.texts, profile)
        _history(ctx.texts, history)


async def _sensitive_profile(ctx: PageContext, customer_no: str | None, phone: str | None
                             ) -> SensitiveProfile | None:
    """How sensitive the caller is, from the analysis lake as of its last refresh; the history above does not
    wait for it: without a lake, or on any failure of the analysis, intake goes on without the score."""
    try:
        service = service_for(ctx.console.state)
        return await io(service.sensitive_profile, ctx.actor, customer_no, phone)
    except Exception:
        log.warning("sensitive-customer score unavailable at intake", exc_info=True)
        return None


def _sensitive(t: Texts, profile: SensitiveProfile) -> None:
    with ui.card().classes("w-full bg-amber-1").mark("sensitive-caller"):
        ui.label(t("敏感客户：{level}（评分 {score:.0f}）").format(level=t(profile.level_label),
                                                            score=profile.score)).classes("text-h6 text-orange-9")
        for reason in profile.reasons:
            ui.label(reason).classes("text-caption")


def _history(t: Texts, history: CallerHistory) -> None:
    if history.repeat_caller:
        with ui.card().classes("w-full bg-red-1 text-negative").mark("repeat-caller"):
            ui.label(t("重复来电")).classes("text-h6")
            ui.label(t("该客户有 {open} 张未办结工单，30 天内来电 {recent} 次；同主题再次来电将合并为催办。").format(
                open=len(history.open), recent=history.recent_count))
    customer = history.customer
    with ui.card().classes("w-full").mark("customer"):
        if customer is None:
            ui.label(t("客户档案中未找到此户号或电话。")).classes("text-grey-7")
        else:
            ui.label(f"{t('客户')}: {customer.name} · {t('户号')} {customer.customer_no}").classes("text-subtitle1")
            ui.label(f"{t('电话')} {customer.phone} · {t('地址')} {customer.address} · "
                     f"{t('台区')} {customer.transformer_area or ''}")
            with ui.row():
                if customer.important:
                    ui.badge(t("重要客户"), color="orange")
                if customer.sensitive:
                    ui.badge(t("敏感客户"), color="red")
    if history.open:
        ui.label(t("未办结工单")).classes("text-subtitle1")
        appeal_table(t, history.open, marker="open-appeals")
    ui.label(t("历史诉求（最近 10 张）")).classes("text-subtitle1")
    if history.recent:
        appeal_table(t, history.recent, marker="history")
    else:
        ui.label(t("暂无历史诉求")).classes("text-grey-6")


async def _save(ctx: PageContext, form: IntakeForm, outcome: ui.column) -> bool:
    t = ctx.texts
    try:
        data = form.data()
        actor = await ctx.refresh_actor()
        result: IntakeResult = await io(ctx.console.appeals.intake, data, actor)
    except (GridvoiceError, ValidationError) as exc:
        ui.notify(error_message(t, exc), type="negative", multi_line=True)
        return False
    except PermissionError:
        return False
    out = ctx.console.appeals.to_out(result.appeal, outcome=result.outcome)
    outcome.clear()
    with outcome:
        _outcome(t, out)
    ui.notify(f"#{out.id} {t.outcome(result.outcome)}", type="positive")
    form.reset()
    return True


def _outcome(t: Texts, out: AppealOut) -> None:
    outcome = out.intake_outcome or "created"
    color = "bg-green-1" if outcome == "created" else "bg-amber-1"
    with ui.card().classes(f"w-full {color}").props(f"data-testid=outcome-{outcome}").mark(f"outcome-{outcome}"):
        with ui.row().classes("items-center gap-2"):
            ui.label(t("工单")).classes("text-subtitle1")
            ui.link(f"#{out.id}", f"/appeals/{out.id}").classes("text-h6").props("data-testid=new-appeal").mark(
                "new-appeal-link")
            ui.label(t.outcome(outcome)).classes("text-subtitle1").mark("outcome-label")
        ui.label(f"{t.label(out.business_type)} · {t.label(out.topic)} · {t('责任部门')} {t.label(out.department)}"
                 f" · {t('责任单位')} {out.org_unit} · {t('状态')} {t.status(out.status)}")
        if out.labels_source != "given":
            note = t("业务类型与主题由系统判断")
            if out.needs_review:
                note += t("（置信度低，请复核）")
            ui.label(note).classes("text-caption")
        if out.urgent:
            ui.label(t("紧急工单，已提示总值长")).classes("text-negative")
        dues = [f"{t.milestone(name)} {local_time(due)}" for name, due in out.due.items() if due is not None]
        if dues:
            ui.label(f"{t('时限')}: " + " · ".join(dues)).classes("text-caption")
