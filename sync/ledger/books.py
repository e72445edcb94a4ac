"""The double-entry books: account keys, account ids, and posting transfers in bulk.

Posting adds the transfer rows and the accounts' posted totals in the caller's
transaction; totals are updated in account-id order so concurrent writers on PostgreSQL
lock rows in one order and cannot deadlock on them.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, func
from sqlalchemy.dialects import postgresql, sqlite

from sync.ledger.bulk import account_ids, add_to_totals, insert_rows
from sync.ledger.models import LedgerAccount, LedgerBase, Transfer

COMMISSION_KEY = "commission"
SUSPENSE_KEY = "suspense"
COLLECTED_KEY = "collected"
REFUNDS_KEY = "refunds"
WALLET_KEY_PREFIX = "wallet:"


class AccountKind(StrEnum):
    WALLET = "wallet"  # a wallet or subscriber account: service + account
    CASH = "cash"  # the cash inside one terminal
    COMMISSION = "commission"  # the agent's commission income
    SUSPENSE = "suspense"  # cash taken that could not be credited: held for refund or repost
    COLLECTED = "collected"  # cash taken out of terminals by technicians
    REFUNDS = "refunds"  # suspense money handed back to customers by the back office


class TransferKind(StrEnum):
    CREDIT = "credit"  # cash → wallet
    COMMISSION = "commission"  # cash → commission income
    SUSPENSE = "suspense"  # cash → suspense (rejected payment)
    ENCASHMENT = "encashment"  # terminal cash → collected
    RELEASE = "release"  # suspense → a wallet or refunds (back office, one per payment)


# Sums of money columns are taken in two parts, ``sum(x // SPLIT)`` and ``sum(x % SPLIT)``:
# SQLite's sum() fails with "integer overflow" past 2**63 - 1 (and total() answers a float),
# while each part stays far inside 64 bits for billions of rows. Python adds them exactly.
SPLIT = 2**32


def sum_parts(column: Any) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The two SQL sums whose :func:`joined` value is the exact sum of ``column`` (0 when no
    rows), on SQLite and PostgreSQL alike."""
    return (func.coalesce(func.sum(column // SPLIT), 0), func.coalesce(func.sum(column % SPLIT), 0))


def joined(high: Any, low: Any) -> int:
    """The exact integer sum from :func:`sum_parts` (PostgreSQL answers numeric)."""
    return int(high) * SPLIT + int(low)


def wallet_key(service: str, account: str) -> str:
    return f"{WALLET_KEY_PREFIX}{service}:{account}"


def cash_key(terminal_id: str) -> str:
    return f"cash:{terminal_id}"


@dataclass(frozen=True, slots=True)
class Leg:
    """One transfer to post: ``amount`` from the debit account's key to the credit's."""

    kind: TransferKind
    debit: str
    credit: str
    amount: int
    operation_id: str | None = None
    encashment_id: int | None = None


def insert_ignoring_duplicates(connection: Connection, model: type[LedgerBase]) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` for the connection's dialect."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    return sqlite.insert(model).on_conflict_do_nothing()


class AccountIds:
    """Account key → id, created on first use; ids are cached only once committed."""

    def __init__(self) -> None:
        self._known: dict[str, int] = {}
        self._lock = threading.Lock()

    def resolve(
        self, connection: Connection, wanted: Mapping[str, AccountKind]
    ) -> tuple[dict[str, int], dict[str, int]]:
        """The ids of the wanted accounts, creating missing ones in this transaction.

        Returns (all ids, ids read or made in this transaction: pass to remember() after commit).
        """
        with self._lock:
            ids = {key: self._known[key] for key in wanted if key in self._known}
        missing = sorted(key for key in wanted if key not in ids)
        if not missing:
            return ids, {}
        insert_rows(
            connection,
            LedgerAccount,
            [
                {"key": key, "kind": str(wanted[key]), "debits_posted": 0, "credits_posted": 0}
                for key in missing
            ],
            ignore_duplicates=True,
        )
        # A new statement: it also sees accounts another writer committed meanwhile.
        found = account_ids(connection, missing)
        ids.update(found)
        return ids, found

    def remember(self, committed: Mapping[str, int]) -> None:
        with self._lock:
            self._known.update(committed)

    def forget(self) -> None:
        with self._lock:
            self._known.clear()


def totals_by_key(legs: Iterable[Leg]) -> dict[str, tuple[int, int]]:
    """Account key → (debits, credits) that the legs add to it."""
    totals: dict[str, tuple[int, int]] = {}
    for leg in legs:
        debits, credits = totals.get(leg.debit, (0, 0))
        totals[leg.debit] = (debits + leg.amount, credits)
        debits, credits = totals.get(leg.credit, (0, 0))
        totals[leg.credit] = (debits, credits + leg.amount)
    return totals


def post_legs(
    connection: Connection, legs: Iterable[Leg], ids: Mapping[str, int], posted_at: int
) -> int:
    """Insert the transfers and add them to the accounts' posted totals; returns the count."""
    rows: list[dict[str, Any]] = []
    debits: dict[int, int] = defaultdict(int)
    credits: dict[int, int] = defaultdict(int)
    for leg in legs:
        if leg.amount <= 0:
            continue  # a zero commission moves nothing and would only add noise
        debit_id, credit_id = ids[leg.debit], ids[leg.credit]
        rows.append(
            {
                "operation_id": leg.operation_id,
                "encashment_id": leg.encashment_id,
                "kind": str(leg.kind),
                "debit_account_id": debit_id,
                "credit_account_id": credit_id,
                "amount": leg.amount,
                "posted_at": posted_at,
            }
        )
        debits[debit_id] += leg.amount
        credits[credit_id] += leg.amount
    if not rows:
        return 0
    insert_rows(connection, Transfer, rows)
    add_to_totals(
        connection,
        [
            (account, debits.get(account, 0), credits.get(account, 0))
            for account in set(debits) | set(credits)
        ],
    )
    return len(rows)
