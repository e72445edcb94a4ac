"""What the customer screens show, as plain frozen data: ``view_of`` turns a core snapshot and
what the window keeps between snapshots (the page, the digits typed, the last answers) into a
``CustomerView``. No QObject here: the screens' words and amounts are tested without a window,
and the Qt view-model only copies these values into its properties (docs/decisions/026)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.config import TerminalConfig
from kiosk.domain.accounts import AccountWarning, format_account, warning_text
from kiosk.domain.catalog import Catalog, Category, Service
from kiosk.domain.clock import KZ_TIME
from kiosk.domain.commission import CommissionProfile
from kiosk.domain.money import Language, Money
from kiosk.domain.privacy import mask_account
from kiosk.payment import PRINTABLE_STATES
from kiosk.receipts import status_link
from kiosk.session import Attention, Snapshot, State
from kiosk.store.lookups import PaymentStatus
from ui import texts

# Pages the UI keeps while the core is idle (the core has no session then).
IDLE_PAGES = frozenset({"idle", "catalog", "info", "status"})
# Shown before the core's first snapshot has reached the window: no screen at all.
STARTING = "starting"
_SESSION_SCREENS = {
    State.SERVICE_CHOSEN: "entry",
    State.ACCOUNT_ENTERED: "entry",
    State.ACCOUNT_CHECKED: "checked",
    State.ACCEPTING: "cash",
    State.PAYING: "printing",
    State.RECEIPT: "printing",
    State.DONE: "thanks",
}


@dataclass
class UiState:
    """What the window keeps that the core does not: the idle-time page, the digits being
    typed, the answers to the last intents. Changed on the GUI thread only."""

    page: str = "idle"
    category: str = Category.EWALLET.value
    digits: str = ""
    entry_mode: str = "entry"  # ``confirm`` once a valid number was typed
    entry_refused: bool = False  # the last key was one digit too many: said, not dropped
    account_error: str = ""
    account_warning: str = ""  # an ``AccountWarning`` on the number taken, "" for none
    check_error: str = ""
    holder: str = ""
    checked_offline: bool = False
    busy: bool = False  # an intent that takes a while (check, pay, reprint) is running
    status_digits: str = ""
    status_amount: str | None = None  # receipt mode: None until the number is in
    status_answer: str = ""
    status_mode: str = "receipt"  # or "operation": what the customer types
    status_found: PaymentStatus | None = None


@dataclass(frozen=True)
class FrameView:
    """Around every screen: which one shows, its language, the banners and the overlay."""

    screen: str
    language: str
    busy: bool
    online: bool
    offline_text: str
    out_of_service_text: str
    attention: str
    countdown: int
    maintenance_notice: str = ""  # a planned maintenance, announced on the idle screen


@dataclass(frozen=True)
class ServiceItem:
    """One service tile: its name and its price in short, before anything is typed."""

    id: str
    name: str
    price: str


@dataclass(frozen=True)
class MenuView:
    """The catalogue pages."""

    category: str
    services: tuple[ServiceItem, ...]
    # The start screen's category tiles: "No commission" when no service of it takes any,
    # else "" (each service's tile, one tap on, says its own rate).
    ewallet_price: str
    mobile_price: str


@dataclass(frozen=True)
class SessionView:
    """The service and the number being paid to (entry, confirm and checked screens)."""

    service_name: str
    mask: str
    entry_prompt: str  # a purse number or a phone number, as the mask says
    entry_shown: str
    entry_full: bool
    entry_hint: str  # how a first 8 or 7 was read
    entry_notice: str  # the number is complete: the last key did nothing
    account_error: str
    account: str
    account_warning: str  # e.g. a Kcell number under Beeline: shown before "Correct"
    warning_hint: str  # what the confirm screen's buttons do about the warning
    check_error: str
    holder: str
    checked_offline: bool
    min_amount: str
    # The price before the cash, on the checked screen: the whole rule and no refund.
    commission_rule: str
    no_change_text: str


@dataclass(frozen=True)
class CashView:
    """The cash screen's amounts and buttons."""

    inserted: str
    commission: str
    credited: str
    has_cash: bool
    # The one line about the limit: how much more can be credited (whole tenge), that the
    # limit is reached (and Pay), that the wallet takes no more; "" when nothing is said.
    limit_line: str
    wallet_full_text: str
    accepted_notes: str
    returned_text: str
    can_pay: bool
    can_cancel: bool
    note_in_progress: bool
    # The acceptor failed with cash in: the money is safe and Pay credits it; no "insert
    # more" line beside it then (acceptor_fault true hides it).
    acceptor_fault: bool
    fault_text: str
    # The price before the cash, and why a greyed Pay is grey (empty when it is not).
    commission_rule: str
    no_change_text: str
    pay_hint: str


@dataclass(frozen=True)
class ReceiptView:
    """The receipt: the choice when none can be printed, and the thanks screen."""

    receipt_number: str
    operation_number: str
    operation_qr: str
    printed_text: str
    receipt_choice: bool
    receipt_problem: str
    without_receipt_text: str
    status_text: str
    # The ending's truth (texts.BEING_CREDITED, CREDITED, HELD; "" before the end) and the
    # payment's amounts, the account masked as the status look-up shows it.
    ending_state: str
    account: str
    inserted: str
    commission: str
    credited: str


@dataclass(frozen=True)
class StatusView:
    """The payment status look-up (an idle-time page)."""

    digits: str
    amount: str
    asks_amount: bool
    mode: str
    answer: str
    can_reprint: bool


@dataclass(frozen=True)
class InfoView:
    """The terminal's owner and address (info and out-of-service screens)."""

    terminal_id: str
    address: str
    agent_name: str
    agent_bin: str
    support_phone: str
    help_text: str  # the terminal number and the support phone, in one line


@dataclass(frozen=True)
class CustomerView:
    """Everything the customer screens show, by screen group."""

    frame: FrameView
    menu: MenuView
    session: SessionView
    cash: CashView
    receipt: ReceiptView
    status: StatusView
    info: InfoView


def screen_for(snapshot: Snapshot, page: str, entry_mode: str) -> str:
    """Which screen shows for a core snapshot, the UI's idle-time page and its entry mode
    (``confirm`` once a valid number was typed, ``entry`` while the customer edits it)."""
    if snapshot.state in (State.IDLE, State.CANCELLED):
        if not snapshot.in_service:
            # The status look-up works out of service too: a customer with a receipt asks.
            return "status" if page == "status" else "out_of_service"
        return page if page in IDLE_PAGES else "idle"
    if snapshot.state is State.ACCOUNT_ENTERED and entry_mode == "confirm":
        return "confirm"
    if snapshot.state is State.ACCOUNT_CHECKED and entry_mode == "entry":
        return "entry"
    return _SESSION_SCREENS[snapshot.state]


def settle(ui: UiState, snapshot: Snapshot) -> None:
    """The window's own state after a snapshot: no session means an idle page, and a
    session not past its number yet means the number is being edited."""
    if snapshot.state in (State.IDLE, State.CANCELLED) and ui.page not in IDLE_PAGES:
        ui.page = "idle"
    if snapshot.state in (State.IDLE, State.CANCELLED, State.SERVICE_CHOSEN):
        ui.entry_mode = "entry"


def countdown(snapshot: Snapshot, now: float) -> int:
    """Whole seconds left before the core acts on the customer's silence (0: no overlay)."""
    if snapshot.attention is Attention.NONE or snapshot.attention_deadline is None:
        return 0
    return max(0, int(snapshot.attention_deadline - now + 0.999))


def found_text(
    found: PaymentStatus | None,
    *,
    by_operation: bool,
    language: Language,
    support_phone: str = "",
) -> str:
    """The status look-up's answer: what the ledger answered so far. The account is
    masked: a receipt number is no proof of who paid (docs/decisions/016)."""
    answer = texts.payment_status_text(
        found is not None,
        texts.ending_state(found.ledger, found.below_minimum)
        if found is not None
        else texts.BEING_CREDITED,
        by_operation=by_operation,
        support_phone=support_phone,
    )
    if found is None:
        return answer
    which = f"№ {found.receipt_number}: " if by_operation else ""
    account = texts.unbroken(mask_account(found.account))
    return f"{which}{found.credited.format(language)} → {account}\n{answer}"


def view_of(
    snapshot: Snapshot,
    ui: UiState,
    catalog: Catalog,
    terminal: TerminalConfig,
    *,
    now: float,
    starting: bool = False,
) -> CustomerView:
    """What the screens show for this snapshot; ``now`` is the clock's monotonic reading
    (the countdown), ``starting`` holds every screen back until the core has spoken."""
    lang = snapshot.language
    service = catalog.get(snapshot.service_id) if snapshot.service_id else None
    return CustomerView(
        frame=FrameView(
            screen=STARTING if starting else screen_for(snapshot, ui.page, ui.entry_mode),
            language=lang,
            busy=ui.busy,
            online=snapshot.online,
            offline_text="" if snapshot.online else texts.offline_text(),
            out_of_service_text=texts.out_of_service_text(snapshot.out_of_service_reasons),
            attention=snapshot.attention.value,
            countdown=countdown(snapshot, now),
            maintenance_notice=""
            if snapshot.maintenance_notice_at is None
            else texts.maintenance_notice_text(clock_text(snapshot.maintenance_notice_at / 1000)),
        ),
        menu=MenuView(
            ui.category,
            tuple(
                ServiceItem(s.id, s.name(lang), commission_short(s, lang))
                for s in catalog.by_category(Category(ui.category))
            ),
            ewallet_price=category_price(catalog, Category.EWALLET),
            mobile_price=category_price(catalog, Category.MOBILE),
        ),
        session=_session_view(snapshot, ui, service),
        cash=_cash_view(snapshot, ui, service),
        receipt=_receipt_view(snapshot, terminal),
        status=_status_view(snapshot, ui),
        info=InfoView(
            terminal.id,
            terminal.address_in(lang),
            terminal.agent_name_in(lang),
            terminal.agent_bin,
            terminal.support_phone,
            texts.out_of_service_help(terminal.id, terminal.support_phone),
        ),
    )


def _session_view(snap: Snapshot, ui: UiState, service: Service | None) -> SessionView:
    lang = snap.language
    mask = service.input_mask if service else ""
    entry = texts.typed_entry(mask, ui.digits)
    warning = (
        warning_text(AccountWarning(ui.account_warning), snap.language)
        if ui.account_warning and snap.account
        else ""
    )
    return SessionView(
        service_name=service.name(lang) if service else "",
        mask=mask,
        entry_prompt=texts.entry_prompt_text(mask) if service else "",
        entry_shown=entry.shown,
        entry_full=entry.full,
        entry_hint=entry.hint,
        entry_notice=texts.number_complete_text(mask) if ui.entry_refused else "",
        account_error=ui.account_error,
        account=format_account(snap.account) if snap.account else "",
        account_warning=warning,
        warning_hint=texts.operator_warning_hint() if warning else "",
        check_error=ui.check_error,
        holder=ui.holder,
        checked_offline=ui.checked_offline,
        min_amount=service.min_amount.format(lang) if service else "",
        commission_rule=_commission_rule(service, lang),
        no_change_text=texts.no_change_text() if service else "",
    )


def _cash_view(snap: Snapshot, ui: UiState, service: Service | None) -> CashView:
    lang = snap.language
    returned = snap.last_returned
    returned_text = ""
    if returned:
        returned_text = texts.returned_note_text(returned.reason) + (
            f" ({returned.amount.format(lang)})" if returned.amount else ""
        )
    fault = bool(snap.notes) and any(
        reason.startswith("validator_") for reason in snap.out_of_service_reasons
    )
    return CashView(
        inserted=snap.inserted.format(lang),
        commission=snap.commission.format(lang),
        credited=snap.credited.format(lang),
        has_cash=bool(snap.notes),
        limit_line=limit_line(snap, service, fault),
        wallet_full_text=texts.wallet_full_text() if snap.wallet_full else "",
        accepted_notes=", ".join(Money(n).format(lang) for n in sorted(snap.enabled_notes)),
        returned_text=returned_text,
        can_pay=snap.can_pay and not ui.busy,
        can_cancel=snap.can_cancel and not ui.busy,
        note_in_progress=snap.note_in_progress,
        acceptor_fault=fault,
        fault_text=(
            texts.acceptor_fault_text(snap.inserted.format(lang), snap.can_pay) if fault else ""
        ),
        commission_rule=_commission_rule(service, lang),
        no_change_text=texts.no_change_text(),
        pay_hint=_pay_hint(snap, service),
    )


def _is_free(profile: CommissionProfile) -> bool:
    return all(not (t.percent_bp or t.fixed or t.minimum) for t in profile.tiers)


def _commission_rule(service: Service | None, lang: Language) -> str:
    if service is None:
        return ""
    profile = service.commission
    return texts.commission_rule_text(profile.describe(lang), _is_free(profile))


def commission_short(service: Service, lang: Language) -> str:
    """A tile's price in short: the first tier's rate (what a small payment pays) and, for
    a tiered profile, from where it is lower; the whole rule is on the next screens."""
    profile = service.commission
    first = CommissionProfile(profile.id, profile.tiers[:1]).describe(lang)
    lower_from = profile.tiers[1].from_inserted.format(lang) if len(profile.tiers) > 1 else ""
    return texts.commission_short_text(first, lower_from, _is_free(profile))


def category_price(catalog: Catalog, category: Category) -> str:
    """A category tile's price: said only when it is the same for every service in it."""
    services = catalog.by_category(category)
    if services and all(_is_free(s.commission) for s in services):
        return texts.commission_short_text("", "", True)
    return ""


def credit_more(snap: Snapshot, service: Service) -> Money:
    """How much more the payment can credit before the shown limit, in whole tenge (down).

    ``snap.max_more`` is in *inserted* terms (kiosk.domain.limits): the cash still taken
    under the public caps; what the account gets of it is after the commission, so the line
    says the credit, never the cash, and never a tiyn the customer cannot insert."""
    profile = service.commission
    more = profile.credited(snap.inserted + snap.max_more) - profile.credited(snap.inserted)
    return Money.tenge(max(0, more.whole_tenge))


def limit_line(snap: Snapshot, service: Service | None, fault: bool) -> str:
    """The cash screen's one line about the limit ("" when the acceptor failed: the fault
    line speaks then, and before the session accepts cash)."""
    if service is None or fault or snap.state is not State.ACCEPTING:
        return ""
    if snap.wallet_full:
        return texts.wallet_full_text()  # the wallet's own room: never a figure (016)
    if not snap.enabled_notes:
        if snap.out_of_service_reasons:
            return ""  # no note is taken for another reason: the screen says which
        return texts.limit_reached_text(snap.can_pay)
    return texts.limit_line_text(
        credit_more(snap, service).format(snap.language), snap.limit_reason
    )


def _pay_hint(snap: Snapshot, service: Service | None) -> str:
    """Why Pay is grey: only while the customer can still do something about it."""
    if snap.can_pay or service is None or snap.state is not State.ACCEPTING:
        return ""
    if snap.out_of_service_reasons and snap.notes:
        return ""  # the fault line says what happens to the cash
    return texts.pay_disabled_text(
        has_cash=bool(snap.notes),
        counting=snap.note_in_progress,
        minimum=service.min_amount.format(snap.language),
    )


def _receipt_view(snap: Snapshot, terminal: TerminalConfig) -> ReceiptView:
    done = snap.state is State.DONE
    lang = snap.language
    state = texts.ending_state(snap.ledger_status, snap.below_minimum) if done else ""
    below = snap.min_amount.format(lang) if done and snap.below_minimum else ""
    return ReceiptView(
        receipt_number=str(snap.receipt_number or ""),
        # Only the payer sees it: with it the status screen prints the receipt whole.
        operation_number=(snap.operation_id or "") if done else "",
        # The receipt's QR code, on the screen too: scanned, it opens the payment's status.
        operation_qr=(
            status_link(terminal.status_url, snap.operation_id)
            if done and snap.operation_id
            else ""
        ),
        printed_text=texts.printed_text(snap.printed) if done else "",
        receipt_choice=snap.receipt_choice,
        receipt_problem=(
            texts.printer_problem_text(snap.printer_state) if snap.receipt_choice else ""
        ),
        without_receipt_text=texts.without_receipt_text() if snap.receipt_choice else "",
        status_text=(
            texts.ending_text(state, terminal.support_phone, below_minimum=below) if done else ""
        ),
        ending_state=state,
        account=mask_account(snap.account) if done and snap.account else "",
        inserted=snap.inserted.format(lang) if done else "",
        commission=snap.commission.format(lang) if done else "",
        credited=snap.credited.format(lang) if done else "",
    )


def _status_view(snap: Snapshot, ui: UiState) -> StatusView:
    found = ui.status_found
    return StatusView(
        digits=(
            ui.status_digits
            if ui.status_mode == "receipt"
            else texts.group_operation(ui.status_digits)
        ),
        amount=ui.status_amount if ui.status_amount is not None else "",
        asks_amount=ui.status_amount is not None,
        mode=ui.status_mode,
        answer=ui.status_answer,
        # The core refuses the rest (print_missing_receipt); the button shows only when it
        # can work.
        can_reprint=(
            found is not None
            and not found.printed
            and snap.printer_state in PRINTABLE_STATES
            and not ui.busy
        ),
    )


# -- the frame that orients: the step, the footer, large text, the attract layer ----------
# (kept apart from the screens' views above: ``kiosk.guide`` in QML)

# The payment's four steps as the step indicator names them; 0 is "no indicator".
STEPS = ("service", "number", "cash", "receipt")
_STEP_OF_SCREEN = {
    "catalog": 1,
    "entry": 2,
    "confirm": 2,
    "checked": 2,
    "cash": 3,
    "printing": 4,
    "thanks": 4,
}
# Kiosk-clock seconds on the untouched idle screen before the attract layer shows.
ATTRACT_AFTER_S = 60.0
LARGE_TEXT_PERCENT = 130  # about 1.3 times the normal font sizes
# The attract layer speaks all three languages at once: nobody has chosen one yet.
ATTRACT_CALL = (
    "Төлеу үшін экранды түртіңіз",
    "Коснитесь экрана, чтобы оплатить",
    "Touch the screen to pay",
)
# The tenge notes in circulation the acceptor takes (the session enables those that fit).
ACCEPTED_NOTES_TENGE = (200, 500, 1000, 2000, 5000, 10000, 20000)
_NBSP = "\u00a0"


@dataclass
class GuideState:
    """What the frame keeps between snapshots: the large-text choice (one customer's) and
    when the customer last touched the screen (kiosk clock, monotonic seconds)."""

    large_text: bool = False
    touched_at: float = 0.0


@dataclass(frozen=True)
class GuideView:
    """Around every customer screen: the payment step, the footer, large text, attract."""

    step: int  # 1..4 (STEPS), 0 where no payment is under way
    terminal_id: str
    support_phone: str  # with non-breaking spaces: a phone number is never split
    clock: str  # HH:MM, Kazakhstan time, from the kiosk's clock
    large_text: bool
    text_percent: int  # 130 or 100: the theme's font sizes, in per cent of normal
    attract: bool
    attract_call: str  # one line per language
    attract_names: str  # the services, one line, " · " between them
    accepted_notes: str


def step_of(screen: str) -> int:
    """Which step of service → number → cash → receipt a screen is (0: none; the idle
    pages, the status look-up, out of service and the service menu are not a payment)."""
    return _STEP_OF_SCREEN.get(screen, 0)


def clock_text(unix_seconds: float) -> str:
    """The footer's clock: local hours and minutes (Kazakhstan, as on the receipts)."""
    return datetime.fromtimestamp(unix_seconds, UTC).astimezone(KZ_TIME).strftime("%H:%M")


def unbroken(text: str) -> str:
    """Spaces made non-breaking: a phone number wraps whole or not at all."""
    return text.replace(" ", _NBSP)


def attract_due(screen: str, service_open: bool, idle_for: float) -> bool:
    """The attract layer shows only over the untouched idle screen: never over a session
    (it has no money then: the idle screen has no session) nor over the service menu."""
    return screen == "idle" and not service_open and idle_for >= ATTRACT_AFTER_S


def session_ended(before: State, after: State) -> bool:
    """A session went back to idle: the next customer starts with normal text."""
    idle = (State.IDLE, State.CANCELLED)
    return before not in idle and after in idle


def guide_of(
    screen: str,
    guide: GuideState,
    catalog: Catalog,
    terminal: TerminalConfig,
    language: Language,
    *,
    now: float,
    monotonic: float,
    service_open: bool = False,
) -> GuideView:
    """The frame's aids for this screen; ``now`` is wall time (the clock), ``monotonic``
    the kiosk clock's reading the touches were stamped with."""
    attract = attract_due(screen, service_open, monotonic - guide.touched_at)
    return GuideView(
        step=step_of(screen),
        terminal_id=terminal.id,
        support_phone=unbroken(terminal.support_phone),
        clock=clock_text(now),
        large_text=guide.large_text,
        text_percent=LARGE_TEXT_PERCENT if guide.large_text else 100,
        attract=attract,
        attract_call="\n".join(ATTRACT_CALL),
        attract_names=" · ".join(s.name(language) for s in catalog.services) if attract else "",
        accepted_notes=" · ".join(
            unbroken(Money.tenge(n).format(language)) for n in ACCEPTED_NOTES_TENGE
        ),
    )
