"""Time running out, devices failing, the network gone: what the customer sees."""

from __future__ import annotations

from pathlib import Path

from kiosk.core import STILL_THERE_COUNTDOWN_S
from kiosk.domain.clock import ManualClock
from tests.ui.helpers import MakeScreen, Screen, short_timeouts


def test_idle_timeout_without_cash_asks_then_returns_to_the_start(
    make_screen: MakeScreen, tmp_path: Path
) -> None:
    clock = ManualClock()
    screen: Screen = make_screen(config=short_timeouts(tmp_path), clock=clock)
    screen.tap("category_mobile")
    screen.wait_screen("catalog")
    screen.tap("service_kcell")
    screen.wait_screen("entry")
    clock.advance(30)
    screen.wait_until(lambda: screen.find("attentionOverlay").isVisible())
    assert screen.text("attentionCountdown") == f"{int(STILL_THERE_COUNTDOWN_S)} s"
    screen.tap("stillHereButton")
    screen.wait_until(lambda: not screen.find("attentionOverlay").isVisible())
    assert screen.ui.kiosk.screen == "entry"
    clock.advance(30 + STILL_THERE_COUNTDOWN_S)
    screen.wait_screen("idle")
    assert screen.ui.kiosk.snapshot.operation_id is None


def test_idle_timeout_with_cash_in_completes_the_payment_and_prints(
    make_screen: MakeScreen, tmp_path: Path
) -> None:
    clock = ManualClock()
    screen: Screen = make_screen(config=short_timeouts(tmp_path), clock=clock)
    screen.to_cash("kaspi", "7011234567")
    screen.insert(500)
    clock.advance(30)
    screen.wait_until(lambda: screen.ui.kiosk.attention == "completing")
    assert screen.find("attentionOverlay").isVisible()
    clock.advance(30)
    screen.wait_screen("thanks")
    snapshot = screen.ui.kiosk.snapshot
    assert snapshot.receipt_number is not None and snapshot.credited.tiyn == 50000
    assert screen.text("receiptNumber").endswith(str(snapshot.receipt_number))


def test_a_jammed_acceptor_shows_out_of_service_in_customer_words(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen(language="ru")
    screen.demo.device.jam()
    screen.wait_screen("out_of_service")
    assert screen.text("outOfServiceReason") == "В купюроприёмнике застряла купюра."
    screen.demo.device.clear()
    screen.wait_screen("idle")


def test_without_the_ledger_the_banner_says_what_still_works(make_screen: MakeScreen) -> None:
    screen: Screen = make_screen(ledger=False)
    assert screen.find("offlineBanner").isVisible()
    assert "You can still pay" in screen.ui.kiosk.offlineText
    screen.to_cash("qplus", "7011234567")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    assert screen.ui.kiosk.snapshot.credited.tiyn == 98000
