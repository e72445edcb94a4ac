"""What SSP poll events mean for the notes and for the listener.

The money rules live here:
- ``READ`` with a channel puts a note in escrow: the listener decides once; STACK means "let
  the next poll accept it", RETURN means REJECT is sent before polling again.
- ``CREDIT`` (0xEE) after this driver let its escrow through is ``Stacked``; ``CLEARED INTO
  CASHBOX`` (0xE2, at power-up) for that channel too. Any other credit is
  ``DuplicateStacked`` (``repeat=True`` right after a delivered credit of the same channel
  with no new note read in between).
- Write before acknowledge: SSP acknowledges a reply by the next packet with the sequence
  flag toggled. If the listener raises on a money event, the driver stops there and sends
  the same packet again (same flag): the device repeats the reply and the remaining events,
  from the failed one on, are delivered again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from drivers.bill.base import (
    AcceptorEvent,
    CassetteFull,
    CassetteRemoved,
    CassetteReplaced,
    Cheated,
    Cleared,
    Decision,
    DeviceError,
    DuplicateStacked,
    Escrow,
    Failure,
    Jammed,
    Listener,
    PowerUp,
    Returned,
    Stacked,
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
_NOTE_PATH = frozenset({
    Event.READ, Event.STACKING, Event.STACKED, Event.CREDIT, Event.REJECTING, Event.REJECTED,
    Event.FRAUD_ATTEMPT, Event.CLEARED_FROM_FRONT, Event.CLEARED_INTO_CASHBOX,
})


@dataclass(slots=True)
class AfterReply:
    """Commands to send once a whole reply has been handled (never mid-reply: a repeated
    packet must be the poll)."""

    reject: bool = False
    ask_reject_code: bool = False
    setup_again: bool = False
    events: list[AcceptorEvent] = field(default_factory=list)


class NoteTracker:
    """Acts on poll replies for one device; kept across reconnects."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.amounts: tuple[int, ...] = ()  # tiyn by channel - 1
        self.enabled = False
        self.state = "unknown"
        self._escrow: tuple[int, Decision] | None = None
        self._pending_accept: int | None = None  # channel let through to the stacker
        self._host_rejected: int | None = None  # channel we sent REJECT for
        self._held_channel: int | None = None  # in escrow when a fault struck
        self._unknown_rejected = False  # REJECT sent for a note whose channel is unknown
        self._delivered_credit: int | None = None
        self._conditions: frozenset[int] = frozenset()
        self._failure = False

    def line_lost(self) -> None:
        """An escrow seen after reconnecting is asked anew; an accepted note stays ours."""
        self._escrow = None

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
        code, channel = event.code, event.channel or 0
        self.state = event.name
        if code == Event.SLAVE_RESET:
            if not self.notify(PowerUp()):
                return False
            self._escrow = None  # an accepted note is reported by 0xE2 next; keep it ours
            after.setup_again = True
        elif code == Event.READ:
            self.state = "escrow" if channel else "accepting"
            if channel:
                self._read(channel, after)
        elif code in (Event.CREDIT, Event.CLEARED_INTO_CASHBOX):
            return self._credit(channel)
        elif code == Event.CLEARED_FROM_FRONT:
            self._pending_accept = self._escrow = None
            after.events.append(Returned(self.amount(channel), channel - 1))
        elif code == Event.REJECTED:
            # A note that was read with its channel comes back to the customer: returned.
            back = self._host_rejected or self.escrow_channel or self._held_channel
            if back is not None:
                after.events.append(Returned(self.amount(back), back - 1))
            elif self._unknown_rejected:
                after.events.append(Returned(0, -1))  # the core knows its one open order
            else:
                after.ask_reject_code = True
            self._host_rejected = self._held_channel = None
            self._unknown_rejected = False
            self._pending_accept = self._escrow = None  # that note's path is over
            self.state = "rejected"
        elif code == Event.FRAUD_ATTEMPT:
            self._pending_accept = self._escrow = None
            after.events.append(Cheated())
        elif code == Event.CASHBOX_REPLACED:
            after.events.append(CassetteReplaced())
        elif code == Event.STACKING:
            self._escrow = None  # accepted: out of escrow, the credit to come is ours
        return True

    def _read(self, channel: int, after: AfterReply) -> None:
        self._delivered_credit = None  # a new note: a later credit is not a repeat
        self._held_channel = None
        if self._escrow is not None and self._escrow[0] == channel:
            return  # the same escrow reported again: decided already
        self._pending_accept = None
        amount = self.amount(channel)
        if amount == 0:
            after.events.append(DeviceError(f"escrow on channel {channel} has no value"))
            decision = Decision.RETURN
        else:
            decision = self._ask(Escrow(amount, channel - 1))
        self._escrow = (channel, decision)
        if decision is Decision.STACK:
            self._pending_accept = channel  # the next poll accepts it
        else:
            after.reject = True

    def _credit(self, channel: int) -> bool:
        amount, bill_type = self.amount(channel), channel - 1
        own = self._pending_accept == channel
        repeat = not own and self._delivered_credit == channel
        event: AcceptorEvent = (
            Stacked(amount, bill_type) if own
            else DuplicateStacked(amount, bill_type, repeat=repeat)
        )
        if not self.notify(event):
            return False
        self._pending_accept = self._escrow = None
        self._delivered_credit = channel
        return True

    def _transitions(self, reply: PollReply, after: AfterReply) -> None:
        codes = {event.code for event in reply.events}
        conditions = frozenset(codes & set(_CONDITIONS))
        if conditions and self._escrow is not None:
            # The device reads the note again after the fault: decide it again then.
            self._held_channel, self._escrow, self._pending_accept = self._escrow[0], None, None
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
        self._pending_accept = None

    def rejected_by_host(self, channel: int) -> None:
        """REJECT was sent for the note in escrow on ``channel``."""
        self._host_rejected = channel
        self._pending_accept = None

    @property
    def accepting_a_note(self) -> bool:
        """True while a note this driver let through has not been credited yet."""
        return self._pending_accept is not None

    @property
    def escrow_channel(self) -> int | None:
        return self._escrow[0] if self._escrow is not None else None

    def amount(self, channel: int) -> int:
        """Tiyn for a 1-based channel; 0 for a channel the setup does not have."""
        return self.amounts[channel - 1] if 1 <= channel <= len(self.amounts) else 0

    # ----- the listener -----------------------------------------------------------------
    def _ask(self, event: Escrow) -> Decision:
        listener = self.listener
        try:
            decision = listener(event) if listener is not None else None
        except Exception:
            log.exception("ssp escrow listener failed; the note is rejected")
            return Decision.RETURN
        return decision if decision is Decision.STACK else Decision.RETURN

    def notify(self, event: AcceptorEvent) -> bool:
        """Deliver one event; False if the listener raised (it is logged, never lost)."""
        listener = self.listener
        if listener is None:
            return False
        try:
            listener(event)
        except Exception:
            log.exception("ssp listener failed on %s", type(event).__name__)
            return False
        return True


def _failure_text(detail: bytes) -> str:
    return f"device failure 0x{detail[0]:02X}" if detail else "device failure (no code)"
