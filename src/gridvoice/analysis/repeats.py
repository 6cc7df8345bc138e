"""Repeat appeals (重复诉求): the same caller — 户号, phone or address — on the same topic again within a window.

For each kind of key (`repeats.keys`), the appeals of one key and topic are taken in time order; an appeal
within `window_days` (local days) of the previous one continues its episode, a later one starts a new episode.
An episode of at least `min_appeals` appeals is a repeat. Episodes found through several keys with the same
appeals are one (listing every key that links them); an episode whose appeals are all inside a larger one
found through another key is dropped. Ranked by the number of appeals, then the most recent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from gridvoice.analysis.common import AnalysisResult, Scope, appeals_for, flat
from gridvoice.analysis.config import RepeatConfig
from gridvoice.domain.taxonomy import Topic, label_zh
from gridvoice.errors import BadInput
from gridvoice.lake.connect import LakeConnection
from gridvoice.lake.privacy import key_text

KEY_COLUMNS = {"customer": "customer_key", "phone": "phone_key", "address": "address_key"}
KEY_ZH = {"customer": "户号", "phone": "电话", "address": "地址"}


@dataclass(frozen=True)
class RepeatQuery:
    first: date
    last: date
    level: str = "county"
    topic: str | None = None
    limit: int = 200


class RepeatGroup(BaseModel):
    rank: int
    matched_by: list[str]  # customer | phone | address
    key: str  # pseudonymous key of the first matching identifier (not reversible)
    topic: str
    topic_label: str
    appeals: int
    first_at: datetime
    last_at: datetime
    span_days: int
    unit: str | None
    unit_name: str | None
    appeal_ids: list[int]


class RepeatResult(AnalysisResult):
    level: str
    first: date
    last: date
    window_days: int
    min_appeals: int
    groups: list[RepeatGroup]
    groups_total: int
    appeals_in_groups: int

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {"repeats": [flat(g.model_dump(mode="json")) for g in self.groups]}


def check_query(query: RepeatQuery) -> None:
    if query.last < query.first:
        raise BadInput("to", "must not be before from")


def topic_codes() -> ir.Table:
    """Topic code -> small integer: grouping and sorting millions of rows on two integers is much cheaper than
    on an integer and a string (topics are taxonomy codes: intake validates them)."""
    return ibis.memtable({"topic": [t.value for t in Topic], "tc": np.arange(len(Topic), dtype=np.int64)})


def episodes(table: ir.Table, kind: str, query: RepeatQuery, config: RepeatConfig) -> ir.Table:
    column = KEY_COLUMNS[kind]
    t = table.filter(table[column].notnull())
    if query.topic:
        t = t.filter(t.topic == query.topic)
    t = t.select(id=t.id, key=t[column], topic=t.topic, day=t.received_day, at=t.received_at, unit=t[query.level])
    codes = topic_codes()
    t = t.join(codes, "topic").select("id", "key", "tc", "day", "at", "unit")
    # only a key and topic with enough appeals can repeat: a hash count first spares the sort of everyone else
    candidates = t.group_by(["key", "tc"]).agg(n=t.count())
    candidates = candidates.filter(candidates.n >= config.min_appeals).select("key", "tc")
    t = t.semi_join(candidates, ["key", "tc"])
    # within a day the gap is 0 whatever the order: ordering by day and id gives the same episodes as by time
    ordered = ibis.window(group_by=["key", "tc"], order_by=["day", "id"])
    gap = t.day - t.day.lag().over(ordered)
    t = t.mutate(new=ibis.ifelse(gap.isnull() | (gap > config.window_days), 1, 0))
    t = t.mutate(episode=t.new.sum().over(ibis.cumulative_window(group_by=["key", "tc"], order_by=["day", "id"])))
    groups = t.group_by(["key", "tc", "episode"]).agg(
        n=t.count(), first_at=t.at.min(), last_at=t.at.max(), first_day=t.day.min(), last_day=t.day.max(),
        unit=t.unit.max(), ids=t.id.collect())
    groups = groups.filter(groups.n >= config.min_appeals).join(codes, "tc")
    return groups.select("key", "topic", "n", "first_at", "last_at", "first_day", "last_day", "unit", "ids",
                         kind=ibis.literal(kind))


def repeat_table(conn: LakeConnection, query: RepeatQuery, scope: Scope, config: RepeatConfig) -> pa.Table:
    """The episodes of every key kind, one row per distinct set of appeals (the kinds that found it, and the
    key of the first of them in `keys` order)."""
    table = appeals_for(conn, scope, query.first, query.last)
    parts = [episodes(table, kind, query, config).mutate(rank=ibis.literal(i))
             for i, kind in enumerate(config.keys)]
    union = parts[0]
    for part in parts[1:]:
        union = union.union(part)
    union = union.mutate(ids=union.ids.sort())
    same = union.group_by(["topic", "ids"]).agg(
        kinds=union.kind.collect(), key=union.key.argmin(union.rank), n=union.n.max(),
        first_at=union.first_at.min(), last_at=union.last_at.max(), first_day=union.first_day.min(),
        last_day=union.last_day.max(), unit=union.unit.max())
    return conn.to_arrow(same)


def _dominated(ids: pa.ChunkedArray | pa.Array, sizes: np.ndarray) -> np.ndarray:
    """Which episodes lie wholly inside a larger one (found through another key). Only episodes sharing an
    appeal with another can; those few are checked set by set."""
    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    flat = pc.list_flatten(ids).to_numpy(zero_copy_only=False)
    parent = pc.list_parent_indices(ids).to_numpy(zero_copy_only=False)
    out = np.zeros(len(sizes), dtype=bool)
    if flat.size == 0:
        return out
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    shared = np.zeros(len(sizes), dtype=bool)
    np.logical_or.at(shared, parent, counts[inverse] > 1)
    candidates = np.flatnonzero(shared)
    offsets = ids.offsets.to_numpy(zero_copy_only=False)
    members = {int(g): frozenset(flat[offsets[g]:offsets[g + 1]].tolist()) for g in candidates}
    holders: dict[int, list[int]] = {}
    for g, appeals in members.items():
        for appeal in appeals:
            holders.setdefault(appeal, []).append(g)
    for g, appeals in members.items():
        first = next(iter(appeals))
        out[g] = any(sizes[h] > sizes[g] and appeals < members[h] for h in holders[first] if h != g)
    return out


def assemble(groups: pa.Table, query: RepeatQuery, config: RepeatConfig, names: dict[str, str]) -> RepeatResult:
    """Rank the episodes (most appeals, most recent, topic, first appeal) and word the first `limit`."""
    ids = groups["ids"]
    sizes = pc.list_value_length(ids).to_numpy(zero_copy_only=False) if groups.num_rows else np.zeros(0, int)
    keep = ~_dominated(ids, sizes)
    last = groups["last_at"].cast(pa.int64()).to_numpy(zero_copy_only=False)
    first_id = pc.list_element(ids, 0).to_numpy(zero_copy_only=False) if groups.num_rows else np.zeros(0, int)
    topics = np.unique(np.array(groups["topic"].to_pylist(), dtype=object), return_inverse=True)[1]
    order = np.lexsort((first_id, topics, -last, -sizes))
    order = order[keep[order]]
    out = []
    for rank, row in enumerate(groups.take(order[:query.limit]).to_pylist(), start=1):
        unit = row["unit"]
        out.append(RepeatGroup(
            rank=rank, matched_by=sorted(set(row["kinds"]), key=config.keys.index),
            key=key_text(int(row["key"])) or "", topic=row["topic"], topic_label=label_zh(row["topic"]),
            appeals=len(row["ids"]), first_at=row["first_at"], last_at=row["last_at"],
            span_days=int(row["last_day"]) - int(row["first_day"]), unit=unit,
            unit_name=names.get(unit) if unit else None, appeal_ids=[int(i) for i in row["ids"]]))
    kept_ids = pc.list_flatten(ids.take(pa.array(np.flatnonzero(keep)))) if groups.num_rows else pa.array([])
    return RepeatResult(level=query.level, first=query.first, last=query.last, window_days=config.window_days,
                        min_appeals=config.min_appeals, groups=out, groups_total=int(keep.sum()),
                        appeals_in_groups=len(pc.unique(kept_ids)))


def repeats(conn: LakeConnection, query: RepeatQuery, scope: Scope, config: RepeatConfig,
            names: dict[str, str] | None = None) -> RepeatResult:
    check_query(query)
    return assemble(repeat_table(conn, query, scope, config), query, config, names or {})
