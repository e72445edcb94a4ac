"""The kiosk window offscreen on simulated devices and an embedded ledger on loopback."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from kiosk.config import Config, demo_config
from kiosk.domain.clock import ManualClock
from kiosk.sim.ui.demo import start_demo
from tests.ui.helpers import FAST, WAIT_MS, MakeScreen, Screen
from ui.window import build_ui, close_ui


@pytest.fixture
def make_screen(qtbot: QtBot, tmp_path: Path) -> Iterator[MakeScreen]:
    made: list[Screen] = []

    def make(
        *,
        config: Config | None = None,
        clock: ManualClock | None = None,
        ledger: bool = True,
        language: str = "en",
        acceptor: dict[str, Any] | None = None,
    ) -> Screen:
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        demo = start_demo(
            tmp_path,
            config=config or demo_config(tmp_path),
            clock=clock,
            ledger=ledger,
            poll_interval=0.02,
            tick_s=0.05,
            timings=FAST,
            acceptor_options=acceptor,
        )
        ui = build_ui(
            app,
            demo.runner,
            demo.kiosk.catalog,
            demo.config.terminal,
            clock=demo.clock,
            technicians=demo.technicians,
            worker=demo.worker,
            quit_kiosk=lambda: None,
        )
        screen = Screen(ui, demo, qtbot)
        made.append(screen)
        ui.kiosk.setLanguage(language)
        qtbot.waitUntil(ui.window.isExposed, timeout=WAIT_MS)
        return screen

    yield make
    for screen in made:
        close_ui(screen.ui)  # the QML goes before the view-models it reads
        screen.demo.close()
