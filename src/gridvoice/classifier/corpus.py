"""The synthetic training corpus of the default model (seeded: the same seed gives the same corpus).

Label pairs are drawn from the generator's city-bureau mix flattened by a square root, so rare business types
(praise, reports) and topics get enough examples for a model judged by macro-F1, while the common ones stay
common. Channels follow each business type's usual mix, with a share spread over every channel so that no
register is tied to one label. About one appeal in ten carries an urgency cue, near a city's real share.
"""

from __future__ import annotations

import random

from gridvoice.classifier.model import LabelledTexts
from gridvoice.synth.texts import CHANNELS, LABEL_MIX, generate_appeal_text, random_context

DEFAULT_SIZE = 50_000
DEFAULT_SEED = 20_240_601
URGENT_SHARE = 0.1
ANY_CHANNEL_SHARE = 0.25
# where each business type usually arrives (95598 dominates; applications come through the counter and apps)
CHANNEL_MIX: dict[str, dict[str, float]] = {
    "REPAIR": {"HOTLINE_95598": 50, "APP": 15, "WECHAT": 13, "SMS": 5, "FIELD": 8, "GOV_12345": 4, "PROACTIVE": 5},
    "COMPLAINT": {"HOTLINE_95598": 45, "GOV_12345": 20, "REGULATOR_12398": 6, "APP": 10, "WECHAT": 10,
                  "COUNTER": 5, "SMS": 4},
    "REPORT": {"HOTLINE_95598": 45, "GOV_12345": 15, "APP": 12, "WECHAT": 13, "FIELD": 15},
    "OPINION": {"HOTLINE_95598": 30, "APP": 22, "WECHAT": 22, "GOV_12345": 12, "COUNTER": 10, "SMS": 4},
    "INQUIRY": {"HOTLINE_95598": 40, "APP": 18, "WECHAT": 22, "COUNTER": 10, "SMS": 6, "GOV_12345": 4},
    "PRAISE": {"HOTLINE_95598": 40, "WECHAT": 22, "APP": 15, "COUNTER": 13, "GOV_12345": 6, "SMS": 4},
    "SERVICE_REQUEST": {"COUNTER": 35, "APP": 28, "WECHAT": 20, "HOTLINE_95598": 15, "FIELD": 2},
    "URGE": {"HOTLINE_95598": 55, "APP": 13, "WECHAT": 14, "GOV_12345": 12, "SMS": 6},
}


def synthetic_corpus(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED) -> LabelledTexts:
    if size < 1:
        raise ValueError("size: must be positive")
    rng = random.Random(seed)
    pairs = list(LABEL_MIX)
    weights = [LABEL_MIX[p] ** 0.5 for p in pairs]
    texts, channels, types, topics, urgent = [], [], [], [], []
    for _ in range(size):
        bt, topic = rng.choices(pairs, weights)[0]
        if rng.random() < ANY_CHANNEL_SHARE:
            channel = CHANNELS[int(rng.random() * len(CHANNELS))]
        else:
            mix = CHANNEL_MIX[bt]
            channel = rng.choices(list(mix), list(mix.values()))[0]
        is_urgent = rng.random() < URGENT_SHARE
        texts.append(generate_appeal_text(rng, bt, topic, channel, is_urgent, random_context(rng)))
        channels.append(channel)
        types.append(bt)
        topics.append(topic)
        urgent.append(is_urgent)
    return LabelledTexts(texts, channels, types, topics, urgent)
