"""Real-time status (``DLE EOT n``): reply validation and the states the kiosk acts on.

Every valid reply byte has the form 0xx1xx10b. No reply, or a byte of any other form, is
``unknown``: the printer is never taken to have paper without a valid answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

DLE_EOT = b"\x10\x04"
STATUS_QUERIES = (1, 2, 3, 4)


class PrinterState(StrEnum):
    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.OK, PrinterState.PAPER_NEAR_END)


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """The printer's state, the reason in words a technician can act on, and the raw replies."""

    state: PrinterState
    reason: str
    replies: tuple[int | None, ...] = ()

    @property
    def can_print(self) -> bool:
        return self.state.can_print


def status_query(n: int) -> bytes:
    if n not in STATUS_QUERIES:
        raise ValueError(f"DLE EOT takes n in 1..4, got {n}")
    return DLE_EOT + bytes([n])


def is_valid_reply(byte: int) -> bool:
    """True for the 0xx1xx10b form: bit 0 clear, bit 1 set, bit 4 set, bit 7 clear."""
    return 0 <= byte <= 0xFF and byte & 0b1001_0011 == 0b0001_0010


def classify(replies: Mapping[int, int | None]) -> PrinterStatus:
    """Map the replies to ``DLE EOT 1..4`` (None = no reply) to one state, worst first."""
    raw = tuple(replies.get(n) for n in STATUS_QUERIES)
    for n, byte in zip(STATUS_QUERIES, raw, strict=True):
        if byte is None:
            return PrinterStatus(
                PrinterState.UNKNOWN, f"printer silent: no reply to DLE EOT {n}", raw
            )
        if not is_valid_reply(byte):
            return PrinterStatus(
                PrinterState.UNKNOWN, f"invalid reply 0x{byte:02X} to DLE EOT {n}", raw
            )
    online, offline_cause, error_cause, paper = (b for b in raw if b is not None)
    if offline_cause & 0x04:
        return PrinterStatus(PrinterState.COVER_OPEN, "printer cover is open", raw)
    # Some models set only one bit of each pair, so each bit counts on its own.
    if paper & 0x60 or offline_cause & 0x20:
        return PrinterStatus(PrinterState.PAPER_OUT, "printer is out of paper", raw)
    if offline_cause & 0x40 or error_cause & 0x6C:
        return PrinterStatus(PrinterState.ERROR, _error_reason(error_cause), raw)
    if online & 0x08:
        return PrinterStatus(PrinterState.OFFLINE, "printer is offline", raw)
    if paper & 0x0C:
        return PrinterStatus(PrinterState.PAPER_NEAR_END, "paper roll near its end", raw)
    return PrinterStatus(PrinterState.OK, "ok", raw)


def _error_reason(error_cause: int) -> str:
    causes = [
        text
        for bit, text in (
            (0x04, "mechanical error"),
            (0x08, "autocutter error"),
            (0x20, "unrecoverable error"),
            (0x40, "auto-recoverable error (head too hot?)"),
        )
        if error_cause & bit
    ]
    return "printer error: " + (", ".join(causes) or "unspecified")
