"""Pydantic I/O of the satisfaction area: the same models serve the API, the CLI's JSON and the console."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from gridvoice.api.fields import no_nul

SurveyId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
GroupBy = Literal["unit", "station", "department", "topic", "business_type", "handler", "period"]
Granularity = Literal["month", "quarter", "half", "year"]
MAX_API_ROWS = 200_000  # rows of answers posted to /satisfaction/fit in one request


# ------------------------------------------------------------------------------------------------ callbacks


class CallbackStats(BaseModel):
    """Callback (回访) figures of a set of appeals. Appeals count once (coverage); callbacks count each time a
    customer was called back (a re-handled appeal is called back again), so verdicts are per callback."""

    appeals: int = Field(description="appeals in the scope")
    called_back: int = Field(description="appeals called back at least once")
    missed: int = Field(description="resolved appeals whose callback is past due and not made")
    awaiting: int = Field(description="resolved appeals whose callback is not due yet")
    due: int = Field(description="called_back + missed: the appeals that had to be called back by now")
    coverage: float | None = Field(description="called_back / due (回访率)")
    callbacks: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    satisfaction_rate: float | None = Field(description="(satisfied + basically satisfied) / callbacks (满意率)")
    strict_satisfaction_rate: float | None = Field(description="satisfied / callbacks (十分满意率)")
    scores: dict[str, float | None] = Field(description="mean 1–10 item score per item (speed, attitude, result)")
    scored: dict[str, int] = Field(description="callbacks with the item scored")
    rehandling: int = Field(description="open appeals whose last callback was dissatisfied (re-handled, supervised)")


class CallbackGroup(CallbackStats):
    key: str | None
    name: str


class ReasonCount(BaseModel):
    reason: str = Field(description="the customer's reason as recorded; empty when none was given")
    count: int
    share: float = Field(description="of the dissatisfied callbacks")


class CallbackReport(BaseModel):
    by: GroupBy | None
    granularity: Granularity
    as_of: datetime
    filters: dict[str, Any]
    overall: CallbackStats
    groups: list[CallbackGroup]
    reasons: list[ReasonCount]
    synthetic: bool = Field(description="some appeals of the scope are synthetic (demo data)")


# -------------------------------------------------------------------------------------------------- surveys


class RowProblem(BaseModel):
    row: int = Field(description="the line in a CSV, the row in a sheet")
    field: str
    reason: str


class SurveyCounts(BaseModel):
    read: int
    accepted: int
    rejected: int
    flagged_missing: int = Field(description="accepted rows with some answers missing")
    flagged_straight_lining: int = Field(description="accepted rows giving the same answer to every item")


class SurveySource(BaseModel):
    file: str
    sha256: str
    bytes: int


class SurveyManifest(BaseModel):
    """What `GRIDVOICE_HOME/surveys/<id>/manifest.json` records of an imported survey."""

    id: SurveyId
    title: str
    imported_at: datetime
    imported_by: str
    source: SurveySource
    instrument: dict[str, Any] = Field(description="name, version and the model spec the answers were checked "
                                                   "against (fits use it, whatever the defaults become)")
    counts: SurveyCounts
    units: list[str]
    periods: list[str]
    segments: list[str]
    channels: list[str]
    synthetic: bool
    mode: Literal["rows", "atomic"]


class ImportResult(BaseModel):
    survey_id: str
    dry_run: bool
    mode: Literal["rows", "atomic"]
    stored: bool = Field(description="the accepted rows were stored (not a dry run, and atomic mode had no "
                                     "rejected row)")
    counts: SurveyCounts
    problems: list[RowProblem] = Field(description="rejected rows, with the row, the column and the reason")
    flags: list[RowProblem] = Field(description="accepted rows that are flagged (missing answers, "
                                                "straight-lining), at most 1,000 listed")


# --------------------------------------------------------------------------------------------- CSI results


class Interval(BaseModel):
    low: float | None
    high: float | None


class CsiSummary(BaseModel):
    """One fit of the CSI model: the 0–100 index per construct (with bootstrap intervals when asked), R², paths,
    reliability and the importance–performance map of the target."""

    n: int
    index: dict[str, float | None]
    index_ci: dict[str, Interval] | None = None
    r_squared: dict[str, float]
    path_coefficients: dict[str, float]
    reliability: dict[str, dict[str, float | None]]
    ipma: dict[str, Any] | None
    warnings: list[str]


class CsiResult(BaseModel):
    survey_id: str
    by: str | None
    target: str | None
    labels: dict[str, str] = Field(description="construct code → Chinese name")
    names: dict[str, str] = Field(description="group key → name (org units by name)")
    rows: int = Field(description="answers used (after territory, unit, period and flag filters)")
    excluded_straight_lining: int
    overall: CsiSummary | None
    groups: dict[str, CsiSummary]
    skipped: dict[str, str]
    synthetic: bool


# ------------------------------------------------------------------------------------------------ API bodies


class FitIn(BaseModel):
    """POST /satisfaction/fit: a spec with rows of answers, or a stored survey (optionally one unit / period)."""

    model_config = ConfigDict(extra="forbid")

    spec: dict[str, Any] | None = Field(default=None, description="as `gridvoice satisfaction fit --spec`")
    data: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_API_ROWS,
                                              description="rows of answers, one key per item")
    survey_id: SurveyId | None = None
    unit: Annotated[str, StringConstraints(max_length=32)] | None = None
    period: Annotated[str, StringConstraints(max_length=20)] | None = None
    target: Annotated[str, StringConstraints(max_length=64)] | None = None
    bootstrap: int = Field(default=0, ge=0, le=5000)
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)

    @field_validator("unit", "period", "target", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return no_nul(value)


class AhpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    matrix: list[list[float | str]] = Field(min_length=1, max_length=30,
                                            description="pairwise comparisons; cells like 3 or \"1/3\"")
    labels: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] | None = None
    method: Literal["eigenvector", "geometric", "arithmetic"] = "eigenvector"
    random_index: str = "saaty"
    tolerance: float = Field(default=0.05, gt=0, le=1)


class EntropyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: list[dict[str, float]] = Field(min_length=2, max_length=MAX_API_ROWS,
                                         description="samples: indicator → value")
    negative: list[str] = Field(default_factory=list, description="negative (cost) indicators")
    normalisation: Literal["minmax", "sum"] = "minmax"


class WeightsOut(BaseModel):
    weights: dict[str, float]
    normalisation: str
    negative: list[str]
    samples: int
