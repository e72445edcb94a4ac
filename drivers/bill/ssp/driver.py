"""The SSP BillAcceptor: start-up sequence, poll cycle, replies a host left unhandled.

The money rules are the one note rule in drivers/bill/notes.py, run by the adapter
notes.py; the thread, reconnects and the enabled set in
drivers/bill/polling.py. Start-up: SYNC → (eSSP key exchange) → HOST PROTOCOL
VERSION 6 → SETUP REQUEST (channel values) → SERIAL NUMBER → REJECT (a note left in escrow
by a previous host process is given back, never accepted blindly by the first poll, unless
this driver already let it through) → SET INHIBITS + ENABLE/DISABLE.
SSP needs no RESET (it would reboot the unit). Then, as the other drivers do, start polls
until a note found in the path comes to rest. Timing defaults as the other drivers.

Write before acknowledge across a host restart: the device repeats its last reply to a packet
with the same sequence flag, but a new host does not know which flag the dead one used last,
and a packet with the other flag acknowledges (discards) that reply. So every POLL goes out
with the flag set (``POLL_FLAG``), a read-only spacer command going first when the flag would
be clear, and a new host asks with the flag set: the device repeats a POLL reply it still
holds. A reply the device no longer holds (it was acknowledged to bring the link up, or the
unit restarted) is kept in memory until the listener takes it.

On units that know it, the poll is POLL WITH ACK: a note's final event (a credit above all)
is repeated until this driver sends EVENT ACK, which it does only once the listener has taken
the whole reply (any reply with a one-off event: see codes.STATE_EVENTS). That holds across a
new eSSP key, where the flag trick cannot help: the unit's repeated reply is encrypted with
the dead process's key. A unit that answers POLL WITH ACK "unknown command" is polled with
POLL.

Inside an eSSP session an unencrypted reply to an encrypted command is never read (link.py):
it is logged as a possible device spliced into the cable, counted in
``plain_replies_refused`` (for the service menu and the heartbeat), and the key is exchanged
again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from drivers.bill.base import AcceptorEvent, DeviceError, Identity, Rejected
from drivers.bill.polling import PollingAcceptor, StartupFailed
from drivers.bill.ssp.codes import (
    ENCRYPTED,
    STATE_EVENTS,
    Command,
    Event,
    Generic,
    reject_reason,
)
from drivers.bill.ssp.essp import EsspError
from drivers.bill.ssp.link import Cipher, CommandLink, NoAnswer, PlainReply, SessionLost
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
from drivers.transport import Clock, Transport, TransportError

log = logging.getLogger(__name__)

HOST_PROTOCOL = 6
POLL_FLAG = True  # the sequence flag of every POLL: a new host asks with it for a lost reply
SPACER = Command.SERIAL_NUMBER  # read-only, no effect on the note path: keeps POLL_FLAG
SETTLE_LIMIT = 30.0  # seconds for a note in the path at start to come to rest
# Tracker states of a note on its way (notes.py names them after the last event).
_NOTE_MOVING = frozenset({"accepting", "escrow", "stacking", "rejecting"})

KeyExchange = Callable[[CommandLink], Cipher]
_UNREADABLE = -1  # the dead host's last reply, in a session key nobody alive has


@dataclass(frozen=True, slots=True)
class _Unhandled:
    """A POLL reply not handled to its end: events ``start``… are still to be delivered.
    ``reply`` is None while a POLL went out and no reply came back."""

    reply: PollReply | None
    start: int = 0


class SspAcceptor(PollingAcceptor[CommandLink, NoteTracker]):
    """An ITL SSP note validator on a byte transport (contract: drivers.bill.base).

    ``key_exchange``: for a validator configured for eSSP, a function that runs the key
    exchange on a fresh link and returns the session cipher (see essp.py).
    """

    protocol = "ssp"
    name = "ssp"
    advice = "Check the cable, the power, 9600 baud 8N2 and that the device speaks SSP."
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
        key_exchange: KeyExchange | None = None,
    ) -> None:
        super().__init__(
            transport_factory,
            port_name=port_name,
            notes=NoteTracker(),
            clock=clock,
            poll_interval=poll_interval,
            retries=retries,
        )
        self._key_exchange = key_exchange
        self._host = SspHost()  # kept across reconnects: a repeat needs its last packet
        self._cipher: Cipher | None = None  # and the eSSP session that packet was sealed in
        self._unfinished: _Unhandled | None = None  # the device still holds its reply
        self._owed: _Unhandled | None = None  # the device does not: delivered from memory
        self._with_ack: bool | None = None  # POLL WITH ACK known to work; None: not tried yet
        self._poll_command = Command.POLL_WITH_ACK  # of the last poll sent
        self.plain_replies_refused = 0  # unencrypted replies inside an eSSP session

    def stop(self) -> None:
        super().stop()
        untaken = [u.reply for u in (self._owed, self._unfinished) if u and u.reply]
        if untaken:  # the cash count at collection has to settle these
            log.error("ssp stopped before the listener took these events: %s", untaken)

    @property
    def bill_table(self) -> tuple[int, ...]:
        return self._notes.amounts

    @property
    def link_alerts(self) -> dict[str, int]:
        """In an eSSP session: the unencrypted replies refused (a possible splice)."""
        if self._key_exchange is None:
            return {}
        return {"plain_replies_refused": self.plain_replies_refused}

    @property
    def polls_with_ack(self) -> bool | None:
        """True once the unit answered POLL WITH ACK, False if it does not know it."""
        return self._with_ack

    # ----- the protocol's parts of the polling scaffold ----------------------------------
    def _make_link(self, transport: Transport) -> CommandLink:
        link = CommandLink(transport, retries=self.retries, host=self._host)
        link.cipher = self._cipher  # a reply still owed is read with its session's key
        return link

    def _start_up(self) -> None:
        escrow = self._collect_owed_reply()
        self._bring_up()  # acknowledges the owed reply: it is delivered from memory
        if escrow == _UNREADABLE:
            self._notes.rejected_unknown_by_host()  # whatever it held, REJECT gave it back
        elif escrow is not None:
            self._notes.rejected_by_host(escrow)  # given back by the bring-up's REJECT
        if self._owed is not None:
            self._deliver_owed()  # now that the channel values are known
        self._connected = self._started = True
        self.poll_once()  # deliver what the device reports since it powered up
        self._settle()

    def _reconnect(self) -> None:
        if self._unfinished is not None:
            self._cycle()  # the device holds the reply to a POLL not handled to its end
        if self._unfinished is not None:
            self._keep(self._unfinished)  # the bring-up acknowledges it
            self._unfinished = None
        self._bring_up()

    def _quiet(self, link: CommandLink) -> None:
        if self._unfinished is None:  # a new command would acknowledge the held reply
            link.exchange(Command.DISABLE)

    def _device_state(self) -> str:
        return self._notes.state

    # ----- recovery of replies a host did not handle to their end ------------------------
    def _collect_owed_reply(self) -> int | None:
        """A previous host process may have died before handling a POLL reply to its end
        (a credit it never committed). REJECT goes out with ``POLL_FLAG``: if the dead
        host's last packet was a POLL, the device repeats that reply unexecuted; otherwise
        it rejects a note left in escrow, harmlessly. The events found are kept to be
        delivered (a credit as DuplicateStacked: this process never let that note
        through), except a note in escrow: nobody alive decided it, it is given back.
        Returns that note's channel; ``_UNREADABLE`` for a reply sealed with a dead eSSP
        session's key (a unit with POLL WITH ACK repeats its credit; a note in escrow is
        given back by the bring-up's REJECT, its value unknown here)."""
        link = self._require_link()
        reply = link.exchange_with_flag(Command.REJECT, POLL_FLAG, read_as=Command.POLL)
        if isinstance(reply, RefusedReply) and reply.code == ENCRYPTED:
            log.warning("ssp device repeated a reply sealed with a previous session's key")
            return _UNREADABLE
        if not isinstance(reply, PollReply) or not reply.events or reply.unknown is not None:
            return None
        log.warning(
            "ssp device repeated a poll reply a previous host left unanswered",
            extra={"events": [event.name for event in reply.events]},
        )
        escrow = [e.channel for e in reply.events if e.code == Event.READ and e.channel]
        kept = tuple(e for e in reply.events if e.code != Event.READ or not e.channel)
        self._keep(_Unhandled(PollReply(kept)))
        return escrow[-1] if escrow else None

    def _keep(self, unhandled: _Unhandled) -> None:
        """The device no longer holds this reply: its events from ``start`` on wait in
        memory, after any kept before them."""
        if unhandled.reply is None or unhandled.start >= len(unhandled.reply.events):
            return
        events = unhandled.reply.events[unhandled.start :]
        if self._owed is not None and self._owed.reply is not None:
            events = self._owed.reply.events[self._owed.start :] + events
        self._owed = _Unhandled(PollReply(events, unhandled.reply.unknown))

    def _deliver_owed(self) -> bool:
        """Deliver events the device no longer holds; False while the listener fails."""
        owed = self._owed
        if owed is None or owed.reply is None:
            self._owed = None
            return True
        after = AfterReply()  # the device moved on: the commands a reply calls for are moot
        failed_at = self._notes.handle(owed.reply, owed.start, after)
        self._owed = None if failed_at is None else _Unhandled(owed.reply, failed_at)
        self._deliver(after.events)
        return failed_at is None

    def _settle(self) -> None:
        """Poll until a note found in the path at start (given back, being stacked) comes
        to rest: its outcome reaches the listener before the caller's recovery runs."""
        deadline = self._clock.monotonic() + SETTLE_LIMIT
        while (
            self._connected
            and self._clock.monotonic() < deadline
            and (self._notes.state in _NOTE_MOVING or self._notes.accepting_a_note)
        ):
            self._pause(self.poll_interval)
            self.poll_once()

    def _bring_up(self) -> None:
        """SYNC, key exchange, protocol version, setup, serial number, enabled set."""
        link = self._require_link()
        link.cipher = self._cipher = None
        self._expect_ok(link.exchange(Command.SYNC, plain=True), "SYNC")
        if self._key_exchange is not None:
            try:
                link.cipher = self._cipher = self._key_exchange(link)
            except EsspError as exc:
                raise StartupFailed(f"eSSP key exchange failed: {exc}") from exc
        try:
            self._identify_and_enable(link)
        except PlainReply as exc:
            self._refused_plain(exc)
            raise StartupFailed(f"eSSP start-up refused an {exc}") from exc
        except SessionLost as exc:  # right after the key exchange: the keys do not match
            raise StartupFailed(
                "the validator requires eSSP and cannot decrypt what this host sends"
                " (check the configured fixed key)"
            ) from exc

    def _identify_and_enable(self, link: CommandLink) -> None:
        self._expect_ok(
            link.exchange(Command.HOST_PROTOCOL_VERSION, bytes((HOST_PROTOCOL,))),
            "HOST PROTOCOL VERSION",
        )
        setup = link.exchange(Command.SETUP_REQUEST)
        serial = link.exchange(Command.SERIAL_NUMBER)
        if isinstance(setup, RefusedReply) and setup.code == Generic.KEY_NOT_SET:
            raise StartupFailed(
                "the validator requires eSSP (it answers 'key not set' or cannot decrypt):"
                " configure its fixed key"
            )
        if not isinstance(setup, SetupReply) or not isinstance(serial, SerialReply):
            raise StartupFailed(f"unexpected identity replies: {setup}, {serial}")
        info = setup.setup
        identity = Identity(
            model=f"SSP unit 0x{info.unit_type:02X} {info.country}",
            serial=str(serial.serial),
            firmware=info.firmware,
        )
        if self._identity is not None and self._identity.serial != identity.serial:
            self._with_ack = None  # another unit: its firmware may differ
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
            raise StartupFailed(
                f"the validator refused {what}: it requires eSSP and cannot decrypt"
                " (check the configured fixed key)"
            )
        if not isinstance(reply, OkReply):
            raise StartupFailed(f"the device refused {what} ({reply})")

    # ----- one poll cycle ---------------------------------------------------------------
    def _cycle(self) -> None:
        try:
            self._poll_cycle()
        except SessionLost as exc:
            # The unit restarted inside an eSSP session: it holds no reply of ours now, and
            # it reports its restart (and any note it found) once it has a new key. After a
            # refused plain reply the new key also shuts out whatever sent it.
            if isinstance(exc, PlainReply):
                self._refused_plain(exc)
            else:
                log.warning("ssp %s: new key exchange", exc)
            if self._unfinished is not None:
                self._keep(self._unfinished)
                self._unfinished = None
            self._bring_up()

    def _refused_plain(self, exc: PlainReply) -> None:
        self.plain_replies_refused += 1
        log.warning(
            "ssp_plain_reply_refused",
            extra={
                "event": "ssp_plain_reply_refused",
                "reason": "unencrypted reply inside an eSSP session: possible device spliced"
                " into the cable; nothing in it was read, new key exchange",
                "command": exc.command,
                "first_byte": f"0x{exc.first_byte:02X}",
                "length": exc.length,
                "refused_total": self.plain_replies_refused,
            },
        )

    def _poll_cycle(self) -> None:
        link = self._require_link()
        if self._owed is not None and not self._deliver_owed():
            return  # nothing new from the device before what it already reported
        if self._unfinished is None:
            answer, pending = self._new_poll(link), self._unfinished
        else:
            answer, pending = self._repeat_poll(link, self._unfinished)
        if answer is None or pending is None:
            return
        if not isinstance(answer, PollReply):
            raise NoAnswer(f"POLL answered with {answer}")
        after = AfterReply()
        failed_at = self._notes.handle(answer, pending.start, after)
        self._unfinished = None if failed_at is None else _Unhandled(answer, failed_at)
        self._deliver(after.events)
        if failed_at is None:
            if self._poll_command is Command.POLL_WITH_ACK and any(
                event.code not in STATE_EVENTS for event in answer.events
            ):
                self._acknowledge(link)
            self._after(link, after)

    def _new_poll(self, link: CommandLink) -> Reply | None:
        """Send a fresh POLL (WITH ACK where the unit knows it): its reply, or None when
        the cycle is over (refused: a FAIL reported, or polled again the plain way)."""
        self._apply_enabled()
        if link.host.sequence == POLL_FLAG:  # the next packet would carry the other flag
            self._refused_if(link.exchange(SPACER), SPACER.name)
        self._unfinished = _Unhandled(None)  # until its reply is handled
        command = Command.POLL if self._with_ack is False else Command.POLL_WITH_ACK
        self._poll_command = command
        answer = link.exchange(command)
        if isinstance(answer, RefusedReply):
            self._unfinished = None
            if command is Command.POLL_WITH_ACK and answer.code == Generic.UNKNOWN_COMMAND:
                log.info("ssp unit does not know POLL WITH ACK: polling with POLL")
                self._with_ack = False
                self._poll_cycle()  # this cycle's poll, the plain way
            else:
                self._deliver(self._notes.failed(answer.code, answer.data))
            return None
        if command is Command.POLL_WITH_ACK and self._with_ack is None:
            log.info("ssp unit polled with ACK: its final note events wait for EVENT ACK")
            self._with_ack = True
        return answer

    def _repeat_poll(
        self, link: CommandLink, pending: _Unhandled
    ) -> tuple[Reply | None, _Unhandled | None]:
        """Send the last POLL again (same flag) for a reply not handled to its end: the
        reply and what of it is left to handle, or None when the cycle is over."""
        answer = link.repeat("POLL (repeat for a reply not handled to its end)")
        if pending.reply is not None and answer != pending.reply:
            # The unit no longer holds that reply (it restarted): keep the rest in memory.
            log.warning("ssp repeated poll answered with %s", answer)
            self._keep(pending)
            self._unfinished = None
            if isinstance(answer, PollReply):
                self._unfinished = _Unhandled(answer)  # held by the device meanwhile
            if not self._deliver_owed() or self._unfinished is None:
                return None, None
            return answer, self._unfinished
        if isinstance(answer, RefusedReply):
            log.warning("ssp repeated poll answered with %s", answer)
            self._unfinished = None
            return None, None
        return answer, pending

    def _acknowledge(self, link: CommandLink) -> None:
        """EVENT ACK for a POLL WITH ACK reply the listener has taken to its end."""
        reply = link.exchange(Command.EVENT_ACK)
        if not isinstance(reply, OkReply):
            self._with_ack = False  # it would repeat those events for ever
            self._notes.notify(
                DeviceError(f"device refused EVENT ACK ({reply}): polling without acknowledgement")
            )

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

    def _enable(self, wanted: frozenset[int]) -> None:
        channels = [i + 1 for i, amount in enumerate(self._notes.amounts) if amount in wanted]
        unknown = wanted - set(self._notes.amounts)
        if unknown:
            log.warning("ssp cannot enable amounts no channel has: %s", sorted(unknown))
        link = self._require_link()
        self._refused_if(
            link.exchange(Command.SET_INHIBITS, inhibit_bytes(channels)), "SET INHIBITS"
        )
        command = Command.ENABLE if channels else Command.DISABLE
        self._refused_if(link.exchange(command), command.name)
        self._notes.enabled = bool(channels)
