"""Reading appeal files (CSV, XLSX, JSON Lines) into raw rows, with every unreadable row reported.

Column names are the POST fields of interfaces.md; the Chinese headers this product exports for the same
fields are accepted as aliases. Export-only columns (status, warnings, counters) are refused by name rather
than silently ignored, and exports mask personal data, so an export is a report, not an import source.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from gridvoice.errors import BadInput

POST_FIELDS = ("channel", "external_id", "received_at", "content", "customer_no", "customer_name", "phone",
               "address", "org_unit", "transformer_area", "business_type", "topic", "urgent")
REQUIRED_COLUMNS = ("channel", "content")
HEADERS_ZH = {
    "id": "工单编号", "channel": "受理渠道", "external_id": "外部编号", "received_at": "受理时间",
    "content": "诉求内容", "customer_no": "户号", "customer_name": "客户姓名", "phone": "联系电话",
    "address": "地址", "org_unit": "责任单位", "transformer_area": "台区", "business_type": "业务类型",
    "topic": "诉求主题", "urgent": "紧急", "factor": "影响因素", "department": "责任部门", "status": "状态",
    "warning": "预警", "overdue": "是否超时", "county": "县公司", "station": "供电所", "next_due_at": "最近时限",
    "urge_count": "催办次数", "repeat_call_count": "重复来电次数", "escalate_count": "越级次数",
    "rehandle_count": "重办次数", "verdict": "回访结果", "closed_at": "归档时间", "synthetic": "合成数据",
    "labels_source": "标签来源", "version": "版本",
}
_ALIASES = {zh: en for en, zh in HEADERS_ZH.items()}
SUPPORTED = (".csv", ".xlsx", ".jsonl")


@dataclass(frozen=True)
class RawRow:
    row_no: int  # as a person finds it: the line in a CSV/JSONL file, the row in the sheet
    values: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row_no: int
    field: str
    reason: str
    raw: dict[str, Any]


def _normalise_header(header: list[Any]) -> list[str]:
    names = [_ALIASES.get(str(h).strip(), str(h).strip()) for h in header]
    unknown = [n for n in names if n and n not in POST_FIELDS]
    if unknown:
        raise BadInput("columns", f"unknown columns {unknown}; expected some of {list(POST_FIELDS)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise BadInput("columns", f"missing required columns {missing}")
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise BadInput("columns", f"duplicate columns {dupes}")
    return names


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes, encoding: str | None) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK, what Chinese Excel writes).

    A file with some undecodable lines (decoded line by line, the failing lines rejected) is read in the
    encoding of most of its non-ASCII lines, UTF-8 on a tie: valid UTF-8 is strong evidence, whereas almost
    any run of high bytes is valid GB18030, so one broken line must not turn a UTF-8 file into GB18030
    mojibake, nor one damaged line reject every row of a GBK file.
    """
    if encoding:
        return encoding
    if _decodes(data, "utf-8-sig"):
        return "utf-8-sig"
    non_ascii = [line for line in data.splitlines() if not line.isascii()]
    utf8 = sum(_decodes(line, "utf-8-sig") for line in non_ascii)
    gb = sum(_decodes(line, "gb18030") for line in non_ascii)
    return "gb18030" if utf8 * 2 < len(non_ascii) and gb > utf8 else "utf-8-sig"


SAMPLE_BYTES = 4 << 20  # the encoding is judged on the first 4 MiB (whole lines)


def _sample(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
        if len(head) == SAMPLE_BYTES and b"\n" in head:
            head = head[: head.rindex(b"\n") + 1]  # never judge a character cut in half
    return head


def _decoded_lines(path: Path, encoding: str) -> Iterator[tuple[int, str | None, str]]:
    """(line number, text or None when undecodable, reason), streamed: a large file is never held whole."""
    with path.open("rb") as fh:
        for i, raw in enumerate(fh, start=1):
            try:
                yield i, raw.decode(encoding), ""
            except UnicodeDecodeError as exc:
                yield i, None, f"bytes not valid {encoding} at position {exc.start}"


def read_csv_header(reader: Any, undecodable: dict[int, str]) -> list[str]:
    """The first record of a CSV reader: refused when the file is empty, malformed or not decodable there
    (`undecodable`: line number -> reason, filled by the reader's line source)."""
    try:
        first = next(reader)
    except StopIteration:
        raise BadInput("file", "the file is empty") from None
    except csv.Error as exc:
        raise BadInput("header", f"line 1: {exc}") from exc
    if 1 in undecodable:
        raise BadInput("header", f"line 1: {undecodable[1]}")
    return [str(cell) for cell in first]


def read_csv(path: Path, encoding: str | None = None) -> Iterator[RawRow | RowError]:
    enc = detect_encoding(_sample(path), encoding)
    bad: dict[int, str] = {}

    def lines() -> Iterator[str]:
        for line_no, text, reason in _decoded_lines(path, enc):
            if text is None:
                bad[line_no] = reason
                yield "\n"
            else:
                yield text.lstrip("\ufeff") if line_no == 1 else text

    reader = csv.reader(lines())
    header = _normalise_header(read_csv_header(reader, bad))
    while True:
        line_no = reader.line_num + 1  # a record's first line, as an editor shows it (quoted cells span lines)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file into one cell
            raise BadInput("file", f"line {line_no}: {exc}; is a quote (\") left open?") from exc
        lines = range(line_no, reader.line_num + 1)
        undecodable = [n for n in lines if n in bad]
        if undecodable:
            yield RowError(line_no, "encoding", f"line {undecodable[0]}: {bad[undecodable[0]]}", {})
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            span = f" (one record over lines {line_no}-{lines[-1]}: is a quote left open?)" if len(lines) > 1 else ""
            yield RowError(line_no, "columns", f"{len(row)} cells, header has {len(header)}{span}",
                           dict(enumerate(row)))
            continue
        yield RawRow(line_no, {k: v for k, v in zip(header, row, strict=True) if k and v != ""})


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_xlsx(path: Path) -> Iterator[RawRow | RowError]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise BadInput("file", f"not a readable XLSX workbook: {exc}") from exc
    if not sheet:
        raise BadInput("file", "the first sheet is empty")
    header = _normalise_header([h for h in sheet[0]])
    for i, row in enumerate(sheet[1:], start=2):
        cells = [_cell(c) for c in row]
        if all(c == "" or c is None for c in cells):
            continue
        yield RawRow(i, {k: v for k, v in zip(header, cells, strict=False) if k and v not in ("", None)})


def read_jsonl(path: Path, encoding: str | None = None) -> Iterator[RawRow | RowError]:
    enc = detect_encoding(_sample(path), encoding)
    for line_no, text, reason in _decoded_lines(path, enc):
        if text is None:
            yield RowError(line_no, "encoding", reason, {})
            continue
        text = text.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RowError(line_no, "json", f"not valid JSON: {exc.msg} at column {exc.colno}", {"line": text[:200]})
            continue
        if not isinstance(obj, dict):
            yield RowError(line_no, "json", "each line must be a JSON object", {"line": text[:200]})
            continue
        unknown = [k for k in obj if k not in POST_FIELDS]
        if unknown:
            yield RowError(line_no, unknown[0], f"unknown field(s) {unknown}", obj)
            continue
        yield RawRow(line_no, obj)


def read_rows(path: Path, encoding: str | None = None) -> Iterator[RawRow | RowError]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise BadInput("file", f"{path} does not exist")
    if suffix == ".csv":
        return read_csv(path, encoding)
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".jsonl":
        return read_jsonl(path, encoding)
    raise BadInput("file", f"unsupported file type '{suffix}'; use one of {', '.join(SUPPORTED)}")
