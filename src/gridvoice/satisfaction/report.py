"""The satisfaction report of a unit and period (满意度分析报告): HTML from a Jinja2 template with charts drawn by
matplotlib as inline SVG, and PDF from the same HTML by WeasyPrint.

Contents: callback coverage and satisfaction of the unit's appeals received in the period, with the twelve-month
trend and the sub-units; the top dissatisfaction reasons; the CSI per construct (0–100) with bootstrap intervals
and the importance–performance map when a stored survey covers the unit and period; a note when data are
synthetic. Chinese text in charts uses the Noto CJK font found by matplotlib; without one, the charts fall back
to construct codes (ASCII) so that nothing is drawn as empty boxes.
"""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import matplotlib
from jinja2 import Environment, FileSystemLoader, select_autoescape
from matplotlib import font_manager
from matplotlib.figure import Figure

from gridvoice.appeals.schemas import AppealFilters
from gridvoice.auth.service import Actor, require
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.roles import Permission
from gridvoice.errors import BadInput, NotFound
from gridvoice.satisfaction.callbacks import ITEM_LABELS_ZH
from gridvoice.satisfaction.periods import Period, parse_period, trailing_months
from gridvoice.satisfaction.schemas import CallbackGroup, CallbackReport, CsiResult, CsiSummary, SurveyManifest
from gridvoice.satisfaction.service import DEFAULT_RESAMPLES, SatisfactionService

log = logging.getLogger("gridvoice.satisfaction")

TEMPLATES = Path(__file__).parent / "templates"
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei")
QUADRANT_COLOR = {"improve": "#c62828", "keep_up": "#2e7d32", "low_priority": "#9e9e9e",
                  "possible_overkill": "#1565c0"}
QUADRANT_ZH = {"improve": "优先改进", "keep_up": "继续保持", "low_priority": "次要", "possible_overkill": "可能过度"}
Format = Literal["html", "pdf"]


@dataclass
class ReportData:
    unit: str
    unit_name: str
    period: Period
    generated_at: datetime
    generated_by: str
    callbacks: CallbackReport
    trend: CallbackReport
    breakdown: list[CallbackGroup]
    breakdown_level: str
    survey: SurveyManifest | None = None
    csi: CsiSummary | None = None
    csi_note: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    item_texts: dict[str, str] = field(default_factory=dict)
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return self.callbacks.synthetic or bool(self.survey and self.survey.synthetic)


def build_report(service: SatisfactionService, actor: Actor, unit: str, period: str, survey_id: str | None = None,
                 resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> ReportData:
    """Gather the figures of the report (the same services as the API and the console)."""
    require(actor, Permission.READ_SATISFACTION)
    org = service.rt.org()
    if unit not in org:
        raise BadInput("unit", f"unknown unit {unit!r}")
    if actor.org_code is not None and unit != actor.org_code and not org.is_within(unit, actor.org_code):
        raise NotFound(f"unit {unit} not found")  # outside the territory: not disclosed, as appeals
    span = parse_period(period)
    level, child = _children(org.units[unit].level)
    filters = AppealFilters(org_unit=unit, received_from=span.start_utc, received_to=span.end_utc)
    callbacks = service.callbacks(filters, actor, child)
    months = trailing_months(span)
    trend = service.callbacks(AppealFilters(org_unit=unit, received_from=months[0].start_utc,
                                            received_to=span.end_utc), actor, "period")
    data = ReportData(unit, org.units[unit].name, span, datetime.now(UTC), actor.username, callbacks, trend,
                      callbacks.groups, level)
    _add_survey(service, actor, data, survey_id, resamples, seed)
    data.charts = charts(data)
    return data


def _children(level: str) -> tuple[str, Any]:
    return {"city": ("县公司", "unit"), "county": ("供电所", "station")}.get(level, ("", None))


def _add_survey(service: SatisfactionService, actor: Actor, data: ReportData, survey_id: str | None,
                resamples: int, seed: int) -> None:
    candidates = [m for m in service.surveys(actor) if survey_id is None or m.id == survey_id]
    if survey_id is not None and not candidates:
        raise NotFound(f"survey {survey_id} not found")
    covering = [m for m in candidates if any(parse_period(p).overlaps(data.period) for p in m.periods)]
    if not covering:
        data.csi_note = "没有覆盖本单位和本期的满意度调查。"
        return
    reasons = []
    for manifest in covering:  # the latest survey whose answers suffice
        result: CsiResult = service.csi(actor, manifest.id, None, data.unit, data.period.label, resamples, seed)
        if result.overall is not None:
            data.survey, data.csi = manifest, result.overall
            data.labels, data.item_texts = result.labels, manifest.instrument.get("items", {})
            return
        reasons.append(f"{manifest.id}: {result.skipped.get('(overall)', '')}")
    data.csi_note = "调查答卷不足以估计模型：" + "；".join(reasons)


# ------------------------------------------------------------------------------------------------ charts


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first CJK family matplotlib knows (Noto CJK is what the product installs)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    found = sorted(n for n in names if "CJK" in n)
    if not found:
        log.warning("no CJK font found: report charts use construct codes instead of Chinese labels")
    return found[0] if found else None


def _svg(fig: Figure, name: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # inline: no XML declaration or doctype inside HTML
    # matplotlib numbers the elements of every figure alike (figure_1, patch_1, …): ids must be unique in a page
    return re.sub(r'(id="|url\(#|href="#)', rf"\g<1>{name}-", text)


def _context() -> Any:
    family = cjk_font()
    # text stays text in the SVG (selectable, and found in the PDF's fonts) when the family exists
    return matplotlib.rc_context({"svg.fonttype": "none" if family else "path",
                                  "font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"],
                                  "axes.unicode_minus": False, "font.size": 9})


def charts(data: ReportData) -> dict[str, str]:
    out = {"trend": _trend_chart(data.trend)}
    if data.csi is not None:
        out["csi"] = _csi_chart(data.csi, data.labels)
        if data.csi.ipma and data.csi.ipma.get("constructs"):
            out["ipma"] = _ipma_chart(data.csi.ipma, data.labels)
    return out


def _label(code: str, labels: dict[str, str]) -> str:
    return labels.get(code, code) if cjk_font() else code


def _trend_chart(trend: CallbackReport) -> str:
    keys = [g.key or "" for g in trend.groups]
    with _context():
        fig = Figure(figsize=(7.2, 2.8))
        ax = fig.subplots()
        positions = list(range(len(keys)))
        drawn: list[float] = []
        for attr, name, color in (("satisfaction_rate", "满意率", "#1565c0"), ("coverage", "回访率", "#2e7d32")):
            values = [v * 100 if (v := getattr(g, attr)) is not None else math.nan for g in trend.groups]
            drawn += [v for v in values if not math.isnan(v)]
            ax.plot(positions, values, marker="o", color=color, label=name if cjk_font() else attr)
        ax.set_xticks(positions, keys)
        # rates of 90–100 % drawn from 0 would be two flat lines: start the axis a step below the lowest
        ax.set_ylim(max(0.0, (min(drawn) - 5) // 10 * 10) if drawn else 0.0, 102)
        ax.set_ylabel("%")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="lower left", frameon=False, ncols=2)
        ax.tick_params(axis="x", labelrotation=45)
        return _svg(fig, "trend")


def _csi_chart(csi: CsiSummary, labels: dict[str, str]) -> str:
    names = [n for n, v in csi.index.items() if v is not None]
    values = [csi.index[n] or 0.0 for n in names]
    with _context():
        fig = Figure(figsize=(7.2, 2.8))
        ax = fig.subplots()
        errors = None
        if csi.index_ci:
            low = [max(0.0, v - (csi.index_ci[n].low if csi.index_ci[n].low is not None else v))
                   for n, v in zip(names, values, strict=True)]
            high = [max(0.0, (csi.index_ci[n].high if csi.index_ci[n].high is not None else v) - v)
                    for n, v in zip(names, values, strict=True)]
            errors = [low, high]
        ax.bar([_label(n, labels) for n in names], values, yerr=errors, capsize=3, color="#90caf9")
        for x, v in enumerate(values):
            ax.text(x, v + 2, f"{v:.1f}", ha="center", va="bottom", fontsize=8)
        ax.set_ylim(0, 105)
        ax.set_ylabel("0–100")
        ax.tick_params(axis="x", labelrotation=30)
        return _svg(fig, "csi")


def _ipma_chart(ipma: dict[str, Any], labels: dict[str, str]) -> str:
    rows = ipma["constructs"]
    with _context():
        fig = Figure(figsize=(6.4, 4.0))
        ax = fig.subplots()
        for r in rows:
            ax.scatter(r["importance"], r["performance"], s=40, color=QUADRANT_COLOR[r["quadrant"]])
            ax.annotate(_label(r["name"], labels), (r["importance"], r["performance"]), textcoords="offset points",
                        xytext=(5, 4), fontsize=8)
        importance = [r["importance"] for r in rows]
        performance = [r["performance"] for r in rows]
        ax.axvline(sum(importance) / len(importance), color="#bbbbbb", linestyle="--", linewidth=0.8)
        ax.axhline(sum(performance) / len(performance), color="#bbbbbb", linestyle="--", linewidth=0.8)
        target = _label(ipma["target"], labels)
        ax.set_xlabel(f"重要性（对{target}的总效应）" if cjk_font() else f"importance (total effect on {target})")
        ax.set_ylabel("表现 (0–100)" if cjk_font() else "performance (0-100)")
        ax.grid(alpha=0.2)
        return _svg(fig, "ipma")


# ------------------------------------------------------------------------------------------------ output


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v, digits=1: "—" if v is None else f"{v * 100:.{digits}f}%"
    env.filters["num"] = lambda v, digits=1: "—" if v is None else f"{v:,.{digits}f}"
    env.filters["local"] = lambda v: v.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    return env


def render_html(data: ReportData) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(r=data, items=ITEM_LABELS_ZH, quadrant_zh=QUADRANT_ZH, font=cjk_font() or "sans-serif")


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # WeasyPrint's CSS parser reports every SVG presentation style of the charts (fill, stroke, …) as an unknown
    # CSS property while its SVG renderer uses them: hundreds of warnings per report that say nothing
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    finally:
        quiet.setLevel(level)


def render(data: ReportData, fmt: Format) -> bytes:
    if fmt not in ("html", "pdf"):
        raise BadInput("format", f"unknown report format {fmt!r}; use html or pdf")
    html = render_html(data)
    return html.encode("utf-8") if fmt == "html" else render_pdf(html)


def file_name(data: ReportData, fmt: Format) -> str:
    return f"satisfaction-{data.unit}-{data.period.label}.{fmt}"
