"""Acceptance of issue #5: R plspm's results on its `satisfaction` data, every number, to 1e-8.

Settings from the reference folder's README: blocks IMAG, EXPE, QUAL, VAL, SAT, LOY (mode A), its path
matrix, `scaled = FALSE`; the centroid scheme for every file but `satisfaction.outer-model-path.csv`
(path scheme). The answers run 0–10, so the spec's scale says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gridvoice.satisfaction.pls import PlsResult, fit

from .conftest import plspm_spec, read_plspm

TOL = 1e-8
GOF_CENTROID = 0.609741624338411  # the README's goodness of fit


@pytest.fixture(scope="module")
def centroid(plspm_dir: Path) -> PlsResult:
    return fit(plspm_spec("centroid"), read_plspm(plspm_dir))


@pytest.fixture(scope="module")
def path_scheme(plspm_dir: Path) -> PlsResult:
    return fit(plspm_spec("path"), read_plspm(plspm_dir))


def _outer_model(result: PlsResult, reference: pd.DataFrame) -> None:
    assert list(reference["name"]) == list(result.spec.items)
    for _, row in reference.iterrows():
        item = row["name"]
        assert result.spec.construct_of(item) == row["block"]
        assert result.outer_weights[item] == pytest.approx(row["weight"], abs=TOL), item
        assert result.outer_loadings[item] == pytest.approx(row["loading"], abs=TOL), item
        assert result.communality[item] == pytest.approx(row["communality"], abs=TOL), item
        assert result.redundancy[item] == pytest.approx(row["redundancy"], abs=TOL), item


def test_outer_model_centroid(centroid: PlsResult, plspm_dir: Path) -> None:
    _outer_model(centroid, pd.read_csv(plspm_dir / "satisfaction.outer-model.csv"))


def test_outer_model_path_scheme(path_scheme: PlsResult, plspm_dir: Path) -> None:
    _outer_model(path_scheme, pd.read_csv(plspm_dir / "satisfaction.outer-model-path.csv"))


def test_the_two_schemes_differ(centroid: PlsResult, path_scheme: PlsResult) -> None:
    """The two reference files are not the same numbers: matching both means the scheme really changed."""
    diff = max(abs(centroid.outer_weights[i] - path_scheme.outer_weights[i]) for i in centroid.spec.items)
    assert diff > 1e-4


def test_effects(centroid: PlsResult, plspm_dir: Path) -> None:
    reference = pd.read_csv(plspm_dir / "satisfaction.effects.csv", index_col=0)
    effects = centroid.effects
    assert set(effects) == set(reference.index)
    for key, row in reference.iterrows():
        assert effects[key]["direct"] == pytest.approx(row["direct"], abs=TOL), key
        assert effects[key]["indirect"] == pytest.approx(row["indirect"], abs=TOL), key
        assert effects[key]["total"] == pytest.approx(row["total"], abs=TOL), key
        assert centroid.total_effects[key] == effects[key]["total"]
    for key, value in centroid.path_coefficients.items():
        assert value == pytest.approx(reference.loc[key, "direct"], abs=TOL)


def test_inner_summary(centroid: PlsResult, plspm_dir: Path) -> None:
    reference = pd.read_csv(plspm_dir / "satisfaction.inner-summary.csv", index_col=0)
    summary = centroid.inner_summary
    for name, row in reference.iterrows():
        for column in ("r_squared", "block_communality", "mean_redundancy", "ave"):
            assert summary[name][column] == pytest.approx(row[column], abs=TOL), (name, column)
        if row["type"] == "Endogenous":
            assert centroid.r_squared[name] == pytest.approx(row["r_squared"], abs=TOL)
            assert centroid.reliability[name]["ave"] == pytest.approx(row["ave"], abs=TOL)
        else:
            assert name not in centroid.r_squared


def test_inner_model_regression(centroid: PlsResult, plspm_dir: Path) -> None:
    """The `lm` table of SAT on its predictors: estimate, standard error, t and p."""
    reference = pd.read_csv(plspm_dir / "satisfaction.inner-model.csv", index_col=0)
    inner = centroid.inner_model
    for name, row in reference.iterrows():
        got = inner[f"{name} -> SAT"]
        assert got.estimate == pytest.approx(row["Estimate"], abs=TOL)
        assert got.std_error == pytest.approx(row["Std. Error"], abs=TOL)
        assert got.t == pytest.approx(row["t value"], abs=1e-6)
        assert got.p == pytest.approx(row["Pr(>|t|)"], rel=1e-6, abs=1e-12)


def test_goodness_of_fit(centroid: PlsResult) -> None:
    assert centroid.gof == pytest.approx(GOF_CENTROID, abs=TOL)


def test_scores_reproduce_the_path_regressions(centroid: PlsResult, plspm_dir: Path) -> None:
    """The moment-based shortcut against the textbook route: scores from the reported weights, then OLS."""
    frame = read_plspm(plspm_dir)[list(centroid.spec.items)].to_numpy(float)
    centred = frame - frame.mean(axis=0)
    weights = centroid.core.weights
    scores = centred @ weights
    assert np.allclose(scores.std(axis=0), 1.0)
    names = centroid.spec.names
    for name in centroid.spec.endogenous:
        pred = [names.index(p) for p in centroid.spec.predecessors(name)]
        design = np.column_stack([np.ones(len(scores)), scores[:, pred]])
        beta = np.linalg.lstsq(design, scores[:, names.index(name)], rcond=None)[0][1:]
        for p, b in zip(centroid.spec.predecessors(name), beta, strict=True):
            assert centroid.path_coefficients[f"{p} -> {name}"] == pytest.approx(b, abs=1e-10)
    loadings = [np.corrcoef(centred[:, i], scores[:, j])[0, 1]
                for i, j in enumerate(centroid.design.block_of)]
    assert np.allclose(loadings, list(centroid.outer_loadings.values()), atol=1e-10)


def test_index_is_the_acsi_formula(centroid: PlsResult, plspm_dir: Path) -> None:
    """Unscaled data: the weights are already unstandardised; index = Σ w̃ (x̄ − 0)/10 · 100."""
    frame = read_plspm(plspm_dir)
    for construct in centroid.spec.constructs:
        w = np.array([centroid.outer_weights[i] for i in construct.items])
        means = frame[list(construct.items)].mean().to_numpy()
        expected = float((w / w.sum()) @ means / 10 * 100)
        assert centroid.index[construct.name] == pytest.approx(expected, abs=1e-9)
        assert 0 <= centroid.index[construct.name] <= 100
