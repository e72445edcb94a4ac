"""The service menu's printer and log tools: the printer's status line, the test page, a
reprint by receipt number, and the tail of the kiosk's log file. The printer functions run
on the core thread (``runner.call(print_test_page, core)``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from kiosk.core import KioskCore, NotAllowed
from kiosk.domain.clock import KZ_TIME
from kiosk.domain.money import Language, Money
from kiosk.payment import PrinterError
from kiosk.session import State
from kiosk.store import lookups

if TYPE_CHECKING:
    from drivers.bill.base import BillAcceptor
    from drivers.printer import Document, PrinterProfile, PrinterStatus

LOG_LINES = 15
LOG_TAIL_BYTES = 64 * 1024  # enough for the last LOG_LINES lines of a JSON-lines log
LOG_LINE_CHARS = 120
TEST_PAGE_QR = "kiosk printer test"
# While cash is being taken the printer is not asked: a silent one would hold the core.
_CASH_STATES = frozenset({State.ACCEPTING, State.PAYING, State.RECEIPT})


@runtime_checkable
class TestablePrinter(Protocol):
    """A receipt printer that reports its raw status and prints any document
    (kiosk.printing.ConfiguredPrinter)."""

    @property
    def width(self) -> int: ...

    @property
    def profile(self) -> PrinterProfile: ...

    def status(self) -> PrinterStatus: ...

    def print_document(self, document: Document, *, what: str) -> None: ...


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """What a test print or a reprint came to; QML says it in the technician's language.

    ``outcome``: "" (nothing yet), test_printed, reprinted, not_printed, busy, no_printer,
    unknown_receipt. ``problem``: the printer's state when not printed (a
    kiosk.payment.PrinterReadiness state); ``detail``: the technical words."""

    outcome: str
    problem: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PrinterLine:
    """The printer for the status page: state "" when the kiosk has no printer."""

    state: str
    reason: str
    text: str


def cash_in(core: KioskCore) -> bool:
    """A customer's cash is being taken or paid: hands off the printer."""
    return core.snapshot().state in _CASH_STATES


def replies_text(replies: tuple[int | None, ...]) -> str:
    """The DLE EOT 1..4 replies as hex bytes, ``--`` for no reply."""
    return " ".join("--" if byte is None else f"{byte:02X}" for byte in replies)


def printer_line(core: KioskCore) -> PrinterLine:
    """Ask the printer (unless cash is being taken) and describe it; core thread."""
    printer = core.printer
    if printer is None:
        return PrinterLine("", "", "none configured")
    replies = ""
    if not cash_in(core):
        if isinstance(printer, TestablePrinter):
            raw = printer.status()
            replies = f"; DLE EOT 1-4: {replies_text(raw.replies)}" if raw.replies else ""
            known = core.printer_state
            if known is None or known.state != raw.state.value:
                core.check_printer(force=True)  # the core's no-paper policy sees it too
        else:
            core.check_printer(force=True)
    reading = core.printer_state
    state, reason = (reading.state, reading.reason) if reading else ("unknown", "not asked yet")
    return PrinterLine(state, reason, f"{state} ({reason}){replies}")


# The acceptor's reported states as the words ServiceScreen.qml has for them.
_VALIDATOR_WORDS = {
    "jammed": "jammed",
    "cassette_jammed": "jammed",
    "cassette_full": "cassette_full",
    "cassette_removed": "cassette_removed",
    "cheated": "cheated",
    "failure": "failure",
}
_VALIDATOR_WORKING = frozenset(
    {
        "idling",
        "disabled",
        "accepting",
        "escrow",
        "holding",
        "stacking",
        "stacked",
        "returning",
        "returned",
        "rejecting",
        "busy",
        "paused",
        "initialize",
        "power_up",
        "power_up_bill_in_validator",
        "power_up_bill_in_stacker",
    }
)
# Why the ledger link is down, as the words ServiceScreen.qml has (else "offline").
LINK_DOWN = frozenset({"auth", "tls", "unsigned"})
CASSETTE_ID_CHARS = 32  # the ledger's column


def validator_word(acceptor: BillAcceptor | None) -> str:
    """none, disconnected, ready, jammed, cassette_full, cassette_removed, cheated, failure,
    or unusual (a state this menu has no words for)."""
    if acceptor is None:
        return "none"
    if not acceptor.connected:
        return "disconnected"
    state = acceptor.state
    if state in _VALIDATOR_WORDS:
        return _VALIDATOR_WORDS[state]
    return "ready" if state in _VALIDATOR_WORKING else "unusual"


def validator_model(acceptor: BillAcceptor | None) -> str:
    """Model, serial and firmware as the device reported them ("" before it has)."""
    identity = acceptor.identity if acceptor is not None else None
    if identity is None:
        return ""
    return " ".join(part for part in (identity.model, identity.serial, identity.firmware) if part)


def cassette_id(acceptor: BillAcceptor | None) -> str:
    """The id the device reports for its cash box: CCNET's IDENTIFICATION carries an asset
    number; the other drivers report none. "" when there is none (never made up)."""
    identity = acceptor.identity if acceptor is not None else None
    if identity is None:
        return ""
    return identity.asset.strip()[:CASSETTE_ID_CHARS]


def paper_word(printer_state: str) -> str:
    """The paper on its own line: ok, near_end, out, unknown, or none (no printer)."""
    if not printer_state:
        return "none"
    return {"ok": "ok", "paper_near_end": "near_end", "paper_out": "out"}.get(
        printer_state, "unknown"
    )


def local_time(ms: int) -> str:
    """Kazakhstan's day and time of day, ``04.12 14:05`` (the device events' times)."""
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(KZ_TIME).strftime("%d.%m %H:%M")


def local_moment(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(KZ_TIME).strftime("%d.%m.%Y %H:%M")


def signed(tiyn: int, language: Language) -> str:
    """An amount with its sign: ``+500 ₸``, ``−500 ₸``, ``0 ₸``."""
    sign = "+" if tiyn > 0 else ("\u2212" if tiyn < 0 else "")
    return sign + Money(abs(tiyn)).format(language)


LINK_ALERTS = {
    "plain_replies_refused": "unencrypted replies refused (possible device spliced into the cable)",
}


def link_alerts_line(alerts: dict[str, int]) -> str:
    """The acceptor's link alerts for the technician: "none" or each count with its meaning."""
    raised = [f"{count} {LINK_ALERTS.get(kind, kind)}" for kind, count in alerts.items() if count]
    return "; ".join(raised) if raised else "none"


def print_test_page(core: KioskCore) -> PrintOutcome:
    """The printer test page (every Kazakh letter, the printer's status); core thread."""
    from kiosk.printing import test_page_text, text_document  # python-escpos only when printing

    printer = core.printer
    if printer is None or not isinstance(printer, TestablePrinter):
        return PrintOutcome("no_printer")
    if cash_in(core):
        return PrintOutcome("busy")
    status = printer.status()
    document = text_document(
        test_page_text(printer.profile, status), printer.width, qr=TEST_PAGE_QR
    )
    try:
        printer.print_document(document, what="test page")
    except PrinterError as exc:
        after = core.check_printer(force=True)
        return PrintOutcome("not_printed", after.state if after else status.state.value, str(exc))
    core.check_printer(force=True)
    return PrintOutcome("test_printed", "", f"{printer.profile.name}: {status.reason}")


def reprint_receipt(core: KioskCore, number: int) -> PrintOutcome:
    """Print receipt ``number`` again, marked as a duplicate; core thread."""
    if core.printer is None:
        return PrintOutcome("no_printer")
    found = lookups.payment_status(core.store, number)  # behind the PIN: not throttled
    if found is None:
        return PrintOutcome("unknown_receipt", "", str(number))
    try:
        printed = core.reprint(found.operation_id)
    except NotAllowed:
        return PrintOutcome("busy", "", str(number))
    except KeyError:  # a payment whose receipt text was never stored
        return PrintOutcome("unknown_receipt", "", str(number))
    if printed:
        return PrintOutcome("reprinted", "", str(number))
    reading = core.printer_state
    return PrintOutcome(
        "not_printed",
        reading.state if reading else "unknown",
        reading.reason if reading else f"receipt {number} not printed",
    )


@dataclass(frozen=True, slots=True)
class LogLine:
    """One log line, compact: time of day (UTC), level and event; a line that is not JSON
    is kept whole (cut short) as the event."""

    time: str
    level: str
    event: str


def compact_log_line(line: str) -> LogLine:
    """Time, level and event of one JSON log line."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError:
        entry = None
    if not isinstance(entry, dict):
        return LogLine("", "", line.strip()[:LOG_LINE_CHARS])
    stamp = str(entry.get("ts", ""))
    time_of_day = stamp[11:19] if len(stamp) >= 19 else stamp
    return LogLine(
        time_of_day, str(entry.get("level", "")), str(entry.get("event", ""))[:LOG_LINE_CHARS]
    )


def read_log_tail(path: Path, count: int = LOG_LINES) -> list[LogLine]:
    """The last ``count`` lines of the log file, newest first. Raises OSError."""
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        stream.seek(max(0, size - LOG_TAIL_BYTES))
        data = stream.read()
    lines = [line for line in data.decode("utf-8", errors="replace").splitlines() if line.strip()]
    if size > LOG_TAIL_BYTES and lines:
        lines = lines[1:]  # the first line read starts in the middle
    return [compact_log_line(line) for line in reversed(lines[-count:])]
