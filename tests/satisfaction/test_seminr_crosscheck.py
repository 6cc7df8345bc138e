"""Cross-check against seminr (the Python port of R seminr, which reproduces R) on the ECSI `mobi` data and on
plspm's `satisfaction` data: path weighting, standardised items, every construct mode A.

seminr stops iterating on a different rule (Σ|Δw| < 1e-7, weights standardised each step), so the two agree to
about 1e-7, not to the last digit; 1e-5 is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gridvoice.satisfaction.pls import PlsResult, fit
from gridvoice.satisfaction.spec import parse_spec

from .conftest import PLSPM_PATHS, plspm_spec_doc, read_plspm

seminr = pytest.importorskip("seminr")
from seminr.bootstrap.bootstrap import total_effects as seminr_total_effects  # noqa: E402
from seminr.specify.constructs import composite, constructs  # noqa: E402
from seminr.specify.relationships import paths, relationships  # noqa: E402

TOL = 1e-5
MOBI_BLOCKS = {
    "Image": ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"], "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
    "Quality": [f"PERQ{i}" for i in range(1, 8)], "Value": ["PERV1", "PERV2"],
    "Satisfaction": ["CUSA1", "CUSA2", "CUSA3"], "Complaints": ["CUSCO"], "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
}
MOBI_PATHS = [("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"), ("Expectation", "Quality"),
              ("Expectation", "Value"), ("Expectation", "Satisfaction"), ("Quality", "Value"),
              ("Quality", "Satisfaction"), ("Value", "Satisfaction"), ("Satisfaction", "Complaints"),
              ("Satisfaction", "Loyalty"), ("Complaints", "Loyalty")]


def _seminr(frame: pd.DataFrame, blocks: dict[str, list[str]], pairs: list[tuple[str, str]]) -> object:
    mm = constructs(*[composite(name, items) for name, items in blocks.items()])
    sm = relationships(*[paths(a, b) for a, b in pairs])
    return seminr.estimate_pls(frame, mm, sm)


def _compare(ours: PlsResult, theirs: object, blocks: dict[str, list[str]], pairs: list[tuple[str, str]]) -> None:
    for a, b in pairs:
        assert ours.path_coefficients[f"{a} -> {b}"] == pytest.approx(theirs.path_coef.get(a, b), abs=TOL)
    for name, items in blocks.items():
        for item in items:
            assert ours.outer_weights[item] == pytest.approx(theirs.outer_weights.get(item, name), abs=TOL)
            assert ours.outer_loadings[item] == pytest.approx(theirs.outer_loadings.get(item, name), abs=TOL)
    for name in ours.spec.endogenous:
        assert ours.r_squared[name] == pytest.approx(theirs.r_squared.get("Rsq", name), abs=TOL)
    total = seminr_total_effects(theirs.path_coef)
    for key, value in ours.total_effects.items():
        a, b = key.split(" -> ")
        assert value == pytest.approx(total.get(a, b), abs=TOL), key


def _compare_quality(ours: PlsResult, theirs: object, names: list[str]) -> None:
    table = seminr.reliability_table(theirs)
    for name in names:
        rel = ours.reliability[name]
        assert rel["cronbach_alpha"] == pytest.approx(table.get(name, "alpha"), abs=1e-10)
        assert rel["composite_reliability"] == pytest.approx(table.get(name, "rhoC"), abs=TOL)
        assert rel["ave"] == pytest.approx(table.get(name, "AVE"), abs=TOL)
    htmt = seminr.htmt(theirs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert ours.htmt[a][b] == pytest.approx(htmt.get(a, b), abs=1e-10)
            assert ours.htmt[b][a] == ours.htmt[a][b]


def test_mobi_path_scheme(mobi_csv: Path) -> None:
    frame = pd.read_csv(mobi_csv, index_col=0)
    spec = parse_spec({"constructs": {k: {"items": v} for k, v in MOBI_BLOCKS.items()},
                       "paths": [list(p) for p in MOBI_PATHS]})
    ours = fit(spec, frame)
    theirs = _seminr(frame, MOBI_BLOCKS, MOBI_PATHS)
    _compare(ours, theirs, MOBI_BLOCKS, MOBI_PATHS)
    _compare_quality(ours, theirs, list(MOBI_BLOCKS))
    assert ours.reliability["Complaints"] == {"cronbach_alpha": 1.0, "composite_reliability": 1.0, "ave": 1.0}


def test_plspm_data_path_scheme_standardised(plspm_dir: Path) -> None:
    frame = read_plspm(plspm_dir).drop(columns="gender")
    ours = fit(parse_spec(plspm_spec_doc("path", scaled=True)), frame)
    blocks = {c.name: list(c.items) for c in ours.spec.constructs}
    pairs = [(a, b) for a, b in PLSPM_PATHS]
    theirs = _seminr(frame, blocks, pairs)
    _compare(ours, theirs, blocks, pairs)
    _compare_quality(ours, theirs, list(blocks))
