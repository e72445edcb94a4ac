"""The ID-003 BillAcceptor: start-up sequence, status loop, enabled set, reconnects.

The money rules (escrow decisions, write before ACK, duplicate Vend Valid reports) are the
one note rule in drivers/bill/notes.py, run by this protocol's adapter notes.py; the thread,
reconnects and the enabled set in drivers/bill/polling.py. This module brings the device up
(settle a note in the path, RESET, initialize, polling mode) and runs a status cycle.
Timing defaults are the CCNET driver's (docs/decisions/002 and 007): 0.1 s between status
requests, 1 s reply timeout (in the transport), 3 retries, reconnect back-off 0.5 s doubling
to 10 s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

from drivers.bill.base import DeviceError, Identity
from drivers.bill.id003.codes import (
    NOTE_IN_PATH_STATES,
    POWER_UP_STATES,
    Command,
    CommunicationMode,
    Status,
)
from drivers.bill.id003.link import CommandLink, NoAnswer
from drivers.bill.id003.notes import NoteTracker
from drivers.bill.id003.protocol import (
    AckReply,
    CurrencyReply,
    EchoReply,
    Id003Status,
    StatusReply,
    VersionReply,
    denomination_bytes,
)
from drivers.bill.polling import StartupFailed, StatusPollingAcceptor
from drivers.transport import Clock, Transport, TransportError

log = logging.getLogger(__name__)

SETTLE_LIMIT = 30.0  # seconds to wait for a note in the path to finish before a RESET
INITIALIZE_LIMIT = 20.0  # seconds to wait for the device to leave "initialize"


class Id003Acceptor(StatusPollingAcceptor[CommandLink, NoteTracker, Id003Status]):
    """A JCM ID-003 bill validator on a byte transport (contract: drivers.bill.base)."""

    protocol = "id003"
    name = "id003"
    advice = "Check the cable, the power, 9600 baud 8E1 and that the device speaks ID-003."
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

    @property
    def bill_table(self) -> tuple[int, ...]:
        table = [0] * (max((d.index for d in self._notes.denominations), default=-1) + 1)
        for denomination in self._notes.denominations:
            table[denomination.index] = denomination.amount
        return tuple(table)

    # ----- the protocol's parts of the polling scaffold ----------------------------------
    def _make_link(self, transport: Transport) -> CommandLink:
        return CommandLink(transport, retries=self.retries)

    def _probe(self) -> Id003Status:
        return self._status()  # is anyone there?

    def _quiet(self, link: CommandLink) -> None:
        link.exchange(Command.SET_INHIBIT, b"\x01")

    def _device_state(self) -> str:
        return self._notes.last.name if self._notes.last is not None else "unknown"

    def _bring_up(self) -> None:
        """Identify, deliver what the device still reports, then RESET and initialize it.
        A note in the path is never reset away: its outcome reaches the listener first."""
        self._read_identity()
        deadline = self._clock.monotonic() + SETTLE_LIMIT
        status = self._status()
        self._handle(status)
        while status.code in NOTE_IN_PATH_STATES or self._notes.undelivered_power_up(status):
            if self._clock.monotonic() > deadline:
                if self._notes.undelivered_power_up(status):
                    raise StartupFailed("the listener did not accept the power-up report")
                break  # a RESET now makes the device report the note as a power-up
            self._pause(self.poll_interval)
            status = self._status()
            self._handle(status)
        self._initialize()

    def _initialize(self) -> None:
        """RESET, wait for initialize to end, read version and currency assignment, then
        apply the wanted enabled set."""
        link = self._require_link()
        deadline = self._clock.monotonic() + INITIALIZE_LIMIT
        reset_needed = True
        while True:
            if reset_needed:
                reset = link.exchange(Command.RESET)
                if not isinstance(reset, AckReply):
                    raise StartupFailed(f"the device refused RESET ({reset})")
            self._pause(self.poll_interval)
            status = self._status()
            self._handle(status)
            if status.code in POWER_UP_STATES:
                reset_needed = not self._notes.undelivered_power_up(status)
            elif status.code == Status.INITIALIZE:
                reset_needed = False
            else:
                break
            if self._clock.monotonic() > deadline:
                raise StartupFailed(f"the device stays in {status.name} after RESET")
        self._notes.needs_init = False
        self._ask_for_polling(link)
        self._read_identity()
        self._applied_version = -1
        self._apply_enabled()

    def _ask_for_polling(self, link: CommandLink) -> None:
        """SET COMMUNICATION MODE to polling after every RESET, as independent hosts do, so a
        unit another host put in an interrupt mode (lamassu-machine asks for one) is back in
        the mode this driver speaks. Never an interrupt mode: this driver polls. A refusal
        is only logged: the unit answers status requests, which is all polling needs."""
        mode = bytes((CommunicationMode.POLLING,))
        reply = link.exchange(Command.SET_COMMUNICATION_MODE, mode)
        if not isinstance(reply, EchoReply) or reply.data != mode:
            log.warning("id003 unit did not take polling mode (%s); polling anyway", reply)

    def _read_identity(self) -> None:
        """Version and currency assignment; a changed version string is reported."""
        link = self._require_link()
        version = link.exchange(Command.GET_VERSION)
        currency = link.exchange(Command.GET_CURRENCY_ASSIGN)
        if not isinstance(version, VersionReply) or not isinstance(currency, CurrencyReply):
            raise StartupFailed(f"unexpected identity replies: {version}, {currency}")
        model, _, serial = version.text.partition(" SN")
        new_identity = Identity(model=model.strip(), serial=serial.strip(), firmware=version.text)
        if self._identity is not None and self._identity != new_identity:
            self._notes.notify(
                DeviceError(
                    f"a different bill acceptor answers now: {new_identity.firmware!r},"
                    f" was {self._identity.firmware!r}"
                )
            )
        self._identity = new_identity
        self._notes.denominations = currency.denominations

    # ----- one poll cycle ---------------------------------------------------------------
    def _status(self) -> Id003Status:
        reply = self._require_link().exchange(Command.STATUS_REQUEST)
        if not isinstance(reply, StatusReply):
            raise NoAnswer(f"status request answered with {reply}")
        return reply.status

    def _enable(self, wanted: frozenset[int]) -> None:
        indexes = frozenset(
            d.index for d in self._notes.denominations if d.amount and d.amount in wanted
        )
        unknown = wanted - {d.amount for d in self._notes.denominations}
        if unknown:
            log.warning("id003 cannot enable amounts it has no denomination for: %s", unknown)
        link = self._require_link()
        settings = (
            (Command.SET_DENOMINATIONS, denomination_bytes(indexes)),
            (Command.SET_INHIBIT, b"\x01" if not indexes else b"\x00"),
        )
        for command, data in settings:
            reply = link.exchange(command, data)
            if not isinstance(reply, EchoReply) or reply.data != data:
                self._notes.refused_if_invalid(command, reply)
                if isinstance(reply, EchoReply):
                    self._notes.notify(DeviceError(f"{command.name} echo differs: {reply.data!r}"))

    def _handle(self, status: Id003Status) -> None:
        self._notes.handle(self._require_link(), status)
