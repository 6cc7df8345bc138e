"""Sensitive customers (敏感客户): a score from how often a caller appeals, complains, threatens to escalate,
comes through government hotlines and is dissatisfied, with the reasons; and one caller's profile for intake.

Over the `lookback_days` ending on the last day, per caller (the 户号 key, else the phone key):

- frequency: appeals, plus repeat calls merged into them;
- complaints: appeals of the complaint business types;
- escalations: appeals whose text threatens to escalate (the cue words) or that were escalated;
- gov_hotline: appeals transferred by the government hotlines (12345, 12398);
- dissatisfied: appeals with a dissatisfied callback (the final verdict, or a re-handling after one).

score = 100 · Σ_c w_c · min(1, count_c / cap_c)   (weights and caps in `sensitive`, weights summing to 1)

`high` and above is 敏感 (sensitive), `watch` and above 关注 (watch). The reasons name every component that
counts, with its number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel

from gridvoice.analysis.common import AnalysisResult, Scope, any_match, appeals_for, flat
from gridvoice.analysis.config import SensitiveConfig
from gridvoice.errors import BadInput
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.privacy import Pseudonymiser, key_text

COMPONENTS = ("frequency", "complaints", "escalations", "gov_hotline", "dissatisfied")
LEVEL_ZH = {"high": "敏感客户", "watch": "关注客户", "none": "一般"}


@dataclass(frozen=True)
class SensitiveQuery:
    last: date
    level: str = "county"
    min_score: float | None = None  # default: the watch threshold
    limit: int = 200

    def first(self, config: SensitiveConfig) -> date:
        return self.last - timedelta(days=config.lookback_days - 1)


class SensitiveCustomer(BaseModel):
    rank: int
    key: str  # pseudonymous key (not reversible)
    matched_by: str  # customer | phone
    score: float
    level: str  # high | watch | none
    level_label: str
    components: dict[str, int]
    reasons: list[str]
    appeals: int
    last_at: datetime | None
    unit: str | None
    unit_name: str | None
    appeal_ids: list[int]


class SensitiveResult(AnalysisResult):
    level: str
    first: date
    last: date
    min_score: float
    customers: list[SensitiveCustomer]
    customers_total: int

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {"sensitive": [flat(c.model_dump(mode="json")) for c in self.customers]}


class SensitiveProfile(BaseModel):
    """What intake shows when a caller is on the line (from the lake as of its last refresh)."""

    found: bool
    score: float
    level: str
    level_label: str
    components: dict[str, int]
    reasons: list[str]
    appeals: int
    last_at: datetime | None
    appeal_ids: list[int]
    first: date
    last: date

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def component_flags(t: ir.Table, config: SensitiveConfig) -> dict[str, ir.BooleanValue]:
    """Per appeal: whether it counts for each component besides frequency."""
    return {
        "complaints": t.business_type.isin(list(config.complaint_types)),
        "escalations": any_match(t.content, config.escalation_cues) | (t.escalate_count.coalesce(0) > 0),
        "gov_hotline": t.channel.isin(list(config.gov_channels)),
        "dissatisfied": (t.verdict.coalesce("") == "dissatisfied") | (t.rehandle_count.coalesce(0) > 0),
    }


def component_counts(t: ir.Table, config: SensitiveConfig) -> dict[str, ir.Value]:
    """The components as aggregates of a group of appeals (filtered counts: cheap even over millions of
    callers); frequency adds the repeat calls merged into the appeals."""
    flags = component_flags(t, config)
    return {"frequency": t.count() + t.repeat_call_count.coalesce(0).cast("float64").sum().cast("int64"),
            **{name: t.count(where=flag) for name, flag in flags.items()}}


def score_expr(table: ir.Table, config: SensitiveConfig) -> ir.FloatingValue:
    parts = [config.weights[c] * ibis.least(1.0, table[c].cast("float64") / config.caps[c]) for c in COMPONENTS]
    return 100.0 * sum(parts[1:], parts[0])


def callers(table: ir.Table, config: SensitiveConfig) -> ir.Table:
    """Per caller (the 户号 key, else the phone key: a key is one or the other), numbers only — millions of
    callers: names and lists wait until the few listed ones are known."""
    ident = table.customer_key.coalesce(table.phone_key)
    t = table.filter(ident.notnull()).mutate(ident=ident)
    agg = t.group_by("ident").agg(by_customer=t.customer_key.notnull().any(), appeals=t.count(),
                                  last_at=t.received_at.max(), **component_counts(t, config))
    return agg.mutate(score=score_expr(agg, config))


def sensitive_rows(conn: LakeConnection, query: SensitiveQuery, scope: Scope,
                   config: SensitiveConfig) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """How many callers score at least the minimum; the first `limit` of them (highest score, most appeals,
    then by key), and the ids of their appeals."""
    table = appeals_for(conn, scope, query.first(config), query.last)
    scored = callers(table, config)
    minimum = config.watch if query.min_score is None else query.min_score
    kept = scored.filter(scored.score >= minimum)
    kept = kept.mutate(total=kept.ident.count().over(ibis.window()))  # the count rides along: one pass
    rows = conn.rows(kept.order_by([ibis.desc("score"), ibis.desc("appeals"), "ident"]).limit(query.limit))
    if not rows:
        return 0, [], []
    total = int(rows[0]["total"])
    idents = ibis.memtable({"ident": [int(r["ident"]) for r in rows]})
    t = table.mutate(ident=table.customer_key.coalesce(table.phone_key), unit=table[query.level])
    linked = t.semi_join(idents, "ident")
    return total, rows, conn.rows(linked.group_by("ident").agg(ids=linked.id.collect(), unit=linked.unit.max()))


def level_of(score: float, config: SensitiveConfig) -> str:
    return "high" if score >= config.high else "watch" if score >= config.watch else "none"


def reasons(counts: dict[str, int], lookback_days: int) -> list[str]:
    months = round(lookback_days / 30.44)
    period = f"近{months}个月" if months >= 1 else f"近{lookback_days}天"
    texts = {
        "frequency": f"{period}诉求 {counts['frequency']} 次",
        "complaints": f"投诉 {counts['complaints']} 次",
        "escalations": f"有越级、曝光、起诉等升级表述或已升级 {counts['escalations']} 次",
        "gov_hotline": f"经政府热线 (12345/12398) 转办 {counts['gov_hotline']} 次",
        "dissatisfied": f"回访不满意 {counts['dissatisfied']} 次",
    }
    return [texts[c] for c in COMPONENTS if counts[c] > (1 if c == "frequency" else 0)]


def assemble(total: int, rows: list[dict[str, Any]], linked: list[dict[str, Any]], query: SensitiveQuery,
             config: SensitiveConfig, names: dict[str, str]) -> SensitiveResult:
    ids = {int(r["ident"]): sorted(int(i) for i in r["ids"]) for r in linked}
    units = {int(r["ident"]): r["unit"] for r in linked}
    ordered = sorted(rows, key=lambda r: (-round(float(r["score"]), 6), -int(r["appeals"]), int(r["ident"])))
    out = []
    for i, r in enumerate(ordered[:query.limit]):
        unit = units.get(int(r["ident"]))
        counts = {c: int(r[c]) for c in COMPONENTS}
        score = round(float(r["score"]), 2)
        level = level_of(score, config)
        out.append(SensitiveCustomer(
            rank=i + 1, key=key_text(int(r["ident"])) or "", matched_by="customer" if r["by_customer"] else "phone",
            score=score, level=level, level_label=LEVEL_ZH[level], components=counts,
            reasons=reasons(counts, config.lookback_days), appeals=int(r["appeals"]), last_at=r["last_at"],
            unit=unit, unit_name=names.get(unit) if unit else None, appeal_ids=ids.get(int(r["ident"]), [])[:50]))
    minimum = config.watch if query.min_score is None else query.min_score
    return SensitiveResult(level=query.level, first=query.first(config), last=query.last, min_score=minimum,
                           customers=out, customers_total=total)


def sensitive(conn: LakeConnection, query: SensitiveQuery, scope: Scope, config: SensitiveConfig,
              names: dict[str, str] | None = None) -> SensitiveResult:
    if query.min_score is not None and not 0 <= query.min_score <= 100:
        raise BadInput("min_score", "between 0 and 100")
    total, rows, linked = sensitive_rows(conn, query, scope, config)
    return assemble(total, rows, linked, query, config, names or {})


def sensitive_profile(conn: LakeConnection, pseudonymiser: Pseudonymiser, config: SensitiveConfig,
                      customer_no: str | None = None, phone: str | None = None, last: date | None = None,
                      scope: Scope | None = None) -> SensitiveProfile:
    """The score of the caller with this 户号 and/or phone (appeals matching either), for intake."""
    keys = {"customer_key": pseudonymiser.customer(customer_no), "phone_key": pseudonymiser.phone(phone)}
    if all(v is None for v in keys.values()):
        raise BadInput("customer_no", "give a customer number (户号) or a phone number")
    last = last or date.today()
    first = last - timedelta(days=config.lookback_days - 1)
    table = appeals_for(conn, scope or Scope.whole(), first, last)
    conditions = [table[column] == value for column, value in keys.items() if value is not None]
    mine = table.filter(conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1])
    agg = mine.aggregate(appeals=mine.count(), last_at=mine.received_at.max(), ids=mine.id.collect(),
                         **component_counts(mine, config))
    row = conn.rows(agg)[0]
    counts = {c: int(row[c] or 0) for c in COMPONENTS}
    score = round(100 * sum(config.weights[c] * min(1.0, counts[c] / config.caps[c]) for c in COMPONENTS), 2)
    level = level_of(score, config)
    return SensitiveProfile(found=int(row["appeals"] or 0) > 0, score=score, level=level,
                            level_label=LEVEL_ZH[level], components=counts,
                            reasons=reasons(counts, config.lookback_days), appeals=int(row["appeals"] or 0),
                            last_at=row["last_at"], appeal_ids=sorted(int(i) for i in (row["ids"] or []))[-50:],
                            first=first, last=last)
