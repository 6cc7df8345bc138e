"""Console texts: every Chinese label has its English, every code its Chinese label; times in Beijing time."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gridvoice.web
from gridvoice.config import Settings
from gridvoice.domain.lifecycle import Action, Status
from gridvoice.domain.roles import Role
from gridvoice.domain.sla import milestone_names
from gridvoice.web.i18n import ACTION_ZH, EN, MILESTONE_ZH, Texts, local_time

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# shown as they are in both languages
BILINGUAL = {"gridvoice 电网之声", " · gridvoice 电网之声", "中文", "演示数据均为合成数据 · all data here is SYNTHETIC"}


def _chinese_literals() -> set[str]:
    found: set[str] = set()
    for path in Path(gridvoice.web.__file__).parent.rglob("*.py"):
        if path.name == "i18n.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)}
        found |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                  and isinstance(node.value, str) and id(node) not in docstrings and CJK.search(node.value)}
    return found


def test_every_chinese_text_of_the_console_has_its_english() -> None:
    missing = sorted(_chinese_literals() - set(EN) - BILINGUAL)
    assert not missing, missing
    assert all(not CJK.search(english) for english in EN.values())


def test_placeholders_match_between_the_languages() -> None:
    for chinese, english in EN.items():
        assert set(re.findall(r"{(\w+)", chinese)) == set(re.findall(r"{(\w+)", english)), chinese


def test_codes_have_chinese_labels() -> None:
    zh, en = Texts("zh"), Texts("en")
    assert set(ACTION_ZH) == {a.value for a in Action} | {"accept", "recompute"}  # events of the system
    assert set(milestone_names(Settings().sla.policies)) <= set(MILESTONE_ZH)
    assert zh.status(Status.CALLED_BACK) == "已回访" and en.status("called_back") == "Called back"
    assert zh.role(Role.DUTY_OFFICER) == "总值长" and en.role("duty_officer") == "Duty officer"
    assert zh.label("REPAIR") == "故障报修" and en.label("HOTLINE_95598") == "Hotline 95598"
    assert zh("工作台") == "工作台" and en("工作台") == "Workbench"


def test_countdowns_and_times() -> None:
    zh, en = Texts("zh"), Texts("en")
    assert zh.remaining(timedelta(hours=1, minutes=5, seconds=30)) == "剩余 1小时05分"
    assert zh.remaining(timedelta(minutes=-12)) == "已超时 12分"
    assert zh.remaining(timedelta(days=2, hours=3)) == "剩余 2天3小时00分"
    assert en.remaining(timedelta(minutes=-75)) == "1 h 15 min overdue"
    assert local_time(datetime(2026, 11, 27, 16, 30, tzinfo=UTC)) == "2026-11-28 00:30"  # Beijing time
    assert local_time(None) == ""
