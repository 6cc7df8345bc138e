"""Organisation tree (city → county → station → transformer area), feeders and customers."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gridvoice.store.base import Base


class OrgUnit(Base):
    __tablename__ = "org_units"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))  # city | county | station | transformer_area
    parent: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"), nullable=True)
    area_class: Mapped[str] = mapped_column(String(10))  # urban | rural | remote
    # materialised path "/CITY/COUNTY/STATION/TA/": subtree filters are one indexed prefix match
    path: Mapped[str] = mapped_column(String(200), index=True)
    feeder: Mapped[str | None] = mapped_column(ForeignKey("feeders.code"), nullable=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Feeder(Base):
    __tablename__ = "feeders"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    station: Mapped[str] = mapped_column(String(32), index=True)
    voltage_kv: Mapped[int] = mapped_column(Integer, default=10)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_no: Mapped[str] = mapped_column(String(32), unique=True)  # 户号
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))  # residential | non_residential
    important: Mapped[bool] = mapped_column(Boolean, default=False)  # 重要客户
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)  # 敏感客户
    voltage_level: Mapped[str] = mapped_column(String(10))  # 220V | 380V | 10kV ...
    transformer_area: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"), nullable=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")  # stored whole, shown masked
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_customers_phone", "phone"), Index("ix_customers_ta", "transformer_area"))
