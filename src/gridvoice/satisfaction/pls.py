"""PLS path modelling (PLS-SEM) of a CSI model: Lohmöller's algorithm as R plspm runs it (ADR 0011).

The estimation works on the items' moments (means and covariance matrix), not on the rows: every step of the
algorithm — outer estimates ``Y = XW``, inner estimates ``Z = YE``, mode A covariances ``X'Z/n``, mode B
regressions ``(X'X)⁻¹X'Z``, the path-scheme regressions between constructs — is a function of ``S = X'X/n``.
So one fit costs the same for 200 or 200,000 respondents once ``S`` is known, and a bootstrap resample is one
weighted ``X'X`` (see `bootstrap.py`).

Conventions, as R plspm (Sanchez 2013; `plspm()` 0.4–0.5):
- items standardised with the population standard deviation (``scaled=True``) or only centred (``False``);
- starting weights 1 per item, normalised so each construct score has unit (population) variance; iteration
  until ``Σ(|w_old| − |w_new|)² < tol`` (1e-6) with plspm's scaling of the outer estimates, so the stopping
  iteration — and the numbers — are plspm's;
- inner weights: centroid ``sign(cor)``, factorial ``cor``, path: regression coefficients for predecessors and
  correlations for successors;
- final weights give construct scores of unit population variance; the sign of a construct is turned so that
  most of its items load positively (plspm turns only the scores; we turn the weights with them, so that
  scores = X·weights holds for what is reported);
- path coefficients by least squares on the scores; loadings are item–score correlations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as sps

from gridvoice.errors import BadInput, GridvoiceError
from gridvoice.satisfaction.spec import ModelSpec, PreparedData, Scale, check_estimable, prepare_data

Array = npt.NDArray[np.float64]
DEFAULT_TOL = 1e-6
DEFAULT_MAX_ITER = 100


class EstimationError(GridvoiceError):
    """The algorithm could not produce estimates (no convergence, a singular block or model)."""


@dataclass(frozen=True)
class Moments:
    """Sample size, item means and population covariance matrix (divisor n) of the raw answers."""

    n: int
    mean: Array
    cov: Array

    @classmethod
    def of(cls, values: Array) -> Moments:
        mean = values.mean(axis=0)
        centred = values - mean
        return cls(values.shape[0], mean, centred.T @ centred / values.shape[0])

    @property
    def sd(self) -> Array:
        return np.sqrt(np.diag(self.cov))


@dataclass(frozen=True)
class Design:
    """The spec in index form: item → construct, modes, the path adjacency ``A[from, to]``."""

    block_of: npt.NDArray[np.int64]
    mode_b: npt.NDArray[np.bool_]
    adjacency: Array
    scheme: str
    scaled: bool
    odm: Array  # outer design matrix: odm[i, j] = 1 when item i measures construct j
    blocks: tuple[npt.NDArray[np.int64], ...]

    @classmethod
    def of(cls, spec: ModelSpec) -> Design:
        names = spec.names
        block_of = np.array([names.index(c.name) for c in spec.constructs for _ in c.items], dtype=np.int64)
        adjacency = np.zeros((len(names), len(names)))
        for a, b in spec.paths:
            adjacency[names.index(a), names.index(b)] = 1.0
        mode_b = np.array([c.mode == "B" for c in spec.constructs])
        odm = np.zeros((block_of.size, len(names)))
        odm[np.arange(block_of.size), block_of] = 1.0
        blocks = tuple(np.flatnonzero(block_of == j) for j in range(len(names)))
        return cls(block_of, mode_b, adjacency, spec.scheme, spec.scaled, odm, blocks)

    @property
    def k(self) -> int:
        return int(self.adjacency.shape[0])

    def block(self, j: int) -> npt.NDArray[np.int64]:
        return self.blocks[j]

    @property
    def reachable(self) -> npt.NDArray[np.bool_]:
        """``R[i, j]``: a chain of paths leads from construct i to j (where a total effect exists)."""
        reach = self.adjacency > 0
        step = reach.copy()
        for _ in range(self.k):
            step = (step.astype(float) @ self.adjacency) > 0
            reach |= step
        return reach


@dataclass(frozen=True)
class Core:
    """What the algorithm estimates, in matrix form (constructs in spec order)."""

    weights: Array  # (p, k) on the treated items; each score X·w has unit population variance
    lv_cor: Array  # (k, k)
    cross_loadings: Array  # (p, k) item–score correlations
    paths: Array  # (k, k) standardised path coefficients [from, to]
    r2: Array  # (k,), 0 for exogenous constructs
    iterations: int

    @property
    def item_weights(self) -> Array:
        return self.weights.sum(axis=1)

    def loadings(self, design: Design) -> Array:
        return self.cross_loadings[np.arange(design.block_of.size), design.block_of]


def treated_cov(moments: Moments, scaled: bool) -> Array:
    """Covariance of the treated items: their correlation matrix when standardised, else the covariance."""
    if not scaled:
        return moments.cov
    sd = moments.sd
    return moments.cov / np.outer(sd, sd)


def estimate(moments: Moments, design: Design, tol: float = DEFAULT_TOL,
             max_iter: int = DEFAULT_MAX_ITER) -> Core:
    """Run the PLS algorithm on the moments; raises EstimationError when it cannot."""
    # a constant item (in a bootstrap draw, say) leaves only rounding noise in its variance
    if np.any(np.diag(moments.cov) <= 1e-10 * (1.0 + moments.mean**2)):
        raise EstimationError("an item has no variance")
    s = treated_cov(moments, design.scaled)
    weights, iterations = _iterate(s, moments.n, design, tol, max_iter)
    weights = weights / np.sqrt(_column_var(s, weights))
    cross = (s @ weights) / np.sqrt(np.diag(s))[:, None]
    flip = _signs(cross, design)
    weights, cross = weights * flip, cross * flip
    lv_cor = weights.T @ s @ weights
    paths, r2 = _inner_model(lv_cor, design.adjacency)
    return Core(weights, lv_cor, cross, paths, r2, iterations)


def _column_var(s: Array, weights: Array) -> Array:
    var = np.einsum("ij,ik,kj->j", weights, s, weights)
    if np.any(var <= 1e-300) or not np.all(np.isfinite(var)):
        raise EstimationError("a construct score has no variance: its weights vanished")
    return var


def _iterate(s: Array, n: int, design: Design, tol: float, max_iter: int) -> tuple[Array, int]:
    weights = design.odm / np.sqrt(_column_var(s, design.odm))
    previous = weights.sum(axis=1)
    # plspm standardises the outer estimates with sd (divisor n-1) and multiplies by sqrt((n-1)/n); the overall
    # factor (n-1)/n changes the size of the weights, hence the stopping rule, so it is kept
    shrink = (n - 1) / n
    for iteration in range(1, max_iter + 1):
        outer = weights * (shrink / np.sqrt(_column_var(s, weights)))
        lv_cor = _cor(outer.T @ s @ outer)
        inner = _inner_weights(lv_cor, design)
        cov_xz = s @ outer @ inner
        weights = _outer_update(s, cov_xz, design)
        current = weights.sum(axis=1)
        if np.sum((np.abs(previous) - np.abs(current)) ** 2) < tol:
            return weights, iteration
        previous = current
    raise EstimationError(f"the PLS algorithm did not converge in {max_iter} iterations")


def _cor(cov: Array) -> Array:
    d = np.sqrt(np.diag(cov))
    return cov / np.outer(d, d)


def _inner_weights(lv_cor: Array, design: Design) -> Array:
    linked = design.adjacency + design.adjacency.T
    if design.scheme == "centroid":
        return np.sign(lv_cor) * linked
    if design.scheme == "factorial":
        return lv_cor * linked
    inner = lv_cor * design.adjacency.T  # successors of j (j -> i) enter Z_j with their correlation
    for j in range(design.k):
        pred = np.flatnonzero(design.adjacency[:, j])
        if pred.size:
            inner[pred, j] = _solve(lv_cor[np.ix_(pred, pred)], lv_cor[pred, j])
    return inner


def _outer_update(s: Array, cov_xz: Array, design: Design) -> Array:
    weights = np.zeros_like(cov_xz)
    for j in range(design.k):
        block = design.block(j)
        if design.mode_b[j]:
            weights[block, j] = _solve(s[np.ix_(block, block)], cov_xz[block, j])
        else:
            weights[block, j] = cov_xz[block, j]
    return weights


def _solve(a: Array, b: Array) -> Array:
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError as exc:
        raise EstimationError("a regression is singular: items or constructs are collinear") from exc


def _signs(cross: Array, design: Design) -> Array:
    """plspm's rule: turn a construct when the majority of its items load negatively (a tie turns it too)."""
    flip = np.ones(design.k)
    for j in range(design.k):
        if np.sign(cross[design.block(j), j]).sum() <= 0:
            flip[j] = -1.0
    return flip


def _inner_model(lv_cor: Array, adjacency: Array) -> tuple[Array, Array]:
    k = adjacency.shape[0]
    paths, r2 = np.zeros((k, k)), np.zeros(k)
    for j in range(k):
        pred = np.flatnonzero(adjacency[:, j])
        if pred.size:
            beta = _solve(lv_cor[np.ix_(pred, pred)], lv_cor[pred, j])
            paths[pred, j] = beta
            r2[j] = float(beta @ lv_cor[pred, j])
    return paths, r2


def total_effects(paths: Array) -> Array:
    """Sum of the products along every chain: (I − B)⁻¹ − I for a recursive model."""
    k = paths.shape[0]
    return np.linalg.inv(np.eye(k) - paths) - np.eye(k)


def rescaled_weights(core: Core, moments: Moments, design: Design) -> Array:
    """Outer weights on the original answers, normalised to sum 1 per construct (ACSI, methods.md §6.3);
    NaN for a construct with a weight ≤ 0, whose index would not be a weighted mean of its items."""
    raw = core.item_weights / moments.sd if design.scaled else core.item_weights
    sums = np.bincount(design.block_of, weights=raw, minlength=design.k)
    positive = np.bincount(design.block_of, weights=(raw <= 0).astype(float), minlength=design.k) == 0
    return np.where(positive[design.block_of], raw / sums[design.block_of], np.nan)


def index_values(rescaled: Array, moments: Moments, design: Design, scale: Scale) -> Array:
    """The 0–100 index of every construct: the weighted mean of its items' rescaled means."""
    return np.bincount(design.block_of, weights=rescaled * scale.rescale(moments.mean), minlength=design.k)


def performance_sd(rescaled: Array, moments: Moments, design: Design, scale: Scale) -> Array:
    """Standard deviation of each construct's 0–100 scores (for unstandardised effects, IPMA)."""
    weights = design.odm * np.nan_to_num(rescaled)[:, None]
    var = np.einsum("ij,ik,kj->j", weights, moments.cov, weights) * (100.0 / (scale.max - scale.min)) ** 2
    defined = np.isfinite(index_values(rescaled, moments, design, scale))
    return np.where(defined, np.sqrt(var), np.nan)


def htmt_matrix(moments: Moments, design: Design) -> Array:
    """Heterotrait–monotrait ratio (Henseler, Ringle & Sarstedt 2015) from absolute item correlations, as
    seminr: a single-item block's monotrait mean is 1."""
    cor = np.abs(treated_cov(moments, True))
    sizes = design.odm.sum(axis=0)
    sums = design.odm.T @ cor @ design.odm
    pairs = np.maximum(sizes * (sizes - 1), 1.0)
    mono = np.where(sizes > 1, (np.diag(sums) - sizes) / pairs, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = sums / np.outer(sizes, sizes) / np.sqrt(np.outer(mono, mono))
    out = (out + out.T) / 2  # symmetric in exact arithmetic; make it so in floating point
    np.fill_diagonal(out, np.nan)
    return out


def reliability(core: Core, moments: Moments, design: Design) -> tuple[Array, Array, Array]:
    """Cronbach's α (standardised, from item correlations), composite reliability ρc and AVE from the loadings
    (as seminr; a single item gives 1). Reflective measures are meaningless for mode B blocks: NaN there."""
    cor = treated_cov(moments, True)
    loadings = core.loadings(design)
    alpha, rho_c, ave = (np.full(design.k, np.nan) for _ in range(3))
    for j in range(design.k):
        b = design.block(j)
        if design.mode_b[j]:
            continue
        lam = loadings[b]
        if b.size == 1:
            alpha[j] = rho_c[j] = ave[j] = 1.0
            continue
        alpha[j] = b.size / (b.size - 1) * (1 - b.size / cor[np.ix_(b, b)].sum())
        rho_c[j] = lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2))
        ave[j] = np.mean(lam**2)
    return alpha, rho_c, ave


# ----------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class InnerRegression:
    estimate: float
    std_error: float
    t: float
    p: float


@dataclass(frozen=True)
class PlsResult:
    """A fitted CSI model. `to_dict()` gives the interfaces.md keys plus the rest."""

    spec: ModelSpec
    design: Design
    core: Core
    moments: Moments
    rows_read: int
    dropped_missing: int
    rescaled: Array  # (p,) unstandardised outer weights normalised per construct (the index weights)
    index_array: Array  # (k,) 0–100, NaN where undefined
    warnings: tuple[str, ...] = field(default=())

    @property
    def n(self) -> int:
        return self.moments.n

    # ---------------------------------------------------------------- by name

    @property
    def path_coefficients(self) -> dict[str, float]:
        names = self.spec.names
        return {f"{a} -> {b}": float(self.core.paths[names.index(a), names.index(b)]) for a, b in self.spec.paths}

    @property
    def r_squared(self) -> dict[str, float]:
        return {name: float(self.core.r2[self.spec.names.index(name)]) for name in self.spec.endogenous}

    @property
    def outer_weights(self) -> dict[str, float]:
        return dict(zip(self.spec.items, map(float, self.core.item_weights), strict=True))

    @property
    def outer_loadings(self) -> dict[str, float]:
        return dict(zip(self.spec.items, map(float, self.core.loadings(self.design)), strict=True))

    @property
    def communality(self) -> dict[str, float]:
        return {item: v * v for item, v in self.outer_loadings.items()}

    @property
    def redundancy(self) -> dict[str, float]:
        r2 = self.core.r2[self.design.block_of]
        return {item: float(v * v * r) for (item, v), r in zip(self.outer_loadings.items(), r2, strict=True)}

    @property
    def inner_summary(self) -> dict[str, dict[str, float | None]]:
        """Per construct, as plspm's inner summary: R², mean communality and redundancy of its items, AVE
        (mode A blocks only)."""
        loadings, r2 = self.core.loadings(self.design), self.core.r2
        out: dict[str, dict[str, float | None]] = {}
        for j, name in enumerate(self.spec.names):
            communality = float(np.mean(loadings[self.design.block(j)] ** 2))
            out[name] = {"r_squared": float(r2[j]), "block_communality": communality,
                         "mean_redundancy": communality * float(r2[j]),
                         "ave": None if self.design.mode_b[j] else communality}
        return out

    @property
    def effects(self) -> dict[str, dict[str, float]]:
        """Direct, indirect and total effect of every construct on each one it reaches."""
        total = total_effects(self.core.paths)
        names, reach = self.spec.names, self.design.reachable
        return {f"{names[i]} -> {names[j]}": {"direct": float(self.core.paths[i, j]),
                                              "indirect": float(total[i, j] - self.core.paths[i, j]),
                                              "total": float(total[i, j])}
                for i in range(len(names)) for j in range(len(names)) if reach[i, j]}

    @property
    def total_effects(self) -> dict[str, float]:
        return {key: e["total"] for key, e in self.effects.items()}

    @property
    def index(self) -> dict[str, float | None]:
        return {name: _num(v) for name, v in zip(self.spec.names, self.index_array, strict=True)}

    @property
    def reliability(self) -> dict[str, dict[str, float | None]]:
        alpha, rho_c, ave = reliability(self.core, self.moments, self.design)
        return {name: {"cronbach_alpha": _num(alpha[j]), "composite_reliability": _num(rho_c[j]),
                       "ave": _num(ave[j])} for j, name in enumerate(self.spec.names)}

    @property
    def htmt(self) -> dict[str, dict[str, float | None]]:
        m, names = htmt_matrix(self.moments, self.design), self.spec.names
        return {a: {b: _num(m[i, j]) for j, b in enumerate(names) if i != j} for i, a in enumerate(names)}

    @property
    def gof(self) -> float:
        """Tenenhaus et al. (2004) as plspm: √(mean communality of multi-item blocks × mean R² of endogenous)."""
        design = self.design
        sizes = np.bincount(design.block_of, minlength=design.k)
        multi = sizes[design.block_of] > 1
        communality = self.core.loadings(design)[multi] ** 2
        endo = [self.spec.names.index(n) for n in self.spec.endogenous]
        return float(np.sqrt(communality.mean() * self.core.r2[endo].mean())) if communality.size else float("nan")

    @property
    def inner_model(self) -> dict[str, InnerRegression]:
        """Each structural regression as `lm` reports it: estimate, standard error, t and two-sided p."""
        out: dict[str, InnerRegression] = {}
        names, r = self.spec.names, self.core.lv_cor
        for j, name in enumerate(names):
            pred = np.flatnonzero(self.design.adjacency[:, j])
            if not pred.size:
                continue
            df = self.n - pred.size - 1
            inv_diag = np.diag(np.linalg.inv(r[np.ix_(pred, pred)]))
            se = np.sqrt(max(1.0 - self.core.r2[j], 0.0) / df * inv_diag) if df > 0 else np.full(pred.size, np.nan)
            for i, s in zip(pred, se, strict=True):
                beta = float(self.core.paths[i, j])
                t = beta / s if s > 0 else float("nan")
                p = float(2 * sps.t.sf(abs(t), df)) if df > 0 and np.isfinite(t) else float("nan")
                out[f"{names[i]} -> {name}"] = InnerRegression(beta, float(s), float(t), p)
        return out

    def scores(self, values: Array) -> Array:
        """0–100 construct scores of respondents (rows of item answers in spec order)."""
        rescaled_items = self.spec.scale.rescale(values)
        design = self.design
        out = np.full((rescaled_items.shape[0], design.k), np.nan)
        for j in range(design.k):
            b = design.block(j)
            out[:, j] = rescaled_items[:, b] @ self.rescaled[b]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "path_coefficients": self.path_coefficients,
            "r_squared": self.r_squared,
            "outer_loadings": self.outer_loadings,
            "outer_weights": self.outer_weights,
            "total_effects": self.total_effects,
            "index": self.index,
            "reliability": self.reliability,
            "effects": self.effects,
            "communality": self.communality,
            "redundancy": self.redundancy,
            "inner_summary": self.inner_summary,
            "index_weights": {item: _num(v) for item, v in zip(self.spec.items, self.rescaled, strict=True)},
            "htmt": self.htmt,
            "gof": _num(self.gof),
            "inner_model": {k: {"estimate": v.estimate, "std_error": _num(v.std_error), "t": _num(v.t),
                                "p": _num(v.p)} for k, v in self.inner_model.items()},
            "construct_correlations": {a: {b: float(self.core.lv_cor[i, j]) for j, b in enumerate(self.spec.names)}
                                       for i, a in enumerate(self.spec.names)},
            "observations": {"used": self.n, "read": self.rows_read, "dropped_missing": self.dropped_missing},
            "iterations": self.core.iterations,
            "scheme": self.spec.scheme,
            "scaled": self.spec.scaled,
            "warnings": list(self.warnings),
        }


def _num(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def fit(spec: ModelSpec, data: pd.DataFrame | PreparedData, lines: Sequence[int] | None = None, *,
        tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER) -> PlsResult:
    """Fit the model of `spec` to survey answers (a frame with the item columns, or prepared data)."""
    prepared = data if isinstance(data, PreparedData) else prepare_data(spec, data, lines)
    moments = Moments.of(prepared.values)
    design = Design.of(spec)
    core = estimate(moments, design, tol, max_iter)
    rescaled = rescaled_weights(core, moments, design)
    index = index_values(rescaled, moments, design, spec.scale)
    return PlsResult(spec, design, core, moments, prepared.rows_read, prepared.dropped_missing, rescaled, index,
                     tuple(_warnings(spec, prepared, core, moments)))


def _warnings(spec: ModelSpec, data: PreparedData, core: Core, moments: Moments) -> list[str]:
    out = []
    if data.dropped_missing:
        out.append(f"{data.dropped_missing} of {data.rows_read} rows dropped: a missing answer (listwise deletion)")
    if data.n < spec.recommended_rows():
        out.append(f"{data.n} rows is below the {spec.recommended_rows()} of the 10-times rule: estimates are unstable")
    raw = core.item_weights / moments.sd if spec.scaled else core.item_weights
    for c in spec.constructs:
        bad = [i for i in c.items if raw[spec.items.index(i)] <= 0]
        if bad:
            out.append(f"construct {c.name}: outer weight of {', '.join(bad)} not positive; no 0–100 index")
    return out


# ------------------------------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class GroupFits:
    """One fit per group (unit, segment, period); groups that could not be estimated, with the reason."""

    by: str
    results: dict[str, PlsResult]
    skipped: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "groups": {k: {"n": r.n, **r.to_dict()} for k, r in self.results.items()},
                "skipped": self.skipped}


def fit_by_group(spec: ModelSpec, frame: pd.DataFrame, by: str, lines: Sequence[int] | None = None, *,
                 min_rows: int | None = None) -> GroupFits:
    """Fit the model separately in every group of column `by`; a group with fewer complete rows than
    `min_rows` (default: the 10-times rule) or that cannot be estimated is skipped with the reason."""
    if by not in frame.columns:
        raise BadInput("by", f"unknown group column {by!r}; the columns are {list(map(str, frame.columns))}")
    prepared = prepare_data(spec, frame, lines, check_rows=False)
    groups = frame[by].to_numpy(dtype=object)[prepared.kept]
    threshold = max(min_rows if min_rows is not None else spec.recommended_rows(), spec.minimum_rows())
    results: dict[str, PlsResult] = {}
    skipped: dict[str, str] = {}
    for key in sorted({str(g) for g in groups if not _blank(g)}):
        rows = np.array([not _blank(g) and str(g) == key for g in groups])
        part = PreparedData(prepared.values[rows], spec.items, int(rows.sum()), 0, prepared.kept[rows])
        if part.n < threshold:
            skipped[key] = f"{part.n} complete rows, fewer than the {threshold} needed"
            continue
        try:
            check_estimable(spec, part)
            results[key] = fit(spec, part)
        except (BadInput, EstimationError) as exc:
            skipped[key] = str(exc)
    if (blank := sum(_blank(g) for g in groups)) > 0:
        skipped["(blank)"] = f"{blank} rows without a value in column {by!r}"
    return GroupFits(by, results, skipped)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""
