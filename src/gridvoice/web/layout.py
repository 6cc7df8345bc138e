"""The frame of every console page (header, navigation, synthetic-data banner) and shared widgets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from nicegui import ui
from pydantic import ValidationError

from gridvoice.appeals.schemas import AppealOut
from gridvoice.domain.roles import Permission
from gridvoice.errors import BadInput, Conflict, Forbidden, GridvoiceError, NotFound
from gridvoice.web.i18n import Texts, local_time
from gridvoice.web.session import PageContext, end_session, set_lang

T = TypeVar("T")

# (path, label, permission needed to see the entry; None: everyone)
NAV: tuple[tuple[str, str, Permission | None], ...] = (
    ("/", "工作台", None),
    ("/intake", "受理", Permission.CREATE_APPEAL),
    ("/appeals", "工单列表", Permission.READ_APPEALS),
    ("/supervision", "督办", Permission.SUPERVISE),
    ("/duty", "总值长", Permission.DUTY_VIEW),
    ("/analysis", "诉求分析", Permission.ANALYZE),
    ("/satisfaction", "满意度", Permission.READ_SATISFACTION),
    ("/admin", "配置", Permission.MANAGE_USERS),
)
WARNING_COLOR = {"none": "positive", "yellow": "warning", "red": "negative"}


def territory_name(ctx: PageContext) -> str:
    code = ctx.actor.org_code
    if code is None:
        return ctx.texts("全公司")
    unit = ctx.console.runtime.org().units.get(code)
    return f"{unit.name} ({code})" if unit else code


class RefreshingView(Protocol):
    async def show(self) -> None: ...


async def refreshing_page(ctx: PageContext, title: str, view: Callable[[PageContext], RefreshingView],
                          seconds: float) -> None:
    """A board that builds with its data and then refreshes itself every `seconds`."""
    frame(ctx, title)
    board = view(ctx)
    await board.show()
    # not immediately: the board was just built with its data; the first refresh comes after `seconds`
    ui.timer(seconds, board.show, immediate=False)


def frame(ctx: PageContext, title: str) -> None:
    t = ctx.texts
    ui.page_title(f"{t(title)} · gridvoice 电网之声")
    with ui.header(elevated=True).classes("items-center gap-2 bg-blue-9 text-white px-4 py-1"):
        ui.link("gridvoice 电网之声", "/").classes("text-white text-lg font-bold no-underline mr-4")
        for path, label, permission in NAV:
            if permission is None or ctx.may(permission):
                link = ui.link(t(label), path).classes("text-white no-underline px-2 py-1 rounded")
                if path == ctx.path:
                    link.classes("bg-blue-7")
        ui.space()
        ui.label(f"{ctx.actor.username} · {t.role(ctx.actor.role)} · {territory_name(ctx)}").mark("whoami")
        _language_switch(t)
        ui.link(t("修改密码"), "/password").classes("text-white text-sm no-underline")
        ui.button(t("退出"), icon="logout", on_click=logout).props("flat dense color=white").mark("logout")
    synthetic_banner(ctx.console.runtime.has_synthetic_data(), t)


def synthetic_banner(synthetic: bool, t: Texts) -> None:
    if synthetic:
        ui.label(t("演示数据均为合成数据 · all data here is SYNTHETIC")).classes(
            "w-full text-center bg-amber-2 text-amber-10 py-1").mark("synthetic-banner")


def _language_switch(t: Texts) -> None:
    def switch(lang: str) -> None:
        set_lang(lang)
        ui.navigate.reload()

    other = "zh" if t.en else "en"
    ui.button("中文" if t.en else "EN", on_click=lambda: switch(other)).props("flat dense color=white").mark("lang")


def logout() -> None:
    end_session()
    ui.navigate.to("/login")


def deny(ctx: PageContext) -> None:
    ui.status_code(403)
    with ui.card().classes("m-8"):
        ui.label(ctx.texts("无权访问此页面")).classes("text-h6 text-negative").mark("denied")
        ui.label(ctx.texts("您的角色没有此页面的权限；如有需要请联系管理员。"))
        ui.link(ctx.texts("返回工作台"), "/")


def not_found(ctx: PageContext, what: str) -> None:
    ui.status_code(404)
    with ui.card().classes("m-8"):
        ui.label(f"{ctx.texts('未找到')}: {what}").classes("text-h6").mark("not-found")
        ui.link(ctx.texts("返回工作台"), "/")


def error_message(t: Texts, exc: Exception) -> str:
    """A message a user can act on, for the errors the services raise."""
    if isinstance(exc, BadInput):
        return f"{t('输入有误')}: {exc.field}: {exc.reason}"
    if isinstance(exc, ValidationError):
        parts = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return f"{t('输入有误')}: " + "; ".join(parts)
    if isinstance(exc, Conflict):
        return f"{t('操作未执行')}: {exc.reason}"
    if isinstance(exc, Forbidden):
        return f"{t('无权执行此操作')}: {exc}"
    if isinstance(exc, NotFound):
        return f"{t('未找到')}: {exc}"
    return f"{t('操作失败')}: {exc}"


async def attempt(t: Texts, work: Callable[[], Awaitable[T]], on_conflict: Callable[[], Any] | None = None
                  ) -> T | None:
    """Run a user's action; show what went wrong instead of failing the page (409: then refresh)."""
    try:
        return await work()
    except (GridvoiceError, ValidationError) as exc:
        ui.notify(error_message(t, exc), type="warning" if isinstance(exc, Conflict) else "negative",
                  multi_line=True, timeout=8000)
        if isinstance(exc, Conflict) and on_conflict is not None:
            result = on_conflict()
            if hasattr(result, "__await__"):
                await result
    except PermissionError:
        pass  # the session ended; refresh_actor already sent the user to the login
    return None


def counter(label: str, value: int, color: str, marker: str, capped_at: int | None = None) -> None:
    """A big number with its label (a "+" when the count stopped at its cap)."""
    with ui.card().classes("items-center min-w-32").mark(marker):
        more = "+" if capped_at is not None and value >= capped_at else ""
        ui.label(f"{value:,}{more}").classes(f"text-h4 text-{color}")
        ui.label(label).classes("text-caption")


def warning_badge(t: Texts, warning: str) -> None:
    ui.badge(t.warning(warning), color=WARNING_COLOR.get(warning, "grey"))


def appeal_rows(t: Texts, appeals: list[AppealOut]) -> list[dict[str, Any]]:
    """Rows for tables of appeals (personal data stays masked as the service gives it)."""
    return [{"id": a.id, "status": t.status(a.status), "business_type": t.label(a.business_type),
             "topic": t.label(a.topic), "org_unit": a.org_unit, "department": t.label(a.department),
             "warning": a.warning.value, "warning_label": t.warning(a.warning), "urgent": t.flag(a.urgent),
             "received_at": local_time(a.received_at), "next_due_at": local_time(a.next_due_at),
             "content": a.content[:60], "customer_name": a.customer_name or "", "phone": a.phone or "",
             "urge_count": a.urge_count, "version": a.version} for a in appeals]


def appeal_table(t: Texts, appeals: list[AppealOut], marker: str = "appeals") -> ui.table:
    columns = [
        {"name": "id", "label": t("工单编号"), "field": "id", "align": "left"},
        {"name": "received_at", "label": t("受理时间"), "field": "received_at", "align": "left"},
        {"name": "status", "label": t("状态"), "field": "status", "align": "left"},
        {"name": "business_type", "label": t("业务类型"), "field": "business_type", "align": "left"},
        {"name": "topic", "label": t("诉求主题"), "field": "topic", "align": "left"},
        {"name": "org_unit", "label": t("责任单位"), "field": "org_unit", "align": "left"},
        {"name": "warning_label", "label": t("预警"), "field": "warning_label", "align": "left"},
        {"name": "next_due_at", "label": t("最近时限"), "field": "next_due_at", "align": "left"},
        {"name": "content", "label": t("诉求内容"), "field": "content", "align": "left"},
    ]
    table = ui.table(columns=columns, rows=appeal_rows(t, appeals), row_key="id").classes("w-full").mark(marker)
    table.props("dense flat bordered")
    table.add_slot("body-cell-id", '<q-td :props="props"><a :href="\'/appeals/\' + props.value" '
                                   'class="text-primary">#{{ props.value }}</a></q-td>')
    return table
