"""The receipt at the touchscreen: printed after paying; with the printer out of paper, the
customer is told before any cash and chooses; a receipt that never came out is printed
later from the status screen, once."""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import MakeScreen, Screen


def to_checked(screen: Screen, service: str = "qplus", digits: str = "7011234567") -> None:
    screen.tap("category_ewallet")
    screen.wait_screen("catalog")
    screen.tap(f"service_{service}")
    screen.wait_screen("entry")
    screen.type_digits(digits)
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    screen.tap("confirmButton")
    screen.wait_screen("checked")


def test_a_paid_customer_gets_a_printed_receipt_with_the_operation(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen(language="kk")
    to_checked(screen)
    assert not screen.find("receiptWarning").isVisible()
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    snapshot = screen.ui.kiosk.snapshot
    assert snapshot.printed is True
    pages = screen.demo.paper.pages
    assert len(pages) == 1
    printed = pages[0].text(42)
    assert str(snapshot.operation_id) in printed and "ТӨЛЕМ ТҮБІРТЕГІ" in printed
    assert list(screen.demo.receipts_dir.glob("*.png"))  # the simulator drew it too
    # The end screen shows the operation number too: a customer without the receipt can
    # come back with it.
    assert screen.text("operationNumber") == f"Операция № {snapshot.operation_id}"
    assert screen.find("operationHint").isVisible()


def test_paper_out_before_cash_the_customer_is_told_and_pays_without_a_receipt(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    screen.demo.paper.control("paper-out")
    to_checked(screen)
    screen.wait_until(lambda: screen.find("receiptWarning").isVisible())
    assert screen.text("withoutReceiptButton") == "Pay without a receipt"
    assert not screen.find("insertCashButton").isVisible()
    assert screen.demo.device.enabled_amounts == frozenset()  # no cash before the choice
    screen.tap("withoutReceiptButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    snapshot = screen.ui.kiosk.snapshot
    assert snapshot.printed is False and snapshot.without_receipt
    assert "could not be printed" in screen.text("printedText")
    number = snapshot.receipt_number
    assert number is not None
    screen.tap("doneButton")
    screen.wait_screen("idle")

    # Paper loaded; the customer comes back to the status screen with the number shown.
    screen.demo.paper.control("paper-in")
    screen.demo.runner.call(lambda: screen.demo.core.check_printer(force=True))
    screen.tap("statusButton")
    screen.wait_screen("status")
    for digit in str(number):
        screen.tap(f"status_{digit}")
    screen.tap("lookUpButton")
    screen.type_status(str(snapshot.inserted.tiyn // 100))
    screen.tap("lookUpButton")
    screen.wait_until(lambda: screen.find("reprintButton").isVisible())
    screen.tap("reprintButton")
    screen.wait_until(lambda: screen.text("statusAnswer") == "Your receipt is printed.")
    pages = screen.demo.paper.pages
    # By receipt number only: a copy with the account masked; the receipt stays the owner's.
    assert len(pages) == 1 and "DUPLICATE RECEIPT" in pages[0].text(42)
    assert "*** **" in pages[0].text(42)
    assert screen.find("reprintButton").isVisible()


def test_a_customer_who_will_not_pay_without_a_receipt_cancels_with_nothing_taken(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen(language="ru")
    screen.demo.paper.control("cover-open")
    to_checked(screen)
    screen.wait_until(lambda: screen.find("receiptWarning").isVisible())
    assert screen.ui.kiosk.receipt.receiptProblem == "Принтер чеков не работает."
    screen.tap("cancelButton")
    screen.wait_screen("idle")
    assert screen.demo.device.cassette == []
    assert screen.demo.runner.call(screen.demo.core.records.payment_ids) == []


def test_a_payment_is_looked_up_by_the_operation_number_on_the_receipt(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen()
    to_checked(screen)
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(500)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    snapshot = screen.ui.kiosk.snapshot
    operation, number = str(snapshot.operation_id), snapshot.receipt_number
    screen.tap("doneButton")
    screen.wait_screen("idle")
    screen.tap("statusButton")
    screen.wait_screen("status")
    screen.tap("statusByOperation")
    typed = operation.replace("-", "")
    for key in typed[:8]:  # the start of the number is a clock reading: not enough
        screen.tap(f"status_{key}")
    screen.tap("lookUpButton")
    assert screen.text("statusAnswer") == "Type at least 32 characters of the operation number."
    for key in typed[8:]:
        screen.tap(f"status_{key}")
    assert screen.text("statusField") == f"№ {operation}"  # dashed as printed
    screen.tap("lookUpButton")
    answer = screen.text("statusAnswer")
    assert answer.startswith(f"№ {number}: ") and "+7\u00a0701" in answer  # unbroken


def screen_codes(screen: Screen) -> list[str]:
    """The QR codes on the window as drawn, read by an independent decoder (zxing-cpp)."""
    import io

    import zxingcpp
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    grabbed = screen.ui.window.grabWindow()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs say bytes for the format, but PySide6 (6.11) refuses bytes at run time and takes a str.
    assert grabbed.save(buffer, "PNG")  # type: ignore[call-overload]
    picture = Image.open(io.BytesIO(buffer.data().data())).convert("L")
    return [found.text for found in zxingcpp.read_barcodes(picture)]


def test_the_end_screen_shows_the_receipts_qr_code(make_screen: MakeScreen, tmp_path: Path) -> None:
    from dataclasses import replace

    from kiosk.config import demo_config

    config = demo_config(tmp_path)
    config = replace(
        config,
        terminal=replace(
            config.terminal, status_url="https://pay.example.kz/status/{operation_id}"
        ),
    )
    screen: Screen = make_screen(config=config, language="ru")
    to_checked(screen)
    assert screen_codes(screen) == []  # no code before the payment is done
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    operation = str(screen.ui.kiosk.snapshot.operation_id)
    address = f"https://pay.example.kz/status/{operation}"
    # A phone reads the same address off the screen as off the receipt (the image provider
    # draws it asynchronously to the screen change: wait for it).
    screen.wait_until(lambda: screen_codes(screen) == [address])
    assert screen.find("operationQr").isVisible()
    printed = screen.demo.paper.pages[0]
    assert operation in printed.text(42)
    assert screen.text("operationQrHint") == (
        "Отсканируйте код телефоном, чтобы проверить этот платёж позже."
    )
