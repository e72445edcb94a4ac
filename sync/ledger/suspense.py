"""Back-office release of suspense: a rejected payment's money moved out once, in full.

A rejected payment left its whole inserted amount in suspense. An operator who has sorted it
out (the customer proved the right account, or took the cash back) releases it: one balanced
transfer ``suspense → target`` carrying the payment's operation id, and one row in
``suspense_releases`` saying who, when, why and where to (unique per payment: a second
release is refused, even a concurrent one). The target is ``refund`` (the money left the
ledger back to the customer) or ``SERVICE:ACCOUNT``, credited under the same rules as a
payment (a wallet must be known and active, and the amount within its limits).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from kiosk.domain.catalog import Catalog, Category
from kiosk.domain.privacy import mask_account
from sync.ledger.books import (
    REFUNDS_KEY,
    SUSPENSE_KEY,
    WALLET_KEY_PREFIX,
    AccountIds,
    AccountKind,
    Leg,
    TransferKind,
    wallet_key,
)
from sync.ledger.bulk import insert_rows
from sync.ledger.models import Payment, SuspenseRelease
from sync.ledger.posting import load_wallets, write_books
from sync.ledger.schema import PaymentStatus
from sync.ledger.wallets import WalletPolicy, normalise_account, wallet_verdict

REFUND = "refund"
LISTED = 1000  # the oldest first: what an operator can work through


class ReleaseRefused(Exception):
    """The release cannot be made as asked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Held:
    """A rejected payment whose money is still in suspense."""

    operation_id: str
    terminal_id: str
    receipt_number: int
    service: str
    account: str  # masked
    amount: int  # tiyn: the whole inserted amount
    code: int
    reason: str | None
    received_at: int  # Unix ms at the ledger
    fault: str | None = None  # the check it failed (sync.ledger.checks); None before 0006


@dataclass(frozen=True, slots=True)
class Release:
    """One release of suspense, as recorded."""

    operation_id: str
    to: str  # "refund" or SERVICE:ACCOUNT (account masked)
    amount: int
    released_by: str
    reason: str
    released_at: int


def held(connection: Connection, terminal_id: str | None = None) -> list[Held]:
    """Rejected payments not released yet, oldest first (at most LISTED)."""
    query = (
        select(Payment)
        .outerjoin(SuspenseRelease, SuspenseRelease.operation_id == Payment.operation_id)
        .where(
            Payment.status == str(PaymentStatus.REJECTED),
            Payment.inserted > 0,
            SuspenseRelease.id.is_(None),
        )
        .order_by(Payment.received_at, Payment.operation_id)
        .limit(LISTED)
    )
    if terminal_id is not None:
        query = query.where(Payment.terminal_id == terminal_id)
    return [
        Held(
            row.operation_id,
            row.terminal_id,
            row.receipt_number,
            row.service,
            mask_account(row.account),
            row.inserted,
            row.code,
            row.reason,
            row.received_at,
            row.fault,
        )
        for row in connection.execute(query)
    ]


def release(
    connection: Connection,
    accounts: AccountIds,
    catalog: Catalog,
    policy: WalletPolicy,
    operation_id: str,
    to: str,
    by: str,
    reason: str,
    now_ms: int,
    day: str,
) -> tuple[Release, dict[str, int]]:
    """Move a rejected payment's money out of suspense to ``to``, in the caller's
    transaction. Returns the release and the account ids to remember after commit."""
    if not by.strip() or not reason.strip():
        raise ReleaseRefused("say who releases (--by) and why (--reason): both are kept")
    payment = connection.execute(
        select(Payment).where(Payment.operation_id == operation_id)
    ).one_or_none()
    if payment is None:
        raise ReleaseRefused(f"no payment {operation_id} in the ledger")
    if payment.status != PaymentStatus.REJECTED:
        raise ReleaseRefused(f"payment {operation_id} was credited: nothing of it is in suspense")
    if payment.inserted <= 0:
        raise ReleaseRefused(f"payment {operation_id} took no cash: nothing to release")
    amount = payment.inserted
    target, kind, shown, wallets = _target(connection, catalog, policy, to, amount, day)
    # The unique operation id decides between two concurrent releases: one stores its row.
    if (
        insert_rows(
            connection,
            SuspenseRelease,
            [
                {
                    "operation_id": operation_id,
                    "to_key": target,
                    "amount": amount,
                    "released_by": by.strip(),
                    "reason": reason.strip(),
                    "released_at": now_ms,
                }
            ],
            ignore_duplicates=True,
        )
        != 1
    ):
        earlier = connection.execute(
            select(SuspenseRelease).where(SuspenseRelease.operation_id == operation_id)
        ).one()
        where = earlier.to_key
        if where.startswith(WALLET_KEY_PREFIX):
            head, _, number = where.rpartition(":")
            where = f"{head}:{mask_account(number)}"
        raise ReleaseRefused(
            f"payment {operation_id} was already released to {where} by {earlier.released_by}"
        )
    # The same writer and lock order as a payment batch: wallets, then accounts.
    new_ids = write_books(
        connection,
        accounts,
        [Leg(TransferKind.RELEASE, SUSPENSE_KEY, target, amount, operation_id)],
        {SUSPENSE_KEY: AccountKind.SUSPENSE, target: kind},
        now_ms,
        wallets,
    )
    return Release(operation_id, shown, amount, by.strip(), reason.strip(), now_ms), new_ids


def _target(
    connection: Connection, catalog: Catalog, policy: WalletPolicy, to: str, amount: int, day: str
) -> tuple[str, AccountKind, str, list[tuple[int, int, str, int]]]:
    """(account key, kind, what to show, wallet to set) of a release target; an e-wallet is
    locked and judged like a payment to it."""
    if to == REFUND:
        return REFUNDS_KEY, AccountKind.REFUNDS, REFUND, []
    service_id, sep, number = to.partition(":")
    try:
        service = catalog.get(service_id)
    except KeyError:
        raise ReleaseRefused(
            f"--to must be '{REFUND}' or SERVICE:ACCOUNT with a catalog service, got {to!r}"
        ) from None
    account = normalise_account(service, number) if sep else None
    if account is None:
        raise ReleaseRefused(f"{number!r} is not a valid {service.id} account number")
    shown = f"{service.id}:{mask_account(account)}"
    wallets: list[tuple[int, int, str, int]] = []
    if service.category is Category.EWALLET:
        key = (service.id, account)
        opening = {key} if service.id in policy.open_on_first_payment else set()
        wallet = load_wallets(connection, {key}, opening).get(key)
        verdict = wallet_verdict(service, wallet, amount, policy.mrp, day, opens=False)
        if not verdict.ok or wallet is None:
            raise ReleaseRefused(f"cannot credit {shown}: {verdict.reason}")
        turnover = wallet.turnover_on(day)
        wallets.append((wallet.id, wallet.balance + amount, day, turnover + amount))
    return wallet_key(service.id, account), AccountKind.WALLET, shown, wallets
