"""Chart thresholds from a target ARL (Markov chain, checked by simulation) and the analysis settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridvoice.analysis import spc
from gridvoice.analysis.config import AnalysisConfig, load_config
from gridvoice.errors import BadInput


@pytest.mark.parametrize("mu0", [1.0, 5.0, 20.0])
def test_cusum_threshold_gives_the_target_arl_by_simulation(mu0):
    target = 150.0
    h = spc._cusum_h(mu0, 1.5, target)
    design = spc.CusumDesign.for_shift(mu0, 1.5)
    assert spc.cusum_arl(design, h) == pytest.approx(target, rel=0.02)
    simulated = spc.simulate_cusum_arl(design, h, 3000, np.random.default_rng(1))
    assert simulated == pytest.approx(target, rel=0.12)
    # out of control (the design shift) it signals within a few periods
    assert spc.cusum_arl(design, h, mu=design.mu1) < 12


@pytest.mark.parametrize("mu0", [2.0, 10.0])
def test_ewma_limit_gives_the_target_arl_by_simulation(mu0):
    target = 150.0
    limit = spc._ewma_l(mu0, 0.2, target)
    assert spc.ewma_arl(mu0, 0.2, limit) == pytest.approx(target, rel=0.02)
    simulated = spc.simulate_ewma_arl(mu0, 0.2, limit, 3000, np.random.default_rng(2))
    assert simulated == pytest.approx(target, rel=0.12)


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=0.01, max_value=50), st.floats(min_value=20, max_value=5000))
def test_arl_grows_with_the_threshold_and_the_target(mu0, target):
    design = spc.CusumDesign.for_shift(mu0, 1.5)
    h = spc._cusum_h(mu0, 1.5, target)
    assert spc.cusum_arl(design, h) >= target * 0.999
    assert spc.cusum_arl(design, h * 1.2 + 0.1) >= spc.cusum_arl(design, h)
    assert spc._cusum_h(mu0, 1.5, target * 4) >= h


def test_threshold_cache_is_reused_across_processes(tmp_path: Path):
    path = tmp_path / "cache.json"
    cache = spc.ThresholdCache(path)
    h = spc.cusum_threshold(3.0, 1.5, 300.0, cache)
    cache.save()
    again = spc.ThresholdCache(path)
    assert again.values and spc.cusum_threshold(3.0, 1.5, 300.0, again) == h and not again.dirty
    assert spc.rounded_target(300.0) >= 300.0


def test_settings_override_and_refuse_bad_values(tmp_path: Path):
    good = tmp_path / "analysis.toml"
    good.write_text("[hotspots]\nfalse_alarms_per_day = 0.05\n[sensitive.weights]\nfrequency = 0.4\n"
                    "complaints = 0.1\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert config.hotspots.false_alarms_per_day == 0.05 and config.sensitive.weights["frequency"] == 0.4
    assert load_config(tmp_path / "nowhere") == load_config(None)  # no file: the defaults
    cases = {
        "[hotspots]\nbaseline_weeks = 'four'\n": "hotspots.baseline_weeks",
        "[hotspots]\nnot_a_setting = 1\n": "hotspots.not_a_setting",
        "[sensitive.weights]\nfrequency = 0.9\n": "sensitive.weights",
        "[risk]\nred = 10\n": "risk.yellow",
        "[repeats]\nmin_appeals = 1\n": "repeats.min_appeals",
        "[sensitive.caps]\nnobody = 1\n": "sensitive.caps.nobody",
        "not toml at all": "config",
    }
    for text, field in cases.items():
        bad = tmp_path / "bad.toml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(BadInput) as exc:
            load_config(path=bad)
        assert exc.value.field == field, (text, exc.value)


def test_escalation_cues_come_from_the_urgency_lexicon_when_installed():
    cues = AnalysisConfig().sensitive.escalation_cues
    loaded = load_config().sensitive.escalation_cues
    assert "曝光" in loaded and "打12398" in loaded and "12398" not in loaded
    assert set(cues) & set(loaded)
