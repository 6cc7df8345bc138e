"""Training runs: hold out a share for the metadata's metrics, fit, save a versioned model, install it.

`ensure_default_model(home)` gives a fresh installation its model: trained on the seeded synthetic corpus the
first time (a minute or less on two cores), found on disk afterwards.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from gridvoice import __version__
from gridvoice.classifier import registry
from gridvoice.classifier.corpus import DEFAULT_SEED, DEFAULT_SIZE, synthetic_corpus
from gridvoice.classifier.evaluation import evaluate
from gridvoice.classifier.model import AppealClassifier, LabelledTexts, TrainConfig, train

log = logging.getLogger("gridvoice.classifier")
HOLDOUT_SHARE = 0.1
Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainedModel:
    model: AppealClassifier
    metadata: dict[str, Any]
    path: Path | None = None


def data_hash(data: LabelledTexts) -> str:
    digest = hashlib.sha256()
    for record in zip(data.texts, data.channels, data.business_type, data.topic, data.urgent, strict=True):
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _split(data: LabelledTexts, share: float, seed: int) -> tuple[LabelledTexts, LabelledTexts | None]:
    """A random held-out share for the metadata's metrics; none when the data is too small to spare it."""
    n_holdout = int(len(data) * share)
    if n_holdout < 50:
        return data, None
    order = np.random.default_rng(seed).permutation(len(data))
    return data.subset(np.sort(order[n_holdout:])), data.subset(np.sort(order[:n_holdout]))


def fit(data: LabelledTexts, source: str, config: TrainConfig | None = None,
        holdout_share: float = HOLDOUT_SHARE, progress: Progress | None = None,
        held_out: LabelledTexts | None = None) -> TrainedModel:
    """Train on `data` less a held-out share scored into the metadata, or on all of it when separate
    `held_out` data is given (a generator can always make more)."""
    config = config or TrainConfig()
    say = progress or log.info
    if held_out is None:
        fitting, held_out = _split(data, holdout_share, config.seed)
    else:
        fitting = data
    say(f"training on {len(fitting):,} texts ({len(held_out) if held_out else 0:,} held out) …")
    model, seconds = train(fitting, config)
    metrics = evaluate(model, held_out) if held_out is not None else None
    digest = data_hash(data)
    created = datetime.now(UTC)
    meta = {
        "version": f"{created:%Y%m%dT%H%M%SZ}-{digest[:8]}",
        "created_at": created.isoformat(timespec="seconds"),
        "data_hash": f"sha256:{digest}",
        "data_source": source,
        "training_size": len(fitting),
        "holdout_size": len(held_out) if held_out else 0,
        "label_sets": model.label_sets,
        "metrics": _summary(metrics),
        "metrics_note": "on held-out texts of the same source as the training texts",
        "config": config.as_dict(),
        "features": model.featurizer.size,
        "train_seconds": round(seconds, 1),
        "lexicon_version": model.lexicon.version,
        "software": {"gridvoice": __version__, "scikit-learn": sklearn.__version__,
                     "python": platform.python_version()},
    }
    say(f"trained in {seconds:.0f} s; {model.featurizer.size:,} features")
    return TrainedModel(model, meta)


def _summary(metrics: dict[str, Any] | None) -> dict[str, Any] | None:
    if metrics is None:
        return None
    return {
        "business_type": {"macro_f1": metrics["business_type"]["macro_f1"],
                          "per_class": metrics["business_type"]["per_class"]},
        "topic": {"macro_f1": metrics["topic"]["macro_f1"], "per_class": metrics["topic"]["per_class"]},
        "urgent": {k: metrics["urgent"].get(k) for k in ("f1", "precision", "recall")},
    }


def save_trained(trained: TrainedModel, home: Path, out: Path | None = None,
                 install: bool | None = None) -> TrainedModel:
    """Save into `out`, or a new version folder under GRIDVOICE_HOME/models; install unless `out` was given
    (or as `install` says)."""
    directory = out or registry.new_version_dir(home, trained.metadata["version"])
    registry.save(trained.model, trained.metadata, directory)
    if install if install is not None else out is None:
        registry.install(home, directory)
    return TrainedModel(trained.model, trained.metadata, directory)


def default_training_data(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED) -> tuple[LabelledTexts, str]:
    return synthetic_corpus(size, seed), f"synthetic corpus (gridvoice.synth.texts), size={size}, seed={seed}"


def default_held_out(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED) -> LabelledTexts:
    """Fresh texts of another seed for the default model's metrics, so that all generated texts train it."""
    return synthetic_corpus(max(100, int(size * HOLDOUT_SHARE)), seed + 1)


def train_default(home: Path, size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, config: TrainConfig | None = None,
                  progress: Progress | None = None, out: Path | None = None) -> TrainedModel:
    say = progress or log.info
    say(f"generating {size:,} synthetic appeal texts (seed {seed}) …")
    data, source = default_training_data(size, seed)
    trained = fit(data, source, config or TrainConfig(n_jobs=2), progress=progress,
                  held_out=default_held_out(size, seed))
    return save_trained(trained, home, out)


def ensure_default_model(home: Path, progress: Progress | None = None) -> Path:
    """The installed model's folder; when none is installed, the default model is trained and installed."""
    home = Path(home)
    installed = registry.current(home)
    if installed is not None:
        return installed
    registry.models_dir(home).mkdir(parents=True, exist_ok=True)
    with (registry.models_dir(home) / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two first starts (install, demo) must not train it twice
        installed = registry.current(home)
        if installed is not None:
            return installed
        trained = train_default(home, progress=progress)
        assert trained.path is not None
        return trained.path
