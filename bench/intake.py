"""Intake through the HTTP API: a real `gridvoice serve` process, concurrent HTTP clients on loopback."""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from sqlalchemy import func, select

from bench.common import Result, database, percentile, runtime_with_org
from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.auth.service import create_user
from gridvoice.store.db import make_engine

CONCURRENCY = 32
TOPICS = [("REPAIR", "OUTAGE"), ("INQUIRY", "PAYMENT_TARIFF"), ("COMPLAINT", "STAFF_CONDUCT"),
          ("SERVICE_REQUEST", "NEW_CONNECTION"), ("REPAIR", "VOLTAGE")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited early")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


async def _drive(base: str, token: str, customers: list[dict], requests: int) -> tuple[list[float], float, int]:
    rng = random.Random(11)
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    headers = {"Authorization": f"Bearer {token}"}

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            i = queue.get_nowait()
            customer = rng.choice(customers)
            business_type, topic = rng.choice(TOPICS)
            body = {"channel": "HOTLINE_95598", "external_id": f"bench-{i}", "customer_no": customer["customer_no"],
                    "content": f"客户来电反映第{i}号问题，请尽快处理", "business_type": business_type, "topic": topic,
                    "urgent": False}
            started = time.perf_counter()
            response = await client.post(f"{base}/api/v1/appeals", json=body, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code not in (200, 201):
                errors += 1

    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed, errors


WRK_SCRIPT = r"""
local counter = 0
local threads = 0
local topics = {{"REPAIR","OUTAGE"}, {"INQUIRY","PAYMENT_TARIFF"}, {"COMPLAINT","STAFF_CONDUCT"},
                {"SERVICE_REQUEST","NEW_CONNECTION"}, {"REPAIR","VOLTAGE"}}
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
function init(args) math.randomseed(42 + tid) end
function request()
  counter = counter + 1
  local t = topics[math.random(1, #topics)]
  local body = string.format('{"channel":"HOTLINE_95598","external_id":"wrk-%d-%d","customer_no":"03%08d",'
    .. '"content":"客户来电反映第%d号问题，请尽快处理","business_type":"%s","topic":"%s","urgent":false}',
    tid, counter, math.random(1, CUSTOMERS), counter, t[1], t[2])
  return wrk.format("POST", "/api/v1/appeals",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer TOKEN"}, body)
end
"""


def _wrk(base: str, token: str, customers: int, seconds: int, work: Path) -> tuple[float, float, float, int, int]:
    """(requests/s, p50 ms, p99 ms, requests, non-2xx) measured by wrk (C, negligible client CPU)."""
    script = work / "intake.lua"
    script.write_text(WRK_SCRIPT.replace("TOKEN", token).replace("CUSTOMERS", str(customers)))
    out = subprocess.run(["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{seconds}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout
    def ms(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert match, out
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, ms("50%"), ms("99%"), total, int(bad.group(1)) if bad else 0


def _outcomes(url: str) -> tuple[int, int]:
    """(appeals created, calls merged into an open appeal as repeat calls): the mix the figures are for."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            created = conn.scalar(select(func.count()).select_from(Appeal)) or 0
            merged = conn.scalar(select(func.count()).select_from(AppealEvent)
                                 .where(AppealEvent.action == "urge")) or 0
    finally:
        engine.dispose()
    return created, merged


def bench_intake(work: Path, backend: str, requests: int, console: Console) -> list[Result]:
    home = work / f"intake-{backend}"
    with database(backend, home) as url:
        rt, people = runtime_with_org(url, home, customers=20_000)
        with rt.writes.begin() as session:
            create_user(session, "bench", "agent", None, "bench-password-123")
        rt.dispose()
        port = _free_port()
        workers = "2" if backend == "postgresql" else "1"
        env = dict(os.environ, GRIDVOICE_HOME=str(home), GRIDVOICE_DATABASE_URL=url, GRIDVOICE_SECRET_KEY="bench",
                   GRIDVOICE_SCHEDULER="false", GRIDVOICE_LOG_LEVEL="WARNING")
        proc = subprocess.Popen([sys.executable, "-m", "gridvoice.cli", "serve", "--port", str(port),
                                 "--workers", workers], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base, proc)
            token = httpx.post(f"{base}/api/v1/auth/token",
                               data={"username": "bench", "password": "bench-password-123"}).json()["access_token"]
            asyncio.run(_drive(base, token, people, min(200, requests)))  # warm-up
            if shutil.which("wrk"):
                seconds = max(5, requests // 400)
                rps, p50, p99, done, errors = _wrk(base, token, len(people), seconds, work)
                client = "wrk"
            else:  # slower Python client: it competes for the same two cores, so figures are lower
                latencies, elapsed, errors = asyncio.run(_drive(base, token, people, requests))
                done, rps = len(latencies), len(latencies) / elapsed
                p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
                client = "httpx"
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        created, merged = _outcomes(url)
    console.print(f"intake {backend}: {done} requests, {rps:.0f}/s, {errors} errors, {workers} worker(s), "
                  f"client {client}; {created} appeals created, {merged} repeat calls merged as urges "
                  f"({merged / max(1, created + merged):.1%})")
    name = f"intake via API ({workers} worker{'s' if workers != '1' else ''}, {CONCURRENCY} conns, {client})"
    return [
        Result(name, backend, "throughput", rps, "appeals/s", 500 if backend == "postgresql" else None),
        Result(name, backend, "p50 latency", p50, "ms", None, False),
        Result(name, backend, "p99 latency", p99, "ms", None, False),
    ]
