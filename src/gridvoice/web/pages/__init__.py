"""Console pages, one module each; importing this package registers them with NiceGUI (once per process)."""

from gridvoice.web.pages import (  # noqa: F401
    admin,
    analysis,
    appeal_detail,
    appeal_list,
    duty,
    intake,
    login,
    satisfaction,
    supervision,
    workbench,
)
