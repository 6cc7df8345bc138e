"""The analytical copy of the appeals: Parquet partitioned by month of receipt, read through Ibis (ADR 0013).

- `refresh(runtime)` brings `$GRIDVOICE_HOME/lake/` up to date from the operational store, incrementally;
- `connect(root, backend="duckdb"|"pyspark")` opens it on an engine: `.appeals()`, `.units()`, `.con`.
"""

from __future__ import annotations

from typing import Any

from gridvoice.lake.connect import BACKENDS, Backend, LakeConnection, connect, lake_root
from gridvoice.lake.export import ExportReport, LakeExporter

__all__ = ["BACKENDS", "Backend", "ExportReport", "LakeConnection", "LakeExporter", "connect", "lake_root",
           "refresh"]


def refresh(runtime: Any, full: bool = False) -> ExportReport:
    """Export what changed in the store since the last refresh (everything the first time)."""
    return LakeExporter(runtime.engine, lake_root(runtime.settings), runtime.settings).refresh(full=full)
