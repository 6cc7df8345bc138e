"""The model at intake (labels, confidence, review flag, fallback) and the API: label corrections and
explanations, with permissions, territory, versions and the audit trail."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import PASSWORD, actor, make_runtime, seed_small  # tests/conftest.py
from gridvoice.api.app import create_app
from gridvoice.appeals.schemas import AppealIn
from gridvoice.appeals.service import REVIEW_CONFIDENCE, AppealService
from gridvoice.audit.models import AuditEntry
from gridvoice.classifier import registry
from gridvoice.classifier.labeller import ModelLabeller, needs_review
from gridvoice.classifier.models import LabelCorrection
from gridvoice.classifier.service import corrections
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime

API = "/api/v1"
Headers = dict[str, str]


@pytest.fixture
def runtime(model_home: Path, tmp_path: Path) -> Iterator[Runtime]:
    home = tmp_path / "home"
    shutil.copytree(model_home, home)  # the model installed, in a home of its own
    rt = make_runtime(f"sqlite:///{tmp_path / 'gridvoice.db'}", home)
    seed_small(rt)
    assert isinstance(rt.labeller, ModelLabeller)
    yield rt
    rt.dispose()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[tuple[TestClient, Callable[[str], Headers]]]:
    with TestClient(create_app(runtime)) as c:
        tokens: dict[str, Headers] = {}

        def login(username: str) -> Headers:
            if username not in tokens:
                r = c.post(f"{API}/auth/token", data={"username": username, "password": PASSWORD})
                assert r.status_code == 200, r.text
                tokens[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
            return tokens[username]

        yield c, login


def intake(rt: Runtime, content: str, **fields: Any) -> Any:
    body = AppealIn(channel=fields.pop("channel", "HOTLINE_95598"), content=content,
                    org_unit=fields.pop("org_unit", "T111"), **fields)
    return AppealService(rt).intake(body, actor(Role.AGENT)).appeal


def test_intake_fills_missing_labels_from_the_model(runtime: Runtime) -> None:
    appeal = intake(runtime, "客户来电反映家中停电，电线冒烟，要求尽快派人抢修")
    assert appeal.labels_source == "model"
    assert appeal.topic in ("OUTAGE", "FACILITY_SAFETY") and appeal.urgent and appeal.duty_alert
    labels = runtime.labeller.label("客户来电反映家中停电，电线冒烟，要求尽快派人抢修", "HOTLINE_95598")
    assert appeal.label_confidence == pytest.approx(min(labels.confidence_business_type, labels.confidence_topic))
    assert appeal.needs_review == (appeal.label_confidence < REVIEW_CONFIDENCE)
    assert labels.reasons == ("safety:冒烟",) and labels.model_version  # type: ignore[attr-defined]
    given = intake(runtime, "随便写点什么", business_type="INQUIRY", topic="OTHER", urgent=False)
    assert given.labels_source == "given" and given.label_confidence is None and not given.needs_review
    partly = intake(runtime, "家里没电了", business_type="URGE")
    assert partly.business_type == "URGE" and partly.labels_source == "model"


def test_low_confidence_is_marked_for_review(runtime: Runtime) -> None:
    appeal = intake(runtime, "嗯")  # nothing to go by
    assert appeal.label_confidence < REVIEW_CONFIDENCE and appeal.needs_review
    labels = runtime.labeller.label("嗯", "HOTLINE_95598")
    assert needs_review(labels) and not needs_review(labels, threshold=0.0)
    assert not needs_review(runtime.labeller.label("客户来电反映家中停电，要求尽快派人抢修", "HOTLINE_95598"))


def test_labeller_falls_back_and_follows_the_installed_model(model_home: Path, tmp_path: Path) -> None:
    empty = ModelLabeller(tmp_path)
    assert empty.model() is None and empty.label("家里没电了", "APP").source == "keyword"
    home = tmp_path / "home"
    shutil.copytree(model_home, home)
    labeller = ModelLabeller(home)
    assert labeller.label("家里没电了", "APP").source == "model"
    (registry.pointer_file(home)).write_text("no-such-version\n", "utf-8")
    assert labeller.label("家里没电了", "APP").source == "keyword"  # a broken install never blocks intake
    version = next(d.name for d in registry.models_dir(home).iterdir() if d.is_dir())
    (registry.pointer_file(home)).write_text(version + "\n", "utf-8")
    assert labeller.label("家里没电了", "APP").source == "model"
    batch = labeller.label_many(["家里没电了", "电线冒烟了"], ["APP", "SMS"])
    assert [b.urgent for b in batch] == [False, True]


def test_an_agent_corrects_labels(runtime: Runtime, client: tuple[TestClient, Callable[[str], Headers]]) -> None:
    c, login = client
    created = c.post(f"{API}/appeals", json={"channel": "HOTLINE_95598", "org_unit": "T111",
                                             "content": "停电后抢修人员态度恶劣，还骂人"}, headers=login("agent_city"))
    assert created.status_code == 201, created.text
    appeal = created.json()
    body = {"business_type": "COMPLAINT", "topic": "STAFF_CONDUCT", "urgent": False, "note": "态度问题",
            "version": appeal["version"]}
    r = c.post(f"{API}/appeals/{appeal['id']}/labels", json=body, headers=login("agent_city"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["business_type"], out["topic"], out["factor"]) == ("COMPLAINT", "STAFF_CONDUCT", "STAFF")
    assert out["labels_source"] == "corrected" and not out["needs_review"]
    assert out["version"] == appeal["version"] + 1
    detail = c.get(f"{API}/appeals/{appeal['id']}", headers=login("agent_city")).json()
    assert detail["topic"] == "STAFF_CONDUCT" and detail["version"] == out["version"]
    with runtime.sessions() as s:
        row = s.scalars(select(LabelCorrection)).one()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "appeal.labels_correct")).one()
    assert row.previous["labels_source"] == "model" and row.content == "停电后抢修人员态度恶劣，还骂人"
    assert audit.target_id == str(appeal["id"]) and audit.reason == "态度问题"
    assert audit.details["after"]["topic"] == "STAFF_CONDUCT"
    training = corrections(runtime)
    assert (training.texts, training.topic, training.urgent) == (["停电后抢修人员态度恶劣，还骂人"], ["STAFF_CONDUCT"],
                                                                 [False])
    stale = c.post(f"{API}/appeals/{appeal['id']}/labels", json=body, headers=login("agent_city"))
    assert stale.status_code == 409


def test_corrections_are_guarded(client: tuple[TestClient, Callable[[str], Headers]]) -> None:
    c, login = client
    far = c.post(f"{API}/appeals", json={"channel": "APP", "org_unit": "T221", "content": "家里没电了"},
                 headers=login("agent_city")).json()
    url = f"{API}/appeals/{far['id']}/labels"
    assert c.post(url, json={"topic": "OUTAGE"}, headers=login("handler_city")).status_code == 403
    assert c.post(url, json={"topic": "OUTAGE"}, headers=login("agent_c1")).status_code == 404  # outside C1
    assert c.post(f"{API}/appeals/999999/labels", json={"topic": "OUTAGE"},
                  headers=login("agent_city")).status_code == 404
    for bad in ({}, {"topic": "NOPE"}, {"topic": "OUTAGE", "colour": "red"}, {"urgent": "maybe"}):
        assert c.post(url, json=bad, headers=login("agent_city")).status_code == 422, bad
    assert c.post(url, json={"urgent": True}).status_code == 401


def test_a_correction_reschedules_an_open_appeal(runtime: Runtime) -> None:
    from gridvoice.classifier.service import LabelsIn, correct_labels

    appeal = intake(runtime, "家里没电了快来修", business_type="REPAIR", topic="OUTAGE", urgent=False)
    out = correct_labels(runtime, appeal.id, LabelsIn(business_type="INQUIRY", topic="OUTAGE_NOTICE"),
                         actor(Role.AGENT))
    with runtime.sessions() as s:
        from gridvoice.appeals.models import Appeal

        after = s.get(Appeal, appeal.id)
    assert out.business_type == "INQUIRY" and after is not None
    assert after.next_due_at != appeal.next_due_at  # an inquiry's limits are not a repair's


def test_explanations(client: tuple[TestClient, Callable[[str], Headers]], runtime: Runtime) -> None:
    c, login = client
    appeal = c.post(f"{API}/appeals", json={"channel": "APP", "org_unit": "T111", "content": "电表箱冒烟了，有焦味"},
                    headers=login("agent_city")).json()
    r = c.get(f"{API}/appeals/{appeal['id']}/labels/explain?top=4", headers=login("analyst_city"))
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["labels"]["labels_source"] == "model" and doc["predicted"]["urgent"] is True
    assert all(1 <= len(v) <= 4 for v in doc["drivers"].values())
    assert {c["text"] for c in doc["cues"]} >= {"冒烟", "焦味"}
    assert c.get(f"{API}/appeals/{appeal['id']}/labels/explain?top=0", headers=login("analyst_city")).status_code == 422
    registry.pointer_file(runtime.settings.home).unlink()
    gone = c.get(f"{API}/appeals/{appeal['id']}/labels/explain", headers=login("analyst_city"))
    assert gone.status_code == 409 and "no classifier model" in gone.text
    assert c.get(f"{API}/appeals/999999/labels/explain", headers=login("analyst_city")).status_code == 404


def test_training_from_the_store_and_with_corrections(runtime: Runtime, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from gridvoice.classifier.service import LabelsIn, correct_labels, store_history
    from gridvoice.cli import app

    labelled = [("家里没电了", "REPAIR", "OUTAGE"), ("电费怎么这么高", "INQUIRY", "METER_READING_BILLING")]
    for i in range(4):
        for text, bt, topic in labelled:
            intake(runtime, f"{text}{i}", business_type=bt, topic=topic, urgent=i % 2 == 0)
    predicted = intake(runtime, "电压太低了")  # the model's own labels are never training data
    history = store_history(runtime)
    assert len(history) == 8 and "电压太低了" not in history.texts
    correct_labels(runtime, predicted.id, LabelsIn(business_type="REPAIR", topic="OUTAGE"), actor(Role.AGENT))
    assert "电压太低了" in store_history(runtime).texts  # corrected labels are trusted

    monkeypatch.setenv("GRIDVOICE_HOME", str(runtime.settings.home))
    monkeypatch.setenv("GRIDVOICE_DATABASE_URL", str(runtime.engine.url))
    runner = CliRunner()
    result = runner.invoke(app, ["model", "train", "--from-store", "--out", str(tmp_path / "m1"), "--jobs", "1",
                                 "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"training_size": 9' in result.stdout
    data = tmp_path / "d.jsonl"
    rows = [{"text": f"{t}{i}", "business_type": b, "topic": p, "urgent": i % 2 == 0}
            for i in range(3) for t, b, p in labelled]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = runner.invoke(app, ["model", "train", "--data", str(data), "--include-corrections", "--out",
                                 str(tmp_path / "m2"), "--jobs", "1", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"training_size": 7' in result.stdout and "+ 1 corrections" in result.stdout
