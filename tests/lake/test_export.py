"""The lake export from the operational store (SQLite, and PostgreSQL when configured): full, incremental,
unchanged; only changed partitions rewritten, atomically; personal data kept out; a new salt rebuilds."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import update

from gridvoice import lake
from gridvoice.appeals.models import Appeal
from gridvoice.appeals.schemas import AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.audit.service import record
from gridvoice.auth.service import Actor
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.lake import files
from gridvoice.lake.connect import lake_root
from gridvoice.lake.privacy import SALT_FILE, Pseudonymiser, load_salt
from gridvoice.runtime import Runtime

SYSTEM = Actor.system()


def _intake(rt: Runtime, when: datetime, content: str, **kw: object) -> int:
    data = AppealIn(channel="HOTLINE_95598", received_at=when, content=content, business_type="REPAIR",
                    topic="OUTAGE", urgent=False, org_unit="T111", **kw)
    return AppealService(rt).intake(data, SYSTEM).appeal.id


def _local(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LOCAL_TZ)


def _table(rt: Runtime) -> list[dict]:
    with lake.connect(rt.settings, "duckdb") as conn:
        return conn.rows(conn.appeals().order_by("id"))


@pytest.fixture
def store(runtime: Runtime) -> tuple[Runtime, list[int]]:
    ids = [
        _intake(runtime, _local(2026, 1, 15), "家里停电了，请回电13912345678", customer_no="0300000001",
                phone="138-0000-0001", address="东坪镇幸福路1号"),
        # 1 Feb 06:00 in Shanghai is still 31 Jan in UTC: the local month decides the partition
        _intake(runtime, _local(2026, 2, 1, 6), "又停电了", phone="+86 13800000001"),
        _intake(runtime, _local(2026, 2, 20), "停电三个小时了"),
    ]
    return runtime, ids


def test_full_then_incremental_then_unchanged(store):
    rt, ids = store
    first = lake.refresh(rt)
    assert first.mode == "full" and first.appeals == 3 and first.partitions == ["2026-01", "2026-02"]
    root = lake_root(rt.settings)
    january = files.partition_file(root, "2026-01")
    stamp = january.stat().st_mtime_ns
    service = AppealService(rt)
    appeal = service.get(ids[2], SYSTEM)
    service.act(ids[2], EventIn(action="dispatch", version=appeal.version), SYSTEM)
    second = lake.refresh(rt)
    assert second.mode == "incremental" and second.partitions == ["2026-02"] and second.total == 3
    assert january.stat().st_mtime_ns == stamp  # an untouched month is not rewritten
    rows = {r["id"]: r for r in _table(rt)}
    assert rows[ids[2]]["status"] == "dispatched" and rows[ids[2]]["version"] == appeal.version + 1
    assert lake.refresh(rt).mode == "unchanged"
    assert not list(root.rglob(".tmp-*"))  # every file was renamed into place
    state = files.read_state(root)
    assert state is not None and state.appeals == 3 and state.partitions == {"2026-01": 1, "2026-02": 2}


def test_a_new_appeal_and_a_label_correction_are_picked_up(store):
    rt, ids = store
    lake.refresh(rt)
    new_id = _intake(rt, _local(2026, 3, 2), "电压太低")
    # a corrected label changes the appeal without a timeline event; its audit entry is the change feed
    with rt.writes.begin() as session:
        session.execute(update(Appeal).where(Appeal.id == ids[0]).values(
            topic="VOLTAGE", factor="POWER_QUALITY", version=Appeal.version + 1, updated_at=datetime.now(UTC)))
        record(session, SYSTEM, "appeal.labels_correct", "appeal", ids[0], "wrong topic")
    report = lake.refresh(rt)
    assert report.mode == "incremental" and report.partitions == ["2026-01", "2026-03"]
    rows = {r["id"]: r for r in _table(rt)}
    assert rows[ids[0]]["topic"] == "VOLTAGE" and new_id in rows and len(rows) == 4


def test_personal_data_stays_out_and_keys_link_the_same_caller(store):
    rt, ids = store
    lake.refresh(rt)
    root = lake_root(rt.settings)
    schema = pq.read_schema(files.partition_files(root)[0])
    assert not {"customer_no", "customer_name", "phone", "address"} & set(schema.names)
    rows = {r["id"]: r for r in _table(rt)}
    keys = Pseudonymiser(load_salt(rt.settings))
    assert rows[ids[0]]["customer_key"] == keys.customer("0300000001")
    # the same phone written two ways is one key
    assert rows[ids[0]]["phone_key"] == rows[ids[1]]["phone_key"] == keys.phone("13800000001")
    assert rows[ids[2]]["phone_key"] is None and rows[ids[2]]["customer_key"] is None
    assert "13912345678" not in rows[ids[0]]["content"] and "＃" in rows[ids[0]]["content"]
    assert rows[ids[1]]["received_date"].isoformat() == "2026-02-01" and rows[ids[1]]["received_hour"] == 6
    salt_file = Path(rt.settings.home) / SALT_FILE
    assert salt_file.stat().st_mode & 0o777 == 0o600 and salt_file.parent != root


def test_a_new_salt_rebuilds_and_handlers_are_recorded(store):
    rt, ids = store
    lake.refresh(rt)
    service = AppealService(rt)
    for action, who in (("dispatch", SYSTEM), ("receive", Actor("handler_c1", "handler", "C1"))):
        appeal = service.get(ids[0], SYSTEM)
        service.act(ids[0], EventIn(action=action, version=appeal.version), who)
    os.remove(Path(rt.settings.home) / SALT_FILE)
    report = lake.refresh(rt)
    assert report.mode == "full"
    rows = {r["id"]: r for r in _table(rt)}
    assert rows[ids[0]]["handler"] == "handler_c1" and rows[ids[1]]["handler"] is None
    assert rows[ids[0]]["customer_key"] == Pseudonymiser(load_salt(rt.settings)).customer("0300000001")


def test_an_empty_store_gives_an_empty_lake(runtime):
    report = lake.refresh(runtime)
    assert report.mode == "full" and report.total == 0
    with lake.connect(runtime.settings) as conn:
        assert conn.con.execute(conn.appeals().count()) == 0
        assert conn.con.execute(conn.units().count()) == 9
