"""The technician's and the status screen's tools: reprints, the customer's print of a
receipt that never came out, the status look-ups (throttled), the acceptance test and the
encashment. Runs on the core thread; refused while a customer's cash is being taken."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.cash import CashDesk
from kiosk.config import TerminalConfig
from kiosk.domain.clock import Clock
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Language, Money
from kiosk.domain.privacy import LookupThrottle, mask_account
from kiosk.payment import PaymentDesk, PrinterError, ReceiptPrinter
from kiosk.printer_policy import PRINTER_CHECK_S, PrinterPolicy
from kiosk.receipts import EncashmentFields, ReceiptFields, render_text
from kiosk.session import NotAllowed, Screens, SessionSlot, State
from kiosk.store import lookups
from kiosk.store.db import Store
from kiosk.store.models import Encashment
from kiosk.store.records import Records

log = logging.getLogger("kiosk.core")

__all__ = ["PRINTER_CHECK_S", "EncashmentDone", "TechnicianTools"]


@dataclass(frozen=True, slots=True)
class EncashmentDone:
    encashment: Encashment
    fields: EncashmentFields
    printed: bool
    print_error: str | None


class TechnicianTools:
    """Owns the status screen's look-up throttle; everything else it asks of its parts."""

    def __init__(
        self,
        store: Store,
        records: Records,
        terminal: TerminalConfig,
        clock: Clock,
        session: SessionSlot,
        payments: PaymentDesk,
        printing: PrinterPolicy,
        cash: CashDesk,
        screens: Screens,
    ) -> None:
        self.store = store
        self.records = records
        self.terminal = terminal
        self.clock = clock
        self.session = session
        self.payments = payments
        self.printing = printing
        self.cash = cash
        self.screens = screens
        self._throttle = LookupThrottle()

    @property
    def printer(self) -> ReceiptPrinter | None:
        return self.printing.printer

    def _refuse_while_paying(self) -> None:
        if self.session.taking_cash():
            raise NotAllowed("a payment is in progress")

    def reprint(self, operation_id: str) -> bool:
        """Print a stored receipt again, marked as a duplicate; never while cash is taken."""
        self._refuse_while_paying()
        printed = self.payments.reprint(operation_id)
        self.printing.check(force=True)
        return printed

    def print_missing_receipt(self, operation_id: str, *, typed_operation: str = "") -> bool:
        """The customer's print (status screen): only a receipt that never came out.
        Anyone can type a receipt number there, so a look-up by receipt number prints a
        copy with the account masked and leaves the receipt unprinted for its owner; with
        the whole operation number typed (only the payer has it; its start is a clock
        reading anyone can guess) it prints whole, once. A copy of a printed receipt would
        hand a stranger someone's account number: the service menu uses ``reprint``."""
        receipt = self.records.receipt_of(operation_id)
        if receipt is None:
            raise KeyError(f"no receipt for operation {operation_id}")
        if receipt.printed_at is not None:
            raise NotAllowed("this receipt was printed already: ask the service staff")
        if _hex(typed_operation) == _hex(operation_id):
            return self.reprint(operation_id)
        self._refuse_while_paying()
        printer = self.printer
        if printer is None:
            return False
        stored = ReceiptFields.from_json(receipt.fields)
        fields = dataclasses.replace(stored, account=mask_account(stored.account))
        language: Language = receipt.language  # type: ignore[assignment]
        text = render_text(fields, language, width=self.payments.receipt_width, duplicate=True)
        log_event(
            log,
            "masked receipt copy",
            receipt_number=receipt.receipt_number,
            operation_id=operation_id,
        )
        try:
            printer.print_receipt(text, fields, language, True)
        except PrinterError as exc:
            log_event(
                log,
                "masked receipt copy not printed",
                logging.WARNING,
                receipt_number=receipt.receipt_number,
                error=str(exc),
            )
            return False
        finally:
            self.printing.check(force=True)
        return True

    def payment_status(self, receipt_number: int, inserted: Money) -> lookups.PaymentStatus | None:
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

    def _throttled(
        self, look_up: Callable[[], lookups.PaymentStatus | None]
    ) -> lookups.PaymentStatus | None:
        now = self.clock.monotonic()
        self._throttle.check(now)
        found = look_up()
        if found is None:
            self._throttle.missed(now)
        return found

    def recent_device_events(self, limit: int = 5) -> list[str]:
        return lookups.recent_device_events(self.store, limit)

    # -- technician ---------------------------------------------------------------------
    def start_acceptance_test(self) -> None:
        """Enable every note with no session open: each note inserted is recognised, logged
        and returned from escrow, never stacked (no money is kept by a test)."""
        live = self.session.live
        if live is not None and live.state not in (State.DONE, State.CANCELLED):
            raise NotAllowed("a customer session is open")
        self.session.close()
        log_event(log, "acceptance test started")
        self.cash.begin_acceptance_test()
        self.screens.publish()

    def stop_acceptance_test(self) -> tuple[str, ...]:
        """End the test; returns what the acceptor recognised, in order."""
        seen = self.cash.end_acceptance_test()
        log_event(log, "acceptance test ended", notes=len(seen))
        self.screens.publish()
        return seen

    def encash(self, cassette_id: str, technician_id: str, language: Language) -> EncashmentDone:
        """Collect the cassette: every note since the last collection goes to one
        encashment (reported to the ledger through the outbox), and its receipt is printed
        in the screen's language. Refused while a customer's cash is being taken."""
        self._refuse_while_paying()
        terminal = self.terminal
        row = self.records.encash(
            int(self.clock.now() * 1000), cassette_id, technician_id, terminal.id
        )
        fields = EncashmentFields(
            encashment_id=self.records.encashment_reference(terminal.id, row.id),
            terminal_id=terminal.id,
            terminal_address=terminal.address,
            agent_name=terminal.agent_name,
            cassette_id=cassette_id,
            technician_id=technician_id,
            period_start_ms=row.period_start if row.period_start is not None else row.at,
            period_end_ms=row.at,
            notes=tuple((int(k), int(v)) for k, v in json.loads(row.counts).items()),
        )
        log_event(
            log,
            "encashment",
            cassette=cassette_id,
            technician=technician_id,
            notes=row.notes,
            total=row.total,
        )
        if self.printer is None:
            return EncashmentDone(row, fields, False, "no receipt printer")
        try:
            self.printer.print_encashment(fields, language)
        except PrinterError as exc:
            log_event(log, "encashment receipt not printed", logging.WARNING, error=str(exc))
            return EncashmentDone(row, fields, False, str(exc))
        return EncashmentDone(row, fields, True, None)


def _hex(operation: str) -> str:
    return "".join(ch for ch in operation.lower() if ch != "-")
