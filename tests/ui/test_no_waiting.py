"""The window never waits on the core thread, and each screen group tells QML only what
changed (docs/decisions/026)."""

from __future__ import annotations

import threading
import time

from tests.ui.helpers import Screen


def test_intents_return_at_once_and_the_window_draws_while_the_core_is_busy(make_screen) -> None:  # type: ignore[no-untyped-def]
    screen: Screen = make_screen()
    vm, service = screen.ui.kiosk, screen.ui.service
    screen.tap("category_ewallet")
    screen.wait_screen("catalog")
    release = threading.Event()
    screen.demo.runner.submit(release.wait, 30.0)  # the core thread is stuck in a long job
    try:
        started = time.monotonic()
        vm.chooseService("qplus")
        vm.setLanguage("ru")
        service.refresh()
        assert time.monotonic() - started < 1.0  # nothing above waited for the core
        assert vm.pending == 2 and service.pending == 1
        with screen.qtbot.waitSignal(screen.ui.window.frameSwapped, timeout=5_000):
            screen.ui.window.update()  # the event loop runs and the window draws
        assert vm.screen == "catalog"  # the core has not answered yet
    finally:
        release.set()
    screen.wait_screen("entry")
    screen.wait_until(lambda: vm.pending == service.pending == 0)
    assert vm.language == "ru" and vm.session.serviceName == "Кошелёк QPlus"
    assert service.property("status")["terminal"] == screen.demo.config.terminal.id


def test_a_note_notifies_the_cash_amounts_and_not_the_other_screens(make_screen) -> None:  # type: ignore[no-untyped-def]
    screen: Screen = make_screen()
    screen.to_cash("kaspi", "7011234567")
    vm = screen.ui.kiosk
    seen: list[str] = []
    vm.cash.insertedChanged.connect(lambda: seen.append("inserted"))
    vm.cash.canPayChanged.connect(lambda: seen.append("canPay"))
    vm.menu.servicesChanged.connect(lambda: seen.append("services"))
    vm.session.accountChanged.connect(lambda: seen.append("account"))
    vm.screenChanged.connect(lambda: seen.append("screen"))
    screen.insert(500)
    screen.wait_until(lambda: "inserted" in seen and "canPay" in seen)
    assert {"services", "account", "screen"}.isdisjoint(seen)
    assert screen.text("insertedAmount") == vm.cash.inserted == "500\u00a0₸"
