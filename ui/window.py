"""Building the kiosk window: the bundled font, the QML engine, the two view-models."""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QScreen
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.config import TerminalConfig
from kiosk.domain.catalog import Catalog
from kiosk.domain.clock import Clock
from kiosk.runtime import CoreThread
from kiosk.technicians import Technicians
from sync.outbox import OutboxWorker
from ui.i18n import LanguageSwitch
from ui.qr import QrImageProvider
from ui.service_vm import ServiceViewModel
from ui.viewmodel import KioskViewModel

# Qt loads QML and fonts by file name: the package's files stay on disk while the process runs.
_FILES = contextlib.ExitStack()
atexit.register(_FILES.close)
UI_DIR: Path = _FILES.enter_context(resources.as_file(resources.files("ui")))
MAIN_QML = UI_DIR / "qml" / "Main.qml"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)
SQUARE = (1280, 1024)  # the 5:4 monitors some kiosk bodies carry: landscape, but narrow


class UiError(Exception):
    """The kiosk window cannot be built (font or QML missing or broken)."""


def load_fonts(app: QGuiApplication) -> str:
    """Register the bundled font (it has every Kazakh letter) and make it the default."""
    family = ""
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(UI_DIR / "fonts" / name))
        if font_id < 0:
            raise UiError(f"cannot load the bundled font {UI_DIR / 'fonts' / name}")
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    app.setFont(QFont(family))
    return family


@dataclass
class KioskUi:
    engine: QQmlApplicationEngine
    window: QQuickWindow
    kiosk: KioskViewModel
    service: ServiceViewModel


def build_ui(
    app: QGuiApplication,
    runner: CoreThread,
    catalog: Catalog,
    terminal: TerminalConfig,
    *,
    clock: Clock,
    technicians: Technicians,
    worker: OutboxWorker | None = None,
    size: tuple[int, int] = PORTRAIT,
    kiosk_mode: bool = False,
    screen: QScreen | None = None,
    quit_kiosk: Callable[[], None] | None = None,
    restart_kiosk: Callable[[], None] | None = None,
) -> KioskUi:
    """The window on a running core; ``kiosk_mode`` goes full screen and hides the cursor.
    ``restart_kiosk`` (the service menu's Restart; hidden when None) must end the event
    loop, stop the kiosk and start the program again."""
    load_fonts(app)
    engine = QQmlApplicationEngine()
    kiosk = KioskViewModel(
        runner,
        catalog,
        terminal,
        clock=clock,
        languages=LanguageSwitch(),
        retranslate=engine.retranslate,
    )
    # exit(), not quit(): quit() asks the windows, and a locked kiosk window says no.
    service = ServiceViewModel(
        runner,
        technicians,
        clock=clock,
        terminal_id=terminal.id,
        worker=worker,
        quit_kiosk=quit_kiosk or (lambda: app.exit(0)),
        restart_kiosk=restart_kiosk,
    )
    engine.addImageProvider("qr", QrImageProvider())
    context = engine.rootContext()
    context.setContextProperty("kiosk", kiosk)
    context.setContextProperty("service", service)
    context.setContextProperty("kioskWidth", size[0])
    context.setContextProperty("kioskHeight", size[1])
    context.setContextProperty("kioskLocked", kiosk_mode)
    engine.load(QUrl.fromLocalFile(str(MAIN_QML)))
    roots = engine.rootObjects()
    if not roots or not isinstance(roots[0], QQuickWindow):
        raise UiError(f"the kiosk screens did not load from {MAIN_QML}; see the QML errors above")
    window = roots[0]
    if kiosk_mode:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QCursor

        app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        if screen is not None:
            window.setScreen(screen)
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    elif screen is not None:
        window.setScreen(screen)
    return KioskUi(engine, window, kiosk, service)


def close_ui(ui: KioskUi) -> None:
    """Tear the QML down before the view-models it reads go away."""
    import shiboken6

    ui.window.close()
    if shiboken6.isValid(ui.engine):
        shiboken6.delete(ui.engine)
