"""Write a Document onto a python-escpos printer object, text where the code page allows.

Lines the profile's code page can carry go as text (decoded back exactly by tests); only a
line with a character the page lacks is sent as a raster image (``GS v 0``). Every job
starts with ``ESC @`` followed by ``ESC t``: the library does not resend the code page after
INIT, so the tracked code page is forgotten first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from drivers.printer.codepages import install_kz1048
from drivers.printer.document import Cut, Document, Feed, QrCode, TextLine
from drivers.printer.profiles import PrinterProfile
from drivers.printer.raster import render_line


@dataclass(frozen=True, slots=True)
class JobReport:
    """What a job sent: which lines went as text and which as raster images."""

    text_lines: tuple[str, ...]
    raster_lines: tuple[str, ...]


def initialize(printer: Any, profile: PrinterProfile) -> None:
    """``ESC @`` then force the code page again (python-escpos would skip it)."""
    printer.hw("INIT")
    # ESC @ resets the printer to code page 0; forget what the library thinks is selected.
    printer.magic.encoding = None
    printer.charcode(profile.text_page.name)


def write_document(printer: Any, document: Document, profile: PrinterProfile) -> JobReport:
    """Send ``document`` to ``printer`` (any python-escpos printer object)."""
    install_kz1048()
    page = profile.text_page
    cell = profile.dots // profile.columns
    text_lines: list[str] = []
    raster_lines: list[str] = []
    initialize(printer, profile)
    for block in document:
        if isinstance(block, TextLine):
            line = block.text.rstrip()
            if page.can_encode(line):
                if block.bold:
                    printer.set(bold=True)
                printer.textln(line)
                if block.bold:
                    printer.set(bold=False)
                text_lines.append(line)
            else:
                printer.image(
                    render_line(line, bold=block.bold, cell_width=cell), impl="bitImageRaster"
                )
                raster_lines.append(line)
        elif isinstance(block, QrCode):
            printer.set(align="center")
            printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module_dots, native=True)
            printer.textln("")
            printer.set(align="left")
        elif isinstance(block, Feed):
            printer.print_and_feed(block.lines)
        elif isinstance(block, Cut):
            printer.cut()
    return JobReport(tuple(text_lines), tuple(raster_lines))


def encode_document(document: Document, profile: PrinterProfile) -> tuple[bytes, JobReport]:
    """The exact bytes a job would send (no device), and its report."""
    dummy = Dummy(profile=profile.escpos_profile())
    report = write_document(dummy, document, profile)
    data: bytes = dummy.output
    return data, report
