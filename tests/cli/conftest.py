"""Shared fixtures of the CLI tests: the CLI run in-process against a temporary home and the test database."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from conftest import make_runtime, seed_small  # tests/conftest.py
from gridvoice.auth import service as auth_service
from gridvoice.cli import app
from gridvoice.runtime import Runtime

_FAST_HASH = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))


@dataclass
class Cli:
    home: Path
    url: str
    runner: CliRunner

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args), catch_exceptions=True)

    def runtime(self) -> Runtime:
        return make_runtime(self.url, self.home)

    def seed(self) -> None:
        rt = self.runtime()
        seed_small(rt)
        rt.dispose()

    def count(self, model: Any) -> int:
        rt = self.runtime()
        try:
            with rt.sessions() as s:
                return s.scalar(select(func.count()).select_from(model)) or 0
        finally:
            rt.dispose()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI points the root logger at the (captured, then closed) stderr of each run; undo that."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def cli(backend_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("GRIDVOICE_CONFIG", "GRIDVOICE_SECRET_KEY", "GRIDVOICE_LOG_FORMAT", "GRIDVOICE_SHARED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRIDVOICE_HOME", str(home))
    if backend_url.startswith("sqlite"):
        url = f"sqlite:///{(home / 'gridvoice.db').resolve()}"
        monkeypatch.delenv("GRIDVOICE_DATABASE_URL", raising=False)  # the default: a SQLite file in the home
    else:
        url = backend_url
        monkeypatch.setenv("GRIDVOICE_DATABASE_URL", url)
    monkeypatch.setattr(auth_service, "hash_password", _FAST_HASH.hash)
    yield Cli(home, url, CliRunner())


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    cli.seed()
    return cli


def squash(text: str) -> str:
    """Rich wraps long stderr lines: compare messages without whitespace."""
    return "".join(text.split())


def says(result: Result, *words: str) -> bool:
    return all(squash(w) in squash(result.stderr + result.stdout) for w in words)


def one_json(result: Result) -> Any:
    """Standard output is exactly one JSON document."""
    out = result.stdout.strip()
    assert out, result.stderr
    doc = json.loads(out)  # raises on anything but one document
    assert len(out.splitlines()) == 1
    return doc
