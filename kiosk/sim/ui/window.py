"""The demo kiosk with its window: simulated devices, an embedded ledger, the kiosk window
and the simulator panel. ``kiosk demo`` calls ``run_kiosk_window`` when a display is there.

The kiosk window itself is production's (ui.window.build_ui); the demo builds the simulator
panel here and opens it beside it, so nothing in ``ui`` imports the harness."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine

from kiosk.config import demo_config
from kiosk.logs import setup_logging
from kiosk.sim.ui.demo import start_demo
from kiosk.sim.ui.simulator_vm import SIMULATOR_PANEL_QML, SimulatorPanel
from kiosk.technicians import LegacyPinFile
from ui.terminal import restart_program
from ui.window import LANDSCAPE, PORTRAIT, build_ui, close_ui

DEMO_TECHNICIAN = "Demo technician"  # number 1
DEMO_PIN = "135790"


def display_available() -> bool:
    """True when Qt can open a window here (an X11 or Wayland display, or a forced platform)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and platform not in ("xcb", "wayland"):
        return platform not in ("offscreen", "minimal")
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_panel(simulator: SimulatorPanel) -> QQmlApplicationEngine:
    """The simulator panel's window, on its own engine beside the kiosk window's."""
    engine = QQmlApplicationEngine()
    engine.rootContext().setContextProperty("simulator", simulator)
    engine.load(QUrl.fromLocalFile(str(SIMULATOR_PANEL_QML)))
    return engine


def run_kiosk_window(
    state_dir: Path | None = None,
    *,
    landscape: bool = False,
    kiosk_mode: bool = False,
    panel: bool = True,
    restart: Callable[[], None] = restart_program,
) -> int:
    """Open the kiosk (and the simulator panel) until the window is closed or the service
    menu's "Exit kiosk"; returns the exit status. The service menu's "Restart" stops the
    kiosk cleanly, then calls ``restart`` (which does not return by default). The demo's
    technician is number 1 with PIN 135790 (DEMO_PIN)."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    restarting: list[bool] = []

    def restart_kiosk() -> None:
        restarting.append(True)
        app.exit(0)  # the event loop ends; the kiosk stops below, then the restart

    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
        where = state_dir or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        # The structured log goes to a file in the state directory: the service menu's log
        # page reads it there.
        base = demo_config(where)
        config = dataclasses.replace(
            base, logging=dataclasses.replace(base.logging, path=where / "kiosk.log")
        )
        setup_logging(where / "kiosk.log", "INFO")
        demo = start_demo(where, config=config)
        try:
            try:
                registered = demo.technicians.is_set
            except LegacyPinFile:  # a state directory from the shared PIN's days: replaced
                registered = False
            if not registered:
                demo.technicians.add(DEMO_TECHNICIAN, DEMO_PIN, number=1)
            ui = build_ui(
                app,
                demo.runner,
                demo.kiosk.catalog,
                demo.config.terminal,
                clock=demo.clock,
                technicians=demo.technicians,
                worker=demo.worker,
                size=LANDSCAPE if landscape else PORTRAIT,
                kiosk_mode=kiosk_mode,
                restart_kiosk=restart_kiosk,
            )
            panel_engine = None
            if panel:
                simulator = SimulatorPanel(
                    demo.device, demo.link, demo.worker, demo.paper, demo.runner
                )
                panel_engine = open_panel(simulator)
            print(
                f"kiosk window open; service menu: hold the top-left corner 3 s, "
                f"technician 1, PIN {DEMO_PIN}"
            )
            status = int(app.exec())
            if panel_engine is not None:
                shiboken6.delete(panel_engine)
            close_ui(ui)
        finally:
            demo.close()
    if restarting:
        restart()
    return status
