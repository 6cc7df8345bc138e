"""The shipped questionnaire for power customers and the synthetic respondents drawn from its model."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from gridvoice.errors import BadInput
from gridvoice.satisfaction.instrument import load_instrument, parse_instrument
from gridvoice.satisfaction.pls import fit
from gridvoice.satisfaction.simulate import DEFAULT_PATHS, simulate, simulate_default

CHINESE = re.compile(r"[\u4e00-\u9fff]")
EXPECTED = {"IMAG": "企业形象", "EXPE": "客户期望", "SUPPLY": "供电质量", "SERVICE": "服务质量",
            "PROCESS": "承诺与办事程序", "VAL": "感知价值", "SAT": "满意度", "COMP": "抱怨", "LOY": "忠诚"}


def test_default_instrument() -> None:
    instrument = load_instrument()
    assert {c.code: c.label for c in instrument.constructs} == EXPECTED
    assert (instrument.scale.min, instrument.scale.max) == (1, 10)
    assert all(CHINESE.search(i.text) for i in instrument.items)
    assert all(len(c.items) >= 2 for c in instrument.constructs)
    spec = instrument.spec()
    assert spec.target == "SAT" and spec.scheme == "path" and spec.scaled
    assert {p for p in spec.paths} == set(DEFAULT_PATHS)
    assert instrument.item_text("supply3").startswith("电压稳定")
    assert instrument.construct_label("PROCESS") == "承诺与办事程序"
    assert instrument.to_dict()["constructs"]["SAT"]["items"][0]["code"] == "sat1"


def _raw() -> dict:
    path = Path(__file__).resolve().parents[2] / "src/gridvoice/defaults/satisfaction_instrument.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["constructs"]["SAT"].pop("label"), "instrument.constructs.SAT.label"),
    (lambda d: d["constructs"]["VAL"]["items"][1].pop("text"), "'val2' has no wording"),
    (lambda d: d["constructs"]["VAL"].update(items=[]), "construct 'VAL' has no items"),
    (lambda d: d["paths"].append(["LOY", "IMAG"]), "cycle"),
    (lambda d: d["paths"].append(["SAT", "PRICE"]), "'PRICE'"),
    (lambda d: d.update(scale={"min": 10, "max": 1}), "scale"),
])
def test_bad_instruments_are_refused(change: object, words: str) -> None:
    doc = _raw()
    change(doc)  # type: ignore[operator]
    with pytest.raises(BadInput, match=re.escape(words)):
        parse_instrument(doc)


def test_instrument_file_errors(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read"):
        load_instrument(tmp_path / "none.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("constructs: {", "utf-8")
    with pytest.raises(BadInput, match="not valid YAML"):
        load_instrument(broken)


def test_simulation_is_seeded_synthetic_and_on_the_scale() -> None:
    one, two, other = simulate_default(500, 3), simulate_default(500, 3), simulate_default(500, 4)
    assert one.frame.equals(two.frame) and not one.frame.equals(other.frame)
    items = one.frame[list(one.spec.items)]
    assert items.to_numpy().min() >= 1 and items.to_numpy().max() <= 10
    assert all(str(t).startswith("int") for t in items.dtypes)
    assert one.frame["synthetic"].all()
    assert {"respondent", "unit", "segment", "channel", "period"} <= set(one.frame.columns)
    assert one.true_paths["SUPPLY -> SAT"] == DEFAULT_PATHS[("SUPPLY", "SAT")]


def test_the_model_recovers_the_population() -> None:
    """Clean measurement (λ = 0.95, no unit shifts): paths within 0.06 of the truth, indexes within 2 points of
    the population's mean answers (rounding and clipping to 1–10 explain the rest)."""
    spec = load_instrument().spec()
    means = {c: 3.0 + 0.5 * i for i, c in enumerate(spec.names)}
    survey = simulate(spec, 6000, 12, paths=DEFAULT_PATHS, means=means, loading=0.95, unit_spread=0.0)
    result = fit(spec, survey.frame)
    for key, truth in survey.true_paths.items():
        assert result.path_coefficients[key] == pytest.approx(truth, abs=0.06), key
    for name, mean in means.items():
        assert result.index[name] == pytest.approx((mean - 1) / 9 * 100, abs=2.0), name


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"n": 0}, "n: must be at least 1"), ({"loading": 1.2}, "loading"),
    ({"paths": {("SAT", "IMAG"): 0.3}}, "not in the spec"),
    ({"paths": {("IMAG", "SAT"): 0.9, ("SUPPLY", "SAT"): 0.9}}, "explain"),
])
def test_bad_simulation_arguments(kwargs: dict, words: str) -> None:
    spec = load_instrument().spec()
    args = {"n": 50, **kwargs}
    with pytest.raises(BadInput, match=re.escape(words)):
        simulate(spec, args.pop("n"), 1, **args)


def test_unit_shifts_make_units_differ() -> None:
    survey = simulate_default(6000, 21)
    means = survey.frame.groupby("unit")[["sat1", "sat2", "sat3"]].mean().mean(axis=1)
    assert np.ptp(means.to_numpy()) > 0.2
