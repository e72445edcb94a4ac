"""The technician's side: their number and PIN with the pad's lockout, and an encashment
that goes to the ledger with their name."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from kiosk.domain.clock import ManualClock
from kiosk.store.models import OutboxItem
from kiosk.technicians import LOCK_S, MAX_TRIES, Technicians
from tests.ui.helpers import MakeScreen, Screen
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
    screen.wait_until(lambda: screen.text("statusCassette") == "In the cassette: 2 notes, 1,500\u00a0₸")
    assert screen.text("statusToday") == "Payments today: 1"
    acceptor = screen.demo.kiosk.acceptor
    asset = screen.demo.runner.call(lambda: acceptor.identity.asset)
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
    screen.demo.technicians.add("Aigerim", PIN)
    caplog.set_level(logging.INFO)
    screen.ui.service.open()
    enter_pin(screen, OTHER)  # wrong: logged with the number typed, never the PIN
    enter_pin(screen, PIN)
    screen.wait_until(lambda: screen.ui.service.property("mode") == "menu")
    screen.tap("sendNowButton")
    collect(screen, "0")
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
    assert fields["encashment"]["counted"] == 0 and fields["encashment"]["difference"] == 0
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
