"""The CSI model's bootstrap (issue #5): 1,000 resamples of 10,000 synthetic respondents of the default instrument
(9 constructs, 30 items, 18 paths), goal ≤ 60 s on 2 cores; quick mode 100 resamples of 2,000.

Measured: one fit, and the bootstrap in one process and in two (joblib processes; the process start-up is
part of the figure). The respondents come from `satisfaction/simulate.py` (seeded, known structural model).
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from bench.common import Result
from gridvoice.satisfaction.bootstrap import bootstrap
from gridvoice.satisfaction.pls import fit
from gridvoice.satisfaction.simulate import simulate_default
from gridvoice.satisfaction.spec import prepare_data

GOAL_SECONDS = 60.0


def run(work: Path, quick: bool, console: Console) -> list[Result]:
    respondents, resamples = (2_000, 100) if quick else (10_000, 1_000)
    survey = simulate_default(respondents, seed=11)
    data = prepare_data(survey.spec, survey.frame)
    started = time.perf_counter()
    result = fit(survey.spec, data)
    fit_ms = (time.perf_counter() - started) * 1000
    name = f"PLS-SEM bootstrap, {resamples:,} resamples of {respondents:,} respondents"
    results = [Result(f"PLS-SEM fit, {respondents:,} respondents, 30 items", "numpy", "time", fit_ms, "ms",
                      None, False)]
    for jobs in (1, 2):
        started = time.perf_counter()
        boot = bootstrap(survey.spec, data, resamples, seed=5, jobs=jobs, original=result)
        seconds = time.perf_counter() - started
        console.print(f"satisfaction: {resamples} resamples × {respondents} respondents, {jobs} job(s): "
                      f"{seconds:.1f} s, {boot.failed} failed")
        results.append(Result(f"{name} ({jobs} process{'es' if jobs > 1 else ''})", "numpy", "time", seconds, "s",
                              GOAL_SECONDS, False))
    return results
