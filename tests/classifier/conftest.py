"""Fixtures of the classifier tests: one small model trained once per test session (a few seconds), saved in a
home of its own and installed there."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gridvoice.classifier import registry
from gridvoice.classifier.corpus import synthetic_corpus
from gridvoice.classifier.model import AppealClassifier, LabelledTexts, TrainConfig
from gridvoice.classifier.training import TrainedModel, fit, save_trained

SMALL_SIZE = 4_000
SHARED = Path(os.environ.get("GRIDVOICE_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
DEV_FILE = SHARED / "reference-data" / "appeals-dev.jsonl"


@pytest.fixture(scope="session")
def corpus() -> LabelledTexts:
    return synthetic_corpus(SMALL_SIZE, seed=7)


@pytest.fixture(scope="session")
def trained(corpus: LabelledTexts) -> TrainedModel:
    return fit(corpus, "test corpus", TrainConfig(n_jobs=1), progress=lambda _: None)


@pytest.fixture(scope="session")
def model(trained: TrainedModel) -> AppealClassifier:
    return trained.model


@pytest.fixture(scope="session")
def model_home(trained: TrainedModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GRIDVOICE_HOME with the small model saved under models/ and installed."""
    home = tmp_path_factory.mktemp("classifier-home")
    saved = save_trained(trained, home)
    assert registry.current(home) == saved.path
    return home


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI points the root logger at the (captured, then closed) stderr of each run; undo that."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
