"""Versions of the rule files edited in the console (SLA policies, responsibility matrix)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gridvoice.store.base import Base, UtcDateTime


class RuleSetVersion(Base):
    """One accepted version of a rule file, kept whole; the newest of a kind is the one in force."""

    __tablename__ = "rule_set_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # sla | responsibility
    version: Mapped[str] = mapped_column(String(40))  # the file's own `version`
    text: Mapped[str] = mapped_column(Text)  # the TOML as submitted
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("kind", "version", name="uq_rule_set_versions_kind_version"),
        Index("ix_rule_set_versions_kind_id", "kind", "id"),
    )
