"""Reading the shipped or a deployment's TOML rule files (SLA policies, responsibility matrix)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


def read_toml(default_name: str, path: Path | None, error: type[ValueError]) -> dict[str, Any]:
    """The file at `path`, else the default shipped in gridvoice/defaults; syntax errors name the file."""
    if path is None:
        text = resources.files("gridvoice.defaults").joinpath(default_name).read_text("utf-8")
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise error(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path or default_name}: {exc}") from exc
