"""One receipt number, one payment: a second operation with a terminal's receipt number is a
conflict that posts nothing, on SQLite and PostgreSQL, in one batch, across batches and in a
race; the highest receipt number a reinstalled kiosk numbers on from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sync.ledger import bulk, posting
from sync.ledger.db import create_ledger_engine, migrate
from sync.ledger.service import Ledger
from sync.ledger.wallets import Code
from tests.ledger.helpers import OTHER_TERMINAL, TERMINAL, TerminalClient, payment, payment_dict

HOLDER = "0190a0b0-0000-7000-8000-000000000001"
SECOND = "0190a0b0-0000-7000-8000-0000000000aa"


def test_a_second_operation_with_a_held_receipt_number_is_a_conflict_that_posts_nothing(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    [first] = ledger.post_payments(TERMINAL, [payment(1, operation_id=HOLDER)])
    [second] = ledger.post_payments(TERMINAL, [payment(1, operation_id=SECOND, notes=[200_000])])
    assert first.status == "accepted"
    assert (second.status, second.code, second.payment_status) == (
        "conflict",
        Code.RECEIPT_TAKEN,
        "rejected",
    )
    assert second.reason is not None
    assert "receipt number 1" in second.reason and HOLDER in second.reason
    books = ledger.audit()
    assert books.balanced and (books.payments, books.cash_in) == (1, 100_000)
    assert ledger.payment(SECOND) is None


def test_the_conflict_is_answered_again_and_the_holder_stays_a_duplicate(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    ledger.post_payments(TERMINAL, [payment(1, operation_id=HOLDER)])
    ledger.post_payments(TERMINAL, [payment(1, operation_id=SECOND)])
    again, holder = ledger.post_payments(
        TERMINAL, [payment(1, operation_id=SECOND), payment(1, operation_id=HOLDER)]
    )
    assert (again.status, again.code) == ("conflict", Code.RECEIPT_TAKEN)
    assert (holder.status, holder.first_status) == ("duplicate", "accepted")
    assert ledger.audit().payments == 1


def test_two_operations_with_one_receipt_number_in_one_batch(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    results = ledger.post_payments(
        TERMINAL,
        [payment(1, operation_id=HOLDER), payment(2), payment(1, operation_id=SECOND, local_seq=3)],
    )
    assert [(result.status, result.code) for result in results] == [
        ("accepted", 0),
        ("accepted", 0),
        ("conflict", Code.RECEIPT_TAKEN),
    ]
    assert results[2].reason is not None and HOLDER in results[2].reason
    assert ledger.audit().payments == 2


def test_a_rejected_payment_holds_its_receipt_number_too(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    [rejected] = ledger.post_payments(
        TERMINAL, [payment(1, operation_id=HOLDER, service="wmk", account="K000000000009")]
    )
    [second] = ledger.post_payments(TERMINAL, [payment(1, operation_id=SECOND)])
    assert rejected.status == "rejected" and second.status == "conflict"
    books = ledger.audit()
    assert (books.suspense, books.credited) == (100_000, 0)


def test_another_terminal_may_use_the_same_receipt_number(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    [own] = ledger.post_payments(TERMINAL, [payment(1, operation_id=HOLDER)])
    [other] = ledger.post_payments(
        OTHER_TERMINAL, [payment(1, operation_id=SECOND, terminal_id=OTHER_TERMINAL)]
    )
    assert (own.status, other.status) == ("accepted", "accepted")


def test_a_receipt_number_taken_by_another_writer_after_our_read_is_a_conflict(
    any_url: str, make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = make_ledger(any_url)
    ledger.post_payments(TERMINAL, [payment(1, operation_id=HOLDER)])
    real = bulk.receipt_holders
    reads: list[int] = []

    def stale_first_read(*args: Any) -> dict[int, str]:
        reads.append(1)
        if len(reads) == 1:
            return {}  # as if the other writer committed just after our read
        return real(*args)

    monkeypatch.setattr(posting, "receipt_holders", stale_first_read)
    [answer] = ledger.post_payments(TERMINAL, [payment(1, operation_id=SECOND)])
    # The unique index turned the insert away; the batch was judged again, not a 500.
    assert (answer.status, answer.code, len(reads)) == ("conflict", Code.RECEIPT_TAKEN, 2)
    books = ledger.audit()
    assert books.balanced and books.payments == 1


def test_the_batch_answer_over_http_carries_the_conflict(client: TerminalClient) -> None:
    client.post_payments([payment_dict(7, operation_id=HOLDER)])
    [answer] = client.post_payments([payment_dict(7, operation_id=SECOND)])
    assert (answer["status"], answer["code"], answer["payment_status"]) == (
        "conflict",
        301,
        "rejected",
    )
    assert answer["reason"] == (
        f"receipt number 7 of terminal {TERMINAL} is already held by "
        f"operation {HOLDER}; nothing posted"
    )


def test_reconciliation_answers_the_highest_receipt_number_to_number_on_from(
    client: TerminalClient, other_client: TerminalClient
) -> None:
    assert client.get("/v1/reconciliation").json()["highest_receipt_number"] == 0
    client.post_payments(
        [payment_dict(1), payment_dict(2), payment_dict(3, service="wmk", account="K000000000009")]
    )
    other_client.post_payments([payment_dict(40, terminal_id=OTHER_TERMINAL)])
    client.post_payments([payment_dict(4, receipt_number=3)])  # a conflict counts nothing
    answer = client.get("/v1/reconciliation").json()
    assert (answer["highest_receipt_number"], answer["payments"]) == (3, 3)


def _old_payment_row(operation_id: str, receipt_number: int, received_at: int) -> str:
    return (
        "INSERT INTO payments (operation_id, terminal_id, local_seq, receipt_number, "
        "service, account, inserted, commission, credited, currency, created_at, notes, "
        "offline, recovered, completion, content_hash, status, code, reason, received_at, "
        f"batch_id) VALUES ('{operation_id}', '{TERMINAL}', {received_at}, "
        f"{receipt_number}, 'kaspi', '+77011234567', 100000, 0, 100000, 'KZT', "
        "'2026-01-01T10:00:00.000+00:00', '[100000]', false, false, 'pay', 'h', "
        f"'completed', 0, NULL, {received_at}, 'b')"
    )


def test_an_older_ledger_with_reused_receipt_numbers_upgrades_keeping_every_payment(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    engine = create_ledger_engine(any_url)
    try:
        migrate(engine, "0003")
        with engine.begin() as connection:
            connection.exec_driver_sql(_old_payment_row("op-late", 5, 2000))
            connection.exec_driver_sql(_old_payment_row("op-first", 5, 1000))
            connection.exec_driver_sql(_old_payment_row("op-other", 6, 1500))
        migrate(engine)
        with engine.connect() as connection:
            copies: dict[str, int] = dict(
                connection.exec_driver_sql("SELECT operation_id, receipt_copy FROM payments").all()
            )
    finally:
        engine.dispose()
    assert copies == {"op-first": 0, "op-late": 1, "op-other": 0}
    ledger = make_ledger(any_url)
    [answer] = ledger.post_payments(TERMINAL, [payment(5, operation_id=SECOND)])
    assert answer.status == "conflict" and answer.reason is not None
    assert "op-first" in answer.reason
    found = ledger.receipt(TERMINAL, 5)
    assert found is not None and found.payment is not None
    assert found.payment.operation_id == "op-first"
