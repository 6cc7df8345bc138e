"""The labeller of intake: the installed model when there is one, else the keyword fallback.

Intake calls `label` for every appeal that arrives without labels; the model is loaded on first use (not at
start-up, so commands that never label pay nothing) and reloaded when another model is installed. A model
that cannot be loaded is logged and the keyword fallback answers: intake never blocks on the classifier.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gridvoice.domain.labelling import KeywordLabeller, Labeller, Labels
from gridvoice.domain.taxonomy import BusinessType, Topic

if TYPE_CHECKING:
    from gridvoice.classifier.model import AppealClassifier, Prediction

log = logging.getLogger("gridvoice.classifier")
# a predicted label below this calibrated confidence is marked for an agent's review (the lead wires a setting)
REVIEW_THRESHOLD = 0.6


@dataclass(frozen=True)
class ModelLabels(Labels):
    """Labels with the model's urgency probability and the reasons for urgency (cues or the model)."""

    urgent_probability: float = 0.0
    reasons: tuple[str, ...] = ()
    model_version: str = ""


class ModelLabeller:
    def __init__(self, home: Path, fallback: Labeller | None = None, lexicon_path: Path | None = None) -> None:
        self.home = Path(home)
        self.fallback = fallback or KeywordLabeller()
        self.lexicon_path = lexicon_path
        self._lock = threading.Lock()
        self._loaded: tuple[str, AppealClassifier, str] | None = None  # (state, model, version)
        self._failed: str | None = None

    def _pointer(self) -> str | None:
        """What is installed, as the pointer's text and the model file's modification time."""
        models = self.home / "models"
        try:
            name = (models / "CURRENT").read_text("utf-8").strip()
            return f"{name}@{(models / name / 'model.joblib').stat().st_mtime_ns}" if name else None
        except OSError:
            return None

    def model(self) -> tuple[AppealClassifier, str] | None:
        """The installed model and its version, or None (then the fallback labels)."""
        pointer = self._pointer()
        if pointer is None:
            return None
        loaded = self._loaded
        if loaded is not None and loaded[0] == pointer:
            return loaded[1], loaded[2]
        if pointer == self._failed:
            return None
        with self._lock:
            if self._loaded is None or self._loaded[0] != pointer:
                self._load(pointer)
            return (self._loaded[1], self._loaded[2]) if self._loaded else None

    def _load(self, pointer: str) -> None:
        from gridvoice.classifier import registry
        from gridvoice.classifier.urgency import UrgencyLexicon
        from gridvoice.errors import BadInput

        directory = registry.current(self.home)
        try:
            if directory is None:
                raise BadInput("model", f"the installed model '{pointer}' is missing")
            model = registry.load(directory)
            if self.lexicon_path is not None:
                model.lexicon = UrgencyLexicon.load(self.lexicon_path)
        except BadInput as exc:
            log.warning("classifier model not usable, keyword labels instead", extra={"reason": str(exc)})
            self._failed, self._loaded = pointer, None
            return
        version = str(registry.metadata(directory).get("version", directory.name))
        self._failed, self._loaded = None, (pointer, model, version)

    def label(self, text: str, channel: str) -> Labels:
        return self.label_many([text], [channel])[0]

    def label_many(self, texts: Sequence[str], channels: Sequence[str]) -> list[Labels]:
        """Labels of a batch (an import labels thousands of rows in one model call)."""
        loaded = self.model()
        if loaded is None:
            return [self.fallback.label(t, c) for t, c in zip(texts, channels, strict=True)]
        model, version = loaded
        return [_labels(p, version) for p in model.predict(list(texts), list(channels))]


def _labels(p: Prediction, version: str) -> ModelLabels:
    return ModelLabels(
        business_type=BusinessType(p.business_type), topic=Topic(p.topic), urgent=p.urgent,
        confidence_business_type=p.confidence_business_type, confidence_topic=p.confidence_topic,
        source="model", urgent_probability=p.urgent_probability, reasons=p.reasons, model_version=version)


def needs_review(labels: Labels, threshold: float = REVIEW_THRESHOLD) -> bool:
    return min(labels.confidence_business_type, labels.confidence_topic) < threshold
