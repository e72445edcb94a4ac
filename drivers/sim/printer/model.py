"""The simulated printer: paper, cover and line state, the print engine, status replies.

Sans-IO: ``receive(bytes) -> reply bytes``. While the printer cannot print (paper out,
cover open, offline) the job is held, as real printers do, and printed when the fault
clears, unless the host clears the buffer (``DLE DC4 8``) first.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from drivers.printer.codepages import BY_NUMBER
from drivers.sim.printer.page import Align, ImageRow, Page, QrRow, Style, TextRow
from drivers.sim.printer.tokens import Kind, Token, Tokenizer

CLEAR_RESPONSE = b"\x37\x25\x00"
_ALIGN: dict[int, Align] = {
    0: "left",
    1: "center",
    2: "right",
    48: "left",
    49: "center",
    50: "right",
}

PageSink = Callable[[Page], None]


class ControlError(ValueError):
    """A control-channel command the simulator does not understand."""


@dataclass(frozen=True, slots=True)
class Faults:
    near_end: bool = False
    paper_out: bool = False
    cover_open: bool = False
    offline: bool = False


class PrinterSimulator:
    """A byte-level ESC/POS receipt printer."""

    def __init__(
        self, sink: PageSink | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._sink = sink
        self._clock = clock
        self._tokens = Tokenizer()
        self.faults = Faults()
        self.muted_until = 0.0
        self.cover_opens_in: int | None = None  # bytes until the cover opens mid-job
        self.held: list[Token] = []
        self.pages: list[Page] = []
        self._reset_engine()
        self._page = Page()

    # -- host side -------------------------------------------------------------------
    def receive(self, data: bytes) -> bytes:
        """Take bytes from the host; return the bytes the printer answers."""
        if self.cover_opens_in is not None and self.cover_opens_in < len(data):
            # An armed fault strikes inside this write: the first bytes print, the rest wait.
            cut, self.cover_opens_in = self.cover_opens_in, None
            first = self.receive(data[:cut])
            self.faults = dataclasses.replace(self.faults, cover_open=True)
            return first + self.receive(data[cut:])
        if self.cover_opens_in is not None:
            self.cover_opens_in -= len(data)
        reply = bytearray()
        for token in self._tokens.feed(data):
            if token.kind is Kind.REALTIME:
                reply += self._realtime(token)
            elif self.can_print and not self.held:
                self._execute(token)
            else:
                self.held.append(token)
        return bytes(reply)

    @property
    def can_print(self) -> bool:
        return not (self.faults.paper_out or self.faults.cover_open or self.faults.offline)

    def status_byte(self, n: int) -> int:
        f = self.faults
        if n == 1:
            return 0x12 | (0x08 if not self.can_print else 0)
        if n == 2:
            return 0x12 | (0x04 if f.cover_open else 0) | (0x20 if f.paper_out else 0)
        if n == 4:
            return 0x12 | (0x0C if f.near_end else 0) | (0x60 if f.paper_out else 0)
        return 0x12

    def _realtime(self, token: Token) -> bytes:
        if token.code == b"\x10\x04" and token.args:
            if self._clock() < self.muted_until:
                return b""
            return bytes([self.status_byte(token.args[0])])
        if token.code == b"\x10\x14" and token.args[:1] == b"\x08":
            self.held.clear()
            self._page = Page()
            self._segments.clear()
            return CLEAR_RESPONSE
        return b""

    # -- control channel -------------------------------------------------------------
    def control(self, line: str) -> str:
        """Run one control command; answer ``ok`` (plus state) or ``error: ...``."""
        try:
            return self._control(line.split())
        except ControlError as exc:
            return f"error: {exc}"

    def _control(self, words: list[str]) -> str:
        if not words:
            raise ControlError("empty command")
        command, rest = words[0].lower(), words[1:]
        f = self.faults
        changes = {
            "paper-near-end": Faults(True, False, f.cover_open, f.offline),
            "paper-out": Faults(True, True, f.cover_open, f.offline),
            "paper-in": Faults(False, False, f.cover_open, f.offline),
            "cover-open": Faults(f.near_end, f.paper_out, True, f.offline),
            "cover-close": Faults(f.near_end, f.paper_out, False, f.offline),
            "offline": Faults(f.near_end, f.paper_out, f.cover_open, True),
            "online": Faults(f.near_end, f.paper_out, f.cover_open, False),
        }
        if command in changes:
            if rest:
                raise ControlError(f"{command} takes no argument")
            if command == "cover-close":
                self.cover_opens_in = None
            self.faults = changes[command]
            self._resume()
            return "ok"
        if command == "mute":
            if len(rest) != 1:
                raise ControlError("usage: mute <seconds>")
            try:
                seconds = float(rest[0])
            except ValueError:
                raise ControlError(f"not a number of seconds: {rest[0]!r}") from None
            if not 0 <= seconds <= 3600:
                raise ControlError("mute takes 0..3600 seconds")
            self.muted_until = self._clock() + seconds
            return "ok"
        if command == "cover-open-in":
            if len(rest) != 1 or not rest[0].isdigit():
                raise ControlError("usage: cover-open-in <bytes>")
            self.cover_opens_in = int(rest[0])
            return "ok"
        if command == "state":
            return "ok " + self.describe()
        raise ControlError(f"unknown command {command!r}")

    def describe(self) -> str:
        f = self.faults
        paper = "out" if f.paper_out else "near-end" if f.near_end else "ok"
        muted = max(0.0, self.muted_until - self._clock())
        return (
            f"paper={paper} cover={'open' if f.cover_open else 'closed'} "
            f"online={'no' if f.offline else 'yes'} muted={muted:.1f}s "
            f"held={len(self.held)} receipts={len(self.pages)}"
        )

    def _resume(self) -> None:
        # A job kept while the printer could not print comes out once it can.
        while self.held and self.can_print:
            self._execute(self.held.pop(0))

    # -- print engine ----------------------------------------------------------------
    def _reset_engine(self) -> None:
        self._codec = "cp437"
        self._align: Align = "left"
        self._style = Style()
        self._segments: list[str] = []
        self._line_style = Style()
        self._qr_data = ""
        self._qr_module = 3

    def _execute(self, token: Token) -> None:
        if token.kind is Kind.TEXT:
            if not self._segments:
                self._line_style = self._style
            self._segments.append(token.args.decode(self._codec, errors="replace"))
        elif token.kind is Kind.LF:
            self._end_line()
        else:
            self._command(token.code, token.args)

    def _end_line(self) -> None:
        style = self._line_style if self._segments else self._style
        self._page.rows.append(TextRow("".join(self._segments), self._align, style))
        self._segments.clear()

    def _flush_line(self) -> None:
        if self._segments:
            self._end_line()

    def _command(self, code: bytes, args: bytes) -> None:
        arg = args[0] if args else 0
        if code in _STYLE_CODES:
            self._style = _restyle(self._style, code, arg)
        elif code == b"\x1b@":
            self._segments.clear()
            self._reset_engine()
        elif code == b"\x1bt":
            page = BY_NUMBER.get(arg)
            self._codec = page.codec if page else "cp437"
        elif code == b"\x1ba":
            self._align = _ALIGN.get(arg, "left")
        elif code == b"\x1bd":
            self._flush_line()
            self._page.rows.extend(TextRow("") for _ in range(arg))
        elif code == b"\x1dV":
            self._cut()
        elif code == b"\x1dv0":
            self._flush_line()
            self._page.rows.append(ImageRow(_raster_image(args), self._align))
        elif code == b"\x1d(k":
            self._qr(args)

    def _qr(self, args: bytes) -> None:
        # args: pL pH cn fn [m] data
        if len(args) < 4 or args[2] != 0x31:
            return
        fn, body = args[3], args[4:]
        if fn == 0x43 and body:
            self._qr_module = body[0]
        elif fn == 0x50:
            self._qr_data = body[1:].decode("utf-8", errors="replace")
        elif fn == 0x51:
            self._flush_line()
            self._page.rows.append(QrRow(self._qr_data, self._qr_module, self._align))

    def _cut(self) -> None:
        self._flush_line()
        page, self._page = self._page, Page()
        self.pages.append(page)
        if self._sink is not None:
            self._sink(page)


# Commands that change only the text style (bold, underline, size, inverse).
_STYLE_CODES = frozenset({b"\x1bE", b"\x1b-", b"\x1b!", b"\x1d!", b"\x1dB"})


def _restyle(s: Style, code: bytes, arg: int) -> Style:
    """The style after one of ``_STYLE_CODES`` with argument ``arg``."""
    if code == b"\x1bE":
        return Style(bool(arg & 1), s.underline, s.invert, s.width, s.height)
    if code == b"\x1b-":
        return Style(s.bold, bool(arg & 3), s.invert, s.width, s.height)
    if code == b"\x1b!":
        return Style(
            bool(arg & 0x08),
            bool(arg & 0x80),
            s.invert,
            2 if arg & 0x20 else 1,
            2 if arg & 0x10 else 1,
        )
    if code == b"\x1d!":
        return Style(s.bold, s.underline, s.invert, (arg >> 4) + 1, (arg & 7) + 1)
    return Style(s.bold, s.underline, bool(arg & 1), s.width, s.height)  # GS B


def _raster_image(args: bytes) -> Image.Image:
    """Decode ``GS v 0`` data (m xL xH yL yH bits, 1 = black) to a Pillow image."""
    width_bytes = args[1] + 256 * args[2]
    height = args[3] + 256 * args[4]
    bits = bytes(0xFF ^ b for b in args[5 : 5 + width_bytes * height])  # Pillow: 1 = white
    return Image.frombytes("1", (width_bytes * 8, height), bits)
