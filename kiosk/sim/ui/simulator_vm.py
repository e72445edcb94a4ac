"""The simulator panel's view-model: buttons that drive the simulated devices (bill acceptor,
receipt printer) and the network to the ledger, the way a customer or a fault would."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol

from PySide6.QtCore import Property, QObject, Signal, Slot

from drivers.sim.bill.mechanics import SimulatorRefused
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Money
from kiosk.runtime import CoreThread
from kiosk.sim.ledger_link import LedgerLink
from sync.outbox import OutboxWorker
from ui.window import UI_DIR

# The panel's QML sits with the kiosk's (it uses the same buttons and theme); Qt finds it by
# file name in the installed ``ui`` package, wherever this module lives.
SIMULATOR_PANEL_QML = UI_DIR / "qml" / "SimulatorPanel.qml"

log = logging.getLogger("ui.simulator")


class PrinterControl(Protocol):
    """The printer simulator's control channel (drivers.sim.printer.PrinterSimulator)."""

    def control(self, line: str) -> str: ...

    def describe(self) -> str: ...


class SimulatorPanel(QObject):
    """``simulator`` in QML. ``device`` is the in-process bill-validator simulator, ``paper`` the
    in-process printer simulator (None: no simulated printer in this run). With ``runner``
    the printer's controls run on the core thread, where the printer driver talks to the
    simulator (it has no lock of its own)."""

    changed = Signal()
    printerTextChanged = Signal()
    # Answers from the core thread, delivered on the GUI thread (queued: the panel lives there).
    _printer_answered = Signal(str, str, object)
    _printer_described = Signal(str)

    def __init__(
        self,
        device: Any,
        link: LedgerLink | None,
        worker: OutboxWorker | None,
        paper: PrinterControl | None = None,
        runner: CoreThread | None = None,
    ) -> None:
        super().__init__()
        self.device = device
        self.link = link
        self.worker = worker
        self.paper = paper
        self.runner = runner
        self._message = ""
        self._network_down = False
        self._printer_offline = False
        self._cover_open = False
        self._printer_text = ""
        self._printer_answered.connect(self._on_printer_answer)
        self._printer_described.connect(self._on_printer_described)
        self.changed.connect(self._describe_printer)
        self._describe_printer()

    def _do(self, what: str, action: Callable[[], None]) -> None:
        try:
            action()
            self._message = what
        except SimulatorRefused as exc:
            self._message = f"{what}: refused ({exc})"
        log_event(log, "simulator", action=what, result=self._message)
        self.changed.emit()

    def _notes(self) -> list[int]:
        return sorted({amount // 100 for amount in self.device.bill_amounts if amount})

    message = Property(str, lambda self: self._message, notify=changed)
    notes = Property(list, lambda self: self._notes(), notify=changed)
    networkDown = Property(bool, lambda self: self._network_down, notify=changed)
    hasLedger = Property(bool, lambda self: self.link is not None, notify=changed)
    hasPrinter = Property(bool, lambda self: self.paper is not None, notify=changed)
    printerOffline = Property(bool, lambda self: self._printer_offline, notify=changed)
    coverOpen = Property(bool, lambda self: self._cover_open, notify=changed)
    printerText = Property(str, lambda self: self._printer_text, notify=printerTextChanged)

    def _on_core(self, fn: Callable[..., str], *args: str, then: Callable[[str], None]) -> None:
        """Run ``fn`` where the printer driver talks to the simulator (the core thread, when
        there is one) and hand its answer to ``then`` on the GUI thread, never waiting."""
        if self.runner is None:
            then(fn(*args))
            return
        future = self.runner.submit(fn, *args)

        def answered(done: Future[str]) -> None:
            error = done.exception()
            then(f"error: {error}" if error is not None else done.result())

        future.add_done_callback(answered)

    def _describe_printer(self) -> None:
        if self.paper is not None:
            self._on_core(self.paper.describe, then=self._printer_described.emit)

    @Slot(str)
    def _on_printer_described(self, text: str) -> None:
        if text != self._printer_text:
            self._printer_text = text
            self.printerTextChanged.emit()

    @Slot(int)
    def insert(self, tenge: int) -> None:
        self._do(
            f"insert {Money.tenge(tenge).format('en')}", lambda: self.device.insert(tenge * 100)
        )

    @Slot()
    def fake(self) -> None:
        self._do("insert a fake note", self.device.insert_fake)

    @Slot()
    def jam(self) -> None:
        self._do("jam the acceptor", self.device.jam)

    @Slot()
    def clear(self) -> None:
        self._do("clear the jam", self.device.clear)

    @Slot()
    def cassetteOut(self) -> None:
        self._do("remove the cassette", self.device.cassette_out)

    @Slot()
    def cassetteIn(self) -> None:
        self._do("put the cassette back", self.device.cassette_in)

    @Slot()
    def toggleNetwork(self) -> None:
        if self.link is None or self.worker is None:
            self._message = "no ledger link in this run"
            self.changed.emit()
            return
        self._network_down = not self._network_down
        self.link.set_outage(self._network_down)
        self.worker.retry_now()
        self._do("network " + ("down" if self._network_down else "up"), lambda: None)

    def _printer(self, what: str, command: str, then: Callable[[], None] = lambda: None) -> None:
        """Send one control command to the printer simulator (paper-out, offline …); on
        success run ``then`` (the panel's own record of a toggle)."""
        if self.paper is None:
            self._message = "no simulated printer in this run"
            self.changed.emit()
            return
        self._on_core(
            self.paper.control,
            command,
            then=lambda reply: self._printer_answered.emit(what, reply, then),
        )

    @Slot(str, str, object)
    def _on_printer_answer(self, what: str, reply: str, then: Callable[[], None]) -> None:
        if reply.startswith("ok"):
            self._message = what
            then()
        else:
            self._message = f"{what}: refused ({reply})"
        log_event(log, "simulator", action=what, result=self._message)
        self.changed.emit()

    @Slot()
    def paperOut(self) -> None:
        self._printer("printer out of paper", "paper-out")

    @Slot()
    def paperNearEnd(self) -> None:
        self._printer("printer paper near its end", "paper-near-end")

    @Slot()
    def paperIn(self) -> None:
        self._printer("new paper roll in the printer", "paper-in")

    @Slot()
    def togglePrinterOnline(self) -> None:
        offline = not self._printer_offline
        self._printer(
            "printer " + ("offline" if offline else "online"),
            "offline" if offline else "online",
            lambda: setattr(self, "_printer_offline", offline),
        )

    @Slot()
    def toggleCover(self) -> None:
        cover_open = not self._cover_open
        self._printer(
            "printer cover " + ("open" if cover_open else "closed"),
            "cover-open" if cover_open else "cover-close",
            lambda: setattr(self, "_cover_open", cover_open),
        )
