"""登录 / 退出 / 修改密码: login with the lock-out message, logout, and the (forced) password change."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import ui

from gridvoice.auth.service import MIN_PASSWORD_LENGTH, AccountLocked, AuthError
from gridvoice.errors import BadInput
from gridvoice.web.console import Console
from gridvoice.web.i18n import Texts, local_time
from gridvoice.web.layout import frame, logout, synthetic_banner
from gridvoice.web.session import PageContext, current_actor, end_session, io, set_lang, start_session, texts


def safe_next(target: str | None) -> str:
    """Only paths of this site (no "//host" or "https://host": no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@ui.page("/login")
async def login_page(request: Request, next: str = "/") -> Response | None:
    console = Console.of(request)
    actor = await current_actor(console)
    if actor is not None:
        return RedirectResponse("/password" if actor.must_change_password else safe_next(next), status_code=303)
    t = texts()
    ui.page_title(f"{t('登录')} · gridvoice 电网之声")
    synthetic_banner(console.runtime.has_synthetic_data(), t)
    with ui.card().classes("absolute-center w-96"):
        ui.label("gridvoice 电网之声").classes("text-h5")
        ui.label(t("供电服务指挥中心 · 客户诉求闭环管理")).classes("text-caption text-grey-8")
        username = ui.input(t("用户名")).props("autofocus autocomplete=username").classes("w-full").mark("username")
        password = ui.input(t("密码"), password=True, password_toggle_button=True).props(
            "autocomplete=current-password").classes("w-full").mark("password")
        message = ui.label().classes("text-negative").mark("login-message")

        async def submit() -> None:
            message.text = await _login(console, t, username.value.strip(), password.value, next)

        username.on("keydown.enter", lambda: password.run_method("focus"))
        password.on("keydown.enter", submit)
        with ui.row().classes("w-full items-center"):
            ui.button(t("登录"), on_click=submit).props("color=primary").mark("login")
            ui.space()
            ui.button("EN" if not t.en else "中文", on_click=lambda: _switch(t)).props("flat dense").mark("lang")
    return None


def _switch(t: Texts) -> None:
    set_lang("zh" if t.en else "en")
    ui.navigate.reload()


async def _login(console: Console, t: Texts, username: str, password: str, target: str) -> str:
    """Log in and go on; or the message to show (wrong password, or the lock-out and until when)."""
    if not username or not password:
        return t("请输入用户名和密码")
    if "\x00" in username + password:
        return t("用户名或密码错误")
    try:
        user = await io(console.admin.login, username, password)
    except AccountLocked as exc:
        until = local_time(exc.user.locked_until) if exc.user.locked_until else ""
        return t("连续登录失败次数过多，账户已锁定至 {until}；请稍后再试或联系管理员重置密码。").format(until=until)
    except AuthError:
        return t("用户名或密码错误")
    start_session(user.username)
    ui.navigate.to("/password" if user.must_change_password else safe_next(target))
    return ""


@ui.page("/logout")
def logout_page() -> Response:
    end_session()
    return RedirectResponse("/login", status_code=303)


@ui.page("/password")
async def password_page(request: Request) -> Response | None:
    console = Console.of(request)
    actor = await current_actor(console)
    if actor is None:
        return RedirectResponse("/login?next=/password", status_code=303)
    ctx = PageContext(console, actor, texts(), "/password")
    t = ctx.texts
    if actor.must_change_password:
        ui.page_title(f"{t('修改密码')} · gridvoice 电网之声")
        with ui.row().classes("w-full items-center bg-blue-9 text-white px-4 py-2"):
            ui.label(t("首次登录或密码已被管理员重置：请设置新密码后继续。")).mark("must-change")
            ui.space()
            ui.button(t("退出"), icon="logout", on_click=logout).props("flat dense color=white").mark("logout")
    else:
        frame(ctx, "修改密码")
    _password_form(ctx)
    return None


def _password_form(ctx: PageContext) -> None:
    t = ctx.texts
    with ui.card().classes("m-8 w-96"):
        ui.label(t("修改密码")).classes("text-h6")
        old = ui.input(t("原密码"), password=True).props("autofocus").classes("w-full").mark("old-password")
        new = ui.input(t("新密码（至少 {n} 位）").format(n=MIN_PASSWORD_LENGTH), password=True).classes(
            "w-full").mark("new-password")
        again = ui.input(t("再次输入新密码"), password=True).classes("w-full").mark("new-password-again")
        message = ui.label().classes("text-negative").mark("password-message")

        async def submit() -> None:
            if new.value != again.value:
                message.text = t("两次输入的新密码不一致")
                return
            try:
                await io(ctx.console.admin.change_own_password, ctx.actor, old.value, new.value)
            except BadInput as exc:
                message.text = _password_error(t, exc)
                return
            start_session(ctx.actor.username)  # sessions begun before a password change end, except this one
            ui.notify(t("密码已修改"), type="positive")
            ui.navigate.to("/")

        for field, following in ((old, new), (new, again)):
            field.on("keydown.enter", lambda f=following: f.run_method("focus"))
        again.on("keydown.enter", submit)
        ui.button(t("保存"), on_click=submit).props("color=primary").mark("save-password")


def _password_error(t: Texts, exc: BadInput) -> str:
    if exc.field == "old_password":
        return t("原密码不正确")
    if "at least" in exc.reason:
        return t("新密码至少 {n} 位").format(n=MIN_PASSWORD_LENGTH)
    if "differ" in exc.reason:
        return t("新密码不能与原密码相同")
    return f"{exc.field}: {exc.reason}"
