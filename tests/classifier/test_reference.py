"""Acceptance (issue #4): the default model, trained only on generated texts, on the hand-labelled reference
appeals of the shared folder (read in place, never trained on). Slow: it trains the full default model."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridvoice.classifier.data import read_labelled
from gridvoice.classifier.evaluation import evaluate
from gridvoice.classifier.training import train_default

from .conftest import DEV_FILE

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not DEV_FILE.is_file(), reason=f"shared reference data not found at {DEV_FILE}")
def test_default_model_on_the_reference_appeals(tmp_path: Path) -> None:
    trained = train_default(tmp_path, progress=lambda _: None)
    assert "synthetic corpus" in trained.metadata["data_source"]
    report = evaluate(trained.model, read_labelled(DEV_FILE))
    assert report["n"] >= 100
    assert report["business_type"]["macro_f1"] >= 0.85, report["business_type"]["confused_pairs"]
    assert report["topic"]["macro_f1"] >= 0.85, report["topic"]["confused_pairs"]
    assert report["urgent"]["f1"] >= 0.8, report["urgent"]
