"""Twelve months of synthetic appeals with their whole lifecycles, driven through the real domain rules.

Volumes follow a season (summer peak of outages and voltage complaints, bills after the hot months), a
week (fewer counter visits at weekends) and a day (office hours for business, evenings for outages); one
typhoon day multiplies repairs twentyfold. Each appeal's events are produced by `AppealService.transition`,
the same code the API runs, with realistic durations, so overdue orders, suspensions, urges, escalations,
dissatisfied callbacks and re-handling occur as they would.

Planted patterns (written to the manifest for the analyses of later issues to find):
- a transformer area with chronic low voltage;
- a county whose repair crews arrive late;
- a station with attitude (staff conduct) complaints;
- repeat callers who appeal again and again on the same topic;
- the typhoon day.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from gridvoice.appeals.models import Appeal
from gridvoice.appeals.schemas import AppealIn
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.lifecycle import Action, Command, Status, Verdict
from gridvoice.domain.roles import Role
from gridvoice.domain.sla import AreaClass
from gridvoice.errors import Conflict
from gridvoice.org.models import Customer
from gridvoice.org.service import OrgDirectory
from gridvoice.synth import texts

CHANNEL_MIX: dict[str, dict[str, float]] = {
    "REPAIR": {"HOTLINE_95598": 55, "APP": 17, "WECHAT": 14, "SMS": 3, "FIELD": 6, "GOV_12345": 3, "COUNTER": 2},
    "COMPLAINT": {"HOTLINE_95598": 48, "GOV_12345": 20, "REGULATOR_12398": 5, "APP": 10, "WECHAT": 10,
                  "COUNTER": 5, "SMS": 2},
    "REPORT": {"HOTLINE_95598": 45, "GOV_12345": 15, "APP": 15, "WECHAT": 15, "FIELD": 10},
    "OPINION": {"HOTLINE_95598": 30, "APP": 25, "WECHAT": 25, "GOV_12345": 10, "COUNTER": 10},
    "INQUIRY": {"HOTLINE_95598": 40, "APP": 20, "WECHAT": 25, "COUNTER": 10, "SMS": 5},
    "PRAISE": {"HOTLINE_95598": 40, "WECHAT": 25, "APP": 15, "COUNTER": 15, "GOV_12345": 5},
    "SERVICE_REQUEST": {"COUNTER": 35, "APP": 30, "WECHAT": 20, "HOTLINE_95598": 15},
    "URGE": {"HOTLINE_95598": 60, "APP": 15, "WECHAT": 15, "GOV_12345": 10},
}
URGENT_RATE = {("REPAIR", "FACILITY_SAFETY"): 0.45, ("REPAIR", "OUTAGE"): 0.08, ("REPORT", "FACILITY_SAFETY"): 0.3,
               ("COMPLAINT", "*"): 0.07, ("REPAIR", "*"): 0.04, ("*", "*"): 0.01}
# share of the appeals of an hour, by kind of business (local time)
HOURS_BUSINESS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 7, 9, 9, 8, 5, 6, 8, 8, 7, 6, 4, 3, 3, 2, 1.5, 1.2])
HOURS_REPAIR = np.array([2, 1.5, 1, 0.8, 0.8, 1, 2, 3.5, 5, 5.5, 6, 6, 6, 6.5, 7, 7, 7, 7.5, 8.5, 9, 8.5, 7, 5, 3])
ARRIVAL_MEDIAN_MIN = {"urban": 22.0, "rural": 45.0, "remote": 60.0}
LATE_COUNTY_FACTOR = 1.8
POWER_TOPICS = {"OUTAGE", "VOLTAGE", "FACILITY_SAFETY"}

# why customers said 不满意 at the callback, by topic (what agents write down)
DISSATISFIED_REASONS: dict[str, tuple[str, ...]] = {
    "attitude": ("工作人员态度差", "抢修人员说话不耐烦", "接电话的人推诿，让我自己找物业"),
    "OUTAGE": ("停电时间太长", "抢修太慢，等了半天才来", "反复停电，问题没根治"),
    "VOLTAGE": ("电压还是低，问题没解决", "说要改造但没有时间表"),
    "METER_READING_BILLING": ("电费问题没解释清楚", "退补金额不认可"),
    "REMOTE_CONTROL": ("交费后很久才复电", "停电前没有提醒"),
    "PROCESS_TIMELINESS": ("办理时间太长", "一直没人回复"),
    "NEW_CONNECTION": ("报装流程太繁琐", "装表拖了很久"),
    "default": ("问题没解决", "答复不清楚", "处理太慢"),
}


@dataclass
class Planted:
    low_voltage_transformer_area: str
    late_county: str
    attitude_station: str
    repeat_callers: list[str]
    typhoon_day: str
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class GeneratedAppeals:
    appeals: list[dict[str, Any]]
    events: list[dict[str, Any]]
    planted: Planted


def _lognormal(rng: random.Random, median_minutes: float, sigma: float) -> timedelta:
    return timedelta(minutes=median_minutes * rng.lognormvariate(0, sigma))


def _season(topic: str, business_type: str, month: int) -> float:
    factor = 1.0
    if topic in POWER_TOPICS:
        factor *= {6: 1.5, 7: 1.8, 8: 1.9, 9: 1.5, 5: 1.2, 10: 1.1, 12: 0.8, 1: 0.85, 2: 0.8}.get(month, 1.0)
    if topic in ("METER_READING_BILLING", "PAYMENT_TARIFF"):
        factor *= {8: 1.4, 9: 1.5, 10: 1.2, 2: 1.2}.get(month, 1.0)
    if business_type == "SERVICE_REQUEST" and month == 2:
        factor *= 0.6  # Spring Festival
    return factor


def _urgent_rate(business_type: str, topic: str) -> float:
    for key in ((business_type, topic), (business_type, "*"), ("*", "*")):
        if key in URGENT_RATE:
            return URGENT_RATE[key]
    return 0.01


@dataclass
class _Draft:
    received_at: datetime
    business_type: str
    topic: str
    channel: str
    customer: int | None  # index into customers; None = anonymous caller
    urgent: bool
    tag: str = ""  # planted pattern it belongs to


class AppealGenerator:
    def __init__(self, service: AppealService, org: OrgDirectory, customers: list[dict[str, Any]],
                 seed: int, now: datetime, months: int) -> None:
        self.service = service
        self.org = org
        self.customers = customers
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.now = now
        self.start = now - timedelta(days=round(months * 30.44))
        self.months = months
        self.by_ta: dict[str, list[int]] = {}
        for i, c in enumerate(customers):
            self.by_ta.setdefault(c["transformer_area"], []).append(i)
        self.station_of = {code: t.station for code, t in org._territories.items()}
        self.county_of = {code: t.county for code, t in org._territories.items()}
        self.all_tas = sorted(self.by_ta)
        self.planted = self._choose_planted()

    # ------------------------------------------------------------------------------------------ plan

    def _choose_planted(self) -> Planted:
        rng = self.rng
        tas = [c for c, u in self.org.units.items() if u.level == "transformer_area" and self.by_ta.get(c)]
        rural_tas = [c for c in tas if self.org.units[c].area_class == "rural"] or tas
        counties = sorted(c for c, u in self.org.units.items() if u.level == "county")
        stations = sorted(c for c, u in self.org.units.items() if u.level == "station")
        low_voltage_ta = max(rng.sample(rural_tas, min(20, len(rural_tas))), key=lambda c: len(self.by_ta[c]))
        late_county = counties[min(2, len(counties) - 1)]
        attitude_station = rng.choice([s for s in stations if self.county_of.get(s) != late_county] or stations)
        callers = rng.sample(range(len(self.customers)), min(30, len(self.customers)))
        day = self._typhoon_day()
        return Planted(
            low_voltage_transformer_area=low_voltage_ta, late_county=late_county,
            attitude_station=attitude_station,
            repeat_callers=[self.customers[i]["customer_no"] for i in callers], typhoon_day=day.isoformat(),
            notes={
                "low_voltage_transformer_area": "~10 extra VOLTAGE appeals a month from its customers",
                "late_county": f"repair arrival takes about {LATE_COUNTY_FACTOR}x the usual time there",
                "attitude_station": "~8 extra STAFF_CONDUCT complaints a month, more dissatisfied callbacks",
                "repeat_callers": "6-12 appeals each on one topic over the period, with urges",
                "typhoon_day": "repairs x20 that day, slow arrival and restoration",
            },
        )

    def _typhoon_day(self) -> date:
        end = self.now.astimezone(LOCAL_TZ).date()
        first = self.start.astimezone(LOCAL_TZ).date()
        candidates = [first + timedelta(days=i) for i in range((end - first).days)
                      if (first + timedelta(days=i)).month in (8, 9)]
        if not candidates:
            candidates = [first + timedelta(days=(end - first).days // 2)]
        return self.rng.choice(candidates[len(candidates) // 4: 3 * len(candidates) // 4] or candidates)

    def drafts(self, per_month: int) -> list[_Draft]:
        pairs = list(texts.LABEL_MIX.items())
        weights = np.array([w for _, w in pairs], dtype=float)
        weights /= weights.sum()
        daily = per_month * 12 / 365.25
        out: list[_Draft] = []
        first = self.start.astimezone(LOCAL_TZ).date()
        days = (self.now.astimezone(LOCAL_TZ).date() - first).days + 1
        typhoon = date.fromisoformat(self.planted.typhoon_day)
        for d in range(days):
            day = first + timedelta(days=d)
            weekend = day.weekday() >= 5
            for ((bt, topic), share) in zip((p for p, _ in pairs), weights, strict=True):
                expected = daily * share * _season(topic, bt, day.month)
                if weekend and bt in ("SERVICE_REQUEST", "INQUIRY"):
                    expected *= 0.6
                if day == typhoon and bt == "REPAIR" and topic in POWER_TOPICS:
                    expected *= 20
                for _ in range(int(self.np.poisson(expected))):
                    out.append(self._draft(day, bt, topic, typhoon))
        out.extend(self._planted_drafts(first, days))
        out = [d for d in out if self.start <= d.received_at <= self.now]
        out.sort(key=lambda d: d.received_at)
        return out

    def _instant(self, day: date, repair: bool) -> datetime:
        hours = HOURS_REPAIR if repair else HOURS_BUSINESS
        hour = int(self.np.choice(24, p=hours / hours.sum()))
        local = datetime(day.year, day.month, day.day, hour, self.rng.randrange(60), self.rng.randrange(60),
                         tzinfo=LOCAL_TZ)
        return local.astimezone(UTC)

    def _channel(self, bt: str) -> str:
        mix = CHANNEL_MIX[bt]
        return self.rng.choices(list(mix), weights=list(mix.values()))[0]

    def _draft(self, day: date, bt: str, topic: str, typhoon: date, customer: int | None = -1,
               tag: str = "") -> _Draft:
        channel = self._channel(bt)
        if topic == "VOLTAGE" and self.rng.random() < 0.05:
            channel = "PROACTIVE"
        if customer == -1:
            customer = None if self.rng.random() < 0.12 else self.rng.randrange(len(self.customers))
        urgent = self.rng.random() < _urgent_rate(bt, topic) * (3 if day == typhoon else 1)
        return _Draft(self._instant(day, bt == "REPAIR"), bt, topic, channel, customer, urgent, tag)

    def _planted_drafts(self, first: date, days: int) -> Iterator[_Draft]:
        rng, p = self.rng, self.planted
        typhoon = date.fromisoformat(p.typhoon_day)
        months = max(1, days / 30.44)
        ta_customers = self.by_ta[p.low_voltage_transformer_area]
        for _ in range(int(10 * months)):
            bt = rng.choices(("REPAIR", "COMPLAINT", "INQUIRY", "OPINION"), weights=(5, 3, 1, 1))[0]
            day = first + timedelta(days=rng.randrange(days))
            yield self._draft(day, bt, "VOLTAGE", typhoon, rng.choice(ta_customers), "low_voltage")
        station_customers = [i for ta, idx in self.by_ta.items() if self.station_of.get(ta) == p.attitude_station
                             for i in idx]
        for _ in range(int(8 * months)):
            day = first + timedelta(days=rng.randrange(days))
            yield self._draft(day, "COMPLAINT", "STAFF_CONDUCT", typhoon, rng.choice(station_customers), "attitude")
        index = {c["customer_no"]: i for i, c in enumerate(self.customers)}
        for customer_no in p.repeat_callers:
            topic = rng.choice(("OUTAGE", "METER_READING_BILLING", "VOLTAGE", "PROCESS_TIMELINESS"))
            for _ in range(rng.randint(6, 12)):
                bt = rng.choice(("COMPLAINT", "REPAIR", "INQUIRY")) if topic != "PROCESS_TIMELINESS" else "COMPLAINT"
                if topic == "METER_READING_BILLING" and bt == "REPAIR":
                    bt = "COMPLAINT"
                day = first + timedelta(days=rng.randrange(days))
                yield self._draft(day, bt, topic, typhoon, index[customer_no], "repeat")

    # ------------------------------------------------------------------------------------------ build

    def generate(self, per_month: int, first_id: int = 1) -> GeneratedAppeals:
        drafts = self.drafts(per_month)
        appeals: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        agent = Actor("agent_synth", Role.AGENT)
        recent_by_customer: dict[int, int] = {}
        for offset, draft in enumerate(drafts):
            appeal_id = first_id + offset
            values, event = self._prepare(draft, agent)
            appeal = Appeal(**values)
            appeal.id = appeal_id
            event["appeal_id"] = appeal_id
            events.append(event)
            duplicate_of = recent_by_customer.get(draft.customer) if draft.customer is not None else None
            events.extend(self._lifecycle(appeal, draft, duplicate_of))
            if draft.customer is not None:
                recent_by_customer[draft.customer] = appeal_id
            appeals.append({c.key: getattr(appeal, c.key) for c in Appeal.__table__.columns})
        return GeneratedAppeals(appeals, events, self.planted)

    def _prepare(self, draft: _Draft, agent: Actor) -> tuple[dict[str, Any], dict[str, Any]]:
        customer = self.customers[draft.customer] if draft.customer is not None else None
        ctx = texts.random_context(self.rng)
        if customer is not None:
            ctx = replace(ctx, person_surname=customer["name"][0], place=customer["address"][:2])
        station = self.station_of.get(customer["transformer_area"]) if customer else None
        if station and station in self.org.units:
            ctx = replace(ctx, station_name=self.org.units[station].name)
        content = texts.generate_appeal_text(self.rng, draft.business_type, draft.topic, draft.channel,
                                             draft.urgent, ctx)
        data = AppealIn.model_construct(
            channel=_channel_enum(draft.channel), external_id=None, received_at=draft.received_at,
            content=content, customer_no=customer["customer_no"] if customer else None,
            customer_name=customer["name"] if customer else None,
            phone=customer["phone"] if customer else f"100{self.rng.randint(0, 99_999_999):08d}",
            address=customer["address"] if customer else None, org_unit=None,
            transformer_area=customer["transformer_area"] if customer else self.rng.choice(self.all_tas),
            business_type=_enum("business_type", draft.business_type), topic=_enum("topic", draft.topic),
            urgent=draft.urgent,
        )
        cust_obj = Customer(**customer) if customer else None
        prepared = self.service.prepare(data, self.org, cust_obj, agent, draft.received_at, synthetic=True)
        return dict(prepared.values), dict(prepared.event)

    def _lifecycle(self, appeal: Appeal, draft: _Draft, duplicate_of: int | None) -> list[dict[str, Any]]:
        sim = _Simulation(self, appeal, draft)
        sim.run(duplicate_of)
        return sim.events


def _channel_enum(code: str) -> Any:
    from gridvoice.domain.taxonomy import Channel

    return Channel(code)


def _enum(kind: str, code: str) -> Any:
    from gridvoice.domain.taxonomy import BusinessType, Topic

    return BusinessType(code) if kind == "business_type" else Topic(code)


class _Stop(Exception):
    """The next event would lie in the future: the appeal stays where it is."""


class _Simulation:
    def __init__(self, gen: AppealGenerator, appeal: Appeal, draft: _Draft) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.appeal = appeal
        self.draft = draft
        self.t = appeal.received_at
        self.events: list[dict[str, Any]] = []
        county = gen.county_of.get(appeal.org_unit)
        station = gen.station_of.get(appeal.org_unit)
        self.late = county == gen.planted.late_county
        self.typhoon = appeal.received_at.astimezone(LOCAL_TZ).date().isoformat() == gen.planted.typhoon_day
        self.attitude = station == gen.planted.attitude_station and draft.topic == "STAFF_CONDUCT"
        self.handler = f"handler_{station or appeal.org_unit}"

    def step(self, delay: timedelta, action: Action, actor: str, note: str = "", **kw: Any) -> None:
        at = self.t + delay
        if at > self.gen.now:
            raise _Stop
        try:
            self.events.append(self.gen.service.transition(self.appeal, Command(action, note=note, **kw), actor, at))
        except Conflict:
            return
        self.t = at

    def run(self, duplicate_of: int | None) -> None:
        with contextlib.suppress(_Stop):
            self._run(duplicate_of)

    def _run(self, duplicate_of: int | None) -> None:
        rng, bt = self.rng, self.draft.business_type
        if duplicate_of is not None and rng.random() < 0.01:
            self.step(_lognormal(rng, 10, 0.5), Action.CANCEL, "dispatcher_synth", "重复工单，已合并",
                      duplicate_of=duplicate_of)
            return
        if bt in ("INQUIRY", "PRAISE") and rng.random() < 0.65:
            self.step(_lognormal(rng, 6, 0.4), Action.RESOLVE, "agent_synth", "一次办结：已当场答复客户")
        else:
            self._handle(first=True)
        self._close()

    def _handle(self, first: bool) -> None:
        rng, bt = self.rng, self.draft.business_type
        repair = bt == "REPAIR"
        if first:
            self.step(_lognormal(rng, 1.5 if repair else 25, 0.5), Action.DISPATCH, "dispatcher_synth")
        self.step(_lognormal(rng, 4 if repair else 150, 0.7), Action.RECEIVE, self.handler)
        if repair:
            median = ARRIVAL_MEDIAN_MIN[self.appeal.area_class] * (LATE_COUNTY_FACTOR if self.late else 1) * (
                3 if self.typhoon else 1)
            self.waiting(_lognormal(rng, median, 0.35), Action.ARRIVE)
            self.step(_lognormal(rng, 70 * (3 if self.typhoon else 1), 0.6), Action.RESOLVE, self.handler,
                      "已处理，恢复供电")
            return
        if rng.random() < 0.04:
            self.step(_lognormal(rng, 120, 0.5), Action.SUSPEND, self.handler,
                      "客户要求改约时间上门 (customer-caused delay)")
            self.step(_lognormal(rng, 2 * 1440, 0.6), Action.RESUME, self.handler, "客户已约定时间")
        self.waiting(_lognormal(rng, self._reply_minutes() * 0.3, 0.75), Action.RESOLVE, "已办理并答复客户")

    def _reply_minutes(self) -> float:
        """Calendar minutes of the policy's reply limit (working days count 7/5 on the calendar)."""
        policy = self.gen.service.sla.policy_for(self.appeal.business_type, self.appeal.topic,
                                                 self.appeal.channel)
        for rule in policy.milestones:
            if "resolve" in rule.completed_by:
                limit = rule.limit_minutes(AreaClass(self.appeal.area_class))
                return limit * (1.4 if rule.clock == "workday" else 1.0)
        return 5 * 1440.0

    def waiting(self, delay: timedelta, action: Action, note: str = "") -> None:
        """The customer waits `delay` for the action; the longer the wait, the likelier an urge or escalation
        happens meanwhile (they do not delay the work itself)."""
        rng = self.rng
        long_wait = delay > timedelta(hours=2) if self.draft.business_type == "REPAIR" else delay > timedelta(days=2)
        side = None
        if rng.random() < (0.3 if long_wait else 0.03):
            side = (Action.URGE, "客户来电催办")
        elif rng.random() < (0.08 if self.draft.business_type == "COMPLAINT" else 0.005):
            side = (Action.ESCALATE, "客户表示将向12398投诉")
        if side is not None:
            first = delay * rng.uniform(0.3, 0.9)
            self.step(first, side[0], "agent_synth", side[1])
            delay -= first
        self.step(delay, action, self.handler, note)

    def _callback_details(self, verdict: Verdict) -> dict[str, Any]:
        """Item scores (1-10) most customers give, and a reason from the dissatisfied: the attitude problem
        of the planted station shows in its attitude scores and reasons."""
        rng = self.rng
        centre = {Verdict.SATISFIED: 9.2, Verdict.BASICALLY_SATISFIED: 7.2, Verdict.DISSATISFIED: 3.5}[verdict]
        scores = {item: min(10, max(1, round(rng.gauss(centre, 1.0)))) for item in ("speed", "attitude", "result")}
        if self.attitude:
            scores["attitude"] = max(1, scores["attitude"] - rng.choice((1, 2, 3)))
        details: dict[str, Any] = {"scores": scores}
        if verdict == Verdict.DISSATISFIED:
            reasons = DISSATISFIED_REASONS["attitude"] if self.attitude and rng.random() < 0.7 else \
                DISSATISFIED_REASONS.get(self.appeal.topic, DISSATISFIED_REASONS["default"])
            details["reason"] = rng.choice(reasons)
        return details

    def _close(self) -> None:
        rng = self.rng
        if rng.random() < 0.03:
            self.step(_lognormal(rng, 200, 0.8), Action.RETURN, "dispatcher_synth", "答复内容不完整，退回补充")
            self.step(_lognormal(rng, 600, 0.8), Action.RESOLVE, self.handler, "已补充答复")
        self.step(_lognormal(rng, 90, 0.8), Action.REVIEW, "dispatcher_synth")
        policy = self.gen.service.sla.policy_for(self.appeal.business_type, self.appeal.topic, self.appeal.channel)
        if policy.callback_required:
            dissatisfied = 0.25 if self.attitude else 0.05
            verdict = rng.choices((Verdict.SATISFIED, Verdict.BASICALLY_SATISFIED, Verdict.DISSATISFIED),
                                  weights=(0.86 - dissatisfied + 0.05, 0.09, dissatisfied))[0]
            self.step(_lognormal(rng, 240, 0.7), Action.CALLBACK, "agent_synth", verdict=verdict,
                      extra=self._callback_details(verdict))
            if verdict == Verdict.DISSATISFIED:
                self._handle(first=False)
                self.step(_lognormal(rng, 90, 0.8), Action.REVIEW, "dispatcher_synth")
                self.step(_lognormal(rng, 240, 0.7), Action.CALLBACK, "agent_synth",
                          verdict=Verdict.BASICALLY_SATISFIED,
                          extra=self._callback_details(Verdict.BASICALLY_SATISFIED))
        if self.appeal.status in (Status.CALLED_BACK, Status.RESOLVED, Status.REVIEWED):
            self.step(_lognormal(rng, 720, 1.0), Action.ARCHIVE, "dispatcher_synth")
