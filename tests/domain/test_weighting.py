"""Indicator weighting (methods.md §2–§4): every published worked example, and the properties that hold for any
input — AHP (Saaty 2008; Bozóki et al. 2010 via AHPy), entropy weights (Xu 2004; Elsayed et al. 2017;
Zavadskas & Podvezko 2016), fuzzy comprehensive evaluation (the restaurant example)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridvoice.domain.weighting import (
    RANDOM_INDEX,
    WeightingError,
    ahp,
    entropy_weights,
    fuzzy_evaluate,
    fuzzy_multilevel,
    membership_matrix,
)

# ---------------------------------------------------------------------------------------------------- AHP

DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
SAATY_2008 = np.array([
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
])


def test_saaty_2008_drinks() -> None:
    result = ahp(SAATY_2008, DRINKS)
    assert list(np.round(result.weights, 3)) == [.177, .019, .042, .116, .190, .129, .327]  # published
    assert round(result.cr, 3) == 0.022  # published CR
    assert result.lambda_max == pytest.approx(7.1766, abs=1e-4)  # methods.md recomputation
    assert result.ci == pytest.approx(0.0294, abs=1e-4)
    assert result.cr == pytest.approx(0.0223, abs=1e-4) and result.ri == 1.32 and result.consistent
    assert ahp(SAATY_2008, random_index="saaty2005").cr == pytest.approx(0.0218, abs=1e-4)
    assert ahp(SAATY_2008, random_index="donegan_dodd").cr == pytest.approx(0.0235, abs=1e-4)  # AHPy 'dd' test
    doc = result.to_dict()
    assert set(doc) >= {"weights", "lambda_max", "ci", "cr"} and list(doc["weights"]) == DRINKS


def test_saaty_2008_approximate_methods() -> None:
    """methods.md §2.3: geometric mean and column-normalised mean, within 0.003 of the eigenvector."""
    assert list(np.round(ahp(SAATY_2008, method="geometric").weights, 3)) == [.179, .018, .042, .116, .191, .129,
                                                                              .324]
    assert list(np.round(ahp(SAATY_2008, method="arithmetic").weights, 3)) == [.178, .020, .042, .117, .189, .130,
                                                                               .325]


def test_bozoki_example_of_ahpy() -> None:
    """a–b 1, a–c 5, a–d 2, b–c 3, b–d 4, c–d 3/4: b .3917, a .3742, d .1349, c .0991, CR 0.0372 (DD index)."""
    matrix = [[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, 3 / 4], [1 / 2, 1 / 4, 4 / 3, 1]]
    result = ahp(matrix, list("abcd"), random_index="donegan_dodd")
    assert list(np.round(result.weights, 4)) == [0.3742, 0.3917, 0.0991, 0.1349]
    assert round(result.cr, 4) == 0.0372


def test_random_index_tables_as_documented() -> None:
    assert RANDOM_INDEX["saaty"][2:10] == (0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
    assert all(len(t) == 15 for t in RANDOM_INDEX.values())


def test_two_criteria_are_always_consistent() -> None:
    result = ahp([[1, 3], [1 / 3, 1]])
    assert result.cr == 0 and result.weights == pytest.approx([0.75, 0.25])


@st.composite
def priority_vectors(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 12))
    return np.array(draw(st.lists(st.floats(0.05, 20), min_size=n, max_size=n)))


@given(priority_vectors(), st.sampled_from(["eigenvector", "geometric", "arithmetic"]))
@settings(max_examples=80, deadline=None)
def test_consistent_matrices_give_back_their_priorities(w: np.ndarray, method: str) -> None:
    result = ahp(np.outer(w, 1 / w), method=method)  # type: ignore[arg-type]
    assert result.weights == pytest.approx(w / w.sum(), rel=1e-8)
    assert result.lambda_max == pytest.approx(len(w), rel=1e-9)
    assert abs(result.cr) < 1e-8


@given(st.integers(3, 9).flatmap(lambda n: st.lists(st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]),
                                                    min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2)))
@settings(max_examples=80, deadline=None)
def test_any_reciprocal_matrix(upper: list[float]) -> None:
    """Saaty: λmax ≥ n for every positive reciprocal matrix; weights positive, summing to 1."""
    n = int((1 + np.sqrt(1 + 8 * len(upper))) / 2)
    a = np.ones((n, n))
    a[np.triu_indices(n, 1)] = upper
    a[np.tril_indices(n, -1)] = 1 / a.T[np.tril_indices(n, -1)]
    result = ahp(a)
    assert result.lambda_max >= n - 1e-9 and result.cr >= -1e-9
    assert np.all(result.weights > 0) and result.weights.sum() == pytest.approx(1)


@pytest.mark.parametrize(("matrix", "words"), [
    ([[1, 2, 3], [1 / 2, 1, 4]], "square"),
    ([[1, 2], [0.2, 1]], "row '1', column '2'"),
    ([[1, -2], [-0.5, 1]], "not a positive number"),
    ([[2, 2], [0.5, 1]], "diagonal"),
    ([[1, float("nan")], [1, 1]], "not a positive number"),
    (np.ones((16, 16)), "stops at n = 15"),
])
def test_bad_matrices_name_the_cell(matrix: object, words: str) -> None:
    with pytest.raises(WeightingError, match=words):
        ahp(matrix)  # type: ignore[arg-type]


def test_tolerance_accepts_two_decimal_entries_and_labels_name_cells() -> None:
    assert ahp([[1, 3, 0.2], [0.33, 1, 0.14], [5, 7, 1]]).weights.sum() == pytest.approx(1)
    with pytest.raises(WeightingError, match="row 'price', column 'quality'"):
        ahp([[1, 3], [0.5, 1]], ["price", "quality"])
    with pytest.raises(WeightingError, match="unknown random index"):
        ahp([[1, 3], [1 / 3, 1]], random_index="mine")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ entropy

XU_2004 = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
ELSAYED_2017 = [[7, 312, 1891, 6613, 163], [72, 88, 728, 941804, 1078], [10, 252, 2594, 3466, 117471],
                [10, 145, 980, 2371, 86329], [65, 54, 350, 501, 29897], [29, 48, 380, 912, 34051],
                [7, 476, 3300, 78470, 2212], [70, 87, 650, 733, 819000], [4, 86, 591, 3015, 103],
                [12, 79, 579, 3240, 96098], [21, 45, 261, 1253, 453], [1, 72, 530, 4333, 0.104800]]
ZAVADSKAS_2016 = np.array([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]])


def test_xu_2004() -> None:
    assert list(np.round(entropy_weights(XU_2004, normalisation="sum"), 4)) == [0.4630, 0.3992, 0.1378, 0.0000]
    assert list(np.round(entropy_weights(XU_2004), 4)) == [0.4694, 0.2066, 0.1755, 0.1484]  # min–max (methods.md)


def test_elsayed_2017() -> None:
    published = [0.104991, 0.069124, 0.071373, 0.449937, 0.304575]
    assert list(np.round(entropy_weights(ELSAYED_2017, normalisation="sum"), 6)) == published


def test_zavadskas_podvezko_2016() -> None:
    assert list(np.round(entropy_weights(ZAVADSKAS_2016, normalisation="sum"), 4)) == [0.1146, 0.1981, 0.4185,
                                                                                         0.2689]
    inverted = ZAVADSKAS_2016.copy()
    inverted[:, [0, 2]] = 1 / inverted[:, [0, 2]]  # the cost columns, as methods.md §3.2 recomputes
    assert list(np.round(entropy_weights(inverted, normalisation="sum"), 4)) == [0.1277, 0.2174, 0.3599, 0.2950]


tables = arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(1, 6)), elements=st.floats(0.5, 1000))


@given(tables, st.sampled_from(["minmax", "sum"]))
@settings(max_examples=80, deadline=None)
def test_entropy_weights_are_a_distribution_and_unit_free(x: np.ndarray, normalisation: str) -> None:
    # near-constant columns carry ~1e-16 of information, whose ratios are rounding noise
    assume(np.all(np.ptp(x, axis=0) > 0.01 * x.mean(axis=0)))
    w = entropy_weights(x, normalisation=normalisation)  # type: ignore[arg-type]
    assert np.all(w >= 0) and w.sum() == pytest.approx(1)
    scale = np.linspace(0.5, 3, x.shape[1])
    assert entropy_weights(x * scale, normalisation=normalisation) == pytest.approx(w, abs=1e-9)  # type: ignore[arg-type]


@given(tables)
@settings(max_examples=60, deadline=None)
def test_minmax_negative_flag_is_the_reversed_column(x: np.ndarray) -> None:
    assume(np.ptp(x[:, 0]) > 1e-6)
    reversed_first = x.copy()
    reversed_first[:, 0] = x[:, 0].max() + x[:, 0].min() - x[:, 0]
    flags = [True] + [False] * (x.shape[1] - 1)
    assert entropy_weights(x, flags) == pytest.approx(entropy_weights(reversed_first), abs=1e-9)


# ------------------------------------------------------------------------------------------------- fuzzy

A = [0.4, 0.3, 0.2, 0.1]
R = [[0.5, 0.3, 0.2, 0.0], [0.2, 0.4, 0.3, 0.1], [0.1, 0.3, 0.5, 0.1], [0.0, 0.2, 0.4, 0.4]]
GRADES = ["优秀", "良好", "一般", "较差"]


def test_restaurant_example() -> None:
    """methods.md §4.2: M(·,+) gives (0.28, 0.32, 0.31, 0.09), grade 良好; M(∧,∨) and M(·,∨) as recomputed."""
    weighted = fuzzy_evaluate(A, R, grades=GRADES)
    assert list(np.round(weighted.vector, 2)) == [0.28, 0.32, 0.31, 0.09] and weighted.grade == "良好"
    assert list(np.round(fuzzy_evaluate(A, R, "M(∧,∨)").vector, 2)) == [0.4, 0.3, 0.3, 0.1]
    assert list(np.round(fuzzy_evaluate(A, R, "product_max").vector, 2)) == [0.20, 0.12, 0.10, 0.04]
    scored = fuzzy_evaluate(A, R, grade_scores=[95, 85, 75, 65])
    assert scored.score == pytest.approx(float(np.dot([0.28, 0.32, 0.31, 0.09], [95, 85, 75, 65])))
    assert fuzzy_evaluate(A, R, "weighted_average").to_dict()["operator"] == "M(·,+)"


@st.composite
def fce_inputs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n, m = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    a = np.array(draw(st.lists(st.floats(0.01, 1), min_size=n, max_size=n)))
    r = np.array(draw(st.lists(st.lists(st.floats(0.0, 1), min_size=m, max_size=m), min_size=n, max_size=n)))
    assume(np.all(r.sum(axis=1) > 0.01))
    return a / a.sum(), r / r.sum(axis=1, keepdims=True)


@given(fce_inputs())
@settings(max_examples=80, deadline=None)
def test_operators_follow_their_definitions(inputs: tuple[np.ndarray, np.ndarray]) -> None:
    a, r = inputs
    n, m = r.shape
    definitions = {
        "M(·,+)": [sum(a[i] * r[i, j] for i in range(n)) for j in range(m)],
        "M(∧,∨)": [max(min(a[i], r[i, j]) for i in range(n)) for j in range(m)],
        "M(·,∨)": [max(a[i] * r[i, j] for i in range(n)) for j in range(m)],
        "M(∧,⊕)": [min(1.0, sum(min(a[i], r[i, j]) for i in range(n))) for j in range(m)],
    }
    for op, expected in definitions.items():
        assert fuzzy_evaluate(a, r, op).vector == pytest.approx(expected, abs=1e-12)
    assert fuzzy_evaluate(a, r).vector.sum() == pytest.approx(1)  # M(·,+) keeps a distribution


def test_membership_from_counts_and_two_levels() -> None:
    counts = [[50, 30, 20, 0], [20, 40, 30, 10]]
    assert membership_matrix(counts) == pytest.approx(np.array(R[:2]))
    one_group = fuzzy_multilevel([(A, R)], [1.0], grades=GRADES)
    assert one_group.vector == pytest.approx(fuzzy_evaluate(A, R).normalised)
    two = fuzzy_multilevel([(A, R), ([0.5, 0.5], R[2:])], [0.6, 0.4])
    expected = 0.6 * np.array([0.28, 0.32, 0.31, 0.09]) + 0.4 * (np.array(R[2]) + np.array(R[3])) / 2
    assert two.vector == pytest.approx(expected)


@pytest.mark.parametrize(("weights", "membership", "kwargs", "words"), [
    ([0.5, 0.4], R[:2], {}, "sum to 1"),
    (A, R[:3], {}, "4 rows"),
    (A, [*R[:3], [0.5, 0.5, 0.5, 0.0]], {}, "row 4"),
    (A, [*R[:3], [1.5, -0.5, 0.0, 0.0]], {}, "row 4"),
    (A, R, {"operator": "M(+,+)"}, "unknown operator"),
    (A, R, {"grades": ["a", "b"]}, "2 grade names"),
    (A, R, {"grade_scores": [1, 2]}, "2 grade scores"),
])
def test_fuzzy_bad_input(weights: list[float], membership: list[list[float]], kwargs: dict, words: str) -> None:
    with pytest.raises(WeightingError, match=words):
        fuzzy_evaluate(weights, membership, **kwargs)
    with pytest.raises(WeightingError, match="no answers"):
        membership_matrix([[1, 2], [0, 0]])
