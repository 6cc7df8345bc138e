"""API fixtures: the app on a seeded store (SQLite, and PostgreSQL when GRIDVOICE_TEST_PG_URL is set) and
bearer-token headers per user.

Seeding hashes sixteen argon2 passwords (~2 s), so most API tests share one store per module and keep apart by
giving their appeals unique content tokens and phone numbers; tests that need a store of their own use the
function-scoped `runtime` fixture of tests/conftest.py through `fresh_client`.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gridvoice.api.app import create_app
from gridvoice.runtime import Runtime

try:  # tests/conftest.py, whether tests/ is a package or only a folder on sys.path
    from tests.conftest import PASSWORD, backend_store
except ImportError:
    from conftest import PASSWORD, backend_store  # type: ignore[no-redef]

API = "/api/v1"
Headers = dict[str, str]
_phones = itertools.count(1)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def module_runtime(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    with backend_store(request.param, tmp_path_factory.mktemp("gv")) as rt:
        yield rt


@pytest.fixture(scope="module")
def client(module_runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(module_runtime)) as c:  # `with`: the lifespan runs
        yield c


def _login(client: TestClient) -> Callable[[str], Headers]:
    cache: dict[str, Headers] = {}

    def headers(username: str) -> Headers:
        if username not in cache:
            r = client.post(f"{API}/auth/token", data={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            cache[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        return cache[username]

    return headers


@pytest.fixture(scope="module")
def auth(client: TestClient) -> Callable[[str], Headers]:
    """auth("dispatcher_city") -> {"Authorization": "Bearer ..."}; one login per user and module."""
    return _login(client)


@pytest.fixture
def fresh_client(runtime: Runtime) -> Iterator[tuple[TestClient, Callable[[str], Headers], Runtime]]:
    """A client on a store of its own (SQLite and PostgreSQL via the `runtime` fixture)."""
    with TestClient(create_app(runtime)) as c:
        yield c, _login(c), runtime


def unique_phone() -> str:
    return f"139{uuid.uuid4().int % 10**4:04d}{next(_phones):04d}"


def token() -> str:
    return f"tok{uuid.uuid4().hex[:12]}"


def appeal_body(**overrides: Any) -> dict[str, Any]:
    body = {"channel": "HOTLINE_95598", "content": f"家里停电了 {token()}", "business_type": "REPAIR",
            "topic": "OUTAGE", "urgent": False, "org_unit": "T111"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def post_appeal(client: TestClient, headers: Headers, expect: int = 201, **overrides: Any) -> dict[str, Any]:
    r = client.post(f"{API}/appeals", json=appeal_body(**overrides), headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


def act(client: TestClient, headers: Headers, appeal: dict[str, Any], action: str, expect: int = 200,
        **fields: Any) -> dict[str, Any]:
    body = {"action": action, "version": appeal["version"], **fields}
    r = client.post(f"{API}/appeals/{appeal['id']}/events", json=body, headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


def names_field(response: Any, field: str) -> bool:
    """True when a 422 answer's `detail` names `field` in an error location."""
    detail = response.json()["detail"]
    return isinstance(detail, list) and any(field in [str(p) for p in err["loc"]] for err in detail)
