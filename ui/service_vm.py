"""The technician's service menu behind their number and PIN: device and sync status,
encashment, send now, the printer's test page and reprints, the acceptance test, the recent
log, restart and exit. Everything done from the menu is logged with the technician's name,
and an encashment goes to the ledger with it. Reads the core and the link on the core thread
without waiting for it: each job's answer comes back through a queued signal
(docs/decisions/026). QML only draws and says it in words."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.core import NotAllowed
from kiosk.domain.clock import Clock
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Money
from kiosk.runtime import CoreThread
from kiosk.technicians import (
    NUMBER_DIGITS,
    LegacyPinFile,
    LoginOutcome,
    Technician,
    TechnicianError,
    Technicians,
)
from sync.outbox import OutboxWorker
from ui import texts
from ui.service_tools import (
    PrintOutcome,
    link_alerts_line,
    print_test_page,
    printer_line,
    read_log_tail,
    reprint_receipt,
)

log = logging.getLogger("ui.service")
PIN_DIGITS_MAX = 12
RECEIPT_DIGITS_MAX = 9
ACCEPTANCE_POLL_MS = 200
PAGES = ("status", "printer", "acceptance", "log")


@dataclass(frozen=True, slots=True)
class MenuStatus:
    lines: dict[str, str]
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
        self._encashment = ""
        self._cassettes = 0
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
            "encashment": self._encashment,
            "statusText": "\n".join(f"{k}: {v}" for k, v in self._status.lines.items()),
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
    statusText = Property(str, lambda self: self._get("statusText"), notify=changed)
    encashment = Property(str, lambda self: self._get("encashment"), notify=changed)
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
        try:
            locked_s = self.technicians.lock_remaining()
        except TechnicianError as exc:
            self._pin_message = self._file_problem(exc)
        else:
            if locked_s > 0:
                self._pin_message = texts.pin_text("locked", minutes=int(locked_s // 60) + 1)
        self.changed.emit()

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
        self._mode, self._pin, self._pin_message, self._encashment = "closed", "", "", ""
        self._step, self._number = "number", ""
        self._page, self._print, self._reprint_digits = "status", PrintOutcome(""), ""
        self._seen, self._acceptance_error = (), ""
        self.changed.emit()

    @Slot(str)
    def pinKey(self, key: str) -> None:
        """The login keypad: digits of the number (then of the PIN), ``back``, ``clear``
        (start again from the number)."""
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
        """On the core thread."""
        core = self.core
        acceptor = core.acceptor
        status: dict[str, str] = {"terminal": self.terminal_id}
        if technician is not None:
            status["technician"] = f"{technician.name} ({technician.number})"
        if acceptor is not None:
            identity = acceptor.identity
            status["validator"] = (
                f"{acceptor.protocol} {acceptor.state}"
                f"{'' if acceptor.connected else ' (not connected)'}"
            )
            if identity is not None:
                status["validator id"] = f"{identity.model} {identity.serial} {identity.firmware}"
            notes = (Money(n).format("en") for n in acceptor.bill_table if n)
            status["bill table"] = ", ".join(notes)
            alerts = acceptor.link_alerts
            if alerts:
                status["validator link"] = link_alerts_line(alerts)
        printer = printer_line(core)
        status["printer"] = printer.text
        status["out of service"] = ", ".join(sorted(core.faults)) or "no"
        stats = core.records.outbox_stats()
        status["waiting for ledger"] = f"{stats.count} ({Money(stats.amount).format('en')})"
        if self.worker is not None:
            state = self.worker.state()
            why = {
                "auth": "the ledger refuses this terminal",
                "tls": "TLS failed",
                "unsigned": "answers not signed by the ledger",
            }.get(str(state.down_reason or ""), "unreachable")
            status["ledger"] = "online" if state.online else f"offline, {why}: {state.last_error}"
            if state.oldest_age_s is not None:
                status["oldest waiting"] = f"{int(state.oldest_age_s)} s"
        status["counters"] = json.dumps(core.records.counters(), sort_keys=True)
        for number, line in enumerate(core.recent_device_events(), start=1):
            status[f"event {number}"] = line
        return MenuStatus(status, printer.state, printer.reason)

    @Slot()
    def encash(self) -> None:
        """Record the cassette's collection: counts per note, reported to the ledger with
        the technician's name (the core logs it with the name too)."""
        if self._technician is None:  # only from the menu, after a login
            return
        self._cassettes += 1
        cassette = f"CAS-{int(self.clock.now())}-{self._cassettes}"

        def done(result: Any, error: BaseException | None) -> None:
            if isinstance(error, NotAllowed):
                self._did(
                    "encashment refused",
                    logging.WARNING,
                    cassette=cassette,
                    reason="a payment is in progress",
                )
                self._encashment = "not now: a customer's payment is in progress"
                self.changed.emit()
                return
            if error is not None:
                self._did("encashment failed", logging.ERROR, cassette=cassette, error=repr(error))
                self._encashment = f"{cassette}: failed: {error}"
                self.changed.emit()
                return
            record = result.encashment
            counts = json.loads(record.counts)
            lines = [f"{cassette}: {record.notes} notes, {Money(record.total).format('en')}"]
            lines += [
                f"{Money(int(k)).format('en')} × {v}"
                for k, v in sorted(counts.items(), key=lambda kv: int(kv[0]))
            ]
            lines.append(
                "receipt printed"
                if result.printed
                else f"receipt not printed: {result.print_error}"
            )
            self._encashment = "\n".join(lines)
            self.refresh()

        self._ask(done, self.core.encash, cassette, self._technician.name)

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
