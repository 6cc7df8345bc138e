"""Use cases of satisfaction management, shared by the API, the CLI and the console: callback figures, survey
import and listing, the CSI model of a stored survey per unit / segment / channel / period, model fits on posted
data, AHP and entropy weights. Every call checks the actor's permission; survey answers are bounded by the
actor's territory (rows of units outside it are left out), as appeals are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridvoice.appeals.schemas import AppealFilters, AppealOut
from gridvoice.appeals.service import AppealService
from gridvoice.auth.service import Actor, require
from gridvoice.domain.roles import Permission
from gridvoice.domain.weighting import WeightingError, ahp, entropy_weights
from gridvoice.errors import BadInput
from gridvoice.runtime import Runtime
from gridvoice.satisfaction import callbacks, surveys
from gridvoice.satisfaction.bootstrap import BootstrapResult, bootstrap
from gridvoice.satisfaction.cells import as_number
from gridvoice.satisfaction.ipma import ipma
from gridvoice.satisfaction.periods import parse_period
from gridvoice.satisfaction.pls import EstimationError, PlsResult, fit, fit_by_group
from gridvoice.satisfaction.schemas import (
    AhpIn,
    CallbackReport,
    CsiResult,
    CsiSummary,
    EntropyIn,
    FitIn,
    Granularity,
    GroupBy,
    ImportResult,
    Interval,
    SurveyManifest,
    WeightsOut,
)
from gridvoice.satisfaction.spec import ModelSpec, check_estimable, parse_spec, prepare_data

SURVEY_GROUPS = ("unit", "segment", "channel", "period")
DEFAULT_RESAMPLES = 1000  # bootstrap intervals of reports (ADR 0011: ~2 s for 10,000 respondents)


@dataclass(frozen=True)
class SurveyRows:
    """The answers of a survey that a request may use, with the model they answer."""

    manifest: SurveyManifest
    spec: ModelSpec
    frame: pd.DataFrame
    excluded_straight_lining: int

    @property
    def lines(self) -> list[int]:
        return [int(v) for v in self.frame["line"]]


class SatisfactionService:
    def __init__(self, runtime: Runtime, appeals: AppealService | None = None) -> None:
        self.rt = runtime
        self.appeals = appeals or AppealService(runtime)

    # -------------------------------------------------------------------------------------------- callbacks

    def callbacks(self, filters: AppealFilters, actor: Actor, by: GroupBy | None = None,
                  granularity: Granularity = "month", top: int = callbacks.TOP_REASONS) -> CallbackReport:
        return callbacks.callback_report(self.appeals, filters, actor, by, granularity=granularity, top=top)

    def rehandling(self, filters: AppealFilters, actor: Actor, limit: int = 100) -> list[AppealOut]:
        return callbacks.rehandling(self.appeals, filters, actor, limit)

    # -------------------------------------------------------------------------------------------- surveys

    def import_survey(self, actor: Actor, request: surveys.ImportRequest) -> ImportResult:
        return surveys.import_survey(self.rt, actor, request)

    def surveys(self, actor: Actor) -> list[SurveyManifest]:
        return surveys.list_surveys(self.rt, actor)

    def survey_rows(self, actor: Actor, survey_id: str, unit: str | None = None, period: str | None = None,
                    include_straight_lining: bool = False) -> SurveyRows:
        """The survey's answers in the actor's territory, of `unit`'s subtree and overlapping `period`."""
        manifest, frame = surveys.load_survey(self.rt, actor, survey_id)
        org = self.rt.org()
        keep = surveys.within(org, frame["unit"], actor.org_code)
        if unit:
            if unit not in org and unit not in set(frame["unit"].dropna()):
                raise BadInput("unit", f"unknown unit {unit!r}")
            keep = keep & surveys.within(org, frame["unit"], unit)
        if period:
            wanted = parse_period(period)
            keep = keep & np.array(frame["period"].map(lambda p: parse_period(p).overlaps(wanted)), dtype=bool)
        straight = np.array(frame["straight_lining"], dtype=bool) & keep
        if not include_straight_lining:
            keep = keep & ~straight
        rows = frame[keep].reset_index(drop=True)
        return SurveyRows(manifest, surveys.survey_spec(manifest), rows,
                          0 if include_straight_lining else int(straight.sum()))

    def csi(self, actor: Actor, survey_id: str, by: str | None = "unit", unit: str | None = None,
            period: str | None = None, resamples: int = 0, seed: int | None = 0, target: str | None = None,
            include_straight_lining: bool = False) -> CsiResult:
        """The CSI model of a stored survey: overall (with bootstrap intervals when `resamples`) and per `by`."""
        if by is not None and by not in SURVEY_GROUPS:
            raise BadInput("by", f"unknown grouping {by!r}; use one of {list(SURVEY_GROUPS)}")
        if resamples and resamples < 100:
            raise BadInput("resamples", "at least 100 resamples for intervals (1,000 recommended), or 0")
        rows = self.survey_rows(actor, survey_id, unit, period, include_straight_lining)
        spec = rows.spec
        target = target or spec.target
        skipped: dict[str, str] = {}
        overall = None
        try:
            overall = self._summary_of(spec, rows, target, resamples, seed)
        except (BadInput, EstimationError) as exc:
            skipped["(overall)"] = exc.reason if isinstance(exc, BadInput) else str(exc)
        groups: dict[str, CsiSummary] = {}
        if by is not None and len(rows.frame):
            fits = fit_by_group(spec, rows.frame, by, rows.lines)
            groups = {key: summarise(result, None, target) for key, result in fits.results.items()}
            skipped.update(fits.skipped)
        labels = rows.manifest.instrument.get("labels") or {c.name: c.label or c.name for c in spec.constructs}
        return CsiResult(survey_id=survey_id, by=by, target=target, labels=labels,
                         names=self._names(by, list(groups) + list(skipped)), rows=len(rows.frame),
                         excluded_straight_lining=rows.excluded_straight_lining, overall=overall, groups=groups,
                         skipped=skipped, synthetic=rows.manifest.synthetic)

    def _summary_of(self, spec: ModelSpec, rows: SurveyRows, target: str | None, resamples: int,
                    seed: int | None) -> CsiSummary:
        prepared = prepare_data(spec, rows.frame, rows.lines, check_rows=False)
        need = max(spec.recommended_rows(), spec.minimum_rows())
        if prepared.n < need:
            raise BadInput("data", f"{prepared.n} complete answers, fewer than the {need} the model needs "
                                   "(10-times rule)")
        check_estimable(spec, prepared)
        result = fit(spec, prepared)
        boot = bootstrap(spec, prepared, resamples, seed=seed, original=result) if resamples else None
        return summarise(result, boot, target)

    def _names(self, by: str | None, keys: list[str]) -> dict[str, str]:
        if by != "unit":
            return {k: k for k in keys}
        units = self.rt.org().units
        return {k: units[k].name if k in units else k for k in keys}

    # -------------------------------------------------------------------------------------------- models

    def fit(self, actor: Actor, body: FitIn) -> dict[str, Any]:
        """A CSI fit of posted rows with a posted spec, or of a stored survey (its spec unless one is posted)."""
        require(actor, Permission.READ_SATISFACTION)
        spec, frame, lines = self._fit_input(actor, body)
        prepared = prepare_data(spec, frame, lines)
        result = fit(spec, prepared)
        doc = result.to_dict()
        target = body.target or spec.target
        if target:
            doc["ipma"] = ipma(result, target).to_dict()
        if body.bootstrap:
            doc["bootstrap"] = bootstrap(spec, prepared, body.bootstrap, seed=body.seed, original=result).to_dict()
        return doc

    def _fit_input(self, actor: Actor, body: FitIn) -> tuple[ModelSpec, pd.DataFrame, list[int] | None]:
        if body.survey_id is not None:
            if body.data is not None:
                raise BadInput("data", "send rows of data or a survey_id, not both")
            rows = self.survey_rows(actor, body.survey_id, body.unit, body.period)
            spec = parse_spec(body.spec) if body.spec is not None else rows.spec
            return spec, rows.frame, rows.lines
        if body.spec is None or body.data is None:
            raise BadInput("spec" if body.spec is None else "data",
                           "send a spec with rows of data, or the survey_id of a stored survey")
        if body.unit or body.period:
            raise BadInput("unit" if body.unit else "period", "unit and period select rows of a stored survey")
        return parse_spec(body.spec), pd.DataFrame(body.data, dtype=object), None

    def ahp(self, actor: Actor, body: AhpIn) -> dict[str, Any]:
        require(actor, Permission.READ_SATISFACTION)
        n = len(body.matrix)
        labels = body.labels or [f"C{i + 1}" for i in range(n)]
        if len(labels) != n:
            raise BadInput("labels", f"{len(labels)} labels for a {n} × {n} matrix")
        rows = []
        for i, row in enumerate(body.matrix):
            if len(row) != n:
                raise BadInput(f"matrix[{i}]", f"{len(row)} cells: the matrix must be {n} × {n}")
            rows.append([as_number(cell, f"matrix[{i}][{j}]") for j, cell in enumerate(row)])
        try:
            result = ahp(rows, labels, method=body.method, random_index=body.random_index, tolerance=body.tolerance)
        except WeightingError as exc:
            raise BadInput("matrix", str(exc)) from exc
        return result.to_dict()

    def entropy(self, actor: Actor, body: EntropyIn) -> WeightsOut:
        require(actor, Permission.READ_SATISFACTION)
        indicators = list(body.data[0])
        for i, row in enumerate(body.data):
            if set(row) != set(indicators):
                raise BadInput(f"data[{i}]", f"indicators {sorted(row)} differ from the first row's {indicators}")
        unknown = [name for name in body.negative if name not in indicators]
        if unknown:
            raise BadInput("negative", f"unknown indicator(s) {unknown}; the indicators are {indicators}")
        values = np.array([[row[name] for name in indicators] for row in body.data], dtype=float)
        try:
            weights = entropy_weights(values, [name in body.negative for name in indicators], body.normalisation)
        except WeightingError as exc:
            raise BadInput("data", str(exc)) from exc
        return WeightsOut(weights=dict(zip(indicators, map(float, weights), strict=True)),
                          normalisation=body.normalisation, negative=body.negative, samples=len(body.data))


def summarise(result: PlsResult, boot: BootstrapResult | None, target: str | None) -> CsiSummary:
    """The compact view of a fit that pages, reports and the API show."""
    ipma_doc: dict[str, Any] | None = None
    if target:
        try:
            ipma_doc = ipma(result, target).to_dict()
        except (BadInput, EstimationError) as exc:
            ipma_doc = {"error": str(exc)}
    ci = None
    if boot is not None:
        ci = {name: Interval(low=_finite(iv.ci_low), high=_finite(iv.ci_high))
              for name, iv in boot.estimates["index"].items()}
    return CsiSummary(n=result.n, index=result.index, index_ci=ci, r_squared=result.r_squared,
                      path_coefficients=result.path_coefficients, reliability=result.reliability, ipma=ipma_doc,
                      warnings=list(result.warnings))


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
