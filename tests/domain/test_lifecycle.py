"""The appeal state machine (`gridvoice.domain.lifecycle`) against the rules of the issue.

The random-sequence tests compare `apply` with an oracle written from the issue text, not from the code:
"repairs go through arrived; an inquiry answered on first contact may go straight to resolved; return sends a
reply back to the handler (退单); a dissatisfied callback reopens the appeal for handling and counts as a
re-handling; urge and escalate are recorded and counted without changing status; suspend/resume pause the SLA
clock with a reason; cancel for duplicates (linked to the kept appeal). Illegal actions are refused with the
reason."
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gridvoice.domain.lifecycle import (
    NEEDS_REASON,
    Action,
    Command,
    IllegalAction,
    LifecycleState,
    Status,
    Transition,
    allowed_actions,
    apply,
    is_open,
)
from gridvoice.domain.taxonomy import BusinessType

A, S, V = Action, Status, None  # short names for the tables below
FIRST_CONTACT = {BusinessType.INQUIRY, BusinessType.PRAISE, BusinessType.OPINION}
REASON = "客户要求 (customer asked)"


# ------------------------------------------------------------------------------------------------ oracle

def oracle(state: LifecycleState, cmd: Command) -> Status | None:
    """The status the rules allow after `cmd`, or None when the action must be refused."""
    s, a = state.status, cmd.action
    has_reason = bool(cmd.note.strip())
    if s == S.CANCELLED:
        return None
    if s == S.ARCHIVED:
        return S.DISPATCHED if a == A.REOPEN and has_reason else None
    if a in {A.SUSPEND, A.CANCEL, A.RETURN, A.REOPEN, A.REROUTE} and not has_reason:
        return None
    if a in {A.URGE, A.ESCALATE}:
        return s
    if s == S.SUSPENDED:
        if a == A.RESUME:
            return state.status_before_suspend
        if a == A.CANCEL:
            return S.CANCELLED
        return None
    repair = state.business_type == BusinessType.REPAIR
    if a == A.DISPATCH:
        return S.DISPATCHED if s == S.ACCEPTED else None
    if a == A.RECEIVE:
        return S.RECEIVED if s == S.DISPATCHED else None
    if a == A.ARRIVE:
        return S.ARRIVED if repair and s == S.RECEIVED else None
    if a == A.RESOLVE:
        if repair:
            return S.RESOLVED if s == S.ARRIVED else None
        if s in {S.RECEIVED, S.ARRIVED}:
            return S.RESOLVED
        if s == S.ACCEPTED and state.business_type in FIRST_CONTACT:
            return S.RESOLVED
        return None
    if a == A.RETURN:
        if s in {S.RESOLVED, S.REVIEWED}:
            # the reply goes back to the handler; a repair crew's arrival stays recorded
            return S.ARRIVED if state.business_type == BusinessType.REPAIR else S.RECEIVED
        if s in {S.DISPATCHED, S.RECEIVED}:
            return S.ACCEPTED  # a mis-routed order goes back to the center
        return None
    if a == A.REVIEW:
        return S.REVIEWED if s == S.RESOLVED else None
    if a == A.CALLBACK:
        if cmd.verdict is None or s not in {S.RESOLVED, S.REVIEWED}:
            return None
        return S.DISPATCHED if cmd.verdict == "dissatisfied" else S.CALLED_BACK
    if a == A.REOPEN:
        return S.DISPATCHED if s in {S.RESOLVED, S.REVIEWED, S.CALLED_BACK} else None
    if a == A.SUSPEND:
        return S.SUSPENDED if s in {S.DISPATCHED, S.RECEIVED, S.ARRIVED} else None
    if a == A.RESUME:
        return None  # not suspended
    if a == A.CANCEL:
        return S.CANCELLED if s in {S.ACCEPTED, S.DISPATCHED, S.RECEIVED, S.ARRIVED} else None
    if a == A.ARCHIVE:
        if s == S.CALLED_BACK:
            return S.ARCHIVED
        if s in {S.RESOLVED, S.REVIEWED} and not state.callback_required:
            return S.ARCHIVED
        return None
    if a == A.REROUTE:
        if s == S.ACCEPTED:
            return S.ACCEPTED
        return S.DISPATCHED if s in {S.DISPATCHED, S.RECEIVED} else None
    raise AssertionError(f"oracle misses {a}")


def check_step(state: LifecycleState, cmd: Command) -> LifecycleState:
    """Apply `cmd`, check everything the rules say about the outcome, return the next state."""
    expected = oracle(state, cmd)
    if expected is None:
        snapshot = replace(state)
        with pytest.raises(IllegalAction) as info:
            apply(state, cmd)
        exc = info.value
        assert exc.reason.strip(), "a refusal must say why"
        assert exc.action == cmd.action.value and exc.status == state.status.value
        assert exc.reason in str(exc)
        assert state == snapshot, "a refused action must change nothing"
        return state

    transition = apply(state, cmd)
    assert isinstance(transition, Transition), "one accepted action yields exactly one transition (one event)"
    assert transition.before == state and transition.command is cmd
    after = transition.after
    assert isinstance(after.status, Status)
    assert after.status == expected, f"{cmd.action} from {state.status}: got {after.status}, rules say {expected}"
    assert transition.status_changed == (expected != state.status)
    assert after.business_type == state.business_type and after.callback_required == state.callback_required

    # counters
    dissatisfied = cmd.action == A.CALLBACK and cmd.verdict == "dissatisfied"
    assert after.urge_count == state.urge_count + (cmd.action == A.URGE)
    assert after.escalate_count == state.escalate_count + (cmd.action == A.ESCALATE)
    assert after.rehandle_count == state.rehandle_count + (cmd.action == A.REOPEN or dissatisfied)
    if cmd.action == A.CALLBACK:
        assert after.verdict == cmd.verdict
    elif cmd.action == A.REOPEN:
        assert after.verdict is None
    else:
        assert after.verdict == state.verdict

    # the suspension memory
    if cmd.action == A.SUSPEND:
        assert after.status_before_suspend == state.status
    elif cmd.action == A.RESUME:
        assert after.status_before_suspend is None
        assert after.status == state.status_before_suspend
    elif after.status == S.SUSPENDED:
        assert after.status_before_suspend == state.status_before_suspend
    return after


# ------------------------------------------------------------------------------------------------ random walks

verdicts = st.sampled_from([None, "satisfied", "basically_satisfied", "dissatisfied"])
notes = st.sampled_from(["", "   ", REASON])


def _command(action: Action, verdict: str | None, note: str) -> Command:
    from gridvoice.domain.lifecycle import Verdict

    return Command(action=action, note=note, verdict=Verdict(verdict) if verdict else None)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    business_type=st.sampled_from(list(BusinessType)),
    callback_required=st.booleans(),
    data=st.data(),
)
def test_random_action_sequences_follow_the_rules(business_type, callback_required, data):
    """Random (action, verdict, note) sequences; half the picks come from `allowed_actions` to walk deep."""
    state = LifecycleState(status=S.ACCEPTED, business_type=business_type, callback_required=callback_required)
    steps = data.draw(st.integers(min_value=1, max_value=30), label="steps")
    for _ in range(steps):
        allowed = allowed_actions(state)
        if allowed and data.draw(st.booleans(), label="follow allowed"):
            action = data.draw(st.sampled_from(allowed), label="allowed action")
        else:
            action = data.draw(st.sampled_from(list(Action)), label="any action")
        cmd = _command(action, data.draw(verdicts, label="verdict"), data.draw(notes, label="note"))
        state = check_step(state, cmd)
        assert isinstance(state.status, Status)


@settings(max_examples=150, deadline=None)
@given(
    business_type=st.sampled_from(list(BusinessType)),
    seq=st.lists(st.tuples(st.sampled_from(list(Action)), verdicts, notes), max_size=25),
)
def test_blind_action_lists_follow_the_rules(business_type, seq):
    """Plain `lists of (action, verdict, note)`: mostly refusals, which must change nothing."""
    state = LifecycleState(status=S.ACCEPTED, business_type=business_type)
    for action, verdict, note in seq:
        state = check_step(state, _command(action, verdict, note))


class LifecycleMachine(RuleBasedStateMachine):
    """Stateful view: counters only ever grow as the rules say, whatever happens."""

    @initialize(business_type=st.sampled_from(list(BusinessType)), callback_required=st.booleans())
    def start(self, business_type, callback_required):
        self.state = LifecycleState(S.ACCEPTED, business_type, callback_required)
        self.urges = self.escalations = self.rehandles = 0
        self.events = 0

    @rule(action=st.sampled_from(list(Action)), verdict=verdicts, note=notes)
    def act(self, action, verdict, note):
        cmd = _command(action, verdict, note)
        before = self.state
        self.state = check_step(self.state, cmd)
        if oracle(before, cmd) is not None:
            self.events += 1
            self.urges += action == A.URGE
            self.escalations += action == A.ESCALATE
            self.rehandles += action == A.REOPEN or (action == A.CALLBACK and verdict == "dissatisfied")

    @invariant()
    def counters_match_history(self):
        if not hasattr(self, "state"):
            return
        assert (self.state.urge_count, self.state.escalate_count, self.state.rehandle_count) == (
            self.urges, self.escalations, self.rehandles)
        assert (self.state.status == S.SUSPENDED) == (self.state.status_before_suspend is not None) or \
            self.state.status == S.CANCELLED

    @invariant()
    def allowed_matches_apply(self):
        if hasattr(self, "state"):
            assert_allowed_agrees_with_apply(self.state)


TestLifecycleMachine = LifecycleMachine.TestCase
TestLifecycleMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)


# ------------------------------------------------------------------------------------------------ allowed_actions

def assert_allowed_agrees_with_apply(state: LifecycleState) -> None:
    allowed = set(allowed_actions(state))
    for action in Action:
        accepted = set()
        for verdict in ("satisfied", "basically_satisfied", "dissatisfied"):
            try:
                apply(state, _command(action, verdict, REASON))
                accepted.add(verdict)
            except IllegalAction:
                pass
        if action in allowed:
            assert len(accepted) == 3, f"{action} listed as allowed in {state.status} but apply refuses it"
        else:
            assert not accepted, f"{action} accepted in {state.status} but not listed as allowed"


def reachable_states() -> dict[tuple[BusinessType, bool], set[LifecycleState]]:
    """Breadth-first search over every status reachable per business type (counters zeroed)."""
    out = {}
    for bt in BusinessType:
        for cb in (True, False):
            start = LifecycleState(S.ACCEPTED, bt, cb)
            seen, todo = {start}, deque([start])
            while todo:
                st_ = todo.popleft()
                for action in Action:
                    for verdict in ("satisfied", "dissatisfied"):
                        try:
                            nxt = apply(st_, _command(action, verdict, REASON)).after
                        except IllegalAction:
                            continue
                        nxt = replace(nxt, urge_count=0, escalate_count=0, rehandle_count=0, verdict=None)
                        if nxt not in seen:
                            seen.add(nxt)
                            todo.append(nxt)
            out[(bt, cb)] = seen
    return out


REACHABLE = reachable_states()


@pytest.mark.parametrize("key", list(REACHABLE), ids=[f"{bt.value}-callback{int(cb)}" for bt, cb in REACHABLE])
def test_allowed_actions_agree_with_apply_in_every_reachable_state(key):
    for state in REACHABLE[key]:
        assert_allowed_agrees_with_apply(state)
        for action in Action:
            cmd = _command(action, "satisfied", REASON)
            check_step(state, cmd)


@pytest.mark.parametrize("bt", list(BusinessType))
def test_every_status_is_reachable_and_arrived_only_for_repairs(bt):
    statuses = {s.status for s in REACHABLE[(bt, True)]}
    expected = set(Status) if bt == BusinessType.REPAIR else set(Status) - {S.ARRIVED}
    assert statuses == expected


# ------------------------------------------------------------------------------------------------ named rules

def walk(bt: BusinessType, *actions: str | tuple[str, str], callback_required: bool = True) -> LifecycleState:
    state = LifecycleState(S.ACCEPTED, bt, callback_required)
    for item in actions:
        action, verdict = (item, "satisfied") if isinstance(item, str) else item
        state = apply(state, _command(Action(action), verdict, REASON)).after
    return state


def refused(state: LifecycleState, action: str, note: str = REASON, verdict: str | None = "satisfied") -> str:
    with pytest.raises(IllegalAction) as info:
        apply(state, _command(Action(action), verdict, note))
    assert info.value.reason.strip()
    return info.value.reason


def test_repair_full_loop_goes_through_arrived():
    state = walk(BusinessType.REPAIR, "dispatch", "receive", "arrive", "resolve", "review", "callback", "archive")
    assert state.status == S.ARCHIVED
    assert allowed_actions(state) == [A.REOPEN]


def test_repair_cannot_resolve_before_arrive():
    received = walk(BusinessType.REPAIR, "dispatch", "receive")
    reason = refused(received, "resolve")
    assert "arriv" in reason or "到达" in reason
    assert A.RESOLVE not in allowed_actions(received)
    assert refused(walk(BusinessType.REPAIR), "resolve")  # nor from accepted (no first-contact repairs)


@pytest.mark.parametrize("bt", [b for b in BusinessType if b != BusinessType.REPAIR])
def test_only_repairs_record_arrival(bt):
    assert refused(walk(bt, "dispatch", "receive"), "arrive")


@pytest.mark.parametrize("bt", sorted(FIRST_CONTACT))
def test_first_contact_types_may_resolve_from_accepted(bt):
    assert apply(walk(bt), _command(A.RESOLVE, None, "")).after.status == S.RESOLVED


@pytest.mark.parametrize("bt", [BusinessType.COMPLAINT, BusinessType.REPORT, BusinessType.SERVICE_REQUEST,
                                BusinessType.URGE, BusinessType.REPAIR])
def test_other_types_cannot_resolve_from_accepted(bt):
    assert refused(walk(bt), "resolve")


@pytest.mark.parametrize("via", [("resolve",), ("resolve", "review")])
def test_return_sends_the_reply_back_to_the_handler(via):
    state = walk(BusinessType.COMPLAINT, "dispatch", "receive", *via)
    assert apply(state, _command(A.RETURN, None, REASON)).after.status == S.RECEIVED


def test_return_of_a_repair_reply_keeps_the_recorded_arrival():
    state = walk(BusinessType.REPAIR, "dispatch", "receive", "arrive", "resolve")
    after = apply(state, _command(A.RETURN, None, REASON)).after
    assert after.status == S.ARRIVED
    assert apply(after, _command(A.RESOLVE, None, "")).after.status == S.RESOLVED


def test_return_of_a_misrouted_order_goes_back_to_the_center():
    assert apply(walk(BusinessType.COMPLAINT, "dispatch"), _command(A.RETURN, None, REASON)).after.status == \
        S.ACCEPTED


def test_dissatisfied_callback_reopens_and_counts_a_rehandling():
    resolved = walk(BusinessType.COMPLAINT, "dispatch", "receive", "resolve", "review")
    after = apply(resolved, _command(A.CALLBACK, "dissatisfied", "")).after
    assert after.status == S.DISPATCHED
    assert after.rehandle_count == 1
    assert after.verdict == "dissatisfied"
    # handled again and then satisfied: the count stays, the verdict is replaced
    again = walk(BusinessType.COMPLAINT, "dispatch", "receive", "resolve", ("callback", "dissatisfied"),
                 "receive", "resolve", ("callback", "satisfied"))
    assert again.status == S.CALLED_BACK and again.rehandle_count == 1 and again.verdict == "satisfied"


@pytest.mark.parametrize("verdict", ["satisfied", "basically_satisfied"])
def test_satisfied_callbacks_close_the_handling(verdict):
    after = walk(BusinessType.INQUIRY, "resolve", ("callback", verdict))
    assert after.status == S.CALLED_BACK and after.rehandle_count == 0


def test_callback_needs_a_verdict():
    assert "verdict" in refused(walk(BusinessType.INQUIRY, "resolve"), "callback", verdict=None)


@pytest.mark.parametrize("action", [A.URGE, A.ESCALATE])
@pytest.mark.parametrize("path", [(), ("dispatch",), ("dispatch", "receive", "arrive"),
                                  ("dispatch", "receive", "suspend"),
                                  ("dispatch", "receive", "arrive", "resolve", "review", "callback")])
def test_urge_and_escalate_count_without_changing_status(action, path):
    state = walk(BusinessType.REPAIR, *path)
    for n in range(1, 4):
        t = apply(state, _command(action, None, ""))
        assert t.after.status == state.status and not t.status_changed
        state = t.after
        assert (state.urge_count if action == A.URGE else state.escalate_count) == n


@pytest.mark.parametrize("path", [("dispatch",), ("dispatch", "receive"), ("dispatch", "receive", "arrive")])
def test_suspend_then_resume_returns_to_the_status_before(path):
    state = walk(BusinessType.REPAIR, *path)
    suspended = apply(state, _command(A.SUSPEND, None, "客户不在家 (customer away)")).after
    assert suspended.status == S.SUSPENDED
    # while suspended only resume, cancel and the counted actions are possible
    assert set(allowed_actions(suspended)) == {A.RESUME, A.CANCEL, A.URGE, A.ESCALATE}
    resumed = apply(suspended, _command(A.RESUME, None, "")).after
    assert resumed.status == state.status
    assert resumed.status_before_suspend is None


@pytest.mark.parametrize("path", [(), ("dispatch", "receive", "arrive", "resolve")])
def test_only_appeals_in_handling_can_be_suspended(path):
    assert refused(walk(BusinessType.REPAIR, *path), "suspend")


@pytest.mark.parametrize("action", sorted(NEEDS_REASON))
@pytest.mark.parametrize("note", ["", "   \t"])
def test_actions_that_need_a_reason_are_refused_without_one(action, note):
    # a status in which the action would otherwise be accepted
    states = {
        A.SUSPEND: walk(BusinessType.COMPLAINT, "dispatch"),
        A.CANCEL: walk(BusinessType.COMPLAINT),
        A.RETURN: walk(BusinessType.COMPLAINT, "dispatch", "receive", "resolve"),
        A.REOPEN: walk(BusinessType.COMPLAINT, "dispatch", "receive", "resolve", "callback"),
        A.REROUTE: walk(BusinessType.COMPLAINT, "dispatch"),
    }
    state = states[action]
    assert action in allowed_actions(state)
    reason = refused(state, action.value, note=note)
    assert "note" in reason or "原因" in reason
    apply(state, _command(action, None, REASON))  # with a reason it is fine


def test_cancel_for_duplicates_closes_an_open_appeal():
    for path in [(), ("dispatch",), ("dispatch", "receive"), ("dispatch", "receive", "suspend")]:
        state = walk(BusinessType.REPAIR, *path)
        cmd = Command(A.CANCEL, note="重复工单 (duplicate)", duplicate_of=42)
        t = apply(state, cmd)
        assert t.after.status == S.CANCELLED and t.command.duplicate_of == 42
    assert refused(walk(BusinessType.INQUIRY, "resolve"), "cancel")


@pytest.mark.parametrize("terminal", ["archived", "cancelled"])
def test_closed_appeals_accept_nothing_but_reopen_of_archived(terminal):
    state = (walk(BusinessType.INQUIRY, "resolve", "callback", "archive") if terminal == "archived"
             else walk(BusinessType.INQUIRY, "cancel"))
    for action in Action:
        if action == A.REOPEN and terminal == "archived":
            after = apply(state, _command(action, None, REASON)).after
            assert after.status == S.DISPATCHED and after.rehandle_count == 1
            continue
        refused(state, action.value)
    assert allowed_actions(state) == ([A.REOPEN] if terminal == "archived" else [])
    assert not is_open(state.status)


def test_archive_needs_the_callback_unless_the_policy_waives_it():
    resolved = walk(BusinessType.COMPLAINT, "dispatch", "receive", "resolve")
    assert "callback" in refused(resolved, "archive") or "回访" in refused(resolved, "archive")
    praise = walk(BusinessType.PRAISE, "resolve", callback_required=False)
    assert apply(praise, _command(A.ARCHIVE, None, "")).after.status == S.ARCHIVED


def test_is_open_matches_the_statuses_that_need_work():
    assert {s for s in Status if is_open(s)} == {S.ACCEPTED, S.DISPATCHED, S.RECEIVED, S.ARRIVED, S.SUSPENDED}
    assert is_open("accepted") and not is_open("resolved")
