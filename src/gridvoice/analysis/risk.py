"""Regional appeal risk index (区域诉求风险, methods.md §5): heat, volume change, urgency and sentiment
sub-indices per region and period, combined with entropy weights, graded yellow / orange / red with reasons.

The published paper (朱龙珠 et al., 2019) names the four indices and the entropy method but not its formulas;
these are ours (ADR 0013). For region r and period t (month, or Monday-to-Sunday week), with N appeals over
d days of data (a period cut by the query's dates or by the lake's first day counts only its covered days):

- heat H = N/d · 30 · 10 000 / customers of r — appeals per 10,000 customers per 30 days (per 30 days alone
  when some region's number of customers is unknown);
- volume change C = ln((N/d + 1/30) / (N̄/d̄ + 1/30)), N̄/d̄ the daily rate over the previous `baseline_periods`
  periods (one appeal per 30 days added to both keeps small and empty regions finite; 0 when there is no
  earlier data at all);
- urgency U = (u + m·ū)/(N + m): u the appeals flagged urgent, escalated or threatening escalation; ū the share
  over all regions in that period; m = `prior_appeals` pseudo-appeals, so a region with a handful of appeals
  is pulled toward the common share instead of swinging to 0 % or 100 %;
- sentiment S = (s + m·s̄)/(N + m): s the sum of the appeals' lexicon negativity (`common.negativity`).

Each sub-index is min–max normalised over all region-periods of the query (all positive: higher is riskier),
weighted by the entropy method (`domain.weighting.entropy_weights`, min–max variant), and summed:
Risk = 100 · Σ_j w_j · z_j. Levels: red ≥ `red`, orange ≥ `orange`, yellow ≥ `yellow` (75 / 60 / 45 by
default). The reasons name the sub-indices whose normalised value reaches `reason_min`, strongest first.
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

from gridvoice.analysis.common import AnalysisResult, Scope, any_match, appeals_for, flat, negativity, scoped_units
from gridvoice.analysis.config import AnalysisConfig, RiskConfig
from gridvoice.domain.weighting import WeightingError, entropy_weights
from gridvoice.errors import BadInput
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.schema import EPOCH, day_number

INDICES = ("heat", "change", "urgency", "sentiment")
INDEX_ZH = {"heat": "热力指数", "change": "业务量变化指数", "urgency": "紧急指数", "sentiment": "情感指数"}
LEVEL_ZH = {"red": "红色预警", "orange": "橙色预警", "yellow": "黄色预警", "none": "正常"}


@dataclass(frozen=True)
class RiskQuery:
    first: date
    last: date
    level: str = "county"
    period: Literal["month", "week"] | None = None  # default: the configured one
    limit: int = 1000


class RiskRow(BaseModel):
    unit: str
    unit_name: str | None
    period: str  # YYYY-MM, or the Monday of the week
    appeals: int
    customers: int | None
    days: int
    heat: float
    change: float
    urgency: float
    sentiment: float
    normalised: dict[str, float]
    score: float
    level: str  # red | orange | yellow | none
    level_label: str
    rank: int  # within the period, 1 = riskiest (ties share a rank)
    reasons: list[str]


class RiskResult(AnalysisResult):
    level: str
    period: str
    first: date
    last: date
    heat_basis: str  # per_10k_customers | appeals
    weights: dict[str, float]
    thresholds: dict[str, float]
    rows: list[RiskRow]

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {"risk": [flat(r.model_dump(mode="json")) for r in self.rows]}


# ---------------------------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class Periods:
    kind: str
    first: int  # index of the first reported period
    last: int
    baseline: int  # periods before `first` that feed the volume change
    start_day: date  # first day of data the query reads (first baseline period)

    @classmethod
    def of(cls, query: RiskQuery, config: RiskConfig) -> Periods:
        kind = query.period or config.period
        first, last = period_index(query.first, kind), period_index(query.last, kind)
        start = period_start(first - config.baseline_periods, kind)
        return cls(kind, first, last, config.baseline_periods, start)

    def days(self, index: int, query: RiskQuery, history: date | None) -> int:
        """Days of period `index` with data: within the query (its last day) and after the lake's first day."""
        low = max(period_start(index, self.kind), history or date.min)
        if index >= self.first:
            low = max(low, query.first)
        high = min(period_start(index + 1, self.kind) - timedelta(days=1), query.last)
        return max(0, (high - low).days + 1)

    def label(self, index: int) -> str:
        start = period_start(index, self.kind)
        return f"{start.year:04d}-{start.month:02d}" if self.kind == "month" else start.isoformat()


def period_index(day: date, kind: str) -> int:
    if kind == "month":
        return day.year * 12 + day.month - 1
    return (day_number(day) - 4) // 7  # weeks from Monday 1970-01-05 (day 4)


def period_start(index: int, kind: str) -> date:
    if kind == "month":
        return date(index // 12, index % 12 + 1, 1)
    return EPOCH + timedelta(days=index * 7 + 4)


def period_expr(t: ir.Table, kind: str) -> ir.IntegerValue:
    if kind == "month":
        return (t.received_date.year() * 12 + t.received_date.month() - 1).cast("int64")
    return ((t.received_day.cast("int64") - 4) // 7).cast("int64")


# ---------------------------------------------------------------------------------------------- engine


def tallies(conn: LakeConnection, query: RiskQuery, scope: Scope, periods: Periods,
            config: AnalysisConfig) -> ir.Table:
    """Appeals, urgent-like appeals and summed negativity per region and period."""
    t = appeals_for(conn, scope, periods.start_day, query.last)
    t = t.filter(t[query.level].notnull())
    urgent = t.urgent.coalesce(False) | any_match(t.content, config.sensitive.escalation_cues) | (
        t.escalate_count.coalesce(0) > 0)
    t = t.select(unit=t[query.level], period=period_expr(t, periods.kind), urgent=urgent.cast("int64"),
                 negative=negativity(t.content, config.sentiment))
    return t.group_by(["unit", "period"]).agg(n=t.count(), u=t.urgent.sum(), s=t.negative.sum())


def region_list(conn: LakeConnection, scope: Scope, level: str, tally: ir.Table) -> ir.Table:
    """Every region of the level in scope (from the org tree, so regions without appeals are ranked too)."""
    units = scoped_units(conn.units(), scope, level).select(unit="code", customers="customers")
    seen = tally.select("unit").distinct()
    extra = seen.anti_join(units, "unit").select("unit", customers=ibis.null("int64"))
    return units.union(extra)


def indices(tally: ir.Table, regions: ir.Table, calendar: ir.Table, periods: Periods) -> ir.Table:
    grid = regions.cross_join(calendar)
    grid = grid.left_join(tally, [grid.unit == tally.unit, grid.period == tally.period])
    grid = grid.select(unit=grid.unit, customers=grid.customers, period=grid.period, days=grid.days,
                       n=grid.n.coalesce(0).cast("float64"), u=grid.u.coalesce(0).cast("float64"),
                       s=grid.s.coalesce(0.0))
    before = ibis.window(group_by="unit", order_by="period", preceding=periods.baseline, following=-1)
    same = ibis.window(group_by="period")
    out = grid.mutate(base_n=grid.n.sum().over(before).coalesce(0.0),
                      base_days=grid.days.sum().over(before).coalesce(0.0), all_n=grid.n.sum().over(same),
                      all_u=grid.u.sum().over(same), all_s=grid.s.sum().over(same))
    return out.filter(out.period >= periods.first)


def risk_rows(conn: LakeConnection, query: RiskQuery, scope: Scope, config: AnalysisConfig,
              history: date | None) -> tuple[Periods, list[dict[str, Any]]]:
    periods = Periods.of(query, config.risk)
    tally = tallies(conn, query, scope, periods, config)
    regions = region_list(conn, scope, query.level, tally)
    index = list(range(periods.first - periods.baseline, periods.last + 1))
    calendar = ibis.memtable({"period": np.array(index, dtype=np.int64),
                              "days": np.array([periods.days(i, query, history) for i in index], dtype=np.float64)})
    return periods, conn.rows(indices(tally, regions, calendar, periods))


# ---------------------------------------------------------------------------------------------- assembly


def sub_indices(row: dict[str, Any], per_customers: bool, config: RiskConfig) -> dict[str, float]:
    days = float(row["days"]) or 1.0
    rate = row["n"] / days
    heat = rate * 30 * (config.per_customers / row["customers"] if per_customers else 1.0)
    base_days = float(row["base_days"])
    change = math.log((rate + 1 / 30) / (row["base_n"] / base_days + 1 / 30)) if base_days > 0 else 0.0
    m = config.prior_appeals
    share_u = row["all_u"] / row["all_n"] if row["all_n"] else 0.0
    share_s = row["all_s"] / row["all_n"] if row["all_n"] else 0.0
    urgency = (row["u"] + m * share_u) / (row["n"] + m) if row["n"] + m > 0 else 0.0
    sentiment = (row["s"] + m * share_s) / (row["n"] + m) if row["n"] + m > 0 else 0.0
    return {"heat": heat, "change": change, "urgency": urgency, "sentiment": sentiment}


def combine(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entropy weights and the min–max normalised matrix; with fewer than two region-periods nothing can
    be compared: equal weights, all zero."""
    if matrix.shape[0] < 2:
        return np.full(matrix.shape[1], 1 / matrix.shape[1]), np.zeros_like(matrix)
    try:
        weights = entropy_weights(matrix, normalisation="minmax")
    except WeightingError as exc:
        raise BadInput("data", str(exc)) from exc
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return weights, np.where(high > low, (matrix - low) / span, 0.0)


def level_of(score: float, config: RiskConfig) -> str:
    if score >= config.red:
        return "red"
    if score >= config.orange:
        return "orange"
    return "yellow" if score >= config.yellow else "none"


def explain(values: dict[str, float], z: dict[str, float], weights: dict[str, float], medians: dict[str, float],
            row: dict[str, Any], score: float, level: str, periods: Periods, config: RiskConfig,
            per_customers: bool) -> list[str]:
    unit = "每万户每30天" if per_customers else "每30天"
    period_zh = "月" if periods.kind == "month" else "周"
    texts = {
        "heat": f"热力指数 {values['heat']:.2f} ({unit}诉求数；同期中位数 {medians['heat']:.2f})",
        "change": f"业务量较前{periods.baseline}个{period_zh}日均{math.exp(values['change']) - 1:+.0%}",
        "urgency": f"紧急/升级诉求占比 {values['urgency']:.0%} (同期平均 "
                   f"{(row['all_u'] / row['all_n'] if row['all_n'] else 0):.0%})",
        "sentiment": f"负面情绪指数 {values['sentiment']:.2f} (同期平均 "
                     f"{(row['all_s'] / row['all_n'] if row['all_n'] else 0):.2f})",
    }
    strong = sorted((j for j in INDICES if z[j] >= config.reason_min), key=lambda j: -weights[j] * z[j])
    out = [texts[j] for j in strong]
    if level != "none":
        threshold = getattr(config, level)
        out.insert(0, f"综合风险 {score:.1f} ≥ {LEVEL_ZH[level][:2]}阈值 {threshold:g}")
    return out


def assemble(periods: Periods, rows: list[dict[str, Any]], query: RiskQuery, config: RiskConfig,
             names: dict[str, str]) -> RiskResult:
    per_customers = bool(rows) and all((r["customers"] or 0) > 0 for r in rows)
    values = [sub_indices(r, per_customers, config) for r in rows]
    matrix = np.array([[v[j] for j in INDICES] for v in values], dtype=float).reshape(len(rows), len(INDICES))
    weights_arr, z = combine(matrix) if rows else (np.full(4, 0.25), matrix)
    weights = dict(zip(INDICES, (float(w) for w in weights_arr), strict=True))
    scores = 100 * z @ weights_arr if rows else np.zeros(0)
    out = []
    by_period: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        by_period.setdefault(int(r["period"]), []).append(i)
    for period, members in by_period.items():
        medians = {j: float(np.median([values[i][j] for i in members])) for j in INDICES}
        ordered = sorted(members, key=lambda i: (-round(float(scores[i]), 9), rows[i]["unit"]))
        for i in ordered:
            score = round(float(scores[i]), 4)
            rank = 1 + sum(1 for k in members if round(float(scores[k]), 4) > score)
            level = level_of(score, config)
            zi = {j: round(float(z[i][k]), 6) for k, j in enumerate(INDICES)}
            out.append(RiskRow(
                unit=rows[i]["unit"], unit_name=names.get(rows[i]["unit"]), period=periods.label(period),
                appeals=int(rows[i]["n"]), customers=rows[i]["customers"], days=int(rows[i]["days"]),
                **{j: round(values[i][j], 6) for j in INDICES}, normalised=zi, score=score, level=level,
                level_label=LEVEL_ZH[level], rank=rank,
                reasons=explain(values[i], zi, weights, medians, rows[i], score, level, periods, config,
                                per_customers)))
    out.sort(key=lambda r: (r.period, r.rank, r.unit), reverse=False)
    out.sort(key=lambda r: r.period, reverse=True)
    return RiskResult(level=query.level, period=periods.kind, first=query.first, last=query.last,
                      heat_basis="per_10k_customers" if per_customers else "appeals",
                      weights={k: round(v, 6) for k, v in weights.items()},
                      thresholds={"red": config.red, "orange": config.orange, "yellow": config.yellow},
                      rows=out[:query.limit])


def risk(conn: LakeConnection, query: RiskQuery, scope: Scope, config: AnalysisConfig,
         names: dict[str, str] | None = None, history: date | None = None) -> RiskResult:
    if query.last < query.first:
        raise BadInput("to", "must not be before from")
    periods, rows = risk_rows(conn, query, scope, config, history)
    return assemble(periods, rows, query, config.risk, names or {})
