"""Read-only questions the screens ask the kiosk's database: a payment's status by receipt
number ("processing" until the ledger has it, then "completed"), and recent device events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from kiosk.domain.money import Money
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
    inserted: Money = Money(0)  # the cash put in: with the receipt number, the customer's proof


# The shortest start of an operation number the status screen looks up. 8 hex digits are
# the top 32 bits of a UUIDv7's millisecond clock: they change every 65 s, so two payments
# rarely share them, and when they do the screen asks for more digits.
OPERATION_PREFIX_MIN = 8


class AmbiguousOperation(LookupError):
    """More than one payment starts with the typed operation number: type more of it."""


def payment_status(store: Store, receipt_number: int) -> PaymentStatus | None:
    """The payment with this receipt number at this terminal, or None."""
    return _status(store, Payment.receipt_number == receipt_number)


def payment_status_by_operation(store: Store, typed: str) -> PaymentStatus | None:
    """The payment whose operation number is, or starts with, ``typed`` (hex digits, dashes
    optional, at least OPERATION_PREFIX_MIN of them). Raises AmbiguousOperation when more
    than one payment matches."""
    digits = "".join(ch for ch in typed.lower() if ch != "-")
    if len(digits) < OPERATION_PREFIX_MIN or any(ch not in "0123456789abcdef" for ch in digits):
        return None
    with store.reading() as session:
        # ``digits`` holds hex digits only: nothing in it is a LIKE wildcard.
        ids = list(
            session.scalars(
                select(Payment.operation_id)
                .where(func.replace(Payment.operation_id, "-", "").like(f"{digits}%"))
                .limit(2)
            )
        )
    if len(ids) > 1:
        raise AmbiguousOperation(f"several payments start with {digits}")
    return _status(store, Payment.operation_id == ids[0]) if ids else None


def _status(store: Store, where: Any) -> PaymentStatus | None:
    with store.reading() as session:
        payment = session.scalars(select(Payment).where(where)).first()
        if payment is None:
            return None
        item = session.scalars(
            select(OutboxItem).where(
                OutboxItem.kind == "payment", OutboxItem.ref == payment.operation_id
            )
        ).first()
        completed = item is not None and item.sent_at is not None and item.result not in _NOT_TAKEN
        receipt = session.get(Receipt, payment.receipt_number)
        printed = receipt is not None and receipt.printed_at is not None
        return PaymentStatus(
            payment.receipt_number,
            payment.operation_id,
            payment.service_id,
            payment.account,
            Money(payment.credited),
            payment.created_at,
            completed,
            printed,
            Money(payment.inserted),
        )


def recent_device_events(store: Store, limit: int = 5) -> list[str]:
    """The latest device events, newest first, for the service menu."""
    with store.reading() as session:
        rows = session.execute(
            select(DeviceEvent.at, DeviceEvent.device, DeviceEvent.kind, DeviceEvent.detail)
            .order_by(DeviceEvent.id.desc())
            .limit(limit)
        ).all()
    return [
        f"{device} {kind}" + (f" ({detail[:60]})" if detail else "")
        for _, device, kind, detail in rows
    ]
