"""Synthetic survey answers drawn from a known structural model (seeded), for tests, benchmarks and the demo.

The population model is a recursive linear model of standardised constructs:

- exogenous constructs are independent N(0, 1);
- an endogenous construct is ``η_j = Σ β_ij η_i + ζ_j`` with the disturbance's variance chosen so that
  ``Var(η_j) = 1`` (the implied correlations are propagated in topological order);
- an item is ``λ η_j + √(1 − λ²) ε`` shifted to the construct's mean answer, spread by `item_sd` answer points,
  rounded and clipped to the scale — a 1–10 answer like a real respondent's;
- each unit (供电单位) shifts every construct's disturbance by its own draw (`unit_spread` in latent standard
  deviations), so units differ in satisfaction through the model, and per-unit analysis has something to find.

The true path coefficients and loadings come back with the data, so an estimate can be checked against them
(rounding to a 10-point scale attenuates correlations a little: estimates land close to, not on, the truth).
Every row carries ``synthetic = True``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from gridvoice.errors import BadInput
from gridvoice.satisfaction.spec import ModelSpec

# The population of the default instrument (instrument.py): standardised path coefficients and mean answers on
# the 1–10 scale. Supply quality drives satisfaction most and procedures perform worst, so IPMA has a story.
DEFAULT_PATHS = {
    ("IMAG", "EXPE"): 0.50, ("IMAG", "SAT"): 0.15, ("IMAG", "LOY"): 0.20,
    ("EXPE", "SUPPLY"): 0.40, ("EXPE", "SERVICE"): 0.45, ("EXPE", "PROCESS"): 0.40,
    ("EXPE", "VAL"): 0.10, ("EXPE", "SAT"): 0.05,
    ("SUPPLY", "VAL"): 0.25, ("SERVICE", "VAL"): 0.15, ("PROCESS", "VAL"): 0.20,
    ("SUPPLY", "SAT"): 0.30, ("SERVICE", "SAT"): 0.20, ("PROCESS", "SAT"): 0.15, ("VAL", "SAT"): 0.20,
    ("SAT", "COMP"): 0.55, ("SAT", "LOY"): 0.45, ("COMP", "LOY"): 0.15,
}
DEFAULT_MEANS = {"IMAG": 7.8, "EXPE": 8.2, "SUPPLY": 7.2, "SERVICE": 7.9, "PROCESS": 6.6, "VAL": 6.5,
                 "SAT": 7.4, "COMP": 6.8, "LOY": 7.3}
GENERIC_PATH = 0.3  # a path of another spec without a given coefficient
GENERIC_MEAN_SHARE = 0.7  # and a construct's mean answer, as a share of the way up the scale
UNITS = ("HZ-01", "HZ-02", "HZ-03", "HZ-04", "HZ-05", "HZ-06")
SEGMENTS = ("居民", "非居民")
CHANNELS = ("电话", "短信", "微信", "上门")


@dataclass(frozen=True)
class SimulatedSurvey:
    frame: pd.DataFrame  # respondent, unit, segment, channel, period, the items, synthetic
    spec: ModelSpec
    true_paths: dict[str, float]  # "FROM -> TO": β
    true_loadings: dict[str, float]  # item: λ
    seed: int


def simulate(spec: ModelSpec, n: int, seed: int = 7, *, paths: Mapping[tuple[str, str], float] | None = None,
             means: Mapping[str, float] | None = None, loading: float = 0.85, item_sd: float = 1.6,
             unit_spread: float = 0.25, units: Sequence[str] = UNITS,
             periods: Sequence[str] = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")) -> SimulatedSurvey:
    """`n` synthetic respondents of the model `spec` (see the module docstring)."""
    if n < 1:
        raise BadInput("n", f"must be at least 1, got {n}")
    if not 0 < loading < 1:
        raise BadInput("loading", f"must be between 0 and 1, got {loading}")
    if not units or not periods:
        raise BadInput("units", "at least one unit and one period are needed")
    rng = np.random.default_rng(seed)
    betas = _betas(spec, paths)
    unit_of = rng.integers(0, len(units), n)
    shifts = rng.normal(0.0, unit_spread, (len(units), len(spec.names)))[unit_of]
    latent = _latent(spec, betas, rng, shifts)
    answers = _answers(spec, latent, rng, means, loading, item_sd)
    frame = pd.DataFrame({
        "respondent": [f"R{i + 1:07d}" for i in range(n)],
        "unit": np.asarray(units, dtype=object)[unit_of],
        "segment": np.asarray(SEGMENTS, dtype=object)[rng.integers(0, len(SEGMENTS), n)],
        "channel": np.asarray(CHANNELS, dtype=object)[rng.integers(0, len(CHANNELS), n)],
        "period": np.asarray(periods, dtype=object)[rng.integers(0, len(periods), n)],
    })
    whole = float(spec.scale.min).is_integer() and float(spec.scale.max).is_integer()
    items = pd.DataFrame(answers.astype(np.int64) if whole else answers, columns=list(spec.items))
    frame = pd.concat([frame, items], axis=1)
    frame["synthetic"] = True
    return SimulatedSurvey(frame, spec, {f"{a} -> {b}": betas[(a, b)] for a, b in spec.paths},
                           dict.fromkeys(spec.items, loading), seed)


def simulate_default(n: int, seed: int = 7) -> SimulatedSurvey:
    """Respondents of the default instrument with its population (DEFAULT_PATHS, DEFAULT_MEANS)."""
    from gridvoice.satisfaction.instrument import load_instrument

    return simulate(load_instrument().spec(), n, seed, paths=DEFAULT_PATHS, means=DEFAULT_MEANS)


def _betas(spec: ModelSpec, given: Mapping[tuple[str, str], float] | None) -> dict[tuple[str, str], float]:
    given = dict(given or {})
    unknown = [p for p in given if p not in spec.paths]
    if unknown:
        raise BadInput("paths", f"coefficients given for paths not in the spec: {unknown}")
    return {p: float(given.get(p, GENERIC_PATH)) for p in spec.paths}


def _order(spec: ModelSpec) -> list[str]:
    done: list[str] = []
    while len(done) < len(spec.names):
        for name in spec.names:
            if name not in done and all(p in done for p in spec.predecessors(name)):
                done.append(name)
    return done


def _latent(spec: ModelSpec, betas: dict[tuple[str, str], float], rng: np.random.Generator,
            shifts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    names = list(spec.names)
    k, n = len(names), shifts.shape[0]
    cor = np.eye(k)
    latent = np.zeros((n, k))
    for name in _order(spec):
        j = names.index(name)
        pred = [names.index(p) for p in spec.predecessors(name)]
        beta = np.array([betas[(names[i], name)] for i in pred])
        explained = float(beta @ cor[np.ix_(pred, pred)] @ beta) if pred else 0.0
        if explained >= 0.95:
            raise BadInput("paths", f"the coefficients into {name} explain {explained:.2f} of its variance; "
                                    "lower them so that R² < 0.95")
        cor[j, :] = cor[:, j] = cor[:, pred] @ beta if pred else cor[:, j]
        cor[j, j] = 1.0
        noise = rng.standard_normal(n) * np.sqrt(1.0 - explained)
        latent[:, j] = (latent[:, pred] @ beta if pred else 0.0) + noise + shifts[:, j]
    return latent


def _answers(spec: ModelSpec, latent: npt.NDArray[np.float64], rng: np.random.Generator,
             means: Mapping[str, float] | None, loading: float, item_sd: float) -> npt.NDArray[np.float64]:
    low, high = spec.scale.min, spec.scale.max
    columns = []
    for j, construct in enumerate(spec.constructs):
        mean = (means or {}).get(construct.name, low + GENERIC_MEAN_SHARE * (high - low))
        for _ in construct.items:
            standard = loading * latent[:, j] + np.sqrt(1 - loading**2) * rng.standard_normal(latent.shape[0])
            columns.append(np.clip(np.rint(mean + item_sd * standard), low, high))
    return np.column_stack(columns)
