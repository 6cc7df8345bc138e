"""Survey import: per-row checks (rejected with row, column and reason; flagged missing answers and
straight-lining), encodings and XLSX, headers by code, wording or Chinese alias, rows / atomic / dry run, the
stored Parquet and manifest, the audit entry, the territory, and the CSI per group of a stored survey."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from gridvoice.audit.models import AuditEntry
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.errors import BadInput, Forbidden, NotFound
from gridvoice.runtime import Runtime
from gridvoice.satisfaction.instrument import load_instrument
from gridvoice.satisfaction.service import SatisfactionService
from gridvoice.satisfaction.simulate import DEFAULT_MEANS, DEFAULT_PATHS, simulate
from gridvoice.satisfaction.surveys import (
    MANIFEST,
    RESPONSES,
    ImportRequest,
    _number,
    import_survey,
    list_surveys,
    load_survey,
    seed_satisfaction,
    surveys_dir,
)

ANALYST = Actor("analyst_city", Role.ANALYST)
SPEC = load_instrument().spec()
ITEMS = list(SPEC.items)


def answers(n: int = 400, seed: int = 1, units: tuple[str, ...] = ("C1", "C2"),
            periods: tuple[str, ...] = ("2026-Q1", "2026-Q2")) -> pd.DataFrame:
    frame = simulate(SPEC, n, seed, paths=DEFAULT_PATHS, means=DEFAULT_MEANS, units=units, periods=periods).frame
    return frame.drop(columns=["synthetic"]).astype(object)


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    return frame.to_csv(index=False).encode(encoding)


def run(rt: Runtime, data: bytes, name: str = "answers.csv", actor: Actor = ANALYST, **options: object) -> object:
    return import_survey(rt, actor, ImportRequest(data, name, **options))  # type: ignore[arg-type]


@pytest.fixture
def rt(sqlite_runtime: Runtime) -> Runtime:
    return sqlite_runtime


# ------------------------------------------------------------------------------------------------ row checks


def test_each_bad_row_is_rejected_with_row_column_and_reason(rt: Runtime) -> None:
    frame = answers(50)
    frame.loc[0, "sat1"] = 11
    frame.loc[1, "imag2"] = "很好"
    frame.loc[2, "unit"] = "ZZ"
    frame.loc[3, "period"] = "next year"
    frame.loc[4, ITEMS] = ""
    frame.loc[5, "respondent"] = frame.loc[6, "respondent"]
    frame.loc[7, "unit"] = ""
    result = run(rt, csv_bytes(frame), survey_id="checks")
    problems = {(p.row, p.field): p.reason for p in result.problems}
    assert problems.keys() == {(2, "sat1"), (3, "imag2"), (4, "unit"), (5, "period"), (6, "answers"),
                               (8, "respondent"), (9, "unit")}
    assert "outside the scale 1–10: sat1=11" in problems[(2, "sat1")]
    assert "not a number" in problems[(3, "imag2")] and "unknown unit 'ZZ'" in problems[(4, "unit")]
    assert "row 7" in problems[(8, "respondent")]  # the first answer of that respondent, on line 7
    assert result.counts.accepted == 43 and result.stored


def test_missing_answers_and_straight_lining_are_flagged_not_rejected(rt: Runtime) -> None:
    frame = answers(80)
    frame.loc[0, ["sat2", "loy1"]] = ""
    frame.loc[1, ITEMS] = 7
    frame.loc[2, ITEMS[:20]] = 9  # two thirds answered, all alike
    frame.loc[2, ITEMS[20:]] = ""
    frame.loc[3, ITEMS[:10]] = 4  # a third answered: too few to call it straight-lining
    frame.loc[3, ITEMS[10:]] = ""
    result = run(rt, csv_bytes(frame), survey_id="flags")
    assert result.counts.rejected == 0 and result.counts.flagged_missing == 3
    assert result.counts.flagged_straight_lining == 2
    flags = {(f.row, f.field) for f in result.flags}
    assert (2, "sat2") in flags and (3, "answers") in flags and (4, "answers") in flags
    _, stored = load_survey(rt, ANALYST, "flags")
    assert stored["straight_lining"].tolist()[:4] == [False, True, True, False]
    assert stored["missing_items"].tolist()[:4] == [2, 0, 10, 20]
    assert math.isnan(stored.loc[0, "sat2"])


@given(st.one_of(st.integers(-5, 15), st.floats(allow_nan=False, allow_infinity=False, width=32),
                 st.text(max_size=6), st.booleans(), st.none()))
def test_answer_cells(cell: object) -> None:
    value = _number("" if cell is None else cell)
    if isinstance(cell, bool):
        assert value is None
    elif isinstance(cell, int | float):
        assert value == float(cell)
    elif cell is None or str(cell).strip() in ("", "NA", "N/A", "-", "—"):
        assert value is not None and math.isnan(value)
    elif value is not None:
        assert math.isfinite(value)


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda f: f.drop(columns=["sat3"]), "columns", "['sat3'] are missing"),
    (lambda f: f.rename(columns={"age": "x"}).assign(age=30), "columns", "unknown column(s) ['age']"),
    (lambda f: f.drop(columns=["unit"]), "columns", "'unit' column"),
    (lambda f: f.drop(columns=["period"]), "period", "no 'period' column"),
    (lambda f: f.assign(供电单位=f["unit"]), "columns", "repeats 'unit'"),
])
def test_file_level_problems(rt: Runtime, change: Callable[[pd.DataFrame], pd.DataFrame], field: str,
                             words: str) -> None:
    with pytest.raises(BadInput) as info:
        run(rt, csv_bytes(change(answers(20))))
    assert info.value.field == field and words in info.value.reason


# ------------------------------------------------------------------------------------------------ files


def test_gb18030_csv_with_chinese_headers_and_item_wording(rt: Runtime) -> None:
    frame = answers(120).drop(columns=["period"])
    texts = {i.code: i.text for i in load_instrument().items}
    frame = frame.rename(columns={"unit": "供电单位", "segment": "客户类别", "channel": "调查渠道",
                                  "respondent": "问卷编号", "sat1": texts["sat1"], "loy3": texts["loy3"]})
    frame["供电单位"] = frame["供电单位"].map({"C1": "东坪县", "C2": "C2"})  # a unit by its name too
    result = run(rt, csv_bytes(frame, "gb18030"), survey_id="gbk", period="2026年第二季度")
    assert result.counts.rejected == 0 and result.stored
    manifest, stored = load_survey(rt, ANALYST, "gbk")
    assert manifest.units == ["C1", "C2"] and manifest.periods == ["2026-Q2"]
    assert set(manifest.segments) == {"居民", "非居民"} and stored["sat1"].notna().all()


def test_xlsx(rt: Runtime) -> None:
    frame = answers(60)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    sheet.append([None] * len(frame.columns))  # an empty row is skipped
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(rt, buffer.getvalue(), "answers.xlsx", survey_id="xlsx")
    assert result.counts.accepted == 60 and result.counts.read == 60
    with pytest.raises(BadInput) as info:
        run(rt, b"not a workbook", "broken.xlsx")
    assert info.value.field == "file"


def test_broken_csv_lines(rt: Runtime) -> None:
    text = csv_bytes(answers(30)).decode()
    lines = text.splitlines()
    lines[3] = lines[3] + ",extra"
    data = "\n".join(lines).encode() + b"\n" + lines[4].encode().replace(b"C", b"\xff\xfe")
    result = run(rt, data, survey_id="broken")
    fields = {p.row: p.reason for p in result.problems}
    assert "cells, the header has" in fields[4] and "bytes not valid" in fields[32]
    with pytest.raises(BadInput):
        run(rt, b"", survey_id="empty")
    with pytest.raises(BadInput) as header_only:
        run(rt, lines[0].encode() + b"\n", survey_id="header")
    assert "no answers" in header_only.value.reason
    with pytest.raises(BadInput):
        run(rt, b"a,b\n1,2\n", "answers.txt")


# ------------------------------------------------------------------------------------------------ modes, storage


def test_dry_run_and_atomic_store_nothing(rt: Runtime) -> None:
    frame = answers(40)
    assert not run(rt, csv_bytes(frame), dry_run=True).stored
    frame.loc[0, "sat1"] = 0
    atomic = run(rt, csv_bytes(frame), mode="atomic")
    assert not atomic.stored and atomic.counts.rejected == 1 and atomic.counts.accepted == 39
    assert list_surveys(rt, ANALYST) == []
    with pytest.raises(BadInput):
        run(rt, csv_bytes(frame), mode="sometimes")


def test_stored_survey_manifest_and_audit(rt: Runtime) -> None:
    data = csv_bytes(answers(100))
    result = run(rt, data, survey_id="wave-1", title="一季度")
    folder = surveys_dir(rt) / "wave-1"
    assert sorted(p.name for p in folder.iterdir()) == [MANIFEST, RESPONSES]
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    assert manifest["imported_by"] == "analyst_city" and manifest["title"] == "一季度"
    assert manifest["counts"]["accepted"] == result.counts.accepted == 100
    assert manifest["instrument"]["spec"]["constructs"]["SAT"]["items"] == ["sat1", "sat2", "sat3"]
    assert manifest["source"]["bytes"] == len(data) and len(manifest["source"]["sha256"]) == 64
    with rt.sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "survey.import"))
    assert entry is not None and entry.target_id == "wave-1" and entry.details["accepted"] == 100
    with pytest.raises(BadInput) as again:
        run(rt, data, survey_id="wave-2")
    assert again.value.field == "file" and "wave-1" in again.value.reason
    with pytest.raises(BadInput) as taken:
        run(rt, data + b"\n", survey_id="wave-1")
    assert taken.value.field == "survey_id"
    assert not any(p.name.startswith(".incoming") for p in surveys_dir(rt).iterdir())


@pytest.mark.parametrize("survey_id", ["../x", "a/b", ".hidden", "-x", "x" * 65, "调查"])
def test_survey_ids_are_safe_names(rt: Runtime, survey_id: str) -> None:
    with pytest.raises(BadInput) as info:
        run(rt, csv_bytes(answers(20)), survey_id=survey_id)
    assert info.value.field == "survey_id"


def test_permissions_and_territory(rt: Runtime) -> None:
    with pytest.raises(Forbidden):
        run(rt, csv_bytes(answers(20)), actor=Actor("county_manager_city", Role.COUNTY_MANAGER))
    scoped = run(rt, csv_bytes(answers(100)), actor=Actor("analyst_c1", Role.ANALYST, "C1"), survey_id="c1")
    assert {p.field for p in scoped.problems} == {"unit"} and scoped.counts.accepted < 100
    with pytest.raises(NotFound):
        load_survey(rt, ANALYST, "no-such")


# ------------------------------------------------------------------------------------------------ CSI


def test_csi_per_unit_and_period_with_intervals(rt: Runtime) -> None:
    run(rt, csv_bytes(answers(900, seed=3)), survey_id="csi")
    service = SatisfactionService(rt)
    result = service.csi(ANALYST, "csi", "unit", resamples=200, seed=1)
    assert set(result.groups) == {"C1", "C2"} and result.rows == 900
    overall = result.overall
    assert overall is not None and overall.index_ci is not None
    for name, value in overall.index.items():
        interval = overall.index_ci[name]
        assert interval.low is not None and interval.high is not None and interval.low <= value <= interval.high
    assert overall.ipma is not None and overall.ipma["target"] == "SAT"
    by_period = service.csi(ANALYST, "csi", "period", period="2026-Q1")
    assert list(by_period.groups) == ["2026-Q1"] and by_period.rows < 900
    scoped = service.csi(Actor("county_manager_c1", Role.COUNTY_MANAGER, "C1"), "csi", "unit")
    assert list(scoped.groups) == ["C1"] and scoped.rows == result.groups["C1"].n
    small = service.csi(ANALYST, "csi", None, period="2025")
    assert small.overall is None and "(overall)" in small.skipped
    with pytest.raises(BadInput):
        service.csi(ANALYST, "csi", "age")


def test_seed_satisfaction_for_the_demo(rt: Runtime, tmp_path: Path) -> None:
    result = seed_satisfaction(rt, seed=7, respondents=500)
    assert result is not None and result.stored and result.counts.accepted == 500
    manifest = list_surveys(rt, ANALYST)[0]
    assert manifest.synthetic and set(manifest.units) == {"C1", "C2"} and len(manifest.periods) == 4
    assert seed_satisfaction(rt, seed=7, respondents=500) is None  # once
