"""Sans-IO CCNET host side, in the h11 style: no port inside.

``send(command)`` returns the bytes to write and remembers what reply to expect;
``receive_data(bytes)`` feeds what the line delivered; ``next_event()`` returns one parsed
reply (or None until more bytes arrive). Replies are interpreted by the command they answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.bill.ccnet.codes import (
    ADDRESS_BILL_VALIDATOR,
    COMMAND_DATA_LENGTH,
    ILLEGAL_COMMAND,
    STATES_WITH_DETAIL,
    Command,
    state_name,
)
from drivers.bill.ccnet.frames import Frame, FrameReader, encode_frame
from drivers.bill.ccnet.records import (
    BillType,
    Identification,
    RecordError,
    decode_masks,
    encode_masks,
    parse_bill_table,
    parse_identification,
)


@dataclass(frozen=True, slots=True)
class PollStatus:
    """A POLL reply: the state byte and, for some states, one detail byte."""

    code: int
    detail: int | None = None

    @property
    def name(self) -> str:
        return state_name(self.code)

    def to_bytes(self) -> bytes:
        return bytes((self.code,)) if self.detail is None else bytes((self.code, self.detail))


@dataclass(frozen=True, slots=True)
class Reply:
    """Base of every parsed device reply."""


@dataclass(frozen=True, slots=True)
class AckReply(Reply):
    pass


@dataclass(frozen=True, slots=True)
class NakReply(Reply):
    """The device did not understand the frame (bad CRC on its side): send it again."""


@dataclass(frozen=True, slots=True)
class IllegalCommandReply(Reply):
    command: int


@dataclass(frozen=True, slots=True)
class StatusReply(Reply):
    status: PollStatus


@dataclass(frozen=True, slots=True)
class IdentificationReply(Reply):
    identification: Identification


@dataclass(frozen=True, slots=True)
class BillTableReply(Reply):
    bill_types: tuple[BillType, ...]


@dataclass(frozen=True, slots=True)
class DeviceStatusReply(Reply):
    """GET STATUS: which bill types are enabled and which use high security."""

    enabled_mask: int
    security_mask: int


@dataclass(frozen=True, slots=True)
class DataReply(Reply):
    """A reply carrying data this module does not interpret (statistics, stray frames)."""

    command: int | None
    data: bytes


@dataclass(frozen=True, slots=True)
class MalformedReply(Reply):
    """A frame with a good CRC whose content does not fit the command it answers."""

    command: int
    data: bytes
    problem: str


@dataclass(frozen=True, slots=True)
class CorruptReply(Reply):
    """Frame-shaped bytes with a bad CRC and nothing valid after them: answer with NAK."""


_BARE_REPLIES = {0x00: AckReply(), 0xFF: NakReply()}


class CcnetHost:
    """The host end of one CCNET line (one device address)."""

    def __init__(self, address: int = ADDRESS_BILL_VALIDATOR) -> None:
        self.address = address
        self._reader = FrameReader(address)
        self._awaiting: int | None = None

    @property
    def awaiting(self) -> int | None:
        """The command whose reply is expected, or None."""
        return self._awaiting

    @property
    def buffered(self) -> int:
        return self._reader.buffered

    def send(self, command: Command, data: bytes = b"") -> bytes:
        """Bytes for ``command``; stale buffered input is dropped (a new exchange starts)."""
        expected = COMMAND_DATA_LENGTH.get(command, 0)
        if len(data) != expected:
            raise ValueError(f"{command.name} takes {expected} data bytes, got {len(data)}")
        if command is Command.ACK:
            self._awaiting = None
        elif command is Command.NAK:
            # The device repeats its whole reply: drop the damaged copy, keep what we wait for.
            self._reader.clear()
        else:
            self._reader.clear()
            self._awaiting = int(command)
        return encode_frame(bytes((command,)) + data, self.address)

    def receive_data(self, data: bytes) -> None:
        self._reader.feed(data)

    def next_event(self) -> Reply | None:
        """The next parsed reply, or None while no whole frame is buffered."""
        frame = self._reader.next_frame()
        if frame is None:
            return CorruptReply() if self._reader.take_corrupt() else None
        return self._interpret(frame)

    # Builders for every command, so callers never assemble bytes by hand.
    def poll(self) -> bytes:
        return self.send(Command.POLL)

    def ack(self) -> bytes:
        return self.send(Command.ACK)

    def nak(self) -> bytes:
        return self.send(Command.NAK)

    def reset(self) -> bytes:
        return self.send(Command.RESET)

    def get_status(self) -> bytes:
        return self.send(Command.GET_STATUS)

    def set_security(self, high_security_mask: int) -> bytes:
        return self.send(Command.SET_SECURITY, high_security_mask.to_bytes(3, "big"))

    def enable_bill_types(self, enable_mask: int, escrow_mask: int) -> bytes:
        return self.send(Command.ENABLE_BILL_TYPES, encode_masks(enable_mask, escrow_mask))

    def stack(self) -> bytes:
        return self.send(Command.STACK)

    def return_bill(self) -> bytes:
        return self.send(Command.RETURN)

    def hold(self) -> bytes:
        return self.send(Command.HOLD)

    def identification(self) -> bytes:
        return self.send(Command.IDENTIFICATION)

    def get_bill_table(self) -> bytes:
        return self.send(Command.GET_BILL_TABLE)

    def request_statistics(self) -> bytes:
        return self.send(Command.REQUEST_STATISTICS)

    def _interpret(self, frame: Frame) -> Reply:
        command, data = self._awaiting, frame.data
        if len(data) == 1 and data[0] in _BARE_REPLIES:
            return _BARE_REPLIES[data[0]]
        if len(data) == 1 and data[0] == ILLEGAL_COMMAND and command != Command.POLL:
            return IllegalCommandReply(command if command is not None else -1)
        if command is None:
            return DataReply(None, data)
        try:
            return _parse_data(command, data)
        except RecordError as exc:
            return MalformedReply(command, data, str(exc))


def parse_poll_reply(data: bytes) -> PollStatus:
    """A POLL reply's state and detail byte; RecordError if a needed detail byte is missing."""
    code = data[0]
    if code in STATES_WITH_DETAIL:
        if len(data) < 2:
            raise RecordError(f"state {state_name(code)} needs a detail byte")
        return PollStatus(code, data[1])
    return PollStatus(code)


def _parse_data(command: int, data: bytes) -> Reply:
    if command == Command.POLL:
        return StatusReply(parse_poll_reply(data))
    if command == Command.IDENTIFICATION:
        return IdentificationReply(parse_identification(data))
    if command == Command.GET_BILL_TABLE:
        return BillTableReply(parse_bill_table(data))
    if command == Command.GET_STATUS:
        enabled, security = decode_masks(data)
        return DeviceStatusReply(enabled, security)
    if command == Command.REQUEST_STATISTICS:
        return DataReply(command, data)
    raise RecordError(f"a data reply to command 0x{command:02X} expects only ACK")
