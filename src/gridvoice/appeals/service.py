"""Use cases of the appeal loop: intake, lifecycle actions, queries and SLA checks.

Every write happens in one transaction per call: an appeal and its event(s) land together or not at all.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import anyio
from sqlalchemy import Select, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gridvoice.appeals import statements
from gridvoice.appeals.models import Appeal, AppealEvent, MergedCall
from gridvoice.appeals.schemas import (
    MAX_ID,
    AppealDetail,
    AppealFilters,
    AppealIn,
    AppealOut,
    EventIn,
    EventOut,
    PersonalData,
    SlaCheckResult,
    SupervisionRow,
)
from gridvoice.appeals.statements import OPEN_STATUSES, repeat_filter
from gridvoice.audit.service import record
from gridvoice.auth.service import Actor, require
from gridvoice.domain import lifecycle, privacy, roles
from gridvoice.domain.labelling import Labels
from gridvoice.domain.lifecycle import Action, Command, LifecycleState, Status
from gridvoice.domain.roles import Permission
from gridvoice.domain.routing import ResponsibilityMatrix, territory_for
from gridvoice.domain.sla import AreaClass, ClockState, Policy, SlaConfig, record_action, schedule
from gridvoice.domain.taxonomy import BusinessType, factor_of
from gridvoice.errors import BadInput, Conflict, Forbidden, NotFound
from gridvoice.org.service import CustomerRecord, OrgDirectory, Territory
from gridvoice.runtime import Runtime
from gridvoice.store.db import one_of
from gridvoice.store.hints import rare
from gridvoice.store.plans import Step, first_value, run_plan

INTAKE_ACTION = "accept"
# list totals are exact up to this many matches
COUNT_CAP = 2_000
APPEAL_COLUMNS = tuple(Appeal.__table__.columns.keys())
# below this confidence a predicted label is marked for an agent's review
REVIEW_CONFIDENCE = 0.6


def new_appeal_view(values: dict[str, Any], appeal_id: int) -> SimpleNamespace:
    """A just-written appeal for the answer, without the ORM's change tracking (it is never flushed)."""
    return SimpleNamespace(**(dict.fromkeys(APPEAL_COLUMNS) | values | {"id": appeal_id}))


@dataclass
class IntakeResult:
    appeal: Appeal | SimpleNamespace
    outcome: str  # created | existing | merged_as_urge


@dataclass(frozen=True)
class PreparedAppeal:
    """Column values of a new appeal and its intake event, computed without touching the store."""

    values: dict[str, Any]
    event: dict[str, Any]


@dataclass(frozen=True)
class PlannedIntake:
    """Where the round trips of an intake plan left it: done, or what remains for a transaction."""

    outcome: str  # created | existing | write (the repeat-call check and inserts in a transaction)
    appeal: SimpleNamespace | None = None
    appeal_id: int | None = None
    prepared: PreparedAppeal | None = None


IntakePlan = Generator[Step, Any, PlannedIntake]


class AppealService:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    @property
    def sla(self) -> SlaConfig:
        return self.rt.sla  # the rules in force: an admin's new version applies without a restart

    @property
    def matrix(self) -> ResponsibilityMatrix:
        return self.rt.matrix

    # ------------------------------------------------------------------------------------------ intake

    def prepare(self, data: AppealIn, org: OrgDirectory, customer: CustomerRecord | None, actor: Actor,
                now: datetime, synthetic: bool = False, guess: Labels | None = None) -> PreparedAppeal:
        """Labels, routing, territory and clocks of a new appeal (pure apart from reading config). `guess`: the
        labeller's reading of the text when the caller labelled a whole batch at once (imports)."""
        received_at = data.received_at or now
        labels_source, confidence, needs_review = "given", None, False
        business_type, topic, urgent = data.business_type, data.topic, data.urgent
        if business_type is None or topic is None or urgent is None:
            guess = guess or self.rt.labeller.label(data.content, data.channel.value)
            if business_type is None or topic is None:  # urgency alone predicted: the labels are still given
                labels_source = guess.source
            confidences = []
            if business_type is None:
                business_type = guess.business_type
                confidences.append(guess.confidence_business_type)
            if topic is None:
                topic = guess.topic
                confidences.append(guess.confidence_topic)
            if urgent is None:
                urgent = guess.urgent
            confidence = min(confidences) if confidences else None
            needs_review = confidence is not None and confidence < REVIEW_CONFIDENCE
        territory = self._territory(data, org, customer)
        department = self.matrix.department_for(business_type.value, topic.value)
        policy = self.sla.policy_for(business_type.value, topic.value, data.channel.value)
        clock = ClockState(anchors={"received": received_at})
        sched = schedule(self.sla, policy, AreaClass(territory.area_class), data.channel.value, clock)
        warning = sched.warning_at(now).value
        values = {
            "channel": data.channel.value, "external_id": data.external_id, "received_at": received_at,
            "content": data.content,
            "customer_no": data.customer_no or (customer.customer_no if customer else None),
            "customer_name": data.customer_name or (customer.name if customer else None),
            "phone": data.phone or (customer.phone if customer else None),
            "address": data.address or (customer.address if customer else None),
            "org_unit": territory.code, "org_path": territory.path, "county": territory.county,
            "station": territory.station,
            "transformer_area": data.transformer_area or (customer.transformer_area if customer else None),
            "area_class": territory.area_class, "business_type": business_type.value, "topic": topic.value,
            "factor": factor_of(topic).value, "urgent": bool(urgent), "labels_source": labels_source,
            "label_confidence": confidence, "needs_review": needs_review, "department": department.value,
            "status": Status.ACCEPTED.value, "warning": warning,
            "overdue": warning == "red", "next_due_at": sched.next_due,
            "next_yellow_at": sched.next_yellow, "policy_version": self.sla.version, "clock": clock.to_json(),
            "duty_alert": bool(urgent), "created_by": actor.username, "created_at": now, "updated_at": now,
            "synthetic": synthetic, "version": 1, "urge_count": 0, "repeat_call_count": 0,
            "escalate_count": 0, "rehandle_count": 0,
        }
        note = "紧急工单，已提示总值长 (urgent: duty officer alerted)" if urgent else ""
        event = {"seq": 1, "action": INTAKE_ACTION, "actor": actor.username, "at": now, "note": note,
                 "status_before": None, "status_after": Status.ACCEPTED.value,
                 "data": {"department": department.value, "org_unit": territory.code,
                          "labels_source": labels_source, "policy_version": self.sla.version}}
        return PreparedAppeal(values, event)

    def _territory(self, data: AppealIn, org: OrgDirectory, customer: CustomerRecord | None) -> Territory:
        for field, code in (("org_unit", data.org_unit), ("transformer_area", data.transformer_area)):
            if code is not None and code not in org:
                raise BadInput(field, f"unknown org unit '{code}'")
        if data.transformer_area and org.territory(data.transformer_area).level != "transformer_area":
            raise BadInput("transformer_area", f"'{data.transformer_area}' is not a transformer area")
        root = org.root
        if root is None:
            raise BadInput("org_unit", "the organisation tree is empty: run `gridvoice seed` or load org units")
        code = territory_for(data.org_unit, data.transformer_area,
                             customer.transformer_area if customer else None, root)
        return org.territory(code)

    async def intake_async(self, data: AppealIn, actor: Actor) -> IntakeResult:
        """Intake from the event loop: on the asynchronous pool when there is one, else in a worker thread.

        Only what a plan cannot do in its round trips (load an existing appeal, merge a repeat call under a
        row lock, answer a lost race) goes to a worker thread.
        """
        pool = self.rt.async_pool
        if pool is None:
            return await anyio.to_thread.run_sync(self.intake, data, actor)
        self._may_create(actor)
        now = datetime.now(UTC)
        try:
            planned = await pool.run(self.intake_plan(data, actor, now))
            if planned.appeal is not None:
                return IntakeResult(planned.appeal, planned.outcome)
            return await anyio.to_thread.run_sync(self.finish_intake, planned, actor, now)
        except IntegrityError as exc:
            return await anyio.to_thread.run_sync(self.lost_race, data, exc, actor)

    def intake(self, data: AppealIn, actor: Actor, now: datetime | None = None) -> IntakeResult:
        self._may_create(actor)
        now = now or datetime.now(UTC)
        try:
            with self.rt.autocommit.connect() as conn:
                planned = run_plan(conn, self.intake_plan(data, actor, now))
            return self.finish_intake(planned, actor, now)
        except IntegrityError as exc:
            return self.lost_race(data, exc, actor)

    @staticmethod
    def _may_create(actor: Actor) -> None:
        require(actor, Permission.CREATE_APPEAL)

    def intake_plan(self, data: AppealIn, actor: Actor, now: datetime) -> IntakePlan:
        """The reads and, on PostgreSQL, the one-statement write of an intake, as round trips.

        Reads and preparation come first, outside any write transaction: on SQLite writers queue one at a
        time, so the write lock is held only for the repeat-call check and the inserts. On PostgreSQL the
        steps run in autocommit (no BEGIN/COMMIT round trips) and a new appeal is written in one statement.
        """
        org = self.rt.org()
        row = yield statements.lookup(data.channel.value, data.external_id, data.customer_no)
        if row.existing_id is not None:
            return PlannedIntake("existing", appeal_id=row.existing_id)
        customer: CustomerRecord | None = row if row.customer_no is not None else None
        if customer is None and data.phone:
            customer = yield statements.customer_by_phone(data.phone)
        prepared = self.prepare(data, org, customer, actor, now)
        if actor.org_code is not None and not org.is_within(prepared.values["org_unit"], actor.org_code):
            raise Forbidden(f"the appeal belongs to {prepared.values['org_unit']}, outside your territory "
                            f"{actor.org_code}")
        # one statement for company-wide callers; a territory-bound caller's repeat-call search is limited to
        # its territory, which the transactional path applies
        if self.rt.engine.dialect.name == "postgresql" and actor.org_code is None:
            values = prepared.values
            _, created_id = yield statements.insert_unless_repeat(
                values, prepared.event, self._window_start(values),
                values["business_type"] == BusinessType.URGE.value)
            if created_id is not None:
                return PlannedIntake("created", appeal=new_appeal_view(values, created_id))
        return PlannedIntake("write", prepared=prepared)

    def finish_intake(self, planned: PlannedIntake, actor: Actor, now: datetime) -> IntakeResult:
        """Load the existing appeal, or run the transactional rest of the plan (repeat call or SQLite)."""
        if planned.appeal is not None:
            return IntakeResult(planned.appeal, planned.outcome)
        if planned.appeal_id is not None:
            return IntakeResult(self._load_visible(planned.appeal_id, actor), planned.outcome)
        assert planned.prepared is not None
        with self.rt.writes.begin() as session:
            return self._write_intake(session, planned.prepared, actor, now)

    def _load_visible(self, appeal_id: int, actor: Actor) -> Appeal:
        """The appeal a re-posted call already produced, unless it lies outside the caller's territory."""
        with self.rt.sessions() as session:
            appeal = session.scalar(self._scoped(select(Appeal).where(Appeal.id == appeal_id), actor))
        if appeal is None:
            raise Conflict("this channel's call id is already registered for an appeal outside your territory")
        return appeal

    def lost_race(self, data: AppealIn, exc: IntegrityError, actor: Actor) -> IntakeResult:
        """A concurrent post of the same channel + external_id won the race: answer with that one."""
        if data.external_id is None:
            raise exc
        with self.rt.autocommit.connect() as conn:
            existing_id = run_plan(conn, first_value(statements.existing_call(data.channel.value,
                                                                               data.external_id)))
        if existing_id is None:
            raise exc
        return IntakeResult(self._load_visible(existing_id, actor), "existing")

    def _write_intake(self, session: Session, prepared: PreparedAppeal, actor: Actor, now: datetime
                      ) -> IntakeResult:
        original = self._open_original(session, prepared.values, actor)
        if original is not None:
            self._merge_as_urge(session, original, prepared.values, actor, now)
            return IntakeResult(original, "merged_as_urge")
        # table-level statements with separate parameters compile once and are reused from the cache
        appeals, events = Appeal.__table__, AppealEvent.__table__
        appeal_id = session.execute(appeals.insert().returning(appeals.c.id), prepared.values).scalar_one()
        session.execute(events.insert(), dict(prepared.event, appeal_id=appeal_id))
        return IntakeResult(new_appeal_view(prepared.values, appeal_id), "created")

    def _window_start(self, values: dict[str, Any]) -> datetime:
        return values["received_at"] - timedelta(hours=self.sla.duplicate_window_hours)

    def _open_original(self, session: Session, values: dict[str, Any], actor: Actor) -> Appeal | None:
        """An open appeal this new one repeats (重复来电 / 催办), if any."""
        terms = repeat_filter(values["customer_no"] or None, values["phone"] or None, self._window_start(values),
                              values["business_type"] == BusinessType.URGE.value, values["topic"])
        if not terms:
            return None
        # the id first (cheap, the usual answer is none), the whole appeal only when there is one to urge;
        # a territory-bound caller never urges an appeal outside its territory
        query = self._scoped(select(Appeal.id).where(*terms), actor)
        original_id = session.scalar(query.order_by(Appeal.received_at).limit(1))
        return session.get(Appeal, original_id) if original_id is not None else None

    def _merge_as_urge(self, session: Session, original: Appeal, values: dict[str, Any], actor: Actor,
                       now: datetime) -> None:
        event, merged = self.urge_rows(original, values, actor, now)
        session.add(AppealEvent(**event))
        if merged is not None:
            session.add(MergedCall(**merged))
        session.flush()

    def urge_rows(self, original: Appeal, values: dict[str, Any], actor: Actor, now: datetime
                  ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """Apply a repeat call to the open appeal it repeats; return the urge event and the merged-call row."""
        data = {"repeat_call": True, "channel": values["channel"], "content": values["content"],
                "external_id": values["external_id"], "received_at": values["received_at"].isoformat()}
        if values["urgent"] and not original.urgent:
            original.urgent = True
            original.duty_alert = True
        original.repeat_call_count += 1
        event = self.transition(original, Command(Action.URGE, note="重复来电 (repeat call)", extra=data),
                                actor.username, now)
        merged = None
        if values["external_id"] is not None:
            merged = {"channel": values["channel"], "external_id": values["external_id"],
                      "appeal_id": original.id, "received_at": values["received_at"]}
        return event, merged

    # ------------------------------------------------------------------------------------------ actions

    def act(self, appeal_id: int, event: EventIn, actor: Actor, now: datetime | None = None) -> Appeal:
        now = now or datetime.now(UTC)
        if actor.is_key:
            raise Forbidden(f"API key '{actor.username}' may not take lifecycle actions (no scope grants them)")
        if not roles.may_act(actor.role, event.action):
            raise Forbidden(f"role '{actor.role}' may not '{event.action.value}'")
        try:
            with self.rt.writes.begin() as session:
                appeal = self._get_for_update(session, appeal_id, actor)
                if appeal.version != event.version:
                    raise Conflict(f"stale version {event.version}: the appeal is at version {appeal.version}",
                                   appeal.version)
                extra = self._action_fields(session, appeal, event)
                cmd = Command(event.action, note=event.note, verdict=event.verdict,
                              duplicate_of=event.duplicate_of, extra=extra)
                self._apply(session, appeal, cmd, actor, now)
        except StaleDataError:
            raise Conflict("the appeal was changed by someone else at the same time; reload it") from None
        except IntegrityError:
            raise Conflict("the appeal was changed by someone else at the same time; reload it") from None
        return appeal

    def _action_fields(self, session: Session, appeal: Appeal, event: EventIn) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if event.action in lifecycle.NEEDS_REASON and not event.note.strip():
            raise BadInput("note", f"'{event.action.value}' needs a reason")
        if event.action == Action.REROUTE:
            if event.department is None and event.org_unit is None:
                raise BadInput("department", "re-route needs a department or an org_unit")
            if event.org_unit is not None and event.org_unit not in self.rt.org():
                raise BadInput("org_unit", f"unknown org unit '{event.org_unit}'")
            extra = {"department": event.department.value if event.department else None,
                     "org_unit": event.org_unit}
        if event.action == Action.CANCEL and event.duplicate_of is not None:
            if event.duplicate_of == appeal.id:
                raise BadInput("duplicate_of", "an appeal cannot duplicate itself")
            if session.get(Appeal, event.duplicate_of) is None:
                raise BadInput("duplicate_of", f"appeal {event.duplicate_of} does not exist")
            extra = {"duplicate_of": event.duplicate_of}
        if event.action == Action.CALLBACK:
            if event.verdict is None:
                raise BadInput("verdict", "a callback needs the customer's verdict")
            extra = _callback_details(event)
        elif event.scores is not None or event.reason:
            raise BadInput("scores" if event.scores is not None else "reason",
                           "only a callback carries the customer's item scores and reason")
        return extra

    def _apply(self, session: Session, appeal: Appeal, cmd: Command, actor: Actor, now: datetime) -> None:
        session.add(AppealEvent(**self.transition(appeal, cmd, actor.username, now)))
        session.flush()

    def transition(self, appeal: Appeal, cmd: Command, actor: str, now: datetime) -> dict[str, Any]:
        """Apply one command to an appeal object (attached or not) and return its event row.

        Raises Conflict with the state machine's reason when the action is not allowed; changes nothing then.
        """
        policy = self.sla.policy_for(appeal.business_type, appeal.topic, appeal.channel)
        state = self._state(appeal, policy)
        try:
            after = lifecycle.apply(state, cmd).after
        except lifecycle.IllegalAction as exc:
            raise Conflict(exc.reason, appeal.version) from exc
        before_status = appeal.status
        appeal.status = after.status.value
        appeal.status_before_suspend = after.status_before_suspend.value if after.status_before_suspend else None
        appeal.urge_count = after.urge_count
        appeal.escalate_count = after.escalate_count
        appeal.rehandle_count = after.rehandle_count
        appeal.verdict = after.verdict.value if after.verdict else None
        if cmd.action == Action.REROUTE:
            self._reroute(appeal, cmd.extra)
        if cmd.action == Action.CANCEL:
            appeal.duplicate_of = cmd.duplicate_of
        appeal.closed_at = now if after.status in lifecycle.TERMINAL else None
        self._update_clock(appeal, policy, cmd, now)
        appeal.updated_at = now
        appeal.version += 1
        data = dict(cmd.extra)
        if cmd.verdict is not None:
            data["verdict"] = cmd.verdict.value
        return {"appeal_id": appeal.id, "seq": appeal.version, "action": cmd.action.value, "actor": actor,
                "at": now, "note": cmd.note, "status_before": before_status, "status_after": appeal.status,
                "data": data}

    def recompute_clocks(self, session: Session, actor: Actor, config: SlaConfig | None = None,
                         now: datetime | None = None) -> int:
        """Recompute the due times of every open appeal under `config` (default: the policies in force), in
        the caller's transaction. Each appeal whose deadlines change gets a visible `recompute` event."""
        now = now or datetime.now(UTC)
        config = config or self.sla
        ids = list(session.scalars(select(Appeal.id).where(rare(Appeal.status.in_(OPEN_STATUSES))).order_by(Appeal.id)))
        changed = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for appeal in session.scalars(select(Appeal).where(one_of(Appeal.id, chunk, session.bind.dialect.name))):
                event = self._recompute(appeal, config, actor.username, now)
                if event is not None:
                    session.add(AppealEvent(**event))
                    changed += 1
            session.flush()
        return changed

    def _recompute(self, appeal: Appeal, config: SlaConfig, actor: str, now: datetime) -> dict[str, Any] | None:
        policy = config.policy_for(appeal.business_type, appeal.topic, appeal.channel)
        sched = schedule(config, policy, AreaClass(appeal.area_class), appeal.channel,
                         ClockState.from_json(appeal.clock))
        before = {"next_due_at": appeal.next_due_at, "warning": appeal.warning,
                  "policy_version": appeal.policy_version}
        after = {"next_due_at": sched.next_due, "warning": sched.warning_at(now).value,
                 "policy_version": config.version}
        if before == after and appeal.next_yellow_at == sched.next_yellow:
            return None
        appeal.next_due_at, appeal.next_yellow_at = sched.next_due, sched.next_yellow
        appeal.warning, appeal.policy_version = after["warning"], config.version
        appeal.overdue = appeal.overdue or after["warning"] == "red"
        appeal.updated_at = now
        appeal.version += 1
        note = (f"时限已按新版时限规则 {config.version} 重新计算 "
                f"(deadlines recomputed under SLA policies {config.version})")
        as_text = {k: {n: v.isoformat() if isinstance(v, datetime) else v for n, v in d.items()}
                   for k, d in (("before", before), ("after", after))}
        return {"appeal_id": appeal.id, "seq": appeal.version, "action": "recompute", "actor": actor, "at": now,
                "note": note, "status_before": appeal.status, "status_after": appeal.status, "data": as_text}

    def _reroute(self, appeal: Appeal, extra: dict[str, Any]) -> None:
        if extra.get("department"):
            appeal.department = extra["department"]
        if extra.get("org_unit"):
            t = self.rt.org().territory(extra["org_unit"])
            appeal.org_unit, appeal.org_path, appeal.county, appeal.station = t.code, t.path, t.county, t.station
            appeal.area_class = t.area_class

    def _update_clock(self, appeal: Appeal, policy: Policy, cmd: Command, now: datetime) -> None:
        clock = ClockState.from_json(appeal.clock)
        action = cmd.action.value
        if cmd.action == Action.CALLBACK and cmd.verdict == lifecycle.Verdict.DISSATISFIED:
            record_action(policy, clock, Action.CALLBACK.value, now)
            action = "rehandle"
        record_action(policy, clock, action, now)
        sched = schedule(self.sla, policy, AreaClass(appeal.area_class), appeal.channel, clock)
        appeal.clock = clock.to_json()
        if appeal.status in (Status.ARCHIVED, Status.CANCELLED):
            appeal.next_due_at = appeal.next_yellow_at = None
            appeal.warning = "none"
        else:
            appeal.next_due_at, appeal.next_yellow_at = sched.next_due, sched.next_yellow
            appeal.warning = sched.warning_at(now).value
        appeal.overdue = appeal.overdue or sched.any_late or appeal.warning == "red"

    @staticmethod
    def _state(appeal: Appeal | SimpleNamespace, policy: Policy) -> LifecycleState:
        return LifecycleState(
            status=Status(appeal.status), business_type=BusinessType(appeal.business_type),
            callback_required=policy.callback_required,
            status_before_suspend=Status(appeal.status_before_suspend) if appeal.status_before_suspend else None,
            urge_count=appeal.urge_count, escalate_count=appeal.escalate_count,
            rehandle_count=appeal.rehandle_count,
            verdict=lifecycle.Verdict(appeal.verdict) if appeal.verdict else None,
        )

    # ------------------------------------------------------------------------------------------ queries

    def _subtree(self, code: str, field: str) -> Any:
        """Appeals in the subtree of an org unit, as an equality on the denormalised level column (indexed
        with received_at, so a filtered newest-first page is an index walk)."""
        org = self.rt.org()
        if code not in org:
            raise BadInput(field, f"unknown org unit '{code}'")
        territory = org.territory(code)
        match territory.level:
            case "city":
                return Appeal.org_path.startswith(territory.path) if territory.code != org.root else true()
            case "county":
                return Appeal.county == code
            case "station":
                return Appeal.station == code
            case _:
                return Appeal.org_unit == code

    def _scoped(self, query: Select[Any], actor: Actor) -> Select[Any]:
        if actor.org_code is None:
            return query
        return query.where(self._subtree(actor.org_code, "actor.org_code"))

    def _get_for_update(self, session: Session, appeal_id: int, actor: Actor) -> Appeal:
        query = self._scoped(select(Appeal).where(Appeal.id == appeal_id), actor)
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        appeal = session.scalar(query)
        if appeal is None:
            # out-of-territory appeals answer 404 too: their existence is not disclosed
            raise NotFound(f"appeal {appeal_id} not found")
        return appeal

    def reveal(self, appeal_id: int, actor: Actor, reason: str) -> PersonalData:
        """The unmasked personal data of one appeal, for a stated reason; who, what, when and why are audited."""
        require(actor, Permission.REVEAL_PERSONAL_DATA)
        if not reason or not reason.strip():
            raise BadInput("reason", "say why the unmasked data is needed (it is recorded)")
        with self.rt.writes.begin() as session:
            appeal = session.scalar(self._scoped(select(Appeal).where(Appeal.id == appeal_id), actor))
            if appeal is None:
                raise NotFound(f"appeal {appeal_id} not found")
            data = PersonalData(customer_no=appeal.customer_no, customer_name=appeal.customer_name,
                                phone=appeal.phone, address=appeal.address)
            record(session, actor, "personal_data.reveal", "appeal", appeal_id, reason.strip(),
                   details={"fields": [k for k, v in data.model_dump().items() if v]})
            return data

    def get(self, appeal_id: int, actor: Actor) -> AppealDetail:
        require(actor, Permission.READ_APPEALS)
        with self.rt.sessions() as session:
            appeal = session.scalar(self._scoped(select(Appeal).where(Appeal.id == appeal_id), actor))
            if appeal is None:
                raise NotFound(f"appeal {appeal_id} not found")
            events = session.scalars(
                select(AppealEvent).where(AppealEvent.appeal_id == appeal_id).order_by(AppealEvent.seq))
            out = self.to_out(appeal)
            return AppealDetail(**out.model_dump(),
                                events=[EventOut.model_validate(e, from_attributes=True) for e in events])

    def filtered(self, filters: AppealFilters, actor: Actor) -> Select[Any]:
        require(actor, Permission.READ_APPEALS)
        conds = []
        for name in ("status", "business_type", "topic", "channel", "warning", "department", "urgent"):
            value = getattr(filters, name)
            if value is not None:
                conds.append(getattr(Appeal, name) == (value.value if hasattr(value, "value") else value))
        if filters.org_unit:
            conds.append(self._subtree(filters.org_unit, "org_unit"))
        if filters.received_from:
            conds.append(Appeal.received_at >= filters.received_from)
        if filters.received_to:
            conds.append(Appeal.received_at < filters.received_to)
        if filters.q:
            q = filters.q
            pattern = "%" + q.replace("%", r"\%").replace("_", r"\_") + "%"
            text_conds = [Appeal.content.ilike(pattern, escape="\\"), Appeal.customer_no == q, Appeal.phone == q]
            if q.isdigit() and int(q) <= MAX_ID:
                text_conds.append(Appeal.id == int(q))
            conds.append(or_(*text_conds))
        return self._scoped(select(Appeal).where(*conds), actor)

    def list(self, filters: AppealFilters, actor: Actor, page: int = 1, page_size: int = 50
             ) -> tuple[list[AppealOut], int]:
        """A page, newest first, and the number of matches counted up to COUNT_CAP (beyond it: COUNT_CAP).

        Counting a million matches exactly costs more than the page itself; nobody pages through thousands of
        rows, they narrow the filters (or export the set).
        """
        query = self.filtered(filters, actor)
        with self.rt.sessions() as session:
            capped = query.with_only_columns(Appeal.id).order_by(None).limit(COUNT_CAP).subquery()
            total = session.scalar(select(func.count()).select_from(capped)) or 0
            rows = session.scalars(query.order_by(Appeal.received_at.desc(), Appeal.id.desc())
                                   .offset((page - 1) * page_size).limit(page_size))
            return [self.to_out(a) for a in rows], total

    def supervision(self, actor: Actor, level: str = "county") -> list[SupervisionRow]:
        """Yellow and red appeals per unit and department: the 督办 board."""
        require(actor, Permission.SUPERVISE)
        if level not in ("county", "station", "org_unit"):
            raise BadInput("level", "one of county, station, org_unit")
        # group in the order of the covering index (warning, county, station, department): the planner then
        # reads the warned appeals from that index instead of walking a whole unit index to avoid a sort
        keys = [Appeal.warning, Appeal.county, Appeal.station]
        if level == "org_unit":
            keys.append(Appeal.org_unit)
        keys.append(Appeal.department)
        query = self._scoped(
            select(*keys, func.count()).where(Appeal.warning.in_(("yellow", "red"))).group_by(*keys), actor)
        org = self.rt.org()
        counts: dict[tuple[str, str], dict[str, int]] = {}
        with self.rt.sessions() as session:
            for row in session.execute(query):
                unit = getattr(row, level)
                cell = counts.setdefault((unit or org.root or "", row.department), {"yellow": 0, "red": 0})
                cell[row.warning] += row[-1]
        rows = [SupervisionRow(unit=u, unit_name=org.units[u].name if u in org.units else u, department=d,
                               yellow=c["yellow"], red=c["red"]) for (u, d), c in counts.items()]
        return sorted(rows, key=lambda r: (-r.red, -r.yellow, r.unit, r.department))

    def overdue_queue(self, actor: Actor, limit: int = 100) -> list[AppealOut]:
        # walk the due-time index from the earliest and keep the warned ones: red ones come first
        query = self._scoped(select(Appeal).where(Appeal.next_due_at.is_not(None), Appeal.warning != "none"),
                             actor)
        with self.rt.sessions() as session:
            rows = session.scalars(query.order_by(Appeal.next_due_at).limit(limit))
            return [self.to_out(a) for a in rows]

    # ------------------------------------------------------------------------------------------ SLA

    def sla_check(self, now: datetime | None = None) -> SlaCheckResult:
        """Bring warning levels up to `now`. Derived state: does not bump `version` (no user edit)."""
        now = now or datetime.now(UTC)
        with self.rt.writes.begin() as session:
            red = session.execute(
                update(Appeal).where(Appeal.next_due_at < now, Appeal.warning != "red")
                .values(warning="red", overdue=True).execution_options(synchronize_session=False))
            yellow = session.execute(
                update(Appeal).where(Appeal.next_yellow_at <= now, Appeal.warning == "none",
                                     or_(Appeal.next_due_at.is_(None), Appeal.next_due_at >= now))
                .values(warning="yellow").execution_options(synchronize_session=False))
            totals = dict(session.execute(
                select(Appeal.warning, func.count()).where(Appeal.warning != "none").group_by(Appeal.warning)
            ).all())
        return SlaCheckResult(checked_at=now, turned_yellow=yellow.rowcount, turned_red=red.rowcount,
                              open_yellow=totals.get("yellow", 0), open_red=totals.get("red", 0))

    def counts_by_status_warning(self) -> Sequence[tuple[str, str, int]]:
        with self.rt.sessions() as session:
            return [tuple(r) for r in session.execute(
                select(Appeal.status, Appeal.warning, func.count()).group_by(Appeal.status, Appeal.warning))]

    # ------------------------------------------------------------------------------------------ output

    def to_out(self, appeal: Appeal | SimpleNamespace, outcome: str | None = None, reveal: bool = False) -> AppealOut:
        policy = self.sla.policy_for(appeal.business_type, appeal.topic, appeal.channel)
        clock = ClockState.from_json(appeal.clock)
        sched = schedule(self.sla, policy, AreaClass(appeal.area_class), appeal.channel, clock)
        mask = _identity if reveal else _mask
        return AppealOut(
            id=appeal.id, status=appeal.status, business_type=appeal.business_type, topic=appeal.topic,
            factor=appeal.factor, urgent=appeal.urgent, department=appeal.department, org_unit=appeal.org_unit,
            due=sched.due_map(), warning=appeal.warning, version=appeal.version, channel=appeal.channel,
            external_id=appeal.external_id, received_at=appeal.received_at, content=appeal.content,
            customer_no=mask("customer_no", appeal.customer_no),
            customer_name=mask("customer_name", appeal.customer_name),
            phone=mask("phone", appeal.phone), address=mask("address", appeal.address),
            transformer_area=appeal.transformer_area, county=appeal.county, station=appeal.station,
            labels_source=appeal.labels_source, label_confidence=appeal.label_confidence,
            needs_review=appeal.needs_review, overdue=appeal.overdue, next_due_at=appeal.next_due_at,
            urge_count=appeal.urge_count, repeat_call_count=appeal.repeat_call_count,
            escalate_count=appeal.escalate_count, rehandle_count=appeal.rehandle_count, verdict=appeal.verdict,
            duty_alert=appeal.duty_alert, duplicate_of=appeal.duplicate_of,
            allowed_actions=lifecycle.allowed_actions(self._state(appeal, policy)),
            created_at=appeal.created_at, updated_at=appeal.updated_at, closed_at=appeal.closed_at,
            synthetic=appeal.synthetic, policy_version=appeal.policy_version, intake_outcome=outcome,
        )


def _callback_details(event: EventIn) -> dict[str, Any]:
    """The callback's item scores and reason as the event stores them (whitespace runs made one space, so the
    same reason typed twice groups as one)."""
    details: dict[str, Any] = {}
    scores = event.scores.model_dump(exclude_none=True) if event.scores is not None else {}
    if scores:
        details["scores"] = scores
    reason = " ".join((event.reason or "").split())
    if reason:
        details["reason"] = reason
    return details


def _mask(field: str, value: str | None) -> str | None:
    return {
        "customer_no": privacy.mask_customer_no, "customer_name": privacy.mask_name,
        "phone": privacy.mask_phone, "address": privacy.mask_address,
    }[field](value)


def _identity(_field: str, value: str | None) -> str | None:
    return value
