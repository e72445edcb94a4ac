"""The ID-003 BillAcceptor: start-up sequence, status loop, enabled set, reconnects.

The money rules (escrow decisions, write before ACK, duplicate Vend Valid reports) are in
notes.py; this module keeps the device connected and initialized. Timing defaults are the
CCNET driver's (docs/decisions/002 and 007): 0.1 s between status requests, 1 s reply
timeout (in the transport), 3 retries, reconnect back-off 0.5 s doubling to 10 s.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from drivers.bill.base import (
    AcceptorError,
    BillAcceptor,
    DeviceError,
    Disconnected,
    Identity,
    Listener,
    Reconnected,
)
from drivers.bill.id003.codes import NOTE_IN_PATH_STATES, POWER_UP_STATES, Command, Status
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
from drivers.transport import Clock, SystemClock, Transport, TransportError

log = logging.getLogger(__name__)

RECONNECT_FIRST_DELAY = 0.5
RECONNECT_MAX_DELAY = 10.0
SETTLE_LIMIT = 30.0  # seconds to wait for a note in the path to finish before a RESET
INITIALIZE_LIMIT = 20.0  # seconds to wait for the device to leave "initialize"


class _StartupFailed(Exception):
    """Initialization could not complete (the message says which step)."""


class Id003Acceptor(BillAcceptor):
    """A JCM ID-003 bill validator on a byte transport (contract: drivers.bill.base)."""

    protocol = "id003"

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
            self._status()  # is anyone there?
            self._connected = self._started = True
            self._bring_up()
        except (NoAnswer, TransportError, _StartupFailed) as exc:
            self._close()
            self._connected = False
            raise AcceptorError(
                f"bill acceptor on {self._port_name} does not work: {exc}."
                " Check the cable, the power, 9600 baud 8E1 and that the device speaks ID-003."
            ) from exc
        if threaded:
            self._thread = threading.Thread(target=self._run, name="id003-poll", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
            self._thread = None
        if self._connected and self._link is not None:
            try:
                self._link.exchange(Command.SET_INHIBIT, b"\x01")
            except (NoAnswer, TransportError) as exc:
                log.warning("id003 could not inhibit the device on stop: %s", exc)
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
            self._handle(self._status())
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
        table = [0] * (max((d.index for d in self._notes.denominations), default=-1) + 1)
        for denomination in self._notes.denominations:
            table[denomination.index] = denomination.amount
        return tuple(table)

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
                log.exception("id003 poll cycle failed")
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
        log.warning("id003 device lost: %s", reason)
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
            self._status()
        except (NoAnswer, TransportError) as exc:
            self._close()
            self._backoff = min(self._backoff * 2, RECONNECT_MAX_DELAY)
            self._next_attempt = self._clock.monotonic() + self._backoff
            log.info("id003 reconnect failed, next try in %.1f s: %s", self._backoff, exc)
            return
        self._connected = True
        self._bring_up()
        self._notes.notify(Reconnected())  # once usable again, its enabled set restored

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
                    raise _StartupFailed("the listener did not accept the power-up report")
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
                    raise _StartupFailed(f"the device refused RESET ({reset})")
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
                raise _StartupFailed(f"the device stays in {status.name} after RESET")
        self._notes.needs_init = False
        self._read_identity()
        self._applied_version = -1
        self._apply_enabled()

    def _read_identity(self) -> None:
        """Version and currency assignment; a changed version string is reported."""
        link = self._require_link()
        version = link.exchange(Command.GET_VERSION)
        currency = link.exchange(Command.GET_CURRENCY_ASSIGN)
        if not isinstance(version, VersionReply) or not isinstance(currency, CurrencyReply):
            raise _StartupFailed(f"unexpected identity replies: {version}, {currency}")
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

    def _require_link(self) -> CommandLink:
        if self._link is None:
            raise TransportError(f"port {self._port_name} is not open")
        return self._link

    # ----- one poll cycle ---------------------------------------------------------------
    def _status(self) -> Id003Status:
        reply = self._require_link().exchange(Command.STATUS_REQUEST)
        if not isinstance(reply, StatusReply):
            raise NoAnswer(f"status request answered with {reply}")
        return reply.status

    def _apply_enabled(self) -> None:
        with self._wanted_lock:
            wanted, version = self._wanted, self._wanted_version
        if version == self._applied_version or not self._notes.denominations:
            return
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
        self._applied_version = version

    def _handle(self, status: Id003Status) -> None:
        self._notes.handle(self._require_link(), status)
