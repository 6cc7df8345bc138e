"""The unit report: HTML with inline SVG charts and the figures of the services, the same as a PDF (pages, text),
the synthetic note, the note when no survey covers the period, the ASCII fallback without a CJK font, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import weasyprint

from gridvoice.appeals.schemas import AppealFilters, AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.errors import BadInput, NotFound
from gridvoice.runtime import Runtime
from gridvoice.satisfaction import report as report_module
from gridvoice.satisfaction.instrument import load_instrument
from gridvoice.satisfaction.periods import local_date
from gridvoice.satisfaction.report import build_report, render, render_html
from gridvoice.satisfaction.service import SatisfactionService
from gridvoice.satisfaction.simulate import DEFAULT_MEANS, DEFAULT_PATHS, simulate
from gridvoice.satisfaction.surveys import ImportRequest, import_survey

ADMIN = Actor("admin_city", Role.ADMIN)
WHEN = datetime.now(UTC) - timedelta(days=40)
MONTH = f"{local_date(WHEN):%Y-%m}"
QUARTER = f"{local_date(WHEN).year}-Q{(local_date(WHEN).month - 1) // 3 + 1}"


def _callback(svc: AppealService, area: str, verdict: str, reason: str | None = None) -> None:
    appeal_id = svc.intake(AppealIn(channel="HOTLINE_95598", content="停电了", business_type="REPAIR", topic="OUTAGE",
                                    urgent=False, transformer_area=area, received_at=WHEN), ADMIN, now=WHEN).appeal.id
    steps = [("dispatch", {}), ("receive", {}), ("arrive", {}), ("resolve", {"note": "已恢复"}),
             ("callback", {"verdict": verdict, "reason": reason})]
    for minutes, (action, fields) in enumerate(steps, start=1):
        version = svc.get(appeal_id, ADMIN).version
        at = WHEN + timedelta(minutes=minutes)
        svc.act(appeal_id, EventIn(action=action, version=version, **fields), ADMIN, now=at)


@pytest.fixture
def stocked(sqlite_runtime: Runtime) -> SatisfactionService:
    svc = AppealService(sqlite_runtime)
    for verdict in ("satisfied", "satisfied", "basically_satisfied"):
        _callback(svc, "T111", verdict)
    _callback(svc, "T111", "dissatisfied", "抢修人员态度差")
    frame = simulate(load_instrument().spec(), 500, 6, paths=DEFAULT_PATHS, means=DEFAULT_MEANS, units=("C1", "C2"),
                     periods=(QUARTER,)).frame
    import_survey(sqlite_runtime, ADMIN, ImportRequest(frame.to_csv(index=False).encode(), "w.csv", survey_id="w",
                                                       synthetic=True))
    return SatisfactionService(sqlite_runtime)


def _pdf_text(pdf_html: str) -> tuple[int, str]:
    document = weasyprint.HTML(string=pdf_html).render()
    parts: list[str] = []

    def walk(box: Any) -> None:
        if getattr(box, "text", None):
            parts.append(box.text)
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return len(document.pages), "".join(parts)


def test_html_has_the_figures_of_the_services_and_three_charts(stocked: SatisfactionService) -> None:
    data = build_report(stocked, ADMIN, "C1", MONTH, resamples=200)
    html = render_html(data)
    callbacks = stocked.callbacks(AppealFilters(org_unit="C1", received_from=data.period.start_utc,
                                                received_to=data.period.end_utc), ADMIN)
    assert callbacks.overall.satisfaction_rate == 0.75
    assert "东坪县（C1）客户满意度分析报告" in html and "75.0%" in html and "抢修人员态度差" in html
    assert html.count("<svg") == 3 and 'id="trend-figure_1"' in html and 'id="ipma-figure_1"' in html
    csi = stocked.csi(ADMIN, "w", None, "C1", MONTH, 200, 0).overall
    assert csi is not None and data.csi is not None and data.csi.index == csi.index
    assert f"{csi.index['SAT']:.1f}" in html and data.csi.index_ci is not None
    assert 'id="synthetic-note"' in html  # the survey is synthetic
    assert data.breakdown and data.breakdown_level == "供电所"  # a county's report lists its stations


def test_pdf_from_the_same_html(stocked: SatisfactionService) -> None:
    data = build_report(stocked, ADMIN, "C1", MONTH, resamples=0)
    pdf = render(data, "pdf")
    assert pdf.startswith(b"%PDF")
    pages, text = _pdf_text(render_html(data))
    assert pages >= 2
    assert "客户满意度分析报告" in text and "75.0%" in text and "抢修人员态度差" in text
    assert data.csi is not None and f"{data.csi.index['SAT']:.1f}" in text


def test_without_a_survey_the_report_says_so(sqlite_runtime: Runtime) -> None:
    svc = AppealService(sqlite_runtime)
    _callback(svc, "T221", "satisfied")
    data = build_report(SatisfactionService(sqlite_runtime), ADMIN, "HZ", MONTH)
    html = render_html(data)
    assert data.csi is None and "没有覆盖本单位和本期的满意度调查" in html and 'id="no-survey"' in html
    assert html.count("<svg") == 1 and 'id="synthetic-note"' not in html
    assert data.breakdown_level == "县公司" and [g.key for g in data.breakdown] == ["C2"]


def test_charts_fall_back_to_codes_without_a_cjk_font(stocked: SatisfactionService,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_module, "cjk_font", lambda: None)
    data = build_report(stocked, ADMIN, "C1", MONTH, resamples=0)
    assert "满意度" not in data.charts["csi"] and "satisfaction_rate" in data.charts["trend"]


def test_refusals(stocked: SatisfactionService) -> None:
    with pytest.raises(NotFound):
        build_report(stocked, Actor("county_manager_c1", Role.COUNTY_MANAGER, "C1"), "C2", MONTH)
    with pytest.raises(BadInput) as unit:
        build_report(stocked, ADMIN, "NOPE", MONTH)
    assert unit.value.field == "unit"
    with pytest.raises(BadInput) as period:
        build_report(stocked, ADMIN, "C1", "last month")
    assert period.value.field == "period"
    with pytest.raises(NotFound):
        build_report(stocked, ADMIN, "C1", MONTH, survey_id="other")
    with pytest.raises(BadInput):
        render(build_report(stocked, ADMIN, "C1", MONTH, resamples=0), "docx")  # type: ignore[arg-type]
