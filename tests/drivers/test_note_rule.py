"""The one note rule (drivers/bill/notes.py), tested once as a pure machine and run for each
protocol through that protocol's own tables: its status → observation table (what a CCNET
POLL state, an ID-003 status, an SSP poll event means) and its note keys and values (a CCNET
bill type, an ID-003 escrow code, an SSP channel). No link, no device, no listener: the
tests feed observations and read the actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bill.base import (
    Decision,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Returned,
    Stacked,
)
from drivers.bill.ccnet import codes as ccnet_codes
from drivers.bill.ccnet import notes as ccnet_notes
from drivers.bill.ccnet.protocol import PollStatus
from drivers.bill.ccnet.records import BillType
from drivers.bill.id003 import codes as id003_codes
from drivers.bill.id003 import notes as id003_notes
from drivers.bill.id003.protocol import Denomination, Id003Status
from drivers.bill.notes import (
    Ack,
    Action,
    Answer,
    Ask,
    Deliver,
    LineLost,
    ListenerFailed,
    NoteRule,
    NoValue,
    Observation,
    Reinitialize,
    Report,
    Reports,
    SendReturn,
    SendStack,
    StackCancelled,
    WithholdAck,
)
from drivers.bill.ssp import notes as ssp_notes
from drivers.bill.ssp.codes import Event

AMOUNTS = (100_000, 200_000, 500_000)  # tiyn of bill types 0, 1, 2


@dataclass(frozen=True)
class Protocol:
    """One protocol as the rule sees it: its tables, and what its reports look like."""

    name: str
    make_rule: Callable[[], NoteRule]
    key: Callable[[int], int]  # bill type index → the protocol's note key
    escrow: Callable[[int], Observation]
    stacked: Callable[[int], Observation]
    returned: Callable[[int], Observation]
    at_rest: Observation  # a report that ends a note's path
    power_up_with_note: Observation
    held: Observation | None  # the device keeps the escrow (HOLDING); SSP has none

    @property
    def states(self) -> bool:
        return self.make_rule().reports is Reports.STATES


def _ccnet_rule() -> NoteRule:
    tracker = ccnet_notes.NoteTracker()
    tracker.bill_types = tuple(BillType(i, a, "KAZ") for i, a in enumerate(AMOUNTS))
    return tracker.rule


def _id003_rule() -> NoteRule:
    tracker = id003_notes.NoteTracker()
    tracker.denominations = tuple(Denomination(0x61 + i, a, 0) for i, a in enumerate(AMOUNTS))
    return tracker.rule


def _ssp_rule() -> NoteRule:
    tracker = ssp_notes.NoteTracker()
    tracker.amounts = AMOUNTS
    return tracker.rule


def _ccnet(code: int, detail: int | None = None) -> Observation:
    return ccnet_notes.observe(PollStatus(code, detail))


def _id003(code: int, detail: int | None = None) -> Observation:
    return id003_notes.observe(Id003Status(code, detail))


def _ssp(code: int, channel: int = 0) -> Observation:
    return ssp_notes.OBSERVE[code](channel)


CS, IS = ccnet_codes.Status, id003_codes.Status
PROTOCOLS = (
    Protocol(
        "ccnet",
        _ccnet_rule,
        key=lambda bt: bt,
        escrow=lambda bt: _ccnet(CS.ESCROW, bt),
        stacked=lambda bt: _ccnet(CS.STACKED, bt),
        returned=lambda bt: _ccnet(CS.RETURNED, bt),
        at_rest=_ccnet(CS.IDLING),
        power_up_with_note=_ccnet(CS.POWER_UP_BILL_IN_STACKER),
        held=_ccnet(CS.HOLDING),
    ),
    Protocol(
        "id003",
        _id003_rule,
        key=lambda bt: 0x61 + bt,
        escrow=lambda bt: _id003(IS.ESCROW, 0x61 + bt),
        stacked=lambda bt: _id003(IS.VEND_VALID),  # Vend Valid names no note
        returned=lambda bt: _id003(IS.RETURNING),
        at_rest=_id003(IS.IDLING),
        power_up_with_note=_id003(IS.POWER_UP_BILL_IN_STACKER),
        held=_id003(IS.HOLDING),
    ),
    Protocol(
        "ssp",
        _ssp_rule,
        key=lambda bt: bt + 1,
        escrow=lambda bt: _ssp(Event.READ, bt + 1),
        stacked=lambda bt: _ssp(Event.CREDIT, bt + 1),
        returned=lambda bt: _ssp(Event.CLEARED_FROM_FRONT, bt + 1),
        at_rest=_ssp(Event.FRAUD_ATTEMPT),
        power_up_with_note=_ssp(Event.SLAVE_RESET),
        held=None,
    ),
)


@pytest.fixture(params=PROTOCOLS, ids=lambda p: p.name)
def protocol(request: pytest.FixtureRequest) -> Protocol:
    proto: Protocol = request.param
    return proto


def _stacked_in(rule: NoteRule, proto: Protocol, bill_type: int = 1) -> None:
    """An escrow of ``bill_type`` the listener decided STACK."""
    assert rule.feed(proto.escrow(bill_type)) == (Ask(Escrow(AMOUNTS[bill_type], bill_type)),)
    assert rule.feed(Answer(Decision.STACK)) == (SendStack(proto.key(bill_type)),)


# ----- write before acknowledge ------------------------------------------------------------
def test_a_stacked_note_is_acknowledged_only_after_the_listener_returned(
    protocol: Protocol,
) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    assert rule.feed(protocol.stacked(1)) == (Ask(Stacked(200_000, 1)),)
    assert rule.awaiting  # no Ack among the actions until the answer comes
    assert rule.feed(Answer()) == (Ack(Report.STACKED),)
    assert rule.pending_stack is None


def test_a_listener_that_raises_on_stacked_gets_no_ack_and_the_repeat_is_delivered_again(
    protocol: Protocol,
) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    assert rule.feed(protocol.stacked(1)) == (Ask(Stacked(200_000, 1)),)
    assert rule.feed(ListenerFailed()) == (WithholdAck(Report.STACKED),)
    # Not committed: the device repeats the report, and it is still the host's own note.
    assert rule.feed(protocol.stacked(1)) == (Ask(Stacked(200_000, 1)),)
    assert rule.feed(Answer()) == (Ack(Report.STACKED),)


def test_an_answer_nobody_asked_for_does_nothing(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    assert rule.feed(Answer()) == ()
    _stacked_in(rule, protocol)
    rule.feed(protocol.stacked(1))
    rule.feed(Answer())
    assert rule.feed(Answer()) == ()  # answered once, acknowledged once


def test_a_report_before_the_answer_drops_the_question_unacknowledged(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    rule.feed(protocol.stacked(1))
    rule.feed(protocol.at_rest)
    assert rule.feed(Answer()) == ()


# ----- escrow decisions ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "answer",
    [Answer(Decision.RETURN), Answer(None), ListenerFailed()],
    ids=["return", "none", "raised"],
)
def test_an_escrow_is_returned_unless_the_listener_says_stack(
    protocol: Protocol, answer: Observation
) -> None:
    rule = protocol.make_rule()
    assert rule.feed(protocol.escrow(2)) == (Ask(Escrow(500_000, 2)),)
    assert rule.feed(answer) == (SendReturn(protocol.key(2)),)
    assert rule.pending_stack is None and rule.escrow == protocol.key(2)


def test_an_escrow_of_no_known_value_is_returned_without_asking(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    unknown = len(AMOUNTS) + 4
    assert rule.feed(protocol.escrow(unknown)) == (
        NoValue(protocol.key(unknown)),
        SendReturn(protocol.key(unknown)),
    )


def test_the_same_escrow_is_decided_once(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol, 0)
    again = rule.feed(protocol.escrow(0))
    # A lasting escrow state waits for the decision again; an SSP note was let through.
    assert again == ((SendStack(protocol.key(0)),) if protocol.states else ())
    if protocol.held is not None:
        assert rule.feed(protocol.held) == (SendStack(protocol.key(0)),)


def test_an_escrow_after_a_lost_line_is_asked_anew_but_an_ordered_stack_stays_ours(
    protocol: Protocol,
) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol, 0)
    rule.feed(LineLost())
    assert rule.pending_stack == protocol.key(0)
    assert rule.feed(protocol.stacked(0)) == (Ask(Stacked(100_000, 0)),)
    rule = protocol.make_rule()
    _stacked_in(rule, protocol, 0)
    rule.feed(LineLost())
    assert rule.feed(protocol.escrow(0)) == (Ask(Escrow(100_000, 0)),)


def test_a_refused_stack_makes_the_next_stacked_report_not_ours(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    rule.feed(StackCancelled())
    (ask,) = rule.feed(protocol.stacked(1))
    assert isinstance(ask, Ask) and isinstance(ask.event, DuplicateStacked)


# ----- duplicate stacked --------------------------------------------------------------------
def test_a_stacked_report_without_our_stack_is_a_duplicate(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    (ask,) = rule.feed(protocol.stacked(1))
    if protocol.name == "id003":  # nothing names the note: the core resolves it
        assert ask == Ask(DuplicateStacked(0, -1, repeat=False))
    else:
        assert ask == Ask(DuplicateStacked(200_000, 1, repeat=False))
    assert rule.feed(Answer()) == (Ack(Report.STACKED),)  # acknowledged once taken


def test_a_repeated_stacked_report_after_a_lost_ack_is_a_repeat(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    rule.feed(protocol.stacked(1))
    rule.feed(Answer())
    assert rule.feed(protocol.stacked(1)) == (Ask(DuplicateStacked(200_000, 1, repeat=True)),)
    assert rule.feed(Answer()) == (Ack(Report.STACKED),)


def test_a_new_note_read_ends_the_repeat(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    rule.feed(protocol.stacked(1))
    rule.feed(Answer())
    rule.feed(protocol.escrow(0))
    rule.feed(Answer(Decision.RETURN))
    (ask,) = rule.feed(protocol.stacked(1))
    assert isinstance(ask, Ask) and ask.event == DuplicateStacked(
        *((100_000, 0) if protocol.name == "id003" else (200_000, 1)), repeat=False
    )


# ----- the end of a note's path ---------------------------------------------------------------
def test_a_path_end_voids_the_pending_stack(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    rule.feed(protocol.at_rest)
    assert rule.pending_stack is None and rule.escrow is None
    (ask,) = rule.feed(protocol.stacked(1))
    assert isinstance(ask, Ask) and isinstance(ask.event, DuplicateStacked)


def test_a_returned_note_is_told_and_voids_the_pending_stack(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    actions = rule.feed(protocol.returned(1))
    assert rule.pending_stack is None
    if protocol.states:  # a lasting report: told once, then acknowledged
        assert actions == (Ask(Returned(200_000, 1)),)
        assert rule.feed(Answer()) == (Ack(Report.RETURNED),)
        assert rule.feed(protocol.returned(1)) == (Ack(Report.RETURNED),)
    else:  # an SSP event, told after the reply
        assert actions == (Deliver(Returned(200_000, 1)),)


# ----- power-up with a note in the path -------------------------------------------------------
def test_a_power_up_is_told_before_the_device_is_initialised_again(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    (ask,) = rule.feed(protocol.power_up_with_note)
    expected = PowerUp() if protocol.name == "ssp" else PowerUp(bill_in_stacker=True)
    assert ask == Ask(expected)
    assert rule.feed(ListenerFailed()) == (WithholdAck(Report.POWER_UP),)  # no RESET yet
    assert rule.feed(protocol.power_up_with_note) == (Ask(expected),)  # asked again
    assert rule.feed(Answer()) == (Reinitialize(), Ack(Report.POWER_UP))
    if protocol.states:  # the lasting power-up state is told once
        assert rule.feed(protocol.power_up_with_note) == ()


def test_a_power_up_after_our_stack(protocol: Protocol) -> None:
    rule = protocol.make_rule()
    _stacked_in(rule, protocol)
    rule.feed(protocol.power_up_with_note)
    rule.feed(Answer())
    if protocol.states:
        # CCNET/ID-003: the core resolves the note in the stacker from its own STACK record.
        assert rule.pending_stack is None
    else:
        # SSP: the unit reports that note by CLEARED INTO CASHBOX next: still ours.
        assert rule.pending_stack == protocol.key(1)
        assert rule.feed(_ssp(Event.CLEARED_INTO_CASHBOX, 2)) == (Ask(Stacked(200_000, 1)),)


# ----- the property: never an Ack for a stacked note before its delivery was answered ---------
def _observations(proto: Protocol) -> st.SearchStrategy[Observation]:
    notes = st.integers(min_value=0, max_value=len(AMOUNTS))  # the last one has no value
    reports = [
        notes.map(proto.escrow),
        notes.map(proto.stacked),
        notes.map(proto.returned),
        st.just(proto.at_rest),
        st.just(proto.power_up_with_note),
        st.sampled_from(
            [
                Answer(Decision.STACK),
                Answer(Decision.RETURN),
                Answer(None),
                ListenerFailed(),
                LineLost(),
                StackCancelled(),
            ]
        ),
    ]
    if proto.held is not None:
        reports.append(st.just(proto.held))
    return st.one_of(reports)


@pytest.mark.parametrize("proto", PROTOCOLS, ids=lambda p: p.name)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_no_stacked_note_is_acknowledged_before_its_delivery_was_answered(
    proto: Protocol, data: st.DataObject
) -> None:
    rule = proto.make_rule()
    observations = data.draw(st.lists(_observations(proto), max_size=40))
    open_stacked = False  # a Stacked/DuplicateStacked delivery waits for its answer
    for observation in observations:
        actions: tuple[Action, ...] = rule.feed(observation)
        answered = open_stacked and isinstance(observation, Answer)
        open_stacked = False  # answered, failed, or dropped by a new report
        for action in actions:
            if isinstance(action, Ack) and action.report is Report.STACKED:
                assert answered, (observations, observation, actions)
            if isinstance(action, Ask):
                open_stacked = isinstance(action.event, Stacked | DuplicateStacked)
