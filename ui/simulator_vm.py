"""The simulator panel's view-model: buttons that drive the simulated devices and the
network to the ledger, the way a customer or a fault would."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from drivers.bill.ccnet.mechanics import SimulatorRefused
from kiosk.ledger_link import LedgerLink
from kiosk.logs import log_event
from kiosk.money import Money

log = logging.getLogger("ui.simulator")


class SimulatorPanel(QObject):
    """``simulator`` in QML. ``device`` is the in-process CCNET simulator."""

    changed = Signal()

    def __init__(self, device: Any, link: LedgerLink | None) -> None:
        super().__init__()
        self.device = device
        self.link = link
        self._message = ""
        self._network_down = False

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
    networkDown = Property(bool, lambda self: self._network_down, notify=changed)  # noqa: N815
    hasLedger = Property(bool, lambda self: self.link is not None, notify=changed)  # noqa: N815

    @Slot(int)
    def insert(self, tenge: int) -> None:
        self._do(f"insert {Money.tenge(tenge).format('en')}",
                 lambda: self.device.insert(tenge * 100))

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
    def cassetteOut(self) -> None:  # noqa: N802
        self._do("remove the cassette", self.device.cassette_out)

    @Slot()
    def cassetteIn(self) -> None:  # noqa: N802
        self._do("put the cassette back", self.device.cassette_in)

    @Slot()
    def toggleNetwork(self) -> None:  # noqa: N802
        if self.link is None:
            self._message = "no ledger link in this run"
            self.changed.emit()
            return
        self._network_down = not self._network_down
        self.link.set_outage(self._network_down)
        self.link.worker.retry_now()
        self._do("network " + ("down" if self._network_down else "up"), lambda: None)
