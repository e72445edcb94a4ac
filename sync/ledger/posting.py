"""Posting a batch of kiosk payments: one transaction, bulk inserts, exactly once.

The operation id is the primary key of ``payments``; rows go in with ``ON CONFLICT DO
NOTHING … RETURNING``. When a concurrent writer (another thread or server process) stored
one of our ids between our read and our insert, the insert returns fewer ids than we sent:
the whole transaction is rolled back and the batch is judged again, now seeing that id as
stored. So a wallet is credited only by the transaction that stored the payment row.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from kiosk.catalog import Catalog, Category, Service
from sync.ledger.books import (
    COMMISSION_KEY,
    SUSPENSE_KEY,
    AccountIds,
    AccountKind,
    Leg,
    TransferKind,
    cash_key,
    post_legs,
    wallet_key,
)
from sync.ledger.bulk import among, insert_rows, set_wallet_turnover, wallets_among
from sync.ledger.models import Payment, Wallet
from sync.ledger.schema import ItemResult, ItemStatus, PaymentIn, PaymentStatus
from sync.ledger.wallets import (
    Code,
    Verdict,
    WalletPolicy,
    WalletRow,
    WalletState,
    normalise_account,
    wallet_verdict,
)

CONFLICT_REASON = "this operation id is already recorded with other content; nothing changed"


class RaceLost(Exception):
    """Another transaction stored one of this batch's operation ids first: judge again."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """A payment checked on its own (no database): its hash, service and stored account."""

    payment: PaymentIn
    content_hash: str
    service: Service | None
    account: str  # normalised when valid, else as sent
    verdict: Verdict  # OK unless the payment fails a rule that needs no database

    @property
    def is_wallet(self) -> bool:
        return (self.verdict.ok and self.service is not None
                and self.service.category is Category.EWALLET)


def prepare(catalog: Catalog, payment: PaymentIn) -> Prepared:
    """Check what can be checked without the database: sums, currency, service, account, amount."""
    content_hash = payment.content_hash()
    try:
        service = catalog.get(payment.service)
    except KeyError:
        return Prepared(payment, content_hash, None, payment.account,
                        Verdict(Code.OTHER, f"unknown service {payment.service!r}"))

    def refused(verdict: Verdict) -> Prepared:
        return Prepared(payment, content_hash, service, payment.account, verdict)

    if payment.currency != "KZT":
        return refused(Verdict(Code.OTHER, f"currency {payment.currency!r} is not KZT"))
    if sum(payment.notes) != payment.inserted:
        return refused(Verdict(Code.OTHER, f"notes add up to {sum(payment.notes)} tiyn, not the "
                                           f"{payment.inserted} inserted"))
    if payment.commission + payment.credited != payment.inserted:
        return refused(Verdict(Code.OTHER, "commission and credited do not add up to inserted"))
    account = normalise_account(service, payment.account)
    if account is None:
        return refused(Verdict(Code.BAD_FORMAT, f"not a valid {service.id} account number"))
    if payment.inserted < service.min_amount.tiyn:
        return refused(Verdict(Code.TOO_SMALL, f"below the service minimum {service.min_amount}"))
    if payment.inserted > service.max_amount.tiyn:
        return refused(Verdict(Code.TOO_LARGE, f"over the service maximum {service.max_amount}"))
    return Prepared(payment, content_hash, service, account, Verdict(Code.OK))


@dataclass(frozen=True, slots=True)
class _Stored:
    terminal_id: str
    content_hash: str
    status: PaymentStatus
    code: int
    reason: str | None


def _answer_for_repeat(operation_id: str, terminal_id: str, content_hash: str,
                       stored: _Stored) -> ItemResult:
    """Duplicate (the first answer again) or conflict (other content: nothing changes)."""
    if stored.content_hash == content_hash and stored.terminal_id == terminal_id:
        first = (ItemStatus.ACCEPTED if stored.status is PaymentStatus.COMPLETED
                 else ItemStatus.REJECTED)
        return ItemResult(operation_id=operation_id, status=ItemStatus.DUPLICATE,
                          payment_status=stored.status, code=stored.code, reason=stored.reason,
                          first_status=first)
    return ItemResult(operation_id=operation_id, status=ItemStatus.CONFLICT,
                      payment_status=stored.status, code=int(Code.OTHER), reason=CONFLICT_REASON)


def _load_stored(connection: Connection, operation_ids: Iterable[str]) -> dict[str, _Stored]:
    rows = connection.execute(select(
        Payment.operation_id, Payment.terminal_id, Payment.content_hash, Payment.status,
        Payment.code, Payment.reason).where(among(connection, Payment.operation_id, operation_ids)))
    return {row.operation_id: _Stored(row.terminal_id, row.content_hash,
                                      PaymentStatus(row.status), row.code, row.reason)
            for row in rows}


def _load_wallets(connection: Connection, wanted: set[tuple[str, str]],
                  opening: set[tuple[str, str]]) -> dict[tuple[str, str], WalletRow]:
    """The wallets of this batch, locked for update; wallets that open on first payment are
    created (MINIMAL, empty) first.

    New wallets are inserted before any wallet is locked, in key order: a batch that waits
    for another's uncommitted new wallet then holds no wallet lock the other may need.
    """
    if not wanted:
        return {}
    if opening:
        existing = {(row.service, row.account) for row in connection.execute(
            select(Wallet.service, Wallet.account).where(wallets_among(connection, opening)))}
        missing = opening - existing
        if missing:  # only new numbers pay for the insert
            insert_rows(connection, Wallet, [
                {"service": service, "account": account, "status": "minimal",
                 "state": "active", "holder": None, "balance": 0, "turnover_day": "",
                 "day_turnover": 0} for service, account in sorted(missing)],
                ignore_duplicates=True)
    return _lock_wallets(connection, wanted)


def _lock_wallets(connection: Connection,
                  keys: set[tuple[str, str]]) -> dict[tuple[str, str], WalletRow]:
    query = (select(Wallet).where(wallets_among(connection, keys))
             .order_by(Wallet.id).with_for_update(key_share=True))
    wallets: dict[tuple[str, str], WalletRow] = {}
    for wallet in connection.execute(query):
        if (wallet.service, wallet.account) not in keys:
            continue  # matched the looser PostgreSQL condition only (locked, harmlessly)
        wallets[(wallet.service, wallet.account)] = WalletRow(
            id=wallet.id, status=wallet.status, state=WalletState(wallet.state),
            holder=wallet.holder, balance=wallet.balance, turnover_day=wallet.turnover_day,
            day_turnover=wallet.day_turnover)
    return wallets


def post_batch(connection: Connection, accounts: AccountIds, policy: WalletPolicy,
               terminal_id: str, batch: Sequence[Prepared], now_ms: int,
               day: str) -> tuple[list[ItemResult], dict[str, int]]:
    """Judge and store one batch in the caller's transaction.

    Returns the per-item results in batch order and the account ids to remember after commit.
    Raises RaceLost when a concurrent transaction stored one of the ids first.
    """
    stored = _load_stored(connection, (item.payment.operation_id for item in batch))
    fresh = [item for item in batch if item.payment.operation_id not in stored]
    wanted = {(item.payment.service, item.account) for item in fresh if item.is_wallet}
    opening = {key for key in wanted if key[0] in policy.open_on_first_payment}
    wallets = _load_wallets(connection, wanted, opening)
    touched: dict[int, WalletRow] = {}

    results: list[ItemResult] = []
    seen: dict[str, _Stored] = {}
    rows: list[dict[str, object]] = []
    legs: list[Leg] = []
    cash = cash_key(terminal_id)
    keys: dict[str, AccountKind] = {}
    for item in batch:
        payment = item.payment
        operation_id = payment.operation_id
        earlier = stored.get(operation_id) or seen.get(operation_id)
        if earlier is not None:
            results.append(_answer_for_repeat(operation_id, terminal_id, item.content_hash,
                                              earlier))
            continue
        verdict = item.verdict
        wallet = wallets.get((payment.service, item.account)) if item.is_wallet else None
        if verdict.ok and item.is_wallet and item.service is not None:
            verdict = wallet_verdict(item.service, wallet, payment.credited, policy.mrp, day,
                                     opens=False)
        status = PaymentStatus.COMPLETED if verdict.ok else PaymentStatus.REJECTED
        seen[operation_id] = _Stored(terminal_id, item.content_hash, status, int(verdict.code),
                                     verdict.reason)
        results.append(ItemResult(
            operation_id=operation_id,
            status=ItemStatus.ACCEPTED if verdict.ok else ItemStatus.REJECTED,
            payment_status=status, code=int(verdict.code), reason=verdict.reason))
        rows.append({
            "operation_id": operation_id, "terminal_id": terminal_id,
            "local_seq": payment.local_seq, "receipt_number": payment.receipt_number,
            "service": payment.service, "account": item.account, "inserted": payment.inserted,
            "commission": payment.commission, "credited": payment.credited,
            "currency": payment.currency, "created_at": payment.created_at,
            "notes": json.dumps(payment.notes), "offline": payment.offline,
            "recovered": payment.recovered, "completion": payment.completion,
            "content_hash": item.content_hash, "status": str(status), "code": int(verdict.code),
            "reason": verdict.reason, "received_at": now_ms})
        keys[cash] = AccountKind.CASH
        if verdict.ok:
            target = wallet_key(payment.service, item.account)
            keys[target] = AccountKind.WALLET
            legs.append(Leg(TransferKind.CREDIT, cash, target, payment.credited, operation_id))
            if payment.commission:
                keys[COMMISSION_KEY] = AccountKind.COMMISSION
                legs.append(Leg(TransferKind.COMMISSION, cash, COMMISSION_KEY,
                                payment.commission, operation_id))
            if wallet is not None:
                if wallet.turnover_day != day:
                    wallet.turnover_day, wallet.day_turnover = day, 0
                wallet.balance += payment.credited
                wallet.day_turnover += payment.credited
                touched[wallet.id] = wallet
        elif payment.inserted:
            keys[SUSPENSE_KEY] = AccountKind.SUSPENSE
            legs.append(Leg(TransferKind.SUSPENSE, cash, SUSPENSE_KEY, payment.inserted,
                            operation_id))
    if not rows:
        return results, {}

    rows.sort(key=lambda row: str(row["operation_id"]))  # one lock order for every writer
    # Plain executemany (pipelined by psycopg) then a count of our own batch id: RETURNING
    # would force one huge multi-VALUES statement, several times slower on PostgreSQL.
    batch_id = uuid.uuid4().hex
    for row in rows:
        row["batch_id"] = batch_id
    insert_rows(connection, Payment, rows, ignore_duplicates=True)
    ours = connection.execute(select(func.count()).select_from(Payment).where(
        among(connection, Payment.operation_id, [row["operation_id"] for row in rows]),
        Payment.batch_id == batch_id)).scalar_one()
    if ours != len(rows):
        raise RaceLost(f"{len(rows) - ours} operation ids were stored concurrently")
    ids, new_ids = accounts.resolve(connection, keys)
    post_legs(connection, legs, ids, now_ms)
    set_wallet_turnover(connection, [
        (wallet.id, wallet.balance, wallet.turnover_day, wallet.day_turnover)
        for wallet in touched.values()])
    return results, new_ids
