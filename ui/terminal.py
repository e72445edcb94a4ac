"""The customer window of a production kiosk (``kiosk run``): full-screen, frameless, the
cursor hidden, no way out but the service menu; ``windowed`` for a technician's desk."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen

from kiosk.app import Kiosk
from kiosk.technicians import TechnicianError, Technicians, default_technicians_path
from ui.window import PORTRAIT, build_ui, close_ui

# Python runs signal handlers only between bytecodes: the Qt loop hands control back this
# often, so SIGTERM is acted on within this many milliseconds.
SIGNAL_CHECK_MS = 200


def restart_program() -> None:
    """Replace this process with a fresh run of the same command (same interpreter, same
    arguments): what the service menu's Restart does once everything has stopped."""
    logging.shutdown()  # flush the log before the process image goes
    sys.stdout.flush()
    sys.stderr.flush()
    # Our own interpreter and our own command line, never outside input.
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])  # noqa: S606


class ScreenNotFound(ValueError):
    """The configured display number is not one this machine has."""


def open_screen(screen: int) -> QScreen:
    """The Qt application and the display the window goes to (checked before the devices
    are opened: a wrong number costs nothing)."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    screens = app.screens()
    if not 0 <= screen < len(screens):
        raise ScreenNotFound(
            f"--screen {screen}: this machine has {len(screens)} screen(s), numbered from 0"
        )
    return screens[screen]


def service_status(technicians: Technicians) -> str:
    """The status line at start: whether a technician can open the service menu."""
    try:
        if technicians.is_set:
            return "serving customers"
        return (
            "serving customers; no technician can open the service menu "
            "(kiosk service add-technician NAME)"
        )
    except TechnicianError as exc:  # the old shared PIN, or a damaged file: said, not raised
        return f"serving customers; service menu closed: {exc}"


def run_window(
    kiosk: Kiosk, target: QScreen, *, windowed: bool, signals: Any, notifier: Any
) -> int:
    """Show the window on a started kiosk until the service menu's Exit or a signal."""
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    size = PORTRAIT if windowed else (target.size().width(), target.size().height())
    technicians = Technicians(
        default_technicians_path(kiosk.config.storage.url),
        kiosk.clock,
        terminal_id=kiosk.config.terminal.id,
    )
    restarting: list[bool] = []

    def restart_kiosk() -> None:
        restarting.append(True)
        app.exit(0)

    assert kiosk.runner is not None  # started threaded
    ui = build_ui(
        app,
        kiosk.runner,
        kiosk.catalog,
        kiosk.config.terminal,
        clock=kiosk.clock,
        technicians=technicians,
        worker=kiosk.worker,
        size=size,
        kiosk_mode=not windowed,
        screen=target,
        restart_kiosk=restart_kiosk,
    )
    if not windowed:
        ui.window.setFlag(Qt.WindowType.FramelessWindowHint, True)
    signals.quit = lambda: app.exit(0)
    wake = QTimer()
    wake.timeout.connect(lambda: None)  # lets Python's signal handlers run
    wake.start(SIGNAL_CHECK_MS)
    notifier.ready()
    notifier.status(service_status(technicians))
    try:
        status = 0 if signals.stopping else int(app.exec())
    finally:
        wake.stop()
        signals.quit = None
        close_ui(ui)
    if restarting:
        kiosk.stop()
        restart_program()
    return status
