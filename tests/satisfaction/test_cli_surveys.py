"""`gridvoice satisfaction import|surveys|csi|callbacks|report`: one JSON document with --format json, exit 2 on bad
input naming the field, rejected rows reported (and written with --rejected-out), CSV/XLSX tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook
from typer.testing import CliRunner

from gridvoice.cli import app
from gridvoice.satisfaction.instrument import load_instrument
from gridvoice.satisfaction.simulate import DEFAULT_MEANS, DEFAULT_PATHS, simulate

from .conftest import one_json, says

try:
    from tests.conftest import make_runtime, seed_small
except ImportError:
    from conftest import make_runtime, seed_small  # type: ignore[no-redef]

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("GRIDVOICE_CONFIG", "GRIDVOICE_DATABASE_URL", "GRIDVOICE_SECRET_KEY", "GRIDVOICE_SHARED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRIDVOICE_HOME", str(home))
    monkeypatch.setenv("GRIDVOICE_LOG_LEVEL", "WARNING")
    rt = make_runtime(f"sqlite:///{(home / 'gridvoice.db').resolve()}", home)
    seed_small(rt)
    rt.dispose()
    return home


def sat(*args: str) -> Result:
    return runner.invoke(app, ["satisfaction", *args], catch_exceptions=False)


def answers_file(folder: Path, n: int = 300, bad_unit_rows: int = 0, seed: int = 3) -> Path:
    frame = simulate(load_instrument().spec(), n, seed, paths=DEFAULT_PATHS, means=DEFAULT_MEANS, units=("C1", "C2"),
                     periods=("2026-Q1",)).frame.astype(object)
    frame.loc[: bad_unit_rows - 1, "unit"] = "ZZ" if bad_unit_rows else frame["unit"]
    path = folder / f"answers-{n}-{bad_unit_rows}-{seed}.csv"
    frame.to_csv(path, index=False)
    return path


def test_import_reports_rejected_rows_exits_2_and_keeps_the_rest(home: Path, tmp_path: Path) -> None:
    rejected = tmp_path / "out" / "rejected.csv"
    result = sat("import", str(answers_file(tmp_path, bad_unit_rows=2)), "--survey-id", "q1", "--rejected-out",
                 str(rejected), "--format", "json")
    assert result.exit_code == 2
    doc = one_json(result)
    assert doc["stored"] and doc["accepted"] == 298 and doc["rejected"] == 2
    assert [p["row"] for p in doc["problems"]] == [2, 3] and says(result, "row 2: unit: unknown unit 'ZZ'")
    rows = list(csv.reader(rejected.read_text("utf-8-sig").splitlines()))
    assert rows[0] == ["row", "field", "reason"] and [r[0] for r in rows[1:]] == ["2", "3"]
    listed = one_json(sat("surveys", "--format", "json"))
    assert [m["id"] for m in listed] == ["q1"] and listed[0]["counts"]["accepted"] == 298


def test_dry_run_atomic_and_bad_files(home: Path, tmp_path: Path) -> None:
    good = answers_file(tmp_path)
    doc = one_json(sat("import", str(good), "--dry-run", "--format", "json"))
    assert not doc["stored"] and doc["accepted"] == 300
    atomic = sat("import", str(answers_file(tmp_path, bad_unit_rows=1)), "--mode", "atomic", "--format", "json")
    assert atomic.exit_code == 2 and not one_json(atomic)["stored"]
    assert one_json(sat("surveys", "--format", "json")) == []
    missing = sat("import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and says(missing, "file:", "does not exist")
    (tmp_path / "bad.csv").write_text("respondent,unit,period,age\nR1,C1,2026-Q1,30\n", "utf-8")
    bad = sat("import", str(tmp_path / "bad.csv"))
    assert bad.exit_code == 2 and says(bad, "columns:", "unknown column(s) ['age']")
    both = sat("import", str(good), "--instrument", "a.yaml", "--spec", "b.yaml")
    assert both.exit_code == 2 and says(both, "spec:")


def test_import_with_a_model_spec_instead_of_the_instrument(home: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("constructs:\n  SAT: {items: [sat1, sat2, sat3]}\n  LOY: {items: [loy1, loy2, loy3]}\n"
                    "paths: [[SAT, LOY]]\ntarget: LOY\n", "utf-8")
    frame = simulate(load_instrument().spec(), 200, 4, paths=DEFAULT_PATHS, means=DEFAULT_MEANS, units=("C1",),
                     periods=("2026-Q2",)).frame
    path = tmp_path / "small.csv"
    frame[["respondent", "unit", "period", "sat1", "sat2", "sat3", "loy1", "loy2", "loy3"]].to_csv(path, index=False)
    assert sat("import", str(path), "--spec", str(spec), "--survey-id", "small").exit_code == 0
    doc = one_json(sat("csi", "small", "--by", "unit", "--format", "json"))
    assert set(doc["overall"]["index"]) == {"SAT", "LOY"} and doc["target"] == "LOY"


def test_csi_per_unit_with_intervals(home: Path, tmp_path: Path) -> None:
    assert sat("import", str(answers_file(tmp_path, n=800)), "--survey-id", "big").exit_code == 0
    doc = one_json(sat("csi", "big", "--bootstrap", "200", "--format", "json"))
    assert set(doc["groups"]) == {"C1", "C2"} and doc["overall"]["index_ci"]["SAT"]["low"] is not None
    text = sat("csi", "big")
    assert text.exit_code == 0 and "满意度 (SAT)" in text.stdout and "improve first in 东坪县" in text.stdout
    assert sat("csi", "nope").exit_code == 1  # not found
    assert says(sat("csi", "big", "--by", "age"), "by:")


def test_callbacks_json_csv_xlsx(home: Path, tmp_path: Path) -> None:
    doc = one_json(sat("callbacks", "--period", "2026-Q1", "--by", "unit", "--format", "json"))
    assert doc["overall"]["appeals"] == 0 and doc["by"] == "unit"
    table = sat("callbacks", "--by", "department", "--format", "csv")
    assert table.exit_code == 0 and table.stdout.splitlines()[0].startswith("代码,名称,工单数,应回访")
    out = tmp_path / "cb.xlsx"
    assert sat("callbacks", "--format", "xlsx", "--out", str(out), "--lang", "en").exit_code == 0
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:3] == ["key", "name", "appeals"] and sheet[2][1].value == "合计"
    for args, field in ((["--format", "xlsx"], "out:"), (["--by", "weekday"], "by:"), (["--period", "2026-Q9"],
                        "period:"), (["--period", "2026", "--from", "2026-01-01"], "period:"),
                        (["--from", "2026-03-01", "--to", "2026-01-01"], "to:"), (["--lang", "fr"], "lang:")):
        result = sat("callbacks", *args)
        assert result.exit_code == 2 and says(result, field), (args, result.stderr)


def test_report_files(home: Path, tmp_path: Path) -> None:
    assert sat("import", str(answers_file(tmp_path)), "--survey-id", "r").exit_code == 0
    html = tmp_path / "r.html"
    result = sat("report", "--unit", "C1", "--period", "2026-Q1", "--out", str(html), "--bootstrap", "0")
    assert result.exit_code == 0 and "东坪县（C1）客户满意度分析报告" in html.read_text("utf-8")
    pdf = tmp_path / "r.pdf"
    assert sat("report", "--unit", "HZ", "--period", "2026-03", "--out", str(pdf), "--bootstrap", "0").exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    wrong = sat("report", "--unit", "C1", "--period", "2026-Q1", "--out", str(tmp_path / "r.docx"))
    assert wrong.exit_code == 2 and says(wrong, "out:")
    unknown = sat("report", "--unit", "ZZ", "--period", "2026-Q1", "--out", str(html))
    assert unknown.exit_code == 2 and says(unknown, "unit:")
