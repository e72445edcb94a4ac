"""The fast batch path: concurrent batches sharing wallets, retried lock failures, the
PostgreSQL array literals, the terminal secret cache and the SQLite wallet look-up plan."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, select, update
from sqlalchemy.exc import OperationalError

from kiosk.domain.clock import ManualClock
from sync.ledger import bulk, posting
from sync.ledger.models import Payment, Terminal, Wallet
from sync.ledger.schema import PaymentIn
from sync.ledger.service import MAX_ATTEMPTS, SECRET_CACHE_S, Ledger
from tests.ledger.helpers import OTHER_TERMINAL, TERMINAL, TerminalClient, payment, payment_dict
from tests.ledger.pgcluster import PrivateCluster

WAIT = 60.0
SHARED = [f"+7701{n:07d}" for n in range(1, 9)] + ["+77011111111"]  # new ones and a seeded one


def balances(ledger: Ledger, accounts: list[str]) -> dict[str, int]:
    with ledger.engine.connect() as connection:
        rows = connection.execute(
            select(Wallet.account, Wallet.balance).where(
                Wallet.service == "qplus", Wallet.account.in_(accounts)
            )
        )
        return {row.account: row.balance for row in rows}


def test_batches_of_two_terminals_sharing_wallets_in_opposite_orders_all_post(
    any_url: str, make_ledger: Callable[..., Ledger], caplog: pytest.LogCaptureFixture
) -> None:
    # Two server instances, two terminals, five batches each at once, every batch paying
    # the same wallets (new and seeded) in the opposite order of the other terminal's.
    ledgers = [make_ledger(any_url), make_ledger(any_url)]
    before = balances(ledgers[0], SHARED)
    barrier = threading.Barrier(2)
    answers: dict[str, list[str]] = {TERMINAL: [], OTHER_TERMINAL: []}
    errors: list[BaseException] = []

    def kiosk(index: int, terminal: str) -> None:
        accounts = SHARED if index == 0 else SHARED[::-1]
        try:
            barrier.wait(WAIT)
            for batch in range(5):
                payments = [
                    payment(
                        seq,
                        terminal_id=terminal,
                        service="qplus",
                        account=accounts[seq % 9],
                        operation_id=f"{terminal}-{seq:04d}",
                    )
                    for seq in range(batch * 9 + 1, batch * 9 + 10)
                ]
                answers[terminal] += [
                    result.status for result in ledgers[index].post_payments(terminal, payments)
                ]
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread below
            errors.append(exc)

    threads = [
        threading.Thread(target=kiosk, args=(index, terminal))
        for index, terminal in enumerate((TERMINAL, OTHER_TERMINAL))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    if errors:
        raise errors[0]
    assert answers == {TERMINAL: ["accepted"] * 45, OTHER_TERMINAL: ["accepted"] * 45}
    after = balances(ledgers[0], SHARED)
    # 90 payments of 1 000 tenge, 10 to each wallet, 980 tenge credited each (qplus: 2 %).
    assert {account: after[account] - before.get(account, 0) for account in SHARED} == {
        account: 10 * 98_000 for account in SHARED
    }
    books = ledgers[0].audit()
    assert books.balanced and books.payments == 90 and books.credited == 90 * 98_000
    # Locks are always taken in one order: no deadlock had to be broken and retried.
    assert "ledger transaction retried" not in caplog.text


def test_a_deadlock_is_retried_in_the_server_and_credits_once(
    any_url: str, make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = make_ledger(any_url)
    real_insert = bulk.insert_rows
    calls: list[int] = []

    def deadlock_once(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 2:  # the payment rows of the first attempt (wallets come first)
            raise OperationalError("INSERT INTO payments", {}, Exception("deadlock detected"))
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(posting, "insert_rows", deadlock_once)
    [answer] = ledger.post_payments(TERMINAL, [payment(1, service="qplus", account="+77019999998")])
    assert answer.status == "accepted" and len(calls) == 4  # the whole batch ran again
    books = ledger.audit()
    assert books.balanced and books.payments == 1 and books.credited == 98_000


def test_database_refusing_every_attempt_is_503_with_retry_after_and_stores_nothing(
    client: TerminalClient, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_locked(*_args: Any, **_kwargs: Any) -> Any:
        raise OperationalError("SELECT", {}, Exception("could not obtain lock"))

    monkeypatch.setattr(posting, "stored_payments", always_locked)
    response = client.post("/v1/payments", {"payments": [payment_dict(1)]})
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert str(MAX_ATTEMPTS) in response.json()["detail"]
    assert ledger.audit().payments == 0


def test_terminal_switched_off_elsewhere_is_refused_once_its_cached_secret_expires(
    client: TerminalClient, ledger: Ledger, clock: ManualClock
) -> None:
    assert client.get("/v1/reconciliation").status_code == 200
    with ledger.engine.begin() as connection:  # another process deactivates the terminal
        connection.execute(update(Terminal).where(Terminal.id == TERMINAL).values(active=False))
    assert client.get("/v1/reconciliation").status_code == 200  # cached secret
    clock.advance(SECRET_CACHE_S + 1)
    assert client.get("/v1/reconciliation").status_code == 401


def test_sqlite_finds_a_batch_of_wallets_through_the_index(ledger: Ledger) -> None:
    # A row-value IN made SQLite scan every wallet for every batch.
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    event.listen(ledger.engine, "before_cursor_execute", record)
    try:
        with ledger.engine.begin() as connection:
            bulk.lock_wallets(connection, {("qplus", "+77011111111"), ("kaspi", "+77014444444")})
    finally:
        event.remove(ledger.engine, "before_cursor_execute", record)
    [(query, parameters)] = [item for item in seen if "FROM wallets" in item[0]]
    with ledger.engine.connect() as connection:
        plan = " ".join(
            str(row[-1])
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + query, parameters)
        )
    assert "USING INDEX" in plan and "SCAN wallets" not in plan, plan


TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)


@pytest.fixture(scope="module")
def pg_engine(pg_cluster: PrivateCluster) -> Iterator[Any]:
    engine = create_engine(pg_cluster.create_database())
    yield engine
    engine.dispose()


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(TEXT, max_size=8),
    gaps=st.lists(st.one_of(st.none(), TEXT), max_size=8),
    numbers=st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), max_size=8),
    flags=st.lists(st.one_of(st.none(), st.booleans()), max_size=8),
)
def test_array_literals_carry_any_text_number_and_flag_to_postgresql_unchanged(
    pg_engine: Any,
    texts: list[str],
    gaps: list[str | None],
    numbers: list[int | None],
    flags: list[bool | None],
) -> None:
    with pg_engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT %(t)s::text[], %(g)s::text[], %(n)s::bigint[], %(f)s::boolean[]",
            {
                "t": bulk.array_literal(texts),
                "g": bulk.array_literal(gaps),
                "n": bulk.array_literal(numbers),
                "f": bulk.array_literal(flags),
            },
        ).one()
    assert list(row) == [texts, gaps, numbers, flags]


def test_payment_fields_with_quotes_and_backslashes_are_stored_as_sent(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    account, created_at = '+7 "701" \\ 123,{4}', '2026-01-01T10:00:00"\\,{}NULL'
    odd = PaymentIn.model_validate(payment_dict(1, account=account, created_at=created_at))
    [answer] = ledger.post_payments(TERMINAL, [odd])
    assert (answer.status, answer.code) == ("rejected", 4)  # not a phone number: suspense
    [again] = ledger.post_payments(TERMINAL, [odd])
    assert again.status == "duplicate"  # the stored content hash is the one sent
    with ledger.engine.connect() as connection:
        stored = connection.execute(
            select(Payment.account, Payment.created_at).where(
                Payment.operation_id == odd.operation_id
            )
        ).one()
    assert tuple(stored) == (account, created_at)
    assert ledger.audit().suspense == 100_000


def test_connections_cut_by_the_database_are_replaced_without_an_error(
    pg_cluster: PrivateCluster, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(pg_cluster.create_database())
    secret = ledger.add_terminal(TERMINAL)
    first = ledger.post_payments(TERMINAL, [payment(1)])[0].operation_id
    assert ledger.payment(first) is not None  # the pool now holds open connections
    with psycopg.connect(
        f"host=127.0.0.1 port={pg_cluster.port} user=postgres dbname=postgres", autocommit=True
    ) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
            [ledger.engine.url.database],
        ).fetchone()
    assert cut is not None and cut[0] >= 1
    [second] = ledger.post_payments(TERMINAL, [payment(2)])
    assert second.status == "accepted"
    with psycopg.connect(
        f"host=127.0.0.1 port={pg_cluster.port} user=postgres dbname=postgres", autocommit=True
    ) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [ledger.engine.url.database],
        )
    view = ledger.payment(second.operation_id)  # a read after the cut
    assert view is not None and view.status == "completed"
    assert ledger.terminal_secret(TERMINAL) == secret
    assert ledger.audit().payments == 2
