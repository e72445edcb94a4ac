"""Bulk writes for one batch: plain executemany on SQLite, ``unnest`` arrays on PostgreSQL.

On PostgreSQL one short statement with one array per column replaces a hundred row
statements (or one very long multi-VALUES statement that the driver re-parses every time):
the batch path stays a handful of round trips whatever the batch size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    any_,
    bindparam,
    insert,
    literal,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute

from sync.ledger.models import LedgerAccount, LedgerBase, Wallet

Row = Mapping[str, Any]


def _table(model: type[LedgerBase]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def among(connection: Connection, column: ColumnElement[Any] | InstrumentedAttribute[Any],
          values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL ``column = ANY(array)``, one parameter however many
    values (a long IN list costs more to render and parse than to run)."""
    listed = sorted(set(values))
    if connection.dialect.name != "postgresql":
        return column.in_(listed)
    return column == any_(literal(listed, postgresql.ARRAY(column.type)))


def wallets_among(connection: Connection,
                  keys: Iterable[tuple[str, str]]) -> ColumnElement[bool]:
    """Rows whose (service, account) is one of ``keys``. On PostgreSQL the condition may
    also match other pairs of the same services and accounts: callers filter the rows."""
    listed = sorted(set(keys))
    if connection.dialect.name != "postgresql":
        return tuple_(Wallet.service, Wallet.account).in_(listed)
    return and_(among(connection, Wallet.service, {service for service, _ in listed}),
                among(connection, Wallet.account, {account for _, account in listed}))


def _arrays(rows: Sequence[Row], names: Sequence[str]) -> dict[str, list[Any]]:
    return {name: [_plain(row[name]) for row in rows] for name in names}


def insert_rows(connection: Connection, model: type[LedgerBase], rows: Sequence[Row], *,
                ignore_duplicates: bool = False) -> None:
    """Insert rows (all with the same keys); duplicates of a unique key are skipped if asked."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        statement: Any = (sqlite.insert(model).on_conflict_do_nothing() if ignore_duplicates
                          else insert(model))
        connection.execute(statement, list(rows))
        return
    table = _table(model)
    names = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    arrays = ", ".join(f"%({name})s::{table.c[name].type.compile(dialect=connection.dialect)}[]"
                       for name in names)
    sql = f"INSERT INTO {quote(table.name)} ({columns}) SELECT * FROM unnest({arrays})"
    if ignore_duplicates:
        sql += " ON CONFLICT DO NOTHING"
    connection.exec_driver_sql(sql, _arrays(rows, names))


def add_to_totals(connection: Connection, totals: Sequence[tuple[int, int, int]]) -> None:
    """Add (account id, debits, credits) to the accounts' posted totals, locking the rows in
    id order first so that concurrent batches cannot deadlock on them. The lock is NO KEY
    UPDATE: it must not wait for the KEY SHARE locks that other batches' transfer rows
    (foreign keys) hold on the same accounts, or two batches wait for each other."""
    if not totals:
        return
    ordered = sorted(totals)
    if connection.dialect.name != "postgresql":
        connection.execute(
            update(LedgerAccount).where(LedgerAccount.id == bindparam("account_id")).values(
                debits_posted=LedgerAccount.debits_posted + bindparam("add_debits"),
                credits_posted=LedgerAccount.credits_posted + bindparam("add_credits")),
            [{"account_id": account, "add_debits": debits, "add_credits": credits}
             for account, debits, credits in ordered])
        return
    ids = [account for account, _, _ in ordered]
    connection.exec_driver_sql(
        "SELECT id FROM ledger_accounts WHERE id = ANY(%(ids)s::bigint[]) ORDER BY id "
        "FOR NO KEY UPDATE", {"ids": ids})
    connection.exec_driver_sql(
        "UPDATE ledger_accounts AS a SET debits_posted = a.debits_posted + v.d, "
        "credits_posted = a.credits_posted + v.c "
        "FROM unnest(%(ids)s::bigint[], %(d)s::bigint[], %(c)s::bigint[]) AS v(id, d, c) "
        "WHERE a.id = v.id",
        {"ids": ids, "d": [debits for _, debits, _ in ordered],
         "c": [credits for _, _, credits in ordered]})


def set_wallet_turnover(connection: Connection,
                        wallets: Sequence[tuple[int, int, str, int]]) -> None:
    """Set (wallet id, balance, turnover day, day turnover) of wallets locked by this batch."""
    if not wallets:
        return
    ordered = sorted(wallets)
    if connection.dialect.name != "postgresql":
        connection.execute(
            update(Wallet).where(Wallet.id == bindparam("wallet_id")).values(
                balance=bindparam("new_balance"), turnover_day=bindparam("new_day"),
                day_turnover=bindparam("new_turnover")),
            [{"wallet_id": wallet, "new_balance": balance, "new_day": day,
              "new_turnover": turnover} for wallet, balance, day, turnover in ordered])
        return
    connection.exec_driver_sql(
        "UPDATE wallets AS w SET balance = v.balance, turnover_day = v.day, "
        "day_turnover = v.turnover FROM unnest(%(ids)s::bigint[], %(balances)s::bigint[], "
        "%(days)s::varchar[], %(turnovers)s::bigint[]) AS v(id, balance, day, turnover) "
        "WHERE w.id = v.id",
        {"ids": [row[0] for row in ordered], "balances": [row[1] for row in ordered],
         "days": [row[2] for row in ordered], "turnovers": [row[3] for row in ordered]})

