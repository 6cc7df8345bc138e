"""满意度 page with NiceGUI's simulated user: callback figures, reasons and re-handled appeals, the CSI table and
IPMA chart of a survey, survey upload, report download, and the territory and role limits."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User

from gridvoice.appeals.schemas import AppealIn, EventIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime
from gridvoice.satisfaction.instrument import load_instrument
from gridvoice.satisfaction.simulate import DEFAULT_MEANS, DEFAULT_PATHS, simulate
from gridvoice.satisfaction.surveys import ImportRequest, import_survey, list_surveys
from gridvoice.web.pages.satisfaction import current_quarter

from .conftest import RETRIES, eventually, login

pytestmark = pytest.mark.anyio
ADMIN = Actor("admin_city", Role.ADMIN)


def _survey_csv(n: int = 700, seed: int = 5) -> bytes:
    survey = simulate(load_instrument().spec(), n, seed, paths=DEFAULT_PATHS, means=DEFAULT_MEANS,
                      units=("C1", "C2"), periods=(current_quarter(),))
    return survey.frame.to_csv(index=False).encode("utf-8")


def _callbacks(rt: Runtime) -> dict[str, int]:
    """A satisfied callback in C1, a dissatisfied one in C2 (reopened, with its reason)."""
    svc = AppealService(rt)
    ids = {}
    for name, area, verdict in (("good", "T111", "satisfied"), ("bad", "T221", "dissatisfied")):
        appeal_id = svc.intake(AppealIn(channel="HOTLINE_95598", content="停电了", business_type="REPAIR",
                                        topic="OUTAGE", urgent=False, transformer_area=area),
                               Actor("agent_city", Role.AGENT)).appeal.id
        for action, fields in (("dispatch", {}), ("receive", {}), ("arrive", {}), ("resolve", {"note": "已恢复"}),
                               ("callback", {"verdict": verdict, "reason": "抢修太慢" if verdict == "dissatisfied"
                                             else None, "scores": {"speed": 3 if verdict == "dissatisfied" else 9}})):
            version = svc.get(appeal_id, ADMIN).version
            svc.act(appeal_id, EventIn(action=action, version=version, **fields), ADMIN)
        ids[name] = appeal_id
    return ids


@pytest.fixture
def stocked(web_runtime: Runtime) -> dict[str, int]:
    ids = _callbacks(web_runtime)
    import_survey(web_runtime, ADMIN, ImportRequest(_survey_csv(), "wave1.csv", survey_id="wave1",
                                                    title="第一轮调查", synthetic=True))
    return ids


async def test_analyst_sees_callbacks_csi_and_ipma(user: User, stocked: dict[str, int]) -> None:
    await login(user, "analyst_city")
    await user.open("/satisfaction")
    await user.should_see(marker="figure-coverage", retries=RETRIES)
    await user.should_see("50.0%", retries=RETRIES)  # one of the two callbacks satisfied
    assert [row["reason"] for row in user.find(marker="reasons").elements.pop().rows] == ["抢修太慢"]
    units = user.find(marker="unit-table").elements.pop()
    assert {row["key"]: row["dissatisfied"] for row in units.rows} == {"C1": 0, "C2": 1}
    trend = user.find(marker="trend-chart").elements.pop()
    assert trend.options["series"][0]["data"][-1] == 50.0
    assert user.find(marker="rehandling").elements.pop().rows[0]["id"] == stocked["bad"]
    await user.should_see(marker="csi-table", retries=RETRIES)
    csi = user.find(marker="csi-table").elements.pop()
    index = {row["code"]: float(row["index"]) for row in csi.rows}
    assert set(index) == {c.code for c in load_instrument().constructs} and all(0 < v < 100 for v in index.values())
    ipma = user.find(marker="ipma-chart").elements.pop()
    assert len(ipma.options["series"][0]["data"]) == 6  # the drivers of SAT: image, expectation, three qualities, value
    groups = user.find(marker="csi-groups").elements.pop()
    assert [row["key"] for row in groups.rows] == ["C1", "C2"]
    await user.should_see("优先改进：")


async def test_county_manager_sees_only_the_county(user: User, stocked: dict[str, int]) -> None:
    await login(user, "county_manager_c1")
    await user.open("/satisfaction")
    await user.should_see(marker="figure-coverage", retries=RETRIES)
    assert set(user.find(marker="unit").elements.pop().options) == {"C1", "S11"}
    await user.should_see("100.0%", retries=RETRIES)  # C1's only callback was satisfied
    await user.should_not_see(marker="reasons")  # the dissatisfied callback lies in C2
    await user.should_not_see(marker="tab-import")  # importing surveys is for analysts and admins
    await user.should_see(marker="csi-n", retries=RETRIES)
    await user.should_see("有效答卷 3")  # C1's share of the 700 answers (C2's are outside the territory)
    await user.should_not_see(marker="csi-groups")  # a county's answers are not split further


async def test_survey_upload_reports_rejected_rows_and_stores_the_rest(user: User, web_runtime: Runtime) -> None:
    await login(user, "analyst_city")
    await user.open("/satisfaction")
    await user.should_see(marker="no-survey", retries=RETRIES)
    lines = _survey_csv(300, seed=9).decode().splitlines()
    header = lines[0].split(",")
    bad = lines[1].split(",")
    bad[header.index("sat1")] = "12"
    data = "\n".join([lines[0], ",".join(bad), *lines[2:]]).encode()
    upload = user.find(marker="upload").elements.pop()
    await upload.handle_uploads([ui.upload.SmallFileUpload("wave2.csv", "text/csv", data)])
    await user.should_see(marker="import-summary", retries=RETRIES)
    await user.should_see("拒绝 1 行")
    await eventually(lambda: [m.id for m in list_surveys(web_runtime, ADMIN)] != [])
    stored = list_surveys(web_runtime, ADMIN)[0]
    assert stored.counts.accepted == 299 and stored.imported_by == "analyst_city"
    await user.should_see(marker="csi-table", retries=RETRIES)


async def test_report_download(user: User, stocked: dict[str, int]) -> None:
    await login(user, "analyst_city")
    await user.open("/satisfaction?unit=C2")
    await user.should_see(marker="figure-coverage", retries=RETRIES)
    user.find(marker="report-html").click()
    response = await user.download.next(timeout=30)
    html = response.content.decode("utf-8")
    assert "西岭县（C2）客户满意度分析报告" in html and "抢修太慢" in html and "合成数据" in html


async def test_roles_without_the_permission_are_refused(user: User) -> None:
    await login(user, "agent_city")
    response = await user.http_client.get("/satisfaction")
    assert response.status_code == 403 and "无权访问此页面" in response.text
    assert "/satisfaction" not in [link.props["href"] for link in user.find(kind=ui.link).elements]
