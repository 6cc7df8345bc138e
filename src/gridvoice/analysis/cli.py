"""`gridvoice analyze …` commands: refresh the lake, and the five analyses as text, JSON, CSV or XLSX.

Every analysis refreshes the lake incrementally first (unless `--no-refresh`). Dates are local days
(Asia/Shanghai), both included. With `--format json` the result is one JSON document on standard output (or
in `--out`, with a one-line summary document on standard output).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from gridvoice.analysis.common import AnalysisResult
from gridvoice.cli_support import emit_json, err, fail, guarded, runtime

app = typer.Typer(help="Appeal analysis: hotspots, repeats, sensitive customers, regional risk, factors.",
                  no_args_is_help=True)


class Format(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Backend(StrEnum):
    duckdb = "duckdb"
    pyspark = "pyspark"


FromOpt = Annotated[str | None, typer.Option("--from", help="first local day, YYYY-MM-DD (default: per analysis)")]
ToOpt = Annotated[str | None, typer.Option("--to", help="last local day, YYYY-MM-DD (default: today)")]
LevelOpt = Annotated[str, typer.Option(help="county, station or transformer_area")]
OrgOpt = Annotated[str | None, typer.Option(help="only this org unit's subtree")]
FormatOpt = Annotated[Format, typer.Option("--format", help="text, json, csv or xlsx")]
OutOpt = Annotated[Path | None, typer.Option(help="write here (required for xlsx)")]
TableOpt = Annotated[str | None, typer.Option(help="CSV: which table (default: the main one)")]
LangOpt = Annotated[str, typer.Option(help="column headers of CSV/XLSX: zh or en")]
LimitOpt = Annotated[int, typer.Option(help="at most this many rows in the main table")]
NoRefreshOpt = Annotated[bool, typer.Option("--no-refresh", help="use the lake as it is")]
BackendOpt = Annotated[Backend, typer.Option(help="analytics engine")]
ConfigOpt = Annotated[Path | None, typer.Option(help="analysis settings (TOML); default $GRIDVOICE_HOME/analysis.toml")]

TEXT_COLUMNS = {
    "alerts": ("period", "unit", "unit_name", "topic", "method", "observed", "expected", "statistic", "threshold"),
    "repeats": ("rank", "matched_by", "topic", "appeals", "span_days", "unit", "first_at", "last_at"),
    "sensitive": ("rank", "score", "level", "appeals", "unit", "reasons"),
    "risk": ("period", "rank", "unit", "unit_name", "score", "level", "appeals", "reasons"),
    "shares": ("unit", "month", "factor", "topic", "appeals", "share"),
}


def _day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(2, f"{field}: expected a date YYYY-MM-DD, got '{value}'") from None


def _service(backend: Backend, config: Path | None, no_refresh: bool) -> Any:
    from gridvoice.analysis.service import AnalysisService

    rt = runtime()
    if not no_refresh:
        guarded(rt.init_schema)
    if config is not None and not config.is_file():
        raise fail(2, f"config: {config} is not a file")
    return guarded(lambda: AnalysisService(rt, backend.value, config_path=config))


def _actor() -> Any:
    from gridvoice.auth.service import Actor

    return Actor.system()


def _check_output(format: Format, out: Path | None, lang: str) -> None:
    if lang not in ("zh", "en"):
        raise fail(2, "lang: one of zh, en")
    if format == Format.xlsx and out is None:
        raise fail(2, "out: required with --format xlsx (a workbook is not printed)")
    if out is not None and out.is_dir():
        raise fail(2, f"out: {out} is a folder; give a file name")


def _emit(result: AnalysisResult, format: Format, out: Path | None, table: str | None, lang: str) -> None:
    from gridvoice.analysis import output

    if format == Format.json:
        doc = result.to_dict()
        if out is None:
            emit_json(doc)
            return
        import json

        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        emit_json({"out": str(out), "rows": len(result.to_rows())})
        return
    if format == Format.xlsx:
        assert out is not None
        guarded(lambda: output.write_xlsx(out, result, lang))
        err.print(f"wrote {out}")
        return
    name, rows = guarded(lambda: output.pick_table(result, table))
    if format == Format.csv:
        if out is None:
            typer.echo(output.csv_text(rows, lang), nl=False)
        else:
            output.write_csv(out, rows, lang)
            err.print(f"wrote {len(rows)} rows to {out}")
        return
    _text(name, rows)


def _report(run: Callable[[Any, bool], AnalysisResult], format: Format, out: Path | None, table: str | None,
            lang: str, backend: Backend, config: Path | None, no_refresh: bool) -> None:
    """What every analysis command does around its call: check the output, open the service, run (refreshing the
    lake unless told not to), then print or write the result."""
    _check_output(format, out, lang)
    service = _service(backend, config, no_refresh)
    result = guarded(lambda: run(service, not no_refresh))
    _emit(result, format, out, table, lang)


def _text(name: str, rows: list[dict[str, Any]]) -> None:
    columns = TEXT_COLUMNS.get(name) or (tuple(rows[0]) if rows else ())
    table = Table(title=f"{name}: {len(rows)} rows")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    Console().print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@app.command("export-lake")
def export_lake(
    full: Annotated[bool, typer.Option("--full", help="rebuild the whole lake")] = False,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Bring the lake ($GRIDVOICE_HOME/lake) up to date with the store: only what changed, unless --full."""
    from gridvoice.analysis.service import AnalysisService

    if format not in ("text", "json"):
        raise fail(2, "format: text or json")
    rt = runtime()
    guarded(rt.init_schema)
    report = guarded(lambda: AnalysisService(rt).refresh(full=full))
    if format == "json":
        emit_json(report.to_dict())
    else:
        err.print(f"lake {report.mode}: {report.appeals} appeals written in {len(report.partitions)} partitions "
                  f"({report.total} in the lake) in {report.seconds:.1f} s")


@app.command()
def hotspots(
    from_: FromOpt = None, to: ToOpt = None, level: LevelOpt = "county",
    granularity: Annotated[str, typer.Option(help="day or hour")] = "day",
    topic: Annotated[str | None, typer.Option(help="only this topic code")] = None,
    terms: Annotated[bool, typer.Option("--terms/--no-terms", help="look for emerging terms")] = True,
    org: OrgOpt = None, limit: LimitOpt = 200, format: FormatOpt = Format.text, out: OutOpt = None,
    table: TableOpt = None, lang: LangOpt = "zh", no_refresh: NoRefreshOpt = False,
    backend: BackendOpt = Backend.duckdb, config: ConfigOpt = None,
) -> None:
    """Surges per territory unit and topic (Poisson CUSUM and EWMA) and emerging terms, with their evidence."""
    first, last = _day(from_, "from"), _day(to, "to")
    _report(lambda service, refresh: service.hotspots(_actor(), first, last, level, granularity, topic, org, limit,
                                                      terms, refresh=refresh),
            format, out, table, lang, backend, config, no_refresh)


@app.command()
def repeats(
    from_: FromOpt = None, to: ToOpt = None, level: LevelOpt = "county",
    topic: Annotated[str | None, typer.Option(help="only this topic code")] = None,
    org: OrgOpt = None, limit: LimitOpt = 200, format: FormatOpt = Format.text, out: OutOpt = None,
    table: TableOpt = None, lang: LangOpt = "zh", no_refresh: NoRefreshOpt = False,
    backend: BackendOpt = Backend.duckdb, config: ConfigOpt = None,
) -> None:
    """Repeat appeals: the same 户号, phone or address on the same topic within the configured window."""
    first, last = _day(from_, "from"), _day(to, "to")
    _report(lambda service, refresh: service.repeats(_actor(), first, last, level, topic, org, limit,
                                                     refresh=refresh),
            format, out, table, lang, backend, config, no_refresh)


@app.command()
def sensitive(
    to: ToOpt = None, level: LevelOpt = "county",
    min_score: Annotated[float | None, typer.Option(help="list callers from this score (default: watch level)")]
    = None,
    customer_no: Annotated[str | None, typer.Option(help="profile of this 户号 instead of the list")] = None,
    phone: Annotated[str | None, typer.Option(help="profile of this phone instead of the list")] = None,
    org: OrgOpt = None, limit: LimitOpt = 200, format: FormatOpt = Format.text, out: OutOpt = None,
    table: TableOpt = None, lang: LangOpt = "zh", no_refresh: NoRefreshOpt = False,
    backend: BackendOpt = Backend.duckdb, config: ConfigOpt = None,
) -> None:
    """Sensitive customers with their score and reasons (or one caller's profile with --customer-no/--phone)."""
    _check_output(format, out, lang)
    last = _day(to, "to")
    service = _service(backend, config, no_refresh)
    if customer_no or phone:
        profile = guarded(lambda: service.sensitive_profile(_actor(), customer_no, phone,
                                                            refresh=not no_refresh))
        if format == Format.json:
            emit_json(profile.to_dict())
        else:
            Console().print(f"{profile.level_label} 得分 {profile.score}：" + "；".join(profile.reasons or ["无"]))
        return
    result = guarded(lambda: service.sensitive(_actor(), last, level, min_score, org, limit,
                                               refresh=not no_refresh))
    _emit(result, format, out, table, lang)


@app.command()
def risk(
    from_: FromOpt = None, to: ToOpt = None, level: LevelOpt = "county",
    period: Annotated[str | None, typer.Option(help="month or week (default: configured, month)")] = None,
    org: OrgOpt = None, limit: LimitOpt = 1000, format: FormatOpt = Format.text, out: OutOpt = None,
    table: TableOpt = None, lang: LangOpt = "zh", no_refresh: NoRefreshOpt = False,
    backend: BackendOpt = Backend.duckdb, config: ConfigOpt = None,
) -> None:
    """Regional risk index (heat, volume change, urgency, sentiment; entropy weights) with levels and reasons."""
    first, last = _day(from_, "from"), _day(to, "to")
    _report(lambda service, refresh: service.risk(_actor(), first, last, level, period, org, limit, refresh=refresh),
            format, out, table, lang, backend, config, no_refresh)


@app.command()
def factors(
    from_: FromOpt = None, to: ToOpt = None, level: LevelOpt = "county",
    org: OrgOpt = None, limit: LimitOpt = 500, format: FormatOpt = Format.text, out: OutOpt = None,
    table: TableOpt = None, lang: LangOpt = "zh", no_refresh: NoRefreshOpt = False,
    backend: BackendOpt = Backend.duckdb, config: ConfigOpt = None,
) -> None:
    """Share and trend of appeals by factor and topic per unit and month; appeals attributed to staff and outlets."""
    first, last = _day(from_, "from"), _day(to, "to")
    _report(lambda service, refresh: service.factors(_actor(), first, last, level, org, limit, refresh=refresh),
            format, out, table, lang, backend, config, no_refresh)
