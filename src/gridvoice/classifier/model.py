"""The appeal classifier: business type, topic (and so factor) and urgency from the text and the channel.

One featurizer (character n-grams, optional jieba words, the channel) feeds three linear heads, each a
scikit-learn `LinearSVC` wrapped in `CalibratedClassifierCV(method="temperature", ensemble=False)`: the SVM
fitted on all the data decides, and one temperature fitted on cross-validated decision values turns its
scores into probabilities. Prediction reads the fitted coefficients and temperature directly (a sparse matrix
product and a softmax for the whole batch), which is what scikit-learn's `predict_proba` computes, without its
per-call overhead; the urgency head is combined with the cue lexicon (`urgency.py`). A linear model also
explains itself: the features with the largest positive contributions to the chosen label.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from gridvoice.classifier.features import FIT_CHUNK, Featurizer
from gridvoice.classifier.urgency import URGENT_THRESHOLD, Cue, UrgencyLexicon
from gridvoice.domain.taxonomy import factor_of
from gridvoice.errors import BadInput


@dataclass(frozen=True)
class TrainConfig:
    n_max: int = 3
    min_df: int = 2
    words: bool = False  # jieba words beside the n-grams (see ADR 0012: slower, no better here)
    c: float = 0.5  # LinearSVC regularisation
    cv: int = 2  # folds of the calibration's cross-validation (each fold costs one more fit)
    seed: int = 0
    n_jobs: int = 1

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class LabelledTexts:
    """Training or evaluation data; `urgent` may be None where a record does not say."""

    texts: list[str]
    channels: list[str]
    business_type: list[str]
    topic: list[str]
    urgent: list[bool | None]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, index: Sequence[int] | np.ndarray) -> LabelledTexts:
        idx = list(map(int, index))
        return LabelledTexts([self.texts[i] for i in idx], [self.channels[i] for i in idx],
                             [self.business_type[i] for i in idx], [self.topic[i] for i in idx],
                             [self.urgent[i] for i in idx])

    def __add__(self, other: LabelledTexts) -> LabelledTexts:
        return LabelledTexts(self.texts + other.texts, self.channels + other.channels,
                             self.business_type + other.business_type, self.topic + other.topic,
                             self.urgent + other.urgent)


class Prediction(NamedTuple):
    """One text's labels (a named tuple: batches create hundreds of thousands of them)."""

    business_type: str
    topic: str
    factor: str
    urgent: bool
    confidence_business_type: float
    confidence_topic: float
    urgent_probability: float  # the model's own, before the cue lexicon
    reasons: tuple[str, ...]  # why urgent: the cues found, or the model

    def as_json(self) -> dict[str, Any]:
        return {
            "business_type": self.business_type, "topic": self.topic, "factor": self.factor, "urgent": self.urgent,
            "confidence": {"business_type": round(self.confidence_business_type, 4),
                           "topic": round(self.confidence_topic, 4)},
            "urgent_probability": round(self.urgent_probability, 4),
            "urgency_reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Contribution:
    feature: str
    weight: float  # feature value x coefficient of the chosen label


@dataclass(frozen=True)
class Explanation:
    prediction: Prediction
    drivers: dict[str, list[Contribution]]  # head -> top contributions to its chosen label (urgent: to urgency)
    cues: list[Cue]

    def as_json(self) -> dict[str, Any]:
        return {
            "predicted": self.prediction.as_json(),
            "drivers": {head: [{"feature": c.feature, "weight": round(c.weight, 4)} for c in items]
                        for head, items in self.drivers.items()},
            "cues": [{"category": c.category, "name": c.name, "text": c.text, "decisive": c.decisive}
                     for c in self.cues],
        }


@dataclass
class Head:
    """One calibrated linear classifier: the scikit-learn estimator and the arrays prediction reads."""

    estimator: CalibratedClassifierCV
    classes: np.ndarray = field(init=False)
    coef: np.ndarray = field(init=False, repr=False)  # (features, classes); one column when binary
    intercept: np.ndarray = field(init=False, repr=False)
    beta: float = field(init=False)  # inverse temperature

    def __post_init__(self) -> None:
        self._derive()

    def __getstate__(self) -> dict[str, Any]:
        return {"estimator": self.estimator}  # the rest is derived: stored once, in the estimator

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.estimator = state["estimator"]
        self._derive()

    def _derive(self) -> None:
        calibrated = self.estimator.calibrated_classifiers_[0]
        svm = calibrated.estimator
        self.classes = np.asarray(self.estimator.classes_)
        self.coef = np.ascontiguousarray(svm.coef_.T)
        self.intercept = np.asarray(svm.intercept_, dtype=float)
        self.beta = float(calibrated.calibrators[0].beta_)

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2

    def scores(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef) + self.intercept

    def proba(self, x: sp.csr_matrix) -> np.ndarray:
        scores = self.scores(x)
        if self.binary:  # scikit-learn treats a binary score s as the two logits (-s, s)
            positive = 1.0 / (1.0 + np.exp(-2.0 * self.beta * scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        logits = self.beta * scores
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def drivers(self, row: sp.csr_matrix, label_index: int, names: np.ndarray, top: int) -> list[Contribution]:
        """Features of one text ranked by their push towards the chosen label (positive ones only)."""
        if self.binary:
            sign = 1.0 if label_index == 1 else -1.0
            weights = sign * self.coef[row.indices, 0] * row.data
        else:
            weights = self.coef[row.indices, label_index] * row.data
        order = np.argsort(-weights, kind="stable")
        chosen: list[Contribution] = []
        for i in order:
            if weights[i] <= 0 or len(chosen) == top:
                break
            name = str(names[row.indices[i]])
            # "停电" already says what "停" and "电" would: keep the longer, stronger n-gram
            if not name.strip() or any(name in c.feature for c in chosen):
                continue
            chosen.append(Contribution(name, float(weights[i])))
        return chosen


def _fit_head(x: sp.csr_matrix, y: np.ndarray, config: TrainConfig, balanced: bool) -> Head:
    svm = LinearSVC(C=config.c, class_weight="balanced" if balanced else None, random_state=config.seed)
    calibrated = CalibratedClassifierCV(svm, method="temperature", cv=config.cv, ensemble=False,
                                        n_jobs=config.n_jobs)
    calibrated.fit(x, y)
    return Head(calibrated)


def _check_classes(name: str, values: Sequence[object], folds: int) -> None:
    labels, counts = np.unique(np.asarray(values, dtype=object).astype(str), return_counts=True)
    if len(labels) < 2:
        raise BadInput(name, f"the training data has only one value ({labels[0] if len(labels) else 'none'}); "
                             "a classifier needs at least two")
    rare = [f"{label} ({count})" for label, count in zip(labels, counts, strict=True) if count < folds]
    if rare:
        raise BadInput(name, f"too few examples of {', '.join(rare)}: each value needs at least {folds} "
                             "(the calibration's cross-validation folds)")


class AppealClassifier:
    """Featurizer + three calibrated heads + the urgency lexicon; built by `train`, persisted by joblib."""

    def __init__(self, featurizer: Featurizer, heads: dict[str, Head], config: TrainConfig,
                 lexicon: UrgencyLexicon | None = None) -> None:
        self.featurizer = featurizer
        self.heads = heads
        self.config = config
        self.lexicon = lexicon or UrgencyLexicon.load()
        self.urgent_threshold = URGENT_THRESHOLD

    def __getstate__(self) -> dict[str, Any]:
        # the lexicon is configuration, read where the model is used (a deployment may edit it)
        return {k: v for k, v in self.__dict__.items() if k != "lexicon"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lexicon = UrgencyLexicon.load()

    @property
    def label_sets(self) -> dict[str, list[Any]]:
        return {name: [v.item() if hasattr(v, "item") else v for v in head.classes]
                for name, head in self.heads.items()}

    def features(self, texts: Sequence[str], channels: Sequence[str]) -> sp.csr_matrix:
        return self.featurizer.transform(texts, channels)

    def predict(self, texts: Sequence[str], channels: Sequence[str]) -> list[Prediction]:
        """Labels of a batch (one featurization and one matrix product per head for all of it)."""
        if len(texts) != len(channels):
            raise ValueError("texts and channels differ in length")
        if not texts:
            return []
        x = self.features(texts, channels)
        bt, topic = self.heads["business_type"], self.heads["topic"]
        p_bt, p_topic = bt.proba(x), topic.proba(x)
        rows = np.arange(len(texts))
        i_bt, i_topic = p_bt.argmax(axis=1), p_topic.argmax(axis=1)
        bt_codes = [str(c) for c in bt.classes]
        topic_codes = [str(c) for c in topic.classes]
        factors = [factor_of(c).value for c in topic_codes]
        p_urgent = self.heads["urgent"].proba(x)[:, 1].tolist()
        c_bt, c_topic = p_bt[rows, i_bt].tolist(), p_topic[rows, i_topic].tolist()
        threshold, combine = self.urgent_threshold, self.lexicon.combine
        out = []
        for k, (b, t, cues) in enumerate(zip(i_bt.tolist(), i_topic.tolist(), self.lexicon.find_many(texts),
                                             strict=True)):
            probability = p_urgent[k]
            if cues or probability >= threshold:
                decision = combine(cues, probability, threshold)
                urgent, reasons = decision.urgent, decision.reasons
            else:
                urgent, reasons = False, ()
            out.append(Prediction(bt_codes[b], topic_codes[t], factors[t], urgent, c_bt[k], c_topic[k], probability,
                                  reasons))
        return out

    def explain(self, text: str, channel: str, top: int = 8) -> Explanation:
        """The prediction of one text with the n-grams (and words, channel) that drove each head."""
        prediction = self.predict([text], [channel])[0]
        row = self.features([text], [channel])[0]
        # for urgency the words that push towards it, whatever was decided (the cues are listed beside them)
        chosen = {"business_type": prediction.business_type, "topic": prediction.topic, "urgent": True}
        drivers = {}
        for name, head in self.heads.items():
            index = int(np.flatnonzero(head.classes == chosen[name])[0])
            drivers[name] = head.drivers(row, index, self.featurizer.names, top)
        return Explanation(prediction, drivers, self.lexicon.find(text))


def train(data: LabelledTexts, config: TrainConfig | None = None,
          lexicon: UrgencyLexicon | None = None) -> tuple[AppealClassifier, float]:
    """Fit the featurizer and the three heads; returns the classifier and the seconds it took."""
    config = config or TrainConfig()
    started = time.perf_counter()
    _check_classes("business_type", data.business_type, config.cv)
    _check_classes("topic", data.topic, config.cv)
    with_urgency = [i for i, u in enumerate(data.urgent) if u is not None]
    _check_classes("urgent", [data.urgent[i] for i in with_urgency], config.cv)
    featurizer = Featurizer(n_max=config.n_max, min_df=config.min_df, words=config.words)
    featurizer.fit(data.texts, data.channels)
    x = sp.vstack([featurizer.transform(data.texts[lo : lo + FIT_CHUNK], data.channels[lo : lo + FIT_CHUNK])
                   for lo in range(0, len(data), FIT_CHUNK)], format="csr")
    heads = {
        "business_type": _fit_head(x, np.asarray(data.business_type), config, balanced=True),
        "topic": _fit_head(x, np.asarray(data.topic), config, balanced=True),
        "urgent": _fit_head(x[with_urgency], np.asarray([bool(data.urgent[i]) for i in with_urgency]), config,
                            balanced=False),
    }
    return AppealClassifier(featurizer, heads, config, lexicon), time.perf_counter() - started
