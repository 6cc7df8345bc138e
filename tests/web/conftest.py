"""Console fixtures: NiceGUI's simulated user (`nicegui.testing.User`) on the real app of `create_app`.

NiceGUI's own `user` fixture (`nicegui.testing.user_plugin`) runs a main file in a reset NiceGUI and talks to
NiceGUI's app directly. Our console is mounted by `create_app` (ui.run_with) and its pages find their services in
the request scope that our mount adds, so this `user` drives the whole app instead: the same `User` over an
ASGI transport, with the app's lifespan (gridvoice's and NiceGUI's) around it, as `user_simulation` does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from nicegui import ui
from nicegui.functions.download import download
from nicegui.functions.navigate import Navigate
from nicegui.functions.notify import notify
from nicegui.testing import User

from gridvoice.api.app import create_app
from gridvoice.runtime import Runtime

try:  # tests/conftest.py, whether tests/ is a package or only a folder on sys.path
    from tests.conftest import PASSWORD
except ImportError:
    from conftest import PASSWORD  # type: ignore[no-redef]

RETRIES = 100  # should_see polls every 0.1 s: pages read the store in a worker thread first (slow under load)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def web_runtime(sqlite_runtime: Runtime) -> Runtime:
    """The seeded SQLite store of tests/conftest.py (the simulated browser runs on one event loop)."""
    return sqlite_runtime


@pytest.fixture
async def user(web_runtime: Runtime, caplog: pytest.LogCaptureFixture) -> AsyncIterator[User]:
    app = create_app(web_runtime)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield User(client)
    finally:  # User swaps these for its simulated versions
        ui.navigate = Navigate()
        ui.notify = notify
        ui.download = download
    errors = [r for r in caplog.get_records("call") if r.levelname == "ERROR"]
    assert not errors, [r.getMessage() for r in errors]


async def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for what an event handler (a background task in the simulation) does."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the expected change did not happen")
        await asyncio.sleep(0.05)


async def login(user: User, username: str, password: str = PASSWORD, expect: str = "我的工作台") -> None:
    await user.open("/login")
    user.find(marker="username").type(username)
    user.find(marker="password").type(password)
    user.find(marker="login").click()
    if expect:
        await user.should_see(expect, retries=RETRIES)
