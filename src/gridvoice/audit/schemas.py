"""One line of the audit trail as the API and exports show it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditOut(BaseModel):
    at: datetime
    actor: str
    role: str
    action: str
    target_type: str
    target_id: str
    reason: str
    details: dict[str, Any] | None
