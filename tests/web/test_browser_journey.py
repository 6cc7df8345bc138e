"""One appeal through its whole loop in a real browser on a real server (`gridvoice serve`).

Debian's Chromium (`apt-get install chromium`, done by `make install`) at /usr/bin/chromium; Playwright's own
browser downloads are not used. pytest-playwright's options apply (`--headed`, `--slowmo`). A screenshot of every
step lands in test-artifacts/browser-journey/.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

try:  # tests/conftest.py, whether tests/ is a package or only a folder on sys.path
    from tests.conftest import PASSWORD, make_runtime, seed_small
except ImportError:
    from conftest import PASSWORD, make_runtime, seed_small  # type: ignore[no-redef]

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed at {CHROMIUM} "
                                                     "(`make install` installs it with apt-get)"),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser-journey"
TIMEOUT_MS = 30_000  # two cores shared with the rest of the suite: pages can take seconds under load


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    rt = make_runtime(f"sqlite:///{tmp_path / 'gridvoice.db'}", tmp_path)
    seed_small(rt)
    rt.dispose()
    port = _free_port()
    env = dict(os.environ, GRIDVOICE_HOME=str(tmp_path), GRIDVOICE_SECRET_KEY="test-secret-key-not-for-production")
    env.pop("GRIDVOICE_DATABASE_URL", None)
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "gridvoice.cli", "serve", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, tmp_path / "server.log")
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"server did not start: {log.read_text()}")


@pytest.fixture
def page(browser_type_launch_args: dict[str, Any]) -> Iterator[Any]:
    """A Chromium page of its own Playwright (not pytest-playwright's session-wide one: the asynchronous console
    tests that may run after this one in the same worker need the thread's event loop free)."""
    from playwright.sync_api import sync_playwright

    args = {"headless": True, **browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": ["--no-sandbox", "--disable-dev-shm-usage"]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**args)
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport={"width": 1440, "height": 1800})
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


class Journey:
    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base, self.step = page, base, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(ARTIFACTS / f"{self.step:02d}-{name}.png"), full_page=True)

    def login(self, username: str) -> None:
        page = self.page
        page.goto(f"{self.base}/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_label("密码").press("Enter")
        page.get_by_text("我的工作台").wait_for()

    def logout(self) -> None:
        self.page.get_by_role("button", name="退出").click()
        self.page.get_by_label("用户名").wait_for()

    def act(self, appeal_id: int, action: str, status: str, name: str, note: str = "") -> None:
        page = self.page
        if not page.url.endswith(f"/appeals/{appeal_id}"):
            page.goto(f"{self.base}/appeals/{appeal_id}")
        page.get_by_role("button", name=action, exact=True).click()
        if note:
            page.get_by_label(re.compile("^(备注|原因)")).fill(note)
        page.get_by_role("button", name="确定").click()
        self.expect_status(status)
        self.shot(name)

    def expect_status(self, status: str) -> None:
        badge = self.page.get_by_test_id("status")
        badge.filter(has_text=status).wait_for()
        assert badge.inner_text() == status


def test_one_appeal_through_the_whole_loop(server: str, page: Any) -> None:
    journey = Journey(page, server)

    # agent: register the call on the keyboard-only intake form (the labeller picks type and topic)
    journey.login("agent_city")
    page.get_by_role("link", name="受理").click()
    page.get_by_label("户号").wait_for()
    page.keyboard.type("0300000001")
    page.keyboard.press("Enter")  # look-up, then the phone
    page.get_by_text("陈**").wait_for()
    for _ in range(2):  # phone, channel
        page.keyboard.press("Enter")
    page.keyboard.type("家里停电了，整个小区都没电，请尽快派人抢修")
    page.keyboard.press("Control+Enter")
    page.get_by_test_id("outcome-created").wait_for()
    appeal_id = int(page.get_by_test_id("new-appeal").inner_text().lstrip("#"))
    journey.shot("intake")
    page.get_by_test_id("new-appeal").click()
    journey.expect_status("已受理")
    journey.shot("accepted")
    journey.logout()

    # dispatcher: dispatch it
    journey.login("dispatcher_city")
    journey.act(appeal_id, "派单", "已派单", "dispatched", note="请东坪城区供电所抢修")
    journey.logout()

    # handler of the county the appeal lies in: receive, arrive on site, resolve
    journey.login("handler_c1")
    page.get_by_role("link", name=f"#{appeal_id}").first.click()  # from the workbench queue
    journey.act(appeal_id, "接单", "已接单", "received")
    journey.act(appeal_id, "到达现场", "已到达现场", "arrived")
    journey.act(appeal_id, "办结", "已办结", "resolved", note="更换熔断器，已恢复送电")
    journey.logout()

    # agent: call the customer back (satisfied) and archive
    journey.login("agent_city")
    journey.act(appeal_id, "回访", "已回访", "called-back", note="客户表示满意")
    journey.act(appeal_id, "归档", "已归档", "archived")
    page.get_by_text("当前状态下您没有可执行的操作。").wait_for()
    assert page.get_by_text("更换熔断器，已恢复送电").is_visible()  # the timeline keeps every step
    assert len(list(ARTIFACTS.glob("*.png"))) == 8
