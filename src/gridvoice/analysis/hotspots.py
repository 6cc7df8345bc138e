"""Hotspots and surges (methods.md §7): a Poisson CUSUM and an EWMA per territory unit and topic, against a
seasonal baseline; emerging terms; each alert with its evidence and the appeals behind it.

Series: the appeals of one unit (at the chosen level) and one topic — and of the unit over all topics (`*`) —
counted per day or per hour (local time), zero-filled.

Baseline (in-control mean μ_t of period t): with K = `baseline_weeks` and season m = 7 days (or 168 hours),

    μ_t = ℓ_w · f_{topic, phase(t)},   ℓ_w = max(N_w / d_w, 0.5/(K·m)),

ℓ_w the series' level for the week w of t: its N_w appeals over the d_w known periods of the K weeks before
that week began (periods before the lake's first appeal are unknown, not zeros), at least half an appeal over
K weeks so a unit with no history has a small positive baseline; f the weekday (hour-of-week) factor of its
topic, pooled over the level's units in the K weeks before the period with one pseudo-appeal per phase:
f = m·(n_phase + 1)/(n + m). The level is refreshed weekly (prospectively) and the chart's threshold with it.

Charts (see `spc`): the CUSUM in log-likelihood-ratio form S_t = max(0, S_{t−1} + a_t·x_t − b_t) with
μ1_t = μ_t + s·√μ_t, a_t = ln(μ1_t/μ_t), b_t = μ1_t − μ_t, started at 0 on the first day of the period. Written
without the recursion, S_t = C_t − min(0, min_{τ≤t} C_τ) with C_t = Σ_{τ≤t}(a_τ·x_τ − b_τ) — a running sum and a
running minimum, which every engine computes as window functions. The EWMA of u_t = (x_t − μ_t)/√μ_t, Z_t =
(1−λ)^i · Σ_{j≤i} λ·(1−λ)^{−j}·u_j (i = periods since the start), likewise.

Thresholds: each run watches n series; the configured false alarms per day over all of them give each chart a
target in-control ARL of n / (rate per period). h (and L) come from that ARL and the week's level (log grid;
Markov-chain ARL, `spc`). An alert is a period where a chart reaches its threshold having returned to rest
(S = 0, Z ≤ 0) since its previous crossing — one per episode, as a chart restarted after its alarm — or where
the period alone would take a chart at rest over its threshold (a new surge during an episode).

Emerging terms: character n-grams (Chinese characters only) of the appeals of the last `term_recent_days`
against the `term_baseline_days` before, counted once per appeal. Under no change, of the k appeals containing
a term the recent ones are Binomial(k, n_recent/(n_recent + n_baseline)); the one-sided p-values are adjusted
by Benjamini–Hochberg, and terms with q ≤ `term_fdr` whose share rose at least `term_min_lift`-fold are listed
(a shorter term inside a listed longer one with almost the same count is dropped).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import numpy as np
from pydantic import BaseModel
from scipy.stats import binom

from gridvoice.analysis import spc
from gridvoice.analysis.common import ALL, AnalysisResult, Scope, appeals_for, first_day, flat
from gridvoice.analysis.config import HotspotConfig
from gridvoice.domain.taxonomy import label_zh
from gridvoice.errors import BadInput
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.schema import day_from_number, day_number

EXP_LIMIT = 700.0  # e^700 is near the largest float: the EWMA's closed form must stay below it
CJK_ONLY = "^[一-鿿]+$"
NOT_CJK = "[^一-鿿]"
SEPARATOR = "|"


@dataclass(frozen=True)
class HotspotQuery:
    first: date
    last: date
    level: str = "county"
    granularity: Literal["day", "hour"] = "day"
    topic: str | None = None
    limit: int = 200
    terms: bool = True


class HotspotAlert(BaseModel):
    unit: str
    unit_name: str | None
    topic: str  # a topic code, or "*" for all topics of the unit
    topic_label: str
    period: str  # local day (YYYY-MM-DD) or hour (YYYY-MM-DD HH:00)
    method: Literal["cusum", "ewma"]
    observed: int
    expected: float
    statistic: float
    threshold: float
    appeals: int
    appeal_ids: list[int]


class EmergingTerm(BaseModel):
    term: str
    recent_appeals: int
    baseline_appeals: int
    recent_share: float
    baseline_share: float
    lift: float
    p_value: float
    q_value: float
    appeal_ids: list[int]


class HotspotResult(AnalysisResult):
    level: str
    granularity: str
    first: date
    last: date
    series: int
    target_arl: float  # in-control ARL of each chart, in periods
    false_alarms_per_day: float
    alerts: list[HotspotAlert]
    alerts_total: int
    terms_recent: list[date]  # [first, last] day of the recent window of the term analysis
    terms_baseline: list[date]
    terms: list[EmergingTerm]

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {"alerts": [flat(a.model_dump(mode="json")) for a in self.alerts],
                "terms": [flat(t.model_dump(mode="json")) for t in self.terms]}


# ---------------------------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Frame:
    """Period numbering of one run: periods are days since 1970-01-01, or hours since then."""

    per_day: int  # 1 or 24
    season: int  # 7 or 168
    weeks: int
    start: int  # first period of the detection window
    end: int  # last period
    history: int  # first period with data in the lake (earlier periods are unknown)

    @classmethod
    def of(cls, query: HotspotQuery, config: HotspotConfig, first_day: int | None = None) -> Frame:
        per_day = 24 if query.granularity == "hour" else 1
        start = day_number(query.first) * per_day
        end = (day_number(query.last) + 1) * per_day - 1
        history = (first_day if first_day is not None else day_number(query.first)) * per_day
        return cls(per_day, 7 * per_day, config.baseline_weeks, start, end, history)

    @property
    def warmup(self) -> int:
        return self.weeks * self.season

    @property
    def periods(self) -> int:
        return self.end - self.start + 1

    @property
    def floor(self) -> float:
        """The smallest baseline: half an appeal over the K weeks."""
        return 0.5 / self.warmup

    def label(self, period: int) -> str:
        day = day_from_number(period // self.per_day)
        return day.isoformat() if self.per_day == 1 else f"{day.isoformat()} {period % 24:02d}:00"


def check_query(query: HotspotQuery, config: HotspotConfig) -> None:
    if query.last < query.first:
        raise BadInput("to", "must not be before from")
    frame = Frame.of(query, config)
    longest = int(EXP_LIMIT / -math.log(1 - config.ewma_lambda))
    if frame.periods > longest:
        unit = "hours" if query.granularity == "hour" else "days"
        raise BadInput("to", f"at most {longest} {unit} per run (the EWMA's range); shorten the period")


def _period(table: ir.Table, frame: Frame) -> ir.IntegerValue:
    if frame.per_day == 1:
        return table.received_day.cast("int64")
    return table.received_day.cast("int64") * 24 + table.received_hour.cast("int64")


def unit_of(table: ir.Table, level: str) -> ir.StringValue:
    return table[level]


def base_rows(conn: LakeConnection, query: HotspotQuery, scope: Scope, frame: Frame) -> ir.Table:
    """The appeals of the warm-up and detection windows: id, unit, topic, period."""
    first = query.first - timedelta(days=7 * frame.weeks)
    t = appeals_for(conn, scope, first, query.last)
    t = t.filter(unit_of(t, query.level).notnull())
    if query.topic:
        t = t.filter(t.topic == query.topic)
    return t.select(id=t.id, unit=unit_of(t, query.level), topic=t.topic, p=_period(t, frame))


def counts(rows: ir.Table, query: HotspotQuery) -> ir.Table:
    by_topic = rows.group_by(["unit", "topic", "p"]).agg(x=rows.count())
    if query.topic:
        return by_topic
    total = rows.group_by(["unit", "p"]).agg(x=rows.count()).mutate(topic=ibis.literal(ALL))
    return by_topic.union(total.select("unit", "topic", "p", "x"))


def blocks(frame: Frame) -> ir.Table:
    """The weeks of the detection window (k = 0, 1, …) with the number of known periods in the K weeks before
    each: a period before the lake's first appeal is unknown, not a zero."""
    starts = np.arange(frame.start, frame.end + 1, frame.season, dtype=np.int64)
    known = np.array([max(0, b - max(frame.history, b - frame.warmup)) for b in starts], dtype=np.float64)
    return ibis.memtable({"k": np.arange(starts.size, dtype=np.int64), "b": starts, "known": known})


def block_rates(tally: ir.Table, frame: Frame) -> ir.Table:
    """Each series' level for each week k of the window: its mean count per period over the K weeks before
    the week began, at least half an appeal over those weeks. Series × weeks without appeals then are absent
    (their level is that floor)."""
    weeks = blocks(frame)
    joined = tally.join(weeks, [tally.p >= weeks.b - frame.warmup, tally.p < weeks.b])
    sums = joined.group_by(["unit", "topic", "k", "known"]).agg(total=joined.x.sum())
    level = ibis.ifelse(sums.known > 0, sums.total.cast("float64") / ibis.greatest(sums.known, 1.0), 0.0)
    return sums.select("unit", "topic", "k", level=ibis.greatest(level, frame.floor))


def thresholds(buckets: list[int], n_series: int, frame: Frame, config: HotspotConfig,
               cache: spc.ThresholdCache | None) -> tuple[float, dict[int, tuple[float, float]]]:
    """Target ARL per chart and, per μ bucket, (h of the CUSUM, L of the EWMA)."""
    per_period = config.false_alarms_per_day / frame.per_day
    target = max(n_series, 1) / per_period
    table = {b: (spc.cusum_threshold(spc.bucket_mu(b), config.shift_sigmas, target, cache),
                 spc.ewma_limit(spc.bucket_mu(b), config.ewma_lambda, target, cache)) for b in buckets}
    if cache is not None:
        cache.save()
    return target, table


def bucket_expr(mu: ir.FloatingValue) -> ir.IntegerValue:
    return (mu.log10() * spc.BUCKETS_PER_DECADE).round().cast("int64")


def series_of(tally: ir.Table, frame: Frame) -> ir.Table:
    """The series that have at least one appeal in the warm-up or the window."""
    return tally.select("unit", "topic").distinct()


def charts(tally: ir.Table, levels: ir.Table, factors: ir.Table, limits: ir.Table, frame: Frame,
           config: HotspotConfig) -> ir.Table:
    """Every series × period of the detection window with its baseline, CUSUM and EWMA."""
    periods = np.arange(frame.start, frame.end + 1, dtype=np.int64)
    calendar = ibis.memtable({"p": periods, "phase": periods % frame.season,
                              "k": (periods - frame.start) // frame.season})
    grid = series_of(tally, frame).cross_join(calendar)
    grid = grid.left_join(tally, [grid.unit == tally.unit, grid.topic == tally.topic, grid.p == tally.p])
    grid = grid.select(unit=grid.unit, topic=grid.topic, p=grid.p, phase=grid.phase, k=grid.k,
                       x=grid.x.coalesce(0).cast("float64"))
    grid = grid.left_join(levels, ["unit", "topic", "k"])
    grid = grid.select(unit=grid.unit, topic=grid.topic, p=grid.p, phase=grid.phase, x=grid.x,
                       level=grid.level.coalesce(frame.floor))
    grid = grid.join(factors, ["topic", "phase"])
    grid = grid.mutate(mu=grid.level * grid.factor, bucket=bucket_expr(grid.level))
    grid = grid.join(limits, "bucket")
    return _statistics(grid, frame, config)


def seasonal_factors(tally: ir.Table, frame: Frame) -> ir.Table:
    """Weekday (hour-of-week) factor per topic, pooled over the level's units in the warm-up weeks:
    f = m·(n_phase + 1)/(n + m) (one pseudo-appeal per phase, so Σ f = m and a sparse topic is near flat)."""
    warm = tally.filter(tally.p < frame.start, tally.p >= frame.start - frame.warmup)
    warm = warm.mutate(phase=warm.p % frame.season)
    by_phase = warm.group_by(["topic", "phase"]).agg(n=warm.x.sum())
    by_topic = warm.group_by("topic").agg(total=warm.x.sum())
    phases = ibis.memtable({"phase": np.arange(frame.season, dtype=np.int64)})
    grid = tally.select("topic").distinct().cross_join(phases)
    grid = grid.left_join(by_phase, ["topic", "phase"]).select("topic", "phase", "n")
    grid = grid.left_join(by_topic, "topic").select("topic", "phase", "n", "total")
    m = float(frame.season)
    factor = m * (grid.n.coalesce(0).cast("float64") + 1.0) / (grid.total.coalesce(0).cast("float64") + m)
    return grid.select("topic", "phase", factor=factor)


def _statistics(grid: ir.Table, frame: Frame, config: HotspotConfig) -> ir.Table:
    s, lam = config.shift_sigmas, config.ewma_lambda
    mu1 = grid.mu + s * grid.mu.sqrt()
    step = (mu1 / grid.mu).ln() * grid.x - (mu1 - grid.mu)
    decay = -math.log(1 - lam)
    i = (grid.p - frame.start + 1).cast("float64")
    weighted = lam * (grid.x - grid.mu) / grid.mu.sqrt() * (i * decay).exp()
    running = ibis.cumulative_window(group_by=["unit", "topic"], order_by="p")
    grid = grid.mutate(c=step.sum().over(running), w=weighted.sum().over(running), i=i, step=step,
                       push=lam * (grid.x - grid.mu) / grid.mu.sqrt())
    grid = grid.mutate(cusum=grid.c - ibis.least(0.0, grid.c.min().over(running)),
                       ewma=grid.w * (-grid.i * decay).exp(),
                       ucl=grid.limit_l * math.sqrt(lam / (2 - lam)))
    ordered = ibis.window(group_by=["unit", "topic"], order_by="p")
    grid = grid.mutate(cusum_up=(grid.cusum >= grid.h) & (grid.cusum.lag().over(ordered).coalesce(0.0) < grid.h),
                       ewma_up=(grid.ewma >= grid.ucl) & (grid.ewma.lag().over(ordered).coalesce(0.0) < grid.ucl),
                       cusum_rest=ibis.ifelse(grid.cusum <= 0, grid.p, None).max().over(running),
                       ewma_rest=ibis.ifelse(grid.ewma <= 0, grid.p, None).max().over(running))
    grid = grid.mutate(cusum_seen=ibis.ifelse(grid.cusum_up, grid.p, None).max().over(running),
                       ewma_seen=ibis.ifelse(grid.ewma_up, grid.p, None).max().over(running))
    # the previous crossing: the running latest one, one period back
    return grid.mutate(cusum_last=grid.cusum_seen.lag().over(ordered), ewma_last=grid.ewma_seen.lag().over(ordered))


def alert_rows(chart: ir.Table) -> ir.Table:
    """Periods where a chart reaches its threshold having come back to rest (CUSUM 0, EWMA at or below the
    baseline) since its previous crossing — one alert per episode — or where the period alone would take a
    chart at rest over its threshold (a new surge on top of an episode still running)."""
    fields = ["unit", "topic", "p", "x", "mu"]
    new_cusum = (chart.cusum_up & (chart.cusum_last.isnull() | (chart.cusum_rest > chart.cusum_last))) | (
        chart.step >= chart.h)
    new_ewma = (chart.ewma_up & (chart.ewma_last.isnull() | (chart.ewma_rest > chart.ewma_last))) | (
        chart.push >= chart.ucl)
    cusum = chart.filter(new_cusum)
    cusum = cusum.select(*fields, method=ibis.literal("cusum"), statistic=cusum.cusum, threshold=cusum.h)
    ewma = chart.filter(new_ewma)
    ewma = ewma.select(*fields, method=ibis.literal("ewma"), statistic=ewma.ewma, threshold=ewma.ucl)
    return cusum.union(ewma)


def linked_appeals(rows: ir.Table, keys: ir.Table) -> ir.Table:
    """Ids of the appeals behind each alert's (unit, topic, period); topic '*' takes every topic."""
    joined = rows.join(keys, [rows.unit == keys.unit, rows.p == keys.p,
                              (rows.topic == keys.topic) | (keys.topic == ALL)])
    joined = joined.select(unit=keys.unit, topic=keys.topic, p=keys.p, id=rows.id)
    return joined.group_by(["unit", "topic", "p"]).agg(ids=joined.id.collect(), n=joined.count())


# ---------------------------------------------------------------------------------------------- run


def hotspots(conn: LakeConnection, query: HotspotQuery, scope: Scope, config: HotspotConfig,
             names: dict[str, str] | None = None, cache: spc.ThresholdCache | None = None) -> HotspotResult:
    check_query(query, config)
    frame = Frame.of(query, config, first_day(conn, scope))
    rows = base_rows(conn, query, scope, frame)
    with counts(rows, query).cache() as tally:  # small, and read by every step below
        return _detect(conn, query, scope, config, frame, rows, tally, names or {}, cache)


def _detect(conn: LakeConnection, query: HotspotQuery, scope: Scope, config: HotspotConfig, frame: Frame,
            rows: ir.Table, tally: ir.Table, names: dict[str, str],
            cache: spc.ThresholdCache | None) -> HotspotResult:
    levels = block_rates(tally, frame)
    n_series = int(conn.con.execute(series_of(tally, frame).count()))
    buckets = [int(r["bucket"]) for r in conn.rows(levels.select(bucket=bucket_expr(levels.level)).distinct())]
    target, table = thresholds(sorted({*buckets, spc.bucket_of(frame.floor)}), n_series, frame, config, cache)
    alerts: list[dict[str, Any]] = []
    linked: list[dict[str, Any]] = []
    if n_series:
        limits = ibis.memtable({"bucket": list(table), "h": [v[0] for v in table.values()],
                                "limit_l": [v[1] for v in table.values()]})
        chart = charts(tally, levels, seasonal_factors(tally, frame), limits, frame, config)
        alerts = conn.rows(alert_rows(chart))
        alerts = select_alerts(alerts, query.limit)
        if alerts:
            keys = ibis.memtable({"unit": [a["unit"] for a in alerts], "topic": [a["topic"] for a in alerts],
                                  "p": np.array([a["p"] for a in alerts], dtype=np.int64)}).distinct()
            linked = conn.rows(linked_appeals(rows, keys))
    terms = emerging_terms(conn, query, scope, config) if query.terms else TermFindings.empty(query, config)
    return assemble(query, config, frame, n_series, target, alerts, linked, terms, names)


def select_alerts(alerts: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Newest first, then the strongest (statistic over threshold); at most `limit`."""
    ordered = sorted(alerts, key=lambda a: (-a["p"], -a["statistic"] / a["threshold"] if a["threshold"] else 0,
                                            a["unit"], a["topic"], a["method"]))
    for alert in ordered:
        alert["total"] = len(alerts)
    return ordered[:limit]


def assemble(query: HotspotQuery, config: HotspotConfig, frame: Frame, n_series: int, target: float,
             alerts: list[dict[str, Any]], linked: list[dict[str, Any]], terms: TermFindings,
             names: dict[str, str]) -> HotspotResult:
    ids = {(r["unit"], r["topic"], int(r["p"])): (sorted(int(i) for i in r["ids"]), int(r["n"])) for r in linked}
    out = []
    for a in alerts:
        appeal_ids, n = ids.get((a["unit"], a["topic"], int(a["p"])), ([], 0))
        out.append(HotspotAlert(
            unit=a["unit"], unit_name=names.get(a["unit"]), topic=a["topic"],
            topic_label="全部主题" if a["topic"] == ALL else label_zh(a["topic"]), period=frame.label(int(a["p"])),
            method=a["method"], observed=round(a["x"]), expected=round(float(a["mu"]), 4),
            statistic=round(float(a["statistic"]), 4), threshold=round(float(a["threshold"]), 4),
            appeals=n, appeal_ids=appeal_ids[:config.max_linked_appeals]))
    return HotspotResult(
        level=query.level, granularity=query.granularity, first=query.first, last=query.last, series=n_series,
        target_arl=round(target, 1), false_alarms_per_day=config.false_alarms_per_day, alerts=out,
        alerts_total=alerts[0]["total"] if alerts else 0, terms_recent=[terms.recent_first, terms.last],
        terms_baseline=[terms.baseline_first, terms.recent_first - timedelta(days=1)], terms=terms.terms)


# ---------------------------------------------------------------------------------------------- terms


@dataclass
class TermFindings:
    recent_first: date
    baseline_first: date
    last: date
    terms: list[EmergingTerm]

    @classmethod
    def window(cls, query: HotspotQuery, config: HotspotConfig) -> TermFindings:
        recent_first = query.last - timedelta(days=config.term_recent_days - 1)
        return cls(recent_first, recent_first - timedelta(days=config.term_baseline_days), query.last, [])

    @classmethod
    def empty(cls, query: HotspotQuery, config: HotspotConfig) -> TermFindings:
        return cls.window(query, config)


def term_documents(conn: LakeConnection, scope: Scope, window: TermFindings) -> ir.Table:
    t = appeals_for(conn, scope, window.baseline_first, window.last)
    return t.select(id=t.id, content=t.content, recent=t.received_day >= day_number(window.recent_first))


def doc_terms(docs: ir.Table, lengths: tuple[int, ...]) -> ir.Table:
    """(appeal, term) once per appeal, for every run of `n` Chinese characters of its text. Everything else in
    the text becomes a separator first (one expression per text, not one per n-gram)."""
    clean = docs.mutate(content=docs.content.coalesce("").re_replace(NOT_CJK, SEPARATOR))
    parts = []
    for n in lengths:
        grams = clean.mutate(pos=ibis.range(0, clean.content.length() - n + 1).unnest())
        grams = grams.select(grams.id, grams.recent, term=grams.content.substr(grams.pos, n))
        parts.append(grams.filter(~grams.term.contains(SEPARATOR)))
    union = parts[0]
    for part in parts[1:]:
        union = union.union(part)
    return union.distinct()


def term_counts(pairs: ir.Table, min_docs: int) -> ir.Table:
    stats = pairs.group_by("term").agg(recent=pairs.recent.cast("int64").sum(),
                                       baseline=(~pairs.recent).cast("int64").sum())
    return stats.filter(stats.recent >= min_docs)


def emerging_terms(conn: LakeConnection, query: HotspotQuery, scope: Scope, config: HotspotConfig) -> TermFindings:
    window = TermFindings.window(query, config)
    docs = term_documents(conn, scope, window)
    sizes = conn.rows(docs.group_by("recent").agg(n=docs.count()))
    n_recent = sum(int(r["n"]) for r in sizes if r["recent"])
    n_base = sum(int(r["n"]) for r in sizes if not r["recent"])
    if n_recent == 0:
        return window
    with doc_terms(docs, config.term_lengths).cache() as pairs:
        stats = conn.rows(term_counts(pairs, config.term_min_docs))
        chosen = choose_terms(stats, n_recent, n_base, config)
        if not chosen:
            return window
        wanted = ibis.memtable({"term": [c["term"] for c in chosen]})
        hits = pairs.filter(pairs.recent).semi_join(wanted, "term")
        linked = conn.rows(hits.group_by("term").agg(ids=hits.id.collect()))
    window.terms = term_results(chosen, linked, n_recent, n_base, config)
    return window


def choose_terms(stats: list[dict[str, Any]], n_recent: int, n_base: int,
                 config: HotspotConfig) -> list[dict[str, Any]]:
    """The significant risers (Benjamini–Hochberg over every tested term), longest form kept."""
    if not stats or n_base == 0:
        return []
    share = n_recent / (n_recent + n_base)
    recent = np.array([int(s["recent"]) for s in stats])
    baseline = np.array([int(s["baseline"]) for s in stats])
    p = binom.sf(recent - 1, recent + baseline, share)
    q = _bh(p)
    lift = (recent / n_recent) / ((baseline + 0.5) / n_base)
    found = [{"term": s["term"], "recent": int(r), "baseline": int(b), "p": float(pv), "q": float(qv),
              "lift": float(li)}
             for s, r, b, pv, qv, li in zip(stats, recent, baseline, p, q, lift, strict=True)
             if qv <= config.term_fdr and li >= config.term_min_lift]
    found.sort(key=lambda f: (f["p"], -f["lift"], -len(f["term"]), f["term"]))
    kept: list[dict[str, Any]] = []
    for f in sorted(found, key=lambda f: (-len(f["term"]), f["p"], f["term"])):
        if not any(f["term"] in k["term"] and k["recent"] >= 0.9 * f["recent"] for k in kept):
            kept.append(f)
    kept.sort(key=lambda f: (f["p"], -f["lift"], f["term"]))
    return kept[:config.term_max]


def _bh(p: np.ndarray) -> np.ndarray:
    n = p.size
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def term_results(chosen: list[dict[str, Any]], linked: list[dict[str, Any]], n_recent: int, n_base: int,
                 config: HotspotConfig) -> list[EmergingTerm]:
    ids = {r["term"]: sorted(int(i) for i in r["ids"]) for r in linked}
    return [EmergingTerm(term=c["term"], recent_appeals=c["recent"], baseline_appeals=c["baseline"],
                         recent_share=round(c["recent"] / n_recent, 6),
                         baseline_share=round(c["baseline"] / n_base, 6), lift=round(c["lift"], 4),
                         p_value=float(f"{c['p']:.6g}"), q_value=float(f"{c['q']:.6g}"),
                         appeal_ids=ids.get(c["term"], [])[:config.max_linked_appeals]) for c in chosen]

