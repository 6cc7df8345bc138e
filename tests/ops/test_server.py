"""The real server process: health, JSON logs, graceful shutdown that finishes in-flight requests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import make_runtime, seed_small  # tests/conftest.py


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    rt = make_runtime(f"sqlite:///{tmp_path / 'gridvoice.db'}", tmp_path)
    seed_small(rt)
    rt.dispose()
    port = _free_port()
    env = dict(os.environ, GRIDVOICE_HOME=str(tmp_path), GRIDVOICE_SECRET_KEY="test-secret-key-not-for-production",
               GRIDVOICE_DEBUG_ENDPOINTS="1", GRIDVOICE_LOG_FORMAT="json", GRIDVOICE_LOG_LEVEL="INFO",
               GRIDVOICE_SLA_CHECK_SECONDS="1")
    env.pop("GRIDVOICE_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "gridvoice.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError(f"server did not start: {proc.stderr.read() if proc.stderr else ''}")
    yield base, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_graceful_shutdown_finishes_in_flight_request(server) -> None:  # type: ignore[no-untyped-def]
    base, proc = server
    result: dict[str, object] = {}

    def slow_request() -> None:
        try:
            response = httpx.get(f"{base}/api/v1/_debug/sleep", params={"seconds": 2}, timeout=10)
            result["status"] = response.status_code
            result["body"] = response.json()
        except httpx.HTTPError as exc:  # the test fails below with the reason
            result["error"] = repr(exc)

    worker = threading.Thread(target=slow_request)
    worker.start()
    time.sleep(0.5)  # the request is in flight
    proc.send_signal(signal.SIGTERM)
    worker.join(timeout=15)
    assert result.get("status") == 200, result
    assert result["body"] == {"slept": 2.0}
    # uvicorn re-raises SIGTERM after its graceful shutdown, so -SIGTERM is the clean-stop status
    assert proc.wait(timeout=15) in (0, -signal.SIGTERM)
    assert proc.stderr is not None
    assert "gridvoice stopped" in proc.stderr.read()  # the lifespan shutdown ran to its end
    # refuses new connections once stopped
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{base}/healthz", timeout=1)


def test_json_logs_and_sla_job(server) -> None:  # type: ignore[no-untyped-def]
    base, proc = server
    assert httpx.get(f"{base}/healthz").json()["status"] == "ok"
    time.sleep(2.5)  # the in-process SLA job runs every second here
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)
    assert proc.stderr is not None
    lines = [line for line in proc.stderr.read().splitlines() if line.strip()]
    docs = [json.loads(line) for line in lines if line.startswith("{")]
    assert docs, lines
    assert all({"ts", "level", "logger", "msg"} <= d.keys() for d in docs)
    messages = [d["msg"] for d in docs]
    assert "gridvoice started" in messages
    assert "sla check" in messages, messages
    assert "gridvoice stopped" in messages
