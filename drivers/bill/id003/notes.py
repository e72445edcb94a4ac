"""What each ID-003 status means for the notes and for the listener.

The money rules live here: an escrow is decided by the listener and answered with STACK-1 or
RETURN before asking for status again; Vend Valid (the credit point) is acknowledged with ACK
only after the listener returned (write before acknowledge); a Vend Valid that does not follow
this driver's own STACK-1 is delivered as DuplicateStacked (``repeat=True`` when this driver
already delivered it: a lost ACK); a power-up report is delivered before the RESET that
clears it. Vend Valid carries no denomination: the amount is the escrow the STACK was for.
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
from drivers.bill.id003.codes import POWER_UP_STATES, Command, Status
from drivers.bill.id003.events import transition
from drivers.bill.id003.link import CommandLink
from drivers.bill.id003.protocol import Denomination, Id003Status, InvalidCommandReply, Reply

log = logging.getLogger(__name__)

# The note's path is over: a STACK ordered earlier no longer applies to what comes next.
_PATH_ENDED = frozenset(
    {
        Status.RETURNING,
        Status.REJECTING,
        Status.IDLING,
        Status.DISABLED,
        Status.CHEATED,
        Status.INITIALIZE,
        *POWER_UP_STATES,
    }
)


@dataclass(slots=True)
class _EscrowRecord:
    escrow_code: int
    decision: Decision


class NoteTracker:
    """Acts on statuses for one device; kept across reconnects (a STACK ordered before a line
    fault still makes the Vend Valid that follows it the host's own)."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.denominations: tuple[Denomination, ...] = ()
        self.last: Id003Status | None = None
        self.needs_init = False
        self._fault_active = False
        self._escrow: _EscrowRecord | None = None
        self._last_escrow_code: int | None = None  # the note in the path, for its amount
        self._pending_stack: int | None = None  # escrow code of our STACK-1
        self._delivered_stacked: int | None = None  # escrow code of a Vend Valid delivered
        self._returned_reported = False

    def line_lost(self) -> None:
        """An escrow seen after reconnecting is asked anew; an ordered STACK stays ours."""
        self._escrow = None

    def undelivered_power_up(self, status: Id003Status) -> bool:
        """True while a power-up report has not reached the listener (do not RESET yet)."""
        return status.code in POWER_UP_STATES and self.last != status

    def handle(self, link: CommandLink, status: Id003Status) -> None:
        """Act on one status: events, escrow decision, acknowledgement."""
        code = status.code
        if code in _PATH_ENDED:
            self._pending_stack = None
        if code not in (Status.ESCROW, Status.HOLDING):
            self._escrow = None
        if code != Status.RETURNING:
            self._returned_reported = False
        if code != Status.VEND_VALID:
            self._delivered_stacked = None
        if code == Status.VEND_VALID:
            self._vend_valid(link, status)
            return
        if code in POWER_UP_STATES:
            self._power_up(status)
            return
        self._remember(status)
        if code == Status.ESCROW:
            self._escrowed(link, status)
        elif code == Status.HOLDING and self._escrow is not None:
            self._send_decision(link, self._escrow)
        elif code == Status.RETURNING:
            self._returning()
        elif code in (Status.IDLING, Status.DISABLED, Status.REJECTING):
            self._last_escrow_code = None

    def _remember(self, status: Id003Status) -> None:
        change = transition(self.last, status, self._fault_active)
        self.last, self._fault_active = status, change.fault_active
        for event in change.events:
            self.notify(event)

    def _escrowed(self, link: CommandLink, status: Id003Status) -> None:
        escrow_code = status.detail if status.detail is not None else 0
        self._last_escrow_code = escrow_code
        if self._escrow is None or self._escrow.escrow_code != escrow_code:
            self._pending_stack = None  # a new note: an older STACK does not apply
            amount = self.amount(escrow_code)
            if amount == 0:
                self.notify(DeviceError(f"escrow code 0x{escrow_code:02X} has no denomination"))
                decision = Decision.RETURN
            else:
                decision = self._ask(Escrow(amount, self.bill_type(escrow_code)))
            self._escrow = _EscrowRecord(escrow_code, decision)
        self._send_decision(link, self._escrow)

    def _send_decision(self, link: CommandLink, escrow: _EscrowRecord) -> None:
        stack = escrow.decision is Decision.STACK
        if stack:
            self._pending_stack = escrow.escrow_code  # ordered even if the reply gets lost
        command = Command.STACK_1 if stack else Command.RETURN
        reply = link.exchange(command)
        if isinstance(reply, InvalidCommandReply) and stack:
            self._pending_stack = None
        self.refused_if_invalid(command, reply)

    def _vend_valid(self, link: CommandLink, status: Id003Status) -> None:
        own = self._pending_stack is not None
        if own:
            escrow_code: int | None = self._pending_stack
        elif self._delivered_stacked is not None:
            escrow_code = self._delivered_stacked
        else:
            escrow_code = self._last_escrow_code
        # Unknown denomination (a host restart mid-Vend Valid): amount 0, bill type -1.
        code = escrow_code if escrow_code is not None else 0
        amount = self.amount(code) if escrow_code is not None else 0
        bill_type = self.bill_type(code) if escrow_code is not None else -1
        # Our ACK was lost: the device repeats a Vend Valid this driver already delivered.
        repeat = not own and self._delivered_stacked is not None
        event: AcceptorEvent = (
            Stacked(amount, bill_type) if own
            else DuplicateStacked(amount, bill_type, repeat=repeat)
        )
        self._remember(status)
        if not self.notify(event):
            return  # not committed: no ACK, the device repeats it and we deliver it again
        self._pending_stack = None
        self._delivered_stacked = code
        link.send_ack()

    def _returning(self) -> None:
        if self._returned_reported or self._last_escrow_code is None:
            return
        code = self._last_escrow_code
        if self.notify(Returned(self.amount(code), self.bill_type(code))):
            self._returned_reported = True

    def _power_up(self, status: Id003Status) -> None:
        if self.last == status:
            return  # already delivered; the RESET that follows is on its way
        event = PowerUp(
            bill_in_acceptor=status.code == Status.POWER_UP_BILL_IN_ACCEPTOR,
            bill_in_stacker=status.code == Status.POWER_UP_BILL_IN_STACKER,
        )
        # The device keeps this status until RESET; on a listener error it is delivered again.
        if self.notify(event):
            self._remember(status)
            self.needs_init = True

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

    # ----- the listener -----------------------------------------------------------------
    def _ask(self, event: Escrow) -> Decision:
        listener = self.listener
        try:
            decision = listener(event) if listener is not None else None
        except Exception:
            log.exception("id003 escrow listener failed; the note is returned")
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
            log.exception("id003 listener failed on %s", type(event).__name__)
            return False
        return True
