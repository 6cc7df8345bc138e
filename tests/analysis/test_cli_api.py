"""`gridvoice analyze …` and GET /api/v1/analysis/…: formats, exit codes and 422s naming the parameter,
permission and territory."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import PASSWORD, make_runtime, seed_small  # tests/conftest.py
from gridvoice.api.app import create_app
from gridvoice.appeals.schemas import AppealIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor
from gridvoice.cli import app
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.runtime import Runtime

API = "/api/v1/analysis"
TODAY = datetime.now(LOCAL_TZ).date()


def _stored(home: Path, where: str = "1=1") -> int:
    rt = make_runtime(f"sqlite:///{(home / 'gridvoice.db').resolve()}", home)
    try:
        with rt.engine.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT count(*) FROM appeals WHERE {where}").scalar() or 0)
    finally:
        rt.dispose()


def _fill(rt: Runtime) -> None:
    """Forty days of appeals on two areas; customer 0300000001 calls eight times (some calls are merged into
    an open appeal of the same topic as repeat calls, as intake does)."""
    service = AppealService(rt)
    now = datetime.now(LOCAL_TZ) - timedelta(minutes=5)
    for offset in range(40):
        for ta, topic in (("T111", "OUTAGE"), ("T221", "PAYMENT_TARIFF")):
            when = now - timedelta(days=offset, minutes=offset)
            service.intake(AppealIn(channel="HOTLINE_95598", received_at=when, content=f"第{offset}天 停电了",
                                    business_type="REPAIR", topic=topic, urgent=False, transformer_area=ta,
                                    customer_no="0300000001" if offset % 10 == 0 else None), Actor.system())


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("analysis-home")
    rt = make_runtime(f"sqlite:///{(home / 'gridvoice.db').resolve()}", home)
    seed_small(rt)
    _fill(rt)
    rt.dispose()
    yield home


@pytest.fixture
def cli(home: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("GRIDVOICE_CONFIG", "GRIDVOICE_SECRET_KEY", "GRIDVOICE_LOG_FORMAT", "GRIDVOICE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRIDVOICE_HOME", str(home))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, ["analyze", *args], catch_exceptions=True)
    root.handlers[:] = handlers
    root.setLevel(level)


def one_json(result) -> object:
    out = result.stdout.strip()
    assert out and len(out.splitlines()) == 1, (result.stdout, result.stderr)
    return json.loads(out)


def test_export_and_every_analysis_as_one_json_document(cli, home):
    exported = cli("export-lake", "--format", "json")
    assert exported.exit_code == 0, exported.stderr
    assert one_json(exported)["total"] == _stored(home) > 60
    for command in ("hotspots", "repeats", "sensitive", "risk", "factors"):
        result = cli(command, "--format", "json")
        assert result.exit_code == 0, (command, result.stderr)
        doc = one_json(result)
        assert isinstance(doc, dict) and doc, command
    risk = one_json(cli("risk", "--format", "json", "--no-refresh", "--level", "station"))
    assert {r["unit"] for r in risk["rows"]} == {"S11", "S21", "S22"}
    repeats = one_json(cli("repeats", "--format", "json", "--from", (TODAY - timedelta(days=60)).isoformat()))
    assert repeats["window_days"] == 30 and isinstance(repeats["groups"], list)


def test_csv_xlsx_and_profile(cli, home, tmp_path: Path):
    csv_out = cli("factors", "--format", "csv", "--table", "shares", "--no-refresh")
    assert csv_out.exit_code == 0 and csv_out.stdout.splitlines()[0].startswith("单位,单位名称,月份")
    english = cli("factors", "--format", "csv", "--lang", "en", "--out", str(tmp_path / "f.csv"))
    assert english.exit_code == 0 and (tmp_path / "f.csv").read_text("utf-8-sig").startswith("unit,")
    book = tmp_path / "risk.xlsx"
    assert cli("risk", "--format", "xlsx", "--out", str(book)).exit_code == 0
    assert load_workbook(book).sheetnames == ["区域风险"]
    profile = one_json(cli("sensitive", "--customer-no", "0300000001", "--format", "json"))
    assert profile["found"] and profile["appeals"] == _stored(home, "customer_no = '0300000001'")
    assert profile["components"]["frequency"] == 8


@pytest.mark.parametrize(("args", "field"), [
    (("hotspots", "--level", "city"), "level"),
    (("hotspots", "--from", "2026-02-30"), "from"),
    (("risk", "--from", "2026-05-02", "--to", "2026-05-01"), "to"),
    (("risk", "--period", "year"), "period"),
    (("repeats", "--topic", "NOISE"), "topic"),
    (("factors", "--format", "xlsx"), "out"),
    (("hotspots", "--granularity", "hour", "--from", "2025-01-01"), "to"),
    (("sensitive", "--min-score", "120"), "min_score"),
    (("hotspots", "--org", "NOWHERE"), "org"),
    (("risk", "--config", "/nonexistent.toml"), "config"),
    (("risk", "--from", "0001-01-01", "--to", "0001-02-01"), "to"),
    (("sensitive", "--to", "9999-12-31"), "to"),
])
def test_bad_input_exits_2_naming_the_field(cli, args, field):
    result = cli(*args, "--no-refresh")
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert field in result.stderr, result.stderr


# ---------------------------------------------------------------------------------------------- API


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    rt = make_runtime(f"sqlite:///{(home / 'gridvoice.db').resolve()}", home)
    with TestClient(create_app(rt)) as c:
        yield c
    rt.dispose()


def login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_api_answers_each_analysis_for_an_analyst(client, home):
    headers = login(client, "analyst_city")
    for path in ("hotspots", "repeats", "sensitive", "risk", "factors", "lake"):
        r = client.get(f"{API}/{path}", headers=headers)
        assert r.status_code == 200, (path, r.text)
    r = client.get(f"{API}/risk", params={"level": "station", "from": (TODAY - timedelta(days=20)).isoformat()},
                   headers=headers)
    assert {row["unit"] for row in r.json()["rows"]} == {"S11", "S21", "S22"}
    assert client.get(f"{API}/lake", headers=headers).json()["appeals"] == _stored(home)


def test_api_permission_and_territory(client):
    assert client.get(f"{API}/hotspots").status_code == 401
    agent = login(client, "agent_city")
    assert client.get(f"{API}/hotspots", headers=agent).status_code == 403
    profile = client.get(f"{API}/sensitive/profile", params={"customer_no": "0300000001"}, headers=agent)
    assert profile.status_code == 200 and profile.json()["components"]["frequency"] == 8
    county = login(client, "county_manager_c1")
    rows = client.get(f"{API}/risk", params={"level": "station"}, headers=county).json()["rows"]
    assert {r["unit"] for r in rows} == {"S11"}
    assert client.get(f"{API}/risk", params={"org": "C2"}, headers=county).status_code == 403
    handler = login(client, "handler_city")
    assert client.get(f"{API}/factors", headers=handler).status_code == 403


@pytest.mark.parametrize(("params", "field"), [
    ({"level": "city"}, "level"), ({"from": "yesterday"}, "from"), ({"limit": "0"}, "limit"),
    ({"topic": "NOISE"}, "topic"), ({"granularity": "minute"}, "granularity"),
])
def test_api_bad_parameters_are_422_naming_them(client, params, field):
    r = client.get(f"{API}/hotspots", params=params, headers=login(client, "analyst_city"))
    assert r.status_code == 422 and any(field in map(str, e["loc"]) for e in r.json()["detail"]), r.text


def test_api_service_errors_are_422_naming_the_field(client):
    headers = login(client, "analyst_city")
    r = client.get(f"{API}/risk", params={"from": "2026-05-02", "to": "2026-05-01"}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "to"
    r = client.get(f"{API}/sensitive/profile", headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "customer_no"
    assert client.get(f"{API}/repeats", headers=headers).status_code == 200
