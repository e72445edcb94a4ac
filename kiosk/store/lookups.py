"""Read-only questions the screens ask the kiosk's database: a payment's status by receipt
number ("processing" until the ledger has it, then "completed"), and recent device events."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kiosk.money import Money
from kiosk.store.db import Store
from kiosk.store.models import DeviceEvent, OutboxItem, Payment, Receipt

# Outbox results that mean the ledger has not taken the payment (a technician follows up).
_NOT_TAKEN = ("refused", "conflict")


@dataclass(frozen=True, slots=True)
class PaymentStatus:
    receipt_number: int
    operation_id: str
    service_id: str
    account: str
    credited: Money
    created_at_ms: int
    completed: bool
    printed: bool  # the receipt came out of the printer at least once


def payment_status(store: Store, receipt_number: int) -> PaymentStatus | None:
    """The payment with this receipt number at this terminal, or None."""
    with store.reading() as session:
        payment = session.scalars(
            select(Payment).where(Payment.receipt_number == receipt_number)).first()
        if payment is None:
            return None
        item = session.scalars(select(OutboxItem).where(
            OutboxItem.kind == "payment", OutboxItem.ref == payment.operation_id)).first()
        completed = (item is not None and item.sent_at is not None
                     and item.result not in _NOT_TAKEN)
        receipt = session.get(Receipt, payment.receipt_number)
        printed = receipt is not None and receipt.printed_at is not None
        return PaymentStatus(payment.receipt_number, payment.operation_id, payment.service_id,
                             payment.account, Money(payment.credited), payment.created_at,
                             completed, printed)


def recent_device_events(store: Store, limit: int = 5) -> list[str]:
    """The latest device events, newest first, for the service menu."""
    with store.reading() as session:
        rows = session.execute(select(DeviceEvent.at, DeviceEvent.device, DeviceEvent.kind,
                                      DeviceEvent.detail)
                               .order_by(DeviceEvent.id.desc()).limit(limit)).all()
    return [f"{device} {kind}" + (f" ({detail[:60]})" if detail else "")
            for _, device, kind, detail in rows]
