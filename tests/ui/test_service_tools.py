"""The technician's tools in the service menu: the printer's test page and reprints, the
acceptance test, the recent log, restart; and the simulator panel's paper buttons."""

from __future__ import annotations

import dataclasses
import json
import logging
from concurrent.futures import Future
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine, QQmlEngine
from PySide6.QtQuick import QQuickWindow
from sqlalchemy import func, select

from drivers.printer.codepages import KAZAKH_ALPHABET_LOWER, KAZAKH_ALPHABET_UPPER
from drivers.sim.bill.backends import SimulatedAcceptor
from drivers.sim.bill.mechanics import SimulatorRefused
from drivers.sim.bill.ssp import SspDevice
from kiosk.config import LoggingConfig, demo_config
from kiosk.domain.logfmt import JsonFormatter, log_event
from kiosk.domain.money import Money
from kiosk.receipts import EncashmentFields, render_encashment_text
from kiosk.sim.ui.simulator_vm import SIMULATOR_PANEL_QML, SimulatorPanel
from kiosk.sim.ui.window import run_kiosk_window
from kiosk.store.models import CashEntry, Payment
from tests.helpers.ssp import FORGED_CREDIT, Splice
from tests.ui.helpers import WAIT_MS, MakeScreen, Screen
from ui.service_vm import ServiceViewModel

PIN = "284619"
ESSP_KEY = 0x0123456789ABCDEF


def open_menu(screen: Screen, page: str = "status") -> None:
    number = screen.demo.technicians.add("Aigerim", PIN).number
    screen.ui.service.open()
    for digits in (str(number), PIN):
        for digit in digits:
            screen.tap(f"pin_{digit}")
        screen.tap("pinEnter")
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    if page != "status":
        screen.tap(f"tab_{page}")
        screen.wait_until(lambda: screen.ui.service.property("page") == page)


def page_count(screen: Screen) -> int:
    return len(screen.demo.paper.pages)


def test_test_print_puts_every_kazakh_letter_on_the_receipt_printer(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    open_menu(screen, "printer")
    before = page_count(screen)
    screen.tap("testPrintButton")
    screen.wait_until(lambda: screen.ui.service.property("printOutcome") != "")
    assert screen.text("printResult") == "Test page printed."
    assert page_count(screen) == before + 1
    page = screen.demo.paper.pages[-1].text(screen.demo.printer.width)
    assert KAZAKH_ALPHABET_UPPER in page and KAZAKH_ALPHABET_LOWER in page
    assert len(KAZAKH_ALPHABET_UPPER) == 42


def test_test_print_with_the_paper_out_says_so_and_prints_nothing(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    open_menu(screen, "printer")
    before = page_count(screen)
    assert screen.demo.paper.control("paper-out") == "ok"
    screen.tap("testPrintButton")
    screen.wait_until(lambda: screen.ui.service.property("printOutcome") != "")
    assert screen.text("printResult") == "Not printed: out of paper: load a paper roll"
    assert "out of paper" in screen.text("printerState")
    assert screen.demo.paper.control("paper-in") == "ok"
    assert page_count(screen) == before  # nothing held back to come out with new paper


def test_a_receipt_typed_by_number_is_printed_again_as_a_duplicate(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    screen.to_cash("kaspi", "7011234567")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    number = screen.ui.kiosk.snapshot.receipt_number
    assert number is not None
    screen.tap("doneButton")
    screen.wait_screen("idle")
    width = screen.demo.printer.width
    original = screen.demo.paper.pages[-1].text(width)
    before = page_count(screen)
    open_menu(screen, "printer")
    for digit in str(number):
        screen.tap(f"reprint_{digit}")
    assert screen.text("reprintNumber") == str(number)
    screen.tap("reprintButton")
    screen.wait_until(lambda: screen.ui.service.property("printOutcome") != "")
    assert screen.text("printResult") == f"Receipt {number} printed again as a duplicate."
    assert page_count(screen) == before + 1
    duplicate = screen.demo.paper.pages[-1].text(width)
    assert "DUPLICATE RECEIPT" in duplicate and "DUPLICATE" not in original
    assert str(number) in duplicate


def test_an_unknown_receipt_number_prints_nothing(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    open_menu(screen, "printer")
    before = page_count(screen)
    screen.tap("reprint_7")
    screen.tap("reprintButton")
    screen.wait_until(lambda: screen.ui.service.property("printOutcome") != "")
    assert screen.text("printResult") == "No receipt with number 7."
    assert page_count(screen) == before


def _store_rows(screen: Screen, model: type) -> int:
    with screen.demo.kiosk.store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_acceptance_test_lists_a_note_and_gives_it_back(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    device = screen.demo.device
    open_menu(screen, "acceptance")
    cassette = list(device.cassette)
    screen.tap("acceptanceButton")
    screen.wait_until(lambda: 100000 in device.enabled_amounts)

    def taken() -> bool:
        try:
            device.insert(100000)
        except SimulatorRefused:
            return False
        return True

    screen.wait_until(taken)
    thousand = Money.tenge(1000).format("en")
    screen.wait_until(lambda: thousand in screen.text("acceptanceList"))
    screen.wait_until(lambda: 100000 in device.returned)
    assert device.cassette == cassette
    assert _store_rows(screen, Payment) == 0 and _store_rows(screen, CashEntry) == 0
    screen.tap("acceptanceButton")  # stop
    screen.wait_until(lambda: device.enabled_amounts == frozenset())
    assert screen.demo.runner.call(lambda: screen.demo.core.acceptance_test) is None
    assert thousand in screen.text("acceptanceList")  # the result stays on the screen


def test_leaving_the_menu_stops_a_running_acceptance_test(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    open_menu(screen, "acceptance")
    screen.tap("acceptanceButton")
    screen.wait_until(lambda: screen.demo.device.enabled_amounts != frozenset())
    screen.tap("serviceExit")
    screen.wait_until(lambda: screen.demo.device.enabled_amounts == frozenset())
    assert screen.demo.runner.call(lambda: screen.demo.core.acceptance_test) is None


def test_the_log_page_shows_the_newest_lines_of_the_log_file(
    make_screen: MakeScreen, tmp_path: Path
) -> None:
    path = tmp_path / "logs" / "kiosk.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    writer = logging.getLogger("tests.service_log")
    writer.propagate = False
    writer.setLevel(logging.INFO)
    writer.addHandler(handler)
    try:
        for number in range(20):
            log_event(
                writer, f"sample event {number}", logging.WARNING if number == 19 else logging.INFO
            )
    finally:
        writer.removeHandler(handler)
        handler.close()
    config = dataclasses.replace(demo_config(tmp_path), logging=LoggingConfig(path=path))
    screen: Screen = make_screen(config=config)
    open_menu(screen, "log")
    newest = screen.text("logLine_0")
    assert "WARNING" in newest and newest.endswith("sample event 19")
    assert screen.text("logLine_14").endswith("sample event 5")
    assert len(screen.ui.service.property("logLines")) == 15


def test_the_log_page_says_when_the_log_goes_to_the_terminal(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    open_menu(screen, "log")
    assert screen.text("logMessage") == "The log goes to the terminal: no log file is configured."


def test_restart_stops_the_acceptance_test_then_calls_the_restart(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    seen_at_restart: list[object] = []
    service = screen.ui.service
    service.restart_kiosk = lambda: seen_at_restart.append(
        screen.demo.runner.call(lambda: screen.demo.core.acceptance_test)
    )
    open_menu(screen, "acceptance")
    screen.tap("acceptanceButton")
    screen.wait_until(lambda: service.property("acceptanceRunning"))
    screen.tap("restartButton")
    screen.tap("confirmYes")  # restart asks first
    assert seen_at_restart == [None]  # the test had ended before the restart began
    assert service.property("mode") == "closed"


def test_restart_from_the_demo_window_stops_the_kiosk_before_starting_again(tmp_path: Path) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    found: list[ServiceViewModel] = []
    core_after: list[BaseException | None] = []

    def press_restart() -> None:
        windows = [w for w in app.topLevelWindows() if w.objectName() == "kioskWindow"]
        context = QQmlEngine.contextForObject(windows[0]) if windows else None
        service = context.contextProperty("service") if context is not None else None
        if not isinstance(service, ServiceViewModel):
            QTimer.singleShot(50, press_restart)  # the window is not up yet
            return
        found.append(service)
        service.restart()

    def restarted() -> None:
        future: Future[None] = found[0].runner.submit(lambda: None)
        core_after.append(future.exception(timeout=5))

    QTimer.singleShot(0, press_restart)
    assert run_kiosk_window(tmp_path, panel=True, restart=restarted) == 0
    assert len(core_after) == 1
    assert isinstance(core_after[0], RuntimeError)  # the core had stopped first


def test_simulator_panel_paper_buttons_drive_the_printer(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    panel = SimulatorPanel(
        screen.demo.device,
        screen.demo.link,
        screen.demo.worker,
        screen.demo.paper,
        screen.demo.runner,
    )
    engine = QQmlApplicationEngine()
    engine.rootContext().setContextProperty("simulator", panel)
    engine.load(QUrl.fromLocalFile(str(SIMULATOR_PANEL_QML)))
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    panel_screen = Screen(
        type(screen.ui)(engine, window, screen.ui.kiosk, screen.ui.service),
        screen.demo,
        screen.qtbot,
    )
    core, runner = screen.demo.core, screen.demo.runner

    def printer_state() -> str:
        reading = runner.call(lambda: core.check_printer(force=True))
        return reading.state if reading is not None else "none"

    try:
        screen.qtbot.waitUntil(window.isExposed, timeout=WAIT_MS)
        panel_screen.tap("sim_paper_out")
        assert printer_state() == "paper_out"
        panel_screen.tap("sim_paper_near_end")
        assert printer_state() == "paper_near_end"
        open_menu(screen)
        assert screen.text("printerWarning") == (
            "Printer: paper near its end: put in a new roll soon"
        )
        assert screen.text("statusPaper") == "Paper: near its end: put in a new roll soon"
        panel_screen.tap("sim_printer_online")
        assert printer_state() == "offline"
        panel_screen.tap("sim_printer_online")
        panel_screen.tap("sim_paper_in")
        assert printer_state() == "ok"
    finally:
        window.close()
        shiboken6.delete(engine)


def test_plain_replies_refused_on_an_essp_link_show_in_the_menu_and_the_heartbeat(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen(acceptor={"simulated": "ssp", "fixed_key": ESSP_KEY})
    acceptor = screen.demo.kiosk.core.acceptor
    assert isinstance(acceptor, SimulatedAcceptor) and isinstance(acceptor.device, SspDevice)
    open_menu(screen)
    assert not screen.find("statusLinkAlerts").isVisible()
    splice = Splice(acceptor, FORGED_CREDIT)
    splice.armed = True
    screen.wait_until(lambda: acceptor.link_alerts.get("plain_replies_refused") == 1)
    screen.ui.service.refresh()  # the answer comes back through a queued signal
    screen.wait_until(
        lambda: (
            screen.text("statusLinkAlerts")
            == "Unencrypted replies refused on the acceptor's cable: 1"
            " (a device may be spliced into it)"
        )
    )
    assert acceptor.device.cassette == [] and _store_rows(screen, CashEntry) == 0
    # ... and the ledger hears of it in the next heartbeat.
    validator = screen.demo.kiosk.core.device_report()["validator"]
    assert isinstance(validator, dict)
    assert validator["alerts"] == {"plain_replies_refused": 1}


def test_the_encashment_receipt_shows_the_count_and_an_unreported_cassette() -> None:
    fields = EncashmentFields(
        encashment_id="KZ-ALA-0001-0000abcd-1",
        terminal_id="KZ-ALA-0001",
        terminal_address="Almaty",
        agent_name="Demo Payments LLP",
        cassette_id="",  # the device reports none
        technician_id="Aigerim",
        period_start_ms=1_763_190_000_000,
        period_end_ms=1_763_790_000_000,
        notes=((100_000, 2), (50_000, 1)),
        counted=240_000,
    )
    assert fields.difference == -10_000
    ru = render_encashment_text(fields, "ru")
    assert "Кассета" in ru and "устройство не сообщает" in ru
    assert [
        line for line in ru.splitlines() if line.startswith(("Пересчитано", "Расхождение"))
    ] == [
        "Пересчитано" + "2 400 тг".rjust(42 - len("Пересчитано")),
        "Расхождение" + "-100 тг".rjust(42 - len("Расхождение")),
    ]
    # A record from before the count (no "counted" in its JSON) reads and prints as before.
    old = json.loads(fields.to_json())
    del old["counted"]
    before = EncashmentFields.from_json(json.dumps(old))
    assert before.counted is None and before.difference is None
    text = render_encashment_text(before, "en")
    assert "Counted" not in text and "Difference" not in text
    assert "not reported by the device" in text
