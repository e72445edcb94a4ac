"""The CCNET BillAcceptor: start-up sequence, poll loop, enabled set, reconnects.

The money rules (escrow decisions, write before ACK, duplicate stacked reports) are the one
note rule in drivers/bill/notes.py, run by this protocol's adapter notes.py; the thread,
reconnects and the enabled set in drivers/bill/polling.py. This module brings the device up
(settle a note in the path, RESET, initialize) and runs a poll cycle.

Timing defaults (see docs/decisions/002-ccnet-driver.md):
- ``poll_interval`` 0.1 s between poll cycles (the CCNET practice is 100–200 ms);
- ``response_timeout`` 1.0 s for the first byte of a reply (it lives in the transport);
- ``retries`` 3: NAKs or resends before the device counts as gone (Disconnected);
- reconnect attempts back off from 0.5 s, doubling up to 10 s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar, TypeVar

from drivers.bill.base import DeviceError, Identity
from drivers.bill.ccnet.codes import (
    NOTE_IN_PATH_STATES,
    POWER_UP_STATES,
    QUIET_STATES,
    Command,
    Status,
)
from drivers.bill.ccnet.link import CommandLink, NoAnswer
from drivers.bill.ccnet.notes import NoteTracker
from drivers.bill.ccnet.protocol import (
    AckReply,
    BillTableReply,
    IdentificationReply,
    IllegalCommandReply,
    PollStatus,
    Reply,
    StatusReply,
)
from drivers.bill.ccnet.records import encode_masks, mask_for
from drivers.bill.polling import StartupFailed, StatusPollingAcceptor
from drivers.transport import Clock, Transport, TransportError

log = logging.getLogger(__name__)
_R = TypeVar("_R", bound=Reply)

SETTLE_LIMIT = 30.0  # seconds to wait for a note in the path to finish before a RESET
INITIALIZE_LIMIT = 20.0  # seconds to wait for the device to leave "initialize"


class CcnetAcceptor(StatusPollingAcceptor[CommandLink, NoteTracker, PollStatus]):
    """A CCNET bill validator on a byte transport (see drivers.bill.base for the contract)."""

    protocol = "ccnet"
    name = "ccnet"
    advice = "Check the cable, the power and that the device speaks CCNET."
    line_errors: ClassVar[tuple[type[Exception], ...]] = (NoAnswer, TransportError, StartupFailed)
    log = log

    def __init__(
        self,
        transport_factory: Callable[[], Transport],
        *,
        port_name: str,
        clock: Clock | None = None,
        poll_interval: float = 0.1,
        retries: int = 3,
    ) -> None:
        super().__init__(
            transport_factory,
            port_name=port_name,
            notes=NoteTracker(),
            clock=clock,
            poll_interval=poll_interval,
            retries=retries,
        )
        self._probed: PollStatus | None = None  # the probe's reply, not yet acted on
        self._table_missing = False  # refused after the RESET: asked again at a later cycle

    @property
    def bill_table(self) -> tuple[int, ...]:
        return tuple(bill.amount for bill in self._notes.bill_types)

    # ----- the protocol's parts of the polling scaffold ----------------------------------
    def _make_link(self, transport: Transport) -> CommandLink:
        return CommandLink(transport, retries=self.retries)

    def _probe(self) -> PollStatus:
        # Is anyone there? Start-up and reconnect act on this reply in _bring_up, right after.
        self._probed = self._poll()
        return self._probed

    def _quiet(self, link: CommandLink) -> None:
        link.expect_ack(Command.ENABLE_BILL_TYPES, encode_masks(0, 0))

    def _device_state(self) -> str:
        return self._notes.last.name if self._notes.last is not None else "unknown"

    def _bring_up(self) -> None:
        """Deliver what the device still reports about a note in its path, then RESET and
        initialize it.

        A note in the path is never reset away: its outcome (stacked, returned, a power-up
        with a bill inside) reaches the listener before the RESET. A unit moving a note
        refuses GET BILL TABLE (ILLEGAL COMMAND), so those reports carry the amounts of the
        table this process already read, or 0 (a note the core names from its open STACK
        order); an escrow of unknown value is returned. With no note in the path the RESET
        comes first, as on every host: a unit a dead host left enabled refuses
        IDENTIFICATION until then.
        """
        deadline = self._clock.monotonic() + SETTLE_LIMIT
        status, self._probed = self._probed or self._poll(), None
        if status.code in NOTE_IN_PATH_STATES and not self._notes.bill_types:
            self._read_bill_table()
        self._handle(status)
        while status.code in NOTE_IN_PATH_STATES or self._notes.undelivered_power_up(status):
            if self._clock.monotonic() > deadline:
                if self._notes.undelivered_power_up(status):
                    raise StartupFailed("the listener did not accept the power-up report")
                break  # a RESET now makes the device report the note as a power-up with a bill
            self._pause(self.poll_interval)
            status = self._poll()
            self._handle(status)
        self._initialize()

    def _initialize(self) -> None:
        """RESET, wait for initialize to end, identify, read the bill table, set security,
        then apply the wanted enabled set."""
        link = self._require_link()
        deadline = self._clock.monotonic() + INITIALIZE_LIMIT
        reset_needed = True
        while True:
            if reset_needed:
                reset = link.exchange(Command.RESET)
                if not isinstance(reset, AckReply):
                    raise StartupFailed(f"the device refused RESET ({type(reset).__name__})")
            self._pause(self.poll_interval)
            status = self._poll()
            self._handle(status)
            if status.code in POWER_UP_STATES:
                # RESET again only once the power-up report reached the listener.
                reset_needed = not self._notes.undelivered_power_up(status)
            elif status.code in (Status.INITIALIZE, Status.DEVICE_BUSY):
                reset_needed = False
            else:
                break
            if self._clock.monotonic() > deadline:
                raise StartupFailed(f"the device stays in {status.name} after RESET")
        self._notes.needs_init = False
        self._read_identity()
        self._table_missing = not self._notes.bill_types
        security = link.expect_ack(Command.SET_SECURITY, bytes(3))
        self._notes.refused_if_illegal(Command.SET_SECURITY, security)
        self._applied_version = -1
        self._apply_enabled()

    def _read_identity(self) -> None:
        """IDENTIFICATION and GET BILL TABLE; a changed serial number is reported. A unit
        that refuses either (ILLEGAL COMMAND) keeps what was known; the table is asked
        again at a later cycle."""
        identity = self._request(Command.IDENTIFICATION, IdentificationReply)
        self._read_bill_table()
        if identity is None:
            return
        part = identity.identification
        new_identity = Identity(
            model=part.part_number, serial=part.serial_number, asset=part.asset_number
        )
        if self._identity is not None and self._identity.serial != new_identity.serial:
            self._notes.notify(
                DeviceError(
                    f"a different bill acceptor answers now: serial {new_identity.serial},"
                    f" was {self._identity.serial}"
                )
            )
        self._identity = new_identity

    def _read_bill_table(self) -> None:
        table = self._request(Command.GET_BILL_TABLE, BillTableReply)
        if table is not None:
            self._notes.bill_types = table.bill_types

    def _request(self, command: Command, kind: type[_R]) -> _R | None:
        """The reply of ``kind`` to ``command``; None when the device refused it."""
        reply = self._require_link().exchange(command)
        if isinstance(reply, IllegalCommandReply):
            log.warning("ccnet %s refused in state %s", command.name, self._device_state())
            return None
        if not isinstance(reply, kind):
            raise StartupFailed(f"unexpected reply to {command.name}: {reply}")
        return reply

    # ----- one poll cycle ---------------------------------------------------------------
    def _poll(self) -> PollStatus:
        link = self._require_link()
        for _ in range(self.retries + 1):
            reply = link.exchange(Command.POLL)
            if isinstance(reply, StatusReply):
                return reply.status
            # A late reply to an earlier command, or nonsense with a good CRC: ask again.
            log.warning("ccnet POLL answered with %s", reply)
        raise NoAnswer(f"POLL answered with {reply} instead of a state")

    def _enable(self, wanted: frozenset[int]) -> None:
        types = [
            bill.index for bill in self._notes.bill_types if bill.amount and bill.amount in wanted
        ]
        unknown = wanted - {bill.amount for bill in self._notes.bill_types}
        if unknown:
            log.warning("ccnet cannot enable amounts not in the bill table: %s", sorted(unknown))
        mask = mask_for(types)
        # Escrow on for every enabled type: the core decides each note before it is stacked.
        reply = self._require_link().expect_ack(Command.ENABLE_BILL_TYPES, encode_masks(mask, mask))
        self._notes.refused_if_illegal(Command.ENABLE_BILL_TYPES, reply)

    def _handle(self, status: PollStatus) -> None:
        self._notes.handle(self._require_link(), status)
        quiet = status.code in QUIET_STATES and not self._notes.needs_init
        if self._table_missing and quiet:
            self._read_identity()  # refused at start-up: ask while the unit takes it
            self._table_missing = not self._notes.bill_types
