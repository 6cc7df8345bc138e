"""`gridvoice` command line (Typer + Rich). Exit status: 0 success, 2 bad input, 1 other failure.

With `--format json` a command prints one JSON document on standard output and nothing else; progress and
logs go to standard error.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gridvoice.analysis import cli as analysis_cli
from gridvoice.classifier import cli as classifier_cli
from gridvoice.cli_support import OutputFormat, emit_json, err, fail, guarded, runtime
from gridvoice.runtime import Runtime
from gridvoice.satisfaction import cli as satisfaction_cli

app = typer.Typer(name="gridvoice", help="电网之声 gridvoice — service command center platform.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
users_app = typer.Typer(help="Users of the console and API.", no_args_is_help=True)
import_app = typer.Typer(help="Import data files.", no_args_is_help=True)
export_app = typer.Typer(help="Export data files.", no_args_is_help=True)
sla_app = typer.Typer(help="SLA clocks and warnings.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys of channel integrations (95598, 12345, apps).", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(sla_app, name="sla")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.add_typer(satisfaction_cli.app, name="satisfaction")
app.add_typer(analysis_cli.app, name="analyze")
app.add_typer(classifier_cli.model_app, name="model")
app.command("classify")(classifier_cli.classify)

# ---------------------------------------------------------------------------------------------- schema


@app.command()
def init() -> None:
    """Create or upgrade the schema (idempotent)."""
    rt = runtime()
    guarded(rt.init_schema)
    err.print(f"schema up to date: {rt.engine.url.render_as_string(hide_password=True)}")


@app.command("seed")
def seed_cmd(
    customers: Annotated[int, typer.Option(min=100, help="synthetic customers")] = 300_000,
    months: Annotated[int, typer.Option(min=1, max=60, help="months of appeal history")] = 12,
    seed: Annotated[int, typer.Option(help="random seed (same seed, same data)")] = 42,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Generate the synthetic organisation, customers and appeal history into the current database."""
    from gridvoice.synth.seed import seed as run_seed

    rt = runtime()
    report = guarded(lambda: run_seed(rt, customers, months, seed, log=lambda m: err.print(m)))
    if format == OutputFormat.json:
        emit_json(vars(report))
    else:
        err.print(f"seeded {report.customers} customers and {report.appeals} appeals "
                  f"({report.events} events) in {report.seconds:.1f} s; manifest {report.manifest}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="worker processes")] = 1,
) -> None:
    """Serve the API under /api/v1 and the web console at /."""
    rt = runtime()
    guarded(rt.init_schema)
    _serve(rt, host, port, workers)


def _serve(rt: Runtime, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    if workers > 1:
        err.print("note: the web console keeps each page's state in the worker that served it; with several "
                  "workers put a proxy with sticky sessions in front (docs/decisions/0010-web-console.md)")
        uvicorn.run("gridvoice.api.factory:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", timeout_graceful_shutdown=30)
        return
    from gridvoice.api.app import create_app

    uvicorn.run(create_app(rt), host=host, port=port, log_level="warning", timeout_graceful_shutdown=30)


@app.command()
def demo(
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    customers: Annotated[int, typer.Option(min=100)] = 300_000,
    months: Annotated[int, typer.Option(min=1, max=60)] = 12,
    seed: Annotated[int, typer.Option()] = 42,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="build the demo and exit")] = False,
) -> None:
    """Build the synthetic demo into GRIDVOICE_HOME (once), print the URL and logins, and serve."""
    from gridvoice.synth.seed import manifest_path, reset_demo_users
    from gridvoice.synth.seed import seed as run_seed

    rt = runtime()
    guarded(rt.init_schema)
    if not manifest_path(rt.settings.home).exists():
        err.print("building the synthetic demo (once) …")
        report = guarded(lambda: run_seed(rt, customers, months, seed, log=lambda m: err.print(m)))
        err.print(f"demo data ready: {report.appeals} appeals in {report.seconds:.0f} s")
        from gridvoice.satisfaction.surveys import seed_satisfaction

        guarded(lambda: seed_satisfaction(rt, seed))
        err.print("synthetic satisfaction survey imported")
    from gridvoice.classifier.training import ensure_default_model

    guarded(lambda: ensure_default_model(rt.settings.home, progress=lambda m: err.print(m)))
    credentials = reset_demo_users(rt)
    table = Table(title="gridvoice demo — SYNTHETIC DATA (合成演示数据) — logins for this run")
    for column in ("user", "role", "territory", "password"):
        table.add_column(column)
    for username, role, org, password in credentials:
        table.add_row(username, role, org or "全市 (whole company)", password)
    out = Console()
    out.print(table)
    admin_password = credentials[0][3]
    out.print(f"URL: http://{host}:{port}/   API: http://{host}:{port}/api/v1/docs")
    out.print(f"admin login: admin / {admin_password}")
    if not no_serve:
        _serve(rt, host, port)


# ---------------------------------------------------------------------------------------------- users


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="login name")],
    role: Annotated[str, typer.Option(help="agent, dispatcher, duty_officer, handler, county_manager, "
                                           "city_supervisor, analyst or admin")],
    org: Annotated[str | None, typer.Option(help="org unit code; omit for the whole company")] = None,
    password: Annotated[str | None, typer.Option(help="omit to generate one (printed once)")] = None,
) -> None:
    """Create a user with an argon2-hashed password."""
    import secrets

    from gridvoice.auth.service import create_user

    rt = runtime()
    rt.init_schema()
    generated = password is None
    secret = password or secrets.token_urlsafe(12)

    def run() -> None:
        with rt.writes.begin() as session:
            known = set(rt.org().units) if org is not None else None
            create_user(session, username, role, org, secret, known)

    guarded(run)
    err.print(f"created user '{username}' ({role}, {org or 'whole company'})")
    if generated:
        print(f"password: {secret}")


def _access() -> Any:
    from gridvoice.auth.admin import AccessAdmin

    rt = runtime()
    rt.init_schema()
    return AccessAdmin(rt)


@users_app.command("list")
def users_list(format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text) -> None:
    """Users with role, territory and whether they are active or locked out."""
    users = guarded(lambda: _access().list_users(_system_actor()))
    if format == OutputFormat.json:
        emit_json([u.model_dump() for u in users])
        return
    for u in users:
        flags = [f for f, on in (("inactive", not u.active), ("locked", u.locked),
                                 ("must change password", u.must_change_password)) if on]
        print(f"{u.username}\t{u.role}\t{u.org_code or '(whole company)'}\t{', '.join(flags)}")


@users_app.command("reset-password")
def users_reset_password(
    username: Annotated[str, typer.Argument(help="login name")],
    reason: Annotated[str, typer.Option(help="why (recorded in the audit trail)")] = "",
) -> None:
    """Set a temporary password (printed once) and unlock; the user must choose a new one at next login."""
    temporary = guarded(lambda: _access().reset_password(_system_actor(), username, reason))
    err.print(f"password of '{username}' reset; it must be changed at the next login")
    print(f"temporary password: {temporary}")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="the integration, e.g. hotline-95598")],
    scope: Annotated[list[str], typer.Option(help="appeals:create and/or appeals:read (repeat the option)")],
    role: Annotated[str, typer.Option(help="role the key acts with")] = "agent",
    org: Annotated[str | None, typer.Option(help="territory; omit for the whole company")] = None,
) -> None:
    """Create an API key; the key is printed once (only its digest is stored)."""
    view, secret = guarded(lambda: _access().create_key(_system_actor(), name, scope, role, org))
    err.print(f"API key '{view.name}' (id {view.id}, scopes {', '.join(view.scopes)}) created; send it as X-API-Key")
    print(secret)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(min=1)],
                reason: Annotated[str, typer.Option(help="why (recorded in the audit trail)")] = "") -> None:
    """Revoke an API key at once."""
    view = guarded(lambda: _access().revoke_key(_system_actor(), key_id, reason))
    err.print(f"API key '{view.name}' revoked")


@audit_app.command("export")
def audit_export(
    out: Annotated[Path, typer.Option(help="CSV file to write")],
    actor: Annotated[str | None, typer.Option(help="only this user")] = None,
    action: Annotated[str | None, typer.Option(help="only this action, e.g. personal_data.reveal")] = None,
    since: Annotated[datetime | None, typer.Option("--from", help="from this time (UTC)")] = None,
    until: Annotated[datetime | None, typer.Option("--to", help="before this time (UTC)")] = None,
) -> None:
    """Write the audit trail (with the appeal timeline) to CSV; the export itself is recorded."""
    from gridvoice.audit.service import AuditQuery, export_csv

    rt = runtime()
    query = AuditQuery(actor=actor, action=action, at_from=_utc(since), at_to=_utc(until))

    def run() -> None:
        with rt.writes.begin() as session:
            text = "".join(export_csv(session, _system_actor(), query))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")

    guarded(run)
    err.print(f"wrote {out}")


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


# ---------------------------------------------------------------------------------------------- appeals


def _system_actor() -> Any:
    from gridvoice.auth.service import Actor

    return Actor.system()


@import_app.command("appeals")
def import_appeals(
    file: Annotated[Path, typer.Argument(help=".csv, .xlsx or .jsonl; columns = the POST fields")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="validate everything, write nothing")] = False,
    rejected_out: Annotated[Path | None, typer.Option(help="write rejected rows (row, field, reason) here")] = None,
    mode: Annotated[str, typer.Option(help="rows: valid rows land, rejected ones are reported; "
                                           "atomic: all or nothing")] = "rows",
    encoding: Annotated[str | None, typer.Option(help="force a text encoding (default: UTF-8, else GB18030)")]
    = None,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Import appeals with the API's validation and intake rules. Exit 2 when any row was rejected."""
    from gridvoice.appeals.importer import AppealImporter, write_rejected
    from gridvoice.appeals.service import AppealService

    if rejected_out is not None:
        # before importing: rows must not land whose rejected siblings could then not be reported
        try:
            rejected_out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise fail(2, f"rejected-out: cannot create the folder of {rejected_out}: {exc.strerror}") from exc
        if rejected_out.is_dir():
            raise fail(2, f"rejected-out: {rejected_out} is a folder; give a .csv file name")
    rt = runtime()
    rt.init_schema()
    importer = AppealImporter(AppealService(rt))
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(f"importing {file.name}", total=None)
        report = guarded(lambda: importer.run(file, _system_actor(), dry_run=dry_run, mode=mode,
                                              encoding=encoding, progress=lambda n: bar.advance(task, n)))
    if rejected_out is not None:
        write_rejected(rejected_out, report.errors)
    for error in report.errors[:20]:
        err.print(f"row {error.row_no}: {error.field}: {error.reason}", highlight=False, markup=False)
    if len(report.errors) > 20:
        err.print(f"… {len(report.errors) - 20} more rejected rows"
                  + (f" (see {rejected_out})" if rejected_out else " (use --rejected-out FILE.csv)"))
    summary = report.summary()
    if format == OutputFormat.json:
        emit_json(summary)
    else:
        err.print(" ".join(f"{k}={v}" for k, v in summary.items()))
    if report.rejected:
        raise typer.Exit(2)


def _filters(**kw: Any) -> Any:
    from gridvoice.appeals.schemas import AppealFilters

    return AppealFilters(**{k: v for k, v in kw.items() if v is not None})


@export_app.command("appeals")
def export_appeals(
    out: Annotated[Path, typer.Option(help=".csv, .xlsx or .parquet")],
    status: Annotated[str | None, typer.Option()] = None,
    business_type: Annotated[str | None, typer.Option()] = None,
    topic: Annotated[str | None, typer.Option()] = None,
    org_unit: Annotated[str | None, typer.Option()] = None,
    channel: Annotated[str | None, typer.Option()] = None,
    warning: Annotated[str | None, typer.Option()] = None,
    received_from: Annotated[datetime | None, typer.Option()] = None,
    received_to: Annotated[datetime | None, typer.Option()] = None,
    q: Annotated[str | None, typer.Option()] = None,
    lang: Annotated[str, typer.Option(help="column headers: zh or en")] = "zh",
) -> None:
    """Export the appeals matching the filters of GET /api/v1/appeals (personal data masked)."""
    from gridvoice.appeals.exporter import export_appeals as run_export
    from gridvoice.appeals.service import AppealService

    rt = runtime()
    rt.init_schema()

    def run() -> int:
        filters = _filters(status=status, business_type=business_type, topic=topic, org_unit=org_unit,
                           channel=channel, warning=warning, received_from=received_from,
                           received_to=received_to, q=q)
        return run_export(AppealService(rt), filters, _system_actor(), out, lang)

    n = guarded(run)
    err.print(f"exported {n} appeals to {out}")


@sla_app.command("check")
def sla_check(format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text) -> None:
    """Bring every appeal's warning level (none / yellow / red) up to now."""
    from gridvoice.appeals.service import AppealService

    rt = runtime()
    rt.init_schema()
    result = guarded(lambda: AppealService(rt).sla_check())
    if format == OutputFormat.json:
        emit_json(result.model_dump(mode="json"))
    else:
        err.print(f"turned yellow: {result.turned_yellow}, turned red: {result.turned_red}; "
                  f"now yellow: {result.open_yellow}, red: {result.open_red}")


def main() -> None:
    logging.captureWarnings(True)
    app()


if __name__ == "__main__":
    main()
