"""Read-side answers (payment status, receipt look-up, reconciliation) and device events
(encashments: :mod:`sync.ledger.encashments`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, literal, select

from kiosk.domain.privacy import mask_account
from sync.ledger.bulk import insert_rows
from sync.ledger.models import DeviceEvent, Heartbeat, Payment
from sync.ledger.posting import RaceLost
from sync.ledger.schema import (
    DeviceEventIn,
    DeviceEventResult,
    ItemStatus,
    PaymentStatus,
    PaymentView,
    ReceiptLookup,
    Reconciliation,
)

MISSING_LISTED = 1000  # the count covers all; the list is what a technician can act on


def payment_view(row: Any) -> PaymentView:
    """What the ledger tells about one stored payment (account masked)."""
    return PaymentView(
        operation_id=row.operation_id,
        terminal_id=row.terminal_id,
        receipt_number=row.receipt_number,
        local_seq=row.local_seq,
        service=row.service,
        account=mask_account(row.account),
        inserted=row.inserted,
        commission=row.commission,
        credited=row.credited,
        status=PaymentStatus(row.status),
        code=row.code,
        reason=row.reason,
    )


def receipt_lookup(
    connection: Connection, terminal_id: str, receipt_number: int
) -> ReceiptLookup | None:
    """A payment by terminal and receipt number. A receipt the ledger has not received yet is
    ``processing`` while the terminal's last heartbeat still reports queued payments and the
    number is past the highest received; otherwise None (unknown)."""
    row = connection.execute(
        select(Payment)
        .where(Payment.terminal_id == terminal_id, Payment.receipt_number == receipt_number)
        .order_by(Payment.receipt_copy)
        .limit(1)
    ).one_or_none()
    if row is not None:
        view = payment_view(row)
        return ReceiptLookup(
            terminal_id=terminal_id, receipt_number=receipt_number, status=view.status, payment=view
        )
    highest = (
        connection.execute(
            select(func.max(Payment.receipt_number)).where(Payment.terminal_id == terminal_id)
        ).scalar_one_or_none()
        or 0
    )
    queued = (
        connection.execute(
            select(Heartbeat.queue_depth).where(Heartbeat.terminal_id == terminal_id)
        ).scalar_one_or_none()
        or 0
    )
    if queued > 0 and receipt_number > highest:
        return ReceiptLookup(
            terminal_id=terminal_id, receipt_number=receipt_number, status=PaymentStatus.PROCESSING
        )
    return None


def reconciliation(connection: Connection, terminal_id: str) -> Reconciliation:
    """The highest local_seq received from a terminal and the numbers missing below it, and
    its highest receipt number: of every payment stored, completed or rejected (each printed
    a receipt). A reinstalled kiosk continues numbering after it."""
    count, highest_seq, lowest_seq, highest_receipt = connection.execute(
        select(
            func.count(Payment.operation_id),
            func.coalesce(func.max(Payment.local_seq), 0),
            func.coalesce(func.min(Payment.local_seq), 0),
            func.coalesce(func.max(Payment.receipt_number), 0),
        ).where(Payment.terminal_id == terminal_id)
    ).one()
    missing: list[int] = list(range(1, min(lowest_seq, MISSING_LISTED + 1))) if count else []
    distinct = connection.execute(
        select(func.count(func.distinct(Payment.local_seq))).where(
            Payment.terminal_id == terminal_id
        )
    ).scalar_one()
    missing_count = highest_seq - distinct
    if missing_count > len(missing):
        # Gaps between consecutive received numbers (window function: SQLite and PostgreSQL).
        seqs = (
            select(
                Payment.local_seq.label("seq"),
                func.lag(Payment.local_seq, 1, literal(0))
                .over(order_by=Payment.local_seq)
                .label("previous"),
            )
            .where(Payment.terminal_id == terminal_id)
            .distinct()
            .subquery()
        )
        gaps = connection.execute(
            select(seqs.c.previous, seqs.c.seq)
            .where(seqs.c.seq - seqs.c.previous > 1, seqs.c.previous > 0)
            .order_by(seqs.c.seq)
        )
        for previous, seq in gaps:
            missing.extend(range(previous + 1, min(seq, previous + 1 + MISSING_LISTED)))
            if len(missing) >= MISSING_LISTED:
                break
    return Reconciliation(
        terminal_id=terminal_id,
        payments=count,
        highest_local_seq=highest_seq,
        highest_receipt_number=highest_receipt,
        missing_local_seq=missing[:MISSING_LISTED],
        missing_count=missing_count,
    )


def post_device_events(
    connection: Connection, terminal_id: str, events: Sequence[DeviceEventIn], now_ms: int
) -> list[DeviceEventResult]:
    """Store a terminal's device events once each; one answer per event, in order."""
    hashes = [event.content_hash() for event in events]
    stored: dict[str, str] = {
        row.event_id: row.content_hash
        for row in connection.execute(
            select(DeviceEvent.event_id, DeviceEvent.content_hash).where(
                DeviceEvent.terminal_id == terminal_id,
                DeviceEvent.event_id.in_({event.event_id for event in events}),
            )
        )
    }
    results: list[DeviceEventResult] = []
    rows: list[dict[str, object]] = []
    for event, content_hash in zip(events, hashes, strict=True):
        earlier = stored.get(event.event_id)
        if earlier is None:
            stored[event.event_id] = content_hash
            rows.append(
                {
                    "terminal_id": terminal_id,
                    "event_id": event.event_id,
                    "at": event.at,
                    "device": event.device,
                    "kind": event.kind,
                    "detail": event.detail,
                    "content_hash": content_hash,
                    "received_at": now_ms,
                }
            )
            status = ItemStatus.ACCEPTED
        else:
            status = ItemStatus.DUPLICATE if earlier == content_hash else ItemStatus.CONFLICT
        results.append(DeviceEventResult(event_id=event.event_id, status=status))
    if insert_rows(connection, DeviceEvent, rows, ignore_duplicates=True) != len(rows):
        raise RaceLost("a device event of this batch was stored concurrently")
    return results
