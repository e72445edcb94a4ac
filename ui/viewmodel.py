"""The customer view-model: core snapshots in (through queued signals), screen state and words
out, customer intents sent to the core thread without waiting. QML only draws what is here.

The GUI thread never waits on the core thread: an intent is a job on the core thread that
answers through a queued signal with its result and the snapshot right after it; the core's
own snapshots (a note stacked, a timeout) come through another queued signal. What the screens
show is ``ui.views.view_of`` of the latest snapshot, copied into one small QObject per screen
group (``kiosk.session``, ``kiosk.cash``, …), each property with its own notify signal."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, get_type_hints

from PySide6.QtCore import Property, QEvent, QObject, Qt, QTimer, Signal, Slot

from kiosk.checks import CheckResult
from kiosk.config import TerminalConfig
from kiosk.core import KioskCore, NotAllowed, NotAvailable
from kiosk.domain.accounts import AccountValidation
from kiosk.domain.catalog import Catalog, Category
from kiosk.domain.clock import Clock
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Language, Money
from kiosk.domain.privacy import LookupLocked
from kiosk.runtime import CoreThread
from kiosk.session import Attention, Snapshot, State, TransitionError
from kiosk.store.lookups import AmbiguousOperation, PaymentStatus
from ui import texts
from ui.i18n import LANGUAGES, LanguageSwitch
from ui.views import (
    IDLE_PAGES,
    CashView,
    CustomerView,
    GuideState,
    GuideView,
    InfoView,
    MenuView,
    ReceiptView,
    SessionView,
    StatusView,
    UiState,
    found_text,
    guide_of,
    screen_for,
    session_ended,
    settle,
    view_of,
)

__all__ = ["IDLE_PAGES", "KioskViewModel", "screen_for"]

log = logging.getLogger("ui.viewmodel")

_INTENT_ERRORS = (TransitionError, NotAllowed, NotAvailable)
RECEIPT_DIGITS_MAX = 9
OPERATION_DIGITS = 32  # a UUID's hex digits; the dashes are put in by the screen
AMOUNT_DIGITS_MAX = 7  # whole tenge: a payment's cash is below ten million


def qt_name(name: str) -> str:
    """``entry_shown`` → ``entryShown``: the view's field as QML reads it."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _qt_value(value: Any) -> Any:
    """Tuples of frozen items (the catalogue's services) go to QML as lists of maps."""
    if isinstance(value, tuple):
        return [{f.name: getattr(item, f.name) for f in fields(item)} for item in value]
    return value


class ViewGroup(QObject):
    """One screen group's view as Qt properties; ``show`` notifies only what changed."""

    def __init__(self, view: Any, parent: QObject) -> None:
        super().__init__(parent)
        self.view = view

    def show(self, view: Any) -> None:
        old, self.view = self.view, view
        for f in fields(view):
            if getattr(old, f.name) != getattr(view, f.name):
                getattr(self, qt_name(f.name) + "Changed").emit()


_QT_TYPES: dict[Any, Any] = {str: str, bool: bool, int: int}


def _group_class(view_type: type) -> type[ViewGroup]:
    """A ViewGroup subclass with a typed property and a notify signal per field of the
    frozen view dataclass (``SessionView.entry_shown`` → ``entryShown``/``entryShownChanged``)."""
    hints = get_type_hints(view_type)
    attrs: dict[str, Any] = {"__doc__": f"{view_type.__doc__} (Qt properties)"}
    for f in fields(view_type):
        name = qt_name(f.name)
        notify = Signal()
        kind = _QT_TYPES.get(hints[f.name], "QVariantList")
        attrs[name + "Changed"] = notify
        attrs[name] = Property(kind, _reader(f.name), notify=notify)
    return type(view_type.__name__.removesuffix("View") + "Group", (ViewGroup,), attrs)


def _reader(field_name: str) -> Callable[[ViewGroup], Any]:
    def read(group: ViewGroup) -> Any:
        return _qt_value(getattr(group.view, field_name))

    read.__name__ = qt_name(field_name)
    return read


MenuGroup = _group_class(MenuView)
SessionGroup = _group_class(SessionView)
CashGroup = _group_class(CashView)
ReceiptGroup = _group_class(ReceiptView)
StatusGroup = _group_class(StatusView)
InfoGroup = _group_class(InfoView)
GuideGroup = _group_class(GuideView)
# A finger on the glass, whatever it touches: the attract layer's clock starts again.
_TOUCH_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})
# CustomerView's field → the QObject QML reads it through (``kiosk.cash.inserted``).
_GROUPS: dict[str, type[ViewGroup]] = {
    "menu": MenuGroup,
    "session": SessionGroup,
    "cash": CashGroup,
    "receipt": ReceiptGroup,
    "status": StatusGroup,
    "info": InfoGroup,
}


@dataclass(frozen=True)
class _Answer:
    """An intent's outcome, sent from the core thread to the GUI thread."""

    done: Callable[[Any, BaseException | None], None] | None
    busy: bool
    result: Any
    error: BaseException | None
    snapshot: Snapshot | None  # the core right after the intent (None: it could not say)


def _frame(name: str, kind: type, notify: Signal) -> Any:
    return Property(kind, lambda self: getattr(self.view.frame, name), notify=notify)


def _group(name: str) -> Any:
    return Property(QObject, lambda self: self._groups[name], constant=True)


class KioskViewModel(QObject):
    """The customer screens (``kiosk`` in QML): the frame's properties here, each screen
    group's in its own object, and the customer's intents as slots."""

    snapshotArrived = Signal(object)
    _answered = Signal(object)  # an _Answer, emitted on the core thread

    screenChanged = Signal()
    languageChanged = Signal()
    busyChanged = Signal()
    onlineChanged = Signal()
    offlineTextChanged = Signal()
    outOfServiceTextChanged = Signal()
    attentionChanged = Signal()
    countdownChanged = Signal()
    maintenanceNoticeChanged = Signal()

    def __init__(
        self,
        runner: CoreThread,
        catalog: Catalog,
        terminal: TerminalConfig,
        *,
        clock: Clock,
        languages: LanguageSwitch | None = None,
        retranslate: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.core: KioskCore = runner.core
        self.catalog = catalog
        self.terminal = terminal
        self.clock = clock
        self.languages = languages or LanguageSwitch()
        self.retranslate = retranslate  # the QML engine's: qsTr() bindings run again
        self._ui = UiState()
        self._pending = 0  # intents asked whose answer has not arrived yet
        # Until the core's first snapshot arrives the window shows no screen; the config's
        # language is what the core starts in (read once, never changed by the core thread).
        self._language: Language = self.core.config.kiosk.default_language
        self._language_chosen = False
        self._starting = True
        self._core_snapshot = Snapshot(State.IDLE, True, (), True, self._language)
        self._snapshot = self._core_snapshot  # what is drawn: the core's, or a preview
        self.snapshotArrived.connect(self._on_snapshot, Qt.ConnectionType.QueuedConnection)
        self._answered.connect(self._on_answer, Qt.ConnectionType.QueuedConnection)
        self.languages.install(self._language)
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._rebuild)
        self.view: CustomerView = self._view_now()
        self._groups: dict[str, ViewGroup] = {
            name: group(getattr(self.view, name), self) for name, group in _GROUPS.items()
        }
        self._guide_state = GuideState(touched_at=self.clock.monotonic())
        self._guide = GuideGroup(self._guide_now(), self)
        # The footer's clock and the attract layer look at the kiosk clock every second,
        # while a window shows them (watchTouches starts it, the window's end stops it).
        self._guide_timer = QTimer(self)
        self._guide_timer.setInterval(1000)
        self._guide_timer.timeout.connect(self.show_guide)
        self._ask(self._attach)  # its answer brings the first snapshot

    def _attach(self) -> None:
        """On the core thread: from now on every snapshot the core publishes is queued here."""
        self.core.subscribe(self.snapshotArrived.emit)

    # -- core thread plumbing -------------------------------------------------------------
    def _ask(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any, BaseException | None], None] | None = None,
        busy: bool = False,
    ) -> None:
        """Run ``fn(*args)`` on the core thread and return at once; ``done(result, error)``
        runs on the GUI thread when the answer arrives (a refusal is logged when there is no
        ``done``). ``busy`` greys the buttons that must wait for this answer."""
        ran: list[bool] = []

        @functools.wraps(fn)  # the runner (and the simulated day) know the intent by name
        def job(*job_args: Any) -> Any:
            ran.append(True)
            try:
                result = fn(*job_args)
            except BaseException as exc:
                self._send(_Answer(done, busy, None, exc, self._snapshot_on_core()))
                raise
            self._send(_Answer(done, busy, result, None, self._snapshot_on_core()))
            return result

        self._pending += 1
        if busy:
            self._ui.busy = True
            self._rebuild()
        future = self.runner.submit(job, *args)
        if future.done() and not ran:  # the core has stopped: the job will never run
            self._send(_Answer(done, busy, None, future.exception(), None))

    def _send(self, answer: _Answer) -> None:
        """Queue an answer for the GUI thread; a window already gone takes none (what the
        core did stands: the next window starts from the core's snapshot)."""
        try:
            self._answered.emit(answer)
        except RuntimeError:  # the view-model's Qt object is deleted
            log_event(log, "an answer for a closed window", logging.INFO)

    def _snapshot_on_core(self) -> Snapshot | None:
        try:
            return self.core.snapshot()
        except Exception as exc:  # noqa: BLE001 - the answer still reaches the window
            log_event(log, "no snapshot after an intent", logging.ERROR, error=repr(exc))
            return None

    @Slot(object)
    def _on_answer(self, answer: _Answer) -> None:
        self._pending -= 1
        if answer.busy:
            self._ui.busy = False
        if self.runner.stopped:
            return  # the window is closing: the answer has no screen to go to
        if answer.snapshot is not None:
            self._take(answer.snapshot)
        if answer.done is not None:
            answer.done(answer.result, answer.error)
        elif answer.error is not None:
            self._refused(answer.error)
        self._rebuild()

    @staticmethod
    def _refused(error: BaseException) -> None:
        """An intent the core refused: logged; the next snapshot keeps the screen right."""
        level = logging.WARNING if isinstance(error, _INTENT_ERRORS) else logging.ERROR
        log_event(log, "intent refused", level, error=str(error))

    @Slot(object)
    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self._take(snapshot)
        self._rebuild()

    def _take(self, snapshot: Snapshot) -> None:
        if self._starting and not self._language_chosen and snapshot.language != self._language:
            self._language = snapshot.language  # a recovered session's language
            self.languages.install(self._language)
            self.retranslate()
        self._starting = False
        if session_ended(self._core_snapshot.state, snapshot.state):
            self._guide_state.large_text = False
        self._core_snapshot = self._snapshot = snapshot
        if snapshot.catalog is not None:
            self.catalog = snapshot.catalog  # the core swaps catalogs between customers only

    # -- building the view ----------------------------------------------------------------
    def _view_now(self) -> CustomerView:
        settle(self._ui, self._snapshot)
        return view_of(
            self._snapshot,
            self._ui,
            self.catalog,
            self.terminal,
            now=self.clock.monotonic(),
            starting=self._starting,
        )

    def _rebuild(self) -> None:
        snap = self._snapshot
        old, self.view = self.view, self._view_now()
        if snap.attention is not Attention.NONE and snap.attention_deadline is not None:
            if not self._countdown.isActive():
                self._countdown.start()
        elif self._countdown.isActive():
            self._countdown.stop()
        for f in fields(self.view.frame):
            if getattr(old.frame, f.name) != getattr(self.view.frame, f.name):
                getattr(self, qt_name(f.name) + "Changed").emit()
        for name, group in self._groups.items():
            group.show(getattr(self.view, name))
        if old.frame.screen != self.view.frame.screen:
            self._guide_state.touched_at = self.clock.monotonic()  # a new screen: not idle yet
        self.show_guide()

    # -- the frame's aids (step, footer, large text, attract) -----------------------------
    def _guide_now(self) -> GuideView:
        return guide_of(
            self.view.frame.screen,
            self._guide_state,
            self.catalog,
            self.terminal,
            self._language,
            now=self.clock.now(),
            monotonic=self.clock.monotonic(),
        )

    def show_guide(self) -> None:
        """The footer's clock and the attract layer look at the kiosk clock again (the timer
        does it every second; a simulated clock's owner may do it as soon as it moves)."""
        guide = self._guide_now()
        if guide.attract and self._guide_state.large_text:
            self._guide_state.large_text = False  # the customer has gone
            guide = self._guide_now()
        self._guide.show(guide)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _TOUCH_EVENTS:
            self._guide_state.touched_at = self.clock.monotonic()
        return super().eventFilter(watched, event)

    @Slot(QObject)
    def watchTouches(self, window: QObject) -> None:
        """Every press on the window counts as the customer being there (the attract
        layer waits for a whole minute of none), buttons or not."""
        window.installEventFilter(self)
        window.destroyed.connect(self._guide_timer.stop)
        self._guide_timer.start()

    @Slot()
    def toggleLargeText(self) -> None:
        """The "Aa" button: larger text for this customer, until the session ends."""
        self._guide_state.large_text = not self._guide_state.large_text
        self.show_guide()

    @Slot()
    def dismissAttract(self) -> None:
        """A touch on the attract layer: back to the idle screen, nothing started."""
        self._guide_state.touched_at = self.clock.monotonic()
        self.show_guide()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def guide_view(self) -> GuideView:
        """What the frame shows now (``kiosk.guide`` in QML)."""
        return self._guide.view  # type: ignore[no-any-return]

    @property
    def pending(self) -> int:
        """Intents on their way to the core or back (tests and tools wait for 0 to look at
        the answer, as a customer looks at the screen after a tap)."""
        return self._pending

    def preview(self, snapshot: Snapshot) -> None:
        """Draw a made-up snapshot (screenshots of passing states); the core's next one
        replaces it."""
        self._snapshot = snapshot
        self._rebuild()

    def resync(self) -> None:
        """Back to the core's latest snapshot after a preview."""
        self._snapshot = self._core_snapshot
        self._rebuild()

    screen = _frame("screen", str, screenChanged)
    language = _frame("language", str, languageChanged)
    busy = _frame("busy", bool, busyChanged)
    online = _frame("online", bool, onlineChanged)
    offlineText = _frame("offline_text", str, offlineTextChanged)
    outOfServiceText = _frame("out_of_service_text", str, outOfServiceTextChanged)
    attention = _frame("attention", str, attentionChanged)
    countdown = _frame("countdown", int, countdownChanged)
    maintenanceNotice = _frame("maintenance_notice", str, maintenanceNoticeChanged)
    menu = _group("menu")
    session = _group("session")
    cash = _group("cash")
    receipt = _group("receipt")
    status = _group("status")
    info = _group("info")
    guide = Property(QObject, lambda self: self._guide, constant=True)

    # -- intents from QML -----------------------------------------------------------------
    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown screen language {language!r}")
        self._language = language
        self._language_chosen = True
        self.languages.install(self._language)
        self._ask(self.core.set_language, language)
        self._ui.account_error = ""
        self.retranslate()
        self._rebuild()

    @Slot(str)
    def showPage(self, page: str) -> None:
        """Idle-time pages: ``idle``, ``catalog``, ``info``, ``status``."""
        if page not in IDLE_PAGES:
            raise ValueError(f"unknown page {page!r}")
        ui = self._ui
        if page == "status":
            ui.status_digits, ui.status_answer, ui.status_amount = "", "", None
            ui.status_found, ui.status_mode = None, "receipt"
        ui.page = page
        self._rebuild()

    @Slot(str)
    def setStatusMode(self, mode: str) -> None:
        """Look up by ``receipt`` number or by ``operation`` number (both on the receipt)."""
        if mode not in ("receipt", "operation"):
            raise ValueError(f"unknown status look-up mode {mode!r}")
        ui = self._ui
        ui.status_mode = mode
        ui.status_digits, ui.status_answer, ui.status_found = "", "", None
        ui.status_amount = None
        self._rebuild()

    @Slot(str)
    def statusKey(self, key: str) -> None:
        """The status look-up keypad: digits of a receipt number (hex digits of an operation
        number), ``back``, ``clear``."""
        ui = self._ui
        allowed, longest = (
            ("0123456789", RECEIPT_DIGITS_MAX)
            if ui.status_mode == "receipt"
            else ("0123456789abcdef", OPERATION_DIGITS)
        )
        if ui.status_amount is not None:  # the second question: the cash put in
            if key == "back" and ui.status_amount == "":
                ui.status_amount = None  # back to the receipt number
            elif key == "back":
                ui.status_amount = ui.status_amount[:-1]
            elif key == "clear":
                ui.status_amount = None
                ui.status_digits = ""
            elif key.isdigit() and len(key) == 1 and len(ui.status_amount) < AMOUNT_DIGITS_MAX:
                ui.status_amount += key
        elif key == "back":
            ui.status_digits = ui.status_digits[:-1]
        elif key == "clear":
            ui.status_digits = ""
        elif len(key) == 1 and key in allowed and len(ui.status_digits) < longest:
            ui.status_digits += key
        ui.status_answer = ""
        ui.status_found = None
        self._rebuild()

    def _status_question(self) -> tuple[str, str, str | None]:
        return self._ui.status_mode, self._ui.status_digits, self._ui.status_amount

    @Slot()
    def lookUpStatus(self) -> None:
        ui = self._ui
        if not ui.status_digits:
            return
        if ui.status_mode == "receipt" and not ui.status_amount:
            # A receipt number alone shows nothing: ask for the cash put in as well.
            ui.status_amount = ""
            ui.status_answer = ""
            self._rebuild()
            return
        if ui.status_mode == "operation" and len(ui.status_digits) < OPERATION_DIGITS:
            # The whole number: its start is a clock reading anyone can guess
            # (docs/decisions/016).
            ui.status_answer = texts.operation_too_short_text(OPERATION_DIGITS)
            self._rebuild()
            return
        asked = self._status_question()
        by_operation = ui.status_mode != "receipt"

        def done(found: PaymentStatus | None, error: BaseException | None) -> None:
            if self._status_question() != asked:
                return  # the customer typed on: the answer is to an old question
            if isinstance(error, AmbiguousOperation):
                ui.status_answer = texts.operation_ambiguous_text()
            elif isinstance(error, LookupLocked):
                ui.status_found = None
                ui.status_answer = texts.lookup_locked_text(error.seconds)
            elif error is not None:
                self._refused(error)
            else:
                ui.status_found = found
                ui.status_answer = found_text(
                    found,
                    by_operation=by_operation,
                    language=self._language,
                    support_phone=self.terminal.support_phone,
                )

        if by_operation:
            self._ask(self.core.payment_status_by_operation, ui.status_digits, done=done)
        else:
            assert ui.status_amount is not None
            self._ask(
                self.core.payment_status,
                int(ui.status_digits),
                Money.tenge(int(ui.status_amount)),
                done=done,
            )

    @Slot()
    def reprintReceipt(self) -> None:
        """Print the looked-up receipt that never came out (marked as a duplicate)."""
        found = self._ui.status_found
        if found is None or found.printed:
            return
        # A receipt number is no proof of payment: the account is masked on that copy, and
        # the receipt stays unprinted for its owner (docs/decisions/016).
        typed = self._ui.status_digits if self._ui.status_mode == "operation" else ""

        def reprint() -> tuple[bool, PaymentStatus | None]:  # on the core thread
            printed = self.core.print_missing_receipt(found.operation_id, typed_operation=typed)
            return printed, self.core.payment_status(found.receipt_number, found.inserted)

        def done(
            answer: tuple[bool, PaymentStatus | None] | None, error: BaseException | None
        ) -> None:
            if error is not None or answer is None:
                self._refused(error or RuntimeError("no answer"))
                return
            printed, self._ui.status_found = answer
            self._ui.status_answer = texts.reprint_text(printed)

        self._ask(reprint, done=done, busy=True)

    @Slot(str)
    def showCategory(self, category: str) -> None:
        self._ui.category = Category(category).value
        self._ui.page = "catalog"
        self._rebuild()

    @Slot(str)
    def chooseService(self, service_id: str) -> None:
        ui = self._ui
        ui.digits = ""
        ui.entry_refused = False
        ui.account_error = ui.check_error = ui.holder = ui.account_warning = ""

        def done(_: object, error: BaseException | None) -> None:
            ui.page = "idle"  # where the customer lands when this session ends
            if error is not None:
                self._refused(error)

        self._ask(self.core.choose_service, service_id, done=done)

    @Slot(str)
    def keypad(self, key: str) -> None:
        """A keypad key: a digit, ``back`` or ``clear``. A digit the number has no room for
        is refused and said so; it never pushes out or moves a digit already shown."""
        ui = self._ui
        ui.digits, ui.entry_refused = texts.press_key(self.view.session.mask, ui.digits, key)
        ui.account_error = ""
        self.runner.submit(self.core.touch)
        self._rebuild()

    @Slot()
    def submitAccount(self) -> None:
        entry = texts.typed_entry(self.view.session.mask, self._ui.digits)

        def done(result: AccountValidation | None, error: BaseException | None) -> None:
            if error is not None or result is None:
                self._refused(error or RuntimeError("no answer"))
                return
            self._ui.account_error = "" if result.ok else (result.message(self._language) or "")
            self._ui.account_warning = result.warning.value if result.ok and result.warning else ""
            self._ui.entry_mode = "confirm" if result.ok else "entry"
            self._ui.entry_refused = False
            self._ui.check_error = ""

        self._ask(self.core.enter_account, entry.text, done=done)

    @Slot()
    def chooseOtherOperator(self) -> None:
        """From the wrong-operator warning: this session ends and the operators of the same
        category show, to start again with the right one."""
        service_id = self._snapshot.service_id
        service = self.catalog.get(service_id) if service_id else None
        self._ask(self.core.cancel)
        self._ui.digits = self._ui.account_warning = ""  # never left for the next customer
        self._ui.page = "catalog"
        if service is not None:
            self._ui.category = service.category.value
        self._rebuild()

    @Slot()
    def editAccount(self) -> None:
        self._ui.entry_mode = "entry"
        self._ui.check_error = ""
        self._ask(self.core.edit_account)
        self._rebuild()

    @Slot()
    def confirmAccount(self) -> None:
        def done(result: CheckResult | None, error: BaseException | None) -> None:
            if error is not None or result is None:
                self._refused(error or RuntimeError("no answer"))
                return
            self._ui.checked_offline = result.offline
            self._ui.holder = result.holder or ""
            self._ui.check_error = "" if result.ok else texts.check_failed_text(result.code)
            self._ui.entry_mode = "" if result.ok else "confirm"

        self._ask(self.core.confirm_account, done=done, busy=True)

    @Slot()
    def startCash(self) -> None:
        """Insert cash; refused (and the choice shown) when no receipt can be printed."""
        self._ask(self.core.start_cash)

    @Slot()
    def startCashWithoutReceipt(self) -> None:
        """The customer was told no receipt can be printed and goes on."""
        self._ask(lambda: self.core.start_cash(without_receipt=True))

    @Slot()
    def pay(self) -> None:
        self._ask(self.core.pay, busy=True)

    @Slot()
    def cancel(self) -> None:
        self._ask(self.core.cancel)
        self._ui.page = "idle"
        self._rebuild()

    @Slot()
    def finish(self) -> None:
        self._ask(self.core.finish)
        self._ui.page = "idle"
        self._rebuild()

    @Slot()
    def touch(self) -> None:
        self._ask(self.core.touch)
