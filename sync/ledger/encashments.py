"""Encashments: a collection report moves its total out of the terminal's cash once, and is
reconciled with the notes of the terminal's payments since its previous encashment.

The period of an encashment runs, by the kiosk's own clock, from the previous encashment's
``at`` (exclusive; the start of time for the first) to its own ``at`` (inclusive); every
payment the ledger holds from the terminal in that period counts, completed or rejected
(a rejected payment's cash is in the cassette too). Times are compared as the kiosk wrote
them (ISO 8601 UTC with milliseconds, ``kiosk.domain.clock.iso_utc``). Payments still queued at
the kiosk when the report arrives are not counted: the difference then shows them short.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection, select

from sync.ledger.books import (
    COLLECTED_KEY,
    AccountIds,
    AccountKind,
    Leg,
    TransferKind,
    cash_key,
    insert_ignoring_duplicates,
    post_legs,
)
from sync.ledger.models import Encashment, LedgerAccount, Payment
from sync.ledger.posting import RaceLost
from sync.ledger.schema import EncashmentIn, EncashmentOut, ItemStatus

LISTED = 1000  # newest first


@dataclass(frozen=True, slots=True)
class Collected:
    """One encashment as reported and as the payments count it (None: stored before 0006)."""

    terminal_id: str
    encashment_id: str
    at: str
    technician_id: str
    cassette_id: str
    reported_notes: int
    reported_total: int
    reported_counts: dict[str, int]
    expected_notes: int | None
    expected_total: int | None
    expected_counts: dict[str, int] | None
    cash_expected: int  # the terminal's cash account before the collection

    @property
    def difference(self) -> int | None:
        """Reported less expected, in tiyn (negative: cash missing)."""
        return None if self.expected_total is None else self.reported_total - self.expected_total

    @property
    def notes_difference(self) -> int | None:
        return None if self.expected_notes is None else self.reported_notes - self.expected_notes

    def counts_difference(self) -> dict[str, int]:
        """Per note: reported count less expected, only where they differ."""
        reported, expected = self.reported_counts, self.expected_counts or {}
        return {
            note: reported.get(note, 0) - expected.get(note, 0)
            for note in sorted(set(reported) | set(expected), key=int)
            if reported.get(note, 0) != expected.get(note, 0)
        }

    def to_json(self) -> dict[str, object]:
        return {
            "terminal_id": self.terminal_id,
            "encashment_id": self.encashment_id,
            "at": self.at,
            "technician_id": self.technician_id,
            "cassette_id": self.cassette_id,
            "reported": {
                "notes": self.reported_notes,
                "total": self.reported_total,
                "counts": self.reported_counts,
            },
            "expected": None
            if self.expected_total is None
            else {
                "notes": self.expected_notes,
                "total": self.expected_total,
                "counts": self.expected_counts,
            },
            "difference": None
            if self.expected_total is None
            else {
                "notes": self.notes_difference,
                "total": self.difference,
                "counts": self.counts_difference(),
            },
            "cash_account_before": self.cash_expected,
        }


def counted_since(connection: Connection, terminal_id: str, at: str) -> Counter[int]:
    """Note → count of the terminal's payments after its previous encashment, up to ``at``."""
    previous = connection.execute(
        select(Encashment.at)
        .where(Encashment.terminal_id == terminal_id, Encashment.at < at)
        .order_by(Encashment.at.desc())
        .limit(1)
    ).scalar_one_or_none()
    query = select(Payment.notes).where(
        Payment.terminal_id == terminal_id, Payment.created_at <= at
    )
    if previous is not None:
        query = query.where(Payment.created_at > previous)
    counted: Counter[int] = Counter()
    for (notes,) in connection.execute(query):
        counted.update(json.loads(notes))
    return counted


def post_encashment(
    connection: Connection,
    accounts: AccountIds,
    terminal_id: str,
    report: EncashmentIn,
    now_ms: int,
) -> tuple[EncashmentOut, dict[str, int]]:
    """Store a collection report once, reconciled, and move its total out of the terminal's
    cash."""
    content_hash = report.content_hash()
    stored = connection.execute(
        select(Encashment).where(
            Encashment.terminal_id == terminal_id, Encashment.encashment_id == report.encashment_id
        )
    ).one_or_none()
    if stored is not None:
        status = (
            ItemStatus.DUPLICATE if stored.content_hash == content_hash else ItemStatus.CONFLICT
        )
        return EncashmentOut(
            encashment_id=report.encashment_id,
            status=status,
            total=stored.total,
            expected=stored.expected,
            difference=stored.total - stored.expected,
            counted=stored.counted_total,
            counted_difference=(
                None if stored.counted_total is None else stored.total - stored.counted_total
            ),
        ), {}
    cash = cash_key(terminal_id)
    ids, new_ids = accounts.resolve(
        connection, {cash: AccountKind.CASH, COLLECTED_KEY: AccountKind.COLLECTED}
    )
    debits, credits = connection.execute(
        select(LedgerAccount.debits_posted, LedgerAccount.credits_posted)
        .where(LedgerAccount.id == ids[cash])
        .with_for_update(key_share=True)
    ).one()
    expected = debits - credits  # cash is an asset: in by debit, out by credit
    counted = counted_since(connection, terminal_id, report.at)
    counted_total = sum(note * count for note, count in counted.items())
    inserted = (
        connection.execute(
            insert_ignoring_duplicates(connection, Encashment).returning(Encashment.id),
            [
                {
                    "terminal_id": terminal_id,
                    "encashment_id": report.encashment_id,
                    "at": report.at,
                    "cassette_id": report.cassette_id,
                    "technician_id": report.technician_id,
                    "notes": report.notes,
                    "total": report.total,
                    "counts": json.dumps(report.counts, sort_keys=True),
                    "expected": expected,
                    "content_hash": content_hash,
                    "received_at": now_ms,
                    "counted_notes": sum(counted.values()),
                    "counted_total": counted_total,
                    "counted_counts": json.dumps(
                        {str(note): count for note, count in sorted(counted.items())}
                    ),
                }
            ],
        )
        .scalars()
        .all()
    )
    if not inserted:
        raise RaceLost(f"encashment {report.encashment_id} was stored concurrently")
    post_legs(
        connection,
        [
            Leg(
                TransferKind.ENCASHMENT,
                COLLECTED_KEY,
                cash,
                report.total,
                encashment_id=inserted[0],
            )
        ],
        ids,
        now_ms,
    )
    return EncashmentOut(
        encashment_id=report.encashment_id,
        status=ItemStatus.ACCEPTED,
        total=report.total,
        expected=expected,
        difference=report.total - expected,
        counted=counted_total,
        counted_difference=report.total - counted_total,
    ), new_ids


def listing(connection: Connection, terminal_id: str | None = None) -> list[Collected]:
    """Encashments, newest first (at most LISTED), with expected, reported and difference."""
    query = (
        select(Encashment)
        .order_by(Encashment.received_at.desc(), Encashment.id.desc())
        .limit(LISTED)
    )
    if terminal_id is not None:
        query = query.where(Encashment.terminal_id == terminal_id)
    return [
        Collected(
            terminal_id=row.terminal_id,
            encashment_id=row.encashment_id,
            at=row.at,
            technician_id=row.technician_id,
            cassette_id=row.cassette_id,
            reported_notes=row.notes,
            reported_total=row.total,
            reported_counts=json.loads(row.counts),
            expected_notes=row.counted_notes,
            expected_total=row.counted_total,
            expected_counts=None if row.counted_counts is None else json.loads(row.counted_counts),
            cash_expected=row.expected,
        )
        for row in connection.execute(query)
    ]
