"""ID-003 framing: ``SYNC 0xFC | LNG | CMD/STATUS | DATA… | CRC_L | CRC_H``.

LNG is the whole frame length, SYNC and CRC included (a bare command is 5). The CRC is
CRC-16/KERMIT over everything before it. The reader resynchronises on a stream that may hold
garbage, split or corrupted frames: a frame is taken only when SYNC, a sane length and the
CRC agree.
"""

from __future__ import annotations

from drivers.bill.id003.codes import SYNC
from drivers.crc import crc16_kermit, crc16_kermit_bytes

HEADER = 2  # SYNC, LNG
CRC_SIZE = 2
MIN_FRAME = HEADER + 1 + CRC_SIZE
MAX_FRAME = 0xFF


class FrameError(ValueError):
    """A frame cannot be built or decoded (the message says why)."""


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
    data = reader.next_frame()
    if data is None or reader.buffered:
        why = "bad CRC" if reader.take_corrupt() else "not one whole frame"
        raise FrameError(f"{why}: {raw.hex(' ')}")
    return data


class FrameReader:
    """Sans-IO frame parser: feed bytes, take frames' data. Never raises on bad input."""

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
        """True once if frame-shaped bytes with a bad CRC were dropped since last asked."""
        corrupt, self._corrupt = self._corrupt, False
        return corrupt

    def next_frame(self) -> bytes | None:
        """The data of the next valid frame, or None until more bytes arrive."""
        buf = self._buffer
        start = buf.find(SYNC)
        while start >= 0:
            total = self._check(start)
            if total > 0:
                return self._take(start, total)
            if total == 0:  # incomplete: a garbage length may hide a whole frame behind it
                later = self._find_valid_after(start)
                if later is not None:
                    return self._take(*later)
                del buf[:start]
                return None
            start = buf.find(SYNC, start + 1)
        buf.clear()
        return None

    def _find_valid_after(self, start: int) -> tuple[int, int] | None:
        position = self._buffer.find(SYNC, start + 1)
        while position >= 0:
            total = self._check(position)
            if total > 0:
                return position, total
            position = self._buffer.find(SYNC, position + 1)
        return None

    def _take(self, start: int, total: int) -> bytes:
        raw = bytes(self._buffer[start : start + total])
        del self._buffer[: start + total]
        return raw[HEADER:-CRC_SIZE]

    def _check(self, start: int) -> int:
        """Frame length if valid, 0 if incomplete, -1 if not a frame here."""
        buf = self._buffer
        available = len(buf) - start
        if available < HEADER:
            return 0
        total = buf[start + 1]
        if total < MIN_FRAME:
            return -1
        if available < total:
            return 0
        body_end = start + total - CRC_SIZE
        received = int.from_bytes(buf[body_end : body_end + CRC_SIZE], "little")
        if crc16_kermit(bytes(buf[start:body_end])) != received:
            self._corrupt = True
            return -1
        return total
