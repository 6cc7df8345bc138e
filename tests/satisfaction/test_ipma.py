"""IPMA: importance is the unstandardised total effect on the 0–100 scores (checked by regressing the 0–100
scores directly), performance is the index, and the priorities are the important, poorly performing drivers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridvoice.errors import BadInput
from gridvoice.satisfaction.ipma import ipma
from gridvoice.satisfaction.pls import PlsResult, fit, total_effects
from gridvoice.satisfaction.simulate import simulate
from gridvoice.satisfaction.spec import parse_spec, prepare_data

SPEC = parse_spec({
    "constructs": {"IMAG": {"items": ["i1", "i2", "i3"], "label": "企业形象"}, "SUPPLY": {"items": ["s1", "s2", "s3"]},
                   "PROCESS": {"items": ["p1", "p2", "p3"]}, "SAT": {"items": ["t1", "t2", "t3"]},
                   "LOY": {"items": ["l1", "l2"]}},
    "paths": [["IMAG", "SUPPLY"], ["IMAG", "PROCESS"], ["IMAG", "SAT"], ["SUPPLY", "SAT"], ["PROCESS", "SAT"],
              ["SAT", "LOY"]],
    "target": "SAT",
})
# PROCESS matters most for satisfaction and performs worst: the case IPMA exists for
PATHS = {("IMAG", "SUPPLY"): 0.3, ("IMAG", "PROCESS"): 0.3, ("IMAG", "SAT"): 0.1, ("SUPPLY", "SAT"): 0.2,
         ("PROCESS", "SAT"): 0.55, ("SAT", "LOY"): 0.5}
MEANS = {"IMAG": 8.0, "SUPPLY": 8.2, "PROCESS": 5.5, "SAT": 7.0, "LOY": 7.2}


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    return simulate(SPEC, 3000, seed=5, paths=PATHS, means=MEANS, unit_spread=0.0).frame


@pytest.fixture(scope="module")
def result(answers: pd.DataFrame) -> PlsResult:
    return fit(SPEC, answers)


def test_importance_is_the_total_effect_on_the_0_100_scores(result: PlsResult, answers: pd.DataFrame) -> None:
    values = prepare_data(SPEC, answers).values
    scores = result.scores(values)
    assert np.allclose(scores.mean(axis=0), result.index_array)
    names = SPEC.names
    unstandardised = np.zeros((len(names), len(names)))
    for name in SPEC.endogenous:
        pred = [names.index(p) for p in SPEC.predecessors(name)]
        lhs = np.column_stack([np.ones(len(scores)), scores[:, pred]])
        unstandardised[pred, names.index(name)] = np.linalg.lstsq(lhs, scores[:, names.index(name)], rcond=None)[0][1:]
    expected = total_effects(unstandardised)[:, names.index("SAT")]
    got = ipma(result)
    assert {r.name for r in got.constructs} == {"IMAG", "SUPPLY", "PROCESS"}
    for row in got.constructs:
        assert row.importance == pytest.approx(expected[names.index(row.name)], rel=1e-9)
        assert row.performance == pytest.approx(result.index[row.name])
    assert got.target_performance == pytest.approx(result.index["SAT"])


def test_item_importance_splits_the_construct_importance(result: PlsResult) -> None:
    got = ipma(result)
    for row in got.constructs:
        items = [i for i in got.items if i.construct == row.name]
        assert sum(i.importance for i in items) == pytest.approx(row.importance)
        assert all(0 <= i.performance <= 100 for i in items)
    assert got.constructs[0].label == "企业形象"


def test_priorities_name_the_important_poor_performers(result: PlsResult) -> None:
    got = ipma(result)
    process = next(r for r in got.constructs if r.name == "PROCESS")
    assert process.quadrant == "improve"
    assert process.gain == pytest.approx(process.importance * (100 - process.performance))
    assert got.priorities()["constructs"][0] == "PROCESS"
    assert set(got.priorities()["items"]) <= {"p1", "p2", "p3"} and got.priorities()["items"]
    assert got.priorities(top=1)["items"] == got.priorities()["items"][:1]
    supply = next(r for r in got.constructs if r.name == "SUPPLY")
    assert supply.quadrant in ("possible_overkill", "low_priority")


def test_target_by_argument_and_errors(result: PlsResult) -> None:
    loyalty = ipma(result, "LOY")
    assert {r.name for r in loyalty.constructs} == {"IMAG", "SUPPLY", "PROCESS", "SAT"}
    with pytest.raises(BadInput, match="no construct has a path leading to IMAG"):
        ipma(result, "IMAG")
    with pytest.raises(BadInput, match="unknown construct"):
        ipma(result, "NOPE")
    doc = ipma(result).to_dict()
    assert set(doc) == {"target", "target_performance", "constructs", "items", "priorities", "excluded"}
