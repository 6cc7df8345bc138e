"""Repeat appeals and sensitive customers: the planted caller ranks first; windows, merges, ties, profiles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gridvoice.analysis.common import Scope, unit_names
from gridvoice.analysis.repeats import RepeatQuery, repeats
from gridvoice.analysis.sensitive import SensitiveQuery, sensitive, sensitive_profile
from gridvoice.errors import BadInput
from gridvoice.lake.privacy import Pseudonymiser, key_text

from .conftest import LakeRows, background

FIRST = date(2026, 1, 5)
LAST = date(2026, 4, 30)
SALT = b"test-salt"


def _repeats(conn, config, **kw):
    return repeats(conn, RepeatQuery(FIRST, LAST, **kw), Scope.whole(), config.repeats, unit_names(conn))


def test_the_planted_repeat_caller_ranks_first(open_lake, config):
    rows = LakeRows()
    background(rows, FIRST, 100)
    planted = [rows.add(FIRST + timedelta(days=10 + 9 * i), ta="T221", topic="METERING", customer=7, phone=70,
                        business_type="COMPLAINT", content="电表走得太快")[0] for i in range(6)]
    rows.add(FIRST + timedelta(days=12), ta="T221", topic="OUTAGE", customer=7, phone=70)  # another topic
    result = _repeats(open_lake(rows), config)
    top = result.groups[0]
    assert top.rank == 1 and top.appeals == 6 and top.topic == "METERING"
    assert top.appeal_ids == planted and top.matched_by == ["customer", "phone"]
    assert top.unit == "C2" and top.unit_name == "西岭县" and top.span_days == 45
    assert top.key == key_text(7)


def test_window_edges_min_appeals_and_merging_by_phone_or_address(open_lake, config):
    rows = LakeRows()
    window = config.repeats.window_days
    a = rows.add(FIRST, customer=1, topic="VOLTAGE")[0]
    b = rows.add(FIRST + timedelta(days=window), customer=1, topic="VOLTAGE")[0]  # exactly at the window: repeat
    rows.add(FIRST + timedelta(days=2 * window + 1), customer=1, topic="VOLTAGE")  # one day too late: alone
    # the same household calls once with its 户号, once only from its phone, once only from its address
    c = rows.add(FIRST + timedelta(days=3), customer=2, phone=20, address=200, topic="OUTAGE")[0]
    d = rows.add(FIRST + timedelta(days=5), phone=20, topic="OUTAGE")[0]
    e = rows.add(FIRST + timedelta(days=6), address=200, topic="OUTAGE")[0]
    result = _repeats(open_lake(rows), config)
    by_ids = {tuple(g.appeal_ids): g for g in result.groups}
    assert (a, b) in by_ids and by_ids[(a, b)].matched_by == ["customer"]
    assert (c, d) in by_ids and by_ids[(c, d)].matched_by == ["phone"]
    assert (c, e) in by_ids and by_ids[(c, e)].matched_by == ["address"]
    assert result.groups_total == 3 and result.appeals_in_groups == 5


def test_a_subset_found_through_another_key_is_dropped(open_lake, config):
    rows = LakeRows()
    ids = [rows.add(FIRST + timedelta(days=i), customer=3, phone=30, topic="OUTAGE")[0] for i in range(3)]
    ids.append(rows.add(FIRST + timedelta(days=4), customer=3, phone=31, topic="OUTAGE")[0])  # a new phone
    result = _repeats(open_lake(rows), config)
    assert [g.appeal_ids for g in result.groups] == [ids]
    assert result.groups[0].matched_by == ["customer"]


def test_no_repeats_in_an_empty_or_quiet_period(open_lake, config):
    assert _repeats(open_lake(LakeRows(), "empty"), config).groups == []
    rows = LakeRows()
    rows.add(FIRST, customer=1)
    rows.add(FIRST + timedelta(days=1), customer=2)
    assert _repeats(open_lake(rows), config).groups_total == 0


def test_bad_dates_name_the_field(open_lake, config):
    with pytest.raises(BadInput) as exc:
        repeats(open_lake(LakeRows(), "empty"), RepeatQuery(LAST, FIRST), Scope.whole(), config.repeats)
    assert exc.value.field == "to"


def _sensitive_lake() -> tuple[LakeRows, list[int]]:
    rows = LakeRows()
    background(rows, FIRST, 100)
    keys = Pseudonymiser(SALT)
    customer, phone = keys.customer("0300000009"), keys.phone("138 0000 0009")
    planted = [
        *rows.add(FIRST + timedelta(days=5), customer=customer, phone=phone, business_type="COMPLAINT",
                  topic="STAFF_CONDUCT", content="工作人员态度很差，再不处理我就找媒体曝光"),
        *rows.add(FIRST + timedelta(days=20), customer=customer, phone=phone, business_type="COMPLAINT",
                  channel="GOV_12345", topic="STAFF_CONDUCT", content="市民通过12345热线反映：要去法院起诉"),
        *rows.add(FIRST + timedelta(days=40), customer=customer, phone=phone, business_type="COMPLAINT",
                  channel="REGULATOR_12398", verdict="dissatisfied", content="还是没人管"),
        *rows.add(FIRST + timedelta(days=60), phone=phone, business_type="URGE", escalate_count=1,
                  repeat_call_count=2, content="催办"),
    ]
    return rows, planted


def test_the_planted_sensitive_customer_ranks_first_with_reasons(open_lake, config):
    rows, planted = _sensitive_lake()
    result = sensitive(open_lake(rows), SensitiveQuery(LAST), Scope.whole(), config.sensitive)
    top = result.customers[0]
    assert top.rank == 1 and top.matched_by == "customer" and top.level == "high"
    assert top.components == {"frequency": 3, "complaints": 3, "escalations": 2, "gov_hotline": 2,
                              "dissatisfied": 1}
    assert top.appeal_ids == planted[:3]
    assert any("投诉 3 次" in r for r in top.reasons) and any("12345/12398" in r for r in top.reasons)
    # background callers with one appeal each score far below the watch level and are not listed
    assert result.customers_total == len(result.customers)
    assert all(c.score >= config.sensitive.watch for c in result.customers)


def test_profile_at_intake_by_customer_number_or_phone(open_lake, config):
    rows, planted = _sensitive_lake()
    conn = open_lake(rows)
    keys = Pseudonymiser(SALT)
    by_phone = sensitive_profile(conn, keys, config.sensitive, phone="13800000009", last=LAST)
    assert by_phone.found and by_phone.appeals == 4 and by_phone.appeal_ids == planted
    assert by_phone.components["frequency"] == 6  # four appeals and two repeat calls merged into one
    assert by_phone.level == "high" and by_phone.reasons
    by_number = sensitive_profile(conn, keys, config.sensitive, customer_no="0300000009", last=LAST)
    assert by_number.appeals == 3
    stranger = sensitive_profile(conn, keys, config.sensitive, phone="13900000000", last=LAST)
    assert not stranger.found and stranger.score == 0 and stranger.level == "none" and stranger.reasons == []
    with pytest.raises(BadInput) as exc:
        sensitive_profile(conn, keys, config.sensitive, last=LAST)
    assert exc.value.field == "customer_no"


def test_ties_keep_a_stable_order_and_the_minimum_score_filters(open_lake, config):
    rows = LakeRows()
    for caller in (5, 4):
        for i in range(3):
            rows.add(FIRST + timedelta(days=i), customer=caller, business_type="COMPLAINT", content="投诉")
    result = sensitive(open_lake(rows), SensitiveQuery(LAST, min_score=0), Scope.whole(), config.sensitive)
    assert [c.score for c in result.customers] == [result.customers[0].score] * 2
    assert [c.rank for c in result.customers] == [1, 2]
    assert [c.key for c in result.customers] == [key_text(4), key_text(5)]
    none = sensitive(open_lake(rows, "again"), SensitiveQuery(LAST, min_score=99), Scope.whole(),
                     config.sensitive)
    assert none.customers == []
