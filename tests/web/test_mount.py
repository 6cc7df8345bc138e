"""The console on the API's app: several apps per process, the API's own answers kept, the session cookie."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient
from nicegui.storage import Storage

from gridvoice.api.app import create_app
from gridvoice.runtime import Runtime
from gridvoice.web.console import SESSION_COOKIE, storage_secret


def test_several_apps_in_one_process(web_runtime: Runtime) -> None:
    for _ in range(2):  # one after the other, as test modules do
        with TestClient(create_app(web_runtime)) as client:
            assert client.get("/login").status_code == 200
            assert client.get("/healthz").status_code == 200
    with TestClient(create_app(web_runtime)) as outer, TestClient(create_app(web_runtime)) as inner:
        # one inside the other, as a module's client and a test's fresh client: both serve their API
        assert outer.get("/healthz").json()["status"] == "ok"
        assert inner.get("/healthz").json()["status"] == "ok"
        assert outer.get("/login").status_code == 200
    with TestClient(create_app(web_runtime)) as client:  # and the console starts again afterwards
        assert client.get("/login").status_code == 200


def test_the_api_keeps_its_own_answers(web_runtime: Runtime) -> None:
    with TestClient(create_app(web_runtime)) as client:
        missing = client.get("/api/v1/no-such-thing")
        assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
        assert client.post("/healthz").status_code == 405
        assert client.get("/api/v1/appeals").status_code == 401
        assert client.get("/metrics").headers["content-type"].startswith("text/plain")
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        assert all(p.startswith("/api/v1/") or p in ("/healthz", "/metrics") for p in paths)
        home = client.get("/", follow_redirects=False)
        assert home.status_code == 303 and home.headers["location"] == "/login?next=/"


def test_session_cookie(web_runtime: Runtime) -> None:
    with TestClient(create_app(web_runtime)) as client:
        cookie = client.get("/login").headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=lax", "path=/"} <= attributes and "secure" not in attributes
    assert f"max-age={web_runtime.settings.token_minutes * 60}" in attributes
    secure = Runtime(replace(web_runtime.settings, cookie_secure=True))
    with TestClient(create_app(secure), base_url="https://testserver") as client:
        assert "secure" in client.get("/login").headers["set-cookie"].lower()
    secure.dispose()
    # the cookie key is derived from the server secret, not the secret itself
    assert storage_secret(web_runtime) != web_runtime.settings.resolved_secret_key()
    assert Storage.path == (web_runtime.settings.home / "console-sessions").resolve()  # in the data folder
