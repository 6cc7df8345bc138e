"""Numbers as people write them in comparison matrices and indicator tables (CLI files and API bodies alike)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from gridvoice.errors import BadInput


def as_number(cell: Any, where: str) -> float:
    """A cell as a finite number; fractions such as 1/3 are accepted (AHP matrices are written so)."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
    else:
        text = str(cell).strip()
        try:
            value = float(Fraction(text)) if "/" in text else float(text)
        except (ValueError, ZeroDivisionError):
            raise BadInput(where, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise BadInput(where, f"{cell!r} is not a finite number")
    return value
