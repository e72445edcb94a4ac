"""The kiosk window as a customer touches it: finding items, tapping, typing, feeding notes.

Shared by the UI tests (the ``make_screen`` fixture in conftest.py builds the window)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from drivers.sim.bill.mechanics import SimulatorRefused, Timings
from kiosk.config import Config, demo_config
from kiosk.sim.ui.demo import DemoKiosk, quick_timeouts
from ui.window import KioskUi

WAIT_MS = 10_000
FAST = Timings(0.02, 0.02, 0.02, 0.02, 0.02, 10.0)  # the note path, quicker than life


def find_item(root: QQuickItem, name: str) -> QQuickItem | None:
    """The visible item with this objectName in the visual tree (Loader and Repeater
    children are found here, not through QObject parents)."""
    found = None
    for child in root.childItems():
        if child.objectName() == name and child.isVisible():
            return child
        if child.objectName() == name and found is None:
            found = child
        deeper = find_item(child, name)
        if deeper is not None and (deeper.isVisible() or found is None):
            if deeper.isVisible():
                return deeper
            found = deeper
    return found


@dataclass
class Screen:
    """The running window and helpers to touch it as a customer would."""

    ui: KioskUi
    demo: DemoKiosk
    qtbot: QtBot

    def find(self, name: str) -> QQuickItem:
        item = find_item(self.ui.window.contentItem(), name)
        if item is None:
            raise AssertionError(f"no item named {name!r} on screen {self.ui.kiosk.screen!r}")
        return item

    def text(self, name: str) -> str:
        return str(self.find(name).property("text"))

    def tap(self, name: str) -> None:
        """Press and release the centre of an item, through the window like a finger."""
        item = self.find(name)
        assert item.isVisible(), f"{name} is not visible"
        centre = self._settled_centre(item)
        QTest.mouseClick(
            self.ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
        )
        # The intent's answer comes back through a queued signal: look once it is in.
        self.qtbot.waitUntil(
            lambda: self.ui.kiosk.pending == self.ui.service.pending == 0, timeout=WAIT_MS
        )

    def _settled_centre(self, item: QQuickItem) -> QPoint:
        """Where the item is once the screen's layout has run (positioners lay out on the
        next frame, so a just-loaded screen may still move)."""
        seen: list[QPoint] = []

        def still() -> bool:
            seen.append(item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint())
            return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

        self.qtbot.waitUntil(still, timeout=WAIT_MS)
        return seen[-1]

    def type_digits(self, digits: str) -> None:
        for digit in digits:
            self.tap(f"key_{digit}")

    def type_status(self, digits: str) -> None:
        """Digits on the status screen's keypad."""
        for digit in digits:
            self.tap(f"status_{digit}")

    def wait_screen(self, screen: str) -> None:
        self.qtbot.waitUntil(lambda: self.ui.kiosk.screen == screen, timeout=WAIT_MS)

    def wait_until(self, condition: Callable[[], bool]) -> None:
        self.qtbot.waitUntil(condition, timeout=WAIT_MS)

    def insert(self, tenge: int) -> None:
        """Feed a note once the acceptor takes it, and wait until the core has settled it."""
        device = self.demo.device
        amount = tenge * 100
        self.wait_until(lambda: amount in device.enabled_amounts)
        before = len(self.ui.kiosk.snapshot.notes), self.ui.kiosk.snapshot.last_returned

        def taken() -> bool:
            try:
                device.insert(amount)
            except SimulatorRefused:  # still finishing the previous note
                return False
            return True

        self.wait_until(taken)
        self.wait_until(
            lambda: (
                (len(self.ui.kiosk.snapshot.notes), self.ui.kiosk.snapshot.last_returned) != before
                and not self.ui.kiosk.snapshot.note_in_progress
            )
        )

    def to_cash(self, service: str, digits: str, category: str = "ewallet") -> None:
        self.tap(f"category_{category}")
        self.wait_screen("catalog")
        self.tap(f"service_{service}")
        self.wait_screen("entry")
        self.type_digits(digits)
        self.tap("nextButton")
        self.wait_screen("confirm")
        self.tap("confirmButton")
        self.wait_screen("checked")
        self.tap("insertCashButton")
        self.wait_screen("cash")


MakeScreen = Callable[..., Screen]  # the make_screen fixture: make_screen(config=..., ...)


def short_timeouts(tmp_path: Path) -> Config:
    return quick_timeouts(demo_config(tmp_path), idle_s=30, cash_warn_s=30, cash_complete_s=60)
