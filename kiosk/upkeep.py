"""The technician's and the status screen's tools: reprints, the customer's print of a
receipt that never came out, the status look-ups (throttled), the acceptance test and the
encashment. Runs on the core thread; refused while a customer's cash is being taken."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from kiosk.cash import CashDesk
from kiosk.config import TerminalConfig
from kiosk.domain.clock import KZ_TIME, Clock
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Language, Money
from kiosk.domain.privacy import LookupThrottle, mask_account
from kiosk.payment import PaymentDesk, PrinterError, ReceiptPrinter
from kiosk.printer_policy import PRINTER_CHECK_S, PrinterPolicy
from kiosk.receipts import EncashmentFields, ReceiptFields, render_text
from kiosk.session import NotAllowed, Screens, SessionSlot, State
from kiosk.store import lookups
from kiosk.store.db import Store
from kiosk.store.models import CashEntry, DeviceEvent, Encashment, Payment
from kiosk.store.records import Records

log = logging.getLogger("kiosk.core")

__all__ = [
    "PRINTER_CHECK_S",
    "DeviceEventLine",
    "EncashmentDone",
    "EncashmentPreview",
    "NothingToCollect",
    "ServiceCounters",
    "TechnicianTools",
]


class NothingToCollect(NotAllowed):
    """An encashment with no note recorded since the last one (the ledger refuses those)."""


@dataclass(frozen=True, slots=True)
class EncashmentPreview:
    """What a collection now would take: the notes not yet collected, per denomination, and
    since when (the last collection, else the first note)."""

    notes: tuple[tuple[int, int], ...]  # (denomination in tiyn, count), ascending
    since_ms: int | None  # None: never collected and no note yet
    since_last: bool  # since_ms is the last collection (else the first note stacked)

    @property
    def count(self) -> int:
        return sum(count for _, count in self.notes)

    @property
    def total(self) -> int:
        return sum(denomination * count for denomination, count in self.notes)


@dataclass(frozen=True, slots=True)
class ServiceCounters:
    """The service menu's counters: the cassette, today's payments (Kazakhstan's day)."""

    cassette_notes: int
    cassette_total: int  # tiyn
    payments_today: int


@dataclass(frozen=True, slots=True)
class DeviceEventLine:
    at_ms: int
    device: str
    kind: str
    detail: str


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

    def recent_device_event_lines(self, limit: int = 5) -> list[DeviceEventLine]:
        """The latest device events, newest first, with their time (the service menu says
        them in words)."""
        with self.store.reading() as s:
            rows = s.execute(
                select(DeviceEvent.at, DeviceEvent.device, DeviceEvent.kind, DeviceEvent.detail)
                .order_by(DeviceEvent.id.desc())
                .limit(limit)
            ).all()
        return [
            DeviceEventLine(at, device, kind, detail or "") for at, device, kind, detail in rows
        ]

    def encashment_preview(self) -> EncashmentPreview:
        """The notes a collection now would take; refused while a customer's cash is taken
        (the count would change under the technician's eyes)."""
        self._refuse_while_paying()
        with self.store.reading() as s:
            rows = s.execute(
                select(CashEntry.amount, CashEntry.stacked_at).where(
                    CashEntry.encashment_id.is_(None)
                )
            ).all()
            previous = s.scalar(select(func.max(Encashment.at)))
        counts: dict[int, int] = {}
        for amount, _ in rows:
            counts[amount] = counts.get(amount, 0) + 1
        first = min((at for _, at in rows), default=None)
        return EncashmentPreview(
            tuple(sorted(counts.items())),
            previous if previous is not None else first,
            previous is not None,
        )

    def service_counters(self) -> ServiceCounters:
        """Notes and amount in the cassette, payments since local midnight."""
        now = datetime.fromtimestamp(self.clock.now(), UTC).astimezone(KZ_TIME)
        midnight_ms = int(now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() * 1000)
        with self.store.reading() as s:
            notes, total = s.execute(
                select(func.count(), func.coalesce(func.sum(CashEntry.amount), 0)).where(
                    CashEntry.encashment_id.is_(None)
                )
            ).one()
            today = s.scalar(select(func.count()).where(Payment.created_at >= midnight_ms))
        return ServiceCounters(int(notes), int(total), int(today or 0))

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

    def encash(
        self,
        cassette_id: str,
        technician_id: str,
        language: Language,
        counted: int | None = None,
    ) -> EncashmentDone:
        """Collect the cassette: every note since the last collection goes to one
        encashment (reported to the ledger through the outbox), and its receipt is printed
        in the screen's language. Refused while a customer's cash is being taken.

        ``cassette_id`` is what the device reports ("" when it reports none: never made
        up). ``counted`` (tiyn) is the technician's count: the ledger's encashment report
        has no field for it, so it goes on the receipt and into the log beside the
        recorded total."""
        self._refuse_while_paying()
        if self.encashment_preview().count == 0:
            # The ledger refuses an encashment of no notes: nothing is recorded for it.
            raise NothingToCollect("no note was taken since the last collection")
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
            counted=counted,
        )
        log_event(
            log,
            "encashment",
            logging.INFO if not fields.difference else logging.WARNING,
            encashment=fields.encashment_id,
            cassette=cassette_id or None,
            technician=technician_id,
            notes=row.notes,
            total=row.total,
            counted=counted,
            difference=fields.difference,
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
