"""The web console (NiceGUI) mounted on the API's FastAPI app at "/".

NiceGUI keeps one application per process (`nicegui.app`); `ui.run_with` mounts it into a FastAPI app, adds
its middleware and wraps the app's lifespan with NiceGUI's start and stop. Three details make that work for
an app factory that may build several apps in one process (the tests build one per module or test):

- Middleware: Starlette refuses new middleware once an app has served a request, and every `ui.run_with`
  call adds NiceGUI's middleware again. Before each call the NiceGUI app's middleware list is emptied and its
  built stack dropped, as NiceGUI's own test helper does (`nicegui.testing.general.nicegui_reset_globals`);
  the call then adds the same list once more.
- Lifespan: NiceGUI runs in the event loop of the first app that starts while it is stopped; an app that
  starts while NiceGUI runs for another app runs its own lifespan only. One live console per process is
  what a server has (`gridvoice serve --workers N` runs one app per worker process).
- Mount: NiceGUI's catch-all mount at "/" does not take the API and ops paths, which keep FastAPI's JSON
  404/405 answers; and it hands the console's services to the pages in the request scope, so each app's
  pages work on that app's runtime.

Pages are registered once per process (`gridvoice.web.pages`); they find their `Console` in the request.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from nicegui import core, ui
from nicegui.storage import Storage
from starlette.requests import HTTPConnection
from starlette.routing import Match, Mount
from starlette.types import Scope

from gridvoice.appeals.service import AppealService
from gridvoice.auth.admin import AccessAdmin
from gridvoice.runtime import Runtime

SCOPE_KEY = "gridvoice.console"
# paths the console never answers: the API, its docs, health and metrics
RESERVED_PREFIXES = ("/api/", "/healthz", "/metrics")
SESSION_COOKIE = "gridvoice_console"

Lifespan = Callable[[Any], AbstractAsyncContextManager[Any]]


@dataclass(frozen=True)
class Console:
    """What the pages of one app work with: the runtime and the services the API uses too."""

    runtime: Runtime
    appeals: AppealService
    admin: AccessAdmin
    state: Any = None  # the app's state: services created lazily and shared with the API (appeal analysis)

    @classmethod
    def of(cls, connection: HTTPConnection) -> Console:
        console = connection.scope.get(SCOPE_KEY)
        if not isinstance(console, Console):
            raise RuntimeError("the console was not mounted with mount_console() on this app")
        return console


class ConsoleMount(Mount):
    """NiceGUI's mount at "/", minus the reserved paths, plus the console in the request scope."""

    def __init__(self, app: Any, console: Console) -> None:
        super().__init__("/", app=app)
        self.console = console

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(RESERVED_PREFIXES):
            return Match.NONE, {}
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope[SCOPE_KEY] = self.console
        return match, child_scope


def storage_secret(runtime: Runtime) -> str:
    """The session-cookie key, derived from the server's secret (the token key itself is never reused)."""
    key = runtime.settings.resolved_secret_key().encode()
    return hmac.new(key, b"gridvoice console session cookie", hashlib.sha256).hexdigest()


CONSOLE_CSS = Path(__file__).parent / "static" / "console.css"


def mount_console(app: FastAPI, runtime: Runtime, appeals: AppealService) -> None:
    """Serve the console at "/" of `app` (the API keeps /api/v1, /healthz and /metrics)."""
    from gridvoice.web import pages  # noqa: F401  (registers the pages with NiceGUI once per process)

    console = Console(runtime, appeals, AccessAdmin(runtime), app.state)
    own_lifespan = app.router.lifespan_context
    _drop_nicegui_middleware()
    if "NICEGUI_STORAGE_PATH" not in os.environ:  # the server-side session store lives in the data folder
        Storage.path = (runtime.settings.home / "console-sessions").resolve()
    ui.run_with(
        app, title="gridvoice 电网之声", language="zh-CN", favicon="⚡", show_welcome_message=False, tailwind=False,
        storage_secret=storage_secret(runtime),
        session_middleware_kwargs={"session_cookie": SESSION_COOKIE, "same_site": "lax",
                                   "https_only": runtime.settings.cookie_secure,
                                   "max_age": runtime.settings.token_minutes * 60},
    )
    # written-out utility classes instead of NiceGUI's in-browser Tailwind compiler (150–250 ms per page load)
    ui.add_head_html(f"<style>{CONSOLE_CSS.read_text(encoding='utf-8')}</style>", shared=True)
    _scope_the_mount(app, console)
    app.router.lifespan_context = _shared_lifespan(own_lifespan, app.router.lifespan_context)


def _drop_nicegui_middleware() -> None:
    core.app.user_middleware.clear()
    core.app.middleware_stack = None


def _scope_the_mount(app: FastAPI, console: Console) -> None:
    routes = app.router.routes
    for i, route in enumerate(routes):
        if isinstance(route, Mount) and route.app is core.app:
            routes[i] = ConsoleMount(core.app, console)
            return
    raise RuntimeError("ui.run_with did not mount NiceGUI")  # pragma: no cover - NiceGUI changed


def _shared_lifespan(own: Lifespan, with_nicegui: Lifespan) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        running = core.app.is_started or core.app.is_starting
        async with (own if running else with_nicegui)(app) as state:
            yield state

    return lifespan
