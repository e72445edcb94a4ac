"""What every polled bill-acceptor driver shares: the poll thread, start and stop, the
enabled set, losing the line and reconnecting with back-off, and the listener.

A protocol driver subclasses ``PollingAcceptor`` and supplies its own parts:
``_make_link`` (its command link on a fresh transport), ``_start_up`` (what start does once
the port is open), ``_cycle`` (one poll cycle), ``_reconnect`` / ``_reconnected`` (how a
device that answers again is brought back), ``_quiet`` (disable it on stop), ``_enable``
(the wanted amounts as device settings), ``bill_table`` and ``_device_state``.

Timing defaults (docs/decisions/002 and 007): 0.1 s between poll cycles, 3 retries before the
device counts as gone (Disconnected), reconnect attempts back off from 0.5 s, doubling up to
10 s. A line failure is any exception in the driver's ``line_errors``.

``start(wait_for_device=True)`` (the kiosk's start): a device that does not answer at all
(no reply, a port that is not there — a pulled cable, an unpowered unit, a USB adapter
unplugged) does not stop the kiosk; it is reported Disconnected and the poll loop runs the
whole start-up when it answers, then reports Reconnected. A device that answers wrongly
(StartupFailed: a protocol or key it refuses) still raises: that is the installer's to fix.
"""

from __future__ import annotations

import logging
import threading
from abc import abstractmethod
from collections.abc import Callable, Iterable
from typing import ClassVar, Generic, Protocol, TypeVar

from drivers.bill.base import (
    AcceptorError,
    AcceptorEvent,
    BillAcceptor,
    Disconnected,
    Identity,
    Listener,
    Reconnected,
)
from drivers.transport import Clock, SystemClock, Transport, TransportError

RECONNECT_FIRST_DELAY = 0.5
RECONNECT_MAX_DELAY = 10.0


class StartupFailed(Exception):
    """Initialization could not complete (the message says which step)."""


class CommandLinkLike(Protocol):
    """A protocol's command link: it owns the transport it talks over."""

    transport: Transport


class NoteTrackerLike(Protocol):
    """A protocol's note tracker: it holds the listener and delivers events to it."""

    listener: Listener | None

    def notify(self, event: AcceptorEvent) -> bool:
        """Deliver one event; False if the listener raised (logged, never lost)."""

    def line_lost(self) -> None:
        """Forget what a lost line makes uncertain (an escrow is asked anew)."""


class InitTrackerLike(NoteTrackerLike, Protocol):
    """A note tracker that knows when the device needs initialising again (power-up)."""

    @property
    def needs_init(self) -> bool: ...


LinkT = TypeVar("LinkT", bound=CommandLinkLike)
NotesT = TypeVar("NotesT", bound=NoteTrackerLike)
InitNotesT = TypeVar("InitNotesT", bound=InitTrackerLike)
StatusT = TypeVar("StatusT")


class PollingAcceptor(BillAcceptor, Generic[LinkT, NotesT]):
    """A bill acceptor polled over a byte transport (contract: drivers.bill.base)."""

    # The protocol's short name in logs and the thread's name (``protocol`` may be "sim").
    name: ClassVar[str]
    # What a technician checks when the device does not answer at start.
    advice: ClassVar[str]
    # Exceptions that mean "the device does not answer as it should" (besides the port's).
    line_errors: ClassVar[tuple[type[Exception], ...]] = (TransportError, StartupFailed)
    log: ClassVar[logging.Logger]

    def __init__(
        self,
        transport_factory: Callable[[], Transport],
        *,
        port_name: str,
        notes: NotesT,
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
        self._notes = notes
        self._link: LinkT | None = None
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
        self._start_up_owed = False  # started while the device was silent: start-up pending

    # ----- the protocol's parts ---------------------------------------------------------
    @abstractmethod
    def _make_link(self, transport: Transport) -> LinkT:
        """The protocol's command link over a freshly opened transport."""

    @abstractmethod
    def _start_up(self) -> None:
        """Start with the port open: find the device, bring it up, set ``_connected`` and
        ``_started``. A line error here makes start() raise AcceptorError."""

    @abstractmethod
    def _cycle(self) -> None:
        """One poll cycle on a connected device."""

    @abstractmethod
    def _reconnect(self) -> None:
        """On a reopened port: is the device there? A line error means not yet (retried
        after the back-off)."""

    def _reconnected(self) -> None:
        """Once ``_reconnect`` succeeded and the driver counts as connected: bring the
        device up (a line error here counts as losing it again)."""

    @abstractmethod
    def _quiet(self, link: LinkT) -> None:
        """Disable the device on stop."""

    @abstractmethod
    def _enable(self, wanted: frozenset[int]) -> None:
        """Accept exactly ``wanted`` (tiyn): the device settings for that."""

    @abstractmethod
    def _device_state(self) -> str:
        """The device's last reported state while connected."""

    # ----- BillAcceptor interface ------------------------------------------------------
    def set_listener(self, listener: Listener) -> None:
        self._notes.listener = listener

    def start(self, *, threaded: bool = True, wait_for_device: bool = False) -> None:
        if self._notes.listener is None:
            raise RuntimeError("set_listener() must be called before start()")
        self._stop.clear()
        try:
            self._open()
            self._start_up()
        except self.line_errors as exc:
            self._close()
            self._connected = False
            if not wait_for_device or isinstance(exc, StartupFailed):
                raise AcceptorError(
                    f"bill acceptor on {self._port_name} does not work: {exc}. {self.advice}"
                ) from exc
            self._start_silent(str(exc))
        if threaded:
            self._thread = threading.Thread(target=self._run, name=f"{self.name}-poll", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
            self._thread = None
        if self._connected and self._link is not None:
            try:
                self._quiet(self._link)
            except self.line_errors as exc:
                self.log.warning("%s could not disable the device on stop: %s", self.name, exc)
        self._close()
        self._connected = False

    def poll_once(self) -> None:
        try:
            if not self._connected:
                self._try_reconnect()
                return
            self._cycle()
        except self.line_errors as exc:
            self._lost(str(exc))

    def set_enabled(self, amounts: Iterable[int]) -> None:
        with self._wanted_lock:
            self._wanted = frozenset(amounts)
            self._wanted_version += 1

    def close_port(self) -> None:
        self._close()

    @property
    def identity(self) -> Identity | None:
        return self._identity

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def state(self) -> str:
        if self._started and not self._connected:
            return "disconnected"
        return self._device_state()

    # ----- connection lifecycle ---------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                # A bug must not kill the only thread that talks to the device.
                self.log.exception("%s poll cycle failed", self.name)
            self._pause(self.poll_interval)

    def _pause(self, seconds: float) -> None:
        if self._injected_clock:
            self._clock.sleep(seconds)
        else:
            self._stop.wait(seconds)  # stop() must not wait out a sleep

    def _open(self) -> None:
        self._close()
        self._link = self._make_link(self._transport_factory())

    def _close(self) -> None:
        if self._link is not None:
            self._link.transport.close()
            self._link = None

    def _require_link(self) -> LinkT:
        if self._link is None:
            raise TransportError(f"port {self._port_name} is not open")
        return self._link

    def _lost(self, reason: str) -> None:
        self.log.warning("%s device lost: %s", self.name, reason)
        self._close()
        self._connected = False
        self._notes.line_lost()
        self._wait_for_device(reason)

    def _start_silent(self, reason: str) -> None:
        """Started with no answer from the device: out of service until it answers."""
        self.log.warning("%s does not answer at start, waiting for it: %s", self.name, reason)
        self._started = self._start_up_owed = True
        self._wait_for_device(reason)

    def _wait_for_device(self, reason: str) -> None:
        self._backoff = RECONNECT_FIRST_DELAY
        self._next_attempt = self._clock.monotonic() + self._backoff
        self._notes.notify(Disconnected(reason))

    def _try_reconnect(self) -> None:
        """Try the device again; a device silent since the kiosk started gets the whole
        start-up, one that was lost gets brought back (``_reconnect``, ``_reconnected``)."""
        if self._clock.monotonic() < self._next_attempt:
            return
        first_answer = self._start_up_owed
        try:
            self._open()
            if first_answer:
                self._start_up()
            else:
                self._reconnect()
        except self.line_errors as exc:
            self._close()
            self._connected = False
            self._backoff = min(self._backoff * 2, RECONNECT_MAX_DELAY)
            self._next_attempt = self._clock.monotonic() + self._backoff
            self.log.info(
                "%s %s failed, next try in %.1f s: %s",
                self.name,
                "start-up" if first_answer else "reconnect",
                self._backoff,
                exc,
            )
            return
        if first_answer:
            self._start_up_owed = False  # _start_up identified it and applied the enabled set
        else:
            self._connected = True
            self._reconnected()
        self._notes.notify(Reconnected())  # once usable again, its enabled set restored

    # ----- the enabled set --------------------------------------------------------------
    def _apply_enabled(self) -> None:
        """Send the wanted enabled set if it changed since it was last applied (and the
        device's table is known)."""
        with self._wanted_lock:
            wanted, version = self._wanted, self._wanted_version
        if version == self._applied_version or not self.bill_table:
            return
        self._enable(wanted)
        self._applied_version = version


class StatusPollingAcceptor(
    PollingAcceptor[LinkT, InitNotesT], Generic[LinkT, InitNotesT, StatusT]
):
    """An acceptor whose every cycle is one status request (CCNET POLL, ID-003 STATUS
    REQUEST) and that is initialised again after a power-up: its start-up, cycle and
    reconnect are the same for both protocols."""

    @abstractmethod
    def _probe(self) -> StatusT:
        """Ask the device for its status (is anyone there?)."""

    @abstractmethod
    def _bring_up(self) -> None:
        """Initialise the device and restore the enabled set."""

    @abstractmethod
    def _initialize(self) -> None:
        """Initialise the device after it reported a power-up."""

    @abstractmethod
    def _handle(self, status: StatusT) -> None:
        """Act on one status reply."""

    def _start_up(self) -> None:
        self._probe()
        self._connected = self._started = True
        self._bring_up()

    def _cycle(self) -> None:
        if self._notes.needs_init:
            self._initialize()
        self._apply_enabled()
        self._handle(self._probe())
        if self._notes.needs_init:
            self._initialize()

    def _reconnect(self) -> None:
        self._probe()

    def _reconnected(self) -> None:
        # Reconnected is delivered after this: initialised, its enabled set restored.
        self._bring_up()
