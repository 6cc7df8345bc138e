"""Imports every area's tables so metadata (and Alembic) sees the whole schema."""

from gridvoice.appeals import models as _appeals  # noqa: F401
from gridvoice.audit import models as _audit  # noqa: F401
from gridvoice.auth import models as _auth  # noqa: F401
from gridvoice.classifier import models as _classifier  # noqa: F401
from gridvoice.org import models as _org  # noqa: F401
from gridvoice.rulesets import models as _rulesets  # noqa: F401
from gridvoice.store.base import Base

metadata = Base.metadata
