"""The closed loop of an appeal as a pure state machine.

No I/O here: `apply` takes the appeal's lifecycle facts and a command and returns the new facts
plus the one event to record, or raises `IllegalAction` with a reason a user can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from gridvoice.domain.taxonomy import BusinessType


class Status(StrEnum):
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    ARRIVED = "arrived"
    RESOLVED = "resolved"
    REVIEWED = "reviewed"
    CALLED_BACK = "called_back"
    ARCHIVED = "archived"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class Action(StrEnum):
    DISPATCH = "dispatch"
    RECEIVE = "receive"
    ARRIVE = "arrive"
    RESOLVE = "resolve"
    RETURN = "return"
    REVIEW = "review"
    CALLBACK = "callback"
    REOPEN = "reopen"
    URGE = "urge"
    ESCALATE = "escalate"
    SUSPEND = "suspend"
    RESUME = "resume"
    CANCEL = "cancel"
    ARCHIVE = "archive"
    # extension of interfaces.md: manual re-route to another department / territory with a reason
    REROUTE = "reroute"


class Verdict(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


TERMINAL = frozenset({Status.ARCHIVED, Status.CANCELLED})
# Statuses in which the appeal still needs work from someone (supervision, duplicates, SLA).
OPEN = frozenset({Status.ACCEPTED, Status.DISPATCHED, Status.RECEIVED, Status.ARRIVED, Status.SUSPENDED})
# Handling statuses that may be paused for a customer-caused delay.
SUSPENDABLE = frozenset({Status.DISPATCHED, Status.RECEIVED, Status.ARRIVED})
# Types an agent may answer on first contact (一次办结) without dispatching.
FIRST_CONTACT_TYPES = frozenset({BusinessType.INQUIRY, BusinessType.PRAISE, BusinessType.OPINION})
# Actions that are recorded and counted but never change the status.
COUNTED_ONLY = frozenset({Action.URGE, Action.ESCALATE})
# Actions that need a written reason (note) because someone will be held to account for them.
NEEDS_REASON = frozenset({Action.SUSPEND, Action.CANCEL, Action.RETURN, Action.REOPEN, Action.REROUTE})

STATUS_ZH: dict[Status, str] = {
    Status.ACCEPTED: "已受理", Status.DISPATCHED: "已派单", Status.RECEIVED: "已接单", Status.ARRIVED: "已到达现场",
    Status.RESOLVED: "已办结", Status.REVIEWED: "已审核", Status.CALLED_BACK: "已回访", Status.ARCHIVED: "已归档",
    Status.SUSPENDED: "已挂起", Status.CANCELLED: "已撤销",
}


class IllegalAction(Exception):
    """The action is not allowed now; `reason` says why in words a user understands."""

    def __init__(self, action: str, status: str, reason: str) -> None:
        super().__init__(f"action '{action}' refused in status '{status}': {reason}")
        self.action = action
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class LifecycleState:
    """What the state machine needs to know about an appeal."""

    status: Status
    business_type: BusinessType
    callback_required: bool = True
    status_before_suspend: Status | None = None
    urge_count: int = 0
    escalate_count: int = 0
    rehandle_count: int = 0
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Command:
    action: Action
    note: str = ""
    verdict: Verdict | None = None
    duplicate_of: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    before: LifecycleState
    after: LifecycleState
    command: Command

    @property
    def status_changed(self) -> bool:
        return self.before.status != self.after.status


def _resolve_sources(state: LifecycleState) -> frozenset[Status]:
    if state.business_type == BusinessType.REPAIR:
        return frozenset({Status.ARRIVED})
    sources = {Status.RECEIVED, Status.ARRIVED}
    if state.business_type in FIRST_CONTACT_TYPES:
        sources.add(Status.ACCEPTED)
    return frozenset(sources)


def _target(state: LifecycleState, cmd: Command) -> Status:
    """Return the next status or raise IllegalAction; the heart of the machine."""
    s, a = state.status, cmd.action

    def refuse(reason: str) -> IllegalAction:
        return IllegalAction(a.value, s.value, reason)

    if s in TERMINAL and a != Action.REOPEN:
        raise refuse("工单已归档或撤销，不能再操作 (appeal is closed)")
    if a in NEEDS_REASON and not cmd.note.strip():
        raise refuse("此操作必须填写原因 (a reason in 'note' is required)")
    if a in COUNTED_ONLY:
        return s
    if s == Status.SUSPENDED and a not in {Action.RESUME, Action.CANCEL}:
        raise refuse("工单已挂起，请先恢复 (appeal is suspended; resume it first)")

    match a:
        case Action.DISPATCH:
            if s != Status.ACCEPTED:
                raise refuse("只有已受理的工单可以派单 (only accepted appeals can be dispatched)")
            return Status.DISPATCHED
        case Action.REROUTE:
            if s not in {Status.ACCEPTED, Status.DISPATCHED, Status.RECEIVED}:
                raise refuse("只有未处理完的工单可以改派 (only appeals not yet handled can be re-routed)")
            return Status.ACCEPTED if s == Status.ACCEPTED else Status.DISPATCHED
        case Action.RECEIVE:
            if s != Status.DISPATCHED:
                raise refuse("只有已派单的工单可以接单 (only dispatched appeals can be received)")
            return Status.RECEIVED
        case Action.ARRIVE:
            if state.business_type != BusinessType.REPAIR:
                raise refuse("只有故障报修工单需要到达现场 (only repairs record arrival)")
            if s != Status.RECEIVED:
                raise refuse("接单后才能到达现场 (receive the repair before arriving)")
            return Status.ARRIVED
        case Action.RESOLVE:
            if s not in _resolve_sources(state):
                if state.business_type == BusinessType.REPAIR and s == Status.RECEIVED:
                    raise refuse("抢修工单须先到达现场 (a repair must record arrival first)")
                raise refuse("当前状态不能办结 (cannot resolve in this status)")
            return Status.RESOLVED
        case Action.RETURN:
            # 退单: a reply sent back to the handler, or a mis-routed order back to the center.
            if s in {Status.RESOLVED, Status.REVIEWED}:
                # a repair's crew is already on site: the work goes back to them, arrival stays recorded
                return Status.ARRIVED if state.business_type == BusinessType.REPAIR else Status.RECEIVED
            if s in {Status.DISPATCHED, Status.RECEIVED}:
                return Status.ACCEPTED
            raise refuse("当前状态不能退单 (nothing to return in this status)")
        case Action.REVIEW:
            if s != Status.RESOLVED:
                raise refuse("只有已办结的工单可以审核 (only resolved appeals can be reviewed)")
            return Status.REVIEWED
        case Action.CALLBACK:
            if cmd.verdict is None:
                raise refuse("回访必须填写客户评价 (verdict is required)")
            if s not in {Status.RESOLVED, Status.REVIEWED}:
                raise refuse("办结后才能回访 (callback only after resolution)")
            return Status.DISPATCHED if cmd.verdict == Verdict.DISSATISFIED else Status.CALLED_BACK
        case Action.REOPEN:
            if s not in {Status.CALLED_BACK, Status.ARCHIVED, Status.RESOLVED, Status.REVIEWED}:
                raise refuse("只有已办结的工单可以重新处理 (only finished appeals can be reopened)")
            return Status.DISPATCHED
        case Action.SUSPEND:
            if s not in SUSPENDABLE:
                raise refuse("只有处理中的工单可以挂起 (only appeals being handled can be suspended)")
            return Status.SUSPENDED
        case Action.RESUME:
            if s != Status.SUSPENDED:
                raise refuse("工单未挂起 (appeal is not suspended)")
            assert state.status_before_suspend is not None
            return state.status_before_suspend
        case Action.CANCEL:
            if s not in OPEN:
                raise refuse("已办结的工单不能撤销 (only open appeals can be cancelled)")
            return Status.CANCELLED
        case Action.ARCHIVE:
            if s == Status.CALLED_BACK:
                return Status.ARCHIVED
            if s in {Status.RESOLVED, Status.REVIEWED} and not state.callback_required:
                return Status.ARCHIVED
            raise refuse("回访后才能归档 (archive after the callback)")
    raise refuse("未知操作 (unknown action)")  # pragma: no cover - Action is closed


def apply(state: LifecycleState, cmd: Command) -> Transition:
    """Apply one command; raise IllegalAction and change nothing when it is not allowed."""
    target = _target(state, cmd)
    after = replace(state, status=target)
    match cmd.action:
        case Action.URGE:
            after = replace(after, urge_count=state.urge_count + 1)
        case Action.ESCALATE:
            after = replace(after, escalate_count=state.escalate_count + 1)
        case Action.SUSPEND:
            after = replace(after, status_before_suspend=state.status)
        case Action.RESUME:
            after = replace(after, status_before_suspend=None)
        case Action.CALLBACK:
            rehandle = cmd.verdict == Verdict.DISSATISFIED
            after = replace(after, verdict=cmd.verdict, rehandle_count=state.rehandle_count + int(rehandle))
        case Action.REOPEN:
            after = replace(after, rehandle_count=state.rehandle_count + 1, verdict=None)
        case _:
            pass
    return Transition(before=state, after=after, command=cmd)


def allowed_actions(state: LifecycleState) -> list[Action]:
    """Actions that `apply` would accept now (given a note and a verdict where needed)."""
    return list(_allowed(state))


@lru_cache(maxsize=4096)
def _allowed(state: LifecycleState) -> tuple[Action, ...]:
    # every answer of every appeal shows its actions: a few hundred distinct states, each tried once
    result = []
    for action in Action:
        cmd = Command(action=action, note="x", verdict=Verdict.SATISFIED)
        try:
            _target(state, cmd)
        except IllegalAction:
            continue
        result.append(action)
    return tuple(result)


def is_open(status: Status | str) -> bool:
    return Status(status) in OPEN
