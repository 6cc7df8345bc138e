"""Helpers shared by every `gridvoice` command module: exit codes, messages, JSON output, the runtime."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from gridvoice.config import ConfigError, load_settings
from gridvoice.errors import BadInput, GridvoiceError
from gridvoice.ops.logging import configure_logging
from gridvoice.runtime import Runtime

err = Console(stderr=True)
T = TypeVar("T")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def fail(code: int, message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run a command body, turning errors into the documented exit codes and messages."""
    try:
        return fn()
    except BadInput as exc:
        raise fail(2, str(exc)) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        raise fail(2, f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
    except ConfigError as exc:
        raise fail(2, str(exc)) from exc
    except GridvoiceError as exc:
        raise fail(1, str(exc)) from exc


def runtime() -> Runtime:
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise fail(2, str(exc)) from exc
    configure_logging(settings.log_format, settings.log_level)
    return Runtime(settings)


def emit_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
