"""诉求分析: the appeal analyses of `gridvoice.analysis` for the actor's territory — regional risk, hotspots and
surges, factors (trend, composition, heat map by territory), repeat appeals and sensitive customers.

The numbers are those of `gridvoice analyze` and `/api/v1/analysis/*`: the page calls the same `AnalysisService`
(one per app, shared with the API). Each tab loads when it is first opened; 查询 reloads the open tab.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.responses import Response
from nicegui import ui

from gridvoice.analysis.common import ALL
from gridvoice.analysis.router import service_for
from gridvoice.analysis.service import MAX_LIMIT, AnalysisService
from gridvoice.domain.roles import Permission
from gridvoice.errors import BadInput
from gridvoice.web.i18n import Texts
from gridvoice.web.layout import attempt, frame
from gridvoice.web.session import PageContext, console_page, io

LEVELS = ("county", "station", "transformer_area")
RISK_COLOR = {"red": "#c10015", "orange": "#f2711c", "yellow": "#f2c037", "none": "#21ba45"}
TABLE_PAGE = 15


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(field, f"not a date (YYYY-MM-DD): '{value}'") from None


def _table(t: Texts, rows: list[dict[str, Any]], columns: list[tuple[str, str]], marker: str,
           key: str = "key") -> None:
    if not rows:
        ui.label(t("所选期间没有结果。")).classes("text-grey-7").mark(f"{marker}-empty")
        return
    defs = [{"name": name, "label": t(label), "field": name, "align": "left"} for name, label in columns]
    ui.table(columns=defs, rows=rows, row_key=key, pagination=TABLE_PAGE).props(
        "dense flat bordered wrap-cells").classes("w-full").mark(marker)


def _ids(ids: list[int], shown: int = 5) -> str:
    head = ", ".join(f"#{i}" for i in ids[:shown])
    return head + (f" … (+{len(ids) - shown})" if len(ids) > shown else "")


class AnalysisView:
    def __init__(self, ctx: PageContext, service: AnalysisService) -> None:
        self.ctx, self.t, self.service = ctx, ctx.texts, service
        t = self.t
        self.loaded: set[str] = set()
        with ui.row().classes("items-end gap-4 px-4 pt-4"):
            ui.label(t("诉求分析")).classes("text-h5")
            self.first = ui.input(t("从")).props("type=date stack-label").mark("from")
            self.last = ui.input(t("至")).props("type=date stack-label").mark("to")
            self.level = ui.select({lv: t.level(lv) for lv in LEVELS}, value="county", label=t("层级")).classes(
                "min-w-32").mark("level")
            ui.button(t("查询"), icon="search", on_click=self.reload).props("color=primary").mark("query")
        self.tabs_spec: dict[str, tuple[str, Callable[[], Any]]] = {
            "risk": ("风险预警", self._risk), "hotspots": ("热点与激增", self._hotspots),
            "factors": ("影响因素", self._factors), "repeats": ("重复诉求", self._repeats),
            "sensitive": ("敏感客户", self._sensitive)}
        with ui.tabs(on_change=lambda e: self.open(e.value)).classes("px-4") as self.tabs:
            for name, (label, _) in self.tabs_spec.items():
                ui.tab(name, t(label)).mark(f"tab-{name}")
        with ui.tab_panels(self.tabs, value="risk").classes("w-full"):
            self.panels = {}
            for name in self.tabs_spec:
                with ui.tab_panel(name):
                    self.panels[name] = ui.column().classes("w-full gap-4").mark(f"panel-{name}")
        self.tabs.value = "risk"

    def window(self) -> tuple[date | None, date | None]:
        return _day(self.first.value, "from"), _day(self.last.value, "to")

    async def open(self, name: str) -> None:
        if name not in self.loaded:
            await self.show(name)

    async def reload(self) -> None:
        self.loaded.clear()
        await self.show(str(self.tabs.value))

    async def show(self, name: str) -> None:
        _, render = self.tabs_spec[name]
        panel = self.panels[name]

        async def work() -> None:
            result = await render()
            panel.clear()
            with panel:
                result()
            self.loaded.add(name)

        await attempt(self.t, work)

    # ------------------------------------------------------------------------------------------ tabs

    async def _risk(self) -> Callable[[], None]:
        first, last = self.window()
        result = await io(self.service.risk, self.ctx.actor, first, last, self.level.value)
        t = self.t
        latest = max((r.period for r in result.rows), default=None)
        current = sorted((r for r in result.rows if r.period == latest), key=lambda r: r.rank)

        def render() -> None:
            weights = " · ".join(f"{t(SUB_INDEX[k])} {v:.2f}" for k, v in result.weights.items() if k in SUB_INDEX)
            ui.label(t("熵权：{w}").format(w=weights)).classes("text-caption text-grey-7").mark("risk-weights")
            if current:
                ui.label(t("{period} 风险排名").format(period=latest)).classes("text-h6")
                ui.echart({
                    "tooltip": {}, "grid": {"left": 140, "right": 24, "top": 8, "bottom": 24},
                    "xAxis": {"type": "value"},
                    "yAxis": {"type": "category", "inverse": True,
                              "data": [r.unit_name or r.unit for r in current[:20]]},
                    "series": [{"type": "bar", "data": [
                        {"value": round(r.score, 3), "itemStyle": {"color": RISK_COLOR.get(r.level, "#999")}}
                        for r in current[:20]]}],
                }).classes("w-full h-96").mark("risk-chart")
            rows = [{"key": f"{r.unit}/{r.period}", "rank": r.rank, "period": r.period,
                     "unit": r.unit_name or r.unit, "level": r.level_label, "score": f"{r.score:.3f}",
                     "appeals": r.appeals, "reasons": "；".join(r.reasons)} for r in result.rows]
            _table(t, rows, [("period", "期间"), ("rank", "排名"), ("unit", "单位"), ("level", "风险等级"),
                             ("score", "风险分"), ("appeals", "诉求量"), ("reasons", "原因")], "risk-table")

        return render

    async def _hotspots(self) -> Callable[[], None]:
        first, last = self.window()
        result = await io(self.service.hotspots, self.ctx.actor, first, last, self.level.value)
        t = self.t

        def render() -> None:
            ui.label(t("每条监控线的受控平均运行长度 {arl:g} 期（约每天 {fa:.2f} 次误报）").format(
                arl=result.target_arl, fa=result.false_alarms_per_day)).classes("text-caption text-grey-7")
            rows = [{"key": i, "period": a.period, "unit": a.unit_name or a.unit, "topic": a.topic_label,
                     "method": a.method.upper(), "observed": a.observed, "expected": f"{a.expected:.1f}",
                     "statistic": f"{a.statistic:.2f} / {a.threshold:.2f}", "appeals": _ids(a.appeal_ids)}
                    for i, a in enumerate(result.alerts)]
            ui.label(t("激增预警")).classes("text-h6")
            _table(t, rows, [("period", "期间"), ("unit", "单位"), ("topic", "诉求主题"), ("method", "方法"),
                             ("observed", "实际"), ("expected", "期望"), ("statistic", "统计量 / 阈值"),
                             ("appeals", "相关工单")], "hotspot-table")
            terms = result.terms
            ui.label(t("新出现的热词")).classes("text-h6")
            term_rows = [{"key": x.term, "term": x.term, "recent": x.recent_appeals, "baseline": x.baseline_appeals,
                          "lift": f"{x.lift:.1f}×", "q": f"{x.q_value:.3g}", "appeals": _ids(x.appeal_ids)}
                         for x in terms]
            _table(t, term_rows, [("term", "词语"), ("recent", "近期工单"), ("baseline", "基线工单"),
                                  ("lift", "提升"), ("q", "q 值"), ("appeals", "相关工单")], "terms-table")

        return render

    async def _factors(self) -> Callable[[], None]:
        first, last = self.window()
        result = await io(self.service.factors, self.ctx.actor, first, last, self.level.value, limit=MAX_LIMIT)
        t = self.t
        by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        by_unit: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        factor_names: dict[str, str] = {}
        for s in result.shares:  # the unit ALL sums the units: the composition, not a row of the heat map
            if s.unit == ALL:
                by_month[s.month][s.factor] += s.appeals
            else:
                by_unit[s.unit_name or s.unit][s.month] += s.appeals
            factor_names[s.factor] = s.factor_label
        months = sorted(by_month)
        units = sorted(by_unit)

        def render() -> None:
            if not months:
                ui.label(t("所选期间没有结果。")).classes("text-grey-7").mark("factors-empty")
                return
            ui.label(t("诉求构成（按影响因素，每月）")).classes("text-h6")
            ui.echart({
                "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
                "grid": {"left": 48, "right": 24, "top": 40, "bottom": 24},
                "xAxis": {"type": "category", "data": months}, "yAxis": {"type": "value"},
                "series": [{"name": label, "type": "bar", "stack": "all",
                            "data": [by_month[m].get(code, 0) for m in months]}
                           for code, label in sorted(factor_names.items())],
            }).classes("w-full h-96").mark("factor-chart")
            ui.label(t("各单位每月诉求量（热力图）")).classes("text-h6")
            cells = [[i, j, by_unit[u].get(m, 0)] for j, u in enumerate(units) for i, m in enumerate(months)]
            ui.echart({
                "tooltip": {}, "grid": {"left": 140, "right": 24, "top": 8, "bottom": 64},
                "xAxis": {"type": "category", "data": months}, "yAxis": {"type": "category", "data": units},
                "visualMap": {"min": 0, "max": max((c[2] for c in cells), default=1), "orient": "horizontal",
                              "left": "center", "bottom": 0, "calculable": True},
                "series": [{"type": "heatmap", "data": cells}],
            }).classes("w-full").style(f"height: {max(240, 28 * len(units) + 96)}px").mark("heatmap")
            trends = [{"key": f"{x.unit}/{x.factor}", "unit": x.unit_name or x.unit, "factor": x.factor_label,
                       "share": f"{x.mean_share:.1%}", "slope": "" if x.slope_pp_per_month is None
                       else f"{x.slope_pp_per_month:+.2f}", "direction": t(DIRECTION.get(x.direction, x.direction))}
                      for x in result.trends]
            ui.label(t("各单位影响因素趋势")).classes("text-h6")
            _table(t, trends, [("unit", "单位"), ("factor", "影响因素"), ("share", "平均占比"),
                               ("slope", "每月变化（百分点）"), ("direction", "趋势")], "trend-table")
            staff = [{"key": f"{a.kind}/{a.name}/{a.unit}", "kind": a.kind_label, "name": a.name,
                      "unit": a.unit_name or a.unit or "", "appeals": a.appeals, "complaints": a.complaints,
                      "praise": a.praise} for a in result.attributions]
            ui.label(t("涉及的人员与营业网点")).classes("text-h6")
            _table(t, staff, [("kind", "类别"), ("name", "名称"), ("unit", "单位"), ("appeals", "工单"),
                              ("complaints", "投诉"), ("praise", "表扬")], "staff-table")

        return render

    async def _repeats(self) -> Callable[[], None]:
        first, last = self.window()
        result = await io(self.service.repeats, self.ctx.actor, first, last, self.level.value)
        t = self.t

        def render() -> None:
            ui.label(t("同一客户、电话或地址在 {d} 天内同主题诉求 ≥ {n} 次：{g} 组，{a} 张工单").format(
                d=result.window_days, n=result.min_appeals, g=result.groups_total, a=result.appeals_in_groups)
            ).classes("text-caption text-grey-7").mark("repeats-summary")
            rows = [{"key": g.rank, "rank": g.rank, "matched": "、".join(t(MATCHED.get(m, m)) for m in g.matched_by),
                     "topic": g.topic_label, "appeals": g.appeals, "span": g.span_days,
                     "unit": g.unit_name or g.unit or "", "ids": _ids(g.appeal_ids)} for g in result.groups]
            _table(t, rows, [("rank", "排名"), ("matched", "识别依据"), ("topic", "诉求主题"), ("appeals", "工单数"),
                             ("span", "跨度（天）"), ("unit", "单位"), ("ids", "相关工单")], "repeats-table")

        return render

    async def _sensitive(self) -> Callable[[], None]:
        result = await io(self.service.sensitive, self.ctx.actor, self.window()[1], self.level.value)
        t = self.t

        def render() -> None:
            rows = [{"key": c.rank, "rank": c.rank, "level": c.level_label, "score": f"{c.score:.1f}",
                     "matched": t(MATCHED.get(c.matched_by, c.matched_by)), "appeals": c.appeals,
                     "unit": c.unit_name or c.unit or "", "reasons": "；".join(c.reasons), "ids": _ids(c.appeal_ids)}
                    for c in result.customers]
            ui.label(t("客户以不可逆的假名标识；在工单详情中查看客户信息须说明理由并留痕。")).classes(
                "text-caption text-grey-7")
            _table(t, rows, [("rank", "排名"), ("level", "等级"), ("score", "敏感分"), ("matched", "识别依据"),
                             ("appeals", "工单数"), ("unit", "单位"), ("reasons", "原因"), ("ids", "相关工单")],
                   "sensitive-table")

        return render


SUB_INDEX = {"heat": "热度", "change": "量变", "urgency": "紧急度", "sentiment": "情绪"}
DIRECTION = {"rising": "上升", "falling": "下降", "flat": "平稳", "unknown": "数据不足"}
MATCHED = {"customer": "户号", "phone": "电话", "address": "地址"}


@console_page("/analysis", Permission.ANALYZE)
async def analysis_page(ctx: PageContext) -> Response | None:
    frame(ctx, "诉求分析")
    view = AnalysisView(ctx, service_for(ctx.console.state))
    await view.show("risk")
    return None
