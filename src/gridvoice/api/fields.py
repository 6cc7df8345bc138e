"""Field rules shared by the API's inputs."""

from __future__ import annotations

from typing import Any

from gridvoice.errors import BadInput


def no_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL and no field needs it: refuse it (422) instead of failing in the database."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def no_nul_field(field: str, value: str | None) -> None:
    """The same rule for inputs that are not a Pydantic model (forms, query dependencies): 422 naming the field."""
    if value is not None and "\x00" in value:
        raise BadInput(field, "contains a NUL character")
