"""Pydantic I/O of the appeals area: the same validation serves the API, the importer and the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from gridvoice.api.fields import no_nul
from gridvoice.domain.clock import LOCAL_TZ
from gridvoice.domain.lifecycle import Action, Status, Verdict
from gridvoice.domain.sla import Warning
from gridvoice.domain.taxonomy import BusinessType, Channel, Department, Topic

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
# tolerate clock skew between channel systems, refuse appeals from the future beyond that
FUTURE_TOLERANCE = timedelta(minutes=5)


MAX_ID = 2**31 - 1  # ids are 32-bit integers on every backend


def as_utc(value: datetime) -> datetime:
    """Naive times are Beijing time (what agents and channel exports write); store UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("date and time out of range") from None


class AppealIn(BaseModel):
    """A new appeal from any channel (POST /api/v1/appeals, one import row)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    received_at: datetime | None = None
    content: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    customer_no: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{4,32}$")] | None = None
    customer_name: Annotated[str, StringConstraints(max_length=100)] | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 -]{3,22}$")] | None = None
    address: Annotated[str, StringConstraints(max_length=200)] | None = None
    org_unit: Code | None = None
    transformer_area: Code | None = None
    business_type: BusinessType | None = None
    topic: Topic | None = None
    urgent: bool | None = None

    @field_validator("received_at")
    @classmethod
    def _received_at(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        if value > datetime.now(UTC) + FUTURE_TOLERANCE:
            raise ValueError("received_at lies in the future")
        if value.year < 2000:
            raise ValueError("received_at is before 2000")
        return value

    @field_validator("customer_no", "customer_name", "phone", "address", "external_id", "org_unit",
                     "transformer_area", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        value = no_nul(value)
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            # spreadsheets turn 户号 and phone numbers into numbers; keep their digits
            return str(int(value)) if float(value).is_integer() else str(value)
        return value

    @field_validator("content", mode="before")
    @classmethod
    def _content(cls, value: Any) -> Any:
        return no_nul(value)

    @field_validator("business_type", "topic", "urgent", mode="before")
    @classmethod
    def _blank_label_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value


CALLBACK_ITEMS = ("speed", "attitude", "result")  # 处理速度, 服务态度, 处理结果: the callback's item scores


class CallbackScores(BaseModel):
    """The customer's 1–10 marks at a callback (回访): how fast, how courteous, how well the matter was solved."""

    model_config = ConfigDict(extra="forbid")

    speed: int | None = Field(default=None, ge=1, le=10)
    attitude: int | None = Field(default=None, ge=1, le=10)
    result: int | None = Field(default=None, ge=1, le=10)

    @field_validator("speed", "attitude", "result", mode="before")
    @classmethod
    def _not_a_flag(cls, value: Any) -> Any:
        if isinstance(value, bool):  # True would pass as 1
            raise ValueError("a score is a whole number from 1 to 10")
        return value


class EventIn(BaseModel):
    """One lifecycle action (POST /api/v1/appeals/{id}/events)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    action: Action
    version: int = Field(ge=1, le=2**31 - 1)
    note: Annotated[str, StringConstraints(max_length=2000)] = ""
    verdict: Verdict | None = None
    # a callback's optional item scores and the customer's reason, kept in the event's data
    scores: CallbackScores | None = None
    reason: Annotated[str, StringConstraints(max_length=500)] | None = None

    @field_validator("note", "reason", mode="before")
    @classmethod
    def _note(cls, value: Any) -> Any:
        return no_nul(value)
    duplicate_of: int | None = Field(default=None, ge=1, le=MAX_ID)
    department: Department | None = None
    org_unit: Code | None = None


class EventOut(BaseModel):
    seq: int
    action: str
    actor: str
    at: datetime
    note: str
    status_before: str | None
    status_after: str
    data: dict[str, Any]


class AppealOut(BaseModel):
    id: int
    status: Status
    business_type: BusinessType
    topic: Topic
    factor: str
    urgent: bool
    department: Department
    org_unit: str
    due: dict[str, datetime | None]
    warning: Warning
    version: int
    channel: Channel
    external_id: str | None
    received_at: datetime
    content: str
    customer_no: str | None
    customer_name: str | None
    phone: str | None
    address: str | None
    transformer_area: str | None
    county: str | None
    station: str | None
    labels_source: str
    label_confidence: float | None
    needs_review: bool
    overdue: bool
    next_due_at: datetime | None
    urge_count: int
    repeat_call_count: int
    escalate_count: int
    rehandle_count: int
    verdict: Verdict | None
    duty_alert: bool
    duplicate_of: int | None
    allowed_actions: list[Action]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    synthetic: bool
    policy_version: str
    intake_outcome: Literal["created", "existing", "merged_as_urge"] | None = None


class AppealDetail(AppealOut):
    events: list[EventOut]


class AppealPage(BaseModel):
    items: list[AppealOut]
    total: int = Field(description="matches, counted exactly up to 2,000 (see total_capped)")
    total_capped: bool = Field(default=False, description="true when there are at least `total` matches")
    page: int
    page_size: int


class AppealFilters(BaseModel):
    """Filters shared by GET /appeals, `export appeals` and the console."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    business_type: BusinessType | None = None
    topic: Topic | None = None
    org_unit: Code | None = None
    channel: Channel | None = None
    warning: Warning | None = None
    department: Department | None = None
    urgent: bool | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None

    @field_validator("received_from", "received_to")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    @field_validator("org_unit", "q", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        value = no_nul(value)
        return None if isinstance(value, str) and not value.strip() else value


class RevealIn(BaseModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> Any:
        return no_nul(value)


class PersonalData(BaseModel):
    """Unmasked personal data of one appeal (POST /appeals/{id}/reveal; audited)."""

    customer_no: str | None
    customer_name: str | None
    phone: str | None
    address: str | None


class SupervisionRow(BaseModel):
    unit: str
    unit_name: str
    department: Department
    yellow: int
    red: int


class SlaCheckResult(BaseModel):
    checked_at: datetime
    turned_yellow: int
    turned_red: int
    open_yellow: int
    open_red: int
