"""What SSP poll events mean for the notes and for the listener.

The money rules are the one note rule (drivers/bill/notes.py), for a protocol of one-off
events:
- ``READ`` with a channel puts a note in escrow: the listener decides once; STACK means "let
  the next poll accept it", RETURN means REJECT is sent before polling again.
- ``CREDIT`` (0xEE) after this driver let its escrow through is ``Stacked``; ``CLEARED INTO
  CASHBOX`` (0xE2, at power-up) for that channel too. Any other credit is
  ``DuplicateStacked`` (``repeat=True`` right after a delivered credit of the same channel
  with no new note read in between).
- Write before acknowledge: SSP acknowledges a reply by the next packet with the sequence
  flag toggled. If the listener raises on a money event (the rule's ``WithholdAck``), the
  driver stops there and sends the same packet again (same flag): the device repeats the
  reply and the remaining events, from the failed one on, are delivered again.

This module is SSP's adapter to that rule: ``OBSERVE`` turns a poll event into an
observation, and ``_perform`` does what the rule asks the SSP way (STACK: nothing, the next
poll accepts the note; RETURN: REJECT after the reply; ACK: go on to the next event). Which
note a REJECTED gives back (one the host rejected, one a fault held, one of unknown value
after a dead host's session) is SSP's own recovery and stays here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.bill.base import (
    AcceptorEvent,
    CassetteFull,
    CassetteRemoved,
    CassetteReplaced,
    Cheated,
    Cleared,
    DeviceError,
    Failure,
    Jammed,
    Listener,
    Returned,
)
from drivers.bill.notes import (
    Action,
    Deliver,
    Escrowed,
    LineLost,
    NoteReturned,
    NoteRule,
    NoteStacked,
    NoValue,
    Observation,
    Other,
    PathEnded,
    PoweredUp,
    Reinitialize,
    Reports,
    SendReturn,
    StackCancelled,
    WithholdAck,
    ask_listener,
    deliver,
    run,
)
from drivers.bill.ssp.codes import Event, event_name
from drivers.bill.ssp.protocol import PollEvent, PollReply

log = logging.getLogger(__name__)

# Conditions the device reports on every poll while they last.
_CONDITIONS: dict[int, AcceptorEvent] = {
    Event.UNSAFE_JAM: Jammed("acceptor"),
    Event.SAFE_JAM: Jammed("cassette"),
    Event.STACKER_FULL: CassetteFull(),
    Event.CASHBOX_REMOVED: CassetteRemoved(),
}

# Events that show a note somewhere in the path.
_NOTE_PATH = frozenset(
    {
        Event.READ,
        Event.STACKING,
        Event.STACKED,
        Event.CREDIT,
        Event.REJECTING,
        Event.REJECTED,
        Event.FRAUD_ATTEMPT,
        Event.CLEARED_FROM_FRONT,
        Event.CLEARED_INTO_CASHBOX,
    }
)


@dataclass(slots=True)
class AfterReply:
    """Commands to send once a whole reply has been handled (never mid-reply: a repeated
    packet must be the poll)."""

    reject: bool = False
    ask_reject_code: bool = False
    setup_again: bool = False
    events: list[AcceptorEvent] = field(default_factory=list)


# Poll event (with its channel) → observation for the note rule; others are no note matter.
OBSERVE: dict[int, Callable[[int], Observation]] = {
    Event.SLAVE_RESET: lambda channel: PoweredUp(),  # an accepted note is reported by 0xE2
    Event.READ: Escrowed,
    Event.CREDIT: NoteStacked,
    Event.CLEARED_INTO_CASHBOX: NoteStacked,
    Event.CLEARED_FROM_FRONT: NoteReturned,
    Event.FRAUD_ATTEMPT: lambda channel: PathEnded(),
    Event.STACKING: lambda channel: Other(),  # accepted: out of escrow, the credit is ours
}

# Poll events that are told to the listener as they are, after the reply.
_TOLD: dict[int, AcceptorEvent] = {
    Event.FRAUD_ATTEMPT: Cheated(),
    Event.CASHBOX_REPLACED: CassetteReplaced(),
}


class NoteTracker:
    """Acts on poll replies for one device; kept across reconnects."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.amounts: tuple[int, ...] = ()  # tiyn by channel - 1
        self.enabled = False
        self.state = "unknown"
        self.rule = NoteRule(Reports.EVENTS, self._value)
        self._host_rejected: int | None = None  # channel we sent REJECT for
        self._held_channel: int | None = None  # in escrow when a fault struck
        self._unknown_rejected = False  # REJECT sent for a note whose channel is unknown
        self._conditions: frozenset[int] = frozenset()
        self._failure = False

    def line_lost(self) -> None:
        """An escrow seen after reconnecting is asked anew; an accepted note stays ours."""
        self.rule.feed(LineLost())

    def handle(self, reply: PollReply, start: int, after: AfterReply) -> int | None:
        """Act on events ``start``… of ``reply``; the index of a money event the listener
        failed on (the reply must be repeated), or None when all are handled."""
        for index in range(start, len(reply.events)):
            if not self._event(reply.events[index], after):
                return index
        if reply.unknown is not None:
            after.events.append(DeviceError(f"device reports {event_name(reply.unknown)}"))
        self._transitions(reply, after)
        return None

    def failed(self, code: int, detail: bytes) -> list[AcceptorEvent]:
        """A poll answered with FAIL: a failure, reported once until polls succeed again."""
        self.state = "failure"
        if self._failure:
            return []
        self._failure = True
        return [Failure(detail[0] if detail else code, _failure_text(detail))]

    def _event(self, event: PollEvent, after: AfterReply) -> bool:
        """False when the listener failed on this event (the reply is to be repeated)."""
        code, channel = event.code, event.channel or 0
        self.state = event.name
        if code == Event.READ:
            self.state = "escrow" if channel else "accepting"
            if not channel:
                return True
            self._held_channel = None
        if code == Event.REJECTED:
            self._rejected(after)
            return True
        make = OBSERVE.get(code)
        taken = self._run(make(channel), after) if make is not None else True
        if code in _TOLD:
            after.events.append(_TOLD[code])
        return taken

    def _run(self, observation: Observation, after: AfterReply) -> bool:
        """Run the note rule on one observation; False when it withheld the ACK."""
        withheld: list[bool] = []

        def perform(action: Action) -> None:
            withheld.append(isinstance(action, WithholdAck))
            self._perform(action, after)

        run(self.rule, observation, self._answer, perform)
        return not any(withheld)

    def _perform(self, action: Action, after: AfterReply) -> None:
        """SSP's way of doing what the rule asks: a STACK is the next poll, an ACK is going
        on to the next event, anything told waits for the end of the reply."""
        match action:
            case SendReturn():
                after.reject = True
            case NoValue(note=channel):
                after.events.append(DeviceError(f"escrow on channel {channel} has no value"))
            case Deliver(event=event):
                after.events.append(event)
            case Reinitialize():
                after.setup_again = True

    def _rejected(self, after: AfterReply) -> None:
        """A note that was read with its channel comes back to the customer: returned."""
        back = self._host_rejected or self.escrow_channel or self._held_channel
        if back is not None:
            self._run(NoteReturned(back), after)
        else:
            if self._unknown_rejected:
                after.events.append(Returned(0, -1))  # the core knows its one open order
            else:
                after.ask_reject_code = True
            self.rule.feed(PathEnded())  # that note's path is over
        self._host_rejected = self._held_channel = None
        self._unknown_rejected = False
        self.state = "rejected"

    def _transitions(self, reply: PollReply, after: AfterReply) -> None:
        codes = {event.code for event in reply.events}
        conditions = frozenset(codes & set(_CONDITIONS))
        if conditions and self.rule.escrow is not None:
            # The device reads the note again after the fault: decide it again then.
            self._held_channel = self.rule.escrow
            self.rule.feed(PathEnded())
        for code in sorted(conditions - self._conditions):
            after.events.append(_CONDITIONS[code])
        had_fault = bool(self._conditions) or self._failure
        self._conditions, self._failure = conditions, False
        if had_fault and not conditions:
            after.events.append(Cleared())
        if not conditions and not codes & _NOTE_PATH:
            # The path is at rest: a note held by a fault was pulled out by the technician.
            # A later rejection is another note's, never that one coming back.
            self._held_channel = None
            self._unknown_rejected = False
        if not reply.events:
            self.state = "idling" if self.enabled else "disabled"

    def rejected_unknown_by_host(self) -> None:
        """REJECT was sent for a note that may be in escrow, its channel unknown (the report
        that named it was sealed with a dead eSSP session's key)."""
        self._unknown_rejected = True
        self.rule.feed(StackCancelled())

    def rejected_by_host(self, channel: int) -> None:
        """REJECT was sent for the note in escrow on ``channel``."""
        self._host_rejected = channel
        self.rule.feed(StackCancelled())

    @property
    def accepting_a_note(self) -> bool:
        """True while a note this driver let through has not been credited yet."""
        return self.rule.pending_stack is not None

    @property
    def escrow_channel(self) -> int | None:
        return self.rule.escrow

    def amount(self, channel: int) -> int:
        """Tiyn for a 1-based channel; 0 for a channel the setup does not have."""
        return self.amounts[channel - 1] if 1 <= channel <= len(self.amounts) else 0

    def _value(self, channel: int) -> tuple[int, int]:
        return self.amount(channel), channel - 1

    # ----- the listener -----------------------------------------------------------------
    def _answer(self, event: AcceptorEvent) -> Observation:
        return ask_listener(self.listener, event, log, "ssp")

    def notify(self, event: AcceptorEvent) -> bool:
        """Deliver one event; False if the listener raised (it is logged, never lost)."""
        return deliver(self.listener, event, log, "ssp")


def _failure_text(detail: bytes) -> str:
    return f"device failure 0x{detail[0]:02X}" if detail else "device failure (no code)"
