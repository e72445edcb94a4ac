"""A customer at the touchscreen: from the idle screen to the receipt and the ledger credit."""

from __future__ import annotations

from pathlib import Path

from drivers.bill.base import Escrow
from kiosk.domain.money import Money
from kiosk.domain.privacy import LookupThrottle
from tests.ui.helpers import MakeScreen, Screen

NOTE_TYPE_20000 = 6  # the 20 000 tenge note's index in the simulator's bill table


def test_customer_pays_1000_tenge_to_qplus_and_the_ledger_credits_it(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    screen.tap("category_ewallet")
    screen.wait_screen("catalog")
    screen.tap("service_qplus")
    screen.wait_screen("entry")
    screen.type_digits("7011234567")  # the ten digits after +7, every one typed
    assert screen.text("accountField") == "+7 701 123 45 67"
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    assert screen.text("confirmAccount") == "+7 701 123 45 67"
    screen.tap("confirmButton")
    screen.wait_screen("checked")
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    assert screen.text("insertedAmount") == Money.tenge(1000).format("en")
    assert screen.text("commissionAmount") == Money.tenge(20).format("en")
    assert screen.text("creditedAmount") == Money.tenge(980).format("en")
    screen.tap("payButton")
    screen.wait_screen("thanks")
    snapshot = screen.ui.kiosk.snapshot
    assert snapshot.receipt_number is not None
    assert screen.text("receiptNumber") == f"Receipt No. {snapshot.receipt_number}"
    link = screen.demo.link
    assert link is not None and snapshot.operation_id is not None
    operation = snapshot.operation_id
    screen.wait_until(lambda: link.ledger_view([operation])["found"] == 1)
    assert link.ledger_view([operation])["inserted"] == 100000
    screen.tap("doneButton")
    screen.wait_screen("idle")


def test_a_wrong_number_is_refused_with_the_reason_in_the_screen_language(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen(language="kk")
    screen.tap("category_mobile")
    screen.wait_screen("catalog")
    screen.tap("service_beeline")
    screen.wait_screen("entry")
    screen.type_digits("7011")
    screen.tap("nextButton")
    error = screen.text("accountError")
    assert screen.ui.kiosk.screen == "entry"
    assert error and any(letter in error for letter in "әғқңөұүһі")


def test_the_number_check_answer_is_shown_in_plain_words(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen(language="ru")
    screen.tap("category_ewallet")
    screen.wait_screen("catalog")
    screen.tap("service_wmk")  # WMK purses are not opened on first payment: unknown here
    screen.wait_screen("entry")
    screen.type_digits("123456789012")
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    screen.tap("confirmButton")
    screen.wait_until(lambda: screen.ui.kiosk.session.checkError != "")
    assert screen.text("checkError") == "Кошелёк с таким номером не найден. Проверьте номер."
    assert screen.ui.kiosk.screen == "confirm"


def test_note_over_the_wallet_limit_is_refused_and_a_late_one_returned_with_its_message(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    screen.to_cash("kaspi", "7011234567")  # unknown status: minimal, 50 MRP = 216 250 tenge
    for _ in range(10):
        screen.insert(20000)
    screen.wait_until(lambda: "20,000" not in screen.ui.kiosk.cash.acceptedNotes)
    assert "the wallet's limit for one payment" in screen.text("maxMore")
    assert Money.tenge(16250).format("en") in screen.text("maxMore")
    # A note already in escrow when the limit was reached comes back with the reason.
    decision = screen.demo.runner.acceptor_listener(Escrow(2_000_000, NOTE_TYPE_20000))
    assert decision is not None and decision.name == "RETURN"
    screen.wait_until(lambda: screen.ui.kiosk.cash.returnedText != "")
    assert screen.text("returnedNote").startswith("The note was returned: over the wallet limit.")
    assert screen.text("insertedAmount") == Money.tenge(200000).format("en")


def test_cancel_is_offered_only_while_no_cash_is_in(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen()
    screen.to_cash("kaspi", "7011234567")
    assert screen.find("cancelButton").isVisible()
    screen.insert(500)
    screen.wait_until(lambda: not screen.find("cancelButton").isVisible())
    assert screen.find("payButton").property("active") is True


def test_language_switch_at_run_time_changes_every_label(
    make_screen: MakeScreen, tmp_path: Path
) -> None:
    screen: Screen = make_screen(language="en")
    screen.tap("lang_ru")
    screen.wait_until(lambda: screen.ui.kiosk.language == "ru")
    screen.tap("category_ewallet")
    screen.wait_screen("catalog")
    assert screen.text("backButton") == "Назад"
    assert screen.text("service_qplus") == "Кошелёк QPlus"
    screen.tap("lang_kk")
    screen.wait_until(lambda: screen.text("backButton") == "Артқа")
    assert screen.text("service_qplus") == "QPlus әмияны"


def test_payment_status_by_receipt_number_turns_completed_once_the_ledger_has_it(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    screen.to_cash("kaspi", "7011234567")
    screen.insert(500)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    number = screen.ui.kiosk.snapshot.receipt_number
    screen.tap("doneButton")
    screen.wait_screen("idle")
    screen.tap("statusButton")
    screen.wait_screen("status")
    for digit in str(number):
        screen.tap(f"status_{digit}")
    screen.tap("lookUpButton")  # a receipt number alone shows nothing: the amount is asked
    assert screen.ui.kiosk.status.asksAmount and screen.text("statusAnswer") == ""
    screen.type_status("400")  # not what was inserted: as good as an unknown number
    screen.tap("lookUpButton")
    assert screen.text("statusAnswer") == "No payment with this receipt number at this terminal."
    for _ in range(3):
        screen.tap("status_back")
    screen.type_status("500")

    def completed() -> bool:
        screen.tap("lookUpButton")
        return screen.text("statusAnswer").endswith("Credited: the money is on the account.")

    screen.wait_until(completed)
    assert screen.text("statusAnswer").startswith(Money.tenge(500).format("en"))
    assert "+7\u00a0701\u00a0***\u00a0**\u00a067" in screen.text("statusAnswer")  # never broken


def test_stepping_through_receipt_numbers_pauses_the_status_screen(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen(language="ru")
    screen.tap("statusButton")
    screen.wait_screen("status")
    for number in range(LookupThrottle.FREE_MISSES + 1):
        screen.tap("status_clear")
        screen.tap(f"status_{number + 1}")
        screen.tap("lookUpButton")
        screen.type_status("500")
        screen.tap("lookUpButton")
    screen.tap("status_clear")
    screen.tap("status_9")
    screen.tap("lookUpButton")
    screen.type_status("500")
    screen.tap("lookUpButton")
    assert screen.text("statusAnswer").startswith("Слишком много номеров не найдено.")
