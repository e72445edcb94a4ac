"""What each CCNET POLL state means for the notes and for the listener.

The money rules live here: an escrow is decided by the listener and answered with STACK or
RETURN before polling on; a stacked report is acknowledged only after the listener returned
(write before acknowledge); a stacked report that does not follow this driver's own STACK for
that escrow is delivered as DuplicateStacked; a power-up report is delivered before the RESET
that clears it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from drivers.bill.base import (
    AcceptorEvent,
    Decision,
    DeviceError,
    DuplicateStacked,
    Escrow,
    Listener,
    PowerUp,
    Returned,
    Stacked,
)
from drivers.bill.ccnet.codes import POWER_UP_STATES, Command, Status
from drivers.bill.ccnet.events import transition
from drivers.bill.ccnet.link import CommandLink
from drivers.bill.ccnet.protocol import IllegalCommandReply, PollStatus, Reply
from drivers.bill.ccnet.records import BillType

log = logging.getLogger(__name__)

# The note's path is over: a STACK ordered earlier no longer applies to what comes next.
_PATH_ENDED = frozenset(
    {
        Status.RETURNED,
        Status.REJECTING,
        Status.IDLING,
        Status.UNIT_DISABLED,
        Status.CHEATED,
        Status.INITIALIZE,
        *POWER_UP_STATES,
    }
)


@dataclass(slots=True)
class _EscrowRecord:
    bill_type: int
    decision: Decision


class NoteTracker:
    """Acts on POLL states for one device; kept across reconnects (a STACK ordered before a
    line fault still makes the stacked report that follows it the host's own)."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.bill_types: tuple[BillType, ...] = ()
        self.last: PollStatus | None = None
        self.needs_init = False
        self._fault_active = False
        self._escrow: _EscrowRecord | None = None
        self._pending_stack: int | None = None
        self._delivered_stacked: int | None = None  # bill type of a stacked report delivered
        self._returned_reported = False

    def line_lost(self) -> None:
        """The device stopped answering: an escrow seen after reconnecting is asked anew (it
        may be another note), while an ordered STACK still makes its stacked report ours."""
        self._escrow = None

    def undelivered_power_up(self, status: PollStatus) -> bool:
        """True while a power-up report has not reached the listener (do not RESET yet)."""
        return status.code in POWER_UP_STATES and self.last != status

    def handle(self, link: CommandLink, status: PollStatus) -> None:
        """Act on one POLL state: events, escrow decision, acknowledgement."""
        code = status.code
        if code in _PATH_ENDED:
            self._pending_stack = None
        if code not in (Status.ESCROW, Status.HOLDING):
            self._escrow = None
        if code != Status.RETURNED:
            self._returned_reported = False
        if code != Status.STACKED:
            self._delivered_stacked = None
        if code == Status.STACKED:
            self._stacked(link, status)
        elif code == Status.RETURNED:
            self._returned(link, status)
        elif code in POWER_UP_STATES:
            self._power_up(link, status)
        else:
            link.send_ack()
            self._remember(status)
            if code == Status.ESCROW:
                self._escrowed(link, status)
            elif code == Status.HOLDING and self._escrow is not None:
                self._send_decision(link, self._escrow)

    def _remember(self, status: PollStatus) -> None:
        change = transition(self.last, status, self._fault_active)
        self.last, self._fault_active = status, change.fault_active
        for event in change.events:
            self.notify(event)

    def _escrowed(self, link: CommandLink, status: PollStatus) -> None:
        bill_type = status.detail if status.detail is not None else 0
        if self._escrow is None or self._escrow.bill_type != bill_type:
            self._pending_stack = None  # a new note: an older STACK does not apply
            amount = self.amount(bill_type)
            if amount == 0:
                known = "not in the bill table" if self.bill_types else "of unknown value"
                self.notify(DeviceError(f"escrow of bill type {bill_type} {known}: returned"))
                decision = Decision.RETURN
            else:
                decision = self._ask(Escrow(amount, bill_type))
            self._escrow = _EscrowRecord(bill_type, decision)
        self._send_decision(link, self._escrow)

    def _send_decision(self, link: CommandLink, escrow: _EscrowRecord) -> None:
        stack = escrow.decision is Decision.STACK
        if stack:
            self._pending_stack = escrow.bill_type  # ordered even if the reply gets lost
        command = Command.STACK if stack else Command.RETURN
        reply = link.exchange(command)
        if isinstance(reply, IllegalCommandReply) and stack:
            self._pending_stack = None
        self.refused_if_illegal(command, reply)

    def _stacked(self, link: CommandLink, status: PollStatus) -> None:
        bill_type = status.detail if status.detail is not None else 0
        amount = self.amount(bill_type)
        own = self._pending_stack == bill_type
        # Our ACK was lost: the device repeats a report this driver already delivered.
        repeat = not own and self._delivered_stacked == bill_type
        event: AcceptorEvent = (
            Stacked(amount, bill_type) if own
            else DuplicateStacked(amount, bill_type, repeat=repeat)
        )
        self._remember(status)
        if not self.notify(event):
            return  # not committed: no ACK, the device repeats it and we deliver it again
        if own:
            self._pending_stack = None
        self._delivered_stacked = bill_type
        link.send_ack()

    def _returned(self, link: CommandLink, status: PollStatus) -> None:
        bill_type = status.detail if status.detail is not None else 0
        self._remember(status)
        if not self._returned_reported:
            if not self.notify(Returned(self.amount(bill_type), bill_type)):
                return
            self._returned_reported = True
        link.send_ack()

    def _power_up(self, link: CommandLink, status: PollStatus) -> None:
        link.send_ack()
        if self.last == status:
            return  # already delivered; the RESET that follows is on its way
        event = PowerUp(
            bill_in_acceptor=status.code == Status.POWER_UP_BILL_IN_VALIDATOR,
            bill_in_stacker=status.code == Status.POWER_UP_BILL_IN_STACKER,
        )
        # The device keeps this state until RESET; on a listener error it is delivered again.
        if self.notify(event):
            self._remember(status)
            self.needs_init = True

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

    # ----- the listener -----------------------------------------------------------------
    def _ask(self, event: Escrow) -> Decision:
        listener = self.listener
        try:
            decision = listener(event) if listener is not None else None
        except Exception:
            log.exception("ccnet escrow listener failed; the note is returned")
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
            log.exception("ccnet listener failed on %s", type(event).__name__)
            return False
        return True
