"""The analyses as use cases: permission, territory, lake refresh, defaults; called by the CLI, the API and the
console alike, each returning a result object (`to_dict()`, `to_rows()`, `tables()`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from gridvoice.analysis import factors as factors_mod
from gridvoice.analysis import hotspots as hotspots_mod
from gridvoice.analysis import repeats as repeats_mod
from gridvoice.analysis import risk as risk_mod
from gridvoice.analysis import sensitive as sensitive_mod
from gridvoice.analysis.common import LEVELS, Scope, first_day, unit_names
from gridvoice.analysis.config import AnalysisConfig, load_config
from gridvoice.analysis.spc import ThresholdCache
from gridvoice.auth.service import Actor, allowed, require
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.roles import Permission
from gridvoice.domain.taxonomy import Topic
from gridvoice.errors import BadInput, Forbidden
from gridvoice.lake import files
from gridvoice.lake.connect import BACKENDS, Backend, LakeConnection, lake_root
from gridvoice.lake.export import ExportReport, LakeExporter
from gridvoice.lake.privacy import Pseudonymiser, load_salt
from gridvoice.lake.schema import day_from_number

T = TypeVar("T")
# how far back each analysis looks when the caller gives no start day
DEFAULT_DAYS = {"hotspots": 30, "repeats": 90, "sensitive": 365, "risk": 183, "factors": 365}
MAX_LIMIT = 10_000


def today() -> date:
    return datetime.now(LOCAL_TZ).date()


EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)


def check_day(value: date, field: str) -> date:
    if not EARLIEST <= value <= LATEST:
        raise BadInput(field, f"{value} is outside {EARLIEST.year}–{LATEST.year}")
    return value


def window(kind: str, first: date | None, last: date | None) -> tuple[date, date]:
    last = check_day(last or today(), "to")
    first = check_day(first or last - timedelta(days=DEFAULT_DAYS[kind] - 1), "from")
    if last < first:
        raise BadInput("to", f"{last} is before from ({first})")
    if (last - first).days > 20 * 366:
        raise BadInput("from", "at most twenty years per run")
    return first, last


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise BadInput("level", f"unknown level '{level}'; one of {', '.join(LEVELS)}")
    return level


def check_topic(topic: str | None) -> str | None:
    if topic is None or topic == "":
        return None
    try:
        return Topic(topic).value
    except ValueError:
        raise BadInput("topic", f"unknown topic '{topic}'; one of {', '.join(t.value for t in Topic)}") from None


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput("limit", f"between 1 and {MAX_LIMIT}")
    return limit


class AnalysisService:
    """One per process (or per command); thread-safe: each call opens its own engine connection."""

    def __init__(self, runtime: Any, backend: Backend = "duckdb", config: AnalysisConfig | None = None,
                 config_path: Path | None = None, refresh_every: float = 0.0) -> None:
        if backend not in BACKENDS:
            raise BadInput("backend", f"unknown backend '{backend}'; one of {', '.join(BACKENDS)}")
        self.rt = runtime
        self.backend = backend
        self.config = config or load_config(runtime.settings.home, config_path)
        self.root = lake_root(runtime.settings)
        self.refresh_every = refresh_every  # the API refreshes at most this often (seconds)
        self._refreshed_at = -float("inf")
        self._lock = threading.Lock()
        self.thresholds = ThresholdCache(self.root / "_spc-thresholds.json")

    # ------------------------------------------------------------------------------------------ lake

    def refresh(self, full: bool = False) -> ExportReport:
        with self._lock:
            report = LakeExporter(self.rt.engine, self.root, self.rt.settings).refresh(full=full)
            self._refreshed_at = time.monotonic()
            return report

    def lake_state(self, actor: Actor) -> dict[str, Any]:
        require(actor, Permission.ANALYZE)
        state = files.read_state(self.root)
        if state is None:
            return {"exported": False, "appeals": 0, "watermark": None, "exported_at": None, "partitions": {}}
        return {"exported": True, "appeals": state.appeals, "watermark": state.watermark,
                "exported_at": state.exported_at, "partitions": state.partitions}

    def _fresh(self, refresh: bool) -> None:
        if refresh and time.monotonic() - self._refreshed_at >= self.refresh_every:
            self.refresh()

    @contextmanager
    def _open(self) -> Iterator[LakeConnection]:
        conn = LakeConnection(self.root, self.backend)
        try:
            yield conn
        finally:
            conn.close()

    # ------------------------------------------------------------------------------------------ scope

    def scope(self, actor: Actor, org: str | None = None) -> Scope:
        """The actor's subtree, narrowed to `org` when given (which must lie inside it)."""
        directory = self.rt.org()
        if org:
            if org not in directory:
                raise BadInput("org", f"unknown org unit '{org}'")
            if not directory.is_within(org, actor.org_code):
                raise Forbidden(f"org: '{org}' is outside your territory")
            code = org
        else:
            code = actor.org_code
        if code is None or code == directory.root:
            return Scope.whole()
        territory = directory.territory(code, "org")
        return Scope(code=code, level=territory.level, path=territory.path, root=False)

    def _run(self, actor: Actor, org: str | None, refresh: bool,
             work: Callable[[LakeConnection, Scope, dict[str, str]], T]) -> T:
        require(actor, Permission.ANALYZE)
        scope = self.scope(actor, org)
        self._fresh(refresh)
        with self._open() as conn:
            return work(conn, scope, unit_names(conn))

    # ------------------------------------------------------------------------------------------ analyses

    def hotspots(self, actor: Actor, first: date | None = None, last: date | None = None, level: str = "county",
                 granularity: str = "day", topic: str | None = None, org: str | None = None, limit: int = 200,
                 terms: bool = True, refresh: bool = True) -> hotspots_mod.HotspotResult:
        first, last = window("hotspots", first, last)
        if granularity not in ("day", "hour"):
            raise BadInput("granularity", "day or hour")
        query = hotspots_mod.HotspotQuery(first, last, check_level(level), granularity,  # type: ignore[arg-type]
                                          check_topic(topic), check_limit(limit), terms)
        hotspots_mod.check_query(query, self.config.hotspots)
        return self._run(actor, org, refresh, lambda conn, scope, names: hotspots_mod.hotspots(
            conn, query, scope, self.config.hotspots, names, self.thresholds))

    def repeats(self, actor: Actor, first: date | None = None, last: date | None = None, level: str = "county",
                topic: str | None = None, org: str | None = None, limit: int = 200,
                refresh: bool = True) -> repeats_mod.RepeatResult:
        first, last = window("repeats", first, last)
        query = repeats_mod.RepeatQuery(first, last, check_level(level), check_topic(topic), check_limit(limit))
        return self._run(actor, org, refresh, lambda conn, scope, names: repeats_mod.repeats(
            conn, query, scope, self.config.repeats, names))

    def sensitive(self, actor: Actor, last: date | None = None, level: str = "county",
                  min_score: float | None = None, org: str | None = None, limit: int = 200,
                  refresh: bool = True) -> sensitive_mod.SensitiveResult:
        query = sensitive_mod.SensitiveQuery(check_day(last or today(), "to"), check_level(level), min_score,
                                             check_limit(limit))
        return self._run(actor, org, refresh, lambda conn, scope, names: sensitive_mod.sensitive(
            conn, query, scope, self.config.sensitive, names))

    def sensitive_profile(self, actor: Actor, customer_no: str | None = None, phone: str | None = None,
                          refresh: bool = False) -> sensitive_mod.SensitiveProfile:
        """For intake: how sensitive the caller on the line is (agents may ask, as may analysts)."""
        if not (allowed(actor, Permission.ANALYZE) or allowed(actor, Permission.CREATE_APPEAL)):
            require(actor, Permission.ANALYZE)
        scope = self.scope(actor)
        self._fresh(refresh)
        pseudonymiser = Pseudonymiser(load_salt(self.rt.settings))
        with self._open() as conn:
            return sensitive_mod.sensitive_profile(conn, pseudonymiser, self.config.sensitive, customer_no, phone,
                                                   today(), scope)

    def risk(self, actor: Actor, first: date | None = None, last: date | None = None, level: str = "county",
             period: str | None = None, org: str | None = None, limit: int = 1000,
             refresh: bool = True) -> risk_mod.RiskResult:
        first, last = window("risk", first, last)
        if period not in (None, "month", "week"):
            raise BadInput("period", "month or week")
        query = risk_mod.RiskQuery(first, last, check_level(level), period, check_limit(limit))  # type: ignore[arg-type]

        def work(conn: LakeConnection, scope: Scope, names: dict[str, str]) -> risk_mod.RiskResult:
            day = first_day(conn, scope)
            history = day_from_number(day) if day is not None else None
            return risk_mod.risk(conn, query, scope, self.config, names, history)

        return self._run(actor, org, refresh, work)

    def factors(self, actor: Actor, first: date | None = None, last: date | None = None, level: str = "county",
                org: str | None = None, limit: int = 500, refresh: bool = True) -> factors_mod.FactorResult:
        first, last = window("factors", first, last)
        query = factors_mod.FactorQuery(first, last, check_level(level), check_limit(limit))
        return self._run(actor, org, refresh, lambda conn, scope, names: factors_mod.factors(
            conn, query, scope, self.config, names))
