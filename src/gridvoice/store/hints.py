"""Planner hints that one statement carries to every backend.

SQLite keeps one average per index column (`sqlite_stat1`), so it believes `status IN (open statuses)` matches
half of the appeals, when a live store has a few thousand open among a million. It then scans another index to
save a sort (the duty screen took 1.4 s at 1 M appeals). `rare(condition)` says what the statistics cannot:
SQLite gets `likelihood(condition, 0.001)` (the condition stays usable by indexes); PostgreSQL, whose statistics
know the skew, gets the condition unchanged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

RARE_PROBABILITY = 0.001


class rare(FunctionElement[bool]):
    """A condition few rows meet."""

    type = Boolean()
    name = "rare"
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition, not a value: no "= 1" where booleans are integers


@compiles(rare)
def _plain(element: rare, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)})"


@compiles(rare, "sqlite")
def _sqlite(element: rare, compiler: SQLCompiler, **kw: Any) -> str:
    return f"likelihood({compiler.process(element.clauses, **kw)}, {RARE_PROBABILITY})"
