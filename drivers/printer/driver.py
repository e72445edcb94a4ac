"""The receipt printer driver: print documents, read status, clear the buffer."""

from __future__ import annotations

import logging
from typing import Any

from escpos.exceptions import Error as EscposError

from drivers.printer.connection import PrinterConnectionError, drain, open_device, read_reply
from drivers.printer.document import Document
from drivers.printer.encoder import JobReport, write_document
from drivers.printer.profiles import PrinterProfile, get_profile
from drivers.printer.status import (
    STATUS_QUERIES,
    PrinterState,
    PrinterStatus,
    classify,
    status_query,
)

log = logging.getLogger("drivers.printer")

# Epson "clear buffers" (DLE DC4 8 with its fixed key bytes): drops a job kept while the
# printer could not print, so a reprint does not come out twice.
CLEAR_BUFFERS = b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"


class PrinterIOError(OSError):
    """Writing to the printer failed mid-job (cable, socket, device gone)."""


class EscposDriver:
    """One receipt printer behind a python-escpos printer object."""

    def __init__(
        self, device: Any, profile: PrinterProfile, *, url: str = "", reply_timeout: float = 0.5
    ) -> None:
        self.device = device
        self.profile = profile
        self.url = url
        self.reply_timeout = reply_timeout

    @classmethod
    def open(
        cls, url: str, profile: str | PrinterProfile = "TM-T88V", *, reply_timeout: float = 0.5
    ) -> EscposDriver:
        """Open the printer at ``url`` (see drivers.printer.connection for the forms)."""
        chosen = get_profile(profile) if isinstance(profile, str) else profile
        return cls(open_device(url, chosen), chosen, url=url, reply_timeout=reply_timeout)

    @property
    def has_status(self) -> bool:
        """False for links that cannot read (``file://``): status is then always unknown."""
        return read_reply(self.device, 0, 0.0) is not None

    def status(self) -> PrinterStatus:
        """Ask ``DLE EOT 1..4``; any missing or malformed reply gives ``unknown``."""
        if not self.has_status:
            return PrinterStatus(
                PrinterState.UNKNOWN, f"printer link {self.url or 'file'} cannot read status"
            )
        replies: dict[int, int | None] = {}
        try:
            drain(self.device)
            for n in STATUS_QUERIES:
                self._write(status_query(n))
                data = read_reply(self.device, 1, self.reply_timeout)
                replies[n] = data[-1] if data else None
                if replies[n] is None:
                    break
        except PrinterIOError as exc:
            return PrinterStatus(PrinterState.UNKNOWN, f"printer link failed: {exc}")
        return classify(replies)

    def clear_buffer(self) -> None:
        """Drop anything the printer still holds (before a reprint)."""
        self._write(CLEAR_BUFFERS)
        read_reply(self.device, 3, self.reply_timeout)
        drain(self.device)

    def print_document(self, document: Document) -> JobReport:
        """Send one job; raises PrinterIOError when the link fails."""
        try:
            return write_document(self.device, document, self.profile)
        except (OSError, EscposError) as exc:
            raise PrinterIOError(f"printer write failed on {self.url}: {exc}") from exc

    def _write(self, data: bytes) -> None:
        try:
            self.device._raw(data)
        except (OSError, EscposError) as exc:
            raise PrinterIOError(f"printer write failed on {self.url}: {exc}") from exc

    def close(self) -> None:
        self.device.close()


__all__ = ["EscposDriver", "PrinterConnectionError", "PrinterIOError"]
