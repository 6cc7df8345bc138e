"""Shared fixtures: a runtime on a temporary SQLite file (or PostgreSQL when asked), a small org tree."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from gridvoice.auth import service as auth_service
from gridvoice.auth.service import Actor, create_user
from gridvoice.config import Settings
from gridvoice.domain.roles import Role
from gridvoice.org.models import Customer
from gridvoice.org.service import UnitSpec, add_units
from gridvoice.runtime import Runtime
from gridvoice.store.db import scratch_postgres_database

PG_URL = os.environ.get("GRIDVOICE_TEST_PG_URL")
# Real argon2 hashes with cheap parameters: tests create many users, production keeps pwdlib's defaults.
auth_service._hasher = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
PASSWORD = "correct-horse-battery"

SMALL_ORG = [
    UnitSpec("HZ", "青禾市供电局", "city", None, "urban"),
    UnitSpec("C1", "东坪县", "county", "HZ", "urban"),
    UnitSpec("C2", "西岭县", "county", "HZ", "rural"),
    UnitSpec("S11", "东坪城区供电所", "station", "C1", "urban"),
    UnitSpec("S21", "西岭山区供电所", "station", "C2", "remote"),
    UnitSpec("S22", "西岭镇供电所", "station", "C2", "rural"),
    UnitSpec("T111", "东坪1号台区", "transformer_area", "S11", "urban"),
    UnitSpec("T211", "高山1号台区", "transformer_area", "S21", "remote"),
    UnitSpec("T221", "西岭1号台区", "transformer_area", "S22", "rural"),
]


def _pg_database() -> Iterator[str]:
    """A fresh schema-less database on the PostgreSQL server."""
    assert PG_URL
    with scratch_postgres_database(PG_URL, "gv_test") as url:
        yield url


@contextmanager
def backend_store(backend: str, home: Path, seed: bool = True) -> Iterator[Runtime]:
    """A migrated store on `backend` (sqlite | postgresql, a fresh database dropped afterwards), seeded with the
    small org and its users unless `seed` is False; skips when PostgreSQL is asked for and not configured."""
    if backend == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{home / 'gridvoice.db'}"])
    else:
        if not PG_URL:
            pytest.skip("GRIDVOICE_TEST_PG_URL not set")
        urls = _pg_database()
    rt = make_runtime(next(urls), home)
    if seed:
        seed_small(rt)
    try:
        yield rt
    finally:
        rt.dispose()
        next(urls, None)  # drops the PostgreSQL database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gridvoice.db'}"
        return
    if not PG_URL:
        pytest.skip("GRIDVOICE_TEST_PG_URL not set")
    yield from _pg_database()


def make_runtime(url: str, home: Path) -> Runtime:
    settings = Settings(home=home, database_url=url, secret_key="test-secret-key-not-for-production",
                        scheduler=False)
    runtime = Runtime(settings)
    runtime.init_schema()
    return runtime


def seed_small(runtime: Runtime) -> None:
    with runtime.writes.begin() as session:
        add_units(session, SMALL_ORG)
        session.add_all([
            Customer(customer_no="0300000001", name="陈大文", category="residential", voltage_level="220V",
                     transformer_area="T111", address="东坪镇幸福路1号", phone="13800000001"),
            Customer(customer_no="0300000002", name="李小梅", category="residential", voltage_level="220V",
                     transformer_area="T221", address="西岭镇新村2号", phone="13800000002"),
        ])
        for role in Role:
            create_user(session, f"{role.value}_city", role.value, None, PASSWORD)
            create_user(session, f"{role.value}_c1", role.value, "C1", PASSWORD)
    runtime.invalidate_org()


@pytest.fixture
def runtime(backend_url: str, tmp_path: Path) -> Iterator[Runtime]:
    rt = make_runtime(backend_url, tmp_path)
    seed_small(rt)
    yield rt
    rt.dispose()


@pytest.fixture
def sqlite_runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = make_runtime(f"sqlite:///{tmp_path / 'gridvoice.db'}", tmp_path)
    seed_small(rt)
    yield rt
    rt.dispose()


def actor(role: Role, org: str | None = None) -> Actor:
    return Actor(f"{role.value}_{org.lower() if org else 'city'}", role, org)
