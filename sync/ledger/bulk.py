"""Bulk reads and writes for one batch: executemany on SQLite, ``unnest`` arrays on PostgreSQL.

On PostgreSQL one short statement with one array per column replaces a hundred row
statements (or one very long multi-VALUES statement that the driver re-parses every time):
a batch is a fixed handful of round trips whatever its size. Arrays travel as PostgreSQL
array literals built with ``str.join`` (:func:`array_literal`): the driver's own array
dumping costs about a microsecond of Python per element, several times the database's
work. Casts name the base type only (``varchar[]``, never ``varchar(36)[]``): an explicit
cast to a sized type truncates silently, an assignment to the column refuses.

On SQLite rows go straight to the driver's executemany as tuples: SQLAlchemy's per-row
parameter processing cost more than SQLite's own work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, CursorResult, Table, select

from sync.ledger.models import LedgerAccount, LedgerBase, Payment, Wallet

Row = Mapping[str, Any]
_SIZE = re.compile(r"\s*\(.*\)")


class BooksWriteError(RuntimeError):
    """A batch's write did not touch the rows it should have: rolled back (a ledger bug)."""


def array_literal(values: Sequence[Any]) -> str:
    """PostgreSQL's text form of a one-dimensional array of str, int, bool or None.

    Every string is quoted with backslash and double quote escaped, so nothing inside it
    is special to the array parser.
    """
    kinds = {type(value) for value in values}
    if kinds <= {int}:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds == {str}:
        together = "".join(values)
        plain = "\\" not in together and '"' not in together
        return '{"' + '","'.join(values if plain else map(_escaped, values)) + '"}'
    return "{" + ",".join(map(_element, values)) + "}"


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + _escaped(value) + '"'
    raise TypeError(f"no array element form for {type(value).__name__}: {value!r}")


def _is_pg(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _pg(connection: Connection, sql: str, params: Mapping[str, Any]) -> CursorResult[Any]:
    """Run ``sql`` on PostgreSQL with every list parameter sent as an array literal."""
    return connection.exec_driver_sql(
        sql,
        {
            name: array_literal(value) if isinstance(value, list) else value
            for name, value in params.items()
        },
    )


def _table(model: type[LedgerBase]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _array_type(connection: Connection, table: Table, name: str) -> str:
    """``varchar[]``-style cast for a column: the base type, without its size."""
    compiled = table.c[name].type.compile(dialect=connection.dialect)
    return _SIZE.sub("", compiled).lower() + "[]"


def stored_payments(connection: Connection, operation_ids: Iterable[str]) -> list[Any]:
    """(operation_id, terminal_id, content_hash, status, code, reason) of the stored ones."""
    listed = sorted(set(operation_ids))
    if not _is_pg(connection):
        return list(
            connection.execute(
                select(
                    Payment.operation_id,
                    Payment.terminal_id,
                    Payment.content_hash,
                    Payment.status,
                    Payment.code,
                    Payment.reason,
                ).where(Payment.operation_id.in_(listed))
            )
        )
    return list(
        _pg(
            connection,
            "SELECT operation_id, terminal_id, content_hash, status, "
            "code, reason FROM payments "
            "WHERE operation_id = ANY(%(ids)s::varchar[])",
            {"ids": listed},
        )
    )


def receipt_holders(
    connection: Connection, terminal_id: str, receipt_numbers: Iterable[int]
) -> dict[int, str]:
    """Receipt number → the operation id holding it, among this terminal's stored payments."""
    listed = sorted(set(receipt_numbers))
    if not listed:
        return {}
    if not _is_pg(connection):
        rows = connection.execute(
            select(Payment.receipt_number, Payment.operation_id).where(
                Payment.terminal_id == terminal_id,
                Payment.receipt_number.in_(listed),
                Payment.receipt_copy == 0,
            )
        )
    else:
        rows = _pg(
            connection,
            "SELECT receipt_number, operation_id FROM payments "
            "WHERE terminal_id = %(terminal)s "
            "AND receipt_number = ANY(%(numbers)s::bigint[]) "
            "AND receipt_copy = 0",
            {"terminal": terminal_id, "numbers": listed},
        )
    return {int(number): str(operation_id) for number, operation_id in rows}


def insert_rows(
    connection: Connection,
    model: type[LedgerBase],
    rows: Sequence[Row],
    *,
    ignore_duplicates: bool = False,
) -> int:
    """Insert rows (all with the same keys, plain values); duplicates of a unique key are
    skipped if asked. Returns how many rows were inserted."""
    if not rows:
        return 0
    table = _table(model)
    names = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    conflict = " ON CONFLICT DO NOTHING" if ignore_duplicates else ""
    if not _is_pg(connection):
        placeholders = ", ".join("?" for _ in names)
        return int(
            connection.exec_driver_sql(
                f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({placeholders}){conflict}",
                [tuple(row[name] for name in names) for row in rows],
            ).rowcount
        )
    arrays = ", ".join(f"%({name})s::{_array_type(connection, table, name)}" for name in names)
    return int(
        _pg(
            connection,
            f"INSERT INTO {quote(table.name)} ({columns}) SELECT * FROM unnest({arrays}){conflict}",
            {name: [row[name] for row in rows] for name in names},
        ).rowcount
    )


def account_ids(connection: Connection, keys: Sequence[str]) -> dict[str, int]:
    """Key → id of the ledger accounts among ``keys`` that exist."""
    if not _is_pg(connection):
        found = connection.execute(
            select(LedgerAccount.key, LedgerAccount.id).where(LedgerAccount.key.in_(keys))
        )
        return {row.key: row.id for row in found}
    found = _pg(
        connection,
        "SELECT key, id FROM ledger_accounts WHERE key = ANY(%(keys)s::varchar[])",
        {"keys": list(keys)},
    )
    return {row.key: row.id for row in found}


def lock_wallets(connection: Connection, keys: set[tuple[str, str]]) -> list[Any]:
    """The wallet rows of ``keys`` (service, account), locked FOR NO KEY UPDATE in id order
    on PostgreSQL so that two batches sharing wallets queue instead of deadlocking (SQLite
    has one writer at a time)."""
    listed = sorted(keys)
    if not _is_pg(connection):
        # SQLite scans the whole table for a row-value IN; two plain INs use the unique
        # (service, account) index, and the few extra pairs they match are dropped here.
        rows = connection.execute(
            select(Wallet)
            .where(
                Wallet.service.in_({service for service, _ in listed}),
                Wallet.account.in_({account for _, account in listed}),
            )
            .order_by(Wallet.id)
        )
        return [row for row in rows if (row.service, row.account) in keys]
    return list(
        _pg(
            connection,
            "SELECT w.id, w.service, w.account, w.status, w.state, w.holder, w.balance, "
            "w.turnover_day, w.day_turnover FROM wallets AS w "
            "JOIN unnest(%(services)s::varchar[], %(accounts)s::varchar[]) AS k(service, account) "
            "ON w.service = k.service AND w.account = k.account "
            "ORDER BY w.id FOR NO KEY UPDATE OF w",
            {
                "services": [service for service, _ in listed],
                "accounts": [account for _, account in listed],
            },
        )
    )


def add_to_totals(connection: Connection, totals: Sequence[tuple[int, int, int]]) -> None:
    """Add (account id, debits, credits) to the accounts' posted totals, locking the rows in
    id order first so that concurrent batches cannot deadlock on them. The lock is NO KEY
    UPDATE: it must not wait for the KEY SHARE locks that other batches' transfer rows
    (foreign keys) hold on the same accounts, or two batches wait for each other."""
    if not totals:
        return
    ordered = sorted(totals)
    if not _is_pg(connection):
        connection.exec_driver_sql(
            "UPDATE ledger_accounts SET debits_posted = debits_posted + ?, "
            "credits_posted = credits_posted + ? WHERE id = ?",
            [(debits, credits, account) for account, debits, credits in ordered],
        )
        return
    # The locking CTE is materialised and read before any row of it is updated: every lock
    # of this statement is taken in id order.
    _pg(
        connection,
        "WITH locked AS MATERIALIZED (SELECT id FROM ledger_accounts "
        "WHERE id = ANY(%(ids)s::bigint[]) ORDER BY id FOR NO KEY UPDATE) "
        "UPDATE ledger_accounts AS a SET debits_posted = a.debits_posted + v.d, "
        "credits_posted = a.credits_posted + v.c "
        "FROM locked JOIN unnest(%(ids)s::bigint[], %(d)s::bigint[], %(c)s::bigint[]) "
        "AS v(id, d, c) ON v.id = locked.id WHERE a.id = v.id",
        {
            "ids": [account for account, _, _ in ordered],
            "d": [debits for _, debits, _ in ordered],
            "c": [credits for _, _, credits in ordered],
        },
    )


def set_wallet_turnover(
    connection: Connection, wallets: Sequence[tuple[int, int, str, int]]
) -> None:
    """SQLite: set (wallet id, balance, turnover day, day turnover) of this batch's wallets
    (PostgreSQL does it in :func:`write_batch_books`)."""
    if wallets:
        connection.exec_driver_sql(
            "UPDATE wallets SET balance = ?, turnover_day = ?, day_turnover = ? WHERE id = ?",
            [
                (balance, day, turnover, wallet)
                for wallet, balance, day, turnover in sorted(wallets)
            ],
        )


def write_batch_books(
    connection: Connection,
    wallets: Sequence[tuple[int, int, str, int]],
    accounts: Sequence[tuple[str, str, int, int]],
    transfers: Sequence[tuple[str, str, str, str, int]],
    posted_at: int,
) -> None:
    """PostgreSQL: in one statement, set the batch's wallets (id, balance, day, day
    turnover), add (key, kind, debits, credits) to the accounts' totals, creating the new
    accounts, and insert the transfers (operation id, kind, debit key, credit key, amount).

    The accounts are upserted in the order given: every batch must give one order, so that
    concurrent batches lock them in one order;
    the lock is NO KEY UPDATE (no key column changes), which never waits for the KEY SHARE
    locks other batches' transfer rows take on the same accounts through their foreign keys.
    """
    ordered_wallets = sorted(wallets)
    ordered_accounts = list(accounts)
    counts = _pg(
        connection,
        "WITH wallet_update AS ("
        " UPDATE wallets AS w SET balance = v.balance, turnover_day = v.day,"
        " day_turnover = v.turnover FROM unnest(%(w_ids)s::bigint[], %(w_balances)s::bigint[],"
        " %(w_days)s::varchar[], %(w_turnovers)s::bigint[]) AS v(id, balance, day, turnover)"
        " WHERE w.id = v.id RETURNING w.id),"
        " account AS ("
        " INSERT INTO ledger_accounts AS a (key, kind, debits_posted, credits_posted)"
        " SELECT * FROM unnest(%(a_keys)s::varchar[], %(a_kinds)s::varchar[],"
        " %(a_debits)s::bigint[], %(a_credits)s::bigint[])"
        " ON CONFLICT (key) DO UPDATE SET debits_posted = a.debits_posted + excluded.debits_posted,"
        " credits_posted = a.credits_posted + excluded.credits_posted RETURNING a.key, a.id),"
        " moved AS ("
        " INSERT INTO transfers (operation_id, kind, debit_account_id, credit_account_id, amount,"
        " posted_at) SELECT t.operation_id, t.kind, d.id, c.id, t.amount, %(posted_at)s::bigint"
        " FROM unnest(%(t_ids)s::varchar[], %(t_kinds)s::varchar[], %(t_debits)s::varchar[],"
        " %(t_credits)s::varchar[], %(t_amounts)s::bigint[])"
        " AS t(operation_id, kind, debit, credit, amount)"
        " JOIN account AS d ON d.key = t.debit JOIN account AS c ON c.key = t.credit"
        " RETURNING 1)"
        " SELECT (SELECT count(*) FROM wallet_update), (SELECT count(*) FROM account),"
        " (SELECT count(*) FROM moved)",
        {
            "w_ids": [row[0] for row in ordered_wallets],
            "w_balances": [row[1] for row in ordered_wallets],
            "w_days": [row[2] for row in ordered_wallets],
            "w_turnovers": [row[3] for row in ordered_wallets],
            "a_keys": [row[0] for row in ordered_accounts],
            "a_kinds": [row[1] for row in ordered_accounts],
            "a_debits": [row[2] for row in ordered_accounts],
            "a_credits": [row[3] for row in ordered_accounts],
            "t_ids": [row[0] for row in transfers],
            "t_kinds": [row[1] for row in transfers],
            "t_debits": [row[2] for row in transfers],
            "t_credits": [row[3] for row in transfers],
            "t_amounts": [row[4] for row in transfers],
            "posted_at": posted_at,
        },
    ).one()
    expected = (len(ordered_wallets), len(ordered_accounts), len(transfers))
    if tuple(counts) != expected:
        raise BooksWriteError(
            f"batch write touched (wallets, accounts, transfers) = "
            f"{tuple(counts)}, expected {expected}; rolled back"
        )
