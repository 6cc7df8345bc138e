"""SLA clocks (`gridvoice.domain.clock`) and policies (`gridvoice.domain.sla`).

Calendar facts used below (State Council holiday notices, as shipped in chinese-calendar):
2026 New Year: Jan 1-3 off, Sunday Jan 4 is a workday (调休). Spring Festival: Feb 15-23 off, Saturdays Feb 14 and
Feb 28 are workdays. National Day: Oct 1-7 off, Sunday Sep 20 and Saturday Oct 10 are workdays.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gridvoice.domain import clock as clock_mod
from gridvoice.domain.clock import LOCAL_TZ, ClockKind, add_business_minutes, business_minutes_between, is_workday
from gridvoice.domain.lifecycle import Action
from gridvoice.domain.sla import (
    AreaClass,
    ClockState,
    SlaConfigError,
    Warning,
    load_sla_config,
    parse_sla_config,
    record_action,
    schedule,
)
from gridvoice.domain.taxonomy import BusinessType, Channel, Topic

CAL, WORK = ClockKind.CALENDAR, ClockKind.WORKDAY
DAY = 1440
CONFIG = load_sla_config()


def bj(*args: int) -> datetime:
    """A Beijing wall-clock instant."""
    return datetime(*args, tzinfo=LOCAL_TZ)


def first_year_without_calendar_data() -> int:
    year = date.today().year
    while True:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return year
        year += 1


# ------------------------------------------------------------------------------------------------ working days

@pytest.mark.parametrize(("day", "workday"), [
    (date(2026, 1, 4), True),     # Sunday, adjusted workday after New Year
    (date(2026, 1, 2), False),    # Friday, New Year holiday
    (date(2026, 2, 14), True),    # Saturday, adjusted workday before Spring Festival
    (date(2026, 2, 16), False),   # Monday, Spring Festival
    (date(2026, 2, 23), False),   # Monday, last day of Spring Festival
    (date(2026, 2, 28), True),    # Saturday, adjusted workday after Spring Festival
    (date(2026, 9, 20), True),    # Sunday, adjusted workday before National Day
    (date(2026, 10, 1), False),   # Thursday, National Day
    (date(2026, 10, 7), False),   # Wednesday, National Day
    (date(2026, 10, 10), True),   # Saturday, adjusted workday after National Day
    (date(2026, 3, 7), False),    # an ordinary Saturday
    (date(2026, 3, 9), True),     # an ordinary Monday
])
def test_is_workday_follows_the_official_calendar(day, workday):
    assert chinese_calendar.is_workday(day) is workday  # the fact the clock relies on
    assert is_workday(day) is workday


def test_weekend_does_not_count_on_the_workday_clock():
    start = bj(2026, 3, 6, 10, 0)  # Friday
    assert add_business_minutes(start, DAY, WORK) == bj(2026, 3, 9, 10, 0)  # Monday
    assert add_business_minutes(start, DAY, CAL) == bj(2026, 3, 7, 10, 0)
    assert business_minutes_between(start, bj(2026, 3, 9, 10, 0), WORK) == DAY


def test_national_day_holiday_and_the_saturday_after_it():
    # Mon Sep 28 09:00 + 5 working days: Sep 28 (15 h), 29, 30 (48 h), Oct 1-7 off, Oct 8, 9 (48 h), 9 h on Sat Oct 10
    assert add_business_minutes(bj(2026, 9, 28, 9, 0), 5 * DAY, WORK) == bj(2026, 10, 10, 9, 0)
    # the day before the holiday + 1 working day lands on the first day after it
    assert add_business_minutes(bj(2026, 9, 30, 10, 0), DAY, WORK) == bj(2026, 10, 8, 10, 0)
    # nothing runs during the holiday
    assert business_minutes_between(bj(2026, 10, 1, 0, 0), bj(2026, 10, 8, 0, 0), WORK) == 0


def test_spring_festival_and_its_adjusted_saturdays():
    # Fri Feb 13 10:00 + 1 working day: Saturday Feb 14 is a workday
    assert add_business_minutes(bj(2026, 2, 13, 10, 0), DAY, WORK) == bj(2026, 2, 14, 10, 0)
    # + 2 working days: Feb 13 (14 h) + Feb 14 (24 h), then Feb 15-23 off: 10 h on Tue Feb 24
    assert add_business_minutes(bj(2026, 2, 13, 10, 0), 2 * DAY, WORK) == bj(2026, 2, 24, 10, 0)
    assert business_minutes_between(bj(2026, 2, 27, 0, 0), bj(2026, 3, 2, 0, 0), WORK) == 2 * DAY  # Fri + Sat


def test_an_adjusted_sunday_counts():
    # received on the New Year holiday; Sunday Jan 4 is a workday
    assert add_business_minutes(bj(2026, 1, 2, 12, 0), DAY / 2, WORK) == bj(2026, 1, 4, 12, 0)


def test_an_appeal_received_on_a_holiday_starts_counting_on_the_next_workday():
    due = add_business_minutes(bj(2026, 10, 3, 15, 30), 4 * DAY, WORK)
    assert due == bj(2026, 10, 13, 0, 0)  # Oct 8, 9, 10 (Sat), skip Sun 11, then all of Mon 12


@pytest.mark.parametrize(("start", "minutes", "due"), [
    (bj(2026, 3, 2, 10, 0), 14 * 60, bj(2026, 3, 3, 0, 0)),   # exactly the rest of Monday
    (bj(2026, 3, 6, 10, 0), 14 * 60, bj(2026, 3, 7, 0, 0)),   # the rest of Friday ends at Friday's close...
    (bj(2026, 3, 2, 0, 0), 5 * DAY, bj(2026, 3, 7, 0, 0)),    # ...not on Monday morning
    (bj(2026, 3, 7, 9, 0), DAY, bj(2026, 3, 10, 0, 0)),       # from a Saturday: all of Monday
    (bj(2026, 3, 7, 9, 0), 0, None),                          # zero: no time has to run
    (bj(2026, 9, 30, 0, 0), DAY, bj(2026, 10, 1, 0, 0)),      # Sep 30 closes, the holiday does not matter
])
def test_exact_day_boundaries(start, minutes, due):
    fast = add_business_minutes(start, minutes, WORK)
    walk = add_business_minutes(start, minutes, WORK, [(start - timedelta(days=30), start - timedelta(days=29))])
    if due is None:
        assert business_minutes_between(start, fast, WORK) == 0 and business_minutes_between(start, walk, WORK) == 0
    else:
        assert fast == due and walk == due


def test_clock_needs_timezone_aware_instants():
    with pytest.raises(ValueError, match="timezone"):
        add_business_minutes(datetime(2026, 3, 2, 10), 10, CAL)
    with pytest.raises(ValueError, match="timezone"):
        business_minutes_between(datetime(2026, 3, 2, 10), bj(2026, 3, 3, 10), WORK)


@pytest.mark.parametrize("pauses", [None, [(bj(2026, 3, 1, 0, 0), bj(2026, 3, 1, 1, 0))]])
def test_unknown_clock_kind_is_refused(pauses):
    # regression: the no-pause fast path once took any unknown kind for the workday clock
    with pytest.raises(ValueError):
        add_business_minutes(bj(2026, 3, 2, 10), 10, "weekly", pauses)
    with pytest.raises(ValueError):
        business_minutes_between(bj(2026, 3, 2, 10), bj(2026, 3, 3, 10), "weekly", pauses)


def test_years_beyond_the_calendar_data_fall_back_to_monday_to_friday(monkeypatch, caplog):
    year = first_year_without_calendar_data()
    monkeypatch.setattr(clock_mod, "_warned_years", set())
    is_workday.cache_clear()
    saturday = next(date(year, 3, d) for d in range(1, 8) if date(year, 3, d).weekday() == 5)
    with caplog.at_level(logging.WARNING, logger="gridvoice.domain.clock"):
        assert is_workday(saturday) is False
        assert is_workday(saturday + timedelta(days=2)) is True  # Monday
        assert is_workday(saturday + timedelta(days=1)) is False
    warnings = [r for r in caplog.records if str(year) in r.getMessage()]
    assert len(warnings) == 1, "the fallback is logged once per year"
    # Jan 1 of that year is counted as a workday when it falls Monday-Friday (no holiday data)
    jan1 = date(year, 1, 1)
    assert is_workday(jan1) is (jan1.weekday() < 5)
    start = datetime.combine(saturday, datetime.min.time(), LOCAL_TZ)
    assert add_business_minutes(start, DAY, WORK) == start + timedelta(days=3)  # all of Monday
    is_workday.cache_clear()


# ------------------------------------------------------------------------------------------------ properties

instants = st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2028, 2, 1),
                        timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
limits = st.floats(min_value=0, max_value=12 * DAY, allow_nan=False, allow_infinity=False)
kinds = st.sampled_from([CAL, WORK])


@settings(max_examples=200, deadline=None)
@given(start=instants, m=limits, kind=kinds)
def test_business_minutes_between_inverts_add_business_minutes(start, m, kind):
    due = add_business_minutes(start, m, kind)
    assert due is not None and due >= start
    assert abs(business_minutes_between(start, due, kind) - m) <= 1e-6


@settings(max_examples=150, deadline=None)
@given(start=instants, m1=limits, m2=limits, kind=kinds)
def test_due_is_monotonic_in_the_limit(start, m1, m2, kind):
    lo, hi = sorted((m1, m2))
    assert add_business_minutes(start, lo, kind) <= add_business_minutes(start, hi, kind)


@settings(max_examples=200, deadline=None)
@given(start=instants, m=st.floats(min_value=1e-3, max_value=30 * DAY), kind=kinds)
def test_fast_path_agrees_with_the_segment_walk(start, m, kind):
    """Without pauses the workday clock takes a shortcut; a pause long before the start forces the full walk."""
    irrelevant = [(start - timedelta(days=20), start - timedelta(days=19))]
    assert add_business_minutes(start, m, kind) == add_business_minutes(start, m, kind, irrelevant)


@settings(max_examples=150, deadline=None)
@given(start=instants, m=st.floats(min_value=1, max_value=6 * DAY), kind=kinds,
       pause_offsets=st.lists(st.tuples(st.integers(-3 * DAY, 10 * DAY), st.integers(1, 4 * DAY)), max_size=3))
def test_paused_time_never_counts(start, m, kind, pause_offsets):
    pauses = [(start + timedelta(minutes=a), start + timedelta(minutes=a + length)) for a, length in pause_offsets]
    due = add_business_minutes(start, m, kind, pauses)
    assert due is not None
    assert abs(business_minutes_between(start, due, kind, pauses) - m) <= 1e-6
    assert due >= add_business_minutes(start, m, kind)  # pauses can only push the due later


@settings(max_examples=100, deadline=None)
@given(start=instants, end=instants, kind=kinds)
def test_business_minutes_never_exceed_calendar_minutes(start, end, kind):
    assume(end > start)
    total = business_minutes_between(start, end, kind)
    assert 0 <= total <= (end - start).total_seconds() / 60 + 1e-9
    if kind == CAL:
        assert total == pytest.approx((end - start).total_seconds() / 60)
    assert business_minutes_between(end, start, kind) == 0


# ------------------------------------------------------------------------------------------------ pauses

def test_calendar_due_shifts_by_exactly_the_paused_time():
    start = bj(2026, 3, 2, 10, 0)
    pause = (start + timedelta(minutes=10), start + timedelta(minutes=37))
    assert add_business_minutes(start, 45, CAL, [pause]) == start + timedelta(minutes=45 + 27)
    # a pause after the due changes nothing; one before the start neither
    assert add_business_minutes(start, 45, CAL, [(start + timedelta(hours=2), start + timedelta(hours=3))]) == \
        start + timedelta(minutes=45)
    assert add_business_minutes(start, 45, CAL, [(start - timedelta(hours=3), start - timedelta(hours=2))]) == \
        start + timedelta(minutes=45)


def test_workday_due_shifts_by_the_paused_working_time():
    start = bj(2026, 3, 2, 10, 0)  # Monday; 5 working days -> next Monday 10:00
    assert add_business_minutes(start, 5 * DAY, WORK) == bj(2026, 3, 9, 10, 0)
    # suspended Fri 18:00 -> Mon 08:00: 6 h on Friday + 8 h on Monday are working time, the weekend is not
    pause = (bj(2026, 3, 6, 18, 0), bj(2026, 3, 9, 8, 0))
    paused_working = business_minutes_between(*pause, WORK)
    assert paused_working == 14 * 60
    due = add_business_minutes(start, 5 * DAY, WORK, [pause])
    assert due == bj(2026, 3, 10, 0, 0)
    assert business_minutes_between(bj(2026, 3, 9, 10, 0), due, WORK) == paused_working


def test_open_ended_suspension_gives_no_due():
    start = bj(2026, 3, 2, 10, 0)
    for kind, limit in ((CAL, 45), (WORK, 5 * DAY)):
        assert add_business_minutes(start, limit, kind, [(start + timedelta(minutes=5), None)]) is None
        assert add_business_minutes(start, limit, kind, [(start - timedelta(minutes=5), None)]) is None


def test_a_milestone_overdue_before_the_suspension_stays_overdue():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    policy = CONFIG.policy_for("REPAIR", "OUTAGE", "HOTLINE_95598")
    clock = ClockState(anchors={"received": received})
    record_action(policy, clock, "dispatch", received + timedelta(minutes=3))
    record_action(policy, clock, "receive", received + timedelta(minutes=20))
    record_action(policy, clock, "suspend", received + timedelta(minutes=60))  # arrival was due at +45
    sched = schedule(CONFIG, policy, AreaClass.URBAN, "HOTLINE_95598", clock)
    arrive = next(m for m in sched.milestones if m.name == "arrive")
    assert arrive.due == received + timedelta(minutes=45)
    assert sched.warning_at(received + timedelta(hours=5)) == Warning.RED
    # a milestone not yet overdue at suspension has no due while suspended
    clock2 = ClockState(anchors={"received": received})
    record_action(policy, clock2, "dispatch", received + timedelta(minutes=3))
    record_action(policy, clock2, "suspend", received + timedelta(minutes=30))
    sched2 = schedule(CONFIG, policy, AreaClass.URBAN, "HOTLINE_95598", clock2)
    assert sched2.due_map()["arrive"] is None
    assert sched2.warning_at(received + timedelta(days=3)) == Warning.NONE
    # resumed after 2 h: the due moves by exactly the 2 h
    record_action(policy, clock2, "resume", received + timedelta(minutes=150))
    sched3 = schedule(CONFIG, policy, AreaClass.URBAN, "HOTLINE_95598", clock2)
    assert sched3.due_map()["arrive"] == received + timedelta(minutes=45 + 120)


# ------------------------------------------------------------------------------------------------ policies

REPAIR_LIMITS = {AreaClass.URBAN: (45, 180), AreaClass.RURAL: (90, 240), AreaClass.REMOTE: (120, 240)}


@pytest.mark.parametrize("area", list(AreaClass))
def test_repair_limits_by_area_class_on_the_calendar_clock(area):
    arrive_limit, restore_limit = REPAIR_LIMITS[area]
    received = bj(2026, 10, 3, 23, 30)  # a holiday night: repairs run on the calendar clock
    policy = CONFIG.policy_for("REPAIR", "OUTAGE", "HOTLINE_95598")
    clock = ClockState(anchors={"received": received})
    due = schedule(CONFIG, policy, area, "HOTLINE_95598", clock).due_map()
    assert due["dispatch"] == received + timedelta(minutes=5)
    assert due["arrive"] == received + timedelta(minutes=arrive_limit)
    assert due["restore"] is None and due["callback"] is None  # anchors not reached yet
    arrived = received + timedelta(minutes=arrive_limit - 7)
    for action, at in (("dispatch", received + timedelta(minutes=2)), ("receive", received + timedelta(minutes=9)),
                       ("arrive", arrived)):
        record_action(policy, clock, action, at)
    sched = schedule(CONFIG, policy, area, "HOTLINE_95598", clock)
    assert sched.due_map()["restore"] == arrived + timedelta(minutes=restore_limit)  # anchored at arrival
    assert {m.name for m in sched.open()} == {"restore"}
    assert not sched.any_late


def test_yellow_at_the_configured_share_and_red_after_due():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    policy = CONFIG.policy_for("REPAIR", "OUTAGE", "APP")
    clock = ClockState(anchors={"received": received})
    sched = schedule(CONFIG, policy, AreaClass.URBAN, "APP", clock)
    dispatch = next(m for m in sched.milestones if m.name == "dispatch")
    assert CONFIG.yellow_share == 0.8
    assert dispatch.yellow == received + timedelta(minutes=4)  # 0.8 x 5 min
    assert sched.next_due == received + timedelta(minutes=5)
    assert sched.next_yellow == received + timedelta(minutes=4)
    assert sched.warning_at(received + timedelta(minutes=3, seconds=59)) == Warning.NONE
    assert sched.warning_at(received + timedelta(minutes=4)) == Warning.YELLOW
    assert sched.warning_at(received + timedelta(minutes=5)) == Warning.YELLOW  # due itself is not late yet
    assert sched.warning_at(received + timedelta(minutes=5, seconds=1)) == Warning.RED
    # a met milestone no longer warns
    record_action(policy, clock, "dispatch", received + timedelta(minutes=4, seconds=30))
    after = schedule(CONFIG, policy, AreaClass.URBAN, "APP", clock)
    assert after.warning_at(received + timedelta(minutes=6)) == Warning.NONE
    assert after.warning_at(received + timedelta(minutes=36)) == Warning.YELLOW  # 0.8 x 45 min (arrival)
    assert not after.any_late
    # a milestone met late is remembered as late
    late = ClockState(anchors={"received": received})
    record_action(policy, late, "dispatch", received + timedelta(minutes=8))
    assert schedule(CONFIG, policy, AreaClass.URBAN, "APP", late).any_late


def test_yellow_share_is_configurable():
    data = _minimal_config()
    data["yellow_share"] = 0.5
    cfg = parse_sla_config(data)
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    sched = schedule(cfg, cfg.policies[0], AreaClass.URBAN, "APP", ClockState(anchors={"received": received}))
    assert sched.next_yellow == received + timedelta(minutes=30)


def test_workday_policy_for_complaints():
    received = bj(2026, 9, 29, 16, 0)
    policy = CONFIG.policy_for("COMPLAINT", "STAFF_CONDUCT", "HOTLINE_95598")
    due = schedule(CONFIG, policy, AreaClass.RURAL, "HOTLINE_95598", ClockState(anchors={"received": received}))
    # contact: 24 calendar hours; reply: 5 working days = Sep 29 (8 h), Sep 30, Oct 8, 9, 10, 16 h on Mon Oct 12
    assert due.due_map()["contact"] == received + timedelta(hours=24)
    assert due.due_map()["reply"] == bj(2026, 10, 12, 16, 0)


def test_12345_channel_limit_caps_the_reply_due():
    received = bj(2026, 9, 30, 10, 0)
    policy = CONFIG.policy_for("INQUIRY", "PAYMENT_TARIFF", "GOV_12345")
    clock = ClockState(anchors={"received": received})
    own = schedule(CONFIG, policy, AreaClass.URBAN, "HOTLINE_95598", clock).due_map()["reply"]
    capped = schedule(CONFIG, policy, AreaClass.URBAN, "GOV_12345", clock)
    # 4 working days across National Day: Sep 30 (14 h), Oct 8, 9, 10 (Sat), 10 h on Mon Oct 12;
    # 12345's 7 calendar days end on Oct 7 10:00
    assert own == bj(2026, 10, 12, 10, 0)
    assert capped.due_map()["reply"] == received + timedelta(days=7)
    reply = next(m for m in capped.milestones if m.name == "reply")
    assert reply.yellow == received + timedelta(minutes=0.8 * 7 * DAY)
    # the cap never extends a shorter own limit
    march = ClockState(anchors={"received": bj(2026, 3, 2, 10, 0)})
    assert schedule(CONFIG, policy, AreaClass.URBAN, "GOV_12345", march).due_map()["reply"] == bj(2026, 3, 6, 10, 0)
    # 12398: 10 working days never undercut a 9-working-day report limit
    report = CONFIG.policy_for("REPORT", "OTHER", "REGULATOR_12398")
    assert schedule(CONFIG, report, AreaClass.URBAN, "REGULATOR_12398", march).due_map() == \
        schedule(CONFIG, report, AreaClass.URBAN, "HOTLINE_95598", march).due_map()


def test_every_label_and_channel_has_a_policy():
    for bt in BusinessType:
        for topic in Topic:
            for channel in Channel:
                policy = CONFIG.policy_for(bt.value, topic.value, channel.value)
                assert policy.business_type in ("*", bt.value) and policy.milestones
    assert CONFIG.policy_for("REPAIR", "REMOTE_CONTROL").topic == "REMOTE_CONTROL"  # most specific wins
    assert CONFIG.policy_for("REPAIR", "OUTAGE").topic == "*"
    assert CONFIG.policy_for("PRAISE", "OTHER").callback_required is False


# ------------------------------------------------------------------------------------------------ record_action

def _repair_clock(received: datetime) -> tuple:
    policy = CONFIG.policy_for("REPAIR", "OUTAGE", "HOTLINE_95598")
    clock = ClockState(anchors={"received": received})
    for action, minutes in (("dispatch", 2), ("receive", 5), ("arrive", 30), ("resolve", 100), ("review", 120)):
        record_action(policy, clock, action, received + timedelta(minutes=minutes))
    return policy, clock


def test_return_reopens_the_reply_but_keeps_the_original_deadline():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    policy, clock = _repair_clock(received)
    before = schedule(CONFIG, policy, AreaClass.URBAN, "HOTLINE_95598", clock)
    assert before.due_map()["restore"] == received + timedelta(minutes=30 + 180)
    assert "restore" in clock.done
    record_action(policy, clock, Action.RETURN, received + timedelta(minutes=130))
    assert "restore" not in clock.done and "resolve" not in clock.anchors and "review" not in clock.anchors
    assert clock.done.keys() == {"dispatch", "arrive"}
    after = schedule(CONFIG, policy, AreaClass.URBAN, "HOTLINE_95598", clock)
    assert after.due_map()["restore"] == before.due_map()["restore"]
    assert [m.name for m in after.open()] == ["restore"]
    # resolved again later: the new resolution is what counts
    record_action(policy, clock, "resolve", received + timedelta(minutes=400))
    assert clock.done["restore"] == received + timedelta(minutes=400)
    assert schedule(CONFIG, policy, AreaClass.URBAN, "HOTLINE_95598", clock).any_late


def test_reopen_restarts_the_handling_clocks_from_now():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    policy, clock = _repair_clock(received)
    record_action(policy, clock, "callback", received + timedelta(minutes=200))
    reopened_at = received + timedelta(days=2)
    record_action(policy, clock, Action.REOPEN, reopened_at)
    assert clock.anchors == {"received": reopened_at}
    assert clock.done.keys() == {"dispatch"}  # dispatch is already done
    due = schedule(CONFIG, policy, AreaClass.RURAL, "HOTLINE_95598", clock).due_map()
    assert due["arrive"] == reopened_at + timedelta(minutes=90)
    assert due["restore"] is None and due["callback"] is None


def test_suspend_and_resume_record_one_pause():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    policy = CONFIG.policy_for("COMPLAINT", "OTHER")
    clock = ClockState(anchors={"received": received})
    record_action(policy, clock, "suspend", received + timedelta(hours=1))
    assert clock.pauses == [(received + timedelta(hours=1), None)]
    record_action(policy, clock, "resume", received + timedelta(hours=3))
    assert clock.pauses == [(received + timedelta(hours=1), received + timedelta(hours=3))]
    record_action(policy, clock, "resume", received + timedelta(hours=4))  # nothing open: no change
    assert len(clock.pauses) == 1
    restored = ClockState.from_json(clock.to_json())
    assert restored == clock


def test_completing_needs_the_anchor():
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    policy = CONFIG.policy_for("REPAIR", "OUTAGE")
    clock = ClockState(anchors={"received": received})
    record_action(policy, clock, "urge", received + timedelta(minutes=1))
    assert clock.done == {}
    record_action(policy, clock, "dispatch", received + timedelta(minutes=1))
    record_action(policy, clock, "dispatch", received + timedelta(minutes=9))  # a second dispatch changes nothing
    assert clock.done == {"dispatch": received + timedelta(minutes=1)}


# ------------------------------------------------------------------------------------------------ loading

def _minimal_config() -> dict:
    return {
        "version": "t",
        "yellow_share": 0.8,
        "policy": [{
            "business_type": "*", "topic": "*",
            "milestones": [{"name": "reply", "completed_by": ["resolve"], "anchor": "received",
                            "clock": "calendar", "minutes": 60}],
        }],
        "channel_limit": [{"channel": "GOV_12345", "milestone": "reply", "clock": "calendar", "minutes": 30}],
    }


def _broken(path: tuple, value, delete: bool = False) -> dict:
    data = _minimal_config()
    target = data
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def test_minimal_config_parses():
    cfg = parse_sla_config(_minimal_config())
    assert cfg.channel_limit("GOV_12345", "reply").minutes == 30
    assert cfg.policies[0].milestones[0].limit_minutes(AreaClass.REMOTE) == 60


M0 = ("policy", 0, "milestones", 0)


@pytest.mark.parametrize(("data", "names"), [
    (_broken((*M0, "clock"), "hourly"), ["policy[0].milestones[0].clock", "hourly"]),
    (_broken((*M0, "completed_by"), ["resolve", "teleport"]), ["policy[0].milestones[0].completed_by", "teleport"]),
    (_broken((*M0, "anchor"), "lunch"), ["policy[0].milestones[0].anchor", "lunch"]),
    (_broken((*M0, "minutes"), None, delete=True), ["policy[0].milestones[0]", "minutes"]),
    (_broken((*M0, "days"), 2), ["policy[0].milestones[0]", "exactly one"]),
    (_broken((*M0, "minutes"), -5), ["policy[0].milestones[0]", "positive"]),
    (_broken((*M0, "minutes"), {"urban": 45, "rural": 90}), ["policy[0].milestones[0]", "remote"]),
    (_broken((*M0, "minutes"), {"urban": 45, "rural": 90, "remote": 1, "moon": 3}), ["policy[0].milestones[0]"]),
    (_broken((*M0, "minutes"), "soon"), ["policy[0].milestones[0]", "number"]),
    (_broken((*M0, "name"), None, delete=True), ["policy[0].milestones[0]", "name"]),
    (_broken(("policy", 0, "milestones"), None, delete=True), ["policy[0]", "milestones"]),
    (_broken(("policy",), []), ["policy"]),
    (_broken(("yellow_share",), 1.5), ["yellow_share", "1.5"]),
    (_broken(("yellow_share",), 0), ["yellow_share"]),
    (_broken(("channel_limit", 0, "clock"), "lunar"), ["channel_limit[0].clock", "lunar"]),
    (_broken(("channel_limit", 0, "minutes"), None, delete=True), ["channel_limit[0]"]),
    (_broken(("channel_limit", 0, "channel"), None, delete=True), ["channel_limit[0]", "channel"]),
    (_broken(("channel_limit", 0, "milestone"), None, delete=True), ["channel_limit[0]", "milestone"]),
    (_broken(("channel_limit", 0, "channel"), "PIGEON"), ["channel_limit[0].channel", "PIGEON"]),
    (_broken(("channel_limit", 0, "milestone"), "repli"), ["channel_limit[0].milestone", "repli"]),
    (_broken(("policy", 0, "business_type"), "REPAIRS"), ["policy[0].business_type", "REPAIRS"]),
    (_broken(("policy", 0, "topic"), "OUTAGES"), ["policy[0].topic", "OUTAGES"]),
    (_broken(("policy", 0, "channel"), "FAX"), ["policy[0].channel", "FAX"]),
], ids=lambda v: "-".join(v) if isinstance(v, list) else None)
def test_policy_errors_name_the_entry(data, names):
    with pytest.raises(SlaConfigError) as info:
        parse_sla_config(data)
    for name in names:
        assert name in str(info.value)


def test_duplicate_milestone_names_are_refused():
    data = _minimal_config()
    data["policy"][0]["milestones"].append(dict(data["policy"][0]["milestones"][0]))
    with pytest.raises(SlaConfigError, match=r"policy\[0\].*duplicate"):
        parse_sla_config(data)


def test_policy_file_errors(tmp_path: Path):
    bad = tmp_path / "sla.toml"
    bad.write_text("version = \n", encoding="utf-8")
    with pytest.raises(SlaConfigError, match=r"sla\.toml"):
        load_sla_config(bad)
    good = tmp_path / "ok.toml"
    good.write_text('yellow_share = 0.7\n[[policy]]\nmilestones = [{ name = "reply", completed_by = ["resolve"], '
                    'anchor = "received", clock = "workday", days = 2 }]\n', encoding="utf-8")
    cfg = load_sla_config(good)
    assert cfg.yellow_share == 0.7
    assert cfg.policies[0].milestones[0].limit_minutes(AreaClass.URBAN) == 2 * DAY


def test_days_are_converted_to_workday_minutes():
    policy = CONFIG.policy_for("COMPLAINT", "OTHER")
    reply = next(m for m in policy.milestones if m.name == "reply")
    assert reply.clock == WORK and reply.limit_minutes(AreaClass.URBAN) == 5 * DAY
