"""The `gridvoice` command line against interfaces.md: exit status 0 / 2 (bad input, naming the field or line) / 1,
one JSON document on standard output with `--format json`, `--help` on every command.

Every test runs the CLI in-process (typer's CliRunner) against GRIDVOICE_HOME=<tmp> and the test database of the
`backend_url` fixture (SQLite, and PostgreSQL when GRIDVOICE_TEST_PG_URL is set); the org tree is loaded with
`seed_small` into that same database.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import inspect, select, update
from typer.testing import CliRunner

from gridvoice.appeals.models import Appeal, AppealEvent
from gridvoice.auth import service as auth_service
from gridvoice.auth.models import User
from gridvoice.cli import app
from gridvoice.org.models import OrgUnit

from .conftest import Cli, one_json, says, squash

COLUMNS = ["channel", "external_id", "received_at", "content", "customer_no", "phone", "org_unit", "business_type",
           "topic"]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([r.get(c, "") for c in COLUMNS])
    return path


def good(i: int, **kw: Any) -> dict[str, Any]:
    topics = ["OUTAGE", "VOLTAGE", "METERING", "OTHER", "PAYMENT_TARIFF", "FACILITY_SAFETY"]
    return {"channel": "APP", "external_id": f"cli-{i}", "received_at": "2024-05-06 09:00:00",
            "content": "小区停电了", "org_unit": ["T111", "T211", "T221"][i % 3], "business_type": "REPAIR",
            "topic": topics[i % len(topics)], **kw}


# ------------------------------------------------------------------------------------------------ help


def _all_command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: Any, prefix: list[str]) -> None:
        paths.append(prefix)
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            for name, sub in command.commands.items():
                walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_help_works_for_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDVOICE_HOME", str(tmp_path))
    paths = _all_command_paths()
    names = {" ".join(p) for p in paths}
    assert {"init", "seed", "serve", "demo", "users create", "import appeals", "export appeals",
            "sla check"} <= names
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.stdout, path
    assert not (tmp_path / "gridvoice.db").exists()  # help touches nothing


def test_documented_options_are_there() -> None:
    runner = CliRunner()
    expected = {
        ("import", "appeals"): ["--dry-run", "--rejected-out", "--format", "--mode"],
        ("export", "appeals"): ["--out", "--status", "--org-unit", "--received-from", "--received-to", "--channel",
                                "--business-type", "--topic", "--warning", "--q"],
        ("users", "create"): ["--username", "--role", "--org", "--password"],
        ("sla", "check"): ["--format"],
    }
    for path, options in expected.items():
        text = squash(runner.invoke(app, [*path, "--help"]).stdout)
        for option in options:
            assert option in text, (path, option)


# ------------------------------------------------------------------------------------------------ init


def test_init_twice_is_idempotent_and_keeps_data(cli: Cli) -> None:
    first = cli("init")
    assert first.exit_code == 0, first.output
    rt = cli.runtime()
    tables = set(inspect(rt.engine).get_table_names())
    rt.dispose()
    assert {"appeals", "appeal_events", "users", "org_units"} <= tables
    cli.seed()
    second = cli("init")
    assert second.exit_code == 0, second.output
    assert cli.count(OrgUnit) == 9 and cli.count(User) == 16
    if cli.url.startswith("sqlite"):
        assert (cli.home / "gridvoice.db").exists()


def test_bad_configuration_is_exit_2_naming_the_setting(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDVOICE_TOKEN_MINUTES", "soon")
    result = cli("init")
    assert result.exit_code == 2
    assert says(result, "token_minutes")


def test_unreachable_database_is_exit_1(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRIDVOICE_DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}")
    assert cli("init").exit_code == 1


# ------------------------------------------------------------------------------------------------ users


def test_users_create_with_a_password(seeded: Cli) -> None:
    result = seeded("users", "create", "--username", "zhang.san", "--role", "dispatcher", "--org", "C1",
                    "--password", "long-enough-secret")
    assert result.exit_code == 0, result.output
    assert "long-enough-secret" not in result.stdout + result.stderr
    rt = seeded.runtime()
    with rt.sessions() as s:
        user = s.scalar(select(User).where(User.username == "zhang.san"))
        assert user is not None and (user.role, user.org_code, user.active) == ("dispatcher", "C1", True)
        assert auth_service.authenticate(s, "zhang.san", "long-enough-secret").username == "zhang.san"
    rt.dispose()


def test_users_create_prints_a_generated_password_once(seeded: Cli) -> None:
    result = seeded("users", "create", "--username", "li_si", "--role", "analyst")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("password:")]
    assert len(lines) == 1
    password = lines[0].split(":", 1)[1].strip()
    assert len(password) >= 10
    assert result.stdout.count(password) == 1 and password not in result.stderr
    rt = seeded.runtime()
    with rt.sessions() as s:
        user = auth_service.authenticate(s, "li_si", password)
        assert user.org_code is None  # no --org: the whole company
    rt.dispose()


@pytest.mark.parametrize(("args", "field"), [
    (["--username", "agent_city", "--role", "agent", "--password", "long-enough-secret"], "username"),
    (["--username", "wang wu", "--role", "agent", "--password", "long-enough-secret"], "username"),
    (["--username", "wangwu", "--role", "superuser", "--password", "long-enough-secret"], "role"),
    (["--username", "wangwu", "--role", "agent", "--password", "short"], "password"),
    (["--username", "wangwu", "--role", "agent", "--org", "C9", "--password", "long-enough-secret"], "org"),
])
def test_users_create_bad_input_is_exit_2_naming_the_field(seeded: Cli, args: list[str], field: str) -> None:
    before = seeded.count(User)
    result = seeded("users", "create", *args)
    assert result.exit_code == 2, result.output
    assert says(result, field)
    assert result.stdout.strip() == ""  # no password printed for a user that was not created
    assert seeded.count(User) == before


def test_users_create_duplicate_names_the_user(seeded: Cli) -> None:
    result = seeded("users", "create", "--username", "admin_city", "--role", "admin", "--password", "x" * 12)
    assert result.exit_code == 2
    assert says(result, "username", "admin_city")


def test_users_create_missing_required_option_is_exit_2(seeded: Cli) -> None:
    result = seeded("users", "create", "--username", "nobody")
    assert result.exit_code == 2
    assert says(result, "--role")


# ------------------------------------------------------------------------------------------------ import


def test_import_clean_file_prints_one_json_document(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [good(i) for i in range(5)])
    result = seeded("import", "appeals", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = one_json(result)
    assert {k: doc[k] for k in ("imported", "duplicates", "rejected")} == {"imported": 5, "duplicates": 0,
                                                                           "rejected": 0}
    assert seeded.count(Appeal) == 5 and seeded.count(AppealEvent) == 5

    again = seeded("import", "appeals", str(path), "--format", "json")
    assert again.exit_code == 0
    assert {k: one_json(again)[k] for k in ("imported", "duplicates", "rejected")} == {
        "imported": 0, "duplicates": 5, "rejected": 0}
    assert seeded.count(Appeal) == 5


def test_import_with_rejected_rows_is_exit_2_and_writes_the_report(seeded: Cli, tmp_path: Path) -> None:
    rows = [good(0), good(1, channel="FAX"), good(2), good(3, org_unit="NOPE"), good(4, received_at="2024-02-30"),
            good(0, content="重复")]
    path = write_csv(tmp_path / "some_bad.csv", rows)
    rejected = tmp_path / "out" / "rejected.csv"
    rejected.parent.mkdir()
    result = seeded("import", "appeals", str(path), "--format", "json", "--rejected-out", str(rejected))
    assert result.exit_code == 2
    doc = one_json(result)
    assert {k: doc[k] for k in ("imported", "duplicates", "rejected")} == {"imported": 2, "duplicates": 1,
                                                                           "rejected": 3}
    assert says(result, "row 3: channel", "row 5: org_unit", "row 6: received_at")  # stderr names row and field
    with rejected.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0][:3] == ["row", "field", "reason"]
    assert [(r[0], r[1]) for r in table[1:]] == [("3", "channel"), ("5", "org_unit"), ("6", "received_at")]
    assert seeded.count(Appeal) == 2


def test_import_many_rejected_rows_keeps_stdout_clean(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [good(i, channel="FAX") for i in range(30)])
    result = seeded("import", "appeals", str(path), "--format", "json")
    assert result.exit_code == 2
    assert one_json(result)["rejected"] == 30
    assert says(result, "--rejected-out")  # the rest is one option away


def test_import_dry_run_writes_nothing(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dry.csv", [good(i) for i in range(3)] + [good(9, topic="POWER")])
    result = seeded("import", "appeals", str(path), "--dry-run", "--format", "json")
    assert result.exit_code == 2  # a row would be rejected
    doc = one_json(result)
    assert (doc["imported"], doc["rejected"], doc.get("dry_run")) == (3, 1, True)
    assert seeded.count(Appeal) == 0 and seeded.count(AppealEvent) == 0


def test_import_atomic_mode_writes_nothing_when_a_row_fails(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "atomic.csv", [good(i) for i in range(4)] + [good(7, phone="not-a-phone")])
    result = seeded("import", "appeals", str(path), "--mode", "atomic", "--format", "json")
    assert result.exit_code == 2
    doc = one_json(result)
    assert (doc["imported"], doc["rejected"]) == (0, 1)
    assert seeded.count(Appeal) == 0


def test_import_text_output_goes_to_stderr(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [good(1)])
    result = seeded("import", "appeals", str(path))
    assert result.exit_code == 0
    assert result.stdout.strip() == ""
    assert says(result, "imported=1")


@pytest.mark.parametrize(("name", "content", "words"), [
    ("missing.csv", None, ["file", "missing.csv"]),
    ("appeals.txt", "channel,content\nAPP,x\n", ["file", ".txt"]),
    ("appeals.xls", "channel,content\nAPP,x\n", ["file", ".xls"]),
    ("cols.csv", "channel,content,colour\nAPP,x,red\n", ["columns", "colour"]),
    ("empty.csv", "", ["file", "empty"]),
])
def test_import_bad_file_is_exit_2_naming_it(seeded: Cli, tmp_path: Path, name: str, content: str | None,
                                             words: list[str]) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = seeded("import", "appeals", str(path), "--format", "json")
    assert result.exit_code == 2, result.output
    assert says(result, *words), result.output
    assert result.stdout.strip() == ""  # no half document
    assert seeded.count(Appeal) == 0


def test_import_bad_mode_is_exit_2(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [good(1)])
    result = seeded("import", "appeals", str(path), "--mode", "some")
    assert result.exit_code == 2 and says(result, "mode")
    assert seeded.count(Appeal) == 0


def test_import_without_org_tree_rejects_rows_not_crashes(cli: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "noorg.csv", [good(1, org_unit="")])
    result = cli("import", "appeals", str(path), "--format", "json")
    assert result.exit_code == 2
    assert one_json(result)["rejected"] == 1
    assert says(result, "org_unit")


def test_import_gbk_xlsx_and_jsonl(seeded: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("受理渠道,外部编号,诉求内容,责任单位\r\nSMS,k-1,电压忽高忽低,T221\r\n".encode("gbk"))
    wb = Workbook()
    wb.active.append(["channel", "external_id", "received_at", "content", "phone", "org_unit"])
    wb.active.append(["FIELD", "k-2", datetime(2024, 5, 6, 8, 0), "线路老化", 13800000001, "S22"])
    wb.save(tmp_path / "a.xlsx")
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"channel": "APP", "external_id": "k-3", "content": "咨询", "org_unit": "C2"},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    for path in (gbk, tmp_path / "a.xlsx", jsonl):
        result = seeded("import", "appeals", str(path), "--format", "json")
        assert result.exit_code == 0, (path, result.output)
        assert one_json(result)["imported"] == 1
    rt = seeded.runtime()
    with rt.sessions() as s:
        stored = {a.external_id: a for a in s.scalars(select(Appeal))}
    rt.dispose()
    assert stored["k-1"].content == "电压忽高忽低"
    assert stored["k-2"].phone == "13800000001"


# ------------------------------------------------------------------------------------------------ export


def test_export_filters_by_status(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", [good(i, phone="13800000001") for i in range(3)])
    assert seeded("import", "appeals", str(path)).exit_code == 0
    rt = seeded.runtime()
    with rt.writes.begin() as s:  # one of them moves on
        s.execute(update(Appeal).where(Appeal.external_id == "cli-1").values(status="dispatched"))
    rt.dispose()
    out = tmp_path / "x.csv"
    result = seeded("export", "appeals", "--out", str(out), "--status", "accepted")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ""
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    header = table[0]
    assert "外部编号" in header and "状态" in header  # Chinese headers by default
    assert sorted(r[header.index("外部编号")] for r in table[1:]) == ["cli-0", "cli-2"]
    assert {r[header.index("状态")] for r in table[1:]} == {"accepted"}
    assert "13800000001" not in out.read_text(encoding="utf-8-sig")

    en = tmp_path / "en.parquet"
    result = seeded("export", "appeals", "--out", str(en), "--org-unit", "C1", "--received-from", "2024-05-01",
                    "--received-to", "2024-05-07", "--lang", "en")
    assert result.exit_code == 0, result.output
    import pyarrow.parquet as pq

    assert pq.read_table(en).column("external_id").to_pylist() == ["cli-0"]  # T111 lies in C1


@pytest.mark.parametrize(("args", "field"), [
    (["--status", "open"], "status"),
    (["--org-unit", "C9"], "org_unit"),
    (["--lang", "fr"], "lang"),
    (["--warning", "orange"], "warning"),
])
def test_export_bad_filters_are_exit_2_naming_the_field(seeded: Cli, tmp_path: Path, args: list[str],
                                                        field: str) -> None:
    out = tmp_path / "x.csv"
    result = seeded("export", "appeals", "--out", str(out), *args)
    assert result.exit_code == 2, result.output
    assert says(result, field)


def test_export_bad_suffix_is_exit_2(seeded: Cli, tmp_path: Path) -> None:
    result = seeded("export", "appeals", "--out", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and says(result, "out", ".docx")
    assert not (tmp_path / "x.docx").exists()


def test_export_bad_date_is_exit_2(seeded: Cli, tmp_path: Path) -> None:
    result = seeded("export", "appeals", "--out", str(tmp_path / "x.csv"), "--received-from", "last week")
    assert result.exit_code == 2 and says(result, "received-from")


# ------------------------------------------------------------------------------------------------ sla


def test_sla_check_json(seeded: Cli, tmp_path: Path) -> None:
    recent = (datetime.now(UTC) - timedelta(minutes=5)).astimezone().strftime("%Y-%m-%dT%H:%M:%S%z")
    path = write_csv(tmp_path / "sla.csv", [good(0, received_at=recent), good(1, received_at=recent),
                                            good(2, received_at=recent)])
    assert seeded("import", "appeals", str(path)).exit_code == 0
    rt = seeded.runtime()
    with rt.writes.begin() as s:  # one appeal's deadline passes without anyone noticing yet
        s.execute(update(Appeal).where(Appeal.external_id == "cli-0")
                  .values(warning="none", next_due_at=datetime.now(UTC) - timedelta(minutes=1)))
    rt.dispose()

    result = seeded("sla", "check", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = one_json(result)
    assert {"checked_at", "turned_yellow", "turned_red", "open_yellow", "open_red"} <= set(doc)
    assert doc["turned_red"] == 1 and doc["open_red"] >= 1
    assert datetime.fromisoformat(doc["checked_at"])  # an ISO time
    for key in ("turned_yellow", "turned_red", "open_yellow", "open_red"):
        assert isinstance(doc[key], int)

    again = one_json(seeded("sla", "check", "--format", "json"))
    assert again["turned_red"] == 0 and again["open_red"] == doc["open_red"]


def test_sla_check_on_an_empty_store(cli: Cli) -> None:
    result = cli("sla", "check", "--format", "json")
    assert result.exit_code == 0, result.output
    assert one_json(result)["open_red"] == 0


def test_bad_format_value_is_exit_2(cli: Cli) -> None:
    result = cli("sla", "check", "--format", "yaml")
    assert result.exit_code == 2
    assert says(result, "--format")


def test_import_rejected_out_in_a_new_folder_is_written(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [good(0), good(1, channel="FAX")])
    report = tmp_path / "reports" / "2024-05" / "rejected.csv"
    result = seeded("import", "appeals", str(path), "--format", "json", "--rejected-out", str(report))
    assert result.exit_code == 2, result.output
    assert one_json(result)["rejected"] == 1
    assert report.read_text(encoding="utf-8-sig").splitlines()[1].startswith("3,channel,")


def test_import_unwritable_rejected_out_fails_before_importing(seeded: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [good(0), good(1, channel="FAX")])
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = seeded("import", "appeals", str(path), "--format", "json", "--rejected-out", str(blocker / "r.csv"))
    assert result.exit_code == 2, result.output
    assert says(result, "rejected-out")
    assert result.stdout.strip() == ""
    assert seeded.count(Appeal) == 0  # nothing landed whose rejected rows could not be reported
