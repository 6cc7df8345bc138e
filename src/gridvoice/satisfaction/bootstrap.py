"""Bootstrap confidence intervals of a CSI model: resampled respondents, percentile intervals, seeded, parallel.

Each resample draws n respondents with replacement. Because the estimation (`pls.estimate`) needs only the
items' moments, a resample costs one weighted ``X'diag(c)X`` (c = how often each respondent was drawn) and a
few small matrix steps, whatever n is. Resample b draws from its own random stream, spawned from the seed
(`numpy.random.SeedSequence(seed).spawn`), so the results are the same for any number of jobs. Jobs are
processes (joblib/loky); the chunks go out as they finish, so a caller can show progress.

A resample the algorithm cannot estimate (no convergence, a constant item in the draw) is counted as failed and
left out; intervals are taken over the rest. Signs follow the same majority-of-loadings rule as the fit, so a
resample cannot flip a construct.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from joblib import Parallel, delayed

from gridvoice.errors import BadInput
from gridvoice.satisfaction.pls import (
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    Core,
    Design,
    EstimationError,
    Moments,
    PlsResult,
    estimate,
    fit,
    htmt_matrix,
    index_values,
    rescaled_weights,
    total_effects,
)
from gridvoice.satisfaction.spec import ModelSpec, PreparedData, Scale, prepare_data

Array = npt.NDArray[np.float64]
MIN_RESAMPLES = 10
GROUPS = ("path_coefficients", "total_effects", "outer_weights", "outer_loadings", "r_squared", "index", "htmt")


@dataclass(frozen=True)
class Layout:
    """Where each statistic sits in the flat vector one resample produces."""

    names: dict[str, tuple[str, ...]]
    edges: tuple[tuple[int, int], ...]
    reach: tuple[tuple[int, int], ...]
    endogenous: tuple[int, ...]
    pairs: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, spec: ModelSpec) -> Layout:
        names, design = spec.names, Design.of(spec)
        edges = tuple((names.index(a), names.index(b)) for a, b in spec.paths)
        reachable = design.reachable
        reach = tuple((i, j) for i in range(len(names)) for j in range(len(names)) if reachable[i, j])
        endogenous = tuple(names.index(n) for n in spec.endogenous)
        pairs = tuple((i, j) for i in range(len(names)) for j in range(i + 1, len(names)))
        labels = {
            "path_coefficients": tuple(f"{names[i]} -> {names[j]}" for i, j in edges),
            "total_effects": tuple(f"{names[i]} -> {names[j]}" for i, j in reach),
            "outer_weights": spec.items, "outer_loadings": spec.items,
            "r_squared": tuple(names[j] for j in endogenous), "index": names,
            "htmt": tuple(f"{names[i]} ~ {names[j]}" for i, j in pairs),
        }
        return cls(labels, edges, reach, endogenous, pairs)

    @property
    def slices(self) -> dict[str, slice]:
        out, start = {}, 0
        for group in GROUPS:
            out[group] = slice(start, start + len(self.names[group]))
            start += len(self.names[group])
        return out

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.names.values())

    def vector(self, core: Core, moments: Moments, design: Design, scale: Scale) -> Array:
        total = total_effects(core.paths)
        htmt = htmt_matrix(moments, design)
        index = index_values(rescaled_weights(core, moments, design), moments, design, scale)
        return np.concatenate([
            [core.paths[i, j] for i, j in self.edges], [total[i, j] for i, j in self.reach],
            core.item_weights, core.loadings(design), core.r2[list(self.endogenous)], index,
            [htmt[i, j] for i, j in self.pairs],
        ])


@dataclass(frozen=True)
class Interval:
    original: float
    mean: float
    std_error: float
    t: float
    ci_low: float
    ci_high: float

    def to_dict(self) -> dict[str, float | None]:
        return {k: (float(v) if np.isfinite(v) else None) for k, v in vars(self).items()}


@dataclass(frozen=True)
class BootstrapResult:
    resamples: int
    failed: int
    seed: int | None
    confidence: float
    estimates: dict[str, dict[str, Interval]]  # group → parameter → interval
    draws: Array  # (resamples, statistics); NaN rows for failed resamples
    layout: Layout

    def to_dict(self) -> dict[str, Any]:
        return {"resamples": self.resamples, "failed": self.failed, "seed": self.seed,
                "confidence": self.confidence, "method": "percentile",
                **{group: {name: iv.to_dict() for name, iv in rows.items()} for group, rows in self.estimates.items()}}


def bootstrap(spec: ModelSpec, data: pd.DataFrame | PreparedData, resamples: int = 1000, *, seed: int | None = None,
              jobs: int = 1, confidence: float = 0.95, original: PlsResult | None = None,
              progress: Callable[[int], None] | None = None, tol: float = DEFAULT_TOL,
              max_iter: int = DEFAULT_MAX_ITER) -> BootstrapResult:
    """Percentile bootstrap of every path, total effect, weight, loading, R², index and HTMT ratio."""
    if resamples < MIN_RESAMPLES:
        raise BadInput("bootstrap", f"at least {MIN_RESAMPLES} resamples are needed, got {resamples}")
    if not 0.5 <= confidence < 1:
        raise BadInput("confidence", f"must be in [0.5, 1), got {confidence}")
    if jobs == 0 or jobs < -1:
        raise BadInput("jobs", f"must be a positive number of processes or -1 for every core, got {jobs}")
    prepared = data if isinstance(data, PreparedData) else prepare_data(spec, data)
    original = original or fit(spec, prepared, tol=tol, max_iter=max_iter)
    design, layout = Design.of(spec), Layout.of(spec)
    streams = np.random.SeedSequence(seed).spawn(resamples)
    centred = prepared.values - original.moments.mean
    chunks = _chunks(resamples, jobs)
    work = (delayed(_run_chunk)(centred, original.moments.mean, streams[a:b], design, spec.scale, layout,
                                tol, max_iter) for a, b in chunks)
    draws = np.empty((resamples, layout.size))
    runner = Parallel(n_jobs=jobs, return_as="generator") if jobs != 1 else None
    results = runner(work) if runner is not None else (f(*a, **k) for f, a, k in work)
    done = 0
    for (a, b), block in zip(chunks, results, strict=True):
        draws[a:b] = block
        done += b - a
        if progress:
            progress(done)
    reference = layout.vector(original.core, original.moments, design, spec.scale)
    return _summarise(draws, reference, layout, seed, confidence)


def _chunks(resamples: int, jobs: int) -> list[tuple[int, int]]:
    # a few chunks per process keep the cores busy to the end and the progress bar moving
    parts = 1 if jobs == 1 else min(resamples, 4 * (jobs if jobs > 0 else 8))
    edges = np.linspace(0, resamples, parts + 1).astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


def _run_chunk(centred: Array, mean: Array, streams: list[np.random.SeedSequence], design: Design, scale: Scale,
               layout: Layout, tol: float, max_iter: int) -> Array:
    n = centred.shape[0]
    out = np.full((len(streams), layout.size), np.nan)
    for row, stream in enumerate(streams):
        counts = np.bincount(np.random.default_rng(stream).integers(0, n, n), minlength=n).astype(float)
        shift = counts @ centred / n
        root = centred * np.sqrt(counts)[:, None]  # Y'Y with Y = diag(√c)·X is X'diag(c)X, by BLAS's syrk
        cov = root.T @ root / n - np.outer(shift, shift)
        moments = Moments(n, mean + shift, cov)
        try:
            core = estimate(moments, design, tol, max_iter)
        except EstimationError:
            continue
        out[row] = layout.vector(core, moments, design, scale)
    return out


def _summarise(draws: Array, reference: Array, layout: Layout, seed: int | None, confidence: float) -> BootstrapResult:
    ok = ~np.isnan(draws).all(axis=1)
    good = draws[ok]
    if good.shape[0] < 2:
        raise EstimationError(f"only {good.shape[0]} of {draws.shape[0]} resamples could be estimated")
    tail = (1 - confidence) / 2
    # a statistic undefined in every resample (an index with a negative weight) stays NaN, silently
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(good, axis=0)
        sd = np.nanstd(good, axis=0, ddof=1)
        low, high = np.nanquantile(good, [tail, 1 - tail], axis=0)
    estimates: dict[str, dict[str, Interval]] = {}
    for group, where in layout.slices.items():
        rows = {}
        for offset, name in enumerate(layout.names[group]):
            i = where.start + offset
            t = reference[i] / sd[i] if sd[i] > 0 else float("nan")
            rows[name] = Interval(reference[i], mean[i], sd[i], t, low[i], high[i])
        estimates[group] = rows
    return BootstrapResult(int(draws.shape[0]), int((~ok).sum()), seed, confidence, estimates, draws, layout)
