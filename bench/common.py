"""Shared pieces of the benchmarks: results, stores with a synthetic org, throwaway PostgreSQL databases."""

from __future__ import annotations

import os
import random
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from gridvoice.config import Settings
from gridvoice.runtime import Runtime
from gridvoice.store.db import scratch_postgres_database
from gridvoice.synth.seed import build_city

PG_URL = os.environ.get("GRIDVOICE_TEST_PG_URL")


@dataclass
class Result:
    name: str
    backend: str
    measure: str
    value: float
    unit: str
    goal: float | None = None
    higher_is_better: bool = True

    def formatted(self) -> str:
        return f"{self.value:,.1f} {self.unit}" if self.value < 100 else f"{self.value:,.0f} {self.unit}"

    def goal_text(self) -> str:
        if self.goal is None:
            return ""
        return f"{'≥' if self.higher_is_better else '≤'} {self.goal:,.0f} {self.unit}"

    def met_text(self) -> str:
        if self.goal is None:
            return ""
        ok = self.value >= self.goal if self.higher_is_better else self.value <= self.goal
        return "yes" if ok else "NO"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextmanager
def database(backend: str, home: Path) -> Iterator[str]:
    """A fresh empty database URL for one benchmark."""
    if backend == "sqlite":
        home.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{home / 'bench.db'}"
        return
    assert PG_URL, "GRIDVOICE_TEST_PG_URL is not set"
    with scratch_postgres_database(PG_URL, "gv_bench") as url:
        yield url


def runtime_with_org(url: str, home: Path, customers: int = 50_000, seed: int = 7) -> tuple[Runtime, list[dict]]:
    """A store holding the synthetic org tree and customers, no appeals."""
    rt = Runtime(Settings(home=home, database_url=url, secret_key="bench-secret", scheduler=False))
    rt.init_schema()
    people = build_city(rt, random.Random(seed), customers)
    return rt, people
