"""Sans-IO ID-003 host side, in the h11 style: no port inside.

``send(command, data)`` returns the bytes to write and remembers what reply to expect;
``receive_data(bytes)`` feeds what the line delivered; ``next_event()`` returns one parsed
reply (or None until more bytes arrive). A reply is read by the command it answers, because
status bytes and command bytes overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.bill.id003.codes import (
    FIRST_ESCROW_CODE,
    OPERATIONS,
    READ_BACK,
    SETTING_DATA_LENGTH,
    STATES_WITH_DETAIL,
    Command,
    CommunicationMode,
    Status,
    state_name,
)
from drivers.bill.id003.frames import CorruptBytes, FrameReader, encode_frame

CURRENCY_RECORD = 4  # escrow code, country, value, exponent
TIYN_PER_UNIT = 100


class RecordError(ValueError):
    """A reply does not have the documented shape."""


@dataclass(frozen=True, slots=True)
class Id003Status:
    """A status: its byte and, for escrow / rejecting / failure, one detail byte."""

    code: int
    detail: int | None = None

    @property
    def name(self) -> str:
        return state_name(self.code)

    def to_bytes(self) -> bytes:
        return bytes((self.code,)) if self.detail is None else bytes((self.code, self.detail))


@dataclass(frozen=True, slots=True)
class Denomination:
    """One currency-assign record: the escrow code the device reports and its amount."""

    escrow_code: int
    amount: int  # tiyn; 0 = unused
    country: int

    @property
    def index(self) -> int:
        """The bit of this denomination in SET_DENOMINATIONS (0 for escrow code 0x61)."""
        return self.escrow_code - FIRST_ESCROW_CODE


@dataclass(frozen=True, slots=True)
class Reply:
    """Base of every parsed device reply."""


@dataclass(frozen=True, slots=True)
class AckReply(Reply):
    pass


@dataclass(frozen=True, slots=True)
class StatusReply(Reply):
    status: Id003Status


@dataclass(frozen=True, slots=True)
class EchoReply(Reply):
    """The device echoed a setting command (it took the setting)."""

    command: int
    data: bytes


@dataclass(frozen=True, slots=True)
class SettingReply(Reply):
    """A read-back of a setting (0x80–0x85)."""

    command: int
    data: bytes


@dataclass(frozen=True, slots=True)
class VersionReply(Reply):
    text: str


@dataclass(frozen=True, slots=True)
class CurrencyReply(Reply):
    denominations: tuple[Denomination, ...]


@dataclass(frozen=True, slots=True)
class InvalidCommandReply(Reply):
    """Status 0x4B (or 0x4A communication error) in answer to a command."""

    command: int
    code: int


@dataclass(frozen=True, slots=True)
class MalformedReply(Reply):
    """A frame with a good CRC whose content does not fit the command it answers."""

    command: int
    data: bytes
    problem: str


@dataclass(frozen=True, slots=True)
class CorruptReply(Reply):
    """Bytes that are no frame (bad CRC, bad length); reported once, before any valid
    frame that follows them."""


def parse_status(data: bytes) -> Id003Status:
    """A status reply; RecordError if a needed detail byte is missing."""
    code = data[0]
    if code in STATES_WITH_DETAIL:
        if len(data) < 2:
            raise RecordError(f"status {state_name(code)} needs a detail byte")
        return Id003Status(code, data[1])
    return Id003Status(code)


def parse_currency_assign(data: bytes) -> tuple[Denomination, ...]:
    """4-byte records: escrow code, country, value, exponent (amount = value × 10^exponent
    currency units)."""
    if not data or len(data) % CURRENCY_RECORD:
        raise RecordError(f"currency assign needs 4-byte records, got {len(data)} bytes")
    out = []
    for start in range(0, len(data), CURRENCY_RECORD):
        code, country, value, exponent = data[start : start + CURRENCY_RECORD]
        if not FIRST_ESCROW_CODE <= code < FIRST_ESCROW_CODE + 16:
            raise RecordError(f"escrow code 0x{code:02X} is outside 0x61..0x70")
        amount = value * 10**exponent * TIYN_PER_UNIT if exponent < 20 else 0
        out.append(Denomination(code, amount, country))
    return tuple(out)


def encode_currency_assign(amounts: tuple[int, ...], country: int = 0) -> bytes:
    """Currency-assign records for amounts in tiyn (the simulator's side)."""
    out = bytearray()
    for index, amount in enumerate(amounts):
        units, exponent = amount // TIYN_PER_UNIT, 0
        if units * TIYN_PER_UNIT != amount:
            raise RecordError(f"{amount} tiyn is not a whole number of currency units")
        while units and units % 10 == 0:
            units, exponent = units // 10, exponent + 1
        if units > 0xFF:
            raise RecordError(f"{amount} tiyn cannot be written as value x 10^exponent")
        out += bytes((FIRST_ESCROW_CODE + index, country, units, exponent))
    return bytes(out)


class Id003Host:
    """The host end of one ID-003 line."""

    def __init__(self) -> None:
        self._reader = FrameReader()
        self._awaiting: int | None = None

    @property
    def awaiting(self) -> int | None:
        """The command whose reply is expected, or None."""
        return self._awaiting

    def send(self, command: Command, data: bytes = b"") -> bytes:
        """Bytes for ``command``; stale buffered input is dropped (a new exchange starts)."""
        expected = SETTING_DATA_LENGTH.get(command, 0)
        if len(data) != expected:
            raise ValueError(f"{command.name} takes {expected} data bytes, got {len(data)}")
        self._reader.clear()
        self._awaiting = None if command is Command.ACK else int(command)
        return encode_frame(bytes((command,)) + data)

    def receive_data(self, data: bytes) -> None:
        self._reader.feed(data)

    def next_event(self) -> Reply | None:
        """The next parsed reply, or None while no whole frame is buffered."""
        item = self._reader.next_item()
        if item is None:
            return None
        if isinstance(item, CorruptBytes):
            return CorruptReply()
        return self._interpret(item)

    # Builders, so callers never assemble bytes by hand.
    def status_request(self) -> bytes:
        return self.send(Command.STATUS_REQUEST)

    def ack(self) -> bytes:
        return self.send(Command.ACK)

    def reset(self) -> bytes:
        return self.send(Command.RESET)

    def stack(self) -> bytes:
        return self.send(Command.STACK_1)

    def return_bill(self) -> bytes:
        return self.send(Command.RETURN)

    def hold(self) -> bytes:
        return self.send(Command.HOLD)

    def set_denominations(self, enabled_indexes: frozenset[int]) -> bytes:
        """Enable exactly these denomination bits (a 0 bit enables: ``00 00`` enables all)."""
        return self.send(Command.SET_DENOMINATIONS, denomination_bytes(enabled_indexes))

    def set_inhibit(self, inhibit: bool) -> bytes:
        return self.send(Command.SET_INHIBIT, bytes((1 if inhibit else 0,)))

    def set_communication_mode(self, mode: CommunicationMode) -> bytes:
        return self.send(Command.SET_COMMUNICATION_MODE, bytes((mode,)))

    def version(self) -> bytes:
        return self.send(Command.GET_VERSION)

    def currency_assign(self) -> bytes:
        return self.send(Command.GET_CURRENCY_ASSIGN)

    def _interpret(self, data: bytes) -> Reply:
        command = self._awaiting
        code = data[0]
        if command is None:
            return MalformedReply(-1, data, "a frame nobody asked for")
        if (
            command != Command.STATUS_REQUEST
            and len(data) == 1
            and code
            in (
                Status.INVALID_COMMAND,
                Status.COMMUNICATION_ERROR,
            )
        ):
            return InvalidCommandReply(command, code)
        try:
            return _parse_data(command, data)
        except RecordError as exc:
            return MalformedReply(command, data, str(exc))


def denomination_bytes(enabled_indexes: frozenset[int]) -> bytes:
    """SET_DENOMINATIONS data: bit i set = denomination i refused, little-endian bytes."""
    refused = 0xFFFF
    for index in enabled_indexes:
        if not 0 <= index < 16:
            raise RecordError(f"denomination {index} is outside 0..15")
        refused &= ~(1 << index)
    return refused.to_bytes(2, "little")


def enabled_indexes(data: bytes) -> frozenset[int]:
    """Inverse of :func:`denomination_bytes`."""
    refused = int.from_bytes(data[:2], "little")
    return frozenset(index for index in range(16) if not refused >> index & 1)


def _parse_data(command: int, data: bytes) -> Reply:
    if command == Command.STATUS_REQUEST:
        return StatusReply(parse_status(data))
    if command in OPERATIONS:
        if data == bytes((Command.ACK,)):
            return AckReply()
        raise RecordError(f"expected ACK to command 0x{command:02X}")
    if command in SETTING_DATA_LENGTH or command in READ_BACK:
        if data[0] != command:
            raise RecordError(f"reply 0x{data[0]:02X} does not echo command 0x{command:02X}")
        kind = EchoReply if command in SETTING_DATA_LENGTH else SettingReply
        return kind(command, data[1:])
    if command == Command.GET_VERSION:
        text = data[1:] if data[0] == command else data  # some firmwares omit the echo byte
        return VersionReply(text.decode("ascii", errors="replace").strip(" \x00"))
    if command == Command.GET_CURRENCY_ASSIGN:
        records = data[1:] if data[0] == command and len(data) % CURRENCY_RECORD else data
        return CurrencyReply(parse_currency_assign(records))
    raise RecordError(f"no reply expected to command 0x{command:02X}")
