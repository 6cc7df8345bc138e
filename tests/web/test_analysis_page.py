"""诉求分析 in the console: the same numbers as the analysis service, for the user's territory only."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from gridvoice.analysis.service import AnalysisService
from gridvoice.auth.service import Actor
from gridvoice.domain.roles import Role
from gridvoice.runtime import Runtime

from .conftest import RETRIES, eventually, login

pytestmark = pytest.mark.anyio


async def test_an_analyst_sees_the_risk_ranking_and_every_tab(user: User, web_runtime: Runtime) -> None:
    await login(user, "analyst_city")
    await user.open("/analysis")
    await user.should_see(marker="risk-weights", retries=RETRIES)
    expected = AnalysisService(web_runtime).risk(Actor("analyst_city", Role.ANALYST), refresh=True)
    if expected.rows:
        await user.should_see(marker="risk-table", retries=RETRIES)
        top = min(expected.rows, key=lambda r: (r.period != max(x.period for x in expected.rows), r.rank))
        table = user.find(marker="risk-table").elements.pop()
        assert table.rows[0]["unit"] == (top.unit_name or top.unit) and table.rows[0]["rank"] == 1
    shown_by = {"hotspots": {"hotspot-table", "hotspot-table-empty"}, "factors": {"factor-chart", "factors-empty"},
                "repeats": {"repeats-table", "repeats-table-empty"},
                "sensitive": {"sensitive-table", "sensitive-table-empty"}}
    for tab, shown in shown_by.items():
        user.find(marker=f"tab-{tab}").click()
        await user.should_see(marker=f"panel-{tab}", retries=RETRIES)
        panel = user.find(marker=f"panel-{tab}").elements.pop()
        await eventually(lambda panel=panel: bool(panel.default_slot.children), timeout=30)
        markers = {m for element in panel.descendants() for m in element._markers}
        assert shown & markers, (tab, markers)


async def test_a_bad_date_names_the_field(user: User) -> None:
    await login(user, "analyst_city")
    await user.open("/analysis")
    await user.should_see(marker="risk-weights", retries=RETRIES)
    user.find(marker="from").type("2026-13-40")
    user.find(marker="query").click()
    await user.should_see("from", retries=RETRIES)


async def test_intake_warns_of_a_sensitive_caller(user: User, web_runtime: Runtime) -> None:
    from gridvoice.appeals.schemas import AppealIn
    from gridvoice.appeals.service import AppealService

    agent = Actor("agent_city", Role.AGENT)
    for topic in ("OUTAGE", "VOLTAGE", "METERING", "PAYMENT_TARIFF", "STAFF_CONDUCT", "NEW_CONNECTION"):
        AppealService(web_runtime).intake(AppealIn(
            channel="GOV_12345", content="再不解决我就找媒体曝光，还要向12398投诉", customer_no="0300000002",
            business_type="COMPLAINT", topic=topic, urgent=False), agent)
    AnalysisService(web_runtime).refresh()
    await login(user, "agent_city")
    await user.open("/intake")
    user.find(marker="customer_no").type("0300000002").trigger("keydown.enter")
    await user.should_see(marker="sensitive-caller", retries=RETRIES)
    await user.should_see(marker="customer", retries=RETRIES)  # the history is there as before

    user.find(marker="customer_no").clear().type("0300000001").trigger("keydown.enter")  # an ordinary caller
    await user.should_see("陈**", retries=RETRIES)
    await user.should_not_see(marker="sensitive-caller")
