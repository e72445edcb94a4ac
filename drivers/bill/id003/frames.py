"""ID-003 framing: ``SYNC 0xFC | LNG | CMD/STATUS | DATA… | CRC_L | CRC_H``.

LNG is the whole frame length, SYNC and CRC included (a bare command is 5). The CRC is
CRC-16/KERMIT over everything before it. The reader resynchronises on a stream that may hold
garbage, split or corrupted frames: a frame is taken only when SYNC, a sane length and the
CRC agree; bytes that fail are reported once and skipped up to the next SYNC.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.bill.id003.codes import SYNC
from drivers.crc import crc16_kermit, crc16_kermit_bytes

HEADER = 2  # SYNC, LNG
CRC_SIZE = 2
MIN_FRAME = HEADER + 1 + CRC_SIZE
MAX_FRAME = 0xFF


class FrameError(ValueError):
    """A frame cannot be built or decoded (the message says why)."""


@dataclass(frozen=True, slots=True)
class CorruptBytes:
    """Bytes dropped because no frame starts at any SYNC among them."""

    data: bytes
    problem: str  # the first bad frame's fault: "bad CRC", "bad length 0x03", …


def encode_frame(data: bytes) -> bytes:
    """Frame ``data`` (command or status byte plus arguments)."""
    if not data:
        raise FrameError("an ID-003 frame carries at least one data byte")
    total = HEADER + len(data) + CRC_SIZE
    if total > MAX_FRAME:
        raise FrameError(f"{len(data)} data bytes do not fit in an ID-003 frame")
    body = bytes((SYNC, total)) + data
    return body + crc16_kermit_bytes(body)


def decode_frame(raw: bytes) -> bytes:
    """The data of exactly one whole frame; FrameError says what is wrong with it."""
    reader = FrameReader()
    reader.feed(raw)
    item = reader.next_item()
    if isinstance(item, CorruptBytes):
        raise FrameError(f"{item.problem}: {raw.hex(' ')}")
    if item is None or reader.buffered:
        raise FrameError(f"not one whole frame: {raw.hex(' ')}")
    return item


class FrameReader:
    """Sans-IO frame parser: feed bytes, take frames' data. Never raises on bad input.

    On a bad frame (bad CRC, impossible length) it drops that SYNC byte and looks for the
    next one, so damaged bytes are reported once (a :class:`CorruptBytes`, before the frame
    that follows them) and never block a valid frame behind them.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._corrupt = False

    @property
    def buffered(self) -> int:
        """Bytes held that are not yet a whole frame."""
        return len(self._buffer)

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def clear(self) -> None:
        """Forget buffered bytes (stale replies must not count for a new command)."""
        self._buffer.clear()
        self._corrupt = False

    def take_corrupt(self) -> bool:
        """True once if :meth:`next_frame` dropped corrupt bytes since last asked."""
        corrupt, self._corrupt = self._corrupt, False
        return corrupt

    def next_frame(self) -> bytes | None:
        """The data of the next valid frame, or None until more bytes arrive; corrupt
        bytes on the way are dropped and noted for :meth:`take_corrupt`."""
        while isinstance(item := self.next_item(), CorruptBytes):
            self._corrupt = True
        return item

    def next_item(self) -> bytes | CorruptBytes | None:
        """The next valid frame's data, or the corrupt bytes before it (once), or None
        until more bytes arrive."""
        buf = self._buffer
        first = buf.find(SYNC)
        if first < 0:
            buf.clear()  # no frame can start in these bytes
            return None
        del buf[:first]  # line noise before a SYNC is not a frame: dropped silently
        position, problem = 0, ""
        while position >= 0:
            total, fault = self._check(position)
            if total:
                break
            if not fault:  # incomplete: a garbage length may hide a whole frame behind it
                later = self._next_valid(position)
                if later is None:
                    break  # wait for more bytes
                fault = f"bad length 0x{buf[position + 1]:02X}"
                problem = problem or fault
                position = later
                break
            problem = problem or fault
            position = buf.find(SYNC, position + 1)
        if position < 0:
            position = len(buf)
        if problem:
            dropped = bytes(buf[:position])
            del buf[:position]
            return CorruptBytes(dropped, problem)
        if position == 0 and total:
            raw = bytes(buf[:total])
            del buf[:total]
            return raw[HEADER:-CRC_SIZE]
        return None

    def _next_valid(self, start: int) -> int | None:
        """Where the first valid whole frame after ``start`` begins, if one is buffered."""
        position = self._buffer.find(SYNC, start + 1)
        while position >= 0:
            if self._check(position)[0]:
                return position
            position = self._buffer.find(SYNC, position + 1)
        return None

    def _check(self, start: int) -> tuple[int, str]:
        """(frame length, "") if a valid frame starts here; (0, "") if it may still be
        arriving; (0, why) if no frame starts here."""
        buf = self._buffer
        available = len(buf) - start
        if available < HEADER:
            return 0, ""
        total = buf[start + 1]
        if total < MIN_FRAME:
            return 0, f"bad length 0x{total:02X}"
        if available < total:
            return 0, ""
        body_end = start + total - CRC_SIZE
        received = int.from_bytes(buf[body_end : body_end + CRC_SIZE], "little")
        if crc16_kermit(bytes(buf[start:body_end])) != received:
            return 0, "bad CRC"
        return total, ""
