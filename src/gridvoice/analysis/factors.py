"""Factor analysis (满意度影响因素): the share and trend of appeals by seed factor and topic per unit and month,
and the appeals attributed to named staff and outlets (the staff-quality factor).

Shares: appeals of each (factor, topic) over all appeals of the unit in the month; rows with unit `*` cover
the whole territory in scope. Trends: for each unit and factor, the least-squares slope of the monthly factor
share against the month (months in which the unit had appeals), in percentage points per month, with the
two-sided p-value of its t statistic (n − 2 degrees of freedom); rising / falling below `trend_alpha`.

Attributions (from the text and the handler):
- outlet: a station's or county's name from the org tree written in the text (e.g. "…到东坪城区供电所营业厅");
- staff_name: a surname before 师傅 ("王师傅"), or after 姓 ("姓王的工作人员" → "王(姓)");
- staff_id: the number after 工号;
- handler: the user who last received, attended or resolved the appeal.
Each with its appeals, those on the staff topics, complaints, dissatisfied callbacks and praise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel
from scipy.stats import t as student_t

from gridvoice.analysis.common import ALL, AnalysisResult, Scope, alternation, appeals_for, flat, scoped_units
from gridvoice.analysis.config import AnalysisConfig, FactorConfig
from gridvoice.domain.taxonomy import Factor, label_zh
from gridvoice.errors import BadInput
from gridvoice.lake.connect import LakeConnection

KIND_ZH = {"outlet": "营业厅/供电所", "staff_name": "员工姓名", "staff_id": "工号", "handler": "处理人"}
STAFF_ID = r"工号[:：为是]?\s*([0-9A-Za-z]{3,12})"


@dataclass(frozen=True)
class FactorQuery:
    first: date
    last: date
    level: str = "county"
    limit: int = 500


class FactorShare(BaseModel):
    unit: str
    unit_name: str | None
    month: str
    factor: str
    factor_label: str
    topic: str
    topic_label: str
    appeals: int
    share: float  # of the unit's appeals that month


class FactorTrend(BaseModel):
    unit: str
    unit_name: str | None
    factor: str
    factor_label: str
    months: int
    mean_share: float
    slope_pp_per_month: float | None
    p_value: float | None
    direction: str  # rising | falling | flat | unknown


class Attribution(BaseModel):
    kind: str  # outlet | staff_name | staff_id | handler
    kind_label: str
    name: str
    unit: str | None
    unit_name: str | None
    appeals: int
    staff_topics: int
    complaints: int
    dissatisfied: int
    praise: int
    appeal_ids: list[int]


class FactorResult(AnalysisResult):
    level: str
    first: date
    last: date
    shares: list[FactorShare]
    trends: list[FactorTrend]
    attributions: list[Attribution]
    attributions_total: int

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {"shares": [flat(s.model_dump(mode="json")) for s in self.shares],
                "trends": [flat(t.model_dump(mode="json")) for t in self.trends],
                "attributions": [flat(a.model_dump(mode="json")) for a in self.attributions]}


def month_expr(t: ir.Table) -> ir.IntegerValue:
    return (t.received_date.year() * 12 + t.received_date.month() - 1).cast("int64")


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def base(conn: LakeConnection, query: FactorQuery, scope: Scope) -> ir.Table:
    t = appeals_for(conn, scope, query.first, query.last)
    return t.mutate(unit=t[query.level], month=month_expr(t))


def share_rows(t: ir.Table) -> ir.Table:
    placed = t.filter(t.unit.notnull())
    by_unit = placed.group_by(["unit", "month", "factor", "topic"]).agg(n=placed.count())
    everywhere = t.group_by(["month", "factor", "topic"]).agg(n=t.count()).mutate(unit=ibis.literal(ALL))
    rows = by_unit.union(everywhere.select("unit", "month", "factor", "topic", "n"))
    return rows.mutate(total=rows.n.sum().over(ibis.window(group_by=["unit", "month"])))


def trend_rows(t: ir.Table) -> ir.Table:
    """Per unit and factor: months, mean share and the least-squares slope of the share on the month."""
    t = t.filter(t.unit.notnull())
    unit_months = t.group_by(["unit", "month"]).agg(total=t.count())
    factors = ibis.memtable({"factor": [f.value for f in Factor]})
    counted = t.group_by(["unit", "month", "factor"]).agg(n=t.count())
    grid = unit_months.cross_join(factors)
    grid = grid.left_join(counted, ["unit", "month", "factor"])
    grid = grid.select(unit=grid.unit, month=grid.month.cast("float64"), factor=grid.factor,
                       share=grid.n.coalesce(0).cast("float64") / grid.total.cast("float64"))
    return grid.group_by(["unit", "factor"]).agg(
        months=grid.count(), mean_share=grid.share.mean(), cov=grid.share.cov(grid.month, how="sample"),
        var=grid.month.var(how="sample"), share_var=grid.share.var(how="sample"))


def attribution_rows(t: ir.Table, outlets: dict[str, str], config: AnalysisConfig) -> ir.Table:
    """(kind, name, unit) with counts. One pass over the appeals: each gets the list of the names found in
    its text (and its handler), unnested into one row per name."""
    surnames = f"[{config.surnames}]"
    text = t.content.coalesce("")
    found = [
        ("staff_name", _extract(text, f"{surnames}师傅", ["师傅"], 0)),
        ("staff_name", _extract(text, f"姓({surnames})", ["姓"], 1).concat("(姓)")),
        ("staff_id", _extract(text, STAFF_ID, ["工号"], 1)),
        ("handler", t.handler.coalesce("")),
    ]
    if outlets:
        found.append(("outlet", _extract(text, alternation(outlets), sorted({n[-2:] for n in outlets}), 0)))
    names = ibis.array([ibis.struct({"kind": ibis.literal(kind), "name": name}) for kind, name in found])
    names = names.filter(lambda item: (item["name"].length() > 0) & (item["name"] != "(姓)"))
    rows = t.select(
        unit=t.unit, id=t.id, staff=t.topic.isin(list(config.factors.staff_topics)),
        complaint=t.business_type == "COMPLAINT",
        dissatisfied=(t.verdict.coalesce("") == "dissatisfied") | (t.rehandle_count.coalesce(0) > 0),
        praise=t.business_type == "PRAISE", item=names.unnest())
    rows = rows.mutate(kind=rows.item["kind"], name=rows.item["name"])
    newest = (-rows.id).collect().sort()[:config.factors.max_linked_appeals]  # the newest ids, negated
    return rows.group_by(["kind", "name", "unit"]).agg(
        appeals=rows.count(), staff_topics=rows.count(where=rows.staff), complaints=rows.count(where=rows.complaint),
        dissatisfied=rows.count(where=rows.dissatisfied), praise=rows.count(where=rows.praise), ids=newest)


def _extract(text: ir.StringValue, pattern: str, marks: list[str], group: int) -> ir.StringValue:
    """The pattern's match (group 0) or first group, looked for only in texts containing one of the marks (a
    plain substring test is far cheaper than a regular expression, and most texts name nobody)."""
    present = ibis.or_(*(text.contains(m) for m in marks))
    return ibis.ifelse(present, text.re_extract(pattern, group), "")


def outlet_names(conn: LakeConnection, scope: Scope) -> dict[str, str]:
    """Names of the stations and counties in scope -> their codes (the longest name wins a match)."""
    names: dict[str, str] = {}
    for level in ("county", "station"):
        for row in conn.rows(scoped_units(conn.units(), scope, level).select("code", "name")):
            if row["name"] and len(row["name"]) >= 3:
                names[row["name"]] = row["code"]
    return names


def factor_rows(conn: LakeConnection, query: FactorQuery, scope: Scope,
                config: AnalysisConfig) -> dict[str, list[dict[str, Any]]]:
    t = base(conn, query, scope)
    outlets = outlet_names(conn, scope)
    return {"shares": conn.rows(share_rows(t)), "trends": conn.rows(trend_rows(t)),
            "attributions": conn.rows(attribution_rows(t, outlets, config)), "outlets": [outlets]}


def trend_of(row: dict[str, Any], config: FactorConfig) -> tuple[float | None, float | None, str]:
    n = int(row["months"])
    var = row["var"]
    if n < 3 or not var:
        return None, None, "unknown"
    slope = float(row["cov"]) / float(var)
    share_var = float(row["share_var"] or 0.0)
    if share_var <= 0:
        return slope * 100, None, "flat"
    r = max(-1.0, min(1.0, float(row["cov"]) / math.sqrt(float(var) * share_var)))
    if abs(r) >= 1:
        p = 0.0
    else:
        stat = r * math.sqrt((n - 2) / (1 - r * r))
        p = float(2 * student_t.sf(abs(stat), n - 2))
    direction = ("rising" if slope > 0 else "falling") if p < config.trend_alpha and slope != 0 else "flat"
    return slope * 100, p, direction


def assemble(data: dict[str, list[dict[str, Any]]], query: FactorQuery, config: AnalysisConfig,
             names: dict[str, str]) -> FactorResult:
    unit_name = {**names, ALL: "全部"}
    shares = sorted(data["shares"], key=lambda r: (r["unit"] != ALL, r["unit"], r["month"], -r["n"], r["topic"]))
    share_out = [FactorShare(unit=r["unit"], unit_name=unit_name.get(r["unit"]), month=month_label(int(r["month"])),
                             factor=r["factor"], factor_label=label_zh(r["factor"]), topic=r["topic"],
                             topic_label=label_zh(r["topic"]), appeals=int(r["n"]),
                             share=round(int(r["n"]) / int(r["total"]), 6)) for r in shares]
    trend_out = []
    for r in sorted(data["trends"], key=lambda r: (r["unit"], r["factor"])):
        slope, p, direction = trend_of(r, config.factors)
        trend_out.append(FactorTrend(
            unit=r["unit"], unit_name=unit_name.get(r["unit"]), factor=r["factor"],
            factor_label=label_zh(r["factor"]), months=int(r["months"]),
            mean_share=round(float(r["mean_share"]), 6),
            slope_pp_per_month=None if slope is None else round(slope, 4),
            p_value=None if p is None else float(f"{p:.6g}"), direction=direction))
    attributions = sorted(data["attributions"], key=lambda r: (-int(r["staff_topics"]), -int(r["complaints"]),
                                                              -int(r["appeals"]), r["kind"], r["name"],
                                                              r["unit"] or ""))
    outlets = data["outlets"][0] if data.get("outlets") else {}
    attribution_out = [Attribution(
        kind=r["kind"], kind_label=KIND_ZH[r["kind"]],
        name=f"{r['name']} ({outlets[r['name']]})" if r["kind"] == "outlet" and r["name"] in outlets else r["name"],
        unit=r["unit"], unit_name=names.get(r["unit"]) if r["unit"] else None,
        appeals=int(r["appeals"]), staff_topics=int(r["staff_topics"]), complaints=int(r["complaints"]),
        dissatisfied=int(r["dissatisfied"]), praise=int(r["praise"]),
        appeal_ids=sorted(-int(i) for i in r["ids"]))
        for r in attributions[:query.limit]]
    return FactorResult(level=query.level, first=query.first, last=query.last, shares=share_out, trends=trend_out,
                        attributions=attribution_out, attributions_total=len(attributions))


def factors(conn: LakeConnection, query: FactorQuery, scope: Scope, config: AnalysisConfig,
            names: dict[str, str] | None = None) -> FactorResult:
    if query.last < query.first:
        raise BadInput("to", "must not be before from")
    return assemble(factor_rows(conn, query, scope, config), query, config, names or {})
