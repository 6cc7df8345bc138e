"""Writing analysis results for people: CSV (one table) and XLSX (every table, one sheet each), Chinese
column headers by default (English with lang="en")."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from gridvoice.analysis.common import AnalysisResult
from gridvoice.errors import BadInput
from gridvoice.ops.spreadsheet import csv_safe

HEADERS_ZH = {
    "unit": "单位", "unit_name": "单位名称", "topic": "主题", "topic_label": "主题名称", "period": "周期",
    "method": "方法", "observed": "实际数", "expected": "期望数", "statistic": "统计量", "threshold": "阈值",
    "appeals": "诉求数", "appeal_ids": "关联工单", "term": "词语", "recent_appeals": "近期诉求数",
    "baseline_appeals": "基期诉求数", "recent_share": "近期占比", "baseline_share": "基期占比", "lift": "倍数",
    "p_value": "p值", "q_value": "q值", "rank": "排名", "matched_by": "匹配方式", "key": "标识(脱敏)",
    "first_at": "首次时间", "last_at": "最近时间", "span_days": "跨度(天)", "score": "得分", "level": "等级",
    "level_label": "等级名称", "reasons": "原因", "customers": "客户数", "days": "天数", "heat": "热力指数",
    "change": "业务量变化指数", "urgency": "紧急指数", "sentiment": "情感指数", "month": "月份", "factor": "因素",
    "factor_label": "因素名称", "share": "占比", "months": "月数", "mean_share": "平均占比",
    "slope_pp_per_month": "月变化(百分点)", "direction": "趋势", "kind": "类型", "kind_label": "类型名称",
    "name": "名称", "staff_topics": "员工类诉求", "complaints": "投诉", "dissatisfied": "不满意", "praise": "表扬",
}
SHEETS_ZH = {"alerts": "热点预警", "terms": "新兴词", "repeats": "重复诉求", "sensitive": "敏感客户",
             "risk": "区域风险", "shares": "因素占比", "trends": "因素趋势", "attributions": "员工与网点"}


def header(key: str, lang: str) -> str:
    if lang == "en":
        return key
    base, _, inner = key.partition(".")
    label = HEADERS_ZH.get(base, base)
    return f"{label}.{HEADERS_ZH.get(inner, inner)}" if inner else label


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def pick_table(result: AnalysisResult, table: str | None) -> tuple[str, list[dict[str, Any]]]:
    tables = result.tables()
    if table is None:
        return next(iter(tables.items()))
    if table not in tables:
        raise BadInput("table", f"unknown table '{table}'; one of {', '.join(tables)}")
    return table, tables[table]


def csv_text(rows: list[dict[str, Any]], lang: str) -> str:
    buffer = io.StringIO()
    columns = _columns(rows)
    writer = csv.writer(buffer)
    writer.writerow([header(c, lang) for c in columns])
    for row in rows:
        writer.writerow([csv_safe(row.get(c)) for c in columns])
    return buffer.getvalue()


def write_csv(path: Path, rows: list[dict[str, Any]], lang: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(rows, lang), encoding="utf-8-sig")  # BOM: Excel opens it as UTF-8


def write_xlsx(path: Path, result: AnalysisResult, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for name, rows in result.tables().items():
        sheet = workbook.create_sheet(SHEETS_ZH.get(name, name) if lang == "zh" else name)
        columns = _columns(rows)
        sheet.append([header(c, lang) for c in columns])
        for row in rows:
            cells = []
            for column in columns:
                value = row.get(column)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if value.startswith("="):  # text, never a live formula
                        cell = WriteOnlyCell(sheet, value=value)
                        cell.data_type = "s"
                        value = cell
                cells.append(value)
            sheet.append(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
