"""The technician's service menu behind their number and PIN: device and sync status,
encashment, send now, the printer's test page and reprints, the acceptance test, the recent
log, restart and exit. Everything done from the menu is logged with the technician's name,
and an encashment goes to the ledger with it. Reads the core and the link on the core thread
without waiting for it: each job's answer comes back through a queued signal
(docs/decisions/026). QML only draws and says it in words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.core import NotAllowed
from kiosk.domain.clock import Clock
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Language, Money
from kiosk.runtime import CoreThread
from kiosk.technicians import (
    NUMBER_DIGITS,
    LegacyPinFile,
    LoginOutcome,
    Technician,
    TechnicianError,
    Technicians,
)
from kiosk.upkeep import EncashmentDone, EncashmentPreview, NothingToCollect
from sync.outbox import OutboxWorker
from ui import texts
from ui.service_tools import (
    LINK_DOWN,
    PrintOutcome,
    cassette_id,
    local_moment,
    local_time,
    paper_word,
    print_test_page,
    printer_line,
    read_log_tail,
    reprint_receipt,
    signed,
    validator_model,
    validator_word,
)

log = logging.getLogger("ui.service")
PIN_DIGITS_MAX = 12
RECEIPT_DIGITS_MAX = 9
COUNT_DIGITS_MAX = 9  # whole tenge the technician counted
# The menu closes after this long untouched, on the kiosk's clock (tests and journeys move
# it); IDLE_CHECK_MS is how often the GUI looks.
IDLE_LOGOUT_S = 60.0
IDLE_CHECK_MS = 1000
ACCEPTANCE_POLL_MS = 200
PAGES = ("status", "printer", "acceptance", "log")


@dataclass(frozen=True, slots=True)
class MenuStatus:
    info: dict[str, Any]  # codes and numbers; ServiceScreen.qml says them in words
    printer_state: str  # "" without a printer; else a kiosk.payment.PrinterReadiness state
    printer_reason: str


class ServiceViewModel(QObject):
    """``service`` in QML: closed, asking who (``loginStep`` "number", then "pin"), or open
    on the menu (one of PAGES) for ``technician``."""

    changed = Signal()
    # (what to do with the answer, result, error), emitted on the core thread
    _answered = Signal(object, object, object)

    def __init__(
        self,
        runner: CoreThread,
        technicians: Technicians,
        *,
        clock: Clock,
        terminal_id: str,
        worker: OutboxWorker | None = None,
        quit_kiosk: Callable[[], None] = lambda: None,
        restart_kiosk: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.core = runner.core
        self.technicians = technicians
        self.clock = clock
        self.terminal_id = terminal_id
        self.worker = worker
        self.quit_kiosk = quit_kiosk
        self.restart_kiosk = restart_kiosk
        self._mode = "closed"
        self._page = "status"
        self._step = "number"
        self._number = ""  # the technician's number as typed
        self._pin = ""
        self._pin_message = ""
        self._technician: Technician | None = None
        self._status = MenuStatus({}, "", "")
        self._encash_step = ""  # "", preview, count, confirm, done, refused
        self._encash_problem = ""  # refused: busy or failed
        self._encash_language: Language = self.core.config.kiosk.default_language
        self._preview: EncashmentPreview | None = None
        self._cassette = ""  # as the device reports it; "" when it reports none
        self._counted_digits = ""
        self._done: EncashmentDone | None = None
        self._touched_at = clock.monotonic()
        self._idle = QTimer(self)
        self._idle.setInterval(IDLE_CHECK_MS)
        self._idle.timeout.connect(self.checkIdle)
        self._print = PrintOutcome("")
        self._reprint_digits = ""
        self._testing = False  # the acceptance test runs
        self._seen: tuple[str, ...] = ()  # what the last or running test recognised
        self._acceptance_error = ""
        self._log_state = "terminal"
        self._log_lines: list[dict[str, str]] = []
        self._log_error = ""
        self._poll = QTimer(self)
        self._poll.setInterval(ACCEPTANCE_POLL_MS)
        self._poll.timeout.connect(self._poll_acceptance)
        self._polling = False  # a poll of the acceptance test is on its way
        self._pending = 0  # jobs on the core thread whose answer has not arrived
        self._answered.connect(self._on_answer, Qt.ConnectionType.QueuedConnection)

    # -- core thread plumbing -------------------------------------------------------------
    def _ask(
        self, done: Callable[[Any, BaseException | None], None], fn: Callable[..., Any], *args: Any
    ) -> None:
        """Run ``fn(*args)`` on the core thread and return at once; ``done(result, error)``
        runs on the GUI thread when the answer arrives."""
        ran: list[bool] = []

        def job() -> Any:
            ran.append(True)
            try:
                result = fn(*args)
            except BaseException as exc:
                self._send(done, None, exc)
                raise
            self._send(done, result, None)
            return result

        self._pending += 1
        future = self.runner.submit(job)
        if future.done() and not ran:  # the core has stopped: the job will never run
            self._send(done, None, future.exception())

    def _send(
        self,
        done: Callable[[Any, BaseException | None], None],
        result: Any,
        error: BaseException | None,
    ) -> None:
        """Queue an answer for the GUI thread; a menu already gone takes none."""
        try:
            self._answered.emit(done, result, error)
        except RuntimeError:  # the view-model's Qt object is deleted
            log_event(log, "an answer for a closed menu", logging.INFO)

    @Slot(object, object, object)
    def _on_answer(
        self,
        done: Callable[[Any, BaseException | None], None],
        result: Any,
        error: BaseException | None,
    ) -> None:
        self._pending -= 1
        done(result, error)

    @property
    def pending(self) -> int:
        """Jobs on their way to the core or back (tests wait for 0 to read the answer)."""
        return self._pending

    def _get(self, name: str) -> Any:
        values: dict[str, Any] = {
            "mode": self._mode,
            "pinDots": self._number if self._step == "number" else "●" * len(self._pin),
            "pinMessage": self._pin_message,
        }
        return values[name]

    mode = Property(str, lambda self: self._get("mode"), notify=changed)
    # What the login shows typed: the number in digits, then the PIN as dots.
    pinDots = Property(str, lambda self: self._get("pinDots"), notify=changed)
    loginStep = Property(str, lambda self: self._step, notify=changed)
    technician = Property(
        str, lambda self: self._technician.name if self._technician else "", notify=changed
    )
    pinMessage = Property(str, lambda self: self._get("pinMessage"), notify=changed)
    status = Property(dict, lambda self: dict(self._status.info), notify=changed)
    encashStep = Property(str, lambda self: self._encash_step, notify=changed)
    encashInfo = Property(dict, lambda self: self._encash_info(), notify=changed)
    countedDigits = Property(str, lambda self: self._counted_digits, notify=changed)
    page = Property(str, lambda self: self._page, notify=changed)
    printerState = Property(str, lambda self: self._status.printer_state, notify=changed)
    printerReason = Property(str, lambda self: self._status.printer_reason, notify=changed)
    printOutcome = Property(str, lambda self: self._print.outcome, notify=changed)
    printProblem = Property(str, lambda self: self._print.problem, notify=changed)
    printDetail = Property(str, lambda self: self._print.detail, notify=changed)
    reprintDigits = Property(str, lambda self: self._reprint_digits, notify=changed)
    acceptanceRunning = Property(bool, lambda self: self._testing, notify=changed)
    acceptanceNotes = Property(list, lambda self: list(self._seen), notify=changed)
    acceptanceError = Property(str, lambda self: self._acceptance_error, notify=changed)
    logState = Property(str, lambda self: self._log_state, notify=changed)
    logLines = Property(list, lambda self: self._log_lines, notify=changed)
    logError = Property(str, lambda self: self._log_error, notify=changed)
    logPath = Property(str, lambda self: str(self._log_path() or ""), notify=changed)
    canRestart = Property(bool, lambda self: self.restart_kiosk is not None, notify=changed)

    def _did(self, event: str, level: int = logging.INFO, **fields: Any) -> None:
        """Log what the technician at the menu did, with their name and number."""
        who = self._technician
        log_event(
            log,
            event,
            level,
            technician=who.name if who else None,
            technician_number=who.number if who else None,
            **fields,
        )

    @Slot()
    def open(self) -> None:
        """The hidden corner was held: ask for the technician's number, then the PIN (a lock
        still running, or a file that cannot open the menu, is said at once)."""
        self._mode, self._pin_message = "pin", ""
        self._step, self._number, self._pin = "number", "", ""
        self.touched()
        self._idle.start()
        try:
            locked_s = self.technicians.lock_remaining()
        except TechnicianError as exc:
            self._pin_message = self._file_problem(exc)
        else:
            if locked_s > 0:
                self._pin_message = texts.pin_text("locked", minutes=int(locked_s // 60) + 1)
        self.changed.emit()

    @Slot()
    def touched(self) -> None:
        """Any tap on the menu or the pad: the idle logout starts counting again."""
        self._touched_at = self.clock.monotonic()

    @Slot()
    def checkIdle(self) -> None:
        """Close the pad or the menu left untouched for IDLE_LOGOUT_S (the kiosk's clock):
        a technician who walks away does not leave the menu open to the next passer-by."""
        if self._mode == "closed":
            return
        if self.clock.monotonic() - self._touched_at >= IDLE_LOGOUT_S:
            self._did("service menu left untouched: logged out")
            self.close()

    @staticmethod
    def _file_problem(exc: TechnicianError) -> str:
        log_event(log, "technician file unreadable", logging.ERROR, error=str(exc))
        return texts.pin_text("legacy" if isinstance(exc, LegacyPinFile) else "damaged")

    @Slot()
    def close(self) -> None:
        """Back to the customers; a running acceptance test ends with the menu."""
        self._end_acceptance_test()
        if self._technician is not None:
            self._did("service menu closed")
            self._technician = None
        self._idle.stop()
        self._mode, self._pin, self._pin_message = "closed", "", ""
        self._encash_step, self._preview, self._done, self._counted_digits = "", None, None, ""
        self._step, self._number = "number", ""
        self._page, self._print, self._reprint_digits = "status", PrintOutcome(""), ""
        self._seen, self._acceptance_error = (), ""
        self.changed.emit()

    @Slot(str)
    def pinKey(self, key: str) -> None:
        """The login keypad: digits of the number (then of the PIN), ``back``, ``clear``
        (start again from the number)."""
        self.touched()
        if key == "clear":
            self._step, self._number, self._pin = "number", "", ""
        elif self._step == "number":
            if key == "back":
                self._number = self._number[:-1]
            elif key.isdigit() and len(key) == 1 and len(self._number) < NUMBER_DIGITS:
                self._number += key
        elif key == "back":
            if self._pin:
                self._pin = self._pin[:-1]
            else:  # back past the PIN's first digit: the number again
                self._step = "number"
        elif key.isdigit() and len(key) == 1 and len(self._pin) < PIN_DIGITS_MAX:
            self._pin += key
        self.changed.emit()

    @Slot()
    def submitPin(self) -> None:
        """Enter: after the number, ask for the PIN; after the PIN, check both (a wrong
        number and a wrong PIN get the same answer)."""
        if self._step == "number":
            if self._number:
                self._step, self._pin, self._pin_message = "pin", "", ""
                self.changed.emit()
            return
        number, pin = int(self._number), self._pin
        self._step, self._number, self._pin = "number", "", ""
        try:
            result = self.technicians.check(number, pin)
        except TechnicianError as exc:
            self._pin_message = self._file_problem(exc)
            self.changed.emit()
            return
        # Never the PIN; the number typed, so wrong tries can be told apart afterwards.
        log_event(
            log,
            "service login",
            outcome=result.outcome.value,
            technician_number=number,
            technician=result.technician.name if result.technician else None,
        )
        if result.outcome is LoginOutcome.OK:
            self._technician = result.technician
            self._mode, self._pin_message, self._page = "menu", "", "status"
            self.refresh()
            return
        self._pin_message = texts.pin_text(
            result.outcome.value,
            minutes=int(result.locked_for_s // 60) + 1,
            tries=result.tries_left,
        )
        self.changed.emit()

    @Slot(str)
    def showPage(self, page: str) -> None:
        """Switch the menu's page; leaving the acceptance test's page ends the test."""
        if page not in PAGES:
            raise ValueError(f"no service page {page!r}; pages are {', '.join(PAGES)}")
        if page != "acceptance":
            self._end_acceptance_test()
        self._page = page
        if page in ("status", "printer"):
            self.refresh()
        elif page == "log":
            self.readLog()
        else:
            self.changed.emit()

    # -- status -------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Re-read device, printer, session and sync status for the menu."""

        def done(status: MenuStatus | None, error: BaseException | None) -> None:
            if status is not None:
                self._status = status
            elif error is not None:
                log_event(log, "service status unreadable", logging.ERROR, error=repr(error))
            self.changed.emit()

        self._ask(done, self._collect, self._technician)
        self.changed.emit()

    def _collect(self, technician: Technician | None) -> MenuStatus:
        """On the core thread: every state as a code QML says in words, counters as
        numbers and amounts in the screen's language, the latest device events timed."""
        core = self.core
        language = core.snapshot().language
        acceptor = core.acceptor
        info: dict[str, Any] = {"terminal": self.terminal_id, "technician": ""}
        if technician is not None:
            info["technician"] = f"{technician.name} ({technician.number})"
        info["validator"] = validator_word(acceptor)
        info["validatorModel"] = validator_model(acceptor)
        info["linkAlerts"] = sum(acceptor.link_alerts.values()) if acceptor is not None else 0
        printer = printer_line(core)
        info["paper"] = paper_word(printer.state)
        info["outOfService"] = sorted(core.faults)
        info.update(self._link_info(language))
        counters = core.tools.service_counters()
        info["cassetteNotes"] = counters.cassette_notes
        info["cassetteAmount"] = Money(counters.cassette_total).format(language)
        info["paymentsToday"] = counters.payments_today
        info["events"] = [
            {"time": local_time(line.at_ms), "device": line.device, "kind": line.kind}
            for line in core.tools.recent_device_event_lines()
        ]
        return MenuStatus(info, printer.state, printer.reason)

    def _link_info(self, language: Language) -> dict[str, Any]:
        """The outbox's depth and the ledger link in codes (core thread)."""
        stats = self.core.records.outbox_stats()
        info: dict[str, Any] = {
            "outboxCount": stats.count,
            "outboxAmount": Money(stats.amount).format(language),
            "ledger": "none",
            "oldestMinutes": -1,
            "ledgerDetail": "",
        }
        if self.worker is not None:
            state = self.worker.state()
            reason = str(state.down_reason or "")
            info["ledger"] = (
                "online" if state.online else reason if reason in LINK_DOWN else "offline"
            )
            if not state.online:
                info["ledgerDetail"] = str(state.last_error or "")
            if state.oldest_age_s is not None:
                info["oldestMinutes"] = int(state.oldest_age_s // 60)
        return info

    # -- encashment: preview, count, confirm, done ----------------------------------------
    def _encash_to(self, step: str, *, problem: str = "") -> None:
        self._encash_step, self._encash_problem = step, problem
        self.changed.emit()

    @Slot()
    def encash(self) -> None:
        """Start a collection: what the kiosk recorded in the cassette, per denomination,
        and since when (nothing is collected before the technician confirms a count)."""
        if self._technician is None:  # only from the menu, after a login
            return
        self._counted_digits, self._done = "", None

        def done(result: tuple[EncashmentPreview, str] | None, error: BaseException | None) -> None:
            if isinstance(error, NotAllowed):
                self._did("encashment refused", logging.WARNING, reason="a payment is in progress")
                self._encash_to("refused", problem="busy")
                return
            if result is None:
                self._did("encashment preview failed", logging.ERROR, error=repr(error))
                self._encash_to("refused", problem="failed")
                return
            self._preview, self._cassette = result
            self._encash_to("preview")

        self._ask(done, self._read_preview)

    def _read_preview(self) -> tuple[EncashmentPreview, str]:
        """On the core thread: the cassette's notes and the id its device reports."""
        self._encash_language = self.core.snapshot().language
        return self.core.tools.encashment_preview(), cassette_id(self.core.acceptor)

    @Slot()
    def encashCount(self) -> None:
        """From the preview to the count: the technician types what they counted."""
        if self._encash_step == "preview" and self._preview is not None and self._preview.count:
            self._encash_to("count")

    @Slot(str)
    def countKey(self, key: str) -> None:
        """The count's keypad: whole tenge, ``back``, ``clear``."""
        self.touched()
        if key == "back":
            self._counted_digits = self._counted_digits[:-1]
        elif key == "clear":
            self._counted_digits = ""
        elif key.isdigit() and len(key) == 1 and len(self._counted_digits) < COUNT_DIGITS_MAX:
            self._counted_digits = (self._counted_digits + key).lstrip("0") or "0"
        self.changed.emit()

    @Slot()
    def encashReview(self) -> None:
        """The count typed: expected, counted and the difference, before anything is done."""
        if self._encash_step == "count" and self._counted_digits:
            self._encash_to("confirm")

    @Slot()
    def encashConfirm(self) -> None:
        """Collect: the notes go to one encashment for the ledger, with the technician's
        name; the count and the difference go on the receipt and into the log."""
        technician = self._technician
        if self._encash_step != "confirm" or technician is None:
            return
        counted = int(self._counted_digits) * 100
        cassette = self._cassette

        def done(result: EncashmentDone | None, error: BaseException | None) -> None:
            if isinstance(error, NothingToCollect):
                self._encash_to("refused", problem="empty")
                return
            if isinstance(error, NotAllowed):
                self._did("encashment refused", logging.WARNING, reason="a payment is in progress")
                self._encash_to("refused", problem="busy")
                return
            if result is None:
                self._did("encashment failed", logging.ERROR, error=repr(error))
                self._encash_to("refused", problem="failed")
                return
            self._done = result
            self._did(
                "encashment from the service menu",
                encashment=result.fields.encashment_id,
                counted=counted,
                difference=result.fields.difference,
                printed=result.printed,
            )
            self._encash_step = "done"
            self.refresh()

        self._ask(done, self.core.encash, cassette, technician.name, counted)

    @Slot()
    def encashBack(self) -> None:
        """One step back (the count to the preview, the review to the count); from the
        preview or the end, back to the status page."""
        back = {"count": "preview", "confirm": "count"}.get(self._encash_step, "")
        if not back:
            self._preview, self._done, self._counted_digits = None, None, ""
        self._encash_to(back)

    def _encash_info(self) -> dict[str, Any]:
        """The encashment pages' numbers, in the screen's language."""
        language = self._encash_language
        preview, done = self._preview, self._done
        info: dict[str, Any] = {"step": self._encash_step, "problem": self._encash_problem}
        if preview is not None:
            expected = preview.total
            counted = int(self._counted_digits or 0) * 100
            info.update(
                notes=[
                    {
                        "note": Money(denomination).format(language),
                        "count": count,
                        "amount": Money(denomination * count).format(language),
                    }
                    for denomination, count in reversed(preview.notes)
                ],
                count=preview.count,
                expected=Money(expected).format(language),
                since=local_moment(preview.since_ms) if preview.since_ms is not None else "",
                sinceLast=preview.since_last,
                cassette=self._cassette,
                counted=Money(counted).format(language) if self._counted_digits else "",
                difference=signed(counted - expected, language),
                balanced=counted == expected,
            )
        if done is not None:
            info.update(
                encashmentId=done.fields.encashment_id,
                printed=done.printed,
                printError=done.print_error or "",
            )
        return info

    @Slot()
    def sendNow(self) -> None:
        if self.worker is not None:
            self._did("send now from the service menu")
            self.worker.retry_now()
        self.refresh()

    # -- printer ------------------------------------------------------------------------
    @Slot()
    def testPrint(self) -> None:
        """Print the test page (every Kazakh letter, the printer's status) and say how it went."""

        def done(outcome: PrintOutcome | None, error: BaseException | None) -> None:
            self._print = outcome or PrintOutcome("not_printed", detail=repr(error))
            self._did(
                "printer test page",
                outcome=self._print.outcome,
                problem=self._print.problem,
                detail=self._print.detail,
            )
            self.refresh()

        self._ask(done, print_test_page, self.core)

    @Slot(str)
    def reprintKey(self, key: str) -> None:
        """The reprint keypad: digits of a receipt number, ``back``, ``clear``."""
        self.touched()
        if key == "back":
            self._reprint_digits = self._reprint_digits[:-1]
        elif key == "clear":
            self._reprint_digits = ""
        elif key.isdigit() and len(key) == 1 and len(self._reprint_digits) < RECEIPT_DIGITS_MAX:
            self._reprint_digits += key
        self.changed.emit()

    @Slot()
    def reprint(self) -> None:
        """Print the typed receipt again, marked as a duplicate."""
        if not self._reprint_digits:
            return
        number = int(self._reprint_digits)

        def done(outcome: PrintOutcome | None, error: BaseException | None) -> None:
            self._print = outcome or PrintOutcome("not_printed", detail=repr(error))
            self._did(
                "receipt reprint from the service menu",
                receipt_number=number,
                outcome=self._print.outcome,
                problem=self._print.problem,
            )
            self.refresh()

        self._ask(done, reprint_receipt, self.core, number)

    # -- acceptance test ----------------------------------------------------------------
    @Slot()
    def startAcceptanceTest(self) -> None:
        """Every note the acceptor recognises is listed and given back; nothing is kept."""

        def done(_: object, error: BaseException | None) -> None:
            if error is not None:
                self._acceptance_error = "session_open"
                self._did("acceptance test refused", logging.WARNING, error=str(error))
                self.changed.emit()
                return
            if self._mode != "menu" or self._page != "acceptance":
                # The technician left the page before the core answered: end it again.
                self._ask(lambda *_: None, self.core.stop_acceptance_test)
                return
            self._testing, self._seen, self._acceptance_error = True, (), ""
            self._did("acceptance test started")
            self._poll.start()
            self.changed.emit()

        self._ask(done, self.core.start_acceptance_test)

    @Slot()
    def stopAcceptanceTest(self) -> None:
        self._end_acceptance_test()
        self.changed.emit()

    def _end_acceptance_test(self) -> None:
        """Stop a running test, keeping what it recognised on the screen."""
        self._poll.stop()
        if not self._testing:
            return
        self._testing = False
        shown = self._mode, self._page  # the screen the recognised notes are for

        def done(seen: tuple[str, ...] | None, error: BaseException | None) -> None:
            if error is not None:
                self._did("acceptance test stop failed", logging.WARNING, error=repr(error))
                return
            self._did("acceptance test stopped", recognised=list(seen or ()))
            if (self._mode, self._page) == shown:
                self._seen = seen or ()
                self.changed.emit()

        # Submitted before anything the caller does next (a restart stops the core thread
        # after the jobs already in its inbox).
        self._ask(done, self.core.stop_acceptance_test)

    def _poll_acceptance(self) -> None:
        if self._polling:
            return  # the last poll's answer is still on its way

        def done(seen: tuple[str, ...] | None, error: BaseException | None) -> None:
            self._polling = False
            if not self._testing:
                return  # stopped meanwhile: the stop's answer has the final list
            if error is not None:  # the core has stopped under a running test
                self._poll.stop()
                log_event(log, "acceptance test poll stopped", logging.WARNING, error=str(error))
            elif seen is None:  # ended elsewhere
                self._poll.stop()
                self._testing = False
                self.changed.emit()
            elif seen != self._seen:
                self._seen = seen
                self.changed.emit()

        self._polling = True
        self._ask(done, lambda: self.core.acceptance_test)

    # -- log, restart, exit -------------------------------------------------------------
    def _log_path(self) -> Path | None:
        path = self.core.config.logging.path
        return Path(path) if path is not None else None

    @Slot()
    def readLog(self) -> None:
        """The newest lines of the kiosk's log file (none when the log goes to stderr)."""
        path = self._log_path()
        self._log_lines, self._log_error = [], ""
        if path is None:
            self._log_state = "terminal"
        elif not path.exists():
            self._log_state = "missing"
        else:
            try:
                lines = read_log_tail(path)
            except OSError as exc:
                self._log_state, self._log_error = "unreadable", str(exc)
            else:
                self._log_state = "file"
                self._log_lines = [
                    {"time": line.time, "level": line.level, "event": line.event} for line in lines
                ]
        self.changed.emit()

    @Slot()
    def restart(self) -> None:
        """Stop what the menu runs, then hand over to the program's clean restart."""
        if self.restart_kiosk is None:
            return
        self._did("kiosk restart from the service menu")
        self.close()
        self.restart_kiosk()

    @Slot()
    def exitKiosk(self) -> None:
        self._did("kiosk closed from the service menu")
        self.close()
        self.quit_kiosk()
