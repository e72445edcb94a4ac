"""The technician's side: their number and PIN with the pad's lockout, and an encashment
that goes to the ledger with their name."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from kiosk.core import NotAllowed
from kiosk.domain.clock import ManualClock
from kiosk.store.models import OutboxItem
from kiosk.technicians import LOCK_S, MAX_TRIES, Technicians
from tests.ui.helpers import MakeScreen, Screen
from ui.service_vm import IDLE_LOGOUT_S
from ui.terminal import service_status

PIN, OTHER = "284619", "730582"


def enter_pin(screen: Screen, pin: str, number: int = 1) -> None:
    """Type the technician's number, Enter, then the PIN, Enter."""
    for digits in (str(number), pin):
        for digit in digits:
            screen.tap(f"pin_{digit}")
        screen.tap("pinEnter")


def collect(screen: Screen, counted: str, *, preview: str = "") -> None:
    """From the status page: the preview (its cassette line ``preview`` when given), then
    the count typed, then the review."""
    screen.tap("encashButton")
    screen.wait_until(lambda: screen.ui.service.property("encashStep") == "preview")
    if preview:
        assert screen.text("encashCassette") == preview
    screen.tap("encashCountButton")
    for digit in counted:
        screen.tap(f"count_{digit}")
    screen.tap("encashReviewButton")
    assert screen.ui.service.property("encashStep") == "confirm"


def test_holding_the_corner_asks_for_the_pin_and_five_wrong_pins_lock_it(
    make_screen: MakeScreen,
) -> None:
    clock = ManualClock()
    screen: Screen = make_screen(clock=clock)
    screen.demo.technicians.add("Aigerim", PIN)
    corner = screen.find("serviceCorner")
    centre = corner.mapToScene(QPointF(20, 20)).toPoint()
    QTest.mousePress(
        screen.ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
    )
    screen.wait_until(lambda: screen.ui.service.property("mode") == "pin")
    QTest.mouseRelease(
        screen.ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
    )
    assert screen.text("loginTitle") == "Technician number"
    for attempt in range(1, MAX_TRIES):
        enter_pin(screen, "111111", number=attempt)  # a wrong number costs a try too
        assert (
            screen.text("pinMessage") == f"Wrong number or PIN. Tries left: {MAX_TRIES - attempt}"
        )
    enter_pin(screen, "111111")
    assert screen.text("pinMessage") == "Locked after too many wrong PINs. Try again in 6 min."
    enter_pin(screen, PIN)  # even the right PIN waits out the lock
    assert screen.ui.service.property("mode") == "pin"
    screen.tap("pinCancel")
    screen.ui.service.open()  # the lock is said as the pad opens again
    assert screen.text("pinMessage").startswith("Locked after too many wrong PINs")
    clock.advance(LOCK_S + 1)
    enter_pin(screen, PIN)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    screen.wait_until(lambda: "Aigerim (1)" in screen.text("statusWho"))
    assert screen.text("statusValidator") == "Banknote acceptor: working"


def test_encashment_counts_the_notes_and_reports_to_the_ledger(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    screen.to_cash("kaspi", "7011234567")
    screen.insert(1000)
    screen.insert(500)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    screen.tap("doneButton")
    screen.demo.technicians.add("Aigerim", PIN)
    screen.demo.technicians.add("Борис Ким", OTHER)
    screen.ui.service.open()
    screen.wait_until(lambda: screen.ui.service.property("mode") == "pin")
    enter_pin(screen, OTHER, number=2)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    screen.wait_until(
        lambda: screen.text("statusCassette") == "In the cassette: 1,500\u00a0₸ (notes: 2)"
    )
    assert screen.text("statusToday") == "Payments today: 1"
    acceptor = screen.demo.kiosk.acceptor
    identity = screen.demo.runner.call(lambda: acceptor.identity)
    assert identity is not None
    asset = identity.asset
    assert asset  # CCNET's IDENTIFICATION reports an asset number
    collect(screen, "1400", preview=f"Cassette: {asset}")
    assert screen.text("encashExpected") == "Recorded by the kiosk: 1,500\u00a0₸"
    assert screen.text("encashCounted") == "Counted by you: 1,400\u00a0₸"
    assert screen.text("encashDifference") == "Difference: \u2212100\u00a0₸"
    screen.tap("encashConfirmButton")
    screen.wait_until(lambda: screen.ui.service.property("encashStep") == "done")
    assert screen.text("encashDone").endswith(": the receipt is printed.")
    page = screen.demo.paper.pages[-1].text(42)  # after the customer's payment receipt
    assert "ENCASHMENT RECEIPT" in page and "Борис Ким" in page
    assert asset in page  # the id the device reported, not one made up
    assert "Counted" in page and "1,400" in page and "-100" in page
    store = screen.demo.kiosk.store

    def reported() -> bool:
        with store.reading() as session:
            sent = session.scalars(
                select(OutboxItem.sent_at).where(OutboxItem.kind == "encashment")
            ).all()
        return bool(sent) and all(at is not None for at in sent)

    assert screen.demo.worker is not None  # the demo runs with its ledger
    screen.demo.worker.retry_now()
    screen.wait_until(reported)
    assert screen.demo.link is not None and screen.demo.link.embedded is not None
    ledger = screen.demo.link.embedded[0]
    listed = ledger.list_encashments(screen.demo.config.terminal.id)
    assert [item.technician_id for item in listed] == ["Борис Ким"]  # the ledger has the name
    screen.tap("serviceExit")
    screen.wait_until(lambda: screen.ui.service.property("mode") == "closed")
    assert screen.ui.kiosk.screen == "idle"


def test_a_locked_kiosk_window_refuses_to_close_and_exit_needs_the_menu(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    screen.ui.engine.rootContext().setContextProperty("kioskLocked", True)
    assert screen.ui.window.close() is False
    assert screen.ui.window.isVisible()
    exits: list[bool] = []
    screen.ui.service.quit_kiosk = lambda: exits.append(True)
    screen.demo.technicians.add("Aigerim", PIN)
    screen.ui.service.open()
    enter_pin(screen, PIN)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    screen.tap("exitKioskButton")
    assert screen.text("confirmQuestion").startswith("Exit the kiosk program now?")
    screen.tap("confirmNo")  # nothing happens
    assert exits == [] and screen.ui.service.property("mode") == "menu"
    screen.tap("exitKioskButton")
    screen.tap("confirmYes")
    assert exits == [True]


def test_the_pad_asks_the_number_then_the_pin_and_back_returns_to_the_number(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    screen.demo.technicians.add("Aigerim", PIN, number=12)
    screen.ui.service.open()
    screen.tap("pin_1")
    screen.tap("pin_2")
    assert screen.text("pinDots") == "12"  # the number is not secret
    screen.tap("pinEnter")
    assert screen.text("loginTitle") == "Service PIN"
    screen.tap("pin_2")
    assert screen.text("pinDots") == "●"
    screen.tap("pin_back")
    screen.tap("pin_back")  # past the PIN's first digit: the number again
    assert screen.text("loginTitle") == "Technician number"
    assert screen.text("pinDots") == "12"
    screen.tap("pinEnter")
    screen.tap("pin_9")
    screen.tap("pin_clear")  # start again from the number
    assert (screen.text("loginTitle"), screen.text("pinDots")) == ("Technician number", " ")
    for digit in "12":
        screen.tap(f"pin_{digit}")
    screen.tap("pinEnter")
    for digit in PIN:
        screen.tap(f"pin_{digit}")
    screen.tap("pinEnter")
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    assert screen.ui.service.property("technician") == "Aigerim"


def test_every_menu_action_is_logged_with_the_technicians_name(
    make_screen: MakeScreen, caplog: pytest.LogCaptureFixture
) -> None:
    screen: Screen = make_screen()
    pay(screen, 500)
    screen.demo.technicians.add("Aigerim", PIN)
    caplog.set_level(logging.INFO)
    screen.ui.service.open()
    enter_pin(screen, OTHER)  # wrong: logged with the number typed, never the PIN
    enter_pin(screen, PIN)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    screen.tap("sendNowButton")
    collect(screen, "0")  # a count of none: the difference says what is missing
    screen.tap("encashConfirmButton")
    screen.wait_until(lambda: screen.ui.service.property("encashStep") == "done")
    screen.tap("serviceExit")
    fields = {record.getMessage(): getattr(record, "kiosk_fields", {}) for record in caplog.records}
    assert fields["service login"] == {
        "outcome": "ok",
        "technician_number": 1,
        "technician": "Aigerim",
    }
    for event in ("send now from the service menu", "service menu closed"):
        assert fields[event]["technician"] == "Aigerim", event
    assert fields["encashment"]["technician"] == "Aigerim"  # the core's own line
    assert fields["encashment"]["counted"] == 0
    assert fields["encashment"]["difference"] == -50_000
    logins = [
        getattr(r, "kiosk_fields", {}) for r in caplog.records if r.getMessage() == "service login"
    ]
    assert logins[0] == {"outcome": "wrong", "technician_number": 1, "technician": None}
    assert OTHER not in caplog.text and PIN not in caplog.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "No technician is registered: run 'kiosk service add-technician NAME'."),
        (
            '{"format": "kiosk-technicians-1", "techn',
            "The technician file is damaged: see the kiosk log.",
        ),
        (
            '{"salt": "00", "hash": "11"}',
            "The shared service PIN no longer opens the menu: "
            "register each technician with 'kiosk service add-technician NAME'.",
        ),
    ],
)
def test_no_damaged_or_old_technician_file_is_said_on_the_pad(
    make_screen: MakeScreen, content: str | None, message: str
) -> None:
    screen: Screen = make_screen()
    if content is not None:
        screen.demo.technicians.path.write_text(content)
    screen.ui.service.open()
    if content is not None:  # said as the pad opens
        assert screen.text("pinMessage") == message
    enter_pin(screen, PIN)
    assert screen.text("pinMessage") == message
    assert screen.ui.service.property("mode") == "pin"


def test_the_start_up_status_says_when_no_technician_can_open_the_menu(tmp_path: Path) -> None:
    technicians = Technicians(tmp_path / "service-pin.json", ManualClock())
    assert "no technician can open the service menu" in service_status(technicians)
    technicians.path.write_text('{"salt": "00", "hash": "11"}')
    assert "service menu closed: " in service_status(technicians)
    assert "old shared service PIN" in service_status(technicians)
    technicians.add("Aigerim", PIN)
    assert service_status(technicians) == "serving customers"


def pay(screen: Screen, *notes: int) -> None:
    """A customer's payment of these notes, to the end: cash for the cassette."""
    screen.to_cash("kaspi", "7011234567")
    for note in notes:
        screen.insert(note)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    screen.tap("doneButton")


def open_menu(screen: Screen) -> None:
    screen.demo.technicians.add("Aigerim", PIN)
    screen.ui.service.open()
    enter_pin(screen, PIN)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "ru",
            {
                "statusValidator": "Купюроприёмник: работает",
                "statusPaper": "Бумага: достаточно",
                "statusLedger": "Сервер учёта: подключён",
                "statusPaused": "Платежи принимаются.",
                "statusCassette": "В кассете: 2\u00a0000\u00a0₸ (купюр: 1)",
                "statusToday": "Платежей сегодня: 1",
            },
        ),
        (
            "kk",
            {
                "statusValidator": "Купюра қабылдағыш: жұмыс істеп тұр",
                "statusPaper": "Қағаз: жеткілікті",
                "statusLedger": "Есеп сервері: қосылған",
                "statusPaused": "Төлемдер қабылданып жатыр.",
                "statusCassette": "Кассетада: 2\u00a0000\u00a0₸ (купюра саны: 1)",
                "statusToday": "Бүгінгі төлемдер: 1",
            },
        ),
        (
            "en",
            {
                "statusValidator": "Banknote acceptor: working",
                "statusPaper": "Paper: enough",
                "statusLedger": "Ledger: connected",
                "statusPaused": "Taking payments.",
                "statusCassette": "In the cassette: 2,000\u00a0₸ (notes: 1)",
                "statusToday": "Payments today: 1",
            },
        ),
    ],
)
def test_the_status_page_says_states_and_counters_in_the_screens_language(
    make_screen: MakeScreen, language: str, lines: dict[str, str]
) -> None:
    screen: Screen = make_screen(language=language)
    screen.to_cash("kaspi", "7011234567")
    screen.insert(2000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    screen.tap("doneButton")
    open_menu(screen)
    assert screen.demo.worker is not None
    screen.demo.worker.retry_now()
    screen.wait_until(lambda: screen.text("statusCassette") == lines["statusCassette"])
    screen.tap("refreshButton")
    screen.wait_until(lambda: screen.text("statusLedger") == lines["statusLedger"])
    for name, text in lines.items():
        assert screen.text(name) == text, name
    for name in lines:  # no enum names, no dict dumps
        assert "_" not in screen.text(name) and "{" not in screen.text(name)


def test_a_jam_shows_as_paused_in_words_with_the_event_and_its_time(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen(language="ru")
    screen.demo.device.jam()
    screen.wait_until(
        lambda: "validator_jammed" in screen.demo.runner.call(lambda: dict(screen.demo.core.faults))
    )
    open_menu(screen)
    screen.wait_until(lambda: screen.text("statusValidator").startswith("Купюроприёмник: замятие"))
    assert screen.text("statusPaused") == (
        "Приём платежей приостановлен: в купюроприёмнике замятие."
    )
    event = screen.text("statusEvent_0")
    assert event.endswith("  замятие в купюроприёмнике")
    assert event[2] == "." and event[5] == " " and event[8] == ":"  # dd.mm HH:MM
    events = screen.ui.service.property("status")["events"]
    assert events[-1]["kind"] == "power_up"  # the acceptor's start, in words too
    assert screen.text(f"statusEvent_{len(events) - 1}").endswith("  купюроприёмник включился")
    for index in range(len(events)):  # no event kind shows as its code
        assert "_" not in screen.text(f"statusEvent_{index}")


@pytest.mark.parametrize(
    ("language", "title", "cassette", "difference"),
    [
        ("kk", "Инкассация: терминал тіркегені", "Кассета: ", "Айырма: +500\u00a0₸"),
        ("ru", "Инкассация: что записал терминал", "Кассета: ", "Расхождение: +500\u00a0₸"),
        ("en", "Collect cash: what the kiosk recorded", "Cassette: ", "Difference: +500\u00a0₸"),
    ],
)
def test_the_encashment_flow_reads_in_each_language(
    make_screen: MakeScreen, language: str, title: str, cassette: str, difference: str
) -> None:
    screen: Screen = make_screen(language=language)
    pay(screen, 500)
    open_menu(screen)
    screen.tap("encashButton")
    screen.wait_until(lambda: screen.ui.service.property("encashStep") == "preview")
    assert screen.text("encashTitle") == title
    assert screen.text("encashCassette").startswith(cassette)
    assert not screen.find("encashNothing").isVisible()
    screen.tap("encashCountButton")
    for digit in "1000":
        screen.tap(f"count_{digit}")
    screen.tap("encashReviewButton")
    assert screen.text("encashDifference") == difference  # 500 recorded, 1 000 counted
    screen.tap("encashBackButton")  # back to the count, the digits kept
    assert screen.ui.service.property("encashStep") == "count"
    assert screen.ui.service.property("countedDigits") == "1000"
    screen.tap("count_clear")
    assert screen.ui.service.property("countedDigits") == ""
    assert screen.find("encashReviewButton").property("active") is False


def test_a_device_without_a_cassette_id_says_so_on_screen_and_receipt(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen(acceptor={"simulated": "id003"})
    pay(screen, 1000)
    open_menu(screen)
    collect(screen, "1000", preview="Cassette: not reported by the device")
    screen.tap("encashConfirmButton")
    screen.wait_until(lambda: screen.ui.service.property("encashStep") == "done")
    page = screen.demo.paper.pages[-1].text(42)
    assert "Cassette" in page and "not reported by the device" in page
    # The ledger takes the encashment with no cassette id rather than a made-up one.
    assert screen.demo.worker is not None and screen.demo.link is not None
    assert screen.demo.link.embedded is not None
    ledger = screen.demo.link.embedded[0]
    terminal = screen.demo.config.terminal.id
    screen.demo.worker.retry_now()
    screen.wait_until(lambda: len(ledger.list_encashments(terminal)) == 1)
    (listed,) = ledger.list_encashments(terminal)
    assert listed.cassette_id == "" and listed.technician_id == "Aigerim"


def test_with_no_note_since_the_last_collection_there_is_nothing_to_collect(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen(language="ru")
    open_menu(screen)
    screen.tap("encashButton")
    screen.wait_until(lambda: screen.ui.service.property("encashStep") == "preview")
    assert screen.text("encashNothing") == (
        "Нечего инкассировать: с последней инкассации не принято ни одной купюры."
    )
    assert screen.find("encashCountButton").property("active") is False
    with pytest.raises(NotAllowed):  # the core refuses it too: the ledger would
        screen.demo.runner.call(screen.demo.core.encash, "", "Aigerim", 0)


def test_encashment_is_refused_while_a_customer_pays(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    screen.to_cash("kaspi", "7011234567")
    screen.insert(1000)
    open_menu(screen)
    screen.tap("encashButton")
    screen.wait_until(lambda: screen.ui.service.property("encashStep") == "refused")
    assert screen.text("encashRefused") == (
        "Not now: a customer's payment is in progress. Try again when it ends."
    )
    screen.tap("encashBackButton")
    assert screen.ui.service.property("encashStep") == ""
    assert screen.find("refreshButton").isVisible()


def test_restart_asks_first_in_the_screens_language(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen(language="kk")
    restarts: list[bool] = []
    screen.ui.service.restart_kiosk = lambda: restarts.append(True)
    open_menu(screen)
    screen.ui.service.changed.emit()  # canRestart is read again
    screen.tap("restartButton")
    assert (
        screen.text("confirmQuestion") == "Терминал бағдарламасын қазір қайта іске қосу керек пе?"
    )
    assert (screen.text("confirmYes"), screen.text("confirmNo")) == ("Иә", "Жоқ")
    screen.tap("confirmNo")
    assert restarts == [] and not screen.find("confirmDialog").isVisible()
    screen.tap("restartButton")
    screen.tap("confirmYes")
    assert restarts == [True]
    assert screen.ui.service.property("mode") == "closed"


def test_the_menu_logs_out_after_a_minute_untouched_and_a_tap_starts_it_again(
    make_screen: MakeScreen,
) -> None:
    clock = ManualClock()
    screen: Screen = make_screen(clock=clock)
    open_menu(screen)
    clock.advance(IDLE_LOGOUT_S - 1)
    screen.ui.service.checkIdle()
    assert screen.ui.service.property("mode") == "menu"
    screen.tap("tab_printer")  # any tap
    clock.advance(IDLE_LOGOUT_S - 1)
    screen.ui.service.checkIdle()
    assert screen.ui.service.property("mode") == "menu"
    clock.advance(1)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "closed")  # its timer
    assert screen.ui.kiosk.screen == "idle"
    screen.ui.service.open()  # the pad left alone closes too
    clock.advance(IDLE_LOGOUT_S)
    screen.ui.service.checkIdle()
    assert screen.ui.service.property("mode") == "closed"


def test_the_c_keys_clear_what_was_typed(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    screen.demo.technicians.add("Aigerim", PIN)
    screen.ui.service.open()
    for digit in "1":
        screen.tap(f"pin_{digit}")
    screen.tap("pinEnter")
    for digit in "2846":
        screen.tap(f"pin_{digit}")
    assert screen.text("pinDots") == "●●●●"
    screen.tap("pin_clear")
    assert screen.text("pinDots") == " "
    enter_pin(screen, PIN)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    screen.tap("tab_printer")
    for digit in "42":
        screen.tap(f"reprint_{digit}")
    assert screen.text("reprintNumber") == "42"
    screen.tap("reprint_clear")
    assert screen.text("reprintNumber") == "Number of the receipt to print again"
