"""Reading labelled texts (CSV, XLSX, JSON Lines) for training and evaluation, and texts to classify.

A labelled record needs the text (`text`, or `content` / 诉求内容 as the appeal files call it), `business_type`
and `topic`; `urgent` and `channel` are optional. Labels may be codes or their Chinese names (故障报修, 停电 ...).
Other columns are ignored, so an appeal export or a hand-labelled sheet can be read as it is. Every problem
stops the reading with the line (or sheet row), the field and the reason.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gridvoice.appeals.files import detect_encoding
from gridvoice.classifier.model import LabelledTexts
from gridvoice.domain.taxonomy import LABELS_ZH, BusinessType, Channel, Topic
from gridvoice.errors import BadInput

SUPPORTED = (".csv", ".xlsx", ".jsonl")
TEXT_FALLBACKS = ("text", "content", "诉求内容", "内容")
FIELD_ALIASES = {"业务类型": "business_type", "诉求主题": "topic", "紧急": "urgent", "受理渠道": "channel",
                 "渠道": "channel"}
_TRUE = {"true", "1", "yes", "y", "是", "紧急", "t"}
_FALSE = {"false", "0", "no", "n", "否", "不紧急", "非紧急", "f", ""}
_CODES: dict[str, dict[str, str]] = {
    "business_type": {b.value: b.value for b in BusinessType},
    "topic": {t.value: t.value for t in Topic},
    "channel": {c.value: c.value for c in Channel},
}
for _field, _codes in _CODES.items():
    _codes.update({LABELS_ZH[code]: code for code in list(_codes) if code in LABELS_ZH})


def _where(path: Path, row_no: int, kind: str) -> str:
    return f"{path.name} {kind} {row_no}"


def _rows(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(row number, 'line'/'row', record) of a CSV, XLSX or JSON Lines file."""
    if not path.is_file():
        raise BadInput("data", f"{path} does not exist")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl(path)
    if suffix == ".csv":
        return _csv(path)
    if suffix == ".xlsx":
        return _xlsx(path)
    raise BadInput("data", f"unsupported file type '{suffix}'; use one of {', '.join(SUPPORTED)}")


def read_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of a JSON Lines file; blank lines are skipped, anything else not an object fails."""
    for line_no, _, obj in _jsonl(path):
        yield line_no, obj


def _decoded(path: Path) -> Iterator[tuple[int, str]]:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    encoding = detect_encoding(head, None)
    with path.open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            try:
                yield line_no, raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise BadInput(f"{path.name} line {line_no}",
                               f"bytes not valid {encoding} at position {exc.start}") from exc


def _jsonl(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    if not path.is_file():
        raise BadInput("input", f"{path} does not exist")
    for line_no, text in _decoded(path):
        text = text.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{path.name} line {line_no}",
                           f"not valid JSON: {exc.msg} at column {exc.colno}") from exc
        if not isinstance(obj, dict):
            raise BadInput(f"{path.name} line {line_no}", "each line must be a JSON object")
        yield line_no, "line", obj


def _csv(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    lines = (text.lstrip("\ufeff") if n == 1 else text for n, text in _decoded(path))
    reader = csv.reader(lines)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BadInput("data", f"{path.name} is empty") from None
    while True:
        line_no = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadInput(_where(path, line_no, "line"), f"{exc}; is a quote (\") left open?") from exc
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise BadInput(_where(path, line_no, "line"), f"{len(row)} cells, the header has {len(header)}")
        yield line_no, "line", dict(zip(header, row, strict=True))


def _xlsx(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise BadInput("data", f"{path.name}: not a readable XLSX workbook: {exc}") from exc
    if not sheet:
        raise BadInput("data", f"{path.name}: the first sheet is empty")
    header = [str(h).strip() for h in sheet[0]]
    for row_no, row in enumerate(sheet[1:], start=2):
        if all(c in ("", None) for c in row):
            continue
        yield row_no, "row", dict(zip(header, row, strict=False))


def text_of(record: dict[str, Any], text_field: str, where: str) -> str:
    """The record's text: `text_field`, or (when that is the default 'text') content / 诉求内容."""
    names = (text_field,) if text_field != "text" else TEXT_FALLBACKS
    for name in names:
        if name in record:
            value = record[name]
            if not isinstance(value, str) or not value.strip():
                raise BadInput(where, f"{name}: must be a non-empty string")
            return value
    raise BadInput(where, f"{text_field}: missing (the text to classify)")


def code_of(field: str, value: Any, where: str) -> str:
    code = _CODES[field].get(str(value).strip()) if value is not None else None
    if code is None:
        raise BadInput(where, f"{field}: unknown value {value!r}; expected one of {', '.join(_CODES[field])}")
    return code


def channel_of(record: dict[str, Any], where: str) -> str:
    """The channel code, or '' when the record does not say (the model then has no channel feature)."""
    value = _field(record, "channel")
    if value in (None, ""):
        return ""
    return code_of("channel", value, where)


def _field(record: dict[str, Any], name: str) -> Any:
    if name in record:
        return record[name]
    for alias, target in FIELD_ALIASES.items():
        if target == name and alias in record:
            return record[alias]
    return None


def urgent_of(value: Any, where: str) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return None if text == "" else False
    raise BadInput(where, f"urgent: {value!r} is not true/false (also accepted: 1/0, 是/否)")


def read_labelled(path: Path, text_field: str = "text") -> LabelledTexts:
    """All records of a labelled file; the first bad one stops the reading with its line and field."""
    data = LabelledTexts([], [], [], [], [])
    for row_no, kind, record in _rows(path):
        where = _where(path, row_no, kind)
        data.texts.append(text_of(record, text_field, where))
        data.channels.append(channel_of(record, where))
        data.business_type.append(code_of("business_type", _field(record, "business_type"), where))
        data.topic.append(code_of("topic", _field(record, "topic"), where))
        data.urgent.append(urgent_of(_field(record, "urgent"), where))
    if not data.texts:
        raise BadInput("data", f"{path.name} holds no records")
    return data
