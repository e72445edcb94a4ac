"""Receipt printer driver on python-escpos 3.1: profiles, Kazakh text, status, simulator."""

# Before any python-escpos module: its capabilities cache in one owned folder.
from drivers.printer import escpos_cache  # noqa: F401

# isort: split
from drivers.printer.codepages import install_kz1048
from drivers.printer.connection import PrinterConnectionError
from drivers.printer.document import Cut, Document, Feed, QrCode, TextLine
from drivers.printer.driver import EscposDriver, PrinterIOError
from drivers.printer.encoder import JobReport, encode_document
from drivers.printer.profiles import PROFILES, PrinterProfile, UnknownProfileError, get_profile
from drivers.printer.status import PrinterState, PrinterStatus

__all__ = [
    "PROFILES",
    "Cut",
    "Document",
    "EscposDriver",
    "Feed",
    "JobReport",
    "PrinterConnectionError",
    "PrinterIOError",
    "PrinterProfile",
    "PrinterState",
    "PrinterStatus",
    "QrCode",
    "TextLine",
    "UnknownProfileError",
    "encode_document",
    "get_profile",
    "install_kz1048",
]
