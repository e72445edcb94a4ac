"""Sans-IO ESC/POS tokenizer: bytes in, whole commands out, partial input kept for later.

It knows each command's length, so a ``10 04`` inside image data is never taken for a
status request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LF, CR = 0x0A, 0x0D


class Kind(StrEnum):
    TEXT = "text"
    LF = "lf"
    COMMAND = "command"
    REALTIME = "realtime"


@dataclass(frozen=True, slots=True)
class Token:
    """``code`` is the command prefix (e.g. ``b"\\x1bt"``); ``args`` what follows it."""

    kind: Kind
    code: bytes = b""
    args: bytes = b""


# Fixed argument counts after ESC x / GS x; others are handled in _length.
_ESC_ARGS = {
    b"@": 0,
    b"2": 0,
    b"i": 0,
    b"m": 0,
    b"<": 0,
    b"t": 1,
    b"a": 1,
    b"E": 1,
    b"-": 1,
    b"!": 1,
    b"M": 1,
    b"{": 1,
    b"d": 1,
    b"J": 1,
    b"3": 1,
    b"+": 1,
    b"A": 1,
    b"G": 1,
    b"V": 1,
    b"r": 1,
    b"R": 1,
    b"U": 1,
    b" ": 1,
    b"%": 1,
    b"=": 1,
    b"e": 1,
    b"?": 1,
    b"c": 2,
    b"$": 2,
    b"B": 2,
    b"p": 3,
}
_GS_ARGS = {
    b"!": 1,
    b"B": 1,
    b"b": 1,
    b"H": 1,
    b"h": 1,
    b"w": 1,
    b"f": 1,
    b"a": 1,
    b"r": 1,
    b"I": 1,
    b"L": 2,
    b"W": 2,
    b"P": 2,
    b"$": 2,
    b"\\": 2,
    b"^": 3,
}
_FS_ARGS = {b".": 0, b"&": 0, b"p": 2}


class Tokenizer:
    """Feed bytes; get the complete tokens found so far."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Token]:
        self._buffer += data
        tokens: list[Token] = []
        pos = 0
        while pos < len(self._buffer):
            found = _next_token(bytes(self._buffer[pos : pos + 8]), self._buffer, pos)
            if found is None:
                break
            token, size = found
            tokens.append(token)
            pos += size
        del self._buffer[:pos]
        return tokens

    @property
    def pending(self) -> int:
        return len(self._buffer)


def _next_token(head: bytes, buffer: bytearray, pos: int) -> tuple[Token, int] | None:
    first = head[0]
    if first == LF:
        return Token(Kind.LF), 1
    if first in (ESC, GS, FS, DLE):
        size = _length(buffer, pos)
        if size is None or pos + size > len(buffer):
            return None
        chunk = bytes(buffer[pos : pos + size])
        prefix = 3 if chunk[:2] in (b"\x1dv", b"\x1d(", b"\x1d8") else 2
        kind = Kind.REALTIME if first == DLE else Kind.COMMAND
        return Token(kind, chunk[:prefix], chunk[prefix:]), size
    if first < 0x20:
        return Token(Kind.COMMAND, bytes([first])), 1  # CR, HT, BEL...: no effect here
    end = pos
    while end < len(buffer) and buffer[end] >= 0x20:
        end += 1
    return Token(Kind.TEXT, args=bytes(buffer[pos:end])), end - pos


def _byte(buf: bytearray, at: int) -> int | None:
    return buf[at] if at < len(buf) else None


def _length(buf: bytearray, pos: int) -> int | None:
    """Total length of the command at ``pos``, or None when more bytes are needed."""
    first, second = buf[pos], _byte(buf, pos + 1)
    if second is None:
        return None
    key = bytes([second])
    if first == DLE:
        return _dle_length(buf, pos, second)
    if first == FS:
        return 2 + _FS_ARGS.get(key, 1)
    if first == ESC:
        return _esc_length(buf, pos, key)
    gs = _GS_LENGTHS.get(key)
    return gs(buf, pos) if gs is not None else 2 + _GS_ARGS.get(key, 1)


def _dle_length(buf: bytearray, pos: int, second: int) -> int | None:
    if second == 0x14:  # DLE DC4 fn: fn 8 (clear buffers) has 7 data bytes
        fn = _byte(buf, pos + 2)
        return None if fn is None else (10 if fn == 8 else 5)
    return 3


def _esc_length(buf: bytearray, pos: int, key: bytes) -> int | None:
    if key == b"*":  # ESC * m nL nH data
        m, lo, hi = _byte(buf, pos + 2), _byte(buf, pos + 3), _byte(buf, pos + 4)
        if hi is None or m is None or lo is None:
            return None
        return 5 + (lo + 256 * hi) * (3 if m >= 32 else 1)
    if key == b"D":  # tab positions, NUL-terminated
        return _through_nul(buf, pos, pos + 2)
    return 2 + _ESC_ARGS.get(key, 0)


def _through_nul(buf: bytearray, pos: int, start: int) -> int | None:
    end = buf.find(b"\x00", start)
    return None if end < 0 else end - pos + 1


def _gs_cut(buf: bytearray, pos: int) -> int | None:
    m = _byte(buf, pos + 2)
    return None if m is None else (4 if m in (65, 66, 97, 98, 103, 104) else 3)


def _gs_raster(buf: bytearray, pos: int) -> int | None:  # GS v 0 m xL xH yL yH data
    if pos + 8 > len(buf):
        return None
    xl, xh, yl, yh = buf[pos + 4 : pos + 8]
    return 8 + (xl + 256 * xh) * (yl + 256 * yh)


def _gs_function(buf: bytearray, pos: int) -> int | None:  # GS ( fn pL pH data
    lo, hi = _byte(buf, pos + 3), _byte(buf, pos + 4)
    return None if lo is None or hi is None else 5 + lo + 256 * hi


def _gs_long_function(buf: bytearray, pos: int) -> int | None:  # GS 8 L p1..p4 data
    if pos + 7 > len(buf):
        return None
    p1, p2, p3, p4 = buf[pos + 3 : pos + 7]
    return 7 + p1 + (p2 << 8) + (p3 << 16) + (p4 << 24)


def _gs_barcode(buf: bytearray, pos: int) -> int | None:
    """GS k m: m <= 6 is NUL-terminated, else m n data."""
    m = _byte(buf, pos + 2)
    if m is None:
        return None
    if m <= 6:
        return _through_nul(buf, pos, pos + 3)
    n = _byte(buf, pos + 3)
    return None if n is None else 4 + n


# GS commands whose length depends on their arguments.
_GS_LENGTHS = {
    b"V": _gs_cut,
    b"v": _gs_raster,
    b"(": _gs_function,
    b"8": _gs_long_function,
    b"k": _gs_barcode,
}
