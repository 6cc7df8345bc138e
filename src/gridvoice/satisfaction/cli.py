"""`gridvoice satisfaction …` commands: the CSI model (PLS-SEM), AHP, entropy weights, fuzzy evaluation.

`fit`, `ahp` and `entropy` are the stable interfaces of interfaces.md; `fuzzy`, `instrument` and `simulate` help
around them. With `--format json` each prints one JSON document on standard output; progress goes to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gridvoice.appeals.files import detect_encoding
from gridvoice.cli_support import OutputFormat, emit_json, err, fail, guarded, runtime
from gridvoice.domain.weighting import (
    FUZZY_OPERATORS,
    RANDOM_INDEX,
    WeightingError,
    ahp,
    entropy_weights,
    fuzzy_evaluate,
)
from gridvoice.errors import BadInput
from gridvoice.ops.spreadsheet import csv_safe
from gridvoice.satisfaction.cells import as_number as _number

if TYPE_CHECKING:
    from gridvoice.satisfaction.pls import PlsResult
    from gridvoice.satisfaction.spec import ModelSpec, PreparedData

app = typer.Typer(help="Customer satisfaction: CSI model (PLS-SEM), AHP, entropy weights.", no_args_is_help=True)
out = Console(highlight=False)

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text (tables) or json (one document)")]


# -------------------------------------------------------------------------------------------- reading files


@dataclass(frozen=True)
class Sheet:
    """A table read from CSV/XLSX: header, rows of cells (text or numbers), the line of each row."""

    header: list[str]
    rows: list[list[Any]]
    lines: list[int]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.header, dtype=object)


def read_sheet(path: Path) -> Sheet:
    if not path.is_file():
        raise BadInput("file", f"{path} does not exist")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise BadInput("file", f"{path}: unsupported file type {suffix!r}; use .csv or .xlsx")


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    try:
        text = data.decode(detect_encoding(data, None))
    except UnicodeDecodeError as exc:
        raise BadInput("file", f"{path}: not readable as UTF-8 or GB18030 text: {exc}") from exc
    reader = csv.reader(text.lstrip("\ufeff").splitlines())
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BadInput("file", f"{path}: the file is empty") from None
    rows, lines = [], []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise BadInput("file", f"line {line}: {len(row)} cells, the header has {len(header)}")
        rows.append([cell.strip() for cell in row])
        lines.append(line)
    return Sheet(header, rows, lines)


def _read_xlsx(path: Path) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise BadInput("file", f"{path}: not a readable XLSX workbook: {exc}") from exc
    if not sheet:
        raise BadInput("file", f"{path}: the first sheet is empty")
    header = [str(h).strip() for h in sheet[0]]
    rows = [(i, list(r)) for i, r in enumerate(sheet[1:], start=2) if any(c not in ("", None) for c in r)]
    return Sheet(header, [r[: len(header)] for _, r in rows], [i for i, _ in rows])


def _split(option: str | None) -> list[str]:
    return [p.strip() for p in (option or "").split(",") if p.strip()]


# ------------------------------------------------------------------------------------------------------ fit


@app.command()
def fit(
    spec: Annotated[Path, typer.Option("--spec", help="model spec (YAML): constructs, paths, scheme, scaled, scale")],
    data: Annotated[Path, typer.Option("--data", help="survey answers (.csv or .xlsx), one column per item")],
    format: FormatOption = OutputFormat.text,
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="resamples for confidence intervals")] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help="random seed of the bootstrap")] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="bootstrap processes (-1: every core)")] = 1,
    confidence: Annotated[float, typer.Option("--confidence", help="level of the intervals")] = 0.95,
    target: Annotated[str | None, typer.Option("--target", help="construct the drivers explain (IPMA)")] = None,
    by: Annotated[str | None, typer.Option("--by", help="also fit per group of this column (unit, period…)")] = None,
    min_rows: Annotated[int | None, typer.Option("--min-rows", help="smallest group fitted (default 10-times rule)")]
    = None,
) -> None:
    """Fit the CSI model (PLS path modelling): weights, loadings, paths, R², effects, reliability, 0–100 index."""
    doc = guarded(lambda: _fit(spec, data, bootstrap, seed, jobs, confidence, target, by, min_rows))
    if format == OutputFormat.json:
        emit_json(doc)
    else:
        _print_fit(doc)


def _fit(spec_path: Path, data_path: Path, resamples: int, seed: int | None, jobs: int, confidence: float,
         target: str | None, by: str | None, min_rows: int | None) -> dict[str, Any]:
    # imported here, not at the top: scipy and the engine would slow every `gridvoice` command's start
    from gridvoice.satisfaction.ipma import ipma, ipma_by_group
    from gridvoice.satisfaction.pls import fit as fit_model
    from gridvoice.satisfaction.pls import fit_by_group
    from gridvoice.satisfaction.spec import load_spec, prepare_data

    spec = load_spec(spec_path)
    sheet = read_sheet(data_path)
    frame = sheet.frame()
    prepared = prepare_data(spec, frame, sheet.lines)
    result = fit_model(spec, prepared)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    doc = result.to_dict()
    target = target or spec.target
    if target:
        doc["ipma"] = ipma(result, target).to_dict()
    if resamples:
        doc["bootstrap"] = _bootstrap(spec, prepared, resamples, seed, jobs, confidence, result)
    if by:
        groups = fit_by_group(spec, frame, by, sheet.lines, min_rows=min_rows)
        doc["groups"] = groups.to_dict()
        if target:
            for key, value in ipma_by_group(groups, target).items():
                doc["groups"]["groups"][key]["ipma"] = value if isinstance(value, str) else value.to_dict()
    return doc


def _bootstrap(spec: ModelSpec, prepared: PreparedData, resamples: int, seed: int | None, jobs: int,
               confidence: float, result: PlsResult) -> dict[str, Any]:
    from gridvoice.satisfaction.bootstrap import bootstrap

    columns = (TextColumn("bootstrap"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("bootstrap", total=resamples)
        boot = bootstrap(spec, prepared, resamples, seed=seed, jobs=jobs, confidence=confidence, original=result,
                   progress=lambda done: bar.update(task, completed=done))
    if boot.failed:
        err.print(f"[yellow]warning:[/yellow] {boot.failed} of {boot.resamples} resamples could not be estimated")
    return boot.to_dict()


def _print_fit(doc: dict[str, Any]) -> None:
    obs = doc["observations"]
    out.print(f"PLS path model: {obs['used']} respondents ({obs['dropped_missing']} dropped), scheme {doc['scheme']}, "
              f"{'standardised' if doc['scaled'] else 'centred'} items, {doc['iterations']} iterations, "
              f"GoF {doc['gof'] if doc['gof'] is None else round(doc['gof'], 3)}")
    boot = doc.get("bootstrap", {}).get("path_coefficients", {})
    paths = Table("path", "coefficient", "total effect", *(("CI low", "CI high") if boot else ()))
    for key, value in doc["path_coefficients"].items():
        ci = (f"{boot[key]['ci_low']:.3f}", f"{boot[key]['ci_high']:.3f}") if boot else ()
        paths.add_row(key, f"{value:.3f}", f"{doc['total_effects'][key]:.3f}", *ci)
    out.print(paths)
    constructs = Table("construct", "R²", "index 0–100", "α", "ρc", "AVE")
    for name, index in doc["index"].items():
        rel = doc["reliability"][name]
        constructs.add_row(name, _fmt(doc["r_squared"].get(name)), _fmt(index, 1),
                           *(_fmt(rel[k]) for k in ("cronbach_alpha", "composite_reliability", "ave")))
    out.print(constructs)
    if "ipma" in doc:
        priorities = doc["ipma"]["priorities"]
        out.print(f"improve first (IPMA, target {doc['ipma']['target']}): constructs "
                  f"{', '.join(priorities['constructs']) or '—'}; items {', '.join(priorities['items']) or '—'}")
    for warning in doc["warnings"]:
        out.print(f"note: {warning}")


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


# ------------------------------------------------------------------------------------------------------ AHP


@app.command("ahp")
def ahp_cmd(
    matrix: Annotated[Path, typer.Option("--matrix", help="pairwise comparison matrix (.csv): labels in the header "
                                                          "and first column; cells like 3 or 1/3")],
    format: FormatOption = OutputFormat.text,
    method: Annotated[str, typer.Option(help="eigenvector | geometric | arithmetic")] = "eigenvector",
    random_index: Annotated[str, typer.Option("--random-index", help=f"RI table: {' | '.join(RANDOM_INDEX)}")]
    = "saaty",
    tolerance: Annotated[float, typer.Option(help="allowed |a_ij·a_ji − 1|")] = 0.05,
) -> None:
    """AHP weights by the principal eigenvector, with λmax, CI and CR (methods.md §2)."""
    doc = guarded(lambda: _ahp(matrix, method, random_index, tolerance))
    if format == OutputFormat.json:
        emit_json(doc)
        return
    table = Table("criterion", "weight")
    for name, w in doc["weights"].items():
        table.add_row(name, f"{w:.4f}")
    out.print(table)
    verdict = "acceptable" if doc["consistent"] else "NOT acceptable (CR ≥ 0.10): revise the comparisons"
    out.print(f"λmax {doc['lambda_max']:.4f}  CI {doc['ci']:.4f}  CR {doc['cr']:.4f} (RI {doc['ri']}, "
              f"table {doc['random_index']}) — {verdict}")


def _ahp(path: Path, method: str, random_index: str, tolerance: float) -> dict[str, Any]:
    labels, values = _read_square(read_sheet(path))
    try:
        result = ahp(values, labels, method=method, random_index=random_index,  # type: ignore[arg-type]
                     tolerance=tolerance)
    except WeightingError as exc:
        raise BadInput("matrix", str(exc)) from exc
    return result.to_dict()


def _read_square(sheet: Sheet) -> tuple[list[str], list[list[float]]]:
    """Labels and values of a comparison matrix: a header of labels and rows led by the same labels (the
    header's first cell may be blank); or a header of labels alone above n numeric rows."""
    header, n = sheet.header, len(sheet.rows)
    labelled = len(header) == n + 1
    labels = header[1:] if labelled else header
    if len(labels) != n:
        raise BadInput("matrix", f"{n} rows but {len(labels)} column labels: the matrix must be square")
    values = []
    for row, line in zip(sheet.rows, sheet.lines, strict=True):
        cells = row[1:] if labelled else row
        if labelled and str(row[0]).strip() != labels[len(values)]:
            raise BadInput("matrix", f"line {line}: row label {row[0]!r} should be {labels[len(values)]!r}, "
                                     "in the order of the header")
        values.append([_number(c, f"line {line}, column {labels[j]}") for j, c in enumerate(cells)])
    return labels, values


# -------------------------------------------------------------------------------------------------- entropy


@app.command("entropy")
def entropy_cmd(
    data: Annotated[Path, typer.Option("--data", help="samples in rows, indicators in columns (.csv or .xlsx)")],
    format: FormatOption = OutputFormat.text,
    negative: Annotated[str | None, typer.Option("--negative", help="negative (cost) indicators: COL,…")] = None,
    normalisation: Annotated[str, typer.Option(help="minmax (极差标准化) | sum (p = x/Σx on raw data)")] = "minmax",
    id_columns: Annotated[str | None, typer.Option("--id", help="columns naming the samples (not indicators)")]
    = None,
) -> None:
    """Entropy weights of the indicator columns (methods.md §3)."""
    doc = guarded(lambda: _entropy(data, _split(negative), normalisation, _split(id_columns)))
    if format == OutputFormat.json:
        emit_json(doc)
        return
    table = Table("indicator", "direction", "weight")
    for name, w in doc["weights"].items():
        table.add_row(name, "negative" if name in doc["negative"] else "positive", f"{w:.4f}")
    out.print(table)
    out.print(f"normalisation: {doc['normalisation']}, {doc['samples']} samples")


def _entropy(path: Path, negative: list[str], normalisation: str, ids: list[str]) -> dict[str, Any]:
    if normalisation not in ("minmax", "sum"):
        raise BadInput("normalisation", f"unknown normalisation {normalisation!r}; use minmax or sum")
    sheet = read_sheet(path)
    for name in (*ids, *negative):
        if name not in sheet.header:
            raise BadInput("columns", f"unknown column {name!r}; the columns are {sheet.header}")
    indicators = [c for c in sheet.header if c not in ids]
    if not indicators:
        raise BadInput("columns", "no indicator columns left")
    positions = [sheet.header.index(c) for c in indicators]
    try:
        values = [[_number(row[j], f"line {line}, column {sheet.header[j]}") for j in positions]
                  for row, line in zip(sheet.rows, sheet.lines, strict=True)]
    except BadInput as exc:
        raise BadInput(exc.field, f"{exc.reason} (name the columns that label samples with --id)") from exc
    try:
        weights = entropy_weights(np.array(values, dtype=float).reshape(len(values), len(indicators)),
                                  [c in negative for c in indicators], normalisation)  # type: ignore[arg-type]
    except WeightingError as exc:
        raise BadInput("data", str(exc)) from exc
    return {"weights": dict(zip(indicators, map(float, weights), strict=True)), "normalisation": normalisation,
            "negative": negative, "samples": len(values)}


# ---------------------------------------------------------------------------------------------------- fuzzy


@app.command("fuzzy")
def fuzzy_cmd(
    membership: Annotated[Path, typer.Option("--membership", help="factors in rows (first column: name), grades "
                                                                  "in columns; shares of answers (.csv)")],
    weights: Annotated[str, typer.Option("--weights", help="factor weights w1,w2,… summing to 1")],
    format: FormatOption = OutputFormat.text,
    operator: Annotated[str, typer.Option(help=f"composition: {' | '.join(FUZZY_OPERATORS)} or their names")]
    = "M(·,+)",
    scores: Annotated[str | None, typer.Option("--scores", help="grade scores, e.g. 100,80,60,40,20")] = None,
) -> None:
    """Fuzzy comprehensive evaluation B = A ∘ R (methods.md §4)."""
    doc = guarded(lambda: _fuzzy(membership, weights, operator, scores))
    if format == OutputFormat.json:
        emit_json(doc)
        return
    table = Table("grade", "membership", "normalised")
    for grade, value in doc["vector"].items():
        table.add_row(grade, f"{value:.4f}", f"{doc['normalised'][grade]:.4f}")
    out.print(table)
    score = f", score {doc['score']:.2f}" if doc["score"] is not None else ""
    out.print(f"operator {doc['operator']}: grade {doc['grade']}{score}")


def _fuzzy(path: Path, weights: str, operator: str, scores: str | None) -> dict[str, Any]:
    sheet = read_sheet(path)
    grades = sheet.header[1:]
    matrix = [[_number(c, f"line {line}, column {grades[j]}") for j, c in enumerate(row[1:])]
              for row, line in zip(sheet.rows, sheet.lines, strict=True)]
    a = [_number(w, "weights") for w in _split(weights)]
    c = [_number(s, "scores") for s in _split(scores)] if scores else None
    try:
        result = fuzzy_evaluate(a, matrix, operator, grades=grades, grade_scores=c)
    except WeightingError as exc:
        raise BadInput("membership", str(exc)) from exc
    return {**result.to_dict(), "factors": [str(row[0]) for row in sheet.rows]}


# ---------------------------------------------------------------------------------------- instrument, data


@app.command("instrument")
def instrument_cmd(
    file: Annotated[Path | None, typer.Option("--file", help="an instrument YAML (default: the shipped one)")]
    = None,
    as_spec: Annotated[bool, typer.Option("--as-spec", help="print the model spec (YAML) for `fit --spec`")] = False,
    format: FormatOption = OutputFormat.text,
) -> None:
    """The questionnaire: constructs, item wording, scale and path model (default: power customers, ECSI)."""
    from gridvoice.satisfaction.instrument import load_instrument

    instrument = guarded(lambda: load_instrument(file))
    doc = instrument.spec().to_dict() if as_spec else instrument.to_dict()
    if format == OutputFormat.json:
        emit_json(doc)
    else:
        out.print(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), end="")


@app.command("simulate")
def simulate_cmd(
    out_path: Annotated[Path, typer.Option("--out", help="CSV file to write")],
    n: Annotated[int, typer.Option("--n", min=1, help="respondents")] = 2000,
    seed: Annotated[int, typer.Option("--seed")] = 7,
    format: FormatOption = OutputFormat.text,
) -> None:
    """Synthetic answers to the default instrument from a known structural model (labelled synthetic)."""
    from gridvoice.satisfaction.simulate import simulate_default

    survey = guarded(lambda: simulate_default(n, seed))
    survey.frame.to_csv(out_path, index=False)
    doc = {"rows": n, "out": str(out_path), "seed": seed, "true_paths": survey.true_paths}
    if format == OutputFormat.json:
        emit_json(doc)
    else:
        err.print(f"wrote {n} synthetic respondents to {out_path}")


# ---------------------------------------------------------------------------------------- surveys, callbacks


class TableFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


PROBLEMS_IN_JSON = 100  # rejected rows listed in the JSON summary; --rejected-out has them all


def _system() -> Any:
    from gridvoice.auth.service import Actor

    return Actor.system()


def _service() -> Any:
    from gridvoice.satisfaction.service import SatisfactionService

    rt = runtime()
    guarded(rt.init_schema)
    return SatisfactionService(rt)


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="answers (.csv or .xlsx): item columns and respondent, unit, "
                                              "segment, channel, period")],
    survey_id: Annotated[str | None, typer.Option("--survey-id", help="id of the survey (default: "
                                                                      "survey-DATE-HASH)")] = None,
    title: Annotated[str | None, typer.Option(help="a title (default: the file name)")] = None,
    mode: Annotated[str, typer.Option(help="rows: valid rows land, rejected ones are reported; atomic: all or "
                                           "nothing")] = "rows",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check every row, store nothing")] = False,
    rejected_out: Annotated[Path | None, typer.Option(help="write rejected rows (row, column, reason) here")]
    = None,
    period: Annotated[str | None, typer.Option(help="period of rows without one (2026-Q3, 2026-07 …)")] = None,
    instrument: Annotated[Path | None, typer.Option(help="questionnaire YAML (default: the shipped one)")] = None,
    spec: Annotated[Path | None, typer.Option(help="a model spec YAML instead of an instrument")] = None,
    encoding: Annotated[str | None, typer.Option(help="force a text encoding (default: UTF-8, else GB18030)")]
    = None,
    synthetic: Annotated[bool, typer.Option("--synthetic", help="label every row synthetic")] = False,
    format: FormatOption = OutputFormat.text,
) -> None:
    """Import survey answers: every row checked against the instrument; exit 2 when any row was rejected."""
    from gridvoice.satisfaction.surveys import ImportRequest

    _writable(rejected_out)
    service = _service()

    def run() -> Any:
        if not file.is_file():
            raise BadInput("file", f"{file} does not exist")
        request = ImportRequest(file.read_bytes(), file.name, survey_id=survey_id, title=title,
                                model=_survey_model(instrument, spec), mode=mode, dry_run=dry_run,  # type: ignore[arg-type]
                                period=period, encoding=encoding, synthetic=synthetic)
        return service.import_survey(_system(), request)

    result = guarded(run)
    if rejected_out is not None:
        _write_problems(rejected_out, result.problems)
    for problem in result.problems[:20]:
        err.print(f"row {problem.row}: {problem.field}: {problem.reason}", highlight=False, markup=False)
    if len(result.problems) > 20:
        err.print(f"… {len(result.problems) - 20} more rejected rows"
                  + (f" (see {rejected_out})" if rejected_out else " (use --rejected-out FILE.csv)"))
    doc = {"survey_id": result.survey_id, "stored": result.stored, "dry_run": result.dry_run, "mode": result.mode,
           **result.counts.model_dump(), "problems": [p.model_dump() for p in result.problems[:PROBLEMS_IN_JSON]]}
    if format == OutputFormat.json:
        emit_json(doc)
    else:
        err.print(" ".join(f"{k}={v}" for k, v in doc.items() if k != "problems"))
    if result.counts.rejected:
        raise typer.Exit(2)


def _writable(path: Path | None) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(2, f"rejected-out: cannot create the folder of {path}: {exc.strerror}") from exc
    if path.is_dir():
        raise fail(2, f"rejected-out: {path} is a folder; give a .csv file name")


def _survey_model(instrument: Path | None, spec: Path | None) -> Any:
    from gridvoice.satisfaction.instrument import load_instrument
    from gridvoice.satisfaction.spec import load_spec
    from gridvoice.satisfaction.surveys import SurveyModel

    if instrument is not None and spec is not None:
        raise BadInput("spec", "give an instrument or a spec, not both")
    if spec is not None:
        return SurveyModel(load_spec(spec), None)
    if instrument is not None:
        loaded = load_instrument(instrument)
        return SurveyModel(loaded.spec(), loaded)
    return None


def _write_problems(path: Path, problems: list[Any]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens it as UTF-8
        writer = csv.writer(fh)
        writer.writerow(["row", "field", "reason"])
        for p in problems:
            writer.writerow([p.row, p.field, p.reason])


@app.command("surveys")
def surveys_cmd(format: FormatOption = OutputFormat.text) -> None:
    """The stored surveys, the latest import first."""
    service = _service()
    manifests = guarded(lambda: service.surveys(_system()))
    if format == OutputFormat.json:
        emit_json([m.model_dump(mode="json") for m in manifests])
        return
    table = Table("id", "title", "imported", "by", "answers", "units", "periods", "synthetic")
    for m in manifests:
        table.add_row(m.id, m.title, m.imported_at.strftime("%Y-%m-%d %H:%M"), m.imported_by,
                      str(m.counts.accepted), str(len(m.units)), ", ".join(m.periods), "yes" if m.synthetic else "")
    out.print(table)


@app.command("csi")
def csi_cmd(
    survey_id: Annotated[str, typer.Argument(help="a stored survey (see `satisfaction surveys`)")],
    by: Annotated[str | None, typer.Option(help="unit | segment | channel | period (none: overall only)")] = "unit",
    unit: Annotated[str | None, typer.Option(help="only this unit's subtree")] = None,
    period: Annotated[str | None, typer.Option(help="only answers of periods overlapping this one")] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="resamples for the overall index's "
                                                                      "intervals")] = 0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    format: FormatOption = OutputFormat.text,
) -> None:
    """The CSI (0–100 per construct) and the constructs to improve first (IPMA), overall and per group."""
    service = _service()
    result = guarded(lambda: service.csi(_system(), survey_id, by or None, unit, period, bootstrap, seed))
    if format == OutputFormat.json:
        emit_json(result.model_dump(mode="json"))
        return
    fits = ([("overall", result.overall)] if result.overall else []) + list(result.groups.items())
    # constructs down, groups across: a handful of units fits a terminal, nine constructs would not
    table = Table("construct", *(result.names.get(key, key) for key, _ in fits))
    table.add_row("n", *(str(summary.n) for _, summary in fits))
    for code, label in result.labels.items():
        table.add_row(f"{label} ({code})", *(_fmt(summary.index.get(code), 1) for _, summary in fits))
    out.print(table)
    for key, summary in fits:
        priorities = (summary.ipma or {}).get("priorities", {}).get("constructs", [])
        out.print(f"improve first in {result.names.get(key, key)}: "
                  f"{', '.join(result.labels.get(p, p) for p in priorities) or '—'}")
    for key, reason in result.skipped.items():
        err.print(f"skipped {key}: {reason}", highlight=False, markup=False)


@app.command("report")
def report_cmd(
    unit: Annotated[str, typer.Option(help="org unit code (city, county, station)")],
    period: Annotated[str, typer.Option(help="2026, 2026-H1, 2026-Q3 or 2026-07")],
    out_path: Annotated[Path, typer.Option("--out", help="report.html or report.pdf")],
    survey: Annotated[str | None, typer.Option(help="survey id (default: the latest covering the period)")] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="resamples of the index intervals")] = 1000,
) -> None:
    """The satisfaction report of a unit and period (HTML or PDF with charts)."""
    from gridvoice.satisfaction.report import build_report, render

    suffix = out_path.suffix.lower().lstrip(".")
    if suffix not in ("html", "pdf"):
        raise fail(2, f"out: unsupported file type {out_path.suffix!r}; use .html or .pdf")
    service = _service()
    content = guarded(lambda: render(build_report(service, _system(), unit, period, survey, bootstrap),
                                     suffix))  # type: ignore[arg-type]
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_bytes(content)
    except OSError as exc:
        raise fail(1, f"out: cannot write {out_path}: {exc.strerror}") from exc
    err.print(f"wrote {out_path} ({len(content):,} bytes)")


@app.command("callbacks")
def callbacks_cmd(
    date_from: Annotated[datetime | None, typer.Option("--from", help="appeals received from (Beijing time)")]
    = None,
    date_to: Annotated[datetime | None, typer.Option("--to", help="… up to, not including (Beijing time)")]
    = None,
    period: Annotated[str | None, typer.Option(help="instead of --from/--to: 2026-Q3, 2026-07 …")] = None,
    by: Annotated[str | None, typer.Option(help="unit | station | department | topic | business_type | handler | "
                                                "period")] = None,
    org_unit: Annotated[str | None, typer.Option("--org-unit", help="only this unit's subtree")] = None,
    granularity: Annotated[str, typer.Option(help="periods of --by period: month | quarter | half | year")]
    = "month",
    top: Annotated[int, typer.Option(min=1, max=100, help="dissatisfaction reasons listed")] = 10,
    format: Annotated[TableFormat, typer.Option("--format", help="text, json, csv or xlsx")] = TableFormat.text,
    out_path: Annotated[Path | None, typer.Option("--out", help="write here (required for xlsx)")] = None,
    lang: Annotated[str, typer.Option(help="column headers of csv/xlsx: zh or en")] = "zh",
) -> None:
    """Callback coverage, satisfaction rates, item scores and dissatisfaction reasons (回访满意度)."""
    if format == TableFormat.xlsx and out_path is None:
        raise fail(2, "out: required with --format xlsx (a workbook is not printed)")
    if lang not in ("zh", "en"):
        raise fail(2, f"lang: {lang!r}; use zh or en")
    service = _service()
    report = guarded(lambda: service.callbacks(_callback_filters(date_from, date_to, period, org_unit), _system(),
                                               by, granularity))  # type: ignore[arg-type]
    if format == TableFormat.json:
        doc = report.model_dump(mode="json")
        if out_path is not None:
            out_path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        else:
            emit_json(doc)
    elif format in (TableFormat.csv, TableFormat.xlsx):
        _write_callback_table(report, format, out_path, lang)
    else:
        _print_callbacks(report)


def _callback_filters(date_from: datetime | None, date_to: datetime | None, period: str | None,
                      org_unit: str | None) -> Any:
    from gridvoice.appeals.schemas import AppealFilters
    from gridvoice.satisfaction.periods import parse_period

    if period is not None:
        if date_from is not None or date_to is not None:
            raise BadInput("period", "give --period or --from/--to, not both")
        span = parse_period(period)
        date_from, date_to = span.start_utc, span.end_utc
    if date_from is not None and date_to is not None and date_to <= date_from:
        raise BadInput("to", "--to must come after --from")
    return AppealFilters(received_from=date_from, received_to=date_to, org_unit=org_unit)


def _write_callback_table(report: Any, format: TableFormat, out_path: Path | None, lang: str) -> None:
    from gridvoice.satisfaction.callbacks import TABLE_COLUMNS, table_rows

    rows = table_rows(report)
    header = [zh if lang == "zh" else code for code, zh in TABLE_COLUMNS]
    cells = [[row[code] for code, _ in TABLE_COLUMNS] for row in rows]
    if format == TableFormat.xlsx:
        assert out_path is not None
        _xlsx(out_path, header, cells)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([[csv_safe(c) for c in row] for row in cells])
        if out_path is None:
            sys.stdout.write(buffer.getvalue())
        else:
            out_path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    if out_path is not None:
        err.print(f"wrote {len(rows)} rows to {out_path}")


def _xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("回访满意度")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    try:
        workbook.save(path)
    except OSError as exc:
        raise fail(1, f"out: cannot write {path}: {exc.strerror}") from exc


def _print_callbacks(report: Any) -> None:
    o = report.overall
    out.print(f"appeals {o.appeals}, due {o.due}, called back {o.called_back} (coverage {_pct(o.coverage)}), "
              f"callbacks {o.callbacks}: satisfaction {_pct(o.satisfaction_rate)}, strict "
              f"{_pct(o.strict_satisfaction_rate)}, dissatisfied {o.dissatisfied}")
    if report.groups:
        table = Table(report.by, "name", "appeals", "due", "coverage", "callbacks", "satisfaction", "dissatisfied")
        for g in report.groups:
            table.add_row(g.key or "—", g.name, str(g.appeals), str(g.due), _pct(g.coverage), str(g.callbacks),
                          _pct(g.satisfaction_rate), str(g.dissatisfied))
        out.print(table)
    for reason in report.reasons:
        out.print(f"  {reason.count:>5}  {reason.reason or '(no reason given)'}")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
