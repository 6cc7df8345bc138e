"""Errors every adapter translates the same way (HTTP status, CLI exit code)."""

from __future__ import annotations


class GridvoiceError(Exception):
    http_status = 500


class BadInput(GridvoiceError):
    """422 / exit 2: names the field and the reason."""

    http_status = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(GridvoiceError):
    http_status = 404


class Forbidden(GridvoiceError):
    http_status = 403


class Conflict(GridvoiceError):
    """409: the action is not allowed now, or the client's version is stale."""

    http_status = 409

    def __init__(self, reason: str, current_version: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.current_version = current_version
