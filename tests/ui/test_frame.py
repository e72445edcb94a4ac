"""The frame around every customer screen: where in the payment the customer is, who to call,
what time it is, larger text on request, and the attract layer on an untouched idle screen.
The rules are pure functions (ui/views.py); the window is driven by object names."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog_file import load_catalog
from kiosk.cli import main
from kiosk.config import TerminalConfig, demo_config
from kiosk.domain.catalog import Catalog
from kiosk.domain.clock import ManualClock
from kiosk.session import State
from tests.ui.helpers import MakeScreen, Screen
from ui.views import (
    ATTRACT_AFTER_S,
    ATTRACT_CALL,
    LARGE_TEXT_PERCENT,
    STEPS,
    GuideState,
    attract_due,
    clock_text,
    guide_of,
    session_ended,
    step_of,
    unbroken,
)

NBSP = "\u00a0"
# ManualClock starts at 2026-01-01T00:00:00Z: 05:00 in Almaty.
START_LOCAL = "05:00"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory) -> TerminalConfig:
    return demo_config(Path(tmp_path_factory.mktemp("frame"))).terminal


# -- the rules, without a window ----------------------------------------------------------
@pytest.mark.parametrize(
    ("screen", "step"),
    [
        ("catalog", 1),
        ("entry", 2),
        ("confirm", 2),
        ("checked", 2),
        ("cash", 3),
        ("printing", 4),
        ("thanks", 4),
        ("idle", 0),
        ("info", 0),
        ("status", 0),
        ("out_of_service", 0),
        ("starting", 0),
        ("service", 0),
    ],
)
def test_each_screen_is_one_step_of_the_payment_or_none(screen: str, step: int) -> None:
    assert step_of(screen) == step
    assert step <= len(STEPS) == 4


def test_the_clock_is_almaty_time_in_hours_and_minutes() -> None:
    assert clock_text(ManualClock().now()) == START_LOCAL
    assert clock_text(ManualClock().now() + 59) == START_LOCAL
    assert clock_text(ManualClock().now() + 60) == "05:01"
    assert clock_text(ManualClock().now() + 19 * 3600) == "00:00"


def test_a_phone_number_has_no_space_to_break_at() -> None:
    assert unbroken("+7 727 000 00 00") == f"+7{NBSP}727{NBSP}000{NBSP}00{NBSP}00"
    assert " " not in unbroken("+7 727 000 00 00")


@pytest.mark.parametrize(
    ("screen", "service_open", "idle_for", "shown"),
    [
        ("idle", False, ATTRACT_AFTER_S, True),
        ("idle", False, ATTRACT_AFTER_S - 1, False),
        ("idle", True, ATTRACT_AFTER_S * 10, False),  # the service menu is open
        ("cash", False, ATTRACT_AFTER_S * 10, False),  # a session with money
        ("thanks", False, ATTRACT_AFTER_S * 10, False),
        ("catalog", False, ATTRACT_AFTER_S * 10, False),
        ("out_of_service", False, ATTRACT_AFTER_S * 10, False),
    ],
)
def test_the_attract_layer_shows_only_over_the_untouched_idle_screen(
    screen: str, service_open: bool, idle_for: float, shown: bool
) -> None:
    assert attract_due(screen, service_open, idle_for) is shown


def test_large_text_ends_with_the_session_not_with_a_screen() -> None:
    assert session_ended(State.ACCEPTING, State.IDLE)
    assert session_ended(State.DONE, State.IDLE)
    assert session_ended(State.SERVICE_CHOSEN, State.CANCELLED)
    assert not session_ended(State.IDLE, State.IDLE)
    assert not session_ended(State.SERVICE_CHOSEN, State.ACCOUNT_ENTERED)


def test_the_guide_view(catalog: Catalog, terminal: TerminalConfig) -> None:
    terminal = dataclasses.replace(terminal, support_phone="+7 727 123 45 67")
    normal = guide_of(
        "cash", GuideState(), catalog, terminal, "ru", now=ManualClock().now(), monotonic=500
    )
    assert (normal.step, normal.text_percent, normal.attract) == (3, 100, False)
    assert normal.terminal_id == terminal.id
    assert normal.support_phone == f"+7{NBSP}727{NBSP}123{NBSP}45{NBSP}67"
    assert normal.clock == START_LOCAL
    assert normal.attract_names == ""
    assert "20" + NBSP + "000" in normal.accepted_notes
    large = guide_of(
        "idle",
        GuideState(large_text=True, touched_at=0),
        catalog,
        terminal,
        "kk",
        now=0,
        monotonic=ATTRACT_AFTER_S,
    )
    assert (large.step, large.text_percent, large.attract) == (0, LARGE_TEXT_PERCENT, True)
    assert large.attract_call.split("\n") == list(ATTRACT_CALL)
    assert "Kaspi" in large.attract_names


# -- the window ---------------------------------------------------------------------------
def visible(screen: Screen, name: str) -> bool:
    return screen.find(name).isVisible()


def step_states(screen: Screen) -> list[str]:
    return [str(screen.find(f"step_{n}").property("stepState")) for n in range(1, 5)]


def test_the_step_indicator_follows_the_payment(make_screen: MakeScreen) -> None:
    screen = make_screen(clock=ManualClock(), language="ru")
    assert not visible(screen, "stepIndicator")  # no payment on the start screen
    screen.tap("category_ewallet")
    screen.wait_screen("catalog")
    assert visible(screen, "stepIndicator")
    assert step_states(screen) == ["current", "next", "next", "next"]
    assert screen.text("step_1") == "1 Услуга"
    screen.tap("service_kaspi")
    screen.wait_screen("entry")
    assert step_states(screen) == ["done", "current", "next", "next"]
    assert screen.text("step_1") == "✓ Услуга"
    screen.type_digits("7011234567")
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    assert step_states(screen) == ["done", "current", "next", "next"]
    screen.tap("confirmButton")
    screen.wait_screen("checked")
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    assert step_states(screen) == ["done", "done", "current", "next"]
    assert screen.text("step_3") == "3 Наличные"
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    assert step_states(screen) == ["done", "done", "done", "current"]
    screen.tap("doneButton")
    screen.wait_screen("idle")
    assert not visible(screen, "stepIndicator")


@pytest.mark.parametrize(
    ("language", "terminal_word", "support_word"),
    [
        ("kk", "Терминал", "Қолдау қызметі"),
        ("ru", "Терминал", "Поддержка"),
        ("en", "Terminal", "Support"),
    ],
)
def test_the_footer_names_the_terminal_the_support_phone_and_the_time(
    make_screen: MakeScreen, language: str, terminal_word: str, support_word: str
) -> None:
    clock = ManualClock()
    screen = make_screen(clock=clock, language=language)
    terminal = screen.demo.config.terminal
    for page in ("idle", "catalog"):
        if page == "catalog":
            screen.tap("category_mobile")
            screen.wait_screen("catalog")
        assert visible(screen, "footer")
        assert screen.text("footerTerminal") == f"{terminal_word} {terminal.id}"
        support = screen.text("footerSupport")
        assert support == f"{support_word}: {unbroken(terminal.support_phone)}"
        assert screen.find("footerSupport").property("lineCount") == 1
        assert screen.text("footerClock") == START_LOCAL
    clock.advance(60)  # the kiosk's clock, not the machine's: simulated time shows right
    screen.wait_until(lambda: screen.text("footerClock") == "05:01")


def test_large_text_scales_the_fonts_across_screens_and_ends_with_the_session(
    make_screen: MakeScreen,
) -> None:
    screen = make_screen(clock=ManualClock(), language="en")
    normal = screen.find("footerClock").property("font").pixelSize()
    button = screen.find("largeTextButton")
    assert button.property("text") == "Aa"
    screen.tap("largeTextButton")
    expected = round(normal * LARGE_TEXT_PERCENT / 100)
    screen.wait_until(lambda: screen.find("footerClock").property("font").pixelSize() == expected)
    assert screen.find("largeTextButton").property("primary") is True
    screen.to_cash("kaspi", "7011234567")  # several screens on: still large
    assert screen.ui.kiosk.guide_view.large_text is True
    assert screen.find("footerClock").property("font").pixelSize() == expected
    screen.tap("cancelButton")
    screen.wait_screen("idle")
    screen.wait_until(lambda: screen.find("footerClock").property("font").pixelSize() == normal)
    assert screen.ui.kiosk.guide_view.large_text is False
    # Pressed twice, it is normal again without a session ending.
    screen.tap("largeTextButton")
    screen.tap("largeTextButton")
    assert screen.find("footerClock").property("font").pixelSize() == normal


def test_the_attract_layer_comes_after_a_quiet_minute_and_a_tap_only_takes_it_away(
    make_screen: MakeScreen,
) -> None:
    clock = ManualClock()
    screen = make_screen(clock=clock, language="kk")
    screen.tap("largeTextButton")
    clock.advance(ATTRACT_AFTER_S - 5)
    screen.qtbot.wait(1500)  # the layer looks at the clock every second
    assert not visible(screen, "attractScreen")
    clock.advance(5)
    screen.wait_until(lambda: visible(screen, "attractScreen"))
    assert screen.text("attractCall").split("\n") == list(ATTRACT_CALL)
    assert screen.ui.kiosk.guide_view.large_text is False  # that customer has gone
    screen.tap("attractTouch")
    screen.wait_until(lambda: not visible(screen, "attractScreen"))
    assert screen.ui.kiosk.screen == "idle"
    assert screen.ui.kiosk.snapshot.state is State.IDLE  # nothing started under the tap
    assert screen.ui.kiosk.snapshot.service_id is None


def test_a_touch_on_the_idle_screen_starts_the_quiet_minute_again(
    make_screen: MakeScreen,
) -> None:
    clock = ManualClock()
    screen = make_screen(clock=clock)
    clock.advance(ATTRACT_AFTER_S - 10)
    screen.tap("lang_ru")  # a touch: the minute starts again
    clock.advance(15)
    screen.qtbot.wait(1500)
    assert not visible(screen, "attractScreen")
    clock.advance(ATTRACT_AFTER_S)
    screen.wait_until(lambda: visible(screen, "attractScreen"))


def test_never_over_a_payment_with_money_nor_the_service_menu(
    make_screen: MakeScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The menu logs out after a minute untouched, as long as the attract layer waits: held
    # open longer here, so what is checked is the layer over an open menu.
    monkeypatch.setattr("ui.service_vm.IDLE_LOGOUT_S", ATTRACT_AFTER_S * 10)
    clock = ManualClock()
    screen = make_screen(clock=clock)
    screen.to_cash("kaspi", "7011234567")
    screen.insert(500)
    clock.advance(ATTRACT_AFTER_S * 2)  # the core completes the payment on its own timeout
    screen.qtbot.wait(1500)
    assert screen.ui.kiosk.screen != "idle"
    assert not visible(screen, "attractScreen")
    assert screen.ui.kiosk.guide_view.attract is False
    screen.ui.kiosk.finish()
    screen.wait_screen("idle")
    screen.ui.service.open()
    clock.advance(ATTRACT_AFTER_S * 2)
    screen.qtbot.wait(1500)
    assert str(screen.ui.service.mode) != "closed"
    assert not visible(screen, "attractScreen")


def test_a_journey_that_idles_meets_the_attract_layer_and_touches_it_away(
    qapp: Any, tmp_path: Path
) -> None:
    journey = {
        "language": "en",
        "steps": [
            {"idle": ATTRACT_AFTER_S + 1},
            {"expect_screen": "idle"},
            {"expect_text": "Touch the screen to pay"},
            {"expect_no_text": "Payment status"},  # the idle screen is under the layer
            {"choose": "kaspi"},
            {"expect_screen": "entry"},
        ],
    }
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(journey), "utf-8")
    report = tmp_path / "report.json"
    assert main(["journey", str(path), "--report", str(report)]) == 0
    assert json.loads(report.read_text("utf-8"))["ok"] is True
