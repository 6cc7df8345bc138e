"""Settings: environment over TOML over defaults, with errors naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridvoice.config import ConfigError, load_settings


def test_defaults_without_file(tmp_path: Path) -> None:
    settings = load_settings({"GRIDVOICE_HOME": str(tmp_path)})
    assert settings.home == tmp_path
    assert settings.resolved_database_url() == f"sqlite:///{(tmp_path / 'gridvoice.db').resolve()}"
    assert settings.log_format == "text"


def test_toml_then_environment(tmp_path: Path) -> None:
    (tmp_path / "gridvoice.toml").write_text('log_format = "json"\ntoken_minutes = 60\nscheduler = false\n')
    settings = load_settings({"GRIDVOICE_HOME": str(tmp_path)})
    assert (settings.log_format, settings.token_minutes, settings.scheduler) == ("json", 60, False)
    settings = load_settings({"GRIDVOICE_HOME": str(tmp_path), "GRIDVOICE_TOKEN_MINUTES": "15"})
    assert settings.token_minutes == 15


def test_bad_values_name_the_setting(tmp_path: Path) -> None:
    (tmp_path / "gridvoice.toml").write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="colour"):
        load_settings({"GRIDVOICE_HOME": str(tmp_path)})
    with pytest.raises(ConfigError, match="GRIDVOICE_TOKEN_MINUTES"):
        load_settings({"GRIDVOICE_HOME": str(tmp_path / "x"), "GRIDVOICE_TOKEN_MINUTES": "soon"})
    (tmp_path / "broken.toml").write_text("log_format = \n")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        load_settings({"GRIDVOICE_HOME": str(tmp_path), "GRIDVOICE_CONFIG": str(tmp_path / "broken.toml")})


def test_secret_key_generated_once_and_private(tmp_path: Path) -> None:
    settings = load_settings({"GRIDVOICE_HOME": str(tmp_path)})
    key = settings.resolved_secret_key()
    assert len(key) >= 40
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    assert load_settings({"GRIDVOICE_HOME": str(tmp_path)}).resolved_secret_key() == key
