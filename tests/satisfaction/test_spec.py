"""The model spec and the data check: every bad spec and bad data set is refused naming what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridvoice.errors import BadInput
from gridvoice.satisfaction.pls import fit
from gridvoice.satisfaction.spec import load_spec, parse_spec, prepare_data


def doc(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "constructs": {"A": {"items": ["a1", "a2"]}, "B": {"items": ["b1", "b2"]}, "C": {"items": ["c1", "c2"]}},
        "paths": [["A", "B"], ["B", "C"], ["A", "C"]],
    }
    base.update(changes)
    return base


def frame(n: int = 60, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.6 * a + rng.normal(size=n) * 0.8
    c = 0.5 * b + 0.3 * a + rng.normal(size=n) * 0.7
    cols = {}
    for name, latent in (("a", a), ("b", b), ("c", c)):
        for i in (1, 2):
            cols[f"{name}{i}"] = np.clip(np.rint(6 + 1.5 * (0.85 * latent + 0.5 * rng.normal(size=n))), 1, 10)
    return pd.DataFrame(cols)


def refused(spec_doc: dict[str, Any], *words: str) -> None:
    with pytest.raises(BadInput) as info:
        parse_spec(spec_doc)
    for word in words:
        assert word in str(info.value), str(info.value)


# ------------------------------------------------------------------------------------------------ the spec


def test_defaults() -> None:
    spec = parse_spec(doc())
    assert (spec.scheme, spec.scaled, spec.missing, spec.target) == ("path", True, "listwise", None)
    assert (spec.scale.min, spec.scale.max) == (1.0, 10.0)
    assert spec.items == ("a1", "a2", "b1", "b2", "c1", "c2")
    assert spec.endogenous == ("B", "C")
    assert spec.predecessors("C") == ("B", "A")


def test_paths_may_be_written_as_arrows() -> None:
    assert parse_spec(doc(paths=["A -> B", "B -> C"])).paths == (("A", "B"), ("B", "C"))


def test_cycle_is_refused_naming_it() -> None:
    refused(doc(paths=[["A", "B"], ["B", "C"], ["C", "A"]]), "cycle", "A -> B -> C -> A")


def test_self_loop_and_duplicate_paths() -> None:
    refused(doc(paths=[["A", "A"], ["A", "B"], ["B", "C"]]), "paths[0]", "itself")
    refused(doc(paths=[["A", "B"], ["A", "B"], ["B", "C"]]), "paths[1]", "twice")


def test_unknown_construct_in_a_path() -> None:
    refused(doc(paths=[["A", "B"], ["B", "D"]]), "paths[1]", "'D'")


def test_construct_without_items() -> None:
    body = doc()
    body["constructs"]["B"] = {"items": []}
    refused(body, "constructs.B.items", "no items")
    body["constructs"]["B"] = {"mode": "A"}
    refused(body, "constructs.B.items", "no items")


def test_item_in_two_constructs_and_duplicates() -> None:
    body = doc()
    body["constructs"]["B"] = {"items": ["b1", "a1"]}
    refused(body, "constructs.B.items", "'a1'", "construct 'A'")
    body["constructs"]["B"] = {"items": ["b1", "b1"]}
    refused(body, "constructs.B.items", "twice")


def test_construct_outside_the_model() -> None:
    body = doc(paths=[["A", "B"]])
    refused(body, "constructs.C", "no path")


@pytest.mark.parametrize(("key", "value", "words"), [
    ("scheme", "pathway", ("scheme", "'pathway'")),
    ("scaled", "yes", ("scaled", "true or false")),
    ("missing", "impute", ("missing", "'impute'")),
    ("scale", {"min": 10, "max": 1}, ("scale", "below max")),
    ("scale", {"min": 1, "top": 10}, ("scale",)),
    ("target", "Z", ("target", "'Z'")),
    ("weights", 1, ("unknown key", "weights")),
    ("constructs", {"A": {"items": ["a1"]}}, ("at least two",)),
    ("paths", [], ("paths",)),
    ("paths", [["A", "B", "C"]], ("paths[0]", "pair")),
])
def test_bad_values(key: str, value: Any, words: tuple[str, ...]) -> None:
    refused(doc(**{key: value}), *words)


def test_unknown_mode() -> None:
    body = doc()
    body["constructs"]["A"]["mode"] = "C"
    refused(body, "constructs.A.mode", "'C'")


def test_load_spec_names_the_file_problem(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read"):
        load_spec(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("constructs: [\n", "utf-8")
    with pytest.raises(BadInput, match="not valid YAML"):
        load_spec(broken)
    good = tmp_path / "good.yaml"
    good.write_text("constructs:\n  A: {items: [a1, a2], mode: b}\n  B: {items: [b1]}\npaths: [[A, B]]\n", "utf-8")
    assert load_spec(good).constructs[0].mode == "B"


@st.composite
def dags(draw: st.DrawFn) -> dict[str, Any]:
    k = draw(st.integers(2, 7))
    names = [f"K{i}" for i in range(k)]
    edges = [[names[i], names[j]] for i in range(k) for j in range(i + 1, k) if draw(st.booleans())]
    for i in range(1, k):  # keep every construct in the model
        if not any(names[i] in e for e in edges):
            edges.append([names[draw(st.integers(0, i - 1))], names[i]])
    if [names[0], names[1]] not in edges:
        edges.append([names[0], names[1]])
    order = draw(st.permutations(names))  # the spec's order need not be causal
    constructs = {n: {"items": [f"{n.lower()}_{j}" for j in range(draw(st.integers(1, 4)))],
                      "mode": draw(st.sampled_from("AB"))} for n in order}
    return {"constructs": constructs, "paths": edges, "scheme": draw(st.sampled_from(["path", "centroid",
                                                                                       "factorial"]))}


@given(dags())
@settings(max_examples=60, deadline=None)
def test_any_dag_parses_and_round_trips(spec_doc: dict[str, Any]) -> None:
    spec = parse_spec(spec_doc)
    assert parse_spec(spec.to_dict()) == spec
    assert set(spec.endogenous) == {b for _, b in spec.paths}


@given(dags(), st.data())
@settings(max_examples=60, deadline=None)
def test_any_back_edge_makes_a_cycle_that_is_named(spec_doc: dict[str, Any], data: st.DataObject) -> None:
    a, b = data.draw(st.sampled_from(spec_doc["paths"]))
    spec_doc["paths"] = [*spec_doc["paths"], [b, a]]
    with pytest.raises(BadInput, match="cycle"):
        parse_spec(spec_doc)


# ------------------------------------------------------------------------------------------------- the data


def test_unknown_items_are_named() -> None:
    with pytest.raises(BadInput) as info:
        prepare_data(parse_spec(doc()), frame().drop(columns=["b2"]))
    assert "constructs.B.items" in str(info.value) and "'b2'" in str(info.value)


def test_non_numeric_cells_name_line_and_column() -> None:
    data = frame().astype(object)
    data.loc[4, "c1"] = "seven"
    with pytest.raises(BadInput) as info:
        prepare_data(parse_spec(doc()), data, lines=list(range(2, len(data) + 2)))
    assert "column c1" in str(info.value) and "line 6" in str(info.value) and "'seven'" in str(info.value)


def test_text_answers_are_read_as_numbers() -> None:
    data = frame().astype(object)
    data.loc[0, "a1"], data.loc[1, "a2"], data.loc[2, "b1"] = " 7 ", "１０", "8.0"
    prepared = prepare_data(parse_spec(doc()), data)
    assert list(prepared.values[:3, :3].diagonal()) == [7.0, 10.0, 8.0]


def test_answers_outside_the_scale() -> None:
    data = frame()
    data.loc[3, "a2"] = 11
    with pytest.raises(BadInput, match=r"row 4 column a2: 11"):
        prepare_data(parse_spec(doc()), data)


def test_constant_item() -> None:
    data = frame()
    data["b1"] = 7
    with pytest.raises(BadInput) as info:
        prepare_data(parse_spec(doc()), data)
    assert "constructs.B.items" in str(info.value) and "'b1' is constant" in str(info.value)


def test_missing_values_listwise_with_a_count() -> None:
    data = frame().astype(object)
    data.loc[[3, 9], "a1"] = ""
    data.loc[9, "c2"] = None
    data.loc[20, "b2"] = "NA"
    prepared = prepare_data(parse_spec(doc()), data)
    assert (prepared.n, prepared.dropped_missing, prepared.rows_read) == (57, 3, 60)
    assert 3 not in prepared.kept and 20 not in prepared.kept
    result = fit(parse_spec(doc()), data)
    assert result.to_dict()["observations"] == {"used": 57, "read": 60, "dropped_missing": 3}
    assert any("3 of 60 rows dropped" in w for w in result.warnings)


def test_missing_values_refused_when_the_spec_says_so() -> None:
    data = frame().astype(object)
    data.loc[3, "a1"] = ""
    with pytest.raises(BadInput, match=r"missing answers: row 4 column a1"):
        prepare_data(parse_spec(doc(missing="error")), data)


def test_too_few_rows() -> None:
    with pytest.raises(BadInput, match="too few rows: 3 complete row"):
        prepare_data(parse_spec(doc()), frame(3))
    data = frame(8).astype(object)
    data.loc[:5, "a1"] = ""
    with pytest.raises(BadInput, match="after dropping 6"):
        prepare_data(parse_spec(doc()), data)


def test_small_but_estimable_sample_warns() -> None:
    result = fit(parse_spec(doc()), frame(12))
    assert any("10-times rule" in w for w in result.warnings)


def test_duplicate_columns() -> None:
    data = pd.concat([frame(), frame()[["a1"]]], axis=1)
    with pytest.raises(BadInput, match="duplicate column"):
        prepare_data(parse_spec(doc()), data)
