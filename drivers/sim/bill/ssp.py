"""Sans-IO SSP note validator: the simulator's device side of the wire.

``SspDevice`` is the shared validator mechanics (drivers/sim/bill/mechanics.py: note path,
faults, ground truth) behind an SSP interface: packets with stuffing and the sequence flag
(a repeated flag gets the last reply again, unexecuted), poll replies built from what
happened since the last poll (several events per reply), "the next poll accepts the note in
escrow", REJECT, HOLD, and the same scriptable line faults and control channel as the CCNET
simulator. An eSSP session (essp.py) can be required with ``require_encryption=True``.

POLL WITH ACK (0x56) reports as POLL does, but the events of ``ACK_EVENTS`` it reported are
repeated by every later POLL WITH ACK, and the unit takes no further note, until EVENT ACK
(0x57) (or a plain POLL, which reports them once more the plain way). They live in the unit,
not in the session: SYNC and a new eSSP key keep them, a power cut loses them.
``poll_with_ack=False`` is firmware that answers both "unknown command".

Power-up: the unit restarts (disabled, every channel inhibited) when it is powered or RESET;
the SLAVE RESET event (0xF1) of the first poll only reports that. What the host sets after
power-on (SET INHIBITS, ENABLE) stays: ITL's SDK flow configures before its first POLL.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from drivers.bill.ccnet.codes import Status as Mech
from drivers.bill.ssp.codes import ACK_EVENTS, Command, Event, Generic
from drivers.bill.ssp.essp import DeviceSession
from drivers.bill.ssp.packets import Packet, PacketReader, encode_packet
from drivers.bill.ssp.protocol import parse_poll
from drivers.bill.ssp.records import (
    MAX_CHANNELS,
    enabled_channels,
    encode_setup,
    unit_data_of_setup,
)
from drivers.sim.bill.control import handle_control_line
from drivers.sim.bill.mechanics import (
    KZT_NOTES,
    Fault,
    Phase,
    SimulatorRefused,
    Timings,
    ValidatorMechanics,
)
from drivers.transport import Clock

if TYPE_CHECKING:
    from drivers.sim.bill.ccnet import CcnetDevice

__all__ = ["SimulatorRefused", "SspDevice", "Timings"]

_OK = bytes((Generic.OK,))
_CONDITION_EVENTS = {
    Fault.CASSETTE_OUT: Event.CASHBOX_REMOVED,
    Fault.CASSETTE_FULL: Event.STACKER_FULL,
    Fault.JAMMED: Event.UNSAFE_JAM,
    Fault.CASSETTE_JAMMED: Event.SAFE_JAM,
}
_REJECT_CODES = {0x68: 0x06, 0x65: 0x0E}  # the mechanics' inhibit / recognition reasons
HOST_REJECT = 0x08
NOTE_RECOGNITION = 0x0E
_FAILURE_CODES = {0x50: 0x01}  # the control channel's CCNET-style default


class SspDevice(ValidatorMechanics):
    """A simulated SSP note validator speaking real wire bytes. Thread-safe."""

    bits_per_byte = 11  # 8N2

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        notes: Sequence[int] = KZT_NOTES,
        timings: Timings = Timings(),  # noqa: B008 (a frozen value)
        capacity: int | None = None,
        require_encryption: bool = False,
        fixed_key: int = 0x0123456701234567,
        poll_with_ack: bool = True,
    ) -> None:
        if len(notes) > MAX_CHANNELS:
            raise ValueError(f"SSP has at most {MAX_CHANNELS} channels here")
        super().__init__(clock=clock, notes=notes, timings=timings, capacity=capacity)
        self._rng = random.Random(seed)
        self.serial_number = self._rng.randrange(10**8, 2**31)
        self._setup = encode_setup(tuple(notes))
        self.channels_enabled: frozenset[int] = frozenset()
        self.unit_enabled = False
        self.require_encryption = require_encryption
        self.poll_with_ack = poll_with_ack  # False: firmware that answers 0x56/0x57 "unknown"
        self.session = DeviceSession(fixed_key, self._rng)
        self._reader = PacketReader()
        self._last_sequence: bool | None = None
        self._last_reply = b""
        self._unacked = b""  # events a POLL WITH ACK reported, repeated until EVENT ACK
        self._escrow_reported = False
        self._rejecting_reported = False
        self._cassette_was_out = False
        self._cheat_channel: int | None = None
        self._power_up_channel = 0
        self.last_reject_code = 0
        self._noise_left = 0
        self._drop_left = 0
        self._mute_until = float("-inf")
        self.frames_received = 0

    # ----- the wire --------------------------------------------------------------------
    def receive_data(self, data: bytes) -> bytes:
        """Bytes from the host in; reply bytes out (nothing while muted)."""
        with self._lock:
            self._advance()
            if self._clock.monotonic() < self._mute_until:
                return b""
            self._reader.feed(data)
            out = bytearray()
            while (packet := self._reader.next_packet()) is not None:
                self.frames_received += 1
                if self._drop_left:
                    self._drop_left -= 1
                    continue
                if packet.address != 0:
                    continue
                out += self._answer(packet)
            self._reader.take_corrupt()  # a damaged packet is ignored: the host repeats it
            return bytes(out)

    def _answer(self, packet: Packet) -> bytes:
        data = packet.data
        if data[:1] == bytes((Command.SYNC,)):
            self._last_sequence = packet.sequence
            self.session.reset()
            reply = _OK
        elif packet.sequence == self._last_sequence and self._last_reply:
            return self._send(self._last_reply, packet.sequence)  # a repeat: not executed
        else:
            self._last_sequence = packet.sequence
            reply = self._execute_packet(data)
        self._last_reply = reply
        return self._send(reply, packet.sequence)

    def _execute_packet(self, data: bytes) -> bytes:
        if self.session.is_encrypted(data):
            plain = self.session.unwrap(data)
            if plain is None:
                return bytes((Generic.KEY_NOT_SET,))  # wrong key or count: discarded
            return self.session.wrap(self._execute(plain[0], plain[1:]))
        if self.require_encryption and data[0] not in _PLAIN_ALLOWED:
            return bytes((Generic.KEY_NOT_SET,))
        return self._execute(data[0], data[1:])

    def _send(self, reply: bytes, sequence: bool) -> bytes:
        raw = bytearray(encode_packet(reply, sequence=sequence))
        if self._noise_left:
            self._noise_left -= 1
            # One flipped bit in the LEN/DATA/CRC part: the CRC catches it.
            position = self._rng.randrange(2, len(raw))
            raw[position] ^= 1 << self._rng.randrange(7)  # bit 7 kept: 0x7F stays no STX
        return bytes(raw)

    def _execute(self, code: int, args: bytes) -> bytes:
        if code == Command.POLL:
            return self._poll()
        if code in (Command.POLL_WITH_ACK, Command.EVENT_ACK) and not self.poll_with_ack:
            return bytes((Generic.UNKNOWN_COMMAND,))
        if code == Command.POLL_WITH_ACK:
            return self._poll(with_ack=True)
        if code == Command.EVENT_ACK:
            self._unacked = b""
            self._apply()  # the unit takes notes again
            return _OK
        if code in _KEY_COMMANDS:
            return self.session.key_command(code, args)
        if code == Command.HOST_PROTOCOL_VERSION:
            return _OK if args and 4 <= args[0] <= 8 else bytes((Generic.OUT_OF_RANGE,))
        if code == Command.SETUP_REQUEST:
            return _OK + self._setup
        if code == Command.UNIT_DATA:
            return _OK + unit_data_of_setup(self._setup)
        if code == Command.SERIAL_NUMBER:
            return _OK + self.serial_number.to_bytes(4, "big")
        if code == Command.SET_INHIBITS:
            if not args:
                return bytes((Generic.WRONG_PARAMETERS,))
            self.channels_enabled = enabled_channels(args)
            self._apply()
            return _OK
        if code in (Command.ENABLE, Command.DISABLE):
            self.unit_enabled = code == Command.ENABLE
            self._apply()
            return _OK
        if code == Command.REJECT:
            if self.order("return"):
                self.last_reject_code = HOST_REJECT
                self._escrow_reported = False
            return _OK
        if code == Command.HOLD:
            return _OK if self.order("hold") else bytes((Generic.CANNOT_PROCESS,))
        if code == Command.LAST_REJECT_CODE:
            return _OK + bytes((self.last_reject_code,))
        if code == Command.RESET:
            self._power_down()
            self._restart_settings()  # it reboots: what the host set is gone
            return _OK
        return bytes((Generic.UNKNOWN_COMMAND,))

    def _apply(self) -> None:
        if not self.unit_enabled or self._unacked:
            self.enable_mask = 0
            return
        self.enable_mask = sum(1 << (ch - 1) for ch in self.channels_enabled)
        self.escrow_mask = self.enable_mask  # every note waits for the host's next poll

    # ----- poll events -----------------------------------------------------------------
    def _poll(self, *, with_ack: bool = False) -> bytes:
        if self.fault is Fault.FAILURE and self.phase is not Phase.POWER_UP:
            code = _FAILURE_CODES.get(self.failure_code, self.failure_code)
            return bytes((Generic.FAIL, code))
        if self._unacked:
            unacked = self._unacked
            if not with_ack:  # reported the plain way: acknowledged by the next flag
                self._unacked = b""
                self._apply()
            return _OK + unacked  # nothing moves on until the host acknowledges them
        events = bytearray()
        self._events(events, with_ack)
        self.polled()
        if with_ack:
            self._unacked = _ack_events(bytes(events))
            self._apply()
        return _OK + bytes(events)

    def _events(self, events: bytearray, with_ack: bool = False) -> None:
        if self.phase is Phase.POWER_UP:
            events.append(Event.SLAVE_RESET)
            code = self._power_up_code
            if code == Mech.POWER_UP_BILL_IN_STACKER:
                events += bytes((Event.CLEARED_INTO_CASHBOX, self._power_up_channel))
            elif code == Mech.POWER_UP_BILL_IN_VALIDATOR:
                events += bytes((Event.CLEARED_FROM_FRONT, self._power_up_channel))
            self.host_reset()  # the restart's initialization; a note at the front comes out
            self._apply()  # the report undoes nothing the host set since power-on
            self._escrow_reported = self._rejecting_reported = False
            return
        if self._rejecting_reported and self.phase not in (Phase.REJECTING, Phase.RETURNING):
            events.append(Event.REJECTED)
            self._rejecting_reported = False
            if self.phase is Phase.RETURNED:
                self.acknowledged()
        if self.fault is not None:
            self._fault_events(events)
            return
        if self._cassette_was_out:
            events.append(Event.CASHBOX_REPLACED)
            self._cassette_was_out = False
        self._phase_events(events, with_ack)

    def _fault_events(self, events: bytearray) -> None:
        self._escrow_reported = False  # polls during a fault do not accept: read again after
        if self.fault is Fault.CHEATED:
            if self._cheat_channel is not None:
                events += bytes((Event.FRAUD_ATTEMPT, self._cheat_channel))
                self._cheat_channel = None
            else:
                events.append(Event.DISABLED)
            return
        if self.fault is not None and self.fault in _CONDITION_EVENTS:
            events.append(_CONDITION_EVENTS[self.fault])
            self._cassette_was_out = self.fault is Fault.CASSETTE_OUT

    def _phase_events(self, events: bytearray, with_ack: bool) -> None:
        note = self._note
        channel = (note.bill_type or 0) + 1 if note is not None else 0
        phase = self.phase
        if phase not in (Phase.ESCROW, Phase.HOLDING):
            self._escrow_reported = False  # that note is gone (cheat, jam, timeout)
        if phase is Phase.INITIALIZE and with_ack:
            events.append(Event.INITIALISING)
        elif phase in (Phase.INITIALIZE, Phase.IDLE):
            if not self.enable_mask:
                events.append(Event.DISABLED)
        elif phase is Phase.ACCEPTING:
            events += bytes((Event.READ, 0))
        elif phase in (Phase.ESCROW, Phase.HOLDING):
            if not self._escrow_reported:
                events += bytes((Event.READ, channel))
                self._escrow_reported = True
            else:
                self.order("stack")  # the poll after "read" accepts the note
                self._escrow_reported = False
                events.append(Event.STACKING)
        elif phase is Phase.STACKING:
            events.append(Event.STACKING)
        elif phase is Phase.STACKED:
            events += bytes((Event.CREDIT, channel, Event.STACKED))
            self.acknowledged()
        elif phase in (Phase.RETURNING, Phase.REJECTING, Phase.RETURNED):
            if phase is Phase.REJECTING and note is not None and note.reject_reason:
                reason = note.reject_reason
                self.last_reject_code = _REJECT_CODES.get(reason, reason)
            events.append(Event.REJECTING)
            self._rejecting_reported = True

    @property
    def awaiting_event_ack(self) -> bool:
        """True while events a POLL WITH ACK reported wait for EVENT ACK."""
        with self._lock:
            return bool(self._unacked)

    # ----- the shared device API, adapted -------------------------------------------------
    def power_cycle(self) -> None:
        with self._lock:
            self._advance()
            note = self._note
            self._power_up_channel = (note.bill_type or 0) + 1 if note is not None else 0
            super().power_cycle()
            self._reader.clear()
            self._last_reply = b""
            self._last_sequence = None
            self._unacked = b""  # kept in RAM: a power cut loses them
            self.session.reset()
            self._restart_settings()

    def _restart_settings(self) -> None:
        """A restarted unit is disabled with every channel inhibited."""
        self.channels_enabled, self.unit_enabled = frozenset(), False
        self._apply()

    def left_enabled(self) -> None:
        """A previous host enabled the unit and every channel and died: the unit idles,
        accepting notes, with nobody polling."""
        with self._lock:
            self._idle_as_left()
            self.channels_enabled = frozenset(
                i + 1 for i, amount in enumerate(self.bill_amounts) if amount)
            self.unit_enabled = True
            self._apply()

    def cheat(self) -> None:
        with self._lock:
            self._advance()
            note = self._note
            self._cheat_channel = (note.bill_type or 0) + 1 if note is not None else 0
            super().cheat()

    def insert_fake(self, reason: int = 0x65) -> None:
        """A forged note; rejected (reported by LAST REJECT CODE as note recognition)."""
        super().insert_fake(reason)

    # ----- line faults a test can script -------------------------------------------------
    def noise(self, frames: int) -> None:
        """Corrupt the next ``frames`` packets the device sends."""
        if frames < 0:
            raise SimulatorRefused("noise takes a frame count >= 0")
        with self._lock:
            self._noise_left = frames

    def drop(self, frames: int) -> None:
        """Lose the next ``frames`` packets from the host before they arrive."""
        if frames < 0:
            raise SimulatorRefused("drop takes a frame count >= 0")
        with self._lock:
            self._drop_left = frames

    def mute(self, seconds: float) -> None:
        """Answer nothing (and hear nothing) for ``seconds`` of the device clock."""
        if seconds < 0:
            raise SimulatorRefused("mute takes seconds >= 0")
        with self._lock:
            self._mute_until = self._clock.monotonic() + seconds
            self._reader.clear()

    def control(self, line: str) -> str:
        """One control-channel command line in, one answer line out (never raises)."""
        # The control channel uses only the device API every simulator shares.
        return handle_control_line(cast("CcnetDevice", self), line)


def _ack_events(reply: bytes) -> bytes:
    """The events of a poll reply's event bytes that wait for EVENT ACK, re-encoded."""
    kept = bytearray()
    for event in parse_poll(_OK + reply).events:
        if event.code in ACK_EVENTS:
            kept.append(event.code)
            if event.channel is not None:
                kept.append(event.channel)
    return bytes(kept)


_KEY_COMMANDS = frozenset(
    {Command.SET_GENERATOR, Command.SET_MODULUS, Command.REQUEST_KEY_EXCHANGE}
)
# Commands a validator that requires eSSP still takes in the clear.
_PLAIN_ALLOWED = frozenset(
    {Command.SYNC, Command.HOST_PROTOCOL_VERSION, *_KEY_COMMANDS}
)
