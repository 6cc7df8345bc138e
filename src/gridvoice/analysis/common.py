"""Pieces every analysis shares: the territory scope, day windows, levels, result objects, text features."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel

from gridvoice.analysis.config import SentimentConfig
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.schema import day_number

LEVELS = ("county", "station", "transformer_area")
LEVEL_ZH = {"city": "市", "county": "县", "station": "供电所", "transformer_area": "台区"}
ALL = "*"  # the topic (or unit) of a row that sums all of them


@dataclass(frozen=True)
class Scope:
    """The territory an analysis may see: the actor's org subtree (None: the whole company)."""

    code: str | None = None
    level: str | None = None
    path: str | None = None
    root: bool = True

    @classmethod
    def whole(cls) -> Scope:
        return cls()

    def contains_path(self, path: str | None) -> bool:
        return self.root or self.path is None or (path is not None and path.startswith(self.path))


def scoped(table: ir.Table, scope: Scope) -> ir.Table:
    """Appeals within the scope, by the same rule as the appeal service (level column, else the path)."""
    if scope.root or scope.code is None:
        return table
    match scope.level:
        case "county":
            return table.filter(table.county == scope.code)
        case "station":
            return table.filter(table.station == scope.code)
        case "transformer_area":
            return table.filter(table.org_unit == scope.code)
        case _:
            return table.filter(table.org_path.startswith(scope.path or f"/{scope.code}/"))


def scoped_units(units: ir.Table, scope: Scope, level: str) -> ir.Table:
    table = units.filter(units.level == level)
    if scope.root or scope.path is None:
        return table
    return table.filter(table.path.startswith(scope.path))


def between_days(table: ir.Table, first: date, last: date) -> ir.Table:
    """Appeals received on the local days first..last (both included)."""
    return table.filter(table.received_day >= day_number(first), table.received_day <= day_number(last))


def appeals_for(conn: LakeConnection, scope: Scope, first: date, last: date) -> ir.Table:
    return between_days(scoped(conn.appeals(first, last), scope), first, last)


def first_day(conn: LakeConnection, scope: Scope) -> int | None:
    """The local day number of the first appeal in the lake (within the scope): earlier days are unknown."""
    table = scoped(conn.appeals(), scope)
    value = conn.con.execute(table.received_day.min())
    return None if value is None or value != value else int(value)


def unit_names(conn: LakeConnection) -> dict[str, str]:
    units = conn.units()
    return {r["code"]: r["name"] for r in conn.rows(units.select("code", "name"))}


# ---------------------------------------------------------------------------------------------- text features


def alternation(words: Iterable[str]) -> str:
    """One regular expression matching any of the words (longest first, so a longer cue wins)."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique)


def count_matches(text: ir.StringValue, words: Sequence[str]) -> ir.IntegerValue:
    """Non-overlapping occurrences of any of the words (the pieces a split on them leaves, minus one)."""
    pattern = alternation(words)
    if not pattern:
        return ibis.literal(0)
    return (text.coalesce("").re_split(pattern).length() - 1).cast("int64")


def any_match(text: ir.StringValue, words: Sequence[str]) -> ir.BooleanValue:
    pattern = alternation(words)
    if not pattern:
        return ibis.literal(False)
    return text.coalesce("").re_search(pattern)


def negativity(text: ir.StringValue, lexicon: SentimentConfig) -> ir.FloatingValue:
    """Lexicon sentiment of one appeal, 0 (none) to 1 (all negative): neg / (neg + pos + 1), where neg and pos
    count the negative and positive lexicon words in the text. The +1 keeps a single negative word from
    scoring like a tirade."""
    negative = count_matches(text, lexicon.negative).cast("float64")
    positive = count_matches(text, lexicon.positive).cast("float64")
    return negative / (negative + positive + 1.0)


# ---------------------------------------------------------------------------------------------- results


class AnalysisResult(BaseModel):
    """A result the CLI, the API and the console all show: `to_dict()` (JSON), `to_rows()` (its main table),
    `tables()` (every table, for a workbook)."""

    @abstractmethod
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every table of the result by name, the main one first."""

    def to_rows(self) -> list[dict[str, Any]]:
        return next(iter(self.tables().values()))

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """A row for a spreadsheet: lists joined with commas, nested objects spread as name.key columns."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, list):
            out[key] = ",".join(str(v) for v in value)
        elif isinstance(value, dict):
            for inner, item in value.items():
                out[f"{key}.{inner}"] = item
        else:
            out[key] = value
    return out
