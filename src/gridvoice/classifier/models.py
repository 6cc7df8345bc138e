"""Agents' corrections of an appeal's labels (kept whole, so the next training can learn from them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gridvoice.store.base import Base, JsonDoc, UtcDateTime


class LabelCorrection(Base):
    __tablename__ = "label_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    # the text and channel as they were labelled: training reads them without joining the appeals
    content: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))
    business_type: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(30))
    urgent: Mapped[bool] = mapped_column(Boolean)
    previous: Mapped[dict[str, Any]] = mapped_column(JsonDoc)  # labels, source and confidence before
    note: Mapped[str] = mapped_column(Text, default="")
    corrected_by: Mapped[str] = mapped_column(String(64))
    corrected_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_label_corrections_appeal_id", "appeal_id"),
        Index("ix_label_corrections_corrected_at", "corrected_at"),
    )
