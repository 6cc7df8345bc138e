"""The shared rule-file reader: shipped defaults, a deployment's file, and errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridvoice.domain.configfile import read_toml
from gridvoice.domain.routing import RoutingConfigError
from gridvoice.domain.sla import SlaConfigError


def test_defaults_and_override(tmp_path: Path) -> None:
    assert read_toml("sla_policies.toml", None, SlaConfigError)["policy"]
    own = tmp_path / "own.toml"
    own.write_text('version = "site-1"\n', encoding="utf-8")
    assert read_toml("responsibility.toml", own, RoutingConfigError) == {"version": "site-1"}


def test_missing_or_broken_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(SlaConfigError, match=r"nowhere\.toml: cannot read"):
        read_toml("sla_policies.toml", tmp_path / "nowhere.toml", SlaConfigError)
    broken = tmp_path / "broken.toml"
    broken.write_text("rules = [", encoding="utf-8")
    with pytest.raises(RoutingConfigError, match=r"broken\.toml"):
        read_toml("responsibility.toml", broken, RoutingConfigError)
