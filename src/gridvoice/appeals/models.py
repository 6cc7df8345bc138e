"""Appeals (诉求工单) and their append-only event timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gridvoice.store.base import Base, JsonDoc, UtcDateTime


class Appeal(Base):
    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    content: Mapped[str] = mapped_column(Text)
    customer_no: Mapped[str | None] = mapped_column(String(32), nullable=True)
    customer_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    org_unit: Mapped[str] = mapped_column(String(32))
    org_path: Mapped[str] = mapped_column(String(200))
    # denormalised ancestors of org_unit: supervision and analysis group by them without joins
    county: Mapped[str | None] = mapped_column(String(32), nullable=True)
    station: Mapped[str | None] = mapped_column(String(32), nullable=True)
    transformer_area: Mapped[str | None] = mapped_column(String(32), nullable=True)
    area_class: Mapped[str] = mapped_column(String(10))
    business_type: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(30))
    factor: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    labels_source: Mapped[str] = mapped_column(String(20), default="given")  # given | keyword | model
    label_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    department: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    status_before_suspend: Mapped[str | None] = mapped_column(String(20), nullable=True)
    warning: Mapped[str] = mapped_column(String(10), default="none")
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)  # any milestone ever missed
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    next_yellow_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    policy_version: Mapped[str] = mapped_column(String(40))
    clock: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    verdict: Mapped[str | None] = mapped_column(String(24), nullable=True)
    urge_count: Mapped[int] = mapped_column(Integer, default=0)
    repeat_call_count: Mapped[int] = mapped_column(Integer, default=0)  # 重复来电 merged into this appeal
    escalate_count: Mapped[int] = mapped_column(Integer, default=0)
    rehandle_count: Mapped[int] = mapped_column(Integer, default=0)
    duty_alert: Mapped[bool] = mapped_column(Boolean, default=False)  # urgent: flagged to the duty officer
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("appeals.id"), nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    # the service sets the next version itself (it numbers the event with it); the ORM checks the old one
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_appeals_channel_external_id"),
        # lists: one filter plus the newest-first order, walked in index order and stopped after a page
        Index("ix_appeals_received_at", "received_at"),
        Index("ix_appeals_status_received", "status", "received_at"),
        Index("ix_appeals_county_received", "county", "received_at"),
        Index("ix_appeals_station_received", "station", "received_at"),
        Index("ix_appeals_org_unit_received", "org_unit", "received_at"),
        Index("ix_appeals_type_topic", "business_type", "topic"),
        Index("ix_appeals_department_status", "department", "status"),
        # intake: repeat callers
        Index("ix_appeals_customer_no", "customer_no"),
        Index("ix_appeals_phone", "phone"),
        # SLA job and supervision board
        Index("ix_appeals_next_due_at", "next_due_at"),
        Index("ix_appeals_warning_next_yellow", "warning", "next_yellow_at"),
        # covering index: the board groups warned appeals by county or station and department
        Index("ix_appeals_warning_units_department", "warning", "county", "station", "department"),
    )


class AppealEvent(Base):
    __tablename__ = "appeal_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    status_before: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status_after: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)

    __table_args__ = (
        UniqueConstraint("appeal_id", "seq", name="uq_appeal_events_appeal_seq"),
        Index("ix_appeal_events_at", "at"),
    )


class MergedCall(Base):
    """A channel's call that was merged into an open appeal as an urge (重复来电).

    Keeps the call's channel + external_id so a retried post of the same call is answered idempotently
    instead of being counted again.
    """

    __tablename__ = "merged_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_merged_calls_channel_external_id"),)
