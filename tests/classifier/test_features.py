"""The numpy n-gram featurizer: the same TF-IDF as scikit-learn's vectorizer, batch-independent rows, and a
hash table that finds exactly the vocabulary's keys."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from gridvoice.classifier.features import Featurizer, KeyIndex, char_ngrams, normalised_codes

TEXTS = [
    "家里没电了快来修", "客户来电反映其家中停电。邻居家有电", "电费太高了, 是不是抄错了",
    "我要投诉你们的工作人员态度差",
    "屋企冇电。快啲嚟整", "app交费没到账", "电表走得太快了", "家里没电了, 电表也不亮", "停电了什么时候来电",
    "电压太低空调开不了", "交费后还没有复电", "我要投诉。停电没通知",
]
# scikit-learn's analyzer sees the same characters when nothing needs folding (no full-width forms)
SKLEARN = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, lowercase=True)


def _by_name(feat: Featurizer, row: int, matrix: object) -> dict[str, float]:
    r = matrix[row]  # type: ignore[index]
    return {str(feat.names[j]): float(v) for j, v in zip(r.indices, r.data, strict=True)}


def test_same_tfidf_as_scikit_learn() -> None:
    feat = Featurizer(n_max=3, min_df=2).fit(TEXTS)
    ours = feat.transform(TEXTS)
    ref = SKLEARN.fit(TEXTS)
    theirs = ref.transform(TEXTS)
    assert set(map(str, feat.names)) == set(ref.vocabulary_)
    for i in range(len(TEXTS)):
        mine = _by_name(feat, i, ours)
        expected = {name: theirs[i, col] for name, col in ref.vocabulary_.items() if theirs[i, col]}
        assert mine.keys() == expected.keys()
        assert all(abs(mine[k] - expected[k]) < 1e-12 for k in mine)


def test_rows_do_not_depend_on_the_batch_and_ngrams_never_span_texts() -> None:
    feat = Featurizer(n_max=3, min_df=1).fit(TEXTS)
    together = feat.transform(["电费", "太高"])
    alone = feat.transform(["电费"])
    assert (together[0] != alone[0]).nnz == 0
    names = {str(feat.names[j]) for j in together[0].indices}
    assert "费太" not in names  # the last of one text and the first of the next are no bigram


def test_folding_empty_texts_nul_and_channel_tokens() -> None:
    feat = Featurizer(n_max=2, min_df=1).fit(["ＡＰＰ交费", "App交费"], ["APP", "WECHAT"])
    names = set(map(str, feat.names))
    assert "ap" in names and "ＡＰ" not in names and "channel=APP" in names
    x = feat.transform(["", "app\x00交费", "ＡＰＰ"], ["APP", "APP", "SMS"])
    assert x.shape == (3, feat.size)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)  # the empty text still carries its channel
    with pytest.raises(ValueError, match="n_max"):
        Featurizer(n_max=0)
    with pytest.raises(ValueError, match="not fitted"):
        Featurizer().transform(["x"])


def test_normalised_codes_keep_one_separator_per_text() -> None:
    codes = normalised_codes(["a\x00b", "Ｃ"])
    assert np.count_nonzero(codes == 0) == 2
    assert "".join(map(chr, codes[codes != 0])) == "a bc"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="停电费表修冇电啲abc ，。", min_size=0, max_size=12), min_size=1, max_size=8))
def test_every_ngram_lies_inside_its_text(texts: list[str]) -> None:
    occ = char_ngrams(normalised_codes(texts), 3)
    joined = "".join(chr(c) for c in occ.codes)
    for doc, start, length in zip(occ.docs, occ.starts, occ.lengths, strict=True):
        gram = joined[start : start + length]
        assert "\x00" not in gram
        assert joined.split("\x00")[doc].count(gram) >= 1


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=300),
       st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=100))
def test_key_index_finds_exactly_its_keys(keys: set[int], others: list[int]) -> None:
    vocab = np.array(sorted(keys), dtype=np.uint64)
    index = KeyIndex(vocab)
    assert np.array_equal(index.lookup(vocab), np.arange(len(vocab)))
    probe = np.array(others, dtype=np.uint64)
    expected = [int(np.searchsorted(vocab, k)) if k in keys else -1 for k in others]
    assert index.lookup(probe).tolist() == expected
