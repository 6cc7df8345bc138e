"""Character n-gram features computed with numpy over a whole batch (no Python loop per n-gram).

Every text of a batch is laid out in one array of code points; an n-gram is a 64-bit rolling hash of its code
points, found in the vocabulary through an open-addressing hash table. Counts become a CSR matrix weighted like
scikit-learn's `TfidfVectorizer(sublinear_tf=True)` (smooth IDF, L2-normalised rows): the usual TF-IDF features
at several times the speed of a per-text tokenizer. Optional jieba words join the same vocabulary (their
hashes carry another seed), and the channel is one more token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

_PRIME = np.uint64(0x100000001B3)  # FNV-64 prime: spreads code points over the 64 bits
_LENGTH_SEEDS = [np.uint64((0x9E3779B97F4A7C15 * n) % 2**64) for n in range(9)]
_WORD_SEED = np.uint64(0xCBF29CE484222325)
_CHANNEL_SEED = np.uint64(0xD6E8FEB86659FD93)
CHANNEL_PREFIX = "channel="
MAX_N = 8
FIT_CHUNK = 20_000  # texts featurized at a time while fitting
# bump when keys are computed differently: a model's vocabulary is only valid with the keys it was built with
FEATURE_VERSION = 2


def normalised_codes(texts: Sequence[str]) -> np.ndarray:
    """Code points of the texts joined by NUL (and NUL-terminated): full-width ASCII forms and the ideographic
    space folded to ASCII, letters lower-cased, so "ＡＰＰ", "App" and "app" are one feature."""
    joined = "\x00".join(texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
    if np.count_nonzero(codes == 0) != len(texts):  # a text carried its own NUL: it must not split it
        return normalised_codes([t.replace("\x00", " ") for t in texts])
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[wide] -= 0xFEE0
    codes[codes == 0x3000] = 0x20
    upper = (codes >= 0x41) & (codes <= 0x5A)
    codes[upper] += 0x20
    return codes


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(keys: np.ndarray) -> np.ndarray:
    """Fibonacci hashing: one multiplication by an odd 64-bit constant moves every bit of the rolling hash into
    the top bits, which the hash table indexes by (the rolling hash of a short n-gram leaves them constant)."""
    with np.errstate(over="ignore"):
        return keys * _GOLDEN


def codes_text(codes: np.ndarray) -> str:
    return codes.astype(np.uint32).tobytes().decode("utf-32-le")


@dataclass(frozen=True)
class Occurrences:
    """Feature occurrences of a batch: parallel arrays of text index, hashed key and where the words are."""

    docs: np.ndarray
    keys: np.ndarray
    starts: np.ndarray  # character n-grams: offset in the normalised batch; -1 for tokens
    lengths: np.ndarray
    codes: np.ndarray
    tokens: list[str]  # words and channels, in the order of the occurrences with start -1


def _hash_tokens(tokens: Sequence[str], seed: np.uint64) -> np.ndarray:
    """One 64-bit key per token (jieba words, channels): a Python loop, but over few distinct tokens."""
    cache: dict[str, np.uint64] = {}
    out = np.empty(len(tokens), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, token in enumerate(tokens):
            h = cache.get(token)
            if h is None:
                h = seed
                for ch in token:
                    h = (h ^ np.uint64(ord(ch))) * _PRIME
                cache[token] = h
            out[i] = h
    return _mix(out)


def char_ngrams(codes: np.ndarray, n_max: int) -> Occurrences:
    """Every character n-gram of length 1..n_max inside one text of the batch (none spans two texts)."""
    values = codes.astype(np.uint64)
    is_sep = codes == 0
    sep_count = np.cumsum(is_sep)
    doc_of = (sep_count - is_sep).astype(np.int32)  # position -> index of its text
    seps_before = np.concatenate(([0], sep_count))
    size = len(codes)
    docs, keys, starts, lengths = [], [], [], []
    h = np.zeros(size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for n in range(1, n_max + 1):
            span = size - n + 1
            if span <= 0:
                break
            # the hash of the n-gram at i extends the (n-1)-gram's hash at i by the code point at i+n-1
            h = h[:span] * _PRIME + values[n - 1 :]
            valid = np.flatnonzero(seps_before[n : n + span] == seps_before[:span])
            docs.append(doc_of[valid])
            keys.append(h[valid] ^ _LENGTH_SEEDS[n])
            starts.append(valid.astype(np.int32))
            lengths.append(np.full(len(valid), n, dtype=np.int8))
    return Occurrences(np.concatenate(docs), _mix(np.concatenate(keys)), np.concatenate(starts),
                       np.concatenate(lengths), codes, [])


def ngram_keys(codes: np.ndarray, n_max: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text index, key, lies inside one text) of every window of length 1..n_max, for transforming: the
    windows that span two texts are masked rather than filtered out (cheaper than three gathers per length)."""
    values = codes.astype(np.uint64)
    is_sep = codes == 0
    sep_count = np.cumsum(is_sep)
    doc_of = (sep_count - is_sep).astype(np.int64)
    seps_before = np.concatenate(([0], sep_count))
    size = len(codes)
    docs, keys, inside = [], [], []
    h = np.zeros(size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for n in range(1, n_max + 1):
            span = size - n + 1
            if span <= 0:
                break
            h = h[:span] * _PRIME + values[n - 1 :]
            docs.append(doc_of[:span])
            keys.append(h ^ _LENGTH_SEEDS[n])
            inside.append(seps_before[n : n + span] == seps_before[:span])
    return np.concatenate(docs), _mix(np.concatenate(keys)), np.concatenate(inside)


class KeyIndex:
    """Open-addressing hash table (linear probing) from 64-bit keys to vocabulary columns.

    A quarter full at most, so most keys (and most n-grams the vocabulary lacks) are settled at their first
    slot; the table of a 100,000-entry vocabulary takes 6 MB."""

    def __init__(self, keys: np.ndarray) -> None:
        bits = max(8, int(np.ceil(np.log2(max(len(keys), 1) * 4))))
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.slot_key = np.zeros(1 << bits, dtype=np.uint64)
        self.slot_col = np.full(1 << bits, -1, dtype=np.int32)
        slots = (keys >> self.shift).astype(np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            s = slots[pending]
            free = self.slot_col[s] == -1
            taken, first = np.unique(s[free], return_index=True)  # one key per free slot wins it
            winners = pending[free][first]
            self.slot_col[taken] = winners
            self.slot_key[taken] = keys[winners]
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slots[pending] = (slots[pending] + 1) & self.mask

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Column of each key, -1 when it is not in the vocabulary."""
        pos = (keys >> self.shift).astype(np.int64)
        found = self.slot_col[pos]
        hit = self.slot_key[pos] == keys
        cols = np.where(hit, found, -1)
        # the few keys whose first slot holds another key probe on
        todo = np.flatnonzero(~hit & (found >= 0))
        while len(todo):
            pos_t = (pos[todo] + 1) & self.mask
            pos[todo] = pos_t
            found_t = self.slot_col[pos_t]
            hit_t = (found_t >= 0) & (self.slot_key[pos_t] == keys[todo])
            cols[todo[hit_t]] = found_t[hit_t]
            todo = todo[(found_t >= 0) & ~hit_t]
        return cols


def _words(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    import jieba

    jieba.setLogLevel(60)  # its dictionary loads once per process (~1 s); no banner on stderr
    docs: list[int] = []
    words: list[str] = []
    for i, text in enumerate(texts):
        for word in jieba.lcut(text, HMM=False):
            if len(word) >= 2 and not word.isspace():
                docs.append(i)
                words.append(word)
    return np.asarray(docs, dtype=np.int64), words


@dataclass
class Featurizer:
    """Vocabulary and IDF weights of character n-grams, optional jieba words and the channel token."""

    n_max: int = 3
    min_df: int = 2
    max_features: int = 500_000
    words: bool = False
    keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64), repr=False)
    idf: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    names: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object), repr=False)
    version: int = FEATURE_VERSION
    _index: KeyIndex | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not 1 <= self.n_max <= MAX_N:
            raise ValueError(f"n_max: must be from 1 to {MAX_N}")

    @property
    def size(self) -> int:
        return len(self.keys)

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_index"}  # rebuilt on load: it is derived

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._index = None

    def _tokens(self, codes: np.ndarray, channels: Sequence[str] | None) -> tuple[np.ndarray, list[str], int]:
        """Text index of each word and channel token, the tokens, and how many of them are words."""
        extra_docs: list[np.ndarray] = []
        tokens: list[str] = []
        n_words = 0
        if self.words:
            wdocs, words = _words(codes_text(codes).split("\x00")[:-1])
            extra_docs.append(wdocs)
            tokens += words
            n_words = len(words)
        if channels is not None:
            extra_docs.append(np.arange(len(channels), dtype=np.int64))
            tokens += [CHANNEL_PREFIX + c for c in channels]
        docs = np.concatenate(extra_docs) if extra_docs else np.empty(0, dtype=np.int64)
        return docs, tokens, n_words

    def _token_keys(self, tokens: list[str], n_words: int) -> np.ndarray:
        return np.concatenate([_hash_tokens(tokens[:n_words], _WORD_SEED),
                               _hash_tokens(tokens[n_words:], _CHANNEL_SEED)])

    def occurrences(self, texts: Sequence[str], channels: Sequence[str] | None) -> Occurrences:
        occ = char_ngrams(normalised_codes(texts), self.n_max)
        token_docs, tokens, n_words = self._tokens(occ.codes, channels)
        if not tokens:
            return occ
        token_keys = self._token_keys(tokens, n_words)
        minus = np.full(len(tokens), -1, dtype=np.int32)
        return Occurrences(np.concatenate([occ.docs, token_docs.astype(np.int32)]),
                           np.concatenate([occ.keys, token_keys]), np.concatenate([occ.starts, minus]),
                           np.concatenate([occ.lengths, minus.astype(np.int8)]),
                           occ.codes, tokens)

    def fit(self, texts: Sequence[str], channels: Sequence[str] | None = None,
            chunk: int = FIT_CHUNK) -> Featurizer:
        """Vocabulary (keys in at least `min_df` texts, the most frequent `max_features`) and IDF weights.

        The corpus is read in chunks: each contributes its keys' document counts, so memory follows the chunk
        and the vocabulary, not the size of the training history."""
        keys_parts: list[np.ndarray] = []
        count_parts: list[np.ndarray] = []
        for lo in range(0, len(texts), chunk):
            occ = self.occurrences(texts[lo : lo + chunk], channels[lo : lo + chunk] if channels else None)
            keys, counts = _document_counts(occ.keys, occ.docs)
            keys_parts.append(keys)
            count_parts.append(counts)
        uniq, inverse = np.unique(np.concatenate(keys_parts), return_inverse=True)
        df = np.bincount(inverse, weights=np.concatenate(count_parts)).astype(np.int64)
        keep = np.flatnonzero(df >= self.min_df)
        if len(keep) > self.max_features:
            keep = np.sort(keep[np.argsort(-df[keep], kind="stable")[: self.max_features]])
        if not len(keep):
            raise ValueError(f"no feature occurs in {self.min_df} or more texts: too little training text")
        self.keys = uniq[keep]
        self.idf = np.log((1 + len(texts)) / (1 + df[keep])) + 1.0
        self._index = KeyIndex(self.keys)
        self.names = self._names_of_vocabulary(texts, channels, chunk)
        return self

    def _names_of_vocabulary(self, texts: Sequence[str], channels: Sequence[str] | None, chunk: int) -> np.ndarray:
        """Readable text of each vocabulary entry, from its first occurrence in the corpus."""
        assert self._index is not None
        names = np.full(self.size, None, dtype=object)
        missing = self.size
        for lo in range(0, len(texts), chunk):
            occ = self.occurrences(texts[lo : lo + chunk], channels[lo : lo + chunk] if channels else None)
            cols = self._index.lookup(occ.keys)
            found = np.flatnonzero(cols >= 0)
            cols_found, first = np.unique(cols[found], return_index=True)
            fresh = names[cols_found] == None  # noqa: E711 -- elementwise test on an object array
            names[cols_found[fresh]] = _names(occ, found[first[fresh]])
            missing -= int(fresh.sum())
            if not missing:
                break
        return names

    def transform(self, texts: Sequence[str], channels: Sequence[str] | None = None) -> sp.csr_matrix:
        if not self.size:
            raise ValueError("the featurizer is not fitted")
        if self.version != FEATURE_VERSION:
            raise ValueError(f"features of version {self.version}, this software computes version {FEATURE_VERSION}: "
                             "train the model again")
        if self._index is None:
            self._index = KeyIndex(self.keys)
        codes = normalised_codes(texts)
        docs, keys, inside = ngram_keys(codes, self.n_max)
        token_docs, tokens, n_words = self._tokens(codes, channels)
        if tokens:
            docs = np.concatenate([docs, token_docs])
            keys = np.concatenate([keys, self._token_keys(tokens, n_words)])
            inside = np.concatenate([inside, np.ones(len(tokens), dtype=bool)])
        cols = self._index.lookup(keys)
        known = (cols >= 0) & inside
        docs, cols = docs[known], cols[known]
        # occurrences come grouped by n-gram length, each group in text order: a stable sort merges the groups
        order = np.argsort(docs, kind="stable")
        indptr = np.concatenate(([0], np.cumsum(np.bincount(docs, minlength=len(texts)))))
        matrix = sp.csr_matrix((np.ones(len(cols)), cols[order], indptr), shape=(len(texts), self.size))
        matrix.sum_duplicates()
        matrix.data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        lengths = np.diff(matrix.indptr)
        squares = np.zeros(len(texts))
        filled = lengths > 0
        squares[filled] = np.add.reduceat(matrix.data**2, matrix.indptr[:-1][filled])
        norms = np.where(filled, np.sqrt(squares), 1.0)
        matrix.data /= np.repeat(norms, lengths)
        return matrix


def _document_counts(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct key and the number of texts it occurs in (a text counts once)."""
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    first_pair = np.ones(len(keys), dtype=bool)
    first_pair[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    return np.unique(keys[first_pair], return_counts=True)


def _names(occ: Occurrences, source: np.ndarray) -> np.ndarray:
    """Readable text of each kept feature, from one of its occurrences."""
    text = codes_text(occ.codes)
    first_token = len(occ.starts) - len(occ.tokens)
    names = [
        text[int(occ.starts[i]) : int(occ.starts[i]) + int(occ.lengths[i])] if occ.starts[i] >= 0
        else occ.tokens[int(i) - first_token]
        for i in source
    ]
    return np.array(names, dtype=object)
