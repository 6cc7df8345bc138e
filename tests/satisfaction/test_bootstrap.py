"""Bootstrap intervals: seeded and the same for any number of processes, percentile intervals of the draws,
failed resamples counted, bad arguments refused."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from gridvoice.errors import BadInput
from gridvoice.satisfaction.bootstrap import bootstrap
from gridvoice.satisfaction.simulate import simulate
from gridvoice.satisfaction.spec import ModelSpec, parse_spec, prepare_data

SPEC = parse_spec({
    "constructs": {"X": {"items": ["x1", "x2", "x3"]}, "M": {"items": ["m1", "m2"]}, "Y": {"items": ["y1", "y2"]}},
    "paths": [["X", "M"], ["M", "Y"], ["X", "Y"]],
})


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    return simulate(SPEC, 400, seed=2, paths={("X", "M"): 0.5, ("M", "Y"): 0.4, ("X", "Y"): 0.2}).frame


def test_seeded_and_independent_of_jobs(answers: pd.DataFrame) -> None:
    one = bootstrap(SPEC, answers, 40, seed=9, jobs=1)
    again = bootstrap(SPEC, answers, 40, seed=9, jobs=1)
    two = bootstrap(SPEC, answers, 40, seed=9, jobs=2)
    other = bootstrap(SPEC, answers, 40, seed=10, jobs=1)
    assert np.array_equal(one.draws, again.draws)
    assert np.allclose(one.draws, two.draws, atol=1e-12, equal_nan=True)
    assert not np.allclose(one.draws, other.draws)
    assert one.to_dict() == again.to_dict()


def test_intervals_are_the_percentiles_of_the_draws(answers: pd.DataFrame) -> None:
    result = bootstrap(SPEC, answers, 200, seed=4, confidence=0.9)
    where = result.layout.slices["path_coefficients"]
    draws = result.draws[:, where]
    for offset, name in enumerate(result.layout.names["path_coefficients"]):
        iv = result.estimates["path_coefficients"][name]
        assert iv.ci_low == pytest.approx(np.quantile(draws[:, offset], 0.05))
        assert iv.ci_high == pytest.approx(np.quantile(draws[:, offset], 0.95))
        assert iv.std_error == pytest.approx(np.std(draws[:, offset], ddof=1))
        assert iv.t == pytest.approx(iv.original / iv.std_error)
        assert iv.ci_low < iv.original < iv.ci_high
    assert result.failed == 0 and result.resamples == 200


def test_every_statistic_is_there_and_json(answers: pd.DataFrame) -> None:
    doc = bootstrap(SPEC, answers, 20, seed=1).to_dict()
    assert set(doc["path_coefficients"]) == {"X -> M", "M -> Y", "X -> Y"}
    assert set(doc["total_effects"]) == {"X -> M", "M -> Y", "X -> Y"}
    assert set(doc["outer_weights"]) == set(SPEC.items) == set(doc["outer_loadings"])
    assert set(doc["r_squared"]) == {"M", "Y"} and set(doc["index"]) == {"X", "M", "Y"}
    assert set(doc["htmt"]) == {"X ~ M", "X ~ Y", "M ~ Y"}
    assert {"original", "mean", "std_error", "t", "ci_low", "ci_high"} == set(doc["index"]["Y"])
    json.dumps(doc, allow_nan=False)


def test_failed_resamples_are_counted_and_left_out(answers: pd.DataFrame) -> None:
    """y2 differs from a constant in two respondents only: many resamples miss both and cannot be estimated."""
    data = answers.copy()
    data["y2"] = 5
    data.loc[[0, 1], "y2"] = [6, 7]
    result = bootstrap(SPEC, data, 60, seed=3)
    assert 0 < result.failed < 60
    assert np.isnan(result.draws).all(axis=1).sum() == result.failed
    assert np.isfinite(result.estimates["path_coefficients"]["M -> Y"].ci_low)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"resamples": 5}, "bootstrap"), ({"confidence": 1.0}, "confidence"), ({"jobs": 0}, "jobs"),
])
def test_bad_arguments(answers: pd.DataFrame, kwargs: dict[str, float], field: str) -> None:
    args = {"resamples": 20, **kwargs}
    resamples = int(args.pop("resamples"))
    with pytest.raises(BadInput, match=field):
        bootstrap(SPEC, answers, resamples, **args)  # type: ignore[arg-type]


def test_accepts_prepared_data(answers: pd.DataFrame) -> None:
    spec: ModelSpec = SPEC
    prepared = prepare_data(spec, answers)
    assert np.array_equal(bootstrap(spec, prepared, 15, seed=2).draws, bootstrap(spec, answers, 15, seed=2).draws)
