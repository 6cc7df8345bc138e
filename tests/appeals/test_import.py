"""Bulk import of appeals (`gridvoice.appeals.importer`): validation, all-or-nothing, duplicates, repeat calls.

Rules under test (interfaces.md "Appeals", DESIGN.md "Conventions"): every rejected row is reported with its
row number, field and reason; nothing is half-written (an appeal lands with exactly one `accept` event, or not
at all); `atomic` lands the whole file or nothing; `--dry-run` writes nothing yet reports what a real run
would; channel + external_id is idempotent; a repeat call (same caller, same topic, within 72 h, first still
open) becomes an `urge` on the first appeal, as in the API.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import delete, func, select

import gridvoice.appeals.importer as importer_module
from gridvoice.appeals.files import HEADERS_ZH, POST_FIELDS
from gridvoice.appeals.importer import AppealImporter, ImportReport, write_rejected
from gridvoice.appeals.models import Appeal, AppealEvent, MergedCall
from gridvoice.appeals.schemas import AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth import service as auth_service
from gridvoice.auth.service import Actor
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.taxonomy import BusinessType, Channel, Topic
from gridvoice.errors import BadInput
from gridvoice.runtime import Runtime

SYSTEM = Actor.system()
COLUMNS = ["channel", "external_id", "received_at", "content", "customer_no", "phone", "org_unit",
           "transformer_area", "business_type", "topic", "urgent"]
_FAST_HASH = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """seed_small creates 16 users; real argon2 parameters would make every store cost seconds."""
    monkeypatch.setattr(auth_service, "hash_password", _FAST_HASH.hash)


# ------------------------------------------------------------------------------------------------ helpers


def local(dt: datetime) -> str:
    """A time as an agent's sheet writes it: Beijing wall-clock time, no offset."""
    return dt.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")


def row(**values: Any) -> dict[str, Any]:
    base = {"channel": "APP", "content": "小区停电了，请尽快处理", "org_unit": "T111", "business_type": "REPAIR",
            "topic": "OUTAGE", "urgent": "false", "received_at": "2024-05-06 09:00:00"}
    base.update(values)
    return {k: v for k, v in base.items() if v is not None}


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else r[c] for c in columns])
    return path


def run(rt: Runtime, path: Path, **kwargs: Any) -> ImportReport:
    return AppealImporter(AppealService(rt)).run(path, SYSTEM, **kwargs)


def counts(rt: Runtime) -> dict[str, int]:
    with rt.sessions() as s:
        by_action = dict(s.execute(select(AppealEvent.action, func.count()).group_by(AppealEvent.action)).all())
        return {"appeals": s.scalar(select(func.count()).select_from(Appeal)) or 0,
                "events": sum(by_action.values()), "accept": by_action.get("accept", 0),
                "urge": by_action.get("urge", 0),
                "merged_calls": s.scalar(select(func.count()).select_from(MergedCall)) or 0}


def assert_whole_appeals(rt: Runtime) -> None:
    """Every stored appeal has exactly one intake event (seq 1, `accept`); no event without its appeal."""
    with rt.sessions() as s:
        accepts = dict(s.execute(select(AppealEvent.appeal_id, func.count()).where(AppealEvent.action == "accept")
                                 .group_by(AppealEvent.appeal_id)).all())
        ids = set(s.scalars(select(Appeal.id)))
        orphans = s.scalar(select(func.count()).select_from(AppealEvent).where(AppealEvent.appeal_id.not_in(ids)))
        first = dict(s.execute(select(AppealEvent.appeal_id, AppealEvent.action).where(AppealEvent.seq == 1)).all())
    assert set(accepts) == ids
    assert set(accepts.values()) <= {1}
    assert orphans == 0
    assert all(first.get(i) == "accept" for i in ids)


def appeal_by_external(rt: Runtime, external_id: str) -> Appeal:
    with rt.sessions() as s:
        appeal = s.scalar(select(Appeal).where(Appeal.external_id == external_id))
        assert appeal is not None, external_id
        return appeal


def events_of(rt: Runtime, appeal_id: int) -> list[AppealEvent]:
    with rt.sessions() as s:
        return list(s.scalars(select(AppealEvent).where(AppealEvent.appeal_id == appeal_id)
                              .order_by(AppealEvent.seq)))


def intake(rt: Runtime, **values: Any) -> Appeal:
    body = {"channel": "HOTLINE_95598", "content": "停电了", "business_type": "REPAIR", "topic": "OUTAGE",
            "urgent": False, **values}
    return AppealService(rt).intake(AppealIn(**body), SYSTEM).appeal


def errors_by_row(report: ImportReport) -> dict[int, tuple[str, str]]:
    return {e.row_no: (e.field, e.reason) for e in report.errors}


# ------------------------------------------------------------------------------------------------ malformed rows

FUTURE = local(datetime.now(UTC) + timedelta(days=2))
# (row, field named, word the reason contains)
MALFORMED: list[tuple[dict[str, Any], str, str]] = [
    (row(received_at="2024-13-45 10:00:00"), "received_at", "datetime"),
    (row(received_at="上周三"), "received_at", "datetime"),
    (row(received_at=FUTURE), "received_at", "future"),
    (row(received_at="1999-12-31 10:00:00"), "received_at", "2000"),
    (row(channel="FAX"), "channel", "HOTLINE_95598"),
    (row(business_type="REPAIRS"), "business_type", "REPAIR"),
    (row(topic="POWER_CUT"), "topic", "OUTAGE"),
    (row(content=None), "content", "required"),
    (row(content="   "), "content", "at least 1"),
    (row(org_unit="X999"), "org_unit", "X999"),
    (row(org_unit=None, transformer_area="T999"), "transformer_area", "T999"),
    (row(org_unit=None, transformer_area="S11"), "transformer_area", "transformer area"),
    (row(phone="138-abc-0001"), "phone", "pattern"),
    (row(customer_no="户号!"), "customer_no", "pattern"),
    (row(urgent="maybe"), "urgent", "bool"),
    (row(content="长" * 4001), "content", "4000"),
]


@pytest.mark.parametrize("mode", ["rows", "atomic"])
def test_each_malformed_row_is_reported_with_row_field_and_reason(runtime: Runtime, tmp_path: Path,
                                                                  mode: str) -> None:
    rows = [row(external_id="ok-1")] + [r for r, _, _ in MALFORMED] + [row(external_id="ok-2", topic="VOLTAGE")]
    path = write_csv(tmp_path / "bad.csv", rows)
    report = run(runtime, path, mode=mode)

    found = errors_by_row(report)
    expected_rows = range(3, 3 + len(MALFORMED))
    assert sorted(found) == list(expected_rows), report.errors
    for row_no, (_, field, word) in zip(expected_rows, MALFORMED, strict=True):
        got_field, reason = found[row_no]
        assert got_field == field, (row_no, found[row_no])
        assert word.lower() in reason.lower(), (row_no, found[row_no])
    assert report.rejected == len(MALFORMED)
    assert report.duplicates == 0
    after = counts(runtime)
    if mode == "rows":
        assert report.imported == 2
        assert after == {"appeals": 2, "events": 2, "accept": 2, "urge": 0, "merged_calls": 0}
        with runtime.sessions() as s:
            assert set(s.scalars(select(Appeal.external_id))) == {"ok-1", "ok-2"}
    else:
        assert report.imported == 0 and report.merged_as_urge == 0
        assert after == {"appeals": 0, "events": 0, "accept": 0, "urge": 0, "merged_calls": 0}
    assert_whole_appeals(runtime)


@pytest.mark.parametrize("bad_position", [0, 3, 6])
def test_atomic_file_with_one_bad_row_writes_nothing(runtime: Runtime, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, bad_position: int) -> None:
    """Also when earlier batches (BATCH_SIZE patched to 2) were already written in the transaction."""
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 2)
    stored = intake(runtime, customer_no="0300000002", received_at=datetime.now(UTC) - timedelta(hours=2))
    before = counts(runtime)
    rows = [row(external_id=f"a-{i}", org_unit="T211", topic=t)
            for i, t in enumerate(["OUTAGE", "VOLTAGE", "METERING", "OTHER", "FACILITY_SAFETY", "PAYMENT_TARIFF"])]
    # a repeat call of the stored appeal: would be merged as an urge
    rows.insert(1, row(external_id="a-urge", customer_no="0300000002", org_unit=None,
                       received_at=local(datetime.now(UTC) - timedelta(hours=1))))
    rows.insert(bad_position, row(external_id="a-bad", org_unit="NOPE"))
    path = write_csv(tmp_path / "atomic.csv", rows)

    report = run(runtime, path, mode="atomic")

    assert report.rejected == 1 and report.errors[0].row_no == bad_position + 2
    assert report.errors[0].field == "org_unit"
    assert report.imported == 0 and report.merged_as_urge == 0
    assert counts(runtime) == before
    again = appeal_by_external_or_id(runtime, stored.id)
    assert (again.version, again.urge_count, again.repeat_call_count) == (1, 0, 0)
    assert_whole_appeals(runtime)


def appeal_by_external_or_id(rt: Runtime, appeal_id: int) -> Appeal:
    with rt.sessions() as s:
        appeal = s.get(Appeal, appeal_id)
        assert appeal is not None
        return appeal


def test_atomic_clean_file_lands_whole(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 2)
    rows = [row(external_id=f"w-{i}", org_unit=u) for i, u in enumerate(["T111", "T211", "T221", "S22", "C1"])]
    report = run(runtime, write_csv(tmp_path / "ok.csv", rows), mode="atomic")
    assert (report.imported, report.rejected, report.duplicates) == (5, 0, 0)
    assert counts(runtime) == {"appeals": 5, "events": 5, "accept": 5, "urge": 0, "merged_calls": 0}
    assert_whole_appeals(runtime)


def test_encoding_and_cell_count_errors_count_as_rejected_rows(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"channel,external_id,content,org_unit\n"
                     + "APP,m-1,停电,T111\n".encode()
                     + b"APP,m-2,\xff\xfe,T111\n"
                     + "APP,m-3,停电\n".encode()
                     + "APP,m-4,电压低,T211\n".encode())
    report = run(runtime, path)
    assert errors_by_row(report).keys() == {3, 4}
    assert errors_by_row(report)[3][0] == "encoding" and errors_by_row(report)[4][0] == "columns"
    assert (report.imported, report.rejected) == (2, 2)
    assert counts(runtime)["appeals"] == 2

    report = run(runtime, path, mode="atomic")  # the two good rows are duplicates now, the file still fails
    assert report.rejected == 2 and report.imported == 0
    assert counts(runtime)["appeals"] == 2


def test_nul_characters_are_rejected_not_a_crash(runtime: Runtime, tmp_path: Path) -> None:
    """PostgreSQL text and JSONB cannot hold NUL: one such row must not fail its whole batch."""
    rows = [row(external_id="n-1"), row(external_id="n-2", content="停电\x00了", topic="VOLTAGE"),
            row(external_id="n-3", address="幸福路\x001号", topic="METERING")]
    report = run(runtime, write_csv(tmp_path / "nul.csv", rows, columns=[*COLUMNS, "address"]))
    assert [(e.row_no, e.field) for e in report.errors] == [(3, "content"), (4, "address")]
    assert report.imported == 1
    assert counts(runtime)["appeals"] == 1


def test_appeal_schema_refuses_nul_characters() -> None:
    """PostgreSQL text/JSONB cannot store NUL: the API must answer 422, not 500 (was a bug in schemas.py)."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        AppealIn(channel="APP", content="停电\x00了")


def test_unknown_mode_is_bad_input(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [row()])
    with pytest.raises(BadInput) as info:
        run(sqlite_runtime, path, mode="partial")
    assert info.value.field == "mode"
    assert counts(sqlite_runtime)["appeals"] == 0


# ------------------------------------------------------------------------------------------------ dry run


def _mixed_file(tmp_path: Path, name: str = "mixed.csv") -> Path:
    recent = datetime.now(UTC) - timedelta(hours=3)
    rows = [
        row(external_id="d-1", customer_no="0300000001", org_unit=None, received_at=local(recent)),
        row(external_id="d-2", customer_no="0300000001", org_unit=None,  # repeat call of d-1
            received_at=local(recent + timedelta(hours=1))),
        row(external_id="d-3", phone="13800000002", org_unit=None, received_at=local(recent)),  # repeats stored
        row(external_id="d-1", content="同一编号再来一次"),  # in-file duplicate
        row(external_id="d-4", channel="TELEX"),  # rejected
        row(external_id="d-5", org_unit="T221", topic="VOLTAGE"),
        row(external_id=None, content="没有外部编号", org_unit="S21", topic="OTHER", business_type="INQUIRY"),
    ]
    return write_csv(tmp_path / name, rows)


@pytest.mark.parametrize("mode", ["rows", "atomic"])
def test_dry_run_writes_nothing_and_reports_what_a_real_run_does(runtime: Runtime, tmp_path: Path,
                                                                 mode: str) -> None:
    stored = intake(runtime, customer_no="0300000002", received_at=datetime.now(UTC) - timedelta(hours=5))
    before = counts(runtime)
    path = _mixed_file(tmp_path)

    dry = run(runtime, path, mode=mode, dry_run=True)
    assert counts(runtime) == before
    assert appeal_by_external_or_id(runtime, stored.id).version == 1
    assert dry.dry_run is True

    real = run(runtime, path, mode=mode)
    expected = {"imported": 0, "merged_as_urge": 0} if mode == "atomic" else {"imported": 3, "merged_as_urge": 2}
    for report in (dry, real):
        assert {k: report.summary()[k] for k in ("imported", "duplicates", "rejected", "merged_as_urge")} == {
            **expected, "duplicates": 1, "rejected": 1}
    assert [(e.row_no, e.field) for e in dry.errors] == [(e.row_no, e.field) for e in real.errors] == [
        (6, "channel")]


@pytest.mark.parametrize("mode", ["rows", "atomic"])
def test_dry_run_counts_match_a_real_run_across_batches(sqlite_runtime: Runtime, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """A repeat call whose first appeal sits in an earlier batch is an urge in a dry run too."""
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 1)
    rows = [row(external_id="b-1", phone="13900000009", received_at="2024-05-01 10:00:00"),
            row(external_id="b-2", phone="13900000009", received_at="2024-05-01 11:00:00"),
            row(external_id="b-3", phone="13900000009", received_at="2024-05-01 12:00:00", topic="VOLTAGE")]
    path = write_csv(tmp_path / "batches.csv", rows)
    dry = run(sqlite_runtime, path, mode=mode, dry_run=True)
    assert counts(sqlite_runtime)["appeals"] == 0
    real = run(sqlite_runtime, path, mode=mode)
    assert (real.imported, real.merged_as_urge) == (2, 1)
    assert (dry.imported, dry.merged_as_urge, dry.duplicates) == (real.imported, real.merged_as_urge,
                                                                  real.duplicates)


# ------------------------------------------------------------------------------------------------ duplicates


def test_reimporting_the_same_file_counts_every_row_as_duplicate(runtime: Runtime, tmp_path: Path) -> None:
    recent = datetime.now(UTC) - timedelta(hours=6)
    rows = [row(external_id=f"r-{i}", org_unit=u, topic=t)
            for i, (u, t) in enumerate([("T111", "OUTAGE"), ("T211", "VOLTAGE"), ("S22", "METERING")])]
    rows += [row(external_id="r-c1", customer_no="0300000001", org_unit=None, received_at=local(recent)),
             row(external_id="r-c2", customer_no="0300000001", org_unit=None,  # merged into r-c1
                 received_at=local(recent + timedelta(minutes=30)))]
    path = write_csv(tmp_path / "again.csv", rows)

    first = run(runtime, path)
    assert (first.imported, first.merged_as_urge, first.duplicates, first.rejected) == (4, 1, 0, 0)
    before = counts(runtime)
    assert before == {"appeals": 4, "events": 5, "accept": 4, "urge": 1, "merged_calls": 1}
    versions = {a: appeal_by_external(runtime, a).version for a in ("r-0", "r-c1")}

    second = run(runtime, path)
    assert (second.imported, second.merged_as_urge, second.rejected) == (0, 0, 0)
    assert second.duplicates == len(rows)
    assert counts(runtime) == before
    assert {a: appeal_by_external(runtime, a).version for a in versions} == versions


def test_in_file_duplicates_of_external_id_are_counted(runtime: Runtime, tmp_path: Path) -> None:
    rows = [row(external_id="x-1"), row(external_id="x-1", content="第二次"), row(external_id=" x-1 "),
            row(external_id="x-1", channel="WECHAT", topic="VOLTAGE"),  # another channel: another appeal
            row(external_id="x-2", topic="METERING")]
    report = run(runtime, write_csv(tmp_path / "dups.csv", rows))
    assert (report.imported, report.duplicates, report.rejected) == (3, 2, 0)
    assert counts(runtime)["appeals"] == 3
    assert appeal_by_external(runtime, "x-2").topic == "METERING"
    with runtime.sessions() as s:
        kept = s.scalar(select(Appeal.content).where(Appeal.channel == "APP", Appeal.external_id == "x-1"))
    assert kept == row()["content"]  # the first occurrence wins


def test_a_corrected_row_after_its_rejected_original_is_imported(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    """The rejected row never landed, so its corrected copy further down is no duplicate of anything."""
    rows = [row(external_id="fix-1", org_unit="NOPE"), row(external_id="fix-1", org_unit="T111")]
    report = run(sqlite_runtime, write_csv(tmp_path / "fixed.csv", rows))
    assert (report.rejected, report.imported, report.duplicates) == (1, 1, 0)
    assert appeal_by_external(sqlite_runtime, "fix-1").org_unit == "T111"


def test_external_id_is_matched_against_the_store_as_stored(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    """Python's str.strip also strips \x1c-\x1f, the validation does not: look-ups must use the stored key."""
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"channel": "APP", "external_id": "\x1fe-9", "content": "停电", "org_unit": "T111"})
                    + "\n", encoding="utf-8")
    assert run(sqlite_runtime, path).imported == 1
    again = run(sqlite_runtime, path)  # used to crash on the unique constraint
    assert (again.imported, again.duplicates) == (0, 1)


def test_external_id_against_the_store_is_a_duplicate(runtime: Runtime, tmp_path: Path) -> None:
    intake(runtime, channel="APP", external_id="api-1", org_unit="T111")
    report = run(runtime, write_csv(tmp_path / "s.csv", [row(external_id="api-1"), row(external_id="api-2")]))
    assert (report.imported, report.duplicates) == (1, 1)
    assert counts(runtime) == {"appeals": 2, "events": 2, "accept": 2, "urge": 0, "merged_calls": 0}


# ------------------------------------------------------------------------------------------------ repeat calls


def test_repeat_calls_within_one_file_become_urges(runtime: Runtime, tmp_path: Path) -> None:
    rows = [
        row(external_id="p-1", customer_no="0300000001", org_unit=None, received_at="2024-05-06 09:00:00"),
        row(external_id="p-2", customer_no="0300000001", org_unit=None, received_at="2024-05-06 12:00:00",
            content="还是没电，什么时候来修"),  # same caller + topic within 72 h: urge
        row(external_id="p-3", phone="13800000001", org_unit=None, received_at="2024-05-07 09:00:00"),  # by phone
        row(external_id="p-4", customer_no="0300000001", org_unit=None, received_at="2024-05-06 13:00:00",
            topic="VOLTAGE"),  # another topic: a new appeal
        row(external_id="p-5", customer_no="0300000001", org_unit=None, received_at="2024-05-10 09:00:01"),
        row(external_id="p-6", customer_no="0300000002", org_unit=None, received_at="2024-05-06 12:00:00"),
    ]
    report = run(runtime, write_csv(tmp_path / "repeat.csv", rows))
    assert (report.imported, report.merged_as_urge, report.rejected) == (4, 2, 0)
    assert counts(runtime) == {"appeals": 4, "events": 6, "accept": 4, "urge": 2, "merged_calls": 2}
    first = appeal_by_external(runtime, "p-1")
    assert (first.urge_count, first.repeat_call_count, first.version) == (2, 2, 3)
    events = events_of(runtime, first.id)
    assert [e.action for e in events] == ["accept", "urge", "urge"]
    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.data["external_id"] for e in events[1:]] == ["p-2", "p-3"]
    assert events[1].data["content"] == "还是没电，什么时候来修"
    assert_whole_appeals(runtime)


def test_repeat_call_against_an_open_appeal_in_the_store(runtime: Runtime, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    open_one = intake(runtime, customer_no="0300000001", received_at=now - timedelta(hours=10))
    closed = intake(runtime, customer_no="0300000002", received_at=now - timedelta(hours=10))
    AppealService(runtime).act(closed.id, EventIn(action="cancel", version=1, note="客户撤回"), SYSTEM)
    hour_ago = local(now - timedelta(hours=1))
    rows = [row(external_id="s-1", customer_no="0300000001", org_unit=None, received_at=hour_ago),
            row(external_id="s-2", customer_no="0300000002", org_unit=None, received_at=hour_ago)]
    report = run(runtime, write_csv(tmp_path / "store.csv", rows))
    assert (report.imported, report.merged_as_urge) == (1, 1)
    merged = appeal_by_external_or_id(runtime, open_one.id)
    assert (merged.urge_count, merged.repeat_call_count) == (1, 1)
    assert [e.action for e in events_of(runtime, open_one.id)] == ["accept", "urge"]
    assert appeal_by_external(runtime, "s-2").status == "accepted"  # the cancelled one is not reopened
    assert_whole_appeals(runtime)


def test_repeat_call_finds_the_recent_open_appeal_when_an_older_one_is_open(runtime: Runtime,
                                                                            tmp_path: Path) -> None:
    """As the API does: an open appeal of the same caller and topic within the window, not just any one."""
    now = datetime.now(UTC)
    intake(runtime, customer_no="0300000001", received_at=now - timedelta(days=10))
    recent = intake(runtime, customer_no="0300000001", received_at=now - timedelta(hours=1))
    report = run(runtime, write_csv(tmp_path / "r.csv", [
        row(external_id="o-1", customer_no="0300000001", org_unit=None,
            received_at=local(now - timedelta(minutes=30)))]))
    assert (report.imported, report.merged_as_urge) == (0, 1)
    assert appeal_by_external_or_id(runtime, recent.id).urge_count == 1


def test_urge_row_attaches_to_any_open_appeal_of_the_caller_as_in_the_api(runtime: Runtime,
                                                                         tmp_path: Path) -> None:
    now = datetime.now(UTC)
    billing = intake(runtime, customer_no="0300000002", business_type="COMPLAINT",
                     topic="METER_READING_BILLING", received_at=now - timedelta(days=5))
    urge = {"business_type": "URGE", "topic": "OTHER", "content": "上次的投诉怎么还没人处理？",
            "customer_no": "0300000002", "org_unit": None}
    report = run(runtime, write_csv(tmp_path / "u.csv", [
        row(external_id="u-1", received_at=local(now - timedelta(minutes=5)), **urge)]))
    assert (report.imported, report.merged_as_urge) == (0, 1)
    assert appeal_by_external_or_id(runtime, billing.id).urge_count == 1
    # the API takes the same call the same way
    api = AppealService(runtime).intake(AppealIn(channel="APP", external_id="u-2", **{
        k: v for k, v in urge.items() if v is not None}), SYSTEM)
    assert api.outcome == "merged_as_urge"


def test_api_repost_of_a_merged_repeat_call_is_idempotent(sqlite_runtime: Runtime) -> None:
    """A re-posted call that was merged as an urge is not merged again (was a bug in service.py)."""
    svc = AppealService(sqlite_runtime)
    first = intake(sqlite_runtime, customer_no="0300000001", received_at=datetime.now(UTC) - timedelta(hours=1))
    body = AppealIn(channel="APP", external_id="rp-1", content="还是没电", customer_no="0300000001",
                    business_type="REPAIR", topic="OUTAGE", urgent=False)
    assert svc.intake(body, SYSTEM).outcome == "merged_as_urge"
    svc.intake(body, SYSTEM)
    assert appeal_by_external_or_id(sqlite_runtime, first.id).urge_count == 1


# ------------------------------------------------------------------------------------------------ other formats


def test_xlsx_import_keeps_digits_and_dates(runtime: Runtime, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([HEADERS_ZH[c] for c in ("channel", "external_id", "received_at", "content", "customer_no", "phone",
                                       "topic", "business_type")])
    ws.append(["COUNTER", 20240001, datetime(2024, 5, 6, 9, 30), "表计走字太快", "0300000002", 13800000002,
               "METERING", "COMPLAINT"])
    ws.append(["COUNTER", 20240002, datetime(2024, 5, 6, 10, 0), "咨询电价", None, 13912345678, "PAYMENT_TARIFF",
               "INQUIRY"])
    wb.save(tmp_path / "a.xlsx")
    report = run(runtime, tmp_path / "a.xlsx")
    assert (report.imported, report.rejected) == (2, 0)
    stored = appeal_by_external(runtime, "20240001")
    assert stored.phone == "13800000002" and stored.customer_no == "0300000002"
    assert stored.received_at == datetime(2024, 5, 6, 1, 30, tzinfo=UTC)
    assert stored.org_unit == "T221"  # resolved from the customer
    unknown_caller = appeal_by_external(runtime, "20240002")
    assert unknown_caller.phone == "13912345678"
    assert unknown_caller.org_unit == "HZ"  # no territory known: the city command center triages it


def test_jsonl_import(runtime: Runtime, tmp_path: Path) -> None:
    lines = [json.dumps({"channel": "WECHAT", "external_id": "j-1", "content": "抄表数字不对", "org_unit": "T211",
                         "topic": "METER_READING_BILLING", "business_type": "COMPLAINT", "urgent": True},
                        ensure_ascii=False),
             "{broken",
             json.dumps({"channel": "WECHAT", "external_id": "j-2", "content": "x", "org_unit": "T211", "fax": 1})]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run(runtime, path)
    assert (report.imported, report.rejected) == (1, 2)
    assert [(e.row_no, e.field) for e in report.errors] == [(2, "json"), (3, "fax")]
    stored = appeal_by_external(runtime, "j-1")
    assert stored.urgent is True and stored.duty_alert is True and stored.labels_source == "given"


def test_gbk_csv_import_keeps_chinese(runtime: Runtime, tmp_path: Path) -> None:
    text = (",".join(HEADERS_ZH[c] for c in ("channel", "external_id", "content", "org_unit", "customer_name"))
            + "\r\nHOTLINE_95598,g-1,供电所人员服务态度差，要求道歉,S11,王小二\r\n")
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    report = run(runtime, path)
    assert (report.imported, report.rejected) == (1, 0)
    stored = appeal_by_external(runtime, "g-1")
    assert stored.content == "供电所人员服务态度差，要求道歉" and stored.customer_name == "王小二"
    assert stored.labels_source != "given"  # no labels in the file: predicted


# ------------------------------------------------------------------------------------------------ report file


def test_write_rejected_lists_row_field_and_reason(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"channel,external_id,content,org_unit,phone\n"
                     + "APP,w-1,停电,T111,\n".encode()
                     + "FAX,w-2,停电,T111,\n".encode()
                     + b"APP,w-3,\xff,T111,\n"
                     + "APP,w-4,停电,T111,12x\n".encode())
    report = run(sqlite_runtime, path)
    out = tmp_path / "rejected.csv"
    write_rejected(out, report.errors)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0][:3] == ["row", "field", "reason"]
    assert [(r[0], r[1]) for r in table[1:]] == [("3", "channel"), ("4", "encoding"), ("5", "phone")]
    assert all(r[2] for r in table[1:])
    assert "w-4" in table[3][3]  # the raw row helps find it


def test_write_rejected_with_no_errors_writes_the_header(tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    write_rejected(out, [])
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [["row", "field", "reason", "raw"]]


# ------------------------------------------------------------------------------------------------ crash


@pytest.mark.parametrize("mode", ["rows", "atomic"])
def test_crash_mid_import_leaves_only_whole_committed_batches(runtime: Runtime, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 3)
    original = AppealImporter._insert
    calls = {"n": 0}

    def crash_on_second_batch(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        ids = original(*args, **kwargs)  # the batch is written ... then the process dies
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return ids

    monkeypatch.setattr(AppealImporter, "_insert", staticmethod(crash_on_second_batch))
    rows = [row(external_id=f"c-{i}", topic=t) for i, t in enumerate(
        ["OUTAGE", "VOLTAGE", "METERING", "OTHER", "FACILITY_SAFETY", "PAYMENT_TARIFF", "NEW_CONNECTION", "OUTAGE"])]
    rows[-1]["org_unit"] = "T211"
    with pytest.raises(RuntimeError, match="disk full"):
        run(runtime, write_csv(tmp_path / "crash.csv", rows), mode=mode)
    after = counts(runtime)
    if mode == "rows":
        assert after == {"appeals": 3, "events": 3, "accept": 3, "urge": 0, "merged_calls": 0}
        with runtime.sessions() as s:
            assert set(s.scalars(select(Appeal.external_id))) == {"c-0", "c-1", "c-2"}
    else:
        assert after == {"appeals": 0, "events": 0, "accept": 0, "urge": 0, "merged_calls": 0}
    assert_whole_appeals(runtime)

    # the file can simply be imported again: committed rows are duplicates, the rest lands
    monkeypatch.setattr(AppealImporter, "_insert", staticmethod(original))
    report = run(runtime, tmp_path / "crash.csv", mode=mode)
    assert report.imported + report.duplicates == len(rows)
    assert counts(runtime)["appeals"] == len(rows)


# ------------------------------------------------------------------------------------------------ property

ORG = ["HZ", "C1", "C2", "S11", "S21", "S22", "T111", "T211", "T221"]
_text = st.text(max_size=80)  # any code point but surrogates: emoji, control characters, newlines, NUL
_when = st.datetimes(min_value=datetime(2024, 5, 1), max_value=datetime(2024, 5, 8)).map(
    lambda d: d.strftime("%Y-%m-%d %H:%M:%S"))
_valid = {  # values a row may carry and still be accepted: most rows land, repeat calls and duplicates happen
    "channel": st.sampled_from([c.value for c in Channel]),
    "external_id": st.one_of(st.none(), st.sampled_from(["e1", "e2", "e3", " e1 ", "\x1fe1"]),
                             st.text(min_size=1, max_size=64).map(lambda t: "r" + t[:63])),
    "received_at": st.one_of(st.none(), _when),
    "content": st.one_of(_text.map(lambda t: "停" + t), st.sampled_from(["停电了😡😡", "电压低\x00\x07\x1b", "=1+2"])),
    "customer_no": st.one_of(st.none(), st.sampled_from(["0300000001", "0300000002", "9999999999"])),
    "phone": st.one_of(st.none(), st.sampled_from(["13800000001", "13800000002", "139 0000 0000"])),
    "org_unit": st.one_of(st.none(), st.sampled_from(ORG)),
    "transformer_area": st.one_of(st.none(), st.sampled_from(["T111", "T211", "T221"])),
    "business_type": st.one_of(st.none(), st.sampled_from([b.value for b in BusinessType])),
    "topic": st.one_of(st.none(), st.sampled_from([t.value for t in Topic])),
    "urgent": st.one_of(st.none(), st.sampled_from(["true", "false", "1", "0", "yes"])),
}
_invalid = {
    "channel": st.sampled_from(["FAX", "app", "95598"]),
    "external_id": st.text(min_size=65, max_size=70),
    "received_at": st.one_of(
        st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 1, 1)).map(
            lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
        st.sampled_from(["2024-02-30 10:00:00", "昨天", "2024-05-06T10:00:00+25:00"]), st.text(max_size=12)),
    "content": st.one_of(_text, st.sampled_from(["", "  ", "\u3000"])),
    "customer_no": st.sampled_from(["x!", "12", "户号"]),
    "phone": st.sampled_from(["abc", "1", "+"]),
    "org_unit": st.sampled_from(["X1", "t111"]),
    "transformer_area": st.sampled_from(["S11", "Q", "C1"]),
    "business_type": st.sampled_from(["BAD", "repair"]),
    "topic": st.sampled_from(["BAD", "停电"]),
    "urgent": st.sampled_from(["maybe", "2"]),
}


@st.composite
def random_row(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly valid values; a row takes an invalid (or random) value in a few fields, or none."""
    bad = draw(st.sets(st.sampled_from(sorted(_invalid)), max_size=3)) if draw(st.booleans()) else set()
    return {name: draw(_invalid[name] if name in bad else _valid[name]) for name in _valid}


random_rows = st.lists(random_row(), min_size=1, max_size=25)


def _empty_store(rt: Runtime) -> None:
    with rt.writes.begin() as s:
        s.execute(delete(MergedCall))
        s.execute(delete(AppealEvent))
        s.execute(delete(Appeal))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(rows=random_rows, mode=st.sampled_from(["rows", "atomic"]))
def test_random_rows_are_each_accounted_for_exactly_once(runtime: Runtime, tmp_path: Path,
                                                         rows: list[dict[str, Any]], mode: str) -> None:
    """Examples share the function-scoped store, emptied first: each example starts from the same state."""
    rt = runtime
    _empty_store(rt)
    path = write_csv(tmp_path / "random.csv", rows, columns=list(POST_FIELDS))
    for attempt in (1, 2):  # importing the same file again must hold the same invariants
        before = counts(rt)
        report = run(rt, path, mode=mode)
        after = counts(rt)
        total = report.imported + report.rejected + report.duplicates + report.merged_as_urge
        event(f"attempt {attempt}: {'imported' if report.imported else 'none imported'}")
        event(f"attempt {attempt}: {'merged' if report.merged_as_urge else 'no merge'}")
        event(f"attempt {attempt}: {'duplicates' if report.duplicates else 'no duplicates'}")
        if mode == "atomic" and report.rejected:
            assert (report.imported, report.merged_as_urge) == (0, 0)
            assert after == before
        else:
            assert total == len(rows), (attempt, report.summary(), report.errors)
        assert after["appeals"] - before["appeals"] == report.imported
        assert after["accept"] - before["accept"] == report.imported
        assert after["urge"] - before["urge"] == report.merged_as_urge
        assert 0 <= after["merged_calls"] - before["merged_calls"] <= report.merged_as_urge
        assert len(report.errors) == report.rejected
        assert all(e.field and e.reason and e.row_no >= 2 for e in report.errors)
        assert_whole_appeals(rt)


class CountingLabeller:
    """A labeller that can read a batch: the import must call it once per batch, never row by row."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.batches, self.singles = inner, [], 0

    def label(self, text: str, channel: str) -> Any:
        self.singles += 1
        return self.inner.label(text, channel)

    def label_many(self, texts: list[str], channels: list[str]) -> list[Any]:
        self.batches.append(len(texts))
        return [self.inner.label(t, c) for t, c in zip(texts, channels, strict=True)]


def test_unlabelled_rows_are_labelled_a_batch_at_a_time(sqlite_runtime: Runtime, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from gridvoice.domain.labelling import KeywordLabeller

    monkeypatch.setattr(importer_module, "BATCH_SIZE", 3)
    labeller = CountingLabeller(KeywordLabeller())
    sqlite_runtime.labeller = labeller
    unlabelled = [row(external_id=f"u-{i}", business_type="", topic="", urgent="", content=text)
                  for i, text in enumerate(["家里停电了", "电费太高了", "想咨询峰谷电价", "表扬抢修师傅", "电线冒烟"])]
    labelled = [row(external_id="given-1")]
    report = run(sqlite_runtime, write_csv(tmp_path / "mixed-labels.csv", unlabelled + labelled))
    assert (report.imported, report.rejected) == (6, 0)
    assert labeller.singles == 0 and sum(labeller.batches) == 5 and len(labeller.batches) == 2
    stored = appeal_by_external(sqlite_runtime, "u-0")
    guess = KeywordLabeller().label("家里停电了", stored.channel)
    assert (stored.business_type, stored.topic, stored.labels_source) == (guess.business_type.value,
                                                                        guess.topic.value, guess.source)
    assert appeal_by_external(sqlite_runtime, "given-1").labels_source == "given"
