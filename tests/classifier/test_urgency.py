"""The urgency lexicon: cues, hints, negation, past escalations, threats, contrasts, and a deployment's file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridvoice.classifier.urgency import UrgencyLexicon
from gridvoice.errors import BadInput

LEXICON = UrgencyLexicon.load()


def reasons(text: str) -> list[tuple[str, bool]]:
    return [(c.reason(), c.decisive) for c in LEXICON.find(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("表箱冒烟了，还有焦味", [("safety:冒烟", True), ("safety:焦味", True)]),
    ("电线不断打火", [("safety:打火", True)]),  # "不断" is no negation
    ("家里老人要用制氧机", [("vulnerable:老人", False), ("vulnerable:制氧机", True)]),
    ("小区约350户停电", [("large_outage:350户", True)]),
    ("成个小区冇电", [("large_outage:成个小区", True)]),
    ("再不解决我就打12398投诉", [("escalation:12398", True)]),
    ("已经找了律师，准备起诉", [("escalation:律师", False), ("escalation:起诉", True)]),
])
def test_cues_and_hints(text: str, expected: list[tuple[str, bool]]) -> None:
    assert reasons(text) == expected


@pytest.mark.parametrize("text", [
    "现场没有冒烟", "未发现漏电情况", "现场未见冒烟和火花", "冇冒烟，净系冇电",  # denied hazards
    "漏电开关跳闸了", "带电作业", "放电影的时候停电",  # phrases that merely contain a cue
    "12345转办：市民反映停电", "请将办理结果反馈12345热线", "之前打过12345也没用",  # no threat
    "成条街都有电，得我屋企冇", "整个小区其他人都有电",  # a lit neighbourhood beside one dark house
])
def test_no_decisive_cue(text: str) -> None:
    assert not [c for c in LEXICON.find(text) if c.decisive], reasons(text)


def test_past_escalation_is_only_a_hint() -> None:
    assert reasons("之前找过媒体") == [("escalation:媒体", False)]
    assert reasons("之前找过媒体，这次再拖就找媒体曝光")[-1] == ("escalation:曝光", True)


def test_combination_with_the_model() -> None:
    cues = LEXICON.find("家里有老人")  # a hint only
    assert not LEXICON.combine(cues, 0.1).urgent
    assert LEXICON.combine(cues, LEXICON.hint_threshold).reasons == ("vulnerable:老人",)
    decided = LEXICON.combine(LEXICON.find("电线冒烟"), 0.0)
    assert decided.urgent and decided.reasons == ("safety:冒烟",)
    alone = LEXICON.combine([], 0.93)
    assert alone.urgent and alone.reasons == ("model:0.93",)
    assert not LEXICON.combine([], 0.49).urgent


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["电线冒烟", "没有冒烟", "家里有老人", "整个小区停电", "交费", "要找媒体曝光", "",
                                 "冇电", "，", "之前打过12345"]), min_size=1, max_size=6))
def test_a_batch_finds_what_each_text_finds(texts: list[str]) -> None:
    assert LEXICON.find_many(texts) == [LEXICON.find(t) for t in texts]


BASE = {
    "version": '"local-1"', "hint_threshold": "0.4", "past_window": "6", "negations": '["没有"]',
    "negation_fillers": '["发现"]', "past_markers": '["之前"]', "future_markers": '["要"]',
    "threat_verbs": '["打"]', "reply_verbs": '["回复"]',
}
CATEGORY = '[[category]]\ncode = "flood"\nname = "水浸"\ncues = ["水浸配电房"]\n'


def _write(path: Path, changes: dict[str, str], category: str = CATEGORY) -> Path:
    top = BASE | changes
    path.write_text("".join(f"{k} = {v}\n" for k, v in top.items()) + category, "utf-8")
    return path


def test_a_deployment_lexicon(tmp_path: Path) -> None:
    local = UrgencyLexicon.load(_write(tmp_path / "lexicon.toml", {}))
    assert local.version == "local-1" and local.hint_threshold == 0.4
    assert [c.reason() for c in local.find("水浸配电房，没有发现水浸配电房")] == ["flood:水浸配电房"]


@pytest.mark.parametrize(("changes", "category", "named"), [
    ({"hint_threshold": "2"}, CATEGORY, "hint_threshold"),
    ({"negations": "[]"}, CATEGORY, "negations"),
    ({"past_window": '"8"'}, CATEGORY, "past_window"),
    ({}, "", "category"),
    ({}, '[[category]]\ncode = "x"\nname = "y"\npatterns = ["("]\n', "patterns"),
    ({}, CATEGORY + CATEGORY, "appears twice"),
])
def test_mistakes_in_a_lexicon_name_the_key(tmp_path: Path, changes: dict[str, str], category: str,
                                            named: str) -> None:
    with pytest.raises(BadInput, match=named):
        UrgencyLexicon.load(_write(tmp_path / "bad.toml", changes, category))


def test_unreadable_lexicon_files(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read"):
        UrgencyLexicon.load(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("version = ", "utf-8")
    with pytest.raises(BadInput, match=r"broken\.toml"):
        UrgencyLexicon.load(broken)
