"""CCNET framing: ``SYNC | ADR | LNG | DATA… | CRC_L | CRC_H`` in both directions.

LNG is the whole frame length, SYNC and CRC included. LNG 0 marks a long frame whose total
length follows as two big-endian bytes. The reader resynchronises on a byte stream that may
hold garbage, split frames or corrupted frames: a frame is taken only when SYNC, address,
a sane length and the CRC all agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.bill.ccnet.codes import ADDRESS_BILL_VALIDATOR, SYNC
from drivers.crc import crc16_kermit, crc16_kermit_bytes

SHORT_HEADER = 3  # SYNC, ADR, LNG
LONG_HEADER = 5  # SYNC, ADR, 0, LEN_H, LEN_L
CRC_SIZE = 2
MAX_SHORT_FRAME = 0xFF
MIN_SHORT_FRAME = SHORT_HEADER + 1 + CRC_SIZE
# Far above any real reply; caps how long a garbage length byte can make the reader wait.
DEFAULT_MAX_FRAME = 4096


class FrameError(ValueError):
    """A frame cannot be built (empty or oversized data)."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One checked frame: its address and its data (the command or reply bytes)."""

    address: int
    data: bytes

    @property
    def code(self) -> int:
        """The first data byte: the command (host → device) or the reply state."""
        return self.data[0]


def encode_frame(data: bytes, address: int = ADDRESS_BILL_VALIDATOR) -> bytes:
    """Frame ``data`` (command byte plus arguments, or reply bytes) for ``address``."""
    if not data:
        raise FrameError("a CCNET frame carries at least one data byte")
    short_total = SHORT_HEADER + len(data) + CRC_SIZE
    if short_total <= MAX_SHORT_FRAME:
        head = bytes((SYNC, address, short_total))
    else:
        long_total = LONG_HEADER + len(data) + CRC_SIZE
        if long_total > 0xFFFF:
            raise FrameError(f"{len(data)} data bytes do not fit in a long CCNET frame")
        head = bytes((SYNC, address, 0)) + long_total.to_bytes(2, "big")
    body = head + data
    return body + crc16_kermit_bytes(body)


def decode_frame(raw: bytes, address: int = ADDRESS_BILL_VALIDATOR) -> Frame:
    """Decode exactly one whole frame; raise FrameError saying what is wrong with it."""
    reader = FrameReader(address, max_length=max(len(raw), MIN_SHORT_FRAME))
    reader.feed(raw)
    frame = reader.next_frame()
    if frame is None or reader.buffered:
        why = "bad CRC" if reader.take_corrupt() else "not one whole frame"
        raise FrameError(f"{why}: {raw.hex(' ')}")
    return frame


class _Candidate:
    """What the bytes at one SYNC position are."""

    NOT_A_FRAME = 0
    INCOMPLETE = 1
    CORRUPT = 2
    VALID = 3


class FrameReader:
    """Sans-IO frame parser: feed bytes, take frames. Never raises on bad input."""

    def __init__(
        self, address: int = ADDRESS_BILL_VALIDATOR, *, max_length: int = DEFAULT_MAX_FRAME
    ) -> None:
        self._address = address
        self._max_length = max_length
        self._buffer = bytearray()
        self._corrupt = False

    @property
    def buffered(self) -> int:
        """Bytes held that are not yet a whole frame."""
        return len(self._buffer)

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def clear(self) -> None:
        """Forget buffered bytes (before a new command, stale replies must not count)."""
        self._buffer.clear()
        self._corrupt = False

    def take_corrupt(self) -> bool:
        """True once if a frame-shaped run of bytes with a bad CRC was dropped since last asked."""
        corrupt, self._corrupt = self._corrupt, False
        return corrupt

    def next_frame(self) -> Frame | None:
        """The next valid frame, or None until more bytes arrive."""
        buf = self._buffer
        start = buf.find(SYNC)
        while start >= 0:
            kind, total = self._inspect(start)
            if kind == _Candidate.VALID:
                return self._take(start, total)
            if kind == _Candidate.INCOMPLETE:
                # A garbage length may hide a whole frame behind it: look ahead before waiting.
                later = self._find_valid_after(start)
                if later is not None:
                    later_start, later_total = later
                    return self._take(later_start, later_total)
                del buf[:start]
                return None
            if kind == _Candidate.CORRUPT:
                self._corrupt = True
            start = buf.find(SYNC, start + 1)
        buf.clear()
        return None

    def _find_valid_after(self, start: int) -> tuple[int, int] | None:
        position = self._buffer.find(SYNC, start + 1)
        while position >= 0:
            kind, total = self._inspect(position)
            if kind == _Candidate.VALID:
                return position, total
            position = self._buffer.find(SYNC, position + 1)
        return None

    def _take(self, start: int, total: int) -> Frame:
        raw = bytes(self._buffer[start : start + total])
        del self._buffer[: start + total]
        header = LONG_HEADER if raw[2] == 0 else SHORT_HEADER
        return Frame(address=raw[1], data=raw[header:-CRC_SIZE])

    def _inspect(self, start: int) -> tuple[int, int]:
        buf = self._buffer
        available = len(buf) - start
        if available < SHORT_HEADER:
            return _Candidate.INCOMPLETE, 0
        if buf[start + 1] != self._address:
            return _Candidate.NOT_A_FRAME, 0
        length_byte = buf[start + 2]
        if length_byte == 0:
            if available < LONG_HEADER:
                return _Candidate.INCOMPLETE, 0
            total = int.from_bytes(buf[start + 3 : start + 5], "big")
            if total < LONG_HEADER + 1 + CRC_SIZE:
                return _Candidate.NOT_A_FRAME, 0
        else:
            total = length_byte
            if total < MIN_SHORT_FRAME:
                return _Candidate.NOT_A_FRAME, 0
        if total > self._max_length:
            return _Candidate.NOT_A_FRAME, 0
        if available < total:
            return _Candidate.INCOMPLETE, total
        body_end = start + total - CRC_SIZE
        received = int.from_bytes(buf[body_end : body_end + CRC_SIZE], "little")
        if crc16_kermit(bytes(buf[start:body_end])) != received:
            return _Candidate.CORRUPT, total
        return _Candidate.VALID, total
