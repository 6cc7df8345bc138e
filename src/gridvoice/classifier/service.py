"""Use cases around the classifier: an agent corrects an appeal's labels, an appeal's labels are explained, and
training data is read from the operational store (labelled history and corrections)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gridvoice.appeals.models import Appeal
from gridvoice.appeals.service import AppealService
from gridvoice.appeals.statements import OPEN_STATUSES
from gridvoice.audit.service import record
from gridvoice.auth.service import Actor, require
from gridvoice.classifier.model import AppealClassifier, LabelledTexts
from gridvoice.classifier.models import LabelCorrection
from gridvoice.domain.roles import Permission
from gridvoice.domain.sla import AreaClass, ClockState, schedule
from gridvoice.domain.taxonomy import BusinessType, Topic, factor_of
from gridvoice.errors import BadInput, Conflict, NotFound
from gridvoice.runtime import Runtime

CORRECTED = "corrected"
# labels an agent or the source system gave: the only ones training may learn from (never the model's own)
TRUSTED_SOURCES = ("given", CORRECTED)


class LabelsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    business_type: BusinessType | None = None
    topic: Topic | None = None
    urgent: bool | None = None
    note: str = Field(default="", max_length=500)
    version: int | None = Field(default=None, ge=1, description="the appeal version seen; 409 when stale")

    @model_validator(mode="after")
    def _some_label(self) -> LabelsIn:
        if self.business_type is None and self.topic is None and self.urgent is None:
            raise ValueError("give at least one of business_type, topic, urgent")
        return self


class LabelsOut(BaseModel):
    appeal_id: int
    business_type: str
    topic: str
    factor: str
    urgent: bool
    labels_source: str
    needs_review: bool
    version: int
    correction_id: int


def _visible(rt: Runtime, appeal_id: int, actor: Actor) -> None:
    """404 for an appeal outside the actor's territory (its existence is not disclosed)."""
    AppealService(rt).get(appeal_id, actor)


def correct_labels(rt: Runtime, appeal_id: int, body: LabelsIn, actor: Actor,
                   now: datetime | None = None) -> LabelsOut:
    """Store an agent's labels for an appeal, update the appeal (and its deadlines if the SLA policy changes)
    and audit the change, in one transaction."""
    require(actor, Permission.CORRECT_LABELS)
    _visible(rt, appeal_id, actor)
    now = now or datetime.now(UTC)
    try:
        with rt.writes.begin() as session:
            appeal = session.get(Appeal, appeal_id)
            if appeal is None:
                raise NotFound(f"appeal {appeal_id} not found")
            if body.version is not None and body.version != appeal.version:
                raise Conflict(f"stale version {body.version}: the appeal is at version {appeal.version}",
                               appeal.version)
            correction = _apply(rt, session, appeal, body, actor, now)
            session.flush()
            return LabelsOut(appeal_id=appeal.id, business_type=appeal.business_type, topic=appeal.topic,
                             factor=appeal.factor, urgent=appeal.urgent, labels_source=appeal.labels_source,
                             needs_review=appeal.needs_review, version=appeal.version, correction_id=correction.id)
    except StaleDataError:
        raise Conflict("the appeal was changed by someone else at the same time; reload it") from None


def _apply(rt: Runtime, session: Session, appeal: Appeal, body: LabelsIn, actor: Actor,
           now: datetime) -> LabelCorrection:
    before = {"business_type": appeal.business_type, "topic": appeal.topic, "urgent": appeal.urgent,
              "labels_source": appeal.labels_source, "label_confidence": appeal.label_confidence}
    business_type = body.business_type.value if body.business_type else appeal.business_type
    topic = body.topic.value if body.topic else appeal.topic
    urgent = appeal.urgent if body.urgent is None else body.urgent
    appeal.business_type, appeal.topic, appeal.factor = business_type, topic, factor_of(topic).value
    appeal.urgent = urgent
    appeal.duty_alert = appeal.duty_alert or urgent  # a newly urgent appeal alerts the duty officer too
    appeal.labels_source, appeal.needs_review = CORRECTED, False
    if appeal.status in OPEN_STATUSES:
        _reschedule(rt, appeal, now)
    appeal.updated_at = now
    appeal.version += 1
    correction = LabelCorrection(appeal_id=appeal.id, content=appeal.content, channel=appeal.channel,
                                 business_type=business_type, topic=topic, urgent=urgent, previous=before,
                                 note=body.note.strip(), corrected_by=actor.username, corrected_at=now)
    session.add(correction)
    after = {"business_type": business_type, "topic": topic, "urgent": urgent}
    record(session, actor, "appeal.labels_correct", "appeal", appeal.id, body.note.strip(),
           details={"before": before, "after": after, "version": appeal.version}, at=now)
    return correction


def _reschedule(rt: Runtime, appeal: Appeal, now: datetime) -> None:
    """Deadlines under the policy of the corrected labels (a repair has other limits than an inquiry)."""
    config = rt.sla
    policy = config.policy_for(appeal.business_type, appeal.topic, appeal.channel)
    sched = schedule(config, policy, AreaClass(appeal.area_class), appeal.channel, ClockState.from_json(appeal.clock))
    appeal.next_due_at, appeal.next_yellow_at = sched.next_due, sched.next_yellow
    appeal.warning = sched.warning_at(now).value
    appeal.overdue = appeal.overdue or appeal.warning == "red"
    appeal.policy_version = config.version


def installed_model(rt: Runtime) -> AppealClassifier:
    """The model intake uses; 409 when the installation has none (the appeal exists, the model does not)."""
    model = getattr(rt.labeller, "model", None)
    loaded = model() if callable(model) else None
    if loaded is None:
        raise Conflict("no classifier model is installed: run `gridvoice model train --default`")
    return loaded[0]


def explain_appeal(rt: Runtime, appeal_id: int, actor: Actor, top: int = 8) -> dict[str, Any]:
    """The installed model's reading of an appeal's text beside the labels it carries."""
    detail = AppealService(rt).get(appeal_id, actor)  # permission and territory before anything else
    explanation = installed_model(rt).explain(detail.content, detail.channel, top)
    return {"appeal_id": appeal_id,
            "labels": {"business_type": detail.business_type, "topic": detail.topic, "urgent": detail.urgent,
                       "labels_source": detail.labels_source, "label_confidence": detail.label_confidence},
            **explanation.as_json()}


def corrections(rt: Runtime) -> LabelledTexts:
    """Every appeal's latest correction, as training data."""
    data = LabelledTexts([], [], [], [], [])
    with rt.sessions() as session:
        latest: dict[int, LabelCorrection] = {}
        for row in session.scalars(select(LabelCorrection).order_by(LabelCorrection.id)):
            latest[row.appeal_id] = row
    for row in latest.values():
        data.texts.append(row.content)
        data.channels.append(row.channel)
        data.business_type.append(row.business_type)
        data.topic.append(row.topic)
        data.urgent.append(row.urgent)
    return data


def store_history(rt: Runtime, exclude_synthetic: bool = False) -> LabelledTexts:
    """Appeals whose labels a person or the source system gave (or an agent corrected), as training data."""
    query = select(Appeal.content, Appeal.channel, Appeal.business_type, Appeal.topic, Appeal.urgent).where(
        Appeal.labels_source.in_(TRUSTED_SOURCES)).order_by(Appeal.id)
    if exclude_synthetic:
        query = query.where(Appeal.synthetic.is_(False))
    data = LabelledTexts([], [], [], [], [])
    with rt.sessions() as session:
        for content, channel, business_type, topic, urgent in session.execute(query):
            data.texts.append(content)
            data.channels.append(channel)
            data.business_type.append(business_type)
            data.topic.append(topic)
            data.urgent.append(bool(urgent))
    if not data.texts:
        raise BadInput("from-store", "the store holds no appeals with given or corrected labels")
    return data
