"""Console pages in a real browser over the 1 M-appeal store: time until each page shows its data (p95).

A `gridvoice serve` process on the benchmark's store, Debian's Chromium driven by Playwright (no browser
downloads); skipped with a note when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import select

from bench.common import Result, percentile
from bench.intake import _free_port, _wait_ready
from gridvoice.appeals.models import Appeal
from gridvoice.auth.service import create_user
from gridvoice.runtime import Runtime

CHROMIUM = Path("/usr/bin/chromium")
PAGE_RUNS = 20
USER, PASSWORD = "bench_pages", "bench-pages-password-1"


def _pages(appeal_id: int) -> list[tuple[str, str, str]]:
    """(name, path, what shows that the page has its data)."""
    return [
        ("workbench 工作台", "/", "text=我的工作台"),
        ("appeal list 工单列表", "/appeals", ".ag-row"),
        ("appeal detail 工单详情", f"/appeals/{appeal_id}", "[data-testid=status]"),
        ("supervision 督办", "/supervision", ".q-table tbody tr"),
        ("duty 总值长", "/duty", ".q-table tbody tr"),
    ]


def _login(page: Any, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")
    page.get_by_text("我的工作台").wait_for()


def _time_pages(base: str, appeal_id: int, rows: int, backend: str) -> list[Result]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
        context.set_default_timeout(60_000)
        page = context.new_page()
        _login(page, base)
        for name, path, ready in _pages(appeal_id):
            samples = []
            for run in range(PAGE_RUNS + 1):
                started = time.perf_counter()
                page.goto(f"{base}{path}")
                page.locator(ready).first.wait_for()
                if run:  # the first load warms caches
                    samples.append(time.perf_counter() - started)
            results.append(Result(f"console page: {name} ({rows:,} appeals, browser)", backend, "p95",
                                  percentile(samples, 0.95) * 1000, "ms", 1000, False))
        context.close()
        browser.close()
    return results


def bench_pages(rt: Runtime, url: str, home: Path, rows: int, backend: str, console: Console) -> list[Result]:
    if not CHROMIUM.exists():
        console.print(f"console pages skipped: no Chromium at {CHROMIUM} (`make install` installs it)")
        return []
    with rt.writes.begin() as session:
        create_user(session, USER, "dispatcher", None, PASSWORD)
        newest = session.scalar(select(Appeal.id).where(Appeal.status == "accepted")
                                .order_by(Appeal.received_at.desc()).limit(1))
    port = _free_port()
    env = dict(os.environ, GRIDVOICE_HOME=str(home), GRIDVOICE_DATABASE_URL=url, GRIDVOICE_SECRET_KEY="bench",
               GRIDVOICE_SCHEDULER="false", GRIDVOICE_LOG_LEVEL="WARNING")
    proc = subprocess.Popen([sys.executable, "-m", "gridvoice.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        return _time_pages(base, newest or 1, rows, backend)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
