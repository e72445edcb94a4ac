"""The receipt printer as the core sees it: ReceiptPrinter over the ESC/POS driver.

Lays receipts out for the profile's width from the stored fields, adds the QR code (the
operation id, or the status-check address carrying it), checks the printer's status before
and after each job, and clears the printer's buffer before a reprint.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

from drivers.printer import (
    Cut,
    Document,
    EscposDriver,
    PrinterConnectionError,
    PrinterIOError,
    PrinterProfile,
    PrinterState,
    PrinterStatus,
    QrCode,
    TextLine,
    get_profile,
)
from drivers.printer.codepages import KAZAKH_ALPHABET_LOWER, KAZAKH_ALPHABET_UPPER
from kiosk.config import PrinterConfig
from kiosk.domain.money import Language
from kiosk.payment import PrinterError, PrinterReadiness
from kiosk.receipts import (
    EncashmentFields,
    ReceiptFields,
    render_encashment_text,
    render_text,
    status_link,
)

log = logging.getLogger("kiosk.printing")

# States after a job that mean the receipt may be missing or cut short.
_FAILED_AFTER = (
    PrinterState.PAPER_OUT,
    PrinterState.COVER_OPEN,
    PrinterState.OFFLINE,
    PrinterState.ERROR,
    PrinterState.UNKNOWN,
)


def qr_payload(fields: ReceiptFields) -> str:
    """The receipt's QR code: see :func:`status_link`."""
    return status_link(fields.status_url, fields.operation_id)


def wrap(text: str, width: int) -> list[str]:
    """Cut a line to at most ``width`` characters, at spaces or hyphens where it can (an
    operation id breaks between its groups), never wider than the paper."""
    text = text.rstrip()
    if len(text) <= width:
        return [text]
    pieces = textwrap.wrap(
        text, width, break_on_hyphens=True, break_long_words=True, drop_whitespace=True
    )
    return pieces or [""]


def text_document(text: str, width: int, *, bold_lines: int = 1, qr: str | None = None) -> Document:
    """Plain receipt text as a document: the first ``bold_lines`` bold, then QR and cut."""
    blocks: list[TextLine | QrCode | Cut] = []
    for index, line in enumerate(text.rstrip("\n").split("\n")):
        blocks += [TextLine(piece, bold=index < bold_lines) for piece in wrap(line, width)]
    if qr:
        blocks.append(QrCode(qr))
    blocks.append(Cut())
    return tuple(blocks)


def receipt_document(
    fields: ReceiptFields, language: Language, *, width: int, duplicate: bool = False
) -> Document:
    """A payment receipt laid out for ``width`` columns, with its QR code."""
    text = render_text(fields, language, width=width, duplicate=duplicate)
    return text_document(text, width, bold_lines=2 if duplicate else 1, qr=qr_payload(fields))


class EscposReceiptPrinter:
    """ReceiptPrinter for the payment core; raises kiosk.payment.PrinterError on failure."""

    def __init__(self, driver: EscposDriver) -> None:
        self.driver = driver

    @property
    def width(self) -> int:
        return self.driver.profile.columns

    def printer_status(self) -> PrinterStatus:
        """The printer's state with the raw replies (service screens, ``printer test``)."""
        return self.driver.status()

    def readiness(self) -> PrinterReadiness:
        """The printer's state for the core's no-paper policy."""
        if not self.driver.has_status:
            return PrinterReadiness(
                "unchecked",
                f"printer link {self.driver.url} cannot report status; printing is not confirmed",
            )
        status = self.driver.status()
        return PrinterReadiness(status.state.value, status.reason)

    def print_receipt(
        self, text: str, fields: ReceiptFields, language: Language, duplicate: bool
    ) -> None:
        """Print one payment receipt; ``text`` is ignored, it is laid out for this paper."""
        self._print(
            receipt_document(fields, language, width=self.width, duplicate=duplicate),
            clear_first=duplicate,
            what=f"receipt {fields.receipt_number}",
        )

    def print_encashment(self, fields: EncashmentFields, language: Language) -> None:
        text = render_encashment_text(fields, language, width=self.width)
        self._print(
            text_document(text, self.width),
            clear_first=False,
            what=f"encashment {fields.encashment_id}",
        )

    def print_document(self, document: Document, *, what: str) -> None:
        self._print(document, clear_first=False, what=what)

    def _print(self, document: Document, *, clear_first: bool, what: str) -> None:
        checked = self.driver.has_status
        if checked:
            before = self.driver.status()
            if not before.can_print:
                raise PrinterError(f"{what} not printed: {before.reason}")
            if before.state is PrinterState.PAPER_NEAR_END:
                log.warning("printer paper near end", extra={"fields": {"what": what}})
        try:
            if clear_first:
                self.driver.clear_buffer()
            self.driver.print_document(document)
        except PrinterIOError as exc:
            self._drop_held_job(what)
            raise PrinterError(f"{what} not printed: {exc}") from exc
        if checked:
            after = self.driver.status()
            if after.state in _FAILED_AFTER:
                self._drop_held_job(what)
                raise PrinterError(f"{what} may be incomplete: {after.reason}")
        else:
            log.warning(
                "printer has no status channel; receipt printing unconfirmed",
                extra={"fields": {"what": what, "url": self.driver.url}},
            )

    def _drop_held_job(self, what: str) -> None:
        """A failed job must not come out later, to the next customer, when the paper or
        the cover is fixed: the receipt stays stored for a reprint instead."""
        try:
            self.driver.clear_buffer()
        except PrinterIOError as exc:
            log.warning(
                "printer buffer not cleared after a failed job",
                extra={"fields": {"what": what, "error": str(exc)}},
            )

    def close(self) -> None:
        self.driver.close()


class ConfiguredPrinter:
    """The kiosk's printer from its configuration, reopened whenever it is lost.

    A printer unplugged at start or mid-job does not stop the kiosk: it reads as offline
    (the no-paper policy decides), and the next status check or job opens it again. No
    port configured means the in-process simulated printer, writing to ``sim_out``.
    """

    def __init__(
        self, config: PrinterConfig, *, sim_out: Path | None = None, reply_timeout: float = 0.5
    ) -> None:
        self.url = config.port or (f"sim://{sim_out}" if sim_out else "sim://")
        self.profile: PrinterProfile = get_profile(config.profile)
        self.reply_timeout = reply_timeout
        self._printer: EscposReceiptPrinter | None = None
        self._open_error = ""
        self._connect()

    @property
    def width(self) -> int:
        return self.profile.columns

    @property
    def driver(self) -> EscposDriver | None:
        return self._printer.driver if self._printer is not None else None

    def _connect(self) -> EscposReceiptPrinter | None:
        if self._printer is None:
            try:
                driver = EscposDriver.open(self.url, self.profile, reply_timeout=self.reply_timeout)
            except PrinterConnectionError as exc:
                if str(exc) != self._open_error:
                    log.warning("printer cannot be opened", extra={"fields": {"error": str(exc)}})
                self._open_error = str(exc)
                return None
            self._open_error = ""
            self._printer = EscposReceiptPrinter(driver)
        return self._printer

    def _lost(self) -> None:
        # The in-process simulator is the printer itself: reopening would replace it.
        if self._printer is not None and not self.url.startswith("sim:"):
            try:
                self._printer.close()
            except OSError as exc:
                log.warning("printer close failed", extra={"fields": {"error": str(exc)}})
            self._printer = None

    def readiness(self) -> PrinterReadiness:
        printer = self._connect()
        if printer is None:
            return PrinterReadiness("offline", self._open_error)
        reading = printer.readiness()
        if reading.state == "unknown":
            self._lost()  # a silent link is reopened at the next check
        return reading

    def status(self) -> PrinterStatus:
        """The raw status with its replies (service screen); unknown when not open."""
        printer = self._connect()
        if printer is None:
            return PrinterStatus(PrinterState.OFFLINE, self._open_error)
        return printer.printer_status()

    def _job(self, what: str) -> EscposReceiptPrinter:
        printer = self._connect()
        if printer is None:
            raise PrinterError(f"{what} not printed: {self._open_error}")
        return printer

    def print_receipt(
        self, text: str, fields: ReceiptFields, language: Language, duplicate: bool
    ) -> None:
        try:
            self._job(f"receipt {fields.receipt_number}").print_receipt(
                text, fields, language, duplicate
            )
        except PrinterError:
            self._lost()
            raise

    def print_encashment(self, fields: EncashmentFields, language: Language) -> None:
        try:
            self._job(f"encashment {fields.encashment_id}").print_encashment(fields, language)
        except PrinterError:
            self._lost()
            raise

    def print_document(self, document: Document, *, what: str) -> None:
        try:
            self._job(what).print_document(document, what=what)
        except PrinterError:
            self._lost()
            raise

    def close(self) -> None:
        self._lost()


def test_page_text(profile: PrinterProfile, status: PrinterStatus) -> str:
    """The test page: profile, code page, every Kazakh letter upper and lower, status.

    Laid out for the profile's columns: the 42-letter alphabet goes in equal parts on
    narrower paper, so every printed line is a whole line of the alphabet.
    """
    page = profile.text_page
    width = profile.columns
    route = "Kazakh as text" if profile.has_kazakh else "Kazakh lines as raster"
    lines = [
        "PRINTER TEST / ПРИНТЕР СЫНАҒЫ".center(width).rstrip(),
        f"Profile: {profile.name}",
        f"Paper: {profile.paper_mm} mm, {width} columns",
        f"Code page: {page.name} (ESC t {page.number})",
        route,
        ("1234567890" * 10)[:width],
        *_equal_parts(KAZAKH_ALPHABET_UPPER, width),
        *_equal_parts(KAZAKH_ALPHABET_LOWER, width),
        *textwrap.wrap("Қазақстан Республикасы, Өскемен, Үржар", width),
        *textwrap.wrap("Съешь же ещё этих мягких французских булок", width),
        *textwrap.wrap(f"Status: {status.state.value} ({status.reason})", width),
    ]
    return "\n".join(lines) + "\n"


def _equal_parts(text: str, width: int) -> list[str]:
    """``text`` cut into the fewest equal pieces no wider than ``width``."""
    parts = -(-len(text) // width)
    size = -(-len(text) // parts)
    return [text[i : i + size] for i in range(0, len(text), size)]
