"""What the customer screens show, from core snapshots, without a window or a Qt object:
``ui.views.view_of`` is a plain function of a snapshot and the window's own state."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalog_file import load_catalog
from kiosk.config import TerminalConfig, demo_config
from kiosk.domain.accounts import AccountKind, AccountWarning, validate_account
from kiosk.domain.catalog import Catalog
from kiosk.domain.money import NBSP, Money
from kiosk.session import Attention, ReturnedNote, Snapshot, State
from kiosk.store.lookups import PaymentStatus
from ui import texts
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
    # 88 000 ₸ more cash: 100 000 ₸ in credits 99 500 ₸ (0.5 %), 12 000 ₸ credits 11 880 ₸.
    assert english.limit_line == (
        f"Up to 87,620{T} more can be credited to the account (the wallet's limit for one payment)"
    )
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
        UiState(digits="70512"),
    )
    assert typing.session.mask == "+7 XXX XXX XX XX"
    assert typing.session.entry_shown == "+7 705 12_ __ __"
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
        ("K123456789012", "K 1234 **** **12"),
    ],
)
def test_a_looked_up_payment_shows_its_account_masked(account: str, masked: str) -> None:
    text = found_text(status(account), by_operation=False, language="en")
    # The masked number never breaks across lines: its spaces are no-break ones.
    assert text.startswith(f"490{T} → {masked.replace(' ', NBSP)}\n")
    assert account not in text and account[-6:-2] not in text
    assert text.endswith("Credited: the money is on the account.")


def test_a_look_up_by_operation_names_the_receipt_and_a_miss_says_so() -> None:
    text = found_text(status("+77011234567"), by_operation=True, language="ru")
    assert text.startswith(f"№ 17: 490{T} → +7{NBSP}701{NBSP}***{NBSP}**{NBSP}67\n")
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


PHONE_MASK = "+7 XXX XXX XX XX"
PURSE_MASK = "K XXXX XXXX XXXX"


def typed(mask: str, presses: list[str] | str) -> UiState:
    """The window's state after these keypad presses, through the keypad's own rule."""
    ui = UiState()
    for key in presses:
        ui.digits, ui.entry_refused = texts.press_key(mask, ui.digits, key)
    return ui


def entering(
    catalog: Catalog, terminal: TerminalConfig, service: str, ui: UiState, language: str = "en"
) -> CustomerView:
    snapshot = idle(state=State.SERVICE_CHOSEN, service_id=service, language=language)
    return show(catalog, terminal, snapshot, ui)


def test_every_phone_service_asks_the_ten_digits_after_plus_seven(catalog: Catalog) -> None:
    for service in catalog.services:
        if service.account_rule.kind is AccountKind.KZ_MOBILE:
            assert service.input_mask == PHONE_MASK, service.id
        else:
            assert service.input_mask == PURSE_MASK, service.id


def test_ten_digits_typed_whole_show_digit_for_digit(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    view = entering(catalog, terminal, "beeline", typed(PHONE_MASK, "7711234567")).session
    assert view.entry_shown == "+7 771 123 45 67"  # not +7 777 112 34 56
    assert view.entry_full and view.entry_hint == view.entry_notice == ""
    assert texts.typed_entry(PHONE_MASK, "7711234567").text == "+77711234567"


@pytest.mark.parametrize(
    ("keys", "hint"),
    [
        ("87011234567", "The 8 you typed first is read as +7."),
        ("77011234567", "The 7 you typed first is read as +7."),
    ],
)
def test_the_eleven_digit_national_form_is_read_as_plus_seven_and_says_so(
    catalog: Catalog, terminal: TerminalConfig, keys: str, hint: str
) -> None:
    view = entering(catalog, terminal, "beeline", typed(PHONE_MASK, keys)).session
    assert view.entry_shown == "+7 701 123 45 67"
    assert view.entry_hint == hint
    assert view.entry_full
    assert texts.typed_entry(PHONE_MASK, keys).text == "+77011234567"


def test_a_first_eight_shows_as_plus_seven_from_the_first_key(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    view = entering(catalog, terminal, "beeline", typed(PHONE_MASK, "8")).session
    assert view.entry_shown == "+7 ___ ___ __ __"
    assert view.entry_hint == "The 8 you typed first is read as +7."


def test_an_eleventh_digit_is_refused_and_said_so_in_the_message_place(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    ui = typed(PHONE_MASK, "77112345678")
    assert ui.digits == "7711234567" and ui.entry_refused
    view = entering(catalog, terminal, "beeline", ui).session
    assert view.entry_shown == "+7 771 123 45 67"  # the number did not move
    assert view.entry_notice == (
        "The number is complete: +7 and 10 digits. To change it, press ⌫ or C."
    )
    after_back = typed(PHONE_MASK, [*"77112345678", "back"])
    assert after_back.digits == "771123456" and not after_back.entry_refused
    view = entering(catalog, terminal, "beeline", after_back).session
    assert view.entry_shown == "+7 771 123 45 6_" and view.entry_notice == ""
    cleared = typed(PHONE_MASK, [*"87011234567", "clear"])
    assert cleared.digits == "" and not cleared.entry_refused
    view = entering(catalog, terminal, "beeline", cleared).session
    assert view.entry_shown == "+7 ___ ___ __ __" and view.entry_hint == ""
    assert texts.typed_entry(PHONE_MASK, "").text == ""


def test_backspace_after_a_first_eight_takes_the_last_digit_not_the_eight() -> None:
    ui = typed(PHONE_MASK, [*"8701", "back"])
    entry = texts.typed_entry(PHONE_MASK, ui.digits)
    assert (entry.shown, entry.hint) == ("+7 70_ ___ __ __", "The 8 you typed first is read as +7.")


def test_a_wmk_purse_is_typed_and_shown_in_groups(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    ui = typed(PURSE_MASK, "1234567890123")  # thirteen: the last is refused
    assert ui.digits == "123456789012" and ui.entry_refused
    view = entering(catalog, terminal, "wmk", ui).session
    assert view.entry_shown == "K 1234 5678 9012"
    assert view.entry_notice.startswith("The purse number is complete")
    assert texts.typed_entry(PURSE_MASK, ui.digits).text == "K123456789012"
    confirm = show(
        catalog,
        terminal,
        idle(state=State.ACCOUNT_ENTERED, service_id="wmk", account="K123456789012"),
        UiState(entry_mode="confirm"),
    )
    assert confirm.frame.screen == "confirm"
    assert confirm.session.account == "K 1234 5678 9012"


def test_the_wrong_operator_warning_shows_on_the_confirm_screen(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    kcell = "+77011234567"
    result = validate_account(catalog.get("beeline").account_rule, kcell)
    assert result.warning is AccountWarning.OTHER_OPERATOR_PREFIX
    for language in ("kk", "ru", "en"):
        view = show(
            catalog,
            terminal,
            idle(
                state=State.ACCOUNT_ENTERED,
                service_id="beeline",
                account=kcell,
                language=language,
            ),
            UiState(entry_mode="confirm", account_warning=result.warning.value),
        )
        assert view.frame.screen == "confirm"
        assert view.session.account_warning == result.message(language)
        assert view.session.warning_hint != ""
    plain = show(
        catalog,
        terminal,
        idle(state=State.ACCOUNT_ENTERED, service_id="beeline", account="+77051234567"),
        UiState(entry_mode="confirm"),
    )
    assert plain.session.account_warning == plain.session.warning_hint == ""


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([PHONE_MASK, "+7 (7XX) XXX-XX-XX"]),
    st.lists(st.sampled_from([*"0123456789", "7", "8", "back", "clear"]), max_size=20),
)
def test_the_number_sent_is_the_digits_shown(mask: str, presses: list[str]) -> None:
    """For any keys pressed, the core receives +7 and exactly the digits the field shows:
    none dropped, none invented; each refused key left the number as it was."""
    ui = UiState()
    for key in presses:
        before = ui.digits
        ui.digits, ui.entry_refused = texts.press_key(mask, ui.digits, key)
        if ui.entry_refused:
            assert ui.digits == before
        elif key.isdigit():
            assert ui.digits == before + key
        entry = texts.typed_entry(mask, ui.digits)
        shown = "".join(ch for ch in entry.shown.removeprefix("+7") if ch.isdigit())
        assert entry.text == ("+7" + shown if ui.digits else "")
        assert len(entry.shown) == len(mask)  # the field never grows or shifts
        read_as_plus = entry.hint != ""
        assert ui.digits == (ui.digits[0] if read_as_plus else "") + shown


def test_an_older_mask_that_draws_a_seven_still_takes_all_ten_digits() -> None:
    """A catalog from the ledger may still carry ``+7 (7XX) XXX-XX-XX``: the drawn 7
    becomes a place the customer types, so the ten digits typed whole still read right."""
    old = "+7 (7XX) XXX-XX-XX"
    ui = typed(old, "7711234567")
    entry = texts.typed_entry(old, ui.digits)
    assert (entry.shown, entry.text, entry.full) == ("+7 (771) 123-45-67", "+77711234567", True)
    assert texts.typed_entry(old, "").shown == "+7 (___) ___-__-__"


def accepting(service_id: str, **changes: object) -> Snapshot:
    """The cash screen of ``service_id`` with notes still taken (``enabled_notes``)."""
    base = paying(State.ACCEPTING, enabled_notes=frozenset({100000, 200000}))
    return dataclasses.replace(base, service_id=service_id, **changes)  # type: ignore[arg-type]


def test_the_limit_line_says_the_credit_in_whole_tenge_never_the_cash_with_tiyn(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    # WMK, 2 % (min 50 ₸): 50 MRP credited is 216 250 ₸, which takes 220 663,26 ₸ of cash;
    # the screen says the credit and never a tiyn, rounded down.
    wmk = catalog.get("wmk").commission
    cap = wmk.max_inserted_for_credit(Money.tenge(216_250))
    assert cap.tiyn % 100  # the inserted cap has tiyn: the old line showed them
    inserted = Money.tenge(3333)  # 66,66 ₸ commission: 3 266,34 ₸ credited so far
    snapshot = accepting(
        "wmk", inserted=inserted, max_more=cap - inserted, limit_reason="operation_limit"
    )
    line = show(catalog, terminal, snapshot).cash.limit_line
    more = wmk.credited(cap) - wmk.credited(inserted)
    assert more.tiyn % 100  # … and so has the credit: it is rounded down
    assert line.startswith(f"Up to 212,983{T} more can be")  # 212 983,66 ₸, rounded down
    assert "." not in line.split("more")[0].replace("Up to", "")  # no decimal point
    assert line.endswith("(the wallet's limit for one payment)")
    # Without commission the credit is the cash; a reason-less cap says none.
    kaspi = accepting("kaspi", max_more=Money.tenge(5000), limit_reason="none")
    assert show(catalog, terminal, kaspi).cash.limit_line == (
        f"Up to 5,000{T} more can be credited to the account"
    )


def test_at_the_limit_the_line_says_so_and_points_to_pay(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    full = accepting(
        "kaspi",
        inserted=Money.tenge(216_000),
        notes=(Money.tenge(216_000),),
        max_more=Money.tenge(250),
        enabled_notes=frozenset(),
        can_pay=True,
    )
    assert show(catalog, terminal, full).cash.limit_line == "The limit is reached: press Pay."
    nothing_in = dataclasses.replace(full, can_pay=False, inserted=Money(0), notes=())
    assert show(catalog, terminal, nothing_in).cash.limit_line == (
        "The limit for this payment is reached."
    )
    wallet = dataclasses.replace(full, wallet_full=True)
    assert show(catalog, terminal, wallet).cash.limit_line == "This wallet cannot take more now."
    # A failed acceptor: its own line speaks, no limit line beside it.
    jammed = dataclasses.replace(
        full, in_service=False, out_of_service_reasons=("validator_jammed",)
    )
    assert show(catalog, terminal, jammed).cash.limit_line == ""
    assert show(catalog, terminal, paying(State.ACCOUNT_CHECKED)).cash.limit_line == ""


def test_every_tile_says_its_price_before_anything_is_typed(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    tiles = {item.id: item.price for item in show(catalog, terminal, idle()).menu.services}
    assert tiles["kaspi"] == "No commission"
    assert tiles["wmk"] == f"Commission: 2\u00a0%, min. 50{T}"
    assert tiles["qplus"] == f"Commission: 2\u00a0%, min. 20{T}; less from 5,000{T}"
    mobile = show(catalog, terminal, idle(), UiState(category="mobile")).menu.services
    assert {item.price for item in mobile} == {"No commission"}
    # The start screen's category tiles: said where every service of it is alike.
    menu = show(catalog, terminal, idle()).menu
    assert (menu.mobile_price, menu.ewallet_price) == ("No commission", "")


def test_the_checked_screen_shows_the_whole_rule_and_no_refund_before_cash(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    session = show(catalog, terminal, paying(State.ACCOUNT_CHECKED)).session
    rule = catalog.get("qplus").commission.describe("en")
    assert session.commission_rule == f"Commission: {rule}"
    assert f"from 5,000{T}: 1\u00a0%" in rule
    assert session.no_change_text == "Change is not given; money inserted cannot be returned."
    assert show(catalog, terminal, idle()).session.commission_rule == ""


def test_the_entry_prompt_names_a_purse_or_a_phone_as_the_mask_says(
    catalog: Catalog, terminal: TerminalConfig
) -> None:
    purse = dataclasses.replace(paying(State.SERVICE_CHOSEN), service_id="wmk", account="")
    assert show(catalog, terminal, purse).session.entry_prompt == "Enter the purse number"
    phone = dataclasses.replace(purse, service_id="beeline")
    assert show(catalog, terminal, phone).session.entry_prompt == "Enter the phone number"
    assert show(catalog, terminal, idle()).session.entry_prompt == ""
