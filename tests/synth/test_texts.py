"""Tests for the synthetic appeal-text generator (gridvoice.synth.texts).

The cue and marker lists below are written independently of the generator's phrase
data on purpose: they encode what a reader would call urgent or Cantonese, so the tests
fail when the generator drifts from the taxonomy rather than merely agreeing with itself.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter, defaultdict

import pytest

from gridvoice.synth.texts import (
    BUSINESS_TYPES,
    CHANNELS,
    LABEL_MIX,
    TOPICS,
    TextContext,
    generate_appeal_text,
    random_context,
)

# What the taxonomy calls urgent: live/sparking/smoking/exploding, health depending on
# power, a large area out, an explicit threat to go to media / regulator / 信访 / court.
URGENT_WORDS: tuple[str, ...] = (
    # live, sparking, smoking, exploding
    "火花", "打火", "冒火", "着火", "起火", "燃烧", "冒烟", "浓烟", "焦味", "燶", "爆", "炸",
    "带电", "触电", "被电到", "漏电", "麻手", "手发麻", "噼啪", "火光", "短路", "火星",
    # a wire down or a pole fallen: possibly live
    "断线", "线断", "断落", "线拖地", "拖在地上", "掉在地上", "掉到地上", "倒杆", "撞倒",
    # health depends on power
    "制氧", "吸氧", "呼吸机", "透析", "洗肾", "保温箱", "病人", "卧床", "心脏", "胰岛素",
    "困在电梯", "电梯困人", "困喺电梯",
    # large area
    "整个小区", "成个小区", "全小区", "整条村", "成条村", "全村", "整村", "几百户", "上百户",
    "整条街", "成条街", "整片", "一大片",
    # threats of escalation
    "媒体", "传媒", "曝光", "记者", "电视台", "报社", "抖音", "起诉", "法院", "法庭", "律师",
    "上访", "信访", "法律途径",
)  # fmt: skip
URGENT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![\d尾号])(\d{3,}|[百千][多来余]?)户"),  # "约350户", "两百多户"
    re.compile(r"(要|会|将|就|去)[^，。！？]{0,4}(12398|12345)"),  # "要打12398", "将投诉到12398"
)

# Written-Cantonese markers (characters and words Mandarin does not use this way).
CANTONESE_MARKERS: tuple[str, ...] = (
    "冇", "咗", "嘅", "唔", "咁", "啲", "佢", "乜嘢", "而家", "琴日", "琴晚", "今朝", "点样",
    "搞掂", "呢度", "呢边", "睇", "畀", "俾", "係", "喺", "嚟", "哋", "嘢", "咩", "边度", "揾",
    "攞", "屋企", "嗰", "喇", "咋", "㗎", "喎", "噉", "仲", "既", "左电", "边个", "几耐",
)  # fmt: skip

# Words showing the customer is coming back to an earlier, unresolved appeal.
REPEAT_MARKERS: tuple[str, ...] = (
    "已经报", "报过", "报咗", "第二次", "第三次", "第四次", "第五次", "第2次", "第3次", "第4次",
    "再次", "催", "还没", "仍未", "至今", "此前", "之前", "上次", "前天", "前日", "早上就",
    "今朝已经", "多次", "已于", "原工单", "前期", "又是我", "又系我", "还是那个事", "都系嗰件事",
    "上周", "上个礼拜", "没动静", "冇消息", "仲未", "未有人", "已反映", "已登记", "原诉求", "报了",
    "报左", "打过电话", "以经",
)  # fmt: skip

# A plausible intake mix for sampling channels in corpus-level tests.
CHANNEL_MIX: dict[str, float] = {
    "HOTLINE_95598": 0.36,
    "APP": 0.15,
    "WECHAT": 0.14,
    "COUNTER": 0.06,
    "GOV_12345": 0.1,
    "REGULATOR_12398": 0.02,
    "SMS": 0.07,
    "FIELD": 0.05,
    "PROACTIVE": 0.05,
}
CUSTOMER_CHANNELS = ("APP", "WECHAT", "SMS")


# "现场未见冒烟和火花", "冇冒烟": a hazard denied is no cue (agents write such notes on ordinary repairs); nor
# is a whole street that has power beside the caller's dark house
NOT_URGENT = re.compile(r"(没有|没|无|未见|未发现|冇|并无)(发现|见到|看到|明显)?"
                        r"(?:(冒烟|火花|打火|漏电|焦味|带电)[和、及与]?)+"
                        r"|(整个小区|成个小区|整条街|成条街|全村)(其他人|其他住户)?都有电")


def has_urgent_cue(text: str) -> bool:
    text = NOT_URGENT.sub("", text)
    return any(w in text for w in URGENT_WORDS) or any(p.search(text) for p in URGENT_PATTERNS)


def has_cantonese(text: str) -> bool:
    return any(m in text for m in CANTONESE_MARKERS)


def sample(
    n: int,
    seed: int,
    *,
    pairs: list[tuple[str, str]] | None = None,
    channels: tuple[str, ...] | None = None,
    urgent_rate: float = 0.12,
) -> list[tuple[str, str, str, bool, str]]:
    """(business_type, topic, channel, urgent, text) drawn from LABEL_MIX and CHANNEL_MIX."""
    rng = random.Random(seed)
    label_pairs = pairs or list(LABEL_MIX)
    label_weights = [LABEL_MIX[p] for p in label_pairs]
    chan = channels or tuple(CHANNEL_MIX)
    chan_weights = [CHANNEL_MIX[c] for c in chan]
    out = []
    for _ in range(n):
        bt, topic = rng.choices(label_pairs, label_weights)[0]
        channel = rng.choices(chan, chan_weights)[0]
        urgent = rng.random() < urgent_rate
        ctx = random_context(rng)
        out.append((bt, topic, channel, urgent, generate_appeal_text(rng, bt, topic, channel, urgent, ctx)))
    return out


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str, str, bool, str]]:
    return sample(20_000, seed=20240601)


# --- label mix --------------------------------------------------------------------------------
def test_label_mix_covers_every_business_type_and_topic() -> None:
    assert {bt for bt, _ in LABEL_MIX} == set(BUSINESS_TYPES)
    assert {topic for _, topic in LABEL_MIX} == set(TOPICS)
    assert len(BUSINESS_TYPES) == 8 and len(TOPICS) == 13
    assert all(w > 0 for w in LABEL_MIX.values())


def test_label_mix_has_the_sensible_combinations() -> None:
    assert all(("COMPLAINT", t) in LABEL_MIX for t in TOPICS)
    for topic in ("NEW_CONNECTION", "METERING", "PAYMENT_TARIFF", "REMOTE_CONTROL", "DIGITAL_CHANNEL"):
        assert ("SERVICE_REQUEST", topic) in LABEL_MIX
    for topic in ("OTHER", "STAFF_CONDUCT", "FACILITY_SAFETY"):
        assert ("REPORT", topic) in LABEL_MIX
    assert sum(1 for bt, _ in LABEL_MIX if bt == "INQUIRY") >= 10
    assert ("PRAISE", "STAFF_CONDUCT") in LABEL_MIX and ("PRAISE", "OUTAGE") in LABEL_MIX


def test_label_mix_looks_like_a_city_bureau() -> None:
    total = sum(LABEL_MIX.values())
    share: Counter[str] = Counter()
    for (bt, _), w in LABEL_MIX.items():
        share[bt] += w / total
    assert share["REPAIR"] + share["INQUIRY"] > 0.5
    assert share["REPORT"] < 0.03 and share["PRAISE"] < 0.06
    assert max(LABEL_MIX, key=LABEL_MIX.__getitem__) == ("REPAIR", "OUTAGE")


# --- every combination works ------------------------------------------------------------------
@pytest.mark.parametrize("pair", sorted(LABEL_MIX))
def test_every_pair_channel_and_urgency_gives_text(pair: tuple[str, str]) -> None:
    bt, topic = pair
    rng = random.Random(sum(map(ord, bt + topic)))
    for channel in CHANNELS:
        for urgent in (True, False):
            for _ in range(4):
                text = generate_appeal_text(rng, bt, topic, channel, urgent, random_context(rng))
                assert isinstance(text, str) and text.strip(), (pair, channel, urgent)
                assert "{" not in text and "}" not in text, text
                assert len(text) <= 260, text
                assert has_urgent_cue(text) == urgent, (pair, channel, urgent, text)


def test_unsupported_input_is_rejected_with_the_field_named() -> None:
    rng = random.Random(1)
    ctx = random_context(rng)
    with pytest.raises(ValueError, match="channel"):
        generate_appeal_text(rng, "REPAIR", "OUTAGE", "FAX", False, ctx)
    with pytest.raises(ValueError, match="business_type, topic"):
        generate_appeal_text(rng, "PRAISE", "REMOTE_CONTROL", "APP", False, ctx)
    with pytest.raises(ValueError, match="business_type, topic"):
        generate_appeal_text(rng, "REPAIR", "NOPE", "APP", False, ctx)


# --- determinism and variety -------------------------------------------------------------------
def test_same_seed_same_texts_and_different_seed_different_texts() -> None:
    a = sample(300, seed=7)
    b = sample(300, seed=7)
    c = sample(300, seed=8)
    assert a == b
    assert [t for *_, t in a] != [t for *_, t in c]


def test_random_context_is_fictional_plausible_and_deterministic() -> None:
    rng = random.Random(3)
    ctxs = [random_context(rng) for _ in range(500)]
    assert ctxs[:10] == [random_context(r) for r in [random.Random(3)] for _ in range(10)]
    for ctx in ctxs:
        assert isinstance(ctx, TextContext)
        assert 3 <= len(ctx.place) <= 14
        assert ctx.station_name.endswith("供电所") and len(ctx.station_name) == 5
        assert 1 <= len(ctx.person_surname) <= 2 and 1 <= len(ctx.staff_surname) <= 2
        assert re.fullmatch(r"\d{4}", ctx.phone_tail)
        assert 10 <= ctx.amount_yuan <= 5000 and 30 <= ctx.kwh <= 2000 and 1 <= ctx.days <= 30
    assert len({c.place for c in ctxs}) > 450  # compositional, not a short list


def test_uniqueness_at_least_95_percent(corpus: list[tuple[str, str, str, bool, str]]) -> None:
    texts = [t for *_, t in corpus]
    assert len(set(texts)) / len(texts) >= 0.95


def test_no_four_character_phrase_dominates_a_label() -> None:
    # Crude anti-template check: a phrase in most texts of a label is a giveaway.
    rng_seed = 99
    per_pair = 300
    by_label: dict[str, list[str]] = defaultdict(list)
    for i, pair in enumerate(sorted(LABEL_MIX)):
        for bt, topic, _, _, text in sample(per_pair, seed=rng_seed + i, pairs=[pair]):
            by_label[f"{bt}/{topic}"].append(text)
            by_label[bt].append(text)
            by_label[topic].append(text)
    worst: list[tuple[float, str, str]] = []
    for label, texts in by_label.items():
        df: Counter[str] = Counter()
        for text in texts:
            df.update({text[i : i + 4] for i in range(len(text) - 3)})
        gram, count = df.most_common(1)[0]
        worst.append((count / len(texts), label, gram))
    worst.sort(reverse=True)
    assert worst[0][0] <= 0.6, worst[:5]


# --- registers ---------------------------------------------------------------------------------
def test_cantonese_share_in_customer_channels(corpus: list[tuple[str, str, str, bool, str]]) -> None:
    own_words = [t for _, _, ch, _, t in corpus if ch in CUSTOMER_CHANNELS]
    share = sum(has_cantonese(t) for t in own_words) / len(own_words)
    assert 0.35 <= share <= 0.7, share
    # Agents write Mandarin; they quote Cantonese only now and then.
    hotline = [t for _, _, ch, _, t in corpus if ch == "HOTLINE_95598"]
    assert 0.0 < sum(has_cantonese(t) for t in hotline) / len(hotline) < 0.2


def test_channel_registers(corpus: list[tuple[str, str, str, bool, str]]) -> None:
    def share(channel: str, pattern: str) -> float:
        texts = [t for _, _, ch, _, t in corpus if ch == channel]
        return sum(bool(re.search(pattern, t)) for t in texts) / len(texts)

    assert share("HOTLINE_95598", r"^(客户|来电客户|来电人|.{1,2}(先生|女士))") > 0.95
    assert share("GOV_12345", r"市民|来电人|诉求人|群众") > 0.9
    assert share("GOV_12345", r"(答复|回复|核实|办结|反馈|处理|解释)[^，。]*。$") > 0.85
    assert share("REGULATOR_12398", r"12398|能源监管") > 0.9
    assert share("FIELD", r"台区经理|网格员|巡线|现场") > 0.9
    assert share("PROACTIVE", r"主动|系统|监测|回访|回复|预警|采集") > 0.9
    # Customers write in the first person and rarely call themselves "客户".
    assert share("APP", r"^客户") < 0.02


def test_length_distribution_per_channel(corpus: list[tuple[str, str, str, bool, str]]) -> None:
    lengths: dict[str, list[int]] = defaultdict(list)
    for _, _, ch, _, t in corpus:
        lengths[ch].append(len(t))
    med = {ch: statistics.median(v) for ch, v in lengths.items()}
    assert min(lengths["SMS"]) <= 6 and med["SMS"] < 25
    assert 15 <= med["APP"] <= 70 and 15 <= med["WECHAT"] <= 80
    assert 40 <= med["HOTLINE_95598"] <= 120
    assert med["GOV_12345"] > med["HOTLINE_95598"] > med["APP"] > med["SMS"]
    assert max(max(v) for v in lengths.values()) <= 260
    assert max(lengths["GOV_12345"]) >= 150  # long transferred orders exist


# --- labelling rules ---------------------------------------------------------------------------
def test_urgency_cues_follow_the_flag() -> None:
    for bt, topic, channel, urgent, text in sample(12_000, seed=5, urgent_rate=0.5):
        assert has_urgent_cue(text) == urgent, (bt, topic, channel, urgent, text)


def test_non_urgent_texts_include_look_alikes(corpus: list[tuple[str, str, str, bool, str]]) -> None:
    calm = [t for _, _, _, urgent, t in corpus if not urgent]
    assert sum("老人" in t for t in calm) > 50  # elderly mentioned without health dependence
    assert sum(bool(re.search(r"12345|12398", t)) for t in calm) > 50  # channel or past escalation
    assert sum("损失" in t or "坏了" in t or "坏晒" in t for t in calm) > 50  # money, not danger


def test_urge_texts_refer_to_the_earlier_appeal() -> None:
    urge_pairs = [p for p in LABEL_MIX if p[0] == "URGE"]
    for bt, topic, channel, _, text in sample(3_000, seed=11, pairs=urge_pairs):
        assert any(m in text for m in REPEAT_MARKERS), (bt, topic, channel, text)


def test_paid_but_not_credited_follows_the_channel_rule() -> None:
    online = re.compile(r"APP|公众号|小程序|网上国网|南网在线|支付宝|微信")
    offline = re.compile(r"银行柜台|代收点|邮政网点|邮局|信用社|农商行|士多|小卖部")
    for bt, topic, channel, _, text in sample(4_000, seed=13, pairs=[p for p in LABEL_MIX if p[1] == "PAYMENT_TARIFF"]):
        assert not online.search(text), (bt, topic, channel, text)
    for bt, topic, channel, _, text in sample(
        4_000, seed=17, pairs=[p for p in LABEL_MIX if p[1] == "DIGITAL_CHANNEL"]
    ):
        assert not offline.search(text), (bt, topic, channel, text)

