"""Posting a batch of kiosk payments: one transaction, bulk statements, exactly once.

The operation id is the primary key of ``payments``; rows go in with ``ON CONFLICT DO
NOTHING``, which counts only the rows it stored. When a concurrent writer (another thread
or server process) stored one of our ids between our read and our insert, the count is
short: the whole transaction is rolled back and the batch is judged again, now seeing that
id as stored. Wallets, transfers and account totals are written only after that count, so
money moves only in the transaction that stored the payment row.

On PostgreSQL a batch is five statements (stored ids; new wallets; wallet locks; payment
rows; wallets + accounts + transfers in one) and the commit. Every batch locks in one
order: wallets by id, payment ids in order, then accounts (:func:`_lock_order`), the hot
ones (terminal cash, commission, suspense) last so they are held for the shortest time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from kiosk.domain.catalog import Category, Service
from sync.ledger.books import (
    COMMISSION_KEY,
    SUSPENSE_KEY,
    WALLET_KEY_PREFIX,
    AccountIds,
    AccountKind,
    Leg,
    TransferKind,
    cash_key,
    post_legs,
    totals_by_key,
    wallet_key,
)
from sync.ledger.bulk import (
    insert_rows,
    lock_wallets,
    receipt_holders,
    set_wallet_turnover,
    stored_payments,
    write_batch_books,
)
from sync.ledger.catalogs import CatalogVersions
from sync.ledger.checks import BAD_ACCOUNT, WALLET_FAULTS, Failed, check_money
from sync.ledger.models import Payment, Wallet
from sync.ledger.schema import ItemResult, ItemStatus, PaymentIn, PaymentStatus
from sync.ledger.wallets import (
    VERDICT_OK,
    Code,
    Verdict,
    WalletPolicy,
    WalletRow,
    WalletState,
    normalise_account,
    wallet_verdict,
)

CONFLICT_REASON = "this operation id is already recorded with other content; nothing changed"


def receipt_taken_reason(terminal_id: str, receipt_number: int, holder: str) -> str:
    return (
        f"receipt number {receipt_number} of terminal {terminal_id} is already held by "
        f"operation {holder}; nothing posted"
    )


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
    fault: str | None = None  # the check it failed (sync.ledger.checks), machine-readable

    @property
    def is_wallet(self) -> bool:
        return (
            self.verdict.ok
            and self.service is not None
            and self.service.category is Category.EWALLET
        )


def prepare(catalogs: CatalogVersions, payment: PaymentIn) -> Prepared:
    """Check what can be checked without the database: the money against the catalog of the
    payment's version (:func:`sync.ledger.checks.check_money`), and the account number."""
    content_hash = payment.content_hash()
    service, failed = check_money(
        catalogs.for_payment(payment.catalog_version), payment, catalogs.served.version
    )
    if failed is None and service is not None:
        account = normalise_account(service, payment.account)
        if account is not None:
            return Prepared(payment, content_hash, service, account, VERDICT_OK)
        failed = Failed(BAD_ACCOUNT, Code.BAD_FORMAT, f"not a valid {service.id} account number")
    assert failed is not None
    return Prepared(payment, content_hash, service, payment.account, failed.verdict, failed.fault)


def _notes_json(notes: Sequence[int]) -> str:
    """``json.dumps`` of a list of ints, byte for byte, without the encoder's set-up."""
    return "[" + ", ".join(map(str, notes)) + "]"


@dataclass(frozen=True, slots=True)
class _Stored:
    terminal_id: str
    content_hash: str
    status: PaymentStatus
    code: int
    reason: str | None


def _answer_for_repeat(
    operation_id: str, terminal_id: str, content_hash: str, stored: _Stored
) -> ItemResult:
    """Duplicate (the first answer again) or conflict (other content: nothing changes)."""
    if stored.content_hash == content_hash and stored.terminal_id == terminal_id:
        first = (
            ItemStatus.ACCEPTED if stored.status is PaymentStatus.COMPLETED else ItemStatus.REJECTED
        )
        return ItemResult(
            operation_id=operation_id,
            status=ItemStatus.DUPLICATE,
            payment_status=stored.status,
            code=stored.code,
            reason=stored.reason,
            first_status=first,
        )
    return ItemResult(
        operation_id=operation_id,
        status=ItemStatus.CONFLICT,
        payment_status=stored.status,
        code=int(Code.OTHER),
        reason=CONFLICT_REASON,
    )


def _load_stored(connection: Connection, operation_ids: Iterable[str]) -> dict[str, _Stored]:
    return {
        operation_id: _Stored(terminal_id, content_hash, PaymentStatus(status), code, reason)
        for operation_id, terminal_id, content_hash, status, code, reason in stored_payments(
            connection, operation_ids
        )
    }


def load_wallets(
    connection: Connection, wanted: set[tuple[str, str]], opening: set[tuple[str, str]]
) -> dict[tuple[str, str], WalletRow]:
    """The wallets of this batch, locked for update; wallets that open on first payment are
    created (MINIMAL, empty) first if they are new.

    New wallets are inserted before any wallet is locked, in key order: a batch that waits
    for another's uncommitted new wallet then holds no wallet lock the other may need.
    """
    if not wanted:
        return {}
    if opening:  # an existing wallet costs the insert one index probe, no row
        insert_rows(
            connection,
            Wallet,
            [
                {
                    "service": service,
                    "account": account,
                    "status": "minimal",
                    "state": "active",
                    "holder": None,
                    "balance": 0,
                    "turnover_day": "",
                    "day_turnover": 0,
                }
                for service, account in sorted(opening)
            ],
            ignore_duplicates=True,
        )
    return {
        (wallet.service, wallet.account): WalletRow(
            id=wallet.id,
            status=wallet.status,
            state=WalletState(wallet.state),
            holder=wallet.holder,
            balance=wallet.balance,
            turnover_day=wallet.turnover_day,
            day_turnover=wallet.day_turnover,
        )
        for wallet in lock_wallets(connection, wanted)
    }


def post_batch(
    connection: Connection,
    accounts: AccountIds,
    policy: WalletPolicy,
    terminal_id: str,
    batch: Sequence[Prepared],
    now_ms: int,
    day: str,
) -> tuple[list[ItemResult], dict[str, int]]:
    """Judge and store one batch in the caller's transaction.

    Returns the per-item results in batch order and the account ids to remember after commit.
    Raises RaceLost when a concurrent transaction stored one of the ids first.
    """
    stored = _load_stored(connection, (item.payment.operation_id for item in batch))
    fresh = [item for item in batch if item.payment.operation_id not in stored]
    receipts = receipt_holders(
        connection, terminal_id, (item.payment.receipt_number for item in fresh)
    )
    wanted = {(item.payment.service, item.account) for item in fresh if item.is_wallet}
    opening = {key for key in wanted if key[0] in policy.open_on_first_payment}
    wallets = load_wallets(connection, wanted, opening)

    results: list[ItemResult] = []
    seen: dict[str, _Stored] = {}
    rows: list[dict[str, object]] = []
    entries = _Entries(cash_key(terminal_id))
    for item in batch:
        payment = item.payment
        operation_id = payment.operation_id
        earlier = stored.get(operation_id) or seen.get(operation_id)
        if earlier is not None:
            results.append(
                _answer_for_repeat(operation_id, terminal_id, item.content_hash, earlier)
            )
            continue
        holder = receipts.setdefault(payment.receipt_number, operation_id)
        if holder != operation_id:  # one receipt number, one payment: the first keeps it
            results.append(_receipt_conflict(terminal_id, payment, holder))
            continue
        wallet = wallets.get((payment.service, item.account)) if item.is_wallet else None
        verdict, fault = _wallet_judged(item, wallet, policy, day)
        status = PaymentStatus.COMPLETED if verdict.ok else PaymentStatus.REJECTED
        seen[operation_id] = _Stored(
            terminal_id, item.content_hash, status, int(verdict.code), verdict.reason
        )
        results.append(
            ItemResult.model_construct(  # our own values: no validation needed
                operation_id=operation_id,
                status=ItemStatus.ACCEPTED if verdict.ok else ItemStatus.REJECTED,
                payment_status=status,
                code=int(verdict.code),
                reason=verdict.reason,
            )
        )
        rows.append(_payment_row(item, terminal_id, status, verdict, fault, now_ms))
        entries.book(item, verdict.ok, wallet, day)
    if not rows:
        return results, {}

    _store_rows(connection, rows)
    # Last: the account totals include hot rows (commission, suspense) whose locks every
    # batch needs; taken late, they are held only until the commit.
    return results, write_books(
        connection,
        accounts,
        entries.legs,
        entries.keys,
        now_ms,
        [
            (wallet.id, wallet.balance, wallet.turnover_day, wallet.day_turnover)
            for wallet in entries.touched.values()
        ],
    )


def _receipt_conflict(terminal_id: str, payment: PaymentIn, holder: str) -> ItemResult:
    """The answer to a payment whose receipt number another operation already holds."""
    return ItemResult(
        operation_id=payment.operation_id,
        status=ItemStatus.CONFLICT,
        payment_status=PaymentStatus.REJECTED,
        code=int(Code.RECEIPT_TAKEN),
        reason=receipt_taken_reason(terminal_id, payment.receipt_number, holder),
    )


def _wallet_judged(
    item: Prepared, wallet: WalletRow | None, policy: WalletPolicy, day: str
) -> tuple[Verdict, str | None]:
    """The payment's verdict and fault once its wallet is read: a payment that passed the
    checks without the database may still be refused by the wallet's state or limits."""
    verdict, fault = item.verdict, item.fault
    if verdict.ok and item.is_wallet and item.service is not None:
        verdict = wallet_verdict(
            item.service, wallet, item.payment.credited, policy.mrp, day, opens=False
        )
        if not verdict.ok:
            fault = WALLET_FAULTS.get(verdict.code, "wallet_refused")
    return verdict, fault


def _payment_row(
    item: Prepared,
    terminal_id: str,
    status: PaymentStatus,
    verdict: Verdict,
    fault: str | None,
    now_ms: int,
) -> dict[str, object]:
    """The ``payments`` row of a judged payment (its batch id is set when stored)."""
    payment = item.payment
    return {
        "operation_id": payment.operation_id,
        "terminal_id": terminal_id,
        "local_seq": payment.local_seq,
        "receipt_number": payment.receipt_number,
        "service": payment.service,
        "account": item.account,
        "inserted": payment.inserted,
        "commission": payment.commission,
        "credited": payment.credited,
        "currency": payment.currency,
        "created_at": payment.created_at,
        "notes": _notes_json(payment.notes),
        "offline": payment.offline,
        "recovered": payment.recovered,
        "completion": payment.completion,
        "content_hash": item.content_hash,
        "status": str(status),
        "code": int(verdict.code),
        "reason": verdict.reason,
        "received_at": now_ms,
        "fault": fault,
        "catalog_version": payment.catalog_version,
    }


@dataclass
class _Entries:
    """The money one batch moves: the legs from the terminal's cash, the accounts they
    touch, and the wallets whose balance and day's turnover changed."""

    cash: str
    legs: list[Leg] = field(default_factory=list)
    keys: dict[str, AccountKind] = field(default_factory=dict)
    touched: dict[int, WalletRow] = field(default_factory=dict)

    def book(self, item: Prepared, ok: bool, wallet: WalletRow | None, day: str) -> None:
        """A completed payment credits its target (and the commission); a rejected one
        holds its cash in suspense."""
        payment, operation_id, cash = item.payment, item.payment.operation_id, self.cash
        self.keys[cash] = AccountKind.CASH
        if not ok:
            if payment.inserted:
                self.keys[SUSPENSE_KEY] = AccountKind.SUSPENSE
                self.legs.append(
                    Leg(TransferKind.SUSPENSE, cash, SUSPENSE_KEY, payment.inserted, operation_id)
                )
            return
        target = wallet_key(payment.service, item.account)
        self.keys[target] = AccountKind.WALLET
        self.legs.append(Leg(TransferKind.CREDIT, cash, target, payment.credited, operation_id))
        if payment.commission:
            self.keys[COMMISSION_KEY] = AccountKind.COMMISSION
            self.legs.append(
                Leg(TransferKind.COMMISSION, cash, COMMISSION_KEY, payment.commission, operation_id)
            )
        if wallet is not None:
            if wallet.turnover_day != day:
                wallet.turnover_day, wallet.day_turnover = day, 0
            wallet.balance += payment.credited
            wallet.day_turnover += payment.credited
            self.touched[wallet.id] = wallet


def _store_rows(connection: Connection, rows: list[dict[str, object]]) -> None:
    """Insert the batch's payment rows in one lock order; RaceLost when another writer stored
    one of these ids, or one of these receipt numbers, after our read."""
    rows.sort(key=lambda row: str(row["operation_id"]))  # one lock order for every writer
    batch_id = uuid.uuid4().hex  # which request stored a row: for investigations
    for row in rows:
        row["batch_id"] = batch_id
    # ON CONFLICT DO NOTHING counts only the rows it stored: fewer than sent means another
    # writer stored one of these ids, or one of these receipt numbers, after our read.
    stored_now = insert_rows(connection, Payment, rows, ignore_duplicates=True)
    if stored_now != len(rows):
        raise RaceLost(
            f"{len(rows) - stored_now} operation ids or receipt numbers were stored concurrently"
        )


def _lock_order(key: str) -> tuple[bool, str]:
    """Accounts are locked in this order by every batch: wallets first, then the hot
    accounts every batch of a terminal shares (its cash, commission, suspense), so those
    are held for the shortest time."""
    return (not key.startswith(WALLET_KEY_PREFIX), key)


def write_books(
    connection: Connection,
    accounts: AccountIds,
    legs: Sequence[Leg],
    kinds: dict[str, AccountKind],
    now_ms: int,
    wallets: Sequence[tuple[int, int, str, int]],
) -> dict[str, int]:
    """Set the wallets (id, balance, day, day turnover), post the transfers and the account
    totals, locking in :func:`_lock_order`; returns the account ids to remember after
    commit (SQLite: PostgreSQL resolves them in the statement)."""
    legs = [leg for leg in legs if leg.amount > 0]  # a zero commission moves nothing
    if connection.dialect.name == "postgresql":
        totals = totals_by_key(legs)
        write_batch_books(
            connection,
            wallets,
            [(key, str(kinds[key]), *totals[key]) for key in sorted(totals, key=_lock_order)],
            # Payment legs always carry their operation id ("" would fail the foreign key).
            [
                (leg.operation_id or "", str(leg.kind), leg.debit, leg.credit, leg.amount)
                for leg in legs
            ],
            now_ms,
        )
        return {}
    set_wallet_turnover(connection, wallets)
    ids, new_ids = accounts.resolve(connection, kinds)
    post_legs(connection, legs, ids, now_ms)
    return new_ids
