"""Batch classification of JSON Lines records: what `gridvoice classify` runs (and the benchmark measures)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridvoice.classifier.data import channel_of, read_objects, text_of
from gridvoice.classifier.model import AppealClassifier
from gridvoice.errors import BadInput

BATCH = 20_000
dumps = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class Inputs:
    objects: list[dict[str, Any]]
    texts: list[str]
    channels: list[str]


def read_inputs(path: Path, text_field: str = "text") -> Inputs:
    """Every line of the file, checked before anything is classified: a bad line stops the run with its number."""
    inputs = Inputs([], [], [])
    for line_no, obj in read_objects(path):
        where = f"{path.name} line {line_no}"
        inputs.texts.append(text_of(obj, text_field, where))
        inputs.channels.append(channel_of(obj, where))
        inputs.objects.append(obj)
    if not inputs.objects:
        raise BadInput("input", f"{path.name} holds no lines to classify")
    return inputs


def classified_lines(model: AppealClassifier, inputs: Inputs, explain: bool = False, top: int = 8,
                     batch: int = BATCH) -> Iterator[str]:
    """One JSON line per input, in order: the input object plus `predicted` (and `explanation` if asked)."""
    for start in range(0, len(inputs.texts), batch):
        texts = inputs.texts[start : start + batch]
        channels = inputs.channels[start : start + batch]
        predictions = model.predict(texts, channels)
        for offset, prediction in enumerate(predictions):
            obj = inputs.objects[start + offset]
            if explain or "predicted" in obj or not obj:
                out = {**obj, "predicted": prediction.as_json()}
                if explain:
                    explanation = model.explain(texts[offset], channels[offset], top).as_json()
                    out["explanation"] = {"drivers": explanation["drivers"], "cues": explanation["cues"]}
                yield json.dumps(out, ensure_ascii=False)
            else:
                # the input object as it was encoded, then the prediction: one encoding of each, no merged dict
                yield f"{dumps(obj)[:-1]}, \"predicted\": {dumps(prediction.as_json())}}}"
