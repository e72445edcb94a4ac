"""Every ending and every fault says what is actually known, in kk, ru and en: "accepted —
being credited" until the ledger answers, "credited" once it accepted, "not credited — held
for refund" when it rejected or the payment was below the minimum (docs/decisions/029). Pure
``view_of`` tests: the catalogue is installed on the application, no window."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.catalog_file import load_catalog
from kiosk.config import TerminalConfig, demo_config
from kiosk.domain.catalog import Catalog
from kiosk.domain.limits import WalletStatus
from kiosk.domain.money import Language, Money
from kiosk.session import Snapshot, State
from kiosk.store.lookups import CREDITED, HELD, PENDING, PaymentStatus
from sync.ledger.wallets import WalletSeed, WalletState, seed_wallets
from tests.ui.helpers import MakeScreen, Screen
from ui import texts
from ui.i18n import LanguageSwitch
from ui.views import CustomerView, UiState, found_text, settle, view_of

OPERATION = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")

# The words that tell each truth, per language (the catalogue's, checked here by meaning).
BEING_CREDITED = {
    "kk": "Қабылданды — есепке алынуда",
    "ru": "Принято — зачисляется",
    "en": "Accepted — being credited",
}
CREDITED_WORDS = {"kk": "Есепке алынды:", "ru": "Зачислено:", "en": "Credited:"}
NOT_CREDITED = {"kk": "Есепке алынбады", "ru": "Не зачислено", "en": "Not credited"}
HELD_FOR_REFUND = {
    "kk": "қайтару үшін ұсталып",
    "ru": "удержаны для возврата",
    "en": "held for a refund",
}
BELOW_MINIMUM = {"kk": "ең аз төлемнен", "ru": "меньше минимального", "en": "below the minimum"}
SAFE = {"kk": "тіркелді және сақтаулы", "ru": "учтены и в сохранности", "en": "recorded and safe"}
PRESS_PAY = {"kk": "«Төлеу»", "ru": "«Оплатить»", "en": "Press Pay"}
# Past tense "credited" may never stand beside "being credited".
PAST = {"kk": "Есепке алынды", "ru": "Зачислено", "en": "Credited"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory) -> TerminalConfig:
    return demo_config(Path(tmp_path_factory.mktemp("endings"))).terminal


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest, qapp: object) -> Iterator[Language]:
    switch = LanguageSwitch()
    lang: Language = request.param
    switch.install(lang)
    yield lang
    switch.install("en")


def done(language: Language, **changes: object) -> Snapshot:
    """A QPlus payment of 1 000 ₸ to +7 701 123 45 67 on its thanks screen."""
    base = Snapshot(
        State.DONE,
        True,
        (),
        True,
        language,
        operation_id=OPERATION,
        service_id="qplus",
        account="+77011234567",
        inserted=Money.tenge(1000),
        commission=Money.tenge(20),
        credited=Money.tenge(980),
        notes=(Money.tenge(1000),),
        receipt_number=41,
        printed=True,
        ledger_status=PENDING,
        min_amount=Money.tenge(100),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def show(catalog: Catalog, terminal: TerminalConfig, snapshot: Snapshot) -> CustomerView:
    ui = UiState()
    settle(ui, snapshot)
    return view_of(snapshot, ui, catalog, terminal, now=100.0)


def test_sent_but_unanswered_says_being_credited_never_credited(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    receipt = show(catalog, terminal, done(language)).receipt
    assert receipt.ending_state == texts.BEING_CREDITED
    assert receipt.status_text.startswith(BEING_CREDITED[language])
    assert PAST[language] not in receipt.status_text
    assert NOT_CREDITED[language] not in receipt.status_text


def test_the_ledgers_accepted_answer_says_credited(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    receipt = show(catalog, terminal, done(language, ledger_status=CREDITED)).receipt
    assert receipt.ending_state == texts.CREDITED
    assert receipt.status_text.startswith(CREDITED_WORDS[language])


@pytest.mark.parametrize("printed", [True, False], ids=["receipt", "no-receipt"])
def test_a_rejected_payment_says_not_credited_held_and_whom_to_call(
    catalog: Catalog, terminal: TerminalConfig, language: Language, printed: bool
) -> None:
    receipt = show(catalog, terminal, done(language, ledger_status=HELD, printed=printed)).receipt
    assert receipt.ending_state == texts.HELD
    assert receipt.status_text.startswith(NOT_CREDITED[language])
    assert HELD_FOR_REFUND[language] in receipt.status_text
    assert texts.unbroken(terminal.support_phone) in receipt.status_text
    assert BEING_CREDITED[language] not in receipt.status_text
    # The operation number to keep is on the screen with it, receipt or not.
    assert receipt.operation_number == OPERATION


def test_a_below_minimum_completion_is_held_before_the_ledger_answers(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    snapshot = done(
        language,
        inserted=Money.tenge(50),
        commission=Money.tenge(20),
        credited=Money.tenge(30),
        notes=(Money.tenge(50),),
        below_minimum=True,
    )
    receipt = show(catalog, terminal, snapshot).receipt
    assert receipt.ending_state == texts.HELD
    assert receipt.status_text.startswith(NOT_CREDITED[language])
    assert BELOW_MINIMUM[language] in receipt.status_text
    assert Money.tenge(100).format(language) in receipt.status_text
    assert texts.unbroken(terminal.support_phone) in receipt.status_text


def test_the_thanks_screen_shows_the_masked_account_and_the_amounts(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    receipt = show(catalog, terminal, done(language)).receipt
    assert receipt.account == "+7 701 *** ** 67"
    assert receipt.inserted == Money.tenge(1000).format(language)
    assert receipt.commission == Money.tenge(20).format(language)
    assert receipt.credited == Money.tenge(980).format(language)
    cash = show(catalog, terminal, done(language, state=State.ACCEPTING)).receipt
    assert cash.ending_state == cash.status_text == cash.account == cash.credited == ""


@pytest.mark.parametrize(
    ("ledger", "words"),
    [(PENDING, BEING_CREDITED), (CREDITED, CREDITED_WORDS), (HELD, NOT_CREDITED)],
)
def test_the_status_look_up_tells_the_same_three_truths(
    language: Language, ledger: str, words: dict[str, str]
) -> None:
    found = PaymentStatus(
        41,
        OPERATION,
        "qplus",
        "+77011234567",
        Money.tenge(980),
        0,
        ledger == CREDITED,
        True,
        Money.tenge(1000),
        ledger,
    )
    text = found_text(found, by_operation=False, language=language, support_phone="+7 727 1")
    phone = "+7\u00a0727\u00a01"
    assert text.split("\n")[1].startswith(words[language])
    assert (phone in text) is (ledger == HELD)
    below = dataclasses.replace(found, below_minimum=True)
    held = found_text(below, by_operation=False, language=language, support_phone="+7 727 1")
    assert held.split("\n")[1].startswith(NOT_CREDITED[language])


def jammed(language: Language, **changes: object) -> Snapshot:
    """1 500 ₸ in, the acceptor jammed: the kiosk is out of service for new payments."""
    base = done(
        language,
        state=State.ACCEPTING,
        in_service=False,
        out_of_service_reasons=("validator_jammed",),
        inserted=Money.tenge(1500),
        commission=Money.tenge(30),
        credited=Money.tenge(1470),
        notes=(Money.tenge(1000), Money.tenge(500)),
        max_more=Money.tenge(216336),
        limit_reason="balance_limit",
        enabled_notes=frozenset(),
        can_pay=True,
        receipt_number=None,
        printed=None,
        ledger_status="",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_jam_with_cash_in_says_the_money_is_safe_and_to_press_pay(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    view = show(catalog, terminal, jammed(language))
    assert view.frame.screen == "cash"  # the customer's session goes on: Pay credits it
    cash = view.cash
    assert cash.acceptor_fault and cash.can_pay
    assert Money.tenge(1500).format(language) in cash.fault_text
    assert SAFE[language] in cash.fault_text and PRESS_PAY[language] in cash.fault_text


def test_a_jam_below_the_minimum_says_the_payment_completes_itself(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    cash = show(catalog, terminal, jammed(language, can_pay=False)).cash
    assert SAFE[language] in cash.fault_text and PRESS_PAY[language] not in cash.fault_text


def test_no_fault_line_without_cash_or_without_a_fault(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    empty = show(catalog, terminal, jammed(language, notes=(), inserted=Money(0))).cash
    assert not empty.acceptor_fault and empty.fault_text == ""
    fine = show(
        catalog, terminal, jammed(language, in_service=True, out_of_service_reasons=())
    ).cash
    assert not fine.acceptor_fault and fine.fault_text == ""


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("validator_jammed", {"kk": "", "ru": "", "en": "The banknote acceptor is jammed."}),
        ("cassette_full", {"kk": "", "ru": "", "en": "The cash box is full."}),
        ("offline_limits", {"kk": "", "ru": "", "en": "No connection to the payment server"}),
    ],
)
def test_out_of_service_names_the_reason_the_terminal_and_the_phone(
    catalog: Catalog,
    terminal: TerminalConfig,
    language: Language,
    reason: str,
    words: dict[str, str],
) -> None:
    snapshot = Snapshot(State.IDLE, False, (reason,), True, language)
    view = show(catalog, terminal, snapshot)
    assert view.frame.screen == "out_of_service"
    assert view.frame.out_of_service_text  # plain words, never the reason's code
    assert reason not in view.frame.out_of_service_text
    assert words[language] in view.frame.out_of_service_text
    assert terminal.id in view.info.help_text and terminal.support_phone in view.info.help_text
    # Its status button opens the look-up although no payment can be taken.
    looked_up = UiState(page="status")
    assert view_of(snapshot, looked_up, catalog, terminal, now=0.0).frame.screen == "status"


def block_wallet(screen: Screen, service: str, account: str, state: WalletState) -> None:
    """The operator changes the wallet at the embedded ledger (as its registry file would)."""
    assert screen.demo.link is not None and screen.demo.link.embedded is not None
    ledger = screen.demo.link.embedded[0]
    seed = WalletSeed(service, account, WalletStatus.BASIC, state, "Aigerim Seitkali", 0)
    with ledger.engine.begin() as connection:
        seed_wallets(connection, ledger.catalog, [seed])


def check_purse(screen: Screen, purse: str) -> None:
    """A customer picks WMK, types the purse and confirms it, up to the checked screen."""
    screen.tap("category_ewallet")
    screen.wait_screen("catalog")
    screen.tap("service_wmk")
    screen.wait_screen("entry")
    screen.type_digits(purse[1:])
    screen.tap("nextButton")
    screen.wait_screen("confirm")
    screen.tap("confirmButton")
    screen.wait_screen("checked")


def test_the_thanks_screen_turns_to_not_credited_when_the_ledger_rejects(
    make_screen: MakeScreen,
) -> None:
    """The purse passes its check, then the operator blocks it before the payment arrives:
    the ledger rejects the payment, books its cash to suspense, and the thanks screen that
    said "being credited" says "not credited — held for refund" without a touch."""
    screen: Screen = make_screen()
    purse = "K123456789012"
    block_wallet(screen, "wmk", purse, WalletState.ACTIVE)
    check_purse(screen, purse)
    block_wallet(screen, "wmk", purse, WalletState.BLOCKED)
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    assert screen.text("paidAccount") == "K 1234 **** **12"
    assert screen.text("paidInserted") == Money.tenge(1000).format("en")
    assert screen.text("paidCommission") == Money.tenge(50).format("en")  # shown or not yet
    screen.wait_until(lambda: screen.text("paymentStatus").startswith("Not credited"))
    # Held: nothing is credited and no commission taken; the whole cash waits for a refund.
    assert screen.text("creditedTotal") == Money.tenge(1000).format("en")
    assert not screen.find("paidCommission").isVisible()
    shown = screen.text("paymentStatus")
    phone = texts.unbroken(screen.demo.config.terminal.support_phone)
    assert "held for a refund" in shown and phone in shown
    assert "being credited" not in shown
    assert screen.ui.kiosk.snapshot.ledger_status == HELD
    operation = screen.ui.kiosk.snapshot.operation_id
    assert operation is not None and screen.demo.link is not None
    audit = screen.demo.link.ledger_view([operation])["audit"]
    assert audit["rejected"] == 1 and audit["balanced"]  # the cash is in suspense, not lost


def test_the_thanks_screen_turns_to_credited_when_the_ledger_accepts(
    make_screen: MakeScreen,
) -> None:
    screen: Screen = make_screen(language="ru")
    purse = "K123456789012"
    block_wallet(screen, "wmk", purse, WalletState.ACTIVE)
    check_purse(screen, purse)
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    screen.wait_until(lambda: screen.text("paymentStatus").startswith("Зачислено:"))
    assert screen.ui.kiosk.snapshot.ledger_status == CREDITED
    assert screen.text("creditedTotal") == Money.tenge(950).format("ru")
    assert screen.find("paidCommission").isVisible()


def test_a_payment_made_offline_to_a_blocked_purse_turns_to_not_credited_when_the_link_is_back(
    make_screen: MakeScreen,
) -> None:
    """What tests/journeys/ledger_rejection.json plays: offline the number cannot be checked,
    the payment is queued; once the ledger is back it rejects it, and the screen says so."""
    screen: Screen = make_screen(language="ru")
    purse = "K123456789012"
    block_wallet(screen, "wmk", purse, WalletState.BLOCKED)
    link = screen.demo.link
    assert link is not None
    link.set_outage(True)
    check_purse(screen, purse)
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    screen.tap("payButton")
    screen.wait_screen("thanks")
    assert screen.text("paymentStatus").startswith("Принято — зачисляется")
    link.set_outage(False)
    screen.wait_until(lambda: screen.text("paymentStatus").startswith("Не зачислено"))
    assert "удержаны для возврата" in screen.text("paymentStatus")


def test_a_jam_with_cash_in_says_the_money_is_safe_and_pay_credits_it(
    make_screen: MakeScreen,
) -> None:
    """What tests/journeys/jam_with_cash.json plays, on the real window."""
    screen: Screen = make_screen()
    purse = "K123456789012"
    block_wallet(screen, "wmk", purse, WalletState.ACTIVE)
    check_purse(screen, purse)
    screen.tap("insertCashButton")
    screen.wait_screen("cash")
    screen.insert(1000)
    screen.demo.device.jam()
    screen.wait_until(lambda: screen.find("acceptorFault").isVisible())
    assert screen.text("acceptorFault") == (
        f"Your {Money.tenge(1000).format('en')} are recorded and safe. Press Pay to credit them."
    )
    assert not screen.find("maxMore").isVisible()  # no "insert more" beside "no more notes"
    screen.tap("payButton")
    screen.wait_screen("thanks")
    assert screen.text("creditedTotal") == Money.tenge(950).format("en")
    screen.tap("doneButton")
    screen.wait_screen("out_of_service")
    assert "The banknote acceptor is jammed." in screen.text("outOfServiceReason")
    help_text = screen.text("outOfServiceHelp")
    terminal = screen.demo.config.terminal
    assert terminal.id in help_text and terminal.support_phone in help_text
    screen.tap("statusButton")
    screen.wait_screen("status")
    screen.demo.device.clear()


def cash_screen(language: Language, service: str = "qplus", **changes: object) -> Snapshot:
    """The cash screen before the first note."""
    base = done(
        language,
        state=State.ACCEPTING,
        service_id=service,
        inserted=Money(0),
        commission=Money(0),
        credited=Money(0),
        notes=(),
        receipt_number=None,
        printed=None,
        ledger_status="",
        enabled_notes=frozenset({20000, 50000, 100000}),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


NO_CHANGE = {
    "kk": "Қайтарым берілмейді; салынған ақша қайтарылмайды.",
    "ru": "Сдача не выдаётся; внесённые деньги не возвращаются.",
    "en": "Change is not given; money inserted cannot be returned.",
}


def test_the_empty_cash_screen_shows_the_whole_price_and_no_refund_before_the_first_note(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    cash = show(catalog, terminal, cash_screen(language)).cash
    rule = catalog.get("qplus").commission.describe(language)
    assert rule in cash.commission_rule and "2\u00a0%" in rule and "20\u00a0₸" in rule
    assert cash.no_change_text == NO_CHANGE[language]
    free = show(catalog, terminal, cash_screen(language, "kaspi")).cash
    assert (
        free.commission_rule
        == {"kk": "Комиссиясыз", "ru": "Без комиссии", "en": "No commission"}[language]
    )


def test_a_greyed_pay_says_why(
    catalog: Catalog, terminal: TerminalConfig, language: Language
) -> None:
    empty = show(catalog, terminal, cash_screen(language)).cash
    assert not empty.can_pay and empty.pay_hint
    below = show(
        catalog,
        terminal,
        cash_screen(language, inserted=Money.tenge(50), notes=(Money.tenge(50),)),
    ).cash
    assert Money.tenge(100).format(language) in below.pay_hint and below.pay_hint != empty.pay_hint
    counting = show(catalog, terminal, cash_screen(language, note_in_progress=True)).cash
    assert counting.pay_hint not in ("", empty.pay_hint)
    ready = show(
        catalog,
        terminal,
        cash_screen(language, inserted=Money.tenge(500), notes=(Money.tenge(500),), can_pay=True),
    ).cash
    assert ready.can_pay and ready.pay_hint == ""
