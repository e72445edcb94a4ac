"""Number entry through the real window: keys tapped on the QML keypad, the field read back as
the customer reads it. The number sent to the core is the one shown, digit for digit."""

from __future__ import annotations

from tests.ui.helpers import MakeScreen, Screen


def key_position(screen: Screen, name: str) -> tuple[int, int]:
    """Where a key is once the layout has run (a message appears on the next frame)."""
    screen.qtbot.wait(100)
    point = screen._settled_centre(screen.find(name))
    return point.x(), point.y()


def open_entry(screen: Screen, category: str, service: str) -> None:
    screen.tap(f"category_{category}")
    screen.wait_screen("catalog")
    screen.tap(f"service_{service}")
    screen.wait_screen("entry")


def test_ten_digits_typed_whole_are_the_number_shown_and_sent(make_screen: MakeScreen) -> None:
    screen = make_screen(language="ru")
    open_entry(screen, "mobile", "beeline")
    keys_before = [key_position(screen, f"key_{key}") for key in ("1", "0", "back")]
    screen.type_digits("7711234567")
    assert screen.text("accountField") == "+7 771 123 45 67"  # not +7 777 112 34 56
    assert not screen.find("entryNotice").isVisible()
    screen.tap("key_8")  # an eleventh digit: refused, and said so
    assert screen.text("accountField") == "+7 771 123 45 67"
    assert screen.find("entryNotice").isVisible()
    assert screen.text("entryNotice").startswith("Номер набран полностью")
    assert [key_position(screen, f"key_{key}") for key in ("1", "0", "back")] == keys_before
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    assert screen.text("confirmAccount") == "+7 771 123 45 67"
    assert screen.ui.kiosk.snapshot.account == "+77711234567"
    assert not screen.find("accountWarning").isVisible()  # 771 is Beeline's own


def test_a_first_eight_is_shown_as_plus_seven_with_a_hint(make_screen: MakeScreen) -> None:
    screen = make_screen(language="kk")
    open_entry(screen, "ewallet", "kaspi")
    screen.type_digits("87011234567")
    assert screen.text("accountField") == "+7 701 123 45 67"
    assert screen.find("entryHint").isVisible()
    assert "8" in screen.text("entryHint") and "+7" in screen.text("entryHint")
    screen.tap("key_back")
    assert screen.text("accountField") == "+7 701 123 45 6_"
    screen.tap("key_clear")
    assert screen.text("accountField") == "+7 ___ ___ __ __"
    assert not screen.find("entryHint").isVisible()


def test_a_kcell_number_under_beeline_is_warned_with_a_way_back_to_the_operators(
    make_screen: MakeScreen,
) -> None:
    screen = make_screen(language="en")
    open_entry(screen, "mobile", "beeline")
    screen.type_digits("7011234567")
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    assert screen.text("confirmAccount") == "+7 701 123 45 67"
    assert screen.find("accountWarning").isVisible()
    assert screen.text("accountWarning").startswith("The number starts with another operator")
    assert screen.find("otherOperatorButton").isVisible()
    assert screen.find("confirmButton").isVisible()  # a moved number may still be right
    screen.tap("otherOperatorButton")
    screen.wait_screen("catalog")
    assert screen.ui.kiosk.snapshot.service_id is None  # that session is over
    screen.tap("service_kcell")
    screen.wait_screen("entry")
    screen.type_digits("7011234567")
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    assert not screen.find("accountWarning").isVisible()
    assert not screen.find("otherOperatorButton").isVisible()


def test_the_wrong_operator_warning_lets_the_customer_go_on(make_screen: MakeScreen) -> None:
    screen = make_screen(language="ru")
    open_entry(screen, "mobile", "beeline")
    screen.type_digits("7011234567")
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    assert screen.text("accountWarning").startswith("Номер начинается с кода другого оператора")
    screen.tap("confirmButton")
    screen.wait_screen("checked")
    assert screen.ui.kiosk.snapshot.account == "+77011234567"


def test_a_wmk_purse_is_shown_in_groups_on_entry_and_confirm(make_screen: MakeScreen) -> None:
    screen = make_screen(language="en")
    open_entry(screen, "ewallet", "wmk")
    screen.type_digits("1234567890123")
    assert screen.text("accountField") == "K 1234 5678 9012"
    assert screen.find("entryNotice").isVisible()
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    assert screen.text("confirmAccount") == "K 1234 5678 9012"
    assert screen.ui.kiosk.snapshot.account == "K123456789012"
