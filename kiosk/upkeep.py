"""The core's care of its devices: the printer's state and the no-paper policy, reprints,
the technician's acceptance test, device states for the heartbeat, and the look-ups the
status and service screens make. Mixed into KioskCore; runs on the core thread."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.cash import CashHandling, LiveSession
from kiosk.domain.money import Language, Money
from kiosk.domain.privacy import LookupThrottle, mask_account
from kiosk.logs import log_event
from kiosk.payment import PrinterError, PrinterReadiness, ReceiptPrinter
from kiosk.receipts import EncashmentFields, ReceiptFields, render_text
from kiosk.session import NotAllowed, State
from kiosk.store import lookups
from kiosk.store.models import Encashment

log = logging.getLogger("kiosk.core")

# How often an idle kiosk asks the printer for its state (each ask is four DLE EOT queries).
PRINTER_CHECK_S = 20.0


@dataclass(frozen=True, slots=True)
class EncashmentDone:
    encashment: Encashment
    fields: EncashmentFields
    printed: bool
    print_error: str | None


class DeviceUpkeep(CashHandling):
    """Printer policy and technician tools; KioskCore adds the customer's side."""

    printer: ReceiptPrinter | None
    _printer: PrinterReadiness | None
    _printer_checked: float

    def reprint(self, operation_id: str) -> bool:
        """Print a stored receipt again, marked as a duplicate; never while cash is taken."""
        live = self._live
        if live is not None and live.state in (State.ACCEPTING, State.PAYING):
            raise NotAllowed("a payment is in progress")
        printed = self.desk.reprint(operation_id)
        self.check_printer(force=True)
        return printed

    def print_missing_receipt(self, operation_id: str, *, typed_operation: str = "") -> bool:
        """The customer's print (status screen): only a receipt that never came out.
        Anyone can type a receipt number there, so a look-up by receipt number prints a
        copy with the account masked and leaves the receipt unprinted for its owner; with
        the whole operation number typed (only the payer has it; its start is a clock
        reading anyone can guess) it prints whole, once. A
        copy of a printed receipt would hand a stranger someone's account number: the
        service menu uses ``reprint``."""
        receipt = self.records.receipt_of(operation_id)
        if receipt is None:
            raise KeyError(f"no receipt for operation {operation_id}")
        if receipt.printed_at is not None:
            raise NotAllowed("this receipt was printed already: ask the service staff")
        if _hex(typed_operation) == _hex(operation_id):
            return self.reprint(operation_id)
        live = self._live
        if live is not None and live.state in (State.ACCEPTING, State.PAYING):
            raise NotAllowed("a payment is in progress")
        if self.printer is None:
            return False
        stored = ReceiptFields.from_json(receipt.fields)
        fields = dataclasses.replace(stored, account=mask_account(stored.account))
        language: Language = receipt.language  # type: ignore[assignment]
        text = render_text(fields, language, width=self.desk.receipt_width, duplicate=True)
        log_event(log, "masked receipt copy", receipt_number=receipt.receipt_number,
                  operation_id=operation_id)
        try:
            self.printer.print_receipt(text, fields, language, True)
        except PrinterError as exc:
            log_event(log, "masked receipt copy not printed", logging.WARNING,
                      receipt_number=receipt.receipt_number, error=str(exc))
            return False
        finally:
            self.check_printer(force=True)
        return True

    def payment_status(self, receipt_number: int,
                       inserted: Money) -> lookups.PaymentStatus | None:
        """A payment of this terminal by its receipt number *and* the cash inserted (the
        status screen: a bare number would show anyone's payment); a wrong amount is a
        miss like an unknown number. Raises LookupLocked while repeated misses pause the
        screen's look-ups."""
        def look_up() -> lookups.PaymentStatus | None:
            found = lookups.payment_status(self.store, receipt_number)
            return found if found is not None and found.inserted == inserted else None
        return self._throttled(look_up)

    def payment_status_by_operation(self, typed: str) -> lookups.PaymentStatus | None:
        """A payment by its operation number (or its first 8+ hex digits); raises
        lookups.AmbiguousOperation when several match, LookupLocked while paused."""
        return self._throttled(lambda: lookups.payment_status_by_operation(self.store, typed))

    def _throttled(self, look_up: Callable[[], lookups.PaymentStatus | None]
                   ) -> lookups.PaymentStatus | None:
        throttle = self._lookup_throttle
        now = self.clock.monotonic()
        throttle.check(now)
        found = look_up()
        if found is None:
            throttle.missed(now)
        return found

    @property
    def _lookup_throttle(self) -> LookupThrottle:
        # Made on first use: the status screen is the only caller (core thread).
        throttle: LookupThrottle | None = getattr(self, "_throttle", None)
        if throttle is None:
            throttle = LookupThrottle()
            self._throttle = throttle
        return throttle

    def recent_device_events(self, limit: int = 5) -> list[str]:
        return lookups.recent_device_events(self.store, limit)

    # -- technician ---------------------------------------------------------------------
    def start_acceptance_test(self) -> None:
        """Enable every note with no session open: each note inserted is recognised, logged
        and returned from escrow, never stacked (no money is kept by a test)."""
        if self._live is not None and self._live.state not in (State.DONE, State.CANCELLED):
            raise NotAllowed("a customer session is open")
        self._live = None
        self._acceptance_test = []
        log_event(log, "acceptance test started")
        self._apply_enabled()
        self._publish()

    def stop_acceptance_test(self) -> tuple[str, ...]:
        """End the test; returns what the acceptor recognised, in order."""
        seen = tuple(self._acceptance_test or ())
        self._acceptance_test = None
        log_event(log, "acceptance test ended", notes=len(seen))
        self._apply_enabled()
        self._publish()
        return seen

    @property
    def acceptance_test(self) -> tuple[str, ...] | None:
        """The running test's results so far (None when no test runs)."""
        return tuple(self._acceptance_test) if self._acceptance_test is not None else None

    @property
    def printer_state(self) -> PrinterReadiness | None:
        """The printer's last known state (None without a printer or before the first ask)."""
        return self._printer

    def _no_paper_policy(self) -> str:
        printer = self.config.printer
        return printer.no_paper_policy if printer is not None else "ask"

    def check_printer(self, *, force: bool = False) -> PrinterReadiness | None:
        """Ask the printer and apply the no-paper policy: out of service, or (``ask``) the
        customer is asked before cash. Never while cash is being taken: a silent printer
        costs a reply timeout per query, and acceptor events must not wait on it."""
        if self.printer is None:
            return None
        live = self._live
        if live is not None and live.state in (State.ACCEPTING, State.PAYING, State.RECEIPT):
            return self._printer
        now = self.clock.monotonic()
        if not force and now - self._printer_checked < PRINTER_CHECK_S:
            return self._printer
        try:
            reading = self.printer.readiness()
        except PrinterError as exc:
            reading = PrinterReadiness("unknown", str(exc))
        self._printer_checked = now
        previous, self._printer = self._printer, reading
        if previous is None or previous.state != reading.state:
            log_event(log, "printer state", logging.INFO if reading.state == "ok"
                      else logging.WARNING, state=reading.state, reason=reading.reason)
        if self._no_paper_policy() == "out_of_service" and not reading.can_print:
            self._fault("printer", reading.reason)
        else:
            self._clear_fault("printer")
        if previous != reading:
            self._publish()
        return reading

    def device_report(self) -> dict[str, object]:
        """Device states for the ledger's heartbeat (read from the outbox worker's thread:
        plain attribute reads of values the core replaces whole)."""
        report: dict[str, object] = {"out_of_service": sorted(self._faults)}
        acceptor = self.acceptor
        if acceptor is not None:
            validator: dict[str, object] = {
                "protocol": acceptor.protocol, "state": acceptor.state,
                "connected": acceptor.connected}
            alerts = acceptor.link_alerts
            if alerts:
                validator["alerts"] = dict(alerts)
            report["validator"] = validator
        printer = self._printer
        if printer is not None:
            report["printer"] = {"state": printer.state, "reason": printer.reason}
        return report

    def _needs_receipt_choice(self, live: LiveSession) -> bool:
        printer = self._printer
        return (live.state is State.ACCOUNT_CHECKED and printer is not None
                and not printer.can_print and self._no_paper_policy() == "ask")

    def encash(self, cassette_id: str, technician_id: str) -> EncashmentDone:
        """Collect the cassette: every note since the last collection goes to one
        encashment (reported to the ledger through the outbox), and its receipt is printed
        in the screen's language. Refused while a customer's cash is being taken."""
        live = self._live
        if live is not None and live.state in (State.ACCEPTING, State.PAYING):
            raise NotAllowed("a payment is in progress")
        terminal = self.config.terminal
        row = self.records.encash(self._now_ms(), cassette_id, technician_id, terminal.id)
        fields = EncashmentFields(
            encashment_id=self.records.encashment_reference(terminal.id, row.id),
            terminal_id=terminal.id,
            terminal_address=terminal.address, agent_name=terminal.agent_name,
            cassette_id=cassette_id, technician_id=technician_id,
            period_start_ms=row.period_start if row.period_start is not None else row.at,
            period_end_ms=row.at,
            notes=tuple((int(k), int(v)) for k, v in json.loads(row.counts).items()))
        log_event(log, "encashment", cassette=cassette_id, technician=technician_id,
                  notes=row.notes, total=row.total)
        if self.printer is None:
            return EncashmentDone(row, fields, False, "no receipt printer")
        try:
            self.printer.print_encashment(fields, self._language)
        except PrinterError as exc:
            log_event(log, "encashment receipt not printed", logging.WARNING, error=str(exc))
            return EncashmentDone(row, fields, False, str(exc))
        return EncashmentDone(row, fields, True, None)


def _hex(operation: str) -> str:
    return "".join(ch for ch in operation.lower() if ch != "-")
