"""What each CCNET POLL state means for the notes and for the listener.

The money rules are the one note rule (drivers/bill/notes.py): an escrow is decided by the
listener and answered with STACK or RETURN before polling on; a stacked report is
acknowledged only after the listener returned (write before acknowledge); a stacked report
that does not follow this driver's own STACK for that escrow is delivered as
DuplicateStacked; a power-up report is delivered before the RESET that clears it.

This module is CCNET's adapter to that rule: ``OBSERVE`` turns a POLL state into an
observation, and ``_perform`` sends what the rule asks for (STACK, RETURN, ACK) on the link.
CCNET acknowledges every POLL reply at once except STACKED and RETURNED, which wait for the
rule's ``Ack``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from drivers.bill.base import AcceptorEvent, DeviceError, Listener
from drivers.bill.ccnet.codes import POWER_UP_STATES, Command, Status
from drivers.bill.ccnet.events import transition
from drivers.bill.ccnet.link import CommandLink
from drivers.bill.ccnet.protocol import IllegalCommandReply, PollStatus, Reply
from drivers.bill.ccnet.records import BillType
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


def _bill_type(status: PollStatus) -> int:
    return status.detail if status.detail is not None else 0


# POLL state → observation for the note rule; any state not named here is ``Other``.
OBSERVE: dict[int, Callable[[PollStatus], Observation]] = {
    Status.ESCROW: lambda s: Escrowed(_bill_type(s)),
    Status.HOLDING: lambda s: Held(),
    Status.STACKED: lambda s: NoteStacked(_bill_type(s)),
    Status.RETURNED: lambda s: NoteReturned(_bill_type(s)),
    Status.POWER_UP: lambda s: PoweredUp(),
    Status.POWER_UP_BILL_IN_VALIDATOR: lambda s: PoweredUp(bill_in_acceptor=True),
    Status.POWER_UP_BILL_IN_STACKER: lambda s: PoweredUp(bill_in_stacker=True),
    # The note's path is over: a STACK ordered earlier no longer applies to what comes next.
    **{
        code: (lambda s: PathEnded())
        for code in (
            Status.REJECTING,
            Status.IDLING,
            Status.UNIT_DISABLED,
            Status.CHEATED,
            Status.INITIALIZE,
        )
    },
}

# States whose ACK waits for the rule (write before acknowledge); all others are ACKed at once.
ACK_WHEN_TAKEN = frozenset({Status.STACKED, Status.RETURNED})


def observe(status: PollStatus) -> Observation:
    """The note rule's observation for one POLL state."""
    make = OBSERVE.get(status.code)
    return make(status) if make is not None else Other()


class NoteTracker:
    """Acts on POLL states for one device; kept across reconnects (a STACK ordered before a
    line fault still makes the stacked report that follows it the host's own)."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.bill_types: tuple[BillType, ...] = ()
        self.last: PollStatus | None = None
        self.needs_init = False
        self._fault_active = False
        self.rule = NoteRule(Reports.STATES, self._value)

    def line_lost(self) -> None:
        """The device stopped answering: an escrow seen after reconnecting is asked anew (it
        may be another note), while an ordered STACK still makes its stacked report ours."""
        self.rule.feed(LineLost())

    def undelivered_power_up(self, status: PollStatus) -> bool:
        """True while a power-up report has not reached the listener (do not RESET yet)."""
        return status.code in POWER_UP_STATES and self.last != status

    def handle(self, link: CommandLink, status: PollStatus) -> None:
        """Act on one POLL state: events, escrow decision, acknowledgement."""
        if status.code not in ACK_WHEN_TAKEN:
            link.send_ack()
        if status.code not in POWER_UP_STATES:
            self._remember(status)  # a power-up is remembered once the listener took it
        self._run(link, status)

    def _run(self, link: CommandLink, status: PollStatus) -> None:
        run(
            self.rule,
            observe(status),
            self._answer,
            lambda action: self._perform(link, status, action),
        )

    def _perform(self, link: CommandLink, status: PollStatus, action: Action) -> None:
        """CCNET's way of doing what the rule asks."""
        match action:
            case SendStack() | SendReturn():
                command = Command.STACK if isinstance(action, SendStack) else Command.RETURN
                reply = link.exchange(command)
                if isinstance(reply, IllegalCommandReply) and command is Command.STACK:
                    self.rule.feed(StackCancelled())
                self.refused_if_illegal(command, reply)
            case Ack(report=Report.STACKED | Report.RETURNED):
                link.send_ack()
            case NoValue(note=bill_type):
                known = "not in the bill table" if self.bill_types else "of unknown value"
                self.notify(DeviceError(f"escrow of bill type {bill_type} {known}: returned"))
            case Deliver(event=event):
                self.notify(event)
            case Reinitialize():
                self._remember(status)
                self.needs_init = True

    def _remember(self, status: PollStatus) -> None:
        change = transition(self.last, status, self._fault_active)
        self.last, self._fault_active = status, change.fault_active
        for event in change.events:
            self.notify(event)

    def refused_if_illegal(self, command: Command, reply: Reply) -> None:
        """Report a command the device refused as a DeviceError event."""
        if isinstance(reply, IllegalCommandReply):
            state = self.last.name if self.last is not None else "unknown"
            self.notify(DeviceError(f"device refused {command.name} (illegal command in {state})"))

    def amount(self, bill_type: int) -> int:
        """Tiyn for a bill type; 0 for a type the table does not have."""
        if 0 <= bill_type < len(self.bill_types):
            return self.bill_types[bill_type].amount
        return 0

    def _value(self, bill_type: int) -> tuple[int, int]:
        return self.amount(bill_type), bill_type

    # ----- the listener -----------------------------------------------------------------
    def _answer(self, event: AcceptorEvent) -> Observation:
        return ask_listener(self.listener, event, log, "ccnet")

    def notify(self, event: AcceptorEvent) -> bool:
        """Deliver one event; False if the listener raised (it is logged, never lost)."""
        return deliver(self.listener, event, log, "ccnet")
