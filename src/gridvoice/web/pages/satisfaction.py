"""满意度: callback satisfaction of a unit and period (by sub-unit, twelve-month trend, verdicts and reasons, the
dissatisfied appeals under re-handling), the CSI and importance–performance map of a survey, survey import and
the unit report (HTML / PDF). The numbers are those of `gridvoice satisfaction callbacks|csi|report`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.responses import Response
from nicegui import events, ui

from gridvoice.appeals.schemas import AppealFilters
from gridvoice.domain.roles import Permission
from gridvoice.errors import BadInput
from gridvoice.satisfaction.callbacks import ITEM_LABELS_ZH
from gridvoice.satisfaction.periods import parse_period, trailing_months
from gridvoice.satisfaction.report import build_report, file_name, render
from gridvoice.satisfaction.schemas import CallbackReport, CsiResult, CsiSummary, ImportResult
from gridvoice.satisfaction.service import SatisfactionService
from gridvoice.satisfaction.surveys import ImportRequest
from gridvoice.web.i18n import Texts
from gridvoice.web.layout import appeal_table, attempt, frame
from gridvoice.web.queries import org_options
from gridvoice.web.session import PageContext, console_page, io

CHILD_LEVEL = {"city": "unit", "county": "station"}
REPORT_MEDIA = {"html": "text/html", "pdf": "application/pdf"}
QUADRANT_COLOR = {"improve": "#c62828", "keep_up": "#2e7d32", "low_priority": "#9e9e9e",
                  "possible_overkill": "#1565c0"}
PROBLEMS_SHOWN = 200


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def current_quarter() -> str:
    now = datetime.now(UTC)
    return f"{now.year}-Q{(now.month - 1) // 3 + 1}"


class SatisfactionView:
    def __init__(self, ctx: PageContext, unit: str | None, period: str | None) -> None:
        self.ctx, self.t = ctx, ctx.texts
        runtime = ctx.console.runtime
        self.service = SatisfactionService(runtime, ctx.console.appeals)
        self.csi_runs = 0
        t = self.t
        units = org_options(runtime, ctx.actor.org_code)
        start = unit if unit in units else ctx.actor.org_code or runtime.org().root
        with ui.row().classes("items-end gap-4 px-4 pt-4"):
            ui.label(t("满意度")).classes("text-h5")
            self.unit = ui.select(units, label=t("单位"), value=start, with_input=True).classes("min-w-64").mark(
                "unit")
            self.period = ui.input(t("统计期"), value=period or current_quarter()).props("clearable").classes(
                "w-48").mark("period").tooltip(t("如 2026、2026-H1、2026-Q3、2026-07"))
            ui.button(t("查询"), icon="search", on_click=self.load).props("color=primary").mark("search")
        with ui.tabs().classes("w-full") as tabs:
            callbacks_tab = ui.tab(t("回访满意度")).mark("tab-callbacks")
            csi_tab = ui.tab(t("满意度指数")).mark("tab-csi")
            import_tab = ui.tab(t("问卷导入")).mark("tab-import") if ctx.may(Permission.MANAGE_SURVEYS) else None
            report_tab = ui.tab(t("报告")).mark("tab-report")
        with ui.tab_panels(tabs, value=callbacks_tab).classes("w-full"):
            with ui.tab_panel(callbacks_tab):
                self.callbacks = ui.column().classes("w-full gap-4")
            with ui.tab_panel(csi_tab):
                self.survey = ui.select({}, label=t("调查"), on_change=self.show_csi).classes("min-w-64").mark(
                    "survey")
                self.csi = ui.column().classes("w-full gap-4")
            if import_tab is not None:
                with ui.tab_panel(import_tab):
                    SurveyImport(ctx, self.service, self.surveys_changed)
            with ui.tab_panel(report_tab):
                self._report_buttons()

    # ------------------------------------------------------------------------------------------ loading

    def filters(self) -> tuple[str | None, str]:
        period = (self.period.value or "").strip()
        return self.unit.value, parse_period(period or current_quarter()).label

    async def load(self) -> None:
        await self.show_callbacks()
        await self.surveys_changed()

    async def show_callbacks(self) -> None:
        async def work() -> None:
            unit, period = self.filters()
            report, trend, rehandling = await io(_callbacks, self.ctx, self.service, unit, period)
            self.callbacks.clear()
            with self.callbacks:
                CallbackBoard(self.t, report, trend, rehandling)
        await attempt(self.t, work)

    async def surveys_changed(self) -> None:
        async def work() -> None:
            surveys = await io(self.service.surveys, self.ctx.actor)
            options = {m.id: f"{m.title} ({m.id})" for m in surveys}
            self.survey.set_options(options, value=self.survey.value if self.survey.value in options
                                    else next(iter(options), None))
        await attempt(self.t, work)
        await self.show_csi()

    async def show_csi(self) -> None:
        # a new survey list changes the selection, whose handler shows the CSI too: only the latest run draws
        self.csi_runs += 1
        run = self.csi_runs

        async def work() -> None:
            survey = self.survey.value
            unit, period = self.filters()
            result = await io(self.service.csi, self.ctx.actor, survey, _child(self.ctx, unit), unit,
                              period) if survey else None
            if run != self.csi_runs:
                return
            self.csi.clear()
            with self.csi:
                if result is None:
                    ui.label(self.t("还没有满意度调查：请在“问卷导入”中上传答卷。")).mark("no-survey")
                else:
                    CsiBoard(self.t, result)
        await attempt(self.t, work)

    # ------------------------------------------------------------------------------------------ report

    def _report_buttons(self) -> None:
        t = self.t
        ui.label(t("所选单位和统计期的满意度分析报告：回访满意度及趋势、不满意原因、满意度指数（含置信区间）与改进重点。"))
        with ui.row().classes("gap-2"):
            for fmt, label in (("html", "下载 HTML 报告"), ("pdf", "下载 PDF 报告")):
                ui.button(t(label), icon="download", on_click=lambda f=fmt: self.download(f)).props(
                    "outline").mark(f"report-{fmt}")

    async def download(self, fmt: str) -> None:
        async def work() -> None:
            unit, period = self.filters()
            if unit is None:
                raise BadInput("unit", self.t("请选择单位"))
            content, name = await io(_report, self.ctx, self.service, unit, period, fmt)
            ui.download.content(content, name, REPORT_MEDIA[fmt])
        await attempt(self.t, work)


def _child(ctx: PageContext, unit: str | None) -> str | None:
    units = ctx.console.runtime.org().units
    return "unit" if unit is None or unit not in units or units[unit].level == "city" else None


def _callbacks(ctx: PageContext, service: SatisfactionService, unit: str | None, period: str) -> tuple[Any, ...]:
    span = parse_period(period)
    level = ctx.console.runtime.org().units[unit].level if unit else "city"
    report = service.callbacks(AppealFilters(org_unit=unit, received_from=span.start_utc, received_to=span.end_utc),
                               ctx.actor, CHILD_LEVEL.get(level))  # type: ignore[arg-type]
    months = trailing_months(span)
    trend = service.callbacks(AppealFilters(org_unit=unit, received_from=months[0].start_utc,
                                            received_to=span.end_utc), ctx.actor, "period")
    return report, trend, service.rehandling(AppealFilters(org_unit=unit), ctx.actor)


def _report(ctx: PageContext, service: SatisfactionService, unit: str, period: str, fmt: str) -> tuple[bytes, str]:
    data = build_report(service, ctx.actor, unit, period)
    return render(data, fmt), file_name(data, fmt)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ callbacks


class CallbackBoard:
    def __init__(self, t: Texts, report: CallbackReport, trend: CallbackReport, rehandling: list[Any]) -> None:
        self.t = t
        o = report.overall
        with ui.row().classes("gap-4").mark("callback-figures"):
            for label, value, marker in (("回访率", _pct(o.coverage), "coverage"),
                                         ("满意率", _pct(o.satisfaction_rate), "satisfaction"),
                                         ("十分满意率", _pct(o.strict_satisfaction_rate), "strict"),
                                         ("不满意", f"{o.dissatisfied:,}", "dissatisfied"),
                                         ("回访次数", f"{o.callbacks:,}", "callbacks")):
                with ui.card().classes("items-center min-w-32").mark(f"figure-{marker}"):
                    ui.label(value).classes("text-h4 text-primary")
                    ui.label(t(label)).classes("text-caption")
        ui.label(t("应回访 {d} 件，已回访 {c} 件，超期未回访 {m} 件，待回访 {a} 件。").format(
            d=o.due, c=o.called_back, m=o.missed, a=o.awaiting)).classes("text-caption text-grey-7")
        self._trend(trend)
        if report.groups:
            self._groups(report)
        with ui.grid(columns=2).classes("w-full gap-4"):
            self._reasons(report)
            self._scores(report)
        with ui.card().classes("w-full").mark("rehandling-card"):
            ui.label(t("不满意重新处理中的工单（督办）")).classes("text-h6")
            if rehandling:
                appeal_table(t, rehandling, marker="rehandling")
            else:
                ui.label(t("没有不满意后重新处理中的工单。")).classes("text-positive")

    def _trend(self, trend: CallbackReport) -> None:
        t = self.t
        months = [g.key or "" for g in trend.groups]
        series = [{"name": t(name), "type": "line", "smooth": False,
                   "data": [round(v * 100, 1) if (v := getattr(g, attr)) is not None else None for g in trend.groups]}
                  for attr, name in (("satisfaction_rate", "满意率"), ("coverage", "回访率"))]
        values = [v for s in series for v in s["data"] if v is not None]
        # rates of 90–100 % drawn from 0 would be two flat lines: start the axis a step below the lowest
        floor = max(0, int((min(values) - 5) // 10 * 10)) if values else 0
        with ui.card().classes("w-full"):
            ui.label(t("近十二个月回访满意率与回访率")).classes("text-h6")
            ui.echart({"tooltip": {"trigger": "axis"}, "legend": {"data": [s["name"] for s in series]},
                       "xAxis": {"type": "category", "data": months},
                       "yAxis": {"type": "value", "min": floor, "max": 100, "axisLabel": {"formatter": "{value}%"}},
                       "series": series}).classes("w-full").mark("trend-chart")

    def _groups(self, report: CallbackReport) -> None:
        t = self.t
        heads = (("name", "单位"), ("appeals", "受理工单"), ("due", "应回访"), ("coverage", "回访率"),
                 ("callbacks", "回访次数"), ("satisfaction", "满意率"), ("strict", "十分满意率"),
                 ("dissatisfied", "不满意"), ("rehandling", "重办中"))
        rows = [{"key": g.key or "", "name": g.name, "appeals": g.appeals, "due": g.due, "coverage": _pct(g.coverage),
                 "callbacks": g.callbacks, "satisfaction": _pct(g.satisfaction_rate),
                 "strict": _pct(g.strict_satisfaction_rate), "dissatisfied": g.dissatisfied,
                 "rehandling": g.rehandling} for g in report.groups]
        with ui.card().classes("w-full"):
            ui.label(t("分单位回访满意度")).classes("text-h6")
            ui.table(columns=[{"name": n, "label": t(h), "field": n, "align": "left" if n == "name" else "right"}
                              for n, h in heads], rows=rows, row_key="key").props("dense flat bordered").classes(
                "w-full").mark("unit-table")

    def _reasons(self, report: CallbackReport) -> None:
        t = self.t
        with ui.card().classes("w-full").mark("reasons-card"):
            ui.label(t("不满意原因")).classes("text-h6")
            if not report.reasons:
                ui.label(t("本期没有不满意回访。")).classes("text-positive")
                return
            rows = [{"reason": r.reason or t("（未填写原因）"), "count": r.count, "share": _pct(r.share)}
                    for r in report.reasons]
            columns = [{"name": "reason", "label": t("原因"), "field": "reason", "align": "left"},
                       {"name": "count", "label": t("次数"), "field": "count"},
                       {"name": "share", "label": t("占不满意"), "field": "share"}]
            ui.table(columns=columns, rows=rows, row_key="reason").props("dense flat").classes("w-full").mark(
                "reasons")

    def _scores(self, report: CallbackReport) -> None:
        t, o = self.t, report.overall
        with ui.card().classes("w-full").mark("scores-card"):
            ui.label(t("回访评分（1–10）")).classes("text-h6")
            verdicts = ((t.verdict("satisfied"), o.satisfied),
                        (t.verdict("basically_satisfied"), o.basically_satisfied),
                        (t.verdict("dissatisfied"), o.dissatisfied))
            ui.label(t("、").join(f"{name} {count:,}" for name, count in verdicts)).mark("verdicts")
            for item, label in ITEM_LABELS_ZH.items():
                ui.label(t("{item}：平均 {mean} 分（{n} 次评分）").format(
                    item=t(label), mean=_num(o.scores[item]), n=o.scored[item]))


# ------------------------------------------------------------------------------------------------ CSI


class CsiBoard:
    def __init__(self, t: Texts, result: CsiResult) -> None:
        self.t, self.result = t, result
        if result.synthetic:
            ui.label(t("此调查为合成数据（演示用）。")).classes("text-caption text-warning")
        summary = result.overall
        if summary is None:
            reason = result.skipped.get("(overall)", "")
            ui.label(t("所选单位和统计期的答卷不足以估计模型：") + reason).classes("text-warning").mark("csi-skipped")
        else:
            counted = t("有效答卷 {n} 份（已剔除直线作答 {s} 份）").format(n=summary.n,
                                                                       s=result.excluded_straight_lining)
            ui.label(counted).classes("text-caption text-grey-7").mark("csi-n")
            with ui.grid(columns=2).classes("w-full gap-4"):
                self._table(summary)
                self._ipma(summary)
        if result.groups:
            self._groups()

    def _label(self, code: str) -> str:
        return code if self.t.en else self.result.labels.get(code, code)

    def _table(self, summary: CsiSummary) -> None:
        t = self.t
        rows = [{"code": c, "construct": self._label(c), "index": _num(v), "r2": _num(summary.r_squared.get(c), 3)}
                for c, v in summary.index.items()]
        columns = [{"name": "construct", "label": t("构念"), "field": "construct", "align": "left"},
                   {"name": "index", "label": t("指数 (0–100)"), "field": "index"},
                   {"name": "r2", "label": "R²", "field": "r2"}]
        with ui.card().classes("w-full"):
            ui.label(t("满意度指数")).classes("text-h6")
            ui.table(columns=columns, rows=rows, row_key="code").props("dense flat").classes("w-full").mark(
                "csi-table")

    def _ipma(self, summary: CsiSummary) -> None:
        t, ipma = self.t, summary.ipma or {}
        with ui.card().classes("w-full"):
            ui.label(t("重要性—表现分析（IPMA）")).classes("text-h6")
            rows = ipma.get("constructs") or []
            if not rows:
                ui.label(ipma.get("error") or t("没有可分析的驱动因素。"))
                return
            data = [{"name": self._label(r["name"]), "value": [round(r["importance"], 4), round(r["performance"], 2)],
                     "itemStyle": {"color": QUADRANT_COLOR[r["quadrant"]]}} for r in rows]
            mean_x = sum(r["importance"] for r in rows) / len(rows)
            mean_y = sum(r["performance"] for r in rows) / len(rows)
            ui.echart({
                "tooltip": {"trigger": "item"},
                "xAxis": {"type": "value", "name": t("重要性"), "scale": True},
                "yAxis": {"type": "value", "name": t("表现"), "scale": True},
                "series": [{"type": "scatter", "symbolSize": 14, "data": data,
                            "label": {"show": True, "formatter": "{b}", "position": "right"},
                            "markLine": {"silent": True, "symbol": "none", "lineStyle": {"type": "dashed"},
                                         "data": [{"xAxis": round(mean_x, 4)}, {"yAxis": round(mean_y, 2)}]}}],
            }).classes("w-full").mark("ipma-chart")
            first = [self._label(c) for c in ipma.get("priorities", {}).get("constructs", [])]
            ui.label(t("优先改进：") + (t("、").join(first) or t("无"))).classes("text-negative").mark("priorities")

    def _groups(self) -> None:
        t, result = self.t, self.result
        codes = list(result.labels)
        rows = [{"key": key, "name": result.names.get(key, key), "n": s.n,
                 **{c: _num(s.index.get(c)) for c in codes}} for key, s in result.groups.items()]
        columns = [{"name": "name", "label": t("单位"), "field": "name", "align": "left"},
                   {"name": "n", "label": t("答卷"), "field": "n"},
                   *({"name": c, "label": self._label(c), "field": c} for c in codes)]
        with ui.card().classes("w-full"):
            ui.label(t("分单位满意度指数")).classes("text-h6")
            ui.table(columns=columns, rows=rows, row_key="key").props("dense flat bordered").classes("w-full").mark(
                "csi-groups")


# ------------------------------------------------------------------------------------------------ import


class SurveyImport:
    def __init__(self, ctx: PageContext, service: SatisfactionService, on_stored: Any) -> None:
        self.ctx, self.t, self.service, self.on_stored = ctx, ctx.texts, service, on_stored
        t = self.t
        ui.label(t("上传答卷（CSV 或 XLSX）：每行一份答卷，列为题目代码及 "
                   "respondent、unit、segment、channel、period。"))
        with ui.row().classes("items-end gap-4"):
            self.survey_id = ui.input(t("调查编号（可选）")).mark("survey-id")
            self.title = ui.input(t("标题（可选）")).mark("survey-title")
            self.period = ui.input(t("缺省统计期（可选）")).classes("w-48").mark("survey-period")
            self.mode = ui.toggle({"rows": t("逐行导入"), "atomic": t("全部或不导入")}, value="rows").mark("mode")
            self.dry_run = ui.checkbox(t("只检查不导入")).mark("dry-run")
        ui.upload(on_upload=self.upload, auto_upload=True, max_files=1, label=t("选择文件")).props(
            'accept=".csv,.xlsx"').classes("w-96").mark("upload")
        self.result = ui.column().classes("w-full gap-2")

    async def upload(self, event: events.UploadEventArguments) -> None:
        t = self.t

        async def work() -> None:
            actor = await self.ctx.refresh_actor()
            request = ImportRequest(await event.file.read(), event.file.name,
                                    survey_id=(self.survey_id.value or "").strip() or None,
                                    title=(self.title.value or "").strip() or None, mode=self.mode.value,
                                    dry_run=bool(self.dry_run.value), period=(self.period.value or "").strip() or None)
            result = await io(self.service.import_survey, actor, request)
            self._show(result)
            if result.stored:
                ui.notify(t("已导入调查 {id}").format(id=result.survey_id), type="positive")
                await self.on_stored()
        await attempt(t, work)

    def _show(self, result: ImportResult) -> None:
        t, c = self.t, result.counts
        self.result.clear()
        with self.result:
            state = t("已保存") if result.stored else t("未保存")
            summary = t("{state}：读取 {read} 行，接受 {ok} 行，拒绝 {bad} 行；缺答 {miss} 行，直线作答 {flat} 行。")
            ui.label(summary.format(state=state, read=c.read, ok=c.accepted, bad=c.rejected, miss=c.flagged_missing,
                                    flat=c.flagged_straight_lining)).mark("import-summary")
            problems = result.problems[:PROBLEMS_SHOWN] + result.flags[:PROBLEMS_SHOWN]
            if problems:
                columns = [{"name": "row", "label": t("行"), "field": "row"},
                           {"name": "field", "label": t("列"), "field": "field", "align": "left"},
                           {"name": "reason", "label": t("原因"), "field": "reason", "align": "left"}]
                ui.table(columns=columns, rows=[{"id": i, **p.model_dump()} for i, p in enumerate(problems)],
                         row_key="id", pagination=20).props("dense flat").classes("w-full").mark("import-problems")


@console_page("/satisfaction", Permission.READ_SATISFACTION)
async def satisfaction_page(ctx: PageContext, unit: str | None = None, period: str | None = None) -> Response | None:
    frame(ctx, "满意度")
    view = SatisfactionView(ctx, unit, period)
    await view.load()
    return None
