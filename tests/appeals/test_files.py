"""Reading appeal files (`gridvoice.appeals.files`): encodings, spreadsheets, JSON Lines and headers.

Expected behaviour comes from interfaces.md ("columns = the POST fields") and DESIGN.md "Conventions" (bad input
names the field; rejected rows are reported with their line, never dropped silently).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from gridvoice.appeals.files import HEADERS_ZH, POST_FIELDS, RawRow, RowError, read_rows
from gridvoice.appeals.schemas import AppealIn
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.errors import BadInput

CONTENT_1 = "小区停电三个小时了，请尽快抢修！"
CONTENT_2 = "电压偏低，空调启动不了，刘䶮家𠀀"  # 䶮 and 𠀀 exist in GB18030 but not in GBK
CONTENT_3 = "电费账单与电表读数不符"


def split(path: Path, encoding: str | None = None) -> tuple[list[RawRow], list[RowError]]:
    items = list(read_rows(path, encoding))
    rows = [r for r in items if isinstance(r, RawRow)]
    errors = [r for r in items if isinstance(r, RowError)]
    assert len(rows) + len(errors) == len(items)
    return rows, errors


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\n") -> str:
    return newline.join(",".join(cells) for cells in [header, *rows]) + newline


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# ------------------------------------------------------------------------------------------------ CSV encodings


def test_csv_utf8_keeps_chinese_and_numbers_rows_by_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(csv_text(["channel", "content", "customer_no"],
                             [["APP", CONTENT_1, "0300000001"], ["WECHAT", CONTENT_3, ""]]), encoding="utf-8")
    rows, errors = split(path)
    assert errors == []
    assert [r.row_no for r in rows] == [2, 3]
    assert rows[0].values == {"channel": "APP", "content": CONTENT_1, "customer_no": "0300000001"}
    # an empty cell is an absent value, not an empty string
    assert rows[1].values == {"channel": "WECHAT", "content": CONTENT_3}


def test_csv_utf8_with_bom_header_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(csv_text(["channel", "content"], [["APP", CONTENT_1]]).encode("utf-8-sig"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows, errors = split(path)
    assert errors == []
    assert rows[0].values == {"channel": "APP", "content": CONTENT_1}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_csv_chinese_excel_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    content_2 = CONTENT_2 if encoding == "gb18030" else CONTENT_2[:-3]
    header = [HEADERS_ZH["channel"], HEADERS_ZH["content"], HEADERS_ZH["address"]]
    text = csv_text(header, [["APP", CONTENT_1, "东坪镇幸福路1号"], ["SMS", content_2, ""]], newline="\r\n")
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    rows, errors = split(path)
    assert errors == []
    assert [r.values for r in rows] == [
        {"channel": "APP", "content": CONTENT_1, "address": "东坪镇幸福路1号"},
        {"channel": "SMS", "content": content_2},
    ]
    assert [r.row_no for r in rows] == [2, 3]


def test_csv_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = tmp_path / "forced.csv"
    path.write_bytes(csv_text(["channel", "content"], [["APP", CONTENT_1]]).encode("gb18030"))
    rows, errors = split(path, "gb18030")
    assert errors == [] and rows[0].values["content"] == CONTENT_1


def test_utf8_csv_with_undecodable_lines_rejects_only_those_lines(tmp_path: Path) -> None:
    good = [f"APP,{CONTENT_1}{i},0300000001\n".encode() for i in range(5)]
    lines = [b"channel,content,customer_no\n", good[0], b"APP,\xff\xfe\xfa broken,0300000001\n", good[1],
             good[2], f"SMS,{CONTENT_3},0300000002\n".encode("gbk"), good[3], good[4]]
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"".join(lines))
    rows, errors = split(path)
    assert [(e.row_no, e.field) for e in errors] == [(3, "encoding"), (6, "encoding")]
    assert all(e.reason for e in errors)
    assert [r.row_no for r in rows] == [2, 4, 5, 7, 8]
    assert [r.values["content"] for r in rows] == [f"{CONTENT_1}{i}" for i in range(5)]


def test_gbk_csv_with_one_corrupt_line_keeps_the_other_rows(tmp_path: Path) -> None:
    """A GBK export with one damaged line: the damaged line is rejected, the rest imports in GBK."""
    header = ",".join([HEADERS_ZH["channel"], HEADERS_ZH["content"]]) + "\r\n"
    path = tmp_path / "gbk_damaged.csv"
    path.write_bytes(header.encode("gbk") + f"APP,{CONTENT_1}\r\n".encode("gbk") + b"APP,\xff\xff\xff\r\n"
                     + f"WECHAT,{CONTENT_3}\r\n".encode("gbk"))
    rows, errors = split(path)
    assert [(e.row_no, e.field) for e in errors] == [(3, "encoding")]
    assert [(r.row_no, r.values["content"]) for r in rows] == [(2, CONTENT_1), (4, CONTENT_3)]


def test_utf8_csv_with_one_gbk_line_is_not_read_as_gbk(tmp_path: Path) -> None:
    """Valid UTF-8 Chinese must never be turned into GB18030 mojibake because one line is broken."""
    even = "停电停电"  # runs of an even number of UTF-8 Chinese characters happen to be valid GB18030 too
    path = tmp_path / "utf8_one_gbk_line.csv"
    path.write_bytes(b"channel,content\n" + f"APP,{even}\n".encode() + f"APP,{even}\n".encode()
                     + "APP,电压低\n".encode("gbk"))
    rows, errors = split(path)
    assert [r.values["content"] for r in rows] == [even, even]
    assert [(e.row_no, e.field) for e in errors] == [(4, "encoding")]


def test_csv_quoted_newlines_and_commas_survive(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('channel,content\nAPP,"第一行,\n第二行 ""引号"""\nSMS,后一条\n', encoding="utf-8")
    rows, errors = split(path)
    assert errors == []
    assert rows[0].values["content"] == '第一行,\n第二行 "引号"'
    assert rows[1].values["content"] == "后一条"
    assert [r.row_no for r in rows] == [2, 4]  # the record's first line, as an editor shows it


def test_csv_unclosed_quote_is_reported_where_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('channel,content,org_unit\nAPP,好,T111\nAPP,"停电了,T111\n'
                    + "".join(f"APP,第{i}条,T111\n" for i in range(20)), encoding="utf-8")
    rows, errors = split(path)
    assert [r.row_no for r in rows] == [2]
    assert [(e.row_no, e.field) for e in errors] == [(3, "columns")]  # one report for the swallowed lines
    assert "quote" in errors[0].reason and "3-23" in errors[0].reason


def test_csv_unclosed_quote_swallowing_a_huge_cell_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text('channel,content\nAPP,好\nAPP,"停电了\n' + "APP,一条很长很长的诉求内容\n" * 20000, encoding="utf-8")
    with pytest.raises(BadInput) as info:
        list(read_rows(path))
    assert info.value.field == "file" and "line 3" in info.value.reason


def test_csv_undecodable_line_inside_a_quoted_cell_rejects_the_record(tmp_path: Path) -> None:
    path = tmp_path / "inner.csv"
    path.write_bytes('channel,content\nAPP,"第一行\n'.encode() + b"\xff\xfe\n" + '第三行"\nSMS,好\n'.encode())
    rows, errors = split(path)
    assert [(e.row_no, e.field) for e in errors] == [(2, "encoding")]  # not imported with a line missing
    assert "line 3" in errors[0].reason
    assert [(r.row_no, r.values["content"]) for r in rows] == [(5, "好")]


def test_csv_row_with_wrong_number_of_cells_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    path.write_text("channel,content,phone\nAPP,好,13800000001\nAPP,少一格\nAPP,多,13800000001,一格\nSMS,好,\n",
                    encoding="utf-8")
    rows, errors = split(path)
    assert [(e.row_no, e.field) for e in errors] == [(3, "columns"), (4, "columns")]
    assert "2 cells" in errors[0].reason and "3" in errors[0].reason
    assert [r.row_no for r in rows] == [2, 5]


def test_csv_blank_lines_are_skipped_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("channel,content\n\nAPP,好\n,\n\n", encoding="utf-8")
    rows, errors = split(path)
    assert errors == [] and [r.row_no for r in rows] == [3]


def test_csv_header_only_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("channel,content\n", encoding="utf-8")
    assert split(path) == ([], [])


# ------------------------------------------------------------------------------------------------ headers


def test_chinese_export_headers_are_aliases_of_the_post_fields(tmp_path: Path) -> None:
    values = {"channel": "HOTLINE_95598", "external_id": "W-1", "received_at": "2024-05-01 10:00:00",
              "content": CONTENT_1, "customer_no": "0300000001", "customer_name": "陈大文", "phone": "13800000001",
              "address": "东坪镇幸福路1号", "org_unit": "T111", "transformer_area": "T111",
              "business_type": "REPAIR", "topic": "OUTAGE", "urgent": "true"}
    assert set(values) == set(POST_FIELDS)
    path = tmp_path / "zh.csv"
    path.write_text(csv_text([HEADERS_ZH[f] for f in POST_FIELDS], [[values[f] for f in POST_FIELDS]]),
                    encoding="utf-8-sig")
    rows, errors = split(path)
    assert errors == [] and rows[0].values == values
    AppealIn.model_validate(rows[0].values)  # the row is a valid POST body


def test_headers_are_trimmed_and_mixed_languages_allowed(tmp_path: Path) -> None:
    path = tmp_path / "mixed_headers.csv"
    path.write_text(f" channel ,{HEADERS_ZH['content']}, phone\nAPP,好,13800000001\n", encoding="utf-8")
    rows, _ = split(path)
    assert rows[0].values == {"channel": "APP", "content": "好", "phone": "13800000001"}


def _header_file(tmp_path: Path, suffix: str, header: list[str]) -> Path:
    row = ["APP"] + ["x"] * (len(header) - 1)
    if suffix == ".csv":
        path = tmp_path / "h.csv"
        path.write_text(csv_text(header, [row]), encoding="utf-8")
        return path
    return write_xlsx(tmp_path / "h.xlsx", [header, row])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize(("header", "mentions"), [
    (["channel", "content", "colour"], "colour"),
    (["channel", "content", "客户邮箱"], "客户邮箱"),
    (["channel", "phone"], "content"),
    (["content", "phone"], "channel"),
    (["channel", "content", "channel"], "channel"),
    (["channel", "content", HEADERS_ZH["channel"]], "channel"),  # an alias duplicates its English name
    (["Channel", "Content"], "Channel"),
])
def test_bad_header_names_the_columns(tmp_path: Path, suffix: str, header: list[str], mentions: str) -> None:
    path = _header_file(tmp_path, suffix, header)
    with pytest.raises(BadInput) as info:
        list(read_rows(path))
    assert info.value.field == "columns"
    assert mentions in info.value.reason


# ------------------------------------------------------------------------------------------------ empty / suffix


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n"])
def test_empty_csv_is_bad_input(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(data)
    with pytest.raises(BadInput) as info:
        list(read_rows(path))
    assert info.value.field in ("file", "columns")


def test_empty_xlsx_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(BadInput) as info:
        list(read_rows(path))
    assert info.value.field in ("file", "columns")


def test_empty_jsonl_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n\n")
    assert split(path) == ([], [])


def test_corrupt_xlsx_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"channel,content\nAPP,hello\n")
    with pytest.raises(BadInput) as info:
        list(read_rows(path))
    assert info.value.field == "file"


@pytest.mark.parametrize("name", ["appeals.txt", "appeals.xls", "appeals.json", "appeals"])
def test_unsupported_suffix_is_bad_input(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("channel,content\nAPP,x\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        read_rows(path)
    assert info.value.field == "file"
    assert ".csv" in info.value.reason  # tells what would work


def test_missing_file_is_bad_input_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(BadInput) as info:
        read_rows(path)
    assert info.value.field == "file" and "nowhere.csv" in info.value.reason


def test_uppercase_suffix_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "A.CSV"
    path.write_text("channel,content\nAPP,好\n", encoding="utf-8")
    rows, _ = split(path)
    assert len(rows) == 1


# ------------------------------------------------------------------------------------------------ XLSX


def test_xlsx_dates_and_numbers_become_usable_values(tmp_path: Path) -> None:
    when = datetime(2024, 5, 6, 9, 30)
    path = write_xlsx(tmp_path / "a.xlsx", [
        ["channel", "received_at", "content", "customer_no", "phone", "urgent", "org_unit"],
        ["APP", when, CONTENT_1, 3000000019, 13800000001, True, "T111"],
        [None, None, None, None, None, None, None],
        ["SMS", date(2024, 5, 7), CONTENT_2, "0300000002", 13912345678.0, False, None],
    ])
    rows, errors = split(path)
    assert errors == []
    assert [r.row_no for r in rows] == [2, 4]  # sheet rows; the empty one is skipped
    first = AppealIn.model_validate(rows[0].values)
    assert first.received_at == when.replace(tzinfo=LOCAL_TZ)  # naive sheet times are Beijing time
    assert first.customer_no == "3000000019"  # digits kept, no ".0"
    assert first.phone == "13800000001"
    assert first.urgent is True and first.org_unit == "T111" and first.content == CONTENT_1
    second = AppealIn.model_validate(rows[1].values)
    assert second.received_at == datetime(2024, 5, 7, tzinfo=LOCAL_TZ)
    assert second.customer_no == "0300000002" and second.phone == "13912345678"
    assert second.urgent is False and second.content == CONTENT_2
    assert "org_unit" not in rows[1].values


def test_xlsx_with_chinese_headers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "zh.xlsx", [[HEADERS_ZH["channel"], HEADERS_ZH["content"], HEADERS_ZH["phone"]],
                                              ["COUNTER", CONTENT_3, 13800000002]])
    rows, _ = split(path)
    assert rows[0].values == {"channel": "COUNTER", "content": CONTENT_3, "phone": 13800000002}


# ------------------------------------------------------------------------------------------------ JSON Lines


def test_jsonl_reports_each_bad_line_and_keeps_the_others(tmp_path: Path) -> None:
    lines = [
        json.dumps({"channel": "APP", "content": CONTENT_1}, ensure_ascii=False),  # 1
        '{"channel": "APP", "content": "未闭合"',  # 2 broken JSON
        "",  # 3 blank: skipped
        json.dumps(["APP", "not an object"]),  # 4
        json.dumps("just a string"),  # 5
        json.dumps({"channel": "APP", "content": "x", "colour": "red"}),  # 6 unknown field
        json.dumps({"channel": "SMS", "content": CONTENT_2, "phone": 13800000001}, ensure_ascii=False),  # 7
        "null",  # 8
    ]
    path = tmp_path / "a.jsonl"
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    rows, errors = split(path)
    assert [(e.row_no, e.field) for e in errors] == [(2, "json"), (4, "json"), (5, "json"), (6, "colour"),
                                                     (8, "json")]
    assert "colour" in errors[3].reason
    assert [r.row_no for r in rows] == [1, 7]
    assert rows[0].values == {"channel": "APP", "content": CONTENT_1}
    assert AppealIn.model_validate(rows[1].values).phone == "13800000001"


def test_jsonl_in_gb18030_and_undecodable_line(tmp_path: Path) -> None:
    path = tmp_path / "gb.jsonl"
    good = [json.dumps({"channel": "APP", "content": c}, ensure_ascii=False) for c in (CONTENT_1, CONTENT_2)]
    path.write_bytes((good[0] + "\n").encode("gb18030") + (good[1] + "\n").encode("gb18030"))
    rows, errors = split(path)
    assert errors == [] and [r.values["content"] for r in rows] == [CONTENT_1, CONTENT_2]

    path.write_bytes((good[0] + "\n").encode() + b'{"channel": "APP", "content": "\xff\xfe"}\n'
                     + (good[1] + "\n").encode())
    rows, errors = split(path)
    assert [(e.row_no, e.field) for e in errors] == [(2, "encoding")]
    assert [r.row_no for r in rows] == [1, 3]
