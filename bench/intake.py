"""Intake through the HTTP API: a real `gridvoice serve` process, concurrent HTTP clients on loopback."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console

from bench.common import Result, database, percentile, runtime_with_org
from gridvoice.auth.service import create_user

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
            latencies, elapsed, errors = asyncio.run(_drive(base, token, people, requests))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    done = len(latencies)
    console.print(f"intake {backend}: {done} requests in {elapsed:.1f} s, {errors} errors, {workers} worker(s)")
    name = f"intake via API ({workers} worker{'s' if workers != '1' else ''}, {CONCURRENCY} clients)"
    return [
        Result(name, backend, "throughput", done / elapsed, "appeals/s", 500 if backend == "postgresql" else None),
        Result(name, backend, "p50 latency", percentile(latencies, 0.5) * 1000, "ms", None, False),
        Result(name, backend, "p99 latency", percentile(latencies, 0.99) * 1000, "ms", None, False),
    ]
