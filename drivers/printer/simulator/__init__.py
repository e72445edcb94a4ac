"""A byte-level ESC/POS receipt printer simulator: parser, state, rendering, serving."""

from drivers.printer.simulator.model import Faults, PrinterSimulator
from drivers.printer.simulator.page import Page
from drivers.printer.simulator.render import ReceiptWriter, render_png
from drivers.printer.simulator.server import PrinterServer, send_control

__all__ = ["Faults", "Page", "PrinterServer", "PrinterSimulator", "ReceiptWriter",
           "render_png", "send_control"]
