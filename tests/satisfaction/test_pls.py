"""The PLS engine beyond the reference files: an independent row-by-row oracle of plspm's algorithm for every
scheme, mode and scaling; invariances; signs; the index; failures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridvoice.satisfaction.pls import Design, EstimationError, Moments, estimate, fit
from gridvoice.satisfaction.spec import ModelSpec, parse_spec

BLOCKS = {"A": ["a1", "a2", "a3"], "B": ["b1", "b2"], "C": ["c1", "c2", "c3"], "D": ["d1", "d2"]}
PATHS = [["A", "B"], ["A", "C"], ["B", "C"], ["C", "D"], ["B", "D"]]


def spec(scheme: str = "path", scaled: bool = True, modes: dict[str, str] | None = None) -> ModelSpec:
    constructs = {k: {"items": v, "mode": (modes or {}).get(k, "A")} for k, v in BLOCKS.items()}
    return parse_spec({"constructs": constructs, "paths": PATHS, "scheme": scheme, "scaled": scaled})


def sample(n: int = 300, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.5 * a + rng.normal(size=n) * 0.85
    c = 0.4 * a + 0.3 * b + rng.normal(size=n) * 0.8
    d = 0.5 * c + 0.2 * b + rng.normal(size=n) * 0.8
    cols = []
    for latent, size in ((a, 3), (b, 2), (c, 3), (d, 2)):
        for _ in range(size):
            cols.append(5.5 + 2 * (0.8 * latent + 0.6 * rng.normal(size=n)) * rng.uniform(0.5, 1.5))
    return np.column_stack(cols)


def oracle(values: np.ndarray, model: ModelSpec) -> dict[str, Any]:
    """plspm's get_weights / get_scores / get_paths, transcribed on rows (R's sd has divisor n − 1)."""
    n = values.shape[0]
    sdv = np.sqrt((n - 1) / n)
    x = values - values.mean(axis=0)
    if model.scaled:
        x = x / (values.std(axis=0, ddof=1) * sdv)
    design = Design.of(model)
    odm, adj = design.odm, design.adjacency
    w = odm / ((x @ odm).std(axis=0, ddof=1) * sdv)
    old = w.sum(axis=1)
    for _ in range(100):
        y = x @ w
        y = (y - y.mean(axis=0)) / y.std(axis=0, ddof=1) * sdv
        r = np.corrcoef(y, rowvar=False)
        if model.scheme == "centroid":
            e = np.sign(r) * (adj + adj.T)
        elif model.scheme == "factorial":
            e = r * (adj + adj.T)
        else:
            e = np.zeros_like(r)
            for k in range(design.k):
                pred, succ = np.flatnonzero(adj[:, k]), np.flatnonzero(adj[k, :])
                if pred.size:
                    e[pred, k] = np.linalg.lstsq(y[:, pred], y[:, k], rcond=None)[0]
                e[succ, k] = r[succ, k]
        z = y @ e
        for j in range(design.k):
            b = design.block(j)
            w[b, j] = (np.linalg.lstsq(x[:, b], z[:, j], rcond=None)[0] if design.mode_b[j] else z[:, j] @ x[:, b] / n)
        new = w.sum(axis=1)
        if np.sum((np.abs(old) - np.abs(new)) ** 2) < 1e-6:
            break
        old = new
    w = w / ((x @ w).std(axis=0, ddof=1) * sdv)
    scores = x @ w
    loadings = np.array([np.corrcoef(x[:, i], scores[:, j])[0, 1] for i, j in enumerate(design.block_of)])
    paths = {}
    for a, b in model.paths:
        pred = [model.names.index(p) for p in model.predecessors(b)]
        lhs = np.column_stack([np.ones(n), scores[:, pred]])
        beta = np.linalg.lstsq(lhs, scores[:, model.names.index(b)], rcond=None)[0][1:]
        paths[f"{a} -> {b}"] = float(beta[pred.index(model.names.index(a))])
    return {"weights": w.sum(axis=1), "loadings": loadings, "paths": paths}


@pytest.mark.parametrize("scheme", ["path", "centroid", "factorial"])
@pytest.mark.parametrize("scaled", [True, False])
@pytest.mark.parametrize("modes", [{}, {"B": "B", "D": "B"}])
def test_matches_the_row_oracle(scheme: str, scaled: bool, modes: dict[str, str]) -> None:
    model = spec(scheme, scaled, modes)
    answers = pd.DataFrame(sample(), columns=model.items).clip(1, 10)
    result = fit(model, answers)
    expected = oracle(answers.to_numpy(), model)
    assert np.allclose(list(result.outer_weights.values()), expected["weights"], atol=1e-10)
    assert np.allclose(list(result.outer_loadings.values()), expected["loadings"], atol=1e-10)
    for key, value in expected["paths"].items():
        assert result.path_coefficients[key] == pytest.approx(value, abs=1e-10)


def test_schemes_give_different_estimates() -> None:
    values = pd.DataFrame(sample(), columns=spec().items).clip(1, 10)
    weights = [list(fit(spec(s), values).outer_weights.values()) for s in ("path", "centroid", "factorial")]
    assert not np.allclose(weights[0], weights[1]) and not np.allclose(weights[1], weights[2])


@given(st.lists(st.floats(0.2, 5.0), min_size=10, max_size=10), st.lists(st.floats(-50, 50), min_size=10,
                                                                          max_size=10))
@settings(max_examples=30, deadline=None)
def test_standardised_model_ignores_units(factors: list[float], shifts: list[float]) -> None:
    """scaled = true: rescaling or shifting any item changes nothing but nothing."""
    model, values = spec(), sample(120, 5)
    design = Design.of(model)
    base = estimate(Moments.of(values), design)
    moved = estimate(Moments.of(values * np.array(factors) + np.array(shifts)), design)
    assert np.allclose(base.weights, moved.weights, atol=1e-8)
    assert np.allclose(base.paths, moved.paths, atol=1e-8)
    assert np.allclose(base.cross_loadings, moved.cross_loadings, atol=1e-8)


@given(st.floats(0.1, 10.0), st.lists(st.floats(-50, 50), min_size=10, max_size=10))
@settings(max_examples=30, deadline=None)
def test_centred_model_ignores_shifts_and_a_common_unit(factor: float, shifts: list[float]) -> None:
    """(plspm's stopping rule is not unit-free for centred data, so both run to a tight tolerance here)"""
    model, values = spec(scaled=False), sample(120, 6)
    design = Design.of(model)
    base = estimate(Moments.of(values), design, tol=1e-20)
    moved = estimate(Moments.of(values * factor + np.array(shifts)), design, tol=1e-20)
    assert np.allclose(base.weights, moved.weights * factor, atol=1e-8)
    assert np.allclose(base.paths, moved.paths, atol=1e-8)


def test_reversed_items_reverse_the_construct() -> None:
    """Negating every item of block C reverses what C measures: its paths change sign, its loadings stay positive
    and its weights on the reversed items are positive too (the score is the reversed construct)."""
    model, values = spec(), sample()
    design = Design.of(model)
    flipped = values.copy()
    flipped[:, design.block(2)] *= -1
    base, turned = estimate(Moments.of(values), design), estimate(Moments.of(flipped), design)
    sign = np.where(np.arange(4) == 2, -1.0, 1.0)
    assert np.allclose(base.paths * np.outer(sign, sign), turned.paths, atol=1e-10)
    assert np.allclose(base.loadings(design), turned.loadings(design), atol=1e-10)
    assert np.allclose(base.item_weights, turned.item_weights, atol=1e-10)


def test_sign_rule_is_the_majority_of_loadings() -> None:
    """plspm's get_scores: a construct is turned when the sum of its loadings' signs is ≤ 0 (ties turn)."""
    from gridvoice.satisfaction.pls import _signs

    design = Design.of(spec())
    cross = np.ones((10, 4))
    cross[[0, 1], 0] = -0.5  # A: two of three negative
    cross[3, 1] = -0.2  # B: one of two negative, a tie
    cross[5, 2] = -0.1  # C: one of three negative
    assert list(_signs(cross, design)) == [-1.0, -1.0, 1.0, 1.0]


def test_iteration_limit_is_an_estimation_error() -> None:
    model = spec()
    with pytest.raises(EstimationError, match="did not converge in 1 iterations"):
        estimate(Moments.of(sample()), Design.of(model), max_iter=1)


def test_index_is_undefined_for_a_negative_weight() -> None:
    """A formative block with an item working against the construct: no 0–100 index, and a warning."""
    values = sample()
    values[:, 4] = 11 - values[:, 4]  # b2 now runs against B; mode B keeps its negative weight
    model = spec(modes={"B": "B"})
    result = fit(model, pd.DataFrame(values, columns=model.items).clip(1, 10))
    assert result.outer_weights["b2"] < 0
    assert result.index["B"] is None and result.to_dict()["index_weights"]["b2"] is None
    assert any("construct B" in w and "b2" in w for w in result.warnings)
    assert result.reliability["B"] == {"cronbach_alpha": None, "composite_reliability": None, "ave": None}
    assert all(0 <= result.index[name] <= 100 for name in ("A", "C", "D"))


def test_to_dict_has_the_interface_keys_and_is_json() -> None:
    import json

    model = spec()
    doc = fit(model, pd.DataFrame(sample(), columns=model.items).clip(1, 10)).to_dict()
    for key in ("path_coefficients", "r_squared", "outer_loadings", "outer_weights", "total_effects", "index",
                "reliability", "htmt", "effects", "communality", "gof"):
        assert key in doc
    assert set(doc["path_coefficients"]) == {f"{a} -> {b}" for a, b in PATHS}
    assert set(doc["total_effects"]) >= set(doc["path_coefficients"]) | {"A -> D"}
    assert set(doc["reliability"]["A"]) == {"cronbach_alpha", "composite_reliability", "ave"}
    json.dumps(doc, allow_nan=False)
