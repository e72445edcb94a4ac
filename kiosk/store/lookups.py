"""Read-only questions the screens ask the kiosk's database: a payment's status by receipt
number and what the ledger answered about it (:func:`ledger_answer`), and recent device events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from kiosk.domain.money import Money
from kiosk.store.db import Store
from kiosk.store.models import DeviceEvent, OutboxItem, Payment, Receipt

# Outbox results that mean the ledger has not credited the payment: it rejected it (its cash
# is in suspense, held for a refund), holds other content for it, or refused the request (a
# technician follows up). A ``duplicate`` answer repeats the first: rejected when it carries
# a reason (sync/outbox.py stores it).
_NOT_CREDITED = ("refused", "conflict", "rejected")

# What the kiosk knows of a payment at the ledger (docs/decisions/029-truthful-endings.md).
PENDING = "pending"  # sent or queued, no answer yet: "accepted — being credited"
CREDITED = "credited"  # the ledger's accepted answer arrived
HELD = "held"  # rejected or not taken: "not credited — held for refund"


@dataclass(frozen=True, slots=True)
class PaymentStatus:
    receipt_number: int
    operation_id: str
    service_id: str
    account: str
    credited: Money
    created_at_ms: int
    completed: bool  # the ledger credited it (``ledger == CREDITED``)
    printed: bool  # the receipt came out of the printer at least once
    inserted: Money = Money(0)  # the cash put in: with the receipt number, the customer's proof
    ledger: str = PENDING  # PENDING, CREDITED or HELD
    below_minimum: bool = False  # completed below the service minimum: held whatever the answer


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
        ledger = _ledger_state(item)
        receipt = session.get(Receipt, payment.receipt_number)
        printed = receipt is not None and receipt.printed_at is not None
        below = receipt is not None and bool(json.loads(receipt.fields).get("below_minimum"))
        return PaymentStatus(
            payment.receipt_number,
            payment.operation_id,
            payment.service_id,
            payment.account,
            Money(payment.credited),
            payment.created_at,
            ledger == CREDITED,
            printed,
            Money(payment.inserted),
            ledger,
            below,
        )


def _ledger_state(item: OutboxItem | None) -> str:
    if item is None or item.result is None:
        return PENDING
    if item.result in _NOT_CREDITED or (item.result == "duplicate" and item.last_error):
        return HELD
    return CREDITED if item.sent_at is not None else PENDING


def ledger_answer(store: Store, operation_id: str) -> str:
    """What the ledger has answered about this payment so far: PENDING, CREDITED or HELD
    (the thanks screen reads it until the customer leaves)."""
    with store.reading() as session:
        item = session.scalars(
            select(OutboxItem).where(OutboxItem.kind == "payment", OutboxItem.ref == operation_id)
        ).first()
        return _ledger_state(item)


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
