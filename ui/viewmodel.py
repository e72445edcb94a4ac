"""The customer view-model: core snapshots in (through a queued signal), screen state and
words out, customer intents forwarded to the core thread. QML only draws what is here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.checks import CheckResult
from kiosk.config import TerminalConfig
from kiosk.core import KioskCore, NotAllowed, NotAvailable
from kiosk.domain.accounts import AccountValidation, format_account
from kiosk.domain.catalog import Catalog, Category
from kiosk.domain.clock import Clock
from kiosk.domain.money import Language, Money
from kiosk.domain.privacy import LookupLocked, mask_account
from kiosk.logs import log_event
from kiosk.payment import PRINTABLE_STATES
from kiosk.receipts import status_link
from kiosk.runtime import CoreThread
from kiosk.session import Attention, Snapshot, State, TransitionError
from kiosk.store.lookups import AmbiguousOperation, PaymentStatus
from ui import texts
from ui.i18n import LANGUAGES, LanguageSwitch

log = logging.getLogger("ui.viewmodel")

# Pages the UI keeps while the core is idle (the core has no session then).
IDLE_PAGES = frozenset({"idle", "catalog", "info", "status"})
_SESSION_SCREENS = {
    State.SERVICE_CHOSEN: "entry", State.ACCOUNT_ENTERED: "entry",
    State.ACCOUNT_CHECKED: "checked", State.ACCEPTING: "cash", State.PAYING: "printing",
    State.RECEIPT: "printing", State.DONE: "thanks",
}
_INTENT_ERRORS = (TransitionError, NotAllowed, NotAvailable)
RECEIPT_DIGITS_MAX = 9
OPERATION_DIGITS = 32  # a UUID's hex digits; the dashes are put in by the screen
AMOUNT_DIGITS_MAX = 7  # whole tenge: a payment's cash is below ten million


def screen_for(snapshot: Snapshot, page: str, entry_mode: str) -> str:
    """Which screen shows for a core snapshot, the UI's idle-time page and its entry mode
    (``confirm`` once a valid number was typed, ``entry`` while the customer edits it)."""
    if snapshot.state in (State.IDLE, State.CANCELLED):
        if not snapshot.in_service:
            return "out_of_service"
        return page if page in IDLE_PAGES else "idle"
    if snapshot.state is State.ACCOUNT_ENTERED and entry_mode == "confirm":
        return "confirm"
    if snapshot.state is State.ACCOUNT_CHECKED and entry_mode == "entry":
        return "entry"
    return _SESSION_SCREENS[snapshot.state]


def _prop(name: str, kind: type, notify: Signal) -> Any:
    return Property(kind, lambda self: self._view[name], notify=notify)


class KioskViewModel(QObject):
    """Everything the customer screens show, as properties of one object (``kiosk`` in QML)."""

    changed = Signal()
    snapshotArrived = Signal(object)  # noqa: N815 - Qt naming
    _intentDone = Signal(object, object)  # noqa: N815 - (callback, future), to the GUI thread

    def __init__(self, runner: CoreThread, catalog: Catalog, terminal: TerminalConfig, *,
                 clock: Clock, languages: LanguageSwitch | None = None,
                 retranslate: Callable[[], None] = lambda: None) -> None:
        super().__init__()
        self.runner = runner
        self.core: KioskCore = runner.core
        self.catalog = catalog
        self.terminal = terminal
        self.clock = clock
        self.languages = languages or LanguageSwitch()
        self.retranslate = retranslate  # the QML engine's: qsTr() bindings run again
        self._page = "idle"
        self._category = Category.EWALLET.value
        self._digits = ""
        self._entry_mode = "entry"
        self._account_error = ""
        self._check_error = ""
        self._holder = ""
        self._checked_offline = False
        self._busy = False
        self._status_digits = ""
        self._status_amount: str | None = None  # receipt mode: None until the number is in
        self._status_answer = ""
        self._status_mode = "receipt"  # or "operation": what the customer types
        self._status_found: PaymentStatus | None = None
        self._snapshot: Snapshot = runner.call(self.core.snapshot)
        self._language: Language = self._snapshot.language
        self._view: dict[str, Any] = {}
        self.snapshotArrived.connect(self._on_snapshot, Qt.ConnectionType.QueuedConnection)
        self._intentDone.connect(self._on_intent_done, Qt.ConnectionType.QueuedConnection)
        self.languages.install(self._language)
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._rebuild)
        self.core.subscribe(self.snapshotArrived.emit)  # runs on the core thread: queued
        self._rebuild()

    # -- core thread plumbing -------------------------------------------------------------
    def _submit(self, done: Callable[[Future[Any]], None], fn: Callable[..., Any],
                *args: Any) -> None:
        """Run an intent on the core thread; ``done`` runs on the GUI thread afterwards."""
        self._busy = True
        future = self.runner.submit(fn, *args)
        future.add_done_callback(lambda f: self._intentDone.emit(done, f))
        self._rebuild()

    @Slot(object, object)
    def _on_intent_done(self, done: Callable[[Future[Any]], None], future: Future[Any]) -> None:
        self._busy = False
        if self.runner.stopped:
            return  # the window is closing: the answer has no screen to go to
        try:
            done(future)
        except _INTENT_ERRORS as exc:
            log_event(log, "intent refused", logging.WARNING, error=str(exc))
        self._snapshot = self.runner.call(self.core.snapshot)
        self._rebuild()

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A quick intent, waited for; a refusal is logged and the screen stays consistent."""
        try:
            return self.runner.call(fn, *args, timeout=10.0)
        except _INTENT_ERRORS as exc:
            log_event(log, "intent refused", logging.WARNING, error=str(exc))
            return None
        finally:
            self._snapshot = self.runner.call(self.core.snapshot)

    @Slot(object)
    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        if snapshot.catalog is not None:
            self.catalog = snapshot.catalog  # the core swaps catalogs between customers only
        self._rebuild()

    # -- building the view ----------------------------------------------------------------
    def _rebuild(self) -> None:
        snap = self._snapshot
        lang = snap.language
        if snap.state in (State.IDLE, State.CANCELLED) and self._page not in IDLE_PAGES:
            self._page = "idle"
        if snap.state in (State.IDLE, State.CANCELLED, State.SERVICE_CHOSEN):
            self._entry_mode = "entry"
        service = self.catalog.get(snap.service_id) if snap.service_id else None
        mask = service.input_mask if service else ""
        entry = texts.fill_mask(mask, self._digits)
        returned = snap.last_returned
        remaining = 0
        if snap.attention is not Attention.NONE and snap.attention_deadline is not None:
            remaining = max(0, int(snap.attention_deadline - self.clock.monotonic() + 0.999))
            if not self._countdown.isActive():
                self._countdown.start()
        elif self._countdown.isActive():
            self._countdown.stop()
        self._view = {
            "screen": screen_for(snap, self._page, self._entry_mode),
            "language": lang,
            "busy": self._busy,
            "online": snap.online,
            "offlineText": "" if snap.online else texts.offline_text(),
            "outOfServiceText": texts.out_of_service_text(snap.out_of_service_reasons),
            "category": self._category,
            "services": [
                {"id": s.id, "name": s.name(lang)}
                for s in self.catalog.by_category(Category(self._category))
            ],
            "serviceName": service.name(lang) if service else "",
            "mask": mask,
            "entryShown": entry.shown,
            "entryFull": entry.full,
            "accountError": self._account_error,
            "account": format_account(snap.account) if snap.account else "",
            "checkError": self._check_error,
            "holder": self._holder,
            "checkedOffline": self._checked_offline,
            "minAmount": service.min_amount.format(lang) if service else "",
            "inserted": snap.inserted.format(lang),
            "commission": snap.commission.format(lang),
            "credited": snap.credited.format(lang),
            "hasCash": bool(snap.notes),
            "maxMore": snap.max_more.format(lang),
            "limitText": texts.limit_reason_text(snap.limit_reason),
            "walletFullText": texts.wallet_full_text() if snap.wallet_full else "",
            "acceptedNotes": ", ".join(Money(n).format(lang) for n in sorted(snap.enabled_notes)),
            "returnedText": (texts.returned_note_text(returned.reason)
                             + (f" ({returned.amount.format(lang)})" if returned.amount else "")
                             ) if returned else "",
            "canPay": snap.can_pay and not self._busy,
            "canCancel": snap.can_cancel and not self._busy,
            "noteInProgress": snap.note_in_progress,
            "attention": snap.attention.value,
            "countdown": remaining,
            "receiptNumber": str(snap.receipt_number or ""),
            # Only the payer sees it: with it the status screen prints the receipt whole.
            "operationNumber": (snap.operation_id or "") if snap.state is State.DONE else "",
            # The receipt's QR code, on the screen too: scanned, it opens the payment's status.
            "operationQr": (status_link(self.terminal.status_url, snap.operation_id)
                            if snap.state is State.DONE and snap.operation_id else ""),
            "printedText": texts.printed_text(snap.printed) if snap.state is State.DONE else "",
            "receiptChoice": snap.receipt_choice,
            "receiptProblem": (texts.printer_problem_text(snap.printer_state)
                               if snap.receipt_choice else ""),
            "withoutReceiptText": texts.without_receipt_text() if snap.receipt_choice else "",
            # The core refuses the rest (print_missing_receipt); the button shows only when
            # it can work.
            "canReprint": (self._status_found is not None and not self._status_found.printed
                           and snap.printer_state in PRINTABLE_STATES and not self._busy),
            "statusText": texts.status_text() if snap.state is State.DONE else "",
            "statusDigits": (self._status_digits if self._status_mode == "receipt"
                             else texts.group_operation(self._status_digits)),
            "statusAmount": self._status_amount if self._status_amount is not None else "",
            "statusAsksAmount": self._status_amount is not None,
            "statusMode": self._status_mode,
            "statusAnswer": self._status_answer,
            "terminalId": self.terminal.id,
            "terminalAddress": self.terminal.address,
            "agentName": self.terminal.agent_name,
            "agentBin": self.terminal.agent_bin,
            "supportPhone": self.terminal.support_phone,
        }
        self.changed.emit()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def preview(self, snapshot: Snapshot) -> None:
        """Draw a made-up snapshot (screenshots of passing states); the core's next one
        replaces it."""
        self._snapshot = snapshot
        self._rebuild()

    def resync(self) -> None:
        """Back to the core's own state after a preview."""
        self._snapshot = self.runner.call(self.core.snapshot)
        self._rebuild()

    screen = _prop("screen", str, changed)
    language = _prop("language", str, changed)
    busy = _prop("busy", bool, changed)
    online = _prop("online", bool, changed)
    offlineText = _prop("offlineText", str, changed)  # noqa: N815
    outOfServiceText = _prop("outOfServiceText", str, changed)  # noqa: N815
    category = _prop("category", str, changed)
    services = _prop("services", list, changed)
    serviceName = _prop("serviceName", str, changed)  # noqa: N815
    mask = _prop("mask", str, changed)
    entryShown = _prop("entryShown", str, changed)  # noqa: N815
    entryFull = _prop("entryFull", bool, changed)  # noqa: N815
    accountError = _prop("accountError", str, changed)  # noqa: N815
    account = _prop("account", str, changed)
    checkError = _prop("checkError", str, changed)  # noqa: N815
    holder = _prop("holder", str, changed)
    checkedOffline = _prop("checkedOffline", bool, changed)  # noqa: N815
    minAmount = _prop("minAmount", str, changed)  # noqa: N815
    inserted = _prop("inserted", str, changed)
    commission = _prop("commission", str, changed)
    credited = _prop("credited", str, changed)
    hasCash = _prop("hasCash", bool, changed)  # noqa: N815
    maxMore = _prop("maxMore", str, changed)  # noqa: N815
    limitText = _prop("limitText", str, changed)  # noqa: N815
    walletFullText = _prop("walletFullText", str, changed)  # noqa: N815
    acceptedNotes = _prop("acceptedNotes", str, changed)  # noqa: N815
    returnedText = _prop("returnedText", str, changed)  # noqa: N815
    canPay = _prop("canPay", bool, changed)  # noqa: N815
    canCancel = _prop("canCancel", bool, changed)  # noqa: N815
    noteInProgress = _prop("noteInProgress", bool, changed)  # noqa: N815
    attention = _prop("attention", str, changed)
    countdown = _prop("countdown", int, changed)
    receiptNumber = _prop("receiptNumber", str, changed)  # noqa: N815
    operationNumber = _prop("operationNumber", str, changed)  # noqa: N815
    operationQr = _prop("operationQr", str, changed)  # noqa: N815
    printedText = _prop("printedText", str, changed)  # noqa: N815
    receiptChoice = _prop("receiptChoice", bool, changed)  # noqa: N815
    receiptProblem = _prop("receiptProblem", str, changed)  # noqa: N815
    withoutReceiptText = _prop("withoutReceiptText", str, changed)  # noqa: N815
    canReprint = _prop("canReprint", bool, changed)  # noqa: N815
    statusText = _prop("statusText", str, changed)  # noqa: N815
    statusDigits = _prop("statusDigits", str, changed)  # noqa: N815
    statusAmount = _prop("statusAmount", str, changed)  # noqa: N815
    statusAsksAmount = _prop("statusAsksAmount", bool, changed)  # noqa: N815
    statusMode = _prop("statusMode", str, changed)  # noqa: N815
    statusAnswer = _prop("statusAnswer", str, changed)  # noqa: N815
    terminalId = _prop("terminalId", str, changed)  # noqa: N815
    terminalAddress = _prop("terminalAddress", str, changed)  # noqa: N815
    agentName = _prop("agentName", str, changed)  # noqa: N815
    agentBin = _prop("agentBin", str, changed)  # noqa: N815
    supportPhone = _prop("supportPhone", str, changed)  # noqa: N815

    # -- intents from QML -----------------------------------------------------------------
    @Slot(str)
    def setLanguage(self, language: str) -> None:  # noqa: N802
        if language not in LANGUAGES:
            raise ValueError(f"unknown screen language {language!r}")
        self._language = language
        self.languages.install(self._language)
        self._call(self.core.set_language, language)
        self._account_error = ""
        self.retranslate()
        self._rebuild()

    @Slot(str)
    def showPage(self, page: str) -> None:  # noqa: N802
        """Idle-time pages: ``idle``, ``catalog``, ``info``, ``status``."""
        if page not in IDLE_PAGES:
            raise ValueError(f"unknown page {page!r}")
        if page == "status":
            self._status_digits, self._status_answer, self._status_amount = "", "", None
            self._status_found, self._status_mode = None, "receipt"
        self._page = page
        self._rebuild()

    @Slot(str)
    def setStatusMode(self, mode: str) -> None:  # noqa: N802
        """Look up by ``receipt`` number or by ``operation`` number (both on the receipt)."""
        if mode not in ("receipt", "operation"):
            raise ValueError(f"unknown status look-up mode {mode!r}")
        self._status_mode = mode
        self._status_digits, self._status_answer, self._status_found = "", "", None
        self._status_amount = None
        self._rebuild()

    @Slot(str)
    def statusKey(self, key: str) -> None:  # noqa: N802
        """The status look-up keypad: digits of a receipt number (hex digits of an operation
        number), ``back``, ``clear``."""
        allowed, longest = (("0123456789", RECEIPT_DIGITS_MAX) if self._status_mode == "receipt"
                            else ("0123456789abcdef", OPERATION_DIGITS))
        if self._status_amount is not None:  # the second question: the cash put in
            if key == "back" and self._status_amount == "":
                self._status_amount = None  # back to the receipt number
            elif key == "back":
                self._status_amount = self._status_amount[:-1]
            elif key == "clear":
                self._status_amount = None
                self._status_digits = ""
            elif key.isdigit() and len(key) == 1 and len(self._status_amount) < AMOUNT_DIGITS_MAX:
                self._status_amount += key
        elif key == "back":
            self._status_digits = self._status_digits[:-1]
        elif key == "clear":
            self._status_digits = ""
        elif len(key) == 1 and key in allowed and len(self._status_digits) < longest:
            self._status_digits += key
        self._status_answer = ""
        self._status_found = None
        self._rebuild()

    @Slot()
    def lookUpStatus(self) -> None:  # noqa: N802
        if not self._status_digits:
            return
        found: PaymentStatus | None = None
        try:
            if self._status_mode == "receipt" and not self._status_amount:
                # A receipt number alone shows nothing: ask for the cash put in as well.
                self._status_amount = ""
                self._status_answer = ""
                self._rebuild()
                return
            if self._status_mode == "receipt":
                assert self._status_amount is not None
                found = self.runner.call(self.core.payment_status, int(self._status_digits),
                                         Money.tenge(int(self._status_amount)))
            elif len(self._status_digits) < OPERATION_DIGITS:
                # The whole number: its start is a clock reading anyone can guess
                # (docs/decisions/016).
                self._status_answer = texts.operation_too_short_text(OPERATION_DIGITS)
                self._rebuild()
                return
            else:
                found = self.runner.call(self.core.payment_status_by_operation,
                                         self._status_digits)
        except AmbiguousOperation:
            self._status_answer = texts.operation_ambiguous_text()
            self._rebuild()
            return
        except LookupLocked as exc:
            self._status_found = None
            self._status_answer = texts.lookup_locked_text(exc.seconds)
            self._rebuild()
            return
        self._status_found = found
        self._status_answer = texts.payment_status_text(found is not None,
                                                        found is not None and found.completed,
                                                        by_operation=self._status_mode != "receipt")
        if found is not None:
            which = f"№ {found.receipt_number}: " if self._status_mode != "receipt" else ""
            self._status_answer = (f"{which}{found.credited.format(self._language)} → "
                                   f"{mask_account(found.account)}\n{self._status_answer}")
        self._rebuild()

    @Slot()
    def reprintReceipt(self) -> None:  # noqa: N802
        """Print the looked-up receipt that never came out (marked as a duplicate)."""
        found = self._status_found
        if found is None or found.printed:
            return

        def done(future: Future[bool]) -> None:
            printed = future.result()
            self._status_found = self.runner.call(self.core.payment_status,
                                                  found.receipt_number, found.inserted)
            self._status_answer = texts.reprint_text(printed)
        # A receipt number is no proof of payment: the account is masked on that copy, and
        # the receipt stays unprinted for its owner (docs/decisions/016).
        typed = self._status_digits if self._status_mode == "operation" else ""
        self._submit(done, lambda: self.core.print_missing_receipt(
            found.operation_id, typed_operation=typed))

    @Slot(str)
    def showCategory(self, category: str) -> None:  # noqa: N802
        self._category = Category(category).value
        self._page = "catalog"
        self._rebuild()

    @Slot(str)
    def chooseService(self, service_id: str) -> None:  # noqa: N802
        self._digits = ""
        self._account_error = self._check_error = self._holder = ""
        self._page = "idle"  # where the customer lands when this session ends
        self._call(self.core.choose_service, service_id)
        self._rebuild()

    @Slot(str)
    def keypad(self, key: str) -> None:
        """A keypad key: a digit, ``back`` or ``clear``."""
        capacity = texts.mask_capacity(self._view["mask"])
        if key == "back":
            self._digits = self._digits[:-1]
        elif key == "clear":
            self._digits = ""
        elif key.isdigit() and len(key) == 1 and len(self._digits) < capacity:
            self._digits += key
        self._account_error = ""
        self.runner.submit(self.core.touch)
        self._rebuild()

    @Slot()
    def submitAccount(self) -> None:  # noqa: N802
        entry = texts.fill_mask(self._view["mask"], self._digits)
        result: AccountValidation | None = self._call(self.core.enter_account, entry.text)
        if result is not None:
            self._account_error = "" if result.ok else (result.message(self._language) or "")
            self._entry_mode = "confirm" if result.ok else "entry"
            self._check_error = ""
        self._rebuild()

    @Slot()
    def editAccount(self) -> None:  # noqa: N802
        self._entry_mode = "entry"
        self._check_error = ""
        self._call(self.core.edit_account)
        self._rebuild()

    @Slot()
    def confirmAccount(self) -> None:  # noqa: N802
        def done(future: Future[CheckResult]) -> None:
            result = future.result()
            self._checked_offline = result.offline
            self._holder = result.holder or ""
            self._check_error = "" if result.ok else texts.check_failed_text(result.code)
            self._entry_mode = "" if result.ok else "confirm"
        self._submit(done, self.core.confirm_account)

    @Slot()
    def startCash(self) -> None:  # noqa: N802
        """Insert cash; refused (and the choice shown) when no receipt can be printed."""
        self._call(self.core.start_cash)
        self._rebuild()

    @Slot()
    def startCashWithoutReceipt(self) -> None:  # noqa: N802
        """The customer was told no receipt can be printed and goes on."""
        self._call(lambda: self.core.start_cash(without_receipt=True))
        self._rebuild()

    @Slot()
    def pay(self) -> None:
        self._submit(lambda future: future.result(), self.core.pay)

    @Slot()
    def cancel(self) -> None:
        self._call(self.core.cancel)
        self._page = "idle"
        self._rebuild()

    @Slot()
    def finish(self) -> None:
        self._call(self.core.finish)
        self._page = "idle"
        self._rebuild()

    @Slot()
    def touch(self) -> None:
        self._call(self.core.touch)
        self._rebuild()
