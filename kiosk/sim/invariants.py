"""Money invariants over the kiosk's records, checked after simulations and crash tests.

Each check reads the database directly (plain SQL, no core state) and, where given, the
device's own ground truth: the notes physically in its cassette.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text

from kiosk.store.db import Store


@dataclass(frozen=True, slots=True)
class Totals:
    payments: int
    receipts: int
    notes_stacked: int
    cash_stacked: int
    inserted: int
    commission: int
    credited: int
    outbox_pending: int
    recovered_payments: int
    unresolved_orders: int


def totals(store: Store) -> Totals:
    with store.reading() as s:

        def one(sql: str) -> int:
            return int(s.execute(text(sql)).scalar() or 0)

        return Totals(
            payments=one("SELECT count(*) FROM payments"),
            receipts=one("SELECT count(*) FROM receipts"),
            notes_stacked=one("SELECT count(*) FROM cash_journal"),
            cash_stacked=one("SELECT coalesce(sum(amount), 0) FROM cash_journal"),
            inserted=one("SELECT coalesce(sum(inserted), 0) FROM payments"),
            commission=one("SELECT coalesce(sum(commission), 0) FROM payments"),
            credited=one("SELECT coalesce(sum(credited), 0) FROM payments"),
            outbox_pending=one("SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
            recovered_payments=one("SELECT count(*) FROM payments WHERE recovered"),
            unresolved_orders=one(
                "SELECT count(*) FROM stack_orders WHERE resolution = 'unresolved'"
            ),
        )


def _gapless(values: Sequence[int]) -> bool:
    return sorted(values) == list(range(1, len(values) + 1))


def check(
    store: Store, device_cassette: Sequence[int] | None = None, *, expect_closed: bool = True
) -> dict[str, bool]:
    """Name → holds. ``device_cassette`` is the device's list of stacked notes (tiyn)."""
    with store.reading() as s:

        def rows(sql: str) -> list[tuple[int, ...]]:
            return [tuple(r) for r in s.execute(text(sql)).all()]

        journal = [r[0] for r in rows("SELECT amount FROM cash_journal ORDER BY id")]
        per_payment = rows(
            "SELECT p.inserted, coalesce((SELECT sum(c.amount) FROM cash_journal c "
            "WHERE c.operation_id = p.operation_id), 0) FROM payments p"
        )
        orphan_cash = rows(
            "SELECT c.id FROM cash_journal c LEFT JOIN payments p "
            "ON p.operation_id = c.operation_id WHERE p.operation_id IS NULL"
        )
        split = rows("SELECT inserted, commission, credited FROM payments")
        receipt_numbers = [r[0] for r in rows("SELECT receipt_number FROM payments")]
        receipt_rows = rows(
            "SELECT count(*) FROM receipts r JOIN payments p "
            "ON p.receipt_number = r.receipt_number "
            "AND p.operation_id = r.operation_id"
        )[0][0]
        seqs = [r[0] for r in rows("SELECT local_seq FROM payments")]
        outbox = rows(
            "SELECT count(*) FROM outbox o JOIN payments p "
            "ON o.kind = 'payment' AND o.ref = p.operation_id "
            "AND o.local_seq = p.local_seq"
        )[0][0]
        open_sessions = rows(
            "SELECT count(*) FROM sessions WHERE state NOT IN ('done', 'cancelled')"
        )[0][0]
        cash_without_payment = rows(
            "SELECT count(*) FROM sessions s WHERE s.state IN ('done', 'cancelled') AND "
            "EXISTS (SELECT 1 FROM cash_journal c WHERE c.operation_id = s.operation_id) AND "
            "NOT EXISTS (SELECT 1 FROM payments p WHERE p.operation_id = s.operation_id)"
        )[0][0]
        counter_rows = rows("SELECT name, value FROM counters")
        counters: dict[object, object] = {r[0]: r[1] for r in counter_rows}

    result = {
        "cash_stacked_equals_inserted": sum(journal) == sum(p[0] for p in per_payment),
        "each_payment_matches_its_notes": all(p[0] == p[1] for p in per_payment),
        "every_note_in_exactly_one_payment": not orphan_cash,
        "inserted_is_commission_plus_credited": all(
            i == c + k and k >= 0 and c >= 0 for i, c, k in split
        ),
        "receipt_numbers_gapless_and_unique": _gapless(receipt_numbers)
        and counters.get("receipt_number") == len(receipt_numbers),
        "one_receipt_per_payment": receipt_rows == len(receipt_numbers),
        "local_seq_gapless_and_unique": _gapless(seqs) and counters.get("local_seq") == len(seqs),
        "one_outbox_row_per_payment": outbox == len(seqs),
        "no_customer_left_with_cash_and_no_payment": cash_without_payment == 0,
    }
    if expect_closed:
        result["no_session_left_open"] = open_sessions == 0
    if device_cassette is not None:
        result["device_cassette_equals_journal"] = Counter(device_cassette) == Counter(journal)
    return result
