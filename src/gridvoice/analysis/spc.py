"""Control-chart thresholds for Poisson counts, computed from a target in-control average run length (ARL).

Both charts watch a count x_t whose in-control law is Poisson(μ0) and are designed for a shift to
μ1 = μ0 + s·√μ0 (methods.md §7).

- **Poisson CUSUM** in log-likelihood-ratio units: S_t = max(0, S_{t−1} + a·x_t − b), a = ln(μ1/μ0),
  b = μ1 − μ0, S_0 = 0; alarm when S_t ≥ h. (Dividing by a gives the classic form with reference value
  k = b/a and threshold h/a.)
- **EWMA** of standardised counts u_t = (x_t − μ0)/√μ0: Z_t = λ·u_t + (1 − λ)·Z_{t−1}, Z_0 = 0; alarm when
  Z_t ≥ L·√(λ/(2 − λ)) (the steady-state limit).

The threshold (h, or L) is the one whose in-control ARL equals the target. The ARL of a given threshold comes
from the Markov-chain approximation of Brook & Evans (1972): the chart's value is discretised into states, the
Poisson law gives the transition probabilities between them, and the expected number of steps to absorption
(the alarm) solves (I − Q)·ARL = 1. Root finding on log ARL gives the threshold. `simulate_*` estimate the same
ARLs by Monte Carlo; the tests check that the two agree.

The discretisation is finer than the chart's smallest step (b for the CUSUM), with at least `MIN_STATES` states.
For sparse counts (μ0 well below 1) a single appeal is a large jump, the ARL is a step function of the threshold,
and the threshold returned is the smallest whose ARL reaches the target.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import brentq
from scipy.sparse.linalg import spsolve
from scipy.stats import poisson
from threadpoolctl import threadpool_limits

MIN_STATES = 600
MAX_STATES = 4000
STEPS_PER_DECREMENT = 6  # states per smallest downward step of the chart
BUCKETS_PER_DECADE = 10  # thresholds are computed for μ0 on this log grid
ARL_DECADE_STEPS = 20  # target ARLs are rounded up on this log grid (cache hits across runs)


@dataclass(frozen=True)
class CusumDesign:
    mu0: float
    mu1: float
    a: float  # ln(μ1/μ0)
    b: float  # μ1 − μ0

    @classmethod
    def for_shift(cls, mu0: float, shift_sigmas: float) -> CusumDesign:
        if mu0 <= 0 or not math.isfinite(mu0):
            raise ValueError(f"mu0 must be a positive number, got {mu0}")
        mu1 = mu0 + shift_sigmas * math.sqrt(mu0)
        return cls(mu0, mu1, math.log(mu1 / mu0), mu1 - mu0)

    @property
    def k(self) -> float:
        """Reference value of the classic form S = max(0, S + x − k)."""
        return self.b / self.a


def _counts(mu: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Poisson(μ) support truncated where the remaining mass is below 1e-12, and its probabilities."""
    top = int(poisson.isf(1e-12, mu)) + 2
    x = np.arange(top + 1)
    return x, poisson.pmf(x, mu)


def _arl_from_chain(q: sparse.csr_matrix | npt.NDArray[np.float64], start: int) -> float:
    n = q.shape[0]
    if sparse.issparse(q):
        arl = spsolve((sparse.identity(n, format="csr") - q).tocsc(), np.ones(n))
    else:
        arl = np.linalg.solve(np.eye(n) - q, np.ones(n))
    value = float(arl[start])
    return value if value > 0 and math.isfinite(value) else math.inf


def _matrix(rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], probs: npt.NDArray[np.float64],
            n: int) -> sparse.csr_matrix | npt.NDArray[np.float64]:
    keep = cols < n  # landing beyond the last state: absorbed (the alarm)
    q = sparse.coo_matrix((probs[keep], (rows[keep], cols[keep])), shape=(n, n)).tocsr()
    return q.toarray() if n <= 1200 else q


def cusum_arl(design: CusumDesign, h: float, mu: float | None = None) -> float:
    """ARL of the CUSUM with threshold `h` when the counts are Poisson(`mu`) (default: in control)."""
    if h <= 0:
        return 1.0
    n = int(min(MAX_STATES, max(MIN_STATES, math.ceil(STEPS_PER_DECREMENT * h / design.b))))
    width = h / n
    # state 0: exactly zero; state j ≥ 1: the interval ((j−1)·w, j·w], represented by its midpoint
    values = np.concatenate([[0.0], (np.arange(1, n + 1) - 0.5) * width])
    x, p = _counts(design.mu0 if mu is None else mu)
    landing = values[:, None] + design.a * x[None, :] - design.b
    cols = np.where(landing <= 0, 0, np.ceil(landing / width).astype(np.int64))
    cols = np.where(landing >= h, n + 1, cols)
    rows = np.repeat(np.arange(n + 1), x.size)
    q = _matrix(rows, cols.ravel(), np.tile(p, n + 1), n + 1)
    return _arl_from_chain(q, 0)


def ewma_arl(mu0: float, lam: float, limit_l: float, mu: float | None = None, states: int = 300) -> float:
    """ARL of the upper EWMA of standardised Poisson(`mu0`) counts with limit L·√(λ/(2−λ))."""
    c = limit_l * math.sqrt(lam / (2 - lam))
    low = -math.sqrt(mu0)  # Z never goes below the standardised value of a zero count
    if c <= 0:
        return 1.0
    width = (c - low) / states
    mids = low + (np.arange(states) + 0.5) * width
    x, p = _counts(mu0 if mu is None else mu)
    u = (x - mu0) / math.sqrt(mu0)
    landing = (1 - lam) * mids[:, None] + lam * u[None, :]
    cols = np.clip(np.floor((landing - low) / width).astype(np.int64), 0, None)
    cols = np.where(landing >= c, states + 1, cols)
    rows = np.repeat(np.arange(states), x.size)
    q = _matrix(rows, cols.ravel(), np.tile(p, states), states)
    start = min(states - 1, int((0 - low) / width))
    return _arl_from_chain(q, start)


def _solve_threshold(arl_of: Callable[[float], float], target: float, first: float) -> float:
    """The smallest threshold whose ARL reaches `target` (ARL grows with the threshold)."""
    low, high = 0.0, first
    while arl_of(high) < target:
        low, high = high, high * 2
        if high > 1e4:
            raise ValueError(f"no threshold reaches an ARL of {target:g}")
    goal = math.log(target)

    def gap(t: float) -> float:
        value = arl_of(t)
        return (math.log(value) if math.isfinite(value) else 700.0) - goal

    if gap(low) >= 0:
        return low
    try:
        root = float(brentq(gap, low, high, xtol=1e-3, rtol=1e-5, maxiter=100))
    except ValueError:  # a step in the ARL: the root brackets the step; take its upper side
        return high
    while gap(root) < 0 and root < high:  # the solver's tolerance may leave it a hair short of the target
        root = min(high, root + 1e-3)
    return root


@lru_cache(maxsize=4096)
def _cusum_h(mu0: float, shift_sigmas: float, target: float) -> float:
    design = CusumDesign.for_shift(mu0, shift_sigmas)
    first = max(design.a, design.b, 1.0)
    with threadpool_limits(1):  # small solves: BLAS threads only fight over the cores
        return _solve_threshold(lambda h: cusum_arl(design, h), target, first)


@lru_cache(maxsize=4096)
def _ewma_l(mu0: float, lam: float, target: float) -> float:
    with threadpool_limits(1):
        return _solve_threshold(lambda limit: ewma_arl(mu0, lam, limit), target, 3.0)


def bucket_of(mu0: float) -> int:
    return round(BUCKETS_PER_DECADE * math.log10(mu0))


def bucket_mu(bucket: int) -> float:
    return 10 ** (bucket / BUCKETS_PER_DECADE)


def rounded_target(arl: float) -> float:
    """The target ARL rounded up on a log grid: thresholds are reused across runs, and never looser."""
    return 10 ** (math.ceil(math.log10(max(arl, 1.0)) * ARL_DECADE_STEPS) / ARL_DECADE_STEPS)


class ThresholdCache:
    """Thresholds already computed, kept in a small JSON file between processes (they depend only on the
    design, never on data, so the file can be deleted at any time)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.values: dict[str, float] = {}
        self.dirty = False
        if path is not None and path.exists():
            try:
                self.values = {str(k): float(v) for k, v in json.loads(path.read_text("utf-8")).items()}
            except (ValueError, TypeError, AttributeError):
                self.values = {}

    def get(self, key: str, compute: Callable[[], float]) -> float:
        if key not in self.values:
            self.values[key] = compute()
            self.dirty = True
        return self.values[key]

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{self.path.name}")
        tmp.write_text(json.dumps(self.values, sort_keys=True))
        os.replace(tmp, self.path)
        self.dirty = False


def cusum_threshold(mu0: float, shift_sigmas: float, target_arl: float,
                    cache: ThresholdCache | None = None) -> float:
    """h of the CUSUM for an in-control mean `mu0` (taken at its log-grid bucket) and a target ARL."""
    mu, target = bucket_mu(bucket_of(mu0)), rounded_target(target_arl)
    if cache is None:
        return _cusum_h(mu, shift_sigmas, target)
    return cache.get(f"cusum:{mu:.6g}:{shift_sigmas:g}:{target:.6g}", lambda: _cusum_h(mu, shift_sigmas, target))


def ewma_limit(mu0: float, lam: float, target_arl: float, cache: ThresholdCache | None = None) -> float:
    """L of the EWMA for an in-control mean `mu0` (taken at its log-grid bucket) and a target ARL."""
    mu, target = bucket_mu(bucket_of(mu0)), rounded_target(target_arl)
    if cache is None:
        return _ewma_l(mu, lam, target)
    return cache.get(f"ewma:{mu:.6g}:{lam:g}:{target:.6g}", lambda: _ewma_l(mu, lam, target))


def simulate_cusum_arl(design: CusumDesign, h: float, runs: int, rng: np.random.Generator,
                       mu: float | None = None, horizon: int = 1_000_000) -> float:
    """Monte-Carlo ARL of the same chart (all runs advance together, one vectorised step per period)."""
    s = np.zeros(runs)
    length = np.zeros(runs)
    alive = np.ones(runs, dtype=bool)
    rate = design.mu0 if mu is None else mu
    for t in range(1, horizon + 1):
        x = rng.poisson(rate, alive.sum())
        s[alive] = np.maximum(0.0, s[alive] + design.a * x - design.b)
        done = alive.copy()
        done[alive] = s[alive] >= h
        length[done] = t
        alive &= ~done
        if not alive.any():
            break
    return float(length.mean())


def simulate_ewma_arl(mu0: float, lam: float, limit_l: float, runs: int, rng: np.random.Generator,
                      mu: float | None = None, horizon: int = 1_000_000) -> float:
    c = limit_l * math.sqrt(lam / (2 - lam))
    z = np.zeros(runs)
    length = np.zeros(runs)
    alive = np.ones(runs, dtype=bool)
    rate = mu0 if mu is None else mu
    for t in range(1, horizon + 1):
        u = (rng.poisson(rate, alive.sum()) - mu0) / math.sqrt(mu0)
        z[alive] = lam * u + (1 - lam) * z[alive]
        done = alive.copy()
        done[alive] = z[alive] >= c
        length[done] = t
        alive &= ~done
        if not alive.any():
            break
    return float(length.mean())
