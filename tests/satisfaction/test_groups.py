"""Fits per unit / segment / period: every group estimated on its own rows; small or degenerate groups skipped
with the reason."""

from __future__ import annotations

import pandas as pd
import pytest

from gridvoice.errors import BadInput
from gridvoice.satisfaction.ipma import ipma_by_group
from gridvoice.satisfaction.pls import fit, fit_by_group
from gridvoice.satisfaction.simulate import simulate
from gridvoice.satisfaction.spec import parse_spec

SPEC = parse_spec({
    "constructs": {"Q": {"items": ["q1", "q2", "q3"]}, "S": {"items": ["s1", "s2"]}, "L": {"items": ["l1", "l2"]}},
    "paths": [["Q", "S"], ["S", "L"]], "target": "S",
})


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    frame = simulate(SPEC, 1200, seed=8, units=("U1", "U2", "U3"), unit_spread=0.6).frame
    small = frame.iloc[:8].assign(unit="TINY")
    flat = frame.iloc[8:70].assign(unit="FLAT", q2=6)
    blank = frame.iloc[70:73].assign(unit="")
    return pd.concat([frame.iloc[73:], small, flat, blank], ignore_index=True)


def test_each_group_is_fitted_on_its_own_rows(answers: pd.DataFrame) -> None:
    groups = fit_by_group(SPEC, answers, "unit")
    assert set(groups.results) == {"U1", "U2", "U3"}
    for key, result in groups.results.items():
        alone = fit(SPEC, answers[answers["unit"] == key])
        assert result.n == alone.n
        assert result.path_coefficients == pytest.approx(alone.path_coefficients, abs=1e-12)
        assert result.index == pytest.approx(alone.index)
    indexes = [r.index["S"] for r in groups.results.values()]
    assert max(indexes) - min(indexes) > 1  # the units' shifts show in their satisfaction index


def test_small_degenerate_and_blank_groups_are_skipped_with_the_reason(answers: pd.DataFrame) -> None:
    skipped = fit_by_group(SPEC, answers, "unit").skipped
    assert "8 complete rows, fewer than the 10 needed" in skipped["TINY"]
    assert "'q2' is constant" in skipped["FLAT"]
    assert "3 rows without a value" in skipped["(blank)"]


def test_minimum_rows_is_configurable(answers: pd.DataFrame) -> None:
    strict = fit_by_group(SPEC, answers, "unit", min_rows=500)
    assert not strict.results
    assert all(strict.skipped[u].endswith("fewer than the 500 needed") for u in ("U1", "U2", "U3", "TINY"))
    assert "TINY" in fit_by_group(SPEC, answers, "unit", min_rows=5).results


def test_per_period_and_ipma_per_group(answers: pd.DataFrame) -> None:
    groups = fit_by_group(SPEC, answers, "period")
    assert set(groups.results) == {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"} - set(groups.skipped)
    maps = ipma_by_group(groups)
    assert set(maps) == set(groups.results)
    assert all(not isinstance(m, str) and m.target == "S" for m in maps.values())
    doc = groups.to_dict()
    assert doc["by"] == "period" and all("n" in g and "index" in g for g in doc["groups"].values())


def test_unknown_group_column(answers: pd.DataFrame) -> None:
    with pytest.raises(BadInput, match="unknown group column 'county'"):
        fit_by_group(SPEC, answers, "county")
