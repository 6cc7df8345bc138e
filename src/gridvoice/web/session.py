"""Console sessions and the page guard.

The browser holds only a signed session cookie (HttpOnly, SameSite=Lax); `app.storage.user` on the server keeps
who logged in and when, and the chosen language. Every page and every write reads the user from the store again,
so a changed role or territory, a deactivation or a password reset takes effect at once. Pages show only what
the user's role allows; the services check it again and stay the enforcement point.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

import anyio
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app, ui
from sqlalchemy import select

from gridvoice.auth.models import User
from gridvoice.auth.service import Actor, allowed
from gridvoice.domain.roles import Permission, Role
from gridvoice.web.console import Console
from gridvoice.web.i18n import LANGS, Texts

P = ParamSpec("P")
T = TypeVar("T")
USERNAME, LOGIN_AT, LANG = "username", "login_at", "lang"
PAGE_BUILD_TIMEOUT = 30.0  # seconds


async def io(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking work (the store) in a worker thread, off the event loop that serves every page."""
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))


def texts() -> Texts:
    lang = app.storage.user.get(LANG, "zh")
    return Texts(lang if lang in LANGS else "zh")


def set_lang(lang: str) -> None:
    app.storage.user[LANG] = lang if lang in LANGS else "zh"


def start_session(username: str) -> None:
    lang = app.storage.user.get(LANG)
    app.storage.user.clear()
    app.storage.user.update({USERNAME: username, LOGIN_AT: time.time()})
    if lang:
        app.storage.user[LANG] = lang


def end_session() -> None:
    lang = app.storage.user.get(LANG)
    app.storage.user.clear()
    if lang:
        app.storage.user[LANG] = lang


def _load_actor(console: Console, username: str, login_at: float) -> Actor | None:
    with console.runtime.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        return None
    changed = user.password_changed_at
    if changed is not None and login_at < changed.timestamp():
        return None  # logged in before the last password change or reset, like a token issued before it
    return Actor(user.username, Role(user.role), user.org_code, must_change_password=user.must_change_password)


async def current_actor(console: Console) -> Actor | None:
    """The logged-in user as the store has them now; None (and the session ended) when not logged in."""
    username = app.storage.user.get(USERNAME)
    login_at = app.storage.user.get(LOGIN_AT, 0.0)
    if not username:
        return None
    if time.time() - float(login_at) > console.runtime.settings.token_minutes * 60:
        end_session()
        return None
    actor = await io(_load_actor, console, username, float(login_at))
    if actor is None:
        end_session()
    return actor


@dataclass
class PageContext:
    console: Console
    actor: Actor
    texts: Texts
    path: str

    def may(self, permission: Permission) -> bool:
        return allowed(self.actor, permission)

    async def refresh_actor(self) -> Actor:
        """Before a write: the user as the store has them now (they may have been changed or deactivated)."""
        actor = await current_actor(self.console)
        if actor is None or actor.must_change_password:
            ui.navigate.to("/login")
            raise PermissionError("the session ended")
        self.actor = actor
        return actor


async def enter(request: Request, permission: Permission | None) -> PageContext | Response | None:
    """The page's context; a redirect to the login (or the password change); None after rendering a denial."""
    console = Console.of(request)
    actor = await current_actor(console)
    path = request.url.path
    if actor is None:
        return RedirectResponse(f"/login?next={quote(path + ('?' + request.url.query if request.url.query else ''))}",
                                status_code=303)
    if actor.must_change_password:
        return RedirectResponse("/password", status_code=303)
    ctx = PageContext(console, actor, texts(), path)
    if permission is not None and not ctx.may(permission):
        from gridvoice.web.layout import deny, frame

        frame(ctx, "无权访问")
        deny(ctx)
        return None
    return ctx


PageBuilder = Callable[..., Awaitable[Response | None]]


def console_page(path: str, permission: Permission | None = None, **page_kwargs: Any
                 ) -> Callable[[PageBuilder], PageBuilder]:
    """Register `build(ctx, **params)` as a NiceGUI page behind the session check and `permission`."""

    def decorator(build: PageBuilder) -> PageBuilder:
        params = [p for name, p in inspect.signature(build, eval_str=True).parameters.items() if name != "ctx"]

        async def page(request: Request, **kwargs: Any) -> Response | None:
            ctx = await enter(request, permission)
            if not isinstance(ctx, PageContext):
                return ctx
            return await build(ctx, **kwargs)

        request_param = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
        page.__signature__ = inspect.Signature([request_param, *params])  # type: ignore[attr-defined]
        page.__name__ = page.__qualname__ = build.__name__
        page.__module__ = build.__module__
        # NiceGUI sends a page still being built after 3 s and fills it in later; under load a board whose data
        # came late then never showed it (seen once on a busy 2-core machine): wait for the whole page instead
        page_kwargs.setdefault("response_timeout", PAGE_BUILD_TIMEOUT)
        ui.page(path, **page_kwargs)(page)
        return build

    return decorator
