"""A byte-level ESC/POS receipt printer simulator: parser, state, rendering, serving."""

from drivers.sim.printer.model import Faults, PrinterSimulator
from drivers.sim.printer.page import Page
from drivers.sim.printer.render import ReceiptWriter, render_png
from drivers.sim.printer.server import PrinterServer, send_control

__all__ = [
    "Faults",
    "Page",
    "PrinterServer",
    "PrinterSimulator",
    "ReceiptWriter",
    "render_png",
    "send_control",
]
