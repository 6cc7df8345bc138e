"""Urgency and escalation cues (taxonomy.md "urgent"): a configurable lexicon combined with the model.

The lexicon (`defaults/urgency_lexicon.toml`, or a deployment's file of the same shape) lists per category the
cues that make an appeal urgent on their own and the hints that do so only when the model agrees. Negated cues
("没有冒烟") are ignored, and an escalation mentioned as past ("之前打过12345") without a new threat is only a
hint, as the taxonomy's rule says. The cue found is returned as the reason.

A batch is searched as one string (texts joined by NUL), so the regular expressions run once per batch rather
than once per text.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Any

from gridvoice.errors import BadInput

DEFAULT_LEXICON = "urgency_lexicon.toml"
# the model alone calls an appeal urgent from this calibrated probability on
URGENT_THRESHOLD = 0.5
_CLAUSE_CHARS = "，。！？；,.!?; \t\n\x00"
_CLAUSE_END = re.compile(f"[{re.escape(_CLAUSE_CHARS)}]")
_CLAUSE_TAIL = re.compile(f"[^{re.escape(_CLAUSE_CHARS)}]*$")  # the last clause's words so far
_NEGATION_REACH = 16  # characters before a cue searched for a negation (with its fillers)
CUE, HINT, FUTURE, IGNORE = "cue", "hint", "future", "ignore"


@dataclass(frozen=True)
class Cue:
    category: str
    name: str  # the category's Chinese name, for people
    text: str  # the words found
    decisive: bool  # a cue (urgent on its own) rather than a hint

    def reason(self) -> str:
        return f"{self.category}:{self.text}"


@dataclass(frozen=True)
class Decision:
    urgent: bool
    reasons: tuple[str, ...]
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class _Category:
    code: str
    name: str
    past_sensitive: bool
    denied_after: re.Pattern[str] | None  # words right after a cue that take it back


class UrgencyLexicon:
    """Cue finding; build it with `UrgencyLexicon.load` (the shipped file or a deployment's)."""

    def __init__(self, doc: dict[str, Any], origin: str) -> None:
        self.origin = origin
        self.version = _text(doc, "version", origin)
        self.hint_threshold = _probability(doc, "hint_threshold", origin)
        self.past_window = _int(doc, "past_window", origin)
        negations = _words(doc, "negations", origin)
        fillers = _words(doc, "negation_fillers", origin)
        self._past = re.compile(_alternation(_words(doc, "past_markers", origin)))
        self._future = re.compile(_alternation(_words(doc, "future_markers", origin)))
        self._threat = re.compile(_alternation(_words(doc, "threat_verbs", origin)))
        self._reply = re.compile(_alternation(_words(doc, "reply_verbs", origin)))
        self.categories, self._kinds, self._patterns = _parse_categories(doc, origin)
        # a negation reaches over fillers and over other cues joined to this one: "未见冒烟和火花"
        gap = _trie([*fillers, *self._kinds, "和", "与", "及", "或", "、", "也"])
        self._negated = re.compile(f"(?:{_alternation(negations)})(?:{gap}){{0,4}}$")
        self._negation = re.compile(_alternation(negations))  # the quick test before the full one
        # matched like cues, longest first, so "漏电开关" hides the "漏电" inside it
        for phrase in _words(doc, "ignore", origin, required=False):
            self._kinds[phrase] = ("", IGNORE)
        self._literal = re.compile(_trie(list(self._kinds))) if self._kinds else None

    @classmethod
    def load(cls, path: Path | None = None) -> UrgencyLexicon:
        """The lexicon at `path`, else the shipped default; mistakes name the file and the key."""
        if path is None:
            origin = DEFAULT_LEXICON
            text = resources.files("gridvoice.defaults").joinpath(DEFAULT_LEXICON).read_text("utf-8")
        else:
            origin = str(path)
            try:
                text = Path(path).read_text("utf-8")
            except OSError as exc:
                raise BadInput("lexicon", f"{path}: cannot read: {exc.strerror}") from exc
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise BadInput("lexicon", f"{origin}: {exc}") from exc
        return cls(doc, origin)

    def find(self, text: str) -> list[Cue]:
        """Cues and hints in one text, in order of appearance, negated ones left out."""
        return self.find_many([text])[0]

    def find_many(self, texts: Sequence[str]) -> list[list[Cue]]:
        """Cues and hints of each text (texts must not contain NUL, which separates them here)."""
        joined = "\x00".join(texts)
        starts = [0, *accumulate(len(t) + 1 for t in texts)]
        found: list[list[tuple[int, Cue]]] = [[] for _ in texts]
        matches: list[tuple[re.Match[str], str, str]] = []
        if self._literal is not None:
            matches += [(m, *self._kinds[m.group()]) for m in self._literal.finditer(joined)]
        for code, pattern in self._patterns:
            matches += [(m, code, CUE) for m in pattern.finditer(joined)]
        for match, code, kind in matches:
            if kind == IGNORE:
                continue
            cue = self._judge(joined, match.start(), match.end(), match.group(), code, kind)
            if cue is not None:
                found[bisect_right(starts, match.start()) - 1].append((match.start(), cue))
        return [[cue for _, cue in sorted(items, key=lambda item: item[0])] for items in found]

    def _judge(self, text: str, start: int, end: int, words: str, code: str, kind: str) -> Cue | None:
        before = _clause_before(text, start, _NEGATION_REACH)
        if self._negation.search(before) and self._negated.search(before):
            return None
        category = self.categories[code]
        if category.denied_after is not None and category.denied_after.match(_clause_after(text, end, 8)):
            return None
        decisive = kind != HINT
        if kind == FUTURE or (decisive and category.past_sensitive):
            recent = _clause_before(text, start, self.past_window)
            has_future = self._future.search(recent) is not None
            if kind == FUTURE and not (has_future and self._threat.search(recent) and not self._reply.search(recent)):
                return None  # "12345转办", "之前打过12345", "将结果反馈12345": no threat
            decisive = has_future or not self._past.search(recent)
        return Cue(code, category.name, words, decisive)

    def decide(self, text: str, probability: float, threshold: float = URGENT_THRESHOLD) -> Decision:
        return self.combine(self.find(text), probability, threshold)

    def combine(self, cues: Sequence[Cue], probability: float, threshold: float = URGENT_THRESHOLD) -> Decision:
        """Urgent when a cue is found, or a hint while the model's probability reaches the hint threshold, or
        the model alone is sure enough; the reasons name the cues (or the model)."""
        decisive = [c for c in cues if c.decisive]
        chosen = decisive or ([c for c in cues if not c.decisive] if probability >= self.hint_threshold else [])
        if chosen:
            return Decision(True, tuple(dict.fromkeys(c.reason() for c in chosen)), tuple(cues))
        if probability >= threshold:
            return Decision(True, (f"model:{probability:.2f}",), tuple(cues))
        return Decision(False, (), tuple(cues))


def _clause_before(text: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, not reaching back over a clause's end."""
    tail = _CLAUSE_TAIL.search(text, max(0, start - width), start)
    return tail.group() if tail else ""


def _clause_after(text: str, end: int, width: int) -> str:
    """Up to `width` characters after `end`, stopping at a clause's end."""
    window = text[end : end + width]
    stop = _CLAUSE_END.search(window)
    return window[: stop.start()] if stop else window


def _trie(words: list[str]) -> str:
    """One expression for many words, factored by common prefixes ("冒(?:烟|火(?:花)?)"): Python's engine
    then tries one branch per position instead of every word, and still prefers the longest match."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def _alternation(words: list[str]) -> str:
    # longest first, so "冒火花" wins over "冒火" at the same position
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _parse_categories(doc: dict[str, Any], origin: str) -> tuple[
        dict[str, _Category], dict[str, tuple[str, str]], list[tuple[str, re.Pattern[str]]]]:
    raw = doc.get("category")
    if not isinstance(raw, list) or not raw:
        raise BadInput("lexicon", f"{origin}: needs at least one [[category]]")
    categories: dict[str, _Category] = {}
    kinds: dict[str, tuple[str, str]] = {}
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for i, entry in enumerate(raw, start=1):
        where = f"{origin} category {i}"
        if not isinstance(entry, dict):
            raise BadInput("lexicon", f"{where}: must be a table")
        code = _text(entry, "code", where)
        if code in categories:
            raise BadInput("lexicon", f"{where}: code '{code}' appears twice")
        denied = _words(entry, "denied_after", where, required=False)
        # "都有电" takes a cue back, "都没有电" does not
        taken_back = re.compile(f".{{0,4}}?(?<![没冇无未])(?:{_alternation(denied)})") if denied else None
        categories[code] = _Category(code, _text(entry, "name", where), bool(entry.get("past_sensitive", False)),
                                     taken_back)
        # a word listed twice keeps its strongest kind
        for key, kind in (("hints", HINT), ("future_cues", FUTURE), ("cues", CUE)):
            for word in _words(entry, key, where, required=False):
                kinds[word] = (code, kind)
        for source in _words(entry, "patterns", where, required=False):
            try:
                patterns.append((code, re.compile(source)))
            except re.error as exc:
                raise BadInput("lexicon", f"{where}: patterns: {source!r} is not a valid expression: {exc}") from exc
    return categories, kinds, patterns


def _text(doc: dict[str, Any], key: str, where: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadInput("lexicon", f"{where}: '{key}' must be a non-empty string")
    return value


def _int(doc: dict[str, Any], key: str, where: str) -> int:
    value = doc.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise BadInput("lexicon", f"{where}: '{key}' must be a whole number from 0 to 100")
    return value


def _probability(doc: dict[str, Any], key: str, where: str) -> float:
    value = doc.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
        raise BadInput("lexicon", f"{where}: '{key}' must be a number from 0 to 1")
    return float(value)


def _words(doc: dict[str, Any], key: str, where: str, required: bool = True) -> list[str]:
    value = doc.get(key, None if required else [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise BadInput("lexicon", f"{where}: '{key}' must be a list of non-empty strings")
    if required and not value:
        raise BadInput("lexicon", f"{where}: '{key}' must not be empty")
    return value
