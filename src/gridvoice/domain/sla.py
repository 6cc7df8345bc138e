"""SLA policies and the pure computation of an appeal's milestone due times and warning level.

An appeal's clock state is plain data (`ClockState`): the anchor instants (intake, arrival, resolution,
...), the paused intervals and which milestones are met. `schedule` turns it into due and yellow
instants; `warning_at` judges them at a moment. The store keeps the clock state as JSON on the appeal
and the earliest open due/yellow instants as indexed columns, so supervision queries stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from gridvoice.domain.clock import ClockKind, add_business_minutes
from gridvoice.domain.configfile import read_toml
from gridvoice.domain.lifecycle import Action
from gridvoice.domain.taxonomy import BusinessType, Channel, Topic

RECEIVED_ANCHOR = "received"
WORKDAY_MINUTES = 1440


class AreaClass(StrEnum):
    URBAN = "urban"
    RURAL = "rural"
    REMOTE = "remote"


class Warning(StrEnum):
    NONE = "none"
    YELLOW = "yellow"
    RED = "red"


class SlaConfigError(ValueError):
    """A policy file that cannot be used; the message names the entry and the field."""


@dataclass(frozen=True)
class MilestoneRule:
    name: str
    completed_by: frozenset[str]
    anchor: str
    clock: ClockKind
    minutes_by_area: Mapping[AreaClass, float]

    def limit_minutes(self, area: AreaClass) -> float:
        return self.minutes_by_area[area]


@dataclass(frozen=True)
class Policy:
    business_type: str
    topic: str
    channel: str
    milestones: tuple[MilestoneRule, ...]
    callback_required: bool = True
    source: str = ""

    def specificity(self) -> int:
        return sum(part != "*" for part in (self.business_type, self.topic, self.channel))


@dataclass(frozen=True)
class ChannelLimit:
    channel: str
    milestone: str
    clock: ClockKind
    minutes: float


@dataclass(frozen=True)
class SlaConfig:
    version: str
    yellow_share: float
    duplicate_window_hours: float
    policies: tuple[Policy, ...]
    channel_limits: tuple[ChannelLimit, ...] = ()
    _cache: dict[tuple[str, str, str], Policy] = field(default_factory=dict, compare=False, repr=False)

    def policy_for(self, business_type: str, topic: str, channel: str = "*") -> Policy:
        key = (business_type, topic, channel)
        if key not in self._cache:
            matches = [
                p for p in self.policies
                if p.business_type in ("*", business_type) and p.topic in ("*", topic)
                and p.channel in ("*", channel)
            ]
            if not matches:
                raise SlaConfigError(f"no SLA policy matches business_type={business_type} topic={topic}")
            self._cache[key] = max(matches, key=Policy.specificity)
        return self._cache[key]

    def channel_limit(self, channel: str, milestone: str) -> ChannelLimit | None:
        for limit in self.channel_limits:
            if limit.channel == channel and limit.milestone == milestone:
                return limit
        return None


# ---------------------------------------------------------------------------------------------- loading

_VALID_ACTIONS = {a.value for a in Action}
_VALID_CODES = {"business_type": {b.value for b in BusinessType}, "topic": {t.value for t in Topic},
                "channel": {c.value for c in Channel}}


def _code(entry: Mapping[str, Any], key: str, where: str) -> str:
    """A taxonomy code or "*": a misspelt code would silently never match, so it is refused."""
    value = entry.get(key, "*")
    if value != "*" and (not isinstance(value, str) or value not in _VALID_CODES[key]):
        raise SlaConfigError(f"{where}.{key}: unknown code {value!r}")
    return value


def _limit(entry: Mapping[str, Any], where: str) -> Mapping[AreaClass, float]:
    if ("minutes" in entry) == ("days" in entry):
        raise SlaConfigError(f"{where}: give exactly one of 'minutes' or 'days'")
    raw = entry.get("minutes", entry.get("days"))
    factor = 1.0 if "minutes" in entry else float(WORKDAY_MINUTES)
    if isinstance(raw, Mapping):
        try:
            values = {AreaClass(k): float(v) * factor for k, v in raw.items()}
        except (ValueError, TypeError) as exc:
            raise SlaConfigError(f"{where}: limits per area class need keys urban/rural/remote: {exc}") from exc
        missing = set(AreaClass) - values.keys()
        if missing:
            raise SlaConfigError(f"{where}: missing area classes {sorted(missing)}")
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        values = {area: float(raw) * factor for area in AreaClass}
    else:
        raise SlaConfigError(f"{where}: limit must be a number or a table per area class")
    if any(v <= 0 for v in values.values()):
        raise SlaConfigError(f"{where}: limits must be positive")
    return values


def _clock(value: Any, where: str) -> ClockKind:
    try:
        return ClockKind(value)
    except ValueError as exc:
        raise SlaConfigError(f"{where}.clock: must be 'calendar' or 'workday', got {value!r}") from exc


def _milestone(entry: Mapping[str, Any], where: str) -> MilestoneRule:
    for key in ("name", "completed_by", "anchor", "clock"):
        if key not in entry:
            raise SlaConfigError(f"{where}: missing '{key}'")
    completed_by = frozenset(entry["completed_by"])
    unknown = completed_by - _VALID_ACTIONS
    if unknown:
        raise SlaConfigError(f"{where}.completed_by: unknown actions {sorted(unknown)}")
    anchor = entry["anchor"]
    if anchor != RECEIVED_ANCHOR and anchor not in _VALID_ACTIONS:
        raise SlaConfigError(f"{where}.anchor: must be 'received' or an action, got {anchor!r}")
    return MilestoneRule(
        name=str(entry["name"]), completed_by=completed_by, anchor=anchor,
        clock=_clock(entry["clock"], where), minutes_by_area=_limit(entry, where),
    )


def parse_sla_config(data: Mapping[str, Any]) -> SlaConfig:
    policies = []
    for i, raw in enumerate(data.get("policy", [])):
        where = f"policy[{i}]"
        if "milestones" not in raw:
            raise SlaConfigError(f"{where}: missing 'milestones'")
        milestones = tuple(_milestone(m, f"{where}.milestones[{j}]") for j, m in enumerate(raw["milestones"]))
        names = [m.name for m in milestones]
        if len(set(names)) != len(names):
            raise SlaConfigError(f"{where}: duplicate milestone names {names}")
        policies.append(Policy(
            business_type=_code(raw, "business_type", where), topic=_code(raw, "topic", where),
            channel=_code(raw, "channel", where), milestones=milestones,
            callback_required=bool(raw.get("callback_required", True)), source=raw.get("source", ""),
        ))
    if not policies:
        raise SlaConfigError("no [[policy]] entries")
    limits = []
    for i, raw in enumerate(data.get("channel_limit", [])):
        where = f"channel_limit[{i}]"
        for key in ("channel", "milestone"):
            if key not in raw:
                raise SlaConfigError(f"{where}: missing '{key}'")
        channel, milestone = raw["channel"], raw["milestone"]
        if not isinstance(channel, str) or channel not in _VALID_CODES["channel"]:
            raise SlaConfigError(f"{where}.channel: unknown code {channel!r}")
        if not isinstance(milestone, str) or milestone not in {m.name for p in policies for m in p.milestones}:
            raise SlaConfigError(f"{where}.milestone: no policy has a milestone {milestone!r}")
        area_limits = _limit(raw, where)
        limits.append(ChannelLimit(channel=raw["channel"], milestone=raw["milestone"],
                                   clock=_clock(raw.get("clock"), where),
                                   minutes=area_limits[AreaClass.URBAN]))
    share = float(data.get("yellow_share", 0.8))
    if not 0 < share < 1:
        raise SlaConfigError(f"yellow_share: must be between 0 and 1, got {share}")
    return SlaConfig(
        version=str(data.get("version", "unversioned")), yellow_share=share,
        duplicate_window_hours=float(data.get("duplicate_window_hours", 72)),
        policies=tuple(policies), channel_limits=tuple(limits),
    )


def load_sla_config(path: Path | None = None) -> SlaConfig:
    return parse_sla_config(read_toml("sla_policies.toml", path, SlaConfigError))


# ---------------------------------------------------------------------------------------------- clocks

@dataclass
class ClockState:
    """Mutable clock facts of one appeal; serialised to JSON by the store."""

    anchors: dict[str, datetime]
    pauses: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    done: dict[str, datetime] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "anchors": {k: v.isoformat() for k, v in self.anchors.items()},
            "pauses": [[a.isoformat(), b.isoformat() if b else None] for a, b in self.pauses],
            "done": {k: v.isoformat() for k, v in self.done.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClockState:
        parse = datetime.fromisoformat
        return cls(
            anchors={k: parse(v) for k, v in data.get("anchors", {}).items()},
            pauses=[(parse(a), parse(b) if b else None) for a, b in data.get("pauses", [])],
            done={k: parse(v) for k, v in data.get("done", {}).items()},
        )


@dataclass(frozen=True)
class MilestoneStatus:
    name: str
    start: datetime | None
    due: datetime | None
    yellow: datetime | None
    done: datetime | None

    @property
    def late(self) -> bool:
        return self.done is not None and self.due is not None and self.done > self.due


@dataclass(frozen=True)
class Schedule:
    milestones: tuple[MilestoneStatus, ...]

    def open(self) -> list[MilestoneStatus]:
        return [m for m in self.milestones if m.done is None and m.due is not None]

    @property
    def next_due(self) -> datetime | None:
        return min((m.due for m in self.open() if m.due), default=None)

    @property
    def next_yellow(self) -> datetime | None:
        return min((m.yellow for m in self.open() if m.yellow), default=None)

    @property
    def any_late(self) -> bool:
        return any(m.late for m in self.milestones)

    def due_map(self) -> dict[str, datetime | None]:
        return {m.name: m.due for m in self.milestones}

    def warning_at(self, now: datetime) -> Warning:
        if any(m.due is not None and m.due < now for m in self.open()):
            return Warning.RED
        if any(m.yellow is not None and m.yellow <= now for m in self.open()):
            return Warning.YELLOW
        return Warning.NONE


def schedule(
    config: SlaConfig, policy: Policy, area: AreaClass, channel: str, clock: ClockState
) -> Schedule:
    out = []
    for rule in policy.milestones:
        start = clock.anchors.get(rule.anchor)
        due = yellow = None
        if start is not None:
            limit = rule.limit_minutes(area)
            due = add_business_minutes(start, limit, rule.clock, clock.pauses)
            yellow = add_business_minutes(start, limit * config.yellow_share, rule.clock, clock.pauses)
            cap = config.channel_limit(channel, rule.name)
            if cap is not None:
                capped = add_business_minutes(start, cap.minutes, cap.clock, clock.pauses)
                if capped is not None and (due is None or capped < due):
                    due = capped
                    yellow = add_business_minutes(start, cap.minutes * config.yellow_share, cap.clock,
                                                  clock.pauses)
        out.append(MilestoneStatus(rule.name, start, due, yellow, clock.done.get(rule.name)))
    return Schedule(tuple(out))


def record_action(policy: Policy, clock: ClockState, action: str, at: datetime) -> None:
    """Update the clock facts for an accepted action (anchors, completions, pauses)."""
    if action == Action.SUSPEND:
        clock.pauses.append((at, None))
        return
    if action == Action.RESUME:
        if clock.pauses and clock.pauses[-1][1] is None:
            clock.pauses[-1] = (clock.pauses[-1][0], at)
        return
    if action in (Action.REOPEN, "rehandle"):
        # Re-handling starts the handling clocks again from now; dispatch is already done.
        clock.anchors = {RECEIVED_ANCHOR: at}
        clock.done = {k: v for k, v in clock.done.items() if _completed_by(policy, k) == {Action.DISPATCH}}
        return
    if action == Action.RETURN:
        # A reply sent back reopens what the reply had met; original deadlines stay.
        for name in [k for k in clock.done if _completed_by(policy, k) & {"resolve", "review", "callback"}]:
            del clock.done[name]
        for anchor in ("resolve", "review"):
            clock.anchors.pop(anchor, None)
        return
    clock.anchors.setdefault(action, at)
    for rule in policy.milestones:
        if action in rule.completed_by and rule.name not in clock.done and rule.anchor in clock.anchors:
            clock.done[rule.name] = at


def _completed_by(policy: Policy, milestone: str) -> set[str]:
    for rule in policy.milestones:
        if rule.name == milestone:
            return set(rule.completed_by)
    return set()


def milestone_names(policies: Iterable[Policy]) -> list[str]:
    seen: dict[str, None] = {}
    for p in policies:
        for m in p.milestones:
            seen.setdefault(m.name)
    return list(seen)
