"""The demo's simulator panel drives the devices; the demo window opens and closes."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.domain.money import Money
from kiosk.sim.ui.simulator_vm import SIMULATOR_PANEL_QML, SimulatorPanel
from kiosk.sim.ui.window import run_kiosk_window
from tests.ui.helpers import WAIT_MS, MakeScreen, Screen, find_item


def test_simulator_panel_buttons_insert_notes_and_jam_the_acceptor(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    panel = SimulatorPanel(screen.demo.device, screen.demo.link, screen.demo.worker)
    engine = QQmlApplicationEngine()
    engine.rootContext().setContextProperty("simulator", panel)
    engine.load(QUrl.fromLocalFile(str(SIMULATOR_PANEL_QML)))
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    panel_screen = Screen(screen.ui, screen.demo, screen.qtbot)
    panel_screen.ui = type(screen.ui)(engine, window, screen.ui.kiosk, screen.ui.service)
    try:
        screen.qtbot.waitUntil(window.isExposed, timeout=WAIT_MS)
        screen.to_cash("kaspi", "7011234567")
        screen.wait_until(lambda: 200000 in screen.demo.device.enabled_amounts)
        screen.wait_until(lambda: find_item(window.contentItem(), "sim_note_2000") is not None)
        panel_screen.tap("sim_note_2000")
        screen.wait_until(lambda: screen.ui.kiosk.snapshot.inserted == Money.tenge(2000))
        assert screen.text("insertedAmount") == Money.tenge(2000).format("en")
        screen.tap("payButton")
        screen.wait_screen("thanks")
        screen.tap("doneButton")
        panel_screen.tap("sim_jam")
        screen.wait_screen("out_of_service")
        panel_screen.tap("sim_clear")
        screen.wait_screen("idle")
    finally:
        window.close()
        shiboken6.delete(engine)


def test_the_demo_window_runs_until_it_is_closed(tmp_path: Path) -> None:
    app = QGuiApplication.instance()
    assert app is not None
    QTimer.singleShot(1500, app.quit)
    assert run_kiosk_window(tmp_path, panel=True) == 0
    assert (tmp_path / "service-pin.json").exists()
