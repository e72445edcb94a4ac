"""The SSP BillAcceptor: start-up sequence, poll loop, enabled set, reconnects.

The money rules are in notes.py. Start-up: SYNC → (eSSP key exchange) → HOST PROTOCOL
VERSION 6 → SETUP REQUEST (channel values) → SERIAL NUMBER → REJECT (a note left in escrow
by a previous host process is given back, never accepted blindly by the first poll, unless
this driver already let it through) → SET INHIBITS + ENABLE/DISABLE.
SSP needs no RESET (it would reboot the unit). Timing defaults as the other drivers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from drivers.bill.base import (
    AcceptorError,
    AcceptorEvent,
    BillAcceptor,
    DeviceError,
    Disconnected,
    Identity,
    Listener,
    Reconnected,
    Rejected,
)
from drivers.bill.ssp.codes import Command, Generic, reject_reason
from drivers.bill.ssp.essp import EsspError
from drivers.bill.ssp.link import Cipher, CommandLink, NoAnswer
from drivers.bill.ssp.notes import AfterReply, NoteTracker
from drivers.bill.ssp.protocol import (
    OkReply,
    PollReply,
    RefusedReply,
    Reply,
    SerialReply,
    SetupReply,
    SspHost,
)
from drivers.bill.ssp.records import inhibit_bytes
from drivers.transport import Clock, SystemClock, Transport, TransportError

log = logging.getLogger(__name__)

RECONNECT_FIRST_DELAY = 0.5
RECONNECT_MAX_DELAY = 10.0
HOST_PROTOCOL = 6

KeyExchange = Callable[[CommandLink], Cipher]


class _StartupFailed(Exception):
    """Initialization could not complete (the message says which step)."""


class SspAcceptor(BillAcceptor):
    """An ITL SSP note validator on a byte transport (contract: drivers.bill.base).

    ``key_exchange``: for a validator configured for eSSP, a function that runs the key
    exchange on a fresh link and returns the session cipher (see essp.py).
    """

    protocol = "ssp"

    def __init__(
        self,
        transport_factory: Callable[[], Transport],
        *,
        port_name: str,
        clock: Clock | None = None,
        poll_interval: float = 0.1,
        retries: int = 3,
        key_exchange: KeyExchange | None = None,
    ) -> None:
        self._transport_factory = transport_factory
        self._port_name = port_name
        self._injected_clock = clock is not None
        self._clock: Clock = clock or SystemClock()
        self.poll_interval = poll_interval
        self.retries = retries
        self._key_exchange = key_exchange
        self._notes = NoteTracker()
        self._host = SspHost()
        self._link: CommandLink | None = None
        self._connected = False
        self._started = False
        self._identity: Identity | None = None
        self._wanted_lock = threading.Lock()
        self._wanted: frozenset[int] = frozenset()
        self._wanted_version = 0
        self._applied_version = -1
        self._unfinished: tuple[PollReply, int] | None = None
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
            owed = self._collect_owed_reply()
            self._bring_up()
            if owed is not None:
                self._deliver_owed(owed)  # now that the channel values are known
            self._connected = self._started = True
            self.poll_once()  # deliver what the device reports since it powered up
        except (NoAnswer, TransportError, _StartupFailed) as exc:
            self._close()
            self._connected = False
            raise AcceptorError(
                f"bill acceptor on {self._port_name} does not work: {exc}."
                " Check the cable, the power, 9600 baud 8N2 and that the device speaks SSP."
            ) from exc
        if threaded:
            self._thread = threading.Thread(target=self._run, name="ssp-poll", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
            self._thread = None
        if self._connected and self._link is not None and self._unfinished is None:
            try:
                self._link.exchange(Command.DISABLE)
            except (NoAnswer, TransportError) as exc:
                log.warning("ssp could not disable the device on stop: %s", exc)
        self._close()
        self._connected = False

    def poll_once(self) -> None:
        try:
            if not self._connected:
                self._try_reconnect()
                return
            self._cycle()
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
        return self._notes.amounts

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def state(self) -> str:
        if self._started and not self._connected:
            return "disconnected"
        return self._notes.state

    # ----- connection lifecycle ---------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                # A bug must not kill the only thread that talks to the device.
                log.exception("ssp poll cycle failed")
            self._pause(self.poll_interval)

    def _pause(self, seconds: float) -> None:
        if self._injected_clock:
            self._clock.sleep(seconds)
        else:
            self._stop.wait(seconds)

    def _open(self) -> None:
        self._close()
        self._link = CommandLink(self._transport_factory(), retries=self.retries, host=self._host)

    def close_port(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._link is not None:
            self._link.transport.close()
            self._link = None

    def _lost(self, reason: str) -> None:
        log.warning("ssp device lost: %s", reason)
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
            if self._unfinished is not None:
                self._cycle()  # the device still holds the reply we owe an answer to
            self._bring_up()
        except (NoAnswer, TransportError, _StartupFailed) as exc:
            self._close()
            self._backoff = min(self._backoff * 2, RECONNECT_MAX_DELAY)
            self._next_attempt = self._clock.monotonic() + self._backoff
            log.info("ssp reconnect failed, next try in %.1f s: %s", self._backoff, exc)
            return
        self._connected = True
        self._notes.notify(Reconnected())  # usable again, its enabled set restored

    def _collect_owed_reply(self) -> PollReply | None:
        """A previous host process may have died before acknowledging a poll reply (a
        credit it never committed). REJECT is sent with each sequence flag: with the
        device's last flag it repeats that reply unexecuted; with the other it rejects a
        note left in escrow, harmlessly. Events found are delivered (a credit as
        DuplicateStacked: this process never let that note through)."""
        link = self._require_link()
        owed: PollReply | None = None
        for flag in (True, False):
            reply = link.exchange_with_flag(Command.REJECT, flag, read_as=Command.POLL)
            if isinstance(reply, PollReply) and reply.events and reply.unknown is None:
                log.warning("ssp device repeated a poll reply a previous host left unanswered")
                owed = reply
        return owed

    def _deliver_owed(self, owed: PollReply) -> None:
        after = AfterReply()
        if self._notes.handle(owed, 0, after) is not None:
            log.error("ssp listener refused an owed event at start: %s", owed)
        self._deliver(after.events)

    def _bring_up(self) -> None:
        """SYNC, key exchange, protocol version, setup, serial number, enabled set."""
        link = self._require_link()
        link.cipher = None
        self._expect_ok(link.exchange(Command.SYNC, plain=True), "SYNC")
        if self._key_exchange is not None:
            try:
                link.cipher = self._key_exchange(link)
            except EsspError as exc:
                raise _StartupFailed(f"eSSP key exchange failed: {exc}") from exc
        self._expect_ok(link.exchange(Command.HOST_PROTOCOL_VERSION, bytes((HOST_PROTOCOL,))),
                        "HOST PROTOCOL VERSION")
        setup = link.exchange(Command.SETUP_REQUEST)
        serial = link.exchange(Command.SERIAL_NUMBER)
        if isinstance(setup, RefusedReply) and setup.code == Generic.KEY_NOT_SET:
            raise _StartupFailed(
                "the validator requires eSSP (it answers 'key not set' or cannot decrypt):"
                " configure its fixed key"
            )
        if not isinstance(setup, SetupReply) or not isinstance(serial, SerialReply):
            raise _StartupFailed(f"unexpected identity replies: {setup}, {serial}")
        info = setup.setup
        identity = Identity(
            model=f"SSP unit 0x{info.unit_type:02X} {info.country}",
            serial=str(serial.serial),
            firmware=info.firmware,
        )
        if self._identity is not None and self._identity.serial != identity.serial:
            self._notes.notify(
                DeviceError(
                    f"a different bill acceptor answers now: serial {identity.serial},"
                    f" was {self._identity.serial}"
                )
            )
        self._identity = identity
        self._notes.amounts = info.amounts
        if not self._notes.accepting_a_note:
            # The next poll would accept a note left in escrow that nobody decided here:
            # give it back first (harmless when there is none).
            self._refused_if(link.exchange(Command.REJECT), "REJECT")
        self._applied_version = -1
        self._apply_enabled()

    @staticmethod
    def _expect_ok(reply: Reply, what: str) -> None:
        if isinstance(reply, RefusedReply) and reply.code == Generic.KEY_NOT_SET:
            raise _StartupFailed(
                f"the validator refused {what}: it requires eSSP and cannot decrypt"
                " (check the configured fixed key)"
            )
        if not isinstance(reply, OkReply):
            raise _StartupFailed(f"the device refused {what} ({reply})")

    def _require_link(self) -> CommandLink:
        if self._link is None:
            raise TransportError(f"port {self._port_name} is not open")
        return self._link

    # ----- one poll cycle ---------------------------------------------------------------
    def _cycle(self) -> None:
        link = self._require_link()
        if self._unfinished is not None:
            reply, start = self._unfinished
            repeated = link.repeat("POLL (repeat for an unacknowledged event)")
            if isinstance(repeated, PollReply):
                reply = repeated
            else:
                log.warning("ssp repeated poll answered with %s", repeated)
        else:
            self._apply_enabled()
            answer = link.exchange(Command.POLL)
            if isinstance(answer, RefusedReply):
                self._deliver(self._notes.failed(answer.code, answer.data))
                return
            if not isinstance(answer, PollReply):
                raise NoAnswer(f"POLL answered with {answer}")
            reply, start = answer, 0
        after = AfterReply()
        failed_at = self._notes.handle(reply, start, after)
        self._unfinished = None if failed_at is None else (reply, failed_at)
        self._deliver(after.events)
        if failed_at is None:
            self._after(link, after)

    def _after(self, link: CommandLink, after: AfterReply) -> None:
        """Commands a reply called for, once all of it was handled."""
        channel = self._notes.escrow_channel
        if after.reject and channel is not None:
            reply = link.exchange(Command.REJECT)  # before polling again: the note comes back
            self._notes.rejected_by_host(channel)
            self._refused_if(reply, "REJECT")
        if after.ask_reject_code:
            reply = link.exchange(Command.LAST_REJECT_CODE)
            code = reply.data[0] if isinstance(reply, OkReply) and reply.data else 0xFF
            self._notes.notify(Rejected(code, reject_reason(code)))
        if after.setup_again:
            self._applied_version = -1  # the unit restarted disabled: restore the set
            self._apply_enabled()

    def _deliver(self, events: Iterable[AcceptorEvent]) -> None:
        for event in events:
            self._notes.notify(event)

    def _refused_if(self, reply: Reply, what: str) -> None:
        if isinstance(reply, RefusedReply):
            self._notes.notify(DeviceError(f"device refused {what} ({reply.reason})"))

    def _apply_enabled(self) -> None:
        with self._wanted_lock:
            wanted, version = self._wanted, self._wanted_version
        if version == self._applied_version or not self._notes.amounts:
            return
        channels = [i + 1 for i, amount in enumerate(self._notes.amounts) if amount in wanted]
        unknown = wanted - set(self._notes.amounts)
        if unknown:
            log.warning("ssp cannot enable amounts no channel has: %s", sorted(unknown))
        link = self._require_link()
        self._refused_if(link.exchange(Command.SET_INHIBITS, inhibit_bytes(channels)),
                         "SET INHIBITS")
        command = Command.ENABLE if channels else Command.DISABLE
        self._refused_if(link.exchange(command), command.name)
        self._notes.enabled = bool(channels)
        self._applied_version = version

