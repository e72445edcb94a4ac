"""Completing a payment: one durable transaction, then the receipt.

Used by the customer's Pay, by the cash timeout and by crash recovery alike, so a payment
is always built the same way: the amounts come from the cash journal (what the cassette
holds), never from memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Protocol

from kiosk.crashpoints import CrashPoint, Hook
from kiosk.domain.catalog import Catalog
from kiosk.domain.clock import Clock, iso_utc
from kiosk.domain.commission import Breakdown
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import CURRENCY_CODE, Language, Money
from kiosk.domain.wire import PaymentWire
from kiosk.receipts import EncashmentFields, ReceiptFields, render_text
from kiosk.store.lookups import HELD, ledger_answer
from kiosk.store.models import Receipt
from kiosk.store.records import PaymentDraft, Records

log = logging.getLogger("kiosk.payment")


class PrinterError(Exception):
    """The receipt could not be printed (no paper, offline, no answer)."""


# Printer states (drivers/printer/status.py) in which a receipt can be printed; "unchecked"
# is a link that cannot read status at all (file://), configured so on purpose.
PRINTABLE_STATES = frozenset({"ok", "paper_near_end", "unchecked"})


@dataclass(frozen=True, slots=True)
class PrinterReadiness:
    """What the core needs to know about the printer before taking cash."""

    state: str  # ok, paper_near_end, paper_out, cover_open, offline, error, unknown, unchecked
    reason: str

    @property
    def can_print(self) -> bool:
        return self.state in PRINTABLE_STATES


class ReceiptPrinter(Protocol):
    @property
    def width(self) -> int:
        """Columns of the paper: receipts are laid out for it."""

    def readiness(self) -> PrinterReadiness:
        """Ask the printer now (may take up to a reply timeout per query)."""

    def print_receipt(
        self, text: str, fields: ReceiptFields, language: Language, duplicate: bool
    ) -> None:
        """Print one receipt; raise PrinterError when it did not print."""

    def print_encashment(self, fields: EncashmentFields, language: Language) -> None:
        """Print an encashment receipt; raise PrinterError when it did not print."""


class TerminalInfo(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def agent_name(self) -> str: ...
    @property
    def agent_bin(self) -> str: ...
    @property
    def support_phone(self) -> str: ...
    @property
    def status_url(self) -> str | None: ...
    def address_in(self, language: Language) -> str: ...
    def agent_name_in(self, language: Language) -> str: ...


@dataclass(frozen=True, slots=True)
class CompletedPayment:
    operation_id: str
    receipt_number: int
    local_seq: int
    breakdown: Breakdown
    receipt_text: str
    printed: bool


def payment_body(
    draft: PaymentDraft,
    receipt_number: int,
    local_seq: int,
    terminal_id: str,
    notes: list[int],
    catalog_version: str,
) -> bytes:
    """The exact bytes the ledger receives for this payment (the domain's wire form, stored
    once).

    ``catalog_version`` names the catalog the commission was computed with: the ledger
    checks the payment against that catalog."""
    return PaymentWire(
        operation_id=draft.operation_id,
        local_seq=local_seq,
        receipt_number=receipt_number,
        terminal_id=terminal_id,
        service=draft.service_id,
        account=draft.account,
        inserted=draft.inserted,
        commission=draft.commission,
        credited=draft.credited,
        currency=CURRENCY_CODE,
        created_at=iso_utc(draft.created_at / 1000),
        notes=tuple(notes),
        offline=draft.offline,
        recovered=draft.recovered,
        completion=draft.completion,
        catalog_version=catalog_version,
    ).to_wire()


class PaymentDesk:
    def __init__(
        self,
        records: Records,
        catalog: Catalog,
        terminal: TerminalInfo,
        clock: Clock,
        printer: ReceiptPrinter | None,
        hooks: Hook,
    ) -> None:
        self.records = records
        self.catalog = catalog
        self.terminal = terminal
        self.clock = clock
        self.printer = printer
        self.hooks = hooks
        # The stored text is laid out for the paper in use (42 columns without a printer).
        self.receipt_width = printer.width if printer is not None else 42

    def complete(
        self,
        operation_id: str,
        service_id: str,
        account: str,
        language: Language,
        *,
        completion: str,
        offline: bool,
        recovered: bool,
        from_state: str = "paying",
    ) -> CompletedPayment:
        """Commit the payment, its receipt and its outbox row, then print. Raises StoreError
        when the commit fails (nothing is half-written)."""
        notes = self.records.session_notes(operation_id)
        if not notes:
            raise ValueError(f"session {operation_id} has no cash to pay")
        catalog = self.catalog  # one catalog prices the payment and is named in its body
        service = catalog.get(service_id)
        breakdown = service.commission.breakdown(Money(sum(notes)))
        now_ms = int(self.clock.now() * 1000)
        draft = PaymentDraft(
            operation_id=operation_id,
            service_id=service_id,
            account=account,
            inserted=breakdown.inserted.tiyn,
            commission=breakdown.commission.tiyn,
            credited=breakdown.credited.tiyn,
            created_at=now_ms,
            completion=completion,
            offline=offline,
            recovered=recovered,
            language=language,
            from_state=from_state,
        )
        texts: dict[str, str] = {}

        def receipt_for(number: int) -> tuple[str, str]:
            fields = ReceiptFields(
                receipt_number=number,
                operation_id=operation_id,
                paid_at_ms=now_ms,
                terminal_id=self.terminal.id,
                # The receipt is in the customer's language: so are the names on it.
                terminal_address=self.terminal.address_in(language),
                agent_name=self.terminal.agent_name_in(language),
                agent_bin=self.terminal.agent_bin,
                support_phone=self.terminal.support_phone,
                service_id=service_id,
                service_name=service.name(language),
                operator_name=service.operator.name_in(language),
                operator_bin=service.operator.bin,
                operator_phone=service.operator.phone,
                operator_support_phone=service.operator.support_phone,
                account=account,
                inserted=draft.inserted,
                commission=draft.commission,
                credited=draft.credited,
                currency="KZT",
                recovered=recovered,
                status_url=self.terminal.status_url,
                below_minimum=breakdown.inserted < service.min_amount,
                min_amount=service.min_amount.tiyn,
            )
            texts["text"] = render_text(fields, language, width=self.receipt_width)
            return fields.to_json(), texts["text"]

        committed = self.records.commit_payment(
            draft,
            receipt_for,
            lambda number, seq: payment_body(
                draft, number, seq, self.terminal.id, notes, catalog.version
            ),
            before_commit=lambda: self.hooks(CrashPoint.PAYMENT_COMMIT),
        )
        self.hooks(CrashPoint.PAYMENT_COMMITTED)
        log_event(
            log,
            "payment committed",
            operation_id=operation_id,
            receipt_number=committed.receipt_number,
            inserted=draft.inserted,
            credited=draft.credited,
            completion=completion,
            account=account,
        )
        receipt = self.records.receipt_of(operation_id)
        printed = self.print(receipt, duplicate=False) if receipt is not None else False
        return CompletedPayment(
            operation_id,
            committed.receipt_number,
            committed.local_seq,
            breakdown,
            texts["text"],
            printed,
        )

    def reprint(self, operation_id: str) -> bool:
        """Print a stored receipt again, marked as a duplicate (service menu, status screen)."""
        receipt = self.records.receipt_of(operation_id)
        if receipt is None:
            raise KeyError(f"no receipt for operation {operation_id}")
        log_event(
            log, "receipt reprint", receipt_number=receipt.receipt_number, operation_id=operation_id
        )
        return self.print(receipt, duplicate=True)

    def print(self, receipt: Receipt, *, duplicate: bool) -> bool:
        """Print a stored receipt; a failure is recorded and the payment stands."""
        if self.printer is None:
            return False
        now_ms = int(self.clock.now() * 1000)
        self.records.mark_print(receipt.receipt_number, now_ms, started=True)
        fields = ReceiptFields.from_json(receipt.fields)
        if duplicate and ledger_answer(self.records.store, receipt.operation_id) == HELD:
            fields = replace(fields, rejected=True)  # a copy tells what is known now
        language: Language = receipt.language  # type: ignore[assignment]
        text = render_text(fields, language, width=self.receipt_width, duplicate=duplicate)
        try:
            self.printer.print_receipt(text, fields, language, duplicate)
        except PrinterError as exc:
            self.records.mark_print(receipt.receipt_number, now_ms, error=str(exc))
            log_event(
                log,
                "receipt not printed",
                logging.WARNING,
                receipt_number=receipt.receipt_number,
                error=str(exc),
            )
            return False
        self.hooks(CrashPoint.RECEIPT_PRINTED)
        self.records.mark_print(receipt.receipt_number, int(self.clock.now() * 1000), printed=True)
        return True
