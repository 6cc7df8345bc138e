"""The classifier: calibrated heads read like scikit-learn's, predictions follow the taxonomy, explanations
point at the text, models persist with their metadata, and the default model is built once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from gridvoice.classifier import registry
from gridvoice.classifier.corpus import synthetic_corpus
from gridvoice.classifier.model import AppealClassifier, LabelledTexts, TrainConfig, train
from gridvoice.classifier.training import TrainedModel, data_hash, ensure_default_model
from gridvoice.domain.taxonomy import BusinessType, Topic, factor_of
from gridvoice.errors import BadInput

PROBES = ["家里没电了快来修", "客户来电投诉营业厅工作人员态度恶劣", "电线冒烟了，好危险", "请问阶梯电价怎么算？",
          "想申请新装一个电表", "屋企冇电，快啲嚟整", "交了电费还没来电", "APP交费扣了钱没到账"]


def test_fast_probabilities_equal_scikit_learns(model: AppealClassifier, corpus: LabelledTexts) -> None:
    x = model.features(corpus.texts[:300], corpus.channels[:300])
    for head in model.heads.values():
        assert np.allclose(head.proba(x), head.estimator.predict_proba(x), atol=1e-9)


def test_predictions_follow_the_taxonomy(model: AppealClassifier) -> None:
    predictions = model.predict(PROBES, ["APP"] * len(PROBES))
    assert len(predictions) == len(PROBES)
    for p in predictions:
        assert BusinessType(p.business_type) and p.factor == factor_of(Topic(p.topic)).value
        assert 0 < p.confidence_business_type <= 1 and 0 < p.confidence_topic <= 1
        assert p.urgent == bool(p.reasons)
    by_text = dict(zip(PROBES, predictions, strict=True))
    assert by_text["家里没电了快来修"].topic == "OUTAGE"
    assert by_text["电线冒烟了，好危险"].urgent and "safety:冒烟" in by_text["电线冒烟了，好危险"].reasons
    assert model.predict([], []) == []
    with pytest.raises(ValueError, match="length"):
        model.predict(["x"], [])


def test_the_small_model_learns_the_corpus(trained: TrainedModel) -> None:
    metrics = trained.metadata["metrics"]
    assert metrics["business_type"]["macro_f1"] > 0.85
    assert metrics["topic"]["macro_f1"] > 0.9
    assert metrics["urgent"]["f1"] > 0.9


def test_explanations_point_at_the_text(model: AppealClassifier) -> None:
    text = "电线冒烟了，好危险"
    explanation = model.explain(text, "APP", top=5)
    assert explanation.prediction == model.predict([text], ["APP"])[0]
    for head, drivers in explanation.drivers.items():
        assert drivers, head
        assert len(drivers) <= 5 and all(d.weight > 0 for d in drivers)
        assert [d.weight for d in drivers] == sorted((d.weight for d in drivers), reverse=True)
        folded = text.replace("，", ",")  # the features see full-width forms folded to ASCII
        assert all(d.feature in folded or d.feature.startswith("channel=") for d in drivers)
    assert any("烟" in d.feature for d in explanation.drivers["urgent"])
    doc = explanation.as_json()
    assert doc["cues"][0]["category"] == "safety" and doc["predicted"]["urgent"] is True


def test_persistence_and_metadata(trained: TrainedModel, model_home: Path) -> None:
    directory = registry.current(model_home)
    assert directory is not None and directory.parent == registry.models_dir(model_home)
    loaded = registry.load(directory)
    assert loaded.predict(PROBES, ["SMS"] * len(PROBES)) == trained.model.predict(PROBES, ["SMS"] * len(PROBES))
    meta = json.loads((directory / "metadata.json").read_text("utf-8"))
    assert meta["version"] == directory.name and meta["data_hash"].startswith("sha256:")
    assert meta["training_size"] + meta["holdout_size"] == 4_000
    assert meta["label_sets"]["topic"] == sorted(t.value for t in Topic)
    assert meta["label_sets"]["urgent"] == [False, True]
    assert {"business_type", "topic", "urgent"} <= meta["metrics"].keys()
    assert meta["config"]["cv"] == TrainConfig().cv and meta["lexicon_version"]
    assert [m.current for m in registry.listing(model_home)] == [True]


def test_registry_refuses_what_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"no model\.joblib"):
        registry.load(tmp_path)
    (tmp_path / "model.joblib").write_bytes(b"not a pickle")
    with pytest.raises(BadInput, match="cannot be loaded"):
        registry.load(tmp_path)
    assert registry.current(tmp_path) is None


def test_data_hash_depends_on_content_only() -> None:
    a = synthetic_corpus(50, seed=1)
    assert data_hash(a) == data_hash(synthetic_corpus(50, seed=1)) != data_hash(synthetic_corpus(50, seed=2))


def test_training_refuses_data_it_cannot_learn_from() -> None:
    one_topic = LabelledTexts(["停电了"] * 6, [""] * 6, ["REPAIR", "INQUIRY"] * 3, ["OUTAGE"] * 6,
                              [False, True] * 3)
    with pytest.raises(BadInput, match="topic: the training data has only one value"):
        train(one_topic)
    rare = LabelledTexts(["停电了", "电费高", "电压低", "停电", "电费", "电压"], [""] * 6,
                         ["REPAIR"] * 3 + ["INQUIRY"] * 3,
                         ["OUTAGE", "OUTAGE", "VOLTAGE", "VOLTAGE", "OUTAGE", "METERING"], [False, True] * 3)
    with pytest.raises(BadInput, match=r"too few examples of METERING \(1\)"):
        train(rare)


def test_the_default_model_is_built_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gridvoice.classifier.training as training

    built: list[int] = []
    original = training.train_default

    def small(home: Path, **kwargs: object) -> TrainedModel:
        built.append(1)
        return original(home, size=1_500, config=TrainConfig(n_jobs=1), progress=kwargs.get("progress"))  # type: ignore[arg-type]

    monkeypatch.setattr(training, "train_default", small)
    first = ensure_default_model(tmp_path)
    assert (first / "model.joblib").is_file() and registry.current(tmp_path) == first
    stamp = (first / "model.joblib").stat().st_mtime_ns
    assert ensure_default_model(tmp_path) == first
    assert built == [1] and (first / "model.joblib").stat().st_mtime_ns == stamp
