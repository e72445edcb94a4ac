"""The receipt printer as the core sees it: ReceiptPrinter over the ESC/POS driver.

Lays receipts out for the profile's width from the stored fields, adds the QR code (the
operation id, or the status-check address carrying it), checks the printer's status before
and after each job, and clears the printer's buffer before a reprint.
"""

from __future__ import annotations

import logging
from pathlib import Path

from drivers.printer import (
    Cut,
    Document,
    EscposDriver,
    PrinterConnectionError,
    PrinterIOError,
    PrinterState,
    PrinterStatus,
    QrCode,
    TextLine,
)
from kiosk.config import PrinterConfig
from kiosk.money import Language
from kiosk.payment import PrinterError
from kiosk.receipts import (
    EncashmentFields,
    ReceiptFields,
    render_encashment_text,
    render_text,
)

log = logging.getLogger("kiosk.printing")

# States after a job that mean the receipt may be missing or cut short.
_FAILED_AFTER = (PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.OFFLINE,
                 PrinterState.ERROR, PrinterState.UNKNOWN)


def qr_payload(fields: ReceiptFields) -> str:
    """The operation id, inside the status-check address when one is configured."""
    url = fields.status_url
    if not url:
        return fields.operation_id
    if "{operation_id}" in url:
        return url.replace("{operation_id}", fields.operation_id)
    return f"{url}{'&' if '?' in url else '?'}op={fields.operation_id}"


def wrap(text: str, width: int) -> list[str]:
    """Cut a line into pieces of at most ``width`` characters (never wider than the paper)."""
    text = text.rstrip()
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def text_document(text: str, width: int, *, bold_lines: int = 1,
                  qr: str | None = None) -> Document:
    """Plain receipt text as a document: the first ``bold_lines`` bold, then QR and cut."""
    blocks: list[TextLine | QrCode | Cut] = []
    for index, line in enumerate(text.rstrip("\n").split("\n")):
        blocks += [TextLine(piece, bold=index < bold_lines) for piece in wrap(line, width)]
    if qr:
        blocks.append(QrCode(qr))
    blocks.append(Cut())
    return tuple(blocks)


def receipt_document(fields: ReceiptFields, language: Language, *, width: int,
                     duplicate: bool = False) -> Document:
    """A payment receipt laid out for ``width`` columns, with its QR code."""
    text = render_text(fields, language, width=width, duplicate=duplicate)
    return text_document(text, width, bold_lines=2 if duplicate else 1, qr=qr_payload(fields))


class EscposReceiptPrinter:
    """ReceiptPrinter for the payment core; raises kiosk.payment.PrinterError on failure."""

    def __init__(self, driver: EscposDriver) -> None:
        self.driver = driver

    @classmethod
    def from_config(cls, config: PrinterConfig, *, sim_out: Path | None = None,
                    reply_timeout: float = 0.5) -> EscposReceiptPrinter:
        """Open the configured printer; no port means an in-process simulated printer."""
        url = config.port or (f"sim://{sim_out}" if sim_out else "sim://")
        try:
            return cls(EscposDriver.open(url, config.profile, reply_timeout=reply_timeout))
        except PrinterConnectionError as exc:
            raise PrinterError(str(exc)) from exc

    @property
    def width(self) -> int:
        return self.driver.profile.columns

    def printer_status(self) -> PrinterStatus:
        """The printer's state for the core's policy (``can_print``, ``state``, ``reason``)."""
        return self.driver.status()

    def print_receipt(self, text: str, fields: ReceiptFields, language: Language,
                      duplicate: bool) -> None:
        """Print one payment receipt; ``text`` is ignored, it is laid out for this paper."""
        self._print(receipt_document(fields, language, width=self.width, duplicate=duplicate),
                    clear_first=duplicate, what=f"receipt {fields.receipt_number}")

    def print_encashment(self, fields: EncashmentFields, language: Language) -> None:
        text = render_encashment_text(fields, language, width=self.width)
        self._print(text_document(text, self.width), clear_first=False,
                    what=f"encashment {fields.encashment_id}")

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
            raise PrinterError(f"{what} not printed: {exc}") from exc
        if checked:
            after = self.driver.status()
            if after.state in _FAILED_AFTER:
                raise PrinterError(f"{what} may be incomplete: {after.reason}")
        else:
            log.warning("printer has no status channel; receipt printing unconfirmed",
                        extra={"fields": {"what": what, "url": self.driver.url}})

    def close(self) -> None:
        self.driver.close()
