"""Settings from environment variables and an optional TOML file.

Precedence: environment (`GRIDVOICE_*`) > TOML file (`GRIDVOICE_CONFIG`, else `$GRIDVOICE_HOME/gridvoice.toml`
when present) > defaults. Secrets are never defaults: the token-signing key is generated into the data folder
on first use unless `GRIDVOICE_SECRET_KEY` is set.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from gridvoice.domain.routing import ResponsibilityMatrix, load_responsibility
from gridvoice.domain.sla import SlaConfig, load_sla_config


class ConfigError(ValueError):
    pass


@dataclass
class Settings:
    home: Path = Path("var")
    database_url: str = ""
    shared: Path = Path("../shared")
    secret_key: str = ""
    token_minutes: int = 480
    log_format: str = "text"  # text | json
    log_level: str = "INFO"
    sla_policies: Path | None = None
    responsibility: Path | None = None
    sla_check_seconds: int = 60
    scheduler: bool = True
    root_org: str = ""
    debug_endpoints: bool = False
    # threads per server worker for the (synchronous) request handlers; raise it for slow I/O-bound work
    request_threads: int = 4
    # PostgreSQL: connections per server worker in the asynchronous pool of the intake path
    async_pool_size: int = 10
    # lock-out: this many failed logins in a row lock the account for login_lock_minutes
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    # console session cookie only over HTTPS (set it when the server is behind TLS)
    cookie_secure: bool = False

    @cached_property
    def sla(self) -> SlaConfig:
        return load_sla_config(self.sla_policies)

    @cached_property
    def matrix(self) -> ResponsibilityMatrix:
        return load_responsibility(self.responsibility)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.home / 'gridvoice.db').resolve()}"

    def resolved_secret_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        self.home.mkdir(parents=True, exist_ok=True)
        key_file = self.home / "secret.key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        self.secret_key = key_file.read_text().strip()
        return self.secret_key


_CASTS = {"home": Path, "shared": Path, "sla_policies": Path, "responsibility": Path, "token_minutes": int,
          "sla_check_seconds": int, "request_threads": int,
          "async_pool_size": int,
          "login_max_failures": int, "login_lock_minutes": int}
_BOOLS = {"scheduler", "debug_endpoints", "cookie_secure"}


def _cast(name: str, value: Any, origin: str) -> Any:
    try:
        if name in _BOOLS:
            if isinstance(value, bool):
                return value
            return str(value).strip().lower() in {"1", "true", "yes", "on"}
        cast = _CASTS.get(name, str)
        return cast(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: invalid value for '{name}': {value!r}") from exc


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    values: dict[str, Any] = {}
    home = Path(env.get("GRIDVOICE_HOME", "var"))
    config_file = Path(env["GRIDVOICE_CONFIG"]) if "GRIDVOICE_CONFIG" in env else home / "gridvoice.toml"
    known = {f.name for f in fields(Settings)}
    if config_file.exists():
        try:
            data = tomllib.loads(config_file.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_file}: {exc}") from exc
        for key, value in data.get("gridvoice", data).items():
            if key not in known:
                raise ConfigError(f"{config_file}: unknown setting '{key}'")
            values[key] = _cast(key, value, str(config_file))
    for name in known:
        env_name = f"GRIDVOICE_{name.upper()}"
        if env_name in env:
            values[name] = _cast(name, env[env_name], env_name)
    values.setdefault("home", home)
    return Settings(**values)
