"""A python-escpos printer object wired straight to an in-process simulator.

Used when no printer port is configured (demo, ``kiosk simulate``) and in tests: the same
driver code runs, the bytes go through the same simulator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from escpos.escpos import Escpos

from drivers.printer.profiles import PrinterProfile
from drivers.sim.printer.model import PrinterSimulator
from drivers.sim.printer.render import ReceiptWriter


class LoopbackPrinter(Escpos):  # type: ignore[misc]
    """Bytes written go to ``simulator``; its replies wait to be read."""

    def __init__(self, simulator: PrinterSimulator, **kwargs: Any) -> None:
        Escpos.__init__(self, **kwargs)
        self.simulator = simulator
        self._replies = bytearray()
        self._device = True

    def _raw(self, msg: bytes) -> None:
        self._replies += self.simulator.receive(bytes(msg))

    def read_reply(self, size: int) -> bytes:
        """Up to ``size`` reply bytes; empty when the simulator said nothing."""
        data = bytes(self._replies[:size])
        del self._replies[:size]
        return data

    def close(self) -> None:
        self._device = False


def open_simulated(receipts: Path | None, profile: PrinterProfile, escpos_profile: Any) -> Escpos:
    """The printer behind a ``sim://`` URL: an in-process simulator, its receipts kept in
    memory, or also written as PNG and text to ``receipts``."""
    sink = (
        ReceiptWriter(receipts, dots=profile.dots, columns=profile.columns)
        if receipts is not None
        else None
    )
    return LoopbackPrinter(PrinterSimulator(sink), profile=escpos_profile)
