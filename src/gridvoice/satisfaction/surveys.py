"""Survey responses (问卷答卷): import against an instrument, row checks, storage as analytical data, listing.

A file (CSV in UTF-8 or GB18030, or XLSX) has one row per respondent: the instrument's item columns (by code, or
by the item's wording as a questionnaire tool exports it) and the respondent's metadata `respondent`, `unit`,
`segment`, `channel`, `period` (Chinese headers such as 供电单位, 客户类别, 调查渠道, 调查期 are accepted too).
Every row is checked:

- rejected (row, column, reason): a non-numeric answer, an answer outside the scale, no answer at all, a
  missing or unknown unit, a missing or unreadable period, a respondent id seen before in the file, a row
  with the wrong number of cells or undecodable bytes;
- accepted but flagged: some answers missing (the fit drops such rows listwise), straight-lining — the same
  answer to every item answered, with at least half the items answered (left out of CSI fits by default).

Mode `rows` stores the accepted rows and reports the rejected ones; `atomic` stores nothing when any row is
rejected; a dry run stores nothing. A survey lives in ``GRIDVOICE_HOME/surveys/<id>/``: `responses.parquet` and
`manifest.json` (who imported it and when, the file's SHA-256, the instrument and model spec, counts, units,
periods). The folder is written under a temporary name and renamed into place inside the transaction that
records the import in the audit trail, so a survey is there whole, audited, or not at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from gridvoice.appeals.files import detect_encoding, read_csv_header
from gridvoice.audit.service import record
from gridvoice.auth.service import Actor, require
from gridvoice.domain.roles import Permission
from gridvoice.errors import BadInput, NotFound
from gridvoice.org.service import OrgDirectory
from gridvoice.runtime import Runtime
from gridvoice.satisfaction.instrument import Instrument, load_instrument
from gridvoice.satisfaction.periods import Period, parse_period
from gridvoice.satisfaction.schemas import (
    ImportResult,
    RowProblem,
    SurveyCounts,
    SurveyManifest,
    SurveySource,
)
from gridvoice.satisfaction.spec import ModelSpec, parse_spec

log = logging.getLogger("gridvoice.satisfaction")

SURVEYS = "surveys"
RESPONSES = "responses.parquet"
MANIFEST = "manifest.json"
SURVEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
META = ("respondent", "unit", "segment", "channel", "period", "synthetic")
META_ALIASES = {
    "受访者": "respondent", "受访者编号": "respondent", "问卷编号": "respondent", "答卷编号": "respondent",
    "respondent_id": "respondent", "单位": "unit", "供电单位": "unit", "县公司": "unit", "unit_code": "unit",
    "客户类别": "segment", "客户分类": "segment", "细分": "segment", "渠道": "channel", "调查渠道": "channel",
    "调查期": "period", "统计期": "period", "期间": "period", "合成数据": "synthetic",
}
TRUE_TEXTS = {"1", "true", "yes", "y", "是", "t"}
FALSE_TEXTS = {"0", "false", "no", "n", "否", "f", ""}
TEXT_LIMIT = 50  # characters of a segment, channel or respondent id
FLAGS_LISTED = 1000
Mode = Literal["rows", "atomic"]


# ------------------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[Any] | None  # None: the row could not be read (see `problem`)
    problem: str = ""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]


def read_table(data: bytes, filename: str, encoding: str | None = None) -> Table:
    """The header and rows of a CSV or XLSX file; unreadable rows are kept as problems, not dropped."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _read_csv(data, encoding)
    if suffix == ".xlsx":
        return _read_xlsx(data)
    raise BadInput("file", f"{filename}: unsupported file type {suffix!r}; use .csv or .xlsx")


def _read_csv(data: bytes, encoding: str | None) -> Table:
    enc = detect_encoding(data[: 4 << 20], encoding)
    bad: dict[int, str] = {}

    def lines() -> Iterator[str]:
        for number, raw in enumerate(data.splitlines(keepends=True), start=1):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError as exc:
                bad[number] = f"bytes not valid {enc} at position {exc.start}"
                text = "\n"
            yield text.lstrip("\ufeff") if number == 1 else text

    reader = csv.reader(lines())
    header = [h.strip() for h in read_csv_header(reader, bad)]
    return Table(header, list(_csv_rows(reader, bad, len(header))))


def _csv_rows(reader: Any, bad: dict[int, str], width: int) -> Iterator[Row]:
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadInput("file", f"line {line}: {exc}; is a quote (\") left open?") from exc
        undecodable = [n for n in range(line, reader.line_num + 1) if n in bad]
        if undecodable:
            yield Row(line, None, f"line {undecodable[0]}: {bad[undecodable[0]]}")
        elif not any(c.strip() for c in cells):
            continue
        elif len(cells) != width:
            yield Row(line, None, f"{len(cells)} cells, the header has {width}")
        else:
            yield Row(line, cells)


def _read_xlsx(data: bytes) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(
            skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise BadInput("file", f"not a readable XLSX workbook: {exc}") from exc
    if not sheet:
        raise BadInput("file", "the first sheet is empty")
    header = [str(h).strip() for h in sheet[0]]
    rows = [Row(i, [_xlsx_cell(c) for c in r[: len(header)]] + [""] * (len(header) - len(r)))
            for i, r in enumerate(sheet[1:], start=2) if any(c not in ("", None) for c in r)]
    return Table(header, rows)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


# ------------------------------------------------------------------------------------------------ columns


@dataclass(frozen=True)
class Columns:
    """Where each item and metadata field is in the file."""

    items: dict[str, int]  # item code → position
    meta: dict[str, int]  # metadata field → position


def map_columns(header: Sequence[str], spec: ModelSpec, instrument: Instrument | None,
                default_period: Period | None) -> Columns:
    by_text = {_norm(i.text): i.code for i in instrument.items} if instrument else {}
    by_code = {_norm(code): code for code in spec.items}
    items: dict[str, int] = {}
    meta: dict[str, int] = {}
    unknown, seen = [], set()
    for position, raw in enumerate(header):
        name = _norm(raw)
        target = by_code.get(name) or by_text.get(name) or META_ALIASES.get(name) or (name if name in META else None)
        if target is None:
            if name:
                unknown.append(raw)
            continue
        if target in seen:
            raise BadInput("columns", f"column {raw!r} repeats {target!r}")
        seen.add(target)
        (meta if target in META else items)[target] = position
    _check_columns(spec, items, meta, unknown, default_period)
    return Columns(items, meta)


def _check_columns(spec: ModelSpec, items: dict[str, int], meta: dict[str, int], unknown: list[str],
                   default_period: Period | None) -> None:
    if unknown:
        raise BadInput("columns", f"unknown column(s) {unknown}: expected the instrument's item codes "
                                  f"({', '.join(spec.items[:6])}, …) and {', '.join(META)}")
    missing = [code for code in spec.items if code not in items]
    if missing:
        raise BadInput("columns", f"item column(s) {missing} are missing: the file does not answer the instrument")
    if "unit" not in meta:
        raise BadInput("columns", "a 'unit' column (供电单位) is required: CSI is computed per unit")
    if "period" not in meta and default_period is None:
        raise BadInput("period", "the file has no 'period' column (调查期); give the survey's period")


def _norm(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


# ------------------------------------------------------------------------------------------------ rows


@dataclass
class Checked:
    """The accepted rows as columns, the rejected rows and the flags of the accepted ones."""

    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    flags: list[RowProblem] = field(default_factory=list)
    missing: int = 0
    straight: int = 0


@dataclass
class RowChecker:
    spec: ModelSpec
    columns: Columns
    org: OrgDirectory
    default_period: Period | None
    synthetic: bool
    scope: str | None = None  # the importer's territory: rows of other units are refused
    seen: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # a unit may be written by its name (unique names only)
        counts: dict[str, int] = {}
        for unit in self.org.units.values():
            counts[unit.name] = counts.get(unit.name, 0) + 1
        self.names = {u.name: u.code for u in self.org.units.values() if counts[u.name] == 1}

    def check(self, row: Row, out: Checked) -> None:
        if row.cells is None:
            out.problems.append(RowProblem(row=row.line, field="row", reason=row.problem))
            return
        try:
            answers = self._answers(row)
            record = {"line": row.line, **self._meta(row), **dict(zip(self.spec.items, answers, strict=True))}
        except BadInput as exc:
            out.problems.append(RowProblem(row=row.line, field=exc.field, reason=exc.reason))
            return
        self._flag(row.line, answers, record, out)
        out.records.append(record)

    def _answers(self, row: Row) -> list[float]:
        scale, values, bad, outside = self.spec.scale, [], [], []
        for code in self.spec.items:
            cell = row.cells[self.columns.items[code]]  # type: ignore[index]
            value = _number(cell)
            if value is None:
                bad.append(f"{code}={cell!r}")
            elif not math.isnan(value) and not scale.min <= value <= scale.max:
                outside.append(f"{code}={value:g}")
            values.append(value if value is not None else math.nan)
        if bad:
            raise BadInput(bad[0].split("=")[0], f"not a number: {', '.join(bad)}")
        if outside:
            raise BadInput(outside[0].split("=")[0],
                           f"outside the scale {scale.min:g}–{scale.max:g}: {', '.join(outside)}")
        if all(math.isnan(v) for v in values):
            raise BadInput("answers", "no item is answered")
        return values

    def _meta(self, row: Row) -> dict[str, Any]:
        cells = row.cells or []

        def cell(name: str) -> str:
            position = self.columns.meta.get(name)
            return unicodedata.normalize("NFKC", str(cells[position])).strip() if position is not None else ""

        respondent = cell("respondent")[:TEXT_LIMIT] or None
        if respondent is not None:
            if respondent in self.seen:
                raise BadInput("respondent",
                               f"respondent {respondent!r} already answered on row {self.seen[respondent]}")
            self.seen[respondent] = row.line
        return {"respondent": respondent, "unit": self._unit(cell("unit")), "segment": cell("segment")[:TEXT_LIMIT],
                "channel": cell("channel")[:TEXT_LIMIT], "period": self._period(cell("period")),
                "synthetic": self._flag_value(cell("synthetic"))}

    def _unit(self, text: str) -> str:
        if not text:
            raise BadInput("unit", "the unit (供电单位) is missing")
        code = text if text in self.org.units or not self.org.units else self.names.get(text)
        if code is None:
            raise BadInput("unit", f"unknown unit {text!r}: give an org unit code or its exact name")
        if self.scope is not None and code != self.scope and not self.org.is_within(code, self.scope):
            raise BadInput("unit", f"unit {text!r} lies outside your territory ({self.scope})")
        return code

    def _period(self, text: str) -> str:
        if not text:
            if self.default_period is None:
                raise BadInput("period", "the period (调查期) is missing")
            return self.default_period.label
        return parse_period(text).label

    def _flag_value(self, text: str) -> bool:
        lowered = text.lower()
        if lowered in TRUE_TEXTS:
            return True
        if lowered in FALSE_TEXTS:
            return self.synthetic
        raise BadInput("synthetic", f"{text!r} is not true or false")

    def _flag(self, line: int, answers: list[float], record: dict[str, Any], out: Checked) -> None:
        given = [v for v in answers if not math.isnan(v)]
        missing = [code for code, v in zip(self.spec.items, answers, strict=True) if math.isnan(v)]
        straight = len(given) * 2 >= len(answers) and len(given) > 1 and min(given) == max(given)
        record["missing_items"] = len(missing)
        record["straight_lining"] = straight
        if missing:
            out.missing += 1
            if len(out.flags) < FLAGS_LISTED:
                out.flags.append(RowProblem(row=line, field=missing[0],
                                            reason=f"missing answers: {', '.join(missing)}"))
        if straight:
            out.straight += 1
            if len(out.flags) < FLAGS_LISTED:
                out.flags.append(RowProblem(row=line, field="answers",
                                            reason=f"straight-lining: {given[0]:g} to all {len(given)} items answered"))


def _number(cell: Any) -> float | None:
    """The answer as a number; NaN when blank; None when it is no number."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell) if math.isfinite(cell) else None
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if text in ("", "NA", "N/A", "-", "—"):
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# ------------------------------------------------------------------------------------------------ import


@dataclass(frozen=True)
class SurveyModel:
    """What answers are checked against: the model spec, and the instrument (item wording) when there is one."""

    spec: ModelSpec
    instrument: Instrument | None

    @classmethod
    def default(cls) -> SurveyModel:
        instrument = load_instrument()
        return cls(instrument.spec(), instrument)

    def describe(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"spec": self.spec.to_dict(),
                               "name": self.instrument.name if self.instrument else self.spec.name,
                               "version": self.instrument.version if self.instrument else None}
        if self.instrument is not None:
            doc["labels"] = {c.code: c.label for c in self.instrument.constructs}
            doc["items"] = {i.code: i.text for i in self.instrument.items}
        return doc


@dataclass(frozen=True)
class ImportRequest:
    data: bytes
    filename: str
    survey_id: str | None = None
    title: str | None = None
    model: SurveyModel | None = None
    mode: Mode = "rows"
    dry_run: bool = False
    period: str | None = None
    encoding: str | None = None
    synthetic: bool = False


def surveys_dir(rt: Runtime) -> Path:
    return rt.settings.home / SURVEYS


def import_survey(rt: Runtime, actor: Actor, request: ImportRequest) -> ImportResult:
    """Check every row of the file and (unless a dry run, or atomic with a rejected row) store the survey."""
    require(actor, Permission.MANAGE_SURVEYS)
    if request.mode not in ("rows", "atomic"):
        raise BadInput("mode", "one of rows, atomic")
    if not request.data:
        raise BadInput("file", "the file is empty")
    digest = hashlib.sha256(request.data).hexdigest()
    survey_id = check_survey_id(request.survey_id or _default_id(digest))
    _check_new(rt, survey_id, digest)
    model = request.model or SurveyModel.default()
    default_period = parse_period(request.period) if request.period else None
    table = read_table(request.data, request.filename, request.encoding)
    columns = map_columns(table.header, model.spec, model.instrument, default_period)
    if not table.rows:
        raise BadInput("file", "the file has a header but no answers")
    checker = RowChecker(model.spec, columns, rt.org(), default_period, request.synthetic, actor.org_code)
    checked = Checked()
    for row in table.rows:
        checker.check(row, checked)
    counts = SurveyCounts(read=len(table.rows), accepted=len(checked.records), rejected=len(checked.problems),
                          flagged_missing=checked.missing, flagged_straight_lining=checked.straight)
    store = bool(checked.records) and not request.dry_run and not (request.mode == "atomic" and checked.problems)
    if store:
        manifest = _manifest(survey_id, request, model, actor, digest, checked, counts)
        _store(rt, actor, manifest, _frame(model.spec, checked.records))
    return ImportResult(survey_id=survey_id, dry_run=request.dry_run, mode=request.mode, stored=store,
                        counts=counts, problems=checked.problems, flags=checked.flags)


def check_survey_id(survey_id: str) -> str:
    if not SURVEY_ID.match(survey_id or ""):
        raise BadInput("survey_id", f"{survey_id!r}: 1–64 letters, digits, '.', '_' or '-', starting with a letter "
                                    "or digit")
    return survey_id


def _default_id(digest: str) -> str:
    return f"survey-{datetime.now(UTC):%Y%m%d}-{digest[:8]}"


def _check_new(rt: Runtime, survey_id: str, digest: str) -> None:
    if (surveys_dir(rt) / survey_id).exists():
        raise BadInput("survey_id", f"survey {survey_id!r} exists already; choose another id")
    for manifest in _manifests(rt):
        if manifest.source.sha256 == digest:
            raise BadInput("file", f"this file (SHA-256 {digest[:12]}…) was imported already as survey "
                                   f"{manifest.id!r}")


def _manifest(survey_id: str, request: ImportRequest, model: SurveyModel, actor: Actor, digest: str,
              checked: Checked, counts: SurveyCounts) -> SurveyManifest:
    def distinct(key: str) -> list[str]:
        return sorted({str(r[key]) for r in checked.records if r[key]})

    return SurveyManifest(
        id=survey_id, title=request.title or Path(request.filename).stem, imported_at=datetime.now(UTC),
        imported_by=actor.username,
        source=SurveySource(file=Path(request.filename).name, sha256=digest, bytes=len(request.data)),
        instrument=model.describe(), counts=counts, units=distinct("unit"),
        periods=sorted(distinct("period"), key=lambda p: parse_period(p).start),
        segments=distinct("segment"), channels=distinct("channel"),
        synthetic=any(r["synthetic"] for r in checked.records), mode=request.mode)


def _frame(spec: ModelSpec, records: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    for code in spec.items:
        frame[code] = frame[code].astype("float64")
    for name in ("respondent", "unit", "segment", "channel", "period"):
        frame[name] = frame[name].astype("string")
    return frame


def _store(rt: Runtime, actor: Actor, manifest: SurveyManifest, frame: pd.DataFrame) -> None:
    root = surveys_dir(rt)
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".incoming-{manifest.id}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    target = root / manifest.id
    try:
        frame.to_parquet(staging / RESPONSES, index=False, compression="zstd")
        (staging / MANIFEST).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        with rt.writes.begin() as session:
            record(session, actor, "survey.import", "survey", manifest.id,
                   details={"file": manifest.source.file, "sha256": manifest.source.sha256,
                            **manifest.counts.model_dump(), "mode": manifest.mode, "synthetic": manifest.synthetic})
            # inside the transaction: a failed rename rolls the audit entry back; rename refuses an existing
            # folder, so two imports of one id cannot both land
            try:
                os.rename(staging, target)
            except OSError as exc:
                raise BadInput("survey_id", f"survey {manifest.id!r} exists already: {exc.strerror}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# ------------------------------------------------------------------------------------------------ reading back


def _manifests(rt: Runtime) -> list[SurveyManifest]:
    root = surveys_dir(rt)
    found = []
    for path in sorted(root.glob(f"*/{MANIFEST}")) if root.is_dir() else []:
        try:
            found.append(SurveyManifest.model_validate_json(path.read_text("utf-8")))
        except (OSError, ValueError) as exc:
            log.warning("unreadable survey manifest", extra={"path": str(path), "error": str(exc)[:200]})
    return found


def list_surveys(rt: Runtime, actor: Actor) -> list[SurveyManifest]:
    """Every stored survey, the latest import first."""
    require(actor, Permission.READ_SATISFACTION)
    return sorted(_manifests(rt), key=lambda m: m.imported_at, reverse=True)


def load_survey(rt: Runtime, actor: Actor, survey_id: str) -> tuple[SurveyManifest, pd.DataFrame]:
    require(actor, Permission.READ_SATISFACTION)
    folder = surveys_dir(rt) / check_survey_id(survey_id)
    try:
        manifest = SurveyManifest.model_validate_json((folder / MANIFEST).read_text("utf-8"))
        frame = pd.read_parquet(folder / RESPONSES)
    except FileNotFoundError:
        raise NotFound(f"survey {survey_id} not found") from None
    return manifest, frame


def survey_spec(manifest: SurveyManifest) -> ModelSpec:
    return parse_spec(manifest.instrument["spec"])


def within(org: OrgDirectory, units: pd.Series, scope: str | None) -> np.ndarray:
    """Rows whose unit lies in the subtree of `scope` (None: all)."""
    if scope is None:
        return np.ones(len(units), dtype=bool)
    inside = {u for u in units.dropna().unique() if u == scope or org.is_within(str(u), scope)}
    return np.array(units.isin(inside), dtype=bool)  # a copy: pandas may hand out read-only views


# ------------------------------------------------------------------------------------------------ demo


def seed_satisfaction(runtime: Runtime, seed: int = 42, respondents: int = 4000,
                      now: datetime | None = None) -> ImportResult | None:
    """Import a synthetic survey (the default instrument's population model) over the demo's counties and the
    four quarters up to now, so the demo's satisfaction pages have data. Once: None when it is there already."""
    from gridvoice.satisfaction.periods import period_of
    from gridvoice.satisfaction.simulate import DEFAULT_MEANS, DEFAULT_PATHS, simulate

    counties = sorted(code for code, unit in runtime.org().units.items() if unit.level == "county")
    if not counties:
        raise BadInput("org", "the demo survey needs the org tree's counties; seed the organisation first")
    now = now or datetime.now(UTC)
    current = parse_period(f"{now.year}-Q{(now.month - 1) // 3 + 1}")
    quarters = [current]
    while len(quarters) < 4:
        q = quarters[0]
        year, number = (q.start.year, (q.start.month - 1) // 3) if q.start.month > 1 else (q.start.year - 1, 4)
        quarters.insert(0, period_of("quarter", year, number))
    survey_id = f"demo-{seed}"
    if (surveys_dir(runtime) / survey_id).exists():
        return None
    model = SurveyModel.default()
    survey = simulate(model.spec, respondents, seed, paths=DEFAULT_PATHS, means=DEFAULT_MEANS, units=counties,
                      periods=[q.label for q in quarters])
    data = survey.frame.to_csv(index=False).encode("utf-8")
    request = ImportRequest(data, f"{survey_id}.csv", survey_id=survey_id, title="合成演示问卷 (synthetic demo survey)",
                            model=model, synthetic=True)
    return import_survey(runtime, Actor.system(), request)
