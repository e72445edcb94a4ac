"""What the customer screens show, from core snapshots, without a window or a Qt object:
``ui.views.view_of`` is a plain function of a snapshot and the window's own state."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kiosk.catalog_file import load_catalog
from kiosk.config import TerminalConfig, demo_config
from kiosk.domain.catalog import Catalog
from kiosk.domain.money import Money
from kiosk.session import Attention, ReturnedNote, Snapshot, State
from kiosk.store.lookups import PaymentStatus
from ui.views import (
    STARTING,
    CustomerView,
    UiState,
    countdown,
    found_text,
    settle,
    view_of,
)

OPERATION = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
T = "\u00a0₸"  # amounts keep their tenge sign on the same line


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory) -> TerminalConfig:
    config = demo_config(Path(tmp_path_factory.mktemp("views")))
    return dataclasses.replace(config.terminal, status_url="https://pay.example.kz/status")


def idle(**changes: object) -> Snapshot:
    base = Snapshot(State.IDLE, True, (), True, "en")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def paying(state: State, **changes: object) -> Snapshot:
    """A session for the QPlus wallet (``K XXXX…`` numbers) in ``state``."""
    return idle(
        state=state, service_id="qplus", operation_id=OPERATION, account="K123456789012", **changes
    )


def show(
    catalog: Catalog,
    terminal: TerminalConfig,
    snapshot: Snapshot,
    ui: UiState | None = None,
    *,
    now: float = 100.0,
) -> CustomerView:
    ui = ui or UiState()
    settle(ui, snapshot)
    return view_of(snapshot, ui, catalog, terminal, now=now)


@pytest.mark.parametrize(
    ("state", "entry_mode", "screen"),
    [
        (State.SERVICE_CHOSEN, "entry", "entry"),
        (State.SERVICE_CHOSEN, "confirm", "entry"),  # a new session always starts by typing
        (State.ACCOUNT_ENTERED, "entry", "entry"),
        (State.ACCOUNT_ENTERED, "confirm", "confirm"),
        (State.ACCOUNT_CHECKED, "", "checked"),
        (State.ACCOUNT_CHECKED, "entry", "entry"),  # "Change" on the checked screen
        (State.ACCEPTING, "", "cash"),
        (State.PAYING, "", "printing"),
        (State.RECEIPT, "", "printing"),
        (State.DONE, "", "thanks"),
    ],
)
def test_each_session_state_has_its_screen(
    catalog: Catalog, terminal: TerminalConfig, state: State, entry_mode: str, screen: str
) -> None:
    view = show(catalog, terminal, paying(state), UiState(entry_mode=entry_mode))
    assert view.frame.screen == screen
    assert view.session.service_name == "QPlus wallet"


@pytest.mark.parametrize("page", ["idle", "catalog", "info", "status"])
def test_without_a_session_the_window_keeps_its_page(
    catalog: Catalog, terminal: TerminalConfig, page: str
) -> None:
    assert show(catalog, terminal, idle(), UiState(page=page)).frame.screen == page
    cancelled = show(catalog, terminal, paying(State.CANCELLED), UiState(page=page))
    assert cancelled.frame.screen == page


def test_an_unknown_page_falls_back_to_idle_and_the_typing_mode_resets(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    ui = UiState(page="cash", entry_mode="confirm")
    assert show(catalog, terminal, idle(), ui).frame.screen == "idle"
    assert (ui.page, ui.entry_mode) == ("idle", "entry")


def test_out_of_service_wins_over_the_idle_pages_but_the_status_look_up_and_says_why(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    snapshot = idle(
        in_service=False, out_of_service_reasons=("validator_jammed", "cassette_full", "storage")
    )
    for page in ("idle", "catalog", "info"):
        assert show(catalog, terminal, snapshot, UiState(page=page)).frame.screen == (
            "out_of_service"
        )
    # A customer with a receipt can still look a payment up (the screen's status button).
    assert show(catalog, terminal, snapshot, UiState(page="status")).frame.screen == "status"
    view = show(catalog, terminal, snapshot)
    assert view.frame.out_of_service_text == (
        "The banknote acceptor is jammed.\n"
        "The cash box is full.\n"
        "A technical fault: payments are paused."
    )
    assert show(catalog, terminal, idle()).frame.out_of_service_text == ""


def test_the_offline_banner_has_words_only_while_offline(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    online = show(catalog, terminal, idle())
    assert online.frame.online and online.frame.offline_text == ""
    offline = show(catalog, terminal, idle(online=False))
    assert not offline.frame.online
    assert offline.frame.offline_text.startswith("No connection to the payment server.")


def test_before_the_first_snapshot_no_screen_shows(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    view = view_of(idle(), UiState(), catalog, terminal, now=0.0, starting=True)
    assert view.frame.screen == STARTING


def test_cash_amounts_are_formatted_in_the_screen_language(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    snapshot = paying(
        State.ACCEPTING,
        inserted=Money.tenge(12000),
        commission=Money(24050),
        credited=Money(959950),
        notes=(Money.tenge(10000), Money.tenge(2000)),
        max_more=Money.tenge(88000),
        limit_reason="operation_limit",
        enabled_notes=frozenset({100000, 50000, 200000}),
        can_pay=True,
    )
    english = show(catalog, terminal, snapshot).cash
    assert (english.inserted, english.commission, english.credited) == (
        f"12,000{T}",
        f"240.50{T}",
        f"9,599.50{T}",
    )
    assert english.max_more == f"88,000{T}"
    assert english.limit_text == "the wallet's limit for one payment"
    assert english.accepted_notes == f"500{T}, 1,000{T}, 2,000{T}"  # smallest first
    assert english.has_cash and english.can_pay and not english.can_cancel
    russian = show(catalog, terminal, dataclasses.replace(snapshot, language="ru")).cash
    assert russian.inserted == f"12\u00a0000{T}" and russian.commission == f"240,50{T}"
    assert show(catalog, terminal, snapshot).session.min_amount.endswith(T)


def test_pay_and_cancel_are_greyed_while_an_intent_is_on_its_way(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    snapshot = paying(State.ACCEPTING, can_pay=True, can_cancel=True)
    busy = show(catalog, terminal, snapshot, UiState(busy=True))
    assert busy.frame.busy and not busy.cash.can_pay and not busy.cash.can_cancel


def test_a_returned_note_says_why_and_how_much(catalog: Catalog, terminal: TerminalConfig) -> None:
    snapshot = paying(
        State.ACCEPTING, last_returned=ReturnedNote(Money.tenge(20000), "operation_limit")
    )
    text = show(catalog, terminal, snapshot).cash.returned_text
    assert text.startswith("The note was returned") and text.endswith(f"(20,000{T})")
    assert show(catalog, terminal, paying(State.ACCEPTING)).cash.returned_text == ""
    full = show(catalog, terminal, paying(State.ACCEPTING, wallet_full=True)).cash
    assert full.wallet_full_text == "This wallet cannot take more now."


def test_the_number_typed_fills_the_mask_and_a_checked_one_is_shown_grouped(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    typing = show(
        catalog,
        terminal,
        idle(state=State.SERVICE_CHOSEN, service_id="beeline"),
        UiState(digits="0512"),
    )
    assert typing.session.mask.startswith("+7 (7")
    assert typing.session.entry_shown.startswith("+7 (705) 12")
    assert not typing.session.entry_full
    checked = show(
        catalog,
        terminal,
        idle(state=State.ACCOUNT_CHECKED, service_id="beeline", account="+77051234567"),
        UiState(holder="A. B."),
    )
    assert checked.session.account == "+7 705 123 45 67"  # the payer's own number, whole
    assert checked.session.holder == "A. B."


def test_the_operation_number_and_its_qr_show_only_once_paid(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    cash = show(catalog, terminal, paying(State.ACCEPTING, receipt_number=41)).receipt
    assert cash.operation_number == cash.operation_qr == cash.printed_text == ""
    done = show(catalog, terminal, paying(State.DONE, receipt_number=41, printed=False)).receipt
    assert done.receipt_number == "41" and done.operation_number == OPERATION
    assert done.operation_qr.startswith("https://pay.example.kz/status")
    assert OPERATION in done.operation_qr
    assert done.printed_text.startswith("The receipt could not be printed.")
    assert done.status_text.startswith("Accepted — being credited.")


def test_no_receipt_printable_asks_the_customer_and_says_why(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    snapshot = paying(State.ACCOUNT_CHECKED, receipt_choice=True, printer_state="paper_out")
    receipt = show(catalog, terminal, snapshot).receipt
    assert receipt.receipt_choice
    assert receipt.receipt_problem == "The receipt printer is out of paper."
    assert receipt.without_receipt_text.startswith("You can still pay without a receipt")
    fault = dataclasses.replace(snapshot, printer_state="offline")
    assert show(catalog, terminal, fault).receipt.receipt_problem == (
        "The receipt printer is not working."
    )
    fine = show(catalog, terminal, paying(State.ACCOUNT_CHECKED)).receipt
    assert not fine.receipt_choice and fine.receipt_problem == fine.without_receipt_text == ""


def test_the_countdown_rounds_up_and_stops_at_zero() -> None:
    snapshot = paying(State.ACCEPTING, attention=Attention.STILL_THERE, attention_deadline=120.2)
    assert countdown(snapshot, 100.0) == 21
    assert countdown(snapshot, 130.0) == 0
    assert countdown(paying(State.ACCEPTING), 100.0) == 0  # no overlay


def test_the_overlay_says_which_question_it_asks(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    snapshot = paying(State.ACCEPTING, attention=Attention.COMPLETING, attention_deadline=130.0)
    frame = show(catalog, terminal, snapshot, now=100.0).frame
    assert (frame.attention, frame.countdown) == ("completing", 30)


def status(account: str, *, completed: bool = True, printed: bool = True) -> PaymentStatus:
    return PaymentStatus(
        17,
        OPERATION,
        "kaspi",
        account,
        Money.tenge(490),
        0,
        completed,
        printed,
        Money.tenge(500),
        "credited" if completed else "pending",
    )


@pytest.mark.parametrize(
    ("account", "masked"),
    [
        ("+77011234567", "+7 701 *** ** 67"),
        ("K123456789012", "K1234******12"),
    ],
)
def test_a_looked_up_payment_shows_its_account_masked(account: str, masked: str) -> None:
    text = found_text(status(account), by_operation=False, language="en")
    assert text.startswith(f"490{T} → {masked}\n")
    assert account not in text and account[-6:-2] not in text
    assert text.endswith("Credited: the money is on the account.")


def test_a_look_up_by_operation_names_the_receipt_and_a_miss_says_so() -> None:
    text = found_text(status("+77011234567"), by_operation=True, language="ru")
    assert text.startswith(f"№ 17: 490{T} → +7 701 *** ** 67\n")
    assert found_text(None, by_operation=False, language="en") == (
        "No payment with this receipt number at this terminal."
    )


def test_the_reprint_button_needs_an_unprinted_receipt_and_a_printer(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    unprinted = UiState(page="status", status_found=status("+77011234567", printed=False))
    ready = idle(printer_state="ok")
    assert show(catalog, terminal, ready, unprinted).status.can_reprint
    assert not show(
        catalog, terminal, idle(printer_state="paper_out"), unprinted
    ).status.can_reprint
    assert not show(
        catalog,
        terminal,
        ready,
        dataclasses.replace(unprinted, status_found=status("+77011234567")),
    ).status.can_reprint
    assert not show(catalog, terminal, ready, UiState(page="status")).status.can_reprint


def test_the_status_keypad_shows_what_is_asked(catalog: Catalog, terminal: TerminalConfig) -> None:
    receipt = show(
        catalog, terminal, idle(), UiState(page="status", status_digits="17", status_amount="50")
    ).status
    assert (receipt.digits, receipt.amount, receipt.asks_amount, receipt.mode) == (
        "17",
        "50",
        True,
        "receipt",
    )
    operation = show(
        catalog,
        terminal,
        idle(),
        UiState(page="status", status_mode="operation", status_digits="0190a1b2c3d4"),
    ).status
    assert operation.digits.startswith("0190a1b2-c3d4") and not operation.asks_amount


def test_the_catalogue_page_lists_the_category_in_the_screen_language(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    menu = show(
        catalog, terminal, idle(language="ru"), UiState(page="catalog", category="ewallet")
    ).menu
    assert menu.category == "ewallet"
    assert ("qplus", "Кошелёк QPlus") in [(item.id, item.name) for item in menu.services]
    mobile = show(catalog, terminal, idle(), UiState(category="mobile")).menu
    assert "beeline" in [item.id for item in mobile.services]
    info = show(catalog, terminal, idle()).info
    assert info.terminal_id == "KZ-ALA-0001" and info.support_phone == "+7 727 000 00 00"
