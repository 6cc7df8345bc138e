"""Indicator weights shared by the risk index (issue #4) and satisfaction studies (issue #5): entropy weights,
AHP and fuzzy comprehensive evaluation (below).

The entropy weight method (熵权法) as in `methods.md` §3. Two normalisations exist in the literature and give
different weights, so the caller names one:

- ``"minmax"`` (极差标准化, the Chinese-literature standard and our default): positive indicators
  ``(x - min) / (max - min)``, negative ``(max - x) / (max - min)``; a constant column carries no information
  and gets weight 0.
- ``"sum"`` (the international MCDM convention, Xu 2004; pymcdm): ``p = x / Σx`` on the raw, non-negative data;
  negative indicators are not inverted because entropy does not depend on the direction.

In both, ``p ln p = 0`` when ``p = 0``, ``e_j = -Σ p ln p / ln n``, ``d_j = 1 - e_j``, ``w_j = d_j / Σ d``.
When every column is constant (Σ d = 0) the weights are equal: no indicator tells the samples apart better than
another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Normalisation = Literal["minmax", "sum"]


class WeightingError(ValueError):
    """Bad input to a weighting method; the message names the indicator or the reason."""


def entropy_weights(matrix: npt.ArrayLike, negative: Sequence[bool] | None = None,
                    normalisation: Normalisation = "minmax") -> npt.NDArray[np.float64]:
    """Entropy weights of the columns of ``matrix`` (rows = samples, columns = indicators)."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise WeightingError("the data must be a table: samples in rows, indicators in columns")
    n, m = x.shape
    if n < 2 or m < 1:
        raise WeightingError(f"entropy weights need at least 2 samples and 1 indicator, got {n} × {m}")
    if not np.all(np.isfinite(x)):
        column = int(np.argwhere(~np.isfinite(x))[0][1])
        raise WeightingError(f"indicator {column + 1} has a missing or infinite value")
    flags = np.zeros(m, dtype=bool) if negative is None else np.asarray(negative, dtype=bool)
    if flags.shape != (m,):
        raise WeightingError(f"{len(flags)} negative flags for {m} indicators")
    shares = _shares(x, flags, normalisation)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(shares > 0, shares * np.log(shares), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(n)
    diversity = np.clip(1.0 - entropy, 0.0, None)
    total = diversity.sum()
    if total <= 0:
        return np.full(m, 1.0 / m)
    return diversity / total


def _shares(x: npt.NDArray[np.float64], negative: npt.NDArray[np.bool_],
            normalisation: Normalisation) -> npt.NDArray[np.float64]:
    if normalisation == "sum":
        if np.any(x < 0):
            raise WeightingError("the 'sum' normalisation needs non-negative data; use 'minmax'")
        scaled = x
    elif normalisation == "minmax":
        low, high = x.min(axis=0), x.max(axis=0)
        span = np.where(high > low, high - low, 1.0)
        scaled = np.where(negative, high - x, x - low) / span
    else:
        raise WeightingError(f"unknown normalisation {normalisation!r}: use 'minmax' or 'sum'")
    sums = scaled.sum(axis=0)
    # a column with nothing to share (constant under min-max, all zero under sum) is uniform: entropy 1, weight 0
    return np.where(sums > 0, scaled / np.where(sums > 0, sums, 1.0), 1.0 / x.shape[0])


# ---------------------------------------------------------------------------------------------------- AHP
# Analytic hierarchy process (层次分析法, Saaty), methods.md §2. Weights by the principal eigenvector (the default,
# Saaty's method), the row geometric mean (方根法) or the mean of the column-normalised matrix (和积法);
# λmax is the principal eigenvalue (or its estimate mean((A·w)_i / w_i) for the approximate methods);
# CI = (λmax − n) / (n − 1), CR = CI / RI(n), acceptable when CR < 0.10. For n ≤ 2 every reciprocal matrix is
# consistent and CR = 0.
#
# The random index RI(n) differs between publications (methods.md §2.2 lists them); the caller names one and
# the result states it. Default "saaty": Saaty's classic table (1980; Saaty & Tran 2007 for n ≤ 10), with the
# n = 11–15 values as coded in pyDecision.

AhpMethod = Literal["eigenvector", "geometric", "arithmetic"]
RandomIndexTable = Literal["saaty", "chinese", "saaty2005", "donegan_dodd"]
RANDOM_INDEX: dict[str, tuple[float, ...]] = {  # RI(n) for n = 1 … 15
    "saaty": (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
    # the variant of many Chinese textbooks and codes (methods.md §2.2 (b))
    "chinese": (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
    # Saaty (2005) Theory and Applications of the ANP, p. 31 (AHPy 'saaty')
    "saaty2005": (0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
    # Donegan & Dodd (1991) Math. Comput. Modelling 15(10):135–137 (AHPy's default 'dd')
    "donegan_dodd": (0, 0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213, 1.4497,
                     1.4643, 1.4822, 1.4969),
}
CR_LIMIT = 0.10
RECIPROCAL_TOLERANCE = 0.05  # |a_ij · a_ji − 1|: entries typed with two decimals (0.33 for 1/3) pass


@dataclass(frozen=True)
class AhpResult:
    weights: npt.NDArray[np.float64]
    lambda_max: float
    ci: float
    cr: float
    ri: float
    method: str
    random_index: str
    labels: tuple[str, ...]

    @property
    def consistent(self) -> bool:
        return self.cr < CR_LIMIT

    def to_dict(self) -> dict[str, Any]:
        return {"weights": dict(zip(self.labels, map(float, self.weights), strict=True)),
                "lambda_max": self.lambda_max, "ci": self.ci, "cr": self.cr, "ri": self.ri,
                "consistent": self.consistent, "method": self.method, "random_index": self.random_index}


def ahp(matrix: npt.ArrayLike, labels: Sequence[str] | None = None, *, method: AhpMethod = "eigenvector",
        random_index: RandomIndexTable = "saaty", tolerance: float = RECIPROCAL_TOLERANCE) -> AhpResult:
    """Priorities and consistency of a pairwise comparison matrix (rows compared with columns)."""
    a = check_pairwise(matrix, labels, tolerance)
    n = a.shape[0]
    names = tuple(labels) if labels is not None else tuple(str(i + 1) for i in range(n))
    table = RANDOM_INDEX.get(random_index)
    if table is None:
        raise WeightingError(f"unknown random index table {random_index!r}; use one of {sorted(RANDOM_INDEX)}")
    if n > len(table):
        raise WeightingError(f"the random index table {random_index!r} stops at n = {len(table)}; got n = {n}")
    weights, lam = _priorities(a, method)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = float(table[n - 1])
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(weights, float(lam), float(ci), float(cr), ri, method, random_index, names)


def check_pairwise(matrix: npt.ArrayLike, labels: Sequence[str] | None = None,
                   tolerance: float = RECIPROCAL_TOLERANCE) -> npt.NDArray[np.float64]:
    """A square, positive, reciprocal matrix with ones on the diagonal; the error names the cell that is not."""
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise WeightingError(f"the comparison matrix must hold numbers: {exc}") from exc
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise WeightingError(f"the comparison matrix must be square, got {' × '.join(map(str, a.shape))}")
    n = a.shape[0]
    names = list(labels) if labels is not None else [str(i + 1) for i in range(n)]
    if len(names) != n:
        raise WeightingError(f"{len(names)} labels for a {n} × {n} matrix")
    for i in range(n):
        for j in range(n):
            _check_cell(a, i, j, names, tolerance)
    return a


def _check_cell(a: npt.NDArray[np.float64], i: int, j: int, names: list[str], tolerance: float) -> None:
    cell = f"row {names[i]!r}, column {names[j]!r}"
    value = a[i, j]
    if not np.isfinite(value) or value <= 0:
        raise WeightingError(f"{cell}: {value:g} is not a positive number")
    if i == j and abs(value - 1) > tolerance:
        raise WeightingError(f"{cell}: the diagonal must be 1, got {value:g}")
    if j > i and abs(value * a[j, i] - 1) > tolerance:
        raise WeightingError(f"{cell}: {value:g} is not the reciprocal of row {names[j]!r}, column {names[i]!r} "
                             f"({a[j, i]:g}); a_ij · a_ji must be 1")


def _priorities(a: npt.NDArray[np.float64], method: str) -> tuple[npt.NDArray[np.float64], float]:
    if method == "eigenvector":
        values, vectors = np.linalg.eig(a)
        k = int(np.argmax(values.real))
        w = np.abs(vectors[:, k].real)  # Perron: the principal eigenvector of a positive matrix has one sign
        return w / w.sum(), float(values[k].real)
    if method == "geometric":
        g = np.exp(np.log(a).mean(axis=1))
        w = g / g.sum()
    elif method == "arithmetic":
        w = (a / a.sum(axis=0)).mean(axis=1)
    else:
        raise WeightingError(f"unknown AHP method {method!r}; use eigenvector, geometric or arithmetic")
    return w, float(np.mean(a @ w / w))


# ------------------------------------------------------------------------------ fuzzy comprehensive evaluation
# 模糊综合评价, methods.md §4: B = A ∘ R with weight vector A (factors) and membership matrix R (factors × grades,
# r_ij = share of answers in grade j for factor i). The composition operators:
#   "M(·,+)"  b_j = Σ_i a_i r_ij                 weighted average (加权平均型), every factor counts — the default
#   "M(∧,∨)"  b_j = max_i min(a_i, r_ij)         Zadeh, the main factor decides (主因素决定型)
#   "M(·,∨)"  b_j = max_i a_i r_ij               main factor prominent (主因素突出型)
#   "M(∧,⊕)"  b_j = min(1, Σ_i min(a_i, r_ij))   bounded sum
# The grade is the maximum membership; with grade scores C the score is B_normalised · C.

FuzzyOperator = Literal["M(·,+)", "M(∧,∨)", "M(·,∨)", "M(∧,⊕)"]
FUZZY_OPERATORS: dict[str, str] = {"M(·,+)": "weighted_average", "M(∧,∨)": "min_max", "M(·,∨)": "product_max",
                                   "M(∧,⊕)": "min_bounded_sum"}
FUZZY_ALIASES = {v: k for k, v in FUZZY_OPERATORS.items()}
SUM_TOLERANCE = 0.01  # weights and membership rows must sum to 1 within this (published figures are rounded)


@dataclass(frozen=True)
class FuzzyResult:
    vector: npt.NDArray[np.float64]
    operator: str
    grades: tuple[str, ...]
    score: float | None

    @property
    def normalised(self) -> npt.NDArray[np.float64]:
        total = self.vector.sum()
        return self.vector / total if total > 0 else self.vector

    @property
    def grade(self) -> str:
        """The grade of maximum membership (最大隶属度原则)."""
        return self.grades[int(np.argmax(self.vector))]

    def to_dict(self) -> dict[str, Any]:
        return {"vector": dict(zip(self.grades, map(float, self.vector), strict=True)),
                "normalised": dict(zip(self.grades, map(float, self.normalised), strict=True)),
                "grade": self.grade, "score": self.score, "operator": self.operator}


def fuzzy_evaluate(weights: npt.ArrayLike, membership: npt.ArrayLike, operator: str = "M(·,+)", *,
                   grades: Sequence[str] | None = None, grade_scores: Sequence[float] | None = None) -> FuzzyResult:
    """B = A ∘ R with one of the four composition operators (by symbol or name, e.g. "weighted_average")."""
    op = FUZZY_ALIASES.get(operator, operator)
    if op not in FUZZY_OPERATORS:
        raise WeightingError(f"unknown operator {operator!r}; use one of {list(FUZZY_OPERATORS)} "
                             f"or {list(FUZZY_ALIASES)}")
    a, r = _fuzzy_inputs(weights, membership)
    names = tuple(grades) if grades is not None else tuple(str(j + 1) for j in range(r.shape[1]))
    if len(names) != r.shape[1]:
        raise WeightingError(f"{len(names)} grade names for {r.shape[1]} membership columns")
    vector = _compose(a, r, op)
    score = None
    if grade_scores is not None:
        c = np.asarray(grade_scores, dtype=float)
        if c.shape != (r.shape[1],):
            raise WeightingError(f"{c.size} grade scores for {r.shape[1]} grades")
        total = vector.sum()
        score = float(vector @ c / total) if total > 0 else None
    return FuzzyResult(vector, op, names, score)


def fuzzy_multilevel(groups: Sequence[tuple[npt.ArrayLike, npt.ArrayLike]], weights: npt.ArrayLike,
                     operator: str = "M(·,+)", **kwargs: Any) -> FuzzyResult:
    """Two-level FCE: each criterion group k gives B_k = A_k ∘ R_k; the B_k, normalised, are the rows of the
    second level's membership matrix, evaluated with the groups' weights."""
    rows = [fuzzy_evaluate(a, r, operator).normalised for a, r in groups]
    return fuzzy_evaluate(weights, np.vstack(rows), operator, **kwargs)


def membership_matrix(counts: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Membership degrees from survey counts (factors × grades): the share of answers in each grade."""
    c = np.asarray(counts, dtype=float)
    if c.ndim != 2 or np.any(~np.isfinite(c)) or np.any(c < 0):
        raise WeightingError("counts must be a table of non-negative numbers: factors in rows, grades in columns")
    totals = c.sum(axis=1)
    if np.any(totals == 0):
        raise WeightingError(f"factor {int(np.argmin(totals)) + 1} has no answers")
    return c / totals[:, None]


def _fuzzy_inputs(weights: npt.ArrayLike, membership: npt.ArrayLike
                  ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    a = np.asarray(weights, dtype=float)
    r = np.asarray(membership, dtype=float)
    if a.ndim != 1 or r.ndim != 2 or r.shape[0] != a.size:
        raise WeightingError(f"{a.size} weights need a membership matrix with {a.size} rows, got shape {r.shape}")
    if np.any(~np.isfinite(a)) or np.any(a < 0) or abs(a.sum() - 1) > SUM_TOLERANCE:
        raise WeightingError(f"weights must be non-negative and sum to 1, got {a.tolist()} (sum {a.sum():g})")
    for i, row in enumerate(r):
        if np.any(~np.isfinite(row)) or np.any(row < 0) or np.any(row > 1):
            raise WeightingError(f"membership row {i + 1}: degrees must lie in [0, 1], got {row.tolist()}")
        if abs(row.sum() - 1) > SUM_TOLERANCE:
            raise WeightingError(f"membership row {i + 1}: the degrees sum to {row.sum():g}, not 1")
    return a, r


def _compose(a: npt.NDArray[np.float64], r: npt.NDArray[np.float64], op: str) -> npt.NDArray[np.float64]:
    if op == "M(·,+)":
        return a @ r
    if op == "M(∧,∨)":
        return np.minimum(a[:, None], r).max(axis=0)
    if op == "M(·,∨)":
        return (a[:, None] * r).max(axis=0)
    return np.minimum(1.0, np.minimum(a[:, None], r).sum(axis=0))
