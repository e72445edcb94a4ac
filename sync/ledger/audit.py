"""The books audit: do debits equal credits, do account totals match the transfers, does
every payment's money add up, and does every release of suspense match its record?"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from sync.ledger.books import TransferKind, joined, sum_parts
from sync.ledger.models import LedgerAccount, Payment, SuspenseRelease, Transfer

SAMPLE = 20  # problems listed in full; the counts cover all


@dataclass(frozen=True, slots=True)
class Audit:
    """The outcome of :func:`audit`; ``balanced`` is true only when every check passes."""

    balanced: bool
    transfers: int
    debits: int  # sum of every account's posted debits
    credits: int  # sum of every account's posted credits
    transferred: int  # sum of the transfer amounts
    accounts: int
    payments: int
    completed: int
    rejected: int
    cash_in: int  # cash the terminals took, as the payments state it
    credited: int  # to wallets
    commission: int
    suspense: int  # ever put in suspense
    released: int  # moved out of suspense by the back office (suspense_releases)
    accounts_off: list[str]  # accounts whose totals differ from their transfers
    payments_off: list[str]  # payments whose transfers (or release) do not match them

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def audit(connection: Connection) -> Audit:
    """Check the books in one read transaction."""
    # Every sum over many rows is exact (sum_parts): never a float, never an overflow.
    debits_high, debits_low, credits_high, credits_low, accounts = connection.execute(
        select(
            *sum_parts(LedgerAccount.debits_posted),
            *sum_parts(LedgerAccount.credits_posted),
            func.count(LedgerAccount.id),
        )
    ).one()
    transfers, high, low = connection.execute(
        select(func.count(Transfer.id), *sum_parts(Transfer.amount))
    ).one()
    debits, credits = joined(debits_high, debits_low), joined(credits_high, credits_low)
    transferred = joined(high, low)

    by_debit = {
        account: joined(high, low)
        for account, high, low in connection.execute(
            select(Transfer.debit_account_id, *sum_parts(Transfer.amount)).group_by(
                Transfer.debit_account_id
            )
        )
    }
    by_credit = {
        account: joined(high, low)
        for account, high, low in connection.execute(
            select(Transfer.credit_account_id, *sum_parts(Transfer.amount)).group_by(
                Transfer.credit_account_id
            )
        )
    }
    accounts_off: list[str] = []
    for account in connection.execute(
        select(
            LedgerAccount.id,
            LedgerAccount.key,
            LedgerAccount.debits_posted,
            LedgerAccount.credits_posted,
        )
    ):
        if account.debits_posted != by_debit.get(
            account.id, 0
        ) or account.credits_posted != by_credit.get(account.id, 0):
            accounts_off.append(account.key)

    # Each payment's legs: completed = credited + commission, rejected = inserted to suspense,
    # and, once released, the same amount out of suspense as its release record says.
    legs = (
        select(
            Transfer.operation_id,
            func.sum(Transfer.amount).filter(Transfer.kind != TransferKind.RELEASE).label("moved"),
            func.sum(Transfer.amount)
            .filter(Transfer.kind == TransferKind.CREDIT)
            .label("to_wallet"),
            func.sum(Transfer.amount)
            .filter(Transfer.kind == TransferKind.COMMISSION)
            .label("to_commission"),
            func.sum(Transfer.amount)
            .filter(Transfer.kind == TransferKind.SUSPENSE)
            .label("to_suspense"),
            func.sum(Transfer.amount)
            .filter(Transfer.kind == TransferKind.RELEASE)
            .label("released"),
        )
        .where(Transfer.operation_id.is_not(None))
        .group_by(Transfer.operation_id)
        .subquery()
    )
    rows = connection.execute(
        select(
            Payment.operation_id,
            Payment.status,
            Payment.inserted,
            Payment.commission,
            Payment.credited,
            func.coalesce(legs.c.moved, 0),
            func.coalesce(legs.c.to_wallet, 0),
            func.coalesce(legs.c.to_commission, 0),
            func.coalesce(legs.c.to_suspense, 0),
            func.coalesce(legs.c.released, 0),
            func.coalesce(SuspenseRelease.amount, 0),
        )
        .outerjoin(legs, legs.c.operation_id == Payment.operation_id)
        .outerjoin(SuspenseRelease, SuspenseRelease.operation_id == Payment.operation_id)
    )
    payments = completed = rejected = cash_in = credited = commission = suspense = 0
    released = 0
    payments_off: list[str] = []
    for (
        operation_id,
        status,
        inserted,
        fee,
        to_credit,
        moved,
        to_wallet,
        to_commission,
        to_suspense,
        out_of_suspense,
        recorded,
    ) in rows:
        moved, to_wallet = int(moved), int(to_wallet)
        to_commission, to_suspense = int(to_commission), int(to_suspense)
        out_of_suspense, recorded = int(out_of_suspense), int(recorded)
        released += out_of_suspense
        payments += 1
        cash_in += inserted
        if status == "completed":
            completed += 1
            credited += to_wallet
            commission += to_commission
            right = (to_wallet, to_commission, to_suspense) == (to_credit, fee, 0)
        else:
            rejected += 1
            suspense += to_suspense
            right = (to_wallet, to_commission, to_suspense) == (0, 0, inserted)
        right = right and out_of_suspense == recorded and recorded in (0, to_suspense)
        if not right or moved != inserted:
            payments_off.append(operation_id)
    balanced = debits == credits == transferred and not accounts_off and not payments_off
    return Audit(
        balanced=balanced,
        transfers=transfers,
        debits=debits,
        credits=credits,
        transferred=transferred,
        accounts=accounts,
        payments=payments,
        completed=completed,
        rejected=rejected,
        cash_in=cash_in,
        credited=credited,
        commission=commission,
        suspense=suspense,
        released=released,
        accounts_off=accounts_off[:SAMPLE],
        payments_off=payments_off[:SAMPLE],
    )
