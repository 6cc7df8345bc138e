"""Export of appeals (`gridvoice.appeals.exporter`) to CSV, XLSX and Parquet.

Rules under test (interfaces.md "Appeals", DESIGN.md "Conventions"): the filters of GET /appeals apply; exported
column headers are Chinese by default, English on request; Parquet has English columns and UTC timestamps;
personal data (name, phone, address, 户号) is masked; an empty selection still gives a valid file.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

import gridvoice.appeals.exporter as exporter_module
from gridvoice.appeals.exporter import export_appeals
from gridvoice.appeals.schemas import AppealFilters, AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth import service as auth_service
from gridvoice.auth.service import Actor
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.roles import Role
from gridvoice.errors import BadInput
from gridvoice.runtime import Runtime

SYSTEM = Actor.system()
_FAST_HASH = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
PERSONAL = ["13800000001", "13800000002", "13912345678", "0300000001", "0300000002", "陈大文", "李小梅", "赵六一",
            "东坪镇幸福路1号", "西岭山区石门村5组"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_service, "hash_password", _FAST_HASH.hash)


def beijing(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def seed_appeals(rt: Runtime) -> dict[str, int]:
    """A: C1 accepted; B: C2 dispatched; C: C2 accepted (no customer record); D: C1 cancelled."""
    svc = AppealService(rt)
    specs = {
        "A": dict(channel="APP", received_at=beijing(2024, 5, 1, 10, 0), content="小区停电了", customer_no="0300000001",
                  business_type="REPAIR", topic="OUTAGE"),
        "B": dict(channel="HOTLINE_95598", received_at=beijing(2024, 5, 3, 8, 0), content="电费比上月多了一倍",
                  customer_no="0300000002", business_type="COMPLAINT", topic="METER_READING_BILLING"),
        "C": dict(channel="WECHAT", received_at=beijing(2024, 5, 5, 23, 30), content="峰谷电价怎么算",
                  org_unit="S21", phone="13912345678", customer_name="赵六一", address="西岭山区石门村5组",
                  business_type="INQUIRY", topic="PAYMENT_TARIFF"),
        "D": dict(channel="COUNTER", received_at=beijing(2024, 5, 2, 9, 0), content="表计装错了", org_unit="T111",
                  business_type="COMPLAINT", topic="METERING"),
    }
    ids = {}
    for key, spec in specs.items():
        ids[key] = svc.intake(AppealIn(external_id=key, urgent=False, **spec), SYSTEM).appeal.id
    svc.act(ids["B"], EventIn(action="dispatch", version=1), SYSTEM)
    svc.act(ids["D"], EventIn(action="cancel", version=1, note="重复工单"), SYSTEM)
    return ids


def export(rt: Runtime, out: Path, actor: Actor = SYSTEM, lang: str = "zh", **filters: Any) -> int:
    return export_appeals(AppealService(rt), AppealFilters(**filters), actor, out, lang)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def read_xlsx(path: Path) -> list[list[Any]]:
    ws = load_workbook(path, read_only=True).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def external_ids(path: Path) -> list[str]:
    """The external ids of an export in any format and language, in file order."""
    if path.suffix == ".parquet":
        return pq.read_table(path).column("external_id").to_pylist()
    table = read_csv(path) if path.suffix == ".csv" else read_xlsx(path)
    col = next(i for i, h in enumerate(table[0]) if h in ("external_id", "外部编号"))
    return [r[col] for r in table[1:]]


# ------------------------------------------------------------------------------------------------ formats


def test_csv_has_bom_chinese_headers_local_times_and_masked_personal_data(sqlite_runtime: Runtime,
                                                                          tmp_path: Path) -> None:
    seed_appeals(sqlite_runtime)
    out = tmp_path / "all.csv"
    assert export(sqlite_runtime, out) == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = read_csv(out)
    header = table[0]
    assert all(not h.isascii() for h in header), [h for h in header if h.isascii()]  # every header translated
    for zh in ("工单编号", "受理渠道", "受理时间", "诉求内容", "联系电话", "户号", "状态", "责任单位"):
        assert zh in header
    assert len(header) == len(set(header))
    rows = [dict(zip(header, r, strict=True)) for r in table[1:]]
    assert [r["外部编号"] for r in rows] == ["A", "D", "B", "C"]  # by time received
    assert rows[0]["受理时间"] == "2024-05-01 10:00:00"  # Beijing time for people
    assert rows[3]["受理时间"] == "2024-05-05 23:30:00"
    assert rows[0]["诉求内容"] == "小区停电了"
    assert [r["状态"] for r in rows] == ["accepted", "cancelled", "dispatched", "accepted"]
    text = raw.decode("utf-8-sig")
    for secret in PERSONAL:
        assert secret not in text, secret
    assert rows[0]["联系电话"].startswith("138") and rows[0]["联系电话"].endswith("0001")  # still recognisable
    assert "*" in rows[0]["联系电话"] and "*" in rows[0]["户号"] and "*" in rows[0]["客户姓名"]


def test_csv_in_english_has_the_field_names(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    seed_appeals(sqlite_runtime)
    out = tmp_path / "en.csv"
    export(sqlite_runtime, out, lang="en")
    header = read_csv(out)[0]
    assert header[:5] == ["id", "channel", "external_id", "received_at", "content"]
    assert {"phone", "org_unit", "status", "warning", "business_type", "topic"} <= set(header)
    assert all(h.isascii() for h in header)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def test_xlsx_holds_the_same_rows_as_the_csv(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    seed_appeals(sqlite_runtime)
    assert export(sqlite_runtime, tmp_path / "a.csv") == export(sqlite_runtime, tmp_path / "a.xlsx") == 4
    sheet = read_xlsx(tmp_path / "a.xlsx")
    assert [[_cell(v) for v in r] for r in sheet] == read_csv(tmp_path / "a.csv")
    text = repr(sheet)
    for secret in PERSONAL:
        assert secret not in text, secret


def test_parquet_has_english_columns_utc_times_and_masked_data(runtime: Runtime, tmp_path: Path) -> None:
    ids = seed_appeals(runtime)
    out = tmp_path / "a.parquet"
    assert export(runtime, out) == 4
    table = pq.read_table(out)
    assert table.num_rows == 4
    assert all(name.isascii() for name in table.column_names)
    assert {"id", "channel", "received_at", "content", "phone", "org_unit", "status"} <= set(table.column_names)
    for name in ("received_at", "next_due_at", "closed_at"):
        assert table.schema.field(name).type == pa.timestamp("us", tz="UTC"), name
    assert table.schema.field("urgent").type == pa.bool_()
    rows = {r["external_id"]: r for r in table.to_pylist()}
    assert rows["C"]["received_at"] == datetime(2024, 5, 5, 15, 30, tzinfo=UTC)
    assert rows["A"]["received_at"] == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert rows["A"]["id"] == ids["A"] and rows["A"]["channel"] == "APP" and rows["A"]["topic"] == "OUTAGE"
    assert rows["D"]["closed_at"] is not None and rows["A"]["closed_at"] is None
    flat = repr(table.to_pylist())
    for secret in PERSONAL:
        assert secret not in flat, secret


def test_chunked_writing_keeps_every_row(sqlite_runtime: Runtime, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    seed_appeals(sqlite_runtime)
    monkeypatch.setattr(exporter_module, "CHUNK", 3)
    for name in ("c.parquet", "c.csv", "c.xlsx"):
        assert export(sqlite_runtime, tmp_path / name) == 4
        assert sorted(external_ids(tmp_path / name)) == ["A", "B", "C", "D"], name


# ------------------------------------------------------------------------------------------------ filters

FILTERS = [
    ({"status": "accepted"}, {"A", "C"}),
    ({"status": "cancelled"}, {"D"}),
    ({"org_unit": "C2"}, {"B", "C"}),
    ({"org_unit": "C1"}, {"A", "D"}),
    ({"org_unit": "T111"}, {"A", "D"}),
    ({"org_unit": "HZ"}, {"A", "B", "C", "D"}),
    ({"received_from": datetime(2024, 5, 2), "received_to": datetime(2024, 5, 5)}, {"B", "D"}),
    ({"received_to": datetime(2024, 5, 1, 10, 0)}, set()),  # the end is exclusive
    ({"received_from": datetime(2024, 5, 1, 10, 0), "received_to": datetime(2024, 5, 1, 10, 0, 1)}, {"A"}),
    ({"received_from": datetime(2024, 5, 5, 15, 30, tzinfo=UTC)}, {"C"}),  # an aware bound is taken as given
    ({"status": "accepted", "org_unit": "C2"}, {"C"}),
    ({"channel": "WECHAT"}, {"C"}),
    ({"business_type": "COMPLAINT"}, {"B", "D"}),
]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(("filters", "expected"), FILTERS)
def test_filters_select_the_rows(sqlite_runtime: Runtime, tmp_path: Path, suffix: str, filters: dict[str, Any],
                                 expected: set[str]) -> None:
    seed_appeals(sqlite_runtime)
    out = tmp_path / f"f{suffix}"
    assert export(sqlite_runtime, out, **filters) == len(expected)
    assert set(external_ids(out)) == expected


def test_filters_on_postgresql_too(runtime: Runtime, tmp_path: Path) -> None:
    seed_appeals(runtime)
    for i, (filters, expected) in enumerate(FILTERS):
        out = tmp_path / f"f{i}.xlsx"
        export(runtime, out, **filters)
        assert set(external_ids(out)) == expected, filters


def test_a_territorial_user_exports_only_their_subtree(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    seed_appeals(sqlite_runtime)
    out = tmp_path / "c1.csv"
    export(sqlite_runtime, out, actor=Actor("county_manager_c1", Role.COUNTY_MANAGER, "C1"))
    assert set(external_ids(out)) == {"A", "D"}
    export(sqlite_runtime, out, actor=Actor("county_manager_c1", Role.COUNTY_MANAGER, "C1"), org_unit="C2")
    assert external_ids(out) == []


def test_unknown_org_unit_filter_is_bad_input(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    with pytest.raises(BadInput) as info:
        export(sqlite_runtime, tmp_path / "x.csv", org_unit="C9")
    assert info.value.field == "org_unit"


# ------------------------------------------------------------------------------------------------ empty / bad


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_selection_still_writes_a_valid_file_with_headers(sqlite_runtime: Runtime, tmp_path: Path,
                                                                   lang: str) -> None:
    seed_appeals(sqlite_runtime)
    filters = {"status": "archived"}
    assert export(sqlite_runtime, tmp_path / "e.csv", lang=lang, **filters) == 0
    assert export(sqlite_runtime, tmp_path / "e.xlsx", lang=lang, **filters) == 0
    assert export(sqlite_runtime, tmp_path / "e.parquet", lang=lang, **filters) == 0
    csv_rows = read_csv(tmp_path / "e.csv")
    assert len(csv_rows) == 1 and len(csv_rows[0]) > 10
    assert read_xlsx(tmp_path / "e.xlsx") == [csv_rows[0]]
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 0 and "received_at" in table.column_names


def test_empty_store_exports(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    for name in ("e.csv", "e.xlsx", "e.parquet"):
        assert export(sqlite_runtime, tmp_path / "sub" / name) == 0
        assert external_ids(tmp_path / "sub" / name) == []


@pytest.mark.parametrize("name", ["x.txt", "x.xls", "x.json", "x"])
def test_unsupported_output_type_is_bad_input(sqlite_runtime: Runtime, tmp_path: Path, name: str) -> None:
    with pytest.raises(BadInput) as info:
        export(sqlite_runtime, tmp_path / name)
    assert info.value.field == "out"
    assert not (tmp_path / name).exists()


def test_unknown_language_is_bad_input(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    with pytest.raises(BadInput) as info:
        export(sqlite_runtime, tmp_path / "x.csv", lang="fr")
    assert info.value.field == "lang"


# ------------------------------------------------------------------------------------------------ awkward content


def test_xlsx_keeps_customer_text_that_looks_like_a_formula_or_holds_control_characters(
        sqlite_runtime: Runtime, tmp_path: Path) -> None:
    """Customers' words are text: never a live formula in the analyst's Excel, never a crash of the export."""
    svc = AppealService(sqlite_runtime)
    texts = {"F": '=HYPERLINK("http://example.invalid","点此退费")', "G": "停电\x01了\x0b又来电", "H": "-1+2 电表倒转"}
    for key, content in texts.items():
        svc.intake(AppealIn(channel="APP", external_id=key, content=content, org_unit="T111", topic="OTHER",
                            business_type="OPINION", urgent=False), SYSTEM)
    out = tmp_path / "odd.xlsx"
    assert export(sqlite_runtime, out, lang="en") == 3
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    col = header.index("content") + 1
    cells = {ws.cell(r, header.index("external_id") + 1).value: ws.cell(r, col) for r in range(2, 5)}
    assert cells["F"].data_type == "s" and cells["F"].value == texts["F"]
    assert cells["G"].value == "停电了又来电"  # characters XML cannot hold are dropped, the rest kept
    assert cells["H"].value == texts["H"]
    # what the importer reads (calamine gives a formula cell's cached value: nothing) is the text itself
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert texts["F"] in [r[col - 1] for r in sheet[1:]]


@pytest.mark.parametrize("customer_no", ["1234", "12345", "123456", "1234567"])
def test_short_customer_numbers_are_masked_too(sqlite_runtime: Runtime, tmp_path: Path, customer_no: str) -> None:
    """5- and 6-character 户号 used to be exported unmasked (a bug in domain/privacy.py)."""
    AppealService(sqlite_runtime).intake(AppealIn(channel="APP", content="停电", customer_no=customer_no,
                                                  org_unit="T111"), SYSTEM)
    out = tmp_path / "short.csv"
    export(sqlite_runtime, out, lang="en")
    table = read_csv(out)
    masked = table[1][table[0].index("customer_no")]
    assert "*" in masked and masked != customer_no
