"""Objective indicator weights shared by the risk index (issue #4) and satisfaction studies (issue #5).

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
from typing import Literal

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
