"""What each ID-003 status means for the notes and for the listener.

The money rules are the one note rule (drivers/bill/notes.py): an escrow is decided by the
listener and answered with STACK-1 or RETURN before asking for status again; Vend Valid (the
credit point) is acknowledged with ACK only after the listener returned (write before
acknowledge); a Vend Valid that does not follow this driver's own STACK-1 is delivered as
DuplicateStacked (``repeat=True`` when this driver already delivered it: a lost ACK); a
power-up report is delivered before the RESET that clears it. Vend Valid carries no
denomination: the amount is the escrow the STACK was for.

This module is ID-003's adapter to that rule: ``OBSERVE`` turns a status into an
observation, and ``_perform`` sends what the rule asks for (STACK-1, RETURN, ACK) on the
link. ID-003 acknowledges only Vend Valid; a returning note needs no ACK.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from drivers.bill.base import AcceptorEvent, DeviceError, Listener
from drivers.bill.id003.codes import POWER_UP_STATES, Command, Status
from drivers.bill.id003.events import transition
from drivers.bill.id003.link import CommandLink
from drivers.bill.id003.protocol import Denomination, Id003Status, InvalidCommandReply, Reply
from drivers.bill.notes import (
    Ack,
    Action,
    Deliver,
    Escrowed,
    Held,
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
    Report,
    Reports,
    SendReturn,
    SendStack,
    StackCancelled,
    ask_listener,
    deliver,
    run,
)

log = logging.getLogger(__name__)


def _escrow_code(status: Id003Status) -> int:
    return status.detail if status.detail is not None else 0


# Status → observation for the note rule; any status not named here is ``Other``.
OBSERVE: dict[int, Callable[[Id003Status], Observation]] = {
    Status.ESCROW: lambda s: Escrowed(_escrow_code(s)),
    Status.HOLDING: lambda s: Held(),
    Status.VEND_VALID: lambda s: NoteStacked(None),  # the note the STACK-1 was for
    Status.RETURNING: lambda s: NoteReturned(None),  # the last escrow
    Status.POWER_UP: lambda s: PoweredUp(),
    Status.POWER_UP_BILL_IN_ACCEPTOR: lambda s: PoweredUp(bill_in_acceptor=True),
    Status.POWER_UP_BILL_IN_STACKER: lambda s: PoweredUp(bill_in_stacker=True),
    # The note's path is over: a STACK ordered earlier no longer applies to what comes next;
    # at rest (idle, disabled, rejecting) the last escrow is no longer the note in the path.
    **{
        code: (lambda s: PathEnded()) for code in (Status.IDLING, Status.DISABLED, Status.REJECTING)
    },
    **{code: (lambda s: PathEnded(forget=False)) for code in (Status.CHEATED, Status.INITIALIZE)},
}


def observe(status: Id003Status) -> Observation:
    """The note rule's observation for one status."""
    make = OBSERVE.get(status.code)
    return make(status) if make is not None else Other()


class NoteTracker:
    """Acts on statuses for one device; kept across reconnects (a STACK ordered before a line
    fault still makes the Vend Valid that follows it the host's own)."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.denominations: tuple[Denomination, ...] = ()
        self.last: Id003Status | None = None
        self.needs_init = False
        self._fault_active = False
        self.rule = NoteRule(Reports.STATES, self._value)

    def line_lost(self) -> None:
        """An escrow seen after reconnecting is asked anew; an ordered STACK stays ours."""
        self.rule.feed(LineLost())

    def undelivered_power_up(self, status: Id003Status) -> bool:
        """True while a power-up report has not reached the listener (do not RESET yet)."""
        return status.code in POWER_UP_STATES and self.last != status

    def handle(self, link: CommandLink, status: Id003Status) -> None:
        """Act on one status: events, escrow decision, acknowledgement."""
        if status.code not in POWER_UP_STATES:
            self._remember(status)  # a power-up is remembered once the listener took it
        run(
            self.rule,
            observe(status),
            self._answer,
            lambda action: self._perform(link, status, action),
        )

    def _perform(self, link: CommandLink, status: Id003Status, action: Action) -> None:
        """ID-003's way of doing what the rule asks."""
        match action:
            case SendStack() | SendReturn():
                command = Command.STACK_1 if isinstance(action, SendStack) else Command.RETURN
                reply = link.exchange(command)
                if isinstance(reply, InvalidCommandReply) and command is Command.STACK_1:
                    self.rule.feed(StackCancelled())
                self.refused_if_invalid(command, reply)
            case Ack(report=Report.STACKED):
                link.send_ack()
            case NoValue(note=escrow_code):
                self.notify(DeviceError(f"escrow code 0x{escrow_code:02X} has no denomination"))
            case Deliver(event=event):
                self.notify(event)
            case Reinitialize():
                self._remember(status)
                self.needs_init = True

    def _remember(self, status: Id003Status) -> None:
        change = transition(self.last, status, self._fault_active)
        self.last, self._fault_active = status, change.fault_active
        for event in change.events:
            self.notify(event)

    def refused_if_invalid(self, command: Command, reply: Reply) -> None:
        """Report a command the device refused as a DeviceError event."""
        if isinstance(reply, InvalidCommandReply):
            state = self.last.name if self.last is not None else "unknown"
            self.notify(DeviceError(f"device refused {command.name} (invalid command in {state})"))

    def amount(self, escrow_code: int) -> int:
        """Tiyn for an escrow code; 0 for a code the currency assignment does not have."""
        for denomination in self.denominations:
            if denomination.escrow_code == escrow_code:
                return denomination.amount
        return 0

    @staticmethod
    def bill_type(escrow_code: int) -> int:
        """The bill type index reported in events (0 for escrow code 0x61)."""
        return max(0, escrow_code - 0x61)

    def _value(self, escrow_code: int) -> tuple[int, int]:
        return self.amount(escrow_code), self.bill_type(escrow_code)

    # ----- the listener -----------------------------------------------------------------
    def _answer(self, event: AcceptorEvent) -> Observation:
        return ask_listener(self.listener, event, log, "id003")

    def notify(self, event: AcceptorEvent) -> bool:
        """Deliver one event; False if the listener raised (it is logged, never lost)."""
        return deliver(self.listener, event, log, "id003")
