"""The CCNET BillAcceptor: start-up sequence, poll loop, enabled set, reconnects.

The money rules (escrow decisions, write before ACK, duplicate stacked reports) are in
notes.py; this module keeps the device connected and initialized.

Timing defaults (see docs/decisions/002-ccnet-driver.md):
- ``poll_interval`` 0.1 s between poll cycles (the CCNET practice is 100–200 ms);
- ``response_timeout`` 1.0 s for the first byte of a reply (it lives in the transport);
- ``retries`` 3: NAKs or resends before the device counts as gone (Disconnected);
- reconnect attempts back off from 0.5 s, doubling up to 10 s.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from drivers.bill.base import (
    AcceptorError,
    BillAcceptor,
    DeviceError,
    Disconnected,
    Identity,
    Listener,
    Reconnected,
)
from drivers.bill.ccnet.codes import NOTE_IN_PATH_STATES, POWER_UP_STATES, Command, Status
from drivers.bill.ccnet.link import CommandLink, NoAnswer
from drivers.bill.ccnet.notes import NoteTracker
from drivers.bill.ccnet.protocol import (
    AckReply,
    BillTableReply,
    IdentificationReply,
    PollStatus,
    Reply,
    StatusReply,
)
from drivers.bill.ccnet.records import encode_masks, mask_for
from drivers.transport import Clock, SystemClock, Transport, TransportError

log = logging.getLogger(__name__)
_R = TypeVar("_R", bound=Reply)

RECONNECT_FIRST_DELAY = 0.5
RECONNECT_MAX_DELAY = 10.0
SETTLE_LIMIT = 30.0  # seconds to wait for a note in the path to finish before a RESET
INITIALIZE_LIMIT = 20.0  # seconds to wait for the device to leave "initialize"


class _StartupFailed(Exception):
    """Initialization could not complete (the message says which step)."""


class CcnetAcceptor(BillAcceptor):
    """A CCNET bill validator on a byte transport (see drivers.bill.base for the contract)."""

    protocol = "ccnet"

    def __init__(
        self,
        transport_factory: Callable[[], Transport],
        *,
        port_name: str,
        clock: Clock | None = None,
        poll_interval: float = 0.1,
        retries: int = 3,
    ) -> None:
        self._transport_factory = transport_factory
        self._port_name = port_name
        self._injected_clock = clock is not None
        self._clock: Clock = clock or SystemClock()
        self.poll_interval = poll_interval
        self.retries = retries
        self._notes = NoteTracker()
        self._link: CommandLink | None = None
        self._connected = False
        self._started = False
        self._identity: Identity | None = None
        self._wanted_lock = threading.Lock()
        self._wanted: frozenset[int] = frozenset()
        self._wanted_version = 0
        self._applied_version = -1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._backoff = RECONNECT_FIRST_DELAY
        self._next_attempt = 0.0

    # ----- BillAcceptor interface ------------------------------------------------------
    def set_listener(self, listener: Listener) -> None:
        self._notes.listener = listener

    def start(self, *, threaded: bool = True) -> None:
        if self._notes.listener is None:
            raise RuntimeError("set_listener() must be called before start()")
        self._stop.clear()
        try:
            self._open()
            self._poll()  # is anyone there? (not acknowledged: event reports are repeated)
            self._connected = self._started = True
            self._bring_up()
        except (NoAnswer, TransportError, _StartupFailed) as exc:
            self._close()
            self._connected = False
            raise AcceptorError(
                f"bill acceptor on {self._port_name} does not work: {exc}."
                " Check the cable, the power and that the device speaks CCNET."
            ) from exc
        if threaded:
            self._thread = threading.Thread(target=self._run, name="ccnet-poll", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
            self._thread = None
        if self._connected and self._link is not None:
            try:
                self._link.expect_ack(Command.ENABLE_BILL_TYPES, encode_masks(0, 0))
            except (NoAnswer, TransportError) as exc:
                log.warning("ccnet could not disable the device on stop: %s", exc)
        self._close()
        self._connected = False

    def poll_once(self) -> None:
        try:
            if not self._connected:
                self._try_reconnect()
                return
            if self._notes.needs_init:
                self._initialize()
            self._apply_enabled()
            self._handle(self._poll())
            if self._notes.needs_init:
                self._initialize()
        except (NoAnswer, TransportError, _StartupFailed) as exc:
            self._lost(str(exc))

    def set_enabled(self, amounts: Iterable[int]) -> None:
        with self._wanted_lock:
            self._wanted = frozenset(amounts)
            self._wanted_version += 1

    @property
    def identity(self) -> Identity | None:
        return self._identity

    @property
    def bill_table(self) -> tuple[int, ...]:
        return tuple(bill.amount for bill in self._notes.bill_types)

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def state(self) -> str:
        if self._started and not self._connected:
            return "disconnected"
        return self._notes.last.name if self._notes.last is not None else "unknown"

    # ----- connection lifecycle ---------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                # A bug must not kill the only thread that talks to the device.
                log.exception("ccnet poll cycle failed")
            self._pause(self.poll_interval)

    def _pause(self, seconds: float) -> None:
        if self._injected_clock:
            self._clock.sleep(seconds)
        else:
            self._stop.wait(seconds)  # stop() must not wait out a sleep

    def _open(self) -> None:
        self._close()
        self._link = CommandLink(self._transport_factory(), retries=self.retries)

    def close_port(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._link is not None:
            self._link.transport.close()
            self._link = None

    def _lost(self, reason: str) -> None:
        log.warning("ccnet device lost: %s", reason)
        self._close()
        self._connected = False
        self._notes.line_lost()
        self._backoff = RECONNECT_FIRST_DELAY
        self._next_attempt = self._clock.monotonic() + self._backoff
        self._notes.notify(Disconnected(reason))

    def _try_reconnect(self) -> None:
        if self._clock.monotonic() < self._next_attempt:
            return
        try:
            self._open()
            self._poll()
        except (NoAnswer, TransportError) as exc:
            self._close()
            self._backoff = min(self._backoff * 2, RECONNECT_MAX_DELAY)
            self._next_attempt = self._clock.monotonic() + self._backoff
            log.info("ccnet reconnect failed, next try in %.1f s: %s", self._backoff, exc)
            return
        self._connected = True
        self._bring_up()
        # Delivered once the device is usable again: initialized, its enabled set restored.
        self._notes.notify(Reconnected())

    def _bring_up(self) -> None:
        """Identify, deliver what the device still reports, then RESET and initialize it.

        A note in the path is never reset away: its outcome (stacked, returned, a power-up
        with a bill inside) reaches the listener before the RESET. The bill table is read
        first so that those reports carry their amounts.
        """
        self._read_identity()
        deadline = self._clock.monotonic() + SETTLE_LIMIT
        status = self._poll()
        self._handle(status)
        while status.code in NOTE_IN_PATH_STATES or self._notes.undelivered_power_up(status):
            if self._clock.monotonic() > deadline:
                if self._notes.undelivered_power_up(status):
                    raise _StartupFailed("the listener did not accept the power-up report")
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
                    raise _StartupFailed(f"the device refused RESET ({type(reset).__name__})")
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
                raise _StartupFailed(f"the device stays in {status.name} after RESET")
        self._notes.needs_init = False
        self._read_identity()
        security = link.expect_ack(Command.SET_SECURITY, bytes(3))
        self._notes.refused_if_illegal(Command.SET_SECURITY, security)
        self._applied_version = -1
        self._apply_enabled()

    def _read_identity(self) -> None:
        """IDENTIFICATION and GET BILL TABLE; a changed serial number is reported."""
        identity = self._request(Command.IDENTIFICATION, IdentificationReply)
        table = self._request(Command.GET_BILL_TABLE, BillTableReply)
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
        self._notes.bill_types = table.bill_types

    def _request(self, command: Command, kind: type[_R]) -> _R:
        reply = self._require_link().exchange(command)
        if not isinstance(reply, kind):
            raise _StartupFailed(f"unexpected reply to {command.name}: {reply}")
        return reply

    def _require_link(self) -> CommandLink:
        if self._link is None:
            raise TransportError(f"port {self._port_name} is not open")
        return self._link

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

    def _apply_enabled(self) -> None:
        with self._wanted_lock:
            wanted, version = self._wanted, self._wanted_version
        if version == self._applied_version or not self._notes.bill_types:
            return
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
        self._applied_version = version

    def _handle(self, status: PollStatus) -> None:
        self._notes.handle(self._require_link(), status)
