"""Sans-IO SSP host side, in the h11 style: no port inside.

``send(command, data)`` returns the packet for a new command (the sequence flag toggled);
``repeat()`` returns the last packet again with the same flag (the device then repeats its
last reply without executing anything); ``receive_data`` / ``next_event`` parse replies, read
by the command they answer. SYNC resets the sequence.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.bill.ssp.codes import (
    ADDRESS_VALIDATOR,
    EVENT_NAMES,
    EVENTS_WITH_CHANNEL,
    Command,
    Generic,
    event_name,
    generic_name,
)
from drivers.bill.ssp.packets import PacketReader, encode_packet
from drivers.bill.ssp.records import (
    RecordError,
    SetupInfo,
    UnitData,
    parse_setup,
    parse_unit_data,
)


@dataclass(frozen=True, slots=True)
class PollEvent:
    """One poll event; ``channel`` for the events that carry one (1-based, 0 = none)."""

    code: int
    channel: int | None = None

    @property
    def name(self) -> str:
        return event_name(self.code)

    def to_bytes(self) -> bytes:
        return bytes((self.code,)) if self.channel is None else bytes((self.code, self.channel))


@dataclass(frozen=True, slots=True)
class Reply:
    """Base of every parsed device reply."""


@dataclass(frozen=True, slots=True)
class OkReply(Reply):
    data: bytes = b""


@dataclass(frozen=True, slots=True)
class PollReply(Reply):
    """OK followed by events, oldest first; ``unknown`` is an event byte this module cannot
    size (parsing stops there)."""

    events: tuple[PollEvent, ...]
    unknown: int | None = None


@dataclass(frozen=True, slots=True)
class SetupReply(Reply):
    setup: SetupInfo


@dataclass(frozen=True, slots=True)
class UnitDataReply(Reply):
    unit: UnitData


@dataclass(frozen=True, slots=True)
class SerialReply(Reply):
    serial: int


@dataclass(frozen=True, slots=True)
class RefusedReply(Reply):
    """A generic reply other than OK (unknown command, cannot process, fail …)."""

    command: int
    code: int
    data: bytes = b""

    @property
    def reason(self) -> str:
        return generic_name(self.code)


@dataclass(frozen=True, slots=True)
class MalformedReply(Reply):
    """A packet with a good CRC whose content does not fit the command it answers."""

    command: int
    data: bytes
    problem: str


@dataclass(frozen=True, slots=True)
class CorruptReply(Reply):
    """Packet-shaped bytes with a bad CRC: ask again with the same sequence flag."""


def parse_poll(data: bytes) -> PollReply:
    """The events after the OK byte of a poll reply."""
    events: list[PollEvent] = []
    position = 1
    while position < len(data):
        code = data[position]
        if code in EVENTS_WITH_CHANNEL:
            if position + 1 >= len(data):
                raise RecordError(f"event {event_name(code)} needs a channel byte")
            events.append(PollEvent(code, data[position + 1]))
            position += 2
        elif code not in EVENT_NAMES:
            return PollReply(tuple(events), unknown=code)
        else:
            events.append(PollEvent(code))
            position += 1
    return PollReply(tuple(events))


class SspHost:
    """The host end of one SSP line (one device address)."""

    def __init__(self, address: int = ADDRESS_VALIDATOR) -> None:
        self.address = address
        self._reader = PacketReader()
        self._sequence = False
        self._awaiting: int | None = None
        self._last_packet = b""

    @property
    def sequence(self) -> bool:
        """The sequence flag of the last packet sent."""
        return self._sequence

    def send(self, command: Command, data: bytes = b"") -> bytes:
        """The packet for a new command (SYNC sets the flag; others toggle it)."""
        self._sequence = True if command is Command.SYNC else not self._sequence
        self._awaiting = int(command)
        return self.wrap(bytes((command,)) + data)

    def next_packet(self) -> bytes | CorruptReply | None:
        """The DATA of the next packet for this address (CorruptReply for a bad CRC)."""
        while True:
            packet = self._reader.next_packet()
            if packet is None:
                return CorruptReply() if self._reader.take_corrupt() else None
            if packet.address == self.address:
                return packet.data

    def wrap(self, data: bytes) -> bytes:
        """Frame ``data`` (already including the command byte) with the current flag."""
        self._reader.clear()
        self._last_packet = encode_packet(data, sequence=self._sequence, address=self.address)
        return self._last_packet

    def with_flag(self, command: Command, sequence: bool, *, read_as: Command) -> bytes:
        """``command`` with the given flag (not toggled), its reply read as ``read_as``'s:
        with the device's last flag it repeats its last reply instead of executing."""
        self._sequence = sequence
        self._awaiting = int(read_as)
        return self.wrap(bytes((command,)))

    def repeat(self) -> bytes:
        """The last packet again, same flag: the device repeats its reply, executes nothing."""
        self._reader.clear()
        return self._last_packet

    def receive_data(self, data: bytes) -> None:
        self._reader.feed(data)

    def next_event(self) -> Reply | None:
        """The next parsed reply, or None while no whole packet is buffered."""
        data = self.next_packet()
        return data if data is None or isinstance(data, CorruptReply) else self.interpret(data)

    def interpret(self, data: bytes) -> Reply:
        """A reply's DATA read by the command it answers."""
        command = self._awaiting if self._awaiting is not None else -1
        code = data[0]
        if code != Generic.OK:
            return RefusedReply(command, code, data[1:])
        try:
            if command in (Command.POLL, Command.POLL_WITH_ACK):
                return parse_poll(data)
            if command == Command.SETUP_REQUEST:
                return SetupReply(parse_setup(data[1:]))
            if command == Command.UNIT_DATA:
                return UnitDataReply(parse_unit_data(data[1:]))
            if command == Command.SERIAL_NUMBER:
                if len(data) != 5:
                    raise RecordError(f"serial number is 4 bytes, got {len(data) - 1}")
                return SerialReply(int.from_bytes(data[1:5], "big"))
        except RecordError as exc:
            return MalformedReply(command, data, str(exc))
        return OkReply(data[1:])
