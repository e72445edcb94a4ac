"""Sans-IO SSP note validator: the simulator's device side of the wire.

``SspDevice`` has the shared validator mechanics (drivers/sim/bill/mechanics.py: note path,
faults, ground truth) behind an SSP interface: packets with stuffing and the sequence flag
(a repeated flag gets the last reply again, unexecuted), poll replies built from what
happened since the last poll (several events per reply), "the next poll accepts the note in
escrow", REJECT, HOLD, and the line faults and control channel every simulated validator
shares (device.py). An eSSP session (essp.py) can be required with ``require_encryption=True``.

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

from collections.abc import Callable, Sequence

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
from drivers.sim.bill.device import SimulatedValidator
from drivers.sim.bill.mechanics import (
    KZT_NOTES,
    Condition,
    Failure,
    Fault,
    Phase,
    Rejection,
    SimulatorRefused,
    Timings,
)
from drivers.transport import Clock

__all__ = ["SimulatorRefused", "SspDevice", "Timings"]

_OK = bytes((Generic.OK,))
_CONDITION_EVENTS = {
    Fault.CASSETTE_OUT: Event.CASHBOX_REMOVED,
    Fault.CASSETTE_FULL: Event.STACKER_FULL,
    Fault.JAMMED: Event.UNSAFE_JAM,
    Fault.CASSETTE_JAMMED: Event.SAFE_JAM,
}
HOST_REJECT = 0x08
NOTE_RECOGNITION = 0x0E
CHANNEL_INHIBITED = 0x06
_REJECT_CODES = {Rejection.INHIBITED: CHANNEL_INHIBITED, Rejection.UNRECOGNISED: NOTE_RECOGNITION}
# The FAIL reply's code for a part named by the control channel (a number is sent as given).
_FAILURE_CODES = {
    Failure.STACK_MOTOR: 0x01,
    Failure.TRANSPORT_MOTOR_SPEED: 0x01,
    Failure.TRANSPORT_MOTOR: 0x01,
}


class SspDevice(SimulatedValidator):
    """A simulated SSP note validator speaking real wire bytes. Thread-safe."""

    bits_per_byte = 11  # 8N2
    max_note_types = MAX_CHANNELS
    protocol = "SSP"

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
        self._packets = PacketReader()
        super().__init__(
            self._packets, clock=clock, seed=seed, notes=notes, timings=timings, capacity=capacity
        )
        self.serial_number = self._rng.randrange(10**8, 2**31)
        self._setup = encode_setup(tuple(notes))
        self.channels_enabled: frozenset[int] = frozenset()
        self.unit_enabled = False
        self.require_encryption = require_encryption
        self.poll_with_ack = poll_with_ack  # False: firmware that answers 0x56/0x57 "unknown"
        self.session = DeviceSession(fixed_key, self._rng)
        self._last_sequence: bool | None = None
        self._unacked = b""  # events a POLL WITH ACK reported, repeated until EVENT ACK
        self._escrow_reported = False
        self._rejecting_reported = False
        self._cassette_was_out = False
        self._cheat_channel: int | None = None
        self._power_up_channel = 0
        self.last_reject_code = 0

    # ----- the wire --------------------------------------------------------------------
    def _next_message(self) -> Packet | None:
        return self._packets.next_packet()

    def _reply_to(self, message: object) -> bytes:
        assert isinstance(message, Packet)
        return self._answer(message) if message.address == 0 else b""

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
        # One flipped bit in the LEN/DATA/CRC part; bit 7 kept, so 0x7F stays no STX.
        return self._noisy(encode_packet(reply, sequence=sequence), first=2, bits=7)

    def _execute(self, code: int, args: bytes) -> bytes:
        if code in (Command.POLL_WITH_ACK, Command.EVENT_ACK) and not self.poll_with_ack:
            return bytes((Generic.UNKNOWN_COMMAND,))
        if code in _KEY_COMMANDS:
            return self.session.key_command(code, args)
        command = _COMMANDS.get(code)
        if command is None:
            return bytes((Generic.UNKNOWN_COMMAND,))
        return command(self, code, args)

    # ----- one handler per command ---------------------------------------------------------
    def _plain_poll(self, code: int, args: bytes) -> bytes:
        return self._poll()

    def _poll_with_ack(self, code: int, args: bytes) -> bytes:
        return self._poll(with_ack=True)

    def _event_ack(self, code: int, args: bytes) -> bytes:
        self._unacked = b""
        self._apply()  # the unit takes notes again
        return _OK

    def _host_protocol_version(self, code: int, args: bytes) -> bytes:
        return _OK if args and 4 <= args[0] <= 8 else bytes((Generic.OUT_OF_RANGE,))

    def _identity(self, code: int, args: bytes) -> bytes:
        if code == Command.SETUP_REQUEST:
            return _OK + self._setup
        if code == Command.UNIT_DATA:
            return _OK + unit_data_of_setup(self._setup)
        return _OK + self.serial_number.to_bytes(4, "big")

    def _set_inhibits(self, code: int, args: bytes) -> bytes:
        if not args:
            return bytes((Generic.WRONG_PARAMETERS,))
        self.channels_enabled = enabled_channels(args)
        self._apply()
        return _OK

    def _enable(self, code: int, args: bytes) -> bytes:
        self.unit_enabled = code == Command.ENABLE
        self._apply()
        return _OK

    def _reject(self, code: int, args: bytes) -> bytes:
        if self.mechanics.order("return"):
            self.last_reject_code = HOST_REJECT
            self._escrow_reported = False
        return _OK

    def _hold(self, code: int, args: bytes) -> bytes:
        return _OK if self.mechanics.order("hold") else bytes((Generic.CANNOT_PROCESS,))

    def _last_reject(self, code: int, args: bytes) -> bytes:
        return _OK + bytes((self.last_reject_code,))

    def _reset(self, code: int, args: bytes) -> bytes:
        self.mechanics.power_down()
        self._restart_settings()  # it reboots: what the host set is gone
        return _OK

    def _apply(self) -> None:
        mechanics = self.mechanics
        if not self.unit_enabled or self._unacked:
            mechanics.enable_mask = 0
            return
        mechanics.enable_mask = sum(1 << (ch - 1) for ch in self.channels_enabled)
        mechanics.escrow_mask = mechanics.enable_mask  # every note waits for the next poll

    # ----- poll events -----------------------------------------------------------------
    def _poll(self, *, with_ack: bool = False) -> bytes:
        mechanics = self.mechanics
        if mechanics.fault is Fault.FAILURE and mechanics.phase is not Phase.POWER_UP:
            failure = mechanics.failure
            code = _FAILURE_CODES[failure] if isinstance(failure, Failure) else failure
            return bytes((Generic.FAIL, code))
        if self._unacked:
            unacked = self._unacked
            if not with_ack:  # reported the plain way: acknowledged by the next flag
                self._unacked = b""
                self._apply()
            return _OK + unacked  # nothing moves on until the host acknowledges them
        events = bytearray()
        self._events(events, with_ack)
        mechanics.polled()
        if with_ack:
            self._unacked = _ack_events(bytes(events))
            self._apply()
        return _OK + bytes(events)

    def _events(self, events: bytearray, with_ack: bool = False) -> None:
        mechanics = self.mechanics
        if mechanics.phase is Phase.POWER_UP:
            self._power_up_events(events)
            return
        if self._rejecting_reported and mechanics.phase not in (Phase.REJECTING, Phase.RETURNING):
            events.append(Event.REJECTED)
            self._rejecting_reported = False
            if mechanics.phase is Phase.RETURNED:
                mechanics.acknowledged()
        if mechanics.fault is not None:
            self._fault_events(events)
            return
        if self._cassette_was_out:
            events.append(Event.CASHBOX_REPLACED)
            self._cassette_was_out = False
        self._phase_events(events, with_ack)

    def _power_up_events(self, events: bytearray) -> None:
        events.append(Event.SLAVE_RESET)
        found = self.mechanics.found_at_power_up()
        if found is Condition.POWER_UP_NOTE_IN_STACKER:
            events += bytes((Event.CLEARED_INTO_CASHBOX, self._power_up_channel))
        elif found is Condition.POWER_UP_NOTE_IN_ACCEPTOR:
            events += bytes((Event.CLEARED_FROM_FRONT, self._power_up_channel))
        self.mechanics.host_reset()  # the restart's initialization; a note at the front comes out
        self._apply()  # the report undoes nothing the host set since power-on
        self._escrow_reported = self._rejecting_reported = False

    def _fault_events(self, events: bytearray) -> None:
        self._escrow_reported = False  # polls during a fault do not accept: read again after
        fault = self.mechanics.fault
        if fault is Fault.CHEATED:
            if self._cheat_channel is not None:
                events += bytes((Event.FRAUD_ATTEMPT, self._cheat_channel))
                self._cheat_channel = None
            else:
                events.append(Event.DISABLED)
            return
        if fault is not None and fault in _CONDITION_EVENTS:
            events.append(_CONDITION_EVENTS[fault])
            self._cassette_was_out = fault is Fault.CASSETTE_OUT

    def _phase_events(self, events: bytearray, with_ack: bool) -> None:
        mechanics = self.mechanics
        phase = mechanics.phase
        if phase not in (Phase.ESCROW, Phase.HOLDING):
            self._escrow_reported = False  # that note is gone (cheat, jam, timeout)
        if phase is Phase.INITIALIZE and with_ack:
            events.append(Event.INITIALISING)
        elif phase in (Phase.INITIALIZE, Phase.IDLE):
            if not mechanics.enable_mask:
                events.append(Event.DISABLED)
        elif phase is Phase.ACCEPTING:
            events += bytes((Event.READ, 0))
        elif phase in (Phase.ESCROW, Phase.HOLDING):
            self._escrow_events(events)
        elif phase is Phase.STACKING:
            events.append(Event.STACKING)
        elif phase is Phase.STACKED:
            events += bytes((Event.CREDIT, self._channel_in_path(), Event.STACKED))
            mechanics.acknowledged()
        elif phase in (Phase.RETURNING, Phase.REJECTING, Phase.RETURNED):
            self._rejecting_events(events)

    def _escrow_events(self, events: bytearray) -> None:
        if not self._escrow_reported:
            events += bytes((Event.READ, self._channel_in_path()))
            self._escrow_reported = True
        else:
            self.mechanics.order("stack")  # the poll after "read" accepts the note
            self._escrow_reported = False
            events.append(Event.STACKING)

    def _rejecting_events(self, events: bytearray) -> None:
        note = self.mechanics.note
        if self.mechanics.phase is Phase.REJECTING and note is not None and note.rejection:
            self.last_reject_code = _REJECT_CODES[note.rejection]
        events.append(Event.REJECTING)
        self._rejecting_reported = True

    def _channel_in_path(self) -> int:
        """The SSP channel (1-based) of the note in the path; 0 for none or an unknown one."""
        note = self.mechanics.note
        return (note.bill_type or 0) + 1 if note is not None else 0

    @property
    def awaiting_event_ack(self) -> bool:
        """True while events a POLL WITH ACK reported wait for EVENT ACK."""
        with self.mechanics.lock:
            return bool(self._unacked)

    # ----- the shared device API, in SSP terms --------------------------------------------
    def _before_power_cut(self) -> None:
        self._power_up_channel = self._channel_in_path()

    def _restarted(self) -> None:
        self._last_sequence = None
        self._unacked = b""  # kept in RAM: a power cut loses them
        self.session.reset()
        self._restart_settings()

    def _restart_settings(self) -> None:
        """A restarted unit is disabled with every channel inhibited."""
        self.channels_enabled, self.unit_enabled = frozenset(), False
        self._apply()

    def _enable_everything(self) -> None:
        """A previous host enabled the unit and every channel."""
        self.channels_enabled = frozenset(
            i + 1 for i, amount in enumerate(self.bill_amounts) if amount
        )
        self.unit_enabled = True
        self._apply()

    def cheat(self) -> None:
        with self.mechanics.lock:
            self.mechanics.advance()
            self._cheat_channel = self._channel_in_path()
            super().cheat()


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
_PLAIN_ALLOWED = frozenset({Command.SYNC, Command.HOST_PROTOCOL_VERSION, *_KEY_COMMANDS})
_COMMANDS: dict[int, Callable[[SspDevice, int, bytes], bytes]] = {
    Command.POLL: SspDevice._plain_poll,
    Command.POLL_WITH_ACK: SspDevice._poll_with_ack,
    Command.EVENT_ACK: SspDevice._event_ack,
    Command.HOST_PROTOCOL_VERSION: SspDevice._host_protocol_version,
    Command.SETUP_REQUEST: SspDevice._identity,
    Command.UNIT_DATA: SspDevice._identity,
    Command.SERIAL_NUMBER: SspDevice._identity,
    Command.SET_INHIBITS: SspDevice._set_inhibits,
    Command.ENABLE: SspDevice._enable,
    Command.DISABLE: SspDevice._enable,
    Command.REJECT: SspDevice._reject,
    Command.HOLD: SspDevice._hold,
    Command.LAST_REJECT_CODE: SspDevice._last_reject,
    Command.RESET: SspDevice._reset,
}
